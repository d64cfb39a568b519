/* lanes.h - the vector type of the kernels of appendix C and the few
 * lane operations they share (GCC/Clang vector extensions: one
 * AVX-512 register, two AVX2 or four SSE ones, whichever
 * MULTIVERSION compiles for). Header only: everything is static. */
#ifndef LANES_H
#define LANES_H

/* 16 floats; aligned(4): loads from any float address */
typedef float v16 __attribute__((vector_size(64), aligned(4)));
typedef int vi16 __attribute__((vector_size(64), aligned(4)));

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
