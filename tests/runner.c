/* runner.c - main() for every Check suite in tests/.
 *
 *   build/<impl>/test_ch01                run, one line per test
 *   build/<impl>/test_ch01 --expect-stubs verify the exercises tree:
 *       every test must pass or fail with "is not implemented yet";
 *       a crash, a timeout or any other failure is an error.
 *   build/<impl>/test_ch01 --list         print the test descriptions
 *
 * Exit status: 0 when every test passed (or, with --expect-stubs, when
 * every failure was an unimplemented exercise); 1 otherwise. */
#include "runner.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exercise.h"
#include "model.h"
#include "rng.h"

#define NOT_IMPLEMENTED "is not implemented yet"

int close_rel(double a, double b, double tol) {
    double scale = fmax(1.0, fmax(fabs(a), fabs(b)));
    return fabs(a - b) <= tol * scale;
}

/* Model NAME with parameters uniform in +-scale, batches up to B. NAME
 * is a model name, or "nade:shuffled" for a NADE that visits its
 * pixels in a random order (chapter 6). */
static void random_model(Model *m, const char *name, int d, int h, int B,
                         float scale, Rng *rng) {
    Err e;
    char base[32];
    snprintf(base, sizeof base, "%s", name);
    char *colon = strchr(base, ':');
    if (colon) *colon = 0;
    ck_assert_int_eq(model_create(m, model_ops_by_name(base), d, h, B, &e),
                     0);
    for (size_t k = 0; k < m->n_params; k++)
        m->params[k] = scale * (float)(2 * rng_uniform(rng) - 1);
    if (colon) {
        ck_assert_str_eq(colon + 1, "shuffled");
        model_random_order(m, rng);
        ck_assert_ptr_nonnull(m->order);
    }
}

//> check-model-gradient
void check_model_gradient(const char *name, int d, int h, int B,
                          float scale, float eps, double tol,
                          uint64_t seed) {
    Model m;
    Rng rng;
    rng_seed(&rng, seed);
    random_model(&m, name, d, h, B, scale, &rng);
    uint8_t *x = malloc((size_t)B * d);
    double *nll = malloc((size_t)B * sizeof *nll);
    float *grad = calloc(m.n_params, sizeof *grad);
    for (int i = 0; i < B * d; i++)
        x[i] = (uint8_t)rng_bernoulli(&rng, 0.5);
    m.ops->forward(&m, nll, m.scratch, x, B);
    m.ops->backward(&m, grad, m.scratch, x, B);
    for (size_t k = 0; k < m.n_params; k++) {
        double sum[2] = {0, 0};
        float keep = m.params[k];
        for (int side = 0; side < 2; side++) { /* theta_k +- eps */
            m.params[k] = keep + (side ? eps : -eps);
            m.ops->forward(&m, nll, m.scratch, x, B);
            for (int b = 0; b < B; b++) sum[side] += nll[b];
        }
        m.params[k] = keep;
        double fd = (sum[1] - sum[0]) / (2.0 * eps);
        ck_assert_msg(fabs(grad[k] - fd) < tol * (1 + fabs(fd)),
                      "%s parameter %zu: analytic %.6f, finite "
                      "difference %.6f", name, k, grad[k], fd);
    }
    free(x);
    free(nll);
    free(grad);
    model_free(&m);
}
//< check-model-gradient

void check_model_naive(const char *name, int d, int h, int B, float scale,
                       double on, NaiveNll naive, uint64_t seed) {
    Model m;
    Rng rng;
    rng_seed(&rng, seed);
    random_model(&m, name, d, h, B, scale, &rng);
    uint8_t *x = malloc((size_t)B * d);
    double *nll = malloc((size_t)B * sizeof *nll);
    for (int i = 0; i < B * d; i++) x[i] = (uint8_t)rng_bernoulli(&rng, on);
    m.ops->forward(&m, nll, m.scratch, x, B);
    for (int b = 0; b < B; b++) {
        double want = naive(m.params, x + (size_t)b * d, d, h);
        ck_assert_msg(close_rel(nll[b], want, 1e-5),
                      "%s example %d: %.9g vs %.9g", name, b, nll[b], want);
    }
    free(x);
    free(nll);
    model_free(&m);
}

void check_model_sampling(const char *name, int h, float scale,
                          uint64_t seed) {
    enum { D = 4, K = 1 << D, N = 100000 };
    Model m;
    Rng rng;
    rng_seed(&rng, seed);
    random_model(&m, name, D, h, K, scale, &rng);
    uint8_t all[K * D], x[D];
    double nll[K];
    for (int k = 0; k < K; k++)
        for (int i = 0; i < D; i++)
            all[k * D + i] = (uint8_t)((k >> (D - 1 - i)) & 1);
    m.ops->forward(&m, nll, m.scratch, all, K); /* the exact p(x) */
    long count[K] = {0};
    for (int s = 0; s < N; s++) {
        m.ops->sample(&m, x, 1, &rng);
        count[8 * x[0] + 4 * x[1] + 2 * x[2] + x[3]]++;
    }
    double chi2 = 0; /* 15 degrees of freedom: 0.999 quantile 37.7 */
    for (int k = 0; k < K; k++) {
        double e = N * exp(-nll[k]);
        chi2 += (count[k] - e) * (count[k] - e) / e;
    }
    ck_assert_msg(chi2 < 37.7, "%s: chi-square %.1f", name, chi2);
    model_free(&m);
}

