/*
 * run_report.c — a run's results for people (text with two significant
 * figures), for programs (JSON with the manifest, schema in docs/run.md)
 * and for spreadsheets (CSV of the summaries, and of every draw).
 */
#include "base/buf.h"
#include "model/sample.h"
#include "scenario/run_state.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* Two significant figures, the way a reader should see a risk estimate:
 * 0.012, 0.5, 3.4, 72, 100; 3.3e-11 below 1e-4. */
static void sig2(casus_buf *b, double x)
{
    double ax = fabs(x);
    if (x == 0 || !isfinite(x))
        casus_buf_printf(b, "%g", x);
    else if (ax < 1e-4 || ax >= 1e6)
        casus_buf_printf(b, "%.1e", x);
    else if (ax >= 10)
        casus_buf_printf(b, "%.0f", x);
    else
        casus_buf_printf(b, "%.2g", x);
}

static void pad_sig2(casus_buf *b, double x, int width)
{
    size_t before = b->len;
    sig2(b, x);
    int k = (int)(b->len - before);
    do
        casus_buf_puts(b, " ");
    while (++k < width);
}

/* A table row's cells: mean, 5/50/95 %, then the s.e. when se is set. */
static void stat_cells(casus_buf *out, const struct casus_mc_summary *m, bool se)
{
    pad_sig2(out, m->mean, 8);
    pad_sig2(out, m->q05, 8);
    pad_sig2(out, m->q50, 8);
    if (se) {
        pad_sig2(out, m->q95, 8);
        sig2(out, m->se);
    } else
        sig2(out, m->q95);
    casus_buf_puts(out, "\n");
}

struct ranked {
    double key;
    uint32_t i;
};
static int by_key_desc(const void *x, const void *y)
{
    const struct ranked *a = x, *b = y;
    if (a->key != b->key)
        return a->key < b->key ? 1 : -1;
    return a->i < b->i ? -1 : a->i > b->i;
}

static void write_paths(const casus_run *r, uint32_t p, uint32_t t, casus_buf *out, int top,
                        bool json)
{
    const struct casus_scen *sc = &r->sc[p];
    const struct casus_mladder *lad = r->s->ladder;
    struct ranked *rk = malloc((sc->nleaves + 1) * sizeof *rk);
    if (!rk)
        return;
    uint32_t n = 0;
    double total = 0;
    for (uint32_t l = 0; l < sc->nleaves; l++) {
        if (lad->rungs[sc->leaf_rung[l]].number <= lad->thresholds[t].after)
            continue;
        double m = r->leaf_mean[r->leaf_off[p] + l];
        total += m;
        if (m > 0)
            rk[n++] = (struct ranked){m, l};
    }
    qsort(rk, n, sizeof *rk, by_key_desc);
    char path[1024];
    for (uint32_t k = 0; k < n && (top < 0 || k < (uint32_t)top); k++) {
        casus_scen_path(sc, sc->leaf[rk[k].i], path, sizeof path);
        if (json) {
            casus_buf_printf(out, "%s{\"path\":", k ? "," : "");
            casus_buf_json_string(out, path);
            casus_buf_printf(out, ",\"probability\":%.17g,\"share\":%.17g}", rk[k].key,
                             total > 0 ? rk[k].key / total : 0);
        } else {
            casus_buf_puts(out, "      ");
            pad_sig2(out, total > 0 ? 100 * rk[k].key / total : 0, 3);
            casus_buf_puts(out, "%  ");
            casus_buf_puts(out, path);
            casus_buf_puts(out, "\n");
        }
    }
    free(rk);
}

/* The run's heading: scenario, draws, seed and how the game is solved. */
static void text_heading(const casus_run *r, casus_buf *out)
{
    const struct casus_mscenario *s = r->s;
    casus_buf_printf(out, "Scenario %s — %s\n", s->name, s->title);
    casus_buf_printf(out, "%llu draws per policy, seed %llu, common random numbers; ",
                     (unsigned long long)r->N, (unsigned long long)r->o.seed);
    if (isnan(r->o.lambda))
        casus_buf_puts(out, "logit agent QRE at the scenario's λ per draw\n");
    else if (isinf(r->o.lambda))
        casus_buf_puts(out, "λ → ∞ (subgame-perfect play)\n");
    else
        casus_buf_printf(out, "logit agent QRE at λ = %g\n", r->o.lambda);
    casus_buf_puts(out, "Probabilities are per play of the game (one mission-year); "
                        "mean, then 5/50/95 % across draws, then the Monte Carlo s.e.\n");
}

