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

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exercise.h"
#include "fvsbn.h"
#include "mathx.h"
#include "model.h"
#include "pixelcnn.h"
#include "rng.h"
#include "trainstep.h"

#define NOT_IMPLEMENTED "is not implemented yet"

int close_rel(double a, double b, double tol) {
    if (!isfinite(a) || !isfinite(b)) return a == b; /* inf, nan */
    double scale = fmax(1.0, fmax(fabs(a), fabs(b)));
    return fabs(a - b) <= tol * scale;
}

/* Model NAME with parameters uniform in +-scale, batches up to B. NAME
 * is a model name, or "nade:shuffled" for a NADE that visits its
 * pixels in a random order (chapter 6); "made2" is a MADE with a second
 * hidden layer of h + 1 units (chapter 7). */
void random_model(Model *m, const char *name, int d, int h, int B,
                  float scale, Rng *rng) {
    Err e;
    char base[32];
    snprintf(base, sizeof base, "%s", name);
    char *colon = strchr(base, ':');
    if (colon) *colon = 0;
    /* made2: a second hidden layer; pixelcnn: h channels, two layers */
    int h2 = !strcmp(base, "made2")      ? h + 1
             : !strcmp(base, "pixelcnn") ? 2
                                         : 0;
    if (!strcmp(base, "made2")) base[4] = 0;
    ck_assert_int_eq(
        model_create2(m, model_ops_by_name(base), d, h, h2, B, &e), 0);
    for (size_t k = 0; k < m->n_params; k++)
        m->params[k] = scale * (float)(2 * rng_uniform(rng) - 1);
    if (colon && m->ops->has_masks) { /* a random order and degrees */
        ck_assert_str_eq(colon + 1, "shuffled");
        ck_assert_msg(model_set_masks(m, 1, 1, rng_u64(rng), &e) == 0,
                      "%s", e.msg);
    } else if (colon) {
        ck_assert_str_eq(colon + 1, "shuffled");
        ck_assert_msg(model_random_order(m, rng, &e) == 0, "%s", e.msg);
        ck_assert_ptr_nonnull(m->order);
    }
}

/* The exercises behind a model's forward, backward and sampling, named
 * in every failure message so that a student knows where to look. */
typedef struct {
    const char *name, *forward, *backward, *sample;
} ModelExercises;
static const ModelExercises EXERCISES[] = {
    {"fvsbn", "exercise 3.1 fvsbn_forward",
     "exercise 3.2 fvsbn_backward", "exercise 3.3 fvsbn_sample"},
    {"mlp", "exercise 4.1 mlp_forward", "exercise 4.2 mlp_backward",
     "mlp_sample"},
    {"nade", "exercise 5.1 nade_forward", "exercise 5.2 nade_backward",
     "exercise 5.3 nade_sample"},
    {"nade:shuffled", "exercise 6.2 nade_forward_order",
     "exercise 6.3 nade_backward_order",
     "exercise 6.4 nade_complete_order"},
    {"made", "exercise 7.2 made_forward", "exercise 7.3 made_backward",
     "exercise 7.4 made_sample"},
    {"made:shuffled", "exercise 7.2 made_forward (a random order)",
     "exercise 7.3 made_backward (a random order)",
     "exercise 7.4 made_sample (a random order)"},
    {"made2", "made2_forward (two layers; exercise 7.1's blocks)",
     "made2_backward (two layers; exercise 7.1's blocks)",
     "made2_sample (two layers; exercise 7.1's blocks)"},
    {"pixelcnn", "exercise 8.2 pixelcnn_forward_one (on 8.1's masks)",
     "exercise 8.3 pixelcnn_backward_one",
     "exercise 8.4 pixelcnn_sample"},
    {"made2:shuffled", "made2_forward (two layers, a random order)",
     "made2_backward (two layers, a random order)",
     "made2_sample (two layers, a random order)"},
};

static const ModelExercises *exercises_of(const char *name) {
    for (size_t i = 0; i < sizeof EXERCISES / sizeof *EXERCISES; i++)
        if (!strcmp(EXERCISES[i].name, name)) return &EXERCISES[i];
    ck_abort_msg("no exercises listed for model %s", name);
    return NULL;
}

