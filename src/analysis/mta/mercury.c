/* Mercury/32 (Pegasus Mail's MTA): notices from "Mercury ... Mail
 * Transport System", often sent by its MAISER mail server address. */
#include <config.h>
#include <string.h>
#include "../internal.h"

#define L(...) (const char *const[]){__VA_ARGS__, NULL}
/* "Error: the remote host rejected this address." says the reply below it
 * answered RCPT TO. */
static void mercury_refine(const msg_view *m, scan_result *r)
{
    (void)m;
    for (size_t i = 0; i < r->n; i++)
        if (!r->v[i].command && r->v[i].diagnostic && text_casestr(r->v[i].diagnostic, "rejected this address"))
            r->v[i].command = text_dup("RCPT", 4);
}

const mta_family mta_mercury = {
    .name = "mercury",
    .headers = L("From:Mercury ", "X-Mailer:Mercury", "Received:Mercury/32"),
    .body = L("Mercury Mail Transport System", "Mercury/32"),
    .refine = mercury_refine,
};
