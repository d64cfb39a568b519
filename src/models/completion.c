/* completion.c - see completion.h. */
#include "completion.h"

#include <stdlib.h>
#include <string.h>

#include "nade_order.h"

int completion_panel(uint8_t *out, const uint8_t *x, int n, int given,
                     int samples, Model *m, Rng *rng, Err *e) {
    int d = m->d, per = 2 + samples;
    int *id = malloc((size_t)d * sizeof *id);
    if (!id) return err_set(e, "completion: out of memory");
    for (int i = 0; i < d; i++) id[i] = i; /* raster order */
    for (int s = 0; s < n; s++) {
        const uint8_t *xs = x + (size_t)s * d;
        uint8_t *row = out + (size_t)s * per * d;
        for (int i = 0; i < d; i++) {
            row[i] = xs[i] ? 4 : 0;                     /* the image */
            row[d + i] = i < given ? (xs[i] ? 4 : 0) : 1; /* given */
        }
        for (int c = 0; c < samples; c++) {
            uint8_t *y = row + (size_t)(2 + c) * d;
            memcpy(y, xs, (size_t)d);
            nade_complete_order(y, m->scratch, m->params, id, given, 1, d,
                                m->h, rng);
            for (int i = 0; i < d; i++)
                y[i] = y[i] ? (i < given ? 4 : 3) : 0;
        }
    }
    free(id);
    return 0;
}
