/* optim.c - SGD and Adam (Kingma and Ba, 2015). */
#include "optim.h"
#include "vec.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int optim_init(Optimizer *o, OptKind kind, size_t n, float lr) {
    o->kind = kind;
    o->lr = lr;
    o->beta1 = 0.9f;
    o->beta2 = 0.999f;
    o->eps = 1e-8f;
    o->n = n;
    o->t = 0;
    o->m = o->v = NULL;
    if (kind == OPT_ADAM) {
        o->m = calloc(n, sizeof *o->m);
        o->v = calloc(n, sizeof *o->v);
        if (!o->m || !o->v) {
            optim_free(o);
            return -1;
        }
    }
    return 0;
}

void optim_free(Optimizer *o) {
    free(o->m);
    free(o->v);
    o->m = o->v = NULL;
}

void optim_begin(Optimizer *o) {
    o->t++;
    /* bias corrections of the zero-initialised moments, folded into
     * the step size: m_hat / (sqrt(v_hat) + eps) =
     * step * m / (sqrt(v) + eps_hat) */
    float c1 = 1.0f - powf(o->beta1, (float)o->t);
    float c2 = 1.0f - powf(o->beta2, (float)o->t);
    o->step = o->lr * sqrtf(c2) / c1;
    o->eps_hat = o->eps * sqrtf(c2);
}

/* The gradient scaled, and summed over ng buffers that are zeroed on
 * the way, in blocks that stay in L1; then one update of the block. */
MULTIVERSION
void optim_update_sum(Optimizer *o, float *params, float **grads,
                      int ng, float scale, size_t i0, size_t i1) {
    enum { BLOCK = 1024 };
    float g[BLOCK];
    for (size_t lo = i0; lo < i1; lo += BLOCK) {
        size_t n = i1 - lo < BLOCK ? i1 - lo : BLOCK;
        for (size_t i = 0; i < n; i++) g[i] = 0;
        for (int s = 0; s < ng; s++) {
            float *gs = grads[s] + lo;
            for (size_t i = 0; i < n; i++) {
                g[i] += gs[i];
                gs[i] = 0;
            }
        }
        for (size_t i = 0; i < n; i++) g[i] *= scale;
        if (o->kind == OPT_SGD) {
            for (size_t i = 0; i < n; i++)
                params[lo + i] -= o->lr * g[i];
        } else {
            optim_apply(o, params, g, 1.0f, lo, n);
        }
    }
}

MULTIVERSION
void optim_update_at(const Optimizer *o, float *params, const float *g,
                     float scale, size_t i, size_t n) {
    optim_apply(o, params, g, scale, i, n);
}

void optim_update(Optimizer *o, float *params, const float *grad,
                  float scale, size_t i0, size_t i1) {
    enum { BLOCK = 1024 };
    float g[BLOCK];
    for (size_t lo = i0; lo < i1; lo += BLOCK) {
        size_t n = i1 - lo < BLOCK ? i1 - lo : BLOCK;
        memcpy(g, grad + lo, n * sizeof *g);
        optim_update_at(o, params, g, scale, lo, n);
    }
}

void optim_step(Optimizer *o, float *params, const float *grad,
                float scale) {
    optim_begin(o);
    optim_update(o, params, grad, scale, 0, o->n);
}
