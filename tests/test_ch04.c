/* test_ch04.c - chapter 4: MLP conditionals, and the parameter counts
 * of every model family. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "fvsbn.h"
#include "mathx.h"
#include "mlp.h"
#include "model.h"
#include "nade.h"
#include "optim.h"
#include "runner.h"
#include "tabular.h"

START_TEST(test_param_count) {
    const int dh[][2] = {{1, 1}, {3, 2}, {10, 7}, {784, 8}};
    for (int t = 0; t < 4; t++) {
        int d = dh[t][0], h = dh[t][1];
        /* sum over conditionals of h (i - 1) + h + h + 1 */
        size_t want = 0;
        for (int i = 1; i <= d; i++)
            want += (size_t)h * (i - 1) + 2 * h + 1;
        Model m;
        Err e;
        ck_assert_int_eq(
            model_create(&m, model_ops_by_name("mlp"), d, h, 2, &e), 0);
        ck_assert_uint_eq(m.n_params, want);
        MlpParams p;
        mlp_point(&p, m.params, d, h);
        ck_assert_ptr_eq(p.b + d, m.params + m.n_params);
        model_free(&m);
    }
}
END_TEST

START_TEST(test_family_counts) {
    /* the counts the chapter's figure plots, against their formulas */
    for (int d = 1; d <= 20; d++)
        ck_assert_int_eq(chain_num_params(d), (1L << d) - 1);
    for (int d = 1; d <= 784; d += 17) {
        size_t h = 500;
        ck_assert_uint_eq(fvsbn_num_params(d), (size_t)d * (d + 1) / 2);
        ck_assert_uint_eq(
            model_ops_by_name("mlp")->num_params(d, (int)h, 0),
            h * d * (d - 1) / 2 + 2 * h * d + d);
        ck_assert_uint_eq(
            model_ops_by_name("nade")->num_params(d, (int)h, 0),
            2 * h * d + h + d);
    }
}
END_TEST

START_TEST(test_normalised) {
    check_model_normalised("mlp", 10, 2.0f, 41);
}
END_TEST

/* One conditional at a time, in double, multiplying by every x_j. */
static double naive_nll(double *logits, const float *params,
                        const int *order, const uint8_t *x, int d,
                        int h) {
    (void)order;
    MlpParams p;
    mlp_point(&p, (float *)params, d, h);
    double nll = 0;
    for (int i = 0; i < d; i++) {
        const float *Ai = p.A + (size_t)h * i * (i - 1) / 2;
        double logit = p.b[i];
        for (int k = 0; k < h; k++) {
            double pre = p.c[(size_t)i * h + k];
            for (int j = 0; j < i; j++)
                pre += Ai[(size_t)j * h + k] * x[j];
            logit += p.w[(size_t)i * h + k] * sigmoid(pre);
        }
        logits[i] = logit;
        nll -= log_bernoulli_logit(x[i], logit);
    }
    return nll;
}

START_TEST(test_fast_equals_naive) {
    check_model_naive("mlp", 8, 3, 0, 1.5f, 0.5, naive_nll, 45);
    check_model_naive("mlp", 30, 6, 8, 0.7f, 0.4, naive_nll, 42);
}
END_TEST

START_TEST(test_gradient_finite_differences) {
    check_model_gradient("mlp", 6, 3, 3, 1.0f, 1e-2f, 2e-3, 43);
}
END_TEST

START_TEST(test_gradient_adds_into) {
    check_model_adds_into("mlp", 6, 3, 1.0f, 46);
}
END_TEST

