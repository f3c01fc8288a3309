/*
 * check_columns.c — the checker for expressions over a table's columns
 * (`casus evidence --where/--outcome`, and `evidence(...)` in a scenario),
 * and the count of a reference class that both share.
 *
 * Pipeline: the language's parser (parse.c) reads the expression; this
 * file resolves names as columns of the table (evidence/table.h), checks
 * types — numbers (numeric columns, number constants, + - * /), strings
 * (text columns, string constants; == and != only), truth values (and, or,
 * not, comparisons, `in [..]`) — and builds the row expression that
 * evidence/rowexpr.c evaluates.  Every error is a diagnostic with a caret in
 * the expression; an unknown column gets "did you mean".
 *
 * Why here: a scenario's parameter is counted when its file loads, and the
 * checker of the language is the one that knows the expression; the
 * evidence wing below evaluates, so lang calls down, never up.
 */
#include "lang/check.h"
#include "base/suggest.h"
#include "evidence/catalog.h"
#include "evidence/rowexpr.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>

enum ctype { C_NUM, C_STR, C_BOOL, C_BAD };

struct cc {
    struct casus_diags *d;
    struct casus_arena *a;
    const struct ev_table *t;
    const char *dataset; /* for messages */
    bool oom;
};

static const char *ctype_name(enum ctype t)
{
    return t == C_NUM ? "a number" : t == C_STR ? "text" : "a condition";
}

static struct ev_node *node(struct cc *c, enum ev_op op)
{
    struct ev_node *n = casus_arena_alloc(c->a, sizeof *n);
    if (!n) {
        c->oom = true;
        return NULL;
    }
    memset(n, 0, sizeof *n);
    n->op = op;
    return n;
}

