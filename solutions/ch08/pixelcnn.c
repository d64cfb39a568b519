/* pixelcnn.c - chapter 8: the PixelCNN's masks (exercise 8.1), its
 * forward pass (8.2), backward pass (8.3), sampler (8.4) and the size
 * of its receptive field (8.5); see pixelcnn.h.
 *
 * Every plane of activations is stored with a border of P = 3 zeros on
 * each side, (S + 6)^2 floats, so that a tap (dy, dx) is a fixed offset
 * dy (S + 6) + dx into it: one convolution tap over the whole image is
 * one vec_axpy over the interior rows. The border columns it writes on
 * the way are zeroed again after each layer. */
#include "pixelcnn.h"

#include <math.h>
#include <string.h>

#include "bernoulli.h"
#include "exercise.h"
#include "mathx.h"
#include "vec.h"

enum { P = 3, MAX_TAPS = PIXELCNN_KA * PIXELCNN_KA };

//> pixelcnn-taps
int pixelcnn_taps(int k, int type_b, int *dy, int *dx) {
    int n = 0, r = k / 2; /* offsets -r..r around the centre (0, 0) */
    /* BEGIN SOLUTION 8.1 */
    for (int y = -r; y <= 0; y++) /* rows above, then the centre's */
        for (int x = -r; x <= r; x++)
            if (y < 0 || x < 0 || (x == 0 && type_b)) {
                dy[n] = y;
                dx[n] = x;
                n++;
            }
    /* END SOLUTION */
    return n;
}
//< pixelcnn-taps

int pixelcnn_field_size(int L) {
    /* BEGIN SOLUTION 8.5 */
    /* row 0: 3 + L to the left; row -r (r = 1 .. 3 + L): columns
     * -(3 + L) .. 3 + min(r - 1, L) */
    int reach = 3 + L, n = reach;
    for (int r = 1; r <= reach; r++)
        n += reach + 1 + 3 + (r - 1 < L ? r - 1 : L);
    return n;
    /* END SOLUTION */
}

int pixelcnn_side(int d) {
    int s = (int)lround(sqrt((double)d));
    return s > 0 && s * s == d ? s : 0;
}

/* The geometry of one image and the taps of both masks. */
typedef struct {
    int S, W, PS; /* side, padded width, padded plane */
    int ta, tb;   /* taps of type A and B */
    int offa[MAX_TAPS], offb[MAX_TAPS]; /* as plane offsets */
} Geo;

static void geo(Geo *g, int d) {
    int dy[MAX_TAPS], dx[MAX_TAPS];
    g->S = pixelcnn_side(d);
    g->W = g->S + 2 * P;
    g->PS = g->W * g->W;
    g->ta = pixelcnn_taps(PIXELCNN_KA, 0, dy, dx);
    for (int t = 0; t < g->ta; t++) g->offa[t] = dy[t] * g->W + dx[t];
    g->tb = pixelcnn_taps(PIXELCNN_KB, 1, dy, dx);
    for (int t = 0; t < g->tb; t++) g->offb[t] = dy[t] * g->W + dx[t];
}

static int taps_a(void) {
    int dy[MAX_TAPS], dx[MAX_TAPS];
    return pixelcnn_taps(PIXELCNN_KA, 0, dy, dx);
}
static int taps_b(void) {
    int dy[MAX_TAPS], dx[MAX_TAPS];
    return pixelcnn_taps(PIXELCNN_KB, 1, dy, dx);
}

size_t pixelcnn_num_params(int d, int C, int L) {
    (void)d; /* independent of the image's size */
    size_t c = (size_t)C;
    return c * (size_t)taps_a() + c +
           (size_t)L * (c * c * (size_t)taps_b() + c) + c + 1;
}

void pixelcnn_point(PixelcnnParams *p, float *params, int C, int L) {
    size_t c = (size_t)C, la = c * (size_t)taps_b() * c;
    p->W0 = params;
    p->b0 = p->W0 + c * (size_t)taps_a();
    p->W = p->b0 + c; /* layer l's W at W + (l-1) (la + c) */
    p->b = p->W + la; /* and its b at b + (l-1) (la + c) */
    p->wo = p->W + (size_t)L * (la + c);
    p->bo = p->wo + c;
}

/* Per image: the input plane, z and h of every layer (L + 1 of each),
 * two planes of gradient per channel, and the d logits. */
size_t pixelcnn_scratch_floats(int d, int C, int L) {
    Geo g;
    geo(&g, d);
    size_t planes = 1 + 2 * (size_t)C * ((size_t)L + 1) + 2 * (size_t)C;
    return planes * (size_t)g.PS + (size_t)d;
}

