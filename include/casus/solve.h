/*
 * solve.h — games and equilibria: read Gambit .efg/.nfg files, write them
 * (and Graphviz DOT), and solve them — pure Nash (reduced strategic form,
 * agent form, subgame perfect), backward induction, and logit quantal
 * response (a fixed λ, or the principal branch traced from λ = 0).
 *
 * Conventions are those of casus.h: opaque handles, a casus_status from
 * every call, no printing.  Problems with a file (syntax, probabilities,
 * limits) and with a solve (imperfect recall, a game too large for the
 * method, a path that cannot be followed) are recorded as diagnostics on
 * the engine, rendered by casus_engine_render_diagnostics as
 * `file:line:col: error: msg` with the source line and a caret.
 *
 * Ownership: a casus_game is made by casus_game_open* and freed by
 * casus_game_close; a casus_solution by casus_game_solve and
 * casus_solution_free.  Both are independent of the engine once made, are
 * immutable, and may be read from several threads.  Pointers returned by
 * accessors are borrowed from the object and live as long as it does.
 *
 * Profile order is Gambit's: players in order; within a player,
 * information sets in order of their first node in preorder; within an
 * information set, actions in file order (chance excluded).  For .nfg games
 * a profile is each player's mixed strategy, strategies in file order.
 */
#ifndef CASUS_SOLVE_H
#define CASUS_SOLVE_H

#include "casus/casus.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct casus_game casus_game; /* an .efg tree or an .nfg table */

/* Hard limits for reading and solving (all must be > 0). */
typedef struct casus_game_limits {
    size_t max_bytes;      /* source text, default 256 MiB */
    uint32_t max_nodes;    /* tree nodes or table cells, default 2e7 */
    uint32_t max_players;  /* default 1000 */
    uint32_t max_actions;  /* per infoset / strategies per player, default 1e5 */
    uint64_t max_profiles; /* pure-profile enumeration budget, default 5e7 */
    uint32_t max_unknowns; /* logit tracer: Σ(actions − 1), dense, default 8192 */
} casus_game_limits;
#define CASUS_GAME_LIMITS_DEFAULT                                                                  \
    {                                                                                              \
        (size_t)256 << 20, 20000000u, 1000u, 100000u, 50000000u, 8192u                             \
    }

/* Parse a Gambit game (the format is sniffed: `EFG` or `NFG` first).  name
 * is used in diagnostics; text need not be NUL-terminated and is copied.
 * lim may be NULL.  Errors: CASUS_EINVAL malformed (error diagnostics with
 * carets), CASUS_ELIMIT, CASUS_ENOMEM.  Warnings (renormalised chance
 * probabilities) may be recorded on success.  O(len + nodes log nodes). */
CASUS_API casus_status casus_game_open(casus_engine *e, const char *name, const char *text,
                                       size_t len, const casus_game_limits *lim, casus_game **out);

/* The same from a file; CASUS_EIO (with a diagnostic) if it cannot be read. */
CASUS_API casus_status casus_game_open_file(casus_engine *e, const char *path,
                                            const casus_game_limits *lim, casus_game **out);

/* Free a game.  NULL is a no-op. */
CASUS_API void casus_game_close(casus_game *g);

typedef struct casus_game_info {
    bool strategic; /* read from an .nfg file */
    uint32_t nplayers;
    uint32_t nnodes;      /* tree nodes (an .nfg's tree form) */
    uint32_t ninfosets;   /* personal information sets */
    uint32_t profile_len; /* numbers in a profile (Gambit's line) */
    bool perfect_information, perfect_recall, has_chance;
    const char *title;
} casus_game_info;

CASUS_API void casus_game_get_info(const casus_game *g, casus_game_info *out);
/* Label of player i (0-based), or NULL. */
CASUS_API const char *casus_game_player(const casus_game *g, uint32_t i);

/* Writers append to out.  An .nfg game is written as .efg / DOT through its
 * tree form (player 1 moves first, each later player in one information
 * set).  Writing the strategic form of a tree is not supported yet:
 * CASUS_ESTATE.  CASUS_ENOMEM if the buffer failed. */
CASUS_API casus_status casus_game_write_efg(const casus_game *g, casus_buf *out);
CASUS_API casus_status casus_game_write_nfg(const casus_game *g, casus_buf *out);
CASUS_API casus_status casus_game_write_dot(const casus_game *g, casus_buf *out);

/* ---- solving ----------------------------------------------------- */

typedef enum casus_method {
    CASUS_METHOD_PURE,  /* pure Nash: reduced strategic form, .agent, .spe */
    CASUS_METHOD_SPE,   /* backward induction (perfect information), else
                           pure subgame-perfect equilibria by decomposition */
    CASUS_METHOD_LOGIT, /* agent logit QRE: fixed λ or the principal branch */
    CASUS_METHOD_LCP    /* two-player Nash by Lemke (when built in) */
} casus_method;

typedef struct casus_solve_opts {
    casus_method method;
    bool agent;                   /* pure: agent form (gambit-enumpure -A) */
    bool spe;                     /* pure: subgame perfect (16.4's -P) */
    double lambda;                /* logit: >= 0 fixed λ; < 0 trace to the end point */
    bool trace;                   /* logit: keep every path point, not only the end */
    double logit_tol;             /* logit stopping rule: relative conditional agent
                                     regret, default 1e-8 (Gambit's -m) */
    double regret_tol;            /* a profile is labelled an equilibrium only when its
                                     Nash regret / payoff range <= this, default 1e-6 */
    const casus_game_limits *lim; /* unused (the game's limits, given when it was
                                     opened, apply); kept for compatibility */
    const uint32_t *branch;       /* logit: branch[k] is the branch to follow at the k-th
                                     bifurcation met (0: on along the branch being traced,
                                     the default; 1, 2: the two halves of the crossing
                                     branch; see casus_bifurcation_info) */
    size_t nbranch;               /* entries in branch */
    size_t max_memory;            /* memory budget of the solve in bytes: working memory
                                     and the solution held at once; 0: half the machine's
                                     memory (casus_memory_budget_default) */
} casus_solve_opts;
#define CASUS_SOLVE_OPTS_INIT                                                                      \
    {                                                                                              \
        CASUS_METHOD_PURE, false, false, -1.0, false, 1e-8, 1e-6, NULL, NULL, 0, 0                 \
    }

