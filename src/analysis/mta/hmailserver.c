/* hMailServer: "Error Type: SMTP", "hMailServer sent: RCPT TO:<addr>" and
 * "Remote server replied: 550 ..." under each recipient. */
#include <config.h>
#include "../internal.h"

#define L(...) (const char *const[]){__VA_ARGS__, NULL}
const mta_family mta_hmailserver = {
    .name = "hmailserver",
    .body = L("hMailServer sent:", "hMailServer saw the following"),
    .start = L("The following recipient(s) could not be reached:"),
};
