/* See pagetext.h. Pure: no curses, tested by tests/test_pagetext.c. */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include "pagetext.h"

void pagetext_free(pagetext *P)
{
    text_free(&P->L);
    free(P->src);
    free(P->off);
    memset(P, 0, sizeof *P);
}

static int pagetext_push(pagetext *P, const char *s, size_t len, text_style style, size_t src, size_t off)
{
    if (P->L.n == P->cap) {
        size_t cap = P->cap ? P->cap * 2 : 256;
        size_t *ns = realloc(P->src, cap * sizeof *ns);
        if (!ns)
            return -1;
        P->src = ns;
        size_t *no = realloc(P->off, cap * sizeof *no);
        if (!no)
            return -1;
        P->off = no;
        P->cap = cap;
    }
    size_t before = P->L.n;
    text_push(&P->L, s, len, style);
    if (P->L.n == before)
        return -1;
    P->src[before] = src;
    P->off[before] = off;
    return 0;
}

/* Bytes of p[from..plen) skipped by cols columns (a wide character cut by
 * the edge is skipped whole). */
static size_t pagetext_skip(const char *p, size_t from, size_t plen, int cols)
{
    size_t i = from;
    for (int used = 0; i < plen && used < cols;) {
        wchar_t wc;
        int cw;
        i += text_cell(p + i, plen - i, &wc, &cw);
        used += cw;
    }
    return i;
}

static int pagetext_line(pagetext *P, const char *p, text_style style, size_t s)
{
    size_t plen = strlen(p);
    if (!P->wrap) {
        size_t from = pagetext_skip(p, 0, plen, P->hcol);
        size_t to = text_cut(p, from, plen, 0, P->width, false);
        return pagetext_push(P, p + from, to - from, style, s, from);
    }
    size_t start = 0;
    do {
        size_t end = text_cut(p, start, plen, 0, P->width, true);
        if (pagetext_push(P, p + start, end - start, style, s, start) != 0)
            return -1;
        start = end;
        while (start < plen && (p[start] == ' ' || p[start] == '\t'))
            start++;
    } while (start < plen);
    return 0;
}

int pagetext_layout(pagetext *P, const text_lines *src, int width, bool wrap, int hcol)
{
    text_free(&P->L);
    P->width = width > 1 ? width : 1;
    P->wrap = wrap;
    P->hcol = hcol > 0 && !wrap ? hcol : 0;
    int widest = 0;
    for (size_t i = 0; i < src->n && P->hcol; i++) {
        int w = text_width(src->line[i]);
        widest = w > widest ? w : widest;
    }
    if (P->hcol > widest - P->width)   /* scrolled no further than the end of the longest line */
        P->hcol = widest > P->width ? widest - P->width : 0;
    for (size_t i = 0; i < src->n; i++)
        if (pagetext_line(P, src->line[i], src->style[i], i) != 0)
            return -1;
    return 0;
}

size_t pagetext_line_of(const pagetext *P, size_t s, size_t off)
{
    size_t found = P->L.n;
    for (size_t i = 0; i < P->L.n && P->src[i] <= s; i++)
        if (P->src[i] == s && (found == P->L.n || P->off[i] <= off))
            found = i;
    return found;
}

static int pagetext_lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

long pagetext_find(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    if (n == 0)
        return -1;
    for (size_t i = 0; hay[i]; i++) {
        size_t k = 0;
        while (k < n && hay[i + k] && pagetext_lower((unsigned char)hay[i + k]) == pagetext_lower((unsigned char)needle[k]))
            k++;
        if (k == n)
            return (long)i;
    }
    return -1;
}

/* The match in line s nearest to off in the direction: after it (at it
 * when at), or before it; -1 when none. */
static long pagetext_in_line(const char *line, const char *needle, bool forward, bool at, size_t off, bool whole)
{
    long best = -1;
    size_t len = strlen(line);
    for (size_t i = 0; i <= len;) {
        long m = pagetext_find(line + i, needle);
        if (m < 0)
            break;
        size_t pos = i + (size_t)m;
        bool ok = whole || (forward ? (at ? pos >= off : pos > off) : (at ? pos <= off : pos < off));
        if (ok && forward)
            return (long)pos;
        if (ok)
            best = (long)pos;
        if (!forward && !whole && pos >= off)
            break;
        i = pos + 1;
    }
    return best;
}

bool pagetext_search(const text_lines *src, const char *needle, bool forward, bool at, size_t *s, size_t *off,
                     bool *wrapped)
{
    *wrapped = false;
    if (src->n == 0 || !needle[0])
        return false;
    size_t start = *s < src->n ? *s : 0, n = src->n;
    for (size_t step = 0; step <= n; step++) {   /* the start line is looked at again, whole, last */
        size_t i = forward ? (start + step) % n : (start + n - step % n) % n;
        long m = pagetext_in_line(src->line[i], needle, forward, at, *off, step > 0);
        if (m >= 0) {
            *wrapped = step == n || (forward ? i < start : i > start);
            *s = i;
            *off = (size_t)m;
            return true;
        }
    }
    return false;
}
