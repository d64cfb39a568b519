/* test_ch07.c - chapter 7: MADE, its masks, the one-pass forward and
 * backward, sampling and the ensemble of masks. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkpoint.h"
#include "made.h"
#include "mathx.h"
#include "model.h"
#include "runner.h"

/* A MADE with parameters uniform in +-scale and K masks drawn from
 * seed (random orders unless raster). */
static void made_model(Model *m, int d, int h, int K, int random_order,
                       float scale, uint64_t seed) {
    Err e;
    ck_assert_int_eq(model_create(m, model_ops_by_name("made"), d, h, 64,
                                  &e), 0);
    ck_assert_msg(model_set_masks(m, K, random_order, seed, &e) == 0, "%s",
                  e.msg);
    Rng rng;
    rng_seed(&rng, seed + 1);
    for (size_t k = 0; k < m->n_params; k++)
        m->params[k] = scale * (float)(2 * rng_uniform(&rng) - 1);
}

/* "pixel 3 (place 5)" for messages */
static const char *pixel(char *buf, size_t n, const MadeMask *mk, int i) {
    snprintf(buf, n, "pixel %d (place %d in the order)", i + 1, mk->pos[i]);
    return buf;
}

START_TEST(test_param_count) {
    const int dh[][2] = {{1, 1}, {3, 2}, {10, 7}, {784, 500}};
    for (int t = 0; t < 4; t++) {
        int d = dh[t][0], h = dh[t][1];
        size_t n = model_ops_by_name("made")->num_params(d, h);
        ck_assert_uint_eq(n, 2 * (size_t)d * h + h + d);
        float *buf = malloc(n * sizeof *buf);
        MadeParams p;
        nade_point(&p, buf, d, h);
        /* W, c, V, b tile the buffer in that order */
        ck_assert_ptr_eq(p.c, p.W + (size_t)d * h);
        ck_assert_ptr_eq(p.V, p.c + h);
        ck_assert_ptr_eq(p.b + d, buf + n);
        free(buf);
    }
}
END_TEST

//> test-made-blocks
/* Your cuts against the rules themselves, unit by unit. */
static void check_cuts(const MadeMask *mk, int d, int h) {
    for (int j = 0; j < d; j++)
        for (int k = 0; k < h; k++) {
            int feeds = mk->deg[k] >= mk->pos[j]; /* M_{k,j} */
            char px[64];
            ck_assert_msg(feeds == (k >= mk->cut[j]),
                          "exercise 7.1 made_mask_blocks: d = %d, h = "
                          "%d: unit %d has degree m = %d and %s, so "
                          "M_{k,j} = [m >= pos_j] = %d, but cut = %d "
                          "says input j %s it", d, h, k + 1,
                          mk->deg[k], pixel(px, sizeof px, mk, j),
                          feeds, mk->cut[j],
                          feeds ? "does not feed" : "feeds");
        }
}

START_TEST(test_mask_blocks) {
    const int dh[][2] = {{2, 1}, {5, 3}, {9, 20}, {30, 7}, {784, 50}};
    for (int t = 0; t < 5; t++)
        for (int r = 0; r < 2; r++) { /* raster, then a random order */
            Model m;
            made_model(&m, dh[t][0], dh[t][1], 1, r, 1.0f, 70 + t);
            check_cuts(&m.masks[0], dh[t][0], dh[t][1]);
            model_free(&m);
        }
}
END_TEST
//< test-made-blocks

//> test-made-autoregressive
/* p(x_i = 1 | ...) of every pixel for image x (d <= 8): forward
 * leaves sigma(logit) - x in the scratch. */
static void conditionals(Model *m, const uint8_t *x, float *p) {
    double nll;
    m->ops->forward(m, &nll, m->scratch, x, 1);
    for (int i = 0; i < m->d; i++) p[i] = m->scratch[i] + x[i];
}

/* Flipping x_j changes no conditional that comes before j in the
 * order: exhaustively over every image, for several orders and degree
 * draws. */
