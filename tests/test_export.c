/* Exports from a fixed set of records, hostile strings included: CSV parses
 * back (an RFC 4180 reader written here) with formulas neutralised, JSON
 * parses and its counts equal the text summary's, Markdown rows keep their
 * columns, files are written whole or not at all. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <jansson.h>
#include "rebote/export.h"
#include "fixture.h"


static const fixture_spec specs[] = {
    {"550", "5.1.1", "ana@a.example", "550 5.1.1 user unknown", "m1", true, 1764000000, RB_KIND_BOUNCE},
    {"550", "5.1.1", "=HYPERLINK(\"http://x\")@a.example", "550 \"quoted\", with, commas", "m2", true, 1764100000, RB_KIND_BOUNCE},
    {"550", "5.1.1", "ana@a.example", "550 5.1.1 still unknown | piped", "m3", true, 1764200000, RB_KIND_BOUNCE},
    {"452", "4.2.2", "+bob@b.example", "452 over quota\x1b[31m red\nnext line \xff\xfe bad", "m4", false, 1764050000, RB_KIND_DELAY},
    {"554", "5.7.1", "@carl@c.example", "-1 blocked `code` *bold* [link](x) <b>", "m5", false, 1764150000, RB_KIND_BOUNCE},
    {"", "", "dora@d.example", "Out of office", "m6", false, 1764160000, RB_KIND_AUTOREPLY},
};
#define NSPECS (sizeof specs / sizeof specs[0])


/* Runs an export into memory. */
typedef int (*export_fn)(FILE *out, const rb_records *rs, void *arg);

__attribute__((noinline)) static char *capture(export_fn fn, const rb_records *rs, void *arg)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(fn(f, rs, arg), 0);
    fclose(f);
    return buf;
}

/* ---- an independent RFC 4180 reader ---- */
typedef struct {
    char *cell[24][24];   /* rows x cells */
    size_t ncells[24], nrows;
} csv_doc;

static void csv_read(const char *s, csv_doc *d)
{
    memset(d, 0, sizeof *d);
    char cell[4096];
    size_t o = 0;
    bool quoted = false, open_row = false;
    for (; *s; s++) {
        if (quoted) {
            if (*s == '"' && s[1] == '"') {
                cell[o++] = '"';
                s++;
            } else if (*s == '"') {
                quoted = false;
            } else {
                cell[o++] = *s;
            }
            continue;
        }
        if (*s == '"') {
            assert_int_equal(o, 0);   /* a quote only opens a cell */
            quoted = true;
            open_row = true;
        } else if (*s == ',' || *s == '\r') {
            if (*s == '\r')
                assert_int_equal(s[1], '\n');   /* CRLF only */
            cell[o] = '\0';
            d->cell[d->nrows][d->ncells[d->nrows]++] = strdup(cell);
            o = 0;
            if (*s == '\r') {
                d->nrows++;
                s++;
                open_row = false;
            } else {
                open_row = true;
            }
        } else {
            assert_true(*s != '\n');   /* never a bare line break outside quotes */
            cell[o++] = *s;
            open_row = true;
        }
    }
    assert_false(quoted);
    assert_false(open_row);   /* the last row ends with CRLF */
}

static void csv_free(csv_doc *d)
{
    for (size_t r = 0; r < d->nrows; r++)
        for (size_t c = 0; c < d->ncells[r]; c++)
            free(d->cell[r][c]);
}

static int run_summary(FILE *out, const rb_records *rs, void *arg)
{
    export_meta m = {.source = "imaps://postmaster@mx|example/INBOX", .generated = 1764500000, .messages = 6};
    return export_summary(out, *(export_format *)arg, &m, rs, NULL, rs->n, MODEL_BY_CODE);
}

static int run_list(FILE *out, const rb_records *rs, void *arg)
{
    bool by_rcpt = *(bool *)arg;
    return export_list(out, EXPORT_CSV, rs, NULL, rs->n, false, by_rcpt);
}

static int run_list_json(FILE *out, const rb_records *rs, void *arg)
{
    (void)arg;
    return export_list(out, EXPORT_JSON, rs, NULL, rs->n, true, true);
}

