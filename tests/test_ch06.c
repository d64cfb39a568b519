/* test_ch06.c - chapter 6: orders, ensembles, completion, the
 * baseline and the softmax classifier. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkpoint.h"
#include "evaluate.h"
#include "mathx.h"
#include "model.h"
#include "nade.h"
#include "nade_order.h"
#include "nade_scan.h"
#include "runner.h"

/* NADE's layout size (not exercise 5.4: this chapter must not depend
 * on it). */
static size_t nade_size(int d, int h) {
    return model_ops_by_name("nade")->num_params(d, h, 0);
}

static void random_params(float *p, size_t n, float scale, Rng *rng) {
    for (size_t k = 0; k < n; k++)
        p[k] = scale * (float)(2 * rng_uniform(rng) - 1);
}

/* Every configuration of d pixels, configuration c in row c. */
static uint8_t *all_configurations(int d) {
    size_t n = (size_t)1 << d;
    uint8_t *x = malloc(n * d);
    for (size_t c = 0; c < n; c++)
        for (int i = 0; i < d; i++) x[c * d + i] = (c >> i) & 1;
    return x;
}

/* log_mean_exp(a) against want, the message naming the case */
static void check_lme(const double *a, int K, double want, double tol,
                      const char *what) {
    double got = log_mean_exp(a, K);
    ck_assert_msg(close_rel(got, want, tol),
                  "exercise 6.1 log_mean_exp: "
                  "%s: got %.17g, want %.17g",
                  what, got, want);
}

START_TEST(test_log_mean_exp) {
    const double a[] = {-2.0, 0.5, -0.25};
    double direct = log((exp(a[0]) + exp(a[1]) + exp(a[2])) / 3);
    check_lme(a, 3, direct, 1e-14, "log((e^-2 + e^0.5 + e^-0.25) / 3)");
    check_lme(a, 1, a[0], 1e-15, "one term");
    /* log-likelihoods of images: exp(-1000) is 0 in double, but the
     * mean of two such terms is not; shift by the maximum first */
    const double small[] = {-1000.0, -1001.0};
    check_lme(
        small, 2, -1000.0 + log((1 + exp(-1.0)) / 2), 1e-14,
        "{-1000, -1001} (exp underflows unless shifted by the max)");
    const double big[] = {800.0, 800.0};
    check_lme(big, 2, 800.0, 1e-15,
              "{800, 800} (exp overflows unless shifted by the max)");
    const double none[] = {-INFINITY, -INFINITY};
    check_lme(none, 2, -INFINITY, 0, "{-inf, -inf} (probability 0)");
}
END_TEST

//> test-ensemble-normalised
/* p(x) = (1/K) sum_k p(x | order k) sums to 1 over {0,1}^d. */
START_TEST(test_ensemble_normalised) {
    Rng rng;
    rng_seed(&rng, 61);
    for (int d = 1; d <= 9; d++) {
        int h = 1 + d % 3, K = 4;
        size_t n = (size_t)1 << d;
        float *p = malloc(nade_size(d, h) * sizeof *p);
        size_t per = nade_scratch_floats(d, h);
        float *scr = malloc(n * per * sizeof *scr);
        double *nll = malloc(K * n * sizeof *nll), lp[4], total = 0;
        int *order = malloc((size_t)d * sizeof *order);
        uint8_t *x = all_configurations(d);
        random_params(p, nade_size(d, h), 2.0f, &rng);
        for (int k = 0; k < K; k++) {
            order_random(order, d, &rng);
            nade_forward_order(nll + k * n, scr, x, p, order, (int)n, d,
                               h);
        }
        for (size_t c = 0; c < n; c++) {
            for (int k = 0; k < K; k++) lp[k] = -nll[k * n + c];
            total += exp(log_mean_exp(lp, K));
        }
        ck_assert_msg(fabs(total - 1) < 1e-9,
                      "exercises 6.1-6.2: with "
                      "d = %d the ensemble of %d orders gives "
                      "probabilities that sum to %.12f, not 1 (is the "
                      "logit stored at its pixel, the mean taken over "
                      "K?)",
                      d, K, total);
        free(p);
        free(scr);
        free(nll);
        free(order);
        free(x);
    }
}
END_TEST
//< test-ensemble-normalised

