/* See rebote/sanitize.h: the one sanitiser, for fields and for display. */
#include <config.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include "rebote/sanitize.h"
#include "sanitize_impl.h"

/* Bidi and invisible characters: one table, removed from fields, shown as
 * <U+XXXX> in display mode, never drawn by the screen. */
static const struct {
    uint32_t lo, hi;
} sanitize_hidden[] = {
    {0x061C, 0x061C},   /* ARABIC LETTER MARK */
    {0x180E, 0x180E},   /* MONGOLIAN VOWEL SEPARATOR */
    {0x200B, 0x200F},   /* zero-width space, (non-)joiner, LRM, RLM */
    {0x202A, 0x202E},   /* LRE, RLE, PDF, LRO, RLO */
    {0x2060, 0x2064},   /* word joiner, invisible operators */
    {0x2066, 0x206F},   /* LRI, RLI, FSI, PDI and deprecated format characters */
    {0xFEFF, 0xFEFF},   /* zero-width no-break space (BOM) */
};

bool sanitize_cp_hidden(uint32_t cp)
{
    if (cp < 0x061C || cp > 0xFEFF)
        return false;
    for (size_t i = 0; i < sizeof sanitize_hidden / sizeof sanitize_hidden[0]; i++)
        if (cp >= sanitize_hidden[i].lo && cp <= sanitize_hidden[i].hi)
            return true;
    return false;
}

bool sanitize_cp_control(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

int sanitize_cp_width(uint32_t cp)
{
    if (sanitize_cp_control(cp) || sanitize_cp_hidden(cp))
        return 0;
    int w = wcwidth((wchar_t)cp);
    return w < 0 ? -1 : w;
}

size_t sanitize_utf8_next(const char *str, size_t n, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t len;
    uint32_t min;
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if ((s[0] & 0xE0) == 0xC0) { len = 2; min = 0x80; }
    else if ((s[0] & 0xF0) == 0xE0) { len = 3; min = 0x800; }
    else if ((s[0] & 0xF8) == 0xF0) { len = 4; min = 0x10000; }
    else return 0;
    if (len > n)
        return 0;
    uint32_t c = s[0] & (0x7F >> len);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

/* ---- field mode ---- */

size_t sanitize_cap(size_t n, size_t max)
{
    return n < max / 3 ? n * 3 : max;   /* an input byte becomes at most 3 output bytes (U+FFFD) */
}

/* The bytes at u (n left) in field mode: how many were read; *o advanced
 * past what was written (at most max), *space updated. 0: out is full. */
static size_t sanitize_field_char(char *out, size_t *o, size_t max, const unsigned char *u, size_t n, bool *space)
{
    unsigned char c = u[0];
    if (c < 0x20 || c == 0x7F || c == ' ') {
        if (!*space && (c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
            out[(*o)++] = ' ';
            *space = true;
        }
        return 1;
    }
    uint32_t cp;
    size_t len = sanitize_utf8_next((const char *)u, n, &cp);
    if (len && sanitize_cp_hidden(cp))
        return len;   /* removed; the space before, if any, still counts */
    if (len == 0 || (cp >= 0x80 && cp <= 0x9F)) {   /* U+FFFD for each invalid byte and C1 control */
        if (*o + 3 > max)
            return 0;
        memcpy(out + *o, "\xEF\xBF\xBD", 3);
        *o += 3;
        *space = false;
        return 1;
    }
    if (*o + len > max)
        return 0;
    memcpy(out + *o, u, len);
    *o += len;
    *space = false;
    return len;
}

size_t sanitize_into(char *out, const char *s, size_t n, size_t max)
{
    max = sanitize_cap(n, max);
    size_t o = 0;
    bool space = true;   /* drops leading spaces */
    const unsigned char *u = (const unsigned char *)s;
    size_t slow_until = 0;   /* after a window that is not plain, bytes one at a time */
    for (size_t i = 0; i < n && o < max;) {
        if (i >= slow_until && i + 8 <= n && o + 8 <= max) {
            uint64_t x;
            memcpy(&x, u + i, 8);
            if (sanitize_plain8(x, space)) {
                memcpy(out + o, &x, 8);
                o += 8;
                i += 8;
                space = u[i - 1] == ' ';
                continue;
            }
            slow_until = i + 8;
        }
        unsigned char c = u[i];
        if (c > ' ' && c < 0x7F) {   /* printable ASCII: the common case */
            out[o++] = (char)c;
            i++;
            space = false;
            continue;
        }
        size_t k = sanitize_field_char(out, &o, max, u + i, n - i, &space);
        if (k == 0)
            break;
        i += k;
    }
    while (o > 0 && out[o - 1] == ' ')
        o--;
    out[o] = '\0';
    return o;
}

char *sanitize_dup(const char *s, size_t n, size_t max)
{
    char *out = malloc(sanitize_cap(n, max) + 4);
    if (!out)
        return NULL;
    size_t o = sanitize_into(out, s, n, max);
    char *fit = realloc(out, o + 1);   /* records live long: keep only what is used */
    return fit ? fit : out;
}

/* ---- display mode ---- */

/* The longest a byte of input can become: "<U+001B>", a C1 "<U+009B>" from 2 bytes. */
#define SHOW_MAX_PER_BYTE 8

size_t sanitize_show(char *out, size_t size, const char *s, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        char esc[16];
        const char *put = s + i;
        size_t len = sanitize_utf8_next(s + i, n - i, &cp), plen = len;
        if (len == 0) {
            put = "\xEF\xBF\xBD";
            len = 1;
            plen = 3;
        } else if (sanitize_cp_control(cp) || sanitize_cp_hidden(cp)) {
            plen = (size_t)snprintf(esc, sizeof esc, "<U+%04X>", (unsigned)cp);
            put = esc;
        }
        if (o + plen >= size)
            break;
        memcpy(out + o, put, plen);
        o += plen;
        i += len;
    }
    out[o] = '\0';
    return o;
}

char *sanitize_show_dup(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n > (SIZE_MAX - 1) / SHOW_MAX_PER_BYTE)
        return NULL;
    char *out = malloc(n * SHOW_MAX_PER_BYTE + 1);
    if (!out)
        return NULL;
    size_t o = sanitize_show(out, n * SHOW_MAX_PER_BYTE + 1, s ? s : "", n);
    char *fit = realloc(out, o + 1);
    return fit ? fit : out;
}
