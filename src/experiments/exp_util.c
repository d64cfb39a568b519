/* exp_util.c - paths of the experiments' outputs, the plain and tiled
 * kernels side by side, the results table's rows, the Fashion-MNIST run
 * and the completions figure (experiments.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "completion.h"
#include "experiments.h"
#include "image.h"
#include "out.h"
#include "readfile.h"

const char *exp_path(char *buf, size_t size, const char *dir,
                     const char *name) {
    /* cmd_experiment limits --out to EXP_MAX_DIR, so this fits; if it
     * ever did not, "" makes the caller's open fail with its error */
    if ((size_t)snprintf(buf, size, "%s/%s", dir, name) >= size)
        buf[0] = 0;
    return buf;
}

const char *exp_sibling(char *buf, size_t size, const char *dir,
                        const char *name) {
    const char *slash = strrchr(dir, '/');
    int len = slash ? (int)(slash - dir) + 1 : 0;
    snprintf(buf, size, "%.*s%s", len, dir, name);
    return buf;
}

//> useful-flops
/* The useful floating-point operations of one training image (forward
 * and backward) of model m, on = the mean pixels on per image (an add
 * is one, a multiply-add two; sigmoids, the Bernoulli layer and the
 * optimizer are not counted). tests/bench/bench.sh counts the same.
 *   fvsbn     on (d - 1): the columns of the pixels on, forward (W x)
 *             and backward (dW), half of d each on average
 *   mlp       on d h + 4 d h: each conditional's columns of the pixels
 *             on before it (half of them on average), added forward
 *             and their gradient backward, and w_i . h_i with its two
 *             gradients
 *   nade      6 d h + 6 on h: V . h and its two gradients g h and
 *             g V (three products of d h multiply-adds), and per
 *             pixel on a column of W added forward, backward delta =
 *             u h (1 - h) (three), s += delta and dW += s
 *   made      3 d h + on h: half of V kept (one raster mask), three
 *             products of it, and the first layer's columns forward
 *             and backward, half of h each
 *   pixelcnn  6 d (24 C p + 5 C^2 L), p = on / d: the type-A layer's
 *             24 taps on the pixels on, the L type-B layers' 5 taps,
 *             backward twice forward
 * 0 for any other model. */
double exp_useful_flops(const Model *m, double on) {
    double d = m->d, h = m->h;
    switch (m->ops->kind) {
    case MODEL_FVSBN: return on * (d - 1);
    case MODEL_MLP: return on * d * h + 4 * d * h;
    case MODEL_NADE: return 6 * d * h + 6 * on * h;
    case MODEL_MADE: return 3 * d * h + on * h;
    case MODEL_PIXELCNN: /* h channels, h2 layers */
        return 6 * d * (24 * h * (on / d) + 5 * h * h * m->h2);
    default: return 0;
    }
}
//< useful-flops

double exp_mean_on(const Split *s) {
    size_t on = 0, n = s->n * (size_t)s->d;
    for (size_t k = 0; k < n; k++) on += s->x[k];
    return s->n ? (double)on / (double)s->n : 0;
}

int exp_kernels(const ExpOptions *opt, const ExpTrainSpec *spec,
                const ExpRun *plain, const char *plain_code,
                const char *tiled_code, ExpRun *tiled, Values *v,
                Err *e) {
    char dir[1100], path[1100];
    ExpOptions o = *opt;
    o.out = exp_path(dir, sizeof dir, opt->out, "tiled");
    ExpTrainSpec s = *spec;
    s.tiled = 1;
    int rc = exp_train(&o, &s, tiled, e);
    if (rc) return rc;
    const ExpRun *r[2] = {plain, tiled};
    OutFile f;
    if (out_open(&f,
                 exp_path(path, sizeof path, opt->out, "kernels.tsv"),
                 e)) {
        exp_run_free(tiled);
        return 1;
    }
    double flops = exp_useful_flops(
        &plain->m, exp_mean_on(&plain->ds.split[SPLIT_TRAIN]));
    fprintf(f.f, "kernel\tcode\ts/epoch\timages/s\tGFLOP/s\t"
                 "best epoch\ttest NLL\n");
    for (int k = 0; k < 2; k++)
        fprintf(f.f, "%s\t%s\t%.3f\t%.0f\t%.1f\t%d\t%.3f\n",
                k ? "tiled" : "plain", k ? tiled_code : plain_code,
                r[k]->r.seconds / spec->epochs, r[k]->r.examples_per_s,
                r[k]->r.examples_per_s * flops / 1e9,
                r[k]->r.best_epoch, r[k]->test_nll);
    if (out_close(&f, e)) {
        exp_run_free(tiled);
        return 1;
    }
    double ps = plain->r.seconds, ts = tiled->r.seconds;
    values_add(v, "tiled_s_per_epoch", "%.3f", ts / spec->epochs);
    values_add(v, "plain_s_per_epoch", "%.3f", ps / spec->epochs);
    values_add(v, "tiled_speedup", "%.1f", ps / (ts > 0 ? ts : 1e-9));
    double diff = fabs(tiled->test_nll - plain->test_nll);
    if (diff < 0.001)
        values_add(v, "tiled_nll_diff", "%s", "less than 0.001");
    else values_add(v, "tiled_nll_diff", "%.3f", diff);
    return 0;
}

