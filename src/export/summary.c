/* See rebote/export.h: summaries in four formats from one set of rows. */
#include <config.h>
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <jansson.h>
#include "rebote/explain.h"
#include "rebote/export.h"
#include "rebote/sanitize.h"
#include "rebote/util.h"

#define TOP_DOMAINS 3

typedef struct {
    char name[sizeof ((model_group *)0)->key];
    size_t count;
} domain_count;

/* One summary row: a group with its title and top recipient domains. */
typedef struct {
    const model_group *g;
    const char *title;
    domain_count top[TOP_DOMAINS];
    size_t ntop;
    size_t kinds[MODEL_NKINDS];   /* the group's records of each kind */
} summary_row;

typedef struct {
    size_t messages, recipients, records, hard, soft;
    size_t kinds[MODEL_NKINDS];   /* records of each kind: bounces, auto-replies, ... apart */
} summary_totals;

/* The kinds' names in the CSV columns and JSON objects, in this order. */
static const struct { rb_kind kind; const char *name; } summary_kinds[] = {
    {RB_KIND_BOUNCE, "bounces"}, {RB_KIND_DELAY, "delays"}, {RB_KIND_AUTOREPLY, "autoreplies"},
    {RB_KIND_FEEDBACK, "feedback"}, {RB_KIND_DELIVERED, "delivered"}, {RB_KIND_CHALLENGE, "challenges"},
    {RB_KIND_NONE, "not_bounces"},
};
#define SUMMARY_NKINDS (sizeof summary_kinds / sizeof summary_kinds[0])

static json_t *summary_kinds_json(const size_t kinds[MODEL_NKINDS])
{
    json_t *o = json_object();
    for (size_t i = 0; i < SUMMARY_NKINDS; i++)
        json_object_set_new(o, summary_kinds[i].name, json_integer((json_int_t)kinds[summary_kinds[i].kind]));
    return o;
}

/* Soft failures: bounces and delays that are not hard (auto-replies and
 * abuse reports are neither). */
static size_t soft(const model_group *g)
{
    return g->failures > g->hard ? g->failures - g->hard : 0;
}

int export_format_parse(const char *name)
{
    static const struct { const char *name; export_format f; } names[] = {
        {"text", EXPORT_TEXT}, {"csv", EXPORT_CSV}, {"json", EXPORT_JSON}, {"markdown", EXPORT_MARKDOWN},
        {"md", EXPORT_MARKDOWN},
    };
    for (size_t i = 0; name && i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(name, names[i].name))
            return (int)names[i].f;
    return -1;
}

const char *export_format_ext(export_format f)
{
    static const char *const ext[] = {"txt", "csv", "json", "md"};
    return ext[f];
}

/* The group's most frequent recipient domains: its records grouped again
 * by the recipient's domain (largest first, ties by name), without the
 * records that have none (mail that is not a bounce has no recipient). */
static void summary_top_domains(const rb_records *rs, const model_group *g, summary_row *row)
{
    model_groups sub;
    row->ntop = 0;
    if (model_group_subset(rs, g->idx, g->nidx, MODEL_BY_RCPT_DOMAIN, &sub) != 0)
        return;
    for (size_t i = 0; i < sub.n && row->ntop < TOP_DOMAINS; i++) {
        if (!strcmp(sub.v[i].key, MODEL_KEY_UNKNOWN))
            continue;
        snprintf(row->top[row->ntop].name, sizeof row->top[row->ntop].name, "%s", sub.v[i].key);
        row->top[row->ntop++].count = sub.v[i].records;
    }
    model_groups_free(&sub);
}

/* The last answers of export_group_provider, by group: the screen asks for
 * the same groups at every keypress, and a group of 100,000 bounces of one
 * provider costs half a second to read. A group is known by its members'
 * array, their count, first and last, and the records they index. */
#define PROVIDER_MEMO 64
static struct {
    const void *rsv, *idx;
    size_t nidx, first, last;
    const kb_hint *hint;   /* NULL: not one provider's */
} provider_memo[PROVIDER_MEMO];

