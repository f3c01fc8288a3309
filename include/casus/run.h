/*
 * casus/run.h — Monte Carlo over a scenario's parameters, for every policy,
 * with common random numbers: the library side of `casus run`.
 *
 * For each draw d the parameters take the values that (seed, d, the hash of
 * each parameter's name) give them under each policy; the policy's game is
 * solved (agent logit quantal response at the draw's λ, or backward
 * induction) and the probability of every rung and threshold of the
 * scenario's ladder, and every actor's expected payoff, are stored.  The
 * results are exact statistics over the stored draws: means with their
 * Monte Carlo standard errors, 5/50/95 % quantiles, paired differences
 * against the baseline policy, Spearman rank correlations with each
 * parameter, and the share of each threshold carried by each path.
 * Bit-identical for any thread count.
 */
#ifndef CASUS_RUN_H
#define CASUS_RUN_H

#include "casus.h"

#include <math.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Fill the other processes' parts of y: y[off[q] .. off[q] + cnt[q]) for
 * every part q (e.g. MPI_Allgatherv in place); CASUS_OK or an error. */
typedef casus_status (*casus_run_gather_fn)(void *ud, double *y, const size_t *off,
                                            const size_t *cnt, size_t nparts);

typedef struct casus_run_opts {
    const char *scenario;        /* name of a loaded scenario */
    const char *const *policies; /* names to run, or NULL for all */
    size_t npolicies;            /* (the baseline is always run first) */
    uint64_t draws;              /* > 0 */
    uint64_t seed;
    unsigned threads;   /* 0: one per processor */
    double lambda;      /* NaN: the scenario's λ; INFINITY: λ → ∞ */
    uint32_t max_nodes; /* expanded tree size limit (0: 2,000,000) */
    bool keep_draws;    /* keep per-draw values for casus_run_write_draws */
    /* Spread the draws over nparts processes (MPI ranks): this one solves
       part `part` (contiguous blocks of draws), then gather exchanges the
       parts, and every process ends with a run bit-identical to one
       process alone.  nparts 0 or 1: one process. */
    unsigned part, nparts;
    casus_run_gather_fn gather;
    void *gather_ud;
} casus_run_opts;

#define CASUS_RUN_OPTS_INIT                                                                        \
    {                                                                                              \
        NULL, NULL, 0, 10000u, 1u, 0u, NAN, 0u, false, 0u, 1u, NULL, NULL                          \
    }

typedef struct casus_run casus_run;

/* Run.  CASUS_ENOTFOUND for an unknown scenario or policy (with a
 * suggestion); CASUS_EINVAL for a scenario without a game, bad options, or
 * a draw whose probability leaves [0, 1] (code "bad-draw": the message
 * names the draw's index and the parameter values; nothing is returned);
 * CASUS_ELIMIT when the game is too large; CASUS_ENOMEM.  Draws where a
 * solver fails (pivotal councils that do not converge) are counted and
 * excluded, never dropped silently.  On failure *err (may be NULL) says
 * what went wrong (its message is empty after CASUS_ENOMEM).
 * O(draws × (parameters + tree)). */
CASUS_API casus_status casus_run_new(casus_engine *e, const casus_run_opts *o, casus_run **out,
                                     casus_error *err);
CASUS_API void casus_run_free(casus_run *r);

/* Mean probability of crossing threshold `name` under policy `policy`
 * (an index in run order: 0 is the baseline), its standard error, and the
 * 5/50/95 % quantiles over draws; CASUS_ENOTFOUND for a bad name. */
typedef struct casus_run_stat {
    double mean, se, q05, q50, q95;
} casus_run_stat;
CASUS_API casus_status casus_run_threshold(const casus_run *r, size_t policy, const char *name,
                                           casus_run_stat *out);
/* The same for the difference policy − baseline over paired draws. */
CASUS_API casus_status casus_run_threshold_diff(const casus_run *r, size_t policy, const char *name,
                                                casus_run_stat *out);
CASUS_API size_t casus_run_policy_count(const casus_run *r);

/* Reports: for people (two significant figures), JSON (full precision,
 * with the manifest; schema in docs/run.md), CSV (one row per policy and
 * quantity), and the per-draw values as CSV (needs keep_draws). */
CASUS_API casus_status casus_run_write_text(const casus_run *r, casus_buf *out);
CASUS_API casus_status casus_run_write_json(const casus_run *r, casus_buf *out);
CASUS_API casus_status casus_run_write_csv(const casus_run *r, casus_buf *out);
CASUS_API casus_status casus_run_write_draws(const casus_run *r, casus_buf *out);

/* The game of one draw (`casus compile`): scenario `scenario` under policy
 * `policy` (NULL: the baseline) at draw `draw` of `seed`, with chance and
 * council probabilities and payoffs (rescaled from the scenario's scale to
 * [0, 1], so that λ means the same in Gambit) at that draw's parameter
 * values.  Written as a Gambit .efg (version 2) or, with dot, as a
 * Graphviz tree.  Errors as for casus_run_new, in *err (may be NULL). */
CASUS_API casus_status casus_scenario_game(casus_engine *e, const char *scenario,
                                           const char *policy, uint64_t seed, uint64_t draw,
                                           bool dot, casus_buf *out, casus_error *err);

#ifdef __cplusplus
}
#endif
#endif /* CASUS_RUN_H */
