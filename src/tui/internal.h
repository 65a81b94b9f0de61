/* Inside the triage screen: the state and the functions its files share.
 * colors.c and keys.c hold the two tables, layout.c the geometry, widgets.c
 * the drawing primitives, list.c the two lists, panes.c the main screen,
 * prompt.c the line editor, questions and menus, pager.c the full-screen
 * text and the help, actions.c what the keys do (patterns.c those that take
 * a pattern, mouse.c the mouse), tui.c the one input loop that dispatches
 * on the mode. The words come from text.c, the search from search.c (pure). */
#ifndef REBOTE_TUI_INTERNAL_H
#define REBOTE_TUI_INTERNAL_H

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <signal.h>
#include <stdbool.h>
#include "rebote/tui.h"
#include "rebote/view.h"
#include "text.h"
#include "lineedit.h"
#include "pagetext.h"
#include "search.h"

/* ---- colours (colors.c) ---- */
typedef enum { R_NORMAL, R_HEADER, R_HEADING, R_HARD, R_SOFT, R_NOFAIL, R_TAGGED, R_MARKED, R_SELECTED, R_ERROR, R_N } tui_role;

void tui_colors_init(bool want);
attr_t tui_attr(tui_role r);
/* The attribute a text style is drawn with. */
attr_t tui_style_attr(text_style s);
/* Red for a hard failure, yellow for a soft one, dim for no failure. */
tui_role tui_severity_role(text_severity s);

/* ---- keys (keys.c) ---- */
typedef enum {
    ACT_NONE, ACT_DOWN, ACT_UP, ACT_PGDN, ACT_PGUP, ACT_TOP, ACT_BOTTOM, ACT_SWITCH, ACT_LEFT, ACT_RIGHT, ACT_ENTER, ACT_TAG,
    ACT_TAG_PATTERN, ACT_UNTAG_PATTERN, ACT_MARK_PATTERN, ACT_UNMARK_PATTERN, ACT_TAGGED, ACT_TAG_ALL, ACT_MARK, ACT_UNMARK, ACT_COMMIT, ACT_LIMIT, ACT_SEARCH,
    ACT_SEARCH_NEXT, ACT_SEARCH_PREV, ACT_SORT,
    ACT_GROUPING, ACT_EXPORT, ACT_RELOAD, ACT_HELP, ACT_QUIT, ACT_REDRAW
} tui_action;

tui_action tui_key_action(int key);
typedef struct tui_key tui_key;
/* A key as a person names it: "z", "^X", "F5", "Del". */
void tui_key_name(tui_key k, char *out, size_t len);
/* The help screen's lines, from the key table. */
void tui_help_lines(text_lines *L);

/* ---- state ---- */
typedef enum { PANE_GROUPS, PANE_MESSAGES } tui_pane;

/* What the keys go to: one dispatcher (tui.c) hands each key to the mode's
 * handler; a mode that completes calls its callback, which may open the
 * next mode (the export: menu, prompt, confirmation). */
typedef enum { MODE_NORMAL, MODE_PROMPT, MODE_CONFIRM, MODE_MENU, MODE_PAGER, MODE_HELP, MODE_N } tui_mode;

typedef struct tui tui;
typedef void (*tui_text_done)(tui *u, const char *text);   /* NULL: Esc, or the terminal went away */
typedef void (*tui_yes_done)(tui *u, bool yes);
typedef void (*tui_key_done)(tui *u, int key);

/* One key as get_wch gives it: a function key (KEY_*) or a character. */
struct tui_key {
    bool fn;
    wint_t c;
};

struct tui {
    tui_context *t;
    bool loading;           /* records still arrive (t->poll) */
    char progress[128];
    view v;
    tui_pane focus;
    size_t gsel, gtop, msel, mtop;
    bool tagged_next;       /* ';' was pressed */
    view_pattern search;    /* the last / pattern, for n and N */
    char msg[512];
    bool msg_error;
    bool quit;
    tui_mode mode;
    struct {                /* MODE_PROMPT: a line editor on the status line */
        char label[128];
        lineedit e;
        tui_mode back;      /* the mode it came from (the pager's search), where it returns */
        tui_text_done done;
    } prompt;
    struct {                /* MODE_CONFIRM and MODE_MENU: one key answers */
        char text[512];
        tui_yes_done yes;
        tui_key_done key;
    } ask;
    struct {                /* MODE_PAGER and MODE_HELP: full-screen text */
        text_lines L;       /* the source lines: the explanation (or the help) built at the width, then msg */
        text_lines msg;     /* MODE_PAGER: the message as fetched, one line each */
        size_t ri;          /* MODE_PAGER: the record explained (an index: records move while loading) */
        pagetext P;         /* the lines shown, laid out at P.width */
        bool nowrap, dirty; /* long lines cut, not wrapped (w toggles; kept between openings); dirty: lay out again */
        int hcol;           /* not wrapped: the columns scrolled off the left */
        char title[128];
        size_t top;         /* the first line shown, in P */
        char find[256];     /* the last search, and where its match is (source line, byte) */
        size_t fs, foff;
        bool found;
        char note[256];     /* said on the bottom line until the next key ("Not found") */
    } pager;
    text_marks_memo marks;  /* the status line's counts of the marks */
    struct {                /* the side pane on a group, kept while nothing it shows changed */
        text_lines L;
        unsigned long long sig;
        bool valid;
        const char **labels;     /* per record: its label in the breakdown (text_group_explain) */
        size_t nlabels;
        const rb_record *labels_of;   /* the records they are of */
    } side;
    int export_kind;        /* the export between its menu and its prompt */
    char export_path[1024];
};

