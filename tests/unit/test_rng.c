/*
 * test_rng.c — Philox4x32-10 known answers (Random123 tests/kat_vectors)
 * and the (seed, stream, index) mapping of rng.c: purity, the open-interval
 * double map, block fills and a Kolmogorov–Smirnov check at a fixed seed.
 */
#include "harness.h"
#include "base/rng.h"

static void test_philox_kat(void)
{
    /* Random123 tests/kat_vectors, "philox4x32 10" lines: ctr, key, out. */
    static const uint32_t kat[3][10] = {
        {0, 0, 0, 0, 0, 0, 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8},
        {0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0x408f276d,
         0x41c83b0e, 0xa20bc7c6, 0x6d5451fd},
        {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0, 0xd16cfe09,
         0x94fdcceb, 0x5001e420, 0x24126ea1},
    };
    for (int i = 0; i < 3; i++) {
        uint32_t out[4];
        casus_rng_philox(kat[i], kat[i] + 4, out);
        for (int k = 0; k < 4; k++)
            CHECK_INT(out[k], kat[i][6 + k]);
    }
}

static void test_mapping(void)
{
    uint32_t w[4];
    /* seed 0, stream 0, block 0 is the all-zero KAT. */
    casus_rng_block(0, 0, 0, w);
    CHECK_INT(w[0], 0x6627e8d5u);
    CHECK_INT(w[3], 0x9b00dbd8u);
    /* all-ones seed, stream and block is the all-ones KAT */
    casus_rng_block(UINT64_MAX, UINT64_MAX, UINT64_MAX, w);
    CHECK_INT(w[0], 0x408f276du);
    /* draw i = half (i & 1) of block i >> 1 */
    casus_rng_block(42, 7, 5, w);
    CHECK(casus_rng_u64(42, 7, 10) == ((uint64_t)w[0] | (uint64_t)w[1] << 32));
    CHECK(casus_rng_u64(42, 7, 11) == ((uint64_t)w[2] | (uint64_t)w[3] << 32));
    CHECK(casus_rng_u64(42, 7, 11) != casus_rng_u64(42, 8, 11));
    CHECK(casus_rng_u64(42, 7, 11) != casus_rng_u64(43, 7, 11));
}

static void test_open01(void)
{
    CHECK(casus_rng_to_open01(0) == 0x1p-54);
    CHECK(casus_rng_to_open01(UINT64_MAX) == 1.0 - 0x1p-53);
    CHECK(casus_rng_to_open01((uint64_t)1 << 63) == 0.5);
    CHECK(casus_rng_to_open01(2047) == 0x1p-54); /* low 11 bits are dropped */
    CHECK(casus_rng_to_open01(2048) == 0x1p-53);
}

static void test_fill_matches_pointwise(void)
{
    double buf[37];
    for (uint64_t start = 0; start < 4; start++) {
        for (size_t n = 0; n <= 37; n += 9) {
            casus_rng_fill_uniform(99, 3, start, n, buf);
            for (size_t i = 0; i < n; i++)
                CHECK(buf[i] == casus_rng_uniform(99, 3, start + i));
        }
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void test_uniformity(void)
{
    enum { N = 20000 };
    static double u[N];
    double mean = 0, dmax = 0;
    casus_rng_fill_uniform(20240601, 1, 0, N, u);
    for (int i = 0; i < N; i++) {
        CHECK(u[i] > 0.0 && u[i] < 1.0);
        mean += u[i];
    }
    mean /= N;
    CHECK_NEAR(mean, 0.5, 4.0 * sqrt(1.0 / 12.0 / N));
    qsort(u, N, sizeof u[0], cmp_double);
    for (int i = 0; i < N; i++) {
        double lo = u[i] - (double)i / N, hi = (double)(i + 1) / N - u[i];
        dmax = fmax(dmax, fmax(lo, hi));
    }
    /* KS critical value at alpha = 0.01: 1.628 / sqrt(N) */
    printf("  KS D = %.5f (critical %.5f)\n", dmax, 1.628 / sqrt(N));
    CHECK(dmax < 1.628 / sqrt(N));
}

static void test_below(void)
{
    CHECK_INT(casus_rng_below(0, 10), 0);
    CHECK_INT(casus_rng_below(UINT32_MAX, 10), 9);
    CHECK_INT(casus_rng_below(0x80000000u, 10), 5);
}

int main(void)
{
    RUN(test_philox_kat);
    RUN(test_mapping);
    RUN(test_open01);
    RUN(test_fill_matches_pointwise);
    RUN(test_uniformity);
    RUN(test_below);
    return harness_done("rng");
}
