/* exp_train.c - what the experiments of chapters 3-6 share: train a
 * model on a data set (mnist unless said) with early stopping, evaluate
 * it on the test split, draw 100 samples, and report the common
 * numbers. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "experiments.h"
#include "image.h"
#include "nade_order.h"
#include "parallel.h"

int exp_train(const ExpOptions *opt, const ExpTrainSpec *spec,
              ExpRun *run, Err *e) {
    char logp[1100], tlog[1100], ckpt[1100], path[1100];
    if (make_dirs(opt->out, e)) return 1;
    static const char *const ORDER[] = {"", ", one random pixel order",
                                        ", a new order per minibatch"};
    char layers[48] = "";
    if (spec->h2) /* MADE's two hidden layers, the PixelCNN's sizes */
        snprintf(layers, sizeof layers,
                 strcmp(spec->model, "pixelcnn") ? " (h = %d, %d)"
                                                 : " (C = %d, L = %d)",
                 spec->h, spec->h2);
    printf("training %s%s on %s (%d epochs%s) into %s/\n", spec->model,
           layers, spec->data ? spec->data : "mnist", spec->epochs,
           ORDER[spec->order], opt->out);
    fflush(stdout);
    if (data_load(&run->ds, spec->data ? spec->data : "mnist", "data",
                  e))
        return 2;
    /* the quick preset trains on at most mnist's 8,000 images */
    if (opt->quick && run->ds.split[SPLIT_TRAIN].n > QUICK_TRAIN_MAX) {
        run->ds.split[SPLIT_TRAIN].n = QUICK_TRAIN_MAX;
        printf("(quick preset: the first %d training images)\n",
               QUICK_TRAIN_MAX);
    }
    const Split *tr = &run->ds.split[SPLIT_TRAIN];
    const Split *va = &run->ds.split[SPLIT_VALID];
    const Split *te = &run->ds.split[SPLIT_TEST];
    int d = tr->d;
    if (model_create2(&run->m, model_ops_by_name(spec->model), d,
                      spec->h, spec->h2, spec->batch, e)) {
        data_free(&run->ds);
        return 1;
    }
    uint8_t *samples = malloc(100 * (size_t)d);
    int rc = 1;
    Rng rng;
    rng_seed(&rng, opt->seed);
    if (!samples) {
        err_set(e, "out of memory for samples");
        goto done;
    }
    if (model_init_from_data(&run->m, tr->x, tr->n, &rng, e)) goto done;
    if (spec->order == ORDER_RANDOM) { /* chapter 6 */
        int *order = malloc((size_t)d * sizeof *order);
        Err oe;
        int oom = !order;
        if (order) order_random(order, d, &rng);
        int bad = oom || model_set_order(&run->m, order, &oe);
        free(order);
        if (bad) {
            err_set(e, "cannot set a pixel order (%s)",
                    oom ? "out of memory" : oe.msg);
            goto done;
        }
    }
    /* chapter 7: MADE's K masks, from one seed for every K, so that
     * mask 1 is the same in each run */
    if (run->m.ops->has_masks &&
        model_set_masks(&run->m, spec->masks > 0 ? spec->masks : 1,
                        spec->random_masks, opt->seed + 7, e))
        goto done;
    /* the model we start from: independent pixels for the FVSBN */
    run->start_nll = model_mean_nll(&run->m, te->x, te->n);
    TrainConfig c = {
        .epochs = spec->epochs,
        .batch = spec->batch,
        .lr = spec->lr,
        .opt = OPT_ADAM,
        .seed = opt->seed,
        .log_path = exp_path(logp, sizeof logp, opt->out, "train.tsv"),
        .time_path = exp_path(tlog, sizeof tlog, opt->out, "time.tsv"),
        .ckpt_path =
            exp_path(ckpt, sizeof ckpt, opt->out, spec->ckpt_name),
        .orderless = spec->order == ORDER_AGNOSTIC,
        .step = !spec->tiled ? NULL : trainstep_tiled_for(run->m.ops)};
    if (train_model(&run->m, tr, va, &c, &run->r, e)) goto done;
    run->test_nll = model_mean_nll(&run->m, te->x, te->n);
    run->m.ops->sample(&run->m, samples, 100, &rng);
    if (image_grid_write(
            exp_path(path, sizeof path, opt->out, "samples.dat"),
            IMG_MATRIX, samples, 100, run->ds.rows, run->ds.cols, 10, 1,
            e))
        goto done;
    rc = 0;
done:
    free(samples);
    if (rc) exp_run_free(run);
    return rc;
}

void exp_run_values(Values *v, const ExpOptions *opt,
                    const ExpTrainSpec *spec, const ExpRun *run) {
    int d = run->m.d;
    values_add(v, "seed", "%llu", (unsigned long long)opt->seed);
    values_add(v, "d", "%d", d);
    values_add(v, "h", "%d", spec->h);
    values_add(v, "n_params", "%zu", run->m.n_params);
    values_add(v, "epochs", "%d", spec->epochs);
    values_add(v, "batch", "%d", spec->batch);
    values_add(v, "lr", "%g", spec->lr);
    values_add(v, "best_epoch", "%d", run->r.best_epoch);
    values_add(v, "best_valid", "%.2f", run->r.best_valid_nll);
    values_add(v, "last_train", "%.2f", run->r.last_train_nll);
    values_add(v, "test_nll", "%.2f", run->test_nll);
    values_add(v, "test_bpd", "%.4f", run->test_nll / (d * log(2.0)));
    values_add(v, "examples_per_s", "%.0f", run->r.examples_per_s);
    values_add(v, "train_seconds", "%.1f", run->r.seconds);
    values_add(v, "seconds_per_epoch", "%.2f",
               run->r.seconds / spec->epochs);
    values_add(v, "threads", "%d", parallel_threads());
}

void exp_run_free(ExpRun *run) {
    model_free(&run->m);
    data_free(&run->ds);
}
