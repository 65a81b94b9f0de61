/* KDDI / au (ezweb.ne.jp, dion.ne.jp, auone-net.jp): short English notices,
 * sometimes with the address first and the reason after it. */
#include <config.h>
#include "../internal.h"

#define L(...) (const char *const[]){__VA_ARGS__, NULL}

static const mta_hint kddi_hints[] = {
    {"was rejected by a remote mail server", "filtered"},
    {"remote host is not responding", "expired"},
    {"was not delivered within", "expired"},
    {"mailbox is full", "mailboxfull"},
    {"invalid recipient", "userunknown"},
    {NULL, NULL},
};

const mta_family mta_kddi = {
    .name = "kddi",
    .headers = L("From:@ezweb.ne.jp", "From:.dion.ne.jp", "From:@auone-net.jp", "Received:auone-net.jp"),
    .body = L("au one net", "The following recipients did not receive this message"),
    .end = L("Content-Type: message/rfc822"),
    .hints = kddi_hints,
};