/* The treaty engine's verdicts that the game branches on (if nodes some
 * policy's tree uses). */
static void text_verdicts(const casus_run *r, casus_buf *out)
{
    static const char *const cov[] = {"not covered", "covered", "contested"};
    const struct casus_mscenario *s = r->s;
    bool any_if = false;
    for (uint32_t g = 0; g < s->nnodes; g++) {
        const struct casus_mgnode *gn = &s->nodes[g];
        if (gn->kind != CASUS_GNODE_IF)
            continue;
        bool used = false;
        for (uint32_t p = 0; p < r->npol && !used; p++)
            used = r->sc[p].if_used && r->sc[p].if_used[g];
        if (!used)
            continue;
        if (!any_if) {
            char d[11];
            casus_date_format(s->date, d);
            casus_buf_printf(out,
                             "\nTreaty verdicts the game branches on (on %s, from the "
                             "treaty files):\n",
                             d);
        }
        any_if = true;
        const struct casus_mcovered *c = &gn->covered;
        casus_buf_printf(out, "  %s: an attack by %s on %s %s", gn->name, c->attacker, c->victim,
                         c->object);
        if (c->has_point)
            casus_buf_printf(out, " at %g, %g", c->lat, c->lon);
        else
            casus_buf_printf(out, " at %s", c->place);
        casus_buf_printf(out, " is %s by %s Art. %s (%s)\n", cov[c->coverage], c->treaty,
                         c->article, c->reason ? c->reason : "");
    }
}

/* One line per policy: the thresholds side by side. */
static void text_summary(const casus_run *r, casus_buf *out)
{
    const struct casus_mladder *lad = r->s->ladder;
    casus_buf_puts(out, "\nSummary: mean probability [5 %, 95 % across draws]\n  policy");
    size_t w0 = 6;
    for (uint32_t p = 0; p < r->npol; p++)
        if (strlen(casus_run_policy_name(r, p)) > w0)
            w0 = strlen(casus_run_policy_name(r, p));
    for (size_t k = 6; k < w0; k++)
        casus_buf_puts(out, " ");
    for (uint32_t t = 0; t < r->nthr; t++)
        casus_buf_printf(out, "  %-26s", lad->thresholds[t].name);
    casus_buf_puts(out, "\n");
    for (uint32_t p = 0; p < r->npol; p++) {
        casus_buf_printf(out, "  %-*s", (int)w0, casus_run_policy_name(r, p));
        for (uint32_t t = 0; t < r->nthr; t++) {
            const struct casus_mc_summary *m = &r->sum[(size_t)p * r->nq + r->nrung + t];
            size_t before = out->len;
            casus_buf_puts(out, "  ");
            sig2(out, m->mean);
            casus_buf_puts(out, " [");
            sig2(out, m->q05);
            casus_buf_puts(out, ", ");
            sig2(out, m->q95);
            casus_buf_puts(out, "]");
            for (size_t k = out->len - before; k < 28; k++)
                casus_buf_puts(out, " ");
        }
        casus_buf_puts(out, "\n");
    }
}

/* Policy p's thresholds and rungs (mean, quantiles, s.e.) and payoffs. */
static void text_policy_tables(const casus_run *r, uint32_t p, casus_buf *out)
{
    const struct casus_mscenario *s = r->s;
    const struct casus_mladder *lad = s->ladder;
    casus_buf_puts(out, "  threshold                      mean    5%      50%     95%     "
                        "s.e.\n");
    for (uint32_t t = 0; t < r->nthr; t++) {
        casus_buf_printf(out, "  %-30s ", lad->thresholds[t].name);
        stat_cells(out, &r->sum[(size_t)p * r->nq + r->nrung + t], true);
    }
    casus_buf_puts(out, "  rung                           mean    5%      50%     95%\n");
    for (uint32_t k = 0; k < r->nrung; k++) {
        casus_buf_printf(out, "  %2d %-27s ", lad->rungs[k].number, lad->rungs[k].name);
        stat_cells(out, &r->sum[(size_t)p * r->nq + k], false);
    }
    casus_buf_puts(out, "  expected payoff:");
    for (uint32_t i = 0; i < r->np; i++) {
        casus_buf_printf(out, " %s ", s->actor_codes[i]);
        sig2(out, r->sum[(size_t)p * r->nq + r->nrung + r->nthr + i].mean);
    }
    casus_buf_puts(out, "\n");
}

