/*
 * describe.c — a scenario as people read it: what each number is, where it
 * comes from, and what each policy changes.  This is the transparency
 * promise of casus ("every number traces to a cited fact or a labelled
 * judgment") made visible before any model runs.
 */
#include "base/buf.h"
#include "model/engine.h"

#include <math.h>

static void num(casus_buf *b, double v)
{
    if (isinf(v))
        casus_buf_puts(b, v < 0 ? "-inf" : "inf");
    else
        casus_buf_printf(b, "%.6g", v);
}

/* "beta(2, 8)" — the distribution as it would be written. */
static void dist_text(casus_buf *b, const struct casus_mdist *d)
{
    if (d->family == CASUS_FAMILY_fixed) {
        num(b, d->arg[0]);
        return;
    }
    casus_buf_printf(b, "%s(", casus_vocab_family.names[d->family]);
    if (d->family == CASUS_FAMILY_discrete) {
        for (int list = 0; list < 2; list++) {
            const double *v = list ? d->weights : d->values;
            casus_buf_puts(b, list ? ", [" : "[");
            for (uint32_t i = 0; i < d->n; i++) {
                if (i)
                    casus_buf_puts(b, ", ");
                num(b, v[i]);
            }
            casus_buf_putc(b, ']');
        }
    } else {
        static const int nargs[] = {
#define X(n, k) k,
            CASUS_FAMILY_LIST(X)
#undef X
        };
        for (int i = 0; i < nargs[d->family]; i++) {
            if (i)
                casus_buf_puts(b, ", ");
            num(b, d->arg[i]);
        }
    }
    casus_buf_putc(b, ')');
}

static const char *dist_string(casus_buf *tmp, const struct casus_mdist *d)
{
    tmp->len = 0;
    if (tmp->data)
        tmp->data[0] = '\0';
    dist_text(tmp, d);
    return tmp->data ? tmp->data : "";
}

static void text_ladder(const struct casus_mladder *l, casus_buf *b)
{
    casus_buf_printf(b, "  ladder %s: %s\n", l->name, l->title);
    for (uint32_t i = 0; i < l->nrungs; i++) {
        casus_buf_printf(b, "    rung %d %s", (int)l->rungs[i].number, l->rungs[i].title);
        if (l->maps_to && l->rungs[i].kahn) {
            const struct casus_mrung *k = NULL;
            for (uint32_t j = 0; j < l->maps_to->nrungs; j++)
                if (l->maps_to->rungs[j].number == l->rungs[i].kahn)
                    k = &l->maps_to->rungs[j];
            casus_buf_printf(b, "  (%s rung %d: %s)", l->maps_to->name, (int)l->rungs[i].kahn,
                             k ? k->title : "?");
        }
        casus_buf_putc(b, '\n');
    }
    for (uint32_t i = 0; i < l->nthresholds; i++)
        casus_buf_printf(b, "    threshold %s: above rung %d\n", l->thresholds[i].title,
                         (int)l->thresholds[i].after);
}

/* Correlation of coefficients i and j of a fit, from its Cholesky factor. */
static double fit_corr(const struct casus_mfit *f, uint32_t i, uint32_t j)
{
    double c = 0;
    for (uint32_t m = 0; m <= (i < j ? i : j); m++)
        c += f->chol[(size_t)i * f->k + m] * f->chol[(size_t)j * f->k + m];
    return c / (f->sd[i] * f->sd[j]);
}

/* Where an evidence(...) parameter comes from: query, counts, citation. */
static void text_evidence(const struct casus_mevidence *v, casus_buf *b)
{
    casus_buf_printf(b, "      evidence: %s%s%s\n", v->dataset, v->title ? " — " : "",
                     v->title ? v->title : "");
    casus_buf_printf(b, "        where %s; outcome %s%s%s\n", v->where ? v->where : "(every row)",
                     v->outcome, v->missing ? "; missing " : "", v->missing ? v->missing : "");
    casus_buf_printf(b,
                     "        k = %u of n = %u (rate %.3g, Jeffreys 95%% [%.3g, %.3g]); %u of %u "
                     "rows dropped for a missing cell\n",
                     v->k, v->n, v->rate, v->lo, v->hi, v->dropped, v->rows);
    casus_buf_printf(b, "        cite: %s\n", v->citation ? v->citation : "(a user's CSV)");
}