static void test_summary_csv(void **state)
{
    (void)state;
    rb_records rs = fixture_records(specs, NSPECS);
    export_format f = EXPORT_CSV;
    char *out = capture(run_summary, &rs, &f);
    csv_doc d;
    csv_read(out, &d);
    assert_int_equal(d.nrows, 1 + 4 + 1);   /* header, 4 groups, TOTAL */
    for (size_t r = 0; r < d.nrows; r++)
        assert_int_equal(d.ncells[r], 18);   /* 11, then the kinds counted apart */
    assert_string_equal(d.cell[0][0], "group");
    assert_string_equal(d.cell[0][11], "bounces");
    assert_string_equal(d.cell[0][17], "not_bounces");
    assert_string_equal(d.cell[1][0], "550 5.1.1");
    assert_string_equal(d.cell[1][2], "3");      /* messages */
    assert_string_equal(d.cell[1][4], "2");      /* distinct recipients */
    assert_string_equal(d.cell[1][6], "3");      /* hard */
    assert_string_equal(d.cell[5][0], "TOTAL");
    assert_string_equal(d.cell[5][2], "6");
    assert_string_equal(d.cell[5][6], "3");      /* hard */
    assert_string_equal(d.cell[5][7], "2");      /* soft: the delay and the 554; not the auto-reply */
    csv_free(&d);
    free(out);
    rb_records_free(&rs);
}

/* Mail that is not a bounce beside bounces, delays, an auto-reply and a report. */
static const fixture_spec kind_specs[] = {
    {"550", "5.1.1", "ana@a.example", "550 5.1.1 user unknown", "k1", true, 1764000000, RB_KIND_BOUNCE},
    {"550", "5.1.1", "eva@a.example", "550 5.1.1 user unknown", "k2", true, 1764000100, RB_KIND_BOUNCE},
    {"452", "4.2.2", "bob@b.example", "452 over quota", "k3", false, 1764050000, RB_KIND_DELAY},
    {"", "", "dora@d.example", "Out of office", "k4", false, 1764160000, RB_KIND_AUTOREPLY},
    {"", "", "fbl@f.example", "", "k5", false, 1764170000, RB_KIND_FEEDBACK},
    {"", "", "", "", "k6", false, 1764180000, RB_KIND_NONE},
    {"", "", "", "", "k7", false, 1764190000, RB_KIND_NONE},
};
#define NKIND_SPECS (sizeof kind_specs / sizeof kind_specs[0])

static void test_model_kinds(void **state)
{
    (void)state;
    rb_records rs = fixture_records(kind_specs, NKIND_SPECS);
    size_t counts[MODEL_NKINDS];
    model_kind_counts(&rs, NULL, rs.n, counts);
    assert_int_equal(counts[RB_KIND_BOUNCE], 2);
    assert_int_equal(counts[RB_KIND_DELAY], 1);
    assert_int_equal(counts[RB_KIND_AUTOREPLY], 1);
    assert_int_equal(counts[RB_KIND_FEEDBACK], 1);
    assert_int_equal(counts[RB_KIND_NONE], 2);
    char key[160];
    for (int by = MODEL_BY_CODE; by <= MODEL_BY_MTA; by++) {   /* one group under every grouping */
        model_key(&rs.v[5], (model_by)by, key, sizeof key);
        assert_string_equal(key, "(not a bounce)");
    }
    model_groups g;
    assert_int_equal(model_group_records(&rs, MODEL_BY_CODE, &g), 0);
    size_t found = 0;
    for (size_t i = 0; i < g.n; i++)
        if (!strcmp(g.v[i].key, "(not a bounce)")) {
            found++;
            assert_int_equal(g.v[i].messages, 2);
            assert_int_equal(g.v[i].recipients, 0);   /* no recipient: none counted */
            assert_int_equal(g.v[i].failures, 0);
            assert_int_equal(g.v[i].hard, 0);
        }
    assert_int_equal(found, 1);
    model_groups_free(&g);
    size_t msgs, rcpts;
    assert_int_equal(model_totals(&rs, NULL, rs.n, &msgs, &rcpts), 0);
    assert_int_equal(msgs, 7);
    assert_int_equal(rcpts, 5);
    char words[256];
    export_kinds_text(words, sizeof words, counts);
    assert_string_equal(words, "2 bounces, 1 delay, 1 auto-reply, 1 feedback report, 2 not bounces");
    size_t one[MODEL_NKINDS] = {[RB_KIND_BOUNCE] = 1, [RB_KIND_NONE] = 1};
    export_kinds_text(words, sizeof words, one);
    assert_string_equal(words, "1 bounce, 1 not a bounce");
    size_t none[MODEL_NKINDS] = {0};
    export_kinds_text(words, sizeof words, none);
    assert_string_equal(words, "0 bounces");
    rb_records_free(&rs);
}

