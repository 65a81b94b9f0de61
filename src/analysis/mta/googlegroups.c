/* Google Groups: the group refused the post (no DSN; X-Failed-Recipients names the group). */
#include <config.h>
#include "../internal.h"

#define L(...) (const char *const[]){__VA_ARGS__, NULL}
const mta_family mta_googlegroups = {
    .name = "googlegroups",
    .body = L("Google Groups", "googlegroups.com", "Google グループ"),
    .start = L("----- XXX never -----"),
    .end = L("----- Original message -----"),
    .reason = "rejected",
};
