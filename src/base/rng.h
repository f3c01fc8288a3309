/*
 * rng.h — counter-based random numbers (Philox4x32-10, Random123).
 *
 * Every draw is a pure function of (seed, stream, index): there is no
 * generator state to carry, split or store, so any thread, process or MPI
 * rank can compute draw i of stream s without computing draws 0..i-1, and a
 * run is reproduced from its seed alone.  Modules that need randomness
 * (Sobol' scrambling, Monte Carlo sampling, bootstrap resampling) claim a
 * stream tag below and index their draws themselves.
 *
 * Mapping onto Philox4x32-10: key = {seed lo, seed hi}; counter =
 * {block lo, block hi, stream lo, stream hi}.  One Philox block yields four
 * 32-bit words = two 64-bit draws, so draw i is half (i & 1) of block i >> 1.
 *
 * Ownership: nothing is allocated; all functions are reentrant.
 */
#ifndef CASUS_RNG_H
#define CASUS_RNG_H

#include "base/internal.h"

/* Stream tags: the top 16 bits of a stream id say which module owns it, the
 * low 48 bits are the module's own sub-stream (replicate, dimension, ...). */
#define CASUS_RNG_TAG(t) ((uint64_t)(t) << 48)
enum {
    CASUS_RNG_TAG_USER = 0,        /* free for callers and tests */
    CASUS_RNG_TAG_SOBOL = 0x50b0,  /* Sobol' scrambling matrices and shifts */
    CASUS_RNG_TAG_MC = 0x3c3c,     /* plain Monte Carlo sample matrices */
    CASUS_RNG_TAG_BOOT = 0xb007,   /* bootstrap resample indices */
    CASUS_RNG_TAG_MORRIS = 0x3055, /* Morris trajectories */
    CASUS_RNG_TAG_PARAM = 0x9a7a,  /* scenario parameters: low bits hash the name */
    CASUS_RNG_TAG_FIT = 0xf17c     /* a fit's coefficients: low bits hash file and name */
};

/* The raw Philox4x32-10 bijection: out = philox(ctr, key).  Exposed for the
 * known-answer tests.  O(1). */
CASUS_INTERNAL void casus_rng_philox(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4]);

/* Block b of stream `stream` under `seed`: four independent 32-bit words. */
CASUS_INTERNAL void casus_rng_block(uint64_t seed, uint64_t stream, uint64_t block,
                                    uint32_t out[4]);

/* Draw `index` of the stream as 64 uniformly random bits. */
CASUS_INTERNAL uint64_t casus_rng_u64(uint64_t seed, uint64_t stream, uint64_t index);

/* Map 64 random bits to a double in the open interval (0, 1): the top 53
 * bits k give k * 2^-53, and k == 0 (probability 2^-53) gives 2^-54, so the
 * result is never 0 or 1 and inverse CDFs stay finite. */
CASUS_INTERNAL double casus_rng_to_open01(uint64_t bits);

/* Draw `index` of the stream as a uniform double in (0, 1), 53-bit grid. */
CASUS_INTERNAL double casus_rng_uniform(uint64_t seed, uint64_t stream, uint64_t index);

/* out[i] = casus_rng_uniform(seed, stream, index0 + i) for i < n, using both
 * halves of each Philox block.  O(n), allocation-free. */
CASUS_INTERNAL void casus_rng_fill_uniform(uint64_t seed, uint64_t stream, uint64_t index0,
                                           size_t n, double *out);

/* A uniform integer in [0, n) from 32 random bits (multiply-shift; bias at
 * most n / 2^32).  n must be <= 2^32. */
static inline uint32_t casus_rng_below(uint32_t bits, uint64_t n)
{
    return (uint32_t)(((uint64_t)bits * n) >> 32);
}

#endif