void exp_rows_add(ExpRows *r, const char *data, const char *model,
                  const ExpRun *run, int epochs) {
    if (r->n == EXP_MAX_ROWS)
        return; /* a chapter adds a few, no more */
    int d = run->m.d;
    snprintf(r->line[r->n], sizeof r->line[0],
             "%s\t%s\t%zu\t%.2f\t%.4f\t%.1f\t%d (best %d)\n", data,
             model, run->m.n_params, run->test_nll,
             run->test_nll / (d * log(2.0)), run->r.seconds, epochs,
             run->r.best_epoch);
    r->data[r->n++] = data;
}

int exp_results(const ExpOptions *opt, const char *earlier,
                const ExpRows *r, Err *e) {
    char path[1100], six[1100];
    exp_sibling(six, sizeof six, opt->out, earlier);
    exp_path(path, sizeof path, six, "results.tsv");
    uint8_t *buf = NULL;
    size_t len = 0;
    Err why;
    if (file_read_all(path, 1 << 20, &buf, &len, &why)) buf = NULL;
    OutFile o;
    if (out_open(&o,
                 exp_path(path, sizeof path, opt->out, "results.tsv"),
                 e)) {
        free(buf);
        return -1;
    }
    static const char *const SETS[] = {"mnist", "fashion"};
    const char *text = buf ? (const char *)buf : "";
    const char *nl = buf ? memchr(text, '\n', len) : NULL;
    if (nl) fwrite(text, 1, (size_t)(nl + 1 - text), o.f); /* header */
    else
        fprintf(o.f, "data\tmodel\tparameters\ttest NLL (nats)\t"
                     "bits/dim\ttrain time (s)\tepochs\n");
    for (int s = 0; s < 2; s++) {
        size_t ns = strlen(SETS[s]);
        for (const char *p = nl ? nl + 1 : text + len;
             p < text + len;) { /* chapter 6's rows of this data set */
            const char *end = memchr(p, '\n', (size_t)(text + len - p));
            end = end ? end + 1 : text + len;
            if ((size_t)(end - p) > ns && !strncmp(p, SETS[s], ns) &&
                p[ns] == '\t')
                fwrite(p, 1, (size_t)(end - p), o.f);
            p = end;
        }
        for (int k = 0; k < r->n; k++)
            if (!strcmp(r->data[k], SETS[s])) fputs(r->line[k], o.f);
    }
    free(buf);
    return out_close(&o, e);
}

int exp_fashion(const ExpOptions *opt, const ExpTrainSpec *spec,
                int epochs, const char *label, ExpRows *r, Values *v,
                Err *e) {
    ExpTrainSpec fashion = *spec;
    fashion.data = "fashion";
    fashion.epochs = epochs;
    ExpOptions sub = *opt;
    char dir[1100];
    sub.out = exp_path(dir, sizeof dir, opt->out, "fashion");
    ExpRun run;
    int rc = exp_train(&sub, &fashion, &run, e);
    if (rc) return rc;
    values_add(v, "fashion_test_nll", "%.2f", run.test_nll);
    values_add(v, "fashion_epochs", "%d", fashion.epochs);
    exp_rows_add(r, "fashion", label, &run, fashion.epochs);
    exp_run_free(&run);
    return 0;
}

int exp_completion(const ExpOptions *opt, Model *m, const Dataset *ds,
                   Values *v, Err *e) {
    const Split *te = &ds->split[SPLIT_TEST];
    int d = m->d, per = 2 + EXP_COMPLETIONS, given = d / 2, found = 0;
    uint8_t *x = malloc(10 * (size_t)d);
    uint8_t *panel = malloc(10 * (size_t)per * d);
    int rc = 1;
    if (!x || !panel || !te->y) {
        err_set(e, "the completions: %s",
                te->y ? "out of memory"
                      : "the test split has no labels");
        goto done;
    }
    for (int c = 0; c < 10; c++)
        for (size_t n = 0; n < te->n; n++)
            if (te->y[n] == c) {
                memcpy(x + (size_t)found++ * d, te->x + n * d,
                       (size_t)d);
                break;
            }
    Rng rng;
    rng_seed(&rng, opt->seed + 61);
    char path[1100];
    if (completion_panel(panel, x, found, given, EXP_COMPLETIONS, m,
                         &rng, e) ||
        image_grid_write(
            exp_path(path, sizeof path, opt->out, "completion.dat"),
            IMG_MATRIX, panel, (size_t)found * per, ds->rows, ds->cols,
            per, 4, e))
        goto done;
    values_add(v, "given_rows", "%d", given / ds->cols);
    values_add(v, "completions", "%d", EXP_COMPLETIONS);
    rc = 0;
done:
    free(x);
    free(panel);
    return rc;
}
