/* mathx.c - stable log-sigmoid and friends, entropies. */
#include "mathx.h"

#include <math.h>

double sigmoid(double a) {
    /* Evaluate on the side where exp() cannot overflow. */
    if (a >= 0) return 1.0 / (1.0 + exp(-a));
    double e = exp(a);
    return e / (1.0 + e);
}

//> softplus
double softplus(double a) {
    /* log(1 + e^a) = max(a, 0) + log1p(e^-|a|) */
    return fmax(a, 0.0) + log1p(exp(-fabs(a)));
}

double log_sigmoid(double a) { return -softplus(-a); }
//< softplus

double log_bernoulli_logit(int x, double a) {
    /* log sigma(a) if x = 1, log(1 - sigma(a)) = log sigma(-a) if x = 0
     */
    return log_sigmoid(x ? a : -a);
}

float sigmoid_f(float a) {
    if (a >= 0) return 1.0f / (1.0f + expf(-a));
    float e = expf(a);
    return e / (1.0f + e);
}

float softplus_f(float a) {
    return fmaxf(a, 0.0f) + log1pf(expf(-fabsf(a)));
}

float nll_bernoulli_logit_f(int x, float a) {
    return softplus_f(x ? -a : a);
}

double cross_entropy(const double *p, const double *q, size_t n) {
    double h = 0.0;
    for (size_t k = 0; k < n; k++)
        if (p[k] > 0) h -= p[k] * log(q[k]);
    return h;
}

double entropy(const double *p, size_t n) {
    return cross_entropy(p, p, n);
}

double kl_divergence(const double *p, const double *q, size_t n) {
    double kl = 0.0;
    for (size_t k = 0; k < n; k++)
        if (p[k] > 0) kl += p[k] * (log(p[k]) - log(q[k]));
    return kl;
}
