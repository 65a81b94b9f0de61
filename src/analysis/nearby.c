/* Bounces in prose that no family knows and whose recipients stand on no
 * recipient line ("Unable to deliver to a@b.example: mailbox is full",
 * "Failed to deliver to '<a@b.example>'" and a reason on the next line,
 * "The user a@b.example does not exist"). An address of the text before the
 * returned original is a recipient when a failure phrase or a failure code
 * stands on its line or on the few lines that follow it. Never an address
 * of the bounce's own header or the returned message's sender, nor the
 * postmaster the text tells to write to. */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

#define NEARBY_LINES 8        /* lines after the address's line that belong to it */
#define NEARBY_MAX_LINES 400  /* lines of the text read */

/* Words that say the delivery to an address failed (lower case). */
static const char *const failure_phrases[] = {
    "not deliver", "undeliver", "couldn't deliver", "could not deliver", "unable to deliver",
    "failed to deliver", "cannot deliver", "can't deliver", "not be delivered", "not been delivered",
    "wasn't delivered", "not delivered", "delivery failed", "delivery failure", "delivery to the following",
    "delivery has failed", "delivery problem", "delivery error", "not be sent", "rejected", "refused", "denied", "blocked", "unknown", "does not exist",
    "doesn't exist", "no such", "not found", "couldn't be found", "could not be found", "invalid",
    "unavailable", "not available", "quota", "is full", "mailbox full", "disabled", "suspended",
    "inactive", "expired", "timed out", "not accepting", "unrouteable", "unroutable", "failed",
    "failure", "bounced", "returned", "not reached", "not reachable", "could not be reached",
    "permanent",
    /* the same in the languages of the commonest non-English notices */
    "entreg", "rechaz", "no existe", "remis", "remettre", "rejet", "inconnu", "n'existe pas",
    "zugestellt", "unzustellbar", "abgelehnt", "unbekannt", "consegn", "inesistente", NULL,
};

/* Labels before an address that is not a recipient. */
static const char *const other_labels[] = {
    "from:", "sender:", "reply-to:", "return-path:", "mail from", "envelope-from", "reply to",
    "contact", "write to", "send mail to", "questions to", "message-id", "in-reply-to",
    "references:", NULL,
};

/* Local parts of the addresses a bounce names as its own. */
static const char *const own_locals[] = {
    "postmaster@", "mailer-daemon@", "hostmaster@", "abuse@", "maiser@", "mdaemon@", NULL,
};

static bool nearby_holds(const char *s, size_t n, const char *const *list)
{
    for (const char *const *p = list; *p; p++)
        if (text_casestr_n(s, n, *p))
            return true;
    return false;
}

/* Is the address at a a recipient by its own line (labels before it)? */
static bool nearby_is_other(const msg_view *m, const char *line, const char *a, size_t alen)
{
    if (scan_is_sender(m, a, alen))
        return true;
    for (const char *const *o = own_locals; *o; o++)
        if (text_prefix_ci_n(a, alen, *o))
            return true;
    size_t before = (size_t)(a - line);
    return nearby_holds(line, before, other_labels);
}

/* Does [s, s+n) hold a failure code: a 4xx/5xx reply or a 4/5.x.x status? */
static bool nearby_has_code(const char *s, size_t n)
{
    char *t = text_dup(s, n), code[16];
    bool found = false;
    for (const char *p = t; p && *p && status_find(p, code) && !found;) {
        found = code[0] == '4' || code[0] == '5';
        const char *at = strstr(p, code);
        p = at ? at + strlen(code) : NULL;
    }
    if (!found && t && replycode_pick(t, code))
        found = code[0] == '4' || code[0] == '5';
    free(t);
    return found;
}

typedef struct {
    const char *s;
    size_t n;
} span;

/* Does the line name a recipient other than the address a? */
static bool nearby_names_other(const msg_view *m, const span *l, const char *a, size_t alen)
{
    size_t bn;
    const char *b = text_find_address(l->s, l->n, &bn);
    return b && !(bn == alen && !strncasecmp(a, b, alen)) && !nearby_is_other(m, l->s, b, bn);
}

static bool nearby_blank(const span *l)
{
    for (size_t k = 0; k < l->n; k++)
        if (l->s[k] != ' ' && l->s[k] != '\t')
            return false;
    return true;
}

/* Does the line end with a colon (it introduces the lines below it)? */
static bool nearby_introduces(const span *l)
{
    size_t n = l->n;
    while (n && (l->s[n - 1] == ' ' || l->s[n - 1] == '\t'))
        n--;
    return n && l->s[n - 1] == ':';
}

