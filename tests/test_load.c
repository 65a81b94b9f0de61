/* Loading a source in batches: the sink receives every record once, in the
 * source's order, in several batches; the result equals a plain load; an
 * interrupted load keeps its finished batches in the cache. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>
#include "rebote/analysis.h"
#include "rebote/app.h"
#include "rebote/load.h"

/* The cancel flag is written by one thread and read by others: a C11
 * atomic, not a volatile int (issue #12.9; this fails to compile before). */
_Static_assert(_Generic(((load_options *)0)->cancel, const atomic_int *: 1, default: 0),
               "load_options.cancel is an atomic_int");

/* The loader's analysis, wrapped (ld --wrap): when armed, the first message
 * that gives records "runs out of memory" (its records freed, ENOMEM). */
analysis_status __real_analysis_parse(const char *buf, size_t len, rb_records *out);
static atomic_int enomem_armed;
static atomic_int slow_us;   /* when set, each analysis takes that long more: a load that lasts */

analysis_status __wrap_analysis_parse(const char *buf, size_t len, rb_records *out)
{
    size_t before = out->n;
    int us = atomic_load(&slow_us);
    if (us)
        usleep((useconds_t)us);
    analysis_status st = __real_analysis_parse(buf, len, out);
    int armed = 1;
    if (out->n > before && atomic_compare_exchange_strong(&enomem_armed, &armed, 0)) {
        while (out->n > before)
            rb_record_free(&out->v[--out->n]);
        return ANALYSIS_ENOMEM;
    }
    return st;
}

#define COPIES 120   /* x 22 samples: 2,640 messages, several batches */

static char dir[64], cache_path[128];

static void copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    assert_non_null(in);
    assert_non_null(out);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        assert_int_equal(fwrite(buf, 1, n, out), n);
    fclose(in);
    fclose(out);
}

static int setup(void **state)
{
    (void)state;
    const char *samples = getenv("SAMPLES");
    if (!samples)
        samples = "tests/samples";
    snprintf(dir, sizeof dir, "/tmp/rebote-load-test.XXXXXX");
    assert_non_null(mkdtemp(dir));
    char path[512], to[512];
    const char *subs[] = {"cur", "new", "tmp"};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, subs[i]);
        assert_int_equal(mkdir(path, 0700), 0);
    }
    DIR *d = opendir(samples);
    assert_non_null(d);
    struct dirent *e;
    int files = 0;
    while ((e = readdir(d))) {
        if (!strstr(e->d_name, ".eml"))
            continue;
        snprintf(path, sizeof path, "%s/%s", samples, e->d_name);
        for (int c = 0; c < COPIES; c++) {
            snprintf(to, sizeof to, "%s/cur/%04d.%s:2,", dir, c, e->d_name);
            copy_file(path, to);
        }
        files++;
    }
    closedir(d);
    assert_true(files >= 20);
    /* and reports of three recipients: records that share their message's fields */
    static const char multi[] =
        "From: MAILER-DAEMON@mx.example.org\nDate: Mon, 1 Dec 2025 10:00:00 +0000\n"
        "Subject: Undelivered Mail Returned to Sender\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n\n--B\n"
        "Content-Type: text/plain\n\nfailed\n--B\nContent-Type: message/delivery-status\n\n"
        "Reporting-MTA: dns; mx.example.org\n\n"
        "Final-Recipient: rfc822; ana@example.com\nAction: failed\nStatus: 5.1.1\n\n"
        "Final-Recipient: rfc822; bea@example.com\nAction: failed\nStatus: 5.2.2\n\n"
        "Final-Recipient: rfc822; cris@example.com\nAction: failed\nStatus: 5.1.1\n\n--B--\n";
    for (int c = 0; c < COPIES; c++) {
        snprintf(to, sizeof to, "%s/cur/%04d.multi.eml:2,", dir, c);
        FILE *f = fopen(to, "w");
        assert_non_null(f);
        assert_int_equal(fwrite(multi, 1, sizeof multi - 1, f), sizeof multi - 1);
        fclose(f);
    }
    snprintf(cache_path, sizeof cache_path, "%s.cache.db", dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s' '%s-wal' '%s-shm'", dir, cache_path, cache_path, cache_path);
    return system(cmd) == 0 ? 0 : -1;
}

