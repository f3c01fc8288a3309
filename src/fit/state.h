/*
 * state.h — the fit handle (struct casus_fit of include/casus/fit.h) as the
 * modules behind the public API share it: fit.c (loading, estimating,
 * accessors), boot.c (the bootstrap) and report.c (text, JSON and
 * prediction output).
 *
 * Memory: two arenas.  `data` lives as long as the handle (nothing big:
 * the CSV text itself is the diagnostics context's source copy); `est` holds
 * everything one estimate makes — the frame's columns, the design, the
 * results — and is released when the next estimate starts or the handle
 * is freed.
 */
#ifndef CASUS_FIT_STATE_H
#define CASUS_FIT_STATE_H

#include "casus/fit.h"
#include "fit/design.h"
#include "fit/egame.h"
#include "fit/frame.h"
#include "fit/group.h"
#include "fit/mle.h"
#include "fit/ultimatum.h"

struct casus_fit {
    struct casus_alloc alloc;
    struct casus_diags diags;
    struct casus_arena data, est;
    bool has_data;
    uint32_t src;          /* the CSV's source id */
    const char *data_name; /* as given (data arena) */
    /* the last estimate */
    bool done;
    casus_fit_opts opts; /* a copy; its strings are copied into est */
    struct fit_frame frame;
    struct fit_design ds;
    struct fit_problem prob; /* over every observation (predictions, per-row values) */
    struct fit_egame eg;
    struct fit_ult ul;
    struct fit_groups groups; /* identical observations */
    struct fit_design gds;    /* the design over one row per group */
    struct fit_problem gprob; /* and its problem, weighted by the counts */
    struct fit_egame geg;
    struct fit_ult gul;
    struct fit_problem *op; /* what the optimiser fits: &prob or &gprob */
    struct fit_work work;
    double *start; /* np start values (kept for the tests) */
    double *theta; /* np estimates (fixed ones at their values) */
    double *se;    /* np, NAN for fixed */
    double *vcov;  /* nfree x nfree */
    double ll, aic, bic;
    struct fit_opt_result opt;
    double hess_min, hess_max; /* eigenvalue range of -H */
    /* bootstrap */
    double *boot;    /* boot x np replicate estimates (failed rows NAN) */
    double *boot_se; /* np */
    unsigned boot_ok, boot_failed;
};

/* Run the bootstrap of a converged fit (boot.c): opts.boot replicates on
 * opts.threads workers.  CASUS_ENOMEM. */
CASUS_INTERNAL casus_status fit_run_bootstrap(struct casus_fit *f);

/* Column names of the fitted probabilities (report.c), and the values for
 * observation i into p (up to 6). */
CASUS_INTERNAL int fit_predict_names(const struct casus_fit *f, const char **names,
                                     struct casus_arena *a);
CASUS_INTERNAL void fit_predict_row(const struct casus_fit *f, size_t i, double *p);

#endif
