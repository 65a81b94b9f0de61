/* CSV cells (RFC 4180). A cell a spreadsheet would read as a formula (it
 * starts with = + - @, a tab or a CR) gets a leading apostrophe. */
#include <config.h>
#include <stdbool.h>
#include <string.h>
#include "rebote/export.h"

void csv_cell(FILE *out, const char *s)
{
    s = s ? s : "";
    bool formula = strchr("=+-@\t\r", s[0]) && s[0];
    bool quote = formula || strpbrk(s, ",\"\r\n") != NULL;
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
