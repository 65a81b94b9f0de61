/* RFC 3464 / RFC 6533 delivery-status bodies: a per-message block then one
 * block per recipient, separated by blank lines; values unfolded. */
#include <config.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "internal.h"

static char *dsn_value(const hlist *h, const char *name)
{
    const char *v = hlist_get(h, name);
    return v ? strdup(v) : NULL;
}

/* "rfc822; user@example.com" -> address; NULL when there is none. */
static char *dsn_address(const hlist *h, const char *name)
{
    const char *v = hlist_get(h, name);
    if (!v)
        return NULL;
    size_t alen;
    const char *a = text_find_address(v, strlen(v), &alen);
    if (a)
        return text_address_dup(a, alen);
    /* "rfc822; user@localhost": a host name without dots is fine here */
    v = dsn_strip_type(v, NULL, 0);
    const char *at = strchr(v, '@');
    alen = strcspn(v, " \t;");
    return at && at > v && (size_t)(at - v) < alen - 1 ? text_address_dup(v, alen) : NULL;
}

const char *dsn_strip_type(const char *value, char *type, size_t tlen)
{
    const char *semi = strchr(value, ';');
    if (type && tlen)
        type[0] = '\0';
    if (!semi || semi - value > 20)
        return value;
    for (const char *p = value; p < semi; p++)
        if (!isalnum((unsigned char)*p) && *p != '-' && *p != ' ')
            return value;
    if (type && tlen) {
        size_t n = (size_t)(semi - value);
        if (n >= tlen)
            n = tlen - 1;
        memcpy(type, value, n);
        type[n] = '\0';
    }
    semi++;
    while (*semi == ' ')
        semi++;
    return semi;
}

/* Host part of "dns; mx.example.com" or "mx.example.com [192.0.2.1]". */
static char *dsn_host(const hlist *h, const char *name)
{
    const char *v = hlist_get(h, name);
    if (!v)
        return NULL;
    v = dsn_strip_type(v, NULL, 0);
    size_t n = 0;
    while (v[n] && !isspace((unsigned char)v[n]) && v[n] != ';')
        n++;
    return n ? text_dup(v, n) : NULL;
}

/* Domain of an address, "" when it has none. */
static const char *dsn_domain(const char *a)
{
    const char *at = strrchr(a, '@');
    return at ? at + 1 : "";
}

/* Same local part, quotes aside ("a.b"@x is a.b@x). */
static bool dsn_same_local(const char *a, const char *b)
{
    for (;;) {
        while (*a == '"')
            a++;
        while (*b == '"')
            b++;
        if (*a == '@' || *b == '@' || !*a || !*b)
            return *a == *b;
        if (tolower((unsigned char)*a++) != tolower((unsigned char)*b++))
            return false;
    }
}

/* Final-Recipient as an internal rewrite of the address the sender used
 * (Original-Recipient): no domain, a source route ("@relay:user@host"), a
 * routing host without dots (user@sims-ms-daemon, Sun Messaging Server), or
 * a local alias (same domain, another mailbox). Another domain alone is no
 * rewrite: a forward to a real mailbox elsewhere is where the mail failed. */
static bool dsn_final_is_rewrite(const char *final, const char *orig)
{
    const char *fd = dsn_domain(final), *od = dsn_domain(orig);
    if (!fd[0] || final[0] == '@' || strchr(final, ':') || !strchr(fd, '.'))
        return true;
    return !strcasecmp(fd, od) && !dsn_same_local(final, orig);
}

/* Picks the reported recipient: the Final-Recipient, or the Original one
 * when the final is a rewrite; *final keeps the other (NULL: the same). */
static char *dsn_pick_rcpt(char *rcpt, char *orig, char **final)
{
    *final = NULL;
    if (rcpt && orig && strcasecmp(rcpt, orig) && dsn_final_is_rewrite(rcpt, orig)) {
        *final = rcpt;
        return orig;
    }
    free(orig);
    return rcpt;
}

/* A Final-Recipient that is no address ("rfc822; kijitora"), kept beside
 * the address used instead; NULL when there is none. */
static char *dsn_raw_final(const hlist *h, const char *used)
{
    const char *v = hlist_get(h, "Final-Recipient");
    if (!v || !used)
        return NULL;
    v = dsn_strip_type(v, NULL, 0);
    size_t n = strcspn(v, " \t;<>");
    return n ? text_dup(v, n) : NULL;
}

