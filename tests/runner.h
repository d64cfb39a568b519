/* runner.h - one Check suite per test file, one readable line per test.
 *
 * A test file lists its tests in a TestSpec table and defines
 *     const TestSuiteSpec SUITE = { "ch01", tests, N_TESTS(tests) };
 * runner.c supplies main(): every test runs in its own forked process
 * (Check's CK_FORK), so a crash or an unimplemented exercise fails that
 * test alone. Each test gets its own TCase named by its description, so
 * the report reads "ch01 <description>: OK". */
#ifndef RUNNER_H
#define RUNNER_H

#include <check.h>
#include <stdint.h>

typedef struct {
    const char *description;
    const TTest *const *test; /* &name from START_TEST(name) */
} TestSpec;

typedef struct {
    const char *name;
    const TestSpec *tests;
    int n;
} TestSuiteSpec;

#define N_TESTS(a) ((int)(sizeof(a) / sizeof((a)[0])))

extern const TestSuiteSpec SUITE;

/* Helpers shared by the suites. */
/* |a - b| <= tol * max(1, |a|, |b|) */
int close_rel(double a, double b, double tol);

/* The gradient check every model chapter runs: model NAME with d
 * inputs and h hidden units, random parameters (uniform in +-scale)
 * and B random binary examples; every partial derivative of sum(nll)
 * from ops->backward must match a central finite difference with step
 * eps: |analytic - fd| < tol (1 + |fd|). */
void check_model_gradient(const char *name, int d, int h, int B,
                          float scale, float eps, double tol,
                          uint64_t seed);

/* The fast forward pass of model NAME (d inputs, h hidden units,
 * random parameters in +-scale) equals an independent one-conditional-
 * at-a-time implementation `naive` on B random images with a fraction
 * `on` of pixels on, within a relative 1e-5. */
typedef double (*NaiveNll)(const float *params, const uint8_t *x, int d,
                           int h);
void check_model_naive(const char *name, int d, int h, int B, float scale,
                       double on, NaiveNll naive, uint64_t seed);

/* Ancestral samples of a random 4-pixel model NAME follow its exact
 * distribution: Pearson's chi-square over the 16 configurations below
 * its 0.999 quantile (fixed seed). */
void check_model_sampling(const char *name, int h, float scale,
                          uint64_t seed);

/* For d = 1 .. dmax (h = 1 + d % 3 hidden units), a model NAME with
 * random parameters assigns probabilities to all 2^d configurations
 * that sum to 1 within 1e-9. */
void check_model_normalised(const char *name, int dmax, float scale,
                            uint64_t seed);

/* A fresh directory under /tmp (in buf), and its recursive removal. */
const char *tmpdir_make(char buf[64]);
void tmpdir_remove(const char *dir);
/* Write len bytes to dir/name (asserting success); returns the path. */
const char *write_test_file(char path[512], const char *dir,
                            const char *name, const void *buf, size_t len);

#endif
