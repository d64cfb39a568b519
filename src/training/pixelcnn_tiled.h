/* pixelcnn_tiled.h - the PixelCNN's forward and backward passes as
 * register-blocked kernels (appendix C; autoreg train --model pixelcnn
 * --kernel tiled): the math of chapter 8 (pixelcnn.h), the parameters
 * in the model's flat layout, the results within float rounding of
 * chapter 8's code.
 *
 * The planes are chapter 8's: a border of 3 zeros, one plane per
 * channel. Where chapter 8 adds one tap over the whole plane at a time
 * (an axpy: two loads and a store per multiply-add), the kernel keeps 8
 * output channels x 16 pixels in registers and runs over every input
 * channel and tap (a load per multiply-add, the weight's, broadcast);
 * the gradient of W is a 4 x 4 block of dot products at once. Each
 * thread takes a share of the images and keeps only one image's planes,
 * in its cache, instead of the batch's. */
#ifndef PIXELCNN_TILED_H
#define PIXELCNN_TILED_H

#include <stddef.h>
#include <stdint.h>

#include "parallel.h"

typedef struct {
    int d, C, L, S, W, T;          /* sizes; W = S + 6; T threads */
    int ta, tb, offa[49], offb[9]; /* the taps, as plane offsets */
    size_t ps;                     /* floats per plane, with slack */
    int a, n, n16;  /* the span: from a, n (rounded up) */
    int cp;         /* C rounded up to 8 */
    float *wf, *wb; /* repacked weights: forward, backward */
    float *planes[PARALLEL_MAX_THREADS]; /* one image's, per thread */
} PcnnTiled;

/* For d = S x S pixels, C channels, L layers, T threads: 0, or -1 (out
 * of memory, or d not a square). */
int pcnn_tiled_init(PcnnTiled *t, int d, int C, int L, int T);
void pcnn_tiled_free(PcnnTiled *t);

/* nll[n] = -log p(x_n) for the B images of x; thread k of the T adds
 * the gradient of its share's summed NLL into grads[k] (the model's
 * flat layout), or no gradient if grads is NULL. Returns sum nll. */
double pcnn_tiled_forward_backward(PcnnTiled *t, float **grads,
                                   const float *params,
                                   const uint8_t *x, int B,
                                   double *nll);

#endif
