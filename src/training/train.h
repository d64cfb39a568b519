/* train.h - the one minibatch training loop every model shares.
 *
 * Each epoch: a seeded shuffle of the training set, minibatches of
 * `batch`, forward, backward, an optimizer step on the mean NLL; then
 * the validation NLL. The parameters with the best validation NLL are
 * kept (early stopping: FVSBN overfits 8,000 images) and saved.
 *
 * With a state file, every epoch boundary is saved (trainstate.h) and
 * a run can continue from it with the same bits as if never stopped.
 * After train_catch_signals, SIGINT or SIGTERM stops training between
 * minibatches: the files keep the last epoch boundary, train_model
 * returns -1 with r->stopped set to the signal. */
#ifndef TRAIN_H
#define TRAIN_H

#include <stdint.h>

#include "data.h"
#include "err.h"
#include "model.h"
#include "optim.h"
#include "trainstep.h"

typedef struct {
    int epochs;
    int batch;
    float lr;
    OptKind opt;
    uint64_t seed;
    const char *log_path;   /* TSV per epoch (deterministic), or NULL */
    const char *time_path;  /* TSV of seconds per epoch, or NULL */
    const char *ckpt_path;  /* best-validation checkpoint, or NULL */
    int quiet;              /* no progress on stderr */
    int orderless;          /* NADE: a fresh random pixel order per
                             * minibatch; validation in raster order */
    const char *state_path; /* state after every epoch, or NULL */
    int resume;             /* continue from state_path */
    const char *data_name;  /* names the data set in state errors */
    /* what one minibatch does (trainstep.h); NULL: TRAINSTEP_PLAIN,
     * &TRAINSTEP_TILED: autoreg train --kernel tiled */
    const TrainStepOps *step;
} TrainConfig;

typedef struct {
    int best_epoch;        /* 1-based */
    double best_valid_nll; /* nats per example */
    double last_train_nll;
    double seconds; /* training time, evaluation excluded */
    double examples_per_s;
    int epochs_done; /* including those of a resumed run */
    int stopped;     /* SIGINT or SIGTERM if stopped, else 0 */
} TrainResult;

/* Trains m in place; on return m holds the best-validation parameters.
 */
int train_model(Model *m, const Split *train, const Split *valid,
                const TrainConfig *c, TrainResult *r, Err *e);

/* Catch SIGINT and SIGTERM: training stops at the next minibatch. */
void train_catch_signals(void);

#endif
