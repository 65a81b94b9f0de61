/* Memory running out is reported, never taken for success: cache_load
 * fails (rc -1, no key, no record) instead of giving a partial or
 * NULL-holding key list; analysis_parse returns ANALYSIS_ENOMEM when a
 * record could not be added. Allocation failures are injected with the
 * linker's --wrap on realloc and strdup (only the calls of our own code). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "rebote/analysis.h"
#include "rebote/cache.h"

void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
static int realloc_fails_at, strdup_fails_at;   /* the Nth call from now fails; 0: none */
static void *realloc_fails_for;                  /* or every realloc of this block */

void *__wrap_realloc(void *p, size_t n)
{
    if ((realloc_fails_at && --realloc_fails_at == 0) || (p && p == realloc_fails_for))
        return NULL;
    return __real_realloc(p, n);
}

char *__wrap_strdup(const char *s)
{
    if (strdup_fails_at && --strdup_fails_at == 0)
        return NULL;
    return __real_strdup(s);
}

static char path[64];

static cache *filled_cache(void)
{
    snprintf(path, sizeof path, "/tmp/rebote-cache-test.%ld.db", (long)getpid());
    char warn[256] = "";
    cache *c = cache_open(path, warn, sizeof warn);
    assert_non_null(c);
    rb_records rs;
    rb_records_init(&rs);
    char *keys[] = {"k1", "k2"};
    for (int i = 0; i < 2; i++) {
        rb_record *r = rb_records_add(&rs);
        assert_non_null(r);
        assert_int_equal(rb_field_dup(&r->recipient, "ana@example.com"), 0);
        assert_int_equal(rb_field_dup(&r->key, keys[i]), 0);
    }
    assert_int_equal(cache_store(c, "src", 7, keys, 2, &rs), 0);
    rb_records_free(&rs);
    return c;
}

static void drop(cache *c)
{
    cache_close(c);
    char side[80];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

/* Loads with the nth realloc (or strdup) failing: -1, nothing given. */
static void load_failing(int *counter, int nth)
{
    cache *c = filled_cache();
    char **keys = (char **)1;
    size_t nkeys = 99;
    rb_records rs;
    rb_records_init(&rs);
    *counter = nth;
    int rc = cache_load(c, "src", 7, &keys, &nkeys, &rs);
    int left = *counter;
    *counter = 0;
    assert_int_equal(left, 0);   /* the failure did happen inside cache_load */
    assert_int_equal(rc, -1);
    assert_null(keys);
    assert_int_equal(nkeys, 0);
    assert_int_equal(rs.n, 0);
    rb_records_free(&rs);
    /* and the cache is whole afterwards */
    assert_int_equal(cache_load(c, "src", 7, &keys, &nkeys, &rs), 0);
    assert_int_equal(nkeys, 2);
    assert_int_equal(rs.n, 2);
    for (size_t i = 0; i < nkeys; i++)
        free(keys[i]);
    free(keys);
    rb_records_free(&rs);
    drop(c);
}

static void test_load_realloc_fails(void **state)
{
    (void)state;
    load_failing(&realloc_fails_at, 1);   /* the records' array */
    load_failing(&realloc_fails_at, 2);   /* the keys' array */
}

static void test_load_strdup_fails(void **state)
{
    (void)state;
    load_failing(&strdup_fails_at, 1);
    load_failing(&strdup_fails_at, 2);
}

/* A bounce whose record cannot be added: ENOMEM, not a message without
 * records (which the loader would cache as analysed). Fails before the
 * analysis returned ENOMEM. */
static void test_analysis_enomem(void **state)
{
    (void)state;
    static const char bounce[] =
        "From: MAILER-DAEMON@mx.example.org\nSubject: Undelivered Mail Returned to Sender\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n\n--B\n"
        "Content-Type: text/plain\n\nfailed\n--B\nContent-Type: message/delivery-status\n\n"
        "Reporting-MTA: dns; mx.example.org\n\nFinal-Recipient: rfc822; ana@example.com\n"
        "Action: failed\nStatus: 5.1.1\n\n--B--\n";
    analysis_init();
    rb_records rs;
    rb_records_init(&rs);
    assert_int_equal(analysis_parse(bounce, sizeof bounce - 1, &rs), ANALYSIS_OK);
    assert_int_equal(rs.n, 1);
    while (rs.n < rs.cap)   /* full: the next record needs the array to grow */
        assert_non_null(rb_records_add(&rs));
    size_t n = rs.n;
    realloc_fails_for = rs.v;
    analysis_status st = analysis_parse(bounce, sizeof bounce - 1, &rs);
    realloc_fails_for = NULL;
    assert_int_equal(st, ANALYSIS_ENOMEM);
    assert_int_equal(rs.n, n);
    assert_int_equal(analysis_parse(bounce, sizeof bounce - 1, &rs), ANALYSIS_OK);   /* memory back: fine */
    assert_int_equal(rs.n, n + 1);
    rb_records_free(&rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_analysis_enomem),
        cmocka_unit_test(test_load_realloc_fails),
        cmocka_unit_test(test_load_strdup_fails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
