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
