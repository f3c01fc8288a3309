/*
 * csv.h — a small RFC 4180 reader for `casus check --batch` (quoted fields,
 * doubled quotes, CRLF, a UTF-8 byte order mark skipped), which remembers
 * where each field starts so errors can point at it with file:line:col and
 * a caret.  A NUL byte anywhere in a field is an error (it would cut the
 * field short).
 */
#ifndef CASUS_CLI_CSV_H
#define CASUS_CLI_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define CSV_MAX_FIELDS 64

struct csv_reader {
    const char *name; /* file name for messages */
    const char *text; /* whole file (borrowed) */
    size_t len, pos;
    char *scratch; /* unescaped field text of the current row */
    size_t cap;
    int nfields;
    const char *field[CSV_MAX_FIELDS];
    size_t start[CSV_MAX_FIELDS]; /* byte offset of each field in text */
    size_t row_start;
    size_t row_end; /* where the row's last field ends (before its line end) */
    char error[200];
    size_t error_at;
};

void csv_init(struct csv_reader *r, const char *name, const char *text, size_t len);
void csv_release(struct csv_reader *r);

/* Read the next row: 1 = a row, 0 = end of input, -1 = malformed (error and
 * error_at say what and where). */
int csv_next(struct csv_reader *r);

/* Print "name:line:col: error: msg", the line and a caret under byte `at`
 * spanning `len` bytes, to `to`; control characters and invalid UTF-8 in
 * the message and the line are shown escaped (text.h), the caret still
 * under its byte. */
void csv_report(FILE *to, const char *name, const char *text, size_t textlen, size_t at, size_t len,
                const char *msg);

#endif
