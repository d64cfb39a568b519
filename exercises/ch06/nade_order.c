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
        EXERCISE_TODO("6.2");
    }
}

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
        EXERCISE_TODO("6.3");
    }
}

void nade_complete_order(uint8_t *x, float *scratch,
                         const float *params, const int *order,
                         int given, int n, int d, int h, Rng *rng) {
    NadeParams p;
    nade_point(&p, (float *)params, d, h);
    float *a = scratch, *hid = scratch + h; /* (h), (h) */
    for (int s = 0; s < n; s++) {
        uint8_t *xs = x + (size_t)s * d;
        EXERCISE_TODO("6.4");
    }
}