/* The identity order must reproduce chapter 5 exactly: the same
 * floating-point operations in the same order. */
START_TEST(test_identity_is_chapter5) {
    int d = 40, h = 7, B = 5;
    Rng rng;
    rng_seed(&rng, 62);
    size_t np = nade_size(d, h), ns = nade_scratch_floats(d, h);
    float *p = malloc(np * sizeof *p), *g5 = calloc(np, sizeof *g5);
    float *g6 = calloc(np, sizeof *g6);
    float *s5 = malloc(B * ns * sizeof *s5), *s6 = malloc(B * ns * 4);
    uint8_t *x = malloc((size_t)B * d), *y5 = malloc((size_t)B * d);
    uint8_t *y6 = malloc((size_t)B * d);
    int *id = malloc((size_t)d * sizeof *id);
    double nll5[5], nll6[5];
    random_params(p, np, 1.0f, &rng);
    for (int i = 0; i < B * d; i++)
        x[i] = (uint8_t)rng_bernoulli(&rng, .3);
    for (int i = 0; i < d; i++) id[i] = i;
    nade_forward(nll5, s5, x, p, B, d, h);
    nade_forward_order(nll6, s6, x, p, id, B, d, h);
    for (int b = 0; b < B; b++)
        ck_assert_msg(
            nll5[b] == nll6[b],
            "exercise 6.2 "
            "nade_forward_order, identity order: image %d has "
            "nll %.17g, chapter 5's nade_forward %.17g (the same "
            "operations in the same order give the same bits)",
            b, nll6[b], nll5[b]);
    nade_backward(g5, s5, x, p, B, d, h);
    nade_backward_order(g6, s6, x, p, id, B, d, h);
    for (size_t k = 0; k < np; k++)
        if (memcmp(&g5[k], &g6[k], sizeof *g5)) {
            Model m = {
                .ops = model_ops_by_name("nade"), .d = d, .h = h};
            char name[160];
            model_param_name(&m, k, name, sizeof name);
            ck_abort_msg(
                "exercise 6.3 nade_backward_order, identity "
                "order: the gradient of %s is %.9g, chapter 5's "
                "nade_backward gives %.9g",
                name, g6[k], g5[k]);
        }
    Rng r5, r6;
    rng_seed(&r5, 7);
    rng_seed(&r6, 7);
    nade_sample(y5, s5, p, B, d, h, &r5);
    nade_complete_order(y6, s6, p, id, 0, B, d, h, &r6);
    for (int i = 0; i < B * d; i++)
        ck_assert_msg(
            y5[i] == y6[i],
            "exercise 6.4 nade_complete_order, "
            "identity order, given 0: in sample %d (0-based), "
            "x_%d (1-based) is %d, but chapter 5's nade_sample "
            "with the same seed draws %d: draw each pixel as "
            "5.3 does, rng_bernoulli(rng, sigmoid_f(logit))",
            i / d, i % d + 1, y6[i], y5[i]);
    free(p), free(g5), free(g6), free(s5), free(s6);
    free(x), free(y5), free(y6), free(id);
}
END_TEST

START_TEST(test_order_normalised) {
    check_model_normalised("nade:shuffled", 10, 2.0f, 63);
}
END_TEST

/* NADE under an order, one conditional at a time from scratch: the
 * t-th pixel i = order[t] sees the pixels order[0..t-1]. */
static double naive_order_nll(double *logits, const float *params,
                              const int *order, const uint8_t *x, int d,
                              int h) {
    NadeParams p;
    nade_point(&p, (float *)params, d, h);
    double nll = 0;
    for (int t = 0; t < d; t++) {
        int i = order[t];
        double logit = p.b[i];
        for (int k = 0; k < h; k++) {
            double a = p.c[k];
            for (int u = 0; u < t; u++)
                a +=
                    (double)p.W[(size_t)order[u] * h + k] * x[order[u]];
            logit += p.V[(size_t)i * h + k] * sigmoid(a);
        }
        logits[i] = logit;
        nll -= log_bernoulli_logit(x[i], logit);
    }
    return nll;
}

