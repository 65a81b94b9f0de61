/* Netscape Messaging Server / iPlanet / Sun Internet Mail Server (before
 * Sun's DSN form, see messagingserver.c): "This Message was undeliverable
 * due to the following reason:", then "Recipient:" and "Reason:" lines. */
#include <config.h>
#include "../internal.h"

#define L(...) (const char *const[]){__VA_ARGS__, NULL}
static const mta_hint netscape_hints[] = {
    {"not reachable within the allowed queue period", "expired"},
    {"destination addresses were unknown", "userunknown"},
    {"account is temporarily over quota", "mailboxfull"},
    {NULL, NULL},
};

const mta_family mta_netscape = {
    .name = "netscape",
    .body = L("This Message was undeliverable due to the following reason:",
              "Each of the following recipients was rejected by a remote mail server"),
    .start = L("This Message was undeliverable due to the following reason:"),
    .end = L("Please reply to Postmaster", "Content-Type: message/rfc822"),
    .hints = netscape_hints,
};
