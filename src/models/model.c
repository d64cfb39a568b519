/* model.c - the registry of models and what all of them share. */
#include "model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fvsbn.h"
#include "made.h"
#include "mlp.h"
#include "nade.h"
#include "nade_order.h"
#include "parallel.h"
#include "vec.h"

/* --- FVSBN (chapter 3) --------------------------------------------------- */

static size_t fvsbn_params(int d, int h) {
    (void)h;
    return fvsbn_num_params(d);
}
static size_t fvsbn_scratch(int d, int h) {
    (void)h;
    return (size_t)d; /* dnll/da */
}
static void fvsbn_init(float *params, int d, int h, const double *marg,
                       Rng *rng) {
    (void)h;
    (void)rng;
    /* W = 0 and b_i = logit(mean of x_i): training starts from the
     * model in which every pixel is an independent coin */
    memset(params, 0, fvsbn_num_params(d) * sizeof *params);
    for (int i = 0; i < d; i++) params[i] = model_bias_from_mean(marg[i]);
}
static void fvsbn_fwd(Model *m, double *nll, float *scratch,
                      const uint8_t *x, int B) {
    fvsbn_forward(nll, scratch, x, m->params, B, m->d);
}
static void fvsbn_bwd(Model *m, float *dparams, float *scratch,
                      const uint8_t *x, int B) {
    fvsbn_backward(dparams, scratch, x, B, m->d);
}
static void fvsbn_smp(Model *m, uint8_t *x, int n, Rng *rng) {
    fvsbn_sample(x, m->scratch, m->params, n, m->d, rng);
}

/* b_i, then W_{i,j} (i > j) column by column; 1-based names */
static int fvsbn_name(char *buf, size_t n, size_t k, int d, int h) {
    (void)h;
    if (k < (size_t)d) return snprintf(buf, n, "b_%zu", k + 1), 0;
    size_t r = k - (size_t)d;
    int j = 0;
    while (j + 1 < d - 1 && fvsbn_col(j + 1, d) <= r) j++;
    size_t i = (size_t)j + 1 + (r - fvsbn_col(j, d));
    snprintf(buf, n, "W_{%zu,%d} (column W_{:,%d}, weight of x_%d in a_%zu)",
             i + 1, j + 1, j + 1, j + 1, i + 1);
    return 1;
}

/* --- MLP conditionals (chapter 4) ----------------------------------------- */

/* The size of mlp_point's layout: every A_i (h (i - 1) floats for
 * 1-based i), then c, w (d h each) and b (d). (mlp_num_params is the
 * student's closed formula for it, exercise 4.3.) */
static size_t mlp_params(int d, int h) {
    size_t n = 0;
    for (int i = 1; i <= d; i++) n += (size_t)h * (size_t)(i - 1);
    return n + 2 * (size_t)d * (size_t)h + (size_t)d;
}
static size_t mlp_scratch(int d, int h) { return mlp_scratch_floats(d, h); }
static void mlp_init(float *params, int d, int h, const double *marg,
                     Rng *rng) {
    /* small random A and w, c = 0, b from the pixel means */
    MlpParams p;
    mlp_point(&p, params, d, h);
    size_t na = (size_t)h * (size_t)d * (size_t)(d - 1) / 2;
    for (size_t k = 0; k < na; k++)
        p.A[k] = 0.01f * (float)(2 * rng_uniform(rng) - 1);
    for (size_t k = 0; k < (size_t)d * h; k++) {
        p.c[k] = 0;
        p.w[k] = 0.01f * (float)(2 * rng_uniform(rng) - 1);
    }
    for (int i = 0; i < d; i++) p.b[i] = model_bias_from_mean(marg[i]);
}
static void mlp_fwd(Model *m, double *nll, float *scratch,
                    const uint8_t *x, int B) {
    mlp_forward(nll, scratch, x, m->params, B, m->d, m->h);
}
static void mlp_bwd(Model *m, float *dparams, float *scratch,
                    const uint8_t *x, int B) {
    mlp_backward(dparams, scratch, x, m->params, B, m->d, m->h);
}
static void mlp_smp(Model *m, uint8_t *x, int n, Rng *rng) {
    mlp_sample(x, m->scratch, m->params, n, m->d, m->h, rng);
}

