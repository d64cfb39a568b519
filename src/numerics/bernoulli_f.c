/* bernoulli_f.c - bernoulli_nll_f of bernoulli.h: the output layer in
 * float, 16 pixels at a time, for the kernels of appendix C. Not built
 * with -ffast-math (exp_neg16 of lanes.h needs exact rounding). */
#include "bernoulli.h"

#include "contract.h" /* FMA contraction in this file */

#include <math.h>

#include "lanes.h"
#include "vec.h"

#include <string.h>

/* The 16 pixels x[0..15], each 0 or 1, as floats: pack8 twice, then a
 * shift per lane unpacks the 16 bits. (The compilers turn a
 * byte-to-float conversion of a vector into 16 scalar loads where only
 * AVX-512F may be used.) */
static inline __attribute__((always_inline)) void
pixels16(v16 *xv, const uint8_t *x) {
    const vi16 lane = {0, 1, 2,  3,  4,  5,  6,  7,
                       8, 9, 10, 11, 12, 13, 14, 15};
    int bits = pack8(x) | pack8(x + 8) << 8;
    *xv = __builtin_convertvector(((vi16){0} + bits) >> lane & 1, v16);
}

typedef float v8f __attribute__((vector_size(32)));
typedef float v4f __attribute__((vector_size(16)));
#define lo8(x) __builtin_shufflevector(x, x, 0, 1, 2, 3, 4, 5, 6, 7)
#define hi8(x)                                                         \
    __builtin_shufflevector(x, x, 8, 9, 10, 11, 12, 13, 14, 15)
#define lo4(x) __builtin_shufflevector(x, x, 0, 1, 2, 3)
#define hi4(x) __builtin_shufflevector(x, x, 4, 5, 6, 7)

//> bernoulli-nll-f
/* Pixels i .. i+15 (lanes from m on, m < 16, are past d: they add
 * nothing): lin += max(a, 0) - x a and prod *= 1 + e, e = e^-|a|, so
 * that their log1p(e) sum to the log of prod; *g = sigma(a) - x. */
static inline __attribute__((always_inline)) void
bernoulli16(v16 *g, v16 *lin, v16 *prod, const v16 *ap, const v16 *xp,
            int m) {
    v16 a = *ap, x = *xp;
    vi16 neg = (vi16)a >> 31;            /* all ones where a < 0 */
    v16 t = (v16)((vi16)a & 0x7fffffff); /* |a| */
    t = t - RELU16(t - 80.0f); /* e^-80 is still a normal float */
    v16 e;
    exp_neg16(&e, &t);
    v16 term = RELU16(a) - x * a, q = 1.0f + e;
    if (m < 16) term = UPTO_LANE(term, m), q = 1.0f + UPTO_LANE(e, m);
    *lin += term;
    *prod *= q; /* each factor in (1, 2] */
    v16 one = (v16){0} + 1.0f;
    v16 num = (v16)((neg & (vi16)e) | (~neg & (vi16)one));
    *g = num / q - x; /* 1 / (1 + e) for a >= 0, e / (1 + e) below */
}

MULTIVERSION
double bernoulli_nll_f(float *g, const float *a, const uint8_t *x,
                       int d) {
    double nll = 0.0;
    for (int i0 = 0; i0 < d; i0 += 128) { /* 8 vectors, one log */
        int i1 = d - i0 < 128 ? d : i0 + 128;
        v16 lin = {0}, prod = (v16){0} + 1.0f; /* each lane <= 2^8 */
        for (int i = i0; i < i1; i += 16) {
            int m = i1 - i < 16 ? i1 - i : 16;
            v16 av, xv;
            if (m == 16) {
                av = *(const v16 *)(a + i);
                pixels16(&xv, x + i);
            } else {
                load_upto(&av, a, i, i1);
                xv = (v16){0};
                for (int c = 0; c < m; c++) xv[c] = x[i + c];
            }
            v16 gv;
            bernoulli16(&gv, &lin, &prod, &av, &xv, m);
            if (m == 16) *(v16 *)(g + i) = gv;
            else
                for (int c = 0; c < m; c++) g[i + c] = gv[c];
        }
        /* the 16 lanes (each at most 2^8) in halves: at most 2^64 in
         * the last two, whose product 2^128 needs a double */
        v8f p8 = lo8(prod) * hi8(prod), l8 = lo8(lin) + hi8(lin);
        v4f p4 = lo4(p8) * hi4(p8), l4 = lo4(l8) + hi4(l8);
        double p = (double)(p4[0] * p4[2]) * (double)(p4[1] * p4[3]);
        nll += (double)((l4[0] + l4[2]) + (l4[1] + l4[3])) + log(p);
    }
    return nll;
}
//< bernoulli-nll-f
