/* out.h - output files that are either complete or absent.
 *
 * Every file a run writes goes through OutFile: it is written under a
 * temporary name next to its destination and renamed into place only
 * when everything was written, so an interrupted or failed run never
 * leaves a half-written file behind; a temporary file still open when
 * the program exits (exit() from an exercise's stub) is removed then.
 */
#ifndef OUT_H
#define OUT_H

#include <stdio.h>

#include "err.h"

typedef struct {
    FILE *f;         /* write through this */
    char path[1024]; /* final name */
    char tmp[1100];  /* temporary name while writing */
} OutFile;

/* 0 on success; -1 on failure with a one-line error in e (never NULL,
 * err.h; nothing is printed). */
int out_open(OutFile *o, const char *path, Err *e)
    __attribute__((nonnull));
/* Flush, check for write errors, rename into place. 0, or -1 with the
 * error in e; on failure the temporary file is removed. */
int out_close(OutFile *o, Err *e) __attribute__((nonnull));
/* Give up: remove the temporary file. Every failure between out_open
 * and out_close calls it, so no PATH.tmp.PID is left behind. */
void out_discard(OutFile *o);

/* mkdir -p; 0, or -1 with a one-line error in e. */
int make_dirs(const char *dir, Err *e) __attribute__((nonnull));

#endif
