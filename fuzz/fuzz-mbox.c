/* libFuzzer harness for the one mbox splitter (src/source/mboxsplit.c), fed
 * the input as is and with its line ends made CRLF and lone CR. Invariants:
 * spans tile the buffer in order; the listed count (mboxsplit_next) equals the
 * fetched count (local_each_in_buffer); each span fetched alone is one message
 * no longer than the span. The streaming splitter (mboxscan), with a chunk
 * size and short reads taken from the input, gives the same spans and hashes,
 * and mboxscan_read (from a memfd) the same bytes as local_each_in_buffer. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>
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

/* The buffer as a file for mboxscan: reads shortened by a rhythm. */
typedef struct {
    const char *buf;
    size_t len;
    unsigned rhythm, calls;
} fuzz_file;

static ssize_t fuzz_read(void *ctx, char *out, size_t n, uint64_t off)
{
    fuzz_file *f = ctx;
    if (off >= f->len)
        return 0;
    size_t left = f->len - (size_t)off;
    if (n > left)
        n = left;
    size_t shorter = f->rhythm ? (f->calls++ % f->rhythm) + 1 : n;
    if (n > shorter)
        n = shorter;
    memcpy(out, f->buf + off, n);
    return (ssize_t)n;
}

typedef struct {
    const char *buf;
    size_t len, pos, spans;
    int memfd;
} fuzz_expect;

static int fuzz_fetched_cb(const char *path, size_t index, const char *buf, size_t len, void *ctx)
{
    (void)path;
    (void)index;
    char **want = ctx;
    want[0] = malloc(len + 1);
    if (want[0])
        memcpy(want[0], buf, len);
    want[1] = (char *)(uintptr_t)len;
    return 0;
}

/* Each streamed span is the next span of the whole-buffer split. */
static int fuzz_span_cb(const mbox_span *m, void *ctx)
{
    fuzz_expect *e = ctx;
    if (m->start != e->pos || m->end != mboxsplit_next(e->buf, e->len, e->pos) || m->end <= m->start)
        abort();
    if (m->hash != mboxsplit_hash(1469598103934665603ULL, e->buf + m->start, (size_t)(m->end - m->start)))
        abort();
    if (e->memfd >= 0) {
        char *want[2] = {NULL, NULL};
        local_each_in_buffer("f", e->buf + m->start, (size_t)(m->end - m->start), fuzz_fetched_cb, want);
        size_t len, wlen = (size_t)(uintptr_t)want[1];
        char *got = mboxscan_read(e->memfd, m, 0, &len);
        if (want[0] && got && (len != wlen || memcmp(got, want[0], len) != 0 || got[len] != '\0'))
            abort();
        free(got);
        /* capped: the first cap bytes of the same, when the "From " line is short */
        size_t cap = e->len % 97 + 1, line = 0;
        const char *sp = e->buf + m->start;
        while (line < m->end - m->start && sp[line] != '\n' && sp[line] != '\r')
            line++;
        got = mboxscan_read(e->memfd, m, cap, &len);
        if (want[0] && got && line < 4000 &&
            (len != (wlen < cap ? wlen : cap) || memcmp(got, want[0], len) != 0 || got[len] != '\0'))
            abort();
        free(got);
        free(want[0]);
    }
    e->pos = (size_t)m->end;
    e->spans++;
    return 0;
}

static int fuzz_memfd = -2;

static void fuzz_check_stream(const char *buf, size_t len, unsigned chunk, unsigned rhythm)
{
    if (fuzz_memfd == -2)
        fuzz_memfd = memfd_create("fuzz-mbox", 0);
    if (fuzz_memfd >= 0 && (ftruncate(fuzz_memfd, 0) != 0 || pwrite(fuzz_memfd, buf, len, 0) != (ssize_t)len))
        abort();
    fuzz_file f = {buf, len, rhythm, 0};
    fuzz_expect e = {buf, len, 0, 0, fuzz_memfd};
    if (mboxscan(fuzz_read, &f, len, chunk, fuzz_span_cb, &e) != 0 || e.pos != len)
        abort();
}

static unsigned fuzz_chunk = 1, fuzz_rhythm;

static void fuzz_check(const char *buf, size_t len)
{
    fuzz_check_stream(buf, len, fuzz_chunk, fuzz_rhythm);
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
    fuzz_chunk = size ? (unsigned)data[0] % 40 + 1 : 1;   /* tiny windows: every slide is tried */
    fuzz_rhythm = size > 1 ? (unsigned)data[1] % 8 : 0;
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
