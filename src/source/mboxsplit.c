/* The one mbox splitter: where messages start, for listing, fetching and
 * deleting alike. A line starts at the buffer's start, after "\n", or after a
 * "\r" not followed by "\n" (so LF, CRLF, lone-CR and mixed files split the
 * same way). A buffer not starting with "From " is one message. */
#include <config.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
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
