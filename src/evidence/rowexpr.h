/*
 * rowexpr.h — compiled expressions over the columns of a table (table.h),
 * and the reference-class count: of the rows where `where` holds, how many
 * have the outcome, with the Jeffreys interval for the rate.
 *
 * Pipeline: the language's parser reads `--where`/`--outcome` or the
 * arguments of `evidence(...)` in a scenario; lang/check_columns.c checks
 * names and types against the table and builds these nodes; this module
 * evaluates them on every row.  Nodes are typed when built: numbers,
 * strings (text columns and string constants) and truth values.
 *
 * Missing cells: a row is dropped (and counted) when a column that `where`
 * reads is missing in it, or when it is in the class and a column that the
 * outcome reads is missing in it.  So no expression ever sees a missing
 * cell, and a dropped row is one whose membership or outcome the data
 * cannot say.
 *
 * The interval: with k of n, the Jeffreys posterior Beta(k + 1/2,
 * n - k + 1/2) (the Beta(1/2, 1/2) prior updated by the counts; Brown, Cai
 * and DasGupta 2001, Statist. Sci. 16) and its 2.5 % and 97.5 % quantiles,
 * as they are, also when k = 0 or k = n.
 *
 * Ownership: nodes live in the caller's arena; evaluation allocates
 * nothing and is pure.  Complexity O(rows x expression size).
 */
#ifndef CASUS_EVIDENCE_ROWEXPR_H
#define CASUS_EVIDENCE_ROWEXPR_H

#include "evidence/table.h"

enum ev_op {
    EV_NUM, /* constant number */
    EV_STR, /* constant string */
    EV_COL, /* a column: number or text by the column's type */
    EV_NOT, /* truth values */
    EV_AND,
    EV_OR,
    EV_NEG, /* numbers */
    EV_ADD,
    EV_SUB,
    EV_MUL,
    EV_DIV,
    EV_EQ, /* numbers or strings (str set) */
    EV_NE,
    EV_LT, /* numbers */
    EV_LE,
    EV_GT,
    EV_GE,
    EV_IN, /* a in items (constants of a's type) */
    EV_NOTIN
};

struct ev_node {
    enum ev_op op;
    bool str;      /* EV_EQ/NE/IN/NOTIN: compares strings */
    double num;    /* EV_NUM */
    const char *s; /* EV_STR */
    uint32_t col;  /* EV_COL */
    const struct ev_node *a, *b;
    const struct ev_node *const *items; /* EV_IN, EV_NOTIN */
    uint32_t nitems;
};

/* The truth of a boolean node on a row (no column it reads is missing). */
CASUS_INTERNAL bool ev_eval_bool(const struct ev_node *x, const struct ev_table *t, uint32_t row);

/* The columns x reads, marked in used[ncols]. */
CASUS_INTERNAL void ev_mark_columns(const struct ev_node *x, bool *used);

struct ev_count {
    uint32_t rows;    /* rows in the table */
    uint32_t n;       /* rows in the class (where holds, nothing missing) */
    uint32_t k;       /* of those, rows with the outcome */
    uint32_t dropped; /* rows left out for a missing cell (see above) */
    double rate;      /* k / n; NaN when n == 0 */
    double lo, hi;    /* Jeffreys 95 % interval; NaN when n == 0 */
};

/* Count the reference class: where may be NULL (every row).  ncols bools
 * of scratch in `used` (caller-owned, 2 * ncols).  O(rows x sizes). */
CASUS_INTERNAL void ev_count_rows(const struct ev_table *t, const struct ev_node *where,
                                  const struct ev_node *outcome, bool *used, struct ev_count *out);

/* The Jeffreys 95 % interval of k successes in n > 0 trials. */
CASUS_INTERNAL void ev_jeffreys(uint32_t k, uint32_t n, double *lo, double *hi);

#endif