START_TEST(test_order_naive) {
    check_model_naive("nade:shuffled", 8, 3, 0, 1.5f, 0.5,
                      naive_order_nll, 66);
    check_model_naive("nade:shuffled", 40, 7, 8, 0.5f, 0.4,
                      naive_order_nll, 67);
}
END_TEST

START_TEST(test_order_adds_into) {
    check_model_adds_into("nade:shuffled", 7, 4, 1.0f, 68);
}
END_TEST

START_TEST(test_order_gradient) {
    check_model_gradient("nade:shuffled", 9, 4, 3, 1.0f, 1e-2f, 2e-3,
                         64);
}
END_TEST

START_TEST(test_order_sampling) {
    check_model_sampling("nade:shuffled", 3, 2.0f, 65);
}
END_TEST

/* Completion keeps the given pixels, every time. */
START_TEST(test_completion_keeps_given) {
    int d = 64, h = 10, n = 20;
    Rng rng;
    rng_seed(&rng, 66);
    float *p = malloc(nade_size(d, h) * sizeof *p);
    float *scr = malloc(2 * (size_t)h * sizeof *scr);
    int *order = malloc((size_t)d * sizeof *order);
    uint8_t *x = malloc((size_t)n * d), *keep = malloc((size_t)n * d);
    random_params(p, nade_size(d, h), 2.0f, &rng);
    for (int given = 0; given <= d; given += 8) {
        order_random(order, d, &rng);
        for (int i = 0; i < n * d; i++)
            x[i] = (uint8_t)rng_bernoulli(&rng, 0.5);
        memcpy(keep, x, (size_t)n * d);
        nade_complete_order(x, scr, p, order, given, n, d, h, &rng);
        for (int s = 0; s < n; s++)
            for (int k = 0; k < given; k++) {
                int i = order[k];
                ck_assert_msg(x[s * d + i] == keep[s * d + i],
                              "exercise 6.4 nade_complete_order: with "
                              "given = %d, the given pixel x_%d (at "
                              "position %d of the order; both 1-based) "
                              "changed",
                              given, i + 1, k + 1);
            }
    }
    free(p), free(scr), free(order), free(x), free(keep);
}
END_TEST

/* Completions of a fixed top half follow the exact conditional
 * p(bottom | top) = p(top, bottom) / sum_bottom p(top, bottom): a
 * chi-square test over the 2^3 bottoms of a 6-pixel model. */
START_TEST(test_completion_matches_conditional) {
    int d = 6, h = 3, given = 3, n = 64, N = 20000;
    Rng rng;
    rng_seed(&rng, 67);
    float *p = malloc(nade_size(d, h) * sizeof *p);
    float *scr = malloc(n * nade_scratch_floats(d, h) * sizeof *scr);
    double nll[64], q[8] = {0}, count[8] = {0}, z = 0;
    int id[6] = {0, 1, 2, 3, 4, 5};
    uint8_t *all = all_configurations(d), x[6];
    random_params(p, nade_size(d, h), 2.0f, &rng);
    nade_forward_order(nll, scr, all, p, id, n, d, h);
    for (int c = 0; c < n; c++) /* top = (1, 0, 1): bits 0..2 = 5 */
        if ((c & 7) == 5) z += q[c >> 3] = exp(-nll[c]);
    for (int t = 0; t < N; t++) {
        x[0] = 1, x[1] = 0, x[2] = 1, x[3] = x[4] = x[5] = 0;
        nade_complete_order(x, scr, p, id, given, 1, d, h, &rng);
        ck_assert_msg(x[0] == 1 && x[1] == 0 && x[2] == 1,
                      "exercise 6.4 "
                      "nade_complete_order changed the given pixels "
                      "x_1 x_2 x_3 = 101 into %d%d%d",
                      x[0], x[1], x[2]);
        count[x[3] + 2 * x[4] + 4 * x[5]]++;
    }
    double chi2 = 0;
    for (int b = 0; b < 8; b++) {
        double e = N * q[b] / z;
        chi2 += (count[b] - e) * (count[b] - e) / e;
    }
    ck_assert_msg(chi2 < 24.32,
                  "exercise 6.4 nade_complete_order: "
                  "completions of x_1 x_2 x_3 = 101 do not follow "
                  "p(x_4 x_5 x_6 | 101): chi-square %.2f (7 df, 0.999 "
                  "quantile 24.32)",
                  chi2); /* fixed seed */
    free(p), free(scr), free(all);
}
END_TEST