/* A_i (h x (i-1)) for i = 1..d, then c_i, w^(i) (h each), b_i */
static int mlp_name(char *buf, size_t n, size_t k, int d, int h) {
    size_t H = (size_t)h, na = H * (size_t)d * (size_t)(d - 1) / 2;
    if (k < na) {
        size_t i = 1; /* 0-based conditional: A_i starts at h i(i-1)/2 */
        while (H * (i + 1) * i / 2 <= k) i++;
        size_t r = k - H * i * (i - 1) / 2;
        snprintf(buf, n, "(A_%zu)_{%zu,%zu} (conditional %zu, hidden unit "
                 "%zu, input x_%zu)", i + 1, r % H + 1, r / H + 1, i + 1,
                 r % H + 1, r / H + 1);
        return 0;
    }
    k -= na;
    static const char *const fmt[] = {"(c_%zu)_%zu", "(w_%zu)_%zu"};
    if (k < 2 * (size_t)d * H) {
        int blk = (int)(k / ((size_t)d * H));
        size_t r = k % ((size_t)d * H);
        snprintf(buf, n, fmt[blk], r / H + 1, r % H + 1);
        return 1 + blk;
    }
    snprintf(buf, n, "b_%zu", k - 2 * (size_t)d * H + 1);
    return 3;
}

/* --- NADE (chapter 5) ----------------------------------------------------- */

/* The size of nade_point's layout: W (d h), c (h), V (d h), b (d).
 * (nade_num_params is the student's formula for it, exercise 5.4.) */
static size_t nade_params(int d, int h) {
    return (size_t)d * h + (size_t)h + (size_t)d * h + (size_t)d;
}
static size_t nade_scratch(int d, int h) { return nade_scratch_floats(d, h); }
static void nade_init(float *params, int d, int h, const double *marg,
                      Rng *rng) {
    /* small random W and V (symmetry must be broken), c = 0, and the
     * output biases of the independent-pixel model */
    NadeParams p;
    nade_point(&p, params, d, h);
    float scale = 0.01f;
    for (size_t k = 0; k < (size_t)d * h; k++) {
        p.W[k] = scale * (float)(2 * rng_uniform(rng) - 1);
        p.V[k] = scale * (float)(2 * rng_uniform(rng) - 1);
    }
    memset(p.c, 0, (size_t)h * sizeof *p.c);
    for (int i = 0; i < d; i++) p.b[i] = model_bias_from_mean(marg[i]);
}
static void nade_fwd(Model *m, double *nll, float *scratch,
                     const uint8_t *x, int B) {
    if (m->order)
        nade_forward_order(nll, scratch, x, m->params, m->order, B, m->d,
                           m->h);
    else nade_forward(nll, scratch, x, m->params, B, m->d, m->h);
}
static void nade_bwd(Model *m, float *dparams, float *scratch,
                     const uint8_t *x, int B) {
    if (m->order)
        nade_backward_order(dparams, scratch, x, m->params, m->order, B,
                            m->d, m->h);
    else nade_backward(dparams, scratch, x, m->params, B, m->d, m->h);
}
static void nade_smp(Model *m, uint8_t *x, int n, Rng *rng) {
    if (m->order)
        nade_complete_order(x, m->scratch, m->params, m->order, 0, n,
                            m->d, m->h, rng);
    else nade_sample(x, m->scratch, m->params, n, m->d, m->h, rng);
}

static int nade_cmp(Model *m, uint8_t *x, int given, Rng *rng, Err *e) {
    int *order = m->order; /* NULL: the raster order */
    if (!order && !(order = malloc((size_t)m->d * sizeof *order)))
        return err_set(e, "nade: out of memory for a completion");
    for (int i = 0; !m->order && i < m->d; i++) order[i] = i;
    nade_complete_order(x, m->scratch, m->params, order, given, 1, m->d,
                        m->h, rng);
    if (order != m->order) free(order);
    return 0;
}

/* W (h x d, column j = W_{:,j}), c (h), V (d x h, row i = V_{i,:}), b */
static int nade_name(char *buf, size_t n, size_t k, int d, int h) {
    size_t H = (size_t)h, D = (size_t)d;
    if (k < D * H) {
        snprintf(buf, n, "W_{%zu,%zu} (column W_{:,%zu} entry %zu)",
                 k % H + 1, k / H + 1, k / H + 1, k % H + 1);
        return 0;
    }
    k -= D * H;
    if (k < H) return snprintf(buf, n, "c_%zu", k + 1), 1;
    k -= H;
    if (k < D * H) {
        snprintf(buf, n, "V_{%zu,%zu}", k / H + 1, k % H + 1);
        return 2;
    }
    snprintf(buf, n, "b_%zu", k - D * H + 1);
    return 3;
}

