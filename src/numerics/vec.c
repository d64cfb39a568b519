/* vec.c - see vec.h. */
#include "vec.h"

#include <stdlib.h>
#include <string.h>

float *vec_alloc(size_t n) {
    size_t bytes = (n * sizeof(float) + 63) / 64 * 64;
    float *p = aligned_alloc(64, bytes ? bytes : 64);
    if (p) memset(p, 0, bytes ? bytes : 64);
    return p;
}

MULTIVERSION
void vec_add(float *restrict y, const float *restrict x, int n) {
    for (int k = 0; k < n; k++) y[k] += x[k];
}

MULTIVERSION
void vec_sub(float *restrict y, const float *restrict x, int n) {
    for (int k = 0; k < n; k++) y[k] -= x[k];
}

MULTIVERSION
void vec_sigmoid_backprop(float *restrict s, float alpha,
                          const float *restrict w,
                          const float *restrict y, int n) {
    for (int k = 0; k < n; k++)
        s[k] += alpha * w[k] * y[k] * (1 - y[k]);
}

MULTIVERSION
void vec_axpy(float *restrict y, float alpha, const float *restrict x,
              int n) {
    for (int k = 0; k < n; k++) y[k] += alpha * x[k];
}
