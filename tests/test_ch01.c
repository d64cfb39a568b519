/* test_ch01.c - chapter 1: the full table and its chain-rule tables. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "rng.h"
#include "runner.h"
#include "tabular.h"

/* The joint of chapter 1's running example (weights, not normalised).
 */
static const double EXAMPLE[8] = {30, 5, 10, 15, 5, 10, 5, 20};

static double *random_weights(Rng *rng, int d) {
    size_t n = (size_t)1 << d;
    double *w = malloc(n * sizeof *w);
    ck_assert_ptr_nonnull(w);
    /* Spread over orders of magnitude, a few exact zeros. */
    for (size_t k = 0; k < n; k++)
        w[k] = rng_uniform(rng) < 0.1 ? 0.0 : exp(4 * rng_uniform(rng));
    w[0] += 1.0; /* never all zero */
    return w;
}

START_TEST(test_normalised) {
    Rng rng;
    rng_seed(&rng, 1);
    for (int d = 1; d <= 12; d++) {
        double *w = random_weights(&rng, d);
        Table t;
        ck_assert_int_eq(table_init(&t, d, w), TABLE_OK);
        double s = 0;
        for (size_t k = 0; k < ((size_t)1 << d); k++) {
            ck_assert(t.p[k] >= 0);
            s += t.p[k];
        }
        ck_assert_double_eq_tol(s, 1.0, 1e-12);
        table_free(&t);
        free(w);
    }
}
END_TEST

START_TEST(test_index_roundtrip) {
    int x[TABLE_MAX_D];
    for (int d = 1; d <= 10; d++)
        for (size_t k = 0; k < ((size_t)1 << d); k++) {
            table_config(d, k, x);
            ck_assert_uint_eq(table_index(d, x), k);
        }
    /* x1 is the most significant bit: (1,0,0) is index 4. */
    int x100[3] = {1, 0, 0};
    ck_assert_uint_eq(table_index(3, x100), 4);
}
END_TEST

START_TEST(test_marginal) {
    Rng rng;
    rng_seed(&rng, 2);
    for (int d = 1; d <= 8; d++) {
        double *w = random_weights(&rng, d);
        Table t;
        ck_assert_int_eq(table_init(&t, d, w), TABLE_OK);
        for (int i = 0; i < d; i++) {
            /* brute force: visit every configuration */
            double m = 0;
            int x[TABLE_MAX_D];
            for (size_t k = 0; k < ((size_t)1 << d); k++) {
                table_config(d, k, x);
                if (x[i]) m += t.p[k];
            }
            double got = table_marginal(&t, i);
            ck_assert_msg(
                fabs(got - m) <= 1e-12,
                "exercise 1.1 "
                "table_marginal: d = %d, p(x_%d = 1) is %.15g, "
                "the sum over the configurations with x_%d = 1 "
                "is %.15g (x_1 is the most significant bit of "
                "the index)",
                d, i + 1, got, i + 1, m);
        }
        table_free(&t);
        free(w);
    }
}
END_TEST

/* p(x_{i+1} = 1 | x<=i) by brute-force sums over the joint. */
static double brute_conditional(const Table *t, int i, const int *x) {
    double num = 0, den = 0;
    int y[TABLE_MAX_D];
    for (size_t k = 0; k < ((size_t)1 << t->d); k++) {
        table_config(t->d, k, y);
        int match = 1;
        for (int j = 0; j < i; j++) match &= y[j] == x[j];
        if (!match) continue;
        den += t->p[k];
        if (y[i]) num += t->p[k];
    }
    return den > 0 ? num / den : 0.5;
}

/* The table of the d-variable weights w and its chain-rule tables. */
static void chain_of(Table *t, ChainRule *c, int d, const double *w) {
    ck_assert_int_eq(table_init(t, d, w), TABLE_OK);
    ck_assert_int_eq(chain_from_table(c, t), TABLE_OK);
}

START_TEST(test_conditionals_are_ratios) {
    Table t;
    ChainRule c;
    chain_of(&t, &c, 3, EXAMPLE);
    int x[3];
    for (int i = 0; i < 3; i++)
        for (size_t k = 0; k < ((size_t)1 << i); k++) {
            table_config(i, k, x); /* the prefix x1..xi */
            double want = brute_conditional(&t, i, x);
            char what[64]; /* the conditional, in the chapter's words */
            if (i == 0) snprintf(what, sizeof what, "p(x_1 = 1)");
            else
                snprintf(what, sizeof what,
                         "p(x_%d = 1 | the prefix "
                         "x_1..x_%d with index %zu)",
                         i + 1, i, k);
            ck_assert_msg(fabs(c.cond[i][k] - want) <= 1e-12,
                          "exercise "
                          "1.2 chain_from_table: cond[%d][%zu], %s, is "
                          "%.15g, but the ratio of marginals is %.15g",
                          i, k, what, c.cond[i][k], want);
        }
    /* the example's first table: p(x1 = 1) = (5+10+5+20)/100 */
    ck_assert_double_eq_tol(c.cond[0][0], 0.40, 1e-12);
    chain_free(&c);
    table_free(&t);
}
END_TEST

