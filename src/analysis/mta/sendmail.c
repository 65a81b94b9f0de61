/* Sendmail: "----- The following addresses had permanent fatal errors -----" and a transcript. */
#include <config.h>
#include "../internal.h"

#define L(...) (const char *const[]){__VA_ARGS__, NULL}
const mta_family mta_sendmail = {
    .name = "sendmail",
    .headers = L("Subject:see transcript for details", "Subject:Warning: could not send message"),
    .body = L("----- The following addresses had", "----- Transcript of session follows -----"),
    .start = L("----- The following addresses had", "----- Transcript of session follows"),
    .end = L("----- Original message follows", "----- Unsent message follows",
             "------- Received message follows", "----- Message header follows"),
    .delayed = L("Warning: could not send message for past", "Will keep trying until"),
};
