/*
 * scen_sens.c — a scenario result as a model for sensitivity analysis
 * (casus_sens_new_scenario in casus/sens.h): the inputs are the scenario's
 * uncertain parameters under a policy, the output one number the run
 * reports — the probability of a threshold or a rung, an actor's expected
 * payoff, or its difference from another policy at the same draw.
 *
 * For a difference, a parameter whose distribution differs between the two
 * policies is moved by its quantile: the value x under the main policy
 * stands for u = F_main(x), and the other policy gets F_other⁻¹(u) — the
 * common random numbers of `casus run`, so a policy compared with itself is
 * exactly 0 everywhere.
 */
#include "casus/sens.h"

#include "model/engine.h"
#include "model/sample.h"
#include "scenario/scen.h"
#include "uq/sens_api.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>

enum out_kind { OUT_THRESHOLD, OUT_RUNG, OUT_PAYOFF };

struct scen_model {
    struct casus_alloc alloc;
    const struct casus_mscenario *s;
    struct casus_scen sc[2]; /* main policy, other (when a difference) */
    uint32_t pol[2];
    bool diff;
    enum out_kind kind;
    uint32_t index;
    uint32_t ncompiled; /* trees in sc[] compiled */
    uint32_t d;
    uint32_t *param;  /* d: the parameter behind each input */
    double *fixed[2]; /* nparams: values of the parameters that are not inputs */
    double lambda;    /* NaN: the scenario's */
};

static casus_status eval_one(const struct scen_model *m, int k, const double *values,
                             struct casus_scen_ws *w, double *outbuf, double *y)
{
    const struct casus_mladder *lad = m->s->ladder;
    struct casus_scen_out out = {outbuf, outbuf + lad->nrungs,
                                 m->kind == OUT_PAYOFF ? outbuf + lad->nrungs + lad->nthresholds
                                                       : NULL};
    struct casus_scen_fail fl;
    casus_status st = casus_scen_solve(&m->sc[k], values, m->lambda, w, &out, &fl);
    if (st != CASUS_OK)
        return st;
    *y = m->kind == OUT_THRESHOLD ? out.threshold[m->index]
         : m->kind == OUT_RUNG    ? out.rung[m->index]
                                  : out.payoff[m->index];
    return CASUS_OK;
}

static casus_status model(void *ud, const double *x, size_t npts, size_t d, double *y)
{
    const struct scen_model *m = ud;
    const struct casus_mscenario *s = m->s;
    const uint32_t P = s->nparams;
    struct casus_arena a;
    casus_arena_init(&a, &m->alloc);
    struct casus_scen_ws w[2];
    double *v0 = casus_arena_alloc(&a, (P + 1) * sizeof *v0);
    double *v1 = casus_arena_alloc(&a, (P + 1) * sizeof *v1);
    double *outbuf = casus_arena_alloc(
        &a, (s->ladder->nrungs + s->ladder->nthresholds + s->nactors + 1) * sizeof *outbuf);
    casus_status st = v0 && v1 && outbuf ? CASUS_OK : CASUS_ENOMEM;
    for (int k = 0; k < 1 + m->diff && st == CASUS_OK; k++)
        st = casus_scen_ws_init(&w[k], &a, &m->sc[k]);
    if (st == CASUS_OK) {
        memcpy(v0, m->fixed[0], P * sizeof *v0);
        memcpy(v1, m->fixed[1], P * sizeof *v1);
    }
    for (size_t i = 0; i < npts && st == CASUS_OK; i++) {
        const double *xi = x + i * d;
        for (uint32_t k = 0; k < m->d; k++) {
            uint32_t p = m->param[k];
            v0[p] = xi[k];
            if (!m->diff)
                continue;
            const struct casus_mdist *d0 = casus_sample_dist(s, m->pol[0], p);
            const struct casus_mdist *d1 = casus_sample_dist(s, m->pol[1], p);
            if (d1->family == CASUS_FAMILY_fixed)
                continue; /* fixed[1] holds it */
            v1[p] = d0 == d1 ? xi[k] : casus_dist_quantile(&d1->d, casus_dist_cdf(&d0->d, xi[k]));
        }
        double y0, y1 = 0;
        st = eval_one(m, 0, v0, &w[0], outbuf, &y0);
        if (st == CASUS_OK && m->diff)
            st = eval_one(m, 1, v1, &w[1], outbuf, &y1);
        y[i] = y0 - y1;
    }
    casus_arena_release(&a);
    return st == CASUS_ENOCONV ? CASUS_ENOCONV : st == CASUS_OK ? CASUS_OK : CASUS_EINVAL;
}