START_TEST(test_autoregressive) {
    for (int d = 2; d <= 8; d++)
        for (int r = 0; r < 3; r++) {
            Model m;
            made_model(&m, d, 3 + d, 1, r > 0, 1.5f, 80 + 3 * d + r);
            const MadeMask *mk = &m.masks[0];
            for (int img = 0; img < 1 << d; img++)
                for (int j = 0; j < d; j++) {
                    uint8_t x[2][8];
                    float p[2][8];
                    for (int i = 0; i < d; i++)
                        x[0][i] = x[1][i] = (uint8_t)((img >> i) & 1);
                    x[1][j] ^= 1;
                    conditionals(&m, x[0], p[0]);
                    conditionals(&m, x[1], p[1]);
                    for (int i = 0; i < d; i++) {
                        if (mk->pos[i] > mk->pos[j]) continue;
                        char pi[64], pj[64];
                        /* the same up to rounding (g + x) */
                        ck_assert_msg(
                            fabsf(p[0][i] - p[1][i]) < 1e-6f,
                            "exercises 7.1-7.2: d = %d: flipping %s "
                            "changed p(x_i = 1 | ...) of %s from %g "
                            "to %g: a conditional saw an input at or "
                            "after its own place (output i reads units "
                            "with m < pos_i, input j feeds m >= pos_j)",
                            d, pixel(pj, sizeof pj, mk, j),
                            pixel(pi, sizeof pi, mk, i), p[0][i],
                            p[1][i]);
                    }
                }
            model_free(&m);
        }
}
END_TEST
//< test-made-autoregressive

/* With every degree 1..d-1 present, every conditional depends on every
 * input before it: a mask rule off by one leaves pairs unconnected. */
START_TEST(test_connected) {
    for (int d = 2; d <= 9; d++) {
        int h = 2 * (d - 1);
        Model m;
        made_model(&m, d, h, 1, 1, 1.0f, 90 + d);
        MadeMask *mk = &m.masks[0];
        for (int k = 0; k < h; k++) mk->deg[k] = 1 + k / 2; /* 1 1 2 2 */
        made_mask_blocks(mk, d, h);
        MadeParams p;
        nade_point(&p, m.params, d, h);
        for (int k = 0; k < h; k++) p.c[k] = 0.5f; /* every unit on */
        for (size_t k = 0; k < (size_t)d * h; k++)
            p.W[k] = fabsf(p.W[k]) + 0.1f;
        uint8_t x[2][9] = {{0}};
        for (int j = 0; j < d; j++) {
            memset(x, 0, sizeof x);
            x[1][j] = 1;
            float q[2][9];
            double nll;
            for (int v = 0; v < 2; v++) {
                m.ops->forward(&m, &nll, m.scratch, x[v], 1);
                for (int i = 0; i < d; i++) q[v][i] = m.scratch[i] + x[v][i];
            }
            for (int i = 0; i < d; i++) {
                if (mk->pos[i] <= mk->pos[j]) continue;
                char pi[64], pj[64];
                ck_assert_msg(q[0][i] != q[1][i],
                              "exercises 7.1-7.2: d = %d, every degree "
                              "1..%d present: %s never reaches the "
                              "conditional of %s, which comes after it "
                              "(input j feeds the units with m >= pos_j, "
                              "not m > pos_j)", d, d - 1,
                              pixel(pj, sizeof pj, mk, j),
                              pixel(pi, sizeof pi, mk, i));
            }
        }
        model_free(&m);
    }
}
END_TEST

/* The dense masked pass of the definition, in double: M and M' from the
 * rules, every weight multiplied by its mask entry. */
static double dense_nll(double *logit, const Model *m, const MadeMask *mk,
                        const uint8_t *x) {
    int d = m->d, h = m->h;
    MadeParams p;
    nade_point(&p, m->params, d, h);
    double u[64], nll = 0;
    for (int k = 0; k < h; k++) {
        double a = p.c[k];
        for (int j = 0; j < d; j++)
            a += (mk->deg[k] >= mk->pos[j]) * p.W[(size_t)j * h + k] * x[j];
        u[k] = a > 0 ? a : 0;
    }
    for (int i = 0; i < d; i++) {
        double a = p.b[i];
        for (int k = 0; k < h; k++)
            a += (mk->pos[i] > mk->deg[k]) * p.V[(size_t)i * h + k] * u[k];
        logit[i] = a;
        nll -= log_bernoulli_logit(x[i], a);
    }
    return nll;
}

