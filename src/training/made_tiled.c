/* made_tiled.c - see made_tiled.h. */
#include "made_tiled.h"

#include "contract.h" /* FMA contraction in this file */

#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "bernoulli.h"
#include "lanes.h"
#include "nade.h"
#include "parallel.h"
#include "vec.h"

enum { ROWS = 4, IMGS = 32 }; /* the register block: 4 rows x 32 */
enum { UNITS = 64 }; /* the sparse layers' block: 64 units, 4 vectors */
enum { CHUNK = 25 }; /* the first layer's images at a time */

/* each thread's list: CHUNK images' pixels on, or a batch of images */
static size_t made_tiled_list(int d, int max_batch) {
    size_t a = (size_t)CHUNK * (size_t)d, b = (size_t)max_batch;
    return a > b ? a : b;
}

static size_t up32(size_t n) { return (n + 31) / 32 * 32; }

void made_tiled_free(MadeTiled *t) {
    free(t->A);
    free(t->U);
    free(t->dA);
    free(t->Ut);
    free(t->L);
    free(t->Vm);
    free(t->row);
    free(t->list);
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
    t->A = vec_alloc(B * HP);
    t->U = vec_alloc(B * HP);
    t->dA = vec_alloc(B * HP);
    t->Ut = vec_alloc(H * BP);
    t->L = vec_alloc(B * D);
    t->Vm = vec_alloc(D * HP);
    t->row = vec_alloc((size_t)PARALLEL_MAX_THREADS * ROWS * HP);
    t->list = malloc((size_t)PARALLEL_MAX_THREADS *
                     made_tiled_list(d, max_batch) * sizeof(int));
    if (!t->A || !t->U || !t->dA || !t->Ut || !t->L || !t->Vm ||
        !t->row || !t->list) {
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
 * which scales it on the way. */
static void emit(const Job *j, size_t at, float *g, size_t n) {
    if (j->opt) optim_update_at(j->opt, j->params, g, j->scale, at, n);
    else memcpy(j->grad + at, g, n * sizeof *g);
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

//> made-tiled-first
/* a and u of one image for the units k0 .. k0 + 16 nv - 1, from its n
 * pixels on (in the mask's order, so their cuts grow): first the rows
 * past their cut in the whole block, then those cut inside it, with
 * the masked lanes zero. nv is a constant where this is called, so the
 * sums stay in registers. */
static inline __attribute__((always_inline)) void
first_block(const Job *j, const int *on, int n, float *a, float *u,
            int k0, int nv) {
    int h = j->t->h, r = 0;
    const int *cut = j->mk->cut;
    const float *W = j->p.W;
    v16 acc[4];
    for (int q = 0; q < nv; q++) {
        v16 c;
        load_upto(&c, j->p.c, k0 + 16 * q, h);
        acc[q] = c;
    }
    if (k0 + 16 * nv <= h)
        for (; r < n && cut[on[r]] <= k0; r++) {
            const float *w = W + (size_t)on[r] * h + k0;
            for (int q = 0; q < nv; q++)
                acc[q] += *(const v16 *)(w + 16 * q);
        }
    /* a vector that h cuts: its sums kept lane by lane in tail */
    int qt = h < k0 + 16 * nv ? (h - k0) / 16 : nv, kt = k0 + 16 * qt;
    float tail[16];
    if (qt < nv) memcpy(tail, &acc[qt], sizeof tail);
    for (; r < n && cut[on[r]] < k0 + 16 * nv; r++) {
        int i = on[r];
        const float *w = W + (size_t)i * h + k0;
        for (int q = 0; q < qt; q++)
            acc[q] += FROM_LANE(*(const v16 *)(w + 16 * q),
                                cut[i] - k0 - 16 * q);
        if (qt < nv)
            for (int k = cut[i] > kt ? cut[i] : kt; k < h; k++)
                tail[k - kt] += w[k - k0];
    }
    if (qt < nv) memcpy(&acc[qt], tail, sizeof tail);
    for (int q = 0; q < nv; q++) {
        *(v16 *)(a + k0 + 16 * q) = acc[q];
        *(v16 *)(u + k0 + 16 * q) = RELU16(acc[q]);
    }
}
//< made-tiled-first

/* 1: the first layer (A, U and U's transpose), CHUNK images at a
 * time, and my rows of the masked copy of V. a_b = c + the rows of W of
 * the pixels on, summed 64 units at a time in registers: the pixels on,
 * listed in the mask's order, are those whose cut grows, so the rows
 * that reach a block of units are a prefix of the list. The block of
 * units is the outer loop and the images of the chunk the inner one,
 * so the block's columns of W (d x 64 floats, 200 KB for MNIST) stay
 * in L2 while the chunk's images read them: image by image, every
 * image read its rows of the whole of W (1.5 MB) from L3. (Adding row
 * after row into A in memory instead, each store read back by the next
 * row at another alignment, made this pass a quarter slower.) */
MULTIVERSION
static void first_layer(void *ctx, int th) {
    Job *j = ctx;
    MadeTiled *t = j->t;
    const MadeMask *mk = j->mk;
    int d = t->d, h = t->h, hp = t->hp, lo, hi, n[CHUNK];
    int *on = t->list + (size_t)th * made_tiled_list(d, t->B);
    for (int b0; (b0 = CHUNK * take(j, 0)) < j->B;) {
        int nb = j->B - b0 < CHUNK ? j->B - b0 : CHUNK;
        for (int c = 0; c < nb; c++) {
            const uint8_t *xb = j->x + (size_t)(b0 + c) * d;
            int *o = on + (size_t)c * d, m = 0;
            for (int p = 0; p < d; p++) { /* no branch on the pixel */
                o[m] = mk->order[p];
                m += xb[o[m]] != 0;
            }
            n[c] = m;
        }
        /* hp, a multiple of 32: blocks of 64, perhaps a last of 32 */
        for (int k0 = 0; k0 < hp; k0 += UNITS) {
            int k1 = k0 + UNITS < h ? k0 + UNITS : h;
            for (int c = 0; c < nb; c++) {
                int b = b0 + c;
                const int *o = on + (size_t)c * d;
                float *a = t->A + (size_t)b * hp;
                float *u = t->U + (size_t)b * hp;
                if (hp - k0 < UNITS)
                    first_block(j, o, n[c], a, u, k0, 2);
                else first_block(j, o, n[c], a, u, k0, 4);
                for (int k = k0; k < k1; k++)
                    t->Ut[(size_t)k * t->Bp + b] = u[k];
            }
        }
    }
    parallel_share(d, j->T, th, &lo, &hi);
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
    parallel_share(j->B, j->T, th, &lo, &hi);
    for (int b = lo; b < hi; b++) {
        float *l = t->L + (size_t)b * d;
        j->nll[b] = bernoulli_nll_f(l, l, j->x + (size_t)b * d, d);
    }
}

/* 4a: db_i = sum_b g_{b,i} and dV_{i,k} = sum_b g_{b,i} u_{b,k} for the
 * groups of four rows it takes, 32 units at a time; each row emitted
 * whole. */
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
            for (int r = 0; r < n; r++) /* the masked entries: 0 */
                for (int q = 0; q < 2; q++)
                    *(v16 *)(row[r] + k0 + 16 * q) =
                        UPTO_LANE(acc[r][q], s[r] - k0 - 16 * q);
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
                for (int q = 0; q < 2; q++) { /* where relu(a) > 0 */
                    vi16 u = *(const vi16 *)(t->U + at + 16 * q);
                    *(v16 *)(t->dA + at + 16 * q) =
                        (v16)((vi16)acc[r][q] & ((u | -u) >> 31));
                }
            }
        }
    }
}

