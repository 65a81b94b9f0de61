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
    size_t skipped;          /* messages of the last load that could not be read */
    char skip_first[512];    /* the first of them, with its reason */
    char warning[512];       /* something the last listing did that the user must hear of, or "" */
    void *listing;           /* a local source's last listing, of its own type, or NULL */
    const char *cannot_delete;   /* a local source's reason (N_) it will refuse deletions, or NULL */
};

/* Records an error message; returns -1 for "return source_fail(...)". */
int source_fail(source *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Counts a message that cannot be read and is left out; the first one's
 * text is kept for source_skip_reason. */
void source_skip(source *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Records the warning of the current listing (the last one wins). */
void source_warn(source *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
source *source_new(const source_ops *ops, const char *id, const source_options *opt);
/* Local sources (Maildir, mbox) keep only their resolved path, as priv:
 * the id is "KIND:PATH"; NULL with err filled when out of memory. */
source *source_new_local(const source_ops *ops, const char *kind, const char *real, const source_options *opt,
                         char *err, size_t errlen);
void source_close_local(source *s);
#define source_path(s) ((const char *)(s)->priv)
int source_add_item(source_item **items, size_t *n, size_t *cap, uint32_t uid, const char *key);

/* A Maildir as read now: cur/ and new/ merged, each message once (see
 * maildir_merge); new/ is read first, so a message moved meanwhile is seen. */
typedef struct {
    char **names[2];       /* cur/, new/ as read */
    size_t count[2];
    const char **v;        /* the listing: v[0..ncur) are in cur/, the rest in new/ */
    size_t n, ncur, dups;
    const char *failed;    /* the folder that could not be read, or NULL (out of memory) */
} maildir_listing;
/* 0, or -1 with errno (and failed) when a folder cannot be read; a Maildir
 * without new/ has nothing new. */
int maildir_scan(const char *root, maildir_listing *l);
void maildir_listing_path(const char *root, const maildir_listing *l, size_t i, char *path, size_t len);
void maildir_listing_free(maildir_listing *l);
/* The listing with its keys in order, to find a message by its key. */
typedef struct {
    maildir_listing l;
    void *by_key;
} maildir_index;
/* 0, or -1 with errno (and l.failed) as maildir_scan. */
int maildir_index_build(const char *root, maildir_index *ix);
void maildir_index_free(maildir_index *ix);
/* The file of the message whose key (or file name) is KEYNAME; -1: none. */
int maildir_index_path(const char *root, const maildir_index *ix, const char *keyname, char *path, size_t len);
/* An action on a message file: 0 done, 1 the file is not there, -1 failed. */
typedef int (*maildir_op)(const char *path, void *ctx);
/* Runs op on PATH; when the file has moved (1), ix is built again and op
 * runs on the file that holds the same message now, a few times. Returns
 * op's last answer, 1 when the message is gone, -2 with errno when the
 * Maildir cannot be read again. */
int maildir_follow(const char *root, maildir_index *ix, const char *path, maildir_op op, void *ctx);
/* For tests only: called with a message file's path right before it is
 * read, moved or deleted, so that a test can move it at that moment. */
extern void (*maildir_race_hook)(const char *path);

source *maildir_open(const char *path, const source_options *opt, char *err, size_t errlen);
source *mbox_open(const char *path, const source_options *opt, char *err, size_t errlen);
source *imap_open(const char *url, const source_options *opt, char *err, size_t errlen);
/* NULL when the IMAP source s can delete exactly the given messages; else
 * why not, untranslated (N_). */
const char *imap_cannot_delete(const source *s);

#endif
