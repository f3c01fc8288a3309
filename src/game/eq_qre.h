/*
 * eq_qre.h — agent logit quantal response equilibrium (AQRE) on games with
 * information sets: the principal branch traced from λ = 0 by a
 * predictor–corrector path follower, fixed-λ points on it, and the
 * corresponding trace for perfect-information games on the one-pass solver
 * of eq_logit.h.
 *
 * Unknowns are log-odds: at an information set I with actions a0..ak-1,
 * y_{I,j} = log σ_j − log σ_0 for j ≥ 1, so probabilities are a softmax and
 * stay strictly positive; the sum-to-one equations disappear.  The branch
 * is the solution set of
 *     F_{I,j}(y, λ) = y_{I,j} − λ (v_{I,j} − v_{I,0}) = 0,
 * where v_{I,a} is the expected payoff of action a to I's player,
 * conditional on reaching I with Bayes beliefs (uniform beliefs when I is
 * reached only through zero-probability chance moves, as in Gambit).  Reach
 * probabilities are kept in log space, so beliefs stay defined however small
 * the reach gets.  The Jacobian is exact (forward-mode derivatives) and
 * sparse: a column (an unknown of information set K) only touches the
 * nodes below K's members and their ancestors, and its non-zero rows are
 * the information sets met there — a pattern fixed by the tree, built once
 * (CSR).  Unknowns are numbered deepest information set first, and each
 * accepted step factors the bordered (m+1)×(m+1) system [J; tᵀ] once with a
 * sparse row-by-row LU (partial pivoting by columns; the fill stays among
 * ancestors) and reuses it for the tangent and the chord-Newton corrector,
 * with Allgower–Georg step control (maximum first correction, maximum
 * contraction; distances in the max-norm, so steps do not shrink with m).
 * Arclength parametrisation goes around turning points in λ (where Gambit
 * 17's tracer stalls, e.g. on 2x2x2.nfg).  Residuals are relative to the
 * terms they come from, |F_k| / (1 + |y_k| + λ (|v_a| + |v_0|)), so the
 * accuracy asked for at large λ is what doubles can give.
 *
 * Bifurcations (eq_qre_path.c): the sign of det [J; tᵀ] is constant along
 * a smooth branch, turning points included, and changes where another
 * branch crosses it (a simple bifurcation point, where J has a second null
 * vector; e.g. 2x2x2.nfg at λ ≈ 0.5968, where a symmetry breaks).  The sign
 * comes free with each step's LU; a change between two accepted points is
 * located by regula falsi on the determinant along the branch, the crossing
 * branch's direction is the null vector of [J; tᵀ] there (inverse
 * iteration), and its two halves are found by stepping off along ±that
 * vector and correcting in the hyperplane orthogonal to it.  Each one is
 * reported (casus_qre_bif_fn); the caller chooses which branch to follow
 * (default: stay on the branch being traced).  Bifurcations where the
 * determinant does not change sign (two eigenvalues crossing at once) are
 * not detected.
 *
 * Stopping rule: the largest conditional agent regret (over information
 * sets: best action value minus the current value, given beliefs) relative
 * to the payoff range falls below `tol` (Gambit's -m, default 1e-8); or λ
 * exceeds max_lambda, or max_steps are used up — then `reached` is false
 * and callers must not call the end point an equilibrium.
 *
 * Cost per step: O(nodes · depth) for the Jacobian plus the LU's flops on
 * its non-zeros (O(m · depth²) on trees like the crisis family; O(m³) at
 * worst), where m = Σ_I (|A(I)| − 1).  Memory: the pattern (O(m · depth)
 * on such trees, O(m²) at worst) and the LU pools.  Deterministic: fixed
 * start (the centroid at λ = 0), fixed loop orders, no reassociation.
 *
 * Ownership: struct casus_qre_ws is caller-owned (casus_qre_ws_init /
 * _release) and holds every buffer; tracing allocates only when the LU
 * pools must grow (engine allocator; kept for later steps).  The game
 * must outlive the workspace and have perfect recall.
 */
#ifndef CASUS_EQ_QRE_H
#define CASUS_EQ_QRE_H

#include "base/diag.h"
#include "game/eq_logit.h"
#include "game/gtree.h"

/* A sparse LU factorisation (eq_qre.c): row i of L holds multipliers
 * lv[] for the pivot rows lk[] in [loff[i], loff[i+1]); row i of U holds the
 * pivot piv[i] at column pc[i] and the entries uv[] at columns uj[] in
 * [uoff[i], uoff[i+1]).  Each pool is one block (values, then indices:
 * lk and uj point into the lv and uv blocks); it grows (engine allocator)
 * when a factorisation needs more room and is kept for the next one. */
struct casus_qre_lu {
    uint32_t *pc;        /* n: pivot column of row i */
    double *piv;         /* n: pivot value */
    size_t *loff, *uoff; /* n+1 each: row starts in the pools */
    uint32_t *lk, *uj;   /* pools: pivot rows of L, columns of U */
    double *lv, *uv;     /* pools: their values */
    size_t lcap, ucap;   /* pool capacities (entries) */
};

