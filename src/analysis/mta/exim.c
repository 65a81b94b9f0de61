/* Exim: "This message was created automatically by mail delivery software."
 * Its notice for recipient addresses of a message's header that do not
 * parse (exim -t, "Mail failure - malformed recipient address") lists
 * "  address: malformed address: ..." lines under "incorrectly
 * constructed:" and ends at "------ This is a copy of your message". */
#include <config.h>
#include <stdlib.h>
#include "../internal.h"

#define L(...) (const char *const[]){__VA_ARGS__, NULL}
static const mta_hint exim_hints[] = {
    {"malformed address", "syntaxerror"},
    {NULL, NULL},
};

/* "  Name <addr>: malformed address: ...": the address as the header wrote
 * it, a name before the angle brackets at times; the recipient is the
 * address in brackets (else the first one), the error its diagnostic. */
static void exim_malformed_line(const char *line, size_t len, scan_result *r)
{
    static const char mark[] = ": malformed address:";
    const char *at = text_casestr_n(line, len, mark);
    if (!at)
        return;
    const char *a = NULL, *p = line;
    size_t n = 0, k;
    while ((p = text_find_address(p, (size_t)(at - p), &k)) != NULL) {
        if (!a || (p > line && p[-1] == '<'))
            a = p, n = k;
        p += k;
    }
    scan_hit *h = a ? scan_result_add(r, a, n) : NULL;
    if (!h || h->diagnostic)
        return;   /* no memory, or the address is on an earlier line */
    h->diagnostic = text_squeeze(at + 2, (size_t)(line + len - at - 2));
    h->reason = "syntaxerror";
}

static void exim_refine(const msg_view *m, scan_result *r)
{
    const char *p = m->text.s, *end = m->text.s + (r->orig_off ? r->orig_off : m->text.n), *line;
    size_t len;
    if (!view_find(m, p, end, ": malformed address:"))
        return;
    for (size_t i = 0; i < r->n; i++) {   /* the generic scan's read of these lines: none */
        free(r->v[i].recipient); free(r->v[i].diagnostic); free(r->v[i].rhost); free(r->v[i].command);
    }
    r->n = 0;
    while (text_next_line(&p, end, &line, &len))
        exim_malformed_line(line, len, r);
}

const mta_family mta_exim = {
    .name = "exim",
    .headers = L("Subject:Mail delivery failed", "Subject:Warning: message", "X-Failed-Recipients:@",
                 "Subject:Mail failure - malformed recipient address"),
    .body = L("This message was created automatically by mail delivery software",
              "could not be delivered to one or more of its recipients"),
    .start = L("The following address(es) failed", "failed to the following address",
               "could not be delivered to one or more", "This message was created automatically",
               "incorrectly constructed:", "incorrectly\nconstructed:"),
    .end = L("------ This is a copy of the message", "------ The body of the message is",
             "Content-Type: message/rfc822", "------ This is a copy of its headers",
             "------ This is a copy of your message"),
    .delayed = L("has not yet been delivered", "Delay reason:", "No action is required on your part"),
    .hints = exim_hints,
    .refine = exim_refine,
};
