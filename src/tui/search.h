/* The screen's search (/, n, N): the next group, or the next bounce in the
 * order the screen lists them (group by group), that matches a pattern
 * (the limit's syntax), forward or backward, wrapping. Pure: a view in,
 * a position out; no curses, so cmocka tests call it. */
#ifndef REBOTE_TUI_SEARCH_H
#define REBOTE_TUI_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include "rebote/view.h"

typedef struct {
    size_t g;   /* the group, in the view's order */
    size_t m;   /* the bounce inside it (ignored when searching the groups) */
} search_pos;

/* Does a bounce of group g of the view match p? */
bool search_group_matches(const view *v, const view_pattern *p, size_t g);

/* From `from` (not included, unless nothing else matches), the next (dir
 * > 0) or previous (dir < 0) group (bounces false) or bounce (bounces
 * true) that matches p. true and *at when found; *wrapped says that the
 * search went past the end (or the start) to find it. false: no match,
 * or an empty pattern. */
bool search_find(const view *v, const view_pattern *p, bool bounces, int dir, search_pos from, search_pos *at,
                 bool *wrapped);

#endif