/* Policy p's councils: mean P(agree), parties acting, fixed points. */
static void text_councils(const casus_run *r, uint32_t p, casus_buf *out)
{
    const struct casus_scen *sc = &r->sc[p];
    for (uint32_t k = 0; k < sc->ncouncil; k++) {
        const struct casus_mgnode *g = &r->s->nodes[sc->council[k].gnode];
        const double *cm = &r->council_mean[(r->council_off[p] + k) * r->cstride];
        casus_buf_printf(out, "  council %s (%s, %u members, %s): mean P(agree) ", g->name,
                         casus_vocab_rule.names[g->rule], g->nmembers,
                         casus_vocab_mode.names[g->mode]);
        sig2(out, cm[0]);
        if (g->rule == CASUS_VOTE_each_party) {
            casus_buf_puts(out, ", parties acting: mean ");
            sig2(out, cm[1]);
            casus_buf_puts(out, "; P(k act)");
            for (uint32_t j = 0; j <= g->nmembers; j++)
                if (cm[3 + j] >= 0.005) {
                    casus_buf_printf(out, " %u: ", j);
                    sig2(out, cm[3 + j]);
                }
        }
        if (g->mode == CASUS_MODE_PIVOTAL)
            casus_buf_printf(out, "; %.0f draws had several fixed points", cm[2]);
        casus_buf_puts(out, "\n");
    }
}

/* What policy p's thresholds hinge on: the four largest |Spearman ρ|. */
static void text_hinges(const casus_run *r, uint32_t p, casus_buf *out)
{
    const struct casus_mscenario *s = r->s;
    for (uint32_t t = 0; t < r->nthr; t++) {
        struct ranked rk[64];
        uint32_t n = 0;
        for (uint32_t i = 0; i < s->nparams && n < 64; i++) {
            double v = r->rho[((size_t)p * r->nthr + t) * s->nparams + i];
            if (v != 0)
                rk[n++] = (struct ranked){fabs(v), i};
        }
        if (!n)
            continue;
        qsort(rk, n, sizeof *rk, by_key_desc);
        casus_buf_printf(out, "  Spearman ρ with %s:", s->ladder->thresholds[t].name);
        for (uint32_t k = 0; k < n && k < 4; k++) {
            casus_buf_printf(out, "%s %s ", k ? "," : "", s->params[rk[k].i].name);
            sig2(out, r->rho[((size_t)p * r->nthr + t) * s->nparams + rk[k].i]);
        }
        casus_buf_puts(out, "\n");
    }
}

static void text_policy(const casus_run *r, uint32_t p, casus_buf *out)
{
    const struct casus_mpolicy *pol = &r->s->policies[r->pol[p]];
    casus_buf_printf(out, "\nPolicy %s%s — %s\n", pol->name, p == 0 ? " (baseline)" : "",
                     pol->title);
    text_policy_tables(r, p, out);
    text_councils(r, p, out);
    if (r->nfailed[p])
        casus_buf_printf(out, "  solver failures: %llu of %llu draws (excluded)\n",
                         (unsigned long long)r->nfailed[p], (unsigned long long)r->N);
    for (uint32_t t = 0; t < r->nthr; t++) {
        if (r->sum[(size_t)p * r->nq + r->nrung + t].mean <= 0)
            continue;
        casus_buf_printf(out, "  paths to %s (share of its probability):\n",
                         r->s->ladder->thresholds[t].name);
        write_paths(r, p, t, out, 3, false);
    }
    text_hinges(r, p, out);
}

/* Each policy's change from the baseline over paired draws. */
static void text_changes(const casus_run *r, casus_buf *out)
{
    if (r->npol < 2)
        return;
    casus_buf_printf(out,
                     "\nChange from the baseline (%s), over paired draws: mean ± s.e. "
                     "[5%%, 95%% of the per-draw change]; share of draws where it "
                     "rises\n",
                     casus_run_policy_name(r, 0));
    for (uint32_t p = 1; p < r->npol; p++) {
        casus_buf_printf(out, "  %s\n", casus_run_policy_name(r, p));
        for (uint32_t t = 0; t < r->nthr; t++) {
            const struct casus_mc_summary *m = &r->diff[(size_t)p * r->nq + r->nrung + t];
            casus_buf_printf(out, "    %-28s ", r->s->ladder->thresholds[t].name);
            casus_buf_puts(out, m->mean >= 0 ? "+" : "");
            sig2(out, m->mean);
            casus_buf_puts(out, " ± ");
            sig2(out, m->se);
            casus_buf_puts(out, " [");
            sig2(out, m->q05);
            casus_buf_puts(out, ", ");
            sig2(out, m->q95);
            casus_buf_printf(out, "]; rises in %.0f%%\n", 100 * m->frac_pos);
        }
    }
}

