/*
 * eq_lcp.h — Nash equilibria of two-player games by complementary pivoting,
 * with an exact (rational) certificate for every profile returned.
 *
 *   - Extensive games (.efg): Lemke's algorithm on the sequence form of
 *     Koller, Megiddo and von Stengel (1996).  The LCP has one variable per
 *     sequence and one per information-set constraint, so its size is linear
 *     in the tree, not exponential like the strategic form.  With spe set,
 *     the game is solved subgame by subgame, deepest first, each child
 *     subgame replaced by the payoffs of its solution (what Gambit 16.4's
 *     `gambit-lcp -P` did), which gives a subgame-perfect equilibrium.
 *   - Strategic games (.nfg, two players): Lemke–Howson from every missing
 *     label, started from the artificial equilibrium and again from every
 *     new equilibrium found (Gambit's `gambit-lcp` on tables), so the
 *     result is every equilibrium connected to the artificial one by
 *     Lemke–Howson paths — all 75 of von Stengel's 6x6 game.
 *
 * Pivoting runs in double precision with the lexicographic minimum-ratio
 * rule (so degenerate games cannot cycle and the result is deterministic),
 * by one of two methods:
 *   - a dense dictionary (every .nfg; .efg LCPs up to opts->dense_dim,
 *     default 200, where it is the faster), with q perturbed by 1e-6, then
 *     1e-9, then not at all;
 *   - for larger sequence forms, the revised method: M stays sparse, the
 *     basis B is held as a sparse Markowitz LU (lu_sparse.h) with eta
 *     updates, refactored every <= 100 pivots, and each pivot computes only
 *     B^-1 of the entering column (ftran); the perturbation of q is
 *     symbolic (an infinitesimal random direction, the ratio test's second
 *     key) and remaining ties use rows of B^-1 computed on demand (btran).
 * The final basis is then re-solved exactly with GMP rationals from the
 * game's exact numbers (struct casus_num), checked to be a feasible
 * complementary solution, and the resulting profile is checked
 * on the game tree itself: its exact Nash regret (and with spe, its regret
 * in every subgame) must be zero.  A profile that fails is never returned
 * as an equilibrium.
 *
 * Ownership: the caller owns a struct casus_lcp_ws (scratch memory reused
 * across calls: the dense dictionary, which grows to the largest dense LCP
 * seen and is the only O(n^2) memory, and the sparse LU) and a struct
 * casus_lcp_result (the profiles, in its arena).  Library memory goes
 * through the engine allocator; GMP's limbs go through GMP's own
 * allocator, since redirecting it
 * (mp_set_memory_functions) would be process-global state.  The game is
 * borrowed and never modified.  Nothing prints.
 *
 * Errors (a diagnostic on d when d is not NULL):
 *   CASUS_EINVAL  not two players, or imperfect recall ("lcp-players",
 *                 "imperfect-recall");
 *   CASUS_ELIMIT  the LCP is larger than opts->max_dim (a table's dense
 *                 dictionary: opts->max_dense_dim) ("game-too-large"),
 *                 or a pivot limit was hit ("lcp-no-convergence", with the
 *                 pivot count and the residual);
 *   CASUS_ESTATE  pivoting ended on a ray or the exact certificate failed
 *                 ("lcp-ray", "lcp-unverified") — a numerical failure, not
 *                 an input error;
 *   CASUS_ENOMEM.
 * res->outcome says which, and res->pivots / res->residual are filled in
 * on every return.
 *
 * Complexity, n the LCP dimension (sequences + information sets + 2):
 *   - dense: a pivot O(n * nnz of the pivot row), memory 8 n^2 bytes;
 *   - sparse revised: a pivot O(n + nnz(L, U) + nnz(etas)) — the entering
 *     columns B^-1 a of the sequence form are dense (about 2/3 of n on the
 *     crisis family), so in practice O(n) times a small factor — plus a
 *     factorisation, O(n + nnz) here, every <= 100 pivots; memory O(n +
 *     nnz(M)) plus the factors and etas (at most 3x the factors' nonzeros).
 *     Measured (crisis family, exact step included, 2-core machine): T4
 *     (dimension 769) 13 ms, T5 (3,073; 3,205 pivots) 0.3 s and 11 MB
 *     peak RSS, T6 (12,289; 28,325 pivots) ~15 s and 35 MB.
 * The exact step is a sparse rational elimination on the basis, typically
 * far cheaper than the float pivoting.
 */
#ifndef CASUS_EQ_LCP_H
#define CASUS_EQ_LCP_H

