/* test_ch02.c - chapter 2: the 3-variable FVSBN and its likelihood. */
#include <math.h>

#include "fvsbn3.h"
#include "mathx.h"
#include "rng.h"
#include "runner.h"
#include "tabular.h"

static void random_model(Fvsbn3 *m, Rng *rng, double scale) {
    for (int p = 0; p < FVSBN3_NPARAMS; p++)
        m->theta[p] = scale * (2 * rng_uniform(rng) - 1);
}

static void config(int k, int x[3]) {
    x[0] = (k >> 2) & 1;
    x[1] = (k >> 1) & 1;
    x[2] = k & 1;
}

/* The "known" FVSBN whose samples the fit must recover. */
static const Fvsbn3 TRUTH = {{0.4, -1.0, 2.0, 0.5, -1.5, 1.0}};
/* x1, x2 fair coins, x3 = x1 XOR x2. */
static const double XOR[8] = {0.25, 0, 0, 0.25, 0, 0.25, 0.25, 0};

START_TEST(test_sums_to_one) {
    Rng rng;
    rng_seed(&rng, 11);
    for (int rep = 0; rep < 100; rep++) {
        Fvsbn3 m;
        random_model(&m, &rng, 5.0);
        double s = 0;
        for (int k = 0; k < 8; k++) {
            int x[3];
            config(k, x);
            s += exp(fvsbn3_log_prob(&m, x));
        }
        ck_assert_double_eq_tol(s, 1.0, 1e-12);
    }
}
END_TEST

/* p(x) written out as in the prose: a product of mu^x (1 - mu)^(1-x). */
static double expanded_product(const Fvsbn3 *m, const int x[3]) {
    const double *t = m->theta;
    double mu1 = 1 / (1 + exp(-t[FVSBN3_B1]));
    double mu2 = 1 / (1 + exp(-(t[FVSBN3_B2] + t[FVSBN3_W21] * x[0])));
    double mu3 = 1 / (1 + exp(-(t[FVSBN3_B3] + t[FVSBN3_W31] * x[0] +
                                t[FVSBN3_W32] * x[1])));
    return pow(mu1, x[0]) * pow(1 - mu1, 1 - x[0]) * pow(mu2, x[1]) *
           pow(1 - mu2, 1 - x[1]) * pow(mu3, x[2]) * pow(1 - mu3, 1 - x[2]);
}

START_TEST(test_expanded_bernoulli_product) {
    Rng rng;
    rng_seed(&rng, 12);
    for (int rep = 0; rep < 50; rep++) {
        Fvsbn3 m;
        random_model(&m, &rng, 3.0);
        for (int k = 0; k < 8; k++) {
            int x[3];
            config(k, x);
            ck_assert_double_eq_tol(fvsbn3_log_prob(&m, x),
                                    log(expanded_product(&m, x)), 1e-12);
        }
    }
}
END_TEST

START_TEST(test_stable_at_large_logits) {
    /* sigma(-800) underflows to 0 in double; the stable log-sigmoid
     * still gives log p = -800 (up to e^-800), never -inf. */
    Fvsbn3 m = {{-800, 0, 0, 0, 0, 0}};
    int x[3] = {1, 0, 0};
    double lp = fvsbn3_log_prob(&m, x);
    ck_assert(isfinite(lp));
    ck_assert_double_eq_tol(lp, -800 - 2 * log(2.0), 1e-9);
}
END_TEST

//> test-gradient-fd
START_TEST(test_gradient_finite_differences) {
    Rng rng;
    rng_seed(&rng, 13);
    const double h = 1e-5;
    for (int rep = 0; rep < 20; rep++) {
        Fvsbn3 m;
        random_model(&m, &rng, 2.0);
        for (int k = 0; k < 8; k++) {
            int x[3];
            config(k, x);
            double g[FVSBN3_NPARAMS] = {0};
            fvsbn3_grad_log_prob(&m, x, g);
            for (int p = 0; p < FVSBN3_NPARAMS; p++) {
                Fvsbn3 plus = m, minus = m;
                plus.theta[p] += h;
                minus.theta[p] -= h;
                double fd = (fvsbn3_log_prob(&plus, x) -
                             fvsbn3_log_prob(&minus, x)) / (2 * h);
                double rel = fabs(g[p] - fd) /
                             fmax(1e-3, fabs(g[p]) + fabs(fd));
                ck_assert_msg(rel < 1e-6,
                              "config %d param %d: analytic %.12g vs "
                              "finite difference %.12g (rel %.2g)",
                              k, p, g[p], fd, rel);
            }
        }
    }
}
END_TEST
//< test-gradient-fd

