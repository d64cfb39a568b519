/* nade_tiled.c - see nade_tiled.h. */
#include "nade_tiled.h"

#include "contract.h" /* FMA contraction in this file */

#include <stdlib.h>
#include <string.h>

#include "bernoulli.h"
#include "lanes.h"
#include "parallel.h"
#include "rng.h"
#include "vec.h"

typedef float v8 __attribute__((vector_size(32), aligned(4)));
typedef float v4 __attribute__((vector_size(16), aligned(4)));

enum { G = NADE_GROUP };
_Static_assert(G >= 1 && G <= 16, "RUN_CASES has the cases 1 .. 16");
/* the sampler's samples at a time per thread: their hidden units, 12 x
 * 2 KB for h = 500, stay in L1 while each row of V serves them all */
enum { SAMPLE_ROWS = 12 };

static size_t up16(size_t n) { return (n + 15) / 16 * 16; }
static size_t up32(size_t n) { return (n + 31) / 32 * 32; }

void nade_tiled_free(NadeTiled *t) {
    free(t->A);
    free(t->H);
    free(t->U);
    free(t->S);
    free(t->L);
    free(t->Hs);
    free(t->gq);
    free(t->hq);
    free(t->first);
    free(t->last);
    free(t->raster);
    memset(t, 0, sizeof *t);
}

int nade_tiled_init(NadeTiled *t, int d, int h, int max_batch) {
    memset(t, 0, sizeof *t);
    t->d = d;
    t->h = h;
    t->hp = (int)up32((size_t)h);
    t->B = max_batch;
    size_t D = (size_t)d, HP = (size_t)t->hp, B = (size_t)max_batch;
    t->W = 0;
    t->c = D * HP;
    t->V = t->c + HP;
    t->b = t->V + D * HP;
    t->n = t->b + up16(D);
    t->A = vec_alloc(B * HP);
    t->H = vec_alloc(B * HP);
    t->U = vec_alloc(B * HP);
    t->S = vec_alloc(B * HP);
    t->L = vec_alloc(B * D);
    /* at most d slots an image; reserved, not cleared: only the pages
     * the images' slots reach are ever touched */
    t->Hs = aligned_alloc(64, B * D * HP * sizeof *t->Hs);
    t->gq = malloc(B * G * sizeof *t->gq);
    t->hq = malloc(B * G * sizeof *t->hq);
    t->first = malloc(B * sizeof *t->first);
    t->last = malloc(B * sizeof *t->last);
    t->raster = malloc(D * sizeof *t->raster);
    if (!t->A || !t->H || !t->U || !t->S || !t->L || !t->Hs || !t->gq ||
        !t->hq || !t->first || !t->last || !t->raster) {
        nade_tiled_free(t);
        return -1;
    }
    for (int i = 0; i < d; i++) t->raster[i] = i;
    return 0;
}

/* The flat layout is nade.h's: W by columns (column j at W + j h), c,
 * V by rows, b; the packed one the same with rows of hp floats. */
void nade_tiled_pack(const NadeTiled *t, float *packed,
                     const float *flat) {
    size_t d = (size_t)t->d, h = (size_t)t->h, hp = (size_t)t->hp;
    memset(packed, 0, t->n * sizeof *packed);
    for (size_t j = 0; j < d; j++) {
        memcpy(packed + t->W + j * hp, flat + j * h, h * sizeof *flat);
        memcpy(packed + t->V + j * hp, flat + d * h + h + j * h,
               h * sizeof *flat);
    }
    memcpy(packed + t->c, flat + d * h, h * sizeof *flat);
    memcpy(packed + t->b, flat + 2 * d * h + h, d * sizeof *flat);
}

void nade_tiled_unpack(const NadeTiled *t, float *flat,
                       const float *packed) {
    size_t d = (size_t)t->d, h = (size_t)t->h, hp = (size_t)t->hp;
    for (size_t j = 0; j < d; j++) {
        memcpy(flat + j * h, packed + t->W + j * hp, h * sizeof *flat);
        memcpy(flat + d * h + h + j * h, packed + t->V + j * hp,
               h * sizeof *flat);
    }
    memcpy(flat + d * h, packed + t->c, h * sizeof *flat);
    memcpy(flat + 2 * d * h + h, packed + t->b, d * sizeof *flat);
}

/* hid[k] = sigma(a[k]) for the 16 units from k, 0 past h (the padding
 * must stay 0: a sum over all hp units reads it) */
static inline __attribute__((always_inline)) void
store_sigmoid(float *hid, const v16 *a, int k, int h) {
    v16 y;
    sigmoid16(&y, a);
    if (k + 16 > h) /* keep the first h - k lanes, if any */
        y = UPTO_LANE(y, h - k);
    *(v16 *)(hid + k) = y;
}

