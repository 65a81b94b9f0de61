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
