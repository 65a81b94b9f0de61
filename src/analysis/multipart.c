/* The body of a multipart bounce read straight off its bytes, by GMime 3's
 * rules, so that the leaves come out as GMime's parser would give them.
 * GMime builds a tree of GObjects (a part, its header list, a GObject per
 * field, a content type, its parameters, a data wrapper, a stream...) and
 * frees it again: a third of a cold open's analysis. Only the ordinary
 * form is read here: fields without oddities, one Content-Type and one
 * Content-Transfer-Encoding a part, a simple Content-Type, lines short
 * enough for GMime's 4 KiB read window. Anything else returns false, and
 * mime.c hands the message to GMime, as before. The input has LF line ends
 * only (mime_normalise). tests/test_mime.c holds the cases; the fuzzer's
 * differential mode (fuzz/fuzz-analysis.c) compares both readers. */
#include <config.h>
#include <string.h>
#include "internal.h"

#define LINE_MAX_FAST 2048   /* GMime scans longer lines in pieces */
#define BOUNDARY_MAX 200     /* RFC 2046 allows 70 */

/* GMime's parser_scan_content outcomes (BoundaryType). */
enum { B_NONE, B_EOS, B_IMM, B_IMM_END, B_PAR, B_PAR_END };

typedef struct {
    const char *p, *end;               /* the cursor in the body */
    const char *bound[MIME_MAX_DEPTH + 2];
    size_t boundlen[MIME_MAX_DEPTH + 2];
    int nbound;
    int objects;                       /* counted as mime.c's walk counts them */
    bool empty;                        /* the last content scanned had no byte */
    mime_fast *out;
} mp_state;