START_TEST(test_zero_prefix_half) {
    /* x1 is never 1: the prefixes x1 = 1 have probability 0, and their
     * conditionals are undefined; tabular.h promises 1/2 there */
    const double w[8] = {1, 2, 3, 4, 0, 0, 0, 0};
    Table t;
    ChainRule c;
    chain_of(&t, &c, 3, w);
    const size_t rows[][2] = {{1, 1}, {2, 2}, {2, 3}}; /* {i, prefix} */
    for (int r = 0; r < 3; r++)
        ck_assert_msg(
            c.cond[rows[r][0]][rows[r][1]] == 0.5,
            "exercise 1.2 "
            "chain_from_table: the prefix with index %zu of x_1.."
            "x_%zu has probability 0; its conditional must be "
            "1/2, not %g",
            rows[r][1], rows[r][0], c.cond[rows[r][0]][rows[r][1]]);
    chain_free(&c);
    table_free(&t);
}
END_TEST

//> test-chain-product
static void check_chain_product(const Table *t) {
    ChainRule c;
    ck_assert_int_eq(chain_from_table(&c, t), TABLE_OK);
    int x[TABLE_MAX_D];
    for (size_t k = 0; k < ((size_t)1 << t->d); k++) {
        table_config(t->d, k, x);
        ck_assert_msg(close_rel(chain_prob(&c, x), t->p[k], 1e-12),
                      "exercise 1.3 chain_prob: d = %d, configuration "
                      "%zu: the product of the chain-rule tables is "
                      "%.17g, the joint %.17g (if exercise 1.2's test "
                      "fails too, fix that first)",
                      t->d, k, chain_prob(&c, x), t->p[k]);
    }
    chain_free(&c);
}
//< test-chain-product

START_TEST(test_chain_product_d3) {
    Table t;
    ck_assert_int_eq(table_init(&t, 3, EXAMPLE), TABLE_OK);
    check_chain_product(&t);
    table_free(&t);
}
END_TEST

START_TEST(test_chain_product_random) {
    Rng rng;
    rng_seed(&rng, 3);
    for (int d = 1; d <= 10; d++)
        for (int rep = 0; rep < 3; rep++) {
            double *w = random_weights(&rng, d);
            Table t;
            ck_assert_int_eq(table_init(&t, d, w), TABLE_OK);
            check_chain_product(&t);
            table_free(&t);
            free(w);
        }
}
END_TEST

START_TEST(test_param_counts) {
    for (int d = 1; d <= TABLE_MAX_D; d++) {
        ck_assert_int_eq(table_num_params(d), (1L << d) - 1);
        ck_assert_int_eq(chain_num_params(d), table_num_params(d));
    }
    ck_assert_int_eq(chain_num_params(3), 1 + 2 + 4);
}
END_TEST

START_TEST(test_chain_tables_fill_buffer) {
    /* the chain-rule tables of a real ChainRule fill exactly 2^d - 1 */
    Table t;
    ChainRule c;
    chain_of(&t, &c, 3, EXAMPLE);
    ck_assert_ptr_eq(c.cond[0], c.q);
    ck_assert_ptr_eq(c.cond[2] + 4, c.q + chain_num_params(3));
    chain_free(&c);
    table_free(&t);
}
END_TEST

START_TEST(test_sampling_frequencies) {
    Table t;
    ChainRule c;
    chain_of(&t, &c, 3, EXAMPLE);
    Rng rng;
    rng_seed(&rng, 4);
    enum { N = 200000 };
    long count[8] = {0};
    int x[3];
    for (int s = 0; s < N; s++) {
        chain_sample(&c, &rng, x);
        count[table_index(3, x)]++;
    }
    /* Pearson chi-square with 7 degrees of freedom: 24.3 is its 0.999
     * quantile; each count also within 5 standard errors. */
    double chi2 = 0;
    for (int k = 0; k < 8; k++) {
        double e = N * t.p[k];
        double se = sqrt(N * t.p[k] * (1 - t.p[k]));
        ck_assert_msg(
            fabs(count[k] - e) < 5 * se,
            "exercise 1.4 chain_sample: configuration %d drawn "
            "%ld times in %d, expected %.0f (if exercise 1.2's "
            "test fails too, fix that first)",
            k, count[k], N, e);
        chi2 += (count[k] - e) * (count[k] - e) / e;
    }
    ck_assert_msg(
        chi2 < 24.3,
        "exercise 1.4 chain_sample: the sampled "
        "frequencies do not match the joint (chi-square %.2f, "
        "7 df, 0.999 quantile 24.3)",
        chi2);
    chain_free(&c);
    table_free(&t);
}
END_TEST

START_TEST(test_sampling_respects_zeros) {
    /* x3 = x1 XOR x2: the four odd-parity configurations never occur */
    const double xor [8] = {1, 0, 0, 1, 0, 1, 1, 0};
    Table t;
    ChainRule c;
    chain_of(&t, &c, 3, xor);
    Rng rng;
    rng_seed(&rng, 5);
    int x[3];
    for (int s = 0; s < 10000; s++) {
        chain_sample(&c, &rng, x);
        ck_assert_msg(
            x[2] == (x[0] ^ x[1]),
            "exercise 1.4 chain_sample "
            "drew x = %d%d%d, which has probability 0 (x_3 = x_1 "
            "XOR x_2): is each x_i drawn from the row of its "
            "prefix? (If exercise 1.2's test fails too, fix "
            "that first.)",
            x[0], x[1], x[2]);
    }
    chain_free(&c);
    table_free(&t);
}
END_TEST

