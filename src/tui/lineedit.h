/* The line editor of the prompts, without curses: the text, the cursor,
 * the edits a shell line knows (readline's emacs keys), the horizontal
 * scroll that keeps the cursor visible, and ~ in paths. prompt.c maps the
 * keys to the operations and draws what lineedit_view says. */
#ifndef REBOTE_TUI_LINEEDIT_H
#define REBOTE_TUI_LINEEDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

enum { LINEEDIT_CAP = 256 };

typedef enum {
    LE_NONE, LE_INSERT, LE_LEFT, LE_RIGHT, LE_HOME, LE_END, LE_BACKSPACE, LE_DELETE, LE_KILL_START, LE_KILL_WORD
} lineedit_op;

typedef struct {
    wchar_t w[LINEEDIT_CAP];
    size_t n, cur;      /* characters, and the one the cursor is on (n: after the last) */
    size_t scroll;      /* the first character shown */
    bool fresh;         /* an offered default: the first character typed replaces it */
} lineedit;

/* The line starts as text (multibyte, the locale's), the cursor at its end.
 * fresh: text is a default the first typed character replaces; any other
 * edit (Backspace, arrows, Home, End...) keeps it for editing. */
void lineedit_init(lineedit *e, const char *text, bool fresh);
/* One edit; c is the character LE_INSERT inserts (ignored otherwise). */
void lineedit_apply(lineedit *e, lineedit_op op, wchar_t c);
/* The line as a multibyte string in out (len bytes, always terminated). */
void lineedit_text(const lineedit *e, char *out, size_t len);
/* Scrolls so that the cursor is visible in cols columns (with one column
 * for it at the end of the line); returns the first character shown and
 * sets *curcol to the cursor's column from there. */
size_t lineedit_view(lineedit *e, int cols, int *curcol);
/* The columns the characters from..to take on the screen (text_cell's measure). */
int lineedit_width(const lineedit *e, size_t from, size_t to);
/* A path with "~" or "~/..." at its start expanded to home (nothing else
 * changes; no home, or a ~user path: copied as it is). Returns -1 when the
 * result does not fit in len bytes. */
int lineedit_expand_home(const char *path, const char *home, char *out, size_t len);

#endif
