/* IMAP UID sets: "1:4,6,8:10", split so that no set exceeds a byte budget. */
#ifndef REBOTE_UIDSET_H
#define REBOTE_UIDSET_H

#include <stddef.h>
#include <stdint.h>

/* Called with each set (NUL-terminated); returns 0 to go on. */
typedef int (*uidset_cb)(const char *set, size_t count, void *ctx);

/* Sorts and de-duplicates a copy of uids (0 is dropped), compresses runs into
 * ranges and calls cb with sets of at most maxlen bytes (maxlen >= 24).
 * Returns 0, -1 when out of memory, or the first non-zero value of cb. */
int uidset_each(const uint32_t *uids, size_t n, size_t maxlen, uidset_cb cb, void *ctx);

#endif
