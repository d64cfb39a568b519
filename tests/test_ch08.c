/* test_ch08.c - chapter 8: the PixelCNN's masks (exercise 8.1), its
 * forward pass (8.2) against direct sums, the autoregressive property,
 * normalisation by enumeration, the receptive field with its blind
 * spot, the gradient (8.3), sampling and completion (8.4). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checkpoint.h"
#include "mathx.h"
#include "model.h"
#include "pixelcnn.h"
#include "runner.h"

static void pcnn_model(Model *m, int d, int C, int L, float scale,
                       uint64_t seed) {
    Err e;
    ck_assert_msg(model_create2(m, model_ops_by_name("pixelcnn"), d, C,
                                L, 64, &e) == 0,
                  "%s", e.msg);
    Rng rng;
    rng_seed(&rng, seed);
    for (size_t k = 0; k < m->n_params; k++)
        m->params[k] = scale * (float)(2 * rng_uniform(&rng) - 1);
}

START_TEST(test_taps) {
    int dy[49], dx[49];
    for (int b = 0; b < 2; b++)
        for (int k = 1; k <= 7; k += 2) {
            int n = pixelcnn_taps(k, b, dy, dx), want = 0;
            for (int y = -k / 2; y <= k / 2; y++)
                for (int x = -k / 2; x <= k / 2; x++)
                    want +=
                        y < 0 || (y == 0 && (x < 0 || (x == 0 && b)));
            ck_assert_msg(
                n == want,
                "exercise 8.1 pixelcnn_taps: returns %d "
                "taps for a %d x %d mask of type %c, but the rule "
                "keeps %d: type A keeps the rows above and the "
                "pixels left of the centre, type B the centre too",
                n, k, k, b ? 'B' : 'A', want);
            for (int t = 0; t < n; t++)
                ck_assert_msg(
                    dy[t] < 0 ||
                        (dy[t] == 0 && dx[t] <= 0 && (dx[t] < 0 || b)),
                    "exercise 8.1 pixelcnn_taps: type %c, k = %d: "
                    "tap (%d, %d) is not before the centre (0, 0) "
                    "in raster order",
                    b ? 'B' : 'A', k, dy[t], dx[t]);
        }
    ck_assert_int_eq(pixelcnn_taps(7, 0, dy, dx), 24);
    ck_assert_int_eq(pixelcnn_taps(3, 1, dy, dx), 5);
}
END_TEST

START_TEST(test_param_count) {
    const int cl[][2] = {{1, 0}, {2, 1}, {16, 4}, {32, 6}};
    for (int t = 0; t < 4; t++) {
        int C = cl[t][0], L = cl[t][1];
        size_t want =
            (size_t)C * 24 + C + (size_t)L * (C * C * 5 + C) + C + 1;
        for (int d = 4; d <= 784; d = d == 4 ? 784 : 1000) {
            Model m;
            pcnn_model(&m, d, C, L, 0.1f, 1);
            ck_assert_msg(
                m.n_params == want,
                "exercise 8.1 (the masks): C "
                "= %d, L = %d: %zu parameters, but 24 C + C + L "
                "(5 C^2 + C) + C + 1 = %zu (24 taps of type A, 5 "
                "of type B)",
                C, L, m.n_params, want);
            PixelcnnParams p;
            pixelcnn_point(&p, m.params, C, L);
            ck_assert_ptr_eq(p.bo + 1, m.params + m.n_params);
            model_free(&m);
        }
    }
}
END_TEST

/* p(x_i = 1 | ...) of every pixel for image x */
static void conditionals(Model *m, const uint8_t *x, float *p) {
    double nll;
    m->ops->forward(m, &nll, m->scratch, x, 1);
    /* the logits, then g = sigma - x, end the image's scratch */
    const float *g = m->scratch + m->scratch_per_example - (size_t)m->d;
    for (int i = 0; i < m->d; i++) p[i] = g[i] + x[i];
}

/* Flipping pixel j changes no conditional of a pixel at or before j in
 * raster order: 4 x 4 and 5 x 5 images, every pixel flipped. */
