/* mlp.h - chapter 4: one hidden layer per conditional.
 * Implemented in solutions/ch04/mlp.c (exercises 4.1-4.4; yours:
 * exercises/ch04/mlp.c).
 *
 *   h_i = sigma(A_i x_<i + c_i),  A_i in R^{h x (i-1)}
 * (1-based i, as in the chapter; in code conditional i, 0-based, has i
 * columns, one per pixel before it)
 *   p(x_i = 1 | x_<i) = sigma(b_i + w^(i) . h_i)  (w^(i): row i of w)
 *
 * h d(d-1)/2 + 2 h d + d parameters: O(d^2 h). */
#ifndef MLP_H
#define MLP_H

#include <stddef.h>
#include <stdint.h>

#include "rng.h"

//> mlp-layout
/* One flat float buffer: every A_i, then c, w, b. A_i is stored by
 * columns: column j (the h weights from input j into conditional i's
 * hidden units) is contiguous: a pixel that is on adds one column. */
typedef struct {
    float *A; /* conditional i's A_i at A + h i(i-1)/2 (0-based i) */
    float *c; /* (d, h) hidden biases, row i for conditional i */
    float *w; /* (d, h) output weights, row i for conditional i */
    float *b; /* (d) output biases */
} MlpParams;

void mlp_point(MlpParams *p, float *buf, int d, int h);
//< mlp-layout

/* Floats of scratch per example: d saved gradients, d h hidden units.
 */
size_t mlp_scratch_floats(int d, int h);

/* Forward over a batch: nll[n] = -log p(x_n) in nats; example n's
 * scratch (at n * mlp_scratch_floats) keeps dnll/dlogit = sigma(logit)
 * - x in its first d floats, then h_i of each conditional (d, h). */
void mlp_forward(double *nll, float *scratch, const uint8_t *x,
                 const float *params, int B, int d, int h);
/* Backward: add d(sum_n nll[n]) / d params into dparams (never assign);
 * reads the scratch forward left (and may overwrite its h_i). */
void mlp_backward(float *dparams, float *scratch, const uint8_t *x,
                  const float *params, int B, int d, int h);
void mlp_sample(uint8_t *x, float *scratch, const float *params, int n,
                int d, int h, Rng *rng);

/* Check your understanding (exercises 4.3, 4.4).
 * The number of floats in mlp_point's layout, as a closed formula. (The
 * model allocates from the layout itself, in src/models/model.c.) */
size_t mlp_num_params(int d, int h);
/* The smallest d at which the full table (2^d - 1 numbers) has more
 * parameters than this model with h hidden units; 1 <= h <= 10^6. */
int mlp_table_crossover(int h);

#endif
