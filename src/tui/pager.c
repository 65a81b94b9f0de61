/* The full-screen modes: the pager (the whole bounce) and the help, with
 * less's and mutt's keys. The text is built at the screen's width and laid
 * out again (pagetext.c) when the width or the wrapping changes: a resize
 * rewraps it at the next draw. */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rebote/util.h"
#include "internal.h"

typedef enum {
    PG_NONE, PG_DOWN, PG_UP, PG_PGDN, PG_PGUP, PG_TOP, PG_BOTTOM, PG_SEARCH, PG_NEXT, PG_PREV, PG_WRAP, PG_LEFT,
    PG_RIGHT, PG_CLOSE
} tui_pager_act;

/* The pager's keys: one table, which also writes its part of the help. */
static const struct {
    int key;
    tui_pager_act act;
    const char *label;   /* NULL: an alias, not listed in the help */
    const char *help;
} tui_pager_keys[] = {
    {'j', PG_DOWN, "j ↓ Enter", N_("one line down")},
    {KEY_DOWN, PG_DOWN, NULL, NULL},
    {'\n', PG_DOWN, NULL, NULL},
    {'\r', PG_DOWN, NULL, NULL},
    {KEY_ENTER, PG_DOWN, NULL, NULL},
    {'k', PG_UP, "k ↑", N_("one line up")},
    {KEY_UP, PG_UP, NULL, NULL},
    {' ', PG_PGDN, "Space PgDn", N_("next page (stops at the end)")},
    {KEY_NPAGE, PG_PGDN, NULL, NULL},
    {'b', PG_PGUP, "b PgUp", N_("previous page")},
    {KEY_PPAGE, PG_PGUP, NULL, NULL},
    {'g', PG_TOP, "g Home", N_("the top")},
    {KEY_HOME, PG_TOP, NULL, NULL},
    {'G', PG_BOTTOM, "G End", N_("the end")},
    {KEY_END, PG_BOTTOM, NULL, NULL},
    {'/', PG_SEARCH, "/", N_("search the text (letters of either case)")},
    {'n', PG_NEXT, "n", N_("next match")},
    {'N', PG_PREV, "N", N_("previous match")},
    {'w', PG_WRAP, "w", N_("wrap long lines, or cut them (← → then scroll sideways)")},
    {KEY_LEFT, PG_LEFT, NULL, NULL},
    {KEY_RIGHT, PG_RIGHT, NULL, NULL},
    {'q', PG_CLOSE, "q Esc", N_("close")},
    {27, PG_CLOSE, NULL, NULL},
};

static tui_pager_act tui_pager_action(int key)
{
    for (size_t i = 0; i < sizeof tui_pager_keys / sizeof tui_pager_keys[0]; i++)
        if (tui_pager_keys[i].key == key)
            return tui_pager_keys[i].act;
    return PG_NONE;
}

/* The help's part about the pager, from its key table. */
static void tui_pager_help_lines(text_lines *L)
{
    char key[64];
    text_push(L, "", 0, TEXT_NORMAL);
    text_wrap(L, "", _("In the pager (the whole bounce, and this help):"), TEXT_HEADING);
    for (size_t i = 0; i < sizeof tui_pager_keys / sizeof tui_pager_keys[0]; i++) {
        if (!tui_pager_keys[i].label)
            continue;
        int pad = 11 - text_width(tui_pager_keys[i].label);
        snprintf(key, sizeof key, "  %s%*s ", tui_pager_keys[i].label, pad > 0 ? pad : 1, "");
        text_wrap(L, key, _(tui_pager_keys[i].help), TEXT_NORMAL);
    }
}

static void tui_pager_reset(tui *u, tui_mode mode)
{
    text_free(&u->pager.L);
    pagetext_free(&u->pager.P);
    u->pager.top = u->pager.fs = u->pager.foff = 0;
    u->pager.hcol = 0;
    u->pager.found = false;
    u->pager.find[0] = u->pager.note[0] = '\0';
    u->pager.dirty = true;
    u->mode = mode;
}

void tui_pager_open(tui *u, const char *title, size_t ri, text_lines *msg)
{
    text_free(&u->pager.msg);
    u->pager.msg = *msg;
    *msg = (text_lines){0};
    u->pager.ri = ri;
    snprintf(u->pager.title, sizeof u->pager.title, "%s", title);
    tui_pager_reset(u, MODE_PAGER);
}