#include "base/diag.h"
#include "game/gtree.h"
#include "game/lu_sparse.h"
#include "game/nfg.h"

struct casus_lcp_opts {
    bool spe;               /* efg: solve subgame by subgame (subgame perfect) */
    uint32_t max_dim;       /* largest LCP dimension, any method */
    uint32_t dense_dim;     /* efg: LCPs up to this dimension pivot on the dense
                               dictionary (faster there), larger ones on the sparse
                               revised method; 0 = always sparse */
    uint32_t max_dense_dim; /* largest dense dictionary (8 n^2 bytes): nfg always,
                               efg up to dense_dim */
    uint64_t max_pivots;    /* per LCP / Lemke-Howson path; 0 = 50 n + 1000 */
    uint32_t max_profiles;  /* nfg: stop after this many equilibria */
};
#define CASUS_LCP_OPTS_INIT                                                                        \
    {                                                                                              \
        false, 100000u, 200u, 6000u, 0u, 100000u                                                   \
    }

enum casus_lcp_outcome {
    CASUS_LCP_SOLVED = 0,    /* every profile exactly verified */
    CASUS_LCP_REFUSED,       /* not two players / imperfect recall / empty */
    CASUS_LCP_TOO_LARGE,     /* dimension above opts->max_dim */
    CASUS_LCP_PIVOT_LIMIT,   /* opts->max_pivots reached */
    CASUS_LCP_RAY,           /* secondary ray (numerical breakdown) */
    CASUS_LCP_UNVERIFIED,    /* the exact certificate failed */
    CASUS_LCP_PROFILE_LIMIT, /* nfg: opts->max_profiles reached (result kept) */
    CASUS_LCP_NOMEM
};

/* Scratch memory for the solver: reusable across calls and games; not
 * shared between threads. */
struct casus_lcp_ws {
    struct casus_alloc alloc;
    double *tab;        /* dense dictionary, tab_cap doubles */
    size_t tab_cap;     /* grows to the largest game solved */
    struct casus_lu lu; /* sparse LU of the basis (revised method) */
};

CASUS_INTERNAL void casus_lcp_ws_init(struct casus_lcp_ws *ws, const struct casus_alloc *a);
CASUS_INTERNAL void casus_lcp_ws_release(struct casus_lcp_ws *ws);

/* Profiles found.  For an .efg game a profile is a behaviour profile in
 * Gambit's order (game->act[pact0 .. nact)); for an .nfg game, player 1's
 * mixed strategy then player 2's.  Strings are canonical rationals as
 * Gambit prints them ("0", "1", "3/7", "-2"). */
struct casus_lcp_result {
    struct casus_arena arena;  /* owns everything below */
    uint32_t len;              /* probabilities per profile */
    uint32_t n, cap;           /* profiles */
    double *prob;              /* n * len */
    const char **exact;        /* n * len rationals */
    double *payoff;            /* n * 2 expected payoffs */
    const char **exact_payoff; /* n * 2 */
    enum casus_lcp_outcome outcome;
    uint64_t pivots;  /* all pivots of all LCPs / paths */
    uint32_t nlcp;    /* LCPs (subgames) or Lemke-Howson paths solved */
    uint32_t max_dim; /* largest LCP dimension met */
    double residual;  /* largest float residual (infeasibility and
                         complementarity) before the exact step */
};

CASUS_INTERNAL void casus_lcp_result_init(struct casus_lcp_result *r, const struct casus_alloc *a);
CASUS_INTERNAL void casus_lcp_result_release(struct casus_lcp_result *r);

/* One Nash equilibrium of a two-player extensive game with perfect recall
 * (subgame perfect with opts->spe).  opts NULL = CASUS_LCP_OPTS_INIT; d may
 * be NULL.  res must be initialised and empty; on success res->n == 1. */
CASUS_INTERNAL casus_status casus_eq_lcp(const struct casus_gtree *g,
                                         const struct casus_lcp_opts *opts, struct casus_lcp_ws *ws,
                                         struct casus_diags *d, struct casus_lcp_result *res);

/* Every equilibrium of a two-player strategic game reachable by
 * Lemke-Howson paths from the artificial equilibrium, in order of discovery
 * (depth first, labels in order: player 1's strategies, then player 2's).
 * Distinct by exact value.  CASUS_ELIMIT with the profiles found so far
 * when opts->max_profiles is reached. */
CASUS_INTERNAL casus_status casus_eq_lcp_nfg(const struct casus_nfg *g,
                                             const struct casus_lcp_opts *opts,
                                             struct casus_lcp_ws *ws, struct casus_diags *d,
                                             struct casus_lcp_result *res);

#endif
