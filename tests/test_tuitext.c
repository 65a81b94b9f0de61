/* The words of the screen, built without curses (src/tui/text.c): wrapping
 * by display columns, the rows of the lists, the header, the status line
 * and the side pane's explanation. */
#include <config.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <libintl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "rebote/view.h"
#include "tui/text.h"
#include "fixture.h"

static const fixture_spec specs[] = {
    {"550", "5.1.1", "ana@a.example", "550 5.1.1 user unknown", "m1", true, 1764496800, RB_KIND_BOUNCE},
    {"550", "5.1.1", "bob@b.example", "550 5.1.1 no such user", "m2", true, 1764496800, RB_KIND_BOUNCE},
    {"452", "4.2.2", "dora@a.example", "452 4.2.2 mailbox over quota", "m3", false, 0, RB_KIND_BOUNCE},
};
#define NSPECS (sizeof specs / sizeof specs[0])

/* Is some line of L containing needle there? */
static bool has_line(const text_lines *L, const char *needle)
{
    for (size_t i = 0; i < L->n; i++)
        if (strstr(L->line[i], needle))
            return true;
    return false;
}

static void test_width(void **state)
{
    (void)state;
    assert_int_equal(text_width("abc"), 3);
    assert_int_equal(text_width("k ↑"), 3);
    assert_int_equal(text_width("日本"), 4);   /* wide characters take two columns */
    assert_int_equal(text_width(""), 0);
    assert_int_equal(text_width(NULL), 0);
}

static void test_wrap_at_spaces(void **state)
{
    (void)state;
    text_lines L = {.width = 10};
    text_wrap(&L, "", "one two three four", TEXT_NORMAL);
    assert_int_equal(L.n, 2);
    assert_string_equal(L.line[0], "one two");
    assert_string_equal(L.line[1], "three four");
    text_free(&L);
    assert_int_equal(L.n, 0);
}

static void test_wrap_indent_and_wide(void **state)
{
    (void)state;
    text_lines L = {.width = 10};
    text_wrap(&L, "- ", "aaaa bbbb cccc", TEXT_BOLD);
    assert_int_equal(L.n, 3);
    assert_string_equal(L.line[0], "- aaaa");
    assert_string_equal(L.line[1], "  bbbb");   /* continuation aligned under the indent */
    assert_string_equal(L.line[2], "  cccc");
    assert_int_equal(L.style[1], TEXT_BOLD);
    text_free(&L);
    L.width = 9;
    text_wrap(&L, "", "日本語日本語", TEXT_NORMAL);   /* 12 columns, no space: cut by columns */
    assert_int_equal(L.n, 2);
    assert_string_equal(L.line[0], "日本語日");
    assert_int_equal(text_width(L.line[0]), 8);
    text_free(&L);
    text_wrap(&L, "", "first\nsecond", TEXT_NORMAL);   /* newlines start lines */
    assert_int_equal(L.n, 2);
    assert_string_equal(L.line[1], "second");
    text_free(&L);
}

/* The one cutting rule of the panes and the pager. */
/* A group that holds no bounce does not call its records bounces. */
static void test_group_kinds_named(void **state)
{
    (void)state;
    static const fixture_spec rows[] = {
        {"", "", "a@x.example", "", "v1", false, 0, RB_KIND_AUTOREPLY},
        {"", "", "b@x.example", "", "v2", false, 0, RB_KIND_AUTOREPLY},
    };
    rb_records rs = fixture_records(rows, 2);
    view v;
    assert_int_equal(view_init(&v, &rs, MODEL_BY_CODE), 0);
    assert_int_equal(v.groups.n, 1);
    text_lines L = {.width = 200};
    text_group_explain(&L, &v, &v.groups.v[0], NULL);
    assert_true(has_line(&L, "2 auto-replies; messages: 2, recipients: 2"));
    for (size_t i = 0; i < L.n; i++)
        assert_null(strstr(L.line[i], "ounce"));
    text_free(&L);
    view_free(&v);
    rb_records_free(&rs);
}

static void test_cut(void **state)
{
    (void)state;
    const char *p = "one two three";
    size_t n = strlen(p);
    assert_int_equal(text_cut(p, 0, n, 0, 9, true), 7);    /* "one two": the word "three" goes on */
    assert_int_equal(text_cut(p, 0, n, 0, 9, false), 9);   /* "one two t": cut where the width ends */
    assert_int_equal(text_cut(p, 0, n, 0, 7, true), 7);    /* "one two" fits exactly: not cut at "one" */
    assert_int_equal(text_cut(p, 0, n, 3, 9, true), 3);    /* 3 columns already used: "one" */
    assert_int_equal(text_cut(p, 0, n, 9, 9, true), 1);    /* no room at all: one character still goes */
    text_lines L = {.width = 8};
    text_wrap(&L, "indent-wider-than-8 ", "abc", TEXT_NORMAL);   /* ends (it used to loop for ever) */
    assert_true(L.n >= 1);
    text_free(&L);
}

static void test_field_skips_empty(void **state)
{
    (void)state;
    text_lines L = {.width = 40};
    text_field(&L, "Subject", "");
    text_field(&L, "Subject", NULL);
    assert_int_equal(L.n, 0);
    text_field(&L, "Subject", "hello");
    assert_string_equal(L.line[0], "Subject: hello");
    text_free(&L);
}

static void test_rows(void **state)
{
    (void)state;
    rb_records rs = fixture_records(specs, NSPECS);
    view v;
    assert_int_equal(view_init(&v, &rs, MODEL_BY_CODE), 0);
    char row[512];
    const model_group *g = &v.groups.v[0];
    assert_string_equal(g->key, "550 5.1.1");
    text_group_row(row, sizeof row, &v, g, 2, 16);
    assert_non_null(strstr(row, "550 5.1.1"));
    assert_non_null(strstr(row, "##########"));
    assert_int_equal(row[0], ' ');
    view_flag_group(&v, 0, VIEW_MARKED, true);
    text_group_row(row, sizeof row, &v, g, 2, 16);
    assert_int_equal(row[0], 'D');
    assert_int_equal(text_flag_char(&v, g, VIEW_MARKED, 'D', 'd'), 'D');
    v.flags[g->idx[0]] = 0;
    assert_int_equal(text_flag_char(&v, g, VIEW_MARKED, 'D', 'd'), 'd');
    text_bounce_row(row, sizeof row, &v, g->idx[1]);
    assert_int_equal(row[0], 'D');
    assert_non_null(strstr(row, "2025-11-30"));
    assert_non_null(strstr(row, "no such user"));
    text_bounce_row(row, sizeof row, &v, 2);   /* no date: blanks, not garbage */
    assert_non_null(strstr(row, "             452 4.2.2   dora@a.example"));
    view_free(&v);
    assert_int_equal(view_init(&v, &rs, MODEL_BY_DOMAIN), 0);   /* #13.8: the code on every row, every grouping */
    for (size_t i = 0; i < NSPECS; i++) {
        text_bounce_row(row, sizeof row, &v, i);
        char want[32];
        snprintf(want, sizeof want, " %s %s ", specs[i].reply, specs[i].status);
        assert_non_null(strstr(row, want));
    }
    view_free(&v);
    rb_records_free(&rs);
}

