/* See imapsearch.h. One byte at a time, a line is either collected in a
 * small head (until it can be told apart: our tagged status, "* N EXISTS",
 * an empty result, anything else) or, once it is known to be a SEARCH or
 * ESEARCH ALL line, read number by number into the range set. Lines of any
 * other response are skipped, literals ({N} at a line end) included. */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "rebote/util.h"
#include "imapsearch.h"

#define HEAD_MAX 384   /* bytes of a line kept to classify it (our status line's text) */

enum { MODE_HEAD, MODE_NUMS, MODE_SET, MODE_SKIP, MODE_LITERAL };

struct imapsearch {
    imapsearch_set set;
    bool unsorted;           /* a UID came below the last range: sort at the end */
    uint64_t max, listed;    /* UIDs accepted at most, UIDs listed (repeats counted) */
    char tag[24];
    size_t taglen;
    int mode;
    bool cr;                 /* a CR was seen: only LF may follow */
    bool tagged;             /* the line skipped is our status line (too long for the head) */
    char head[HEAD_MAX + 1];
    size_t hlen;
    char tail[24];           /* the end of a skipped line, to find {N} */
    size_t tlen;
    uint64_t num, lo;        /* the number being read; a range's first number */
    unsigned digits;
    bool range;
    uint64_t literal;        /* literal bytes still to skip */
    char text[IMAPSEARCH_TEXT_MAX + 1];
    const char *why;
};

static int search_refuse(imapsearch *p, const char *why)
{
    p->why = why;
    return IMAPSEARCH_FAIL;
}

static uint64_t search_max_for(uint32_t exists)
{
    uint64_t m = (uint64_t)exists + IMAPSEARCH_MARGIN;
    return m < IMAPSEARCH_CEILING ? m : IMAPSEARCH_CEILING;
}

imapsearch *imapsearch_new(const char *tag, uint32_t exists)
{
    size_t tl = strlen(tag);
    imapsearch *p = tl < sizeof p->tag - 1 ? calloc(1, sizeof *p) : NULL;
    if (!p)
        return NULL;
    memcpy(p->tag, tag, tl);
    p->tag[tl] = ' ';
    p->taglen = tl + 1;
    p->max = search_max_for(exists);
    return p;
}

void imapsearch_set_free(imapsearch_set *s)
{
    free(s->v);
    *s = (imapsearch_set){0};
}

void imapsearch_free(imapsearch *p)
{
    if (p)
        imapsearch_set_free(&p->set);
    free(p);
}

const char *imapsearch_why(const imapsearch *p) { return p->why; }
const char *imapsearch_text(const imapsearch *p) { return p->text; }
uint64_t imapsearch_max(const imapsearch *p) { return p->max; }

void imapsearch_take(imapsearch *p, imapsearch_set *out)
{
    *out = p->set;
    p->set = (imapsearch_set){0};
}

/* [lo, hi] into the set: merged with the last range when it follows it. */
static int search_add(imapsearch *p, uint32_t lo, uint32_t hi)
{
    if (lo > hi) {
        uint32_t t = lo;
        lo = hi;
        hi = t;
    }
    p->listed += (uint64_t)hi - lo + 1;
    if (p->listed > p->max)
        return search_refuse(p, N_("the server listed more messages than the mailbox holds"));
    imapsearch_set *s = &p->set;
    imapsearch_range *last = s->n ? &s->v[s->n - 1] : NULL;
    if (last && lo >= last->lo && lo <= (uint64_t)last->hi + 1) {
        if (hi > last->hi)
            last->hi = hi;
        return 0;
    }
    if (last && lo < last->lo)
        p->unsorted = true;
    if (s->n == s->cap) {
        size_t c = s->cap ? s->cap * 2 : 64;
        imapsearch_range *v = realloc(s->v, c * sizeof *v);
        if (!v)
            return search_refuse(p, N_("out of memory"));
        s->v = v;
        s->cap = c;
    }
    s->v[s->n++] = (imapsearch_range){lo, hi};
    return 0;
}

static int cmp_range(const void *a, const void *b)
{
    uint32_t x = ((const imapsearch_range *)a)->lo, y = ((const imapsearch_range *)b)->lo;
    return x < y ? -1 : x > y;
}

