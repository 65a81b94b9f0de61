/* Generic scanner for bounces written as prose: finds the recipient section
 * of the body, the recipient lines in it and the diagnostic lines that
 * follow each one. MTA families (mta/) only say where sections start and
 * end; this file does the reading. */
#include <config.h>
#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

#define HIT_MAX_LINES 12
#define SCAN_MAX_HITS 256

/* Labels that may stand before a recipient address on its line. */
static const char *const rcpt_labels[] = {
    "recipient address:", "original recipient:", "original-recipient:", "final-recipient:",
    "failed recipient:", "failed recipients:", "failed address:", "recipient:",
    "invalid recipient:", "unknown recipient:", "rcpt to:", "address:", "addressed to",
    "your message to", "the following message to", "could not be delivered to:",
    "delivery to", "mail to", "user", "to:", "to", "for", "e-mail address:", "email address:",
    "destinataire :", "destinataire:", "empfaenger:", "empfänger:", "unknown user:",
    "user unknown:", "no such user:", "mailbox full:", NULL,
};

/* The first letters of the labels (all lower case ASCII), made once: a
 * line that starts with none of them is tried against no label
 * (text_prefix_ci_n compares tolower of the first bytes). */
static bool label_first[256];
static pthread_once_t label_first_once = PTHREAD_ONCE_INIT;

static void label_first_make(void)
{
    for (const char *const *l = rcpt_labels; *l; l++)
        label_first[tolower((unsigned char)(*l)[0])] = true;
}

static bool label_may_start(unsigned char c)
{
    pthread_once(&label_first_once, label_first_make);
    return label_first[tolower(c)];
}

/* Separators allowed between a recipient address and the rest of its line. */
static bool is_separator_rest(const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t' || *s == '>' || *s == '"' || *s == '\''))
        s++, n--;
    if (n == 0)
        return true;
    return *s == ':' || *s == '.' || *s == '(' || *s == '<' || *s == '-' || *s == ',' || *s == ';' ||
           *s == '[' || text_prefix_ci(s, "on ") || text_prefix_ci(s, "was ") ||
           text_prefix_ci(s, "failed") || text_prefix_ci(s, "could") ||
           text_prefix_ci(s, "user") || text_prefix_ci(s, "mailbox") ||
           text_prefix_ci(s, "host") || text_prefix_ci(s, "has ") || text_prefix_ci(s, "is ") ||
           text_prefix_ci(s, "unknown") || text_prefix_ci(s, "smtp");
}

/* What a recipient line holds: the address and the text that belongs to
 * its diagnostic (the rest of the line, or the whole line). */
typedef struct {
    const char *addr;
    size_t alen;
    const char *diag;
    size_t dlen;
    bool complete;   /* the line is the whole diagnostic ("550 <addr>... User unknown") */
} rcpt_line;

/* ">>> RCPT TO:<addr>" and "Sent <<< RCPT TO:<addr>" in SMTP transcripts. */
static bool scan_transcript_rcpt(const char *s, const char *end, rcpt_line *out)
{
    size_t len = (size_t)(end - s);
    const char *rc = text_casestr_n(s, len < 12 + 8 ? len : 12 + 8, "RCPT TO:");   /* within 12 bytes of the start */
    if (!rc)
        return false;
    rc += 8;
    size_t n;
    const char *a = text_find_address(rc, (size_t)(end - rc), &n);
    if (!a)
        return false;
    *out = (rcpt_line){a, n, s, (size_t)(end - s), false};   /* keeps "RCPT TO" for the command */
    return true;
}

/* "550 <addr>... User unknown" (a reply code before the address): the whole
 * line is the diagnostic. */