/* --- MADE (chapter 7) --------------------------------------------------- */

/* MADE's parameters are NADE's, in nade_point's layout. */
static int made_cmp(Model *m, uint8_t *x, int given, Rng *rng, Err *e) {
    (void)e; /* the mask in use, or the first of an ensemble */
    const MadeMask *mk = &m->masks[m->mask < 0 ? 0 : m->mask];
    made_sample(x, m->scratch, m->params, mk, given, 1, m->d, m->h, rng);
    return 0;
}
static size_t made_scratch(int d, int h) { return made_scratch_floats(d, h); }
static void made_init(float *params, int d, int h, const double *marg,
                      Rng *rng) {
    /* W and V uniform in +-1/sqrt(fan-in) (ReLU units need a spread
     * that keeps about half of them on), c = 0, the output biases of
     * the independent-pixel model */
    MadeParams p;
    nade_point(&p, params, d, h);
    float sw = (float)(1 / sqrt((double)d)), sv = (float)(1 / sqrt(h));
    for (size_t k = 0; k < (size_t)d * h; k++)
        p.W[k] = sw * (float)(2 * rng_uniform(rng) - 1);
    for (size_t k = 0; k < (size_t)d * h; k++)
        p.V[k] = sv * (float)(2 * rng_uniform(rng) - 1);
    memset(p.c, 0, (size_t)h * sizeof *p.c);
    for (int i = 0; i < d; i++) p.b[i] = model_bias_from_mean(marg[i]);
}

/* log (1/K) sum_k exp(lp[k]), shifted by the largest term so that no
 * exp overflows or underflows to nothing: chapter 6's log-mean-exp,
 * kept here so that chapter 7 does not run chapter 6's exercise. */
static double mean_exp_log(const double *lp, int K) {
    double top = lp[0], sum = 0;
    for (int k = 1; k < K; k++)
        if (lp[k] > top) top = lp[k];
    for (int k = 0; k < K; k++) sum += exp(lp[k] - top);
    return top + log(sum / K);
}

/* The ensemble of all masks: -log (1/K) sum_k p_k(x), a log-mean-exp,
 * never an average of logits. */
static void made_ensemble(Model *m, double *nll, float *scratch,
                          const uint8_t *x, int B) {
    enum { CHUNK = 16 };
    int K = m->n_masks;
    double lk[CHUNK], lp[MODEL_MAX_MASKS][CHUNK], col[MODEL_MAX_MASKS];
    for (int b0 = 0; b0 < B; b0 += CHUNK) {
        int n = B - b0 < CHUNK ? B - b0 : CHUNK;
        const uint8_t *xb = x + (size_t)b0 * m->d;
        for (int k = 0; k < K; k++) {
            made_forward(lk, scratch, xb, m->params, &m->masks[k], n, m->d,
                         m->h);
            for (int i = 0; i < n; i++) lp[k][i] = -lk[i];
        }
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < K; k++) col[k] = lp[k][i];
            nll[b0 + i] = -mean_exp_log(col, K);
        }
    }
}
static void made_fwd(Model *m, double *nll, float *scratch,
                     const uint8_t *x, int B) {
    if (m->mask < 0 && m->n_masks > 1) made_ensemble(m, nll, scratch, x, B);
    else made_forward(nll, scratch, x, m->params,
                      &m->masks[m->mask < 0 ? 0 : m->mask], B, m->d, m->h);
}
static void made_bwd(Model *m, float *dparams, float *scratch,
                     const uint8_t *x, int B) {
    /* training uses one mask at a time (model_train_mask) */
    made_backward(dparams, scratch, x, m->params,
                  &m->masks[m->mask < 0 ? 0 : m->mask], B, m->d, m->h);
}
static void made_smp(Model *m, uint8_t *x, int n, Rng *rng) {
    /* the ensemble is a mixture: each image from a mask drawn first */
    for (int s = 0; s < n; s++) {
        int k = m->mask >= 0 ? m->mask
                : m->n_masks > 1 ? (int)rng_below(rng, (uint64_t)m->n_masks)
                                 : 0;
        made_sample(x + (size_t)s * m->d, m->scratch, m->params,
                    &m->masks[k], 0, 1, m->d, m->h, rng);
    }
}

