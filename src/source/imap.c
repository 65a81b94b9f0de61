/* IMAP source with libetpan: implicit TLS (imaps://) or STARTTLS (imap://,
 * required unless --no-tls), the certificate verified before LOGIN, fetches
 * in UID chunks with BODY.PEEK (never sets \Seen), and deletions of exactly
 * the given UIDs: UID STORE +FLAGS.SILENT (\Deleted) then UID EXPUNGE of the
 * same set (UIDPLUS), or UID MOVE to a trash mailbox. */
#include <config.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libetpan/libetpan.h>
#include "rebote/uidset.h"
#include "source_impl.h"
#include "tls.h"
#include "imapguard.h"
#include "imapsearch.h"
#include "rebote/sanitize.h"
#include <netdb.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define IMAP_SAID_MAX 300
#define IMAP_LITERAL_MAX (128u * 1024 * 1024)   /* a whole message fetched without a cap */

#define IMAP_SET_BYTES 8000      /* UID sets per command stay far below Dovecot's 64 KB */
#define IMAP_FETCH_CHUNK 500     /* messages per UID FETCH: bounded memory */

typedef struct {
    mailimap *imap;
    char *host, *user, *mailbox;
    uint16_t port;
    bool implicit_tls;
    imapguard *guard;   /* the stream guard, once connected */
    bool broken;        /* an answer was refused midway, or the connection was lost: no LOGOUT */
    bool listed;        /* a listing was made: the next one selects again (new mail, a lost session) */
    bool uidplus, move; /* the server's capabilities once logged in */
    char said[IMAP_SAID_MAX + 4];   /* the server's text, sanitised */
} imap_priv;

/* Percent-decodes [s, s+n) into a new string. */
static char *imap_decode(const char *s, size_t n)
{
    char *out = malloc(n + 1), *o = out;
    for (size_t i = 0; out && i < n; i++) {
        if (s[i] == '%' && i + 2 < n && isxdigit((unsigned char)s[i + 1]) && isxdigit((unsigned char)s[i + 2])) {
            char hex[3] = {s[i + 1], s[i + 2], 0};
            *o++ = (char)strtol(hex, NULL, 16);
            i += 2;
        } else {
            *o++ = s[i];
        }
    }
    if (out)
        *o = '\0';
    return out;
}

/* imaps://USER@HOST[:PORT]/MAILBOX; the user may be percent-encoded (%40 for @). */
static int imap_parse_url(const char *url, imap_priv *p, char *err, size_t errlen)
{
    p->implicit_tls = !strncmp(url, "imaps://", 8);
    const char *s = url + (p->implicit_tls ? 8 : 7);
    const char *slash = strchr(s, '/');
    const char *end = slash ? slash : s + strlen(s);
    const char *at = NULL;
    for (const char *q = s; q < end; q++)
        if (*q == '@')
            at = q;   /* the last @ before the host */
    if (!at || at == s) {
        snprintf(err, errlen, _("%s: the URL needs a user (imaps://USER@HOST/MAILBOX)"), url);
        return -1;
    }
    const char *host = at + 1, *colon = memchr(host, ':', (size_t)(end - host));
    long port = p->implicit_tls ? 993 : 143;
    if (colon) {
        char *stop;
        port = strtol(colon + 1, &stop, 10);
        if (stop != end || port <= 0 || port > 65535) {
            snprintf(err, errlen, _("%s: bad port"), url);
            return -1;
        }
    }
    size_t hl = (size_t)((colon ? colon : end) - host);
    if (hl == 0) {
        snprintf(err, errlen, _("%s: the URL needs a host"), url);
        return -1;
    }
    p->user = imap_decode(s, (size_t)(at - s));
    p->host = imap_decode(host, hl);
    p->mailbox = slash && slash[1] ? imap_decode(slash + 1, strlen(slash + 1)) : strdup("INBOX");
    p->port = (uint16_t)port;
    return p->user && p->host && p->mailbox ? 0 : -1;
}

/* The server's last words, for error messages: what the guard refused, or
 * the server's text through the project's sanitiser (no raw controls). */