static bool scan_coded_rcpt(const char *s, const char *end, rcpt_line *out)
{
    if (end - s < 6 || !isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) ||
        !isdigit((unsigned char)s[2]) || (s[3] != ' ' && s[3] != '-'))
        return false;
    const char *t = s + 4;
    while (t < end && (isdigit((unsigned char)*t) || *t == '.'))
        t++;
    while (t < end && (*t == ' ' || *t == '<' || *t == '"'))
        t++;
    size_t n;
    const char *a = text_find_address(t, (size_t)(end - t), &n);
    if (!a || a != t || text_casestr_n(a + n, (size_t)(end - a - n), "sender"))
        return false;   /* "550 <addr>: Sender address rejected" names the sender */
    *out = (rcpt_line){a, n, s, (size_t)(end - s), true};
    return true;
}

/* "User's mailbox is full: <addr>": a short phrase, a colon, the address
 * ending the line. The phrase is the diagnostic. */
static bool scan_phrase_rcpt(const char *s, const char *end, rcpt_line *out)
{
    size_t n;
    const char *a = text_find_address(s, (size_t)(end - s), &n);
    if (!a || a == s)
        return false;
    const char *after = a + n;
    while (after < end && strchr(">\". ", *after))
        after++;
    const char *c = a;
    while (c > s && (c[-1] == ' ' || c[-1] == '<' || c[-1] == '"'))
        c--;
    if (after != end && c - s > 3 && c - s < 120 && !strncasecmp(c - 3, " to", 3) && a > s && a[-1] == '<') {
        *out = (rcpt_line){a, n, s, (size_t)(end - s), false};   /* "Unable to deliver message to <addr> (...)" */
        return true;
    }
    if (after != end) {
        /* "The following recipients returned permanent errors: addr. Reason: ..." */
        if (c == s || c[-1] != ':' || (!text_casestr_n(s, (size_t)(c - s), "recipient") &&
                                       !(c - s >= 8 && text_casestr_n(c - 8, 8, "address:"))))
            return false;
        *out = (rcpt_line){a, n, after, (size_t)(end - after), false};
        return true;
    }
    c = a;
    while (c > s && (c[-1] == ' ' || c[-1] == '<' || c[-1] == '"'))
        c--;
    if (c - s > 3 && c - s < 120 && strncasecmp(c - 3, " to", 3) == 0) {
        *out = (rcpt_line){a, n, s, (size_t)(c - 3 - s), false};   /* "... your mail to <addr>." */
        return true;
    }
    if (c == s || c[-1] != ':' || c - s > 80 || !memchr(s, ' ', (size_t)(c - s)) ||
        text_prefix_ci(s, "mail from"))
        return false;
    *out = (rcpt_line){a, n, s, (size_t)(c - 1 - s), false};
    return true;
}

/* "addr Invalid Address, ERROR_CODE :550, ...": the rest carries a code. */
static bool scan_rest_has_code(const char *s, size_t n)
{
    char buf[FIELD_MAX_BYTES + 1], code[16];
    if (n > FIELD_MAX_BYTES)
        n = FIELD_MAX_BYTES;
    memcpy(buf, s, n);
    buf[n] = '\0';
    return status_find(buf, code) || replycode_find(buf, code);
}

