/* See text.h. Pure: strings in, strings out. */
#include <config.h>
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>
#include "rebote/export.h"
#include "rebote/sanitize.h"
#include "rebote/util.h"
#include "text.h"

/* Latin-1 from U+00A0, Latin Extended-A from U+0100: one ASCII letter or
 * sign each ('\0': none). */
static const char text_latin1[] = " !cL$Y|S\"ca\"-\0r-o+23'uP.,1o\"\0\0\0?"
                                  "AAAAAAACEEEEIIIIDNOOOOOxOUUUUYTs"
                                  "aaaaaaaceeeeiiiidnooooo/ouuuuyty";
static const char text_latin_ext_a[] = "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIiIiJjKkkLlLlLlLlLlNnNnNnnNnOoOoOoOo"
                                       "RrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs";

/* The ASCII character drawn for cp where the locale cannot draw it (LANG=C
 * over SSH): dashes, quotes, arrows, box lines and accented Latin letters;
 * 0 when there is none. */
static wchar_t text_ascii_fallback(uint32_t cp)
{
    static const struct {
        uint32_t from, to;
        char c;
    } ranges[] = {
        {0x2010, 0x2015, '-'}, {0x2018, 0x201B, '\''}, {0x201C, 0x201F, '"'}, {0x2020, 0x2021, '+'},
        {0x2022, 0x2023, '*'}, {0x2024, 0x2026, '.'}, {0x2032, 0x2034, '\''}, {0x2039, 0x2039, '<'},
        {0x203A, 0x203A, '>'}, {0x2044, 0x2044, '/'}, {0x20AC, 0x20AC, 'E'}, {0x2190, 0x2190, '<'},
        {0x2191, 0x2191, '^'}, {0x2192, 0x2192, '>'}, {0x2193, 0x2193, 'v'}, {0x2194, 0x2194, '-'},
        {0x21B5, 0x21B5, '<'}, {0x2212, 0x2212, '-'}, {0x2215, 0x2215, '/'}, {0x2219, 0x2219, '.'},
        {0x2500, 0x2501, '-'}, {0x2502, 0x2503, '|'}, {0x250C, 0x254B, '+'}, {0x2550, 0x2550, '='},
        {0x2551, 0x2551, '|'}, {0x2588, 0x2588, '#'}, {0x25CF, 0x25CF, '*'}, {0x2713, 0x2714, 'v'},
        {0x2715, 0x2718, 'x'}, {0x00A0, 0x00A0, ' '}, {0x2000, 0x200A, ' '}, {0x202F, 0x202F, ' '},
        {0x205F, 0x205F, ' '}, {0x3000, 0x3000, ' '},
    };
    if (cp >= 0xA0 && cp < 0x100)
        return (wchar_t)(unsigned char)text_latin1[cp - 0xA0];
    if (cp >= 0x100 && cp < 0x180)
        return (wchar_t)(unsigned char)text_latin_ext_a[cp - 0x100];
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
        if (cp >= ranges[i].from && cp <= ranges[i].to)
            return (wchar_t)ranges[i].c;
    return 0;
}

size_t text_cell(const char *s, size_t n, wchar_t *wc, int *cols)
{
    uint32_t cp;
    size_t k = sanitize_utf8_next(s, n, &cp);
    if (k == 0) {
        cp = 0xFFFD;
        k = 1;
    }
    if (cp == '\t')
        cp = ' ';
    int w = sanitize_cp_width(cp);
    if (w < 0) {   /* the locale cannot draw it: its ASCII fallback, else '?' */
        wchar_t f = text_ascii_fallback(cp);
        cp = f ? (uint32_t)f : '?';
        w = 1;
    }
    *wc = (wchar_t)cp;
    *cols = w;
    return k;
}

int text_width(const char *s)
{
    int cols = 0;
    for (size_t n = s ? strlen(s) : 0; n > 0;) {
        wchar_t wc;
        int cw;
        size_t k = text_cell(s, n, &wc, &cw);
        s += k;
        n -= k;
        cols += cw;
    }
    return cols;
}

