/* A mailstream low-level driver around the socket or TLS one: it refuses,
 * before libetpan's recursive parser sees them, responses that could
 * exhaust its stack or memory: a connection closed by the server (EOF is an
 * error, never a zero-byte read to retry), lines nested or long beyond a
 * bound, and literals larger than what the command asked for. */
#ifndef REBOTE_IMAPGUARD_H
#define REBOTE_IMAPGUARD_H

#include <stddef.h>
#include <stdint.h>
#include <libetpan/libetpan.h>

#define IMAPGUARD_MAX_DEPTH 64                 /* parentheses open in one response */
#define IMAPGUARD_MAX_LINE (16u * 1024 * 1024) /* bytes of a response line, literals apart */

typedef struct imapguard imapguard;

/* Wraps the stream's current low-level driver; literals may hold at most
 * max_literal bytes. NULL when out of memory (the stream is unchanged). */
imapguard *imapguard_wrap(mailstream *stream, size_t max_literal);
/* Why the guard stopped the stream (untranslated msgid), or NULL. */
const char *imapguard_why(const imapguard *g);
/* Feeds bytes the server sent through the checks; -1 when refused. */
int imapguard_scan(imapguard *g, const char *buf, size_t n);
/* Before a SELECT; then: 1 when it sent a valid UIDVALIDITY, -1 when it
 * sent one that is not a nonzero 32-bit number, 0 when it sent none. */
void imapguard_select_starts(imapguard *g);
int imapguard_uidvalidity(const imapguard *g);
/* Bytes a response line may have from now on (0: IMAPGUARD_MAX_LINE); the
 * SEARCH reader widens it for a line it reads without holding it. */
void imapguard_line_max(imapguard *g, uint64_t max);
/* A guard with no stream, for the fuzzer and the tests. */
imapguard *imapguard_new(size_t max_literal);
void imapguard_free(imapguard *g);

#endif
