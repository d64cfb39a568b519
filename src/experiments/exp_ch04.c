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

/* Parameter counts against d, h = 500, for the log-log figure (MADE,
 * chapter 7, with one hidden layer and with two of h units). The
 * table's 2^d - 1 is printed as a power of ten past d = 62. */
static int write_counts(const char *path, int h, Err *e) {
    static const int ds[] = {1,   2,   3,   4,   6,   8,  12,
                             16,  24,  32,  48,  64,  96, 128,
                             192, 256, 384, 512, 640, 784};
    OutFile o;
    if (out_open(&o, path, e)) return -1;
    fprintf(o.f, "# d\ttable\tfvsbn\tmlp\tnade\tmade\tmade2\n");
    for (size_t t = 0; t < sizeof ds / sizeof ds[0]; t++) {
        int d = ds[t];
        /* the table's count as a double: 2^d - 1 overflows a long */
        double table =
            d <= 62 ? (double)chain_num_params(d) : pow(2.0, d) - 1;
        const ModelOps *made = model_ops_by_name("made");
        fprintf(o.f, "%d\t%.6g\t%zu\t%zu\t%zu\t%zu\t%zu\n", d, table,
                model_ops_by_name("fvsbn")->num_params(d, 0, 0),
                model_ops_by_name("mlp")->num_params(d, h, 0),
                model_ops_by_name("nade")->num_params(d, h, 0),
                made->num_params(d, h, 0), made->num_params(d, h, h));
    }
    return out_close(&o, e);
}

int exp_ch04(const ExpOptions *opt, Err *e) {
    char path[1100];
    if (make_dirs(opt->out, e) ||
        write_counts(
            exp_path(path, sizeof path, opt->out, "counts.tsv"), 500,
            e))
        return 1;
    /* h = 500 would take hours per epoch here: a narrow model */
    const ExpTrainSpec spec = {.model = "mlp",
                               .h = MLP_HIDDEN,
                               .epochs = opt->quick ? 2 : 10,
                               .batch = 100,
                               .lr = 0.01f,
                               .ckpt_name = "mlp.ckpt"};
    ExpRun run;
    int rc = exp_train(opt, &spec, &run, e);
    if (rc) return rc;
    Values v = {0};
    exp_run_values(&v, opt, &spec, &run);
    values_add(&v, "n_params_h500", "%zu",
               model_ops_by_name("mlp")->num_params(run.m.d, 500, 0));
    rc = values_write(&v, opt->out, e) ? 1 : 0;
    if (!rc)
        printf("chapter 4: test NLL %.2f nats, best validation epoch "
               "%d of "
               "%d\n",
               run.test_nll, run.r.best_epoch, spec.epochs);
    exp_run_free(&run);
    return rc;
}
