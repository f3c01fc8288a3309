/*
 * casus/sens.h — the public API of global sensitivity analysis: which
 * uncertain inputs drive a model output, with intervals that say how sure
 * the answer is.  Front ends (`casus sensitivity`, a user's program)
 * include this header after casus/casus.h; nothing else.
 *
 * One casus_sens holds an analysis: the inputs (a name and a distribution
 * each), the model (a batch callback, or a built-in test function), the
 * options, and after casus_sens_analyze() the results.  Methods:
 *
 *   sobol    first-order (S1, Saltelli 2010) and total (ST, Jansen 1999)
 *            indices, optionally second order (S2, Saltelli 2002), from the
 *            Saltelli design.  With scrambled Sobol' points (the default)
 *            the estimate is the mean of R independent scrambles and the
 *            interval a Student-t interval over them; with plain Monte Carlo
 *            the estimate is the full-sample value and the interval comes
 *            from a bootstrap over rows.  The result says which
 *            (casus_sens_interval_kind).  A bootstrap on scrambled points is
 *            not offered: it overstates the error 5-1000 times.
 *   morris   elementary effects (mu, mu*, sigma) on the unit-cube scale, for
 *            screening many inputs cheaply.
 *   tornado  the output with each input in turn at its q_lo and q_hi
 *            quantiles, all others at their medians.
 *
 * Every method also computes the tornado points (2d + 1 evaluations), so a
 * chart can always show both views.
 *
 * Determinism: every random number is a function of the seed; rows are
 * evaluated in fixed blocks and summed in a fixed order, so the results are
 * bit-identical for any number of threads and any partition over processes
 * (casus_sens_set_partition).
 *
 * Ownership: casus_sens_new* copy what they are given (names, options,
 * discrete tables); casus_sens_free releases everything.  Strings and rows
 * returned by accessors are borrowed from the analysis and stay valid until
 * the next casus_sens_analyze() or casus_sens_free().  Allocation goes
 * through the casus_alloc_fn given (NULL: malloc), except rendered text,
 * which lands in the caller's casus_buf.
 *
 * Thread safety: one analysis is used by one thread at a time; the model
 * callback is called from several threads at once (on disjoint blocks) when
 * threads > 1, so it must be reentrant.  Nothing here prints.
 */
#ifndef CASUS_PUBLIC_SENS_H
#define CASUS_PUBLIC_SENS_H

#include "casus/casus.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct casus_sens casus_sens; /* one analysis: inputs, model, results */

typedef enum casus_sens_method {
    CASUS_SENS_METHOD_SOBOL,  /* S1, ST (and S2) with intervals */
    CASUS_SENS_METHOD_MORRIS, /* elementary effects mu, mu*, sigma */
    CASUS_SENS_METHOD_TORNADO /* one at a time at the q_lo / q_hi quantiles */
} casus_sens_method;

typedef enum casus_sens_sampling {
    CASUS_SENS_SAMPLING_SOBOL,      /* Sobol' points, linear matrix scrambling + shift */
    CASUS_SENS_SAMPLING_SOBOL_OWEN, /* Sobol' points, nested uniform (Owen) scrambling */
    CASUS_SENS_SAMPLING_MC          /* plain Monte Carlo (Philox) */
} casus_sens_sampling;

typedef enum casus_sens_interval {
    CASUS_SENS_INTERVAL_NONE,        /* no interval (morris, tornado) */
    CASUS_SENS_INTERVAL_REPLICATE_T, /* mean of R scrambles -+ t_{R-1} sd / sqrt(R) */
    CASUS_SENS_INTERVAL_BOOTSTRAP    /* full-sample estimate -+ z * bootstrap sd */
} casus_sens_interval;

typedef struct casus_sens_options {
    casus_sens_method method;
    casus_sens_sampling sampling;  /* sobol method only (default Owen: the
                                      calibrated recipe with 16 replicates) */
    size_t base_samples;           /* N per replicate, 2 .. 2^30 (default 4096) */
    size_t replicates;             /* R scrambles, 2 .. 4096 (default 16) */
    size_t bootstrap;              /* B resamples for MC, 2 .. 100000 (default 200) */
    bool second_order;             /* also S2 (2 + 2d matrices instead of 2 + d) */
    double level;                  /* nominal interval coverage, in (0, 1) (0.90) */
    uint64_t seed;                 /* everything random is a function of it (0) */
    unsigned threads;              /* workers; 0 = every online CPU.  Results are
                                      identical for any value */
    unsigned morris_levels;        /* p, even, 2 .. 1024 (default 4) */
    size_t morris_trajectories;    /* r, 1 .. 100000 (default 20) */
    double tornado_lo, tornado_hi; /* quantiles, 0 < lo < hi < 1 (0.05, 0.95) */
} casus_sens_options;
#define CASUS_SENS_OPTIONS_INIT                                                                    \
    {                                                                                              \
        CASUS_SENS_METHOD_SOBOL, CASUS_SENS_SAMPLING_SOBOL_OWEN, 4096, 16, 200, false, 0.90, 0, 0, \
            4, 20, 0.05, 0.95                                                                      \
    }

