/* test_ch07.c - chapter 7: MADE, its masks, the one-pass forward and
 * backward, sampling and the ensemble of masks. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkpoint.h"
#include "made.h"
#include "made2.h"
#include "mathx.h"
#include "model.h"
#include "runner.h"

/* A MADE with parameters uniform in +-scale and K masks drawn from
 * seed (random orders unless raster); h2 > 0: a second hidden layer. */
static void made_model2(Model *m, int d, int h, int h2, int K,
                        int random_order, float scale, uint64_t seed) {
    Err e;
    ck_assert_int_eq(
        model_create2(m, model_ops_by_name("made"), d, h, h2, 64, &e),
        0);
    ck_assert_msg(model_set_masks(m, K, random_order, seed, &e) == 0,
                  "%s", e.msg);
    Rng rng;
    rng_seed(&rng, seed + 1);
    for (size_t k = 0; k < m->n_params; k++)
        m->params[k] = scale * (float)(2 * rng_uniform(&rng) - 1);
}
static void made_model(Model *m, int d, int h, int K, int random_order,
                       float scale, uint64_t seed) {
    made_model2(m, d, h, 0, K, random_order, scale, seed);
}

/* "pixel 3 (place 5)" for messages */
static const char *pixel(char *buf, size_t n, const MadeMask *mk,
                         int i) {
    snprintf(buf, n, "pixel %d (place %d in the order)", i + 1,
             mk->pos[i]);
    return buf;
}

START_TEST(test_param_count) {
    const int dh[][2] = {{1, 1}, {3, 2}, {10, 7}, {784, 500}};
    for (int t = 0; t < 4; t++) {
        int d = dh[t][0], h = dh[t][1];
        size_t n = model_ops_by_name("made")->num_params(d, h, 0);
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
            ck_assert_msg(
                feeds == (k >= mk->cut[j]),
                "exercise 7.1 made_mask_blocks: d = %d, h = "
                "%d: unit %d has degree m = %d and %s, so "
                "M_{k,j} = [m >= pos_j] = %d, but cut = %d "
                "says that pixel %s it",
                d, h, k + 1, mk->deg[k], pixel(px, sizeof px, mk, j),
                feeds, mk->cut[j], feeds ? "does not feed" : "feeds");
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
 * draws (h2 > 0: with a second layer of h2 + d units). */
static void check_autoregressive(int h2, const char *who) {
    for (int d = 2; d <= 8; d++)
        for (int r = 0; r < 3; r++) {
            Model m;
            made_model2(&m, d, 3 + d, h2 ? h2 + d : 0, 1, r > 0, 1.5f,
                        80 + 3 * d + r);
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
                            "%s: d = %d: flipping %s "
                            "changed p(x_i = 1 | ...) of %s from %g "
                            "to %g: a conditional saw an input at or "
                            "after its own place (output i reads units "
                            "with m < pos_i, input j feeds m >= pos_j)",
                            who, d, pixel(pj, sizeof pj, mk, j),
                            pixel(pi, sizeof pi, mk, i), p[0][i],
                            p[1][i]);
                    }
                }
            model_free(&m);
        }
}

START_TEST(test_autoregressive) {
    check_autoregressive(0, "exercises 7.1-7.2");
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
        for (int k = 0; k < h; k++)
            mk->deg[k] = 1 + k / 2; /* 1 1 2 2 */
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
                for (int i = 0; i < d; i++)
                    q[v][i] = m.scratch[i] + x[v][i];
            }
            for (int i = 0; i < d; i++) {
                if (mk->pos[i] <= mk->pos[j]) continue;
                char pi[64], pj[64];
                ck_assert_msg(
                    q[0][i] != q[1][i],
                    "exercises 7.1-7.2: d = %d, every degree "
                    "1..%d present: %s never reaches the "
                    "conditional of %s, which comes after it "
                    "(input j feeds the units with m >= pos_j, "
                    "not m > pos_j)",
                    d, d - 1, pixel(pj, sizeof pj, mk, j),
                    pixel(pi, sizeof pi, mk, i));
            }
        }
        model_free(&m);
    }
}
END_TEST

/* The dense masked pass of the definition, in double: M and M' from the
 * rules, every weight multiplied by its mask entry. */
