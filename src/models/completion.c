/* completion.c - see completion.h. */
#include "completion.h"

#include <stdio.h>
#include <string.h>

int completion_check(const Model *m, const char *path, Err *e) {
    if (!m->ops->complete) {
        char can[128] = ""; /* the registry's models that can */
        for (int k = 1; model_ops_by_kind(k); k++)
            if (model_ops_by_kind(k)->complete)
                snprintf(can + strlen(can), sizeof can - strlen(can),
                         "%s%s", can[0] ? " or " : "",
                         model_ops_by_kind(k)->name);
        return err_set(e, "%s: a %s checkpoint; completion needs %s",
                       path, m->ops->name, can);
    }
    if (!model_in_raster_order(m))
        return err_set(e,
                       "%s: a %s that visits the pixels in %s; "
                       "completing the top rows needs the raster order",
                       path, m->ops->name,
                       m->n_masks > 1 ? "several orders (its masks)"
                                      : "an order of its own");
    return 0;
}

int completion_panel(uint8_t *out, const uint8_t *x, int n, int given,
                     int samples, Model *m, Rng *rng, Err *e) {
    int d = m->d, per = 2 + samples;
    for (int s = 0; s < n; s++) {
        const uint8_t *xs = x + (size_t)s * d;
        uint8_t *row = out + (size_t)s * per * d;
        for (int i = 0; i < d; i++) {
            row[i] = xs[i] ? 4 : 0; /* the image */
            row[d + i] = i < given ? (xs[i] ? 4 : 0) : 1; /* given */
        }
        for (int c = 0; c < samples; c++) {
            uint8_t *y = row + (size_t)(2 + c) * d;
            memcpy(y, xs, (size_t)d);
            if (m->ops->complete(m, y, given, rng, e)) return -1;
            for (int i = 0; i < d; i++)
                y[i] = y[i] ? (i < given ? 4 : 3) : 0;
        }
    }
    return 0;
}
