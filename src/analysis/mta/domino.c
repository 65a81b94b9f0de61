/* IBM/Lotus Domino: "was not delivered to: ... because:" */
#include <config.h>
#include "../internal.h"

#define L(...) (const char *const[]){__VA_ARGS__, NULL}
static const mta_hint domino_hints[] = {
    {"not listed in domino directory", "userunknown"},
    {"not listed in public name & address book", "userunknown"},
    {"no such user", "userunknown"},
    {NULL, NULL},
};

const mta_family mta_domino = {
    .name = "domino",
    .headers = L("Subject:DELIVERY FAILURE:", "Subject:DELIVERY_FAILURE:"),
    .body = L("was not delivered to:"),
    .start = L("was not delivered to:"),
    .end = L("Content-Type: message/delivery-status", "Content-Type: message/rfc822"),
    .diag = L("because:"),
    .hints = domino_hints,
};
