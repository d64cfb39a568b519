/* exp_ch06.c - chapter 6's experiment, part 1: the results table over
 * both data sets (chapters 3-5's runs on mnist, the same models
 * trained here on fashion, and the independent-pixel baseline), and
 * NADE under other pixel orders with ensembles over orders. Part 2
 * (completion, representations) is exp_ch06_beyond.c, part 3
 * (evaluation against sampling) exp_ch06_parseq.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bernoulli.h"
#include "clock.h"
#include "evaluate.h"
#include "experiments.h"
#include "image.h"
#include "mathx.h"
#include "model.h"
#include "nade.h"
#include "nade_order.h"
#include "train.h"

/* Fashion-MNIST has 50,000 training images, 6 times mnist's 8,000:
 * fewer epochs (each is 6 times longer), chosen so that make book
 * stays within its 12 minutes on 2 cores. */
static const ExpTrainSpec FASHION[] = {
    {.model = "fvsbn",
     .epochs = 10,
     .batch = 100,
     .lr = 0.01f,
     .ckpt_name = "fvsbn.ckpt",
     .data = "fashion"},
    {.model = "mlp",
     .h = MLP_HIDDEN,
     .epochs = 2,
     .batch = 100,
     .lr = 0.01f,
     .ckpt_name = "mlp.ckpt",
     .data = "fashion"},
    /* with the blocked step of appendix C: the same model and updates
     * as chapter 5's code, in less time */
    {.model = "nade",
     .h = NADE_HIDDEN,
     .epochs = NADE_FASHION_EPOCHS,
     .batch = 100,
     .lr = NADE_LR,
     .ckpt_name = "nade.ckpt",
     .data = "fashion",
     .tiled = 1},
};
static const char *const LABEL[] = {"FVSBN", "MLP, h = 8",
                                    "NADE, h = 500"};
#define K_MAX 16 /* orders in the largest ensemble */

static void result_row(FILE *f, const char *data, const char *model,
                       size_t params, double nll, int d, double secs,
                       const char *epochs) {
    /* the book groups the digits of whole numbers: 307720 -> 307,720 */
    fprintf(f, "%s\t%s\t%zu\t%.2f\t%.4f\t%.1f\t%s\n", data, model,
            params, nll, nll / (d * log(2.0)), secs, epochs);
}

/* The baseline: fit on train by counting, evaluate on test. 0, or -1
 * with the error in e. */
static int baseline_row(FILE *f, const char *data, const Dataset *ds,
                        Err *e) {
    const Split *tr = &ds->split[SPLIT_TRAIN],
                *te = &ds->split[SPLIT_TEST];
    int d = tr->d;
    float *logit = malloc((size_t)d * sizeof *logit);
    if (!logit)
        return err_set(e,
                       "out of memory for the independent-pixel "
                       "baseline on %s",
                       data);
    double t0 = now_seconds();
    indep_fit(logit, tr->x, tr->n, d);
    double secs = now_seconds() - t0, nll = 0;
    for (size_t n = 0; n < te->n; n++)
        nll += bernoulli_nll(NULL, logit, te->x + n * d, d);
    result_row(f, data, "independent pixels", (size_t)d, nll / te->n, d,
               secs, "closed form");
    free(logit);
    return 0;
}

/* A chapter 3-5 run on mnist, from its values.tsv. */
static int mnist_row(FILE *f, const ExpOptions *opt, const char *ch,
                     const char *label, Err *e) {
    char dir[1100], ep[64];
    Values v;
    Err why;
    if (values_read(&v, exp_sibling(dir, sizeof dir, opt->out, ch),
                    &why))
        return err_set(e,
                       "%s (chapter 6 compares the runs of chapters "
                       "3-5: run them first)",
                       why.msg);
    const char *keys[] = {"n_params",      "test_nll", "d",
                          "train_seconds", "epochs",   "best_epoch"};
    for (int k = 0; k < 6; k++)
        if (!values_get(&v, keys[k]))
            return err_set(e,
                           "%s/values.tsv has no %s; rerun that "
                           "chapter",
                           dir, keys[k]);
    snprintf(ep, sizeof ep, "%s (best %s)", values_get(&v, "epochs"),
             values_get(&v, "best_epoch"));
    result_row(f, "mnist", label,
               (size_t)strtoull(values_get(&v, "n_params"), NULL, 10),
               atof(values_get(&v, "test_nll")),
               atoi(values_get(&v, "d")),
               atof(values_get(&v, "train_seconds")), ep);
    return 0;
}