struct casus_qre_ws {
    struct casus_arena arena; /* owns every array below but the LU pools */
    const struct casus_gtree *g;
    uint32_t m;                       /* unknowns (log-odds) */
    uint32_t *var0;                   /* niset: first unknown of the infoset, or CASUS_NONE */
    uint32_t *var_iset;               /* m: infoset of each unknown */
    uint32_t *inact;                  /* nnodes: action on the edge into the node (root: NONE) */
    double *logp, *p;                 /* nact: log-probabilities and probabilities */
    double *logr;                     /* nnodes: log reach probability */
    double *mu;                       /* nnodes: belief of a node within its infoset */
    double *V;                        /* nnodes * np: subtree values, own outcome included */
    double *av;                       /* nact: conditional action values for the mover */
    double *dlogp, *dlogr, *dV, *dav; /* derivative scratch (same shapes) */
    const struct casus_alloc *alloc;  /* for the LU pools */
    size_t *jrow;                     /* m+1: row starts of the Jacobian pattern (CSR) */
    uint32_t *jcol;                   /* nnz: its columns, increasing within a row */
    double *jv;                       /* nnz: Jacobian values by y */
    double *jl;                       /* m: Jacobian column by λ */
    uint32_t *jcur;                   /* m: fill cursor per row */
    struct casus_qre_lu luB, luA;     /* LU of [J(u); tᵀ] (tangent, chord), Newton's */
    uint32_t *pos, *seen, *cand;      /* m+1 each: LU scratch (pivot row of a column, ...) */
    uint32_t ncand;                   /* entries in cand */
    uint64_t *todo;                   /* ⌈(m+1)/64⌉: pivot rows due in the current row */
    double *wrow;                     /* m+1: dense work row, zero between rows */
    uint32_t *mark, *touched;         /* niset each: rows met by a Jacobian column */
    uint32_t stamp;                   /* current mark value */
    bool oom;                         /* an LU pool could not grow */
    double *u, *v, *t, *w, *F, *u0;   /* m+1 each: points, tangent, scratch */
    double *lw;                       /* m+1: LU solve scratch */
    double *ua, *ta, *ub, *xb, *z;    /* m+1 each: the step across a bifurcation, null vector */
    double *bprob;                    /* 4 * nact: profiles of a bifurcation report */
    double range;                     /* payoff range (1 when all equal) */
};

/* Size a workspace for g and build the Jacobian's pattern.  CASUS_ENOMEM;
 * CASUS_ELIMIT when there would be more than max_unknowns unknowns.
 * O(nodes · depth + pattern). */
CASUS_INTERNAL casus_status casus_qre_ws_init(struct casus_qre_ws *q, const struct casus_alloc *a,
                                              const struct casus_gtree *g, uint32_t max_unknowns);
CASUS_INTERNAL void casus_qre_ws_release(struct casus_qre_ws *q);

/* Called at every accepted point of a trace (λ = 0 first).  prob holds nact
 * behaviour probabilities (chance included), regret the relative
 * conditional agent regret.  Returning false stops the trace (reported as
 * not reached). */
typedef bool (*casus_qre_point_fn)(void *ud, double lambda, const double *prob, double regret);

/* A bifurcation met by casus_qre_trace.  Branches through the point:
 * 0 is the branch being traced (continued past the point), 1 and 2 the two
 * halves of the crossing branch (stepping off along +z and −z, z the null
 * vector of [J; tᵀ] with its largest component positive).  prob arrays
 * hold nact behaviour probabilities (chance included) and are valid during
 * the callback only. */
struct casus_qre_bif {
    uint32_t index;         /* 0-based, in the order met */
    double lambda;          /* λ at the point */
    const double *prob;     /* the profile at the point */
    uint32_t nbranch;       /* 3, or 1 when the crossing branch was not found */
    uint32_t taken;         /* the branch followed from here */
    double blambda[3];      /* λ a short way along each branch */
    const double *bprob[3]; /* the profile there */
};

/* Called at every bifurcation; returning false stops the trace.  Without a
 * callback and branch choices, bifurcations are only counted (nbif), not
 * located: the trace costs what it did before they were detected. */
typedef bool (*casus_qre_bif_fn)(void *ud, const struct casus_qre_bif *b);

struct casus_qre_opts {
    double tol;            /* relative agent regret that ends the trace (1e-8) */
    double lambda_stop;    /* >= 0: stop exactly at this λ (first crossing) */
    double max_lambda;     /* give up beyond (1e12) */
    uint32_t max_steps;    /* give up after (100000) */
    double step0;          /* first arclength step (0.03, Gambit's -s) */
    double max_decel;      /* step growth bound per accepted step (2) */
    casus_qre_point_fn fn; /* may be NULL */
    void *ud;
    casus_qre_bif_fn on_bif; /* may be NULL; gets ud */
    const uint32_t *branch;  /* branch[k]: the branch to follow at bifurcation k */
    uint32_t nbranch;        /* entries in branch (0 further on) */
};
#define CASUS_QRE_OPTS_INIT                                                                        \
    {                                                                                              \
        1e-8, -1.0, 1e12, 100000u, 0.03, 2.0, NULL, NULL, NULL, NULL, 0                            \
    }

