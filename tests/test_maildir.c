/* Local files as other programs leave them: Maildir messages that move
 * (new/ to cur/, flags changed) while rebote reads or deletes them, files
 * that are not regular (FIFO, device, folder), a huge sparse message. Each
 * case bounded by alarm(): a blocking open fails the test, not hangs it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "rebote/analysis.h"
#include "rebote/local.h"
#include "rebote/source.h"
#include "source/source_impl.h"

#define NMSG 6   /* 0, 2, 4 in new/ (no info); 1, 3, 5 in cur/ with ":2,S" */

static char dir[64];

/* A read that blocks (a FIFO opened for reading) fails the case at once. */
static void on_alarm(int sig)
{
    (void)sig;
    fail_msg("timed out: something blocked");
}

static void write_file(const char *path, size_t i)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "From: MAILER-DAEMON@mx.example\nSubject: message %zu\n\nbody %zu\n", i, i);
    assert_int_equal(fclose(f), 0);
}

static void sub_path(char *out, size_t len, const char *sub, const char *name)
{
    snprintf(out, len, "%s/%s/%s", dir, sub, name);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/rebote-maildir-test.XXXXXX");
    assert_non_null(mkdtemp(dir));
    char path[512];
    const char *subs[] = {"cur", "new", "tmp", "trash", "trash/cur", "trash/new"};
    for (size_t i = 0; i < sizeof subs / sizeof *subs; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, subs[i]);
        assert_int_equal(mkdir(path, 0700), 0);
    }
    for (size_t i = 0; i < NMSG; i++) {
        char name[64];
        snprintf(name, sizeof name, "17000000%02zu.M1P1.host%s", i, i % 2 ? ":2,S" : "");
        sub_path(path, sizeof path, i % 2 ? "cur" : "new", name);
        write_file(path, i);
    }
    struct sigaction sa = {.sa_handler = on_alarm, .sa_flags = SA_NODEFER};
    sigaction(SIGALRM, &sa, NULL);
    alarm(10);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    alarm(0);
    maildir_race_hook = NULL;
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* The file of message KEY now, in cur/ or new/ ("" when none). */
static void find_message(const char *key, char *out, size_t len)
{
    const char *subs[] = {"cur", "new"};
    size_t kl = strlen(key);
    out[0] = '\0';
    for (int s = 0; s < 2; s++) {
        char d[512];
        snprintf(d, sizeof d, "%s/%s", dir, subs[s]);
        DIR *dp = opendir(d);
        assert_non_null(dp);
        struct dirent *e;
        while ((e = readdir(dp)))
            if (!strncmp(e->d_name, key, kl) && (e->d_name[kl] == ':' || !e->d_name[kl]))
                snprintf(out, len, "%s/%s", d, e->d_name);
        closedir(dp);
    }
}

/* What another client does: new/ -> cur/ (":2,"), or a flag added in cur/. */
static void move_message(const char *key)
{
    char from[600], to[600];
    find_message(key, from, sizeof from);
    assert_true(from[0]);
    if (strstr(from, "/new/"))
        snprintf(to, sizeof to, "%s/cur/%s:2,", dir, key);
    else
        snprintf(to, sizeof to, "%sR", from);   /* ":2,S" -> ":2,SR" */
    assert_int_equal(rename(from, to), 0);
}

typedef struct {
    source_item *items;
    size_t n, got, empty;
    char seen[NMSG + 1];
} fetch_ctx;

/* Takes message i, and moves message i+1 before it is read. */
static int fetch_and_move_next(const source_item *item, const char *buf, size_t len, void *vctx)
{
    fetch_ctx *c = vctx;
    c->empty += len == 0;
    const char *subj = strstr(buf, "message ");
    if (subj)
        c->seen[c->got] = subj[8];
    size_t at = (size_t)(item - c->items);
    if (at + 1 < c->n)
        move_message(c->items[at + 1].key);
    c->got++;
    return 0;
}

static source *open_maildir(const char *trash)
{
    char err[512];
    source_options opt = {.fetch_cap = 256 * 1024, .trash = trash};
    source *s = source_open(dir, &opt, err, sizeof err);
    assert_non_null(s);
    return s;
}

static void test_fetch_follows_moves(void **state)
{
    (void)state;
    source *s = open_maildir(NULL);
    fetch_ctx c = {0};
    assert_int_equal(source_list(s, &c.items, &c.n), 0);
    assert_int_equal(c.n, NMSG);
    move_message(c.items[0].key);   /* between the listing and the fetch */
    assert_int_equal(source_fetch(s, c.items, c.n, fetch_and_move_next, NULL, &c), 0);
    assert_int_equal(c.got, NMSG);
    assert_int_equal(source_skipped(s), 0);
    source_items_free(c.items, c.n);
    source_close(s);
}

