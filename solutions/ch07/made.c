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
    /* BEGIN SOLUTION 7.5 */
    /* unit k keeps m_k inputs (pos_j <= m_k) and d - m_k outputs
     * (pos_i > m_k): d weights, whatever m_k and the order */
    return (size_t)d * (size_t)h;
    /* END SOLUTION */
}

//> made-blocks
void made_mask_blocks(MadeMask *mk, int d, int h) {
    /* BEGIN SOLUTION 7.1 */
    for (int j = 0; j < d; j++) {
        /* M_{k,j} = [m_k >= pos_j]: with the degrees nondecreasing,
         * the units that see input j are a suffix, from the first
         * with m_k >= pos_j; M'_{j,k} = [pos_j > m_k]: output j reads
         * the units before it, the complement */
        int k = 0;
        while (k < h && mk->deg[k] < mk->pos[j]) k++;
        mk->cut[j] = k;
    }
    /* END SOLUTION */
}
//< made-blocks

//> made-forward
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
        /* BEGIN SOLUTION 7.2 */
        /* a = c + (M .* W) x: the columns of the pixels that are on,
         * each from the first unit that may see it */
        memcpy(a, p.c, (size_t)h * sizeof *a);
        for (int j = 0; j < d; j++)
            if (xn[j]) {
                int k0 = mk->cut[j];
                vec_add(a + k0, p.W + (size_t)j * h + k0, h - k0);
            }
        for (int k = 0; k < h; k++) u[k] = a[k] > 0 ? a[k] : 0;
        /* logit_i = b_i + (M' .* V)_{i,:} u: the units before cut[i] */
        for (int i = 0; i < d; i++)
            logit[i] = p.b[i] + (float)vec_dot(p.V + (size_t)i * h, u,
                                               mk->cut[i]);
        nll[n] = bernoulli_nll(logit, logit, xn, d);
        /* END SOLUTION */
    }
}
//< made-forward

//> made-backward
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
        /* BEGIN SOLUTION 7.3 */
        memset(du, 0, (size_t)h * sizeof *du);
        for (int i = 0; i < d; i++) {
            /* forward was: logit_i = b_i + V_{i,<s} . u_{<s} */
            int s = mk->cut[i];
            dp.b[i] += g[i];
            vec_axpy(dp.V + (size_t)i * h, g[i], u, s);
            vec_axpy(du, g[i], p.V + (size_t)i * h, s);
        }
        /* forward was: u = relu(a), so da = du where a > 0 */
        for (int k = 0; k < h; k++)
            if (!(a[k] > 0)) du[k] = 0;
        vec_add(dp.c, du, h);
        /* forward was: a += W_{k0:,j} for every pixel j that is on */
        for (int j = 0; j < d; j++)
            if (xn[j]) {
                int k0 = mk->cut[j];
                vec_add(dp.W + (size_t)j * h + k0, du + k0, h - k0);
            }
        /* END SOLUTION */
    }
}
//< made-backward

//> made-sample
void made_sample(uint8_t *x, float *scratch, const float *params,
                 const MadeMask *mk, int given, int n, int d, int h,
                 Rng *rng) {
    MadeParams p;
    nade_point(&p, (float *)params, d, h);
    float *a = scratch, *u = scratch + h; /* (h), (h) */
    for (int s = 0; s < n; s++) {
        uint8_t *xs = x + (size_t)s * d;
        /* BEGIN SOLUTION 7.4 */
        memcpy(a, p.c, (size_t)h * sizeof *a);
        for (int t = 0; t < d; t++) {
            int i = mk->order[t]; /* the pixel at place t + 1 */
            if (t >= given) {     /* a given pixel stays */
                /* u = relu(a) over the units output i reads */
                int sn = mk->cut[i];
                for (int k = 0; k < sn; k++) u[k] = a[k] > 0 ? a[k] : 0;
                float li =
                    p.b[i] + (float)vec_dot(p.V + (size_t)i * h, u, sn);
                xs[i] = (uint8_t)rng_bernoulli(rng, sigmoid_f(li));
            }
            /* the first layer is linear: a drawn pixel adds its column
             * once, so the d conditionals cost O(d h), as NADE's */
            if (xs[i]) {
                int k0 = mk->cut[i];
                vec_add(a + k0, p.W + (size_t)i * h + k0, h - k0);
            }
        }
        /* END SOLUTION */
    }
}
//< made-sample