static const char *imap_said(imap_priv *p)
{
    const char *why = imapguard_why(p->guard);
    if (why)
        return _(why);
    const char *r = p->imap ? p->imap->imap_response : NULL;
    if (!r || !*r)
        return _("no answer (the server closed the connection or timed out)");
    sanitize_show(p->said, sizeof p->said, r, strnlen(r, IMAP_SAID_MAX));
    return p->said[0] ? p->said : _("no answer (the server closed the connection or timed out)");
}

/* Why a connect() failed, as the user reads it (one table). */
static const struct {
    int err;
    const char *why;
} imap_connect_errors[] = {
    {ECONNREFUSED, N_("connection refused (nothing listens on that port)")},
    {EINPROGRESS, NULL},   /* NULL: timed out (connect() past SO_SNDTIMEO) */
    {ETIMEDOUT, NULL},
    {EAGAIN, NULL},
    {EHOSTUNREACH, N_("host unreachable")},
    {ENETUNREACH, N_("network unreachable")},
};

static int imap_tcp_fail(source *s, const imap_priv *p, int err, int timeout)
{
    for (size_t i = 0; i < sizeof imap_connect_errors / sizeof *imap_connect_errors; i++)
        if (imap_connect_errors[i].err == err) {
            if (!imap_connect_errors[i].why)
                return source_fail(s, _("cannot connect to %s port %u: timed out after %d s"), p->host, p->port,
                                   timeout);
            return source_fail(s, _("cannot connect to %s port %u: %s"), p->host, p->port,
                               _(imap_connect_errors[i].why));
        }
    return source_fail(s, _("cannot connect to %s port %u: %s"), p->host, p->port, strerror(err));
}

/* A TCP connection to host:port whose connect and reads have a deadline;
 * -1 with the reason in s (host not found, refused, timed out). */
