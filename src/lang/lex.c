/*
 * lex.c — the casus lexer (see lex.h for the lexical rules).
 */
#include "lang/lex.h"

static const char *const tok_names[] = {
#define X(name, desc) desc,
    CASUS_TOKEN_LIST(X)
#undef X
};
_Static_assert(CASUS_ARRAY_LEN(tok_names) == CASUS_TOK_COUNT, "token name table");

const char *casus_tok_name(enum casus_tok k)
{
    return (unsigned)k < CASUS_TOK_COUNT ? tok_names[k] : "token";
}

void casus_lex_init(struct casus_lexer *lx, struct casus_diags *diags, uint32_t src)
{
    const struct casus_source *s = casus_diags_source(diags, src);
    lx->diags = diags;
    lx->src = src;
    lx->text = s ? s->text : "";
    lx->len = s ? s->len : 0;
    lx->pos = 0;
}

static bool is_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
static bool is_digit(int c)
{
    return c >= '0' && c <= '9';
}
static bool is_alnum(int c)
{
    return is_alpha(c) || is_digit(c);
}

static int peek(const struct casus_lexer *lx, uint32_t k)
{
    return lx->pos + k < lx->len ? (unsigned char)lx->text[lx->pos + k] : -1;
}

static struct casus_token tok(enum casus_tok k, uint32_t start, uint32_t end)
{
    struct casus_token t = {k, start, end};
    return t;
}

static struct casus_token lex_error(struct casus_lexer *lx, uint32_t start, uint32_t end,
                                    const char *code, const char *msg)
{
    struct casus_span sp = {lx->src, start, end};
    casus_diag_add(lx->diags, CASUS_SEV_ERROR, &sp, code, "%s", msg);
    return tok(CASUS_TOK_ERROR, start, end);
}

/* "YYYY-MM-DD" starting at pos? */
static bool looks_like_date(const struct casus_lexer *lx)
{
    for (int i = 0; i < 10; i++) {
        int c = peek(lx, (uint32_t)i);
        if (i == 4 || i == 7) {
            if (c != '-')
                return false;
        } else if (!is_digit(c)) {
            return false;
        }
    }
    return !is_alnum(peek(lx, 10));
}

static struct casus_token lex_number(struct casus_lexer *lx)
{
    uint32_t start = lx->pos;
    if (looks_like_date(lx)) {
        lx->pos += 10;
        return tok(CASUS_TOK_DATE, start, lx->pos);
    }
    while (is_digit(peek(lx, 0)))
        lx->pos++;
    if (peek(lx, 0) == '.' && is_digit(peek(lx, 1))) {
        lx->pos++;
        while (is_digit(peek(lx, 0)))
            lx->pos++;
    }
    if (peek(lx, 0) == 'e' || peek(lx, 0) == 'E') {
        uint32_t k = 1;
        if (peek(lx, 1) == '+' || peek(lx, 1) == '-')
            k = 2;
        if (is_digit(peek(lx, k))) {
            lx->pos += k;
            while (is_digit(peek(lx, 0)))
                lx->pos++;
        }
    }
    if (is_alpha(peek(lx, 0))) {
        while (is_alnum(peek(lx, 0)))
            lx->pos++;
        return lex_error(lx, start, lx->pos, "bad-number", "malformed number");
    }
    return tok(CASUS_TOK_NUMBER, start, lx->pos);
}

static struct casus_token lex_string(struct casus_lexer *lx)
{
    uint32_t start = lx->pos++;
    for (;;) {
        int c = peek(lx, 0);
        if (c < 0 || c == '\n' || c == '\r')
            return lex_error(lx, start, lx->pos, "unterminated-string",
                             "unterminated string (strings end on the line they start)");
        lx->pos++;
        if (c == '"')
            return tok(CASUS_TOK_STRING, start, lx->pos);
        if (c == '\\') {
            int e = peek(lx, 0);
            if (e == '"' || e == '\\' || e == 'n' || e == 't') {
                lx->pos++;
            } else {
                uint32_t at = lx->pos - 1;
                lx->pos += e >= 0 && e != '\n';
                struct casus_span sp = {lx->src, at, lx->pos};
                casus_diag_add(lx->diags, CASUS_SEV_ERROR, &sp, "bad-escape",
                               "unknown escape in string (use \\\" \\\\ \\n or \\t)");
            }
        } else if (c < 0x20 && c != '\t') {
            struct casus_span sp = {lx->src, lx->pos - 1, lx->pos};
            casus_diag_add(lx->diags, CASUS_SEV_ERROR, &sp, "control-char",
                           "control character in string");
        }
    }
}

