/* CSV cells (RFC 4180). A cell a spreadsheet would read as a formula gets
 * a leading apostrophe: one that starts with = + - @, a tab or a CR, their
 * full-width forms or U+2212, also after leading blanks (spaces, NBSP and
 * other Unicode spaces) or invisible characters, which spreadsheets skip. A
 * cell holding a separator of any CSV dialect (, ; tab) is quoted. */
#include <config.h>
#include <stdbool.h>
#include <string.h>
#include "rebote/export.h"
#include "rebote/sanitize.h"

/* Characters a spreadsheet skips before it looks for a formula. */
static bool csv_blank(uint32_t cp)
{
    return cp == ' ' || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F ||
           cp == 0x205F || cp == 0x3000 || sanitize_cp_hidden(cp);
}

/* Characters that start a formula. */
static bool csv_trigger(uint32_t cp)
{
    static const uint32_t triggers[] = {'=', '+', '-', '@', '\t', '\r', 0xFF1D, 0xFF0B, 0xFF0D, 0xFF20, 0x2212};
    for (size_t i = 0; i < sizeof triggers / sizeof triggers[0]; i++)
        if (cp == triggers[i])
            return true;
    return false;
}

/* Would a spreadsheet read s as a formula? */
bool csv_is_formula(const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = sanitize_utf8_next(s + i, n - i, &cp);
        if (len == 0)
            return false;
        if (csv_trigger(cp))
            return true;
        if (!csv_blank(cp))
            return false;
        i += len;
    }
    return false;
}

void csv_cell(FILE *out, const char *s)
{
    s = s ? s : "";
    bool formula = csv_is_formula(s);
    bool quote = formula || strpbrk(s, ",;\"\t\r\n") != NULL;
    if (quote)
        fputc('"', out);
    if (formula)
        fputc('\'', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    if (quote)
        fputc('"', out);
}
