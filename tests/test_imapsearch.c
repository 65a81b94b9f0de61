/* The SEARCH / ESEARCH answer parser (src/source/imapsearch.c): plain and
 * extended answers, ranges merged and sorted, other responses and literals
 * skipped, the tagged status; hostile input: 0, leading zeros, numbers past
 * 32 bits, overflow, garbage, more UIDs than EXISTS, long lines, every
 * split of the input across feeds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "imapsearch.h"

/* Feeds s in pieces of `step` bytes; returns the status, the set in out. */
static int feed(const char *s, uint32_t exists, size_t step, imapsearch_set *out, const char **why)
{
    imapsearch *p = imapsearch_new("7", exists);
    assert_non_null(p);
    size_t n = strlen(s), at = 0;
    int r = IMAPSEARCH_MORE;
    while (r == IMAPSEARCH_MORE && at < n) {
        size_t k = n - at < step ? n - at : step, used = 0;
        r = imapsearch_feed(p, s + at, k, &used);
        assert_true(used <= k);
        if (r == IMAPSEARCH_MORE)
            assert_int_equal(used, k);
        at += used;
    }
    if (why)
        *why = imapsearch_why(p) ? imapsearch_why(p) : "";
    *out = (imapsearch_set){0};
    if (r == IMAPSEARCH_OK)
        imapsearch_take(p, out);
    imapsearch_free(p);
    return r;
}

/* "lo-hi lo-hi ..." of a set, for comparisons. */
static const char *show(const imapsearch_set *s)
{
    static char buf[4096];
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < s->n && o < sizeof buf - 32; i++)
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%u-%u", i ? " " : "", s->v[i].lo, s->v[i].hi);
    return buf;
}

/* The answer read whole and in every piece size from 1 to 7 bytes gives the same. */
static void expect_ok(const char *answer, uint32_t exists, const char *ranges, uint64_t count)
{
    for (size_t step = 1; step <= 8; step++) {
        imapsearch_set s;
        size_t whole = step == 8 ? strlen(answer) + 1 : step;
        assert_int_equal(feed(answer, exists, whole, &s, NULL), IMAPSEARCH_OK);
        assert_string_equal(show(&s), ranges);
        assert_int_equal(s.count, count);
        imapsearch_set_free(&s);
    }
}

static void expect_fail(const char *answer, uint32_t exists, const char *why_part)
{
    for (size_t step = 1; step <= 3; step++) {
        imapsearch_set s;
        const char *why;
        assert_int_equal(feed(answer, exists, step == 3 ? strlen(answer) + 1 : step, &s, &why), IMAPSEARCH_FAIL);
        assert_non_null(strstr(why, why_part));
        assert_null(s.v);
    }
}

static void test_plain(void **state)
{
    (void)state;
    expect_ok("* SEARCH 1 2 3 5 9 10\r\n7 OK done\r\n", 6, "1-3 5-5 9-10", 6);
    expect_ok("* SEARCH\r\n7 OK done\r\n", 0, "", 0);
    expect_ok("* SEARCH \r\n7 OK done\r\n", 0, "", 0);
    expect_ok("* SEARCH 4294967295\r\n7 OK done\r\n", 1, "4294967295-4294967295", 1);
    expect_ok("* search 2 1\n7 ok done\n", 2, "1-2", 2);   /* bare LF, lower case */
}

static void test_unsorted_and_repeated(void **state)
{
    (void)state;
    expect_ok("* SEARCH 9 3 1 2 2 10 4\r\n7 OK done\r\n", 10, "1-4 9-10", 6);
    expect_ok("* SEARCH 5 6\r\n* SEARCH 1 2\r\n7 OK\r\n", 4, "1-2 5-6", 4);   /* two lines */
}

static void test_esearch(void **state)
{
    (void)state;
    expect_ok("* ESEARCH (TAG \"7\") UID ALL 1:4,6,8:10\r\n7 OK done\r\n", 8, "1-4 6-6 8-10", 8);
    expect_ok("* ESEARCH (TAG \"7\") UID ALL 5:1\r\n7 OK done\r\n", 5, "1-5", 5);   /* 5:1 is 1:5 */
    expect_ok("* ESEARCH (TAG \"7\") UID\r\n7 OK done\r\n", 3, "", 0);              /* nothing found */
    expect_ok("* ESEARCH UID ALL 2 COUNT 1\r\n7 OK\r\n", 3, "2-2", 1);              /* other data skipped */
    expect_ok("* ESEARCH (TAG \"7\") UID ALL 1:5000000\r\n7 OK done\r\n", 5000000, "1-5000000", 5000000);
}

