/*
 * buf.h — appending to a casus_buf (the public growable text buffer).
 * Buffers use plain malloc: rendered output is handed to the caller, who frees
 * it with casus_buf_release().  On allocation failure the buffer sets
 * `failed`, ignores further appends, and casus_buf_status() reports
 * CASUS_ENOMEM — so renderers append freely and check once at the end.
 */
#ifndef CASUS_BUF_H
#define CASUS_BUF_H

#include "base/internal.h"

CASUS_INTERNAL void casus_buf_putc(casus_buf *b, char c);
/* Append s as a JSON string literal (quotes and escapes; NULL gives null). */
CASUS_INTERNAL void casus_buf_json_str(casus_buf *b, const char *s);
CASUS_INTERNAL void casus_buf_json_strn(casus_buf *b, const char *s, size_t len);
/* Append a double as JSON: shortest round-trip form; non-finite gives null. */
CASUS_INTERNAL void casus_buf_json_num(casus_buf *b, double v);
/* Append s as one CSV field (quoted when it holds , " or a newline). */
CASUS_INTERNAL void casus_buf_csv_field(casus_buf *b, const char *s);
CASUS_INTERNAL casus_status casus_buf_status(const casus_buf *b);

#endif
