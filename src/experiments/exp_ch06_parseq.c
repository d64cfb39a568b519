/* exp_ch06_parseq.c - chapter 6's experiment, part 3: evaluation is
 * parallel, sampling is sequential. For the trained models of chapters
 * 3-5, the time to evaluate -log p of N test digits (on one thread,
 * and on T threads over the images) against the time to draw N
 * samples, and NADE's evaluation with the conditionals of each image
 * split over T threads (nade_scan.h). */
#include <stdio.h>
#include <stdlib.h>

#include "checkpoint.h"
#include "clock.h"
#include "experiments.h"
#include "nade_scan.h"
#include "parallel.h"

/* What is timed, in the columns of parseq.tsv. */
enum { EVAL_1, EVAL_T, BLOCKS_T, SAMPLE_1, N_TASKS };
static const char *const TASK_KEY[] = {"eval1", "evalT", "blocks",
                                       "sample"};

static const struct {
    const char *ch, *ckpt, *key, *label;
    int kind;
} MODELS[] = {
    {"ch03", "fvsbn.ckpt", "fvsbn", "FVSBN", MODEL_FVSBN},
    {"ch04", "mlp.ckpt", "mlp", "MLP conditionals", MODEL_MLP},
    {"ch05", "nade.ckpt", "nade", "NADE", MODEL_NADE},
};
#define N_MODELS 3
/* N test digits (QUICK=1: 200), timed in chunks of 100 */
enum { N_FULL = 1000, N_QUICK = 200, CHUNK = 100 };

typedef struct {
    Model m[N_MODELS];
    const uint8_t *x; /* (N, d) test digits */
    uint8_t *y;       /* (CHUNK, d) samples */
    double *nll;      /* (CHUNK) */
    float *scr;       /* nade_blocks_scratch_floats(d, h, T) */
    size_t N;
    int T;
    uint64_t seed;
} Bench;

/* Seconds for task on model k over the images [n0, n0 + n). */
static double run_once(Bench *b, int k, int task, size_t n0, size_t n) {
    Model *m = &b->m[k];
    const uint8_t *x = b->x + n0 * m->d;
    double t0 = now_seconds();
    if (task == EVAL_1 || task == EVAL_T)
        model_example_nll_threads(m, x, n, b->nll,
                                  task == EVAL_T ? b->T : 1);
    if (task == BLOCKS_T)
        for (size_t i = 0; i < n; i++)
            b->nll[i] = nade_nll_blocks(b->scr, x + i * m->d, m->params,
                                        m->d, m->h, b->T);
    if (task == SAMPLE_1) { /* one RNG stream: one thread */
        Rng rng;
        rng_seed(&rng, b->seed + n0);
        m->ops->sample(m, b->y, (int)n, &rng);
    }
    return now_seconds() - t0;
}

/* Only NADE is evaluated in blocks. */
static int is_run(const Bench *b, int k, int task) {
    return task != BLOCKS_T || b->m[k].ops->kind == MODEL_NADE;
}

/* ms[k][task]: milliseconds per image, -1 if not run. The
 * machine may be shared, so every chunk of images is timed in each of
 * `rounds` rounds, all tasks interleaved, and its fastest (least
 * disturbed) time is kept. */
static void time_all(Bench *b, int rounds, double ms[][N_TASKS]) {
    size_t chunks = (b->N + CHUNK - 1) / CHUNK;
    double best[N_MODELS][N_TASKS][N_FULL / CHUNK];
    for (int r = 0; r < rounds; r++)
        for (int k = 0; k < N_MODELS; k++)
            for (int t = 0; t < N_TASKS; t++)
                for (size_t c = 0; c < chunks && is_run(b, k, t); c++) {
                    size_t n0 = c * CHUNK;
                    size_t n = b->N - n0 < CHUNK ? b->N - n0 : CHUNK;
                    double s = run_once(b, k, t, n0, n);
                    if (r == 0 || s < best[k][t][c]) best[k][t][c] = s;
                }
    for (int k = 0; k < N_MODELS; k++)
        for (int t = 0; t < N_TASKS; t++) {
            ms[k][t] = is_run(b, k, t) ? 0 : -1;
            for (size_t c = 0; c < chunks && is_run(b, k, t); c++)
                ms[k][t] += 1e3 * best[k][t][c] / (double)b->N;
        }
}

