/* nade.h - chapter 5: the neural autoregressive density estimator
 * (Larochelle and Murray, 2011). Implemented in solutions/ch05/nade.c
 * (exercises 5.1-5.5; yours: exercises/ch05/nade.c).
 *
 *   h_i = sigma(c + W[:, <i] x_<i)        hidden units, shared W and c
 *   p(x_i = 1 | x_<i) = sigma(b_i + V[i, :] . h_i)
 *
 * d h + h + d h + d parameters, O(d h); and the running activation
 * a_i = a_{i-1} + W[:, i-1] x_{i-1} computes all d conditionals in
 * O(d h) time. The formulas are 1-based as in the chapter; the code's
 * arrays are 0-based: x_i is x[i - 1], column W[:, j] is at W + (j-1)
 * h. */
#ifndef NADE_H
#define NADE_H

#include <stddef.h>
#include <stdint.h>

#include "rng.h"

//> nade-layout
/* One flat float buffer: W, c, V, b. W is stored by columns (column j,
 * the h weights from input j to the hidden units, is contiguous) and V
 * by rows (row i, the h weights from the hidden units to output i). */
typedef struct {
    float *W; /* (d, h) column j at W + j h (0-based j) */
    float *c; /* (h) hidden biases */
    float *V; /* (d, h) row i at V + i h (0-based i) */
    float *b; /* (d) output biases */
} NadeParams;

void nade_point(NadeParams *p, float *buf, int d, int h);
//< nade-layout

//> nade-scratch
/* Example n's part of a batch's scratch, carved like the parameters:
 * d values forward leaves for backward, then 4 h floats of work. */
typedef struct {
    float *logit; /* (d) logits; after forward, g = dnll/dlogit */
    float *a;     /* (h) the running activation a_i */
    float *hid;   /* (h) the hidden units h_i = sigma(a_i) */
    float *s;     /* (h) backward: the deltas of later activations */
    float *u;     /* (h) backward: dnll/dh of the current run */
} NadeScratch;

void nade_scratch_point(NadeScratch *sc, float *scratch, int n, int d,
                        int h);
/* Floats of scratch per example: d + 4 h. */
size_t nade_scratch_floats(int d, int h);
//< nade-scratch

/* nll[n] = -log p(x_n); scratch (B * nade_scratch_floats) keeps
 * dnll/dlogit (d per example) for backward. */
void nade_forward(double *nll, float *scratch, const uint8_t *x,
                  const float *params, int B, int d, int h);

/* Add d(sum_n nll[n]) / d params into dparams. */
void nade_backward(float *dparams, float *scratch, const uint8_t *x,
                   const float *params, int B, int d, int h);

/* Ancestral sampling of n images; scratch of 2 h floats (a, hid). */
void nade_sample(uint8_t *x, float *scratch, const float *params, int n,
                 int d, int h, Rng *rng);

/* Check your understanding (exercises 5.4, 5.5).
 * The number of floats in nade_point's layout, as a closed formula.
 * (The model allocates from the layout itself, in src/models/model.c.)
 */
size_t nade_num_params(int d, int h);
/* The smallest d at which NADE with h hidden units has fewer parameters
 * than the FVSBN on the same d pixels; 1 <= h <= 10^6. */
int nade_fvsbn_crossover(int h);

#endif
