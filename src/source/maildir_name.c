/* See maildir_name.h. */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include "maildir_name.h"

size_t maildir_key_len(const char *name)
{
    return strcspn(name, ":");
}

int maildir_keycmp(const char *a, const char *b)
{
    size_t la = maildir_key_len(a), lb = maildir_key_len(b);
    int c = memcmp(a, b, la < lb ? la : lb);
    return c ? c : (la > lb) - (la < lb);
}

bool maildir_name_ok(const char *name)
{
    return name[0] != '.' && maildir_key_len(name) > 0;
}

static int cmp_by_key(const void *a, const void *b)
{
    return maildir_keycmp(*(const char *const *)a, *(const char *const *)b);
}

/* By unique part, then by whole name: the first of each key is its winner. */
static int cmp_by_key_name(const void *a, const void *b)
{
    int c = cmp_by_key(a, b);
    return c ? c : strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Drops from v[0..n) (one folder, names distinct) every name whose key an
 * earlier name (in name order) has; counts them in *dups. */
static size_t merge_unique(const char **v, size_t n, size_t *dups)
{
    const char **by = malloc((n ? n : 1) * sizeof *by);
    if (!by)
        return (size_t)-1;
    if (n)
        memcpy(by, v, n * sizeof *by);
    qsort(by, n, sizeof *by, cmp_by_key_name);
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        const char **at = bsearch(&v[i], by, n, sizeof *by, cmp_by_key_name);
        if (at > by && maildir_keycmp(at[-1], v[i]) == 0)
            (*dups)++;
        else
            v[kept++] = v[i];
    }
    free(by);
    return kept;
}

size_t maildir_merge(char *const *cur, size_t ncur, char *const *new_, size_t nnew, const char **out,
                     size_t *kept_cur, size_t *dups)
{
    *dups = 0;
    *kept_cur = 0;
    if (ncur)   /* an empty cur/ may come as NULL: no memcpy from NULL, even of 0 bytes (UBSan) */
        memcpy(out, cur, ncur * sizeof *out);
    size_t nc = merge_unique(out, ncur, dups);
    const char **sorted = nc != (size_t)-1 ? malloc((nc ? nc : 1) * sizeof *sorted) : NULL;
    if (!sorted)
        return (size_t)-1;
    *kept_cur = nc;
    memcpy(sorted, out, nc * sizeof *sorted);
    qsort(sorted, nc, sizeof *sorted, cmp_by_key);
    size_t nn = 0;
    for (size_t i = 0; i < nnew; i++) {
        const char *key = new_[i];
        if (!nc || !bsearch(&key, sorted, nc, sizeof *sorted, cmp_by_key))   /* else moved to cur/ meanwhile */
            out[nc + nn++] = new_[i];
    }
    free(sorted);
    nn = merge_unique(out + nc, nn, dups);
    return nn == (size_t)-1 ? nn : nc + nn;
}