/* The images a check runs on: the four named edge images, then every
 * one of the 2^d binary images when d <= MAX_EXHAUSTIVE_D, then
 * `extra` random images with a fraction `on` of pixels on. */
enum { N_EDGE = 4, MAX_EXHAUSTIVE_D = 10 };
static const char *const EDGE_NAMES[N_EDGE] = {
    "all zeros", "all ones", "only the first pixel on",
    "only the last pixel on"};

/* Every one of the 2^d binary images into x (2^d, d), in the order of
 * their index k, x_1 the most significant bit (chapter 1's indexing).
 */
static void all_images(uint8_t *x, int d) {
    for (size_t k = 0; k < (size_t)1 << d; k++)
        for (int i = 0; i < d; i++)
            x[k * d + i] = (uint8_t)((k >> (d - 1 - i)) & 1);
}

static uint8_t *test_images(int d, int extra, double on, Rng *rng,
                            int *count) {
    int all = d <= MAX_EXHAUSTIVE_D ? 1 << d : 0;
    int n = N_EDGE + all + extra;
    uint8_t *x = calloc((size_t)n * d, 1);
    ck_assert_ptr_nonnull(x);
    memset(x + d, 1, (size_t)d); /* all ones */
    x[2 * d] = 1;                /* only the first */
    x[3 * d + d - 1] = 1;        /* only the last */
    uint8_t *y = x + (size_t)N_EDGE * d;
    if (all) all_images(y, d);
    y += (size_t)all * d;
    for (int i = 0; i < extra * d; i++)
        y[i] = (uint8_t)rng_bernoulli(rng, on);
    *count = n;
    return x;
}

/* "x = 0110 (only the first pixel on)": the bits x_1..x_d for small d,
 * else which pixels are on. */
static const char *image_text(char *buf, size_t n, const uint8_t *x,
                              int d, int index) {
    size_t at = 0;
    if (d <= 32) {
        at += (size_t)snprintf(buf, n, "x = ");
        for (int i = 0; i < d && at + 1 < n; i++)
            buf[at++] = '0' + x[i];
        buf[at] = 0;
    } else {
        int on = 0;
        for (int i = 0; i < d; i++) on += x[i];
        at += (size_t)snprintf(
            buf, n, "an image with %d of %d pixels on", on, d);
    }
    if (index < N_EDGE && at < n)
        snprintf(buf + at, n - at, " (%s)", EDGE_NAMES[index]);
    return buf;
}

/* "W: 12 of 24 wrong, c: 0 of 4, ..." from per-block counts. */
static void block_counts(char *buf, size_t n, const Model *m,
                         const int *wrong, const int *total,
                         const char *word) {
    size_t at = 0;
    buf[0] = 0;
    const char *const *blocks = model_blocks(m);
    for (int b = 0; blocks[b] && at < n; b++)
        at += (size_t)snprintf(buf + at, n - at, "%s%s: %d of %d %s",
                               b ? ", " : "", blocks[b], wrong[b],
                               total[b], word);
}

enum { MAX_BLOCKS = 6 };

/* Compare got against want entry by entry (|got - want| <= tol (1 +
 * |want|)); count the wrong entries of each block of m into `counts`
 * ("W: 3 of 24 wrong, c: 0 of 4 wrong, ...", `word` after each count)
 * and return the first wrong index, or -1 when all agree. */
static long locate_wrong(const Model *m, const float *got,
                         const double *want, double tol,
                         const char *word, char *counts, size_t n) {
    int wrong[MAX_BLOCKS] = {0}, total[MAX_BLOCKS] = {0};
    long first = -1;
    char name[160];
    for (size_t k = 0; k < m->n_params; k++) {
        int blk = model_param_name(m, k, name, sizeof name);
        total[blk]++;
        if (!(fabs(got[k] - want[k]) <= tol * (1 + fabs(want[k])))) {
            wrong[blk]++;
            if (first < 0) first = (long)k;
        }
    }
    block_counts(counts, n, m, wrong, total, word);
    return first;
}

/* -log p summed over images x (B of them) */
static double total_nll(Model *m, double *nll, const uint8_t *x,
                        int B) {
    m->ops->forward(m, nll, m->scratch, x, B);
    double s = 0;
    for (int b = 0; b < B; b++) s += nll[b];
    return s;
}