static void test_summary_kinds(void **state)
{
    (void)state;
    rb_records rs = fixture_records(kind_specs, NKIND_SPECS);
    export_format f = EXPORT_CSV;
    char *out = capture(run_summary, &rs, &f);
    csv_doc d;
    csv_read(out, &d);
    size_t last = d.nrows - 1, none = 0;
    assert_string_equal(d.cell[last][0], "TOTAL");
    /* bounces delays autoreplies feedback delivered challenges not_bounces */
    const char *want[] = {"2", "1", "1", "1", "0", "0", "2"};
    for (size_t k = 0; k < 7; k++)
        assert_string_equal(d.cell[last][11 + k], want[k]);
    for (size_t r = 1; r < last; r++)
        if (!strcmp(d.cell[r][0], "(not a bounce)")) {
            none = r;
            assert_string_equal(d.cell[r][2], "2");    /* messages */
            assert_string_equal(d.cell[r][4], "0");    /* recipients */
            assert_string_equal(d.cell[r][10], "");    /* no top domain */
            assert_string_equal(d.cell[r][17], "2");
        }
    assert_true(none > 0);
    csv_free(&d);
    free(out);
    f = EXPORT_JSON;
    out = capture(run_summary, &rs, &f);
    json_error_t err;
    json_t *o = json_loads(out, 0, &err);
    assert_non_null(o);
    json_t *kinds = json_object_get(json_object_get(o, "totals"), "kinds");
    assert_int_equal(json_integer_value(json_object_get(kinds, "bounces")), 2);
    assert_int_equal(json_integer_value(json_object_get(kinds, "autoreplies")), 1);
    assert_int_equal(json_integer_value(json_object_get(kinds, "feedback")), 1);
    assert_int_equal(json_integer_value(json_object_get(kinds, "not_bounces")), 2);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(o, "totals"), "messages")), 7);
    json_decref(o);
    free(out);
    f = EXPORT_TEXT;
    out = capture(run_summary, &rs, &f);
    assert_non_null(strstr(out, "\nKinds: 2 bounces, 1 delay, 1 auto-reply, 1 feedback report, 2 not bounces\n"));
    assert_non_null(strstr(out, "7 messages, 5 recipients, 7 records"));
    free(out);
    f = EXPORT_MARKDOWN;
    out = capture(run_summary, &rs, &f);
    assert_non_null(strstr(out, "Kinds: 2 bounces, 1 delay, 1 auto-reply, 1 feedback report, 2 not bounces."));
    free(out);
    rb_records_free(&rs);
}

/* Counts in the words: one message, one recipient, not "1 messages". */
static void test_summary_singular(void **state)
{
    (void)state;
    rb_records rs = fixture_records(kind_specs, 1);
    export_format f = EXPORT_TEXT;
    char *out = capture(run_summary, &rs, &f);
    assert_non_null(strstr(out, "in this report: 1 message, 1 recipient, 1 record\n"));
    free(out);
    f = EXPORT_MARKDOWN;
    out = capture(run_summary, &rs, &f);
    assert_non_null(strstr(out, ": 1 message, 1 recipient, 1 hard and 0 soft failures."));
    free(out);
    rb_records_free(&rs);
}

static void test_list_csv_hostile(void **state)
{
    (void)state;
    rb_records rs = fixture_records(specs, NSPECS);
    bool by_rcpt = false;
    char *out = capture(run_list, &rs, &by_rcpt);
    csv_doc d;
    csv_read(out, &d);
    assert_int_equal(d.nrows, 1 + 5);   /* header and the five failures (no auto-reply) */
    for (size_t r = 0; r < d.nrows; r++)
        assert_int_equal(d.ncells[r], 10);
    for (size_t r = 1; r < d.nrows; r++)
        for (size_t c = 0; c < d.ncells[r]; c++) {
            const char *v = d.cell[r][c];
            assert_true(!strchr("=+-@\t\r", v[0]) || !v[0]);   /* no formula survives */
            assert_null(strchr(v, '\x1b'));
            assert_null(strchr(v, '\n'));
        }
    assert_string_equal(d.cell[2][0], "'=HYPERLINK(\"http://x\")@a.example");
    assert_string_equal(d.cell[2][9], "550 \"quoted\", with, commas");
    assert_string_equal(d.cell[4][0], "'+bob@b.example");
    assert_non_null(strstr(d.cell[4][9], "\xef\xbf\xbd"));   /* invalid UTF-8 replaced */
    assert_string_equal(d.cell[5][0], "'@carl@c.example");
    assert_string_equal(d.cell[5][9], "'-1 blocked `code` *bold* [link](x) <b>");
    csv_free(&d);
    free(out);
    rb_records_free(&rs);
}