/* Forward, pixel r on: a += W[:, r] and h = sigma(a), in one pass. */
static inline __attribute__((always_inline)) void
add_sigmoid(float *a, float *hid, const float *w, int h, int hp) {
    for (int k = 0; k < hp; k += 16) {
        v16 ak = *(const v16 *)(a + k) + *(const v16 *)(w + k);
        *(v16 *)(a + k) = ak;
        store_sigmoid(hid, &ak, k, h);
    }
}

/* Backward, a run ends at pixel r on: forward was h = sigma(a), so
 * delta = u h (1 - h) is added to s, the sum of the later deltas, W[:,
 * r] gets s, and u = 0, in one pass; the previous run's h is the slot
 * before, kept from the forward pass. */
static inline __attribute__((always_inline)) void
run_end(float *s, float *u, float *dW, const float *hid, int hp) {
    for (int k = 0; k < hp; k += 16) {
        v16 hk = *(const v16 *)(hid + k);
        v16 sk = *(const v16 *)(s + k) +
                 *(const v16 *)(u + k) * hk * (1.0f - hk);
        *(v16 *)(s + k) = sk;
        *(v16 *)(dW + k) += sk;
        *(v16 *)(u + k) = (v16){0};
    }
}

/* the sum of v's 16 lanes, halving: 8 + 8, 4 + 4, 2 + 2, 1 + 1 */
static inline float hsum(const v16 *v) {
    v8 a, b;
    memcpy(&a, v, sizeof a);
    memcpy(&b, (const float *)v + 8, sizeof b);
    a += b;
    v4 c, e;
    memcpy(&c, &a, sizeof c);
    memcpy(&e, (const float *)&a + 4, sizeof e);
    c += e;
    return (c[0] + c[2]) + (c[1] + c[3]);
}

//> nade-tiled-run
/* Forward, a run of n places that share h (no pixel on before the
 * last), their pixels px[0 .. n-1]: l_i = b_i + V[i, :] . h for each,
 * every load of 32 hidden units used by all n rows. n is a constant
 * where this is called, so the sums stay in registers. */
static inline __attribute__((always_inline)) void
run_logits(float *l, const int *px, const float *V, const float *b,
           const float *hid, int hp, int n) {
    const float *v[G];
    for (int r = 0; r < n; r++) v[r] = V + (size_t)px[r] * hp;
    v16 acc[G][2] = {{{0}}}; /* two sums per row: twice the chains */
    for (int k = 0; k < hp; k += 32) {
        v16 h0 = *(const v16 *)(hid + k),
            h1 = *(const v16 *)(hid + k + 16);
        for (int r = 0; r < n; r++) {
            acc[r][0] += *(const v16 *)(v[r] + k) * h0;
            acc[r][1] += *(const v16 *)(v[r] + k + 16) * h1;
        }
    }
    for (int r = 0; r < n; r++) {
        v16 sum = acc[r][0] + acc[r][1];
        l[px[r]] = b[px[r]] + hsum(&sum);
    }
}

/* Backward, the same run: u += sum_i g_i V[i, :] over its pixels
 * (forward was: logit_i = b_i + V[i, :] . h), 16 units at a time; dV
 * waits for group_dV. */
static inline __attribute__((always_inline)) void
run_u(float *restrict u, const float *restrict V,
      const float *restrict g, const int *px, int hp, int n) {
    float gr[G];
    const float *v[G];
    for (int r = 0; r < n; r++) {
        gr[r] = g[px[r]];
        v[r] = V + (size_t)px[r] * hp;
    }
    for (int k = 0; k < hp; k += 16) {
        v16 uk = *(const v16 *)(u + k);
        for (int r = 0; r < n; r++)
            uk += gr[r] * *(const v16 *)(v[r] + k);
        *(v16 *)(u + k) = uk;
    }
}

/* Backward, the group's n rows of dV once every image has passed:
 * dV[i, :] += sum_b g_{b,i} h_{b,i} over nb images, image b's g at
 * the group's r-th place gq[b G + r], its h there hq[b G + r]. Each W
 * units (16 or 32) of the n rows are summed in registers over all the
 * images, then stored: one load and store of dV per group, not per
 * image. */