START_TEST(test_autoregressive) {
    Rng rng;
    rng_seed(&rng, 7);
    for (int S = 2; S <= 5; S++) {
        int d = S * S;
        Model m;
        pcnn_model(&m, d, 3, 2, 0.8f, 8 + S);
        for (int img = 0; img < 40; img++) {
            uint8_t x[2][25];
            float p[2][25];
            for (int i = 0; i < d; i++)
                x[0][i] = (uint8_t)rng_bernoulli(&rng, 0.5);
            conditionals(&m, x[0], p[0]);
            for (int j = 0; j < d; j++) {
                memcpy(x[1], x[0], (size_t)d);
                x[1][j] ^= 1;
                conditionals(&m, x[1], p[1]);
                for (int i = 0; i <= j; i++)
                    ck_assert_msg(
                        fabsf(p[0][i] - p[1][i]) < 1e-6f,
                        "exercise 8.1 (the masks) or 8.2 (the "
                        "taps each layer reads): %d x %d: "
                        "flipping pixel (%d, %d) changed "
                        "p(x_i = 1 | ...) of pixel (%d, %d), at or "
                        "before it in raster order: %g -> %g",
                        S, S, j / S + 1, j % S + 1, i / S + 1,
                        i % S + 1, p[0][i], p[1][i]);
            }
        }
        model_free(&m);
    }
}
END_TEST

/* All 2^d images of 1 x 1, 2 x 2 and 3 x 3 sum to 1. */
START_TEST(test_normalised) {
    for (int S = 1; S <= 3; S++) {
        int d = S * S, n = 1 << d;
        Model m;
        pcnn_model(&m, d, 3, 2, 1.0f, 20 + S);
        uint8_t *x = malloc((size_t)n * d);
        for (int k = 0; k < n; k++)
            for (int i = 0; i < d; i++)
                x[k * d + i] = (uint8_t)((k >> i) & 1);
        double *nll = malloc((size_t)n * sizeof *nll), total = 0;
        model_example_nll(&m, x, (size_t)n, nll);
        for (int k = 0; k < n; k++) total += exp(-nll[k]);
        ck_assert_msg(
            fabs(total - 1) < 1e-6,
            "exercise 8.1 (the masks) or "
            "8.2 (the taps each layer reads): "
            "%d x %d: the probabilities of the %d images sum to "
            "%.12f, not 1: does a mask let a pixel see itself or "
            "a later one?",
            S, S, n, total);
        free(x);
        free(nll);
        model_free(&m);
    }
}
END_TEST

START_TEST(test_gradient) {
    /* few images (a ReLU's kink must not lie within a step of any
     * pre-activation): 2 x 2 exhaustively, 4 x 4 on a few */
    check_model_gradient("pixelcnn", 4, 3, 3, 0.7f, 1e-3f, 3e-3, 30);
    check_model_gradient("pixelcnn", 16, 2, 2, 0.7f, 1e-3f, 3e-3, 31);
}
END_TEST

START_TEST(test_adds_into) {
    check_model_adds_into("pixelcnn", 9, 3, 0.7f, 32);
}
END_TEST

START_TEST(test_sampling) {
    check_model_sampling("pixelcnn", 3, 1.5f, 33);
}
END_TEST

/* The receptive field of the centre pixel of a 13 x 13 image after the
 * 7 x 7 type-A layer and L type-B layers: the pixels whose flip can
 * move its conditional (small positive weights and biases keep every
 * unit on), and the set the masks predict. Each B layer adds the taps
 * (-1, -1..1), (0, -1), (0, 0): the field grows one row up and one
 * column left, and row dy above the centre reaches dx = 3 + min(-dy -
 * 1, L) to the right: one column more per row up, since a B tap moves
 * right only by going up. What lies right of that in the rows above is
 * the blind spot. */
enum { FS = 13, FD = FS * FS, FCEN = 6 };
/* seen[j] = 1 when flipping pixel j (0 -> 1 in the all-zero image)
 * moves the conditional of the centre of a 13 x 13 image, L B layers;
 * returns how many do. */
static int measured_field(int L, int *seen) {
    Model m;
    Err e;
    ck_assert_int_eq(model_create2(&m, model_ops_by_name("pixelcnn"),
                                   FD, 2, L, 4, &e),
                     0);
    Rng rng;
    rng_seed(&rng, 40 + L);
    for (size_t k = 0; k < m.n_params; k++)
        /* small enough that the logit stays near 0, where a single
         * path's effect still shows in a float */
        m.params[k] = 0.02f + 0.04f * (float)rng_uniform(&rng);
    uint8_t x[2][FD] = {{0}};
    float p[2][FD];
    conditionals(&m, x[0], p[0]);
    int i = FCEN * FS + FCEN, n = 0;
    for (int j = 0; j < FD; j++) {
        seen[j] = 0;
        if (j == i)
            continue; /* p = (sigma - x) + x rounds: the
                       * autoregressive test covers it */
        memcpy(x[1], x[0], FD);
        x[1][j] = 1;
        conditionals(&m, x[1], p[1]);
        seen[j] = fabsf(p[0][i] - p[1][i]) > 0;
        n += seen[j];
    }
    model_free(&m);
    return n;
}

