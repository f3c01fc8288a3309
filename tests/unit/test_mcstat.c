/*
 * test_mcstat.c — statistics over stored Monte Carlo draws: the exact
 * accumulator against an independent exact summation (Shewchuk's
 * expansions with CPython's fsum rounding) and hand-worked rounding cases;
 * correctly rounded means; standard errors, type-7 quantiles (R's
 * quantile() on hand-derived vectors), mid-ranks and Spearman on textbook
 * examples with and without ties; paired summaries (a policy against
 * itself is exactly 0); Wilson intervals against the closed form;
 * bit-exact invariance under permutation; and a 10^6-draw timing run.
 */
#include "harness.h"

#include "uq/mcstat.h"
#include "base/rng.h"

#include <float.h>
#include <time.h>

/* ---- helpers -------------------------------------------------------------- */

static bool same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

/* A draw of wide dynamic range and both signs, from Philox stream s. */
static double wild(uint64_t s, uint64_t i)
{
    double u = casus_rng_uniform(7, s, 2 * i), v = casus_rng_uniform(7, s, 2 * i + 1);
    return (v < 0.5 ? -1.0 : 1.0) * ldexp(u, (int)(v * 200.0) - 100);
}

/* Fisher–Yates shuffle of x (and y, when not NULL) with Philox stream s. */
static void shuffle(double *x, double *y, size_t n, uint64_t s)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)(casus_rng_u64(11, s, i) % i);
        double t = x[i - 1];
        x[i - 1] = x[j];
        x[j] = t;
        if (y) {
            t = y[i - 1];
            y[i - 1] = y[j];
            y[j] = t;
        }
    }
}

/* Reference exact sum: Shewchuk's msum into non-overlapping partials, then
 * CPython's math.fsum rounding (round half even across partials).  An
 * algorithm independent of the fixed-point accumulator; inputs must not
 * overflow. */
static double ref_fsum(const double *x, size_t n)
{
    static double partials[4096]; /* test-only scratch */
    size_t np = 0;
    for (size_t k = 0; k < n; k++) {
        double v = x[k];
        size_t i = 0;
        for (size_t j = 0; j < np; j++) {
            double y = partials[j], hi, lo;
            if (fabs(v) < fabs(y)) {
                double t = v;
                v = y;
                y = t;
            }
            hi = v + y;
            lo = y - (hi - v);
            if (lo != 0.0)
                partials[i++] = lo;
            v = hi;
        }
        partials[i] = v;
        np = i + 1;
    }
    if (np == 0)
        return 0.0;
    {
        size_t m = np - 1;
        double hi = partials[m], lo = 0.0, v, y, yr;
        while (m > 0) {
            v = hi;
            y = partials[--m];
            hi = v + y;
            yr = hi - v;
            lo = y - yr;
            if (lo != 0.0)
                break;
        }
        if (m > 0 && ((lo < 0.0 && partials[m - 1] < 0.0) || (lo > 0.0 && partials[m - 1] > 0.0))) {
            y = lo * 2.0;
            v = hi + y;
            yr = v - hi;
            if (y == yr)
                hi = v;
        }
        return hi;
    }
}

static double acc_sum_of(const double *x, size_t n)
{
    struct casus_mc_acc a;
    casus_mc_acc_init(&a);
    for (size_t i = 0; i < n; i++)
        casus_mc_acc_add(&a, x[i]);
    return casus_mc_acc_sum(&a);
}

/* ---- exact summation ------------------------------------------------------ */

