/* Reply codes and enhanced status codes: strict forms, finding them in text,
 * choosing between the Status: field and the diagnostic. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include "internal.h"

static bool valid(const char *s)
{
    return status_is_valid(s, strlen(s));
}

static void test_valid_forms(void **state)
{
    (void)state;
    const char *good[] = {"5.1.1", "4.4.7", "2.0.0", "5.7.133", "5.1.10", "4.7.26", "5.123.456"};
    const char *bad[] = {"5.1.1.1", "5.1", "3.1.1", "6.0.0", "5.01.1", "5.1.01", "5.1234.1",
                         "5..1", "x.1.1", "5.1.", ".5.1.1", "55.1.1", ""};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        assert_true(valid(good[i]));
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(valid(bad[i]));
}

static void test_find_in_text(void **state)
{
    (void)state;
    char out[16];
    assert_true(status_find("550 5.1.1 <a@b.example>... User unknown", out));
    assert_string_equal(out, "5.1.1");
    assert_true(status_find("said: 550-5.7.133 Sender not authorized.", out));
    assert_string_equal(out, "5.7.133");
    /* IP addresses, versions and longer dotted numbers are not codes */
    assert_false(status_find("host 192.0.2.1 refused", out));
    assert_false(status_find("Exim 4.72 here, code 5.1.1.1", out));
    assert_false(status_find("version v5.1.1", out));
    assert_true(status_find("(#5.4.4)", out));
    assert_string_equal(out, "5.4.4");
}

static void test_replycode(void **state)
{
    (void)state;
    char out[4];
    assert_true(replycode_find("host said: 550 5.1.1 nope", out));
    assert_string_equal(out, "550");
    assert_true(replycode_find("550-5.7.26 Unauthenticated", out));
    assert_string_equal(out, "550");
    assert_true(replycode_find("ERROR_CODE :421, Host not reachable", out));
    assert_string_equal(out, "421");
    assert_false(replycode_find("at 12:550 o'clock, port 2500, 192.0.2.250", out));
    assert_false(replycode_find("no code here", out));
    assert_false(replycode_find("code 650 is not smtp", out));
}

/* The reply a diagnostic reports (issue 14, class 5). */
static void test_replycode_pick(void **state)
{
    (void)state;
    char out[4];
    assert_true(replycode_pick("<<< 250 2.1.0 Ok >>> RCPT TO:<a@b.example> <<< 550 5.1.1 no", out));
    assert_string_equal(out, "550");   /* the failure, not the transcript's 250 */
    assert_true(replycode_pick("554 4.4.7 Message expired <421 4.4.2 Connection timed out>", out));
    assert_string_equal(out, "421");   /* the reply that agrees with its code */
    assert_true(replycode_pick("(reason: 550 Unknown user) ... 554 5.0.0 Service unavailable", out));
    assert_string_equal(out, "550");   /* a labelled reply beats a vague X.0.0 */
    assert_true(replycode_pick("error message: [554 5.4.6 Hop count exceeded]", out));
    assert_string_equal(out, "554");
    assert_true(replycode_pick("550: 5.2.2 <a@b.example>... Mailbox Full", out));
    assert_string_equal(out, "550");
    assert_true(replycode_pick("554 Message rejected: address not verified", out));
    assert_string_equal(out, "554");
    assert_false(replycode_pick("Connection timed out after 300 seconds", out));
    assert_false(replycode_pick("mx.example[192.0.2.1]:465: refused", out));
    assert_true(replycode_pick("554 <a@b.example>... 550 Host unknown", out));
    assert_string_equal(out, "550");   /* the remote's reply after sendmail's own */
    assert_true(replycode_pick("remote host said: 550", out));
    assert_string_equal(out, "550");   /* a code that ends the text (read under ASan) */
    assert_true(replycode_pick("<<< 250 2.0.0 Ok: queued", out));
    assert_string_equal(out, "250");   /* only a success code: it is the reply */
}

static void test_prefer(void **state)
{
    (void)state;
    char out[16];
    status_prefer("5.0.0", "5.1.1", "550", out);      /* X.0.0 gives way */
    assert_string_equal(out, "5.1.1");
    status_prefer("5.1.1", "5.0.0", "550", out);
    assert_string_equal(out, "5.1.1");
    status_prefer("4.4.7", "4.4.2", "", out);         /* "expired" is vague */
    assert_string_equal(out, "4.4.2");
    status_prefer("5.1.1", "5.7.1", "", out);
    assert_string_equal(out, "5.7.1");
    status_prefer("4.2.2", "5.2.2", "552", out);      /* the reply's class decides */
    assert_string_equal(out, "5.2.2");
    status_prefer("", "5.2.2", "", out);
    assert_string_equal(out, "5.2.2");
    status_prefer("5.2.2", "", "", out);
    assert_string_equal(out, "5.2.2");
}

static void test_pick(void **state)
{
    (void)state;
    char out[16];
    assert_true(status_pick("554 4.4.7 Message expired <421 4.4.2 Connection timed out>", '4', out));
    assert_string_equal(out, "4.4.2");
    assert_true(status_pick("5.1.0 - Unknown address error 550-'5.2.2 <a@b.example>... Mailbox Full'", 0, out));
    assert_string_equal(out, "5.2.2");
    assert_true(status_pick("550 5.0.0 only vague", '5', out));
    assert_string_equal(out, "5.0.0");
    assert_false(status_pick("nothing", 0, out));
}

static void test_status_for_reason(void **state)
{
    (void)state;
    char out[16];
    status_for_reason("userunknown", false, out);
    assert_string_equal(out, "5.1.1");
    status_for_reason("mailboxfull", true, out);
    assert_string_equal(out, "4.2.2");
    status_for_reason("expired", true, out);
    assert_string_equal(out, "4.4.7");
    status_for_reason("no-such-reason", false, out);
    assert_string_equal(out, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_forms),   cmocka_unit_test(test_find_in_text),
        cmocka_unit_test(test_replycode),     cmocka_unit_test(test_replycode_pick),
        cmocka_unit_test(test_prefer),
        cmocka_unit_test(test_pick),          cmocka_unit_test(test_status_for_reason),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