static void test_header_and_status(void **state)
{
    (void)state;
    rb_records rs = fixture_records(specs, NSPECS);
    view v;
    assert_int_equal(view_init(&v, &rs, MODEL_BY_CODE), 0);
    char line[1024];
    text_header(line, sizeof line, "demo", 3, &v, 1000, false);
    assert_non_null(strstr(line, "3 messages: 3 bounces  by code, sorted by count"));
    view_set_filter(&v, "domain:a.example");
    text_header(line, sizeof line, "demo", 3, &v, 1000, false);
    assert_non_null(strstr(line, "limit: domain:a.example"));
    text_status(line, sizeof line, &v, false, NULL, NULL, 1000);
    assert_non_null(strstr(line, "nothing marked for deletion"));   /* #13.12: in words */
    assert_null(strstr(line, "0 messages in 0 groups"));
    assert_null(strstr(line, "loading"));
    text_status(line, sizeof line, &v, true, "loading: 1 of 2", NULL, 1000);
    assert_true(strncmp(line, "loading: 1 of 2  |  ;", 21) == 0);
    view_free(&v);
    rb_records_free(&rs);
}

/* #13.12: at 80 columns the header and the status line lose whole parts,
 * the lowest priority first, and say so with "…"; the limit's pattern and
 * the read-only flag stay; nothing is cut inside a word. */
static void test_header_narrow(void **state)
{
    (void)state;
    rb_records rs = fixture_records(specs, NSPECS);
    view v;
    assert_int_equal(view_init(&v, &rs, MODEL_BY_CODE), 0);
    char line[1024];
    const char *title = "imaps://postmaster@mail.example.com/INBOX";
    text_header(line, sizeof line, title, 3, &v, 1000, false);
    assert_null(strstr(line, "…"));
    text_header(line, sizeof line, title, TEXT_LOADING, &v, 1000, false);   /* still loading: no count yet */
    assert_non_null(strstr(line, "loading, so far: 3 bounces"));
    text_header(line, sizeof line, title, 3, &v, 80, true);
    assert_non_null(strstr(line, title));   /* the mailbox path outlives the counts (trial) */
    assert_non_null(strstr(line, "bounces"));
    view_set_filter(&v, "domain:gmail.example");
    text_header(line, sizeof line, title, 3, &v, 1000, false);   /* the counts are the limit's */
    assert_non_null(strstr(line, "3 messages; the limit shows:"));
    text_header(line, sizeof line, title, 3, &v, 80, true);
    assert_true(text_width(line) <= 80);
    assert_non_null(strstr(line, "limit: domain:gmail.example"));
    assert_non_null(strstr(line, "[read-only]"));
    assert_non_null(strstr(line, "…"));
    assert_null(strstr(line, "sorted by cou"));
    assert_true(strstr(line, "sorted by count") || !strstr(line, "sorted"));
    text_header(line, sizeof line, title, 3, &v, 40, false);   /* too narrow: what must stay, stays */
    assert_non_null(strstr(line, "limit: domain:gmail.example"));
    static const text_part parts[] = {{"alpha", "", 5}, {"beta", " ", 1}, {"gamma", " ", 3}};
    text_join(line, sizeof line, parts, 3, 16);
    assert_string_equal(line, "alpha beta gamma");
    text_join(line, sizeof line, parts, 3, 15);
    assert_string_equal(line, "alpha gamma…");
    text_join(line, sizeof line, parts, 3, 6);
    assert_string_equal(line, "alpha…");
    view_set_filter(&v, "");
    view_flag_group(&v, 0, VIEW_MARKED, true);
    text_status(line, sizeof line, &v, false, "loading: 100 of 200000 messages", NULL, 60);
    assert_true(text_width(line) <= 60);
    assert_non_null(strstr(line, "marked for deletion: 2 messages in 1 group"));
    view_free(&v);
    rb_records_free(&rs);
}

/* #13.8: the focused pane says where the selection is. */
static void test_position(void **state)
{
    (void)state;
    char head[64] = "Bounces of 550 5.1.1 (33)";
    text_position(head, sizeof head, 11, 33);
    assert_string_equal(head, "Bounces of 550 5.1.1 (33)  12/33");
    char empty[64] = "Groups (0)";
    text_position(empty, sizeof empty, 0, 0);
    assert_string_equal(empty, "Groups (0)");
}

/* The header counts the kinds apart; an empty mailbox says so. */
static void test_header_kinds(void **state)
{
    (void)state;
    static const fixture_spec mixed[] = {
        {"550", "5.1.1", "ana@a.example", "550 5.1.1 user unknown", "k1", true, 1764496800, RB_KIND_BOUNCE},
        {"", "", "dora@d.example", "Out of office", "k2", false, 1764496800, RB_KIND_AUTOREPLY},
        {"", "", "", "", "k3", false, 1764496800, RB_KIND_NONE},
        {"", "", "", "", "k4", false, 1764496800, RB_KIND_NONE},
    };
    rb_records rs = fixture_records(mixed, 4);
    view v;
    assert_int_equal(view_init(&v, &rs, MODEL_BY_CODE), 0);
    char line[1024];
    text_header(line, sizeof line, "pm", 4, &v, 1000, false);
    assert_non_null(strstr(line, "rebote  pm  4 messages: 1 bounce, 1 auto-reply, 2 not bounces  by code"));
    view_free(&v);
    rb_records_free(&rs);
    rb_records_init(&rs);
    assert_int_equal(view_init(&v, &rs, MODEL_BY_CODE), 0);
    text_header(line, sizeof line, "/srv/empty", 0, &v, 1000, false);
    assert_string_equal(line, "rebote  No bounces in /srv/empty");
    view_free(&v);
}

