/*
 * matrix.c — the second half of building a design (see design.h): the
 * outcome of each observation, one model matrix per equation with R's
 * column names and treatment contrasts, the parameters' names and fixed
 * values, and the identification checks (a variable in all of a player's
 * utilities; collinear columns).
 */
#include "fit/build.h"
#include "fit/design.h"

#include "fit/linalg.h"

#include <math.h>
#include <stdio.h>

/* ---- outcome ------------------------------------------------------------ */

/* A 0/1 value of column c at data row r, or -1. */
static int dummy_at(const struct builder *b, int c, uint32_t r)
{
    double v = b->f->cols[c].num[r];
    return v == 0.0 ? 0 : v == 1.0 ? 1 : -1;
}

static casus_status bad_dummy(struct builder *b, int c, uint32_t r)
{
    const struct fit_column *col = &b->f->cols[c];
    return fit_build_fail(b, NULL, "the action column '%s' must hold 0 or 1; row %u has %.15g",
                          col->name, r + 1, col->num[r]);
}

/* Level names of the action-dummy outcome, as the package builds them. */
static casus_status dummy_levels(struct builder *b, const char *const *nm)
{
    struct fit_design *ds = b->ds;
    struct casus_arena *a = b->a;
    const char **o = casus_arena_alloc(a, 4 * sizeof *o);
    if (!o)
        return CASUS_ENOMEM;
    if (b->game == FIT_EGAME12) {
        o[0] = casus_arena_printf(a, "~%s", nm[0]);
        o[1] = casus_arena_printf(a, "%s,~%s", nm[0], nm[1]);
        o[2] = casus_arena_printf(a, "%s,%s", nm[0], nm[1]);
    } else if (b->game == FIT_EGAME122 && b->nlhs == 3) {
        o[0] = casus_arena_printf(a, "~%s", nm[1]);
        o[1] = nm[1];
        o[2] = casus_arena_printf(a, "~%s", nm[2]);
        o[3] = nm[2];
    } else if (b->game == FIT_EGAME122) {
        o[0] = casus_arena_printf(a, "~%s,~%s", nm[0], nm[1]);
        o[1] = casus_arena_printf(a, "~%s,%s", nm[0], nm[1]);
        o[2] = casus_arena_printf(a, "%s,~%s", nm[0], nm[1]);
        o[3] = casus_arena_printf(a, "%s,%s", nm[0], nm[1]);
    } else {
        o[0] = casus_arena_printf(a, "~%s", nm[0]);
        o[1] = casus_arena_printf(a, "%s,~%s", nm[0], nm[1]);
        o[2] = casus_arena_printf(a, "%s,%s,~%s", nm[0], nm[1], nm[2]);
        o[3] = casus_arena_printf(a, "%s,%s,%s", nm[0], nm[1], nm[2]);
    }
    for (int k = 0; k < ds->nout; k++)
        if (!o[k])
            return CASUS_ENOMEM;
    ds->outcome = o;
    return CASUS_OK;
}

/* The outcome of row r from the action dummies, or -1 after an error. */
static int dummy_outcome(struct builder *b, uint32_t r)
{
    int v[3] = {0, 0, 0};
    for (int i = 0; i < b->nlhs; i++)
        if ((v[i] = dummy_at(b, b->lhs[i], r)) < 0) {
            bad_dummy(b, b->lhs[i], r);
            return -1;
        }
    switch (b->game) {
    case FIT_EGAME12: return v[0] == 0 ? 0 : v[1] == 0 ? 1 : 2;
    case FIT_EGAME122:
        if (b->nlhs == 3) /* a1 + a2 + a3: player 2's move is a2 after L, a3 after R */
            return 2 * v[0] + (v[0] ? v[2] : v[1]);
        return 2 * v[0] + v[1];
    case FIT_EGAME123: return v[0] == 0 ? 0 : v[1] == 0 ? 1 : v[2] == 0 ? 2 : 3;
    }
    return -1;
}