typedef struct {
    rb_records all;
    size_t batches, stop_at;
    atomic_int cancel;
} sink_ctx;

static void sink(rb_records *batch, void *vctx)
{
    sink_ctx *c = vctx;
    if (batch->n)
        c->batches++;
    assert_int_equal(rb_records_move(batch, &c->all), batch->n);
}

/* Stops the load after stop_at messages were fetched (as quitting the
 * screen does: the flag is set by another thread). */
static void progress(size_t done, size_t total, void *vctx)
{
    sink_ctx *c = vctx;
    (void)total;
    if (c->stop_at && done >= c->stop_at)
        atomic_store(&c->cancel, 1);
}

static source *open_dir(void)
{
    char err[256];
    source_options opt = {0};
    source *s = source_open(dir, &opt, err, sizeof err);
    assert_non_null(s);
    return s;
}

static void test_batches_equal_plain_load(void **state)
{
    (void)state;
    source *s = open_dir();
    load_result plain;
    assert_int_equal(load_source(s, NULL, NULL, NULL, &plain), 0);
    sink_ctx c = {0};
    rb_records_init(&c.all);
    load_options opt = {.sink = sink, .ctx = &c};
    load_result streamed;
    assert_int_equal(load_source_with(s, NULL, &opt, &streamed), 0);
    assert_true(c.batches >= 3);
    assert_int_equal(streamed.records.n, 0);   /* everything went to the sink */
    assert_int_equal(streamed.fetched, plain.fetched);
    assert_int_equal(c.all.n, plain.records.n);
    for (size_t i = 0; i < c.all.n; i++) {   /* same records, same order */
        assert_string_equal(c.all.v[i].key, plain.records.v[i].key);
        assert_string_equal(c.all.v[i].status, plain.records.v[i].status);
        assert_string_equal(c.all.v[i].recipient, plain.records.v[i].recipient);
        assert_int_equal(c.all.v[i].uid, plain.records.v[i].uid);
    }
    rb_records_free(&c.all);
    load_result_free(&plain);
    load_result_free(&streamed);
    source_close(s);
}

static cache *open_cache_warn(char *warn, size_t len)
{
    cache *cc = cache_open(cache_path, warn, len);
    assert_non_null(cc);
    return cc;
}

static cache *open_cache(void)
{
    char warn[256] = "";
    return open_cache_warn(warn, sizeof warn);
}

/* Loads s through cc: so many messages from the cache, so many fetched. */
static void load_expect(source *s, cache *cc, size_t cached, size_t fetched)
{
    load_result r;
    assert_int_equal(load_source(s, cc, NULL, NULL, &r), 0);
    assert_int_equal(r.cached, cached);
    assert_int_equal(r.fetched, fetched);
    load_result_free(&r);
}

static void test_cancel_keeps_cached_batches(void **state)
{
    (void)state;
    cache *cc = open_cache();
    source *s = open_dir();
    sink_ctx c = {.stop_at = 700};
    rb_records_init(&c.all);
    load_options opt = {.sink = sink, .progress = progress, .ctx = &c, .cancel = &c.cancel};
    load_result r;
    assert_int_equal(load_source_with(s, cc, &opt, &r), -1);   /* stopped */
    size_t fetched = r.fetched, total = r.messages;
    assert_true(fetched > 0 && fetched < total);   /* what was analysed was kept (the queued rest dropped) */
    assert_true(c.all.n > 0);   /* handed on before the load returned */
    load_result_free(&r);
    rb_records_free(&c.all);
    /* the rerun takes those from the cache and fetches only the rest */
    load_expect(s, cc, fetched, total - fetched);
    source_close(s);
    cache_close(cc);
}