START_TEST(test_receptive_field) {
    for (int L = 0; L <= 3; L++) {
        int seen[FD];
        measured_field(L, seen);
        for (int j = 0; j < FD; j++) {
            if (j == FCEN * FS + FCEN) continue;
            int dy = j / FS - FCEN, dx = j % FS - FCEN; /* from i */
            int reach = 3 + L, right = 3 + (-dy - 1 < L ? -dy - 1 : L);
            int want = (dy < 0 && dy >= -reach && dx >= -reach &&
                        dx <= right) ||
                       (dy == 0 && dx < 0 && dx >= -reach);
            ck_assert_msg(
                seen[j] == want,
                "exercise 8.1 (the masks) or "
                "8.2 (the taps each layer reads): L = %d: "
                "pixel at (%+d, %+d) from the centre %s its "
                "conditional, but the chapter's formula for the "
                "field says it %s",
                L, dy, dx, seen[j] ? "moves" : "does not move",
                want ? "does" : "does not");
        }
    }
}
END_TEST

/* Check your understanding, question 1: the field's size, predicted,
 * against the count of the pixels whose flip moves the centre. */
START_TEST(test_field_size) {
    for (int L = 0; L <= 3; L++) {
        int seen[FD], n = measured_field(L, seen);
        int got = pixelcnn_field_size(L);
        ck_assert_msg(
            got == n,
            "exercise 8.5 pixelcnn_field_size: %d for "
            "L = %d, but %d pixels move the centre's conditional "
            "of a 13 x 13 image (this test flipped each one). "
            "Count row by row: the centre's own row, then the "
            "rows above, each from its leftmost column to R_L",
            got, L, n);
    }
}
END_TEST

/* The field by backpropagation (the chapter's figure): with positive
 * weights and biases every unit stays on, the network is linear in x,
 * and d logit_i / d x_j is exactly the change of logit_i when x_j goes
 * from 0 to 1; at and after i it is 0. */
START_TEST(test_logit_grad) {
    enum { S = 7, D = S * S, C = 2, L = 2 };
    Model m;
    Err e;
    ck_assert_int_eq(model_create2(&m, model_ops_by_name("pixelcnn"), D,
                                   C, L, 4, &e),
                     0);
    Rng rng;
    rng_seed(&rng, 80);
    for (size_t k = 0; k < m.n_params; k++)
        m.params[k] = 0.02f + 0.04f * (float)rng_uniform(&rng);
    float *dp = malloc(m.n_params * sizeof *dp), dx[D];
    uint8_t x[D] = {0};
    float p0[D], p1[D];
    conditionals(&m, x, p0);
    const int targets[] = {0, 3 * S + 4, D - 1};
    for (int r = 0; r < 3; r++) {
        int i = targets[r];
        pixelcnn_logit_grad(dx, dp, m.scratch, x, m.params, i, D, C, L);
        double l0 = log(p0[i] / (1 - p0[i]));
        for (int j = 0; j < D; j++) {
            if (j >= i) {
                ck_assert_msg(
                    dx[j] == 0,
                    "exercise 8.3 "
                    "pixelcnn_backward_one (from one logit, "
                    "through exercise 8.1's taps): d logit_%d / "
                    "d x_%d = %g, but pixel %d is not before "
                    "pixel %d",
                    i + 1, j + 1, dx[j], j + 1, i + 1);
                continue;
            }
            x[j] = 1;
            conditionals(&m, x, p1);
            x[j] = 0;
            double diff = log(p1[i] / (1 - p1[i])) - l0;
            ck_assert_msg(
                fabs(dx[j] - diff) < 1e-4,
                "exercise 8.3 "
                "pixelcnn_backward_one (from one logit): d "
                "logit_%d / d x_%d = %.6f by backpropagation, "
                "but flipping x_%d moves logit_%d by %.6f in "
                "this linear network",
                i + 1, j + 1, dx[j], j + 1, i + 1, diff);
        }
    }
    free(dp);
    model_free(&m);
}
END_TEST

