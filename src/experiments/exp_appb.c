/* exp_appb.c - appendix B's experiment: the numbers behind the test
 * tolerances.
 *
 * 1. A central finite difference against the analytic derivative as
 *    the step h shrinks, for one Bernoulli conditional (a logistic
 *    regression log-likelihood) computed in double and in float.
 * 2. The NLL of an image as a sum of 784 terms, added up in float and
 *    in double, against a long double reference. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "experiments.h"
#include "mathx.h"

enum { K = 6, N = 40 }; /* parameters (bias + 5 weights), examples */

typedef struct {
    double z[N][K]; /* inputs, z[n][0] = 1 for the bias */
    int x[N];       /* binary targets */
} Problem;

//> fd-loglik
/* l(theta) = sum_n log Bern(x_n; sigma(theta . z_n)), in double and
 * in float (the precision of every model's parameters and logits). */
static double loglik(const Problem *P, const double *theta) {
    double l = 0;
    for (int n = 0; n < N; n++) {
        double a = 0;
        for (int k = 0; k < K; k++) a += theta[k] * P->z[n][k];
        l += log_bernoulli_logit(P->x[n], a);
    }
    return l;
}

static float loglik_f(const Problem *P, const float *theta) {
    float l = 0;
    for (int n = 0; n < N; n++) {
        float a = 0;
        for (int k = 0; k < K; k++) a += theta[k] * (float)P->z[n][k];
        l -= nll_bernoulli_logit_f(P->x[n], a);
    }
    return l;
}
//< fd-loglik

/* dl/dtheta_k = sum_n (x_n - sigma(a_n)) z_nk, in double. */
static void gradient(const Problem *P, const double *theta, double *g) {
    for (int k = 0; k < K; k++) g[k] = 0;
    for (int n = 0; n < N; n++) {
        double a = 0;
        for (int k = 0; k < K; k++) a += theta[k] * P->z[n][k];
        double r = P->x[n] - sigmoid(a);
        for (int k = 0; k < K; k++) g[k] += r * P->z[n][k];
    }
}

/* max_k |fd_k - g_k| / max(1, |g_k|) for step h. */
static void fd_errors(const Problem *P, const double *theta,
                      const double *g, double h, double *ed,
                      double *ef) {
    *ed = *ef = 0;
    for (int k = 0; k < K; k++) {
        double t[K];
        float tf[K];
        for (int j = 0; j < K; j++)
            t[j] = theta[j], tf[j] = (float)theta[j];
        t[k] = theta[k] + h;
        double up = loglik(P, t);
        t[k] = theta[k] - h;
        double fd = (up - loglik(P, t)) / (2 * h);
        /* the float step is what float can represent of theta +- h */
        float hi = (float)(theta[k] + h), lo = (float)(theta[k] - h);
        tf[k] = hi;
        float fu = loglik_f(P, tf);
        tf[k] = lo;
        double fdf =
            hi > lo ? ((double)fu - loglik_f(P, tf)) / ((double)hi - lo)
                    : 0;
        double scale = fmax(1, fabs(g[k]));
        *ed = fmax(*ed, fabs(fd - g[k]) / scale);
        /* below float's resolution at theta_k the step is 0: no value
         */
        *ef = hi > lo ? fmax(*ef, fabs(fdf - g[k]) / scale) : NAN;
        if (isnan(*ef)) return;
    }
}

