/* tabular.h - chapter 1: a joint distribution over d binary variables
 * stored as a full table, and its chain-rule factorisation.
 * Implemented in solutions/ch01/tabular.c (exercises 1.1-1.6; yours:
 * exercises/ch01/tabular.c). */
#ifndef TABULAR_H
#define TABULAR_H

#include <stddef.h>

#include "rng.h"

#define TABLE_MAX_D 20

typedef enum {
    TABLE_OK = 0,
    TABLE_ERR_DIM,        /* d outside 1..TABLE_MAX_D */
    TABLE_ERR_NEGATIVE,   /* a weight below zero */
    TABLE_ERR_NOT_FINITE, /* a weight that is NaN or infinite */
    TABLE_ERR_ZERO_TOTAL, /* all weights zero: nothing to normalise */
    TABLE_ERR_NOMEM
} TableStatus;

const char *table_status_str(TableStatus s);

//> table-struct
/* A joint distribution p(x1, ..., xd) over {0,1}^d. The configuration
 * x is stored at index(x) = x1 2^(d-1) + x2 2^(d-2) + ... + xd: x1 is
 * the most significant bit, so each prefix x1..xi owns one contiguous
 * block of the table. */
typedef struct {
    int d;
    double *p; /* (2^d) probabilities, summing to 1 */
} Table;

/* The chain rule p(x) = p(x1) p(x2 | x1) ... p(xd | x<d), one
 * conditional table per variable (0-based i in code, 1-based in the
 * math): cond[i][k] = p(x_{i+1} = 1 | x1..xi has index k). */
typedef struct {
    int d;
    double *q;                 /* 1 + 2 + ... + 2^(d-1) = 2^d - 1 */
    double *cond[TABLE_MAX_D]; /* cond[i]: (2^i) entries inside q */
} ChainRule;
//< table-struct

/* Numbers needed to specify any joint over {0,1}^d: 2^d - 1. */
long table_num_params(int d);
/* Numbers stored by the chain-rule tables, counted table by table. */
long chain_num_params(int d);

/* Index of configuration x (d values in {0,1}) and its inverse. */
size_t table_index(int d, const int *x);
void table_config(int d, size_t index, int *x);

/* Build a table by normalising 2^d non-negative weights. */
TableStatus table_init(Table *t, int d, const double *weights);
void table_free(Table *t);
double table_prob(const Table *t, const int *x);

/* p(x_{i+1} = 1): the marginal of one variable (0-based i). */
double table_marginal(const Table *t, int i);

/* The d conditional tables of t. Where a prefix has probability 0
 * its conditional is undefined; we store 1/2 there. */
TableStatus chain_from_table(ChainRule *c, const Table *t);
void chain_free(ChainRule *c);

/* p(x) as the product of the chain-rule factors. */
double chain_prob(const ChainRule *c, const int *x);

/* Ancestral sampling: draw x1, then x2 given x1, ... into x[0..d-1]. */
void chain_sample(const ChainRule *c, Rng *rng, int *x);

/* Check your understanding (exercises 1.5, 1.6): numbers derived by
 * hand, written as code.
 *
 * The numbers in the chain-rule tables of a d-variable model in which
 * each x_i depends only on the k variables just before it,
 * x_{i-k} .. x_{i-1} (a Bayes net; k = d - 1 is the full chain rule,
 * k = 0 independent variables). 0 <= k < d <= 30. */
long markov_num_params(int d, int k);
/* The smallest sample size N at which the standard error
 * sqrt(p (1 - p) / N) of a frequency of probability p is at most se.
 * 0 < p < 1, se > 0. */
long samples_for_se(double p, double se);

#endif
