/* See imapguard.h. The scanner follows the IMAP response grammar only as far
 * as the bounds need: quoted strings, literals ({N} at the end of a line),
 * parentheses and line ends. */
#include <config.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "rebote/util.h"
#include "imapguard.h"

struct imapguard {
    mailstream_low *inner;
    size_t max_literal;
    uint64_t literal_left;   /* bytes of a literal still to pass through */
    size_t depth;
    uint64_t line, line_max;  /* bytes of the current line, and their bound */
    bool quoted, escaped;
    char tail[24];           /* the end of the current line, to find {N} */
    char head[48];           /* the start of the line, for UIDVALIDITY */
    size_t hlen;
    int uidvalidity;         /* 1 seen and valid, -1 seen and not valid, 0 not seen */
    size_t tlen;
    const char *why;
};

imapguard *imapguard_new(size_t max_literal)
{
    imapguard *g = calloc(1, sizeof *g);
    if (g) {
        g->max_literal = max_literal;
        g->line_max = IMAPGUARD_MAX_LINE;
    }
    return g;
}

void imapguard_free(imapguard *g)
{
    free(g);
}

const char *imapguard_why(const imapguard *g)
{
    return g ? g->why : NULL;
}

static int guard_refuse(imapguard *g, const char *why)
{
    g->why = why;
    return -1;
}

/* "* OK [UIDVALIDITY N]": N must be a nonzero 32-bit unsigned number
 * (libetpan would store 99999999999 truncated, and a negative one as 0). */
static void guard_uidvalidity(imapguard *g)
{
    static const char tag[] = "* OK [UIDVALIDITY ";
    size_t k = sizeof tag - 1;
    if (g->hlen < k || strncasecmp(g->head, tag, k) != 0)
        return;
    uint64_t v = 0;
    size_t i = k;
    while (i < g->hlen && i < k + 11 && g->head[i] >= '0' && g->head[i] <= '9')
        v = v * 10 + (uint64_t)(g->head[i++] - '0');
    bool ok = i > k && i < g->hlen && g->head[i] == ']' && v >= 1 && v <= UINT32_MAX;
    g->uidvalidity = ok ? 1 : -1;
}

int imapguard_uidvalidity(const imapguard *g)
{
    return g ? g->uidvalidity : 0;
}

void imapguard_line_max(imapguard *g, uint64_t max)
{
    if (g)
        g->line_max = max ? max : IMAPGUARD_MAX_LINE;
}

void imapguard_select_starts(imapguard *g)
{
    if (g)
        g->uidvalidity = 0;
}

/* At a line end: a literal announced by "{N}" (or "{N+}") before CRLF. */
static int guard_line_end(imapguard *g)
{
    guard_uidvalidity(g);
    g->hlen = 0;
    size_t t = g->tlen;
    if (t && g->tail[t - 1] == '\r')
        t--;
    if (t >= 3 && g->tail[t - 1] == '}') {
        size_t e = t - 1, b = e;
        if (b > 0 && g->tail[b - 1] == '+')
            e = --b;
        while (b > 0 && g->tail[b - 1] >= '0' && g->tail[b - 1] <= '9')
            b--;
        if (b > 0 && b < e && g->tail[b - 1] == '{') {
            uint64_t n = 0;
            for (size_t i = b; i < e; i++) {
                if (n > UINT64_MAX / 16)
                    return guard_refuse(g, N_("the server announced a literal larger than what was asked for"));
                n = n * 10 + (uint64_t)(g->tail[i] - '0');
            }
            if (n > g->max_literal)
                return guard_refuse(g, N_("the server announced a literal larger than what was asked for"));
            g->literal_left = n;
            g->tlen = 0;
            return 0;   /* the response goes on after the literal */
        }
    }
    g->depth = 0;   /* the response ends here */
    g->line = 0;
    g->tlen = 0;
    g->quoted = g->escaped = false;
    return 0;
}