/* One cell as csv_cell writes it. */
static char *cell_of(void (*fn)(FILE *, const char *), const char *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    fn(f, s);
    fclose(f);
    return buf;
}

/* Formulas hidden behind blanks, invisible characters or full-width signs
 * are neutralised; a ; or tab separator is quoted; ordinary text is not. */
static void test_csv_formula_variants(void **state)
{
    (void)state;
    static const struct { const char *in, *out; } cases[] = {
        {"  =1+1", "\"'  =1+1\""},
        {"\xC2\xA0=1+1", "\"'\xC2\xA0=1+1\""},                         /* NBSP */
        {"\xE2\x80\x8B@SUM(A1)", "\"'\xE2\x80\x8B@SUM(A1)\""},           /* U+200B */
        {"\xEF\xBB\xBF+cmd", "\"'\xEF\xBB\xBF+cmd\""},                   /* U+FEFF */
        {"\xEF\xBC\x9D" "1+1", "\"'\xEF\xBC\x9D" "1+1\""},               /* U+FF1D */
        {"\xEF\xBC\x8B" "1", "\"'\xEF\xBC\x8B" "1\""},                   /* U+FF0B */
        {"\xEF\xBC\x8D" "1", "\"'\xEF\xBC\x8D" "1\""},                   /* U+FF0D */
        {"\xEF\xBC\xA0x", "\"'\xEF\xBC\xA0x\""},                         /* U+FF20 */
        {"\xE2\x88\x92" "1", "\"'\xE2\x88\x92" "1\""},                   /* U+2212 */
        {" \t1", "\"' \t1\""},
        {"a;=1", "\"a;=1\""},
        {"a\tb", "\"a\tb\""},
        {"plain text", "plain text"},
        {"  x = 1", "  x = 1"},
        {"caf\xC3\xA9 =", "caf\xC3\xA9 ="},
        {"", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = cell_of(csv_cell, cases[i].in);
        assert_string_equal(got, cases[i].out);
        free(got);
    }
}

/* Markdown: strikethrough and autolinks (www., ://) do not happen. */
static void test_md_autolinks(void **state)
{
    (void)state;
    char *got = cell_of(md_cell, "~~gone~~ see www.evil.example or https://evil.example & &#x202E;");
    assert_string_equal(got, "\\~\\~gone\\~\\~ see www\\.evil.example or https\\://evil.example \\& \\&#x202E;");
    free(got);
    got = cell_of(md_cell, "WWW.X.example a:b");
    assert_string_equal(got, "WWW\\.X.example a:b");
    free(got);
}

/* The rows written, not the records given: what "Wrote FILE (N ...)" must say. */
static void test_list_rows_written(void **state)
{
    (void)state;
    rb_records rs = fixture_records(kind_specs, NKIND_SPECS);
    char *buf = NULL;
    size_t len = 0, rows = 99;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(export_list_rows(f, EXPORT_CSV, &rs, NULL, rs.n, false, false, &rows), 0);
    fclose(f);
    assert_int_equal(rows, 3);   /* 7 records: 2 bounces and a delay are rows, the rest not */
    size_t lines = 0;
    for (char *p = buf; *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines, 1 + rows);
    free(buf);
    rb_records_free(&rs);
    rs = fixture_records(specs, NSPECS);
    f = open_memstream(&buf, &len);
    assert_int_equal(export_list_rows(f, EXPORT_JSON, &rs, NULL, rs.n, false, true, &rows), 0);
    fclose(f);
    assert_int_equal(rows, 4);   /* 5 failures, ana's two in one row */
    free(buf);
    rb_records_free(&rs);
}

static void test_list_by_recipient(void **state)
{
    (void)state;
    rb_records rs = fixture_records(specs, NSPECS);
    bool by_rcpt = true;
    char *out = capture(run_list, &rs, &by_rcpt);
    csv_doc d;
    csv_read(out, &d);
    assert_int_equal(d.nrows, 1 + 4);   /* ana twice -> one row */
    bool found = false;
    for (size_t r = 1; r < d.nrows; r++)
        if (!strcmp(d.cell[r][0], "ana@a.example")) {
            found = true;
            assert_string_equal(d.cell[r][5], "2");                      /* times seen */
            assert_string_equal(d.cell[r][6], "2025-11-26T23:33:20Z");   /* the last one */
            assert_string_equal(d.cell[r][9], "550 5.1.1 still unknown | piped");
        }
    assert_true(found);
    csv_free(&d);
    free(out);
    /* JSON Lines, hard only */
    out = capture(run_list_json, &rs, NULL);
    size_t lines = 0;
    for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n"), lines++) {
        json_error_t e;
        json_t *o = json_loads(line, 0, &e);
        assert_non_null(o);
        assert_true(json_is_true(json_object_get(o, "hardbounce")));
        json_decref(o);
    }
    assert_int_equal(lines, 2);   /* ana (2 seen) and the =HYPERLINK one */
    free(out);
    rb_records_free(&rs);
}

