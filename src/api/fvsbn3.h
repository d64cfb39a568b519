/* fvsbn3.h - chapter 2: the lecture's fully visible sigmoid belief
 * network over three binary variables, its exact log-likelihood, its
 * gradient and maximum-likelihood fitting.
 * Implemented in solutions/ch02/fvsbn3.c (exercises 2.1-2.6; yours:
 * exercises/ch02/fvsbn3.c). */
#ifndef FVSBN3_H
#define FVSBN3_H

#include <math.h>

#include "rng.h"

//> fvsbn3-struct
/* Each conditional is a logistic regression on the variables before it:
 *   p(x1 = 1)          = sigma(b1)                    1 parameter
 *   p(x2 = 1 | x1)     = sigma(b2 + w21 x1)           2 parameters
 *   p(x3 = 1 | x1, x2) = sigma(b3 + w31 x1 + w32 x2)  3 parameters
 * Variable i (0-based) owns the block theta[i(i+1)/2 ...] = (b, w..):
 * the same layout chapter 3 uses for d = 784. */
enum {
    FVSBN3_B1,
    FVSBN3_B2,
    FVSBN3_W21,
    FVSBN3_B3,
    FVSBN3_W31,
    FVSBN3_W32,
    FVSBN3_NPARAMS /* 1 + 2 + 3 = 6 */
};

typedef struct {
    double theta[FVSBN3_NPARAMS];
} Fvsbn3;
//< fvsbn3-struct

/* Chapter 2's worked example: logs of 3 and 7 make every sigmoid a
 * simple fraction, sigma(log 3) = 3/4 and sigma(log 7) = 7/8. */
static inline Fvsbn3 fvsbn3_worked_example(void) {
    Fvsbn3 m = {{0.0, log(3.0), -log(3.0), 0.0, log(3.0), log(7.0)}};
    return m;
}

/* Logit a_i = b_i + sum_{j<i} w_ij x_j of variable i (0-based). */
double fvsbn3_logit(const Fvsbn3 *m, int i, const int x[3]);

/* log p(x), exact, through the stable log-sigmoid. */
double fvsbn3_log_prob(const Fvsbn3 *m, const int x[3]);

/* Add the gradient of log p(x) with respect to theta into dtheta. */
void fvsbn3_grad_log_prob(const Fvsbn3 *m, const int x[3],
                          double dtheta[FVSBN3_NPARAMS]);

/* A data set of binary triples matters only through the frequencies
 * of the 8 configurations: pdata[k], k = 4 x1 + 2 x2 + x3 (the
 * indexing of chapter 1). The average negative log-likelihood is
 *   NLL = -sum_x pdata(x) log p(x)       (nats per example). */
double fvsbn3_nll(const Fvsbn3 *m, const double pdata[8]);

/* One step of gradient ascent on the average log-likelihood with
 * step size lr. Returns the NLL before the step. */
double fvsbn3_fit_step(Fvsbn3 *m, const double pdata[8], double lr);

/* p(x) for all 8 configurations, indexed as pdata. */
void fvsbn3_probs(const Fvsbn3 *m, double p[8]);

/* Ancestral sample x1, x2, x3. */
void fvsbn3_sample(const Fvsbn3 *m, Rng *rng, int x[3]);

/* Check your understanding (exercises 2.5, 2.6): the worked example
 * by hand, at x = (0, 1, 1) this time.
 * p(0, 1, 1) under fvsbn3_worked_example(), from the fractions. */
double worked_p011(void);
/* The gradient of log p(0, 1, 1) under the worked example, written
 * into g in the order of theta (b1, b2, w21, b3, w31, w32). */
void worked_grad_011(double g[FVSBN3_NPARAMS]);

#endif
