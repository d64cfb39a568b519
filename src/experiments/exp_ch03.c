/* exp_ch03.c - chapter 3's experiment: FVSBN on binarized MNIST.
 * Chooses the step size on the validation split (lr.tsv), trains with
 * early stopping on the validation split, evaluates the
 * best parameters on the test split, draws samples, and writes the
 * weight map of the centre pixel. Then trains again with the tiled
 * kernel (into OUT/tiled) and writes kernels.tsv: the two side by
 * side, and what each reads from memory per minibatch. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "data.h"
#include "experiments.h"
#include "fvsbn.h"
#include "fvsbn_tiled.h"
#include "image.h"
#include "model.h"
#include "out.h"
#include "parallel.h"
#include "train.h"

/* w_{i,j} for j < i as a rows x cols matrix; NaN where j >= i. */
static int write_weight_map(const char *path, const Model *m, int i,
                            int rows, int cols, Err *e) {
    FvsbnParams p;
    fvsbn_point(&p, m->params, m->d);
    OutFile o;
    if (out_open(&o, path, e)) return -1;
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++) {
            int j = r * cols + c;
            if (j < i)
                fprintf(o.f, "%.5g",
                        p.w[fvsbn_col(j, m->d) + (i - j - 1)]);
            else fprintf(o.f, "NaN");
            fputc(c + 1 < cols ? ' ' : '\n', o.f);
        }
    return out_close(&o, e);
}

/* The same training with --kernel tiled (exp_kernels), and what each
 * kernel reads from memory per minibatch, for the appendix. */
static int kernels(const ExpOptions *opt, const ExpTrainSpec *spec,
                   const ExpRun *plain, Values *v, Err *e) {
    ExpRun run;
    int rc =
        exp_kernels(opt, spec, plain, "fvsbn_forward, fvsbn_backward",
                    "src/training/fvsbn_tiled.c", &run, v, e);
    if (rc) return rc;
    rc = 1;
    /* Weights read per minibatch. Plain: every image reads the columns
     * of its pixels that are on, sum_j x_j (d - 1 - j) floats. Tiled:
     * each band once per minibatch, if it stays in cache. */
    const Split *tr = &plain->ds.split[SPLIT_TRAIN];
    int d = tr->d;
    double on = 0, reads = 0;
    for (size_t n = 0; n < tr->n; n++)
        for (int j = 0; j < d; j++)
            if (tr->x[n * (size_t)d + j]) {
                on += 1;
                reads += d - 1 - j;
            }
    on /= (double)tr->n;
    reads /= (double)tr->n;
    FvsbnTiled t;
    if (fvsbn_tiled_init(&t, d, 1)) {
        err_set(e,
                "out of memory for the tiled kernel's layout (d = %d)",
                d);
        goto done;
    }
    double mb = 1024.0 * 1024.0;
    values_add(v, "on_mean", "%.0f", on);
    values_add(v, "w_mb", "%.1f", (double)plain->m.n_params * 4 / mb);
    values_add(v, "plain_read_mb", "%.0f",
               reads * 4 * spec->batch / mb);
    values_add(v, "tiled_read_mb", "%.1f", (double)t.n * 4 / mb);
    values_add(v, "tiled_pad", "%.0f",
               100.0 * ((double)t.n / plain->m.n_params - 1));
    values_add(v, "tile", "%d", FVSBN_TILE);
    values_add(v, "bands", "%d", t.bands);
    values_add(v, "band_kb", "%.0f",
               (double)(d + 1) * FVSBN_TILE * 4 / 1024);
    fvsbn_tiled_free(&t);
    long l2 = sysconf(_SC_LEVEL2_CACHE_SIZE);
    if (l2 > 0) values_add(v, "l2_kb", "%ld", l2 / 1024);
    else values_add(v, "l2_kb", "%s", "(unknown)");
    rc = 0;
done:
    exp_run_free(&run);
    return rc;
}

/* The step size is chosen on the validation split: the same training
 * with each of LRS (into OUT/lr-K), the best validation NLL wins.
 * Writes lr.tsv; *best is the winner. */
static const float LRS[] = {0.001f, 0.003f, 0.01f, 0.03f};
enum { N_LRS = sizeof LRS / sizeof LRS[0] };

