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
#include "pixelcnn.h"
#include "vec.h"

/* --- FVSBN (chapter 3)
 * --------------------------------------------------- */

static size_t fvsbn_params(int d, int h, int h2) {
    (void)h, (void)h2;
    return fvsbn_num_params(d);
}
static size_t fvsbn_scratch(int d, int h, int h2) {
    (void)h, (void)h2;
    return (size_t)d; /* dnll/da */
}
static void fvsbn_init(float *params, int d, int h, int h2,
                       const double *marg, Rng *rng) {
    (void)h, (void)h2;
    (void)rng;
    /* W = 0 and b_i = logit(mean of x_i): training starts from the
     * model in which every pixel is an independent coin */
    memset(params, 0, fvsbn_num_params(d) * sizeof *params);
    for (int i = 0; i < d; i++)
        params[i] = model_bias_from_mean(marg[i]);
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
static int fvsbn_name(char *buf, size_t n, size_t k, int d, int h,
                      int h2) {
    (void)h, (void)h2;
    if (k < (size_t)d) return snprintf(buf, n, "b_%zu", k + 1), 0;
    size_t r = k - (size_t)d;
    int j = 0;
    while (j + 1 < d - 1 && fvsbn_col(j + 1, d) <= r) j++;
    size_t i = (size_t)j + 1 + (r - fvsbn_col(j, d));
    snprintf(buf, n,
             "W_{%zu,%d} (column W_{:,%d}, weight of x_%d in a_%zu)",
             i + 1, j + 1, j + 1, j + 1, i + 1);
    return 1;
}

/* --- MLP conditionals (chapter 4)
 * ----------------------------------------- */

/* The size of mlp_point's layout: every A_i (h (i - 1) floats for
 * 1-based i), then c, w (d h each) and b (d). (mlp_num_params is the
 * student's closed formula for it, exercise 4.3.) */
static size_t mlp_params(int d, int h, int h2) {
    (void)h2;
    size_t n = 0;
    for (int i = 1; i <= d; i++) n += (size_t)h * (size_t)(i - 1);
    return n + 2 * (size_t)d * (size_t)h + (size_t)d;
}
static size_t mlp_scratch(int d, int h, int h2) {
    (void)h2;
    return mlp_scratch_floats(d, h);
}
static void mlp_init(float *params, int d, int h, int h2,
                     const double *marg, Rng *rng) {
    (void)h2;
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
static int mlp_name(char *buf, size_t n, size_t k, int d, int h,
                    int h2) {
    (void)h2;
    size_t H = (size_t)h, na = H * (size_t)d * (size_t)(d - 1) / 2;
    if (k < na) {
        size_t i =
            1; /* 0-based conditional: A_i starts at h i(i-1)/2 */
        while (H * (i + 1) * i / 2 <= k) i++;
        size_t r = k - H * i * (i - 1) / 2;
        snprintf(buf, n,
                 "(A_%zu)_{%zu,%zu} (conditional %zu, hidden unit "
                 "%zu, input x_%zu)",
                 i + 1, r % H + 1, r / H + 1, i + 1, r % H + 1,
                 r / H + 1);
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

/* --- NADE (chapter 5)
 * ----------------------------------------------------- */

/* The size of nade_point's layout: W (d h), c (h), V (d h), b (d).
 * (nade_num_params is the student's formula for it, exercise 5.4.) */
static size_t nade_params(int d, int h, int h2) {
    (void)h2;
    return (size_t)d * h + (size_t)h + (size_t)d * h + (size_t)d;
}
static size_t nade_scratch(int d, int h, int h2) {
    (void)h2;
    return nade_scratch_floats(d, h);
}
static void nade_init(float *params, int d, int h, int h2,
                      const double *marg, Rng *rng) {
    (void)h2;
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
        nade_forward_order(nll, scratch, x, m->params, m->order, B,
                           m->d, m->h);
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

/* W (h x d, column j = W_{:,j}), c (h), V (d x h, row i = V_{i,:}), b
 */
static int nade_name(char *buf, size_t n, size_t k, int d, int h,
                     int h2) {
    (void)h2;
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

/* --- MADE (chapter 7)
 * --------------------------------------------------- */

/* One hidden layer: NADE's parameters in nade_point's layout and the
 * exercises' passes; two (h2 > 0): made2.h's layout and passes. */
static size_t made_params(int d, int h, int h2) {
    return h2 ? made2_num_params(d, h, h2) : nade_params(d, h, 0);
}
static size_t made_scratch(int d, int h, int h2) {
    return h2 ? made2_scratch_floats(d, h, h2)
              : made_scratch_floats(d, h);
}
static void uniform_fill(float *w, size_t n, double fan_in, Rng *rng) {
    float s = (float)(1 / sqrt(fan_in));
    for (size_t k = 0; k < n; k++)
        w[k] = s * (float)(2 * rng_uniform(rng) - 1);
}
static void made_init(float *params, int d, int h, int h2,
                      const double *marg, Rng *rng) {
    /* W and V uniform in +-1/sqrt(fan-in) (ReLU units need a spread
     * that keeps about half of them on), c = 0, the output biases of
     * the independent-pixel model */
    size_t D = (size_t)d, H = (size_t)h, H2 = (size_t)h2;
    float *b;
    if (h2) {
        Made2Params p;
        made2_point(&p, params, d, h, h2);
        uniform_fill(p.W, D * H, d, rng);
        uniform_fill(p.W2, H2 * H, h, rng);
        uniform_fill(p.V, D * H2, h2, rng);
        memset(p.c, 0, H * sizeof *p.c);
        memset(p.c2, 0, H2 * sizeof *p.c2);
        b = p.b;
    } else {
        MadeParams p;
        nade_point(&p, params, d, h);
        uniform_fill(p.W, D * H, d, rng);
        uniform_fill(p.V, D * H, h, rng);
        memset(p.c, 0, H * sizeof *p.c);
        b = p.b;
    }
    for (int i = 0; i < d; i++) b[i] = model_bias_from_mean(marg[i]);
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

/* One mask's forward pass, with one hidden layer or two. */
static void made_mask_forward(Model *m, int k, double *nll,
                              float *scratch, const uint8_t *x, int B) {
    if (m->h2)
        made2_forward(nll, scratch, x, m->params, &m->masks[k],
                      &m->layer2[k], B, m->d, m->h, m->h2);
    else
        made_forward(nll, scratch, x, m->params, &m->masks[k], B, m->d,
                     m->h);
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
            made_mask_forward(m, k, lk, scratch, xb, n);
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
    if (m->mask < 0 && m->n_masks > 1)
        made_ensemble(m, nll, scratch, x, B);
    else
        made_mask_forward(m, m->mask < 0 ? 0 : m->mask, nll, scratch, x,
                          B);
}
static void made_bwd(Model *m, float *dparams, float *scratch,
                     const uint8_t *x, int B) {
    /* training uses one mask at a time (model_train_mask) */
    int k = m->mask < 0 ? 0 : m->mask;
    if (m->h2)
        made2_backward(dparams, scratch, x, m->params, &m->masks[k],
                       &m->layer2[k], B, m->d, m->h, m->h2);
    else
        made_backward(dparams, scratch, x, m->params, &m->masks[k], B,
                      m->d, m->h);
}
/* n images from mask k, the pixels at its first `given` places kept */
static void made_mask_sample(Model *m, int k, uint8_t *x, int given,
                             int n, Rng *rng) {
    if (m->h2)
        made2_sample(x, m->scratch, m->params, &m->masks[k],
                     &m->layer2[k], given, n, m->d, m->h, m->h2, rng);
    else
        made_sample(x, m->scratch, m->params, &m->masks[k], given, n,
                    m->d, m->h, rng);
}
static int made_cmp(Model *m, uint8_t *x, int given, Rng *rng, Err *e) {
    (void)e; /* the mask in use, or the first of an ensemble */
    made_mask_sample(m, m->mask < 0 ? 0 : m->mask, x, given, 1, rng);
    return 0;
}
static void made_smp(Model *m, uint8_t *x, int n, Rng *rng) {
    /* the ensemble is a mixture: each image from a mask drawn first */
    for (int s = 0; s < n; s++) {
        int k = m->mask >= 0 ? m->mask
                : m->n_masks > 1
                    ? (int)rng_below(rng, (uint64_t)m->n_masks)
                    : 0;
        made_mask_sample(m, k, x + (size_t)s * m->d, 0, 1, rng);
    }
}

/* W, c, V, b as NADE's; with two layers W, c, W2, c2, V, b */
static int made_name(char *buf, size_t n, size_t k, int d, int h,
                     int h2) {
    if (!h2) return nade_name(buf, n, k, d, h, 0);
    size_t D = (size_t)d, H = (size_t)h, H2 = (size_t)h2;
    if (k < D * H + H) return nade_name(buf, n, k, d, h, 0);
    k -= D * H + H;
    if (k < H2 * H) {
        snprintf(buf, n,
                 "W2_{%zu,%zu} (second layer, unit %zu, from unit "
                 "%zu)",
                 k / H + 1, k % H + 1, k / H + 1, k % H + 1);
        return 2;
    }
    k -= H2 * H;
    if (k < H2) return snprintf(buf, n, "c2_%zu", k + 1), 3;
    k -= H2;
    if (k < D * H2) {
        snprintf(buf, n, "V_{%zu,%zu}", k / H2 + 1, k % H2 + 1);
        return 4;
    }
    snprintf(buf, n, "b_%zu", k - D * H2 + 1);
    return 5;
}

/* --- PixelCNN (chapter 8, to be) -------------------------------------
 */

/* h: channels C, h2: layers L */
static size_t pcnn_params(int d, int h, int h2) {
    return pixelcnn_num_params(d, h, h2);
}
static size_t pcnn_scratch(int d, int h, int h2) {
    return pixelcnn_side(d) ? pixelcnn_scratch_floats(d, h, h2) : 1;
}
static void pcnn_init(float *params, int d, int h, int h2,
                      const double *marg, Rng *rng) {
    /* weights uniform in +-1/sqrt(fan-in), the residual layers' halved
     * so that the sum of L of them stays of the first's size; biases 0
     * and b_o at the log-odds of the mean pixel */
    PixelcnnParams p;
    pixelcnn_point(&p, params, h, h2);
    int dy[PIXELCNN_KA * PIXELCNN_KA], dx[PIXELCNN_KA * PIXELCNN_KA];
    int ta = pixelcnn_taps(PIXELCNN_KA, 0, dy, dx);
    int tb = pixelcnn_taps(PIXELCNN_KB, 1, dy, dx);
    size_t C = (size_t)h, layer = C * C * (size_t)tb + C;
    memset(params, 0, pixelcnn_num_params(d, h, h2) * sizeof *params);
    uniform_fill(p.W0, C * (size_t)ta, ta, rng);
    for (int l = 0; l < h2; l++) {
        float *W = p.W + (size_t)l * layer;
        uniform_fill(W, C * C * (size_t)tb, 4.0 * C * tb, rng);
    }
    uniform_fill(p.wo, C, h, rng);
    double mean = 0;
    for (int i = 0; i < d; i++) mean += marg[i] / d;
    p.bo[0] = model_bias_from_mean(mean);
}
static void pcnn_fwd(Model *m, double *nll, float *scratch,
                     const uint8_t *x, int B) {
    pixelcnn_forward(nll, scratch, x, m->params, B, m->d, m->h, m->h2);
}
static void pcnn_bwd(Model *m, float *dparams, float *scratch,
                     const uint8_t *x, int B) {
    pixelcnn_backward(dparams, scratch, x, m->params, B, m->d, m->h,
                      m->h2);
}
static void pcnn_smp(Model *m, uint8_t *x, int n, Rng *rng) {
    pixelcnn_sample(x, m->scratch, m->params, 0, n, m->d, m->h, m->h2,
                    rng);
}
static int pcnn_cmp(Model *m, uint8_t *x, int given, Rng *rng, Err *e) {
    (void)e;
    pixelcnn_sample(x, m->scratch, m->params, given, 1, m->d, m->h,
                    m->h2, rng);
    return 0;
}
/* W_0, b_0, then each layer's W_l, b_l, then w_o, b_o */
static int pcnn_name(char *buf, size_t n, size_t k, int d, int h,
                     int h2) {
    (void)d;
    int dy[PIXELCNN_KA * PIXELCNN_KA], dx[PIXELCNN_KA * PIXELCNN_KA];
    size_t ta = (size_t)pixelcnn_taps(PIXELCNN_KA, 0, dy, dx);
    size_t tb = (size_t)pixelcnn_taps(PIXELCNN_KB, 1, dy, dx);
    size_t C = (size_t)h, layer = C * C * tb + C;
    if (k < C * ta) {
        snprintf(buf, n, "W_0 (out %zu, tap %zu)", k / ta + 1,
                 k % ta + 1);
        return 0;
    }
    k -= C * ta;
    if (k < C) return snprintf(buf, n, "b_0 (channel %zu)", k + 1), 1;
    k -= C;
    if (k < (size_t)h2 * layer) {
        size_t l = k / layer + 1, r = k % layer;
        if (r < C * C * tb) {
            snprintf(buf, n, "W_%zu (out %zu, in %zu, tap %zu)", l,
                     r / (C * tb) + 1, r / tb % C + 1, r % tb + 1);
            return 2;
        }
        snprintf(buf, n, "b_%zu (channel %zu)", l, r - C * C * tb + 1);
        return 3;
    }
    k -= (size_t)h2 * layer;
    if (k < C) return snprintf(buf, n, "w_o (channel %zu)", k + 1), 4;
    return snprintf(buf, n, "b_o"), 5;
}

/* The registry, indexed by ModelKind (entry 0 is empty). A new model
 * is one entry here and its functions above. */
static const ModelOps MODELS[] = {
    [MODEL_FVSBN] = {.kind = MODEL_FVSBN,
                     .name = "fvsbn",
                     .num_params = fvsbn_params,
                     .scratch_floats = fvsbn_scratch,
                     .init = fvsbn_init,
                     .forward = fvsbn_fwd,
                     .backward = fvsbn_bwd,
                     .sample = fvsbn_smp,
                     .blocks = {"b", "W", NULL},
                     .param_name = fvsbn_name},
    [MODEL_MLP] = {.kind = MODEL_MLP,
                   .name = "mlp",
                   .num_params = mlp_params,
                   .scratch_floats = mlp_scratch,
                   .init = mlp_init,
                   .forward = mlp_fwd,
                   .backward = mlp_bwd,
                   .sample = mlp_smp,
                   .needs_hidden = 1,
                   .default_hidden = 8, /* chapter 4 */
                   .blocks = {"A", "c", "w", "b", NULL},
                   .param_name = mlp_name},
    [MODEL_NADE] = {.kind = MODEL_NADE,
                    .name = "nade",
                    .num_params = nade_params,
                    .scratch_floats = nade_scratch,
                    .init = nade_init,
                    .forward = nade_fwd,
                    .backward = nade_bwd,
                    .sample = nade_smp,
                    .complete = nade_cmp,
                    .needs_hidden = 1,
                    .default_hidden = 500, /* chapter 5 */
                    .has_order = 1,
                    .blocks = {"W", "c", "V", "b", NULL},
                    .param_name = nade_name},
    [MODEL_MADE] = {.kind = MODEL_MADE,
                    .name = "made",
                    .num_params = made_params,
                    .scratch_floats = made_scratch,
                    .init = made_init,
                    .forward = made_fwd,
                    .backward = made_bwd,
                    .sample = made_smp,
                    .complete = made_cmp,
                    .needs_hidden = 1,
                    .default_hidden = 500, /* chapter 7 */
                    .has_masks = 1,
                    .has_layer2 = 1,
                    .blocks = {"W", "c", "V", "b", NULL},
                    .blocks2 = {"W", "c", "W2", "c2", "V", "b", NULL},
                    .param_name = made_name},
    [MODEL_PIXELCNN] = {.kind = MODEL_PIXELCNN,
                        .name = "pixelcnn",
                        .num_params = pcnn_params,
                        .scratch_floats = pcnn_scratch,
                        .init = pcnn_init,
                        .forward = pcnn_fwd,
                        .backward = pcnn_bwd,
                        .sample = pcnn_smp,
                        .complete = pcnn_cmp,
                        .needs_hidden = 1,
                        .default_hidden = 16,
                        .has_layer2 = 1,
                        .blocks = {"W_0", "b_0", "W_l", "b_l", "w_o",
                                   "b_o", NULL},
                        .blocks2 = {"W_0", "b_0", "W_l", "b_l", "w_o",
                                    "b_o", NULL},
                        .param_name = pcnn_name},
};
#define N_MODELS ((int)(sizeof MODELS / sizeof MODELS[0]))

const ModelOps *model_ops_by_name(const char *name) {
    for (int i = 1; i < N_MODELS; i++)
        if (!strcmp(MODELS[i].name, name)) return &MODELS[i];
    return NULL;
}

int model_param_name(const Model *m, size_t k, char *buf, size_t n) {
    return m->ops->param_name(buf, n, k, m->d, m->h, m->h2);
}

const char *const *model_blocks(const Model *m) {
    return m->h2 ? m->ops->blocks2 : m->ops->blocks;
}

const ModelOps *model_ops_by_kind(int kind) {
    return kind >= 1 && kind < N_MODELS ? &MODELS[kind] : NULL;
}

int model_create(Model *m, const ModelOps *ops, int d, int h,
                 int max_batch, Err *e) {
    return model_create2(m, ops, d, h, 0, max_batch, e);
}

int model_create2(Model *m, const ModelOps *ops, int d, int h, int h2,
                  int max_batch, Err *e) {
    memset(m, 0, sizeof *m);
    if (d < 1 || d > MODEL_MAX_D)
        return err_set(e, "%s: d = %d, expected 1..%d", ops->name, d,
                       MODEL_MAX_D);
    if (h < 0 || (ops->needs_hidden && h < 1) || max_batch < 1)
        return err_set(e, "%s: bad sizes h = %d, batch = %d", ops->name,
                       h, max_batch);
    if (ops->kind == MODEL_PIXELCNN && (!pixelcnn_side(d) || h > 64))
        return err_set(e,
                       "pixelcnn: d = %d is not a square image, or %d "
                       "channels (at most 64)",
                       d, h);
    if (h2 < 0 || (h2 > 0 && !ops->has_layer2))
        return err_set(
            e,
            "%s: a second hidden layer (h2 = %d) is for made "
            "only",
            ops->name, h2);
    m->ops = ops;
    m->d = d;
    m->h = h;
    m->h2 = h2;
    m->max_batch = max_batch;
    m->n_params = ops->num_params(d, h, h2);
    m->scratch_per_example = ops->scratch_floats(d, h, h2);
    size_t ns = m->scratch_per_example * (size_t)max_batch;
    /* sampling needs d floats (and 2 h) even with a batch of 1 */
    if (ns < (size_t)d + 2 * (size_t)h) ns = (size_t)d + 2 * (size_t)h;
    m->params = calloc(m->n_params, sizeof *m->params);
    m->scratch = calloc(ns, sizeof *m->scratch);
    m->nll = calloc((size_t)max_batch, sizeof *m->nll);
    if (!m->params || !m->scratch || !m->nll) {
        model_free(m);
        return err_set(e, "%s: out of memory for %zu parameters",
                       ops->name, m->n_params);
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
    free(m->layer2);
    free(m->mask_ints);
    m->params = m->scratch = NULL;
    m->order = NULL;
    m->nll = NULL;
    m->masks = NULL;
    m->layer2 = NULL;
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
    size_t d = (size_t)m->d, h = (size_t)m->h, h2 = (size_t)m->h2;
    size_t per = 3 * d + h + (h2 ? d + 2 * h2 : 0);
    MadeMask *mk = calloc((size_t)K, sizeof *mk);
    MadeLayer2 *l2 = h2 ? calloc((size_t)K, sizeof *l2) : NULL;
    int *ints = malloc((size_t)K * per * sizeof *ints);
    if (!mk || !ints || (h2 && !l2)) {
        free(mk);
        free(l2);
        free(ints);
        return err_set(e, "made: out of memory for %d masks", K);
    }
    for (int k = 0; k < K; k++) {
        int *q = ints + (size_t)k * per;
        mk[k] = (MadeMask){.order = q,
                           .pos = q + d,
                           .cut = q + 2 * d,
                           .deg = q + 3 * d};
        if (h2)
            l2[k] = (MadeLayer2){.deg = q + 3 * d + h,
                                 .cut = q + 3 * d + h + h2,
                                 .out = q + 3 * d + h + 2 * h2};
    }
    free(m->masks);
    free(m->layer2);
    free(m->mask_ints);
    m->masks = mk;
    m->layer2 = l2;
    m->mask_ints = ints;
    m->n_masks = K;
    m->mask = K == 1 ? 0 : -1;
    return 0;
}

/* pos and the blocks from the order and the degrees */
static void mask_finish(Model *m, int k) {
    MadeMask *mk = &m->masks[k];
    for (int t = 0; t < m->d; t++) mk->pos[mk->order[t]] = t + 1;
    made_mask_blocks(mk, m->d, m->h);
    if (m->h2) made2_layer_blocks(&m->layer2[k], mk, m->d, m->h, m->h2);
}

static int cmp_int(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

int model_set_masks(Model *m, int K, int random_order, uint64_t seed,
                    Err *e) {
    if (masks_alloc(m, K, e)) return -1;
    int d = m->d, h = m->h, h2 = m->h2, top = d > 1 ? d - 1 : 1;
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
        /* the second layer's degrees from m_1 up, so that every unit
         * reads at least one unit of the first */
        int *deg2 = h2 ? m->layer2[k].deg : NULL, lo = mk->deg[0];
        for (int u = 0; u < h2; u++)
            deg2[u] =
                lo + (int)rng_below(&rng, (uint64_t)(top - lo + 1));
        if (h2) qsort(deg2, (size_t)h2, sizeof *deg2, cmp_int);
        mask_finish(m, k);
    }
    m->mask_random = random_order;
    m->mask_seed = seed;
    return 0;
}

int model_set_mask_arrays(Model *m, int K, const int *orders,
                          const int *degs, const int *degs2, Err *e) {
    int d = m->d, h = m->h, h2 = m->h2, top = d > 1 ? d - 1 : 1;
    if (h2 && !degs2)
        return err_set(e,
                       "made: the second layer's degrees are missing");
    for (int k = 0; k < K; k++) { /* check before changing anything */
        const int *o = orders + (size_t)k * d,
                  *g = degs + (size_t)k * h;
        unsigned char seen[MODEL_MAX_D] = {0};
        for (int t = 0; t < d; t++) {
            if (o[t] < 0 || o[t] >= d || seen[o[t]])
                return err_set(e,
                               "mask %d: the order is not a "
                               "permutation of 0..%d",
                               k + 1, d - 1);
            seen[o[t]] = 1;
        }
        for (int u = 0; u < h; u++)
            if (g[u] < 1 || g[u] > top || (u > 0 && g[u] < g[u - 1]))
                return err_set(
                    e,
                    "mask %d: degree %d of unit %d is not in "
                    "1..%d or not sorted",
                    k + 1, g[u], u + 1, top);
        const int *g2 = h2 ? degs2 + (size_t)k * h2 : NULL;
        for (int u = 0; u < h2; u++)
            if (g2[u] < g[0] || g2[u] > top ||
                (u > 0 && g2[u] < g2[u - 1]))
                return err_set(
                    e,
                    "mask %d: second-layer degree %d of unit "
                    "%d is not in %d..%d or not sorted",
                    k + 1, g2[u], u + 1, g[0], top);
    }
    if (masks_alloc(m, K, e)) return -1;
    for (int k = 0; k < K; k++) {
        MadeMask *mk = &m->masks[k];
        memcpy(mk->order, orders + (size_t)k * d,
               (size_t)d * sizeof(int));
        memcpy(mk->deg, degs + (size_t)k * h, (size_t)h * sizeof(int));
        if (h2)
            memcpy(m->layer2[k].deg, degs2 + (size_t)k * h2,
                   (size_t)h2 * sizeof(int));
        mask_finish(m, k);
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
    if (m->n_masks > 1)
        m->mask = (int)rng_below(rng, (uint64_t)m->n_masks);
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
    m->ops->init(m->params, m->d, m->h, m->h2, marg, rng);
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

void model_example_nll(Model *m, const uint8_t *x, size_t n,
                       double *nll) {
    model_example_nll_threads(m, x, n, nll, parallel_threads());
}

void model_example_nll_threads(Model *m, const uint8_t *x, size_t n,
                               double *nll, int T) {
    for (size_t i = 0; i < n; i += (size_t)m->max_batch) {
        size_t left = n - i;
        int B =
            (int)(left < (size_t)m->max_batch ? left
                                              : (size_t)m->max_batch);
        model_forward_backward(m, NULL, T, x + i * (size_t)m->d, B,
                               nll + i);
    }
}

int model_share(Model *mt, const Model *m, Err *e) {
    *mt = *m;
    mt->max_batch = 1;
    mt->scratch = malloc(m->scratch_per_example * sizeof *mt->scratch);
    return mt->scratch ? 0
                       : err_set(e,
                                 "out of memory for a scratch of "
                                 "%zu floats",
                                 m->scratch_per_example);
}

void model_unshare(Model *mt) {
    free(mt->scratch);
    mt->scratch = NULL;
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
