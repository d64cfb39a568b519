/* vec.c - see vec.h. */
#include "vec.h"

__attribute__((target_clones("avx512f", "avx2", "default")))
void vec_add(float *restrict y, const float *restrict x, int n) {
    for (int k = 0; k < n; k++) y[k] += x[k];
}
