/* test_ch02.c - chapter 2: the 3-variable FVSBN and its likelihood. */
#include <math.h>

#include "fvsbn3.h"
#include "mathx.h"
#include "rng.h"
#include "runner.h"
#include "tabular.h"

static void random_fvsbn3(Fvsbn3 *m, Rng *rng, double scale) {
    for (int p = 0; p < FVSBN3_NPARAMS; p++)
        m->theta[p] = scale * (2 * rng_uniform(rng) - 1);
}

static void config(int k, int x[3]) {
    x[0] = (k >> 2) & 1;
    x[1] = (k >> 1) & 1;
    x[2] = k & 1;
}

/* The "known" FVSBN whose samples the fit must recover: strong biases
 * and weights (theta = b1, b2, w21, b3, w31, w32), so that a model
 * missing any one term is far from it (see test_recovers_known_fvsbn).
 */
static const Fvsbn3 TRUTH = {{1.5, -2.0, 2.5, 1.0, -2.0, 1.5}};
static const char *const NAMES[FVSBN3_NPARAMS] = {"b1", "b2",  "w21",
                                                  "b3", "w31", "w32"};
/* x1, x2 fair coins, x3 = x1 XOR x2. */
static const double XOR[8] = {0.25, 0, 0, 0.25, 0, 0.25, 0.25, 0};

START_TEST(test_sums_to_one) {
    Rng rng;
    rng_seed(&rng, 11);
    for (int rep = 0; rep < 100; rep++) {
        Fvsbn3 m;
        random_fvsbn3(&m, &rng, 5.0);
        double s = 0;
        for (int k = 0; k < 8; k++) {
            int x[3];
            config(k, x);
            s += exp(fvsbn3_log_prob(&m, x));
        }
        ck_assert_msg(
            fabs(s - 1.0) <= 1e-12,
            "exercises 2.1-2.2: the "
            "probabilities of the 8 configurations sum to %.15g,"
            " not 1: does x_i feed only the logits after it, "
            "and is x = 0 scored with 1 - sigma(a)?",
            s);
    }
}
END_TEST

/* p(x) written out as in the prose: a product of mu^x (1 - mu)^(1-x).
 */
static double expanded_product(const Fvsbn3 *m, const int x[3]) {
    const double *t = m->theta;
    double mu1 = 1 / (1 + exp(-t[FVSBN3_B1]));
    double mu2 = 1 / (1 + exp(-(t[FVSBN3_B2] + t[FVSBN3_W21] * x[0])));
    double mu3 = 1 / (1 + exp(-(t[FVSBN3_B3] + t[FVSBN3_W31] * x[0] +
                                t[FVSBN3_W32] * x[1])));
    return pow(mu1, x[0]) * pow(1 - mu1, 1 - x[0]) * pow(mu2, x[1]) *
           pow(1 - mu2, 1 - x[1]) * pow(mu3, x[2]) *
           pow(1 - mu3, 1 - x[2]);
}

START_TEST(test_expanded_bernoulli_product) {
    Rng rng;
    rng_seed(&rng, 12);
    for (int rep = 0; rep < 50; rep++) {
        Fvsbn3 m;
        random_fvsbn3(&m, &rng, 3.0);
        for (int k = 0; k < 8; k++) {
            int x[3];
            config(k, x);
            double got = fvsbn3_log_prob(&m, x);
            double want = log(expanded_product(&m, x));
            ck_assert_msg(
                fabs(got - want) <= 1e-12,
                "exercises 2.1-2.2: "
                "log p(%d%d%d) is %.15g, the expanded product "
                "gives %.15g; its logits are b1 = %.4f, b2 + "
                "w21 x1 = %.4f, b3 + w31 x1 + w32 x2 = %.4f, "
                "yours %.4f, %.4f, %.4f",
                x[0], x[1], x[2], got, want, m.theta[0],
                m.theta[1] + m.theta[2] * x[0],
                m.theta[3] + m.theta[4] * x[0] + m.theta[5] * x[1],
                fvsbn3_logit(&m, 0, x), fvsbn3_logit(&m, 1, x),
                fvsbn3_logit(&m, 2, x));
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
    ck_assert_msg(isfinite(lp) &&
                      fabs(lp - (-800 - 2 * log(2.0))) <= 1e-9,
                  "exercise 2.2 fvsbn3_log_prob: log p(100) with b1 = "
                  "-800 is %g, not -800 - 2 log 2: take "
                  "log_bernoulli_logit, never log(sigmoid(a))",
                  lp);
}
END_TEST

//> test-gradient-fd
START_TEST(test_gradient_finite_differences) {
    Rng rng;
    rng_seed(&rng, 13);
    const double h = 1e-5;
    for (int rep = 0; rep < 20; rep++) {
        Fvsbn3 m;
        random_fvsbn3(&m, &rng, 2.0);
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
                             fvsbn3_log_prob(&minus, x)) /
                            (2 * h);
                double rel =
                    fabs(g[p] - fd) / fmax(1e-3, fabs(g[p]) + fabs(fd));
                ck_assert_msg(rel < 1e-6,
                              "exercise 2.3 fvsbn3_grad_log_prob: "
                              "at x = (%d,%d,%d), d log p / d %s is "
                              "%.9g, but central differences of "
                              "your fvsbn3_log_prob give %.9g",
                              x[0], x[1], x[2], NAMES[p], g[p], fd);
            }
        }
    }
}
END_TEST
//< test-gradient-fd