/* A forgetting rolled back (the server did not delete) keeps every entry;
 * committed, it drops exactly those messages, which the next load fetches. */
static void test_forget_rolled_back_or_kept(void **state)
{
    (void)state;
    cache *cc = open_cache();
    source *s = open_dir();
    load_result r;
    assert_int_equal(load_source(s, cc, NULL, NULL, &r), 0);   /* every message cached */
    size_t total = r.messages;
    load_result_free(&r);
    source_item *items;
    size_t n;
    assert_int_equal(source_list(s, &items, &n), 0);
    char *keys[3] = {items[0].key, items[5].key, items[n - 1].key};
    assert_int_equal(cache_forget_begin(cc, source_id(s), keys, 3), 0);
    assert_int_equal(cache_forget_end(cc, false), 0);
    load_expect(s, cc, total, 0);
    assert_int_equal(cache_forget_begin(cc, source_id(s), keys, 3), 0);
    assert_int_equal(cache_forget_end(cc, true), 0);
    load_expect(s, cc, total - 3, 3);
    source_items_free(items, n);
    source_close(s);
    cache_close(cc);
}

/* A damaged cache entry: the load warns, takes nothing from the cache and
 * gives every record, as a load without it, and rebuilds the cache: the
 * next load takes everything from it, without a warning (before, every run
 * warned "working without it" and fetched everything again). */
static void test_damaged_cache_bypassed(void **state)
{
    (void)state;
    cache *cc = open_cache();
    source *s = open_dir();
    load_result full;
    assert_int_equal(load_source(s, cc, NULL, NULL, &full), 0);   /* every message cached */
    cache_close(cc);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(cache_path, &db), SQLITE_OK);
    /* the largest blob loses its last bytes: a record cut short */
    assert_int_equal(sqlite3_exec(db, "UPDATE messages SET records = substr(records, 1, length(records) - 7) "
                                      "WHERE key = (SELECT key FROM messages ORDER BY length(records) DESC LIMIT 1)",
                                  NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_changes(db), 1);
    sqlite3_close(db);
    cc = open_cache();
    load_result r;
    assert_int_equal(load_source(s, cc, NULL, NULL, &r), 0);
    assert_non_null(strstr(r.warning, "damaged record"));
    assert_non_null(strstr(r.warning, "rebuilt"));
    assert_int_equal(r.cached, 0);
    assert_int_equal(r.fetched, full.messages);
    assert_int_equal(r.records.n, full.records.n);
    load_result_free(&r);
    assert_int_equal(load_source(s, cc, NULL, NULL, &r), 0);   /* rebuilt once: whole again */
    assert_string_equal(r.warning, "");
    assert_int_equal(r.cached, full.messages);
    assert_int_equal(r.fetched, 0);
    assert_int_equal(r.records.n, full.records.n);
    load_result_free(&r);
    cache_close(cc);
    for (int i = 0; i < 10; i++) {   /* random blobs: read or refused, never a crash */
        assert_int_equal(sqlite3_open(cache_path, &db), SQLITE_OK);
        assert_int_equal(sqlite3_exec(db, "UPDATE messages SET records = randomblob(abs(random()) % 64)", NULL,
                                      NULL, NULL), SQLITE_OK);
        sqlite3_close(db);
        cc = open_cache();
        assert_int_equal(load_source(s, cc, NULL, NULL, &r), 0);
        assert_true(r.cached == 0 || r.cached == full.messages);
        load_result_free(&r);
        cache_close(cc);
    }
    load_result_free(&full);
    source_close(s);
}

/* A cache file of another version, or no database at all, is rebuilt with
 * a warning that says which; the rebuilt cache works. */
