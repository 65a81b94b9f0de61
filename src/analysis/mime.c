/* MIME walk with GMime 3: turns untrusted message bytes into a msg_view
 * (decoded headers, body text, delivery-status and feedback bodies, the
 * returned original's headers). Never reads more than ANALYSIS_MAX_BYTES. */
#include <config.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <gmime/gmime.h>
#include "rebote/analysis.h"
#include "internal.h"

typedef struct {
    msg_view *m;
    int parts;
    bool have_plain;
    strbuf html;
    strbuf original;   /* a returned original whose body may be the only text */
} walk_ctx;

void msg_view_init(msg_view *m)
{
    memset(m, 0, sizeof *m);
    m->senders = &m->senders_kept;
    m->index = &m->index_kept;
}

void msg_view_free(msg_view *m)
{
    hlist_free(&m->head);
    hlist_free(&m->orig);
    sb_free(&m->text);
    sb_free(&m->dsn);
    sb_free(&m->feedback);
    sb_free(&m->origtext);
    free(m->lower);
}

/* Copies n bytes from src to dst with CRLF and lone CR turned into LF;
 * the length written. dst may be src (it never gets ahead of it). Copies
 * whole runs between CRs: IMAP gives every line a CR. */
static size_t mime_lf_copy(char *dst, const char *src, size_t n)
{
    size_t o = 0;
    const char *p = src, *end = src + n;
    while (p < end) {
        const char *cr = memchr(p, '\r', (size_t)(end - p));
        size_t run = (size_t)((cr ? cr : end) - p);
        memmove(dst + o, p, run);
        o += run;
        if (!cr)
            break;
        dst[o++] = '\n';
        p = cr + 1;
        if (p < end && *p == '\n')
            p++;
    }
    return o;
}

/* The input, capped, with LF line ends. */
static char *mime_normalise(const char *buf, size_t len, size_t *outlen)
{
    if (len > ANALYSIS_MAX_BYTES)
        len = ANALYSIS_MAX_BYTES;
    char *out = malloc(len + 1);
    if (out)
        *outlen = mime_lf_copy(out, buf, len);
    return out;
}

/* Bytes hold 8-bit data that is valid UTF-8 (then a declared charset lies). */
static bool mime_is_utf8_8bit(const guint8 *s, size_t n)
{
    bool high = false;
    for (size_t i = 0; i < n; i++)
        if (s[i] >= 0x80) {
            high = true;
            break;
        }
    return high && g_utf8_validate((const char *)s, (gssize)n, NULL);
}

/* glibc loads a charset's gconv module at iconv_open and unloads it once
 * no descriptor uses it: every conversion (GMime opens and closes one per
 * part) paid a dlopen, under the loader's lock that all threads share. One
 * descriptor kept open per charset until exit (at most MIME_PINNED of
 * them) keeps the modules loaded. */
#define MIME_PINNED 32
static pthread_mutex_t mime_pinned_mu = PTHREAD_MUTEX_INITIALIZER;
static char mime_pinned_names[MIME_PINNED][40];
static iconv_t mime_pinned[MIME_PINNED];
static size_t mime_npinned;

static void mime_charset_unpin(void)
{
    pthread_mutex_lock(&mime_pinned_mu);
    for (size_t i = 0; i < mime_npinned; i++)
        g_mime_iconv_close(mime_pinned[i]);
    mime_npinned = 0;
    pthread_mutex_unlock(&mime_pinned_mu);
}

static void mime_charset_pin(const char *charset)
{
    static bool registered;
    if (strlen(charset) >= sizeof mime_pinned_names[0])
        return;
    pthread_mutex_lock(&mime_pinned_mu);
    size_t i = 0;
    while (i < mime_npinned && g_ascii_strcasecmp(mime_pinned_names[i], charset) != 0)
        i++;
    if (i == mime_npinned && mime_npinned < MIME_PINNED) {
        iconv_t cd = g_mime_iconv_open("UTF-8", charset);   /* closed at exit */
        if (cd != (iconv_t)-1) {
            if (!registered)
                registered = atexit(mime_charset_unpin) == 0;
            mime_pinned[mime_npinned] = cd;
            strcpy(mime_pinned_names[mime_npinned++], charset);
        }
    }
    pthread_mutex_unlock(&mime_pinned_mu);
}

