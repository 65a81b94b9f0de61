/* libFuzzer harness over Maildir file names (src/source/maildir_name.c):
 * `make fuzz`, then
 *   fuzz/fuzz-maildir -max_len=4096 fuzz/corpus-maildir
 * The input is a list of names, one a line; a line "--" ends those of cur/,
 * the rest are those of new/. Each folder's names are made what readdir
 * gives (no NUL or '/', 1..255 bytes, distinct, sorted, message names only).
 * Aborts when the unique part or its order is inconsistent, or when the
 * merged listing loses a message, lists one twice or mixes the folders. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "maildir_name.h"

#define MAX_NAMES 128

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz-maildir: %s\n", what);
        abort();
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int sign(int x)
{
    return (x > 0) - (x < 0);
}

/* The unique part by itself: no ':' in it, the name goes on with ':' or ends. */
static void check_key(const char *name)
{
    size_t k = maildir_key_len(name);
    check(k <= strlen(name), "key longer than the name");
    check(!memchr(name, ':', k), "':' inside the key");
    check(name[k] == ':' || name[k] == '\0', "key not ended by ':'");
    check(maildir_keycmp(name, name) == 0, "a name differs from itself");
}

/* keycmp is an order on keys: antisymmetric, and 0 exactly for equal keys. */
static void check_pair(const char *a, const char *b)
{
    size_t ka = maildir_key_len(a), kb = maildir_key_len(b);
    int ab = maildir_keycmp(a, b), ba = maildir_keycmp(b, a);
    check(sign(ab) == -sign(ba), "keycmp not antisymmetric");
    check((ab == 0) == (ka == kb && memcmp(a, b, ka) == 0), "keycmp 0 for different keys");
}

/* Splits the input into the names of one folder: readdir's view of it. */
static size_t folder_names(char *text, char **v, char **rest)
{
    size_t n = 0;
    char *line = text, *nl;
    *rest = NULL;
    for (; line; line = nl) {
        nl = strchr(line, '\n');
        if (nl)
            *nl++ = '\0';
        if (!strcmp(line, "--")) {
            *rest = nl;
            break;
        }
        if (strlen(line) > 255 || strchr(line, '/') || !maildir_name_ok(line) || n == MAX_NAMES)
            continue;
        v[n++] = line;
    }
    qsort(v, n, sizeof *v, cmp_str);
    size_t o = 0;
    for (size_t i = 0; i < n; i++)
        if (!o || strcmp(v[o - 1], v[i]) != 0)
            v[o++] = v[i];
    return o;
}

static int in(const char *p, char *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] == p)
            return 1;
    return 0;
}

/* Every key of the input is listed once, from cur/ when it is there. */
static void check_merge(char **cur, size_t nc, char **nw, size_t nn)
{
    const char *out[2 * MAX_NAMES + 1];
    size_t kept_cur, dups, n = maildir_merge(cur, nc, nw, nn, out, &kept_cur, &dups);
    check(n != (size_t)-1, "out of memory");
    check(n <= nc + nn && kept_cur <= n, "listing too long");
    for (size_t i = 0; i < n; i++) {
        check(i < kept_cur ? in(out[i], cur, nc) : in(out[i], nw, nn), "a name of the wrong folder");
        for (size_t j = 0; j < i; j++)
            check(maildir_keycmp(out[i], out[j]) != 0, "one message listed twice");
    }
    char **all[2] = {cur, nw};
    size_t counts[2] = {nc, nn};
    for (int f = 0; f < 2; f++)
        for (size_t i = 0; i < counts[f]; i++) {
            size_t hits = 0, from_cur = 0;
            for (size_t j = 0; j < n; j++)
                if (maildir_keycmp(all[f][i], out[j]) == 0) {
                    hits++;
                    from_cur += j < kept_cur;
                }
            check(hits == 1, "a message lost by the listing");
            int in_cur = 0;
            for (size_t j = 0; j < nc; j++)
                in_cur |= maildir_keycmp(all[f][i], cur[j]) == 0;
            check(from_cur == (size_t)in_cur, "a moved message not taken from cur/");
        }
    check(n + dups >= nc && dups <= nc + nn, "duplicates miscounted");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    for (size_t i = 0; i < size; i++)
        text[i] = data[i] ? (char)data[i] : '\n';   /* readdir names hold no NUL */
    text[size] = '\0';
    static char *cur[MAX_NAMES], *nw[MAX_NAMES];
    char *rest;
    size_t nc = folder_names(text, cur, &rest), nn = rest ? folder_names(rest, nw, &rest) : 0;
    for (size_t i = 0; i < nc; i++)
        check_key(cur[i]);
    for (size_t i = 0; i < nn; i++)
        check_key(nw[i]);
    for (size_t i = 0; i + 1 < nc && i < 64; i++)
        for (size_t j = i + 1; j < nc && j < 64; j++)
            check_pair(cur[i], cur[j]);
    check_merge(cur, nc, nw, nn);
    free(text);
    return 0;
}
