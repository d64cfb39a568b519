/* test_training.c - the training library: checkpoints, the resumable
 * training state, the tiled FVSBN kernel and MADE's minibatch kernel
 * (autoreg train --kernel tiled). Nothing here runs an exercise: the
 * FVSBN these tests train computes its NLL and gradient with the
 * double-precision references of runner.c, and MADE's kernel is held
 * to a dense masked pass in double with masks built here, so the suite
 * passes in a student release whatever the state of exercises/. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bernoulli.h"
#include "checkpoint.h"
#include "data.h"
#include "fvsbn.h"
#include "fvsbn_tiled.h"
#include "made_tiled.h"
#include "mathx.h"
#include "model.h"
#include "nade_tiled.h"
#include "optim.h"
#include "pixelcnn.h"
#include "pixelcnn_tiled.h"
#include "readfile.h"
#include "runner.h"
#include "train.h"

static void random_params(float *p, size_t n, Rng *rng, float scale) {
    for (size_t i = 0; i < n; i++)
        p[i] = scale * (float)(2 * rng_uniform(rng) - 1);
}

/* The FVSBN with the references' forward and backward: the registry's
 * FVSBN (its layout, initialisation and kind, so checkpoints and
 * states name it "fvsbn") on code that is not an exercise. */
static void ref_forward(Model *m, double *nll, float *scratch,
                        const uint8_t *x, int B) {
    (void)scratch;
    double logit[64];
    for (int n = 0; n < B; n++)
        nll[n] = fvsbn_naive_nll(logit, m->params, NULL,
                                 x + (size_t)n * m->d, m->d, 0);
}

static void ref_backward(Model *m, float *dparams, float *scratch,
                         const uint8_t *x, int B) {
    (void)scratch;
    double g[64 * 65 / 2];
    fvsbn_naive_grad(g, m->params, x, B, m->d);
    for (size_t k = 0; k < m->n_params; k++) dparams[k] += (float)g[k];
}

static const ModelOps *ref_ops(void) {
    static ModelOps ops;
    ops = *model_ops_by_name("fvsbn");
    ops.forward = ref_forward;
    ops.backward = ref_backward;
    return &ops;
}

static int train_ref(Model *m, const Split *tr, const Split *va,
                     const char *dir, int epochs, int resume,
                     TrainResult *r, Err *e) {
    return train_fvsbn_run(m, ref_ops(), tr, va, dir, epochs, resume, 0,
                           r, e);
}

static void expect_ckpt_error(const char *path, int kind,
                              const char *what) {
    Model m;
    Err e = {""};
    ck_assert_int_eq(checkpoint_load(path, kind, 1, &m, &e), -1);
    ck_assert_msg(strstr(e.msg, path) && strstr(e.msg, what),
                  "message '%s' lacks '%s'", e.msg, what);
}

START_TEST(test_checkpoint) {
    char dir[64], path[512], bad[512];
    tmpdir_make(dir);
    Model m, back;
    Err e;
    ck_assert_int_eq(
        model_create(&m, model_ops_by_name("fvsbn"), 20, 0, 1, &e), 0);
    Rng rng;
    rng_seed(&rng, 37);
    random_params(m.params, m.n_params, &rng, 3.0f);
    m.params[5] = -0.0f;
    snprintf(path, sizeof path, "%s/m.ckpt", dir);
    ck_assert_int_eq(checkpoint_save(path, &m, &e), 0);
    ck_assert_int_eq(checkpoint_load(path, MODEL_FVSBN, 4, &back, &e),
                     0);
    ck_assert_int_eq(back.d, 20);
    ck_assert_uint_eq(back.n_params, m.n_params);
    ck_assert_int_eq(memcmp(back.params, m.params, m.n_params * 4), 0);
    model_free(&back);

    uint8_t *buf;
    size_t len;
    ck_assert_int_eq(file_read_all(path, 1 << 20, &buf, &len, &e), 0);
    write_test_file(bad, dir, "trunc.ckpt", buf, len - 3);
    expect_ckpt_error(bad, 0, "truncated");
    write_test_file(bad, dir, "header.ckpt", buf, 20);
    expect_ckpt_error(bad, 0, "truncated header");
    buf[100] ^= 0x10;
    write_test_file(bad, dir, "flip.ckpt", buf, len);
    expect_ckpt_error(bad, 0, "CRC32 mismatch");
    buf[100] ^= 0x10;
    expect_ckpt_error(path, 7,
                      "a fvsbn checkpoint, expected another model");
    buf[12] = 9; /* kind */
    write_test_file(bad, dir, "kind.ckpt", buf, len);
    expect_ckpt_error(bad, 0, "unknown model kind 9");
    buf[12] = MODEL_FVSBN;
    buf[16] = 21; /* d no longer matches the parameter count */
    write_test_file(bad, dir, "size.ckpt", buf, len);
    expect_ckpt_error(bad, 0, "do not fit");
    buf[16] = 20;
    buf[8] = 9; /* version */
    write_test_file(bad, dir, "version.ckpt", buf, len);
    expect_ckpt_error(bad, 0, "version 9");
    buf[0] = 'X';
    write_test_file(bad, dir, "magic.ckpt", buf, len);
    expect_ckpt_error(bad, 0, "bad magic");
    snprintf(bad, sizeof bad, "%s/none.ckpt", dir);
    expect_ckpt_error(bad, 0, "No such file");
    free(buf);
    model_free(&m);
    tmpdir_remove(dir);
}
END_TEST

