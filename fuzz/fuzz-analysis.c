/* libFuzzer harness over the analysis entry point: `make fuzz`, then
 *   fuzz/fuzz-analysis -max_len=65536 fuzz/corpus SEED_DIR */
#include <stddef.h>
#include <stdint.h>
#include "rebote/analysis.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    analysis_init();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rb_records rs;
    rb_records_init(&rs);
    analysis_parse((const char *)data, size, &rs);
    rb_records_free(&rs);
    return 0;
}
