/* trainstep.h - one optimizer step on a minibatch, as an interface.
 *
 * train_model (train.h) runs the epochs, the shuffle, validation, early
 * stopping and the files; a TrainStep does what happens to one
 * minibatch: forward, backward and the optimizer update on the mean
 * NLL. The plain step (trainstep.c) serves every model through its
 * ModelOps; a kernel that keeps the parameters in a layout of its own
 * (the tiled FVSBN, trainstep_tiled.c) is another implementation, one
 * file beside its kernel.
 *
 * The model's flat buffer and `flat`, the optimizer in that layout, are
 * what checkpoints and training states hold. A step may work on its own
 * copies: `begin` reads them from the flat ones (after a resume, say),
 * `to_flat` writes them back before anyone reads the model. */
#ifndef TRAINSTEP_H
#define TRAINSTEP_H

#include <stdint.h>

#include "err.h"
#include "model.h"
#include "optim.h"

typedef struct TrainStep TrainStep;

typedef struct {
    const char *name;
    /* n_threads threads, minibatches of up to max_batch */
    int (*init)(TrainStep *s, const Model *m, OptKind opt, float lr,
                int max_batch, int n_threads, Err *e);
    void (*begin)(TrainStep *s, const Model *m);
    /* forward, backward and update on x (B, d); nll (B) per image.
     * Returns the summed NLL (not finite if training diverged). */
    double (*step)(TrainStep *s, Model *m, const uint8_t *x, int B,
                   double *nll);
    void (*to_flat)(TrainStep *s, Model *m);
    void (*free)(TrainStep *s);
} TrainStepOps;

struct TrainStep {
    const TrainStepOps *ops;
    Optimizer flat; /* the optimizer in the model's flat layout */
    int threads;
    /* the thread count a training state records: results that do not
     * depend on it (the tiled step) record 0 */
    int state_threads;
    void *impl; /* the implementation's own data */
};

extern const TrainStepOps TRAINSTEP_PLAIN; /* trainstep.c */
extern const TrainStepOps
    TRAINSTEP_TILED; /* trainstep_tiled.c, FVSBN */
/* trainstep_made.c: MADE with one hidden layer */
extern const TrainStepOps TRAINSTEP_MADE_TILED;
/* trainstep_pixelcnn.c: the PixelCNN */
extern const TrainStepOps TRAINSTEP_PIXELCNN_TILED;
/* trainstep_nade.c: NADE */
extern const TrainStepOps TRAINSTEP_NADE_TILED;
/* The --kernel tiled step of a model kind, or NULL if it has none. */
const TrainStepOps *trainstep_tiled_for(const ModelOps *ops);

/* begin and to_flat of a step that works on the model's own flat
 * buffers: nothing to do. */
void trainstep_no_begin(TrainStep *s, const Model *m);
void trainstep_no_to_flat(TrainStep *s, Model *m);

/* The step of optimizer o (s->flat, or a kernel's own in its layout)
 * on the sum of the s->threads buffers grads (each read and cleared),
 * scaled, its range split over the threads. */
void trainstep_update_sum(TrainStep *s, Optimizer *o, float *params,
                          float **grads, float scale);

#endif
