/* evaluate.c - chapter 6: the independent-pixel baseline, the
 * log-mean-exp of an ensemble, and a softmax classifier for the
 * representation experiment. */
#include "evaluate.h"

#include <math.h>
#include <string.h>

#include "exercise.h"

void indep_fit(float *logit, const uint8_t *x, size_t n, int d) {
    for (int i = 0; i < d; i++) {
        size_t on = 0;
        for (size_t k = 0; k < n; k++) on += x[k * (size_t)d + i];
        double p = ((double)on + 1) / ((double)n + 2);
        logit[i] = (float)log(p / (1 - p));
    }
}

double log_mean_exp(const double *lp, int K) {
    EXERCISE_TODO("6.1");
}

size_t softmax_num_params(int D, int C) {
    return (size_t)C * (size_t)D + (size_t)C;
}

void softmax_point(SoftmaxParams *p, float *buf, int D, int C) {
    p->U = buf;
    p->e = buf + (size_t)C * D;
}

double softmax_loss(float *dparams, int *correct, float *scratch,
                    const float *f, const uint8_t *y,
                    const float *params, int N, int D, int C) {
    SoftmaxParams p, dp = {NULL, NULL};
    softmax_point(&p, (float *)params, D, C);
    if (dparams) softmax_point(&dp, dparams, D, C);
    double loss = 0;
    if (correct) *correct = 0;
    for (int n = 0; n < N; n++) {
        const float *fn = f + (size_t)n * D; /* (D) features */
        float *z = scratch;                  /* (C) scores */
        EXERCISE_TODO("6.5");
    }
    return loss / N;
}

double ensemble_max_loss(int K) {
    EXERCISE_TODO("6.6");
}

double code_bytes(double nll_nats, long n) {
    EXERCISE_TODO("6.7");
}