static void backward(void *ctx, int th) {
    grad_v(ctx, th);
    grad_u(ctx, th);
}

/* col_k = sum of dA_{b,k} over the n images listed, for the units k0
 * .. k0 + 16 nv - 1 (0 where k < cut); nv a constant where called */
static inline __attribute__((always_inline)) void
grad_block(const MadeTiled *t, const int *on, int n, float *col, int k0,
           int cut, int nv) {
    v16 acc[4] = {0};
    for (int r = 0; r < n; r++) {
        const float *g = t->dA + (size_t)on[r] * t->hp + k0;
        for (int q = 0; q < nv; q++)
            acc[q] += *(const v16 *)(g + 16 * q);
    }
    for (int q = 0; q < nv; q++) /* the masked units: 0 */
        *(v16 *)(col + k0 + 16 * q) =
            FROM_LANE(acc[q], cut - k0 - 16 * q);
}

/* 5: dc_k = sum_b dA_{b,k} for my units, and dW_{k,i} = sum of dA_{b,k}
 * over the images b with x_i on, for the pixels i it takes, k >= cut_i:
 * 64 units at a time in registers, over the list of those images. */
MULTIVERSION
static void first_grad(void *ctx, int th) {
    Job *j = ctx;
    MadeTiled *t = j->t;
    int d = t->d, h = t->h, hp = t->hp;
    float *col = t->row + (size_t)th * ROWS * hp;
    int *on = t->list + (size_t)th * made_tiled_list(d, t->B);
    for (int k0 = 32 * th; k0 < h; k0 += 32 * j->T) { /* my units */
        v16 acc[2] = {{0}};
        for (int b = 0; b < j->B; b++)
            for (int q = 0; q < 2; q++)
                acc[q] += *(const v16 *)(t->dA + (size_t)b * hp + k0 +
                                         16 * q);
        memcpy(col + k0, acc, sizeof acc);
        emit(j, (size_t)d * h + k0, col + k0,
             (size_t)(h - k0 < 32 ? h - k0 : 32));
    }
    for (int i; (i = take(j, 4)) < d;) {
        int cut = j->mk->cut[i], n = 0;
        for (int b = 0; b < j->B; b++) { /* no branch on the pixel */
            on[n] = b;
            n += j->x[(size_t)b * d + i] != 0;
        }
        int from = j->opt && j->kept_only ? cut / UNITS * UNITS : 0;
        for (int k0 = from; k0 < hp; k0 += UNITS)
            if (hp - k0 < UNITS) grad_block(t, on, n, col, k0, cut, 2);
            else grad_block(t, on, n, col, k0, cut, 4);
        if (j->opt && j->kept_only)
            emit(j, (size_t)i * h + cut, col + cut, (size_t)(h - cut));
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
