/* fuzz_json.c - libFuzzer target: the MNIST JSON parser. */
#include <stdint.h>
#include <stdlib.h>

#include "textfmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    uint8_t *grey;
    size_t n;
    Err e;
    if (mnist_json_parse((const char *)data, size, 4, "fuzz", &grey, &n,
                         &e) == 0) {
        if (n == 0 || n % 4) abort();
        free(grey);
    }
    return 0;
}
