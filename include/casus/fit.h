/*
 * fit.h — strategic models estimated from data by maximum likelihood:
 * Signorino's recursive games egame12, egame122 and egame123 and the
 * statistical ultimatum game, with the meaning the R package `games`
 * (Kenkel & Signorino, JSS 2014) gives every option.  `casus fit` is the
 * front end; docs/fit.md is the tutorial.
 *
 *   casus_fit *f;
 *   casus_fit_opts o = CASUS_FIT_OPTS_INIT;
 *   o.model = CASUS_FIT_EGAME12;
 *   o.formula = "esc + war ~ s_wt_re1 + revis1 | 0 | regime1 | balanc + regime2";
 *   casus_fit_new(&f, NULL, NULL);
 *   if (casus_fit_load_file(f, "war1800.csv") == CASUS_OK &&
 *       casus_fit_estimate(f, &o) == CASUS_OK)
 *       casus_fit_write_text(f, &out);        // else render the diagnostics
 *   casus_fit_free(f);
 *
 * Nothing here loads the treaty engine, the gazetteer or the geography: a
 * fit handle stands alone.
 *
 * Errors: every function returns a casus_status.  Problems with the input
 * — a formula naming a missing column, a cell that is not a number, a
 * malformed CSV, a perfectly separated outcome, a likelihood without a
 * maximum or a singular Hessian — give CASUS_EINVAL or CASUS_ENOCONV and
 * diagnostics (file:line:col with a caret where there is a place to point
 * at: the data file or the formula) rendered by
 * casus_fit_render_diagnostics.  Warnings (an option R also ignores with a
 * warning) are diagnostics of warning severity on a successful fit.
 *
 * Ownership: a casus_fit owns the data, the estimates and the diagnostics;
 * strings and arrays returned by accessors are borrowed from it and valid
 * until the next casus_fit_load_* or casus_fit_estimate on it, or
 * casus_fit_free.  Options are read during casus_fit_estimate only.
 *
 * Determinism: the same data, options and seed give bit-identical output,
 * whatever the number of threads (bootstrap replicates draw from their own
 * Philox streams and are reduced in replicate order).
 */
#ifndef CASUS_FIT_H
#define CASUS_FIT_H

#include "casus/casus.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum casus_fit_model {
    CASUS_FIT_EGAME12,  /* 2 players, 3 outcomes: formula u11 | u13 | u14 | u24 */
    CASUS_FIT_EGAME122, /* 2 players, 4 outcomes: u11 | u12 | u13 | u14 | u22 | u24 */
    CASUS_FIT_EGAME123, /* 3 players, 4 outcomes: u11 | u13 | u15 | u16 | u23 | u25 | u26 | u36 */
    CASUS_FIT_ULTIMATUM /* offer + accept ~ R1 | R2 */
} casus_fit_model;

#define CASUS_FIT_MAX_LEVELS 16 /* --levels options */

typedef struct casus_fit_opts {
    casus_fit_model model;
    const char *formula;   /* R syntax, one right-hand side per utility */
    const char *sdformula; /* scale equation(s), e.g. "~ x - 1", or NULL */
    const char *subset;    /* casus expression over the columns, or NULL */
    bool logit;            /* egame: logit link (default probit) */
    bool private_info;     /* egame: private information (default agent error) */
    bool sd_by_player;     /* egame: a scale equation per player */
    double fixed_utils[8]; /* egame: utilities fixed at these values ... */
    int nfixed_utils;      /* ... when > 0 (then only scales are estimated) */
    double max_offer;      /* ultimatum: the largest feasible offer Q (required) */
    bool offer_only;       /* ultimatum: outcome "offer" (acceptance unused) */
    double s1, s2;         /* ultimatum: fixed scales when > 0 (default: estimated) */
    double offertol;       /* ultimatum: offers this close to 0 or Q are at the bound */
    const char *levels[CASUS_FIT_MAX_LEVELS]; /* "column=a,b,c": factor level order */
    int nlevels;
    unsigned boot;    /* bootstrap replicates (0: none) */
    uint64_t seed;    /* bootstrap seed */
    unsigned threads; /* bootstrap worker threads (0: one per processor) */
    int max_iter;     /* optimiser iterations (per fit) */
} casus_fit_opts;

