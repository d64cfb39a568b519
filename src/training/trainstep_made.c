/* trainstep_made.c - MADE's training step with the minibatch kernel of
 * made_tiled.h (appendix C, autoreg train --model made --kernel tiled).
 *
 * The kernel reads the model's own flat parameters and writes the
 * gradient in that layout, so nothing is packed: begin and to_flat have
 * nothing to do. The result does not depend on the thread count, so a
 * state records 0 threads. */
#include "trainstep.h"

#include <stdlib.h>

#include "made_tiled.h"

typedef struct {
    MadeTiled k;
} MadeStep;

static void made_step_free(TrainStep *s) {
    MadeStep *ms = s->impl;
    if (ms) made_tiled_free(&ms->k);
    free(ms);
    optim_free(&s->flat);
    s->impl = NULL;
}

static int made_step_init(TrainStep *s, const Model *m, OptKind opt,
                          float lr, int max_batch, int n_threads,
                          Err *e) {
    if (m->ops->kind != MODEL_MADE || m->h2)
        return err_set(
            e,
            "the tiled kernel trains an fvsbn or a made with "
            "one hidden layer, not a %s%s",
            m->ops->name, m->h2 ? " with two" : "");
    MadeStep *ms = calloc(1, sizeof *ms);
    s->impl = ms;
    s->threads = n_threads;
    s->state_threads = 0;
    if (!ms || made_tiled_init(&ms->k, m->d, m->h, max_batch) ||
        optim_init(&s->flat, opt, m->n_params, lr)) {
        made_step_free(s);
        return err_set(e, "training: out of memory");
    }
    return 0;
}

/* Forward and backward with each block of parameters updated as soon
 * as its gradient is known (made_tiled_step). */
static double made_step(TrainStep *s, Model *m, const uint8_t *x, int B,
                        double *nll) {
    MadeStep *ms = s->impl;
    const MadeMask *mk = &m->masks[m->mask < 0 ? 0 : m->mask];
    /* one mask: its masked weights never get a gradient, and their
     * moments stay zero, so the update may skip them */
    return made_tiled_step(&ms->k, nll, NULL, x, m->params, mk, B,
                           s->threads, &s->flat, 1.0f / B,
                           m->n_masks == 1);
}

const TrainStepOps TRAINSTEP_MADE_TILED = {
    .name = "tiled",
    .init = made_step_init,
    .begin = trainstep_no_begin,
    .step = made_step,
    .to_flat = trainstep_no_to_flat,
    .free = made_step_free,
};