static void dsn_add_rcpt(dsn_report *r, const hlist *h)
{
    char *rcpt = dsn_address(h, "Final-Recipient");
    char *orig = dsn_address(h, "Original-Recipient");
    char *actual = dsn_address(h, "X-Actual-Recipient");
    char *final = NULL;
    if (!rcpt) {
        rcpt = orig ? orig : actual;
        if (rcpt == orig) orig = NULL; else actual = NULL;
        final = dsn_raw_final(h, rcpt);
    } else
        rcpt = dsn_pick_rcpt(rcpt, orig, &final), orig = NULL;
    free(actual);
    if (!rcpt || r->n >= DSN_MAX_RCPTS) {
        free(rcpt);
        free(final);
        return;
    }
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 4;
        dsn_rcpt *v = realloc(r->v, cap * sizeof *v);
        if (!v) {
            free(rcpt);
            free(final);
            return;
        }
        r->v = v;
        r->cap = cap;
    }
    dsn_rcpt *d = &r->v[r->n++];
    memset(d, 0, sizeof *d);
    d->recipient = rcpt;
    d->finalrecipient = final;
    d->action = dsn_value(h, "Action");
    d->status = dsn_value(h, "Status");
    d->rhost = dsn_host(h, "Remote-MTA");
    d->date = dsn_value(h, "Last-Attempt-Date");
    const char *diag = hlist_get(h, "Diagnostic-Code");
    if (diag) {
        char type[24];
        const char *text = dsn_strip_type(diag, type, sizeof type);
        d->diagnostic = strdup(text);
        d->diagtype = strdup(type);
    }
}

const char *dsn_status_note(const char *status, char *out, size_t outlen)
{
    const char *open = status ? strchr(status, '(') : NULL;
    const char *close = open ? strrchr(open, ')') : NULL;
    out[0] = '\0';
    if (!close || outlen == 0)
        return out;
    size_t n = (size_t)(close - open - 1);
    if (n >= outlen)
        n = outlen - 1;
    memcpy(out, open + 1, n);
    out[n] = '\0';
    return out;
}

static void dsn_block_one(dsn_report *r, const char *s, size_t n)
{
    hlist h = {0};
    hlist_parse(&h, s, n);
    if (!r->lhost)
        r->lhost = dsn_host(&h, "Reporting-MTA");
    if (!r->arrival)
        r->arrival = dsn_value(&h, "Arrival-Date");
    dsn_add_rcpt(r, &h);
    hlist_free(&h);
}

/* Some MTAs (AOL) put several recipients in one block with no blank line
 * between them: a second Final-Recipient starts the next recipient (with the
 * Original-Recipient just before it, if any). */
static void dsn_block(dsn_report *r, const char *s, size_t n)
{
    const char *p = s, *end = s + n, *line, *from = s;
    size_t len;
    bool final = false;
    while (text_next_line(&p, end, &line, &len)) {
        if (text_prefix_ci(line, "Final-Recipient:")) {
            if (final && line > from) {
                dsn_block_one(r, from, (size_t)(line - from));
                from = line;
            }
            final = true;
        }
    }
    dsn_block_one(r, from, (size_t)(end - from));
}

void dsn_parse(const char *s, size_t n, dsn_report *out)
{
    const char *p = s, *end = s + n;
    memset(out, 0, sizeof *out);
    while (p < end) {
        while (p < end && (*p == '\n' || *p == ' ' || *p == '\t')) {
            /* skip blank lines (lines of only spaces count as blank) */
            const char *q = p;
            while (q < end && (*q == ' ' || *q == '\t'))
                q++;
            if (q < end && *q != '\n')
                break;
            p = q < end ? q + 1 : end;
        }
        const char *block = p;
        const char *stop = p;
        for (;;) {
            const char *nl = memchr(stop, '\n', (size_t)(end - stop));
            if (!nl) { stop = end; break; }
            const char *q = nl + 1;
            while (q < end && (*q == ' ' || *q == '\t'))
                q++;
            if (q >= end || *q == '\n') { stop = nl + 1; break; }
            stop = nl + 1;
        }
        if (stop > block)
            dsn_block(out, block, (size_t)(stop - block));
        p = stop;
    }
}

void dsn_free(dsn_report *r)
{
    for (size_t i = 0; i < r->n; i++) {
        dsn_rcpt *d = &r->v[i];
        free(d->recipient); free(d->finalrecipient); free(d->action); free(d->status); free(d->diagnostic);
        free(d->diagtype); free(d->rhost); free(d->date);
    }
    free(r->v);
    free(r->lhost);
    free(r->arrival);
    memset(r, 0, sizeof *r);
}
