/* RFC 3464 delivery-status bodies: blocks, unfolding, types, odd layouts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "internal.h"

static void parse(const char *text, dsn_report *r)
{
    dsn_parse(text, strlen(text), r);
}

static void test_blocks_and_folding(void **state)
{
    (void)state;
    dsn_report r;
    parse("Reporting-MTA: dns; mx.example.org\n"
          "Arrival-Date: Mon, 2 Nov 2026 10:00:00 +0100\n"
          "\n"
          "Final-Recipient: rfc822; Ana@Example.COM\n"
          "Action: failed\n"
          "Status: 5.1.1\n"
          "Remote-MTA: dns; mx.example.com\n"
          "Diagnostic-Code: smtp; 550 5.1.1 <ana@example.com>:\n"
          "    Recipient address rejected: User unknown\n"
          "\n"
          "Original-Recipient: rfc822;b@example.net\n"
          "Final-Recipient: rfc822;b@example.net\n"
          "Action: delayed\n"
          "Status: 4.4.1\n"
          "Diagnostic-Code: X-Postfix; connect to mx.example.net: Connection timed out\n",
          &r);
    assert_int_equal(r.n, 2);
    assert_string_equal(r.lhost, "mx.example.org");
    assert_string_equal(r.v[0].recipient, "ana@example.com");
    assert_string_equal(r.v[0].action, "failed");
    assert_string_equal(r.v[0].status, "5.1.1");
    assert_string_equal(r.v[0].rhost, "mx.example.com");
    assert_string_equal(r.v[0].diagtype, "smtp");
    assert_string_equal(r.v[0].diagnostic,
                        "550 5.1.1 <ana@example.com>: Recipient address rejected: User unknown");
    assert_string_equal(r.v[1].recipient, "b@example.net");
    assert_string_equal(r.v[1].action, "delayed");
    assert_string_equal(r.v[1].diagtype, "X-Postfix");
    dsn_free(&r);
}

/* Two recipients in one block, no blank line (seen from AOL). */
static void test_recipients_without_blank_line(void **state)
{
    (void)state;
    dsn_report r;
    parse("Reporting-MTA: dns; omr.example.com\n\n"
          "Final-Recipient: rfc822; a@example.jp\nAction: failed\nStatus: 5.2.2\n"
          "Final-Recipient: rfc822; b@example.jp\nAction: failed\nStatus: 5.1.1\n", &r);
    assert_int_equal(r.n, 2);
    assert_string_equal(r.v[0].status, "5.2.2");
    assert_string_equal(r.v[1].recipient, "b@example.jp");
    assert_string_equal(r.v[1].status, "5.1.1");
    dsn_free(&r);
}

/* Local host names without dots, and X-Actual-Recipient when Final is missing. */
static void test_odd_recipients(void **state)
{
    (void)state;
    dsn_report r;
    parse("Final-Recipient: rfc822; kijitora@mailhub0\nAction: failed\nStatus: 5.2.0\n\n"
          "X-Actual-Recipient: rfc822; c@example.org\nAction: failed\nStatus: 5.0.0\n\n"
          "Action: failed\nStatus: 5.0.0\n", &r);
    assert_int_equal(r.n, 2);
    assert_string_equal(r.v[0].recipient, "kijitora@mailhub0");
    assert_string_equal(r.v[1].recipient, "c@example.org");
    dsn_free(&r);
}

static void test_strip_type(void **state)
{
    (void)state;
    char type[24];
    assert_string_equal(dsn_strip_type("smtp; 550 nope", type, sizeof type), "550 nope");
    assert_string_equal(type, "smtp");
    assert_string_equal(dsn_strip_type("X-Unix; 255", type, sizeof type), "255");
    assert_string_equal(type, "X-Unix");
    assert_string_equal(dsn_strip_type("550 5.1.1 a; b", type, sizeof type), "550 5.1.1 a; b");
    assert_string_equal(type, "");
}

static void test_empty_and_garbage(void **state)
{
    (void)state;
    dsn_report r;
    parse("", &r);
    assert_int_equal(r.n, 0);
    dsn_free(&r);
    parse("\n\n\n   \n:::\nFinal-Recipient:\n\n", &r);
    assert_int_equal(r.n, 0);
    dsn_free(&r);
}

/* One recipient block with both headers; r.v[0] checked by the caller. */
static void parse_pair(const char *orig, const char *final, dsn_report *r)
{
    char text[512];
    snprintf(text, sizeof text, "Reporting-MTA: dns; mta.example.org\n\n"
             "Original-Recipient: rfc822;%s\nFinal-Recipient: rfc822;%s\n"
             "Action: failed\nStatus: 5.1.1\n", orig, final);
    parse(text, r);
    assert_int_equal(r->n, 1);
}

static void expect_pair(const char *orig, const char *final, const char *rcpt, const char *other)
{
    dsn_report r;
    parse_pair(orig, final, &r);
    assert_string_equal(r.v[0].recipient, rcpt);
    if (other)
        assert_string_equal(r.v[0].finalrecipient, other);
    else
        assert_null(r.v[0].finalrecipient);
    dsn_free(&r);
}

/* Original-Recipient vs Final-Recipient (issue 14, class 2): the address
 * the sender used wins over an internal rewrite, the rewrite is kept. */
static void test_original_recipient(void **state)
{
    (void)state;
    /* routing host without dots (Sun/Oracle Messaging Server) */
    expect_pair("pablo@correo.example", "pablo@ims-ms-daemon", "pablo@correo.example", "pablo@ims-ms-daemon");
    /* source route to an internal host */
    expect_pair("rosa@correo.example", "@relay.correo.example:rosa@buzon", "rosa@correo.example",
                "@relay.correo.example:rosa@buzon");
    /* local alias: same domain, another mailbox */
    expect_pair("ventas@tienda.example", "maria.lopez@tienda.example", "ventas@tienda.example",
                "maria.lopez@tienda.example");
    /* no domain at all */
    expect_pair("luis@correo.example", "luis", "luis@correo.example", "luis");
    /* the same mailbox, quoted or in other case: no rewrite */
    expect_pair("\"a.b\"@correo.example", "A.B@correo.example", "a.b@correo.example", NULL);
    /* a forward to another domain: the final mailbox is where it failed */
    expect_pair("eva@viejo.example", "eva@nuevo.example", "eva@nuevo.example", NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blocks_and_folding), cmocka_unit_test(test_recipients_without_blank_line),
        cmocka_unit_test(test_odd_recipients),     cmocka_unit_test(test_strip_type),
        cmocka_unit_test(test_empty_and_garbage),  cmocka_unit_test(test_original_recipient),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