static casus_status egame_outcome(struct builder *b)
{
    struct fit_design *ds = b->ds;
    ds->nout = fit_egame_nout(b->game);
    ds->y = casus_arena_alloc(b->a, ds->n + 1);
    if (!ds->y)
        return CASUS_ENOMEM;
    if (b->nlhs == 1) { /* one column of outcome labels or numbers */
        int c = b->lhs[0];
        struct fit_column *col = &b->f->cols[c];
        if (!col->code) {
            casus_status st = fit_frame_factor(b->f, b->a, (uint32_t)c, b->use,
                                               (const char *const *)b->lvl[c], b->nlvl[c]);
            if (st != CASUS_OK)
                return st;
        }
        if ((int)col->nlevels != ds->nout)
            return fit_build_fail(b, &b->fm.lhs[0].span,
                                  "the outcome '%s' has %u distinct values in the rows used; %s "
                                  "needs %d, one per terminal node",
                                  col->name, col->nlevels, fit_build_model_name(b), ds->nout);
        ds->outcome = col->levels;
        for (uint32_t i = 0; i < ds->n; i++)
            ds->y[i] = (uint8_t)col->code[ds->row[i]];
    } else {
        const char *nm[3];
        if (b->fm.nlhs > (b->game == FIT_EGAME12 ? 2u : 3u))
            fit_build_warn(b, "only the first action columns of the outcome are used");
        if (b->game == FIT_EGAME12)
            b->nlhs = 2;
        for (int i = 0; i < b->nlhs; i++)
            nm[i] = b->f->cols[b->lhs[i]].name;
        casus_status st = dummy_levels(b, nm);
        for (uint32_t i = 0; st == CASUS_OK && i < ds->n; i++) {
            int y = dummy_outcome(b, ds->row[i]);
            if (y < 0)
                return CASUS_EINVAL;
            ds->y[i] = (uint8_t)y;
        }
        if (st != CASUS_OK)
            return st;
    }
    for (uint32_t i = 0; i < ds->n; i++)
        ds->count[ds->y[i]]++;
    for (int k = 0; k < ds->nout; k++)
        if (ds->count[k] == 0)
            return fit_build_fail(b, &b->fm.lhs[0].span,
                                  "no observation has the outcome '%s'; %s needs every terminal "
                                  "node observed",
                                  ds->outcome[k], fit_build_model_name(b));
    return CASUS_OK;
}

static casus_status ult_outcome(struct builder *b)
{
    struct fit_design *ds = b->ds;
    const casus_fit_opts *o = b->o;
    if (!(o->max_offer > 0))
        return fit_build_fail(b, NULL, "ultimatum needs --max-offer Q, the largest feasible offer");
    const struct fit_column *oc = &b->f->cols[b->lhs[0]];
    if (oc->text)
        return fit_build_fail(b, &b->fm.lhs[0].span, "the offer column '%s' must hold numbers",
                              oc->name);
    ds->offer = casus_arena_alloc(b->a, ((size_t)ds->n + 1) * sizeof *ds->offer);
    if (!ds->offer)
        return CASUS_ENOMEM;
    if (b->nlhs == 2 && !(ds->accept = casus_arena_alloc(b->a, (size_t)ds->n + 1)))
        return CASUS_ENOMEM;
    for (uint32_t i = 0; i < ds->n; i++) {
        uint32_t r = ds->row[i];
        double y = oc->num[r];
        if (y > o->max_offer || y < 0)
            return fit_build_fail(b, NULL, "offer %.15g in row %u is outside [0, --max-offer %g]",
                                  y, r + 1, o->max_offer);
        ds->offer[i] = y;
        ds->nlow += fabs(y) < o->offertol;
        ds->nhigh += fabs(y - o->max_offer) < o->offertol;
        if (ds->accept) {
            int v = dummy_at(b, b->lhs[1], r);
            if (v < 0)
                return bad_dummy(b, b->lhs[1], r);
            ds->accept[i] = (uint8_t)v;
            ds->naccepted += (uint32_t)v;
        }
    }
    return CASUS_OK;
}

