/* See rebote/tui.h. The screen is redrawn whole after each key: simple, and
 * at a few thousand cells cheap enough over SSH. Every string from a message
 * passes tui_text, which draws printable characters only and measures them
 * as it draws them (tui_cell: wcwidth, nothing for hidden characters). */
#define _XOPEN_SOURCE_EXTENDED 1
#include <config.h>
#include <curses.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>
#include <wctype.h>
#include "rebote/explain.h"
#include "rebote/sanitize.h"
#include "rebote/export.h"
#include "rebote/tui.h"
#include "rebote/util.h"
#include "rebote/view.h"

/* ---- colours: one table of roles ---- */
typedef enum { R_NORMAL, R_HEADER, R_HEADING, R_5XX, R_4XX, R_TAGGED, R_MARKED, R_SELECTED, R_ERROR, R_N } tui_role;

static const struct {
    tui_role role;
    short fg, bg;      /* -1: the terminal's default */
    attr_t mono;       /* without colours */
} tui_colors[] = {
    {R_NORMAL, -1, -1, A_NORMAL},
    {R_HEADER, COLOR_BLACK, COLOR_CYAN, A_REVERSE},
    {R_HEADING, COLOR_CYAN, -1, A_BOLD | A_UNDERLINE},
    {R_5XX, COLOR_RED, -1, A_BOLD},
    {R_4XX, COLOR_YELLOW, -1, A_NORMAL},
    {R_TAGGED, COLOR_GREEN, -1, A_UNDERLINE},
    {R_MARKED, COLOR_MAGENTA, -1, A_DIM | A_BOLD},
    {R_SELECTED, COLOR_BLACK, COLOR_WHITE, A_REVERSE},
    {R_ERROR, COLOR_WHITE, COLOR_RED, A_REVERSE | A_BOLD},
};

static bool tui_has_color;

static attr_t tui_attr(tui_role r)
{
    if (tui_has_color)
        return COLOR_PAIR((short)(r + 1)) | (r == R_5XX || r == R_HEADING || r == R_MARKED ? A_BOLD : 0);
    return tui_colors[r].mono;
}

static void tui_colors_init(bool want)
{
    tui_has_color = want && has_colors() && start_color() == OK;
    if (!tui_has_color)
        return;
    use_default_colors();
    for (size_t i = 0; i < sizeof tui_colors / sizeof tui_colors[0]; i++)
        init_pair((short)(tui_colors[i].role + 1), tui_colors[i].fg, tui_colors[i].bg);
}

/* ---- keys: one table, which also writes the help screen ---- */
typedef enum {
    ACT_NONE, ACT_DOWN, ACT_UP, ACT_PGDN, ACT_PGUP, ACT_TOP, ACT_BOTTOM, ACT_SWITCH, ACT_LEFT, ACT_RIGHT, ACT_ENTER, ACT_TAG,
    ACT_TAG_PATTERN, ACT_UNTAG_PATTERN, ACT_TAGGED, ACT_TAG_ALL, ACT_MARK, ACT_UNMARK, ACT_COMMIT, ACT_FILTER, ACT_SORT,
    ACT_GROUPING, ACT_EXPORT, ACT_RELOAD, ACT_HELP, ACT_QUIT, ACT_REDRAW
} tui_action;

static const struct {
    int key;
    tui_action action;
    const char *label;   /* NULL: an alias, not listed in the help */
    const char *help;
} tui_keys[] = {
    {'j', ACT_DOWN, "j ↓", N_("next line")},
    {KEY_DOWN, ACT_DOWN, NULL, NULL},
    {'k', ACT_UP, "k ↑", N_("previous line")},
    {KEY_UP, ACT_UP, NULL, NULL},
    {KEY_NPAGE, ACT_PGDN, "PgDn", N_("next page")},
    {' ', ACT_PGDN, NULL, NULL},
    {KEY_PPAGE, ACT_PGUP, "PgUp", N_("previous page")},
    {'g', ACT_TOP, "g", N_("first line")},
    {KEY_HOME, ACT_TOP, NULL, NULL},
    {'G', ACT_BOTTOM, "G", N_("last line")},
    {KEY_END, ACT_BOTTOM, NULL, NULL},
    {'\t', ACT_SWITCH, "Tab", N_("switch between groups and messages")},
    {KEY_LEFT, ACT_LEFT, "←", N_("go to the groups")},
    {KEY_RIGHT, ACT_RIGHT, "→", N_("go to the messages of the group")},
    {'\n', ACT_ENTER, "Enter", N_("open the group / show the whole bounce")},
    {KEY_ENTER, ACT_ENTER, NULL, NULL},
    {'t', ACT_TAG, "t", N_("tag or untag the line (a group: all its bounces)")},
    {'T', ACT_TAG_PATTERN, "T", N_("tag the bounces matching a pattern")},
    {20, ACT_UNTAG_PATTERN, "^T", N_("untag the bounces matching a pattern")},
    {';', ACT_TAGGED, ";", N_("apply the next t, d or u to the tagged bounces")},
    {'a', ACT_TAG_ALL, "a", N_("tag every bounce of the group")},
    {'d', ACT_MARK, "d", N_("mark the line (message or whole group) for deletion")},
    {'u', ACT_UNMARK, "u", N_("unmark the line")},
    {'$', ACT_COMMIT, "$", N_("delete the marked messages (asks first)")},
    {'/', ACT_FILTER, "/", N_("filter (regex; to:, domain:, diag:, subject:, mta: limit it to a field)")},
    {'s', ACT_SORT, "s", N_("sort groups: count, code, date")},
    {'b', ACT_GROUPING, "b", N_("group by: code, status, reason, domain, remote MTA")},
    {'e', ACT_EXPORT, "e", N_("export the view (only the tagged, when some are)")},
    {'r', ACT_RELOAD, "r", N_("reload the mailbox")},
    {'?', ACT_HELP, "?", N_("this help")},
    {12, ACT_REDRAW, "^L", N_("redraw the screen")},
    {'q', ACT_QUIT, "q", N_("quit (asks when deletions are pending)")},
};

