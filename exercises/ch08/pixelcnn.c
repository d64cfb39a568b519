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

int pixelcnn_taps(int k, int type_b, int *dy, int *dx) {
    int n = 0, r = k / 2; /* offsets -r..r around the centre (0, 0) */
    EXERCISE_TODO("8.1");
    return n;
}

int pixelcnn_field_size(int L) {
    EXERCISE_TODO("8.5");
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
            EXERCISE_TODO("8.2");
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
        EXERCISE_TODO("8.3");
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
            EXERCISE_TODO("8.4");
        }
    }
}
