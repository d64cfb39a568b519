/* fvsbn3.c - chapter 2: the 3-variable FVSBN, its Bernoulli
 * log-likelihood and gradient, and maximum likelihood by gradient
 * ascent. */
#include "fvsbn3.h"

#include <math.h>

#include "exercise.h"
#include "mathx.h"

/* First parameter of variable i's block: 0, 1, 3. */
static int block(int i) { return i * (i + 1) / 2; }

double fvsbn3_logit(const Fvsbn3 *m, int i, const int x[3]) {
    EXERCISE_TODO("2.1");
}

double fvsbn3_log_prob(const Fvsbn3 *m, const int x[3]) {
    EXERCISE_TODO("2.2");
}

void fvsbn3_grad_log_prob(const Fvsbn3 *m, const int x[3],
                          double dtheta[FVSBN3_NPARAMS]) {
    EXERCISE_TODO("2.3");
}

static void config(int k, int x[3]) {
    x[0] = (k >> 2) & 1;
    x[1] = (k >> 1) & 1;
    x[2] = k & 1;
}

double fvsbn3_nll(const Fvsbn3 *m, const double pdata[8]) {
    double nll = 0.0;
    for (int k = 0; k < 8; k++) {
        if (pdata[k] == 0) continue;
        int x[3];
        config(k, x);
        nll -= pdata[k] * fvsbn3_log_prob(m, x);
    }
    return nll;
}

double fvsbn3_fit_step(Fvsbn3 *m, const double pdata[8], double lr) {
    double nll = fvsbn3_nll(m, pdata);
    EXERCISE_TODO("2.4");
    return nll;
}

void fvsbn3_probs(const Fvsbn3 *m, double p[8]) {
    for (int k = 0; k < 8; k++) {
        int x[3];
        config(k, x);
        p[k] = exp(fvsbn3_log_prob(m, x));
    }
}

void fvsbn3_sample(const Fvsbn3 *m, Rng *rng, int x[3]) {
    x[0] = x[1] = x[2] = 0;
    for (int i = 0; i < 3; i++)
        x[i] = rng_bernoulli(rng, sigmoid(fvsbn3_logit(m, i, x)));
}

double worked_p011(void) {
    EXERCISE_TODO("2.5");
}

void worked_grad_011(double g[FVSBN3_NPARAMS]) {
    EXERCISE_TODO("2.6");
}