/* Message 2 becomes a FIFO, message 4 a folder, after the listing. */
static int fetch_breaking(const source_item *item, const char *buf, size_t len, void *vctx)
{
    fetch_ctx *c = vctx;
    if (item == &c->items[0]) {
        char path[600];
        find_message(c->items[2].key, path, sizeof path);
        assert_int_equal(unlink(path), 0);
        assert_int_equal(mkfifo(path, 0600), 0);
        find_message(c->items[4].key, path, sizeof path);
        assert_int_equal(unlink(path), 0);
        assert_int_equal(mkdir(path, 0700), 0);
    }
    (void)buf;
    c->empty += len == 0;
    c->got++;
    return 0;
}

static void test_fetch_skips_unreadable(void **state)
{
    (void)state;
    source *s = open_maildir(NULL);
    fetch_ctx c = {0};
    assert_int_equal(source_list(s, &c.items, &c.n), 0);
    assert_int_equal(source_fetch(s, c.items, c.n, fetch_breaking, NULL, &c), 0);
    assert_int_equal(c.got, NMSG - 2);
    assert_int_equal(c.empty, 0);
    assert_int_equal(source_skipped(s), 2);
    assert_non_null(strstr(source_skip_reason(s), "FIFO"));
    /* the next load counts afresh */
    source_items_free(c.items, c.n);
    assert_int_equal(source_list(s, &c.items, &c.n), 0);
    assert_int_equal(source_skipped(s), 0);
    source_items_free(c.items, c.n);
    source_close(s);
}

/* Right before each message file is deleted, another client moves it once. */
static int hook_moves;
static void move_before(const char *path)
{
    const char *base = strrchr(path, '/') + 1;
    char key[256];
    snprintf(key, sizeof key, "%.*s", (int)strcspn(base, ":"), base);
    if (!strstr(base, "R")) {   /* not yet moved by us */
        move_message(key);
        hook_moves++;
    }
}

static size_t count_files(const char *sub)
{
    char d[512];
    snprintf(d, sizeof d, "%s/%s", dir, sub);
    DIR *dp = opendir(d);
    assert_non_null(dp);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(dp)))
        n += e->d_name[0] != '.';
    closedir(dp);
    return n;
}

static void remove_while_moving(const char *trash)
{
    source *s = open_maildir(trash);
    source_item *items;
    size_t n, removed;
    assert_int_equal(source_list(s, &items, &n), 0);
    assert_int_equal(n, NMSG);
    hook_moves = 0;
    maildir_race_hook = move_before;
    /* the first four go, each moved by "another client" right before */
    assert_int_equal(source_remove(s, items, 4, 1, &removed), 0);
    maildir_race_hook = NULL;
    assert_true(hook_moves >= 4);
    assert_int_equal(removed, 4);
    for (size_t i = 0; i < n; i++) {
        char path[600];
        find_message(items[i].key, path, sizeof path);
        if (i < 4)
            assert_string_equal(path, "");
        else
            assert_string_not_equal(path, "");   /* only those */
    }
    assert_int_equal(count_files("trash/cur"), trash ? 4 : 0);
    source_items_free(items, n);
    source_close(s);
}

static void test_remove_follows_moves(void **state)
{
    (void)state;
    remove_while_moving(NULL);
}

static void test_trash_follows_moves(void **state)
{
    (void)state;
    char trash[128];
    snprintf(trash, sizeof trash, "%s/trash", dir);
    remove_while_moving(trash);
}

/* A message already in the trash under the same name is never replaced. */
static void test_trash_keeps_what_is_there(void **state)
{
    (void)state;
    char trash[128], there[600];
    snprintf(trash, sizeof trash, "%s/trash", dir);
    source *s = open_maildir(trash);
    source_item *items;
    size_t n, removed;
    assert_int_equal(source_list(s, &items, &n), 0);
    snprintf(there, sizeof there, "%s/trash/cur/%s:2,S", dir, items[1].key);   /* message 1 is cur/KEY:2,S */
    write_file(there, 99);
    assert_int_equal(source_remove(s, &items[1], 1, 1, &removed), -1);
    assert_int_equal(removed, 0);
    assert_non_null(strstr(source_error(s), there));
    FILE *f = fopen(there, "r");
    char line[128] = "";
    assert_non_null(f);
    while (fgets(line, sizeof line, f) && !strstr(line, "Subject"))
        ;
    fclose(f);
    assert_string_equal(line, "Subject: message 99\n");
    char path[600];
    find_message(items[1].key, path, sizeof path);
    assert_string_not_equal(path, "");   /* still in the Maildir */
    source_items_free(items, n);
    source_close(s);
}

typedef struct {
    size_t got;
} parse_ctx;

