/* fuzz_amat.c - libFuzzer target: the .amat parser. */
#include <stdint.h>
#include <stdlib.h>

#include "textfmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    uint8_t *x;
    size_t n;
    Err e;
    if (amat_parse((const char *)data, size, 4, "fuzz", &x, &n, &e) ==
        0) {
        for (size_t i = 0; i < 4 * n; i++)
            if (x[i] > 1) abort();
        free(x);
    }
    return 0;
}
