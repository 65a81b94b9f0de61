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
    /* words a server says only of a missing mailbox, even when it says them after DATA */
    assert_string_equal(classify("", "554 delivery error: dd This user doesn't have a mail.example account", "DATA"),
                        "userunknown");
    /* refused at MAIL FROM with a vague code: the sender, unless the words blame the host */
    assert_string_equal(classify("5.7.1", "550 5.7.1 Access denied", "MAIL"), "rejected");
    assert_string_equal(classify("5.7.1", "550 5.7.1 Client host blocked using zen.spamhaus.org", "MAIL"), "blocked");
    assert_string_equal(classify("5.7.0", "530 5.7.0 Authentication required", "MAIL"), "securityerror");
    /* a bare SMTP reply (no enhanced code, no command) may have come after DATA */
    reason_input bare = {.status = "", .replycode = "550", .diagnostic = "host mx.example said: 550 User unknown",
                         .action = "failed", .command = "", .prose = true};
    assert_string_equal(reason_classify(&bare), "filtered");
    bare.command = "RCPT";
    assert_string_equal(reason_classify(&bare), "userunknown");
    bare.command = "";
    bare.status = "5.1.1";
    assert_string_equal(reason_classify(&bare), "userunknown");
    reason_input words = {.status = "", .replycode = "", .diagnostic = "Mailbox unknown here", .action = "failed",
                          .command = "", .prose = true};
    assert_string_equal(reason_classify(&words), "userunknown");   /* the MTA's own words, no reply */
    /* refused at the greeting, before any command: the client host is blocked */
    assert_string_equal(classify("", "554 mx.example closing: go elsewhere", "CONN"), "blocked");
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

/* The neighbours of issue 14 class 4, one boundary each, with the
 * precedence written at the reason table (src/analysis/reason.c). */
static void test_boundary_expired_onhold_network(void **state)
{
    (void)state;
    /* a retry period that ran out is expired, even with a network status */
    assert_string_equal(classify("4.4.1", "Delivery attempts will continue to be made for 0 hours; "
                                 "message has been in the queue too long", ""), "expired");
    /* a timed-out connection reads as expired even under 4.4.2: the phrase wins
     * over an X.4.Y status, which MTAs put on either */
    assert_string_equal(classify("4.4.2", "connect to mx.lejos.example[192.0.2.7]:25: Connection timed out", ""),
                        "expired");
    /* a route that loops is a network error */
    assert_string_equal(classify("5.4.6", "554 5.4.6 Too many hops: mail forwarding loop for ana@lejos.example", ""),
                        "networkerror");
    /* words that name nothing, no status: on hold */
    assert_string_equal(classify("", "The message could not be handed on", ""), "onhold");
}

static void test_boundary_suspend_filtered(void **state)
{
    (void)state;
    /* the mailbox is there but switched off: suspend, not a filter */
    assert_string_equal(classify("5.2.1", "550 5.2.1 This account has been disabled or discontinued", "RCPT"),
                        "suspend");
    /* the owner's rule refused the sender: filtered */
    assert_string_equal(classify("5.2.1", "550 5.2.1 Message refused by the recipient's filter rules", "DATA"),
                        "filtered");
}

static void test_boundary_rejected_reputation_blocked(void **state)
{
    (void)state;
    /* the sender's address refused at MAIL FROM: rejected */
    assert_string_equal(classify("5.7.1", "553 5.7.1 Sender address rejected: not owned by user", "MAIL"),
                        "rejected");
    /* the sending IP's reputation: badreputation */
    assert_string_equal(classify("4.7.0", "421 4.7.0 Our system has detected an unusual rate of mail "
                                 "and poor IP reputation", ""), "badreputation");
    /* the client IP on a block list: blocked */
    assert_string_equal(classify("5.7.1", "554 5.7.1 Service unavailable; Client host [198.51.100.3] "
                                 "blocked using bl.lista.example", "RCPT"), "blocked");
}

static void test_boundary_security_auth(void **state)
{
    (void)state;
    /* SPF/DKIM/DMARC failing: authfailure, though 5.7.1 alone is securityerror */
    assert_string_equal(classify("5.7.1", "550 5.7.1 Email rejected per DMARC policy for remitente.example", ""),
                        "authfailure");
    /* 5.7.1 with no words of a neighbour: securityerror */
    assert_string_equal(classify("5.7.1", "550 5.7.1 Delivery not authorized", ""), "securityerror");
}

static void test_boundary_mailboxfull_systemerror(void **state)
{
    (void)state;
    /* the recipient's quota: mailboxfull even with a 4.3.x server status */
    assert_string_equal(classify("4.3.0", "452 4.3.0 Mailbox full: user is over quota", "RCPT"), "mailboxfull");
    /* the server's own trouble: systemerror */
    assert_string_equal(classify("4.3.0", "451 4.3.0 Local error in processing, try again later", ""),
                        "systemerror");
}

static void test_boundary_vacation_userunknown_wording(void **state)
{
    (void)state;
    /* the provider's own words for an unknown mailbox, with a vague status */
    assert_string_equal(classify("5.0.0", "550 This mailbox does not exist here, check the address", "RCPT"),
                        "userunknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_by_status),           cmocka_unit_test(test_by_words),
        cmocka_unit_test(test_boundary_expired_onhold_network), cmocka_unit_test(test_boundary_suspend_filtered),
        cmocka_unit_test(test_boundary_rejected_reputation_blocked), cmocka_unit_test(test_boundary_security_auth),
        cmocka_unit_test(test_boundary_mailboxfull_systemerror),
        cmocka_unit_test(test_boundary_vacation_userunknown_wording),
        cmocka_unit_test(test_userunknown_by_command), cmocka_unit_test(test_addresses_ignored),
        cmocka_unit_test(test_hint_and_fallbacks),  cmocka_unit_test(test_provider_codes),
        cmocka_unit_test(test_hard),                cmocka_unit_test(test_pattern_trigrams),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
