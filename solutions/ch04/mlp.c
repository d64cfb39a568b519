/* mlp.c - chapter 4: a hidden layer per conditional, O(d^2 h). With
 * binary inputs, A_i x_<i is the sum of the columns of A_i whose pixel
 * is on. */
#include "mlp.h"

#include <string.h>

#include "bernoulli.h"
#include "exercise.h"
#include "mathx.h"
#include "vec.h"

size_t mlp_num_params(int d, int h) {
    /* BEGIN SOLUTION 4.3 */
    /* sum over conditionals of h (i - 1) + h + h + 1 */
    return (size_t)h * (size_t)d * (size_t)(d - 1) / 2 +
           2 * (size_t)h * (size_t)d + (size_t)d;
    /* END SOLUTION */
}

int mlp_table_crossover(int h) {
    /* BEGIN SOLUTION 4.4 */
    int d = 1;
    while ((1L << d) - 1 <= (long)mlp_num_params(d, h)) d++;
    return d;
    /* END SOLUTION */
}

void mlp_point(MlpParams *p, float *buf, int d, int h) {
    p->A = buf;
    p->c = p->A + (size_t)h * (size_t)d * (size_t)(d - 1) / 2;
    p->w = p->c + (size_t)d * h;
    p->b = p->w + (size_t)d * h;
}

size_t mlp_scratch_floats(int d, int h) {
    return (size_t)d + (size_t)d * (size_t)h;
}

/* A_i, conditional i's input weights (0-based i). */
static float *A_of(const MlpParams *p, int i, int h) {
    return p->A + (size_t)h * (size_t)i * (size_t)(i - 1) / 2;
}

//> mlp-forward
void mlp_forward(double *nll, float *scratch, const uint8_t *x,
                 const float *params, int B, int d, int h) {
    MlpParams p;
    mlp_point(&p, (float *)params, d, h);
    size_t per = mlp_scratch_floats(d, h);
    for (int n = 0; n < B; n++) {
        const uint8_t *xn = x + (size_t)n * d;
        /* (d) logits; on return sigma(logit) - x, which backward and
         * the tests read; nll[n] = -log p(x_n) */
        float *logit = scratch + n * per;
        float *hid = logit + d; /* (d, h): h_i of every i */
        /* BEGIN SOLUTION 4.1 */
        int on[4096], n_on = 0; /* the active pixels before i */
        for (int i = 0; i < d; i++) {
            float *hi = hid + (size_t)i * h;
            const float *Ai = A_of(&p, i, h);
            /* pre-activation c_i + A_i x_<i: add the active columns */
            memcpy(hi, p.c + (size_t)i * h, (size_t)h * sizeof *hi);
            for (int t = 0; t < n_on; t++)
                vec_add(hi, Ai + (size_t)on[t] * h, h);
            vec_sigmoid(hi, hi, h);
            const float *wi = p.w + (size_t)i * h;
            logit[i] = p.b[i] + (float)vec_dot(wi, hi, h);
            if (xn[i]) on[n_on++] = i;
        }
        /* -log p(x); logit becomes dnll/dlogit = sigma(logit) - x */
        nll[n] = bernoulli_nll(logit, logit, xn, d);
        /* END SOLUTION */
    }
}
//< mlp-forward

//> mlp-backward
void mlp_backward(float *dparams, float *scratch, const uint8_t *x,
                  const float *params, int B, int d, int h) {
    MlpParams p, dp;
    mlp_point(&p, (float *)params, d, h);
    mlp_point(&dp, dparams, d, h);
    size_t per = mlp_scratch_floats(d, h);
    for (int n = 0; n < B; n++) {
        const uint8_t *xn = x + (size_t)n * d;
        /* add into dp, never assign: the loop sums images this way */
        const float *g = scratch + n * per; /* (d) dnll/dlogit */
        float *hid = (float *)g + d;        /* (d, h) h_i of forward */
        /* BEGIN SOLUTION 4.2 */
        int on[4096], n_on = 0; /* the active pixels before i */
        for (int i = 0; i < d; i++) {
            float *hi = hid + (size_t)i * h;
            const float *wi = p.w + (size_t)i * h;
            /* forward was: logit_i = b_i + w_i . h_i */
            dp.b[i] += g[i];
            vec_axpy(dp.w + (size_t)i * h, g[i], hi, h);
            /* forward was: h_i = sigma(pre_i), so
             * dpre_i = g_i w_i h_i (1 - h_i); it overwrites h_i */
            float *dpre = hi;
            for (int k = 0; k < h; k++)
                dpre[k] = g[i] * wi[k] * hi[k] * (1 - hi[k]);
            /* forward was: pre_i = c_i + active columns of A_i */
            vec_add(dp.c + (size_t)i * h, dpre, h);
            float *dAi = A_of(&dp, i, h);
            for (int t = 0; t < n_on; t++)
                vec_add(dAi + (size_t)on[t] * h, dpre, h);
            if (xn[i]) on[n_on++] = i;
        }
        /* END SOLUTION */
    }
}
//< mlp-backward

void mlp_sample(uint8_t *x, float *scratch, const float *params, int n,
                int d, int h, Rng *rng) {
    MlpParams p;
    mlp_point(&p, (float *)params, d, h);
    float *hi = scratch; /* (h) */
    for (int s = 0; s < n; s++) {
        uint8_t *xs = x + (size_t)s * d;
        for (int i = 0; i < d; i++) {
            const float *Ai = A_of(&p, i, h);
            memcpy(hi, p.c + (size_t)i * h, (size_t)h * sizeof *hi);
            for (int j = 0; j < i; j++)
                if (xs[j]) vec_add(hi, Ai + (size_t)j * h, h);
            vec_sigmoid(hi, hi, h);
            float li =
                p.b[i] + (float)vec_dot(p.w + (size_t)i * h, hi, h);
            xs[i] = (uint8_t)rng_bernoulli(rng, sigmoid_f(li));
        }
    }
}
