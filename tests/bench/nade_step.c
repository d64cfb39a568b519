/* nade_step.c - the time of one NADE blocked training step alone
 * (make bench-step): nade_tiled_step on minibatches of real images,
 * without the optimizer, data shuffling or files, so that a change to
 * src/training/nade_tiled.c can be timed in seconds and its bits
 * compared.
 *
 *   nade_step IMAGES [STEPS [H]]
 *
 * IMAGES is an IDX file of 0/1 images (data/mnist/train-binarized-...),
 * STEPS the steps timed per thread count (default 200), H the hidden
 * units (default 500). The parameters are uniform in +-0.01 from seed 1
 * and never change, the minibatches (100 images) go through the file in
 * order. For 1 and for all threads it prints the 10th and 50th
 * percentile of a step's seconds, the useful GFLOP/s at the median
 * (appendix C's count, 6 d h + 6 h per pixel on, from these images'
 * pixels on) and a checksum: the sum of every step's NLL and of one
 * gradient entry, equal bits for equal arithmetic. Timing is the
 * machine's: compare two builds by alternating runs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "err.h"
#include "idx.h"
#include "nade_tiled.h"
#include "parallel.h"
#include "rng.h"

enum { BATCH = 100 };

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int to_int(const char *s, const char *what, int lo, int hi) {
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v < lo || v > hi) {
        fprintf(
            stderr,
            "nade_step: %s must be an integer in %d..%d, not '%s'\n",
            what, lo, hi, s);
        exit(2);
    }
    return (int)v;
}

int main(int argc, char **argv) {
    if (argc < 2 || argc > 4) {
        fprintf(stderr, "usage: nade_step IMAGES [STEPS [H]]\n");
        return 2;
    }
    int steps = argc > 2 ? to_int(argv[2], "STEPS", 1, 100000) : 200;
    int h = argc > 3 ? to_int(argv[3], "H", 1, 4096) : 500;
    Err e;
    Idx img;
    if (idx_read(argv[1], 3, &img, &e)) {
        fprintf(stderr, "nade_step: %s\n", e.msg);
        return 2;
    }
    int d = (int)(img.dims[1] * img.dims[2]),
        batches = (int)(img.dims[0] / BATCH);
    for (size_t i = 0; i < img.size; i++)
        if (img.data[i] > 1) {
            fprintf(
                stderr,
                "nade_step: %s: pixel %zu is %d; the step needs 0/1 "
                "images (the binarized file)\n",
                argv[1], i, img.data[i]);
            idx_free(&img);
            return 2;
        }
    if (batches < 1) {
        fprintf(stderr,
                "nade_step: %s: %u images, fewer than one minibatch of "
                "%d\n",
                argv[1], img.dims[0], BATCH);
        idx_free(&img);
        return 2;
    }
    NadeTiled t;
    size_t flat_n = 2 * (size_t)d * h + (size_t)h + (size_t)d;
    float *flat = malloc(flat_n * sizeof *flat);
    float *packed = NULL, *grads[PARALLEL_MAX_THREADS] = {0};
    double *times = malloc((size_t)steps * sizeof *times);
    int T_all = parallel_threads(),
        ok = flat && times && !nade_tiled_init(&t, d, h, BATCH);
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
    Rng rng;
    rng_seed(&rng, 1);
    for (size_t i = 0; i < flat_n; i++)
        flat[i] = (float)(0.02 * rng_uniform(&rng) - 0.01);
    nade_tiled_pack(&t, packed, flat);
    double nll[BATCH];
    printf(
        "NADE blocked step, d = %d, h = %d, batch %d, %d steps (%s)\n",
        d, h, BATCH, steps, argv[1]);
    printf("%-8s %10s %10s %9s   %s\n", "threads", "p10 ms", "p50 ms",
           "GFLOP/s", "checksum (NLL sum, a gradient entry)");
    int counts[2] = {1, T_all};
    for (int c = 0; c < (T_all > 1 ? 2 : 1); c++) {
        int T = counts[c];
        double sum = 0, on = 0;
        for (int s = 0; s < steps; s++) {
            const uint8_t *x =
                img.data + (size_t)(s % batches) * BATCH * d;
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
               flops = (6.0 * d * h * BATCH + 6.0 * h * on / steps);
        printf("%-8d %10.3f %10.3f %9.1f   %.6f %.9g\n", T,
               1e3 * times[steps / 10], 1e3 * p50, flops / p50 * 1e-9,
               sum, (double)grads[0][t.V + 5]);
    }
    for (int k = 0; k < T_all; k++) free(grads[k]);
    free(packed);
    free(flat);
    free(times);
    nade_tiled_free(&t);
    idx_free(&img);
    return 0;
}