static void test_explain(void **state)
{
    (void)state;
    rb_records rs = fixture_records(specs, NSPECS);
    text_lines L = {.width = 50};
    text_explain(&L, &rs.v[0], false);
    assert_true(L.n > 4);
    assert_string_equal(L.line[0], "550 5.1.1 — Bad destination mailbox address");
    assert_int_equal(L.style[0], TEXT_BOLD);
    assert_true(has_line(&L, "What to do:"));
    assert_true(has_line(&L, "Recipient: ana@a.example"));
    assert_false(has_line(&L, "Message key"));   /* only in the pager */
    text_free(&L);
    L.width = 50;   /* text_free forgets it */
    text_explain(&L, &rs.v[0], true);
    assert_true(has_line(&L, "Message key: m1"));
    for (size_t i = 0; i < L.n; i++)
        assert_true(text_width(L.line[i]) <= 50);
    text_free(&L);
    text_explain(&L, NULL, true);
    assert_int_equal(L.n, 0);
    rb_records_free(&rs);
}

/* How often the word w starts in s (without case). */
static int count_word(const char *s, const char *w)
{
    int n = 0;
    for (const char *p = s; (p = strcasestr(p, w)); p += strlen(w))
        n++;
    return n;
}

/* Every hint of the table: "Recognised:", never "(null)", the provider named once. */
static void test_hint_headings(void **state)
{
    (void)state;
    unsigned n;
    const kb_hint *h = explain_hint_table(&n);
    assert_true(n > 10);
    unsigned unnamed = 0;
    for (unsigned i = 0; i < n; i++) {
        char head[512];
        text_hint_heading(&h[i], head, sizeof head);
        assert_non_null(strstr(head, "Recognised: "));
        assert_null(strstr(head, "(null)"));
        assert_non_null(strstr(head, h[i].title));
        if (h[i].name)
            assert_int_equal(count_word(head, h[i].name), 1);
        else
            unnamed++;
    }
    assert_true(unnamed > 0);   /* greylisting, relaying denied, ... */
}

static void test_explain_hints(void **state)
{
    (void)state;
    static const fixture_spec hinted[] = {
        {"451", "4.7.1", "a@x.example", "451 4.7.1 Greylisted, please try again later", "g1", false, 0, RB_KIND_BOUNCE},
        {"550", "5.4.1", "b@y.example", "550 5.4.1 Recipient address rejected: Access denied. AS(201806281)", "m1",
         true, 0, RB_KIND_BOUNCE},
    };
    rb_records rs = fixture_records(hinted, 2);
    text_lines L = {.width = 200};
    text_explain(&L, &rs.v[0], false);
    assert_string_equal(L.line[0], "451 4.7.1 — Greylisting");   /* the hint's own meaning wins */
    assert_false(has_line(&L, "receiving server's administrator"));   /* a greylist is nobody's fault */
    assert_false(has_line(&L, "(null)"));
    text_free(&L);
    L.width = 200;
    text_explain(&L, &rs.v[1], false);
    /* Microsoft 365 documents its own 550 5.4.1: its title and meaning win, as in the CLI */
    assert_string_equal(L.line[0], "550 5.4.1 — Microsoft 365: recipient not in the directory (directory-based edge blocking)");
    assert_false(has_line(&L, "Recognised:"));   /* the title says it already */
    assert_true(has_line(&L, "Registry meaning of 5.4.1, not the one meant here: No answer from host"));
    assert_false(has_line(&L, "Microsoft: Microsoft"));
    text_free(&L);
    rb_records_free(&rs);
}

/* The counts before a deletion are the counts deleted, limit or not. */
static void test_marks_under_a_limit(void **state)
{
    (void)state;
    rb_records rs = fixture_records(specs, NSPECS);
    view v;
    assert_int_equal(view_init(&v, &rs, MODEL_BY_CODE), 0);
    text_marks m;
    char q[512], line[1024];
    assert_int_equal(text_count_marks(&v, &m), 0);
    assert_int_equal(m.messages, 0);
    v.flags[0] |= VIEW_MARKED;   /* ana, m1 */
    assert_int_equal(text_count_marks(&v, &m), 0);
    text_commit_question(q, sizeof q, &m, "demo", 1000);
    assert_string_equal(q, "Delete 1 message (1 group) from demo? [y/N] ");
    view_flag_group(&v, 0, VIEW_MARKED, true);   /* 550 5.1.1: m1, m2 */
    view_set_filter(&v, "domain:a.example");     /* hides bob (m2) */
    size_t g452 = v.groups.n;
    for (size_t i = 0; i < v.groups.n; i++)
        if (!strcmp(v.groups.v[i].key, "452 4.2.2"))
            g452 = i;
    assert_true(g452 < v.groups.n);
    view_flag_group(&v, g452, VIEW_MARKED, true);   /* dora, m3 */
    assert_int_equal(text_count_marks(&v, &m), 0);
    assert_int_equal(m.messages, 3);
    assert_int_equal(m.hidden, 1);
    assert_int_equal(m.groups, 2);
    const char **keys;
    unsigned int *uids;
    size_t n = view_marked_messages(&v, &keys, &uids);   /* what $ deletes */
    model_messages_free(keys, uids, n);
    assert_int_equal(n, m.messages);
    text_commit_question(q, sizeof q, &m, "demo", 1000);
    assert_string_equal(q, "Delete 3 messages (2 groups), 1 of them hidden by the limit, from demo? [y/N] ");
    text_status(line, sizeof line, &v, false, NULL, NULL, 1000);
    assert_non_null(strstr(line, "marked for deletion: 3 messages in 2 groups (1 hidden)"));
    text_marks_memo memo = {0};   /* the status line's memo follows every change */
    text_status(line, sizeof line, &v, false, NULL, &memo, 1000);
    assert_non_null(strstr(line, "3 messages in 2 groups (1 hidden)"));
    v.flags[g452 < v.groups.n ? v.groups.v[g452].idx[0] : 0] &= (unsigned char)~VIEW_MARKED;   /* dora unmarked */
    text_status(line, sizeof line, &v, false, NULL, &memo, 1000);
    assert_non_null(strstr(line, "2 messages in 1 group (1 hidden)"));
    v.flags[g452 < v.groups.n ? v.groups.v[g452].idx[0] : 0] |= VIEW_MARKED;
    view_set_filter(&v, "");
    text_status(line, sizeof line, &v, false, NULL, &memo, 1000);
    assert_non_null(strstr(line, "3 messages in 2 groups  |"));
    assert_int_equal(text_count_marks(&v, &m), 0);
    assert_int_equal(m.hidden, 0);
    text_status(line, sizeof line, &v, false, NULL, NULL, 1000);
    assert_non_null(strstr(line, "marked for deletion: 3 messages in 2 groups  |"));
    view_free(&v);
    rb_records_free(&rs);
}

