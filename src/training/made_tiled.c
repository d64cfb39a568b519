/* made_tiled.c - see made_tiled.h. */
#include "made_tiled.h"

#include "contract.h" /* FMA contraction in this file */

#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "bernoulli.h"
#include "nade.h"
#include "parallel.h"
#include "vec.h"

/* 16 floats: one AVX-512 register, two AVX2 or four SSE ones;
 * aligned(4): loads from any float address */
typedef float v16 __attribute__((vector_size(64), aligned(4)));

enum { ROWS = 4, IMGS = 32 }; /* the register block: 4 rows x 32 */
enum { FIRST = 8 };           /* images per block of the first layer */

static size_t up32(size_t n) { return (n + 31) / 32 * 32; }

static float *zeros(size_t n) { /* n floats, 64-byte aligned, zero */
    size_t bytes = (n * sizeof(float) + 63) / 64 * 64;
    float *p = aligned_alloc(64, bytes ? bytes : 64);
    if (p) memset(p, 0, bytes);
    return p;
}

void made_tiled_free(MadeTiled *t) {
    free(t->A);
    free(t->U);
    free(t->dA);
    free(t->Ut);
    free(t->L);
    free(t->Vm);
    free(t->row);
    memset(t, 0, sizeof *t);
}

int made_tiled_init(MadeTiled *t, int d, int h, int max_batch) {
    memset(t, 0, sizeof *t);
    t->d = d;
    t->h = h;
    t->hp = (int)up32((size_t)h);
    t->B = max_batch;
    t->Bp = (int)up32((size_t)max_batch);
    size_t D = (size_t)d, H = (size_t)h, HP = (size_t)t->hp;
    size_t B = (size_t)max_batch, BP = (size_t)t->Bp;
    t->A = zeros(B * HP);
    t->U = zeros(B * HP);
    t->dA = zeros(B * HP);
    t->Ut = zeros(H * BP);
    t->L = zeros(B * D);
    t->Vm = zeros(D * HP);
    t->row = zeros((size_t)PARALLEL_MAX_THREADS * ROWS * HP);
    if (!t->A || !t->U || !t->dA || !t->Ut || !t->L || !t->Vm ||
        !t->row) {
        made_tiled_free(t);
        return -1;
    }
    return 0;
}

typedef struct {
    MadeTiled *t;
    double *nll;
    const uint8_t *x;
    const MadeMask *mk;
    MadeParams p;
    float *params, *grad; /* the flat buffers */
    const Optimizer *opt; /* NULL: the gradient into grad */
    float scale;
    int kept_only; /* the optimizer skips the masked entries */
    int B, T;
    /* the next item of each pass: threads take items as they finish,
     * so a thread the machine delays holds nobody up; every item
     * writes its own entries in a fixed order, so the result does not
     * depend on which thread takes it */
    atomic_int next[6];
} Job;

/* the next item of pass `pass` (0, 1, 2, ...) */
static int take(Job *j, int pass) {
    return atomic_fetch_add_explicit(&j->next[pass], 1,
                                     memory_order_relaxed);
}

/* The gradient g of the n parameters from `at` on, just computed: into
 * the gradient buffer, or (a fused step) straight into the optimizer,
 * which scales g in place. */
static void emit(const Job *j, size_t at, float *g, size_t n) {
    if (j->opt) optim_update_at(j->opt, j->params, g, j->scale, at, n);
    else memcpy(j->grad + at, g, n * sizeof *g);
}

/* [lo, hi) of n split over the T threads */
static void share(int n, int T, int t, int *lo, int *hi) {
    *lo = (int)((long)n * t / T);
    *hi = (int)((long)n * (t + 1) / T);
}

/* The rows of group q (places 4q .. 4q+3): their pixels, cuts and
 * count; a short last group repeats its first row (never stored). */
static int group(const MadeMask *mk, int d, int q, int *i, int *s) {
    int n = d - ROWS * q < ROWS ? d - ROWS * q : ROWS;
    for (int r = 0; r < ROWS; r++) {
        i[r] = mk->order[ROWS * q + (r < n ? r : 0)];
        s[r] = mk->cut[i[r]];
    }
    return n;
}

/* 1: the first layer (A, U and U's transpose), FIRST images at a time:
 * pixels outer, so each kept row of W is read once per block and added
 * from L1 to the rows of the block's images with that pixel on (image
 * by image instead, each image streaming W from L3, measured 5 to 10 %
 * slower for the whole step); and my rows of the masked copy of V. */