/* Converts bytes from charset to UTF-8 with GMime's iconv filter. */
static GByteArray *mime_convert(const guint8 *s, size_t n, const char *charset)
{
    if (n == 0)
        return NULL;
    mime_charset_pin(charset);
    GMimeFilter *conv = g_mime_filter_charset_new(charset, "UTF-8");
    if (!conv)
        return NULL;
    GMimeStream *out = g_mime_stream_mem_new();
    GMimeStream *filtered = g_mime_stream_filter_new(out);
    g_mime_stream_filter_add(GMIME_STREAM_FILTER(filtered), conv);
    g_object_unref(conv);
    g_mime_stream_write(filtered, (const char *)s, n);
    g_mime_stream_flush(filtered);
    g_object_unref(filtered);
    GByteArray *bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out));
    GByteArray *copy = g_byte_array_sized_new(bytes->len);
    g_byte_array_append(copy, bytes->data, bytes->len);
    g_object_unref(out);
    return copy;
}

/* Appends bytes, with LF line ends, up to cap. */
static void mime_append_lf(strbuf *out, const guint8 *s, size_t n, size_t cap)
{
    if (!s)
        return;
    if (out->n + n > cap)
        n = out->n < cap ? cap - out->n : 0;
    size_t at = out->n;
    sb_add(out, (const char *)s, n);   /* room, then the line ends mended in place */
    if (out->n != at + n)
        return;
    out->n = at + mime_lf_copy(out->s + at, out->s + at, n);
    out->s[out->n] = '\0';
}

/* Bytes of a text part, converted to UTF-8 when charset names another
 * (unless they already are UTF-8: mislabelled parts are common). */
static void mime_text_bytes(const guint8 *data, size_t len, const char *charset, strbuf *out, size_t cap)
{
    GByteArray *converted = NULL;
    if (charset && g_ascii_strcasecmp(charset, "utf-8") != 0 &&
        g_ascii_strcasecmp(charset, "us-ascii") != 0 && !mime_is_utf8_8bit(data, len))
        converted = mime_convert(data, len, charset);
    if (converted) {
        mime_append_lf(out, converted->data, converted->len, cap);
        g_byte_array_free(converted, TRUE);
    } else {
        mime_append_lf(out, data, len, cap);
    }
}

/* Decoded content of a leaf part, as text. */
static void mime_part_text(GMimePart *part, strbuf *out, size_t cap)
{
    GMimeDataWrapper *content = g_mime_part_get_content(part);
    if (!content)
        return;
    GMimeStream *mem = g_mime_stream_mem_new();
    g_mime_data_wrapper_write_to_stream(content, mem);
    GByteArray *bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
    GMimeContentType *ct = g_mime_object_get_content_type(GMIME_OBJECT(part));
    const char *charset = ct ? g_mime_content_type_get_parameter(ct, "charset") : NULL;
    mime_text_bytes(bytes->data, bytes->len, charset, out, cap);
    g_object_unref(mem);
}

/* Crude HTML to text: drops tags, turns block ends into newlines, decodes
 * the entities that matter for addresses. */
