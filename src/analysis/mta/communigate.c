/* CommuniGate Pro: "Failed to deliver to '<addr>'", then the module that
 * failed ("SMTP module(domain example.org) reports:", "LIST module",
 * "Local delivery") and the remote host's reply. */
#include <config.h>
#include "../internal.h"

#define L(...) (const char *const[]){__VA_ARGS__, NULL}
static const mta_hint communigate_hints[] = {
    {"unknown user account", "userunknown"},
    {"account is full", "mailboxfull"},
    {"mailbox is full", "mailboxfull"},
    {"host is unknown", "hostunknown"},
    {NULL, NULL},
};

const mta_family mta_communigate = {
    .name = "communigate",
    .headers = L("Subject:Undeliverable mail: Failed to deliver to", "X-Mailer:CommuniGate Pro"),
    .body = L("SMTP module(domain ", "LIST module(domain ", "Failed to deliver to '"),
    .start = L("Failed to deliver to '"),
    .hints = communigate_hints,
};