/* Where a fit(...) parameter comes from, and which others it moves with. */
static void text_fit(const struct casus_mscenario *s, const struct casus_mparam *p, casus_buf *b)
{
    const struct casus_mfit *f = p->dist.fit;
    casus_buf_printf(b, "      fit: %s", f->name);
    if (f->model)
        casus_buf_printf(b, " (%s%s%s)", f->model, f->formula ? ", " : "",
                         f->formula ? f->formula : "");
    casus_buf_printf(b, ", coefficient '%s'\n", p->dist.fit_coef);
    if (p->dist.family == CASUS_FAMILY_fixed) {
        casus_buf_printf(b, "        held fixed by the fit at %.6g\n", p->dist.arg[0]);
        return;
    }
    casus_buf_printf(b, "        estimate %.6g, standard error %.6g", p->dist.arg[0],
                     p->dist.arg[1]);
    if (!isnan(f->nobs))
        casus_buf_printf(b, "; %.0f observations", f->nobs);
    if (!isnan(f->loglik))
        casus_buf_printf(b, ", log-likelihood %.6g", f->loglik);
    casus_buf_puts(b, "\n        drawn jointly with the fit's other coefficients");
    for (uint32_t i = 0; i < s->nparams; i++) {
        const struct casus_mdist *o = &s->params[i].dist;
        if (&s->params[i] != p && o->fit && o->family != CASUS_FAMILY_fixed &&
            strcmp(o->fit->name, f->name) == 0)
            casus_buf_printf(b, "; correlation with %s %.3f", s->params[i].name,
                             fit_corr(f, p->dist.coef, o->coef));
    }
    casus_buf_putc(b, '\n');
}

/* Each parameter: distribution, unit, support, and its fact or judgment. */
static void text_params(const struct casus_mscenario *s, casus_buf *b, casus_buf *tmp)
{
    casus_buf_printf(b, "  parameters (%u):\n", s->nparams);
    for (uint32_t i = 0; i < s->nparams; i++) {
        const struct casus_mparam *p = &s->params[i];
        casus_buf_printf(b, "    %s = %s", p->name, dist_string(tmp, &p->dist));
        if (p->unit)
            casus_buf_printf(b, " %s", p->unit);
        if (p->dist.family != CASUS_FAMILY_fixed) {
            casus_buf_puts(b, "  support [");
            num(b, p->dist.lo);
            casus_buf_puts(b, ", ");
            num(b, p->dist.hi);
            casus_buf_putc(b, ']');
        }
        casus_buf_putc(b, '\n');
        if (p->title)
            casus_buf_printf(b, "      %s\n", p->title);
        if (p->dist.evidence)
            text_evidence(p->dist.evidence, b);
        else if (p->dist.fit)
            text_fit(s, p, b);
        if (p->fact)
            casus_buf_printf(b, "      fact: %s%s%s%s\n", p->fact->title, p->fact->url ? " <" : "",
                             p->fact->url ? p->fact->url : "", p->fact->url ? ">" : "");
        else if (p->judgment)
            casus_buf_printf(b, "      judgment: %s\n", p->judgment);
    }
}

/* Each policy: what it sets, where it starts, what it switches. */
static void text_policies(const struct casus_mscenario *s, casus_buf *b, casus_buf *tmp)
{
    casus_buf_printf(b, "  policies (%u; differences are reported against the first):\n",
                     s->npolicies);
    for (uint32_t i = 0; i < s->npolicies; i++) {
        const struct casus_mpolicy *p = &s->policies[i];
        casus_buf_printf(b, "    %s: %s%s\n", p->name, p->title, i == 0 ? " (baseline)" : "");
        for (uint32_t k = 0; k < p->nsettings; k++) {
            casus_buf_printf(b, "      sets %s = %s\n", s->params[p->settings[k].param].name,
                             dist_string(tmp, &p->settings[k].dist));
            if (p->settings[k].dist.evidence)
                text_evidence(p->settings[k].dist.evidence, b);
        }
        if (s->nnodes && p->start != CASUS_GNODE_NONE &&
            (i == 0 || p->start != s->policies[0].start))
            casus_buf_printf(b, "      starts at %s\n", s->nodes[p->start].name);
        for (uint32_t k = 0; k < p->nswitches; k++) {
            const struct casus_mgnode *g = &s->nodes[p->switches[k].node];
            casus_buf_printf(b, "      switches %s.%s -> %s\n", g->name,
                             g->branches[p->switches[k].branch].label,
                             s->nodes[p->switches[k].target].name);
        }
    }
}

