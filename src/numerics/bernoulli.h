/* bernoulli.h - the output layer every image model shares: d Bernoulli
 * conditionals given by their logits.
 *
 *   nll = -sum_i log Bern(x_i; sigma(a_i))
 *       =  sum_i softplus(a_i) - x_i a_i          (in nats, in double)
 *   g_i = d nll / d a_i = sigma(a_i) - x_i
 *
 * Both come from one e = exp(-|a_i|) per pixel: softplus(a) =
 * max(a, 0) + log1p(e), sigma(a) = 1 / (1 + e) for a >= 0 and
 * e / (1 + e) below. This file is compiled so that the loop runs on
 * vector units (glibc's vector exp and log1p, accurate to a few ulp).
 */
#ifndef BERNOULLI_H
#define BERNOULLI_H

#include <stdint.h>

/* Returns nll; writes g (d) when g is not NULL. g may be a itself. */
double bernoulli_nll(float *g, const float *a, const uint8_t *x, int d);

/* The same in float arithmetic, for the kernels of appendix C
 * (bernoulli_f.c): 16 pixels at a time with lanes.h's exp_neg16, one
 * log per 128 pixels (the sum of their log1p is the log of their
 * product). Each x_i is 0 or 1 (the pixels of a binarized image;
 * other bytes give wrong results). Writes g; g may be a itself. */
double bernoulli_nll_f(float *g, const float *a, const uint8_t *x,
                       int d);

#endif