void tui_help_open(tui *u)
{
    text_free(&u->pager.msg);
    snprintf(u->pager.title, sizeof u->pager.title, "%s", _("rebote: keys"));
    tui_pager_reset(u, MODE_HELP);
}

void tui_mode_close(tui *u)
{
    text_free(&u->pager.msg);
    tui_pager_reset(u, MODE_NORMAL);
    u->pager.dirty = false;
}

/* The source lines at the screen's width: the help, or the bounce explained and its message. */
static void tui_pager_build(tui *u)
{
    text_lines *L = &u->pager.L;
    text_free(L);
    L->width = COLS;
    if (u->mode == MODE_HELP) {
        tui_help_lines(L);
        tui_pager_help_lines(L);
        return;
    }
    if (u->pager.ri < u->v.rs->n)
        text_explain(L, &u->v.rs->v[u->pager.ri], true);
    for (size_t i = 0; i < u->pager.msg.n; i++)
        text_push(L, u->pager.msg.line[i], strlen(u->pager.msg.line[i]), u->pager.msg.style[i]);
}

static size_t tui_pager_height(void)
{
    return LINES > 2 ? (size_t)(LINES - 2) : 1;
}

static size_t tui_pager_max_top(const tui *u)
{
    size_t h = tui_pager_height(), n = u->pager.P.L.n;
    return n > h ? n - h : 0;
}

/* Lays the text out again when the width or the wrapping changed, keeping the top line's place. */
static void tui_pager_layout(tui *u)
{
    pagetext *P = &u->pager.P;
    if (!u->pager.dirty && P->width == COLS && P->L.n)
        return;
    bool rebuild = P->width != COLS || !u->pager.L.n;
    size_t s = 0, off = 0;
    if (u->pager.top < P->L.n) {
        s = P->src[u->pager.top];
        off = P->off[u->pager.top];
    }
    if (rebuild) {
        size_t head = u->pager.L.n - u->pager.msg.n;   /* the lines before the message: built at the width */
        tui_pager_build(u);
        size_t nhead = u->pager.L.n - u->pager.msg.n;
        if (s >= head && u->pager.msg.n)
            s = s - head + nhead;   /* in the message: the same line */
        else if (head)
            s = s * nhead / head;   /* in the explanation or the help: as far in */
        u->pager.found = false;   /* the lines it was on moved */
    }
    pagetext_layout(P, &u->pager.L, COLS, !u->pager.nowrap, u->pager.hcol);
    u->pager.hcol = P->hcol;
    size_t at = pagetext_line_of(P, s, off);
    u->pager.top = at < P->L.n ? at : 0;
    u->pager.dirty = false;
}

/* Each match of the search in the lines shown, drawn reversed over them. */
static void tui_pager_marks(const tui *u, size_t h)
{
    const pagetext *P = &u->pager.P;
    size_t nl = strlen(u->pager.find);
    if (!nl)
        return;
    for (size_t row = 0; row < h && u->pager.top + row < P->L.n; row++) {
        const char *line = P->L.line[u->pager.top + row];
        for (size_t i = 0;;) {
            long m = pagetext_find(line + i, u->pager.find);
            if (m < 0)
                break;
            size_t pos = i + (size_t)m;
            char pre[1024], hit[512];
            snprintf(pre, sizeof pre, "%.*s", (int)pos, line);
            snprintf(hit, sizeof hit, "%.*s", (int)nl, line + pos);
            int x = text_width(pre), w = text_width(hit);
            if (x + w <= COLS)
                tui_text(1 + (int)row, x, w, hit, A_REVERSE);
            i = pos + nl;
        }
    }
}

/* The bottom line: what was said, where the view is, the keys (translated), shortened by whole parts. */
static void tui_pager_bottom(tui *u, size_t h)
{
    size_t n = u->pager.P.L.n, top = u->pager.top, last = top + h < n ? top + h : n;
    char pos[96], out[1024];
    snprintf(pos, sizeof pos, "%zu-%zu/%zu%s", n ? top + 1 : 0, last, n, last >= n ? _(" (end)") : "");
    text_part parts[] = {
        {u->pager.note, "", TEXT_PRIO_ALWAYS},
        {pos, "  ", TEXT_PRIO_ALWAYS},
        {_("q close"), "  ", 90},
        {u->pager.nowrap ? _("w wrap: off") : _("w wrap: on"), "  ", 80},
        {_("/ search, n next"), "  ", 70},
        {_("Space b page"), "  ", 60},
        {_("g G top, end"), "  ", 50},
        {_("Enter j line"), "  ", 40},
    };
    text_part *p = u->pager.note[0] ? parts : parts + 1;
    size_t np = sizeof parts / sizeof parts[0] - (size_t)(p - parts);
    if (!u->pager.note[0])
        p[0].sep = "";
    text_join(out, sizeof out, p, np, COLS);
    tui_text(LINES - 1, 0, COLS, out, u->pager.note[0] && !u->pager.found ? tui_attr(R_ERROR) : tui_attr(R_HEADER));
}

