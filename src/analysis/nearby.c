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
    "deliver", "not be sent", "rejected", "refused", "denied", "blocked", "unknown", "does not exist",
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

/* The first line that belongs to the address of line i: when the line just
 * above ends with a colon, it and the line before it that introduce the
 * address ("... could not be delivered to the following recipients:"), up
 * to a blank line or a line naming another address. */
static size_t nearby_first(const msg_view *m, const span *lines, size_t i, const char *a, size_t alen)
{
    if (i == 0 || !nearby_introduces(&lines[i - 1]))
        return i;
    size_t j = i;
    while (j > 0 && i - j < 2 && !nearby_blank(&lines[j - 1]) &&
           !nearby_names_other(m, &lines[j - 1], a, alen))
        j--;
    return j;
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

static void nearby_add(scan_result *out, const char *a, size_t alen, const span *from, const span *to)
{
    scan_hit *h = scan_result_add(out, a, alen);
    if (!h || h->diagnostic)
        return;
    size_t n = (size_t)(to->s + to->n - from->s);
    h->diagnostic = text_squeeze(from->s, n < FIELD_MAX_BYTES ? n : FIELD_MAX_BYTES);
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
            size_t last = nearby_window(m, lines, nl, i, a, alen) - 1;
            const span *from = &lines[nearby_first(m, lines, i, a, alen)], *to = &lines[last];
            size_t n = (size_t)(to->s + to->n - from->s);
            if (nearby_holds(from->s, n, failure_phrases) || nearby_has_code(from->s, n))
                nearby_add(out, a, alen, from, to);
        }
    }
    free(lines);
}