static void mime_html_to_text(const char *s, size_t n, strbuf *out)
{
    static const struct { const char *ent; char c; } ents[] = {
        {"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'}, {"&nbsp;", ' '}, {"&quot;", '"'}, {"&#39;", '\''},
    };
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '<') {
            const char *close = memchr(s + i, '>', n - i);
            if (!close)
                break;
            size_t tl = (size_t)(close - (s + i));
            if (text_casestr_n(s + i, tl, "br") == s + i + 1 || text_casestr_n(s + i, tl, "/p") ||
                text_casestr_n(s + i, tl, "/div") || text_casestr_n(s + i, tl, "/tr") ||
                text_casestr_n(s + i, tl, "/h"))
                sb_add(out, "\n", 1);
            else if (text_casestr_n(s + i, tl, "/td"))
                sb_add(out, " ", 1);
            i += tl;
            continue;
        }
        if (s[i] == '&') {
            size_t k;
            for (k = 0; k < sizeof ents / sizeof ents[0]; k++) {
                size_t el = strlen(ents[k].ent);
                if (i + el <= n && strncasecmp(s + i, ents[k].ent, el) == 0) {
                    sb_add(out, &ents[k].c, 1);
                    i += el - 1;
                    break;
                }
            }
            if (k < sizeof ents / sizeof ents[0])
                continue;
        }
        size_t run = 1;   /* this byte and the text up to the next tag or entity, at once */
        while (i + run < n && s[i + run] != '<' && s[i + run] != '&')
            run++;
        sb_add(out, s + i, run);
        i += run - 1;
    }
}

/* A leaf part as mime_leaf sees it: GMime's part, or bytes of the fast walk. */
typedef struct {
    const char *type, *sub, *charset;
    GMimePart *part;           /* GMime's, or NULL: */
    const char *data;          /* the encoded content (multipart.c) */
    size_t len;
    mime_enc enc;
} leafref;

/* Decoded bytes of a fast-walk leaf, with GMime's decoders. */
static void leaf_bytes(const leafref *l, strbuf *out, size_t cap)
{
    if (l->enc == MIME_ENC_IDENTITY) {
        mime_text_bytes((const guint8 *)l->data, l->len, l->charset, out, cap);
        return;
    }
    GMimeEncoding enc;
    g_mime_encoding_init_decode(&enc, l->enc == MIME_ENC_QP ? GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE
                                                            : GMIME_CONTENT_ENCODING_BASE64);
    char *dec = g_malloc(g_mime_encoding_outlen(&enc, l->len) + 16);
    size_t n = g_mime_encoding_step(&enc, l->data, l->len, dec);
    n += g_mime_encoding_flush(&enc, "", 0, dec + n);
    mime_text_bytes((const guint8 *)dec, n, l->charset, out, cap);
    g_free(dec);
}

/* The decoded text of a leaf. */
static void leaf_text(const leafref *l, strbuf *out, size_t cap)
{
    if (l->part)
        mime_part_text(l->part, out, cap);
    else
        leaf_bytes(l, out, cap);
}

/* The text of a leaf that begins with the returned original's header
 * into raw; that header becomes m->orig unless one was found before. */
static void mime_original_read(const leafref *l, msg_view *m, strbuf *raw)
{
    leaf_text(l, raw, TEXT_MAX_BYTES);
    if (m->orig.n == 0)
        hlist_parse(&m->orig, raw->s ? raw->s : "", raw->n);
}

/* text/rfc822-headers and message/global-headers: the returned original's header. */
static void mime_original_headers(const leafref *l, msg_view *m)
{
    strbuf tmp;
    sb_init(&tmp);
    mime_original_read(l, m, &tmp);
    sb_free(&tmp);
}

/* The content types of a returned original message. analysis_setup makes
 * GMime read them as leaf parts: a whole message of GObjects (half of the
 * parse time of a bounce) for a header block and a body seldom read. */
static const char *const original_types[] = {"rfc822", "rfc2822", "news", "global", NULL};

void mime_setup(void)
{
    for (const char *const *t = original_types; *t; t++)
        g_mime_object_register_type("message", *t, g_mime_part_get_type());
}

static bool mime_is_original(const char *sub)
{
    for (const char *const *t = original_types; *t; t++)
        if (!g_ascii_strcasecmp(sub, *t))
            return true;
    return false;
}

/* message/rfc822: its header block is the original's header; the whole is
 * kept when its body may be the only text (a report forwarded inside it). */
static void mime_original(const leafref *l, walk_ctx *w)
{
    msg_view *m = w->m;
    strbuf raw;
    sb_init(&raw);
    mime_original_read(l, m, &raw);
    if (m->orig.n && m->dsn.n == 0 && w->original.n == 0) {
        strbuf t = w->original;
        w->original = raw;
        raw = t;
    }
    sb_free(&raw);
}

