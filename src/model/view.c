/* See rebote/view.h. */
#include <config.h>
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "rebote/view.h"

static const struct {
    const char *prefix;
    view_field field;
} view_fields[] = {
    {"to:", VIEW_FIELD_RCPT}, {"domain:", VIEW_FIELD_DOMAIN}, {"diag:", VIEW_FIELD_DIAG},
    {"subject:", VIEW_FIELD_SUBJECT}, {"mta:", VIEW_FIELD_MTA}, {"kind:", VIEW_FIELD_KIND},
};

/* glibc's regexec backtracks without bound on back-references ("(.*)*\1x"
 * ran for minutes, Ctrl-C and SIGTERM unheard), and expands intervals into
 * states ("(a{1,100}){1,100}x" took 10 s a field). A pattern with either
 * of these shapes is used as plain text: a back-reference; an interval on
 * a group or on another interval; a bound over 100; more than two
 * intervals. Bracket expressions and escaped characters are literal. */
static bool view_regex_risky(const char *e)
{
    int intervals = 0;
    char prev = '\0';
    for (const char *s = e; *s; s++) {
        if (*s == '\\' && s[1]) {
            if (s[1] >= '1' && s[1] <= '9')
                return true;
            prev = *++s == '{' ? 'x' : *s;   /* \{ is a brace */
            continue;
        }
        if (*s == '[') {   /* a bracket expression: "]" first is one of its characters */
            const char *end = s + 1 + (s[1] == '^');
            end += *end == ']';
            end = strchr(end, ']');
            if (!end)
                return false;   /* regcomp refuses it */
            s = end;
            prev = ']';
            continue;
        }
        if (*s == '{') {
            if (prev == ')' || prev == '}' || ++intervals > 2)
                return true;
            for (const char *d = s + 1; *d && *d != '}'; d++)
                if (*d >= '0' && *d <= '9' && strtol(d, NULL, 10) > 100)
                    return true;
        }
        prev = *s;
    }
    return false;
}

int view_pattern_set(view_pattern *p, const char *text)
{
    char t[sizeof p->text];   /* a copy: text may be p->text itself */
    snprintf(t, sizeof t, "%s", text ? text : "");
    const char *expr = t;
    view_field field = VIEW_FIELD_ANY;
    unsigned kinds = 0;
    for (size_t i = 0; i < sizeof view_fields / sizeof view_fields[0]; i++)
        if (!strncasecmp(t, view_fields[i].prefix, strlen(view_fields[i].prefix))) {
            expr = t + strlen(view_fields[i].prefix);
            field = view_fields[i].field;
        }
    if (field != VIEW_FIELD_ANY && !expr[strspn(expr, " \t")])   /* "domain:" alone would match everything */
        return VIEW_PATTERN_NO_VALUE;
    for (const char *k = expr; field == VIEW_FIELD_KIND; k += strcspn(k, ",") + 1) {   /* "kind:queja,delay" */
        int kind = model_kind_parse(k, strcspn(k, ","));
        if (kind < 0)
            return VIEW_PATTERN_NO_KIND;
        kinds |= 1u << kind;
        if (!k[strcspn(k, ",")])
            break;
    }
    view_pattern_free(p);
    memcpy(p->text, t, sizeof t);
    p->expr = p->text + (expr - t);
    p->field = field;
    p->kinds = kinds;
    p->plain = VIEW_PLAIN_NO;
    if (field == VIEW_FIELD_KIND || !p->expr[0])
        return 0;
    if (view_regex_risky(p->expr))
        p->plain = VIEW_PLAIN_COSTLY;
    else if (regcomp(&p->re, p->expr, REG_EXTENDED | REG_ICASE | REG_NOSUB) == 0)
        p->is_regex = true;
    else
        p->plain = VIEW_PLAIN_INVALID;
    return 0;
}

