/* values.h - the named numbers a run produced, DIR/values.tsv, which
 * the book quotes with \run{chNN:key}. */
#ifndef VALUES_H
#define VALUES_H

#include <stddef.h>

#include "err.h"

/* Named numbers a run produced, quoted by the book as \run{ch:key}.
 * Written as "key<TAB>value" lines to DIR/values.tsv. */
typedef struct {
    int n;
    char key[64][48];
    char value[64][48];
} Values;

void values_add(Values *v, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int values_write(const Values *v, const char *dir);
/* Read DIR/values.tsv back (another chapter's numbers); -1 with a
 * one-line error in e if it is missing or malformed. */
int values_read(Values *v, const char *dir, Err *e);
/* The value of key, or NULL. */
const char *values_get(const Values *v, const char *key);

/* x as LaTeX math, "4.5 \times 10^{-14}" (2 significant digits), for
 * values quoted inside $...$. */
const char *latex_sci(char *buf, size_t size, double x);

#endif
