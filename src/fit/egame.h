/*
 * egame.h — the log-likelihoods of Signorino's recursive strategic probit
 * and logit models (egame12, egame122, egame123 of the R package `games`),
 * one observation at a time, with exact derivatives (jet.h).
 *
 * The games (terminal nodes numbered left to right, as the outcome levels):
 *
 *   egame12:  1 chooses 1 (u11) or goes on; 2 chooses 3 (u13, 0) or
 *             4 (u14, u24).                                 3 outcomes
 *   egame122: 1 chooses left or right; 2 then chooses: left gives 1 (u11,
 *             0) or 2 (u12, u22), right gives 3 (u13, 0) or 4 (u14, u24).
 *                                                            4 outcomes
 *   egame123: 1 chooses 1 (u11) or goes on; 2 chooses 3 (u13, u23) or goes
 *             on; 3 chooses 5 (u15, u25, 0) or 6 (u16, u26, u36).
 *                                                            4 outcomes
 *
 * Play is solved backwards with choice probabilities F(difference / sd):
 * F is the normal CDF (probit) or the logistic (logit); under agent error
 * each action carries its own error, so sd = sqrt(s_k^2 + s_k^2) for the
 * mover k; under private information the mover's errors enter through the
 * expected utilities, weighted by the probabilities of what follows
 * (Signorino 2003).  Every probability is clamped to [eps, 1 - eps/2] as
 * the package's finiteProbs() does (the clamp has derivative zero), and the
 * log-probability of the observed outcome is summed exactly as the package
 * sums it, so the value agrees with R's to rounding.
 *
 * Equations (indices): the utilities in the order above (u11 u13 u14 u24;
 * u11 u12 u13 u14 u22 u24; u11 u13 u15 u16 u23 u25 u26 u36), then 0, 1 or
 * one per player log-scale equations (log s_k = w' gamma).
 *
 * Ownership: struct fit_egame borrows its outcome array.  Functions are pure
 * and reentrant; O(m^2) per observation at order 2.
 */
#ifndef CASUS_FIT_EGAME_H
#define CASUS_FIT_EGAME_H

#include "fit/jet.h"

enum fit_game { FIT_EGAME12, FIT_EGAME122, FIT_EGAME123 };
enum fit_link { FIT_PROBIT, FIT_LOGIT };
enum fit_type { FIT_AGENT, FIT_PRIVATE };

struct fit_egame {
    enum fit_game game;
    enum fit_link link;
    enum fit_type type;
    int nscale;        /* 0: unit scales; 1: one common; else one per player */
    const uint8_t *y;  /* observed outcome per observation, 0-based */
    const int *active; /* per equation: jet index, or -1 for a constant */
};

/* Number of utility equations (4, 6, 8), outcomes (3, 4, 4), players and
 * action probabilities p1.. (4, 6, 6) of a game. */
CASUS_INTERNAL int fit_egame_nutil(enum fit_game g);
CASUS_INTERNAL int fit_egame_nout(enum fit_game g);
CASUS_INTERNAL int fit_egame_nplayers(enum fit_game g);
CASUS_INTERNAL int fit_egame_nprob(enum fit_game g);

/* The log-likelihood of observation i as a jet, from its index values eta
 * (utilities then log-scales, as above).  O(m^2) at order 2.  egame12
 * without scale equations takes the hand-derived fast path (egame12.c);
 * everything else, and the reference for that path, is the jet version. */
CASUS_INTERNAL void fit_egame_loglik(const struct fit_egame *g, size_t i, const double *eta,
                                     const struct fit_jctx *c, struct fit_jet *out);
CASUS_INTERNAL void fit_egame_loglik_jets(const struct fit_egame *g, size_t i, const double *eta,
                                          const struct fit_jctx *c, struct fit_jet *out);
CASUS_INTERNAL void fit_egame12_loglik(const struct fit_egame *g, size_t i, const double *eta,
                                       const struct fit_jctx *c, struct fit_jet *out);

/* The action probabilities p1.. (fit_egame_nprob of them) of one
 * observation: for egame12 p1 = Pr(1 ends), p2 = 1 - p1, p3/p4 = 2's
 * choice; egame122 p1/p2 = 1's left/right, p3/p4 = 2's choice after left,
 * p5/p6 after right; egame123 p1/p2, p3/p4 = 2's, p5/p6 = 3's. */
CASUS_INTERNAL void fit_egame_probs(const struct fit_egame *g, const double *eta, double *p);

#endif
