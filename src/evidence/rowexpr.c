/*
 * rowexpr.c — evaluating compiled column expressions on the rows of a
 * table, and counting a reference class (see rowexpr.h).
 */
#include "evidence/rowexpr.h"
#include "uq/dist.h"

#include <math.h>

static double eval_num(const struct ev_node *x, const struct ev_table *t, uint32_t row)
{
    switch (x->op) {
    case EV_NUM: return x->num;
    case EV_COL: return ev_table_cell(t, row, x->col)->num;
    case EV_NEG: return -eval_num(x->a, t, row);
    case EV_ADD: return eval_num(x->a, t, row) + eval_num(x->b, t, row);
    case EV_SUB: return eval_num(x->a, t, row) - eval_num(x->b, t, row);
    case EV_MUL: return eval_num(x->a, t, row) * eval_num(x->b, t, row);
    case EV_DIV: return eval_num(x->a, t, row) / eval_num(x->b, t, row);
    default: return NAN; /* not a number node: the checker never builds this */
    }
}

static const char *eval_str(const struct ev_node *x, const struct ev_table *t, uint32_t row)
{
    return x->op == EV_STR ? x->s : ev_table_cell(t, row, x->col)->s;
}

static bool equal(const struct ev_node *x, const struct ev_node *y, bool str,
                  const struct ev_table *t, uint32_t row)
{
    if (str)
        return strcmp(eval_str(x, t, row), eval_str(y, t, row)) == 0;
    return eval_num(x, t, row) == eval_num(y, t, row);
}

static bool member(const struct ev_node *x, const struct ev_table *t, uint32_t row)
{
    for (uint32_t i = 0; i < x->nitems; i++)
        if (equal(x->a, x->items[i], x->str, t, row))
            return true;
    return false;
}

bool ev_eval_bool(const struct ev_node *x, const struct ev_table *t, uint32_t row)
{
    switch (x->op) {
    case EV_NOT: return !ev_eval_bool(x->a, t, row);
    case EV_AND: return ev_eval_bool(x->a, t, row) && ev_eval_bool(x->b, t, row);
    case EV_OR: return ev_eval_bool(x->a, t, row) || ev_eval_bool(x->b, t, row);
    case EV_EQ: return equal(x->a, x->b, x->str, t, row);
    case EV_NE: return !equal(x->a, x->b, x->str, t, row);
    case EV_LT: return eval_num(x->a, t, row) < eval_num(x->b, t, row);
    case EV_LE: return eval_num(x->a, t, row) <= eval_num(x->b, t, row);
    case EV_GT: return eval_num(x->a, t, row) > eval_num(x->b, t, row);
    case EV_GE: return eval_num(x->a, t, row) >= eval_num(x->b, t, row);
    case EV_IN: return member(x, t, row);
    case EV_NOTIN: return !member(x, t, row);
    default: return false; /* not a truth node: the checker never builds this */
    }
}

void ev_mark_columns(const struct ev_node *x, bool *used)
{
    if (!x)
        return;
    if (x->op == EV_COL)
        used[x->col] = true;
    ev_mark_columns(x->a, used);
    ev_mark_columns(x->b, used);
    for (uint32_t i = 0; i < x->nitems; i++)
        ev_mark_columns(x->items[i], used);
}

/* Is any column marked in used missing on the row? */
static bool any_missing(const struct ev_table *t, const bool *used, uint32_t row)
{
    for (uint32_t c = 0; c < t->ncols; c++)
        if (used[c] && ev_table_cell(t, row, c)->kind == EV_CELL_MISSING)
            return true;
    return false;
}

void ev_jeffreys(uint32_t k, uint32_t n, double *lo, double *hi)
{
    double a = k + 0.5, b = (double)(n - k) + 0.5;
    *lo = casus_dist_incbeta_inv(a, b, 0.025);
    *hi = casus_dist_incbeta_inv(a, b, 0.975);
}

void ev_count_rows(const struct ev_table *t, const struct ev_node *where,
                   const struct ev_node *outcome, bool *used, struct ev_count *out)
{
    bool *wcols = used, *ocols = used + t->ncols;
    memset(used, 0, 2 * (size_t)t->ncols * sizeof *used);
    ev_mark_columns(where, wcols);
    ev_mark_columns(outcome, ocols);
    memset(out, 0, sizeof *out);
    out->rows = t->nrows;
    for (uint32_t r = 0; r < t->nrows; r++) {
        if (any_missing(t, wcols, r)) {
            out->dropped++;
            continue;
        }
        if (where && !ev_eval_bool(where, t, r))
            continue;
        if (any_missing(t, ocols, r)) {
            out->dropped++;
            continue;
        }
        out->n++;
        out->k += ev_eval_bool(outcome, t, r);
    }
    out->rate = out->lo = out->hi = NAN;
    if (out->n) {
        out->rate = (double)out->k / out->n;
        ev_jeffreys(out->k, out->n, &out->lo, &out->hi);
    }
}
