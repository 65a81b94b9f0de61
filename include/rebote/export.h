/* Writing fields safely: CSV (RFC 4180, with spreadsheet formula injection
 * neutralised) and JSON strings. */
#ifndef REBOTE_EXPORT_H
#define REBOTE_EXPORT_H

#include <stdio.h>

/* One CSV cell: quoted when needed; a leading = + - @ tab or CR gets a ' first. */
void csv_cell(FILE *out, const char *s);

#endif