struct casus_token casus_lex_next(struct casus_lexer *lx)
{
    for (;;) {
        int c = peek(lx, 0);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            lx->pos++;
            continue;
        }
        if (c == '#') {
            while (peek(lx, 0) >= 0 && peek(lx, 0) != '\n')
                lx->pos++;
            continue;
        }
        break;
    }
    uint32_t start = lx->pos;
    int c = peek(lx, 0);
    if (c < 0)
        return tok(CASUS_TOK_EOF, lx->len, lx->len);
    if (is_alpha(c)) {
        lx->pos++;
        for (;;) {
            int d = peek(lx, 0);
            if (is_alnum(d))
                lx->pos++;
            else if (d == '-' && is_alnum(peek(lx, 1)))
                lx->pos += 2;
            else
                break;
        }
        return tok(CASUS_TOK_IDENT, start, lx->pos);
    }
    if (is_digit(c))
        return lex_number(lx);
    if (c == '"')
        return lex_string(lx);
    lx->pos++;
    int n = peek(lx, 0);
    switch (c) {
    case '{': return tok(CASUS_TOK_LBRACE, start, lx->pos);
    case '}': return tok(CASUS_TOK_RBRACE, start, lx->pos);
    case '(': return tok(CASUS_TOK_LPAREN, start, lx->pos);
    case ')': return tok(CASUS_TOK_RPAREN, start, lx->pos);
    case '[': return tok(CASUS_TOK_LBRACKET, start, lx->pos);
    case ']': return tok(CASUS_TOK_RBRACKET, start, lx->pos);
    case ',': return tok(CASUS_TOK_COMMA, start, lx->pos);
    case ';': return tok(CASUS_TOK_SEMI, start, lx->pos);
    case ':': return tok(CASUS_TOK_COLON, start, lx->pos);
    case '+': return tok(CASUS_TOK_PLUS, start, lx->pos);
    case '-':
        if (peek(lx, 0) == '>') {
            lx->pos++;
            return tok(CASUS_TOK_ARROW, start, lx->pos);
        }
        return tok(CASUS_TOK_MINUS, start, lx->pos);
    case '*': return tok(CASUS_TOK_STAR, start, lx->pos);
    case '/': return tok(CASUS_TOK_SLASH, start, lx->pos);
    case '.':
        if (n == '.') {
            lx->pos++;
            return tok(CASUS_TOK_DOTDOT, start, lx->pos);
        }
        return tok(CASUS_TOK_DOT, start, lx->pos);
    case '=':
        if (n == '=') {
            lx->pos++;
            return tok(CASUS_TOK_EQ, start, lx->pos);
        }
        return tok(CASUS_TOK_ASSIGN, start, lx->pos);
    case '!':
        if (n == '=') {
            lx->pos++;
            return tok(CASUS_TOK_NE, start, lx->pos);
        }
        return lex_error(lx, start, lx->pos, "bad-char", "unexpected '!' (use 'not' or '!=')");
    case '<':
        if (n == '=') {
            lx->pos++;
            return tok(CASUS_TOK_LE, start, lx->pos);
        }
        return tok(CASUS_TOK_LT, start, lx->pos);
    case '>':
        if (n == '=') {
            lx->pos++;
            return tok(CASUS_TOK_GE, start, lx->pos);
        }
        return tok(CASUS_TOK_GT, start, lx->pos);
    default: break;
    }
    /* Swallow a whole UTF-8 sequence so the caret covers one character. */
    while (lx->pos < lx->len && ((unsigned char)lx->text[lx->pos] & 0xC0) == 0x80)
        lx->pos++;
    return lex_error(lx, start, lx->pos, "bad-char", "unexpected character");
}

char *casus_lex_string_value(struct casus_arena *a, const char *text, const struct casus_token *t)
{
    uint32_t n = t->end - t->start;
    char *out = casus_arena_alloc(a, n + 1);
    if (!out)
        return NULL;
    size_t k = 0;
    for (uint32_t i = t->start + 1; i + 1 < t->end; i++) {
        char c = text[i];
        if (c == '\\' && i + 2 < t->end) {
            char e = text[++i];
            c = e == 'n' ? '\n' : e == 't' ? '\t' : e;
        }
        out[k++] = c;
    }
    out[k] = '\0';
    return out;
}
