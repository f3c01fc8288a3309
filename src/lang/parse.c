/*
 * parse.c — the casus recursive-descent parser (see parse.h, and
 * docs/language.md for the grammar).
 *
 * Blocks are parsed by one generic routine driven by field tables: a field
 * is a word followed by a value of a fixed shape (text, name, date, name with
 * optional text, from/until).  Block-specific items (parties, rules, nested
 * clauses) are handled by a callback.  Out of memory sets `oom` and unwinds
 * like an error.
 */
#include "lang/parse.h"
#include "lang/lex.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

struct parser {
    struct casus_lexer lx;
    struct casus_token tok;  /* current token */
    struct casus_token prev; /* last consumed token */
    struct casus_arena *arena;
    struct casus_diags *d;
    uint32_t src;
    const char *text;
    int depth;
    bool oom;
};

/* ------------------------------------------------------------------ */
/* Token plumbing                                                      */

static void advance(struct parser *p)
{
    p->prev = p->tok;
    do {
        p->tok = casus_lex_next(&p->lx);
    } while (p->tok.kind == CASUS_TOK_ERROR);
}

static struct casus_span tok_span(const struct parser *p, const struct casus_token *t)
{
    struct casus_span s = {p->src, t->start, t->end};
    return s;
}

static bool is_word(const struct parser *p, const char *w)
{
    return p->tok.kind == CASUS_TOK_IDENT &&
           casus_streq_n(p->text + p->tok.start, p->tok.end - p->tok.start, w);
}

static bool accept_word(struct parser *p, const char *w)
{
    if (!is_word(p, w))
        return false;
    advance(p);
    return true;
}

static bool accept(struct parser *p, enum casus_tok k)
{
    if (p->tok.kind != k)
        return false;
    advance(p);
    return true;
}

/* Report "expected X, found Y" at the current token. */
static void error_expected(struct parser *p, const char *what)
{
    struct casus_span s = tok_span(p, &p->tok);
    if (p->tok.kind == CASUS_TOK_EOF)
        casus_diag_add(p->d, CASUS_SEV_ERROR, &s, "syntax", "expected %s, found end of file", what);
    else
        casus_diag_add(p->d, CASUS_SEV_ERROR, &s, "syntax", "expected %s, found '%.*s'", what,
                       (int)(p->tok.end - p->tok.start), p->text + p->tok.start);
}

static bool expect(struct parser *p, enum casus_tok k)
{
    if (accept(p, k))
        return true;
    error_expected(p, casus_tok_name(k));
    return false;
}

static void *node(struct parser *p, size_t n)
{
    void *x = casus_arena_alloc(p->arena, n);
    if (!x)
        p->oom = true;
    return x;
}

static const char *tok_text(struct parser *p, const struct casus_token *t)
{
    char *s = casus_arena_strndup(p->arena, p->text + t->start, t->end - t->start);
    if (!s)
        p->oom = true;
    return s;
}

/* Skip to just past the '}' closing the block we are in (nesting counted). */
static void skip_block(struct parser *p)
{
    int level = 0;
    while (p->tok.kind != CASUS_TOK_EOF) {
        if (p->tok.kind == CASUS_TOK_LBRACE)
            level++;
        else if (p->tok.kind == CASUS_TOK_RBRACE && level-- == 0) {
            advance(p);
            return;
        }
        advance(p);
    }
}

/* ------------------------------------------------------------------ */
/* Values                                                              */

/* name := IDENT */
static bool parse_name(struct parser *p, struct casus_name *out, const char *what)
{
    if (p->tok.kind != CASUS_TOK_IDENT) {
        error_expected(p, what);
        return false;
    }
    out->span = tok_span(p, &p->tok);
    out->s = tok_text(p, &p->tok);
    advance(p);
    return !p->oom;
}

/* text := STRING+   (adjacent strings are joined with nothing between) */
static bool parse_text(struct parser *p, struct casus_text *out)
{
    if (p->tok.kind != CASUS_TOK_STRING) {
        error_expected(p, "a string");
        return false;
    }
    out->span = tok_span(p, &p->tok);
    char *joined = NULL;
    while (p->tok.kind == CASUS_TOK_STRING) {
        char *s = casus_lex_string_value(p->arena, p->text, &p->tok);
        if (!s) {
            p->oom = true;
            break;
        }
        size_t old = joined ? strlen(joined) : 0, add = strlen(s);
        char *j = casus_arena_alloc(p->arena, old + add + 1);
        if (!j) {
            p->oom = true;
            break;
        }
        if (old)
            memcpy(j, joined, old);
        memcpy(j + old, s, add + 1);
        joined = j;
        out->span.end = p->tok.end;
        advance(p);
    }
    out->s = joined;
    return !p->oom;
}

/* date := DATE */
static bool parse_date(struct parser *p, casus_date *out, struct casus_span *span)
{
    if (p->tok.kind != CASUS_TOK_DATE) {
        error_expected(p, "a date (YYYY-MM-DD)");
        return false;
    }
    if (span)
        *span = tok_span(p, &p->tok);
    if (casus_date_parse(p->text + p->tok.start, p->tok.end - p->tok.start, out) != CASUS_OK) {
        struct casus_span s = tok_span(p, &p->tok);
        casus_diag_add(p->d, CASUS_SEV_ERROR, &s, "bad-date", "'%.*s' is not a calendar date",
                       (int)(p->tok.end - p->tok.start), p->text + p->tok.start);
        advance(p);
        return false;
    }
    advance(p);
    return true;
}

/* ------------------------------------------------------------------ */
/* Expressions                                                         */

static struct casus_expr *parse_or(struct parser *p);

static struct casus_expr *mk_expr(struct parser *p, enum casus_ast_kind kind, uint32_t start)
{
    struct casus_expr *e = node(p, sizeof *e);
    if (e) {
        e->kind = kind;
        e->span.src = p->src;
        e->span.start = start;
        e->span.end = p->prev.end;
    }
    return e;
}

static struct casus_expr *mk_binary(struct parser *p, enum casus_ast_op op, struct casus_expr *a,
                                    struct casus_expr *b)
{
    if (!a || !b)
        return NULL;
    struct casus_expr *e = mk_expr(p, CASUS_AST_BINARY, a->span.start);
    if (e) {
        e->op = op;
        e->a = a;
        e->b = b;
        e->span.end = b->span.end;
    }
    return e;
}

/* Is the current token a word followed by ':' (a named call argument)? */
static bool at_named(const struct parser *p)
{
    if (p->tok.kind != CASUS_TOK_IDENT)
        return false;
    uint32_t i = p->tok.end;
    while (p->text[i] == ' ' || p->text[i] == '\t')
        i++;
    return p->text[i] == ':';
}

/* item := NAME ":" expr | expr   (named items only inside a call) */
static struct casus_expr *parse_item(struct parser *p, enum casus_tok close)
{
    if (close != CASUS_TOK_RPAREN || !at_named(p))
        return parse_or(p);
    struct casus_token t = p->tok;
    advance(p);
    if (!expect(p, CASUS_TOK_COLON))
        return NULL;
    struct casus_expr *v = parse_or(p);
    struct casus_expr *e = v ? mk_expr(p, CASUS_AST_NAMED, t.start) : NULL;
    if (e) {
        e->str = tok_text(p, &t);
        e->a = v;
        e->span.end = v->span.end;
    }
    return e;
}

/* items := (item ("," item)*)?   up to `close` */
static bool parse_items(struct parser *p, enum casus_tok close, struct casus_expr *e)
{
    struct casus_expr *stackbuf[16];
    struct casus_expr **items = stackbuf;
    uint32_t n = 0, cap = 16;
    bool heap = false, ok = true;
    if (p->tok.kind != close) {
        do {
            struct casus_expr *x = parse_item(p, close);
            if (!x) {
                ok = false;
                break;
            }
            if (n == cap) {
                if (cap >= 4096) {
                    struct casus_span s = x->span;
                    casus_diag_add(p->d, CASUS_SEV_ERROR, &s, "limit", "too many list items");
                    ok = false;
                    break;
                }
                struct casus_expr **g =
                    casus_arena_grow(p->arena, heap ? items : NULL, 0, cap * 2, sizeof *g);
                if (!g) {
                    p->oom = true;
                    ok = false;
                    break;
                }
                memcpy(g, items, n * sizeof *g);
                items = g;
                heap = true;
                cap *= 2;
            }
            items[n++] = x;
        } while (accept(p, CASUS_TOK_COMMA));
    }
    if (ok && !expect(p, close))
        ok = false;
    if (!ok)
        return false;
    e->items = node(p, (n ? n : 1) * sizeof *e->items);
    if (!e->items)
        return false;
    memcpy(e->items, items, n * sizeof *items);
    e->nitems = n;
    return true;
}