void check_model_gradient(const char *name, int d, int h, int extra,
                          float scale, float eps, double tol,
                          uint64_t seed) {
    const ModelExercises *ex = exercises_of(name);
    Model m;
    Rng rng;
    rng_seed(&rng, seed);
    int B;
    uint8_t *x = test_images(d, extra, 0.5, &rng, &B);
    random_model(&m, name, d, h, B, scale, &rng);
    size_t P = m.n_params;
    double *nll = malloc((size_t)B * sizeof *nll);
    double *fd = malloc(P * sizeof *fd), *sum = calloc(P, sizeof *sum);
    float *grad = malloc(P * sizeof *grad);
    char pname[160], img[96], counts[256];
    /* 1. each image alone: analytic against central differences */
    for (int b = 0; b < B; b++) {
        const uint8_t *xb = x + (size_t)b * d;
        memset(grad, 0, P * sizeof *grad);
        m.ops->forward(&m, nll, m.scratch, xb, 1);
        m.ops->backward(&m, grad, m.scratch, xb, 1);
        //> check-model-gradient
        for (size_t k = 0; k < P; k++) { /* image xb alone */
            float keep = m.params[k];
            m.params[k] = keep + eps;
            double up = total_nll(&m, nll, xb, 1);
            m.params[k] = keep - eps;
            double down = total_nll(&m, nll, xb, 1);
            m.params[k] = keep;
            fd[k] = (up - down) / (2.0 * eps);
            sum[k] += grad[k];
        }
        long k = locate_wrong(&m, grad, fd, tol, "wrong", counts,
                              sizeof counts);
        //< check-model-gradient
        if (k >= 0) {
            model_param_name(&m, (size_t)k, pname, sizeof pname);
            ck_abort_msg("%s: on %s the gradient of -log p with "
                         "respect to %s is %.6f, but central "
                         "differences of %s give %.6f. Per block: %s. "
                         "(Indices 1-based as in the chapter; the bits "
                         "are x_1..x_d. If a test of %s fails too, fix "
                         "that first: backward differentiates what "
                         "forward computes.)",
                         ex->backward,
                         image_text(img, sizeof img, xb, d, b), pname,
                         grad[k], ex->forward, fd[k], counts,
                         ex->forward);
        }
    }
    /* 2. all images as one batch: the sum of the images' gradients */
    memset(grad, 0, P * sizeof *grad);
    m.ops->forward(&m, nll, m.scratch, x, B);
    m.ops->backward(&m, grad, m.scratch, x, B);
    long k = locate_wrong(&m, grad, sum, 1e-4, "wrong", counts,
                          sizeof counts);
    if (k >= 0) {
        model_param_name(&m, (size_t)k, pname, sizeof pname);
        ck_abort_msg(
            "%s: every image alone gets the right gradient, "
            "but one batch of the %d images gets %.6f for %s "
            "instead of the sum of their gradients, %.6f. Per "
            "block: %s. Look at how example n finds its pixels "
            "(x + n d), its scratch (n times the per-example "
            "size), and that it adds (+=) into dparams rather "
            "than assigning or copying.",
            ex->backward, B, grad[k], pname, sum[k], counts);
    }
    free(x);
    free(nll);
    free(fd);
    free(sum);
    free(grad);
    model_free(&m);
}

void check_model_adds_into(const char *name, int d, int h, float scale,
                           uint64_t seed) {
    const ModelExercises *ex = exercises_of(name);
    Model m;
    Rng rng;
    rng_seed(&rng, seed);
    int B;
    uint8_t *x = test_images(d, 0, 0.5, &rng, &B);
    random_model(&m, name, d, h, B, scale, &rng);
    size_t P = m.n_params;
    double *nll = malloc((size_t)B * sizeof *nll);
    double *want = malloc(P * sizeof *want);
    float *once = calloc(P, sizeof *once),
          *twice = calloc(P, sizeof *once);
    m.ops->forward(&m, nll, m.scratch, x, B);
    m.ops->backward(&m, once, m.scratch, x, B);
    for (int rep = 0; rep < 2; rep++) { /* the same batch twice */
        m.ops->forward(&m, nll, m.scratch, x, B);
        m.ops->backward(&m, twice, m.scratch, x, B);
    }
    for (size_t k = 0; k < P; k++) want[k] = 2.0 * once[k];
    char pname[160], counts[256];
    long k = locate_wrong(&m, twice, want, 1e-5, "not doubled", counts,
                          sizeof counts);
    if (k >= 0) {
        model_param_name(&m, (size_t)k, pname, sizeof pname);
        ck_abort_msg(
            "%s assigned instead of added: called twice on the "
            "same batch, the gradient of %s is %.6f, not twice "
            "the first call's %.6f. Per block: %s. A backward "
            "adds (+=) into dparams and never clears it (the "
            "training loop sums images and threads that way), "
            "and never reads it: the parameters are in params, "
            "not in dparams.",
            ex->backward, pname, twice[k], once[k], counts);
    }
    free(x);
    free(nll);
    free(want);
    free(once);
    free(twice);
    model_free(&m);
}

