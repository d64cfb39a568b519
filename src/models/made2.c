/* made2.c - see made2.h: MADE's second hidden layer, the blocks of its
 * masks skipped as in the exercises' one-layer passes. */
#include "made2.h"

#include <string.h>

#include "bernoulli.h"
#include "mathx.h"
#include "vec.h"

void made2_point(Made2Params *p, float *params, int d, int h, int h2) {
    size_t D = (size_t)d, H = (size_t)h, H2 = (size_t)h2;
    p->W = params;
    p->c = p->W + D * H;
    p->W2 = p->c + H;
    p->c2 = p->W2 + H2 * H;
    p->V = p->c2 + H2;
    p->b = p->V + D * H2;
}

size_t made2_num_params(int d, int h, int h2) {
    size_t D = (size_t)d, H = (size_t)h, H2 = (size_t)h2;
    return D * H + H + H2 * H + H2 + D * H2 + D;
}

size_t made2_scratch_floats(int d, int h, int h2) {
    return (size_t)d + 3 * (size_t)h + 3 * (size_t)h2;
}

//> made2-blocks
void made2_layer_blocks(MadeLayer2 *l2, const MadeMask *mk, int d,
                        int h, int h2) {
    /* M2_{k',k} = [n_k' >= m_k]: the units with m_k <= n_k' */
    for (int k2 = 0, k = 0; k2 < h2; k2++) {
        while (k < h && mk->deg[k] <= l2->deg[k2]) k++;
        l2->cut[k2] = k;
    }
    /* M'_{i,k'} = [pos_i > n_k']: the units with n_k' < pos_i */
    for (int i = 0; i < d; i++) {
        int k2 = 0;
        while (k2 < h2 && l2->deg[k2] < mk->pos[i]) k2++;
        l2->out[i] = k2;
    }
}
//< made2-blocks

typedef struct {
    float *logit, *a, *u, *du, *a2, *u2, *du2;
} Scratch2;

static void scratch2(Scratch2 *s, float *scratch, int n, int d, int h,
                     int h2) {
    s->logit = scratch + (size_t)n * made2_scratch_floats(d, h, h2);
    s->a = s->logit + d;
    s->u = s->a + h;
    s->du = s->u + h;
    s->a2 = s->du + h;
    s->u2 = s->a2 + h2;
    s->du2 = s->u2 + h2;
}

static void relu(float *u, const float *a, int n) {
    for (int k = 0; k < n; k++) u[k] = a[k] > 0 ? a[k] : 0;
}

//> made2-forward
void made2_forward(double *nll, float *scratch, const uint8_t *x,
                   const float *params, const MadeMask *mk,
                   const MadeLayer2 *l2, int B, int d, int h, int h2) {
    Made2Params p;
    made2_point(&p, (float *)params, d, h, h2);
    for (int n = 0; n < B; n++) {
        const uint8_t *xn = x + (size_t)n * d;
        Scratch2 s;
        scratch2(&s, scratch, n, d, h, h2);
        /* the first layer as in exercise 7.2 */
        memcpy(s.a, p.c, (size_t)h * sizeof *s.a);
        for (int j = 0; j < d; j++)
            if (xn[j]) {
                int k0 = mk->cut[j];
                vec_add(s.a + k0, p.W + (size_t)j * h + k0, h - k0);
            }
        relu(s.u, s.a, h);
        /* a2_k' = c2_k' + W2_{k',<cut} . u_{<cut}: a prefix of u */
        for (int k2 = 0; k2 < h2; k2++)
            s.a2[k2] = p.c2[k2] + (float)vec_dot(p.W2 + (size_t)k2 * h,
                                                 s.u, l2->cut[k2]);
        relu(s.u2, s.a2, h2);
        for (int i = 0; i < d; i++)
            s.logit[i] = p.b[i] + (float)vec_dot(p.V + (size_t)i * h2,
                                                 s.u2, l2->out[i]);
        nll[n] = bernoulli_nll(s.logit, s.logit, xn, d);
    }
}
//< made2-forward

