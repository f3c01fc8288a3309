/*
 * scen.h — a scenario's game compiled for one policy, and its solution for
 * one parameter draw: the inner loop of `casus run`.
 *
 * Compiling expands the node graph from the policy's start into a tree (a
 * node reached twice becomes two subtrees; `if` nodes vanish into the
 * branch the treaty engine chose) laid out breadth-first for the one-pass
 * logit solver (eq_logit.h).  Every distinct expression of the graph — a
 * probability, a payoff, a council member's payoff, λ — becomes one slot of
 * a small postfix program; a draw evaluates the slots once, computes each
 * council's agreement probability in closed form, gathers them into the
 * tree, solves, and pushes reach probabilities down to the leaves.  Nothing
 * in the per-draw path allocates: the caller owns a workspace per thread.
 *
 * Councils (never expanded into 2^n leaves): member i of group g accepts
 * with probability σ(λ (accept_g − reject_g) / (scale width)).
 *   consensus, unanimity: P(agree) = Π_g p_g^{n_g};
 *   majority, two-thirds: the upper tail of the Poisson-binomial count of
 *     acceptances (dynamic programming over members, O(n²));
 *   each-party: "agree" is at least one party acting; the expected number
 *     of parties acting is reported with the draw;
 *   silence: the proposal passes unless some member objects, objecting
 *     with probability 1 − p_i — consensus arithmetic whatever the rule;
 *   pivotal: p_i = σ(λ · P(i is pivotal) · Δ_i / width), the agent-QRE fixed
 *     point of the rule's pivot probabilities, found from three starts
 *     (everyone accepting with 0.02, 0.5, 0.98); the draw uses the fixed
 *     point reached from 0.5 and reports how many distinct ones it found.
 */
#ifndef CASUS_SCEN_H
#define CASUS_SCEN_H

#include "game/eq_logit.h"
#include "model/model.h"

/* A postfix instruction. */
#define CASUS_SCEN_LOAD 100u /* push the value of an earlier slot */
struct casus_scen_op {
    uint32_t op; /* CASUS_CX_CONST, _PARAM, _NEG, _ADD, _SUB, _MUL, _DIV, CASUS_SCEN_LOAD */
    uint32_t i;  /* parameter index, or slot index for a load */
    double k;    /* constant */
};

struct casus_scen_council {
    uint32_t gnode;      /* graph node */
    uint32_t g0, ngroup; /* its groups: slots accept[g0 + j], reject[g0 + j] */
};

struct casus_scen {
    const struct casus_mscenario *s;
    uint32_t policy;
    struct casus_alloc alloc; /* for per-draw games (information sets) */
    struct casus_arena arena; /* owns everything below */
    /* the tree */
    struct casus_pitree t; /* pay is NULL: each workspace has its own;
                              t.np = ndec (at least 1) */
    uint32_t nact;         /* the scenario's actors */
    uint32_t ndec, *dec;   /* actors who decide in this tree; the backward
                              pass carries only their payoffs (player j + 1
                              of t is actor dec[j]) */
    uint32_t *out_of;      /* per graph node: index among out_node, or NONE */
    uint8_t *if_used;      /* per graph node: an `if` this tree passed through */
    uint32_t *gnode;       /* n: graph node of each tree node */
    uint32_t *parent;      /* n: parent tree node (CASUS_NONE for the root) */
    uint32_t *branch;      /* n: branch taken at the parent */
    uint32_t *src;         /* n: where the edge probability comes from:
                              CASUS_NONE (a decision), or an index into the
                              per-draw value vector gv (slots, then councils
                              agree/block) */
    uint32_t nleaves;
    uint32_t *leaf;      /* nleaves tree nodes, BFS order */
    uint32_t *leaf_rung; /* nleaves rung indices */
    uint32_t *leaf_pay;  /* nleaves * np slots */
    uint32_t *leaf_out;  /* nleaves: index of its outcome among out_node */
    uint32_t nout;       /* outcomes the tree reaches */
    uint32_t *out_node;  /* nout graph nodes */
    uint32_t *out_pay;   /* nout * np slots */
    /* slots: distinct expressions, evaluated once per draw */
    uint32_t nslots;
    uint32_t *off; /* nslots + 1: slot k's program is code[off[k]..off[k+1]) */
    struct casus_scen_op *code;
    const struct casus_cx **slot_cx; /* nslots: for messages */
    uint32_t lambda_slot;            /* CASUS_NONE when s->lambda is NULL */
    uint32_t nvary, *vary;           /* slots that read parameters (the rest are
                                        constants, folded at compile time) */
    uint32_t ndep, *dep;             /* those reading a parameter the policy
                                        overrides */
    uint32_t nprob;                  /* probability slots: checked per draw */
    uint32_t *prob_slot;
    uint32_t *prob_node; /* their graph nodes */
    /* councils */
    uint32_t ncouncil;
    struct casus_scen_council *council;
    uint32_t *grp_accept, *grp_reject, *grp_size; /* per group (all councils) */
    uint32_t ngroups, max_members;
    uint32_t ngv;   /* nslots + 2 * ncouncil */
    bool info_sets; /* some decision observes only part of the history */
};