/* If the line is a recipient line, fills *out. */
static bool scan_rcpt_line(const char *line, size_t len, rcpt_line *out, bool labels)
{
    const char *s = line, *end = line + len;
    if (end - s > 2 && s[0] == '>' && (s[1] == ' ' || s[1] == '>'))
        s++;   /* a quoted (forwarded) bounce */
    while (s < end && (*s == ' ' || *s == '\t' || *s == '*' || *s == '-'))
        s++;
    if (scan_transcript_rcpt(s, end, out) || scan_coded_rcpt(s, end, out))
        return true;
    if (end - s > 4 && (s[0] == '>' || s[0] == '<') && (s[1] == '>' || s[1] == '<')) {
        while (s < end && (*s == '>' || *s == '<' || *s == ' '))
            s++;   /* ">>> addr" names a recipient; ">>> DATA" does not */
    }
    const char *label_end = s;
    if (labels && s < end && label_may_start((unsigned char)*s)) {
        for (const char *const *l = rcpt_labels; *l; l++) {
            size_t ll = text_prefix_ci_n(s, (size_t)(end - s), *l);
            if (ll && (size_t)(end - s) > ll && (ispunct((unsigned char)(*l)[ll - 1]) || s[ll] == ' ')) {
                label_end = s + ll;
                break;
            }
        }
    }
    const char *t = label_end;
    while (t < end && (*t == ' ' || *t == '\t' || *t == '<' || *t == '"' || *t == '\''))
        t++;
    if (end - t > 7 && strncasecmp(t, "rfc822;", 7) == 0) {
        t += 7;
        while (t < end && (*t == ' ' || *t == '<'))
            t++;
    }
    size_t n;
    const char *a = text_find_address(t, (size_t)(end - t), &n);
    if (a && a == t && (is_separator_rest(a + n, (size_t)(end - a - n)) ||
                        scan_rest_has_code(a + n, (size_t)(end - a - n)))) {
        *out = (rcpt_line){a, n, a + n, (size_t)(end - a - n), false};
        /* "Unknown user: addr" - the label says what happened */
        if (label_end > s && !out->dlen)
            *out = (rcpt_line){a, n, s, (size_t)(label_end - s), false};
        return true;
    }
    return labels && scan_phrase_rcpt(s, end, out);
}

/* Start of the first line in [from, end) of the text that holds any of the markers. */
static const char *scan_find_line_with(const msg_view *m, const char *from, const char *end,
                                       const char *const *markers)
{
    const char *best = NULL;
    for (const char *const *mk = markers; mk && *mk; mk++) {
        const char *hit = view_find(m, from, end, *mk);
        if (hit && (!best || hit < best))
            best = hit;
    }
    if (!best)
        return NULL;
    while (best > from && best[-1] != '\n')
        best--;
    return best;
}

void scan_result_free(scan_result *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->v[i].recipient);
        free(r->v[i].diagnostic);
        free(r->v[i].rhost);
        free(r->v[i].command);
    }
    free(r->v);
    free(r->lhost);
    free(r->section);
    memset(r, 0, sizeof *r);
}

scan_hit *scan_result_add(scan_result *r, const char *addr, size_t alen)
{
    char *a = text_address_dup(addr, alen);
    if (!a)
        return NULL;
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->v[i].recipient, a) == 0) {
            free(a);
            return &r->v[i];
        }
    if (r->n >= SCAN_MAX_HITS) {
        free(a);
        return NULL;
    }
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 4;
        scan_hit *v = realloc(r->v, cap * sizeof *v);
        if (!v) {
            free(a);
            return NULL;
        }
        r->v = v;
        r->cap = cap;
    }
    scan_hit *h = &r->v[r->n++];
    memset(h, 0, sizeof *h);
    h->recipient = a;
    return h;
}

static void hit_append(scan_hit *h, const char *s, size_t n)
{
    while (n && strchr(" \t:>.-", *s))
        s++, n--;
    if (n == 0)
        return;
    size_t old = h->diagnostic ? strlen(h->diagnostic) : 0;
    if (old >= FIELD_MAX_BYTES)
        return;
    char *d = realloc(h->diagnostic, old + n + 2);
    if (!d)
        return;
    if (old)
        d[old++] = ' ';
    memcpy(d + old, s, n);
    d[old + n] = '\0';
    h->diagnostic = d;
}

/* Addresses that are the bounce's own sender, its addressee (the original
 * sender again) or the original sender. */
static void scan_senders_find(const msg_view *m, msg_senders *s)
{
    const char *fields[] = {hlist_get(&m->head, "From"), hlist_get(&m->orig, "From"),
                            hlist_get(&m->orig, "Return-Path"), hlist_get(&m->head, "To"),
                            hlist_get(&m->head, "Reply-To"), hlist_get(&m->head, "Sender"),
                            hlist_get(&m->orig, "Sender"), hlist_get(&m->orig, "Reply-To")};
    s->n = 0;
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        const char *f = fields[i];
        size_t n;
        const char *a = f ? text_find_address(f, strlen(f), &n) : NULL;
        if (a)
            s->v[s->n].a = a, s->v[s->n++].n = n;
    }
    s->done = true;
    s->head_n = m->head.n;
    s->orig_n = m->orig.n;
}