/* A record of a kind without codes says what to do about it (an ARF report). */
static void test_kind_advice(void **state)
{
    (void)state;
    static const fixture_spec arf[] = {{"", "", "c@z.example", "", "f1", false, 0, RB_KIND_FEEDBACK}};
    rb_records rs = fixture_records(arf, 1);
    text_lines L = {.width = 200};
    text_explain(&L, &rs.v[0], false);
    assert_true(has_line(&L, "(feedback) "));
    assert_true(has_line(&L, "What to do:"));
    assert_true(has_line(&L, "- Remove the complainer from the list"));
    text_free(&L);
    rb_records_free(&rs);
}

/* #13.6: a message that is no bounce shows who sent it and what it is
 * about, and the pane names its group "(not a bounce)", not "(none)". */
static void test_not_a_bounce(void **state)
{
    (void)state;
    static const fixture_spec other[] = {{"", "", "", "", "o1", false, 1764496800, RB_KIND_NONE}};
    rb_records rs = fixture_records(other, 1);
    rb_record_set(&rs.v[0].sender, "alice@home.example", 18);
    rb_record_set(&rs.v[0].subject, "Lunch on Friday", 15);
    view v;
    assert_int_equal(view_init(&v, &rs, MODEL_BY_DOMAIN), 0);
    char row[512];
    text_bounce_row(row, sizeof row, &v, 0);
    assert_non_null(strstr(row, "alice@home.example"));
    assert_non_null(strstr(row, "Lunch on Friday"));
    text_lines L = {.width = 200};
    text_explain(&L, &rs.v[0], false);
    assert_true(has_line(&L, "(not a bounce)"));
    assert_false(has_line(&L, "(none)"));
    text_free(&L);
    view_free(&v);
    rb_records_free(&rs);
}

/* #13.3: on a group the pane explains the group (its code, what is inside
 * it with counts), not its first bounce. */
static void test_group_explain(void **state)
{
    (void)state;
    static const fixture_spec mixed[] = {
        {"554", "5.7.1", "a@x.example", "554 5.7.1 Client host [192.0.2.1] blocked using zen.spamhaus.org", "s1", false, 0,
         RB_KIND_BOUNCE},
        {"554", "5.7.1", "b@x.example", "554 5.7.1 Service refused, see spamhaus", "s2", false, 0, RB_KIND_BOUNCE},
        {"554", "5.7.1", "c@y.example", "554 5.7.1 Client host rejected: access denied", "r1", false, 0, RB_KIND_BOUNCE},
        {"554", "5.7.1", "d@y.example", "554 5.7.1 Client host rejected", "r2", false, 0, RB_KIND_BOUNCE},
        {"554", "5.7.1", "e@y.example", "554 5.7.1 Client host rejected", "r3", false, 0, RB_KIND_BOUNCE},
        {"550", "5.1.1", "f@y.example", "550 5.1.1 no such user", "u1", true, 0, RB_KIND_BOUNCE},
    };
    rb_records rs = fixture_records(mixed, 6);
    for (size_t i = 2; i < 5; i++)
        rs.v[i].reason = "norelaying";
    rb_record_set(&rs.v[0].rhost, "mx1.x.example", 13);
    rb_record_set(&rs.v[1].rhost, "mx1.x.example", 13);
    rb_record_set(&rs.v[2].rhost, "mx.y.example", 12);
    view v;
    assert_int_equal(view_init(&v, &rs, MODEL_BY_CODE), 0);
    const model_group *g = NULL;
    for (size_t i = 0; i < v.groups.n; i++)
        if (!strcmp(v.groups.v[i].key, "554 5.7.1"))
            g = &v.groups.v[i];
    assert_non_null(g);
    text_lines L = {.width = 200};
    text_group_explain(&L, &v, g, NULL);
    assert_string_equal(L.line[0], "554 5.7.1 — Delivery not authorised, message refused");
    assert_true(has_line(&L, "5 bounces; messages: 5, recipients: 5"));
    assert_true(has_line(&L, "Hard: 0, soft: 5"));
    assert_true(has_line(&L, "What is inside:"));
    assert_true(has_line(&L, "     3  relaying denied"));   /* the largest first */
    assert_true(has_line(&L, "     2  Spamhaus listing"));
    assert_true(has_line(&L, "Top remote MTAs:"));
    assert_true(has_line(&L, "     2  mx1.x.example"));
    assert_false(has_line(&L, "check.spamhaus.org"));   /* not the first bounce's advice */
    assert_false(has_line(&L, "Codes inside:"));      /* one code: it is the group's */
    assert_false(has_line(&L, "(null)"));
    text_free(&L);
    /* by reason: the codes inside, and what the reason means */
    v.by = MODEL_BY_REASON;
    view_refresh(&v);
    g = NULL;
    for (size_t i = 0; i < v.groups.n; i++)
        if (!strcmp(v.groups.v[i].key, "userunknown"))
            g = &v.groups.v[i];
    assert_non_null(g);
    L.width = 200;
    text_group_explain(&L, &v, g, NULL);
    assert_string_equal(L.line[0], "Reason: userunknown — mailbox does not exist");
    assert_true(has_line(&L, "Codes inside:"));
    assert_true(has_line(&L, "     2  554 5.7.1"));
    assert_true(has_line(&L, "     1  550 5.1.1"));
    text_free(&L);
    assert_string_equal(text_reason_text("norelaying"), "relaying denied");
    assert_null(text_reason_text("nonsense"));
    view_free(&v);
    rb_records_free(&rs);
}

/* #13.13: where the locale cannot draw a character (LANG=C), text_cell
 * gives its ASCII fallback, '?' only when there is none. */
static void test_cell_ascii_fallback(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        wchar_t want;
    } cases[] = {
        {"—", L'-'}, {"–", L'-'}, {"á", L'a'}, {"é", L'e'}, {"ñ", L'n'}, {"Ñ", L'N'}, {"ü", L'u'}, {"ç", L'c'},
        {"Ł", L'L'}, {"š", L's'}, {"ž", L'z'}, {"ß", L's'}, {"«", L'"'}, {"’", L'\''}, {"“", L'"'}, {"…", L'.'},
        {"↑", L'^'}, {"↓", L'v'}, {"←", L'<'}, {"→", L'>'}, {"│", L'|'}, {"¿", L'?'}, {"¡", L'!'}, {"日", L'?'},
    };
    assert_non_null(setlocale(LC_ALL, "C"));
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        wchar_t wc;
        int cols;
        size_t k = text_cell(cases[i].s, strlen(cases[i].s), &wc, &cols);
        assert_int_equal(k, strlen(cases[i].s));
        if (wc != cases[i].want)
            fail_msg("%s: got U+%04X", cases[i].s, (unsigned)wc);
        assert_int_equal(cols, 1);
    }
    assert_int_equal(text_width("550 5.1.1 — Estaré"), 18);
    char out[64];
    text_fit(out, sizeof out, "Estaré", 6);   /* the bytes stay; the drawing transliterates */
    assert_string_equal(out, "Estaré");
    assert_non_null(setlocale(LC_ALL, "C.UTF-8"));
    wchar_t wc;
    int cols;
    text_cell("—", strlen("—"), &wc, &cols);
    assert_int_equal(wc, 0x2014);   /* a UTF-8 locale draws the character itself */
}

