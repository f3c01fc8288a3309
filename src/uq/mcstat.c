/*
 * mcstat.c — statistics over stored Monte Carlo draws (see mcstat.h): an
 * exact fixed-point accumulator for sums, an introsort under a total order
 * on doubles, and on top of them means, standard errors, type-7 quantiles,
 * mid-ranks, Spearman correlation, paired summaries and Wilson intervals.
 * Everything is a function of the multiset of draws, so `casus run` gets
 * the same bits on any number of threads or ranks.
 */
#include "uq/mcstat.h"

#include "uq/dist.h"

#include <math.h>

#define L           CASUS_MC_ACC_LIMBS
#define M32         UINT64_C(0xffffffff)
#define CARRY_EVERY (UINT32_C(1) << 30) /* adds between carry passes */
#define SMALL_SORT  16                  /* insertion sort at or below */

/* ---- exact summation ---------------------------------------------------- */

/* Propagate carries so limbs 0..L-2 lie in [0, 2^32); the top limb keeps
 * the sign.  Division, not shifts, keeps negative limbs well defined. */
static void carry(int64_t *limb)
{
    for (int i = 0; i < L - 1; i++) {
        int64_t lo = (int64_t)((uint64_t)limb[i] & M32);
        limb[i + 1] += (limb[i] - lo) / ((int64_t)1 << 32);
        limb[i] = lo;
    }
}

void casus_mc_acc_init(struct casus_mc_acc *a)
{
    memset(a, 0, sizeof *a);
}

void casus_mc_acc_add(struct casus_mc_acc *a, double x)
{
    uint64_t bits, m;
    unsigned e, s, off;
    int64_t c0, c1, c2;
    int64_t *p;

    memcpy(&bits, &x, sizeof bits);
    e = (unsigned)(bits >> 52) & 0x7ff;
    m = bits & ((UINT64_C(1) << 52) - 1);
    if (e == 0x7ff) {
        if (m)
            a->nan = true;
        else if (bits >> 63)
            a->ninf = true;
        else
            a->pinf = true;
        return;
    }
    if (e == 0) { /* zero or subnormal: m * 2^-1074 */
        if (m == 0)
            return;
        s = 0;
    } else { /* (m + 2^52) * 2^(e - 1075) */
        m |= UINT64_C(1) << 52;
        s = e - 1;
    }
    if (a->pending >= CARRY_EVERY) {
        carry(a->limb);
        a->pending = 0;
    }
    a->pending++;
    /* m << s spans bits s .. s+52: three 32-bit chunks from limb s/32 on */
    off = s & 31;
    c0 = (int64_t)((m << off) & M32);
    c1 = (int64_t)((m >> (32 - off)) & M32);
    c2 = off > 11 ? (int64_t)(m >> (64 - off)) : 0;
    p = a->limb + (s >> 5);
    if (bits >> 63) {
        p[0] -= c0, p[1] -= c1, p[2] -= c2;
    } else {
        p[0] += c0, p[1] += c1, p[2] += c2;
    }
}

void casus_mc_acc_merge(struct casus_mc_acc *a, const struct casus_mc_acc *b)
{
    carry(a->limb);
    /* a's limbs are now below 2^32, b's below (b->pending + 1) 2^32 */
    for (int i = 0; i < L; i++)
        a->limb[i] += b->limb[i];
    a->pending = b->pending + 2;
    if (a->pending >= CARRY_EVERY) {
        carry(a->limb);
        a->pending = 0;
    }
    a->nan |= b->nan;
    a->pinf |= b->pinf;
    a->ninf |= b->ninf;
}

/* The non-finite result the flags call for, or 0 when every term was
 * finite. */
static double nonfinite(const struct casus_mc_acc *a)
{
    if (a->nan || (a->pinf && a->ninf))
        return NAN;
    if (a->pinf)
        return HUGE_VAL;
    if (a->ninf)
        return -HUGE_VAL;
    return 0.0;
}

/* |sum| as L unsigned 32-bit limbs; returns -1, 0 or 1, the sign. */
static int magnitude(const struct casus_mc_acc *a, uint32_t *mag)
{
    int64_t t[L];
    bool neg, zero = true;
    memcpy(t, a->limb, sizeof t);
    carry(t);
    neg = t[L - 1] < 0;
    if (neg) {
        for (int i = 0; i < L; i++)
            t[i] = -t[i];
        carry(t);
    }
    for (int i = 0; i < L; i++) {
        mag[i] = (uint32_t)t[i];
        zero = zero && t[i] == 0;
    }
    return zero ? 0 : neg ? -1 : 1;
}

