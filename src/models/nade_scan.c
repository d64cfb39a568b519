/* nade_scan.c - see nade_scan.h. */
#include "nade_scan.h"

#include <string.h>

#include "bernoulli.h"
#include "nade.h"
#include "parallel.h"
#include "vec.h"

size_t nade_blocks_scratch_floats(int d, int h, int T) {
    return (size_t)d + 2 * (size_t)T * (size_t)h;
}

typedef struct {
    float *scratch;
    const uint8_t *x;
    const float *params;
    double *part; /* (T) -log p of each block's pixels */
    int d, h, T;
} Blocks;

//> nade-block
/* Block t of one image: the conditionals of pixels [k0, k1). */
static void nade_block(void *ctx, int t) {
    const Blocks *job = ctx;
    int d = job->d, h = job->h;
    int k0 = (int)((long)d * t / job->T);
    int k1 = (int)((long)d * (t + 1) / job->T);
    job->part[t] = 0;
    if (k0 == k1) return;
    NadeParams p;
    nade_point(&p, (float *)job->params, d, h);
    const uint8_t *x = job->x;
    float *logit = job->scratch;              /* (d) fills [k0, k1) */
    float *a = logit + d + (size_t)t * 2 * h; /* (h) this block's */
    float *hid = a + h;                       /* (h) sigma(a) */
    /* the start: a_{k0} = c + sum_{j<k0} W[:, j] x_j, from the data */
    memcpy(a, p.c, (size_t)h * sizeof *a);
    for (int j = 0; j < k0; j++)
        if (x[j]) vec_add(a, p.W + (size_t)j * h, h);
    vec_sigmoid(hid, a, h);
    /* then chapter 5's recurrence, inside the block only */
    for (int i = k0; i < k1; i++) {
        logit[i] = p.b[i] + (float)vec_dot(p.V + (size_t)i * h, hid, h);
        if (x[i] && i + 1 < k1) {
            vec_add(a, p.W + (size_t)i * h, h);
            vec_sigmoid(hid, a, h);
        }
    }
    job->part[t] = bernoulli_nll(NULL, logit + k0, x + k0, k1 - k0);
}
//< nade-block

double nade_nll_blocks(float *scratch, const uint8_t *x,
                       const float *params, int d, int h, int T) {
    if (T < 1) T = 1;
    if (T > NADE_MAX_BLOCKS) T = NADE_MAX_BLOCKS;
    double part[NADE_MAX_BLOCKS], nll = 0;
    Blocks job = {scratch, x, params, part, d, h, T};
    parallel_for(T, nade_block, &job);
    for (int t = 0; t < T; t++) nll += part[t]; /* a fixed order */
    return nll;
}