/* #13.14 and #13.5: the colour of a row follows hard and soft, and the help defines them. */
static void test_severity_and_legend(void **state)
{
    (void)state;
    static const fixture_spec mixed[] = {
        {"550", "5.1.1", "a@x.example", "550 5.1.1 no such user", "h1", true, 0, RB_KIND_BOUNCE},
        {"550", "5.1.1", "b@x.example", "550 5.1.1 no such user", "h2", true, 0, RB_KIND_BOUNCE},
        {"554", "5.7.1", "c@x.example", "554 5.7.1 blocked", "s1", false, 0, RB_KIND_BOUNCE},
        {"", "", "d@x.example", "", "a1", false, 0, RB_KIND_AUTOREPLY},
        {"", "", "e@x.example", "", "f1", false, 0, RB_KIND_FEEDBACK},
    };
    rb_records rs = fixture_records(mixed, 5);
    assert_int_equal(text_record_severity(&rs.v[0]), TEXT_SEV_HARD);
    assert_int_equal(text_record_severity(&rs.v[2]), TEXT_SEV_SOFT);
    assert_int_equal(text_record_severity(&rs.v[3]), TEXT_SEV_NONE);
    assert_int_equal(text_record_severity(&rs.v[4]), TEXT_SEV_NONE);
    view v;
    assert_int_equal(view_init(&v, &rs, MODEL_BY_DOMAIN), 0);   /* one domain: 2 hard, 1 soft; the others their kinds' */
    assert_int_equal(v.groups.n, 3);
    assert_string_equal(v.groups.v[0].key, "x.example");
    assert_int_equal(text_group_severity(&v.groups.v[0]), TEXT_SEV_HARD);
    assert_int_equal(text_group_severity(&v.groups.v[1]), TEXT_SEV_NONE);
    v.by = MODEL_BY_CODE;
    view_refresh(&v);
    for (size_t i = 0; i < v.groups.n; i++) {
        const model_group *g = &v.groups.v[i];
        text_severity want = !strcmp(g->key, "550 5.1.1") ? TEXT_SEV_HARD
                             : !strcmp(g->key, "554 5.7.1") ? TEXT_SEV_SOFT : TEXT_SEV_NONE;
        assert_int_equal(text_group_severity(g), want);
    }
    view_free(&v);
    rb_records_free(&rs);
    text_lines L = {.width = 200};
    text_legend_lines(&L);
    assert_true(has_line(&L, "red hard, yellow soft, dim neither"));
    assert_true(has_line(&L, "  hard     the address itself is bad"));
    assert_true(has_line(&L, "  soft     the message, the sender or the moment failed"));
    assert_true(has_line(&L, "  dim      not a failure: auto-replies, feedback reports, not a bounce"));
    for (size_t i = 0; i < L.n; i++)
        if (strstr(L.line[i], "  hard "))
            assert_int_equal(L.style[i], TEXT_HARD);   /* each drawn in its own colour */
    text_free(&L);
}


/* #13.8: a row shows the reply itself, not the wrapper the servers put
 * around it, nor the codes the code column shows already. */
/* text_reply of a record with these codes and diagnostic is want. */
typedef struct {
    const char *reply, *status, *diag, *want;
} reply_case;

static void check_replies(const reply_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        rb_record r;
        memset(&r, 0, sizeof r);
        snprintf(r.replycode, sizeof r.replycode, "%s", cases[i].reply);
        snprintf(r.status, sizeof r.status, "%s", cases[i].status);
        r.diagnostic = (char *)cases[i].diag;
        assert_string_equal(text_reply(&r), cases[i].want);
    }
}

static void test_reply_text(void **state)
{
    (void)state;
    static const reply_case cases[] = {
        {"550", "5.1.1", "Remote host said: 550 5.1.1 The email account does not exist.", "The email account does not exist."},
        {"550", "5.1.1", "because: 550 5.1.1 The email account does not exist.", "The email account does not exist."},
        {"550", "5.1.1", "mx.example.com [192.0.2.25]: RCPT TO:<a@b.example> <<< 550 5.1.1 <a@b.example>: User unknown",
         "User unknown"},   /* the address: the recipient column shows it (h-trial 8) */
        {"550", "5.1.1", "Technical details of permanent failure: Google tried to deliver your message, but it was "
                         "rejected by the server for the recipient domain b.example by mx.b.example. [192.0.2.1]. The "
                         "error that the other server returned was: 550 5.1.1 No such user",
         "No such user"},
        {"550", "5.7.26", "550-5.7.26 This mail has been blocked", "This mail has been blocked"},
        {"550", "5.1.1", "host mx.example.com [192.0.2.25] SMTP error from remote mail server after RCPT TO:<a.550@b>: "
                         "550 5.1.1 unknown", "unknown"},
        {"", "", "Sorry, no mailbox here by that name. (#5.1.1)", "Sorry, no mailbox here by that name. (#5.1.1)"},
        {"550", "5.1.1", "550 5.1.1", "550 5.1.1"},   /* nothing left: the whole diagnostic */
        {"550", "", "", ""},
    };
    check_replies(cases, sizeof cases / sizeof cases[0]);
}

/* #13.12: a cut ends with an ellipsis, never bare; short text is padded. */
static void test_fit_ellipsis(void **state)
{
    (void)state;
    char out[128];
    text_fit_ellipsis(out, sizeof out, "ana@a.example", 16);
    assert_string_equal(out, "ana@a.example   ");
    text_fit_ellipsis(out, sizeof out, "pablo.7226@empresa.example.es", 20);
    assert_string_equal(out, "pablo.7226@empresa.…");
    assert_int_equal(text_width(out), 20);
    text_fit_ellipsis(out, sizeof out, "日本語日本語", 6);   /* wide characters: by columns */
    assert_true(text_width(out) == 6);
    assert_non_null(strstr(out, "…"));
}

/* #13.12: the kind groups shown under their translated names; the key
 * column as wide as the keys. */