static const kb_hint *group_provider_hint(const rb_records *rs, const model_group *g)
{
    kb_answer a;
    if (!g->nidx || !explain_lookup(rs->v[g->idx[0]].replycode, rs->v[g->idx[0]].status,
                                    rs->v[g->idx[0]].diagnostic, &a) || !a.overridden)
        return NULL;
    size_t slot = ((uintptr_t)g->idx / sizeof *g->idx ^ g->nidx) % PROVIDER_MEMO;
    if (provider_memo[slot].rsv == rs->v && provider_memo[slot].idx == g->idx && provider_memo[slot].nidx == g->nidx &&
        provider_memo[slot].first == g->idx[0] && provider_memo[slot].last == g->idx[g->nidx - 1])
        return provider_memo[slot].hint;
    const kb_hint *hint = a.hint;
    for (size_t k = 1; hint && k < g->nidx; k++) {
        const rb_record *r = &rs->v[g->idx[k]];
        kb_answer b;
        if (!explain_lookup(r->replycode, r->status, r->diagnostic, &b) || b.hint != hint)
            hint = NULL;
    }
    provider_memo[slot].rsv = rs->v;
    provider_memo[slot].idx = g->idx;
    provider_memo[slot].nidx = g->nidx;
    provider_memo[slot].first = g->idx[0];
    provider_memo[slot].last = g->idx[g->nidx - 1];
    provider_memo[slot].hint = hint;
    return hint;
}

bool export_group_provider(const rb_records *rs, const model_group *g, kb_answer *out)
{
    if (!group_provider_hint(rs, g))
        return false;
    const rb_record *r = &rs->v[g->idx[0]];
    return explain_lookup(r->replycode, r->status, r->diagnostic, out);
}

const char *export_group_title(const rb_records *rs, const model_group *g, model_by by)
{
    kb_answer a;
    if (g->nidx && model_kind_own_group(rs->v[g->idx[0]].kind))   /* "(autoreply)" under every grouping */
        return _(explain_kind_text(rs->v[g->idx[0]].kind));
    if ((by == MODEL_BY_CODE || by == MODEL_BY_STATUS) && (g->reply[0] || g->status[0])) {
        if (export_group_provider(rs, g, &a))
            return _(a.title);
        if (explain_lookup(by == MODEL_BY_CODE ? g->reply : NULL, g->status, NULL, &a))
            return _(a.entry->title);
        return "";
    }
    if (by == MODEL_BY_CODE && g->nidx)
        return _(explain_kind_text(rs->v[g->idx[0]].kind));
    if (by == MODEL_BY_REASON) {
        const char *t = explain_reason_text(g->key);
        return t ? t : "";
    }
    return "";
}

/* The words for n records of a kind (ngettext: the plural forms of the language). */
static int kind_words(char *out, size_t len, rb_kind kind, size_t n)
{
    switch (kind) {
    case RB_KIND_BOUNCE: return snprintf(out, len, ngettext("%zu bounce", "%zu bounces", n), n);
    case RB_KIND_DELAY: return snprintf(out, len, ngettext("%zu delay", "%zu delays", n), n);
    case RB_KIND_AUTOREPLY: return snprintf(out, len, ngettext("%zu auto-reply", "%zu auto-replies", n), n);
    case RB_KIND_FEEDBACK:
        return snprintf(out, len, ngettext("%zu feedback report", "%zu feedback reports", n), n);
    case RB_KIND_DELIVERED:
        return snprintf(out, len, ngettext("%zu success notice", "%zu success notices", n), n);
    case RB_KIND_CHALLENGE: return snprintf(out, len, ngettext("%zu challenge", "%zu challenges", n), n);
    case RB_KIND_NONE: return snprintf(out, len, ngettext("%zu not a bounce", "%zu not bounces", n), n);
    }
    return snprintf(out, len, "%zu", n);
}

