/*
 * formula.c — recursive-descent parser for R model formulas with several
 * right-hand sides (see formula.h for the grammar and meaning).
 */
#include "fit/formula.h"

#include "base/arena.h"

enum ftok { F_EOF, F_NAME, F_NUM, F_TILDE, F_BAR, F_PLUS, F_MINUS, F_COLON, F_STAR, F_DOT, F_BAD };

struct fparser {
    struct casus_arena *a;
    struct casus_diags *d;
    uint32_t src;
    const char *t;
    uint32_t len, pos;
    enum ftok tok;
    uint32_t ts, te; /* current token's bytes */
    bool failed, oom;
};

static bool name_start(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '.';
}

static bool name_char(char c)
{
    return name_start(c) || (c >= '0' && c <= '9') || c == '_';
}

/* The next token: skips blanks; a lone "." is F_DOT. */
static void next(struct fparser *p)
{
    while (p->pos < p->len && strchr(" \t\r\n", p->t[p->pos]))
        p->pos++;
    p->ts = p->pos;
    if (p->pos >= p->len) {
        p->tok = F_EOF;
        p->te = p->pos;
        return;
    }
    char c = p->t[p->pos];
    if (c == '`') {
        uint32_t e = p->pos + 1;
        while (e < p->len && p->t[e] != '`')
            e++;
        p->tok = e < p->len ? F_NAME : F_BAD;
        p->pos = e < p->len ? e + 1 : e;
    } else if (name_start(c)) {
        while (p->pos < p->len && name_char(p->t[p->pos]))
            p->pos++;
        p->tok = p->pos - p->ts == 1 && c == '.' ? F_DOT : F_NAME;
    } else if (c >= '0' && c <= '9') {
        while (p->pos < p->len &&
               ((p->t[p->pos] >= '0' && p->t[p->pos] <= '9') || p->t[p->pos] == '.'))
            p->pos++;
        p->tok = F_NUM;
    } else {
        const char *ops = "~|+-:*";
        const char *k = strchr(ops, c);
        static const enum ftok kinds[] = {F_TILDE, F_BAR, F_PLUS, F_MINUS, F_COLON, F_STAR};
        p->tok = k && c ? kinds[k - ops] : F_BAD;
        p->pos++;
    }
    p->te = p->pos;
}

static struct casus_span tok_span(const struct fparser *p)
{
    struct casus_span s = {p->src, p->ts, p->te > p->ts ? p->te : p->ts};
    return s;
}

static void error_at(struct fparser *p, struct casus_span s, const char *what)
{
    if (!p->failed)
        casus_diag_add(p->d, CASUS_SEV_ERROR, &s, "formula", "%s", what);
    p->failed = true;
}

/* Report the current token as unexpected, saying what was expected. */
static void expected(struct fparser *p, const char *what)
{
    if (p->failed)
        return;
    struct casus_span s = tok_span(p);
    if (p->tok == F_EOF)
        casus_diag_add(p->d, CASUS_SEV_ERROR, &s, "formula",
                       "expected %s at the end of the formula", what);
    else if (p->tok == F_NAME && p->pos < p->len && p->t[p->pos] == '(')
        casus_diag_add(p->d, CASUS_SEV_ERROR, &s, "formula",
                       "function calls such as '%.*s(...)' are not supported in formulas; add the "
                       "transformed variable as a column of the data",
                       (int)(p->te - p->ts), p->t + p->ts);
    else
        casus_diag_add(p->d, CASUS_SEV_ERROR, &s, "formula", "expected %s, found '%.*s'", what,
                       (int)(p->te - p->ts), p->t + p->ts);
    p->failed = true;
}

/* name := [A-Za-z.][A-Za-z0-9._]* | `text` */
static bool take_name(struct fparser *p, struct casus_name *n)
{
    if (p->tok != F_NAME) {
        expected(p, "a column name");
        return false;
    }
    bool bq = p->t[p->ts] == '`';
    uint32_t s = p->ts + bq, e = p->te - bq;
    n->s = casus_arena_strndup(p->a, p->t + s, e - s);
    n->span = tok_span(p);
    p->oom |= n->s == NULL;
    if (!bq && p->pos < p->len && p->t[p->pos] == '(') {
        expected(p, "a column name"); /* reports the call */
        return false;
    }
    next(p);
    return n->s != NULL;
}

/* Same variables in the same order (interactions compare as sets in R;
 * a:b and b:a are one term). */
static bool same_term(const struct fit_fterm *x, const struct fit_fterm *y)
{
    if (x->dot || y->dot)
        return x->dot && y->dot;
    if (x->nvars != y->nvars)
        return false;
    for (uint32_t i = 0; i < x->nvars; i++) {
        bool found = false;
        for (uint32_t j = 0; j < y->nvars; j++)
            found |= strcmp(x->vars[i].s, y->vars[j].s) == 0;
        if (!found)
            return false;
    }
    return true;
}

/* Add (or, when minus, remove) a term of rhs r. */
static void put_term(struct fparser *p, struct fit_rhs *r, const struct fit_fterm *t, bool minus,
                     uint32_t *cap)
{
    for (uint32_t i = 0; i < r->nterms; i++)
        if (same_term(&r->terms[i], t)) {
            if (minus) {
                memmove(&r->terms[i], &r->terms[i + 1], (r->nterms - i - 1) * sizeof *t);
                r->nterms--;
            }
            return;
        }
    if (minus)
        return;
    if (r->nterms == *cap) {
        uint32_t nc = *cap ? *cap * 2 : 8;
        struct fit_fterm *n = casus_arena_grow(p->a, r->terms, r->nterms, nc, sizeof *n);
        if (!n) {
            p->oom = true;
            return;
        }
        r->terms = n;
        *cap = nc;
    }
    r->terms[r->nterms++] = *t;
}

