/* The prompts' line editor and the pager's layout and search, without
 * curses (src/tui/lineedit.c, src/tui/pagetext.c). */
#include <config.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "tui/lineedit.h"
#include "tui/pagetext.h"

static const char *le_str(const lineedit *e)
{
    static char buf[1024];
    lineedit_text(e, buf, sizeof buf);
    return buf;
}

static void type(lineedit *e, const char *s)
{
    for (; *s; s++)
        lineedit_apply(e, LE_INSERT, (wchar_t)(unsigned char)*s);
}

static void test_edits(void **state)
{
    (void)state;
    lineedit e;
    lineedit_init(&e, "hello world", false);
    assert_int_equal(e.cur, 11);
    lineedit_apply(&e, LE_HOME, 0);
    type(&e, ">");
    assert_string_equal(le_str(&e), ">hello world");
    lineedit_apply(&e, LE_DELETE, 0);             /* Del: the character under the cursor */
    assert_string_equal(le_str(&e), ">ello world");
    lineedit_apply(&e, LE_END, 0);
    lineedit_apply(&e, LE_LEFT, 0);
    lineedit_apply(&e, LE_BACKSPACE, 0);
    assert_string_equal(le_str(&e), ">ello word");
    lineedit_apply(&e, LE_RIGHT, 0);
    lineedit_apply(&e, LE_RIGHT, 0);              /* stops at the end */
    assert_int_equal(e.cur, e.n);
    lineedit_apply(&e, LE_KILL_WORD, 0);          /* ^W: the word before the cursor */
    assert_string_equal(le_str(&e), ">ello ");
    type(&e, "a  ");
    lineedit_apply(&e, LE_KILL_WORD, 0);          /* with the spaces after it */
    assert_string_equal(le_str(&e), ">ello ");
    lineedit_apply(&e, LE_LEFT, 0);
    lineedit_apply(&e, LE_LEFT, 0);
    lineedit_apply(&e, LE_KILL_START, 0);         /* ^U: to the start, the rest stays */
    assert_string_equal(le_str(&e), "o ");
    assert_int_equal(e.cur, 0);
    lineedit_apply(&e, LE_BACKSPACE, 0);          /* nothing before the cursor */
    lineedit_apply(&e, LE_LEFT, 0);
    assert_string_equal(le_str(&e), "o ");
    type(&e, "\x01");                             /* controls are not inserted */
    assert_string_equal(le_str(&e), "o ");
}

static void test_fresh_default(void **state)
{
    (void)state;
    lineedit e;
    lineedit_init(&e, "rebote-20261203.md", true);
    type(&e, "x");                                /* the first character replaces the default */
    assert_string_equal(le_str(&e), "x");
    type(&e, "y");
    assert_string_equal(le_str(&e), "xy");
    lineedit_init(&e, "rebote-20261203.md", true);
    lineedit_apply(&e, LE_BACKSPACE, 0);          /* Backspace edits it */
    type(&e, "x");
    assert_string_equal(le_str(&e), "rebote-20261203.mx");
    lineedit_init(&e, "ab.md", true);
    lineedit_apply(&e, LE_LEFT, 0);
    type(&e, "c");
    assert_string_equal(le_str(&e), "ab.mcd");
    lineedit_init(&e, "ab.md", true);
    assert_string_equal(le_str(&e), "ab.md");     /* Enter takes it as it is */
}

static void test_scroll(void **state)
{
    (void)state;
    lineedit e;
    lineedit_init(&e, "0123456789abcdefghij", false);
    int col;
    size_t first = lineedit_view(&e, 10, &col);   /* cursor at the end: the last 9 and its cell */
    assert_int_equal(first, 11);
    assert_int_equal(col, 9);
    lineedit_apply(&e, LE_HOME, 0);
    first = lineedit_view(&e, 10, &col);
    assert_int_equal(first, 0);
    assert_int_equal(col, 0);
    for (int i = 0; i < 12; i++)
        lineedit_apply(&e, LE_RIGHT, 0);
    first = lineedit_view(&e, 10, &col);         /* still shown from 0? no: the cursor must fit */
    assert_true(col >= 0 && col < 10);
    assert_int_equal(first + (size_t)col, 12);
    lineedit_init(&e, "日本語日本語", false);        /* wide characters: two columns each */
    first = lineedit_view(&e, 6, &col);
    assert_true(col + 1 <= 6);
    assert_int_equal(lineedit_width(&e, first, e.cur), col);
}

