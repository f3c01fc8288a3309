/*
 * design.c — model frame and model matrices for the strategic models (see
 * design.h): parse the formulas, resolve names against the data, read the
 * columns needed, select rows, build factors, the outcome and one matrix
 * per equation, name the parameters and check identification.
 */
#include "fit/build.h"
#include "fit/design.h"

#include "fit/egame.h"
#include "fit/formula.h"
#include "fit/linalg.h"
#include "fit/subset.h"
#include "base/suggest.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>

casus_status fit_build_fail(struct builder *b, const struct casus_span *sp, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    casus_diag_add(b->d, CASUS_SEV_ERROR, sp, "fit", "%s", msg);
    return CASUS_EINVAL;
}

void fit_build_warn(struct builder *b, const char *msg)
{
    casus_diag_add(b->d, CASUS_SEV_WARNING, NULL, "fit", "%s", msg);
}

const char *fit_build_model_name(const struct builder *b)
{
    static const char *const names[] = {"egame12", "egame122", "egame123"};
    return b->ult ? "ultimatum" : names[b->game];
}

/* ---- formulas ----------------------------------------------------------- */

static casus_status parse_source(struct builder *b, const char *name, const char *text,
                                 struct fit_formula *out, bool want_lhs)
{
    uint32_t src;
    casus_status st = casus_diags_add_source(b->d, name, text, strlen(text), &src);
    if (st != CASUS_OK)
        return st;
    return fit_formula_parse(out, b->a, b->d, src, want_lhs);
}

static const char *const util_layout[] = {
    "u11 | u13 | u14 | u24",
    "u11 | u12 | u13 | u14 | u22 | u24",
    "u11 | u13 | u15 | u16 | u23 | u25 | u26 | u36",
};

/* Check the numbers of equations and responses against the model. */
static casus_status check_shape(struct builder *b)
{
    const casus_fit_opts *o = b->o;
    int want = b->ult ? 2 : fit_egame_nutil(b->game);
    if (o->nfixed_utils == 0 && (int)b->fm.nrhs != want)
        return fit_build_fail(
            b, &b->fm.span, "%s needs %d right-hand sides separated by '|' (%s), found %u",
            fit_build_model_name(b), want, b->ult ? "R1 | R2" : util_layout[b->game], b->fm.nrhs);
    if (b->ult) {
        if (b->fm.nlhs > 2 || (b->fm.nlhs == 1 && !o->offer_only))
            return fit_build_fail(
                b, &b->fm.lhs[0].span,
                "the outcome of ultimatum is 'offer + accept' (or 'offer' with --outcome "
                "offer)");
        return CASUS_OK;
    }
    int np = fit_egame_nplayers(b->game);
    if (b->has_sd && (int)b->sdf.nrhs != (o->sd_by_player ? np : 1))
        return fit_build_fail(b, &b->sdf.span,
                              "--sdformula needs %d right-hand side%s (%s), found %u",
                              o->sd_by_player ? np : 1, o->sd_by_player ? "s" : "",
                              o->sd_by_player ? "one per player" : "one common scale", b->sdf.nrhs);
    if (b->game == FIT_EGAME123 && b->fm.nlhs == 2)
        return fit_build_fail(
            b, &b->fm.lhs[1].span,
            "egame123 takes one outcome column or three action columns (a1 + a2 + a3)");
    return CASUS_OK;
}

/* The scale formula: given, or "~ 1" per player with fixed utilities. */
static casus_status scale_formula(struct builder *b)
{
    const casus_fit_opts *o = b->o;
    int np = b->ult ? 0 : fit_egame_nplayers(b->game);
    const char *sd = o->sdformula;
    if (!sd && o->nfixed_utils > 0 && !b->ult)
        sd = o->sd_by_player ? (np == 3 ? "~ 1 | 1 | 1" : "~ 1 | 1") : "~ 1";
    if (o->sd_by_player && !sd && !b->ult)
        fit_build_warn(b, "to estimate scales by player, give --sdformula or --fixed-utils; "
                          "--sd-by-player is ignored");
    b->has_sd = sd != NULL && !b->ult;
    if (!b->has_sd)
        return CASUS_OK;
    casus_status st = parse_source(b, "--sdformula", sd, &b->sdf, false);
    b->nscale = st == CASUS_OK ? (int)b->sdf.nrhs : 0;
    return st;
}

