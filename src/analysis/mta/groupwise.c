/* Novell/Micro Focus GroupWise Internet Agent: "The message that you sent
 * was undeliverable to the following:" and "addr (reason)" lines. */
#include <config.h>
#include "../internal.h"

#define L(...) (const char *const[]){__VA_ARGS__, NULL}
static const mta_hint groupwise_hints[] = {
    {"user not found", "userunknown"},
    {"mailbox full", "mailboxfull"},
    {"host not found", "hostunknown"},
    {NULL, NULL},
};

const mta_family mta_groupwise = {
    .name = "groupwise",
    .headers = L("X-Mailer:GroupWise", "X-Mailer:Novell GroupWise"),
    .body = L("The message that you sent was undeliverable to the following:"),
    .start = L("The message that you sent was undeliverable to the following:"),
    .end = L("Possibly truncated original message follows:", "Original message follows"),
    .hints = groupwise_hints,
};
