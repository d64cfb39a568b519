/* compress.h - chapter 9: images coded by a model's conditionals with
 * the range coder of coder.h, and the file `autoreg compress` writes.
 *
 * Encoding and decoding are the model's own sampler with the coder in
 * place of the coin (rng_coin): the encoder's coin codes the image's
 * pixel and returns it, the decoder's returns the bit it decodes. Both
 * see the same p(x_i = 1 | x_<i), computed the same way from the same
 * pixels, so the decoder follows the encoder bit for bit - for every
 * model kind, in whatever order its sampler visits the pixels.
 *
 * The file, little-endian, COMPRESS_HEADER bytes then the payload:
 *    0  "ARCZ"          16  cols            36  CRC-32 of the images
 *    4  version (1)     20  model kind      40  payload bytes (8)
 *    8  images n        24  checkpoint      48  CRC-32 of the payload
 *   12  rows                bytes (8)       52  CRC-32 of bytes 0-51
 *                       32  checkpoint CRC-32
 * CRCs are checkpoint_crc32's (zlib). The images' CRC is of their n d
 * pixels (bytes 0 and 1, raster). The payload: S (4 bytes), the S
 * segments' lengths (8 bytes each), then the segments, each a range
 * coder's output for its images. */
#ifndef COMPRESS_H
#define COMPRESS_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "model.h"

#define COMPRESS_MAGIC "ARCZ"
enum { COMPRESS_VERSION = 1, COMPRESS_HEADER = 56 };
#define COMPRESS_MAX_IMAGES 10000000u
/* The images are coded in S independent segments, one coder each,
 * coded and decoded in parallel: S = ceil(n / 500), at most 8, so the
 * file does not depend on the machine. */
enum { COMPRESS_MAX_SEGMENTS = 8 };

typedef struct {
    uint32_t version, n, rows, cols, kind;
    uint64_t ckpt_bytes; /* the checkpoint file that coded it */
    uint32_t ckpt_crc;
    uint32_t images_crc;
    uint64_t payload_bytes;
    uint32_t payload_crc;
} CompressHeader;

/* What the coder uses of m: a MADE with several masks codes with its
 * first (an ensemble's mixture has no single order); returns 1 then. */
int compress_prepare(Model *m);

/* S for n images. */
int compress_segments(size_t n);

/* The pixels in the order m's sampler draws them (d). */
void compress_visit_order(const Model *m, int *order);

/* Code the n images x (n, d, pixels 0 and 1) with m into *payload
 * (malloc'd, *len bytes); bits (n, or NULL): each image's code length
 * in bits, the coder's own count. 0, or -1 with a one-line error. */
int compress_encode(Model *m, const uint8_t *x, size_t n,
                    uint8_t **payload, size_t *len, double *bits,
                    Err *e);
/* Decode n images (n, d) from payload into x. 0, or -1. */
int compress_decode(Model *m, const uint8_t *payload, size_t len,
                    size_t n, uint8_t *x, Err *e);

/* The checkpoint's size and CRC-32 as the header records them. */
int compress_hash_file(const char *path, uint64_t *bytes, uint32_t *crc,
                       Err *e);

/* The header's 56 bytes into out. */
void compress_put_header(uint8_t *out, const CompressHeader *h);
/* Parse the file buf (len bytes, named `name` in errors): the magic,
 * the version, the header's CRC, the sizes, the payload's length and
 * CRC. 0 with *payload pointing into buf, or -1 with a one-line error
 * naming name and what is wrong. */
int compress_parse(const uint8_t *buf, size_t len, const char *name,
                   CompressHeader *h, const uint8_t **payload, Err *e);
/* 0 if the file `name` was written with this checkpoint (bytes, crc,
 * at ckpt_path) and m fits its images; else -1 naming both. */
int compress_check_model(const CompressHeader *h, const char *name,
                         const char *ckpt_path, uint64_t ckpt_bytes,
                         uint32_t ckpt_crc, const Model *m, Err *e);

#endif
