/* The knowledge layer: every registry code and reply code has an entry, the
 * look-up order, disagreements, provider hints and malformed queries. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "rebote/bounce.h"
#include "rebote/explain.h"

/* Listed here from the IANA "SMTP Enhanced Status Codes" registry and RFC 5321,
 * independently of the tables under test. */
static const char *const iana[] = {
    "0.0", "1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "1.8", "1.9", "1.10",
    "2.0", "2.1", "2.2", "2.3", "2.4", "3.0", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6",
    "4.0", "4.1", "4.2", "4.3", "4.4", "4.5", "4.6", "4.7", "5.0", "5.1", "5.2", "5.3",
    "5.4", "5.5", "5.6", "6.0", "6.1", "6.2", "6.3", "6.4", "6.5", "6.6", "6.7", "6.8",
    "6.9", "6.10", "7.0", "7.1", "7.2", "7.3", "7.4", "7.5", "7.6", "7.7", "7.8", "7.9",
    "7.10", "7.11", "7.12", "7.13", "7.14", "7.15", "7.16", "7.17", "7.18", "7.19",
    "7.20", "7.21", "7.22", "7.23", "7.24", "7.25", "7.26", "7.27", "7.28", "7.29", "7.30",
};
static const char *const replies[] = {
    "211", "214", "220", "221", "250", "251", "252", "354", "421", "450", "451", "452",
    "455", "500", "501", "502", "503", "504", "550", "551", "552", "553", "554", "555",
    "521", "523", "530", "535", "541", "571",
};

static void assert_entry_complete(const kb_entry *e)
{
    assert_non_null(e);
    assert_true(strlen(e->title) > 3);
    assert_true(strlen(e->meaning) > 20);
    assert_true(strlen(e->actions) > 10);
}

static void test_every_registry_code(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof iana / sizeof iana[0]; i++) {
        char code[16];
        for (const char *cls = "45"; *cls; cls++) {
            kb_answer a;
            snprintf(code, sizeof code, "%c.%s", *cls, iana[i]);
            assert_true(explain_lookup(NULL, code, NULL, &a));
            if (a.source != KB_FROM_STATUS)
                printf("# no entry for %s\n", code);
            assert_int_equal(a.source, KB_FROM_STATUS);
            assert_entry_complete(a.entry);
        }
    }
}

static void test_every_reply_code(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof replies / sizeof replies[0]; i++) {
        kb_answer a;
        assert_true(explain_lookup(replies[i], NULL, NULL, &a));
        assert_int_equal(a.source, KB_FROM_REPLY);
        assert_entry_complete(a.entry);
    }
}

/* The white paper's thirteen codes read as a guide: longer entries that name
 * the typical causes. */
static void test_white_paper_codes(void **state)
{
    (void)state;
    static const struct { const char *code, *cause; } paper[] = {
        {"421", "concurrent sessions"}, {"450", "greylist"}, {"451", "error of its own"},
        {"452", "webmail"}, {"500", "did not understand"}, {"501", "malformed address"},
        {"502", "does not support"}, {"504", "authentication not enabled"},
        {"550", "does not exist"}, {"551", "not on this server"}, {"552", "over quota"},
        {"553", "non-ASCII"}, {"554", "blocklisted"},
    };
    for (size_t i = 0; i < sizeof paper / sizeof paper[0]; i++) {
        kb_answer a;
        assert_true(explain_lookup(paper[i].code, NULL, NULL, &a));
        printf("# %s\n", paper[i].code);
        assert_non_null(strstr(a.entry->meaning, paper[i].cause));
        assert_true(strlen(a.entry->meaning) > 90);
        assert_non_null(strchr(a.entry->actions, '\n'));   /* several steps */
    }
}

static void test_precedence(void **state)
{
    (void)state;
    kb_answer a;
    assert_true(explain_lookup("550", "5.1.1", "550 5.1.1 user unknown", &a));
    assert_int_equal(a.source, KB_FROM_STATUS);
    assert_string_equal(a.entry->code, "X.1.1");
    assert_string_equal(a.by_reply->code, "550");
    assert_true(explain_lookup("550", "5.1.351", NULL, &a));    /* unknown detail: the reply */
    assert_int_equal(a.source, KB_FROM_REPLY);
    assert_true(explain_lookup(NULL, "5.1.351", NULL, &a));     /* then the subject */
    assert_int_equal(a.source, KB_FROM_SUBJECT);
    assert_string_equal(a.entry->code, "X.1.X");
    assert_true(explain_lookup("599", NULL, NULL, &a) == false); /* not a reply code */
    assert_true(explain_lookup("558", NULL, NULL, &a));          /* unlisted: the class */
    assert_int_equal(a.source, KB_FROM_CLASS);
    assert_string_equal(a.entry->code, "5.X.X");
    assert_true(explain_lookup("550", "5.7.26",
                               "550-5.7.26 This mail has been blocked because the sender is unauthenticated. - gsmtp",
                               &a));
    assert_int_equal(a.source, KB_FROM_HINT);
    assert_string_equal(a.hint->name, "Gmail");
    assert_string_equal(a.entry->code, "X.7.26");
}

static void test_disagreement(void **state)
{
    (void)state;
    kb_answer a;
    assert_true(explain_lookup("550", "4.2.2", NULL, &a));
    assert_true(a.disagree);
    assert_false(a.temporary);                 /* the reply code decides */
    assert_true(explain_lookup("452", "4.2.2", NULL, &a));
    assert_false(a.disagree);
    assert_true(a.temporary);
}

