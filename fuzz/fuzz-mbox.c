/* libFuzzer harness for the one mbox splitter (src/source/mboxsplit.c), fed
 * the input as is and with its line ends made CRLF and lone CR. Invariants:
 * spans tile the buffer in order; the listed count (mboxsplit_next) equals the
 * fetched count (local_each_in_buffer); each span fetched alone is one message
 * no longer than the span. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "rebote/local.h"

static int fuzz_count_cb(const char *path, size_t index, const char *buf, size_t len, void *ctx)
{
    (void)path;
    (void)buf;
    size_t *c = ctx;
    if (index != c[0] + 1)
        abort();
    c[0]++;
    c[1] = len;
    return 0;
}

static void fuzz_check(const char *buf, size_t len)
{
    size_t spans = 0;
    for (size_t pos = 0; pos < len;) {
        size_t next = mboxsplit_next(buf, len, pos);
        if (next <= pos || next > len)
            abort();
        size_t one[2] = {0, 0};
        local_each_in_buffer("f", buf + pos, next - pos, fuzz_count_cb, one);
        if (one[0] != 1 || one[1] > next - pos)
            abort();
        spans++;
        pos = next;
    }
    size_t all[2] = {0, 0};
    local_each_in_buffer("f", buf, len, fuzz_count_cb, all);
    if (all[0] != spans && !(len == 0 && all[0] == 1))
        abort();
}

/* The input with every "\n" made "\r\n" (crlf) or "\r" (not crlf). */
static char *fuzz_restyle(const uint8_t *data, size_t size, int crlf, size_t *len)
{
    char *out = malloc(size * 2 + 1);
    size_t o = 0;
    for (size_t i = 0; out && i < size; i++) {
        if (data[i] == '\n') {
            out[o++] = '\r';
            if (crlf)
                out[o++] = '\n';
        } else
            out[o++] = (char)data[i];
    }
    *len = o;
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *copy = malloc(size ? size : 1);   /* exact size: ASan sees any overread */
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    fuzz_check(copy, size);
    free(copy);
    for (int crlf = 0; crlf < 2; crlf++) {
        size_t len;
        char *s = fuzz_restyle(data, size, crlf, &len);
        if (s)
            fuzz_check(s, len);
        free(s);
    }
    return 0;
}
