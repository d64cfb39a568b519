/* exp_ch05.c - chapter 5's experiment: NADE (h = 500) on binarized
 * MNIST, samples, receptive fields, and the time of the O(d h) forward
 * pass against the naive O(d^2 h) recomputation as d grows. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "data.h"
#include "experiments.h"
#include "image.h"
#include "mathx.h"
#include "model.h"
#include "nade.h"
#include "nade_tiled.h"
#include "out.h"
#include "parallel.h"
#include "train.h"
#include "vec.h"

//> nade-naive
/* The naive forward pass: each h_i recomputed from scratch,
 * a_i = c + sum_{j<i} W[:, j] x_j, O(d^2 h) per image. */
static double naive_forward(const float *params, const uint8_t *x,
                            int d, int h, float *a, float *hid) {
    NadeParams p;
    nade_point(&p, (float *)params, d, h);
    double lp = 0;
    for (int i = 0; i < d; i++) {
        memcpy(a, p.c, (size_t)h * sizeof *a);
        for (int j = 0; j < i; j++)
            if (x[j]) vec_add(a, p.W + (size_t)j * h, h);
        vec_sigmoid(hid, a, h);
        double logit = p.b[i] + vec_dot(p.V + (size_t)i * h, hid, h);
        lp += log_bernoulli_logit(x[i], logit);
    }
    return -lp;
}
//< nade-naive

/* Seconds per image of both forward passes on the first d pixels.
 * Returns 0, or -1 with a one-line error in e (nothing left behind). */
static int time_one_d(FILE *f, int d, double density, int h, Rng *rng,
                      Err *e) {
    size_t np = model_ops_by_name("nade")->num_params(d, h, 0);
    float *p = malloc(np * sizeof *p);
    float *scr = malloc(nade_scratch_floats(d, h) * sizeof *scr);
    float *a = malloc(2 * (size_t)h * sizeof *a);
    uint8_t *x = malloc((size_t)d);
    int rc = -1;
    if (!p || !scr || !a || !x) {
        err_set(e, "chapter 5's timing: out of memory");
        goto done;
    }
    for (size_t k = 0; k < np; k++)
        p[k] = 0.01f * (float)(2 * rng_uniform(rng) - 1);
    /* pixels on with the training density (the top rows of a real
     * digit are blank, which would flatter the naive pass) */
    for (int i = 0; i < d; i++)
        x[i] = (uint8_t)rng_bernoulli(rng, density);
    double nll, nll_naive = 0;
    int reps = 0;
    double t0 = now_seconds(), fast, naive;
    do { /* repeat for at least 0.2 s */
        nade_forward(&nll, scr, x, p, 1, d, h);
        reps++;
    } while (now_seconds() - t0 < 0.2);
    fast = (now_seconds() - t0) / reps;
    reps = 0;
    t0 = now_seconds();
    do {
        nll_naive = naive_forward(p, x, d, h, a, a + h);
        reps++;
    } while (now_seconds() - t0 < 0.2);
    naive = (now_seconds() - t0) / reps;
    if (fabs(nll - nll_naive) > 1e-3 * fabs(nll)) {
        err_set(e,
                "d = %d: the two forward passes disagree (%.6f, %.6f)",
                d, nll, nll_naive);
        goto done;
    }
    fprintf(f, "%d\t%.4g\t%.4g\n", d, fast, naive);
    rc = 0;
done:
    free(p);
    free(scr);
    free(a);
    free(x);
    return rc;
}

static int time_vs_d(const char *path, double density, int h, Rng *rng,
                     Err *e) {
    static const int ds[] = {49, 98, 196, 392, 784};
    OutFile o;
    if (out_open(&o, path, e)) return -1;
    fprintf(o.f, "# d\tfast_seconds\tnaive_seconds\n");
    for (size_t t = 0; t < sizeof ds / sizeof ds[0]; t++)
        if (time_one_d(o.f, ds[t], density, h, rng, e)) {
            out_discard(&o); /* no .tmp left behind */
            return -1;
        }
    return out_close(&o, e);
}

/* The 25 hidden units with the largest input weights: row k of the
 * math's W (h x d), one weight per pixel, as 5 x 5 images with NaN
 * gaps, each scaled to [-1, 1]. */
