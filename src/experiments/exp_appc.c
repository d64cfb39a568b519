/* exp_appc.c - appendix C's experiment: how close each kernel comes to
 * the machine.
 *
 * 1. The machine's peak: multiply-adds on registers only (no memory),
 *    in the widest vectors this build runs, on one thread and on all
 *    the threads the trainer uses.
 * 2. The useful GFLOP/s of every kernel that the chapters timed (their
 *    kernels.tsv, exp_kernels), as a share of that peak: rates.tsv,
 *    for the figure. A chapter that did not run has no row. */
#include "contract.h" /* the multiply-adds fused, as in the kernels */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "experiments.h"
#include "lanes.h"
#include "out.h"
#include "parallel.h"
#include "readfile.h"
#include "vec.h"

enum { CHAINS = 12 }; /* independent sums: enough to fill the pipes */

typedef struct {
    long iters;
    float out[PARALLEL_MAX_THREADS]; /* kept, so the loop is not dropped
                                      */
} Peak;

//> fma-peak
/* CHAINS sums of 16 lanes, each a = a m + c per iteration: one
 * multiply-add a lane, 2 CHAINS 16 FLOPs an iteration, all in
 * registers. */
MULTIVERSION
static void fma_task(void *ctx, int th) {
    Peak *p = ctx;
    v16 a[CHAINS];
    for (int c = 0; c < CHAINS; c++) a[c] = (v16){0} + (float)c;
    const float m = 0.999999f, k = 1e-6f;
    for (long i = 0; i < p->iters; i++)
        for (int c = 0; c < CHAINS; c++) a[c] = a[c] * m + k;
    v16 s = a[0];
    for (int c = 1; c < CHAINS; c++) s += a[c];
    p->out[th] = s[0] + s[15];
}
//< fma-peak

/* GFLOP/s of fma_task on T threads, the best of a few tries. */
static double peak(int T, long iters) {
    Peak p = {.iters = iters};
    double best = 0;
    for (int rep = 0; rep < 5; rep++) {
        double t0 = now_seconds();
        parallel_for(T, fma_task, &p);
        double dt = now_seconds() - t0;
        double g =
            (double)T * (double)iters * CHAINS * 16 * 2 / dt / 1e9;
        if (g > best) best = g;
    }
    return best;
}

/* The GFLOP/s of kernels.tsv's row `kernel` (plain or tiled) in text,
 * or -1 when there is none. The columns are exp_kernels's: kernel,
 * code, s/epoch, images/s, GFLOP/s, ... */
static double rate_of(const char *text, const char *kernel) {
    size_t n = strlen(kernel);
    for (const char *p = text; p && *p;) {
        if (!strncmp(p, kernel, n) && p[n] == '\t') {
            const char *q = p;
            for (int tab = 0; tab < 4 && q; tab++) {
                q = strchr(q, '\t');
                if (q) q++;
            }
            return q ? atof(q) : -1;
        }
        p = strchr(p, '\n');
        if (p) p++;
    }
    return -1;
}

int exp_appc(const ExpOptions *opt, Err *e) {
    if (make_dirs(opt->out, e)) return 1;
    Values v = {0};
    int T = parallel_threads();
    long iters = 1L << 24;
    double one = peak(1, iters), all = peak(T, iters);
    values_add(&v, "peak_threads", "%d", T);
    values_add(&v, "peak_one", "%.0f", one);
    values_add(&v, "peak_all", "%.0f", all);
    values_add(&v, "peak_chains", "%d", CHAINS);

    static const struct {
        const char *dir, *model, *label, *key;
    } RUNS[] = {
        {"ch03", "FVSBN", "chapter 3", "fvsbn"},
        {"ch05", "NADE", "chapter 5", "nade"},
        {"ch07", "MADE", "chapter 7", "made"},
        {"ch08/plain", "PixelCNN", "chapter 8", "pixelcnn"},
    };
    char path[1100], dir[1100];
    OutFile o;
    if (out_open(&o, exp_path(path, sizeof path, opt->out, "rates.tsv"),
                 e))
        return 1;
    fprintf(o.f, "kernel\tcode\tGFLOP/s\tshare of the peak (%%)\n");
    double best[2] = {0, 0}; /* the fastest plain and tiled */
    const char *best_name[2] = {"none", "none"};
    for (size_t r = 0; r < sizeof RUNS / sizeof RUNS[0]; r++) {
        exp_sibling(dir, sizeof dir, opt->out, RUNS[r].dir);
        uint8_t *buf = NULL;
        size_t len = 0;
        Err why;
        if (file_read_all(
                exp_path(path, sizeof path, dir, "kernels.tsv"),
                1 << 16, &buf, &len, &why))
            continue; /* that chapter did not run */
        static const char *const K[2] = {"plain", "tiled"};
        for (int k = 0; k < 2; k++) {
            double g = rate_of((const char *)buf, K[k]);
            if (g < 0) continue;
            const char *name =
                k ? (r == 1 ? "blocked" : "tiled") : "plain";
            fprintf(o.f, "%s %s\t%s\t%.1f\t%.1f\n", RUNS[r].model, name,
                    k ? "appendix C" : RUNS[r].label, g,
                    all > 0 ? 100 * g / all : 0);
            char key[64];
            snprintf(key, sizeof key, "%s_%s_gflops", RUNS[r].key,
                     K[k]);
            values_add(&v, key, "%.1f", g);
            snprintf(key, sizeof key, "%s_%s_share", RUNS[r].key, K[k]);
            values_add(&v, key, "%.0f", all > 0 ? 100 * g / all : 0);
            if (g > best[k]) best[k] = g, best_name[k] = RUNS[r].model;
        }
        free(buf);
    }
    if (out_close(&o, e)) return 1;
    values_add(&v, "best_plain", "%s", best_name[0]);
    values_add(&v, "best_plain_share", "%.0f",
               all > 0 ? 100 * best[0] / all : 0);
    values_add(&v, "best_kernel", "%s", best_name[1]);
    values_add(&v, "best_share", "%.0f",
               all > 0 ? 100 * best[1] / all : 0);
    if (values_write(&v, opt->out, e)) return 1;
    printf("appendix C: peak %.0f GFLOP/s on %d threads (%.0f on one); "
           "wrote rates.tsv and values.tsv\n",
           all, T, one);
    return 0;
}