MULTIVERSION
static void first_layer(void *ctx, int th) {
    Job *j = ctx;
    MadeTiled *t = j->t;
    int d = t->d, h = t->h, hp = t->hp, lo, hi;
    for (int b0; (b0 = FIRST * take(j, 0)) < j->B;) {
        int nb = j->B - b0 < FIRST ? j->B - b0 : FIRST;
        for (int b = b0; b < b0 + nb; b++)
            memcpy(t->A + (size_t)b * hp, j->p.c,
                   (size_t)h * sizeof(float));
        for (int i = 0; i < d; i++) { /* W's row i: once per block */
            int k0 = j->mk->cut[i];
            const float *w = j->p.W + (size_t)i * h + k0;
            for (int b = b0; b < b0 + nb; b++)
                if (j->x[(size_t)b * d + i])
                    vec_add(t->A + (size_t)b * hp + k0, w, h - k0);
        }
        for (int b = b0; b < b0 + nb; b++) {
            float *a = t->A + (size_t)b * hp,
                  *u = t->U + (size_t)b * hp;
            for (int k = 0; k < h; k++) {
                u[k] = a[k] > 0 ? a[k] : 0;
                t->Ut[(size_t)k * t->Bp + b] = u[k];
            }
        }
    }
    share(d, j->T, th, &lo, &hi);
    for (int q = lo; q < hi; q++) { /* Vm_{i,k} = [k < cut_i] V_{i,k} */
        int i = j->mk->order[q], s = j->mk->cut[i];
        float *vm = t->Vm + (size_t)i * hp;
        memcpy(vm, j->p.V + (size_t)i * h, (size_t)s * sizeof *vm);
        memset(vm + s, 0, (size_t)(hp - s) * sizeof *vm);
    }
}

//> made-tiled-logits
/* acc[r][q] (16 images each) += sum_{k < len} Vm_{i_r,k} u_{b,k} for
 * nv (1 or 2) vectors of images from b0: Ut's rows are the units. */
static inline void rows_times_units(v16 acc[ROWS][2],
                                    const MadeTiled *t, const int *i,
                                    int len, int b0, int nv) {
    for (int k = 0; k < len; k++) {
        const float *ut = t->Ut + (size_t)k * t->Bp + b0;
        v16 u[2] = {*(const v16 *)ut,
                    *(const v16 *)(ut + 16 * (nv - 1))};
        for (int r = 0; r < ROWS; r++) {
            float w = t->Vm[(size_t)i[r] * t->hp + k];
            for (int q = 0; q < nv; q++) acc[r][q] += w * u[q];
        }
    }
}

/* 2: L_{b,i} = b_i + Vm_{i,:} . u_b for the groups of four rows it
 * takes, 32 images at a time (16 for a short last block): 8 registers
 * of sums, each weight loaded once per 32 images (masked entries of Vm:
 * 0). */
MULTIVERSION
static void logits(void *ctx, int th) {
    Job *j = ctx;
    MadeTiled *t = j->t;
    int d = t->d, i[ROWS], s[ROWS];
    (void)th;
    for (int q; ROWS * (q = take(j, 1)) < d;) {
        int n = group(j->mk, d, q, i, s), len = s[n - 1];
        for (int b0 = 0; b0 < j->B; b0 += IMGS) {
            v16 acc[ROWS][2] = {{{0}}};
            if (j->B - b0 > 16) rows_times_units(acc, t, i, len, b0, 2);
            else rows_times_units(acc, t, i, len, b0, 1);
            for (int r = 0; r < n; r++)
                for (int c = 0; c < IMGS && b0 + c < j->B; c++)
                    t->L[(size_t)(b0 + c) * d + i[r]] =
                        j->p.b[i[r]] + acc[r][c / 16][c % 16];
        }
    }
}
//< made-tiled-logits

/* 3: the Bernoulli layer of my images: L becomes g. */
static void output(void *ctx, int th) {
    Job *j = ctx;
    MadeTiled *t = j->t;
    int d = t->d, lo, hi;
    share(j->B, j->T, th, &lo, &hi);
    for (int b = lo; b < hi; b++) {
        float *l = t->L + (size_t)b * d;
        j->nll[b] = bernoulli_nll_f(l, l, j->x + (size_t)b * d, d);
    }
}

/* 4a: db_i = sum_b g_{b,i} and dV_{i,k} = sum_b g_{b,i} u_{b,k} for the
 * groups of four rows, 32 units at a time; each row emitted whole. */
MULTIVERSION
static void grad_v(Job *j, int th) {
    MadeTiled *t = j->t;
    int d = t->d, h = t->h, hp = t->hp, i[ROWS], s[ROWS];
    size_t V0 = (size_t)d * h + h, b0_ = V0 + (size_t)d * h;
    float *row[ROWS];
    for (int q; ROWS * (q = take(j, 2)) < d;) {
        int n = group(j->mk, d, q, i, s), len = s[n - 1];
        for (int r = 0; r < n; r++) {
            row[r] = t->row + ((size_t)th * ROWS + r) * hp;
            memset(row[r], 0, (size_t)h * sizeof(float));
        }
        for (int k0 = 0; k0 < len; k0 += 32) {
            v16 acc[ROWS][2] = {{{0}}};
            for (int b = 0; b < j->B; b++) {
                const float *u = t->U + (size_t)b * hp + k0;
                v16 u0 = *(const v16 *)u, u1 = *(const v16 *)(u + 16);
                for (int r = 0; r < ROWS; r++) {
                    float g = t->L[(size_t)b * d + i[r]];
                    acc[r][0] += g * u0;
                    acc[r][1] += g * u1;
                }
            }
            for (int r = 0; r < n; r++)
                for (int c = 0; c < 32 && k0 + c < s[r]; c++)
                    row[r][k0 + c] = acc[r][c / 16][c % 16];
        }
        for (int r = 0; r < n; r++) {
            float sum = 0;
            for (int b = 0; b < j->B; b++)
                sum += t->L[(size_t)b * d + i[r]];
            /* only the kept entries, when the masked ones never move */
            int kept = j->opt && j->kept_only ? s[r] : h;
            emit(j, V0 + (size_t)i[r] * h, row[r], (size_t)kept);
            emit(j, b0_ + (size_t)i[r], &sum, 1);
        }
    }
}

