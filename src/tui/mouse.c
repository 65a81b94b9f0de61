/* The mouse on the main screen: a click selects the row under the pointer
 * in the list clicked and gives that list the focus; the wheel moves the
 * selection of the list under the pointer (else the focused one) by three
 * rows. In the pager and the help, the wheel scrolls (tui.c). */
#include <config.h>
#include "internal.h"

enum { TUI_WHEEL_ROWS = 3 };

/* Which list row (y, x) is on: the item's index, or false when the point
 * is on no item (headings, the side pane, past the last item). */
static bool tui_mouse_row(const tui *u, const tui_layout *l, int y, int x, tui_pane *pane, size_t *item)
{
    if (x < 0 || x >= l->lw)
        return false;
    const model_group *g = u->gsel < u->v.groups.n ? &u->v.groups.v[u->gsel] : NULL;
    if (y > l->gy && y < l->gy + l->gh) {   /* under the column headings */
        *pane = PANE_GROUPS;
        *item = u->gtop + (size_t)(y - l->gy - 1);
        return *item < u->v.groups.n;
    }
    if (y > l->my && y < l->my + l->mh) {
        *pane = PANE_MESSAGES;
        *item = u->mtop + (size_t)(y - l->my - 1);
        return g && *item < g->nidx;
    }
    return false;
}

/* The list under (y, x), row or not: for the wheel. */
static bool tui_mouse_list(const tui_layout *l, int y, int x, tui_pane *pane)
{
    if (x < 0 || x >= l->lw)
        return false;
    if (y >= l->gy - 1 && y < l->gy + l->gh)
        *pane = PANE_GROUPS;
    else if (y >= l->my - 1 && y < l->my + l->mh)
        *pane = PANE_MESSAGES;
    else
        return false;
    return true;
}

static void tui_mouse_select(tui *u, tui_pane pane, size_t item)
{
    u->focus = pane;
    if (pane == PANE_MESSAGES) {
        u->msel = item;
    } else if (item != u->gsel) {
        u->gsel = item;
        u->msel = u->mtop = 0;
    }
}

void tui_mouse(tui *u)
{
    MEVENT ev;
    if (getmouse(&ev) != OK)
        return;
    tui_layout l;
    tui_layout_of(u, &l);
    tui_pane pane = u->focus;
    size_t item;
    if (ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_DOUBLE_CLICKED)) {
        if (tui_mouse_row(u, &l, ev.y, ev.x, &pane, &item))
            tui_mouse_select(u, pane, item);
        return;
    }
    int dir = ev.bstate & BUTTON4_PRESSED ? -1 : 0;
#ifdef BUTTON5_PRESSED
    if (ev.bstate & BUTTON5_PRESSED)
        dir = 1;
#endif
    if (!dir)
        return;
    if (!tui_mouse_list(&l, ev.y, ev.x, &pane))
        pane = u->focus;
    u->focus = pane;
    tui_do(u, dir > 0 ? ACT_DOWN : ACT_UP);
    tui_do(u, dir > 0 ? ACT_DOWN : ACT_UP);
    tui_do(u, dir > 0 ? ACT_DOWN : ACT_UP);
}

int tui_mouse_wheel(void)
{
    MEVENT ev;
    if (getmouse(&ev) != OK)
        return 0;
#ifdef BUTTON5_PRESSED
    if (ev.bstate & BUTTON5_PRESSED)
        return TUI_WHEEL_ROWS;
#endif
    return ev.bstate & BUTTON4_PRESSED ? -TUI_WHEEL_ROWS : 0;
}
