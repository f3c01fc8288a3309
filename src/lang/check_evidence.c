/*
 * check_evidence.c — scenario parameters derived from data
 * (docs/evidence.md):
 *
 *   param p = evidence(icb-crises, where: gravcr >= 4, outcome: viol >= 3)
 *       the Jeffreys posterior Beta(k + 1/2, n - k + 1/2) of the rate, its
 *       reference class counted when the file loads (check_columns.c);
 *   param b = fit(war1800-egame12, "u1(~sq):(Intercept)")
 *       a coefficient of a fit written by `casus fit --json`, drawn jointly
 *       with the fit's other coefficients from its covariance
 *       (evidence/fitfile.h, model/sample.c).
 *
 * A dataset or fit is a shipped name or a file's path in quotes, read
 * relative to the directory of the file that names it.
 */
#include "lang/check.h"
#include "base/suggest.h"
#include "evidence/catalog.h"
#include "evidence/fitfile.h"

#include <math.h>
#include <stdio.h>

/* The directory of the source a span is in ("" for a bare name). */
static const char *source_dir(struct checker *c, uint32_t src, char *buf, size_t n)
{
    const char *name = casus_diags_source(c->d, src)->name;
    const char *slash = strrchr(name, '/');
    size_t len = slash ? (size_t)(slash - name) : 0;
    if (len >= n)
        len = n - 1;
    memcpy(buf, name, len);
    buf[len] = '\0';
    return buf;
}

/* The text a span covers, copied into the engine arena. */
static const char *span_text(struct checker *c, const struct casus_span *sp)
{
    const struct casus_source *s = casus_diags_source(c->d, sp->src);
    const char *t = casus_arena_strndup(c->a, s->text + sp->start, sp->end - sp->start);
    if (!t)
        c->oom = true;
    return t;
}

/* missing: [-9, "NA"] as text codes. */
static bool missing_codes(struct checker *c, const struct casus_expr *x, struct casus_evq *q)
{
    if (x->kind != CASUS_AST_LIST) {
        casus_checker_error(c, &x->span, "type", "missing: takes a list such as [-9]");
        return false;
    }
    const char **na = casus_checker_alloc(c, (x->nitems ? x->nitems : 1) * sizeof *na);
    if (!na)
        return false;
    for (uint32_t i = 0; i < x->nitems; i++) {
        const struct casus_expr *it = x->items[i];
        bool neg = it->kind == CASUS_AST_UNARY && it->op == CASUS_OP_NEG &&
                   it->a->kind == CASUS_AST_NUMBER;
        if (it->kind == CASUS_AST_STRING) {
            na[i] = it->str;
        } else if (it->kind == CASUS_AST_NUMBER || neg) {
            na[i] = casus_arena_printf(c->a, "%.17g", neg ? -it->a->num : it->num);
            if (!na[i])
                return !(c->oom = true);
        } else {
            casus_checker_error(c, &it->span, "type", "a missing-value code is a number or text");
            return false;
        }
    }
    q->na = na;
    q->nna = x->nitems;
    return true;
}

/* The named arguments of evidence(...): where, outcome, missing. */
static bool evidence_args(struct checker *c, const struct casus_expr *x, struct casus_evq *q)
{
    static const char *const names[] = {"where", "outcome", "missing"};
    bool ok = true, seen[3] = {false, false, false};
    for (uint32_t i = 1; i < x->nitems; i++) {
        const struct casus_expr *it = x->items[i];
        int k = -1;
        for (int j = 0; j < 3 && it->kind == CASUS_AST_NAMED; j++)
            if (strcmp(it->str, names[j]) == 0)
                k = j;
        if (k < 0) {
            struct casus_diag *g =
                casus_checker_error(c, &it->span, "syntax",
                                    "evidence() takes where:, outcome: and missing: after the "
                                    "dataset");
            const char *best = it->kind == CASUS_AST_NAMED
                                   ? casus_suggest(it->str, names, 3, sizeof *names)
                                   : NULL;
            if (best)
                casus_diag_note(c->d, g, "did you mean '%s:'?", best);
            ok = false;
            continue;
        }
        if (seen[k]) {
            casus_checker_error(c, &it->span, "duplicate", "%s: is given twice", names[k]);
            ok = false;
        }
        seen[k] = true;
        if (k == 0)
            q->where = it->a;
        else if (k == 1)
            q->outcome = it->a;
        else
            ok &= missing_codes(c, it->a, q);
    }
    if (ok && !q->outcome) {
        casus_checker_error(c, &x->span, "missing-field",
                            "evidence() needs outcome: the condition counted in the class");
        ok = false;
    }
    return ok;
}

/* The first argument: a shipped name, or a path in quotes. */
static bool source_arg(struct checker *c, const struct casus_expr *x, const char *what,
                       const char **name, bool *is_path)
{
    const struct casus_expr *a = x->nitems ? x->items[0] : NULL;
    if (!a || (a->kind != CASUS_AST_NAME && a->kind != CASUS_AST_STRING)) {
        casus_checker_error(c, a ? &a->span : &x->span, "syntax",
                            "%s() starts with a shipped %s's name or a file's path in quotes",
                            x->str, what);
        return false;
    }
    *name = a->str;
    *is_path = a->kind == CASUS_AST_STRING;
    return true;
}

