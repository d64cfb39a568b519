/* image.c - image grids as gnuplot matrices, PGM and PBM. */
#include "image.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out.h"

/* Value in [0, 1] of grid cell (r, c), or -1 for a gap. */
static double cell(const uint8_t *x, size_t n, int rows, int cols,
                   int grid_cols, int maxval, int r, int c) {
    int gr = r / (rows + 1), pr = r % (rows + 1);
    int gc = c / (cols + 1), pc = c % (cols + 1);
    size_t k = (size_t)gr * (size_t)grid_cols + (size_t)gc;
    if (pr == rows || pc == cols || k >= n) return -1;
    return x[k * (size_t)rows * (size_t)cols + (size_t)pr * cols + pc] /
           (double)maxval;
}

static int ends_with(const char *s, const char *tail) {
    size_t n = strlen(s), k = strlen(tail);
    return n > k && !strcmp(s + n - k, tail);
}

ImageFormat image_format_of(const char *path) {
    return ends_with(path, ".pgm")   ? IMG_PGM
           : ends_with(path, ".pbm") ? IMG_PBM
                                     : IMG_MATRIX;
}

int image_grid_write(const char *path, ImageFormat fmt,
                     const uint8_t *x, size_t n, int rows, int cols,
                     int grid_cols, int maxval, Err *e) {
    if (n == 0 || grid_cols < 1 || rows < 1 || cols < 1 || maxval < 1)
        return err_set(e, "%s: empty or malformed image grid", path);
    if (fmt == IMG_PBM && maxval != 1)
        return err_set(e, "%s: PBM needs binary pixels", path);
    int gr = (int)((n + (size_t)grid_cols - 1) / (size_t)grid_cols);
    int H = gr * (rows + 1) - 1, W = grid_cols * (cols + 1) - 1;
    OutFile o;
    if (out_open(&o, path, e)) return -1;
    if (fmt == IMG_PGM) fprintf(o.f, "P5\n%d %d\n255\n", W, H);
    if (fmt == IMG_PBM) fprintf(o.f, "P1\n%d %d\n", W, H);
    for (int r = 0; r < H; r++) {
        for (int c = 0; c < W; c++) {
            double v = cell(x, n, rows, cols, grid_cols, maxval, r, c);
            if (fmt == IMG_MATRIX) {
                fprintf(o.f, c ? " %.3g" : "%.3g", v < 0 ? 0.5 : v);
            } else if (fmt == IMG_PGM) {
                /* ink is dark: 255 (paper) minus intensity */
                fputc(v < 0 ? 200 : (int)(255.5 - 255 * v), o.f);
            } else {
                fprintf(o.f, c ? " %d" : "%d", v > 0.5);
            }
        }
        if (fmt != IMG_PGM) fputc('\n', o.f);
    }
    return out_close(&o, e);
}

void image_ascii(const uint8_t *x, size_t n, int rows, int cols,
                 int maxval) {
    for (int r = 0; r < rows; r++) {
        for (size_t k = 0; k < n; k++) {
            const uint8_t *img = x + k * (size_t)rows * (size_t)cols;
            for (int c = 0; c < cols; c++)
                putchar(img[r * cols + c] * 2 > maxval ? '#' : '.');
            if (k + 1 < n) fputs("   ", stdout);
        }
        putchar('\n');
    }
}