typedef struct {
    float *x;       /* (PS) the image, 0/1 */
    float *z, *h;   /* (L + 1) C planes each: layer l, channel c */
    float *dh, *dz; /* (C planes each) backward */
    float *logit;   /* (d) */
} Planes;

static void planes(Planes *q, float *scratch, int n, int d, int C,
                   int L, const Geo *g) {
    float *s = scratch + (size_t)n * pixelcnn_scratch_floats(d, C, L);
    size_t per = (size_t)C * ((size_t)L + 1) * (size_t)g->PS;
    q->x = s;
    q->z = s + g->PS;
    q->h = q->z + per;
    q->dh = q->h + per;
    q->dz = q->dh + (size_t)C * g->PS;
    q->logit = q->dz + (size_t)C * g->PS;
}

static float *plane(float *base, int l, int c, int C, const Geo *g) {
    return base + ((size_t)l * C + (size_t)c) * (size_t)g->PS;
}

/* The span of a plane from its first interior pixel to its last: the
 * taps read at most P rows and P columns before it, all inside. */
static size_t rows_at(const Geo *g) { return (size_t)P * g->W + P; }
static int rows_len(const Geo *g) { return (g->S - 1) * g->W + g->S; }

static void zero_border_columns(float *pl, const Geo *g) {
    for (int y = 0; y < g->S; y++) {
        float *row = pl + (size_t)(P + y) * g->W;
        memset(row, 0, P * sizeof *row);
        memset(row + P + g->S, 0, P * sizeof *row);
    }
}

static void fill(float *y, float v, int n) {
    for (int k = 0; k < n; k++) y[k] = v;
}

//> pixelcnn-forward
/* One image: every layer's z and h, and the logits. */
static void pixelcnn_forward_one(Planes *q, const uint8_t *x,
                                 const PixelcnnParams *p, int C, int L,
                                 const Geo *g) {
    size_t a = rows_at(g); /* z + a: the first interior pixel */
    int n = rows_len(g), S = g->S, ta = g->ta, tb = g->tb;
    memset(q->x, 0, (size_t)g->PS * sizeof *q->x);
    for (int i = 0; i < S * S; i++)
        q->x[(size_t)(P + i / S) * g->W + P + i % S] = x[i];
    for (int l = 0; l <= L; l++) {
        size_t lw = (size_t)(l - 1) * (C * C * tb + C); /* layer l's */
        /* W_l: [c][c2][t], W_0: [c][t] */
        const float *Wl = l ? p->W + lw : p->W0;
        const float *bl = l ? p->b + lw : p->b0;
        for (int c = 0; c < C; c++) {
            float *z = plane(q->z, l, c, C, g); /* (PS) padded planes */
            float *h = plane(q->h, l, c, C, g);
            const float *prev = l ? plane(q->h, l - 1, c, C, g) : NULL;
            memset(z, 0, (size_t)g->PS * sizeof *z);
            /* BEGIN SOLUTION 8.2 */
            /* z = b_l[c] + sum over inputs and kept taps of w . in,
             * one tap over the whole plane at a time */
            fill(z + a, bl[c], n);
            if (l == 0) {
                for (int t = 0; t < ta; t++)
                    vec_axpy(z + a, Wl[(size_t)c * ta + t],
                             q->x + a + g->offa[t], n);
            } else {
                for (int c2 = 0; c2 < C; c2++) {
                    const float *in = plane(q->h, l - 1, c2, C, g);
                    const float *w = Wl + ((size_t)c * C + c2) * tb;
                    for (int t = 0; t < tb; t++)
                        vec_axpy(z + a, w[t], in + a + g->offb[t], n);
                }
            }
            /* the span wrote the borders between rows: zero again */
            zero_border_columns(z, g);
            /* h_0 = relu(z_0); h_l = h_{l-1} + relu(z_l) */
            for (int k = 0; k < g->PS; k++) {
                float r = z[k] > 0 ? z[k] : 0;
                h[k] = prev ? prev[k] + r : r;
            }
            /* END SOLUTION */
        }
    }
    for (int i = 0; i < S * S; i++) {
        size_t at = (size_t)(P + i / S) * g->W + P + i % S;
        double s = p->bo[0];
        for (int c = 0; c < C; c++)
            s += p->wo[c] * plane(q->h, L, c, C, g)[at];
        q->logit[i] = (float)s;
    }
}
//< pixelcnn-forward