casus_status casus_run_write_text(const casus_run *r, casus_buf *out)
{
    text_heading(r, out);
    text_verdicts(r, out);
    text_summary(r, out);
    for (uint32_t p = 0; p < r->npol; p++)
        text_policy(r, p, out);
    text_changes(r, out);
    return out->failed ? CASUS_ENOMEM : CASUS_OK;
}

/* The fields of a summary, without braces. */
static void json_summary(casus_buf *out, const struct casus_mc_summary *m)
{
    casus_buf_printf(out,
                     "\"mean\":%.17g,\"se\":%.17g,\"sd\":%.17g,\"q05\":%.17g,\"q50\":%.17g,"
                     "\"q95\":%.17g,\"min\":%.17g,\"max\":%.17g",
                     m->mean, m->se, m->sd, m->q05, m->q50, m->q95, m->min, m->max);
}

/* The manifest: what produced these numbers. */
static void json_manifest(const casus_run *r, casus_buf *out)
{
    casus_buf_puts(out, "\"manifest\":{\"casus_version\":\"" CASUS_VERSION "\",\"scenario\":");
    casus_buf_json_string(out, r->s->name);
    casus_buf_printf(out, ",\"scenario_hash\":\"fnv1a64:%s\",\"seed\":%llu,\"draws\":%llu,",
                     r->hash, (unsigned long long)r->o.seed, (unsigned long long)r->N);
    casus_buf_puts(out, "\"policies\":[");
    for (uint32_t p = 0; p < r->npol; p++) {
        casus_buf_puts(out, p ? "," : "");
        casus_buf_json_string(out, casus_run_policy_name(r, p));
    }
    casus_buf_puts(out, "],\"solver\":{");
    if (isinf(r->o.lambda))
        casus_buf_puts(out, "\"method\":\"backward-induction\",\"lambda\":\"inf\"");
    else if (isnan(r->o.lambda))
        casus_buf_puts(out, "\"method\":\"logit-agent-qre\",\"lambda\":\"scenario\"");
    else
        casus_buf_printf(out, "\"method\":\"logit-agent-qre\",\"lambda\":%.17g", r->o.lambda);
    bool isets = false;
    for (uint32_t p = 0; p < r->npol; p++)
        isets |= r->sc[p].info_sets;
    casus_buf_puts(out, isets ? ",\"pass\":\"agent QRE traced from lambda = 0 per draw "
                                "(information sets)\""
                              : ",\"pass\":\"one backward pass per draw\"");
    casus_buf_puts(out, "},\"rng\":\"philox4x32-10 keyed by (seed, draw, hash of parameter "
                        "name)\",\"failures\":{");
    for (uint32_t p = 0; p < r->npol; p++) {
        casus_buf_puts(out, p ? "," : "");
        casus_buf_json_string(out, casus_run_policy_name(r, p));
        casus_buf_printf(out, ":%llu", (unsigned long long)r->nfailed[p]);
    }
    casus_buf_puts(out, "}}");
}

/* Policy p's threshold t: summary, change, Spearman ρ, paths. */
static void json_threshold(const casus_run *r, uint32_t p, uint32_t t, casus_buf *out)
{
    const struct casus_mscenario *s = r->s;
    const size_t q = (size_t)p * r->nq + r->nrung + t;
    casus_buf_puts(out, "{\"name\":");
    casus_buf_json_string(out, s->ladder->thresholds[t].name);
    casus_buf_puts(out, ",");
    json_summary(out, &r->sum[q]);
    if (p > 0) {
        casus_buf_puts(out, ",\"diff\":{");
        json_summary(out, &r->diff[q]);
        casus_buf_printf(out, ",\"frac_pos\":%.17g,\"frac_neg\":%.17g}", r->diff[q].frac_pos,
                         r->diff[q].frac_neg);
    }
    casus_buf_puts(out, ",\"spearman\":{");
    bool first = true;
    for (uint32_t i = 0; i < s->nparams; i++) {
        double v = r->rho[((size_t)p * r->nthr + t) * s->nparams + i];
        if (casus_sample_dist(s, r->pol[p], i)->family == CASUS_FAMILY_fixed)
            continue;
        casus_buf_puts(out, first ? "" : ",");
        first = false;
        casus_buf_json_string(out, s->params[i].name);
        casus_buf_printf(out, ":%.17g", v);
    }
    casus_buf_puts(out, "},\"paths\":[");
    write_paths(r, p, t, out, -1, true);
    casus_buf_puts(out, "]}");
}

