/*
 * mcstat.h — statistics over stored Monte Carlo draws: means, standard
 * errors, exact sample quantiles, mid-ranks, Spearman correlation, paired
 * policy differences and binomial intervals.  `casus run` stores a few
 * doubles per draw (each policy's outcome probability, each parameter's
 * drawn value) and summarises them here once the draws are in.
 *
 * Determinism: every result is a function of the multiset of draws (of the
 * multiset of pairs, for Spearman and paired differences), not of their
 * order, so it is bit-identical for any thread count, partition or storage
 * order.  Sums use an exact fixed-point accumulator (struct casus_mc_acc),
 * rounded once; sorting uses a total order, so the sorted copy is unique.
 * Nothing depends on the FPU beyond IEEE-754 double arithmetic with round
 * to nearest (the build uses -ffp-contract=off and no -ffast-math).
 *
 * Accuracy: casus_mc_mean is the exact mean correctly rounded (for n below
 * 2^32); casus_mc_stderr is two-pass with the Chan–Golub–LeVeque correction
 * over exactly accumulated squares.
 *
 * Non-finite input: NaN is rejected (CASUS_EINVAL) by every function that
 * returns a status; failed draws must be dropped (jointly, for paired data)
 * before calling.  Functions returning a bare double propagate NaN and
 * infinities as IEEE arithmetic would.
 *
 * Ownership: inputs are borrowed and const; callers pass every scratch
 * buffer, and nothing here allocates, keeps a pointer past the call, or
 * touches global state.  All functions are reentrant.
 */
#ifndef CASUS_MCSTAT_H
#define CASUS_MCSTAT_H

#include "base/internal.h"

/* ---- exact summation ---------------------------------------------------- */

/* 2098 bits span the doubles, 64 more hold a sum of 2^64 of them. */
enum { CASUS_MC_ACC_LIMBS = 69 };

/* An exact sum of doubles: every finite double is an integer multiple of
 * 2^-1074 below 2^1024, so a signed fixed-point number of 69 32-bit limbs
 * (held in int64 with carry room) represents any sum of up to 2^64 of them
 * without rounding.  Order of addition does not matter, and two
 * accumulators merge exactly, so per-thread partial sums combine to the
 * same bits as one sequential pass.  A plain value of about 560 bytes;
 * about 4 ns an add. */
struct casus_mc_acc {
    int64_t limb[CASUS_MC_ACC_LIMBS]; /* limb i weighs 2^(32 i - 1074) */
    uint32_t pending;                 /* adds since the last carry pass */
    bool nan, pinf, ninf;             /* non-finite terms seen */
};

/* Empty the accumulator (sum 0).  O(1). */
CASUS_INTERNAL void casus_mc_acc_init(struct casus_mc_acc *a);
/* Add x exactly.  O(1) amortised (a carry pass every 2^30 adds). */
CASUS_INTERNAL void casus_mc_acc_add(struct casus_mc_acc *a, double x);
/* a += b exactly; b is left unchanged.  O(limbs). */
CASUS_INTERNAL void casus_mc_acc_merge(struct casus_mc_acc *a, const struct casus_mc_acc *b);
/* The sum correctly rounded to a double (ties to even; +-inf past DBL_MAX).
 * NaN if a NaN was added or both infinities were, else +-inf if one was.
 * An exactly zero sum is +0.  O(limbs). */
CASUS_INTERNAL double casus_mc_acc_sum(const struct casus_mc_acc *a);
/* The sum divided by n, correctly rounded (one rounding of the exact
 * quotient) when 1 <= n <= UINT32_MAX; for larger n the rounded sum divided
 * by n (two roundings).  n == 0 gives NaN.  O(limbs). */
CASUS_INTERNAL double casus_mc_acc_div(const struct casus_mc_acc *a, size_t n);

/* ---- moments ------------------------------------------------------------ */

/* The mean of x[0..n): the exact sum divided by n and correctly rounded,
 * so the mean of n copies of c is c, and any permutation of x gives the
 * same bits.  NaN for n == 0; non-finite x propagate.  O(n), no scratch. */
CASUS_INTERNAL double casus_mc_mean(const double *x, size_t n);

/* The Monte Carlo standard error of the mean, s / sqrt(n), where s is the
 * sample standard deviation (divisor n - 1).  Two passes: the mean m, then
 * ss = sum (x_i - m)^2 - (sum (x_i - m))^2 / n, each term rounded once and
 * both sums accumulated exactly.
 * 0 for n < 2 (and for n equal values); permutation-invariant.  O(n). */
CASUS_INTERNAL double casus_mc_stderr(const double *x, size_t n);

/* The sample standard deviation s (divisor n - 1) as used by
 * casus_mc_stderr; 0 for n < 2.  O(n). */
CASUS_INTERNAL double casus_mc_sd(const double *x, size_t n);

/* ---- order statistics --------------------------------------------------- */

/* Sort v[0..n) ascending in place under a total order: numeric, with -0
 * before +0 and NaN (as one canonical quiet NaN) after everything, so the
 * result is unique whatever the input order.  When comp is not NULL,
 * comp[0..n) is permuted along with v (the order among equal values is
 * unspecified but deterministic).  Introsort on integer keys: O(n log n)
 * worst case, no allocation, stack depth O(log n). */
CASUS_INTERNAL void casus_mc_sort(double *v, uint32_t *comp, size_t n);
/* The heapsort that casus_mc_sort falls back to when quicksort degrades,
 * exposed so tests can reach it.  Same contract.  O(n log n). */
