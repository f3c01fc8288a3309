/*
 * run.c — Monte Carlo over a scenario's parameters for every policy, with
 * common random numbers (casus/run.h): checking the options, compiling
 * each policy's tree, solving the draws in parallel, and reducing them.
 * The statistics are in run_stats.c, the reports in run_report.c.
 *
 * Work is cut into chunks of CHUNK draws, a fixed function of the draw
 * count; worker w of W takes chunks w, w + W, …  Every per-draw value is
 * written to its own slot, and every per-chunk sum (path probabilities,
 * council statistics) to its chunk's slot; the sums are then reduced in
 * chunk order.  So the output is bit-identical for any thread count.
 *
 * A draw evaluates each parameter's uniform once (Philox keyed by the
 * seed, the draw index and the hash of the parameter's name), maps it
 * through the parameter's distribution, and for each policy maps it again
 * through that policy's override, if any: policies see the same uniforms
 * (common random numbers), and a policy compared with itself differs by
 * exactly 0.  Spearman correlations use the ranks of those uniforms, which
 * are the ranks of the values for every continuous distribution (the
 * inverse CDF is increasing); discrete parameters are ranked by value.
 */
#include "base/par.h"
#include "base/rng.h"
#include "base/suggest.h"
#include "model/sample.h"
#include "scenario/run_state.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- the parallel part ---- */

/* A worker's scratch: one workspace per policy and the draw's vectors. */
struct worker {
    struct casus_scen_ws *ws; /* npol */
    double *base;             /* parameter values under their own distributions */
    double *pv;               /* the same under a policy's overrides */
    double *uu;               /* the draw's uniforms */
    double *outbuf;           /* rungs, thresholds, payoffs of one solve */
    double *gvraw;            /* the slots before any policy's overrides */
};

static bool worker_init(struct worker *k, struct casus_arena *a, const casus_run *r)
{
    const uint32_t P = r->s->nparams;
    k->ws = casus_arena_alloc(a, r->npol * sizeof *k->ws);
    k->base = casus_arena_alloc(a, (P + 1) * sizeof *k->base);
    k->pv = casus_arena_alloc(a, (P + 1) * sizeof *k->pv);
    k->uu = casus_arena_alloc(a, (P + 1) * sizeof *k->uu);
    k->outbuf = casus_arena_alloc(a, (r->nq + 1) * sizeof *k->outbuf);
    k->gvraw = casus_arena_alloc(a, (r->sc[0].nslots + 1) * sizeof *k->gvraw);
    bool ok = k->ws && k->base && k->pv && k->uu && k->outbuf && k->gvraw;
    for (uint32_t p = 0; ok && p < r->npol; p++)
        ok = casus_scen_ws_init(&k->ws[p], a, &r->sc[p]) == CASUS_OK;
    if (ok) /* the constant slots, which no draw rewrites */
        memcpy(k->gvraw, k->ws[0].gv, r->sc[0].nslots * sizeof *k->gvraw);
    return ok;
}

/* Draw d's uniforms and parameter values (stored in r->u for the ranks),
 * and the slots they give. */
static void draw_params(casus_run *r, struct worker *k, uint64_t d)
{
    const struct casus_mscenario *s = r->s;
    for (uint32_t i = 0; i < s->nparams; i++) {
        const struct casus_mdist *di = &s->params[i].dist;
        if (di->family == CASUS_FAMILY_fixed) {
            k->uu[i] = 0.5;
            k->base[i] = di->arg[0];
        } else {
            k->uu[i] = casus_sample_uniform(&s->params[i], r->o.seed, d);
            k->base[i] = casus_dist_quantile(&di->d, k->uu[i]);
        }
        r->u[(size_t)i * r->N + d] = k->uu[i];
    }
    casus_scen_slots(&r->sc[0], k->base, k->gvraw, false);
}

/* Policy p's slots for the draw: the shared ones, patched where the
 * policy overrides a parameter (same uniform, its own distribution). */