START_TEST(test_indep_fit) {
    uint8_t x[] = {1, 0, 0, 1, 0, 0, 1, 1, 0}; /* 3 images, d = 3 */
    float logit[3];
    indep_fit(logit, x, 3, 3);
    const int on[3] = {3, 1, 0}; /* column sums */
    for (int i = 0; i < 3; i++) {
        double pi = (on[i] + 1.0) / 5.0;
        ck_assert(close_rel(sigmoid(logit[i]), pi, 1e-6));
    }
}
END_TEST

/* Parameter k of the classifier, 1-based: U_{c,k} (class c, feature
 * k), then the biases e_c. */
static void softmax_name(char *buf, size_t n, size_t k, int D, int C) {
    if (k < (size_t)C * D)
        snprintf(buf, n, "U_{%zu,%zu}", k / D + 1, k % D + 1);
    else snprintf(buf, n, "e_%zu", k - (size_t)C * D + 1);
}

START_TEST(test_softmax_gradient) {
    int N = 6, D = 5, C = 4;
    Rng rng;
    rng_seed(&rng, 68);
    size_t np = softmax_num_params(D, C);
    float *p = malloc(np * sizeof *p), *g = calloc(np, sizeof *g);
    float f[30], scr[4];
    uint8_t y[6];
    random_params(p, np, 1.0f, &rng);
    for (int i = 0; i < N * D; i++) f[i] = (float)rng_uniform(&rng);
    for (int n = 0; n < N; n++) y[n] = (uint8_t)rng_below(&rng, C);
    softmax_loss(g, NULL, scr, f, y, p, N, D, C);
    const float eps = 1e-2f;
    int wrong[2] = {0, 0};
    long first = -1;
    double first_fd = 0;
    for (size_t k = 0; k < np; k++) {
        float keep = p[k];
        p[k] = keep + eps;
        double up = softmax_loss(NULL, NULL, scr, f, y, p, N, D, C);
        p[k] = keep - eps;
        double down = softmax_loss(NULL, NULL, scr, f, y, p, N, D, C);
        p[k] = keep;
        double fd = (up - down) / (2.0 * eps);
        if (!(fabs(g[k] - fd) < 1e-3 * (1 + fabs(fd)))) {
            wrong[k >= (size_t)C * D]++;
            if (first < 0) first = (long)k, first_fd = fd;
        }
    }
    if (first >= 0) {
        char name[32];
        softmax_name(name, sizeof name, (size_t)first, D, C);
        ck_abort_msg(
            "exercise 6.5 softmax_loss: the gradient of the mean "
            "loss with respect to %s is %.6f, central "
            "differences give %.6f (1-based). Per block: U: %d "
            "of %d wrong, e: %d of %d wrong",
            name, g[first], first_fd, wrong[0], C * D, wrong[1], C);
    }
    /* a second call adds the same gradient again */
    float *g2 = calloc(np, sizeof *g2);
    softmax_loss(g2, NULL, scr, f, y, p, N, D, C);
    softmax_loss(g2, NULL, scr, f, y, p, N, D, C);
    for (size_t k = 0; k < np; k++) {
        char name[32];
        softmax_name(name, sizeof name, k, D, C);
        ck_assert_msg(
            close_rel(g2[k], 2.0 * g[k], 1e-5),
            "exercise 6.5 "
            "softmax_loss assigned instead of added: two calls "
            "leave %.6f in the gradient of %s, not twice %.6f; "
            "add (+=) into dparams",
            g2[k], name, g[k]);
    }
    free(g2);
    /* all-zero parameters: every class 1/C, loss log C */
    memset(p, 0, np * sizeof *p);
    int correct;
    double l = softmax_loss(NULL, &correct, scr, f, y, p, N, D, C);
    ck_assert(close_rel(l, log(C), 1e-12));
    free(p), free(g);
}
END_TEST

