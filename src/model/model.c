/* See rebote/model.h. Groups by sorting an index: O(n log n), no hashing. */
#include <config.h>
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rebote/model.h"
#include "rebote/util.h"

static void lower_copy(char *out, size_t len, const char *s)
{
    size_t i = 0;
    for (; s[i] && i + 1 < len; i++)
        out[i] = (char)tolower((unsigned char)s[i]);
    out[i] = '\0';
}

bool model_kind_own_group(rb_kind kind)
{
    return kind != RB_KIND_BOUNCE && kind != RB_KIND_DELAY;
}

/* A bounce's field as a group key; MODEL_KEY_UNKNOWN when the bounce lacks it. */
static void model_field_key(char *out, size_t len, const char *value, bool fold)
{
    if (!value || !value[0])
        snprintf(out, len, "%s", MODEL_KEY_UNKNOWN);
    else if (fold)
        lower_copy(out, len, value);
    else
        snprintf(out, len, "%s", value);
}

void model_key(const rb_record *r, model_by by, char *out, size_t len)
{
    const char *at;
    /* mail that is no failure (auto-replies, feedback, success notices,
     * challenges, not a bounce) keeps its own group under every grouping:
     * its code, reason, domain or MTA says nothing about a failure */
    if (model_kind_own_group(r->kind) && by != MODEL_BY_RCPT_DOMAIN) {
        snprintf(out, len, r->kind == RB_KIND_NONE ? "%s" : "(%s)",
                 r->kind == RB_KIND_NONE ? MODEL_KEY_NONE : rb_kind_name(r->kind));
        return;
    }
    switch (by) {
    case MODEL_BY_STATUS:
        model_field_key(out, len, r->status, false);
        break;
    case MODEL_BY_REASON:
        model_field_key(out, len, r->reason, false);
        break;
    case MODEL_BY_DOMAIN:
    case MODEL_BY_RCPT_DOMAIN:
        at = r->recipient ? strrchr(r->recipient, '@') : NULL;
        model_field_key(out, len, at ? at + 1 : NULL, true);
        break;
    case MODEL_BY_MTA:
        model_field_key(out, len, r->rhost, true);
        break;
    default:   /* "550 5.1.1", or one code alone: "5.1.1", "550"; no snprintf on this hot path */
        if ((r->replycode[0] || r->status[0]) && len >= sizeof r->replycode + sizeof r->status + 1) {
            size_t a = strlen(r->replycode), b = strlen(r->status);
            memcpy(out, r->replycode, a);
            if (a && b)
                out[a++] = ' ';
            memcpy(out + a, r->status, b);
            out[a + b] = '\0';
        } else if (r->replycode[0] || r->status[0])
            snprintf(out, len, "%s%s%s", r->replycode, r->replycode[0] && r->status[0] ? " " : "", r->status);
        else
            snprintf(out, len, "(%s)", rb_kind_name(r->kind));
        break;
    }
}

/* s[0..n) folded for comparing names: ASCII lower case, the Latin-1
 * letters of UTF-8 without their accents ("automática" = "automatica"),
 * spaces and dashes dropped ("auto-reply" = "autoreply"). */
static void model_fold(char *out, size_t len, const char *s, size_t n)
{
    static const char latin1[] = "aaaaaaaceeeeiiiidnoooooxouuuuytsaaaaaaaceeeeiiiidnooooo/ouuuuyty";
    size_t o = 0;
    for (size_t i = 0; i < n && s[i] && o + 1 < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0xc3 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 && (unsigned char)s[i + 1] <= 0xbf)
            out[o++] = latin1[(unsigned char)s[++i] - 0x80];
        else if (c != ' ' && c != '-' && c != '_')
            out[o++] = (char)tolower(c);
    }
    out[o] = '\0';
}

