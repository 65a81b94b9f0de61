/* Records for the model and export unit tests, one line of a table each.
 * Header-only: included, after cmocka.h, by one test program each. */
#ifndef REBOTE_TEST_FIXTURE_H
#define REBOTE_TEST_FIXTURE_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "rebote/bounce.h"

typedef struct {
    const char *reply, *status, *rcpt, *diag, *key;
    bool hard;
    long long time;
    rb_kind kind;
} fixture_spec;

/* The records of specs[0..n): uid = position + 1; reason mailboxfull for a
 * 4xx reply, userunknown otherwise. Fails the test if one is missing. */
static inline rb_records fixture_records(const fixture_spec *specs, size_t n)
{
    rb_records rs;
    rb_records_init(&rs);
    for (size_t i = 0; i < n; i++) {
        rb_record *r = rb_records_add(&rs);
        if (!r)
            break;
        r->kind = specs[i].kind;
        snprintf(r->replycode, sizeof r->replycode, "%s", specs[i].reply);
        snprintf(r->status, sizeof r->status, "%s", specs[i].status);
        rb_record_set(&r->recipient, specs[i].rcpt, strlen(specs[i].rcpt));
        rb_record_set(&r->diagnostic, specs[i].diag, strlen(specs[i].diag));
        rb_record_set(&r->key, specs[i].key, strlen(specs[i].key));
        r->reason = r->replycode[0] == '4' ? "mailboxfull" : "userunknown";
        r->hardbounce = specs[i].hard;
        r->time = specs[i].time;
        r->uid = (unsigned)i + 1;
    }
    assert_int_equal(rs.n, n);
    return rs;
}

#endif
