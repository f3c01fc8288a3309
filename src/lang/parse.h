/*
 * parse.h — recursive-descent parser: tokens to a syntax tree (ast.h).
 *
 * The grammar is in docs/language.md; each parsing function carries its
 * production as a comment.  The parser recovers from an error by skipping to
 * the end of the enclosing block, so one run reports several independent
 * errors.  Nesting deeper than CASUS_PARSE_MAX_DEPTH is an error, not a stack
 * overflow.
 */
#ifndef CASUS_PARSE_H
#define CASUS_PARSE_H

#include "lang/ast.h"

#define CASUS_PARSE_MAX_DEPTH 128

/* Parse source `src` of `diags` into a tree allocated in `arena`.  Returns
 * the tree (possibly partial) or NULL when out of memory; the caller checks
 * diags->nerrors to know whether the parse succeeded.  O(source length). */
CASUS_INTERNAL struct casus_ast_file *casus_parse_file(struct casus_arena *arena,
                                                       struct casus_diags *diags, uint32_t src);

/* Parse source `src` as one expression (`expr` of docs/language.md) and
 * nothing after it: casus fit's --subset conditions (src/fit/subset.c)
 * are casus expressions over a data frame's columns, as are casus evidence's --where
 * and --outcome (src/lang/evidence.c).  Returns the tree
 * (possibly partial) or NULL when out of memory; errors are diagnostics
 * in `diags`, as for casus_parse_file.  O(source length). */
CASUS_INTERNAL struct casus_expr *casus_parse_expr(struct casus_arena *arena,
                                                   struct casus_diags *diags, uint32_t src);

#endif
