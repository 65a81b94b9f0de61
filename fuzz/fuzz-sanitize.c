/* libFuzzer harness over the one sanitiser (src/sanitize.c) and the CSV
 * formula test (src/export/csv.c): `make fuzz`, then
 *   fuzz/fuzz-sanitize -max_len=4096 fuzz/corpus-sanitize
 * The first byte picks a cap; the rest is the text. Aborts when
 *   - a field (sanitize_into) is not valid UTF-8, holds a control, a C1, a
 *     bidi or invisible character, a leading, trailing or double space,
 *     passes its cap, differs from the byte-at-a-time definition (the fast
 *     ASCII path), or changes when sanitised again;
 *   - a display string (sanitize_show) is not valid UTF-8, holds a control,
 *     a bidi or invisible character, passes its buffer, is not a prefix of
 *     the whole one, or differs from sanitize_show_dup;
 *   - csv_cell's formula test disagrees with the field of the same text. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rebote/sanitize.h"

bool csv_is_formula(const char *s);

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz-sanitize: %s\n", what);
        abort();
    }
}

/* Valid UTF-8, no control, no hidden character. */
static void check_clean(const char *s, size_t n, const char *what)
{
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = sanitize_utf8_next(s + i, n - i, &cp);
        check(k > 0, what);
        check(!sanitize_cp_control(cp) && !sanitize_cp_hidden(cp), what);
        i += k;
    }
}

/* Field mode by its definition, one character at a time, no cap. */
static size_t field_reference(char *out, const unsigned char *u, size_t n)
{
    size_t o = 0;
    bool space = true;
    for (size_t i = 0; i < n;) {
        unsigned char c = u[i];
        if (c < 0x20 || c == 0x7F || c == ' ') {
            if (!space && (c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
                out[o++] = ' ';
                space = true;
            }
            i++;
            continue;
        }
        uint32_t cp;
        size_t k = sanitize_utf8_next((const char *)u + i, n - i, &cp);
        if (k && sanitize_cp_hidden(cp)) {
            i += k;
            continue;
        }
        if (k == 0 || (cp >= 0x80 && cp <= 0x9F)) {
            memcpy(out + o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
        } else {
            memcpy(out + o, u + i, k);
            o += k;
            i += k;
        }
        space = false;
    }
    while (o > 0 && out[o - 1] == ' ')
        o--;
    out[o] = '\0';
    return o;
}

static void fuzz_field(const char *s, size_t n, size_t max)
{
    size_t cap = sanitize_cap(n, max);
    char *out = malloc(cap + 1), *whole = malloc(3 * n + 4), *ref = malloc(3 * n + 4);
    size_t o = sanitize_into(out, s, n, max);
    check(o <= cap && out[o] == '\0' && strlen(out) == o, "field: length");
    check_clean(out, o, "field: not clean");
    check(!o || (out[0] != ' ' && out[o - 1] != ' '), "field: leading or trailing space");
    check(!strstr(out, "  "), "field: two spaces");
    size_t w = sanitize_into(whole, s, n, 3 * n + 3);   /* no cap reached */
    size_t r = field_reference(ref, (const unsigned char *)s, n);
    check(w == r && !memcmp(whole, ref, w), "field: the fast path differs from the definition");
    check(o <= w && !memcmp(out, whole, o), "field: the capped field is not a prefix of the whole");
    char *again = sanitize_dup(whole, w, 3 * w + 3);
    check(again && !strcmp(again, whole), "field: not idempotent");
    check(csv_is_formula(whole) == csv_is_formula(again), "csv: formula test unstable");
    free(again);
    free(out);
    free(whole);
    free(ref);
}

static void fuzz_show(const char *s, size_t n, size_t size)
{
    char *whole = malloc(8 * n + 1), *out = malloc(size);
    size_t w = sanitize_show(whole, 8 * n + 1, s, n);
    check_clean(whole, w, "show: not clean");
    char *nul = memchr(s, '\0', n);
    char *dup = sanitize_show_dup(s);   /* up to the first NUL */
    if (!nul)
        check(dup && !strcmp(dup, whole), "show: dup differs");
    free(dup);
    size_t o = sanitize_show(out, size, s, n);
    check(o < size && out[o] == '\0', "show: passes its buffer");
    check(o <= w && !memcmp(out, whole, o), "show: the cut string is not a prefix of the whole");
    check(o == w || o + 10 >= size, "show: stopped early");
    free(whole);
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t max = (size_t)data[0] * 4 + 1;
    size_t n = size - 1;
    char *s = malloc(n + 1);   /* terminated: sanitize_show_dup reads a string */
    memcpy(s, data + 1, n);
    s[n] = '\0';
    fuzz_field(s, n, max);
    fuzz_show(s, n, (size_t)data[0] + 1);
    for (size_t i = 0; i < n;) {   /* every code point: width and class agree */
        uint32_t cp;
        size_t k = sanitize_utf8_next(s + i, n - i, &cp);
        if (!k) {
            i++;
            continue;
        }
        check(k <= 4 && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF), "utf8: bad code point");
        int wd = sanitize_cp_width(cp);
        check(wd >= -1 && wd <= 2, "width out of range");
        check(!(sanitize_cp_hidden(cp) || sanitize_cp_control(cp)) || wd == 0, "hidden with a width");
        i += k;
    }
    free(s);
    return 0;
}
