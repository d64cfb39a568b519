/* trainstep_pixelcnn.c - the PixelCNN's training step with the kernels
 * of pixelcnn_tiled.h (appendix C, autoreg train --model pixelcnn
 * --kernel tiled): the batch split over the threads as in the plain
 * step, one gradient buffer per thread in the model's flat layout, then
 * the optimizer on their sum. Like the plain step, the result depends
 * on the thread count (the order of that sum), which a state records,
 * marked as this kernel's (STATE_TILED). */
#include "trainstep.h"

#include <math.h>
#include <stdlib.h>

#include "pixelcnn_tiled.h"
#include "trainstate.h"

typedef struct {
    PcnnTiled k;
    float
        *grads[PARALLEL_MAX_THREADS]; /* (n_params) per thread, zero */
} PcnnStep;

static void pcnn_step_free(TrainStep *s) {
    PcnnStep *ps = s->impl;
    if (ps) {
        pcnn_tiled_free(&ps->k);
        for (int t = 0; t < PARALLEL_MAX_THREADS; t++)
            free(ps->grads[t]);
    }
    free(ps);
    optim_free(&s->flat);
    s->impl = NULL;
}

static int pcnn_step_init(TrainStep *s, const Model *m, OptKind opt,
                          float lr, int max_batch, int n_threads,
                          Err *e) {
    (void)max_batch;
    if (m->ops->kind != MODEL_PIXELCNN)
        return err_set(e,
                       "the pixelcnn kernel trains a pixelcnn, not a "
                       "%s",
                       m->ops->name);
    PcnnStep *ps = calloc(1, sizeof *ps);
    s->impl = ps;
    s->threads = n_threads;
    s->state_threads = STATE_TILED | n_threads; /* not plain's state */
    int bad = !ps ||
              pcnn_tiled_init(&ps->k, m->d, m->h, m->h2, n_threads) ||
              optim_init(&s->flat, opt, m->n_params, lr);
    for (int t = 0; !bad && t < n_threads; t++)
        bad = !(ps->grads[t] = calloc(m->n_params, sizeof(float)));
    if (bad) {
        pcnn_step_free(s);
        return err_set(e, "training: out of memory");
    }
    return 0;
}

static double pcnn_step(TrainStep *s, Model *m, const uint8_t *x, int B,
                        double *nll) {
    PcnnStep *ps = s->impl;
    double sum = pcnn_tiled_forward_backward(&ps->k, ps->grads,
                                             m->params, x, B, nll);
    if (!isfinite(sum)) return sum;
    trainstep_update_sum(s, &s->flat, m->params, ps->grads, 1.0f / B);
    return sum;
}

const TrainStepOps TRAINSTEP_PIXELCNN_TILED = {
    .name = "tiled",
    .init = pcnn_step_init,
    .begin = trainstep_no_begin,
    .step = pcnn_step,
    .to_flat = trainstep_no_to_flat,
    .free = pcnn_step_free,
};