void pixelcnn_forward(double *nll, float *scratch, const uint8_t *x,
                      const float *params, int B, int d, int C, int L) {
    Geo g;
    geo(&g, d);
    PixelcnnParams p;
    pixelcnn_point(&p, (float *)params, C, L);
    for (int n = 0; n < B; n++) {
        Planes q;
        planes(&q, scratch, n, d, C, L, &g);
        const uint8_t *xn = x + (size_t)n * d;
        pixelcnn_forward_one(&q, xn, &p, C, L, &g);
        nll[n] = bernoulli_nll(q.logit, q.logit, xn, d);
    }
}

//> pixelcnn-backward
/* One image: add its gradient into dp; q holds forward's planes and
 * q->logit the gradient of the NLL by each logit, sigma - x. */
static void pixelcnn_backward_one(Planes *q, const PixelcnnParams *p,
                                  PixelcnnParams *dp, int C, int L,
                                  const Geo *g) {
    size_t a = rows_at(g), PS = (size_t)g->PS;
    size_t layer = (size_t)C * C * g->tb + C; /* one layer's W_l, b_l */
    int n = rows_len(g), S = g->S, ta = g->ta, tb = g->tb;
    const float *gr = q->logit; /* (d) dnll/dlogit */
    /* forward was: logit_i = b_o + w_o . h_L[:, i] */
    memset(q->dh, 0, (size_t)C * PS * sizeof *q->dh);
    double sbo = 0;
    for (int i = 0; i < S * S; i++) sbo += gr[i];
    dp->bo[0] += (float)sbo;
    for (int c = 0; c < C; c++) {
        const float *hL = plane(q->h, L, c, C, g);
        float *dh = q->dh + (size_t)c * PS;
        double s = 0;
        for (int i = 0; i < S * S; i++) {
            size_t at = (size_t)(P + i / S) * g->W + P + i % S;
            s += gr[i] * hL[at];
            dh[at] = gr[i] * p->wo[c];
        }
        dp->wo[c] += (float)s;
    }
    /* q->dh: (C planes) dnll/dh_L; q->dz: (C planes) for dnll/dz_l */
    for (int l = L; l >= 0; l--) {
        /* BEGIN SOLUTION 8.3 */
        /* forward was: h_l = h_{l-1} + relu(z_l) (l > 0), so dz =
         * dh [z > 0], and dh_{l-1} = dh + the conv of dz turned back */
        for (int c = 0; c < C; c++) {
            const float *z = plane(q->z, l, c, C, g);
            const float *dh = q->dh + (size_t)c * PS;
            float *dz = q->dz + (size_t)c * PS;
            for (size_t k = 0; k < PS; k++)
                dz[k] = z[k] > 0 ? dh[k] : 0;
        }
        size_t lw = (size_t)(l - 1) * layer; /* layer l's W_l, b_l */
        float *dW = l ? dp->W + lw : dp->W0;
        float *db = l ? dp->b + lw : dp->b0;
        const float *Wl = p->W + lw;
        for (int c = 0; c < C; c++) {
            const float *dz = q->dz + (size_t)c * PS + a;
            double sb = 0;
            for (int k = 0; k < n; k++) sb += dz[k];
            db[c] += (float)sb;
            if (l == 0) { /* forward was: z_0 += W_0[c][t] x[. + off] */
                for (int t = 0; t < ta; t++)
                    dW[(size_t)c * ta + t] +=
                        (float)vec_dot(dz, q->x + a + g->offa[t], n);
                continue;
            }
            for (int c2 = 0; c2 < C; c2++) {
                const float *in = plane(q->h, l - 1, c2, C, g) + a;
                float *dh2 = q->dh + (size_t)c2 * PS + a;
                size_t w = ((size_t)c * C + c2) * tb;
                for (int t = 0; t < tb; t++) {
                    /* forward was: z[k] += W_l[c][c2][t] in[k + off] */
                    int off = g->offb[t];
                    dW[w + t] += (float)vec_dot(dz, in + off, n);
                    vec_axpy(dh2 + off, Wl[w + t], dz, n);
                }
            }
        }
        /* END SOLUTION */
    }
}

void pixelcnn_backward(float *dparams, float *scratch, const uint8_t *x,
                       const float *params, int B, int d, int C,
                       int L) {
    (void)x; /* forward left all backward reads in the scratch */
    Geo g;
    geo(&g, d);
    PixelcnnParams p, dp;
    pixelcnn_point(&p, (float *)params, C, L);
    pixelcnn_point(&dp, dparams, C, L);
    for (int im = 0; im < B; im++) {
        Planes q;
        planes(&q, scratch, im, d, C, L, &g);
        pixelcnn_backward_one(&q, &p, &dp, C, L, &g);
    }
}
//< pixelcnn-backward

