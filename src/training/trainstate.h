/* trainstate.h - everything a training run needs to continue where it
 * stopped (`autoreg train --resume`).
 *
 * The trainer writes OUT/train.state after every epoch (and once
 * before the first), under a temporary name and renamed, so the file on
 * disk is always one complete epoch boundary. Resuming from it gives
 * the same bits as a run that was never stopped (same seed, same
 * threads; threads is 0 for a --kernel tiled step whose bits do not
 * depend on them, and STATE_TILED | n for one whose bits do, on n
 * threads). The file always holds the flat layout of fvsbn.h, whatever
 * kernel.
 *
 * Little-endian layout:
 *   magic "ARSTATE\0" | version u32 | crc32(everything after) u32 |
 *   kind u32 | d u32 | h u32 | n_params u64 |
 *   batch u32 | optimizer u32 | threads u32 | lr f32 | seed u64 |
 *   data name char[64] | n_train u64 | n_valid u64 | data crc32 u32 |
 *   epoch u32 | best_epoch u32 | adam steps u64 |
 *   best_valid f64 | last_train f64 | seconds f64 | rng u64[4] |
 *   log bytes u32 | time-log bytes u32 |
 *   params f32[n] | adam m f32[n] | adam v f32[n] | best f32[n] |
 *   train.tsv text | time.tsv text
 * (the Adam moments only for Adam). A truncated, corrupted or foreign
 * file is rejected with a one-line error naming it. */
#ifndef TRAINSTATE_H
#define TRAINSTATE_H

/* In a key's threads: a tiled step on the low bits' thread count */
#define STATE_TILED 0x10000

#include <stddef.h>
#include <stdint.h>

#include "data.h"
#include "err.h"
#include "model.h"
#include "optim.h"
#include "rng.h"

#define STATE_VERSION 2u /* 2: with the masks' CRC */

/* What a state belongs to: resuming checks every field. */
typedef struct {
    int batch, opt, threads; /* threads: as above */
    float lr;
    uint64_t seed;
    char data_name[64];
    uint64_t n_train, n_valid;
    uint32_t data_crc;  /* of the training and validation pixels */
    uint32_t masks_crc; /* of MADE's orders and degrees (0: no masks) */
} StateKey;

/* A growing text (the logs so far). */
typedef struct {
    char *s;
    size_t len, cap;
} Text;

int text_printf(Text *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void text_free(Text *t);
/* Write t to path atomically (OutFile). */
int text_write(const char *path, const Text *t, Err *e);

/* Where training stands at an epoch boundary. */
typedef struct {
    int epoch;             /* epochs completed */
    int best_epoch;        /* 0 before the first epoch */
    double best_valid_nll; /* INFINITY before the first epoch */
    double last_train_nll;
    double seconds; /* training time so far */
    Rng rng;        /* draws the next epoch's shuffle */
    Text log, tlog; /* train.tsv and time.tsv so far */
} TrainProgress;

/* The key of a run on these splits with these settings. */
void state_key(StateKey *k, const char *data_name, const Split *train,
               const Split *valid, int batch, int opt, int threads,
               float lr, uint64_t seed);

/* The masks of m (MADE, chapter 7) into k: a resume must draw the
 * same ones. */
void state_key_masks(StateKey *k, const Model *m);

int state_save(const char *path, const StateKey *k, const Model *m,
               const Optimizer *o, const float *best,
               const TrainProgress *p, Err *e);

/* Parse a state file in memory (`path` names it in errors) into m's
 * parameters, o's moments and step count, best (n_params) and p, after
 * checking that it belongs to model m and key k. On failure nothing
 * is changed but p, which the caller frees with text_free. */
int state_parse(const uint8_t *buf, size_t len, const char *path,
                const StateKey *k, Model *m, Optimizer *o, float *best,
                TrainProgress *p, Err *e);
int state_load(const char *path, const StateKey *k, Model *m,
               Optimizer *o, float *best, TrainProgress *p, Err *e);

#endif
