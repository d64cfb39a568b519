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
    EXERCISE_TODO("5.4");
}

int nade_fvsbn_crossover(int h) {
    EXERCISE_TODO("5.5");
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
        EXERCISE_TODO("5.1");
    }
}

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
        EXERCISE_TODO("5.2");
    }
}

void nade_sample(uint8_t *x, float *scratch, const float *params, int n,
                 int d, int h, Rng *rng) {
    NadeParams p;
    nade_point(&p, (float *)params, d, h);
    float *a = scratch, *hid = scratch + h; /* (h), (h) */
    for (int s = 0; s < n; s++) {
        uint8_t *xs = x + (size_t)s * d;
        EXERCISE_TODO("5.3");
    }
}
