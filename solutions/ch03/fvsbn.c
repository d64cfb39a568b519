/* fvsbn.c - chapter 3: FVSBN forward, backward and sampling for any d,
 * using that the inputs are binary: only the columns of W that belong
 * to pixels that are on are ever touched. */
#include "fvsbn.h"

#include <string.h>

#include "exercise.h"
#include "mathx.h"

size_t fvsbn_num_params(int d) { return (size_t)d * (size_t)(d + 1) / 2; }

size_t fvsbn_col(int j, int d) {
    return (size_t)j * (size_t)(d - 1) - (size_t)j * (size_t)(j - 1) / 2;
}

void fvsbn_point(FvsbnParams *p, float *buf, int d) {
    p->b = buf;
    p->w = buf + d;
}

//> fvsbn-forward
void fvsbn_forward(double *nll, float *logits, const uint8_t *x,
                   const float *params, int B, int d) {
    FvsbnParams p;
    fvsbn_point(&p, (float *)params, d);
    for (int n = 0; n < B; n++) {
        const uint8_t *xn = x + (size_t)n * d; /* (d) pixels */
        float *a = logits + (size_t)n * d;     /* (d) logits */
        /* BEGIN SOLUTION 3.1 */
        memcpy(a, p.b, (size_t)d * sizeof *a); /* a = b */
        for (int j = 0; j < d - 1; j++) {
            if (!xn[j]) continue; /* x_j = 0 adds nothing */
            const float *col = p.w + fvsbn_col(j, d); /* w_ij, i > j */
            float *below = a + j + 1;
            for (int k = 0; k < d - 1 - j; k++) below[k] += col[k];
        }
        /* log p(x) = sum_i log Bern(x_i; sigma(a_i)) */
        double s = 0.0;
        for (int i = 0; i < d; i++)
            s += log_bernoulli_logit(xn[i], a[i]);
        nll[n] = -s;
        /* END SOLUTION */
    }
}
//< fvsbn-forward

//> fvsbn-backward
void fvsbn_backward(float *dparams, const float *logits,
                    const uint8_t *x, int B, int d) {
    FvsbnParams dp;
    fvsbn_point(&dp, dparams, d);
    float g[4096]; /* (d) dnll/da, d <= 4096 */
    for (int n = 0; n < B; n++) {
        const uint8_t *xn = x + (size_t)n * d;
        const float *a = logits + (size_t)n * d;
        /* BEGIN SOLUTION 3.2 */
        /* forward was: nll = -sum_i log Bern(x_i; sigma(a_i)),
         * so dnll/da_i = sigma(a_i) - x_i */
        for (int i = 0; i < d; i++) {
            g[i] = sigmoid_f(a[i]) - xn[i];
            dp.b[i] += g[i]; /* forward was: a_i = b_i + ... */
        }
        /* forward was: a[j+1..] += column j when x_j = 1, so column j
         * receives the gradients of the logits below j */
        for (int j = 0; j < d - 1; j++) {
            if (!xn[j]) continue;
            float *dcol = dp.w + fvsbn_col(j, d);
            const float *below = g + j + 1;
            for (int k = 0; k < d - 1 - j; k++) dcol[k] += below[k];
        }
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
            const float *col = p.w + fvsbn_col(i, d);
            for (int k = 0; k < d - 1 - i; k++) a[i + 1 + k] += col[k];
        }
        /* END SOLUTION */
    }
}
//< fvsbn-sample
