/*
 * eq_spe.h — backward induction on perfect-information games (chance
 * allowed): the subgame-perfect equilibrium in one reverse-preorder pass.
 * At each decision node the mover picks the action with the highest value
 * to them; ties go to the first such action (so the result is
 * deterministic; eq_pure's CASUS_PURE_SPE mode lists every pure SPE).
 * Outcomes on inner nodes add up along the path, as everywhere.
 *
 * Ownership: no allocation; the caller provides the value scratch.
 */
#ifndef CASUS_EQ_SPE_H
#define CASUS_EQ_SPE_H

#include "base/diag.h"
#include "game/gtree.h"

/* val: nnodes * nplayers doubles (out: node values, outcome of the node
 * included); choice: niset ints (out: chosen local action per personal
 * infoset, -1 for chance); prob: nact doubles or NULL (out: the behaviour
 * profile).  CASUS_EINVAL (with a diagnostic when d != NULL) unless the game
 * has perfect information.  O(nodes). */
CASUS_INTERNAL casus_status casus_eq_backward(const struct casus_gtree *g, struct casus_diags *d,
                                              double *val, int32_t *choice, double *prob);

#endif
