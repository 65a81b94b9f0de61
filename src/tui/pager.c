/* Full-screen text: the help and the whole bounce. */
#include <config.h>
#include "rebote/util.h"
#include "internal.h"

void tui_pager(text_lines *L, const char *title)
{
    size_t top = 0;
    for (;;) {
        erase();
        tui_text(0, 0, COLS, title, tui_attr(R_HEADER));
        int h = LINES - 2;
        tui_draw_lines(L, top, 1, 0, COLS, h);
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