/* A NADE's own pixel order survives a checkpoint (version 2); an
 * order that is not a permutation is rejected even with a valid CRC. */
START_TEST(test_checkpoint_order) {
    char dir[64], path[128];
    tmpdir_make(dir);
    snprintf(path, sizeof path, "%s/o.ckpt", dir);
    Model m, back;
    Err e;
    Rng rng;
    rng_seed(&rng, 69);
    ck_assert_int_eq(
        model_create(&m, model_ops_by_name("nade"), 12, 3, 4, &e), 0);
    random_params(m.params, m.n_params, 1.0f, &rng);
    ck_assert_int_eq(model_random_order(&m, &rng, &e), 0);
    ck_assert_int_eq(checkpoint_save(path, &m, &e), 0);
    ck_assert_int_eq(checkpoint_load(path, MODEL_NADE, 4, &back, &e),
                     0);
    ck_assert_ptr_nonnull(back.order);
    ck_assert_int_eq(memcmp(back.order, m.order, 12 * sizeof(int)), 0);
    uint8_t x[4 * 12];
    double a[4], b[4];
    for (int i = 0; i < 48; i++)
        x[i] = (uint8_t)rng_bernoulli(&rng, .5);
    model_forward_backward(&m, NULL, 1, x, 4, a);
    model_forward_backward(&back, NULL, 1, x, 4, b);
    for (int n = 0; n < 4; n++) ck_assert(a[n] == b[n]);
    model_free(&back);
    /* the order 0, 0, ...: a repeated pixel, CRC made valid again */
    FILE *f = fopen(path, "rb");
    uint8_t buf[36 + 4 * 200 + 48];
    size_t len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    size_t ord = 36 + 4 * m.n_params;
    ck_assert_uint_eq(len, ord + 48);
    memcpy(buf + ord + 4, buf + ord, 4);
    uint32_t crc = checkpoint_crc32(buf + 36, len - 36);
    for (int k = 0; k < 4; k++) buf[32 + k] = (uint8_t)(crc >> (8 * k));
    Err e2 = {""};
    ck_assert_int_eq(
        checkpoint_parse(buf, len, "o.ckpt", 0, 1, &back, &e2), -1);
    ck_assert_ptr_nonnull(strstr(e2.msg, "not a permutation"));
    model_free(&m);
    tmpdir_remove(dir);
}
END_TEST

/* NADE's -log p(x) with each image's conditionals split into T blocks,
 * every block starting from the exclusive prefix sum at its start,
 * equals chapter 5's serial forward pass; T > d leaves blocks empty. */
START_TEST(test_blocks_equal_forward) {
    static const int ds[] = {1, 2, 5, 16, 61};
    Rng rng;
    rng_seed(&rng, 70);
    for (size_t k = 0; k < sizeof ds / sizeof ds[0]; k++) {
        int d = ds[k], h = 1 + d % 4, B = 6;
        size_t np = nade_size(d, h);
        float *p = malloc(np * sizeof *p);
        float *scr =
            malloc(B * nade_scratch_floats(d, h) * sizeof *scr);
        float *bs =
            malloc(nade_blocks_scratch_floats(d, h, 9) * sizeof *bs);
        uint8_t *x = malloc((size_t)B * d);
        double nll[6];
        random_params(p, np, 2.0f, &rng);
        for (int i = 0; i < B * d; i++) /* image 0 blank, 1 all ink */
            x[i] = i < d ? 0 : i < 2 * d ? 1 : rng_bernoulli(&rng, .4);
        nade_forward(nll, scr, x, p, B, d, h);
        for (int T = 1; T <= 9; T++)
            for (int b = 0; b < B; b++) {
                double got = nade_nll_blocks(bs, x + b * d, p, d, h, T);
                ck_assert_msg(
                    close_rel(got, nll[b], 1e-12),
                    "d = %d, "
                    "image %d, %d blocks: nll %.17g, the serial "
                    "nade_forward %.17g",
                    d, b, T, got, nll[b]);
            }
        free(p), free(scr), free(bs), free(x);
    }
}
END_TEST