/* The game: node counts, actors, and the treaty tests and councils. */
static void text_game(const struct casus_mscenario *s, casus_buf *b)
{
    uint32_t count[5] = {0};
    for (uint32_t i = 0; i < s->nnodes; i++)
        count[s->nodes[i].kind]++;
    casus_buf_printf(b,
                     "  game: %u nodes (%u decisions, %u chance, %u treaty tests, %u councils, "
                     "%u outcomes); payoffs on [%g, %g]; actors",
                     s->nnodes, count[CASUS_GNODE_DECIDE], count[CASUS_GNODE_CHANCE],
                     count[CASUS_GNODE_IF], count[CASUS_GNODE_COUNCIL], count[CASUS_GNODE_OUTCOME],
                     s->scale_lo, s->scale_hi);
    for (uint32_t i = 0; i < s->nactors; i++)
        casus_buf_printf(b, " %s", s->actor_codes[i]);
    casus_buf_puts(b, "\n");
    static const char *const cov[] = {"not covered", "covered", "contested"};
    for (uint32_t i = 0; i < s->nnodes; i++) {
        const struct casus_mgnode *g = &s->nodes[i];
        if (g->kind == CASUS_GNODE_IF) {
            const struct casus_mcovered *c = &g->covered;
            casus_buf_printf(b, "    %s: %s Art. %s, %s %s", g->name, c->treaty, c->article,
                             c->victim, c->object);
            if (c->has_point)
                casus_buf_printf(b, " at %g, %g", c->lat, c->lon);
            else
                casus_buf_printf(b, " at %s", c->place);
            casus_buf_printf(b, " -> %s (%s)\n", cov[c->coverage], c->reason ? c->reason : "");
            if (c->hinges)
                casus_buf_printf(b, "      %s\n", c->hinges);
        } else if (g->kind == CASUS_GNODE_COUNCIL) {
            casus_buf_printf(b, "    %s: %s.%s, %s by %s, %u members in %u groups:", g->name,
                             g->treaty->id, g->council->name, casus_vocab_mode.names[g->mode],
                             casus_vocab_rule.names[g->rule], g->nmembers, g->ngroups);
            for (uint32_t k = 0; k < g->ngroups; k++)
                casus_buf_printf(b, " %s (%u)", g->groups[k].name, g->groups[k].nmembers);
            casus_buf_puts(b, "\n");
        }
    }
}

static void text(const struct casus_mscenario *s, casus_buf *b, casus_buf *tmp)
{
    char date[11];
    casus_date_format(s->date, date);
    casus_buf_printf(b, "scenario %s: %s\n  date: %s\n", s->name, s->title, date);
    if (s->cite)
        casus_buf_printf(b, "  source: %s\n", s->cite->title);
    if (s->ladder)
        text_ladder(s->ladder, b);
    text_params(s, b, tmp);
    text_policies(s, b, tmp);
    if (s->nnodes)
        text_game(s, b);
}

static void jnum(casus_buf *b, double v)
{
    if (isinf(v))
        casus_buf_json_str(b, v < 0 ? "-inf" : "inf");
    else
        casus_buf_json_num(b, v);
}

/* "evidence": {…} or "fit": {…} of a derived parameter. */
static void json_derived(const struct casus_mdist *d, casus_buf *b)
{
    if (d->evidence) {
        const struct casus_mevidence *v = d->evidence;
        casus_buf_puts(b, ",\"evidence\":{\"dataset\":");
        casus_buf_json_str(b, v->dataset);
        casus_buf_puts(b, ",\"where\":");
        casus_buf_json_str(b, v->where);
        casus_buf_puts(b, ",\"outcome\":");
        casus_buf_json_str(b, v->outcome);
        casus_buf_puts(b, ",\"missing\":");
        casus_buf_json_str(b, v->missing);
        casus_buf_printf(b, ",\"rows\":%u,\"n\":%u,\"k\":%u,\"dropped\":%u,\"rate\":", v->rows,
                         v->n, v->k, v->dropped);
        casus_buf_json_num(b, v->rate);
        casus_buf_puts(b, ",\"interval\":[");
        casus_buf_json_num(b, v->lo);
        casus_buf_putc(b, ',');
        casus_buf_json_num(b, v->hi);
        casus_buf_puts(b, "],\"citation\":");
        casus_buf_json_str(b, v->citation);
        casus_buf_putc(b, '}');
    } else if (d->fit) {
        casus_buf_puts(b, ",\"fit\":{\"name\":");
        casus_buf_json_str(b, d->fit->name);
        casus_buf_puts(b, ",\"model\":");
        casus_buf_json_str(b, d->fit->model);
        casus_buf_puts(b, ",\"formula\":");
        casus_buf_json_str(b, d->fit->formula);
        casus_buf_puts(b, ",\"coefficient\":");
        casus_buf_json_str(b, d->fit_coef);
        casus_buf_puts(b, ",\"estimate\":");
        casus_buf_json_num(b, d->arg[0]);
        casus_buf_puts(b, ",\"se\":");
        casus_buf_json_num(b, d->family == CASUS_FAMILY_fixed ? NAN : d->arg[1]);
        casus_buf_puts(b, ",\"nobs\":");
        casus_buf_json_num(b, d->fit->nobs);
        casus_buf_puts(b, ",\"loglik\":");
        casus_buf_json_num(b, d->fit->loglik);
        casus_buf_putc(b, '}');
    }
}

