/* Postfix: "This is the mail system at host" (and the older Postfix program text). */
#include <config.h>
#include "../internal.h"

#define L(...) (const char *const[]){__VA_ARGS__, NULL}
const mta_family mta_postfix = {
    .name = "postfix",
    .body = L("This is the mail system at host", "This is the Postfix program at host",
              "The mail system\n"),
    .start = L("The mail system", "This is the mail system at host", "This is the Postfix program"),
    .end = L("--- Delivery report unavailable ---", "--- Delivery error report follows ---", "Content-Description: Undelivered Message",
             "Reporting-MTA: dns;"),
    .delayed = L("This is a warning message only", "Delayed Mail (still being retried)"),
};
