/* Where the panes go: the side pane on the right from 100 columns, below
 * the lists when narrower. */
#include <config.h>
#include <string.h>
#include "internal.h"

void tui_layout_get(tui_layout *l)
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

/* The rows of the two lists shared by what there is to show: a list that
 * needs fewer rows (its column headings and its items) than it has gives
 * the rest to the other, so no blank group rows sit above bounces that do
 * not fit. Each list keeps at least 3 rows. */
void tui_layout_share(tui_layout *l, size_t groups, size_t bounces)
{
    int total = l->gh + l->mh, least = 3;
    long gneed = (long)groups + 1, mneed = (long)bounces + 1;
    if (total < 2 * least)
        return;
    if (gneed < l->gh && mneed > l->mh) {
        l->gh = gneed > least ? (int)gneed : least;
        l->mh = total - l->gh;
    } else if (mneed < l->mh && gneed > l->gh) {
        l->mh = mneed > least ? (int)mneed : least;
        l->gh = total - l->mh;
    } else {
        return;
    }
    l->my = l->gy + l->gh + 1;
    if (l->sx == 0)   /* narrow: the side pane stays below the lists */
        l->sy = l->my + l->mh + 1;
}
