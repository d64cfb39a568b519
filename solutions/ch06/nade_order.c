/* nade_order.c - chapter 6: chapter 5's NADE with the pixels visited
 * in the order o. Every loop over i = 0..d-1 of chapter 5 becomes a
 * loop over positions k with pixel i = o[k]; the parameters stay
 * indexed by pixel, so one set serves every order. */
#include "nade_order.h"

#include <string.h>

#include "bernoulli.h"
#include "exercise.h"
#include "mathx.h"
#include "nade.h"
#include "vec.h"

void order_random(int *order, int d, Rng *rng) {
    for (int i = 0; i < d; i++) order[i] = i;
    for (int i = d - 1; i > 0; i--) { /* Fisher-Yates */
        int j = (int)rng_below(rng, (uint64_t)i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
}

//> order-forward
void nade_forward_order(double *nll, float *scratch, const uint8_t *x,
                        const float *params, const int *order, int B,
                        int d, int h) {
    NadeParams p;
    nade_point(&p, (float *)params, d, h);
    for (int n = 0; n < B; n++) {
        const uint8_t *xn = x + (size_t)n * d; /* (d) pixels */
        NadeScratch sc;                        /* chapter 5's layout */
        nade_scratch_point(&sc, scratch, n, d, h);
        float *logit = sc.logit; /* (d) by pixel */
        float *a = sc.a;         /* (h) activation */
        float *hid = sc.hid;     /* (h) sigma(a) */
        /* BEGIN SOLUTION 6.2 */
        memcpy(a, p.c, (size_t)h * sizeof *a);
        vec_sigmoid(hid, a, h);
        for (int k = 0; k < d; k++) {
            int i = order[k]; /* the pixel at position k */
            logit[i] =
                p.b[i] + (float)vec_dot(p.V + (size_t)i * h, hid, h);
            if (xn[i] && k + 1 < d) { /* it joins the context */
                vec_add(a, p.W + (size_t)i * h, h);
                vec_sigmoid(hid, a, h);
            }
        }
        /* a sum over pixels: every order adds the same terms */
        nll[n] = bernoulli_nll(logit, logit, xn, d);
        /* END SOLUTION */
    }
}
//< order-forward

//> order-backward
void nade_backward_order(float *dparams, float *scratch,
                         const uint8_t *x, const float *params,
                         const int *order, int B, int d, int h) {
    NadeParams p, dp;
    nade_point(&p, (float *)params, d, h);
    nade_point(&dp, dparams, d, h);
    for (int n = 0; n < B; n++) {
        const uint8_t *xn = x + (size_t)n * d;
        NadeScratch sc;
        nade_scratch_point(&sc, scratch, n, d, h);
        const float *g = sc.logit; /* (d) dnll/dlogit */
        float *a = sc.a;           /* (h) */
        float *hid = sc.hid;       /* (h) */
        float *s = sc.s;           /* (h) later deltas */
        float *u = sc.u;           /* (h) dnll/dh of a run */
        /* BEGIN SOLUTION 6.3 */
        memcpy(a, p.c, (size_t)h * sizeof *a);
        for (int k = 0; k + 1 < d; k++)
            if (xn[order[k]]) vec_add(a, p.W + (size_t)order[k] * h, h);
        vec_sigmoid(hid, a, h);
        memset(s, 0, (size_t)h * sizeof *s);
        memset(u, 0, (size_t)h * sizeof *u);
        for (int k = d - 1; k >= 0; k--) {
            int i = order[k];
            /* forward was: logit_i = b_i + V[i, :] . h_k */
            dp.b[i] += g[i];
            vec_axpy(dp.V + (size_t)i * h, g[i], hid, h);
            vec_axpy(u, g[i], p.V + (size_t)i * h, h);
            int j = k > 0 ? order[k - 1] : -1; /* the pixel before */
            if (j >= 0 && xn[j]) {
                /* forward was: h = sigma(a); a_k = a_{k-1} + W[:, j] */
                vec_sigmoid_backprop(s, 1.0f, u, hid, h);
                memset(u, 0, (size_t)h * sizeof *u);
                vec_add(dp.W + (size_t)j * h, s, h);
                vec_sub(a, p.W + (size_t)j * h, h);
                vec_sigmoid(hid, a, h);
            }
        }
        vec_sigmoid_backprop(s, 1.0f, u, hid, h);
        vec_add(dp.c, s, h); /* forward was: a_1 = c */
        /* END SOLUTION */
    }
}
//< order-backward

//> order-complete
void nade_complete_order(uint8_t *x, float *scratch,
                         const float *params, const int *order,
                         int given, int n, int d, int h, Rng *rng) {
    NadeParams p;
    nade_point(&p, (float *)params, d, h);
    float *a = scratch, *hid = scratch + h; /* (h), (h) */
    for (int s = 0; s < n; s++) {
        uint8_t *xs = x + (size_t)s * d;
        /* BEGIN SOLUTION 6.4 */
        memcpy(a, p.c, (size_t)h * sizeof *a);
        for (int k = 0; k < given; k++) /* the context we are given */
            if (xs[order[k]]) vec_add(a, p.W + (size_t)order[k] * h, h);
        for (int k = given; k < d; k++) { /* the rest, in order */
            int i = order[k];
            vec_sigmoid(hid, a, h);
            float li =
                p.b[i] + (float)vec_dot(p.V + (size_t)i * h, hid, h);
            xs[i] = (uint8_t)rng_bernoulli(rng, sigmoid_f(li));
            if (xs[i]) vec_add(a, p.W + (size_t)i * h, h);
        }
        /* END SOLUTION */
    }
}
//< order-complete
