/* nade_order.h - chapter 6: NADE with the pixels visited in any order.
 * Implemented in solutions/ch06/nade_order.c (exercises 6.2-6.4; yours:
 * exercises/ch06/nade_order.c).
 *
 * An ordering is a permutation of the pixels: in code order[k], k =
 * 0..d-1, is the pixel (0-based) at position k; in the formulas, which
 * are 1-based as in the chapter, o_k = order[k - 1] + 1 (the 1-based
 * pixel at the 1-based position k). The model factors
 *
 *   p(x) = prod_k p(x_{o_k} | x_{o_1}, ..., x_{o_{k-1}})
 *
 * with chapter 5's parameters indexed by pixel, not by position:
 *   h_k = sigma(c + sum_{j<k} W[:, o_j] x_{o_j})
 *   p(x_{o_k} = 1 | ...) = sigma(b_{o_k} + V[o_k, :] . h_k)
 * The identity order is chapter 5's NADE. One set of parameters serves
 * every order, so it can be trained on many (order-agnostic training)
 * and averaged over them (an ensemble). */
#ifndef NADE_ORDER_H
#define NADE_ORDER_H

#include <stdint.h>

#include "rng.h"

/* nade_forward with order (d): nll[n] = -log p(x_n); scratch
 * (B * nade_scratch_floats) keeps dnll/dlogit by pixel for backward. */
void nade_forward_order(double *nll, float *scratch, const uint8_t *x,
                        const float *params, const int *order, int B,
                        int d, int h);

/* nade_backward with order: add d(sum_n nll[n]) / d params. */
void nade_backward_order(float *dparams, float *scratch,
                         const uint8_t *x, const float *params,
                         const int *order, int B, int d, int h);

/* Conditional completion: for each of the n images in x, keep the
 * pixels order[0 .. given-1] (o_1..o_given) as they are and sample the
 * rest, order[given ..], in order, from
 * p(x_{o_k} | x_{o_<k}). given = 0 is plain sampling; with the raster
 * order and given = d/2 it completes the bottom half of an image from
 * its top half, exactly. scratch: 2 h floats. */
void nade_complete_order(uint8_t *x, float *scratch,
                         const float *params, const int *order,
                         int given, int n, int d, int h, Rng *rng);

/* A uniformly random permutation of 0..d-1 (Fisher-Yates). */
void order_random(int *order, int d, Rng *rng);

#endif
