/* Sun Java System / Oracle Communications Messaging Server. */
#include <config.h>
#include "../internal.h"

#define L(...) (const char *const[]){__VA_ARGS__, NULL}
const mta_family mta_messagingserver = {
    .name = "messagingserver",
    .headers = L("Content-Type:Boundary_(ID_", "Received:Oracle Communications Messaging Server",
                 "Received:Sun Java(tm) System Messaging Server", "Received:Sun Java System Messaging Server"),
    .body = L("This report relates to a message you sent with the following header fields"),
    .start = L("Recipient address:", "Your message cannot be delivered to the following recipients"),
    .end = L("Content-Type: message/rfc822", "Original-envelope-id:"),
    .delayed = L("Your message has not yet been delivered"),
};
