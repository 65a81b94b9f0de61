/* The MIME walk: the top-level header block read by rebote (GMime's rules),
 * the body by GMime behind the Content- fields, message/rfc822 as a leaf,
 * and the trigram filter of the searches. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "rebote/analysis.h"
#include "internal.h"
#include "view_diff.h"

static bool parse(const char *text, msg_view *m)
{
    msg_view_init(m);
    return mime_parse(text, strlen(text), m);
}

static void test_header_block(void **state)
{
    (void)state;
    msg_view m;
    assert_true(parse("From sender@example.org Mon Nov 30 10:00:00 2026\n"   /* mbox From_ line */
                      "Subject: Undelivered\n"
                      " Mail Returned\n"
                      "this line is no field\n"
                      " and this continues it\n"
                      "X-Failed-Recipients : ana@example.com\n"
                      "Content-Type: text/plain\n"
                      "\n"
                      "body text\n", &m));
    assert_int_equal(m.head.n, 2);   /* Content- fields belong to the body, as in GMime */
    assert_string_equal(hlist_get(&m.head, "Subject"), "Undelivered Mail Returned");
    assert_string_equal(hlist_get(&m.head, "X-Failed-Recipients"), "ana@example.com");
    assert_null(hlist_get(&m.head, "Content-Type"));
    assert_string_equal(m.text.s, "body text\n");
    msg_view_free(&m);
}

static void test_decoded_values(void **state)
{
    (void)state;
    msg_view m;
    static const char text[] = "Subject: =?UTF-8?Q?Respuesta_autom=C3=A1tica:?=\n"
                               " Hola\n"
                               "From: \xe9t\xe9 <a@example.org>\n"   /* 8-bit Latin-1 */
                               "Date: Mon, 30 Nov 2026 10:00:00 +0000 \0junk\n"
                               "\nbody\n";
    msg_view_init(&m);
    assert_true(mime_parse(text, sizeof text - 1, &m));
    assert_string_equal(hlist_get(&m.head, "Subject"), "Respuesta automática: Hola");
    assert_string_equal(hlist_get(&m.head, "From"), "été <a@example.org>");
    assert_string_equal(hlist_get(&m.head, "Date"), "Mon, 30 Nov 2026 10:00:00 +0000");   /* ends at NUL */
    assert_string_equal(m.text.s, "body\n");
    msg_view_free(&m);
}

static void test_unreadable_first_line(void **state)
{
    (void)state;
    msg_view m;
    assert_false(parse("no header here\nSubject: x\n\nbody\n", &m));
    msg_view_free(&m);
    assert_false(parse(" continuation first\nSubject: x\n\nbody\n", &m));
    msg_view_free(&m);
    assert_false(parse("Subject: x\nbroken last line", &m));
    msg_view_free(&m);
    assert_true(parse("Subject: x\nFrom: y\n", &m));   /* no body at all */
    assert_int_equal(m.head.n, 2);
    msg_view_free(&m);
    /* a Content- field ends the input unterminated: GMime's input (the field,
     * a newline, a blank line) is longer than the message (found by the fuzzer) */
    assert_true(parse("Content-Type: multipart/report; boundary=q", &m));
    assert_int_equal(m.head.n, 0);
    assert_int_equal(m.text.n, 0);
    msg_view_free(&m);
}

static const char report[] =
    "From: MAILER-DAEMON@mx.example.org\n"
    "Subject: Undelivered Mail Returned to Sender\n"
    "Content-Type: multipart/report; report-type=delivery-status;\n"
    "\tboundary=\"B1\"\n"
    "\n"
    "--B1\n"
    "Content-Type: text/plain\n"
    "\n"
    "The mail system\n"
    "--B1\n"
    "Content-Type: message/delivery-status\n"
    "\n"
    "Final-Recipient: rfc822; ana@example.com\n"
    "Status: 5.1.1\n"
    "--B1\n"
    "Content-Type: message/rfc822\n"
    "\n"
    "From: Boletin <news@example.org>\n"
    "Subject: =?UTF-8?Q?Bolet=C3=ADn?=\n"
    "Message-ID: <m1@example.org>\n"
    "Content-Type: multipart/mixed; boundary=\"INNER\"\n"
    "\n"
    "--INNER\n"
    "Content-Type: text/plain\n"
    "\n"
    "inner text\n"
    "--INNER--\n"
    "--B1--\n";

