/* Yahoo! Mail: "Sorry, we were unable to deliver your message to the following address." */
#include <config.h>
#include "../internal.h"

#define L(...) (const char *const[]){__VA_ARGS__, NULL}
/* Yahoo's own words for an address it has no mailbox for. */
static const mta_hint yahoo_hints[] = {
    {"this user doesn't have a", "userunknown"},
    {NULL, NULL},
};

const mta_family mta_yahoo = {
    .name = "yahoo",
    .headers = L("X-YMailISG:", "From:@yahoo"),
    .body = L("Sorry, we were unable to deliver your message to the following address",
              "Message from yahoo.com"),
    .start = L("Sorry, we were unable to deliver your message"),
    .end = L("--- Below this line is a copy of the message"),
    .hints = yahoo_hints,
};
