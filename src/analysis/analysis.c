/* Analysis entry point: MIME walk, then the report parts (ARF, DSN), then the
 * MTA families and the generic scanner for bounces written as prose, then
 * auto-replies. Builds one record per recipient. */
#include <config.h>
#include <pthread.h>
#include <stdlib.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <gmime/gmime.h>
#include "rebote/analysis.h"
#include "internal.h"


/* GMime is set up once per process: after g_mime_shutdown a second
 * g_mime_init leaves its caches half made (GLib criticals on reload). */
static void analysis_setup(void)
{
    g_mime_init();
    mime_setup();
    atexit(g_mime_shutdown);
}

void analysis_init(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, analysis_setup);
}

const char *analysis_strerror(analysis_status st)
{
    switch (st) {
    case ANALYSIS_OK: return "success";
    case ANALYSIS_ENOMEM: return "out of memory";
    case ANALYSIS_EMPTY: return "empty message";
    }
    return "unknown error";
}

/* What the per-recipient code needs to fill one record. */
typedef struct {
    const char *recipient, *action, *status, *diagnostic, *diagtype;
    const char *finalrecipient;
    const char *rhost, *lhost, *command, *hint, *agent;
    bool delayed, prose, weak;
} rcpt_facts;

static void set_str(char **field, const char *s)
{
    if (s)
        rb_record_set(field, s, strlen(s));
}

/* A header value that may hold RFC 2047 encoded-words (headers read as text,
 * e.g. the returned message's, are not decoded by GMime). */
static void set_decoded(char **field, const char *s)
{
    if (!s || !strstr(s, "=?")) {
        set_str(field, s);
        return;
    }
    char *d = g_mime_utils_header_decode_text(NULL, s);
    set_str(field, d ? d : s);
    g_free(d);
}

/* Host after "host ", "talking to " and the like in a diagnostic. */
static void find_rhost(const char *diag, char *out, size_t outlen)
{
    static const char *const marks[] = {"remote host: ", "remote server: ", "host ", "talking to ", "giving up on ", "connect to ",
                                        "server ", " by ", NULL};
    out[0] = '\0';
    for (const char *const *mk = marks; *mk && diag; mk++) {
        const char *p = diag;
        while ((p = text_casestr(p, *mk)) != NULL) {
            p += strlen(*mk);
            while (*p == '[' || *p == '<')
                p++;
            size_t n = 0;
            while (isalnum((unsigned char)p[n]) || p[n] == '.' || p[n] == '-' || p[n] == '_')
                n++;
            while (n && p[n - 1] == '.')
                n--;
            if (n > 3 && n < outlen && memchr(p, '.', n)) {
                memcpy(out, p, n);
                out[n] = '\0';
                return;
            }
        }
    }
}

static const char *find_command(const char *diag)
{
    static const struct { const char *mark; const char *cmd; } cmds[] = {
        {"rcpt to", "RCPT"}, {"smtp:rcpt", "RCPT"}, {"mail from", "MAIL"}, {"smtp:mail", "MAIL"},
        {"end of data", "DATA"}, {"smtp:data", "DATA"},
        {"data command", "DATA"}, {"after data", "DATA"}, {"command data", "DATA"}, {"ehlo", "EHLO"}, {"helo", "HELO"},
        {"after initial connection", "CONN"}, {"after connect", "CONN"},
    };
    for (size_t i = 0; diag && i < sizeof cmds / sizeof cmds[0]; i++)
        if (text_casestr(diag, cmds[i].mark))
            return cmds[i].cmd;
    return "";
}

/* The original message's fields and the bounce date, shared by its records. */
/* The Date header as Unix time (0 when absent or unreadable). */
static long long message_time(const msg_view *m)
{
    const char *d = hlist_get(&m->head, "Date");
    long long simple;
    if (d && text_date_simple(d, &simple))   /* GMime makes a GTimeZone and a GDateTime for it */
        return simple;
    GDateTime *dt = d ? g_mime_utils_header_decode_date(d) : NULL;
    long long t = dt ? (long long)g_date_time_to_unix(dt) : 0;
    if (dt)
        g_date_time_unref(dt);
    return t;
}

/* The message's fields of a record after its first: copies of the first's
 * (the same text, without parsing and sanitising it once per recipient). */
