/* train.c - see train.h. */
#include "train.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "checkpoint.h"
#include "out.h"
#include "parallel.h"
#include "rng.h"

double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void progress_bar(int epoch, int epochs, size_t done, size_t n,
                         double nll, double rate) {
    int width = 30, fill = (int)(width * (double)done / (double)n);
    fprintf(stderr, "\repoch %d/%d [", epoch, epochs);
    for (int i = 0; i < width; i++) fputc(i < fill ? '=' : ' ', stderr);
    fprintf(stderr, "] NLL %.2f  %.0f ex/s ", nll, rate);
    fflush(stderr);
}

/* One optimizer step on the sum of the T threads' gradients, its
 * parameter range split over the T threads. */
typedef struct {
    Optimizer *o;
    float *params;
    float **grads;
    float scale;
    int T;
} OptChunk;

static void opt_chunk(void *ctx, int t) {
    OptChunk *c = ctx;
    size_t n = c->o->n;
    optim_update_sum(c->o, c->params, c->grads, c->T, c->scale,
                     n * (size_t)t / (size_t)c->T,
                     n * (size_t)(t + 1) / (size_t)c->T);
}

static void optimize(Optimizer *o, Model *m, float **grads, float scale,
                     int T) {
    optim_begin(o);
    OptChunk c = {o, m->params, grads, scale, T};
    parallel_for(T, opt_chunk, &c);
}

int train_model(Model *m, const Split *train, const Split *valid,
                const TrainConfig *c, TrainResult *r, Err *e) {
    int d = m->d, B = c->batch;
    size_t n = train->n;
    size_t *perm = malloc(n * sizeof *perm);
    uint8_t *xb = malloc((size_t)B * (size_t)d); /* (B, d) batch */
    int T = parallel_threads();
    if (T > B) T = B;
    float *grads[64] = {0}; /* one gradient buffer per thread */
    for (int t = 0; t < T; t++)
        grads[t] = calloc(m->n_params, sizeof(float)); /* kept zero */
    float *best = malloc(m->n_params * sizeof *best);
    double *nll = malloc((size_t)B * sizeof *nll);
    Optimizer opt;
    int tty = !c->quiet && isatty(2), rc = -1;
    memset(r, 0, sizeof *r);
    r->best_valid_nll = INFINITY;
    int missing = 0;
    for (int t = 0; t < T; t++) missing |= !grads[t];
    if (!perm || !xb || missing || !best || !nll ||
        optim_init(&opt, c->opt, m->n_params, c->lr)) {
        err_set(e, "training: out of memory");
        goto done;
    }
    OutFile log, tlog;
    if (c->log_path && out_open(&log, c->log_path, e)) goto done_opt;
    if (c->time_path && out_open(&tlog, c->time_path, e)) {
        if (c->log_path) out_discard(&log);
        goto done_opt;
    }
    if (c->log_path)
        fprintf(log.f, "# epoch\ttrain_nll\tvalid_nll\n");
    if (c->time_path)
        fprintf(tlog.f, "# epoch\tseconds\texamples_per_s\n");
    memcpy(best, m->params, m->n_params * sizeof *best);
    Rng rng;
    rng_seed(&rng, c->seed);
    double t_train = 0;
    for (int epoch = 1; epoch <= c->epochs; epoch++) {
        data_permutation(perm, n, rng_u64(&rng));
        double t0 = now_seconds(), sum = 0;
        size_t seen = 0;
//> train-step
        for (size_t i = 0; i + (size_t)B <= n; i += (size_t)B) {
            for (int b = 0; b < B; b++) /* gather the minibatch */
                memcpy(xb + (size_t)b * d, train->x + perm[i + b] * d,
                       d);
//> train-orderless
            /* chapter 6: a new pixel order for every minibatch */
            if (c->orderless) model_random_order(m, &rng);
//< train-orderless
            /* forward and backward, the batch split over T threads */
            double bsum =
                model_forward_backward(m, grads, T, xb, B, nll);
            if (!isfinite(bsum)) {
                err_set(e, "training diverged in epoch %d: the NLL "
                           "is not finite; lower --lr (now %g)", epoch,
                        c->lr);
                goto done_log;
            }
            optimize(&opt, m, grads, 1.0f / B, T); /* mean NLL */
            sum += bsum;
            seen += (size_t)B;
            if (tty)
                progress_bar(epoch, c->epochs, seen, n, sum / seen,
                             seen / (now_seconds() - t0));
        }
//< train-step
        double dt = now_seconds() - t0;
        t_train += dt;
        r->last_train_nll = sum / (double)seen;
        if (c->orderless) model_set_order(m, NULL, NULL);
        double v = model_mean_nll(m, valid->x, valid->n);
        if (v < r->best_valid_nll) {
            r->best_valid_nll = v;
            r->best_epoch = epoch;
            memcpy(best, m->params, m->n_params * sizeof *best);
            if (c->ckpt_path && checkpoint_save(c->ckpt_path, m, e))
                goto done_log;
        }
        if (c->log_path)
            fprintf(log.f, "%d\t%.4f\t%.4f\n", epoch, r->last_train_nll, v);
        if (c->time_path)
            fprintf(tlog.f, "%d\t%.3f\t%.0f\n", epoch, dt, seen / dt);
        if (!c->quiet)
            fprintf(stderr, "%sepoch %d/%d  train NLL %.2f  valid NLL %.2f"
                            "%s  %.0f ex/s\n", tty ? "\r\033[K" : "", epoch,
                    c->epochs, r->last_train_nll, v,
                    r->best_epoch == epoch ? " (best)" : "", seen / dt);
    }
    memcpy(m->params, best, m->n_params * sizeof *best);
    r->seconds = t_train;
    r->examples_per_s = (double)c->epochs * (double)(n - n % (size_t)B) /
                        (t_train > 0 ? t_train : 1);
    rc = 0;
done_log:
    if (c->log_path) {
        if (rc == 0) rc = out_close(&log, e);
        else out_discard(&log);
    }
    if (c->time_path) {
        if (rc == 0) rc = out_close(&tlog, e);
        else out_discard(&tlog);
    }
done_opt:
    optim_free(&opt);
done:
    free(perm);
    free(xb);
    for (int t = 0; t < T; t++) free(grads[t]);
    free(best);
    free(nll);
    return rc;
}
