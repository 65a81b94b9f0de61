/* The modes of the status line: the line editor, the yes/no question and
 * the one-key menu. Each is a state of the one input loop (tui.c): open
 * sets it up, draw shows it over the main screen, key takes one key and,
 * when it completes, returns to the normal mode and calls its callback. */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>
#include "rebote/util.h"
#include "internal.h"

/* ---- the line editor ---- */
void tui_prompt_open(tui *u, const char *label, const char *text, tui_text_done done)
{
    snprintf(u->prompt.label, sizeof u->prompt.label, "%s", label);
    size_t cap = sizeof u->prompt.w / sizeof u->prompt.w[0];
    size_t n = mbstowcs(u->prompt.w, text, cap - 1);
    u->prompt.n = n == (size_t)-1 ? 0 : n;
    u->prompt.w[u->prompt.n] = L'\0';
    u->prompt.done = done;
    u->mode = MODE_PROMPT;
}

void tui_prompt_draw(tui *u)
{
    char shown[1200], mb[1024];
    size_t m = wcstombs(mb, u->prompt.w, sizeof mb - 1);
    mb[m == (size_t)-1 ? 0 : m] = '\0';
    snprintf(shown, sizeof shown, "%s%s", u->prompt.label, mb);
    int used = tui_text(LINES - 1, 0, COLS, shown, A_BOLD);
    move(LINES - 1, used < COLS ? used : COLS - 1);
}

/* Back to the normal mode, then the callback (which may open another mode). */
static void tui_prompt_finish(tui *u, bool ok)
{
    char buf[1024];
    size_t o = wcstombs(buf, u->prompt.w, sizeof buf - 1);
    buf[o == (size_t)-1 ? 0 : o] = '\0';
    tui_text_done done = u->prompt.done;
    u->mode = MODE_NORMAL;
    u->prompt.done = NULL;
    if (done)
        done(u, ok ? buf : NULL);
}

void tui_prompt_key(tui *u, tui_key k)
{
    size_t cap = sizeof u->prompt.w / sizeof u->prompt.w[0];
    if (!k.fn && k.c == 27)
        tui_prompt_finish(u, false);
    else if ((!k.fn && (k.c == '\n' || k.c == '\r')) || (k.fn && k.c == KEY_ENTER))
        tui_prompt_finish(u, true);
    else if ((k.fn && k.c == KEY_BACKSPACE) || (!k.fn && (k.c == 127 || k.c == 8))) {
        if (u->prompt.n)
            u->prompt.w[--u->prompt.n] = L'\0';
    } else if (!k.fn && iswprint(k.c) && u->prompt.n + 1 < cap) {
        u->prompt.w[u->prompt.n++] = (wchar_t)k.c;
        u->prompt.w[u->prompt.n] = L'\0';
    }
}

/* ---- the question and the menu: one key answers ---- */
void tui_confirm_open(tui *u, const char *question, tui_yes_done done)
{
    snprintf(u->ask.text, sizeof u->ask.text, "%s", question);
    u->ask.yes = done;
    u->mode = MODE_CONFIRM;
}

void tui_confirm_draw(tui *u)
{
    int used = tui_text(LINES - 1, 0, COLS, u->ask.text, tui_attr(R_ERROR));
    move(LINES - 1, used < COLS ? used : COLS - 1);
}

void tui_confirm_key(tui *u, tui_key k)
{
    const char *yes = _("y");   /* the key that answers yes; anything else is no */
    bool y = !k.fn && (k.c == (wint_t)(unsigned char)yes[0] || k.c == 'y' || k.c == 'Y');
    tui_yes_done done = u->ask.yes;
    u->mode = MODE_NORMAL;
    u->ask.yes = NULL;
    if (done)
        done(u, y);
}

void tui_menu_open(tui *u, const char *text, tui_key_done done)
{
    snprintf(u->ask.text, sizeof u->ask.text, "%s", text);
    u->ask.key = done;
    u->mode = MODE_MENU;
}

void tui_menu_draw(tui *u)
{
    tui_text(LINES - 1, 0, COLS, u->ask.text, A_BOLD);
}

void tui_menu_key(tui *u, tui_key k)
{
    tui_key_done done = u->ask.key;
    u->mode = MODE_NORMAL;
    u->ask.key = NULL;
    if (done)
        done(u, tui_keycode(k));
}
