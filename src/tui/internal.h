/* Inside the triage screen: the state and the functions its files share.
 * colors.c and keys.c hold the two tables, layout.c the geometry, widgets.c
 * the drawing of text and panes, list.c the two lists, prompt.c the line
 * editor and the questions, pager.c the full-screen text, actions.c what
 * the keys do, tui.c the loop. The words come from text.c (pure). */
#ifndef REBOTE_TUI_INTERNAL_H
#define REBOTE_TUI_INTERNAL_H

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <signal.h>
#include <stdbool.h>
#include "rebote/tui.h"
#include "rebote/view.h"
#include "text.h"

/* ---- colours (colors.c) ---- */
typedef enum { R_NORMAL, R_HEADER, R_HEADING, R_5XX, R_4XX, R_TAGGED, R_MARKED, R_SELECTED, R_ERROR, R_N } tui_role;

void tui_colors_init(bool want);
attr_t tui_attr(tui_role r);
/* The attribute a text style is drawn with. */
attr_t tui_style_attr(text_style s);
/* Red for 5xx, yellow for 4xx. */
tui_role tui_code_role(const char *reply, const char *status);

/* ---- keys (keys.c) ---- */
typedef enum {
    ACT_NONE, ACT_DOWN, ACT_UP, ACT_PGDN, ACT_PGUP, ACT_TOP, ACT_BOTTOM, ACT_SWITCH, ACT_LEFT, ACT_RIGHT, ACT_ENTER, ACT_TAG,
    ACT_TAG_PATTERN, ACT_UNTAG_PATTERN, ACT_TAGGED, ACT_TAG_ALL, ACT_MARK, ACT_UNMARK, ACT_COMMIT, ACT_FILTER, ACT_SORT,
    ACT_GROUPING, ACT_EXPORT, ACT_RELOAD, ACT_HELP, ACT_QUIT, ACT_REDRAW
} tui_action;

tui_action tui_key_action(int key);
/* The help screen's lines, from the key table. */
void tui_help_lines(text_lines *L);

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

/* ---- layout (layout.c) ---- */
typedef struct {
    int gy, gh, my, mh, sy, sh, sx, sw, lw;   /* rows of content (headings above them) */
} tui_layout;

void tui_layout_get(tui_layout *l);

/* ---- widgets (widgets.c, list.c, prompt.c, pager.c) ---- */
/* Draws s at (y, x) in at most w columns, padded; returns the columns used. */
int tui_text(int y, int x, int w, const char *s, attr_t attr);
/* Draws lines top.. of L into h rows at (y, x), w columns wide. */
void tui_draw_lines(const text_lines *L, size_t top, int y, int x, int w, int h);
/* Keeps sel within the h rows shown from *top. */
void tui_fix_scroll(size_t sel, size_t *top, int h);
void tui_draw_groups(tui *u, const tui_layout *l);
void tui_draw_messages(tui *u, const tui_layout *l);
void tui_draw(tui *u);
void tui_draw_status(tui *u);
bool tui_ask(tui *u, const char *question);
/* A line editor on the status line, starting from buf's text. Returns false on Esc. */
bool tui_prompt(const char *label, char *buf, size_t len);
void tui_pager(text_lines *L, const char *title);
/* After getch gave ERR: did the terminal go away or a signal ask us to stop? */
bool tui_gone(void);

/* ---- actions (actions.c) ---- */
void tui_say(tui *u, bool error, const char *fmt, ...);
const rb_record *tui_record(const tui *u);
void tui_do(tui *u, tui_action a);

#endif