bool scan_is_sender(const msg_view *m, const char *addr, size_t alen)
{
    msg_senders one, *s = m->senders ? m->senders : &one;
    if (!m->senders || !s->done || s->head_n != m->head.n || s->orig_n != m->orig.n)
        scan_senders_find(m, s);
    for (size_t i = 0; i < s->n; i++)
        if (s->v[i].n == alen && strncasecmp(s->v[i].a, addr, alen) == 0)
            return true;
    return false;
}

/* A header line of the returned original: the recipient section is over. */
bool scan_is_original(const char *line, size_t len)
{
    static const char *const starts[] = {"Received:", "Return-Path: <", "Message-ID:",
                                         "Content-Type: message/rfc822", "Reporting-MTA:",
                                         "Final-Recipient:", "Original-Recipient:", NULL};
    for (const char *const *p = starts; *p; p++)
        if (text_prefix_ci_n(line, len, *p))
            return true;
    return false;
}

/* Reads recipient lines and their diagnostics in [s, end). */
static bool line_is_blank(const char *line, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!isspace((unsigned char)line[i]))
            return false;
    return true;
}

/* Does the diagnostic say anything: a code or words a reason knows? */
bool scan_hit_says_why(const scan_hit *h)
{
    char buf[16];
    return h->diagnostic && (status_find(h->diagnostic, buf) || replycode_find(h->diagnostic, buf) ||
                             reason_from_text(h->diagnostic));
}

/* Hits that say nothing take the prose before the first recipient line,
 * which often is the reason ("Could not be delivered because of ..."). */
static void scan_apply_preamble(const strbuf *pre, scan_result *out, size_t first, bool strict)
{
    char code[16];
    if (!pre->n || (strict && !status_find(pre->s, code) && !replycode_find(pre->s, code)))
        return;
    for (size_t i = first; i < out->n; i++)
        if (!scan_hit_says_why(&out->v[i]))
            hit_append(&out->v[i], pre->s, pre->n);
}

/* The bounce's own postmaster or mailer-daemon (same domain as its From),
 * whom its text tells to write to: never a recipient. */
static bool scan_is_own(const msg_view *m, const char *addr)
{
    static const char *const locals[] = {"postmaster@", "mailer-daemon@", "hostmaster@", NULL};
    const char *from = hlist_get(&m->head, "From");
    size_t n;
    const char *a = from ? text_find_address(from, strlen(from), &n) : NULL;
    const char *fat = a ? memchr(a, '@', n) : NULL, *at = strchr(addr, '@');
    if (!fat || !at)
        return false;
    bool local = false;
    for (const char *const *l = locals; *l; l++)
        local |= text_prefix_ci(addr, *l);
    size_t dn = n - (size_t)(fat - a);
    return local && strlen(at) == dn && !strncasecmp(at, fat, dn);
}

static void scan_drop(scan_result *out, size_t i)
{
    scan_hit *h = &out->v[i];
    free(h->recipient); free(h->diagnostic); free(h->rhost); free(h->command);
    memmove(h, h + 1, (out->n - i - 1) * sizeof *h);
    out->n--;
}

/* Drops hits that are the sender, unless the sender is all there is (a
 * message sent to oneself), and the bounce's own postmaster. */
static void scan_prune_senders(const msg_view *m, scan_result *out, size_t first)
{
    for (size_t i = first; i < out->n;) {
        if (scan_is_own(m, out->v[i].recipient))
            scan_drop(out, i);
        else
            i++;
    }
    size_t others = 0;
    for (size_t i = first; i < out->n; i++)
        others += !scan_is_sender(m, out->v[i].recipient, strlen(out->v[i].recipient));
    if (others == 0)
        return;
    for (size_t i = first; i < out->n;) {
        if (!scan_is_sender(m, out->v[i].recipient, strlen(out->v[i].recipient)))
            i++;
        else
            scan_drop(out, i);
    }
}

