/*
 * eq_pure.h — pure-strategy equilibria of extensive and strategic games:
 *   - Nash equilibria of the reduced strategic form (gambit-enumpure),
 *     reported as behaviour profiles with the infosets a player's own
 *     choices rule out left open (-1; printed as zeros);
 *   - Nash equilibria of the agent form (gambit-enumpure -A): every pure
 *     behaviour profile from which no single infoset gains by deviating;
 *   - subgame-perfect pure equilibria by subgame decomposition (what
 *     gambit-enumpure -P did in Gambit 16.4): each subgame is solved bottom
 *     up, child subgames replaced by each of their solutions' payoffs, and
 *     the solutions combined as a Cartesian product;
 *   - pure Nash equilibria of .nfg games.
 *
 * Ownership: results go into a caller-initialised struct casus_pure_set;
 * all scratch memory is freed before returning.  Errors: CASUS_EINVAL for
 * games with imperfect recall (reduced and subgame-perfect modes; a
 * diagnostic names the infoset), CASUS_ELIMIT when the enumeration would
 * exceed lim->max_profiles (the diagnostic suggests the sequence form),
 * CASUS_ENOMEM.  Time: O(profiles * nodes).
 */
#ifndef CASUS_EQ_PURE_H
#define CASUS_EQ_PURE_H

#include "game/eq_common.h"
#include "game/nfg.h"

enum casus_pure_mode {
    CASUS_PURE_REDUCED, /* Nash of the reduced strategic form */
    CASUS_PURE_AGENT,   /* Nash of the agent form */
    CASUS_PURE_SPE      /* subgame-perfect, by decomposition */
};

/* d and lim may be NULL.  out must be initialised for g (niset, nplayers). */
CASUS_INTERNAL casus_status casus_eq_pure(const struct casus_gtree *g, const struct casus_alloc *a,
                                          const struct casus_gtree_limits *lim,
                                          enum casus_pure_mode mode, struct casus_diags *d,
                                          struct casus_pure_set *out);

/* Pure Nash equilibria of a strategic game: out's "infosets" are the
 * players (choice[k * nplayers + p] = strategy of player p + 1).
 * CASUS_ELIMIT past lim->max_profiles cells, CASUS_ENOMEM. O(cells * sum of
 * strategy counts). */
CASUS_INTERNAL casus_status casus_eq_nfg_pure(const struct casus_nfg *g,
                                              const struct casus_gtree_limits *lim,
                                              struct casus_pure_set *out);

#endif
