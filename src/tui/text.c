/* See text.h. Pure: strings in, strings out. */
#include <config.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>
#include "rebote/export.h"
#include "rebote/util.h"
#include "text.h"

int text_char_width(wchar_t wc)
{
    return wcwidth(wc);
}

int text_width(const char *s)
{
    mbstate_t st;
    memset(&st, 0, sizeof st);
    int cols = 0;
    size_t n = s ? strlen(s) : 0;
    while (n > 0) {
        wchar_t wc;
        size_t k = text_next_char(s, n, &st, &wc);
        int cw = text_char_width(wc);
        cols += cw > 0 ? cw : 0;
        s += k;
        n -= k;
    }
    return cols;
}

size_t text_next_char(const char *s, size_t n, mbstate_t *st, wchar_t *wc)
{
    size_t k = mbrtowc(wc, s, n, st);
    if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
        memset(st, 0, sizeof *st);
        *wc = L'?';
        k = 1;
    }
    return k;
}

/* ---- wrapped lines ---- */
void text_push(text_lines *L, const char *s, size_t len, text_style style)
{
    if (L->n == L->cap) {
        size_t cap = L->cap ? L->cap * 2 : 64;
        char **nl = realloc(L->line, cap * sizeof *nl);
        if (!nl)
            return;
        L->line = nl;
        text_style *ns = realloc(L->style, cap * sizeof *ns);
        if (!ns)
            return;
        L->style = ns;
        L->cap = cap;
    }
    char *copy = strndup(s, len);
    if (!copy)
        return;
    L->line[L->n] = copy;
    L->style[L->n++] = style;
}

/* Where the line that starts at p[start] (plen bytes in all) is cut to fit
 * in w columns after `cols` columns already used: at the last space when
 * the text goes on, else where the width ends. */
static size_t text_cut(const char *p, size_t start, size_t plen, int cols, int w)
{
    mbstate_t st;
    memset(&st, 0, sizeof st);
    size_t i = start, cut = 0;
    while (i < plen) {
        wchar_t wc;
        size_t k = text_next_char(p + i, plen - i, &st, &wc);
        int cw = text_char_width(wc);
        if (cols + (cw > 0 ? cw : 0) > w)
            break;
        cols += cw > 0 ? cw : 0;
        if (wc == L' ')
            cut = i;
        i += k;
    }
    return i < plen && cut > start ? cut : i;
}

void text_wrap(text_lines *L, const char *indent, const char *text, text_style style)
{
    char buf[4096], cont[64];
    const char *p = text ? text : "", *first = indent;
    int w = L->width > 8 ? L->width : 8;
    int iw = text_width(indent);   /* continuation lines align */
    snprintf(cont, sizeof cont, "%*s", iw < (int)sizeof cont ? iw : 0, "");
    do {
        const char *nl = strchr(p, '\n');
        size_t plen = nl ? (size_t)(nl - p) : strlen(p);
        size_t start = 0;
        do {
            size_t end = text_cut(p, start, plen, text_width(first), w);
            snprintf(buf, sizeof buf, "%s%.*s", first, (int)(end - start), p + start);
            text_push(L, buf, strlen(buf), style);
            first = cont;
            start = end;
            while (start < plen && p[start] == ' ')
                start++;
        } while (start < plen);
        p = nl ? nl + 1 : NULL;
        first = indent;
    } while (p);
}

void text_free(text_lines *L)
{
    for (size_t i = 0; i < L->n; i++)
        free(L->line[i]);
    free(L->line);
    free(L->style);
    memset(L, 0, sizeof *L);
}

void text_field(text_lines *L, const char *label, const char *value)
{
    if (!value || !value[0])
        return;
    char buf[1400];
    snprintf(buf, sizeof buf, "%s: %s", label, value);
    text_wrap(L, "", buf, TEXT_NORMAL);
}

/* ---- the explanation ---- */
/* Steps separated by '\n', one "- " item each. */
static void text_steps(text_lines *L, const char *steps)
{
    const char *p = steps;
    while (p && *p) {
        const char *nl = strchr(p, '\n');
        char step[1024];
        snprintf(step, sizeof step, "%.*s", (int)(nl ? nl - p : (long)strlen(p)), p);
        text_wrap(L, "- ", step, TEXT_NORMAL);
        p = nl ? nl + 1 : NULL;
    }
}

