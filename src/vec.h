/* vec.h - the one vector primitive the image models are built from.
 *
 * With binary inputs, "W x" is a sum of the columns of W whose pixel is
 * on, so forward passes, backward passes and sampling all reduce to
 * y += x over contiguous floats. It is compiled for several instruction
 * sets (GCC target_clones) and the best one for the machine is picked
 * when the program starts. */
#ifndef VEC_H
#define VEC_H

/* y[k] += x[k] for k < n; y and x do not overlap. */
void vec_add(float *restrict y, const float *restrict x, int n);

#endif
