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

//> fvsbn-forward
void fvsbn_forward(double *nll, float *dlogits, const uint8_t *x,
                   const float *params, int B, int d) {
    FvsbnParams p;
    fvsbn_point(&p, (float *)params, d);
    for (int n = 0; n < B; n++) {
        const uint8_t *xn = x + (size_t)n * d; /* (d) pixels */
        /* (d) logits a; on return sigma(a) - x, which backward reads */
        float *a = dlogits + (size_t)n * d;
        /* BEGIN SOLUTION 3.1 */
        memcpy(a, p.b, (size_t)d * sizeof *a); /* a = b */
        for (int j = 0; j < d - 1; j++) {
            if (!xn[j]) continue; /* x_j = 0 adds nothing */
            /* a[j+1 ..] += column j (w_ij for i > j) */
            vec_add(a + j + 1, p.w + fvsbn_col(j, d), d - 1 - j);
        }
        /* -log p(x) = -sum_i log Bern(x_i; sigma(a_i)); a becomes
         * sigma(a) - x, what backward needs */
        nll[n] = bernoulli_nll(a, a, xn, d);
        /* END SOLUTION */
    }
}
//< fvsbn-forward

//> fvsbn-backward
void fvsbn_backward(float *dparams, const float *dlogits,
                    const uint8_t *x, int B, int d) {
    FvsbnParams dp;
    fvsbn_point(&dp, dparams, d);
    for (int n = 0; n < B; n++) {
        const uint8_t *xn = x + (size_t)n * d;
        /* (d) dnll/da = sigma(a) - x; add into dp, never assign */
        const float *g = dlogits + (size_t)n * d;
        /* BEGIN SOLUTION 3.2 */
        /* forward was: a_i = b_i + ..., so dnll/db_i = g_i */
        vec_add(dp.b, g, d);
        /* forward was: a[j+1 ..] += column j when x_j = 1, so column j
         * receives the gradients of the logits below j */
        for (int j = 0; j < d - 1; j++)
            if (xn[j])
                vec_add(dp.w + fvsbn_col(j, d), g + j + 1, d - 1 - j);
        /* END SOLUTION */
    }
}
//< fvsbn-backward

//> fvsbn-sample
void fvsbn_sample(uint8_t *x, float *scratch, const float *params,
                  int n, int d, Rng *rng) {
    FvsbnParams p;
    fvsbn_point(&p, (float *)params, d);
    for (int s = 0; s < n; s++) {
        uint8_t *xs = x + (size_t)s * d;
        float *a = scratch; /* (d) logits, completed left to right */
        /* BEGIN SOLUTION 3.3 */
        memcpy(a, p.b, (size_t)d * sizeof *a);
        for (int i = 0; i < d; i++) {
            /* a_i is complete: every x_j, j < i, has been added */
            xs[i] = (uint8_t)rng_bernoulli(rng, sigmoid_f(a[i]));
            if (!xs[i] || i == d - 1) continue;
            vec_add(a + i + 1, p.w + fvsbn_col(i, d), d - 1 - i);
        }
        /* END SOLUTION */
    }
}
//< fvsbn-sample

size_t fvsbn_banded_num_params(int d, int k) {
    /* BEGIN SOLUTION 3.4 */
    size_t n = 0;
    for (int i = 1; i <= d; i++) /* a bias and min(i - 1, k) weights */
        n += 1 + (size_t)(i - 1 < k ? i - 1 : k);
    return n;
    /* END SOLUTION */
}

long fvsbn_forward_adds(const uint8_t *x, int d) {
    /* BEGIN SOLUTION 3.5 */
    long n = 0;
    for (int j = 0; j < d;
         j++) /* code index j: d - 1 - j later pixels */
        if (x[j]) n += d - 1 - j;
    return n;
    /* END SOLUTION */
}