/* primary := NUMBER | DATE | STRING | NAME | NAME "(" items ")"
 *          | "(" expr ")" | "[" items "]" */
static struct casus_expr *parse_primary(struct parser *p)
{
    struct casus_token t = p->tok;
    struct casus_expr *e;
    switch (t.kind) {
    case CASUS_TOK_NUMBER: {
        advance(p);
        e = mk_expr(p, CASUS_AST_NUMBER, t.start);
        if (e) {
            char tmp[64];
            size_t n = t.end - t.start;
            if (n >= sizeof tmp)
                n = sizeof tmp - 1;
            memcpy(tmp, p->text + t.start, n);
            tmp[n] = '\0';
            e->num = strtod(tmp, NULL);
        }
        return e;
    }
    case CASUS_TOK_DATE: {
        casus_date d;
        if (!parse_date(p, &d, NULL))
            return NULL;
        e = mk_expr(p, CASUS_AST_DATE, t.start);
        if (e)
            e->date = d;
        return e;
    }
    case CASUS_TOK_STRING: {
        struct casus_text tx;
        if (!parse_text(p, &tx))
            return NULL;
        e = mk_expr(p, CASUS_AST_STRING, t.start);
        if (e)
            e->str = tx.s;
        return e;
    }
    case CASUS_TOK_IDENT: {
        advance(p);
        if (p->tok.kind == CASUS_TOK_LPAREN && p->tok.start == t.end) {
            advance(p);
            e = mk_expr(p, CASUS_AST_CALL, t.start);
            if (!e)
                return NULL;
            e->str = tok_text(p, &t);
            if (!parse_items(p, CASUS_TOK_RPAREN, e))
                return NULL;
            e->span.end = p->prev.end;
            return e;
        }
        e = mk_expr(p, CASUS_AST_NAME, t.start);
        if (e)
            e->str = tok_text(p, &t);
        return e;
    }
    case CASUS_TOK_LPAREN: {
        advance(p);
        e = parse_or(p);
        if (!e || !expect(p, CASUS_TOK_RPAREN))
            return NULL;
        e->span.start = t.start; /* the span includes the parentheses */
        e->span.end = p->prev.end;
        return e;
    }
    case CASUS_TOK_LBRACKET: {
        advance(p);
        e = mk_expr(p, CASUS_AST_LIST, t.start);
        if (!e || !parse_items(p, CASUS_TOK_RBRACKET, e))
            return NULL;
        e->span.end = p->prev.end;
        return e;
    }
    default: error_expected(p, "an expression"); return NULL;
    }
}

static bool enter(struct parser *p)
{
    if (++p->depth > CASUS_PARSE_MAX_DEPTH) {
        struct casus_span s = tok_span(p, &p->tok);
        casus_diag_add(p->d, CASUS_SEV_ERROR, &s, "limit",
                       "expression nested too deeply (more than %d levels)", CASUS_PARSE_MAX_DEPTH);
        return false;
    }
    return true;
}

/* unary := "-" unary | primary */
static struct casus_expr *parse_unary(struct parser *p)
{
    if (!enter(p))
        return NULL;
    struct casus_expr *e;
    if (p->tok.kind == CASUS_TOK_MINUS) {
        uint32_t start = p->tok.start;
        advance(p);
        struct casus_expr *a = parse_unary(p);
        e = a ? mk_expr(p, CASUS_AST_UNARY, start) : NULL;
        if (e) {
            e->op = CASUS_OP_NEG;
            e->a = a;
        }
    } else {
        e = parse_primary(p);
    }
    p->depth--;
    return e;
}

/* term := unary (("*" | "/") unary)* */
static struct casus_expr *parse_term(struct parser *p)
{
    struct casus_expr *e = parse_unary(p);
    while (e && (p->tok.kind == CASUS_TOK_STAR || p->tok.kind == CASUS_TOK_SLASH)) {
        enum casus_ast_op op = p->tok.kind == CASUS_TOK_STAR ? CASUS_OP_MUL : CASUS_OP_DIV;
        advance(p);
        e = mk_binary(p, op, e, parse_unary(p));
    }
    return e;
}

/* sum := term (("+" | "-") term)* */
static struct casus_expr *parse_sum(struct parser *p)
{
    struct casus_expr *e = parse_term(p);
    while (e && (p->tok.kind == CASUS_TOK_PLUS || p->tok.kind == CASUS_TOK_MINUS)) {
        enum casus_ast_op op = p->tok.kind == CASUS_TOK_PLUS ? CASUS_OP_ADD : CASUS_OP_SUB;
        advance(p);
        e = mk_binary(p, op, e, parse_term(p));
    }
    return e;
}

/* cmp := sum (("==" | "!=" | "<" | "<=" | ">" | ">=") sum | "in" sum | "not" "in" sum)? */
static struct casus_expr *parse_cmp(struct parser *p)
{
    struct casus_expr *e = parse_sum(p);
    if (!e)
        return NULL;
    enum casus_ast_op op = CASUS_OP_NONE;
    switch (p->tok.kind) {
    case CASUS_TOK_EQ: op = CASUS_OP_EQ; break;
    case CASUS_TOK_NE: op = CASUS_OP_NE; break;
    case CASUS_TOK_LT: op = CASUS_OP_LT; break;
    case CASUS_TOK_LE: op = CASUS_OP_LE; break;
    case CASUS_TOK_GT: op = CASUS_OP_GT; break;
    case CASUS_TOK_GE: op = CASUS_OP_GE; break;
    case CASUS_TOK_ASSIGN: {
        struct casus_span s = tok_span(p, &p->tok);
        struct casus_diag *g =
            casus_diag_add(p->d, CASUS_SEV_ERROR, &s, "syntax", "'=' in a condition");
        casus_diag_note(p->d, g, "use '==' to compare");
        return NULL;
    }
    default:
        if (is_word(p, "in")) {
            op = CASUS_OP_IN;
        } else if (is_word(p, "not")) {
            advance(p);
            if (!is_word(p, "in")) {
                error_expected(p, "'in' after 'not'");
                return NULL;
            }
            op = CASUS_OP_NOTIN;
        }
        break;
    }
    if (op == CASUS_OP_NONE)
        return e;
    advance(p);
    return mk_binary(p, op, e, parse_sum(p));
}

/* not := "not" not | cmp */
static struct casus_expr *parse_not(struct parser *p)
{
    if (!is_word(p, "not"))
        return parse_cmp(p);
    if (!enter(p))
        return NULL;
    uint32_t start = p->tok.start;
    advance(p);
    struct casus_expr *a = parse_not(p);
    struct casus_expr *e = a ? mk_expr(p, CASUS_AST_UNARY, start) : NULL;
    if (e) {
        e->op = CASUS_OP_NOT;
        e->a = a;
    }
    p->depth--;
    return e;
}

/* and := not ("and" not)* */
static struct casus_expr *parse_and(struct parser *p)
{
    struct casus_expr *e = parse_not(p);
    while (e && accept_word(p, "and"))
        e = mk_binary(p, CASUS_OP_AND, e, parse_not(p));
    return e;
}

/* expr := and ("or" and)* */
static struct casus_expr *parse_or(struct parser *p)
{
    if (!enter(p))
        return NULL;
    struct casus_expr *e = parse_and(p);
    while (e && accept_word(p, "or"))
        e = mk_binary(p, CASUS_OP_OR, e, parse_and(p));
    p->depth--;
    return e;
}

/* ------------------------------------------------------------------ */
/* Table-driven blocks                                                 */

enum field_kind {
    F_TEXT,      /* word STRING+                   -> struct casus_text  */
    F_NAME,      /* word NAME                      -> struct casus_name  */
    F_DATE,      /* word DATE                      -> casus_date + bool  */
    F_NAME_TEXT, /* word NAME STRING*              -> name + text        */
    F_FROM,      /* from DATE                      -> struct casus_dates */
    F_UNTIL      /* until DATE                     -> struct casus_dates */
};

