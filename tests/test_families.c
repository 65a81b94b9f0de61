/* One sample per MTA family (tests/samples, written for this project): the
 * analyser finds the recipient, codes, reason, kind and family. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "rebote/analysis.h"
#include "rebote/local.h"
#include "internal.h"

typedef struct {
    const char *file, *kind, *recipient, *status, *replycode, *reason, *agent;
} expect;

static const expect cases[] = {
    {"sendmail.eml", "bounce", "pedro@destino.example", "5.1.1", "550", "userunknown", "sendmail"},
    {"postfix-old.eml", "bounce", "lucia@buzon.example", "5.2.2", "552", "mailboxfull", "postfix"},
    {"exim.eml", "bounce", "jorge@otro.example", "5.7.1", "550", "blocked", "exim"},
    {"qmail.eml", "bounce", "marta@lejos.example", "5.1.1", "550", "userunknown", "qmail"},
    {"courier.eml", "bounce", "diego@cerrado.example", "5.7.1", "554", "norelaying", "courier"},
    {"exchange2003.eml", "bounce", "elena@filial.example", "5.1.1", "", "userunknown", "exchange2003"},
    {"exchange2007.eml", "bounce", "ivan@filial.example", "5.1.1", "550", "userunknown", "exchange2007"},
    {"office365.eml", "bounce", "sofia@cliente.example", "5.4.1", "550", "userunknown", "office365"},
    {"gmail.eml", "bounce", "ana@remoto.example", "5.2.2", "550", "mailboxfull", "gmail"},
    {"yahoo.eml", "bounce", "pablo@yahoo.example", "5.1.1", "554", "userunknown", "yahoo"},
    {"notes.eml", "bounce", "luis@notes.example", "5.1.1", "", "userunknown", "notes"},
    {"domino.eml", "bounce", "luis@domino.example", "5.1.1", "", "userunknown", "domino"},
    {"messagingserver.eml", "bounce", "rosa@ms.example", "5.1.1", "550", "userunknown", "messagingserver"},
    {"opensmtpd.eml", "bounce", "nuria@sinpuerto.example", "5.7.25", "550", "requireptr", "opensmtpd"},
    {"amazonses.eml", "bounce", "raul@ses.example", "5.1.1", "550", "userunknown", "amazonses"},
    {"googlegroups.eml", "bounce", "socios@googlegroups.com", "5.1.8", "", "rejected", "googlegroups"},
    {"generic.eml", "bounce", "gloria@raro.example", "5.3.4", "552", "mesgtoobig", "generic"},
    {"delay.eml", "delay", "oscar@lento.example", "4.7.1", "451", "blocked", "postfix"},
    {"autoreply.eml", "autoreply", "teresa@cliente.example", "", "", "vacation", "rfc3834"},
    {"arf.eml", "feedback", "queja@fbl.example", "", "", "feedback", "arf"},
    /* issue 14, class 5: the failure reply of a transcript, not its "250 ok" */
    {"formats/replycode-transcript.eml", "bounce", "hugo@lejano.example", "5.2.1", "550", "suspend", "generic"},
    /* class 3: confirmation requests are no bounces (who asks is the recipient) */
    {"formats/challenge-whitelist.eml", "challenge", "irene@cliente.example", "", "", "challenge", "challenge"},
    {"formats/challenge-list.eml", "challenge", "socios-help@listas.example", "", "", "challenge", "mailinglist"},
    /* named by its header alone, with no text part (clang's UBSan in fuzz-analysis: no NULL + 0 in analysis.c) */
    {"formats/challenge-no-text.eml", "challenge", "confirm@filtro.example", "", "", "challenge", "tmda"},
    /* class 1: prose of MTAs without a DSN, a family where they have a marker */
    {"formats/prose-netscape.eml", "bounce", "ines@lejano.example", "5.1.1", "", "userunknown", "netscape"},
    {"formats/prose-imail.eml", "bounce", "jaime@isp.example", "5.2.2", "", "mailboxfull", "imailserver"},
    /* a bare reply that names neither the command nor an enhanced code: filtered (README) */
    {"formats/prose-communigate.eml", "bounce", "lola@lejano.example", "5.2.1", "550", "filtered", "communigate"},
    {"formats/prose-mdaemon.eml", "bounce", "marcos@lejano.example", "5.1.1", "550", "userunknown", "mdaemon"},
    {"formats/prose-hmailserver.eml", "bounce", "nora@lejano.example", "5.2.2", "552", "mailboxfull", "hmailserver"},
    {"formats/prose-groupwise.eml", "bounce", "olga@lejano.example", "5.1.1", "", "userunknown", "groupwise"},
    {"formats/prose-mercury.eml", "bounce", "quique@lejano.example", "5.1.1", "550", "userunknown", "mercury"},
    {"formats/prose-kerio.eml", "bounce", "raquel@lejano.example", "5.1.1", "550", "userunknown", "kerio"},
    {"formats/prose-exchange55.eml", "bounce", "pilar@lejano.example", "5.1.1", "", "userunknown", "exchange2003"},
    /* an address near a failure phrase, no recipient line: not the postmaster it names */
    {"formats/prose-relay.eml", "bounce", "vera@lejano.example", "5.2.2", "", "mailboxfull", "generic"},
    {"formats/prose-spanish.eml", "bounce", "alicia@lejano.example", "5.2.2", "", "mailboxfull", "generic"},
    /* prose of no family that says delivery is only delayed */
    {"formats/prose-delay.eml", "delay", "elisa@lejano.example", "4.4.7", "", "expired", "generic"},
    /* no address in the prose: the attached original's To */
    {"formats/prose-attached.eml", "bounce", "diana@lejano.example", "5.0.0", "", "undefined", "generic"},
    /* class 6: families named by a row of their own (mta/families.c), parsed by another */
    {"formats/dragonfly.eml", "bounce", "amparo@lejano.example", "5.1.1", "550", "userunknown", "dragonfly"},
    {"formats/powermta.eml", "bounce", "celia@lejano.example", "5.2.2", "552", "mailboxfull", "powermta"},
    /* a family file of its own: fml's loop alert names the list */
    {"formats/fml-loop.eml", "bounce", "socios@listas.example", "5.3.0", "", "systemerror", "fml"},
    /* a general relay's report of a refusal by a receiver the provider table knows */
    {"formats/relay-google.eml", "bounce", "benito@correo-google.example", "5.1.1", "550", "userunknown", "google"},
};