static int guard_byte(imapguard *g, char c)
{
    if (++g->line > g->line_max)
        return guard_refuse(g, N_("the server sent a response line longer than rebote accepts"));
    if (c == '\n')
        return guard_line_end(g);
    if (g->hlen < sizeof g->head)
        g->head[g->hlen++] = c;
    if (g->tlen == sizeof g->tail) {
        memmove(g->tail, g->tail + 1, sizeof g->tail - 1);
        g->tlen--;
    }
    g->tail[g->tlen++] = c;
    if (g->quoted) {
        if (g->escaped)
            g->escaped = false;
        else if (c == '\\')
            g->escaped = true;
        else if (c == '"')
            g->quoted = false;
    } else if (c == '"') {
        g->quoted = true;
    } else if (c == '(' && ++g->depth > IMAPGUARD_MAX_DEPTH) {
        return guard_refuse(g, N_("the server sent a response nested deeper than rebote accepts"));
    } else if (c == ')' && g->depth) {
        g->depth--;
    }
    return 0;
}

int imapguard_scan(imapguard *g, const char *buf, size_t n)
{
    if (g->why)
        return -1;
    for (size_t i = 0; i < n;) {
        if (g->literal_left) {
            size_t k = g->literal_left < n - i ? (size_t)g->literal_left : n - i;
            g->literal_left -= k;
            i += k;
            continue;
        }
        if (guard_byte(g, buf[i++]) != 0)
            return -1;
    }
    return 0;
}

/* ---- the low-level driver ---- */
static imapguard *guard_of(mailstream_low *s) { return s->data; }

static ssize_t guard_read(mailstream_low *s, void *buf, size_t count)
{
    imapguard *g = guard_of(s);
    if (g->why)
        return -1;
    ssize_t r = mailstream_low_read(g->inner, buf, count);
    if (r == 0) {   /* the server closed the connection: an error, not "try again" */
        g->why = N_("the server closed the connection");
        return -1;
    }
    if (r < 0)
        return r;
    return imapguard_scan(g, buf, (size_t)r) == 0 ? r : -1;
}

static ssize_t guard_write(mailstream_low *s, const void *buf, size_t count)
{
    return mailstream_low_write(guard_of(s)->inner, buf, count);
}

static int guard_close(mailstream_low *s) { return mailstream_low_close(guard_of(s)->inner); }
static int guard_get_fd(mailstream_low *s) { return mailstream_low_get_fd(guard_of(s)->inner); }
static void guard_cancel(mailstream_low *s) { mailstream_low_cancel(guard_of(s)->inner); }
static struct mailstream_cancel *guard_get_cancel(mailstream_low *s)
{
    return mailstream_low_get_cancel(guard_of(s)->inner);
}
static carray *guard_chain(mailstream_low *s)
{
    mailstream_low *in = guard_of(s)->inner;
    return in->driver->mailstream_get_certificate_chain ? in->driver->mailstream_get_certificate_chain(in) : NULL;
}

static void guard_low_free(mailstream_low *s)
{
    imapguard *g = guard_of(s);
    mailstream_low_free(g->inner);
    imapguard_free(g);
    free(s);
}

static mailstream_low_driver guard_driver = {
    .mailstream_read = guard_read,
    .mailstream_write = guard_write,
    .mailstream_close = guard_close,
    .mailstream_get_fd = guard_get_fd,
    .mailstream_free = guard_low_free,
    .mailstream_cancel = guard_cancel,
    .mailstream_get_cancel = guard_get_cancel,
    .mailstream_get_certificate_chain = guard_chain,
};

imapguard *imapguard_wrap(mailstream *stream, size_t max_literal)
{
    mailstream_low *inner = mailstream_get_low(stream);
    imapguard *g = imapguard_new(max_literal);
    mailstream_low *low = g ? mailstream_low_new(g, &guard_driver) : NULL;
    if (!low) {
        imapguard_free(g);
        return NULL;
    }
    g->inner = inner;
    mailstream_low_set_timeout(low, mailstream_low_get_timeout(inner));
    mailstream_set_low(stream, low);
    return g;
}
