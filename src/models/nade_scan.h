/* nade_scan.h - chapter 6: NADE's -log p(x) of one image with its d
 * conditionals split into blocks of pixels, one block per thread.
 *
 * Every pre-activation is an exclusive prefix sum over the data,
 *   a_i = c + sum_{j<i} W[:, j] x_j,
 * and with teacher forcing every x_j is known before the pass starts.
 * So block t, the pixels [k_t, k_{t+1}), adds up its own starting
 * value a_{k_t} and runs chapter 5's recurrence inside the block,
 * without waiting for the blocks before it. Sampling cannot be split
 * this way: x_j is not known until it has been drawn. */
#ifndef NADE_SCAN_H
#define NADE_SCAN_H

#include <stddef.h>
#include <stdint.h>

#define NADE_MAX_BLOCKS 64

/* Floats of scratch for T blocks: d logits and 2 h per block. */
size_t nade_blocks_scratch_floats(int d, int h, int T);

/* -log p(x) of one image x (d) under the NADE params, the pixels split
 * into T blocks (1..NADE_MAX_BLOCKS; a block may be empty when T > d)
 * run by T threads. Equals nade_forward's nll up to the order in
 * which the blocks' sums are added. */
double nade_nll_blocks(float *scratch, const uint8_t *x,
                       const float *params, int d, int h, int T);

#endif