/* Backpropagation from one logit instead of the NLL: the backward pass
 * leaves dnll/dz_0 in q.dz, and x enters as z_0 += W_0[c][t] x[. +
 * off], so dx[. + off] += W_0[c][t] dz_0[c][.]. */
void pixelcnn_logit_grad(float *dx, float *dparams, float *scratch,
                         const uint8_t *x, const float *params, int i,
                         int d, int C, int L) {
    Geo g;
    geo(&g, d);
    PixelcnnParams p, dp;
    pixelcnn_point(&p, (float *)params, C, L);
    pixelcnn_point(&dp, dparams, C, L);
    Planes q;
    planes(&q, scratch, 0, d, C, L, &g);
    pixelcnn_forward_one(&q, x, &p, C, L, &g);
    memset(q.logit, 0, (size_t)d * sizeof *q.logit);
    q.logit[i] = 1; /* d logit_i / d logit */
    pixelcnn_backward_one(&q, &p, &dp, C, L, &g);
    /* dx in the padded plane q.x, then its interior */
    size_t a = rows_at(&g);
    int n = rows_len(&g), S = g.S;
    memset(q.x, 0, (size_t)g.PS * sizeof *q.x);
    for (int c = 0; c < C; c++)
        for (int t = 0; t < g.ta; t++)
            vec_axpy(q.x + a + g.offa[t], p.W0[(size_t)c * g.ta + t],
                     q.dz + (size_t)c * g.PS + a, n);
    for (int j = 0; j < d; j++)
        dx[j] = q.x[(size_t)(P + j / S) * g.W + P + j % S];
}

/* Sampling: an activation at pixel q depends only on the pixels before
 * q, so in raster order every layer at q is computed once, at q's step,
 * from values that are already final: a sample costs one pass. */
//> pixelcnn-sample
void pixelcnn_sample(uint8_t *x, float *scratch, const float *params,
                     int given, int n, int d, int C, int L, Rng *rng) {
    Geo g;
    geo(&g, d);
    PixelcnnParams p;
    pixelcnn_point(&p, (float *)params, C, L);
    int S = g.S, ta = g.ta, tb = g.tb;
    size_t PS = (size_t)g.PS, layer = (size_t)C * C * tb + C;
    Planes q;
    planes(&q, scratch, 0, d, C, L, &g);
    float in[MAX_TAPS * 64]; /* what one layer's taps read at a pixel */
    for (int s = 0; s < n; s++) {
        uint8_t *xs = x + (size_t)s * d;
        memset(q.x, 0, PS * sizeof *q.x);
        memset(q.h, 0, (size_t)C * (L + 1) * PS * sizeof *q.h);
        for (int i = 0; i < d; i++) {
            /* pixel i in the planes: h_l[c] at hq[(l C + c) PS] */
            size_t at = (size_t)(P + i / S) * g.W + P + i % S;
            float *hq = q.h + at;
            /* BEGIN SOLUTION 8.4 */
            /* layer 0 at pixel i reads x before i: all drawn */
            for (int t = 0; t < ta; t++) in[t] = q.x[at + g.offa[t]];
            for (int c = 0; c < C; c++) {
                double z =
                    p.b0[c] + vec_dot(p.W0 + (size_t)c * ta, in, ta);
                hq[c * PS] = z > 0 ? (float)z : 0;
            }
            for (int l = 1; l <= L; l++) {
                const float *Wl = p.W + (size_t)(l - 1) * layer;
                const float *bl = Wl + (size_t)C * C * tb;
                float *below = hq + (size_t)(l - 1) * C * PS;
                float *here = below + (size_t)C * PS;
                for (int c2 = 0; c2 < C; c2++)
                    for (int t = 0; t < tb; t++)
                        in[c2 * tb + t] = below[c2 * PS + g.offb[t]];
                for (int c = 0; c < C; c++) {
                    double z = bl[c] + vec_dot(Wl + (size_t)c * C * tb,
                                               in, C * tb);
                    float r = z > 0 ? (float)z : 0;
                    here[c * PS] = below[c * PS] + r;
                }
            }
            if (i >= given) { /* a given pixel stays */
                float *top = hq + (size_t)L * C * PS;
                double lo = p.bo[0];
                for (int c = 0; c < C; c++) lo += p.wo[c] * top[c * PS];
                float pi = sigmoid_f((float)lo);
                xs[i] = (uint8_t)rng_bernoulli(rng, pi);
            }
            q.x[at] = xs[i]; /* what the later pixels' taps read */
            /* END SOLUTION */
        }
    }
}
//< pixelcnn-sample