START_TEST(test_resume) {
    char dir[2][64], state[128], log[2][128];
    Split tr, va;
    fvsbn_synthetic_splits(&tr, &va, 37);
    Model a, b;
    TrainResult ra, rb;
    Err e;
    tmpdir_make(dir[0]);
    tmpdir_make(dir[1]);
    ck_assert_int_eq(train_ref(&a, &tr, &va, dir[0], 6, 0, &ra, &e), 0);
    /* 2 epochs, then 4 more from the state */
    ck_assert_int_eq(train_ref(&b, &tr, &va, dir[1], 2, 0, &rb, &e), 0);
    model_free(&b);
    ck_assert_msg(train_ref(&b, &tr, &va, dir[1], 6, 1, &rb, &e) == 0,
                  "%s", e.msg);
    ck_assert_int_eq(memcmp(a.params, b.params, a.n_params * 4), 0);
    ck_assert_int_eq(ra.best_epoch, rb.best_epoch);
    ck_assert_int_eq(rb.epochs_done, 6);
    for (int k = 0; k < 2; k++)
        snprintf(log[k], sizeof log[k], "%s/log.tsv", dir[k]);
    uint8_t *la, *lb;
    size_t na, nb;
    ck_assert_int_eq(file_read_all(log[0], 1 << 20, &la, &na, &e), 0);
    ck_assert_int_eq(file_read_all(log[1], 1 << 20, &lb, &nb, &e), 0);
    ck_assert_msg(na == nb && memcmp(la, lb, na) == 0, "logs differ");
    free(la);
    free(lb);
    model_free(&b);
    /* a damaged state is refused, naming the file */
    snprintf(state, sizeof state, "%s/train.state", dir[1]);
    FILE *f = fopen(state, "r+b");
    ck_assert_ptr_nonnull(f);
    fseek(f, 300, SEEK_SET);
    int byte = fgetc(f);
    fseek(f, 300, SEEK_SET);
    fputc(byte ^ 0xff, f); /* a byte surely changed */
    fclose(f);
    ck_assert_int_eq(train_ref(&b, &tr, &va, dir[1], 8, 1, &rb, &e),
                     -1);
    ck_assert_msg(strstr(e.msg, state) && strstr(e.msg, "CRC32"), "%s",
                  e.msg);
    model_free(&b);
    model_free(&a);
    free(tr.x);
    free(va.x);
    tmpdir_remove(dir[0]);
    tmpdir_remove(dir[1]);
}
END_TEST

static size_t count_nonzero(const float *p, size_t n) {
    size_t k = 0;
    for (size_t i = 0; i < n; i++) k += p[i] != 0.0f;
    return k;
}

START_TEST(test_tiled_layout) {
    const int ds[] = {1, 2, 5, 63, 64, 65, 130, 784};
    Rng rng;
    rng_seed(&rng, 41);
    for (int k = 0; k < 8; k++) {
        int d = ds[k];
        size_t n = fvsbn_num_params(d);
        FvsbnTiled t;
        ck_assert_int_eq(fvsbn_tiled_init(&t, d, 3), 0);
        float *flat = malloc(n * sizeof *flat);
        float *packed = malloc(t.n * sizeof *packed);
        random_params(flat, n, &rng, 1.0f);
        float *back = calloc(n, sizeof *back);
        fvsbn_tiled_pack(&t, packed, flat);
        fvsbn_tiled_unpack(&t, back, packed);
        ck_assert_msg(memcmp(back, flat, n * sizeof *flat) == 0,
                      "d=%d: unpack(pack(p)) != p", d);
        /* every parameter lands in its own slot, the rest is zero */
        ck_assert_uint_eq(count_nonzero(packed, t.n),
                          count_nonzero(flat, n));
        free(flat);
        free(packed);
        free(back);
        fvsbn_tiled_free(&t);
    }
}
END_TEST

/* Where flat entry i of a d-pixel FVSBN lives: the bias b[r] (c = -1),
 * or the weight W[r][c], r > c (fvsbn.h's layout, column by column). */
static void fvsbn_entry(int d, size_t i, int *r, int *c) {
    *c = -1;
    *r = (int)i;
    if (i < (size_t)d) return;
    for (int k = 0; k + 1 < d; k++) {
        size_t at = (size_t)d + fvsbn_col(k, d);
        if (i < at + (size_t)(d - 1 - k)) {
            *c = k;
            *r = k + 1 + (int)(i - at);
            return;
        }
    }
}

