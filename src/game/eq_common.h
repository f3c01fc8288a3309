/*
 * eq_common.h — profile evaluation shared by the equilibrium solvers
 * (eq_pure.c, eq_spe.c, eq_logit.c): expected payoffs, best responses and
 * regrets of behaviour profiles, on the whole game or on a truncated
 * subgame whose child subgames are replaced by fixed payoff vectors.
 *
 * A behaviour profile is an array of nact doubles indexed like game->act
 * (chance actions hold the chance probabilities; casus_gtree_uniform_profile
 * makes one).  Best responses use the sequence decomposition, which is
 * exact for games with perfect recall; callers must check
 * game->perfect_recall first.
 *
 * Ownership: a struct casus_eq_ws is a caller-owned workspace sized for one
 * game (casus_eq_ws_init / _release); evaluation functions allocate nothing.
 * A workspace is not shared between threads.
 */
#ifndef CASUS_EQ_COMMON_H
#define CASUS_EQ_COMMON_H

#include "base/diag.h"
#include "game/gtree.h"

/* A (truncated) subgame: the nodes of root's subtree in preorder, minus the
 * strict subtrees of nodes flagged in ws->cut (those stay as leaves whose
 * value is ws->cutval). */
struct casus_eq_sub {
    uint32_t root;
    uint32_t *node; /* active nodes, preorder (storage owned by the ws) */
    uint32_t n;
};

struct casus_eq_ws {
    struct casus_arena arena; /* owns everything below */
    const struct casus_gtree *g;
    double *w;         /* nnodes: reach weights */
    double *val;       /* nnodes * nplayers: node values */
    uint32_t *seq;     /* nnodes: last own action above a node */
    double *q;         /* nact: sequence values */
    uint8_t *cut;      /* nnodes: 1 = leaf with value cutval */
    double *cutval;    /* nnodes * nplayers */
    uint8_t *iset_on;  /* niset: infoset meets the current subgame */
    uint32_t *nodebuf; /* nnodes: storage for casus_eq_sub.node */
    bool *flag;        /* nnodes: scratch flags (subgame roots) */
    double *u;         /* nplayers: scratch payoff vector */
};

/* Size a workspace for g (which must outlive it).  CASUS_ENOMEM. O(n). */
CASUS_INTERNAL casus_status casus_eq_ws_init(struct casus_eq_ws *ws, const struct casus_alloc *a,
                                             const struct casus_gtree *g);
CASUS_INTERNAL void casus_eq_ws_release(struct casus_eq_ws *ws);

/* Collect the active nodes of the subgame at root (honouring ws->cut) and
 * mark its infosets in ws->iset_on.  O(subgame size). */
CASUS_INTERNAL void casus_eq_sub_build(struct casus_eq_ws *ws, uint32_t root,
                                       struct casus_eq_sub *sub);

/* Expected payoff vector u[nplayers] of prob on the subgame (outcomes at and
 * below sub->root; cut leaves count their cutval).  O(subgame). */
CASUS_INTERNAL void casus_eq_payoff(struct casus_eq_ws *ws, const struct casus_eq_sub *sub,
                                    const double *prob, double *u);

/* Best-response value of player (1-based) against prob on the subgame.
 * Requires perfect recall.  If br is not NULL, br[iset] receives the chosen
 * action (local index) at each of the player's infosets in the subgame.
 * O(subgame + actions). */
CASUS_INTERNAL double casus_eq_best_response(struct casus_eq_ws *ws, const struct casus_eq_sub *sub,
                                             const double *prob, uint32_t player, int32_t *br);

/* Node values: ws->val[n * np + i] = expected payoff to i of the outcomes at
 * and below n under prob (cut leaves: cutval).  O(subgame). */
CASUS_INTERNAL void casus_eq_values(struct casus_eq_ws *ws, const struct casus_eq_sub *sub,
                                    const double *prob);

/* Regrets of prob on the subgame: *nash = max over players of (best
 * response - payoff); *agent = max over infosets I and actions b of the
 * gain, to I's player, of switching I alone to b (weighted by the
 * probability of reaching I).  Either pointer may be NULL. */
CASUS_INTERNAL void casus_eq_regret(struct casus_eq_ws *ws, const struct casus_eq_sub *sub,
                                    const double *prob, double *nash, double *agent);

/* Regret of prob in every proper subgame and the game itself: the largest
 * Nash regret found.  Requires perfect recall.  O(n * subgame depth). */
CASUS_INTERNAL double casus_eq_subgame_regret(struct casus_eq_ws *ws, const double *prob);

/* Sequential regret of prob given beliefs mu: the largest gain, over
 * personal information sets I, to I's player from switching to the best
 * continuation strategy from I on, conditional on reaching I with the
 * beliefs mu (mu[h] for each member h of I, summing to 1 over I; NULL:
 * uniform, which is exact when every information set is a single node),
 * while every other information set keeps prob.  0 exactly when prob is
 * sequentially rational under mu.  With beliefs taken from a full-support
 * profile (a logit point), information sets reached with vanishing
 * probability still count, which Nash regret ignores.  *where (may be
 * NULL) receives the information set of the largest gain (CASUS_NONE when
 * there is none).  Requires perfect recall.  Uses ws->w, val, seq and flag.
 * O(nodes · players). */
CASUS_INTERNAL double casus_eq_seq_regret(struct casus_eq_ws *ws, const double *prob,
                                          const double *mu, uint32_t *where);

/* A list of pure profiles: choice[k * niset + s] is the local action chosen
 * at infoset s in profile k, or -1 where the profile leaves it open (an
 * infoset its own player's earlier choices rule out), and value[k * np + i]
 * the payoff vector.  Arena-owned by the set. */
struct casus_pure_set {
    struct casus_arena arena;
    uint32_t niset, nplayers;
    uint32_t n, cap;
    int32_t *choice;
    double *value;
};

CASUS_INTERNAL void casus_pure_set_init(struct casus_pure_set *s, const struct casus_alloc *a,
                                        uint32_t niset, uint32_t nplayers);
CASUS_INTERNAL void casus_pure_set_release(struct casus_pure_set *s);
CASUS_INTERNAL casus_status casus_pure_set_add(struct casus_pure_set *s, const int32_t *choice,
                                               const double *value);

/* Expand a pure profile to a behaviour profile (0/1, and 0 at open
 * infosets; chance actions keep their probabilities). */
CASUS_INTERNAL void casus_pure_to_behav(const struct casus_gtree *g, const int32_t *choice,
                                        double *prob);

#endif