static void test_acc_rounding(void)
{
    const double u = 0x1p-1074, e = 0x1p-53;
    const double cancel[] = {1e100, 1.0, -1e100};
    const double tenth[] = {0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1};
    const double tie_even[] = {1.0, e};        /* 1 + half ulp: stays 1 */
    const double tie_odd[] = {1.0 + 2 * e, e}; /* odd significand: rounds up */
    const double above[] = {1.0, e, u};        /* a sticky bit breaks the tie */
    const double below[] = {1.0, e, -u};       /* ... either way */
    const double nabove[] = {-1.0, -e, -u};    /* and symmetrically */
    const double subn[] = {u, u, u};           /* subnormals add exactly */
    const double big[] = {DBL_MAX, DBL_MAX, -DBL_MAX};
    const double over[] = {DBL_MAX, DBL_MAX};
    const double zeros[] = {-0.0, -0.0};
    const double opposite[] = {0.3, -0.1, -0.2, 0.1, -0.3, 0.2};

    CHECK(same_bits(acc_sum_of(cancel, 3), 1.0));
    /* ten exact copies of 0.1 (0.1000000000000000055...) sum to 1.00000000000000005551,
     * which rounds to 1; sequential addition gives 0.9999999999999999 */
    CHECK(same_bits(acc_sum_of(tenth, 10), 1.0));
    CHECK(same_bits(acc_sum_of(tie_even, 2), 1.0));
    CHECK(same_bits(acc_sum_of(tie_odd, 2), 1.0 + 4 * e));
    CHECK(same_bits(acc_sum_of(above, 3), 1.0 + 2 * e));
    CHECK(same_bits(acc_sum_of(below, 3), 1.0));
    CHECK(same_bits(acc_sum_of(nabove, 3), -1.0 - 2 * e));
    CHECK(same_bits(acc_sum_of(subn, 3), 3 * u));
    CHECK(same_bits(acc_sum_of(big, 3), DBL_MAX));
    CHECK(same_bits(acc_sum_of(over, 2), HUGE_VAL));
    CHECK(same_bits(acc_sum_of(zeros, 2), 0.0)); /* an exact zero is +0 */
    CHECK(same_bits(acc_sum_of(opposite, 6), 0.0));
    CHECK(same_bits(acc_sum_of(NULL, 0), 0.0));
    {
        const double pinf[] = {1.0, HUGE_VAL}, ninf[] = {-HUGE_VAL, 1.0};
        const double both[] = {HUGE_VAL, -HUGE_VAL}, nan[] = {1.0, NAN};
        CHECK(acc_sum_of(pinf, 2) == HUGE_VAL);
        CHECK(acc_sum_of(ninf, 2) == -HUGE_VAL);
        CHECK(isnan(acc_sum_of(both, 2)));
        CHECK(isnan(acc_sum_of(nan, 2)));
    }
}

/* Random wide-range and cancelling data against the reference fsum. */
static void test_acc_against_fsum(void)
{
    enum { N = 2000 };
    static double x[N];
    for (uint64_t trial = 0; trial < 200; trial++) {
        size_t n = 1 + (size_t)(casus_rng_u64(3, trial, 0) % N);
        for (size_t i = 0; i < n; i++) {
            x[i] = wild(trial, i);
            if (trial % 3 == 0 && i % 2 == 1) /* near-total cancellation */
                x[i] = -x[i - 1] * (1.0 + 0x1p-40);
            if (trial % 5 == 1 && i % 7 == 0) /* subnormals too */
                x[i] = ldexp(x[i], -1000);
        }
        double want = ref_fsum(x, n), got = acc_sum_of(x, n);
        if (!same_bits(got, want)) {
            printf("  trial %llu: got %.17g, fsum %.17g\n", (unsigned long long)trial, got, want);
            CHECK(0);
            return;
        }
    }
}

/* Merging per-chunk accumulators gives the sequential bits; the carry pass
 * (every 2^30 adds) is reached by priming the counter. */
static void test_acc_merge_and_carry(void)
{
    enum { N = 5000 };
    static double x[N];
    struct casus_mc_acc whole, part, total;
    for (size_t i = 0; i < N; i++)
        x[i] = wild(21, i) + (i % 3 == 0 ? 1e30 : i % 3 == 1 ? -1e30 : 0.0);
    casus_mc_acc_init(&whole);
    for (size_t i = 0; i < N; i++)
        casus_mc_acc_add(&whole, x[i]);
    for (size_t chunks = 1; chunks <= 7; chunks += 3) {
        casus_mc_acc_init(&total);
        for (size_t c = 0; c < chunks; c++) {
            casus_mc_acc_init(&part);
            for (size_t i = c * N / chunks; i < (c + 1) * N / chunks; i++)
                casus_mc_acc_add(&part, x[i]);
            casus_mc_acc_merge(&total, &part);
        }
        CHECK(same_bits(casus_mc_acc_sum(&total), casus_mc_acc_sum(&whole)));
        CHECK(same_bits(casus_mc_acc_div(&total, N), casus_mc_acc_div(&whole, N)));
    }
    CHECK(same_bits(casus_mc_acc_sum(&whole), ref_fsum(x, N)));

    casus_mc_acc_init(&part);
    part.pending = (UINT32_C(1) << 30) - 2; /* limbs are 0, so any count is valid */
    for (size_t i = 0; i < N; i++)
        casus_mc_acc_add(&part, x[i]);
    CHECK(part.pending < 10000);
    CHECK(same_bits(casus_mc_acc_sum(&part), casus_mc_acc_sum(&whole)));
    total = whole;
    total.pending = (UINT32_C(1) << 30) - 2; /* a true bound, if a loose one */
    casus_mc_acc_merge(&part, &total);
    CHECK(part.pending == 0);
    CHECK(same_bits(casus_mc_acc_sum(&part), acc_sum_of(x, N) * 2.0));
}

/* ---- means and standard errors -------------------------------------------- */

/* |S/n - m| <= ulp(m)/2 with S the exact sum, checked exactly as
 * |S - n m| <= n ulp / 2 on the accumulator. */
