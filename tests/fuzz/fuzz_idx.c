/* fuzz_idx.c - libFuzzer target: the IDX parser on arbitrary bytes.
 * The first byte picks images (odd) or labels (even). */
#include <stdint.h>
#include <stdlib.h>

#include "idx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0) return 0;
    Idx idx;
    Err e;
    if (idx_parse(data + 1, size - 1, (data[0] & 1) ? 3 : 1, "fuzz",
                  &idx, &e) == 0) {
        /* a parsed file is exactly header + body */
        if (idx.size + 4 + 4 * (size_t)idx.ndim != size - 1) abort();
        idx_free(&idx);
    }
    return 0;
}
