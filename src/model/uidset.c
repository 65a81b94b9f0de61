/* UID sets for IMAP commands (RFC 3501 sequence-set): sorted, de-duplicated,
 * consecutive UIDs as ranges, commands kept short (Dovecot refuses lines
 * over about 64 KB; we split far below). */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rebote/uidset.h"

static int cmp_uid(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Writes "a" or "a:b" into buf; returns its length. */
static size_t uidset_range(char *buf, size_t len, uint32_t a, uint32_t b)
{
    int n = a == b ? snprintf(buf, len, "%u", a) : snprintf(buf, len, "%u:%u", a, b);
    return n > 0 ? (size_t)n : 0;
}

int uidset_each(const uint32_t *uids, size_t n, size_t maxlen, uidset_cb cb, void *ctx)
{
    if (n == 0)
        return 0;
    if (maxlen < 24)
        maxlen = 24;
    uint32_t *v = malloc(n * sizeof *v);
    char *set = malloc(maxlen + 1);
    if (!v || !set) {
        free(v);
        free(set);
        return -1;
    }
    memcpy(v, uids, n * sizeof *v);
    qsort(v, n, sizeof *v, cmp_uid);
    size_t len = 0, count = 0;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0;) {
        if (v[i] == 0 || (i > 0 && v[i] == v[i - 1])) {
            i++;
            continue;
        }
        size_t j = i;
        while (j + 1 < n && (v[j + 1] == v[j] || v[j + 1] == v[j] + 1))
            j++;
        char range[32];
        size_t rl = uidset_range(range, sizeof range, v[i], v[j]);
        if (len && len + 1 + rl > maxlen) {   /* this range starts the next set */
            rc = cb(set, count, ctx);
            len = count = 0;
        }
        if (len)
            set[len++] = ',';
        memcpy(set + len, range, rl);
        len += rl;
        set[len] = '\0';
        count += v[j] - v[i] + 1;
        i = j + 1;
    }
    if (rc == 0 && len)
        rc = cb(set, count, ctx);
    free(v);
    free(set);
    return rc;
}
