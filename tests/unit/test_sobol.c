/*
 * test_sobol.c — Sobol' points: the reference table of uq.md (Joe–Kuo,
 * Gray-code order), random access against the recurrence, the net property
 * of plain and scrambled points (LMS and Owen), the nested structure and
 * the uniformity of Owen's flips, scrambling determinism and independence,
 * limits and out-of-memory handling.
 */
#include "harness.h"
#include "uq/sobol.h"

static void *std_alloc(void *ud, void *p, size_t os, size_t ns)
{
    (void)os;
    (void)ud;
    if (ns == 0) {
        free(p);
        return NULL;
    }
    return realloc(p, ns);
}

static const struct casus_alloc A = {std_alloc, NULL};

/* kind 0: plain, 1: linear matrix scrambling + shift, 2: nested uniform
 * (exact for the first 1024 points, a per-cell shift below depth 14), 3:
 * nested uniform at all 32 levels */
static casus_status make(struct casus_sobol *s, const struct casus_alloc *a, uint32_t dims,
                         int kind, uint64_t seed, uint64_t id)
{
    if (kind >= 2)
        return casus_sobol_init_owen(s, a, dims, seed, id, kind == 2 ? 1024 : (uint64_t)1 << 32);
    return casus_sobol_init(s, a, dims, kind == 1, seed, id);
}

static void test_reference_points(void)
{
    /* ../shared/reference/uq.md, "Sobol' sequence", n = 0..9, dims 1..5 */
    static const double ref[10][5] = {
        {0, 0, 0, 0, 0},
        {0.5, 0.5, 0.5, 0.5, 0.5},
        {0.75, 0.25, 0.25, 0.25, 0.75},
        {0.25, 0.75, 0.75, 0.75, 0.25},
        {0.375, 0.375, 0.625, 0.875, 0.375},
        {0.875, 0.875, 0.125, 0.375, 0.875},
        {0.625, 0.125, 0.875, 0.625, 0.625},
        {0.125, 0.625, 0.375, 0.125, 0.125},
        {0.1875, 0.3125, 0.9375, 0.4375, 0.5625},
        {0.6875, 0.8125, 0.4375, 0.9375, 0.0625},
    };
    struct casus_sobol s;
    double x[50];
    CHECK_INT(casus_sobol_init(&s, &A, 5, false, 0, 0), CASUS_OK);
    CHECK_INT(casus_sobol_points(&s, 0, 10, x, 5), CASUS_OK);
    for (int n = 0; n < 10; n++)
        for (int j = 0; j < 5; j++) {
            CHECK(x[n * 5 + j] == ref[n][j]);
            CHECK(casus_sobol_u32(&s, (uint32_t)n, (uint32_t)j) ==
                  (uint32_t)(ref[n][j] * 4294967296.0));
        }
    casus_sobol_release(&s);
}

static void test_random_access(void)
{
    enum { D = 40, CNT = 300 };
    static double x[CNT * (D + 3)];
    uint32_t starts[3] = {0, 1000, 4294967295u - CNT + 1};
    for (int scr = 0; scr < 4; scr++) {
        struct casus_sobol s;
        CHECK_INT(make(&s, &A, D, scr, 7, 3), CASUS_OK);
        for (int t = 0; t < 3; t++) {
            CHECK_INT(casus_sobol_points(&s, starts[t], CNT, x, D + 3), CASUS_OK);
            for (uint32_t i = 0; i < CNT; i += 7)
                for (uint32_t j = 0; j < D; j++)
                    CHECK(x[i * (D + 3) + j] ==
                          casus_sobol_to_double(&s, casus_sobol_u32(&s, starts[t] + i, j)));
        }
        CHECK_INT(casus_sobol_points(&s, 4294967295u, 2, x, D), CASUS_ELIMIT);
        casus_sobol_release(&s);
    }
}

/* Every dimension of the first 2^m points puts one point in each interval
 * [k 2^-m, (k+1) 2^-m); every pair (0, j) a (0,m,2)-net for dims with t = 0,
 * which holds for dims 1 and 2 (checked below). */
