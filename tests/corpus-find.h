/* The shared corpus for a cmocka test: $REBOTE_CORPUS when PROBE (a path
 * inside it) is readable. Otherwise prints the TAP plan: a SKIP outside CI,
 * a failure under CI (CI must have the corpus), and sets *status. */
#ifndef REBOTE_TEST_CORPUS_FIND_H
#define REBOTE_TEST_CORPUS_FIND_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static inline const char *corpus_find(const char *probe, int *status)
{
    const char *corpus = getenv("REBOTE_CORPUS");
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", corpus ? corpus : "", probe);
    if (corpus && corpus[0] && access(path, R_OK) == 0)
        return corpus;
    const char *ci = getenv("CI");
    if (ci && ci[0] && strcmp(ci, "false")) {
        printf("1..1\nnot ok 1 - corpus not found at '%s' (CI needs it)\n", corpus ? corpus : "");
        *status = 1;
    } else {
        printf("1..0 # SKIP Sisimai corpus not found: set REBOTE_CORPUS or --with-corpus\n");
        *status = 0;
    }
    return NULL;
}

#endif