static bool evidence_dist(struct checker *c, const struct casus_expr *x, struct casus_mdist *d)
{
    struct casus_evq q;
    memset(&q, 0, sizeof q);
    char dir[4096];
    if (!source_arg(c, x, "dataset", &q.dataset, &q.is_path) || !evidence_args(c, x, &q))
        return false;
    q.base = source_dir(c, x->span.src, dir, sizeof dir);
    q.at = &x->items[0]->span;
    q.where_text = q.where ? span_text(c, &q.where->span) : NULL;
    q.outcome_text = span_text(c, &q.outcome->span);
    struct casus_mevidence *ev = casus_checker_alloc(c, sizeof *ev);
    if (!ev || (q.where && !q.where_text) || !q.outcome_text)
        return false;
    casus_status st = casus_evidence_eval(c->e, &q, ev);
    if (st == CASUS_ENOMEM)
        c->oom = true;
    if (st != CASUS_OK)
        return false;
    if (ev->n == 0) {
        casus_checker_error(c, &x->span, "empty-class",
                            "no row of %s is in this reference class (%u rows, %u dropped for a "
                            "missing cell)",
                            q.dataset, ev->rows, ev->dropped);
        return false;
    }
    d->family = CASUS_FAMILY_beta;
    d->arg[0] = ev->k + 0.5;
    d->arg[1] = (double)(ev->n - ev->k) + 0.5;
    d->lo = 0;
    d->hi = 1;
    d->evidence = ev;
    return casus_dist_beta(&d->d, d->arg[0], d->arg[1], 0, 1) == CASUS_OK;
}

/* The fit's file as a source: shipped, or a path relative to the file. */
static casus_status open_fit(struct checker *c, const struct casus_expr *x, const char *name,
                             bool is_path, uint32_t *src)
{
    if (!is_path) {
        casus_status st = ev_catalog_fit(c->d, name, src);
        if (st == CASUS_ENOTFOUND) {
            struct casus_diag *g = casus_checker_error(c, &x->items[0]->span, "unknown-fit",
                                                       "no shipped fit '%s'", name);
            casus_diag_note(c->d, g,
                            "give the path of a file written by 'casus fit ... --json', in quotes");
        }
        return st;
    }
    char dir[4096], path[8192];
    source_dir(c, x->span.src, dir, sizeof dir);
    bool rel = dir[0] && name[0] != '/';
    snprintf(path, sizeof path, "%s%s%s", rel ? dir : "", rel ? "/" : "", name);
    casus_buf b = CASUS_BUF_INIT;
    casus_status st = casus_engine_read_file(c->e, path, 16u << 20, &b);
    if (st == CASUS_OK)
        st = casus_diags_add_source(c->d, path, b.data ? b.data : "", b.len, src);
    casus_buf_release(&b);
    return st;
}

/* "no coefficient" with a suggestion among the fit's names. */
static void unknown_coef(struct checker *c, const struct casus_expr *at, const struct casus_mfit *f)
{
    struct casus_diag *g =
        casus_checker_error(c, &at->span, "unknown-coefficient",
                            "the fit '%s' has no coefficient '%s'", f->name, at->str);
    struct casus_suggest s;
    casus_suggest_begin(&s, at->str, strlen(at->str));
    for (uint32_t i = 0; i < f->k; i++)
        casus_suggest_offer(&s, f->coef[i], f->coef[i]);
    for (uint32_t i = 0; i < f->nfixed; i++)
        casus_suggest_offer(&s, f->fixed_coef[i], f->fixed_coef[i]);
    if (casus_suggest_best(&s))
        casus_diag_note(c->d, g, "did you mean '%s'?", casus_suggest_best(&s));
}

static bool fit_dist(struct checker *c, const struct casus_expr *x, struct casus_mdist *d)
{
    const char *name;
    bool is_path;
    if (!source_arg(c, x, "fit", &name, &is_path))
        return false;
    if (x->nitems != 2 || x->items[1]->kind != CASUS_AST_STRING) {
        casus_checker_error(c, &x->span, "arity",
                            "fit() takes the fit and a coefficient's name in quotes, such as "
                            "fit(war1800-egame12, \"u1(~sq):(Intercept)\")");
        return false;
    }
    uint32_t src;
    const struct casus_mfit *f;
    casus_status st = open_fit(c, x, name, is_path, &src);
    if (st == CASUS_OK)
        st = ev_fit_read(c->a, c->d, src, name, &f);
    if (st == CASUS_ENOMEM)
        c->oom = true;
    if (st != CASUS_OK)
        return false;
    bool is_fixed;
    double v = 0;
    int32_t j = ev_fit_find(f, x->items[1]->str, &is_fixed, &v);
    if (j < 0 && !is_fixed) {
        unknown_coef(c, x->items[1], f);
        return false;
    }
    d->fit = f;
    d->fit_coef = x->items[1]->str;
    if (is_fixed) {
        d->family = CASUS_FAMILY_fixed;
        d->arg[0] = d->lo = d->hi = v;
        return true;
    }
    d->coef = (uint32_t)j;
    d->family = CASUS_FAMILY_normal;
    d->arg[0] = f->mean[j];
    d->arg[1] = f->sd[j];
    d->lo = -HUGE_VAL;
    d->hi = HUGE_VAL;
    return casus_dist_normal(&d->d, d->arg[0], d->arg[1]) == CASUS_OK;
}

bool casus_checker_derived_dist(struct checker *c, const struct casus_expr *x,
                                struct casus_mdist *d, bool allow_fit)
{
    if (strcmp(x->str, "evidence") == 0)
        return evidence_dist(c, x, d);
    if (!allow_fit) {
        struct casus_diag *g = casus_checker_error(
            c, &x->span, "context", "a policy cannot set a parameter to a fit's coefficient");
        casus_diag_note(c->d, g,
                        "a fit's coefficients are drawn jointly: declare the parameter with "
                        "fit(...) and let the policy set another");
        return false;
    }
    return fit_dist(c, x, d);
}
