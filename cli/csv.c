/*
 * csv.c — RFC 4180 reader with positions (see csv.h).
 */
#include "csv.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void csv_init(struct csv_reader *r, const char *name, const char *text, size_t len)
{
    memset(r, 0, sizeof *r);
    r->name = name;
    r->text = text;
    r->len = len;
    /* Skip a UTF-8 byte order mark. */
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        r->pos = 3;
}

void csv_release(struct csv_reader *r)
{
    free(r->scratch);
    r->scratch = NULL;
}

static bool reserve(struct csv_reader *r, size_t need)
{
    if (need <= r->cap)
        return true;
    size_t cap = r->cap ? r->cap : 256;
    while (cap < need)
        cap *= 2;
    char *p = realloc(r->scratch, cap);
    if (!p)
        return false;
    /* Re-point fields into the moved scratch buffer. */
    for (int i = 0; i < r->nfields; i++)
        r->field[i] = p + (r->field[i] - r->scratch);
    r->scratch = p;
    r->cap = cap;
    return true;
}

int csv_next(struct csv_reader *r)
{
    r->nfields = 0;
    if (r->pos >= r->len)
        return 0;
    r->row_start = r->pos;
    size_t used = 0;
    if (!reserve(r, r->len - r->pos + 1 + CSV_MAX_FIELDS)) {
        snprintf(r->error, sizeof r->error, "out of memory");
        r->error_at = r->pos;
        return -1;
    }
    for (;;) {
        if (r->nfields == CSV_MAX_FIELDS) {
            snprintf(r->error, sizeof r->error, "more than %d fields in a row", CSV_MAX_FIELDS);
            r->error_at = r->pos;
            return -1;
        }
        r->start[r->nfields] = r->pos;
        r->field[r->nfields] = r->scratch + used;
        if (r->pos < r->len && r->text[r->pos] == '"') {
            size_t open = r->pos++;
            for (;;) {
                if (r->pos >= r->len) {
                    snprintf(r->error, sizeof r->error, "unterminated quoted field");
                    r->error_at = open;
                    return -1;
                }
                char c = r->text[r->pos++];
                if (c == '\0') {
                    snprintf(r->error, sizeof r->error, "NUL byte in a field");
                    r->error_at = r->pos - 1;
                    return -1;
                }
                if (c == '"') {
                    if (r->pos < r->len && r->text[r->pos] == '"') {
                        r->scratch[used++] = '"';
                        r->pos++;
                        continue;
                    }
                    break;
                }
                r->scratch[used++] = c;
            }
            if (r->pos < r->len && r->text[r->pos] != ',' && r->text[r->pos] != '\n' &&
                r->text[r->pos] != '\r') {
                snprintf(r->error, sizeof r->error, "unexpected text after a quoted field");
                r->error_at = r->pos;
                return -1;
            }
        } else {
            while (r->pos < r->len && r->text[r->pos] != ',' && r->text[r->pos] != '\n' &&
                   r->text[r->pos] != '\r') {
                if (r->text[r->pos] == '"' || r->text[r->pos] == '\0') {
                    snprintf(r->error, sizeof r->error, "%s",
                             r->text[r->pos] == '"'
                                 ? "quote inside an unquoted field (quote the whole field)"
                                 : "NUL byte in a field");
                    r->error_at = r->pos;
                    return -1;
                }
                r->scratch[used++] = r->text[r->pos++];
            }
        }
        r->scratch[used++] = '\0';
        r->nfields++;
        if (r->pos < r->len && r->text[r->pos] == ',') {
            r->pos++;
            continue;
        }
        r->row_end = r->pos;
        if (r->pos < r->len && r->text[r->pos] == '\r')
            r->pos++;
        if (r->pos < r->len && r->text[r->pos] == '\n')
            r->pos++;
        return 1;
    }
}

/* Caret line: under each unit of text[ls..at) as much blank as it takes
 * on screen (a tab for a tab, four for an escaped byte), then '^' and '~'
 * under the rest of the span within the line [.., le). */
static void caret(FILE *to, const char *text, size_t ls, size_t at, size_t len, size_t le)
{
    fputs("      | ", to);
    for (size_t i = ls; i < at;) {
        bool esc;
        size_t n = cli_text_unit(text + i, at - i, &esc);
        fputs(text[i] == '\t' ? "\t" : esc ? "    " : " ", to);
        i += n;
    }
    fputc('^', to);
    size_t i = at;
    if (i < le) {
        bool esc;
        i += cli_text_unit(text + i, le - i, &esc);
    }
    while (i < at + len && i < le) {
        bool esc;
        size_t n = cli_text_unit(text + i, le - i, &esc);
        fputs(esc ? "~~~~" : "~", to);
        i += n;
    }
    fputc('\n', to);
}

void csv_report(FILE *to, const char *name, const char *text, size_t textlen, size_t at, size_t len,
                const char *msg)
{
    if (at > textlen)
        at = textlen;
    size_t line = 1, ls = 0;
    for (size_t i = 0; i < at; i++)
        if (text[i] == '\n') {
            line++;
            ls = i + 1;
        }
    size_t col = 1;
    for (size_t i = ls; i < at;) {
        bool esc;
        i += cli_text_unit(text + i, at - i, &esc);
        col++;
    }
    size_t le = at;
    while (le < textlen && text[le] != '\n' && text[le] != '\r')
        le++;
    cli_text_write(to, name, strlen(name), false);
    fprintf(to, ":%zu:%zu: error: ", line, col);
    cli_text_write(to, msg, strlen(msg), false);
    fprintf(to, "\n%5zu | ", line);
    cli_text_write(to, text + ls, le - ls, false);
    fputc('\n', to);
    caret(to, text, ls, at, len, le);
}