static int write_results(const ExpOptions *opt, int T,
                         double ms[][N_TASKS], Values *v, Err *e) {
    char path[1100], key[64];
    OutFile o;
    if (out_open(
            &o, exp_path(path, sizeof path, opt->out, "parseq.tsv"), e))
        return 1;
    fprintf(o.f,
            "# model\tevaluate, 1 thread\tevaluate, %d threads over "
            "images\tevaluate, each image in %d blocks\tsample, 1 "
            "thread\n",
            T, T);
    for (int k = 0; k < N_MODELS; k++) {
        fprintf(o.f, "%s", MODELS[k].label);
        for (int t = 0; t < N_TASKS; t++) {
            if (ms[k][t] < 0) { /* not run: no blocks but NADE's */
                fprintf(o.f, "\t-");
                continue;
            }
            fprintf(o.f, "\t%.4g", ms[k][t]);
            snprintf(key, sizeof key, "parseq_%s_%s", MODELS[k].key,
                     TASK_KEY[t]);
            values_add(v, key, "%.3g", ms[k][t]);
        }
        fprintf(o.f, "\n");
        snprintf(key, sizeof key, "parseq_%s_sample_ratio",
                 MODELS[k].key);
        values_add(v, key, "%.1f", ms[k][SAMPLE_1] / ms[k][EVAL_1]);
        snprintf(key, sizeof key, "parseq_%s_speedup", MODELS[k].key);
        values_add(v, key, "%.2f", ms[k][EVAL_1] / ms[k][EVAL_T]);
    }
    values_add(v, "parseq_nade_blocks_speedup", "%.2f",
               ms[N_MODELS - 1][EVAL_1] / ms[N_MODELS - 1][BLOCKS_T]);
    return out_close(&o, e) ? 1 : 0;
}

int exp_ch06_parseq(const ExpOptions *opt, Values *v, Err *e) {
    Bench b = {0};
    Dataset ds;
    Err why;
    if (data_load(&ds, "mnist", "data", e)) return 2;
    int rc = 1, loaded = 0;
    const Split *te = &ds.split[SPLIT_TEST];
    b.N = opt->quick ? N_QUICK : N_FULL;
    if (b.N > te->n) b.N = te->n;
    b.x = te->x;
    b.T = parallel_threads();
    b.seed = opt->seed + 63;
    char dir[1100], path[1200];
    for (; loaded < N_MODELS; loaded++) {
        exp_sibling(dir, sizeof dir, opt->out, MODELS[loaded].ch);
        exp_path(path, sizeof path, dir, MODELS[loaded].ckpt);
        if (checkpoint_load(path, MODELS[loaded].kind, 100,
                            &b.m[loaded], &why)) {
            err_set(e, "%s (run chapters 3-5 first)", why.msg);
            goto done;
        }
        if (b.m[loaded].d != te->d) {
            err_set(e, "%s has d = %d, the mnist test digits %d", path,
                    b.m[loaded].d, te->d);
            loaded++;
            goto done;
        }
    }
    const Model *nade = &b.m[N_MODELS - 1];
    b.y = malloc(CHUNK * (size_t)te->d);
    b.nll = malloc(CHUNK * sizeof *b.nll);
    b.scr = malloc(nade_blocks_scratch_floats(nade->d, nade->h, b.T) *
                   sizeof *b.scr);
    if (!b.y || !b.nll || !b.scr) {
        err_set(e, "out of memory timing the models");
        goto done;
    }
    double ms[N_MODELS][N_TASKS];
    int rounds = opt->quick ? 1 : 3;
    time_all(&b, rounds, ms);
    if ((rc = write_results(opt, b.T, ms, v, e))) goto done;
    values_add(v, "parseq_n", "%zu", b.N);
    values_add(v, "parseq_threads", "%d", b.T);
    values_add(v, "parseq_rounds", "%d", rounds);
    values_add(v, "parseq_chunk", "%d", CHUNK);
done:
    for (int k = 0; k < loaded; k++) model_free(&b.m[k]);
    free(b.y), free(b.nll), free(b.scr);
    data_free(&ds);
    return rc;
}