static int imap_tcp(source *s, const imap_priv *p, int timeout)
{
    char service[8];
    snprintf(service, sizeof service, "%u", p->port);
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res = NULL;
    int g = getaddrinfo(p->host, service, &hints, &res);
    if (g == EAI_NONAME || g == EAI_FAIL
#ifdef EAI_NODATA
        || g == EAI_NODATA
#endif
    )
        return source_fail(s, _("cannot connect to %s: host not found"), p->host);
    if (g == EAI_AGAIN)
        return source_fail(s, _("cannot connect to %s: host not found (the name server did not answer)"), p->host);
    if (g != 0)
        return source_fail(s, _("cannot connect to %s: %s"), p->host, g == EAI_SYSTEM ? strerror(errno) : gai_strerror(g));
    int fd = -1, err = 0;
    struct timeval tv = {.tv_sec = timeout};
    for (struct addrinfo *a = res; a && fd < 0; a = a->ai_next) {
        fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
        if (fd < 0) {
            err = errno;
            continue;
        }
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);   /* bounds connect() too */
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        if (connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
            err = errno;
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(res);
    if (fd < 0)
        return imap_tcp_fail(s, p, err, timeout);
    return fd;
}

/* GnuTLS prints the reason of a failed handshake on stderr itself (libetpan
 * calls gnutls_perror): while a handshake runs (in source_open, before any
 * other thread exists) stderr goes to a pipe, and the reason into rebote's
 * one error line. */
typedef struct {
    int pipe[2], saved;
} imap_quiet;

static void imap_quiet_begin(imap_quiet *q)
{
    q->saved = -1;
    fflush(stderr);
    if (pipe(q->pipe) != 0) {
        q->pipe[0] = q->pipe[1] = -1;
        return;
    }
    fcntl(q->pipe[0], F_SETFL, O_NONBLOCK);
    fcntl(q->pipe[1], F_SETFL, O_NONBLOCK);   /* never blocks the handshake; a longer text is cut */
    q->saved = dup(STDERR_FILENO);
    if (q->saved < 0 || dup2(q->pipe[1], STDERR_FILENO) < 0) {
        if (q->saved >= 0)
            close(q->saved);
        q->saved = -1;
    }
}

/* Restores stderr; why: what GnuTLS said, sanitised ("" when nothing). */
static void imap_quiet_end(imap_quiet *q, char *why, size_t len)
{
    char buf[512];
    ssize_t n = 0;
    why[0] = '\0';
    fflush(stderr);
    if (q->saved >= 0) {
        dup2(q->saved, STDERR_FILENO);
        close(q->saved);
    }
    if (q->pipe[1] >= 0)
        close(q->pipe[1]);
    if (q->pipe[0] >= 0) {
        n = read(q->pipe[0], buf, sizeof buf - 1);
        close(q->pipe[0]);
    }
    if (n <= 0)
        return;
    buf[n] = '\0';
    char *text = strncmp(buf, "GnuTLS error: ", 14) ? buf : buf + 14;
    text[strcspn(text, "\r\n")] = '\0';
    sanitize_show(why, len, text, strlen(text));
}

static double imap_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t imap_literal_max(const source *s)
{
    return s->opt.fetch_cap ? s->opt.fetch_cap : IMAP_LITERAL_MAX;
}

/* Opens the stream, guarded before the greeting is read; -1 with the
 * reason in s: the connection, the TLS handshake, or the greeting. */
static int imap_open_stream(source *s, imap_priv *p)
{
    int timeout = s->opt.timeout > 0 ? s->opt.timeout : 30;
    int fd = imap_tcp(s, p, timeout);
    if (fd < 0)
        return -1;
    double t0 = imap_now();
    char why[300] = "";
    mailstream *st;
    if (p->implicit_tls) {
        imap_quiet q;
        imap_quiet_begin(&q);
        st = mailstream_ssl_open_with_callback_timeout(fd, timeout, tls_set_server_name, p->host);
        imap_quiet_end(&q, why, sizeof why);
    } else {
        st = mailstream_socket_open_timeout(fd, timeout);
    }
    if (!st) {
        close(fd);
        if (!p->implicit_tls)
            return source_fail(s, "%s", _("out of memory"));
        if (imap_now() - t0 >= timeout - 0.5)
            return source_fail(s, _("cannot connect to %s port %u: TLS: no handshake within %d s (timed out)"),
                               p->host, p->port, timeout);
        return source_fail(s, _("cannot connect to %s port %u: TLS: the handshake failed: %s (does the port speak "
                              "TLS? imap:// uses STARTTLS)"), p->host, p->port, why[0] ? why : _("no reason given"));
    }
    if (!(p->guard = imapguard_wrap(st, imap_literal_max(s)))) {
        mailstream_close(st);
        return source_fail(s, "%s", _("out of memory"));
    }
    int r = mailimap_connect(p->imap, st);
    if (r == MAILIMAP_NO_ERROR || r == MAILIMAP_NO_ERROR_NON_AUTHENTICATED || r == MAILIMAP_NO_ERROR_AUTHENTICATED)
        return 0;
    if (imapguard_why(p->guard))
        return source_fail(s, _("cannot connect to %s port %u: %s"), p->host, p->port, imap_said(p));
    if (imap_now() - t0 >= timeout - 0.5)
        return source_fail(s, _("cannot connect to %s port %u: no greeting within %d s (timed out)"), p->host,
                           p->port, timeout);
    return source_fail(s, _("cannot connect to %s port %u: the server closed the connection before greeting"),
                       p->host, p->port);
}

static int imap_connect(source *s, imap_priv *p)
{
    if (imap_open_stream(s, p) != 0)
        return -1;
    if (!p->implicit_tls && !s->opt.no_tls) {
        struct mailimap_capability_data *cap = NULL;
        if (mailimap_capability(p->imap, &cap) == MAILIMAP_NO_ERROR && cap)
            mailimap_capability_data_free(cap);
        if (!mailimap_has_extension(p->imap, "STARTTLS"))
            return source_fail(s, _("%s does not offer STARTTLS: refusing to send the password in clear "
                                  "(use imaps:// or, knowingly, --no-tls)"), p->host);
        p->guard = NULL;   /* freed with the plain stream */
        imap_quiet q;
        char why[300];
        imap_quiet_begin(&q);
        int r = mailimap_socket_starttls_with_callback(p->imap, tls_set_server_name, p->host);
        imap_quiet_end(&q, why, sizeof why);
        if (r != MAILIMAP_NO_ERROR)
            return source_fail(s, _("STARTTLS with %s failed: TLS: the handshake failed: %s"), p->host,
                               why[0] ? why : _("no reason given"));
        if (!(p->guard = imapguard_wrap(p->imap->imap_stream, imap_literal_max(s))))
            return source_fail(s, "%s", _("out of memory"));
    }
    if ((p->implicit_tls || !s->opt.no_tls) && !s->opt.insecure &&
        tls_verify(p->imap->imap_stream, p->host, s->opt.ca_file, s->err, sizeof s->err) != 0)
        return -1;   /* before any password is asked for or sent */
    struct mailimap_capability_data *cap = NULL;   /* after STARTTLS the old list is stale */
    if (mailimap_capability(p->imap, &cap) == MAILIMAP_NO_ERROR && cap)
        mailimap_capability_data_free(cap);
    return 0;
}

static int imap_login(source *s, imap_priv *p)
{
    if (!s->opt.password && s->opt.ask_password)   /* only now: the server is reached and verified */
        s->opt.password = s->opt.ask_password(s->opt.ask_ctx);
    s->opt.ask_password = NULL;   /* the caller's context is not kept beyond source_open */
    s->opt.ask_ctx = NULL;
    if (!s->opt.password)
        return source_fail(s, _("no password for %s@%s"), p->user, p->host);
    int r;
    if (!mailimap_has_extension(p->imap, "LOGINDISABLED"))
        r = mailimap_login(p->imap, p->user, s->opt.password);
    else if (mailimap_has_authentication(p->imap, "PLAIN"))
        r = mailimap_authenticate(p->imap, "PLAIN", p->host, NULL, NULL, p->user, p->user,
                                  s->opt.password, NULL);
    else
        return source_fail(s, _("%s offers neither LOGIN nor AUTHENTICATE PLAIN"), p->host);
    if (r == MAILIMAP_ERROR_STREAM)
        return source_fail(s, _("login as %s on %s failed: %s"), p->user, p->host,
                           imapguard_why(p->guard) ? imap_said(p)
                                                   : _("no answer in time (timed out or connection lost)"));
    if (r != MAILIMAP_NO_ERROR)
        return source_fail(s, _("login as %s on %s refused: %s"), p->user, p->host, imap_said(p));
    return 0;
}

/* What the server can do once logged in (the list before LOGIN may lack
 * UIDPLUS: asked again when the login answer did not bring it). */
static void imap_capabilities(imap_priv *p)
{
    if (!mailimap_has_uidplus(p->imap)) {
        struct mailimap_capability_data *cap = NULL;
        if (mailimap_capability(p->imap, &cap) == MAILIMAP_NO_ERROR && cap)
            mailimap_capability_data_free(cap);
    }
    p->uidplus = mailimap_has_uidplus(p->imap);
    p->move = mailimap_has_extension(p->imap, "MOVE");
}

const char *imap_cannot_delete(const source *s)
{
    const imap_priv *p = s->priv;
    if (s->uidvalidity == 0)
        return N_("no valid UIDVALIDITY");
    if (p->uidplus || s->opt.expunge_all || (s->opt.trash && p->move))
        return NULL;
    return N_("no UIDPLUS");
}

static int imap_select(source *s, imap_priv *p)
{
    imapguard_select_starts(p->guard);
    int r = s->opt.read_only ? mailimap_examine(p->imap, p->mailbox) : mailimap_select(p->imap, p->mailbox);
    if (r == MAILIMAP_ERROR_STREAM)
        p->broken = true;   /* the server went away: imap_select_alive connects again */
    if (r != MAILIMAP_NO_ERROR || !p->imap->imap_selection_info)
        return source_fail(s, _("cannot open the mailbox %s: %s"), p->mailbox, imap_said(p));
    s->uidvalidity = imapguard_uidvalidity(p->guard) == 1 ? p->imap->imap_selection_info->sel_uidvalidity
                                                          : 0;   /* 0: none, or not valid: read-only */
    return 0;
}

/* A new session as source_open made it: connection, TLS and certificate
 * check, login with the password given then, SELECT. The caller's UIDs stay
 * good only while UIDVALIDITY is the same (imap_remove compares it). */
static int imap_reconnect(source *s, imap_priv *p)
{
    if (p->imap) {
        if (p->imap->imap_stream) {   /* no LOGOUT on a lost stream */
            mailstream_close(p->imap->imap_stream);
            p->imap->imap_stream = NULL;
        }
        mailimap_free(p->imap);
    }
    p->guard = NULL;   /* freed with its stream */
    p->broken = false;
    if (!(p->imap = mailimap_new(0, NULL)))
        return source_fail(s, "%s", _("out of memory"));
    mailimap_set_timeout(p->imap, s->opt.timeout > 0 ? s->opt.timeout : 30);
    if (imap_connect(s, p) != 0 || imap_login(s, p) != 0)
        return -1;
    imap_capabilities(p);
    return imap_select(s, p);
}

/* SELECT again (the count of now, the UIDVALIDITY of now), and when the
 * server dropped the session since (a restart, an idle timeout), one new
 * session: r and $ work again after a lost connection. */
static int imap_select_alive(source *s, imap_priv *p)
{
    if (!p->broken && p->imap && p->imap->imap_stream && imap_select(s, p) == 0)
        return 0;
    if (p->imap && p->imap->imap_stream && !p->broken)
        return -1;   /* a refusal, not a lost session: its reason is said */
    return imap_reconnect(s, p);
}

/* "1:4,6" -> a libetpan set. */
static struct mailimap_set *imap_set_parse(const char *text)
{
    struct mailimap_set *set = mailimap_set_new_empty();
    const char *p = text;
    while (set && *p) {
        char *stop;
        unsigned long a = strtoul(p, &stop, 10), b = a;
        if (*stop == ':')
            b = strtoul(stop + 1, &stop, 10);
        mailimap_set_add_interval(set, (uint32_t)a, (uint32_t)b);
        p = *stop == ',' ? stop + 1 : stop + strlen(stop);
    }
    return set;
}

/* Walks the attributes of one FETCH answer: UID and body. */
static void imap_att(struct mailimap_msg_att *att, uint32_t *uid, const char **body, size_t *blen)
{
    clistiter *it;
    for (it = clist_begin(att->att_list); it; it = clist_next(it)) {
        struct mailimap_msg_att_item *item = clist_content(it);
        if (item->att_type != MAILIMAP_MSG_ATT_ITEM_STATIC)
            continue;
        struct mailimap_msg_att_static *st = item->att_data.att_static;
        if (st->att_type == MAILIMAP_MSG_ATT_UID)
            *uid = st->att_data.att_uid;
        else if (st->att_type == MAILIMAP_MSG_ATT_BODY_SECTION && st->att_data.att_body_section) {
            *body = st->att_data.att_body_section->sec_body_part;
            *blen = st->att_data.att_body_section->sec_length;
        }
    }
}

/* The UIDs of the mailbox, with one UID SEARCH ALL (RETURN (ALL) when the
 * server has ESEARCH: "1:5000"), read by rebote's own parser into compact
 * ranges (src/source/imapsearch.c), never more UIDs than EXISTS allows. */
static int imap_search(source *s, imap_priv *p, imapsearch_set *set)
{
    const char *why = NULL;
    char text[IMAPSEARCH_TEXT_MAX + 1];
    int r = imapsearch_run(p->imap, p->guard, mailimap_has_extension(p->imap, "ESEARCH"),
                           p->imap->imap_selection_info->sel_exists, set, &why, text, sizeof text);
    if (r == 0)
        return 0;
    if (r > 0) {
        sanitize_show(p->said, sizeof p->said, text, strnlen(text, IMAP_SAID_MAX));
        return source_fail(s, _("listing %s failed: %s"), p->mailbox, p->said);
    }
    p->broken = true;
    return source_fail(s, _("listing %s failed: %s"), p->mailbox,
                       why ? _(why) : imapguard_why(p->guard) ? imap_said(p)
                                                                : _("no answer in time (timed out or connection lost)"));
}

static int imap_list(source *s, source_item **items, size_t *n)
{
    imap_priv *p = s->priv;
    if (p->listed && imap_select_alive(s, p) != 0)   /* the first listing uses source_open's SELECT */
        return -1;
    p->listed = true;
    if (p->imap->imap_selection_info->sel_exists == 0)
        return 0;
    imapsearch_set set = {0};
    if (imap_search(s, p, &set) != 0)
        return -1;
    size_t cap = 0;
    for (size_t i = 0; i < set.n; i++)
        for (uint64_t uid = set.v[i].lo; uid <= set.v[i].hi; uid++) {
            char key[16];
            snprintf(key, sizeof key, "%u", (unsigned)uid);
            if (source_add_item(items, n, &cap, (uint32_t)uid, key) != 0) {
                imapsearch_set_free(&set);
                source_items_free(*items, *n);
                *items = NULL;
                *n = 0;
                return source_fail(s, "%s", _("out of memory"));
            }
        }
    imapsearch_set_free(&set);
    return 0;
}

typedef struct {
    source *s;
    const source_item *items;   /* sorted by UID (index) */
    const source_item **by_uid;
    size_t n, done, total;
    source_fetch_cb cb;
    source_progress_cb progress;
    void *ctx;
    int rc;
} imap_fetch_ctx;

static int cmp_item_uid(const void *a, const void *b)
{
    uint32_t x = (*(const source_item *const *)a)->uid, y = (*(const source_item *const *)b)->uid;
    return x < y ? -1 : x > y;
}

static const source_item *imap_item(const imap_fetch_ctx *fc, uint32_t uid)
{
    source_item probe = {.uid = uid};
    const source_item *pp = &probe;
    const source_item **hit = bsearch(&pp, fc->by_uid, fc->n, sizeof *fc->by_uid, cmp_item_uid);
    return hit ? *hit : NULL;
}

/* One UID FETCH of a set: BODY.PEEK[] (or its first cap bytes) per message. */
static int imap_fetch_set(const char *set_text, size_t count, void *vctx)
{
    (void)count;
    imap_fetch_ctx *fc = vctx;
    imap_priv *p = fc->s->priv;
    struct mailimap_set *set = imap_set_parse(set_text);
    struct mailimap_fetch_type *ft = mailimap_fetch_type_new_fetch_att_list_empty();
    struct mailimap_section *sec = mailimap_section_new(NULL);
    mailimap_fetch_type_new_fetch_att_list_add(ft, mailimap_fetch_att_new_uid());
    if (fc->s->opt.fetch_cap)
        mailimap_fetch_type_new_fetch_att_list_add(
            ft, mailimap_fetch_att_new_body_peek_section_partial(sec, 0, (uint32_t)fc->s->opt.fetch_cap));
    else
        mailimap_fetch_type_new_fetch_att_list_add(ft, mailimap_fetch_att_new_body_peek_section(sec));
    clist *result = NULL;
    int r = mailimap_uid_fetch(p->imap, set, ft, &result);
    mailimap_fetch_type_free(ft);
    mailimap_set_free(set);
    if (r == MAILIMAP_ERROR_STREAM || r == MAILIMAP_ERROR_PARSE)
        p->broken = true;   /* lost or out of step: the next load connects again */
    if (r != MAILIMAP_NO_ERROR)
        return fc->rc = source_fail(fc->s, _("fetching from %s failed: %s"), p->mailbox, imap_said(p));
    for (clistiter *it = clist_begin(result); it && fc->rc == 0; it = clist_next(it)) {
        uint32_t uid = 0;
        const char *body = NULL;
        size_t blen = 0;
        imap_att(clist_content(it), &uid, &body, &blen);
        const source_item *item = imap_item(fc, uid);
        if (item && body)
            fc->rc = fc->cb(item, body, blen, fc->ctx);
        if (fc->progress)
            fc->progress(++fc->done, fc->total, fc->ctx);
    }
    mailimap_fetch_list_free(result);
    return fc->rc;
}

static int imap_fetch(source *s, const source_item *items, size_t n, source_fetch_cb cb,
                      source_progress_cb progress, void *ctx)
{
    imap_fetch_ctx fc = {.s = s, .items = items, .n = n, .cb = cb, .progress = progress, .ctx = ctx,
                         .total = n};
    fc.by_uid = malloc((n ? n : 1) * sizeof *fc.by_uid);
    uint32_t *uids = malloc((n ? n : 1) * sizeof *uids);
    if (!fc.by_uid || !uids) {
        free(fc.by_uid);
        free(uids);
        return source_fail(s, "%s", _("out of memory"));
    }
    for (size_t i = 0; i < n; i++) {
        fc.by_uid[i] = &items[i];
        uids[i] = items[i].uid;
    }
    qsort(fc.by_uid, n, sizeof *fc.by_uid, cmp_item_uid);
    int rc = 0;
    for (size_t from = 0; from < n && rc == 0; from += IMAP_FETCH_CHUNK) {
        size_t len = n - from < IMAP_FETCH_CHUNK ? n - from : IMAP_FETCH_CHUNK;
        rc = uidset_each(uids + from, len, IMAP_SET_BYTES, imap_fetch_set, &fc);
    }
    free(uids);
    free(fc.by_uid);
    return rc ? -1 : 0;
}

typedef struct {
    source *s;
    int step;   /* 0 store \Deleted, 1 UID EXPUNGE, 2 UID MOVE, 3 UID COPY */
} imap_delete_ctx;

static int imap_delete_set(const char *set_text, size_t count, void *vctx)
{
    (void)count;
    imap_delete_ctx *dc = vctx;
    imap_priv *p = dc->s->priv;
    struct mailimap_set *set = imap_set_parse(set_text);
    int r;
    if (dc->step == 0) {
        struct mailimap_flag_list *flags = mailimap_flag_list_new_empty();
        mailimap_flag_list_add(flags, mailimap_flag_new_deleted());
        struct mailimap_store_att_flags *att = mailimap_store_att_flags_new_add_flags_silent(flags);
        r = mailimap_uid_store(p->imap, set, att);
        mailimap_store_att_flags_free(att);
    } else if (dc->step == 1) {
        r = mailimap_uid_expunge(p->imap, set);
    } else if (dc->step == 2) {
        r = mailimap_uid_move(p->imap, set, dc->s->opt.trash);
    } else {
        r = mailimap_uid_copy(p->imap, set, dc->s->opt.trash);
    }
    mailimap_set_free(set);
    if (r != MAILIMAP_NO_ERROR)
        return source_fail(dc->s, _("deleting from %s failed: %s"), p->mailbox, imap_said(p));
    return 0;
}

/* One NOOP after the SELECT and before any STORE: a server whose SELECT
 * answered from a view it then finds stale (Dovecot, when the index was reset
 * under an open session: "view is now inconsistent") ends the session here,
 * before a message is touched, or reports the new UIDVALIDITY. */
static int imap_recheck(source *s, imap_priv *p, uint32_t expected)
{
    if (mailimap_noop(p->imap) != MAILIMAP_NO_ERROR)
        return source_fail(s, _("the mailbox %s could not be checked before deleting: %s"),
                           p->mailbox, imap_said(p));
    uint32_t now = p->imap->imap_selection_info ? p->imap->imap_selection_info->sel_uidvalidity : 0;
    if (imapguard_uidvalidity(p->guard) != 1 || now != expected)
        return source_fail(s, _("the mailbox %s changed (UIDVALIDITY %u, was %u): reload it"),
                           p->mailbox, now, expected);
    return 0;
}

static int imap_remove(source *s, const source_item *items, size_t n, uint32_t expected, size_t *removed)
{
    imap_priv *p = s->priv;
    if (imap_select_alive(s, p) != 0)   /* the UIDVALIDITY of now, not of the load */
        return -1;
    if (expected == 0 || s->uidvalidity == 0)
        return source_fail(s, _("the mailbox %s has no valid UIDVALIDITY: rebote does not delete from it"),
                           p->mailbox);
    if (s->uidvalidity != expected)
        return source_fail(s, _("the mailbox %s changed (UIDVALIDITY %u, was %u): reload it"),
                           p->mailbox, s->uidvalidity, expected);
    if (imap_recheck(s, p, expected) != 0)
        return -1;
    bool uidplus = mailimap_has_uidplus(p->imap);
    uint32_t *uids = malloc((n ? n : 1) * sizeof *uids);
    if (!uids)
        return source_fail(s, "%s", _("out of memory"));
    for (size_t i = 0; i < n; i++)
        uids[i] = items[i].uid;
    imap_delete_ctx dc = {s, 0};
    int rc = 0;
    if (s->opt.trash && mailimap_has_extension(p->imap, "MOVE")) {
        dc.step = 2;
        rc = uidset_each(uids, n, IMAP_SET_BYTES, imap_delete_set, &dc);
    } else {
        if (s->opt.trash) {
            dc.step = 3;
            rc = uidset_each(uids, n, IMAP_SET_BYTES, imap_delete_set, &dc);
        }
        dc.step = 0;
        if (rc == 0)
            rc = uidset_each(uids, n, IMAP_SET_BYTES, imap_delete_set, &dc);
        dc.step = 1;
        if (rc == 0 && uidplus)
            rc = uidset_each(uids, n, IMAP_SET_BYTES, imap_delete_set, &dc);
        else if (rc == 0 && s->opt.expunge_all) {
            if (mailimap_expunge(p->imap) != MAILIMAP_NO_ERROR)
                rc = source_fail(s, _("EXPUNGE failed: %s"), imap_said(p));
        } else if (rc == 0) {
            /* Mark only: a plain EXPUNGE would also remove what other clients marked. */
            free(uids);
            return source_fail(s, _("marked %zu messages \\Deleted on %s but expunged nothing: the server lacks "
                                  "UIDPLUS, and a plain EXPUNGE would also remove messages other clients marked "
                                  "deleted (--expunge-all allows it)"), n, p->host);
        }
    }
    free(uids);
    if (rc == 0)
        *removed = n;
    return rc ? -1 : 0;
}

static void imap_close(source *s)
{
    imap_priv *p = s->priv;
    if (!p)
        return;
    if (p->imap) {
        if (p->broken && p->imap->imap_stream) {   /* mailimap_free would LOGOUT and read on */
            mailstream_close(p->imap->imap_stream);
            p->imap->imap_stream = NULL;
        }
        if (p->imap->imap_stream && p->imap->imap_state != MAILIMAP_STATE_DISCONNECTED)
            mailimap_logout(p->imap);
        mailimap_free(p->imap);
    }
    free(p->host);
    free(p->user);
    free(p->mailbox);
    free(p);
}

static const source_ops imap_ops = {imap_list, imap_fetch, imap_remove, imap_close};

source *imap_open(const char *url, const source_options *opt, char *err, size_t errlen)
{
    imap_priv *p = calloc(1, sizeof *p);
    if (!p || imap_parse_url(url, p, err, errlen) != 0) {
        if (p) {
            free(p->host); free(p->user); free(p->mailbox);
        }
        free(p);
        return NULL;
    }
    char id[1024];
    snprintf(id, sizeof id, "%s://%s@%s:%u/%s", p->implicit_tls ? "imaps" : "imap", p->user, p->host,
             p->port, p->mailbox);
    source *s = source_new(&imap_ops, id, opt);
    if (!s) {
        free(p->host); free(p->user); free(p->mailbox); free(p);
        snprintf(err, errlen, "%s", _("out of memory"));
        return NULL;
    }
    s->priv = p;
    s->imap = true;
    p->imap = mailimap_new(0, NULL);
    if (p->imap)
        mailimap_set_timeout(p->imap, s->opt.timeout > 0 ? s->opt.timeout : 30);
    bool ok = p->imap && imap_connect(s, p) == 0 && imap_login(s, p) == 0;
    if (ok)
        imap_capabilities(p);
    if (!ok || imap_select(s, p) != 0) {
        snprintf(err, errlen, "%s", s->err[0] ? s->err : _("out of memory"));
        source_close(s);
        return NULL;
    }
    return s;
}