static void mime_leaf(const leafref *l, walk_ctx *w)
{
    const char *type = l->type, *sub = l->sub;
    msg_view *m = w->m;
    if (!type || !sub)
        return;
    if (g_ascii_strcasecmp(type, "message") == 0) {
        if (!g_ascii_strcasecmp(sub, "delivery-status") ||
            !g_ascii_strcasecmp(sub, "global-delivery-status")) {
            leaf_text(l, &m->dsn, TEXT_MAX_BYTES);
            sb_add(&m->dsn, "\n\n", 2);
        } else if (!g_ascii_strcasecmp(sub, "feedback-report")) {
            leaf_text(l, &m->feedback, TEXT_MAX_BYTES);
        } else if (!g_ascii_strcasecmp(sub, "global-headers") ||
                   !g_ascii_strcasecmp(sub, "rfc822-headers")) {
            mime_original_headers(l, m);
        } else if (mime_is_original(sub)) {
            mime_original(l, w);
        }
        return;
    }
    if (g_ascii_strcasecmp(type, "text") != 0)
        return;
    if (!g_ascii_strcasecmp(sub, "rfc822-headers")) {
        mime_original_headers(l, m);
    } else if (!g_ascii_strcasecmp(sub, "html")) {
        if (!w->have_plain)
            leaf_text(l, &w->html, TEXT_MAX_BYTES);
    } else if (!g_ascii_strcasecmp(sub, "delivery-status")) {
        leaf_text(l, &m->dsn, TEXT_MAX_BYTES);
    } else {
        w->have_plain = true;
        if (m->text.n)
            sb_add(&m->text, "\n", 1);
        leaf_text(l, &m->text, TEXT_MAX_BYTES);
    }
}

static void mime_walk(GMimeObject *obj, walk_ctx *w, int depth)
{
    if (!obj || depth > MIME_MAX_DEPTH || w->parts > MIME_MAX_PARTS)
        return;
    w->parts++;
    if (GMIME_IS_MULTIPART(obj)) {
        GMimeMultipart *mp = GMIME_MULTIPART(obj);
        int count = g_mime_multipart_get_count(mp);
        const char *prologue = g_mime_multipart_get_prologue(mp);
        if (count == 0 && prologue)   /* no boundary found: the text is all there is */
            sb_adds(&w->m->text, prologue);
        for (int i = 0; i < count && w->parts <= MIME_MAX_PARTS; i++)
            mime_walk(g_mime_multipart_get_part(mp, i), w, depth + 1);
    } else if (GMIME_IS_PART(obj)) {
        GMimePart *part = GMIME_PART(obj);
        GMimeContentType *ct = g_mime_object_get_content_type(obj);
        leafref l = {.part = part,
                     .type = ct ? g_mime_content_type_get_media_type(ct) : "text",
                     .sub = ct ? g_mime_content_type_get_media_subtype(ct) : "plain"};
        mime_leaf(&l, w);
    }
}

static void mime_silent_warning(gint64 offset, GMimeParserWarning errcode,
                                const gchar *item, gpointer user_data)
{
    (void)offset; (void)errcode; (void)item; (void)user_data;
}

/* multipart/report, and its report-type, from the top-level content type. */
static void mime_report_type(msg_view *m, const char *type, const char *sub, const char *report_type)
{
    if (!type || !sub || g_ascii_strcasecmp(type, "multipart") != 0 || g_ascii_strcasecmp(sub, "report") != 0)
        return;
    m->is_report = true;
    if (report_type)
        g_strlcpy(m->report_type, report_type, sizeof m->report_type);
}

/* ---- the top-level header block ----
 * Read here rather than by GMime, which makes a GObject of every field (a
 * third of the parse time of a bounce) when the analysis needs their text
 * only. GMime still parses the body, given the Content- fields. The rules
 * are GMime 3's, so that a message reads the same: an mbox "From " line
 * first is skipped; a first line that is no field, or such a line that
 * ends the input, makes the message unreadable; a later line that is no
 * field is skipped with its continuation lines; a NUL ends a value; the
 * block ends at the first empty line. tests/test_mime.c holds the cases. */

