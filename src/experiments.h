/* experiments.h - each chapter's experiment, run by
 * `autoreg experiment N`; each writes TSV files that the chapter's
 * gnuplot scripts and the book read, plus values.tsv with the numbers
 * the prose quotes. Return 0, or 1 after printing a one-line error. */
#ifndef EXPERIMENTS_H
#define EXPERIMENTS_H

#include <stdint.h>

typedef struct {
    const char *out; /* output directory, created if missing */
    uint64_t seed;
    int quick;       /* fast preset for smoke runs */
} ExpOptions;

int exp_ch01(const ExpOptions *o);
int exp_ch02(const ExpOptions *o);
int exp_ch03(const ExpOptions *o);
int exp_ch04(const ExpOptions *o);
int exp_ch05(const ExpOptions *o);

/* "dir/name" into buf; exits on overflow (internal error). */
const char *exp_path(char *buf, size_t size, const char *dir,
                     const char *name);

#endif