START_TEST(test_tiled_equals_naive) {
    /* the last band: 1 to 4 vectors of 16 rows (90: 26 rows, 110: 46)
     */
    const int ds[] = {1, 2, 7, 64, 65, 90, 110, 130, 200},
              Bs[] = {1, 3, 5, 4, 17, 6, 7, 9, 3};
    Rng rng;
    rng_seed(&rng, 42);
    for (int k = 0; k < 9; k++) {
        int d = ds[k], B = Bs[k];
        size_t n = fvsbn_num_params(d);
        FvsbnTiled t;
        ck_assert_int_eq(fvsbn_tiled_init(&t, d, B), 0);
        float *flat = malloc(n * sizeof *flat);
        float *packed = malloc(t.n * sizeof *packed);
        float *grad[2] = {malloc(t.n * sizeof(float)),
                          malloc(t.n * sizeof(float))};
        float *g = malloc(n * sizeof *g), *repack = malloc(t.n * 4);
        double *ref = malloc(n * sizeof *ref), nll[2][17];
        uint8_t *x = malloc((size_t)B * d);
        random_params(flat, n, &rng, 0.5f);
        for (int i = 0; i < B * d; i++)
            x[i] = (uint8_t)rng_bernoulli(&rng, 0.3);
        fvsbn_tiled_pack(&t, packed, flat);
        /* 1 thread and 3: the same bits */
        for (int r = 0; r < 2; r++) {
            memset(grad[r], 0x7f,
                   t.n * sizeof(float)); /* written, not added */
            fvsbn_tiled_step(&t, nll[r], grad[r], x, packed, B,
                             1 + 2 * r, NULL, 1.0f);
        }
        for (size_t q = 0; q < t.n; q++)
            ck_assert_msg(
                !memcmp(&grad[0][q], &grad[1][q], sizeof(float)),
                "d=%d: packed gradient entry %zu with 3 "
                "threads, %.9g, differs from 1 thread's, %.9g",
                d, q, (double)grad[1][q], (double)grad[0][q]);
        for (int b = 0; b < B; b++)
            ck_assert_msg(nll[0][b] == nll[1][b],
                          "d=%d: image %d's NLL with 3 threads, %.9g, "
                          "differs from 1 thread's, %.9g",
                          d, b, nll[1][b], nll[0][b]);
        for (int b = 0; b < B; b++) {
            double lg[200];
            double want = fvsbn_naive_nll(lg, flat, NULL,
                                          x + (size_t)b * d, d, 0);
            ck_assert_msg(close_rel(nll[0][b], want, 1e-5),
                          "d=%d image %d: %.9g vs %.9g", d, b,
                          nll[0][b], want);
        }
        fvsbn_tiled_unpack(&t, g, grad[0]);
        fvsbn_naive_grad(ref, flat, x, B, d);
        for (size_t i = 0; i < n; i++) {
            int r, c;
            fvsbn_entry(d, i, &r, &c);
            ck_assert_msg(
                fabs(g[i] - ref[i]) <= 1e-5 * (1 + fabs(ref[i])),
                "d=%d: gradient of %s%d%s%d%s (flat entry "
                "%zu): %.9g, the naive loops' %.9g",
                d, c < 0 ? "b[" : "W[", r, c < 0 ? "" : "][", c,
                c < 0 ? "]" : "]", i, (double)g[i], ref[i]);
        }
        /* the padding's gradient is zero */
        fvsbn_tiled_pack(&t, repack, g);
        for (size_t q = 0; q < t.n; q++)
            ck_assert_msg(
                repack[q] == grad[0][q],
                "d=%d: packed entry %zu is padding (w_rc, r <= "
                "c or r >= d) but its gradient is %.9g",
                d, q, (double)grad[0][q]);
        free(flat);
        free(packed);
        free(grad[0]);
        free(grad[1]);
        free(g);
        free(repack);
        free(ref);
        free(x);
        fvsbn_tiled_free(&t);
    }
}
END_TEST

START_TEST(test_tiled_fused_update) {
    const int d = 90, B = 12;
    Rng rng;
    rng_seed(&rng, 43);
    FvsbnTiled t;
    ck_assert_int_eq(fvsbn_tiled_init(&t, d, B), 0);
    size_t n = fvsbn_num_params(d);
    float *flat = malloc(n * sizeof *flat);
    float *p[3], *grad = malloc(t.n * sizeof *grad);
    random_params(flat, n, &rng, 0.3f);
    Optimizer o[3];
    for (int r = 0; r < 3; r++) {
        p[r] = malloc(t.n * sizeof(float));
        fvsbn_tiled_pack(&t, p[r], flat);
        ck_assert_int_eq(optim_init(&o[r], OPT_ADAM, t.n, 0.01f), 0);
    }
    uint8_t x[B * d];
    double nll[B];
    for (int step = 0; step < 3; step++) {
        for (int i = 0; i < B * d; i++)
            x[i] = (uint8_t)rng_bernoulli(&rng, 0.4);
        /* fused: each band updated as soon as its gradient is known */
        optim_begin(&o[0]);
        fvsbn_tiled_step(&t, nll, grad, x, p[0], B, 2, &o[0], 1.0f / B);
        /* then the same step in two parts */
        fvsbn_tiled_step(&t, nll, grad, x, p[1], B, 2, NULL, 1.0f);
        optim_begin(&o[1]);
        optim_update(&o[1], p[1], grad, 1.0f / B, 0, t.n);
        /* fused, the gradient not stored (training's way) */
        optim_begin(&o[2]);
        fvsbn_tiled_step(&t, nll, NULL, x, p[2], B, 3, &o[2], 1.0f / B);
    }
    for (int r = 1; r < 3; r++) {
        ck_assert_msg(memcmp(p[0], p[r], t.n * sizeof(float)) == 0,
                      "the fused step's parameters differ from %s",
                      r == 1
                          ? "the gradient then Adam"
                          : "those of the step without the gradient");
        ck_assert(memcmp(o[0].m, o[r].m, t.n * sizeof(float)) == 0);
        ck_assert(memcmp(o[0].v, o[r].v, t.n * sizeof(float)) == 0);
    }
    /* the padding stayed zero */
    ck_assert_uint_le(count_nonzero(p[0], t.n), n);
    for (int r = 0; r < 3; r++) {
        free(p[r]);
        optim_free(&o[r]);
    }
    free(grad);
    free(flat);
    fvsbn_tiled_free(&t);
}
END_TEST

