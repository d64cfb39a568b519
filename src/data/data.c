/* data.c - preparing, splitting, binarizing and loading the data sets.
 */
#include "data.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idx.h"
#include "out.h"
#include "readfile.h"
#include "rng.h"
#include "textfmt.h"

const char *const SPLIT_NAMES[N_SPLITS] = {"train", "valid", "test"};

int data_split_index(const char *name) {
    for (int s = 0; s < N_SPLITS; s++)
        if (!strcmp(name, SPLIT_NAMES[s])) return s;
    return -1;
}

enum { ROWS = 28, COLS = 28, D = ROWS * COLS };

//> data-binarize
void data_binarize(uint8_t *x, const uint8_t *grey, size_t n,
                   Binarization how, uint64_t seed) {
    Rng rng;
    rng_seed(&rng, seed);
    for (size_t i = 0; i < n; i++)
        x[i] = how == BIN_THRESHOLD
                   ? grey[i] > 127
                   : (uint8_t)rng_bernoulli(&rng, grey[i] / 255.0);
}
//< data-binarize

void data_permutation(size_t *perm, size_t n, uint64_t seed) {
    Rng rng;
    rng_seed(&rng, seed);
    for (size_t i = 0; i < n; i++) perm[i] = i;
    for (size_t i = n; i > 1; i--) { /* Fisher-Yates */
        size_t j = (size_t)rng_below(&rng, i);
        size_t t = perm[i - 1];
        perm[i - 1] = perm[j];
        perm[j] = t;
    }
}

double data_density(const Split *s) {
    size_t ones = 0, n = s->n * (size_t)s->d;
    for (size_t i = 0; i < n; i++) ones += s->x[i];
    return n ? (double)ones / (double)n : 0.0;
}

static const char *path_in(char *buf, size_t size, const char *dir,
                           const char *split, const char *what) {
    snprintf(buf, size, "%s/%s-%s", dir, split, what);
    return buf;
}

/* Write one split: grey images, labels, binarized pixels. */
static int write_split(const char *dir, int s, const uint8_t *grey,
                       const uint8_t *labels, size_t n, Err *e) {
    char path[1024];
    Idx im = {3, {(uint32_t)n, ROWS, COLS}, n * D, (uint8_t *)grey};
    Idx lb = {1, {(uint32_t)n, 0, 0}, n, (uint8_t *)labels};
    uint8_t *bin = malloc(n * D);
    if (!bin) return err_set(e, "%s: out of memory", dir);
    /* one seed per split, so each split's pixels are fixed alone */
    data_binarize(bin, grey, n * D, BIN_STOCHASTIC,
                  DATA_BINARIZE_SEED + (uint64_t)s);
    Idx bx = {3, {(uint32_t)n, ROWS, COLS}, n * D, bin};
    const char *sp = SPLIT_NAMES[s];
    int rc = idx_write(path_in(path, sizeof path, dir, sp,
                               "images-idx3-ubyte"),
                       &im, e) ||
             idx_write(path_in(path, sizeof path, dir, sp,
                               "labels-idx1-ubyte"),
                       &lb, e) ||
             idx_write(path_in(path, sizeof path, dir, sp,
                               "binarized-idx3-ubyte"),
                       &bx, e);
    free(bin);
    return rc ? -1 : 0;
}

