/* fvsbn3.c - chapter 2: the 3-variable FVSBN, its Bernoulli
 * log-likelihood and gradient, and maximum likelihood by gradient
 * ascent. */
#include "fvsbn3.h"

#include <math.h>

#include "exercise.h"
#include "mathx.h"

/* First parameter of variable i's block: 0, 1, 3. */
static int block(int i) { return i * (i + 1) / 2; }

//> fvsbn3-logit
double fvsbn3_logit(const Fvsbn3 *m, int i, const int x[3]) {
    /* BEGIN SOLUTION 2.1 */
    /* b[0] = b_i, b[1 + j] = w_ij */
    const double *b = m->theta + block(i);
    double a = b[0];
    for (int j = 0; j < i; j++)
        if (x[j]) a += b[1 + j]; /* binary x_j: add w_ij or nothing */
    return a;
    /* END SOLUTION */
}
//< fvsbn3-logit

//> fvsbn3-log-prob
double fvsbn3_log_prob(const Fvsbn3 *m, const int x[3]) {
    /* BEGIN SOLUTION 2.2 */
    /* log p(x) = sum_i log Bern(x_i; sigma(a_i))
     *   = sum_i [x_i log sigma(a_i) + (1 - x_i) log sigma(-a_i)] */
    double lp = 0.0;
    for (int i = 0; i < 3; i++)
        lp += log_bernoulli_logit(x[i], fvsbn3_logit(m, i, x));
    return lp;
    /* END SOLUTION */
}
//< fvsbn3-log-prob

//> fvsbn3-grad
void fvsbn3_grad_log_prob(const Fvsbn3 *m, const int x[3],
                          double dtheta[FVSBN3_NPARAMS]) {
    /* BEGIN SOLUTION 2.3 */
    for (int i = 0; i < 3; i++) {
        /* d log Bern(x_i; sigma(a_i)) / d a_i = x_i - sigma(a_i) */
        double g = x[i] - sigmoid(fvsbn3_logit(m, i, x));
        double *db = dtheta + block(i);
        db[0] += g; /* da_i/db_i = 1 */
        for (int j = 0; j < i; j++)
            db[1 + j] += g * x[j]; /* da_i/dw_ij = x_j */
    }
    /* END SOLUTION */
}
//< fvsbn3-grad

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

//> fvsbn3-fit-step
double fvsbn3_fit_step(Fvsbn3 *m, const double pdata[8], double lr) {
    double nll = fvsbn3_nll(m, pdata);
    /* BEGIN SOLUTION 2.4 */
    /* gradient of the average log-likelihood:
     *   sum_x pdata(x) grad log p(x) */
    double g[FVSBN3_NPARAMS] = {0};
    for (int k = 0; k < 8; k++) {
        if (pdata[k] == 0) continue;
        int x[3];
        config(k, x);
        double gx[FVSBN3_NPARAMS] = {0};
        fvsbn3_grad_log_prob(m, x, gx);
        for (int p = 0; p < FVSBN3_NPARAMS; p++)
            g[p] += pdata[k] * gx[p];
    }
    for (int p = 0; p < FVSBN3_NPARAMS; p++)
        m->theta[p] += lr * g[p]; /* ascent: uphill in log-likelihood */
    /* END SOLUTION */
    return nll;
}
//< fvsbn3-fit-step

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
    /* BEGIN SOLUTION 2.5 */
    /* mu1 = sigma(0) = 1/2, x1 = 0: 1 - 1/2; mu2 = sigma(log 3) = 3/4;
     * mu3 = sigma(log 7) = 7/8 */
    return (1.0 / 2) * (3.0 / 4) * (7.0 / 8);
    /* END SOLUTION */
}

void worked_grad_011(double g[FVSBN3_NPARAMS]) {
    /* BEGIN SOLUTION 2.6 */
    /* x_i - mu_i on the biases, times x_j on the weights */
    g[FVSBN3_B1] = 0 - 1.0 / 2;
    g[FVSBN3_B2] = 1 - 3.0 / 4;
    g[FVSBN3_W21] = (1 - 3.0 / 4) * 0;
    g[FVSBN3_B3] = 1 - 7.0 / 8;
    g[FVSBN3_W31] = (1 - 7.0 / 8) * 0;
    g[FVSBN3_W32] = (1 - 7.0 / 8) * 1;
    /* END SOLUTION */
}