void check_model_naive(const char *name, int d, int h, int extra,
                       float scale, double on, NaiveNll naive,
                       uint64_t seed) {
    const ModelExercises *ex = exercises_of(name);
    Model m;
    Rng rng;
    rng_seed(&rng, seed);
    int B;
    uint8_t *x = test_images(d, extra, on, &rng, &B);
    random_model(&m, name, d, h, B, scale, &rng);
    double *nll = malloc((size_t)B * sizeof *nll);
    double *logit = malloc((size_t)d * sizeof *logit);
    char img[96];
    m.ops->forward(&m, nll, m.scratch, x, B);
    for (int b = 0; b < B; b++) {
        const uint8_t *xb = x + (size_t)b * d;
        /* the contract: forward leaves dnll/dlogit = sigma(l_i) - x_i
         * in the first d floats of each example's scratch */
        const float *g = m.scratch + (size_t)b * m.scratch_per_example;
        double want = naive(logit, m.params, m.order, xb, d, h);
        for (int t = 0; t < d; t++) {
            int i = m.order ? m.order[t] : t; /* the t-th conditional */
            double mine = g[i], ref = sigmoid(logit[i]) - xb[i];
            if (fabs(mine - ref) > 1e-5 * (1 + fabs(ref)))
                ck_abort_msg(
                    "%s: on %s the conditional at position %d "
                    "of %d, p(x_%d | the pixels before it), is "
                    "the first that "
                    "differs: your forward leaves sigma(logit) - "
                    "x = %.7f in scratch, the one-conditional-at-"
                    "a-time loop gives %.7f (its logit %.6f); the "
                    "%d conditional(s) before it agree.",
                    ex->forward, image_text(img, sizeof img, xb, d, b),
                    t + 1, d, i + 1, mine, ref, logit[i], t);
        }
        if (!close_rel(nll[b], want, 1e-5))
            ck_abort_msg(
                "%s: on %s nll is %.9g, the one-conditional-at-a-"
                "time loop gives %.9g, though every conditional "
                "agrees: nll[n] must be -sum_i log p(x_i | x_<i) "
                "of example n.",
                ex->forward, image_text(img, sizeof img, xb, d, b),
                nll[b], want);
    }
    free(x);
    free(nll);
    free(logit);
    model_free(&m);
}

double chi_square(const long *count, const double *expect, int K,
                  int *worst) {
    double chi2 = 0, most = -1;
    for (int k = 0; k < K; k++) {
        double term =
            (count[k] - expect[k]) * (count[k] - expect[k]) / expect[k];
        chi2 += term;
        if (term > most && worst) most = term, *worst = k;
    }
    return chi2;
}