START_TEST(test_fast_equals_dense) {
    const int dh[][2] = {{1, 1}, {4, 3}, {12, 40}, {60, 17}};
    Rng rng;
    rng_seed(&rng, 95);
    for (int t = 0; t < 4; t++)
        for (int r = 0; r < 2; r++) {
            int d = dh[t][0], h = dh[t][1], B = 9;
            Model m;
            made_model(&m, d, h, 1, r, 0.7f, 96 + t);
            uint8_t *x = malloc((size_t)B * d);
            for (int i = 0; i < B * d; i++)
                x[i] = (uint8_t)rng_bernoulli(&rng, 0.3);
            double nll[9], logit[60];
            m.ops->forward(&m, nll, m.scratch, x, B);
            for (int n = 0; n < B; n++) {
                const uint8_t *xn = x + (size_t)n * d;
                double want = dense_nll(logit, &m, &m.masks[0], xn);
                const float *g = m.scratch + n * m.scratch_per_example;
                for (int i = 0; i < d; i++) {
                    double gi = sigmoid(logit[i]) - xn[i];
                    ck_assert_msg(fabs(g[i] - gi) < 1e-5,
                                  "exercise 7.2 made_forward: d = %d, h = "
                                  "%d, image %d: conditional %d leaves "
                                  "sigma(logit) - x = %g, the dense masked "
                                  "pass of the definition %g", d, h, n + 1,
                                  i + 1, g[i], gi);
                }
                ck_assert_msg(close_rel(nll[n], want, 1e-5),
                              "exercise 7.2 made_forward: d = %d, image "
                              "%d: NLL %.9g, the dense masked pass %.9g",
                              d, n + 1, nll[n], want);
            }
            free(x);
            model_free(&m);
        }
}
END_TEST

START_TEST(test_normalised) {
    check_model_normalised("made", 10, 1.5f, 97);
    check_model_normalised("made:shuffled", 10, 1.5f, 98);
}
END_TEST

/* ReLU has a kink at 0: the step is small (1e-3) and the images few
 * enough that no pre-activation lies within a step of it. */
START_TEST(test_gradient) {
    check_model_gradient("made", 6, 5, 3, 1.0f, 1e-3f, 2e-3, 99);
    check_model_gradient("made:shuffled", 6, 6, 3, 1.0f, 1e-3f, 2e-3, 100);
}
END_TEST

START_TEST(test_adds_into) {
    check_model_adds_into("made", 7, 4, 1.0f, 101);
}
END_TEST

START_TEST(test_sampling) {
    check_model_sampling("made", 3, 2.0f, 102);
    for (int r = 0; r < 4; r++) /* four random orders */
        check_model_sampling("made:shuffled", 6, 3.0f, 103 + r);
}
END_TEST

/* Completion: the pixels at the first `given` places stay, and the rest
 * are drawn (some of them change). */
START_TEST(test_completion_keeps_given) {
    int d = 30, h = 12, n = 40;
    Rng rng;
    rng_seed(&rng, 108);
    for (int r = 0; r < 2; r++) {
        Model m;
        made_model(&m, d, h, 1, r, 2.0f, 109 + r);
        const MadeMask *mk = &m.masks[0];
        uint8_t x[30], keep[30];
        int changed = 0;
        for (int s = 0; s < n; s++) {
            int given = (int)rng_below(&rng, (uint64_t)d + 1);
            for (int i = 0; i < d; i++)
                keep[i] = x[i] = (uint8_t)rng_bernoulli(&rng, 0.5);
            made_sample(x, m.scratch, m.params, mk, given, 1, d, h, &rng);
            for (int i = 0; i < d; i++) {
                char px[64];
                if (mk->pos[i] <= given)
                    ck_assert_msg(x[i] == keep[i], "exercise 7.4 "
                                  "made_sample: with %d places given, "
                                  "%s changed from %d to %d", given,
                                  pixel(px, sizeof px, mk, i), keep[i],
                                  x[i]);
                else changed += x[i] != keep[i];
            }
        }
        ck_assert_msg(changed > 0, "exercise 7.4 made_sample: no pixel "
                      "after the given places was ever drawn");
        model_free(&m);
    }
}
END_TEST

