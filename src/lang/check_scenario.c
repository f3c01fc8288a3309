/*
 * check_scenario.c — the checker for escalation ladders and scenarios:
 * rungs and thresholds (and their mapping onto a finer ladder such as
 * Kahn's), scenario parameters with their distributions and their epistemic
 * label (a sourced fact or a judgment with a rationale), and policies that
 * override parameters.
 *
 * Pipeline: parse ─ check (this, with check.c) ─ compile.  Distribution
 * arguments are constant expressions, checked here with the constructors of
 * dist.c, so a scenario that loads can always be sampled.  Each parameter
 * carries its support [lo, hi], which the game compiler uses to prove that
 * probability expressions stay in [0, 1] (interval arithmetic).
 */
#include "lang/check.h"
#include "base/suggest.h"
#include "uq/dist.h"
#include "base/rng.h"

#include <math.h>
#include <stdio.h>

static const int family_nargs[] = {
#define X(n, nargs) nargs,
    CASUS_FAMILY_LIST(X)
#undef X
};

/* ---- ladders ---- */

static const struct casus_mladder *find_ladder(const struct checker *c, const char *name)
{
    int32_t i = casus_symtab_get(&c->e->ladder_ix, name, strlen(name));
    if (i >= 0)
        return c->e->ladders[i];
    for (uint32_t k = 0; k < c->nladders; k++)
        if (strcmp(c->ladders[k]->name, name) == 0)
            return c->ladders[k];
    return NULL;
}

static const struct casus_mrung *find_rung(const struct casus_mladder *l, int32_t number)
{
    for (uint32_t i = 0; i < l->nrungs; i++)
        if (l->rungs[i].number == number)
            return &l->rungs[i];
    return NULL;
}

static struct casus_mladder *check_ladder(struct checker *c, const struct casus_ast_ladder *a)
{
    struct casus_mladder *m = casus_checker_alloc(c, sizeof *m);
    if (!m)
        return NULL;
    m->name = a->name.s;
    m->title = a->title.s ? a->title.s : a->name.s;
    m->note = a->note.s;
    m->cite = casus_checker_source(c, &a->cite);
    if (a->maps_to.s) {
        m->maps_to = find_ladder(c, a->maps_to.s);
        if (!m->maps_to)
            casus_checker_error(c, &a->maps_to.span, "unknown-ladder", "unknown ladder '%s'",
                                a->maps_to.s);
    }
    uint32_t n = 0;
    for (const struct casus_ast_rung *r = a->rungs; r; r = r->next)
        n++;
    if (n == 0)
        casus_checker_error(c, &a->name.span, "missing-field", "ladder '%s' has no rungs",
                            a->name.s);
    struct casus_mrung *rungs = casus_checker_alloc(c, (n ? n : 1) * sizeof *rungs);
    if (!rungs)
        return NULL;
    uint32_t k = 0;
    int32_t prev_kahn = 0;
    for (const struct casus_ast_rung *r = a->rungs; r; r = r->next, k++) {
        if (k > 0 && r->number <= rungs[k - 1].number)
            casus_checker_error(c, &r->number_span, "rung-order",
                                "rung %d comes after rung %d: rungs must be numbered upwards",
                                (int)r->number, (int)rungs[k - 1].number);
        for (uint32_t j = 0; j < k; j++)
            if (strcmp(rungs[j].name, r->name.s) == 0)
                casus_checker_error(c, &r->name.span, "duplicate",
                                    "rung '%s' appears twice in ladder '%s'", r->name.s, a->name.s);
        rungs[k].number = r->number;
        rungs[k].name = r->name.s;
        rungs[k].title = r->title.s ? r->title.s : r->name.s;
        rungs[k].group = r->group.s;
        rungs[k].kahn = r->kahn;
        if (m->maps_to) {
            if (!r->kahn) {
                casus_checker_error(c, &r->name.span, "missing-field",
                                    "rung '%s' does not say which rung of '%s' it maps to "
                                    "('kahn N')",
                                    r->name.s, m->maps_to->name);
            } else if (!find_rung(m->maps_to, r->kahn)) {
                casus_checker_error(c, &r->kahn_span, "unknown-rung", "ladder '%s' has no rung %d",
                                    m->maps_to->name, (int)r->kahn);
            } else if (r->kahn < prev_kahn) {
                casus_checker_error(c, &r->kahn_span, "rung-order",
                                    "rung '%s' maps below the rung before it (%d < %d)", r->name.s,
                                    (int)r->kahn, (int)prev_kahn);
            }
            prev_kahn = r->kahn;
        } else if (r->kahn) {
            casus_checker_error(c, &r->kahn_span, "context",
                                "'kahn' needs the ladder to say 'maps-to LADDER'");
        }
    }
    m->rungs = rungs;
    m->nrungs = n;

