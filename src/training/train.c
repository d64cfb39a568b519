/* train.c - see train.h. */
#include "train.h"

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "checkpoint.h"
#include "clock.h"
#include "out.h"
#include "parallel.h"
#include "rng.h"
#include "trainstate.h"

static volatile sig_atomic_t stop_signal; /* SIGINT or SIGTERM */
static long stop_after = -2; /* test hook; -2 not read yet, -1 off */

static void on_signal(int sig) { stop_signal = sig; }

void train_catch_signals(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

/* Has SIGINT or SIGTERM arrived? Polled between minibatches. For tests,
 * AUTOREG_STOP_AFTER_BATCHES=N raises SIGINT (AUTOREG_STOP_SIGNAL=TERM:
 * SIGTERM) after N minibatches, so the handler runs at the same point
 * every time. */
static int stop_requested(void) {
    if (stop_after == -2) {
        const char *s = getenv("AUTOREG_STOP_AFTER_BATCHES");
        stop_after = s && *s ? atol(s) : -1;
        if (stop_after < -1) stop_after = -1;
    }
    if (stop_after >= 0 && stop_after-- == 0) {
        const char *s = getenv("AUTOREG_STOP_SIGNAL");
        raise(s && !strcmp(s, "TERM") ? SIGTERM : SIGINT);
    }
    return stop_signal != 0;
}

static void progress_bar(int epoch, int epochs, size_t done, size_t n,
                         double nll, double rate) {
    int width = 30, fill = (int)(width * (double)done / (double)n);
    fprintf(stderr, "\repoch %d/%d [", epoch, epochs);
    for (int i = 0; i < width; i++) fputc(i < fill ? '=' : ' ', stderr);
    fprintf(stderr, "] NLL %.2f  %.0f ex/s ", nll, rate);
    fflush(stderr);
}

/* An epoch boundary on disk: the logs so far, then the state. */
static int save_epoch(const TrainConfig *c, const StateKey *k,
                      const Model *m, const Optimizer *o,
                      const float *best, const TrainProgress *p,
                      Err *e) {
    if ((c->log_path && text_write(c->log_path, &p->log, e)) ||
        (c->time_path && text_write(c->time_path, &p->tlog, e)))
        return -1;
    return c->state_path
               ? state_save(c->state_path, k, m, o, best, p, e)
               : 0;
}

/* Epoch 0: a fresh start, or where the run that wrote the state file
 * stopped (parameters, moments, best so far, RNG, logs). */
static int train_start(TrainProgress *p, const TrainConfig *c,
                       const StateKey *k, Model *m, Optimizer *o,
                       float *best, Err *e) {
    p->best_valid_nll = INFINITY;
    rng_seed(&p->rng, c->seed);
    if (text_printf(&p->log, "# epoch\ttrain_nll\tvalid_nll\n") ||
        text_printf(&p->tlog, "# epoch\tseconds\texamples_per_s\n"))
        return err_set(e, "training: out of memory");
    if (c->resume && state_load(c->state_path, k, m, o, best, p, e))
        return -1;
    return save_epoch(c, k, m, o, best, p, e);
}

/* The epoch's lines of train.tsv and time.tsv, and its line on stderr.
 */
static int log_epoch(TrainProgress *p, const TrainConfig *c, double dt,
                     double v, size_t seen, int tty, Err *e) {
    if (!c->quiet)
        fprintf(stderr,
                "%sepoch %d/%d  train NLL %.2f  valid NLL %.2f"
                "%s  %.0f ex/s\n",
                tty ? "\r\033[K" : "", p->epoch, c->epochs,
                p->last_train_nll, v,
                p->best_epoch == p->epoch ? " (best)" : "", seen / dt);
    if (text_printf(&p->log, "%d\t%.4f\t%.4f\n", p->epoch,
                    p->last_train_nll, v) ||
        text_printf(&p->tlog, "%d\t%.3f\t%.0f\n", p->epoch, dt,
                    seen / dt))
        return err_set(e, "training: out of memory");
    return 0;
}

/* An epoch's end, validation NLL v: the best parameters so far (and
 * their checkpoint), the logs, the state. */
static int end_epoch(TrainProgress *p, const TrainConfig *c,
                     const StateKey *k, const Model *m,
                     const Optimizer *o, float *best, double v,
                     double dt, size_t seen, int tty, Err *e) {
    p->epoch++;
    if (v < p->best_valid_nll) {
        p->best_valid_nll = v;
        p->best_epoch = p->epoch;
        memcpy(best, m->params, m->n_params * sizeof *best);
        if (c->ckpt_path && checkpoint_save(c->ckpt_path, m, e))
            return -1;
    }
    if (log_epoch(p, c, dt, v, seen, tty, e)) return -1;
    return save_epoch(c, k, m, o, best, p, e);
}

/* What train_model reports; -1 with a message if a signal stopped it.
 * examples: per epoch. */
static int finish(TrainResult *r, const TrainProgress *p,
                  const TrainConfig *c, size_t examples, Err *e) {
    r->best_epoch = p->best_epoch;
    r->best_valid_nll = p->best_valid_nll;
    r->last_train_nll = p->last_train_nll;
    r->epochs_done = p->epoch;
    r->stopped = stop_signal;
    if (stop_signal)
        return err_set(e, "stopped by %s after %d of %d epochs",
                       stop_signal == SIGINT ? "SIGINT" : "SIGTERM",
                       p->epoch, c->epochs);
    r->seconds = p->seconds;
    r->examples_per_s = (double)p->epoch * (double)examples /
                        (p->seconds > 0 ? p->seconds : 1);
    return 0;
}

/* Chapter 6's order-agnostic NADE draws a new pixel order for every
 * minibatch, chapter 7's MADE with several masks one of its masks;
 * every other run leaves the model alone. */
static int next_minibatch(uint8_t *xb, Model *m, const Split *train,
                          const size_t *idx, int B,
                          const TrainConfig *c, Rng *rng, Err *e) {
    int d = train->d;
    for (int b = 0; b < B; b++) /* gather the minibatch */
        memcpy(xb + (size_t)b * d, train->x + idx[b] * d, d);
    //> train-orderless
    /* chapter 6: a new pixel order for every minibatch */
    if (c->orderless && model_random_order(m, rng, e)) return -1;
    //< train-orderless
    //> train-masks
    /* chapter 7: one of MADE's K masks for every minibatch */
    model_train_mask(m, rng);
    //< train-masks
    return 0;
}

int train_model(Model *m, const Split *train, const Split *valid,
                const TrainConfig *c, TrainResult *r, Err *e) {
    int d = m->d, B = c->batch;
    size_t n = train->n;
    size_t *perm = malloc(n * sizeof *perm);
    uint8_t *xb = malloc((size_t)B * (size_t)d); /* (B, d) batch */
    int T = parallel_threads();
    if (T > B) T = B;
    float *best = malloc(m->n_params * sizeof *best);
    double *nll = malloc((size_t)B * sizeof *nll);
    TrainStep s = {.ops = c->step ? c->step : &TRAINSTEP_PLAIN};
    TrainProgress p = {0};
    StateKey key;
    int tty = !c->quiet && isatty(2), rc = -1;
    memset(r, 0, sizeof *r);
    if (!perm || !xb || !best || !nll) {
        err_set(e, "training: out of memory");
        goto done;
    }
    if (s.ops->init(&s, m, c->opt, c->lr, B, T, e)) goto done;
    state_key(&key, c->data_name, train, valid, B, c->opt,
              s.state_threads, c->lr, c->seed);
    state_key_masks(&key, m);
    memcpy(best, m->params, m->n_params * sizeof *best);
    if (train_start(&p, c, &key, m, &s.flat, best, e)) goto done_step;
    s.ops->begin(&s, m);
    for (int epoch = p.epoch + 1; epoch <= c->epochs; epoch++) {
        data_permutation(perm, n, rng_u64(&p.rng));
        double t0 = now_seconds(), sum = 0;
        size_t seen = 0;
        //> train-step
        for (size_t i = 0; i + (size_t)B <= n && !stop_requested();
             i += (size_t)B) {
            if (next_minibatch(xb, m, train, perm + i, B, c, &p.rng, e))
                goto done_step;
            /* forward, backward and the optimizer on the mean NLL */
            double bsum = s.ops->step(&s, m, xb, B, nll);
            if (!isfinite(bsum)) {
                err_set(e,
                        "training diverged in epoch %d: the NLL "
                        "is not finite; lower --lr (now %g)",
                        epoch, c->lr);
                goto done_step;
            }
            sum += bsum;
            seen += (size_t)B;
            if (tty)
                progress_bar(epoch, c->epochs, seen, n, sum / seen,
                             seen / (now_seconds() - t0));
        }
        //< train-step
        if (seen < n - n % (size_t)B) /* stopped between minibatches: */
            break; /* the last epoch boundary is on disk */
        double dt = now_seconds() - t0;
        p.seconds += dt;
        p.last_train_nll = sum / (double)seen;
        s.ops->to_flat(&s, m);
        if (c->orderless) model_set_order(m, NULL, e);
        model_use_ensemble(m); /* MADE: validated with all its masks */
        double v = model_mean_nll(m, valid->x, valid->n);
        if (end_epoch(&p, c, &key, m, &s.flat, best, v, dt, seen, tty,
                      e))
            goto done_step;
        if (stop_signal) break;
    }
    rc = finish(r, &p, c, n - n % (size_t)B, e);
    if (rc == 0) memcpy(m->params, best, m->n_params * sizeof *best);
done_step: /* the files on disk stay at the last epoch boundary */
    s.ops->free(&s);
done:
    free(perm);
    free(xb);
    free(best);
    free(nll);
    text_free(&p.log);
    text_free(&p.tlog);
    return rc;
}