static void kinds_text(char *out, size_t len, const size_t counts[MODEL_NKINDS], bool bounces_always)
{
    static const rb_kind order[] = {RB_KIND_BOUNCE, RB_KIND_DELAY, RB_KIND_AUTOREPLY, RB_KIND_FEEDBACK,
                                    RB_KIND_DELIVERED, RB_KIND_CHALLENGE, RB_KIND_NONE};
    size_t o = 0;
    if (len)
        out[0] = '\0';
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        size_t c = counts[order[i]];
        if (!c && (order[i] != RB_KIND_BOUNCE || !bounces_always))
            continue;
        if (o && o + 2 < len)
            o += (size_t)snprintf(out + o, len - o, ", ");
        if (o < len)
            o += (size_t)kind_words(out + o, len - o, order[i], c);
    }
}

void export_kinds_text(char *out, size_t len, const size_t counts[MODEL_NKINDS])
{
    kinds_text(out, len, counts, true);
}

void export_kinds_present(char *out, size_t len, const size_t counts[MODEL_NKINDS])
{
    kinds_text(out, len, counts, false);
}

/* Distinct messages and recipients over the whole selection. */
static void summary_totals_get(const rb_records *rs, const size_t *sel, size_t n, const model_groups *gs,
                               summary_totals *t)
{
    memset(t, 0, sizeof t[0]);
    model_totals(rs, sel, n, &t->messages, &t->recipients);
    model_kind_counts(rs, sel, n, t->kinds);
    for (size_t i = 0; i < gs->n; i++) {
        t->records += gs->v[i].records;
        t->hard += gs->v[i].hard;
        t->soft += soft(&gs->v[i]);
    }
}

/* A Unix time in UTC, the day or the full stamp; "" for 0 (unknown). */
static void export_time(long long t, bool full, char *out, size_t len)
{
    time_t tt = (time_t)t;
    struct tm tm;
    out[0] = '\0';
    if (t && gmtime_r(&tt, &tm) && !strftime(out, len, full ? "%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%d", &tm))
        out[0] = '\0';
}

static void day(long long t, char *out, size_t len)
{
    export_time(t, false, out, len);
}

void export_stamp(long long t, char *out, size_t len)
{
    export_time(t, true, out, len);
}

static void domains_text(const summary_row *row, char *out, size_t len)
{
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < row->ntop && o < len; i++)
        o += (size_t)snprintf(out + o, len - o, "%s%s (%zu)", i ? ", " : "", row->top[i].name, row->top[i].count);
}

