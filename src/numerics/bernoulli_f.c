/* bernoulli_f.c - bernoulli_nll_f of bernoulli.h: the output layer in
 * float, 16 pixels at a time, for the kernels of appendix C. Not built
 * with -ffast-math (exp_neg16 of lanes.h needs exact rounding). */
#include "bernoulli.h"

#include "contract.h" /* FMA contraction in this file */

#include <math.h>

#include "lanes.h"
#include "vec.h"

typedef uint8_t vu8 __attribute__((vector_size(16), aligned(1)));

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
                xv = __builtin_convertvector(
                    __builtin_convertvector(*(const vu8 *)(x + i),
                                            vi16),
                    v16);
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
        double p = 1.0, l = 0.0; /* 16 lanes of at most 2^8: 2^128 */
        for (int c = 0; c < 16; c++) p *= prod[c], l += lin[c];
        nll += l + log(p);
    }
    return nll;
}
//< bernoulli-nll-f
