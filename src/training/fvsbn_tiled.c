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

/* 16-float vectors per segment of band k: 4, or fewer for a last
 * band short of 64 rows */
static int band_vecs(const FvsbnTiled *t, int k) {
    return (band_end(t, k) - k * R + 15) / 16;
}

static size_t band_size(const FvsbnTiled *t, int k) {
    return (size_t)(1 + band_end(t, k)) * 16 * band_vecs(t, k);
}

int fvsbn_tiled_init(FvsbnTiled *t, int d, int max_batch) {
    memset(t, 0, sizeof *t);
    t->d = d;
    t->bands = (d + R - 1) / R;
    size_t bands = (size_t)t->bands, B = (size_t)max_batch;
    t->band_start = malloc(bands * sizeof *t->band_start);
    t->order = malloc(bands * sizeof *t->order);
    t->on = malloc(B * (size_t)d * sizeof *t->on);
    t->cut = malloc(B * bands * sizeof *t->cut);
    t->by = malloc(B * (size_t)d * sizeof *t->by);
    t->by_n = malloc((size_t)d * sizeof *t->by_n);
    t->by_band = malloc((bands + 1) * sizeof *t->by_band);
    t->part = malloc(bands * B * sizeof *t->part);
    t->delta = aligned_alloc(64, bands * B * R * sizeof *t->delta);
    if (!t->band_start || !t->order || !t->on || !t->cut || !t->by ||
        !t->by_n || !t->by_band || !t->part || !t->delta) {
        fvsbn_tiled_free(t);
        return -1;
    }
    /* band k: a bias segment, then one segment per column c < r1 */
    for (int k = 0; k < t->bands; k++) {
        t->band_start[k] = t->n;
        t->n += band_size(t, k);
    }
    for (int m = 0; m < 256; m++)
        for (int j = 0; j < 8; j++)
            if (m >> j & 1) t->lut[m][t->lut_n[m]++] = j;
    /* the threads take the largest bands first (the work of a band
     * grows with its size): insertion sort, stable */
    for (int k = 0; k < t->bands; k++) {
        int i = k;
        for (; i > 0 && band_size(t, t->order[i - 1]) < band_size(t, k);
             i--)
            t->order[i] = t->order[i - 1];
        t->order[i] = k;
    }
    return 0;
}

void fvsbn_tiled_free(FvsbnTiled *t) {
    free(t->band_start);
    free(t->order);
    free(t->on);
    free(t->cut);
    free(t->by);
    free(t->by_n);
    free(t->by_band);
    free(t->part);
    free(t->delta);
    memset(t, 0, sizeof *t);
}

