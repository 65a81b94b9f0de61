/* What the screen and the command line do the same way: deleting the
 * confirmed messages (source and cache together), loading in the
 * background while the screen draws. Library layer: errors are returned
 * as text, never printed. */
#ifndef REBOTE_APP_H
#define REBOTE_APP_H

#include <stddef.h>
#include "rebote/cache.h"
#include "rebote/load.h"
#include "rebote/source.h"

/* Deletes exactly the n messages keys[i] (UID uids[i]) from src, the
 * confirmed ones and no other; c (may be NULL) forgets them meanwhile in a
 * transaction kept only if the source deleted them all, rolled back
 * otherwise. *removed: how many went. Returns 0, or -1 with err set. */
int app_delete(source *src, cache *c, const char *const *keys, const unsigned int *uids, size_t n, size_t *removed,
               char *err, size_t errlen);

/* A load running in a thread of its own while the caller (the screen)
 * draws: the records arrive in batches, taken by app_loader_poll. */
typedef struct app_loader app_loader;

/* Starts loading src through c (may be NULL). The thread blocks SIGHUP,
 * SIGINT and SIGTERM (they reach the caller's thread). NULL when no thread
 * could be started: the caller then loads in its own thread. */
app_loader *app_loader_start(source *src, cache *c);
/* Moves the records that arrived to the end of to->records and updates
 * to->messages; returns 1 while loading (status: the progress), 0 when the
 * load is over (to holds its counts and warning), -1 when it failed
 * (status: the error). */
int app_loader_poll(app_loader *l, load_result *to, char *status, size_t len);
/* Stops the load (what was fetched is kept in the cache), waits for the
 * thread and frees l; the records not polled are dropped. NULL: nothing. */
void app_loader_cancel(app_loader *l);
/* Loads src again, in the calling thread, into *out (its old records
 * freed once the new ones are in). 0, or -1 with err set and *out as it
 * was: a failed reload shows what was loaded, not an empty mailbox. */
int app_reload(source *src, cache *c, load_result *out, char *err, size_t errlen);

#endif
