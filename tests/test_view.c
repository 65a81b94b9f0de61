/* The model behind the screen: grouping keys and counts, tags by pattern,
 * filters (regex, substring fallback, field prefixes), sort orders, deletion
 * marks and dropping deleted messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cmocka.h>
#include "rebote/view.h"
#include "fixture.h"


/* Seven records of five messages (m2 and m5 have two recipients each). */
static const fixture_spec specs[] = {
    {"550", "5.1.1", "ana@a.example", "550 5.1.1 user unknown", "m1", false, 1000, RB_KIND_BOUNCE},
    {"550", "5.1.1", "bob@b.example", "550 5.1.1 no such user", "m2", false, 3000, RB_KIND_BOUNCE},
    {"550", "5.1.1", "carl@b.example", "550 5.1.1 no such user", "m2", false, 3000, RB_KIND_BOUNCE},
    {"452", "4.2.2", "dora@a.example", "452 4.2.2 mailbox over quota", "m3", false, 5000, RB_KIND_BOUNCE},
    {"554", "5.7.1", "eve@c.example", "554 5.7.1 blocked by b.example policy", "m4", false, 2000, RB_KIND_BOUNCE},
    {"452", "4.2.2", "fred@c.example", "452 4.2.2 quota exceeded", "m5", false, 4000, RB_KIND_BOUNCE},
    {"550", "5.1.1", "gus@c.example", "550 5.1.1 unknown", "m5", false, 4000, RB_KIND_BOUNCE},
};
#define NSPECS (sizeof specs / sizeof specs[0])


static const model_group *find(const view *v, const char *key)
{
    for (size_t i = 0; i < v->groups.n; i++)
        if (!strcmp(v->groups.v[i].key, key))
            return &v->groups.v[i];
    return NULL;
}

static void test_groups_and_counts(void **state)
{
    (void)state;
    rb_records rs = fixture_records(specs, NSPECS);
    view v;
    assert_int_equal(view_init(&v, &rs, MODEL_BY_CODE), 0);
    assert_int_equal(v.groups.n, 3);
    assert_string_equal(v.groups.v[0].key, "550 5.1.1");   /* largest first */
    const model_group *g = find(&v, "550 5.1.1");
    assert_int_equal(g->records, 4);
    assert_int_equal(g->messages, 3);     /* m1, m2, m5 */
    assert_int_equal(g->recipients, 4);
    assert_int_equal(g->first, 1000);
    assert_int_equal(g->last, 4000);
    g = find(&v, "452 4.2.2");
    assert_int_equal(g->records, 2);
    assert_int_equal(g->messages, 2);
    v.by = MODEL_BY_DOMAIN;
    assert_int_equal(view_refresh(&v), 0);
    assert_int_equal(v.groups.n, 3);
    assert_int_equal(find(&v, "c.example")->records, 3);
    assert_int_equal(find(&v, "b.example")->messages, 1);
    v.by = MODEL_BY_REASON;
    view_refresh(&v);
    assert_int_equal(find(&v, "userunknown")->records, 5);   /* 550 and 554 */
    view_free(&v);
    rb_records_free(&rs);
}

static void test_sort_orders(void **state)
{
    (void)state;
    rb_records rs = fixture_records(specs, NSPECS);
    view v;
    view_init(&v, &rs, MODEL_BY_CODE);
    v.sort = VIEW_SORT_CODE;
    view_refresh(&v);
    assert_string_equal(v.groups.v[0].key, "452 4.2.2");
    assert_string_equal(v.groups.v[2].key, "554 5.7.1");
    v.sort = VIEW_SORT_DATE;   /* most recent last bounce first */
    view_refresh(&v);
    assert_string_equal(v.groups.v[0].key, "452 4.2.2");
    assert_string_equal(v.groups.v[1].key, "550 5.1.1");
    assert_string_equal(v.groups.v[2].key, "554 5.7.1");
    assert_string_equal(view_sort_name(VIEW_SORT_DATE), "date");
    view_free(&v);
    rb_records_free(&rs);
}

