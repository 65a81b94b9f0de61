/* Maildir source: cur/ and new/; a message's key is its file name up to the
 * ':' of the flags, stable when the flags change. Delete unlinks exactly the
 * listed files, or moves them into a trash Maildir. */
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
#include "source_impl.h"


static const char *const maildir_subs[] = {"cur", "new"};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every file name of DIR/sub, sorted. Returns -1 (errno set) when the
 * folder cannot be read: a Maildir that moved away must not look empty. */
static int maildir_names(const char *dir, const char *sub, char ***out, size_t *count)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, sub);
    DIR *d = opendir(path);
    *out = NULL;
    *count = 0;
    if (!d)
        return -1;
    char **v = NULL;
    size_t cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (*count + 1 >= cap) {
            cap = cap ? cap * 2 : 256;
            char **nv = realloc(v, cap * sizeof *nv);
            if (!nv)
                break;
            v = nv;
        }
        if ((v[*count] = strdup(e->d_name)) != NULL)
            (*count)++;
    }
    closedir(d);
    if (*count)
        qsort(v, *count, sizeof *v, cmp_str);
    *out = v;
    return 0;
}

static void maildir_key(const char *name, char *key, size_t len)
{
    size_t n = strcspn(name, ":");
    if (n >= len)
        n = len - 1;
    memcpy(key, name, n);
    key[n] = '\0';
}

/* Calls fn(key, path) for each message of cur/ then new/, in name order.
 * Returns -1 with the source's error when a folder cannot be read or fn fails. */
static int maildir_walk(source *s, int (*fn)(const char *key, const char *path, void *ctx), void *ctx)
{
    const char *root = source_path(s);
    int rc = 0;
    for (size_t d = 0; d < 2 && rc == 0; d++) {
        char **names;
        size_t count;
        if (maildir_names(root, maildir_subs[d], &names, &count) != 0) {
            if (d == 1 && errno == ENOENT)   /* no new/ at all: nothing new */
                continue;
            return source_fail(s, _("cannot read %s/%s: %s"), root, maildir_subs[d], strerror(errno));
        }
        for (size_t i = 0; i < count; i++) {
            char key[NAME_MAX + 1], path[PATH_MAX];
            maildir_key(names[i], key, sizeof key);
            snprintf(path, sizeof path, "%s/%s/%s", root, maildir_subs[d], names[i]);
            if (rc == 0 && fn(key, path, ctx) != 0)
                rc = source_fail(s, "%s", _("out of memory"));
            free(names[i]);
        }
        free(names);
    }
    return rc;
}

typedef struct {
    source_item **items;
    size_t *n, cap;
    uint32_t uid;
} maildir_list_ctx;

static int maildir_list_one(const char *key, const char *path, void *vctx)
{
    maildir_list_ctx *c = vctx;
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return 0;
    return source_add_item(c->items, c->n, &c->cap, ++c->uid, key);
}

static int maildir_list(source *s, source_item **items, size_t *n)
{
    maildir_list_ctx c = {.items = items, .n = n};
    return maildir_walk(s, maildir_list_one, &c);
}

/* Key -> file, for every message of the Maildir, sorted by key. */
typedef struct {
    char *key;
    char *path;
} maildir_entry;

typedef struct {
    maildir_entry *v;
    size_t n;
} maildir_index;

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const maildir_entry *)a)->key, ((const maildir_entry *)b)->key);
}

static void maildir_index_free(maildir_index *ix)
{
    for (size_t i = 0; i < ix->n; i++) {
        free(ix->v[i].key);
        free(ix->v[i].path);
    }
    free(ix->v);
}

typedef struct {
    maildir_index *ix;
    size_t cap;
} maildir_index_ctx;

static int maildir_index_one(const char *key, const char *path, void *vctx)
{
    maildir_index_ctx *c = vctx;
    maildir_index *ix = c->ix;
    if (ix->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 256;
        maildir_entry *v = realloc(ix->v, cap * sizeof *v);
        if (!v)
            return -1;
        ix->v = v;
        c->cap = cap;
    }
    ix->v[ix->n].key = strdup(key);
    ix->v[ix->n].path = strdup(path);
    if (!ix->v[ix->n].key || !ix->v[ix->n].path) {
        free(ix->v[ix->n].key);
        free(ix->v[ix->n].path);
        return -1;
    }
    ix->n++;
    return 0;
}

/* The index of the Maildir as it is now; -1 with the source's error. */
static int maildir_index_build(source *s, maildir_index *ix)
{
    maildir_index_ctx c = {.ix = ix};
    ix->v = NULL;
    ix->n = 0;
    if (maildir_walk(s, maildir_index_one, &c) != 0) {
        maildir_index_free(ix);
        return -1;
    }
    if (ix->n)
        qsort(ix->v, ix->n, sizeof *ix->v, cmp_entry);
    return 0;
}

static const char *maildir_lookup(const maildir_index *ix, const char *key)
{
    maildir_entry probe = {.key = (char *)key};
    const maildir_entry *e = ix->n ? bsearch(&probe, ix->v, ix->n, sizeof *ix->v, cmp_entry) : NULL;
    return e ? e->path : NULL;
}

/* Reads at most cap bytes of a file (cap 0: all). */
static char *maildir_read(const char *path, size_t cap, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        close(fd);
        return NULL;
    }
    size_t want = (size_t)st.st_size;
    if (cap && want > cap)
        want = cap;
    char *buf = malloc(want + 1);
    size_t got = 0;
    while (buf && got < want) {
        ssize_t r = read(fd, buf + got, want - got);
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    if (buf)
        buf[got] = '\0';
    *len = got;
    return buf;
}

static int maildir_fetch(source *s, const source_item *items, size_t n, source_fetch_cb cb,
                         source_progress_cb progress, void *ctx)
{
    maildir_index ix;
    if (maildir_index_build(s, &ix) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const char *path = maildir_lookup(&ix, items[i].key);
        size_t len;
        if (!path)
            continue;   /* gone meanwhile (another client): nothing to analyse */
        char *buf = maildir_read(path, s->opt.fetch_cap, &len);
        if (!buf) {
            rc = source_fail(s, "%s: %s", path, strerror(errno));
            break;
        }
        rc = cb(&items[i], buf, len, ctx);
        free(buf);
        if (progress)
            progress(i + 1, n, ctx);
    }
    maildir_index_free(&ix);
    return rc;
}

/* Moves a message file into the trash Maildir's cur/ under the same name. */
static int maildir_to_trash(source *s, const char *path)
{
    char dest[PATH_MAX];
    const char *base = strrchr(path, '/');
    snprintf(dest, sizeof dest, "%s/cur/%s", s->opt.trash, base ? base + 1 : path);
    if (rename(path, dest) != 0)
        return source_fail(s, _("cannot move %s to %s: %s"), path, dest, strerror(errno));
    return 0;
}

static int maildir_remove(source *s, const source_item *items, size_t n, uint32_t uv, size_t *removed)
{
    (void)uv;
    maildir_index ix;
    if (maildir_index_build(s, &ix) != 0)   /* e.g. the Maildir moved away since the load */
        return -1;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const char *path = maildir_lookup(&ix, items[i].key);
        if (!path)
            continue;   /* already gone */
        if (s->opt.trash)
            rc = maildir_to_trash(s, path);
        else if (unlink(path) != 0 && errno != ENOENT)
            rc = source_fail(s, _("cannot delete %s: %s"), path, strerror(errno));
        if (rc == 0)
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
