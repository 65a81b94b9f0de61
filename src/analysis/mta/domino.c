/* IBM/Lotus Domino: "was not delivered to: ... because:" */
#include <config.h>
#include "../internal.h"

#define L(...) (const char *const[]){__VA_ARGS__, NULL}
const mta_family mta_domino = {
    .name = "domino",
    .headers = L("Subject:DELIVERY FAILURE:", "Subject:DELIVERY_FAILURE:"),
    .body = L("was not delivered to:"),
    .start = L("was not delivered to:"),
    .end = L("Content-Type: message/delivery-status", "Content-Type: message/rfc822"),
    .diag = L("because:"),
};