static bool copy_message_fields(rb_records *out, rb_record *r, const msg_view *m)
{
    if ((size_t)(r - out->v) <= m->first)
        return false;
    const rb_record *f = &out->v[m->first];
    if (rb_field_dup(&r->date, f->date) || rb_field_dup(&r->messageid, f->messageid) ||
        rb_field_dup(&r->subject, f->subject) || rb_field_dup(&r->sender, f->sender))
        analysis_oom_note();
    r->time = f->time;
    return true;
}

static void fill_message_fields(rb_records *out, rb_record *r, const msg_view *m)
{
    if (copy_message_fields(out, r, m))
        return;
    set_str(&r->date, hlist_get(&m->head, "Date"));
    r->time = message_time(m);
    set_str(&r->messageid, hlist_get(&m->orig, "Message-ID"));
    set_decoded(&r->subject, hlist_get(&m->orig, "Subject"));
    const char *from = hlist_get(&m->orig, "From");
    size_t n;
    const char *a = from ? text_find_address(from, strlen(from), &n) : NULL;
    if (a)
        rb_record_set(&r->sender, a, n);
}

/* Multi-line SMTP replies arrive joined: "550-5.7.1 Messages with multiple
 * 550-5.7.1 addresses ...". Drops the repeated "550-5.7.1 " after the first. */
static void diag_join_continuations(char *d, const char *reply)
{
    if (!reply[0])
        return;
    const char *first = strstr(d, reply);
    if (!first)
        return;
    char *w = (char *)first + 3, *p = w;
    size_t fn = 0;   /* the enhanced code after the first reply code, if any */
    while ((*w == '-' || *w == ' ') && w[1 + fn] && w[1 + fn] != ' ' && fn < 15)
        fn++;
    if (!status_is_valid(w + 1, fn))
        fn = 0;
    while (*p) {
        if (p[-1] == ' ' && !strncmp(p, reply, 3) && (p[3] == '-' || p[3] == ' ')) {
            char *q = p + 4;
            char code[16];
            size_t n = 0;
            while (q[n] && q[n] != ' ' && n < 15)
                n++;
            /* "550 550 5.1.1 user unknown" quotes a reply: its code stays */
            if (n < 15 && status_is_valid(q, n) && n == fn && !strncmp(q, first + 4, n)) {
                memcpy(code, q, n);
                q += n;
                if (*q == ' ')
                    q++;
            } else if (p[3] == ' ') {
                *w++ = *p++;   /* "550 " that starts a new reply, keep it */
                continue;
            }
            p = q;
            continue;
        }
        *w++ = *p++;
    }
    *w = '\0';
}

static void choose_status(rb_record *r, const char *dsnstatus)
{
    char code[16] = "", found[16] = "";
    if (dsnstatus) {
        size_t n = 0;
        while (dsnstatus[n] && !isspace((unsigned char)dsnstatus[n]) && dsnstatus[n] != '(')
            n++;
        if (n < sizeof code && status_is_valid(dsnstatus, n)) {
            memcpy(code, dsnstatus, n);
            code[n] = '\0';
        }
    }
    if (r->diagnostic[0])
        status_pick(r->diagnostic, r->replycode[0], found);
    status_prefer(code, found, r->replycode, r->status);
}

static rb_record *add_record(rb_records *out, const msg_view *m, const rcpt_facts *f)
{
    rb_record *r = rb_records_add(out);
    if (!r)
        return NULL;
    fill_message_fields(out, r, m);
    set_str(&r->recipient, f->recipient);
    set_str(&r->finalrecipient, f->finalrecipient);
    set_str(&r->action, f->action);
    set_str(&r->diagnostic, f->diagnostic);
    char host[256];
    if (f->rhost && f->rhost[0])
        set_str(&r->rhost, f->rhost);
    else {
        find_rhost(r->diagnostic, host, sizeof host);
        set_str(&r->rhost, host);
    }
    set_str(&r->lhost, f->lhost);
    set_str(&r->command, f->command && f->command[0] ? f->command : find_command(r->diagnostic));
    r->agent = f->agent ? f->agent : "";
    char reply[4];
    if (replycode_pick(r->diagnostic, reply))
        strcpy(r->replycode, reply);
    diag_join_continuations(r->diagnostic, r->replycode);
    choose_status(r, f->status);
    const char *by_provider = provider_reason(r->rhost, r->recipient, r->diagnostic);
    reason_input in = {.status = r->status, .replycode = r->replycode,
                       .diagnostic = r->diagnostic, .action = r->action,
                       .command = r->command, .hint = by_provider ? by_provider : f->hint, .prose = f->prose,
                       .weak = f->weak, .diagtype = f->diagtype};
    r->reason = reason_classify(&in);
    const char *action = r->action;
    if (!strcmp(r->reason, "delivered"))
        r->kind = RB_KIND_DELIVERED;
    else if (!strcmp(r->reason, "feedback"))
        r->kind = RB_KIND_FEEDBACK;
    else if (f->delayed || text_prefix_ci(action, "delayed"))
        r->kind = RB_KIND_DELAY;
    else
        r->kind = RB_KIND_BOUNCE;
    if (!r->status[0] && r->kind != RB_KIND_FEEDBACK) {
        bool temp = r->kind == RB_KIND_DELAY || r->replycode[0] == '4';
        status_for_reason(r->reason, temp, r->status);
    }
    r->hardbounce = r->kind == RB_KIND_BOUNCE &&
                    reason_is_hard(r->reason, r->status, r->replycode);
    return r;
}

