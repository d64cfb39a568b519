/* made_tiled.h - MADE's gradient for a whole minibatch at once
 * (appendix C; autoreg train --model made --kernel tiled).
 *
 * Chapter 7's passes go image by image: each image reads every kept
 * row of V, so a minibatch of B images streams V from memory B times.
 * Here the minibatch is the inner loop. Four rows of V and 32 images at
 * a time are held in registers, so each weight is loaded once per 32
 * images, and the three products (the logits L = U V', and in the
 * backward pass dV = G' U and dU = G V) run as small matrix products.
 * The mask is applied once per step: a copy of V with the masked
 * entries zero (Vm), the rows taken in the mask's order, where the cuts
 * grow, so that four consecutive rows share most of their length.
 *
 * Every entry of the result is computed by one thread in a fixed
 * order, so it does not depend on the thread count. One hidden layer;
 * the math is chapter 7's, and a test holds it to made_forward and
 * made_backward. */
#ifndef MADE_TILED_H
#define MADE_TILED_H

#include <stddef.h>
#include <stdint.h>

#include "made.h"
#include "optim.h"

typedef struct {
    int d, h, hp, B, Bp; /* hp, Bp: h and the batch rounded up to 32 */
    float *A, *U, *dA;   /* (B, hp) pre-activations, relu, gradient */
    float *Ut;           /* (h, Bp) U transposed, zero past the batch */
    float *L;            /* (B, d) logits, then g = sigma(logit) - x */
    float *Vm;           /* (d, hp) V with the masked entries zero */
    float *row;          /* (threads, hp) each thread's gradient row */
    int *list; /* (threads, max(CHUNK d, B)) pixels or images on */
} MadeTiled;

int made_tiled_init(MadeTiled *t, int d, int h, int max_batch);
void made_tiled_free(MadeTiled *t);

/* The passes of one training step on x (B, d) under mask mk, T
 * threads: nll[b] = -log p(x_b), then either the gradient of
 * sum_b nll[b] into grad (MADE's flat layout, assigned, not added; opt
 * NULL), or, given an optimizer, one step of it: every row and column
 * of the parameters updated with its gradient times scale as soon as it
 * is known, while it is in cache (grad unused). With kept_only, the
 * optimizer skips the weights mk masks: exact when no other mask ever
 * gave them a gradient (a model of one mask), since Adam leaves a
 * weight with zero gradient and zero moments where it is. A minibatch
 * whose NLL is not finite changes nothing. Returns the summed NLL. */
double made_tiled_step(MadeTiled *t, double *nll, float *grad,
                       const uint8_t *x, float *params,
                       const MadeMask *mk, int B, int T, Optimizer *opt,
                       float scale, int kept_only);

#endif