static void test_other_responses_skipped(void **state)
{
    (void)state;
    /* untagged data, a literal holding "7 OK" and "* SEARCH 99", another tag's status */
    expect_ok("* 3 EXPUNGE\r\n* 1 FETCH (BODY[] {19}\r\n7 OK\r\n* SEARCH 99\r\n)\r\n"
              "6 OK old\r\n* SEARCH 1\r\n7 OK done\r\n", 1, "1-1", 1);
    /* a new message announced meanwhile raises the bound (1:2000 of EXISTS 10 fails below) */
    expect_ok("* 5000 EXISTS\r\n* ESEARCH UID ALL 1:2000\r\n7 OK\r\n", 10, "1-2000", 2000);
}

static void test_status(void **state)
{
    (void)state;
    imapsearch *p = imapsearch_new("7", 1);
    const char *no = "* SEARCH 1\r\n7 NO [SERVERBUG] \x1b[2Jbroken\r\nnext";
    size_t used;
    assert_int_equal(imapsearch_feed(p, no, strlen(no), &used), IMAPSEARCH_NO);
    assert_int_equal(used, strlen(no) - 4);   /* what follows the status line stays unread */
    assert_string_equal(imapsearch_text(p), "[SERVERBUG] \x1b[2Jbroken");   /* raw: the caller sanitises */
    imapsearch_free(p);
    imapsearch_set s;
    assert_int_equal(feed("7 BAD no\r\n", 1, 100, &s, NULL), IMAPSEARCH_NO);
    assert_int_equal(feed("* SEARCH 1\r\n7 MAYBE\r\n", 1, 100, &s, NULL), IMAPSEARCH_FAIL);
    /* a status line longer than the head: still ours, the text cut */
    char longline[2000];
    memset(longline, 'x', sizeof longline);
    memcpy(longline, "7 OK ", 5);
    strcpy(longline + sizeof longline - 3, "\r\n");
    assert_int_equal(feed(longline, 1, 100, &s, NULL), IMAPSEARCH_OK);
    imapsearch_set_free(&s);
    /* no status yet: more */
    assert_int_equal(feed("* SEARCH 1 2", 2, 100, &s, NULL), IMAPSEARCH_MORE);
}

static void test_hostile_numbers(void **state)
{
    (void)state;
    expect_fail("* SEARCH 0\r\n7 OK\r\n", 5, "invalid UID");
    expect_fail("* SEARCH 1 007\r\n7 OK\r\n", 5, "invalid UID");
    expect_fail("* SEARCH 4294967296\r\n7 OK\r\n", 5, "invalid UID");
    expect_fail("* SEARCH 99999999999999999999999999999\r\n7 OK\r\n", 5, "invalid UID");
    expect_fail("* SEARCH 18446744073709551617\r\n7 OK\r\n", 5, "invalid UID");   /* 2^64 + 1 */
    expect_fail("* ESEARCH UID ALL 0:3\r\n7 OK\r\n", 5, "invalid UID");
    expect_fail("* ESEARCH UID ALL 1:4294967296\r\n7 OK\r\n", 5, "invalid UID");
}

static void test_hostile_syntax(void **state)
{
    (void)state;
    expect_fail("* SEARCH 1 2 x\r\n7 OK\r\n", 5, "cannot read");
    expect_fail("* SEARCH 1 -2\r\n7 OK\r\n", 5, "cannot read");
    expect_fail("* SEARCH 1 2 (MODSEQ 5)\r\n7 OK\r\n", 5, "cannot read");
    expect_fail("* SEARCH 1\rX\n7 OK\r\n", 5, "cannot read");
    expect_fail("* SEARCH 1\x7f 2\r\n7 OK\r\n", 5, "cannot read");
    expect_fail("* ESEARCH UID ALL 1:*\r\n7 OK\r\n", 5, "cannot read");
    expect_fail("* ESEARCH UID ALL 1::3\r\n7 OK\r\n", 5, "cannot read");
    expect_fail("* ESEARCH UID ALL 1,,3\r\n7 OK\r\n", 5, "cannot read");
    expect_fail("* ESEARCH UID ALL 1:\r\n7 OK\r\n", 5, "cannot read");
    expect_fail("* ESEARCH UID ALL \r\n7 OK\r\n", 5, "cannot read");
    expect_fail("* ESEARCH UID ALL 1:2:3\r\n7 OK\r\n", 5, "cannot read");
}

