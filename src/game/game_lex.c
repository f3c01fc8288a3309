/*
 * game_lex.c — token scanner and quoting helpers for Gambit files (see
 * game_lex.h).
 */
#include "game/game_lex.h"
#include "base/buf.h"

#include <stdio.h>

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static bool is_delim(char c)
{
    return is_space(c) || c == '{' || c == '}' || c == ',' || c == '"';
}

void casus_glex_init(struct casus_glex *lx, const char *s, size_t len, uint32_t src)
{
    lx->s = s;
    lx->len = len;
    lx->pos = 0;
    lx->src = src;
    casus_glex_next(lx);
}

void casus_glex_next(struct casus_glex *lx)
{
    const char *s = lx->s;
    size_t i = lx->pos, n = lx->len;
    while (i < n && is_space(s[i]))
        i++;
    lx->start = i;
    if (i >= n) {
        lx->tok = CASUS_GTOK_EOF;
        lx->end = lx->pos = n;
        return;
    }
    char c = s[i];
    if (c == '{' || c == '}' || c == ',') {
        lx->tok = c == '{' ? CASUS_GTOK_LBRACE : c == '}' ? CASUS_GTOK_RBRACE : CASUS_GTOK_COMMA;
        lx->end = lx->pos = i + 1;
        return;
    }
    if (c == '"') {
        i++;
        while (i < n && s[i] != '"') {
            if (s[i] == '\\' && i + 1 < n)
                i++;
            if (s[i] == '\0') {
                lx->tok = CASUS_GTOK_NULSTR;
                lx->end = lx->start + 1;
                lx->pos = n;
                return;
            }
            i++;
        }
        if (i >= n) {
            lx->tok = CASUS_GTOK_BAD;
            lx->end = lx->start + 1;
            lx->pos = n;
            return;
        }
        lx->tok = CASUS_GTOK_STRING;
        lx->end = lx->pos = i + 1;
        return;
    }
    while (i < n && !is_delim(s[i]))
        i++;
    lx->end = lx->pos = i;
    lx->tok = (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' ? CASUS_GTOK_NUMBER
                                                                         : CASUS_GTOK_SYMBOL;
}

struct casus_span casus_glex_span(const struct casus_glex *lx)
{
    struct casus_span sp = {lx->src, (uint32_t)lx->start, (uint32_t)lx->end};
    return sp;
}

char *casus_glex_string(const struct casus_glex *lx, struct casus_arena *a)
{
    size_t b = lx->start + 1, e = lx->end - 1;
    char *out = casus_arena_alloc(a, e - b + 1);
    if (!out)
        return NULL;
    size_t k = 0;
    for (size_t i = b; i < e; i++) {
        if (lx->s[i] == '\\' && i + 1 < e) {
            /* pair the backslash with its next byte, as the scanner does */
            if (lx->s[i + 1] != '"')
                out[k++] = '\\';
            out[k++] = lx->s[++i];
        } else {
            out[k++] = lx->s[i];
        }
    }
    out[k] = '\0';
    return out;
}

bool casus_glex_is(const struct casus_glex *lx, const char *sym)
{
    return lx->tok == CASUS_GTOK_SYMBOL &&
           casus_streq_n(lx->s + lx->start, lx->end - lx->start, sym);
}

bool casus_glex_uint(const struct casus_glex *lx, uint64_t max, uint64_t *out)
{
    if (lx->tok != CASUS_GTOK_NUMBER)
        return false;
    uint64_t v = 0;
    for (size_t i = lx->start; i < lx->end; i++) {
        char c = lx->s[i];
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (uint64_t)(c - '0');
        if (v > max)
            return false;
    }
    *out = v;
    return true;
}

const char *casus_glex_describe(const struct casus_glex *lx, char *buf, size_t n)
{
    switch (lx->tok) {
    case CASUS_GTOK_EOF: return "end of file";
    case CASUS_GTOK_LBRACE: return "'{'";
    case CASUS_GTOK_RBRACE: return "'}'";
    case CASUS_GTOK_COMMA: return "','";
    case CASUS_GTOK_STRING: return "a string";
    case CASUS_GTOK_BAD: return "an unterminated string";
    case CASUS_GTOK_NULSTR: return "a string containing a NUL byte";
    default: break;
    }
    size_t len = lx->end - lx->start;
    if (len > 24)
        len = 24;
    /* keep printable ASCII only, so messages stay one clean line */
    char tmp[32];
    size_t k = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)lx->s[lx->start + i];
        tmp[k++] = c >= 0x20 && c < 0x7f && c != '\'' ? (char)c : '?';
    }
    tmp[k] = '\0';
    snprintf(buf, n, "'%s%s'", tmp, lx->end - lx->start > 24 ? "..." : "");
    return buf;
}

void casus_gwrite_str(casus_buf *out, const char *s)
{
    casus_buf_putc(out, '"');
    /* Read labels consist of plain bytes, '"' (written as \") and
     * backslash pairs, which are written back as they came.  A backslash at
     * the end of a label made by code is doubled so the file stays valid. */
    for (const char *p = s ? s : ""; *p; p++) {
        if (*p == '"') {
            casus_buf_puts(out, "\\\"");
        } else if (*p == '\\') {
            casus_buf_putc(out, '\\');
            if (p[1] && p[1] != '"')
                casus_buf_putc(out, *++p);
            else
                casus_buf_putc(out, '\\');
        } else {
            casus_buf_putc(out, *p);
        }
    }
    casus_buf_putc(out, '"');
}

void casus_gwrite_num(casus_buf *out, const struct casus_num *n)
{
    if (n->text)
        casus_buf_puts(out, n->text);
    else
        casus_buf_printf(out, "%.17g", n->d);
}
