/*
 * formula.h — R model formulas with several right-hand sides, as the R
 * package `games` takes them (Formula syntax):
 *
 *   esc + war ~ s_wt_re1 + revis1 | 0 | regime1 | balanc + regime2
 *
 * Grammar (a subset of R's, enough for these models):
 *   formula := lhs? "~" rhs ("|" rhs)*
 *   lhs     := name ("+" name)*
 *   rhs     := ("+" | "-")? item (("+" | "-") item)*
 *   item    := term | "0" | "1" | "."
 *   term    := name ((":" | "*") name)*
 *   name    := [A-Za-z.][A-Za-z0-9._]* | `any text`
 * Meaning, as in R: an intercept unless "0", "+ 0" or "- 1" removes it
 * ("1" or "+ 1" keeps it; "- 0" too); "0" alone is an equation with no
 * terms (fixed at zero); "- x" drops term x; "a:b" is the product of
 * columns a and b; "a*b" is a + b + a:b; "." is every column not on the
 * left-hand side.  Calls such as log(x) and parentheses are reported as not
 * supported.
 *
 * The parser only reads syntax; names are resolved against the data by
 * design.c.  Errors are diagnostics with a caret in the formula text
 * (registered as a source, e.g. "--formula"); the status is CASUS_EINVAL.
 *
 * Ownership: everything is allocated in the arena given.
 */
#ifndef CASUS_FIT_FORMULA_H
#define CASUS_FIT_FORMULA_H

#include "lang/ast.h"

#define FIT_MAX_INTER 4 /* names in one interaction term */

struct fit_fterm {
    struct casus_name vars[FIT_MAX_INTER]; /* one name, or an interaction */
    uint32_t nvars;
    bool dot;               /* ".": every other column */
    struct casus_span span; /* the whole term */
};

struct fit_rhs {
    bool intercept;
    struct fit_fterm *terms; /* in order of first appearance, removed ones gone */
    uint32_t nterms;
    struct casus_span span;
};

struct fit_formula {
    struct casus_name *lhs; /* response names */
    uint32_t nlhs;
    struct fit_rhs *rhs;
    uint32_t nrhs;
    struct casus_span span; /* the whole text */
};

/* Parse source src of d.  want_lhs: a response is required (the model
 * formula) or forbidden (an sdformula).  CASUS_EINVAL with diagnostics;
 * CASUS_ENOMEM.  O(length). */
CASUS_INTERNAL casus_status fit_formula_parse(struct fit_formula *f, struct casus_arena *a,
                                              struct casus_diags *d, uint32_t src, bool want_lhs);

#endif