/* "build/ch06/NAME" as the output directory of a sub-run. */
static ExpOptions sub_run(const ExpOptions *opt, char *buf, size_t size,
                          const char *name) {
    ExpOptions o = *opt;
    o.out = exp_path(buf, size, opt->out, name);
    return o;
}

/* Train the three models on fashion; a row each, plus the baseline
 * and the samples beside real items. */
static int fashion_rows(FILE *f, const ExpOptions *opt, Values *v,
                        Err *e) {
    for (int k = 0; k < 3; k++) {
        ExpTrainSpec spec = FASHION[k];
        if (opt->quick) spec.epochs = 1;
        char dir[1100], name[64], ep[64], path[1200];
        snprintf(name, sizeof name, "fashion-%s", spec.model);
        ExpOptions o = sub_run(opt, dir, sizeof dir, name);
        ExpRun run;
        int rc = exp_train(&o, &spec, &run, e);
        if (rc) return rc;
        const Split *te = &run.ds.split[SPLIT_TEST];
        if (k == 0 &&
            (baseline_row(f, "fashion", &run.ds, e) ||
             image_grid_write(exp_path(path, sizeof path, opt->out,
                                       "fashion-real.dat"),
                              IMG_MATRIX, te->x, 100, run.ds.rows,
                              run.ds.cols, 10, 1, e))) {
            exp_run_free(&run);
            return 1;
        }
        snprintf(ep, sizeof ep, "%d (best %d)", spec.epochs,
                 run.r.best_epoch);
        result_row(f, "fashion", LABEL[k], run.m.n_params, run.test_nll,
                   run.m.d, run.r.seconds, ep);
        snprintf(name, sizeof name, "fashion_%s_nll", spec.model);
        values_add(v, name, "%.2f", run.test_nll);
        snprintf(name, sizeof name, "fashion_%s_best", spec.model);
        values_add(v, name, "%d", run.r.best_epoch);
        snprintf(name, sizeof name, "fashion_%s_epochs", spec.model);
        values_add(v, name, "%d", spec.epochs);
        exp_run_free(&run);
    }
    return 0;
}

static int results_table(const ExpOptions *opt, Values *v, Err *e) {
    char path[1100];
    OutFile o;
    if (out_open(&o,
                 exp_path(path, sizeof path, opt->out, "results.tsv"),
                 e))
        return 1;
    fprintf(o.f, "data\tmodel\tparameters\ttest NLL (nats)\tbits/dim\t"
                 "train time (s)\tepochs\n");
    Dataset ds;
    if (data_load(&ds, "mnist", "data", e)) {
        out_discard(&o);
        return 2;
    }
    int bad = baseline_row(o.f, "mnist", &ds, e);
    data_free(&ds);
    static const char *const CH[] = {"ch03", "ch04", "ch05"};
    for (int k = 0; k < 3 && !bad; k++)
        bad = mnist_row(o.f, opt, CH[k], LABEL[k], e);
    if (bad) {
        out_discard(&o);
        return 1;
    }
    int rc = fashion_rows(o.f, opt, v, e);
    if (rc) {
        out_discard(&o);
        return rc;
    }
    return out_close(&o, e) ? 1 : 0;
}

/* The ensemble of K = 1, 2, 4, .. K_MAX random orders of one
 * order-agnostic NADE: log p(x) = log_mean_exp_k log p(x | o_k). */
