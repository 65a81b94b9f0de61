/* Exim: "This message was created automatically by mail delivery software." */
#include <config.h>
#include "../internal.h"

#define L(...) (const char *const[]){__VA_ARGS__, NULL}
const mta_family mta_exim = {
    .name = "exim",
    .headers = L("Subject:Mail delivery failed", "Subject:Warning: message", "X-Failed-Recipients:@"),
    .body = L("This message was created automatically by mail delivery software",
              "could not be delivered to one or more of its recipients"),
    .start = L("The following address(es) failed", "failed to the following address",
               "could not be delivered to one or more", "This message was created automatically"),
    .end = L("------ This is a copy of the message", "------ The body of the message is",
             "Content-Type: message/rfc822", "------ This is a copy of its headers"),
    .delayed = L("has not yet been delivered", "Delay reason:", "No action is required on your part"),
};
