/* Local sources for `parse`: single files, mbox files and Maildir folders. */
#include <config.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "rebote/analysis.h"
#include "rebote/local.h"
#include "rebote/util.h"
#include "source_impl.h"

#define LOCAL_MAX_FILE (512L * 1024 * 1024)

/* What is neither a regular file nor a directory, and the reason it is
 * refused: its errno is LOCAL_ENOTREG plus its row. */
static const struct {
    mode_t type;
    const char *why;
} local_kinds[] = {
    {S_IFIFO, N_("a FIFO, not a regular file")},
    {S_IFCHR, N_("a character device, not a regular file")},
    {S_IFBLK, N_("a block device, not a regular file")},
    {S_IFSOCK, N_("a socket, not a regular file")},
    {0, N_("not a regular file")},   /* any other type */
};
#define LOCAL_KINDS (sizeof local_kinds / sizeof *local_kinds)

/* 0 for a regular file, EISDIR, or LOCAL_ENOTREG + the kind's row. */
static int local_kind_error(mode_t mode)
{
    if (S_ISREG(mode))
        return 0;
    if (S_ISDIR(mode))
        return EISDIR;
    size_t i = 0;
    while (i + 1 < LOCAL_KINDS && local_kinds[i].type != (mode & S_IFMT))
        i++;
    return LOCAL_ENOTREG + (int)i;
}

const char *local_strerror(int err)
{
    if (err >= LOCAL_ENOTREG && err < LOCAL_ENOTREG + (int)LOCAL_KINDS)
        return _(local_kinds[err - LOCAL_ENOTREG].why);
    return strerror(err);
}

/* local_open; regular: the folder's listing said the entry is a regular
 * file, so it is opened without the stat before (the fstat after the open
 * checks it again, as it checks any file). The descriptor keeps O_NONBLOCK,
 * which a regular file ignores (two fcntl calls a message saved). */
static int local_open_as(const char *path, struct stat *st, bool regular)
{
    int e;
    if (!regular && stat(path, st) != 0)   /* a FIFO or a device is refused before any open */
        return -1;
    if (!regular && (e = local_kind_error(st->st_mode)) != 0) {
        errno = e;
        return -1;
    }
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);   /* it may have changed meanwhile */
    if (fd < 0)
        return -1;
    if (fstat(fd, st) != 0)
        e = errno;
    else
        e = local_kind_error(st->st_mode);
    if (e) {
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

int local_open(const char *path, struct stat *st)
{
    return local_open_as(path, st, false);
}

/* Reads up to want bytes of fd into a new buffer, NUL-terminated. */
static char *local_read_fd(int fd, size_t want, size_t *len)
{
    char *buf = malloc(want + 1);
    if (!buf) {
        errno = ENOMEM;
        return NULL;
    }
    size_t got = 0;
    while (got < want) {
        ssize_t r = read(fd, buf + got, want - got);
        if (r == 0)
            break;   /* shorter than it was: what is there */
        if (r < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            free(buf);
            errno = e;
            return NULL;
        }
        got += (size_t)r;
    }
    buf[got] = '\0';
    *len = got;
    return buf;
}

char *local_read_message(const char *path, size_t cap, size_t *len)
{
    struct stat st;
    int fd = local_open(path, &st);
    if (fd < 0)
        return NULL;
    size_t want = (size_t)st.st_size;
    if (cap && want > cap)
        want = cap;
    char *buf = NULL;
    if (!cap && st.st_size > LOCAL_MAX_FILE)
        errno = EFBIG;
    else
        buf = local_read_fd(fd, want, len);
    int e = errno;
    close(fd);
    errno = e;
    return buf;
}

char *local_read_file(const char *path, size_t *len)
{
    return local_read_message(path, 0, len);
}

/* Passes each message of an mbox to cb, read by its offset up to the
 * analysis cap: the file is split by chunks, never read whole. */
typedef struct {
    const char *path;
    int fd;
    size_t index;
    local_message_cb cb;
    void *ctx;
} local_mbox_pass;

static int local_mbox_one(const mbox_span *m, void *vctx)
{
    local_mbox_pass *p = vctx;
    size_t len;
    char *msg = mboxscan_read(p->fd, m, ANALYSIS_MAX_BYTES, &len);
    if (!msg)
        return -1;
    int rc = p->cb(p->path, ++p->index, msg, len, p->ctx);
    free(msg);
    return rc;
}

/* One file: an mbox (it starts with "From "), or one message read up to
 * the analysis cap. The message is read first and its first bytes tell
 * (no read of the head alone); an mbox is then split by offsets. regular:
 * as local_open_as. */
static int local_each_file_as(const char *path, local_message_cb cb, void *ctx, bool regular)
{
    struct stat st;
    int fd = local_open_as(path, &st, regular);
    if (fd < 0)
        return -1;
    size_t len, want = (size_t)st.st_size < ANALYSIS_MAX_BYTES ? (size_t)st.st_size : ANALYSIS_MAX_BYTES;
    char *buf = local_read_fd(fd, want, &len);
    int rc;
    if (buf && len >= 6 && memcmp(buf, "From ", 5) == 0) {
        free(buf);
        local_mbox_pass p = {path, fd, 0, cb, ctx};
        rc = mboxscan_fd(fd, (uint64_t)st.st_size, local_mbox_one, &p);
    } else {
        rc = buf ? cb(path, 1, buf, len, ctx) : -1;
        free(buf);
    }
    int e = errno;
    close(fd);
    errno = e;
    return rc;
}

static int local_each_file(const char *path, local_message_cb cb, void *ctx)
{
    return local_each_file_as(path, cb, ctx, false);
}

static void local_skip(local_skips *sk, const char *path, int err)
{
    if (sk && sk->count++ == 0)
        snprintf(sk->first, sizeof sk->first, "%s: %s", path, local_strerror(err));
}

/* How deep local_each_in_dir descends into sub-folders (a tree of .eml
 * files, a folder of Maildirs); symbolic links to folders are not followed. */
enum { LOCAL_TREE_DEPTH = 8 };

static int local_each_tree(const char *path, local_message_cb cb, void *ctx, local_skips *sk, int depth);

/* One entry of a folder: a file is read, a sub-folder descended into (a
 * Maildir as a Maildir), what cannot be read counted as skipped; >0 when cb
 * stops. */
static int local_each_listed(const char *path, unsigned char type, local_message_cb cb, void *ctx, local_skips *sk,
                             int depth)
{
    struct stat st;
    /* a symbolic link is no folder to descend into (a link to one gives EISDIR below) */
    bool dir = type == DT_DIR ||
               (type != DT_REG && type != DT_LNK && lstat(path, &st) == 0 && S_ISDIR(st.st_mode));
    if (dir) {
        if (depth >= LOCAL_TREE_DEPTH)
            return 0;
        int rc = local_each_tree(path, cb, ctx, sk, depth + 1);
        if (rc < 0 && errno != ENOENT)
            local_skip(sk, path, errno);
        return rc > 0 ? rc : 0;
    }
    int rc = local_each_file_as(path, cb, ctx, type == DT_REG);
    if (rc < 0 && errno != EISDIR && errno != ENOENT)   /* a link to a folder, or gone meanwhile */
        local_skip(sk, path, errno);
    return rc > 0 ? rc : 0;
}

/* An entry of a folder: its name and the type the listing gives (DT_REG,
 * DT_DIR, DT_LNK: no lstat needed; DT_UNKNOWN and the rest: looked at). */
typedef struct {
    char *name;
    unsigned char type;
} local_entry;

static int cmp_names(const void *a, const void *b)
{
    return strcmp(((const local_entry *)a)->name, ((const local_entry *)b)->name);
}

/* Every file of one folder and its sub-folders, in name order. */
static int local_each_in_dir(const char *dir, local_message_cb cb, void *ctx, local_skips *sk, int depth)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    local_entry *names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            local_entry *v = realloc(names, cap * sizeof *v);
            if (!v)
                break;
            names = v;
        }
        if ((names[n].name = strdup(e->d_name)) != NULL)
            names[n++].type = e->d_type;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp_names);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i].name);
        if (rc == 0)
            rc = local_each_listed(path, names[i].type, cb, ctx, sk, depth);
        free(names[i].name);
    }
    free(names);
    return rc;
}

