/*
 * evidence.c — the public entry of reference-class queries
 * (casus/evidence.h): the `--where` and `--outcome` texts become sources
 * named <where> and <outcome>, parsed by the language's expression parser
 * and counted by check_columns.c, so their errors point into them with a
 * caret like any other source.
 */
#include "casus/evidence.h"
#include "base/buf.h"
#include "evidence/catalog.h"
#include "evidence/table.h"
#include "lang/check.h"
#include "lang/parse.h"

#include <math.h>

/* Parse text as the expression of source `name`; NULL after errors. */
static const struct casus_expr *parse_text(casus_engine *e, const char *name, const char *text,
                                           casus_status *st)
{
    uint32_t src;
    *st = casus_diags_add_source(&e->diags, name, text, strlen(text), &src);
    if (*st != CASUS_OK)
        return NULL;
    size_t before = e->diags.nerrors;
    const struct casus_expr *x = casus_parse_expr(&e->arena, &e->diags, src);
    if (e->diags.nerrors > before)
        *st = CASUS_ECOMPILE;
    else if (!x)
        *st = CASUS_ENOMEM;
    return *st == CASUS_OK ? x : NULL;
}

/* A dataset argument is a path when it has a '/' or ends in .csv. */
static bool is_path(const char *s)
{
    size_t n = strlen(s);
    return strchr(s, '/') || (n >= 4 && strcmp(s + n - 4, ".csv") == 0);
}

static void init_query(const casus_evidence_query *q, struct casus_evq *v)
{
    memset(v, 0, sizeof *v);
    v->dataset = q->dataset;
    v->is_path = is_path(q->dataset);
    v->na = q->missing;
    v->nna = q->nmissing;
}

static casus_status public_status(casus_status st)
{
    return st == CASUS_EINVAL ? CASUS_ECOMPILE : st;
}

casus_status casus_evidence_count(casus_engine *e, const casus_evidence_query *q,
                                  casus_evidence_result *out)
{
    if (!e || !q || !q->dataset || !q->outcome || !out)
        return CASUS_EINVAL;
    struct casus_evq v;
    init_query(q, &v);
    casus_status st = CASUS_OK;
    if (q->where && q->where[0]) {
        v.where = parse_text(e, "<where>", q->where, &st);
        v.where_text = q->where;
    }
    if (st == CASUS_OK) {
        v.outcome = parse_text(e, "<outcome>", q->outcome, &st);
        v.outcome_text = q->outcome;
    }
    struct casus_mevidence m;
    if (st == CASUS_OK)
        st = casus_evidence_eval(e, &v, &m);
    if (st != CASUS_OK)
        return public_status(st);
    *out = (casus_evidence_result){m.dataset, m.title,   m.citation, m.url, m.where,
                                   m.outcome, m.missing, m.rows,     m.n,   m.k,
                                   m.dropped, m.rate,    m.lo,       m.hi};
    return CASUS_OK;
}

/* One column: its name, type, missing cells and range or first value. */
static void column_line(const struct ev_table *t, uint32_t c, casus_buf *out)
{
    uint32_t missing = 0;
    double lo = HUGE_VAL, hi = -HUGE_VAL;
    const char *first = NULL;
    for (uint32_t r = 0; r < t->nrows; r++) {
        const struct ev_cell *x = ev_table_cell(t, r, c);
        missing += x->kind == EV_CELL_MISSING;
        if (x->kind == EV_CELL_NUM) {
            lo = fmin(lo, x->num);
            hi = fmax(hi, x->num);
        }
        if (!first && x->kind != EV_CELL_MISSING)
            first = x->s;
    }
    casus_buf_printf(out, "%-10s %-6s %6u missing", t->names[c], t->numeric[c] ? "number" : "text",
                     missing);
    if (t->numeric[c] && lo <= hi)
        casus_buf_printf(out, "   %g to %g", lo, hi);
    else if (first)
        casus_buf_printf(out, "   e.g. \"%s\"", first);
    casus_buf_putc(out, '\n');
}

casus_status casus_evidence_write_columns(casus_engine *e, const char *dataset,
                                          const char *const *missing, size_t nmissing,
                                          casus_buf *out)
{
    if (!e || !dataset || !out)
        return CASUS_EINVAL;
    casus_evidence_query q = {dataset, NULL, "", missing, nmissing};
    struct casus_evq v;
    init_query(&q, &v);
    struct casus_arena tmp;
    casus_arena_init(&tmp, &e->alloc);
    const struct ev_dataset *entry;
    struct ev_table t;
    casus_status st = casus_evidence_table(e, &tmp, &v, &entry, &t);
    if (st == CASUS_OK) {
        casus_buf_printf(out, "%s: %u rows, %u columns%s%s\n", dataset, t.nrows, t.ncols,
                         entry ? " — " : "", entry ? entry->title : "");
        for (uint32_t c = 0; c < t.ncols; c++)
            column_line(&t, c, out);
        st = casus_buf_status(out);
    }
    casus_arena_release(&tmp);
    return public_status(st);
}