/* Distributions of inputs.  Parameters p[] in this order:
 *   uniform (lo, hi); triangular (lo, mode, hi); normal (mean, sd);
 *   lognormal (meanlog, sdlog); truncnormal (mean, sd, lo, hi), a bound may
 *   be infinite; beta (alpha, beta, lo, hi); discrete: values/weights. */
typedef enum casus_sens_dist {
    CASUS_SENS_DIST_UNIFORM,
    CASUS_SENS_DIST_TRIANGULAR,
    CASUS_SENS_DIST_NORMAL,
    CASUS_SENS_DIST_LOGNORMAL,
    CASUS_SENS_DIST_TRUNCNORMAL,
    CASUS_SENS_DIST_BETA,
    CASUS_SENS_DIST_DISCRETE
} casus_sens_dist;

typedef struct casus_sens_input {
    const char *name;      /* shown in every output; copied */
    casus_sens_dist dist;  /* its distribution */
    double p[4];           /* parameters, as above */
    const double *values;  /* discrete: nvalues values (copied) */
    const double *weights; /* discrete: nvalues weights >= 0, not all 0 (copied) */
    size_t nvalues;
} casus_sens_input;

/* A batch model: y[i] = f(x[i * d .. i * d + d - 1]) for i < npts, x the
 * input values (after the inverse CDFs).  Any status but CASUS_OK stops the
 * analysis and is returned by casus_sens_analyze.  Must be reentrant. */
typedef casus_status (*casus_sens_model_fn)(void *ud, const double *x, size_t npts, size_t d,
                                            double *y);

/* A new analysis of model f over inputs[0 .. ninputs).  ninputs is 1 ..
 * 1024.  CASUS_EINVAL for a bad option or distribution parameter (*out is
 * NULL; casus_sens_options_check says which), CASUS_ENOMEM.  alloc may be
 * NULL (malloc). */
CASUS_API casus_status casus_sens_new(casus_sens **out, const casus_sens_options *opt,
                                      const casus_sens_input *inputs, size_t ninputs,
                                      casus_sens_model_fn f, void *model_ud, casus_alloc_fn alloc,
                                      void *alloc_ud);

/* A new analysis of a built-in test function with known answers:
 *   "ishigami"  sin x1 + 7 sin^2 x2 + 0.1 x3^4 sin x1, x1..x3 ~ U(-pi, pi)
 *   "sobol-g"   prod (|4 x_i - 2| + a_i) / (1 + a_i), x1..x8 ~ U(0, 1),
 *               a = (0, 1, 4.5, 9, 99, 99, 99, 99)
 * CASUS_ENOTFOUND for another name, otherwise as casus_sens_new. */
CASUS_API casus_status casus_sens_new_builtin(casus_sens **out, const char *name,
                                              const casus_sens_options *opt, casus_alloc_fn alloc,
                                              void *alloc_ud);

/* A new analysis of a scenario result (`casus sensitivity SCENARIO`): the
 * inputs are the parameters uncertain under `policy` (NULL: the baseline),
 * the output is `output` — a threshold or rung of the scenario's ladder
 * (its probability) or "payoff:ACTOR" (an expected payoff) — under that
 * policy, or with versus (not NULL) its difference from policy `versus` at
 * the same draw (parameters matched by quantile: common random numbers).
 * lambda: NaN for the scenario's λ, INFINITY for backward induction.
 * CASUS_ENOTFOUND (unknown scenario, policy or output) and CASUS_EINVAL,
 * described in *err (may be NULL); CASUS_ENOMEM.
 * A model evaluation whose probabilities leave [0, 1] makes
 * casus_sens_analyze return CASUS_EINVAL. */
CASUS_API casus_status casus_sens_new_scenario(casus_sens **out, casus_engine *e,
                                               const char *scenario, const char *policy,
                                               const char *versus, const char *output,
                                               double lambda, const casus_sens_options *opt,
                                               casus_error *err);

/* Names of the built-in functions, NULL past the last. */
CASUS_API const char *casus_sens_builtin_name(size_t i);

/* NULL if the options are usable, else a lowercase message naming the bad
 * field ("base samples must be 2 to 1073741824"). */
CASUS_API const char *casus_sens_options_check(const casus_sens_options *opt);

/* Free an analysis; NULL is a no-op. */
CASUS_API void casus_sens_free(casus_sens *s);

/* Progress for a front end's progress bar: fn(ud, done, total) is called on
 * the thread running casus_sens_analyze, in units of blocks of rows, as the
 * model evaluations of the sobol method go on.  fn NULL turns it off. */