/* Per-thread scratch for casus_scen_solve. */
struct casus_scen_ws {
    double *gv;     /* ngv */
    double *prob;   /* n */
    double *val;    /* n * np */
    double *pay;    /* n * np (leaves filled per draw, the rest 0) */
    double *reach;  /* n */
    double *pb;     /* Poisson-binomial scratch: max_members + 2 */
    double *resp;   /* ncouncil: expected parties acting (each-party) */
    double *pmf;    /* ncouncil * (max_members + 1): P(k parties act), for
                       each-party councils */
    uint32_t *nfix; /* ncouncil: fixed points found (pivotal), else 1 */
    double *norm;   /* nout * nact: normalised payoffs of the draw */
    bool *from_val; /* nact: scratch of casus_scen_finish */
    double lambda;  /* the draw's precision (after casus_scen_eval) */
    struct casus_pitree t;
};

/* What one draw produced. */
struct casus_scen_out {
    double *rung;      /* nrungs of the scenario's ladder: P(outcome on rung) */
    double *threshold; /* nthresholds: P(crossing) */
    double *payoff;    /* nact expected payoffs, on the scenario's scale (NULL:
                          not wanted, e.g. for a threshold's sensitivity) */
};

/* Compile scenario s under policy p.  CASUS_ELIMIT (diagnostic on d when
 * not NULL) when the expanded tree would exceed max_nodes; CASUS_ENOMEM.
 * Games with information sets compile too (info_sets is set); their
 * draws are solved by casus_scen_solve_isets. */
CASUS_INTERNAL casus_status casus_scen_compile(struct casus_scen *sc, const struct casus_alloc *a,
                                               const struct casus_mscenario *s, uint32_t p,
                                               uint32_t max_nodes, struct casus_diags *d);
CASUS_INTERNAL void casus_scen_release(struct casus_scen *sc);

/* Workspace for sc, in arena a (the caller's, per thread). */
CASUS_INTERNAL casus_status casus_scen_ws_init(struct casus_scen_ws *w, struct casus_arena *a,
                                               const struct casus_scen *sc);

/* Why a draw failed. */
struct casus_scen_fail {
    uint32_t gnode; /* node whose probability left [0, 1] or did not sum to 1 */
    double value;
};

/* Solve one draw: params are the parameter values (NULL: w->gv already
 * holds every slot, see casus_scen_slots); lambda is used when
 * lambda_override is NaN-free (pass NAN to use the scenario's λ; INFINITY
 * for backward induction).  Fills w (gv, prob, val, reach) and out.
 * CASUS_EINVAL with *fail filled when a probability leaves [0, 1] (beyond
 * 1e-12), a chance node's branches do not sum to 1 (beyond 1e-9), a payoff
 * leaves the scale, or λ is negative or not a number.  O(slots + tree). */
CASUS_INTERNAL casus_status casus_scen_solve(const struct casus_scen *sc, const double *params,
                                             double lambda_override, struct casus_scen_ws *w,
                                             struct casus_scen_out *out,
                                             struct casus_scen_fail *fail);

/* The parts of casus_scen_solve, for callers that solve differently:
 * eval fills gv, λ, the chance and council edge probabilities and the
 * leaves' payoffs (normalised to [0, 1]) and checks them (errors as for
 * casus_scen_solve); finish pushes reach probabilities down the tree
 * (every edge probability set) and fills out. */
CASUS_INTERNAL casus_status casus_scen_eval(const struct casus_scen *sc, const double *params,
                                            double lambda_override, struct casus_scen_ws *w,
                                            struct casus_scen_fail *fail);
CASUS_INTERNAL void casus_scen_finish(const struct casus_scen *sc, struct casus_scen_ws *w,
                                      struct casus_scen_out *out);

/* After casus_scen_eval: the draw's game as a casus_game (scen_game.c),
 * payoffs on [0, 1]; tree_of (optional, one entry per game node) maps game
 * nodes (preorder) to tree nodes.  CASUS_ENOMEM, CASUS_ELIMIT. */
struct casus_gtree;
CASUS_INTERNAL casus_status casus_scen_to_game(const struct casus_scen *sc,
                                               const struct casus_scen_ws *w,
                                               const struct casus_alloc *a,
                                               struct casus_gtree **out, uint32_t *tree_of);

/* After casus_scen_eval, for games with information sets: the agent QRE
 * at w->lambda (λ = ∞: the end of the principal branch) traced from λ = 0,
 * written into w->prob.  CASUS_ENOCONV when the tracer fails or stops
 * short; allocates per call.  (scen_game.c) */
CASUS_INTERNAL casus_status casus_scen_solve_isets(const struct casus_scen *sc,
                                                   struct casus_scen_ws *w);

/* Evaluate the slots that read parameters (dep_only: only those reading
 * a parameter the policy overrides) into gv.  The slot table is the same
 * for every policy of a scenario, so a caller can evaluate it once per
 * draw and patch each policy's copy with dep_only. */
CASUS_INTERNAL void casus_scen_slots(const struct casus_scen *sc, const double *params, double *gv,
                                     bool dep_only);

/* Evaluate slot k for the given parameter values; gv holds the earlier
 * slots it may load. */
CASUS_INTERNAL double casus_scen_slot(const struct casus_scen *sc, uint32_t k, const double *params,
                                      const double *gv);

/* "russia: strike → sending: hawk → art5: block" for tree node v, into buf. */
CASUS_INTERNAL void casus_scen_path(const struct casus_scen *sc, uint32_t v, char *buf,
                                    size_t size);

#endif
