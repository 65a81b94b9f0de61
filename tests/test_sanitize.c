/* Sanitising of every text field, and the analysis of hostile input: empty,
 * header-less, CR-only, huge, deeply nested, binary. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <locale.h>
#include <cmocka.h>
#include <gmime/gmime.h>
#include "rebote/analysis.h"
#include "internal.h"
#include "sanitize_impl.h"

static void test_controls_removed(void **state)
{
    (void)state;
    const char *in = "a\x1b[31mred\x1b[0m\tb\r\nc\x07\x7f";
    char *s = sanitize_dup(in, strlen(in), 100);
    assert_string_equal(s, "a[31mred[0m b c");
    free(s);
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    const char *in = "ok \xff\xfe caf\xc3\xa9 \xc2\x9b";   /* C1 CSI too */
    char *s = sanitize_dup(in, strlen(in), 100);
    assert_string_equal(s, "ok \xEF\xBF\xBD\xEF\xBF\xBD caf\xc3\xa9 \xEF\xBF\xBD\xEF\xBF\xBD");
    free(s);
    in = "\xed\xa0\x80 surrogate, \xc0\xaf overlong";
    s = sanitize_dup(in, strlen(in), 100);
    assert_null(strchr(s, '\xc0'));
    assert_null(strstr(s, "\xed\xa0\x80"));
    free(s);
}

static void test_cap_and_spaces(void **state)
{
    (void)state;
    char *s = sanitize_dup("   many     spaces   ", strlen("   many     spaces   "), 100);
    assert_string_equal(s, "many spaces");
    free(s);
    s = sanitize_dup("abcdefghij", 10, 4);
    assert_string_equal(s, "abcd");
    free(s);
    s = sanitize_dup("\xc3\xa9\xc3\xa9\xc3\xa9", 6, 5);   /* never cuts a character */
    assert_string_equal(s, "\xc3\xa9\xc3\xa9");
    free(s);
}

/* Bidi and invisible characters leave a record's field; their neighbours
 * (just outside each range of the table) stay. */
static void test_hidden_removed(void **state)
{
    (void)state;
    static const char *const hidden[] = {
        "\xD8\x9C", "\xE1\xA0\x8E", "\xE2\x80\x8B", "\xE2\x80\x8F", "\xE2\x80\xAA", "\xE2\x80\xAE",
        "\xE2\x81\xA0", "\xE2\x81\xA4", "\xE2\x81\xA6", "\xE2\x81\xA9", "\xE2\x81\xAF", "\xEF\xBB\xBF",
    };
    for (size_t i = 0; i < sizeof hidden / sizeof hidden[0]; i++) {
        char in[32];
        snprintf(in, sizeof in, "a%sb %s c%s", hidden[i], hidden[i], hidden[i]);
        char *s = sanitize_dup(in, strlen(in), 100);
        assert_string_equal(s, "ab c");
        free(s);
    }
    static const char *const kept[] = {
        "\xD8\x9B", "\xE2\x80\x8A", "\xE2\x80\x90", "\xE2\x80\xA9", "\xE2\x80\xAF", "\xE2\x81\xA5",
        "\xE2\x81\xB0", "\xEF\xBB\xBE", "\xC2\xA0",
    };
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++) {
        char in[32];
        snprintf(in, sizeof in, "a%sb", kept[i]);
        char *s = sanitize_dup(in, strlen(in), 100);
        assert_string_equal(s, in);
        free(s);
    }
    const char *rlo = "\xE2\x80\xAEmoc.elgoog@evil.example";   /* shows as a Google address */
    char *s = sanitize_dup(rlo, strlen(rlo), 100);
    assert_string_equal(s, "moc.elgoog@evil.example");
    free(s);
    rb_records rs;
    rb_records_init(&rs);
    rb_record *r = rb_records_add(&rs);
    rb_record_set(&r->recipient, rlo, strlen(rlo));
    const char *zw = "550\xE2\x80\x8B 5.1.1\xEF\xBB\xBF user";
    rb_record_set(&r->diagnostic, zw, strlen(zw));
    assert_string_equal(r->recipient, "moc.elgoog@evil.example");
    assert_string_equal(r->diagnostic, "550 5.1.1 user");
    rb_records_free(&rs);
}

