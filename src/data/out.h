/* out.h - output files that are either complete or absent.
 *
 * Every file a run writes goes through OutFile: it is written under a
 * temporary name next to its destination and renamed into place only
 * when everything was written, so an interrupted or failed run never
 * leaves a half-written file behind. */
#ifndef OUT_H
#define OUT_H

#include <stdio.h>

#include "err.h"

typedef struct {
    FILE *f;          /* write through this */
    char path[1024];  /* final name */
    char tmp[1100];   /* temporary name while writing */
} OutFile;

/* 0 on success; -1 on failure with a one-line error in e, or printed
 * to stderr when e is NULL. */
int out_open(OutFile *o, const char *path, Err *e);
/* Flush, check for write errors, rename into place. 0 or -1 (as above);
 * on failure the temporary file is removed. */
int out_close(OutFile *o, Err *e);
/* Give up: remove the temporary file. */
void out_discard(OutFile *o);

/* mkdir -p; 0 or -1 with a one-line error (in e, or printed). */
int make_dirs(const char *dir, Err *e);

/* Named numbers a run produced, quoted by the book as [ch:key]{.run}.
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
