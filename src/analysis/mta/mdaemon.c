/* Alt-N MDaemon: "The attached message had PERMANENT fatal delivery
 * errors!" and a session transcript ("--> RCPT To:<addr>", "<-- 550 ..."). */
#include <config.h>
#include "../internal.h"

#define L(...) (const char *const[]){__VA_ARGS__, NULL}
const mta_family mta_mdaemon = {
    .name = "mdaemon",
    .headers = L("From:MDaemon", "X-MDaemon-Deliver-To:"),
    .body = L("had PERMANENT fatal delivery errors", "--- Session Transcript ---"),
    .start = L("--- Session Transcript ---"),
    .end = L("--- End Transcript ---"),
    .delayed = L("has not yet been delivered", "temporary delivery errors"),
};
