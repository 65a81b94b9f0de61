/* The whole screen: header, the two lists, the side pane, the status line. */
#include <config.h>
#include <stdint.h>
#include <stdlib.h>
#include "rebote/util.h"
#include "internal.h"

/* What the group pane is built from: when none of it changed, the lines
 * are kept (the breakdown reads every record of the group). */
static unsigned long long tui_side_sig(const tui *u, const model_group *g, int width)
{
    unsigned long long sig = 1469598103934665603ull;
    for (const unsigned char *p = (const unsigned char *)g->key; *p; p++)
        sig = (sig ^ *p) * 1099511628211ull;
    for (const unsigned char *p = (const unsigned char *)u->v.filter.text; *p; p++)
        sig = (sig ^ *p) * 1099511628211ull;
    return sig ^ (unsigned long long)g->records << 32 ^ (unsigned long long)u->v.rs->n << 8 ^
           (unsigned long long)(uintptr_t)u->v.rs->v ^ (unsigned long long)u->v.by << 60 ^ (unsigned long long)width;
}

/* The labels kept per record, forgotten when the records changed (loaded,
 * deleted, reloaded). NULL when out of memory: they are then computed. */
static const char **tui_side_labels(tui *u)
{
    const rb_records *rs = u->v.rs;
    if (u->side.labels && u->side.nlabels == rs->n && u->side.labels_of == rs->v)
        return u->side.labels;
    free(u->side.labels);
    u->side.labels = calloc(rs->n ? rs->n : 1, sizeof *u->side.labels);
    u->side.nlabels = rs->n;
    u->side.labels_of = rs->v;
    return u->side.labels;
}

static void tui_draw_side(tui *u, const tui_layout *l)
{
    text_lines L = {.width = l->sw - 1}, *shown = &L;
    const model_group *g = u->gsel < u->v.groups.n ? &u->v.groups.v[u->gsel] : NULL;
    if (u->focus == PANE_GROUPS && g) {   /* the group, not its first bounce */
        unsigned long long sig = tui_side_sig(u, g, L.width);
        if (!u->side.valid || u->side.sig != sig) {
            text_free(&u->side.L);
            u->side.L.width = L.width;
            text_group_explain(&u->side.L, &u->v, g, tui_side_labels(u));
            u->side.sig = sig;
            u->side.valid = true;
        }
        shown = &u->side.L;
    } else {
        text_explain(&L, tui_record(u), false);
    }
    tui_text(l->sy - 1, l->sx, l->sw, _("What it means, what to do"), tui_attr(R_HEADING));
    size_t hidden = text_lines_hidden(shown, l->sh);   /* at 80x24 the pane is short: say there is more */
    tui_draw_lines(shown, 0, l->sy, l->sx, l->sw, hidden ? l->sh - 1 : l->sh);
    if (hidden) {
        char more[128];
        text_more_line(more, sizeof more, hidden);
        tui_text(l->sy + l->sh - 1, l->sx, l->sw, more, tui_attr(R_HEADING));
    }
    if (COLS >= 100) {   /* a terminal in a single-byte locale (LANG=C) draws ACS_VLINE as "x" under tmux */
        chtype bar = MB_CUR_MAX > 1 ? ACS_VLINE : '|';
        for (int y = 1; y < LINES - 1; y++)
            mvaddch(y, l->lw, bar);
    }
    text_free(&L);
}

void tui_draw_status(tui *u)
{
    char line[1024];
    if (u->msg[0]) {
        tui_text(LINES - 1, 0, COLS, u->msg, u->msg_error ? tui_attr(R_ERROR) : A_BOLD);
        return;
    }
    text_status(line, sizeof line, &u->v, u->tagged_next, u->loading ? u->progress : NULL, &u->marks, COLS);
    tui_text(LINES - 1, 0, COLS, line, tui_attr(R_HEADER));
}

void tui_layout_of(const tui *u, tui_layout *l)
{
    tui_layout_get(l);
    const model_group *g = u->gsel < u->v.groups.n ? &u->v.groups.v[u->gsel] : NULL;
    tui_layout_share(l, u->v.groups.n, g ? g->nidx : 0);
}

void tui_draw_main(tui *u)
{
    tui_layout l;
    tui_layout_of(u, &l);
    char head[1024];
    text_header_read_only(head, sizeof head, u->t->title, u->loading ? TEXT_LOADING : u->t->loaded->messages, &u->v, COLS,
                          u->t->read_only ? (u->t->read_only_why ? u->t->read_only_why : "") : NULL);
    tui_text(0, 0, COLS, head, tui_attr(R_HEADER));
    tui_draw_groups(u, &l);
    tui_draw_messages(u, &l);
    tui_draw_side(u, &l);
    tui_draw_status(u);
}