static void test_parse_queries(void **state)
{
    (void)state;
    char r[4], s[16];
    assert_true(explain_parse("550", r, s));
    assert_string_equal(r, "550");
    assert_string_equal(s, "");
    assert_true(explain_parse(" 5.7.133 ", r, s));
    assert_string_equal(s, "5.7.133");
    assert_true(explain_parse("550 5.1.1", r, s));
    assert_string_equal(r, "550");
    assert_string_equal(s, "5.1.1");
    assert_true(explain_parse("550-5.7.26", r, s));
    assert_string_equal(s, "5.7.26");
    assert_true(explain_parse("host mx said: 452 4.2.2 Mailbox full", r, s));
    assert_string_equal(r, "452");
    assert_string_equal(s, "4.2.2");
    const char *bad[] = {"5.1.1.1", "999", "abc", "", "  ", "6.1.1", "55", "5.1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(explain_parse(bad[i], r, s));
}

static void test_hints(void **state)
{
    (void)state;
    unsigned n;
    const kb_hint *h = explain_hint_table(&n);
    assert_true(n >= 30);
    for (unsigned i = 0; i < n; i++) {
        assert_true(strlen(h[i].title) > 5);
        assert_true(strlen(h[i].advice) > 20);
        assert_non_null(h[i].patterns[0]);
    }
    static const struct { const char *diag, *title_has; } cases[] = {
        {"421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred", "TSS04"},
        {"550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent. (S3140)", "S3140"},
        {"550 5.4.1 Recipient address rejected: Access denied. AS(201806281)", "directory"},
        {"554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org", "Spamhaus"},
        {"554 rejected: listed at b.barracudacentral.org", "Barracuda"},
        {"550 5.7.1 blocked, see http://www.spamcop.net/bl.shtml?192.0.2.1", "SpamCop"},
        {"451 4.7.1 Greylisted, try again in 5 minutes", "Greylisting"},
        {"550 5.7.25 The IP address sending this message does not have a PTR record setup", "PTR"},
        {"552 5.3.4 Message size exceeds fixed maximum message size", "too large"},
        {"550 5.7.1 Unauthenticated email is not accepted due to domain's DMARC policy", "DMARC"},
        {"530 5.7.0 Must issue a STARTTLS command first", "TLS"},
        {"421-4.2.1 The user you are trying to contact is receiving mail at a rate that prevents additional messages - gsmtp", "rate"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        kb_answer a;
        printf("# %s\n", cases[i].diag);
        assert_true(explain_lookup(NULL, NULL, cases[i].diag, &a));
        assert_non_null(a.hint);
        assert_non_null(strstr(a.hint->title, cases[i].title_has));
        assert_non_null(a.entry);   /* a code entry beside the hint, never empty */
    }
}

/* A provider's own use of a code wins over the registry (#13.4), and every
 * answer resolves one title, meaning, advice and actor for all views. */
static void test_provider_meaning(void **state)
{
    (void)state;
    kb_answer a;
    assert_true(explain_lookup("550", "5.4.1", "550 5.4.1 Recipient address rejected: Access denied. AS(201806281)", &a));
    assert_true(a.overridden);
    assert_non_null(strstr(a.title, "directory"));
    assert_null(strstr(a.meaning, "did not answer the connection"));
    assert_int_equal(a.who, KB_WHO_SENDER);
    assert_string_equal(explain_retry_id(&a), "no");
    /* greylisting: nobody's fault, the retry passes, no blocklist advice */
    assert_true(explain_lookup("451", "4.7.1", "451 4.7.1 Greylisted, please try again in 300 seconds", &a));
    assert_true(a.overridden);
    assert_int_equal(a.who, KB_WHO_NOBODY);
    assert_string_equal(explain_retry_id(&a), "automatic");
    assert_null(strstr(a.actions, "blocklist"));
    assert_null(strstr(a.meaning, "blocklist"));
    /* a hint without its own meaning keeps the registry's title, gives its advice */
    assert_true(explain_lookup("554", "5.7.1", "554 5.7.1 blocked using zen.spamhaus.org", &a));
    assert_false(a.overridden);
    assert_string_equal(a.title, a.entry->title);
    assert_string_equal(a.actions, a.hint->advice);
    /* no hint: the code's own texts */
    assert_true(explain_lookup("550", "5.1.1", NULL, &a));
    assert_ptr_equal(a.meaning, a.entry->meaning);
    assert_ptr_equal(a.actions, a.entry->actions);
    assert_int_equal(a.who, a.entry->who);
    /* a permanent reply is never "retry later" (the sender does not retry a 5xx) */
    assert_true(explain_lookup("550", "5.4.1", NULL, &a));
    assert_false(a.temporary);
    assert_string_equal(explain_retry_id(&a), "after-fix");
    assert_true(explain_lookup(NULL, "5.4.1", NULL, &a));
    assert_string_equal(explain_retry_id(&a), "after-fix");
    assert_true(explain_lookup("451", "4.4.1", NULL, &a));
    assert_string_equal(explain_retry_id(&a), "automatic");
    /* every hint's meaning, when set, is a sentence */
    unsigned n;
    const kb_hint *h = explain_hint_table(&n);
    for (unsigned i = 0; i < n; i++)
        assert_true(!h[i].meaning || strlen(h[i].meaning) > 40);
    /* the kinds without codes: ARF advice names the complainer and the campaign */
    assert_non_null(strstr(explain_kind_advice(RB_KIND_FEEDBACK), "complainer"));
    assert_non_null(strstr(explain_kind_advice(RB_KIND_FEEDBACK), "campaign"));
    assert_string_equal(explain_kind_advice(RB_KIND_BOUNCE), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_registry_code), cmocka_unit_test(test_every_reply_code),
        cmocka_unit_test(test_white_paper_codes),   cmocka_unit_test(test_precedence),
        cmocka_unit_test(test_disagreement),        cmocka_unit_test(test_parse_queries),
        cmocka_unit_test(test_hints),               cmocka_unit_test(test_provider_meaning),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
