#define _GNU_SOURCE
/* fake-imap: a hostile IMAP server for tests/imap-hostile.test.
 *   fake-imap PORTFILE LOGFILE SCENARIO [MESSAGE]
 * Listens on an ephemeral 127.0.0.1 port (written to PORTFILE), serves one
 * connection in plain IMAP, logs every command line it receives to LOGFILE,
 * and misbehaves as SCENARIO says (see the table). MESSAGE is the file sent
 * as the body of UID 1. Exits after 60 s whatever happens. A scenario
 * named tls-* speaks implicit TLS (GnuTLS) with the certificate and key in
 * $FAKE_CERT and $FAKE_KEY, then behaves as the rest of its name says.
 * Scenarios named *-5m have 5,000,000 messages (EXISTS) and answer every
 * FETCH with nothing; esearch-* advertise ESEARCH; no-uidplus lacks UIDPLUS. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdbool.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <gnutls/gnutls.h>

static int fd = -1;
static FILE *cmdlog;
static const char *scenario, *message;
static int selects;
static gnutls_session_t tls;   /* NULL: plain TCP */

static ssize_t io_write(const void *p, size_t n)
{
    return tls ? gnutls_record_send(tls, p, n) : write(fd, p, n);
}

static ssize_t io_read(void *p, size_t n)
{
    return tls ? gnutls_record_recv(tls, p, n) : read(fd, p, n);
}

/* Implicit TLS on the accepted socket; exits when the handshake fails. */
static void fake_tls(void)
{
    gnutls_certificate_credentials_t cred;
    const char *cert = getenv("FAKE_CERT"), *key = getenv("FAKE_KEY");
    if (!cert || !key || gnutls_certificate_allocate_credentials(&cred) < 0
        || gnutls_certificate_set_x509_key_file(cred, cert, key, GNUTLS_X509_FMT_PEM) < 0
        || gnutls_init(&tls, GNUTLS_SERVER) < 0 || gnutls_set_default_priority(tls) < 0
        || gnutls_credentials_set(tls, GNUTLS_CRD_CERTIFICATE, cred) < 0)
        exit(1);
    gnutls_transport_set_int(tls, fd);
    int r;
    do
        r = gnutls_handshake(tls);
    while (r < 0 && !gnutls_error_is_fatal(r));
    if (r < 0)
        exit(1);
}

static int is(const char *name) { return !strcmp(scenario, name); }
static int many(void) { return strstr(scenario, "-5m") != NULL; }
static int esearch(void) { return !strncmp(scenario, "esearch-", 8); }

/* While a long answer is being written, what the client sends is logged as
 * it comes: a client that gives up midway and says LOGOUT (or anything else)
 * before it hangs up must show in the log, even if the write then fails. */
static void log_pending(void)
{
    char buf[4096];
    struct pollfd p = {.fd = fd, .events = POLLIN};
    while (!tls && poll(&p, 1, 0) > 0 && (p.revents & POLLIN)) {
        ssize_t r = read(fd, buf, sizeof buf);
        if (r <= 0)
            return;
        fwrite(buf, 1, (size_t)r, cmdlog);
        fflush(cmdlog);
    }
}

static int out(const void *p, size_t n)
{
    const char *c = p;
    while (n) {
        log_pending();
        ssize_t w = io_write(c, n);
        if (w <= 0) {
            log_pending();
            return -1;
        }
        c += w;
        n -= (size_t)w;
    }
    return 0;
}

static int outs(const char *s) { return out(s, strlen(s)); }

/* Sends n bytes of x in chunks of 1 MiB (the client may hang up). */
static int out_fill(size_t n)
{
    static char chunk[1 << 20];
    memset(chunk, 'x', sizeof chunk);
    while (n) {
        size_t k = n < sizeof chunk ? n : sizeof chunk;
        if (out(chunk, k) != 0)
            return -1;
        n -= k;
    }
    return 0;
}