static double dense_nll(double *logit, const Model *m,
                        const MadeMask *mk, const uint8_t *x) {
    int d = m->d, h = m->h;
    MadeParams p;
    nade_point(&p, m->params, d, h);
    double u[64], nll = 0;
    for (int k = 0; k < h; k++) {
        double a = p.c[k];
        for (int j = 0; j < d; j++)
            a += (mk->deg[k] >= mk->pos[j]) * p.W[(size_t)j * h + k] *
                 x[j];
        u[k] = a > 0 ? a : 0;
    }
    for (int i = 0; i < d; i++) {
        double a = p.b[i];
        for (int k = 0; k < h; k++)
            a += (mk->pos[i] > mk->deg[k]) * p.V[(size_t)i * h + k] *
                 u[k];
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
                    ck_assert_msg(
                        fabs(g[i] - gi) < 1e-5,
                        "exercise 7.2 made_forward (on your 7.1 "
                        "cuts): d = %d, h = %d, image %d: "
                        "conditional %d leaves "
                        "sigma(logit) - x = %g, the dense masked "
                        "pass of the definition %g",
                        d, h, n + 1, i + 1, g[i], gi);
                }
                ck_assert_msg(close_rel(nll[n], want, 1e-5),
                              "exercise 7.2 made_forward (on your 7.1 "
                              "cuts): d = %d, image %d: NLL %.9g, the "
                              "dense masked pass %.9g",
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
    check_model_gradient("made:shuffled", 6, 6, 3, 1.0f, 1e-3f, 2e-3,
                         100);
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
            made_sample(x, m.scratch, m.params, mk, given, 1, d, h,
                        &rng);
            for (int i = 0; i < d; i++) {
                char px[64];
                if (mk->pos[i] <= given)
                    ck_assert_msg(x[i] == keep[i],
                                  "exercise 7.4 "
                                  "made_sample: with %d places given, "
                                  "%s changed from %d to %d",
                                  given, pixel(px, sizeof px, mk, i),
                                  keep[i], x[i]);
                else changed += x[i] != keep[i];
            }
        }
        ck_assert_msg(changed > 0,
                      "exercise 7.4 made_sample: no pixel "
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
        made_sample(one + s * d, m.scratch, m.params, &m.masks[0], 0, 1,
                    d, h, &a);
    made_sample(many, m.scratch, m.params, &m.masks[0], 0, n, d, h, &b);
    for (int s = 0; s < n; s++)
        ck_assert_msg(
            !memcmp(one + s * d, many + s * d, (size_t)d),
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
        for (int i = 0; i < d; i++)
            x[k * d + i] = (uint8_t)((k >> i) & 1);
    double *ens = malloc((size_t)n * sizeof *ens), total = 0;
    model_example_nll(&m, x, (size_t)n, ens);
    for (int k = 0; k < n; k++) total += exp(-ens[k]);
    ck_assert_msg(
        fabs(total - 1) < 1e-9,
        "exercises 7.1-7.2: the ensemble "
        "of %d masks (random orders) sums to %.15f over the %d "
        "images, not 1: does every mask's forward pass give a "
        "normalised model?",
        K, total, n);
    for (int img = 0; img < n; img += 37) {
        double lp[4];
        for (int k = 0; k < K; k++) {
            m.mask = k;
            double one;
            m.ops->forward(&m, &one, m.scratch, x + img * d, 1);
            lp[k] = -one;
        }
        double top = fmax(fmax(lp[0], lp[1]), fmax(lp[2], lp[3])),
               sum = 0;
        for (int k = 0; k < K; k++) sum += exp(lp[k] - top);
        double want = -(top + log(sum / K));
        ck_assert_msg(
            fabs(ens[img] - want) < 1e-9,
            "exercise 7.2 "
            "made_forward: image %d: the ensemble's NLL %.9g is "
            "not -log of the mean of the %d masks' probabilities "
            "%.9g: is the pass the same for a batch and for one "
            "image?",
            img, ens[img], K, want);
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
    ck_assert(
        !memcmp(back.params, m.params, m.n_params * sizeof(float)));
    model_free(&back);
    model_free(&m);
    tmpdir_remove(dir);
}
END_TEST

/* A random order and sorted random degrees, without made_mask_blocks.
 */
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
    int *pos = malloc(784 * sizeof *pos),
        *deg = malloc(500 * sizeof *deg);
    for (int t = 0; t < 4; t++)
        for (int r = 0; r < 3; r++) {
            int d = dh[t][0], h = dh[t][1];
            random_mask(pos, deg, d, h, &rng);
            size_t kept = 0;
            for (int j = 0; j < d; j++)
                for (int u = 0; u < h; u++)
                    kept += (deg[u] >= pos[j]) + (pos[j] > deg[u]);
            size_t got = made_kept_weights(d, h);
            ck_assert_msg(
                got == kept,
                "exercise 7.5: made_kept_weights(d = %d, h = %d) "
                "= %zu, but a random mask keeps %zu of the %zu "
                "weights of W and V",
                d, h, got, kept, 2 * (size_t)d * h);
        }
    free(pos);
    free(deg);
}
END_TEST

/* --- two hidden layers (made2.c, the library's; exercise 7.1 inside)
 */

START_TEST(test2_param_count) {
    const int dhh[][3] = {
        {1, 1, 1}, {3, 2, 4}, {10, 7, 5}, {784, 500, 500}};
    for (int t = 0; t < 4; t++) {
        int d = dhh[t][0], h = dhh[t][1], h2 = dhh[t][2];
        Model m;
        Err e;
        ck_assert_int_eq(model_create2(&m, model_ops_by_name("made"), d,
                                       h, h2, 1, &e),
                         0);
        size_t D = (size_t)d, H = (size_t)h, H2 = (size_t)h2;
        size_t want = D * H + H + H2 * H + H2 + D * H2 + D;
        ck_assert_msg(
            m.n_params == want,
            "two layers: d = %d, h = %d, h2 = "
            "%d: %zu parameters allocated, but dh + h + h2 h + h2 "
            "+ d h2 + d = %zu",
            d, h, h2, m.n_params, want);
        Made2Params p;
        made2_point(&p, m.params, d, h, h2);
        ck_assert_ptr_eq(p.c, p.W + D * H);
        ck_assert_ptr_eq(p.W2, p.c + H);
        ck_assert_ptr_eq(p.c2, p.W2 + H2 * H);
        ck_assert_ptr_eq(p.V, p.c2 + H2);
        ck_assert_ptr_eq(p.b + d, m.params + m.n_params);
        model_free(&m);
    }
}
END_TEST

/* The second layer's degrees lie in m_1..d-1, sorted, and its blocks
 * follow M2_{k',k} = [n_k' >= m_k] and M'_{i,k'} = [pos_i > n_k']. */
START_TEST(test2_blocks) {
    const int dhh[][3] = {
        {2, 1, 1}, {5, 3, 4}, {9, 20, 6}, {60, 7, 30}};
    for (int t = 0; t < 4; t++)
        for (int r = 0; r < 2; r++) {
            int d = dhh[t][0], h = dhh[t][1], h2 = dhh[t][2];
            Model m;
            made_model2(&m, d, h, h2, 3, r, 1.0f, 120 + t);
            for (int q = 0; q < 3; q++) {
                const MadeMask *mk = &m.masks[q];
                const MadeLayer2 *l2 = &m.layer2[q];
                for (int k2 = 0; k2 < h2; k2++) {
                    int n = l2->deg[k2];
                    ck_assert_msg(
                        n >= mk->deg[0] && n <= (d > 1 ? d - 1 : 1) &&
                            (k2 == 0 || n >= l2->deg[k2 - 1]),
                        "d = %d: second-layer degree %d of unit "
                        "%d is not in m_1 = %d..d-1 or not "
                        "sorted",
                        d, n, k2 + 1, mk->deg[0]);
                    for (int k = 0; k < h; k++)
                        ck_assert_msg(
                            (mk->deg[k] <= n) == (k < l2->cut[k2]),
                            "d = %d: unit %d of layer 2 (n = %d) "
                            "and unit %d of layer 1 (m = %d): "
                            "M2 = %d, but cut = %d",
                            d, k2 + 1, n, k + 1, mk->deg[k],
                            mk->deg[k] <= n, l2->cut[k2]);
                    for (int i = 0; i < d; i++)
                        ck_assert_msg(
                            (mk->pos[i] > n) == (k2 < l2->out[i]),
                            "d = %d: output %d (place %d) and "
                            "unit %d of layer 2 (n = %d): out = "
                            "%d",
                            d, i + 1, mk->pos[i], k2 + 1, n,
                            l2->out[i]);
                }
            }
            model_free(&m);
        }
}
END_TEST

START_TEST(test2_autoregressive) {
    check_autoregressive(1,
                         "two-layer MADE (made2.c, your exercise 7.1)");
}
END_TEST

/* The two-layer dense masked pass of the definition, in double. */
static double dense_nll2(const Model *m, int q, const uint8_t *x) {
    int d = m->d, h = m->h, h2 = m->h2;
    const MadeMask *mk = &m->masks[q];
    const MadeLayer2 *l2 = &m->layer2[q];
    Made2Params p;
    made2_point(&p, m->params, d, h, h2);
    double u[64], u2[64], nll = 0;
    for (int k = 0; k < h; k++) {
        double a = p.c[k];
        for (int j = 0; j < d; j++)
            a += (mk->deg[k] >= mk->pos[j]) * p.W[(size_t)j * h + k] *
                 x[j];
        u[k] = a > 0 ? a : 0;
    }
    for (int k2 = 0; k2 < h2; k2++) {
        double a = p.c2[k2];
        for (int k = 0; k < h; k++)
            a += (l2->deg[k2] >= mk->deg[k]) *
                 p.W2[(size_t)k2 * h + k] * u[k];
        u2[k2] = a > 0 ? a : 0;
    }
    for (int i = 0; i < d; i++) {
        double a = p.b[i];
        for (int k2 = 0; k2 < h2; k2++)
            a += (mk->pos[i] > l2->deg[k2]) * p.V[(size_t)i * h2 + k2] *
                 u2[k2];
        nll -= log_bernoulli_logit(x[i], a);
    }
    return nll;
}

START_TEST(test2_fast_equals_dense) {
    const int dhh[][3] = {
        {1, 1, 1}, {4, 3, 5}, {12, 40, 30}, {60, 17, 64}};
    Rng rng;
    rng_seed(&rng, 125);
    for (int t = 0; t < 4; t++)
        for (int r = 0; r < 2; r++) {
            int d = dhh[t][0], B = 9;
            Model m;
            made_model2(&m, d, dhh[t][1], dhh[t][2], 1, r, 0.7f,
                        126 + t);
            uint8_t *x = malloc((size_t)B * d);
            for (int i = 0; i < B * d; i++)
                x[i] = (uint8_t)rng_bernoulli(&rng, 0.3);
            double nll[9];
            m.ops->forward(&m, nll, m.scratch, x, B);
            for (int n = 0; n < B; n++) {
                double want = dense_nll2(&m, 0, x + (size_t)n * d);
                ck_assert_msg(
                    close_rel(nll[n], want, 1e-5),
                    "made2_forward (the library's, on your "
                    "exercise 7.1 cuts): d = %d, image %d: NLL "
                    "%.9g, the dense masked pass %.9g",
                    d, n + 1, nll[n], want);
            }
            free(x);
            model_free(&m);
        }
}
END_TEST

START_TEST(test2_normalised) {
    check_model_normalised("made2", 10, 1.5f, 127);
    check_model_normalised("made2:shuffled", 10, 1.5f, 128);
}
END_TEST

START_TEST(test2_gradient) {
    check_model_gradient("made2", 6, 5, 3, 1.0f, 1e-3f, 2e-3, 129);
    check_model_gradient("made2:shuffled", 6, 6, 3, 1.0f, 1e-3f, 2e-3,
                         130);
}
END_TEST

START_TEST(test2_adds_into) {
    check_model_adds_into("made2", 7, 4, 1.0f, 131);
}
END_TEST

START_TEST(test2_sampling) {
    check_model_sampling("made2", 3, 2.0f, 132);
    for (int r = 0; r < 3; r++)
        check_model_sampling("made2:shuffled", 6, 3.0f, 133 + r);
}
END_TEST

/* Two layers, K masks: the ensemble sums to 1, and the checkpoint
 * keeps the second layer's degrees (version 4). */
START_TEST(test2_ensemble_checkpoint) {
    int d = 8, h = 9, h2 = 11, K = 3, n = 1 << d;
    Model m, back;
    Err e;
    made_model2(&m, d, h, h2, K, 1, 1.5f, 136);
    uint8_t *x = malloc((size_t)n * d);
    for (int k = 0; k < n; k++)
        for (int i = 0; i < d; i++)
            x[k * d + i] = (uint8_t)((k >> i) & 1);
    double *ens = malloc((size_t)n * sizeof *ens), total = 0;
    model_example_nll(&m, x, (size_t)n, ens);
    for (int k = 0; k < n; k++) total += exp(-ens[k]);
    ck_assert_msg(fabs(total - 1) < 1e-9,
                  "two layers, %d masks: the "
                  "ensemble sums to %.15f over the %d images, not 1",
                  K, total, n);
    char dir[64], path[128];
    tmpdir_make(dir);
    snprintf(path, sizeof path, "%s/made2.ckpt", dir);
    ck_assert_int_eq(checkpoint_save(path, &m, &e), 0);
    ck_assert_msg(checkpoint_load(path, MODEL_MADE, 4, &back, &e) == 0,
                  "%s", e.msg);
    ck_assert_int_eq(back.h2, h2);
    ck_assert_int_eq(back.n_masks, K);
    for (int k = 0; k < K; k++) {
        ck_assert(!memcmp(back.layer2[k].deg, m.layer2[k].deg,
                          (size_t)h2 * sizeof(int)));
        ck_assert(!memcmp(back.layer2[k].cut, m.layer2[k].cut,
                          (size_t)h2 * sizeof(int)));
        ck_assert(!memcmp(back.layer2[k].out, m.layer2[k].out,
                          (size_t)d * sizeof(int)));
    }
    double *again = malloc((size_t)n * sizeof *again);
    model_example_nll(&back, x, (size_t)n, again);
    for (int k = 0; k < n; k++) ck_assert(again[k] == ens[k]);
    /* a second-layer degree below m_1, with a CRC that fits, is refused
     * by name */
    size_t len = CKPT_HEADER_BYTES + 4 * m.n_params + 20 +
                 4 * (size_t)K * (d + h + h2);
    uint8_t *buf = malloc(len);
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fread(buf, 1, len, f), len);
    fclose(f);
    memset(buf + len - 4 * (size_t)K * h2, 0, 4); /* mask 1, unit 1 */
    uint32_t crc = checkpoint_crc32(buf + CKPT_HEADER_BYTES,
                                    len - CKPT_HEADER_BYTES);
    for (int k = 0; k < 4; k++) buf[32 + k] = (uint8_t)(crc >> (8 * k));
    Model bad;
    ck_assert_int_eq(checkpoint_parse(buf, len, "made2.ckpt",
                                      MODEL_MADE, 4, &bad, &e),
                     -1);
    ck_assert_msg(strstr(e.msg,
                         "made2.ckpt: mask 1: second-layer degree 0 "
                         "of unit 1 is not in") != NULL,
                  "%s", e.msg);
    free(buf);
    free(again);
    free(x);
    free(ens);
    model_free(&back);
    model_free(&m);
    tmpdir_remove(dir);
}
END_TEST

static const TestSpec tests[] = {
    {"parameter count 2dh + h + d = allocated buffer",
     &test_param_count},
    {"mask blocks follow the rules m_k >= pos_j and pos_i > m_k",
     &test_mask_blocks},
    {"flipping x_j leaves every conditional up to j unchanged",
     &test_autoregressive},
    {"every degree present: each conditional sees every input before "
     "it",
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
    {"two layers: parameter count = formula = allocation",
     &test2_param_count},
    {"two layers: degrees in m_1..d-1, blocks follow the rules",
     &test2_blocks},
    {"two layers: flipping x_j leaves every conditional up to j "
     "unchanged",
     &test2_autoregressive},
    {"two layers: fast pass equals the dense masked pass",
     &test2_fast_equals_dense},
    {"two layers: all 2^d configurations sum to 1 (d <= 10)",
     &test2_normalised},
    {"two layers: gradient equals central finite differences",
     &test2_gradient},
    {"two layers: backward adds into dparams", &test2_adds_into},
    {"two layers: ancestral samples follow the model (chi-square)",
     &test2_sampling},
    {"two layers: ensemble sums to 1, checkpoint keeps the degrees",
     &test2_ensemble_checkpoint},
};

const TestSuiteSpec SUITE = {"ch07", tests, N_TESTS(tests)};
