/* Reason classification: status and words together, the command that was
 * refused, provider codes, and the fallbacks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include "internal.h"

static const char *classify(const char *status, const char *diag, const char *command)
{
    reason_input in = {.status = status, .replycode = "", .diagnostic = diag, .action = "failed",
                       .command = command};
    return reason_classify(&in);
}

static void test_by_status(void **state)
{
    (void)state;
    assert_string_equal(classify("5.2.2", "552 sorry", ""), "mailboxfull");
    assert_string_equal(classify("5.1.2", "550 no", ""), "hostunknown");
    assert_string_equal(classify("5.7.26", "550 no", ""), "authfailure");
    assert_string_equal(classify("5.3.4", "552 no", ""), "mesgtoobig");
    assert_string_equal(classify("2.1.5", "250 ok", ""), "delivered");
    assert_string_equal(classify("5.6.0", "554 bad", ""), "contenterror");
}

static void test_by_words(void **state)
{
    (void)state;
    assert_string_equal(classify("", "550 Mailbox full, quota exceeded", ""), "mailboxfull");
    assert_string_equal(classify("5.7.1", "554 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org", ""), "blocked");
    assert_string_equal(classify("5.7.1", "554 <x@y.example>: Relay access denied", "RCPT"), "norelaying");
    assert_string_equal(classify("", "421 Too many connections from your host", ""), "toomanyconn");
    assert_string_equal(classify("5.7.1", "550 The IP address sending this message does not have a PTR record setup", ""), "requireptr");
    assert_string_equal(classify("", "552 Message size exceeds fixed maximum message size", ""), "mesgtoobig");
    assert_string_equal(classify("", "554 5.7.1 Message content rejected, UBE, id=1", "DATA"), "spamdetected");
}

/* "User unknown" is the mailbox at RCPT, a filter after DATA, the sender at MAIL. */
static void test_userunknown_by_command(void **state)
{
    (void)state;
    assert_string_equal(classify("", "550 User unknown", "RCPT"), "userunknown");
    assert_string_equal(classify("", "550 User unknown", "DATA"), "filtered");
    assert_string_equal(classify("5.1.1", "550 5.1.1 <a@b.example>... User unknown", ""), "userunknown");
    assert_string_equal(classify("5.1.8", "553 5.1.8 Domain of sender address a@b does not exist", "MAIL"), "rejected");
}

/* Addresses are not read as words: "filtered@" is no filter. */
static void test_addresses_ignored(void **state)
{
    (void)state;
    assert_string_equal(classify("5.1.1", "550 5.1.1 <filtered@example.jp>... User Unknown", "RCPT"), "userunknown");
}

static void test_hint_and_fallbacks(void **state)
{
    (void)state;
    reason_input in = {.status = "", .diagnostic = "something odd", .action = "failed", .hint = "blocked"};
    assert_string_equal(reason_classify(&in), "blocked");
    reason_input none = {.status = "", .diagnostic = "", .action = "failed"};
    assert_string_equal(reason_classify(&none), "undefined");
    reason_input odd = {.status = "", .diagnostic = "it went wrong", .action = "failed"};
    assert_string_equal(reason_classify(&odd), "onhold");
    reason_input later = {.status = "", .diagnostic = "", .action = "delayed"};
    assert_string_equal(reason_classify(&later), "expired");
    reason_input xunix = {.status = "5.0.0", .diagnostic = "255", .action = "failed", .diagtype = "X-Unix"};
    assert_string_equal(reason_classify(&xunix), "mailererror");
}

static void test_provider_codes(void **state)
{
    (void)state;
    assert_string_equal(provider_reason("cxr.mx.a.cloudfilter.net", "a@cox.net",
                                        "550 5.1.0 sender rejected. AUP#CXBL"), "blocked");
    assert_string_equal(provider_reason("", "a@charter.net", "550 rejected AUP#In-1310"), "toomanyconn");
    assert_string_equal(provider_reason("smtp-in.orange.fr", "a@orange.fr",
                                        "550 5.1.1 Invalid recipient. OFR_416 [416]"), "userunknown");
    assert_null(provider_reason("mx.example.com", "a@example.com", "550 AUP#CXBL"));
}

static void test_hard(void **state)
{
    (void)state;
    assert_true(reason_is_hard("userunknown", "5.1.1", "550"));
    assert_true(reason_is_hard("hostunknown", "5.1.2", ""));
    assert_false(reason_is_hard("userunknown", "4.1.1", "450"));
    assert_false(reason_is_hard("mailboxfull", "5.2.2", "552"));
}

/* reason_from_text rejects a pattern whose first trigram the text lacks
 * before comparing it: patterns that start with a space, that hold a '*',
 * or that are found only after other rows' first trigrams matched, still
 * name their reason. */
static void test_pattern_trigrams(void **state)
{
    (void)state;
    assert_string_equal(reason_from_text("550 the account is currently suspended"), "suspend");
    assert_string_equal(reason_from_text("452 user ana is over the allowed quota"), "mailboxfull");
    assert_string_equal(reason_from_text("552 Mailbox of ana is FULL"), "mailboxfull");
    assert_string_equal(reason_from_text("message size exceeds fixed maximum"), "mesgtoobig");
    assert_null(reason_from_text("250 mailbox ok, message queued"));
    assert_null(reason_from_text("x"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_by_status),           cmocka_unit_test(test_by_words),
        cmocka_unit_test(test_userunknown_by_command), cmocka_unit_test(test_addresses_ignored),
        cmocka_unit_test(test_hint_and_fallbacks),  cmocka_unit_test(test_provider_codes),
        cmocka_unit_test(test_hard),                cmocka_unit_test(test_pattern_trigrams),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