struct casus_qre_result {
    double lambda;     /* λ of the end point */
    double regret;     /* its relative conditional agent regret */
    uint32_t steps;    /* accepted steps */
    uint32_t rejected; /* rejected steps */
    uint32_t jumps;    /* steps across singular points */
    uint32_t nbif;     /* bifurcations met */
    bool reached;      /* the stopping rule (or lambda_stop) was met */
    uint32_t iters;    /* Newton iterations of a failed fixed-λ landing */
    double residual;   /* its final residual (max |F|) */
};

/* Trace the principal branch (and at bifurcations the branches o->branch
 * asks for).  prob (nact doubles) receives the end point; afterwards q->mu
 * holds its beliefs (from log reach probabilities, so defined however small
 * the reach).  Errors: CASUS_ENOCONV (with a diagnostic when d != NULL)
 * when the path cannot be followed (the step size underflows, a singular
 * Jacobian) or a fixed-λ landing does not converge — the diagnostic gives
 * λ, the Newton iteration count and the residual; CASUS_EINVAL (with a
 * diagnostic) when o->branch asks for a crossing branch that could not be
 * found; CASUS_OK otherwise, with res->reached saying whether the stopping
 * rule was met. */
CASUS_INTERNAL casus_status casus_qre_trace(struct casus_qre_ws *q, const struct casus_qre_opts *o,
                                            struct casus_diags *d, double *prob,
                                            struct casus_qre_result *res);

/* Newton at fixed λ from the log-odds y (m doubles, updated in place).
 * Returns true when the relative residual is <= 1e-12 (1e-9 when
 * Newton stagnates at the rounding floor), residuals relative as above;
 * *iters and *residual report the work done.  Full Newton, sparse LU. */
CASUS_INTERNAL bool casus_qre_newton(struct casus_qre_ws *q, double lambda, double *y,
                                     uint32_t *iters, double *residual);

/* Behaviour probabilities (nact) of the log-odds y. */
CASUS_INTERNAL void casus_qre_profile(struct casus_qre_ws *q, const double *y, double *prob);

/* ---- the kernel under the path follower (eq_qre.c) ------------------ */

/* F at (y, λ) into F (m); also leaves probabilities, beliefs, values and
 * action values current.  O(nodes · players). */
CASUS_INTERNAL void casus_qre_residual(struct casus_qre_ws *q, const double *y, double lambda,
                                       double *F);
/* Relative conditional agent regret at the current evaluation. */
CASUS_INTERNAL double casus_qre_agent_regret(const struct casus_qre_ws *q);
/* Largest residual relative to the terms it comes from (see eq_qre.c),
 * right after casus_qre_residual. */
CASUS_INTERNAL double casus_qre_resid_rel(const struct casus_qre_ws *q, const double *F,
                                          const double *y, double lambda);
/* The Jacobian at the current evaluation into q->jv / q->jl. */
CASUS_INTERNAL void casus_qre_jacobian(struct casus_qre_ws *q, double lambda);
/* Factor the Jacobian (bordered by the row t: order m + 1; else m) into f,
 * growing its pools.  False when singular or out of memory (q->oom). */
CASUS_INTERNAL bool casus_qre_factor(struct casus_qre_ws *q, bool bordered, const double *t,
                                     struct casus_qre_lu *f);
/* Solve with the factors f of order n; b is overwritten by x, w is n
 * doubles of scratch. */
CASUS_INTERNAL void casus_qre_lu_solve(const struct casus_qre_lu *f, uint32_t n, double *b,
                                       double *w);
/* log |det| of the matrix f factors (order n), its sign into *sign.  Uses
 * q->seen as scratch.  O(n). */
CASUS_INTERNAL double casus_qre_lu_logdet(struct casus_qre_ws *q, const struct casus_qre_lu *f,
                                          uint32_t n, int *sign);

/* The same trace for a perfect-information game on the one-pass solver:
 * λ grows from 0 with geometric steps (h doubles up to ×2 per point, starting
 * at o->step0) and each point is exact.  pg must come from
 * casus_pitree_from_game(g); val is n * np scratch; prob receives the end
 * point as a behaviour profile of g.  Only o->tol, lambda_stop, max_lambda,
 * max_steps, step0, fn and ud are used.  O(points · nodes). */
CASUS_INTERNAL casus_status casus_qre_trace_pi(struct casus_pitree_game *pg,
                                               const struct casus_gtree *g, double *val,
                                               const struct casus_qre_opts *o, double *prob,
                                               struct casus_qre_result *res);

/* The tree behind a public casus_game handle (solve.c): the .efg tree or
 * an .nfg's tree form (NULL when that was too large).  For tests. */
struct casus_game;
CASUS_INTERNAL const struct casus_gtree *casus_game_tree(const struct casus_game *g);

#endif