static bool correctly_rounded_mean(const double *x, size_t n, double m)
{
    struct casus_mc_acc a;
    double r, ulp;
    casus_mc_acc_init(&a);
    for (size_t i = 0; i < n; i++) {
        casus_mc_acc_add(&a, x[i]);
        casus_mc_acc_add(&a, -m);
    }
    r = casus_mc_acc_sum(&a);
    ulp = r > 0 ? nextafter(m, HUGE_VAL) - m : m - nextafter(m, -HUGE_VAL);
    return fabs(r) <= (double)n * ulp * 0.5;
}

static void test_mean(void)
{
    const double u = 0x1p-1074;
    const double three_tenths[] = {0.1, 0.1, 0.1};
    const double halves[] = {1.0, 2.0};
    const double third[] = {0.0, 0.0, 1.0};
    const double maxes[] = {DBL_MAX, DBL_MAX, DBL_MAX};
    const double sub_tie[] = {u, 0.0};         /* 1/2 unit: ties to 0 */
    const double sub_tie3[] = {3 * u, 0.0};    /* 3/2 units: ties to 2 */
    const double sub_third[] = {u, 0.0, 0.0};  /* 1/3 unit: 0 */
    const double sub_2third[] = {2 * u, 0, 0}; /* 2/3 unit: 1 */
    const double neg[] = {-1.0, -2.0, -4.0};

    /* n copies of c average to c exactly; (0.1 + 0.1 + 0.1) / 3 does not */
    CHECK(same_bits(casus_mc_mean(three_tenths, 3), 0.1));
    CHECK(!same_bits((0.1 + 0.1 + 0.1) / 3, 0.1));
    CHECK(same_bits(casus_mc_mean(halves, 2), 1.5));
    CHECK(same_bits(casus_mc_mean(third, 3), 1.0 / 3.0));
    CHECK(same_bits(casus_mc_mean(neg, 3), -7.0 / 3.0));
    CHECK(same_bits(casus_mc_mean(maxes, 3), DBL_MAX)); /* the sum overflows, the mean not */
    CHECK(same_bits(casus_mc_mean(sub_tie, 2), 0.0));
    CHECK(same_bits(casus_mc_mean(sub_tie3, 2), 2 * u));
    CHECK(same_bits(casus_mc_mean(sub_third, 3), 0.0));
    CHECK(same_bits(casus_mc_mean(sub_2third, 3), u));
    CHECK(same_bits(casus_mc_mean(halves, 1), 1.0));
    CHECK(isnan(casus_mc_mean(halves, 0)));
    {
        const double inf[] = {1.0, HUGE_VAL}, nan[] = {NAN, 1.0};
        CHECK(casus_mc_mean(inf, 2) == HUGE_VAL);
        CHECK(isnan(casus_mc_mean(nan, 2)));
    }
    /* constant arrays of awkward values, then random data of every size */
    for (uint64_t k = 0; k < 300; k++) {
        static double x[64];
        size_t n = 1 + (size_t)(casus_rng_u64(5, k, 0) % 64);
        double c = wild(40, k);
        for (size_t i = 0; i < n; i++)
            x[i] = c;
        CHECK(same_bits(casus_mc_mean(x, n), c));
        CHECK(same_bits(casus_mc_stderr(x, n), 0.0));
        for (size_t i = 0; i < n; i++)
            x[i] = wild(41 + k, i) * (i % 2 ? 1.0 : 1e-3) + 1.0;
        CHECK(correctly_rounded_mean(x, n, casus_mc_mean(x, n)));
    }
}

static void test_stderr(void)
{
    const double a[] = {1, 2, 3, 4};
    const double b[] = {2, 4, 4, 4, 5, 5, 7, 9};
    const double tenths[] = {0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1};
    double shifted[4];

    /* var(1..4) = 5/3; se = sqrt(5/3) / 2 */
    CHECK_NEAR(casus_mc_sd(a, 4), 1.2909944487358056, 4e-16);
    CHECK_NEAR(casus_mc_stderr(a, 4), 0.6454972243679028, 2e-16);
    /* sum of squares 32 about 5: var = 32/7, se = sqrt(32/7/8) = sqrt(4/7) */
    CHECK_NEAR(casus_mc_sd(b, 8), 2.1380899352993950, 4e-16);
    CHECK_NEAR(casus_mc_stderr(b, 8), 0.7559289460184544, 2e-16);
    /* a large offset costs nothing: two passes, exact sums */
    for (int i = 0; i < 4; i++)
        shifted[i] = 1e9 + a[i];
    CHECK_NEAR(casus_mc_stderr(shifted, 4), 0.6454972243679028, 2e-16);
    CHECK(same_bits(casus_mc_stderr(tenths, 7), 0.0));
    CHECK(same_bits(casus_mc_stderr(a, 1), 0.0));
    CHECK(same_bits(casus_mc_stderr(a, 0), 0.0));
    CHECK(same_bits(casus_mc_sd(a, 1), 0.0));
}