static struct casus_diag *cerr(struct cc *c, const struct casus_expr *x, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static struct casus_diag *cerr(struct cc *c, const struct casus_expr *x, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return casus_diag_add(c->d, CASUS_SEV_ERROR, &x->span, "evidence", "%s", msg);
}

static const struct ev_node *comp(struct cc *c, const struct casus_expr *x, enum ctype *ty);

/* A column by name, with "did you mean" when there is none. */
static const struct ev_node *column(struct cc *c, const struct casus_expr *x, enum ctype *ty)
{
    int32_t col = ev_table_find(c->t, x->str);
    if (col < 0) {
        struct casus_diag *g = cerr(c, x, "no column '%s' in %s", x->str, c->dataset);
        const char *best = casus_suggest(x->str, c->t->names, c->t->ncols, sizeof(const char *));
        if (best)
            casus_diag_note(c->d, g, "did you mean '%s'?", best);
        else
            casus_diag_note(c->d, g, "'casus evidence %s --columns' lists them", c->dataset);
        return NULL;
    }
    struct ev_node *n = node(c, EV_COL);
    if (n)
        n->col = (uint32_t)col;
    *ty = c->t->numeric[col] ? C_NUM : C_STR;
    return n;
}

/* x must be of type want; say why not (naming a text column's first text). */
static bool want(struct cc *c, const struct casus_expr *x, const struct ev_node *n, enum ctype got,
                 enum ctype want_ty)
{
    if (got == want_ty)
        return true;
    struct casus_diag *g =
        cerr(c, x, "expected %s here, found %s", ctype_name(want_ty), ctype_name(got));
    if (n && n->op == EV_COL && got == C_STR && want_ty == C_NUM) {
        uint32_t r = c->t->first_text[n->col];
        casus_diag_note(c->d, g,
                        "column '%s' holds text (data row %u: '%s'); if that is a missing-value "
                        "code, declare it missing",
                        c->t->names[n->col], r + 1, ev_table_cell(c->t, r, n->col)->s);
    }
    return false;
}

static const struct ev_node *binary(struct cc *c, const struct casus_expr *x, enum ev_op op,
                                    enum ctype *ty)
{
    enum ctype ta = C_BAD, tb = C_BAD;
    const struct ev_node *a = comp(c, x->a, &ta), *b = comp(c, x->b, &tb);
    if (!a || !b)
        return NULL;
    struct ev_node *n = node(c, op);
    if (!n)
        return NULL;
    n->a = a;
    n->b = b;
    if (op == EV_AND || op == EV_OR) {
        *ty = C_BOOL;
        return want(c, x->a, a, ta, C_BOOL) && want(c, x->b, b, tb, C_BOOL) ? n : NULL;
    }
    if (op == EV_EQ || op == EV_NE) {
        *ty = C_BOOL;
        n->str = ta == C_STR;
        if (ta == C_BOOL || !want(c, x->b, b, tb, ta)) {
            if (ta == C_BOOL)
                cerr(c, x, "compare numbers or text, not conditions");
            return NULL;
        }
        return n;
    }
    *ty = op >= EV_LT ? C_BOOL : C_NUM;
    return want(c, x->a, a, ta, C_NUM) && want(c, x->b, b, tb, C_NUM) ? n : NULL;
}

/* a in [items] / a not in [items]: items of a's type. */
static const struct ev_node *member(struct cc *c, const struct casus_expr *x, enum ctype *ty)
{
    enum ctype ta = C_BAD;
    const struct ev_node *a = comp(c, x->a, &ta);
    if (!a)
        return NULL;
    if (x->b->kind != CASUS_AST_LIST) {
        cerr(c, x->b, "'in' needs a list such as [2, 200, 220]");
        return NULL;
    }
    struct ev_node *n = node(c, x->op == CASUS_OP_IN ? EV_IN : EV_NOTIN);
    const struct ev_node **items = casus_arena_alloc(c->a, (x->b->nitems + 1) * sizeof *items);
    if (!n || !items)
        return NULL;
    bool ok = ta == C_NUM || ta == C_STR;
    if (!ok)
        cerr(c, x->a, "'in' tests a number or text, not a condition");
    for (uint32_t i = 0; i < x->b->nitems && ok; i++) {
        enum ctype ti = C_BAD;
        items[i] = comp(c, x->b->items[i], &ti);
        ok = items[i] && want(c, x->b->items[i], items[i], ti, ta);
    }
    n->a = a;
    n->str = ta == C_STR;
    n->items = items;
    n->nitems = x->b->nitems;
    *ty = C_BOOL;
    return ok ? n : NULL;
}

static const struct ev_node *unary(struct cc *c, const struct casus_expr *x, enum ctype *ty)
{
    enum ctype ta = C_BAD;
    const struct ev_node *a = comp(c, x->a, &ta);
    bool is_not = x->op == CASUS_OP_NOT;
    *ty = is_not ? C_BOOL : C_NUM;
    if (!a || !want(c, x->a, a, ta, *ty))
        return NULL;
    struct ev_node *n = node(c, is_not ? EV_NOT : EV_NEG);
    if (n)
        n->a = a;
    return n;
}

static const struct ev_node *comp(struct cc *c, const struct casus_expr *x, enum ctype *ty)
{
    static const enum ev_op ops[] = {
        [CASUS_OP_ADD] = EV_ADD, [CASUS_OP_SUB] = EV_SUB, [CASUS_OP_MUL] = EV_MUL,
        [CASUS_OP_DIV] = EV_DIV, [CASUS_OP_EQ] = EV_EQ,   [CASUS_OP_NE] = EV_NE,
        [CASUS_OP_LT] = EV_LT,   [CASUS_OP_LE] = EV_LE,   [CASUS_OP_GT] = EV_GT,
        [CASUS_OP_GE] = EV_GE,   [CASUS_OP_AND] = EV_AND, [CASUS_OP_OR] = EV_OR};
    struct ev_node *n;
    switch (x->kind) {
    case CASUS_AST_NUMBER:
    case CASUS_AST_STRING:
        n = node(c, x->kind == CASUS_AST_NUMBER ? EV_NUM : EV_STR);
        if (n) {
            n->num = x->num;
            n->s = x->str;
        }
        *ty = x->kind == CASUS_AST_NUMBER ? C_NUM : C_STR;
        return n;
    case CASUS_AST_NAME: return column(c, x, ty);
    case CASUS_AST_UNARY: return unary(c, x, ty);
    case CASUS_AST_BINARY:
        if (x->op == CASUS_OP_IN || x->op == CASUS_OP_NOTIN)
            return member(c, x, ty);
        return binary(c, x, ops[x->op], ty);
    case CASUS_AST_DATE:
        cerr(c, x,
             "columns hold numbers and text, not dates: compare a year column "
             "(yrtrig >= 1945)");
        return NULL;
    case CASUS_AST_LIST: cerr(c, x, "a list can only follow 'in'"); return NULL;
    case CASUS_AST_CALL: cerr(c, x, "no functions in an expression over columns"); return NULL;
    case CASUS_AST_NAMED: cerr(c, x, "a named argument cannot stand here"); return NULL;
    }
    return NULL;
}

/* Compile a condition over t's columns; NULL after errors (or *oom). */
static const struct ev_node *compile_condition(struct cc *c, const struct casus_expr *x)
{
    enum ctype ty = C_BAD;
    const struct ev_node *n = comp(c, x, &ty);
    if (n && ty != C_BOOL) {
        struct casus_diag *g = cerr(c, x, "this is %s; a condition is needed", ctype_name(ty));
        casus_diag_note(c->d, g, "for example: viol >= 3, or actor in [\"USA\", \"RUS\"]");
        return NULL;
    }
    return n;
}

/* ---- the count ---- */

/* Hard limit on a dataset: 64 MiB of text. */
#define EV_MAX_BYTES (64u << 20)

/* "unknown dataset" with a suggestion and the shipped names. */
static void unknown_dataset(struct casus_engine *e, struct casus_arena *tmp,
                            const struct casus_evq *q)
{
    struct casus_diag *g = casus_diag_add(&e->diags, CASUS_SEV_ERROR, q->at, "unknown-dataset",
                                          "no shipped dataset '%s'", q->dataset);
    const struct ev_dataset *ds;
    uint32_t n;
    if (ev_catalog_read(tmp, &e->diags, &ds, &n) != CASUS_OK)
        return;
    const char *best = casus_suggest(q->dataset, &ds[0].name, n, sizeof *ds);
    if (best)
        casus_diag_note(&e->diags, g, "did you mean '%s'?", best);
    char list[512];
    size_t len = 0;
    list[0] = '\0';
    for (uint32_t i = 0; i < n && len < sizeof list - 64; i++)
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", ds[i].name);
    casus_diag_note(&e->diags, g, "shipped: %s; or give a CSV file's path", list);
}

/* The dataset as a source: shipped (with its catalogue entry) or a file. */
static casus_status open_dataset(struct casus_engine *e, struct casus_arena *tmp,
                                 const struct casus_evq *q, const struct ev_dataset **entry,
                                 uint32_t *src)
{
    *entry = NULL;
    if (q->text)
        return casus_diags_add_source(&e->diags, q->dataset, q->text, q->len, src);
    if (!q->is_path) {
        casus_status st = ev_catalog_open(tmp, &e->diags, q->dataset, entry, src);
        if (st == CASUS_ENOTFOUND)
            unknown_dataset(e, tmp, q);
        return st;
    }
    char path[4096];
    bool rel = q->base && q->base[0] && q->dataset[0] != '/';
    if (snprintf(path, sizeof path, "%s%s%s", rel ? q->base : "", rel ? "/" : "", q->dataset) >=
        (int)sizeof path)
        return CASUS_ELIMIT;
    casus_buf b = CASUS_BUF_INIT;
    casus_status st = casus_engine_read_file(e, path, EV_MAX_BYTES, &b);
    if (st == CASUS_OK && b.len > EV_MAX_BYTES) {
        casus_diag_add(&e->diags, CASUS_SEV_ERROR, q->at, "limit", "%s is larger than 64 MiB",
                       path);
        st = CASUS_ELIMIT;
    }
    if (st == CASUS_OK)
        st = casus_diags_add_source(&e->diags, path, b.data ? b.data : "", b.len, src);
    casus_buf_release(&b);
    return st;
}

static const char *keep(struct casus_engine *e, const char *s)
{
    return s ? casus_arena_strndup(&e->arena, s, strlen(s)) : NULL;
}

/* Copy the query's words and the counts into out (engine arena). */
static casus_status fill(struct casus_engine *e, const struct casus_evq *q,
                         const struct ev_dataset *entry, const struct ev_count *k,
                         struct casus_mevidence *out)
{
    memset(out, 0, sizeof *out);
    out->dataset = keep(e, q->dataset);
    out->title = entry ? keep(e, entry->title) : NULL;
    out->citation = entry ? keep(e, entry->citation) : NULL;
    out->url = entry && entry->url && entry->url[0] ? keep(e, entry->url) : NULL;
    out->where = keep(e, q->where_text);
    out->outcome = keep(e, q->outcome_text);
    casus_buf m = CASUS_BUF_INIT;
    for (size_t i = 0; i < q->nna; i++)
        casus_buf_printf(&m, "%s%s", i ? ", " : "", q->na[i]);
    out->missing = m.data ? keep(e, m.data) : NULL;
    bool failed = m.failed || (m.data && !out->missing);
    casus_buf_release(&m);
    out->rows = k->rows;
    out->n = k->n;
    out->k = k->k;
    out->dropped = k->dropped;
    out->rate = k->rate;
    out->lo = k->lo;
    out->hi = k->hi;
    if (failed || !out->dataset || (entry && (!out->title || !out->citation)) ||
        (q->where_text && !out->where) || !out->outcome)
        return CASUS_ENOMEM;
    return CASUS_OK;
}

casus_status casus_evidence_table(struct casus_engine *e, struct casus_arena *tmp,
                                  const struct casus_evq *q, const struct ev_dataset **entry,
                                  struct ev_table *t)
{
    uint32_t src;
    casus_status st = open_dataset(e, tmp, q, entry, &src);
    return st == CASUS_OK ? ev_table_read(t, tmp, &e->diags, src, q->na, q->nna) : st;
}

/* Read, compile and count, with the scratch in tmp. */
static casus_status evaluate(struct casus_engine *e, struct casus_arena *tmp,
                             const struct casus_evq *q, struct casus_mevidence *out)
{
    const struct ev_dataset *entry;
    struct ev_table t;
    casus_status st = casus_evidence_table(e, tmp, q, &entry, &t);
    if (st != CASUS_OK)
        return st;
    struct cc c = {&e->diags, tmp, &t, q->dataset, false};
    size_t before = e->diags.nerrors;
    const struct ev_node *where = q->where ? compile_condition(&c, q->where) : NULL;
    const struct ev_node *outcome = compile_condition(&c, q->outcome);
    if (c.oom)
        return CASUS_ENOMEM;
    if (e->diags.nerrors > before || (q->where && !where) || !outcome)
        return CASUS_EINVAL;
    bool *used = casus_arena_alloc(tmp, 2 * (size_t)t.ncols + 1);
    if (!used)
        return CASUS_ENOMEM;
    struct ev_count k;
    ev_count_rows(&t, where, outcome, used, &k);
    return fill(e, q, entry, &k, out);
}

casus_status casus_evidence_eval(struct casus_engine *e, const struct casus_evq *q,
                                 struct casus_mevidence *out)
{
    struct casus_arena tmp;
    casus_arena_init(&tmp, &e->alloc);
    casus_status st = evaluate(e, &tmp, q, out);
    casus_arena_release(&tmp);
    return st;
}
