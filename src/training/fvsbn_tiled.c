/* fvsbn_tiled.c - see fvsbn_tiled.h. */
#include "fvsbn_tiled.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "bernoulli.h"
#include "fvsbn.h"
#include "lanes.h"
#include "optim.h"
#include "parallel.h"
#include "vec.h"

enum { R = FVSBN_TILE }; /* rows per band */

static int band_end(const FvsbnTiled *t, int k) {
    return (k + 1) * R < t->d ? (k + 1) * R : t->d;
}

static size_t band_size(const FvsbnTiled *t, int k) {
    return (size_t)(1 + band_end(t, k)) * R;
}

int fvsbn_tiled_init(FvsbnTiled *t, int d, int max_batch) {
    memset(t, 0, sizeof *t);
    t->d = d;
    t->bands = (d + R - 1) / R;
    size_t bands = (size_t)t->bands, B = (size_t)max_batch;
    t->band_start = malloc(bands * sizeof *t->band_start);
    t->on = malloc(B * (size_t)d * sizeof *t->on);
    t->on_n = malloc(B * sizeof *t->on_n);
    t->by = malloc(B * (size_t)d * sizeof *t->by);
    t->by_n = malloc((size_t)d * sizeof *t->by_n);
    t->part = malloc(bands * B * sizeof *t->part);
    t->delta = aligned_alloc(64, bands * B * R * sizeof *t->delta);
    if (!t->band_start || !t->on || !t->on_n || !t->by || !t->by_n ||
        !t->part || !t->delta) {
        fvsbn_tiled_free(t);
        return -1;
    }
    /* band k: a bias segment, then one segment per column c < r1 */
    for (int k = 0; k < t->bands; k++) {
        t->band_start[k] = t->n;
        t->n += band_size(t, k);
    }
    return 0;
}

void fvsbn_tiled_free(FvsbnTiled *t) {
    free(t->band_start);
    free(t->on);
    free(t->on_n);
    free(t->by);
    free(t->by_n);
    free(t->part);
    free(t->delta);
    memset(t, 0, sizeof *t);
}

/* Copy between the layouts: to_packed 1 packs, 0 unpacks. */
static void convert(const FvsbnTiled *t, float *packed, float *flat,
                    int to_packed) {
    int d = t->d;
    for (int k = 0; k < t->bands; k++) {
        int r0 = k * R, r1 = band_end(t, k);
        float *seg = packed + t->band_start[k];
        if (to_packed) memset(seg, 0, band_size(t, k) * sizeof *seg);
        for (int r = r0; r < r1; r++) { /* biases */
            if (to_packed) seg[r - r0] = flat[r];
            else flat[r] = seg[r - r0];
        }
        for (int c = 0; c < r1; c++) { /* w_rc, r > c */
            float *s = seg + (size_t)(1 + c) * R;
            float *col = flat + d + fvsbn_col(c, d); /* row c + 1 on */
            for (int r = (c + 1 > r0 ? c + 1 : r0); r < r1; r++) {
                if (to_packed) s[r - r0] = col[r - c - 1];
                else col[r - c - 1] = s[r - r0];
            }
        }
    }
}

void fvsbn_tiled_pack(const FvsbnTiled *t, float *packed,
                      const float *flat) {
    convert(t, packed, (float *)flat, 1);
}

void fvsbn_tiled_unpack(const FvsbnTiled *t, float *flat,
                        const float *packed) {
    convert(t, (float *)packed, flat, 0);
}

typedef struct {
    FvsbnTiled *t;
    const uint8_t *x;
    int B, T;
} IndexJob;

/* The pixels on of my share of the images, image n's at on + n d (for
 * the forward pass). No branch on the pixel values: an unpredictable
 * branch per pixel costs more than the rest of this function. */
static void index_task(void *ctx, int th) {
    const IndexJob *job = ctx;
    FvsbnTiled *t = job->t;
    int d = t->d, lo, hi;
    parallel_share(job->B, job->T, th, &lo, &hi);
    for (int n = lo; n < hi; n++) {
        const uint8_t *xn = job->x + (size_t)n * d;
        int *on = t->on + (size_t)n * d, k = 0;
        for (int j = 0; j < d; j++) {
            on[k] = j;
            k += xn[j] != 0;
        }
        t->on_n[n] = k;
    }
}

/* The batch's pixels that are on, twice: per image, by the threads,
 * then per pixel (for the backward pass), the images in order: pixel
 * j's at by + j B, from the images' lists. */
static void index_batch(FvsbnTiled *t, const uint8_t *x, int B, int T) {
    IndexJob ix = {t, x, B, T < 1 ? 1 : T > B ? (B > 0 ? B : 1) : T};
    parallel_for(ix.T, index_task, &ix);
    memset(t->by_n, 0, (size_t)t->d * sizeof *t->by_n);
    for (int n = 0; n < B; n++) {
        const int *on = t->on + (size_t)n * t->d;
        for (int q = 0; q < t->on_n[n]; q++) {
            int j = on[q];
            t->by[(size_t)j * B + t->by_n[j]++] = n;
        }
    }
}

