/* mbox source (mboxo/mboxrd). A message is the bytes from its "From " line to
 * the next one; its key is a hash of those bytes, so deleting others does not
 * change it. Delete rewrites the file in place under a fcntl lock and a
 * dotlock (same inode, so an MDA waiting on either lock appends to the live
 * file): the bytes from the first deleted message on go to PATH.rebote-backup
 * first, then the kept messages are written forward, the file truncated and
 * synced. A purge that finds a backup (one killed mid-rewrite) first puts it
 * back at its offset, so every kept message is recoverable. */
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

/* Writes all of fd's bytes in [p, p+n) at offset off. */
static bool mbox_pwrite_all(int fd, const char *p, size_t n, off_t off)
{
    while (n) {
        ssize_t w = pwrite(fd, p, n, off);
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
        off += w;
    }
    return true;
}

/* PATH.rebote-backup: the offset in decimal, a newline, then the file's bytes
 * from that offset on, as they were before the rewrite. */
static void mbox_backup_path(const char *path, char *out, size_t len)
{
    snprintf(out, len, "%s.rebote-backup", path);
}

static bool mbox_write_backup(const char *bak, const char *buf, size_t len, size_t from)
{
    int fd = open(bak, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return false;
    char head[32];
    int h = snprintf(head, sizeof head, "%zu\n", from);
    bool ok = mbox_pwrite_all(fd, head, (size_t)h, 0) &&
              mbox_pwrite_all(fd, buf + from, len - from, h) && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    if (!ok)
        unlink(bak);
    return ok;
}

/* An interrupted rewrite is rolled back: the backup's bytes go back at their
 * offset and the file ends where it ended before. Runs under the lock. */
static int mbox_recover(source *s, int fd)
{
    char bak[PATH_MAX];
    mbox_backup_path(source_path(s), bak, sizeof bak);
    size_t blen;
    char *b = local_read_file(bak, &blen);
    if (!b)
        return errno == ENOENT ? 0 : source_fail(s, "%s: %s", bak, strerror(errno));
    char *nl = memchr(b, '\n', blen);
    char *end;
    unsigned long long off = strtoull(b, &end, 10);
    bool ok = nl && end == nl && mbox_pwrite_all(fd, nl + 1, blen - (size_t)(nl + 1 - b), (off_t)off) &&
              ftruncate(fd, (off_t)(off + blen - (size_t)(nl + 1 - b))) == 0 && fsync(fd) == 0;
    free(b);
    if (!ok)
        return source_fail(s, _("cannot restore %s from %s"), source_path(s), bak);
    unlink(bak);
    return 0;
}

/* Rewrites the mbox in place (same inode, owner and mode): the bytes from the
 * first deleted message on are saved to the backup first, then the kept ones
 * are written forward, the file truncated and synced, the backup removed. */
static int mbox_rewrite(source *s, int fd, const char *buf, size_t len, const mbox_msg *m,
                        size_t count, const source_item *items, size_t n, size_t *removed)
{
    const char *path = source_path(s);
    const char **keys = malloc((n ? n : 1) * sizeof *keys);
    if (!keys)
        return source_fail(s, "%s", _("out of memory"));
    for (size_t i = 0; i < n; i++)
        keys[i] = items[i].key;
    if (n)
        qsort(keys, n, sizeof *keys, cmp_cstr);
    size_t first = 0;
    while (first < count && !mbox_doomed(&m[first], keys, n))
        first++;
    *removed = 0;
    if (first == count) {
        free(keys);
        return 0;
    }
    char bak[PATH_MAX];
    mbox_backup_path(path, bak, sizeof bak);
    if (!mbox_write_backup(bak, buf, len, m[first].start)) {
        int e = errno;
        free(keys);
        return source_fail(s, _("cannot rewrite %s: %s (nothing deleted)"), path, strerror(e));
    }
    off_t out = (off_t)m[first].start;
    size_t gone = 0;
    bool ok = true;
    for (size_t i = first; i < count && ok; i++) {
        if (mbox_doomed(&m[i], keys, n)) {
            gone++;
            continue;
        }
        ok = mbox_pwrite_all(fd, buf + m[i].start, m[i].end - m[i].start, out);
        out += (off_t)(m[i].end - m[i].start);
    }
    free(keys);
    ok = ok && ftruncate(fd, out) == 0 && fsync(fd) == 0;
    if (!ok) {
        int e = errno;
        mbox_recover(s, fd);
        return source_fail(s, _("cannot rewrite %s: %s (nothing deleted)"), path, strerror(e));
    }
    unlink(bak);
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
    int rc = mbox_recover(s, fd);
    if (rc == 0)
        rc = mbox_load(s, &buf, &len, &m, &count);   /* read again under the lock */
    if (rc == 0) {
        rc = mbox_rewrite(s, fd, buf, len, m, count, items, n, removed);
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