static casus_status parse_formulas(struct builder *b)
{
    const casus_fit_opts *o = b->o;
    if (!o->formula)
        return fit_build_fail(b, NULL, "a formula is required (--formula)");
    casus_status st = parse_source(b, "--formula", o->formula, &b->fm, true);
    if (st == CASUS_OK)
        st = scale_formula(b);
    if (st == CASUS_OK && b->ult && (o->sdformula || o->nfixed_utils || o->sd_by_player))
        st = fit_build_fail(b, NULL,
                            "--sdformula, --fixed-utils and --sd-by-player are egame options; the "
                            "ultimatum model's scales are log(s1) and log(s2) (--s1, --s2)");
    if (st == CASUS_OK && !b->ult && o->nfixed_utils && o->nfixed_utils < fit_egame_nutil(b->game))
        st = fit_build_fail(b, NULL, "--fixed-utils needs %d values for %s (%s), got %d",
                            fit_egame_nutil(b->game), fit_build_model_name(b), util_layout[b->game],
                            o->nfixed_utils);
    if (st == CASUS_OK && !b->ult && o->nfixed_utils > fit_egame_nutil(b->game))
        fit_build_warn(b, "only the first values of --fixed-utils are used (one per utility)");
    return st == CASUS_OK ? check_shape(b) : st;
}

/* ---- names to columns --------------------------------------------------- */

/* The column of name n, or -1 after an error with the nearest name. */
static int column_of(struct builder *b, const struct casus_name *n)
{
    int c = fit_frame_find(b->f, n->s, strlen(n->s));
    if (c >= 0)
        return c;
    struct casus_suggest sg;
    casus_suggest_begin(&sg, n->s, strlen(n->s));
    for (uint32_t i = 0; i < b->f->ncols; i++)
        casus_suggest_offer(&sg, b->f->cols[i].name, b->f->cols[i].name);
    const char *near = casus_suggest_best(&sg);
    struct casus_diag *g = casus_diag_add(b->d, CASUS_SEV_ERROR, &n->span, "unknown-column",
                                          "no column '%s' in the data", n->s);
    if (near)
        casus_diag_note(b->d, g, "did you mean '%s'?", near);
    return -1;
}

static bool is_lhs(const struct builder *b, int c)
{
    for (int i = 0; i < b->nlhs; i++)
        if (b->lhs[i] == c)
            return true;
    return false;
}

static bool push_term(struct builder *b, struct req *r, const struct rterm *t, uint32_t *cap)
{
    for (uint32_t i = 0; i < r->nterms; i++) { /* "." may repeat a named column */
        bool same = r->terms[i].nvars == t->nvars;
        for (uint32_t v = 0; same && v < t->nvars; v++)
            same = r->terms[i].col[v] == t->col[v];
        if (same)
            return true;
    }
    if (r->nterms == *cap) {
        uint32_t nc = *cap ? *cap * 2 : 8;
        struct rterm *n = casus_arena_grow(b->a, r->terms, r->nterms, nc, sizeof *n);
        if (!n)
            return false;
        r->terms = n;
        *cap = nc;
    }
    r->terms[r->nterms++] = *t;
    return true;
}

/* Resolve one right-hand side into equation r. */
static casus_status resolve_rhs(struct builder *b, const struct fit_rhs *h, struct req *r)
{
    uint32_t cap = 0;
    r->intercept = h->intercept;
    for (uint32_t i = 0; i < h->nterms; i++) {
        const struct fit_fterm *t = &h->terms[i];
        struct rterm rt;
        memset(&rt, 0, sizeof rt);
        rt.span = t->span;
        if (t->dot) {
            for (uint32_t c = 0; c < b->f->ncols; c++) {
                if (is_lhs(b, (int)c))
                    continue;
                rt.nvars = 1;
                rt.col[0] = (int)c;
                if (!push_term(b, r, &rt, &cap))
                    return CASUS_ENOMEM;
            }
            continue;
        }
        rt.nvars = t->nvars;
        for (uint32_t v = 0; v < t->nvars; v++)
            if ((rt.col[v] = column_of(b, &t->vars[v])) < 0)
                return CASUS_EINVAL;
        if (!push_term(b, r, &rt, &cap))
            return CASUS_ENOMEM;
    }
    return CASUS_OK;
}