struct field {
    const char *word;
    enum field_kind kind;
    size_t off;  /* where the value goes */
    size_t off2; /* F_DATE: the has_ flag; F_NAME_TEXT: the text */
};

/* A block-specific item parser: returns 1 if it recognised the current word
 * (and parsed it, 0 on error inside), -1 if the word is not its. */
typedef int (*item_fn)(struct parser *p, void *obj);

static bool parse_field(struct parser *p, const struct field *f, void *obj)
{
    char *base = obj;
    switch (f->kind) {
    case F_TEXT: return parse_text(p, (struct casus_text *)(base + f->off));
    case F_NAME: return parse_name(p, (struct casus_name *)(base + f->off), "a name");
    case F_DATE:
        *(bool *)(base + f->off2) = true;
        return parse_date(p, (casus_date *)(base + f->off), NULL);
    case F_NAME_TEXT:
        if (!parse_name(p, (struct casus_name *)(base + f->off), "a name"))
            return false;
        if (p->tok.kind == CASUS_TOK_STRING)
            return parse_text(p, (struct casus_text *)(base + f->off2));
        return true;
    case F_FROM: {
        struct casus_dates *d = (struct casus_dates *)(base + f->off);
        d->has_from = true;
        return parse_date(p, &d->from, &d->from_span);
    }
    case F_UNTIL: {
        struct casus_dates *d = (struct casus_dates *)(base + f->off);
        d->has_until = true;
        return parse_date(p, &d->until, &d->until_span);
    }
    }
    return false;
}

/* Fields of one line (no braces): parse as many table words as follow. */
static bool parse_inline_fields(struct parser *p, const struct field *fields, size_t nfields,
                                void *obj)
{
    uint32_t seen = 0;
    for (;;) {
        size_t i;
        for (i = 0; i < nfields; i++)
            if (is_word(p, fields[i].word))
                break;
        if (i == nfields)
            return true;
        if (seen & (1u << i)) {
            struct casus_span s = tok_span(p, &p->tok);
            casus_diag_add(p->d, CASUS_SEV_ERROR, &s, "duplicate-field", "'%s' given twice",
                           fields[i].word);
            return false;
        }
        seen |= 1u << i;
        advance(p);
        if (!parse_field(p, &fields[i], obj))
            return false;
    }
}