START_TEST(test_tiled_resume) {
    char dir[2][64], state[128];
    Split tr, va;
    fvsbn_synthetic_splits(&tr, &va, 44);
    const ModelOps *ops = ref_ops();
    Model b, c;
    TrainResult rb, rc;
    Err e;
    for (int k = 0; k < 2; k++) tmpdir_make(dir[k]);
    ck_assert_msg(train_fvsbn_run(&b, ops, &tr, &va, dir[0], 6, 0, 1,
                                  &rb, &e) == 0,
                  "%s", e.msg);
    /* tiled: 2 epochs, then 4 resumed from the state, same bits */
    ck_assert_int_eq(
        train_fvsbn_run(&c, ops, &tr, &va, dir[1], 2, 0, 1, &rc, &e),
        0);
    model_free(&c);
    ck_assert_msg(train_fvsbn_run(&c, ops, &tr, &va, dir[1], 6, 1, 1,
                                  &rc, &e) == 0,
                  "%s", e.msg);
    ck_assert_int_eq(memcmp(b.params, c.params, b.n_params * 4), 0);
    model_free(&c);
    /* a plain run does not continue a tiled one */
    snprintf(state, sizeof state, "%s/train.state", dir[1]);
    ck_assert_int_eq(
        train_fvsbn_run(&c, ops, &tr, &va, dir[1], 8, 1, 0, &rc, &e),
        -1);
    ck_assert_msg(strstr(e.msg, state) &&
                      strstr(e.msg, "--kernel tiled"),
                  "%s", e.msg);
    model_free(&c);
    model_free(&b);
    free(tr.x);
    free(va.x);
    for (int k = 0; k < 2; k++) tmpdir_remove(dir[k]);
}
END_TEST

/* A MADE mask by the rules of chapter 7, without exercise 7.1: an order
 * (raster or random), sorted degrees in 1..d-1, and the cuts. */
static void hand_mask(MadeMask *mk, int d, int h, int random,
                      Rng *rng) {
    for (int t = 0; t < d; t++) mk->order[t] = t;
    for (int t = d - 1; random && t > 0; t--) {
        int u = (int)rng_below(rng, (uint64_t)t + 1), o = mk->order[t];
        mk->order[t] = mk->order[u];
        mk->order[u] = o;
    }
    for (int t = 0; t < d; t++) mk->pos[mk->order[t]] = t + 1;
    int top = d > 1 ? d - 1 : 1;
    for (int k = 0; k < h; k++)
        mk->deg[k] = 1 + (int)rng_below(rng, top);
    for (int k = 1; k < h; k++) /* insertion sort */
        for (int q = k; q > 0 && mk->deg[q - 1] > mk->deg[q]; q--) {
            int v = mk->deg[q];
            mk->deg[q] = mk->deg[q - 1];
            mk->deg[q - 1] = v;
        }
    for (int j = 0; j < d; j++) {
        int k = 0;
        while (k < h && mk->deg[k] < mk->pos[j]) k++;
        mk->cut[j] = k;
    }
}

/* The dense masked pass of the definition in double, every weight times
 * its mask entry: returns -log p(x) and adds its gradient into g. */
static double made_dense(double *g, const float *params,
                         const MadeMask *mk, const uint8_t *x, int d,
                         int h) {
    size_t D = (size_t)d, H = (size_t)h;
    const float *W = params, *c = W + D * H, *V = c + H, *b = V + D * H;
    double *a = calloc(H, sizeof *a), *du = calloc(H, sizeof *du),
           nll = 0;
    for (int k = 0; k < h; k++) {
        a[k] = c[k];
        for (int j = 0; j < d; j++)
            if (mk->deg[k] >= mk->pos[j])
                a[k] += W[(size_t)j * H + k] * x[j];
    }
    for (int i = 0; i < d; i++) {
        double l = b[i];
        for (int k = 0; k < h; k++)
            if (mk->pos[i] > mk->deg[k])
                l += V[(size_t)i * H + k] * (a[k] > 0 ? a[k] : 0);
        nll -= log_bernoulli_logit(x[i], l);
        double gi = sigmoid(l) - x[i];
        g[2 * D * H + H + i] += gi;
        for (int k = 0; k < h; k++)
            if (mk->pos[i] > mk->deg[k]) {
                g[D * H + H + (size_t)i * H + k] +=
                    gi * (a[k] > 0 ? a[k] : 0);
                du[k] += gi * V[(size_t)i * H + k];
            }
    }
    for (int k = 0; k < h; k++) {
        double da = a[k] > 0 ? du[k] : 0;
        g[D * H + k] += da;
        for (int j = 0; j < d; j++)
            if (mk->deg[k] >= mk->pos[j] && x[j])
                g[(size_t)j * H + k] += da;
    }
    free(a);
    free(du);
    return nll;
}

