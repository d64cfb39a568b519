/* vec.h - the one vector primitive the image models are built from.
 *
 * With binary inputs, "W x" is a sum of the columns of W whose pixel is
 * on, so forward passes, backward passes and sampling all reduce to
 * y += x over contiguous floats. It is compiled for several instruction
 * sets (GCC target_clones) and the best one for the machine is picked
 * when the program starts. */
#ifndef VEC_H
#define VEC_H

#include <stddef.h>

/* Compile a hot function for AVX-512, AVX2 and plain x86-64, picked at
 * load time. Off for compilers that cannot (the clang fuzz build). */
#ifdef AUTOREG_NO_CLONES
#define MULTIVERSION
#else
#define MULTIVERSION                                                   \
    __attribute__((target_clones("avx512f", "avx2", "default")))
#endif

/* n floats (at least one), 64-byte aligned, zero; free() them. NULL
 * when out of memory. */
float *vec_alloc(size_t n);

/* y[k] += x[k] for k < n; y and x do not overlap. */
void vec_add(float *restrict y, const float *restrict x, int n);
/* y[k] -= x[k] */
void vec_sub(float *restrict y, const float *restrict x, int n);
/* y[k] += alpha x[k] */
void vec_axpy(float *restrict y, float alpha, const float *restrict x,
              int n);

/* s[k] += alpha w[k] y[k] (1 - y[k]): backpropagation through
 * y = sigma(.) of a gradient alpha w */
void vec_sigmoid_backprop(float *restrict s, float alpha,
                          const float *restrict w,
                          const float *restrict y, int n);

/* In vecmath.c (vector exp): y[k] = sigma(x[k]); y may be x. */
void vec_sigmoid(float *y, const float *x, int n);
/* sum_k x[k] y[k], accumulated in float vector lanes. */
double vec_dot(const float *x, const float *y, int n);

#endif
