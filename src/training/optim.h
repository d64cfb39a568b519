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

/* The update of the n entries from i on, with their gradient g (n)
 * times scale (g is not changed): what optim_update does block by
 * block, for a caller that has a piece of the gradient in hand (the
 * MADE step updates each row as soon as its gradient is known). */
void optim_update_at(const Optimizer *o, float *params, const float *g,
                     float scale, size_t i, size_t n);

/* optim_update with the gradient given as the sum of ng buffers (one
 * per training thread), which are zeroed on the way, ready for the
 * next step. */
void optim_update_sum(Optimizer *o, float *params, float **grads,
                      int ng, float scale, size_t i0, size_t i1);

//> adam
/* The update of the n entries from i on with the gradient g (n) times
 * scale: what optim_update_at does, inline, for a
 * kernel that updates a few vectors as soon as their gradient is
 * summed (the tiled FVSBN step) and never stores that gradient. The
 * same operations in the same order, so the same bits. */
static inline __attribute__((always_inline)) void
optim_apply(const Optimizer *o, float *restrict params,
            const float *restrict g, float scale, size_t i, size_t n) {
    float *restrict p = params + i;
    if (o->kind == OPT_SGD) {
        for (size_t k = 0; k < n; k++) p[k] -= o->lr * (g[k] * scale);
        return;
    }
    float *restrict m = o->m + i, *restrict v = o->v + i;
    float b1 = o->beta1, b2 = o->beta2;
    float step = o->step, eps = o->eps_hat;
    for (size_t k = 0; k < n; k++) {
        float gk = g[k] * scale;
        m[k] = b1 * m[k] + (1 - b1) * gk;      /* first moment */
        v[k] = b2 * v[k] + (1 - b2) * gk * gk; /* second moment */
        p[k] -= step * m[k] / (__builtin_sqrtf(v[k]) + eps);
    }
}
//< adam

#endif
