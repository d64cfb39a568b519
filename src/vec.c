/* vec.c - see vec.h. */
#include "vec.h"

__attribute__((target_clones("avx512f", "avx2", "default")))
void vec_add(float *restrict y, const float *restrict x, int n) {
    for (int k = 0; k < n; k++) y[k] += x[k];
}

__attribute__((target_clones("avx512f", "avx2", "default")))
void vec_sub(float *restrict y, const float *restrict x, int n) {
    for (int k = 0; k < n; k++) y[k] -= x[k];
}

__attribute__((target_clones("avx512f", "avx2", "default")))
void vec_sigmoid_backprop(float *restrict s, float alpha,
                          const float *restrict w, const float *restrict y,
                          int n) {
    for (int k = 0; k < n; k++) s[k] += alpha * w[k] * y[k] * (1 - y[k]);
}

__attribute__((target_clones("avx512f", "avx2", "default")))
void vec_axpy(float *restrict y, float alpha, const float *restrict x,
              int n) {
    for (int k = 0; k < n; k++) y[k] += alpha * x[k];
}