void check_model_sampling(const char *name, int h, float scale,
                          uint64_t seed) {
    enum { D = 4, K = 1 << D, N = 100000 };
    Model m;
    Rng rng;
    rng_seed(&rng, seed);
    random_model(&m, name, D, h, K, scale, &rng);
    uint8_t all[K * D];
    double nll[K];
    all_images(all, D);
    m.ops->forward(&m, nll, m.scratch, all, K); /* the exact p(x) */
    long count[K] = {0};
    /* in calls of 100 samples: each must start afresh */
    enum { PER_CALL = 100 };
    uint8_t *xs = malloc((size_t)PER_CALL * D);
    for (int s = 0; s < N; s += PER_CALL) {
        m.ops->sample(&m, xs, PER_CALL, &rng);
        for (int t = 0; t < PER_CALL; t++) {
            const uint8_t *x = xs + t * D;
            count[8 * x[0] + 4 * x[1] + 2 * x[2] + x[3]]++;
        }
    }
    free(xs);
    double expect[K];
    for (int k = 0; k < K; k++) expect[k] = N * exp(-nll[k]);
    int w;
    double chi2 = chi_square(count, expect, K, &w); /* 15 df: 0.999
                                                     * quantile 37.7 */
    const ModelExercises *ex = exercises_of(name);
    ck_assert_msg(
        chi2 < 37.7,
        "%s: %d samples of a 4-pixel model do "
        "not follow its probabilities (chi-square %.1f, above "
        "the 0.999 quantile 37.7); the worst is x = %d%d%d%d, "
        "drawn %ld times where p(x) expects %.0f. Is each x_i "
        "drawn from sigma(logit_i) with the pixels before it "
        "already in place, and does each sample start afresh? "
        "(If a test of %s fails too, fix that first.)",
        ex->sample, N, chi2, (w >> 3) & 1, (w >> 2) & 1, (w >> 1) & 1,
        w & 1, count[w], N * exp(-nll[w]), ex->forward);
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
        all_images(x, d); /* every configuration */
        m.ops->forward(&m, nll, m.scratch, x, n);
        for (int k = 0; k < n; k++) total += exp(-nll[k]);
        ck_assert_msg(
            fabs(total - 1) < 1e-9,
            "%s: with d = %d the "
            "probabilities of the %d images sum to %.15f, not 1:"
            " does conditional i see only the pixels before it "
            "(and each exactly once)?",
            exercises_of(name)->forward, d, n, total);
        free(x);
        free(nll);
        model_free(&m);
    }
}

/* The run's directory, made by main before the tests fork. */
static char run_tmp[32] = "/tmp";

const char *tmpdir_make(char buf[64]) {
    snprintf(buf, 64, "%s/t-XXXXXX", run_tmp);
    ck_assert_ptr_nonnull(mkdtemp(buf));
    return buf;
}

double fvsbn_naive_nll(double *logit, const float *params,
                       const int *order, const uint8_t *x, int d,
                       int h) {
    (void)h, (void)order;
    FvsbnParams p;
    fvsbn_point(&p, (float *)params, d);
    double nll = 0;
    for (int i = 0; i < d; i++) {
        double a = p.b[i];
        for (int j = 0; j < i; j++)
            a += p.w[fvsbn_col(j, d) + (size_t)(i - j - 1)] * x[j];
        logit[i] = a;
        nll -= log_bernoulli_logit(x[i], a);
    }
    return nll;
}

/* dnll/db_i = sum_n (sigma(a_ni) - x_ni), dnll/dw_ij = that times x_nj
 */
void fvsbn_naive_grad(double *g, const float *params, const uint8_t *x,
                      int B, int d) {
    FvsbnParams p;
    fvsbn_point(&p, (float *)params, d);
    memset(g, 0, fvsbn_num_params(d) * sizeof *g);
    for (int n = 0; n < B; n++) {
        const uint8_t *xn = x + (size_t)n * d;
        for (int i = 0; i < d; i++) {
            double a = p.b[i];
            for (int j = 0; j < i; j++)
                a += p.w[fvsbn_col(j, d) + (size_t)(i - j - 1)] * xn[j];
            double delta = 1 / (1 + exp(-a)) - xn[i];
            g[i] += delta;
            for (int j = 0; j < i; j++)
                g[d + fvsbn_col(j, d) + (size_t)(i - j - 1)] +=
                    delta * xn[j];
        }
    }
}

Split fvsbn_synthetic(const float *truth, int d, size_t n,
                      uint64_t seed) {
    Rng rng;
    rng_seed(&rng, seed);
    Split s = {n, d, malloc(n * (size_t)d), NULL};
    ck_assert_ptr_nonnull(s.x);
    double logit[64];
    for (size_t k = 0; k < n; k++) {
        uint8_t *x = s.x + k * (size_t)d;
        memset(x, 0, (size_t)d);
        for (int i = 0; i < d; i++) { /* a_i reads x_<i only */
            fvsbn_naive_nll(logit, truth, NULL, x, d, 0);
            x[i] = (uint8_t)rng_bernoulli(&rng, sigmoid(logit[i]));
        }
    }
    return s;
}

