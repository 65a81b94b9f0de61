/* Loading a source: list, reuse the cache, fetch and analyse only the new
 * messages, store them. The glue between source, cache and analysis. */
#ifndef REBOTE_LOAD_H
#define REBOTE_LOAD_H

#include <stdatomic.h>
#include "rebote/bounce.h"
#include "rebote/cache.h"
#include "rebote/source.h"

typedef struct {
    rb_records records;   /* every record of the source, key and uid set */
    size_t messages;      /* messages in the source */
    size_t fetched;       /* messages fetched and analysed now */
    size_t cached;        /* messages whose records came from the cache */
    size_t capped;        /* messages with more records than their cap: some left out */
    size_t dropped;       /* records left out so (each message's count: its first record's dropped) */
    char warning[768];    /* the source's warning (source_warning), a cache problem worth telling, or "" */
} load_result;

/* c may be NULL (no cache). Returns 0, or -1 with the source's error. */
int load_source(source *s, cache *c, source_progress_cb progress, void *pctx, load_result *out);

/* Records in batches, in the source's order (cached ones first), as they are
 * analysed; the sink moves out the records it keeps (the rest are freed). */
typedef void (*load_sink_cb)(rb_records *batch, void *ctx);

typedef struct {
    source_progress_cb progress;   /* may be NULL */
    load_sink_cb sink;             /* NULL: the records go to out->records */
    void *ctx;                     /* for progress and sink */
    const atomic_int *cancel;      /* when another thread makes it non-zero the fetch stops (-1) */
    size_t message_cap;            /* bytes of records a message may add; 0: 512 KiB */
} load_options;

/* The same, streaming: progress and the sink run in the calling thread;
 * messages are cached in batches, so an interrupted load keeps what it did. */
int load_source_with(source *s, cache *c, const load_options *opt, load_result *out);
void load_result_free(load_result *r);

#endif