/* The registry, indexed by ModelKind (entry 0 is empty). A new model
 * is one entry here and its functions above. */
static const ModelOps MODELS[] = {
    [MODEL_FVSBN] = {.kind = MODEL_FVSBN, .name = "fvsbn",
                     .num_params = fvsbn_params,
                     .scratch_floats = fvsbn_scratch, .init = fvsbn_init,
                     .forward = fvsbn_fwd, .backward = fvsbn_bwd,
                     .sample = fvsbn_smp, .blocks = {"b", "W", NULL},
                     .param_name = fvsbn_name},
    [MODEL_MLP] = {.kind = MODEL_MLP, .name = "mlp",
                   .num_params = mlp_params, .scratch_floats = mlp_scratch,
                   .init = mlp_init, .forward = mlp_fwd,
                   .backward = mlp_bwd, .sample = mlp_smp,
                   .needs_hidden = 1, .default_hidden = 8, /* chapter 4 */
                   .blocks = {"A", "c", "w", "b", NULL},
                   .param_name = mlp_name},
    [MODEL_NADE] = {.kind = MODEL_NADE, .name = "nade",
                    .num_params = nade_params,
                    .scratch_floats = nade_scratch, .init = nade_init,
                    .forward = nade_fwd, .backward = nade_bwd,
                    .sample = nade_smp, .complete = nade_cmp,
                    .needs_hidden = 1,
                    .default_hidden = 500, /* chapter 5 */
                    .has_order = 1, .blocks = {"W", "c", "V", "b", NULL},
                    .param_name = nade_name},
    [MODEL_MADE] = {.kind = MODEL_MADE, .name = "made",
                    .num_params = nade_params, /* the same layout */
                    .scratch_floats = made_scratch, .init = made_init,
                    .forward = made_fwd, .backward = made_bwd,
                    .sample = made_smp, .complete = made_cmp,
                    .needs_hidden = 1,
                    .default_hidden = 500, /* chapter 7 */
                    .has_masks = 1, .blocks = {"W", "c", "V", "b", NULL},
                    .param_name = nade_name},
};
#define N_MODELS ((int)(sizeof MODELS / sizeof MODELS[0]))

const ModelOps *model_ops_by_name(const char *name) {
    for (int i = 1; i < N_MODELS; i++)
        if (!strcmp(MODELS[i].name, name)) return &MODELS[i];
    return NULL;
}

int model_param_name(const Model *m, size_t k, char *buf, size_t n) {
    return m->ops->param_name(buf, n, k, m->d, m->h);
}

const ModelOps *model_ops_by_kind(int kind) {
    return kind >= 1 && kind < N_MODELS ? &MODELS[kind] : NULL;
}

int model_create(Model *m, const ModelOps *ops, int d, int h, int max_batch,
                 Err *e) {
    memset(m, 0, sizeof *m);
    if (d < 1 || d > MODEL_MAX_D)
        return err_set(e, "%s: d = %d, expected 1..%d", ops->name, d,
                       MODEL_MAX_D);
    if (h < 0 || (ops->needs_hidden && h < 1) || max_batch < 1)
        return err_set(e, "%s: bad sizes h = %d, batch = %d", ops->name, h,
                       max_batch);
    m->ops = ops;
    m->d = d;
    m->h = h;
    m->max_batch = max_batch;
    m->n_params = ops->num_params(d, h);
    m->scratch_per_example = ops->scratch_floats(d, h);
    size_t ns = m->scratch_per_example * (size_t)max_batch;
    /* sampling needs d floats (and 2 h) even with a batch of 1 */
    if (ns < (size_t)d + 2 * (size_t)h) ns = (size_t)d + 2 * (size_t)h;
    m->params = calloc(m->n_params, sizeof *m->params);
    m->scratch = calloc(ns, sizeof *m->scratch);
    m->nll = calloc((size_t)max_batch, sizeof *m->nll);
    if (!m->params || !m->scratch || !m->nll) {
        model_free(m);
        return err_set(e, "%s: out of memory for %zu parameters", ops->name,
                       m->n_params);
    }
    if (ops->has_masks && model_set_masks(m, 1, 0, 1, e)) {
        model_free(m);
        return -1;
    }
    return 0;
}

