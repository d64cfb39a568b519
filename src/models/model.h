/* model.h - the interface every trainable model of chapters 3-5
 * implements, so one training loop, one optimizer, one checkpoint
 * format and one driver serve them all.
 *
 * A model's parameters live in one flat float buffer; gradients and
 * optimizer moments use the same layout. */
#ifndef MODEL_H
#define MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "made.h"
#include "made2.h"
#include "rng.h"

typedef enum {
    MODEL_FVSBN = 1,
    MODEL_MLP = 2,
    MODEL_NADE = 3,
    MODEL_MADE = 4,
    MODEL_PIXELCNN = 5,
} ModelKind;

/* MADE's masks (chapter 7): the most a model carries. */
#define MODEL_MAX_MASKS 64

#define MODEL_MAX_D 4096

typedef struct Model Model;

typedef struct {
    ModelKind kind;
    const char *name;
    /* h2: units of a second hidden layer (MADE only; 0: none) */
    size_t (*num_params)(int d, int h, int h2);
    /* scratch floats per example (a batch of B uses B times this) */
    size_t (*scratch_floats)(int d, int h, int h2);
    /* marginals (d): mean of each pixel over the training set, so the
     * output biases can start at the independent-pixel model */
    void (*init)(float *params, int d, int h, int h2,
                 const double *marginals, Rng *rng);
    /* forward saves into scratch what backward reads; a chunk of a
     * batch starting at example b0 uses m->scratch + b0 * per-example
     */
    void (*forward)(Model *m, double *nll, float *scratch,
                    const uint8_t *x, int B);
    void (*backward)(Model *m, float *dparams, float *scratch,
                     const uint8_t *x, int B);
    void (*sample)(Model *m, uint8_t *x, int n, Rng *rng);
    /* Conditional completion of one image x (d): its pixels at the
     * first `given` places of the model's order stay, the rest are
     * drawn; NULL if the model cannot. 0, or -1 with a one-line error.
     */
    int (*complete)(Model *m, uint8_t *x, int given, Rng *rng, Err *e);
    int needs_hidden;   /* 1 if the model has hidden units */
    int default_hidden; /* h when --hidden is not given (0: none) */
    int has_order;      /* 1 if it can visit the pixels in any order */
    int has_masks;      /* 1 if it has MADE's masks (chapter 7) */
    /* 1 if it takes a second size h2: MADE's second hidden layer, the
     * PixelCNN's number of 3 x 3 layers (then h is its channels) */
    int has_layer2;
    /* The blocks of the flat buffer, in order (NULL-terminated), and
     * the name of parameter k in the chapter's 1-based notation, e.g.
     * "V_{3,2}"; returns k's block, an index into blocks. The tests
     * use it to say which parameter a wrong gradient belongs to. */
    const char *blocks[7];
    const char *blocks2[7]; /* the same with a second hidden layer */
    int (*param_name)(char *buf, size_t n, size_t k, int d, int h,
                      int h2);
} ModelOps;

struct Model {
    const ModelOps *ops;
    int d, h; /* inputs, hidden units (0 if none) */
    int h2;   /* units of MADE's second hidden layer (0: none) */
    size_t n_params;
    float *params;  /* (n_params) the one flat buffer */
    float *scratch; /* activations saved by forward for backward */
    size_t scratch_per_example;
    int max_batch;
    int *order;  /* (d) NADE pixel order (chapter 6); NULL: raster */
    double *nll; /* (max_batch) model_mean_nll's buffer */
    /* MADE (chapter 7): n_masks masks; the passes use masks[mask], or
     * with mask -1 the ensemble of all of them (forward and sampling
     * only). mask_seed and mask_random say how they were drawn. */
    MadeMask *masks;
    MadeLayer2 *layer2; /* (n_masks) the second layer's, when h2 > 0 */
    int n_masks, mask, mask_random;
    uint64_t mask_seed;
    int *mask_ints; /* the masks' arrays, one buffer */
};

const ModelOps *model_ops_by_name(const char *name);
const ModelOps *model_ops_by_kind(int kind);

/* Parameter k of m in the chapter's notation (see param_name). */
int model_param_name(const Model *m, size_t k, char *buf, size_t n);
/* m's blocks (NULL-terminated): ops->blocks, or blocks2 when h2 > 0. */
const char *const *model_blocks(const Model *m);