static void test_summary_json_matches_text(void **state)
{
    (void)state;
    rb_records rs = fixture_records(specs, NSPECS);
    export_format f = EXPORT_JSON;
    char *out = capture(run_summary, &rs, &f);
    json_error_t e;
    json_t *o = json_loads(out, 0, &e);
    assert_non_null(o);
    json_t *tot = json_object_get(o, "totals"), *groups = json_object_get(o, "groups");
    assert_int_equal(json_integer_value(json_object_get(tot, "messages")), 6);
    assert_int_equal(json_integer_value(json_object_get(tot, "recipients")), 5);
    assert_int_equal(json_array_size(groups), 4);
    json_int_t records = 0;
    for (size_t i = 0; i < json_array_size(groups); i++)
        records += json_integer_value(json_object_get(json_array_get(groups, i), "records"));
    assert_int_equal(records, json_integer_value(json_object_get(tot, "records")));
    json_t *g0 = json_array_get(groups, 0);
    assert_string_equal(json_string_value(json_object_get(g0, "key")), "550 5.1.1");
    json_t *top = json_array_get(json_object_get(g0, "top_domains"), 0);
    assert_string_equal(json_string_value(json_object_get(top, "domain")), "a.example");
    assert_int_equal(json_integer_value(json_object_get(top, "count")), 3);
    /* the text summary says the same numbers */
    f = EXPORT_TEXT;
    char *text = capture(run_summary, &rs, &f);
    for (size_t i = 0; i < json_array_size(groups); i++) {
        json_t *g = json_array_get(groups, i);
        const char *key = json_string_value(json_object_get(g, "key"));
        const char *line = strstr(text, key);
        assert_non_null(line);
        size_t msgs = 0;
        assert_int_equal(sscanf(line + strlen(key), "%zu", &msgs), 1);
        assert_int_equal(msgs, (size_t)json_integer_value(json_object_get(g, "messages")));
    }
    assert_non_null(strstr(text, "TOTAL                         6 100.0%"));
    free(text);
    json_decref(o);
    free(out);
    rb_records_free(&rs);
}

static void test_markdown_columns(void **state)
{
    (void)state;
    rb_records rs = fixture_records(specs, NSPECS);
    rb_record_set(&rs.v[0].diagnostic, "x", 1);
    export_format f = EXPORT_MARKDOWN;
    char *out = capture(run_summary, &rs, &f);
    size_t rows = 0;
    for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
        if (line[0] != '|')
            continue;
        size_t pipes = 0;
        for (size_t i = 0; line[i]; i++)
            pipes += line[i] == '|' && (i == 0 || line[i - 1] != '\\');
        assert_int_equal(pipes, 11);   /* ten columns */
        rows++;
    }
    assert_int_equal(rows, 2 + 4 + 1);   /* header, rule, 4 groups, total */
    free(out);
    rb_records_free(&rs);
}