/* #13.8: the bounces of a group newest first by default, then by
 * recipient, by domain, by code; the groups stay as they were. */
static void test_bounce_orders(void **state)
{
    (void)state;
    static const fixture_spec b[] = {
        {"550", "5.1.1", "zoe@a.example", "x", "b1", true, 1000, RB_KIND_BOUNCE},
        {"550", "5.1.1", "Ana@c.example", "x", "b2", true, 3000, RB_KIND_BOUNCE},
        {"550", "5.1.1", "bob@b.example", "x", "b3", true, 2000, RB_KIND_BOUNCE},
        {"550", "5.1.1", "cid@a.example", "x", "b4", true, 0, RB_KIND_BOUNCE},
    };
    rb_records rs = fixture_records(b, 4);
    view v;
    assert_int_equal(view_init(&v, &rs, MODEL_BY_CODE), 0);
    const model_group *g = &v.groups.v[0];
    assert_int_equal(v.msort, VIEW_MSORT_DATE);   /* the default: newest first, no date last */
    size_t want_date[] = {1, 2, 0, 3}, want_rcpt[] = {1, 2, 3, 0}, want_dom[] = {0, 3, 2, 1};
    for (size_t k = 0; k < 4; k++)
        assert_int_equal(g->idx[k], want_date[k]);
    v.msort = VIEW_MSORT_RCPT;   /* without case */
    view_refresh(&v);
    g = &v.groups.v[0];
    for (size_t k = 0; k < 4; k++)
        assert_int_equal(g->idx[k], want_rcpt[k]);
    v.msort = VIEW_MSORT_DOMAIN;   /* a.example (newest first), b, c */
    view_refresh(&v);
    g = &v.groups.v[0];
    for (size_t k = 0; k < 4; k++)
        assert_int_equal(g->idx[k], want_dom[k]);
    assert_string_equal(view_msort_name(VIEW_MSORT_RCPT), "recipient");
    assert_string_equal(view_msort_name(VIEW_MSORT_N), "date");
    view_free(&v);
    rb_records_free(&rs);
}

static void test_filter(void **state)
{
    (void)state;
    rb_records rs = fixture_records(specs, NSPECS);
    view v;
    view_init(&v, &rs, MODEL_BY_CODE);
    view_set_filter(&v, "quota");            /* diagnostic, any field */
    assert_int_equal(v.nsel, 2);
    assert_int_equal(v.groups.n, 1);
    view_set_filter(&v, "b\\.example");     /* recipient or diagnostic */
    assert_int_equal(v.nsel, 3);
    view_set_filter(&v, "domain:^b\\.example$");   /* the recipient's domain only */
    assert_int_equal(v.nsel, 2);
    view_set_filter(&v, "TO:^ANA@");         /* prefixes and patterns ignore case */
    assert_int_equal(v.nsel, 1);
    view_set_filter(&v, "diag:(no such|unknown)");
    assert_int_equal(v.nsel, 4);
    view_set_filter(&v, "user [");           /* not a regex: a substring */
    assert_int_equal(v.nsel, 0);
    view_set_filter(&v, "5.7.1");            /* the group key */
    assert_int_equal(v.nsel, 1);
    assert_int_equal(view_set_filter(&v, "to:"), VIEW_PATTERN_NO_VALUE);   /* a prefix alone: refused, the limit kept */
    assert_int_equal(v.nsel, 1);
    view_set_filter(&v, "");
    assert_int_equal(v.nsel, NSPECS);
    view_free(&v);
    rb_records_free(&rs);
}

