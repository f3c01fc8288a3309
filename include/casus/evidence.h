/*
 * evidence.h — reference classes: how often did cases like this one turn
 * out so, counted in crisis data that ship with casus (ICB v14 crises and
 * crisis actors, MID 5.0 disputes and participants) or in any CSV file.
 * The tutorial is docs/evidence.md.
 *
 * A query names a dataset, a condition `where` that picks the reference
 * class and a condition `outcome` counted in it, both casus expressions
 * over the columns (docs/language.md: numbers, text in quotes, == != < <=
 * > >=, + - * /, and, or, not, `in [..]`).  The answer is n (rows in the
 * class), k (of them, rows with the outcome), the rate k / n, the Jeffreys
 * 95 % interval (the 2.5 % and 97.5 % quantiles of Beta(k + 1/2,
 * n - k + 1/2)), the rows dropped because a cell the query reads is
 * missing (empty, or one of the extra missing-value codes), and the data's
 * citation.  In a scenario, `param p = evidence(...)` takes that Beta as
 * its distribution (docs/language.md §8).
 *
 * Errors (an unknown dataset or column, with "did you mean"; a type error;
 * a malformed CSV) are diagnostics on the engine with a caret into the
 * expression, shown as <where>:1:7 or <outcome>:1:3, or into the CSV.
 */
#ifndef CASUS_EVIDENCE_H
#define CASUS_EVIDENCE_H

#include "casus/casus.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct casus_evidence_query {
    const char *dataset;        /* a shipped dataset's name, or a CSV file's path
                                   (one with '/' or ending in .csv) */
    const char *where;          /* the reference class; NULL or "" for every row */
    const char *outcome;        /* the condition counted in it */
    const char *const *missing; /* extra missing-value codes (MID uses -9) */
    size_t nmissing;
} casus_evidence_query;

typedef struct casus_evidence_result {
    const char *dataset;  /* as named */
    const char *title;    /* the shipped dataset's title, or NULL */
    const char *citation; /* how to cite it, or NULL for one's own CSV */
    const char *url;      /* where it is distributed, or NULL */
    const char *where;    /* NULL: every row */
    const char *outcome;
    const char *missing; /* the extra codes, ", "-joined, or NULL */
    uint64_t rows;       /* rows in the data */
    uint64_t n, k;       /* rows in the class, and with the outcome */
    uint64_t dropped;    /* rows left out for a missing cell the query reads */
    double rate;         /* k / n; NaN when n == 0 */
    double lo, hi;       /* the Jeffreys 95 % interval; NaN when n == 0 */
} casus_evidence_result;

/* Count a reference class.  Strings in the result are borrowed from the
 * engine.  CASUS_ECOMPILE for a bad expression or CSV (diagnostics),
 * CASUS_ENOTFOUND for an unknown dataset (a diagnostic with a suggestion),
 * CASUS_EIO for an unreadable file, CASUS_ELIMIT, CASUS_ENOMEM. */
CASUS_API casus_status casus_evidence_count(casus_engine *e, const casus_evidence_query *q,
                                            casus_evidence_result *out);

/* The result for people (n, k, rate, interval, dropped rows, citation),
 * or as one JSON object {dataset, title, where, outcome, missing, rows, n,
 * k, rate, interval: [lo, hi], dropped, citation, url} with a newline. */
CASUS_API casus_status casus_evidence_write_text(const casus_evidence_result *r, casus_buf *out);
CASUS_API casus_status casus_evidence_write_json(const casus_evidence_result *r, casus_buf *out);

/* The shipped datasets, one a line: name, unit of observation, title. */
CASUS_API casus_status casus_evidence_write_datasets(casus_engine *e, casus_buf *out);

/* A dataset's columns, one a line: name, number or text, missing cells,
 * and the smallest and largest value (numbers) or the first value (text).
 * Errors as for casus_evidence_count. */
CASUS_API casus_status casus_evidence_write_columns(casus_engine *e, const char *dataset,
                                                    const char *const *missing, size_t nmissing,
                                                    casus_buf *out);

#ifdef __cplusplus
}
#endif
#endif /* CASUS_EVIDENCE_H */
