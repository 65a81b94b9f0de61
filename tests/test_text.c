/* The analysis's string helpers (src/analysis/text.c) against the plain
 * forms they replaced for speed: the same answers for every byte and on
 * random strings biased to the bytes that matter (addresses: '@', '.',
 * '<', quotes, bytes above 0x7F). */
#include <config.h>
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "internal.h"

/* The predicates before the bit tables. */
static bool ref_addr_char(int c)
{
    return isalnum(c) || (c != 0 && strchr("!#$%&'*+-/=?^_`{|}~.", c)) || c >= 0x80;
}

static bool ref_domain_char(int c)
{
    return isalnum(c) || c == '-' || c == '.' || c == '_';
}

/* text_find_address before memchr: each byte looked at in turn. */
static const char *ref_find_address(const char *s, size_t n, size_t *alen)
{
    for (size_t i = 1; i + 1 < n; i++) {
        if (s[i] != '@')
            continue;
        size_t a = i, b = i + 1;
        while (a > 0 && ref_addr_char((unsigned char)s[a - 1]))
            a--;
        while (b < n && ref_domain_char((unsigned char)s[b]))
            b++;
        while (b > i + 1 && (s[b - 1] == '.' || s[b - 1] == '-'))
            b--;
        while (a < i && s[a] == '.')
            a++;
        if (a == i && i >= 2 && s[i - 1] == '"') {
            size_t q = i - 1;
            while (q > 0 && i - q < 64 && s[q - 1] != '"' && s[q - 1] != '\n' && s[q - 1] != '@')
                q--;
            if (q > 0 && s[q - 1] == '"')
                a = q - 1;
        }
        if (a == i || b == i + 1 || !memchr(s + i + 1, '.', b - i - 1)) {
            if (a == i || b == i + 1 || !(a > 0 && s[a - 1] == '<'))
                continue;
        }
        *alen = b - a;
        return s + a;
    }
    return NULL;
}

static void test_addr_chars(void **state)
{
    (void)state;
    for (int c = 0; c < 256; c++)
        assert_int_equal(text_is_addr_char(c), ref_addr_char(c));
}

static void fill_random(char *s, size_t n)
{
    static const char pick[] = "@@@..<>\"\"a-_ b\n\x80\xc3\xa9+1";
    for (size_t i = 0; i < n; i++)
        s[i] = rand() % 4 ? pick[rand() % (sizeof pick - 1)] : (char)(1 + rand() % 255);
}

static void test_find_address(void **state)
{
    (void)state;
    static const char *const fixed[] = {"", "@", "a@", "@b", "a@b", "a@b.c", "<a@b>", "x <user@example.org> y",
                                        "\"quoted local\"@example.org", "..a@b.c.", "a@b-.c-", "@@a@b.c"};
    for (size_t k = 0; k < sizeof fixed / sizeof *fixed; k++) {
        size_t n1 = 0, n2 = 0;
        const char *a = text_find_address(fixed[k], strlen(fixed[k]), &n1);
        const char *b = ref_find_address(fixed[k], strlen(fixed[k]), &n2);
        assert_ptr_equal(a, b);
        assert_int_equal(n1, n2);
    }
    srand(14);
    char s[96];
    for (int run = 0; run < 200000; run++) {
        size_t n = (size_t)(rand() % (int)sizeof s);
        fill_random(s, n);
        size_t n1 = 0, n2 = 0;
        const char *a = text_find_address(s, n, &n1);
        const char *b = ref_find_address(s, n, &n2);
        assert_ptr_equal(a, b);
        assert_int_equal(n1, n2);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_addr_chars),
        cmocka_unit_test(test_find_address),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