/* 4b: dA_{b,k} = [a_{b,k} > 0] sum_i g_{b,i} Vm_{i,k} for the blocks of
 * 32 units, four images at a time; only the rows past the block's
 * first unit (a suffix of the places) read it. */
MULTIVERSION
static void grad_u(Job *j, int th) {
    MadeTiled *t = j->t;
    const MadeMask *mk = j->mk;
    int d = t->d, hp = t->hp;
    (void)th;
    for (int k0; (k0 = 32 * take(j, 3)) < hp;) {
        int p0 = 0; /* the first place whose row reads unit k0 */
        while (p0 < d && mk->cut[mk->order[p0]] <= k0) p0++;
        for (int b0 = 0; b0 < j->B; b0 += ROWS) {
            int nb = j->B - b0 < ROWS ? j->B - b0 : ROWS;
            const float *g[ROWS];
            for (int r = 0; r < ROWS; r++)
                g[r] = t->L + (size_t)(b0 + (r < nb ? r : 0)) * d;
            v16 acc[ROWS][2] = {{{0}}};
            for (int p = p0; p < d; p++) {
                int i = mk->order[p];
                const float *v = t->Vm + (size_t)i * hp + k0;
                v16 v0 = *(const v16 *)v, v1 = *(const v16 *)(v + 16);
                for (int r = 0; r < ROWS; r++) {
                    acc[r][0] += g[r][i] * v0;
                    acc[r][1] += g[r][i] * v1;
                }
            }
            for (int r = 0; r < nb; r++) {
                size_t at = (size_t)(b0 + r) * hp + k0;
                for (int c = 0; c < 32; c++)
                    t->dA[at + c] =
                        t->A[at + c] > 0 ? acc[r][c / 16][c % 16] : 0;
            }
        }
    }
}

static void backward(void *ctx, int th) {
    grad_v(ctx, th);
    grad_u(ctx, th);
}

/* 5: dc_k = sum_b dA_{b,k} for my units, and dW_{k,i} = sum of dA_{b,k}
 * over the images b with x_i on, for the pixels i it takes, k >= cut_i.
 */
static void first_grad(void *ctx, int th) {
    Job *j = ctx;
    MadeTiled *t = j->t;
    int d = t->d, h = t->h, hp = t->hp, lo, hi;
    float *col = t->row + (size_t)th * ROWS * hp;
    share(h, j->T, th, &lo, &hi);
    for (int k = lo; k < hi; k++) {
        float sum = 0;
        for (int b = 0; b < j->B; b++) sum += t->dA[(size_t)b * hp + k];
        col[k - lo] = sum;
    }
    if (hi > lo) emit(j, (size_t)d * h + lo, col, (size_t)(hi - lo));
    for (int i; (i = take(j, 4)) < d;) {
        int k0 = j->mk->cut[i];
        memset(col, 0, (size_t)h * sizeof *col);
        for (int b = 0; b < j->B; b++)
            if (j->x[(size_t)b * d + i])
                vec_add(col + k0, t->dA + (size_t)b * hp + k0, h - k0);
        if (j->opt && j->kept_only)
            emit(j, (size_t)i * h + k0, col + k0, (size_t)(h - k0));
        else emit(j, (size_t)i * h, col, (size_t)h);
    }
}

double made_tiled_step(MadeTiled *t, double *nll, float *grad,
                       const uint8_t *x, float *params,
                       const MadeMask *mk, int B, int T, Optimizer *opt,
                       float scale, int kept_only) {
    Job j = {.t = t,
             .nll = nll,
             .x = x,
             .mk = mk,
             .params = params,
             .grad = grad,
             .opt = opt,
             .scale = scale,
             .kept_only = kept_only,
             .B = B,
             .T = T < 1                      ? 1
                  : T > PARALLEL_MAX_THREADS ? PARALLEL_MAX_THREADS
                                             : T};
    nade_point(&j.p, params, t->d, t->h);
    parallel_for(j.T, first_layer, &j);
    parallel_for(j.T, logits, &j);
    parallel_for(j.T, output, &j);
    double sum = 0;
    for (int b = 0; b < B; b++) sum += nll[b];
    if (!isfinite(sum)) return sum; /* nothing changes */
    if (opt) optim_begin(opt);
    parallel_for(j.T, backward, &j);
    parallel_for(j.T, first_grad, &j);
    return sum;
}
