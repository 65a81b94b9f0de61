/* mbox source (mboxo/mboxrd). A message is the bytes from its "From " line to
 * the next one; its key is a hash of those bytes, so deleting others does not
 * change it. The file is split by mboxscan (read by chunks, never whole) and
 * each message read by its offset. Delete rewrites the file in place under a
 * fcntl lock and a dotlock (same inode, so an MDA waiting on either lock
 * appends to the live file): the bytes from the first deleted message on go
 * to PATH.rebote-backup first (written aside, then renamed: it exists only
 * whole), then the kept messages are moved forward, the file truncated and
 * synced. Whoever opens the mbox next (list, so summary, list, the screen
 * and purge alike) and finds a backup (a rewrite killed midway) first puts
 * it back at its offset, under the locks, so every kept message is there. */
#include <config.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "rebote/local.h"
#include "source_impl.h"

#define MBOX_COPY_CHUNK ((size_t)1 << 20)

typedef struct {
    uint64_t start, end;   /* [start, end) in the file, "From " line included */
    char key[64];
} mbox_msg;

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

/* Identical copies of a message (same bytes, so the same key) get their
 * rank in the file after the first: "KEY#2", "KEY#3"... so every copy is its
 * own message, listed, fetched, cached and deleted alone; a message without
 * copies keeps its key. */
static void mbox_rank_duplicates(mbox_msg *v, size_t n)
{
    mbox_msg **by = malloc(n * sizeof *by);
    if (!by)
        return;
    for (size_t i = 0; i < n; i++)
        by[i] = &v[i];
    qsort(by, n, sizeof *by, cmp_msg_key);
    for (size_t i = 1, first = 0; i < n; i++) {
        if (strcmp(by[i]->key, by[first]->key) != 0) {
            first = i;   /* by[first] keeps its key: the group is compared with it */
            continue;
        }
        size_t l = strlen(by[i]->key);
        snprintf(by[i]->key + l, sizeof by[i]->key - l, "#%zu", i - first + 1);
    }
    free(by);
}

typedef struct {
    mbox_msg *v;
    size_t n, cap;
} mbox_listing;

static int mbox_collect(const mbox_span *sp, void *ctx)
{
    mbox_listing *l = ctx;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        mbox_msg *v = realloc(l->v, cap * sizeof *v);
        if (!v) {
            errno = ENOMEM;
            return -1;
        }
        l->v = v;
        l->cap = cap;
    }
    mbox_msg *m = &l->v[l->n++];
    m->start = sp->start;
    m->end = sp->end;
    snprintf(m->key, sizeof m->key, "%016llx-%zu", (unsigned long long)sp->hash, (size_t)(sp->end - sp->start));
    return 0;
}

/* Splits the first size bytes of fd into messages with the one splitter. */
static int mbox_scan(source *s, int fd, uint64_t size, mbox_msg **msgs, size_t *count)
{
    mbox_listing l = {0};
    if (mboxscan_fd(fd, size, mbox_collect, &l) != 0) {
        int e = errno;
        free(l.v);
        return source_fail(s, "%s: %s", source_path(s), strerror(e));
    }
    mbox_rank_duplicates(l.v, l.n);
    *msgs = l.v;
    *count = l.n;
    return 0;
}

/* The listing list made, kept for the fetch that follows it (a load is a
 * list, then a fetch of what the cache lacks): the fetch takes it when the
 * file is still the one listed, and does not read the whole mbox again. */
typedef struct {
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtim, ctim;
    mbox_msg *m;
    size_t count;
} mbox_seen;

static bool mbox_seen_same(const mbox_seen *k, const struct stat *st)
{
    return k->dev == st->st_dev && k->ino == st->st_ino && k->size == st->st_size &&
           k->mtim.tv_sec == st->st_mtim.tv_sec && k->mtim.tv_nsec == st->st_mtim.tv_nsec &&
           k->ctim.tv_sec == st->st_ctim.tv_sec && k->ctim.tv_nsec == st->st_ctim.tv_nsec;
}