/* Sorts and merges the ranges; counts the distinct UIDs. */
static void search_finish(imapsearch *p)
{
    imapsearch_set *s = &p->set;
    if (p->unsorted && s->n > 1) {
        qsort(s->v, s->n, sizeof *s->v, cmp_range);
        size_t k = 0;
        for (size_t i = 1; i < s->n; i++) {
            if (s->v[i].lo <= (uint64_t)s->v[k].hi + 1) {
                if (s->v[i].hi > s->v[k].hi)
                    s->v[k].hi = s->v[i].hi;
            } else {
                s->v[++k] = s->v[i];
            }
        }
        s->n = k + 1;
    }
    s->count = 0;
    for (size_t i = 0; i < s->n; i++)
        s->count += (uint64_t)s->v[i].hi - s->v[i].lo + 1;
}

/* ---- numbers of a SEARCH or ESEARCH line ---- */

/* A digit of a nonzero 32-bit number without leading zeros. */
static int search_digit(imapsearch *p, char c)
{
    if (p->digits == 0 && c == '0')
        return search_refuse(p, N_("the server listed an invalid UID"));
    p->num = p->num * 10 + (uint64_t)(c - '0');
    if (++p->digits > 10 || p->num > UINT32_MAX)
        return search_refuse(p, N_("the server listed an invalid UID"));
    return 0;
}

/* The end of one number (SEARCH) or one set item (ESEARCH, lo:hi). */
static int search_item_end(imapsearch *p, bool must)
{
    if (!p->digits)
        return must || p->range ? search_refuse(p, N_("the server sent a SEARCH answer rebote cannot read")) : 0;
    uint32_t hi = (uint32_t)p->num, lo = p->range ? (uint32_t)p->lo : hi;
    p->num = p->digits = 0;
    p->range = false;
    return search_add(p, lo, hi);
}

static void search_line_starts(imapsearch *p)
{
    p->mode = MODE_HEAD;
    p->hlen = p->tlen = 0;
    p->cr = p->tagged = false;
}

/* One byte of "* SEARCH 1 2 3" after "SEARCH " (spaces between numbers). */
static int search_nums_byte(imapsearch *p, char c)
{
    if (c >= '0' && c <= '9')
        return search_digit(p, c);
    if (c == ' ' || c == '\r')
        return search_item_end(p, false);
    if (c == '\n') {
        int r = search_item_end(p, false);
        search_line_starts(p);
        return r;
    }
    return search_refuse(p, N_("the server sent a SEARCH answer rebote cannot read"));
}

/* One byte of the sequence-set after "ALL " ("1:4,6"); a space ends the set
 * (other return data follow, skipped). */
static int search_set_byte(imapsearch *p, char c)
{
    if (c >= '0' && c <= '9')
        return search_digit(p, c);
    if (c == ':') {
        if (!p->digits || p->range)
            return search_refuse(p, N_("the server sent a SEARCH answer rebote cannot read"));
        p->lo = p->num;
        p->num = p->digits = 0;
        p->range = true;
        return 0;
    }
    if (c == ',')
        return search_item_end(p, true);
    int r = c == ' ' || c == '\r' || c == '\n' ? search_item_end(p, true)
                                               : search_refuse(p, N_("the server sent a SEARCH answer rebote cannot read"));
    if (r == 0 && c == ' ')
        p->mode = MODE_SKIP;
    else if (r == 0 && c == '\n')
        search_line_starts(p);
    return r;
}

/* ---- whole lines (those that fit the head) ---- */

static bool head_is(const imapsearch *p, const char *word)
{
    size_t k = strlen(word);
    return p->hlen >= k && strncasecmp(p->head, word, k) == 0;
}

/* "* N EXISTS": new mail meanwhile raises the bound. */
static void search_exists(imapsearch *p)
{
    uint64_t n = 0;
    size_t i = 2, d = 0;
    while (i < p->hlen && p->head[i] >= '0' && p->head[i] <= '9' && d < 11) {
        n = n * 10 + (uint64_t)(p->head[i++] - '0');
        d++;
    }
    if (d && d <= 10 && n <= UINT32_MAX && p->hlen - i == 7 && strncasecmp(p->head + i, " EXISTS", 7) == 0 &&
        search_max_for((uint32_t)n) > p->max)
        p->max = search_max_for((uint32_t)n);
}