#define CASUS_FIT_OPTS_INIT                                                                        \
    {                                                                                              \
        CASUS_FIT_EGAME12, NULL, NULL, NULL, false, false, false, {0}, 0, 0.0, false, 0.0, 0.0,    \
            1.4901161193847656e-08, {NULL}, 0, 0, 1, 1, 500                                        \
    }

/* Set one option from its command-line spelling, e.g. ("link", "logit"),
 * ("fixed-utils", "-1,0,-1.4,0.1"), ("boot", "100").  Strings are borrowed
 * (they must outlive the estimate).  Names: model, formula, sdformula,
 * subset, link, type, sd-by-player, fixed-utils, max-offer, outcome, s1,
 * s2, offertol, levels, boot, seed, threads, max-iter.  CASUS_EINVAL (with
 * a one-line reason in *why, borrowed static text, when why is not NULL)
 * for an unknown name or a malformed value; CASUS_ELIMIT for too many
 * --levels. */
CASUS_API casus_status casus_fit_opts_set(casus_fit_opts *o, const char *name, const char *value,
                                          const char **why);

typedef struct casus_fit casus_fit;

/* A new, empty fit.  alloc may be NULL (malloc/realloc/free).
 * CASUS_ENOMEM. */
CASUS_API casus_status casus_fit_new(casus_fit **out, casus_alloc_fn alloc, void *ud);
CASUS_API void casus_fit_free(casus_fit *f);

/* Give the data: CSV text (copied; name is used in diagnostics) or a file.
 * Only the header is read now (the columns a model uses are read when it
 * is estimated).  CASUS_EINVAL (diagnostics) for a malformed header,
 * CASUS_EIO for an unreadable file, CASUS_ELIMIT beyond 4 GiB. */
CASUS_API casus_status casus_fit_load_csv(casus_fit *f, const char *name, const char *text,
                                          size_t len);
CASUS_API casus_status casus_fit_load_file(casus_fit *f, const char *path);

/* Estimate the model (and its bootstrap) on the loaded data.  CASUS_EINVAL
 * for bad input, CASUS_ENOCONV when the likelihood has no finite maximum
 * or the Hessian there is singular (diagnostics say which parameters);
 * CASUS_ESTATE without data; CASUS_ENOMEM.  Time O(iterations * n *
 * parameters^2). */
CASUS_API casus_status casus_fit_estimate(casus_fit *f, const casus_fit_opts *o);

/* Diagnostics so far, as text (file:line:col, source line, caret). */
CASUS_API casus_status casus_fit_render_diagnostics(const casus_fit *f, casus_buf *out);
CASUS_API size_t casus_fit_error_count(const casus_fit *f);

/* After a successful estimate: parameters in R's order and names
 * ("u1(~esc):(Intercept)", "log(sigma)", "R1:x1"), estimates, standard
 * errors from the exact Hessian (NAN for fixed parameters), the free
 * parameters' covariance (nfree x nfree, row-major, free parameters in
 * parameter order), and the summary numbers. */
CASUS_API size_t casus_fit_nparams(const casus_fit *f);
CASUS_API const char *casus_fit_param_name(const casus_fit *f, size_t i);
CASUS_API double casus_fit_estimate_of(const casus_fit *f, size_t i);
CASUS_API double casus_fit_se(const casus_fit *f, size_t i);
CASUS_API bool casus_fit_is_fixed(const casus_fit *f, size_t i);
CASUS_API const double *casus_fit_vcov(const casus_fit *f, size_t *nfree);
CASUS_API double casus_fit_loglik(const casus_fit *f);
CASUS_API size_t casus_fit_nobs(const casus_fit *f);

/* Render: the coefficient table (estimate, SE, z, p), log-likelihood,
 * AIC, BIC, observations, dropped rows and convergence, as text or as JSON
 * (coefficients, se, vcov with its names, loglik, nobs, convergence, and
 * the fitted action probabilities when predict is set); or the fitted
 * probabilities alone as CSV (one row per observation used). */
CASUS_API casus_status casus_fit_write_text(const casus_fit *f, casus_buf *out);
CASUS_API casus_status casus_fit_write_json(const casus_fit *f, bool predict, casus_buf *out);
CASUS_API casus_status casus_fit_write_predict(const casus_fit *f, casus_buf *out);

#ifdef __cplusplus
}
#endif

#endif