static int bit_of(const uint32_t *mag, unsigned pos)
{
    return (int)(mag[pos / 32] >> (pos % 32)) & 1;
}

/* Whether any of bits 0 .. pos-1 of mag is set. */
static bool any_below(const uint32_t *mag, unsigned pos)
{
    unsigned i = pos / 32, r = pos % 32;
    for (unsigned k = 0; k < i; k++)
        if (mag[k])
            return true;
    return r != 0 && (mag[i] & ((UINT32_C(1) << r) - 1)) != 0;
}

/* What lies below the last limb bit of a quotient: the remainder compared
 * with half the divisor. */
enum tail { TAIL_ZERO, TAIL_BELOW_HALF, TAIL_HALF, TAIL_ABOVE_HALF };

/* mag * 2^-1074 plus a tail below 2^-1074, rounded to nearest, ties to
 * even.  Results below 2^-1021 have at most 53 significant bits in units
 * of 2^-1074 and are handled exactly; larger ones are normal, so ldexp of
 * the rounded 53-bit significand is exact (or overflows to inf, which is
 * the correctly rounded result). */
static double round_mag(const uint32_t *mag, enum tail tail)
{
    int h = L - 1;
    unsigned len, sh;
    uint64_t q = 0;
    while (h >= 0 && mag[h] == 0)
        h--;
    if (h < 0)
        return tail == TAIL_ABOVE_HALF ? 0x1p-1074 : 0.0;
    len = 32u * (unsigned)h;
    for (uint32_t top = mag[h]; top; top >>= 1)
        len++;
    if (len <= 53) {
        q = mag[0] | (h >= 1 ? (uint64_t)mag[1] << 32 : 0);
        if (tail == TAIL_ABOVE_HALF || (tail == TAIL_HALF && (q & 1)))
            q++;
        return ldexp((double)q, -1074);
    }
    sh = len - 53;
    for (unsigned k = 0; k < 53; k++)
        q |= (uint64_t)bit_of(mag, sh + k) << k;
    if (bit_of(mag, sh - 1) && (tail != TAIL_ZERO || any_below(mag, sh - 1) || (q & 1)))
        q++;
    return ldexp((double)q, (int)sh - 1074);
}

double casus_mc_acc_sum(const struct casus_mc_acc *a)
{
    uint32_t mag[L];
    int sign;
    if (a->nan || a->pinf || a->ninf)
        return nonfinite(a);
    sign = magnitude(a, mag);
    if (sign == 0)
        return 0.0;
    return sign * round_mag(mag, TAIL_ZERO);
}

double casus_mc_acc_div(const struct casus_mc_acc *a, size_t n)
{
    uint32_t mag[L];
    uint64_t rem = 0;
    enum tail tail;
    int sign;
    if (n == 0)
        return NAN;
    if (a->nan || a->pinf || a->ninf)
        return nonfinite(a);
    if (n > UINT32_MAX)
        return casus_mc_acc_sum(a) / (double)n;
    sign = magnitude(a, mag);
    if (sign == 0)
        return 0.0;
    /* schoolbook long division by a one-limb divisor */
    for (int i = L - 1; i >= 0; i--) {
        uint64_t cur = rem << 32 | mag[i];
        mag[i] = (uint32_t)(cur / n);
        rem = cur % n;
    }
    tail = rem == 0       ? TAIL_ZERO
           : 2 * rem < n  ? TAIL_BELOW_HALF
           : 2 * rem == n ? TAIL_HALF
                          : TAIL_ABOVE_HALF;
    return sign * round_mag(mag, tail);
}

/* ---- moments ------------------------------------------------------------ */

double casus_mc_mean(const double *x, size_t n)
{
    struct casus_mc_acc a;
    casus_mc_acc_init(&a);
    for (size_t i = 0; i < n; i++)
        casus_mc_acc_add(&a, x[i]);
    return casus_mc_acc_div(&a, n);
}