/* The default memory budget of a solve (and of anything else in casus that
 * takes one): half the physical memory, or 1 GiB when that cannot be read.
 * A solve that would need more fails with CASUS_ELIMIT and a diagnostic
 * saying how much it needed, before allocating it where the solver can
 * estimate it (pure: the strategy tables) and at the first allocation past
 * the budget otherwise. */
CASUS_API size_t casus_memory_budget_default(void);

typedef struct casus_solution casus_solution; /* a list of profiles */

/* Solve.  Refusals (imperfect recall, not perfect information where
 * required, too large for the limits or the memory budget: CASUS_EINVAL /
 * CASUS_ELIMIT; a --branch choice that does not exist: CASUS_EINVAL),
 * numerical failures
 * (CASUS_ENOCONV, the diagnostic gives λ, iterations and residual) and
 * CASUS_ESTATE for a method that is not available leave a diagnostic on e
 * and *out NULL.  A logit trace that ends without meeting its stopping rule
 * is not an error: the solution holds the end point as a QRE (not an
 * equilibrium), casus_solution_converged() is false and a warning says
 * where it stopped and with what regret. */
CASUS_API casus_status casus_game_solve(casus_engine *e, const casus_game *g,
                                        const casus_solve_opts *o, casus_solution **out);
CASUS_API void casus_solution_free(casus_solution *s);
CASUS_API size_t casus_solution_count(const casus_solution *s);
/* False only for a logit trace whose end point missed the stopping rule. */
CASUS_API bool casus_solution_converged(const casus_solution *s);

typedef enum casus_profile_kind {
    CASUS_PROFILE_NE, /* an equilibrium: Nash regret within regret_tol */
    CASUS_PROFILE_QRE /* a logit point at `lambda` (path point, fixed λ, or an
                         end point that is not an equilibrium) */
} casus_profile_kind;

typedef struct casus_profile_info {
    casus_profile_kind kind;
    const double *prob; /* len probabilities, Gambit's order */
    size_t len;
    const double *payoff;  /* nplayers expected payoffs */
    double regret;         /* Nash regret (agent regret for agent-form
                              results), in payoff units */
    double rel_regret;     /* regret / payoff range */
    double lambda;         /* logit points; NAN otherwise */
    double seq_regret;     /* logit points: sequential regret, in payoff units — the
                              largest gain from a better continuation at any information
                              set, given beliefs from the branch (so information sets
                              reached with vanishing probability count, which Nash
                              regret ignores); NAN otherwise */
    double rel_seq_regret; /* seq_regret / payoff range */
} casus_profile_info;

/* Profile i < casus_solution_count(s).  CASUS_EINVAL for a bad index. */
CASUS_API casus_status casus_solution_profile(const casus_solution *s, size_t i,
                                              casus_profile_info *out);

/* Bifurcations met by a logit trace, in order (none for other methods and
 * for perfect-information games, whose logit branch is unique).  At each,
 * another branch of logit equilibria crosses the one being traced (the
 * determinant of the path's Jacobian changes sign); three branches leave
 * the point: 0 goes on along the branch being traced, 1 and 2 are the two
 * halves of the crossing branch. */
typedef struct casus_bifurcation_info {
    double lambda;      /* where */
    const double *prob; /* the profile there (len numbers, Gambit's order) */
    size_t len;
    uint32_t branch;            /* the branch followed from there */
    uint32_t nbranches;         /* 3, or 1 when the crossing branch could not be found */
    double next_lambda[3];      /* λ of the first point on each branch (NAN: not found) */
    const double *next_prob[3]; /* its profile (NULL: not found) */
} casus_bifurcation_info;

CASUS_API size_t casus_solution_bifurcation_count(const casus_solution *s);
/* Bifurcation i < casus_solution_bifurcation_count(s); CASUS_EINVAL for a
 * bad index. */
CASUS_API casus_status casus_solution_bifurcation(const casus_solution *s, size_t i,
                                                  casus_bifurcation_info *out);

/* Gambit's line format: "NE,p1,p2,..." for equilibria, "λ,p1,..." for logit
 * points.  decimals < 0: Gambit's defaults (0/1 profiles as integers; logit
 * λ with 6 decimals and probabilities with 6 significant digits); otherwise
 * that many decimals (significant digits for logit probabilities, as
 * gambit-logit -d). */
CASUS_API casus_status casus_solution_write_gambit(const casus_solution *s, int decimals,
                                                   casus_buf *out);

/* One JSON object: {"method", "players", "converged", "profiles": [{"kind",
 * "lambda", "prob", "payoff", "regret", "rel_regret"}, with "seq_regret"
 * and "rel_seq_regret" for logit points], and for logit "bifurcations":
 * [{"lambda", "prob", "branch", "branches": [{"branch", "lambda", "prob"}]}]};
 * no trailing newline. */
CASUS_API casus_status casus_solution_write_json(const casus_solution *s, casus_buf *out);

#ifdef __cplusplus
}
#endif
#endif /* CASUS_SOLVE_H */