void check_model_normalised(const char *name, int dmax, float scale,
                            uint64_t seed) {
    Rng rng;
    rng_seed(&rng, seed);
    for (int d = 1; d <= dmax; d++) {
        int h = 1 + d % 3, n = 1 << d;
        Model m;
        random_model(&m, name, d, h, n, scale, &rng);
        uint8_t *x = malloc((size_t)n * d);
        double *nll = malloc((size_t)n * sizeof *nll), total = 0;
        for (int k = 0; k < n; k++) /* every configuration */
            for (int i = 0; i < d; i++)
                x[k * d + i] = (uint8_t)((k >> (d - 1 - i)) & 1);
        m.ops->forward(&m, nll, m.scratch, x, n);
        for (int k = 0; k < n; k++) total += exp(-nll[k]);
        ck_assert_msg(fabs(total - 1) < 1e-9, "%s d=%d: sum %.15f", name, d,
                      total);
        free(x);
        free(nll);
        model_free(&m);
    }
}

const char *tmpdir_make(char buf[64]) {
    snprintf(buf, 64, "/tmp/autoreg-test-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(buf));
    return buf;
}

void tmpdir_remove(const char *dir) {
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

const char *write_test_file(char path[512], const char *dir,
                            const char *name, const void *buf, size_t len) {
    snprintf(path, 512, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(buf, 1, len, f), len);
    ck_assert_int_eq(fclose(f), 0);
    return path;
}

/* An unimplemented exercise becomes a Check failure carrying its
 * message; in fork mode ck_abort_msg ends the test's process. */
static void exercise_to_failure(const char *message) {
    ck_abort_msg("%s", message);
}

static Suite *build_suite(void) {
    Suite *s = suite_create(SUITE.name);
    for (int i = 0; i < SUITE.n; i++) {
        TCase *tc = tcase_create(SUITE.tests[i].description);
        /* Generous: the sanitizer build is several times slower.
         * CK_TIMEOUT_MULTIPLIER scales it further. */
        tcase_set_timeout(tc, 60);
        tcase_add_test(tc, *SUITE.tests[i].test);
        suite_add_tcase(s, tc);
    }
    return s;
}

static const char *status_word(int rtype) {
    switch (rtype) {
    case CK_PASS: return "OK";
    case CK_FAILURE: return "FAIL";
    default: return "ERROR";
    }
}

int main(int argc, char **argv) {
    int expect_stubs = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--expect-stubs") == 0) {
            expect_stubs = 1;
        } else if (strcmp(argv[i], "--list") == 0) {
            for (int t = 0; t < SUITE.n; t++)
                printf("%s %s\n", SUITE.name, SUITE.tests[t].description);
            return 0;
        } else {
            fprintf(stderr, "usage: %s [--expect-stubs | --list]\n", argv[0]);
            return 2;
        }
    }
    exercise_set_handler(exercise_to_failure);

    SRunner *sr = srunner_create(build_suite());
    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_SILENT);

    int n = srunner_ntests_run(sr);
    TestResult **res = srunner_results(sr);
    int passed = 0, stubs = 0, bad = 0;
    for (int i = 0; i < n; i++) {
        TestResult *r = res[i];
        int rtype = tr_rtype(r);
        const char *msg = tr_msg(r);
        int stub = rtype == CK_FAILURE && msg && strstr(msg, NOT_IMPLEMENTED);
        if (rtype == CK_PASS) passed++;
        else if (stub) stubs++;
        else bad++;
        if (rtype == CK_PASS) {
            printf("%s %s: OK\n", SUITE.name, tr_tcname(r));
        } else if (stub) {
            printf("%s %s: FAIL (%s)\n", SUITE.name, tr_tcname(r), msg);
        } else {
            printf("%s %s: %s\n    %s:%d: %s\n", SUITE.name, tr_tcname(r),
                   status_word(rtype), tr_lfile(r), tr_lno(r),
                   msg ? msg : "");
        }
    }
    free(res);
    srunner_print(sr, CK_MINIMAL); /* Check's own summary line */
    srunner_free(sr);

    if (expect_stubs) {
        if (bad) {
            printf("%s: %d test(s) failed for a reason other than an "
                   "unimplemented exercise\n", SUITE.name, bad);
            return 1;
        }
        printf("%s: exercises tree ok: %d pass, %d stop at an "
               "unimplemented exercise, none crash\n",
               SUITE.name, passed, stubs);
        return 0;
    }
    return passed == n ? 0 : 1;
}