static void test_files(void **state)
{
    (void)state;
    char dir[] = "/tmp/rebote-export-test.XXXXXX", path[256];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/out.csv", dir);
    export_file x;
    assert_int_equal(export_begin(&x, path), 0);
    fputs("a,b\r\n", x.f);
    assert_int_equal(export_commit(&x), 0);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_size, 5);
    /* aborted: no file, no temporary left */
    snprintf(path, sizeof path, "%s/aborted.csv", dir);
    assert_int_equal(export_begin(&x, path), 0);
    fputs("partial", x.f);
    export_abort(&x);
    assert_int_not_equal(stat(path, &st), 0);
    assert_int_not_equal(stat(x.tmp, &st), 0);
    /* a directory that does not exist */
    assert_int_equal(export_begin(&x, "/nonexistent-dir/out.csv"), -1);
    assert_int_equal(errno, ENOENT);
    snprintf(path, sizeof path, "%s/out.csv", dir);
    unlink(path);
    rmdir(dir);
}

static int run_summary_part(FILE *out, const rb_records *rs, void *arg)
{
    export_meta m = {.source = "mb", .generated = 1764500000, .messages = 6,
                     .selection = "the tagged bounces; limit: domain:gmail"};
    return export_summary(out, *(export_format *)arg, &m, rs, NULL, 1, MODEL_BY_CODE);
}

/* A report of part of the source says which part, in every format that has
 * room for words; a report of all of it says nothing of the kind. */
static void test_summary_says_part(void **state)
{
    (void)state;
    static const fixture_spec rows[] = {
        {"550", "5.1.1", "a@gmail.example", "550 5.1.1 no such user", "k1", true, 0, RB_KIND_BOUNCE},
        {"550", "5.1.1", "b@x.example", "550 5.1.1 no such user", "k2", true, 0, RB_KIND_BOUNCE},
    };
    rb_records rs = fixture_records(rows, 2);
    export_format f[] = {EXPORT_TEXT, EXPORT_MARKDOWN, EXPORT_JSON};
    for (size_t i = 0; i < 3; i++) {
        char *part = capture(run_summary_part, &rs, &f[i]), *all = capture(run_summary, &rs, &f[i]);
        assert_non_null(strstr(part, f[i] == EXPORT_JSON ? "\"selection\":" : "Only part of the source: "));
        assert_non_null(strstr(part, "the tagged bounces; limit: domain:gmail"));
        assert_null(strstr(all, "selection"));
        assert_null(strstr(all, "Only part"));
        free(part);
        free(all);
    }
    rb_records_free(&rs);
}

/* What a group is, in the list and the summaries: the reason's meaning when
 * grouped by reason (the trial saw an empty column). */
static void test_group_title_by_reason(void **state)
{
    (void)state;
    static const fixture_spec rows[] = {
        {"550", "5.1.1", "a@x.example", "550 5.1.1 no such user", "k1", true, 0, RB_KIND_BOUNCE},
        {"452", "4.2.2", "b@x.example", "452 4.2.2 mailbox full", "k2", false, 0, RB_KIND_BOUNCE},
    };
    rb_records rs = fixture_records(rows, 2);
    model_groups gs;
    assert_int_equal(model_group_records(&rs, MODEL_BY_REASON, &gs), 0);
    assert_int_equal(gs.n, 2);
    for (size_t i = 0; i < gs.n; i++) {
        const char *t = export_group_title(&rs, &gs.v[i], MODEL_BY_REASON);
        assert_string_equal(t, !strcmp(gs.v[i].key, "userunknown") ? "mailbox does not exist" : "mailbox full");
    }
    model_groups_free(&gs);
    rb_records_free(&rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_summary_csv), cmocka_unit_test(test_list_csv_hostile),
        cmocka_unit_test(test_model_kinds), cmocka_unit_test(test_summary_kinds),
        cmocka_unit_test(test_summary_singular), cmocka_unit_test(test_list_rows_written),
        cmocka_unit_test(test_list_by_recipient), cmocka_unit_test(test_summary_json_matches_text),
        cmocka_unit_test(test_markdown_columns), cmocka_unit_test(test_files),
        cmocka_unit_test(test_csv_formula_variants), cmocka_unit_test(test_md_autolinks),
        cmocka_unit_test(test_group_title_by_reason), cmocka_unit_test(test_summary_says_part),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