static void test_home(void **state)
{
    (void)state;
    char out[64];
    assert_int_equal(lineedit_expand_home("~/x.csv", "/home/ana", out, sizeof out), 0);
    assert_string_equal(out, "/home/ana/x.csv");
    lineedit_expand_home("~", "/home/ana", out, sizeof out);
    assert_string_equal(out, "/home/ana");
    lineedit_expand_home("~/x", "/home/ana/", out, sizeof out);
    assert_string_equal(out, "/home/ana/x");
    lineedit_expand_home("~bob/x", "/home/ana", out, sizeof out);
    assert_string_equal(out, "~bob/x");
    lineedit_expand_home("a~/x", "/home/ana", out, sizeof out);
    assert_string_equal(out, "a~/x");
    lineedit_expand_home("~/x", NULL, out, sizeof out);
    assert_string_equal(out, "~/x");
    assert_int_equal(lineedit_expand_home("~/x", "/a/very/long/home/directory", out, 10), -1);
}

static void src_lines(text_lines *L, const char *const *v, size_t n)
{
    *L = (text_lines){.width = 1000};
    for (size_t i = 0; i < n; i++)
        text_push(L, v[i], strlen(v[i]), TEXT_NORMAL);
}

static void test_layout(void **state)
{
    (void)state;
    const char *v[] = {"one two three four five six", "", "abcdefghijklmnopqrstuvwxyz", "ñandú árbol"};
    text_lines S;
    src_lines(&S, v, 4);
    pagetext P = {0};
    assert_int_equal(pagetext_layout(&P, &S, 10, true, 0), 0);
    for (size_t i = 0; i < P.L.n; i++)
        assert_true(text_width(P.L.line[i]) <= 10);   /* no line wider than the screen */
    assert_string_equal(P.L.line[0], "one two");      /* broken at a space */
    assert_string_equal(P.L.line[1], "three four");
    assert_string_equal(P.L.line[2], "five six");
    assert_string_equal(P.L.line[3], "");             /* an empty line stays */
    assert_string_equal(P.L.line[4], "abcdefghij");   /* a long word where the width ends */
    assert_int_equal(P.src[5], 2);
    assert_int_equal(P.off[5], 10);
    assert_string_equal(P.L.line[7], "ñandú");
    assert_int_equal(P.L.n, 9);
    assert_int_equal(pagetext_line_of(&P, 2, 15), 5);
    assert_int_equal(pagetext_line_of(&P, 0, 0), 0);
    assert_int_equal(pagetext_layout(&P, &S, 20, true, 0), 0);   /* wider: laid out again */
    assert_string_equal(P.L.line[0], "one two three four");
    assert_int_equal(pagetext_layout(&P, &S, 10, false, 0), 0);  /* not wrapped: cut */
    assert_int_equal(P.L.n, 4);
    assert_string_equal(P.L.line[0], "one two th");
    assert_int_equal(pagetext_layout(&P, &S, 10, false, 4), 0);  /* scrolled sideways */
    assert_string_equal(P.L.line[0], "two three ");
    assert_string_equal(P.L.line[3], "ú árbol");
    assert_int_equal(pagetext_layout(&P, &S, 10, false, 99), 0);  /* no further than the longest line's end */
    assert_int_equal(P.hcol, 17);   /* the first line, 27 columns, ends at the edge */
    assert_string_equal(P.L.line[0], "e four five six" + 5);
    pagetext_free(&P);
    text_free(&S);
}

static void test_search(void **state)
{
    (void)state;
    const char *v[] = {"From: a", "Subject: Hello", "body hello", "", "HELLO again"};
    text_lines S;
    src_lines(&S, v, 5);
    assert_int_equal(pagetext_find("Subject: Hello", "hello"), 9);
    assert_int_equal(pagetext_find("abc", "x"), -1);
    size_t s = 0, off = 0;
    bool wrapped;
    assert_true(pagetext_search(&S, "hello", true, true, &s, &off, &wrapped));
    assert_int_equal(s, 1);
    assert_int_equal(off, 9);
    assert_false(wrapped);
    assert_true(pagetext_search(&S, "hello", true, false, &s, &off, &wrapped));   /* n: the next one */
    assert_int_equal(s, 2);
    assert_true(pagetext_search(&S, "hello", true, false, &s, &off, &wrapped));
    assert_int_equal(s, 4);
    assert_true(pagetext_search(&S, "hello", true, false, &s, &off, &wrapped));   /* round the end */
    assert_int_equal(s, 1);
    assert_true(wrapped);
    assert_true(pagetext_search(&S, "hello", false, false, &s, &off, &wrapped));  /* back */
    assert_int_equal(s, 4);
    assert_true(wrapped);
    s = 0, off = 0;
    assert_false(pagetext_search(&S, "nowhere", true, true, &s, &off, &wrapped));
    const char *one[] = {"x hello y"};
    text_lines O;
    src_lines(&O, one, 1);
    s = 0, off = 2;
    assert_true(pagetext_search(&O, "hello", true, false, &s, &off, &wrapped));   /* the only one, again */
    assert_int_equal(off, 2);
    assert_true(wrapped);
    text_free(&O);
    text_free(&S);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_edits), cmocka_unit_test(test_fresh_default), cmocka_unit_test(test_scroll),
        cmocka_unit_test(test_home), cmocka_unit_test(test_layout), cmocka_unit_test(test_search),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