static void tui_pager_show(tui *u)
{
    tui_pager_layout(u);
    size_t h = tui_pager_height();
    if (u->pager.top > tui_pager_max_top(u))
        u->pager.top = tui_pager_max_top(u);
    tui_text(0, 0, COLS, u->pager.title, tui_attr(R_HEADER));
    tui_draw_lines(&u->pager.P.L, u->pager.top, 1, 0, COLS, (int)h);
    tui_pager_marks(u, h);
    tui_pager_bottom(u, h);
}

void tui_pager_draw(tui *u)
{
    tui_pager_show(u);
}

void tui_help_draw(tui *u)
{
    tui_pager_show(u);
}

/* The next (or previous) match from the last one, or from the top line; the view moves to it. */
static void tui_pager_find(tui *u, bool forward)
{
    const pagetext *P = &u->pager.P;
    if (!u->pager.find[0])
        return;
    bool at = !u->pager.found, wrapped;
    size_t s = u->pager.fs, off = u->pager.foff;
    if (!u->pager.found && u->pager.top < P->L.n) {
        s = P->src[u->pager.top];
        off = P->off[u->pager.top];
    }
    if (!pagetext_search(&u->pager.L, u->pager.find, forward, at, &s, &off, &wrapped)) {
        u->pager.found = false;
        snprintf(u->pager.note, sizeof u->pager.note, _("Not found: %s"), u->pager.find);
        return;
    }
    u->pager.found = true;
    u->pager.fs = s;
    u->pager.foff = off;
    size_t at_line = pagetext_line_of(P, s, off);
    u->pager.top = at_line < P->L.n ? at_line : u->pager.top;
    if (wrapped)
        snprintf(u->pager.note, sizeof u->pager.note, "%s",
                 forward ? _("Search wrapped to the top.") : _("Search wrapped to the end."));
}

static void tui_pager_search_done(tui *u, const char *text)
{
    if (!text || !text[0])
        return;   /* Esc, or nothing typed: the view stays */
    snprintf(u->pager.find, sizeof u->pager.find, "%s", text);
    u->pager.found = false;
    tui_pager_find(u, true);
}

/* MODE_PAGER and MODE_HELP. */
void tui_pager_key(tui *u, tui_key k)
{
    size_t h = tui_pager_height(), max = tui_pager_max_top(u), *top = &u->pager.top;
    u->pager.note[0] = '\0';
    switch (tui_pager_action(tui_keycode(k))) {
    case PG_CLOSE: tui_mode_close(u); break;
    case PG_DOWN: *top += *top < max; break;
    case PG_UP: *top -= *top > 0; break;
    case PG_PGDN: *top = *top + h < max ? *top + h : max; break;   /* stops at the end */
    case PG_PGUP: *top = *top > h ? *top - h : 0; break;
    case PG_TOP: *top = 0; break;
    case PG_BOTTOM: *top = max; break;
    case PG_SEARCH: tui_prompt_open(u, _("Search: "), "", tui_pager_search_done); break;
    case PG_NEXT:
    case PG_PREV:
        if (!u->pager.find[0])
            snprintf(u->pager.note, sizeof u->pager.note, "%s", _("No search yet: / searches"));
        tui_pager_find(u, tui_pager_action(tui_keycode(k)) == PG_NEXT);
        break;
    case PG_WRAP:
        u->pager.nowrap = !u->pager.nowrap;
        u->pager.hcol = 0;
        u->pager.dirty = true;
        break;
    case PG_LEFT:
    case PG_RIGHT:
        if (u->pager.nowrap) {
            int step = COLS / 2 > 1 ? COLS / 2 : 1;
            u->pager.hcol += tui_pager_action(tui_keycode(k)) == PG_RIGHT ? step : -step;
            u->pager.hcol = u->pager.hcol > 0 ? u->pager.hcol : 0;
            u->pager.dirty = true;
        }
        break;
    default: break;
    }
}
