/* See rebote/load.h. */
#include <config.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "rebote/analysis.h"
#include "rebote/load.h"
#include "rebote/util.h"

/* Adds a warning after the ones already there ("; " between them). */
static void __attribute__((format(printf, 2, 3))) load_warn(load_result *out, const char *fmt, ...)
{
    size_t l = strlen(out->warning);
    if (l && l + 2 < sizeof out->warning)
        l += (size_t)snprintf(out->warning + l, sizeof out->warning - l, "; ");
    va_list ap;
    va_start(ap, fmt);
    if (l < sizeof out->warning)
        vsnprintf(out->warning + l, sizeof out->warning - l, fmt, ap);
    va_end(ap);
}

static int cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool sorted_has(char **keys, size_t n, const char *key)
{
    return n && bsearch(&key, keys, n, sizeof *keys, cmp_cstr) != NULL;
}

static int cmp_item_key(const void *a, const void *b)
{
    return strcmp(((const source_item *)a)->key, ((const source_item *)b)->key);
}

/* Messages are analysed by a pool of threads while the source keeps
 * fetching: the fetch callback copies each message into a bounded queue;
 * workers parse into one result slot per message, so the records come out
 * in fetch order whatever the threads' timing; a publishing thread hands
 * them on in batches (cache, sink). The queue holds several of the source's
 * fetch chunks, so that the fetch never waits for the analysis while the
 * server has more to send, and the analysis works while the fetch waits. */
#define LOAD_QUEUE 4096
#define LOAD_QUEUE_BYTES ((size_t)32 << 20)
#define LOAD_MAX_THREADS 8
#define LOAD_BATCH 500   /* messages per cache transaction and per hand-over */
#define LOAD_BATCH_RECORDS 8192   /* or fewer messages when they hold that many records */
/* What one message may add to the session: a report of many recipients
 * costs about 200 bytes per record plus what they do not share; an honest
 * one (at most 256 KiB read, 512 recipients) stays well within. */
#define LOAD_MESSAGE_MAX_BYTES ((size_t)512 << 10)

enum { LOAD_DONE = 1, LOAD_FAILED = 2 };   /* LOAD_FAILED: out of memory or cancelled, not to be cached */

typedef struct {
    size_t seq;
    char *buf;
    size_t len;
} load_job;

typedef struct {
    const source_item **items;   /* per sequence number: the message */
    rb_records *res;             /* per sequence number: its records */
    unsigned char *settled;      /* per sequence number: LOAD_DONE or LOAD_FAILED once analysed */
    size_t nres, published;
    size_t pending;              /* records analysed, not yet published */
    load_job *q;                 /* LOAD_QUEUE jobs */
    size_t head, count, bytes;
    bool closing, failed, finished;   /* finished: fetch over, workers joined */
    pthread_mutex_t mu;
    pthread_cond_t not_empty, not_full, settled_more;
    const load_options *opt;
    source *src;
    cache *cache;
    size_t cap;                  /* bytes a message may add to the session */
    load_result *out;
    size_t *nkeys;
} load_ctx;

static void load_progress(size_t done, size_t total, void *vctx)
{
    load_ctx *lc = vctx;
    if (lc->opt->progress)
        lc->opt->progress(done, total, lc->opt->ctx);
}

/* Moves the records of one message to the end of batch, packed for the
 * session in blocks allocated here, not by a worker: one per record, or,
 * for a report of several recipients, one for what they share and one per
 * record for the rest, within the message's cap (what passes it is left
 * out and counted). False when a record could not be kept (out of memory):
 * the message is then not cached, so a later load analyses it again. */
static bool load_keep_message(load_ctx *lc, rb_records *res, const source_item *item, rb_records *batch)
{
    size_t start = batch->n;
    bool whole = true;
    for (size_t i = 0; i < res->n; i++) {
        rb_record *dst = rb_records_take(batch, &res->v[i]);
        if (!dst) {
            whole = false;
            break;
        }
        dst->uid = item->uid;
    }
    size_t n = batch->n - start, dropped = 0;
    if (n > 1 && rb_records_share(batch, start, item->key, lc->cap, &dropped) != 0)
        whole = false;   /* valid records, some not shared */
    if (dropped) {
        lc->out->capped++;
        lc->out->dropped += dropped;
    }
    for (size_t i = start; i < batch->n; i++) {
        rb_record *r = &batch->v[i];
        if (n == 1 && rb_record_pack(r, item->key) == 0)
            continue;
        if (!r->key && rb_field_dup(&r->key, item->key) != 0)
            whole = false;
    }
    return whole;
}

