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