static void reply(const char *tag, const char *text)
{
    char line[512];
    snprintf(line, sizeof line, "%s %s\r\n", tag, text);
    outs(line);
}

static void fake_select(const char *tag)
{
    selects++;
    outs(many() ? "* 5000000 EXISTS\r\n" : "* 1 EXISTS\r\n");
    outs("* 0 RECENT\r\n* FLAGS (\\Deleted \\Seen)\r\n");
    if (is("uidv-zero"))
        outs("* OK [UIDVALIDITY 0] UIDs valid\r\n");
    else if (is("uidv-negative"))
        outs("* OK [UIDVALIDITY -5] UIDs valid\r\n");
    else if (is("uidv-big"))
        outs("* OK [UIDVALIDITY 99999999999] UIDs valid\r\n");
    else if (is("uidv-change"))
        outs(selects == 1 ? "* OK [UIDVALIDITY 42] UIDs valid\r\n" : "* OK [UIDVALIDITY 43] UIDs valid\r\n");
    else if (!is("uidv-none"))
        outs("* OK [UIDVALIDITY 42] UIDs valid\r\n");
    outs("* OK [UIDNEXT 2] next\r\n");
    reply(tag, "OK [READ-WRITE] SELECT done");
}

static void fake_fetch(const char *tag)
{
    if (many()) {
        reply(tag, "OK FETCH done");
        return;
    }
    if (is("cut-literal")) {
        outs("* 1 FETCH (UID 1 BODY[]<0> {5000}\r\nFrom: a\r\nSubject: cut\r\n");
        exit(0);   /* the connection closes inside the literal */
    }
    if (is("deep")) {
        outs("* 1 FETCH (UID 1 BODYSTRUCTURE ");
        for (int i = 0; i < 20000; i++)
            outs("(");
        outs("\r\n");
        return;
    }
    if (is("literal-big")) {
        outs("* 1 FETCH (UID 1 BODY[]<0> {2000000000}\r\n");
        out_fill(2000000000u);
        exit(0);
    }
    char *body = NULL;
    size_t len = 0;
    FILE *f = message ? fopen(message, "rb") : NULL;
    if (f) {
        body = malloc(1 << 20);
        len = body ? fread(body, 1, 1 << 20, f) : 0;
        fclose(f);
    }
    char head[128];
    snprintf(head, sizeof head, "* 1 FETCH (UID 1 BODY[]<0> {%zu}\r\n", len);
    outs(head);
    out(body ? body : "", len);
    outs(")\r\n");
    free(body);
    reply(tag, "OK FETCH done");
}

/* * SEARCH 1 2 ... 5000000, in 64 KiB writes (the client may hang up). */
static void fake_search_5m(void)
{
    outs("* SEARCH");
    char buf[1 << 16];
    size_t n = 0;
    for (unsigned u = 1; u <= 5000000; u++) {
        n += (size_t)snprintf(buf + n, sizeof buf - n, " %u", u);
        if (n > sizeof buf - 16) {
            if (out(buf, n) != 0)
                exit(0);
            n = 0;
        }
    }
    out(buf, n);
    outs("\r\n");
}

static void fake_search(const char *tag)
{
    char line[256];
    if (is("esearch-5m") || is("esearch-huge")) {
        snprintf(line, sizeof line, "* ESEARCH (TAG \"%s\") UID ALL %s\r\n", tag,
                 is("esearch-5m") ? "1:5000000" : "1:4294967295");
        outs(line);
    } else if (is("search-huge") || is("search-5m")) {
        fake_search_5m();
    } else if (is("search-zero")) {
        outs("* SEARCH 0\r\n");
    } else {
        outs("* SEARCH 1\r\n");
    }
    reply(tag, "OK SEARCH done");
}