/* Hands the settled messages [published, upto) on: into the cache as one
 * transaction, then to the sink (or the result). Runs in the publishing
 * thread, and once more after every thread has stopped. */
static void load_publish(load_ctx *lc, size_t upto)
{
    if (upto <= lc->published)
        return;
    rb_records batch;
    rb_records_init(&batch);
    char **keys = malloc((upto - lc->published) * sizeof *keys);
    size_t nk = 0;
    for (size_t k = lc->published; k < upto; k++) {
        if (lc->settled[k] == LOAD_FAILED) {   /* analysed in part: neither kept nor cached */
            rb_records_free(&lc->res[k]);
            continue;
        }
        bool whole = load_keep_message(lc, &lc->res[k], lc->items[k], &batch);
        rb_records_free(&lc->res[k]);
        if (keys && whole)
            keys[nk++] = lc->items[k]->key;
    }
    lc->published = upto;
    *lc->nkeys += nk;
    if (lc->cache && keys && nk &&
        cache_store(lc->cache, source_id(lc->src), source_uidvalidity(lc->src), keys, nk, &batch) != 0) {
        load_warn(lc->out, _("cache: %s (results not saved)"), cache_error(lc->cache));
        lc->cache = NULL;
    }
    free(keys);
    if (lc->opt->sink)
        lc->opt->sink(&batch, lc->opt->ctx);   /* takes the records it wants */
    else if (lc->out->records.n == 0) {   /* the first batch becomes the result: no second array */
        rb_records_free(&lc->out->records);
        lc->out->records = batch;
        rb_records_init(&batch);
    } else
        rb_records_move(&batch, &lc->out->records);
    rb_records_free(&batch);
}

/* The records of one message: its reports, or, for a message that holds
 * none (ordinary mail, an empty file), one record of kind RB_KIND_NONE with
 * its own subject, sender, date and Message-Id: mail that is not a bounce is
 * listed as such, never an empty slot that nothing shows. */
static analysis_status load_analyse(const char *buf, size_t len, rb_records *tmp)
{
    analysis_status st = analysis_parse(buf, len, tmp);
    if (st != ANALYSIS_ENOMEM && tmp->n == 0)
        st = analysis_message_record(buf, len, tmp);
    return st;
}

/* Moves the records of tmp into a slot of exactly their size (a message's
 * slot would otherwise keep the parser's spare capacity until the end). */
static bool load_settle(rb_records *tmp, rb_records *slot)
{
    if (tmp->n == 0)   /* no record at all: an empty slot, no allocation */
        return true;
    slot->v = malloc(tmp->n * sizeof *slot->v);
    if (!slot->v)
        return false;
    memcpy(slot->v, tmp->v, tmp->n * sizeof *tmp->v);
    slot->n = slot->cap = tmp->n;
    tmp->n = 0;   /* the strings now belong to the slot */
    return true;
}

static void *load_worker(void *vctx)
{
    load_ctx *lc = vctx;
    rb_records tmp;
    rb_records_init(&tmp);
    for (;;) {
        pthread_mutex_lock(&lc->mu);
        while (!lc->count && !lc->closing)
            pthread_cond_wait(&lc->not_empty, &lc->mu);
        if (!lc->count) {
            pthread_mutex_unlock(&lc->mu);
            rb_records_free(&tmp);
            return NULL;
        }
        load_job job = lc->q[lc->head];
        lc->head = (lc->head + 1) % LOAD_QUEUE;
        lc->count--;
        lc->bytes -= job.len;
        pthread_cond_signal(&lc->not_full);
        pthread_mutex_unlock(&lc->mu);
        unsigned char settled = LOAD_DONE;
        if (lc->opt->cancel && atomic_load(lc->opt->cancel))
            settled = LOAD_FAILED;   /* cancelled: the queued messages are dropped, not analysed (nor cached) */
        else if (load_analyse(job.buf, job.len, &tmp) == ANALYSIS_ENOMEM || !load_settle(&tmp, &lc->res[job.seq])) {
            rb_records_free(&tmp);
            settled = LOAD_FAILED;
        }
        free(job.buf);
        pthread_mutex_lock(&lc->mu);
        if (settled == LOAD_FAILED)
            lc->failed = true;
        lc->settled[job.seq] = settled;
        lc->pending += lc->res[job.seq].n;
        if (job.seq % LOAD_BATCH == LOAD_BATCH - 1 || lc->pending >= LOAD_BATCH_RECORDS)   /* likely a batch */
            pthread_cond_signal(&lc->settled_more);
        pthread_mutex_unlock(&lc->mu);
    }
}

