/* What every source implementation provides (see rebote/source.h). */
#ifndef REBOTE_SOURCE_IMPL_H
#define REBOTE_SOURCE_IMPL_H

#include <stdarg.h>
#include "rebote/source.h"
#include "rebote/util.h"

typedef struct {
    int (*list)(source *s, source_item **items, size_t *n);
    int (*fetch)(source *s, const source_item *items, size_t n, source_fetch_cb cb,
                 source_progress_cb progress, void *ctx);
    int (*remove)(source *s, const source_item *items, size_t n, uint32_t uidvalidity, size_t *removed);
    void (*close)(source *s);
} source_ops;

struct source {
    const source_ops *ops;
    char *id;
    uint32_t uidvalidity;
    bool imap;
    source_options opt;
    void *priv;
    char err[512];
};

/* Records an error message; returns -1 for "return source_fail(...)". */
int source_fail(source *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
source *source_new(const source_ops *ops, const char *id, const source_options *opt);
/* Local sources (Maildir, mbox) keep only their resolved path, as priv:
 * the id is "KIND:PATH"; NULL with err filled when out of memory. */
source *source_new_local(const source_ops *ops, const char *kind, const char *real, const source_options *opt,
                         char *err, size_t errlen);
void source_close_local(source *s);
#define source_path(s) ((const char *)(s)->priv)
int source_add_item(source_item **items, size_t *n, size_t *cap, uint32_t uid, const char *key);

source *maildir_open(const char *path, const source_options *opt, char *err, size_t errlen);
source *mbox_open(const char *path, const source_options *opt, char *err, size_t errlen);
source *imap_open(const char *url, const source_options *opt, char *err, size_t errlen);

#endif