casus_status fit_build_outcome(struct builder *b)
{
    return b->ult ? ult_outcome(b) : egame_outcome(b);
}

/* ---- matrices ----------------------------------------------------------- */

/* Columns of term t: 1 for a number or an interaction of numbers, the
 * factor's levels (all, or all but the first) for a factor. */
static casus_status term_width(struct builder *b, const struct rterm *t, bool full, size_t *w)
{
    const struct fit_column *c0 = &b->f->cols[t->col[0]];
    if (t->nvars > 1) {
        for (uint32_t v = 0; v < t->nvars; v++)
            if (b->f->cols[t->col[v]].text)
                return fit_build_fail(b, &t->span,
                                      "interactions with the factor column '%s' are not "
                                      "supported; make the dummy columns in the data",
                                      b->f->cols[t->col[v]].name);
        *w = 1;
        return CASUS_OK;
    }
    if (!c0->text) {
        *w = 1;
        return CASUS_OK;
    }
    if (c0->nlevels < 2)
        return fit_build_fail(b, &t->span,
                              "the factor '%s' has %u level in the rows used; a factor needs at "
                              "least 2",
                              c0->name, c0->nlevels);
    *w = full ? c0->nlevels : c0->nlevels - 1;
    return CASUS_OK;
}

/* Order of R's model.matrix: main effects, then interactions by size. */
static uint32_t term_order(const struct req *r, uint32_t *ord)
{
    uint32_t k = 0;
    for (uint32_t size = 1; size <= FIT_MAX_INTER; size++)
        for (uint32_t t = 0; t < r->nterms; t++)
            if (r->terms[t].nvars == size)
                ord[k++] = t;
    return k;
}

/* Fill the columns of term t from column j on; names into nm. */
static casus_status fill_term(struct builder *b, const struct rterm *t, bool full, double *x,
                              const char **nm, size_t j)
{
    struct fit_design *ds = b->ds;
    size_t n = ds->n;
    const struct fit_column *c0 = &b->f->cols[t->col[0]];
    if (t->nvars == 1 && c0->text) { /* treatment dummies */
        for (uint32_t l = full ? 0 : 1, k = 0; l < c0->nlevels; l++, k++) {
            double *col = x + (j + k) * n;
            for (size_t i = 0; i < n; i++)
                col[i] = c0->code[ds->row[i]] == (int32_t)l ? 1.0 : 0.0;
            if (!(nm[j + k] = casus_arena_printf(b->a, "%s%s", c0->name, c0->levels[l])))
                return CASUS_ENOMEM;
        }
        return CASUS_OK;
    }
    double *col = x + j * n;
    char name[512] = "";
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        col[i] = 1.0;
    for (uint32_t v = 0; v < t->nvars; v++) {
        const struct fit_column *c = &b->f->cols[t->col[v]];
        for (size_t i = 0; i < n; i++)
            col[i] *= c->num[ds->row[i]];
        len += (size_t)snprintf(name + len, len < sizeof name ? sizeof name - len : 0, "%s%s",
                                v ? ":" : "", c->name);
    }
    nm[j] = casus_arena_strndup(b->a, name, strlen(name));
    return nm[j] ? CASUS_OK : CASUS_ENOMEM;
}

