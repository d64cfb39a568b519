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

#endif
