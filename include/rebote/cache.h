/* The record cache (SQLite, WAL): bounce records keyed by (source id,
 * UIDVALIDITY, message key), so that reopening a mailbox analyses only the
 * new messages. Any problem with the cache file makes it rebuilt or bypassed,
 * with a warning for the caller to show; it never stops the program. */
#ifndef REBOTE_CACHE_H
#define REBOTE_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "rebote/bounce.h"

typedef struct cache cache;

/* Default path: $XDG_CACHE_HOME/rebote/cache.db (~/.cache/rebote/cache.db). */
int cache_default_path(char *out, size_t len);
/* Opens (creating folders and schema). NULL: the cache is bypassed, warn says why. */
cache *cache_open(const char *path, char *warn, size_t warnlen);
void cache_close(cache *c);

/* Loads what is known of a source at this UIDVALIDITY: every analysed message
 * key (keys, sorted) and the records of all of them (rb_record.key set).
 * Entries of another UIDVALIDITY for the source are dropped first. 1: an
 * entry was damaged, the source's entries are dropped (the cache is rebuilt
 * from this load on; cache_error says why); -1 (out of memory, an SQLite
 * error): the cache cannot be used now. Unless 0, no key and no record is given. */
int cache_load(cache *c, const char *source, uint32_t uidvalidity, char ***keys, size_t *nkeys,
               rb_records *records);
/* Stores the analysed messages (keys) and their records, in one transaction;
 * the records come grouped by message, in the order of keys. */
int cache_store(cache *c, const char *source, uint32_t uidvalidity, char *const *keys, size_t nkeys,
                const rb_records *records);
/* Forgets deleted messages. */
int cache_forget(cache *c, const char *source, char *const *keys, size_t nkeys);
/* The same in two steps, so that the work can be done while the server
 * deletes: _begin forgets inside a transaction (none is left open when it
 * fails), _end commits it (keep) or rolls it back. */
int cache_forget_begin(cache *c, const char *source, char *const *keys, size_t nkeys);
int cache_forget_end(cache *c, bool keep);
const char *cache_error(const cache *c);
/* Every reason name a record can have ("userunknown", ...), NULL-terminated. */
const char *const *cache_reason_names(void);

#endif