#define GROUP_DV(W)                                                    \
    for (int k = 0; k < hp; k += W) {                                  \
        v16 acc[G][W / 16];                                            \
        for (int r = 0; r < n; r++)                                    \
            for (int q = 0; q < W / 16; q++)                           \
                acc[r][q] = *(const v16 *)(dv[r] + k + 16 * q);        \
        for (int b = 0; b < nb; b++) {                                 \
            const float *gb = gq + (size_t)b * G;                      \
            const float *const *hb = hq + (size_t)b * G;               \
            for (int r = 0; r < n; r++)                                \
                for (int q = 0; q < W / 16; q++)                       \
                    acc[r][q] +=                                       \
                        gb[r] * *(const v16 *)(hb[r] + k + 16 * q);    \
        }                                                              \
        for (int r = 0; r < n; r++)                                    \
            for (int q = 0; q < W / 16; q++)                           \
                *(v16 *)(dv[r] + k + 16 * q) = acc[r][q];              \
    }
static inline __attribute__((always_inline)) void
group_dV(float *restrict dV, const int *px, const float *gq,
         const float *const *hq, int nb, int hp, int n) {
    float *dv[G];
    for (int r = 0; r < n; r++) dv[r] = dV + (size_t)px[r] * hp;
    /* 2 n sums of 16 lanes fit AVX-512's 32 registers; with AVX2's 16
     * they spilled (the step 1.7 times slower), so 16 units there.
     * The same sums in the same order either way: the same bits. */
    if (__builtin_cpu_supports("avx512f")) {
        GROUP_DV(32)
    } else {
        GROUP_DV(16)
    }
}
#undef GROUP_DV
//< nade-tiled-run

/* run_logits, run_u and group_dV with n, 1 .. G, made a constant. The
 * cases past G (n never gets there) are written for any G <= 16 but
 * compile to nothing: each copy of a body costs seconds to compile. */
#define RUN_CASE(k, CALL)                                              \
    case k:                                                            \
        if (k <= G) CALL(k <= G ? k : G);                              \
        break
#define RUN_CASES(CALL)                                                \
    switch (n) {                                                       \
        RUN_CASE(1, CALL);                                             \
        RUN_CASE(2, CALL);                                             \
        RUN_CASE(3, CALL);                                             \
        RUN_CASE(4, CALL);                                             \
        RUN_CASE(5, CALL);                                             \
        RUN_CASE(6, CALL);                                             \
        RUN_CASE(7, CALL);                                             \
        RUN_CASE(8, CALL);                                             \
        RUN_CASE(9, CALL);                                             \
        RUN_CASE(10, CALL);                                            \
        RUN_CASE(11, CALL);                                            \
        RUN_CASE(12, CALL);                                            \
        RUN_CASE(13, CALL);                                            \
        RUN_CASE(14, CALL);                                            \
        RUN_CASE(15, CALL);                                            \
        RUN_CASE(16, CALL);                                            \
    }

typedef struct {
    NadeTiled *t;
    double *nll;
    float **grads;
    const uint8_t *x;
    const float *p;
    const int *ord; /* (d) the pixel at each place */
    int B, T;
} Job;

//> nade-tiled-forward
/* My images' logits: groups of G places outer, images inner, so the
 * group's rows of V and W stay in cache while every image passes; an
 * image's places in the group go in runs that share h, and each new h
 * goes to the image's next slot, kept for the backward pass. */
MULTIVERSION
static void forward(const Job *j, int lo, int hi) {
    const NadeTiled *t = j->t;
    int d = t->d, h = t->h, hp = t->hp;
    const int *ord = j->ord;
    const float *W = j->p + t->W, *V = j->p + t->V, *bias = j->p + t->b;
    for (int b = lo; b < hi; b++) { /* a_1 = c, slot 0 = sigma(c) */
        float *a = t->A + (size_t)b * hp, *hid = t->Hs + t->first[b];
        memcpy(a, j->p + t->c, (size_t)hp * sizeof(float));
        for (int k = 0; k < hp; k += 16)
            store_sigmoid(hid, (const v16 *)(a + k), k, h);
        t->last[b] = 0;
    }
    for (int p0 = 0; p0 < d; p0 += G) {
        int p1 = p0 + G < d ? p0 + G : d;
        for (int b = lo; b < hi; b++) {
            const uint8_t *xb = j->x + (size_t)b * d;
            float *a = t->A + (size_t)b * hp;
            float *hid = t->Hs + t->first[b] + (size_t)t->last[b] * hp;
            float *l = t->L + (size_t)b * d;
            for (int p = p0; p < p1;) {
                int r = p; /* the run: places p .. r, x off before r */
                while (r + 1 < p1 && !xb[ord[r]]) r++;
                int n = r - p + 1;
#define LOGITS(N) run_logits(l, ord + p, V, bias, hid, hp, N)
                RUN_CASES(LOGITS)
#undef LOGITS
                if (xb[ord[r]] && r + 1 < d) { /* a += W[:, pixel r] */
                    hid += hp;
                    t->last[b]++;
                    add_sigmoid(a, hid, W + (size_t)ord[r] * hp, h, hp);
                }
                p = r + 1;
            }
        }
    }
    for (int b = lo; b < hi; b++) { /* L becomes g */
        float *l = t->L + (size_t)b * d;
        j->nll[b] = bernoulli_nll_f(l, l, j->x + (size_t)b * d, d);
    }
}
//< nade-tiled-forward