static void test_more_than_exists(void **state)
{
    (void)state;
    /* EXISTS 1: the margin passes, then refused, without reading on */
    size_t n = 40 + 11 * (IMAPSEARCH_MARGIN + 10);
    char *s = malloc(n), *o = s;
    o += sprintf(o, "* SEARCH");
    for (unsigned u = 1; u <= IMAPSEARCH_MARGIN + 2; u++)
        o += sprintf(o, " %u", u);
    strcpy(o, "\r\n7 OK\r\n");
    expect_fail(s, 1, "more messages than the mailbox holds");
    imapsearch_set set;
    assert_int_equal(feed(s, 2, 4096, &set, NULL), IMAPSEARCH_OK);   /* EXISTS 2: within the margin */
    assert_int_equal(set.count, IMAPSEARCH_MARGIN + 2);
    imapsearch_set_free(&set);
    free(s);
    expect_fail("* ESEARCH UID ALL 1:4294967295\r\n7 OK\r\n", 4000000000u, "more messages");   /* the ceiling */
    expect_fail("* ESEARCH UID ALL 1:2000\r\n7 OK\r\n", 10, "more messages");
    /* repeats count: one UID a million times */
    char rep[64];
    snprintf(rep, sizeof rep, "* SEARCH");
    imapsearch *p = imapsearch_new("7", 3);
    size_t used;
    assert_int_equal(imapsearch_feed(p, rep, strlen(rep), &used), IMAPSEARCH_MORE);
    int r = IMAPSEARCH_MORE;
    for (int i = 0; i < 1000000 && r == IMAPSEARCH_MORE; i++)
        r = imapsearch_feed(p, " 1", 2, &used);
    assert_int_equal(r, IMAPSEARCH_FAIL);
    imapsearch_free(p);
}

/* Long lines of anything else, and a long head, are skipped in bounded memory. */
static void test_long_lines(void **state)
{
    (void)state;
    imapsearch *p = imapsearch_new("7", 1);
    size_t used;
    static char junk[1 << 16];
    memset(junk, 'y', sizeof junk);
    assert_int_equal(imapsearch_feed(p, "* OK ", 5, &used), IMAPSEARCH_MORE);
    for (int i = 0; i < 256; i++)   /* 16 MiB */
        assert_int_equal(imapsearch_feed(p, junk, sizeof junk, &used), IMAPSEARCH_MORE);
    const char *end = "\r\n* SEARCH 1\r\n7 OK\r\n";
    assert_int_equal(imapsearch_feed(p, end, strlen(end), &used), IMAPSEARCH_OK);
    imapsearch_set s;
    imapsearch_take(p, &s);
    assert_int_equal(s.count, 1);
    imapsearch_set_free(&s);
    imapsearch_free(p);
    assert_null(imapsearch_new("a-tag-far-too-long-for-rebote", 1));
}

/* 5 million UIDs, every other one (the worst case of ranges): 8 bytes each. */
static void test_many(void **state)
{
    (void)state;
    imapsearch *p = imapsearch_new("7", 10000000);
    size_t used;
    char buf[1 << 14];
    size_t o = (size_t)sprintf(buf, "* SEARCH");
    for (unsigned u = 1; u <= 10000000; u += 2) {
        o += (size_t)sprintf(buf + o, " %u", u);
        if (o > sizeof buf - 16) {
            assert_int_equal(imapsearch_feed(p, buf, o, &used), IMAPSEARCH_MORE);
            o = 0;
        }
    }
    o += (size_t)sprintf(buf + o, "\r\n7 OK\r\n");
    assert_int_equal(imapsearch_feed(p, buf, o, &used), IMAPSEARCH_OK);
    imapsearch_set s;
    imapsearch_take(p, &s);
    assert_int_equal(s.n, 5000000);
    assert_int_equal(s.count, 5000000);
    assert_true(s.cap * sizeof *s.v <= 64u * 1024 * 1024);
    imapsearch_set_free(&s);
    imapsearch_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain),
        cmocka_unit_test(test_unsorted_and_repeated),
        cmocka_unit_test(test_esearch),
        cmocka_unit_test(test_other_responses_skipped),
        cmocka_unit_test(test_status),
        cmocka_unit_test(test_hostile_numbers),
        cmocka_unit_test(test_hostile_syntax),
        cmocka_unit_test(test_more_than_exists),
        cmocka_unit_test(test_long_lines),
        cmocka_unit_test(test_many),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
