/* exp_ch04.c - chapter 4's experiment: MLP conditionals on binarized
 * MNIST at a small h, and the parameter counts of every model family
 * from the code's own size functions. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "data.h"
#include "experiments.h"
#include "fvsbn.h"
#include "image.h"
#include "mlp.h"
#include "model.h"
#include "nade.h"
#include "out.h"
#include "parallel.h"
#include "tabular.h"
#include "train.h"

/* Parameter counts against d, h = 500, for the log-log figure. The
 * table's 2^d - 1 is printed as a power of ten past d = 62. */
static int write_counts(const char *path, int h) {
    static const int ds[] = {1,   2,   3,   4,   6,   8,   12,  16,  24,
                             32,  48,  64,  96,  128, 192, 256, 384, 512,
                             640, 784};
    OutFile o;
    if (out_open(&o, path, NULL)) return -1;
    fprintf(o.f, "# d\ttable\tfvsbn\tmlp\tnade\n");
    for (size_t t = 0; t < sizeof ds / sizeof ds[0]; t++) {
        int d = ds[t];
        /* the table's count as a double: 2^d - 1 overflows a long */
        double table = d <= 62 ? (double)chain_num_params(d)
                               : pow(2.0, d) - 1;
        fprintf(o.f, "%d\t%.6g\t%zu\t%zu\t%zu\n", d, table,
                fvsbn_num_params(d), mlp_num_params(d, h),
                nade_num_params(d, h));
    }
    return out_close(&o, NULL);
}

int exp_ch04(const ExpOptions *opt) {
    if (make_dirs(opt->out, NULL)) return 1;
    char path[1100], logp[1100], tlog[1100], ckpt[1100];
    if (write_counts(exp_path(path, sizeof path, opt->out, "counts.tsv"),
                     500))
        return 1;
    Dataset ds;
    Err e;
    if (data_load(&ds, "mnist", "data", &e)) {
        fprintf(stderr, "autoreg: %s\n", e.msg);
        return 2;
    }
    const Split *tr = &ds.split[SPLIT_TRAIN], *va = &ds.split[SPLIT_VALID],
                *te = &ds.split[SPLIT_TEST];
    const int d = tr->d, h = 8, batch = 100;
    const int epochs = opt->quick ? 2 : 10;
    const float lr = 0.01f;
    int rc = 1;
    Model m;
    if (model_create(&m, model_ops_by_name("mlp"), d, h, batch, &e)) {
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
    m.ops->init(m.params, d, h, marg, &rng);
    TrainConfig c = {epochs, batch, lr, OPT_ADAM, opt->seed,
                     exp_path(logp, sizeof logp, opt->out, "train.tsv"),
                     exp_path(tlog, sizeof tlog, opt->out, "time.tsv"),
                     exp_path(ckpt, sizeof ckpt, opt->out, "mlp.ckpt"), 0};
    TrainResult r;
    if (train_model(&m, tr, va, &c, &r, &e)) {
        fprintf(stderr, "autoreg: %s\n", e.msg);
        goto done;
    }
    double test_nll = model_mean_nll(&m, te->x, te->n);
    m.ops->sample(&m, samples, 100, &rng);
    if (image_grid_write(exp_path(path, sizeof path, opt->out, "samples.dat"),
                         IMG_MATRIX, samples, 100, ds.rows, ds.cols, 10, 1,
                         &e)) {
        fprintf(stderr, "autoreg: %s\n", e.msg);
        goto done;
    }
    Values v = {0};
    values_add(&v, "seed", "%llu", (unsigned long long)opt->seed);
    values_add(&v, "h", "%d", h);
    values_add(&v, "n_params", "%zu", m.n_params);
    values_add(&v, "n_params_h500", "%zu", mlp_num_params(d, 500));
    values_add(&v, "epochs", "%d", epochs);
    values_add(&v, "lr", "%g", lr);
    values_add(&v, "best_epoch", "%d", r.best_epoch);
    values_add(&v, "best_valid", "%.2f", r.best_valid_nll);
    values_add(&v, "test_nll", "%.2f", test_nll);
    values_add(&v, "test_bpd", "%.4f", test_nll / (d * log(2.0)));
    values_add(&v, "examples_per_s", "%.0f", r.examples_per_s);
    values_add(&v, "threads", "%d", parallel_threads());
    values_add(&v, "seconds_per_epoch", "%.2f", r.seconds / epochs);
    if (values_write(&v, opt->out)) goto done;
    printf("chapter 4: test NLL %.2f nats, best validation epoch %d of %d\n",
           test_nll, r.best_epoch, epochs);
    rc = 0;
done:
    free(marg);
    free(samples);
    model_free(&m);
    data_free(&ds);
    return rc;
}
