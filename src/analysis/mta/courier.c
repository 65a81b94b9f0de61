/* Courier mail server: "This is a delivery status notification from ..." */
#include <config.h>
#include "../internal.h"

#define L(...) (const char *const[]){__VA_ARGS__, NULL}
const mta_family mta_courier = {
    .name = "courier",
    .body = L("This is a delivery status notification from", "Courier mail server at",
              "Courier Mail Server"),
    .start = L("The original message was received", "This is a delivery status notification from"),
    .end = L("--- Original message follows", "Content-Type: message/rfc822"),
    .delayed = L("DELAYED DELIVERY", "delivery of the following message has been delayed"),
};
