/*
 * eq_logit.h — agent logit quantal response at a fixed precision λ on
 * perfect-information trees: the Monte Carlo hot path.
 *
 * On a perfect-information tree the agent QRE is unique and is computed by
 * one backward pass: a node's value is its outcome plus the
 * probability-weighted values of its children, and at a decision node of
 * player i the choice probabilities are p_a ∝ exp(λ · V_i(child a)).  λ = 0
 * gives uniform play; λ → ∞ approaches backward induction.
 *
 * The solver works on a compact tree (struct casus_pitree) laid out in
 * breadth-first order, so each node's children are contiguous and the
 * reverse sweep streams through memory: per node 4 bytes of child offsets,
 * 1 byte of mover, np * 8 bytes of payoffs, 8 bytes of edge probability and
 * np * 8 bytes of value scratch — 45 bytes for two players.  The solver
 * allocates nothing: the caller owns the tree, the probability array and
 * the value workspace, and can re-solve with new payoffs (per parameter
 * draw) without touching the allocator.  Deterministic: a fixed loop order,
 * no reassociation (build with -ffp-contract=off, no -ffast-math).
 */
#ifndef CASUS_EQ_LOGIT_H
#define CASUS_EQ_LOGIT_H

#include "base/diag.h"
#include "game/gtree.h"

struct casus_pitree {
    uint32_t n;   /* nodes; node 0 is the root; BFS order */
    uint32_t np;  /* players */
    uint32_t *cs; /* n + 1 entries: the children of v are [cs[v], cs[v + 1]) */
    uint8_t *who; /* n: 0 = chance, 1..np = mover (ignored at leaves) */
    double *pay;  /* n * np: payoff of the outcome at v (0 when none) */
};

/* Solve at precision lambda (finite, >= 0).
 *   prob: n doubles, in/out — the probability of the edge into each node:
 *         entries under chance nodes are read, entries under decision
 *         nodes are written (prob[0] is not used);
 *   val:  n * np doubles of workspace; on return val[v * np + i] is the
 *         expected payoff to player i + 1 of the subtree at v (its own
 *         outcome included), so val[0..np) is the root value.
 * CASUS_EINVAL for a bad lambda.  No allocation; O(n + edges) time. */
CASUS_INTERNAL casus_status casus_logit_pi_solve(const struct casus_pitree *t, double lambda,
                                                 double *prob, double *val);

/* Backward induction on the same compact tree (the λ → ∞ limit): decision
 * edges get probability 1 for the mover's best child (first on ties) and 0
 * otherwise.  Same buffers and guarantees as casus_logit_pi_solve. */
CASUS_INTERNAL void casus_bi_pi_solve(const struct casus_pitree *t, double *prob, double *val);

/* A compact tree made from a game, with the map back to it. */
struct casus_pitree_game {
    struct casus_arena arena; /* owns the tree's arrays and the maps */
    struct casus_pitree t;
    double *prob;    /* n: edge probabilities (chance filled in) */
    uint32_t *gnode; /* n: game node of each tree node */
};

/* Build the compact tree of a perfect-information game g.  CASUS_EINVAL
 * (diagnostic when d != NULL) if g is not perfect information or has more
 * than 255 players; CASUS_ENOMEM.  O(nodes). */
CASUS_INTERNAL casus_status casus_pitree_from_game(struct casus_pitree_game *pg,
                                                   const struct casus_alloc *a,
                                                   const struct casus_gtree *g,
                                                   struct casus_diags *d);
CASUS_INTERNAL void casus_pitree_game_release(struct casus_pitree_game *pg);

/* Copy the solved edge probabilities into a behaviour profile of g
 * (behav: nact doubles, chance actions included). */
CASUS_INTERNAL void casus_pitree_to_behav(const struct casus_pitree_game *pg,
                                          const struct casus_gtree *g, double *behav);

#endif
