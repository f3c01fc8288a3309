/*
 * text.h — showing untrusted text on a terminal: file contents and
 * arguments pass through unchanged when they are printable UTF-8, and every
 * byte a terminal could act on (control characters such as ESC and BEL, the
 * C1 controls, bytes that are not valid UTF-8) is shown escaped as \xHH.
 * Used by every message the front end prints itself (cli_error, the CSV
 * caret diagnostics).  Depends on nothing but libc, so the CSV fuzz target
 * links it alone.  (The library's own diagnostics are rendered by
 * src/base/diag.c; a shared library sanitiser may replace this one.)
 */
#ifndef CASUS_CLI_TEXT_H
#define CASUS_CLI_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Echoed arguments are cut after this many characters. */
#define CLI_QUOTE_MAX 80
/* Room for CLI_QUOTE_MAX characters, each at most 4 bytes shown, "..." and NUL. */
#define CLI_QUOTE_SIZE (CLI_QUOTE_MAX * 4 + 4)

/* The next unit of s[0..n) (n > 0): its length in bytes; *escape is set
 * when it is one byte to show as \xHH (a control character other than tab
 * and newline, DEL, or a byte that does not start a valid UTF-8 sequence),
 * and cleared for a printable character (a valid, shortest-form UTF-8
 * sequence that is not a surrogate nor a C1 control), tab or newline.
 * O(1). */
size_t cli_text_unit(const char *s, size_t n, bool *escape);

/* Write s[0..n) to `to`, escaping as cli_text_unit says; newlines are
 * written as they are when keep_newline, else escaped.  O(n). */
void cli_text_write(FILE *to, const char *s, size_t n, bool keep_newline);

/* s as cli_text_write would show it (newlines escaped), cut after
 * CLI_QUOTE_MAX characters with "..." appended, in buf (CLI_QUOTE_SIZE
 * bytes); returns buf.  For echoing a name or an argument in a message. */
const char *cli_quote(char *buf, const char *s);

#endif
