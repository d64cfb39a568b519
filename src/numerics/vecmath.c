/* vecmath.c - the vector helpers of vec.h that need glibc's vector
 * exp, or a vectorised reduction: built with -ffast-math -fopenmp-simd
 * (the Makefile's VECMATH_CFLAGS), like bernoulli.c. vec.c holds the
 * others, built with the normal flags. */
#include "vec.h"

#include <math.h>

/* The hidden layers of chapters 4-5 need many sigmoids; these two run
 * on vector units too (see vec.h). */
MULTIVERSION
void vec_sigmoid(float *y, const float *x, int n) {
#pragma omp simd
    for (int k = 0; k < n; k++) {
        /* keep expf finite: fast-math's reciprocal turns 1 / inf into
         * NaN, and sigma(+-30) is already 1 or 1e-13 in float */
        float t = x[k] < -30.0f ? 30.0f : x[k] > 30.0f ? -30.0f : -x[k];
        y[k] = 1.0f / (1.0f + expf(t));
    }
}

MULTIVERSION
double vec_dot(const float *x, const float *y, int n) {
    /* float partial sums in vector lanes (the order is the vector
     * width's), returned as double */
    float s = 0.0f;
#pragma omp simd reduction(+ : s)
    for (int k = 0; k < n; k++) s += x[k] * y[k];
    return s;
}
