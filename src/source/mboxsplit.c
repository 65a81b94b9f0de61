/* The one mbox splitter: where messages start, for listing, fetching and
 * deleting alike. A line starts at the buffer's start, after "\n", or after a
 * "\r" not followed by "\n" (so LF, CRLF, lone-CR and mixed files split the
 * same way). A buffer not starting with "From " is one message. mboxscan
 * runs the same splitter over a file read by chunks (pread: a file that is
 * truncated meanwhile only ends sooner, where a mapping would raise SIGBUS),
 * so an mbox is never held whole in memory. */
#include <config.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "rebote/local.h"

static bool mboxsplit_is_from(const char *p, const char *end)
{
    return end - p > 5 && memcmp(p, "From ", 5) == 0;
}

/* The start of the line after the one p is in, or end. */
static const char *mboxsplit_next_line(const char *p, const char *end)
{
    for (; p < end; p++) {
        if (*p == '\n')
            return p + 1;
        if (*p == '\r')
            return p + 1 < end && p[1] == '\n' ? p + 2 : p + 1;
    }
    return end;
}

size_t mboxsplit_next(const char *buf, size_t len, size_t pos)
{
    const char *end = buf + len;
    if (pos == 0 && !mboxsplit_is_from(buf, end))
        return len;
    for (const char *p = mboxsplit_next_line(buf + pos, end); p < end; p = mboxsplit_next_line(p, end))
        if (mboxsplit_is_from(p, end))
            return (size_t)(p - buf);
    return len;
}

/* Copies one message body: ">From " quoting undone (mboxrd, and mboxo's),
 * lone CR line ends made LF for the MIME parser. */
static char *mboxsplit_unquote(const char *s, size_t n, size_t *outlen)
{
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    bool bol = true;
    for (size_t i = 0; i < n; i++) {
        if (bol && s[i] == '>') {
            size_t j = i;
            while (j < n && s[j] == '>')
                j++;
            if (n - j >= 5 && memcmp(s + j, "From ", 5) == 0)
                i++;   /* drop one '>' */
        }
        bool lone_cr = s[i] == '\r' && (i + 1 >= n || s[i + 1] != '\n');
        out[o++] = lone_cr ? '\n' : s[i];
        bol = s[i] == '\n' || lone_cr;
    }
    *outlen = o;
    return out;
}

int local_each_in_buffer(const char *path, const char *buf, size_t len,
                         local_message_cb cb, void *ctx)
{
    const char *end = buf + len;
    if (!mboxsplit_is_from(buf, end))
        return cb(path, 1, buf, len, ctx);
    size_t index = 0;
    for (size_t pos = 0; pos < len;) {
        size_t next = mboxsplit_next(buf, len, pos);
        const char *body = mboxsplit_next_line(buf + pos, buf + next);
        size_t n;
        char *msg = mboxsplit_unquote(body, (size_t)(buf + next - body), &n);
        if (!msg)
            return -1;
        int rc = cb(path, ++index, msg, n, ctx);
        free(msg);
        if (rc)
            return rc;
        pos = next;
    }
    return 0;
}

/* ---- streaming: the same splitter over a file read by chunks ---- */

#define MBOXSCAN_KEEP 8   /* bytes kept when the window slides: a "From " test needs 6, a CRLF 2 */
#define MBOXSCAN_CHUNK ((size_t)1 << 20)
#define MBOX_FNV_OFFSET 1469598103934665603ULL

uint64_t mboxsplit_hash(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;   /* FNV-1a */
    }
    return h;
}

/* The window: bytes [off, off + len) of the file, at most cap of them. */
typedef struct {
    mbox_reader rd;
    void *rctx;
    char *buf;
    size_t len, cap;
    uint64_t off, size;
    bool eof;   /* the window reaches the end (size, or where the file ends now) */
} mboxscan_window;

static int mboxscan_fill(mboxscan_window *w)
{
    while (!w->eof && w->len < w->cap) {
        uint64_t at = w->off + w->len;
        size_t want = w->cap - w->len;
        if (w->size - at < want)
            want = (size_t)(w->size - at);
        ssize_t r = want ? w->rd(w->rctx, w->buf + w->len, want, at) : 0;
        if (r < 0)
            return -1;
        if (r == 0)
            w->eof = true;   /* at size, or the file is shorter now */
        w->len += (size_t)r;
    }
    return 0;
}

/* Drops all but the window's last MBOXSCAN_KEEP bytes and reads on. */
static int mboxscan_slide(mboxscan_window *w)
{
    memmove(w->buf, w->buf + w->len - MBOXSCAN_KEEP, MBOXSCAN_KEEP);
    w->off += w->len - MBOXSCAN_KEEP;
    w->len = MBOXSCAN_KEEP;
    return mboxscan_fill(w);
}

