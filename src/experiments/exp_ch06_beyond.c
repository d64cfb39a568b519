/* exp_ch06_beyond.c - chapter 6's experiment, part 2: conditional
 * completion of test digits by chapter 5's NADE, and NADE's hidden
 * units as features for a softmax classifier. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkpoint.h"
#include "evaluate.h"
#include "experiments.h"
#include "nade.h"
#include "nade_order.h"
#include "optim.h"
#include "vec.h"

//> nade-features
/* NADE's hidden units of the last conditional,
 * h_d = sigma(c + W[:, <d] x_<d): one running activation, added to for
 * every pixel that is on. Column d - 1 (the last pixel's) is left out:
 * no conditional reads it, so training never moves it. */
static void nade_features(float *f, const uint8_t *x, size_t n,
                          const Model *m) {
    NadeParams p;
    nade_point(&p, m->params, m->d, m->h);
    int d = m->d, h = m->h;
    for (size_t s = 0; s < n; s++) {
        float *fs = f + s * h; /* (h) */
        memcpy(fs, p.c, (size_t)h * sizeof *fs);
        for (int j = 0; j < d - 1; j++)
            if (x[s * d + j]) vec_add(fs, p.W + (size_t)j * h, h);
        vec_sigmoid(fs, fs, h);
    }
}
//< nade-features

/* Features of the three splits: NADE's (h each) or the raw pixels. */
typedef struct {
    const char *name;
    int D;
    float *f[N_SPLITS]; /* (n, D) */
    const uint8_t *y[N_SPLITS];
    size_t n[N_SPLITS];
} Features;

static double accuracy(const Features *F, int s, const float *params,
                       float *scr) {
    int correct = 0;
    softmax_loss(NULL, &correct, scr, F->f[s], F->y[s], params,
                 (int)F->n[s], F->D, 10);
    return (double)correct / (double)F->n[s];
}

/* Softmax regression with Adam, minibatches of 100 in a seeded order;
 * the epoch with the best validation accuracy is kept. 0, or -1 with
 * the error in e. */
static int classify(const Features *F, int epochs, uint64_t seed,
                    double acc[N_SPLITS], Err *e) {
    int D = F->D, C = 10, B = 100;
    size_t np = softmax_num_params(D, C), n = F->n[SPLIT_TRAIN];
    float *p = calloc(np, sizeof *p), *g = calloc(np, sizeof *g);
    float *fb = malloc((size_t)B * D * sizeof *fb), scr[10];
    uint8_t yb[100];
    size_t *perm = malloc(n * sizeof *perm);
    Optimizer o;
    if (!p || !g || !fb || !perm ||
        optim_init(&o, OPT_ADAM, np, 0.003f)) {
        free(p), free(g), free(fb), free(perm);
        return err_set(e,
                       "the representation experiment: out of memory "
                       "for the classifier on %s",
                       F->name);
    }
    double best = -1;
    for (int ep = 0; ep < epochs; ep++) {
        data_permutation(perm, n, seed + (uint64_t)ep);
        for (size_t i = 0; i + B <= n; i += B) {
            for (int b = 0; b < B; b++) {
                memcpy(fb + (size_t)b * D,
                       F->f[SPLIT_TRAIN] + perm[i + b] * D,
                       (size_t)D * sizeof *fb);
                yb[b] = F->y[SPLIT_TRAIN][perm[i + b]];
            }
            memset(g, 0, np * sizeof *g);
            softmax_loss(g, NULL, scr, fb, yb, p, B, D, C);
            optim_step(&o, p, g, 1.0f);
        }
        double va = accuracy(F, SPLIT_VALID, p, scr);
        if (va > best) {
            best = va;
            for (int s = 0; s < N_SPLITS; s++)
                acc[s] = accuracy(F, s, p, scr);
        }
    }
    optim_free(&o);
    free(p), free(g), free(fb), free(perm);
    return 0;
}

static int representations(const ExpOptions *opt, const Model *m,
                           const Dataset *ds, Values *v, Err *e) {
    Features F[2] = {{"raw pixels", m->d, {0}, {0}, {0}},
                     {"NADE hidden units", m->h, {0}, {0}, {0}}};
    int rc = 1, epochs = opt->quick ? 3 : 30;
    for (int s = 0; s < N_SPLITS; s++) {
        const Split *sp = &ds->split[s];
        if (!sp->y) {
            err_set(e,
                    "the representation experiment: the %s split has "
                    "no labels",
                    SPLIT_NAMES[s]);
            goto done;
        }
        for (int k = 0; k < 2; k++) {
            F[k].n[s] = sp->n;
            F[k].y[s] = sp->y;
            F[k].f[s] = malloc(sp->n * F[k].D * sizeof(float));
            if (!F[k].f[s]) {
                err_set(e,
                        "the representation experiment: out of memory "
                        "for the features (%s)",
                        F[k].name);
                goto done;
            }
        }
        for (size_t i = 0; i < sp->n * sp->d; i++)
            F[0].f[s][i] = sp->x[i];
        nade_features(F[1].f[s], sp->x, sp->n, m);
    }
    char path[1100];
    OutFile o;
    if (out_open(&o, exp_path(path, sizeof path, opt->out, "repr.tsv"),
                 e))
        goto done;
    fprintf(o.f, "features\tdimension\ttrain accuracy\tvalidation "
                 "accuracy\ttest accuracy\n");
    for (int k = 0; k < 2; k++) {
        double acc[N_SPLITS];
        if (classify(&F[k], epochs, opt->seed + 62, acc, e)) {
            out_discard(&o);
            goto done;
        }
        fprintf(o.f, "%s\t%d\t%.1f%%\t%.1f%%\t%.1f%%\n", F[k].name,
                F[k].D, 100 * acc[SPLIT_TRAIN], 100 * acc[SPLIT_VALID],
                100 * acc[SPLIT_TEST]);
        values_add(v, k ? "repr_nade_test" : "repr_raw_test", "%.1f",
                   100 * acc[SPLIT_TEST]);
    }
    values_add(v, "repr_epochs", "%d", epochs);
    rc = out_close(&o, e) ? 1 : 0;
done:
    for (int k = 0; k < 2; k++)
        for (int s = 0; s < N_SPLITS; s++) free(F[k].f[s]);
    return rc;
}

int exp_ch06_beyond(const ExpOptions *opt, Values *v, Err *e) {
    char dir[1100], path[1100];
    exp_sibling(dir, sizeof dir, opt->out, "ch05");
    Model m;
    Dataset ds;
    Err why;
    if (checkpoint_load(exp_path(path, sizeof path, dir, "nade.ckpt"),
                        MODEL_NADE, 1, &m, &why)) {
        err_set(e, "%s (run chapter 5 first)", why.msg);
        return 1;
    }
    if (data_load(&ds, "mnist", "data", e)) {
        model_free(&m);
        return 2;
    }
    int rc = exp_completion(opt, &m, &ds, v, e);
    if (!rc) rc = representations(opt, &m, &ds, v, e);
    model_free(&m);
    data_free(&ds);
    return rc;
}