/* Policy p's rungs and payoffs. */
static void json_rungs_payoffs(const casus_run *r, uint32_t p, casus_buf *out)
{
    const struct casus_mladder *lad = r->s->ladder;
    casus_buf_puts(out, "],\"rungs\":[");
    for (uint32_t k = 0; k < r->nrung; k++) {
        casus_buf_puts(out, k ? "," : "");
        casus_buf_puts(out, "{\"name\":");
        casus_buf_json_string(out, lad->rungs[k].name);
        casus_buf_printf(out, ",\"number\":%d,\"kahn\":%d,", lad->rungs[k].number,
                         lad->rungs[k].kahn);
        json_summary(out, &r->sum[(size_t)p * r->nq + k]);
        if (p > 0) {
            casus_buf_puts(out, ",\"diff\":{");
            json_summary(out, &r->diff[(size_t)p * r->nq + k]);
            casus_buf_puts(out, "}");
        }
        casus_buf_puts(out, "}");
    }
    casus_buf_puts(out, "],\"payoffs\":{");
    for (uint32_t i = 0; i < r->np; i++) {
        casus_buf_puts(out, i ? "," : "");
        casus_buf_json_string(out, r->s->actor_codes[i]);
        casus_buf_puts(out, ":{");
        json_summary(out, &r->sum[(size_t)p * r->nq + r->nrung + r->nthr + i]);
        casus_buf_puts(out, "}");
    }
}

/* Policy p's councils. */
static void json_councils(const casus_run *r, uint32_t p, casus_buf *out)
{
    const struct casus_scen *sc = &r->sc[p];
    casus_buf_puts(out, "},\"councils\":[");
    for (uint32_t k = 0; k < sc->ncouncil; k++) {
        const struct casus_mgnode *g = &r->s->nodes[sc->council[k].gnode];
        const double *cm = &r->council_mean[(r->council_off[p] + k) * r->cstride];
        casus_buf_puts(out, k ? "," : "");
        casus_buf_puts(out, "{\"node\":");
        casus_buf_json_string(out, g->name);
        casus_buf_printf(out,
                         ",\"rule\":\"%s\",\"mode\":\"%s\",\"members\":%u,\"agree\":%.17g,"
                         "\"acting\":%.17g,\"draws_with_several_fixed_points\":%.0f}",
                         casus_vocab_rule.names[g->rule], casus_vocab_mode.names[g->mode],
                         g->nmembers, cm[0], cm[1], cm[2]);
        if (g->rule == CASUS_VOTE_each_party) {
            out->len--; /* before the closing brace */
            casus_buf_puts(out, ",\"acting_distribution\":[");
            for (uint32_t j = 0; j <= g->nmembers; j++)
                casus_buf_printf(out, "%s%.17g", j ? "," : "", cm[3 + j]);
            casus_buf_puts(out, "]}");
        }
    }
    casus_buf_puts(out, "]");
}

casus_status casus_run_write_json(const casus_run *r, casus_buf *out)
{
    casus_buf_puts(out, "{");
    json_manifest(r, out);
    casus_buf_puts(out, ",\"ladder\":");
    casus_buf_json_string(out, r->s->ladder->name);
    casus_buf_puts(out, ",\"policies\":[");
    for (uint32_t p = 0; p < r->npol; p++) {
        const struct casus_mpolicy *pol = &r->s->policies[r->pol[p]];
        casus_buf_puts(out, p ? "," : "");
        casus_buf_puts(out, "{\"name\":");
        casus_buf_json_string(out, pol->name);
        casus_buf_puts(out, ",\"title\":");
        casus_buf_json_string(out, pol->title);
        casus_buf_printf(out, ",\"baseline\":%s,\"draws_ok\":%llu,\"thresholds\":[",
                         p == 0 ? "true" : "false", (unsigned long long)r->nok[p]);
        for (uint32_t t = 0; t < r->nthr; t++) {
            casus_buf_puts(out, t ? "," : "");
            json_threshold(r, p, t, out);
        }
        json_rungs_payoffs(r, p, out);
        json_councils(r, p, out);
        casus_buf_puts(out, "}");
    }
    casus_buf_puts(out, "]}");
    return out->failed ? CASUS_ENOMEM : CASUS_OK;
}

