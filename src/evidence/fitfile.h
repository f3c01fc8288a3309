/*
 * fitfile.h — a fit written by `casus fit ... --json` (docs/fit.md),
 * read back as a multivariate normal over its free coefficients for
 * scenario parameters `fit(FIT, "COEFFICIENT")` (docs/evidence.md).
 *
 * Fields read: "vcov_names" (the free coefficients, in the order of
 * "vcov"), "vcov" (their covariance, rows of numbers: symmetric to 1e-9
 * relative, then averaged; positive definite), "coefficients" (name ->
 * estimate; every free and fixed one), "fixed" (names held fixed, optional),
 * and for people "model", "formula", "loglik", "nobs" when present.  Every
 * problem is a diagnostic on the value it is about (CASUS_EINVAL).
 *
 * Streams: coefficient i draws its standard normal from Philox stream
 * CASUS_RNG_TAG_FIT | 48 bits of hash(file bytes) mixed with hash(name),
 * so a fit's draws do not depend on which of its coefficients a scenario
 * uses, nor on the parameters' names, nor on thread counts.
 *
 * Ownership: the result lives in the arena given.  O(k^3) for k free
 * coefficients (the Cholesky factor), plus O(bytes).
 */
#ifndef CASUS_EVIDENCE_FITFILE_H
#define CASUS_EVIDENCE_FITFILE_H

#include "model/model.h"

/* Read the fit in source src of d; name is how the scenario named it.
 * CASUS_EINVAL (diagnostics), CASUS_ENOMEM. */
CASUS_INTERNAL casus_status ev_fit_read(struct casus_arena *a, struct casus_diags *d, uint32_t src,
                                        const char *name, const struct casus_mfit **out);

/* The free coefficient named coef: its index, or -1; then *fixed is set
 * to the fixed one's value when the fit held coef fixed (*is_fixed). */
CASUS_INTERNAL int32_t ev_fit_find(const struct casus_mfit *f, const char *coef, bool *is_fixed,
                                   double *fixed);

#endif