/* The equations of the model, resolved: utilities (or R1, R2), scales. */
static casus_status resolve_equations(struct builder *b)
{
    int nu = b->ult ? 2 : fit_egame_nutil(b->game);
    b->neq = 0;
    for (int q = 0; q < nu; q++) {
        struct req *r = &b->eq[b->neq++];
        memset(r, 0, sizeof *r);
        if (!b->ult && b->o->nfixed_utils) { /* update(formulas, . ~ 1 | 1 | ...) */
            r->intercept = true;
            continue;
        }
        casus_status st = resolve_rhs(b, &b->fm.rhs[q], r);
        if (st != CASUS_OK)
            return st;
    }
    for (int s = 0; s < b->nscale; s++) {
        struct req *r = &b->eq[b->neq++];
        memset(r, 0, sizeof *r);
        casus_status st = resolve_rhs(b, &b->sdf.rhs[s], r);
        if (st != CASUS_OK)
            return st;
    }
    if (b->ult)
        for (int s = 0; s < 2; s++) { /* log(s1), log(s2) */
            struct req *r = &b->eq[b->neq++];
            memset(r, 0, sizeof *r);
            r->intercept = true;
        }
    return CASUS_OK;
}

/* Split "column=a,b,c" of --levels; mark the column as text. */
static casus_status parse_levels(struct builder *b, const char *spec)
{
    const char *eq = strchr(spec, '=');
    struct casus_name n = {NULL, {0, 0, 0}};
    if (!eq || eq == spec)
        return fit_build_fail(b, NULL, "--levels takes COLUMN=LEVEL,LEVEL,..., not '%s'", spec);
    n.s = casus_arena_strndup(b->a, spec, (size_t)(eq - spec));
    if (!n.s)
        return CASUS_ENOMEM;
    int c = fit_frame_find(b->f, n.s, strlen(n.s));
    if (c < 0)
        return fit_build_fail(b, NULL, "--levels names '%s', which is not a column of the data",
                              n.s);
    uint32_t cnt = 1;
    for (const char *p = eq + 1; *p; p++)
        cnt += *p == ',';
    const char **lv = casus_arena_alloc(b->a, (cnt + 1) * sizeof *lv);
    if (!lv)
        return CASUS_ENOMEM;
    uint32_t k = 0;
    for (const char *p = eq + 1;;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (!(lv[k++] = casus_arena_strndup(b->a, p, len)))
            return CASUS_ENOMEM;
        if (!e)
            break;
        p = e + 1;
    }
    b->lvl[c] = lv;
    b->nlvl[c] = k;
    b->text[c] = true;
    return CASUS_OK;
}

/* Mark the columns the model reads (need) and those in the model frame. */
static void mark_needed(struct builder *b)
{
    for (int i = 0; i < b->nlhs; i++)
        b->need[b->lhs[i]] = b->in_model[b->lhs[i]] = true;
    for (int q = 0; q < b->neq; q++)
        for (uint32_t t = 0; t < b->eq[q].nterms; t++)
            for (uint32_t v = 0; v < b->eq[q].terms[t].nvars; v++) {
                int c = b->eq[q].terms[t].col[v];
                b->need[c] = b->in_model[c] = true;
            }
}

static casus_status resolve(struct builder *b)
{
    uint32_t nc = b->f->ncols;
    b->need = casus_arena_alloc(b->a, nc + 1);
    b->text = casus_arena_alloc(b->a, nc + 1);
    b->in_model = casus_arena_alloc(b->a, nc + 1);
    b->lvl = casus_arena_alloc(b->a, (nc + 1) * sizeof *b->lvl);
    b->nlvl = casus_arena_alloc(b->a, (nc + 1) * sizeof *b->nlvl);
    if (!b->need || !b->text || !b->in_model || !b->lvl || !b->nlvl)
        return CASUS_ENOMEM;
    b->nlhs = (int)(b->fm.nlhs > 3 ? 3 : b->fm.nlhs);
    for (int i = 0; i < b->nlhs; i++)
        if ((b->lhs[i] = column_of(b, &b->fm.lhs[i])) < 0)
            return CASUS_EINVAL;
    casus_status st = resolve_equations(b);
    for (int i = 0; st == CASUS_OK && i < b->o->nlevels; i++)
        st = parse_levels(b, b->o->levels[i]);
    if (st != CASUS_OK)
        return st;
    mark_needed(b);
    if (b->o->subset) {
        uint32_t src;
        st = casus_diags_add_source(b->d, "--subset", b->o->subset, strlen(b->o->subset), &src);
        if (st == CASUS_OK)
            st = fit_subset_parse(&b->sub, b->a, b->d, src, b->f, b->need);
        b->has_sub = true;
    }
    return st;
}