/* A reply of several lines whose first is a recipient line ("550-5.1.1
 * <addr>: text", "550-5.1.1 more", "550 5.1.1 end"): the lines that go on
 * with the same code, up to its last ("550 "), belong to that hit. */
static void scan_reply_rest(const char **p, const char *end, const char *first, scan_hit *h)
{
    if (!h || first[3] != '-')
        return;
    const char *q = *p, *line;
    size_t len;
    while (text_next_line(&q, end, &line, &len)) {
        while (len && (*line == ' ' || *line == '\t'))
            line++, len--;
        if (len < 4 || strncmp(line, first, 3) != 0 || (line[3] != '-' && line[3] != ' '))
            return;
        hit_append(h, line, len);
        *p = q;
        if (line[3] == ' ')
            return;
    }
}

/* Returns where the returned original's headers start, or NULL. */
static const char *scan_section(const msg_view *m, const char *s, const char *end, bool known,
                                scan_result *out)
{
    const char *p = s, *line;
    size_t len, first = out->n;
    scan_hit *cur = NULL;
    int lines = 0, blanks = 0;
    bool seen = false;
    const char *orig = NULL;
    strbuf pre;
    sb_init(&pre);
    while (text_next_line(&p, end, &line, &len)) {
        rcpt_line rl;
        if (scan_is_original(line, len)) {
            orig = line;
            break;
        }
        if (scan_rcpt_line(line, len, &rl, true) &&
            !(cur && rl.complete && scan_is_sender(m, rl.addr, rl.alen))) {
            cur = scan_result_add(out, rl.addr, rl.alen);
            lines = 0;
            blanks = 0;
            seen = true;
            if (cur)
                hit_append(cur, rl.diag, rl.dlen);
            if (rl.complete)
                scan_reply_rest(&p, end, rl.diag, cur);   /* "550-5.1.1 <addr>: ..." goes on */
            if (rl.complete)
                cur = NULL;   /* the lines after it belong to other hosts */
            continue;
        }
        if (line_is_blank(line, len)) {
            if (cur && cur->diagnostic && ++blanks > 1)
                cur = NULL;
            continue;
        }
        blanks = 0;   /* counts consecutive blank lines only */
        if (cur && lines++ < HIT_MAX_LINES)
            hit_append(cur, line, len);
        else if (!seen && pre.n < 600) {
            sb_add(&pre, " ", 1);
            sb_add(&pre, line, len);
        }
    }
    /* without a known family, only a preamble that holds a code counts */
    scan_apply_preamble(&pre, out, first, !known);
    sb_free(&pre);
    scan_prune_senders(m, out, first);
    return orig;
}

/* A family's header match: a substring, or with a leading '^' a prefix. */
static bool mta_value_holds(const char *value, const char *want)
{
    if (want[0] == '^')
        return text_prefix_ci(value, want + 1);
    return text_casestr(value, want) != NULL;
}

static unsigned head_slot(size_t nlen, const char *name)
{
    return (unsigned)(nlen * 37 + (size_t)tolower((unsigned char)name[0])) % HEAD_SLOTS;
}

/* The view's head_index, made now if it is not; NULL when the view keeps
 * none or the header has too many fields. */
static const head_index *head_index_of(const msg_view *m)
{
    head_index *x = m->index;
    if (!x || m->head.n > HEAD_INDEXED)
        return NULL;
    if (x->done && x->n == m->head.n)
        return x;
    memset(x->first, 0, sizeof x->first);
    for (size_t i = m->head.n; i-- > 0;) {   /* from the last: each chain in field order */
        const hfield *f = &m->head.v[i];
        unsigned s = head_slot(f->nlen, f->name);
        x->next[i] = x->first[s];
        x->first[s] = (uint16_t)(i + 1);
    }
    x->done = true;
    x->n = m->head.n;
    return x;
}

