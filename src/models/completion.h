/* completion.h - chapter 6's conditional completion as images: what
 * the experiment's figure and `autoreg complete` draw. */
#ifndef COMPLETION_H
#define COMPLETION_H

#include <stdint.h>

#include "err.h"
#include "model.h"
#include "rng.h"

/* 0 if m can complete the top rows exactly: a NADE in the raster order
 * or a MADE with one raster mask; else -1 with a one-line error naming
 * path. */
int completion_check(const Model *m, const char *path, Err *e);

/* For each of the n images of x (d = rows x cols): the image, its first
 * `given` pixels alone, then `samples` completions of the rest by m
 * (completion_check); n (2 + samples) images in out with 0 paper,
 * 1 not given, 3 sampled ink, 4 given ink (maxval 4). 0, or -1 with a
 * one-line error. */
int completion_panel(uint8_t *out, const uint8_t *x, int n, int given,
                     int samples, Model *m, Rng *rng, Err *e);

#endif