#define MIME_MAX_FIELDS 500   /* of the top-level header kept */

/* Length of the field name of a line, or -1 if the line is no field. */
static long mime_field_name(const char *line, size_t len)
{
    size_t i = 0;
    while (i < len && (unsigned char)line[i] > ' ' && line[i] != ':' && line[i] != 0x7F)
        i++;
    size_t n = i;
    while (i < len && (line[i] == ' ' || line[i] == '\t'))
        i++;
    return i < len && line[i] == ':' ? (long)n : -1;
}

/* A field's value as GMime gives it (unfolded, RFC 2047 words and 8-bit
 * text decoded), added to the list. */
/* Does a value hold neither 8-bit bytes nor "=?" (what GMime decodes)?
 * Eight bytes at a time: the bytes of a word are looked at one by one only
 * when it has an '='. */
static bool mime_value_plain(const char *raw, size_t n)
{
    const uint64_t ones = 0x0101010101010101u, high = ones * 0x80;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t x, eq;
        memcpy(&x, raw + i, 8);
        if (x & high)
            return false;
        eq = x ^ (ones * '=');
        if (!((eq - ones) & ~eq & high))
            continue;   /* no '=' in these eight */
        for (size_t k = i; k < i + 8; k++)
            if (raw[k] == '=' && k + 1 < n && raw[k + 1] == '?')
                return false;
    }
    for (; i < n; i++)
        if ((unsigned char)raw[i] >= 0x80 || (raw[i] == '=' && i + 1 < n && raw[i + 1] == '?'))
            return false;
    return true;
}

static void mime_head_add(hlist *h, const char *name, size_t nlen, const char *raw, size_t rawlen)
{
    const char *nul = memchr(raw, '\0', rawlen);
    if (nul)
        rawlen = (size_t)(nul - raw);   /* GMime's values end there */
    if (mime_value_plain(raw, rawlen)) {   /* hlist_add's sanitising unfolds it as GMime would */
        hlist_add(h, name, nlen, raw, rawlen);
        return;
    }
    char *copy = g_strndup(raw, rawlen);
    char *unfolded = g_mime_utils_header_unfold(copy);
    char *text = g_mime_utils_header_decode_text(NULL, unfolded);
    hlist_add(h, name, nlen, text, strlen(text));
    g_free(text);
    g_free(unfolded);
    g_free(copy);
}

typedef struct {
    const char *line;   /* the field's first line */
    size_t nlen;        /* its name's length */
    const char *value;  /* after the colon ... */
    const char *end;    /* ... to the end of its last continuation line */
} mime_field;

/* What the header block tells about the body: its Content- fields as they
 * were written (for GMime), and where the Content-Type and the transfer
 * encoding are, with how many of each there were. */
typedef struct {
    strbuf content;
    const char *type, *encoding;   /* values, raw (folded) */
    size_t typelen, encodinglen;
    int types, encodings;
} mime_body_fields;

static void mime_field_done(const mime_field *f, hlist *head, mime_body_fields *b)
{
    if (!f->line)
        return;
    size_t vlen = (size_t)(f->end - f->value);
    if (f->nlen >= 8 && !g_ascii_strncasecmp(f->line, "Content-", 8)) {   /* the body's, as in GMime */
        sb_add(&b->content, f->line, (size_t)(f->end - f->line));
        sb_add(&b->content, "\n", 1);
        if (f->nlen == 12 && !g_ascii_strncasecmp(f->line, "Content-Type", 12))
            b->type = f->value, b->typelen = vlen, b->types++;
        else if (f->nlen == 25 && !g_ascii_strncasecmp(f->line, "Content-Transfer-Encoding", 25))
            b->encoding = f->value, b->encodinglen = vlen, b->encodings++;
    } else if (head->n < MIME_MAX_FIELDS) {
        mime_head_add(head, f->line, f->nlen, f->value, vlen);
    }
}