CASUS_INTERNAL void casus_mc_heapsort(double *v, uint32_t *comp, size_t n);

/* The sample quantile at probability p of sorted[0..n) (ascending, n >= 1,
 * p in [0, 1]), Hyndman–Fan type 7 (R's default, numpy's "linear"): with
 * h = (n - 1) p, the linear interpolation between sorted[floor h] and
 * sorted[floor h + 1].  p = 0 and p = 1 give the minimum and maximum
 * exactly, equal neighbours give their value exactly, and the result is
 * monotone in p.  O(1). */
CASUS_INTERNAL double casus_mc_quantile_sorted(const double *sorted, size_t n, double p);

/* Type-7 quantiles of x[0..n) at the np probabilities p[], into out[0..np),
 * computed on a sorted copy in scratch (n doubles; scratch may be x itself,
 * which is then sorted in place).  CASUS_EINVAL (out untouched) when n == 0,
 * x holds a NaN, or some p is outside [0, 1] or NaN.  O(n log n + np). */
CASUS_INTERNAL casus_status casus_mc_quantiles(const double *x, size_t n, const double *p,
                                               size_t np, double *out, double *scratch);

/* Mid-ranks of x[0..n), 1-based, into rank[0..n): tied values (equal under
 * ==, so -0 ties with +0) share the average of the ranks they span, so the
 * ranks always sum to n (n + 1) / 2.  perm is n uint32 of scratch.
 * CASUS_EINVAL when x holds a NaN or n > UINT32_MAX (rank then holds
 * garbage).  rank must not alias x.  O(n log n). */
CASUS_INTERNAL casus_status casus_mc_ranks(const double *x, size_t n, double *rank, uint32_t *perm);

/* Spearman's rank correlation of (x_i, y_i), i < n, with the tie
 * correction: the Pearson correlation of the mid-ranks, in [-1, 1].  It is
 * 0 when either variable is constant (a fixed parameter or an outcome that
 * never varies explains nothing) and when n < 2; NaN when x or y holds a
 * NaN or n > UINT32_MAX.  scratch is 2n doubles (receiving the ranks of x,
 * then of y), perm n uint32.  Symmetric in x and y, bit for bit.
 * O(n log n): to correlate many pairs, rank each variable once with
 * casus_mc_ranks and call casus_mc_rank_corr per pair. */
CASUS_INTERNAL double casus_mc_spearman(const double *x, const double *y, size_t n, double *scratch,
                                        uint32_t *perm);

/* The Pearson correlation of two mid-rank vectors from casus_mc_ranks
 * (it relies on their mean being exactly (n + 1) / 2): Spearman's rho
 * given the ranks.  Sums are exact (every term is, for n below about 9e7),
 * so a monotone relation gives exactly +-1.  0 when n < 2 or a vector is
 * constant.  O(n), no scratch. */
CASUS_INTERNAL double casus_mc_rank_corr(const double *rx, const double *ry, size_t n);

/* ---- summaries ---------------------------------------------------------- */

/* What a report shows about one stored quantity over the draws. */
struct casus_mc_summary {
    double mean;     /* casus_mc_mean */
    double sd;       /* sample standard deviation (n - 1); 0 when n == 1 */
    double se;       /* Monte Carlo standard error of the mean, sd / sqrt(n) */
    double min;      /* smallest draw */
    double q05;      /* type-7 quantiles at 5 %, 50 %, 95 % */
    double q50;      /*   (the spread over parameter uncertainty, not */
    double q95;      /*    an interval for the mean: that is mean +- z se) */
    double max;      /* largest draw */
    double frac_pos; /* share of draws > 0 (for a difference a - b: how */
    double frac_neg; /*   often a exceeds b) and < 0; zeros count in neither */
};

/* Summarise x[0..n) into *s, with scratch n doubles (may be x itself, which
 * is then sorted in place).  CASUS_EINVAL (*s untouched) when n == 0 or x
 * holds a NaN.  Permutation-invariant.  O(n log n). */
CASUS_INTERNAL casus_status casus_mc_summarise(const double *x, size_t n, double *scratch,
                                               struct casus_mc_summary *s);

/* Summarise the per-draw differences a_i - b_i of two policies evaluated on
 * the same draws (common random numbers), so their shared variation
 * cancels: the mean difference, its standard error and the spread of the
 * difference over the draws.  scratch (n doubles) receives the differences
 * and may alias a or b.  Comparing an array with itself gives exactly +0
 * in every field.  CASUS_EINVAL when n == 0 or a difference is NaN
 * (a NaN draw, or equal infinities).  O(n log n). */
CASUS_INTERNAL casus_status casus_mc_summarise_diff(const double *a, const double *b, size_t n,
                                                    double *scratch, struct casus_mc_summary *s);

/* ---- counts --------------------------------------------------------------- */

/* Wilson score interval [*lo, *hi] for a binomial proportion from k
 * successes in n independent trials, at confidence level in (0, 1) (0.95
 * for 95 %): for counted events over the draws, such as draws where the
 * solver failed or where one policy beat another (see frac_pos).  Unlike
 * p +- z se it stays inside [0, 1] and is not degenerate at k = 0 or n;
 * lo is exactly 0 when k == 0 and hi exactly 1 when k == n.  CASUS_EINVAL
 * when n == 0, k > n or level is outside (0, 1).  O(1). */
CASUS_INTERNAL casus_status casus_mc_wilson(size_t k, size_t n, double level, double *lo,
                                            double *hi);

#endif
