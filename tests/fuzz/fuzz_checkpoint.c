/* fuzz_checkpoint.c - libFuzzer target: the checkpoint loader. */
#include <stdint.h>
#include <stdlib.h>

#include "checkpoint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    Model m;
    Err e;
    if (checkpoint_parse(data, size, "fuzz", 0, 1, &m, &e) == 0) {
        /* a loaded model is exactly header + parameters + its order, or
         * its masks (K orders and K degree vectors per hidden layer),
         * or its second size (version 5) */
        size_t d = (size_t)m.d, K = (size_t)m.n_masks;
        size_t want =
            CKPT_HEADER_BYTES + 4 * m.n_params + (m.order ? 4 * d : 0) +
            (m.h2 && !m.masks ? 4 : 0) +
            (m.masks ? 16 + (m.h2 ? 4 : 0) +
                           4 * K * (d + (size_t)m.h + (size_t)m.h2)
                     : 0);
        if (want != size) abort();
        model_free(&m);
    }
    return 0;
}