/* The sample standard deviation about the mean m (the second pass). */
static double sd_about(const double *x, size_t n, double m)
{
    struct casus_mc_acc s1, s2;
    double S1, ss;
    if (n < 2)
        return 0.0;
    casus_mc_acc_init(&s1);
    casus_mc_acc_init(&s2);
    for (size_t i = 0; i < n; i++) {
        double d = x[i] - m;
        casus_mc_acc_add(&s1, d);
        casus_mc_acc_add(&s2, d * d);
    }
    /* Chan, Golub & LeVeque's correction for the rounding of m */
    S1 = casus_mc_acc_sum(&s1);
    ss = casus_mc_acc_sum(&s2) - S1 * S1 / (double)n;
    if (ss < 0.0)
        ss = 0.0;
    return sqrt(ss / (double)(n - 1));
}

double casus_mc_sd(const double *x, size_t n)
{
    return n < 2 ? 0.0 : sd_about(x, n, casus_mc_mean(x, n));
}

double casus_mc_stderr(const double *x, size_t n)
{
    return n < 2 ? 0.0 : casus_mc_sd(x, n) / sqrt((double)n);
}

/* ---- sorting ------------------------------------------------------------ */

/* The sort runs on integer keys held in the array's own storage: a double's
 * bits with the sign bit flipped for positives and every bit flipped for
 * negatives order as unsigned integers exactly as the total order (-0
 * before +0), and every NaN becomes the largest key.  Keys are read and
 * written through memcpy, which compiles to plain moves and keeps strict
 * aliasing intact. */
#define SIGN UINT64_C(0x8000000000000000)

static uint64_t ld(const double *v, size_t i)
{
    uint64_t k;
    memcpy(&k, &v[i], sizeof k);
    return k;
}

static void st(double *v, size_t i, uint64_t k)
{
    memcpy(&v[i], &k, sizeof k);
}

static void to_keys(double *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t b = ld(v, i);
        st(v, i, isnan(v[i]) ? UINT64_MAX : b & SIGN ? ~b : b | SIGN);
    }
}

static void from_keys(double *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t k = ld(v, i);
        st(v, i, k & SIGN ? k & ~SIGN : ~k);
    }
}

static void swap2(double *v, uint32_t *c, size_t i, size_t j)
{
    uint64_t t = ld(v, i);
    st(v, i, ld(v, j));
    st(v, j, t);
    if (c) {
        uint32_t u = c[i];
        c[i] = c[j];
        c[j] = u;
    }
}

static void sift_down(double *v, uint32_t *c, size_t root, size_t n)
{
    size_t child;
    while ((child = 2 * root + 1) < n) {
        if (child + 1 < n && ld(v, child) < ld(v, child + 1))
            child++;
        if (ld(v, root) >= ld(v, child))
            return;
        swap2(v, c, root, child);
        root = child;
    }
}

static void heapsort_keys(double *v, uint32_t *c, size_t n)
{
    if (n < 2)
        return;
    for (size_t i = n / 2; i-- > 0;)
        sift_down(v, c, i, n);
    for (size_t end = n - 1; end > 0; end--) {
        swap2(v, c, 0, end);
        sift_down(v, c, 0, end);
    }
}

/* Insertion sort of v[lo..hi]. */
static void insertion(double *v, uint32_t *c, size_t lo, size_t hi)
{
    for (size_t i = lo + 1; i <= hi; i++) {
        uint64_t t = ld(v, i);
        uint32_t u = c ? c[i] : 0;
        size_t j = i;
        for (; j > lo && t < ld(v, j - 1); j--) {
            st(v, j, ld(v, j - 1));
            if (c)
                c[j] = c[j - 1];
        }
        st(v, j, t);
        if (c)
            c[j] = u;
    }
}

/* Sort the keys v[lo..hi] (inclusive): quicksort with a median-of-three
 * pivot and Hoare's partition (which splits runs of equal keys evenly),
 * recursing into the smaller side; heapsort once depth is spent. */