/* ---- layout (layout.c) ---- */
typedef struct {
    int gy, gh, my, mh, sy, sh, sx, sw, lw;   /* rows of content (headings above them) */
} tui_layout;

void tui_layout_get(tui_layout *l);
/* The lists' rows shared by what they show (layout.c). */
void tui_layout_share(tui_layout *l, size_t groups, size_t bounces);
/* The layout of the screen u shows: tui_layout_get, then shared. */
void tui_layout_of(const tui *u, tui_layout *l);

/* ---- widgets (widgets.c, list.c, panes.c) ---- */
/* Draws s at (y, x) in at most w columns, padded; returns the columns used. */
int tui_text(int y, int x, int w, const char *s, attr_t attr);
/* Draws lines top.. of L into h rows at (y, x), w columns wide. */
void tui_draw_lines(const text_lines *L, size_t top, int y, int x, int w, int h);
/* Keeps sel within the h rows shown from *top. */
void tui_fix_scroll(size_t sel, size_t *top, int h);
/* No blank rows under the last of n items while rows above are hidden (after a resize). */
void tui_clamp_top(size_t *top, size_t n, int h);
void tui_draw_groups(tui *u, const tui_layout *l);
void tui_draw_messages(tui *u, const tui_layout *l);
/* s: the next sort of the focused pane, the selection kept on its item (list.c). */
void tui_sort(tui *u);
/* The main screen (without refresh: the mode draws over it). */
void tui_draw_main(tui *u);
void tui_draw_status(tui *u);

/* ---- modes (prompt.c, pager.c); each has a draw and a key handler ---- */
/* A line editor on the status line, starting from text; done gets the line. */
void tui_prompt_open(tui *u, const char *label, const char *text, tui_text_done done);
/* The same, text offered as a default: the first character typed replaces it. */
void tui_prompt_open_default(tui *u, const char *label, const char *text, tui_text_done done);
void tui_prompt_draw(tui *u);
void tui_prompt_key(tui *u, tui_key k);
/* A question answered by one key: y (or its translation) is yes, any other no. */
void tui_confirm_open(tui *u, const char *question, tui_yes_done done);
void tui_confirm_draw(tui *u);
void tui_confirm_key(tui *u, tui_key k);
/* A menu of one-key choices; done gets the key (the caller decides what it means). */
void tui_menu_open(tui *u, const char *text, tui_key_done done);
void tui_menu_draw(tui *u);
void tui_menu_key(tui *u, tui_key k);
/* The whole bounce: record ri of the view explained, then msg (the message's
 * lines, which the pager takes over and frees when it closes). */
void tui_pager_open(tui *u, const char *title, size_t ri, text_lines *msg);
void tui_pager_draw(tui *u);
void tui_pager_key(tui *u, tui_key k);
/* The help: the key table, rewrapped at each draw (a resize rewraps it). */
void tui_help_open(tui *u);
void tui_help_draw(tui *u);
/* Leaves any mode (hang-up, quit), freeing what it holds. */
void tui_mode_close(tui *u);
/* The key as the key table knows it: a KEY_* code or an ASCII character; -1 for other characters. */
int tui_keycode(tui_key k);

/* ---- the mouse (mouse.c) ---- */
/* KEY_MOUSE on the main screen: a click selects, the wheel moves. */
void tui_mouse(tui *u);
/* KEY_MOUSE elsewhere: the rows the wheel scrolls (+ down, - up), 0 for any other event. */
int tui_mouse_wheel(void);

/* ---- the keys that take a pattern (patterns.c) ---- */
void tui_tag_pattern_open(tui *u, bool tag);     /* T, ^T */
void tui_mark_pattern_open(tui *u, bool on);     /* D, U */
void tui_limit_open(tui *u);                     /* l */
void tui_search_open(tui *u);                    /* / */
/* n (dir 1), N (-1): the next match of the last search in the focused pane. */
void tui_search_go(tui *u, int dir);

/* ---- actions (actions.c) ---- */
/* Marking for deletion where nothing can be deleted (read-only): refused
 * with the sentence $ says, true; a mark $ would refuse misleads the count. */
bool tui_refuse_mark(tui *u);
void tui_say(tui *u, bool error, const char *fmt, ...);
const rb_record *tui_record(const tui *u);
void tui_do(tui *u, tui_action a);
/* MODE_NORMAL's key handler. */
void tui_normal_key(tui *u, tui_key k);
/* Ctrl-C on the main screen: q, and the caller is told it was an interruption. */
void tui_quit_interrupted(tui *u);

#endif
