/* tabular.c - chapter 1: a full probability table over {0,1}^d and
 * the chain-rule tables that factorise it. */
#include "tabular.h"

#include <math.h>
#include <stdlib.h>

#include "exercise.h"

const char *table_status_str(TableStatus s) {
    switch (s) {
    case TABLE_OK: return "ok";
    case TABLE_ERR_DIM: return "d must be between 1 and 20";
    case TABLE_ERR_NEGATIVE: return "a weight is negative";
    case TABLE_ERR_NOT_FINITE: return "a weight is NaN or infinite";
    case TABLE_ERR_ZERO_TOTAL: return "the weights sum to zero";
    case TABLE_ERR_NOMEM: return "out of memory";
    }
    return "unknown status";
}

long table_num_params(int d) { return (1L << d) - 1; }

long chain_num_params(int d) {
    long n = 0;
    for (int i = 0; i < d; i++) n += 1L << i; /* table i: 2^i rows */
    return n;
}

size_t table_index(int d, const int *x) {
    size_t k = 0;
    for (int i = 0; i < d; i++) k = (k << 1) | (size_t)(x[i] != 0);
    return k;
}

void table_config(int d, size_t index, int *x) {
    for (int i = d - 1; i >= 0; i--, index >>= 1)
        x[i] = (int)(index & 1);
}

TableStatus table_init(Table *t, int d, const double *weights) {
    t->d = 0;
    t->p = NULL;
    if (d < 1 || d > TABLE_MAX_D) return TABLE_ERR_DIM;
    size_t n = (size_t)1 << d;
    double total = 0.0;
    for (size_t k = 0; k < n; k++) {
        if (!isfinite(weights[k])) return TABLE_ERR_NOT_FINITE;
        if (weights[k] < 0) return TABLE_ERR_NEGATIVE;
        total += weights[k];
    }
    if (!(total > 0)) return TABLE_ERR_ZERO_TOTAL;
    if (!isfinite(total)) return TABLE_ERR_NOT_FINITE;
    t->p = malloc(n * sizeof *t->p);
    if (!t->p) return TABLE_ERR_NOMEM;
    for (size_t k = 0; k < n; k++) t->p[k] = weights[k] / total;
    t->d = d;
    return TABLE_OK;
}

void table_free(Table *t) {
    free(t->p);
    t->p = NULL;
    t->d = 0;
}

double table_prob(const Table *t, const int *x) {
    return t->p[table_index(t->d, x)];
}

double table_marginal(const Table *t, int i) {
    EXERCISE_TODO("1.1");
}

TableStatus chain_from_table(ChainRule *c, const Table *t) {
    int d = t->d;
    size_t n = (size_t)1 << d;
    c->d = d;
    c->q = malloc((n - 1) * sizeof *c->q);
    double *m = malloc(n * sizeof *m);
    if (!c->q || !m) {
        free(c->q);
        free(m);
        c->q = NULL;
        return TABLE_ERR_NOMEM;
    }
    for (int i = 0; i < d; i++) /* table i starts after 2^i - 1 */
        c->cond[i] = c->q + ((size_t)1 << i) - 1;
    EXERCISE_TODO("1.2");
    free(m);
    return TABLE_OK;
}

void chain_free(ChainRule *c) {
    free(c->q);
    c->q = NULL;
    c->d = 0;
}

double chain_prob(const ChainRule *c, const int *x) {
    EXERCISE_TODO("1.3");
}

void chain_sample(const ChainRule *c, Rng *rng, int *x) {
    EXERCISE_TODO("1.4");
}

long markov_num_params(int d, int k) {
    EXERCISE_TODO("1.5");
}

long samples_for_se(double p, double se) {
    EXERCISE_TODO("1.6");
}