static void introsort(double *v, uint32_t *c, size_t lo, size_t hi, unsigned depth)
{
    while (hi - lo >= SMALL_SORT) {
        size_t mid = lo + (hi - lo) / 2, i = lo - 1, j = hi + 1; /* i wraps; see below */
        uint64_t p;
        if (depth-- == 0) {
            heapsort_keys(v + lo, c ? c + lo : NULL, hi - lo + 1);
            return;
        }
        if (ld(v, mid) < ld(v, lo))
            swap2(v, c, lo, mid);
        if (ld(v, hi) < ld(v, mid)) {
            swap2(v, c, mid, hi);
            if (ld(v, mid) < ld(v, lo))
                swap2(v, c, lo, mid);
        }
        p = ld(v, mid);
        /* i = lo - 1 may wrap to SIZE_MAX; unsigned arithmetic brings it
         * back to lo on the first increment.  The pivot sits at the lower
         * middle, so lo <= j < hi and both parts shrink. */
        for (;;) {
            do
                i++;
            while (ld(v, i) < p);
            do
                j--;
            while (p < ld(v, j));
            if (i >= j)
                break;
            swap2(v, c, i, j);
        }
        if (j - lo < hi - j) {
            introsort(v, c, lo, j, depth);
            lo = j + 1;
        } else {
            introsort(v, c, j + 1, hi, depth);
            hi = j;
        }
    }
    if (hi > lo)
        insertion(v, c, lo, hi);
}

void casus_mc_sort(double *v, uint32_t *comp, size_t n)
{
    unsigned depth = 0;
    if (n < 2)
        return;
    for (size_t k = n; k > 1; k >>= 1)
        depth += 2;
    to_keys(v, n);
    introsort(v, comp, 0, n - 1, depth);
    from_keys(v, n);
}

void casus_mc_heapsort(double *v, uint32_t *comp, size_t n)
{
    to_keys(v, n);
    heapsort_keys(v, comp, n);
    from_keys(v, n);
}

/* ---- quantiles and ranks ------------------------------------------------ */

double casus_mc_quantile_sorted(const double *sorted, size_t n, double p)
{
    double h = (double)(n - 1) * p, t, a, b, d;
    size_t lo = (size_t)h;
    if (lo >= n - 1)
        return sorted[n - 1];
    t = h - (double)lo;
    a = sorted[lo];
    b = sorted[lo + 1];
    if (t == 0.0 || a == b)
        return a;
    d = b - a;
    if (!isfinite(d)) /* an infinite neighbour, or b - a overflowed */
        return (1.0 - t) * a + t * b;
    /* numpy's lerp: exact at both ends and monotone in t */
    return t < 0.5 ? a + d * t : b - d * (1.0 - t);
}

/* Copy x into scratch (unless they are the same array) and sort it;
 * false if x holds a NaN. */
static bool sorted_copy(const double *x, size_t n, double *scratch)
{
    if (scratch != x)
        memcpy(scratch, x, n * sizeof *x);
    casus_mc_sort(scratch, NULL, n);
    return !isnan(scratch[n - 1]);
}

casus_status casus_mc_quantiles(const double *x, size_t n, const double *p, size_t np, double *out,
                                double *scratch)
{
    if (n == 0)
        return CASUS_EINVAL;
    for (size_t k = 0; k < np; k++)
        if (!(p[k] >= 0.0 && p[k] <= 1.0))
            return CASUS_EINVAL;
    if (!sorted_copy(x, n, scratch))
        return CASUS_EINVAL;
    for (size_t k = 0; k < np; k++)
        out[k] = casus_mc_quantile_sorted(scratch, n, p[k]);
    return CASUS_OK;
}

casus_status casus_mc_ranks(const double *x, size_t n, double *rank, uint32_t *perm)
{
    if (n > UINT32_MAX)
        return CASUS_EINVAL;
    for (size_t i = 0; i < n; i++) {
        if (isnan(x[i]))
            return CASUS_EINVAL;
        rank[i] = x[i];
        perm[i] = (uint32_t)i;
    }
    casus_mc_sort(rank, perm, n);
    /* mid-ranks in sorted order: positions i..j-1 share (i + 1 + j) / 2 */
    for (size_t i = 0, j; i < n; i = j) {
        double r;
        for (j = i + 1; j < n && rank[j] == rank[i]; j++)
            ;
        r = ((double)i + (double)j + 1.0) * 0.5;
        for (size_t k = i; k < j; k++)
            rank[k] = r;
    }
    /* scatter back, rank[perm[k]] = sorted rank k, by following cycles */
    for (size_t i = 0; i < n; i++) {
        while (perm[i] != i) {
            uint32_t j = perm[i], u;
            double t = rank[i];
            rank[i] = rank[j];
            rank[j] = t;
            u = perm[j];
            perm[j] = j;
            perm[i] = u;
        }
    }
    return CASUS_OK;
}