int data_prepare_mnist(const char *json_dir, const char *out_dir,
                       Err *e) {
    uint8_t *grey = NULL, *labels = NULL, *sg = NULL, *sl = NULL;
    size_t n = 0, *perm = NULL;
    int rc = -1;
    for (int k = 0; k < 10; k++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%d.json", json_dir, k);
        uint8_t *buf, *g;
        size_t len, count;
        if (file_read_all(path, (size_t)1 << 28, &buf, &len, e))
            goto done;
        int bad = mnist_json_parse((const char *)buf, len, D, path, &g,
                                   &count, e);
        free(buf);
        if (bad) goto done;
        size_t m = count / D;
        uint8_t *ng = realloc(grey, (n + m) * D);
        uint8_t *nl = ng ? realloc(labels, n + m) : NULL;
        if (ng) grey = ng;
        if (nl) labels = nl;
        if (!ng || !nl) {
            free(g);
            err_set(e, "%s: out of memory", path);
            goto done;
        }
        memcpy(grey + n * D, g, m * D);
        memset(labels + n, k, m);
        n += m;
        free(g);
    }
    if (n != 10000) {
        err_set(e, "%s: %zu digits, expected the package's 10000",
                json_dir, n);
        goto done;
    }
    /* The seeded shuffle, then 8,000 / 1,000 / 1,000 in that order. */
    perm = malloc(n * sizeof *perm);
    sg = malloc(n * D);
    sl = malloc(n);
    if (!perm || !sg || !sl) {
        err_set(e, "%s: out of memory", json_dir);
        goto done;
    }
    data_permutation(perm, n, DATA_SPLIT_SEED);
    for (size_t i = 0; i < n; i++) {
        memcpy(sg + i * D, grey + perm[i] * D, D);
        sl[i] = labels[perm[i]];
    }
    if (make_dirs(out_dir, e)) goto done;
    static const size_t sizes[N_SPLITS] = {8000, 1000, 1000};
    size_t at = 0;
    for (int s = 0; s < N_SPLITS; s++) {
        if (write_split(out_dir, s, sg + at * D, sl + at, sizes[s], e))
            goto done;
        at += sizes[s];
    }
    rc = 0;
done:
    free(grey);
    free(labels);
    free(perm);
    free(sg);
    free(sl);
    return rc;
}

/* Read an images/labels pair and check they agree. */
static int read_pair(const char *images, const char *labels, Idx *im,
                     Idx *lb, Err *e) {
    if (idx_read(images, 3, im, e)) return -1;
    if (idx_read(labels, 1, lb, e)) {
        idx_free(im);
        return -1;
    }
    if (im->dims[1] != ROWS || im->dims[2] != COLS ||
        lb->dims[0] != im->dims[0]) {
        err_set(e,
                "%s: %u images of %ux%u with %u labels in %s, expected "
                "28x28 images and one label each",
                images, (unsigned)im->dims[0], (unsigned)im->dims[1],
                (unsigned)im->dims[2], (unsigned)lb->dims[0], labels);
        idx_free(im);
        idx_free(lb);
        return -1;
    }
    return 0;
}

int data_prepare_fashion(const char *idx_dir, const char *out_dir,
                         Err *e) {
    char pi[1024], pl[1024];
    Idx im, lb, tim, tlb;
    snprintf(pi, sizeof pi, "%s/train-images-idx3-ubyte.gz", idx_dir);
    snprintf(pl, sizeof pl, "%s/train-labels-idx1-ubyte.gz", idx_dir);
    if (read_pair(pi, pl, &im, &lb, e)) return -1;
    snprintf(pi, sizeof pi, "%s/t10k-images-idx3-ubyte.gz", idx_dir);
    snprintf(pl, sizeof pl, "%s/t10k-labels-idx1-ubyte.gz", idx_dir);
    if (read_pair(pi, pl, &tim, &tlb, e)) {
        idx_free(&im);
        idx_free(&lb);
        return -1;
    }
    int rc = -1;
    size_t n = im.dims[0];
    if (n != 60000 || tim.dims[0] != 10000) {
        err_set(e,
                "%s: %zu training and %u test images, expected 60000 "
                "and 10000",
                idx_dir, n, (unsigned)tim.dims[0]);
    } else if (make_dirs(out_dir, e)) {
        /* e says why */
    } else if (!write_split(out_dir, SPLIT_TRAIN, im.data, lb.data,
                            50000, e) &&
               !write_split(out_dir, SPLIT_VALID, im.data + 50000 * D,
                            lb.data + 50000, 10000, e) &&
               !write_split(out_dir, SPLIT_TEST, tim.data, tlb.data,
                            10000, e)) {
        rc = 0;
    }
    idx_free(&im);
    idx_free(&lb);
    idx_free(&tim);
    idx_free(&tlb);
    return rc;
}

