/* bounce-gen: writes synthetic bounce mailboxes (Maildir or mbox) from our own
 * templates in several MTA styles, for the demo mailbox and the benchmarks.
 *   bounce-gen [--seed=N] [--count=N] [--epoch=UNIXTIME] [--mix=demo|bench|amplify[-unlike]] [--attach-kb=N]
 *              [--rcpts=N] (--maildir=DIR | --mbox=FILE)
 * --attach-kb: every returned original carries N KiB of body (large bounces).
 * --mix=amplify: hostile reports instead, each one DSN of --rcpts recipients
 * (default 512) whose Date, Subject, Message-Id, From, Reporting-MTA and
 * diagnostic are ~1 KiB each: fields of the message that every record would
 * copy (issue #11.6: 300 of them made a 13 MB Maildir cost 1.9 GB).
 * --mix=amplify-unlike: the same, but the records after the first are alike
 * and unlike the first (one recipient repeated, with a diagnostic of its
 * own): what sharing with the first does not catch, the per-message cap must.
 * Dates fall in the 60 days after --epoch (default 2025-10-01); file names
 * carry the seed, so batches of different seeds can share one Maildir.
 * Deterministic for a given seed. */
#include <errno.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

typedef struct { char *s; size_t n, cap; } buf_t;

static void b_add(buf_t *b, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int need = vsnprintf(b->s ? b->s + b->n : NULL, b->s ? b->cap - b->n : 0, fmt, ap);
        va_end(ap);
        if (need < 0)
            return;
        if (b->s && b->n + (size_t)need < b->cap) {
            b->n += (size_t)need;
            return;
        }
        size_t cap = b->cap ? b->cap : 4096;
        while (cap <= b->n + (size_t)need)
            cap *= 2;
        char *p = realloc(b->s, cap);
        if (!p) { perror("bounce-gen"); exit(1); }
        b->s = p;
        b->cap = cap;
    }
}

static uint64_t rng_state;
static uint32_t rnd(uint32_t n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state % n);
}

/* One failure: reply code, enhanced code, remote text. */
typedef struct { const char *reply, *status, *text; bool temp; } failure;
static const failure failures[] = {
    {"550", "5.1.1", "<%s>: Recipient address rejected: User unknown in virtual mailbox table", false},
    {"550", "5.1.1", "The email account that you tried to reach does not exist.", false},
    {"552", "5.2.2", "<%s>: Mailbox full, quota exceeded", false},
    {"554", "5.7.1", "Service unavailable; Client host [203.0.113.7] blocked using zen.spamhaus.org", false},
    {"550", "5.7.26", "This mail has been blocked because the sender is unauthenticated. DMARC policy of example.com", false},
    {"421", "4.7.0", "[TSS04] Messages from 203.0.113.7 temporarily deferred due to unexpected volume or user complaints", true},
    {"451", "4.7.1", "<%s>: Recipient address rejected: Greylisted, try again in 5 minutes", true},
    {"452", "4.2.2", "<%s>: The email account that you tried to reach is over quota", true},
    {"554", "5.7.1", "<%s>: Relay access denied", false},
    {"553", "5.1.3", "<%s>: Invalid address: contains non-ASCII characters", false},
    {"552", "5.3.4", "Message size exceeds fixed maximum message size", false},
    {"550", "5.4.1", "Recipient address rejected: Access denied. AS(201806281)", false},
    {"550", "5.2.1", "<%s>: Mailbox disabled, not accepting messages", false},
    {"550", "5.7.25", "The IP address sending this message does not have a PTR record setup", false},
    {"554", "5.7.9", "Message not accepted for policy reasons", false},
    {"550", "5.1.6", "<%s>: Recipient has moved; new address unknown", false},
    {"501", "5.5.4", "Syntax error in parameters or arguments", false},
    {"450", "4.1.8", "<bounce@example.org>: Sender address rejected: Domain not found", true},
    {"554", "5.6.0", "Message contains invalid MIME headers", false},
    {"421", "4.4.2", "Connection timed out during banner exchange", true},
};
#define NFAIL (sizeof failures / sizeof failures[0])

static const char *const users[] = {"ana", "pablo", "lucia", "jorge", "marta", "sofia", "diego",
    "carmen", "ivan", "elena", "info", "ventas", "soporte", "admin", "kijitora", "neko"};