static tui_action tui_key_action(int key)
{
    for (size_t i = 0; i < sizeof tui_keys / sizeof tui_keys[0]; i++)
        if (tui_keys[i].key == key)
            return tui_keys[i].action;
    return key == '\r' ? ACT_ENTER : ACT_NONE;
}

/* ---- state ---- */
typedef enum { PANE_GROUPS, PANE_MESSAGES } tui_pane;

typedef struct {
    tui_context *t;
    bool loading;           /* records still arrive (t->poll) */
    char progress[128];
    view v;
    tui_pane focus;
    size_t gsel, gtop, msel, mtop;
    bool tagged_next;       /* ';' was pressed */
    char msg[512];
    bool msg_error;
    bool quit;
} tui;

typedef struct {
    int gy, gh, my, mh, sy, sh, sx, sw, lw;   /* rows of content (headings above them) */
} tui_layout;

static void tui_layout_get(tui_layout *l)
{
    int body = LINES - 2;   /* header and status line */
    memset(l, 0, sizeof *l);
    if (COLS >= 100) {   /* side pane on the right */
        l->lw = COLS - COLS * 2 / 5;
        l->sx = l->lw + 1;
        l->sw = COLS - l->sx;
        l->gy = 2;
        l->gh = body / 2 - 1;
        l->my = l->gy + l->gh + 1;
        l->mh = body - l->gh - 2;
        l->sy = 2;
        l->sh = body - 1;
    } else {             /* narrow: the side pane moves below */
        l->lw = l->sw = COLS;
        l->gy = 2;
        l->gh = body * 3 / 10 - 1;
        l->my = l->gy + l->gh + 1;
        l->mh = body * 3 / 10 - 1;
        l->sy = l->my + l->mh + 1;
        l->sh = body - l->gh - l->mh - 3;
    }
    if (l->gh < 1) l->gh = 1;
    if (l->mh < 1) l->mh = 1;
    if (l->sh < 1) l->sh = 1;
}

static void tui_say(tui *u, bool error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(u->msg, sizeof u->msg, fmt, ap);
    va_end(ap);
    u->msg_error = error;
}

/* One character of s (n > 0 bytes left) as the screen draws it: *wc the
 * character drawn (U+FFFD for an invalid byte, a space for a tab, '?' for
 * one this locale cannot print), *cols its columns, 0 when it is not drawn
 * at all (controls, bidi, invisible and zero-width characters:
 * sanitize_cp_width). Returns the bytes it takes. Every measure of the
 * screen goes through it, so what is counted is what is drawn. */
static size_t tui_cell(const char *s, size_t n, wchar_t *wc, int *cols)
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
    if (w < 0) {
        cp = '?';
        w = 1;
    }
    *wc = (wchar_t)cp;
    *cols = w;
    return k;
}

/* The columns tui_text takes to draw s whole. */
static int tui_width(const char *s)
{
    int cols = 0;
    for (size_t n = s ? strlen(s) : 0; n > 0;) {
        wchar_t wc;
        int cw;
        size_t k = tui_cell(s, n, &wc, &cw);
        s += k;
        n -= k;
        cols += cw;
    }
    return cols;
}

/* s cut to at most cols columns (never a character cut) and padded with
 * spaces to exactly cols, into out (len bytes): printf's %-N.Ns by columns. */