/* The matrix of equation q and its column names. */
static casus_status build_equation(struct builder *b, int q, const char ***names)
{
    struct fit_design *ds = b->ds;
    const struct req *r = &b->eq[q];
    uint32_t *ord = casus_arena_alloc(b->a, (r->nterms + 1) * sizeof *ord);
    if (!ord)
        return CASUS_ENOMEM;
    uint32_t nt = term_order(r, ord);
    size_t k = r->intercept, w;
    bool full = !r->intercept; /* the first factor gets all its levels */
    for (uint32_t t = 0; t < nt; t++) {
        const struct rterm *rt = &r->terms[ord[t]];
        bool factor = rt->nvars == 1 && b->f->cols[rt->col[0]].text;
        casus_status st = term_width(b, rt, full && factor, &w);
        if (st != CASUS_OK)
            return st;
        full &= !factor;
        k += w;
    }
    double *x = casus_arena_alloc(b->a, (k * ds->n + 1) * sizeof *x);
    const char **nm = casus_arena_alloc(b->a, (k + 1) * sizeof *nm);
    if (!x || !nm)
        return CASUS_ENOMEM;
    size_t j = 0;
    if (r->intercept) {
        for (size_t i = 0; i < ds->n; i++)
            x[i] = 1.0;
        nm[j++] = "(Intercept)";
    }
    full = !r->intercept;
    for (uint32_t t = 0; t < nt; t++) {
        const struct rterm *rt = &r->terms[ord[t]];
        bool factor = rt->nvars == 1 && b->f->cols[rt->col[0]].text;
        term_width(b, rt, full && factor, &w);
        casus_status st = fill_term(b, rt, full && factor, x, nm, j);
        if (st != CASUS_OK)
            return st;
        full &= !factor;
        j += w;
    }
    ds->k[q] = k;
    ds->x[q] = x;
    *names = nm;
    return CASUS_OK;
}

/* Prefix of equation q: "u1(level)", "log(sigma2)", "R1", "log(s1)". */
static const char *prefix_of(struct builder *b, int q)
{
    static const int who12[] = {1, 1, 1, 2}, out12[] = {0, 1, 2, 2};
    static const int who122[] = {1, 1, 1, 1, 2, 2}, out122[] = {0, 1, 2, 3, 1, 3};
    static const int who123[] = {1, 1, 1, 1, 2, 2, 2, 3}, out123[] = {0, 1, 2, 3, 1, 2, 3, 3};
    static const char *const ult[] = {"R1", "R2", "log(s1)", "log(s2)"};
    if (b->ult)
        return ult[q];
    int nu = fit_egame_nutil(b->game);
    if (q >= nu) {
        const char *v = b->ds->logit ? "lambda" : "sigma";
        if (b->nscale == 1)
            return casus_arena_printf(b->a, "log(%s)", v);
        return casus_arena_printf(b->a, "log(%s%d)", v, q - nu + 1);
    }
    const int *who = b->game == FIT_EGAME12 ? who12 : b->game == FIT_EGAME122 ? who122 : who123;
    const int *out = b->game == FIT_EGAME12 ? out12 : b->game == FIT_EGAME122 ? out122 : out123;
    return casus_arena_printf(b->a, "u%d(%s)", who[q], b->ds->outcome[out[q]]);
}

/* Whether equation q's parameters are named prefix:column. */
static bool has_colon(const struct builder *b, int q)
{
    const struct fit_design *ds = b->ds;
    bool scale = b->ult ? q >= 2 : q >= ds->nutil;
    if (!b->ult && q < ds->nutil && b->o->nfixed_utils)
        return false;
    return !(scale && ds->k[q] == 1 && b->eq[q].intercept);
}

/* Name equation q's parameters and set fixed values. */
static casus_status name_params(struct builder *b, int q, const char *const *cols, size_t off)
{
    struct fit_design *ds = b->ds;
    const char *pre = prefix_of(b, q);
    if (!pre)
        return CASUS_ENOMEM;
    ds->prefix[q] = pre;
    bool colon = has_colon(b, q);
    for (size_t c = 0; c < ds->k[q]; c++) {
        const char *nm = colon ? casus_arena_printf(b->a, "%s:%s", pre, cols[c]) : pre;
        if (!nm)
            return CASUS_ENOMEM;
        ds->pname[off + c] = nm;
    }
    if (!b->ult && q < ds->nutil && b->o->nfixed_utils) {
        ds->fixed[off] = true;
        ds->value[off] = b->o->fixed_utils[q];
    }
    if (b->ult && q >= 2) { /* log(s1), log(s2): fixed when --s1/--s2 given */
        double s = q == 2 ? b->o->s1 : b->o->s2;
        if (s > 0) {
            ds->fixed[off] = true;
            ds->value[off] = log(s);
        }
    }
    return CASUS_OK;
}

