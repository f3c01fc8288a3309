/*
 * design.h — from a data frame, a formula and the model's options to what
 * the likelihood needs: the rows used, the outcome, one model matrix per
 * equation (utilities, reservation values, log scales) and the parameters'
 * names, as R's model.frame / model.matrix and the `games` package build
 * them.
 *
 * Rows: --subset first, then every row with a missing value in a variable
 * of the formulas is dropped (R's na.omit); factor levels that no row used
 * has are dropped (drop.unused.levels).  Columns of an equation: the
 * intercept "(Intercept)", then main effects in the order written (a
 * number column as itself, a factor column as treatment dummies named
 * column + level for every level but the first — all levels when the
 * equation has no intercept and it is the first factor), then
 * interactions of number columns ("a:b").  Outcome: one column whose
 * levels are the terminal nodes in order (a factor; numbers in numeric
 * order), or action dummies (0/1 columns) named as the package names them.
 *
 * Names: utilities "u1(level):column", "u2(level):column"; fixed utilities
 * "u1(level)"; scales "log(sigma)" (probit) or "log(lambda)" (logit), with
 * ":column" unless intercept-only, numbered per player with
 * --sd-by-player; ultimatum "R1:column", "R2:column", "log(s1)",
 * "log(s2)".
 *
 * Errors are diagnostics with a caret in the formula or the data: a
 * missing column (with the nearest name), a cell that is not a number, a
 * wrong number of equations, a bad outcome, a variable in all of a
 * player's utilities, collinear columns.  CASUS_EINVAL.
 *
 * Ownership: everything lives in the arena passed in.
 */
#ifndef CASUS_FIT_DESIGN_H
#define CASUS_FIT_DESIGN_H

#include "casus/fit.h"
#include "fit/frame.h"
#include "fit/mle.h"

struct fit_design {
    /* rows */
    uint32_t nrows;     /* data rows */
    uint32_t n;         /* observations used */
    uint32_t *row;      /* n: the data row of each observation (0-based) */
    uint32_t nexcluded; /* rows --subset excluded */
    uint32_t nmissing;  /* rows dropped for missing values */
    /* equations */
    int neq, nutil;
    size_t k[FIT_MAXEQ];
    double *x[FIT_MAXEQ]; /* n x k column-major */
    const char *prefix[FIT_MAXEQ];
    /* parameters, equation by equation */
    size_t np;
    const char **pname;
    bool *fixed;
    double *value; /* fixed parameters' values (others 0) */
    /* outcome */
    uint8_t *y;           /* egame: 0-based outcome */
    const char **outcome; /* egame: outcome level names */
    int nout;
    uint32_t count[4]; /* egame: observations per outcome */
    double *offer;     /* ultimatum */
    uint8_t *accept;   /* ultimatum (NULL when offer only) */
    uint32_t nlow, nhigh, naccepted;
    bool logit; /* the link used (private information forces probit) */
};

/* Build the design for options o over the frame f (header read; this loads
 * the columns needed).  Diagnostics in d; formula sources are registered
 * there.  CASUS_EINVAL, CASUS_ENOMEM. */
CASUS_INTERNAL casus_status fit_design_build(struct fit_design *ds, struct casus_arena *a,
                                             struct casus_diags *d, struct fit_frame *f,
                                             const casus_fit_opts *o);

#endif
