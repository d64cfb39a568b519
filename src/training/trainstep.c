/* trainstep.c - the plain training step: the model's own forward and
 * backward passes, the batch split over the threads, one gradient
 * buffer per thread, then the optimizer on their sum. */
#include "trainstep.h"

#include <math.h>
#include <stdlib.h>

#include "parallel.h"

typedef struct {
    float
        *grads[PARALLEL_MAX_THREADS]; /* (n_params) per thread, zero */
} Plain;

/* One optimizer step on the sum of the T threads' gradients, its
 * parameter range split over the T threads. */
typedef struct {
    Optimizer *o;
    float *params;
    float **grads;
    float scale;
    int T;
} OptChunk;

static void opt_chunk(void *ctx, int t) {
    OptChunk *c = ctx;
    size_t n = c->o->n;
    optim_update_sum(c->o, c->params, c->grads, c->T, c->scale,
                     n * (size_t)t / (size_t)c->T,
                     n * (size_t)(t + 1) / (size_t)c->T);
}

static void plain_free(TrainStep *s) {
    Plain *p = s->impl;
    if (p)
        for (int t = 0; t < s->threads; t++) free(p->grads[t]);
    free(p);
    optim_free(&s->flat);
    s->impl = NULL;
}

static int plain_init(TrainStep *s, const Model *m, OptKind opt,
                      float lr, int max_batch, int n_threads, Err *e) {
    (void)max_batch;
    Plain *p = calloc(1, sizeof *p);
    s->impl = p;
    s->threads = s->state_threads = n_threads;
    int missing = !p || optim_init(&s->flat, opt, m->n_params, lr);
    for (int t = 0; p && t < n_threads; t++)
        missing |= !(p->grads[t] = calloc(m->n_params, sizeof(float)));
    if (missing) {
        plain_free(s);
        return err_set(e, "training: out of memory");
    }
    return 0;
}

void trainstep_no_begin(TrainStep *s, const Model *m) {
    (void)s;
    (void)m;
}

void trainstep_update_sum(TrainStep *s, Optimizer *o, float *params,
                          float **grads, float scale) {
    optim_begin(o);
    OptChunk c = {o, params, grads, scale, s->threads};
    parallel_for(s->threads, opt_chunk, &c);
}

//> plain-step
/* Forward and backward, the batch split over the threads, then the
 * optimizer on the mean NLL (each thread's gradient buffer is read and
 * cleared by the update). A diverged batch changes nothing. */
static double plain_step(TrainStep *s, Model *m, const uint8_t *x,
                         int B, double *nll) {
    Plain *p = s->impl;
    double sum =
        model_forward_backward(m, p->grads, s->threads, x, B, nll);
    if (!isfinite(sum)) return sum;
    trainstep_update_sum(s, &s->flat, m->params, p->grads, 1.0f / B);
    return sum;
}
//< plain-step

void trainstep_no_to_flat(TrainStep *s, Model *m) {
    (void)s;
    (void)m;
}

const TrainStepOps TRAINSTEP_PLAIN = {
    .name = "plain",
    .init = plain_init,
    .begin = trainstep_no_begin,
    .step = plain_step,
    .to_flat = trainstep_no_to_flat,
    .free = plain_free,
};

const TrainStepOps *trainstep_tiled_for(const ModelOps *ops) {
    switch (ops->kind) {
    case MODEL_FVSBN: return &TRAINSTEP_TILED;
    case MODEL_MADE: return &TRAINSTEP_MADE_TILED;
    case MODEL_PIXELCNN: return &TRAINSTEP_PIXELCNN_TILED;
    case MODEL_NADE: return &TRAINSTEP_NADE_TILED;
    default: return NULL;
    }
}
