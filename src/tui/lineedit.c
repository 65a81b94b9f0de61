/* See lineedit.h. Pure: no curses, tested by tests/test_lineedit.c. */
#include <config.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>
#include "lineedit.h"
#include "text.h"

void lineedit_init(lineedit *e, const char *text, bool fresh)
{
    memset(e, 0, sizeof *e);
    size_t n = text ? mbstowcs(e->w, text, LINEEDIT_CAP - 1) : 0;
    e->n = n == (size_t)-1 ? 0 : n;
    e->w[e->n] = L'\0';
    e->cur = e->n;
    e->fresh = fresh && e->n > 0;
}

/* Removes the characters from..to (to > from), the cursor goes to from. */
static void lineedit_cut(lineedit *e, size_t from, size_t to)
{
    memmove(e->w + from, e->w + to, (e->n - to + 1) * sizeof e->w[0]);
    e->n -= to - from;
    e->cur = from;
}

static void lineedit_insert(lineedit *e, wchar_t c)
{
    if (e->fresh)
        lineedit_cut(e, 0, e->n);
    if (e->n + 1 >= LINEEDIT_CAP || !iswprint((wint_t)c))
        return;
    memmove(e->w + e->cur + 1, e->w + e->cur, (e->n - e->cur + 1) * sizeof e->w[0]);
    e->w[e->cur++] = c;
    e->n++;
}

/* ^W: back over the spaces before the cursor, then over the word (a shell's unix-word-rubout). */
static size_t lineedit_word_start(const lineedit *e)
{
    size_t i = e->cur;
    while (i > 0 && iswspace((wint_t)e->w[i - 1]))
        i--;
    while (i > 0 && !iswspace((wint_t)e->w[i - 1]))
        i--;
    return i;
}

void lineedit_apply(lineedit *e, lineedit_op op, wchar_t c)
{
    if (op == LE_INSERT) {
        lineedit_insert(e, c);
        e->fresh = false;
        return;
    }
    if (op != LE_NONE)
        e->fresh = false;
    switch (op) {
    case LE_LEFT: e->cur -= e->cur > 0; break;
    case LE_RIGHT: e->cur += e->cur < e->n; break;
    case LE_HOME: e->cur = 0; break;
    case LE_END: e->cur = e->n; break;
    case LE_BACKSPACE:
        if (e->cur > 0)
            lineedit_cut(e, e->cur - 1, e->cur);
        break;
    case LE_DELETE:
        if (e->cur < e->n)
            lineedit_cut(e, e->cur, e->cur + 1);
        break;
    case LE_KILL_START:
        if (e->cur > 0)
            lineedit_cut(e, 0, e->cur);
        break;
    case LE_KILL_WORD: {
        size_t from = lineedit_word_start(e);
        if (from < e->cur)
            lineedit_cut(e, from, e->cur);
        break;
    }
    default: break;
    }
}

void lineedit_text(const lineedit *e, char *out, size_t len)
{
    size_t o = len ? wcstombs(out, e->w, len - 1) : 0;
    if (len)
        out[o == (size_t)-1 ? 0 : o] = '\0';
}

/* The columns of one character as the screen draws it. */
static int lineedit_cols(wchar_t c)
{
    char mb[MB_LEN_MAX + 1];
    mbstate_t st;
    memset(&st, 0, sizeof st);
    size_t k = wcrtomb(mb, c, &st);
    if (k == (size_t)-1)
        return 1;   /* drawn as a fallback */
    mb[k] = '\0';
    return text_width(mb);
}

int lineedit_width(const lineedit *e, size_t from, size_t to)
{
    int cols = 0;
    for (size_t i = from; i < to && i < e->n; i++)
        cols += lineedit_cols(e->w[i]);
    return cols;
}

size_t lineedit_view(lineedit *e, int cols, int *curcol)
{
    if (cols < 1)
        cols = 1;
    if (e->scroll > e->cur)
        e->scroll = e->cur;
    int cw = e->cur < e->n ? lineedit_cols(e->w[e->cur]) : 1;   /* the cursor's cell */
    while (e->scroll < e->cur && lineedit_width(e, e->scroll, e->cur) + (cw > 0 ? cw : 1) > cols)
        e->scroll++;
    *curcol = lineedit_width(e, e->scroll, e->cur);
    return e->scroll;
}

int lineedit_expand_home(const char *path, const char *home, char *out, size_t len)
{
    const char *rest = path;
    bool tilde = path[0] == '~' && (path[1] == '\0' || path[1] == '/') && home && home[0];
    if (tilde) {
        rest = path + 1;
        size_t hl = strlen(home);
        if (rest[0] == '/' && home[hl - 1] == '/')
            hl--;   /* "~/x" with HOME=/home/ana/: one slash */
        int n = snprintf(out, len, "%.*s%s", (int)hl, home, rest);
        return n < 0 || (size_t)n >= len ? -1 : 0;
    }
    int n = snprintf(out, len, "%s", path);
    return n < 0 || (size_t)n >= len ? -1 : 0;
}