/* Does s hold the word w (without case; not inside a longer word)? */
static bool text_has_word(const char *s, const char *w)
{
    size_t n = strlen(w);
    for (const char *p = s; n && (p = strcasestr(p, w)); p++) {
        bool starts = p == s || !isalnum((unsigned char)p[-1]);
        bool ends = !isalnum((unsigned char)p[n]);
        if (starts && ends)
            return true;
    }
    return false;
}

void text_hint_heading(const kb_hint *h, char *out, size_t len)
{
    const char *title = _(h->title);
    if (h->name && !text_has_word(title, h->name))   /* most titles name their provider already */
        snprintf(out, len, _("Recognised: %s: %s"), h->name, title);
    else
        snprintf(out, len, _("Recognised: %s"), title);
}

static void text_answer(text_lines *L, const kb_answer *a)
{
    char head[512];
    snprintf(head, sizeof head, "%s%s%s — %s", a->reply, a->reply[0] && a->status[0] ? " " : "", a->status,
             _(a->entry->title));
    text_wrap(L, "", head, TEXT_BOLD);
    if (a->hint) {
        text_hint_heading(a->hint, head, sizeof head);
        text_wrap(L, "", head, TEXT_HEADING);
    }
    text_wrap(L, "", _(a->entry->meaning), TEXT_NORMAL);
    text_field(L, _("Who must act"), _(explain_who_text(a->hint ? a->hint->who : a->entry->who)));
    text_field(L, _("Retry"), _(explain_retry_text(a)));
    if (a->disagree)
        text_wrap(L, "", _("The reply code and the enhanced code disagree; servers act on the reply code."),
                  TEXT_NORMAL);
    text_wrap(L, "", _("What to do:"), TEXT_BOLD);
    text_steps(L, a->hint ? _(a->hint->advice) : _(a->entry->actions));
}