void fvsbn_synthetic_splits(Split *tr, Split *va, uint64_t seed) {
    float truth[36];
    Rng rng;
    rng_seed(&rng, seed);
    for (int k = 0; k < 36; k++)
        truth[k] = (float)(2 * rng_uniform(&rng) - 1);
    *tr = fvsbn_synthetic(truth, 8, 1000, 1);
    *va = fvsbn_synthetic(truth, 8, 200, 2);
}

int train_fvsbn_run(Model *m, const ModelOps *ops, const Split *tr,
                    const Split *va, const char *dir, int epochs,
                    int resume, int tiled, TrainResult *r, Err *e) {
    char log[128], state[128];
    snprintf(log, sizeof log, "%s/log.tsv", dir);
    snprintf(state, sizeof state, "%s/train.state", dir);
    ck_assert_int_eq(model_create(m, ops, tr->d, 0, 50, e), 0);
    double marg[64];
    model_marginals(marg, tr->x, tr->n, tr->d);
    Rng rng;
    rng_seed(&rng, 1);
    if (!resume) m->ops->init(m->params, m->d, 0, 0, marg, &rng);
    TrainConfig c = {.epochs = epochs,
                     .batch = 50,
                     .lr = 0.03f,
                     .opt = OPT_ADAM,
                     .seed = 7,
                     .log_path = log,
                     .quiet = 1,
                     .state_path = state,
                     .resume = resume,
                     .data_name = "synthetic",
                     .step = tiled ? &TRAINSTEP_TILED : NULL};
    return train_model(m, tr, va, &c, r, e);
}

void tmpdir_remove(const char *dir) {
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

const char *write_test_file(char path[512], const char *dir,
                            const char *name, const void *buf,
                            size_t len) {
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

/* tests/reaches.tsv (written by make check-coverage): the exercises
 * each test reaches, "suite<TAB>test<TAB>5.1 nade_forward, ...". A
 * failure line names them, so a crash or a timeout still says where
 * to look. */
static void print_reaches(const char *test) {
    FILE *f = fopen("tests/reaches.tsv", "r");
    if (!f) return;
    char line[1024];
    size_t ns = strlen(SUITE.name), nt = strlen(test);
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, SUITE.name, ns) || line[ns] != '\t') continue;
        char *t = line + ns + 1;
        if (strncmp(t, test, nt) || t[nt] != '\t') continue;
        t[strcspn(t, "\n")] = 0;
        printf("    this test checks");
        /* "5.1 nade_forward, 5.2 nade_backward" */
        for (char *e = strtok(t + nt + 1, ","); e;
             e = strtok(NULL, ","))
            printf("%s exercise %s", e == t + nt + 1 ? "" : ",",
                   e + strspn(e, " "));
        printf("\n");
        break;
    }
    fclose(f);
}

/* Each test's stderr goes to a file of its own, <dir>/<suite>-<index>
 * .log (dir: $AUTOREG_REPORT_DIR, else build/reports): a sanitizer's
 * report (make chapterN and make grade build the student's tests with
 * ASan and UBSan), a crash message. The failure line quotes its first
 * error and the first frame in the student's code. The redirection is
 * set in this process, before Check forks the test, and undone after.
 */
static char report_dir[256] = "build/reports";
static int current_test = -1, saved_stderr = -1;

static void report_path(char *buf, size_t n, int i) {
    snprintf(buf, n, "%s/%s-%d.log", report_dir, SUITE.name, i);
}

/* The suite's indices of the tests that run, in order (build_suite). */
static int run_order[512], n_run = 0, next_run = 0;

static void before_test(void) {
    char path[320];
    current_test = next_run < n_run ? run_order[next_run++] : -1;
    report_path(path, sizeof path, current_test);
    fflush(stderr);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) return;
    saved_stderr = dup(2);
    dup2(fd, 2);
    close(fd);
}

static void after_test(void) {
    if (saved_stderr < 0) return;
    fflush(stderr);
    dup2(saved_stderr, 2);
    close(saved_stderr);
    saved_stderr = -1;
}