static void mbox_seen_drop(source *s)
{
    mbox_seen *k = s->listing;
    if (k)
        free(k->m);
    free(k);
    s->listing = NULL;
}

/* Keeps m (count messages of the file st describes) for the next fetch. */
static void mbox_seen_keep(source *s, const struct stat *st, mbox_msg *m, size_t count)
{
    mbox_seen_drop(s);
    mbox_seen *k = malloc(sizeof *k);
    if (!k) {
        free(m);
        return;
    }
    *k = (mbox_seen){st->st_dev, st->st_ino, st->st_size, st->st_mtim, st->st_ctim, m, count};
    s->listing = k;
}

/* Opens the mbox for reading and lists its messages; *fd stays open and
 * *st describes it. With reuse, the listing kept by the last list is taken
 * when the file has not changed since (same inode, size, mtime, ctime). */
static int mbox_load(source *s, int *fd, struct stat *st, mbox_msg **msgs, size_t *count, bool reuse)
{
    *fd = local_open(source_path(s), st);
    if (*fd < 0)
        return source_fail(s, "%s: %s", source_path(s), local_strerror(errno));
    mbox_seen *k = s->listing;
    if (reuse && k && mbox_seen_same(k, st)) {
        *msgs = k->m;
        *count = k->count;
        k->m = NULL;
        mbox_seen_drop(s);
        return 0;
    }
    mbox_seen_drop(s);
    if (mbox_scan(s, *fd, (uint64_t)st->st_size, msgs, count) != 0) {
        close(*fd);
        return -1;
    }
    return 0;
}

/* ---- locks ---- */

/* A dotlock older than this is stale whatever it holds (procmail's locktimeout). */
#define MBOX_DOTLOCK_TIMEOUT 1024

/* Is PATH.lock a dotlock whose owner (the pid it holds) is dead here, or
 * one left for longer than MBOX_DOTLOCK_TIMEOUT seconds? */
