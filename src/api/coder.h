/* coder.h - chapter 9: a binary arithmetic (range) coder in integer
 * arithmetic, the one of LZMA (Pavlov): a 32-bit range, a 64-bit low
 * whose bit 32 is a carry, bytes out most significant first.
 * Implemented in solutions/ch09/coder.c (exercises 9.1-9.3; yours:
 * exercises/ch09/coder.c).
 *
 * The interval [low, low + range) stands for every file that starts
 * with the bytes written so far. A bit with probability p(x = 1) = f1 /
 * 2^P (P = CODER_P) splits it at
 *     bound = floor(range / 2^P) * (2^P - f1)
 * x = 0 keeps the bottom [low, low + bound), x = 1 the top
 * [low + bound, low + range); when range falls below 2^24 its top byte
 * is settled and goes out (renormalisation, range * 256).
 *
 * The code length: each bit costs -log2(new range / old range), so an
 * image costs sum_i -log2 p~(x_i | x_<i) with p~ the split's actual
 * fractions; flushing adds at most 5 bytes per file. With P = 12 and
 * range >= 2^24 between bits, p~ is never below the model's p times
 * (1 - 2^(1-P)) (coder_quantise) times (1 - 2^(P-24)) (the floor), so
 *     bits(x) <= -log2 p(x) + d * coder_bit_overhead(),
 * -log2(1 - 2^-11) - log2(1 - 2^-12) = 0.00106 bits a pixel, 0.83 bits
 * for a 28 x 28 image (chapter 9 derives it). */
#ifndef CODER_H
#define CODER_H

#include <stddef.h>
#include <stdint.h>

enum { CODER_P = 12 };            /* bits of probability */
#define CODER_ONE (1u << CODER_P) /* 2^P: probability 1 */
#define CODER_TOP (1u << 24)      /* range stays >= 2^24 */

/* The bound above, bits per pixel: -log2(1 - 2^(1-P)) for the
 * quantisation, -log2(1 - 2^(P-24)) for the floor in bound. */
double coder_bit_overhead(void);

/* The model's p(x = 1) as f1 in 1 .. 2^P - 1: the less likely value's
 * probability rounded up (never 0), the likely one gets the rest. */
uint32_t coder_quantise(double p1);

/* Check your understanding (exercise 9.3): the bits the coder charges
 * for the value x of a pixel whose p(x = 1) is p1, ignoring the floor
 * in the bound: -log2 of x's quantised probability. */
double coder_pixel_bits(double p1, int x);

typedef struct {
    uint64_t low;     /* the interval's bottom; bit 32: a carry */
    uint32_t range;   /* its width, >= 2^24 between bits */
    uint8_t cache;    /* the last settled byte, not yet written: a
                       * carry can still add 1 to it */
    uint64_t pending; /* cache, then pending - 1 bytes 0xFF, wait */
    uint8_t *out;     /* (cap) the bytes written */
    size_t len, cap;
    int failed;  /* out of memory: nothing more is written */
    double bits; /* -log2 of the interval's shrink: bits so far */
} Encoder;

typedef struct {
    uint32_t range; /* the encoder's range at the same bit */
    uint32_t code;  /* the file's value minus low, in [0, range) */
    const uint8_t *in;
    size_t len, at; /* bytes, and the next to read */
    size_t overrun; /* bytes read past the end (taken as 0) */
} Decoder;

void encoder_init(Encoder *e);
void encoder_free(Encoder *e);
/* Exercise 9.1: code the bit x with p(x = 1) = f1 / 2^P. */
void encoder_bit(Encoder *e, int x, uint32_t f1);
/* The last bytes: enough of low that the decoder lands inside the
 * interval. 0, or -1 when memory ran out on the way. */
int encoder_finish(Encoder *e);

void decoder_init(Decoder *dc, const uint8_t *in, size_t len);
/* Exercise 9.2: the bit the encoder coded with p(x = 1) = f1 / 2^P. */
int decoder_bit(Decoder *dc, uint32_t f1);

#endif