/* ---- sorting ---------------------------------------------------------------- */

static int cmp_total(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    if (a < b)
        return -1;
    if (a > b)
        return 1;
    if (isnan(a) || isnan(b))
        return isnan(a) - isnan(b);
    return (signbit(b) != 0) - (signbit(a) != 0);
}

/* Sort a pattern with casus_mc_sort and casus_mc_heapsort, with and without
 * a companion; compare with qsort under the same order. */
static void check_sorts(const double *x, size_t n)
{
    static double v[3000], ref[3000];
    static uint32_t comp[3000];
    static bool seen[3000];
    memcpy(ref, x, n * sizeof *x);
    qsort(ref, n, sizeof *ref, cmp_total);
    for (int heap = 0; heap < 2; heap++) {
        for (int with = 0; with < 2; with++) {
            memcpy(v, x, n * sizeof *x);
            for (size_t i = 0; i < n; i++)
                comp[i] = (uint32_t)i;
            if (heap)
                casus_mc_heapsort(v, with ? comp : NULL, n);
            else
                casus_mc_sort(v, with ? comp : NULL, n);
            CHECK(n == 0 || memcmp(v, ref, n * sizeof *v) == 0);
            if (!with)
                continue;
            memset(seen, 0, n);
            for (size_t i = 0; i < n; i++) {
                CHECK(comp[i] < n && !seen[comp[i]]);
                if (comp[i] < n) {
                    seen[comp[i]] = true;
                    CHECK(same_bits(v[i], x[comp[i]]));
                }
            }
        }
    }
}

static void test_sort(void)
{
    static const size_t sizes[] = {0, 1, 2, 3, 16, 17, 18, 100, 1000, 3000};
    static double x[3000];
    for (size_t s = 0; s < CASUS_ARRAY_LEN(sizes); s++) {
        size_t n = sizes[s];
        for (int pat = 0; pat < 7; pat++) {
            for (size_t i = 0; i < n; i++) {
                double r = wild(60 + (uint64_t)pat, i);
                switch (pat) {
                case 0: x[i] = r; break;                                     /* random */
                case 1: x[i] = (double)i; break;                             /* sorted */
                case 2: x[i] = (double)(n - i); break;                       /* reversed */
                case 3: x[i] = 0.25; break;                                  /* all equal */
                case 4: x[i] = (double)(i < n / 2 ? i : n - i); break;       /* organ pipe */
                case 5: x[i] = (double)(casus_rng_u64(61, 0, i) % 5); break; /* few values */
                default: x[i] = i % 3 == 0 ? -0.0 : i % 3 == 1 ? 0.0 : r; break;
                }
            }
            check_sorts(x, n);
        }
    }
    /* NaN sorts last */
    {
        double v[] = {NAN, 2.0, -HUGE_VAL, HUGE_VAL, -0.0, 0.0, -1.0};
        casus_mc_sort(v, NULL, 7);
        CHECK(v[0] == -HUGE_VAL && v[1] == -1.0 && signbit(v[2]) && v[2] == 0.0);
        CHECK(!signbit(v[3]) && v[3] == 0.0 && v[4] == 2.0 && v[5] == HUGE_VAL && isnan(v[6]));
    }
}

/* ---- quantiles ------------------------------------------------------------ */

