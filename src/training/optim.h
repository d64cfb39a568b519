/* optim.h - SGD and Adam over one flat parameter buffer. The gradient
 * and both moments use the parameters' layout. */
#ifndef OPTIM_H
#define OPTIM_H

#include <stddef.h>

typedef enum { OPT_SGD, OPT_ADAM } OptKind;

typedef struct {
    OptKind kind;
    float lr, beta1, beta2, eps;
    size_t n;
    long t;              /* steps taken */
    float *m, *v;        /* (n) Adam moments; NULL for SGD */
    float step, eps_hat; /* this step's bias-corrected constants */
} Optimizer;

int optim_init(Optimizer *o, OptKind kind, size_t n, float lr);
void optim_free(Optimizer *o);
/* params -= update(grad * scale); grad is the loss gradient. */
void optim_step(Optimizer *o, float *params, const float *grad,
                float scale);

/* The same in parts, so threads can share one step: optim_begin once,
 * then optim_update over disjoint ranges [i0, i1). */
void optim_begin(Optimizer *o);
void optim_update(Optimizer *o, float *params, const float *grad,
                  float scale, size_t i0, size_t i1);

/* The update of the n entries from i on, with their gradient g (n),
 * which is scaled in place: what optim_update does block by block,
 * for a caller that has a piece of the gradient in hand (the tiled
 * FVSBN step updates each band as soon as its gradient is known). */
void optim_update_at(const Optimizer *o, float *params, float *g,
                     float scale, size_t i, size_t n);

/* optim_update with the gradient given as the sum of ng buffers (one
 * per training thread), which are zeroed on the way, ready for the
 * next step. */
void optim_update_sum(Optimizer *o, float *params, float **grads,
                      int ng, float scale, size_t i0, size_t i1);

#endif
