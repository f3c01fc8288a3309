/*
 * lex.h — the casus lexer: source text to tokens.
 *
 * Pipeline: text ─ lex ─ parse ─ check.  The lexer works on one source held by
 * the diagnostics context and produces tokens on demand (casus_lex_next);
 * tokens carry byte spans into the source, never copies.  Words are not
 * reserved: `treaty`, `covered`, `from` are ordinary identifiers that the
 * parser recognises by position, so new keywords never break old files.
 *
 * Lexical rules (docs/language.md §1): `#` comments to end of line;
 * identifiers [A-Za-z_][A-Za-z0-9_]* with inner hyphens ("north-atlantic",
 * "own-judgment": a '-' followed by a letter or digit continues a word, so
 * subtraction needs spaces); numbers 12, 1.5, 2e-3; dates YYYY-MM-DD;
 * strings "…" with \" \\ \n \t escapes, one line each (adjacent strings
 * join); punctuation { } ( ) [ ] , ; : = == != < <= > >= + - * / . and ..
 */
#ifndef CASUS_LEX_H
#define CASUS_LEX_H

#include "base/diag.h"

#define CASUS_TOKEN_LIST(X)                                                                        \
    X(EOF, "end of file")                                                                          \
    X(IDENT, "identifier")                                                                         \
    X(NUMBER, "number")                                                                            \
    X(DATE, "date")                                                                                \
    X(STRING, "string")                                                                            \
    X(LBRACE, "'{'")                                                                               \
    X(RBRACE, "'}'")                                                                               \
    X(LPAREN, "'('")                                                                               \
    X(RPAREN, "')'")                                                                               \
    X(LBRACKET, "'['")                                                                             \
    X(RBRACKET, "']'")                                                                             \
    X(COMMA, "','")                                                                                \
    X(SEMI, "';'")                                                                                 \
    X(COLON, "':'")                                                                                \
    X(ASSIGN, "'='")                                                                               \
    X(EQ, "'=='")                                                                                  \
    X(NE, "'!='")                                                                                  \
    X(LT, "'<'")                                                                                   \
    X(LE, "'<='")                                                                                  \
    X(GT, "'>'")                                                                                   \
    X(GE, "'>='")                                                                                  \
    X(PLUS, "'+'")                                                                                 \
    X(MINUS, "'-'")                                                                                \
    X(STAR, "'*'")                                                                                 \
    X(SLASH, "'/'")                                                                                \
    X(DOT, "'.'")                                                                                  \
    X(DOTDOT, "'..'")                                                                              \
    X(ARROW, "'->'")                                                                               \
    X(ERROR, "invalid token")

// clang-format off
enum casus_tok {
#define X(name, desc) CASUS_TOK_##name,
    CASUS_TOKEN_LIST(X)
#undef X
    CASUS_TOK_COUNT
};
// clang-format on

struct casus_token {
    enum casus_tok kind;
    uint32_t start, end; /* byte span in the source */
};

struct casus_lexer {
    struct casus_diags *diags; /* where errors go (borrowed) */
    uint32_t src;              /* source id */
    const char *text;          /* the source text (borrowed from diags) */
    uint32_t len;
    uint32_t pos; /* next byte to read */
};

/* Start lexing source `src` of `diags`. */
CASUS_INTERNAL void casus_lex_init(struct casus_lexer *lx, struct casus_diags *diags, uint32_t src);

/* Next token.  Malformed input yields CASUS_TOK_ERROR after recording a
 * diagnostic; the lexer then continues after the bad bytes.  O(token length). */
CASUS_INTERNAL struct casus_token casus_lex_next(struct casus_lexer *lx);

/* Human description of a token kind ("identifier", "'{'"). */
CASUS_INTERNAL const char *casus_tok_name(enum casus_tok k);

/* Decode the text of a STRING token (escapes resolved) into the arena. */
CASUS_INTERNAL char *casus_lex_string_value(struct casus_arena *a, const char *text,
                                            const struct casus_token *t);

#endif