/* Display mode: nothing is dropped, nothing dangerous is printed. */
static void test_show(void **state)
{
    (void)state;
    char out[256];
    const char *in = "a\x1b]0;PWNED\x07 \xE2\x80\xAEgro\xff \xc2\x9b caf\xc3\xa9\ttab\n";
    sanitize_show(out, sizeof out, in, strlen(in));
    assert_string_equal(out, "a<U+001B>]0;PWNED<U+0007> <U+202E>gro\xEF\xBF\xBD <U+009B> caf\xc3\xa9<U+0009>tab<U+000A>");
    assert_int_equal(sanitize_show(out, 5, "abcdef", 6), 4);
    assert_string_equal(out, "abcd");
    assert_int_equal(sanitize_show(out, 8, "ab\x1b", 3), 2);   /* the escape does not fit: left out whole */
    assert_string_equal(out, "ab");
    assert_int_equal(sanitize_show(out, 4, "a\xc3\xa9", 3), 3);
    assert_int_equal(sanitize_show(out, 3, "a\xc3\xa9", 3), 1);   /* never a character cut */
    char *d = sanitize_show_dup("\x1b\x1b\xff");
    assert_string_equal(d, "<U+001B><U+001B>\xEF\xBF\xBD");
    free(d);
    d = sanitize_show_dup(NULL);
    assert_string_equal(d, "");
    free(d);
}

/* The screen's column arithmetic: what wcwidth says, hidden characters 0. */
static void test_cp_width(void **state)
{
    (void)state;
    if (!setlocale(LC_CTYPE, "C.UTF-8"))
        skip();
    assert_int_equal(sanitize_cp_width('a'), 1);
    assert_int_equal(sanitize_cp_width(0xE9), 1);
    assert_int_equal(sanitize_cp_width(0x4E00), 2);
    assert_int_equal(sanitize_cp_width(0xFF1D), 2);
    assert_int_equal(sanitize_cp_width(0x1B), 0);
    assert_int_equal(sanitize_cp_width(0x9B), 0);
    assert_int_equal(sanitize_cp_width(0x200B), 0);
    assert_int_equal(sanitize_cp_width(0x202E), 0);
    assert_int_equal(sanitize_cp_width(0xFEFF), 0);
    assert_int_equal(sanitize_cp_width(0x0301), 0);
    setlocale(LC_CTYPE, "C");
}

/* The decoder: valid sequences and their code points, the rest 0. */
static void test_utf8_next(void **state)
{
    (void)state;
    uint32_t cp;
    assert_int_equal(sanitize_utf8_next("\xE2\x80\xAE", 3, &cp), 3);
    assert_int_equal(cp, 0x202E);
    assert_int_equal(sanitize_utf8_next("\xF0\x9F\x98\x80", 4, &cp), 4);
    assert_int_equal(cp, 0x1F600);
    assert_int_equal(sanitize_utf8_next("\xc2\x9b", 2, &cp), 2);
    assert_int_equal(cp, 0x9B);
    assert_int_equal(sanitize_utf8_next("\xE2\x80\xAE", 2, &cp), 0);   /* cut short */
    assert_int_equal(sanitize_utf8_next("\xc0\xaf", 2, &cp), 0);       /* overlong */
    assert_int_equal(sanitize_utf8_next("\xed\xa0\x80", 3, &cp), 0);   /* surrogate */
    assert_int_equal(sanitize_utf8_next("\xf4\x90\x80\x80", 4, &cp), 0);   /* beyond U+10FFFF */
    assert_int_equal(sanitize_utf8_next("\x80", 1, &cp), 0);
}