/* Is the folded name f the group key k ("(feedback)") without its parentheses? */
static bool model_is_key_name(const char *f, const char *k)
{
    char kf[160];
    size_t n = strlen(k);
    if (n < 2 || k[0] != '(' || k[n - 1] != ')')
        return false;
    model_fold(kf, sizeof kf, k + 1, n - 2);
    return !strcmp(f, kf);
}

int model_kind_parse(const char *name, size_t n)
{
    char f[160], key[64];
    model_fold(f, sizeof f, name, n);
    if (!f[0])
        return -1;
    for (int k = 0; k <= RB_KIND_LAST; k++) {
        snprintf(key, sizeof key, k == RB_KIND_NONE ? "%s" : "(%s)", k == RB_KIND_NONE ? MODEL_KEY_NONE : rb_kind_name(k));
        char kf[64];
        model_fold(kf, sizeof kf, rb_kind_name(k), strlen(rb_kind_name(k)));
        /* the record's kind, its group as the screen names it in English or translated (text_group_key) */
        if (!strcmp(f, kf) || model_is_key_name(f, key) || model_is_key_name(f, _(key)))
            return k;
    }
    return -1;
}

int model_by_parse(const char *name)
{
    static const char *const names[] = {"code", "status", "reason", "domain", "mta"};
    for (int i = 0; i < 5; i++)
        if (!strcmp(name, names[i]))
            return i;
    return -1;
}

/* Grouping in linear time: each record's key is hashed into a table of
 * groups (keys compared exactly), then the distinct messages and recipients
 * of each group are counted in a hash set of (group, 64-bit hash) pairs. Two
 * different message keys or recipients would have to share a 64-bit FNV-1a
 * hash to be miscounted. */
static uint64_t fnv(const char *s, bool fold)
{
    uint64_t h = 1469598103934665603ull;
    for (; s && *s; s++) {
        h ^= (unsigned char)(fold ? tolower((unsigned char)*s) : *s);
        h *= 1099511628211ull;
    }
    return h;
}

typedef struct {
    uint64_t group, hash;
} pair;

/* For each group, how many distinct hashes: one pass over a hash set of
 * (group, hash) pairs. */
static int model_count_distinct(const pair *p, size_t n, size_t *out, size_t ngroups)
{
    size_t cap = 64;
    while (cap < n * 2)
        cap *= 2;
    pair *set = malloc(cap * sizeof *set);
    unsigned char *used = calloc(cap, 1);
    if (!set || !used) {
        free(set);
        free(used);
        return -1;
    }
    memset(out, 0, ngroups * sizeof *out);
    for (size_t k = 0; k < n; k++) {
        uint64_t h = p[k].hash ^ (p[k].group * 0x9e3779b97f4a7c15ull);
        size_t i = (size_t)(h ^ (h >> 29)) & (cap - 1);
        while (used[i] && (set[i].group != p[k].group || set[i].hash != p[k].hash))
            i = (i + 1) & (cap - 1);
        if (!used[i]) {
            used[i] = 1;
            set[i] = p[k];
            out[p[k].group]++;
        }
    }
    free(set);
    free(used);
    return 0;
}

/* The message hash of a record: its key's, or one of its own without a key. */
static uint64_t model_message_hash(const rb_record *r, size_t k)
{
    return r->key ? fnv(r->key, false) : (uint64_t)k ^ 0x9e3779b97f4a7c15ull;
}

void model_kind_counts(const rb_records *rs, const size_t *sel, size_t n, size_t counts[MODEL_NKINDS])
{
    memset(counts, 0, MODEL_NKINDS * sizeof *counts);
    for (size_t k = 0; k < n; k++) {
        unsigned kind = (unsigned)rs->v[sel ? sel[k] : k].kind;
        counts[kind < MODEL_NKINDS ? kind : RB_KIND_NONE]++;
    }
}

