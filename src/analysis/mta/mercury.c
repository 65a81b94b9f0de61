/* Mercury/32 (Pegasus Mail's MTA): notices from "Mercury ... Mail
 * Transport System", often sent by its MAISER mail server address. */
#include <config.h>
#include "../internal.h"

#define L(...) (const char *const[]){__VA_ARGS__, NULL}
const mta_family mta_mercury = {
    .name = "mercury",
    .headers = L("From:Mercury ", "X-Mailer:Mercury", "Received:Mercury/32"),
    .body = L("Mercury Mail Transport System", "Mercury/32"),
};
