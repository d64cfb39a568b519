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
    size_t per = nade_scratch_floats(d, h);
    for (int n = 0; n < B; n++) {
        const uint8_t *xn = x + (size_t)n * d; /* (d) pixels */
        float *logit = scratch + n * per;      /* (d) by pixel */
        float *a = logit + d;                  /* (h) activation */
        float *hid = a + h;                    /* (h) sigma(a) */
        EXERCISE_TODO("6.2");
    }
}

void nade_backward_order(float *dparams, float *scratch,
                         const uint8_t *x, const float *params,
                         const int *order, int B, int d, int h) {
    NadeParams p, dp;
    nade_point(&p, (float *)params, d, h);
    nade_point(&dp, dparams, d, h);
    size_t per = nade_scratch_floats(d, h);
    for (int n = 0; n < B; n++) {
        const uint8_t *xn = x + (size_t)n * d;
        const float *g = scratch + n * per; /* (d) dnll/dlogit */
        float *a = (float *)g + d;          /* (h) */
        float *hid = a + h;                 /* (h) */
        float *s = hid + h;                 /* (h) later deltas */
        float *u = s + h;                   /* (h) dnll/dh of a run */
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