static int load_prepared(Dataset *ds, const char *dir, Binarization how,
                         Err *e) {
    for (int s = 0; s < N_SPLITS; s++) {
        char pi[1024], pl[1024];
        const char *sp = SPLIT_NAMES[s];
        Idx im, lb;
        path_in(pi, sizeof pi, dir, sp,
                how == BIN_THRESHOLD ? "images-idx3-ubyte"
                                     : "binarized-idx3-ubyte");
        path_in(pl, sizeof pl, dir, sp, "labels-idx1-ubyte");
        if (read_pair(pi, pl, &im, &lb, e)) return -1;
        Split *split = &ds->split[s];
        split->n = im.dims[0];
        split->d = D;
        split->x = im.data;
        split->y = lb.data;
        if (how == BIN_THRESHOLD) {
            data_binarize(split->x, split->x, im.size, BIN_THRESHOLD,
                          0);
        } else {
            for (size_t i = 0; i < im.size; i++)
                if (split->x[i] > 1)
                    return err_set(
                        e, "%s: pixel value %d, expected 0 or 1", pi,
                        split->x[i]);
        }
    }
    return 0;
}

static int load_amat(Dataset *ds, const char *dir, Err *e) {
    for (int s = 0; s < N_SPLITS; s++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/binarized_mnist_%s.amat", dir,
                 SPLIT_NAMES[s]);
        uint8_t *buf;
        size_t len;
        if (file_read_all(path, (size_t)1 << 30, &buf, &len, e))
            return -1;
        Split *split = &ds->split[s];
        int bad = amat_parse((const char *)buf, len, D, path, &split->x,
                             &split->n, e);
        free(buf);
        if (bad) return -1;
        split->d = D;
    }
    return 0;
}

int data_load(Dataset *ds, const char *spec, const char *data_dir,
              Err *e) {
    memset(ds, 0, sizeof *ds);
    ds->rows = ROWS;
    ds->cols = COLS;
    snprintf(ds->name, sizeof ds->name, "%s", spec);
    int rc;
    if (strncmp(spec, "amat:", 5) == 0) {
        rc = load_amat(ds, spec + 5, e);
    } else {
        char base[64], dir[512];
        Binarization how = BIN_STOCHASTIC;
        snprintf(base, sizeof base, "%s", spec);
        char *colon = strchr(base, ':');
        if (colon) {
            *colon = '\0';
            if (strcmp(colon + 1, "threshold") != 0)
                return err_set(
                    e,
                    "data set '%s': unknown binarization '%s' "
                    "(expected threshold)",
                    spec, colon + 1);
            how = BIN_THRESHOLD;
        }
        if (strcmp(base, "mnist") != 0 && strcmp(base, "fashion") != 0)
            return err_set(e,
                           "unknown data set '%s' (expected mnist, "
                           "fashion, NAME:threshold or amat:DIR)",
                           spec);
        snprintf(dir, sizeof dir, "%s/%s", data_dir, base);
        rc = load_prepared(ds, dir, how, e);
        if (rc && strstr(e ? e->msg : "", "No such file"))
            snprintf(e->msg + strlen(e->msg),
                     sizeof e->msg - strlen(e->msg),
                     " (run 'make data' first)");
    }
    if (rc) data_free(ds);
    return rc;
}

void data_free(Dataset *ds) {
    for (int s = 0; s < N_SPLITS; s++) {
        free(ds->split[s].x);
        free(ds->split[s].y);
        ds->split[s].x = ds->split[s].y = NULL;
    }
}
