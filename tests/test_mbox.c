/* The mbox source's list and fetch: a load (list, then fetch of what the
 * cache lacks) splits the file once, and a fetch after the file changed
 * splits it again, so every message it hands over is the one listed. The
 * splits are counted by wrapping mboxscan_fd (-Wl,--wrap). */
#define _GNU_SOURCE   /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "rebote/local.h"
#include "rebote/source.h"

static int scans;
int __real_mboxscan_fd(int fd, uint64_t size, mbox_span_cb cb, void *ctx);
int __wrap_mboxscan_fd(int fd, uint64_t size, mbox_span_cb cb, void *ctx)
{
    scans++;
    return __real_mboxscan_fd(fd, size, cb, ctx);
}

static char dir[64], path[128];

static void append(size_t from, size_t to)
{
    FILE *f = fopen(path, "a");
    assert_non_null(f);
    for (size_t i = from; i < to; i++)
        fprintf(f, "From MAILER-DAEMON Tue Nov 17 10:00:00 2026\nFrom: MAILER-DAEMON@mx.example\n"
                   "Subject: message %zu\n\nbody %zu\n\n", i, i);
    assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/rebote-mbox-test.XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/mbox", dir);
    append(0, 5);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(path);
    rmdir(dir);
    return 0;
}

typedef struct {
    size_t n;
    char seen[8][64];
} fetched;

static int on_message(const source_item *item, const char *buf, size_t len, void *ctx)
{
    (void)item;
    fetched *f = ctx;
    const char *subj = memmem(buf, len, "Subject: ", 9);
    assert_non_null(subj);
    if (f->n < 8)
        snprintf(f->seen[f->n], sizeof f->seen[0], "%.*s", (int)strcspn(subj + 9, "\n"), subj + 9);
    f->n++;
    return 0;
}

/* The test mbox opened and listed, the split counter at 1. */
static source *open_listed(source_item **items, size_t *n)
{
    char err[256];
    source *s = source_open(path, NULL, err, sizeof err);
    assert_non_null(s);
    scans = 0;
    assert_int_equal(source_list(s, items, n), 0);
    assert_int_equal(scans, 1);
    return s;
}

static void test_load_splits_once(void **state)
{
    (void)state;
    source_item *items;
    size_t n;
    source *s = open_listed(&items, &n);
    assert_int_equal(n, 5);
    fetched f = {0};
    assert_int_equal(source_fetch(s, items, n, on_message, NULL, &f), 0);
    assert_int_equal(f.n, 5);
    assert_string_equal(f.seen[4], "message 4");
    assert_int_equal(scans, 1);   /* the fetch took the listing of the list */
    fetched g = {0};
    assert_int_equal(source_fetch(s, items, 2, on_message, NULL, &g), 0);   /* a fetch on its own */
    assert_int_equal(g.n, 2);
    assert_int_equal(scans, 2);
    source_items_free(items, n);
    source_close(s);
}

static void test_changed_file_split_again(void **state)
{
    (void)state;
    source_item *items;
    size_t n;
    source *s = open_listed(&items, &n);
    append(5, 7);   /* a delivery between the list and the fetch */
    fetched f = {0};
    assert_int_equal(source_fetch(s, items, n, on_message, NULL, &f), 0);
    assert_int_equal(scans, 2);
    assert_int_equal(f.n, n);   /* every listed message, and only those */
    for (size_t i = 0; i < n; i++) {
        char want[32];
        snprintf(want, sizeof want, "message %zu", i);
        assert_string_equal(f.seen[i], want);
    }
    source_items_free(items, n);
    source_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_load_splits_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_changed_file_split_again, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
