/* fvsbn_tiled.h - chapter 3's FVSBN training step, rearranged for the
 * memory hierarchy (autoreg train --kernel tiled). The same model and
 * the same math as fvsbn_forward + fvsbn_backward; what changes is the
 * order of the loops and the layout of W.
 *
 * The rows of W are cut into bands of FVSBN_TILE = 64 rows. A band is
 * stored on its own, as segments of 64 floats: first the band's
 * biases, then for every column c < r1 (the band's end) the 64 weights
 * w_rc, r in the band, zero where r <= c. Padding those zeros is what
 * lets every segment be one 64-float add. A last band of fewer rows
 * has segments of as many 16-float vectors as its rows need, zero on
 * the rows past d.
 *
 * A band's weights (at most (d + 1) 64 floats, 196 KB for d = 784)
 * stay in the core's cache while all images of the minibatch pass
 * through it; an image's 64 logits live in vector registers; each
 * gradient entry is summed in registers once, then stored or handed to
 * the optimizer. Bands do not share anything, so
 * threads take whole bands and the result does not depend on how many
 * threads there are.
 *
 * Adam works entry by entry, so it runs on the packed layout as it is;
 * the padding has zero gradient and stays zero (the vectors that are
 * all padding it skips). */
#ifndef FVSBN_TILED_H
#define FVSBN_TILED_H

#include <stddef.h>
#include <stdint.h>

#include "optim.h"

enum { FVSBN_TILE = 64 };

typedef struct {
    int d, bands;
    size_t n;           /* packed floats, padding included */
    size_t *band_start; /* (bands) where band k starts */
    int *order;         /* (bands) the bands, largest first */
    int lut[256][8];    /* the bits set in each byte, lowest first */
    int lut_n[256];     /* and how many */
    int *on, *cut;      /* (B, d) per image: its pixels on, and
                           (B, bands) how many come before band k's end */
    int *by, *by_n;     /* (d, B) per pixel: the images it is on in */
    int *by_band;       /* (bands + 1) thread i lists bands from [i] */
    double *part;       /* (bands, B) each band's share of the NLL */
    float *delta;       /* (bands, B, TILE) dnll/da, band by band */
} FvsbnTiled;

/* 0, or -1 when out of memory. */
int fvsbn_tiled_init(FvsbnTiled *t, int d, int max_batch);
void fvsbn_tiled_free(FvsbnTiled *t);

/* Between fvsbn.h's flat layout (d(d+1)/2 floats) and the packed one
 * (t->n floats, padding zero). pack then unpack is the identity. */
void fvsbn_tiled_pack(const FvsbnTiled *t, float *packed,
                      const float *flat);
void fvsbn_tiled_unpack(const FvsbnTiled *t, float *flat,
                        const float *packed);

/* nll[b] = -log p(x_b) for the B <= max_batch images x (B, d), each
 * pixel 0 or 1 (other bytes give wrong results); grad =
 * d(sum_b nll[b]) / d packed, written (not added), padding zero.
 * Returns sum_b nll[b]. With an optimizer o (optim_begin called, t->n
 * entries), each segment of packed is also updated with its gradient
 * times scale as soon as that is summed, while it is in cache; grad
 * may then be NULL (not stored). Same bits as optim_update afterwards.
 */
double fvsbn_tiled_step(FvsbnTiled *t, double *nll, float *grad,
                        const uint8_t *x, float *packed, int B,
                        int threads, const Optimizer *o, float scale);

#endif