static size_t analyse(const char *buf, size_t len)
{
    rb_records rs;
    rb_records_init(&rs);
    analysis_parse(buf, len, &rs);
    size_t n = rs.n;
    rb_records_free(&rs);
    return n;
}

static void test_hostile_messages(void **state)
{
    (void)state;
    assert_int_equal(analyse("", 0), 0);
    assert_int_equal(analyse("x", 1), 0);
    assert_int_equal(analyse("\n\n\n", 3), 0);
    const char *cr = "From: MAILER-DAEMON@a.example\rSubject: Undelivered Mail\r\r"
                     "<u@b.example>: host b said: 550 5.1.1 User unknown\r";
    assert_int_equal(analyse(cr, strlen(cr)), 1);
    /* nested multiparts far beyond the walk limit */
    size_t cap = 400 * 64, n = 0;
    char *deep = malloc(cap);
    n += (size_t)snprintf(deep + n, cap - n, "From: x@y.example\nSubject: deep\n");
    for (int i = 0; i < 300; i++)
        n += (size_t)snprintf(deep + n, cap - n, "Content-Type: multipart/mixed; boundary=\"b%d\"\n\n--b%d\n", i, i);
    assert_int_equal(analyse(deep, n), 0);
    free(deep);
    /* a 3 MB header line and binary noise: bounded work, no crash */
    size_t big = 3 * 1024 * 1024;
    char *huge = malloc(big);
    memcpy(huge, "Subject: ", 9);
    memset(huge + 9, 'A', big - 9);
    assert_int_equal(analyse(huge, big), 0);
    for (size_t i = 0; i < big; i++)
        huge[i] = (char)(i * 2654435761u >> 13);
    analyse(huge, big);
    free(huge);
}

/* A packed record reads the same, its strings in one block; a string set
 * after packing is packed again; copies are independent of the block. */
static void test_pack(void **state)
{
    (void)state;
    rb_records rs;
    rb_records_init(&rs);
    rb_record *r = rb_records_add(&rs);
    rb_record_set(&r->recipient, "ana@example.com", 15);
    rb_record_set(&r->diagnostic, "550 5.1.1 user unknown", 22);
    assert_int_equal(rb_record_pack(r, "cur/1700000000.1.host:2,S"), 0);   /* the key borrowed */
    assert_non_null(r->pack);
    assert_string_equal(r->recipient, "ana@example.com");
    assert_string_equal(r->diagnostic, "550 5.1.1 user unknown");
    assert_string_equal(r->key, "cur/1700000000.1.host:2,S");
    assert_string_equal(r->rhost, "");   /* empty fields stay the shared empty string */
    assert_true(r->recipient >= r->pack && r->key < r->pack + r->packlen);
    size_t first = r->packlen;
    rb_record_set(&r->rhost, "mx.example.com", 14);
    assert_int_equal(rb_record_pack(r, NULL), 0);   /* the key kept, in the new block */
    assert_int_equal(r->packlen, first + 15);
    assert_string_equal(r->rhost, "mx.example.com");
    assert_string_equal(r->recipient, "ana@example.com");
    rb_record copy;
    assert_int_equal(rb_record_copy(&copy, r), 0);
    assert_null(copy.pack);
    rb_records_free(&rs);   /* the copy outlives the block */
    assert_string_equal(copy.recipient, "ana@example.com");
    assert_string_equal(copy.key, "cur/1700000000.1.host:2,S");
    rb_record_free(&copy);
}

/* A block of the string fields becomes the pack as it is; one string short,
 * it is refused and the record left alone. */
