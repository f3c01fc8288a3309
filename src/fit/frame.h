/*
 * frame.h — a data frame read from CSV: named columns of numbers or factor
 * levels, with missing values, for the fit wing (design.c builds model
 * matrices from it).
 *
 * Format: RFC 4180 CSV (comma separated, fields with commas, quotes or
 * newlines in double quotes, "" for a quote), a header row of column names,
 * \n or \r\n line ends, an optional UTF-8 byte order mark, blank lines
 * skipped.  A cell that is empty or NA is missing.  Reading is lazy and in
 * two steps: fit_frame_open reads the header, fit_frame_load reads only the
 * columns asked for, in one pass over the text.  A loaded column is numeric
 * when every present cell is a decimal number (parsed exactly: the nearest
 * double, as R reads it); otherwise its cells are kept as text, and
 * fit_frame_factor turns them into a factor: levels in alphabetical order
 * (ASCII case folded first, as R sorts them in an English locale; numbers
 * in numeric order when every level is a number) or in an order given.
 *
 * Errors (a row with the wrong number of fields, an unterminated quote, a
 * duplicate column name, a value outside the given levels) are diagnostics
 * at file:line:col of the cell; the status is CASUS_EINVAL.
 *
 * Ownership: the frame's arrays live in the arena passed in; the text is
 * the diagnostics context's copy of the source (it outlives the frame).
 * Limits: 4 GiB of text, 2^31 rows, 65,536 columns.
 */
#ifndef CASUS_FIT_FRAME_H
#define CASUS_FIT_FRAME_H

#include "base/diag.h"

#define FIT_FRAME_MAX_COLS 65536

struct fit_column {
    const char *name;       /* NUL-terminated, unquoted */
    struct casus_span span; /* of the name in the header */
    bool loaded;            /* fit_frame_load read it */
    bool text;              /* cells kept as text (see header) */
    uint32_t nbad;          /* present cells that are not numbers */
    uint32_t first_bad;     /* row of the first of them */
    struct casus_span bad;  /* and its span */
    double *num;            /* nrows numbers; NAN when missing or not a number */
    uint32_t *off, *len;    /* text columns: each cell's bytes (quotes stripped) */
    bool *quoted;           /* text columns: the cell was quoted ("" to unescape) */
    bool *missing;          /* text columns: the cell is missing */
    /* after fit_frame_factor: */
    int32_t *code;       /* nrows level numbers, -1 when missing */
    const char **levels; /* nlevels names */
    uint32_t nlevels;
};

struct fit_frame {
    struct casus_diags *d;
    uint32_t src;     /* the CSV's source id in d */
    const char *text; /* its bytes */
    uint32_t len;
    uint32_t data_start; /* first byte after the header */
    uint32_t ncols;
    struct fit_column *cols;
    uint32_t nrows; /* data rows (after fit_frame_load) */
};

/* Read the header of source src.  CASUS_EINVAL (diagnostic) for an empty
 * file, a duplicate or empty column name, bad quoting; CASUS_ELIMIT;
 * CASUS_ENOMEM.  O(header). */
CASUS_INTERNAL casus_status fit_frame_open(struct fit_frame *f, struct casus_arena *a,
                                           struct casus_diags *d, uint32_t src);

/* The column named name (len bytes), or -1. */
CASUS_INTERNAL int fit_frame_find(const struct fit_frame *f, const char *name, size_t len);

/* Read every data row, keeping the columns with need[c] set (as text when
 * text[c] is set, else as numbers where they are numbers).  Counts rows.
 * CASUS_EINVAL with a diagnostic for a malformed row.  One pass, O(text). */
CASUS_INTERNAL casus_status fit_frame_load(struct fit_frame *f, struct casus_arena *a,
                                           const bool *need, const bool *text);

/* Make loaded column c a factor over the rows with use[r] (NULL: all):
 * levels are the distinct present values among those rows, ordered as the
 * header says, or as the nord names in order[] (every value used must be
 * one of them; unused names are dropped, like R's drop.unused.levels).
 * span: where the order was given (for its diagnostics).  CASUS_EINVAL
 * with a diagnostic; CASUS_ENOMEM.  O(rows log levels). */
CASUS_INTERNAL casus_status fit_frame_factor(struct fit_frame *f, struct casus_arena *a, uint32_t c,
                                             const bool *use, const char *const *order,
                                             uint32_t nord);

/* The text of cell (row, c) of a text column, unescaped, in the arena. */
CASUS_INTERNAL const char *fit_frame_cell_text(const struct fit_frame *f, struct casus_arena *a,
                                               uint32_t c, uint32_t row);

/* The span of cell (row, c) of a loaded text column, for diagnostics. */
CASUS_INTERNAL struct casus_span fit_frame_cell_span(const struct fit_frame *f, uint32_t c,
                                                     uint32_t row);

/* Parse a whole decimal number (sign, digits, point, exponent; leading and
 * trailing blanks allowed) into the nearest double; false when s is not
 * one.  Exact: a fast path checked against rounding ties, else strtod. */
CASUS_INTERNAL bool fit_parse_number(const char *s, size_t len, double *out);

#endif
