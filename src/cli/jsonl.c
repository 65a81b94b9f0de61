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

bool jsonl_utf8_valid(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        if (*p < 0x80) {
            p++;
            continue;
        }
        size_t n = jsonl_utf8_seq(p);
        if (!n)
            return false;
        p += n;
    }
    return true;
}

/* The string in quotes with jansson's escapes; runs that need none go out
 * in one write. */
static void jsonl_quoted(FILE *out, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    putc_unlocked('"', out);
    const char *run = s;
    for (;; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        if (s > run)
            fwrite_unlocked(run, 1, (size_t)(s - run), out);
        if (!c)
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
    jsonl_quoted(j->out, key);
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
    if (!value || !jsonl_utf8_valid(value))
        return;
    jsonl_key(j, key);
    jsonl_quoted(j->out, value);
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