/* Does a top-level field named [name, name+n) hold want? */
static bool mta_field_holds(const msg_view *m, const head_index *x, const char *name, size_t n, const char *want)
{
    if (!x) {
        for (size_t i = 0; i < m->head.n; i++)
            if (m->head.v[i].nlen == n && !strncasecmp(m->head.v[i].name, name, n) &&
                mta_value_holds(hlist_value(&m->head, i), want))
                return true;
        return false;
    }
    for (unsigned i = x->first[head_slot(n, name)]; i; i = x->next[i - 1])
        if (m->head.v[i - 1].nlen == n && !strncasecmp(m->head.v[i - 1].name, name, n) &&
            mta_value_holds(hlist_value(&m->head, i - 1), want))
            return true;
    return false;
}

bool mta_detect(const mta_family *f, const msg_view *m)
{
    const head_index *x = f->headers ? head_index_of(m) : NULL;
    if (f->headers)
        for (const char *const *h = f->headers; *h; h++) {
            const char *colon = strchr(*h, ':');
            if (colon && mta_field_holds(m, colon > *h ? x : NULL, *h, (size_t)(colon - *h), colon + 1))
                return true;
        }
    if (f->body && m->text.n)
        for (const char *const *b = f->body; *b; b++)
            if (view_find(m, m->text.s, m->text.s + m->text.n, *b))
                return true;
    return false;
}

/* Lines where the returned original starts, whatever the MTA. */
static const char *const generic_end[] = {
    "--- Below this line is a copy of the message", "------ This is a copy of the message",
    "----- Original message", "--- Original message", "Original message follows",
    "----- Unsent message follows", "------- Returned Message", "--- The header of the original",
    "----- Message header follows", "Original message headers:", "------ The body of the message",
    "--- Enclosed is a copy", "Below is a copy of the original message", "Message headers follow",
    "Original Message:", NULL,
};

const char *scan_original_start(const msg_view *m)
{
    if (!m->text.n)
        return m->text.s;   /* no text (maybe no buffer): NULL + 0 is undefined */
    const char *end = m->text.s + m->text.n;
    const char *stop = m->text.n ? scan_find_line_with(m, m->text.s, end, generic_end) : NULL;
    return stop ? stop : end;
}

/* The part of the body between the family's start and end markers. */
static void scan_bounds(const msg_view *m, const mta_family *f, const char **s, const char **e)
{
    const char *text = m->text.s, *end = m->text.s + m->text.n;
    const char *start = NULL;
    for (const char *const *mk = f ? f->start : NULL; mk && *mk && !start; mk++) {
        const char *one[] = {*mk, NULL};   /* the first marker listed wins */
        start = scan_find_line_with(m, text, end, one);
    }
    *s = start ? start : text;
    const char *stop = f ? scan_find_line_with(m, *s, end, f->end) : NULL;
    const char *gstop = scan_find_line_with(m, *s, end, generic_end);
    if (!stop || (gstop && gstop < stop))
        stop = gstop;
    *e = stop && stop > *s ? stop : end;
}

void scan_text(const msg_view *m, const mta_family *f, scan_result *out)
{
    if (!m->text.n)
        return;
    const char *s, *e;
    scan_bounds(m, f, &s, &e);
    if (e < m->text.s + m->text.n)
        out->orig_off = (size_t)(e - m->text.s);
    const char *orig = scan_section(m, s, e, f != NULL, out);
    if (orig && !out->orig_off)
        out->orig_off = (size_t)(orig - m->text.s);
    if (!out->section)
        out->section = sanitize_dup(s, (size_t)(e - s), 600);
    if (f)
        scan_apply_family(m, f, out);
    if (f && f->refine)
        f->refine(m, out);
}

void scan_generic(const msg_view *m, scan_result *out)
{
    scan_text(m, NULL, out);
}