static void test_tags(void **state)
{
    (void)state;
    rb_records rs = fixture_records(specs, NSPECS);
    view v;
    view_init(&v, &rs, MODEL_BY_CODE);
    assert_int_equal(view_tag_pattern(&v, "domain:c.example", true), 3);
    assert_int_equal(view_tag_pattern(&v, "domain:c.example", true), 0);   /* already tagged */
    size_t groups;
    assert_int_equal(view_count(&v, VIEW_TAGGED, &groups), 3);
    assert_int_equal(groups, 3);
    assert_int_equal(view_tag_pattern(&v, "to:^eve@", false), 1);
    assert_int_equal(view_count(&v, VIEW_TAGGED, &groups), 2);
    /* ';d': mark the tagged */
    assert_int_equal(view_flag_having(&v, VIEW_TAGGED, VIEW_MARKED, true), 2);
    assert_int_equal(view_count(&v, VIEW_MARKED, &groups), 2);
    assert_int_equal(groups, 2);
    /* a filter hides records from tagging */
    view_set_filter(&v, "domain:a.example");
    assert_int_equal(view_tag_pattern(&v, "example", true), 2);
    view_free(&v);
    rb_records_free(&rs);
}

static void test_marks_and_drop(void **state)
{
    (void)state;
    rb_records rs = fixture_records(specs, NSPECS);
    view v;
    view_init(&v, &rs, MODEL_BY_CODE);
    const model_group *g = find(&v, "452 4.2.2");
    size_t gi = (size_t)(g - v.groups.v);
    assert_int_equal(view_flag_group(&v, gi, VIEW_MARKED, true), 3);   /* dora, fred and fred's message's gus */
    assert_int_equal(view_flag_group(&v, gi, VIEW_MARKED, true), 0);
    v.flags[0] |= VIEW_TAGGED;   /* a tag on a record that stays */
    const char **keys;
    unsigned int *uids;
    size_t n = view_marked_messages(&v, &keys, &uids);
    assert_int_equal(n, 2);                  /* m3 and m5 */
    assert_string_equal(keys[0], "m3");
    assert_string_equal(keys[1], "m5");
    assert_int_equal(uids[0], 4);
    view_drop_messages(&v, &rs, keys, n);
    model_messages_free(keys, uids, n);
    assert_int_equal(rs.n, 4);               /* m5's other record (gus) goes too */
    for (size_t i = 0; i < rs.n; i++) {
        assert_string_not_equal(rs.v[i].key, "m3");
        assert_string_not_equal(rs.v[i].key, "m5");
        assert_false(v.flags[i] & VIEW_MARKED);
    }
    assert_true(v.flags[0] & VIEW_TAGGED);   /* flags stayed with their records */
    view_refresh(&v);
    assert_null(find(&v, "452 4.2.2"));
    assert_int_equal(find(&v, "550 5.1.1")->records, 3);
    /* unmarking a group */
    gi = (size_t)(find(&v, "550 5.1.1") - v.groups.v);
    view_flag_group(&v, gi, VIEW_MARKED, true);
    assert_int_equal(view_flag_group(&v, gi, VIEW_MARKED, false), 3);
    assert_int_equal(view_count(&v, VIEW_MARKED, NULL), 0);
    n = view_marked_messages(&v, &keys, &uids);
    assert_int_equal(n, 0);
    model_messages_free(keys, uids, n);
    view_free(&v);
    rb_records_free(&rs);
}

/* Records appended after a drop (the screen's reload) start without flags:
 * the flags array must not keep the dropped records' marks past the end.
 * Before the fix the appended records inherited shifted MARKED flags. */
static void test_drop_then_append_unmarked(void **state)
{
    (void)state;
    rb_records rs = fixture_records(specs, NSPECS);
    view v;
    view_init(&v, &rs, MODEL_BY_CODE);
    for (size_t i = 0; i < rs.n; i++)   /* every record marked */
        v.flags[i] = VIEW_MARKED;
    const char *drop[] = {"m1", "m2"};   /* the first three records */
    view_drop_messages(&v, &rs, drop, 2);
    assert_int_equal(rs.n, NSPECS - 3);
    assert_int_equal(v.nflags, rs.n);
    rb_records more = fixture_records(specs, 3);   /* three records come back (a reload) */
    rb_records_move(&more, &rs);
    rb_records_free(&more);
    assert_int_equal(view_sync(&v), 0);
    for (size_t i = NSPECS - 3; i < rs.n; i++)
        assert_int_equal(v.flags[i], 0);   /* nothing marked that the user did not mark */
    assert_int_equal(view_count(&v, VIEW_MARKED, NULL), NSPECS - 3);
    view_free(&v);
    rb_records_free(&rs);
}