static void add_feedback(rb_records *out, const msg_view *m, const hlist *h, const char *a, size_t n)
{
    rb_record *r = rb_records_add(out);
    if (!r)
        return;
    fill_message_fields(out, r, m);
    r->kind = RB_KIND_FEEDBACK;
    r->reason = "feedback";
    r->agent = "arf";
    if (a)
        rb_record_set(&r->recipient, a, n);
    set_str(&r->feedbacktype, hlist_get(h, "Feedback-Type"));
    const char *mta = hlist_get(h, "Reporting-MTA");   /* "dns; fbl.example" as in a DSN */
    set_str(&r->lhost, mta ? dsn_strip_type(mta, NULL, 0) : NULL);
    set_str(&r->sourceip, hlist_get(h, "Source-IP"));
    /* no diagnostic: a report has none (its User-Agent is only the program that wrote it) */
}

/* ARF (RFC 5965): one record per Original-Rcpt-To, else the original's To. */
static void parse_feedback(const msg_view *m, rb_records *out)
{
    hlist h = {0};
    hlist_parse(&h, m->feedback.s ? m->feedback.s : "", m->feedback.n);
    size_t before = out->n, n;
    for (size_t i = 0; i < h.n; i++) {
        const char *v = hlist_value(&h, i);
        const char *a = text_find_address(v, strlen(v), &n);
        if (a && (!strcasecmp(h.v[i].name, "Original-Rcpt-To") ||
                  !strcasecmp(h.v[i].name, "Removal-Recipient")))
            add_feedback(out, m, &h, a, n);
    }
    if (out->n == before) {
        const char *to = hlist_get(&m->orig, "X-HmXmrOriginalRecipient");
        if (!to)
            to = hlist_get(&m->orig, "To");
        const char *a = to ? text_find_address(to, strlen(to), &n) : NULL;
        add_feedback(out, m, &h, a, n);
    }
    hlist_free(&h);
}

/* Looks the recipient up among the text hits to complete a DSN record. */
static const scan_hit *hit_for(const scan_result *s, const char *rcpt)
{
    for (size_t i = 0; i < s->n; i++)
        if (!strcasecmp(s->v[i].recipient, rcpt))
            return &s->v[i];
    return s->n == 1 ? &s->v[0] : NULL;
}

static const mta_family *detect_family(const msg_view *m)
{
    for (size_t i = 0; mta_families[i]; i++)
        if (mta_detect(mta_families[i], m))
            return mta_families[i];
    return NULL;
}

static void parse_dsn(const msg_view *m, const mta_family *fam, rb_records *out)
{
    dsn_report d;
    dsn_parse(m->dsn.s, m->dsn.n, &d);
    scan_result s = {0};
    scan_text(m, fam, &s);
    for (size_t i = 0; i < d.n; i++) {
        dsn_rcpt *x = &d.v[i];
        const scan_hit *h = hit_for(&s, x->recipient);
        if (!h && x->finalrecipient)
            h = hit_for(&s, x->finalrecipient);
        char code[16];
        const char *diag = x->diagnostic;
        if (h && h->diagnostic && (!diag || !diag[0] ||
                                   (!status_find(diag, code) && status_find(h->diagnostic, code))))
            diag = h->diagnostic;
        char note[256];
        if (!diag || !diag[0])
            diag = dsn_status_note(x->status, note, sizeof note);   /* "4.0.0 (why)" */
        rcpt_facts f = {.recipient = x->recipient, .finalrecipient = x->finalrecipient,
                        .action = x->action, .status = x->status,
                        .diagnostic = diag, .diagtype = x->diagtype, .rhost = x->rhost,
                        .lhost = d.lhost, .agent = fam ? fam->name : "rfc3464",
                        .command = h && h->command ? h->command :
                                   h && h->diagnostic ? find_command(h->diagnostic) : NULL,
                        .hint = h ? h->reason : NULL};
        add_record(out, m, &f);
    }
    scan_result_free(&s);
    dsn_free(&d);
}