static void test_cache_rebuilt(void **state)
{
    (void)state;
    sqlite3 *db;
    char warn[256] = "";
    unlink(cache_path);
    assert_int_equal(sqlite3_open(cache_path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE records (x); PRAGMA user_version=1;", NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    cache *cc = open_cache_warn(warn, sizeof warn);
    assert_non_null(strstr(warn, "of another version or schema and has been rebuilt"));
    source *s = open_dir();
    load_result r;
    assert_int_equal(load_source(s, cc, NULL, NULL, &r), 0);
    size_t total = r.messages;
    load_result_free(&r);
    load_expect(s, cc, total, 0);
    cache_close(cc);
    FILE *f = fopen(cache_path, "w");
    assert_non_null(f);
    fputs("this is no database, but it is long enough to have a header of one..........\n", f);
    fclose(f);
    warn[0] = '\0';
    cc = open_cache_warn(warn, sizeof warn);
    assert_non_null(strstr(warn, "was unreadable and has been rebuilt"));
    load_expect(s, cc, 0, total);
    cache_close(cc);
    /* our version number, a foreign table: rebuilt too (before, every load
     * failed on it and ran without the cache) */
    assert_int_equal(sqlite3_open(cache_path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "DROP TABLE messages; CREATE TABLE messages (a, b);", NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    warn[0] = '\0';
    cc = open_cache_warn(warn, sizeof warn);
    assert_non_null(strstr(warn, "has been rebuilt"));
    load_expect(s, cc, 0, total);
    load_expect(s, cc, total, 0);
    source_close(s);
    cache_close(cc);
}

/* Every message has a record: one that is no report (notbounce.eml) one of
 * kind none with its own subject, sender and date, analysed and from the
 * cache alike (before, it had none: "3 messages, 0 bounces" and nothing to
 * see). */
static void check_not_bounces(const load_result *r)
{
    size_t none = 0, keys = 0;
    for (size_t i = 0; i < r->records.n; i++) {
        const rb_record *x = &r->records.v[i];
        assert_non_null(x->key);
        keys += i == 0 || strcmp(x->key, r->records.v[i - 1].key) != 0;
        if (x->kind != RB_KIND_NONE)
            continue;
        none++;
        assert_non_null(strstr(x->key, "notbounce.eml"));
        assert_string_equal(x->subject, "Reunion del lunes");
        assert_string_equal(x->sender, "carmen@empresa.example");
        assert_string_equal(x->reason, "none");
        assert_int_equal(x->time, 1794992400);   /* Wed, 18 Nov 2026 10:00:00 +0100 */
        assert_string_equal(x->recipient, "");
    }
    assert_int_equal(none, COPIES);
    assert_int_equal(keys, r->messages);   /* no message without a record */
}

static void test_not_bounce_records(void **state)
{
    (void)state;
    unlink(cache_path);
    cache *cc = open_cache();
    source *s = open_dir();
    load_result r;
    assert_int_equal(load_source(s, cc, NULL, NULL, &r), 0);
    assert_int_equal(r.fetched, r.messages);
    check_not_bounces(&r);
    load_result_free(&r);
    assert_int_equal(load_source(s, cc, NULL, NULL, &r), 0);
    assert_int_equal(r.cached, r.messages);   /* all from the cache now, the ordinary mail too */
    check_not_bounces(&r);
    load_result_free(&r);
    source_close(s);
    cache_close(cc);
}

/* A message whose analysis ran out of memory fails the load and is not
 * cached as analysed: the next load fetches it again and has all the
 * records (before, it was cached as a message without records). */
static void test_enomem_not_cached(void **state)
{
    (void)state;
    source *s = open_dir();
    load_result plain;
    assert_int_equal(load_source(s, NULL, NULL, NULL, &plain), 0);
    unlink(cache_path);
    cache *cc = open_cache();
    load_result r;
    atomic_store(&enomem_armed, 1);
    assert_int_equal(load_source(s, cc, NULL, NULL, &r), -1);
    assert_int_equal(atomic_load(&enomem_armed), 0);
    load_result_free(&r);
    assert_int_equal(load_source(s, cc, NULL, NULL, &r), 0);
    assert_true(r.fetched >= 1);
    assert_int_equal(r.cached + r.fetched, plain.messages);
    assert_int_equal(r.records.n, plain.records.n);
    load_result_free(&r);
    load_expect(s, cc, plain.messages, 0);
    load_result_free(&plain);
    cache_close(cc);
    source_close(s);
}

/* The same fields, record by record (a reload from the cache reads the
 * shared strings back as they were stored). */
static void assert_same_records(const rb_records *a, const rb_records *b)
{
    assert_int_equal(a->n, b->n);
    for (size_t i = 0; i < a->n; i++) {
        char **fa[RB_NFIELDS], **fb[RB_NFIELDS];
        rb_record_fields(&a->v[i], fa);
        rb_record_fields(&b->v[i], fb);
        for (int f = 0; f < RB_NFIELDS; f++)
            assert_string_equal(*fa[f], *fb[f]);
        assert_string_equal(a->v[i].status, b->v[i].status);
        assert_int_equal(a->v[i].dropped, b->v[i].dropped);
    }
}

/* A cap of one byte per message: each keeps its first record, the others
 * are left out and counted (messages and records), from the cache too; the
 * records read back from the cache are the ones stored. */
static void test_message_cap_reported(void **state)
{
    (void)state;
    source *s = open_dir();
    load_result plain;
    assert_int_equal(load_source(s, NULL, NULL, NULL, &plain), 0);
    assert_int_equal(plain.capped, 0);
    size_t multi = 0, extra = 0;   /* messages of several records, and their records past the first */
    for (size_t i = 0; i < plain.records.n; i++)
        if (i && !strcmp(plain.records.v[i].key, plain.records.v[i - 1].key)) {
            extra++;
            multi += i < 2 || strcmp(plain.records.v[i - 1].key, plain.records.v[i - 2].key) != 0;
        }
    assert_true(multi > 0);
    unlink(cache_path);
    cache *cc = open_cache();
    load_options opt = {.message_cap = 1};
    load_result r, warm;
    assert_int_equal(load_source_with(s, cc, &opt, &r), 0);
    assert_int_equal(r.dropped, extra);
    assert_int_equal(r.records.n, plain.records.n - extra);
    assert_int_equal(r.capped, multi);
    assert_int_equal(load_source(s, cc, NULL, NULL, &warm), 0);
    assert_int_equal(warm.cached, plain.messages);
    assert_int_equal(warm.capped, r.capped);
    assert_int_equal(warm.dropped, r.dropped);
    assert_same_records(&r.records, &warm.records);
    load_result_free(&r);
    load_result_free(&warm);
    cache_close(cc);
    /* without a cap, a warm load gives exactly the records of a plain one */
    unlink(cache_path);
    cc = open_cache();
    assert_int_equal(load_source(s, cc, NULL, NULL, &r), 0);
    assert_int_equal(load_source(s, cc, NULL, NULL, &warm), 0);
    assert_int_equal(warm.cached, plain.messages);
    assert_same_records(&plain.records, &warm.records);
    load_result_free(&r);
    load_result_free(&warm);
    cache_close(cc);
    load_result_free(&plain);
    source_close(s);
}

/* The source's deletion, wrapped (ld --wrap): when armed, it deletes the
 * first message it is given and then fails, as a server lost half-way. */
int __real_source_remove(source *s, const source_item *items, size_t n, uint32_t uidv, size_t *removed);
static int remove_fail_armed;

int __wrap_source_remove(source *s, const source_item *items, size_t n, uint32_t uidv, size_t *removed)
{
    if (!remove_fail_armed)
        return __real_source_remove(s, items, n, uidv, removed);
    remove_fail_armed = 0;
    assert_int_equal(__real_source_remove(s, items, 1, uidv, removed), 0);
    return -1;
}

/* A Maildir of its own: the first `files` messages of dir (deletions here
 * leave the shared one alone). */
static void small_maildir(char *to, size_t len, int files)
{
    snprintf(to, len, "%s.del", dir);
    char path[512], from[512];
    const char *subs[] = {"cur", "new", "tmp"};
    assert_int_equal(mkdir(to, 0700), 0);
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", to, subs[i]);
        assert_int_equal(mkdir(path, 0700), 0);
    }
    source *s = open_dir();
    source_item *items;
    size_t n;
    assert_int_equal(source_list(s, &items, &n), 0);
    assert_true(n >= (size_t)files);
    for (int i = 0; i < files; i++) {
        snprintf(from, sizeof from, "%s/cur/%s:2,", dir, items[i].key);
        snprintf(path, sizeof path, "%s/cur/%s:2,", to, items[i].key);
        copy_file(from, path);
    }
    source_items_free(items, n);
    source_close(s);
}

static bool cache_has(cache *cc, source *s, const char *key)
{
    char **keys;
    size_t n;
    rb_records recs;
    rb_records_init(&recs);
    assert_int_equal(cache_load(cc, source_id(s), source_uidvalidity(s), &keys, &n, &recs), 0);
    bool found = false;
    for (size_t i = 0; i < n; i++) {
        found |= !strcmp(keys[i], key);
        free(keys[i]);
    }
    free(keys);
    rb_records_free(&recs);
    return found;
}

static bool file_there(const char *mdir, const char *key)
{
    char path[512];
    snprintf(path, sizeof path, "%s/cur/%s:2,", mdir, key);
    return access(path, F_OK) == 0;
}

/* The agent read back from the cache is the one analysed, for every family
 * (before, the cache knew its own list of names, and the families added
 * since came back as ""): tests/samples/formats through a cache, twice. */
static void test_cached_agents_kept(void **state)
{
    (void)state;
    const char *samples = getenv("SAMPLES");
    char from[512], mdir[512], path[1200], err[256];
    snprintf(from, sizeof from, "%s/formats", samples ? samples : "tests/samples");
    snprintf(mdir, sizeof mdir, "%s.agents", dir);
    const char *subs[] = {"", "/cur", "/new", "/tmp"};
    for (int i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s%s", mdir, subs[i]);
        assert_int_equal(mkdir(path, 0700), 0);
    }
    DIR *d = opendir(from);
    assert_non_null(d);
    for (struct dirent *e; (e = readdir(d));) {
        if (!strstr(e->d_name, ".eml"))
            continue;
        char src[1200];
        snprintf(src, sizeof src, "%s/%s", from, e->d_name);
        snprintf(path, sizeof path, "%s/cur/%s:2,", mdir, e->d_name);
        copy_file(src, path);
    }
    closedir(d);
    source_options opt = {0};
    source *s = source_open(mdir, &opt, err, sizeof err);
    assert_non_null(s);
    unlink(cache_path);
    cache *cc = open_cache();
    load_result plain, cold, warm;
    assert_int_equal(load_source(s, NULL, NULL, NULL, &plain), 0);
    assert_int_equal(load_source(s, cc, NULL, NULL, &cold), 0);
    assert_int_equal(load_source(s, cc, NULL, NULL, &warm), 0);
    assert_int_equal(warm.cached, warm.messages);
    assert_int_equal(plain.records.n, warm.records.n);
    bool kerio = false;
    for (size_t i = 0; i < plain.records.n; i++) {
        assert_string_equal(plain.records.v[i].agent, warm.records.v[i].agent);
        kerio |= !strcmp(warm.records.v[i].agent, "kerio");
    }
    assert_true(kerio);   /* a family added after the cache's old list */
    load_result_free(&plain);
    load_result_free(&cold);
    load_result_free(&warm);
    source_close(s);
    cache_close(cc);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", mdir);
    assert_int_equal(system(cmd), 0);
}

/* app_delete, the screen's and purge's one path: only the confirmed messages
 * go; when the source fails half-way the cache forgets none of them (it is
 * rolled back); when it succeeds the cache forgets exactly those. */
static void test_app_delete_only_confirmed_cache_consistent(void **state)
{
    (void)state;
    char mdir[128], err[512] = "", cpath[160];
    small_maildir(mdir, sizeof mdir, 5);
    snprintf(cpath, sizeof cpath, "%s.db", mdir);
    char warn[256] = "";
    cache *cc = cache_open(cpath, warn, sizeof warn);
    assert_non_null(cc);
    source_options so = {0};
    source *s = source_open(mdir, &so, err, sizeof err);
    assert_non_null(s);
    load_expect(s, cc, 0, 5);   /* every message cached */
    source_item *items;
    size_t n, removed = 99;
    assert_int_equal(source_list(s, &items, &n), 0);
    assert_int_equal(n, 5);
    const char *keys[2] = {items[1].key, items[3].key};
    unsigned int uids[2] = {items[1].uid, items[3].uid};
    remove_fail_armed = 1;
    assert_int_equal(app_delete(s, cc, keys, uids, 2, &removed, err, sizeof err), -1);
    assert_true(err[0] != '\0');   /* a failure without a word from the source still says one */
    assert_false(file_there(mdir, keys[0]));   /* the half that went */
    assert_true(file_there(mdir, keys[1]));
    assert_true(cache_has(cc, s, keys[0]) && cache_has(cc, s, keys[1]));   /* rolled back */
    for (size_t i = 0; i < n; i++)   /* the unconfirmed ones untouched */
        if (i != 1 && i != 3)
            assert_true(file_there(mdir, items[i].key) && cache_has(cc, s, items[i].key));
    source_item *again;   /* listed again, as the screen reloads */
    size_t m;
    assert_int_equal(source_list(s, &again, &m), 0);
    assert_int_equal(m, 4);
    for (size_t i = 0; i < m; i++)
        if (!strcmp(again[i].key, keys[1]))
            uids[1] = again[i].uid;
    assert_int_equal(app_delete(s, cc, &keys[1], &uids[1], 1, &removed, err, sizeof err), 0);
    assert_int_equal(removed, 1);
    assert_false(file_there(mdir, keys[1]));
    assert_false(cache_has(cc, s, keys[1]));   /* forgotten */
    for (size_t i = 0; i < m; i++)
        if (strcmp(again[i].key, keys[1]))
            assert_true(file_there(mdir, again[i].key) && cache_has(cc, s, again[i].key));
    load_expect(s, cc, 3, 0);   /* the cache matches the mailbox: nothing to fetch */
    source_items_free(again, m);
    source_items_free(items, n);
    source_close(s);
    cache_close(cc);
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s' '%s-wal' '%s-shm'", mdir, cpath, cpath, cpath);
    assert_int_equal(system(cmd), 0);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The screen's background load (#13.19): polled while it runs, it reports
 * its progress and hands over records before the end; once over, the
 * polled model equals a plain load, in the same order, with its counts. */
static void test_loader_progress_then_model(void **state)
{
    (void)state;
    source *s = open_dir();
    load_result plain;
    assert_int_equal(load_source(s, NULL, NULL, NULL, &plain), 0);
    atomic_store(&slow_us, 500);   /* 2,760 messages: about a second on two cores */
    app_loader *l = app_loader_start(s, NULL);
    assert_non_null(l);
    load_result got;
    memset(&got, 0, sizeof got);
    rb_records_init(&got.records);
    char status[256];
    int rc;
    bool progress = false, partial = false;
    double until = now_s() + 60;
    while ((rc = app_loader_poll(l, &got, status, sizeof status)) == 1 && now_s() < until) {
        size_t done, total;
        if (sscanf(status, "loading: %zu of %zu", &done, &total) == 2 && done > 0 && done < total)
            progress = true;
        if (got.records.n > 0 && got.records.n < plain.records.n)
            partial = true;
        usleep(10000);
    }
    atomic_store(&slow_us, 0);
    assert_int_equal(rc, 0);
    assert_true(progress);   /* "loading: N of M" while it ran */
    assert_true(partial);    /* records arrived before the end */
    assert_int_equal(got.messages, plain.messages);
    assert_int_equal(got.fetched, plain.fetched);
    assert_int_equal(got.records.n, plain.records.n);
    for (size_t i = 0; i < got.records.n; i++) {
        assert_string_equal(got.records.v[i].key, plain.records.v[i].key);
        assert_string_equal(got.records.v[i].status, plain.records.v[i].status);
        assert_int_equal(got.records.v[i].uid, plain.records.v[i].uid);
    }
    assert_int_equal(app_loader_poll(l, &got, status, sizeof status), 0);   /* over stays over */
    assert_int_equal(got.records.n, plain.records.n);   /* and adds nothing twice */
    app_loader_cancel(l);
    load_result_free(&got);
    load_result_free(&plain);
    source_close(s);
}

/* Quitting the screen mid-load: app_loader_cancel returns at once (the
 * messages fetched but not analysed yet are dropped, not analysed first),
 * and what was analysed stays in the cache for the next open. */
static void test_loader_cancel_prompt(void **state)
{
    (void)state;
    char cpath[160], warn[256] = "", status[256];
    snprintf(cpath, sizeof cpath, "%s.loader.db", dir);
    cache *cc = cache_open(cpath, warn, sizeof warn);
    assert_non_null(cc);
    source *s = open_dir();
    atomic_store(&slow_us, 5000);   /* the whole load: seconds */
    app_loader *l = app_loader_start(s, cc);
    assert_non_null(l);
    load_result got;
    memset(&got, 0, sizeof got);
    rb_records_init(&got.records);
    double until = now_s() + 60;
    int rc;
    while ((rc = app_loader_poll(l, &got, status, sizeof status)) == 1 && got.records.n == 0 && now_s() < until)
        usleep(10000);
    assert_int_equal(rc, 1);   /* still loading, */
    assert_true(got.records.n > 0);   /* a first batch arrived */
    double t0 = now_s();
    app_loader_cancel(l);
    double took = now_s() - t0;
    atomic_store(&slow_us, 0);
    print_message("# cancel took %.3f s\n", took);
    assert_true(took < 1.0);
    load_result r;
    assert_int_equal(load_source(s, cc, NULL, NULL, &r), 0);
    assert_true(r.cached >= 1 && r.cached < r.messages);   /* what was analysed was kept */
    assert_int_equal(r.cached + r.fetched, r.messages);
    load_result_free(&r);
    load_result_free(&got);
    source_close(s);
    cache_close(cc);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -f '%s' '%s-wal' '%s-shm'", cpath, cpath, cpath);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_batches_equal_plain_load),
        cmocka_unit_test(test_cancel_keeps_cached_batches),
        cmocka_unit_test(test_forget_rolled_back_or_kept),
        cmocka_unit_test(test_damaged_cache_bypassed),
        cmocka_unit_test(test_cache_rebuilt),
        cmocka_unit_test(test_enomem_not_cached),
        cmocka_unit_test(test_message_cap_reported),
        cmocka_unit_test(test_not_bounce_records),
        cmocka_unit_test(test_app_delete_only_confirmed_cache_consistent),
        cmocka_unit_test(test_cached_agents_kept),
        cmocka_unit_test(test_loader_progress_then_model),
        cmocka_unit_test(test_loader_cancel_prompt),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
