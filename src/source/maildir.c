/* Maildir source: cur/ and new/; a message's key is its file name up to the
 * ':' of the flags, stable when the flags change. Other clients move the
 * files while we read (new/ to cur/, flags changed): a file that is gone is
 * looked for again by its key, for reading and for deleting alike. Delete
 * unlinks exactly the listed messages, or moves them into a trash Maildir. */
#include <config.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "rebote/local.h"
#include "maildir_name.h"
#include "source_impl.h"

#define MAILDIR_TRIES 4   /* a file may move again while we follow it */

void (*maildir_race_hook)(const char *path);

static const char *const maildir_subs[] = {"cur", "new"};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void names_free(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* Every message name of ROOT/sub, sorted. Returns -1 (errno set) when the
 * folder cannot be read: a Maildir that moved away must not look empty. */
static int maildir_names(const char *root, const char *sub, char ***out, size_t *count)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", root, sub);
    DIR *d = opendir(path);
    *out = NULL;
    *count = 0;
    if (!d)
        return -1;
    char **v = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    int rc = 0;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (!maildir_name_ok(e->d_name))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            char **nv = realloc(v, cap * sizeof *nv);
            rc = nv ? 0 : -1;
            v = nv ? nv : v;
        }
        if (rc == 0 && (v[n] = strdup(e->d_name)) != NULL)
            n++;
        else
            rc = -1;
    }
    closedir(d);
    if (rc != 0) {
        names_free(v, n);
        errno = ENOMEM;
        return -1;
    }
    if (n)
        qsort(v, n, sizeof *v, cmp_str);
    *out = v;
    *count = n;
    return 0;
}

