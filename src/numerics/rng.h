/* rng.h - the project's seeded random number generator.
 *
 * xoshiro256** (Blackman and Vigna), seeded through splitmix64. The
 * same seed gives the same stream on every machine, so every run is
 * reproducible bit for bit. */
#ifndef RNG_H
#define RNG_H

#include <stdint.h>

typedef struct {
    uint64_t s[4];
} Rng;

void rng_seed(Rng *rng, uint64_t seed);
uint64_t rng_u64(Rng *rng);
/* Uniform double in [0, 1) with 53 random bits. */
double rng_uniform(Rng *rng);
/* 1 with probability p, else 0. */
int rng_bernoulli(Rng *rng, double p);
/* Uniform integer in [0, n), n > 0, without modulo bias. */
uint64_t rng_below(Rng *rng, uint64_t n);

/* Chapter 9: until rng_coin(rng, NULL, NULL), rng_bernoulli(rng, p) on
 * this thread returns coin(ctx, p) instead of drawing (one rng at a
 * time). Every sampler draws pixel i with rng_bernoulli(rng, p(x_i = 1
 * | x_<i)), so with the arithmetic coder as the coin the sampler of
 * every model is its encoder and its decoder (compress.h). */
typedef int (*RngCoin)(void *ctx, double p);
void rng_coin(Rng *rng, RngCoin coin, void *ctx);

#endif
