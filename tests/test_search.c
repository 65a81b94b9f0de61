/* The screen's search (/, n, N): the next matching group or bounce in the
 * order the screen lists them, forward and backward, wrapping and saying
 * so; not found; field prefixes as in the limit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "rebote/view.h"
#include "../src/tui/search.h"
#include "fixture.h"

/* By code, largest first: 550 5.1.1 (gus, bob, carl, ana: newest first),
 * 452 4.2.2 (dora, fred), 554 5.7.1 (eve, whose diagnostic names b.example). */
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

typedef struct {
    rb_records rs;
    view v;
    view_pattern p;
} fix;

static int setup(void **state)
{
    fix *f = calloc(1, sizeof *f);
    f->rs = fixture_records(specs, NSPECS);
    assert_int_equal(view_init(&f->v, &f->rs, MODEL_BY_CODE), 0);
    assert_string_equal(f->v.groups.v[0].key, "550 5.1.1");
    assert_string_equal(f->v.groups.v[1].key, "452 4.2.2");
    assert_string_equal(f->v.groups.v[2].key, "554 5.7.1");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fix *f = *state;
    view_pattern_free(&f->p);
    view_free(&f->v);
    rb_records_free(&f->rs);
    free(f);
    return 0;
}

static const char *rcpt(const fix *f, search_pos s)
{
    return f->rs.v[f->v.groups.v[s.g].idx[s.m]].recipient;
}

static void test_groups(void **state)
{
    fix *f = *state;
    search_pos at = {9, 9};
    bool wrapped = true;
    view_pattern_set(&f->p, "c\\.example");   /* gus (550), fred (452), eve (554) */
    assert_true(search_find(&f->v, &f->p, false, 1, (search_pos){0, 0}, &at, &wrapped));
    assert_int_equal(at.g, 1);
    assert_false(wrapped);
    assert_true(search_find(&f->v, &f->p, false, 1, (search_pos){2, 0}, &at, &wrapped));
    assert_int_equal(at.g, 0);
    assert_true(wrapped);
    assert_true(search_find(&f->v, &f->p, false, -1, (search_pos){0, 0}, &at, &wrapped));
    assert_int_equal(at.g, 2);
    assert_true(wrapped);
    assert_true(search_find(&f->v, &f->p, false, -1, (search_pos){2, 0}, &at, &wrapped));
    assert_int_equal(at.g, 1);
    assert_false(wrapped);
}

static void test_only_itself(void **state)
{
    fix *f = *state;
    search_pos at;
    bool wrapped;
    view_pattern_set(&f->p, "dora");
    assert_true(search_find(&f->v, &f->p, false, 1, (search_pos){1, 0}, &at, &wrapped));
    assert_int_equal(at.g, 1);   /* round the list, back to where it was */
    assert_true(wrapped);
    assert_true(search_group_matches(&f->v, &f->p, 1));
    assert_false(search_group_matches(&f->v, &f->p, 0));
}

static void test_bounces(void **state)
{
    fix *f = *state;
    search_pos at;
    bool wrapped;
    view_pattern_set(&f->p, "b\\.example");   /* bob, carl; eve's diagnostic */
    assert_true(search_find(&f->v, &f->p, true, 1, (search_pos){0, 0}, &at, &wrapped));
    assert_string_equal(rcpt(f, at), "bob@b.example");
    assert_false(wrapped);
    assert_true(search_find(&f->v, &f->p, true, 1, at, &at, &wrapped));
    assert_string_equal(rcpt(f, at), "carl@b.example");
    assert_true(search_find(&f->v, &f->p, true, 1, at, &at, &wrapped));   /* into the next groups */
    assert_string_equal(rcpt(f, at), "eve@c.example");
    assert_int_equal(at.g, 2);
    assert_false(wrapped);
    assert_true(search_find(&f->v, &f->p, true, 1, at, &at, &wrapped));
    assert_string_equal(rcpt(f, at), "bob@b.example");
    assert_true(wrapped);
    assert_true(search_find(&f->v, &f->p, true, -1, at, &at, &wrapped));   /* N: backward, wrapping */
    assert_string_equal(rcpt(f, at), "eve@c.example");
    assert_true(wrapped);
    assert_true(search_find(&f->v, &f->p, true, -1, at, &at, &wrapped));
    assert_string_equal(rcpt(f, at), "carl@b.example");
    assert_false(wrapped);
}