/* R's identification check: a column in every one of a player's utility
 * equations cancels out of his choices. */
static casus_status check_all_utils(struct builder *b, const char *const *const *cols, int q0,
                                    int nq, const char *who)
{
    const struct fit_design *ds = b->ds;
    for (size_t c = 0; c < ds->k[q0]; c++) {
        bool everywhere = true;
        for (int q = q0 + 1; q < q0 + nq && everywhere; q++) {
            bool found = false;
            for (size_t d = 0; d < ds->k[q]; d++)
                found |= strcmp(cols[q0][c], cols[q][d]) == 0;
            everywhere = found;
        }
        if (everywhere)
            return fit_build_fail(b, &b->fm.span,
                                  "identification problem: '%s' appears in all %d of %s utility "
                                  "equations, so it cancels out of that player's choices",
                                  cols[q0][c], nq, who);
    }
    return CASUS_OK;
}

/* Collinear columns within an equation make the Hessian singular. */
static casus_status check_collinear(struct builder *b, int q, const char *const *cols)
{
    const struct fit_design *ds = b->ds;
    size_t k = ds->k[q], n = ds->n;
    if (k == 0)
        return CASUS_OK;
    double *ws = casus_arena_alloc(b->a, (k * k + 2 * k + 1) * sizeof *ws);
    double *zero = casus_arena_alloc(b->a, (n + 1) * sizeof *zero);
    double *bb = casus_arena_alloc(b->a, (k + 1) * sizeof *bb);
    bool *dep = casus_arena_alloc(b->a, k + 1);
    if (!ws || !zero || !bb || !dep)
        return CASUS_ENOMEM;
    fit_lsq(ds->x[q], n, k, zero, NULL, bb, dep, ws);
    for (size_t c = 0; c < k; c++)
        if (dep[c])
            return fit_build_fail(b, &b->fm.span,
                                  "in %s, the column '%s' is constant or a linear combination of "
                                  "the columns before it in the rows used, so its coefficient is "
                                  "not identified",
                                  ds->prefix[q], cols[c]);
    return CASUS_OK;
}

static casus_status check_identified(struct builder *b, const char *const *const *cols)
{
    casus_status st = CASUS_OK;
    if (!b->ult && !b->o->nfixed_utils) {
        if (b->game == FIT_EGAME12)
            st = check_all_utils(b, cols, 0, 3, "player 1's");
        else
            st = check_all_utils(b, cols, 0, 4, "player 1's");
        if (st == CASUS_OK && b->game == FIT_EGAME123)
            st = check_all_utils(b, cols, 4, 3, "player 2's");
    }
    for (int q = 0; st == CASUS_OK && q < b->ds->neq; q++)
        st = check_collinear(b, q, cols[q]);
    return st;
}

casus_status fit_build_matrices(struct builder *b)
{
    struct fit_design *ds = b->ds;
    const char **cols[FIT_MAXEQ];
    ds->neq = b->neq;
    ds->nutil = b->ult ? 2 : fit_egame_nutil(b->game);
    ds->np = 0;
    for (int q = 0; q < b->neq; q++) {
        casus_status st = build_equation(b, q, &cols[q]);
        if (st != CASUS_OK)
            return st;
        ds->np += ds->k[q];
    }
    ds->pname = casus_arena_alloc(b->a, (ds->np + 1) * sizeof *ds->pname);
    ds->fixed = casus_arena_alloc(b->a, ds->np + 1);
    ds->value = casus_arena_alloc(b->a, (ds->np + 1) * sizeof *ds->value);
    if (!ds->pname || !ds->fixed || !ds->value)
        return CASUS_ENOMEM;
    for (int q = 0, off = 0; q < b->neq; off += (int)ds->k[q], q++) {
        casus_status st = name_params(b, q, cols[q], (size_t)off);
        if (st != CASUS_OK)
            return st;
    }
    return check_identified(b, (const char *const *const *)cols);
}
