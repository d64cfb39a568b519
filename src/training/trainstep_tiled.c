/* trainstep_tiled.c - the FVSBN's training step with the cache-tiled
 * kernel of fvsbn_tiled.h (appendix C, autoreg train --kernel tiled).
 *
 * The kernel works on a packed copy of the parameters and the
 * optimizer's moments, and updates each segment of W as soon as its
 * gradient is summed, while it is in cache: the gradient is never
 * stored. The model, checkpoints and training states keep the flat
 * layout: begin packs, to_flat unpacks. The result does not depend on
 * the thread count, so a state records 0 threads. */
#include "trainstep.h"

#include <stdlib.h>
#include <string.h>

#include "fvsbn_tiled.h"
#include "vec.h"

typedef struct {
    FvsbnTiled k;
    float *params; /* (k.n) packed */
    Optimizer opt; /* (k.n) packed moments */
} Tiled;

static void tiled_free(TrainStep *s) {
    Tiled *tl = s->impl;
    if (tl) {
        fvsbn_tiled_free(&tl->k);
        free(tl->params);
        optim_free(&tl->opt);
    }
    free(tl);
    optim_free(&s->flat);
    s->impl = NULL;
}

static int tiled_init(TrainStep *s, const Model *m, OptKind opt,
                      float lr, int max_batch, int n_threads, Err *e) {
    if (m->ops->kind != MODEL_FVSBN)
        return err_set(e,
                       "the tiled kernel trains only an fvsbn, not "
                       "a %s",
                       m->ops->name);
    Tiled *tl = calloc(1, sizeof *tl);
    s->impl = tl;
    s->threads = n_threads;
    s->state_threads = 0;
    if (!tl || fvsbn_tiled_init(&tl->k, m->d, max_batch) ||
        !(tl->params = vec_alloc(tl->k.n)) ||
        optim_init(&s->flat, opt, m->n_params, lr) ||
        optim_init(&tl->opt, opt, tl->k.n, lr)) {
        tiled_free(s);
        return err_set(e, "training: out of memory");
    }
    return 0;
}

/* Packed from flat (to_flat 0) or back (1): parameters, moments, step
 * count. */
static void sync(TrainStep *s, float *model_params, int to_flat) {
    Tiled *tl = s->impl;
    float *packed[3] = {tl->params, tl->opt.m, tl->opt.v};
    float *flat[3] = {model_params, s->flat.m, s->flat.v};
    for (int i = 0; i < (tl->opt.m ? 3 : 1); i++) {
        if (to_flat) fvsbn_tiled_unpack(&tl->k, flat[i], packed[i]);
        else fvsbn_tiled_pack(&tl->k, packed[i], flat[i]);
    }
    if (to_flat) s->flat.t = tl->opt.t;
    else tl->opt.t = s->flat.t;
}

static void tiled_begin(TrainStep *s, const Model *m) {
    sync(s, m->params, 0);
}

static void tiled_to_flat(TrainStep *s, Model *m) {
    sync(s, m->params, 1);
}

/* Forward, backward and the update of each band in one pass. */
static double tiled_step(TrainStep *s, Model *m, const uint8_t *x,
                         int B, double *nll) {
    (void)m; /* the packed copy is the current one until to_flat */
    Tiled *tl = s->impl;
    optim_begin(&tl->opt);
    return fvsbn_tiled_step(&tl->k, nll, NULL, x, tl->params, B,
                            s->threads, &tl->opt, 1.0f / B);
}

const TrainStepOps TRAINSTEP_TILED = {
    .name = "tiled",
    .init = tiled_init,
    .begin = tiled_begin,
    .step = tiled_step,
    .to_flat = tiled_to_flat,
    .free = tiled_free,
};