static void test_report_and_original(void **state)
{
    (void)state;
    analysis_init();
    msg_view m;
    assert_true(parse(report, &m));
    assert_true(m.is_report);   /* the folded Content-Type reached GMime */
    assert_string_equal(m.report_type, "delivery-status");
    assert_non_null(strstr(m.dsn.s, "Final-Recipient: rfc822; ana@example.com"));
    assert_string_equal(m.text.s, "The mail system");
    /* the original, read as a leaf: its header block, its text not walked */
    assert_string_equal(hlist_get(&m.orig, "Message-ID"), "<m1@example.org>");
    assert_string_equal(hlist_get(&m.orig, "From"), "Boletin <news@example.org>");
    assert_null(strstr(m.text.s, "inner text"));
    msg_view_free(&m);
}

static void test_forwarded_report_text(void **state)
{
    (void)state;
    analysis_init();
    msg_view m;
    /* no text of its own: the text of the original is read (once, by GMime) */
    assert_true(parse("From: a@example.org\n"
                      "Content-Type: multipart/mixed; boundary=\"X\"\n"
                      "\n"
                      "--X\n"
                      "Content-Type: message/rfc822\n"
                      "\n"
                      "From: MAILER-DAEMON@mx.example.net\n"
                      "Subject: failure\n"
                      "Content-Type: text/plain; charset=ISO-8859-1\n"
                      "Content-Transfer-Encoding: quoted-printable\n"
                      "\n"
                      "<ana@example.com>: 550 5.1.1 usuario desconocido, ni=F1o\n"
                      "--X--\n", &m));
    assert_int_equal(m.text.n, 0);
    assert_non_null(strstr(m.origtext.s, "550 5.1.1 usuario desconocido, niño"));
    msg_view_free(&m);
}

/* One text/plain part: read without GMime's parser when its transfer
 * encoding is the identity, by GMime otherwise; the same text either way. */
static void test_single_part(void **state)
{
    (void)state;
    msg_view m;
    assert_true(parse("Subject: x\n"
                      "Content-Type: text/plain;\n\tcharset=\"ISO-8859-1\"\n"
                      "Content-Transfer-Encoding: 8bit\n"
                      "\n"
                      "<ana@example.com>: 550 usuario desconocido, ni\xf1o\r\n", &m));
    assert_string_equal(m.text.s, "<ana@example.com>: 550 usuario desconocido, niño\n");
    msg_view_free(&m);
    assert_true(parse("Subject: x\n"
                      "Content-Type: text/plain; charset=ISO-8859-1\n"
                      "Content-Transfer-Encoding: quoted-printable\n"
                      "\n"
                      "<ana@example.com>: 550 usuario desconocido, ni=F1o\n", &m));
    assert_string_equal(m.text.s, "<ana@example.com>: 550 usuario desconocido, niño\n");
    msg_view_free(&m);
    assert_true(parse("Subject: x\n"
                      "Content-Type: text/html\n"
                      "\n"
                      "<p>550 <b>user</b> unknown</p>\n", &m));
    assert_string_equal(m.text.s, "550 user unknown\n\n");
    msg_view_free(&m);
}