/* n samples in one call are n calls of one: each starts afresh. */
START_TEST(test_sample_batch) {
    enum { D = 16, H = 40, N = 10 };
    int d = D, h = H, n = N;
    Model m;
    made_model(&m, d, h, 1, 1, 1.0f, 110);
    uint8_t one[N * D], many[N * D];
    Rng a, b;
    rng_seed(&a, 111);
    rng_seed(&b, 111);
    for (int s = 0; s < n; s++)
        made_sample(one + s * d, m.scratch, m.params, &m.masks[0], 0, 1, d,
                    h, &a);
    made_sample(many, m.scratch, m.params, &m.masks[0], 0, n, d, h, &b);
    for (int s = 0; s < n; s++)
        ck_assert_msg(!memcmp(one + s * d, many + s * d, (size_t)d),
                      "exercise 7.4 made_sample: sample %d of a call for "
                      "%d differs from a call for 1 with the same random "
                      "numbers: does each sample start afresh at a = c?",
                      s + 1, n);
    model_free(&m);
}
END_TEST

/* The ensemble of K masks: -log of the mean of the masks'
 * probabilities, and a distribution (sums to 1 over {0,1}^d). */
START_TEST(test_ensemble) {
    int d = 8, h = 9, K = 4, n = 1 << d;
    Model m;
    made_model(&m, d, h, K, 1, 1.5f, 104);
    ck_assert_int_eq(m.mask, -1); /* a new model of K masks: all */
    uint8_t *x = malloc((size_t)n * d);
    for (int k = 0; k < n; k++)
        for (int i = 0; i < d; i++) x[k * d + i] = (uint8_t)((k >> i) & 1);
    double *ens = malloc((size_t)n * sizeof *ens), total = 0;
    model_example_nll(&m, x, (size_t)n, ens);
    for (int k = 0; k < n; k++) total += exp(-ens[k]);
    ck_assert_msg(fabs(total - 1) < 1e-9, "exercises 7.1-7.2: the ensemble "
                  "of %d masks (random orders) sums to %.15f over the %d "
                  "images, not 1: does every mask's forward pass give a "
                  "normalised model?", K, total, n);
    for (int img = 0; img < n; img += 37) {
        double lp[4];
        for (int k = 0; k < K; k++) {
            m.mask = k;
            double one;
            m.ops->forward(&m, &one, m.scratch, x + img * d, 1);
            lp[k] = -one;
        }
        double top = fmax(fmax(lp[0], lp[1]), fmax(lp[2], lp[3])), sum = 0;
        for (int k = 0; k < K; k++) sum += exp(lp[k] - top);
        double want = -(top + log(sum / K));
        ck_assert_msg(fabs(ens[img] - want) < 1e-9, "exercise 7.2 "
                      "made_forward: image %d: the ensemble's NLL %.9g is "
                      "not -log of the mean of the %d masks' probabilities "
                      "%.9g: is the pass the same for a batch and for one "
                      "image?", img, ens[img], K, want);
    }
    free(x);
    free(ens);
    model_free(&m);
}
END_TEST