static int collect(const char *path, size_t index, const char *buf, size_t len, void *ctx)
{
    (void)path;
    (void)index;
    analysis_parse(buf, len, ctx);
    return 0;
}

static void load(const char *name, rb_records *rs)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", getenv("SAMPLES"), name);
    rb_records_init(rs);
    assert_int_equal(local_each_message(path, collect, rs), 0);
}

static void test_family_samples(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const expect *e = &cases[i];
        rb_records rs;
        load(e->file, &rs);
        printf("# %s\n", e->file);
        assert_int_equal(rs.n, 1);
        const rb_record *r = &rs.v[0];
        assert_string_equal(rb_kind_name(r->kind), e->kind);
        assert_string_equal(r->recipient, e->recipient);
        assert_string_equal(r->status, e->status);
        assert_string_equal(r->replycode, e->replycode);
        assert_string_equal(r->reason, e->reason);
        assert_string_equal(r->agent, e->agent);
        rb_records_free(&rs);
    }
}

/* Ordinary mail stays no report: a note, a postmaster's message naming
 * addresses beside "disabled" and "error", a newsletter saying "failed". */
static void test_not_a_bounce(void **state)
{
    (void)state;
    static const char *const files[] = {"notbounce.eml", "formats/notbounce-postmaster.eml",
                                        "formats/notbounce-newsletter.eml", "formats/notbounce-fml-post.eml",
                                        /* no text part at all (UBSan: no NULL + 0 in scan.c) */
                                        "formats/notbounce-image-only.eml"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        rb_records rs;
        load(files[i], &rs);
        printf("# %s\n", files[i]);
        assert_int_equal(rs.n, 0);
        rb_records_free(&rs);
    }
}

