/* cli_vformat, behind cli_eprintf: every conversion as printf gives it,
 * each argument taken once, and every %s through the display sanitiser. */
#include <config.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "cli/cli.h"

static char *fmt(const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    char *s = cli_vformat(f, ap);
    va_end(ap);
    return s;
}

static void test_conversions(void **state)
{
    (void)state;
    char *s = fmt("%zu|%8zu|%-22s|%d|%ld|%u|%lld|%5.1f|%%|%c|%x|%*d", (size_t)7, (size_t)42, "key", -3, 99L, 5u,
                  123456789012LL, 12.34, 'q', 255u, 4, 9);
    char want[256];
    snprintf(want, sizeof want, "%zu|%8zu|%-22s|%d|%ld|%u|%lld|%5.1f|%%|%c|%x|%*d", (size_t)7, (size_t)42, "key", -3,
             99L, 5u, 123456789012LL, 12.34, 'q', 255u, 4, 9);
    assert_string_equal(s, want);
    free(s);
}

static void test_strings_sanitised(void **state)
{
    (void)state;
    char *s = fmt("rebote: login refused: %s (%zu)\n", "NO \x1b]0;PWNED\x07\x1b[2J\xe2\x80\xae" "evil\xff", (size_t)1);
    assert_string_equal(s, "rebote: login refused: NO <U+001B>]0;PWNED<U+0007><U+001B>[2J<U+202E>evil\xef\xbf\xbd (1)\n");
    free(s);
    s = fmt("%s: %s\n", "a\nb", "plain");
    assert_string_equal(s, "a<U+000A>b: plain\n");   /* the format's own newline stays */
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_conversions),
        cmocka_unit_test(test_strings_sanitised),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
