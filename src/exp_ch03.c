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
    if (make_dirs(opt->out, NULL)) return 1;
    Dataset ds;
    Err e;
    if (data_load(&ds, "mnist", "data", &e)) {
        fprintf(stderr, "autoreg: %s\n", e.msg);
        return 2;
    }
    const Split *tr = &ds.split[SPLIT_TRAIN], *va = &ds.split[SPLIT_VALID],
                *te = &ds.split[SPLIT_TEST];
    int d = tr->d, rc = 1;
    const int epochs = opt->quick ? 3 : 15, batch = 100;
    const float lr = 0.01f;
    char logp[1100], tlog[1100], ckpt[1100], path[1100];
    Model m;
    if (model_create(&m, model_ops_by_name("fvsbn"), d, 0, batch, &e)) {
        fprintf(stderr, "autoreg: %s\n", e.msg);
        data_free(&ds);
        return 1;
    }
    double *marg = malloc((size_t)d * sizeof *marg);
    uint8_t *samples = malloc(100 * (size_t)d);
    if (!marg || !samples) goto done;
    Rng rng;
    rng_seed(&rng, opt->seed);
    model_marginals(marg, tr->x, tr->n, d);
    m.ops->init(m.params, d, 0, marg, &rng);
    /* the independent-pixel model we start from, for comparison */
    double nll_indep = model_mean_nll(&m, te->x, te->n);

    TrainConfig c = {epochs, batch, lr, OPT_ADAM, opt->seed,
                     exp_path(logp, sizeof logp, opt->out, "train.tsv"),
                     exp_path(tlog, sizeof tlog, opt->out, "time.tsv"),
                     exp_path(ckpt, sizeof ckpt, opt->out, "fvsbn.ckpt"), 0};
    TrainResult r;
    if (train_model(&m, tr, va, &c, &r, &e)) {
        fprintf(stderr, "autoreg: %s\n", e.msg);
        goto done;
    }
    double test_nll = model_mean_nll(&m, te->x, te->n);

    m.ops->sample(&m, samples, 100, &rng);
    const int centre = (ds.rows / 2) * ds.cols + ds.cols / 2;
    if (image_grid_write(exp_path(path, sizeof path, opt->out,
                                  "samples.dat"),
                         IMG_MATRIX, samples, 100, ds.rows, ds.cols, 10, 1,
                         &e) ||
        image_grid_write(exp_path(path, sizeof path, opt->out,
                                  "test-digits.dat"),
                         IMG_MATRIX, te->x, 100, ds.rows, ds.cols, 10, 1,
                         &e)) {
        fprintf(stderr, "autoreg: %s\n", e.msg);
        goto done;
    }
    if (write_weight_map(exp_path(path, sizeof path, opt->out,
                                  "weights-centre.dat"),
                         &m, centre, ds.rows, ds.cols))
        goto done;

    Values v = {0};
    values_add(&v, "seed", "%llu", (unsigned long long)opt->seed);
    values_add(&v, "n_params", "%zu", m.n_params);
    values_add(&v, "d", "%d", d);
    values_add(&v, "epochs", "%d", epochs);
    values_add(&v, "batch", "%d", batch);
    values_add(&v, "lr", "%g", lr);
    values_add(&v, "best_epoch", "%d", r.best_epoch);
    values_add(&v, "best_valid", "%.2f", r.best_valid_nll);
    values_add(&v, "last_train", "%.2f", r.last_train_nll);
    values_add(&v, "test_nll", "%.2f", test_nll);
    values_add(&v, "test_bpd", "%.4f", test_nll / (d * log(2.0)));
    values_add(&v, "indep_nll", "%.2f", nll_indep);
    values_add(&v, "indep_bpd", "%.4f", nll_indep / (d * log(2.0)));
    values_add(&v, "uniform_nll", "%.2f", d * log(2.0));
    values_add(&v, "examples_per_s", "%.0f", r.examples_per_s);
    values_add(&v, "threads", "%d", parallel_threads());
    values_add(&v, "seconds_per_epoch", "%.2f", r.seconds / epochs);
    values_add(&v, "centre", "%d", centre);
    values_add(&v, "centre_row", "%d", centre / ds.cols);
    values_add(&v, "centre_col", "%d", centre % ds.cols);
    FvsbnParams p;
    fvsbn_point(&p, m.params, d);
    float wmax = 0; /* colour scale of the weight map */
    for (int j = 0; j < centre; j++)
        wmax = fmaxf(wmax, fabsf(p.w[fvsbn_col(j, d) + (centre - j - 1)]));
    values_add(&v, "centre_wmax", "%.3f", wmax);
    if (values_write(&v, opt->out)) goto done;
    printf("chapter 3: test NLL %.2f nats (%.4f bits/dim), best validation "
           "epoch %d of %d\n", test_nll, test_nll / (d * log(2.0)),
           r.best_epoch, epochs);
    rc = 0;
done:
    free(marg);
    free(samples);
    model_free(&m);
    data_free(&ds);
    return rc;
}
