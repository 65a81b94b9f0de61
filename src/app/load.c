/* See rebote/load.h. */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rebote/analysis.h"
#include "rebote/load.h"

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

typedef struct {
    rb_records fresh;
    char **keys;
    size_t nkeys;
    source_progress_cb progress;
    void *pctx;
} load_ctx;

static void load_progress(size_t done, size_t total, void *vctx)
{
    load_ctx *lc = vctx;
    if (lc->progress)
        lc->progress(done, total, lc->pctx);
}

static int load_one(const source_item *item, const char *buf, size_t len, void *vctx)
{
    load_ctx *lc = vctx;
    size_t before = lc->fresh.n;
    if (analysis_parse(buf, len, &lc->fresh) == ANALYSIS_ENOMEM)
        return -1;
    for (size_t i = before; i < lc->fresh.n; i++) {
        lc->fresh.v[i].uid = item->uid;
        lc->fresh.v[i].key = strdup(item->key);
    }
    lc->keys[lc->nkeys++] = item->key;
    return 0;
}

/* Keeps the cached records of messages still present, with today's uid. */
static void load_keep_cached(rb_records *cached, const source_item *sorted, size_t n, rb_records *out)
{
    for (size_t i = 0; i < cached->n; i++) {
        rb_record *r = &cached->v[i];
        source_item probe = {.key = r->key};
        const source_item *it = n ? bsearch(&probe, sorted, n, sizeof *sorted, cmp_item_key) : NULL;
        rb_record *dst = it ? rb_records_add(out) : NULL;
        if (dst) {
            rb_record_free(dst);
            *dst = *r;   /* moves the strings */
            dst->uid = it->uid;
            memset(r, 0, sizeof *r);
        }
    }
}

static void load_move(rb_records *from, rb_records *to)
{
    for (size_t i = 0; i < from->n; i++) {
        rb_record *dst = rb_records_add(to);
        if (!dst)
            break;
        rb_record_free(dst);
        *dst = from->v[i];
        memset(&from->v[i], 0, sizeof from->v[i]);
    }
}

int load_source(source *s, cache *c, source_progress_cb progress, void *pctx, load_result *out)
{
    memset(out, 0, sizeof *out);
    source_item *items;
    size_t n;
    if (source_list(s, &items, &n) != 0)
        return -1;
    out->messages = n;
    char **known = NULL;
    size_t nknown = 0;
    rb_records cached;
    rb_records_init(&cached);
    if (c && cache_load(c, source_id(s), source_uidvalidity(s), &known, &nknown, &cached) != 0) {
        snprintf(out->warning, sizeof out->warning, "cache: %s (working without it)", cache_error(c));
        c = NULL;
    }
    source_item *sorted = malloc((n ? n : 1) * sizeof *sorted), *todo = malloc((n ? n : 1) * sizeof *todo);
    size_t ntodo = 0;
    for (size_t i = 0; sorted && todo && i < n; i++) {
        sorted[i] = items[i];
        if (!sorted_has(known, nknown, items[i].key))
            todo[ntodo++] = items[i];
    }
    if (sorted && n)
        qsort(sorted, n, sizeof *sorted, cmp_item_key);
    if (sorted)
        load_keep_cached(&cached, sorted, n, &out->records);
    out->cached = n - ntodo;
    analysis_init();
    load_ctx lc = {.keys = malloc((ntodo ? ntodo : 1) * sizeof *lc.keys), .progress = progress, .pctx = pctx};
    rb_records_init(&lc.fresh);
    int rc = sorted && todo && lc.keys ? source_fetch(s, todo, ntodo, load_one, load_progress, &lc) : -1;
    out->fetched = lc.nkeys;
    if (rc == 0 && c && lc.nkeys &&
        cache_store(c, source_id(s), source_uidvalidity(s), lc.keys, lc.nkeys, &lc.fresh) != 0)
        snprintf(out->warning, sizeof out->warning, "cache: %s (results not saved)", cache_error(c));
    analysis_shutdown();
    load_move(&lc.fresh, &out->records);
    rb_records_free(&lc.fresh);
    rb_records_free(&cached);
    for (size_t i = 0; i < nknown; i++)
        free(known[i]);
    free(known);
    free(lc.keys);
    free(sorted);
    free(todo);
    source_items_free(items, n);
    return rc;
}

void load_result_free(load_result *r)
{
    rb_records_free(&r->records);
}