/* Our status line: "TAG OK|NO|BAD text". */
static int search_tagged(imapsearch *p)
{
    const char *s = p->head + p->taglen, *end = p->head + p->hlen;
    size_t w = 0;
    while (s + w < end && s[w] != ' ')
        w++;
    const char *text = s + w < end ? s + w + 1 : end;
    size_t tl = (size_t)(end - text) < IMAPSEARCH_TEXT_MAX ? (size_t)(end - text) : IMAPSEARCH_TEXT_MAX;
    memcpy(p->text, text, tl);
    p->text[tl] = '\0';
    if (w == 2 && !strncasecmp(s, "OK", 2)) {
        search_finish(p);
        return IMAPSEARCH_OK;
    }
    if ((w == 2 && !strncasecmp(s, "NO", 2)) || (w == 3 && !strncasecmp(s, "BAD", 3)))
        return IMAPSEARCH_NO;
    return search_refuse(p, N_("the server sent a SEARCH answer rebote cannot read"));
}

/* A literal announced at the end of the line in t[0..n): its size, or -1. */
static int64_t search_literal_at_end(const char *t, size_t n)
{
    if (n < 3 || t[n - 1] != '}')
        return -1;
    size_t e = n - 1, b;
    if (t[e - 1] == '+')
        e--;
    for (b = e; b > 0 && t[b - 1] >= '0' && t[b - 1] <= '9'; b--)
        ;
    if (b == 0 || b == e || t[b - 1] != '{' || e - b > 12)
        return -1;
    int64_t v = 0;
    for (size_t i = b; i < e; i++)
        v = v * 10 + (t[i] - '0');
    return v;
}

/* At the end of a line kept in the head (or skipped, with its tail). */
static int search_line_end(imapsearch *p, const char *t, size_t n)
{
    if (n && t[n - 1] == '\r')
        n--;
    int64_t lit = search_literal_at_end(t, n);
    if (lit >= 0) {   /* the response goes on after the literal */
        p->literal = (uint64_t)lit;
        p->mode = lit ? MODE_LITERAL : MODE_SKIP;
        p->tlen = 0;
        p->tagged = false;
        return 0;
    }
    int r = 0;
    if (p->mode == MODE_HEAD || p->tagged) {
        p->hlen = p->mode == MODE_HEAD ? n : p->hlen;
        if (p->hlen >= p->taglen && !memcmp(p->head, p->tag, p->taglen))
            r = search_tagged(p);
        else if (head_is(p, "* ") && p->hlen > 2 && p->head[2] >= '0' && p->head[2] <= '9')
            search_exists(p);
        /* "* SEARCH", "* ESEARCH (TAG ...) UID" without ALL: no UIDs; anything else: not ours */
    }
    search_line_starts(p);
    return r;
}

/* ESEARCH: the head is "* ESEARCH ... ALL " with ALL a word of its own. */
static bool head_esearch_all(const imapsearch *p)
{
    return p->hlen >= 14 && head_is(p, "* ESEARCH ") && !strncasecmp(p->head + p->hlen - 5, " ALL ", 5);
}

static void tail_push(imapsearch *p, char c)
{
    if (p->tlen == sizeof p->tail) {
        memmove(p->tail, p->tail + 1, sizeof p->tail - 1);
        p->tlen--;
    }
    p->tail[p->tlen++] = c;
}

static int search_head_byte(imapsearch *p, char c)
{
    if (c == '\n')
        return search_line_end(p, p->head, p->hlen);
    if (p->hlen == HEAD_MAX) {   /* too long to be anything but our status line or a skipped one */
        p->tagged = !memcmp(p->head, p->tag, p->taglen);
        p->mode = MODE_SKIP;
        p->tlen = 0;
        tail_push(p, c);
        return 0;
    }
    p->head[p->hlen++] = c;
    if (p->hlen == 9 && head_is(p, "* SEARCH "))
        p->mode = MODE_NUMS;
    else if (c == ' ' && head_esearch_all(p))
        p->mode = MODE_SET;
    return 0;
}