static void json(const struct casus_mscenario *s, casus_buf *b, casus_buf *tmp)
{
    char date[11];
    casus_date_format(s->date, date);
    casus_buf_puts(b, "{\"scenario\":");
    casus_buf_json_str(b, s->name);
    casus_buf_puts(b, ",\"title\":");
    casus_buf_json_str(b, s->title);
    casus_buf_puts(b, ",\"date\":");
    casus_buf_json_str(b, date);
    casus_buf_puts(b, ",\"ladder\":");
    casus_buf_json_str(b, s->ladder ? s->ladder->name : NULL);
    casus_buf_puts(b, ",\"parameters\":[");
    for (uint32_t i = 0; i < s->nparams; i++) {
        const struct casus_mparam *p = &s->params[i];
        casus_buf_puts(b, i ? ",{\"name\":" : "{\"name\":");
        casus_buf_json_str(b, p->name);
        casus_buf_puts(b, ",\"distribution\":");
        casus_buf_json_str(b, dist_string(tmp, &p->dist));
        casus_buf_puts(b, ",\"lo\":");
        jnum(b, p->dist.lo);
        casus_buf_puts(b, ",\"hi\":");
        jnum(b, p->dist.hi);
        casus_buf_puts(b, ",\"label\":");
        casus_buf_json_str(b, p->dist.evidence ? "evidence"
                              : p->dist.fit    ? "fit"
                              : p->fact        ? "fact"
                                               : "judgment");
        casus_buf_puts(b, ",\"source\":");
        casus_buf_json_str(b, p->fact ? p->fact->id : NULL);
        casus_buf_puts(b, ",\"rationale\":");
        casus_buf_json_str(b, p->judgment);
        json_derived(&p->dist, b);
        casus_buf_putc(b, '}');
    }
    casus_buf_puts(b, "],\"policies\":[");
    for (uint32_t i = 0; i < s->npolicies; i++) {
        const struct casus_mpolicy *p = &s->policies[i];
        casus_buf_puts(b, i ? ",{\"name\":" : "{\"name\":");
        casus_buf_json_str(b, p->name);
        casus_buf_printf(b, ",\"baseline\":%s,\"sets\":{", i == 0 ? "true" : "false");
        for (uint32_t k = 0; k < p->nsettings; k++) {
            if (k)
                casus_buf_putc(b, ',');
            casus_buf_json_str(b, s->params[p->settings[k].param].name);
            casus_buf_putc(b, ':');
            casus_buf_json_str(b, dist_string(tmp, &p->settings[k].dist));
        }
        casus_buf_puts(b, "}}");
    }
    casus_buf_puts(b, "]}");
}

casus_status casus_scenario_describe(const casus_engine *e, const char *name, bool as_json,
                                     casus_buf *out)
{
    int32_t k = name ? casus_symtab_get(&e->scenario_ix, name, strlen(name)) : -1;
    if (k < 0)
        return CASUS_ENOTFOUND;
    casus_buf tmp = CASUS_BUF_INIT;
    if (as_json)
        json(e->scenarios[k], out, &tmp);
    else
        text(e->scenarios[k], out, &tmp);
    bool failed = tmp.failed;
    casus_buf_release(&tmp);
    return failed ? CASUS_ENOMEM : casus_buf_status(out);
}