/* The first error in test i's stderr ("runtime error: ...", ASan's
 * SUMMARY) and the first stack frame in exercises/ or solutions/. */
static void print_report(int i) {
    char path[320], line[1024], error[1100] = "", frame[1024] = "";
    report_path(path, sizeof path, i);
    FILE *f = fopen(path, "r");
    if (!f) return;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        char *in = strstr(line, " in ");
        if (!frame[0] && in && line[strspn(line, " ")] == '#' &&
            (strstr(in, "exercises/") || strstr(in, "/tree/ch") ||
             strstr(in, "solutions/")))
            snprintf(frame, sizeof frame, "%s", in + 4);
        if (!error[0] && strstr(line, "runtime error:"))
            snprintf(error, sizeof error,
                     "UndefinedBehaviorSanitizer: %s", line);
        if (!error[0] && !strncmp(line, "SUMMARY: ", 9))
            snprintf(error, sizeof error, "%s", line + 9);
    }
    fclose(f);
    if (!error[0]) return;
    printf("    %s\n", error);
    if (frame[0]) printf("    in your code: %s\n", frame);
    printf("    full report: %s\n", path);
}

/* 1 if tests/reaches.tsv says that test reaches exercise id ("5.2");
 * without the file, every test may. */
static int test_reaches(const char *test, const char *id) {
    FILE *f = fopen("tests/reaches.tsv", "r");
    if (!f) return 1;
    char line[1024], want[32];
    snprintf(want, sizeof want, "%s ", id);
    size_t ns = strlen(SUITE.name), nt = strlen(test),
           nw = strlen(want);
    int hit = 0;
    while (!hit && fgets(line, sizeof line, f)) {
        if (strncmp(line, SUITE.name, ns) || line[ns] != '\t') continue;
        char *t = line + ns + 1;
        if (strncmp(t, test, nt) || t[nt] != '\t') continue;
        for (char *e = t + nt + 1; *e && !hit;
             e += strcspn(e, ",") + 1) {
            e += strspn(e, " ");
            hit = !strncmp(e, want, nw);
            if (!e[strcspn(e, ",")]) break;
        }
    }
    fclose(f);
    return hit;
}

/* Every test; with $AUTOREG_ONLY_EXERCISE=ID only those that reach
 * exercise ID (the catalogue of mistakes: no other test runs its code)
 */
