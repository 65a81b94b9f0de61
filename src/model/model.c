/* See rebote/model.h. Groups by sorting an index: O(n log n), no hashing. */
#include <config.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rebote/model.h"

static void lower_copy(char *out, size_t len, const char *s)
{
    size_t i = 0;
    for (; s[i] && i + 1 < len; i++)
        out[i] = (char)tolower((unsigned char)s[i]);
    out[i] = '\0';
}

void model_key(const rb_record *r, model_by by, char *out, size_t len)
{
    const char *at;
    switch (by) {
    case MODEL_BY_STATUS:
        snprintf(out, len, "%s", r->status[0] ? r->status : "-");
        break;
    case MODEL_BY_REASON:
        snprintf(out, len, "%s", r->reason);
        break;
    case MODEL_BY_DOMAIN:
        at = r->recipient ? strrchr(r->recipient, '@') : NULL;
        lower_copy(out, len, at ? at + 1 : "-");
        break;
    case MODEL_BY_MTA:
        lower_copy(out, len, r->rhost && r->rhost[0] ? r->rhost : "-");
        break;
    default:
        if (r->replycode[0] || r->status[0])
            snprintf(out, len, "%s %s", r->replycode[0] ? r->replycode : "-", r->status[0] ? r->status : "-");
        else
            snprintf(out, len, "(%s)", rb_kind_name(r->kind));
        break;
    }
}

int model_by_parse(const char *name)
{
    static const char *const names[] = {"code", "status", "reason", "domain", "mta"};
    for (int i = 0; i < 5; i++)
        if (!strcmp(name, names[i]))
            return i;
    return -1;
}

typedef struct {
    size_t i;
    char key[160];
    const rb_record *r;
} slot;

static int str0cmp(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

static int cmp_slot(const void *a, const void *b)
{
    const slot *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    if (!c)
        c = str0cmp(x->r->key, y->r->key);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

static int cmp_str_ptr(const void *a, const void *b)
{
    return strcasecmp(*(const char *const *)a, *(const char *const *)b);
}

/* Counts distinct recipients among a group's records. */
static size_t model_distinct_recipients(const rb_records *rs, const size_t *idx, size_t n)
{
    const char **v = malloc((n ? n : 1) * sizeof *v);
    size_t d = 0;
    if (!v)
        return 0;
    for (size_t i = 0; i < n; i++)
        v[i] = rs->v[idx[i]].recipient ? rs->v[idx[i]].recipient : "";
    qsort(v, n, sizeof *v, cmp_str_ptr);
    for (size_t i = 0; i < n; i++)
        d += i == 0 || strcasecmp(v[i], v[i - 1]) != 0;
    free(v);
    return d;
}

static int model_add_group(model_groups *out, const rb_records *rs, const slot *s, size_t from, size_t to)
{
    model_group *v = realloc(out->v, (out->n + 1) * sizeof *v);
    if (!v)
        return -1;
    out->v = v;
    model_group *g = &v[out->n++];
    memset(g, 0, sizeof *g);
    snprintf(g->key, sizeof g->key, "%s", s[from].key);
    const rb_record *first = s[from].r;
    snprintf(g->reply, sizeof g->reply, "%s", first->replycode);
    snprintf(g->status, sizeof g->status, "%s", first->status);
    g->reason = first->reason;
    g->nidx = to - from;
    g->idx = malloc(g->nidx * sizeof *g->idx);
    if (!g->idx)
        return -1;
    for (size_t i = from; i < to; i++) {
        const rb_record *r = s[i].r;
        g->idx[i - from] = s[i].i;
        g->records++;
        g->messages += i == from || str0cmp(r->key, s[i - 1].r->key) != 0 || !r->key;
        g->hard += r->hardbounce;
        if (r->time && (!g->first || r->time < g->first))
            g->first = r->time;
        if (r->time > g->last)
            g->last = r->time;
    }
    g->recipients = model_distinct_recipients(rs, g->idx, g->nidx);
    return 0;
}

static int cmp_group(const void *a, const void *b)
{
    const model_group *x = a, *y = b;
    if (x->records != y->records)
        return x->records < y->records ? 1 : -1;
    return strcmp(x->key, y->key);
}

int model_group_records(const rb_records *rs, model_by by, model_groups *out)
{
    return model_group_subset(rs, NULL, rs->n, by, out);
}

int model_group_subset(const rb_records *rs, const size_t *sel, size_t n, model_by by, model_groups *out)
{
    memset(out, 0, sizeof *out);
    if (n == 0)
        return 0;
    slot *s = malloc(n * sizeof *s);
    if (!s)
        return -1;
    for (size_t i = 0; i < n; i++) {
        s[i].i = sel ? sel[i] : i;
        s[i].r = &rs->v[s[i].i];
        model_key(s[i].r, by, s[i].key, sizeof s[i].key);
    }
    qsort(s, n, sizeof *s, cmp_slot);
    int rc = 0;
    for (size_t from = 0, to; rc == 0 && from < n; from = to) {
        for (to = from + 1; to < n && !strcmp(s[to].key, s[from].key); to++)
            ;
        rc = model_add_group(out, rs, s, from, to);
    }
    free(s);
    if (out->n)
        qsort(out->v, out->n, sizeof *out->v, cmp_group);
    return rc;
}

void model_groups_free(model_groups *g)
{
    for (size_t i = 0; i < g->n; i++)
        free(g->v[i].idx);
    free(g->v);
    memset(g, 0, sizeof *g);
}