void view_pattern_free(view_pattern *p)
{
    if (p->is_regex)
        regfree(&p->re);
    p->is_regex = false;
    p->text[0] = '\0';
    p->expr = p->text;
}

static bool pattern_field(const view_pattern *p, const char *s)
{
    if (!s || !s[0])
        return false;
    return p->is_regex ? regexec(&p->re, s, 0, NULL, 0) == 0 : strcasestr(s, p->expr) != NULL;
}

bool view_pattern_match(const view_pattern *p, const rb_record *r, model_by by)
{
    if (!p->text[0])
        return true;
    if (!p->expr[0])
        return false;
    const char *at;
    switch (p->field) {
    case VIEW_FIELD_RCPT: return pattern_field(p, r->recipient);
    case VIEW_FIELD_DOMAIN:
        at = r->recipient ? strrchr(r->recipient, '@') : NULL;
        return at && pattern_field(p, at + 1);
    case VIEW_FIELD_DIAG: return pattern_field(p, r->diagnostic);
    case VIEW_FIELD_SUBJECT: return pattern_field(p, r->subject);
    case VIEW_FIELD_MTA: return pattern_field(p, r->rhost);
    case VIEW_FIELD_KIND: return (unsigned)r->kind <= RB_KIND_LAST && (p->kinds >> r->kind & 1u);
    case VIEW_FIELD_ANY: break;
    }
    if (pattern_field(p, r->recipient) || pattern_field(p, r->diagnostic) || pattern_field(p, r->subject)
        || pattern_field(p, r->rhost))
        return true;
    char key[160];   /* the group key last: it has to be built */
    model_key(r, by, key, sizeof key);
    return pattern_field(p, key);
}

int view_init(view *v, const rb_records *rs, model_by by)
{
    memset(v, 0, sizeof *v);
    v->rs = rs;
    v->by = by;
    v->flags = calloc(rs->n ? rs->n : 1, 1);
    v->nflags = rs->n;
    return v->flags ? view_refresh(v) : -1;
}

void view_free(view *v)
{
    view_pattern_free(&v->filter);
    model_groups_free(&v->groups);
    free(v->flags);
    free(v->sel);
    free(v->bydate);
    memset(v, 0, sizeof *v);
}

static int cmp_code(const void *a, const void *b)
{
    return strcmp(((const model_group *)a)->key, ((const model_group *)b)->key);
}

/* As model_group_subset sorts: the largest first, then by key. */
static int cmp_count(const void *a, const void *b)
{
    const model_group *x = a, *y = b;
    if (x->records != y->records)
        return x->records < y->records ? 1 : -1;
    return strcmp(x->key, y->key);
}

static int cmp_date(const void *a, const void *b)
{
    const model_group *x = a, *y = b;
    if (x->last != y->last)
        return x->last < y->last ? 1 : -1;
    return strcmp(x->key, y->key);
}

/* The bounces of a group in the view's order: qsort_r is not C11, so the
 * records go through a file-scope pointer (the view is not shared by threads). */
static const rb_records *view_cmp_rs;
static view_msort view_cmp_by;

static const char *view_domain(const char *rcpt)
{
    const char *at = rcpt ? strrchr(rcpt, '@') : NULL;
    return at ? at + 1 : rcpt ? rcpt : "";
}

static int view_cmp_str(const char *a, const char *b)
{
    return strcasecmp(a ? a : "", b ? b : "");
}

static int view_cmp_bounce(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    const rb_record *x = &view_cmp_rs->v[i], *y = &view_cmp_rs->v[j];
    int c = 0;
    if (view_cmp_by == VIEW_MSORT_RCPT)
        c = view_cmp_str(x->recipient, y->recipient);
    else if (view_cmp_by == VIEW_MSORT_DOMAIN)
        c = view_cmp_str(view_domain(x->recipient), view_domain(y->recipient));
    else if (view_cmp_by == VIEW_MSORT_CODE && !(c = strcmp(x->replycode, y->replycode)))
        c = strcmp(x->status, y->status);
    if (!c && x->time != y->time)   /* then newest first */
        c = x->time < y->time ? 1 : -1;
    if (!c && view_cmp_by == VIEW_MSORT_DOMAIN)
        c = view_cmp_str(x->recipient, y->recipient);
    return c ? c : (i > j) - (i < j);   /* stable: input order last */
}