static int ensemble_table(const ExpOptions *opt, Model *m,
                          const Split *te, Values *v, double *one,
                          double *all, Err *e) {
    int kmax = opt->quick ? 4 : K_MAX, d = m->d, rc = 1;
    double *nll = malloc((size_t)kmax * te->n * sizeof *nll);
    int *order = malloc((size_t)d * sizeof *order);
    char path[1100];
    OutFile o;
    if (!nll || !order) {
        err_set(e, "out of memory for the ensembles of %d orders",
                kmax);
        goto done;
    }
    if (out_open(&o,
                 exp_path(path, sizeof path, opt->out, "ensemble.tsv"),
                 e))
        goto done;
    Rng rng;
    rng_seed(&rng, opt->seed + 6);
    for (int k = 0; k < kmax; k++) {
        order_random(order, d, &rng);
        if (model_set_order(m, order, e)) {
            out_discard(&o);
            goto done;
        }
        model_example_nll(m, te->x, te->n, nll + (size_t)k * te->n);
    }
    model_set_order(m, NULL, e); /* back to raster; cannot fail */
    fprintf(o.f, "orders K\ttest NLL (nats)\tbits/dim\n");
    for (int K = 1; K <= kmax; K *= 2) {
        double sum = 0, lp[K_MAX];
        for (size_t n = 0; n < te->n; n++) {
            for (int k = 0; k < K; k++) lp[k] = -nll[k * te->n + n];
            sum -= log_mean_exp(lp, K);
        }
        double mean = sum / te->n;
        fprintf(o.f, "%d\t%.2f\t%.4f\n", K, mean,
                mean / (d * log(2.0)));
        char key[32];
        snprintf(key, sizeof key, "ensemble_%d", K);
        values_add(v, key, "%.2f", mean);
        if (K == 1) *one = mean;
        if (K * 2 > kmax) {
            values_add(v, "ensemble_kmax", "%d", K);
            values_add(v, "ensemble_all", "%.2f", mean);
            values_add(v, "ensemble_gain", "%.2f", *one - mean);
            *all = mean;
        }
    }
    rc = out_close(&o, e) ? 1 : 0;
done:
    free(nll);
    free(order);
    return rc;
}

/* Averaging the K orders' logits pixel by pixel is not a model: its
 * "probabilities" of all 2^d images do not sum to 1. The log-mean-exp
 * mixture does. A random NADE with d = 10, K = 4. 0, or -1 with the
 * error in e. */
static int logit_average_demo(Values *v, uint64_t seed, Err *e) {
    enum { D = 10, H = 4, K = 4, N = 1 << D };
    size_t per = nade_scratch_floats(D, H);
    size_t np = model_ops_by_name("nade")->num_params(D, H, 0);
    float *p = malloc(np * sizeof *p);
    float *scr = malloc((size_t)K * N * per * sizeof *scr);
    uint8_t *x = malloc((size_t)N * D);
    double *nll = malloc((size_t)K * N * sizeof *nll);
    int order[D], rc = -1;
    if (!p || !scr || !x || !nll) {
        err_set(e, "out of memory for the logit-average demo");
        goto done;
    }
    Rng rng;
    rng_seed(&rng, seed);
    for (size_t k = 0; k < np; k++)
        p[k] = 2.0f * (float)(2 * rng_uniform(&rng) - 1);
    for (int c = 0; c < N; c++)
        for (int i = 0; i < D; i++) x[c * D + i] = (c >> i) & 1;
    for (int k = 0; k < K; k++) {
        order_random(order, D, &rng);
        nade_forward_order(nll + k * N, scr + (size_t)k * N * per, x, p,
                           order, N, D, H);
    }
    double sum_avg = 0, sum_mix = 0, lp[K];
    for (int c = 0; c < N; c++) {
        double logp = 0;
        for (int i = 0; i < D; i++) {
            double mean_logit = 0; /* scratch holds sigma(logit) - x */
            for (int k = 0; k < K; k++) {
                double q =
                    scr[((size_t)k * N + c) * per + i] + x[c * D + i];
                q = fmin(fmax(q, 1e-7), 1 - 1e-7);
                mean_logit += log(q / (1 - q)) / K;
            }
            logp += log_bernoulli_logit(x[c * D + i], mean_logit);
        }
        sum_avg += exp(logp);
        for (int k = 0; k < K; k++) lp[k] = -nll[k * N + c];
        sum_mix += exp(log_mean_exp(lp, K));
    }
    values_add(v, "demo_d", "%d", D);
    values_add(v, "demo_k", "%d", K);
    values_add(v, "demo_configs", "%d", N);
    values_add(v, "logit_avg_sum", "%.3f", sum_avg);
    values_add(v, "mixture_sum", "%.9f", sum_mix);
    rc = 0;
done:
    free(p);
    free(scr);
    free(x);
    free(nll);
    return rc;
}

/* NADE trained on one fixed random order and order-agnostically; the
 * orders table and the ensembles. */
