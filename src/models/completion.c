/* completion.c - see completion.h. */
#include "completion.h"

#include <stdlib.h>
#include <string.h>

#include "made.h"
#include "nade_order.h"

int completion_check(const Model *m, const char *path, Err *e) {
    if (m->ops->has_masks) {
        int raster = m->n_masks == 1;
        for (int t = 0; raster && t < m->d; t++)
            raster = m->masks[0].order[t] == t;
        if (!raster)
            return err_set(e, "%s: a made with %d masks%s; completing the "
                              "top rows needs one mask in the raster order",
                           path, m->n_masks,
                           m->n_masks == 1 ? " in its own order" : "");
        return 0;
    }
    if (!m->ops->has_order)
        return err_set(e, "%s: a %s checkpoint; completion needs nade or "
                          "made", path, m->ops->name);
    if (m->order)
        return err_set(e, "%s visits the pixels in its own order; "
                          "completing the top rows needs the raster order",
                       path);
    return 0;
}

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
            if (m->ops->has_masks) /* MADE: one raster mask (checked) */
                made_sample(y, m->scratch, m->params, &m->masks[0], given,
                            1, d, m->h, rng);
            else
                nade_complete_order(y, m->scratch, m->params, id, given, 1,
                                    d, m->h, rng);
            for (int i = 0; i < d; i++)
                y[i] = y[i] ? (i < given ? 4 : 3) : 0;
        }
    }
    free(id);
    return 0;
}