void model_free(Model *m) {
    free(m->params);
    free(m->scratch);
    free(m->order);
    free(m->nll);
    free(m->masks);
    free(m->mask_ints);
    m->params = m->scratch = NULL;
    m->order = NULL;
    m->nll = NULL;
    m->masks = NULL;
    m->mask_ints = NULL;
    m->n_masks = 0;
}

/* Room for K masks of m's sizes; their pointers into one buffer. */
static int masks_alloc(Model *m, int K, Err *e) {
    if (!m->ops->has_masks)
        return err_set(e, "%s: masks need a made model", m->ops->name);
    if (K < 1 || K > MODEL_MAX_MASKS)
        return err_set(e, "made: %d masks, expected 1..%d", K,
                       MODEL_MAX_MASKS);
    size_t d = (size_t)m->d, h = (size_t)m->h, per = 3 * d + h;
    MadeMask *mk = calloc((size_t)K, sizeof *mk);
    int *ints = malloc((size_t)K * per * sizeof *ints);
    if (!mk || !ints) {
        free(mk);
        free(ints);
        return err_set(e, "made: out of memory for %d masks", K);
    }
    for (int k = 0; k < K; k++) {
        int *q = ints + (size_t)k * per;
        mk[k] = (MadeMask){.order = q, .pos = q + d, .cut = q + 2 * d,
                           .deg = q + 3 * d};
    }
    free(m->masks);
    free(m->mask_ints);
    m->masks = mk;
    m->mask_ints = ints;
    m->n_masks = K;
    m->mask = K == 1 ? 0 : -1;
    return 0;
}

/* pos and cut from order and deg */
static void mask_finish(MadeMask *mk, int d, int h) {
    for (int t = 0; t < d; t++) mk->pos[mk->order[t]] = t + 1;
    made_mask_blocks(mk, d, h);
}

