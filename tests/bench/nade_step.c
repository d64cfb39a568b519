/* nade_step.c - the time of one NADE blocked training step alone
 * (make bench-step): nade_tiled_step on minibatches of real images,
 * without the optimizer, data shuffling or files, so that a change to
 * src/training/nade_tiled.c can be timed in seconds and its bits
 * compared; and the time of the step's parts alone, a floor under it.
 *
 *   nade_step [DATA [STEPS [H]]]
 *
 * DATA is a data set of data_load (default mnist, from data/), STEPS
 * the steps timed per thread count (default 200), H the hidden units
 * (default 500). The parameters are a training run's first ones
 * (model_init_from_data, seed 1) and never change; the minibatches (100
 * images) go through the training split in order. For 1 and for all
 * threads it prints the 10th and 50th percentile of a step's seconds,
 * the useful GFLOP/s at the median (exp_useful_flops, appendix C's
 * count, with these images' pixels on) and a checksum: the sum of every
 * step's NLL and one entry of the summed gradient, equal bits for equal
 * arithmetic. Timing is the machine's: compare two builds by
 * alternating runs.
 *
 * Then the parts: each of the step's five loops (nade_tiled.c's own
 * functions, so this file includes it) run on its own, as many times as
 * a step of 100 images with the measured pixels on calls it, on data
 * that stays in the first-level cache (one image's vectors, one group's
 * rows) and with every run the longest, a whole group: no cache misses,
 * no run-finding, no short runs. Their sum is the least a step built of
 * these loops can take; the step's time over it is the overhead. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "clock.h"
#include "data.h"
#include "err.h"
#include "experiments.h"
#include "model.h"
#include "parallel.h"
#include "rng.h"

/* the step's static loops, to time them alone (the Makefile links
 * this file instead of nade_tiled.o) */
#include "nade_tiled.c"

enum { BATCH = 100 };

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* argv[k] as an integer in 1..hi, or dflt when absent; exits 2 */
static int arg_int(int argc, char **argv, int k, const char *what,
                   int dflt, unsigned long long hi) {
    unsigned long long v;
    if (k >= argc) return dflt;
    if (cli_parse_u64(argv[k], &v) || v < 1 || v > hi) {
        fprintf(
            stderr,
            "nade_step: %s must be an integer in 1..%llu, not '%s'\n",
            what, hi, argv[k]);
        exit(2);
    }
    return (int)v;
}

/* --- the parts alone ---------------------------------------------- */

enum { PART_SIGMOID, PART_LOGITS, PART_U, PART_DV, PART_END, N_PARTS };
static const char *const PART_NAMES[N_PARTS] = {
    "add_sigmoid", "run_logits", "run_u", "group_dV", "run_end"};

typedef struct {
    int part, B, T, d, h, hp;
    double on; /* pixels on per image */
    double sec[PARALLEL_MAX_THREADS];
    float *buf[PARALLEL_MAX_THREADS]; /* each thread's L1 data */
    float sink[PARALLEL_MAX_THREADS];
} Parts;

enum { PART_FLOATS = 2 * G + 8 }; /* rows of hp floats a thread uses */

/* One part for my share of the images, timed: add_sigmoid and run_end
 * once per pixel on, run_logits and run_u once per image and group
 * with all G rows in the run, group_dV once per group over my images,
 * their h four vectors that stay in L1. */
MULTIVERSION
static void part_task(void *ctx, int th) {
    Parts *q = ctx;
    int lo, hi, hp = q->hp;
    parallel_share(q->B, q->T, th, &lo, &hi);
    int nb = hi - lo, groups = (q->d + G - 1) / G;
    long on = (long)(q->on * nb + 0.5);
    float *V = q->buf[th], *a = V + (size_t)G * hp, *hid = a + hp,
          *w = hid + hp, *u = w + hp, *sv = u + hp;
    float *hs = sv + hp, gq[G * BATCH], l[G] = {0}, bias[G] = {0};
    const float *hq[G * BATCH];
    int px[G];
    for (int r = 0; r < G; r++) px[r] = r;
    for (int i = 0; i < G * nb; i++) {
        gq[i] = 1e-3f;
        hq[i] = hs + (size_t)(i % 4) * hp;
    }
    double t0 = now_seconds();
    switch (q->part) {
    case PART_SIGMOID:
        for (long c = 0; c < on; c++) add_sigmoid(a, hid, w, q->h, hp);
        break;
    case PART_LOGITS:
        for (long c = 0; c < (long)groups * nb; c++) {
            run_logits(l, px, V, bias, hid, hp, G);
            hid[0] += 1e-30f * l[0]; /* a use, so the sums are kept */
        }
        break;
    case PART_U:
        for (long c = 0; c < (long)groups * nb; c++)
            run_u(u, V, gq, px, hp, G);
        break;
    case PART_DV:
        for (int c = 0; c < groups; c++)
            group_dV(V, px, gq, hq, nb, hp, G);
        break;
    case PART_END:
        for (long c = 0; c < on; c++) run_end(sv, u, w, hid, hp);
        break;
    }
    q->sec[th] = now_seconds() - t0;
    q->sink[th] = hid[1] + u[2] + V[3] + sv[4];
}

/* The parts' least seconds (of 5 tries; on T threads the slowest
 * thread's) into sec; 0, or -1 when out of memory. */