static void test_adopt_pack(void **state)
{
    (void)state;
    static const char fields[] = "ana@example.com\0failed\0" "550 5.1.1 unknown\0\0\0\0\0\0\0\0\0\0\0key-1";
    rb_records rs;
    rb_records_init(&rs);
    rb_record *r = rb_records_add(&rs);
    char *block = malloc(sizeof fields);
    memcpy(block, fields, sizeof fields);
    assert_int_equal(rb_record_adopt_pack(r, block, sizeof fields), 0);
    assert_ptr_equal(r->pack, block);
    assert_string_equal(r->recipient, "ana@example.com");
    assert_string_equal(r->diagnostic, "550 5.1.1 unknown");
    assert_string_equal(r->rhost, "");
    assert_string_equal(r->key, "key-1");
    r = rb_records_add(&rs);
    block = malloc(sizeof fields - 6);   /* without "key-1" and its NUL */
    memcpy(block, fields, sizeof fields - 6);
    assert_int_equal(rb_record_adopt_pack(r, block, sizeof fields - 6), -1);
    assert_null(r->pack);
    assert_string_equal(r->recipient, "");
    rb_records_free(&rs);
}

/* Records of one message: what they say alike (here the subject, the
 * diagnostic and the key) is stored once, each keeps its own recipient; a
 * cap leaves out the records past it and counts them on the first. Records
 * may be freed in any order (the block goes with the last). */
static void test_share(void **state)
{
    (void)state;
    rb_records rs;
    rb_records_init(&rs);
    rb_records_add(&rs);   /* a record of another message, before: untouched */
    char subject[1000];
    memset(subject, 's', sizeof subject - 1);
    subject[sizeof subject - 1] = '\0';
    char rcpt[48];
    for (int i = 0; i < 40; i++) {
        rb_record *r = rb_records_add(&rs);
        snprintf(rcpt, sizeof rcpt, "u%d@example.com", i);
        rb_record_set(&r->recipient, rcpt, strlen(rcpt));
        rb_record_set(&r->subject, subject, strlen(subject));
        rb_record_set(&r->diagnostic, "550 5.1.1 user unknown", 22);
    }
    size_t dropped = 99;
    assert_int_equal(rb_records_share(&rs, 1, "key-1", SIZE_MAX, &dropped), 0);
    assert_int_equal(dropped, 0);
    assert_int_equal(rs.n, 41);
    assert_null(rs.v[0].shared);
    for (size_t i = 1; i < rs.n; i++) {
        rb_record *r = &rs.v[i];
        snprintf(rcpt, sizeof rcpt, "u%zu@example.com", i - 1);
        assert_string_equal(r->recipient, rcpt);
        assert_string_equal(r->key, "key-1");
        assert_string_equal(r->subject, subject);
        assert_ptr_equal(r->subject, rs.v[1].subject);   /* one copy for all */
        assert_ptr_equal(r->key, rs.v[1].key);
        assert_ptr_equal(r->shared, rs.v[1].shared);
        assert_true(rb_record_bytes(r) < sizeof *r + 32);   /* the struct and its recipient */
        if (i > 1)
            assert_int_not_equal(rb_record_shared_mask(r, &rs.v[1]), 0);
    }
    /* a cap of the shared strings and about ten records: the rest left out */
    size_t cap = 1100 + 10 * (sizeof(rb_record) + 17);
    assert_int_equal(rb_records_share(&rs, 1, "key-1", cap, &dropped), 0);
    assert_true(dropped > 20 && dropped < 35);
    assert_int_equal(rs.n, 41 - dropped);
    assert_int_equal(rs.v[1].dropped, dropped);
    assert_string_equal(rs.v[rs.n - 1].subject, subject);
    rb_record_free(&rs.v[1]);   /* the first goes first: the others still read */
    assert_string_equal(rs.v[2].subject, subject);
    rb_records_free(&rs);
}

/* text_date_simple gives GMime's time for every date it accepts, and
 * accepts the common forms. */