static void test_empty(void **state)
{
    (void)state;
    rb_records rs;
    rb_records_init(&rs);
    view v;
    assert_int_equal(view_init(&v, &rs, MODEL_BY_CODE), 0);
    assert_int_equal(v.groups.n, 0);
    assert_int_equal(view_flag_group(&v, 0, VIEW_MARKED, true), 0);
    assert_int_equal(view_tag_pattern(&v, "x", true), 0);
    view_free(&v);
    rb_records_free(&rs);
}

/* Totals over a selection: distinct message keys, a record without a key
 * as a message of its own, recipients without case. */
static void test_totals(void **state)
{
    (void)state;
    rb_records rs = fixture_records(specs, NSPECS);
    size_t msgs, rcpts;
    assert_int_equal(model_totals(&rs, NULL, rs.n, &msgs, &rcpts), 0);
    assert_int_equal(msgs, 5);
    assert_int_equal(rcpts, 7);
    rb_record_set(&rs.v[1].recipient, "ANA@A.example", 13);   /* ana@a.example again */
    free(rs.v[6].key);
    rs.v[6].key = NULL;                                     /* gus: a message of its own */
    const size_t sel[] = {0, 1, 5, 6};
    assert_int_equal(model_totals(&rs, sel, 4, &msgs, &rcpts), 0);
    assert_int_equal(msgs, 4);   /* m1, m2, m5, and gus's */
    assert_int_equal(rcpts, 3);  /* ana twice, fred, gus */
    assert_int_equal(model_totals(&rs, sel, 0, &msgs, &rcpts), 0);
    assert_int_equal(msgs + rcpts, 0);
    rb_records_free(&rs);
}

/* Patterns whose regex glibc runs for minutes are plain text (the screen
 * says so); ordinary regexes stay regexes. */
static void test_risky_regex_plain(void **state)
{
    (void)state;
    static const char *const risky[] = {
        "diag:(.*)*(.*)*(.*)*(.*)*(.*)*\\1\\2\\3x", "(.+)\\1", "(a{1,100}){1,100}x", "a{0,20}{0,20}",
        "a{1,200}", "a{1}b{1}c{1}",
    };
    static const char *const fine[] = {
        "gmail|yahoo", "^5\\.1\\.[0-9]$", "(.*)*x", "user[0-9]{1,3}@", "[{]a{2}", "a\\{1000\\}", "[]{]x",
    };
    view_pattern p = {0};
    for (size_t i = 0; i < sizeof risky / sizeof *risky; i++) {
        view_pattern_set(&p, risky[i]);
        assert_false(p.is_regex);
    }
    for (size_t i = 0; i < sizeof fine / sizeof *fine; i++) {
        view_pattern_set(&p, fine[i]);
        if (!p.is_regex)
            fail_msg("not a regex: %s", fine[i]);
    }
    view_pattern_free(&p);
}

/* Trial (#13, h-trial 1): auto-replies, feedback and mail that is no bounce
 * keep their own groups under every grouping, not a "-" group with the
 * bounces that lack the field; those bounces go into "(unknown)". */
