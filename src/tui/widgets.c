/* The drawing primitives: a line of text, a block of lines, scrolling.
 * Every string from a message passes tui_text, which draws only what
 * text_cell lets through, measured as text_cell measures it. */
#include <config.h>
#include <string.h>
#include <wctype.h>
#include "internal.h"

/* Wider than w, spaces at its end aside: cut with an ellipsis, so that a
 * cut phrase ("Abuse or feedback report (ARF): someone marked") does not
 * read as whole. */
static const char *tui_text_cut(const char *s, int w, char *buf, size_t len)
{
    size_t n = s ? strlen(s) : 0;
    while (n > 0 && s[n - 1] == ' ')
        n--;
    if (n == 0 || n >= len || w < 4)
        return s;
    memcpy(buf, s, n);
    buf[n] = '\0';
    if (text_width(buf) <= w)
        return s;
    char *out = buf + n + 1;
    text_fit_ellipsis(out, len - n - 1, buf, w);
    return out;
}

int tui_text(int y, int x, int w, const char *s, attr_t attr)
{
    int used = 0;
    char cut[4096];
    s = tui_text_cut(s, w, cut, sizeof cut);
    attron(attr);
    move(y, x);
    size_t n = s ? strlen(s) : 0;
    while (n > 0 && used < w) {
        wchar_t wc;
        int cw;
        size_t k = text_cell(s, n, &wc, &cw);
        s += k;
        n -= k;
        if (cw == 0)   /* not drawn, and so not counted */
            continue;
        if (used + cw > w)
            break;
        addnwstr(&wc, 1);
        used += cw;
    }
    for (int i = used; i < w; i++)
        addch(' ');
    attroff(attr);
    return used;
}

void tui_draw_lines(const text_lines *L, size_t top, int y, int x, int w, int h)
{
    for (int row = 0; row < h; row++) {
        size_t i = top + (size_t)row;
        tui_text(y + row, x, w, i < L->n ? L->line[i] : "", i < L->n ? tui_style_attr(L->style[i]) : A_NORMAL);
    }
}

void tui_clamp_top(size_t *top, size_t n, int h)
{
    if (*top + (size_t)h > n)   /* a taller window shows the rows above, not blank rows below */
        *top = n > (size_t)h ? n - (size_t)h : 0;
}

void tui_fix_scroll(size_t sel, size_t *top, int h)
{
    if (sel < *top)
        *top = sel;
    if (sel >= *top + (size_t)h)
        *top = sel - (size_t)h + 1;
}