static void model_free(void *ud)
{
    struct scen_model *m = ud;
    if (!m)
        return;
    struct casus_alloc a = m->alloc;
    for (uint32_t k = 0; k < m->ncompiled; k++)
        casus_scen_release(&m->sc[k]);
    uint32_t P = m->s->nparams;
    casus_mem_free(&a, m->param, (P + 1) * sizeof *m->param);
    casus_mem_free(&a, m->fixed[0], (P + 1) * sizeof(double));
    casus_mem_free(&a, m->fixed[1], (P + 1) * sizeof(double));
    casus_mem_free(&a, m, sizeof *m);
}

static void to_input(const struct casus_mdist *md, casus_sens_input *in)
{
    memset(in->p, 0, sizeof in->p);
    switch (md->family) {
    case CASUS_FAMILY_uniform: in->dist = CASUS_SENS_DIST_UNIFORM; break;
    case CASUS_FAMILY_triangular: in->dist = CASUS_SENS_DIST_TRIANGULAR; break;
    case CASUS_FAMILY_normal: in->dist = CASUS_SENS_DIST_NORMAL; break;
    case CASUS_FAMILY_lognormal: in->dist = CASUS_SENS_DIST_LOGNORMAL; break;
    case CASUS_FAMILY_truncnormal: in->dist = CASUS_SENS_DIST_TRUNCNORMAL; break;
    case CASUS_FAMILY_beta: in->dist = CASUS_SENS_DIST_BETA; break;
    default: in->dist = CASUS_SENS_DIST_DISCRETE; break;
    }
    for (int k = 0; k < 4; k++)
        in->p[k] = md->arg[k];
    if (md->family == CASUS_FAMILY_beta) {
        in->p[2] = 0;
        in->p[3] = 1;
    }
    in->values = md->values;
    in->weights = md->weights;
    in->nvalues = md->n;
}

static int find_policy(const struct casus_mscenario *s, const char *name)
{
    for (uint32_t p = 0; p < s->npolicies; p++)
        if (strcmp(s->policies[p].name, name) == 0)
            return (int)p;
    return -1;
}

/* What an analysis is of: the scenario, the policy (and the one it is
 * compared with), and the output. */
struct target {
    const struct casus_mscenario *s;
    int pol[2]; /* main policy; other, or -1 */
    enum out_kind kind;
    uint32_t index; /* threshold, rung or deciding actor */
};