static void test_group_keys(void **state)
{
    (void)state;
    assert_string_equal(text_group_key("(autoreply)"), "(autoreply)");   /* C locale: the English name */
    assert_string_equal(text_group_key("550 5.1.1"), "550 5.1.1");
    static const fixture_spec dom[] = {
        {"550", "5.1.1", "ana@correo.empresa.example.es", "550 5.1.1 x", "d1", true, 1764496800, RB_KIND_BOUNCE},
        {"550", "5.1.1", "bob@b.example", "550 5.1.1 y", "d2", true, 1764496800, RB_KIND_BOUNCE},
    };
    rb_records rs = fixture_records(dom, 2);
    view v;
    assert_int_equal(view_init(&v, &rs, MODEL_BY_DOMAIN), 0);
    assert_int_equal(text_group_key_width(&v, 40), 25);   /* correo.empresa.example.es */
    assert_int_equal(text_group_key_width(&v, 20), 20);
    char row[512];
    const model_group *g = strcmp(v.groups.v[0].key, "b.example") ? &v.groups.v[0] : &v.groups.v[1];
    text_group_row(row, sizeof row, &v, g, 2, 25);
    assert_non_null(strstr(row, "correo.empresa.example.es "));
    text_group_row(row, sizeof row, &v, g, 2, 16);
    assert_non_null(strstr(row, "correo.empresa.… "));
    view_free(&v);
    rb_records_free(&rs);
}

/* #13.12: the status line starts with what it says, and nothing marked is said in words. */
static void test_status_words(void **state)
{
    (void)state;
    rb_records rs = fixture_records(specs, NSPECS);
    view v;
    assert_int_equal(view_init(&v, &rs, MODEL_BY_CODE), 0);
    char line[1024];
    text_status(line, sizeof line, &v, false, NULL, NULL, 1000);
    assert_true(line[0] != ' ');
    view_set_filter(&v, "zzz-nothing");
    text_status(line, sizeof line, &v, false, NULL, NULL, 1000);
    assert_non_null(strstr(line, "no bounce matches the limit"));
    view_free(&v);
    rb_records_free(&rs);
}

/* The Final-Recipient kept beside the Original one shows in the details (#14.2). */
static void test_explain_final_recipient(void **state)
{
    (void)state;
    rb_records rs = fixture_records(specs, NSPECS);
    text_lines L = {.width = 60};
    text_explain(&L, &rs.v[1], false);
    assert_false(has_line(&L, "Final recipient"));   /* none: no line */
    text_free(&L);
    assert_int_equal(rb_field_dup(&rs.v[0].finalrecipient, "ana@ims-ms-daemon"), 0);
    L.width = 60;
    text_explain(&L, &rs.v[0], false);
    assert_true(has_line(&L, "Final recipient: ana@ims-ms-daemon"));
    text_free(&L);
    rb_records_free(&rs);
}

/* Trial (#13, h-trial 2, 7): why a limit is refused, in words; the help
 * names the kinds "kind:" takes. */
static void test_limit_words(void **state)
{
    (void)state;
    char why[1024];
    text_limit_error(why, sizeof why, VIEW_PATTERN_NO_VALUE, "domain:");
    assert_string_equal(why, "domain: needs a value; the limit stays as it was.");
    text_limit_error(why, sizeof why, VIEW_PATTERN_NO_VALUE, "Subject:  ");
    assert_non_null(strstr(why, "Subject: needs a value"));
    text_limit_error(why, sizeof why, VIEW_PATTERN_NO_KIND, "kind:feedback,bogus,delay");
    assert_string_equal(why, "kind: \"bogus\" is not a kind; the limit stays as it was. Kinds: bounce, delay, "
                             "feedback, autoreply, delivered, challenge, none (not a bounce).");
    text_limit_error(why, sizeof why, VIEW_PATTERN_NO_KIND, "kind:feedback,");
    assert_non_null(strstr(why, "kind: \"\" is not a kind"));
    text_lines L = {.width = 300};
    text_legend_lines(&L);   /* the end of the help */
    assert_true(has_line(&L, "to:, domain:, diag:, subject:, mta: match one field only, and need a value"));
    assert_true(has_line(&L, "kind: takes kinds"));
    assert_true(has_line(&L, "feedback, autoreply"));
    text_free(&L);
}

/* In Spanish the screen names the kinds' groups "(queja)", "(respuesta
 * automática)": "kind:" takes those names too (with or without accents),
 * and the help lists them. Runs last: it binds the catalogue. */
static void test_limit_kind_spanish(void **state)
{
    (void)state;
    char dir[4096];
    ssize_t n = readlink("/proc/self/exe", dir, sizeof dir - 32);
    assert_true(n > 0);
    dir[n] = '\0';
    *strrchr(dir, '/') = '\0';
    strcat(dir, "/../locale");   /* the build tree's catalogue, as src/rebote finds it */
    setenv("LANGUAGE", "es", 1);
    bindtextdomain(PACKAGE, dir);
    bind_textdomain_codeset(PACKAGE, "UTF-8");
    textdomain(PACKAGE);
    assert_string_equal(text_group_key("(feedback)"), "(queja)");   /* the catalogue is there */
    assert_int_equal(model_kind_parse("queja", 5), RB_KIND_FEEDBACK);
    assert_int_equal(model_kind_parse("respuesta automática", strlen("respuesta automática")), RB_KIND_AUTOREPLY);
    assert_int_equal(model_kind_parse("Respuesta Automatica", 20), RB_KIND_AUTOREPLY);
    assert_int_equal(model_kind_parse("no es un rebote", 15), RB_KIND_NONE);
    assert_int_equal(model_kind_parse("feedback", 8), RB_KIND_FEEDBACK);   /* the English names still */
    static const fixture_spec kinds[] = {
        {"550", "5.1.1", "ana@a.example", "550 5.1.1 user unknown", "k1", true, 1000, RB_KIND_BOUNCE},
        {"", "", "bob@b.example", "Estaré fuera", "k2", false, 2000, RB_KIND_AUTOREPLY},
        {"", "", "carl@c.example", "abuse", "k3", false, 3000, RB_KIND_FEEDBACK},
    };
    rb_records rs = fixture_records(kinds, 3);
    view v;
    assert_int_equal(view_init(&v, &rs, MODEL_BY_CODE), 0);
    assert_int_equal(view_set_filter(&v, "kind:queja"), 0);
    assert_int_equal(v.nsel, 1);
    assert_int_equal(rs.v[v.sel[0]].kind, RB_KIND_FEEDBACK);
    assert_int_equal(view_set_filter(&v, "kind:queja,respuesta automática"), 0);
    assert_int_equal(v.nsel, 2);
    view_free(&v);
    rb_records_free(&rs);
    char kinds_text[512];
    text_limit_kinds(kinds_text, sizeof kinds_text);
    assert_non_null(strstr(kinds_text, "feedback (queja)"));
    assert_non_null(strstr(kinds_text, "autoreply (respuesta automática)"));
    assert_non_null(strstr(kinds_text, "bounce (rebote)"));
    assert_string_equal(text_group_key("(bounce)"), "(rebote)");   /* a bounce without codes, by code */
    assert_int_equal(model_kind_parse("rebote", 6), RB_KIND_BOUNCE);
    unsetenv("LANGUAGE");
}

