/* exp_ch07.c - chapter 7's experiment: MADE (h = 500) on binarized
 * MNIST with one mask in the raster order, then order- and
 * connectivity-agnostic MADEs of K = 1, 2, 4, .. masks evaluated as
 * ensembles, the multiply-adds the blocks skip, the minibatch kernel
 * beside chapter 7's code (kernels.tsv), MADE with two hidden layers,
 * and MADE on Fashion-MNIST for the results table. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data.h"
#include "experiments.h"
#include "made.h"
#include "model.h"
#include "out.h"
#include "values.h"

/* The multiply-adds of one forward pass over the test images, three
 * ways: dense (every weight of W and V, 2 d h), with the binary input
 * (only the columns of pixels that are on, all h rows of each), and
 * the block pass of made_forward (only the units each mask keeps). */
static int count_macs(const char *path, const Model *m, const Split *te,
                      Values *v, Err *e) {
    const MadeMask *mk = &m->masks[0];
    int d = m->d, h = m->h;
    double dense = 0, sparse = 0, blocks = 0;
    for (size_t n = 0; n < te->n; n++) {
        const uint8_t *x = te->x + n * (size_t)d;
        for (int j = 0; j < d; j++) {
            dense += 2.0 * h;
            sparse += h + (x[j] ? h : 0);
            blocks += mk->cut[j] + (x[j] ? h - mk->cut[j] : 0);
        }
    }
    double N = (double)te->n;
    OutFile o;
    if (out_open(&o, path, e)) return -1;
    fprintf(o.f, "pass\tmultiply-adds per image\tof dense\n");
    fprintf(o.f, "dense masked\t%.0f\t1.000\n", dense / N);
    fprintf(o.f, "binary input\t%.0f\t%.3f\n", sparse / N,
            sparse / dense);
    fprintf(o.f, "blocks\t%.0f\t%.3f\n", blocks / N, blocks / dense);
    values_add(v, "macs_dense", "%.0f", dense / N);
    values_add(v, "macs_sparse", "%.0f", sparse / N);
    values_add(v, "macs_blocks", "%.0f", blocks / N);
    values_add(v, "macs_blocks_pct", "%.0f", 100 * blocks / dense);
    values_add(v, "macs_skipped_pct", "%.0f",
               100 * (1 - blocks / dense));
    return out_close(&o, e);
}

/* Units that see only pixels blank in every training image: their
 * input is constant, under the raster mask of m and under a random
 * order with the same degrees. */
static int blank_units(const Model *m, const Split *tr, uint64_t seed,
                       Values *v, Err *e) {
    int d = m->d, h = m->h;
    unsigned char on[MODEL_MAX_D] = {0};
    for (size_t n = 0; n < tr->n; n++)
        for (int j = 0; j < d; j++) on[j] |= tr->x[n * (size_t)d + j];
    Model r;
    if (model_create(&r, m->ops, d, h, 1, e) ||
        model_set_masks(&r, 1, 1, seed, e))
        return -1;
    const Model *two[2] = {m, &r};
    static const char *const KEY[2] = {"blank_units_raster",
                                       "blank_units_random"};
    for (int t = 0; t < 2; t++) {
        const MadeMask *mk = &two[t]->masks[0];
        int blank = 0;
        for (int k = 0; k < h; k++) { /* unit k sees places 1..m_k */
            int seen_on = 0;
            for (int p = 0; p < mk->deg[k] && !seen_on; p++)
                seen_on = on[mk->order[p]];
            blank += !seen_on;
        }
        values_add(v, KEY[t], "%d", blank);
    }
    int never = 0;
    for (int j = 0; j < d; j++) never += !on[j];
    values_add(v, "pixels_never_on", "%d", never);
    model_free(&r);
    return 0;
}

/* The two masks of a small MADE as 0/1 matrices, the pixels listed by
 * their place in the order: mask-in.dat (h rows, d columns) and
 * mask-out.dat (d rows, h columns). */
static int mask_picture(const ExpOptions *opt, Err *e) {
    enum { D = 16, H = 24 };
    Model m;
    char path[1100];
    if (model_create(&m, model_ops_by_name("made"), D, H, 1, e) ||
        model_set_masks(&m, 1, 1, opt->seed + 7, e))
        return -1;
    const MadeMask *mk = &m.masks[0];
    OutFile o;
    int rc = -1;
    if (out_open(&o,
                 exp_path(path, sizeof path, opt->out, "mask-in.dat"),
                 e))
        goto done;
    for (int k = 0; k < H; k++) /* M_{k,j} = [m_k >= pos_j] */
        for (int t = 0; t < D; t++)
            fprintf(o.f, "%d%c", mk->deg[k] >= mk->pos[mk->order[t]],
                    t + 1 < D ? ' ' : '\n');
    if (out_close(&o, e) ||
        out_open(&o,
                 exp_path(path, sizeof path, opt->out, "mask-out.dat"),
                 e))
        goto done;
    for (int t = 0; t < D; t++) /* M'_{i,k} = [pos_i > m_k] */
        for (int k = 0; k < H; k++)
            fprintf(o.f, "%d%c", mk->pos[mk->order[t]] > mk->deg[k],
                    k + 1 < H ? ' ' : '\n');
    rc = out_close(&o, e);
done:
    model_free(&m);
    return rc;
}