void maildir_listing_free(maildir_listing *l)
{
    names_free(l->names[0], l->count[0]);
    names_free(l->names[1], l->count[1]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

int maildir_scan(const char *root, maildir_listing *l)
{
    memset(l, 0, sizeof *l);
    /* new/ before cur/: a message moved from one to the other meanwhile is seen in cur/ */
    if (maildir_names(root, "new", &l->names[1], &l->count[1]) != 0 && errno != ENOENT) {
        l->failed = "new";
        return -1;
    }
    if (maildir_names(root, "cur", &l->names[0], &l->count[0]) != 0) {
        int e = errno;
        maildir_listing_free(l);
        l->failed = "cur";
        errno = e;
        return -1;
    }
    l->v = malloc((l->count[0] + l->count[1] + 1) * sizeof *l->v);
    l->n = l->v ? maildir_merge(l->names[0], l->count[0], l->names[1], l->count[1], l->v, &l->ncur, &l->dups)
                : (size_t)-1;
    if (l->n == (size_t)-1) {
        maildir_listing_free(l);
        errno = ENOMEM;
        return -1;
    }
    return 0;
}

void maildir_listing_path(const char *root, const maildir_listing *l, size_t i, char *path, size_t len)
{
    snprintf(path, len, "%s/%s/%s", root, maildir_subs[i < l->ncur ? 0 : 1], l->v[i]);
}

typedef struct {
    const char *name;
    size_t at;   /* its position in the listing */
} maildir_entry;

static int cmp_entry(const void *a, const void *b)
{
    return maildir_keycmp(((const maildir_entry *)a)->name, ((const maildir_entry *)b)->name);
}

void maildir_index_free(maildir_index *ix)
{
    maildir_listing_free(&ix->l);
    free(ix->by_key);
    ix->by_key = NULL;
}

int maildir_index_build(const char *root, maildir_index *ix)
{
    ix->by_key = NULL;
    if (maildir_scan(root, &ix->l) != 0)
        return -1;
    maildir_entry *v = malloc((ix->l.n ? ix->l.n : 1) * sizeof *v);
    if (!v) {
        maildir_listing_free(&ix->l);
        errno = ENOMEM;
        return -1;
    }
    for (size_t i = 0; i < ix->l.n; i++)
        v[i] = (maildir_entry){ix->l.v[i], i};
    qsort(v, ix->l.n, sizeof *v, cmp_entry);   /* the listing's keys are unique */
    ix->by_key = v;
    return 0;
}

int maildir_index_path(const char *root, const maildir_index *ix, const char *keyname, char *path, size_t len)
{
    const maildir_entry probe = {keyname, 0}, *e = NULL;
    if (ix->by_key && ix->l.n)
        e = bsearch(&probe, ix->by_key, ix->l.n, sizeof probe, cmp_entry);
    if (!e)
        return -1;
    maildir_listing_path(root, &ix->l, e->at, path, len);
    return 0;
}

int maildir_follow(const char *root, maildir_index *ix, const char *path, maildir_op op, void *ctx)
{
    char where[PATH_MAX], keyname[NAME_MAX + 1];
    const char *base = strrchr(path, '/');
    snprintf(keyname, sizeof keyname, "%s", base ? base + 1 : path);
    snprintf(where, sizeof where, "%s", path);   /* path may be the index's: it is rebuilt */
    for (int tries = 0; tries < MAILDIR_TRIES; tries++) {
        if (maildir_race_hook)
            maildir_race_hook(where);
        int rc = op(where, ctx);
        if (rc <= 0)
            return rc;
        maildir_index_free(ix);   /* one walk finds every message moved so far */
        if (maildir_index_build(root, ix) != 0)
            return -2;
        if (maildir_index_path(root, ix, keyname, where, sizeof where) != 0)
            return 1;
    }
    return 1;
}

/* Calls fn(key, path) for each message of cur/ then new/, in name order;
 * counts what the listing had to leave out when skips is set. Returns -1
 * with the source's error when a folder cannot be read or fn fails. */
static int maildir_walk(source *s, bool skips, int (*fn)(const char *key, const char *path, void *ctx), void *ctx)
{
    const char *root = source_path(s);
    maildir_listing l;
    if (maildir_scan(root, &l) != 0)
        return l.failed ? source_fail(s, _("cannot read %s/%s: %s"), root, l.failed, strerror(errno))
                        : source_fail(s, "%s", _("out of memory"));
    for (size_t i = 0; skips && i < l.dups; i++)
        source_skip(s, _("%s: two files of one folder have the same unique name (before ':')"), root);
    int rc = 0;
    for (size_t i = 0; i < l.n && rc == 0; i++) {
        char key[NAME_MAX + 1], path[PATH_MAX];
        snprintf(key, sizeof key, "%.*s", (int)maildir_key_len(l.v[i]), l.v[i]);
        maildir_listing_path(root, &l, i, path, sizeof path);
        if (fn(key, path, ctx) != 0)
            rc = source_fail(s, "%s", _("out of memory"));
    }
    maildir_listing_free(&l);
    return rc;
}

typedef struct {
    source_item **items;
    size_t *n, cap;
    uint32_t uid;
} maildir_list_ctx;

static int maildir_list_one(const char *key, const char *path, void *vctx)
{
    (void)path;
    maildir_list_ctx *c = vctx;
    return source_add_item(c->items, c->n, &c->cap, ++c->uid, key);
}

/* No stat per file: what is not a readable file is found, and counted, when fetched. */
static int maildir_list(source *s, source_item **items, size_t *n)
{
    maildir_list_ctx c = {.items = items, .n = n};
    return maildir_walk(s, true, maildir_list_one, &c);
}

/* The error of a listing that failed (errno, l.failed as maildir_scan left them). */
static int maildir_unlisted_as(source *s, const char *failed)
{
    return failed ? source_fail(s, _("cannot read %s/%s: %s"), source_path(s), failed, strerror(errno))
                  : source_fail(s, "%s", _("out of memory"));
}

/* The index of the Maildir as it is now; -1 with the source's error. */
static int maildir_index_now(source *s, maildir_index *ix)
{
    return maildir_index_build(source_path(s), ix) == 0 ? 0 : maildir_unlisted_as(s, ix->l.failed);
}

/* Reading one message where it is now (a maildir_op). */
typedef struct {
    size_t cap, len;
    char *buf;
    int err;               /* why it could not be read */
    char path[PATH_MAX];   /* where it was read, or failed */
} maildir_reading;

static int maildir_read_op(const char *path, void *vctx)
{
    maildir_reading *r = vctx;
    snprintf(r->path, sizeof r->path, "%s", path);
    r->buf = local_read_message(path, r->cap, &r->len);
    r->err = r->buf ? 0 : errno;
    return r->buf ? 0 : r->err == ENOENT ? 1 : -1;
}

static int maildir_fetch(source *s, const source_item *items, size_t n, source_fetch_cb cb,
                         source_progress_cb progress, void *ctx)
{
    maildir_index ix;
    if (maildir_index_now(s, &ix) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        char path[PATH_MAX];
        maildir_reading r = {.cap = s->opt.fetch_cap};
        int got = maildir_index_path(source_path(s), &ix, items[i].key, path, sizeof path) != 0
                      ? 1 : maildir_follow(source_path(s), &ix, path, maildir_read_op, &r);
        if (got == -2 || (got < 0 && r.err == ENOMEM))
            rc = maildir_unlisted_as(s, got == -2 ? ix.l.failed : NULL);
        else if (got < 0)
            source_skip(s, "%s: %s", r.path, local_strerror(r.err));
        else if (got == 0)   /* got 1: gone meanwhile (another client): nothing to analyse */
            rc = cb(&items[i], r.buf, r.len, ctx);
        free(r.buf);
        if (progress)
            progress(i + 1, n, ctx);
    }
    maildir_index_free(&ix);
    return rc;
}

/* Deleting one message where it is now (a maildir_op): unlinked, or moved
 * into the trash Maildir's cur/ under the same name, never over another. */
static int maildir_trash_op(source *s, const char *path)
{
    char dest[PATH_MAX];
    const char *base = strrchr(path, '/');
    snprintf(dest, sizeof dest, "%s/cur/%s", s->opt.trash, base ? base + 1 : path);
    int rc = renameat2(AT_FDCWD, path, AT_FDCWD, dest, RENAME_NOREPLACE);
    if (rc != 0 && (errno == EINVAL || errno == ENOSYS) && link(path, dest) == 0)   /* no NOREPLACE here */
        rc = unlink(path);
    if (rc == 0)
        return 0;
    struct stat st;
    if (errno == ENOENT && lstat(path, &st) != 0)
        return 1;   /* moved meanwhile */
    source_fail(s, _("cannot move %s to %s: %s"), path, dest, strerror(errno));
    return -1;
}

static int maildir_remove_op(const char *path, void *vctx)
{
    source *s = vctx;
    if (s->opt.trash)
        return maildir_trash_op(s, path);
    if (unlink(path) == 0)
        return 0;
    if (errno == ENOENT)
        return 1;
    source_fail(s, _("cannot delete %s: %s"), path, strerror(errno));
    return -1;
}

static int maildir_remove(source *s, const source_item *items, size_t n, uint32_t uv, size_t *removed)
{
    (void)uv;
    maildir_index ix;
    if (maildir_index_now(s, &ix) != 0)   /* e.g. the Maildir moved away since the load */
        return -1;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        char path[PATH_MAX];
        int got = maildir_index_path(source_path(s), &ix, items[i].key, path, sizeof path) != 0
                      ? 1 : maildir_follow(source_path(s), &ix, path, maildir_remove_op, s);
        if (got == -2)   /* the Maildir could not be read again */
            rc = maildir_unlisted_as(s, ix.l.failed);
        else if (got < 0)
            rc = -1;
        else if (got == 0)   /* got 1: already gone, not deleted by us */
            (*removed)++;
    }
    maildir_index_free(&ix);
    return rc;
}

static const source_ops maildir_ops = {maildir_list, maildir_fetch, maildir_remove, source_close_local};

source *maildir_open(const char *path, const source_options *opt, char *err, size_t errlen)
{
    char real[PATH_MAX], cur[PATH_MAX + 8];
    struct stat st;
    if (!realpath(path, real)) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    snprintf(cur, sizeof cur, "%s/cur", real);
    if (stat(cur, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, _("%s: not a Maildir (no cur/ folder)"), path);
        return NULL;
    }
    if (opt && opt->trash) {
        char tcur[PATH_MAX + 8];
        snprintf(tcur, sizeof tcur, "%s/cur", opt->trash);
        if (stat(tcur, &st) != 0 || !S_ISDIR(st.st_mode)) {
            snprintf(err, errlen, _("%s: the trash is not a Maildir (no cur/ folder)"), opt->trash);
            return NULL;
        }
    }
    return source_new_local(&maildir_ops, "maildir", real, opt, err, errlen);
}