/* ---- rows --------------------------------------------------------------- */

static casus_status not_a_number(struct builder *b, const struct fit_column *c)
{
    return fit_build_fail(b, &c->bad, "'%.*s' in column '%s' (row %u) is not a number",
                          (int)(c->bad.end - c->bad.start), b->f->text + c->bad.start, c->name,
                          c->first_bad + 1);
}

/* A column of the model with cells that are not numbers is an error
 * (text columns are factors and fine). */
static casus_status check_numbers(struct builder *b)
{
    for (uint32_t c = 0; c < b->f->ncols; c++)
        if (b->in_model[c] && !b->f->cols[c].text && b->f->cols[c].nbad)
            return not_a_number(b, &b->f->cols[c]);
    return CASUS_OK;
}

static bool cell_missing(const struct fit_column *c, uint32_t r)
{
    return c->text ? c->missing[r] : isnan(c->num[r]);
}

/* use[r]: kept by --subset and no missing value in the model frame. */
static casus_status select_rows(struct builder *b)
{
    struct fit_design *ds = b->ds;
    uint32_t nr = b->f->nrows;
    b->keep = casus_arena_alloc(b->a, (size_t)nr + 1);
    b->use = casus_arena_alloc(b->a, (size_t)nr + 1);
    ds->row = casus_arena_alloc(b->a, ((size_t)nr + 1) * sizeof *ds->row);
    if (!b->keep || !b->use || !ds->row)
        return CASUS_ENOMEM;
    if (b->has_sub) {
        casus_status st = fit_subset_eval(&b->sub, b->f, b->keep);
        if (st != CASUS_OK)
            return st;
    } else {
        memset(b->keep, 1, nr);
    }
    ds->nrows = nr;
    ds->n = ds->nexcluded = ds->nmissing = 0;
    for (uint32_t r = 0; r < nr; r++) {
        bool ok = b->keep[r];
        ds->nexcluded += !ok;
        for (uint32_t c = 0; ok && c < b->f->ncols; c++)
            if (b->in_model[c] && cell_missing(&b->f->cols[c], r))
                ok = false;
        ds->nmissing += b->keep[r] && !ok;
        b->use[r] = ok;
        if (ok)
            ds->row[ds->n++] = r;
    }
    if (ds->n == 0)
        return fit_build_fail(
            b, NULL, "no rows left to fit (%u excluded by --subset, %u with missing values)",
            ds->nexcluded, ds->nmissing);
    return CASUS_OK;
}

/* Factors of the text columns in the model, over the rows used. */
static casus_status make_factors(struct builder *b)
{
    for (uint32_t c = 0; c < b->f->ncols; c++) {
        if (!b->in_model[c] || !b->f->cols[c].text)
            continue;
        casus_status st =
            fit_frame_factor(b->f, b->a, c, b->use, (const char *const *)b->lvl[c], b->nlvl[c]);
        if (st != CASUS_OK)
            return st;
    }
    return CASUS_OK;
}

casus_status fit_design_build(struct fit_design *ds, struct casus_arena *a, struct casus_diags *d,
                              struct fit_frame *f, const casus_fit_opts *o)
{
    struct builder b;
    memset(&b, 0, sizeof b);
    memset(ds, 0, sizeof *ds);
    b.ds = ds;
    b.a = a;
    b.d = d;
    b.f = f;
    b.o = o;
    b.ult = o->model == CASUS_FIT_ULTIMATUM;
    b.game = b.ult ? FIT_EGAME12 : (enum fit_game)o->model;
    ds->logit = b.ult || o->logit;
    if (!b.ult && o->logit && o->private_info) {
        fit_build_warn(&b, "the logit link cannot be used with the private information model; "
                           "using the probit link (as R's games does)");
        ds->logit = false;
    }
    casus_status st = parse_formulas(&b);
    if (st == CASUS_OK)
        st = resolve(&b);
    if (st == CASUS_OK)
        st = fit_frame_load(f, a, b.need, b.text);
    if (st == CASUS_OK)
        st = check_numbers(&b);
    if (st == CASUS_OK)
        st = select_rows(&b);
    if (st == CASUS_OK)
        st = make_factors(&b);
    if (st == CASUS_OK)
        st = fit_build_outcome(&b);
    if (st == CASUS_OK)
        st = fit_build_matrices(&b);
    return st;
}
