/* checkpoint.h - a model on disk.
 *
 * A 36-byte little-endian header, then the flat parameter buffer as
 * float32:
 *   magic "ARMODEL\0" | version u32 | kind u32 | d u32 | h u32 |
 *   n_params u64 | crc32(parameter bytes) u32
 * Version 2 (a NADE with its own pixel order, chapter 6) appends the
 * order as d u32 after the parameters, inside the CRC; a model in the
 * raster order is written as version 1. Version 3 (MADE, chapter 7)
 * appends its masks, inside the CRC: K u32 | random order u32 | seed
 * u64 | K orders of d u32 | K degree vectors of h u32. Version 4 (a
 * MADE with two hidden layers) has h2 u32 after the seed and K degree
 * vectors of h2 u32 at the end. Version 5 (a model with a second size
 * and no masks: the PixelCNN's layers) appends h2 u32, inside the CRC.
 * Written under a temporary name and renamed, so a checkpoint on disk
 * is always complete. A truncated, corrupted or mismatched file is
 * rejected with a one-line error naming it. */
#ifndef CHECKPOINT_H
#define CHECKPOINT_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "model.h"

#define CKPT_VERSION 1u        /* raster order */
#define CKPT_VERSION_ORDER 2u  /* with a pixel order */
#define CKPT_VERSION_MASKS 3u  /* with MADE's masks */
#define CKPT_VERSION_LAYER2 4u /* MADE with two hidden layers */
#define CKPT_VERSION_SIZE2 5u  /* h2 without masks (PixelCNN) */
#define CKPT_HEADER_BYTES 36

/* CRC-32 (zlib's) of n bytes, for any length. */
uint32_t checkpoint_crc32(const uint8_t *p, size_t n);

int checkpoint_save(const char *path, const Model *m, Err *e);

/* Load into a fresh model (created here, batches up to max_batch).
 * want_kind 0 accepts any model; otherwise the kind must match. */
int checkpoint_load(const char *path, int want_kind, int max_batch,
                    Model *m, Err *e);

/* The same on a file already in memory (`path` names it in errors). */
int checkpoint_parse(const uint8_t *buf, size_t len, const char *path,
                     int want_kind, int max_batch, Model *m, Err *e);

#endif
