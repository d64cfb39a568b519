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
    long t;        /* steps taken */
    float *m, *v;  /* (n) Adam moments; NULL for SGD */
} Optimizer;

int optim_init(Optimizer *o, OptKind kind, size_t n, float lr);
void optim_free(Optimizer *o);
/* params -= update(grad * scale); grad is the loss gradient. */
void optim_step(Optimizer *o, float *params, const float *grad,
                float scale);

#endif