/* `parse DIR`: moves the next message of the listing (by name) each time. */
static int parse_and_move(const char *path, size_t index, const char *buf, size_t len, void *vctx)
{
    (void)index;
    (void)len;
    parse_ctx *c = vctx;
    const char *subj = strstr(buf, "message ");
    assert_non_null(subj);
    char key[64];
    size_t next = (size_t)(subj[8] - '0');
    /* cur/ is read first (1, 3, 5), then new/ (0, 2, 4): move the one after */
    static const size_t order[NMSG] = {1, 3, 5, 0, 2, 4};
    for (size_t i = 0; i + 1 < NMSG; i++)
        if (order[i] == next) {
            snprintf(key, sizeof key, "17000000%02zu.M1P1.host", order[i + 1]);
            move_message(key);
        }
    (void)path;
    c->got++;
    return 0;
}

static void test_parse_follows_moves(void **state)
{
    (void)state;
    parse_ctx c = {0};
    local_skips sk = {0};
    assert_int_equal(local_each_message_skips(dir, parse_and_move, &c, &sk), 0);
    assert_int_equal(c.got, NMSG);
    assert_int_equal(sk.count, 0);
}

static int parse_count(const char *path, size_t index, const char *buf, size_t len, void *vctx)
{
    (void)path, (void)index, (void)buf, (void)len;
    ((parse_ctx *)vctx)->got++;
    return 0;
}

static void test_parse_counts_unreadable(void **state)
{
    (void)state;
    char path[600];
    sub_path(path, sizeof path, "cur", "1700000099.M1P1.host:2,");
    assert_int_equal(mkfifo(path, 0600), 0);
    parse_ctx c = {0};
    local_skips sk = {0};
    assert_int_equal(local_each_message_skips(dir, parse_count, &c, &sk), 0);
    assert_int_equal(c.got, NMSG);
    assert_int_equal(sk.count, 1);
    assert_non_null(strstr(sk.first, "1700000099"));
    assert_non_null(strstr(sk.first, "FIFO"));
}

/* Opening what is not a regular file: refused with its reason, at once. */
static void test_open_refuses_special_files(void **state)
{
    (void)state;
    char fifo[600];
    struct stat st;
    size_t len;
    sub_path(fifo, sizeof fifo, "tmp", "fifo");
    assert_int_equal(mkfifo(fifo, 0600), 0);
    errno = 0;
    assert_null(local_read_message(fifo, 0, &len));
    assert_non_null(strstr(local_strerror(errno), "FIFO"));
    assert_int_equal(local_open("/dev/zero", &st), -1);
    assert_non_null(strstr(local_strerror(errno), "character device"));
    assert_int_equal(local_each_message(fifo, parse_count, &(parse_ctx){0}), -1);
    assert_non_null(strstr(local_strerror(errno), "FIFO"));
    char err[512];
    source_options opt = {0};
    assert_null(source_open(fifo, &opt, err, sizeof err));
    assert_non_null(strstr(err, "FIFO"));
    assert_null(source_open("/dev/null", &opt, err, sizeof err));
    assert_non_null(strstr(err, "character device"));
    assert_string_equal(local_strerror(ENOENT), strerror(ENOENT));
}

/* A 500 MiB sparse message: read up to the analysis cap, not whole. */
static size_t parsed_len;
static int parse_len(const char *path, size_t index, const char *buf, size_t len, void *vctx)
{
    (void)path, (void)index, (void)buf, (void)vctx;
    parsed_len = len;
    return 0;
}

static void test_sparse_message_is_capped(void **state)
{
    (void)state;
    char path[600];
    sub_path(path, sizeof path, "tmp", "big.eml");
    write_file(path, 7);
    assert_int_equal(truncate(path, 500L << 20), 0);
    assert_int_equal(local_each_message(path, parse_len, NULL), 0);
    assert_int_equal(parsed_len, ANALYSIS_MAX_BYTES);
    struct rusage ru;
    assert_int_equal(getrusage(RUSAGE_SELF, &ru), 0);
    assert_true(ru.ru_maxrss < 64 * 1024);   /* KiB: far below the file's 500 MiB */
}

/* An empty Maildir lists no message (its empty cur/ list may be NULL: the
 * merge did a memcpy from NULL, which UBSan stops at; the screen of an empty
 * Maildir died under check-asan). */
static void test_list_empty(void **state)
{
    (void)state;
    char empty[80], path[120];
    snprintf(empty, sizeof empty, "%s/trash", dir);   /* cur/ and new/, both empty */
    snprintf(path, sizeof path, "%s/tmp", empty);
    assert_int_equal(mkdir(path, 0700), 0);
    char err[512];
    source_options opt = {0};
    source *s = source_open(empty, &opt, err, sizeof err);
    assert_non_null(s);
    source_item *items = NULL;
    size_t n = 7;
    assert_int_equal(source_list(s, &items, &n), 0);
    assert_int_equal(n, 0);
    source_items_free(items, n);
    source_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_fetch_follows_moves, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fetch_skips_unreadable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_remove_follows_moves, setup, teardown),
        cmocka_unit_test_setup_teardown(test_trash_follows_moves, setup, teardown),
        cmocka_unit_test_setup_teardown(test_trash_keeps_what_is_there, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parse_follows_moves, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parse_counts_unreadable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_refuses_special_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sparse_message_is_capped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_empty, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