START_TEST(test_gradient_accumulates) {
    /* backward functions add into their gradient buffer: on each of
     * the 8 configurations, two calls give twice one call */
    Fvsbn3 m = TRUTH;
    for (int k = 0; k < 8; k++) {
        int x[3];
        config(k, x);
        double once[FVSBN3_NPARAMS] = {0}, twice[FVSBN3_NPARAMS] = {0};
        fvsbn3_grad_log_prob(&m, x, once);
        fvsbn3_grad_log_prob(&m, x, twice);
        fvsbn3_grad_log_prob(&m, x, twice);
        for (int p = 0; p < FVSBN3_NPARAMS; p++)
            ck_assert_msg(
                fabs(twice[p] - 2 * once[p]) <= 1e-15,
                "exercise 2.3 fvsbn3_grad_log_prob assigned "
                "instead of added: at x = (%d,%d,%d), two calls "
                "leave %.9g in dtheta for %s, not twice one "
                "call's %.9g; add (+=) into dtheta",
                x[0], x[1], x[2], twice[p], NAMES[p], once[p]);
    }
}
END_TEST

static void fit(Fvsbn3 *m, const double pdata[8], int steps) {
    for (int p = 0; p < FVSBN3_NPARAMS; p++) m->theta[p] = 0;
    for (int s = 0; s < steps; s++) fvsbn3_fit_step(m, pdata, 2.0);
}

/* TRUTH's distribution from the expanded product, independent of the
 * code under test. */
static void truth_probs(double p[8]) {
    for (int k = 0; k < 8; k++) {
        int x[3];
        config(k, x);
        p[k] = expanded_product(&TRUTH, x);
    }
}

START_TEST(test_fit_step_lowers_nll) {
    Fvsbn3 m = {{0}};
    double truth[8];
    truth_probs(truth);
    double prev = fvsbn3_nll(&m, truth);
    for (int s = 0; s < 50; s++) {
        double before = fvsbn3_fit_step(&m, truth, 1.0);
        ck_assert_msg(fabs(before - prev) <= 1e-12,
                      "exercise 2.4 "
                      "fvsbn3_fit_step must return the NLL before its "
                      "step: it returned %.12g, the NLL was %.12g",
                      before, prev);
        prev = fvsbn3_nll(&m, truth);
        ck_assert_msg(
            prev <= before + 1e-15,
            "exercise 2.4 "
            "fvsbn3_fit_step, step %d: the NLL rose from %.12g "
            "to %.12g; a step of gradient *ascent* on log p "
            "(theta += lr g) lowers it",
            s, before, prev);
    }
}
END_TEST