static bool mp_lwsp(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* ---- Content-Type values ---- */

/* RFC 2045 token characters (GMime's is_ttoken), ASCII only. */
static bool ct_token_char(unsigned char c)
{
    return c > 0x20 && c < 0x7F && !strchr("()<>@,;:\\\"/[]?=", c);
}

static void ct_skip_ws(const char **p, const char *end)
{
    while (*p < end && (**p == ' ' || **p == '\t' || **p == '\n'))
        (*p)++;
}

/* Copies [s, s + n) into the arena as a string; NULL when it is full. */
static const char *ct_keep(mime_fast *f, const char *s, size_t n)
{
    if (f->used + n + 1 > sizeof f->arena)
        return NULL;
    char *d = f->arena + f->used;
    memcpy(d, s, n);
    d[n] = '\0';
    f->used += n + 1;
    return d;
}

/* One parameter value: a quoted string without escapes or folding, or
 * GMime's loose token (to the next ';', trailing blanks dropped) without
 * quotes, comments or folding. */
static bool ct_value(const char **pp, const char *end, const char **v, size_t *vlen)
{
    const char *p = *pp;
    if (p < end && *p == '"') {
        const char *q = ++p;
        while (q < end && *q != '"') {
            if (*q == '\\' || *q == '\n' || (unsigned char)*q < 0x20 || (unsigned char)*q >= 0x7F)
                return false;
            q++;
        }
        if (q >= end)
            return false;
        *v = p, *vlen = (size_t)(q - p);
        *pp = q + 1;
        return *vlen > 0;
    }
    const char *q = p;
    while (q < end && *q != ';') {
        unsigned char c = (unsigned char)*q;
        if (c == '"' || c == '(' || c == '\\' || c == '\n' || (c < 0x20 && c != '\t') || c >= 0x7F)
            return false;
        q++;
    }
    const char *e = q;
    while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
        e--;
    *v = p, *vlen = (size_t)(e - p);
    *pp = q;
    return *vlen > 0;
}

bool mime_ctype_parse(const char *raw, size_t n, mime_ctype *ct, mime_fast *f)
{
    static const char *const wanted[] = {"charset", "boundary", "report-type"};
    const char **slot[] = {&ct->charset, &ct->boundary, &ct->report_type};
    const char *p = raw, *end = raw + n;
    memset(ct, 0, sizeof *ct);
    for (const char *q = raw; (q = memchr(q, '=', (size_t)(end - q))) && q + 1 < end; q++)
        if (q[1] == '?')
            return false;   /* GMime decodes RFC 2047 words in the value */
    ct_skip_ws(&p, end);
    const char *t = p;
    while (p < end && ct_token_char((unsigned char)*p))
        p++;
    if (p == t || p >= end || *p != '/')
        return false;
    const char *s = ++p;
    while (p < end && ct_token_char((unsigned char)*p))
        p++;
    if (p == s || !(ct->type = ct_keep(f, t, (size_t)(s - 1 - t))) ||
        !(ct->sub = ct_keep(f, s, (size_t)(p - s))))
        return false;
    ct_skip_ws(&p, end);
    unsigned seen = 0;
    while (p < end) {
        if (*p != ';')
            return false;
        p++;
        ct_skip_ws(&p, end);
        if (p >= end)
            break;
        const char *name = p;
        while (p < end && ct_token_char((unsigned char)*p) && *p != '*')
            p++;
        size_t nlen = (size_t)(p - name);
        if (nlen == 0 || p >= end || *p != '=')
            return false;   /* RFC 2231 parts, blanks, junk: GMime's */
        p++;
        ct_skip_ws(&p, end);
        const char *v;
        size_t vlen;
        if (!ct_value(&p, end, &v, &vlen))
            return false;
        for (size_t i = 0; i < sizeof wanted / sizeof wanted[0]; i++) {
            if (nlen != strlen(wanted[i]) || strncasecmp(name, wanted[i], nlen) != 0)
                continue;
            if (seen & (1u << i))
                return false;   /* which one wins is GMime's to say */
            seen |= 1u << i;
            if (!(*slot[i] = ct_keep(f, v, vlen)))
                return false;
        }
        ct_skip_ws(&p, end);
    }
    return true;
}

/* ---- boundaries (GMime's check_boundary and is_boundary) ---- */

/* Is line "--" + boundary (+ "--" when final), then only blanks? */
static bool mp_is_boundary(const char *line, size_t len, const char *b, size_t blen, bool final)
{
    size_t need = 2 + blen + (final ? 2 : 0);
    if (len < need || memcmp(line + 2, b, blen) != 0 || (final && memcmp(line + 2 + blen, "--", 2) != 0))
        return false;
    for (size_t i = need; i < len; i++)
        if (!mp_lwsp(line[i]))
            return false;
    return true;
}

static int mp_check_boundary(const mp_state *st, const char *line, size_t len)
{
    if (len < 2 || line[0] != '-' || line[1] != '-')
        return B_NONE;
    for (int i = st->nbound - 1; i >= 0; i--) {
        bool top = i == st->nbound - 1;
        if (mp_is_boundary(line, len, st->bound[i], st->boundlen[i], true))
            return top ? B_IMM_END : B_PAR_END;
        if (mp_is_boundary(line, len, st->bound[i], st->boundlen[i], false))
            return top ? B_IMM : B_PAR;
    }
    return B_NONE;
}

/* GMime's parser_scan_content: the bytes up to the next boundary line, the
 * newline before it left out. -1: a line too long to read as GMime does. */
static int mp_scan_content(mp_state *st, const char **data, size_t *len, int *found)
{
    const char *start = st->p;
    *found = B_EOS;
    while (st->p < st->end) {
        const char *nl = memchr(st->p, '\n', (size_t)(st->end - st->p));
        size_t n = (size_t)((nl ? nl : st->end) - st->p);
        if (n > LINE_MAX_FAST)
            return -1;
        int b = mp_check_boundary(st, st->p, n);
        if (b != B_NONE) {
            *found = b;
            break;
        }
        st->p = nl ? nl + 1 : st->end;
    }
    *data = start;
    *len = (size_t)(st->p - start);
    st->empty = *len == 0;
    if (*found != B_EOS && *len > 0)
        (*len)--;   /* the last newline belongs to the boundary */
    return 0;
}

/* GMime's parser_skip_line: false at the end of the input. */
static bool mp_skip_line(mp_state *st)
{
    const char *nl = memchr(st->p, '\n', (size_t)(st->end - st->p));
    st->p = nl ? nl + 1 : st->end;
    return nl != NULL;
}

/* ---- a part's header block ---- */

typedef struct {
    const char *type, *encoding;   /* raw values, or NULL */
    size_t typelen, encodinglen;
} mp_fields;

/* Reads a header block of ordinary fields ended by an empty line. False
 * for anything GMime reads its own way: a line that is no field, a
 * boundary or the end of the input inside it, a repeated Content-Type or
 * Content-Transfer-Encoding. */
static bool mp_read_fields(mp_state *st, mp_fields *fl)
{
    const char **cur = NULL;
    size_t *curlen = NULL;
    const char *curstart = NULL;
    memset(fl, 0, sizeof *fl);
    for (;;) {
        const char *nl = memchr(st->p, '\n', (size_t)(st->end - st->p));
        if (!nl)
            return false;
        const char *line = st->p;
        size_t n = (size_t)(nl - line);
        st->p = nl + 1;
        if (n == 0)
            return true;
        if (n > LINE_MAX_FAST || mp_check_boundary(st, line, n) != B_NONE)
            return false;
        if (line[0] == ' ' || line[0] == '\t') {
            if (!curstart)
                return false;
            if (cur)
                *curlen = (size_t)(nl - *cur);
            continue;
        }
        size_t i = 0;
        while (i < n && line[i] != ':' && (unsigned char)line[i] > 0x20 && (unsigned char)line[i] < 0x7F)
            i++;
        if (i == 0 || i >= n || line[i] != ':')
            return false;
        curstart = line;
        cur = NULL;
        if (i == 12 && !strncasecmp(line, "Content-Type", 12)) {
            if (fl->type)
                return false;
            cur = &fl->type, curlen = &fl->typelen;
        } else if (i == 25 && !strncasecmp(line, "Content-Transfer-Encoding", 25)) {
            if (fl->encoding)
                return false;
            cur = &fl->encoding, curlen = &fl->encodinglen;
        }
        if (cur) {
            *cur = line + i + 1;
            *curlen = (size_t)(nl - *cur);
        }
    }
}

bool mime_encoding_parse(const char *s, size_t n, mime_enc *enc)
{
    static const struct { const char *name; mime_enc enc; } names[] = {
        {"7bit", MIME_ENC_IDENTITY}, {"8bit", MIME_ENC_IDENTITY}, {"binary", MIME_ENC_IDENTITY},
        {"quoted-printable", MIME_ENC_QP}, {"base64", MIME_ENC_BASE64},
    };
    *enc = MIME_ENC_IDENTITY;
    if (!s)
        return true;
    while (n && mp_lwsp(*s))
        s++, n--;
    while (n && mp_lwsp(s[n - 1]))
        n--;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (n == strlen(names[i].name) && !strncasecmp(s, names[i].name, n)) {
            *enc = names[i].enc;
            return true;
        }
    return false;
}

static mime_event *mp_event(mp_state *st)
{
    mime_fast *f = st->out;
    return f->n < MIME_FAST_EVENTS ? &f->ev[f->n++] : NULL;
}

/* The object count and depth of mime.c's walk: past its limits, GMime's. */
static bool mp_enter(mp_state *st, int depth)
{
    return depth <= MIME_MAX_DEPTH && ++st->objects <= MIME_MAX_PARTS;
}

static bool mp_multipart(mp_state *st, const mime_ctype *ct, int depth, int *found);

/* A part after its boundary line: its header, then a leaf or a multipart. */
static bool mp_part(mp_state *st, const mime_ctype *parent, int depth, int *found)
{
    mp_fields fl;
    mime_ctype ct;
    if (!mp_read_fields(st, &fl))
        return false;
    if (fl.type) {
        if (!mime_ctype_parse(fl.type, fl.typelen, &ct, st->out))
            return false;
    } else {
        memset(&ct, 0, sizeof ct);
        bool digest = !strcasecmp(parent->sub, "digest");
        ct.type = digest ? "message" : "text";
        ct.sub = digest ? "rfc822" : "plain";
    }
    if (!strcasecmp(ct.type, "multipart"))
        return mp_multipart(st, &ct, depth, found);
    mime_event *ev = mp_event(st);
    if (!ev || !mp_enter(st, depth) || !mime_encoding_parse(fl.encoding, fl.encodinglen, &ev->enc))
        return false;
    ev->type = ct.type, ev->sub = ct.sub, ev->charset = ct.charset;
    return mp_scan_content(st, &ev->data, &ev->len, found) == 0;
}

/* GMime's parser_scan_multipart_subparts. */
static bool mp_subparts(mp_state *st, const mime_ctype *ct, int depth, int *found, int *count)
{
    do {
        if (!mp_skip_line(st) || st->p >= st->end) {
            *found = B_EOS;   /* GMime adds no part */
            return true;
        }
        if (!mp_part(st, ct, depth + 1, found))
            return false;
        (*count)++;
    } while (*found == B_IMM);
    return true;
}

/* GMime's found_immediate_boundary: the line at the cursor against the
 * innermost boundary. */
static bool mp_at_boundary(const mp_state *st, bool final)
{
    if (st->nbound == 0)
        return false;
    const char *nl = memchr(st->p, '\n', (size_t)(st->end - st->p));
    size_t n = (size_t)((nl ? nl : st->end) - st->p);
    int i = st->nbound - 1;
    return n >= 2 && !memcmp(st->p, "--", 2) && mp_is_boundary(st->p, n, st->bound[i], st->boundlen[i], final);
}

/* GMime's parser_construct_multipart, after the header block. */
static bool mp_multipart(mp_state *st, const mime_ctype *ct, int depth, int *found)
{
    if (!mp_enter(st, depth))
        return false;
    const char *pro;
    size_t prolen;
    int count = 0, slot = st->out->n;
    mime_event *ev = mp_event(st);   /* its prologue, kept only if it has no parts */
    if (!ev)
        return false;
    memset(ev, 0, sizeof *ev);
    bool noprologue;
    if (!ct->boundary) {   /* GMime reads it all as the prologue */
        if (mp_scan_content(st, &pro, &prolen, found) != 0)
            return false;
        noprologue = st->empty;
    } else {
        size_t blen = strlen(ct->boundary);
        if (blen > BOUNDARY_MAX || st->nbound >= MIME_MAX_DEPTH + 2)
            return false;
        st->bound[st->nbound] = ct->boundary;
        st->boundlen[st->nbound++] = blen;
        if (mp_scan_content(st, &pro, &prolen, found) != 0)
            return false;
        noprologue = st->empty;
        if (*found == B_IMM && !mp_subparts(st, ct, depth, found, &count))
            return false;
        if (*found == B_IMM_END) {
            mp_skip_line(st);
            st->nbound--;
            const char *epi;
            size_t epilen;
            if (mp_scan_content(st, &epi, &epilen, found) != 0)
                return false;
        } else {
            st->nbound--;
            if (*found == B_PAR_END && mp_at_boundary(st, true))
                *found = B_IMM_END;
            else if (*found == B_PAR && mp_at_boundary(st, false))
                *found = B_IMM;
        }
    }
    /* a multipart without parts: its prologue is the text (GMime keeps it
     * as a string, to a NUL) */
    ev = &st->out->ev[slot];
    ev->data = count == 0 && !noprologue ? pro : NULL;
    ev->len = ev->data ? strnlen(pro, prolen) : 0;
    return true;
}

bool mime_multipart_walk(const char *body, size_t n, const mime_ctype *top, mime_fast *f)
{
    mp_state st = {.p = body, .end = body + n, .out = f};
    int found;
    f->n = 0;
    return mp_multipart(&st, top, 0, &found);
}
