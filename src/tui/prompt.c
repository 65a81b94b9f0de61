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
#include "lineedit.h"

/* ---- the line editor ---- */
/* The keys of the line editor (readline's emacs keys): one table. */
static const struct {
    bool fn;
    wint_t c;
    lineedit_op op;
} tui_edit_keys[] = {
    {true, KEY_LEFT, LE_LEFT}, {false, 2, LE_LEFT},                   /* ← ^B */
    {true, KEY_RIGHT, LE_RIGHT}, {false, 6, LE_RIGHT},                /* → ^F */
    {true, KEY_HOME, LE_HOME}, {false, 1, LE_HOME},                   /* Home ^A */
    {true, KEY_END, LE_END}, {false, 5, LE_END},                      /* End ^E */
    {true, KEY_BACKSPACE, LE_BACKSPACE}, {false, 127, LE_BACKSPACE}, {false, 8, LE_BACKSPACE},
    {true, KEY_DC, LE_DELETE}, {false, 4, LE_DELETE},                 /* Del ^D */
    {false, 21, LE_KILL_START},                                       /* ^U */
    {false, 23, LE_KILL_WORD},                                        /* ^W */
};

static void tui_prompt_start(tui *u, const char *label, const char *text, bool fresh, tui_text_done done)
{
    snprintf(u->prompt.label, sizeof u->prompt.label, "%s", label);
    lineedit_init(&u->prompt.e, text, fresh);
    u->prompt.done = done;
    u->prompt.back = u->mode == MODE_PAGER || u->mode == MODE_HELP ? u->mode : MODE_NORMAL;
    u->mode = MODE_PROMPT;
}

void tui_prompt_open(tui *u, const char *label, const char *text, tui_text_done done)
{
    tui_prompt_start(u, label, text, false, done);
}

void tui_prompt_open_default(tui *u, const char *label, const char *text, tui_text_done done)
{
    tui_prompt_start(u, label, text, true, done);
}

/* The label, then the part of the line around the cursor (scrolled
 * sideways when it is longer than the screen), the cursor where it is. */
void tui_prompt_draw(tui *u)
{
    int y = LINES - 1, lw = text_width(u->prompt.label);
    if (u->msg[0] && y > 0)   /* why the line came back ("x is a directory"), above it while it is open */
        tui_text(y - 1, 0, COLS, u->msg, u->msg_error ? tui_attr(R_ERROR) : A_BOLD);
    if (lw > COLS / 2)
        lw = COLS / 2;
    tui_text(y, 0, lw, u->prompt.label, A_BOLD);
    int col, avail = COLS - lw > 1 ? COLS - lw : 1;
    size_t first = lineedit_view(&u->prompt.e, avail, &col);
    lineedit shown = u->prompt.e;
    memmove(shown.w, shown.w + first, (shown.n - first + 1) * sizeof shown.w[0]);
    char mb[LINEEDIT_CAP * 4 + 1];
    lineedit_text(&shown, mb, sizeof mb);
    tui_text(y, lw, avail, mb, u->prompt.e.fresh ? A_BOLD | A_UNDERLINE : A_BOLD);   /* a default: typing replaces it */
    move(y, lw + col < COLS ? lw + col : COLS - 1);
}

/* Back to the mode the prompt came from, then the callback (which may open another mode). */
static void tui_prompt_finish(tui *u, bool ok)
{
    char buf[LINEEDIT_CAP * 4 + 1];
    lineedit_text(&u->prompt.e, buf, sizeof buf);
    tui_text_done done = u->prompt.done;
    u->msg[0] = '\0';   /* what was said over the line is answered */
    u->mode = u->prompt.back;
    u->prompt.back = MODE_NORMAL;
    u->prompt.done = NULL;
    if (done)
        done(u, ok ? buf : NULL);
}

void tui_prompt_key(tui *u, tui_key k)
{
    if (!k.fn && k.c == 27)
        tui_prompt_finish(u, false);
    else if ((!k.fn && (k.c == '\n' || k.c == '\r')) || (k.fn && k.c == KEY_ENTER))
        tui_prompt_finish(u, true);
    else {
        for (size_t i = 0; i < sizeof tui_edit_keys / sizeof tui_edit_keys[0]; i++)
            if (tui_edit_keys[i].fn == k.fn && tui_edit_keys[i].c == k.c) {
                lineedit_apply(&u->prompt.e, tui_edit_keys[i].op, 0);
                return;
            }
        if (!k.fn && iswprint(k.c))
            lineedit_apply(&u->prompt.e, LE_INSERT, (wchar_t)k.c);
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
    char q[sizeof u->ask.text + 8];
    text_question_fit(q, sizeof q, u->ask.text, COLS);   /* narrower since it was asked: "[y/N]" stays */
    int used = tui_text(LINES - 1, 0, COLS, q, tui_attr(R_ERROR));
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