static Suite *build_suite(void) {
    Suite *s = suite_create(SUITE.name);
    const char *only = getenv("AUTOREG_ONLY_EXERCISE");
    for (int i = 0; i < SUITE.n; i++) {
        if (only && *only &&
            !test_reaches(SUITE.tests[i].description, only))
            continue;
        if (n_run < (int)(sizeof run_order / sizeof *run_order))
            run_order[n_run++] = i;
        TCase *tc = tcase_create(SUITE.tests[i].description);
        /* Generous: the sanitizer build is several times slower.
         * CK_TIMEOUT_MULTIPLIER scales it further. */
        tcase_set_timeout(tc, 60);
        /* unchecked: runs in this process, before the test's fork */
        tcase_add_unchecked_fixture(tc, before_test, after_test);
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
                printf("%s %s\n", SUITE.name,
                       SUITE.tests[t].description);
            return 0;
        } else {
            fprintf(stderr, "usage: %s [--expect-stubs | --list]\n",
                    argv[0]);
            return 2;
        }
    }
    exercise_set_handler(exercise_to_failure);
    const char *env = getenv("AUTOREG_REPORT_DIR");
    if (env && *env) snprintf(report_dir, sizeof report_dir, "%s", env);
    else if ((mkdir("build", 0777) && errno != EEXIST) ||
             (mkdir(report_dir, 0777) && errno != EEXIST))
        snprintf(report_dir, sizeof report_dir, "/tmp");

    snprintf(run_tmp, sizeof run_tmp, "/tmp/autoreg-test-XXXXXX");
    if (!mkdtemp(run_tmp)) {
        perror("autoreg tests: cannot create a directory in /tmp");
        return 1;
    }
    SRunner *sr = srunner_create(build_suite());
    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_SILENT);
    char rm[64]; /* the run's directory, and what a failed test left */
    snprintf(rm, sizeof rm, "rm -rf '%s'", run_tmp);
    if (system(rm) != 0)
        fprintf(stderr, "autoreg tests: %s failed\n", rm);

    int n = srunner_ntests_run(sr);
    TestResult **res = srunner_results(sr);
    int passed = 0, stubs = 0, bad = 0;
    for (int i = 0; i < n; i++) {
        TestResult *r = res[i];
        int rtype = tr_rtype(r);
        const char *msg = tr_msg(r);
        int stub =
            rtype == CK_FAILURE && msg && strstr(msg, NOT_IMPLEMENTED);
        if (rtype == CK_PASS) passed++;
        else if (stub) stubs++;
        else bad++;
        if (rtype == CK_PASS) {
            printf("%s %s: OK\n", SUITE.name, tr_tcname(r));
        } else if (stub) {
            printf("%s %s: FAIL (%s)\n", SUITE.name, tr_tcname(r), msg);
        } else {
            printf("%s %s: %s\n    %s:%d: %s\n", SUITE.name,
                   tr_tcname(r), status_word(rtype), tr_lfile(r),
                   tr_lno(r), msg ? msg : "");
            print_reaches(tr_tcname(r));
            for (int t = 0; t < SUITE.n; t++) /* its sanitizer report */
                if (!strcmp(SUITE.tests[t].description, tr_tcname(r)))
                    print_report(t);
        }
    }
    free(res);
    srunner_print(sr, CK_MINIMAL); /* Check's own summary line */
    srunner_free(sr);

    if (expect_stubs) {
        if (bad) {
            printf("%s: %d test(s) failed for a reason other than an "
                   "unimplemented exercise\n",
                   SUITE.name, bad);
            return 1;
        }
        printf("%s: exercises tree ok: %d pass, %d stop at an "
               "unimplemented exercise, none crash\n",
               SUITE.name, passed, stubs);
        return 0;
    }
    return passed == n ? 0 : 1;
}

/* See runner.h: the PixelCNN by direct sums over the kept taps. */
double pixelcnn_naive_nll(double *logit, const float *params,
                          const uint8_t *x, int d, int C, int L) {
    int S = pixelcnn_side(d);
    int ady[49], adx[49], bdy[49], bdx[49];
    int ta = pixelcnn_taps(PIXELCNN_KA, 0, ady, adx);
    int tb = pixelcnn_taps(PIXELCNN_KB, 1, bdy, bdx);
    PixelcnnParams p;
    pixelcnn_point(&p, (float *)params, C, L);
    double *h = calloc((size_t)C * d, sizeof *h);
    double *z = calloc((size_t)C * d, sizeof *z), nll = 0;
    for (int c = 0; c < C; c++)
        for (int q = 0; q < d; q++) {
            double a = p.b0[c];
            for (int t = 0; t < ta; t++) {
                int y = q / S + ady[t], xx = q % S + adx[t];
                if (y >= 0 && xx >= 0 && xx < S)
                    a += p.W0[c * ta + t] * x[y * S + xx];
            }
            h[c * d + q] = a > 0 ? a : 0;
        }
    for (int l = 1; l <= L; l++) {
        const float *W = p.W + (size_t)(l - 1) * (C * C * tb + C);
        const float *b = p.b + (size_t)(l - 1) * (C * C * tb + C);
        for (int c = 0; c < C; c++)
            for (int q = 0; q < d; q++) {
                double a = b[c];
                for (int c2 = 0; c2 < C; c2++)
                    for (int t = 0; t < tb; t++) {
                        int y = q / S + bdy[t], xx = q % S + bdx[t];
                        if (y >= 0 && xx >= 0 && xx < S)
                            a += W[(c * C + c2) * tb + t] *
                                 h[c2 * d + y * S + xx];
                    }
                z[c * d + q] = a > 0 ? a : 0;
            }
        for (int k = 0; k < C * d; k++) h[k] += z[k]; /* the residual */
    }
    for (int q = 0; q < d; q++) {
        double a = p.bo[0];
        for (int c = 0; c < C; c++) a += p.wo[c] * h[c * d + q];
        logit[q] = a;
        nll -= log_bernoulli_logit(x[q], a);
    }
    free(h);
    free(z);
    return nll;
}