static void test_simple_dates(void **state)
{
    (void)state;
    long long t;
    assert_true(text_date_simple("Tue, 04 Nov 2025 05:21:30 +0000", &t));
    assert_int_equal(t, 1762233690);
    assert_true(text_date_simple("4 nov 2025 06:21 +0100 (CET)", &t));
    assert_int_equal(t, 1762233660);
    static const char *const declined[] = {
        "Tue, 04 Nov 25 05:21:30 +0000", "Tue 04 Nov 2025 05:21:30 +0000", "04 Nov 2025 05:21:30 GMT",
        "31 Apr 2025 05:21:30 +0000", "29 Feb 2025 05:21:30 +0000", "04 Nov 2025 05:21:60 +0000",
        "04 Nov 2025 05:21:30 +0099", "04 Nov 2025 05:21:30 +0000,", "04 November 2025 05:21:30 +0000", "",
    };
    for (size_t i = 0; i < sizeof declined / sizeof declined[0]; i++)
        assert_false(text_date_simple(declined[i], &t));
    static const char *const wdays[] = {"Sun", "mon", "TUE", "Wed", "Thu", "Fri", "Sat"};
    static const char *const mons[] = {"Jan", "feb", "Mar", "Apr", "MAY", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    unsigned long long x = 42;
    int accepted = 0, total = 20000;
    for (int i = 0; i < total; i++) {
        int v[9];
        for (int k = 0; k < 9; k++) {
            x = x * 6364136223846793005ull + 1442695040888963407ull;
            v[k] = (int)(x >> 33);
        }
        char date[96];
        snprintf(date, sizeof date, "%s%s%0*d %s %d %02d:%02d%s%.*d %c%02d%02d%s", v[0] % 3 ? wdays[v[0] % 7] : "",
                 v[0] % 3 ? ", " : "", v[1] % 2 + 1, v[1] % 32, mons[v[2] % 12], 1969 + v[3] % 140, v[4] % 25,
                 v[5] % 61, v[6] % 4 ? ":" : "", v[6] % 4 ? 2 : 0, v[6] % 4 ? v[6] % 61 : 0, v[7] % 2 ? '-' : '+',
                 v[8] % 25, v[7] % 62, v[8] % 3 ? "" : " (JST)");
        if (!text_date_simple(date, &t))
            continue;
        accepted++;
        GDateTime *dt = g_mime_utils_header_decode_date(date);
        if (!dt)
            fail_msg("%s: GMime reads no date", date);
        if ((long long)g_date_time_to_unix(dt) != t)
            fail_msg("%s: %lld, GMime %lld", date, t, (long long)g_date_time_to_unix(dt));
        g_date_time_unref(dt);
    }
    assert_true(accepted > total / 2);
}

/* sanitize_plain8 against its definition, byte by byte, on windows made
 * of the bytes at the edges of its classes. */
static void test_plain8(void **state)
{
    (void)state;
    static const unsigned char edge[] = {0x00, 0x09, 0x0A, 0x1F, 0x20, 0x21, 'a', 0x7E, 0x7F, 0x80, 0xC3, 0xFF};
    unsigned long long x = 7;
    for (int i = 0; i < 200000; i++) {
        unsigned char b[8];
        for (int k = 0; k < 8; k++) {
            x = x * 6364136223846793005ull + 1442695040888963407ull;
            b[k] = (x >> 40) % 4 ? "ab c.d e"[(x >> 20) % 8] : edge[(x >> 33) % sizeof edge];
        }
        bool space = (x >> 50) & 1, want = true;
        for (int k = 0; k < 8; k++) {
            bool sp = b[k] == ' ';
            if (b[k] < 0x20 || b[k] >= 0x7F || (sp && (k ? b[k - 1] == ' ' : space)))
                want = false;
        }
        uint64_t w;
        memcpy(&w, b, 8);
        assert_int_equal(sanitize_plain8(w, space), want);
    }
}

int main(void)
{
    analysis_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_controls_removed), cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_cap_and_spaces),   cmocka_unit_test(test_hostile_messages),
        cmocka_unit_test(test_pack), cmocka_unit_test(test_adopt_pack), cmocka_unit_test(test_share),            cmocka_unit_test(test_simple_dates),
        cmocka_unit_test(test_plain8), cmocka_unit_test(test_hidden_removed), cmocka_unit_test(test_show),
        cmocka_unit_test(test_cp_width), cmocka_unit_test(test_utf8_next),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    return rc;
}
