/* pixelcnn_tiled.c - see pixelcnn_tiled.h. */
#include "pixelcnn_tiled.h"

#include "contract.h" /* FMA contraction in this file */

#include <stdlib.h>
#include <string.h>

#include "bernoulli.h"
#include "lanes.h"
#include "parallel.h"
#include "pixelcnn.h"
#include "vec.h"

enum { P = 3, OB = 8 }; /* the border; output channels per block */

#define LOAD(p) (*(const v16 *)(p))
#define STORE(p, v) (*(v16 *)(p) = (v))

/* Plane k of one image's planes: x (1), z and h of each layer
 * ((L + 1) C each), dh and dz (C each), then the logits (d). */
static float *plane(const PcnnTiled *t, int th, size_t k) {
    return t->planes[th] + k * t->ps;
}
static float *zp(const PcnnTiled *t, int th, int l, int c) {
    return plane(t, th, 1 + (size_t)l * t->C + (size_t)c);
}
static float *hp(const PcnnTiled *t, int th, int l, int c) {
    return plane(t, th, 1 + (size_t)(t->L + 1 + l) * t->C + (size_t)c);
}
static float *dhp(const PcnnTiled *t, int th, int c) {
    return plane(t, th, 1 + 2 * (size_t)(t->L + 1) * t->C + (size_t)c);
}
static float *dzp(const PcnnTiled *t, int th, int c) {
    size_t k = 1 + (2 * (size_t)(t->L + 1) + 1) * t->C;
    return plane(t, th, k + (size_t)c);
}
static size_t n_planes(const PcnnTiled *t) {
    return 1 + (2 * (size_t)(t->L + 1) + 2) * (size_t)t->C;
}

void pcnn_tiled_free(PcnnTiled *t) {
    free(t->wf);
    free(t->wb);
    for (int k = 0; k < PARALLEL_MAX_THREADS; k++) free(t->planes[k]);
    memset(t, 0, sizeof *t);
}

int pcnn_tiled_init(PcnnTiled *t, int d, int C, int L, int T) {
    memset(t, 0, sizeof *t);
    int dy[49], dx[49];
    t->S = pixelcnn_side(d);
    if (!t->S || C < 1 || L < 0 || T < 1 || T > PARALLEL_MAX_THREADS)
        return -1;
    t->d = d, t->C = C, t->L = L, t->T = T;
    t->W = t->S + 2 * P;
    t->ta = pixelcnn_taps(PIXELCNN_KA, 0, dy, dx);
    for (int k = 0; k < t->ta; k++) t->offa[k] = dy[k] * t->W + dx[k];
    t->tb = pixelcnn_taps(PIXELCNN_KB, 1, dy, dx);
    for (int k = 0; k < t->tb; k++) t->offb[k] = dy[k] * t->W + dx[k];
    t->a = P * t->W + P;
    t->n = (t->S - 1) * t->W + t->S;
    t->n16 = (t->n + 15) / 16 * 16;
    /* slack: a span rounded up, read at -off (backward) */
    t->ps = (size_t)t->W * t->W + 16 + (size_t)t->W + 1;
    t->cp = (C + OB - 1) / OB * OB;
    size_t per = (size_t)C * t->tb * t->cp; /* one layer, repacked */
    size_t wsize = (size_t)t->ta * t->cp + (size_t)L * per + 1;
    t->wf = calloc(wsize, sizeof *t->wf);
    t->wb = calloc(wsize, sizeof *t->wb);
    int bad = !t->wf || !t->wb;
    for (int k = 0; k < T && !bad; k++)
        bad = !(t->planes[k] = calloc(n_planes(t) * t->ps + (size_t)d,
                                      sizeof(float)));
    if (bad) {
        pcnn_tiled_free(t);
        return -1;
    }
    return 0;
}

/* Layer l's repacked weights (l = 0: the type-A layer): forward,
 * [in][tap][out] with out padded to cp; backward, [out][tap][in]. */
static float *wf_at(const PcnnTiled *t, int l) {
    return l ? t->wf + (size_t)t->ta * t->cp +
                   (size_t)(l - 1) * t->C * t->tb * t->cp
             : t->wf;
}
static float *wb_at(const PcnnTiled *t, int l) {
    return t->wb + (size_t)(l - 1) * t->C * t->tb * t->cp;
}

static void repack(PcnnTiled *t, const PixelcnnParams *p) {
    int C = t->C, ta = t->ta, tb = t->tb, cp = t->cp;
    for (int c = 0; c < C; c++)
        for (int k = 0; k < ta; k++)
            t->wf[(size_t)k * cp + c] = p->W0[(size_t)c * ta + k];
    size_t layer = (size_t)C * C * tb + C;
    for (int l = 1; l <= t->L; l++) {
        const float *W = p->W + (size_t)(l - 1) * layer;
        float *f = wf_at(t, l), *b = wb_at(t, l);
        for (int c = 0; c < C; c++)
            for (int c2 = 0; c2 < C; c2++)
                for (int k = 0; k < tb; k++) {
                    float w = W[((size_t)c * C + c2) * tb + k];
                    f[((size_t)c2 * tb + k) * cp + c] = w;
                    b[((size_t)c * tb + k) * cp + c2] = w;
                }
    }
}