typedef void (*casus_sens_progress_cb)(void *ud, size_t done, size_t total);
CASUS_API void casus_sens_set_progress(casus_sens *s, casus_sens_progress_cb fn, void *ud);

/* Spread the sobol method's evaluations over nparts processes (MPI ranks):
 * this process evaluates part `part` of every replicate's rows, then calls
 * gather(ud, y, off, cnt, nparts), which must fill y[off[q] .. off[q] +
 * cnt[q]) of every other part q (e.g. MPI_Allgatherv) and return CASUS_OK.
 * Every process then gets results bit-identical to one process alone.
 * CASUS_EINVAL if part >= nparts, nparts is 0 or above 65536, or gather is
 * NULL with nparts > 1. */
typedef casus_status (*casus_sens_gather_cb)(void *ud, double *y, const size_t *off,
                                             const size_t *cnt, size_t nparts);
CASUS_API casus_status casus_sens_set_partition(casus_sens *s, unsigned part, unsigned nparts,
                                                casus_sens_gather_cb gather, void *ud);

/* Run the analysis (again: earlier results are replaced).  CASUS_OK;
 * CASUS_EINVAL when the output has no variance to apportion or an interval
 * cannot be formed (casus_sens_error says which); CASUS_ENOMEM; or the
 * status of the model or gather callback.  Time O(evaluations * model). */
CASUS_API casus_status casus_sens_analyze(casus_sens *s);

/* After a failed casus_sens_analyze: a one-line lowercase message, and
 * the whole error record (code, which input). */
CASUS_API const char *casus_sens_error(const casus_sens *s);
CASUS_API const casus_error *casus_sens_error_info(const casus_sens *s);

/* ---- results (valid after a successful casus_sens_analyze) ---------------- */

typedef struct casus_sens_value {
    double est, lo, hi; /* estimate and interval; lo = hi = est without one */
} casus_sens_value;

typedef struct casus_sens_row {
    const char *name;          /* the input's name */
    casus_sens_value s1, st;   /* sobol (NaN otherwise) */
    double s1_exact, st_exact; /* built-in functions: analytic values, else NaN */
    double mu, mustar, sigma;  /* morris (NaN otherwise) */
    double at_lo, at_hi;       /* tornado: output with this input at q_lo / q_hi */
} casus_sens_row;

CASUS_API size_t casus_sens_count(const casus_sens *s); /* inputs */
/* Row of input i < count.  CASUS_EINVAL past the end, CASUS_ESTATE before
 * a successful analysis. */
CASUS_API casus_status casus_sens_row_get(const casus_sens *s, size_t i, casus_sens_row *out);
/* S2 of inputs j != k (second_order only); CASUS_ESTATE otherwise. */
CASUS_API casus_status casus_sens_s2(const casus_sens *s, size_t j, size_t k,
                                     casus_sens_value *out);
CASUS_API casus_sens_interval casus_sens_interval_kind(const casus_sens *s);
/* Output variance (sobol; the mean over replicates), NaN otherwise. */
CASUS_API double casus_sens_output_variance(const casus_sens *s);
/* Output with every input at its median (the tornado's centre). */
CASUS_API double casus_sens_output_median_point(const casus_sens *s);
/* Sum of the S1 estimates: the share of the output variance explained by
 * first-order effects (sobol), NaN otherwise. */
CASUS_API double casus_sens_first_order_share(const casus_sens *s);
/* Model evaluations done by the last analysis (all processes together). */
CASUS_API size_t casus_sens_evaluations(const casus_sens *s);

/* ---- rendering (append to out; CASUS_ESTATE before an analysis,
 *      CASUS_ENOMEM if the buffer ran out of memory) ------------------------ */

/* For people: a ranked table (by ST, or mu*, or tornado swing) with the
 * intervals and how they were made, and the share of variance explained by
 * first-order effects. */
CASUS_API casus_status casus_sens_write_text(const casus_sens *s, casus_buf *out);
/* One JSON object and a newline: {"function", "method", "sampling",
 * "interval", "level", ..., "inputs": [{"name", "S1", "S1_lo", "S1_hi",
 * "ST", "ST_lo", "ST_hi", ...}], "second_order": [...]} (docs/sensitivity.md). */
CASUS_API casus_status casus_sens_write_json(const casus_sens *s, casus_buf *out);
/* CSV with a header row, one row per input. */
CASUS_API casus_status casus_sens_write_csv(const casus_sens *s, casus_buf *out);
/* A self-contained SVG: S1/ST bars with interval whiskers (or mu* / sigma)
 * and a tornado chart, with title, axes and legends. */
CASUS_API casus_status casus_sens_write_svg(const casus_sens *s, casus_buf *out);

#ifdef __cplusplus
}
#endif
#endif /* CASUS_PUBLIC_SENS_H */
