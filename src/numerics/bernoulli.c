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

//> bernoulli-nll-f
MULTIVERSION
double bernoulli_nll_f(float *g, const float *a, const uint8_t *x,
                       int d) {
    double nll = 0.0;
    for (int i0 = 0; i0 < d; i0 += 64) {
        int n = d - i0 < 64 ? d - i0 : 64;
        /* sum of log1p(e_i) = log of the product of (1 + e_i): each
         * factor is in (1, 2], so 64 of them stay below 2^64 */
        float lin = 0.0f, prod = 1.0f;
#pragma omp simd reduction(+ : lin) reduction(* : prod)
        for (int i = i0; i < i0 + n; i++) {
            float ai = a[i], e = expf(-fabsf(ai));
            lin += (ai > 0 ? ai : 0.0f) - x[i] * ai;
            prod *= 1.0f + e;
            g[i] = (ai >= 0 ? 1.0f : e) / (1.0f + e) - x[i];
        }
        nll += (double)lin + log((double)prod);
    }
    return nll;
}
//< bernoulli-nll-f