//> made2-backward
void made2_backward(float *dparams, float *scratch, const uint8_t *x,
                    const float *params, const MadeMask *mk,
                    const MadeLayer2 *l2, int B, int d, int h, int h2) {
    Made2Params p, dp;
    made2_point(&p, (float *)params, d, h, h2);
    made2_point(&dp, dparams, d, h, h2);
    for (int n = 0; n < B; n++) {
        const uint8_t *xn = x + (size_t)n * d;
        Scratch2 s;
        scratch2(&s, scratch, n, d, h, h2);
        const float *g = s.logit; /* dnll/dlogit, from forward */
        /* forward was: logit_i = b_i + V_{i,<out} . u2_{<out} */
        memset(s.du2, 0, (size_t)h2 * sizeof *s.du2);
        for (int i = 0; i < d; i++) {
            int o = l2->out[i];
            dp.b[i] += g[i];
            vec_axpy(dp.V + (size_t)i * h2, g[i], s.u2, o);
            vec_axpy(s.du2, g[i], p.V + (size_t)i * h2, o);
        }
        /* forward was: u2 = relu(a2) */
        for (int k2 = 0; k2 < h2; k2++)
            if (!(s.a2[k2] > 0)) s.du2[k2] = 0;
        vec_add(dp.c2, s.du2, h2);
        /* forward was: a2_k' = c2_k' + W2_{k',<cut} . u_{<cut} */
        memset(s.du, 0, (size_t)h * sizeof *s.du);
        for (int k2 = 0; k2 < h2; k2++) {
            int q = l2->cut[k2];
            vec_axpy(dp.W2 + (size_t)k2 * h, s.du2[k2], s.u, q);
            vec_axpy(s.du, s.du2[k2], p.W2 + (size_t)k2 * h, q);
        }
        /* forward was: u = relu(a), a += W_{k0:,j} for every j on */
        for (int k = 0; k < h; k++)
            if (!(s.a[k] > 0)) s.du[k] = 0;
        vec_add(dp.c, s.du, h);
        for (int j = 0; j < d; j++)
            if (xn[j]) {
                int k0 = mk->cut[j];
                vec_add(dp.W + (size_t)j * h + k0, s.du + k0, h - k0);
            }
    }
}
//< made2-backward

//> made2-sample
void made2_sample(uint8_t *x, float *scratch, const float *params,
                  const MadeMask *mk, const MadeLayer2 *l2, int given,
                  int n, int d, int h, int h2, Rng *rng) {
    Made2Params p;
    made2_point(&p, (float *)params, d, h, h2);
    float *a = scratch, *u = a + h, *u2 = u + h; /* (h), (h), (h2) */
    for (int s = 0; s < n; s++) {
        uint8_t *xs = x + (size_t)s * d;
        memcpy(a, p.c, (size_t)h * sizeof *a);
        int done = 0; /* second-layer units computed so far */
        for (int t = 0; t < d; t++) {
            int i = mk->order[t]; /* the pixel at place t + 1 */
            /* unit k' (degree n_k' < t + 1) sees places <= n_k' only,
             * all drawn by now: it is computed once, when first read,
             * so a sample costs one forward pass */
            for (; done < l2->out[i]; done++) {
                int q = l2->cut[done];
                relu(u, a, q); /* units with m_k <= n_k': final too */
                float v = p.c2[done] +
                          (float)vec_dot(p.W2 + (size_t)done * h, u, q);
                u2[done] = v > 0 ? v : 0;
            }
            if (t >= given) {
                float li = p.b[i] + (float)vec_dot(p.V + (size_t)i * h2,
                                                   u2, l2->out[i]);
                xs[i] = (uint8_t)rng_bernoulli(rng, sigmoid_f(li));
            }
            if (xs[i]) {
                int k0 = mk->cut[i];
                vec_add(a + k0, p.W + (size_t)i * h + k0, h - k0);
            }
        }
    }
}
//< made2-sample
