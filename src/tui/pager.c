/* The full-screen modes: the pager (the whole bounce) and the help. */
#include <config.h>
#include <stdio.h>
#include "rebote/util.h"
#include "internal.h"

void tui_pager_open(tui *u, const char *title, text_lines *L)
{
    text_free(&u->pager.L);
    u->pager.L = *L;
    *L = (text_lines){0};
    snprintf(u->pager.title, sizeof u->pager.title, "%s", title);
    u->pager.top = 0;
    u->mode = MODE_PAGER;
}

static void tui_pager_show(tui *u, const text_lines *L, const char *title)
{
    tui_text(0, 0, COLS, title, tui_attr(R_HEADER));
    tui_draw_lines(L, u->pager.top, 1, 0, COLS, LINES - 2);
    tui_text(LINES - 1, 0, COLS, _("j/k scroll, q or Esc back"), tui_attr(R_HEADER));
}

void tui_pager_draw(tui *u)
{
    tui_pager_show(u, &u->pager.L, u->pager.title);
}

void tui_help_open(tui *u)
{
    u->pager.top = 0;
    u->mode = MODE_HELP;
}

void tui_help_draw(tui *u)
{
    text_lines L = {.width = COLS};
    tui_help_lines(&L);
    if (u->pager.top >= L.n)
        u->pager.top = L.n ? L.n - 1 : 0;
    text_free(&u->pager.L);
    u->pager.L = L;   /* kept for the keys: how far they may scroll */
    tui_pager_show(u, &u->pager.L, _("rebote: keys"));
}

void tui_mode_close(tui *u)
{
    text_free(&u->pager.L);
    u->mode = MODE_NORMAL;
}

/* MODE_PAGER and MODE_HELP. */
void tui_pager_key(tui *u, tui_key k)
{
    int c = tui_keycode(k);
    tui_action a = tui_key_action(c);
    size_t h = LINES > 2 ? (size_t)(LINES - 2) : 1, n = u->pager.L.n, *top = &u->pager.top;
    if (c == 'q' || c == 27 || a == ACT_ENTER)
        tui_mode_close(u);
    else if (a == ACT_DOWN && *top + h < n)
        (*top)++;
    else if (a == ACT_UP && *top)
        (*top)--;
    else if (a == ACT_PGDN)
        *top = *top + h < n ? *top + h : *top;
    else if (a == ACT_PGUP)
        *top = *top > h ? *top - h : 0;
    else if (a == ACT_TOP)
        *top = 0;
}