/* Newest first, by a copy of the times beside the indexes: the records
 * are not touched while qsort compares (100,000 of them, at each key). */
typedef struct {
    long long time;
    size_t i;
} view_dated;

static int view_cmp_dated(const void *a, const void *b)
{
    const view_dated *x = a, *y = b;
    if (x->time != y->time)
        return x->time < y->time ? 1 : -1;
    return (x->i > y->i) - (x->i < y->i);
}

/* A bounce with its sort key computed once (not at each of the n log n
 * comparisons): the first sixteen bytes of the key as strcasecmp (strcmp
 * for codes) compares them, packed big-endian so that two integer
 * comparisons order them; the rest of the string is read only when those
 * are equal and both go on. 32 bytes: glibc's qsort sorts larger elements
 * through pointers. */
typedef struct {
    uint64_t k[2];
    long long time;
    uint32_t i;
    uint32_t more;   /* the key goes on past its sixteen bytes */
} view_keyed;

static view_msort view_keyed_by;

/* The string a bounce is sorted by (for codes: the status, after the reply
 * code that k[0] holds whole). */
static const char *view_key_str(view_msort by, const rb_record *r)
{
    static const char none[24] = "";   /* as long as any skip: never read past it, as the flag says */
    if (by == VIEW_MSORT_CODE)
        return r->status;
    const char *s = by == VIEW_MSORT_RCPT ? r->recipient : view_domain(r->recipient);
    return s && s[0] ? s : none;
}

/* Bytes [from, from + 8) of s (zeros after its end, folded by tolower when
 * fold) into *k; how many of them s has. */
static size_t view_key8(const char *s, size_t from, bool fold, uint64_t *k)
{
    uint64_t v = 0;
    size_t n = 0;
    while (n < 8 && s[from + n]) {
        unsigned char c = (unsigned char)s[from + n];
        v = v << 8 | (unsigned char)(fold ? tolower(c) : c);
        n++;
    }
    *k = n ? v << (8 * (8 - n)) : 0;
    return n;
}

/* The keys of record r for the view's sort of bounces. */
static void view_key_of(view_msort by, const rb_record *r, size_t i, view_keyed *out)
{
    out->time = r->time;
    out->i = (uint32_t)i;
    bool fold = by != VIEW_MSORT_CODE;
    const char *s = view_key_str(by, r);
    size_t n = 0, from = 0;
    out->k[1] = 0;
    if (by == VIEW_MSORT_CODE) {   /* the reply code (3 bytes and its NUL), then twelve of the status */
        uint64_t rc = 0, st;
        size_t rn = strnlen(r->replycode, 4);
        for (size_t b = 0; b < 4; b++)
            rc = rc << 8 | (unsigned char)(b < rn ? r->replycode[b] : 0);
        n = view_key8(s, 0, false, &st);
        out->k[0] = rc << 32 | st >> 32;
        from = n < 4 ? n : 4;
        n = n < 4 ? 0 : view_key8(s, 4, false, &out->k[1]);
        from += n;
        out->more = from == 12 && s[12];
        return;
    }
    n = view_key8(s, 0, fold, &out->k[0]);
    if (n == 8)
        n += view_key8(s, 8, fold, &out->k[1]);
    out->more = n == 16 && s[16];
}

