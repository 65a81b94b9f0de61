/* Google Groups: the group refused the post (no DSN; X-Failed-Recipients names the group). */
#include <config.h>
#include "../internal.h"

#define L(...) (const char *const[]){__VA_ARGS__, NULL}
#include <string.h>

static void googlegroups_refine(const msg_view *m, scan_result *r)
{
    const char *failed = hlist_get(&m->head, "X-Failed-Recipients");
    if (!failed)
        return;
    for (size_t i = 0; i < r->n; i++)
        r->v[i].reason = "rejected";
}

const mta_family mta_googlegroups = {
    .name = "googlegroups",
    .body = L("Google Groups", "googlegroups.com", "Google グループ"),
    .start = L("----- XXX never -----"),
    .end = L("----- Original message -----"),
    .refine = googlegroups_refine,
};