static void policy_slots(const casus_run *r, struct worker *k, uint32_t p)
{
    const struct casus_mpolicy *pol = &r->s->policies[r->pol[p]];
    memcpy(k->ws[p].gv, k->gvraw, r->sc[p].nslots * sizeof *k->gvraw);
    if (!pol->nsettings)
        return;
    memcpy(k->pv, k->base, r->s->nparams * sizeof *k->pv);
    for (uint32_t j = 0; j < pol->nsettings; j++) {
        const struct casus_msetting *st = &pol->settings[j];
        k->pv[st->param] = st->dist.family == CASUS_FAMILY_fixed
                               ? st->dist.arg[0]
                               : casus_dist_quantile(&st->dist.d, k->uu[st->param]);
    }
    casus_scen_slots(&r->sc[p], k->pv, k->ws[p].gv, true);
}

/* Add policy p's solved draw to its chunk's sums: the probability of
 * reaching each leaf and each council's statistics. */
static void accumulate(const casus_run *r, const struct casus_scen_ws *ws, uint32_t p, double *leaf,
                       double *cn)
{
    const struct casus_scen *sc = &r->sc[p];
    const struct casus_mscenario *s = r->s;
    double *lp = leaf + r->leaf_off[p];
    for (uint32_t l = 0; l < sc->nleaves; l++)
        lp[l] += ws->reach[sc->leaf[l]];
    const size_t cs = r->cstride;
    double *cp = cn + r->council_off[p] * cs;
    for (uint32_t k = 0; k < sc->ncouncil; k++) {
        const struct casus_mgnode *g = &s->nodes[sc->council[k].gnode];
        cp[cs * k] += ws->gv[sc->nslots + 2 * k];
        cp[cs * k + 1] += ws->resp[k];
        cp[cs * k + 2] += ws->nfix[k] > 1;
        if (g->rule != CASUS_VOTE_each_party)
            continue;
        const double *pmf = ws->pmf + (size_t)k * (sc->max_members + 1);
        for (uint32_t j = 0; j <= g->nmembers; j++)
            cp[cs * k + 3 + j] += pmf[j];
    }
}

/* Solve draw d under every policy.  false when a draw broke a rule of the
 * model (recorded in *cf if it is the chunk's first). */
static bool solve_draw(casus_run *r, struct worker *k, uint64_t d, double *leaf, double *cn,
                       struct chunk_fail *cf)
{
    draw_params(r, k, d);
    for (uint32_t p = 0; p < r->npol; p++) {
        policy_slots(r, k, p);
        struct casus_scen_out out = {k->outbuf, k->outbuf + r->nrung,
                                     k->outbuf + r->nrung + r->nthr};
        struct casus_scen_fail fl;
        casus_status st = casus_scen_solve(&r->sc[p], NULL, r->o.lambda, &k->ws[p], &out, &fl);
        double *col = r->val + (size_t)p * r->nq * r->N + d;
        if (st == CASUS_ENOCONV) { /* counted and excluded, never dropped silently */
            r->failed[(size_t)p * r->N + d] = 1;
            for (uint32_t q = 0; q < r->nq; q++)
                col[(size_t)q * r->N] = 0;
            continue;
        }
        if (st != CASUS_OK) {
            if (d < cf->draw)
                *cf = (struct chunk_fail){d, p, fl.gnode, fl.value};
            return false;
        }
        for (uint32_t q = 0; q < r->nq; q++)
            col[(size_t)q * r->N] = k->outbuf[q];
        accumulate(r, &k->ws[p], p, leaf, cn);
    }
    return true;
}

static void work(void *ctx, unsigned w, unsigned W)
{
    casus_run *r = ctx;
    struct casus_arena a;
    casus_arena_init(&a, &r->e->alloc);
    struct worker k;
    bool ok = worker_init(&k, &a, r);
    for (uint64_t c = r->c0 + w; c < r->c1; c += W) {
        struct chunk_fail *cf = &r->cfail[c];
        cf->draw = UINT64_MAX;
        if (!ok) { /* out of memory: every draw of the chunk fails */
            cf->draw = c * CHUNK;
            cf->gnode = CASUS_NONE - 1;
            continue;
        }
        double *leaf = r->chunk_leaf + c * r->leaf_off[r->npol];
        double *cn = r->chunk_council + c * r->council_off[r->npol] * r->cstride;
        uint64_t d1 = (c + 1) * CHUNK < r->N ? (c + 1) * CHUNK : r->N;
        for (uint64_t d = c * CHUNK; d < d1; d++)
            if (!solve_draw(r, &k, d, leaf, cn, cf))
                break;
    }
    casus_arena_release(&a);
}

