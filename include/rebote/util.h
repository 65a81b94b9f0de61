/* Process-wide helpers: gettext and paths of the in-tree or installed build. */
#ifndef REBOTE_UTIL_H
#define REBOTE_UTIL_H

#include <libintl.h>
#define _(s) gettext(s)
#define N_(s) (s)

/* Sets locale and text domain; prefers the build tree's locale directory
 * when the program runs from the build tree. */
void util_init_i18n(void);
/* Directory of bundled data (the demo mailbox): build tree or installed. */
const char *util_data_dir(void);

#endif
