/* Mail sources: a small vtable over IMAP, Maildir and mbox. A source lists
 * its messages with stable keys, fetches them for the analysis and deletes
 * exactly the messages it is given. Library layer: errors are returned as
 * text (source_error), never printed. */
#ifndef REBOTE_SOURCE_H
#define REBOTE_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t uid;      /* IMAP UID; local sources: position in the listing (1-based) */
    char *key;         /* stable key: the UID as text, a Maildir base name, an mbox content hash */
} source_item;

/* Asked for the password once the server is reached, its TLS handshake is
 * done and its certificate verified, right before LOGIN (so a mistyped host
 * never prompts); returns it (the caller keeps it until source_close), or
 * NULL to give up (the caller knows why). */
typedef const char *(*source_password_cb)(void *ctx);

typedef struct {
    const char *ca_file;     /* verify the server certificate against this CA file */
    bool insecure;           /* skip certificate verification (explicit, loud) */
    bool no_tls;             /* plain IMAP, explicit */
    bool read_only;          /* EXAMINE instead of SELECT; refuse deletions */
    bool expunge_all;        /* allow a plain EXPUNGE without UIDPLUS (second confirmation) */
    const char *trash;       /* move deleted messages here instead of deleting */
    const char *password;    /* resolved by the caller (never from argv) */
    int timeout;             /* seconds for connect and each read; 0: 30 */
    size_t fetch_cap;        /* bytes of each message fetched for analysis; 0: all */
    source_password_cb ask_password;   /* when password is NULL: asked during source_open */
    void *ask_ctx;
} source_options;

typedef struct source source;

/* Called once per fetched message; returns 0 to go on. */
typedef int (*source_fetch_cb)(const source_item *item, const char *buf, size_t len, void *ctx);
/* Progress: done of total messages. */
typedef void (*source_progress_cb)(size_t done, size_t total, void *ctx);

/* Opens a source: imaps://USER@HOST[:PORT]/MAILBOX, imap://…, a Maildir
 * directory or an mbox file. NULL on failure, with the reason in err. */
source *source_open(const char *spec, const source_options *opt, char *err, size_t errlen);
/* "imaps://user@host:993/INBOX", "maildir:/abs/path", "mbox:/abs/path". */
const char *source_id(const source *s);
/* IMAP UIDVALIDITY; local sources: 1 (their keys do not depend on it). */
uint32_t source_uidvalidity(const source *s);
bool source_is_imap(const source *s);
/* The folder deleted messages are moved to (--trash), or NULL. */
const char *source_trash(const source *s);

int source_list(source *s, source_item **items, size_t *n);
int source_fetch(source *s, const source_item *items, size_t n, source_fetch_cb cb,
                 source_progress_cb progress, void *ctx);
/* Deletes exactly these messages; *removed tells how many went. For IMAP,
 * expected_uidvalidity must still be current or nothing is deleted. */
int source_remove(source *s, const source_item *items, size_t n, uint32_t expected_uidvalidity,
                  size_t *removed);
const char *source_error(const source *s);
/* Messages of the last load (source_list and the fetches after it) that
 * could not be read and were left out (not analysed, not cached), and the
 * first one as "PATH: reason" ("" when none). */
size_t source_skipped(const source *s);
const char *source_skip_reason(const source *s);
/* What the last source_list did that the user must be told of (an mbox
 * restored after an interrupted purge), translated, or "". */
const char *source_warning(const source *s);
/* Whether source_remove can delete from s as it is open: false, with why
 * (translated, short: "no UIDPLUS"), for an IMAP mailbox without a valid
 * UIDVALIDITY or whose server cannot expunge exactly the given messages
 * (no UIDPLUS, no --trash with MOVE, no --expunge-all). */
bool source_can_delete(const source *s, const char **why);
void source_close(source *s);
void source_items_free(source_item *items, size_t n);

#endif