casus_status casus_run_write_csv(const casus_run *r, casus_buf *out)
{
    const struct casus_mscenario *s = r->s;
    const struct casus_mladder *lad = s->ladder;
    casus_buf_puts(out, "policy,kind,name,mean,se,q05,q50,q95,diff_mean,diff_se,diff_q05,"
                        "diff_q95\n");
    for (uint32_t p = 0; p < r->npol; p++)
        for (uint32_t q = 0; q < r->nq; q++) {
            const char *kind = q < r->nrung             ? "rung"
                               : q < r->nrung + r->nthr ? "threshold"
                                                        : "payoff";
            const char *name = q < r->nrung             ? lad->rungs[q].name
                               : q < r->nrung + r->nthr ? lad->thresholds[q - r->nrung].name
                                                        : s->actor_codes[q - r->nrung - r->nthr];
            const struct casus_mc_summary *m = &r->sum[(size_t)p * r->nq + q];
            casus_buf_printf(out, "%s,%s,%s,%.17g,%.17g,%.17g,%.17g,%.17g",
                             casus_run_policy_name(r, p), kind, name, m->mean, m->se, m->q05,
                             m->q50, m->q95);
            if (p > 0) {
                const struct casus_mc_summary *d = &r->diff[(size_t)p * r->nq + q];
                casus_buf_printf(out, ",%.17g,%.17g,%.17g,%.17g\n", d->mean, d->se, d->q05, d->q95);
            } else
                casus_buf_puts(out, ",,,,\n");
        }
    return out->failed ? CASUS_ENOMEM : CASUS_OK;
}

casus_status casus_run_write_draws(const casus_run *r, casus_buf *out)
{
    const struct casus_mscenario *s = r->s;
    const struct casus_mladder *lad = s->ladder;
    casus_buf_puts(out, "draw,policy,failed");
    for (uint32_t i = 0; i < s->nparams; i++)
        casus_buf_printf(out, ",%s", s->params[i].name);
    for (uint32_t t = 0; t < r->nthr; t++)
        casus_buf_printf(out, ",%s", lad->thresholds[t].name);
    for (uint32_t k = 0; k < r->nrung; k++)
        casus_buf_printf(out, ",rung:%s", lad->rungs[k].name);
    for (uint32_t i = 0; i < r->np; i++)
        casus_buf_printf(out, ",payoff:%s", s->actor_codes[i]);
    casus_buf_puts(out, "\n");
    for (uint64_t d = 0; d < r->N && !out->failed; d++)
        for (uint32_t p = 0; p < r->npol; p++) {
            casus_buf_printf(out, "%llu,%s,%d", (unsigned long long)d, casus_run_policy_name(r, p),
                             r->failed[(size_t)p * r->N + d]);
            for (uint32_t i = 0; i < s->nparams; i++) {
                const struct casus_mdist *di = casus_sample_dist(s, r->pol[p], i);
                double u = r->u[(size_t)i * r->N + d];
                casus_buf_printf(out, ",%.17g",
                                 di->family == CASUS_FAMILY_fixed ? di->arg[0]
                                                                  : casus_dist_quantile(&di->d, u));
            }
            const double *col = r->val + (size_t)p * r->nq * r->N + d;
            for (uint32_t t = 0; t < r->nthr; t++)
                casus_buf_printf(out, ",%.17g", col[(size_t)(r->nrung + t) * r->N]);
            for (uint32_t k = 0; k < r->nrung; k++)
                casus_buf_printf(out, ",%.17g", col[(size_t)k * r->N]);
            for (uint32_t i = 0; i < r->np; i++)
                casus_buf_printf(out, ",%.17g", col[(size_t)(r->nrung + r->nthr + i) * r->N]);
            casus_buf_puts(out, "\n");
        }
    return out->failed ? CASUS_ENOMEM : CASUS_OK;
}
