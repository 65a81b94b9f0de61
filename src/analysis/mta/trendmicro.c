/* Trend Micro InterScan Messaging Security Suite notices. */
#include <config.h>
#include "../internal.h"

#define L(...) (const char *const[]){__VA_ARGS__, NULL}

static const mta_hint trendmicro_hints[] = {
    {"unable to deliver message to", "userunknown"},
    {NULL, NULL},
};

const mta_family mta_trendmicro = {
    .name = "trendmicro",
    .headers = L("From:InterScan"),
    .body = L("InterScan Messaging Security Suite", "InterScan MSS"),
    .end = L("End of message"),
    .hints = trendmicro_hints,
};
