/* made2.h - chapter 7: MADE with two hidden layers of ReLU units, the
 * library's (not an exercise; it builds on exercise 7.1's blocks).
 *
 *   u   = relu(c + (M .* W) x)            h units, as in made.h
 *   u2  = relu(c2 + (M2 .* W2) u)         h2 units
 *   p(x_i = 1 | x_<i) = sigma(b_i + ((M' .* V) u2)_i)
 *
 * Unit k' of the second layer has a degree n_k' in m_1..d-1 (m_1 the
 * smallest degree of the first layer) and reads the units that see no
 * more than it may:
 *   M2_{k',k} = [n_k' >= m_k]     unit k feeds unit k'
 *   M'_{i,k'} = [pos_i > n_k']    unit k' feeds output i
 * Both degree vectors are nondecreasing, so unit k' reads a prefix of
 * the first layer and output i a prefix of the second. */
#ifndef MADE2_H
#define MADE2_H

#include <stddef.h>
#include <stdint.h>

#include "made.h"
#include "rng.h"

//> made2-layer
/* A mask's second layer, beside its MadeMask (order, pos, deg, cut). */
typedef struct {
    int *deg; /* (h2) degrees n_k' in m_1..d-1, nondecreasing */
    int *cut; /* (h2) unit k' reads the first layer's units < cut[k'] */
    int *out; /* (d) output i reads the second layer's units < out[i] */
} MadeLayer2;
//< made2-layer

/* W (d columns of h, as MADE's), c (h), W2 (h2 rows of h), c2 (h2),
 * V (d rows of h2), b (d). */
typedef struct {
    float *W, *c, *W2, *c2, *V, *b;
} Made2Params;

void made2_point(Made2Params *p, float *params, int d, int h, int h2);
size_t made2_num_params(int d, int h, int h2);
/* per example: logit (d); a, u, du (h each); a2, u2, du2 (h2 each) */
size_t made2_scratch_floats(int d, int h, int h2);

/* cut[] and out[] from the degrees (l2->deg) and mk's. */
void made2_layer_blocks(MadeLayer2 *l2, const MadeMask *mk, int d,
                        int h, int h2);

void made2_forward(double *nll, float *scratch, const uint8_t *x,
                   const float *params, const MadeMask *mk,
                   const MadeLayer2 *l2, int B, int d, int h, int h2);
void made2_backward(float *dparams, float *scratch, const uint8_t *x,
                    const float *params, const MadeMask *mk,
                    const MadeLayer2 *l2, int B, int d, int h, int h2);
/* As made_sample; scratch of 2 h + h2 floats. */
void made2_sample(uint8_t *x, float *scratch, const float *params,
                  const MadeMask *mk, const MadeLayer2 *l2, int given,
                  int n, int d, int h, int h2, Rng *rng);

#endif
