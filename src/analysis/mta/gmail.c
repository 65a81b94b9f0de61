/* Gmail: "Delivery to the following recipient failed permanently:"; since
 * 2016 "** Address not found **" and "Your message wasn't delivered to
 * <addr> because <why>." before the remote server's response. */
#include <config.h>
#include <string.h>
#include "../internal.h"

#define L(...) (const char *const[]){__VA_ARGS__, NULL}

/* "Your message wasn't delivered to addr because ...": the sentence after
 * "because" is the hit's diagnostic when it has none. */
static void gmail_sentence(const char *line, size_t len, scan_result *r)
{
    static const char mark[] = "wasn't delivered to ";
    const char *at = text_casestr_n(line, len, mark);
    if (!at)
        return;
    const char *p = at + strlen(mark), *end = line + len;
    size_t n;
    const char *a = text_find_address(p, (size_t)(end - p), &n);
    const char *why = a ? text_casestr_n(a + n, (size_t)(end - a - n), " because ") : NULL;
    if (!why || a > p + 1)
        return;
    scan_hit *h = scan_result_add(r, a, n);
    if (h && !h->diagnostic)
        h->diagnostic = text_squeeze(why + 9, (size_t)(end - why - 9));
}

static void gmail_refine(const msg_view *m, scan_result *r)
{
    const char *p = m->text.s, *end = m->text.s + (r->orig_off ? r->orig_off : m->text.n), *line;
    size_t len;
    if (!view_find(m, p, end, "wasn't delivered to "))
        return;
    while (text_next_line(&p, end, &line, &len))
        gmail_sentence(line, len, r);
}

const mta_family mta_gmail = {
    .name = "gmail",
    .headers = L("From:mailer-daemon@googlemail.com", "From:mailer-daemon@gmail.com"),
    .body = L("Delivery to the following recipient", "Google tried to deliver your message"),
    .start = L("Delivery to the following recipient"),
    .end = L("----- Original message -----", "----- Message header follows -----"),
    .diag = L("The error that the other server returned was:", "Technical details of permanent failure:",
              "Technical details of temporary failure:"),
    .delayed = L("Technical details of temporary failure", "has been delayed"),
    .refine = gmail_refine,
};