static void test_kind_groups_every_grouping(void **state)
{
    (void)state;
    static const fixture_spec kinds[] = {
        {"550", "5.1.1", "ana@a.example", "550 5.1.1 user unknown", "k1", true, 1000, RB_KIND_BOUNCE},
        {"", "", "bob@b.example", "I am away", "k2", false, 2000, RB_KIND_AUTOREPLY},
        {"", "", "carl@c.example", "abuse", "k3", false, 3000, RB_KIND_FEEDBACK},
        {"", "", "", "hello", "k4", false, 4000, RB_KIND_NONE},
        {"550", "", "nodomain", "550 no such user", "k5", true, 5000, RB_KIND_BOUNCE},
    };
    rb_records rs = fixture_records(kinds, sizeof kinds / sizeof kinds[0]);
    rb_record_set(&rs.v[0].rhost, "mx.a.example", 12);
    rs.v[4].reason = "";
    static const model_by bys[] = {MODEL_BY_CODE, MODEL_BY_STATUS, MODEL_BY_REASON, MODEL_BY_DOMAIN, MODEL_BY_MTA};
    for (size_t b = 0; b < sizeof bys / sizeof bys[0]; b++) {
        char key[160];
        model_key(&rs.v[1], bys[b], key, sizeof key);
        assert_string_equal(key, "(autoreply)");
        model_key(&rs.v[2], bys[b], key, sizeof key);
        assert_string_equal(key, "(feedback)");
        model_key(&rs.v[3], bys[b], key, sizeof key);
        assert_string_equal(key, MODEL_KEY_NONE);
        model_key(&rs.v[4], bys[b], key, sizeof key);
        assert_string_not_equal(key, "-");
        if (bys[b] != MODEL_BY_CODE)
            assert_string_equal(key, MODEL_KEY_UNKNOWN);
        model_groups g;
        assert_int_equal(model_group_records(&rs, bys[b], &g), 0);
        for (size_t i = 0; i < g.n; i++)
            assert_string_not_equal(g.v[i].key, "-");
        model_groups_free(&g);
    }
    char key[160];
    model_key(&rs.v[0], MODEL_BY_MTA, key, sizeof key);
    assert_string_equal(key, "mx.a.example");
    model_key(&rs.v[1], MODEL_BY_RCPT_DOMAIN, key, sizeof key);   /* the breakdowns' domain: every kind's */
    assert_string_equal(key, "b.example");
    rb_records_free(&rs);
}

/* Trial (#13, h-trial 2 and 7): "kind:" limits to kinds named as records
 * name them or as the screen names their groups; a field prefix with
 * nothing after it, or a name that is no kind's, is refused and the
 * previous limit stays. */
static void test_limit_kind(void **state)
{
    (void)state;
    static const fixture_spec kinds[] = {
        {"550", "5.1.1", "ana@a.example", "550 5.1.1 user unknown", "k1", true, 1000, RB_KIND_BOUNCE},
        {"", "", "bob@b.example", "I am away", "k2", false, 2000, RB_KIND_AUTOREPLY},
        {"", "", "carl@c.example", "abuse", "k3", false, 3000, RB_KIND_FEEDBACK},
        {"", "", "dan@c.example", "abuse", "k4", false, 3000, RB_KIND_FEEDBACK},
        {"", "", "", "hello", "k5", false, 4000, RB_KIND_NONE},
        {"451", "4.4.7", "eve@e.example", "451 4.4.7 later", "k6", false, 5000, RB_KIND_DELAY},
    };
    rb_records rs = fixture_records(kinds, sizeof kinds / sizeof kinds[0]);
    view v;
    assert_int_equal(view_init(&v, &rs, MODEL_BY_CODE), 0);
    static const struct { const char *pattern; size_t n; } ok[] = {
        {"kind:feedback", 2}, {"KIND:Feedback", 2}, {"kind:autoreply", 1}, {"kind:auto-reply", 1},
        {"kind:feedback,autoreply", 3}, {"kind: bounce , delay", 2}, {"kind:none", 1}, {"kind:not a bounce", 1},
        {"kind:delay", 1},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        assert_int_equal(view_set_filter(&v, ok[i].pattern), 0);
        if (v.nsel != ok[i].n)
            fail_msg("%s: %zu records, not %zu", ok[i].pattern, v.nsel, ok[i].n);
    }
    assert_int_equal(model_kind_parse("feedback", 8), RB_KIND_FEEDBACK);
    assert_int_equal(model_kind_parse("feedbackx", 8), RB_KIND_FEEDBACK);   /* n bytes only */
    assert_int_equal(model_kind_parse("queja", 5), -1);   /* no catalogue here: English names only */
    assert_int_equal(model_kind_parse("", 0), -1);
    /* refused: the previous limit ("kind:delay") stays, its records too */
    assert_int_equal(view_set_filter(&v, "kind:nothing"), VIEW_PATTERN_NO_KIND);
    assert_int_equal(view_set_filter(&v, "kind:feedback,"), VIEW_PATTERN_NO_KIND);
    static const char *const empty[] = {"domain:", "to:", "diag:", "subject:", "mta:", "kind:", "DOMAIN:  "};
    for (size_t i = 0; i < sizeof empty / sizeof empty[0]; i++)
        assert_int_equal(view_set_filter(&v, empty[i]), VIEW_PATTERN_NO_VALUE);
    assert_string_equal(v.filter.text, "kind:delay");
    assert_int_equal(v.nsel, 1);
    view_pattern p = {0};
    assert_int_equal(view_pattern_set(&p, "domain:"), VIEW_PATTERN_NO_VALUE);
    assert_int_equal(view_tag_pattern(&v, "to:", true), 0);   /* a tag pattern alone tags nothing */
    view_pattern_free(&p);
    view_free(&v);
    rb_records_free(&rs);
}

