/* evaluate.c - chapter 6: the independent-pixel baseline, the
 * log-mean-exp of an ensemble, and a softmax classifier for the
 * representation experiment. */
#include "evaluate.h"

#include <math.h>
#include <string.h>

#include "exercise.h"

//> indep-fit
void indep_fit(float *logit, const uint8_t *x, size_t n, int d) {
    for (int i = 0; i < d; i++) {
        size_t on = 0;
        for (size_t k = 0; k < n; k++) on += x[k * (size_t)d + i];
        double p = ((double)on + 1) / ((double)n + 2);
        logit[i] = (float)log(p / (1 - p));
    }
}
//< indep-fit

//> log-mean-exp
double log_mean_exp(const double *lp, int K) {
    /* BEGIN SOLUTION 6.1 */
    double mx = lp[0];
    for (int k = 1; k < K; k++) mx = fmax(mx, lp[k]);
    if (isinf(mx)) return mx; /* every term 0 (or one infinite) */
    double s = 0;
    for (int k = 0; k < K; k++) s += exp(lp[k] - mx); /* each <= 1 */
    return mx + log(s / K);
    /* END SOLUTION */
}
//< log-mean-exp

size_t softmax_num_params(int D, int C) {
    return (size_t)C * (size_t)D + (size_t)C;
}

void softmax_point(SoftmaxParams *p, float *buf, int D, int C) {
    p->U = buf;
    p->e = buf + (size_t)C * D;
}

//> softmax-loss
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
        /* BEGIN SOLUTION 6.5 */
        int best = 0;
        for (int c = 0; c < C; c++) {              /* z = U f + e */
            const float *Uc = p.U + (size_t)c * D; /* (D) row c */
            double s = p.e[c];
            for (int k = 0; k < D; k++) s += (double)Uc[k] * fn[k];
            z[c] = (float)s;
            if (z[c] > z[best]) best = c;
        }
        /* -log softmax(z)_y = logsumexp(z) - z_y, shifted by max z */
        double sum = 0;
        for (int c = 0; c < C; c++) sum += exp((double)z[c] - z[best]);
        loss += z[best] + log(sum) - z[y[n]];
        if (correct) *correct += best == y[n];
        if (!dparams) continue;
        for (int c = 0; c < C; c++) {
            /* d loss_n / d z_c = softmax(z)_c - [c = y_n], over N */
            float g = (float)((exp((double)z[c] - z[best]) / sum -
                               (c == y[n])) /
                              N);
            dp.e[c] += g;
            float *dU = dp.U + (size_t)c * D;
            for (int k = 0; k < D; k++) dU[k] += g * fn[k];
        }
        /* END SOLUTION */
    }
    return loss / N;
}
//< softmax-loss

double ensemble_max_loss(int K) {
    /* BEGIN SOLUTION 6.6 */
    /* (1/K) sum_k p_k >= (1/K) max_k p_k: at most log K below the best,
     * reached when the other K - 1 members give x no probability */
    return log((double)K);
    /* END SOLUTION */
}

double code_bytes(double nll_nats, long n) {
    /* BEGIN SOLUTION 6.7 */
    /* -log2 p(x) = -log p(x) / log 2 bits per image, 8 bits a byte */
    return (double)n * nll_nats / log(2.0) / 8;
    /* END SOLUTION */
}
