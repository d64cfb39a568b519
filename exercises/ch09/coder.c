/* coder.c - chapter 9: the range coder of coder.h; the encoder's
 * interval update (exercise 9.1), the decoder's decision (9.2), and
 * what the coder charges for a pixel (9.3).
 *
 * Byte output follows LZMA: low has 33 bits, and a byte that leaves
 * the top of low's 32 may still get a carry from a later addition, so
 * it waits in `cache` (followed by `pending - 1` bytes 0xFF, which a
 * carry would turn into 0x00) until a byte below 0xFF settles it. */
#include "coder.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "exercise.h"

double coder_bit_overhead(void) {
    return -log2(1 - ldexp(1, 1 - CODER_P)) -
           log2(1 - ldexp(1, CODER_P - 24));
}

uint32_t coder_quantise(double p1) {
    uint32_t half = CODER_ONE / 2;
    if (!(p1 >= 0 && p1 <= 1)) return half; /* NaN: no information */
    double rare = p1 <= 0.5 ? p1 : 1 - p1;  /* the less likely value */
    double up = ceil(rare * CODER_ONE);     /* rounded up, never 0 */
    uint32_t f = up < 1 ? 1 : up > half ? half : (uint32_t)up;
    return p1 <= 0.5 ? f : CODER_ONE - f;
}

double coder_pixel_bits(double p1, int x) {
    EXERCISE_TODO("9.3");
}

void encoder_init(Encoder *e) {
    memset(e, 0, sizeof *e);
    e->range = 0xFFFFFFFFu;
    e->pending = 1; /* the cache, a 0 byte before everything */
}

void encoder_free(Encoder *e) {
    free(e->out);
    memset(e, 0, sizeof *e);
}

static void put(Encoder *e, uint8_t byte) {
    if (e->failed) return;
    if (e->len == e->cap) {
        size_t cap = e->cap ? 2 * e->cap : 4096;
        uint8_t *p = realloc(e->out, cap);
        if (!p) {
            e->failed = 1;
            return;
        }
        e->out = p;
        e->cap = cap;
    }
    e->out[e->len++] = byte;
}

/* low's top byte leaves: written now if no carry can reach it any more
 * (it is below 0xFF, or the carry came), else it waits. */
static void shift_low(Encoder *e) {
    if ((uint32_t)e->low < 0xFF000000u || (e->low >> 32) != 0) {
        uint8_t carry = (uint8_t)(e->low >> 32), b = e->cache;
        do {
            put(e, (uint8_t)(b + carry));
            b = 0xFF;
        } while (--e->pending != 0);
        e->cache = (uint8_t)(e->low >> 24);
    }
    e->pending++;
    e->low = (e->low & 0x00FFFFFFu) << 8;
}

void encoder_bit(Encoder *e, int x, uint32_t f1) {
    uint32_t before = e->range;
    EXERCISE_TODO("9.1");
    e->bits += log2((double)before / e->range); /* the bit's cost */
    while (e->range < CODER_TOP) { /* renormalise: a byte is settled */
        e->range <<= 8;
        shift_low(e);
    }
}

int encoder_finish(Encoder *e) {
    for (int k = 0; k < 5; k++) shift_low(e);
    return e->failed ? -1 : 0;
}

static uint8_t next_byte(Decoder *dc) {
    if (dc->at < dc->len) return dc->in[dc->at++];
    dc->overrun++;
    return 0;
}

void decoder_init(Decoder *dc, const uint8_t *in, size_t len) {
    memset(dc, 0, sizeof *dc);
    dc->in = in;
    dc->len = len;
    dc->range = 0xFFFFFFFFu;
    for (int k = 0; k < 5; k++) /* the cache's 0, then low's 4 bytes */
        dc->code = (dc->code << 8) | next_byte(dc);
}

int decoder_bit(Decoder *dc, uint32_t f1) {
    int x = 0;
    EXERCISE_TODO("9.2");
    while (dc->range < CODER_TOP) { /* the encoder's byte, read */
        dc->range <<= 8;
        dc->code = (dc->code << 8) | next_byte(dc);
    }
    return x;
}