static void list_fields(struct parser *p, struct casus_diag *g, const struct field *fields,
                        size_t nfields, const char *extra)
{
    char buf[400];
    size_t n = 0;
    for (size_t i = 0; i < nfields && n < sizeof buf - 40; i++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", i ? ", " : "", fields[i].word);
    if (extra && n < sizeof buf - 2)
        snprintf(buf + n, sizeof buf - n, "%s%s", nfields ? ", " : "", extra);
    casus_diag_note(p->d, g, "expected one of: %s", buf);
}

/* block := "{" (field | item)* "}"   — after an error, skips to the block's end */
static bool parse_block(struct parser *p, const char *what, const struct field *fields,
                        size_t nfields, item_fn items, const char *item_words, void *obj)
{
    if (!expect(p, CASUS_TOK_LBRACE))
        return false;
    uint32_t seen = 0;
    bool ok = true;
    while (p->tok.kind != CASUS_TOK_RBRACE && !p->oom) {
        if (p->tok.kind == CASUS_TOK_EOF) {
            error_expected(p, "'}'");
            return false;
        }
        if (accept(p, CASUS_TOK_SEMI))
            continue;
        if (p->tok.kind != CASUS_TOK_IDENT) {
            error_expected(p, "a field name or '}'");
            skip_block(p);
            return false;
        }
        size_t i;
        for (i = 0; i < nfields; i++)
            if (is_word(p, fields[i].word))
                break;
        if (i < nfields) {
            if (seen & (1u << i)) {
                struct casus_span s = tok_span(p, &p->tok);
                casus_diag_add(p->d, CASUS_SEV_ERROR, &s, "duplicate-field",
                               "'%s' given twice in %s", fields[i].word, what);
                ok = false;
            }
            seen |= 1u << i;
            advance(p);
            if (!parse_field(p, &fields[i], obj)) {
                skip_block(p);
                return false;
            }
            continue;
        }
        int r = items ? items(p, obj) : -1;
        if (r == 1)
            continue;
        if (r < 0) {
            struct casus_span s = tok_span(p, &p->tok);
            struct casus_diag *g = casus_diag_add(
                p->d, CASUS_SEV_ERROR, &s, "unknown-field", "unknown field '%.*s' in %s",
                (int)(p->tok.end - p->tok.start), p->text + p->tok.start, what);
            list_fields(p, g, fields, nfields, item_words);
        }
        skip_block(p);
        return false;
    }
    if (p->oom)
        return false;
    advance(p);
    return ok;
}

/* named := NAME text? block — the common shape of a declaration; the text
 * (a title) is read only when `title` is not NULL. */
static bool parse_named(struct parser *p, const char *desc, struct casus_name *name,
                        struct casus_text *title, const char *what, const struct field *fields,
                        size_t nfields, item_fn items, const char *item_words, void *obj)
{
    if (!parse_name(p, name, desc))
        return false;
    if (title && p->tok.kind == CASUS_TOK_STRING && !parse_text(p, title))
        return false;
    return parse_block(p, what, fields, nfields, items, item_words, obj);
}

#define FIELD(word, kind, type, member)                                                            \
    {                                                                                              \
        word, kind, offsetof(type, member), 0                                                      \
    }
#define FIELD2(word, kind, type, m1, m2)                                                           \
    {                                                                                              \
        word, kind, offsetof(type, m1), offsetof(type, m2)                                         \
    }

/* Append x to the singly linked list whose tail pointer is *tail. */
#define LIST_APPEND(headp, x)                                                                      \
    do {                                                                                           \
        __typeof__(x) *pp_ = (headp);                                                              \
        while (*pp_)                                                                               \
            pp_ = &(*pp_)->next;                                                                   \
        *pp_ = (x);                                                                                \
    } while (0)

/* ------------------------------------------------------------------ */
/* Declarations                                                        */

static const struct field source_fields[] = {
    FIELD("title", F_TEXT, struct casus_ast_source, title),
    FIELD("url", F_TEXT, struct casus_ast_source, url),
    FIELD("publisher", F_TEXT, struct casus_ast_source, publisher),
    FIELD("note", F_TEXT, struct casus_ast_source, note),
    FIELD("locator", F_TEXT, struct casus_ast_source, locator),
    FIELD2("date", F_DATE, struct casus_ast_source, date, has_date),
};

/* source := "source" NAME "{" source-field* "}" */
static bool parse_source(struct parser *p, struct casus_ast_file *f)
{
    struct casus_ast_source *s = node(p, sizeof *s);
    if (!s || !parse_named(p, "a source name", &s->name, NULL, "source", source_fields,
                           CASUS_ARRAY_LEN(source_fields), NULL, NULL, s))
        return false;
    LIST_APPEND(&f->sources, s);
    return true;
}

/* actor := "actor" NAME STRING ("state" | "organization" | "historic")? */
static bool parse_actor(struct parser *p, struct casus_ast_file *f)
{
    struct casus_ast_actor *a = node(p, sizeof *a);
    if (!a || !parse_name(p, &a->code, "an actor code"))
        return false;
    if (!parse_text(p, &a->title))
        return false;
    if (is_word(p, "state") || is_word(p, "organization") || is_word(p, "historic"))
        parse_name(p, &a->kind, "an actor kind");
    LIST_APPEND(&f->actors, a);
    return !p->oom;
}

static const struct field period_fields[] = {
    FIELD("from", F_FROM, struct casus_ast_period, dates),
    FIELD("until", F_UNTIL, struct casus_ast_period, dates),
    FIELD("de-facto", F_NAME, struct casus_ast_period, de_facto),
    FIELD("note", F_TEXT, struct casus_ast_period, note),
    FIELD("cite", F_NAME, struct casus_ast_period, cite),
};

/* The words that open a line of a sovereignty record; a bare actor is a
 * sovereign line.  Indexed by enum casus_holding. */
static const char *const holding_words[] = {"sovereign", "administered-by", "claimed-by"};

/* period  := NAME ("from" DATE | "until" DATE | "note" text | "cite" NAME)*
 * holding := ("sovereign" | "administered-by" | "claimed-by")? NAME
 *            ("from" DATE | "until" DATE | "de-facto" NAME | "note" text | "cite" NAME)*
 * (de-facto only on a sovereign line) */
static struct casus_ast_period *parse_period(struct parser *p, bool holding)
{
    static const struct field party_fields[] = {
        FIELD("from", F_FROM, struct casus_ast_period, dates),
        FIELD("until", F_UNTIL, struct casus_ast_period, dates),
        FIELD("note", F_TEXT, struct casus_ast_period, note),
        FIELD("cite", F_NAME, struct casus_ast_period, cite),
    };
    struct casus_ast_period *x = node(p, sizeof *x);
    if (!x)
        return NULL;
    uint32_t start = p->tok.start;
    x->kind = CASUS_HOLD_SOVEREIGN;
    for (int k = 0; holding && k < (int)CASUS_ARRAY_LEN(holding_words); k++)
        if (accept_word(p, holding_words[k])) {
            x->kind = (enum casus_holding)k;
            break;
        }
    if (!parse_name(p, &x->who, "an actor code"))
        return NULL;
    bool ok = holding && x->kind == CASUS_HOLD_SOVEREIGN
                  ? parse_inline_fields(p, period_fields, CASUS_ARRAY_LEN(period_fields), x)
                  : parse_inline_fields(p, party_fields, CASUS_ARRAY_LEN(party_fields), x);
    x->span.src = p->src;
    x->span.start = start;
    x->span.end = p->prev.end;
    return ok ? x : NULL;
}

/* periods := "{" (period ";"?)* "}" */
static bool parse_periods(struct parser *p, struct casus_ast_period **list, bool holding)
{
    if (!expect(p, CASUS_TOK_LBRACE))
        return false;
    while (!accept(p, CASUS_TOK_RBRACE)) {
        if (accept(p, CASUS_TOK_SEMI))
            continue;
        struct casus_ast_period *x = parse_period(p, holding);
        if (!x) {
            skip_block(p);
            return false;
        }
        LIST_APPEND(list, x);
    }
    return true;
}

/* sovereignty := "sovereignty" NAME STRING? "{" (holding ";"?)* "}" */
static bool parse_sovereignty(struct parser *p, struct casus_ast_file *f)
{
    struct casus_ast_sovereignty *s = node(p, sizeof *s);
    if (!s || !parse_name(p, &s->unit, "a land unit code"))
        return false;
    if (p->tok.kind == CASUS_TOK_STRING && !parse_text(p, &s->title))
        return false;
    if (!parse_periods(p, &s->periods, true))
        return false;
    LIST_APPEND(&f->sovereignties, s);
    return true;
}

/* alias-item := ("iso2" | "iso3" | "cow-abb") NAME ("cite" NAME)?
 *             | "cow" NUMBER ("cite" NAME)? | "name" text ("cite" NAME)? */
static int alias_item(struct parser *p, void *obj)
{
    struct casus_ast_aliases *a = obj;
    static const char *const words[] = {"iso2", "iso3", "cow-abb", "cow", "name"};
    int k = 0;
    while (k < (int)CASUS_ARRAY_LEN(words) && !is_word(p, words[k]))
        k++;
    if (k == (int)CASUS_ARRAY_LEN(words))
        return -1;
    struct casus_ast_alias *x = node(p, sizeof *x);
    if (!x || !parse_name(p, &x->kind, "an alias kind"))
        return 0;
    if (k == 4) {
        if (!parse_text(p, &x->value))
            return 0;
    } else if (k == 3 ? p->tok.kind != CASUS_TOK_NUMBER : p->tok.kind != CASUS_TOK_IDENT) {
        error_expected(p, k == 3 ? "a Correlates of War number" : "a code");
        return 0;
    } else {
        x->value.span = tok_span(p, &p->tok);
        x->value.s = tok_text(p, &p->tok);
        advance(p);
    }
    if (accept_word(p, "cite") && !parse_name(p, &x->cite, "a source name"))
        return 0;
    LIST_APPEND(&a->items, x);
    return !p->oom;
}

static const struct field aliases_fields[] = {
    FIELD("cite", F_NAME, struct casus_ast_aliases, cite),
};

/* aliases := "aliases" NAME "{" ("cite" NAME | alias-item)* "}" */
static bool parse_aliases(struct parser *p, struct casus_ast_file *f)
{
    struct casus_ast_aliases *a = node(p, sizeof *a);
    if (!a || !parse_named(p, "an actor code", &a->actor, NULL, "aliases", aliases_fields,
                           CASUS_ARRAY_LEN(aliases_fields), alias_item,
                           "iso2, iso3, cow, cow-abb, name", a))
        return false;
    LIST_APPEND(&f->aliases, a);
    return true;
}

/* let := "let" NAME "=" expr */
static struct casus_ast_let *parse_let(struct parser *p)
{
    struct casus_ast_let *l = node(p, sizeof *l);
    if (!l || !parse_name(p, &l->name, "a name"))
        return NULL;
    if (!expect(p, CASUS_TOK_ASSIGN))
        return NULL;
    l->value = parse_or(p);
    return l->value ? l : NULL;
}

static const struct field council_fields[] = {
    FIELD("title", F_TEXT, struct casus_ast_council, title),
    FIELD("article", F_TEXT, struct casus_ast_council, article),
    FIELD("rule", F_NAME, struct casus_ast_council, rule),
    FIELD("note", F_TEXT, struct casus_ast_council, note),
    FIELD("quote", F_TEXT, struct casus_ast_council, quote),
    FIELD("cite", F_NAME, struct casus_ast_council, cite),
};

/* council-item := "members" ("parties" | "[" NAME ("," NAME)* "]") */
/* name-list := "[" (NAME ("," NAME)*)? "]" */
static bool parse_name_list(struct parser *p, struct casus_name **out, uint32_t *nout,
                            const char *what)
{
    if (!expect(p, CASUS_TOK_LBRACKET))
        return false;
    struct casus_name tmp[256];
    uint32_t n = 0;
    if (p->tok.kind != CASUS_TOK_RBRACKET) {
        do {
            if (n == CASUS_ARRAY_LEN(tmp)) {
                struct casus_span s = tok_span(p, &p->tok);
                casus_diag_add(p->d, CASUS_SEV_ERROR, &s, "limit", "more than %zu names in a list",
                               CASUS_ARRAY_LEN(tmp));
                return false;
            }
            if (!parse_name(p, &tmp[n++], what))
                return false;
        } while (accept(p, CASUS_TOK_COMMA));
    }
    if (!expect(p, CASUS_TOK_RBRACKET))
        return false;
    *out = node(p, (n ? n : 1) * sizeof **out);
    if (!*out)
        return false;
    memcpy(*out, tmp, n * sizeof *tmp);
    *nout = n;
    return true;
}

static int council_item(struct parser *p, void *obj)
{
    struct casus_ast_council *c = obj;
    if (!accept_word(p, "members"))
        return -1;
    if (accept_word(p, "parties")) {
        c->members_are_parties = true;
        return 1;
    }
    return parse_name_list(p, &c->members, &c->nmembers, "a member code") ? 1 : 0;
}

static const struct field clause_fields[] = {
    FIELD("article", F_TEXT, struct casus_ast_clause, article),
    FIELD("title", F_TEXT, struct casus_ast_clause, title),
    FIELD("trigger", F_NAME, struct casus_ast_clause, trigger),
    FIELD("scope", F_NAME, struct casus_ast_clause, scope),
    FIELD2("obligation", F_NAME_TEXT, struct casus_ast_clause, obligation, obligation_text),
    FIELD2("decided-by", F_NAME_TEXT, struct casus_ast_clause, decided_by, decided_by_text),
    FIELD("council", F_NAME, struct casus_ast_clause, council),
    FIELD("quote", F_TEXT, struct casus_ast_clause, quote),
    FIELD("note", F_TEXT, struct casus_ast_clause, note),
    FIELD("cite", F_NAME, struct casus_ast_clause, cite),
    FIELD("from", F_FROM, struct casus_ast_clause, dates),
    FIELD("until", F_UNTIL, struct casus_ast_clause, dates),
};

/* A rule's body; a reading's also takes its last field, the text the
 * Answer line quotes. */
static const struct field rule_fields[] = {
    FIELD("quote", F_TEXT, struct casus_ast_rule, quote),
    FIELD("note", F_TEXT, struct casus_ast_rule, note),
    FIELD("article", F_TEXT, struct casus_ast_rule, article),
    FIELD("cite", F_NAME, struct casus_ast_rule, cite),
    FIELD("from", F_FROM, struct casus_ast_rule, dates),
    FIELD("until", F_UNTIL, struct casus_ast_rule, dates),
    FIELD("text", F_TEXT, struct casus_ast_rule, text),
};

/* rule := ("covered" | "contested" | "reading") NAME "when" expr rule-body?
 *       | "otherwise" NAME rule-body?
 * rule-body := "{" rule-field* "}"   (a reading's body may also hold text) */
static int scope_item(struct parser *p, void *obj)
{
    struct casus_ast_scope *sc = obj;
    enum casus_rule_verdict v;
    uint32_t start = p->tok.start;
    bool reading = false;
    if (is_word(p, "covered"))
        v = CASUS_RULE_COVERED;
    else if (is_word(p, "contested"))
        v = CASUS_RULE_CONTESTED;
    else if (is_word(p, "otherwise"))
        v = CASUS_RULE_NOT_COVERED;
    else if ((reading = is_word(p, "reading")))
        v = CASUS_RULE_CONTESTED; /* unused for readings */
    else
        return -1;
    advance(p);
    struct casus_ast_rule *r = node(p, sizeof *r);
    if (!r)
        return 0;
    r->verdict = v;
    if (!parse_name(p, &r->code, "a reason code"))
        return 0;
    if (v != CASUS_RULE_NOT_COVERED) {
        if (!accept_word(p, "when")) {
            error_expected(p, "'when' and a condition");
            return 0;
        }
        r->when = parse_or(p);
        if (!r->when)
            return 0;
    }
    r->span.src = p->src;
    r->span.start = start;
    r->span.end = p->prev.end;
    if (p->tok.kind == CASUS_TOK_LBRACE &&
        !parse_block(p, reading ? "reading" : "rule", rule_fields,
                     CASUS_ARRAY_LEN(rule_fields) - !reading, NULL, NULL, r))
        return 0;
    if (reading) {
        LIST_APPEND(&sc->readings, r);
    } else if (v == CASUS_RULE_NOT_COVERED) {
        if (sc->otherwise) {
            struct casus_span s = r->span;
            casus_diag_add(p->d, CASUS_SEV_ERROR, &s, "duplicate-field",
                           "scope '%s' has two 'otherwise' rules", sc->name.s);
            return 0;
        }
        sc->otherwise = r;
    } else {
        LIST_APPEND(&sc->rules, r);
    }
    return 1;
}

static const struct field scope_fields[] = {
    FIELD("article", F_TEXT, struct casus_ast_scope, article),
    FIELD("title", F_TEXT, struct casus_ast_scope, title),
    FIELD("note", F_TEXT, struct casus_ast_scope, note),
    FIELD("cite", F_NAME, struct casus_ast_scope, cite),
};

/* snum := "-"? NUMBER */
static bool parse_signed(struct parser *p, double *out)
{
    bool neg = accept(p, CASUS_TOK_MINUS);
    if (p->tok.kind != CASUS_TOK_NUMBER) {
        error_expected(p, "a number");
        return false;
    }
    char buf[64];
    snprintf(buf, sizeof buf, "%.*s", (int)(p->tok.end - p->tok.start), p->text + p->tok.start);
    *out = strtod(buf, NULL) * (neg ? -1 : 1);
    advance(p);
    return true;
}

/* polygon := "polygon" "[" point ("," point)* "]"
 * point   := "(" snum "," snum ")"          (latitude, longitude in degrees) */
static int zone_item(struct parser *p, void *obj)
{
    struct casus_ast_zone *z = obj;
    if (!accept_word(p, "polygon"))
        return -1;
    struct casus_ast_point tmp[256];
    uint32_t n = 0;
    if (!expect(p, CASUS_TOK_LBRACKET))
        return 0;
    do {
        if (n == CASUS_ARRAY_LEN(tmp)) {
            struct casus_span sp = tok_span(p, &p->tok);
            casus_diag_add(p->d, CASUS_SEV_ERROR, &sp, "limit", "more than %zu points in a polygon",
                           CASUS_ARRAY_LEN(tmp));
            return 0;
        }
        struct casus_ast_point *pt = &tmp[n++];
        pt->span = tok_span(p, &p->tok);
        if (!expect(p, CASUS_TOK_LPAREN) || !parse_signed(p, &pt->lat) ||
            !expect(p, CASUS_TOK_COMMA) || !parse_signed(p, &pt->lon) ||
            !expect(p, CASUS_TOK_RPAREN))
            return 0;
        pt->span.end = p->prev.end;
    } while (accept(p, CASUS_TOK_COMMA));
    if (!expect(p, CASUS_TOK_RBRACKET))
        return 0;
    z->points = node(p, n * sizeof *z->points);
    if (!z->points)
        return 0;
    memcpy(z->points, tmp, n * sizeof *tmp);
    z->npoints = n;
    z->has_polygon = true;
    return 1;
}

static const struct field zone_fields[] = {
    FIELD("title", F_TEXT, struct casus_ast_zone, title),
    FIELD("article", F_TEXT, struct casus_ast_zone, article),
    FIELD("quote", F_TEXT, struct casus_ast_zone, quote),
    FIELD("note", F_TEXT, struct casus_ast_zone, note),
    FIELD("cite", F_NAME, struct casus_ast_zone, cite),
    FIELD("edges", F_NAME, struct casus_ast_zone, edges),
};

static const struct field treaty_fields[] = {
    FIELD("title", F_TEXT, struct casus_ast_treaty, title),
    FIELD("short-title", F_TEXT, struct casus_ast_treaty, short_title),
    FIELD("note", F_TEXT, struct casus_ast_treaty, note),
    FIELD("cite", F_NAME, struct casus_ast_treaty, cite),
    FIELD2("signed", F_DATE, struct casus_ast_treaty, signed_on, has_signed),
    FIELD2("in-force", F_DATE, struct casus_ast_treaty, in_force, has_in_force),
    FIELD2("terminated", F_DATE, struct casus_ast_treaty, terminated, has_terminated),
};

/* treaty-item := "parties" periods | "council" NAME block | "clause" NAME block
 *              | "scope" NAME block | "zone" NAME text? block | let */
static int treaty_item(struct parser *p, void *obj)
{
    struct casus_ast_treaty *t = obj;
    if (accept_word(p, "parties")) {
        if (t->parties) {
            struct casus_span s = tok_span(p, &p->prev);
            casus_diag_add(p->d, CASUS_SEV_ERROR, &s, "duplicate-field",
                           "'parties' given twice in treaty");
            return 0;
        }
        return parse_periods(p, &t->parties, false) ? 1 : 0;
    }
    if (accept_word(p, "council")) {
        struct casus_ast_council *c = node(p, sizeof *c);
        if (!c || !parse_named(p, "a council name", &c->name, NULL, "council", council_fields,
                               CASUS_ARRAY_LEN(council_fields), council_item, "members", c))
            return 0;
        LIST_APPEND(&t->councils, c);
        return 1;
    }
    if (accept_word(p, "clause")) {
        struct casus_ast_clause *c = node(p, sizeof *c);
        if (!c)
            return 0;
        c->span = tok_span(p, &p->prev);
        if (!parse_named(p, "a clause name", &c->name, NULL, "clause", clause_fields,
                         CASUS_ARRAY_LEN(clause_fields), NULL, NULL, c))
            return 0;
        LIST_APPEND(&t->clauses, c);
        return 1;
    }
    if (accept_word(p, "scope")) {
        struct casus_ast_scope *s = node(p, sizeof *s);
        if (!s || !parse_named(p, "a scope name", &s->name, NULL, "scope", scope_fields,
                               CASUS_ARRAY_LEN(scope_fields), scope_item,
                               "covered, contested, otherwise, reading", s))
            return 0;
        LIST_APPEND(&t->scopes, s);
        return 1;
    }
    if (accept_word(p, "zone")) {
        struct casus_ast_zone *z = node(p, sizeof *z);
        if (!z || !parse_named(p, "a zone name", &z->name, &z->title, "zone", zone_fields,
                               CASUS_ARRAY_LEN(zone_fields), zone_item, "polygon", z))
            return 0;
        LIST_APPEND(&t->zones, z);
        return 1;
    }
    if (accept_word(p, "let")) {
        struct casus_ast_let *l = parse_let(p);
        if (!l)
            return 0;
        LIST_APPEND(&t->lets, l);
        return 1;
    }
    return -1;
}

/* treaty := "treaty" NAME STRING? "{" (treaty-field | treaty-item)* "}" */
static bool parse_treaty(struct parser *p, struct casus_ast_file *f)
{
    struct casus_ast_treaty *t = node(p, sizeof *t);
    if (!t || !parse_named(p, "a treaty id", &t->name, &t->title, "treaty", treaty_fields,
                           CASUS_ARRAY_LEN(treaty_fields), treaty_item,
                           "parties, council, clause, scope, zone, let", t))
        return false;
    LIST_APPEND(&f->treaties, t);
    return true;
}

/* ------------------------------------------------------------------ */
/* Ladders and scenarios                                               */

/* int := NUMBER without fraction or exponent, 0 .. 1000000 */
static bool parse_int(struct parser *p, int32_t *out, struct casus_span *span)
{
    if (p->tok.kind != CASUS_TOK_NUMBER) {
        error_expected(p, "a whole number");
        return false;
    }
    struct casus_span s = tok_span(p, &p->tok);
    if (span)
        *span = s;
    int64_t v = 0;
    for (uint32_t i = p->tok.start; i < p->tok.end; i++) {
        char c = p->text[i];
        if (c < '0' || c > '9' || v > 1000000) {
            casus_diag_add(p->d, CASUS_SEV_ERROR, &s, "bad-number",
                           "expected a whole number from 0 to 1000000");
            advance(p);
            return false;
        }
        v = v * 10 + (c - '0');
    }
    if (v > 1000000) {
        casus_diag_add(p->d, CASUS_SEV_ERROR, &s, "bad-number",
                       "expected a whole number from 0 to 1000000");
        advance(p);
        return false;
    }
    *out = (int32_t)v;
    advance(p);
    return true;
}

static const struct field rung_fields[] = {
    FIELD("group", F_TEXT, struct casus_ast_rung, group),
};

static const struct field ladder_fields[] = {
    FIELD("title", F_TEXT, struct casus_ast_ladder, title),
    FIELD("note", F_TEXT, struct casus_ast_ladder, note),
    FIELD("cite", F_NAME, struct casus_ast_ladder, cite),
    FIELD("maps-to", F_NAME, struct casus_ast_ladder, maps_to),
};

/* ladder-item := "rung" INT NAME text? ("group" text)? ("kahn" INT)?
 *              | "threshold" NAME text? "after" INT */
static int ladder_item(struct parser *p, void *obj)
{
    struct casus_ast_ladder *l = obj;
    if (accept_word(p, "rung")) {
        struct casus_ast_rung *r = node(p, sizeof *r);
        if (!r || !parse_int(p, &r->number, &r->number_span) ||
            !parse_name(p, &r->name, "a rung name"))
            return 0;
        if (p->tok.kind == CASUS_TOK_STRING && !parse_text(p, &r->title))
            return 0;
        if (!parse_inline_fields(p, rung_fields, CASUS_ARRAY_LEN(rung_fields), r))
            return 0;
        if (accept_word(p, "kahn") && !parse_int(p, &r->kahn, &r->kahn_span))
            return 0;
        LIST_APPEND(&l->rungs, r);
        return 1;
    }
    if (accept_word(p, "threshold")) {
        struct casus_ast_threshold *t = node(p, sizeof *t);
        if (!t || !parse_name(p, &t->name, "a threshold name"))
            return 0;
        if (p->tok.kind == CASUS_TOK_STRING && !parse_text(p, &t->title))
            return 0;
        if (!accept_word(p, "after")) {
            error_expected(p, "'after' and the rung number the threshold lies above");
            return 0;
        }
        if (!parse_int(p, &t->after, &t->after_span))
            return 0;
        LIST_APPEND(&l->thresholds, t);
        return 1;
    }
    return -1;
}

/* ladder := "ladder" NAME text? "{" (ladder-field | ladder-item)* "}" */
static bool parse_ladder(struct parser *p, struct casus_ast_file *f)
{
    struct casus_ast_ladder *l = node(p, sizeof *l);
    if (!l || !parse_named(p, "a ladder name", &l->name, &l->title, "ladder", ladder_fields,
                           CASUS_ARRAY_LEN(ladder_fields), ladder_item, "rung, threshold", l))
        return false;
    LIST_APPEND(&f->ladders, l);
    return true;
}

static const struct field param_fields[] = {
    FIELD("fact", F_NAME, struct casus_ast_param, fact),
    FIELD("judgment", F_TEXT, struct casus_ast_param, judgment),
    FIELD("unit", F_TEXT, struct casus_ast_param, unit),
    FIELD("note", F_TEXT, struct casus_ast_param, note),
};

static const struct field policy_fields[] = {
    FIELD("title", F_TEXT, struct casus_ast_policy, title),
    FIELD("note", F_TEXT, struct casus_ast_policy, note),
};

/* policy-item := "baseline" | "set" NAME "=" expr | "start" NODE
 *              | "switch" NODE "." OPTION "->" NODE */
static int policy_item(struct parser *p, void *obj)
{
    struct casus_ast_policy *pol = obj;
    if (is_word(p, "baseline")) {
        pol->baseline_span = tok_span(p, &p->tok);
        advance(p);
        pol->baseline = true;
        return 1;
    }
    if (accept_word(p, "start"))
        return parse_name(p, &pol->start, "a node name") ? 1 : 0;
    if (accept_word(p, "switch")) {
        struct casus_ast_switch *w = node(p, sizeof *w);
        if (!w || !parse_name(p, &w->node, "a node name") || !expect(p, CASUS_TOK_DOT) ||
            !parse_name(p, &w->option, "an option") || !expect(p, CASUS_TOK_ARROW) ||
            !parse_name(p, &w->target, "a node name"))
            return 0;
        LIST_APPEND(&pol->switches, w);
        return 1;
    }
    if (!accept_word(p, "set"))
        return -1;
    struct casus_ast_setting *s = node(p, sizeof *s);
    if (!s || !parse_name(p, &s->param, "a parameter name") || !expect(p, CASUS_TOK_ASSIGN))
        return 0;
    s->dist = parse_or(p);
    if (!s->dist)
        return 0;
    LIST_APPEND(&pol->settings, s);
    return 1;
}

static const struct field scenario_fields[] = {
    FIELD("title", F_TEXT, struct casus_ast_scenario, title),
    FIELD("note", F_TEXT, struct casus_ast_scenario, note),
    FIELD("cite", F_NAME, struct casus_ast_scenario, cite),
    FIELD("ladder", F_NAME, struct casus_ast_scenario, ladder),
    FIELD2("date", F_DATE, struct casus_ast_scenario, date, has_date),
    FIELD("start", F_NAME, struct casus_ast_scenario, start),
};

/* ---- the game: nodes ---- */

/* edge := LABEL text? ("=" expr)? "->" NODE   (the "=" only when with_prob) */
static struct casus_ast_branch *parse_edge(struct parser *p, bool with_prob)
{
    struct casus_ast_branch *b = node(p, sizeof *b);
    if (!b || !parse_name(p, &b->label, with_prob ? "a branch name" : "an option name"))
        return NULL;
    if (p->tok.kind == CASUS_TOK_STRING && !parse_text(p, &b->title))
        return NULL;
    if (with_prob) {
        if (!expect(p, CASUS_TOK_ASSIGN))
            return NULL;
        b->prob = parse_or(p);
        if (!b->prob)
            return NULL;
    }
    if (!expect(p, CASUS_TOK_ARROW) || !parse_name(p, &b->target, "a node name"))
        return NULL;
    return b;
}

static const struct field gnode_fields[] = {
    FIELD("note", F_TEXT, struct casus_ast_gnode, note),
};

static int decide_item(struct parser *p, void *obj)
{
    struct casus_ast_gnode *g = obj;
    if (p->tok.kind != CASUS_TOK_IDENT)
        return -1;
    struct casus_ast_branch *b = parse_edge(p, false);
    if (!b)
        return 0;
    LIST_APPEND(&g->branches, b);
    return 1;
}

static int chance_item(struct parser *p, void *obj)
{
    struct casus_ast_gnode *g = obj;
    if (p->tok.kind != CASUS_TOK_IDENT)
        return -1;
    struct casus_ast_branch *b = parse_edge(p, true);
    if (!b)
        return 0;
    LIST_APPEND(&g->branches, b);
    return 1;
}

/* council-item := "group" NAME name-list? "accept" "=" expr "reject" "=" expr
 *               | ("agree" | "block") "->" NODE */
static int council_node_item(struct parser *p, void *obj)
{
    struct casus_ast_gnode *g = obj;
    if (is_word(p, "agree") || is_word(p, "block")) {
        struct casus_ast_branch *b = parse_edge(p, false);
        if (!b)
            return 0;
        LIST_APPEND(&g->branches, b);
        return 1;
    }
    if (!accept_word(p, "group"))
        return -1;
    struct casus_ast_group *gr = node(p, sizeof *gr);
    if (!gr || !parse_name(p, &gr->name, "a group name"))
        return 0;
    if (p->tok.kind == CASUS_TOK_LBRACKET) {
        gr->has_list = true;
        if (!parse_name_list(p, &gr->members, &gr->nmembers, "a member code"))
            return 0;
    }
    if (!accept_word(p, "accept")) {
        error_expected(p, "'accept = EXPR'");
        return 0;
    }
    if (!expect(p, CASUS_TOK_ASSIGN) || !(gr->accept = parse_or(p)))
        return 0;
    if (!accept_word(p, "reject")) {
        error_expected(p, "'reject = EXPR'");
        return 0;
    }
    if (!expect(p, CASUS_TOK_ASSIGN) || !(gr->reject = parse_or(p)))
        return 0;
    LIST_APPEND(&g->groups, gr);
    return 1;
}

/* payoff := ACTOR "=" expr */
static int outcome_item(struct parser *p, void *obj)
{
    struct casus_ast_gnode *g = obj;
    if (p->tok.kind != CASUS_TOK_IDENT)
        return -1;
    struct casus_ast_payoff *x = node(p, sizeof *x);
    if (!x || !parse_name(p, &x->actor, "an actor") || !expect(p, CASUS_TOK_ASSIGN) ||
        !(x->value = parse_or(p)))
        return 0;
    LIST_APPEND(&g->payoffs, x);
    return 1;
}

/* covered "(" TREATY "," ARTICLE ("," KEY VALUE)* ")" with KEY one of
 * victim, attacker, object, attribution (names), at (a place: string or
 * name), lat, lon (numbers). */
static bool parse_covered(struct parser *p, struct casus_ast_covered *c)
{
    c->span = tok_span(p, &p->tok);
    if (!accept_word(p, "covered")) {
        error_expected(p, "'covered(TREATY, \"ARTICLE\", …)'");
        return false;
    }
    if (!expect(p, CASUS_TOK_LPAREN) || !parse_name(p, &c->treaty, "a treaty") ||
        !expect(p, CASUS_TOK_COMMA))
        return false;
    if (p->tok.kind != CASUS_TOK_STRING) {
        error_expected(p, "an article in quotes, e.g. \"5\"");
        return false;
    }
    if (!parse_text(p, &c->article))
        return false;
    bool has_lat = false, has_lon = false;
    while (accept(p, CASUS_TOK_COMMA)) {
        struct casus_name *slot = NULL;
        if (accept_word(p, "victim"))
            slot = &c->victim;
        else if (accept_word(p, "attacker"))
            slot = &c->attacker;
        else if (accept_word(p, "object"))
            slot = &c->object;
        else if (accept_word(p, "attribution"))
            slot = &c->attribution;
        if (slot) {
            if (!parse_name(p, slot, "a name"))
                return false;
            continue;
        }
        if (accept_word(p, "at")) {
            if (p->tok.kind == CASUS_TOK_STRING) {
                if (!parse_text(p, &c->place))
                    return false;
            } else {
                struct casus_name n;
                if (!parse_name(p, &n, "a place"))
                    return false;
                c->place.s = n.s;
                c->place.span = n.span;
            }
            continue;
        }
        bool lat = is_word(p, "lat"), lon = is_word(p, "lon");
        if (!lat && !lon) {
            error_expected(p, "victim, attacker, object, attribution, at, lat or lon");
            return false;
        }
        advance(p);
        bool neg = accept(p, CASUS_TOK_MINUS);
        if (p->tok.kind != CASUS_TOK_NUMBER) {
            error_expected(p, "a number");
            return false;
        }
        double v = strtod(tok_text(p, &p->tok), NULL);
        advance(p);
        if (lat)
            c->lat = neg ? -v : v, has_lat = true;
        else
            c->lon = neg ? -v : v, has_lon = true;
    }
    c->has_point = has_lat || has_lon;
    if (c->has_point && !(has_lat && has_lon)) {
        casus_diag_add(p->d, CASUS_SEV_ERROR, &c->span, "syntax", "give both lat and lon");
        return false;
    }
    if (!expect(p, CASUS_TOK_RPAREN))
        return false;
    c->span.end = p->prev.end;
    return true;
}

/* if-node := "if" NAME text? covered-call "then" NODE "else" NODE ("contested" NODE)? */
static bool parse_if(struct parser *p, struct casus_ast_gnode *g)
{
    if (!parse_covered(p, &g->covered))
        return false;
    static const char *const words[] = {"then", "else", "contested"};
    for (int i = 0; i < 3; i++) {
        if (i == 2 && !is_word(p, "contested"))
            break;
        struct casus_ast_branch *b = node(p, sizeof *b);
        if (!b)
            return false;
        b->label.s = words[i];
        b->label.span = tok_span(p, &p->tok);
        if (!accept_word(p, words[i])) {
            char what[32];
            snprintf(what, sizeof what, "'%s'", words[i]);
            error_expected(p, what);
            return false;
        }
        if (!parse_name(p, &b->target, "a node name"))
            return false;
        LIST_APPEND(&g->branches, b);
    }
    return true;
}

/* A node declaration, after its keyword (kind). */
static bool parse_gnode(struct parser *p, struct casus_ast_scenario *sc, enum casus_gnode_kind kind,
                        struct casus_span kw)
{
    struct casus_ast_gnode *g = node(p, sizeof *g);
    if (!g)
        return false;
    g->kind = kind;
    g->span = kw;
    if (!parse_name(p, &g->name, "a node name"))
        return false;
    if (p->tok.kind == CASUS_TOK_STRING && !parse_text(p, &g->title))
        return false;
    bool ok = false;
    switch (kind) {
    case CASUS_GNODE_DECIDE:
        if (!accept_word(p, "by")) {
            error_expected(p, "'by ACTOR'");
            return false;
        }
        if (!parse_name(p, &g->actor, "an actor"))
            return false;
        if (accept_word(p, "observes")) {
            g->has_observes = true;
            if (!parse_name_list(p, &g->observes, &g->nobserves, "a node name"))
                return false;
        }
        ok = parse_block(p, "decide", gnode_fields, CASUS_ARRAY_LEN(gnode_fields), decide_item,
                         "OPTION -> NODE", g);
        break;
    case CASUS_GNODE_CHANCE:
        ok = parse_block(p, "chance", gnode_fields, CASUS_ARRAY_LEN(gnode_fields), chance_item,
                         "BRANCH = EXPR -> NODE", g);
        break;
    case CASUS_GNODE_IF: ok = parse_if(p, g); break;
    case CASUS_GNODE_COUNCIL:
        if (!accept_word(p, "of")) {
            error_expected(p, "'of TREATY.COUNCIL'");
            return false;
        }
        if (!parse_name(p, &g->treaty, "a treaty") || !expect(p, CASUS_TOK_DOT) ||
            !parse_name(p, &g->council, "a council"))
            return false;
        if (accept_word(p, "mode") && !parse_name(p, &g->mode, "a voting mode"))
            return false;
        ok = parse_block(p, "council", gnode_fields, CASUS_ARRAY_LEN(gnode_fields),
                         council_node_item, "group, agree, block", g);
        break;
    case CASUS_GNODE_OUTCOME:
        if (!accept_word(p, "rung")) {
            error_expected(p, "'rung NAME'");
            return false;
        }
        if (!parse_name(p, &g->rung, "a rung"))
            return false;
        ok = parse_block(p, "outcome", gnode_fields, CASUS_ARRAY_LEN(gnode_fields), outcome_item,
                         "ACTOR = EXPR", g);
        break;
    }
    if (ok)
        LIST_APPEND(&sc->nodes, g);
    return ok;
}

/* scenario-item := "param" NAME text? "=" expr param-field*
 *                | "policy" NAME text? "{" (policy-field | policy-item)* "}"
 *                | let */
static int scenario_item(struct parser *p, void *obj)
{
    struct casus_ast_scenario *sc = obj;
    if (accept_word(p, "param")) {
        struct casus_ast_param *x = node(p, sizeof *x);
        if (!x || !parse_name(p, &x->name, "a parameter name"))
            return 0;
        if (p->tok.kind == CASUS_TOK_STRING && !parse_text(p, &x->title))
            return 0;
        if (!expect(p, CASUS_TOK_ASSIGN))
            return 0;
        x->dist = parse_or(p);
        if (!x->dist || !parse_inline_fields(p, param_fields, CASUS_ARRAY_LEN(param_fields), x))
            return 0;
        LIST_APPEND(&sc->params, x);
        return 1;
    }
    if (accept_word(p, "policy")) {
        struct casus_ast_policy *x = node(p, sizeof *x);
        if (!x || !parse_named(p, "a policy name", &x->name, &x->title, "policy", policy_fields,
                               CASUS_ARRAY_LEN(policy_fields), policy_item,
                               "baseline, set, start, switch", x))
            return 0;
        LIST_APPEND(&sc->policies, x);
        return 1;
    }
    if (accept_word(p, "let")) {
        struct casus_ast_let *l = parse_let(p);
        if (!l)
            return 0;
        LIST_APPEND(&sc->lets, l);
        return 1;
    }
    if (is_word(p, "actors")) {
        advance(p);
        sc->has_actors = true;
        return parse_name_list(p, &sc->actors, &sc->nactors, "an actor") ? 1 : 0;
    }
    if (is_word(p, "scale")) {
        sc->scale_span = tok_span(p, &p->tok);
        advance(p);
        double v[2];
        for (int i = 0; i < 2; i++) {
            bool neg = accept(p, CASUS_TOK_MINUS);
            if (p->tok.kind != CASUS_TOK_NUMBER) {
                error_expected(p, "a number (scale LO HI)");
                return 0;
            }
            v[i] = strtod(tok_text(p, &p->tok), NULL);
            v[i] = neg ? -v[i] : v[i];
            advance(p);
        }
        sc->has_scale = true;
        sc->scale_lo = v[0];
        sc->scale_hi = v[1];
        sc->scale_span.end = p->prev.end;
        return 1;
    }
    if (accept_word(p, "lambda")) {
        sc->lambda = parse_or(p);
        return sc->lambda ? 1 : 0;
    }
    static const struct {
        const char *word;
        enum casus_gnode_kind kind;
    } kinds[] = {{"decide", CASUS_GNODE_DECIDE},
                 {"chance", CASUS_GNODE_CHANCE},
                 {"if", CASUS_GNODE_IF},
                 {"council", CASUS_GNODE_COUNCIL},
                 {"outcome", CASUS_GNODE_OUTCOME}};
    for (size_t i = 0; i < CASUS_ARRAY_LEN(kinds); i++)
        if (is_word(p, kinds[i].word)) {
            struct casus_span kw = tok_span(p, &p->tok);
            advance(p);
            return parse_gnode(p, sc, kinds[i].kind, kw) ? 1 : 0;
        }
    return -1;
}

/* scenario := "scenario" NAME text? "{" (scenario-field | scenario-item)* "}" */
static bool parse_scenario(struct parser *p, struct casus_ast_file *f)
{
    struct casus_ast_scenario *sc = node(p, sizeof *sc);
    if (!sc ||
        !parse_named(p, "a scenario name", &sc->name, &sc->title, "scenario", scenario_fields,
                     CASUS_ARRAY_LEN(scenario_fields), scenario_item,
                     "param, policy, let, actors, scale, lambda, decide, chance, if, council, "
                     "outcome",
                     sc))
        return false;
    LIST_APPEND(&f->scenarios, sc);
    return true;
}

/* Skip to the next top-level word after an error. */
static void sync_top(struct parser *p)
{
    int level = 0;
    while (p->tok.kind != CASUS_TOK_EOF) {
        if (p->tok.kind == CASUS_TOK_LBRACE)
            level++;
        else if (p->tok.kind == CASUS_TOK_RBRACE && level > 0)
            level--;
        else if (level == 0 &&
                 (is_word(p, "treaty") || is_word(p, "source") || is_word(p, "actor") ||
                  is_word(p, "sovereignty") || is_word(p, "aliases") || is_word(p, "let")))
            return;
        advance(p);
    }
}

/* A parser at the first token of source src. */
static void parser_start(struct parser *p, struct casus_arena *arena, struct casus_diags *diags,
                         uint32_t src)
{
    memset(p, 0, sizeof *p);
    p->arena = arena;
    p->d = diags;
    p->src = src;
    casus_lex_init(&p->lx, diags, src);
    p->text = p->lx.text;
    advance(p);
}

/* file := (source | actor | sovereignty | aliases | treaty | ladder | scenario | let | ";")*
 *         EOF */
struct casus_ast_file *casus_parse_file(struct casus_arena *arena, struct casus_diags *diags,
                                        uint32_t src)
{
    struct parser p;
    parser_start(&p, arena, diags, src);
    struct casus_ast_file *f = node(&p, sizeof *f);
    if (!f)
        return NULL;
    f->src = src;
    while (p.tok.kind != CASUS_TOK_EOF && !p.oom) {
        if (diags->nerrors > diags->max_errors)
            break;
        bool ok;
        if (accept(&p, CASUS_TOK_SEMI))
            continue;
        if (accept_word(&p, "treaty"))
            ok = parse_treaty(&p, f);
        else if (accept_word(&p, "source"))
            ok = parse_source(&p, f);
        else if (accept_word(&p, "actor"))
            ok = parse_actor(&p, f);
        else if (accept_word(&p, "sovereignty"))
            ok = parse_sovereignty(&p, f);
        else if (accept_word(&p, "aliases"))
            ok = parse_aliases(&p, f);
        else if (accept_word(&p, "ladder"))
            ok = parse_ladder(&p, f);
        else if (accept_word(&p, "scenario"))
            ok = parse_scenario(&p, f);
        else if (accept_word(&p, "let")) {
            struct casus_ast_let *l = parse_let(&p);
            ok = l != NULL;
            if (l)
                LIST_APPEND(&f->lets, l);
        } else {
            struct casus_span s = tok_span(&p, &p.tok);
            struct casus_diag *g = casus_diag_add(
                diags, CASUS_SEV_ERROR, &s, "syntax", "expected a declaration, found '%.*s'",
                (int)(p.tok.end - p.tok.start), p.text + p.tok.start);
            casus_diag_note(
                diags, g,
                "a file holds treaty, scenario, ladder, source, actor, sovereignty, aliases and "
                "let declarations");
            advance(&p);
            ok = false;
        }
        if (!ok)
            sync_top(&p);
    }
    return p.oom ? NULL : f;
}

/* An expression on its own (casus fit's --subset; see parse.h). */
struct casus_expr *casus_parse_expr(struct casus_arena *arena, struct casus_diags *diags,
                                    uint32_t src)
{
    struct parser p;
    parser_start(&p, arena, diags, src);
    struct casus_expr *e = parse_or(&p);
    if (e && p.tok.kind != CASUS_TOK_EOF)
        error_expected(&p, "end of expression");
    return p.oom ? NULL : e;
}
