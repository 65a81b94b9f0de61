/* OpenSMTPD: "This is the MAILER-DAEMON, please DO NOT REPLY to this e-mail." */
#include <config.h>
#include "../internal.h"

#define L(...) (const char *const[]){__VA_ARGS__, NULL}
const mta_family mta_opensmtpd = {
    .name = "opensmtpd",
    .headers = L("Subject:^Delivery status notification:"),
    .body = L("This is the MAILER-DAEMON, please DO NOT REPLY", "An error has occurred while attempting to deliver"),
    .start = L("An error has occurred while attempting to deliver", "Delivery to the following recipients"),
    .end = L("Below is a copy of the original message", "    Below is a copy"),
    .delayed = L("Delivery to the following recipients was delayed", "has been delayed"),
};
