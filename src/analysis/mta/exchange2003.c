/* Microsoft Exchange Server 2003: "did not reach some or all of the intended recipients" */
#include <config.h>
#include "../internal.h"

#define L(...) (const char *const[]){__VA_ARGS__, NULL}
static const mta_hint exchange2003_hints[] = {
    {"the recipient name is not recognized", "userunknown"},
    {"unknown recipient", "userunknown"},
    {"the e-mail account does not exist", "userunknown"},
    {"mailbox full", "mailboxfull"},
    {"message size exceeds", "mesgtoobig"},
    {NULL, NULL},
};

const mta_family mta_exchange2003 = {
    .name = "exchange2003",
    .headers = L("X-MS-Embedded-Report:", "X-MimeOLE:Microsoft Exchange", "X-Mailer:Internet Mail Service"),
    .body = L("did not reach some or all of the intended recipients",
              "did not reach the following recipient"),
    .start = L("The following recipient(s) could not be reached", "did not reach the following recipient",
               "did not reach some or all of the intended recipients"),
    .end = L("---- Original message ----"),
    .hints = exchange2003_hints,
};
