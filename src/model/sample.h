/*
 * sample.h — drawing a scenario's parameters and evaluating its numeric
 * expressions: the part of Monte Carlo that does not depend on the game.
 *
 * Draw d of parameter p under seed s is a pure function of (s, d, the hash
 * of p's name): uniform u from Philox, value = the inverse CDF of p's
 * distribution (or of the policy's override) at u.  So results are
 * bit-identical for any thread count or draw order; adding a parameter
 * reshuffles no other; and every policy sees the same u for a parameter
 * (common random numbers: a policy compared with itself differs by 0).
 *
 * Interval arithmetic over the parameters' supports bounds an expression
 * for every possible draw — how the compiler proves that a probability
 * stays within [0, 1].  All functions are pure, allocate nothing and are
 * thread-safe.
 */
#ifndef CASUS_SAMPLE_H
#define CASUS_SAMPLE_H

#include "model/model.h"

/* The distribution parameter i follows under policy `policy` (an index into
 * s->policies; the baseline is 0). */
CASUS_INTERNAL const struct casus_mdist *casus_sample_dist(const struct casus_mscenario *s,
                                                           uint32_t policy, uint32_t i);

/* The uniform in (0, 1) that parameter p's value is the quantile of, for
 * draw `draw` under `seed`: Philox stream p->stream, except for a
 * coefficient j of a fit (p->dist.fit), where it is Phi(w_j / sd_j) with
 * w = chol z and z_i standard normals from the fit's own streams — a
 * Gaussian copula, so the quantile of the marginal normal gives the joint
 * draw, every policy sees the same uniform, and a policy's override keeps
 * the correlation.  O(1), or O(j) for a fit's coefficient. */
CASUS_INTERNAL double casus_sample_uniform(const struct casus_mparam *p, uint64_t seed,
                                           uint64_t draw);

/* values[i] for every parameter of s, for draw `draw` under `seed`.
 * O(parameters) (beta: a few incomplete-beta evaluations each). */
CASUS_INTERNAL void casus_sample_draw(const struct casus_mscenario *s, uint32_t policy,
                                      uint64_t seed, uint64_t draw, double *values);

/* Value of a numeric expression (type CASUS_T_NUM) given parameter values. */
CASUS_INTERNAL double casus_sample_eval(const struct casus_cx *x, const double *values);

/* Bounds [lo, hi] of a numeric expression over every draw under `policy`
 * (outward: the true range lies inside; infinite when unbounded).
 * O(expression size). */
CASUS_INTERNAL void casus_sample_interval(const struct casus_cx *x, const struct casus_mscenario *s,
                                          uint32_t policy, double *lo, double *hi);

#endif
