/* made.h - chapter 7: the masked autoencoder for distribution
 * estimation, MADE (Germain, Gregor, Murray and Larochelle, 2015), with
 * one hidden layer of ReLU units. Implemented in solutions/ch07/made.c
 * (exercises 7.1-7.5; yours: exercises/ch07/made.c).
 *
 *   u = relu(c + (M  .* W) x)            h hidden units, one pass
 *   p(x_i = 1 | x_<i) = sigma(b_i + ((M' .* V) u)_i)
 *
 * A mask: pixel i is the pos_i-th in the order (1..d) and hidden unit
 * k has a degree m_k in 1..d-1, the number of inputs it may see:
 *   M_{k,j}  = [m_k >= pos_j]   input j feeds unit k
 *   M'_{i,k} = [pos_i > m_k]    unit k feeds output i
 * so output i sees only the inputs before it in the order. The degrees
 * are kept nondecreasing in k: then input j feeds a suffix of the units
 * and output j reads a prefix, and the passes skip the zero blocks. The
 * formulas are 1-based as in the chapter, the arrays 0-based. */
#ifndef MADE_H
#define MADE_H

#include <stddef.h>
#include <stdint.h>

#include "nade.h"
#include "rng.h"

//> made-layout
/* The parameters are NADE's (chapter 5), in nade_point's layout: W by
 * columns (column j, input j's h weights, contiguous), c, V by rows, b.
 * Only their use differs: MADE masks W and V, NADE shares W. */
typedef NadeParams MadeParams;
//< made-layout

//> made-mask
/* One mask: an order and the degrees, and the blocks they make. */
typedef struct {
    int *order; /* (d) order[t] the pixel at place t + 1 */
    int *pos;   /* (d) pos[i] in 1..d: pixel i's place (the inverse) */
    int *deg;   /* (h) the degrees m_k in 1..d-1, nondecreasing */
    /* (d) made_mask_blocks fills it: input j feeds the units cut[j] ..
     * h-1, and output j reads the units 0 .. cut[j]-1 */
    int *cut;
} MadeMask;
//< made-mask

/* Exercise 7.1: cut[] from pos[] and deg[] by the mask rules above
 * (deg nondecreasing). */
void made_mask_blocks(MadeMask *mk, int d, int h);

/* Floats of scratch per example: d saved values, 3 h of work. */
size_t made_scratch_floats(int d, int h);

/* Example n's part of a batch's scratch. */
typedef struct {
    float *logit; /* (d) logits; after forward, g = dnll/dlogit */
    float *a;     /* (h) pre-activations c + (M .* W) x */
    float *u;     /* (h) hidden units relu(a) */
    float *du;    /* (h) backward: dnll/du */
} MadeScratch;

void made_scratch_point(MadeScratch *sc, float *scratch, int n, int d,
                        int h);

/* Exercise 7.2: nll[n] = -log p(x_n) under mask mk; scratch (B *
 * made_scratch_floats) keeps what backward reads. */
void made_forward(double *nll, float *scratch, const uint8_t *x,
                  const float *params, const MadeMask *mk, int B, int d,
                  int h);

/* Exercise 7.3: add d(sum_n nll[n]) / d params into dparams. */
void made_backward(float *dparams, float *scratch, const uint8_t *x,
                   const float *params, const MadeMask *mk, int B,
                   int d, int h);

/* Exercise 7.4: ancestral sampling of n images in mk's order; the
 * pixels at the first `given` places of each image are kept as they are
 * (conditional completion; 0: sample every pixel). Scratch of 2 h
 * floats. */
void made_sample(uint8_t *x, float *scratch, const float *params,
                 const MadeMask *mk, int given, int n, int d, int h,
                 Rng *rng);

/* Check your understanding (exercise 7.5): of the 2 d h weights of W
 * and V, how many does a mask keep (M and M' entries equal to 1), for
 * any order and any degrees? A closed formula. */
size_t made_kept_weights(int d, int h);

#endif
