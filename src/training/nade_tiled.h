/* nade_tiled.h - chapter 5's NADE training step with the pixels outer
 * and the minibatch inner (appendix C; autoreg train --model nade
 * --kernel tiled).
 *
 * Chapter 5's passes go image by image, and each image reads all of V
 * and W (and writes all of dV and dW): 6 MB for d = 784, h = 500, far
 * more than a core's cache, for every image. Here the pixels come in
 * groups of NADE_GROUP: the rows of V, W, dV and dW of one group stay
 * in the first-level cache while every image of the thread passes
 * through it, each with its own running activation a and, backward,
 * the sums u and s (second-level cache). Within a group an image's
 * pixels go in runs that share h (no pixel on between them), and the
 * dot products of a run are computed together, so each load of h
 * serves every row of the run. The math is chapter 5's: the same
 * recurrences, a_{i+1} = a_i + W[:, i] x_i forward and its reverse
 * backward, with the sigmoids only where a pixel is on.
 *
 * Forward keeps every h it computes, one slot of hp floats per pixel on
 * (about 200 KB an image on MNIST), so backward reads them instead of
 * subtracting the columns again and taking the sigmoids a second time.
 * Backward sums a group's rows of dV over all the images in registers,
 * after the images have passed, and stores each row once.
 *
 * The kernel works on a packed copy of the parameters: rows of hp
 * floats (h rounded up to 32), padding zero, so that every row is whole
 * vectors. Adam works entry by entry, so it runs on the packed layout
 * as it is; the padding has zero gradient and stays zero.
 *
 * Each thread takes a share of the images and sums their gradient into
 * its own buffer; the buffers are summed in thread order, so, as in the
 * plain step, the result depends on the thread count (a training state
 * records it). */
#ifndef NADE_TILED_H
#define NADE_TILED_H

#include <stddef.h>
#include <stdint.h>

enum { NADE_GROUP = 8 };

typedef struct {
    int d, h, hp, B;
    size_t n;             /* packed floats, padding included */
    size_t W, c, V, b;    /* where each block starts in the packing */
    float *A, *H, *U, *S; /* (B, hp) per image: a, h (sampling), u, s */
    float *L;             /* (B, d) logits, then g = sigma(logit) - x */
    float *Hs;        /* the slots: image b's h after each pixel on */
    size_t *first;    /* (B) where image b's slots start in Hs */
    int *last;        /* (B) image b's current slot */
    float *gq;        /* (B, G) g at the group's places, for dV */
    const float **hq; /* (B, G) and h there (a slot) */
    int *raster;      /* (d) 0, 1, ..., d - 1 */
} NadeTiled;

/* 0, or -1 when out of memory. The slots are reserved for the worst
 * case, d for each of max_batch images (max_batch d hp floats), and
 * not cleared: only the pages the images reach are touched. */
int nade_tiled_init(NadeTiled *t, int d, int h, int max_batch);
void nade_tiled_free(NadeTiled *t);

/* Between nade.h's flat layout (2 d h + h + d floats) and the packed
 * one (t->n floats, padding zero). pack then unpack is the identity. */
void nade_tiled_pack(const NadeTiled *t, float *packed,
                     const float *flat);
void nade_tiled_unpack(const NadeTiled *t, float *flat,
                       const float *packed);

/* nll[b] = -log p(x_b) for the B <= max_batch images x (B, d) under
 * the pixel order (chapter 6: order[p] is the pixel at place p; NULL:
 * the raster order), T threads; grads[k] (t->n packed floats each, k <
 * T) += the gradient of the sum of nll over thread k's share of the
 * images (their sum is d(sum_b nll[b]) / d packed). Returns sum_b
 * nll[b]. */
double nade_tiled_step(NadeTiled *t, double *nll, float **grads,
                       const uint8_t *x, const float *packed,
                       const int *order, int B, int T);

/* n samples into x (n, d) under the order (NULL: raster), T threads:
 * the samples in blocks of the state's rows, every sample of a block
 * advancing a place at a time, so each row of V serves them all. Sample
 * s draws from its own stream, seeded from seed and s, so x does not
 * depend on T. 0, or -1 when out of memory. */
int nade_tiled_sample(NadeTiled *t, uint8_t *x, const float *packed,
                      const int *order, int n, uint64_t seed, int T);

#endif