/* The number item: 0 or 1 changes the intercept. */
static void number_item(struct fparser *p, struct fit_rhs *r, bool minus)
{
    bool zero = p->te - p->ts == 1 && p->t[p->ts] == '0';
    bool one = p->te - p->ts == 1 && p->t[p->ts] == '1';
    if (!zero && !one) {
        error_at(p, tok_span(p), "only 0 and 1 may stand alone in a formula (the intercept)");
        return;
    }
    r->intercept = one != minus; /* 1, +1, -0 keep it; 0, +0, -1 remove it */
    next(p);
}

/* term := name ((":" | "*") name)*; "*" expands to all sub-products. */
static void term_item(struct fparser *p, struct fit_rhs *r, bool minus, uint32_t *cap)
{
    struct fit_fterm t;
    memset(&t, 0, sizeof t);
    bool star = false;
    uint32_t start = p->ts;
    if (!take_name(p, &t.vars[t.nvars++]))
        return;
    while (p->tok == F_COLON || p->tok == F_STAR) {
        star |= p->tok == F_STAR;
        next(p);
        if (t.nvars == FIT_MAX_INTER) {
            error_at(p, tok_span(p), "interactions of more than 4 variables are not supported");
            return;
        }
        if (!take_name(p, &t.vars[t.nvars++]))
            return;
    }
    t.span = (struct casus_span){p->src, start, t.vars[t.nvars - 1].span.end};
    if (!star) {
        put_term(p, r, &t, minus, cap);
        return;
    }
    for (uint32_t size = 1; size <= t.nvars; size++) /* a*b*c: mains, pairs, triple */
        for (uint32_t mask = 1; mask < (1u << t.nvars); mask++) {
            if ((uint32_t)__builtin_popcount(mask) != size)
                continue;
            struct fit_fterm s = t;
            s.nvars = 0;
            for (uint32_t i = 0; i < t.nvars; i++)
                if (mask & (1u << i))
                    s.vars[s.nvars++] = t.vars[i];
            put_term(p, r, &s, minus, cap);
        }
}

/* rhs := ("+" | "-")? item (("+" | "-") item)* */
static void parse_rhs(struct fparser *p, struct fit_rhs *r)
{
    uint32_t cap = 0;
    memset(r, 0, sizeof *r);
    r->intercept = true;
    r->span.src = p->src;
    r->span.start = p->ts;
    bool minus = false, first = true;
    for (;;) {
        if (p->tok == F_PLUS || p->tok == F_MINUS) {
            minus = p->tok == F_MINUS;
            next(p);
        } else if (!first) {
            break;
        }
        if (p->tok == F_NUM)
            number_item(p, r, minus);
        else if (p->tok == F_DOT) {
            struct fit_fterm t;
            memset(&t, 0, sizeof t);
            t.dot = true;
            t.span = tok_span(p);
            put_term(p, r, &t, minus, &cap);
            next(p);
        } else
            term_item(p, r, minus, &cap);
        if (p->failed || p->oom)
            return;
        first = false;
        minus = false;
    }
    r->span.end = p->ts;
    while (r->span.end > r->span.start && strchr(" \t\r\n", p->t[r->span.end - 1]))
        r->span.end--;
}

/* lhs := name ("+" name)* */
static void parse_lhs(struct fparser *p, struct fit_formula *f)
{
    uint32_t cap = 0;
    do {
        if (f->nlhs)
            next(p); /* the "+" */
        if (f->nlhs == cap) {
            cap = cap ? cap * 2 : 4;
            struct casus_name *n = casus_arena_grow(p->a, f->lhs, f->nlhs, cap, sizeof *n);
            if (!n) {
                p->oom = true;
                return;
            }
            f->lhs = n;
        }
        if (!take_name(p, &f->lhs[f->nlhs++]))
            return;
    } while (p->tok == F_PLUS);
}

/* formula := lhs? "~" rhs ("|" rhs)* */
casus_status fit_formula_parse(struct fit_formula *f, struct casus_arena *a, struct casus_diags *d,
                               uint32_t src, bool want_lhs)
{
    const struct casus_source *s = casus_diags_source(d, src);
    struct fparser p = {a, d, src, s->text, s->len, 0, F_EOF, 0, 0, false, false};
    memset(f, 0, sizeof *f);
    f->span = (struct casus_span){src, 0, s->len};
    next(&p);
    if (p.tok != F_TILDE) {
        if (!want_lhs) {
            expected(&p, "'~' (this formula has no left-hand side)");
            return CASUS_EINVAL;
        }
        parse_lhs(&p, f);
    } else if (want_lhs) {
        expected(&p, "the outcome (a column name, or the action columns joined by '+')");
    }
    if (!p.failed && !p.oom && p.tok != F_TILDE)
        expected(&p, "'~' after the outcome");
    uint32_t cap = 0;
    while (!p.failed && !p.oom && (p.tok == F_TILDE || p.tok == F_BAR)) {
        next(&p);
        if (f->nrhs == cap) {
            cap = cap ? cap * 2 : 8;
            struct fit_rhs *n = casus_arena_grow(a, f->rhs, f->nrhs, cap, sizeof *n);
            if (!n)
                return CASUS_ENOMEM;
            f->rhs = n;
        }
        parse_rhs(&p, &f->rhs[f->nrhs++]);
    }
    if (!p.failed && !p.oom && p.tok != F_EOF)
        expected(&p, "'+', '-', ':', '*' or '|'");
    if (p.oom)
        return CASUS_ENOMEM;
    return p.failed ? CASUS_EINVAL : CASUS_OK;
}
