/* trainstep_nade.c - NADE's training step with the blocked kernel of
 * nade_tiled.h (appendix C, autoreg train --model nade --kernel tiled).
 *
 * The kernel works on a packed copy of the parameters and of the
 * optimizer's moments; the model, checkpoints and training states keep
 * the flat layout: begin packs, to_flat unpacks. Each thread sums its
 * images' gradient into its own buffer, and the optimizer adds the
 * buffers in thread order, as the plain step does, so a state records
 * the thread count, marked as this kernel's (STATE_TILED). */
#include "trainstep.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nade_tiled.h"
#include "parallel.h"
#include "trainstate.h"
#include "vec.h"

typedef struct {
    NadeTiled k;
    float *params;                      /* (k.n) packed */
    float *grads[PARALLEL_MAX_THREADS]; /* (k.n) per thread, zero */
    Optimizer opt;                      /* (k.n) packed moments */
} NadeStep;

static void nade_step_free(TrainStep *s) {
    NadeStep *ns = s->impl;
    if (ns) {
        nade_tiled_free(&ns->k);
        free(ns->params);
        for (int t = 0; t < s->threads; t++) free(ns->grads[t]);
        optim_free(&ns->opt);
    }
    free(ns);
    optim_free(&s->flat);
    s->impl = NULL;
}

static int nade_step_init(TrainStep *s, const Model *m, OptKind opt,
                          float lr, int max_batch, int n_threads,
                          Err *e) {
    if (m->ops->kind != MODEL_NADE)
        return err_set(e, "the NADE kernel trains a nade, not a %s",
                       m->ops->name);
    NadeStep *ns = calloc(1, sizeof *ns);
    s->impl = ns;
    s->threads = n_threads;
    s->state_threads = STATE_TILED | n_threads; /* not plain's state */
    int missing = !ns ||
                  nade_tiled_init(&ns->k, m->d, m->h, max_batch) ||
                  !(ns->params = vec_alloc(ns->k.n)) ||
                  optim_init(&s->flat, opt, m->n_params, lr) ||
                  optim_init(&ns->opt, opt, ns->k.n, lr);
    for (int t = 0; !missing && t < n_threads; t++)
        missing = !(ns->grads[t] = vec_alloc(ns->k.n));
    if (missing) {
        nade_step_free(s);
        return err_set(e, "training: out of memory");
    }
    return 0;
}

/* Packed from flat (to_flat 0) or back (1): parameters, moments, step
 * count. */
static void sync(TrainStep *s, float *model_params, int to_flat) {
    NadeStep *ns = s->impl;
    float *packed[3] = {ns->params, ns->opt.m, ns->opt.v};
    float *flat[3] = {model_params, s->flat.m, s->flat.v};
    for (int i = 0; i < (ns->opt.m ? 3 : 1); i++) {
        if (to_flat) nade_tiled_unpack(&ns->k, flat[i], packed[i]);
        else nade_tiled_pack(&ns->k, packed[i], flat[i]);
    }
    if (to_flat) s->flat.t = ns->opt.t;
    else ns->opt.t = s->flat.t;
}

static void nade_step_begin(TrainStep *s, const Model *m) {
    sync(s, m->params, 0);
}

static void nade_step_to_flat(TrainStep *s, Model *m) {
    sync(s, m->params, 1);
}

/* Forward and backward by the kernel, then the optimizer on the mean
 * NLL (each buffer read and cleared by the update). */
static double nade_step(TrainStep *s, Model *m, const uint8_t *x, int B,
                        double *nll) {
    /* the packed copy is the current one until to_flat; the order is
     * the model's (chapter 6 draws one per minibatch) */
    NadeStep *ns = s->impl;
    double sum = nade_tiled_step(&ns->k, nll, ns->grads, x, ns->params,
                                 m->order, B, s->threads);
    if (!isfinite(sum)) return sum;
    trainstep_update_sum(s, &ns->opt, ns->params, ns->grads, 1.0f / B);
    return sum;
}

const TrainStepOps TRAINSTEP_NADE_TILED = {
    .name = "tiled",
    .init = nade_step_init,
    .begin = nade_step_begin,
    .step = nade_step,
    .to_flat = nade_step_to_flat,
    .free = nade_step_free,
};