START_TEST(test_made_tiled_equals_dense) {
    /* sizes around the kernel's blocks: 4 rows, 32 units and images */
    const int dims[][3] = {{1, 1, 1},     {2, 3, 5},    {7, 17, 33},
                           {64, 40, 100}, {65, 33, 37}, {130, 70, 64},
                           {784, 50, 3}};
    Rng rng;
    rng_seed(&rng, 43);
    for (int c = 0; c < 7; c++)
        for (int random = 0; random < 2; random++) {
            int d = dims[c][0], h = dims[c][1], B = dims[c][2];
            size_t n = 2 * (size_t)d * h + h + d;
            int *ints = malloc((3 * (size_t)d + h) * sizeof *ints);
            MadeMask mk = {.order = ints,
                           .pos = ints + d,
                           .cut = ints + 2 * d,
                           .deg = ints + 3 * d};
            hand_mask(&mk, d, h, random, &rng);
            float *params = malloc(n * sizeof *params);
            random_params(params, n, &rng, 0.6f);
            uint8_t *x = malloc((size_t)B * d);
            for (int i = 0; i < B * d; i++)
                x[i] = (uint8_t)rng_bernoulli(&rng, 0.3);
            MadeTiled t;
            ck_assert_int_eq(made_tiled_init(&t, d, h, B), 0);
            float *grad[3];
            double *nll[3];
            for (int r = 0; r < 3; r++) { /* 1, 2 and 3 threads */
                grad[r] = malloc(n * sizeof(float));
                nll[r] = malloc((size_t)B * sizeof(double));
                memset(grad[r], 0x7f, n * sizeof(float)); /* assigned */
                made_tiled_step(&t, nll[r], grad[r], x, params, &mk, B,
                                r + 1, NULL, 1.0f, 0);
            }
            for (int r = 1; r < 3; r++) {
                ck_assert_msg(
                    !memcmp(grad[0], grad[r], n * sizeof(float)),
                    "d = %d, h = %d: the gradient with %d threads "
                    "differs from 1 thread's",
                    d, h, r + 1);
                ck_assert(!memcmp(nll[0], nll[r],
                                  (size_t)B * sizeof(double)));
            }
            double *ref = calloc(n, sizeof *ref);
            for (int b = 0; b < B; b++) {
                double want = made_dense(ref, params, &mk,
                                         x + (size_t)b * d, d, h);
                ck_assert_msg(
                    close_rel(nll[0][b], want, 1e-5),
                    "d = %d, h = %d, image %d: NLL %.9g, the dense "
                    "masked pass %.9g",
                    d, h, b + 1, nll[0][b], want);
            }
            for (size_t k = 0; k < n; k++)
                ck_assert_msg(
                    fabs(grad[0][k] - ref[k]) <=
                        2e-5 * (1 + fabs(ref[k])) * (1 + B / 10.0),
                    "d = %d, h = %d, B = %d (%s order): gradient "
                    "entry %zu is %.9g, the dense pass %.9g",
                    d, h, B, random ? "random" : "raster", k,
                    (double)grad[0][k], ref[k]);
            for (int r = 0; r < 3; r++) {
                free(grad[r]);
                free(nll[r]);
            }
            free(ref);
            free(x);
            free(params);
            free(ints);
            made_tiled_free(&t);
        }
}
END_TEST

/* The PixelCNN's kernels against chapter 8's formula in double: the
 * NLL of every image, and every partial derivative against central
 * differences of it, on sizes around the kernel's blocks (16 pixels,
 * 8 output channels, 4 x 4 dot products), for 1 to 3 threads. */
START_TEST(test_pixelcnn_tiled_equals_formula) {
    const int dims[][3] = {
        {1, 1, 0}, {2, 3, 1}, {4, 9, 2}, {5, 8, 1}, {7, 2, 3}};
    enum { B = 3 };
    Rng rng;
    rng_seed(&rng, 44);
    for (int c = 0; c < 5; c++) {
        int S = dims[c][0], C = dims[c][1], L = dims[c][2], d = S * S;
        size_t n = pixelcnn_num_params(d, C, L);
        float *params = malloc(n * sizeof *params);
        random_params(params, n, &rng, 0.5f);
        uint8_t *x = malloc((size_t)B * d);
        for (int i = 0; i < B * d; i++)
            x[i] = (uint8_t)rng_bernoulli(&rng, 0.4);
        double want[B], ref = 0;
        double *logit = malloc((size_t)d * sizeof *logit);
        for (int b = 0; b < B; b++)
            ref += want[b] = pixelcnn_naive_nll(
                logit, params, x + (size_t)b * d, d, C, L);
        for (int T = 1; T <= 3; T++) {
            PcnnTiled t;
            ck_assert_int_eq(pcnn_tiled_init(&t, d, C, L, T), 0);
            float *grads[3];
            for (int k = 0; k < T; k++)
                grads[k] = calloc(n, sizeof(float));
            double nll[B];
            double sum = pcnn_tiled_forward_backward(&t, grads, params,
                                                     x, B, nll);
            ck_assert_msg(
                close_rel(sum, ref, 1e-5),
                "S = %d, C = %d, L = "
                "%d, %d threads: summed NLL %.9g, the formula "
                "%.9g",
                S, C, L, T, sum, ref);
            for (int b = 0; b < B; b++)
                ck_assert(close_rel(nll[b], want[b], 1e-5));
            for (size_t k = 0; k < n; k++) {
                double g = 0;
                for (int th = 0; th < T; th++) g += grads[th][k];
                /* a step small enough to cross a ReLU's kink rarely,
                 * divided by the step the floats actually took */
                float keep = params[k],
                      step[2] = {keep - 1e-4f, keep + 1e-4f};
                double f[2] = {0, 0};
                for (int r = 0; r < 2; r++) {
                    params[k] = step[r];
                    for (int b = 0; b < B; b++)
                        f[r] += pixelcnn_naive_nll(
                            logit, params, x + (size_t)b * d, d, C, L);
                }
                params[k] = keep;
                double fd = (f[1] - f[0]) / ((double)step[1] - step[0]);
                char name[96];
                model_ops_by_name("pixelcnn")
                    ->param_name(name, sizeof name, k, d, C, L);
                ck_assert_msg(
                    fabs(g - fd) < 2e-3 * (1 + fabs(fd)),
                    "S = %d, C = %d, L = %d, %d threads: the "
                    "gradient by %s (entry %zu) is %.7g, central "
                    "differences of the formula %.7g",
                    S, C, L, T, name, k + 1, g, fd);
            }
            for (int k = 0; k < T; k++) free(grads[k]);
            pcnn_tiled_free(&t);
        }
        free(logit);
        free(x);
        free(params);
    }
}
END_TEST

