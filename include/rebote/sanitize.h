/* The one sanitiser of text that strangers wrote (bounces, file names,
 * servers). Two modes, one set of rules about characters:
 *   - fields (sanitize_into, sanitize_dup): the text of a record. Invalid
 *     UTF-8 bytes and C1 controls become U+FFFD, C0 controls and DEL are
 *     removed (tab, CR, LF become a space), runs of spaces collapse to one,
 *     bidi and invisible characters (sanitize_cp_hidden) are removed.
 *   - display (sanitize_show): any other foreign text about to be printed
 *     (a file name, a server's answer, an error). Nothing is lost silently:
 *     controls and hidden characters are shown as <U+XXXX>, invalid bytes
 *     as U+FFFD; the rest is kept as it is.
 * Neither ever lets an escape sequence or a bidi override through. */
#ifndef REBOTE_SANITIZE_H
#define REBOTE_SANITIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The valid UTF-8 sequence at s (n > 0 bytes left): its length, and its
 * code point in *cp; 0 when the byte at s starts none (invalid, overlong,
 * surrogate, beyond U+10FFFF or cut short). */
size_t sanitize_utf8_next(const char *s, size_t n, uint32_t *cp);

/* Bidi controls and invisible format characters: U+061C, U+180E,
 * U+200B-U+200F, U+202A-U+202E, U+2060-U+2064, U+2066-U+206F, U+FEFF. */
bool sanitize_cp_hidden(uint32_t cp);
/* C0 controls, DEL and C1 controls. */
bool sanitize_cp_control(uint32_t cp);
/* The columns a terminal gives cp: 0 when it must not be drawn at all
 * (a control, a hidden or a zero-width character), -1 when this locale
 * cannot print it (draw a one-column replacement), else wcwidth(cp). */
int sanitize_cp_width(uint32_t cp);

/* Field mode. At most sanitize_cap(n, max) bytes, never a character cut:
 * out holds sanitize_cap(n, max) + 1 bytes; returns the length. */
size_t sanitize_cap(size_t n, size_t max);
size_t sanitize_into(char *out, const char *s, size_t n, size_t max);
/* The same in a new string (NULL when out of memory). */
char *sanitize_dup(const char *s, size_t n, size_t max);

/* Display mode into out (size > 0 bytes, always terminated): stops before
 * a character or an escape that does not fit. Returns the length. */
size_t sanitize_show(char *out, size_t size, const char *s, size_t n);
/* The same in a new string, whole (NULL when out of memory; s NULL: ""). */
char *sanitize_show_dup(const char *s);

#endif