static int fd_curve(const ExpOptions *opt, Values *v, Err *e) {
    Problem P;
    double theta[K], g[K];
    Rng rng;
    rng_seed(&rng, opt->seed);
    for (int k = 0; k < K; k++) theta[k] = 2 * rng_uniform(&rng) - 1;
    for (int n = 0; n < N; n++) {
        P.z[n][0] = 1;
        for (int k = 1; k < K; k++)
            P.z[n][k] = 2 * rng_uniform(&rng) - 1;
        P.x[n] = rng_bernoulli(&rng, 0.5);
    }
    gradient(&P, theta, g);
    char path[1100];
    OutFile o;
    if (out_open(&o, exp_path(path, sizeof path, opt->out, "fd.tsv"),
                 e))
        return 1;
    fprintf(o.f, "# h\terror_double\terror_float\n");
    double best_d = INFINITY, best_f = INFINITY, hd = 0, hf = 0;
    for (int k = 2; k <= 48;
         k++) { /* h = 10^(-k/4): 10^-0.5 .. 10^-12 */
        double h = pow(10, -k / 4.0), ed, ef;
        fd_errors(&P, theta, g, h, &ed, &ef);
        fprintf(o.f, "%.4g\t%.4g\t%.4g\n", h, ed, ef);
        if (ed < best_d) best_d = ed, hd = h;
        if (ef < best_f) best_f = ef, hf = h; /* NaN compares false */
    }
    char b[4][64];
    values_add(v, "fd_best_h_double", "%s", latex_sci(b[0], 64, hd));
    values_add(v, "fd_best_err_double", "%s",
               latex_sci(b[1], 64, best_d));
    values_add(v, "fd_best_h_float", "%s", latex_sci(b[2], 64, hf));
    values_add(v, "fd_best_err_float", "%s",
               latex_sci(b[3], 64, best_f));
    /* at the steps the tests use: 1e-5 in double (chapter 2), 1e-2 in
     * float (chapters 3-6) */
    double e5, unused, e2;
    fd_errors(&P, theta, g, 1e-5, &e5, &unused);
    fd_errors(&P, theta, g, 1e-2, &unused, &e2);
    char t[2][64];
    values_add(v, "fd_err_double_test", "%s", latex_sci(t[0], 64, e5));
    values_add(v, "fd_err_float_test", "%s", latex_sci(t[1], 64, e2));
    values_add(v, "fd_params", "%d", K);
    values_add(v, "fd_examples", "%d", N);
    return out_close(&o, e) ? 1 : 0;
}

//> sum-precision
/* The NLL of one image, sum_i -log p(x_i | x_<i): 784 terms of a
 * fraction of a nat each, added in float, in double and in long
 * double. */
static void nll_sums(const float *a, const int *x, int d, float *sf,
                     double *sd, long double *sl) {
    *sf = 0, *sd = 0, *sl = 0;
    for (int i = 0; i < d; i++) {
        double t = -log_bernoulli_logit(x[i], a[i]);
        *sf += (float)t;
        *sd += t;
        *sl += (long double)t;
    }
}
//< sum-precision

/* Logits like a trained model's: mostly confident (|a| of a few
 * units), the pixel usually agreeing with its logit. */
static int sum_errors(const ExpOptions *opt, Values *v) {
    enum { D = 784, IMAGES = 1000 };
    const double LO = 1, HI = 7,
                 NEG = 0.8; /* |a| in [LO, HI], P(a < 0) */
    float a[D];
    int x[D];
    Rng rng;
    rng_seed(&rng, opt->seed + 1);
    double ef = 0, ed = 0, mean = 0;
    long double total = 0;
    float total_f = 0;
    double total_d = 0;
    for (int img = 0; img < IMAGES; img++) {
        for (int i = 0; i < D; i++) {
            a[i] = (float)((rng_uniform(&rng) < NEG ? -1 : 1) *
                           (LO + (HI - LO) * rng_uniform(&rng)));
            x[i] = rng_bernoulli(&rng, sigmoid(a[i]));
        }
        float sf;
        double sd;
        long double sl;
        nll_sums(a, x, D, &sf, &sd, &sl);
        ef = fmax(ef, fabs((double)((long double)sf - sl)));
        ed = fmax(ed, fabs((double)((long double)sd - sl)));
        mean += (double)sl / IMAGES;
        total += sl;
        total_f += sf;
        total_d += sd;
    }
    values_add(v, "sum_images", "%d", IMAGES);
    values_add(v, "sum_d", "%d", D);
    values_add(v, "sum_logit_lo", "%g", LO);
    values_add(v, "sum_logit_hi", "%g", HI);
    values_add(v, "sum_negative", "%.0f", 100 * NEG);
    values_add(v, "sum_mean_nll", "%.1f", mean);
    char b[4][64];
    values_add(v, "sum_err_float", "%s", latex_sci(b[0], 64, ef));
    values_add(v, "sum_err_double", "%s", latex_sci(b[1], 64, ed));
    /* the total over all images, about 10^5 nats */
    values_add(v, "total_err_float", "%s",
               latex_sci(b[2], 64,
                         fabs((double)((long double)total_f - total))));
    values_add(v, "total_err_double", "%s",
               latex_sci(b[3], 64,
                         fabs((double)((long double)total_d - total))));
    return 0;
}

int exp_appb(const ExpOptions *opt, Err *e) {
    if (make_dirs(opt->out, e)) return 1;
    Values v = {0};
    values_add(&v, "seed", "%llu", (unsigned long long)opt->seed);
    if (fd_curve(opt, &v, e) || sum_errors(opt, &v)) return 1;
    if (values_write(&v, opt->out, e)) return 1;
    printf("appendix B: wrote fd.tsv and values.tsv\n");
    return 0;
}
