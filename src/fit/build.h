/*
 * build.h — the builder state that design.c (formulas, names, rows,
 * factors) and matrix.c (outcome, model matrices, parameter names,
 * identification) share while building a struct fit_design (design.h).
 * Nothing outside those two files includes it; it does not include
 * design.h, so the two modules do not form a circle.
 */
#ifndef CASUS_FIT_BUILD_H
#define CASUS_FIT_BUILD_H

#include "casus/fit.h"
#include "fit/egame.h"
#include "fit/formula.h"
#include "fit/mle.h"
#include "fit/subset.h"

struct fit_design;

/* One term of an equation, its names resolved to columns. */
struct rterm {
    int col[FIT_MAX_INTER];
    uint32_t nvars;
    struct casus_span span;
};

struct req {
    bool intercept;
    struct rterm *terms;
    uint32_t nterms;
    const char *prefix;
    bool colon; /* names are prefix:column */
};

struct builder {
    struct fit_design *ds;
    struct casus_arena *a;
    struct casus_diags *d;
    struct fit_frame *f;
    const casus_fit_opts *o;
    bool ult;
    enum fit_game game;
    struct fit_formula fm, sdf;
    bool has_sd;
    int nscale;
    struct req eq[FIT_MAXEQ];
    int neq;
    int lhs[3]; /* outcome columns */
    int nlhs;
    struct fit_subset sub;
    bool has_sub;
    bool *need, *text, *in_model, *keep, *use;
    const char ***lvl; /* per column: the --levels order, or NULL */
    uint32_t *nlvl;
};

/* An error diagnostic at sp (may be NULL); returns CASUS_EINVAL. */
CASUS_INTERNAL casus_status fit_build_fail(struct builder *b, const struct casus_span *sp,
                                           const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
CASUS_INTERNAL void fit_build_warn(struct builder *b, const char *msg);
/* "egame12", ..., "ultimatum". */
CASUS_INTERNAL const char *fit_build_model_name(const struct builder *b);

/* matrix.c: the outcome (codes, level names, counts) and its checks. */
CASUS_INTERNAL casus_status fit_build_outcome(struct builder *b);
/* matrix.c: the model matrices and parameter names, then identification. */
CASUS_INTERNAL casus_status fit_build_matrices(struct builder *b);

#endif
