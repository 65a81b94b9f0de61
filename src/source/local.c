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

int local_open(const char *path, struct stat *st)
{
    int e;
    if (stat(path, st) != 0)   /* a FIFO or a device is refused before any open */
        return -1;
    if ((e = local_kind_error(st->st_mode)) != 0) {
        errno = e;
        return -1;
    }
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);   /* it may have changed meanwhile */
    if (fd < 0)
        return -1;
    int fl = fcntl(fd, F_GETFL);
    if (fstat(fd, st) != 0 || fl < 0)
        e = errno;
    else if ((e = local_kind_error(st->st_mode)) == 0 && fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0)
        e = errno;
    if (e) {
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
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

static int local_each_file(const char *path, local_message_cb cb, void *ctx)
{
    size_t len;
    char *buf = local_read_message(path, ANALYSIS_MAX_BYTES, &len);
    if (buf && len > 5 && memcmp(buf, "From ", 5) == 0) {   /* an mbox: read it whole */
        free(buf);
        buf = local_read_file(path, &len);
    }
    if (!buf)
        return -1;
    int rc = local_each_in_buffer(path, buf, len, cb, ctx);
    free(buf);
    return rc;
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
static int local_each_listed(const char *path, local_message_cb cb, void *ctx, local_skips *sk, int depth)
{
    struct stat st;
    if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        if (depth >= LOCAL_TREE_DEPTH)
            return 0;
        int rc = local_each_tree(path, cb, ctx, sk, depth + 1);
        if (rc < 0 && errno != ENOENT)
            local_skip(sk, path, errno);
        return rc > 0 ? rc : 0;
    }
    int rc = local_each_file(path, cb, ctx);
    if (rc < 0 && errno != EISDIR && errno != ENOENT)   /* a link to a folder, or gone meanwhile */
        local_skip(sk, path, errno);
    return rc > 0 ? rc : 0;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every file of one folder and its sub-folders, in name order. */
static int local_each_in_dir(const char *dir, local_message_cb cb, void *ctx, local_skips *sk, int depth)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **v = realloc(names, cap * sizeof *v);
            if (!v)
                break;
            names = v;
        }
        if ((names[n] = strdup(e->d_name)) != NULL)
            n++;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp_names);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (rc == 0)
            rc = local_each_listed(path, cb, ctx, sk, depth);
        free(names[i]);
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