static int choose_lr(const ExpOptions *opt, const ExpTrainSpec *spec,
                     float *best, Err *e) {
    char dir[1100], name[32], path[1100];
    double nll[N_LRS];
    int epoch[N_LRS], k_best = 0;
    for (int k = 0; k < N_LRS; k++) {
        ExpOptions o = *opt;
        snprintf(name, sizeof name, "lr-%d", k);
        o.out = exp_path(dir, sizeof dir, opt->out, name);
        ExpTrainSpec s = *spec;
        s.lr = LRS[k];
        ExpRun run;
        int rc = exp_train(&o, &s, &run, e);
        if (rc) return rc;
        nll[k] = run.r.best_valid_nll;
        epoch[k] = run.r.best_epoch;
        exp_run_free(&run);
        if (nll[k] < nll[k_best]) k_best = k;
    }
    OutFile f;
    if (out_open(&f, exp_path(path, sizeof path, opt->out, "lr.tsv"),
                 e))
        return 1;
    fprintf(f.f, "step size\tbest validation NLL\tat epoch\n");
    for (int k = 0; k < N_LRS; k++)
        fprintf(f.f, "%g%s\t%.2f\t%d\n", LRS[k],
                k == k_best ? " (chosen)" : "", nll[k], epoch[k]);
    if (out_close(&f, e)) return 1;
    *best = LRS[k_best];
    return 0;
}

int exp_ch03(const ExpOptions *opt, Err *e) {
    ExpTrainSpec spec = {.model = "fvsbn",
                         .epochs = opt->quick ? 3 : 15,
                         .batch = 100,
                         .lr = 0.01f,
                         .ckpt_name = "fvsbn.ckpt"};
    int rc = choose_lr(opt, &spec, &spec.lr, e);
    if (rc) return rc;
    ExpRun run;
    rc = exp_train(opt, &spec, &run, e);
    if (rc) return rc;
    const Model *m = &run.m;
    int d = m->d, rows = run.ds.rows, cols = run.ds.cols;
    const int centre = (rows / 2) * cols + cols / 2;
    char path[1100];
    rc = 1;
    if (image_grid_write(
            exp_path(path, sizeof path, opt->out, "test-digits.dat"),
            IMG_MATRIX, run.ds.split[SPLIT_TEST].x, 100, rows, cols, 10,
            1, e) ||
        write_weight_map(
            exp_path(path, sizeof path, opt->out, "weights-centre.dat"),
            m, centre, rows, cols, e))
        goto done;
    Values v = {0};
    exp_run_values(&v, opt, &spec, &run);
    values_add(&v, "indep_nll", "%.2f", run.start_nll);
    values_add(&v, "indep_bpd", "%.4f", run.start_nll / (d * log(2.0)));
    values_add(&v, "uniform_nll", "%.2f", d * log(2.0));
    /* the ideal code length of a test digit: -log2 p(x) / 8 bytes */
    values_add(&v, "test_bytes", "%.1f", run.test_nll / log(2.0) / 8);
    values_add(&v, "bitmap_bytes", "%d", d / 8);
    values_add(&v, "centre", "%d", centre);
    values_add(&v, "centre_row", "%d", centre / cols);
    values_add(&v, "centre_col", "%d", centre % cols);
    FvsbnParams p;
    fvsbn_point(&p, m->params, d);
    float wmax = 0; /* colour scale of the weight map */
    for (int j = 0; j < centre; j++)
        wmax =
            fmaxf(wmax, fabsf(p.w[fvsbn_col(j, d) + (centre - j - 1)]));
    values_add(&v, "centre_wmax", "%.3f", wmax);
    if ((rc = kernels(opt, &spec, &run, &v, e)) != 0) goto done;
    rc = 1;
    if (values_write(&v, opt->out, e)) goto done;
    printf("chapter 3: test NLL %.2f nats, best validation epoch %d of "
           "%d; "
           "--kernel tiled %s times faster\n",
           run.test_nll, run.r.best_epoch, spec.epochs,
           values_get(&v, "tiled_speedup"));
    rc = 0;
done:
    exp_run_free(&run);
    return rc;
}