/* X-Failed-Recipients (Exim and others) names the recipients when the prose
 * does not. */
static void apply_failed_header(const msg_view *m, scan_result *s)
{
    const char *failed = hlist_get(&m->head, "X-Failed-Recipients");
    if (!failed)
        return;
    const char *to = hlist_get(&m->orig, "To");
    for (size_t i = 0; i < s->n; i++)
        if (text_casestr(failed, s->v[i].recipient) || (to && text_casestr(to, s->v[i].recipient)))
            return;   /* the prose agrees with the header, or with the returned message's To */
    for (size_t i = 0; i < s->n; i++) {
        free(s->v[i].recipient); free(s->v[i].diagnostic); free(s->v[i].rhost); free(s->v[i].command);
    }
    s->n = 0;
    size_t n;
    const char *p = failed, *a;
    while ((a = text_find_address(p, strlen(p), &n)) != NULL) {
        scan_result_add(s, a, n);
        p = a + n;
    }
}

/* Headers of a returned original that is plain text after the bounce. */
static void inline_original(msg_view *m, size_t off)
{
    const char *p = m->text.s + off, *end = m->text.s + m->text.n, *line;
    size_t len;
    if (!text_prefix_ci(p, "Received:") && !text_prefix_ci(p, "Return-Path:") &&
        !text_prefix_ci(p, "Message-ID:"))
        text_next_line(&p, end, &line, &len);       /* the marker line */
    for (const char *q = p; text_next_line(&q, end, &line, &len);) {
        const char *colon = memchr(line, ':', len);
        if (len == 0 || !colon || memchr(line, ' ', (size_t)(colon - line)))
            continue;                                /* blank or prose before the headers */
        hlist_parse(&m->orig, line, (size_t)(end - line));
        return;
    }
}

/* A bounce that names no recipient in its prose: the original's To. */
static void recipient_from_original(const msg_view *m, scan_result *s, bool surely_bounce)
{
    const char *to = hlist_get(&m->orig, "To");
    size_t n;
    const char *a = to ? text_find_address(to, strlen(to), &n) : NULL;
    scan_hit h = {.diagnostic = s->section};
    if (!a || !s->section || (!surely_bounce && !scan_hit_says_why(&h)))
        return;
    scan_result_add(s, a, n);   /* no diagnostic of its own: the section is used, weakly */
}

/* Records of the hits of a text scan; without a family only hits whose
 * lines carry an error count, unless sure is set. */
static void add_text_records(const msg_view *m, const mta_family *fam, const scan_result *s,
                             bool sure, rb_records *out)
{
    for (size_t i = 0; i < s->n; i++) {
        const scan_hit *h = &s->v[i];
        if (!fam && !sure && !scan_hit_says_why(h) && !hlist_get(&m->head, "X-Failed-Recipients"))
            continue;   /* unknown format: only lines that carry an error */
        bool weak = !h->diagnostic || !h->diagnostic[0];
        const char *diag = weak ? s->section : h->diagnostic;
        const char *status = h->status[0] ? h->status : NULL;
        rcpt_facts f = {.recipient = h->recipient, .diagnostic = diag,
                        .rhost = h->rhost, .lhost = s->lhost, .command = h->command,
                        .status = status,
                        .hint = h->reason ? h->reason : fam ? fam->reason : NULL,
                        .agent = fam ? fam->name : "generic", .delayed = s->delayed,
                        .prose = fam != NULL || sure, .weak = weak};
        add_record(out, m, &f);
    }
}

/* A notice of no family that says delivery is only delayed. */
static bool generic_delayed(const msg_view *m)
{
    static const char *const subjects[] = {"delayed", "delay notification", "warning: could not",
                                           "still trying", NULL};
    static const char *const phrases[] = {"has not yet been delivered", "have not yet been delivered",
                                          "delivery attempts will continue", "will continue to try",
                                          "will keep trying", "will be retried", "still trying to deliver",
                                          "no action is required on your part", NULL};
    const char *subject = hlist_get(&m->head, "Subject");
    for (const char *const *p = subjects; subject && *p; p++)
        if (text_casestr(subject, *p))
            return true;
    const char *end = scan_original_start(m);
    for (const char *const *p = phrases; m->text.n && *p; p++)
        if (view_find(m, m->text.s, end, *p))
            return true;
    return false;
}