static void tui_fit(char *out, size_t len, const char *s, int cols)
{
    size_t o = 0, n = s ? strlen(s) : 0;
    int used = 0;
    while (n > 0) {
        wchar_t wc;
        int cw;
        size_t k = tui_cell(s, n, &wc, &cw);
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

/* Draws s at (y, x) in at most w columns, padded; returns the columns used.
 * Only what tui_cell lets through, measured as tui_cell measures it. */
static int tui_text(int y, int x, int w, const char *s, attr_t attr)
{
    int used = 0;
    attron(attr);
    move(y, x);
    size_t n = s ? strlen(s) : 0;
    while (n > 0 && used < w) {
        wchar_t wc;
        int cw;
        size_t k = tui_cell(s, n, &wc, &cw);
        s += k;
        n -= k;
        if (cw == 0)
            continue;
        if (used + cw > w)
            break;
        addnwstr(&wc, 1);
        used += cw;
    }
    for (int i = used; i < w; i++)
        addch(' ');
    attroff(attr);
    return used;
}

/* ---- text of the side pane and the pager: wrapped lines ---- */
typedef struct {
    char **line;
    attr_t *attr;
    size_t n, cap;
    int width;
} tui_lines;

static void lines_push(tui_lines *L, const char *s, size_t len, attr_t attr)
{
    if (L->n == L->cap) {
        size_t cap = L->cap ? L->cap * 2 : 64;
        char **nl = realloc(L->line, cap * sizeof *nl);
        if (!nl)
            return;
        L->line = nl;
        attr_t *na = realloc(L->attr, cap * sizeof *na);
        if (!na)
            return;
        L->attr = na;
        L->cap = cap;
    }
    L->line[L->n] = strndup(s, len);
    L->attr[L->n++] = attr;
}

/* Adds text wrapped at the width (by display columns, at spaces when it can). */
static void lines_wrap(tui_lines *L, const char *indent, const char *text, attr_t attr)
{
    char buf[4096], cont[64];
    const char *p = text ? text : "", *first = indent;
    int w = L->width > 8 ? L->width : 8;
    int iw = tui_width(indent);   /* the indent's columns (its characters are narrow) */
    if (iw >= (int)sizeof cont)
        iw = 0;
    snprintf(cont, sizeof cont, "%*s", iw, "");   /* continuation lines align */
    do {
        const char *nl = strchr(p, '\n');
        size_t plen = nl ? (size_t)(nl - p) : strlen(p);
        size_t start = 0;
        do {
            int cols = tui_width(first);
            size_t i = start, cut = 0;
            while (i < plen) {
                wchar_t wc;
                int cw;
                size_t k = tui_cell(p + i, plen - i, &wc, &cw);
                if (cols + cw > w)
                    break;
                cols += cw;
                if (p[i] == ' ')
                    cut = i;
                i += k;
            }
            size_t end = i;
            if (i < plen && cut > start)
                end = cut;
            snprintf(buf, sizeof buf, "%s%.*s", first, (int)(end - start), p + start);
            lines_push(L, buf, strlen(buf), attr);
            first = cont;
            start = end;
            while (start < plen && p[start] == ' ')
                start++;
        } while (start < plen);
        p = nl ? nl + 1 : NULL;
        first = indent;
    } while (p);
}

static void lines_free(tui_lines *L)
{
    for (size_t i = 0; i < L->n; i++)
        free(L->line[i]);
    free(L->line);
    free(L->attr);
    memset(L, 0, sizeof *L);
}

static void lines_field(tui_lines *L, const char *label, const char *value)
{
    if (!value || !value[0])
        return;
    char buf[1400];
    snprintf(buf, sizeof buf, "%s: %s", label, value);
    lines_wrap(L, "", buf, A_NORMAL);
}

static const rb_record *tui_record(const tui *u)
{
    if (u->gsel >= u->v.groups.n)
        return NULL;
    const model_group *g = &u->v.groups.v[u->gsel];
    size_t m = u->focus == PANE_MESSAGES && u->msel < g->nidx ? u->msel : 0;
    return g->nidx ? &u->v.rs->v[g->idx[m]] : NULL;
}

/* The knowledge layer's answer for the record, then the record itself. */
static void tui_explain_lines(const tui *u, tui_lines *L, bool full)
{
    const rb_record *r = tui_record(u);
    if (!r)
        return;
    kb_answer a;
    char head[512];
    if (explain_lookup(r->replycode, r->status, r->diagnostic, &a)) {
        snprintf(head, sizeof head, "%s%s%s — %s", a.reply, a.reply[0] && a.status[0] ? " " : "", a.status,
                 _(a.entry->title));
        lines_wrap(L, "", head, A_BOLD);
        if (a.hint) {
            snprintf(head, sizeof head, "%s: %s", a.hint->name, _(a.hint->title));
            lines_wrap(L, "", head, tui_attr(R_HEADING));
        }
        lines_wrap(L, "", _(a.entry->meaning), A_NORMAL);
        lines_field(L, _("Who must act"), _(explain_who_text(a.hint ? a.hint->who : a.entry->who)));
        lines_field(L, _("Retry"), _(explain_retry_text(&a)));
        if (a.disagree)
            lines_wrap(L, "", _("The reply code and the enhanced code disagree; servers act on the reply code."),
                       A_NORMAL);
        lines_wrap(L, "", _("What to do:"), A_BOLD);
        const char *steps = a.hint ? _(a.hint->advice) : _(a.entry->actions);
        const char *p = steps;
        while (p && *p) {
            const char *nl = strchr(p, '\n');
            char step[1024];
            snprintf(step, sizeof step, "%.*s", (int)(nl ? nl - p : (long)strlen(p)), p);
            lines_wrap(L, "- ", step, A_NORMAL);
            p = nl ? nl + 1 : NULL;
        }
    } else {
        snprintf(head, sizeof head, "(%s) %s", rb_kind_name(r->kind), _(explain_kind_text(r->kind)));
        lines_wrap(L, "", head, A_BOLD);
    }
    lines_push(L, "", 0, A_NORMAL);
    lines_wrap(L, "", _("Selected bounce"), tui_attr(R_HEADING));
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
            lines_field(L, _(fields[i].label), fields[i].value);
}

/* ---- drawing ---- */
static tui_role tui_code_role(const char *reply, const char *status)
{
    char c = reply && reply[0] ? reply[0] : status && status[0] ? status[0] : 0;
    return c == '5' ? R_5XX : c == '4' ? R_4XX : R_NORMAL;
}


static char tui_flag_char(const tui *u, const model_group *g, unsigned char flag, char all, char some)
{
    size_t n = 0;
    for (size_t k = 0; k < g->nidx; k++)
        n += (u->v.flags[g->idx[k]] & flag) != 0;
    return n == 0 ? ' ' : n == g->nidx ? all : some;
}

static void tui_fix_scroll(size_t sel, size_t *top, int h)
{
    if (sel < *top)
        *top = sel;
    if (sel >= *top + (size_t)h)
        *top = sel - (size_t)h + 1;
}

static void tui_draw_groups(tui *u, const tui_layout *l)
{
    const model_groups *gs = &u->v.groups;
    size_t max = 1;
    for (size_t i = 0; i < gs->n; i++)
        if (gs->v[i].records > max)
            max = gs->v[i].records;
    char head[256];
    snprintf(head, sizeof head, _("Groups (%zu)"), gs->n);
    tui_text(l->gy - 1, 0, l->lw, head, tui_attr(R_HEADING));
    tui_fix_scroll(u->gsel, &u->gtop, l->gh);
    for (int row = 0; row < l->gh; row++) {
        size_t i = u->gtop + (size_t)row;
        if (i >= gs->n) {
            tui_text(l->gy + row, 0, l->lw, "", A_NORMAL);
            continue;
        }
        const model_group *g = &gs->v[i];
        char bar[16] = "", line[512], key[80];
        int blen = (int)(g->records * 10 / max);
        for (int b = 0; b < 10; b++)
            bar[b] = b < blen || (b == 0 && g->records) ? '#' : ' ';
        bar[10] = '\0';
        char marked = tui_flag_char(u, g, VIEW_MARKED, 'D', 'd');
        tui_fit(key, sizeof key, g->key, 16);
        snprintf(line, sizeof line, "%c%c %s %7zu %s %s", marked, tui_flag_char(u, g, VIEW_TAGGED, '*', '+'),
                 key, g->records, bar, export_group_title(u->v.rs, g, u->v.by));
        attr_t at = tui_attr(tui_code_role(g->reply, g->status));
        if (i == u->gsel)
            at = u->focus == PANE_GROUPS ? tui_attr(R_SELECTED) : A_BOLD | A_UNDERLINE;
        else if (marked != ' ')
            at = tui_attr(R_MARKED);
        tui_text(l->gy + row, 0, l->lw, line, at);
    }
}

static void tui_draw_messages(tui *u, const tui_layout *l)
{
    const model_group *g = u->gsel < u->v.groups.n ? &u->v.groups.v[u->gsel] : NULL;
    char head[256];
    snprintf(head, sizeof head, _("Bounces of %s (%zu)"), g ? g->key : "-", g ? g->nidx : 0);
    tui_text(l->my - 1, 0, l->lw, head, tui_attr(R_HEADING));
    if (g)
        tui_fix_scroll(u->msel, &u->mtop, l->mh);
    for (int row = 0; row < l->mh; row++) {
        size_t i = u->mtop + (size_t)row;
        if (!g || i >= g->nidx) {
            tui_text(l->my + row, 0, l->lw, "", A_NORMAL);
            continue;
        }
        size_t ri = g->idx[i];
        const rb_record *r = &u->v.rs->v[ri];
        char date[16] = "          ", line[1400], rcpt[160];
        if (r->time) {
            time_t t = (time_t)r->time;
            struct tm tm;
            gmtime_r(&t, &tm);
            strftime(date, sizeof date, "%Y-%m-%d", &tm);
        }
        unsigned char f = u->v.flags[ri];
        tui_fit(rcpt, sizeof rcpt, r->recipient, 32);
        snprintf(line, sizeof line, "%c%c %s %s %s", f & VIEW_MARKED ? 'D' : ' ', f & VIEW_TAGGED ? '*' : ' ',
                 date, rcpt, r->diagnostic ? r->diagnostic : "");
        attr_t at = f & VIEW_MARKED ? tui_attr(R_MARKED) : f & VIEW_TAGGED ? tui_attr(R_TAGGED) : A_NORMAL;
        if (i == u->msel && u->focus == PANE_MESSAGES)
            at = tui_attr(R_SELECTED);
        tui_text(l->my + row, 0, l->lw, line, at);
    }
}

static void tui_draw_side(tui *u, const tui_layout *l)
{
    tui_lines L = {.width = l->sw - 1};
    tui_explain_lines(u, &L, false);
    tui_text(l->sy - 1, l->sx, l->sw, _("What it means, what to do"), tui_attr(R_HEADING));
    for (int row = 0; row < l->sh; row++)
        tui_text(l->sy + row, l->sx, l->sw, (size_t)row < L.n ? L.line[row] : "",
                 (size_t)row < L.n ? L.attr[row] : A_NORMAL);
    if (COLS >= 100)
        for (int y = 1; y < LINES - 1; y++)
            mvaddch(y, l->lw, ACS_VLINE);
    lines_free(&L);
}

static void tui_draw_status(tui *u)
{
    char line[1024];
    if (u->msg[0]) {
        tui_text(LINES - 1, 0, COLS, u->msg, u->msg_error ? tui_attr(R_ERROR) : A_BOLD);
        return;
    }
    size_t tg, mg;
    size_t tagged = view_count(&u->v, VIEW_TAGGED, &tg), marked = view_count(&u->v, VIEW_MARKED, &mg);
    int o = u->loading ? snprintf(line, sizeof line, "%.127s  |  ", u->progress) : 0;
    snprintf(line + o, sizeof line - (size_t)o,
             _("%s tagged: %zu  marked for deletion: %zu in %zu groups  |  ? help  q quit"),
             u->tagged_next ? ";" : " ", tagged, marked, mg);
    tui_text(LINES - 1, 0, COLS, line, tui_attr(R_HEADER));
}

static void tui_draw(tui *u)
{
    static const char *const by_names[] = {N_("code"), N_("status"), N_("reason"), N_("domain"), N_("remote MTA")};
    static const char *const sort_names[] = {N_("count"), N_("code"), N_("date")};
    tui_layout l;
    tui_layout_get(&l);
    erase();
    char head[1024], filter[300] = "";
    if (u->v.filter.text[0])
        snprintf(filter, sizeof filter, _("  filter: %s"), u->v.filter.text);
    snprintf(head, sizeof head, _("rebote  %s  %zu messages, %zu bounces  by %s, sorted by %s%s"), u->t->title,
             u->t->loaded->messages, u->v.nsel, _(by_names[u->v.by]), _(sort_names[u->v.sort]), filter);
    tui_text(0, 0, COLS, head, tui_attr(R_HEADER));
    tui_draw_groups(u, &l);
    tui_draw_messages(u, &l);
    tui_draw_side(u, &l);
    tui_draw_status(u);
    refresh();
}

/* ---- prompts ---- */
static volatile sig_atomic_t tui_stop;

/* After getch gave ERR: did the terminal go away (the SSH connection
 * dropped: the pty hangs up) or did a signal ask us to stop? Without this a
 * dialog or the pager would spin on ERR forever. */
static bool tui_gone(void)
{
    if (tui_stop)
        return true;
    struct pollfd p = {.fd = STDIN_FILENO, .events = POLLIN};
    return poll(&p, 1, 0) > 0 && (p.revents & (POLLHUP | POLLERR | POLLNVAL));
}

static bool tui_ask(tui *u, const char *question)
{
    (void)u;
    tui_text(LINES - 1, 0, COLS, question, tui_attr(R_ERROR));
    int qw = tui_width(question);
    move(LINES - 1, qw < COLS ? qw : COLS - 1);
    refresh();
    int c = getch();
    const char *yes = _("y");   /* the key that answers yes; anything else is no */
    return c != ERR && (c == yes[0] || c == 'y' || c == 'Y');
}

/* A line editor on the status line, starting from buf's text. Returns false on Esc. */
static bool tui_prompt(const char *label, char *buf, size_t len)
{
    wchar_t w[256];
    size_t n = mbstowcs(w, buf, sizeof w / sizeof w[0] - 1);
    if (n == (size_t)-1)
        n = 0;
    w[n] = L'\0';
    curs_set(1);
    for (;;) {
        char shown[1200];
        char mb[1024];
        size_t m = wcstombs(mb, w, sizeof mb - 1);
        mb[m == (size_t)-1 ? 0 : m] = '\0';
        snprintf(shown, sizeof shown, "%s%s", label, mb);
        int used = tui_text(LINES - 1, 0, COLS, shown, A_BOLD);
        move(LINES - 1, used < COLS ? used : COLS - 1);
        refresh();
        wint_t c;
        int k = get_wch(&c);
        if (k == ERR && tui_gone()) {
            curs_set(0);
            return false;
        }
        if (k == ERR)
            continue;
        if (k == OK && c == 27) {
            curs_set(0);
            return false;
        }
        if ((k == OK && (c == '\n' || c == '\r')) || (k == KEY_CODE_YES && c == KEY_ENTER)) {
            curs_set(0);
            size_t o = wcstombs(buf, w, len - 1);
            buf[o == (size_t)-1 ? 0 : o] = '\0';
            return true;
        }
        if ((k == KEY_CODE_YES && c == KEY_BACKSPACE) || (k == OK && (c == 127 || c == 8))) {
            if (n)
                w[--n] = L'\0';
        } else if (k == OK && iswprint(c) && n + 1 < sizeof w / sizeof w[0]) {
            w[n++] = (wchar_t)c;
            w[n] = L'\0';
        }
    }
}

/* ---- full-screen text: help and the bounce pager ---- */
static void tui_pager(tui_lines *L, const char *title)
{
    size_t top = 0;
    for (;;) {
        erase();
        tui_text(0, 0, COLS, title, tui_attr(R_HEADER));
        int h = LINES - 2;
        for (int row = 0; row < h; row++)
            tui_text(1 + row, 0, COLS, top + (size_t)row < L->n ? L->line[top + row] : "",
                     top + (size_t)row < L->n ? L->attr[top + row] : A_NORMAL);
        tui_text(LINES - 1, 0, COLS, _("j/k scroll, q or Esc back"), tui_attr(R_HEADER));
        refresh();
        int c = getch();
        tui_action a = tui_key_action(c);
        if (c == 'q' || c == 27 || a == ACT_ENTER || (c == ERR && tui_gone()))
            return;
        if (c == KEY_RESIZE)
            continue;
        if (a == ACT_DOWN && top + (size_t)h < L->n)
            top++;
        else if (a == ACT_UP && top)
            top--;
        else if (a == ACT_PGDN)
            top = top + (size_t)h < L->n ? top + (size_t)h : top;
        else if (a == ACT_PGUP)
            top = top > (size_t)h ? top - (size_t)h : 0;
        else if (a == ACT_TOP)
            top = 0;
    }
}

static void tui_help(void)
{
    tui_lines L = {.width = COLS};
    char key[64];
    for (size_t i = 0; i < sizeof tui_keys / sizeof tui_keys[0]; i++) {
        if (!tui_keys[i].label)
            continue;
        int pad = 8 - tui_width(tui_keys[i].label);
        snprintf(key, sizeof key, "  %s%*s ", tui_keys[i].label, pad > 0 ? pad : 1, "");
        lines_wrap(&L, key, _(tui_keys[i].help), A_NORMAL);   /* long texts wrap under themselves */
    }
    tui_pager(&L, _("rebote: keys"));
    lines_free(&L);
}

/* ---- the whole message, fetched again for the pager ---- */
static int tui_got_message(const source_item *it, const char *buf, size_t len, void *ctx)
{
    (void)it;
    tui_lines *L = ctx;
    for (size_t i = 0; i < len;) {   /* one line each; tui_text draws printable characters only */
        const char *nl = memchr(buf + i, '\n', len - i);
        size_t n = nl ? (size_t)(nl - (buf + i)) : len - i;
        size_t shown = n && buf[i + n - 1] == '\r' ? n - 1 : n;
        lines_push(L, buf + i, shown, A_NORMAL);
        i += n + 1;
    }
    return 0;
}

static void tui_message_lines(tui *u, tui_lines *L)
{
    const rb_record *r = tui_record(u);
    lines_push(L, "", 0, A_NORMAL);
    lines_wrap(L, "", _("The message"), tui_attr(R_HEADING));
    if (u->loading) {
        lines_wrap(L, "", _("(shown once the mailbox is loaded)"), A_NORMAL);
        return;
    }
    source_item it = {.uid = r->uid, .key = r->key};
    if (!r->key || source_fetch(u->t->src, &it, 1, tui_got_message, NULL, L) != 0)
        lines_wrap(L, "", source_error(u->t->src), tui_attr(R_ERROR));
}

/* ---- actions ---- */
static size_t tui_group_len(const tui *u)
{
    return u->gsel < u->v.groups.n ? u->v.groups.v[u->gsel].nidx : 0;
}

static void tui_move(tui *u, long delta, bool to_end)
{
    size_t n = u->focus == PANE_GROUPS ? u->v.groups.n : tui_group_len(u);
    size_t *sel = u->focus == PANE_GROUPS ? &u->gsel : &u->msel;
    if (n == 0)
        return;
    long pos = to_end ? (delta < 0 ? 0 : (long)n - 1) : (long)*sel + delta;
    if (pos < 0)
        pos = 0;
    if (pos >= (long)n)
        pos = (long)n - 1;
    if (u->focus == PANE_GROUPS && (size_t)pos != *sel)
        u->msel = u->mtop = 0;
    *sel = (size_t)pos;
}

/* t, d, u on the line, on the group or (after ';') on the tagged. */
static void tui_flag(tui *u, unsigned char flag, bool toggle, bool on)
{
    size_t changed;
    if (u->tagged_next) {
        u->tagged_next = false;
        changed = flag == VIEW_TAGGED ? view_flag_having(&u->v, VIEW_TAGGED, VIEW_TAGGED, false)
                                      : view_flag_having(&u->v, VIEW_TAGGED, flag, on);
        tui_say(u, false, _("%zu tagged bounces changed"), changed);
        return;
    }
    if (u->gsel >= u->v.groups.n)
        return;
    const model_group *g = &u->v.groups.v[u->gsel];
    if (u->focus == PANE_MESSAGES && u->msel < g->nidx) {
        unsigned char *f = &u->v.flags[g->idx[u->msel]];
        bool set = toggle ? !(*f & flag) : on;
        *f = set ? *f | flag : *f & (unsigned char)~flag;
        tui_move(u, 1, false);
        return;
    }
    bool set = on;
    if (toggle)
        set = tui_flag_char(u, g, flag, 'x', 'y') != 'x';
    view_flag_group(&u->v, u->gsel, flag, set);
    tui_move(u, 1, false);
}

static void tui_commit(tui *u)
{
    if (u->loading) {
        tui_say(u, false, _("Still loading: deleting is possible once every message is read."));
        return;
    }
    const char **keys;
    unsigned int *uids;
    size_t n = view_marked_messages(&u->v, &keys, &uids), groups = 0;
    if (n == 0) {
        tui_say(u, false, _("Nothing is marked for deletion (d marks a message or a group)."));
        model_messages_free(keys, uids, n);
        return;
    }
    view_count(&u->v, VIEW_MARKED, &groups);
    char q[512];
    snprintf(q, sizeof q, _("Delete %zu messages (%zu groups) from %s? [y/N] "), n, groups, u->t->title);
    if (!tui_ask(u, q)) {
        tui_say(u, false, _("Nothing deleted."));
        model_messages_free(keys, uids, n);
        return;
    }
    source_item *items = calloc(n, sizeof *items);
    size_t removed = 0;
    if (!items) {
        tui_say(u, true, _("Out of memory: nothing deleted."));
    } else {
        for (size_t i = 0; i < n; i++)
            items[i] = (source_item){.uid = uids[i], .key = (char *)keys[i]};
        tui_say(u, false, _("Deleting %zu messages..."), n);
        tui_draw_status(u);
        refresh();
        if (source_remove(u->t->src, items, n, source_uidvalidity(u->t->src), &removed) != 0) {
            tui_say(u, true, _("Not deleted: %s (the marks are kept)"), source_error(u->t->src));
        } else {
            if (u->t->cache)
                cache_forget(u->t->cache, source_id(u->t->src), (char *const *)keys, n);
            view_drop_messages(&u->v, &u->t->loaded->records, keys, n);
            u->t->loaded->messages -= removed <= u->t->loaded->messages ? removed : u->t->loaded->messages;
            view_refresh(&u->v);
            u->gsel = u->gtop = u->msel = u->mtop = 0;
            if (removed < n)
                tui_say(u, false, _("%zu messages deleted; %zu were no longer there."), removed, n - removed);
            else
                tui_say(u, false, _("%zu messages deleted."), removed);
        }
    }
    free(items);
    model_messages_free(keys, uids, n);
}

static void tui_reload(tui *u)
{
    char err[512] = "";
    if (u->loading) {
        tui_say(u, false, _("Still loading."));
        return;
    }
    if (!u->t->reload) {
        tui_say(u, true, _("This source cannot be reloaded."));
        return;
    }
    size_t pending = view_count(&u->v, VIEW_MARKED, NULL);
    if (pending && !tui_ask(u, _("Reloading forgets the marks for deletion. Reload? [y/N] ")))
        return;
    tui_say(u, false, _("Reloading..."));
    tui_draw_status(u);
    refresh();
    model_by by = u->v.by;
    view_sort sort = u->v.sort;
    char filter[256];
    snprintf(filter, sizeof filter, "%s", u->v.filter.text);
    view_free(&u->v);
    int rc = u->t->reload(u->t->ctx, err, sizeof err);
    view_init(&u->v, &u->t->loaded->records, by);
    u->v.sort = sort;
    view_set_filter(&u->v, filter);
    u->gsel = u->gtop = u->msel = u->mtop = 0;
    if (rc != 0)
        tui_say(u, true, _("Reload failed: %s"), err);
    else
        tui_say(u, false, _("Reloaded: %zu messages."), u->t->loaded->messages);
}

static void tui_pattern(tui *u, bool tag)
{
    char pat[256] = "";
    if (!tui_prompt(tag ? _("Tag pattern: ") : _("Untag pattern: "), pat, sizeof pat) || !pat[0])
        return;
    size_t n = view_tag_pattern(&u->v, pat, tag);
    tui_say(u, false, tag ? _("%zu bounces tagged") : _("%zu bounces untagged"), n);
}

static void tui_filter(tui *u)
{
    char pat[256];
    snprintf(pat, sizeof pat, "%s", u->v.filter.text);
    if (!tui_prompt(_("Filter (empty: all): "), pat, sizeof pat))
        return;
    view_set_filter(&u->v, pat);
    u->gsel = u->gtop = u->msel = u->mtop = 0;
    u->focus = PANE_GROUPS;
    tui_say(u, false, pat[0] ? _("%zu bounces match") : _("Filter cleared: %zu bounces"), u->v.nsel);
}

/* e: the current view (grouping, filter; only the tagged when some are) to a file. */
static void tui_export(tui *u)
{
    static const struct { int key; export_format f; bool list; } kinds[] = {
        {'t', EXPORT_TEXT, false}, {'c', EXPORT_CSV, false}, {'j', EXPORT_JSON, false},
        {'m', EXPORT_MARKDOWN, false}, {'r', EXPORT_CSV, true},
    };
    tui_text(LINES - 1, 0, COLS, _("Export: t text, c CSV, j JSON, m Markdown summary; r recipients CSV; Esc cancels"),
             A_BOLD);
    refresh();
    int c = getch(), k = -1;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (kinds[i].key == c)
            k = (int)i;
    if (k < 0)
        return;
    size_t tagged = view_count(&u->v, VIEW_TAGGED, NULL), n = 0;
    size_t *sel = malloc((u->v.nsel ? u->v.nsel : 1) * sizeof *sel);
    if (!sel) {
        tui_say(u, true, _("Out of memory: nothing exported."));
        return;
    }
    for (size_t i = 0; i < u->v.nsel; i++)
        if (!tagged || (u->v.flags[u->v.sel[i]] & VIEW_TAGGED))
            sel[n++] = u->v.sel[i];
    char path[1024], stampbuf[32];
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(stampbuf, sizeof stampbuf, "%Y%m%d-%H%M%S", &tm);
    snprintf(path, sizeof path, "rebote-%s%s.%s", kinds[k].list ? "recipients-" : "", stampbuf,
             export_format_ext(kinds[k].f));
    if (!tui_prompt(_("Write to: "), path, sizeof path) || !path[0]) {
        free(sel);
        return;
    }
    struct stat st;
    if (stat(path, &st) == 0 && !tui_ask(u, _("The file exists. Overwrite it? [y/N] "))) {
        tui_say(u, false, _("Nothing exported."));
        free(sel);
        return;
    }
    export_meta m = {.source = u->t->title, .generated = (long long)now, .messages = u->t->loaded->messages,
                     .fetched = u->t->loaded->fetched, .cached = u->t->loaded->cached};
    export_file x;
    int rc = export_begin(&x, path);
    if (rc == 0) {
        rc = kinds[k].list ? export_list(x.f, kinds[k].f, u->v.rs, sel, n, false, true)
                           : export_summary(x.f, kinds[k].f, &m, u->v.rs, sel, n, u->v.by);
        if (rc != 0)
            export_abort(&x);
        else
            rc = export_commit(&x);
    }
    if (rc != 0)
        tui_say(u, true, _("Cannot write %s: %s"), path, strerror(errno));
    else
        tui_say(u, false, tagged ? _("Wrote %s (%zu tagged bounces)") : _("Wrote %s (%zu bounces)"), path, n);
    free(sel);
}

static void tui_quit(tui *u)
{
    size_t marked = view_count(&u->v, VIEW_MARKED, NULL);
    if (!marked || tui_ask(u, _("Deletions are pending and will not happen. Quit? [y/N] ")))
        u->quit = true;
}

static void tui_do(tui *u, tui_action a)
{
    tui_layout l;
    tui_layout_get(&l);
    int page = u->focus == PANE_GROUPS ? l.gh : l.mh;
    if (a != ACT_TAGGED && a != ACT_TAG && a != ACT_MARK && a != ACT_UNMARK)
        u->tagged_next = false;
    switch (a) {
    case ACT_DOWN: tui_move(u, 1, false); break;
    case ACT_UP: tui_move(u, -1, false); break;
    case ACT_PGDN: tui_move(u, page, false); break;
    case ACT_PGUP: tui_move(u, -page, false); break;
    case ACT_TOP: tui_move(u, -1, true); break;
    case ACT_BOTTOM: tui_move(u, 1, true); break;
    case ACT_SWITCH: u->focus = u->focus == PANE_GROUPS ? PANE_MESSAGES : PANE_GROUPS; break;
    case ACT_LEFT: u->focus = PANE_GROUPS; break;
    case ACT_RIGHT: u->focus = PANE_MESSAGES; break;
    case ACT_ENTER:
        if (u->focus == PANE_GROUPS) {
            u->focus = PANE_MESSAGES;
        } else if (tui_record(u)) {
            tui_lines L = {.width = COLS};
            tui_explain_lines(u, &L, true);
            tui_message_lines(u, &L);
            tui_pager(&L, _("rebote: bounce"));
            lines_free(&L);
        }
        break;
    case ACT_TAG: tui_flag(u, VIEW_TAGGED, true, true); break;
    case ACT_TAG_ALL:
        tui_say(u, false, _("%zu bounces tagged"), view_flag_group(&u->v, u->gsel, VIEW_TAGGED, true));
        break;
    case ACT_TAG_PATTERN: tui_pattern(u, true); break;
    case ACT_UNTAG_PATTERN: tui_pattern(u, false); break;
    case ACT_TAGGED: u->tagged_next = true; break;
    case ACT_MARK: tui_flag(u, VIEW_MARKED, false, true); break;
    case ACT_UNMARK: tui_flag(u, VIEW_MARKED, false, false); break;
    case ACT_COMMIT: tui_commit(u); break;
    case ACT_FILTER: tui_filter(u); break;
    case ACT_SORT:
        u->v.sort = (view_sort)((u->v.sort + 1) % VIEW_SORT_N);
        view_refresh(&u->v);
        u->gsel = u->gtop = 0;
        break;
    case ACT_GROUPING:
        u->v.by = (model_by)((u->v.by + 1) % 5);
        view_refresh(&u->v);
        u->gsel = u->gtop = u->msel = u->mtop = 0;
        break;
    case ACT_EXPORT: tui_export(u); break;
    case ACT_RELOAD: tui_reload(u); break;
    case ACT_HELP: tui_help(); break;
    case ACT_REDRAW: clearok(stdscr, TRUE); break;
    case ACT_QUIT: tui_quit(u); break;
    case ACT_NONE: break;
    }
}

/* Takes the records that arrived; keeps the selected group selected. */
static void tui_poll(tui *u)
{
    size_t before = u->t->loaded->records.n;
    int rc = u->t->poll(u->t->ctx, u->progress, sizeof u->progress);
    if (u->t->loaded->records.n != before) {
        char key[160] = "";
        if (u->gsel < u->v.groups.n)
            snprintf(key, sizeof key, "%s", u->v.groups.v[u->gsel].key);
        view_sync(&u->v);
        for (size_t i = 0; key[0] && i < u->v.groups.n; i++)
            if (!strcmp(u->v.groups.v[i].key, key)) {
                u->gsel = i;
                break;
            }
    }
    if (rc <= 0) {
        u->loading = false;
        timeout(-1);
        if (rc < 0)
            tui_say(u, true, _("Loading failed: %s"), u->progress);
        else if (u->t->loaded->warning[0])
            tui_say(u, true, "%s", u->t->loaded->warning);
    }
}

void tui_request_quit(void)
{
    tui_stop = 1;
}

int tui_run(tui_context *t, char *err, size_t errlen)
{
    tui u = {.t = t};
    if (view_init(&u.v, &t->loaded->records, MODEL_BY_CODE) != 0) {
        snprintf(err, errlen, "%s", _("out of memory"));
        return 1;
    }
    if (!newterm(NULL, stdout, stdin)) {
        snprintf(err, errlen, "%s", _("cannot use this terminal (is TERM set?)"));
        view_free(&u.v);
        return 1;
    }
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    curs_set(0);
    set_escdelay(50);
    tui_colors_init(t->color);
    if (t->loaded->warning[0])
        tui_say(&u, true, "%s", t->loaded->warning);
    if (t->poll) {
        u.loading = true;
        timeout(150);   /* getch returns to take the records that arrived */
    }
    while (!u.quit && !tui_stop) {
        if (u.loading)
            tui_poll(&u);
        tui_draw(&u);
        int c = getch();
        if (c == ERR && tui_gone())
            break;      /* hang-up or SIGTERM: leave, deleting nothing */
        if (c == ERR || c == KEY_RESIZE)
            continue;
        u.msg[0] = '\0';
        tui_do(&u, tui_key_action(c == '\r' ? '\n' : c));
    }
    endwin();
    view_free(&u.v);
    return 0;
}
