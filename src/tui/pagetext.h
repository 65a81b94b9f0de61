/* The pager's text without curses: the lines it shows at a width, wrapped
 * or cut (and then scrolled sideways), each knowing where in its source
 * line it starts, and the search in the source lines. pager.c lays the
 * text out again whenever the width or the wrapping changed. */
#ifndef REBOTE_TUI_PAGETEXT_H
#define REBOTE_TUI_PAGETEXT_H

#include <stdbool.h>
#include <stddef.h>
#include "text.h"

typedef struct {
    text_lines L;       /* the lines shown, none wider than the width */
    size_t *src, *off;  /* per line shown: its source line, and the byte where it starts there */
    size_t cap;
    int width, hcol;
    bool wrap;
} pagetext;

/* Lays src out at width columns: wrap, each line broken at its last space
 * that fits (or where the width ends, for a long word), continuation
 * lines without the spaces at the break; not wrap, each line cut, hcol
 * columns scrolled off its left (no more than shows the longest line's end:
 * P->hcol says how many). An empty line stays one line. Returns -1
 * when out of memory (P then holds what fitted). */
int pagetext_layout(pagetext *P, const text_lines *src, int width, bool wrap, int hcol);
void pagetext_free(pagetext *P);
/* The line shown that holds byte off of source line s (the first of s
 * when off is before the part shown); P->L.n when there is none. */
size_t pagetext_line_of(const pagetext *P, size_t s, size_t off);
/* Where needle is in hay, ASCII letters matching either case; -1 if not. */
long pagetext_find(const char *hay, const char *needle);
/* The next match of needle in src after (*s, *off) (at it when at is
 * true), forward or back, going round the end once: true and *s, *off set
 * to it, *wrapped when it went round; false when there is none. */
bool pagetext_search(const text_lines *src, const char *needle, bool forward, bool at, size_t *s, size_t *off,
                     bool *wrapped);

#endif
