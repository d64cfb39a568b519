/* model.c - the registry of models and what all of them share. */
#include "model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fvsbn.h"

/* --- FVSBN (chapter 3) --------------------------------------------------- */

static size_t fvsbn_params(int d, int h) {
    (void)h;
    return fvsbn_num_params(d);
}
static size_t fvsbn_scratch(int d, int h, int B) {
    (void)h;
    return (size_t)B * (size_t)d; /* logits */
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
static void fvsbn_fwd(Model *m, double *nll, const uint8_t *x, int B) {
    fvsbn_forward(nll, m->scratch, x, m->params, B, m->d);
}
static void fvsbn_bwd(Model *m, float *dparams, const uint8_t *x, int B) {
    fvsbn_backward(dparams, m->scratch, x, B, m->d);
}
static void fvsbn_smp(Model *m, uint8_t *x, int n, Rng *rng) {
    fvsbn_sample(x, m->scratch, m->params, n, m->d, rng);
}

static const ModelOps MODELS[] = {
    {MODEL_FVSBN, "fvsbn", fvsbn_params, fvsbn_scratch, fvsbn_init,
     fvsbn_fwd, fvsbn_bwd, fvsbn_smp},
};
#define N_MODELS ((int)(sizeof MODELS / sizeof MODELS[0]))

const ModelOps *model_ops_by_name(const char *name) {
    for (int i = 0; i < N_MODELS; i++)
        if (!strcmp(MODELS[i].name, name)) return &MODELS[i];
    return NULL;
}

const ModelOps *model_ops_by_kind(int kind) {
    for (int i = 0; i < N_MODELS; i++)
        if ((int)MODELS[i].kind == kind) return &MODELS[i];
    return NULL;
}

int model_create(Model *m, const ModelOps *ops, int d, int h, int max_batch,
                 Err *e) {
    memset(m, 0, sizeof *m);
    if (d < 1 || d > MODEL_MAX_D)
        return err_set(e, "%s: d = %d, expected 1..%d", ops->name, d,
                       MODEL_MAX_D);
    if (h < 0 || max_batch < 1)
        return err_set(e, "%s: bad sizes h = %d, batch = %d", ops->name, h,
                       max_batch);
    m->ops = ops;
    m->d = d;
    m->h = h;
    m->max_batch = max_batch;
    m->n_params = ops->num_params(d, h);
    size_t ns = ops->scratch_floats(d, h, max_batch);
    /* sampling needs d floats even with a batch of 1 */
    if (ns < (size_t)d) ns = (size_t)d;
    m->params = calloc(m->n_params, sizeof *m->params);
    m->scratch = calloc(ns, sizeof *m->scratch);
    if (!m->params || !m->scratch) {
        model_free(m);
        return err_set(e, "%s: out of memory for %zu parameters", ops->name,
                       m->n_params);
    }
    return 0;
}

void model_free(Model *m) {
    free(m->params);
    free(m->scratch);
    m->params = m->scratch = NULL;
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

double model_mean_nll(Model *m, const uint8_t *x, size_t n) {
    double total = 0.0, nll[512];
    int bmax = m->max_batch < 512 ? m->max_batch : 512;
    for (size_t i = 0; i < n; i += (size_t)bmax) {
        int B = (int)(n - i < (size_t)bmax ? n - i : (size_t)bmax);
        m->ops->forward(m, nll, x + i * (size_t)m->d, B);
        for (int b = 0; b < B; b++) total += nll[b];
    }
    return n ? total / (double)n : 0.0;
}
