/* test_ch05.c - chapter 5: NADE. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkpoint.h"
#include "mathx.h"
#include "model.h"
#include "nade.h"
#include "runner.h"

START_TEST(test_param_count) {
    const int dh[][2] = {{1, 1}, {3, 2}, {10, 7}, {784, 500}};
    for (int t = 0; t < 4; t++) {
        int d = dh[t][0], h = dh[t][1];
        Model m;
        Err e;
        ck_assert_int_eq(
            model_create(&m, model_ops_by_name("nade"), d, h, 2, &e),
            0);
        ck_assert_uint_eq(m.n_params,
                          (size_t)d * h + h + (size_t)d * h + d);
        NadeParams p;
        nade_point(&p, m.params, d, h);
        /* W, c, V, b tile the buffer in that order */
        ck_assert_ptr_eq(p.c, p.W + (size_t)d * h);
        ck_assert_ptr_eq(p.b + d, m.params + m.n_params);
        model_free(&m);
    }
}
END_TEST

/* Check your understanding: the count, and where NADE gets cheaper. */
static size_t layout_size(const char *model, int d, int h) {
    return model_ops_by_name(model)->num_params(d, h, 0);
}

START_TEST(test_nade_num_params) {
    const int hs[] = {1, 2, 7, 500};
    for (int t = 0; t < 4; t++)
        for (int d = 1; d <= 800; d += d < 40 ? 1 : 97) {
            int h = hs[t];
            size_t got = nade_num_params(d, h);
            size_t want = layout_size("nade", d, h);
            ck_assert_msg(
                got == want,
                "exercise 5.4: nade_num_params(d = %d, h = %d) = "
                "%zu is not the size of nade_point's layout (W, c, "
                "V, b: W has all d columns)",
                d, h, got);
        }
}
END_TEST

START_TEST(test_nade_fvsbn_crossover) {
    const int hs[] = {1, 8, 100, 500, 100000};
    for (int t = 0; t < 5; t++) {
        int h = hs[t], want = 1;
        while (layout_size("fvsbn", want, 0) <=
               layout_size("nade", want, h))
            want++;
        int got = nade_fvsbn_crossover(h);
        ck_assert_msg(
            got == want,
            "exercise 5.5: nade_fvsbn_crossover(h = %d) = %d, but "
            "at d = %d the FVSBN has %zu parameters and NADE %zu "
            "(the smallest d with strictly fewer for NADE)",
            h, got, got, got > 0 ? layout_size("fvsbn", got, 0) : 0,
            got > 0 ? layout_size("nade", got, h) : 0);
    }
}
END_TEST

START_TEST(test_normalised) {
    check_model_normalised("nade", 10, 2.0f, 51);
}
END_TEST

//> test-nade-naive
/* O(d^2 h): every h_i from scratch,
 * h_i = sigma(c + sum_{j<i} W_j x_j) */
static double naive_nll(double *logits, const float *params,
                        const int *order, const uint8_t *x, int d,
                        int h) {
    (void)order;
    NadeParams p;
    nade_point(&p, (float *)params, d, h);
    double nll = 0;
    for (int i = 0; i < d; i++) {
        double logit = p.b[i];
        for (int k = 0; k < h; k++) {
            double a = p.c[k];
            for (int j = 0; j < i; j++)
                a += (double)p.W[(size_t)j * h + k] * x[j];
            logit += p.V[(size_t)i * h + k] * sigmoid(a);
        }
        logits[i] = logit;
        nll -= log_bernoulli_logit(x[i], logit);
    }
    return nll;
}
//< test-nade-naive

START_TEST(test_fast_equals_naive) {
    check_model_naive("nade", 8, 3, 0, 1.5f, 0.5, naive_nll, 56);
    check_model_naive("nade", 40, 17, 8, 0.5f, 0.4, naive_nll, 52);
}
END_TEST

START_TEST(test_gradient_finite_differences) {
    check_model_gradient("nade", 6, 4, 3, 1.0f, 1e-2f, 2e-3, 53);
}
END_TEST

START_TEST(test_gradient_adds_into) {
    check_model_adds_into("nade", 6, 4, 1.0f, 57);
}
END_TEST

START_TEST(test_sampling_matches_model) {
    check_model_sampling("nade", 3, 1.5f, 54);
}
END_TEST

START_TEST(test_checkpoint_round_trip) {
    char dir[64], path[128];
    tmpdir_make(dir);
    Model m, back;
    Err e;
    ck_assert_int_eq(
        model_create(&m, model_ops_by_name("nade"), 30, 9, 1, &e), 0);
    Rng rng;
    rng_seed(&rng, 55);
    for (size_t k = 0; k < m.n_params; k++)
        m.params[k] = (float)rng_uniform(&rng);
    snprintf(path, sizeof path, "%s/n.ckpt", dir);
    ck_assert_int_eq(checkpoint_save(path, &m, &e), 0);
    ck_assert_int_eq(checkpoint_load(path, MODEL_NADE, 2, &back, &e),
                     0);
    ck_assert_int_eq(back.h, 9);
    ck_assert_int_eq(memcmp(back.params, m.params, m.n_params * 4), 0);
    model_free(&back);
    Err e2 = {""};
    ck_assert_int_eq(checkpoint_load(path, MODEL_FVSBN, 2, &back, &e2),
                     -1);
    ck_assert_ptr_nonnull(
        strstr(e2.msg, "a nade checkpoint, expected fvsbn"));
    model_free(&m);
    tmpdir_remove(dir);
}
END_TEST

static const TestSpec tests[] = {
    {"parameter count d h + h + d h + d = allocated buffer",
     &test_param_count},
    {"question: the parameter count as a formula",
     &test_nade_num_params},
    {"question: where NADE gets cheaper than the FVSBN",
     &test_nade_fvsbn_crossover},
    {"probabilities of all 2^d configurations sum to 1 (d <= 10)",
     &test_normalised},
    {"O(d h) forward equals the naive O(d^2 h) recomputation",
     &test_fast_equals_naive},
    {"gradient equals central finite differences",
     &test_gradient_finite_differences},
    {"backward adds into dparams (twice the batch, twice the gradient)",
     &test_gradient_adds_into},
    {"ancestral samples follow the model (chi-square)",
     &test_sampling_matches_model},
    {"checkpoint round trip; a NADE is not an FVSBN",
     &test_checkpoint_round_trip},
};

const TestSuiteSpec SUITE = {"ch05", tests, N_TESTS(tests)};
