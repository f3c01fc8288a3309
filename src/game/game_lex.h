/*
 * game_lex.h — the token scanner shared by the Gambit .efg and .nfg readers
 * (efg.c, nfg.c).  Gambit files are a whitespace-separated token stream:
 * `{`, `}`, `,`, quoted strings (`\"` is a quote; a backslash before any
 * other character is kept with it), numbers and bare symbols.  The lexer
 * works on the caller's text in place and never allocates; strings are
 * decoded on request into the parser's arena.
 */
#ifndef CASUS_GAME_LEX_H
#define CASUS_GAME_LEX_H

#include "base/diag.h"
#include "game/gtree.h"

enum casus_gtok {
    CASUS_GTOK_EOF,
    CASUS_GTOK_LBRACE,
    CASUS_GTOK_RBRACE,
    CASUS_GTOK_COMMA,
    CASUS_GTOK_STRING,
    CASUS_GTOK_NUMBER, /* starts with a digit, '-', '+' or '.' */
    CASUS_GTOK_SYMBOL,
    CASUS_GTOK_BAD,   /* an unterminated string */
    CASUS_GTOK_NULSTR /* a string containing a NUL byte (labels are C strings) */
};

struct casus_glex {
    const char *s; /* source text (borrowed) */
    size_t len;
    size_t pos;   /* scan position */
    uint32_t src; /* source id for spans */
    enum casus_gtok tok;
    size_t start, end; /* current token's bytes [start, end) */
};

/* Start scanning s[0..len) and read the first token. */
CASUS_INTERNAL void casus_glex_init(struct casus_glex *lx, const char *s, size_t len, uint32_t src);
/* Advance to the next token. O(token length). */
CASUS_INTERNAL void casus_glex_next(struct casus_glex *lx);
/* Span of the current token. */
CASUS_INTERNAL struct casus_span casus_glex_span(const struct casus_glex *lx);
/* Decode the current STRING token (without quotes) into the arena; NULL on
 * out of memory. */
CASUS_INTERNAL char *casus_glex_string(const struct casus_glex *lx, struct casus_arena *a);
/* Is the current token the bare symbol sym? */
CASUS_INTERNAL bool casus_glex_is(const struct casus_glex *lx, const char *sym);
/* Parse the current NUMBER token as a non-negative integer <= max.  False
 * if it is not one. */
CASUS_INTERNAL bool casus_glex_uint(const struct casus_glex *lx, uint64_t max, uint64_t *out);
/* A short printable description of the current token for messages, e.g.
 * "'}'", "end of file", "string", "'foo'" (truncated). */
CASUS_INTERNAL const char *casus_glex_describe(const struct casus_glex *lx, char *buf, size_t n);

/* Append s as a Gambit quoted string (escaping '"'). */
CASUS_INTERNAL void casus_gwrite_str(casus_buf *out, const char *s);
/* Append a number: its original text, or %.17g when it has none. */
CASUS_INTERNAL void casus_gwrite_num(casus_buf *out, const struct casus_num *n);

#endif