/* Copy between the layouts: to_packed 1 packs, 0 unpacks. */
static void convert(const FvsbnTiled *t, float *packed, float *flat,
                    int to_packed) {
    int d = t->d;
    for (int k = 0; k < t->bands; k++) {
        int r0 = k * R, r1 = band_end(t, k), w = 16 * band_vecs(t, k);
        float *seg = packed + t->band_start[k];
        if (to_packed) memset(seg, 0, band_size(t, k) * sizeof *seg);
        for (int r = r0; r < r1; r++) { /* biases */
            if (to_packed) seg[r - r0] = flat[r];
            else flat[r] = seg[r - r0];
        }
        for (int c = 0; c < r1; c++) { /* w_rc, r > c */
            float *s = seg + (size_t)(1 + c) * w;
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

typedef int vi8 __attribute__((vector_size(32), aligned(4)));

/* The pixels on of my share of the images, image n's at on + n d, and
 * how many of them come before the end of each band (for the forward
 * pass). No branch on the pixel values: an unpredictable branch per
 * pixel costs more than the rest of this function. Eight pixels at a
 * time: pack8 (lanes.h) makes them a byte, whose set bits the table
 * lists; all eight entries are written, and the count moves on by as
 * many as are on. The writes stay in the image's d entries: before
 * pixel j at most j are on. */
MULTIVERSION
static void index_task(void *ctx, int th) {
    const IndexJob *job = ctx;
    FvsbnTiled *t = job->t;
    int d = t->d, lo, hi;
    parallel_share(job->B, job->T, th, &lo, &hi);
    for (int n = lo; n < hi; n++) {
        const uint8_t *xn = job->x + (size_t)n * d;
        int *on = t->on + (size_t)n * d, k = 0;
        for (int b = 0; b < t->bands; b++) {
            int j = b * R, end = band_end(t, b);
            for (; j + 8 <= end; j += 8) {
                int m = pack8(xn + j);
                vi8 at = *(const vi8 *)t->lut[m] + j;
                memcpy(on + k, &at, sizeof at);
                k += t->lut_n[m];
            }
            for (; j < end; j++) {
                on[k] = j;
                k += xn[j] != 0;
            }
            t->cut[(size_t)n * t->bands + b] = k;
        }
    }
}

/* The lists per pixel of my bands' pixels (for the backward pass):
 * pixel j's images at by + j B, in order, from the images' lists,
 * whose entries in bands [k0, k1) the band counts delimit. */
static void by_task(void *ctx, int th) {
    const IndexJob *job = ctx;
    FvsbnTiled *t = job->t;
    int B = job->B, nb = t->bands, k0 = t->by_band[th],
        k1 = t->by_band[th + 1];
    int j0 = k0 * R, j1 = k1 < nb ? k1 * R : t->d;
    memset(t->by_n + j0, 0, (size_t)(j1 - j0) * sizeof *t->by_n);
    for (int n = 0; n < B; n++) {
        const int *on = t->on + (size_t)n * t->d,
                  *cut = t->cut + (size_t)n * nb;
        for (int q = k0 ? cut[k0 - 1] : 0, e = cut[k1 - 1]; q < e;
             q++) {
            int j = on[q];
            t->by[(size_t)j * B + t->by_n[j]++] = n;
        }
    }
}

/* The batch's pixels that are on, twice: per image, the threads taking
 * shares of the images, then per pixel, the threads taking runs of
 * bands with about as many pixels on. */
static void index_batch(FvsbnTiled *t, const uint8_t *x, int B, int T) {
    IndexJob ix = {t, x, B, T < 1 ? 1 : T > B ? (B > 0 ? B : 1) : T};
    parallel_for(ix.T, index_task, &ix);
    if (ix.T > t->bands) ix.T = t->bands;
    size_t total = 0, done = 0; /* the pixels on, all bands */
    for (int n = 0; n < B; n++)
        total += (size_t)t->cut[(size_t)n * t->bands + t->bands - 1];
    t->by_band[0] = 0;
    for (int k = 0, th = 1; k < t->bands && th < ix.T; k++) {
        for (int n = 0; n < B; n++) {
            const int *cut = t->cut + (size_t)n * t->bands;
            done += (size_t)(cut[k] - (k ? cut[k - 1] : 0));
        }
        /* thread th starts after band k once th / T of them are done,
         * leaving a band at least for each later thread */
        if (done * (size_t)ix.T >= total * (size_t)th ||
            t->bands - 1 - k <= ix.T - th)
            t->by_band[th++] = k + 1;
    }
    t->by_band[ix.T] = t->bands;
    parallel_for(ix.T, by_task, &ix);
}

typedef struct {
    FvsbnTiled *t;
    float *grad; /* the gradient, or NULL (then o is given) */
    const uint8_t *x;
    float *packed;
    int B;
    const Optimizer *o; /* update each segment once its gradient is
                           summed */
    float scale;
    atomic_int next; /* bands handed out so far */
} Job;

//> tiled-band
/* The logits a (nv vectors) of image n in band k: its share of the NLL
 * and its dnll/da, zero on the rows past d. */
static inline __attribute__((always_inline)) void
output(Job *job, int k, int n, const v16 *a, int nv) {
    FvsbnTiled *t = job->t;
    int r0 = k * R, rn = band_end(t, k) - r0;
    float *g = t->delta + ((size_t)k * job->B + n) * R; /* (R) */
    const uint8_t *x = job->x + (size_t)n * t->d + r0;
    t->part[(size_t)k * job->B + n] =
        bernoulli_nll_f(g, (const float *)a, x, rn);
    for (int r = rn; r < 16 * nv; r++) g[r] = 0;
}

/* Segment c's gradient s (nv vectors, summed over the images), its
 * padding (w_rc, r <= c) zeroed: stored, or given to the optimizer
 * while the segment is in cache. */
static inline __attribute__((always_inline)) void
emit(Job *job, int k, int c, const v16 *sum, int nv) {
    size_t seg = job->t->band_start[k] + (size_t)(1 + c) * nv * 16;
    v16 s[4];
    for (int v = 0; v < nv; v++)
        s[v] = FROM_LANE(sum[v], c + 1 - k * R - 16 * v);
    if (job->grad) memcpy(job->grad + seg, s, nv * sizeof *s);
    if (!job->o) return;
    /* the vectors v < v0 are all padding (rows r0 + 16 v + 15 <= c):
     * they stay zero without the optimizer */
    int v0 = c + 1 - k * R <= 0 ? 0 : (c + 1 - k * R) / 16;
    if (v0 == 0) /* most segments: nv a constant */
        optim_apply(job->o, job->packed, (const float *)s, job->scale,
                    seg, (size_t)nv * 16);
    else if (v0 < nv)
        optim_apply(job->o, job->packed, (const float *)(s + v0),
                    job->scale, seg + (size_t)v0 * 16,
                    (size_t)(nv - v0) * 16);
}

/* Band k, rows [r0, r1): forward, output layer and backward for the
 * whole batch, in nv vectors of 16 rows: 4, or fewer for a last band
 * short of 64 rows, whose segments are then that short. nv is a
 * constant where this is called, so the sums stay in registers. */
static inline __attribute__((always_inline)) void
band_rows(Job *job, int k, int nv) {
    FvsbnTiled *t = job->t;
    int d = t->d, B = job->B, r1 = band_end(t, k);
    /* segment c (c = -1: the biases) at w + (1 + c) nv */
    const v16 *w = (const v16 *)(job->packed + t->band_start[k]);
    const float *delta = t->delta + (size_t)k * B * R; /* (B, R) */
    /* forward: a = b + the segments of the columns that are on (the
     * first m of image n's pixels on are before r1) */
    for (int n = 0; n < B; n++) {
        const int *on = t->on + (size_t)n * d;
        int m = t->cut[(size_t)n * t->bands + k];
        v16 acc[4], a[4]; /* acc in registers, a in memory once */
        for (int v = 0; v < nv; v++) acc[v] = w[v];
        for (int q = 0; q < m; q++) {
            const v16 *s = w + nv * (1 + on[q]); /* column on[q] */
            for (int v = 0; v < nv; v++) acc[v] += s[v];
        }
        for (int v = 0; v < nv; v++) a[v] = acc[v];
        output(job, k, n, a, nv);
    }
    /* backward. Forward was a += segment c for each image with
     * x_c = 1, so segment c's gradient is the sum of delta over those
     * images; c = -1 is the biases' segment, which every image adds. */
    for (int c = -1; c < r1; c++) {
        const int *by = c < 0 ? NULL : t->by + (size_t)c * B;
        int nby = c < 0 ? B : t->by_n[c];
        v16 s[4] = {0};
        for (int q = 0; q < nby; q++) {
            const v16 *g = (const v16 *)(delta + (by ? by[q] : q) * R);
            for (int v = 0; v < nv; v++) s[v] += g[v];
        }
        emit(job, k, c, s, nv);
    }
}

MULTIVERSION
static void band(Job *job, int k) {
    switch (band_vecs(job->t, k)) {
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
    for (;;) {
        int i = atomic_fetch_add(&job->next, 1);
        if (i >= job->t->bands) break;
        band(job, job->t->order[i]);
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