/* Is the line only an address (an item of a list of recipients)? */
static bool nearby_only_address(const span *l)
{
    size_t n;
    const char *a = text_find_address(l->s, l->n, &n);
    if (!a)
        return false;
    for (const char *p = l->s; p < l->s + l->n; p++)
        if ((p < a || p >= a + n) && !strchr(" \t<>\"',;", *p))
            return false;
    return true;
}

/* The lines that introduce the address of line i: a line ending with a
 * colon above it ("... could not be delivered to the following
 * recipients:") and the line before that one, across the other items of
 * a list of addresses and one blank line. Sets [*from, *to]; false when
 * there is none. */
static bool nearby_intro(const span *lines, size_t i, size_t *from, size_t *to)
{
    size_t j = i;
    while (j > 0 && nearby_only_address(&lines[j - 1]))
        j--;
    if (j > 0 && nearby_blank(&lines[j - 1]))
        j--;
    if (j == 0 || !nearby_introduces(&lines[j - 1]))
        return false;
    *to = j - 1;
    *from = *to > 0 && !nearby_blank(&lines[*to - 1]) && !text_find_address(lines[*to - 1].s, lines[*to - 1].n, &(size_t){0})
                ? *to - 1 : *to;
    return true;
}

/* The end of the lines that belong to the address of line i: up to a blank
 * line, a line naming another address, or NEARBY_LINES lines. */
static size_t nearby_window(const msg_view *m, const span *lines, size_t nl, size_t i,
                            const char *a, size_t alen)
{
    size_t j = i + 1;
    while (j < nl && j <= i + NEARBY_LINES && !nearby_blank(&lines[j]) &&
           !nearby_names_other(m, &lines[j], a, alen))
        j++;
    return j;
}

static size_t span_len(const span *from, const span *to)
{
    return (size_t)(to->s + to->n - from->s);
}

/* Adds the hit when the address's lines (with their introduction) say a
 * delivery failed; the diagnostic is those lines. */
static void nearby_check(scan_result *out, const char *a, size_t alen, const span *intro,
                         size_t ilen, const span *own, size_t olen)
{
    strbuf t;
    sb_init(&t);
    if (intro) {
        sb_add(&t, intro->s, ilen);
        sb_add(&t, " ", 1);
    }
    sb_add(&t, own->s, olen);
    if (t.s && (nearby_holds(t.s, t.n, failure_phrases) || nearby_has_code(t.s, t.n))) {
        scan_hit *h = scan_result_add(out, a, alen);
        if (h && !h->diagnostic)
            h->diagnostic = text_squeeze(t.s, t.n < FIELD_MAX_BYTES ? t.n : FIELD_MAX_BYTES);
    }
    sb_free(&t);
}

/* The lines of the text before the returned original. */
static size_t nearby_lines(const msg_view *m, span *lines)
{
    const char *p = m->text.s, *end = scan_original_start(m), *line;
    size_t len, n = 0;
    while (n < NEARBY_MAX_LINES && text_next_line(&p, end, &line, &len)) {
        if (scan_is_original(line, len))
            break;
        lines[n++] = (span){line, len};
    }
    return n;
}

void scan_nearby(const msg_view *m, scan_result *out)
{
    if (!m->text.n)
        return;
    span *lines = malloc(NEARBY_MAX_LINES * sizeof *lines);
    if (!lines) {
        analysis_oom_note();
        return;
    }
    size_t nl = nearby_lines(m, lines);
    for (size_t i = 0; i < nl; i++) {
        const char *p = lines[i].s, *end = lines[i].s + lines[i].n, *a;
        size_t alen;
        while ((a = text_find_address(p, (size_t)(end - p), &alen)) != NULL) {
            p = a + alen;
            if (nearby_is_other(m, lines[i].s, a, alen))
                continue;
            size_t last = nearby_window(m, lines, nl, i, a, alen) - 1, f, t;
            bool intro = nearby_intro(lines, i, &f, &t);
            nearby_check(out, a, alen, intro ? &lines[f] : NULL,
                         intro ? span_len(&lines[f], &lines[t]) : 0, &lines[i],
                         span_len(&lines[i], &lines[last]));
        }
    }
    free(lines);
}

bool scan_says_failure(const char *s, size_t n)
{
    for (const char *const *p = failure_phrases; *p; p++)
        if (text_casestr_n(s, n, *p))
            return true;
    return false;
}