/* Reads the header block of s into head and what it says of the body into
 * b; *body: where the body starts. False when GMime would not read s as a
 * message. */
static bool mime_read_head(const char *s, size_t n, hlist *head, mime_body_fields *b, size_t *body)
{
    const char *p = s, *end = s + n, *line;
    size_t len;
    bool first = true;
    mime_field f = {0};
    if (n >= 5 && !memcmp(s, "From ", 5))
        text_next_line(&p, end, &line, &len);   /* an mbox From_ line */
    *body = n;
    while (text_next_line(&p, end, &line, &len)) {
        if (len == 0) {
            *body = (size_t)(p - s);
            break;
        }
        if (line[0] == ' ' || line[0] == '\t') {
            if (first)
                return false;
            if (f.line)
                f.end = line + len;
            continue;
        }
        mime_field_done(&f, head, b);
        memset(&f, 0, sizeof f);
        long nlen = mime_field_name(line, len);
        if (nlen < 0 || (first && nlen == 0)) {
            if (first || line + len == end)   /* GMime gives up on a broken last line too */
                return false;
            continue;
        }
        first = false;
        f = (mime_field){line, (size_t)nlen, memchr(line, ':', len) + 1, line + len};
    }
    mime_field_done(&f, head, b);
    return true;
}

/* Parses bytes (taken: freed with the result) as one MIME entity: a part
 * (GMime's message object, with its address lists, is not needed). */
static GMimeObject *mime_construct(char *bytes, size_t n)
{
    GByteArray *array = g_byte_array_new_take((guint8 *)bytes, n);
    GMimeStream *stream = g_mime_stream_mem_new_with_byte_array(array);   /* owns the bytes */
    GMimeParser *parser = g_mime_parser_new_with_stream(stream);
    GMimeParserOptions *opts = g_mime_parser_options_new();
    g_mime_parser_options_set_warning_callback(opts, mime_silent_warning, NULL);
    GMimeObject *top = g_mime_parser_construct_part(parser, opts);
    g_mime_parser_options_free(opts);
    g_object_unref(parser);
    g_object_unref(stream);
    return top;
}

/* The body of a returned original when the bounce has no text of its own:
 * a report forwarded inside message/rfc822 (its first part, decoded). */
static void mime_original_text(strbuf *original, msg_view *m)
{
    char *copy = malloc(original->n + 1);
    if (!copy)
        return;
    memcpy(copy, original->s, original->n);
    GMimeObject *body = mime_construct(copy, original->n);
    if (body && GMIME_IS_PART(body))
        mime_part_text(GMIME_PART(body), &m->origtext, 8192);
    if (body)
        g_object_unref(body);
}

bool mime_gmime_only;

/* A message of one text/plain part in an identity transfer encoding has no
 * structure to parse: its body is the text (GMime would give these very
 * bytes). False: anything else, for GMime's parser. */
static bool mime_plain_body(const mime_body_fields *b, const char *body, size_t n, msg_view *m)
{
    mime_enc enc;
    if (b->types > 1 || b->encodings > 1 || !mime_encoding_parse(b->encoding, b->encodinglen, &enc) ||
        enc != MIME_ENC_IDENTITY)
        return false;
    mime_fast f;
    mime_ctype ct;
    f.used = 0;
    if (b->types && !mime_gmime_only && mime_ctype_parse(b->type, b->typelen, &ct, &f)) {   /* the simple form */
        if (g_ascii_strcasecmp(ct.type, "text") != 0 || g_ascii_strcasecmp(ct.sub, "plain") != 0)
            return false;
        mime_text_bytes((const guint8 *)body, n, ct.charset, &m->text, TEXT_MAX_BYTES);
        return true;
    }
    GMimeContentType *type = NULL;
    if (b->types) {
        char *raw = g_strndup(b->type, b->typelen);
        char *unfolded = g_mime_utils_header_unfold(raw);
        type = g_mime_content_type_parse(NULL, unfolded);
        g_free(unfolded);
        g_free(raw);
        if (!type || !g_mime_content_type_is_type(type, "text", "plain")) {
            if (type)
                g_object_unref(type);
            return false;
        }
    }
    const char *charset = type ? g_mime_content_type_get_parameter(type, "charset") : NULL;
    mime_text_bytes((const guint8 *)body, n, charset, &m->text, TEXT_MAX_BYTES);
    if (type)
        g_object_unref(type);
    return true;
}