/* One command line: TAG [UID] VERB ... */
static void fake_command(char *line)
{
    char tag[64] = "", verb[64] = "", arg[64] = "";
    sscanf(line, "%63s %63s %63s", tag, verb, arg);
    if (!strcasecmp(verb, "UID")) {
        memmove(verb, arg, sizeof verb);
    }
    if (!strcasecmp(verb, "CAPABILITY")) {
        outs(esearch() ? "* CAPABILITY IMAP4rev1 UIDPLUS ESEARCH AUTH=PLAIN\r\n"
             : is("no-uidplus") ? "* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n"
                                : "* CAPABILITY IMAP4rev1 UIDPLUS AUTH=PLAIN\r\n");
        reply(tag, "OK done");
    } else if (!strcasecmp(verb, "LOGIN")) {
        if (is("escape-no"))
            reply(tag, "NO \x1b]0;PWNED\x07\x1b[2J\x1b[31mgo away");
        else if (is("escape-bye")) {
            outs("* BYE \x1b]0;PWNED\x07\x1b[2J\x1b[31mbye\r\n");
            exit(0);
        } else if (is("silence"))
            pause();
        else
            reply(tag, "OK LOGIN done");
    } else if (!strcasecmp(verb, "SELECT") || !strcasecmp(verb, "EXAMINE")) {
        if (is("escape-bad"))
            reply(tag, "BAD \x1b]0;PWNED\x07\x1b[2Jbad");
        else
            fake_select(tag);
    } else if (!strcasecmp(verb, "SEARCH")) {
        fake_search(tag);
    } else if (!strcasecmp(verb, "FETCH")) {
        fake_fetch(tag);
    } else if (!strcasecmp(verb, "LOGOUT")) {
        outs("* BYE bye\r\n");
        reply(tag, "OK LOGOUT done");
        exit(0);
    } else {
        reply(tag, "OK done");
    }
}

static void fake_greet(void)
{
    if (is("silence-greeting"))
        pause();
    if (is("greeting-huge")) {
        outs("* OK ");
        if (out_fill(100u * 1024 * 1024) != 0)
            exit(0);
        outs("\r\n");
        return;
    }
    outs(is("no-uidplus") ? "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] fake ready\r\n"
                          : "* OK [CAPABILITY IMAP4rev1 UIDPLUS AUTH=PLAIN] fake ready\r\n");
}

static void fake_serve(void)
{
    fake_greet();
    char line[65536];
    size_t n = 0;
    for (;;) {
        ssize_t r = io_read(line + n, sizeof line - 1 - n);
        if (r <= 0)
            exit(0);
        n += (size_t)r;
        char *nl;
        while ((nl = memchr(line, '\n', n))) {
            *nl = '\0';
            fprintf(cmdlog, "%s\n", line);
            fflush(cmdlog);
            fake_command(line);
            size_t used = (size_t)(nl + 1 - line);
            memmove(line, nl + 1, n - used);
            n -= used;
        }
        if (n == sizeof line - 1)
            exit(1);
    }
}

int main(int argc, char **argv)
{
    if (argc < 4)
        return 2;
    scenario = argv[3];
    bool use_tls = !strncmp(scenario, "tls-", 4);
    if (use_tls)
        scenario += 4;
    message = argc > 4 ? argv[4] : NULL;
    signal(SIGPIPE, SIG_IGN);
    alarm(60);
    int l = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    socklen_t alen = sizeof a;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof a) != 0 || listen(l, 4) != 0
        || getsockname(l, (struct sockaddr *)&a, &alen) != 0)
        return 1;
    cmdlog = fopen(argv[2], "w");
    FILE *f = fopen(argv[1], "w");
    if (!f || !cmdlog)
        return 1;
    fprintf(f, "%d\n", ntohs(a.sin_port));
    fclose(f);
    fd = accept(l, NULL, NULL);
    if (fd < 0)
        return 1;
    if (use_tls)
        fake_tls();
    fake_serve();
    return 0;
}