static int cmp_int(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

int model_set_masks(Model *m, int K, int random_order, uint64_t seed,
                    Err *e) {
    if (masks_alloc(m, K, e)) return -1;
    int d = m->d, h = m->h, top = d > 1 ? d - 1 : 1;
    Rng rng;
    rng_seed(&rng, seed);
    for (int k = 0; k < K; k++) {
        MadeMask *mk = &m->masks[k];
        if (random_order) order_random(mk->order, d, &rng);
        else
            for (int t = 0; t < d; t++) mk->order[t] = t;
        for (int u = 0; u < h; u++)
            mk->deg[u] = 1 + (int)rng_below(&rng, (uint64_t)top);
        qsort(mk->deg, (size_t)h, sizeof *mk->deg, cmp_int);
        mask_finish(mk, d, h);
    }
    m->mask_random = random_order;
    m->mask_seed = seed;
    return 0;
}

int model_set_mask_arrays(Model *m, int K, const int *orders,
                          const int *degs, Err *e) {
    int d = m->d, h = m->h, top = d > 1 ? d - 1 : 1;
    for (int k = 0; k < K; k++) { /* check before changing anything */
        const int *o = orders + (size_t)k * d, *g = degs + (size_t)k * h;
        unsigned char seen[MODEL_MAX_D] = {0};
        for (int t = 0; t < d; t++) {
            if (o[t] < 0 || o[t] >= d || seen[o[t]])
                return err_set(e, "mask %d: the order is not a "
                                  "permutation of 0..%d", k + 1, d - 1);
            seen[o[t]] = 1;
        }
        for (int u = 0; u < h; u++)
            if (g[u] < 1 || g[u] > top || (u > 0 && g[u] < g[u - 1]))
                return err_set(e, "mask %d: degree %d of unit %d is not in "
                                  "1..%d or not sorted", k + 1, g[u], u + 1,
                               top);
    }
    if (masks_alloc(m, K, e)) return -1;
    for (int k = 0; k < K; k++) {
        MadeMask *mk = &m->masks[k];
        memcpy(mk->order, orders + (size_t)k * d, (size_t)d * sizeof(int));
        memcpy(mk->deg, degs + (size_t)k * h, (size_t)h * sizeof(int));
        mask_finish(mk, d, h);
    }
    return 0;
}

int model_in_raster_order(const Model *m) {
    if (m->order || m->n_masks > 1) return 0;
    for (int t = 0; m->n_masks == 1 && t < m->d; t++)
        if (m->masks[0].order[t] != t) return 0;
    return 1;
}

void model_train_mask(Model *m, Rng *rng) {
    if (m->n_masks > 1) m->mask = (int)rng_below(rng, (uint64_t)m->n_masks);
}

void model_use_ensemble(Model *m) {
    if (m->n_masks > 0) m->mask = m->n_masks == 1 ? 0 : -1;
}

int model_set_order(Model *m, const int *order, Err *e) {
    if (!order) {
        free(m->order);
        m->order = NULL;
        return 0;
    }
    if (!m->ops->has_order)
        return err_set(e, "%s: pixel orders need a nade model",
                       m->ops->name);
    if (!m->order && !(m->order = malloc((size_t)m->d * sizeof(int))))
        return err_set(e, "%s: out of memory", m->ops->name);
    memcpy(m->order, order, (size_t)m->d * sizeof(int));
    return 0;
}

int model_random_order(Model *m, Rng *rng, Err *e) {
    if (!m->order && !(m->order = malloc((size_t)m->d * sizeof(int))))
        return err_set(e, "%s: out of memory for a pixel order",
                       m->ops->name);
    order_random(m->order, m->d, rng);
    return 0;
}

int model_init_from_data(Model *m, const uint8_t *x, size_t n, Rng *rng,
                         Err *e) {
    double *marg = malloc((size_t)m->d * sizeof *marg);
    if (!marg) return err_set(e, "%s: out of memory", m->ops->name);
    model_marginals(marg, x, n, m->d);
    m->ops->init(m->params, m->d, m->h, marg, rng);
    free(marg);
    return 0;
}

void model_marginals(double *marg, const uint8_t *x, size_t n, int d) {
    for (int i = 0; i < d; i++) marg[i] = 0;
    for (size_t k = 0; k < n; k++)
        for (int i = 0; i < d; i++) marg[i] += x[k * (size_t)d + i];
    for (int i = 0; i < d; i++) marg[i] /= n ? (double)n : 1.0;
}

float model_bias_from_mean(double mean) {
    double p = fmin(fmax(mean, 1e-3), 1 - 1e-3);
    return (float)log(p / (1 - p));
}

/* One thread's share of a batch: examples [b0, b1). */
typedef struct {
    Model *m;
    float **grads;
    const uint8_t *x;
    double *nll;
    int B, T;
} Chunk;

static void chunk_range(const Chunk *c, int t, int *b0, int *b1) {
    *b0 = (int)((long)c->B * t / c->T);
    *b1 = (int)((long)c->B * (t + 1) / c->T);
}

static void chunk_forward(void *ctx, int t) {
    Chunk *c = ctx;
    int b0, b1;
    chunk_range(c, t, &b0, &b1);
    Model *m = c->m;
    float *scr = m->scratch + (size_t)b0 * m->scratch_per_example;
    const uint8_t *x = c->x + (size_t)b0 * (size_t)m->d;
    if (b1 > b0) m->ops->forward(m, c->nll + b0, scr, x, b1 - b0);
    if (c->grads && b1 > b0)
        m->ops->backward(m, c->grads[t], scr, x, b1 - b0);
}

double model_forward_backward(Model *m, float **grads, int threads,
                              const uint8_t *x, int B, double *nll) {
    int T = threads < B ? threads : B;
    if (T < 1) T = 1;
    Chunk c = {m, grads, x, nll, B, T};
    parallel_for(T, chunk_forward, &c);
    double sum = 0;
    for (int b = 0; b < B; b++) sum += nll[b];
    return sum;
}

void model_example_nll(Model *m, const uint8_t *x, size_t n, double *nll) {
    model_example_nll_threads(m, x, n, nll, parallel_threads());
}

void model_example_nll_threads(Model *m, const uint8_t *x, size_t n,
                               double *nll, int T) {
    for (size_t i = 0; i < n; i += (size_t)m->max_batch) {
        size_t left = n - i;
        int B = (int)(left < (size_t)m->max_batch ? left : (size_t)m->max_batch);
        model_forward_backward(m, NULL, T, x + i * (size_t)m->d, B, nll + i);
    }
}

double model_mean_nll(Model *m, const uint8_t *x, size_t n) {
    double total = 0.0; /* the batches of model_example_nll, in order */
    for (size_t i = 0; i < n; i += (size_t)m->max_batch) {
        size_t B = n - i;
        if (B > (size_t)m->max_batch) B = (size_t)m->max_batch;
        model_example_nll(m, x + i * (size_t)m->d, B, m->nll);
        for (size_t k = 0; k < B; k++) total += m->nll[k];
    }
    return n ? total / (double)n : 0.0;
}
