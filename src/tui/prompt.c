/* Questions and the line editor on the status line. */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>
#include "rebote/util.h"
#include "internal.h"

bool tui_ask(tui *u, const char *question)
{
    (void)u;
    tui_text(LINES - 1, 0, COLS, question, tui_attr(R_ERROR));
    move(LINES - 1, (int)(strlen(question) < (size_t)COLS ? strlen(question) : (size_t)COLS - 1));
    refresh();
    int c = getch();
    const char *yes = _("y");   /* the key that answers yes; anything else is no */
    return c != ERR && (c == yes[0] || c == 'y' || c == 'Y');
}

bool tui_prompt(const char *label, char *buf, size_t len)
{
    wchar_t w[256];
    size_t n = mbstowcs(w, buf, sizeof w / sizeof w[0] - 1);
    if (n == (size_t)-1)
        n = 0;
    w[n] = L'\0';
    curs_set(1);
    for (;;) {
        char shown[1200];
        char mb[1024];
        size_t m = wcstombs(mb, w, sizeof mb - 1);
        mb[m == (size_t)-1 ? 0 : m] = '\0';
        snprintf(shown, sizeof shown, "%s%s", label, mb);
        int used = tui_text(LINES - 1, 0, COLS, shown, A_BOLD);
        move(LINES - 1, used < COLS ? used : COLS - 1);
        refresh();
        wint_t c;
        int k = get_wch(&c);
        if (k == ERR && tui_gone()) {
            curs_set(0);
            return false;
        }
        if (k == ERR)
            continue;
        if (k == OK && c == 27) {
            curs_set(0);
            return false;
        }
        if ((k == OK && (c == '\n' || c == '\r')) || (k == KEY_CODE_YES && c == KEY_ENTER)) {
            curs_set(0);
            size_t o = wcstombs(buf, w, len - 1);
            buf[o == (size_t)-1 ? 0 : o] = '\0';
            return true;
        }
        if ((k == KEY_CODE_YES && c == KEY_BACKSPACE) || (k == OK && (c == 127 || c == 8))) {
            if (n)
                w[--n] = L'\0';
        } else if (k == OK && iswprint(c) && n + 1 < sizeof w / sizeof w[0]) {
            w[n++] = (wchar_t)c;
            w[n] = L'\0';
        }
    }
}
