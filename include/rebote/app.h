/* What the screen and the command line do the same way: deleting the
 * confirmed messages (source and cache together). Library layer: errors
 * are returned as text, never printed. */
#ifndef REBOTE_APP_H
#define REBOTE_APP_H

#include <stddef.h>
#include "rebote/cache.h"
#include "rebote/source.h"

/* Deletes exactly the n messages keys[i] (UID uids[i]) from src, the
 * confirmed ones and no other; c (may be NULL) forgets them meanwhile in a
 * transaction kept only if the source deleted them all, rolled back
 * otherwise. *removed: how many went. Returns 0, or -1 with err set. */
int app_delete(source *src, cache *c, const char *const *keys, const unsigned int *uids, size_t n, size_t *removed,
               char *err, size_t errlen);

#endif