    uint32_t nt = 0;
    for (const struct casus_ast_threshold *t = a->thresholds; t; t = t->next)
        nt++;
    struct casus_mthreshold *ths = casus_checker_alloc(c, (nt ? nt : 1) * sizeof *ths);
    if (!ths)
        return NULL;
    k = 0;
    for (const struct casus_ast_threshold *t = a->thresholds; t; t = t->next, k++) {
        for (uint32_t j = 0; j < k; j++)
            if (strcmp(ths[j].name, t->name.s) == 0)
                casus_checker_error(c, &t->name.span, "duplicate",
                                    "threshold '%s' appears twice in ladder '%s'", t->name.s,
                                    a->name.s);
        ths[k].name = t->name.s;
        ths[k].title = t->title.s ? t->title.s : t->name.s;
        ths[k].after = t->after;
        if (!find_rung(m, t->after))
            casus_checker_error(c, &t->after_span, "unknown-rung", "ladder '%s' has no rung %d",
                                a->name.s, (int)t->after);
        else if (n && t->after >= rungs[n - 1].number)
            casus_checker_error(c, &t->after_span, "context",
                                "threshold '%s' lies above the top rung: nothing can cross it",
                                t->name.s);
    }
    m->thresholds = ths;
    m->nthresholds = nt;
    return m;
}

void casus_checker_ladders(struct checker *c, const struct casus_ast_file *f)
{
    for (const struct casus_ast_ladder *l = f->ladders; l && !c->oom; l = l->next) {
        if (find_ladder(c, l->name.s)) {
            casus_checker_error(c, &l->name.span, "duplicate", "ladder '%s' is declared twice",
                                l->name.s);
            continue;
        }
        struct casus_mladder *m = check_ladder(c, l);
        if (m)
            casus_checker_push(c, (void ***)&c->ladders, &c->nladders, &c->capladders, m);
    }
}

/* ---- distributions ---- */

/* Value of a constant numeric expression: numbers, unary minus, + - * /. */
static bool const_value(struct checker *c, const struct casus_expr *x, double *out)
{
    double a, b;
    switch (x->kind) {
    case CASUS_AST_NUMBER: *out = x->num; return true;
    case CASUS_AST_UNARY:
        if (x->op != CASUS_OP_NEG || !const_value(c, x->a, &a))
            break;
        *out = -a;
        return true;
    case CASUS_AST_BINARY:
        if (x->op < CASUS_OP_ADD || x->op > CASUS_OP_DIV)
            break;
        if (!const_value(c, x->a, &a) || !const_value(c, x->b, &b))
            return false;
        *out = x->op == CASUS_OP_ADD   ? a + b
               : x->op == CASUS_OP_SUB ? a - b
               : x->op == CASUS_OP_MUL ? a * b
                                       : a / b;
        if (!isfinite(*out)) {
            casus_checker_error(c, &x->span, "bad-number",
                                "this does not evaluate to a finite "
                                "number");
            return false;
        }
        return true;
    case CASUS_AST_NAME:
        if (strcmp(x->str, "inf") == 0) {
            *out = HUGE_VAL;
            return true;
        }
        break;
    default: break;
    }
    casus_checker_error(c, &x->span, "not-constant",
                        "distribution arguments must be numbers (or arithmetic on numbers)");
    return false;
}

/* [v1, v2, …] of constants into an arena array. */
static const double *const_list(struct checker *c, const struct casus_expr *x, uint32_t *n)
{
    if (x->kind != CASUS_AST_LIST) {
        casus_checker_error(c, &x->span, "type", "expected a list of numbers such as [1, 2, 3]");
        return NULL;
    }
    double *v = casus_checker_alloc(c, (x->nitems ? x->nitems : 1) * sizeof *v);
    if (!v)
        return NULL;
    for (uint32_t i = 0; i < x->nitems; i++)
        if (!const_value(c, x->items[i], &v[i]))
            return NULL;
    *n = x->nitems;
    return v;
}

