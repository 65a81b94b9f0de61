/* The JSON Lines writer of parse (src/cli/jsonl.c) against jansson, which
 * wrote those lines before: the same bytes for every kind of string
 * (quotes, backslashes, every control byte, UTF-8 of each length, invalid
 * and overlong sequences, surrogates, code points past U+10FFFF), for
 * integers and booleans, and the same members left out. */
#include <config.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>
#include "cli/jsonl.h"

/* What jansson wrote for {"a": s, "n": i, "b": flag, "z": s} (a member
 * whose json_string is NULL left out). */
static char *by_jansson(const char *s, long long i, bool flag)
{
    json_t *o = json_object();
    json_object_set_new(o, "a", json_string(s));
    json_object_set_new(o, "n", json_integer((json_int_t)i));
    json_object_set_new(o, "b", json_boolean(flag));
    json_object_set_new(o, "z", json_string(s));
    char *d = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    size_t n = strlen(d);
    char *line = malloc(n + 2);
    memcpy(line, d, n);
    memcpy(line + n, "\n", 2);
    free(d);
    return line;
}

static char *by_jsonl(const char *s, long long i, bool flag)
{
    char *mem = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&mem, &n);
    jsonl j;
    jsonl_begin(&j, f);
    jsonl_string(&j, "a", s);
    jsonl_integer(&j, "n", i);
    jsonl_boolean(&j, "b", flag);
    jsonl_string(&j, "z", s);
    jsonl_end(&j);
    fclose(f);
    return mem;
}

static void same(const char *s, long long i, bool flag)
{
    char *want = by_jansson(s, i, flag), *got = by_jsonl(s, i, flag);
    assert_string_equal(got, want);
    free(want);
    free(got);
}

static void test_escapes(void **state)
{
    (void)state;
    same("", 0, false);
    same("plain 550 5.1.1 <user@example.org>", 1, true);
    same("\"quoted\" back\\slash /slash", -7, false);
    same("\b\f\n\r\t \x01\x1f\x7f", 123456789012LL, true);
    for (int c = 1; c < 0x20; c++) {
        char s[4] = {'x', (char)c, 'y', 0};
        same(s, c, c & 1);
    }
    same("caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x93\xa7 \xe2\x80\xae", 2, false);   /* é — 📧 U+202E */
}

static void test_invalid_utf8_left_out(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "\xff", "a\x80", "\xc0\xaf", "\xc1\xbf", "\xe0\x80\xaf", "\xf0\x80\x80\xaf", "\xed\xa0\x80", "\xed\xbf\xbf",
        "\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xc3", "\xe2\x80", "\xf0\x9f\x93", "\xc3(", "ok \xe9t\xe9",
    };
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        same(bad[k], (long long)k, true);
        assert_false(jsonl_utf8_valid(bad[k]));
    }
    assert_true(jsonl_utf8_valid("\xed\x9f\xbf\xee\x80\x80\xf4\x8f\xbf\xbf"));   /* U+D7FF U+E000 U+10FFFF */
}

/* Random byte strings, biased to the bytes that matter. */
static void test_random_strings(void **state)
{
    (void)state;
    static const unsigned char pick[] = {'a', '"', '\\', '/', '\n', 0x01, 0x1f, 0x7f, 0x80, 0xbf, 0xc0, 0xc2,
                                         0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff, 0x9f, 0xa0};
    srand(14);
    char s[48];
    for (int run = 0; run < 20000; run++) {
        size_t n = (size_t)(rand() % 40);   /* past eight: the eight-byte steps too */
        for (size_t i = 0; i < n; i++)
            s[i] = (char)(rand() % 3 ? (rand() % 2 ? pick[rand() % sizeof pick] : 'a' + rand() % 26) : 1 + rand() % 255);
        s[n] = '\0';
        same(s, run, run & 1);
    }
}

static void test_null_left_out(void **state)
{
    (void)state;
    same(NULL, 5, true);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escapes),
        cmocka_unit_test(test_invalid_utf8_left_out),
        cmocka_unit_test(test_random_strings),
        cmocka_unit_test(test_null_left_out),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
