/* qmail: "Hi. This is the qmail-send program at ..."; also netqmail and vpopmail. */
#include <config.h>
#include "../internal.h"

#define L(...) (const char *const[]){__VA_ARGS__, NULL}
const mta_family mta_qmail = {
    .name = "qmail",
    .headers = L("Subject:failure notice", "Received:invoked for bounce"),
    .body = L("This is the qmail-send program at", "Hi. This is the qmail", "qmail-send"),
    .start = L("This is the qmail-send program at", "Hi. This is the", "I'm afraid I wasn't able"),
    .end = L("--- Below this line is a copy of the message", "--- Enclosed is a copy of the message",
             "--- Below the next line is a copy"),
};
