/* The source vtable: dispatch on the kind of SOURCE given by the user. */
#include <config.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "rebote/local.h"
#include "source_impl.h"

int source_fail(source *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->err, sizeof s->err, fmt, ap);
    va_end(ap);
    return -1;
}

void source_skip(source *s, const char *fmt, ...)
{
    if (s->skipped++ == 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(s->skip_first, sizeof s->skip_first, fmt, ap);
        va_end(ap);
    }
}

void source_warn(source *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->warning, sizeof s->warning, fmt, ap);
    va_end(ap);
}

source *source_new(const source_ops *ops, const char *id, const source_options *opt)
{
    source *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->ops = ops;
    s->id = strdup(id);
    s->uidvalidity = 1;
    if (opt)
        s->opt = *opt;
    if (!s->id) {
        free(s);
        return NULL;
    }
    return s;
}

source *source_new_local(const source_ops *ops, const char *kind, const char *real, const source_options *opt,
                         char *err, size_t errlen)
{
    char id[PATH_MAX + 16];
    snprintf(id, sizeof id, "%s:%s", kind, real);
    source *s = source_new(ops, id, opt);
    if (!s || !(s->priv = strdup(real))) {
        source_close(s);
        snprintf(err, errlen, "%s", _("out of memory"));
        return NULL;
    }
    return s;
}

void source_close_local(source *s)
{
    free(s->priv);
}

int source_add_item(source_item **items, size_t *n, size_t *cap, uint32_t uid, const char *key)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 256;
        source_item *v = realloc(*items, c * sizeof *v);
        if (!v)
            return -1;
        *items = v;
        *cap = c;
    }
    char *k = strdup(key);
    if (!k)
        return -1;
    (*items)[(*n)++] = (source_item){.uid = uid, .key = k};
    return 0;
}

source *source_open(const char *spec, const source_options *opt, char *err, size_t errlen)
{
    if (!strncmp(spec, "imap://", 7) || !strncmp(spec, "imaps://", 8))
        return imap_open(spec, opt, err, errlen);
    struct stat st;
    int fd = local_open(spec, &st);   /* a FIFO or a device is refused, not opened */
    if (fd >= 0) {
        close(fd);
        return mbox_open(spec, opt, err, errlen);
    }
    if (errno == EISDIR)
        return maildir_open(spec, opt, err, errlen);
    snprintf(err, errlen, "%s: %s", spec, local_strerror(errno));
    return NULL;
}

const char *source_id(const source *s) { return s->id; }
uint32_t source_uidvalidity(const source *s) { return s->uidvalidity; }
bool source_is_imap(const source *s) { return s->imap; }
const char *source_trash(const source *s) { return s->opt.trash && s->opt.trash[0] ? s->opt.trash : NULL; }
const char *source_error(const source *s) { return s->err; }
size_t source_skipped(const source *s) { return s->skipped; }
const char *source_skip_reason(const source *s) { return s->skip_first; }
const char *source_warning(const source *s) { return s->warning; }

bool source_can_delete(const source *s, const char **why)
{
    const char *no = s->imap ? imap_cannot_delete(s) : s->cannot_delete;   /* a text file read as an mbox cannot */
    if (why)
        *why = no ? _(no) : "";
    return no == NULL;
}

int source_list(source *s, source_item **items, size_t *n)
{
    *items = NULL;
    *n = 0;
    s->skipped = 0;   /* a new load */
    s->skip_first[0] = '\0';
    s->warning[0] = '\0';
    return s->ops->list(s, items, n);
}

int source_fetch(source *s, const source_item *items, size_t n, source_fetch_cb cb,
                 source_progress_cb progress, void *ctx)
{
    return s->ops->fetch(s, items, n, cb, progress, ctx);
}

int source_remove(source *s, const source_item *items, size_t n, uint32_t expected_uidvalidity,
                  size_t *removed)
{
    *removed = 0;
    if (s->opt.read_only)
        return source_fail(s, "%s", _("the source was opened read-only"));
    return n ? s->ops->remove(s, items, n, expected_uidvalidity, removed) : 0;
}

void source_close(source *s)
{
    if (!s)
        return;
    if (s->ops->close)
        s->ops->close(s);
    free(s->id);
    free(s);
}

void source_items_free(source_item *items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(items[i].key);
    free(items);
}