static int write_fields(const char *path, const Model *m, int rows,
                        int cols, Err *e) {
    NadeParams p;
    nade_point(&p, m->params, m->d, m->h);
    int pick[25], h = m->h, d = m->d;
    double *norm = calloc((size_t)h, sizeof *norm);
    if (!norm)
        return err_set(e, "%s: out of memory for the weights' norms",
                       path);
    for (int j = 0; j < d; j++)
        for (int k = 0; k < h; k++) {
            double w = p.W[(size_t)j * h + k];
            norm[k] += w * w;
        }
    for (int t = 0; t < 25 && t < h; t++) { /* 25 largest, in order */
        int best = -1;
        for (int k = 0; k < h; k++)
            if (norm[k] >= 0 && (best < 0 || norm[k] > norm[best]))
                best = k;
        pick[t] = best;
        norm[best] = -1;
    }
    free(norm);
    int n = h < 25 ? h : 25, H = 5 * (rows + 1) - 1,
        Wd = 5 * (cols + 1) - 1;
    OutFile o;
    if (out_open(&o, path, e)) return -1;
    for (int r = 0; r < H; r++) {
        for (int c = 0; c < Wd; c++) {
            int t = (r / (rows + 1)) * 5 + c / (cols + 1);
            int pr = r % (rows + 1), pc = c % (cols + 1);
            if (pr == rows || pc == cols || t >= n) {
                fprintf(o.f, "NaN");
            } else {
                int k = pick[t];
                float mx = 0;
                for (int j = 0; j < d; j++)
                    mx = fmaxf(mx, fabsf(p.W[(size_t)j * h + k]));
                fprintf(o.f, "%.3f",
                        p.W[(size_t)(pr * cols + pc) * h + k] / mx);
            }
            fputc(c + 1 < Wd ? ' ' : '\n', o.f);
        }
    }
    return out_close(&o, e);
}

int exp_ch05(const ExpOptions *opt, Err *e) {
    const ExpTrainSpec spec = {.model = "nade",
                               .h = NADE_HIDDEN,
                               .epochs = opt->quick ? 2 : NADE_EPOCHS,
                               .batch = 100,
                               .lr = NADE_LR,
                               .ckpt_name = "nade.ckpt"};
    ExpRun run, tiled;
    int rc = exp_train(opt, &spec, &run, e);
    if (rc) return rc;
    char path[1100];
    Values v = {0};
    Rng rng;
    rng_seed(&rng, opt->seed + 1);
    /* the same NADE with the blocked step, for appendix C */
    if ((rc = exp_kernels(opt, &spec, &run,
                          "nade_forward, nade_backward",
                          "src/training/nade_tiled.c", &tiled, &v, e)))
        goto done;
    exp_run_free(&tiled);
    { /* the blocked step's working set, for appendix C */
        NadeTiled t;
        if (nade_tiled_init(&t, run.m.d, run.m.h, 1)) {
            err_set(e, "chapter 5: out of memory");
            rc = 1;
            goto done;
        }
        double row = t.hp * 4.0; /* bytes of a packed row */
        values_add(&v, "nade_matrix_mb", "%.1f",
                   run.m.d * row / (1024.0 * 1024.0));
        values_add(&v, "nade_group", "%d", NADE_GROUP);
        values_add(&v, "nade_group_kb", "%.0f",
                   4 * NADE_GROUP * row / 1024);
        values_add(&v, "nade_image_kb", "%.0f", 3 * row / 1024);
        /* the slots: h at the start and after each pixel on */
        double on = exp_mean_on(&run.ds.split[SPLIT_TRAIN]);
        values_add(&v, "nade_mean_on", "%.0f", on);
        values_add(&v, "nade_slots_kb", "%.0f", (on + 1) * row / 1024);
        nade_tiled_free(&t);
    }
    rc = 1;
    if (write_fields(
            exp_path(path, sizeof path, opt->out, "fields.dat"), &run.m,
            run.ds.rows, run.ds.cols, e) ||
        time_vs_d(
            exp_path(path, sizeof path, opt->out, "time-vs-d.tsv"),
            data_density(&run.ds.split[SPLIT_TRAIN]), spec.h, &rng, e))
        goto done;
    exp_run_values(&v, opt, &spec, &run);
    if (values_write(&v, opt->out, e)) goto done;
    printf("chapter 5: test NLL %.2f nats, best validation epoch %d of "
           "%d\n",
           run.test_nll, run.r.best_epoch, spec.epochs);
    rc = 0;
done:
    exp_run_free(&run);
    return rc;
}
