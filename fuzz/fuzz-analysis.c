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
#include "internal.h"
#include "../tests/view_diff.h"

static int diff_mode;

/* GMime's one leak at start-up (tests/lsan.supp says why) is not ours: the
 * slow unwinder lets LeakSanitizer see it through GLib, and it is left out,
 * without options in the environment. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "fast_unwind_on_malloc=0";
}

const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:g_mime_object_register_type\n";
}

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
    const char *what = view_diff(data, size);
    if (what) {
        fprintf(stderr, "fuzz-diff: %s differs\n", what);
        abort();
    }
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