/* The scan: mboxsplit_next on the window, from scan (a file offset). A start
 * it finds more than 5 bytes before the window's end is the one a scan of
 * the whole file finds; when it finds none the window slides, keeping its
 * last bytes, and the scan goes on from the line of the 7th byte from the
 * end (lines already looked at are looked at again, none is skipped). */
typedef struct {
    mboxscan_window w;
    uint64_t start, scan, hashed, hash;
    bool single;   /* the file does not start with "From ": one message */
} mboxscan_state;

/* Hashes the current message's bytes up to the file offset upto. */
static void mboxscan_hash_upto(mboxscan_state *st, uint64_t upto)
{
    if (upto <= st->hashed)
        return;
    st->hash = mboxsplit_hash(st->hash, st->w.buf + (st->hashed - st->w.off), (size_t)(upto - st->hashed));
    st->hashed = upto;
}

int mboxscan(mbox_reader rd, void *rctx, uint64_t size, size_t chunk, mbox_span_cb cb, void *ctx)
{
    mboxscan_state st = {.w = {.rd = rd, .rctx = rctx, .size = size}, .hash = MBOX_FNV_OFFSET};
    st.w.cap = (chunk ? chunk : MBOXSCAN_CHUNK) + MBOXSCAN_KEEP;
    if (!(st.w.buf = malloc(st.w.cap)))
        return -1;
    int rc = mboxscan_fill(&st.w);
    st.single = !mboxsplit_is_from(st.w.buf, st.w.buf + st.w.len);
    while (rc == 0 && st.w.len) {
        size_t next = st.single ? st.w.len : mboxsplit_next(st.w.buf, st.w.len, (size_t)(st.scan - st.w.off));
        if (next == st.w.len && !st.w.eof) {
            uint64_t keep_from = st.w.off + st.w.len - MBOXSCAN_KEEP;
            mboxscan_hash_upto(&st, keep_from);
            if (st.scan < keep_from + 1)
                st.scan = keep_from + 1;
            rc = mboxscan_slide(&st.w);
            continue;
        }
        uint64_t end = st.w.off + next;
        mboxscan_hash_upto(&st, end);
        mbox_span m = {st.start, end, st.hash};
        if ((rc = cb(&m, ctx)) != 0 || next == st.w.len)
            break;
        st.start = st.scan = end;
        st.hash = MBOX_FNV_OFFSET;
    }
    free(st.w.buf);
    return rc;
}

static ssize_t mboxscan_pread(void *ctx, char *buf, size_t n, uint64_t off)
{
    ssize_t r;
    do
        r = pread(*(const int *)ctx, buf, n, (off_t)off);
    while (r < 0 && errno == EINTR);
    return r;
}

int mboxscan_fd(int fd, uint64_t size, mbox_span_cb cb, void *ctx)
{
    return mboxscan(mboxscan_pread, &fd, size, 0, cb, ctx);
}

/* Reads [off, off + n) of fd; fewer bytes when the file is shorter now. */
static bool mboxscan_read_at(int fd, char *buf, size_t n, uint64_t off, size_t *got)
{
    *got = 0;
    while (*got < n) {
        ssize_t r = mboxscan_pread(&fd, buf + *got, n - *got, off + *got);
        if (r < 0)
            return false;
        if (r == 0)
            break;
        *got += (size_t)r;
    }
    return true;
}

/* Bytes of a message to read for cap bytes of its body: its "From " line
 * (up to MBOXSCAN_FROM_MAX) and the body, of which unquoting drops at most
 * one byte in six; a few more so the last line end is seen whole. */
#define MBOXSCAN_FROM_MAX 4096

char *mboxscan_read(int fd, const mbox_span *m, size_t cap, size_t *len)
{
    uint64_t want = m->end - m->start;
    if (cap && want > (uint64_t)cap + cap / 5 + MBOXSCAN_FROM_MAX + 16)
        want = (uint64_t)cap + cap / 5 + MBOXSCAN_FROM_MAX + 16;
    if (want > SIZE_MAX - 1) {
        errno = EFBIG;
        return NULL;
    }
    char *raw = malloc((size_t)want + 1);
    size_t got;
    if (!raw || !mboxscan_read_at(fd, raw, (size_t)want, m->start, &got)) {
        free(raw);
        return NULL;
    }
    char *out;
    if (mboxsplit_is_from(raw, raw + got)) {
        const char *body = mboxsplit_next_line(raw, raw + got);
        out = mboxsplit_unquote(body, (size_t)(raw + got - body), len);
        free(raw);
    } else {
        out = raw;   /* not an mbox: the message as it is */
        *len = got;
    }
    if (out && cap && *len > cap)
        *len = cap;
    if (out)
        out[*len] = '\0';
    return out;
}
