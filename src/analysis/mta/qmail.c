/* qmail: "Hi. This is the qmail-send program at ..."; also netqmail and vpopmail. */
#include <config.h>
#include "../internal.h"

#define L(...) (const char *const[]){__VA_ARGS__, NULL}
#include <string.h>

static const mta_hint qmail_hints[] = {
    {"my name was rejected", "blocked"},
    {"sender was rejected", "rejected"},
    {"unable to contact ldap server", "systemerror"},
    {"wasn't able to establish an smtp connection", "networkerror"},
    {"no mailbox here by that name", "userunknown"},
    {"mailbox is full", "mailboxfull"},
    {"couldn't find a mail exchanger", "notaccept"},
    {NULL, NULL},
};

/* qmail closes every permanent failure with the same sentence about the
 * queue; it says nothing about the recipient. */
static void qmail_refine(const msg_view *m, scan_result *r)
{
    (void)m;
    for (size_t i = 0; i < r->n; i++) {
        char *d = r->v[i].diagnostic;
        char *cut = d ? strstr(d, "I'm not going to try again") : NULL;
        if (cut && cut > d)
            *cut = '\0';
    }
}

const mta_family mta_qmail = {
    .name = "qmail",
    .headers = L("Subject:^failure notice", "Received:invoked for bounce"),
    .body = L("This is the qmail-send program at", "Hi. This is the qmail", "qmail-send"),
    .start = L("This is the qmail-send program at", "Hi. This is the", "I'm afraid I wasn't able"),
    .end = L("--- Below this line is a copy of the message", "--- Enclosed is a copy of the message",
             "--- Below the next line is a copy"),
    .hints = qmail_hints,
    .refine = qmail_refine,
};
