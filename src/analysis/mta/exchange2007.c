/* Microsoft Exchange Server 2007 and later: "Delivery has failed to these recipients or groups:" */
#include <config.h>
#include "../internal.h"

#define L(...) (const char *const[]){__VA_ARGS__, NULL}
const mta_family mta_exchange2007 = {
    .name = "exchange2007",
    .headers = L("Content-Language:", "X-MS-Exchange-Message-Is-Ndr:"),
    .body = L("Delivery has failed to these recipients or groups",
              "La remise des messages a échoué", "Die Nachricht konnte nicht", "Diagnostic information for administrators"),
    .start = L("Delivery has failed to these recipients or groups", "La remise des messages",
               "Die Nachricht konnte nicht", "Delivery is delayed to these recipients"),
    .end = L("Original message headers:", "Diagnostic information for administrators"),
    .diag = L("Remote Server returned", "Remote server returned"),
    .delayed = L("Delivery is delayed to these recipients"),
};