static int orders_experiment(const ExpOptions *opt, Values *v, Err *e) {
    ExpTrainSpec spec = {.model = "nade",
                         .h = NADE_HIDDEN,
                         .epochs = opt->quick ? 2 : NADE_EPOCHS,
                         .batch = 100,
                         .lr = NADE_LR,
                         .ckpt_name = "nade.ckpt",
                         .order = ORDER_RANDOM};
    char dir[1100], path[1100];
    Values v5;
    Err why;
    if (values_read(&v5, exp_sibling(dir, sizeof dir, opt->out, "ch05"),
                    &why)) {
        err_set(e, "%s (run chapter 5 first)", why.msg);
        return 1;
    }
    if (!values_get(&v5, "test_nll")) {
        err_set(e,
                "%s/values.tsv has no test_nll (run chapter 5 first)",
                dir);
        return 1;
    }
    ExpOptions o = sub_run(opt, dir, sizeof dir, "order-random");
    ExpRun fixed, agn;
    int rc = exp_train(&o, &spec, &fixed, e);
    if (rc) return rc;
    double fixed_nll = fixed.test_nll;
    values_add(v, "random_order_best", "%d", fixed.r.best_epoch);
    exp_run_free(&fixed);
    spec.order = ORDER_AGNOSTIC;
    o = sub_run(opt, dir, sizeof dir, "order-agnostic");
    if ((rc = exp_train(&o, &spec, &agn, e))) return rc;
    values_add(v, "nade_epochs", "%d", spec.epochs);
    double one = 0, all = 0;
    rc = ensemble_table(opt, &agn.m, &agn.ds.split[SPLIT_TEST], v, &one,
                        &all, e);
    OutFile t;
    if (!rc &&
        !out_open(&t,
                  exp_path(path, sizeof path, opt->out, "orders.tsv"),
                  e)) {
        int d = agn.m.d;
        double bits = d * log(2.0),
               r5 = atof(values_get(&v5, "test_nll"));
        fprintf(t.f, "training\tevaluated with\ttest NLL (nats)\t"
                     "bits/dim\n");
        fprintf(t.f,
                "raster order (chapter 5)\traster order\t%.2f\t"
                "%.4f\n",
                r5, r5 / bits);
        fprintf(t.f, "one fixed random order\tthat order\t%.2f\t%.4f\n",
                fixed_nll, fixed_nll / bits);
        fprintf(t.f,
                "a new order per minibatch\traster order\t%.2f\t"
                "%.4f\n",
                agn.test_nll, agn.test_nll / bits);
        fprintf(t.f,
                "a new order per minibatch\tone random order\t"
                "%.2f\t%.4f\n",
                one, one / bits);
        fprintf(t.f,
                "a new order per minibatch\tensemble of %d orders\t"
                "%.2f\t%.4f\n",
                opt->quick ? 4 : K_MAX, all, all / bits);
        rc = out_close(&t, e) ? 1 : 0;
    } else if (!rc) rc = 1;
    values_add(v, "random_order_nll", "%.2f", fixed_nll);
    values_add(v, "agnostic_raster_nll", "%.2f", agn.test_nll);
    exp_run_free(&agn);
    return rc;
}

int exp_ch06(const ExpOptions *opt, Err *e) {
    if (make_dirs(opt->out, e)) return 1;
    Values v = {0};
    values_add(&v, "seed", "%llu", (unsigned long long)opt->seed);
    int rc = results_table(opt, &v, e);
    if (!rc) rc = orders_experiment(opt, &v, e);
    if (!rc) rc = exp_ch06_beyond(opt, &v, e);
    if (!rc) rc = exp_ch06_parseq(opt, &v, e);
    if (rc) return rc;
    if (logit_average_demo(&v, opt->seed + 60, e) ||
        values_write(&v, opt->out, e))
        return 1;
    printf(
        "chapter 6: NADE on fashion %s nats; ensemble of %s orders "
        "%s nats; classifier on NADE features %s%%, on pixels %s%%\n",
        values_get(&v, "fashion_nade_nll"),
        values_get(&v, "ensemble_kmax"), values_get(&v, "ensemble_all"),
        values_get(&v, "repr_nade_test"),
        values_get(&v, "repr_raw_test"));
    return 0;
}
