/* Maildir file names, pure (no I/O, fuzzed by fuzz/fuzz-maildir.c). A name
 * is UNIQUE[:INFO], INFO being "2,FLAGS" once the message is in cur/; the
 * unique part is the message's key: it does not change when the message
 * moves from new/ to cur/ or when its flags change. */
#ifndef REBOTE_MAILDIR_NAME_H
#define REBOTE_MAILDIR_NAME_H

#include <stdbool.h>
#include <stddef.h>

/* Length of the unique part of NAME: up to its first ':' (as Dovecot). */
size_t maildir_key_len(const char *name);
/* Orders names by their unique part alone; 0 when they name one message. */
int maildir_keycmp(const char *a, const char *b);
/* Whether NAME is a message's: not a dot file, a non-empty unique part. */
bool maildir_name_ok(const char *name);

/* The listing of a Maildir from its two folders' names (each sorted by
 * name): cur/ then new/, each message once. A name of new/ whose message is
 * also in cur/ was moved while the folders were read: it is dropped. Two
 * names of one folder with one unique part cannot both be told apart by
 * key: the first is kept and the others counted in *dups. out gets
 * pointers into cur and new (at most ncur + nnew), the first *kept_cur of
 * them from cur; returns their number, or (size_t)-1 when out of memory. */
size_t maildir_merge(char *const *cur, size_t ncur, char *const *new_, size_t nnew, const char **out,
                     size_t *kept_cur, size_t *dups);

#endif