/* The threshold, rung or payoff:ACTOR `output` names; false with *err set. */
static bool find_output(struct target *t, const char *output, casus_error *err)
{
    const struct casus_mladder *lad = t->s->ladder;
    t->kind = OUT_THRESHOLD;
    t->index = UINT32_MAX;
    if (strncmp(output, "payoff:", 7) == 0) {
        t->kind = OUT_PAYOFF;
        for (uint32_t i = 0; i < t->s->nactors; i++)
            if (strcmp(t->s->actor_codes[i], output + 7) == 0)
                t->index = i;
    } else {
        for (uint32_t k = 0; k < lad->nthresholds; k++)
            if (strcmp(lad->thresholds[k].name, output) == 0)
                t->index = k;
        for (uint32_t r = 0; r < lad->nrungs && t->index == UINT32_MAX; r++)
            if (strcmp(lad->rungs[r].name, output) == 0)
                t->kind = OUT_RUNG, t->index = r;
    }
    if (t->index != UINT32_MAX)
        return true;
    char names[1024];
    size_t n = 0;
    names[0] = '\0';
    for (uint32_t k = 0; k < lad->nthresholds && n < sizeof names - 1; k++)
        n += (size_t)snprintf(names + n, sizeof names - n, "%s%s", k ? ", " : "",
                              lad->thresholds[k].name);
    casus_error_set(err, CASUS_ENOTFOUND, "unknown-output", CASUS_INPUT_OUTPUT,
                    "'%s' is not a threshold, a rung of ladder '%s' or payoff:ACTOR "
                    "(thresholds: %s)",
                    output, lad->name, n ? names : "none");
    return false;
}

/* Resolve the names of an analysis; false with *err set. */
static bool find_target(struct target *t, const casus_engine *e, const char *scenario,
                        const char *policy, const char *versus, const char *output,
                        casus_error *err)
{
    int32_t si = casus_symtab_get(&e->scenario_ix, scenario, strlen(scenario));
    if (si < 0)
        return casus_error_set(err, CASUS_ENOTFOUND, "unknown-scenario", CASUS_INPUT_SCENARIO,
                               "unknown scenario '%s'", scenario),
               false;
    t->s = e->scenarios[si];
    t->pol[0] = 0;
    t->pol[1] = -1;
    if (t->s->nnodes == 0 || !t->s->ladder)
        casus_error_set(err, CASUS_EINVAL, "no-game", CASUS_INPUT_SCENARIO,
                        "scenario '%s' declares no game", t->s->name);
    else if (policy && (t->pol[0] = find_policy(t->s, policy)) < 0)
        casus_error_set(err, CASUS_ENOTFOUND, "unknown-policy", CASUS_INPUT_POLICY,
                        "scenario '%s' has no policy '%s'", t->s->name, policy);
    else if (versus && (t->pol[1] = find_policy(t->s, versus)) < 0)
        casus_error_set(err, CASUS_ENOTFOUND, "unknown-policy", CASUS_INPUT_POLICY,
                        "scenario '%s' has no policy '%s'", t->s->name, versus);
    else if (!output)
        casus_error_set(err, CASUS_EINVAL, "no-output", CASUS_INPUT_OUTPUT,
                        "no output named (a threshold, a rung or payoff:ACTOR)");
    else
        return find_output(t, output, err);
    return false;
}

/* The model of target t: each policy's tree and the inputs, the parameters
 * uncertain under the main policy (or, for a difference, under the other
 * one).  *in receives the inputs (freed by the caller with the model). */