/* Version 5 keeps the layers; a truncated file is refused. */
START_TEST(test_checkpoint) {
    char dir[64], path[128];
    tmpdir_make(dir);
    Model m, back;
    Err e;
    pcnn_model(&m, 16, 3, 2, 0.5f, 50);
    snprintf(path, sizeof path, "%s/pcnn.ckpt", dir);
    ck_assert_int_eq(checkpoint_save(path, &m, &e), 0);
    ck_assert_msg(checkpoint_load(path, MODEL_PIXELCNN, 4, &back, &e) ==
                      0,
                  "%s", e.msg);
    ck_assert_int_eq(back.h, 3);
    ck_assert_int_eq(back.h2, 2);
    ck_assert(
        !memcmp(back.params, m.params, m.n_params * sizeof(float)));
    model_free(&back);
    FILE *f = fopen(path, "r+b");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(ftruncate(fileno(f), 40), 0);
    fclose(f);
    ck_assert_int_eq(checkpoint_load(path, 0, 4, &back, &e), -1);
    ck_assert_msg(strstr(e.msg, "pcnn.ckpt") != NULL, "%s", e.msg);
    model_free(&m);
    tmpdir_remove(dir);
}
END_TEST

/* The padded-plane pass equals the direct sums, on images of 1 x 1 to
 * 9 x 9 with 1 to 4 channels and 0 to 3 layers. */
START_TEST(test_naive) {
    Rng rng;
    rng_seed(&rng, 60);
    /* the larger images first: there a difference can be placed */
    const int sides[] = {5, 7, 9, 3, 1};
    for (int si = 0; si < 5; si++)
        for (int L = 0; L <= 3; L++) {
            int S = sides[si], d = S * S, C = 1 + (S + L) % 4;
            Model m;
            pcnn_model(&m, d, C, L, 0.6f, 61 + S * 4 + L);
            uint8_t *x = malloc((size_t)d * 3);
            for (int i = 0; i < 3 * d; i++)
                x[i] = (uint8_t)rng_bernoulli(&rng, 0.4);
            double nll[3], logit[81];
            m.ops->forward(&m, nll, m.scratch, x, 3);
            for (int n = 0; n < 3; n++) {
                const uint8_t *xn = x + (size_t)n * d;
                double want =
                    pixelcnn_naive_nll(logit, m.params, xn, d, C, L);
                /* sigma(logit) - x ends each image's scratch */
                const float *g =
                    m.scratch +
                    (size_t)(n + 1) * m.scratch_per_example - (size_t)d;
                int first = -1, inner = 0; /* inner: off the edges */
                for (int i = 0; i < d; i++)
                    if (fabs(g[i] + xn[i] - sigmoid(logit[i])) >=
                        1e-5) {
                        if (first < 0) first = i;
                        inner |= i % S > 0 && i % S < S - 1;
                    }
                const char *why =
                    L == 0
                        ? "With no B layer: the 7 x 7 taps, W_0[c][t] "
                          "and b_0?"
                    : S >= 3 && !inner
                        ? "Only pixels in the first or last column "
                          "differ: "
                          "are the border columns zeroed after each "
                          "layer?"
                        : "Check each B layer: the 3 x 3 offsets "
                          "g->offb, "
                          "all C inputs, W_l[c][c2][t], b_l, and "
                          "relu(z_l) "
                          "before the residual h_{l-1} is added.";
                ck_assert_msg(
                    first < 0,
                    "exercise 8.2 pixelcnn_forward_one: "
                    "%d x %d, C = %d, L = %d, image %d: pixel (%d, "
                    "%d), the first that differs: p = %.7f, the "
                    "direct sums over the taps give %.7f. %s",
                    S, S, C, L, n + 1, first / S + 1, first % S + 1,
                    first < 0 ? 0 : g[first] + xn[first],
                    first < 0 ? 0 : sigmoid(logit[first]), why);
                ck_assert_msg(
                    close_rel(nll[n], want, 1e-5),
                    "exercise 8.2 pixelcnn_forward_one: %d x %d, C "
                    "= %d, L = %d, image %d: NLL %.9g, the "
                    "direct sums over the taps %.9g",
                    S, S, C, L, n + 1, nll[n], want);
            }
            free(x);
            model_free(&m);
        }
}
END_TEST

