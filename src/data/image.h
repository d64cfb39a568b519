/* image.h - grids of small images, for figures and quick looks.
 *
 * A grid puts n images of rows x cols pixels into grid_cols columns
 * with a one-pixel gap. Pixel values are bytes in 0..maxval (maxval 1
 * for binary pixels, 255 for grey levels). */
#ifndef IMAGE_H
#define IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

typedef enum {
    IMG_MATRIX, /* gnuplot "matrix" text, values in [0, 1], gaps 0.5 */
    IMG_PGM,    /* binary greymap P5, black ink on white */
    IMG_PBM     /* plain bitmap P1, ink = 1 (maxval 1 only) */
} ImageFormat;

/* The format a file name asks for: .pgm, .pbm, anything else matrix
 * text. Every command that writes images chooses with this. */
ImageFormat image_format_of(const char *path);

int image_grid_write(const char *path, ImageFormat fmt,
                     const uint8_t *x, size_t n, int rows, int cols,
                     int grid_cols, int maxval, Err *e);

/* Print images side by side as text ('#' ink, '.' background). */
void image_ascii(const uint8_t *x, size_t n, int rows, int cols,
                 int maxval);

#endif
