/* made.c - chapter 7: MADE's masks, its one-pass forward and backward
 * and sampling, skipping the blocks the masks zero. Binary inputs once
 * more: the first layer adds the columns of the pixels that are on. */
#include "made.h"

#include <string.h>

#include "bernoulli.h"
#include "exercise.h"
#include "mathx.h"
#include "vec.h"

size_t made_scratch_floats(int d, int h) {
    return (size_t)d + 3 * (size_t)h;
}

void made_scratch_point(MadeScratch *sc, float *scratch, int n, int d,
                        int h) {
    sc->logit = scratch + (size_t)n * made_scratch_floats(d, h);
    sc->a = sc->logit + d;
    sc->u = sc->a + h;
    sc->du = sc->u + h;
}

size_t made_kept_weights(int d, int h) {
    EXERCISE_TODO("7.5");
}

void made_mask_blocks(MadeMask *mk, int d, int h) {
    EXERCISE_TODO("7.1");
}

void made_forward(double *nll, float *scratch, const uint8_t *x,
                  const float *params, const MadeMask *mk, int B, int d,
                  int h) {
    MadeParams p;
    nade_point(&p, (float *)params, d, h);
    for (int n = 0; n < B; n++) {
        const uint8_t *xn = x + (size_t)n * d; /* (d) pixels */
        MadeScratch sc;
        made_scratch_point(&sc, scratch, n, d, h);
        /* (d) logits; on return sigma(logit) - x, which backward and
         * the tests read; nll[n] = -log p(x_n) */
        float *logit = sc.logit;
        float *a = sc.a; /* (h) pre-activations, kept for backward */
        float *u = sc.u; /* (h) relu(a), kept for backward */
        EXERCISE_TODO("7.2");
    }
}

void made_backward(float *dparams, float *scratch, const uint8_t *x,
                   const float *params, const MadeMask *mk, int B,
                   int d, int h) {
    MadeParams p, dp;
    nade_point(&p, (float *)params, d, h);
    nade_point(&dp, dparams, d, h);
    for (int n = 0; n < B; n++) {
        const uint8_t *xn = x + (size_t)n * d;
        MadeScratch sc;
        made_scratch_point(&sc, scratch, n, d, h);
        /* add into dp, never assign: the loop sums images this way */
        const float *g = sc.logit; /* (d) dnll/dlogit, from forward */
        const float *a = sc.a;     /* (h) pre-activations */
        const float *u = sc.u;     /* (h) relu(a) */
        float *du = sc.du;         /* (h) dnll/du, then dnll/da */
        EXERCISE_TODO("7.3");
    }
}

void made_sample(uint8_t *x, float *scratch, const float *params,
                 const MadeMask *mk, int given, int n, int d, int h,
                 Rng *rng) {
    MadeParams p;
    nade_point(&p, (float *)params, d, h);
    float *a = scratch, *u = scratch + h; /* (h), (h) */
    for (int s = 0; s < n; s++) {
        uint8_t *xs = x + (size_t)s * d;
        EXERCISE_TODO("7.4");
    }
}
