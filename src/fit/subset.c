/*
 * subset.c — row selection by a casus expression over the columns of a
 * data frame (see subset.h): parsing by lang/parse.c, then a type check
 * and a three-valued evaluation per row here.
 */
#include "fit/subset.h"

#include "lang/parse.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>

enum vkind { V_NA, V_NUM, V_STR, V_BOOL };

struct val {
    enum vkind k;
    double num;    /* V_NUM */
    const char *s; /* V_STR: bytes (not NUL-terminated) */
    uint32_t len;
    bool quoted; /* V_STR from a quoted CSV cell ("" escapes inside) */
    bool b;      /* V_BOOL */
};

/* Static types: the kind each node yields when its value is present. */
enum stype { T_NUM, T_STR, T_BOOL, T_LIST, T_BAD };

static const char *type_name(enum stype t)
{
    return t == T_NUM    ? "a number"
           : t == T_STR  ? "a string"
           : t == T_BOOL ? "true/false"
                         : "a list";
}

static void err(struct casus_diags *d, const struct casus_expr *x, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void err(struct casus_diags *d, const struct casus_expr *x, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    casus_diag_add(d, CASUS_SEV_ERROR, &x->span, "subset", "%s", msg);
}

/* Mark the columns named under x; unknown names are errors. */
static bool mark_names(struct casus_diags *d, const struct casus_expr *x, const struct fit_frame *f,
                       bool *need)
{
    if (!x)
        return true;
    bool ok = true;
    if (x->kind == CASUS_AST_NAME) {
        int c = fit_frame_find(f, x->str, strlen(x->str));
        if (c < 0) {
            err(d, x, "no column '%s' in the data", x->str);
            return false;
        }
        need[c] = true;
    }
    ok &= mark_names(d, x->a, f, need);
    ok &= mark_names(d, x->b, f, need);
    for (uint32_t i = 0; i < x->nitems; i++)
        ok &= mark_names(d, x->items[i], f, need);
    return ok;
}

casus_status fit_subset_parse(struct fit_subset *s, struct casus_arena *a, struct casus_diags *d,
                              uint32_t src, const struct fit_frame *f, bool *need)
{
    size_t before = d->nerrors;
    s->d = d;
    s->e = casus_parse_expr(a, d, src);
    if (d->nerrors > before)
        return CASUS_EINVAL;
    if (!s->e)
        return CASUS_ENOMEM;
    return mark_names(d, s->e, f, need) ? CASUS_OK : CASUS_EINVAL;
}

static enum stype check(const struct fit_subset *s, const struct casus_expr *x,
                        const struct fit_frame *f);

static enum stype check_binary(const struct fit_subset *s, const struct casus_expr *x,
                               const struct fit_frame *f)
{
    enum stype ta = check(s, x->a, f), tb = check(s, x->b, f);
    if (ta == T_BAD || tb == T_BAD)
        return T_BAD;
    switch (x->op) {
    case CASUS_OP_ADD:
    case CASUS_OP_SUB:
    case CASUS_OP_MUL:
    case CASUS_OP_DIV:
    case CASUS_OP_LT:
    case CASUS_OP_LE:
    case CASUS_OP_GT:
    case CASUS_OP_GE:
        if (ta != T_NUM || tb != T_NUM) {
            err(s->d, ta != T_NUM ? x->a : x->b, "expected a number here, found %s",
                type_name(ta != T_NUM ? ta : tb));
            return T_BAD;
        }
        return x->op <= CASUS_OP_DIV ? T_NUM : T_BOOL;
    case CASUS_OP_EQ:
    case CASUS_OP_NE:
        if (ta != tb || ta == T_LIST) {
            err(s->d, x, "cannot compare %s with %s", type_name(ta), type_name(tb));
            return T_BAD;
        }
        return T_BOOL;
    case CASUS_OP_IN:
    case CASUS_OP_NOTIN:
        if (tb != T_LIST) {
            err(s->d, x->b, "expected a list [..] after 'in'");
            return T_BAD;
        }
        for (uint32_t i = 0; i < x->b->nitems; i++)
            if (check(s, x->b->items[i], f) != ta) {
                err(s->d, x->b->items[i], "this list item is not %s like the left side",
                    type_name(ta));
                return T_BAD;
            }
        return T_BOOL;
    case CASUS_OP_AND:
    case CASUS_OP_OR:
        if (ta != T_BOOL || tb != T_BOOL) {
            err(s->d, ta != T_BOOL ? x->a : x->b, "expected a condition here, found %s",
                type_name(ta != T_BOOL ? ta : tb));
            return T_BAD;
        }
        return T_BOOL;
    default: return T_BAD;
    }
}

static enum stype check_name(const struct fit_subset *s, const struct casus_expr *x,
                             const struct fit_frame *f)
{
    const struct fit_column *c = &f->cols[fit_frame_find(f, x->str, strlen(x->str))];
    if (c->text)
        return T_STR;
    if (c->nbad) {
        casus_diag_add(s->d, CASUS_SEV_ERROR, &c->bad, "not-a-number",
                       "'%.*s' in column '%s' (row %u) is not a number",
                       (int)(c->bad.end - c->bad.start), f->text + c->bad.start, c->name,
                       c->first_bad + 1);
        return T_BAD;
    }
    return T_NUM;
}

static enum stype check(const struct fit_subset *s, const struct casus_expr *x,
                        const struct fit_frame *f)
{
    switch (x->kind) {
    case CASUS_AST_NUMBER: return T_NUM;
    case CASUS_AST_STRING: return T_STR;
    case CASUS_AST_NAME: return check_name(s, x, f);
    case CASUS_AST_LIST: return T_LIST;
    case CASUS_AST_UNARY: {
        enum stype t = check(s, x->a, f), want = x->op == CASUS_OP_NEG ? T_NUM : T_BOOL;
        if (t != want && t != T_BAD)
            err(s->d, x->a, "expected %s here, found %s", type_name(want), type_name(t));
        return t == want ? t : T_BAD;
    }
    case CASUS_AST_BINARY: return check_binary(s, x, f);
    case CASUS_AST_CALL:
        if (strcmp(x->str, "is_na") == 0 && x->nitems == 1 && x->items[0]->kind == CASUS_AST_NAME)
            return T_BOOL;
        err(s->d, x, "unknown function '%s' (subset expressions know is_na(column))", x->str);
        return T_BAD;
    case CASUS_AST_DATE:
        err(s->d, x, "dates are not columns of the data; compare a year column instead");
        return T_BAD;
    case CASUS_AST_NAMED: /* `name: x` is for evidence(...) in a scenario */
        err(s->d, x, "a named argument cannot stand in a subset expression");
        return T_BAD;
    }
    return T_BAD;
}

/* ---- evaluation --------------------------------------------------------- */

static struct val eval(const struct casus_expr *x, const struct fit_frame *f, uint32_t r);

static struct val vbool(bool b)
{
    struct val v = {V_BOOL, 0, NULL, 0, false, b};
    return v;
}

static struct val vna(void)
{
    struct val v = {V_NA, 0, NULL, 0, false, false};
    return v;
}

/* String equality of two values (cells may hold "" escapes). */
static bool str_eq(const struct val *a, const struct val *b)
{
    uint32_t i = 0, j = 0;
    while (i < a->len && j < b->len) {
        if (a->s[i] != b->s[j])
            return false;
        i += a->quoted && a->s[i] == '"' ? 2 : 1;
        j += b->quoted && b->s[j] == '"' ? 2 : 1;
    }
    return i >= a->len && j >= b->len;
}

static bool equal(const struct val *a, const struct val *b)
{
    return a->k == V_NUM ? a->num == b->num : a->k == V_STR ? str_eq(a, b) : a->b == b->b;
}

static struct val eval_logic(const struct casus_expr *x, const struct fit_frame *f, uint32_t r)
{
    struct val a = eval(x->a, f, r);
    bool is_and = x->op == CASUS_OP_AND;
    if (a.k == V_BOOL && a.b != is_and) /* false and .., true or .. */
        return a;
    struct val b = eval(x->b, f, r);
    if (b.k == V_BOOL && b.b != is_and)
        return b;
    if (a.k == V_NA || b.k == V_NA)
        return vna();
    return vbool(is_and);
}

static struct val eval_in(const struct casus_expr *x, const struct fit_frame *f, uint32_t r)
{
    struct val a = eval(x->a, f, r);
    if (a.k == V_NA)
        return a;
    bool found = false;
    for (uint32_t i = 0; i < x->b->nitems && !found; i++) {
        struct val b = eval(x->b->items[i], f, r);
        found = b.k != V_NA && equal(&a, &b);
    }
    return vbool(found == (x->op == CASUS_OP_IN));
}

static struct val eval_binary(const struct casus_expr *x, const struct fit_frame *f, uint32_t r)
{
    if (x->op == CASUS_OP_AND || x->op == CASUS_OP_OR)
        return eval_logic(x, f, r);
    if (x->op == CASUS_OP_IN || x->op == CASUS_OP_NOTIN)
        return eval_in(x, f, r);
    struct val a = eval(x->a, f, r), b = eval(x->b, f, r);
    if (a.k == V_NA || b.k == V_NA)
        return vna();
    struct val v = {V_NUM, 0, NULL, 0, false, false};
    switch (x->op) {
    case CASUS_OP_ADD: v.num = a.num + b.num; return v;
    case CASUS_OP_SUB: v.num = a.num - b.num; return v;
    case CASUS_OP_MUL: v.num = a.num * b.num; return v;
    case CASUS_OP_DIV: v.num = a.num / b.num; return v;
    case CASUS_OP_LT: return vbool(a.num < b.num);
    case CASUS_OP_LE: return vbool(a.num <= b.num);
    case CASUS_OP_GT: return vbool(a.num > b.num);
    case CASUS_OP_GE: return vbool(a.num >= b.num);
    case CASUS_OP_EQ: return vbool(equal(&a, &b));
    case CASUS_OP_NE: return vbool(!equal(&a, &b));
    default: return vna();
    }
}

static struct val eval_name(const struct casus_expr *x, const struct fit_frame *f, uint32_t r)
{
    const struct fit_column *c = &f->cols[fit_frame_find(f, x->str, strlen(x->str))];
    struct val v = {V_NUM, 0, NULL, 0, false, false};
    if (c->text) {
        if (c->missing[r])
            return vna();
        v.k = V_STR;
        v.s = f->text + c->off[r];
        v.len = c->len[r];
        v.quoted = c->quoted[r];
        return v;
    }
    if (isnan(c->num[r]))
        return vna();
    v.num = c->num[r];
    return v;
}

static struct val eval(const struct casus_expr *x, const struct fit_frame *f, uint32_t r)
{
    struct val v = {V_NUM, 0, NULL, 0, false, false};
    switch (x->kind) {
    case CASUS_AST_NUMBER: v.num = x->num; return v;
    case CASUS_AST_STRING:
        v.k = V_STR;
        v.s = x->str;
        v.len = (uint32_t)strlen(x->str);
        return v;
    case CASUS_AST_NAME: return eval_name(x, f, r);
    case CASUS_AST_UNARY: {
        struct val a = eval(x->a, f, r);
        if (a.k == V_NA)
            return a;
        if (x->op == CASUS_OP_NEG)
            a.num = -a.num;
        else
            a.b = !a.b;
        return a;
    }
    case CASUS_AST_BINARY: return eval_binary(x, f, r);
    case CASUS_AST_CALL: return vbool(eval(x->items[0], f, r).k == V_NA); /* is_na */
    default: return vna();
    }
}

casus_status fit_subset_eval(const struct fit_subset *s, const struct fit_frame *f, bool *keep)
{
    enum stype t = check(s, s->e, f);
    if (t == T_BAD)
        return CASUS_EINVAL;
    if (t != T_BOOL) {
        err(s->d, s->e, "a subset is a condition (true or false for each row), not %s",
            type_name(t));
        return CASUS_EINVAL;
    }
    for (uint32_t r = 0; r < f->nrows; r++) {
        struct val v = eval(s->e, f, r);
        keep[r] = v.k == V_BOOL && v.b;
    }
    return CASUS_OK;
}