/* Completion: the given pixels of a 3 x 3 image stay, and the last
 * four are drawn from p(x_6..x_9 | x_1..x_5): chi-square over the 16
 * completions, whose probabilities forward gives by enumeration. */
START_TEST(test_completion) {
    enum { D = 9, GIVEN = 5, K = 16, N = 20000 };
    Model m;
    pcnn_model(&m, D, 3, 2, 1.2f, 70);
    const uint8_t prefix[GIVEN] = {1, 0, 1, 1, 0};
    uint8_t all[K * D];
    double nll[K], z = 0;
    for (int k = 0; k < K; k++) {
        memcpy(all + k * D, prefix, GIVEN);
        for (int i = 0; i < D - GIVEN; i++)
            all[k * D + GIVEN + i] = (uint8_t)((k >> (3 - i)) & 1);
    }
    model_example_nll(&m, all, K, nll);
    for (int k = 0; k < K; k++) z += exp(-nll[k]);
    long count[K] = {0};
    Rng rng;
    rng_seed(&rng, 71);
    uint8_t *xs = malloc((size_t)N * D);
    for (int s = 0; s < N; s++) /* the rest is overwritten */
        memcpy(xs + (size_t)s * D, all + (s % K) * D, D);
    pixelcnn_sample(xs, m.scratch, m.params, GIVEN, N, D, 3, 2, &rng);
    for (int s = 0; s < N; s++) {
        const uint8_t *x = xs + (size_t)s * D;
        for (int i = 0; i < GIVEN; i++)
            ck_assert_msg(
                x[i] == prefix[i],
                "exercise 8.4 "
                "pixelcnn_sample: with %d pixels given, pixel "
                "%d changed from %d to %d: a given pixel stays",
                GIVEN, i + 1, prefix[i], x[i]);
        count[8 * x[5] + 4 * x[6] + 2 * x[7] + x[8]]++;
    }
    free(xs);
    double expect[K];
    for (int k = 0; k < K; k++) expect[k] = N * exp(-nll[k]) / z;
    int w;
    double chi2 = chi_square(count, expect, K, &w); /* 15 df: 0.999
                                                     * quantile 37.7 */
    ck_assert_msg(
        chi2 < 37.7,
        "exercise 8.4 pixelcnn_sample: completions "
        "of a 3 x 3 image after 5 given pixels do not follow "
        "p(x_6..x_9 | x_1..x_5) (chi-square %.1f, above the "
        "0.999 quantile 37.7); the worst, x_6..x_9 = %d%d%d%d, "
        "drawn %ld times for %.0f expected. At pixel i, does "
        "every layer compute what exercise 8.2 does (the taps, "
        "W_l, b_l, the ReLU, the residual), do the given pixels "
        "stay, and is each drawn pixel written back before the "
        "next? (The expected counts come from your forward "
        "pass: if a test of exercise 8.2 fails too, fix that "
        "first.)",
        chi2, (w >> 3) & 1, (w >> 2) & 1, (w >> 1) & 1, w & 1, count[w],
        expect[w]);
    model_free(&m);
}
END_TEST

static const TestSpec tests[] = {
    {"masks: type A keeps the taps before the centre, type B the "
     "centre too",
     &test_taps},
    {"parameter count = formula = allocation, independent of d",
     &test_param_count},
    {"flipping pixel j leaves every conditional up to j unchanged",
     &test_autoregressive},
    {"probabilities of all 2^d images sum to 1 (up to 3 x 3)",
     &test_normalised},
    {"the convolutions equal direct sums over the taps", &test_naive},
    {"gradient equals central finite differences", &test_gradient},
    {"backward adds into dparams", &test_adds_into},
    {"ancestral samples follow the model (chi-square)", &test_sampling},
    {"completion keeps the given pixels, draws the rest (chi-square)",
     &test_completion},
    {"receptive field: the masks' prediction, blind spot included",
     &test_receptive_field},
    {"question: the field's size, against the flipped pixels",
     &test_field_size},
    {"the field by backpropagation equals the flips' effect",
     &test_logit_grad},
    {"checkpoint round trip keeps the layers (version 5)",
     &test_checkpoint},
};

const TestSuiteSpec SUITE = {"ch08", tests, N_TESTS(tests)};
