/* mathx.h - the numerics every chapter shares.
 *
 * One stable softplus / log-sigmoid pair: every log-probability in the
 * workbook goes through these, never through log(sigmoid(a)), which
 * returns -inf once sigmoid(a) rounds to 0. */
#ifndef MATHX_H
#define MATHX_H

#include <stddef.h>

double sigmoid(double a);
/* softplus(a) = log(1 + e^a), exact to rounding for every finite a. */
double softplus(double a);
/* log sigma(a) = -softplus(-a). */
double log_sigmoid(double a);
/* log Bern(x; sigma(a)) = x log sigma(a) + (1 - x) log sigma(-a), x in
 * {0,1}. */
double log_bernoulli_logit(int x, double a);

/* Float versions for the hot loops of the image models (same
 * formulas; float exp/log1p are several times faster). */
float sigmoid_f(float a);
float softplus_f(float a);
/* -log Bern(x; sigma(a)) = softplus(-a) if x = 1, softplus(a) if x = 0
 */
float nll_bernoulli_logit_f(int x, float a);

/* Distributions over n outcomes, in nats. Terms with p[k] = 0 count 0.
 */
double entropy(const double *p, size_t n);
double cross_entropy(const double *p, const double *q, size_t n);
/* KL(p || q); +inf when q[k] = 0 < p[k]. */
double kl_divergence(const double *p, const double *q, size_t n);

#endif