/* view_cmp_bounce on the computed keys. */
static int view_cmp_keyed(const void *a, const void *b)
{
    const view_keyed *x = a, *y = b;
    int c = 0;
    if (x->k[0] != y->k[0])
        c = x->k[0] < y->k[0] ? -1 : 1;
    else if (x->k[1] != y->k[1])
        c = x->k[1] < y->k[1] ? -1 : 1;
    else if (x->more && y->more) {
        size_t skip = view_keyed_by == VIEW_MSORT_CODE ? 12 : 16;
        const char *p = view_key_str(view_keyed_by, &view_cmp_rs->v[x->i]) + skip;
        const char *q = view_key_str(view_keyed_by, &view_cmp_rs->v[y->i]) + skip;
        c = view_keyed_by == VIEW_MSORT_CODE ? strcmp(p, q) : strcasecmp(p, q);
    } else if (x->more != y->more)
        c = x->more ? 1 : -1;   /* equal so far, one goes on */
    if (!c && x->time != y->time)
        c = x->time < y->time ? 1 : -1;
    if (!c && view_keyed_by == VIEW_MSORT_DOMAIN)
        c = view_cmp_str(view_cmp_rs->v[x->i].recipient, view_cmp_rs->v[y->i].recipient);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

/* The bounces of a group by the keys computed beforehand (keys[i]: record
 * i's), or, without them, by comparing the records. */
static void view_sort_bounces(const view *v, model_group *g, const view_keyed *keys, view_keyed *tmp)
{
    if (g->nidx < 2)
        return;
    if (keys && tmp) {
        for (size_t k = 0; k < g->nidx; k++)
            tmp[k] = keys[g->idx[k]];
        view_cmp_rs = v->rs;
        view_keyed_by = v->msort;
        qsort(tmp, g->nidx, sizeof *tmp, view_cmp_keyed);
        for (size_t k = 0; k < g->nidx; k++)
            g->idx[k] = tmp[k].i;
        return;
    }
    view_cmp_rs = v->rs;
    view_cmp_by = v->msort;
    qsort(g->idx, g->nidx, sizeof *g->idx, view_cmp_bounce);
}

/* Every record's sort key, computed in one pass in the records' order
 * (read in memory order, a fifth of the time the groups' order took);
 * NULL when out of memory or too many records for the keys' indexes. */
static view_keyed *view_keys(const view *v)
{
    const rb_records *rs = v->rs;
    view_keyed *keys = rs->n <= UINT32_MAX ? malloc((rs->n ? rs->n : 1) * sizeof *keys) : NULL;
    for (size_t i = 0; keys && i < rs->n; i++) {
        if (v->msort == VIEW_MSORT_DATE)
            keys[i] = (view_keyed){{0, 0}, rs->v[i].time, (uint32_t)i, 0};
        else
            view_key_of(v->msort, &rs->v[i], i, &keys[i]);
    }
    return keys;
}

/* The groups in the view's order; their bounces too when `bounces`. */
static void view_resort_groups(view *v, bool bounces)
{
    if (v->sort == VIEW_SORT_CODE && v->groups.n)
        qsort(v->groups.v, v->groups.n, sizeof *v->groups.v, cmp_code);
    else if (v->sort == VIEW_SORT_DATE && v->groups.n)
        qsort(v->groups.v, v->groups.n, sizeof *v->groups.v, cmp_date);
    else if (v->groups.n)
        qsort(v->groups.v, v->groups.n, sizeof *v->groups.v, cmp_count);
    if (!bounces)
        return;
    size_t most = 1;
    for (size_t g = 0; g < v->groups.n; g++)
        most = v->groups.v[g].nidx > most ? v->groups.v[g].nidx : most;
    view_keyed *tmp = malloc(most * sizeof *tmp), *keys = tmp ? view_keys(v) : NULL;   /* NULL: the slower comparison */
    for (size_t g = 0; g < v->groups.n; g++)
        view_sort_bounces(v, &v->groups.v[g], keys, tmp);
    free(keys);
    free(tmp);
}

/* Every record newest first, sorted again only when the records changed
 * (loaded, deleted, reloaded): grouping in that order gives each group its
 * bounces newest first, with no sort at each key. NULL when out of memory. */
static const size_t *view_bydate(view *v)
{
    const rb_records *rs = v->rs;
    if (v->bydate && v->nbydate == rs->n && v->bydate_of == rs->v)
        return v->bydate;
    free(v->bydate);
    v->bydate = NULL;
    view_dated *tmp = malloc((rs->n ? rs->n : 1) * sizeof *tmp);
    size_t *order = malloc((rs->n ? rs->n : 1) * sizeof *order);
    if (!tmp || !order) {
        free(tmp);
        free(order);
        return NULL;
    }
    for (size_t i = 0; i < rs->n; i++)
        tmp[i] = (view_dated){rs->v[i].time, i};
    qsort(tmp, rs->n, sizeof *tmp, view_cmp_dated);
    for (size_t i = 0; i < rs->n; i++)
        order[i] = tmp[i].i;
    free(tmp);
    v->bydate = order;
    v->nbydate = rs->n;
    v->bydate_of = rs->v;
    return order;
}

/* Each group's bounces put newest first in one pass over the records in
 * date order, touching no record (a sort per group at each key read them
 * all). false when out of memory: nothing changed. */
static bool view_fill_bydate(view *v)
{
    const size_t *order = view_bydate(v);
    size_t *grp = order ? calloc(v->rs->n ? v->rs->n : 1, sizeof *grp) : NULL;   /* group + 1 */
    size_t *cur = grp ? calloc(v->groups.n ? v->groups.n : 1, sizeof *cur) : NULL;
    if (cur) {
        for (size_t g = 0; g < v->groups.n; g++)
            for (size_t k = 0; k < v->groups.v[g].nidx; k++)
                grp[v->groups.v[g].idx[k]] = g + 1;
        for (size_t i = 0; i < v->rs->n; i++) {
            size_t g = grp[order[i]];
            if (g)
                v->groups.v[g - 1].idx[cur[g - 1]++] = order[i];
        }
    }
    free(grp);
    free(cur);
    return cur != NULL;
}

/* By date, each group's bounces come from the one date order kept (one
 * pass, no sort); by another key they are sorted. */
void view_resort(view *v)
{
    bool dated = v->msort == VIEW_MSORT_DATE && view_fill_bydate(v);
    view_resort_groups(v, !dated);
}

int view_refresh(view *v)
{
    size_t *sel = realloc(v->sel, (v->rs->n ? v->rs->n : 1) * sizeof *sel);
    if (!sel)
        return -1;
    v->sel = sel;
    v->nsel = 0;
    for (size_t i = 0; i < v->rs->n; i++)
        if (view_pattern_match(&v->filter, &v->rs->v[i], v->by))
            v->sel[v->nsel++] = i;
    model_groups_free(&v->groups);
    if (model_group_subset(v->rs, v->sel, v->nsel, v->by, &v->groups) != 0)
        return -1;
    bool dated = v->msort == VIEW_MSORT_DATE && view_fill_bydate(v);
    view_resort_groups(v, !dated);
    return 0;
}

int view_sync(view *v)
{
    if (v->rs->n > v->nflags) {
        unsigned char *f = realloc(v->flags, v->rs->n);
        if (!f)
            return -1;
        memset(f + v->nflags, 0, v->rs->n - v->nflags);
        v->flags = f;
        v->nflags = v->rs->n;
    }
    return view_refresh(v);
}

int view_set_filter(view *v, const char *text)
{
    int rc = view_pattern_set(&v->filter, text);
    return rc ? rc : view_refresh(v);
}

size_t view_flag_pattern(view *v, const char *text, unsigned char flag, bool on)
{
    view_pattern p = {0};
    size_t changed = 0;
    view_pattern_set(&p, text);
    for (size_t k = 0; p.text[0] && k < v->nsel; k++) {
        size_t i = v->sel[k];
        if (view_pattern_match(&p, &v->rs->v[i], v->by))
            changed += view_flag_record(v, i, flag, on);   /* a mark: the message's other records too */
    }
    view_pattern_free(&p);
    return changed;
}

/* Deletion is per message, and a report for several recipients gives a
 * record per recipient, neighbours in the records: a mark given to or taken
 * from one of them goes to all, so every group the message is in shows it
 * and the counts before $ are what $ deletes (tags stay per record). */
static size_t view_flag_one(view *v, size_t j, unsigned char flag, bool on)
{
    if (!(v->flags[j] & flag) == !on)
        return 0;
    v->flags[j] ^= flag;
    return 1;
}

size_t view_flag_record(view *v, size_t i, unsigned char flag, bool on)
{
    if (i >= v->rs->n || !view_flag_one(v, i, flag, on))
        return 0;
    size_t changed = 1, lo = i, hi = i + 1;
    if (flag & VIEW_MARKED)
        model_message_run(v->rs, i, &lo, &hi);
    for (size_t j = lo; j < hi; j++)
        if (j != i)
            changed += view_flag_one(v, j, VIEW_MARKED, on);
    return changed;
}

size_t view_tag_pattern(view *v, const char *text, bool on)
{
    return view_flag_pattern(v, text, VIEW_TAGGED, on);
}

size_t view_flag_group(view *v, size_t group, unsigned char flag, bool on)
{
    size_t changed = 0;
    if (group >= v->groups.n)
        return 0;
    const model_group *g = &v->groups.v[group];
    for (size_t k = 0; k < g->nidx; k++)
        changed += view_flag_record(v, g->idx[k], flag, on);
    return changed;
}

size_t view_flag_having(view *v, unsigned char having, unsigned char flag, bool on)
{
    size_t changed = 0;
    for (size_t k = 0; k < v->nsel; k++)
        if (v->flags[v->sel[k]] & having)
            changed += view_flag_record(v, v->sel[k], flag, on);
    return changed;
}

size_t view_count(const view *v, unsigned char flag, size_t *groups)
{
    size_t n = 0, ng = 0;
    for (size_t g = 0; g < v->groups.n; g++) {
        size_t in = 0;
        for (size_t k = 0; k < v->groups.v[g].nidx; k++)
            in += (v->flags[v->groups.v[g].idx[k]] & flag) != 0;
        n += in;
        ng += in > 0;
    }
    if (groups)
        *groups = ng;
    return n;
}

size_t view_marked_messages(const view *v, const char ***keys, unsigned int **uids)
{
    size_t *sel = malloc((v->rs->n ? v->rs->n : 1) * sizeof *sel), n = 0;
    *keys = NULL;
    *uids = NULL;
    if (!sel)
        return 0;
    for (size_t i = 0; i < v->rs->n; i++)
        if (v->flags[i] & VIEW_MARKED)
            sel[n++] = i;
    size_t d = model_messages(v->rs, sel, n, keys, uids);
    free(sel);
    return d;
}

static int cmp_key_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void view_drop_messages(view *v, rb_records *rs, const char **keys, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < rs->n; i++) {
        const char *k = rs->v[i].key;
        if (k && n && bsearch(&k, keys, n, sizeof *keys, cmp_key_str)) {
            rb_record_free(&rs->v[i]);
            continue;
        }
        rs->v[o] = rs->v[i];
        v->flags[o++] = v->flags[i];
    }
    rs->n = o;
    v->nflags = o;   /* records appended later (view_sync) start without flags */
}

const char *view_sort_name(view_sort s)
{
    static const char *const names[] = {"count", "code", "date"};
    return s < VIEW_SORT_N ? names[s] : "count";
}

const char *view_msort_name(view_msort s)
{
    static const char *const names[] = {"date", "recipient", "domain", "code"};
    return s < VIEW_MSORT_N ? names[s] : "date";
}