/* Exchange the parts of a multi-process run (casus_run_opts.nparts > 1):
 * per-draw arrays by draw blocks, per-chunk sums and failures by chunk. */
static casus_status exchange(casus_run *r)
{
    const casus_run_opts *o = &r->o;
    const size_t Q = o->nparts, N = r->N, P = r->s->nparams;
    const size_t ntmp = N > 4 * r->nchunks ? N : 4 * r->nchunks;
    size_t *off = casus_mem_alloc(&r->e->alloc, 2 * Q * sizeof *off), *cnt = off ? off + Q : NULL;
    double *tmp = casus_mem_alloc(&r->e->alloc, ntmp * sizeof *tmp);
    casus_status st = off && tmp ? CASUS_OK : CASUS_ENOMEM;
    /* part q's chunks are [nchunks q / Q, nchunks (q + 1) / Q) */
    if (st == CASUS_OK) {
        for (size_t q = 0; q < Q; q++) {
            uint64_t d0 = r->nchunks * q / Q * CHUNK, d1 = r->nchunks * (q + 1) / Q * CHUNK;
            off[q] = d0 < N ? d0 : N;
            cnt[q] = (d1 < N ? d1 : N) - off[q];
        }
        for (size_t k = 0; k < (size_t)r->npol * r->nq && st == CASUS_OK; k++)
            st = o->gather(o->gather_ud, r->val + k * N, off, cnt, Q);
        for (size_t i = 0; i < P && st == CASUS_OK; i++)
            st = o->gather(o->gather_ud, r->u + i * N, off, cnt, Q);
        for (uint32_t p = 0; p < r->npol && st == CASUS_OK; p++) {
            uint8_t *f = r->failed + (size_t)p * N;
            for (size_t d = 0; d < N; d++)
                tmp[d] = f[d];
            st = o->gather(o->gather_ud, tmp, off, cnt, Q);
            for (size_t d = 0; d < N; d++)
                f[d] = tmp[d] != 0;
        }
    }
    /* per-chunk rows of `width` doubles */
    size_t widths[3] = {r->leaf_off[r->npol], r->council_off[r->npol] * r->cstride, 4};
    double *arrays[3] = {r->chunk_leaf, r->chunk_council, tmp};
    if (st == CASUS_OK)
        for (uint64_t c = r->c0; c < r->c1; c++) {
            const struct chunk_fail *f = &r->cfail[c];
            tmp[4 * c] = f->draw == UINT64_MAX ? -1.0 : (double)f->draw;
            tmp[4 * c + 1] = f->policy;
            tmp[4 * c + 2] = f->gnode == CASUS_NONE - 1 ? -2.0 : (double)f->gnode;
            tmp[4 * c + 3] = f->value;
        }
    for (int a = 0; a < 3 && st == CASUS_OK; a++) {
        if (widths[a] == 0)
            continue;
        for (size_t q = 0; q < Q; q++) {
            off[q] = r->nchunks * q / Q * widths[a];
            cnt[q] = (r->nchunks * (q + 1) / Q - r->nchunks * q / Q) * widths[a];
        }
        st = o->gather(o->gather_ud, arrays[a], off, cnt, Q);
    }
    for (uint64_t c = 0; c < r->nchunks && st == CASUS_OK; c++) {
        struct chunk_fail *f = &r->cfail[c];
        f->draw = tmp[4 * c] < 0 ? UINT64_MAX : (uint64_t)tmp[4 * c];
        f->policy = (uint32_t)tmp[4 * c + 1];
        f->gnode = tmp[4 * c + 2] == -2.0 ? CASUS_NONE - 1 : (uint32_t)tmp[4 * c + 2];
        f->value = tmp[4 * c + 3];
    }
    casus_mem_free(&r->e->alloc, off, 2 * Q * sizeof *off);
    casus_mem_free(&r->e->alloc, tmp, ntmp * sizeof *tmp);
    return st;
}

static uint64_t fnv1a(const char *s, size_t n)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= UINT64_C(0x100000001b3);
    }
    return h;
}