static double share(size_t part, size_t whole)
{
    return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

static void summary_text(FILE *out, const export_meta *m, const summary_row *rows, size_t n,
                         const summary_totals *t)
{
    char gen[32], since[16], until[16], first[16], last[16], doms[512];
    export_stamp(m->generated, gen, sizeof gen);
    fprintf(out, _("Source: %s (report of %s)\n"), m->source, gen);
    char msgs[64], rcpts[64], recs[64];
    snprintf(msgs, sizeof msgs, ngettext("%zu message", "%zu messages", t->messages), t->messages);
    snprintf(rcpts, sizeof rcpts, ngettext("%zu recipient", "%zu recipients", t->recipients), t->recipients);
    snprintf(recs, sizeof recs, ngettext("%zu record", "%zu records", t->records), t->records);
    fprintf(out, _("Messages: %zu (analysed now %zu, from the cache %zu); in this report: %s, %s, %s\n"),
            m->messages, m->fetched, m->cached, msgs, rcpts, recs);
    if (m->skipped)
        fprintf(out, _("Unreadable, skipped: %zu (not in this report)\n"), m->skipped);
    if (m->selection && m->selection[0])
        fprintf(out, _("Only part of the source: %s\n"), m->selection);
    if (m->since || m->until) {
        day(m->since, since, sizeof since);
        day(m->until, until, sizeof until);
        fprintf(out, _("Period: %s to %s\n"), since[0] ? since : "…", until[0] ? until : "…");
    }
    fputc('\n', out);
    fprintf(out, "%-22s %8s %6s %10s %6s %6s  %-10s  %-10s  %s\n", _("GROUP"), _("MESSAGES"), "%", _("RECIPIENTS"),
            _("HARD"), _("SOFT"), _("FIRST"), _("LAST"), _("MEANING"));
    for (size_t i = 0; i < n; i++) {
        const model_group *g = rows[i].g;
        day(g->first, first, sizeof first);
        day(g->last, last, sizeof last);
        fprintf(out, "%-22s %8zu %5.1f%% %10zu %6zu %6zu  %-10s  %-10s  %s\n", g->key, g->messages,
                share(g->messages, t->messages), g->recipients, g->hard, soft(g),
                first[0] ? first : "-", last[0] ? last : "-", rows[i].title);
        domains_text(&rows[i], doms, sizeof doms);
        if (doms[0])
            fprintf(out, "    %s %s\n", _("domains:"), doms);
    }
    fprintf(out, "%-22s %8zu %5.1f%% %10zu %6zu %6zu\n", _("TOTAL"), t->messages, t->messages ? 100.0 : 0.0,
            t->recipients, t->hard, t->soft);
    char kinds[512];   /* after the table: the lines above keep their places */
    export_kinds_text(kinds, sizeof kinds, t->kinds);
    fprintf(out, _("Kinds: %s\n"), kinds);
    fprintf(out, _("Hard: %s.\nSoft: %s.\n"), _(explain_hard_text()), _(explain_soft_text()));
}

static void summary_csv(FILE *out, const summary_row *rows, size_t n, const summary_totals *t)
{
    char first[16], last[16], doms[512], num[7][32];
    fputs("group,title,messages,share,recipients,records,hard,soft,first,last,top_domains", out);
    for (size_t k = 0; k < SUMMARY_NKINDS; k++)
        fprintf(out, ",%s", summary_kinds[k].name);
    fputs("\r\n", out);
    for (size_t i = 0; i <= n; i++) {
        const model_group *g = i < n ? rows[i].g : NULL;
        size_t msgs = g ? g->messages : t->messages, recs = g ? g->records : t->records, hard = g ? g->hard : t->hard,
               sft = g ? soft(g) : t->soft;
        snprintf(num[0], sizeof num[0], "%zu", msgs);
        snprintf(num[1], sizeof num[1], "%.1f", share(msgs, t->messages));
        snprintf(num[2], sizeof num[2], "%zu", g ? g->recipients : t->recipients);
        snprintf(num[3], sizeof num[3], "%zu", recs);
        snprintf(num[4], sizeof num[4], "%zu", hard);
        snprintf(num[5], sizeof num[5], "%zu", sft);
        day(g ? g->first : 0, first, sizeof first);
        day(g ? g->last : 0, last, sizeof last);
        doms[0] = '\0';
        if (g)
            domains_text(&rows[i], doms, sizeof doms);
        const char *cells[] = {g ? g->key : "TOTAL", g ? rows[i].title : "", num[0], num[1], num[2], num[3],
                               num[4], num[5], first, last, doms};
        for (size_t c = 0; c < sizeof cells / sizeof cells[0]; c++) {
            if (c)
                fputc(',', out);
            csv_cell(out, cells[c]);
        }
        for (size_t k = 0; k < SUMMARY_NKINDS; k++)
            fprintf(out, ",%zu", (g ? rows[i].kinds : t->kinds)[summary_kinds[k].kind]);
        fputs("\r\n", out);
    }
}

static void summary_markdown(FILE *out, const export_meta *m, const summary_row *rows, size_t n,
                             const summary_totals *t)
{
    char gen[32], first[16], last[16], doms[512];
    export_stamp(m->generated, gen, sizeof gen);
    fprintf(out, "## %s ", _("Bounce summary:"));
    md_cell(out, m->source);
    fprintf(out, "\n\n");
    char msgs[64], rcpts[64], fails[96];
    snprintf(msgs, sizeof msgs, ngettext("%zu message", "%zu messages", t->messages), t->messages);
    snprintf(rcpts, sizeof rcpts, ngettext("%zu recipient", "%zu recipients", t->recipients), t->recipients);
    /* TRANSLATORS: %zu hard, then %zu soft; the plural follows the soft count */
    snprintf(fails, sizeof fails, ngettext("%zu hard and %zu soft failure", "%zu hard and %zu soft failures", t->soft),
             t->hard, t->soft);
    fprintf(out, _("Report of %s: %s, %s, %s."), gen, msgs, rcpts, fails);
    char kinds[512];
    export_kinds_text(kinds, sizeof kinds, t->kinds);
    fputc(' ', out);
    fprintf(out, _("Kinds: %s."), kinds);
    if (m->skipped) {
        fputc(' ', out);
        fprintf(out, _("Unreadable, skipped: %zu."), m->skipped);
    }
    if (m->selection && m->selection[0]) {
        fputc(' ', out);
        fprintf(out, _("Only part of the source: %s."), m->selection);
    }
    fprintf(out, "\n\n| %s | %s | %s | %% | %s | %s | %s | %s | %s | %s |\n", _("Group"), _("Meaning"), _("Messages"),
            _("Recipients"), _("Hard"), _("Soft"), _("First"), _("Last"), _("Top domains"));
    fputs("|---|---|--:|--:|--:|--:|--:|---|---|---|\n", out);
    for (size_t i = 0; i < n; i++) {
        const model_group *g = rows[i].g;
        day(g->first, first, sizeof first);
        day(g->last, last, sizeof last);
        domains_text(&rows[i], doms, sizeof doms);
        fputs("| ", out);
        md_cell(out, g->key);
        fputs(" | ", out);
        md_cell(out, rows[i].title);
        fprintf(out, " | %zu | %.1f | %zu | %zu | %zu | %s | %s | ", g->messages, share(g->messages, t->messages),
                g->recipients, g->hard, soft(g), first, last);
        md_cell(out, doms);
        fputs(" |\n", out);
    }
    fprintf(out, "| **%s** | | %zu | %.1f | %zu | %zu | %zu | | | |\n", _("Total"), t->messages,
            t->messages ? 100.0 : 0.0, t->recipients, t->hard, t->soft);
    fputc('\n', out);
    fprintf(out, _("**Hard:** %s. **Soft:** %s.\n"), _(explain_hard_text()), _(explain_soft_text()));
}

static int summary_json(FILE *out, const export_meta *m, model_by by, const summary_row *rows, size_t n,
                        const summary_totals *t)
{
    static const char *const by_names[] = {"code", "status", "reason", "domain", "mta"};
    char buf[32];
    json_t *o = json_object(), *groups = json_array(), *tot = json_object();
    export_stamp(m->generated, buf, sizeof buf);
    json_object_set_new(o, "source", json_string(m->source));
    json_object_set_new(o, "generated", json_string(buf));
    json_object_set_new(o, "by", json_string(by_names[by]));
    day(m->since, buf, sizeof buf);
    json_object_set_new(o, "since", m->since ? json_string(buf) : json_null());
    day(m->until, buf, sizeof buf);
    json_object_set_new(o, "until", m->until ? json_string(buf) : json_null());
    json_object_set_new(o, "source_messages", json_integer((json_int_t)m->messages));
    if (m->skipped)   /* only then: the reports of a readable source stay as they were */
        json_object_set_new(o, "skipped_unreadable", json_integer((json_int_t)m->skipped));
    if (m->selection && m->selection[0])   /* likewise: a report of the whole source has no such key */
        json_object_set_new(o, "selection", json_string(m->selection));
    json_object_set_new(tot, "messages", json_integer((json_int_t)t->messages));
    json_object_set_new(tot, "recipients", json_integer((json_int_t)t->recipients));
    json_object_set_new(tot, "records", json_integer((json_int_t)t->records));
    json_object_set_new(tot, "hard", json_integer((json_int_t)t->hard));
    json_object_set_new(tot, "soft", json_integer((json_int_t)(t->soft)));
    json_object_set_new(tot, "kinds", summary_kinds_json(t->kinds));
    json_object_set_new(o, "totals", tot);
    for (size_t i = 0; i < n; i++) {
        const model_group *g = rows[i].g;
        json_t *j = json_object(), *doms = json_array();
        json_object_set_new(j, "key", json_string(g->key));
        json_object_set_new(j, "title", json_string(rows[i].title));
        json_object_set_new(j, "replycode", json_string(g->reply));
        json_object_set_new(j, "status", json_string(g->status));
        json_object_set_new(j, "messages", json_integer((json_int_t)g->messages));
        json_object_set_new(j, "recipients", json_integer((json_int_t)g->recipients));
        json_object_set_new(j, "records", json_integer((json_int_t)g->records));
        json_object_set_new(j, "hard", json_integer((json_int_t)g->hard));
        json_object_set_new(j, "soft", json_integer((json_int_t)(soft(g))));
        day(g->first, buf, sizeof buf);
        json_object_set_new(j, "first", g->first ? json_string(buf) : json_null());
        day(g->last, buf, sizeof buf);
        json_object_set_new(j, "last", g->last ? json_string(buf) : json_null());
        for (size_t d = 0; d < rows[i].ntop; d++) {
            json_t *dj = json_object();
            json_object_set_new(dj, "domain", json_string(rows[i].top[d].name));
            json_object_set_new(dj, "count", json_integer((json_int_t)rows[i].top[d].count));
            json_array_append_new(doms, dj);
        }
        json_object_set_new(j, "top_domains", doms);
        json_object_set_new(j, "kinds", summary_kinds_json(rows[i].kinds));
        json_array_append_new(groups, j);
    }
    json_object_set_new(o, "groups", groups);
    int rc = json_dumpf(o, out, JSON_INDENT(2) | JSON_ENSURE_ASCII | JSON_PRESERVE_ORDER);
    fputc('\n', out);
    json_decref(o);
    return rc;
}

int export_summary(FILE *out, export_format f, const export_meta *m, const rb_records *rs, const size_t *sel,
                   size_t n, model_by by)
{
    model_groups gs;
    if (model_group_subset(rs, sel, n, by, &gs) != 0)
        return -1;
    summary_row *rows = calloc(gs.n ? gs.n : 1, sizeof *rows);
    if (!rows) {
        model_groups_free(&gs);
        return -1;
    }
    for (size_t i = 0; i < gs.n; i++) {
        rows[i].g = &gs.v[i];
        rows[i].title = export_group_title(rs, &gs.v[i], by);
        summary_top_domains(rs, &gs.v[i], &rows[i]);
        model_kind_counts(rs, gs.v[i].idx, gs.v[i].nidx, rows[i].kinds);
    }
    summary_totals t;
    summary_totals_get(rs, sel, n, &gs, &t);
    char source[2048];   /* a path or URL as the user gave it: shown, never raw */
    export_meta shown = *m;
    sanitize_show(source, sizeof source, m->source ? m->source : "", m->source ? strlen(m->source) : 0);
    shown.source = source;
    int rc = 0;
    switch (f) {
    case EXPORT_TEXT: summary_text(out, &shown, rows, gs.n, &t); break;
    case EXPORT_CSV: summary_csv(out, rows, gs.n, &t); break;
    case EXPORT_MARKDOWN: summary_markdown(out, &shown, rows, gs.n, &t); break;
    case EXPORT_JSON: rc = summary_json(out, &shown, by, rows, gs.n, &t); break;
    }
    free(rows);
    model_groups_free(&gs);
    return rc == 0 && !ferror(out) ? 0 : -1;
}