static void test_trigram_filter(void **state)
{
    (void)state;
    msg_view m;
    msg_view_init(&m);
    sb_adds(&m.text, "Delivery to the following recipient failed permanently:\n\n  ana@example.com\n");
    view_lower(&m);
    const char *end = m.text.s + m.text.n;
    assert_ptr_equal(view_find(&m, m.text.s, end, "FOLLOWING RECIPIENT"), m.text.s + 16);
    assert_null(view_find(&m, m.text.s, end, "recipient address rejected"));
    assert_null(view_find(&m, m.text.s + 20, end, "delivery"));   /* before the range */
    assert_non_null(view_find(&m, m.text.s, end, "@"));            /* shorter than a trigram */
    for (size_t i = 0; i + 3 <= m.text.n; i++)   /* every trigram of the text is in the set */
        assert_true(trigrams_may_hold(&m.tri, m.lower + i, 3));
    assert_false(trigrams_may_hold(&m.tri, "zzq", 3));
    msg_view_free(&m);
}

/* text_casestr_n (sixteen starts at a time where SSE2 is) finds what a
 * plain strncasecmp at every start finds: needles of 1 to 5 bytes, in
 * texts of every length up to 40 over a small alphabet (both cases, a
 * digit, a space, an 8-bit byte and NUL), so that hits fall at every
 * offset of the sixteen-byte steps, at the very end and in the tail. */
static const char *casestr_naive(const char *hay, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    for (size_t i = 0; i + m <= n; i++)
        if (strncasecmp(hay + i, needle, m) == 0)
            return hay + i;
    return NULL;
}

static void test_casestr_every_offset(void **state)
{
    (void)state;
    static const char alphabet[] = {'a', 'B', 'b', 'A', '1', ' ', (char)0xE9, '\0'};
    static const char *const needles[] = {"a", "ab", "AB", "ba", "b a", "aab", "abab", "ab1ba", "\xe9" "a"};
    uint32_t seed = 12345;
    char hay[48];
    for (int round = 0; round < 4000; round++) {
        size_t n = (size_t)round % 41;
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            hay[i] = alphabet[(seed >> 16) % sizeof alphabet];
        }
        for (size_t k = 0; k < sizeof needles / sizeof needles[0]; k++)
            assert_ptr_equal(text_casestr_n(hay, n, needles[k]), casestr_naive(hay, n, needles[k]));
    }
    assert_ptr_equal(text_casestr_n("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxHost", 33, "host"), NULL);   /* past n */
    static const char t[] = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxHost";
    assert_ptr_equal(text_casestr_n(t, sizeof t - 1, "HOST"), t + 30);
}

/* Header values go to GMime's decoder when they hold "=?" or an 8-bit
 * byte, wherever it stands in the eight-byte steps of the check; else
 * they are kept as written. */
static void test_header_decoded_at_every_offset(void **state)
{
    (void)state;
    for (size_t pad = 0; pad < 20; pad++) {
        char text[256], want[64];
        msg_view m;
        snprintf(text, sizeof text, "Subject: %.*s=?UTF-8?Q?ni=C3=B1o?=\nX-Plain: %.*s=x?y\n\nbody\n",
                 (int)pad, "xxxxxxxxxxxxxxxxxxxxxxxx", (int)pad, "yyyyyyyyyyyyyyyyyyyyyyyy");
        assert_true(parse(text, &m));
        snprintf(want, sizeof want, "%.*sniño", (int)pad, "xxxxxxxxxxxxxxxxxxxxxxxx");
        assert_string_equal(hlist_get(&m.head, "Subject"), want);
        snprintf(want, sizeof want, "%.*s=x?y", (int)pad, "yyyyyyyyyyyyyyyyyyyyyyyy");
        assert_string_equal(hlist_get(&m.head, "X-Plain"), want);
        msg_view_free(&m);
        snprintf(text, sizeof text, "Subject: %.*s\xe9t\xe9\n\nbody\n", (int)pad, "xxxxxxxxxxxxxxxxxxxxxxxx");
        assert_true(parse(text, &m));
        snprintf(want, sizeof want, "%.*sété", (int)pad, "xxxxxxxxxxxxxxxxxxxxxxxx");
        assert_string_equal(hlist_get(&m.head, "Subject"), want);   /* Latin-1, decoded */
        msg_view_free(&m);
    }
}