static const struct casus_mscenario *find_scenario(const casus_engine *e, const char *name)
{
    int32_t i = casus_symtab_get(&e->scenario_ix, name, strlen(name));
    return i >= 0 ? e->scenarios[i] : NULL;
}

/* The scenario the options name, checked for a run; NULL with *err set. */
static const struct casus_mscenario *check_options(const casus_engine *e, const casus_run_opts *o,
                                                   casus_error *err)
{
    if (!o || !o->scenario) {
        casus_error_set(err, CASUS_EINVAL, "no-scenario", CASUS_INPUT_SCENARIO,
                        "no scenario given");
        return NULL;
    }
    const struct casus_mscenario *s = find_scenario(e, o->scenario);
    if (!s) {
        struct casus_suggest sg;
        casus_suggest_begin(&sg, o->scenario, strlen(o->scenario));
        for (uint32_t i = 0; i < e->nscenarios; i++)
            casus_suggest_offer(&sg, e->scenarios[i]->name, e->scenarios[i]->name);
        const char *best = casus_suggest_best(&sg);
        casus_error_set(err, CASUS_ENOTFOUND, "unknown-scenario", CASUS_INPUT_SCENARIO,
                        "unknown scenario '%s'%s%s%s", o->scenario, best ? " (did you mean '" : "",
                        best ? best : "", best ? "'?)" : "");
    } else if (s->nnodes == 0)
        casus_error_set(err, CASUS_EINVAL, "no-game", CASUS_INPUT_SCENARIO,
                        "scenario '%s' declares no game (decide, chance, council, outcome)",
                        s->name);
    else if (!s->ladder)
        casus_error_set(err, CASUS_EINVAL, "no-ladder", CASUS_INPUT_SCENARIO,
                        "scenario '%s' has no ladder", s->name);
    else if (o->draws == 0 || o->draws > (UINT64_C(1) << 32))
        casus_error_set(err, CASUS_EINVAL, "bad-draws", CASUS_INPUT_OPTION,
                        "draws must be between 1 and 2^32");
    else if (!(isnan(o->lambda) || o->lambda >= 0))
        casus_error_set(err, CASUS_EINVAL, "bad-lambda", CASUS_INPUT_OPTION,
                        "lambda must be >= 0 (or inf)");
    else if (isnan(o->lambda) && !s->lambda)
        casus_error_set(err, CASUS_EINVAL, "no-lambda", CASUS_INPUT_OPTION,
                        "scenario '%s' has no lambda; give one", s->name);
    else
        return s;
    return NULL;
}

/* The run's policies: the baseline first, then the ones asked for (all
 * when none are named), in the scenario's order. */
static casus_status select_policies(casus_run *r, casus_error *err)
{
    const struct casus_mscenario *s = r->s;
    const casus_run_opts *o = &r->o;
    for (size_t j = 0; o->policies && j < o->npolicies; j++) {
        uint32_t k = 0;
        while (k < s->npolicies && strcmp(o->policies[j], s->policies[k].name) != 0)
            k++;
        if (k < s->npolicies)
            continue;
        const char *best = s->npolicies ? casus_suggest(o->policies[j], &s->policies[0].name,
                                                        s->npolicies, sizeof s->policies[0])
                                        : NULL;
        return casus_error_set(err, CASUS_ENOTFOUND, "unknown-policy", CASUS_INPUT_POLICY,
                               "scenario '%s' has no policy '%s'%s%s%s", s->name, o->policies[j],
                               best ? " (did you mean '" : "", best ? best : "", best ? "'?)" : "");
    }
    r->pol = casus_arena_alloc(&r->arena, (s->npolicies + 1) * sizeof *r->pol);
    if (!r->pol)
        return CASUS_ENOMEM;
    r->pol[r->npol++] = 0;
    for (uint32_t k = 1; k < s->npolicies; k++) {
        bool want = o->policies == NULL;
        for (size_t j = 0; j < o->npolicies && !want; j++)
            want = strcmp(o->policies[j], s->policies[k].name) == 0;
        if (want)
            r->pol[r->npol++] = k;
    }
    return CASUS_OK;
}

