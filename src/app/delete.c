/* See rebote/app.h: the one deletion path of the screen and of purge. */
#include <config.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include "rebote/app.h"
#include "rebote/util.h"

typedef struct {
    cache *c;
    const char *source;
    char *const *keys;
    size_t n;
    int rc;
} app_forget_job;

static void *app_forget(void *vjob)
{
    app_forget_job *job = vjob;
    job->rc = cache_forget_begin(job->c, job->source, job->keys, job->n);
    return NULL;
}

/* The items source_remove takes, pointing at the caller's keys. */
static source_item *app_items(const char *const *keys, const unsigned int *uids, size_t n)
{
    source_item *items = calloc(n ? n : 1, sizeof *items);
    for (size_t i = 0; items && i < n; i++)
        items[i] = (source_item){.uid = uids[i], .key = (char *)keys[i]};
    return items;
}

/* The cache forgets in a thread while the source deletes (its work then
 * costs no time: the server's is longer). */
int app_delete(source *src, cache *c, const char *const *keys, const unsigned int *uids, size_t n, size_t *removed,
               char *err, size_t errlen)
{
    *removed = 0;
    if (n == 0)
        return 0;
    source_item *items = app_items(keys, uids, n);
    if (!items) {
        snprintf(err, errlen, "%s", _("out of memory"));
        return -1;
    }
    app_forget_job job = {c, source_id(src), (char *const *)keys, n, -1};
    pthread_t th;
    bool forgetting = c && pthread_create(&th, NULL, app_forget, &job) == 0;
    int rc = source_remove(src, items, n, source_uidvalidity(src), removed);
    if (rc != 0) {   /* a source that failed without a word still gets one */
        const char *why = source_error(src);
        snprintf(err, errlen, "%s", why && why[0] ? why : _("the mailbox refused the deletion"));
    }
    if (forgetting) {
        pthread_join(th, NULL);
        if (job.rc == 0)
            cache_forget_end(c, rc == 0);
    } else if (c && rc == 0) {   /* no thread: forget now */
        cache_forget(c, source_id(src), (char *const *)keys, n);
    }
    free(items);
    return rc == 0 ? 0 : -1;
}
