/* mbox source (mboxo/mboxrd). A message is the bytes from its "From " line to
 * the next one; its key is a hash of those bytes, so deleting others does not
 * change it. Delete rewrites the file under a fcntl lock and a dotlock into a
 * temporary file, fsyncs it and renames it over the original: every message
 * kept is copied byte for byte. */
#include <config.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "rebote/local.h"
#include "source_impl.h"


typedef struct {
    size_t start, end;   /* [start, end) in the file, "From " line included */
    char key[40];
} mbox_msg;

static uint64_t mbox_hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;   /* FNV-1a */
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static int cmp_msg_key(const void *a, const void *b)
{
    const mbox_msg *x = *(const mbox_msg *const *)a, *y = *(const mbox_msg *const *)b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->start > y->start) - (x->start < y->start);
}

static int cmp_msg_key_only(const void *a, const void *b)
{
    return strcmp((*(const mbox_msg *const *)a)->key, (*(const mbox_msg *const *)b)->key);
}

/* Identical copies of a message get their rank ("#2", "#3") so keys stay unique. */
static void mbox_rank_duplicates(mbox_msg *v, size_t n)
{
    mbox_msg **by = malloc(n * sizeof *by);
    if (!by)
        return;
    for (size_t i = 0; i < n; i++)
        by[i] = &v[i];
    qsort(by, n, sizeof *by, cmp_msg_key);
    for (size_t i = 1, rank = 1; i < n; i++) {
        if (strncmp(by[i]->key, by[i - 1]->key, 33) != 0) {
            rank = 1;
            continue;
        }
        size_t l = strlen(by[i]->key);
        snprintf(by[i]->key + l, sizeof by[i]->key - l, "#%zu", ++rank);
    }
    free(by);
}

/* Splits the file into messages with the one splitter (mboxsplit_next). */
static mbox_msg *mbox_split(const char *buf, size_t len, size_t *count)
{
    size_t cap = 64, n = 0;
    mbox_msg *v = malloc(cap * sizeof *v);
    for (size_t pos = 0; v && pos < len;) {
        size_t next = mboxsplit_next(buf, len, pos);
        if (n == cap) {
            cap *= 2;
            mbox_msg *nv = realloc(v, cap * sizeof *nv);
            if (!nv) {
                free(v);
                return NULL;
            }
            v = nv;
        }
        v[n].start = pos;
        v[n].end = next;
        snprintf(v[n].key, sizeof v[n].key, "%016llx-%zu",
                 (unsigned long long)mbox_hash(buf + pos, next - pos), next - pos);
        n++;
        pos = next;
    }
    *count = n;
    if (v)
        mbox_rank_duplicates(v, n);
    return v;
}

static int mbox_load(source *s, char **buf, size_t *len, mbox_msg **msgs, size_t *count)
{
    *buf = local_read_file(source_path(s), len);
    if (!*buf)
        return source_fail(s, "%s: %s", source_path(s), strerror(errno));
    *msgs = mbox_split(*buf, *len, count);
    if (!*msgs && *len) {
        free(*buf);
        return source_fail(s, "%s", _("out of memory"));
    }
    return 0;
}

static int mbox_list(source *s, source_item **items, size_t *n)
{
    char *buf;
    size_t len, count, cap = 0;
    mbox_msg *m;
    if (mbox_load(s, &buf, &len, &m, &count) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < count && rc == 0; i++)
        if (source_add_item(items, n, &cap, (uint32_t)(i + 1), m[i].key) != 0)
            rc = source_fail(s, "%s", _("out of memory"));
    free(m);
    free(buf);
    return rc;
}

/* Passes the unquoted body of one message (its "From " line dropped) to cb. */
typedef struct {
    const source_item *item;
    source_fetch_cb cb;
    void *ctx;
    size_t cap;
} mbox_pass;

static int mbox_pass_one(const char *path, size_t index, const char *buf, size_t len, void *vctx)
{
    (void)path;
    mbox_pass *mp = vctx;
    if (index != 1)   /* one span is one message; never pass more than listed */
        return 0;
    return mp->cb(mp->item, buf, mp->cap && len > mp->cap ? mp->cap : len, mp->ctx);
}