static int time_parts(double *sec, int T, int d, int h, int hp,
                      double on) {
    Parts q = {.B = BATCH, .T = T, .d = d, .h = h, .hp = hp, .on = on};
    int ok = 1;
    for (int k = 0; k < T; k++)
        ok = ok && (q.buf[k] = vec_alloc((size_t)PART_FLOATS * hp));
    for (int k = 0; ok && k < T; k++) /* small values: no overflow */
        for (size_t i = 0; i < (size_t)PART_FLOATS * hp; i++)
            q.buf[k][i] = 1e-4f * (float)(i % 13);
    for (int p = 0; ok && p < N_PARTS; p++) {
        q.part = p;
        sec[p] = 1e30;
        for (int rep = 0; rep < 5; rep++) {
            parallel_for(T, part_task, &q);
            double worst = 0;
            for (int k = 0; k < T; k++)
                if (q.sec[k] > worst) worst = q.sec[k];
            if (worst < sec[p]) sec[p] = worst;
        }
    }
    for (int k = 0; k < T; k++) free(q.buf[k]);
    return ok ? 0 : -1;
}

int main(int argc, char **argv) {
    if (argc > 4) {
        fprintf(stderr, "usage: nade_step [DATA [STEPS [H]]]\n");
        return 2;
    }
    const char *spec = argc > 1 ? argv[1] : "mnist";
    int steps = arg_int(argc, argv, 2, "STEPS", 200, 100000);
    int h = arg_int(argc, argv, 3, "H", 500, 4096);
    Err e;
    Dataset ds;
    if (data_load(&ds, spec, "data", &e)) {
        fprintf(stderr, "nade_step: %s\n", e.msg);
        return 2;
    }
    const Split *tr = &ds.split[SPLIT_TRAIN];
    int d = tr->d, batches = (int)(tr->n / BATCH);
    if (batches < 1) {
        fprintf(stderr,
                "nade_step: %s: %zu training images, fewer than one "
                "minibatch of %d\n",
                spec, tr->n, BATCH);
        data_free(&ds);
        return 2;
    }
    Model m;
    Rng rng;
    rng_seed(&rng, 1);
    if (model_create(&m, model_ops_by_name("nade"), d, h, BATCH, &e) ||
        model_init_from_data(&m, tr->x, tr->n, &rng, &e)) {
        fprintf(stderr, "nade_step: %s\n", e.msg);
        return 1;
    }
    NadeTiled t;
    float *packed = NULL, *grads[PARALLEL_MAX_THREADS] = {0};
    double *times = malloc((size_t)steps * sizeof *times);
    int T_all = parallel_threads(),
        ok = times && !nade_tiled_init(&t, d, h, BATCH);
    if (T_all > PARALLEL_MAX_THREADS) T_all = PARALLEL_MAX_THREADS;
    if (ok) {
        packed = aligned_alloc(64, t.n * sizeof *packed);
        ok = packed != NULL;
        for (int k = 0; ok && k < T_all; k++)
            ok = (grads[k] = aligned_alloc(
                      64, t.n * sizeof *grads[k])) != NULL;
    }
    if (!ok) {
        fprintf(stderr, "nade_step: out of memory\n");
        return 1;
    }
    nade_tiled_pack(&t, packed, m.params);
    double nll[BATCH];
    printf(
        "NADE blocked step, d = %d, h = %d, batch %d, %d steps (%s)\n",
        d, h, BATCH, steps, spec);
    printf("%-8s %10s %10s %9s   %s\n", "threads", "p10 ms", "p50 ms",
           "GFLOP/s", "checksum (NLL sum, a gradient entry)");
    int counts[2] = {1, T_all};
    double step_p50[2] = {0}, step_flops = 0, on_image = 0;
    for (int c = 0; c < (T_all > 1 ? 2 : 1); c++) {
        int T = counts[c];
        double sum = 0, on = 0;
        for (int s = 0; s < steps; s++) {
            const uint8_t *x =
                tr->x + (size_t)(s % batches) * BATCH * d;
            for (int k = 0; k < T; k++)
                memset(grads[k], 0, t.n * sizeof *grads[k]);
            double t0 = now_seconds();
            sum += nade_tiled_step(&t, nll, grads, x, packed, NULL,
                                   BATCH, T);
            times[s] = now_seconds() - t0;
            for (size_t i = 0; i < (size_t)BATCH * d; i++) on += x[i];
        }
        qsort(times, (size_t)steps, sizeof *times, cmp_double);
        double p50 = times[steps / 2],
               flops = BATCH * exp_useful_flops(&m, on / steps / BATCH);
        double g =
            0; /* one entry of the gradient, summed in thread order */
        for (int k = 0; k < T; k++) g += grads[k][t.V + 5];
        printf("%-8d %10.3f %10.3f %9.1f   %.6f %.9g\n", T,
               1e3 * times[steps / 10], 1e3 * p50, flops / p50 * 1e-9,
               sum, g);
        step_p50[c] = p50;
        step_flops = flops;
        on_image = on / steps / BATCH;
    }
    printf("\nthe parts alone, data in L1, every run a whole group (ms "
           "a step; least of 5):\n%-8s",
           "threads");
    for (int p = 0; p < N_PARTS; p++) printf(" %11s", PART_NAMES[p]);
    printf(" %8s %9s %9s\n", "sum", "GFLOP/s", "step/sum");
    for (int c = 0; c < (T_all > 1 ? 2 : 1); c++) {
        double sec[N_PARTS], total = 0;
        if (time_parts(sec, counts[c], d, h, t.hp, on_image)) {
            fprintf(stderr, "nade_step: out of memory\n");
            return 1;
        }
        printf("%-8d", counts[c]);
        for (int p = 0; p < N_PARTS; p++) {
            printf(" %11.3f", 1e3 * sec[p]);
            total += sec[p];
        }
        printf(" %8.3f %9.1f %9.2f\n", 1e3 * total,
               step_flops / total * 1e-9, step_p50[c] / total);
    }
    for (int k = 0; k < T_all; k++) free(grads[k]);
    free(packed);
    free(times);
    nade_tiled_free(&t);
    model_free(&m);
    data_free(&ds);
    return 0;
}
