/* libFuzzer harness for rebote's SEARCH / ESEARCH answer parser
 * (src/source/imapsearch.c). The first two bytes choose EXISTS (0..65535),
 * the rest is what the server says after "7 UID SEARCH ...". Invariants: the
 * answer fed whole and fed in pieces of 1..7 bytes gives the same status and
 * set; a complete set is sorted, disjoint, not adjacent, within 1..2^32-1,
 * its count is the sum of its ranges and at most EXISTS plus the margin;
 * `used` never passes the bytes fed. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "imapsearch.h"

static int fuzz_feed(const uint8_t *d, size_t n, uint32_t exists, size_t step, imapsearch_set *out)
{
    imapsearch *p = imapsearch_new("7", exists);
    if (!p)
        abort();
    int r = IMAPSEARCH_MORE;
    size_t at = 0;
    while (r == IMAPSEARCH_MORE && at < n) {
        size_t k = n - at < step ? n - at : step, used = 0;
        r = imapsearch_feed(p, (const char *)d + at, k, &used);
        if (used > k || (r == IMAPSEARCH_MORE && used != k))
            abort();
        at += used;
    }
    if (r == IMAPSEARCH_FAIL && !imapsearch_why(p))
        abort();
    *out = (imapsearch_set){0};
    if (r == IMAPSEARCH_OK)
        imapsearch_take(p, out);
    imapsearch_free(p);
    return r;
}

static void fuzz_check_set(const imapsearch_set *s, uint32_t exists)
{
    uint64_t sum = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (s->v[i].lo == 0 || s->v[i].lo > s->v[i].hi)
            abort();
        if (i && (uint64_t)s->v[i - 1].hi + 1 >= s->v[i].lo)
            abort();
        sum += (uint64_t)s->v[i].hi - s->v[i].lo + 1;
    }
    if (sum != s->count || s->count > (uint64_t)exists + IMAPSEARCH_MARGIN || s->n > s->cap + (s->cap == 0))
        abort();
}

static int fuzz_same(const imapsearch_set *a, const imapsearch_set *b)
{
    return a->n == b->n && a->count == b->count && (!a->n || !memcmp(a->v, b->v, a->n * sizeof *a->v));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    uint32_t exists = (uint32_t)data[0] << 8 | data[1];
    imapsearch_set whole, piece;
    int r = fuzz_feed(data + 2, size - 2, exists, size, &whole);
    size_t step = 1 + size % 7;
    if (fuzz_feed(data + 2, size - 2, exists, step, &piece) != r || !fuzz_same(&whole, &piece))
        abort();
    if (r == IMAPSEARCH_OK)
        fuzz_check_set(&whole, exists);
    imapsearch_set_free(&whole);
    imapsearch_set_free(&piece);
    return 0;
}