/* Order- and connectivity-agnostic training with K masks, for K = 1,
 * 2, 4, .. kmax: each a MADE of its own, evaluated on the test split as
 * the ensemble of its K masks and by its first mask alone. */
static int agnostic(const ExpOptions *opt, const ExpTrainSpec *base,
                    int kmax, double *one_random, Values *v,
                    ExpRows *rows, Err *e) {
    char path[1100], dir[1100];
    OutFile o;
    if (out_open(&o,
                 exp_path(path, sizeof path, opt->out, "ensemble.tsv"),
                 e))
        return 1;
    fprintf(o.f, "masks K\tensemble test NLL\tits first mask alone\t"
                 "last training NLL\tbest epoch\n");
    int rc = 0;
    for (int K = 1; K <= kmax && !rc; K *= 2) {
        ExpTrainSpec spec = *base;
        spec.masks = K;
        spec.random_masks = 1;
        snprintf(dir, sizeof dir, "%s/agnostic-%d", opt->out, K);
        ExpOptions sub = *opt;
        sub.out = dir;
        ExpRun run;
        if ((rc = exp_train(&sub, &spec, &run, e))) break;
        const Split *te = &run.ds.split[SPLIT_TEST];
        run.m.mask = 0; /* the first mask alone */
        double first = model_mean_nll(&run.m, te->x, te->n);
        model_use_ensemble(&run.m);
        fprintf(o.f, "%d\t%.2f\t%.2f\t%.2f\t%d\n", K, run.test_nll,
                first, run.r.last_train_nll, run.r.best_epoch);
        char key[32];
        snprintf(key, sizeof key, "ens_%d", K);
        values_add(v, key, "%.2f", run.test_nll);
        snprintf(key, sizeof key, "ens_first_%d", K);
        values_add(v, key, "%.2f", first);
        if (K * 2 > kmax) {
            char label[64];
            snprintf(label, sizeof label, "MADE, h = %d, %d masks",
                     spec.h, K);
            exp_rows_add(rows, "mnist", label, &run, spec.epochs);
            values_add(v, "ens_kmax", "%d", K);
            values_add(v, "ens_all", "%.2f", run.test_nll);
            values_add(v, "ens_first_all", "%.2f", first);
            values_add(v, "ens_gain", "%.2f", first - run.test_nll);
            values_add(v, "ens_train_all", "%.2f",
                       run.r.last_train_nll);
            values_add(v, "ens_best_all", "%d", run.r.best_epoch);
        }
        if (K == 1) {
            *one_random = run.test_nll;
            values_add(v, "ens_train_1", "%.2f", run.r.last_train_nll);
            values_add(v, "ens_best_1", "%d", run.r.best_epoch);
        }
        exp_run_free(&run);
    }
    if (rc) {
        out_discard(&o);
        return rc;
    }
    return out_close(&o, e) ? 1 : 0;
}

/* Two hidden layers: one random mask for each size of MADE2_SIZES,
 * the best by validation NLL kept for the results table. */
static int two_layers(const ExpOptions *opt, const ExpTrainSpec *base,
                      double one_layer, Values *v, ExpRows *rows,
                      Err *e) {
    static const int SIZES[][2] = {MADE2_SIZES};
    int n = (int)(sizeof SIZES / sizeof SIZES[0]);
    char path[1100], dir[1100];
    OutFile o;
    if (out_open(
            &o, exp_path(path, sizeof path, opt->out, "two-layers.tsv"),
            e))
        return 1;
    fprintf(o.f,
            "hidden units\tparameters\tbest epoch\tvalidation NLL\t"
            "test NLL\ts per epoch\n");
    int rc = 0, best = -1;
    ExpRun keep; /* the best so far, by validation NLL */
    double per_best = 0;
    for (int c = 0; c < n && !rc; c++) {
        ExpTrainSpec spec = *base;
        spec.h = SIZES[c][0];
        spec.h2 = SIZES[c][1];
        spec.random_masks = 1;
        snprintf(dir, sizeof dir, "%s/two-%d-%d", opt->out, spec.h,
                 spec.h2);
        ExpOptions sub = *opt;
        sub.out = dir;
        ExpRun run;
        if ((rc = exp_train(&sub, &spec, &run, e))) break;
        int done = run.r.epochs_done > 0 ? run.r.epochs_done : 1;
        double per = run.r.seconds / done;
        fprintf(o.f, "%d, %d\t%zu\t%d\t%.2f\t%.2f\t%.2f\n", spec.h,
                spec.h2, run.m.n_params, run.r.best_epoch,
                run.r.best_valid_nll, run.test_nll, per);
        if (best < 0 || run.r.best_valid_nll < keep.r.best_valid_nll) {
            if (best >= 0) exp_run_free(&keep);
            keep = run;
            best = c;
            per_best = per;
        } else {
            exp_run_free(&run);
        }
    }
    if (best >= 0) {
        char label[64];
        snprintf(label, sizeof label,
                 "MADE, h = %d, %d, one random mask", keep.m.h,
                 keep.m.h2);
        exp_rows_add(rows, "mnist", label, &keep, base->epochs);
        values_add(v, "two_h", "%d", keep.m.h);
        values_add(v, "two_h2", "%d", keep.m.h2);
        values_add(v, "two_test_nll", "%.2f", keep.test_nll);
        values_add(v, "two_valid_nll", "%.2f", keep.r.best_valid_nll);
        values_add(v, "two_n_params", "%zu", keep.m.n_params);
        values_add(v, "two_best_epoch", "%d", keep.r.best_epoch);
        values_add(v, "two_seconds_per_epoch", "%.2f", per_best);
        values_add(v, "two_last_train", "%.2f", keep.r.last_train_nll);
        values_add(v, "two_configs", "%d", n);
        /* for the prose: the best two-layer MADE against one layer's */
        values_add(v, "two_vs_one", "%s",
                   keep.test_nll < one_layer ? "below" : "above");
        exp_run_free(&keep);
    }
    if (rc) {
        out_discard(&o);
        return rc;
    }
    return out_close(&o, e) ? 1 : 0;
}