/* Check a distribution written as a number or FAMILY(args…). */
/* The family a distribution call names, with the right number of
 * arguments; -1 after an error. */
static int dist_family(struct checker *c, const struct casus_expr *x)
{
    int fam = -1;
    for (int i = 0; i < CASUS_FAMILY_COUNT; i++)
        if (strcmp(casus_vocab_family.names[i], x->str) == 0)
            fam = i;
    if (fam < 0) {
        struct casus_diag *g = casus_checker_error(c, &x->span, "unknown-distribution",
                                                   "unknown distribution '%s'", x->str);
        const char *best = casus_suggest(x->str, casus_vocab_family.names, CASUS_FAMILY_COUNT,
                                         sizeof(const char *));
        if (best)
            casus_diag_note(c->d, g, "did you mean '%s'?", best);
        else
            casus_diag_note(c->d, g,
                            "distributions: fixed, uniform, triangular, normal, "
                            "lognormal, truncnormal, beta, discrete");
        return -1;
    }
    if ((int)x->nitems != family_nargs[fam]) {
        casus_checker_error(c, &x->span, "arity", "%s() takes %d argument%s, got %u",
                            casus_vocab_family.names[fam], family_nargs[fam],
                            family_nargs[fam] == 1 ? "" : "s", x->nitems);
        return -1;
    }
    return fam;
}

/* discrete([values], [weights]) */
static bool dist_discrete(struct checker *c, const struct casus_expr *x, struct casus_mdist *d)
{
    uint32_t nv = 0, nw = 0;
    d->values = const_list(c, x->items[0], &nv);
    d->weights = d->values ? const_list(c, x->items[1], &nw) : NULL;
    if (!d->values || !d->weights)
        return false;
    if (nv == 0 || nv != nw) {
        casus_checker_error(c, &x->span, "bad-distribution",
                            "discrete() needs as many weights as values, and at least one");
        return false;
    }
    d->n = nv;
    double *cum = casus_checker_alloc(c, nv * sizeof *cum);
    if (!cum)
        return false;
    if (casus_dist_discrete(&d->d, d->values, d->weights, nv, cum) != CASUS_OK) {
        casus_checker_error(c, &x->span, "bad-distribution",
                            "discrete() needs finite values and weights >= 0, not all 0");
        return false;
    }
    d->lo = d->hi = d->values[0];
    for (uint32_t i = 1; i < nv; i++) {
        d->lo = fmin(d->lo, d->values[i]);
        d->hi = fmax(d->hi, d->values[i]);
    }
    return true;
}

/* A continuous family with constant arguments: set it up, with its
 * support [lo, hi]; the message says what its arguments must satisfy. */
static bool dist_continuous(struct checker *c, const struct casus_expr *x, struct casus_mdist *d)
{
    for (uint32_t i = 0; i < x->nitems; i++)
        if (!const_value(c, x->items[i], &d->arg[i]))
            return false;
    struct casus_dist *probe = &d->d;
    casus_status st = CASUS_OK;
    const double *a = d->arg;
    const char *rule = "";
    switch (d->family) {
    case CASUS_FAMILY_fixed:
        d->lo = d->hi = a[0];
        st = isfinite(a[0]) ? CASUS_OK : CASUS_EINVAL;
        rule = "a finite value";
        break;
    case CASUS_FAMILY_uniform:
        st = casus_dist_uniform(probe, a[0], a[1]);
        d->lo = a[0], d->hi = a[1];
        rule = "lo < hi";
        break;
    case CASUS_FAMILY_triangular:
        st = casus_dist_triangular(probe, a[0], a[1], a[2]);
        d->lo = a[0], d->hi = a[2];
        rule = "lo <= mode <= hi and lo < hi";
        break;
    case CASUS_FAMILY_normal:
        st = casus_dist_normal(probe, a[0], a[1]);
        d->lo = -HUGE_VAL, d->hi = HUGE_VAL;
        rule = "sd > 0";
        break;
    case CASUS_FAMILY_lognormal:
        st = casus_dist_lognormal(probe, a[0], a[1]);
        d->lo = 0, d->hi = HUGE_VAL;
        rule = "sdlog > 0";
        break;
    case CASUS_FAMILY_truncnormal:
        st = casus_dist_truncnormal(probe, a[0], a[1], a[2], a[3]);
        d->lo = a[2], d->hi = a[3];
        rule = "sd > 0, lo < hi and enough mass between them";
        break;
    case CASUS_FAMILY_beta:
        st = casus_dist_beta(probe, a[0], a[1], 0, 1);
        d->lo = 0, d->hi = 1;
        rule = "both shapes > 0";
        break;
    default: break;
    }
    if (st == CASUS_OK)
        return true;
    casus_checker_error(c, &x->span, "bad-distribution", "%s() needs %s",
                        casus_vocab_family.names[d->family], rule);
    return false;
}