/* Each policy's tree, and the offsets of its leaves and councils in the
 * per-chunk sums. */
static casus_status compile_policies(casus_run *r, casus_error *err)
{
    const struct casus_mscenario *s = r->s;
    const uint32_t max_nodes = r->o.max_nodes ? r->o.max_nodes : 2000000u;
    r->nrung = s->ladder->nrungs;
    r->nthr = s->ladder->nthresholds;
    r->np = s->nactors;
    r->nq = r->nrung + r->nthr + r->np;
    r->sc = casus_arena_alloc(&r->arena, r->npol * sizeof *r->sc);
    r->leaf_off = casus_arena_alloc(&r->arena, (r->npol + 1) * sizeof *r->leaf_off);
    r->council_off = casus_arena_alloc(&r->arena, (r->npol + 1) * sizeof *r->council_off);
    r->nfailed = casus_arena_alloc(&r->arena, r->npol * sizeof *r->nfailed);
    r->nok = casus_arena_alloc(&r->arena, r->npol * sizeof *r->nok);
    if (!r->sc || !r->leaf_off || !r->council_off || !r->nfailed || !r->nok)
        return CASUS_ENOMEM;
    for (uint32_t p = 0; p < r->npol; p++) {
        casus_status st =
            casus_scen_compile(&r->sc[p], &r->e->alloc, s, r->pol[p], max_nodes, NULL);
        if (st == CASUS_ELIMIT)
            return casus_error_set(err, st, "game-too-large", CASUS_INPUT_POLICY,
                                   "the game of '%s' under policy '%s' expands to more than %u "
                                   "nodes",
                                   s->name, casus_run_policy_name(r, p), max_nodes);
        if (st != CASUS_OK)
            return st;
        r->leaf_off[p + 1] = r->leaf_off[p] + r->sc[p].nleaves;
        r->council_off[p + 1] = r->council_off[p] + r->sc[p].ncouncil;
        if (3 + (size_t)r->sc[p].max_members + 1 > r->cstride)
            r->cstride = 3 + (size_t)r->sc[p].max_members + 1;
    }
    return CASUS_OK;
}

/* The per-draw and per-chunk arrays. */
static casus_status alloc_draws(casus_run *r)
{
    const uint64_t N = r->N;
    const size_t nleaf = r->nchunks * r->leaf_off[r->npol];
    const size_t ncouncil = r->nchunks * r->council_off[r->npol] * r->cstride;
    r->val = casus_arena_alloc(&r->arena, (size_t)r->npol * r->nq * N * sizeof *r->val);
    r->u = casus_arena_alloc(&r->arena, ((size_t)r->s->nparams * N + 1) * sizeof *r->u);
    r->failed = casus_arena_alloc(&r->arena, (size_t)r->npol * N);
    r->chunk_leaf = casus_arena_alloc(&r->arena, (nleaf + 1) * sizeof *r->chunk_leaf);
    r->chunk_council = casus_arena_alloc(&r->arena, (ncouncil + 1) * sizeof *r->chunk_council);
    r->cfail = casus_arena_alloc(&r->arena, r->nchunks * sizeof *r->cfail);
    if (!r->val || !r->u || !r->failed || !r->chunk_leaf || !r->chunk_council || !r->cfail)
        return CASUS_ENOMEM;
    memset(r->chunk_leaf, 0, nleaf * sizeof *r->chunk_leaf);
    memset(r->chunk_council, 0, ncouncil * sizeof *r->chunk_council);
    memset(r->failed, 0, (size_t)r->npol * N);
    return CASUS_OK;
}

/* Solve this process's chunks on T threads, then exchange the parts of a
 * multi-process run. */
static casus_status run_draws(casus_run *r, unsigned T, casus_error *err)
{
    const casus_run_opts *o = &r->o;
    const unsigned Q = o->nparts ? o->nparts : 1;
    if (o->part >= Q || Q > 65536 || (Q > 1 && !o->gather))
        return casus_error_set(err, CASUS_EINVAL, "bad-partition", CASUS_INPUT_OPTION,
                               "bad process partition %u of %u", o->part, Q);
    r->c0 = r->nchunks * o->part / Q;
    r->c1 = r->nchunks * (o->part + 1) / Q;
    casus_par_run(T, work, r);
    if (Q == 1)
        return CASUS_OK;
    casus_status st = exchange(r);
    if (st != CASUS_OK)
        casus_error_set(err, st, "exchange-failed", CASUS_INPUT_NONE,
                        "exchanging the draws between processes failed");
    return st;
}

