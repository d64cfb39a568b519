/* bernoulli.c - see bernoulli.h. Built with -ffast-math -fopenmp-simd
 * (the Makefile's VECMATH_CFLAGS) so that GCC calls glibc's vector
 * exp and log1p; inputs are finite logits, so fast-math's assumptions
 * hold. The result is checked against the scalar log_sigmoid of
 * mathx.c by the tests. */
#include "bernoulli.h"
#include "vec.h"

#include <math.h>

//> bernoulli-nll
MULTIVERSION
double bernoulli_nll(float *g, const float *a, const uint8_t *x,
                     int d) {
    double nll = 0.0;
#pragma omp simd reduction(+ : nll)
    for (int i = 0; i < d; i++) {
        double ai = a[i], e = exp(-fabs(ai));
        /* softplus(a) - x a = max(a, 0) - x a + log1p(e) */
        nll += (ai > 0 ? ai : 0.0) - x[i] * ai + log1p(e);
        double sig = ai >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
        if (g) g[i] = (float)(sig - x[i]);
    }
    return nll;
}
//< bernoulli-nll

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