/* HTML text is copied in runs between tags and entities: a '&' that
 * starts no entity, and text at the very end, are kept. */
static void test_html_runs(void **state)
{
    (void)state;
    msg_view m;
    assert_true(parse("Content-Type: text/html\n\n"
                      "<div>Tom &amp; Jerry & co &lt;ana@example.com&gt;</div>550 & more<br>end &", &m));
    assert_string_equal(m.text.s, "Tom & Jerry & co <ana@example.com>\n550 & more\nend &");
    msg_view_free(&m);
}

/* view_lower folds A-Z only, every byte value at every offset of the
 * eight-byte steps and in the tail. */
static void test_fold_every_byte(void **state)
{
    (void)state;
    for (int shift = 0; shift < 8; shift++) {
        msg_view m;
        msg_view_init(&m);
        char bytes[256 + 16];
        memset(bytes, 'Q', sizeof bytes);   /* Q before and after: folded too */
        for (int c = 0; c < 256; c++)
            bytes[shift + c] = (char)c;
        sb_add(&m.text, bytes, (size_t)shift + 256 + (size_t)shift % 3);   /* a tail of 0-2 bytes */
        view_lower(&m);
        for (size_t i = 0; i < m.text.n; i++) {
            unsigned char c = (unsigned char)m.text.s[i];
            unsigned char want = c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
            assert_int_equal((unsigned char)m.lower[i], want);
        }
        msg_view_free(&m);
    }
}

/* ---- multipart.c: the body read without GMime's parser ---- */

static void test_ctype_simple_forms(void **state)
{
    (void)state;
    mime_fast f = {.used = 0};
    mime_ctype ct;
    static const char folded[] = " multipart/report;\n\treport-type=delivery-status;\n"
                                 "\tboundary=\"=_b 1\"; x=y;";
    assert_true(mime_ctype_parse(folded, sizeof folded - 1, &ct, &f));
    assert_string_equal(ct.type, "multipart");
    assert_string_equal(ct.sub, "report");
    assert_string_equal(ct.report_type, "delivery-status");
    assert_string_equal(ct.boundary, "=_b 1");
    assert_null(ct.charset);
    static const char loose[] = "text/plain; charset= utf-8 ; boundary=----=_Part_1";   /* GMime's loose tokens */
    assert_true(mime_ctype_parse(loose, sizeof loose - 1, &ct, &f));
    assert_string_equal(ct.charset, "utf-8");
    assert_string_equal(ct.boundary, "----=_Part_1");
    static const char *const odd[] = {
        "text/plain (comment)", "text/plain; charset*=utf-8''x", "text/plain; charset=\"=?utf-8?q?x?=\"",
        "text/plain; charset=a; CHARSET=b", "text/plain; charset=\"a\\\"b\"", "text/plain; charset=",
        "text/plain; charset=\"a\" junk", "text/pl\xe1in", "text", "/plain", "text/plain junk",
        "text/plain; charset=\"unterminated", "text/plain; name = x",
    };
    for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++)
        assert_false(mime_ctype_parse(odd[i], strlen(odd[i]), &ct, &f));
}

static bool walk(const char *ctype, const char *body, mime_fast *f)
{
    mime_ctype ct;
    f->used = 0;
    return mime_ctype_parse(ctype, strlen(ctype), &ct, f) && mime_multipart_walk(body, strlen(body), &ct, f);
}

static void assert_event(const mime_event *ev, const char *type, const char *sub, const char *data)
{
    assert_string_equal(ev->type, type);
    assert_string_equal(ev->sub, sub);
    assert_int_equal(ev->len, strlen(data));
    assert_memory_equal(ev->data, data, ev->len);
}

