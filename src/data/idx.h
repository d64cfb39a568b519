/* idx.h - the IDX format of MNIST and Fashion-MNIST.
 *
 * A file is a 4-byte magic 0x00 0x00 TYPE NDIM, then NDIM big-endian
 * uint32 sizes, then the data in row-major order. We use TYPE 0x08
 * (unsigned byte): images are 0x00000803 (count, rows, cols), labels
 * 0x00000801 (count). Files ending in .gz are read through zlib (any
 * file is: zlib passes plain files through). */
#ifndef IDX_H
#define IDX_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define IDX_MAGIC_IMAGES 0x00000803u
#define IDX_MAGIC_LABELS 0x00000801u
#define IDX_MAX_BYTES                                                  \
    ((size_t)1 << 31) /* 2 GiB: far above any data set */

typedef struct {
    int ndim;         /* 1 (labels) or 3 (images) */
    uint32_t dims[3]; /* dims[0] = count; images: rows, cols */
    size_t size;      /* product of dims, bytes of data */
    uint8_t *data;    /* (size) bytes, owned */
} Idx;

/* Parse an in-memory file. want_ndim is 1 or 3. `name` is used in error
 * messages only. On success out->data is a fresh copy. */
int idx_parse(const uint8_t *buf, size_t len, int want_ndim,
              const char *name, Idx *out, Err *e);

int idx_read(const char *path, int want_ndim, Idx *out, Err *e);

/* Write atomically (temporary name, then rename); never gzipped. */
int idx_write(const char *path, const Idx *idx, Err *e);

void idx_free(Idx *idx);

#endif
