/*
 * subset.h — `--subset EXPR`: a casus expression (docs/language.md, parsed
 * by the language's own expression parser, lang/parse.h) evaluated on each
 * row of a data frame, as R's `subset =` argument is.
 *
 * Names are columns; numeric columns are numbers and text columns strings.
 * Operators: + - * / on numbers, == != on numbers or strings, < <= > >= on
 * numbers, `in [..]` and `not in [..]` lists, and, or, not; the function
 * is_na(column) tests for a missing cell.  A missing cell makes what
 * depends on it missing, with R's three-valued logic for and/or (false and
 * NA is false, true or NA is true); a row whose expression is missing or
 * false is excluded.  Type errors and unknown names are diagnostics with a
 * caret in the expression.
 *
 * Ownership: the tree lives in the arena given; the frame is borrowed.
 */
#ifndef CASUS_FIT_SUBSET_H
#define CASUS_FIT_SUBSET_H

#include "fit/frame.h"
#include "lang/ast.h"

struct fit_subset {
    const struct casus_expr *e;
    struct casus_diags *d;
};

/* Parse the expression in source src and mark the columns it names in
 * need[] (ncols of the frame's header).  Unknown names are errors here.
 * CASUS_EINVAL with diagnostics, CASUS_ENOMEM. */
CASUS_INTERNAL casus_status fit_subset_parse(struct fit_subset *s, struct casus_arena *a,
                                             struct casus_diags *d, uint32_t src,
                                             const struct fit_frame *f, bool *need);

/* After the frame is loaded: check types, then set keep[r] for each row r
 * where the expression is true (keep is nrows).  CASUS_EINVAL with a
 * diagnostic for a type error or a column with cells that are not numbers
 * used as a number. */
CASUS_INTERNAL casus_status fit_subset_eval(const struct fit_subset *s, const struct fit_frame *f,
                                            bool *keep);

#endif