//> pixelcnn-tiled-conv
/* out[c][k], for the nout <= OB channels of one block and k over the
 * span (16 at a time): (bias ? bias[c] : out[c][k]) plus the sum over
 * i < nin and the taps q of w[(i ntap + q) cp + c] in[i][k + off[q]].
 * Planes are ps floats apart. */
MULTIVERSION
static void conv(float *out, int nout, const float *bias,
                 const float *in, int nin, const int *off, int ntap,
                 const float *w, const PcnnTiled *t) {
    size_t ps = t->ps;
    for (int k = t->a; k < t->a + t->n16; k += 16) {
        v16 acc[OB];
        for (int c = 0; c < OB; c++) {
            if (c >= nout) acc[c] = (v16){0};
            else if (bias) acc[c] = (v16){0} + bias[c];
            else acc[c] = LOAD(out + c * ps + k);
        }
        for (int i = 0; i < nin; i++)
            for (int q = 0; q < ntap; q++) {
                v16 v = LOAD(in + i * ps + k + off[q]);
                const float *wr = w + ((size_t)i * ntap + q) * t->cp;
                for (int c = 0; c < OB; c++) acc[c] += wr[c] * v;
            }
        for (int c = 0; c < nout; c++) STORE(out + c * ps + k, acc[c]);
    }
}
//< pixelcnn-tiled-conv

static float hsum(const v16 *v) {
    float s = 0;
    for (int k = 0; k < 16; k++) s += (*v)[k];
    return s;
}

/* dw[(c nin + i) ntap + tap] += sum over the span of dz[c][k] in[i][k +
 * off[tap]], for c < nout, i < nin: 4 x 4 dot products at once. */
MULTIVERSION
static void dweights(float *dw, const float *dz, int nout,
                     const float *in, int nin, const int *off, int ntap,
                     const PcnnTiled *t) {
    size_t ps = t->ps;
    int pairs = nin * ntap;
    for (int c0 = 0; c0 < nout; c0 += 4)
        for (int j0 = 0; j0 < pairs; j0 += 4) {
            const float *r[4], *s[4];
            for (int u = 0; u < 4; u++) {
                int c = c0 + u < nout ? c0 + u : c0;
                int j = j0 + u < pairs ? j0 + u : j0;
                r[u] = dz + c * ps;
                s[u] = in + (j / ntap) * ps + off[j % ntap];
            }
            v16 acc[4][4] = {{{0}}};
            for (int k = t->a; k < t->a + t->n16; k += 16) {
                v16 x[4], y[4];
                for (int u = 0; u < 4; u++) x[u] = LOAD(r[u] + k);
                for (int u = 0; u < 4; u++) y[u] = LOAD(s[u] + k);
                for (int u = 0; u < 4; u++)
                    for (int v = 0; v < 4; v++)
                        acc[u][v] += x[u] * y[v];
            }
            for (int u = 0; u < 4 && c0 + u < nout; u++)
                for (int v = 0; v < 4 && j0 + v < pairs; v++)
                    dw[(size_t)(c0 + u) * pairs + j0 + v] +=
                        hsum(&acc[u][v]);
        }
}

/* Zero what a span wrote outside the image: the border columns between
 * rows, and the rounding past the last pixel. */
static void clean(float *pl, const PcnnTiled *t) {
    for (int y = 0; y < t->S; y++) {
        float *row = pl + (size_t)(P + y) * t->W;
        memset(row, 0, P * sizeof *row);
        memset(row + P + t->S, 0, P * sizeof *row);
    }
    memset(pl + t->a + t->n, 0, (size_t)(t->n16 - t->n) * sizeof *pl);
}

static size_t at_pixel(const PcnnTiled *t, int i) {
    return (size_t)(P + i / t->S) * t->W + P + i % t->S;
}

/* One image on thread th: every layer, the logits and nll; with dp,
 * the gradient added into dp. */
