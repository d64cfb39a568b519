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

//> table-marginal
double table_marginal(const Table *t, int i) {
    /* BEGIN SOLUTION 1.1 */
    /* p(x_{i+1} = 1) = sum of p(x) over every x with that bit set;
     * variable i is bit (d - 1 - i) of the index. */
    size_t n = (size_t)1 << t->d;
    int bit = t->d - 1 - i;
    double m = 0.0;
    for (size_t k = 0; k < n; k++)
        if ((k >> bit) & 1) m += t->p[k];
    return m;
    /* END SOLUTION */
}
//< table-marginal

//> chain-from-table
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
    /* BEGIN SOLUTION 1.2 */
    /* m starts as the joint p(x1..xd). Summing out the last variable
     * of a prefix merges the pairs (2k, 2k+1): after the step for
     * variable i, m[k] = p(x1..xi = k). Each pair also gives the
     * conditional p(x_{i+1} = 1 | x1..xi = k) = m[2k+1] / m[k]. */
    for (size_t k = 0; k < n; k++) m[k] = t->p[k];
    for (int i = d - 1; i >= 0; i--) {
        size_t rows = (size_t)1 << i;
        for (size_t k = 0; k < rows; k++) {
            double p0 = m[2 * k], p1 = m[2 * k + 1];
            double prefix = p0 + p1;
            c->cond[i][k] = prefix > 0 ? p1 / prefix : 0.5;
            m[k] = prefix;
        }
    }
    /* END SOLUTION */
    free(m);
    return TABLE_OK;
}
//< chain-from-table

void chain_free(ChainRule *c) {
    free(c->q);
    c->q = NULL;
    c->d = 0;
}

//> chain-prob
double chain_prob(const ChainRule *c, const int *x) {
    /* BEGIN SOLUTION 1.3 */
    double p = 1.0;
    size_t prefix = 0; /* index of x1..xi, grows one bit per step */
    for (int i = 0; i < c->d; i++) {
        double q = c->cond[i][prefix]; /* p(x_{i+1} = 1 | prefix) */
        p *= x[i] ? q : 1.0 - q;
        prefix = (prefix << 1) | (size_t)(x[i] != 0);
    }
    return p;
    /* END SOLUTION */
}
//< chain-prob

//> chain-sample
void chain_sample(const ChainRule *c, Rng *rng, int *x) {
    /* BEGIN SOLUTION 1.4 */
    size_t prefix = 0;
    for (int i = 0; i < c->d; i++) {
        x[i] = rng_bernoulli(rng, c->cond[i][prefix]);
        prefix = (prefix << 1) | (size_t)x[i];
    }
    /* END SOLUTION */
}
//< chain-sample

long markov_num_params(int d, int k) {
    /* BEGIN SOLUTION 1.5 */
    long n = 0;
    for (int i = 1; i <= d; i++) /* x_i has min(i - 1, k) parents */
        n += 1L << (i - 1 < k ? i - 1 : k);
    return n;
    /* END SOLUTION */
}

long samples_for_se(double p, double se) {
    /* BEGIN SOLUTION 1.6 */
    /* sqrt(p (1 - p) / N) <= se  <=>  N >= p (1 - p) / se^2; the
     * tolerance keeps an exact boundary from rounding up by one */
    double n = ceil(p * (1 - p) / (se * se) * (1 - 1e-12));
    return n < 1 ? 1 : (long)n;
    /* END SOLUTION */
}