START_TEST(test_invalid_tables) {
    Table t;
    double w[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    w[5] = -0.1;
    ck_assert_int_eq(table_init(&t, 3, w), TABLE_ERR_NEGATIVE);
    ck_assert_ptr_null(t.p);
    w[5] = NAN;
    ck_assert_int_eq(table_init(&t, 3, w), TABLE_ERR_NOT_FINITE);
    w[5] = INFINITY;
    ck_assert_int_eq(table_init(&t, 3, w), TABLE_ERR_NOT_FINITE);
    const double zero[8] = {0};
    ck_assert_int_eq(table_init(&t, 3, zero), TABLE_ERR_ZERO_TOTAL);
    ck_assert_int_eq(table_init(&t, 0, zero), TABLE_ERR_DIM);
    ck_assert_int_eq(table_init(&t, TABLE_MAX_D + 1, zero),
                     TABLE_ERR_DIM);
    ck_assert_str_eq(table_status_str(TABLE_ERR_NEGATIVE),
                     "a weight is negative");
}
END_TEST

/* Check your understanding: numbers derived by hand. */
START_TEST(test_markov_num_params) {
    for (int d = 1; d <= 30; d++)
        for (int k = 0; k < d; k++) {
            /* count the rows of every table: x_i's parents are the
             * variables j with i - k <= j < i (1-based), 2^#parents
             * rows */
            long want = 0;
            for (int i = 1; i <= d; i++) {
                int parents = 0;
                for (int j = 1; j < i; j++) parents += j >= i - k;
                want += 1L << parents;
            }
            long got = markov_num_params(d, k);
            ck_assert_msg(
                got == want,
                "exercise 1.5: markov_num_params(d = %d, k = %d) = "
                "%ld is not the number of entries of the tables%s",
                d, k, got,
                k == d - 1 ? " (k = d - 1 is the full chain rule: "
                             "2^d - 1)"
                : k == 0   ? " (k = 0: independent variables, one "
                             "number each)"
                           : " (the first k variables have fewer "
                             "than k variables before them)");
        }
}
END_TEST

START_TEST(test_samples_for_se) {
    const double cases[][2] = {
        {0.5, 0.1},    {0.5, 0.01}, {0.1, 0.01}, {0.37, 0.013},
        {0.05, 0.003}, {0.9, 0.2},  {0.01, 0.5}};
    for (size_t t = 0; t < sizeof cases / sizeof cases[0]; t++) {
        double p = cases[t][0], se = cases[t][1];
        long n = samples_for_se(p, se);
        double tol = 1e-9 * se;
        ck_assert_msg(
            n >= 1 && sqrt(p * (1 - p) / (double)n) <= se + tol,
            "exercise 1.6: samples_for_se(p = %g, se = %g) = %ld, "
            "but with N = %ld the standard error is %g > %g",
            p, se, n, n, n >= 1 ? sqrt(p * (1 - p) / (double)n) : 0.0,
            se);
        ck_assert_msg(
            n == 1 || sqrt(p * (1 - p) / (double)(n - 1)) > se - tol,
            "exercise 1.6: samples_for_se(p = %g, se = %g) = %ld is "
            "not the smallest: N = %ld already gives %g <= %g",
            p, se, n, n - 1, sqrt(p * (1 - p) / (double)(n - 1)), se);
    }
}
END_TEST

static const TestSpec tests[] = {
    {"joint table is normalised", &test_normalised},
    {"configuration index round trip, x1 most significant",
     &test_index_roundtrip},
    {"marginal p(x_i = 1) equals the brute-force sum", &test_marginal},
    {"a prefix of probability 0 gets the conditional 1/2",
     &test_zero_prefix_half},
    {"chain-rule tables are ratios of marginals",
     &test_conditionals_are_ratios},
    {"chain-rule product equals the joint (d = 3 example)",
     &test_chain_product_d3},
    {"chain-rule product equals the joint (random, d <= 10)",
     &test_chain_product_random},
    {"parameter counts: 1 + 2 + ... + 2^(d-1) = 2^d - 1",
     &test_param_counts},
    {"chain-rule tables fill exactly 2^d - 1 numbers",
     &test_chain_tables_fill_buffer},
    {"sampled frequencies match the joint (chi-square)",
     &test_sampling_frequencies},
    {"ancestral sampling never draws an impossible configuration",
     &test_sampling_respects_zeros},
    {"invalid tables are rejected with an error code",
     &test_invalid_tables},
    {"question: tables of a Bayes net with k parents",
     &test_markov_num_params},
    {"question: samples needed for a standard error",
     &test_samples_for_se},
};

const TestSuiteSpec SUITE = {"ch01", tests, N_TESTS(tests)};
