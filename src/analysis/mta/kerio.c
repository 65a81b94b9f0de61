/* Kerio Connect (Kerio MailServer): "Recipient:" and "Reason:" lines after
 * an Exchange-like opening; known by its header fields. */
#include <config.h>
#include "../internal.h"

#define L(...) (const char *const[]){__VA_ARGS__, NULL}
const mta_family mta_kerio = {
    .name = "kerio",
    .headers = L("X-Mailer:Kerio", "Received:Kerio Connect", "Received:Kerio MailServer"),
    .body = L("Kerio Connect", "Kerio MailServer"),
};
