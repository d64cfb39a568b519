/* optim.c - SGD and Adam (Kingma and Ba, 2015). */
#include "optim.h"

#include <math.h>
#include <stdlib.h>

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

//> adam
void optim_step(Optimizer *o, float *params, const float *grad,
                float scale) {
    o->t++;
    if (o->kind == OPT_SGD) {
        for (size_t i = 0; i < o->n; i++)
            params[i] -= o->lr * scale * grad[i];
        return;
    }
    /* bias corrections of the zero-initialised moments, folded into
     * the step size */
    float c1 = 1.0f - powf(o->beta1, (float)o->t);
    float c2 = 1.0f - powf(o->beta2, (float)o->t);
    float step = o->lr * sqrtf(c2) / c1;
    float b1 = o->beta1, b2 = o->beta2, eps = o->eps * sqrtf(c2);
    for (size_t i = 0; i < o->n; i++) {
        float g = scale * grad[i];
        o->m[i] = b1 * o->m[i] + (1 - b1) * g;
        o->v[i] = b2 * o->v[i] + (1 - b2) * g * g;
        params[i] -= step * o->m[i] / (sqrtf(o->v[i]) + eps);
    }
}
//< adam