static void test_walk_leaves(void **state)
{
    (void)state;
    mime_fast f;
    assert_true(walk("multipart/report; boundary=\"B\"",
                     "prologue\n"
                     "--B\n"
                     "Content-Type: text/plain; charset=iso-8859-1\n"
                     "Content-Transfer-Encoding: quoted-printable\n"
                     "\n"
                     "ni=F1o\n"
                     "\n"
                     "--B \t\n"   /* blanks may follow a boundary */
                     "Content-Type: multipart/alternative;\n boundary=I\n"
                     "\n"
                     "--I\n"
                     "\n"                 /* no field: text/plain */
                     "plain\n"
                     "--B\n"              /* the outer boundary ends the inner part */
                     "Content-Type: message/delivery-status\n"
                     "\n"
                     "Action: failed\n"
                     "--B--\n"
                     "epilogue\n", &f));
    assert_int_equal(f.n, 5);   /* the two multiparts' prologue slots, three leaves */
    assert_null(f.ev[0].type);
    assert_null(f.ev[0].data);  /* a multipart with parts adds no prologue */
    assert_event(&f.ev[1], "text", "plain", "ni=F1o\n");
    assert_int_equal(f.ev[1].enc, MIME_ENC_QP);
    assert_string_equal(f.ev[1].charset, "iso-8859-1");
    assert_null(f.ev[2].type);
    assert_event(&f.ev[3], "text", "plain", "plain");
    assert_event(&f.ev[4], "message", "delivery-status", "Action: failed");

    /* no boundary line at all: the prologue is the text */
    assert_true(walk("multipart/mixed; boundary=Z", "just text\nno parts\n", &f));
    assert_int_equal(f.n, 1);
    assert_memory_equal(f.ev[0].data, "just text\nno parts\n", f.ev[0].len);

    /* a digest's parts are messages unless they say otherwise */
    assert_true(walk("multipart/digest; boundary=D", "--D\n\nFrom: a@b\n\nhi\n--D--\n", &f));
    assert_event(&f.ev[1], "message", "rfc822", "From: a@b\n\nhi");
}

static void test_walk_leaves_odd_forms_to_gmime(void **state)
{
    (void)state;
    mime_fast f;
    char longline[3000];
    memset(longline, 'x', sizeof longline - 1);
    longline[sizeof longline - 1] = '\0';
    char body[4000];
    snprintf(body, sizeof body, "--B\n\n%s\n--B--\n", longline);
    assert_false(walk("multipart/mixed; boundary=B", body, &f));   /* GMime reads it in pieces */
    static const char *const odd[] = {
        "--B\nnot a field\n\ntext\n--B--\n",
        "--B\nContent-Type: text/plain\n--B--\n",                      /* a boundary inside the header */
        "--B\nContent-Type: text/plain\nContent-Type: text/html\n\nx\n--B--\n",
        "--B\n continued first\n\nx\n--B--\n",
        "--B\nContent-Transfer-Encoding: x-uuencode\n\nx\n--B--\n",
        "--B\nContent-Type: text/plain",                                /* the input ends in the header */
    };
    for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++)
        assert_false(walk("multipart/mixed; boundary=B", odd[i], &f));
}

/* Both readers give the same view of every message here: the ordinary
 * forms, GMime's corner cases, and those handed to GMime; and single
 * text/plain parts, whose type is read the same way. */