/* A parameter's distribution: a constant, a family's call, or one derived
 * from data (evidence(...), and fit(...) where allow_fit). */
static bool check_dist(struct checker *c, const struct casus_expr *x, struct casus_mdist *d,
                       bool allow_fit)
{
    memset(d, 0, sizeof *d);
    d->span = x->span;
    if (x->kind == CASUS_AST_CALL &&
        (strcmp(x->str, "evidence") == 0 || strcmp(x->str, "fit") == 0))
        return casus_checker_derived_dist(c, x, d, allow_fit);
    if (x->kind != CASUS_AST_CALL) {
        double v;
        if (!const_value(c, x, &v))
            return false;
        d->family = CASUS_FAMILY_fixed;
        d->arg[0] = d->lo = d->hi = v;
        return true;
    }
    int fam = dist_family(c, x);
    if (fam < 0)
        return false;
    d->family = (enum casus_family)fam;
    return d->family == CASUS_FAMILY_discrete ? dist_discrete(c, x, d) : dist_continuous(c, x, d);
}

/* ---- scenarios ---- */

static const struct casus_mscenario *find_scenario(const struct checker *c, const char *name)
{
    int32_t i = casus_symtab_get(&c->e->scenario_ix, name, strlen(name));
    if (i >= 0)
        return c->e->scenarios[i];
    for (uint32_t k = 0; k < c->nscenarios; k++)
        if (strcmp(c->scenarios[k]->name, name) == 0)
            return c->scenarios[k];
    return NULL;
}

static bool check_param(struct checker *c, const struct casus_ast_param *a, struct casus_mparam *m)
{
    m->name = a->name.s;
    m->title = a->title.s;
    m->unit = a->unit.s;
    m->note = a->note.s;
    m->span = a->name.span;
    m->judgment = a->judgment.s;
    m->stream = CASUS_RNG_TAG(CASUS_RNG_TAG_PARAM) |
                (casus_hash(a->name.s, strlen(a->name.s)) & ((UINT64_C(1) << 48) - 1));
    bool ok = check_dist(c, a->dist, &m->dist, true);
    if (a->fact.s) {
        m->fact = casus_checker_source(c, &a->fact);
        ok &= m->fact != NULL;
    }
    bool derived = m->dist.evidence || m->dist.fit ||
                   (a->dist->kind == CASUS_AST_CALL &&
                    (strcmp(a->dist->str, "evidence") == 0 || strcmp(a->dist->str, "fit") == 0));
    if (derived && a->fact.s) {
        struct casus_diag *g = casus_checker_error(
            c, &a->fact.span, "unlabelled-parameter",
            "parameter '%s' comes from data, which carry their own citation", a->name.s);
        casus_diag_note(c->d, g, "drop 'fact'; a 'judgment' may say why this reference class");
        ok = false;
    } else if (derived) {
        /* labelled by its data; an optional judgment says why this class or fit */
    } else if (!a->fact.s && !a->judgment.s) {
        struct casus_diag *g = casus_checker_error(
            c, &a->name.span, "unlabelled-parameter",
            "parameter '%s' is neither a sourced fact nor a judgment", a->name.s);
        casus_diag_note(c->d, g,
                        "add 'fact SOURCE' (a declared source) or 'judgment \"why this range\"'");
        ok = false;
    } else if (a->fact.s && a->judgment.s) {
        casus_checker_error(c, &a->judgment.span, "unlabelled-parameter",
                            "parameter '%s' is both a fact and a judgment: pick one", a->name.s);
        ok = false;
    } else if (a->judgment.s && !a->judgment.s[0]) {
        casus_checker_error(c, &a->judgment.span, "unlabelled-parameter",
                            "the judgment on '%s' needs a rationale", a->name.s);
        ok = false;
    }
    return ok;
}

