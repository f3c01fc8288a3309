/*
 * table.h — a CSV file read into a table of cells, for evidence queries
 * (reference classes counted over ICB, MID or any CSV) and the catalogue
 * of shipped datasets.
 *
 * Pipeline: bytes ─ table (this) ─ row expressions (rowexpr.h, compiled by
 * lang/check_columns.c) ─ counts (count.h).  This wing sits below lang so
 * that the scenario checker can count a reference class when a file loads.
 *
 * Format: RFC 4180 — comma-separated fields, a field in double quotes may
 * hold commas and "" for a quote (not newlines: one record a line), \n or
 * \r\n line ends, a header row of column names, an optional UTF-8 byte
 * order mark, blank lines skipped.  A cell that is empty (after trimming
 * blanks) is missing, as is one equal to a missing-value code given by the
 * caller (MID writes -9: a code matches a cell with the same text, or with
 * the same number when both are numbers).  A cell is a number when its
 * whole trimmed text is a finite decimal number (strtod); a column is
 * numeric when every present cell is a number, else text.
 *
 * Errors are diagnostics at file:line:col of the cell, with a caret: a row
 * with a different number of fields than the header, an unterminated quote,
 * an empty or duplicate column name; status CASUS_EINVAL.
 *
 * Ownership: every array lives in the arena passed in; cell strings are
 * NUL-terminated arena copies (quotes removed, "" unescaped).  The text
 * belongs to the diagnostics context (source id src).  Limits: 2^31 rows,
 * 4096 columns.  Reading is one pass, O(bytes).
 */
#ifndef CASUS_EVIDENCE_TABLE_H
#define CASUS_EVIDENCE_TABLE_H

#include "base/diag.h"

#define EV_TABLE_MAX_COLS 4096

enum ev_cell_kind { EV_CELL_MISSING, EV_CELL_NUM, EV_CELL_TEXT };

struct ev_cell {
    const char *s; /* the cell's text (unquoted), "" when missing */
    double num;    /* its value when kind is EV_CELL_NUM */
    uint32_t off;  /* byte offset of the cell in the source, for carets */
    uint8_t kind;  /* enum ev_cell_kind */
};

struct ev_table {
    uint32_t src; /* the CSV's source id in the diagnostics */
    uint32_t ncols, nrows;
    const char **names;       /* ncols column names */
    struct casus_span *spans; /* of each name in the header */
    bool *numeric;            /* ncols: every present cell a number */
    uint32_t *first_text;     /* ncols: row of the first text cell (text columns) */
    struct ev_cell *cells;    /* nrows * ncols, row-major */
};

/* Read source src of d.  na[0..nna) are extra missing-value codes.
 * CASUS_EINVAL with diagnostics, CASUS_ELIMIT, CASUS_ENOMEM. */
CASUS_INTERNAL casus_status ev_table_read(struct ev_table *t, struct casus_arena *a,
                                          struct casus_diags *d, uint32_t src,
                                          const char *const *na, size_t nna);

/* The column named name, or -1.  O(columns). */
CASUS_INTERNAL int32_t ev_table_find(const struct ev_table *t, const char *name);

/* Cell (row, col). */
static inline const struct ev_cell *ev_table_cell(const struct ev_table *t, uint32_t row,
                                                  uint32_t col)
{
    return &t->cells[(size_t)row * t->ncols + col];
}

#endif