static bool mbox_dotlock_stale(const char *dotlock)
{
    char buf[32];
    struct stat st;
    if (lstat(dotlock, &st) != 0)
        return false;
    if (time(NULL) - st.st_mtime > MBOX_DOTLOCK_TIMEOUT)
        return true;
    int fd = open(dotlock, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return false;
    ssize_t r = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (r <= 0)
        return false;
    buf[r] = '\0';
    char *end;
    long pid = strtol(buf, &end, 10);
    return pid > 0 && end != buf && (*end == '\n' || *end == '\0') && kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

/* How long a lock held by another program is waited for when the command
 * has no --timeout. */
#define MBOX_LOCK_WAIT 10
#define MBOX_LOCK_NAP_MS 50

/* When to give up waiting for a lock: --timeout seconds from now, or
 * MBOX_LOCK_WAIT. */
static struct timespec mbox_lock_deadline(const source *s)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    t.tv_sec += s->opt.timeout > 0 ? s->opt.timeout : MBOX_LOCK_WAIT;
    return t;
}

/* Sleeps a little before trying a lock again; false once the deadline is past. */
static bool mbox_lock_nap(const struct timespec *deadline)
{
    struct timespec now, nap = {0, MBOX_LOCK_NAP_MS * 1000 * 1000};
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (now.tv_sec > deadline->tv_sec || (now.tv_sec == deadline->tv_sec && now.tv_nsec >= deadline->tv_nsec))
        return false;
    nanosleep(&nap, NULL);
    return true;
}

/* PATH.lock created exclusively with our pid in it, retried until the
 * deadline; one whose owner died (a rebote killed mid-purge) is taken over. */
static int mbox_dotlock(source *s, char *dotlock, size_t len, const struct timespec *deadline)
{
    snprintf(dotlock, len, "%s.lock", source_path(s));
    for (;;) {
        int lfd = open(dotlock, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (lfd >= 0) {
            char pid[24];
            int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
            bool ok = write(lfd, pid, (size_t)n) == n;
            int e = errno;
            close(lfd);
            if (ok)
                return 0;
            unlink(dotlock);
            return source_fail(s, _("cannot take the lock %s: %s"), dotlock, strerror(e));
        }
        if (errno != EEXIST)
            return source_fail(s, _("cannot take the lock %s: %s"), dotlock, strerror(errno));
        if (mbox_dotlock_stale(dotlock) && unlink(dotlock) == 0)
            continue;
        if (!mbox_lock_nap(deadline))
            return source_fail(s, _("%s is locked by another program (%s)"), source_path(s), dotlock);
    }
}

/* fcntl write lock on the mbox, then the dotlock, each tried again until
 * the deadline (never waited for without end: F_SETLK, not F_SETLKW). */
static int mbox_lock(source *s, int fd, char *dotlock, size_t len)
{
    struct timespec deadline = mbox_lock_deadline(s);
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    while (fcntl(fd, F_SETLK, &fl) != 0) {
        if (errno != EACCES && errno != EAGAIN && errno != EINTR)
            return source_fail(s, _("cannot lock %s: %s"), source_path(s), strerror(errno));
        if (!mbox_lock_nap(&deadline))
            return source_fail(s, _("%s is locked by another program (a fcntl lock on it)"), source_path(s));
    }
    return mbox_dotlock(s, dotlock, len, &deadline);
}

/* ---- copying by chunks ---- */

/* Writes all of [p, p+n) at offset off. */
static bool mbox_pwrite_all(int fd, const char *p, size_t n, uint64_t off)
{
    while (n) {
        ssize_t w = pwrite(fd, p, n, (off_t)off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
        off += (uint64_t)w;
    }
    return true;
}

/* Copies n bytes of from at src to to at dst, by chunks in ascending order
 * (so within one file, dst <= src, nothing is overwritten before it is
 * read); *done: how many, fewer when from ends sooner. */
static bool mbox_copy(int from, uint64_t src, int to, uint64_t dst, uint64_t n, char *buf, uint64_t *done)
{
    *done = 0;
    while (*done < n) {
        size_t want = n - *done < MBOX_COPY_CHUNK ? (size_t)(n - *done) : MBOX_COPY_CHUNK;
        ssize_t r = pread(from, buf, want, (off_t)(src + *done));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return false;
        if (r == 0)
            break;
        if (!mbox_pwrite_all(to, buf, (size_t)r, dst + *done))
            return false;
        *done += (uint64_t)r;
    }
    return true;
}

/* ---- the backup of a rewrite, and putting it back ---- */

/* PATH.rebote-backup: the offset in decimal, a newline, then the file's bytes
 * from that offset on, as they were before the rewrite. */
static void mbox_backup_path(const char *path, const char *suffix, char *out, size_t len)
{
    snprintf(out, len, "%s.rebote-backup%s", path, suffix);
}

/* Makes a rename in the mbox's folder durable. */
static void mbox_sync_dir(const char *path)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    int dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
}

/* Writes the backup of [from, size) of fd aside, syncs it and renames it
 * into place: a backup that exists is whole. */
static bool mbox_write_backup(const char *path, int fd, uint64_t from, uint64_t size, char *buf)
{
    char bak[PATH_MAX], tmp[PATH_MAX];
    mbox_backup_path(path, "", bak, sizeof bak);
    mbox_backup_path(path, ".tmp", tmp, sizeof tmp);
    int bfd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (bfd < 0)
        return false;
    char head[32];
    int h = snprintf(head, sizeof head, "%llu\n", (unsigned long long)from);
    uint64_t done;
    bool ok = mbox_pwrite_all(bfd, head, (size_t)h, 0) &&
              mbox_copy(fd, from, bfd, (uint64_t)h, size - from, buf, &done) && done == size - from &&
              fsync(bfd) == 0;
    int e = errno;
    ok = close(bfd) == 0 && ok && rename(tmp, bak) == 0;
    if (!ok) {
        e = errno ? errno : e;
        unlink(tmp);
        errno = e;
        return false;
    }
    mbox_sync_dir(path);
    return true;
}

/* The offset a backup's first line gives, or -1 when it is not one. */
static long long mbox_backup_offset(int bfd, size_t *hlen)
{
    char head[32];
    ssize_t r = pread(bfd, head, sizeof head - 1, 0);
    if (r <= 0)
        return -1;
    head[r] = '\0';
    char *nl = strchr(head, '\n');
    if (!nl || nl == head || strspn(head, "0123456789") != (size_t)(nl - head))
        return -1;
    *hlen = (size_t)(nl + 1 - head);
    errno = 0;
    long long off = strtoll(head, NULL, 10);
    return errno ? -1 : off;
}

/* Puts the backup's bytes back at their offset; the file ends where it
 * ended before the rewrite. Runs under the locks. */
static int mbox_restore(source *s, int fd, const char *bak, int bfd)
{
    struct stat bst, st;
    size_t hlen = 0;
    long long off = mbox_backup_offset(bfd, &hlen);
    if (off < 0 || fstat(bfd, &bst) != 0 || fstat(fd, &st) != 0 || (uint64_t)off > (uint64_t)st.st_size)
        return source_fail(s, _("cannot restore %s from %s: %s"), source_path(s), bak,
                           _("not a backup of this file (left as it is)"));
    char *buf = malloc(MBOX_COPY_CHUNK);
    uint64_t n = (uint64_t)bst.st_size - hlen, done = 0;
    bool ok = buf && mbox_copy(bfd, hlen, fd, (uint64_t)off, n, buf, &done) && done == n &&
              ftruncate(fd, (off_t)((uint64_t)off + n)) == 0 && fsync(fd) == 0;
    int e = buf ? errno : ENOMEM;
    free(buf);
    if (!ok)
        return source_fail(s, _("cannot restore %s from %s: %s"), source_path(s), bak, strerror(e));
    unlink(bak);
    mbox_sync_dir(source_path(s));
    return 0;
}

/* An interrupted rewrite is rolled back (1), or there is none (0); -1 when
 * it cannot be. A backup still being written (".tmp") is dropped: the
 * rewrite had not started. Runs under the locks. */
static int mbox_recover(source *s, int fd)
{
    char bak[PATH_MAX], tmp[PATH_MAX];
    mbox_backup_path(source_path(s), ".tmp", tmp, sizeof tmp);
    unlink(tmp);
    mbox_backup_path(source_path(s), "", bak, sizeof bak);
    int bfd = open(bak, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (bfd < 0)
        return errno == ENOENT ? 0 : source_fail(s, "%s: %s", bak, strerror(errno));
    int rc = mbox_restore(s, fd, bak, bfd);
    close(bfd);
    return rc == 0 ? 1 : -1;
}

/* Before reading: when a rewrite was interrupted (its backup is there), the
 * mbox is restored under the locks, and the source's warning says so; a
 * backup left half written is removed, and so is a stale dotlock (a purge
 * killed after its rewrite leaves one, and an MDA would wait on it). */
static int mbox_recover_if_left(source *s)
{
    char bak[PATH_MAX], tmp[PATH_MAX], dotlock[PATH_MAX];
    struct stat st;
    mbox_backup_path(source_path(s), "", bak, sizeof bak);
    mbox_backup_path(source_path(s), ".tmp", tmp, sizeof tmp);
    snprintf(dotlock, sizeof dotlock, "%s.lock", source_path(s));
    bool left = lstat(bak, &st) == 0 || lstat(tmp, &st) == 0;
    if (!left && !mbox_dotlock_stale(dotlock))
        return 0;   /* the usual case: no lock taken */
    int fd = open(source_path(s), O_RDWR | O_CLOEXEC);
    if (fd < 0)   /* a stale dotlock alone is not worth failing for */
        return left ? source_fail(s, _("cannot restore %s from %s: %s"), source_path(s), bak, strerror(errno)) : 0;
    int rc = mbox_lock(s, fd, dotlock, sizeof dotlock);   /* takes a stale dotlock over */
    if (rc == 0) {
        rc = mbox_recover(s, fd);   /* a purge running meanwhile has removed it: 0 */
        unlink(dotlock);
    }
    close(fd);
    if (rc == 1)
        source_warn(s, _("%s: a purge was interrupted while rewriting it: restored from %s"), source_path(s), bak);
    return rc < 0 && left ? -1 : 0;
}

/* ---- the source operations ---- */

/* Does the file start with a "From " line? A file that does not (an .eml, a
 * text file named by mistake) is read as one message, and never rewritten:
 * deleting that message would empty a file that is no mailbox. */
static bool mbox_starts_with_from(int fd)
{
    char head[5];
    return pread(fd, head, sizeof head, 0) == (ssize_t)sizeof head && !memcmp(head, "From ", 5);
}

static int mbox_list(source *s, source_item **items, size_t *n)
{
    int fd;
    size_t count, cap = 0;
    mbox_msg *m;
    struct stat st;
    if (mbox_recover_if_left(s) != 0 || mbox_load(s, &fd, &st, &m, &count, false) != 0)
        return -1;
    s->cannot_delete = count == 1 && !mbox_starts_with_from(fd) ? N_("not an mbox") : NULL;
    if (s->cannot_delete)
        source_warn(s, _("%s does not start with a \"From \" line: read as one message, which rebote will not delete"),
                    source_path(s));
    close(fd);
    int rc = 0;
    for (size_t i = 0; i < count && rc == 0; i++)
        if (source_add_item(items, n, &cap, (uint32_t)(i + 1), m[i].key) != 0)
            rc = source_fail(s, "%s", _("out of memory"));
    if (rc == 0)
        mbox_seen_keep(s, &st, m, count);
    else
        free(m);
    return rc;
}

/* The message of that key, from the listing sorted by key; NULL: gone. */
static const mbox_msg *mbox_find(mbox_msg **by, size_t count, const char *key)
{
    mbox_msg probe = {0}, *pp = &probe, **hit;
    snprintf(probe.key, sizeof probe.key, "%s", key);
    hit = count ? bsearch(&pp, by, count, sizeof *by, cmp_msg_key_only) : NULL;
    return hit ? *hit : NULL;
}

/* Reads each asked-for message by its offset (up to the fetch cap) and
 * passes its unquoted body (the "From " line dropped) to cb. */
static int mbox_fetch(source *s, const source_item *items, size_t n, source_fetch_cb cb,
                      source_progress_cb progress, void *ctx)
{
    int fd;
    size_t count;
    mbox_msg *m;
    struct stat st;
    if (mbox_load(s, &fd, &st, &m, &count, true) != 0)
        return -1;
    mbox_msg **by = malloc((count ? count : 1) * sizeof *by);
    for (size_t j = 0; by && j < count; j++)
        by[j] = &m[j];
    if (by && count)
        qsort(by, count, sizeof *by, cmp_msg_key);
    int rc = by ? 0 : source_fail(s, "%s", _("out of memory"));
    for (size_t i = 0; i < n && rc == 0; i++) {
        const mbox_msg *hit = mbox_find(by, count, items[i].key);
        if (hit) {
            mbox_span sp = {hit->start, hit->end, 0};
            size_t len;
            char *msg = mboxscan_read(fd, &sp, s->opt.fetch_cap, &len);
            rc = msg ? cb(&items[i], msg, len, ctx) : source_fail(s, "%s: %s", source_path(s), strerror(errno));
            free(msg);
        }
        if (progress)
            progress(i + 1, n, ctx);
    }
    free(by);
    free(m);
    close(fd);
    return rc;
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

/* Moves the kept messages from m[first] on forward over the deleted ones;
 * *out: where the file now ends. */
static bool mbox_compact(int fd, const mbox_msg *m, size_t first, size_t count, const char **keys, size_t n,
                         char *buf, uint64_t *out, size_t *gone)
{
    *out = m[first].start;
    *gone = 0;
    for (size_t i = first; i < count; i++) {
        uint64_t len = m[i].end - m[i].start, done;
        if (mbox_doomed(&m[i], keys, n)) {
            ++*gone;
            continue;
        }
        if (*out != m[i].start && (!mbox_copy(fd, m[i].start, fd, *out, len, buf, &done) || done != len))
            return false;
        *out += len;
    }
    return true;
}

/* Rewrites the mbox in place (same inode, owner and mode): the bytes from the
 * first deleted message on are saved to the backup first, then the kept ones
 * are moved forward, the file truncated and synced, the backup removed. */
static int mbox_rewrite(source *s, int fd, uint64_t size, const mbox_msg *m, size_t count,
                        const source_item *items, size_t n, size_t *removed)
{
    const char *path = source_path(s);
    const char **keys = malloc((n ? n : 1) * sizeof *keys);
    char *buf = malloc(MBOX_COPY_CHUNK);
    if (!keys || !buf) {
        free(keys);
        free(buf);
        return source_fail(s, "%s", _("out of memory"));
    }
    for (size_t i = 0; i < n; i++)
        keys[i] = items[i].key;
    if (n)
        qsort(keys, n, sizeof *keys, cmp_cstr);
    size_t first = 0, gone = 0;
    while (first < count && !mbox_doomed(&m[first], keys, n))
        first++;
    int rc = 0;
    *removed = 0;
    if (first < count && !mbox_write_backup(path, fd, m[first].start, size, buf))
        rc = source_fail(s, _("cannot rewrite %s: %s"), path, strerror(errno));
    else if (first < count) {
        uint64_t out;
        bool ok = mbox_compact(fd, m, first, count, keys, n, buf, &out, &gone) && ftruncate(fd, (off_t)out) == 0 &&
                  fsync(fd) == 0;
        int e = errno;
        char bak[PATH_MAX];
        mbox_backup_path(path, "", bak, sizeof bak);
        if (!ok) {
            mbox_recover(s, fd);
            rc = source_fail(s, _("cannot rewrite %s: %s"), path, strerror(e));
        } else {
            unlink(bak);
            mbox_sync_dir(path);
            *removed = gone;
        }
    }
    free(keys);
    free(buf);
    return rc;
}

static int mbox_remove(source *s, const source_item *items, size_t n, uint32_t uv, size_t *removed)
{
    (void)uv;
    mbox_seen_drop(s);   /* the file is read again under the lock */
    const char *path = source_path(s);
    char dotlock[PATH_MAX];
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return source_fail(s, "%s: %s", path, strerror(errno));
    if (mbox_lock(s, fd, dotlock, sizeof dotlock) != 0) {
        close(fd);
        return -1;
    }
    size_t count;
    mbox_msg *m;
    struct stat st;
    int rc = mbox_recover(s, fd) < 0 ? -1 : 0;
    if (rc == 0 && !mbox_starts_with_from(fd))
        rc = source_fail(s, _("%s is not an mbox (it does not start with a \"From \" line): rebote deletes only from mbox files and Maildirs"),
                         path);
    if (rc == 0 && fstat(fd, &st) != 0)
        rc = source_fail(s, "%s: %s", path, strerror(errno));
    if (rc == 0)
        rc = mbox_scan(s, fd, (uint64_t)st.st_size, &m, &count);   /* read again under the lock */
    if (rc == 0) {
        rc = mbox_rewrite(s, fd, (uint64_t)st.st_size, m, count, items, n, removed);
        free(m);
    }
    unlink(dotlock);
    close(fd);   /* releases the fcntl lock */
    return rc;
}

static void mbox_close(source *s)
{
    mbox_seen_drop(s);
    source_close_local(s);
}

static const source_ops mbox_ops = {mbox_list, mbox_fetch, mbox_remove, mbox_close};

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
    source *s = source_new_local(&mbox_ops, "mbox", real, opt, err, errlen);
    int fd = s ? open(real, O_RDONLY | O_CLOEXEC) : -1;
    struct stat st;
    if (fd >= 0 && fstat(fd, &st) == 0 && st.st_size > 0 && !mbox_starts_with_from(fd))
        s->cannot_delete = N_("not an mbox");   /* known before the listing: the screen opens read-only */
    if (fd >= 0)
        close(fd);
    return s;
}