/* The fused step (each row updated as soon as its gradient is known)
 * equals the gradient then the optimizer, bit for bit, and so does the
 * step that skips the masked weights, for a model of one mask. */
START_TEST(test_made_tiled_fused) {
    int d = 65, h = 33, B = 37;
    size_t n = 2 * (size_t)d * h + h + d;
    Rng rng;
    rng_seed(&rng, 44);
    int *ints = malloc((3 * (size_t)d + h) * sizeof *ints);
    MadeMask mk = {.order = ints,
                   .pos = ints + d,
                   .cut = ints + 2 * d,
                   .deg = ints + 3 * d};
    hand_mask(&mk, d, h, 1, &rng);
    float *p[3], *grad = malloc(n * sizeof *grad);
    Optimizer o[3];
    for (int r = 0; r < 3; r++) {
        p[r] = malloc(n * sizeof(float));
        ck_assert_int_eq(optim_init(&o[r], OPT_ADAM, n, 0.01f), 0);
    }
    random_params(p[0], n, &rng, 0.6f);
    memcpy(p[1], p[0], n * sizeof(float));
    memcpy(p[2], p[0], n * sizeof(float));
    uint8_t *x = malloc((size_t)B * d);
    double nll[37];
    MadeTiled t;
    ck_assert_int_eq(made_tiled_init(&t, d, h, B), 0);
    for (int step = 0; step < 4; step++) {
        for (int i = 0; i < B * d; i++)
            x[i] = (uint8_t)rng_bernoulli(&rng, 0.3);
        made_tiled_step(&t, nll, grad, x, p[0], &mk, B, 2, NULL, 1, 0);
        optim_step(&o[0], p[0], grad, 1.0f / B);
        made_tiled_step(&t, nll, NULL, x, p[1], &mk, B, 2, &o[1],
                        1.0f / B, 0);
        made_tiled_step(&t, nll, NULL, x, p[2], &mk, B, 3, &o[2],
                        1.0f / B, 1);
    }
    ck_assert_msg(!memcmp(p[0], p[1], n * sizeof(float)),
                  "the fused step differs from the gradient then Adam");
    ck_assert_msg(!memcmp(p[1], p[2], n * sizeof(float)),
                  "skipping the masked weights changed the parameters");
    for (int r = 0; r < 3; r++) {
        free(p[r]);
        optim_free(&o[r]);
    }
    free(grad);
    free(x);
    free(ints);
    made_tiled_free(&t);
}
END_TEST

/* Chapter 5's NADE from its definition, in double, for one image, the
 * pixels visited in the order ord (chapter 6; ord[p] is the pixel at
 * place p): the NLL, and its gradient added into g (nade.h's flat
 * layout). Not the recurrence run backward: every h_p is kept, and dW
 * comes from the suffix sums of the deltas, dW[:, ord[q]] = x sum_{p >
 * q} da_p. */
static double nade_ref(double *g, const float *prm, const uint8_t *x,
                       const int *ord, int d, int h) {
    size_t D = (size_t)d, H = (size_t)h;
    const float *W = prm, *c = W + D * H, *V = c + H, *b = V + D * H;
    double *a = malloc(H * sizeof *a), *hs = malloc(D * H * sizeof *hs),
           *da = malloc(D * H * sizeof *da),
           *sum = calloc(H, sizeof *sum), nll = 0;
    for (int k = 0; k < h; k++) a[k] = c[k];
    for (int p = 0; p < d; p++) {
        int i = ord[p];
        double *hp = hs + (size_t)p * H, l = b[i];
        for (int k = 0; k < h; k++) {
            hp[k] = sigmoid(a[k]);
            l += V[(size_t)i * H + k] * hp[k];
        }
        nll -= log_bernoulli_logit(x[i], l);
        double gi = sigmoid(l) - x[i];
        g[2 * D * H + H + i] += gi;
        for (int k = 0; k < h; k++) {
            g[D * H + H + (size_t)i * H + k] += gi * hp[k];
            da[(size_t)p * H + k] =
                gi * V[(size_t)i * H + k] * hp[k] * (1 - hp[k]);
        }
        if (x[i])
            for (int k = 0; k < h; k++) a[k] += W[(size_t)i * H + k];
    }
    for (int p = d - 1; p >= 0; p--) { /* sum = sum_{p' > p} da_p' */
        for (int k = 0; k < h; k++) {
            if (x[ord[p]]) g[(size_t)ord[p] * H + k] += sum[k];
            sum[k] += da[(size_t)p * H + k];
        }
    }
    for (int k = 0; k < h; k++) g[D * H + k] += sum[k]; /* dc */
    free(a);
    free(hs);
    free(da);
    free(sum);
    return nll;
}

/* The blocked NADE step: NLL and gradient equal nade_ref's within float
 * tolerance, in the raster order and a random one, every image of 2^d
 * for small d, and the same bits with 1, 2 and 3 threads for the NLL
 * (the gradient's sum order follows the threads); pack then unpack is
 * the identity, the padding zero. */