static int mbox_fetch(source *s, const source_item *items, size_t n, source_fetch_cb cb,
                      source_progress_cb progress, void *ctx)
{
    char *buf;
    size_t len, count;
    mbox_msg *m;
    if (mbox_load(s, &buf, &len, &m, &count) != 0)
        return -1;
    mbox_msg **by = malloc((count ? count : 1) * sizeof *by);
    for (size_t j = 0; by && j < count; j++)
        by[j] = &m[j];
    if (by && count)
        qsort(by, count, sizeof *by, cmp_msg_key);
    int rc = by ? 0 : source_fail(s, "%s", _("out of memory"));
    for (size_t i = 0; i < n && rc == 0; i++) {
        mbox_msg probe, *pp = &probe, **hit;
        snprintf(probe.key, sizeof probe.key, "%s", items[i].key);
        probe.start = 0;
        hit = count ? bsearch(&pp, by, count, sizeof *by, cmp_msg_key_only) : NULL;
        if (hit) {
            mbox_pass mp = {&items[i], cb, ctx, s->opt.fetch_cap};
            rc = local_each_in_buffer(source_path(s), buf + (*hit)->start,
                                      (*hit)->end - (*hit)->start, mbox_pass_one, &mp);
        }
        if (progress)
            progress(i + 1, n, ctx);
    }
    free(by);
    free(m);
    free(buf);
    return rc;
}

/* fcntl write lock on the mbox, and PATH.lock created exclusively (with retries). */
static int mbox_lock(source *s, int fd, char *dotlock, size_t len)
{
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    if (fcntl(fd, F_SETLKW, &fl) != 0)
        return source_fail(s, _("cannot lock %s: %s"), source_path(s), strerror(errno));
    snprintf(dotlock, len, "%s.lock", source_path(s));
    for (int tries = 0; tries < 50; tries++) {
        int lfd = open(dotlock, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (lfd >= 0) {
            close(lfd);
            return 0;
        }
        if (errno != EEXIST)
            break;
        struct timespec ts = {0, 100 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    return source_fail(s, _("cannot take the lock %s: %s"), dotlock, strerror(errno));
}

static int cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Is the message among the sorted keys to delete? */
static bool mbox_doomed(const mbox_msg *m, const char **keys, size_t n)
{
    const char *k = m->key;
    return n && bsearch(&k, keys, n, sizeof *keys, cmp_cstr) != NULL;
}

/* Writes the kept messages to a temporary file beside the mbox and renames it. */
static int mbox_rewrite(source *s, const char *buf, const mbox_msg *m, size_t count,
                        const source_item *items, size_t n, size_t *removed)
{
    const char *path = source_path(s);
    char tmp[PATH_MAX];
    struct stat st;
    snprintf(tmp, sizeof tmp, "%s.rebote-%ld.tmp", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return source_fail(s, _("cannot create %s: %s"), tmp, strerror(errno));
    if (stat(path, &st) == 0)
        fchmod(fd, st.st_mode & 07777);
    size_t gone = 0;
    const char **keys = malloc((n ? n : 1) * sizeof *keys);
    bool ok = keys != NULL;
    for (size_t i = 0; ok && i < n; i++)
        keys[i] = items[i].key;
    if (ok && n)
        qsort(keys, n, sizeof *keys, cmp_cstr);
    for (size_t i = 0; i < count && ok; i++) {
        if (mbox_doomed(&m[i], keys, n)) {
            gone++;
            continue;
        }
        const char *p = buf + m[i].start;
        size_t left = m[i].end - m[i].start;
        while (left && ok) {
            ssize_t w = write(fd, p, left);
            ok = w > 0;
            p += w > 0 ? w : 0;
            left -= w > 0 ? (size_t)w : 0;
        }
    }
    free(keys);
    ok = ok && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        return source_fail(s, _("cannot rewrite %s: %s (nothing deleted)"), path, strerror(e));
    }
    *removed = gone;
    return 0;
}

static int mbox_remove(source *s, const source_item *items, size_t n, uint32_t uv, size_t *removed)
{
    (void)uv;
    const char *path = source_path(s);
    char dotlock[PATH_MAX];
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return source_fail(s, "%s: %s", path, strerror(errno));
    if (mbox_lock(s, fd, dotlock, sizeof dotlock) != 0) {
        close(fd);
        return -1;
    }
    char *buf;
    size_t len, count;
    mbox_msg *m;
    int rc = mbox_load(s, &buf, &len, &m, &count);   /* read again under the lock */
    if (rc == 0) {
        rc = mbox_rewrite(s, buf, m, count, items, n, removed);
        free(m);
        free(buf);
    }
    unlink(dotlock);
    close(fd);   /* releases the fcntl lock */
    return rc;
}


static const source_ops mbox_ops = {mbox_list, mbox_fetch, mbox_remove, source_close_local};

source *mbox_open(const char *path, const source_options *opt, char *err, size_t errlen)
{
    char real[PATH_MAX];
    if (!realpath(path, real)) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    if (opt && opt->trash) {
        snprintf(err, errlen, _("%s: --trash works with IMAP and Maildir, not with mbox"), path);
        return NULL;
    }
    return source_new_local(&mbox_ops, "mbox", real, opt, err, errlen);
}