START_TEST(test_checkpoint_masks) {
    char dir[64], path[128];
    tmpdir_make(dir);
    Model m, back;
    Err e;
    made_model(&m, 30, 9, 3, 1, 1.0f, 105);
    snprintf(path, sizeof path, "%s/made.ckpt", dir);
    ck_assert_int_eq(checkpoint_save(path, &m, &e), 0);
    ck_assert_msg(checkpoint_load(path, MODEL_MADE, 4, &back, &e) == 0,
                  "%s", e.msg);
    ck_assert_int_eq(back.n_masks, 3);
    ck_assert_int_eq(back.mask, -1);
    for (int k = 0; k < 3; k++) {
        ck_assert(!memcmp(back.masks[k].order, m.masks[k].order,
                          30 * sizeof(int)));
        ck_assert(!memcmp(back.masks[k].deg, m.masks[k].deg,
                          9 * sizeof(int)));
        ck_assert(!memcmp(back.masks[k].cut, m.masks[k].cut,
                          30 * sizeof(int)));
    }
    ck_assert(!memcmp(back.params, m.params, m.n_params * sizeof(float)));
    model_free(&back);
    model_free(&m);
    tmpdir_remove(dir);
}
END_TEST

/* A random order and sorted random degrees, without made_mask_blocks. */
static void random_mask(int *pos, int *deg, int d, int h, Rng *rng) {
    for (int i = 0; i < d; i++) pos[i] = i + 1;
    for (int i = d - 1; i > 0; i--) { /* Fisher-Yates */
        int j = (int)rng_below(rng, (uint64_t)i + 1), t = pos[i];
        pos[i] = pos[j];
        pos[j] = t;
    }
    int top = d > 1 ? d - 1 : 1;
    for (int k = 0; k < h; k++) deg[k] = 1 + (int)rng_below(rng, top);
    for (int k = 1; k < h; k++) /* insertion sort */
        for (int q = k; q > 0 && deg[q - 1] > deg[q]; q--) {
            int t = deg[q];
            deg[q] = deg[q - 1];
            deg[q - 1] = t;
        }
}

START_TEST(test_kept_weights) {
    Rng rng;
    rng_seed(&rng, 106);
    const int dh[][2] = {{2, 1}, {7, 3}, {40, 100}, {784, 500}};
    int *pos = malloc(784 * sizeof *pos), *deg = malloc(500 * sizeof *deg);
    for (int t = 0; t < 4; t++)
        for (int r = 0; r < 3; r++) {
            int d = dh[t][0], h = dh[t][1];
            random_mask(pos, deg, d, h, &rng);
            size_t kept = 0;
            for (int j = 0; j < d; j++)
                for (int u = 0; u < h; u++)
                    kept += (deg[u] >= pos[j]) + (pos[j] > deg[u]);
            size_t got = made_kept_weights(d, h);
            ck_assert_msg(got == kept,
                          "exercise 7.5: made_kept_weights(d = %d, h = %d) "
                          "= %zu, but a random mask keeps %zu of the %zu "
                          "weights of W and V", d, h, got, kept,
                          2 * (size_t)d * h);
        }
    free(pos);
    free(deg);
}
END_TEST

static const TestSpec tests[] = {
    {"parameter count 2dh + h + d = allocated buffer", &test_param_count},
    {"mask blocks follow the rules m_k >= pos_j and pos_i > m_k",
     &test_mask_blocks},
    {"flipping x_j leaves every conditional up to j unchanged",
     &test_autoregressive},
    {"every degree present: each conditional sees every input before it",
     &test_connected},
    {"fast pass equals the dense masked pass of the definition",
     &test_fast_equals_dense},
    {"probabilities of all 2^d configurations sum to 1 (d <= 10)",
     &test_normalised},
    {"gradient equals central finite differences", &test_gradient},
    {"backward adds into dparams (twice the batch, twice the gradient)",
     &test_adds_into},
    {"ancestral samples follow the model (chi-square)", &test_sampling},
    {"n samples in one call equal n calls of one sample",
     &test_sample_batch},
    {"completion keeps the pixels at the given places",
     &test_completion_keeps_given},
    {"ensemble of masks: log-mean-exp, sums to 1", &test_ensemble},
    {"checkpoint round trip keeps the masks", &test_checkpoint_masks},
    {"question: the weights a mask keeps", &test_kept_weights},
};

const TestSuiteSpec SUITE = {"ch07", tests, N_TESTS(tests)};
