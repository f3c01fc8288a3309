/*
 * rng.c — Philox4x32-10 draws as pure functions of (seed, stream, index)
 * (see rng.h).  The cipher itself comes from Random123's header-only
 * <Random123/philox.h> (Debian librandom123-dev, BSD-3); this file only fixes
 * how seeds, streams and indices map onto its key and counter, and how bits
 * become doubles.
 */
#include "base/rng.h"

#include <Random123/philox.h>

void casus_rng_philox(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4])
{
    philox4x32_ctr_t c = {{ctr[0], ctr[1], ctr[2], ctr[3]}};
    philox4x32_key_t k = {{key[0], key[1]}};
    philox4x32_ctr_t r = philox4x32_R(10, c, k);
    for (int i = 0; i < 4; i++)
        out[i] = r.v[i];
}

void casus_rng_block(uint64_t seed, uint64_t stream, uint64_t block, uint32_t out[4])
{
    philox4x32_ctr_t c = {
        {(uint32_t)block, (uint32_t)(block >> 32), (uint32_t)stream, (uint32_t)(stream >> 32)}};
    philox4x32_key_t k = {{(uint32_t)seed, (uint32_t)(seed >> 32)}};
    philox4x32_ctr_t r = philox4x32_R(10, c, k);
    for (int i = 0; i < 4; i++)
        out[i] = r.v[i];
}

uint64_t casus_rng_u64(uint64_t seed, uint64_t stream, uint64_t index)
{
    uint32_t w[4];
    unsigned h = (unsigned)(index & 1) * 2;
    casus_rng_block(seed, stream, index >> 1, w);
    return (uint64_t)w[h] | (uint64_t)w[h + 1] << 32;
}

double casus_rng_to_open01(uint64_t bits)
{
    uint64_t k = bits >> 11;
    return k ? (double)k * 0x1p-53 : 0x1p-54;
}

double casus_rng_uniform(uint64_t seed, uint64_t stream, uint64_t index)
{
    return casus_rng_to_open01(casus_rng_u64(seed, stream, index));
}

void casus_rng_fill_uniform(uint64_t seed, uint64_t stream, uint64_t index0, size_t n, double *out)
{
    size_t i = 0;
    if (n == 0)
        return;
    if (index0 & 1) {
        out[i++] = casus_rng_uniform(seed, stream, index0);
    }
    for (; i + 1 < n; i += 2) {
        uint32_t w[4];
        casus_rng_block(seed, stream, (index0 + i) >> 1, w);
        out[i] = casus_rng_to_open01((uint64_t)w[0] | (uint64_t)w[1] << 32);
        out[i + 1] = casus_rng_to_open01((uint64_t)w[2] | (uint64_t)w[3] << 32);
    }
    if (i < n)
        out[i] = casus_rng_uniform(seed, stream, index0 + i);
}
