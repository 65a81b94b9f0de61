/* Ipswitch IMail Server (SMTP32): "Body of message generated response:",
 * "Unknown user: addr" or "undeliverable to addr", "Original message follows." */
#include <config.h>
#include "../internal.h"

#define L(...) (const char *const[]){__VA_ARGS__, NULL}
static const mta_hint imail_hints[] = {
    {"unknown user", "userunknown"},
    {"invalid final delivery userid", "userunknown"},
    {"unknown host", "hostunknown"},
    {"mailbox exceeds allowed size", "mailboxfull"},
    {"virus detected", "virusdetected"},
    {NULL, NULL},
};

const mta_family mta_imail = {
    .name = "imailserver",
    .headers = L("X-Mailer:<SMTP32 v", "Subject:Undeliverable Mail "),
    .body = L("Body of message generated response:"),
    .end = L("Original message follows."),
    .hints = imail_hints,
};
