/* rng.c - xoshiro256** seeded with splitmix64. */
#include "rng.h"

#include <stddef.h>

static uint64_t splitmix64(uint64_t *x) {
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k) {
    return (x << k) | (x >> (64 - k));
}

void rng_seed(Rng *rng, uint64_t seed) {
    for (int i = 0; i < 4; i++) rng->s[i] = splitmix64(&seed);
}

uint64_t rng_u64(Rng *rng) {
    uint64_t *s = rng->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double rng_uniform(Rng *rng) {
    return (double)(rng_u64(rng) >> 11) * 0x1.0p-53;
}

static _Thread_local struct {
    const Rng *rng;
    RngCoin coin;
    void *ctx;
} coin_of;

void rng_coin(Rng *rng, RngCoin coin, void *ctx) {
    coin_of.rng = coin ? rng : NULL;
    coin_of.coin = coin;
    coin_of.ctx = ctx;
}

int rng_bernoulli(Rng *rng, double p) {
    if (coin_of.rng == rng) return coin_of.coin(coin_of.ctx, p) != 0;
    return rng_uniform(rng) < p;
}

uint64_t rng_below(Rng *rng, uint64_t n) {
    /* Reject the top partial block so every residue is equally likely.
     */
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t r;
    do r = rng_u64(rng);
    while (r >= limit);
    return r % n;
}
