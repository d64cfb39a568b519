/* fvsbn.h - chapter 3: the fully visible sigmoid belief network for any
 * d, trained on binarized images. Implemented in solutions/ch03/fvsbn.c
 * (exercises 3.1-3.5; yours: exercises/ch03/fvsbn.c).
 *
 *   p(x_i = 1 | x<i) = sigma(a_i),   a_i = b_i + sum_{j<i} w_ij x_j
 *
 * d biases and d(d-1)/2 weights: d(d+1)/2 parameters, O(d^2). */
#ifndef FVSBN_H
#define FVSBN_H

#include <stddef.h>
#include <stdint.h>

#include "rng.h"

//> fvsbn-layout
/* One flat float buffer: the d biases, then the strictly lower
 * triangle of W stored column by column. In code indices (0-based),
 * column j holds w_ij for i = j+1 .. d-1, the weights x_j feeds into
 * (w_{i+1,j+1} of the 1-based formulas): when x_j = 1 the whole
 * column is added to the logits below it, one contiguous vector add. */
typedef struct {
    float *b; /* (d) biases */
    float *w; /* (d(d-1)/2) columns of W, column j at fvsbn_col(j, d) */
} FvsbnParams;

size_t fvsbn_num_params(int d); /* d + d(d-1)/2 = d(d+1)/2 */
size_t fvsbn_col(int j, int d); /* sum_{k<j} (d-1-k) */
void fvsbn_point(FvsbnParams *p, float *buf, int d);
//< fvsbn-layout

/* Forward over a batch: nll[b] = -log p(x_b) in nats (double), and
 * dlogits (B, d) = d nll[b] / d a = sigma(a) - x, saved for backward.
 */
void fvsbn_forward(double *nll, float *dlogits, const uint8_t *x,
                   const float *params, int B, int d);

/* Backward: add d(sum_b nll[b]) / d params into dparams. */
void fvsbn_backward(float *dparams, const float *dlogits,
                    const uint8_t *x, int B, int d);

/* Ancestral sampling of n images into x (n, d); scratch (d) floats. */
void fvsbn_sample(uint8_t *x, float *scratch, const float *params,
                  int n, int d, Rng *rng);

/* Check your understanding (exercises 3.4, 3.5).
 * Parameters of an FVSBN in which pixel i sees only the k pixels just
 * before it (a band of k diagonals of W below the main one); 0 <= k <
 * d. */
size_t fvsbn_banded_num_params(int d, int k);
/* The weights fvsbn_forward adds for one image x (d): one for every
 * w_ij, j < i, with x_j = 1. */
long fvsbn_forward_adds(const uint8_t *x, int d);

#endif