/* How far the messages from published on are all analysed (under mu). */
static size_t load_ready(const load_ctx *lc)
{
    size_t ready = lc->published;
    while (ready < lc->nres && lc->settled[ready])
        ready++;
    return ready;
}

/* The publishing thread: a batch whenever LOAD_BATCH messages in a row are
 * analysed (or fewer that hold LOAD_BATCH_RECORDS records: the analysed
 * records are not all held twice, in their slots and in the batch), until
 * the fetch and the analysis are over. The workers wake it
 * at the likely end of a batch; it also looks every 50 ms (messages settle
 * out of order). lc->published is this thread's alone until it ends. */
static void *load_publisher(void *vctx)
{
    load_ctx *lc = vctx;
    pthread_mutex_lock(&lc->mu);
    for (;;) {
        size_t ready = load_ready(lc);
        if (ready > lc->published && (ready - lc->published >= LOAD_BATCH || lc->pending >= LOAD_BATCH_RECORDS)) {
            for (size_t k = lc->published; k < ready; k++)
                lc->pending -= lc->res[k].n;
            pthread_mutex_unlock(&lc->mu);
            load_publish(lc, ready);
            pthread_mutex_lock(&lc->mu);
            continue;
        }
        if (lc->finished)
            break;
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 50 * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&lc->settled_more, &lc->mu, &until);
    }
    pthread_mutex_unlock(&lc->mu);
    return NULL;
}

static int load_one(const source_item *item, const char *buf, size_t len, void *vctx)
{
    load_ctx *lc = vctx;
    char *copy = malloc(len ? len : 1);
    if (!copy)
        return -1;
    memcpy(copy, buf, len);
    pthread_mutex_lock(&lc->mu);
    while (lc->count == LOAD_QUEUE || (lc->count && lc->bytes + len > LOAD_QUEUE_BYTES))
        pthread_cond_wait(&lc->not_full, &lc->mu);
    bool failed = lc->failed;
    if (!failed) {
        size_t seq = lc->nres++;
        lc->items[seq] = item;
        lc->q[(lc->head + lc->count) % LOAD_QUEUE] = (load_job){seq, copy, len};
        lc->count++;
        lc->bytes += len;
        pthread_cond_signal(&lc->not_empty);
    }
    pthread_mutex_unlock(&lc->mu);
    if (failed)
        free(copy);
    if (lc->opt->cancel && atomic_load(lc->opt->cancel))
        return -1;
    return failed ? -1 : 0;
}

static int load_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > LOAD_MAX_THREADS ? LOAD_MAX_THREADS : (int)n;
}

/* Fetches and analyses todo[0..ntodo), publishing the records in batches. */
static int load_fetch(source *s, cache *c, const source_item *todo, size_t ntodo, const load_options *opt,
                      load_result *out)
{
    load_ctx lc = {.opt = opt, .src = s, .cache = c, .out = out, .nkeys = &out->fetched,
                   .cap = opt->message_cap ? opt->message_cap : LOAD_MESSAGE_MAX_BYTES};
    lc.items = malloc((ntodo ? ntodo : 1) * sizeof *lc.items);
    lc.res = calloc(ntodo ? ntodo : 1, sizeof *lc.res);
    lc.settled = calloc(ntodo ? ntodo : 1, 1);
    lc.q = malloc(LOAD_QUEUE * sizeof *lc.q);
    if (!lc.items || !lc.res || !lc.settled || !lc.q) {
        free(lc.items);
        free(lc.res);
        free(lc.settled);
        free(lc.q);
        return -1;
    }
    pthread_mutex_init(&lc.mu, NULL);
    pthread_cond_init(&lc.not_empty, NULL);
    pthread_cond_init(&lc.not_full, NULL);
    pthread_cond_init(&lc.settled_more, NULL);
    pthread_t th[LOAD_MAX_THREADS], publisher;
    int nth = 0, want = ntodo < 64 ? 1 : load_threads();
    while (nth < want && pthread_create(&th[nth], NULL, load_worker, &lc) == 0)
        nth++;
    bool publishing = nth && pthread_create(&publisher, NULL, load_publisher, &lc) == 0;
    int rc = nth ? source_fetch(s, todo, ntodo, load_one, load_progress, &lc) : -1;
    pthread_mutex_lock(&lc.mu);
    lc.closing = true;
    pthread_cond_broadcast(&lc.not_empty);
    pthread_mutex_unlock(&lc.mu);
    for (int i = 0; i < nth; i++)
        pthread_join(th[i], NULL);
    pthread_mutex_lock(&lc.mu);
    lc.finished = true;
    pthread_cond_signal(&lc.settled_more);
    pthread_mutex_unlock(&lc.mu);
    if (publishing)
        pthread_join(publisher, NULL);
    if (lc.failed)
        rc = -1;
    load_publish(&lc, lc.nres);   /* what was fetched is kept, even after an error */
    pthread_mutex_destroy(&lc.mu);
    pthread_cond_destroy(&lc.not_empty);
    pthread_cond_destroy(&lc.not_full);
    pthread_cond_destroy(&lc.settled_more);
    free(lc.items);
    free(lc.res);
    free(lc.settled);
    free(lc.q);
    return rc;
}

