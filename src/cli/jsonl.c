/* JSON Lines without jansson: see jsonl.h. The escapes are jansson's
 * (dump.c): \" \\ \b \f \n \r \t, other bytes below 0x20 as \u00XX in
 * upper case; '/' and non-ASCII as they are. */
#include <config.h>
#include <stdint.h>
#include <string.h>
#include "jsonl.h"

/* The length of the UTF-8 sequence at s, 0 when it is not one jansson
 * accepts (utf8_check_first, utf8_check_full). */
static size_t jsonl_utf8_seq(const unsigned char *s)
{
    unsigned u = s[0];
    size_t n = u < 0x80 ? 1 : u >= 0xC2 && u <= 0xDF ? 2 : u >= 0xE0 && u <= 0xEF ? 3 : u >= 0xF0 && u <= 0xF4 ? 4 : 0;
    if (n <= 1)
        return n;
    uint32_t v = u & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07);
    for (size_t i = 1; i < n; i++) {
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
        v = v << 6 | (s[i] & 0x3F);
    }
    if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF) || (n == 3 && v < 0x800) || (n == 4 && v < 0x10000))
        return 0;
    return n;
}

/* Eight bytes at a time: bit 0x80 of each byte of x that is 0x80 or
 * above; of each that is below 0x20, '"' or '\\' (or 0x80 and above) for
 * jsonl_special8. Nonzero when any. */
static const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;

static uint64_t jsonl_has_byte(uint64_t x, unsigned char c)
{
    uint64_t y = x ^ (ones * c);
    return (y - ones) & ~y & high;
}

static uint64_t jsonl_special8(uint64_t x)
{
    return ((x - ones * 0x20) & ~x & high) | jsonl_has_byte(x, '"') | jsonl_has_byte(x, '\\') | (x & high);
}

/* jsonl_utf8_valid on the n bytes at s (no NUL among them). */
static bool jsonl_utf8_valid_n(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    while (p < end) {
        uint64_t x;
        if (end - p >= 8 && (memcpy(&x, p, 8), !(x & high))) {
            p += 8;   /* eight ASCII bytes */
            continue;
        }
        if (*p < 0x80) {
            p++;
            continue;
        }
        size_t k = jsonl_utf8_seq(p);   /* stops at the NUL after the end: never past it */
        if (!k)
            return false;
        p += k;
    }
    return true;
}

bool jsonl_utf8_valid(const char *s)
{
    return jsonl_utf8_valid_n(s, strlen(s));
}

/* The string in quotes with jansson's escapes; runs that need none go out
 * in one write. */
static void jsonl_quoted(FILE *out, const char *s, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    putc_unlocked('"', out);
    const char *run = s, *end = s + len;
    for (;; s++) {
        uint64_t x;
        while (end - s >= 8 && (memcpy(&x, s, 8), !jsonl_special8(x)))
            s += 8;   /* eight bytes that go out as they are */
        unsigned char c = s < end ? (unsigned char)*s : 0;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        if (s > run)
            fwrite_unlocked(run, 1, (size_t)(s - run), out);
        if (s == end)
            break;
        char esc[6] = {'\\', 0};
        size_t n = 2;
        switch (c) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        default:
            memcpy(esc + 1, "u00", 3);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            n = 6;
        }
        fwrite_unlocked(esc, 1, n, out);
        run = s + 1;
    }
    putc_unlocked('"', out);
}

/* A comma when a member came before, and "key": */
static void jsonl_key(jsonl *j, const char *key)
{
    if (j->any)
        putc_unlocked(',', j->out);
    j->any = true;
    jsonl_quoted(j->out, key, strlen(key));
    putc_unlocked(':', j->out);
}

void jsonl_begin(jsonl *j, FILE *out)
{
    j->out = out;
    j->any = false;
    putc_unlocked('{', out);
}

void jsonl_string(jsonl *j, const char *key, const char *value)
{
    size_t n = value ? strlen(value) : 0;
    if (!value || !jsonl_utf8_valid_n(value, n))
        return;
    jsonl_key(j, key);
    jsonl_quoted(j->out, value, n);
}

void jsonl_integer(jsonl *j, const char *key, long long value)
{
    jsonl_key(j, key);
    fprintf(j->out, "%lld", value);
}

void jsonl_boolean(jsonl *j, const char *key, bool value)
{
    jsonl_key(j, key);
    fputs_unlocked(value ? "true" : "false", j->out);
}

void jsonl_end(jsonl *j)
{
    putc_unlocked('}', j->out);
    putc_unlocked('\n', j->out);
}
