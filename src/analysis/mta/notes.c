/* Lotus Notes: "------- Failure Reasons --------", the reason above the address. */
#include <config.h>
#include "../internal.h"

#define L(...) (const char *const[]){__VA_ARGS__, NULL}
static const mta_hint notes_hints[] = {
    {"not listed in public name & address book", "userunknown"},
    {"not listed in domino directory", "userunknown"},
    {NULL, NULL},
};

const mta_family mta_notes = {
    .name = "notes",
    .body = L("------- Failure Reasons", "------- Returned Message"),
    .start = L("------- Failure Reasons"),
    .end = L("------- Returned Message"),
    .diag = L("------- Failure Reasons"),
    .hints = notes_hints,
};
