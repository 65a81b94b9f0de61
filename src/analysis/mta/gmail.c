/* Gmail: "Delivery to the following recipient failed permanently:" */
#include <config.h>
#include "../internal.h"

#define L(...) (const char *const[]){__VA_ARGS__, NULL}
const mta_family mta_gmail = {
    .name = "gmail",
    .headers = L("From:mailer-daemon@googlemail.com", "From:mailer-daemon@gmail.com"),
    .body = L("Delivery to the following recipient", "Google tried to deliver your message"),
    .start = L("Delivery to the following recipient"),
    .end = L("----- Original message -----", "----- Message header follows -----"),
    .diag = L("The error that the other server returned was:", "Technical details of permanent failure:",
              "Technical details of temporary failure:"),
    .delayed = L("Technical details of temporary failure", "has been delayed"),
};
