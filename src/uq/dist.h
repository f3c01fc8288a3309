/*
 * dist.h — probability distributions for uncertain scenario inputs, used by
 * sensitivity analysis and Monte Carlo runs: a unit-cube coordinate u in
 * (0, 1) (a scrambled Sobol' digit or a Philox draw) becomes an input value
 * by the inverse CDF, so low-discrepancy structure carries over to the
 * inputs and every draw stays a pure function of the seed.
 *
 * Kinds and parameters (struct casus_dist fields a, b, c, d):
 *   uniform      a = lower, b = upper                  (a < b)
 *   triangular   a = lower, b = upper, c = mode        (a <= c <= b, a < b)
 *   normal       a = mean, b = standard deviation     (b > 0)
 *   lognormal    a = mean of log, b = sd of log       (b > 0)
 *   truncnormal  a = mean, b = sd of the parent normal, c = lower, d = upper
 *                (either bound may be infinite; c < d; the kept mass must
 *                not underflow)
 *   beta         a = alpha, b = beta (shapes > 0), c = lower, d = upper
 *   discrete     n values with weights (cumulative table borrowed)
 *
 * Accuracy: the normal quantile is Wichura's AS241 (relative error about
 * 1e-16); the beta quantile inverts the regularised incomplete beta (Lentz
 * continued fraction) by safeguarded Newton to about 1e-14 relative.
 *
 * Ownership: a struct casus_dist is a plain value; a discrete one borrows its
 * values and cumulative table, which must outlive it.  Every function is
 * pure and reentrant (no lgamma/signgam: log-gamma is computed here).
 */
#ifndef CASUS_DIST_H
#define CASUS_DIST_H

#include "base/internal.h"

enum casus_dist_kind {
    CASUS_DIST_UNIFORM,
    CASUS_DIST_TRIANGULAR,
    CASUS_DIST_NORMAL,
    CASUS_DIST_LOGNORMAL,
    CASUS_DIST_TRUNCNORMAL,
    CASUS_DIST_BETA,
    CASUS_DIST_DISCRETE
};

struct casus_dist {
    enum casus_dist_kind kind;
    double a, b, c, d;    /* parameters, as in the table above */
    double k0, k1, k2;    /* cached constants set by the constructor */
    const double *values; /* discrete: n values (borrowed) */
    const double *cum;    /* discrete: n cumulative probabilities,
                             cum[n-1] == 1 (borrowed) */
    size_t n;             /* discrete: number of values */
};

/* Constructors: fill *out and return CASUS_OK, or CASUS_EINVAL (out
 * untouched) when a parameter is not finite or out of range. */
CASUS_INTERNAL casus_status casus_dist_uniform(struct casus_dist *out, double lo, double hi);
CASUS_INTERNAL casus_status casus_dist_triangular(struct casus_dist *out, double lo, double mode,
                                                  double hi);
CASUS_INTERNAL casus_status casus_dist_normal(struct casus_dist *out, double mean, double sd);
CASUS_INTERNAL casus_status casus_dist_lognormal(struct casus_dist *out, double meanlog,
                                                 double sdlog);
CASUS_INTERNAL casus_status casus_dist_truncnormal(struct casus_dist *out, double mean, double sd,
                                                   double lo, double hi);
CASUS_INTERNAL casus_status casus_dist_beta(struct casus_dist *out, double alpha, double beta,
                                            double lo, double hi);
/* Discrete: values[i] with weights[i] >= 0 (not all zero; they are
 * normalised).  cum_out (n doubles, caller-owned) receives the cumulative
 * table the distribution then borrows, as it does values. */
CASUS_INTERNAL casus_status casus_dist_discrete(struct casus_dist *out, const double *values,
                                                const double *weights, size_t n, double *cum_out);

/* The inverse CDF at u in (0, 1): the smallest x with F(x) >= u.  u outside
 * (0, 1) is clamped to the nearest double inside.  O(1), except beta (a few
 * incomplete-beta evaluations) and discrete (O(log n)). */
CASUS_INTERNAL double casus_dist_quantile(const struct casus_dist *d, double u);

/* The CDF F(x) = P(X <= x). */
CASUS_INTERNAL double casus_dist_cdf(const struct casus_dist *d, double x);

/* Exact mean and variance (for tests and reports). */
CASUS_INTERNAL double casus_dist_mean(const struct casus_dist *d);
CASUS_INTERNAL double casus_dist_var(const struct casus_dist *d);

/* Special functions shared with sens.c and the tests. */
/* Standard normal quantile (AS241); p in (0,1), else -inf/+inf/NaN. */
CASUS_INTERNAL double casus_dist_norm_quantile(double p);
/* Standard normal CDF via erfc (full relative accuracy in the lower tail). */
CASUS_INTERNAL double casus_dist_norm_cdf(double x);
/* log Gamma(x) for x > 0 (Lanczos, g = 7; absolute error about 1e-14). */
CASUS_INTERNAL double casus_dist_lgamma(double x);
/* Regularised incomplete beta I_x(a, b), a, b > 0, x in [0, 1]. */
CASUS_INTERNAL double casus_dist_incbeta(double a, double b, double x);
/* Its inverse in x: I_x(a, b) = p, p in [0, 1]. */
CASUS_INTERNAL double casus_dist_incbeta_inv(double a, double b, double p);
/* Quantile of Student's t with nu > 0 degrees of freedom. */
CASUS_INTERNAL double casus_dist_t_quantile(double p, double nu);

#endif