/* What every walk ends with: HTML read as text when there was no plain
 * text, and the text of a report forwarded inside the original. */
static void mime_walk_done(walk_ctx *w)
{
    msg_view *m = w->m;
    if (!w->have_plain && w->html.n)
        mime_html_to_text(w->html.s, w->html.n, &m->text);
    if (!m->text.n && w->original.n)
        mime_original_text(&w->original, m);
    sb_free(&w->html);
    sb_free(&w->original);
}

/* A multipart body read by multipart.c, when it can; false: GMime's. */
static bool mime_fast_body(const mime_body_fields *b, const char *body, size_t n, msg_view *m)
{
    if (mime_gmime_only || b->types != 1)
        return false;
    mime_fast f;
    mime_ctype ct;
    f.used = 0;
    if (!mime_ctype_parse(b->type, b->typelen, &ct, &f) || g_ascii_strcasecmp(ct.type, "multipart") != 0 ||
        !mime_multipart_walk(body, n, &ct, &f))
        return false;
    mime_report_type(m, ct.type, ct.sub, ct.report_type);
    walk_ctx w = {.m = m};
    for (int i = 0; i < f.n; i++) {
        const mime_event *ev = &f.ev[i];
        if (!ev->type) {
            if (ev->data)
                sb_add(&m->text, ev->data, ev->len);
            continue;
        }
        leafref l = {.type = ev->type, .sub = ev->sub, .charset = ev->charset,
                     .data = ev->data, .len = ev->len, .enc = ev->enc};
        mime_leaf(&l, &w);
    }
    mime_walk_done(&w);
    return true;
}

bool mime_parse(const char *buf, size_t len, msg_view *m)
{
    size_t n, body;
    char *copy = mime_normalise(buf, len, &n);
    if (!copy)
        return false;
    mime_body_fields b = {0};
    sb_init(&b.content);
    bool ok = mime_read_head(copy, n, &m->head, &b, &body);
    bool fields_plain = !b.content.n || !memchr(b.content.s, '\0', b.content.n);   /* else GMime's way */
    if (ok && fields_plain &&
        (mime_plain_body(&b, copy + body, n - body, m) || mime_fast_body(&b, copy + body, n - body, m))) {
        free(copy);
        sb_free(&b.content);
        return true;
    }
    /* GMime reads the body behind the Content- fields alone, written in
     * place of the header block. They are part of it, so they fit, except
     * for the newlines added when the block ends the input unterminated. */
    size_t inlen = b.content.n + 1 + (n - body);
    if (ok && inlen > n) {
        char *grown = realloc(copy, inlen);
        ok = grown != NULL;
        if (grown)
            copy = grown;
    }
    if (ok) {
        memmove(copy + b.content.n + 1, copy + body, n - body);   /* first: it may move up */
        memcpy(copy, b.content.s ? b.content.s : "", b.content.n);
        copy[b.content.n] = '\n';
    }
    sb_free(&b.content);
    GMimeObject *top = ok ? mime_construct(copy, inlen) : NULL;   /* takes copy */
    if (!ok)
        free(copy);
    if (!top) {
        hlist_free(&m->head);
        return false;
    }
    walk_ctx w = {.m = m};
    GMimeContentType *ct = g_mime_object_get_content_type(top);
    if (ct)
        mime_report_type(m, g_mime_content_type_get_media_type(ct), g_mime_content_type_get_media_subtype(ct),
                         g_mime_content_type_get_parameter(ct, "report-type"));
    mime_walk(top, &w, 0);
    mime_walk_done(&w);
    g_object_unref(top);
    return true;
}