/* Trial (#13, h-trial 3): what a limit lets through and what an export
 * wrote, the kinds counted apart (an auto-reply or an ARF report is no
 * bounce); "limit", never "filter". */
static void test_result_words(void **state)
{
    (void)state;
    static const fixture_spec kinds[] = {
        {"550", "5.1.1", "ana@a.example", "550 5.1.1 user unknown", "k1", true, 1000, RB_KIND_BOUNCE},
        {"550", "5.1.1", "abe@a.example", "550 5.1.1 user unknown", "k2", true, 1000, RB_KIND_BOUNCE},
        {"", "", "bob@a.example", "Estaré fuera", "k3", false, 2000, RB_KIND_AUTOREPLY},
        {"", "", "carl@c.example", "abuse", "k4", false, 3000, RB_KIND_FEEDBACK},
    };
    rb_records rs = fixture_records(kinds, 4);
    view v;
    assert_int_equal(view_init(&v, &rs, MODEL_BY_CODE), 0);
    char line[1024];
    view_set_filter(&v, "a\\.example");
    text_limit_result(line, sizeof line, &v);
    assert_string_equal(line, "2 bounces, 1 auto-reply match the limit");
    view_set_filter(&v, "kind:feedback");
    text_limit_result(line, sizeof line, &v);
    assert_string_equal(line, "1 feedback report matches the limit");
    text_header(line, sizeof line, "demo", 4, &v, 1000, false);
    assert_non_null(strstr(line, "limit: kind:feedback"));
    assert_null(strstr(line, "filter"));
    view_set_filter(&v, "zzz");
    text_limit_result(line, sizeof line, &v);
    assert_string_equal(line, "Nothing matches the limit zzz");
    view_set_filter(&v, "");
    text_limit_result(line, sizeof line, &v);
    assert_string_equal(line, "Limit cleared: 2 bounces, 1 auto-reply, 1 feedback report");
    const size_t all[] = {0, 1, 2, 3};
    text_export_result(line, sizeof line, "x.md", &rs, all, 4, false, false, 0);
    assert_string_equal(line, "Wrote x.md (summary of 2 bounces, 1 auto-reply, 1 feedback report)");
    text_export_result(line, sizeof line, "x.md", &rs, all + 2, 1, true, false, 0);
    assert_string_equal(line, "Wrote x.md (summary of the tagged: 1 auto-reply)");
    text_export_result(line, sizeof line, "r.csv", &rs, all, 4, false, true, 2);
    assert_string_equal(line, "Wrote r.csv (2 recipients)");
    view_free(&v);
    rb_records_free(&rs);
}

/* Trial (#13, h-trial 4): at 80 columns $'s question lost "[y/N]". It is
 * shortened by whole parts (the mailbox first), the answer always there;
 * any question is fitted to a narrower screen the same way. */
static void test_question_narrow(void **state)
{
    (void)state;
    const text_marks m = {.messages = 139, .hidden = 31, .groups = 12};
    const char *title = "/tmp/rebote-demo.Xa81kQ/demo-mailbox-of-the-trial";
    char q[1024], f[1024];
    text_commit_question(q, sizeof q, &m, title, 1000);
    assert_string_equal(q, "Delete 139 messages (12 groups), 31 of them hidden by the limit, from "
                           "/tmp/rebote-demo.Xa81kQ/demo-mailbox-of-the-trial? [y/N] ");
    text_commit_question(q, sizeof q, &m, title, 80);
    assert_string_equal(q, "Delete 139 messages (12 groups), 31 of them hidden by the limit…? [y/N] ");
    assert_true(text_width(q) <= 80);
    text_commit_question(q, sizeof q, &m, title, 60);
    assert_string_equal(q, "Delete 139 messages, 31 of them hidden by the limit…? [y/N] ");
    text_commit_question(q, sizeof q, &m, title, 20);   /* what must stay, stays: the screen cuts the rest */
    assert_non_null(strstr(q, "Delete 139 messages"));
    assert_non_null(strstr(q, "[y/N]"));
    const text_marks one = {.messages = 1, .groups = 1};
    text_commit_question(q, sizeof q, &one, "demo", 80);
    assert_string_equal(q, "Delete 1 message (1 group) from demo? [y/N] ");
    text_question_fit(f, sizeof f, "Deletions are pending and will not happen. Quit? [y/N] ", 40);
    assert_string_equal(f, "Deletions are pending and will… [y/N] ");
    assert_true(text_width(f) <= 40);
    text_question_fit(f, sizeof f, "Short? [y/N] ", 40);
    assert_string_equal(f, "Short? [y/N] ");
    setlocale(LC_ALL, "C");   /* LANG=C: three dots, not the one "." the screen draws for "…" */
    text_commit_question(q, sizeof q, &m, title, 80);
    assert_string_equal(q, "Delete 139 messages (12 groups), 31 of them hidden by the limit...? [y/N] ");
    text_question_fit(f, sizeof f, "Deletions are pending and will not happen. Quit? [y/N] ", 40);
    assert_string_equal(f, "Deletions are pending and will... [y/N] ");
    setlocale(LC_ALL, "C.UTF-8");
}

/* Trial (#13, h-trial 6): a pane shorter than its text says so on its last row. */
static void test_more_marker(void **state)
{
    (void)state;
    text_lines L = {.width = 40};
    for (int i = 0; i < 10; i++)
        text_push(&L, "line", 4, TEXT_NORMAL);
    assert_int_equal(text_lines_hidden(&L, 10), 0);   /* it all fits */
    assert_int_equal(text_lines_hidden(&L, 20), 0);
    assert_int_equal(text_lines_hidden(&L, 8), 3);    /* 7 shown, the 8th row says 3 more */
    text_push(&L, "", 0, TEXT_NORMAL);
    text_push(&L, "", 0, TEXT_NORMAL);
    assert_int_equal(text_lines_hidden(&L, 10), 0);   /* blank lines at the end are nothing more */
    char more[64];
    text_more_line(more, sizeof more, 3);
    assert_string_equal(more, "↓ 3 more lines");
    text_more_line(more, sizeof more, 1);
    assert_string_equal(more, "↓ 1 more line");
    text_free(&L);
}

/* Trial (#13, h-trial 8): a Domino bounce ("because: 451 4.7.1 <addr>:
 * ...") shows the reply itself in its row: no wrapper, no codes, no address. */