/* The reference order of the bounces of a group: the comparison the view
 * made on the records at each step before it computed sort keys. */
static const rb_records *ref_rs;
static view_msort ref_by;
static const char *ref_domain(const char *rcpt)
{
    const char *at = rcpt ? strrchr(rcpt, '@') : NULL;
    return at ? at + 1 : rcpt ? rcpt : "";
}
static int ref_str(const char *a, const char *b)
{
    return strcasecmp(a ? a : "", b ? b : "");
}
static int ref_cmp(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    const rb_record *x = &ref_rs->v[i], *y = &ref_rs->v[j];
    int c = 0;
    if (ref_by == VIEW_MSORT_RCPT)
        c = ref_str(x->recipient, y->recipient);
    else if (ref_by == VIEW_MSORT_DOMAIN)
        c = ref_str(ref_domain(x->recipient), ref_domain(y->recipient));
    else if (ref_by == VIEW_MSORT_CODE && !(c = strcmp(x->replycode, y->replycode)))
        c = strcmp(x->status, y->status);
    if (!c && x->time != y->time)
        c = x->time < y->time ? 1 : -1;
    if (!c && ref_by == VIEW_MSORT_DOMAIN)
        c = ref_str(x->recipient, y->recipient);
    return c ? c : (i > j) - (i < j);
}

/* The sort keys computed once give the order of that comparison, on keys
 * that tie in their first 8 or 16 bytes, differ only in case or in their
 * length, are exactly 8, 16 or 17 bytes long, hold bytes above 0x7F, have
 * no '@', or are missing; codes of every length. */
static void test_bounce_orders_keyed(void **state)
{
    (void)state;
    static const char *const rcpts[] = {
        NULL, "", "a@b", "A@B", "ana@a.example", "ANA@A.EXAMPLE", "ana@a.example.es", "user1234@x.example",
        "user1234@x.examplf", "user1234.1@gmail.example", "USER1234.1@gmail.example", "user1234.10@gmail.example",
        "abcdefgh", "abcdefghi", "abcdefghijklmnop", "abcdefghijklmnopq", "ABCDEFGHIJKLMNOPQ", "abcdefghijklmnoq",
        "x@correo.example.es", "y@correo.example.es", "x@correo.example.eS", "x@empresa.example.es",
        "x@empresa.example.esp", "\xc3\xa1lvaro@\xc3\xb1" "and\xc3\xba.example", "sin-arroba", "z@@double.example",
        "x@abcdefghijklmnop", "x@abcdefghijklmnopq", "x@abcdefghijklmnopr",
    };
    static const char *const codes[][2] = {{"", ""}, {"550", "5.1.1"}, {"550", "5.1.10"}, {"550", "5.1.1"},
                                           {"55", "5.1"}, {"554", "5.7.133"}, {"550", ""}, {"", "4.4.7"},
                                           {"550", "5.7.1333333"}, {"550", "5.7.13333330"}, {"421", "4.7.0"}};
    rb_records rs;
    rb_records_init(&rs);
    srand(13);
    for (size_t i = 0; i < 3000; i++) {
        rb_record *r = rb_records_add(&rs);
        assert_non_null(r);
        const char *a = rcpts[(size_t)rand() % (sizeof rcpts / sizeof *rcpts)];
        if (a)
            rb_record_set(&r->recipient, a, strlen(a));
        size_t c = (size_t)rand() % (sizeof codes / sizeof *codes);
        snprintf(r->replycode, sizeof r->replycode, "%s", codes[c][0]);
        snprintf(r->status, sizeof r->status, "%s", codes[c][1]);
        r->time = rand() % 50;   /* many ties */
        r->kind = RB_KIND_BOUNCE;
        r->reason = "userunknown";
    }
    for (int by = 0; by < MODEL_BY_MTA + 1; by++) {
        view v;
        assert_int_equal(view_init(&v, &rs, (model_by)by), 0);
        for (int m = 0; m < VIEW_MSORT_N; m++) {
            v.msort = (view_msort)m;
            view_resort(&v);
            for (size_t g = 0; g < v.groups.n; g++) {
                const model_group *grp = &v.groups.v[g];
                size_t *want = malloc((grp->nidx ? grp->nidx : 1) * sizeof *want);
                memcpy(want, grp->idx, grp->nidx * sizeof *want);
                ref_rs = &rs;
                ref_by = v.msort;
                qsort(want, grp->nidx, sizeof *want, ref_cmp);
                assert_memory_equal(grp->idx, want, grp->nidx * sizeof *want);
                free(want);
            }
        }
        view_free(&v);
    }
    rb_records_free(&rs);
}