/* The first draw (by index) that broke a rule of the model stops the run:
 * say which draw, policy and node, and every parameter's value there. */
static casus_status explain_failure(const casus_run *r, casus_error *err)
{
    const struct chunk_fail *first = NULL;
    for (uint64_t c = 0; c < r->nchunks && !first; c++)
        if (r->cfail[c].draw != UINT64_MAX)
            first = &r->cfail[c];
    if (!first)
        return CASUS_OK;
    if (first->gnode == CASUS_NONE - 1)
        return CASUS_ENOMEM;
    const struct casus_mscenario *s = r->s;
    char vals[1024];
    size_t n = 0;
    vals[0] = '\0';
    for (uint32_t i = 0; i < s->nparams && n < sizeof vals - 64; i++) {
        const struct casus_mdist *di = casus_sample_dist(s, r->pol[first->policy], i);
        double u = r->u[(size_t)i * r->N + first->draw];
        double v = di->family == CASUS_FAMILY_fixed ? di->arg[0] : casus_dist_quantile(&di->d, u);
        n += (size_t)snprintf(vals + n, sizeof vals - n, "%s%s = %.17g", i ? ", " : "",
                              s->params[i].name, v);
    }
    const char *pol = casus_run_policy_name(r, first->policy);
    if (first->gnode == CASUS_GNODE_NONE)
        return casus_error_set(err, CASUS_EINVAL, "bad-draw", CASUS_INPUT_MODEL,
                               "draw %llu (policy '%s'): lambda is %g, not a precision >= 0; "
                               "parameters: %s",
                               (unsigned long long)first->draw, pol, first->value, vals);
    const struct casus_mgnode *g = &s->nodes[first->gnode];
    return casus_error_set(err, CASUS_EINVAL, "bad-draw", CASUS_INPUT_MODEL,
                           "draw %llu (policy '%s'): at node '%s' %s %.17g; parameters: %s",
                           (unsigned long long)first->draw, pol, g->name,
                           g->kind == CASUS_GNODE_OUTCOME ? "a payoff leaves the scale:"
                           : g->kind == CASUS_GNODE_CHANCE
                               ? "a branch probability (or their sum) is"
                               : "the value is",
                           first->value, vals);
}

/* Failure counts, and the per-chunk sums reduced in chunk order into means
 * over each policy's solved draws. */
static casus_status reduce(casus_run *r)
{
    const size_t nl = r->leaf_off[r->npol], ncs = r->council_off[r->npol] * r->cstride;
    r->leaf_mean = casus_arena_alloc(&r->arena, (nl + 1) * sizeof(double));
    r->council_mean = casus_arena_alloc(&r->arena, (ncs + 1) * sizeof(double));
    r->sum = casus_arena_alloc(&r->arena, (size_t)r->npol * r->nq * sizeof *r->sum);
    r->diff = casus_arena_alloc(&r->arena, (size_t)r->npol * r->nq * sizeof *r->diff);
    r->rho = casus_arena_alloc(&r->arena,
                               ((size_t)r->npol * r->nthr * r->s->nparams + 1) * sizeof *r->rho);
    if (!r->leaf_mean || !r->council_mean || !r->sum || !r->diff || !r->rho)
        return CASUS_ENOMEM;
    for (uint32_t p = 0; p < r->npol; p++) {
        uint64_t nf = 0;
        for (uint64_t d = 0; d < r->N; d++)
            nf += r->failed[(size_t)p * r->N + d];
        r->nfailed[p] = nf;
        r->nok[p] = r->N - nf;
    }
    for (size_t l = 0; l < nl; l++) {
        double acc = 0;
        for (uint64_t c = 0; c < r->nchunks; c++)
            acc += r->chunk_leaf[c * nl + l];
        r->leaf_mean[l] = acc;
    }
    for (size_t k = 0; k < ncs; k++) {
        double acc = 0;
        for (uint64_t c = 0; c < r->nchunks; c++)
            acc += r->chunk_council[c * ncs + k];
        r->council_mean[k] = acc;
    }
    for (uint32_t p = 0; p < r->npol; p++) {
        double nok = r->nok[p] ? (double)r->nok[p] : 1;
        for (size_t l = r->leaf_off[p]; l < r->leaf_off[p + 1]; l++)
            r->leaf_mean[l] /= nok;
        for (size_t k = r->council_off[p] * r->cstride; k < r->council_off[p + 1] * r->cstride; k++)
            if (k % r->cstride != 2) /* draws with several fixed points: a count */
                r->council_mean[k] /= nok;
    }
    return CASUS_OK;
}

