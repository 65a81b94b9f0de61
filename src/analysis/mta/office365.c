/* Office 365 / Outlook.com: "Your message to ... couldn't be delivered." */
#include <config.h>
#include "../internal.h"

#define L(...) (const char *const[]){__VA_ARGS__, NULL}
const mta_family mta_office365 = {
    .name = "office365",
    .headers = L("X-MS-Exchange-Transport-CrossTenantHeadersStamped:", "X-Microsoft-Antispam-Message-Info:",
                 "From:postmaster@outlook.com", "X-MS-Exchange-Organization-Network-Message-Id:"),
    .body = L("couldn't be delivered", "Office 365", ".prod.outlook.com", ".protection.outlook.com"),
    .start = L("Your message to", "Delivery has failed to these recipients", "Generating server:"),
    .end = L("Original message headers:"),
    .diag = L("Remote Server returned", "Remote server returned"),
    .delayed = L("Delivery is delayed to these recipients", "delivery has been delayed"),
};