/* Reading one Maildir file where it is now (a maildir_op). */
typedef struct {
    local_message_cb cb;
    void *ctx;
    int rc, err;
    char path[4096];
} local_md_read;

static int local_md_op(const char *path, void *vctx)
{
    local_md_read *r = vctx;
    snprintf(r->path, sizeof r->path, "%s", path);
    r->rc = local_each_file(path, r->cb, r->ctx);
    r->err = errno;
    return r->rc >= 0 ? 0 : r->err == ENOENT ? 1 : -1;
}

/* A Maildir: cur/ then new/, each message once, followed when it moves. */
static int local_each_maildir(const char *root, local_message_cb cb, void *ctx, local_skips *sk)
{
    maildir_listing l;
    if (maildir_scan(root, &l) != 0)
        return -1;
    maildir_index ix = {0};   /* built when a file has moved */
    int rc = 0;
    for (size_t i = 0; i < l.n && rc == 0; i++) {
        local_md_read r = {.cb = cb, .ctx = ctx};
        char path[4096];
        maildir_listing_path(root, &l, i, path, sizeof path);
        int got = maildir_follow(root, &ix, path, local_md_op, &r);
        if (got == -2)
            rc = -1;   /* the Maildir cannot be read any more */
        else if (got < 0)
            local_skip(sk, r.path, r.err);
        else
            rc = r.rc > 0 ? r.rc : 0;
    }
    maildir_index_free(&ix);
    if (sk && l.dups && (sk->count += l.dups) == l.dups)
        snprintf(sk->first, sizeof sk->first, _("%s: two files of one folder have the same unique name (before ':')"),
                 root);
    maildir_listing_free(&l);
    return rc;
}

static int local_each_tree(const char *path, local_message_cb cb, void *ctx, local_skips *skips, int depth)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return -1;
    if (!S_ISDIR(st.st_mode))
        return local_each_file(path, cb, ctx);
    char sub[4096];
    snprintf(sub, sizeof sub, "%s/cur", path);
    if (stat(sub, &st) == 0 && S_ISDIR(st.st_mode))
        return local_each_maildir(path, cb, ctx, skips);
    return local_each_in_dir(path, cb, ctx, skips, depth);
}

int local_each_message_skips(const char *path, local_message_cb cb, void *ctx, local_skips *skips)
{
    return local_each_tree(path, cb, ctx, skips, 0);
}

int local_each_message(const char *path, local_message_cb cb, void *ctx)
{
    return local_each_message_skips(path, cb, ctx, NULL);
}