/* My images' gradient into gr: the groups in reverse, each image from
 * its last slot, its runs walked back as in chapter 5, with each run's
 * h read from its slot instead of recomputed. */
MULTIVERSION
static void backward(const Job *j, int lo, int hi, float *gr) {
    const NadeTiled *t = j->t;
    int d = t->d, hp = t->hp;
    const int *ord = j->ord;
    const float *V = j->p + t->V;
    float *dW = gr + t->W, *dc = gr + t->c, *dV = gr + t->V,
          *db = gr + t->b;
    for (int b = lo; b < hi; b++) {
        memset(t->U + (size_t)b * hp, 0, (size_t)hp * sizeof(float));
        memset(t->S + (size_t)b * hp, 0, (size_t)hp * sizeof(float));
    }
    float *gq = t->gq + (size_t)lo * G;
    const float **hq = t->hq + (size_t)lo * G;
    for (int p0 = (d - 1) / G * G; p0 >= 0; p0 -= G) {
        int p1 = p0 + G < d ? p0 + G : d;
        for (int b = lo; b < hi; b++) {
            const uint8_t *xb = j->x + (size_t)b * d;
            size_t at = (size_t)b * hp;
            float *u = t->U + at, *s = t->S + at;
            const float *hid =
                t->Hs + t->first[b] + (size_t)t->last[b] * hp;
            const float *g = t->L + (size_t)b * d;
            float *gb = gq + (size_t)(b - lo) * G;
            const float **hb = hq + (size_t)(b - lo) * G;
            for (int p = p1 - 1; p >= p0;) {
                int r = p; /* the run: places r .. p, x off r .. p-1 */
                while (r > p0 && !xb[ord[r - 1]]) r--;
                int n = p - r + 1;
                for (int q = r; q <= p; q++) {
                    db[ord[q]] += g[ord[q]];
                    gb[q - p0] = g[ord[q]];
                    hb[q - p0] = hid;
                }
#define U(N) run_u(u, V, g, ord + r, hp, N)
                RUN_CASES(U)
#undef U
                if (r > 0 && xb[ord[r - 1]]) { /* the run ends */
                    run_end(s, u, dW + (size_t)ord[r - 1] * hp, hid,
                            hp);
                    hid -= hp;
                    t->last[b]--;
                }
                p = r - 1;
            }
        }
        int n = p1 - p0;
#define DV(N) group_dV(dV, ord + p0, gq, hq, hi - lo, hp, N)
        RUN_CASES(DV)
#undef DV
    }
    for (int b = lo; b < hi; b++) { /* the first run; a carries c */
        size_t at = (size_t)b * hp;
        vec_sigmoid_backprop(t->S + at, 1.0f, t->U + at,
                             t->Hs + t->first[b], t->h);
        vec_add(dc, t->S + at, t->h);
    }
}

static void task(void *ctx, int th) {
    const Job *j = ctx;
    int lo, hi;
    parallel_share(j->B, j->T, th, &lo, &hi);
    forward(j, lo, hi);
    backward(j, lo, hi, j->grads[th]);
}

double nade_tiled_step(NadeTiled *t, double *nll, float **grads,
                       const uint8_t *x, const float *packed,
                       const int *order, int B, int T) {
    if (T < 1) T = 1;
    if (T > B) T = B > 0 ? B : 1;
    if (T > PARALLEL_MAX_THREADS) T = PARALLEL_MAX_THREADS;
    const int *ord = order ? order : t->raster;
    size_t at = 0; /* image b's slots from first[b]: 1 + its pixels on
                    * before the last place */
    for (int b = 0; b < B; b++) {
        const uint8_t *xb = x + (size_t)b * t->d;
        int on = 1 - xb[ord[t->d - 1]];
        for (int i = 0; i < t->d; i++) on += xb[i];
        t->first[b] = at;
        at += (size_t)on * t->hp;
    }
    Job j = {.t = t,
             .nll = nll,
             .grads = grads,
             .x = x,
             .p = packed,
             .ord = ord,
             .B = B,
             .T = T};
    parallel_for(T, task, &j);
    double sum = 0;
    for (int b = 0; b < B; b++) sum += nll[b];
    return sum;
}