static void test_reply_domino(void **state)
{
    (void)state;
    static const reply_case cases[] = {
        {"451", "4.7.1", "because: 451 4.7.1 <diego.5414@yahoo.example>: Recipient address rejected: Greylisted, try again "
                         "in 5 minutes", "Recipient address rejected: Greylisted, try again in 5 minutes"},
        {"450", "4.1.8", "because: 450 4.1.8 <bounce@example.org>: Sender address rejected: Domain not found",
         "Sender address rejected: Domain not found"},
        {"550", "5.1.1", "because: 550 5.1.1 The email account that you tried to reach does not exist.",
         "The email account that you tried to reach does not exist."},
        {"", "5.1.1", "because: User luis (luis@domino.example) not listed in Domino Directory",
         "User luis (luis@domino.example) not listed in Domino Directory"},
        {"550", "5.1.1", "550 5.1.1 <a@b.example>... User unknown", "User unknown"},   /* Sendmail */
        {"550", "5.1.1", "550 5.1.1 <a@b.example>:", "<a@b.example>:"},   /* nothing after it: kept */
        {"550", "5.7.1", "550 5.7.1 <not an address>: refused", "<not an address>: refused"},
    };
    check_replies(cases, sizeof cases / sizeof cases[0]);
}

/* Trial F15: greylisting says "nothing to do: your server retries", but the
 * bounces among a 451 4.7.1 group were returned for good: the pane says the
 * sending server gave up; a group of delays alone does not. */
static void test_group_gave_up(void **state)
{
    (void)state;
    static const fixture_spec grey[] = {
        {"451", "4.7.1", "a@x.example", "451 4.7.1 Greylisted, try again in 5 minutes", "g1", false, 0, RB_KIND_BOUNCE},
        {"451", "4.7.1", "b@x.example", "451 4.7.1 Greylisted, try again in 5 minutes", "g2", false, 0, RB_KIND_BOUNCE},
        {"451", "4.7.1", "c@x.example", "451 4.7.1 Greylisted, try again in 5 minutes", "g3", false, 0, RB_KIND_DELAY},
    };
    rb_records rs = fixture_records(grey, 3);
    view v;
    assert_int_equal(view_init(&v, &rs, MODEL_BY_CODE), 0);
    text_lines L = {.width = 400};
    text_group_explain(&L, &v, &v.groups.v[0], NULL);
    assert_true(has_line(&L, "2 were returned for good although the code is temporary: the sending server gave up."));
    text_free(&L);
    view_free(&v);
    rb_records_free(&rs);
    rs = fixture_records(grey + 2, 1);
    assert_int_equal(view_init(&v, &rs, MODEL_BY_CODE), 0);
    L = (text_lines){.width = 400};
    text_group_explain(&L, &v, &v.groups.v[0], NULL);
    assert_false(has_line(&L, "returned for good"));
    text_free(&L);
    view_free(&v);
    rb_records_free(&rs);
}

/* Trial (#13, h-trial 1): the pane of a group heads it by what the grouping
 * groups by: "(autoreply)" by its kind under every grouping, the bounces
 * without the field as "(unknown)" (a status group of a bounce and a delay
 * is not headed by its first record's kind), never "Remote MTA: -". */
static void test_group_heading_unknown(void **state)
{
    (void)state;
    static const fixture_spec mix[] = {
        {"550", "", "a@x.example", "550 no such user", "u1", true, 0, RB_KIND_BOUNCE},
        {"451", "", "b@x.example", "451 try later", "u2", false, 0, RB_KIND_DELAY},
        {"", "", "c@x.example", "away", "u3", false, 0, RB_KIND_AUTOREPLY},
    };
    rb_records rs = fixture_records(mix, 3);
    view v;
    assert_int_equal(view_init(&v, &rs, MODEL_BY_STATUS), 0);
    assert_int_equal(v.groups.n, 2);
    text_lines L = {.width = 200};
    text_group_explain(&L, &v, &v.groups.v[0], NULL);   /* (unknown): 2 records */
    assert_string_equal(v.groups.v[0].key, "(unknown)");
    assert_string_equal(L.line[0], "Status: (unknown)");
    text_free(&L);
    static const model_by bys[] = {MODEL_BY_STATUS, MODEL_BY_REASON, MODEL_BY_DOMAIN, MODEL_BY_MTA};
    for (size_t b = 0; b < 4; b++) {
        v.by = bys[b];
        assert_int_equal(view_refresh(&v), 0);
        for (size_t i = 0; i < v.groups.n; i++) {
            L = (text_lines){.width = 200};
            text_group_explain(&L, &v, &v.groups.v[i], NULL);
            if (!strcmp(v.groups.v[i].key, "(autoreply)"))
                assert_string_equal(L.line[0], "(autoreply) Auto-reply, not a failure: nothing to do");
            assert_null(strstr(L.line[0], ": -"));
            text_free(&L);
        }
    }
    view_free(&v);
    rb_records_free(&rs);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_group_gave_up),
        cmocka_unit_test(test_width),
        cmocka_unit_test(test_wrap_at_spaces),
        cmocka_unit_test(test_wrap_indent_and_wide),
        cmocka_unit_test(test_cut),
        cmocka_unit_test(test_group_kinds_named),
        cmocka_unit_test(test_field_skips_empty),
        cmocka_unit_test(test_rows),
        cmocka_unit_test(test_header_and_status), cmocka_unit_test(test_header_kinds), cmocka_unit_test(test_header_narrow), cmocka_unit_test(test_position),
        cmocka_unit_test(test_explain),
        cmocka_unit_test(test_explain_final_recipient),
        cmocka_unit_test(test_hint_headings),
        cmocka_unit_test(test_explain_hints),
        cmocka_unit_test(test_marks_under_a_limit),
        cmocka_unit_test(test_kind_advice), cmocka_unit_test(test_not_a_bounce),
        cmocka_unit_test(test_group_explain),
        cmocka_unit_test(test_cell_ascii_fallback),
        cmocka_unit_test(test_severity_and_legend),
        cmocka_unit_test(test_reply_text),
        cmocka_unit_test(test_fit_ellipsis),
        cmocka_unit_test(test_group_keys),
        cmocka_unit_test(test_status_words),
        cmocka_unit_test(test_limit_words),
        cmocka_unit_test(test_result_words),
        cmocka_unit_test(test_question_narrow),
        cmocka_unit_test(test_more_marker),
        cmocka_unit_test(test_reply_domino),
        cmocka_unit_test(test_group_heading_unknown),
        cmocka_unit_test(test_limit_kind_spanish),   /* last: it binds the Spanish catalogue */
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