static void test_quantiles(void)
{
    const double ten[] = {10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
    const double pi[] = {3, 1, 4, 1, 5, 9, 2, 6};
    const double neg[] = {0.5, -1, -2.5, 0};
    const double p4[] = {0, 0.25, 0.5, 0.75, 1};
    const double p7[] = {0, 0.1, 0.25, 0.5, 0.75, 0.9, 1};
    double s[10], q[7];

    /* R: quantile(1:10) = 1, 3.25, 5.5, 7.75, 10 */
    CHECK_INT(casus_mc_quantiles(ten, 10, p4, 5, q, s), CASUS_OK);
    CHECK(q[0] == 1 && q[1] == 3.25 && q[2] == 5.5 && q[3] == 7.75 && q[4] == 10);
    /* sorted 1 1 2 3 4 5 6 9; h = 7p: 0, 0.7, 1.75, 3.5, 5.25, 6.3, 7 */
    CHECK_INT(casus_mc_quantiles(pi, 8, p7, 7, q, s), CASUS_OK);
    CHECK(q[0] == 1 && q[1] == 1 && q[2] == 1.75 && q[3] == 3.5 && q[4] == 5.25 && q[6] == 9);
    CHECK_NEAR(q[5], 6.9, 1e-15);
    /* sorted -2.5 -1 0 0.5; h = 3p */
    CHECK_INT(casus_mc_quantiles(neg, 4, p4, 5, q, s), CASUS_OK);
    CHECK(q[0] == -2.5 && q[1] == -1.375 && q[2] == -0.5 && q[3] == 0.125 && q[4] == 0.5);
    /* n = 1: every quantile is the draw */
    CHECK_INT(casus_mc_quantiles(neg, 1, p7, 7, q, s), CASUS_OK);
    for (int k = 0; k < 7; k++)
        CHECK(q[k] == 0.5);
    /* equal neighbours give their value exactly, not (1-t) a + t a */
    {
        const double tenths[] = {0.1, 0.1, 0.1};
        const double odd[] = {0.3, 0.7, 0.9, 0.15, 0.05};
        CHECK_INT(casus_mc_quantiles(tenths, 3, odd, 5, q, s), CASUS_OK);
        for (int k = 0; k < 5; k++)
            CHECK(same_bits(q[k], 0.1));
    }
    /* extreme values: p = 0 and 1 exact; an infinite neighbour does not give NaN */
    {
        const double ext[] = {-DBL_MAX, DBL_MAX, -HUGE_VAL};
        const double pe[] = {0, 0.25, 0.5, 0.75, 1};
        CHECK_INT(casus_mc_quantiles(ext, 3, pe, 5, q, s), CASUS_OK);
        CHECK(q[0] == -HUGE_VAL && q[1] == -HUGE_VAL && q[2] == -DBL_MAX && q[3] == 0.0 &&
              q[4] == DBL_MAX);
    }
    /* errors leave out untouched */
    {
        const double bad_p[] = {0.5, 1.5}, nan_p[] = {NAN}, nan_x[] = {1.0, NAN, 2.0};
        q[0] = 42;
        CHECK_INT(casus_mc_quantiles(ten, 10, bad_p, 2, q, s), CASUS_EINVAL);
        CHECK_INT(casus_mc_quantiles(ten, 10, nan_p, 1, q, s), CASUS_EINVAL);
        CHECK_INT(casus_mc_quantiles(nan_x, 3, p4, 1, q, s), CASUS_EINVAL);
        CHECK_INT(casus_mc_quantiles(ten, 0, p4, 1, q, s), CASUS_EINVAL);
        CHECK(q[0] == 42);
    }
    /* in place: scratch == x */
    memcpy(s, ten, sizeof ten);
    CHECK_INT(casus_mc_quantiles(s, 10, p4 + 1, 1, q, s), CASUS_OK);
    CHECK(q[0] == 3.25 && s[0] == 1 && s[9] == 10);
}

/* Monotone in p, between min and max, on random data. */
static void test_quantile_monotone(void)
{
    enum { N = 257 };
    static double x[N], s[N];
    for (size_t i = 0; i < N; i++)
        x[i] = wild(70, i) * (i % 4 ? 1.0 : 1e20);
    CHECK_INT(casus_mc_quantiles(x, N, NULL, 0, NULL, s), CASUS_OK);
    double prev = -HUGE_VAL;
    for (int k = 0; k <= 10000; k++) {
        double q = casus_mc_quantile_sorted(s, N, k / 10000.0);
        CHECK(q >= prev && q >= s[0] && q <= s[N - 1]);
        prev = q;
    }
}

/* ---- ranks and Spearman ----------------------------------------------------- */

static void test_ranks(void)
{
    const double x[] = {10, 20, 20, 30, 20, -5};
    const double want[] = {2, 4, 4, 6, 4, 1};
    const double z[] = {0.0, -0.0, 1.0};
    const double nan[] = {1.0, NAN};
    double r[6];
    uint32_t perm[6];
    CHECK_INT(casus_mc_ranks(x, 6, r, perm), CASUS_OK);
    for (int i = 0; i < 6; i++)
        CHECK(r[i] == want[i]);
    CHECK_INT(casus_mc_ranks(z, 3, r, perm), CASUS_OK); /* -0 ties with +0 */
    CHECK(r[0] == 1.5 && r[1] == 1.5 && r[2] == 3);
    CHECK_INT(casus_mc_ranks(x, 1, r, perm), CASUS_OK);
    CHECK(r[0] == 1);
    CHECK_INT(casus_mc_ranks(nan, 2, r, perm), CASUS_EINVAL);
    CHECK_INT(casus_mc_ranks(x, 0, r, perm), CASUS_OK);
}

static void test_spearman(void)
{
    /* Wikipedia's IQ and hours of television: sum d^2 = 194, rho = -29/165 */
    const double iq[] = {106, 100, 86, 101, 99, 103, 97, 113, 112, 110};
    const double tv[] = {7, 27, 2, 50, 28, 29, 20, 12, 6, 17};
    /* with ties: mid-ranks 1 2.5 2.5 4 5 and 2 1 3.5 3.5 5 about 3 give
     * Sxy = 7.25, Sxx = Syy = 9.5, rho = 29/38 */
    const double tx[] = {1, 2, 2, 3, 4}, ty[] = {2, 1, 3, 3, 5};
    const double c[] = {5, 5, 5, 5, 5};
    double s[20], mono[10], anti[10];
    uint32_t perm[10];

    CHECK(same_bits(casus_mc_spearman(iq, tv, 10, s, perm), -29.0 / 165.0));
    CHECK(same_bits(casus_mc_spearman(tx, ty, 5, s, perm), 29.0 / 38.0));
    CHECK(same_bits(casus_mc_spearman(ty, tx, 5, s, perm), 29.0 / 38.0));
    /* rank once, correlate per pair: the same bits */
    CHECK_INT(casus_mc_ranks(iq, 10, s, perm), CASUS_OK);
    CHECK_INT(casus_mc_ranks(tv, 10, s + 10, perm), CASUS_OK);
    CHECK(same_bits(casus_mc_rank_corr(s, s + 10, 10), -29.0 / 165.0));
    CHECK(same_bits(casus_mc_rank_corr(s + 10, s, 10), -29.0 / 165.0));
    CHECK(same_bits(casus_mc_rank_corr(s, s, 10), 1.0));
    CHECK(same_bits(casus_mc_rank_corr(s, s, 1), 0.0));
    for (int i = 0; i < 10; i++) {
        mono[i] = exp(iq[i] / 10.0);
        anti[i] = -iq[i] * iq[i];
    }
    CHECK(same_bits(casus_mc_spearman(iq, mono, 10, s, perm), 1.0));
    CHECK(same_bits(casus_mc_spearman(iq, anti, 10, s, perm), -1.0));
    CHECK(same_bits(casus_mc_spearman(tx, tx, 5, s, perm), 1.0)); /* ties, but monotone */
    CHECK(same_bits(casus_mc_spearman(tx, c, 5, s, perm), 0.0));  /* constant: 0 */
    CHECK(same_bits(casus_mc_spearman(c, tx, 5, s, perm), 0.0));
    CHECK(same_bits(casus_mc_spearman(tx, ty, 1, s, perm), 0.0));
    CHECK(same_bits(casus_mc_spearman(tx, ty, 0, s, perm), 0.0));
    {
        const double nan[] = {1, NAN, 3, 4, 5};
        CHECK(isnan(casus_mc_spearman(tx, nan, 5, s, perm)));
    }
}

/* ---- summaries -------------------------------------------------------------- */

static void test_summarise(void)
{
    const double x[] = {3, 7, 1, 10, 5, 2, 9, 4, 8, 6};
    const double nan[] = {1.0, NAN};
    double s[10];
    struct casus_mc_summary m, keep;

    CHECK_INT(casus_mc_summarise(x, 10, s, &m), CASUS_OK);
    CHECK(m.mean == 5.5 && m.min == 1 && m.max == 10 && m.q50 == 5.5);
    CHECK_NEAR(m.sd, sqrt(55.0 / 6.0), 4e-16);
    CHECK_NEAR(m.se, sqrt(55.0 / 6.0 / 10.0), 2e-16);
    CHECK_NEAR(m.q05, 1.45, 1e-15); /* h = 9 * 0.05 = 0.45 */
    CHECK_NEAR(m.q95, 9.55, 4e-15); /* h = 9 * 0.95 rounds below 8.55 */
    CHECK(m.frac_pos == 1.0 && m.frac_neg == 0.0);
    /* n = 1 */
    CHECK_INT(casus_mc_summarise(x, 1, s, &m), CASUS_OK);
    CHECK(m.mean == 3 && m.sd == 0 && m.se == 0 && m.q05 == 3 && m.q95 == 3);
    /* errors leave *s untouched */
    keep = m;
    CHECK_INT(casus_mc_summarise(nan, 2, s, &m), CASUS_EINVAL);
    CHECK_INT(casus_mc_summarise(x, 0, s, &m), CASUS_EINVAL);
    CHECK(memcmp(&m, &keep, sizeof m) == 0);
}

static bool all_plus_zero(const struct casus_mc_summary *s)
{
    const double f[] = {s->mean, s->sd,  s->se,  s->min,      s->q05,
                        s->q50,  s->q95, s->max, s->frac_pos, s->frac_neg};
    for (size_t k = 0; k < CASUS_ARRAY_LEN(f); k++)
        if (!same_bits(f[k], 0.0))
            return false;
    return true;
}

static void test_summarise_diff(void)
{
    enum { N = 1000 };
    static double a[N], b[N], s[N];
    const double pa[] = {0.5, 0.25, 0.75, 1.0}, pb[] = {0.25, 0.25, 1.0, 0.5};
    struct casus_mc_summary d, ma, zero;

    /* differences 0.25 0 -0.25 0.5: mean 0.125, squares about it sum to 0.3125 */
    CHECK_INT(casus_mc_summarise_diff(pa, pb, 4, s, &d), CASUS_OK);
    CHECK(d.mean == 0.125 && d.min == -0.25 && d.max == 0.5 && d.q50 == 0.125);
    CHECK_NEAR(d.sd, sqrt(0.3125 / 3), 2e-16);
    CHECK(d.frac_pos == 0.5 && d.frac_neg == 0.25);

    /* a policy against itself: every field exactly +0, also when the
     * scratch is one of the inputs */
    for (size_t i = 0; i < N; i++)
        a[i] = casus_rng_uniform(80, 0, i) * casus_rng_uniform(80, 1, i);
    CHECK_INT(casus_mc_summarise_diff(a, a, N, s, &zero), CASUS_OK);
    CHECK(all_plus_zero(&zero));
    memcpy(b, a, sizeof a);
    CHECK_INT(casus_mc_summarise_diff(b, a, N, b, &zero), CASUS_OK);
    CHECK(all_plus_zero(&zero));

    /* common random numbers: b shifts a by a small policy effect, so the
     * difference has a far smaller standard error than either policy */
    for (size_t i = 0; i < N; i++)
        b[i] = a[i] * 0.9;
    CHECK_INT(casus_mc_summarise(a, N, s, &ma), CASUS_OK);
    CHECK_INT(casus_mc_summarise_diff(a, b, N, s, &d), CASUS_OK);
    CHECK(d.mean > 0 && d.se < ma.se / 5 && d.frac_neg == 0.0 && d.frac_pos == 1.0);
    CHECK_NEAR(d.mean, ma.mean * 0.1, 1e-15);

    /* infinities that cancel per draw are an error, not a silent NaN */
    {
        const double inf[] = {HUGE_VAL, 1.0};
        CHECK_INT(casus_mc_summarise_diff(inf, inf, 2, s, &d), CASUS_EINVAL);
        CHECK_INT(casus_mc_summarise_diff(inf, inf, 0, s, &d), CASUS_EINVAL);
    }
}

/* ---- Wilson ----------------------------------------------------------------- */

/* The interval in its other closed form,
 * (2k + z^2 -+ z sqrt(z^2 + 4k(n-k)/n)) / (2 (n + z^2)). */
static void wilson_ref(double k, double n, double z, double *lo, double *hi)
{
    double r = z * sqrt(z * z + 4 * k * (n - k) / n), d = 2 * (n + z * z);
    *lo = (2 * k + z * z - r) / d;
    *hi = (2 * k + z * z + r) / d;
}

static void test_wilson(void)
{
    const double z95 = 1.959963984540054, z90 = 1.6448536269514722;
    double lo, hi, rl, rh;

    CHECK_INT(casus_mc_wilson(0, 10, 0.95, &lo, &hi), CASUS_OK);
    CHECK(same_bits(lo, 0.0));
    CHECK_NEAR(hi, z95 * z95 / (10 + z95 * z95), 1e-15); /* 0.2775... */
    CHECK_INT(casus_mc_wilson(10, 10, 0.95, &lo, &hi), CASUS_OK);
    CHECK(same_bits(hi, 1.0));
    CHECK_NEAR(lo, 10 / (10 + z95 * z95), 1e-15);
    CHECK_INT(casus_mc_wilson(81, 263, 0.95, &lo, &hi), CASUS_OK);
    wilson_ref(81, 263, z95, &rl, &rh);
    CHECK_NEAR(lo, rl, 1e-15);
    CHECK_NEAR(hi, rh, 1e-15);
    CHECK(lo < 81.0 / 263 && 81.0 / 263 < hi);
    CHECK_INT(casus_mc_wilson(3, 100000, 0.90, &lo, &hi), CASUS_OK);
    wilson_ref(3, 100000, z90, &rl, &rh);
    CHECK_NEAR(lo, rl, 1e-17);
    CHECK_NEAR(hi, rh, 1e-17);
    CHECK(lo > 0);
    CHECK_INT(casus_mc_wilson(1, 0, 0.95, &lo, &hi), CASUS_EINVAL);
    CHECK_INT(casus_mc_wilson(5, 4, 0.95, &lo, &hi), CASUS_EINVAL);
    CHECK_INT(casus_mc_wilson(1, 4, 1.0, &lo, &hi), CASUS_EINVAL);
    CHECK_INT(casus_mc_wilson(1, 4, NAN, &lo, &hi), CASUS_EINVAL);
}

/* ---- invariance and scale --------------------------------------------------- */

/* Every result depends on the multiset of draws only: shuffled copies give
 * the same bits. */
static void test_permutation_invariance(void)
{
    enum { N = 20000 };
    static double x[N], y[N], s[2 * N];
    static uint32_t perm[N];
    struct casus_mc_summary m0, m1, d0, d1;
    double mean0, se0, rho0, q0[3], q1[3];
    const double p[] = {0.01, 0.5, 0.99};

    for (size_t i = 0; i < N; i++) {
        x[i] = wild(90, i) + (i % 10 == 0 ? 0.5 : 0.0);
        y[i] = x[i] * 0.5 + casus_rng_uniform(91, 0, i) + (i % 7 == 0 ? 1e-3 : 0.0);
        if (i % 13 == 0) /* ties */
            y[i] = 0.25;
    }
    mean0 = casus_mc_mean(x, N);
    se0 = casus_mc_stderr(x, N);
    rho0 = casus_mc_spearman(x, y, N, s, perm);
    CHECK_INT(casus_mc_quantiles(x, N, p, 3, q0, s), CASUS_OK);
    CHECK_INT(casus_mc_summarise(x, N, s, &m0), CASUS_OK);
    CHECK_INT(casus_mc_summarise_diff(x, y, N, s, &d0), CASUS_OK);
    for (uint64_t t = 0; t < 3; t++) {
        shuffle(x, y, N, t);
        CHECK(same_bits(casus_mc_mean(x, N), mean0));
        CHECK(same_bits(casus_mc_stderr(x, N), se0));
        CHECK(same_bits(casus_mc_spearman(x, y, N, s, perm), rho0));
        CHECK(same_bits(casus_mc_spearman(y, x, N, s, perm), rho0));
        CHECK_INT(casus_mc_quantiles(x, N, p, 3, q1, s), CASUS_OK);
        CHECK(memcmp(q0, q1, sizeof q0) == 0);
        CHECK_INT(casus_mc_summarise(x, N, s, &m1), CASUS_OK);
        CHECK(memcmp(&m0, &m1, sizeof m0) == 0);
        CHECK_INT(casus_mc_summarise_diff(x, y, N, s, &d1), CASUS_OK);
        CHECK(memcmp(&d0, &d1, sizeof d0) == 0);
    }
    CHECK(rho0 > 0.3 && rho0 < 1.0);
}

/* 10^6 draws: known answers for x_i = i, and the whole summary in well
 * under a second (a generous bound, for sanitizer builds). */
static void test_large(void)
{
    enum { N = 1000000 };
    double *x = malloc(N * sizeof *x), *y = malloc(N * sizeof *y), *s = malloc(2 * N * sizeof *s);
    uint32_t *perm = malloc(N * sizeof *perm);
    struct casus_mc_summary m;
    clock_t t0;
    double secs;
    if (!x || !y || !s || !perm) {
        free(x), free(y), free(s), free(perm);
        SKIP("out of memory");
    }
    for (size_t i = 0; i < N; i++) {
        x[i] = (double)((i * 7919) % N); /* 0 .. N-1, scrambled */
        y[i] = -x[i] * x[i];
    }
    t0 = clock();
    CHECK_INT(casus_mc_summarise(x, N, s, &m), CASUS_OK);
    CHECK(same_bits(casus_mc_spearman(x, y, N, s, perm), -1.0));
    secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    printf("  summary + Spearman of 1e6 draws: %.3f s\n", secs);
    CHECK(secs < 10.0);
    CHECK(m.mean == (N - 1) / 2.0 && m.min == 0 && m.max == N - 1);
    /* var of 0..N-1 = N (N + 1) / 12 */
    CHECK_NEAR(m.sd, sqrt((double)N * (N + 1) / 12.0), 1e-9);
    CHECK_NEAR(m.q05, (N - 1) * 0.05, 1e-9);
    CHECK_NEAR(m.q95, (N - 1) * 0.95, 1e-9);
    CHECK(m.q50 == (N - 1) / 2.0);
    for (size_t i = 0; i < N; i++)
        x[i] = casus_rng_uniform(99, 0, i) < 0.3 ? 1.0 : 0.0; /* many ties */
    t0 = clock();
    CHECK_INT(casus_mc_summarise(x, N, s, &m), CASUS_OK);
    secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    CHECK(secs < 10.0);
    CHECK_NEAR(m.mean, 0.3, 5 * sqrt(0.21 / N));
    CHECK(m.q05 == 0.0 && m.q95 == 1.0);
    free(x), free(y), free(s), free(perm);
}

int main(void)
{
    RUN(test_acc_rounding);
    RUN(test_acc_against_fsum);
    RUN(test_acc_merge_and_carry);
    RUN(test_mean);
    RUN(test_stderr);
    RUN(test_sort);
    RUN(test_quantiles);
    RUN(test_quantile_monotone);
    RUN(test_ranks);
    RUN(test_spearman);
    RUN(test_summarise);
    RUN(test_summarise_diff);
    RUN(test_wilson);
    RUN(test_permutation_invariance);
    RUN(test_large);
    return harness_done("mcstat");
}
