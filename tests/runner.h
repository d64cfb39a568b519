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

#include "data.h"
#include "model.h"
#include "train.h"

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

/* The images the model checks below run on: the edge images (all
 * zeros, all ones, only the first pixel on, only the last), every one
 * of the 2^d binary images when d <= 10, and `extra` random ones. */

/* Model NAME with parameters uniform in +-scale, batches up to B: a
 * model name, "nade:shuffled" / "made:shuffled" (a random order),
 * "made2" (a second hidden layer of h + 1 units), "pixelcnn" (h
 * channels, two 3 x 3 layers; d a square). */
void random_model(Model *m, const char *name, int d, int h, int B,
                  float scale, Rng *rng);

/* The gradient check every model chapter runs: model NAME with d
 * inputs and h hidden units, random parameters (uniform in +-scale).
 * On each image alone, every partial derivative of nll from
 * ops->backward must match a central finite difference with step eps:
 * |analytic - fd| < tol (1 + |fd|); then the gradient of the whole
 * batch must be the sum of the images' gradients. A failure names the
 * exercise, the first wrong parameter in the chapter's notation, the
 * image, and how many entries of each block are wrong. */
void check_model_gradient(const char *name, int d, int h, int extra,
                          float scale, float eps, double tol,
                          uint64_t seed);

/* Backward adds into dparams: forward and backward twice on the same
 * batch (every image of d pixels) give twice the gradient of once. */
void check_model_adds_into(const char *name, int d, int h, float scale,
                           uint64_t seed);

/* The fast forward pass of model NAME (d inputs, h hidden units,
 * random parameters in +-scale) equals an independent one-conditional-
 * at-a-time implementation `naive`, which returns -log p(x) and fills
 * logit (d, by pixel) under the pixel order (NULL: raster). Compared:
 * sigma(logit_i) - x_i, which forward leaves in the first d floats of
 * each example's scratch, conditional by conditional (a failure names
 * the first that differs), then nll, within a relative 1e-5. */
typedef double (*NaiveNll)(double *logit, const float *params,
                           const int *order, const uint8_t *x, int d,
                           int h);
void check_model_naive(const char *name, int d, int h, int extra,
                       float scale, double on, NaiveNll naive,
                       uint64_t seed);

/* Pearson's chi-square of K counts against their expected numbers;
 * *worst (if not NULL): the index of the largest term. */
double chi_square(const long *count, const double *expect, int K,
                  int *worst);

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

/* FVSBN references in double, independent of the exercises (ch03 and
 * the training suite compare against them). The NLL one conditional at
 * a time, reading w_ij straight from the layout: a_i = b_i + sum_{j<i}
 * w_ij x_j, the logits a_i into logit (order and h are unused: the
 * NaiveNll signature). */
double fvsbn_naive_nll(double *logit, const float *params,
                       const int *order, const uint8_t *x, int d,
                       int h);
/* g = d(sum_n nll_n) / d params for B images, in the flat layout. */
void fvsbn_naive_grad(double *g, const float *params, const uint8_t *x,
                      int B, int d);
/* n samples of the FVSBN `truth` (d <= 64 pixels) drawn with
 * fvsbn_naive_nll, not with anyone's fvsbn_sample, so that a model
 * missing a term cannot produce the data it then fits. */
Split fvsbn_synthetic(const float *truth, int d, size_t n,
                      uint64_t seed);
/* 1000 training and 200 validation samples of a random FVSBN on 8
 * pixels (parameters uniform in +-1, from seed). */
void fvsbn_synthetic_splits(Split *tr, Split *va, uint64_t seed);
/* Train an FVSBN with operations ops (the registry's, or a test's own)
 * on tr, validated on va: batch 50, Adam 0.03, seed 7, `epochs` epochs,
 * DIR/log.tsv and DIR/train.state; resume: continue from the state;
 * tiled: the library's tiled step instead of the plain one. */
int train_fvsbn_run(Model *m, const ModelOps *ops, const Split *tr,
                    const Split *va, const char *dir, int epochs,
                    int resume, int tiled, TrainResult *r, Err *e);

/* The PixelCNN of chapter 8's formula (d = S x S, C channels, L
 * layers), in double, by direct sums over the kept taps of exercise 8.1
 * with the image's edges checked instead of padded: -log p(x), and each
 * pixel's logit into logit (d). */
double pixelcnn_naive_nll(double *logit, const float *params,
                          const uint8_t *x, int d, int C, int L);

/* A fresh directory (in buf) inside the run's own directory under /tmp,
 * which main removes when the suite ends, so a test that fails before
 * its tmpdir_remove leaves nothing behind; and a recursive removal. */
const char *tmpdir_make(char buf[64]);
void tmpdir_remove(const char *dir);
/* Write len bytes to dir/name (asserting success); returns the path. */
const char *write_test_file(char path[512], const char *dir,
                            const char *name, const void *buf,
                            size_t len);

#endif