/* Senders and subjects of bounces. */
static const char *const from_marks[] = {
    "mailer-daemon", "postmaster", "mail delivery", "mail administrator",
    "mail system", "mailer daemon", "mdaemon", "bounce", "nobody@", "deliver", "post_master",
    "mailer@", "daemon@", "maiser@", NULL,
};
static const char *const subject_marks[] = {
    "undeliver", "undelivered", "delivery fail", "failure notice", "delivery status",
    "returned mail", "mail delivery", "delivery notification", "non-delivery",
    "nondeliver", "could not send", "not delivered", "delivery problem", "rejected",
    "mail system error", "warning: could not", "delivery report", "bounce",
    "failed delivery", "delivery has failed", "delivery error", "unzustellbar",
    "non remis", "no se puede entregar", "error", "エラー", "不達", "配信", NULL,
};

static bool scan_field_holds(const msg_view *m, const char *field, const char *const *marks)
{
    const char *v = hlist_get(&m->head, field);
    for (const char *const *p = marks; v && *p; p++)
        if (text_casestr(v, *p))
            return true;
    return false;
}

/* Does the start of the body say a delivery failed? */
static bool scan_bounce_body(const msg_view *m)
{
    static const char *const body_marks[] = {
        "could not be delivered", "was not delivered", "undeliverable", "delivery failed",
        "did not receive this message", "delivery has failed", "permanent error",
        "unable to deliver", "failed to deliver", "not be delivered", NULL,
    };
    for (const char *const *p = body_marks; m->text.n && *p; p++)
        if (view_find(m, m->text.s, m->text.s + (m->text.n < 4096 ? m->text.n : 4096), *p))
            return true;
    return false;
}

bool scan_bounce_by_header(const msg_view *m)
{
    return scan_field_holds(m, "Subject", subject_marks) ||
           (scan_field_holds(m, "From", from_marks) && scan_bounce_body(m));
}

bool scan_looks_like_bounce(const msg_view *m)
{
    return hlist_get(&m->head, "X-Failed-Recipients") || scan_bounce_body(m) ||
           scan_field_holds(m, "From", from_marks) || scan_field_holds(m, "Subject", subject_marks);
}

/* Text after a marker line (its rest and the next lines up to a blank line). */
static void scan_marker_text(const msg_view *m, const char *const *markers, strbuf *out)
{
    const char *end = m->text.s + m->text.n;
    const char *line = scan_find_line_with(m, m->text.s, end, markers);
    if (!line)
        return;
    size_t len;
    const char *p = line, *l;
    text_next_line(&p, end, &l, &len);
    for (const char *const *mk = markers; *mk; mk++) {
        const char *at = text_casestr_n(l, len, *mk);
        if (at) {
            size_t skip = (size_t)(at - l) + strlen(*mk);
            sb_add(out, l + skip, len - skip);
            break;
        }
    }
    int taken = 0;
    while (taken < HIT_MAX_LINES && text_next_line(&p, end, &l, &len)) {
        bool blank = true;
        for (size_t i = 0; i < len; i++)
            if (!isspace((unsigned char)l[i]))
                blank = false;
        if (blank && taken)
            break;
        if (blank)
            continue;
        sb_add(out, " ", 1);
        sb_add(out, l, len);
        taken++;
    }
}

void scan_apply_family(const msg_view *m, const mta_family *f, scan_result *r)
{
    if (f->delayed)
        for (const char *const *d = f->delayed; *d; d++)
            if (view_find(m, m->text.s, m->text.s + m->text.n, *d))
                r->delayed = true;
    for (size_t i = 0; f->hints && i < r->n; i++)
        for (const mta_hint *h = f->hints; h->text && !r->v[i].reason; h++)
            if (r->v[i].diagnostic && text_casestr(r->v[i].diagnostic, h->text))
                r->v[i].reason = h->reason;
    if (!f->diag)
        return;
    strbuf t;
    sb_init(&t);
    scan_marker_text(m, f->diag, &t);
    char code[16];
    for (size_t i = 0; t.n && i < r->n; i++) {
        scan_hit *h = &r->v[i];
        if (!h->diagnostic || !status_find(h->diagnostic, code))
            hit_append(h, t.s, t.n);
    }
    sb_free(&t);
}
