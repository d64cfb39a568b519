/* lanes.h - the vector type of the kernels of appendix C and the few
 * lane operations they share (GCC/Clang vector extensions: one
 * AVX-512 register, two AVX2 or four SSE ones, whichever
 * MULTIVERSION compiles for). Header only: everything is static. */
#ifndef LANES_H
#define LANES_H

#include <stdint.h>
#include <string.h>

/* 16 floats; aligned(4): loads from any float address */
typedef float v16 __attribute__((vector_size(64), aligned(4)));
typedef int vi16 __attribute__((vector_size(64), aligned(4)));
typedef unsigned vu16 __attribute__((vector_size(64), aligned(4)));

/* *(const vi16 *)(LANES_KEEP + 16 - m): lanes m .. 15 all ones, the
 * first m zero (0 <= m <= 16); its complement keeps the first m */
static const int LANES_KEEP[32] = {
    0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1};

#define LANES_CLAMP16(m) ((m) < 0 ? 0 : (m) > 16 ? 16 : (m))

/* x (a v16) with its lanes c < m zero, m clamped to 0 .. 16 */
#define FROM_LANE(x, m)                                                \
    ((v16)((vi16)(x) &                                                 \
           *(const vi16 *)(LANES_KEEP + 16 - LANES_CLAMP16(m))))

/* x with its lanes c >= m zero, m clamped to 0 .. 16 */
#define UPTO_LANE(x, m)                                                \
    ((v16)((vi16)(x) &                                                 \
           ~*(const vi16 *)(LANES_KEEP + 16 - LANES_CLAMP16(m))))

/* max(x, 0) lane by lane, as x > 0 ? x : 0 (-0 becomes 0) */
#define RELU16(x) ((v16)((vi16)(x) & ~((vi16)(x) >> 31)))

/* e^-t lane by lane for |t| <= 80 (the callers clamp): e^-t = 2^n 2^f
 * with n the integer nearest -t log2(e) and |f| <= 1/2, 2^f by its
 * Taylor polynomial of degree 6 (relative error below 2e-7, near
 * expf's), 2^n put into the exponent bits. Needs exact float
 * arithmetic (no -ffast-math: adding and subtracting `big` rounds). */
static inline __attribute__((always_inline)) void
exp_neg16(v16 *e, const v16 *tp) {
    v16 t = *tp; /* pointers, not values: no vector in the ABI */
    const float big = 12582912.0f; /* 1.5 2^23: adding it rounds */
    v16 z = t * -1.44269504f + big, f = t * -1.44269504f - (z - big);
    v16 p = f * 1.54035304e-4f + 1.33335581e-3f;
    p = p * f + 9.61812911e-3f;
    p = p * f + 5.55041087e-2f;
    p = p * f + 2.40226507e-1f;
    p = p * f + 6.93147182e-1f;
    p = p * f + 1.0f;
    /* p 2^n: z's bits are 0x4B400000 + n, and shifted left by 23 the
     * constant leaves the word (its low 9 bits are zero) while n lands
     * in the exponent: mod 2^32, as if it were subtracted first */
    *e = (v16)((vu16)p + ((vu16)z << 23));
}

/* *y = sigma(*x) lane by lane, x clamped to +-30 as vec_sigmoid does
 * (a compare and a blend each side; a NaN stays a NaN) */
static inline __attribute__((always_inline)) void
sigmoid16(v16 *y, const v16 *x) {
    const v16 hi = (v16){0} + 30.0f, lo = -hi;
    vi16 out = *x > hi; /* all ones where x > 30 (a NaN stays) */
    v16 t = (v16)((out & (vi16)hi) | (~out & (vi16)*x));
    out = t < lo;
    t = (v16)((out & (vi16)lo) | (~out & (vi16)t));
    v16 e;
    exp_neg16(&e, &t);
    *y = 1.0f / (1.0f + e);
}

/* The 8 pixels x[0..7], each 0 or 1, as the bits of a byte (bit j is
 * x[j]): in w x 0x0102040810204080 the byte j of w, times 2^(56 - 7j),
 * lands on bit 56 + j, and no two of the products meet below bit 64. */
static inline int pack8(const uint8_t *x) {
    uint64_t w;
    memcpy(&w, x, 8);
    return (int)((w * 0x0102040810204080u) >> 56);
}

/* *v = the 16 floats of x from k, or those before n with zeros
 * after: never a read past x[n - 1]. */
static inline void load_upto(v16 *v, const float *x, int k, int n) {
    if (k + 16 <= n) {
        *v = *(const v16 *)(x + k);
        return;
    }
    *v = (v16){0};
    for (int c = 0; k + c < n; c++) (*v)[c] = x[k + c];
}

#endif