int model_totals(const rb_records *rs, const size_t *sel, size_t n, size_t *messages, size_t *recipients)
{
    *messages = *recipients = 0;
    if (n == 0)
        return 0;
    pair *msgs = malloc(n * sizeof *msgs), *rcpts = malloc(n * sizeof *rcpts);
    int rc = -1;
    if (msgs && rcpts) {
        size_t nr = 0;
        for (size_t k = 0; k < n; k++) {
            const rb_record *r = &rs->v[sel ? sel[k] : k];
            msgs[k] = (pair){0, model_message_hash(r, k)};
            if (r->recipient && r->recipient[0])   /* no recipient (mail that is not a bounce) counts none */
                rcpts[nr++] = (pair){0, fnv(r->recipient, true)};
        }
        rc = model_count_distinct(msgs, n, messages, 1) || model_count_distinct(rcpts, nr, recipients, 1) ? -1 : 0;
    }
    free(msgs);
    free(rcpts);
    return rc;
}

static int cmp_group(const void *a, const void *b)
{
    const model_group *x = a, *y = b;
    if (x->records != y->records)
        return x->records < y->records ? 1 : -1;
    return strcmp(x->key, y->key);
}

typedef struct {
    size_t *slot;      /* open addressing: group index + 1, 0 = empty */
    uint64_t *hash;
    size_t cap;
    size_t groups;     /* room in the groups array */
} group_table;

/* The group of key (created when new); SIZE_MAX when out of memory. */
static size_t model_group_find(group_table *t, model_groups *out, const char *key, const rb_record *r)
{
    uint64_t h = fnv(key, false);
    size_t i = (size_t)h & (t->cap - 1);
    for (; t->slot[i]; i = (i + 1) & (t->cap - 1))
        if (t->hash[i] == h && !strcmp(out->v[t->slot[i] - 1].key, key))
            return t->slot[i] - 1;
    if (out->n == t->groups) {   /* grows by doubling: a realloc per group was quadratic */
        size_t room = t->groups ? t->groups * 2 : 16;
        model_group *v = realloc(out->v, room * sizeof *v);
        if (!v)
            return SIZE_MAX;
        out->v = v;
        t->groups = room;
    }
    model_group *v = out->v;
    model_group *g = &v[out->n];
    memset(g, 0, sizeof *g);
    snprintf(g->key, sizeof g->key, "%s", key);
    snprintf(g->reply, sizeof g->reply, "%s", r->replycode);
    snprintf(g->status, sizeof g->status, "%s", r->status);
    g->reason = r->reason;
    t->slot[i] = ++out->n;
    t->hash[i] = h;
    return out->n - 1;
}

