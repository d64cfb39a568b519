/* test_infra.c - the shared infrastructure: RNG, numerics, outputs. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bernoulli.h"
#include "mathx.h"
#include "optim.h"
#include "out.h"
#include "parallel.h"
#include "rng.h"
#include "runner.h"
#include "values.h"
#include "vec.h"

START_TEST(test_rng_reproducible) {
    Rng a, b, c;
    rng_seed(&a, 42);
    rng_seed(&b, 42);
    rng_seed(&c, 43);
    int differ = 0;
    for (int i = 0; i < 1000; i++) {
        uint64_t x = rng_u64(&a);
        ck_assert_uint_eq(x, rng_u64(&b));
        differ += x != rng_u64(&c);
    }
    ck_assert_int_gt(differ, 990);
}
END_TEST

START_TEST(test_rng_uniform_moments) {
    Rng r;
    rng_seed(&r, 7);
    enum { N = 1000000 };
    double s = 0, s2 = 0;
    for (int i = 0; i < N; i++) {
        double u = rng_uniform(&r);
        if (!(u >= 0 && u < 1)) /* not ck_assert: a mark per draw */
            ck_abort_msg("draw %d: %.17g is not in [0, 1)", i, u);
        s += u;
        s2 += u * u;
    }
    /* mean 1/2 (sd of the mean 0.00029), second moment 1/3 */
    ck_assert_double_eq_tol(s / N, 0.5, 0.0015);
    ck_assert_double_eq_tol(s2 / N, 1.0 / 3, 0.0015);
}
END_TEST

START_TEST(test_rng_below_uniform) {
    Rng r;
    rng_seed(&r, 8);
    long count[7] = {0};
    for (int i = 0; i < 70000; i++) count[rng_below(&r, 7)]++;
    for (int k = 0; k < 7; k++) /* 10000 +- 5 sd (sd = 93) */
        ck_assert_int_lt(labs(count[k] - 10000), 470);
}
END_TEST

START_TEST(test_softplus_stable) {
    ck_assert_double_eq_tol(softplus(0), log(2.0), 1e-15);
    ck_assert_double_eq_tol(softplus(1e4), 1e4, 1e-9);
    ck_assert_double_eq_tol(softplus(-1e4), 0.0, 1e-300);
    ck_assert_double_eq_tol(log_sigmoid(-1e4), -1e4, 1e-9);
    ck_assert(isfinite(log_sigmoid(-1e4)));
    /* agrees with the naive formula where that one is accurate */
    for (double a = -30; a <= 30; a += 0.37)
        ck_assert(
            close_rel(log_sigmoid(a), log(1 / (1 + exp(-a))), 1e-12));
    ck_assert_double_eq_tol(sigmoid(-1e4), 0.0, 1e-300);
    ck_assert_double_eq_tol(sigmoid(1e4), 1.0, 1e-15);
    ck_assert_double_eq_tol(log_bernoulli_logit(0, 3.0),
                            log_sigmoid(-3.0), 1e-15);
}
END_TEST

START_TEST(test_entropy_kl) {
    const double p[4] = {0.5, 0.25, 0.25, 0};
    const double q[4] = {0.25, 0.25, 0.25, 0.25};
    ck_assert_double_eq_tol(entropy(p, 4), 1.5 * log(2.0), 1e-15);
    ck_assert_double_eq_tol(kl_divergence(p, q, 4),
                            cross_entropy(p, q, 4) - entropy(p, 4),
                            1e-15);
    ck_assert_double_eq_tol(kl_divergence(p, p, 4), 0.0, 1e-15);
    ck_assert(isinf(kl_divergence(q, p, 4)));
}
END_TEST

/* A program that exits with a file half-written (an exercise's stub
 * calls exit) leaves no temporary file. */
START_TEST(test_out_exit_cleans) {
    char dir[64], path[128], tmp[1100];
    tmpdir_make(dir);
    snprintf(path, sizeof path, "%s/half.tsv", dir);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        OutFile o;
        Err e;
        if (out_open(&o, path, &e)) _exit(3);
        fprintf(o.f, "half\n");
        exit(1); /* atexit handlers run, as after exercise_todo */
    }
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 1);
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)pid);
    ck_assert_msg(access(tmp, F_OK) != 0, "%s was left behind", tmp);
    ck_assert_int_ne(access(path, F_OK), 0);
    tmpdir_remove(dir);
}
END_TEST