/* Allocate parameters (zeroed) and scratch for batches up to max_batch.
 */
int model_create(Model *m, const ModelOps *ops, int d, int h,
                 int max_batch, Err *e);
/* The same with h2 units in a second hidden layer (ops->has_layer2). */
int model_create2(Model *m, const ModelOps *ops, int d, int h, int h2,
                  int max_batch, Err *e);
void model_free(Model *m);

/* Visit the pixels in order (d) from now on (a copy is kept); NULL
 * restores the raster order. Only NADE has orders (chapter 6). */
int model_set_order(Model *m, const int *order, Err *e);
/* A fresh uniformly random order (m must accept orders); 0, or -1
 * with a one-line error when the order cannot be allocated. */
int model_random_order(Model *m, Rng *rng, Err *e);

/* 1 if m visits the pixels in the raster order only: no order of its
 * own, and no masks other than one raster mask. */
int model_in_raster_order(const Model *m);

/* MADE's K masks (1 <= K <= MODEL_MAX_MASKS), drawn from seed: mask k
 * has the raster order (random_order 0) or a uniformly random one, and
 * h degrees uniform in 1..d-1, sorted; with a second layer then h2
 * degrees uniform in m_1..d-1 (m_1 the smallest of the first layer's),
 * sorted. A new model has K = 1, raster, seed 1. Then mask 0 is in use
 * when K = 1, the ensemble otherwise. */
int model_set_masks(Model *m, int K, int random_order, uint64_t seed,
                    Err *e);
/* The same from given orders (K d, each a permutation of 0..d-1) and
 * degrees (K h, each in 1..d-1 and nondecreasing), and with h2 > 0 the
 * second layer's degrees (K h2, each in m_1..d-1 of its mask and
 * nondecreasing; NULL when h2 = 0): the checkpoint loader's way. 0, or
 * -1 with an error naming what is wrong. */
int model_set_mask_arrays(Model *m, int K, const int *orders,
                          const int *degs, const int *degs2, Err *e);
/* Before each minibatch: a model with several masks trains on one of
 * them, drawn from rng (order- and connectivity-agnostic training); a
 * model with one mask or none draws nothing. */
void model_train_mask(Model *m, Rng *rng);
/* For evaluation and sampling: every mask at once (the ensemble). */
void model_use_ensemble(Model *m);

/* The parameters a training run starts from, set from the data: every
 * model's init with the pixel means of x (n, d), so the output biases
 * start at the independent-pixel model. 0, or -1 with a one-line
 * error. */
int model_init_from_data(Model *m, const uint8_t *x, size_t n, Rng *rng,
                         Err *e);

/* For another thread: mt shares m's parameters, masks and order (read
 * only) and gets a scratch of its own for one example (forward with
 * B = 1, sample). 0, or -1 with a one-line error; model_unshare frees
 * the scratch. */
int model_share(Model *mt, const Model *m, Err *e);
void model_unshare(Model *mt);

/* Fill marg (d) with the mean of each pixel of a split. */
void model_marginals(double *marg, const uint8_t *x, size_t n, int d);

/* logit of a pixel mean, clamped away from 0 and 1 */
float model_bias_from_mean(double mean);

/* Forward and backward over a batch split into one chunk per thread:
 * thread t adds its chunk's gradient of sum(nll) into grads[t]
 * (n_params each); the gradient of the batch is the sum of the
 * grads[t]. With grads NULL, forward only. Returns sum(nll). */
double model_forward_backward(Model *m, float **grads, int threads,
                              const uint8_t *x, int B, double *nll);

/* nll[k] = -log p(x_k) for each of n examples, in batches, under m's
 * current pixel order. */
void model_example_nll(Model *m, const uint8_t *x, size_t n,
                       double *nll);
/* The same with each batch split over T threads (model_example_nll
 * uses parallel_threads()). */
void model_example_nll_threads(Model *m, const uint8_t *x, size_t n,
                               double *nll, int T);

/* Mean NLL in nats per example over n examples, in batches. */
double model_mean_nll(Model *m, const uint8_t *x, size_t n);

#endif