//> nade-tiled-sample
/* Sampling: l[q] = V[i, :] . h_q for n (1 or 4) samples, each load of
 * the row of V serving all n, 32 units at a time. */
static inline __attribute__((always_inline)) void
dot_samples(float *l, const float *v, const float *const *hid, int hp,
            int n) {
    v16 acc[4][2] = {{{0}}};
    for (int k = 0; k < hp; k += 32) {
        v16 v0 = *(const v16 *)(v + k), v1 = *(const v16 *)(v + k + 16);
        for (int q = 0; q < n; q++) {
            acc[q][0] += *(const v16 *)(hid[q] + k) * v0;
            acc[q][1] += *(const v16 *)(hid[q] + k + 16) * v1;
        }
    }
    for (int q = 0; q < n; q++) {
        v16 sum = acc[q][0] + acc[q][1];
        l[q] = hsum(&sum);
    }
}

typedef struct {
    NadeTiled *t;
    uint8_t *x;
    const float *p;
    const int *ord;
    Rng *rng; /* (n) one stream per sample */
    int n, T;
} SampleJob;

/* My share of the samples, SAMPLE_ROWS at a time in my rows of the
 * state (their hidden units stay in L1): every sample of a block
 * advances one place, then the next place. */
MULTIVERSION
static void sample_task(void *ctx, int th) {
    const SampleJob *j = ctx;
    NadeTiled *t = j->t;
    int d = t->d, h = t->h, hp = t->hp;
    const float *W = j->p + t->W, *V = j->p + t->V, *bias = j->p + t->b;
    int lo, hi;
    parallel_share(j->n, j->T, th, &lo, &hi);
    int rows = t->B / j->T, first = th * rows; /* my rows of A, H */
    if (rows > SAMPLE_ROWS) rows = SAMPLE_ROWS;
    for (int s0 = lo; s0 < hi; s0 += rows) {
        int nb = hi - s0 < rows ? hi - s0 : rows;
        float *A = t->A + (size_t)first * hp,
              *H = t->H + (size_t)first * hp;
        for (int b = 0; b < nb; b++) { /* a_1 = c, h_1 = sigma(c) */
            memcpy(A + (size_t)b * hp, j->p + t->c,
                   (size_t)hp * sizeof(float));
            for (int k = 0; k < hp; k += 16)
                store_sigmoid(H + (size_t)b * hp,
                              (const v16 *)(A + (size_t)b * hp + k), k,
                              h);
        }
        for (int p = 0; p < d; p++) {
            int i = j->ord[p];
            for (int b = 0; b < nb;) {
                int n = nb - b >= 4 ? 4 : 1;
                const float *hid[4];
                float l[4];
                for (int q = 0; q < n; q++)
                    hid[q] = H + (size_t)(b + q) * hp;
                if (n == 4)
                    dot_samples(l, V + (size_t)i * hp, hid, hp, 4);
                else dot_samples(l, V + (size_t)i * hp, hid, hp, 1);
                v16 z = {0}, pr; /* the n probabilities at once */
                for (int q = 0; q < n; q++) z[q] = bias[i] + l[q];
                sigmoid16(&pr, &z);
                for (int q = 0; q < n; q++, b++) {
                    int s = s0 + b;
                    uint8_t on =
                        (uint8_t)rng_bernoulli(&j->rng[s], pr[q]);
                    j->x[(size_t)s * d + i] = on;
                    if (on && p + 1 < d) /* a += W[:, i] */
                        add_sigmoid(A + (size_t)b * hp,
                                    H + (size_t)b * hp,
                                    W + (size_t)i * hp, h, hp);
                }
            }
        }
    }
}
//< nade-tiled-sample

int nade_tiled_sample(NadeTiled *t, uint8_t *x, const float *packed,
                      const int *order, int n, uint64_t seed, int T) {
    if (T < 1) T = 1;
    if (T > t->B) T = t->B;
    if (T > PARALLEL_MAX_THREADS) T = PARALLEL_MAX_THREADS;
    Rng *rng = malloc((size_t)(n > 0 ? n : 1) * sizeof *rng);
    if (!rng) return -1;
    for (int s = 0; s < n; s++) /* sample s's stream, whatever the T */
        rng_seed(&rng[s], seed + 0x9E3779B97F4A7C15ull * (uint64_t)s);
    SampleJob j = {.t = t,
                   .x = x,
                   .p = packed,
                   .ord = order ? order : t->raster,
                   .rng = rng,
                   .n = n,
                   .T = T};
    parallel_for(T, sample_task, &j);
    free(rng);
    return 0;
}
