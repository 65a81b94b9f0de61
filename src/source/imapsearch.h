/* The answer to UID SEARCH ALL (`* SEARCH 1 2 3`) or, with ESEARCH, to UID
 * SEARCH RETURN (ALL) ALL (`* ESEARCH (TAG "7") UID ALL 1:4,6`), read by
 * rebote's own push parser straight from the stream and held as sorted
 * {lo, hi} UID ranges: a few bytes per range instead of libetpan's list
 * cell per UID, and never the whole line in memory. A server that lists
 * more UIDs than the mailbox has (EXISTS plus a margin) is refused as soon
 * as it passes that count. */
#ifndef REBOTE_IMAPSEARCH_H
#define REBOTE_IMAPSEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libetpan/libetpan.h>
#include "imapguard.h"

#define IMAPSEARCH_MARGIN 1024u          /* UIDs beyond EXISTS still accepted (mail arriving) */
#define IMAPSEARCH_CEILING (1u << 25)    /* UIDs of one mailbox, whatever EXISTS says */
#define IMAPSEARCH_TEXT_MAX 300          /* bytes of the server's NO/BAD text kept */

typedef struct {
    uint32_t lo, hi;
} imapsearch_range;

typedef struct {
    imapsearch_range *v;   /* after a complete answer: sorted, disjoint, not adjacent */
    size_t n, cap;
    uint64_t count;        /* UIDs in v */
} imapsearch_set;

enum {
    IMAPSEARCH_FAIL = -1,  /* refused: imapsearch_why says why */
    IMAPSEARCH_MORE = 0,   /* feed more bytes */
    IMAPSEARCH_OK = 1,     /* the tagged OK came: the set is complete */
    IMAPSEARCH_NO = 2,     /* the tagged NO or BAD came: imapsearch_text */
};

typedef struct imapsearch imapsearch;

/* A parser for the answer to the command tagged TAG in a mailbox of EXISTS
 * messages. NULL when out of memory. */
imapsearch *imapsearch_new(const char *tag, uint32_t exists);
/* Feeds bytes the server sent; *used tells how many belong to this answer
 * (the rest, after the tagged line, are the next response's). */
int imapsearch_feed(imapsearch *p, const char *buf, size_t n, size_t *used);
/* Why it was refused (untranslated msgid), or NULL. */
const char *imapsearch_why(const imapsearch *p);
/* The text after the tagged status (raw server bytes: sanitise before use). */
const char *imapsearch_text(const imapsearch *p);
/* The UIDs at most accepted now (EXISTS, as updated by the answer, plus margin). */
uint64_t imapsearch_max(const imapsearch *p);
/* Hands over the set (after IMAPSEARCH_OK), leaving the parser's empty. */
void imapsearch_take(imapsearch *p, imapsearch_set *out);
void imapsearch_free(imapsearch *p);
void imapsearch_set_free(imapsearch_set *s);

/* Sends the search on the session's stream (ESEARCH form when esearch) and
 * reads the answer through the guard g, whose line bound it widens to what
 * EXISTS allows meanwhile. 0 with the set; 1 when the server said NO or BAD
 * (its raw text in text); -1 when refused, with *why (untranslated msgid), or
 * when the stream failed (*why NULL: ask the guard, or it timed out). */
int imapsearch_run(mailimap *imap, imapguard *g, bool esearch, uint32_t exists, imapsearch_set *out,
                   const char **why, char *text, size_t textlen);

#endif
