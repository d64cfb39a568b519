/* values.h - the named numbers a run produced, DIR/values.tsv, which
 * the book quotes with \run{chNN:key}. */
#ifndef VALUES_H
#define VALUES_H

#include <stddef.h>

#include "err.h"

/* Named numbers a run produced, quoted by the book as \run{ch:key}.
 * Written as "key<TAB>value" lines to DIR/values.tsv. A run reports
 * at most VALUES_MAX (chapter 6, the most, reports about 50); keys and
 * values are cut to 47 characters. */
#define VALUES_MAX 128
typedef struct {
    int n;
    int lost; /* values_add calls past VALUES_MAX (a bug in the run) */
    char key[VALUES_MAX][48];
    char value[VALUES_MAX][48];
} Values;

/* Add fmt, ... under key. Past VALUES_MAX the value is counted in
 * v->lost and values_write fails: an internal error, reported, never a
 * values.tsv with numbers missing. */
void values_add(Values *v, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Write DIR/values.tsv; 0, or -1 with a one-line error in e. */
int values_write(const Values *v, const char *dir, Err *e)
    __attribute__((nonnull));
/* Read DIR/values.tsv back (another chapter's numbers); -1 with a
 * one-line error in e if it is missing or malformed. */
int values_read(Values *v, const char *dir, Err *e)
    __attribute__((nonnull));
/* The value of key, or NULL. */
const char *values_get(const Values *v, const char *key);

/* x as LaTeX math, "4.5 \times 10^{-14}" (2 significant digits), for
 * values quoted inside $...$. */
const char *latex_sci(char *buf, size_t size, double x);

#endif