START_TEST(test_mlp_fits_xor) {
    /* chapter 2's XOR, which no FVSBN fits: a hidden layer does */
    const int d = 3, h = 8, N = 400;
    uint8_t *x = malloc((size_t)N * d);
    Rng rng;
    rng_seed(&rng, 44);
    for (int n = 0; n < N; n++) {
        x[n * d] = (uint8_t)rng_bernoulli(&rng, 0.5);
        x[n * d + 1] = (uint8_t)rng_bernoulli(&rng, 0.5);
        x[n * d + 2] = x[n * d] ^ x[n * d + 1];
    }
    Model m;
    Err e;
    ck_assert_int_eq(
        model_create(&m, model_ops_by_name("mlp"), d, h, N, &e), 0);
    double marg[3];
    model_marginals(marg, x, N, d);
    m.ops->init(m.params, d, h, 0, marg, &rng);
    /* a tiny problem wants a bolder start than the 784-pixel default */
    MlpParams mp;
    mlp_point(&mp, m.params, d, h);
    for (float *q = mp.A; q < mp.b; q++)
        *q = (float)(2 * rng_uniform(&rng) - 1);
    float *grad = calloc(m.n_params, sizeof *grad);
    double *nll = malloc(N * sizeof *nll);
    Optimizer o;
    ck_assert_int_eq(optim_init(&o, OPT_ADAM, m.n_params, 0.05f), 0);
    float *grads[1] = {grad};
    for (int t = 0; t < 1000; t++) {
        model_forward_backward(&m, grads, 1, x, N, nll);
        optim_step(&o, m.params, grad, 1.0f / N);
        for (size_t k = 0; k < m.n_params; k++) grad[k] = 0;
    }
    double mean = model_mean_nll(&m, x, N);
    /* entropy of the data: 2 log 2 = 1.386; an FVSBN stays at 3 log 2
     */
    ck_assert_msg(
        mean < 2 * log(2.0) + 0.05,
        "exercises 4.1-4.2: after "
        "1000 Adam steps on x3 = x1 XOR x2 the NLL is %.4f, not "
        "within 0.05 of the entropy 2 log 2 = %.4f (an FVSBN "
        "stays at 3 log 2 = %.4f)",
        mean, 2 * log(2.0), 3 * log(2.0));
    optim_free(&o);
    model_free(&m);
    free(grad);
    free(nll);
    free(x);
}
END_TEST

/* Check your understanding: the count, and where the table overtakes
 * it. */
static size_t layout_size(int d, int h) {
    return model_ops_by_name("mlp")->num_params(d, h, 0);
}

START_TEST(test_mlp_num_params) {
    const int hs[] = {1, 2, 7, 500};
    for (int t = 0; t < 4; t++)
        for (int d = 1; d <= 800; d += d < 40 ? 1 : 97) {
            int h = hs[t];
            size_t got = mlp_num_params(d, h), want = layout_size(d, h);
            ck_assert_msg(
                got == want,
                "exercise 4.3: mlp_num_params(d = %d, h = %d) = %zu "
                "is not the size of mlp_point's layout (A_i has "
                "h (i - 1); every conditional, the first too, has "
                "its c_i, w^(i) and b_i)",
                d, h, got);
        }
}
END_TEST

START_TEST(test_mlp_table_crossover) {
    const int hs[] = {1, 8, 100, 500, 10000};
    for (int t = 0; t < 5; t++) {
        int h = hs[t], want = 1;
        while ((1L << want) - 1 <= (long)layout_size(want, h)) want++;
        int got = mlp_table_crossover(h);
        ck_assert_msg(
            got == want,
            "exercise 4.4: mlp_table_crossover(h = %d) = %d, but "
            "at d = %d the table has %ld numbers and the model "
            "%zu parameters",
            h, got, got, got > 0 && got < 63 ? (1L << got) - 1 : -1L,
            got > 0 ? layout_size(got, h) : 0);
    }
}
END_TEST

static const TestSpec tests[] = {
    {"parameter count h d(d-1)/2 + 2hd + d = allocated buffer",
     &test_param_count},
    {"parameter counts of all families match their formulas",
     &test_family_counts},
    {"question: the parameter count as a formula",
     &test_mlp_num_params},
    {"question: where the table overtakes the MLP conditionals",
     &test_mlp_table_crossover},
    {"probabilities of all 2^d configurations sum to 1 (d <= 10)",
     &test_normalised},
    {"fast forward equals a dense one-conditional-at-a-time loop",
     &test_fast_equals_naive},
    {"gradient equals central finite differences",
     &test_gradient_finite_differences},
    {"backward adds into dparams (twice the batch, twice the gradient)",
     &test_gradient_adds_into},
    {"a hidden layer fits chapter 2's XOR", &test_mlp_fits_xor},
};

const TestSuiteSpec SUITE = {"ch04", tests, N_TESTS(tests)};