int model_group_subset(const rb_records *rs, const size_t *sel, size_t n, model_by by, model_groups *out)
{
    memset(out, 0, sizeof *out);
    if (n == 0)
        return 0;
    group_table t = {.cap = 64};
    while (t.cap < n * 2 && t.cap < ((size_t)1 << 20))
        t.cap *= 2;
    t.slot = calloc(t.cap, sizeof *t.slot);
    t.hash = malloc(t.cap * sizeof *t.hash);
    size_t *gid = malloc(n * sizeof *gid);
    pair *msgs = malloc(n * sizeof *msgs), *rcpts = malloc(n * sizeof *rcpts);
    size_t *count = NULL;
    int rc = -1;
    if (!t.slot || !t.hash || !gid || !msgs || !rcpts)
        goto done;
    char key[160];
    size_t nr = 0;
    for (size_t k = 0; k < n; k++) {
        const rb_record *r = &rs->v[sel ? sel[k] : k];
        model_key(r, by, key, sizeof key);
        if ((gid[k] = model_group_find(&t, out, key, r)) == SIZE_MAX || out->n > t.cap / 2)
            goto done;   /* the table holds at most 2^19 groups: plenty */
        model_group *g = &out->v[gid[k]];
        g->records++;
        g->hard += r->hardbounce;
        g->failures += r->kind == RB_KIND_BOUNCE || r->kind == RB_KIND_DELAY;
        if (r->time && (!g->first || r->time < g->first))
            g->first = r->time;
        if (r->time > g->last)
            g->last = r->time;
        /* a record without a message key is a message of its own */
        msgs[k] = (pair){gid[k], model_message_hash(r, k)};
        if (r->recipient && r->recipient[0])   /* no recipient (mail that is not a bounce) counts none */
            rcpts[nr++] = (pair){gid[k], fnv(r->recipient, true)};
    }
    count = malloc(out->n * sizeof *count);
    if (!count)
        goto done;
    if (model_count_distinct(msgs, n, count, out->n) != 0)
        goto done;
    for (size_t g = 0; g < out->n; g++)
        out->v[g].messages = count[g];
    if (model_count_distinct(rcpts, nr, count, out->n) != 0)
        goto done;
    for (size_t g = 0; g < out->n; g++) {
        out->v[g].recipients = count[g];
        out->v[g].idx = malloc(out->v[g].records * sizeof *out->v[g].idx);
        if (!out->v[g].idx)
            goto done;
    }
    for (size_t k = 0; k < n; k++) {   /* each group's records in input order */
        model_group *g = &out->v[gid[k]];
        g->idx[g->nidx++] = sel ? sel[k] : k;
    }
    qsort(out->v, out->n, sizeof *out->v, cmp_group);
    rc = 0;
done:
    free(t.slot);
    free(t.hash);
    free(gid);
    free(msgs);
    free(rcpts);
    free(count);
    if (rc != 0)
        model_groups_free(out);
    return rc;
}

int model_group_records(const rb_records *rs, model_by by, model_groups *out)
{
    return model_group_subset(rs, NULL, rs->n, by, out);
}

void model_groups_free(model_groups *g)
{
    for (size_t i = 0; i < g->n; i++)
        free(g->v[i].idx);
    free(g->v);
    memset(g, 0, sizeof *g);
}

typedef struct {
    const char *key;
    unsigned int uid;
} keyed;

static int cmp_keyed(const void *a, const void *b)
{
    return strcmp(((const keyed *)a)->key, ((const keyed *)b)->key);
}

void model_message_run(const rb_records *rs, size_t i, size_t *lo, size_t *hi)
{
    const char *key = rs->v[i].key;
    *lo = i;
    *hi = i + 1;
    while (key && *lo > 0 && rs->v[*lo - 1].key && !strcmp(rs->v[*lo - 1].key, key))
        (*lo)--;
    while (key && *hi < rs->n && rs->v[*hi].key && !strcmp(rs->v[*hi].key, key))
        (*hi)++;
}

size_t model_messages(const rb_records *rs, const size_t *sel, size_t nsel, const char ***keys,
                      unsigned int **uids)
{
    keyed *k = malloc((nsel ? nsel : 1) * sizeof *k);
    size_t n = 0, d = 0;
    *keys = NULL;
    *uids = NULL;
    if (!k)
        return 0;
    for (size_t j = 0; j < nsel; j++) {
        const rb_record *r = &rs->v[sel ? sel[j] : j];
        if (r->key)
            k[n++] = (keyed){r->key, r->uid};
    }
    if (n)
        qsort(k, n, sizeof *k, cmp_keyed);
    *keys = malloc((n ? n : 1) * sizeof **keys);
    *uids = malloc((n ? n : 1) * sizeof **uids);
    if (!*keys || !*uids) {
        free(*keys);
        free(*uids);
        *keys = NULL;
        *uids = NULL;
        free(k);
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        if (d == 0 || strcmp(k[i].key, (*keys)[d - 1])) {
            (*keys)[d] = strdup(k[i].key);
            if (!(*keys)[d])
                break;
            (*uids)[d++] = k[i].uid;
        }
    free(k);
    return d;
}

void model_messages_free(const char **keys, unsigned int *uids, size_t n)
{
    for (size_t i = 0; keys && i < n; i++)
        free((char *)keys[i]);
    free(keys);
    free(uids);
}