static void test_net_property(void)
{
    enum { M = 10, N = 1 << M, D = 300 };
    static unsigned char hit[N];
    for (int scr = 0; scr < 4; scr++) {
        struct casus_sobol s;
        CHECK_INT(make(&s, &A, D, scr, 99, 0), CASUS_OK);
        for (uint32_t j = 0; j < D; j++) {
            int bad = 0;
            memset(hit, 0, sizeof hit);
            for (uint32_t n = 0; n < N; n++)
                hit[casus_sobol_u32(&s, n, j) >> (32 - M)]++;
            for (int k = 0; k < N; k++)
                bad += hit[k] != 1;
            CHECK(bad == 0);
        }
        /* the first 2^m points, every m <= M, in the first 16 dimensions */
        for (int m = 1; m < M; m++)
            for (uint32_t j = 0; j < 16; j++) {
                int bad = 0;
                memset(hit, 0, sizeof hit);
                for (uint32_t n = 0; n < (1u << m); n++)
                    hit[casus_sobol_u32(&s, n, j) >> (32 - m)]++;
                for (int k = 0; k < (1 << m); k++)
                    bad += hit[k] != 1;
                CHECK(bad == 0);
            }
        for (int a = 0; a <= M; a++) {
            int bad = 0;
            memset(hit, 0, sizeof hit);
            for (uint32_t n = 0; n < N; n++) {
                uint32_t x = a ? casus_sobol_u32(&s, n, 0) >> (32 - a) : 0;
                uint32_t y = a < M ? casus_sobol_u32(&s, n, 1) >> (32 - (M - a)) : 0;
                hit[(x << (M - a)) | y]++;
            }
            for (int k = 0; k < N; k++)
                bad += hit[k] != 1;
            CHECK(bad == 0);
        }
        casus_sobol_release(&s);
    }
}

static void test_scrambling(void)
{
    struct casus_sobol s1, s2, s3;
    int same12 = 1, same13 = 1;
    double mean = 0;
    CHECK_INT(casus_sobol_init(&s1, &A, 8, true, 5, 0), CASUS_OK);
    CHECK_INT(casus_sobol_init(&s2, &A, 8, true, 5, 0), CASUS_OK);
    CHECK_INT(casus_sobol_init(&s3, &A, 8, true, 5, 1), CASUS_OK);
    for (uint32_t n = 0; n < 64; n++)
        for (uint32_t j = 0; j < 8; j++) {
            same12 &= casus_sobol_u32(&s1, n, j) == casus_sobol_u32(&s2, n, j);
            same13 &= casus_sobol_u32(&s1, n, j) == casus_sobol_u32(&s3, n, j);
        }
    CHECK(same12);
    CHECK(!same13);
    /* scrambled points are strictly inside (0, 1) and equidistributed */
    for (uint32_t n = 0; n < 4096; n++) {
        double x = casus_sobol_to_double(&s1, casus_sobol_u32(&s1, n, 7));
        CHECK(x > 0.0 && x < 1.0);
        mean += x;
    }
    CHECK_NEAR(mean / 4096, 0.5, 1.0 / 4096);
    casus_sobol_release(&s1);
    casus_sobol_release(&s2);
    casus_sobol_release(&s3);
}

/* Owen: the scramble is a bijection that keeps the tree -- two coordinates
 * whose first differing digit is k map to values whose first differing
 * digit is k -- and over independent scrambles every digit of a point is a
 * fair coin, and so is agreement of the digits of two points below their
 * first difference (the node bits are independent). */