static void text_record_fields(text_lines *L, const rb_record *r, bool full)
{
    const struct {
        const char *label, *value;
        bool full_only;   /* only in the pager */
    } fields[] = {
        {N_("Recipient"), r->recipient, false}, {N_("Diagnostic"), r->diagnostic, false},
        {N_("Remote MTA"), r->rhost, false}, {N_("Reporting MTA"), r->lhost, false},
        {N_("Subject"), r->subject, false}, {N_("Message-Id"), r->messageid, false},
        {N_("Date"), r->date, false}, {N_("Reason"), r->reason, true},
        {N_("Action"), r->action, true}, {N_("SMTP command"), r->command, true},
        {N_("Original sender"), r->sender, true}, {N_("Detected by"), r->agent, true},
        {N_("Message key"), r->key, true},
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (full || !fields[i].full_only)
            text_field(L, _(fields[i].label), fields[i].value);
}

void text_explain(text_lines *L, const rb_record *r, bool full)
{
    if (!r)
        return;
    kb_answer a;
    if (explain_lookup(r->replycode, r->status, r->diagnostic, &a)) {
        text_answer(L, &a);
    } else {
        char head[512];
        snprintf(head, sizeof head, "(%s) %s", rb_kind_name(r->kind), _(explain_kind_text(r->kind)));
        text_wrap(L, "", head, TEXT_BOLD);
    }
    text_push(L, "", 0, TEXT_NORMAL);
    text_wrap(L, "", _("Selected bounce"), TEXT_HEADING);
    text_record_fields(L, r, full);
}

/* ---- rows, header, status ---- */
char text_flag_char(const view *v, const model_group *g, unsigned char flag, char all, char some)
{
    size_t n = 0;
    for (size_t k = 0; k < g->nidx; k++)
        n += (v->flags[g->idx[k]] & flag) != 0;
    return n == 0 ? ' ' : n == g->nidx ? all : some;
}

void text_group_row(char *out, size_t len, const view *v, const model_group *g, size_t max)
{
    char bar[16];
    int blen = (int)(g->records * 10 / (max ? max : 1));
    for (int b = 0; b < 10; b++)
        bar[b] = b < blen || (b == 0 && g->records) ? '#' : ' ';
    bar[10] = '\0';
    snprintf(out, len, "%c%c %-16.16s %7zu %s %s", text_flag_char(v, g, VIEW_MARKED, 'D', 'd'),
             text_flag_char(v, g, VIEW_TAGGED, '*', '+'), g->key, g->records, bar,
             export_group_title(v->rs, g, v->by));
}

void text_bounce_row(char *out, size_t len, const view *v, size_t ri)
{
    const rb_record *r = &v->rs->v[ri];
    char date[16] = "          ";
    if (r->time) {
        time_t t = (time_t)r->time;
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(date, sizeof date, "%Y-%m-%d", &tm);
    }
    unsigned char f = v->flags[ri];
    snprintf(out, len, "%c%c %s %-32.32s %s", f & VIEW_MARKED ? 'D' : ' ', f & VIEW_TAGGED ? '*' : ' ', date,
             r->recipient ? r->recipient : "", r->diagnostic ? r->diagnostic : "");
}

void text_header(char *out, size_t len, const char *title, size_t messages, const view *v)
{
    static const char *const by_names[] = {N_("code"), N_("status"), N_("reason"), N_("domain"), N_("remote MTA")};
    static const char *const sort_names[] = {N_("count"), N_("code"), N_("date")};
    char filter[300] = "";
    if (v->filter.text[0])
        snprintf(filter, sizeof filter, _("  filter: %s"), v->filter.text);
    snprintf(out, len, _("rebote  %s  %zu messages, %zu bounces  by %s, sorted by %s%s"), title, messages, v->nsel,
             _(by_names[v->by]), _(sort_names[v->sort]), filter);
}

/* The indexes of the marked records with a message key: all of them, or only those the limit shows. */
static size_t text_marked(const view *v, bool shown_only, size_t *idx)
{
    size_t n = 0, all = v->nflags < v->rs->n ? v->nflags : v->rs->n;
    size_t lim = shown_only ? v->nsel : all;
    for (size_t j = 0; j < lim; j++) {
        size_t i = shown_only ? v->sel[j] : j;
        if (i < all && (v->flags[i] & VIEW_MARKED) && v->rs->v[i].key)
            idx[n++] = i;
    }
    return n;
}

int text_count_marks(const view *v, text_marks *m)
{
    memset(m, 0, sizeof *m);
    size_t *idx = malloc((v->rs->n ? v->rs->n : 1) * sizeof *idx), shown = 0, rcpts;
    if (!idx)
        return -1;
    int rc = 0;
    size_t n = text_marked(v, false, idx);
    model_groups gs = {0};
    if (n && model_group_subset(v->rs, idx, n, v->by, &gs) == 0) {
        m->groups = gs.n;
        model_groups_free(&gs);
    } else if (n) {
        rc = -1;
    }
    if (n && model_totals(v->rs, idx, n, &m->messages, &rcpts) != 0)
        rc = -1;
    n = text_marked(v, true, idx);
    if (n && model_totals(v->rs, idx, n, &shown, &rcpts) != 0)
        rc = -1;
    m->hidden = m->messages > shown ? m->messages - shown : 0;
    free(idx);
    if (rc != 0)
        memset(m, 0, sizeof *m);
    return rc;
}

void text_commit_question(char *out, size_t len, const text_marks *m, const char *title)
{
    char what[64], groups[64], hidden[128] = "";
    snprintf(what, sizeof what, ngettext("%zu message", "%zu messages", m->messages), m->messages);
    snprintf(groups, sizeof groups, ngettext("%zu group", "%zu groups", m->groups), m->groups);
    if (m->hidden)
        snprintf(hidden, sizeof hidden,
                 ngettext(", %zu of them hidden by the limit,", ", %zu of them hidden by the limit,", m->hidden),
                 m->hidden);
    snprintf(out, len, _("Delete %s (%s)%s from %s? [y/N] "), what, groups, hidden, title);
}

void text_status(char *out, size_t len, const view *v, bool tagged_next, const char *progress)
{
    text_marks m;
    text_count_marks(v, &m);
    char marked[64], groups[64], hidden[64] = "";
    snprintf(marked, sizeof marked, ngettext("%zu message", "%zu messages", m.messages), m.messages);
    snprintf(groups, sizeof groups, ngettext("%zu group", "%zu groups", m.groups), m.groups);
    if (m.hidden)
        snprintf(hidden, sizeof hidden, ngettext(" (%zu hidden)", " (%zu hidden)", m.hidden), m.hidden);
    size_t tagged = view_count(v, VIEW_TAGGED, NULL);
    int o = progress ? snprintf(out, len, "%.127s  |  ", progress) : 0;
    if (o < 0 || (size_t)o >= len)
        o = 0;
    snprintf(out + o, len - (size_t)o, _("%s tagged: %zu  marked for deletion: %s in %s%s  |  ? help  q quit"),
             tagged_next ? ";" : " ", tagged, marked, groups, hidden);
}
