/* fuzz_checkpoint.c - libFuzzer target: the checkpoint loader. */
#include <stdint.h>
#include <stdlib.h>

#include "checkpoint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    Model m;
    Err e;
    if (checkpoint_parse(data, size, "fuzz", 0, 1, &m, &e) == 0) {
        /* a loaded model is exactly header + parameters */
        if (CKPT_HEADER_BYTES + 4 * m.n_params != size) abort();
        model_free(&m);
    }
    return 0;
}