/* Trial F12: deletion is per message. A report for two recipients in two
 * groups: a mark given to one record reaches the other, and so does an
 * unmark; a third message, next to them, is left alone; tags stay per record. */
static void test_marks_whole_message(void **state)
{
    (void)state;
    static const fixture_spec two[] = {
        {"550", "5.1.1", "uno@dest.example", "550 5.1.1 user unknown", "m1", true, 1000, RB_KIND_BOUNCE},
        {"552", "5.2.2", "dos@dest.example", "552 5.2.2 mailbox full", "m1", false, 1000, RB_KIND_BOUNCE},
        {"552", "5.2.2", "tres@dest.example", "552 5.2.2 mailbox full", "m2", false, 2000, RB_KIND_BOUNCE},
    };
    rb_records rs = fixture_records(two, 3);
    view v;
    assert_int_equal(view_init(&v, &rs, MODEL_BY_CODE), 0);
    size_t g511 = v.groups.n;
    for (size_t g = 0; g < v.groups.n; g++)
        if (!strcmp(v.groups.v[g].key, "550 5.1.1"))
            g511 = g;
    assert_true(g511 < v.groups.n);
    assert_int_equal(view_flag_group(&v, g511, VIEW_MARKED, true), 2);   /* its record and the other recipient's */
    size_t groups;
    assert_int_equal(view_count(&v, VIEW_MARKED, &groups), 2);
    assert_int_equal(groups, 2);
    assert_true(v.flags[1] & VIEW_MARKED);
    assert_false(v.flags[2] & VIEW_MARKED);
    assert_int_equal(view_flag_record(&v, 1, VIEW_MARKED, false), 2);   /* from the other group */
    assert_int_equal(view_count(&v, VIEW_MARKED, NULL), 0);
    assert_int_equal(view_flag_record(&v, 0, VIEW_TAGGED, true), 1);
    assert_false(v.flags[1] & VIEW_TAGGED);
    view_free(&v);
    rb_records_free(&rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_groups_and_counts), cmocka_unit_test(test_sort_orders),
        cmocka_unit_test(test_filter), cmocka_unit_test(test_tags),
        cmocka_unit_test(test_marks_and_drop), cmocka_unit_test(test_drop_then_append_unmarked),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_totals),
        cmocka_unit_test(test_bounce_orders),
        cmocka_unit_test(test_bounce_orders_keyed),
        cmocka_unit_test(test_risky_regex_plain),
        cmocka_unit_test(test_kind_groups_every_grouping),
        cmocka_unit_test(test_limit_kind),
        cmocka_unit_test(test_marks_whole_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