typedef struct {
    FvsbnTiled *t;
    float *grad;
    const uint8_t *x;
    float *packed;
    int B;
    const Optimizer
        *o; /* update each band when its gradient is known */
    float scale;
    atomic_int next; /* bands handed out so far */
} Job;

//> tiled-band
/* Band k, rows [r0, r1): forward, output layer and backward for the
 * whole batch, in nv vectors of 16 rows: 4, or fewer for a last band
 * short of 64 rows, whose padding rows are then never computed. nv is
 * a constant where this is called, so the sums stay in registers. */
static inline __attribute__((always_inline)) void
band_rows(Job *job, int k, int nv) {
    FvsbnTiled *t = job->t;
    int d = t->d, B = job->B;
    int r0 = k * R, r1 = band_end(t, k), rn = r1 - r0;
    const v16 *w = (const v16 *)(job->packed + t->band_start[k]);
    v16 *dw = (v16 *)(job->grad + t->band_start[k]);
    float *delta = t->delta + (size_t)k * B * R; /* (B, R) */
    /* forward: a = b + the segments of the columns that are on. The
     * logits stay in nv 16-float registers. */
    for (int n = 0; n < B; n++) {
        const int *on = t->on + (size_t)n * d;
        int non = t->on_n[n];
        v16 acc[4], a[4]; /* acc in registers, a in memory once */
        for (int v = 0; v < nv; v++) acc[v] = w[v]; /* biases */
        for (int q = 0; q < non && on[q] < r1; q++) {
            const v16 *s = w + 4 * (1 + on[q]); /* column on[q] */
            for (int v = 0; v < nv; v++) acc[v] += s[v];
        }
        for (int v = 0; v < nv; v++) a[v] = acc[v];
        float *g = delta + (size_t)n * R; /* (R) dnll/da */
        const uint8_t *x = job->x + (size_t)n * d + r0;
        t->part[(size_t)k * B + n] =
            bernoulli_nll_f(g, (const float *)a, x, rn);
        for (int r = rn; r < 16 * nv; r++) g[r] = 0; /* rows past d */
    }
    /* backward. Forward was a += segment c for each image with
     * x_c = 1, so segment c's gradient is the sum of delta over those
     * images, summed in registers and stored once. c = -1 is the bias
     * segment, which every image adds. */
    for (int c = -1; c < r1; c++) {
        const int *by = c < 0 ? NULL : t->by + (size_t)c * B;
        int nby = c < 0 ? B : t->by_n[c];
        v16 s[4] = {0};
        for (int q = 0; q < nby; q++) {
            const v16 *g = (const v16 *)(delta + (by ? by[q] : q) * R);
            for (int v = 0; v < nv; v++) s[v] += g[v];
        }
        v16 *out = dw + 4 * (1 + c);
        for (int v = 0; v < 4; v++) /* the rows past nv vectors: 0 */
            out[v] = v < nv ? s[v] : (v16){0};
        for (int r = r0; r <= c; r++) /* padding: w_rc, r <= c */
            ((float *)out)[r - r0] = 0;
    }
}

MULTIVERSION
static void band(Job *job, int k) {
    int rn = band_end(job->t, k) - k * R;
    switch ((rn + 15) / 16) {
    case 1: band_rows(job, k, 1); break;
    case 2: band_rows(job, k, 2); break;
    case 3: band_rows(job, k, 3); break;
    default: band_rows(job, k, 4); break;
    }
}
//< tiled-band

static void worker(void *ctx, int tid) {
    (void)tid;
    Job *job = ctx;
    for (;;) { /* the heaviest bands (the last rows) first */
        int i = atomic_fetch_add(&job->next, 1);
        if (i >= job->t->bands) break;
        int k = job->t->bands - 1 - i;
        band(job, k);
        if (job->o) { /* band k's weights are still in this core's cache
                       */
            size_t at = job->t->band_start[k];
            optim_update_at(job->o, job->packed, job->grad + at,
                            job->scale, at, band_size(job->t, k));
        }
    }
}

double fvsbn_tiled_step(FvsbnTiled *t, double *nll, float *grad,
                        const uint8_t *x, float *packed, int B,
                        int threads, const Optimizer *o, float scale) {
    index_batch(t, x, B, threads);
    Job job = {t, grad, x, packed, B, o, scale, 0};
    parallel_for(threads, worker, &job);
    double sum = 0; /* each image's bands, added in a fixed order */
    for (int n = 0; n < B; n++) {
        double s = 0;
        for (int k = 0; k < t->bands; k++)
            s += t->part[(size_t)k * B + n];
        nll[n] = s;
        sum += s;
    }
    return sum;
}