START_TEST(test_out_atomic) {
    char dir[64];
    tmpdir_make(dir);
    char sub[256], path[300];
    snprintf(sub, sizeof sub, "%s/a/b", dir);
    Err e;
    ck_assert_int_eq(make_dirs(sub, &e), 0);
    snprintf(path, sizeof path, "%s/x.tsv", sub);
    OutFile o;
    ck_assert_int_eq(out_open(&o, path, &e), 0);
    fprintf(o.f, "hello\n");
    /* not visible under its final name until closed */
    ck_assert_int_ne(access(path, F_OK), 0);
    ck_assert_int_eq(out_close(&o, &e), 0);
    ck_assert_int_eq(access(path, F_OK), 0);
    ck_assert_int_ne(access(o.tmp, F_OK), 0);
    /* a discarded file leaves nothing behind */
    char other[300];
    snprintf(other, sizeof other, "%s/y.tsv", sub);
    ck_assert_int_eq(out_open(&o, other, &e), 0);
    out_discard(&o);
    ck_assert_int_ne(access(other, F_OK), 0);
    ck_assert_int_ne(access(o.tmp, F_OK), 0);
    /* a directory that cannot be created is an error, not a crash */
    ck_assert_int_ne(make_dirs(path, &e), 0);
    ck_assert_ptr_nonnull(strstr(e.msg, "x.tsv"));
    Values v = {0};
    values_add(&v, "answer", "%d", 42);
    ck_assert_int_eq(values_write(&v, sub, &e), 0);
    /* past VALUES_MAX values_write fails, and leaves the file alone */
    Values many = {0};
    for (int k = 0; k <= VALUES_MAX; k++)
        values_add(&many, "k", "%d", k);
    ck_assert_int_ne(values_write(&many, sub, &e), 0);
    ck_assert_ptr_nonnull(strstr(e.msg, "1 lost (internal error"));
    snprintf(path, sizeof path, "%s/values.tsv", sub);
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    char line[64];
    ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
    ck_assert_str_eq(line, "answer\t42\n");
    fclose(f);
    tmpdir_remove(dir);
}
END_TEST

START_TEST(test_bernoulli_layer) {
    /* the vectorised output layer against the scalar log-sigmoid */
    enum { D = 37 };
    float a[D], g[D];
    uint8_t x[D];
    Rng r;
    rng_seed(&r, 9);
    for (int i = 0; i < D; i++) {
        a[i] = (float)(40 * rng_uniform(&r) - 20);
        x[i] = (uint8_t)rng_bernoulli(&r, 0.5);
    }
    a[0] = 1e4f;
    a[1] = -1e4f;
    x[0] = 0; /* the unlikely value at both extremes */
    x[1] = 1;
    double want = 0;
    for (int i = 0; i < D; i++) want -= log_bernoulli_logit(x[i], a[i]);
    double got = bernoulli_nll(g, a, x, D);
    ck_assert_msg(close_rel(got, want, 1e-13), "%.17g vs %.17g", got,
                  want);
    ck_assert(isfinite(got));
    for (int i = 0; i < D; i++)
        ck_assert_double_eq_tol(g[i], sigmoid(a[i]) - x[i], 1e-6);
    /* in place: g over a */
    double again = bernoulli_nll(a, a, x, D);
    ck_assert_double_eq(again, got);
    for (int i = 0; i < D; i++) ck_assert_float_eq(a[i], g[i]);
}
END_TEST

START_TEST(test_adam) {
    /* minimise sum_i (p_i - c_i)^2; Adam's first step moves each
     * coordinate by lr against the sign of its gradient */
    enum { N = 5 };
    float p[N] = {0}, c[N] = {3, -2, 0.5f, 10, -7}, gr[N];
    Optimizer o;
    ck_assert_int_eq(optim_init(&o, OPT_ADAM, N, 0.1f), 0);
    for (int i = 0; i < N; i++) gr[i] = 2 * (p[i] - c[i]);
    optim_step(&o, p, gr, 1.0f);
    for (int i = 0; i < N; i++)
        ck_assert_float_eq_tol(p[i], c[i] > 0 ? 0.1f : -0.1f, 1e-5f);
    for (int t = 0; t < 3000; t++) {
        for (int i = 0; i < N; i++) gr[i] = 2 * (p[i] - c[i]);
        optim_step(&o, p, gr, 1.0f);
    }
    for (int i = 0; i < N; i++)
        ck_assert_float_eq_tol(p[i], c[i], 1e-2f);
    optim_free(&o);
}
END_TEST

