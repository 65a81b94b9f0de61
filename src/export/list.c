/* See rebote/export.h: failed-recipient lists, per bounce or per address. */
#include <config.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>
#include <jansson.h>
#include "rebote/export.h"

static const char *const list_columns[] = {"recipient", "status", "replycode", "reason", "hardbounce",
                                           "times_seen", "last_seen", "kind", "date", "diagnostic"};
#define NCOLS (sizeof list_columns / sizeof list_columns[0])

/* One output row: the last record of an address and how often it was seen. */
typedef struct {
    const rb_record *r;
    size_t seen;
    long long last;
} list_row;


static void list_write(FILE *out, export_format f, const list_row *row)
{
    const rb_record *r = row->r;
    char seen[32], last[32];
    snprintf(seen, sizeof seen, "%zu", row->seen);
    export_stamp(row->last, last, sizeof last);
    if (f == EXPORT_JSON) {
        json_t *o = json_object();
        json_object_set_new(o, "recipient", json_string(r->recipient ? r->recipient : ""));
        json_object_set_new(o, "status", json_string(r->status));
        json_object_set_new(o, "replycode", json_string(r->replycode));
        json_object_set_new(o, "reason", json_string(r->reason ? r->reason : ""));
        json_object_set_new(o, "hardbounce", json_boolean(r->hardbounce));
        json_object_set_new(o, "times_seen", json_integer((json_int_t)row->seen));
        json_object_set_new(o, "last_seen", last[0] ? json_string(last) : json_null());
        json_object_set_new(o, "kind", json_string(rb_kind_name(r->kind)));
        json_object_set_new(o, "date", json_string(r->date ? r->date : ""));
        json_object_set_new(o, "diagnostic", json_string(r->diagnostic ? r->diagnostic : ""));
        json_dumpf(o, out, JSON_COMPACT | JSON_PRESERVE_ORDER);
        fputc('\n', out);
        json_decref(o);
        return;
    }
    const char *cells[NCOLS] = {r->recipient, r->status, r->replycode, r->reason, r->hardbounce ? "hard" : "soft",
                                seen, last, rb_kind_name(r->kind), r->date, r->diagnostic};
    for (size_t c = 0; c < NCOLS; c++) {
        if (c)
            fputc(',', out);
        csv_cell(out, cells[c]);
    }
    fputs("\r\n", out);
}

static int cmp_row(const void *a, const void *b)
{
    const list_row *x = a, *y = b;
    int c = strcasecmp(x->r->recipient ? x->r->recipient : "", y->r->recipient ? y->r->recipient : "");
    if (c)
        return c;
    return (x->last > y->last) - (x->last < y->last);   /* oldest first: the last one wins */
}

int export_list(FILE *out, export_format f, const rb_records *rs, const size_t *sel, size_t n, bool hard_only,
                bool by_recipient)
{
    return export_list_rows(out, f, rs, sel, n, hard_only, by_recipient, NULL);
}

int export_list_rows(FILE *out, export_format f, const rb_records *rs, const size_t *sel, size_t n, bool hard_only,
                     bool by_recipient, size_t *written)
{
    list_row *rows = malloc((n ? n : 1) * sizeof *rows);
    size_t nr = 0;
    if (written)
        *written = 0;
    if (!rows)
        return -1;
    for (size_t k = 0; k < n; k++) {
        const rb_record *r = &rs->v[sel ? sel[k] : k];
        /* per address, --hard asks whether its last bounce is hard: a later soft one
         * (the mailbox is full, so it exists) takes the address off a suppression list */
        if ((r->kind != RB_KIND_BOUNCE && r->kind != RB_KIND_DELAY) || (hard_only && !by_recipient && !r->hardbounce))
            continue;
        rows[nr++] = (list_row){r, 1, r->time};
    }
    if (f == EXPORT_CSV) {
        for (size_t c = 0; c < NCOLS; c++)
            fprintf(out, "%s%s", c ? "," : "", list_columns[c]);
        fputs("\r\n", out);
    }
    if (by_recipient && nr) {
        qsort(rows, nr, sizeof *rows, cmp_row);
        size_t o = 0;
        for (size_t i = 0; i < nr; i++) {
            if (o && !strcasecmp(rows[o - 1].r->recipient ? rows[o - 1].r->recipient : "",
                                 rows[i].r->recipient ? rows[i].r->recipient : "")) {
                size_t seen = rows[o - 1].seen + 1;
                rows[o - 1] = rows[i];
                rows[o - 1].seen = seen;
                continue;
            }
            rows[o++] = rows[i];
        }
        nr = o;
        for (size_t i = o = 0; hard_only && i < nr; i++)
            if (rows[i].r->hardbounce)
                rows[o++] = rows[i];
        nr = hard_only ? o : nr;
    }
    for (size_t i = 0; i < nr; i++)
        list_write(out, f, &rows[i]);
    free(rows);
    if (written)
        *written = nr;
    return ferror(out) ? -1 : 0;
}