int exp_ch07(const ExpOptions *opt, Err *e) {
    const ExpTrainSpec spec = {.model = "made",
                               .h = MADE_HIDDEN,
                               .epochs = opt->quick ? 2 : MADE_EPOCHS,
                               .batch = 100,
                               .lr = MADE_LR,
                               .ckpt_name = "made.ckpt",
                               .masks = 1};
    ExpRun run;
    int rc = exp_train(opt, &spec, &run, e);
    if (rc) return rc;
    Values v = {0};
    ExpRows rows = {0};
    char path[1100], label[64];
    snprintf(label, sizeof label, "MADE, h = %d, one mask", spec.h);
    exp_rows_add(&rows, "mnist", label, &run, spec.epochs);
    exp_run_values(&v, opt, &spec, &run);
    values_add(&v, "kept_weights", "%zu",
               made_kept_weights(run.m.d, run.m.h));
    double one = run.test_nll;
    rc = 1;
    if (count_macs(exp_path(path, sizeof path, opt->out, "blocks.tsv"),
                   &run.m, &run.ds.split[SPLIT_TEST], &v, e) ||
        blank_units(&run.m, &run.ds.split[SPLIT_TRAIN], opt->seed + 7,
                    &v, e) ||
        mask_picture(opt, e))
        goto done;
    /* the same MADE with the minibatch kernel, for appendix C */
    ExpRun tiled;
    if ((rc = exp_kernels(opt, &spec, &run,
                          "made_forward, made_backward",
                          "src/training/made_tiled.c", &tiled, &v, e)))
        goto done;
    exp_run_free(&tiled);
    { /* the weights of V each kernel reads per minibatch, forward */
        const MadeMask *mk = &run.m.masks[0];
        double kept = 0, mb = 1024.0 * 1024.0;
        for (int i = 0; i < run.m.d; i++) kept += mk->cut[i];
        int hp = (run.m.h + 31) / 32 * 32,
            blocks = (spec.batch + 31) / 32;
        values_add(&v, "v_kept_mb", "%.2f", kept * 4 / mb);
        values_add(&v, "plain_v_read_mb", "%.0f",
                   kept * 4 * spec.batch / mb);
        values_add(&v, "tiled_v_read_mb", "%.1f",
                   (double)run.m.d * hp * 4 * blocks / mb);
        values_add(&v, "tiled_image_blocks", "%d", blocks);
    }
    exp_run_free(&run);
    /* the same MADE on Fashion-MNIST, for chapter 6's table, with the
     * minibatch kernel (the same updates; appendix C holds it to your
     * code's definition): 50,000 images an epoch */
    ExpTrainSpec fashion = spec;
    fashion.tiled = 1;
    if ((rc = exp_fashion(opt, &fashion,
                          opt->quick ? 1 : MADE_FASHION_EPOCHS, label,
                          &rows, &v, e)))
        return rc;
    double one_random = NAN; /* agnostic's K = 1: one random mask */
    if ((rc = agnostic(opt, &spec, opt->quick ? 2 : MADE_KMAX,
                       &one_random, &v, &rows, e)) ||
        (rc = two_layers(opt, &spec, one_random, &v, &rows, e)))
        return rc;
    if (exp_results(opt, "ch06", &rows, e) ||
        values_write(&v, opt->out, e))
        return 1;
    printf("chapter 7: test NLL %.2f nats with one mask\n", one);
    return 0;
done:
    exp_run_free(&run);
    return rc;
}
