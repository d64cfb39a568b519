/* fvsbn.c - chapter 3: FVSBN forward, backward and sampling for any d,
 * using that the inputs are binary: only the columns of W that belong
 * to pixels that are on are ever touched. */
#include "fvsbn.h"

#include <string.h>

#include "bernoulli.h"
#include "exercise.h"
#include "mathx.h"
#include "vec.h"

size_t fvsbn_num_params(int d) {
    return (size_t)d * (size_t)(d + 1) / 2;
}

size_t fvsbn_col(int j, int d) {
    return (size_t)j * (size_t)(d - 1) -
           (size_t)j * (size_t)(j - 1) / 2;
}

void fvsbn_point(FvsbnParams *p, float *buf, int d) {
    p->b = buf;
    p->w = buf + d;
}

void fvsbn_forward(double *nll, float *dlogits, const uint8_t *x,
                   const float *params, int B, int d) {
    FvsbnParams p;
    fvsbn_point(&p, (float *)params, d);
    for (int n = 0; n < B; n++) {
        const uint8_t *xn = x + (size_t)n * d; /* (d) pixels */
        /* (d) logits a; on return sigma(a) - x, which backward reads */
        float *a = dlogits + (size_t)n * d;
        EXERCISE_TODO("3.1");
    }
}

void fvsbn_backward(float *dparams, const float *dlogits,
                    const uint8_t *x, int B, int d) {
    FvsbnParams dp;
    fvsbn_point(&dp, dparams, d);
    for (int n = 0; n < B; n++) {
        const uint8_t *xn = x + (size_t)n * d;
        /* (d) dnll/da = sigma(a) - x; add into dp, never assign */
        const float *g = dlogits + (size_t)n * d;
        EXERCISE_TODO("3.2");
    }
}

void fvsbn_sample(uint8_t *x, float *scratch, const float *params,
                  int n, int d, Rng *rng) {
    FvsbnParams p;
    fvsbn_point(&p, (float *)params, d);
    for (int s = 0; s < n; s++) {
        uint8_t *xs = x + (size_t)s * d;
        float *a = scratch; /* (d) logits, completed left to right */
        EXERCISE_TODO("3.3");
    }
}

size_t fvsbn_banded_num_params(int d, int k) {
    EXERCISE_TODO("3.4");
}

long fvsbn_forward_adds(const uint8_t *x, int d) {
    EXERCISE_TODO("3.5");
}