static void test_owen(void)
{
    enum { REPS = 4000 };
    static unsigned ones[32], agree[32];
    struct casus_sobol s1, s2, s3;
    int same12 = 1, same13 = 1;
    CHECK_INT(casus_sobol_init_owen(&s1, &A, 4, 3, 0, 64), CASUS_OK);
    CHECK_INT(casus_sobol_init_owen(&s2, &A, 4, 3, 0, 64), CASUS_OK);
    CHECK_INT(casus_sobol_init_owen(&s3, &A, 4, 3, 1, 64), CASUS_OK);
    for (uint32_t n = 0; n < 64; n++)
        for (uint32_t j = 0; j < 4; j++) {
            same12 &= casus_sobol_u32(&s1, n, j) == casus_sobol_u32(&s2, n, j);
            same13 &= casus_sobol_u32(&s1, n, j) == casus_sobol_u32(&s3, n, j);
        }
    CHECK(same12);
    CHECK(!same13);
    casus_sobol_release(&s1);
    casus_sobol_release(&s2);
    casus_sobol_release(&s3);
    /* nesting depth 8 (table + shift per cell), 14, 20 and all 32 levels */
    for (int v = 0; v < 4; v++) {
        static const uint64_t NPTS[4] = {1, 1024, 65536, (uint64_t)1 << 32};
        memset(ones, 0, sizeof ones);
        memset(agree, 0, sizeof agree);
        for (uint64_t r = 0; r < REPS; r++) {
            struct casus_sobol o, plain;
            CHECK_INT(casus_sobol_init_owen(&o, &A, 3, 11, r, NPTS[v]), CASUS_OK);
            CHECK_INT(casus_sobol_init(&plain, &A, 3, false, 0, 0), CASUS_OK);
            for (uint32_t n = 1; n < 40; n++) {
                uint32_t a = casus_sobol_u32(&plain, n, 2), b = casus_sobol_u32(&plain, n + 7, 2);
                uint32_t sa = casus_sobol_u32(&o, n, 2), sb = casus_sobol_u32(&o, n + 7, 2);
                CHECK(__builtin_clz(a ^ b) == __builtin_clz(sa ^ sb));
            }
            {
                uint32_t x = casus_sobol_u32(&o, 5, 2), y = casus_sobol_u32(&o, 6, 2);
                for (int k = 0; k < 32; k++) {
                    ones[k] += (x >> (31 - k)) & 1;
                    agree[k] += ((x ^ y) >> (31 - k) & 1) == 0;
                }
            }
            casus_sobol_release(&o);
            casus_sobol_release(&plain);
        }
        /* points 5 and 6 of dimension 3 first differ at digit 0; 4.5 sigma */
        for (int k = 0; k < 32; k++) {
            CHECK_NEAR(ones[k] / (double)REPS, 0.5, 4.5 * 0.5 / 63.2);
            if (k > 0)
                CHECK_NEAR(agree[k] / (double)REPS, 0.5, 4.5 * 0.5 / 63.2);
        }
    }
}

static void test_limits(void)
{
    struct casus_sobol s;
    CHECK_INT(casus_sobol_init(&s, &A, 0, false, 0, 0), CASUS_EINVAL);
    CHECK_INT(casus_sobol_init(&s, &A, CASUS_SOBOL_MAX_DIMS + 1, false, 0, 0), CASUS_EINVAL);
    CHECK_INT(casus_sobol_init(&s, &A, CASUS_SOBOL_MAX_DIMS, true, 1, 2), CASUS_OK);
    /* the last dimension is a valid (0,1)-sequence: 2^8 points, one per cell */
    {
        unsigned char hit[256] = {0};
        int bad = 0;
        for (uint32_t n = 0; n < 256; n++)
            hit[casus_sobol_u32(&s, n, CASUS_SOBOL_MAX_DIMS - 1) >> 24]++;
        for (int k = 0; k < 256; k++)
            bad += hit[k] != 1;
        CHECK(bad == 0);
    }
    casus_sobol_release(&s);
    casus_sobol_release(&s); /* idempotent */
}

static int fail_at, nallocs;
static long live;
static void *failing_alloc(void *ud, void *p, size_t os, size_t ns)
{
    (void)ud;
    if (ns == 0) {
        live -= (long)os;
        free(p);
        return NULL;
    }
    if (++nallocs == fail_at)
        return NULL;
    live += (long)ns - (long)os;
    return realloc(p, ns);
}

static void test_oom(void)
{
    const struct casus_alloc fa = {failing_alloc, NULL};
    for (int kind = 1; kind <= 2; kind++) {
        for (fail_at = 1;; fail_at++) {
            struct casus_sobol s;
            casus_status st;
            nallocs = 0;
            st = make(&s, &fa, 16, kind, 1, 0);
            casus_sobol_release(&s);
            CHECK(live == 0);
            if (st == CASUS_OK)
                break;
            CHECK_INT(st, CASUS_ENOMEM);
        }
        CHECK(fail_at == (kind == 1 ? 3 : 5));
    }
}

int main(void)
{
    RUN(test_reference_points);
    RUN(test_random_access);
    RUN(test_net_property);
    RUN(test_scrambling);
    RUN(test_owen);
    RUN(test_limits);
    RUN(test_oom);
    return harness_done("sobol");
}