/* A success notice in prose from a mailer-daemon gives no bounce record. */
static void test_success_notice(void **state)
{
    (void)state;
    rb_records rs;
    load("formats/notbounce-success.eml", &rs);
    for (size_t i = 0; i < rs.n; i++)
        assert_int_not_equal(rs.v[i].kind, RB_KIND_BOUNCE);
    rb_records_free(&rs);
}

/* A list of addresses under the line that says they failed: one record
 * each, the reason from the introduction. */
static void test_prose_list(void **state)
{
    (void)state;
    rb_records rs;
    load("formats/prose-list.eml", &rs);
    assert_int_equal(rs.n, 2);
    assert_string_equal(rs.v[0].recipient, "bea@lejano.example");
    assert_string_equal(rs.v[1].recipient, "carlos@lejano.example");
    for (size_t i = 0; i < 2; i++) {
        assert_string_equal(rb_kind_name(rs.v[i].kind), "bounce");
        assert_string_equal(rs.v[i].reason, "userunknown");
    }
    rb_records_free(&rs);
}

/* The original message's fields come from text/rfc822-headers. */
static void test_original_fields(void **state)
{
    (void)state;
    rb_records rs;
    load("sendmail.eml", &rs);
    assert_int_equal(rs.n, 1);
    assert_string_equal(rs.v[0].messageid, "<oferta-1@empresa.example>");
    assert_string_equal(rs.v[0].subject, "Oferta de noviembre");
    assert_string_equal(rs.v[0].sender, "ventas@empresa.example");
    assert_string_equal(rs.v[0].rhost, "mx.destino.example");
    assert_string_equal(rs.v[0].lhost, "mx1.empresa.example");
    assert_true(rs.v[0].hardbounce);
    rb_records_free(&rs);
}

/* A diagnostic with terminal escape sequences and invalid UTF-8 reaches the
 * record without any control character. */
static void test_hostile_escapes(void **state)
{
    (void)state;
    rb_records rs;
    load("hostile-esc.eml", &rs);
    assert_int_equal(rs.n, 1);
    for (const unsigned char *p = (const unsigned char *)rs.v[0].diagnostic; *p; p++)
        assert_true(*p >= 0x20 && *p != 0x7f);
    assert_non_null(strstr(rs.v[0].diagnostic, "\xEF\xBF\xBD"));
    assert_string_equal(rs.v[0].reason, "userunknown");
    rb_records_free(&rs);
}

/* The receiver table: a host suffix matches at a dot (or whole), the
 * answering host before the reporting one before the recipient's domain. */
static void test_provider_family(void **state)
{
    (void)state;
    assert_string_equal(provider_family("mx3.qq.com", "", ""), "tencent");
    assert_string_equal(provider_family("gmail-smtp-in.l.google.com.", "", ""), "google");   /* trailing dot */
    assert_null(provider_family("mx.notqq.com", "", ""));
    assert_null(provider_family("", "", "ana@lejano.example"));
    assert_string_equal(provider_family("", "omr-m04.mx.aol.com", ""), "aol");
    assert_string_equal(provider_family("mx3.qq.com", "omr-m04.mx.aol.com", ""), "tencent");
    assert_string_equal(provider_family("", "", "pat@cox.net"), "cox");
    assert_null(provider_family("", "", "pat@mail.cox.net.example"));
    assert_null(provider_family(NULL, NULL, NULL));
}

int main(void)
{
    analysis_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_family_samples),
        cmocka_unit_test(test_not_a_bounce),
        cmocka_unit_test(test_prose_list),
        cmocka_unit_test(test_success_notice),
        cmocka_unit_test(test_original_fields),
        cmocka_unit_test(test_hostile_escapes),
        cmocka_unit_test(test_provider_family),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    return rc;
}
