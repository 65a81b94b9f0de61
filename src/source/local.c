/* Local sources for `parse`: single files, mbox files and Maildir folders. */
#include <config.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "rebote/local.h"

#define LOCAL_MAX_FILE (512L * 1024 * 1024)

char *local_read_file(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > LOCAL_MAX_FILE) {
        int e = S_ISDIR(st.st_mode) ? EISDIR : (st.st_size > LOCAL_MAX_FILE ? EFBIG : errno);
        close(fd);
        errno = e;
        return NULL;
    }
    size_t size = (size_t)st.st_size, got = 0;
    char *buf = malloc(size + 1);
    while (buf && got < size) {
        ssize_t r = read(fd, buf + got, size - got);
        if (r <= 0) {
            int e = r < 0 ? errno : EIO;
            free(buf);
            close(fd);
            errno = e;
            return NULL;
        }
        got += (size_t)r;
    }
    close(fd);
    if (!buf) {
        errno = ENOMEM;
        return NULL;
    }
    buf[got] = '\0';
    *len = got;
    return buf;
}

static bool is_from_line(const char *p, const char *end)
{
    return end - p > 5 && memcmp(p, "From ", 5) == 0;
}

/* Copies one mbox message, undoing ">From " quoting (mboxrd, and mboxo's). */
static char *mbox_unquote(const char *s, size_t n, size_t *outlen)
{
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    bool bol = true;
    for (size_t i = 0; i < n; i++) {
        if (bol && s[i] == '>') {
            size_t j = i;
            while (j < n && s[j] == '>')
                j++;
            if (n - j >= 5 && memcmp(s + j, "From ", 5) == 0)
                i++;   /* drop one '>' */
        }
        out[o++] = s[i];
        bol = s[i] == '\n';
    }
    *outlen = o;
    return out;
}

/* A file with CR-only line ends (old Mac) gets LF ends before splitting. */
static char *local_cr_to_lf(const char *buf, size_t len)
{
    const char *cr = memchr(buf, '\r', len);
    if (!cr || (cr + 1 < buf + len && cr[1] == '\n') || memchr(buf, '\n', len))
        return NULL;
    char *copy = malloc(len + 1);
    if (!copy)
        return NULL;
    for (size_t i = 0; i < len; i++)
        copy[i] = buf[i] == '\r' ? '\n' : buf[i];
    copy[len] = '\0';
    return copy;
}

int local_each_in_buffer(const char *path, const char *buf, size_t len,
                         local_message_cb cb, void *ctx)
{
    const char *end = buf + len;
    if (!is_from_line(buf, end))
        return cb(path, 1, buf, len, ctx);
    char *lf = local_cr_to_lf(buf, len);
    if (lf) {
        int rc = local_each_in_buffer(path, lf, len, cb, ctx);
        free(lf);
        return rc;
    }
    size_t index = 0;
    const char *p = buf;
    while (p < end) {
        const char *body = memchr(p, '\n', (size_t)(end - p));
        body = body ? body + 1 : end;
        const char *next = body;
        for (;;) {
            const char *nl = memchr(next, '\n', (size_t)(end - next));
            if (!nl) { next = end; break; }
            if (is_from_line(nl + 1, end)) { next = nl + 1; break; }
            next = nl + 1;
        }
        size_t n;
        char *msg = mbox_unquote(body, (size_t)(next - body), &n);
        if (!msg)
            return -1;
        int rc = cb(path, ++index, msg, n, ctx);
        free(msg);
        if (rc)
            return rc;
        p = next;
    }
    return 0;
}

static int local_each_file(const char *path, local_message_cb cb, void *ctx)
{
    size_t len;
    char *buf = local_read_file(path, &len);
    if (!buf)
        return -1;
    int rc = local_each_in_buffer(path, buf, len, cb, ctx);
    free(buf);
    return rc;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file of one folder, in name order. */
static int local_each_in_dir(const char *dir, local_message_cb cb, void *ctx)
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
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (rc == 0 && stat(path, &st) == 0 && S_ISREG(st.st_mode) && local_each_file(path, cb, ctx) > 0)
            rc = 1;
        free(names[i]);
    }
    free(names);
    return rc;
}

int local_each_message(const char *path, local_message_cb cb, void *ctx)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return -1;
    if (!S_ISDIR(st.st_mode))
        return local_each_file(path, cb, ctx);
    char sub[4096];
    snprintf(sub, sizeof sub, "%s/cur", path);
    struct stat cs;
    if (stat(sub, &cs) == 0 && S_ISDIR(cs.st_mode)) {
        int rc = local_each_in_dir(sub, cb, ctx);
        snprintf(sub, sizeof sub, "%s/new", path);
        if (rc == 0 && stat(sub, &cs) == 0)
            rc = local_each_in_dir(sub, cb, ctx);
        return rc;
    }
    return local_each_in_dir(path, cb, ctx);
}