void md_cell(FILE *out, const char *s)
{
    s = s ? s : "";
    for (const char *p = s; *p; p++) {
        bool www = (p - s >= 3 && p[0] == '.' && !strncasecmp(p - 3, "www", 3));   /* www\. links nothing */
        if (strchr("|\\`*_~<[&", *p) || www || (p[0] == ':' && p[1] == '/' && p[2] == '/'))
            fputc('\\', out);
        fputc(*p == '\n' || *p == '\r' ? ' ' : *p, out);
    }
}

/* A FIFO, a device or a socket at path: written as it is, never replaced
 * (O_NONBLOCK: a FIFO without a reader is refused, not waited for). */
static int export_begin_direct(export_file *x)
{
    int fd = open(x->path, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    struct stat st;
    if (fd >= 0 && (fstat(fd, &st) != 0 || S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)
                    || fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0)) {
        close(fd);   /* it became a regular file meanwhile: start again the safe way */
        errno = EAGAIN;
        return -1;
    }
    if (fd < 0)
        return -1;
    if (!(x->f = fdopen(fd, "w"))) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    x->direct = true;
    return 0;
}

int export_begin(export_file *x, const char *path)
{
    struct stat st;
    memset(x, 0, sizeof *x);
    if (snprintf(x->path, sizeof x->path, "%s", path) >= (int)sizeof x->path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode)) {
        if (S_ISDIR(st.st_mode)) {
            errno = EISDIR;
            return -1;
        }
        return export_begin_direct(x);
    }
    bool replacing = lstat(path, &st) == 0 && S_ISREG(st.st_mode);
    snprintf(x->tmp, sizeof x->tmp, "%s.XXXXXX", path);
    int fd = mkstemp(x->tmp);
    if (fd < 0)
        return -1;
    mode_t mask = umask(0);   /* mkstemp makes 0600; an export gets the usual mode */
    umask(mask);
    if (replacing) {
        /* the new file gets the old one's owner, group (root only can give
         * them) and mode: a private list stays private; if the owner cannot
         * be given, it stays mkstemp's 0600 */
        if (geteuid() != 0 || fchown(fd, st.st_uid, st.st_gid) == 0)
            fchmod(fd, st.st_mode & 07777);
    } else {
        fchmod(fd, 0666 & ~mask);
    }
    if (!(x->f = fdopen(fd, "w"))) {
        int e = errno;
        close(fd);
        unlink(x->tmp);
        errno = e;
        return -1;
    }
    return 0;
}

int export_commit(export_file *x)
{
    if (x->direct) {
        int bad = fflush(x->f) != 0 || ferror(x->f), e = errno;
        if (fclose(x->f) != 0 && !bad) {
            bad = 1;
            e = errno;
        }
        x->f = NULL;
        errno = bad ? (e ? e : EIO) : 0;
        return bad ? -1 : 0;
    }
    int bad = fflush(x->f) != 0 || ferror(x->f) || fsync(fileno(x->f)) != 0;
    int e = errno;
    if (fclose(x->f) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    x->f = NULL;
    if (!bad && rename(x->tmp, x->path) != 0) {
        bad = 1;
        e = errno;
    }
    if (bad) {
        unlink(x->tmp);
        errno = e ? e : EIO;
        return -1;
    }
    return 0;
}

void export_abort(export_file *x)
{
    if (x->f)
        fclose(x->f);
    x->f = NULL;
    if (!x->direct)
        unlink(x->tmp);
}