casus_status casus_run_new(casus_engine *e, const casus_run_opts *o, casus_run **out,
                           casus_error *err)
{
    *out = NULL;
    casus_error local;
    if (!err)
        err = &local;
    casus_error_clear(err);
    const struct casus_mscenario *s = check_options(e, o, err);
    if (!s)
        return err->status;
    casus_run *r = casus_mem_alloc(&e->alloc, sizeof *r);
    if (!r)
        return CASUS_ENOMEM;
    memset(r, 0, sizeof *r);
    r->e = e;
    r->s = s;
    r->o = *o;
    r->N = o->draws;
    r->nchunks = (r->N + CHUNK - 1) / CHUNK;
    casus_arena_init(&r->arena, &e->alloc);
    unsigned T = o->threads ? o->threads : casus_par_ncpu();
    if (T > CASUS_PAR_MAX_THREADS)
        T = CASUS_PAR_MAX_THREADS;
    if (T > r->nchunks)
        T = (unsigned)r->nchunks;
    casus_status st;
    if ((st = select_policies(r, err)) != CASUS_OK || (st = compile_policies(r, err)) != CASUS_OK ||
        (st = alloc_draws(r)) != CASUS_OK || (st = run_draws(r, T, err)) != CASUS_OK ||
        (st = explain_failure(r, err)) != CASUS_OK || (st = reduce(r)) != CASUS_OK ||
        (st = casus_run_statistics(r, T)) != CASUS_OK) {
        casus_run_free(r);
        return st;
    }
    const struct casus_source *src = casus_diags_source(&e->diags, s->src);
    snprintf(r->hash, sizeof r->hash, "%016llx",
             (unsigned long long)(src ? fnv1a(src->text, src->len) : 0));
    *out = r;
    return CASUS_OK;
}

void casus_run_free(casus_run *r)
{
    if (!r)
        return;
    if (r->sc)
        for (uint32_t p = 0; p < r->npol; p++)
            casus_scen_release(&r->sc[p]);
    casus_engine *e = r->e;
    casus_arena_release(&r->arena);
    casus_mem_free(&e->alloc, r, sizeof *r);
}

size_t casus_run_policy_count(const casus_run *r)
{
    return r->npol;
}

static int find_threshold(const casus_run *r, const char *name)
{
    for (uint32_t t = 0; t < r->nthr; t++)
        if (strcmp(r->s->ladder->thresholds[t].name, name) == 0)
            return (int)t;
    return -1;
}

static void to_stat(const struct casus_mc_summary *m, casus_run_stat *out)
{
    out->mean = m->mean;
    out->se = m->se;
    out->q05 = m->q05;
    out->q50 = m->q50;
    out->q95 = m->q95;
}

casus_status casus_run_threshold(const casus_run *r, size_t policy, const char *name,
                                 casus_run_stat *out)
{
    int t = find_threshold(r, name);
    if (t < 0 || policy >= r->npol)
        return CASUS_ENOTFOUND;
    to_stat(&r->sum[policy * r->nq + r->nrung + (uint32_t)t], out);
    return CASUS_OK;
}

casus_status casus_run_threshold_diff(const casus_run *r, size_t policy, const char *name,
                                      casus_run_stat *out)
{
    int t = find_threshold(r, name);
    if (t < 0 || policy >= r->npol || policy == 0)
        return CASUS_ENOTFOUND;
    to_stat(&r->diff[policy * r->nq + r->nrung + (uint32_t)t], out);
    return CASUS_OK;
}