static void parse_text(msg_view *m, const mta_family *fam, rb_records *out)
{
    scan_result s = {0};
    scan_text(m, fam, &s);
    if (!m->orig.n && s.orig_off) {
        inline_original(m, s.orig_off);
        if (m->orig.n) {   /* scan again: the original's sender is no recipient */
            scan_result_free(&s);
            scan_text(m, fam, &s);
        }
    }
    apply_failed_header(m, &s);
    if (!fam && generic_delayed(m))
        s.delayed = true;
    size_t before = out->n;
    add_text_records(m, fam, &s, false, out);
    if (out->n == before && (fam || scan_bounce_by_header(m))) {
        scan_result near = {0};   /* no recipient lines: addresses near a failure */
        scan_nearby(m, &near);
        near.delayed = s.delayed;
        add_text_records(m, fam, &near, true, out);
        scan_result_free(&near);
    }
    if (out->n == before && s.n == 0) {
        bool sure = (m->is_report && !strcasecmp(m->report_type, "delivery-status")) ||
                    (scan_bounce_by_header(m) && s.section && scan_says_failure(s.section, strlen(s.section)));
        recipient_from_original(m, &s, sure);
        add_text_records(m, fam, &s, true, out);   /* already checked that the section says why */
    }
    scan_result_free(&s);
}

static bool is_autoreply(const msg_view *m)
{
    static const char *const subjects[] = {
        "auto:", "automatic reply", "autoreply", "auto-reply", "auto reply", "out of office",
        "out of the office", "vacation", "abwesenheit", "respuesta automática", "absence",
        "réponse automatique", "autoresponse", NULL,
    };
    const char *as = hlist_get(&m->head, "Auto-Submitted");
    if (as && text_casestr(as, "auto-replied"))
        return true;
    if (hlist_get(&m->head, "X-Autoreply") || hlist_get(&m->head, "X-Autorespond"))
        return true;
    const char *prec = hlist_get(&m->head, "Precedence");
    if (prec && text_casestr(prec, "auto_reply"))
        return true;
    const char *subject = hlist_get(&m->head, "Subject");
    for (const char *const *s = subjects; subject && *s; s++)
        if (text_casestr(subject, *s))
            return true;
    return false;
}

/* One record for a message that answers ours without a failure: an
 * auto-reply (the From is who replied) or a confirmation request (who asks:
 * the returned original's To, else the From). */
static void parse_answer(const msg_view *m, rb_records *out, rb_kind kind, const char *agent)
{
    const char *from = hlist_get(&m->orig, "To");
    if (kind != RB_KIND_CHALLENGE || !from)
        from = hlist_get(&m->head, "From");
    size_t n = 0;
    const char *a = from ? text_find_address(from, strlen(from), &n) : NULL;
    rb_record *r = rb_records_add(out);
    if (!r)
        return;
    r->kind = kind;
    r->reason = kind == RB_KIND_CHALLENGE ? "challenge" : "vacation";
    r->agent = agent;
    set_str(&r->date, hlist_get(&m->head, "Date"));
    r->time = message_time(m);
    set_decoded(&r->subject, hlist_get(&m->head, "Subject"));
    if (a)
        rb_record_set(&r->recipient, a, n);
    if (m->text.n)
        rb_record_set(&r->diagnostic, m->text.s, m->text.n < 300 ? m->text.n : 300);
}

/* Header-less input that GMime refuses: keep it as plain body text. */
static void view_from_raw(const char *buf, size_t len, msg_view *m)
{
    if (len > TEXT_MAX_BYTES)
        len = TEXT_MAX_BYTES;
    for (size_t i = 0; i < len; i++) {
        char c = buf[i] == '\r' ? '\n' : buf[i];
        if (buf[i] == '\r' && i + 1 < len && buf[i + 1] == '\n')
            continue;
        sb_add(&m->text, &c, 1);
    }
}