START_TEST(test_gradient_accumulates) {
    /* backward functions add into their gradient buffer */
    Fvsbn3 m = TRUTH;
    int x[3] = {1, 1, 0};
    double once[FVSBN3_NPARAMS] = {0}, twice[FVSBN3_NPARAMS] = {0};
    fvsbn3_grad_log_prob(&m, x, once);
    fvsbn3_grad_log_prob(&m, x, twice);
    fvsbn3_grad_log_prob(&m, x, twice);
    for (int p = 0; p < FVSBN3_NPARAMS; p++)
        ck_assert_double_eq_tol(twice[p], 2 * once[p], 1e-15);
}
END_TEST

static void fit(Fvsbn3 *m, const double pdata[8], int steps) {
    for (int p = 0; p < FVSBN3_NPARAMS; p++) m->theta[p] = 0;
    for (int s = 0; s < steps; s++) fvsbn3_fit_step(m, pdata, 2.0);
}

START_TEST(test_fit_step_lowers_nll) {
    Fvsbn3 m = {{0}};
    double truth[8];
    fvsbn3_probs(&TRUTH, truth);
    double prev = fvsbn3_nll(&m, truth);
    for (int s = 0; s < 50; s++) {
        double before = fvsbn3_fit_step(&m, truth, 1.0);
        ck_assert_double_eq_tol(before, prev, 1e-12);
        prev = fvsbn3_nll(&m, truth);
        ck_assert(prev <= before + 1e-15);
    }
}
END_TEST

START_TEST(test_recovers_known_fvsbn) {
    /* 20,000 samples of TRUTH; the maximum-likelihood fit must be close
     * in KL. The MLE's expected KL is about (#params)/(2N) = 1.5e-4. */
    Rng rng;
    rng_seed(&rng, 14);
    enum { N = 20000 };
    double pdata[8] = {0};
    for (int s = 0; s < N; s++) {
        int x[3];
        fvsbn3_sample(&TRUTH, &rng, x);
        pdata[4 * x[0] + 2 * x[1] + x[2]] += 1.0 / N;
    }
    Fvsbn3 m;
    fit(&m, pdata, 3000);
    double truth[8], model[8];
    fvsbn3_probs(&TRUTH, truth);
    fvsbn3_probs(&m, model);
    double kl = kl_divergence(truth, model, 8);
    ck_assert_msg(kl < 1e-3, "KL(truth || fit) = %.3g >= 1e-3", kl);
    /* NLL = H(data) + KL(data || fit): on the floor's doorstep, never
     * below it (the data's frequencies are not exactly an FVSBN). */
    double gap = fvsbn3_nll(&m, pdata) - entropy(pdata, 8);
    ck_assert_msg(gap >= -1e-12 && gap < 1e-3, "NLL - H(data) = %.3g", gap);
}
END_TEST

START_TEST(test_xor_fvsbn_cannot_fit) {
    Fvsbn3 m;
    fit(&m, XOR, 3000);
    double model[8];
    fvsbn3_probs(&m, model);
    /* The best FVSBN predicts x3 with probability 1/2 whatever x1, x2:
     * KL = log 2. No setting of 6 parameters does better. */
    double kl = kl_divergence(XOR, model, 8);
    ck_assert_msg(kl > log(2.0) - 1e-6, "KL = %.6g, below log 2", kl);
    ck_assert_msg(kl < log(2.0) + 1e-3, "KL = %.6g: fit did not converge",
                  kl);
}
END_TEST

START_TEST(test_xor_table_fits_exactly) {
    Table t;
    ck_assert_int_eq(table_init(&t, 3, XOR), TABLE_OK);
    ChainRule c;
    ck_assert_int_eq(chain_from_table(&c, &t), TABLE_OK);
    double model[8];
    for (int k = 0; k < 8; k++) {
        int x[3];
        config(k, x);
        model[k] = chain_prob(&c, x);
    }
    ck_assert_double_eq_tol(kl_divergence(XOR, model, 8), 0.0, 1e-15);
    chain_free(&c);
    table_free(&t);
}
END_TEST

static const TestSpec tests[] = {
    {"probabilities of the 8 configurations sum to 1", &test_sums_to_one},
    {"log p equals the expanded Bernoulli product",
     &test_expanded_bernoulli_product},
    {"log p stays finite at logit -800", &test_stable_at_large_logits},
    {"gradient equals central finite differences (rel < 1e-6)",
     &test_gradient_finite_differences},
    {"gradient adds into its buffer", &test_gradient_accumulates},
    {"a gradient-ascent step never raises the NLL",
     &test_fit_step_lowers_nll},
    {"fit to 20,000 samples recovers the FVSBN (KL < 1e-3)",
     &test_recovers_known_fvsbn},
    {"FVSBN cannot fit x3 = x1 XOR x2 (KL >= log 2)",
     &test_xor_fvsbn_cannot_fit},
    {"the 7-number table fits XOR exactly (KL = 0)",
     &test_xor_table_fits_exactly},
};

const TestSuiteSpec SUITE = {"ch02", tests, N_TESTS(tests)};