START_TEST(test_nade_tiled_equals_formula) {
    const int ds[] = {1, 2, 7, 64, 65, 130, 784}, hs[] = {1, 17, 500};
    Rng rng;
    rng_seed(&rng, 45);
    for (int di = 0; di < 7; di++)
        for (int hi = 0; hi < 6; hi++) {
            int d = ds[di], h = hs[hi % 3], random = hi >= 3;
            int *ord = malloc((size_t)d * sizeof *ord);
            for (int i = 0; i < d; i++) ord[i] = i;
            for (int i = d - 1; random && i > 0; i--) { /* shuffled */
                int k = (int)(rng_uniform(&rng) * (i + 1)),
                    tmp = ord[i];
                ord[i] = ord[k];
                ord[k] = tmp;
            }
            int B = d <= 7 ? 1 << d : d * h >= 784 * 500 ? 5 : 23;
            size_t n = 2 * (size_t)d * h + h + d;
            float *flat = malloc(n * sizeof *flat),
                  *back = malloc(n * sizeof *back);
            random_params(flat, n, &rng, 0.6f);
            uint8_t *x = malloc((size_t)B * d);
            for (int b = 0; b < B; b++)
                for (int i = 0; i < d; i++)
                    x[(size_t)b * d + i] =
                        d <= 7 ? (uint8_t)(b >> i & 1)
                               : (uint8_t)rng_bernoulli(&rng, 0.3);
            NadeTiled t;
            ck_assert_int_eq(nade_tiled_init(&t, d, h, B), 0);
            float *packed = calloc(t.n, sizeof *packed);
            nade_tiled_pack(&t, packed, flat);
            nade_tiled_unpack(&t, back, packed);
            ck_assert_msg(!memcmp(flat, back, n * sizeof *flat),
                          "d = %d, h = %d: unpack(pack) changed the "
                          "parameters",
                          d, h);
            double *ref = calloc(n, sizeof *ref), *nll0 = NULL;
            double *refnll = malloc((size_t)B * sizeof *refnll);
            for (int b = 0; b < B; b++)
                refnll[b] =
                    nade_ref(ref, flat, x + (size_t)b * d, ord, d, h);
            for (int T = 1; T <= 3; T++) {
                float *grads[3], *sumg = calloc(t.n, sizeof *sumg);
                double *nll = malloc((size_t)B * sizeof *nll);
                for (int k = 0; k < T; k++)
                    grads[k] = calloc(t.n, sizeof(float));
                nade_tiled_step(&t, nll, grads, x, packed,
                                random ? ord : NULL, B, T);
                for (int k = 0; k < T; k++)
                    for (size_t q = 0; q < t.n; q++)
                        sumg[q] += grads[k][q];
                nade_tiled_unpack(&t, back, sumg);
                float *again = malloc(t.n * sizeof *again);
                nade_tiled_pack(&t, again, back); /* padding zero */
                ck_assert_msg(!memcmp(again, sumg, t.n * sizeof *again),
                              "d = %d, h = %d: a gradient in the "
                              "padding of the packed layout",
                              d, h);
                free(again);
                for (int b = 0; b < B; b++)
                    ck_assert_msg(fabs(nll[b] - refnll[b]) <=
                                      1e-4 * (1 + fabs(refnll[b])),
                                  "d = %d, h = %d, %s order, %d "
                                  "threads: image %d's NLL %.6f, the "
                                  "formula's %.6f",
                                  d, h,
                                  random ? "a random" : "the raster", T,
                                  b, nll[b], refnll[b]);
                for (size_t q = 0; q < n; q++) {
                    size_t dh = (size_t)d * h;
                    const char *block = q < dh           ? "W"
                                        : q < dh + h     ? "c"
                                        : q < 2 * dh + h ? "V"
                                                         : "b";
                    /* Check's asserts mark their place even when
                     * they hold, at a cost: millions of entries here */
                    if (!(fabs(back[q] - ref[q]) <=
                          2e-4 * (1 + fabs(ref[q]))))
                        ck_abort_msg(
                            "d = %d, h = %d, %s order, %d "
                            "threads: gradient of %s, entry %zu: "
                            "%.6g, the formula's %.6g",
                            d, h, random ? "a random" : "the raster", T,
                            block, q, back[q], ref[q]);
                }
                if (!nll0) {
                    nll0 = nll;
                } else {
                    ck_assert_msg(
                        !memcmp(nll0, nll, (size_t)B * sizeof *nll),
                        "d = %d, h = %d: the NLL with %d threads "
                        "differs from 1 thread's",
                        d, h, T);
                    free(nll);
                }
                for (int k = 0; k < T; k++) free(grads[k]);
                free(sumg);
            }
            free(nll0);
            free(ord);
            free(ref);
            free(refnll);
            free(packed);
            free(flat);
            free(back);
            free(x);
            nade_tiled_free(&t);
        }
}
END_TEST

/* The batched NADE sampler: for d = 4 (h = 3), raster and random
 * orders, 40,000 samples follow the model's exact distribution
 * (nade_ref's, all 16 images) by Pearson's chi-square below its 0.999
 * quantile for 15 degrees of freedom (37.70); the same seed gives the
 * same samples with 1 and 3 threads. */
