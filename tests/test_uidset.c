/* UID-set compression: empty, single, ranges, unsorted, duplicates, 100k UIDs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "rebote/uidset.h"

typedef struct {
    char all[1 << 20];
    size_t sets, count, longest;
} collect;

static int gather(const char *set, size_t count, void *vctx)
{
    collect *c = vctx;
    size_t len = strlen(set);
    if (c->sets)
        strcat(c->all, "|");
    strcat(c->all, set);
    c->sets++;
    c->count += count;
    if (len > c->longest)
        c->longest = len;
    return 0;
}

static collect *run(const uint32_t *u, size_t n, size_t max)
{
    static collect c;
    memset(&c, 0, sizeof c);
    assert_int_equal(uidset_each(u, n, max, gather, &c), 0);
    return &c;
}

static void test_small_cases(void **state)
{
    (void)state;
    assert_int_equal(run(NULL, 0, 100)->sets, 0);
    uint32_t one[] = {42};
    assert_string_equal(run(one, 1, 100)->all, "42");
    uint32_t mixed[] = {10, 1, 3, 2, 4, 6, 8, 9, 4, 0, 1};
    collect *c = run(mixed, sizeof mixed / sizeof mixed[0], 100);
    assert_string_equal(c->all, "1:4,6,8:10");
    assert_int_equal(c->count, 8);
}

static void test_split_by_length(void **state)
{
    (void)state;
    uint32_t odd[40];
    for (int i = 0; i < 40; i++)
        odd[i] = (uint32_t)(1001 + 2 * i);   /* no ranges: 40 numbers of 4 digits */
    collect *c = run(odd, 40, 24);
    assert_true(c->sets > 1);
    assert_true(c->longest <= 24);
    assert_int_equal(c->count, 40);
}

static void test_hundred_thousand(void **state)
{
    (void)state;
    size_t n = 100000;
    uint32_t *u = malloc(n * sizeof *u);
    for (size_t i = 0; i < n; i++)
        u[i] = (uint32_t)(n - i);           /* reversed: one range */
    collect *c = run(u, n, 8192);
    assert_string_equal(c->all, "1:100000");
    for (size_t i = 0; i < n; i++)
        u[i] = (uint32_t)(i * 3 + 1);       /* scattered */
    c = run(u, n, 8192);
    assert_int_equal(c->count, n);
    assert_true(c->longest <= 8192);
    assert_true(c->sets >= 80);
    free(u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_cases), cmocka_unit_test(test_split_by_length),
        cmocka_unit_test(test_hundred_thousand),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
