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
    casus_scen_release(&m->sc[0]);
    if (m->diff)
        casus_scen_release(&m->sc[1]);
    uint32_t P = m->s->nparams;
    casus_mem_free(&a, m->param, (P + 1) * sizeof *m->param);
    casus_mem_free(&a, m->fixed[0], (P + 1) * sizeof(double));
    casus_mem_free(&a, m->fixed[1], (P + 1) * sizeof(double));
    casus_mem_free(&a, m, sizeof *m);
}

static casus_status fail(casus_buf *error, casus_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static casus_status fail(casus_buf *error, casus_status st, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (error)
        casus_buf_puts(error, buf);
    return st;
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

casus_status casus_sens_new_scenario(casus_sens **out, casus_engine *e, const char *scenario,
                                     const char *policy, const char *versus, const char *output,
                                     double lambda, const casus_sens_options *opt, casus_buf *error)
{
    *out = NULL;
    int32_t si = casus_symtab_get(&e->scenario_ix, scenario, strlen(scenario));
    if (si < 0)
        return fail(error, CASUS_ENOTFOUND, "unknown scenario '%s'", scenario);
    const struct casus_mscenario *s = e->scenarios[si];
    if (s->nnodes == 0 || !s->ladder)
        return fail(error, CASUS_EINVAL, "scenario '%s' declares no game", s->name);
    int pol[2] = {0, -1};
    if (policy && (pol[0] = find_policy(s, policy)) < 0)
        return fail(error, CASUS_ENOTFOUND, "scenario '%s' has no policy '%s'", s->name, policy);
    if (versus && (pol[1] = find_policy(s, versus)) < 0)
        return fail(error, CASUS_ENOTFOUND, "scenario '%s' has no policy '%s'", s->name, versus);
    if (!output)
        return fail(error, CASUS_EINVAL, "no output named (a threshold, a rung or payoff:ACTOR)");
    enum out_kind kind = OUT_THRESHOLD;
    uint32_t index = UINT32_MAX;
    const struct casus_mladder *lad = s->ladder;
    if (strncmp(output, "payoff:", 7) == 0) {
        kind = OUT_PAYOFF;
        for (uint32_t i = 0; i < s->nactors; i++)
            if (strcmp(s->actor_codes[i], output + 7) == 0)
                index = i;
    } else {
        for (uint32_t t = 0; t < lad->nthresholds; t++)
            if (strcmp(lad->thresholds[t].name, output) == 0)
                index = t;
        for (uint32_t r = 0; r < lad->nrungs && index == UINT32_MAX; r++)
            if (strcmp(lad->rungs[r].name, output) == 0)
                kind = OUT_RUNG, index = r;
    }
    if (index == UINT32_MAX) {
        casus_buf names = CASUS_BUF_INIT;
        for (uint32_t t = 0; t < lad->nthresholds; t++)
            casus_buf_printf(&names, "%s%s", t ? ", " : "", lad->thresholds[t].name);
        casus_status st = fail(error, CASUS_ENOTFOUND,
                               "'%s' is not a threshold, a rung of ladder '%s' or payoff:ACTOR "
                               "(thresholds: %s)",
                               output, lad->name, names.data ? names.data : "none");
        casus_buf_release(&names);
        return st;
    }
    const uint32_t P = s->nparams;
    struct scen_model *m = casus_mem_alloc(&e->alloc, sizeof *m);
    if (!m)
        return CASUS_ENOMEM;
    memset(m, 0, sizeof *m);
    m->alloc = e->alloc;
    m->s = s;
    m->pol[0] = (uint32_t)pol[0];
    m->pol[1] = pol[1] < 0 ? 0 : (uint32_t)pol[1];
    m->diff = pol[1] >= 0;
    m->kind = kind;
    m->index = index;
    m->lambda = lambda;
    m->param = casus_mem_alloc(&e->alloc, (P + 1) * sizeof *m->param);
    m->fixed[0] = casus_mem_alloc(&e->alloc, (P + 1) * sizeof(double));
    m->fixed[1] = casus_mem_alloc(&e->alloc, (P + 1) * sizeof(double));
    casus_sens_input *in = casus_mem_alloc(&e->alloc, (P + 1) * sizeof *in);
    casus_status st = m->param && m->fixed[0] && m->fixed[1] && in ? CASUS_OK : CASUS_ENOMEM;
    bool compiled[2] = {false, false};
    for (int k = 0; k < 1 + m->diff && st == CASUS_OK; k++) {
        st = casus_scen_compile(&m->sc[k], &e->alloc, s, m->pol[k], 2000000u, NULL);
        compiled[k] = st == CASUS_OK;
    }
    if (st != CASUS_OK) {
        if (compiled[0])
            casus_scen_release(&m->sc[0]);
        st = st == CASUS_ENOMEM ? st : fail(error, st, "the game of '%s' cannot be built", s->name);
        goto bad;
    }
    /* inputs: parameters uncertain under the main policy (or, for a
       difference, under the other one) */
    for (uint32_t p = 0; p < P; p++) {
        const struct casus_mdist *d0 = casus_sample_dist(s, m->pol[0], p);
        const struct casus_mdist *d1 = casus_sample_dist(s, m->pol[1], p);
        m->fixed[0][p] = d0->arg[0];
        m->fixed[1][p] = d1->arg[0];
        const struct casus_mdist *src = d0->family != CASUS_FAMILY_fixed              ? d0
                                        : m->diff && d1->family != CASUS_FAMILY_fixed ? d1
                                                                                      : NULL;
        if (!src)
            continue;
        in[m->d].name = s->params[p].name;
        to_input(src, &in[m->d]);
        m->param[m->d++] = p;
    }
    if (m->d == 0) {
        st = fail(error, CASUS_EINVAL, "scenario '%s' has no uncertain parameter", s->name);
        goto bad_compiled;
    }
    casus_sens *sens = NULL;
    st = casus_sens_new(&sens, opt, in, m->d, model, m, e->alloc.fn, e->alloc.ud);
    if (st != CASUS_OK) {
        if (st == CASUS_EINVAL)
            fail(error, st, "%s",
                 casus_sens_options_check(opt) ? casus_sens_options_check(opt)
                                               : "bad input distribution");
        goto bad_compiled;
    }
    char what[256], title[512];
    if (kind == OUT_PAYOFF)
        snprintf(what, sizeof what, "the expected payoff of %s", output + 7);
    else
        snprintf(what, sizeof what, "P(%s)", output);
    if (m->diff)
        snprintf(title, sizeof title, "%s under %s minus under %s (scenario %s)", what,
                 s->policies[m->pol[0]].name, s->policies[m->pol[1]].name, s->name);
    else
        snprintf(title, sizeof title, "%s under %s (scenario %s)", what,
                 s->policies[m->pol[0]].name, s->name);
    st = casus_sens_set_model(sens, title, model_free);
    if (st != CASUS_OK) {
        casus_sens_free(sens);
        goto bad_compiled;
    }
    casus_mem_free(&e->alloc, in, (P + 1) * sizeof *in);
    *out = sens;
    return CASUS_OK;
bad_compiled:
    casus_scen_release(&m->sc[0]);
    if (m->diff)
        casus_scen_release(&m->sc[1]);
bad:
    casus_mem_free(&e->alloc, in, (P + 1) * sizeof *in);
    casus_mem_free(&e->alloc, m->param, (P + 1) * sizeof *m->param);
    casus_mem_free(&e->alloc, m->fixed[0], (P + 1) * sizeof(double));
    casus_mem_free(&e->alloc, m->fixed[1], (P + 1) * sizeof(double));
    casus_mem_free(&e->alloc, m, sizeof *m);
    return st;
}