/* Some MTAs write the delivery-status fields into the body text. */
static void inline_dsn(msg_view *m)
{
    if (!m->text.n)
        return;
    const char *end = m->text.s + m->text.n, *p = m->text.s, *line, *from = NULL;
    size_t len;
    while (text_next_line(&p, end, &line, &len)) {
        if (!from && text_prefix_ci(line, "Reporting-MTA:"))
            from = line;
        if (text_prefix_ci(line, "Final-Recipient:") || text_prefix_ci(line, "Original-Recipient:")) {
            if (!from)
                from = line;
            sb_add(&m->dsn, from, (size_t)(end - from));
            return;
        }
    }
}

static void analyse_view(msg_view *m, rb_records *out)
{
    size_t before = out->n;
    const char *subject = hlist_get(&m->head, "Subject");
    bool feedback = m->feedback.n || !strcasecmp(m->report_type, "feedback-report") ||
                    (subject && text_casestr(subject, "complaint about message from") && m->orig.n);
    if (feedback) {
        parse_feedback(m, out);
        return;
    }
    const mta_family *fam = detect_family(m);
    if (!m->dsn.n)
        inline_dsn(m);
    const char *challenge = challenge_detect(m);
    if (challenge) {
        const char *orig = scan_original_start(m);
        if (!m->orig.n && m->text.n && orig < m->text.s + m->text.n)   /* no text: maybe no buffer (NULL + 0) */
            inline_original(m, (size_t)(orig - m->text.s));
        parse_answer(m, out, RB_KIND_CHALLENGE, challenge);
        return;
    }
    if (m->dsn.n)
        parse_dsn(m, fam, out);
    if (out->n == before && (fam || scan_looks_like_bounce(m)))
        parse_text(m, fam, out);
    if (out->n == before && is_autoreply(m))
        parse_answer(m, out, RB_KIND_AUTOREPLY, "rfc3834");
}

analysis_status analysis_parse(const char *buf, size_t len, rb_records *out)
{
    if (len == 0)
        return ANALYSIS_EMPTY;
    unsigned long ooms = analysis_oom_count();
    msg_view m;
    msg_view_init(&m);
    m.first = out->n;
    if (!mime_parse(buf, len, &m))
        view_from_raw(buf, len, &m);
    if (!m.text.n && m.origtext.n)
        sb_add(&m.text, m.origtext.s, m.origtext.n);
    view_lower(&m);
    analyse_view(&m, out);
    mta_name_records(&m, out);
    msg_view_free(&m);
    /* a report of many recipients: what they say alike is stored once */
    if (out->n - m.first > 1 && rb_records_share(out, m.first, NULL, SIZE_MAX, NULL) != 0)
        analysis_oom_note();
    return analysis_oom_count() == ooms ? ANALYSIS_OK : ANALYSIS_ENOMEM;
}

/* Where the header block of [buf, buf+len) ends (its empty line), within
 * the bytes the analysis reads; all of them when there is no empty line. */
static size_t header_block_end(const char *buf, size_t len)
{
    if (len > ANALYSIS_MAX_BYTES)
        len = ANALYSIS_MAX_BYTES;
    for (size_t i = 0; i + 1 < len; i++) {
        if (buf[i] != '\n')
            continue;
        if (buf[i + 1] == '\n')
            return i + 1;
        if (buf[i + 1] == '\r' && i + 2 < len && buf[i + 2] == '\n')
            return i + 1;
    }
    return len;
}

analysis_status analysis_message_record(const char *buf, size_t len, rb_records *out)
{
    unsigned long ooms = analysis_oom_count();
    rb_record *r = rb_records_add(out);
    if (!r)
        return ANALYSIS_ENOMEM;
    r->kind = RB_KIND_NONE;
    r->reason = "none";
    r->agent = "";
    msg_view m;
    msg_view_init(&m);
    size_t n = header_block_end(buf, len);
    if (n && mime_parse(buf, n, &m)) {   /* the header block alone: the body is not read */
        set_str(&r->date, hlist_get(&m.head, "Date"));
        r->time = message_time(&m);
        set_str(&r->messageid, hlist_get(&m.head, "Message-ID"));
        set_decoded(&r->subject, hlist_get(&m.head, "Subject"));
        const char *from = hlist_get(&m.head, "From");
        size_t an;
        const char *a = from ? text_find_address(from, strlen(from), &an) : NULL;
        if (a)
            rb_record_set(&r->sender, a, an);
    }
    msg_view_free(&m);
    return analysis_oom_count() == ooms ? ANALYSIS_OK : ANALYSIS_ENOMEM;
}