/* The scenario's parameters, each a sourced fact or a labelled judgment. */
static bool scenario_params(struct checker *c, const struct casus_ast_scenario *a,
                            struct casus_mscenario *m)
{
    uint32_t n = 0;
    for (const struct casus_ast_param *p = a->params; p; p = p->next)
        n++;
    struct casus_mparam *params = casus_checker_alloc(c, (n ? n : 1) * sizeof *params);
    if (!params)
        return false;
    uint32_t k = 0;
    for (const struct casus_ast_param *p = a->params; p; p = p->next, k++) {
        for (uint32_t j = 0; j < k; j++)
            if (strcmp(params[j].name, p->name.s) == 0)
                casus_checker_error(c, &p->name.span, "duplicate",
                                    "parameter '%s' is declared twice", p->name.s);
        check_param(c, p, &params[k]);
    }
    m->params = params;
    m->nparams = n;
    return true;
}

/* A policy's `set PARAM = DIST` lines. */
static bool policy_settings(struct checker *c, const struct casus_ast_policy *p,
                            const struct casus_mscenario *m, struct casus_mpolicy *mp)
{
    uint32_t ns = 0;
    for (const struct casus_ast_setting *s = p->settings; s; s = s->next)
        ns++;
    struct casus_msetting *set = casus_checker_alloc(c, (ns ? ns : 1) * sizeof *set);
    if (!set)
        return false;
    uint32_t j = 0;
    for (const struct casus_ast_setting *s = p->settings; s; s = s->next, j++) {
        uint32_t pi = 0;
        while (pi < m->nparams && strcmp(m->params[pi].name, s->param.s) != 0)
            pi++;
        if (pi == m->nparams) {
            struct casus_diag *g = casus_checker_error(c, &s->param.span, "unknown-parameter",
                                                       "policy '%s' sets unknown parameter '%s'",
                                                       p->name.s, s->param.s);
            const char *best =
                m->nparams ? casus_suggest(s->param.s, (const char *const *)&m->params[0].name,
                                           m->nparams, sizeof *m->params)
                           : NULL;
            if (best)
                casus_diag_note(c->d, g, "did you mean '%s'?", best);
            continue;
        }
        for (const struct casus_ast_setting *t = p->settings; t != s; t = t->next)
            if (strcmp(t->param.s, s->param.s) == 0)
                casus_checker_error(c, &s->param.span, "duplicate", "policy '%s' sets '%s' twice",
                                    p->name.s, s->param.s);
        set[j].param = pi;
        check_dist(c, s->dist, &set[j].dist, false);
    }
    mp->settings = set;
    mp->nsettings = ns;
    return true;
}

/* The policies, the baseline first (the first declared unless one says
 * `baseline`); with none, the scenario as written is the one policy.
 * *ast_out[i] is the declaration of policy i (NULL for that default). */
