/* libFuzzer harness over the analysis entry point: `make fuzz`, then
 *   fuzz/fuzz-analysis -max_len=65536 fuzz/corpus SEED_DIR
 * With REBOTE_FUZZ_DIFF=1 in the environment it reads every input twice
 * instead, with multipart.c and with GMime's parser alone, and aborts when
 * the two views of the message differ in any byte. */
#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include <stdint.h>
#include "rebote/analysis.h"
#include "../src/analysis/internal.h"

static int diff_mode;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    analysis_init();
    const char *d = getenv("REBOTE_FUZZ_DIFF");
    diff_mode = d && *d == '1';
    return 0;
}

static void diff_views(const char *data, size_t size)
{
    msg_view a, b;
    msg_view_init(&a);
    msg_view_init(&b);
    mime_gmime_only = false;
    bool ra = mime_parse(data, size, &a);
    mime_gmime_only = true;
    bool rb = mime_parse(data, size, &b);
    mime_gmime_only = false;
    const char *what = ra != rb ? "readable" : msg_view_diff(&a, &b);
    if (what) {
        fprintf(stderr, "fuzz-diff: %s differs\n", what);
        abort();
    }
    msg_view_free(&a);
    msg_view_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (diff_mode) {
        diff_views((const char *)data, size);
        return 0;
    }
    rb_records rs;
    rb_records_init(&rs);
    analysis_parse((const char *)data, size, &rs);
    rb_records_free(&rs);
    return 0;
}