static void test_fields_and_none(void **state)
{
    fix *f = *state;
    search_pos at = {7, 7};
    bool wrapped = true;
    view_pattern_set(&f->p, "to:b\\.example");   /* the recipient only: not eve */
    assert_true(search_find(&f->v, &f->p, true, 1, (search_pos){0, 2}, &at, &wrapped));
    assert_string_equal(rcpt(f, at), "bob@b.example");
    assert_true(wrapped);
    view_pattern_set(&f->p, "zzz");
    assert_false(search_find(&f->v, &f->p, true, 1, (search_pos){0, 0}, &at, &wrapped));
    assert_false(wrapped);
    assert_false(search_find(&f->v, &f->p, false, -1, (search_pos){0, 0}, &at, &wrapped));
    view_pattern_set(&f->p, "");
    at = (search_pos){7, 7};
    assert_false(search_find(&f->v, &f->p, false, 1, (search_pos){0, 0}, &at, &wrapped));
    assert_int_equal(at.g, 7);   /* untouched */
    view_pattern_set(&f->p, "gus");   /* a position out of range starts at the top */
    assert_true(search_find(&f->v, &f->p, true, 1, (search_pos){99, 99}, &at, &wrapped));
    assert_string_equal(rcpt(f, at), "gus@c.example");
}

/* D and U: the deletion mark by pattern, within the limit, saying how many changed. */
static void test_flag_pattern(void **state)
{
    fix *f = *state;
    assert_int_equal(view_flag_pattern(&f->v, "b\\.example", VIEW_MARKED, true), 3);   /* bob, carl, eve */
    assert_int_equal(view_flag_pattern(&f->v, "b\\.example", VIEW_MARKED, true), 0);   /* already */
    assert_int_equal(view_count(&f->v, VIEW_MARKED, NULL), 3);
    assert_int_equal(view_count(&f->v, VIEW_TAGGED, NULL), 0);
    assert_int_equal(view_flag_pattern(&f->v, "to:eve", VIEW_MARKED, false), 1);
    assert_int_equal(view_set_filter(&f->v, "to:bob"), 0);   /* the limit hides carl */
    /* but carl is the other recipient of bob's message: deletion is per message, so he follows */
    assert_int_equal(view_flag_pattern(&f->v, "b\\.example", VIEW_MARKED, false), 2);
    assert_int_equal(view_set_filter(&f->v, ""), 0);
    assert_int_equal(view_count(&f->v, VIEW_MARKED, NULL), 0);
    assert_int_equal(view_flag_pattern(&f->v, "", VIEW_MARKED, false), 0);
}

/* The model says why a pattern is plain text; the screen prints it. */
static void test_plain_flag(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        view_plain plain;
    } cases[] = {
        {"gmail|yahoo", VIEW_PLAIN_NO}, {"to:", VIEW_PLAIN_NO}, {"", VIEW_PLAIN_NO}, {"a[", VIEW_PLAIN_INVALID},
        {"diag:(", VIEW_PLAIN_INVALID}, {"x{2,1}", VIEW_PLAIN_INVALID}, {"(.*)*\\1x", VIEW_PLAIN_COSTLY},
        {"(a{1,100}){1,100}x", VIEW_PLAIN_COSTLY},
    };
    view_pattern p = {0};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        view_pattern_set(&p, cases[i].text);
        if (p.plain != cases[i].plain)
            fail_msg("%s: plain %d, not %d", cases[i].text, (int)p.plain, (int)cases[i].plain);
        assert_true(p.is_regex == (cases[i].plain == VIEW_PLAIN_NO && p.expr[0]));
    }
    view_pattern_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_groups, setup, teardown),
        cmocka_unit_test_setup_teardown(test_only_itself, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bounces, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fields_and_none, setup, teardown),
        cmocka_unit_test(test_plain_flag),
        cmocka_unit_test_setup_teardown(test_flag_pattern, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
