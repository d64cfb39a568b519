/* evaluate.h - chapter 6: the tools for comparing models honestly.
 * Implemented in solutions/ch06/evaluate.c (exercises 6.1, 6.5-6.7;
 * yours: exercises/ch06/evaluate.c).
 *
 *   baseline   every pixel its own coin: p(x) = prod_i Bern(x_i; p_i),
 *              d parameters, fitted in closed form by counting
 *   ensemble   K models (here: one NADE under K orders) mixed with
 *              equal weights, p(x) = (1/K) sum_k p_k(x); in logs,
 *              log p(x) = logsumexp_k(log p_k(x)) - log K
 *   softmax    a linear classifier on features f (D):
 *              p(y = c | f) = softmax(U f + e)_c, C classes */
#ifndef EVALUATE_H
#define EVALUATE_H

#include <stddef.h>
#include <stdint.h>

/* Independent-pixel baseline: logit (d) of p_i = (count_i + 1) /
 * (n + 2), the maximum-likelihood coin with one pseudo-count each way
 * (a pixel never on in training must not get probability 0). */
void indep_fit(float *logit, const uint8_t *x, size_t n, int d);

/* log((1/K) sum_k exp(lp[k])), computed without overflow or
 * underflow: the largest term is factored out. K >= 1. */
double log_mean_exp(const double *lp, int K);

/* Softmax regression. U (C, D) row c at U + c D, e (C). */
typedef struct {
    float *U; /* (C, D) */
    float *e; /* (C) */
} SoftmaxParams;

size_t softmax_num_params(int D, int C); /* C D + C */
void softmax_point(SoftmaxParams *p, float *buf, int D, int C);

/* Mean cross-entropy -1/N sum_n log p(y_n | f_n) over N examples;
 * when dparams is not NULL, adds its gradient. f (N, D) features,
 * y (N) labels in 0..C-1; scratch (C). Returns the loss; *correct
 * (if not NULL) counts the examples whose most probable class is
 * y_n. */
double softmax_loss(float *dparams, int *correct, float *scratch,
                    const float *f, const uint8_t *y,
                    const float *params, int N, int D, int C);

/* Check your understanding (exercises 6.6, 6.7).
 * The most nats by which log p_K(x) of an equal mixture of K models can
 * fall below the log-likelihood of its best member, for any x. K >= 1.
 */
double ensemble_max_loss(int K);
/* The bytes an ideal code driven by a model needs to store n images
 * when the model's NLL is nll_nats nats per image (no rounding). */
double code_bytes(double nll_nats, long n);

#endif