/* Check your understanding: the ensemble's worst case, code lengths. */
START_TEST(test_ensemble_max_loss) {
    Rng rng;
    rng_seed(&rng, 66);
    for (int K = 1; K <= 16; K++) {
        double bound = ensemble_max_loss(K), lp[16];
        for (int r = 1; r <= 200; r++) {
            /* random members, last one member with all the probability
             */
            int extreme = r == 200;
            double best = -INFINITY;
            for (int k = 0; k < K; k++) {
                lp[k] =
                    extreme ? (k ? -1e4 : 0) : -500 * rng_uniform(&rng);
                if (lp[k] > best) best = lp[k];
            }
            long double sum = 0;
            for (int k = 0; k < K; k++)
                sum += expl((long double)(lp[k] - best));
            double loss = -(double)logl(sum / K);
            ck_assert_msg(
                loss <= bound + 1e-9,
                "exercise 6.6: ensemble_max_loss(%d) = %g is too "
                "small: some mixture of %d members falls further "
                "below its best one%s",
                K, bound, K,
                extreme ? " (think of one member with all the "
                          "probability)"
                        : "");
            ck_assert_msg(
                !extreme || bound <= loss + 1e-9,
                "exercise 6.6: ensemble_max_loss(%d) = %g is not "
                "the most a mixture can lose, it is more than "
                "the worst case, one member with all the "
                "probability",
                K, bound);
        }
    }
}
END_TEST

START_TEST(test_code_bytes) {
    const double nll[] = {0, 1, 88.33, 543.43};
    const long ns[] = {1, 1000, 10000};
    for (int a = 0; a < 4; a++)
        for (int b = 0; b < 3; b++) {
            /* bits = nats / log 2 per image */
            double want = nll[a] / log(2.0) * (double)ns[b] / 8;
            double got = code_bytes(nll[a], ns[b]);
            ck_assert_msg(
                fabs(got - want) <= 1e-9 * (1 + want),
                "exercise 6.7: code_bytes(%g nats, n = %ld) = %.6g "
                "bytes is wrong (nats to bits, then bits to bytes, "
                "for all n images)",
                nll[a], ns[b], got);
        }
}
END_TEST

static const TestSpec tests[] = {
    {"log-mean-exp: exact, and stable at -1000 and +800",
     &test_log_mean_exp},
    {"ensemble over 4 orders is normalised (d <= 9, enumeration)",
     &test_ensemble_normalised},
    {"identity order equals chapter 5's NADE bit for bit",
     &test_identity_is_chapter5},
    {"any order: probabilities sum to 1 (d <= 10)",
     &test_order_normalised},
    {"any order: forward equals the naive one-conditional-at-a-time "
     "loop",
     &test_order_naive},
    {"any order: backward adds into dparams", &test_order_adds_into},
    {"any order: gradient equals central finite differences",
     &test_order_gradient},
    {"any order: samples follow the model (chi-square)",
     &test_order_sampling},
    {"completion never changes the given pixels",
     &test_completion_keeps_given},
    {"completions follow p(bottom | top) (chi-square)",
     &test_completion_matches_conditional},
    {"independent baseline: p_i = (count + 1) / (n + 2)",
     &test_indep_fit},
    {"softmax classifier: gradient equals finite differences, adds in",
     &test_softmax_gradient},
    {"a checkpoint keeps the pixel order; a bad order is rejected",
     &test_checkpoint_order},
    {"question: the most an ensemble loses to its best member",
     &test_ensemble_max_loss},
    {"NADE evaluated in blocks from prefix sums equals the serial pass",
     &test_blocks_equal_forward},
    {"question: the code length of a data set", &test_code_bytes},
};

const TestSuiteSpec SUITE = {"ch06", tests, N_TESTS(tests)};
