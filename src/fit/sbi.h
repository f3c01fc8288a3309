/*
 * sbi.h — starting values for the optimiser, as the R package `games`
 * computes them: statistical backwards induction (Bas, Signorino & Walker
 * 2008) for the egame models — binary probit/logit regressions of each
 * player's choice, from the last mover back, the later movers' fitted
 * probabilities weighting the earlier movers' regressors, scaled by
 * sqrt(2) — and a pseudo-SBI (least squares for R1, a logit of acceptance
 * for R2, log sd(offer) for the scales) for the ultimatum game.
 *
 * The binary regressions follow R's glm.fit: iteratively reweighted least
 * squares from mu = (y + 1/2) / 2, at most 25 iterations, stopping when the
 * deviance changes by less than 1e-8 relatively; collinear columns get 0.
 * Separated data make coefficients large, as they do in R; the optimiser
 * starts from there all the same.
 *
 * Ownership: scratch comes from the arena given.
 */
#ifndef CASUS_FIT_SBI_H
#define CASUS_FIT_SBI_H

#include "fit/design.h"

/* Start values for the egame models into theta (np; fixed entries are
 * left as they are; scale parameters start at 0).  CASUS_ENOMEM. */
CASUS_INTERNAL casus_status fit_sbi_egame(const struct fit_design *ds, int game, bool logit,
                                          struct casus_arena *a, double *theta);

/* Start values for the ultimatum model (see above); the caller checks the
 * log-likelihood there and falls back to fit_sbi_ult_fallback. */
CASUS_INTERNAL casus_status fit_sbi_ult(const struct fit_design *ds, double maxoffer,
                                        struct casus_arena *a, double *theta);
CASUS_INTERNAL void fit_sbi_ult_fallback(const struct fit_design *ds, double maxoffer,
                                         double *theta);

/* One binary glm (probit or logit) by IRLS, R's glm.fit; x column-major
 * n x k, offset may be NULL.  coef: k.  Exposed for the tests. */
CASUS_INTERNAL casus_status fit_glm_binary(const double *x, size_t n, size_t k, const double *y,
                                           const double *offset, bool logit, struct casus_arena *a,
                                           double *coef);

#endif
