/* nade_step.c - the time of one NADE blocked training step alone
 * (make bench-step): nade_tiled_step on minibatches of real images,
 * without the optimizer, data shuffling or files, so that a change to
 * src/training/nade_tiled.c can be timed in seconds and its bits
 * compared.
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
 * alternating runs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "clock.h"
#include "data.h"
#include "err.h"
#include "experiments.h"
#include "model.h"
#include "nade_tiled.h"
#include "parallel.h"
#include "rng.h"

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
    }
    for (int k = 0; k < T_all; k++) free(grads[k]);
    free(packed);
    free(times);
    nade_tiled_free(&t);
    model_free(&m);
    data_free(&ds);
    return 0;
}