START_TEST(test_adam_sum_of_buffers) {
    /* the threaded update on two buffers equals the plain update on
     * their sum, and leaves the buffers zeroed */
    enum { N = 3000 };
    static float p1[N], p2[N], g0[N], g1[N], sum[N];
    Rng r;
    rng_seed(&r, 10);
    for (int i = 0; i < N; i++) {
        p1[i] = p2[i] = (float)rng_uniform(&r);
        g0[i] = (float)rng_uniform(&r) - 0.5f;
        g1[i] = (float)rng_uniform(&r) - 0.5f;
        sum[i] = g0[i] + g1[i];
    }
    Optimizer a, b;
    ck_assert_int_eq(optim_init(&a, OPT_ADAM, N, 0.01f), 0);
    ck_assert_int_eq(optim_init(&b, OPT_ADAM, N, 0.01f), 0);
    optim_step(&a, p1, sum, 0.5f);
    float *gs[2] = {g0, g1};
    optim_begin(&b);
    optim_update_sum(&b, p2, gs, 2, 0.5f, 0, 1234);
    optim_update_sum(&b, p2, gs, 2, 0.5f, 1234, N);
    for (int i = 0; i < N; i++) {
        ck_assert_float_eq(p1[i], p2[i]);
        ck_assert_float_eq(g0[i], 0.0f);
        ck_assert_float_eq(g1[i], 0.0f);
    }
    optim_free(&a);
    optim_free(&b);
}
END_TEST

START_TEST(test_vec_sigmoid_extremes) {
    float x[40], y[40];
    for (int k = 0; k < 40; k++)
        x[k] = (float)((k - 20) * 25); /* +-500 */
    x[0] = -1e30f;
    x[39] = 1e30f;
    vec_sigmoid(y, x, 40);
    for (int k = 0; k < 40; k++) {
        ck_assert_msg(isfinite(y[k]) && y[k] >= 0 && y[k] <= 1,
                      "sigma(%g) = %g", x[k], y[k]);
        ck_assert_float_eq_tol(y[k], sigmoid_f(x[k]), 1e-6f);
    }
    double want = 0;
    for (int k = 19; k < 22; k++) want += (double)x[k] * y[k];
    ck_assert_double_eq_tol(vec_dot(x + 19, y + 19, 3), want, 1e-4);
}
END_TEST

static void count_task(void *ctx, int i) { ((int *)ctx)[i]++; }

START_TEST(test_parallel_for) {
    int hits[16] = {0};
    for (int rep = 0; rep < 200; rep++)
        parallel_for(1 + rep % 16, count_task, hits);
    /* task i runs in every call with more than i tasks */
    for (int i = 0; i < 16; i++) {
        int want = 0;
        for (int rep = 0; rep < 200; rep++) want += 1 + rep % 16 > i;
        ck_assert_int_eq(hits[i], want);
    }
}
END_TEST

static const TestSpec tests[] = {
    {"rng: same seed same stream, other seed other stream",
     &test_rng_reproducible},
    {"rng: uniform has mean 1/2 and second moment 1/3",
     &test_rng_uniform_moments},
    {"rng: rng_below is uniform", &test_rng_below_uniform},
    {"softplus and log-sigmoid are exact at +-1e4",
     &test_softplus_stable},
    {"entropy, cross-entropy and KL agree", &test_entropy_kl},
    {"output files appear only when complete", &test_out_atomic},
    {"exit while writing leaves no temporary file",
     &test_out_exit_cleans},
    {"vectorised Bernoulli layer equals the scalar log-sigmoid",
     &test_bernoulli_layer},
    {"Adam: first step is lr per coordinate, then converges",
     &test_adam},
    {"Adam on a sum of per-thread gradients equals Adam on the sum",
     &test_adam_sum_of_buffers},
    {"parallel_for runs every task exactly once", &test_parallel_for},
    {"vector sigmoid stays in [0, 1] at +-1e30",
     &test_vec_sigmoid_extremes},
};

const TestSuiteSpec SUITE = {"infra", tests, N_TESTS(tests)};