static const char *const domains[] = {"example.com", "example.net", "example.org", "correo.example.es",
    "mail.example.mx", "gmail.example", "outlook.example", "yahoo.example", "empresa.example.es"};
static const char *const words[] = {"lorem", "ipsum", "dolor", "sit", "amet", "boletín", "oferta",
    "noviembre", "factura", "pedido", "cliente", "envío", "newsletter", "update", "account"};

typedef struct {
    char rcpt[128], from[128], msgid[128], date[64], origdate[64], boundary[64];
    const failure *f;
    char diag[512];
    int attach;   /* bytes of original body to attach, 0 = headers only */
} ctx_t;

static unsigned long gen_epoch = 1759276800UL;
static int attach_kb;

static void make_ctx(ctx_t *c)
{
    snprintf(c->rcpt, sizeof c->rcpt, "%s.%u@%s", users[rnd(16)], rnd(9000) + 100, domains[rnd(9)]);
    snprintf(c->from, sizeof c->from, "boletin@news.example.org");
    snprintf(c->msgid, sizeof c->msgid, "<%08x.%04x@news.example.org>", rnd(0xffffffff), rnd(0xffff));
    time_t t = (time_t)gen_epoch + (time_t)rnd(60 * 86400);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(c->date, sizeof c->date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    t -= 120;
    gmtime_r(&t, &tm);
    strftime(c->origdate, sizeof c->origdate, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    snprintf(c->boundary, sizeof c->boundary, "b%08x.%u", rnd(0xffffffff), rnd(1000));
    c->f = &failures[rnd(NFAIL)];
    char text[400];
    const char *hole = strstr(c->f->text, "%s");   /* the table's texts hold at most one %s */
    if (hole)
        snprintf(text, sizeof text, "%.*s%s%s", (int)(hole - c->f->text), c->f->text, c->rcpt, hole + 2);
    else
        snprintf(text, sizeof text, "%s", c->f->text);
    snprintf(c->diag, sizeof c->diag, "%s %s %s", c->f->reply, c->f->status, text);
    c->attach = rnd(3) == 0 ? (int)(1000 + rnd(15000)) : 0;
    if (attach_kb)
        c->attach = attach_kb * 1024;
}

static void original(buf_t *b, const ctx_t *c, bool headers_only)
{
    b_add(b, "Return-Path: <%s>\nMessage-ID: %s\nDate: %s\nFrom: Boletín <%s>\nTo: <%s>\n"
             "Subject: =?UTF-8?Q?Bolet=C3=ADn_de_noviembre?=\nMIME-Version: 1.0\n"
             "Content-Type: text/plain; charset=UTF-8\n\n",
          c->from, c->msgid, c->origdate, c->from, c->rcpt);
    if (headers_only)
        return;
    int left = c->attach ? c->attach : 300;
    while (left > 0) {
        const char *w = words[rnd(15)];
        b_add(b, "%s%s", w, rnd(12) ? " " : "\n");
        left -= (int)strlen(w) + 1;
    }
    b_add(b, "\n");
}

static void head(buf_t *b, const ctx_t *c, const char *from, const char *subject, const char *extra)
{
    b_add(b, "Return-Path: <>\nDate: %s\nFrom: %s\nTo: %s\nSubject: %s\nMessage-ID: <%08x@mx.example.org>\n"
             "Auto-Submitted: auto-replied\nMIME-Version: 1.0\n%s",
          c->date, from, c->from, subject, rnd(0xffffffff), extra);
}

/* RFC 3464 report: postfix, sendmail, exchange and office 365 styles. */
static void style_dsn(buf_t *b, const ctx_t *c, int variant)
{
    static const char *const intro[] = {
        "This is the mail system at host mx.example.org.\n\nI'm sorry to have to inform you that your message could not\n"
        "be delivered to one or more recipients. It's attached below.\n\n                   The mail system\n\n"
        "<%s>: host mx.%s[192.0.2.25] said: %s (in reply to RCPT TO command)\n",
        "The original message was received at %s\nfrom localhost [127.0.0.1]\n\n"
        "   ----- The following addresses had permanent fatal errors -----\n<%s>\n    (reason: %s)\n",
        "Delivery has failed to these recipients or groups:\n\n%s\nThe recipient's mailbox could not be reached.\n\n"
        "Diagnostic information for administrators:\n\nGenerating server: mx.example.org\n\n%s\nRemote Server returned '%s'\n",
        "Your message to %s couldn't be delivered.\n\n%s wasn't found at %s.\n\nAction Required\n\n"
        "Diagnostic information for administrators:\nRemote server returned '%s'\n",
    };
    const char *dom = strchr(c->rcpt, '@') + 1;
    bool delayed = c->f->temp && variant == 0 && rnd(2);
    head(b, c, "Mail Delivery System <MAILER-DAEMON@mx.example.org>",
         delayed ? "Delayed Mail (still being retried)" : variant >= 2 ? "Undeliverable: Boletín de noviembre"
                                                                  : "Undelivered Mail Returned to Sender", "");
    b_add(b, "Content-Type: multipart/report; report-type=delivery-status;\n\tboundary=\"%s\"\n\n"
             "This is a MIME-encapsulated message.\n\n--%s\nContent-Type: text/plain; charset=us-ascii\n\n",
          c->boundary, c->boundary);
    switch (variant) {
    case 0: b_add(b, intro[0], c->rcpt, dom, c->diag); break;
    case 1: b_add(b, intro[1], c->origdate, c->rcpt, c->diag); break;
    case 2: b_add(b, intro[2], c->rcpt, c->rcpt, c->diag); break;
    default: b_add(b, intro[3], dom, c->rcpt, dom, c->diag); break;
    }
    b_add(b, "\n--%s\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.org\n"
             "Arrival-Date: %s\n\nFinal-Recipient: rfc822; %s\nOriginal-Recipient: rfc822;%s\n"
             "Action: %s\nStatus: %s\nRemote-MTA: dns; mx.%s\nDiagnostic-Code: smtp; %s\n\n",
          c->boundary, c->origdate, c->rcpt, c->rcpt, delayed ? "delayed" : "failed", c->f->status,
          dom, c->diag);
    b_add(b, "--%s\nContent-Type: %s\n\n", c->boundary,
          c->attach ? "message/rfc822" : "text/rfc822-headers");
    original(b, c, !c->attach);
    b_add(b, "--%s--\n", c->boundary);
}

static void style_exim(buf_t *b, const ctx_t *c)
{
    char extra[256];
    snprintf(extra, sizeof extra, "X-Failed-Recipients: %s\nContent-Type: text/plain; charset=us-ascii\n\n", c->rcpt);
    head(b, c, "Mail Delivery System <Mailer-Daemon@mx.example.org>",
         "Mail delivery failed: returning message to sender", extra);
    b_add(b, "This message was created automatically by mail delivery software.\n\n"
             "A message that you sent could not be delivered to one or more of its\n"
             "recipients. This is a permanent error. The following address(es) failed:\n\n"
             "  %s\n    host mx.%s [192.0.2.25]\n    SMTP error from remote mail server after RCPT TO:<%s>:\n    %s\n\n"
             "------ This is a copy of the message, including all the headers. ------\n\n",
          c->rcpt, strchr(c->rcpt, '@') + 1, c->rcpt, c->diag);
    original(b, c, false);
}

static void style_qmail(buf_t *b, const ctx_t *c)
{
    head(b, c, "MAILER-DAEMON@mx.example.org", "failure notice", "Content-Type: text/plain\n\n");
    b_add(b, "Hi. This is the qmail-send program at mx.example.org.\n"
             "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
             "This is a permanent error; I've given up. Sorry it didn't work out.\n\n"
             "<%s>:\n192.0.2.25 does not like recipient.\nRemote host said: %s\nGiving up on 192.0.2.25.\n\n"
             "--- Below this line is a copy of the message.\n\n", c->rcpt, c->diag);
    original(b, c, false);
}

static void style_gmail(buf_t *b, const ctx_t *c)
{
    head(b, c, "Mail Delivery Subsystem <mailer-daemon@googlemail.com>", "Delivery Status Notification (Failure)",
         "Content-Type: text/plain; charset=ISO-8859-1\n\n");
    b_add(b, "Delivery to the following recipient failed permanently:\n\n     %s\n\n"
             "Technical details of permanent failure:\nGoogle tried to deliver your message, but it was rejected by "
             "the server for the recipient domain %s by mx.%s. [192.0.2.25].\n\n"
             "The error that the other server returned was:\n%s\n\n   ----- Original message -----\n\n",
          c->rcpt, strchr(c->rcpt, '@') + 1, strchr(c->rcpt, '@') + 1, c->diag);
    original(b, c, false);
}

static void style_yahoo(buf_t *b, const ctx_t *c)
{
    head(b, c, "MAILER-DAEMON@yahoo.example", "Failure Notice", "Content-Type: text/plain\n\n");
    b_add(b, "Sorry, we were unable to deliver your message to the following address.\n\n<%s>:\n"
             "Remote host said: %s [RCPT_TO]\n\n--- Below this line is a copy of the message.\n\n", c->rcpt, c->diag);
    original(b, c, false);
}

static void style_opensmtpd(buf_t *b, const ctx_t *c)
{
    head(b, c, "Mailer Daemon <MAILER-DAEMON@mx.example.org>", "Delivery status notification: error",
         "Content-Type: text/plain; charset=us-ascii\n\n");
    b_add(b, "Hi!\n\nThis is the MAILER-DAEMON, please DO NOT REPLY to this e-mail.\n\n"
             "An error has occurred while attempting to deliver a message for\nthe following list of recipients:\n\n"
             "%s: %s\n\nBelow is a copy of the original message:\n\n", c->rcpt, c->diag);
    original(b, c, false);
}

static void style_courier(buf_t *b, const ctx_t *c)
{
    head(b, c, "Courier mail server at mx.example.org <@>", "NOTICE: mail delivery status.", "");
    b_add(b, "Content-Type: multipart/report; report-type=delivery-status; boundary=\"%s\"\n\n--%s\n"
             "Content-Type: text/plain; charset=\"utf-8\"\n\nThis is a delivery status notification from mx.example.org,\n"
             "running the Courier mail server.\n\nThe original message was received on %s\n\n"
             "---------------------------------------------------------------------------\n\n"
             "                           UNDELIVERABLE MAIL\n\nYour message to the following recipients cannot be delivered:\n\n"
             "<%s>:\n    mx.%s [192.0.2.25]:\n>>> RCPT TO:<%s>\n<<< %s\n\n--%s\n"
             "Content-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.org\n\n"
             "Final-Recipient: rfc822; %s\nAction: failed\nStatus: %s\n\n--%s\nContent-Type: text/rfc822-headers\n\n",
          c->boundary, c->boundary, c->origdate, c->rcpt, strchr(c->rcpt, '@') + 1, c->rcpt, c->diag,
          c->boundary, c->rcpt, c->f->status, c->boundary);
    original(b, c, true);
    b_add(b, "--%s--\n", c->boundary);
}

static void style_domino(buf_t *b, const ctx_t *c)
{
    head(b, c, "Postmaster <postmaster@mx.example.org>", "DELIVERY FAILURE: User not listed in Domino Directory",
         "Content-Type: text/plain; charset=UTF-8\n\n");
    b_add(b, "Your message\n\n  Subject: Boletín de noviembre\n\nwas not delivered to:\n\n  %s\n\n"
             "because:\n\n  %s\n\n", c->rcpt, c->diag);
}

static void style_autoreply(buf_t *b, const ctx_t *c)
{
    b_add(b, "Return-Path: <>\nDate: %s\nFrom: <%s>\nTo: %s\nSubject: Fuera de la oficina: Boletín\n"
             "Auto-Submitted: auto-replied\nX-Autoreply: yes\nContent-Type: text/plain; charset=UTF-8\n\n"
             "Estaré fuera de la oficina hasta el lunes. Para asuntos urgentes escriba a soporte@example.com.\n",
          c->date, c->rcpt, c->from);
}

static void style_arf(buf_t *b, const ctx_t *c)
{
    head(b, c, "<staff@hotmail.example>", "complaint about message from 203.0.113.7", "");
    b_add(b, "Content-Type: multipart/report; report-type=feedback-report; boundary=\"%s\"\n\n--%s\n"
             "Content-Type: text/plain\n\nThis is an email abuse report for an email message received from IP 203.0.113.7\n\n"
             "--%s\nContent-Type: message/feedback-report\n\nFeedback-Type: abuse\nUser-Agent: SomeGenerator/1.0\n"
             "Version: 1\nOriginal-Mail-From: <%s>\nOriginal-Rcpt-To: <%s>\nSource-IP: 203.0.113.7\n\n"
             "--%s\nContent-Type: message/rfc822\n\n",
          c->boundary, c->boundary, c->boundary, c->from, c->rcpt, c->boundary);
    original(b, c, false);
    b_add(b, "--%s--\n", c->boundary);
}

/* n bytes of x-like filler of one kind: letters (a host or local part) or words. */
static void filler(buf_t *b, size_t n, bool words_too)
{
    for (size_t i = 0; i < n; i++)
        b_add(b, "%c", words_too && i % 8 == 7 ? ' ' : (char)('a' + rnd(26)));
}

/* The amplification report: little text, many recipients, long message fields. */
static void style_amplify(buf_t *b, unsigned rcpts, bool unlike)
{
    b_add(b, "Return-Path: <>\nDate: Mon, 1 Dec 2025 10:00:00 +0000 (");
    filler(b, 1000, true);
    b_add(b, ")\nFrom: MAILER-DAEMON@mx.example.org\nTo: boletin@news.example.org\n"
             "Subject: Undelivered Mail Returned to Sender\nMessage-ID: <%08x@mx.example.org>\nMIME-Version: 1.0\n"
             "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n\n--B\n"
             "Content-Type: text/plain\n\n<first@example.com>: host mx.example.com[192.0.2.25] said: 550 5.1.1 ",
          rnd(0xffffffff));
    filler(b, 1000, true);
    b_add(b, " (in reply to RCPT TO command)\n\n");
    if (unlike) {
        b_add(b, "<second@example.com>: host mx.example.com[192.0.2.25] said: 550 5.1.1 ");
        filler(b, 1000, true);
        b_add(b, "\n\n");
    }
    b_add(b, "--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.");
    filler(b, 1000, false);
    b_add(b, ".example.org\n\n");
    for (unsigned i = 0; i < rcpts; i++) {
        if (unlike)
            b_add(b, "Final-Recipient: rfc822; %s@example.com\nAction: failed\nStatus: 5.1.1\n\n", i ? "second" : "first");
        else
            b_add(b, "Final-Recipient: rfc822; u%u.%u@example.com\nAction: failed\nStatus: 5.1.1\n\n", i, rnd(100000));
    }
    b_add(b, "--B\nContent-Type: text/rfc822-headers\n\nMessage-ID: <");
    filler(b, 1000, false);
    b_add(b, "@news.example.org>\nFrom: ");
    filler(b, 1000, false);
    b_add(b, "@news.example.org\nSubject: ");
    filler(b, 1000, true);
    b_add(b, "\n\n--B--\n");
}

/* 12 styles; the demo mix adds auto-replies and feedback reports. */
static unsigned amplify_rcpts;   /* 0: not the amplification mix */
static bool amplify_unlike;

static void make_message(buf_t *b, bool demo)
{
    if (amplify_rcpts) {
        style_amplify(b, amplify_rcpts, amplify_unlike);
        return;
    }
    ctx_t c;
    make_ctx(&c);
    uint32_t k = rnd(demo ? 14 : 12);
    switch (k) {
    case 0: case 1: style_dsn(b, &c, 0); break;   /* postfix */
    case 2: style_dsn(b, &c, 1); break;           /* sendmail */
    case 3: style_dsn(b, &c, 2); break;           /* exchange 2007 */
    case 4: style_dsn(b, &c, 3); break;           /* office 365 */
    case 5: style_exim(b, &c); break;
    case 6: style_qmail(b, &c); break;
    case 7: style_gmail(b, &c); break;
    case 8: style_yahoo(b, &c); break;
    case 9: style_opensmtpd(b, &c); break;
    case 10: style_courier(b, &c); break;
    case 11: style_domino(b, &c); break;
    case 12: style_autoreply(b, &c); break;
    default: style_arf(b, &c); break;
    }
}

static int write_file(const char *path, const buf_t *b)
{
    FILE *f = fopen(path, "w");
    if (!f || fwrite(b->s, 1, b->n, f) != b->n || fclose(f) != 0) {
        fprintf(stderr, "bounce-gen: cannot write %s: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    unsigned long seed = 1, count = 100;
    const char *maildir = NULL, *mbox = NULL;
    bool demo = false, amplify = false;
    for (int i = 1; i < argc; i++) {
        if (!strncmp(argv[i], "--seed=", 7)) seed = strtoul(argv[i] + 7, NULL, 10);
        else if (!strncmp(argv[i], "--count=", 8)) count = strtoul(argv[i] + 8, NULL, 10);
        else if (!strncmp(argv[i], "--epoch=", 8)) gen_epoch = strtoul(argv[i] + 8, NULL, 10);
        else if (!strncmp(argv[i], "--maildir=", 10)) maildir = argv[i] + 10;
        else if (!strncmp(argv[i], "--mbox=", 7)) mbox = argv[i] + 7;
        else if (!strncmp(argv[i], "--attach-kb=", 12)) attach_kb = atoi(argv[i] + 12);
        else if (!strcmp(argv[i], "--mix=demo")) demo = true;
        else if (!strcmp(argv[i], "--mix=bench")) demo = false;
        else if (!strcmp(argv[i], "--mix=amplify")) amplify = true;
        else if (!strcmp(argv[i], "--mix=amplify-unlike")) amplify = amplify_unlike = true;
        else if (!strncmp(argv[i], "--rcpts=", 8)) amplify_rcpts = (unsigned)strtoul(argv[i] + 8, NULL, 10);
        else {
            fprintf(stderr, "usage: bounce-gen [--seed=N] [--count=N] [--epoch=UNIXTIME] [--mix=demo|bench|amplify|amplify-unlike] "
                            "[--attach-kb=N] [--rcpts=N] (--maildir=DIR | --mbox=FILE)\n");
            return 2;
        }
    }
    if (!maildir == !mbox) {
        fprintf(stderr, "bounce-gen: give one of --maildir or --mbox\n");
        return 2;
    }
    if (amplify && !amplify_rcpts)
        amplify_rcpts = 512;
    if (!amplify)
        amplify_rcpts = 0;
    rng_state = seed * 2654435761u + 88172645463325252ull;
    FILE *mb = NULL;
    char path[4096];
    if (maildir) {
        const char *subs[] = {"", "/cur", "/new", "/tmp"};
        for (int i = 0; i < 4; i++) {
            snprintf(path, sizeof path, "%s%s", maildir, subs[i]);
            if (mkdir(path, 0755) != 0 && errno != EEXIST) {
                fprintf(stderr, "bounce-gen: cannot create %s: %s\n", path, strerror(errno));
                return 1;
            }
        }
    } else if (!(mb = fopen(mbox, "w"))) {
        fprintf(stderr, "bounce-gen: cannot write %s: %s\n", mbox, strerror(errno));
        return 1;
    }
    buf_t b = {0};
    for (unsigned long i = 0; i < count; i++) {
        b.n = 0;
        make_message(&b, demo);
        if (maildir) {
            snprintf(path, sizeof path, "%s/cur/%lu.M%luP%lu.rebote-gen,S=%zu:2,S", maildir,
                     1764460800UL + i, i, seed, b.n);
            if (write_file(path, &b) != 0)
                return 1;
        } else {
            fprintf(mb, "From MAILER-DAEMON Mon Nov 30 00:00:00 2026\n");
            for (size_t k = 0; k < b.n;) {   /* mboxrd quoting */
                const char *nl = memchr(b.s + k, '\n', b.n - k);
                size_t len = nl ? (size_t)(nl - (b.s + k)) + 1 : b.n - k;
                size_t q = k;
                while (q < k + len && b.s[q] == '>') q++;
                if (k + len - q >= 5 && !memcmp(b.s + q, "From ", 5)) fputc('>', mb);
                fwrite(b.s + k, 1, len, mb);
                k += len;
            }
            fputc('\n', mb);
        }
    }
    free(b.s);
    if (mb && fclose(mb) != 0) {
        fprintf(stderr, "bounce-gen: cannot write %s: %s\n", mbox, strerror(errno));
        return 1;
    }
    return 0;
}