static int search_byte(imapsearch *p, char c)
{
    bool after_cr = p->cr;
    p->cr = c == '\r';
    switch (p->mode) {
    case MODE_NUMS:
    case MODE_SET:
        if (after_cr) {   /* the line ends here */
            if (c != '\n')
                return search_refuse(p, N_("the server sent a SEARCH answer rebote cannot read"));
            search_line_starts(p);
            return 0;
        }
        return p->mode == MODE_NUMS ? search_nums_byte(p, c) : search_set_byte(p, c);
    case MODE_SKIP:
        if (c == '\n')
            return search_line_end(p, p->tail, p->tlen);
        tail_push(p, c);
        return 0;
    default:
        return search_head_byte(p, c);
    }
}

int imapsearch_feed(imapsearch *p, const char *buf, size_t n, size_t *used)
{
    size_t i = 0;
    int r = p->why ? IMAPSEARCH_FAIL : IMAPSEARCH_MORE;
    while (r == IMAPSEARCH_MORE && i < n) {
        if (p->mode == MODE_LITERAL) {
            size_t k = p->literal < n - i ? (size_t)p->literal : n - i;
            p->literal -= k;
            i += k;
            if (!p->literal)
                p->mode = MODE_SKIP;
            continue;
        }
        r = search_byte(p, buf[i++]);
    }
    if (used)
        *used = i;
    return r;
}

/* ---- on the session's stream ---- */

/* "TAG UID SEARCH ..." with libetpan's next tag; the tag in tag. */
static int search_send(mailimap *imap, bool esearch, char *tag, size_t taglen)
{
    static const char plain[] = "UID SEARCH ALL\r\n", extended[] = "UID SEARCH RETURN (ALL) ALL\r\n";
    const char *cmd = esearch ? extended : plain;
    if (mailimap_send_current_tag(imap) != MAILIMAP_NO_ERROR ||
        mailstream_write(imap->imap_stream, cmd, strlen(cmd)) < 0 || mailstream_flush(imap->imap_stream) < 0)
        return -1;
    snprintf(tag, taglen, "%d", imap->imap_tag);
    return 0;
}

/* Guard line bound: the longest SEARCH line of max UIDs ("SP 4294967295"). */
static void search_widen(imapguard *g, uint64_t max)
{
    imapguard_line_max(g, 11 * max + HEAD_MAX + 64);
}

/* Reads the answer from the stream's buffer, leaving what follows it there. */
static int search_read(mailstream *st, imapguard *g, imapsearch *p)
{
    int r = IMAPSEARCH_MORE;
    while (r == IMAPSEARCH_MORE) {
        search_widen(g, imapsearch_max(p));
        if (mailstream_feed_read_buffer(st) <= 0)
            return IMAPSEARCH_FAIL;
        size_t used = 0;
        r = imapsearch_feed(p, st->read_buffer, st->read_buffer_len, &used);
        memmove(st->read_buffer, st->read_buffer + used, st->read_buffer_len - used);
        st->read_buffer_len -= used;
    }
    return r;
}

int imapsearch_run(mailimap *imap, imapguard *g, bool esearch, uint32_t exists, imapsearch_set *out,
                   const char **why, char *text, size_t textlen)
{
    char tag[16];
    *why = NULL;
    if (textlen)
        text[0] = '\0';
    if (search_send(imap, esearch, tag, sizeof tag) != 0)
        return -1;   /* the stream's own error (the guard's, or a timeout) */
    imapsearch *p = imapsearch_new(tag, exists);
    if (!p) {
        *why = N_("out of memory");
        return -1;
    }
    int r = search_read(imap->imap_stream, g, p);
    imapguard_line_max(g, 0);
    if (r == IMAPSEARCH_OK)
        imapsearch_take(p, out);
    else if (r == IMAPSEARCH_NO && textlen)
        snprintf(text, textlen, "%s", imapsearch_text(p));   /* the server said NO or BAD */
    else if (r == IMAPSEARCH_FAIL)
        *why = imapsearch_why(p);   /* NULL: the stream failed (guard, timeout) */
    imapsearch_free(p);
    return r == IMAPSEARCH_OK ? 0 : r == IMAPSEARCH_NO ? 1 : -1;
}