START_TEST(test_nade_tiled_sampling) {
    enum { D = 4, Hn = 3, N = 40000 };
    size_t n = 2 * (size_t)D * Hn + Hn + D;
    Rng rng;
    rng_seed(&rng, 46);
    for (int random = 0; random < 2; random++) {
        float flat[2 * D * Hn + Hn + D];
        random_params(flat, n, &rng, 1.5f);
        int ord[D] = {0, 1, 2, 3};
        if (random) ord[0] = 2, ord[2] = 0, ord[1] = 3, ord[3] = 1;
        NadeTiled t;
        ck_assert_int_eq(nade_tiled_init(&t, D, Hn, 64), 0);
        float *packed = calloc(t.n, sizeof *packed);
        nade_tiled_pack(&t, packed, flat);
        uint8_t *x = malloc((size_t)N * D), *y = malloc((size_t)N * D);
        ck_assert_int_eq(nade_tiled_sample(&t, x, packed,
                                           random ? ord : NULL, N, 7,
                                           1),
                         0);
        ck_assert_int_eq(nade_tiled_sample(&t, y, packed,
                                           random ? ord : NULL, N, 7,
                                           3),
                         0);
        ck_assert_msg(!memcmp(x, y, (size_t)N * D),
                      "the samples with 3 threads differ from 1 "
                      "thread's (same seed)");
        long count[16] = {0};
        double expect[16], g[2 * D * Hn + Hn + D];
        for (int s = 0; s < N; s++) {
            int k = 0;
            for (int i = 0; i < D; i++) k |= x[(size_t)s * D + i] << i;
            count[k]++;
        }
        for (int k = 0; k < 16; k++) {
            uint8_t img[D];
            for (int i = 0; i < D; i++) img[i] = (uint8_t)(k >> i & 1);
            expect[k] = N * exp(-nade_ref(g, flat, img, ord, D, Hn));
        }
        int worst;
        double chi = chi_square(count, expect, 16, &worst);
        ck_assert_msg(chi < 37.70,
                      "%s order: chi-square %.1f over the 16 images "
                      "(0.999 quantile 37.70); image %d drawn %ld "
                      "times, expected %.0f",
                      random ? "a random" : "the raster", chi, worst,
                      count[worst], expect[worst]);
        free(x);
        free(y);
        free(packed);
        nade_tiled_free(&t);
    }
}
END_TEST

/* The float output layer of the kernels (bernoulli_f.c) against the
 * formula in double, lane by lane: every d from 1 to 300 (whole
 * vectors, tails, several logs), logits up to +-100 with 0, -0 and the
 * clamp at 80 among them, g written in place over the logits too. */
START_TEST(test_bernoulli_nll_f) {
    Rng rng;
    rng_seed(&rng, 21);
    enum { D = 300 };
    float a[D], g[D], keep[D];
    uint8_t x[D];
    static const float edge[] = {0.0f,   -0.0f,   80.0f, -80.0f,
                                 100.0f, -100.0f, 30.0f, -1e-3f};
    for (int d = 1; d <= D; d++) {
        double ref = 0;
        for (int i = 0; i < d; i++) {
            a[i] = i % 37 < 8 ? edge[i % 37]
                              : (float)(40 * rng_uniform(&rng) - 20);
            x[i] = (uint8_t)rng_bernoulli(&rng, 0.5);
            ref -= log_bernoulli_logit(x[i], a[i]);
            keep[i] = a[i];
        }
        double nll = bernoulli_nll_f(g, a, x, d);
        ck_assert_msg(fabs(nll - ref) <= 1e-5 * (1 + fabs(ref)),
                      "d = %d: nll %.9g, the formula %.9g", d, nll,
                      ref);
        for (int i = 0; i < d; i++) {
            double want = sigmoid(keep[i]) - x[i];
            ck_assert_msg(fabs(g[i] - want) <= 3e-7,
                          "d = %d, pixel %d (logit %g, x %d): g %.9g, "
                          "sigma(a) - x %.9g",
                          d, i, keep[i], x[i], g[i], want);
        }
        double again = bernoulli_nll_f(a, a, x, d); /* g over a */
        ck_assert_msg(again == nll, "d = %d: in place %.9g, apart %.9g",
                      d, again, nll);
        ck_assert_msg(memcmp(a, g, (size_t)d * sizeof *a) == 0,
                      "d = %d: g written over a differs", d);
    }
}
END_TEST

static const TestSpec tests[] = {
    {"checkpoint round trip; truncated, corrupt, mismatched rejected",
     &test_checkpoint},
    {"2 epochs, then 4 resumed from the state: same bits as 6 epochs",
     &test_resume},
    {"tiled kernel: pack then unpack is the identity, padding zero",
     &test_tiled_layout},
    {"tiled kernel: NLL and gradient equal the naive loops, any "
     "threads",
     &test_tiled_equals_naive},
    {"tiled kernel: fused update equals the optimizer afterwards",
     &test_tiled_fused_update},
    {"tiled kernel: 2 epochs and 4 resumed are 6; plain cannot resume "
     "it",
     &test_tiled_resume},
    {"MADE's minibatch kernel equals the dense masked pass, any "
     "threads",
     &test_made_tiled_equals_dense},
    {"MADE's kernel: fused and sparse updates equal Adam afterwards",
     &test_made_tiled_fused},
    {"PixelCNN's kernel: NLL and gradient equal the formula in double",
     &test_pixelcnn_tiled_equals_formula},
    {"NADE's blocked kernel: NLL and gradient equal the formula in "
     "double, any order, 1-3 threads",
     &test_nade_tiled_equals_formula},
    {"NADE's batched sampler follows the model (chi-square), any "
     "threads",
     &test_nade_tiled_sampling},
    {"the kernels' float output layer equals the formula in double",
     &test_bernoulli_nll_f},
};

const TestSuiteSpec SUITE = {"training", tests, N_TESTS(tests)};