void text_fit(char *out, size_t len, const char *s, int cols)
{
    size_t o = 0, n = s ? strlen(s) : 0;
    int used = 0;
    while (n > 0) {
        wchar_t wc;
        int cw;
        size_t k = text_cell(s, n, &wc, &cw);
        if (used + cw > cols || o + k >= len)
            break;
        memcpy(out + o, s, k);
        o += k;
        used += cw;
        s += k;
        n -= k;
    }
    for (; used < cols && o + 1 < len; used++)
        out[o++] = ' ';
    out[o] = '\0';
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

size_t text_cut(const char *p, size_t start, size_t plen, int used, int w, bool at_space)
{
    size_t i = start, space = 0;
    while (i < plen) {
        wchar_t wc;
        int cw;
        size_t k = text_cell(p + i, plen - i, &wc, &cw);
        if (used + cw > w)
            break;
        used += cw;
        if (p[i] == ' ' || p[i] == '\t')
            space = i;
        i += k;
    }
    if (i == start && i < plen)   /* no room for one character: it goes alone, cut by the drawing */
        i += text_cell(p + i, plen - i, &(wchar_t){0}, &(int){0});
    bool broken = i < plen && p[i] != ' ' && p[i] != '\t';   /* a word goes on past the edge */
    return at_space && broken && space > start ? space : i;
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
            size_t end = text_cut(p, start, plen, text_width(first), w, true);
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

/* As the CLI says it (cli/explain.c): the resolved title, meaning, who and
 * steps of the answer; a provider's own meaning of the code wins over the
 * registry's, which is then named at the end. */
static void text_answer(text_lines *L, const kb_answer *a)
{
    char head[512];
    snprintf(head, sizeof head, "%s%s%s — %s", a->reply, a->reply[0] && a->status[0] ? " " : "", a->status,
             _(a->title));
    text_wrap(L, "", head, TEXT_BOLD);
    if (a->hint && !a->overridden) {
        text_hint_heading(a->hint, head, sizeof head);
        text_wrap(L, "", head, TEXT_HEADING);
    }
    text_wrap(L, "", _(a->meaning), TEXT_NORMAL);
    text_field(L, _("Who must act"), _(explain_who_text(a->who)));
    text_field(L, _("Retry"), _(explain_retry_text(a)));
    if (a->disagree)
        text_wrap(L, "", _("The reply code and the enhanced code disagree; servers act on the reply code."),
                  TEXT_NORMAL);
    text_wrap(L, "", _("What to do:"), TEXT_BOLD);
    text_steps(L, explain_actions_text(a));
    if (a->overridden) {
        snprintf(head, sizeof head, _("Registry meaning of %s, not the one meant here: %s"),
                 a->status[0] ? a->status : a->reply, _(a->entry->title));
        text_wrap(L, "", head, TEXT_NORMAL);
    }
}

/* A record without codes: what its kind is, and what to do about it. */
static void text_kind(text_lines *L, const rb_record *r)
{
    char head[512];
    char name[64];   /* the name of its group: "(not a bounce)", not the kind's internal "none" */
    snprintf(name, sizeof name, r->kind == RB_KIND_NONE ? MODEL_KEY_NONE : "(%s)", rb_kind_name(r->kind));
    snprintf(head, sizeof head, "%s %s", text_group_key(name), _(explain_kind_text(r->kind)));
    text_wrap(L, "", head, TEXT_BOLD);
    const char *steps = explain_kind_advice(r->kind);
    if (steps && steps[0]) {
        text_wrap(L, "", _("What to do:"), TEXT_BOLD);
        text_steps(L, _(steps));
    }
}

static void text_record_fields(text_lines *L, const rb_record *r, bool full)
{
    const struct {
        const char *label, *value;
        bool full_only;   /* only in the pager */
    } fields[] = {
        {N_("Recipient"), r->recipient, false}, {N_("Diagnostic"), r->diagnostic, false},
        {N_("Final recipient"), r->finalrecipient, false}, {N_("Source IP"), r->sourceip, false},
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
    if (explain_lookup(r->replycode, r->status, r->diagnostic, &a))
        text_answer(L, &a);
    else
        text_kind(L, r);
    text_push(L, "", 0, TEXT_NORMAL);
    text_wrap(L, "", _("Selected bounce"), TEXT_HEADING);
    text_record_fields(L, r, full);
}

/* ---- hard, soft, and the colours ---- */
text_severity text_record_severity(const rb_record *r)
{
    if (r->kind != RB_KIND_BOUNCE && r->kind != RB_KIND_DELAY)
        return TEXT_SEV_NONE;
    return r->hardbounce ? TEXT_SEV_HARD : TEXT_SEV_SOFT;
}

text_severity text_group_severity(const model_group *g)
{
    if (!g->failures)
        return TEXT_SEV_NONE;
    return g->hard * 2 > g->failures ? TEXT_SEV_HARD : TEXT_SEV_SOFT;
}

void text_limit_kinds(char *out, size_t len)
{
    size_t o = 0;
    out[0] = '\0';
    for (int k = RB_KIND_BOUNCE; k <= RB_KIND_LAST + 1 && o < len; k++) {
        rb_kind kind = k > RB_KIND_LAST ? RB_KIND_NONE : (rb_kind)k;   /* none last */
        char key[64], shown[160];
        snprintf(key, sizeof key, kind == RB_KIND_NONE ? "%s" : "(%s)", kind == RB_KIND_NONE ? MODEL_KEY_NONE : rb_kind_name(kind));
        const char *t = text_group_key(key);   /* as the screen names its group, without the parentheses */
        size_t tn = strlen(t);
        snprintf(shown, sizeof shown, "%.*s", tn > 2 && t[0] == '(' ? (int)tn - 2 : (int)tn, tn > 2 && t[0] == '(' ? t + 1 : t);
        bool same = strcmp(t, key) == 0 && kind != RB_KIND_NONE;   /* English: "feedback", not "feedback (feedback)" */
        int w = snprintf(out + o, len - o, same ? "%s%s" : "%s%s (%s)", o ? ", " : "", rb_kind_name(kind), shown);
        o = w < 0 || (size_t)w >= len - o ? len : o + (size_t)w;
    }
}

void text_limit_help_lines(text_lines *L)
{
    char kinds[512], line[1024];
    text_push(L, "", 0, TEXT_NORMAL);
    text_wrap(L, "", _("The limit's patterns:"), TEXT_BOLD);
    text_wrap(L, "  ", _("an extended regular expression without case (plain text when it is none), matched "
                         "against the recipient, diagnostic, subject, remote MTA and group;"), TEXT_NORMAL);
    text_wrap(L, "  ", _("to:, domain:, diag:, subject:, mta: match one field only, and need a value;"), TEXT_NORMAL);
    text_limit_kinds(kinds, sizeof kinds);
    snprintf(line, sizeof line, _("kind: takes kinds, comma-separated, by their names or as the screen names them: %s."),
             kinds);
    text_wrap(L, "  ", line, TEXT_NORMAL);
}

void text_limit_error(char *out, size_t len, int rc, const char *pattern)
{
    text_pattern_error(out, len, rc, pattern, true);
}

void text_pattern_error(char *out, size_t len, int rc, const char *pattern, bool limit)
{
    const char *p = pattern ? pattern : "", *colon = strchr(p, ':');
    int plen = colon ? (int)(colon - p + 1) : 0;
    if (rc == VIEW_PATTERN_NO_VALUE) {
        snprintf(out, len, limit ? _("%.*s needs a value; the limit stays as it was.")
                                 : _("%.*s needs a value; nothing was done."), plen, p);
        return;
    }
    const char *k = colon ? colon + 1 : p, *bad = "";   /* "" when the name after a last comma is missing */
    size_t n = strcspn(k, ",");
    for (; *k; k += n + (k[n] != '\0'), n = strcspn(k, ","))   /* the first name that is no kind's */
        if (model_kind_parse(k, n) < 0) {
            bad = k;
            break;
        }
    n = strcspn(bad, ",");
    char kinds[512];
    text_limit_kinds(kinds, sizeof kinds);
    snprintf(out, len, limit ? _("kind: \"%.*s\" is not a kind; the limit stays as it was. Kinds: %s.")
                             : _("kind: \"%.*s\" is not a kind; nothing was done. Kinds: %s."), (int)n, bad, kinds);
}

void text_legend_lines(text_lines *L)
{
    text_limit_help_lines(L);
    const struct {
        text_style style;
        const char *label, *text;
    } legend[] = {
        {TEXT_HARD, N_("hard"), explain_hard_text()},
        {TEXT_SOFT, N_("soft"), explain_soft_text()},
        {TEXT_NOFAIL, N_("dim"), N_("not a failure: auto-replies, feedback reports, not a bounce")},
    };
    char key[64];
    text_push(L, "", 0, TEXT_NORMAL);
    text_wrap(L, "", _("Hard and soft failures, and the colours of the rows (red hard, yellow soft, dim neither):"),
              TEXT_BOLD);
    for (size_t i = 0; i < sizeof legend / sizeof legend[0]; i++) {
        int pad = 8 - text_width(_(legend[i].label));
        snprintf(key, sizeof key, "  %s%*s ", _(legend[i].label), pad > 0 ? pad : 1, "");
        text_wrap(L, key, _(legend[i].text), legend[i].style);
    }
}

/* ---- rows, header, status ---- */
char text_flag_char(const view *v, const model_group *g, unsigned char flag, char all, char some)
{
    size_t n = 0;
    for (size_t k = 0; k < g->nidx; k++)
        n += (v->flags[g->idx[k]] & flag) != 0;
    return n == 0 ? ' ' : n == g->nidx ? all : some;
}

const char *text_group_key(const char *key)
{
    static const char *const keys[] = {N_("(autoreply)"), N_("(feedback)"), N_(MODEL_KEY_NONE), N_("(delivered)"),
                                       N_("(challenge)"), N_("(delay)"), N_(MODEL_KEY_UNKNOWN),
                                       N_("(bounce)")};
    for (size_t i = 0; key && i < sizeof keys / sizeof keys[0]; i++)
        if (!strcmp(key, keys[i]))
            return _(keys[i]);
    return key ? key : "";
}

int text_group_key_width(const view *v, int most)
{
    int w = 9;   /* "550 5.1.1" */
    for (size_t i = 0; i < v->groups.n && w < most; i++) {
        int k = text_width(text_group_key(v->groups.v[i].key));
        w = k > w ? k : w;
    }
    return w < most ? w : most;
}

void text_group_row(char *out, size_t len, const view *v, const model_group *g, size_t max, int keyw)
{
    char bar[16];
    int blen = (int)(g->records * 10 / (max ? max : 1));
    for (int b = 0; b < 10; b++)
        bar[b] = b < blen || (b == 0 && g->records) ? '#' : ' ';
    bar[10] = '\0';
    char key[640];
    text_fit_ellipsis(key, sizeof key, text_group_key(g->key), keyw > 0 ? keyw : 16);   /* by columns */
    snprintf(out, len, "%c%c %s %7zu %s %s", text_flag_char(v, g, VIEW_MARKED, 'D', 'd'),
             text_flag_char(v, g, VIEW_TAGGED, '*', '+'), key, g->records, bar,
             export_group_title(v->rs, g, v->by));
}

void text_group_columns(char *out, size_t len, const view *v, int keyw)
{
    static const char *const by_heads[] = {N_("Code"), N_("Status"), N_("Reason"), N_("Domain"), N_("Remote MTA")};
    char key[640];
    text_fit(key, sizeof key, _(by_heads[v->by < 5 ? v->by : 0]), keyw > 0 ? keyw : 16);
    int cw = text_width(_("Count"));
    int bar = cw > 7 ? 10 - (cw - 7) : 10;   /* a longer word takes from the bar's columns */
    snprintf(out, len, "   %s %*s%s %*s %s", key, cw < 7 ? 7 - cw : 0, "", _("Count"), bar > 0 ? bar : 0, "",
             _("What it is"));
}

void text_position(char *out, size_t len, size_t sel, size_t n)
{
    size_t o = strlen(out);
    if (n && o < len)
        snprintf(out + o, len - o, "  %zu/%zu", (sel < n ? sel : n - 1) + 1, n);
}

/* Is p (in s) the start of the code c, as a word: not inside a longer
 * word or number, followed by a space, '-' or the end? */
static bool text_code_at(const char *s, const char *p, const char *c)
{
    size_t n = strlen(c);
    if (!n || strncmp(p, c, n))
        return false;
    bool starts = p == s || !(isalnum((unsigned char)p[-1]) || p[-1] == '.' || p[-1] == '@');
    return starts && (p[n] == ' ' || p[n] == '-' || p[n] == '\0');
}

/* What the servers wrap the reply in: the reply comes after the last of them. */
static const char *const text_wrappers[] = {
    "Technical details of permanent failure:", "Technical details of temporary failure:", "Remote host said:",
    "because:", "<<< ", "(reason:", "said:", "Diagnostic-Code:", "smtp;",
};

/* Past the address a reply starts with, "<a@b.example>: " (Postfix,
 * Domino) or "<a@b.example>... " (Sendmail): the row's recipient column
 * shows it. p itself when there is none, or nothing after it. */
static const char *text_skip_address(const char *p)
{
    if (*p != '<')
        return p;
    size_t n = strcspn(p + 1, "<> \t");
    const char *q = p + 1 + n;
    if (*q != '>' || !n || !memchr(p + 1, '@', n))
        return p;
    q++;
    if (*q == ':')
        q++;
    else if (!strncmp(q, "...", 3))
        q += 3;
    else
        return p;
    while (*q == ' ' || *q == '\t')
        q++;
    return *q ? q : p;
}

const char *text_reply(const rb_record *r)
{
    const char *d = r->diagnostic ? r->diagnostic : "", *p = d;
    for (size_t i = 0; i < sizeof text_wrappers / sizeof text_wrappers[0]; i++) {
        const char *q = NULL;
        for (const char *at = d; (at = strcasestr(at, text_wrappers[i])); at++)
            q = at;   /* the last one */
        if (q && q + strlen(text_wrappers[i]) > p)
            p = q + strlen(text_wrappers[i]);
    }
    for (const char *q = p; *q; q++)   /* the reply code, where the wrapper had no words */
        if (text_code_at(d, q, r->replycode) || (!r->replycode[0] && text_code_at(d, q, r->status))) {
            p = q;
            break;
        }
    while (*p == ' ' || *p == ':' || *p == '\t')
        p++;
    if (text_code_at(d, p, r->replycode))   /* the code column shows the codes */
        p += strlen(r->replycode) + (p[strlen(r->replycode)] != '\0');
    if (text_code_at(d, p, r->status))
        p += strlen(r->status) + (p[strlen(r->status)] != '\0');
    while (*p == ' ' || *p == ':' || *p == '\t')
        p++;
    p = text_skip_address(p);
    return *p ? p : d;
}

const char *text_ellipsis(void)
{
    wchar_t wc;
    int cw;
    text_cell("…", strlen("…"), &wc, &cw);
    return wc == 0x2026 ? "…" : "...";   /* LANG=C: three dots, not one, which reads as a full stop */
}

void text_fit_ellipsis(char *out, size_t len, const char *s, int cols)
{
    if (text_width(s) <= cols) {
        text_fit(out, len, s, cols);
        return;
    }
    const char *ell = text_ellipsis();
    int ew = text_width(ell);
    if (cols <= ew) {
        text_fit(out, len, s, cols);
        return;
    }
    char head[640];
    text_fit(head, sizeof head, s, cols - ew);
    size_t o = strlen(head);
    while (o > 0 && head[o - 1] == ' ')   /* the padding, and a space the cut left */
        head[--o] = '\0';
    int used = text_width(head);
    snprintf(out, len, "%s%s%*s", head, ell, cols - ew - used > 0 ? cols - ew - used : 0, "");
}

/* What a row says of a record: the reply itself; for a feedback report its
 * type and the source; for mail that is no bounce its subject. */
static void text_row_what(char *out, size_t len, const rb_record *r)
{
    if (r->kind == RB_KIND_NONE) {
        snprintf(out, len, "%s", r->subject ? r->subject : "");
    } else if (r->kind == RB_KIND_FEEDBACK) {
        const char *ip = r->sourceip;   /* the Reporting-MTA is not the source */
        if (ip && ip[0])
            snprintf(out, len, _("feedback: %s, source %s"), r->feedbacktype && r->feedbacktype[0] ? r->feedbacktype : "-", ip);
        else
            snprintf(out, len, _("feedback: %s"), r->feedbacktype && r->feedbacktype[0] ? r->feedbacktype : "-");
    } else {
        snprintf(out, len, "%s", text_reply(r));
    }
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
    char rcpt[160], what[1024];
    bool other = r->kind == RB_KIND_NONE;   /* not a bounce: who sent it and what it is about */
    const char *who = other ? r->sender : r->recipient;
    text_fit_ellipsis(rcpt, sizeof rcpt, who ? who : "", TEXT_RCPT_COLS);   /* cut with an ellipsis */
    char code[32], codecol[64];   /* the code on every row, whatever the grouping; "-" for none */
    snprintf(code, sizeof code, "%s%s%s", r->replycode, r->replycode[0] && r->status[0] ? " " : "", r->status);
    text_fit(codecol, sizeof codecol, code[0] ? code : "-", TEXT_CODE_COLS);
    text_row_what(what, sizeof what, r);
    snprintf(out, len, "%c%c %s %s %s %s", f & VIEW_MARKED ? 'D' : ' ', f & VIEW_TAGGED ? '*' : ' ', date, codecol,
             rcpt, what);
}

void text_bounce_columns(char *out, size_t len)
{
    char date[64], code[64], rcpt[160];
    text_fit(date, sizeof date, _("Date"), 10);
    text_fit(code, sizeof code, _("Code"), TEXT_CODE_COLS);
    text_fit(rcpt, sizeof rcpt, _("Recipient"), TEXT_RCPT_COLS);
    snprintf(out, len, "   %s %s %s %s", date, code, rcpt, _("Reply"));
}

void text_join(char *out, size_t len, const text_part *parts, size_t n, int cols)
{
    bool keep[TEXT_MAX_PARTS];
    size_t dropped = 0;
    n = n < TEXT_MAX_PARTS ? n : TEXT_MAX_PARTS;
    for (size_t i = 0; i < n; i++)
        keep[i] = parts[i].text && parts[i].text[0];
    for (;;) {
        int w = 0;
        for (size_t i = 0; i < n; i++)
            if (keep[i])
                w += text_width(parts[i].sep) + text_width(parts[i].text);
        if (w + (dropped ? text_width(text_ellipsis()) : 0) <= cols)
            break;
        size_t low = n;   /* the lowest priority that may go, the last of them first */
        for (size_t i = 0; i < n; i++)
            if (keep[i] && parts[i].prio < TEXT_PRIO_ALWAYS && (low == n || parts[i].prio <= parts[low].prio))
                low = i;
        if (low == n)
            break;   /* only what must stay is left: the screen cuts it at its edge */
        keep[low] = false;
        dropped++;
    }
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n; i++)
        if (keep[i]) {
            int k = snprintf(out + o, len - o, "%s%s", o ? parts[i].sep : "", parts[i].text);
            o = k < 0 || (size_t)k >= len - o ? len - 1 : o + (size_t)k;
        }
    if (dropped)
        snprintf(out + o, len - o, "%s", text_ellipsis());
}

void text_header(char *out, size_t len, const char *title, size_t messages, const view *v, int cols, bool read_only)
{
    text_header_read_only(out, len, title, messages, v, cols, read_only ? "" : NULL);
}

void text_header_read_only(char *out, size_t len, const char *title, size_t messages, const view *v, int cols,
                           const char *read_only)
{
    static const char *const by_names[] = {N_("code"), N_("status"), N_("reason"), N_("domain"), N_("remote MTA")};
    static const char *const sort_names[] = {N_("count"), N_("code"), N_("date")};
    char filter[300] = "", msgs[64], kinds[256 + TEXT_MAX_PARTS], by[96], sorted[96];   /* + a byte per part */
    size_t counts[MODEL_NKINDS];
    if (!messages && !v->rs->n) {
        snprintf(out, len, _("rebote  No bounces in %s"), title);
        return;
    }
    if (v->filter.text[0])
        snprintf(filter, sizeof filter, _("limit: %s"), v->filter.text);
    if (messages == TEXT_LOADING)   /* the kinds so far follow */
        snprintf(msgs, sizeof msgs, "%s", _("loading, so far:"));
    else if (v->filter.text[0])   /* the counts after it are the limit's, not the mailbox's */
        snprintf(msgs, sizeof msgs, ngettext("%zu message; the limit shows:", "%zu messages; the limit shows:", messages),
                 messages);
    else
        snprintf(msgs, sizeof msgs, ngettext("%zu message:", "%zu messages:", messages), messages);
    model_kind_counts(v->rs, v->sel, v->nsel, counts);   /* the kinds apart: an auto-reply is no bounce */
    export_kinds_text(kinds, 256, counts);
    snprintf(by, sizeof by, _("by %s"), _(by_names[v->by]));
    snprintf(sorted, sizeof sorted, _(", sorted by %s"), _(sort_names[v->sort]));
    /* what goes first at 80 columns: the sort, the grouping, the rarer
     * kinds, the message count, then the title (the mailbox path is what
     * tells two rebote windows apart; the bounces stay longest) */
    text_part parts[TEXT_MAX_PARTS] = {{"rebote", "", 9}, {title, "  ", 7}, {msgs, "  ", 6}};
    size_t n = 3;
    char *k = kinds;
    for (int prio = 8; n < TEXT_MAX_PARTS - 4; prio = prio == 8 ? 6 : prio > 5 ? prio - 1 : 5) {   /* "38 bounces", ", 1 delay", … */
        char *comma = strstr(k + 1, ", ");
        if (comma)
            memmove(comma + 1, comma, strlen(comma) + 1);   /* room for the end of this part */
        parts[n] = (text_part){k, n == 3 ? " " : "", prio};
        n++;
        if (!comma)
            break;
        *comma = '\0';
        k = comma + 1;
    }
    parts[n++] = (text_part){by, "  ", 2};
    parts[n++] = (text_part){sorted, "", 1};
    parts[n++] = (text_part){filter, "  ", TEXT_PRIO_ALWAYS};
    char ro[160] = "";
    if (read_only && read_only[0])
        snprintf(ro, sizeof ro, _("[read-only: %s]"), read_only);
    parts[n++] = (text_part){ro[0] ? ro : read_only ? _("[read-only]") : "", "  ", TEXT_PRIO_ALWAYS};
    text_join(out, len, parts, n, cols);
}

/* A set of strings (open addressing; the strings are not copied): counts
 * the distinct messages and groups of the marks in one pass, at every
 * redraw, without sorting (100,000 marks must stay cheap). */
typedef struct {
    const char **slot;
    unsigned char *seen;   /* per slot: a record of it passes the limit */
    size_t mask;
} text_set;

static int text_set_init(text_set *t, size_t n)
{
    size_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    t->slot = calloc(cap, sizeof *t->slot);
    t->seen = calloc(cap, 1);
    t->mask = cap - 1;
    return t->slot && t->seen ? 0 : -1;
}

static void text_set_free(text_set *t)
{
    free(t->slot);
    free(t->seen);
}

/* The slot of s, added if new (*added). */
static size_t text_set_add(text_set *t, const char *s, bool *added)
{
    size_t h = 1469598103934665603u;   /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        h = (h ^ *p) * 1099511628211u;
    for (size_t i = h & t->mask;; i = (i + 1) & t->mask) {
        if (!t->slot[i]) {
            t->slot[i] = s;
            *added = true;
            return i;
        }
        if (!strcmp(t->slot[i], s)) {
            *added = false;
            return i;
        }
    }
}

/* ---- a group explained ---- */
const char *text_reason_text(const char *reason)
{
    return explain_reason_text(reason);
}

const char *text_record_label(const rb_record *r)
{
    kb_answer a;
    if (r->kind != RB_KIND_BOUNCE && r->kind != RB_KIND_DELAY)
        return _(explain_kind_text(r->kind));
    if (explain_lookup(r->replycode, r->status, r->diagnostic, &a) && a.hint)
        return _(a.hint->title);
    const char *t = text_reason_text(r->reason);
    return t ? t : _("cause not recognised");
}

/* A count of labels (the strings are not copied), the largest first. */
typedef struct {
    const char *label;
    size_t n;
} text_tally_row;

/* The max largest counts of labels[0..n) (NULL and "" are left out) into
 * top, largest first (ties: by label); returns the distinct labels, or 0
 * when out of memory. */
static size_t text_tally(const char **labels, size_t n, text_tally_row *top, size_t max, size_t *shown)
{
    text_set t;
    size_t *count = NULL, distinct = 0;
    *shown = 0;
    if (text_set_init(&t, n) != 0 || !(count = calloc(t.mask + 1, sizeof *count))) {
        text_set_free(&t);
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        if (!labels[i] || !labels[i][0])
            continue;
        bool added;
        count[text_set_add(&t, labels[i], &added)]++;
        distinct += added;
    }
    for (size_t s = 0; s <= t.mask; s++) {
        if (!t.slot[s])
            continue;
        text_tally_row row = {t.slot[s], count[s]};
        size_t at = *shown;
        while (at > 0 && (top[at - 1].n < row.n || (top[at - 1].n == row.n && strcmp(top[at - 1].label, row.label) > 0)))
            at--;
        if (at >= max)
            continue;
        size_t last = *shown < max ? *shown : max - 1;
        memmove(&top[at + 1], &top[at], (last - at) * sizeof *top);
        top[at] = row;
        if (*shown < max)
            (*shown)++;
    }
    text_set_free(&t);
    free(count);
    return distinct;
}

/* A heading, then "  N  label" per row, and how many more there are. */
static void text_tally_lines(text_lines *L, const char *heading, const char **labels, size_t n, size_t max)
{
    text_tally_row top[8];
    size_t shown, distinct = text_tally(labels, n, top, max < 8 ? max : 8, &shown);
    if (!shown)
        return;
    text_wrap(L, "", heading, TEXT_BOLD);
    for (size_t i = 0; i < shown; i++) {
        char count[32];
        snprintf(count, sizeof count, "%6zu  ", top[i].n);
        text_wrap(L, count, top[i].label, TEXT_NORMAL);
    }
    if (distinct > shown) {
        char more[96];
        snprintf(more, sizeof more, ngettext("        and %zu more", "        and %zu more", distinct - shown),
                 distinct - shown);
        text_wrap(L, "", more, TEXT_NORMAL);
    }
}

/* The group's first line: its code and the registry's title, or what the grouping groups by. */
static void text_group_heading(text_lines *L, const view *v, const model_group *g, kb_answer *a, bool *has)
{
    char head[512];
    const rb_record *first = g->nidx ? &v->rs->v[g->idx[0]] : NULL;
    bool by_code = v->by == MODEL_BY_CODE || v->by == MODEL_BY_STATUS;
    bool own = first && model_kind_own_group(first->kind);   /* "(autoreply)" under every grouping */
    *has = !own && by_code && (g->reply[0] || g->status[0]) &&
           (export_group_provider(v->rs, g, a) ||   /* one provider's own meaning for all of it */
            explain_lookup(v->by == MODEL_BY_CODE ? g->reply : NULL, g->status, NULL, a));
    const char *reason = v->by == MODEL_BY_REASON ? text_reason_text(g->key) : NULL;
    if (*has && a->overridden)
        snprintf(head, sizeof head, "%s — %s", g->key, _(a->title));
    else if (*has)
        snprintf(head, sizeof head, "%s — %s", g->key, _(a->entry->title));
    else if ((own || v->by == MODEL_BY_CODE) && first)   /* a group of a kind: "(autoreply)", "(delay)" */
        snprintf(head, sizeof head, "%s %s", text_group_key(g->key), _(explain_kind_text(first->kind)));
    else if (v->by == MODEL_BY_STATUS)   /* "(unknown)" may mix bounces and delays: not its first one's kind */
        snprintf(head, sizeof head, _("Status: %s"), text_group_key(g->key));
    else if (v->by == MODEL_BY_REASON)
        snprintf(head, sizeof head, reason ? _("Reason: %s — %s") : _("Reason: %s"), text_group_key(g->key), reason);
    else if (v->by == MODEL_BY_DOMAIN)
        snprintf(head, sizeof head, _("Domain: %s"), text_group_key(g->key));
    else
        snprintf(head, sizeof head, _("Remote MTA: %s"), text_group_key(g->key));
    text_wrap(L, "", head, TEXT_BOLD);
}

void text_group_explain(text_lines *L, const view *v, const model_group *g, const char **memo)
{
    if (!g)
        return;
    kb_answer a;
    bool has;
    char line[512];
    text_group_heading(L, v, g, &a, &has);
    size_t kinds[MODEL_NKINDS];   /* "29 auto-replies", not "Bounces: 29" */
    char what[256];
    model_kind_counts(v->rs, g->idx, g->nidx, kinds);
    export_kinds_present(what, sizeof what, kinds);
    snprintf(line, sizeof line, _("%s; messages: %zu, recipients: %zu"), what, g->messages, g->recipients);
    text_wrap(L, "", line, TEXT_NORMAL);
    if (g->failures) {
        snprintf(line, sizeof line, _("Hard: %zu, soft: %zu"), g->hard, g->failures > g->hard ? g->failures - g->hard : 0);
        text_wrap(L, "", line, TEXT_NORMAL);
    }
    const char **labels = malloc((g->nidx ? g->nidx : 1) * sizeof *labels);
    char (*codes)[24] = malloc((g->nidx ? g->nidx : 1) * sizeof *codes);
    if (labels && codes) {
        for (size_t k = 0; k < g->nidx; k++) {
            size_t ri = g->idx[k];
            if (memo && !memo[ri])
                memo[ri] = text_record_label(&v->rs->v[ri]);
            labels[k] = memo ? memo[ri] : text_record_label(&v->rs->v[ri]);
        }
        text_tally_lines(L, _("What is inside:"), labels, g->nidx, 6);
        if (v->by != MODEL_BY_CODE) {
            for (size_t k = 0; k < g->nidx; k++) {
                const rb_record *r = &v->rs->v[g->idx[k]];
                snprintf(codes[k], sizeof codes[k], "%s%s%s", r->replycode, r->replycode[0] && r->status[0] ? " " : "",
                         r->status);
                labels[k] = codes[k];
            }
            text_tally_lines(L, _("Codes inside:"), labels, g->nidx, 5);
        }
        if (v->by != MODEL_BY_MTA) {
            for (size_t k = 0; k < g->nidx; k++)
                labels[k] = v->rs->v[g->idx[k]].rhost;
            text_tally_lines(L, _("Top remote MTAs:"), labels, g->nidx, 3);
        }
    }
    free(labels);
    free(codes);
    if (has && a.overridden) {   /* every bounce is one provider's, with its own meaning of the code */
        text_wrap(L, "", _(a.meaning), TEXT_NORMAL);
        text_field(L, _("Who must act"), _(explain_who_text(a.who)));
        text_wrap(L, "", _("What to do:"), TEXT_BOLD);
        text_steps(L, explain_actions_text(&a));
    } else if (has) {   /* the code's own meaning: no provider's, or the group mixes them */
        text_wrap(L, "", _(a.entry->meaning), TEXT_NORMAL);
        text_field(L, _("Who must act"), _(explain_who_text(a.entry->who)));
        text_wrap(L, "", _("What to do:"), TEXT_BOLD);
        text_steps(L, explain_actions_text(&a));
    }
    if (has && a.temporary && kinds[RB_KIND_BOUNCE]) {   /* a temporary code, yet returned for good */
        snprintf(line, sizeof line, ngettext("%zu was returned for good although the code is temporary: %s",
                                             "%zu were returned for good although the code is temporary: %s",
                                             kinds[RB_KIND_BOUNCE]),
                 kinds[RB_KIND_BOUNCE], _(explain_gave_up_text()));
        text_wrap(L, "", line, TEXT_NORMAL);
    }
}

/* Marked records with a message key (what $ deletes): n, and their indexes. */
static size_t text_marked(const view *v, size_t *idx)
{
    size_t n = 0, all = v->nflags < v->rs->n ? v->nflags : v->rs->n;
    for (size_t i = 0; i < all; i++)
        if ((v->flags[i] & VIEW_MARKED) && v->rs->v[i].key)
            idx[n++] = i;
    return n;
}

/* The groups of the marked records: without a limit the view's groups say
 * it; with one, the group keys of every marked record are counted. */
static int text_marked_groups(const view *v, const size_t *idx, size_t n, size_t *groups)
{
    *groups = 0;
    if (!v->filter.text[0]) {
        view_count(v, VIEW_MARKED, groups);
        return 0;
    }
    char (*keys)[sizeof ((model_group *)0)->key] = malloc((n ? n : 1) * sizeof *keys);
    text_set t;
    int rc = keys && text_set_init(&t, n) == 0 ? 0 : -1;
    for (size_t j = 0; rc == 0 && j < n; j++) {
        bool added;
        model_key(&v->rs->v[idx[j]], v->by, keys[j], sizeof keys[j]);
        text_set_add(&t, keys[j], &added);
        *groups += added;
    }
    if (keys && rc == 0)
        text_set_free(&t);
    free(keys);
    return rc;
}

int text_count_marks(const view *v, text_marks *m)
{
    memset(m, 0, sizeof *m);
    size_t cap = v->rs->n ? v->rs->n : 1;
    size_t *idx = malloc(cap * sizeof *idx);
    unsigned char *shown = calloc(cap, 1);   /* per record: the limit lets it through */
    text_set t = {0};
    int rc = idx && shown ? 0 : -1;
    size_t n = rc == 0 ? text_marked(v, idx) : 0, visible = 0;
    if (rc == 0 && n)
        rc = text_set_init(&t, n);
    for (size_t j = 0; rc == 0 && j < v->nsel; j++)
        if (v->sel[j] < cap)
            shown[v->sel[j]] = 1;
    for (size_t j = 0; rc == 0 && j < n; j++) {
        bool added;
        size_t slot = text_set_add(&t, v->rs->v[idx[j]].key, &added);
        m->messages += added;
        if (shown[idx[j]] && !t.seen[slot]) {
            t.seen[slot] = 1;
            visible++;
        }
    }
    m->hidden = m->messages - visible;
    if (rc == 0 && n)
        rc = text_marked_groups(v, idx, n, &m->groups);
    if (n && t.slot)
        text_set_free(&t);
    free(idx);
    free(shown);
    if (rc != 0)
        memset(m, 0, sizeof *m);
    return rc;
}

/* A fingerprint of what the counts depend on: the records, the limit, the
 * grouping and which records are marked (one pass over the flags). */
static unsigned long long text_marks_sig(const view *v)
{
    unsigned long long sig = (unsigned long long)v->rs->n * 0x9e3779b97f4a7c15ull ^ (unsigned long long)v->nsel << 20 ^
                             (unsigned long long)v->by << 56 ^ (unsigned long long)(uintptr_t)v->rs->v;
    for (const unsigned char *p = (const unsigned char *)v->filter.text; *p; p++)
        sig = (sig ^ *p) * 1099511628211ull;
    size_t all = v->nflags < v->rs->n ? v->nflags : v->rs->n;
    for (size_t i = 0; i < all; i++)
        if (v->flags[i] & VIEW_MARKED) {
            unsigned long long z = i + 0x9e3779b97f4a7c15ull;   /* splitmix64 of the index */
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
            z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
            sig += z ^ (z >> 31);
        }
    return sig;
}

int text_count_marks_memo(const view *v, text_marks_memo *memo, text_marks *m)
{
    unsigned long long sig = text_marks_sig(v);
    if (memo->valid && memo->sig == sig) {
        *m = memo->m;
        return 0;
    }
    int rc = text_count_marks(v, m);
    memo->valid = rc == 0;
    memo->sig = sig;
    memo->m = *m;
    return rc;
}

void text_commit_question(char *out, size_t len, const text_marks *m, const char *title, int cols)
{
    char what[96], groups[96], hidden[160] = "", from[600], n[64];
    snprintf(n, sizeof n, ngettext("%zu message", "%zu messages", m->messages), m->messages);
    snprintf(what, sizeof what, _("Delete %s"), n);
    snprintf(n, sizeof n, ngettext("%zu group", "%zu groups", m->groups), m->groups);
    snprintf(groups, sizeof groups, _(" (%s)"), n);
    if (m->hidden)
        snprintf(hidden, sizeof hidden,
                 ngettext(", %zu of them hidden by the limit", ", %zu of them hidden by the limit", m->hidden), m->hidden);
    snprintf(from, sizeof from, m->hidden ? _(", from %s") : _(" from %s"), title);
    const char *hint = _("? [y/N] ");   /* the answer: always there */
    /* what goes first when it is too long: the mailbox, then the groups;
     * the count and how many of them the limit hides stay */
    const text_part parts[] = {{what, "", TEXT_PRIO_ALWAYS}, {groups, "", 4}, {hidden, "", 6}, {from, "", 2}};
    int room = cols - text_width(hint) - (text_width(text_ellipsis()) - text_width("…"));   /* "..." is wider */
    char q[1024];
    text_join(q, sizeof q, parts, sizeof parts / sizeof parts[0], room > 0 ? room : 1);
    size_t ql = strlen(q), el = strlen("…");
    if (ql >= el && !strcmp(q + ql - el, "…") && strcmp(text_ellipsis(), "…"))   /* LANG=C: "limit...?" */
        snprintf(q + ql - el, sizeof q - (ql - el), "%s", text_ellipsis());
    snprintf(out, len, "%s%s", q, hint);
}

void text_question_fit(char *out, size_t len, const char *q, int cols)
{
    const char *hint = strrchr(q, '[');   /* "[y/N] ": kept whole */
    if (text_width(q) <= cols || !hint || hint == q) {
        snprintf(out, len, "%s", q);
        return;
    }
    int hw = text_width(hint), room = cols - hw - text_width(text_ellipsis());
    size_t qlen = (size_t)(hint - q), cut = room > 0 ? text_cut(q, 0, qlen, 0, room, true) : 0;
    while (cut > 0 && (q[cut - 1] == ' ' || q[cut - 1] == ','))   /* no space or comma before the "…" */
        cut--;
    snprintf(out, len, "%.*s%s %s", (int)cut, q, cut ? text_ellipsis() : "", hint);
}

void text_status(char *out, size_t len, const view *v, bool tagged_next, const char *progress,
                 text_marks_memo *memo, int cols)
{
    text_marks m;
    if (memo)
        text_count_marks_memo(v, memo, &m);
    else
        text_count_marks(v, &m);
    char marked[64], groups[64], hidden[64] = "", what[256], tagged[64], prog[160] = "";
    snprintf(marked, sizeof marked, ngettext("%zu message", "%zu messages", m.messages), m.messages);
    snprintf(groups, sizeof groups, ngettext("%zu group", "%zu groups", m.groups), m.groups);
    if (m.hidden)
        snprintf(hidden, sizeof hidden, ngettext(" (%zu hidden)", " (%zu hidden)", m.hidden), m.hidden);
    if (m.messages)
        snprintf(what, sizeof what, _("marked for deletion: %s in %s%s"), marked, groups, hidden);
    else   /* in words, not "0 messages in 0 groups" */
        snprintf(what, sizeof what, "%s", v->rs->n && !v->nsel ? _("no bounce matches the limit, nothing marked")
                                                               : _("nothing marked for deletion"));
    snprintf(tagged, sizeof tagged, _("tagged: %zu"), view_count(v, VIEW_TAGGED, NULL));
    if (progress)
        snprintf(prog, sizeof prog, "%.127s  |  ", progress);
    /* the marks are what $ deletes: they stay; then the progress, the help key */
    const text_part parts[] = {
        {prog, "", 7}, {tagged_next ? "; " : "", "", TEXT_PRIO_ALWAYS}, {tagged, "", 4}, {what, "  ", 9},
        {_("? help"), "  |  ", 6}, {_("q quit"), "  ", 5},
    };
    text_join(out, len, parts, sizeof parts / sizeof parts[0], cols);
}

/* ---- what an action did, in words ---- */
void text_limit_result(char *out, size_t len, const view *v)
{
    size_t counts[MODEL_NKINDS];
    char kinds[512];
    model_kind_counts(v->rs, v->sel, v->nsel, counts);   /* auto-replies and reports are no bounces: apart */
    export_kinds_present(kinds, sizeof kinds, counts);
    if (!v->filter.text[0])
        snprintf(out, len, _("Limit cleared: %s"), v->nsel ? kinds : _("nothing to show"));
    else if (!v->nsel)
        snprintf(out, len, _("Nothing matches the limit %s"), v->filter.text);
    else
        snprintf(out, len, ngettext("%s matches the limit", "%s match the limit", v->nsel), kinds);
}

void text_export_result(char *out, size_t len, const char *path, const rb_records *rs, const size_t *sel, size_t n,
                        bool tagged, bool list, size_t rows)
{
    if (list) {   /* the rows written: no row for auto-replies, reports, repeats */
        snprintf(out, len, ngettext("Wrote %s (%zu recipient)", "Wrote %s (%zu recipients)", rows), path, rows);
        return;
    }
    size_t counts[MODEL_NKINDS];
    char kinds[512];
    model_kind_counts(rs, sel, n, counts);
    export_kinds_present(kinds, sizeof kinds, counts);
    if (!n)
        snprintf(kinds, sizeof kinds, "%s", _("nothing"));
    snprintf(out, len, tagged ? _("Wrote %s (summary of the tagged: %s)") : _("Wrote %s (summary of %s)"), path, kinds);
}

void text_more_line(char *out, size_t len, size_t hidden)
{
    snprintf(out, len, ngettext("↓ %zu more line", "↓ %zu more lines", hidden), hidden);   /* LANG=C draws "v" */
}

size_t text_lines_hidden(const text_lines *L, int rows)
{
    size_t n = L->n;
    while (n > 0 && !L->line[n - 1][0])   /* blank lines at the end are nothing more */
        n--;
    return rows > 1 && n > (size_t)rows ? n - (size_t)rows + 1 : 0;
}
