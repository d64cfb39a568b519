/* pixelcnn.h - chapter 8: a small PixelCNN (van den Oord, Kalchbrenner
 * and Kavukcuoglu, 2016) for binary images. Implemented in
 * solutions/ch08/pixelcnn.c (exercises 8.1-8.5: the masks, forward,
 * backward, sampling and the field's size; yours:
 * exercises/ch08/pixelcnn.c).
 *
 * On an S x S image in raster order:
 *   h_0 = relu(b_0 + W_0 *A x)             7 x 7 type-A masked
 * convolution, 1 -> C channels h_l = h_{l-1} + relu(b_l + W_l *B
 * h_{l-1})   l = 1..L: 3 x 3 type B, C -> C, residual p(x_i = 1 | x_<i)
 * = sigma(b_o + w_o . h_L[:, i])   a 1 x 1 head Type A keeps the taps
 * strictly before the centre in raster order (the rows above, and the
 * pixels to the left in its row); type B keeps the centre too. Only
 * kept taps are stored: the mask is the list of offsets. Parameters
 * O(k^2 C^2 L), independent of d. */
#ifndef PIXELCNN_H
#define PIXELCNN_H

#include <stddef.h>
#include <stdint.h>

#include "rng.h"

enum { PIXELCNN_KA = 7, PIXELCNN_KB = 3 }; /* kernel sizes */
#define PIXELCNN_DEFAULT_LAYERS                                        \
    4 /* autoreg train's, without --layers */

/* Exercise 8.1: the kept taps of a k x k mask (k odd; type_b 0: A,
 * 1: B) as offsets (dy, dx) from the centre, dy = -k/2 .. 0 row by row
 * and dx = -k/2 .. k/2 within a row; returns their count. */
int pixelcnn_taps(int k, int type_b, int *dy, int *dx);

/* Check your understanding (exercise 8.5): how many pixels can move
 * the conditional of a pixel far from the image's edges, after the 7 x
 * 7 type-A layer and L 3 x 3 type-B layers? */
int pixelcnn_field_size(int L);

/* The image's side, or 0 if d is not a square. */
int pixelcnn_side(int d);

size_t pixelcnn_num_params(int d, int C, int L);
size_t pixelcnn_scratch_floats(int d, int C, int L);

/* W_0 (C x TA, by output channel), b_0 (C), then per layer l: W_l
 * (C x C x TB: [out][in][tap]), b_l (C); then w_o (C), b_o (1). */
typedef struct {
    float *W0, *b0, *W, *b, *wo, *bo; /* W, b: layer 1's; layer l at
                                       * (l - 1) times its size */
} PixelcnnParams;
void pixelcnn_point(PixelcnnParams *p, float *params, int C, int L);

/* nll[n] = -log p(x_n); scratch (B * pixelcnn_scratch_floats) keeps
 * what backward reads; d must be a square. */
void pixelcnn_forward(double *nll, float *scratch, const uint8_t *x,
                      const float *params, int B, int d, int C, int L);
/* Add d(sum_n nll[n]) / d params into dparams. */
void pixelcnn_backward(float *dparams, float *scratch, const uint8_t *x,
                       const float *params, int B, int d, int C, int L);
/* The receptive field by backpropagation (given): dx[j] = d logit_i /
 * d x_j for one image x, the pixels taken as real inputs, at pixel i;
 * zero for every j at or after i. scratch: pixelcnn_scratch_floats;
 * dparams: pixelcnn_num_params floats of scratch (overwritten). */
void pixelcnn_logit_grad(float *dx, float *dparams, float *scratch,
                         const uint8_t *x, const float *params, int i,
                         int d, int C, int L);
/* n images in raster order, the first `given` pixels of each kept;
 * scratch of pixelcnn_scratch_floats. Each step computes every layer at
 * one pixel, once: it depends only on the pixels before it. */
void pixelcnn_sample(uint8_t *x, float *scratch, const float *params,
                     int given, int n, int d, int C, int L, Rng *rng);

#endif