#define B(literal) {literal, sizeof literal - 1}   /* NULs inside count too */
static void test_walk_same_as_gmime(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        size_t n;
    } bodies[] = {
        B("--B\nContent-Type: text/plain\n\nfirst\n--B\nContent-Type: text/html\n\n<p>x</p>\n--B--\n"),
        B("--B\n--B\nContent-Type: text/plain\n\nafter an empty part\n--B--\n"),
        B("--B\nContent-Type: text/plain\n\nno end boundary\n"),
        B("--B\nContent-Type: text/plain\n\nends without a newline\n--B--"),
        B("--B\nContent-Type: text/plain\n\ncut\n--B"),
        B("--B\r\nContent-Type: text/plain\r\n\r\nCRLF\r\n--B--\r\n"),
        B("pro\0logue with a NUL\n"),
        B("--B\nContent-Type: multipart/mixed; boundary=B\n\n--B\n\nsame boundary\n--B--\n--B--\n"),
        B("--B\nContent-Type: multipart/mixed; boundary=C\n\n--C\n\ninner\n--B--\nafter\n"),
        B("--B\nContent-Type: multipart/mixed\n\nno boundary inside\n--B\n\nnext\n--B--\n"),
        B("--B\nContent-Type: text/plain; charset=latin1\nContent-Transfer-Encoding: base64\n\n"
          "bmnxbyBkZXNjb25vY2lkbw==\n--B--\n"),
        B("--B\nContent-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\n"
          "U3ViamVjdDogeAoKYm9keQo=\n--B--\n"),
        B("--B\nContent-Type: text/rfc822-headers\n\nMessage-ID: <x@y>\nFrom: a@b\n--B--\n"),
        B("--B\nContent-type: TEXT/Plain; Charset=\"utf-8\"\n\nupper case\n--B--\n"),
        B("--B\nContent-Type: text/plain; charset=\"a\" junk\n\nodd type\n--B--\n"),
        B("--B\nX: 1\n--B\nContent-Type: text/plain\n\nfield then boundary\n--B--\n"),
        B("--B--\n--B\n\nafter the end\n"),
        /* a grandchild ended by its parent's boundaries: the parts after it are read */
        B("--B\nContent-Type: multipart/mixed; boundary=X\n\n--X\nContent-Type: multipart/mixed; boundary=Y\n\n"
          "--Y\n\ninner\n--X--\n--B\n\nlast of B\n--B--\n"),
        B("--B\nContent-Type: multipart/mixed; boundary=X\n\n--X\nContent-Type: multipart/mixed; boundary=Y\n\n"
          "--Y\n\ninner\n--X\n\nnext of X\n--X--\n--B--\n"),
        B("--B \n\nblank after\n--Bx\n\nnot a boundary\n--B--  \n"),
    };
    static const char *const types[] = {"multipart/mixed; boundary=B",
                                        "multipart/report; report-type=x; boundary=\"B\"", "multipart/mixed", "multipart/digest; boundary=B",
                                        /* one part: the type read without GMime too */
                                        "Text/Plain; charset=iso-8859-1", "text/plain; charset=\"x\" junk"};
    for (size_t t = 0; t < sizeof types / sizeof types[0]; t++)
        for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
            char msg[1024];
            int n = snprintf(msg, sizeof msg, "Subject: x\nContent-Type: %s\n\n", types[t]);
            memcpy(msg + n, bodies[i].s, bodies[i].n);
            const char *what = view_diff(msg, (size_t)n + bodies[i].n);
            if (what)
                fail_msg("type %zu body %zu: %s differs", t, i, what);
        }
}
#undef B

int main(void)
{
    analysis_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header_block),
        cmocka_unit_test(test_decoded_values),
        cmocka_unit_test(test_unreadable_first_line),
        cmocka_unit_test(test_report_and_original),
        cmocka_unit_test(test_forwarded_report_text),
        cmocka_unit_test(test_single_part),
        cmocka_unit_test(test_trigram_filter),
        cmocka_unit_test(test_casestr_every_offset),
        cmocka_unit_test(test_header_decoded_at_every_offset),
        cmocka_unit_test(test_html_runs),
        cmocka_unit_test(test_fold_every_byte),
        cmocka_unit_test(test_ctype_simple_forms),
        cmocka_unit_test(test_walk_leaves),
        cmocka_unit_test(test_walk_leaves_odd_forms_to_gmime),
        cmocka_unit_test(test_walk_same_as_gmime),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