double casus_mc_rank_corr(const double *rx, const double *ry, size_t n)
{
    struct casus_mc_acc sxy, sxx, syy;
    double c, vx, vy, r;
    if (n < 2)
        return 0.0;
    /* mid-ranks sum to n (n + 1) / 2, so their mean is exactly c; the
     * deviations are multiples of 1/2 and their products exact */
    c = ((double)n + 1.0) * 0.5;
    casus_mc_acc_init(&sxy);
    casus_mc_acc_init(&sxx);
    casus_mc_acc_init(&syy);
    for (size_t i = 0; i < n; i++) {
        double dx = rx[i] - c, dy = ry[i] - c;
        casus_mc_acc_add(&sxy, dx * dy);
        casus_mc_acc_add(&sxx, dx * dx);
        casus_mc_acc_add(&syy, dy * dy);
    }
    vx = casus_mc_acc_sum(&sxx);
    vy = casus_mc_acc_sum(&syy);
    if (vx == 0.0 || vy == 0.0)
        return 0.0;
    /* sqrt(fl(v * v)) == v in binary floating point: +-1 come out exact */
    r = casus_mc_acc_sum(&sxy) / sqrt(vx * vy);
    return r > 1.0 ? 1.0 : r < -1.0 ? -1.0 : r;
}

double casus_mc_spearman(const double *x, const double *y, size_t n, double *scratch,
                         uint32_t *perm)
{
    double *rx = scratch, *ry = scratch + n;
    if (casus_mc_ranks(x, n, rx, perm) != CASUS_OK || casus_mc_ranks(y, n, ry, perm) != CASUS_OK)
        return NAN;
    return casus_mc_rank_corr(rx, ry, n);
}

/* ---- summaries ---------------------------------------------------------- */

/* Fill *s from x (any order) and its sorted copy. */
static void summarise_sorted(const double *x, const double *sorted, size_t n,
                             struct casus_mc_summary *s)
{
    size_t npos = 0, nneg = 0;
    for (size_t i = 0; i < n; i++) {
        npos += sorted[i] > 0.0;
        nneg += sorted[i] < 0.0;
    }
    s->mean = casus_mc_mean(x, n);
    s->sd = sd_about(x, n, s->mean);
    s->se = n < 2 ? 0.0 : s->sd / sqrt((double)n);
    s->min = sorted[0];
    s->q05 = casus_mc_quantile_sorted(sorted, n, 0.05);
    s->q50 = casus_mc_quantile_sorted(sorted, n, 0.5);
    s->q95 = casus_mc_quantile_sorted(sorted, n, 0.95);
    s->max = sorted[n - 1];
    s->frac_pos = (double)npos / (double)n;
    s->frac_neg = (double)nneg / (double)n;
}

casus_status casus_mc_summarise(const double *x, size_t n, double *scratch,
                                struct casus_mc_summary *s)
{
    struct casus_mc_summary r;
    if (n == 0 || !sorted_copy(x, n, scratch))
        return CASUS_EINVAL;
    /* the moments are order-free, so reading x after scratch == x was
     * sorted changes nothing */
    summarise_sorted(x, scratch, n, &r);
    *s = r;
    return CASUS_OK;
}

casus_status casus_mc_summarise_diff(const double *a, const double *b, size_t n, double *scratch,
                                     struct casus_mc_summary *s)
{
    if (n == 0)
        return CASUS_EINVAL;
    for (size_t i = 0; i < n; i++)
        scratch[i] = a[i] - b[i];
    return casus_mc_summarise(scratch, n, scratch, s);
}

/* ---- counts ------------------------------------------------------------- */

casus_status casus_mc_wilson(size_t k, size_t n, double level, double *lo, double *hi)
{
    double z, z2, nn, ph, denom, centre, half, l, h;
    if (n == 0 || k > n || !(level > 0.0 && level < 1.0))
        return CASUS_EINVAL;
    z = casus_dist_norm_quantile(0.5 + 0.5 * level);
    z2 = z * z;
    nn = (double)n;
    ph = (double)k / nn;
    denom = 1.0 + z2 / nn;
    centre = (ph + z2 / (2.0 * nn)) / denom;
    half = z / denom * sqrt(ph * (1.0 - ph) / nn + z2 / (4.0 * nn * nn));
    l = k == 0 ? 0.0 : centre - half;
    h = k == n ? 1.0 : centre + half;
    *lo = l < 0.0 ? 0.0 : l;
    *hi = h > 1.0 ? 1.0 : h;
    return CASUS_OK;
}