static casus_status build_model(struct scen_model **out, casus_sens_input **inp, casus_engine *e,
                                const struct target *t, double lambda, casus_error *err)
{
    const uint32_t P = t->s->nparams;
    struct scen_model *m = casus_mem_alloc(&e->alloc, sizeof *m);
    *out = m;
    *inp = NULL;
    if (!m)
        return CASUS_ENOMEM;
    memset(m, 0, sizeof *m);
    m->alloc = e->alloc;
    m->s = t->s;
    m->pol[0] = (uint32_t)t->pol[0];
    m->pol[1] = t->pol[1] < 0 ? 0 : (uint32_t)t->pol[1];
    m->diff = t->pol[1] >= 0;
    m->kind = t->kind;
    m->index = t->index;
    m->lambda = lambda;
    m->param = casus_mem_alloc(&e->alloc, (P + 1) * sizeof *m->param);
    m->fixed[0] = casus_mem_alloc(&e->alloc, (P + 1) * sizeof(double));
    m->fixed[1] = casus_mem_alloc(&e->alloc, (P + 1) * sizeof(double));
    casus_sens_input *in = *inp = casus_mem_alloc(&e->alloc, (P + 1) * sizeof *in);
    if (!m->param || !m->fixed[0] || !m->fixed[1] || !in)
        return CASUS_ENOMEM;
    for (uint32_t p = 0; p < P; p++) {
        const struct casus_mdist *d0 = casus_sample_dist(t->s, m->pol[0], p);
        const struct casus_mdist *d1 = casus_sample_dist(t->s, m->pol[1], p);
        m->fixed[0][p] = d0->arg[0];
        m->fixed[1][p] = d1->arg[0];
        const struct casus_mdist *src = d0->family != CASUS_FAMILY_fixed              ? d0
                                        : m->diff && d1->family != CASUS_FAMILY_fixed ? d1
                                                                                      : NULL;
        if (!src)
            continue;
        in[m->d].name = t->s->params[p].name;
        to_input(src, &in[m->d]);
        m->param[m->d++] = p;
    }
    if (m->d == 0)
        return casus_error_set(err, CASUS_EINVAL, "no-uncertain-parameter", CASUS_INPUT_POLICY,
                               "scenario '%s' has no uncertain parameter", t->s->name);
    for (int k = 0; k < 1 + m->diff; k++) {
        casus_status st = casus_scen_compile(&m->sc[k], &e->alloc, t->s, m->pol[k], 2000000u, NULL);
        if (st != CASUS_OK)
            return st == CASUS_ENOMEM
                       ? st
                       : casus_error_set(err, st, "game-too-large", CASUS_INPUT_POLICY,
                                         "the game of '%s' cannot be built", t->s->name);
        m->ncompiled = (uint32_t)k + 1;
    }
    return CASUS_OK;
}

/* The analysis' title: what is analysed, under which policies. */
static void model_title(const struct scen_model *m, const char *output, char *title, size_t cap)
{
    char what[256];
    const struct casus_mscenario *s = m->s;
    if (m->kind == OUT_PAYOFF)
        snprintf(what, sizeof what, "the expected payoff of %s", output + 7);
    else
        snprintf(what, sizeof what, "P(%s)", output);
    if (m->diff)
        snprintf(title, cap, "%s under %s minus under %s (scenario %s)", what,
                 s->policies[m->pol[0]].name, s->policies[m->pol[1]].name, s->name);
    else
        snprintf(title, cap, "%s under %s (scenario %s)", what, s->policies[m->pol[0]].name,
                 s->name);
}

casus_status casus_sens_new_scenario(casus_sens **out, casus_engine *e, const char *scenario,
                                     const char *policy, const char *versus, const char *output,
                                     double lambda, const casus_sens_options *opt, casus_error *err)
{
    *out = NULL;
    casus_error local;
    if (!err)
        err = &local;
    casus_error_clear(err);
    struct target t;
    if (!find_target(&t, e, scenario, policy, versus, output, err))
        return err->status;
    struct scen_model *m;
    casus_sens_input *in;
    casus_status st = build_model(&m, &in, e, &t, lambda, err);
    casus_sens *sens = NULL;
    if (st == CASUS_OK) {
        st = casus_sens_new(&sens, opt, in, m->d, model, m, e->alloc.fn, e->alloc.ud);
        if (st == CASUS_EINVAL)
            casus_error_set(err, st, "bad-options", CASUS_INPUT_OPTION, "%s",
                            casus_sens_options_check(opt) ? casus_sens_options_check(opt)
                                                          : "bad input distribution");
    }
    if (st == CASUS_OK) {
        char title[512];
        model_title(m, output, title, sizeof title);
        st = casus_sens_set_model(sens, title, model_free);
        if (st != CASUS_OK)
            casus_sens_free(sens);
    }
    casus_mem_free(&e->alloc, in, ((size_t)t.s->nparams + 1) * sizeof *in);
    if (st != CASUS_OK) {
        model_free(m);
        return st;
    }
    *out = sens;
    return CASUS_OK;
}
