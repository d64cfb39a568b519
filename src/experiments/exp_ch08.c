/* exp_ch08.c - chapter 8's experiment: a small PixelCNN on binarized
 * MNIST (learning curves, samples, completions of the top half), the
 * field of the centre pixel (the gradient of its logit by every pixel
 * of test images, by backpropagation), and the same PixelCNN on
 * Fashion-MNIST for the results table. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data.h"
#include "experiments.h"
#include "model.h"
#include "out.h"
#include "pixelcnn.h"
#include "values.h"

/* field.dat: the mean |d logit_i / d x_j| of the centre pixel i over
 * `n` test images, by backpropagation (pixelcnn_logit_grad), as a rows
 * x cols matrix; how many pixels move it, and how many pixels of the
 * rows above within its reach never do (the blind spot). */
static int field(const char *path, Model *m, const Split *te, int n,
                 Values *v, Err *e) {
    int d = m->d, S = pixelcnn_side(d), i = (S / 2) * S + S / 2;
    double *acc = calloc((size_t)d, sizeof *acc);
    float *dx = malloc((size_t)d * sizeof *dx);
    float *dp = malloc(m->n_params * sizeof *dp);
    if (!acc || !dx || !dp) {
        free(acc);
        free(dx);
        free(dp);
        return err_set(e, "out of memory for the field");
    }
    if (n > (int)te->n) n = (int)te->n;
    for (int k = 0; k < n; k++) {
        pixelcnn_logit_grad(dx, dp, m->scratch, te->x + (size_t)k * d,
                            m->params, i, d, m->h, m->h2);
        for (int j = 0; j < d; j++) acc[j] += fabs(dx[j]);
    }
    /* the blind spot: pixels of the rows above within the field's reach
     * (3 + L rows up, 3 + L columns either way) that never move it */
    int blind = 0, seen = 0, L = m->h2, reach = 3 + L;
    for (int j = 0; j < i; j++) {
        int dy = j / S - i / S, dx = j % S - i % S;
        seen += acc[j] > 0;
        blind += acc[j] == 0 && dy < 0 && dy >= -reach &&
                 dx >= -reach && dx <= reach;
    }
    values_add(v, "field_seen", "%d", seen);
    values_add(v, "field_predicted", "%d", pixelcnn_field_size(L));
    values_add(v, "field_reach", "%d", reach);
    OutFile o;
    int rc = out_open(&o, path, e);
    for (int j = 0; rc == 0 && j < d; j++)
        fprintf(o.f, "%.6g%c", j == i ? NAN : acc[j] / n,
                (j + 1) % S ? ' ' : '\n');
    if (rc == 0) rc = out_close(&o, e);
    values_add(v, "field_before", "%d", i);
    values_add(v, "field_blind", "%d", blind);
    values_add(v, "field_images", "%d", n);
    free(acc);
    free(dx);
    free(dp);
    return rc;
}

/* Your code (exercises 8.2, 8.3) for PCNN_PLAIN_EPOCHS epochs into
 * OUT/plain, and the kernel of appendix C on the same run into
 * OUT/plain/tiled: their times and test NLLs (exp_kernels). */
static int yours_and_kernel(const ExpOptions *opt,
                            const ExpTrainSpec *spec, Values *v,
                            Err *e) {
    char dir[1100];
    ExpOptions o = *opt;
    o.out = exp_path(dir, sizeof dir, opt->out, "plain");
    ExpTrainSpec s = *spec;
    s.tiled = 0;
    s.epochs = PCNN_PLAIN_EPOCHS;
    ExpRun plain, tiled;
    int rc = exp_train(&o, &s, &plain, e);
    if (rc) return rc;
    rc = exp_kernels(&o, &s, &plain, "your exercises 8.2 and 8.3",
                     "src/training/pixelcnn_tiled.c", &tiled, v, e);
    exp_run_free(&plain);
    if (rc) return rc;
    exp_run_free(&tiled);
    values_add(v, "plain_epochs", "%d", s.epochs);
    return 0;
}

int exp_ch08(const ExpOptions *opt, Err *e) {
    const ExpTrainSpec spec = {.model = "pixelcnn",
                               .h = PCNN_CHANNELS,
                               .h2 = PCNN_LAYERS,
                               .epochs = opt->quick ? 1 : PCNN_EPOCHS,
                               .batch = 100,
                               .lr = PCNN_LR,
                               .ckpt_name = "pixelcnn.ckpt",
                               .tiled = 1};
    Values v = {0};
    int rc = yours_and_kernel(opt, &spec, &v, e);
    if (rc) return rc;
    ExpRun run;
    if ((rc = exp_train(opt, &spec, &run, e))) return rc;
    ExpRows rows = {0};
    char path[1100], label[64];
    exp_run_values(&v, opt, &spec, &run);
    values_add(&v, "layers", "%d", spec.h2);
    { /* multiply-adds per pixel, forward: the type-A layer's 24 C, the
       * same for the pixels that are on (the binary input), and the B
       * layers' 5 C^2 L */
        const Split *tr = &run.ds.split[SPLIT_TRAIN];
        double on = 0, C = spec.h, L = spec.h2;
        for (size_t k = 0; k < tr->n * (size_t)tr->d; k++)
            on += tr->x[k];
        on /= (double)tr->n * tr->d;
        values_add(&v, "macs_a", "%.0f", 24 * C);
        values_add(&v, "macs_a_on", "%.0f", 24 * C * on);
        values_add(&v, "macs_b", "%.0f", 5 * C * C * L);
        values_add(&v, "macs_a_pct", "%.1f",
                   100 * 24 * C / (24 * C + 5 * C * C * L));
    }
    snprintf(label, sizeof label, "PixelCNN, C = %d, L = %d", spec.h,
             spec.h2);
    exp_rows_add(&rows, "mnist", label, &run, spec.epochs);
    double mnist = run.test_nll;
    int best = run.r.best_epoch;
    rc = 1;
    if (field(exp_path(path, sizeof path, opt->out, "field.dat"),
              &run.m, &run.ds.split[SPLIT_TEST], opt->quick ? 20 : 200,
              &v, e) ||
        exp_completion(opt, &run.m, &run.ds, &v, e)) {
        exp_run_free(&run);
        return rc;
    }
    exp_run_free(&run);
    /* the same PixelCNN on Fashion-MNIST, for the results table */
    if ((rc = exp_fashion(opt, &spec,
                          opt->quick ? 1 : PCNN_FASHION_EPOCHS, label,
                          &rows, &v, e)))
        return rc;
    if (exp_results(opt, "ch07", &rows, e) ||
        values_write(&v, opt->out, e))
        return 1;
    printf("chapter 8: test NLL %.2f nats, best validation epoch %d of "
           "%d\n",
           mnist, best, spec.epochs);
    return 0;
}
