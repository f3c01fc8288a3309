/*
 * ultimatum.h — the statistical ultimatum game of Ramsay and Signorino
 * (the `ultimatum` model of the R package `games`), one observation at a
 * time, with exact derivatives (jet.h).
 *
 * Player 1 offers y in [0, Q] and keeps Q - y; player 2 accepts if y
 * exceeds her reservation value R2 + e2, otherwise both get their
 * reservation values.  With logistic private errors of scales s1 and s2,
 *   Pr(accept | y) = 1 / (1 + exp(-(y - R2) / s2)),
 *   F(y) = Pr(offer <= y) = 1 / (1 + exp((Q - y - R1 - s2 (1 + exp((y -
 *   R2) / s2))) / s1)),
 * so an offer of 0 has probability F(0), an offer of Q has 1 - F(Q) and an
 * interior offer has density f = dF/dy.  The observation's log-likelihood
 * is log(f-or-mass [* Pr(accept or reject)]), every probability clamped as
 * the package clamps it.
 *
 * Equations (indices): R1 = x'beta, R2 = z'gamma, log s1, log s2.
 *
 * Ownership: borrows the offer and acceptance arrays.  Pure and reentrant.
 */
#ifndef CASUS_FIT_ULTIMATUM_H
#define CASUS_FIT_ULTIMATUM_H

#include "fit/jet.h"

struct fit_ult {
    double maxoffer;       /* Q */
    double offertol;       /* offers within this of 0 or Q are at the bound */
    bool offer_only;       /* acceptance not used (outcome = "offer") */
    const double *offer;   /* y per observation */
    const uint8_t *accept; /* 0/1 per observation (NULL when offer_only) */
    const int *active;     /* per equation (4): jet index or -1 */
};

/* The log-likelihood of observation i as a jet of the active indices: the
 * value as the package computes it, derivatives hand-derived
 * (ultimatum.c); fit_ult_loglik_jets is the same by jets, the reference
 * the tests compare with. */
CASUS_INTERNAL void fit_ult_loglik(const struct fit_ult *u, size_t i, const double *eta,
                                   const struct fit_jctx *c, struct fit_jet *out);
CASUS_INTERNAL void fit_ult_loglik_jets(const struct fit_ult *u, size_t i, const double *eta,
                                        const struct fit_jctx *c, struct fit_jet *out);

/* Fitted values (the package's predict): the expected offer
 * Q - R1 - s2 (1 + W(exp((Q - R1 - s2 - R2) / s2))) with Lambert's W, and
 * the probability that this offer is accepted. */
CASUS_INTERNAL void fit_ult_predict(const struct fit_ult *u, const double *eta, double *eoffer,
                                    double *paccept);

/* Lambert's W on the principal branch for x >= 0 (Halley iteration to full
 * precision); exposed for the tests. */
CASUS_INTERNAL double fit_lambert_w(double x);

#endif
