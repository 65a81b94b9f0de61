/* Amazon SES: DSN from amazonses.com, or a JSON bounce notification. */
#include <config.h>
#include "../internal.h"

#define L(...) (const char *const[]){__VA_ARGS__, NULL}
const mta_family mta_amazonses = {
    .name = "amazonses",
    .headers = L("From:amazonses.com", "X-SES-Outgoing:", "Feedback-ID:amazonses", "X-Original-Sender:amazonses"),
    .body = L("amazonses.com", "\"notificationType\""),
    .start = L("The following message to", "An error occurred while trying to deliver the mail"),
    .end = L("Content-Type: message/rfc822"),
    .diag = L("The reason for the problem:"),
};
