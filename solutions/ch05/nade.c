/* nade.c - chapter 5: NADE forward, backward (the recurrence run in
 * reverse) and sampling, in O(d h) per image. Binary inputs again: the
 * running activation only moves when a pixel is on. */
#include "nade.h"

#include <math.h>
#include <string.h>

#include "bernoulli.h"
#include "exercise.h"
#include "mathx.h"
#include "vec.h"

size_t nade_num_params(int d, int h) {
    /* BEGIN SOLUTION 5.4 */
    return 2 * (size_t)d * (size_t)h + (size_t)h + (size_t)d;
    /* END SOLUTION */
}

int nade_fvsbn_crossover(int h) {
    /* BEGIN SOLUTION 5.5 */
    /* d(d+1)/2 > 2dh + h + d  <=>  d^2 - (4h + 1) d - 2h > 0 */
    double b = 4.0 * h + 1;
    int d = (int)floor((b + sqrt(b * b + 8.0 * h)) / 2);
    while ((size_t)d * (d + 1) / 2 <= nade_num_params(d, h)) d++;
    return d;
    /* END SOLUTION */
}

void nade_point(NadeParams *p, float *buf, int d, int h) {
    p->W = buf;
    p->c = p->W + (size_t)d * h;
    p->V = p->c + h;
    p->b = p->V + (size_t)d * h;
}

size_t nade_scratch_floats(int d, int h) {
    return (size_t)d + 4 * (size_t)h;
}

void nade_scratch_point(NadeScratch *sc, float *scratch, int n, int d,
                        int h) {
    sc->logit = scratch + (size_t)n * nade_scratch_floats(d, h);
    sc->a = sc->logit + d;
    sc->hid = sc->a + h;
    sc->s = sc->hid + h;
    sc->u = sc->s + h;
}

//> nade-forward
void nade_forward(double *nll, float *scratch, const uint8_t *x,
                  const float *params, int B, int d, int h) {
    NadeParams p;
    nade_point(&p, (float *)params, d, h);
    for (int n = 0; n < B; n++) {
        const uint8_t *xn = x + (size_t)n * d; /* (d) pixels */
        NadeScratch sc;
        nade_scratch_point(&sc, scratch, n, d, h);
        /* (d) logits; on return sigma(logit) - x, which backward and
         * the tests read; nll[n] = -log p(x_n) */
        float *logit = sc.logit;
        float *a = sc.a;     /* (h) activation */
        float *hid = sc.hid; /* (h) h_i = sigma(a) */
        /* BEGIN SOLUTION 5.1 */
        memcpy(a, p.c, (size_t)h * sizeof *a); /* a_1 = c */
        vec_sigmoid(hid, a, h);
        for (int i = 0; i < d; i++) {
            const float *Vi = p.V + (size_t)i * h;
            logit[i] = p.b[i] + (float)vec_dot(Vi, hid, h);
            /* a_{i+1} = a_i + W[:, i] x_i: only when pixel i is on,
             * and only then do the hidden units change */
            if (xn[i] && i + 1 < d) {
                vec_add(a, p.W + (size_t)i * h, h);
                vec_sigmoid(hid, a, h);
            }
        }
        /* -log p(x); logit becomes dnll/dlogit = sigma(logit) - x */
        nll[n] = bernoulli_nll(logit, logit, xn, d);
        /* END SOLUTION */
    }
}
//< nade-forward

//> nade-backward
void nade_backward(float *dparams, float *scratch, const uint8_t *x,
                   const float *params, int B, int d, int h) {
    NadeParams p, dp;
    nade_point(&p, (float *)params, d, h);
    nade_point(&dp, dparams, d, h);
    for (int n = 0; n < B; n++) {
        const uint8_t *xn = x + (size_t)n * d;
        NadeScratch sc;
        nade_scratch_point(&sc, scratch, n, d, h);
        /* add into dp, never assign: the loop sums images this way */
        const float *g = sc.logit; /* (d) dnll/dlogit, from forward */
        float *a = sc.a;           /* (h) activation a_i */
        float *hid = sc.hid;       /* (h) h_i = sigma(a_i) */
        float *s = sc.s;           /* (h) later deltas */
        /* (h) dnll/dh summed over the run of conditionals that share
         * h_i (no pixel on between them): u = sum g_i V[i, :] */
        float *u = sc.u;
        /* BEGIN SOLUTION 5.2 */
        /* rebuild a = c + sum_{j <= d-2} W[:, j] x_j (0-based j): the
         * last conditional's activation, a_d of the 1-based text */
        memcpy(a, p.c, (size_t)h * sizeof *a);
        for (int j = 0; j + 1 < d; j++)
            if (xn[j]) vec_add(a, p.W + (size_t)j * h, h);
        vec_sigmoid(hid, a, h);
        memset(s, 0, (size_t)h * sizeof *s);
        memset(u, 0, (size_t)h * sizeof *u);
        for (int i = d - 1; i >= 0; i--) {
            /* forward was: logit_i = b_i + V[i, :] . h_i */
            dp.b[i] += g[i];
            vec_axpy(dp.V + (size_t)i * h, g[i], hid, h);
            vec_axpy(u, g[i], p.V + (size_t)i * h, h);
            if (i > 0 && xn[i - 1]) {
                /* the run ends: forward was h = sigma(a), so
                 * delta = u h (1 - h), added to s */
                vec_sigmoid_backprop(s, 1.0f, u, hid, h);
                memset(u, 0, (size_t)h * sizeof *u);
                /* forward was: a_i = a_{i-1} + W[:, i-1], so W[:, i-1]
                 * gets the delta of every later activation */
                vec_add(dp.W + (size_t)(i - 1) * h, s, h);
                vec_sub(a, p.W + (size_t)(i - 1) * h, h); /* a_{i-1} */
                vec_sigmoid(hid, a, h);
            }
        }
        vec_sigmoid_backprop(s, 1.0f, u, hid, h); /* the first run */
        /* forward was: a_1 = c, and every a_i carries c */
        vec_add(dp.c, s, h);
        /* END SOLUTION */
    }
}
//< nade-backward

//> nade-sample
void nade_sample(uint8_t *x, float *scratch, const float *params, int n,
                 int d, int h, Rng *rng) {
    NadeParams p;
    nade_point(&p, (float *)params, d, h);
    float *a = scratch, *hid = scratch + h; /* (h), (h) */
    for (int s = 0; s < n; s++) {
        uint8_t *xs = x + (size_t)s * d;
        /* BEGIN SOLUTION 5.3 */
        memcpy(a, p.c, (size_t)h * sizeof *a);
        for (int i = 0; i < d; i++) {
            vec_sigmoid(hid, a, h);
            const float *Vi = p.V + (size_t)i * h;
            float li = p.b[i] + (float)vec_dot(Vi, hid, h);
            xs[i] = (uint8_t)rng_bernoulli(rng, sigmoid_f(li));
            if (xs[i]) vec_add(a, p.W + (size_t)i * h, h);
        }
        /* END SOLUTION */
    }
}
//< nade-sample