static double image(const PcnnTiled *t, int th, const PixelcnnParams *p,
                    PixelcnnParams *dp, const uint8_t *x) {
    int C = t->C, L = t->L, d = t->d, tb = t->tb;
    size_t layer = (size_t)C * C * tb + C;
    float *xp = plane(t, th, 0);
    float *logit = plane(t, th, n_planes(t));
    for (int i = 0; i < d; i++) xp[at_pixel(t, i)] = x[i];
    for (int l = 0; l <= L; l++) {
        const float *bl = l ? p->b + (size_t)(l - 1) * layer : p->b0;
        for (int c0 = 0; c0 < C; c0 += OB) {
            int nb = C - c0 < OB ? C - c0 : OB;
            if (l == 0)
                conv(zp(t, th, 0, c0), nb, bl + c0, xp, 1, t->offa,
                     t->ta, wf_at(t, 0) + c0, t);
            else
                conv(zp(t, th, l, c0), nb, bl + c0, hp(t, th, l - 1, 0),
                     C, t->offb, tb, wf_at(t, l) + c0, t);
        }
        for (int c = 0; c < C; c++) {
            float *z = zp(t, th, l, c), *h = hp(t, th, l, c);
            const float *prev = l ? hp(t, th, l - 1, c) : NULL;
            clean(z, t);
            for (int k = t->a; k < t->a + t->n; k++) {
                float r = z[k] > 0 ? z[k] : 0;
                h[k] = prev ? prev[k] + r : r;
            }
        }
    }
    for (int i = 0; i < d; i++) logit[i] = p->bo[0];
    for (int c = 0; c < C; c++) {
        const float *h = hp(t, th, L, c);
        for (int i = 0; i < d; i++)
            logit[i] += p->wo[c] * h[at_pixel(t, i)];
    }
    double nll = bernoulli_nll(logit, logit, x, d);
    if (!dp) {
        for (int i = 0; i < d; i++) xp[at_pixel(t, i)] = 0;
        return nll;
    }
    /* backward: logit now holds sigma - x */
    double sbo = 0;
    for (int i = 0; i < d; i++) sbo += logit[i];
    dp->bo[0] += (float)sbo;
    for (int c = 0; c < C; c++) {
        const float *h = hp(t, th, L, c);
        float *dh = dhp(t, th, c);
        double s = 0;
        for (int i = 0; i < d; i++) {
            size_t q = at_pixel(t, i);
            s += logit[i] * h[q];
            dh[q] = logit[i] * p->wo[c];
        }
        dp->wo[c] += (float)s;
    }
    for (int l = L; l >= 0; l--) {
        for (int c = 0; c < C; c++) {
            const float *z = zp(t, th, l, c), *dh = dhp(t, th, c);
            float *dz = dzp(t, th, c);
            double sb = 0;
            for (int k = t->a; k < t->a + t->n; k++) {
                dz[k] = z[k] > 0 ? dh[k] : 0;
                sb += dz[k];
            }
            float *db = l ? dp->b + (size_t)(l - 1) * layer : dp->b0;
            db[c] += (float)sb;
        }
        if (l == 0) {
            dweights(dp->W0, dzp(t, th, 0), C, xp, 1, t->offa, t->ta,
                     t);
            break;
        }
        dweights(dp->W + (size_t)(l - 1) * layer, dzp(t, th, 0), C,
                 hp(t, th, l - 1, 0), C, t->offb, tb, t);
        /* dh_{l-1} = dh_l + the transposed convolution of dz_l: reads
         * dz at k - off, below and right of k */
        int back[9];
        for (int q = 0; q < tb; q++) back[q] = -t->offb[q];
        for (int c0 = 0; c0 < C; c0 += OB) {
            int nb = C - c0 < OB ? C - c0 : OB;
            conv(dhp(t, th, c0), nb, NULL, dzp(t, th, 0), C, back, tb,
                 wb_at(t, l) + c0, t);
        }
        for (int c = 0; c < C; c++) clean(dhp(t, th, c), t);
    }
    for (int i = 0; i < d; i++) xp[at_pixel(t, i)] = 0;
    return nll;
}

typedef struct {
    const PcnnTiled *t;
    float **grads;
    const float *params;
    const uint8_t *x;
    double *nll;
    int B;
} Job;

static void job(void *ctx, int th) {
    Job *j = ctx;
    const PcnnTiled *t = j->t;
    PixelcnnParams p, dp;
    pixelcnn_point(&p, (float *)j->params, t->C, t->L);
    if (j->grads) pixelcnn_point(&dp, j->grads[th], t->C, t->L);
    int lo, hi;
    parallel_share(j->B, t->T, th, &lo, &hi);
    for (int n = lo; n < hi; n++)
        j->nll[n] = image(t, th, &p, j->grads ? &dp : NULL,
                          j->x + (size_t)n * t->d);
}

double pcnn_tiled_forward_backward(PcnnTiled *t, float **grads,
                                   const float *params,
                                   const uint8_t *x, int B,
                                   double *nll) {
    PixelcnnParams p;
    pixelcnn_point(&p, (float *)params, t->C, t->L);
    repack(t, &p);
    Job j = {t, grads, params, x, nll, B};
    parallel_for(t->T, job, &j);
    double sum = 0;
    for (int n = 0; n < B; n++) sum += nll[n];
    return sum;
}