/* Keeps the cached records of messages still present, with today's uid,
 * and counts the messages the cap cut short when they were analysed. The
 * records are compacted in place and the array handed over: no second one. */
static void load_keep_cached(rb_records *cached, const source_item *sorted, size_t n, rb_records *out,
                             load_result *res)
{
    size_t o = 0;
    for (size_t i = 0; i < cached->n; i++) {
        rb_record *r = &cached->v[i];
        source_item probe = {.key = r->key};
        const source_item *it = n ? bsearch(&probe, sorted, n, sizeof *sorted, cmp_item_key) : NULL;
        if (!it) {
            rb_record_free(r);
            continue;
        }
        r->uid = it->uid;
        if (r->dropped) {
            res->capped++;
            res->dropped += r->dropped;
        }
        cached->v[o++] = *r;
    }
    cached->n = o;
    if (out->n == 0) {
        rb_records_free(out);
        *out = *cached;
        rb_records_init(cached);
    } else
        rb_records_move(cached, out);
}

int load_source_with(source *s, cache *c, const load_options *opt, load_result *out)
{
    memset(out, 0, sizeof *out);
    source_item *items;
    size_t n;
    if (source_list(s, &items, &n) != 0)
        return -1;
    snprintf(out->warning, sizeof out->warning, "%s", source_warning(s));
    out->messages = n;
    char **known = NULL;
    size_t nknown = 0;
    rb_records cached;
    rb_records_init(&cached);
    int crc = c ? cache_load(c, source_id(s), source_uidvalidity(s), &known, &nknown, &cached) : 0;
    if (crc > 0)   /* damaged: emptied, this load fills it again */
        load_warn(out, _("cache: %s (rebuilt)"), cache_error(c));
    else if (crc < 0) {
        load_warn(out, _("cache: %s (working without it)"), cache_error(c));
        c = NULL;
    }
    source_item *sorted = malloc((n ? n : 1) * sizeof *sorted), *todo = malloc((n ? n : 1) * sizeof *todo);
    size_t ntodo = 0;
    for (size_t i = 0; sorted && todo && i < n; i++) {
        sorted[i] = items[i];
        if (!sorted_has(known, nknown, items[i].key))
            todo[ntodo++] = items[i];
    }
    for (size_t i = 0; i < nknown; i++)
        free(known[i]);
    free(known);
    if (sorted && n && cached.n)   /* a cold open has nothing to look up: no sort before the fetch */
        qsort(sorted, n, sizeof *sorted, cmp_item_key);
    /* the cached records go straight to where they stay: no second array */
    rb_records kept;
    rb_records_init(&kept);
    rb_records *dest = opt->sink ? &kept : &out->records;
    if (sorted)
        load_keep_cached(&cached, sorted, n, dest, out);
    rb_records_free(&cached);   /* emptied by the move: only its array is left */
    out->cached = n - ntodo;
    if (opt->sink)
        opt->sink(&kept, opt->ctx);
    rb_records_free(&kept);
    analysis_init();
    int rc = sorted && todo ? load_fetch(s, c, todo, ntodo, opt, out) : -1;
    free(sorted);
    free(todo);
    source_items_free(items, n);
    return rc;
}

int load_source(source *s, cache *c, source_progress_cb progress, void *pctx, load_result *out)
{
    load_options opt = {.progress = progress, .ctx = pctx};
    return load_source_with(s, c, &opt, out);
}

void load_result_free(load_result *r)
{
    rb_records_free(&r->records);
}