START_TEST(test_recovers_known_fvsbn) {
    /* 20,000 samples of TRUTH, drawn from its table (not by the code
     * under test); the maximum-likelihood fit must be close in KL. The
     * MLE's expected KL is about (#params)/(2N) = 1.5e-4, while a model
     * missing a bias, a weight or a conditional's term stays at least
     * 0.02 nats away from TRUTH's strong parameters: 1e-3 separates
     * them. The model's probabilities also come from the expanded
     * product of its fitted theta. */
    Rng rng;
    rng_seed(&rng, 14);
    enum { N = 20000 };
    double pdata[8] = {0}, truth[8], model[8];
    truth_probs(truth);
    for (int s = 0; s < N; s++) {
        double u = rng_uniform(&rng), c = 0;
        int k = 0;
        while (k < 7 && (c += truth[k]) <= u) k++;
        pdata[k] += 1.0 / N;
    }
    Fvsbn3 m;
    fit(&m, pdata, 3000);
    for (int k = 0; k < 8; k++) {
        int x[3];
        config(k, x);
        model[k] = expanded_product(&m, x);
    }
    double kl = kl_divergence(truth, model, 8);
    ck_assert_msg(
        kl < 1e-3,
        "exercises 2.1-2.4: KL(truth || fit) = %.3g "
        ">= 1e-3; the fit theta = (b1 %.3f, b2 %.3f, w21 %.3f, "
        "b3 %.3f, w31 %.3f, w32 %.3f), the truth (%.1f, %.1f, "
        "%.1f, %.1f, %.1f, %.1f)",
        kl, m.theta[0], m.theta[1], m.theta[2], m.theta[3], m.theta[4],
        m.theta[5], TRUTH.theta[0], TRUTH.theta[1], TRUTH.theta[2],
        TRUTH.theta[3], TRUTH.theta[4], TRUTH.theta[5]);
    /* NLL = H(data) + KL(data || fit): on the floor's doorstep, never
     * below it (the data's frequencies are not exactly an FVSBN). */
    double gap = fvsbn3_nll(&m, pdata) - entropy(pdata, 8);
    ck_assert_msg(gap >= -1e-12 && gap < 1e-3, "NLL - H(data) = %.3g",
                  gap);
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
    ck_assert_msg(kl < log(2.0) + 1e-3,
                  "KL = %.6g: fit did not converge", kl);
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

//> test-worked-example
/* The worked example of the chapter, by hand: mu = (1/2, 1/2, 3/4) at
 * x = (1, 0, 1), so p = 1/2 * (1 - 1/2) * 3/4 = 3/16, and the gradient
 * is x_i - mu_i on the biases and (x_i - mu_i) x_j on the weights. */
START_TEST(test_worked_example) {
    const Fvsbn3 m = fvsbn3_worked_example();
    const int x[3] = {1, 0, 1};
    const double by_hand[FVSBN3_NPARAMS] = {
        1 - 0.5,                       /* b1  */
        0 - 0.5,       (0 - 0.5) * 1,  /* b2, w21 */
        1 - 0.75,      (1 - 0.75) * 1, /* b3, w31 */
        (1 - 0.75) * 0};               /* w32 */
    double lp = fvsbn3_log_prob(&m, x);
    ck_assert_msg(fabs(lp - log(3.0 / 16)) < 1e-12,
                  "exercise 2.2: log p(1,0,1) = %.15g, by hand "
                  "log(3/16) = %.15g",
                  lp, log(3.0 / 16));
    double g[FVSBN3_NPARAMS] = {0};
    fvsbn3_grad_log_prob(&m, x, g);
    for (int k = 0; k < FVSBN3_NPARAMS; k++)
        ck_assert_msg(fabs(g[k] - by_hand[k]) < 1e-12,
                      "exercise 2.3: d log p(1,0,1) / d %s = %.15g, "
                      "by hand %g",
                      NAMES[k], g[k], by_hand[k]);
}
END_TEST
//< test-worked-example

/* Check your understanding: the worked example at x = (0, 1, 1),
 * evaluated here from its definition, independently of 2.1-2.4. */
static double worked_log_p(const double th[FVSBN3_NPARAMS],
                           const int x[3]) {
    double a[3] = {th[0], th[1] + th[2] * x[0],
                   th[3] + th[4] * x[0] + th[5] * x[1]};
    double lp = 0;
    for (int i = 0; i < 3; i++) {
        double mu = 1 / (1 + exp(-a[i]));
        lp += log(x[i] ? mu : 1 - mu);
    }
    return lp;
}

START_TEST(test_worked_p011) {
    const Fvsbn3 m = fvsbn3_worked_example();
    const int x[3] = {0, 1, 1};
    double want = exp(worked_log_p(m.theta, x)), got = worked_p011();
    ck_assert_msg(
        fabs(got - want) < 1e-12,
        "exercise 2.5: worked_p011() = %.10g is not p(0,1,1) of "
        "the worked example: compute a_i and mu_i at x = (0, 1, 1) "
        "(x_1 = 0, so the first factor is 1 - mu_1, and w_31 "
        "meets x_1 = 0)",
        got);
}
END_TEST

START_TEST(test_worked_grad_011) {
    Fvsbn3 m = fvsbn3_worked_example();
    const int x[3] = {0, 1, 1};
    double g[FVSBN3_NPARAMS];
    for (int k = 0; k < FVSBN3_NPARAMS; k++) g[k] = NAN;
    worked_grad_011(g);
    for (int k = 0; k < FVSBN3_NPARAMS; k++) {
        double t0 = m.theta[k], eps = 1e-6;
        m.theta[k] = t0 + eps;
        double up = worked_log_p(m.theta, x);
        m.theta[k] = t0 - eps;
        double down = worked_log_p(m.theta, x);
        m.theta[k] = t0;
        double fd = (up - down) / (2 * eps);
        ck_assert_msg(
            fabs(g[k] - fd) < 1e-6,
            "exercise 2.6: d log p(0,1,1) / d %s = %.10g is wrong: "
            "x_i - mu_i for a bias, (x_i - mu_i) x_j for the weight "
            "w_ij, at x = (0, 1, 1)",
            NAMES[k], g[k]);
    }
}
END_TEST

static const TestSpec tests[] = {
    {"probabilities of the 8 configurations sum to 1",
     &test_sums_to_one},
    {"log p equals the expanded Bernoulli product",
     &test_expanded_bernoulli_product},
    {"log p stays finite at logit -800", &test_stable_at_large_logits},
    {"the worked example's p(1,0,1) and gradient equal the hand values",
     &test_worked_example},
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
    {"question: p(0,1,1) of the worked example", &test_worked_p011},
    {"question: the gradient of log p(0,1,1) of the worked example",
     &test_worked_grad_011},
};

const TestSuiteSpec SUITE = {"ch02", tests, N_TESTS(tests)};