static bool scenario_policies(struct checker *c, const struct casus_ast_scenario *a,
                              struct casus_mscenario *m, struct casus_mpolicy **pols_out,
                              const struct casus_ast_policy ***ast_out)
{
    uint32_t np = 0;
    bool has_baseline = false;
    for (const struct casus_ast_policy *p = a->policies; p; p = p->next) {
        np++;
        if (p->baseline && has_baseline)
            casus_checker_error(c, &p->baseline_span, "duplicate",
                                "only one policy can be the baseline");
        has_baseline |= p->baseline;
    }
    uint32_t total = np ? np : 1;
    struct casus_mpolicy *pols = casus_checker_alloc(c, total * sizeof *pols);
    const struct casus_ast_policy **ast_of = casus_checker_alloc(c, total * sizeof *ast_of);
    if (!pols || !ast_of)
        return false;
    if (np == 0) {
        pols[0].name = "baseline";
        pols[0].title = "the scenario as written";
    }
    uint32_t k = has_baseline ? 1 : 0;
    for (const struct casus_ast_policy *p = a->policies; p; p = p->next) {
        struct casus_mpolicy *mp =
            p->baseline || (!has_baseline && p == a->policies) ? &pols[0] : &pols[k++];
        ast_of[mp - pols] = p;
        for (const struct casus_ast_policy *q = a->policies; q != p; q = q->next)
            if (strcmp(q->name.s, p->name.s) == 0)
                casus_checker_error(c, &p->name.span, "duplicate", "policy '%s' is declared twice",
                                    p->name.s);
        mp->name = p->name.s;
        mp->title = p->title.s ? p->title.s : p->name.s;
        mp->note = p->note.s;
        if (!policy_settings(c, p, m, mp))
            return false;
    }
    m->policies = pols;
    m->npolicies = total;
    *pols_out = pols;
    *ast_out = ast_of;
    return true;
}

/* The lets (which see the parameters, and only them, as numbers) and the
 * game. */
static bool scenario_game(struct checker *c, const struct casus_ast_scenario *a,
                          struct casus_mscenario *m, struct casus_mpolicy *pols,
                          const struct casus_ast_policy **ast_of)
{
    struct staged_let *lets = NULL;
    uint32_t nlets = 0;
    c->params = m->params;
    c->nparams = m->nparams;
    if (casus_checker_stage_lets(c, a->lets, &lets, &nlets)) {
        c->treaty_lets = lets;
        c->ntreaty_lets = nlets;
        casus_checker_compile_lets(c, lets, nlets);
    }
    casus_checker_game(c, a, m, pols, ast_of);
    c->treaty_lets = NULL;
    c->ntreaty_lets = 0;
    c->params = NULL;
    c->nparams = 0;
    struct casus_mlet *ml = casus_checker_alloc(c, (nlets ? nlets : 1) * sizeof *ml);
    if (!ml)
        return false;
    for (uint32_t i = 0; i < nlets; i++) {
        ml[i].name = lets[i].ast->name.s;
        ml[i].cx = lets[i].cx;
    }
    m->lets = ml;
    m->nlets = nlets;
    return true;
}

static struct casus_mscenario *check_scenario(struct checker *c, const struct casus_ast_scenario *a)
{
    struct casus_mscenario *m = casus_checker_alloc(c, sizeof *m);
    if (!m)
        return NULL;
    m->name = a->name.s;
    m->title = a->title.s ? a->title.s : a->name.s;
    m->note = a->note.s;
    m->src = a->name.span.src;
    m->cite = casus_checker_source(c, &a->cite);
    if (!a->has_date)
        casus_checker_error(c, &a->name.span, "missing-field",
                            "scenario '%s' has no 'date' (treaty verdicts depend on it)",
                            a->name.s);
    m->date = a->date;
    if (a->ladder.s) {
        m->ladder = find_ladder(c, a->ladder.s);
        if (!m->ladder) {
            struct casus_diag *g = casus_checker_error(c, &a->ladder.span, "unknown-ladder",
                                                       "unknown ladder '%s'", a->ladder.s);
            casus_diag_note(c->d, g,
                            "the shipped ladder is 'kahn'; declare your own with "
                            "'ladder NAME { … }'");
        }
    }
    const struct casus_ast_policy **ast_of = NULL;
    struct casus_mpolicy *pols = NULL;
    if (!scenario_params(c, a, m) || !scenario_policies(c, a, m, &pols, &ast_of) ||
        !scenario_game(c, a, m, pols, ast_of))
        return NULL;
    return m;
}

void casus_checker_scenarios(struct checker *c, const struct casus_ast_file *f)
{
    for (const struct casus_ast_scenario *s = f->scenarios; s && !c->oom; s = s->next) {
        if (find_scenario(c, s->name.s)) {
            casus_checker_error(c, &s->name.span, "duplicate", "scenario '%s' is declared twice",
                                s->name.s);
            continue;
        }
        struct casus_mscenario *m = check_scenario(c, s);
        if (m)
            casus_checker_push(c, (void ***)&c->scenarios, &c->nscenarios, &c->capscenarios, m);
    }
}
