/* exp_ch03.c - chapter 3's experiment: FVSBN on binarized MNIST.
 * Trains with early stopping on the validation split, evaluates the
 * best parameters on the test split, draws samples, and writes the
 * weight map of the centre pixel. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "data.h"
#include "experiments.h"
#include "fvsbn.h"
#include "image.h"
#include "model.h"
#include "out.h"
#include "parallel.h"
#include "train.h"

/* w_{i,j} for j < i as a rows x cols matrix; NaN where j >= i. */
static int write_weight_map(const char *path, const Model *m, int i,
                            int rows, int cols) {
    FvsbnParams p;
    fvsbn_point(&p, m->params, m->d);
    OutFile o;
    if (out_open(&o, path, NULL)) return -1;
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++) {
            int j = r * cols + c;
            if (j < i)
                fprintf(o.f, "%.5g", p.w[fvsbn_col(j, m->d) + (i - j - 1)]);
            else
                fprintf(o.f, "NaN");
            fputc(c + 1 < cols ? ' ' : '\n', o.f);
        }
    return out_close(&o, NULL);
}

int exp_ch03(const ExpOptions *opt) {
    const ExpTrainSpec spec = {"fvsbn", 0, opt->quick ? 3 : 15, 100, 0.01f,
                               "fvsbn.ckpt", NULL, ORDER_RASTER};
    ExpRun run;
    int rc = exp_train(opt, &spec, &run);
    if (rc) return rc;
    const Model *m = &run.m;
    int d = m->d, rows = run.ds.rows, cols = run.ds.cols;
    const int centre = (rows / 2) * cols + cols / 2;
    char path[1100];
    Err e;
    rc = 1;
    if (image_grid_write(exp_path(path, sizeof path, opt->out,
                                  "test-digits.dat"),
                         IMG_MATRIX, run.ds.split[SPLIT_TEST].x, 100, rows,
                         cols, 10, 1, &e)) {
        fprintf(stderr, "autoreg: %s\n", e.msg);
        goto done;
    }
    if (write_weight_map(exp_path(path, sizeof path, opt->out,
                                  "weights-centre.dat"),
                         m, centre, rows, cols))
        goto done;
    Values v = {0};
    exp_run_values(&v, opt, &spec, &run);
    values_add(&v, "indep_nll", "%.2f", run.start_nll);
    values_add(&v, "indep_bpd", "%.4f", run.start_nll / (d * log(2.0)));
    values_add(&v, "uniform_nll", "%.2f", d * log(2.0));
    values_add(&v, "centre", "%d", centre);
    values_add(&v, "centre_row", "%d", centre / cols);
    values_add(&v, "centre_col", "%d", centre % cols);
    FvsbnParams p;
    fvsbn_point(&p, m->params, d);
    float wmax = 0; /* colour scale of the weight map */
    for (int j = 0; j < centre; j++)
        wmax = fmaxf(wmax, fabsf(p.w[fvsbn_col(j, d) + (centre - j - 1)]));
    values_add(&v, "centre_wmax", "%.3f", wmax);
    if (values_write(&v, opt->out)) goto done;
    printf("chapter 3: test NLL %.2f nats, best validation epoch %d of %d\n",
           run.test_nll, run.r.best_epoch, spec.epochs);
    rc = 0;
done:
    exp_run_free(&run);
    return rc;
}
