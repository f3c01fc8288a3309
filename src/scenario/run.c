/*
 * run.c — Monte Carlo over a scenario's parameters for every policy, with
 * common random numbers (casus/run.h), and its reports.
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
#include "casus/run.h"

#include "game/efg.h"
#include "model/engine.h"
#include "game/game.h"
#include "uq/mcstat.h"
#include "base/par.h"
#include "base/rng.h"
#include "base/suggest.h"
#include "model/sample.h"
#include "scenario/scen.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

enum { CHUNK = 1024 };

struct chunk_fail {
    uint64_t draw; /* UINT64_MAX when none */
    uint32_t policy, gnode;
    double value;
};

struct casus_run {
    casus_engine *e;
    struct casus_arena arena;
    const struct casus_mscenario *s;
    casus_run_opts o;
    uint32_t npol;
    uint32_t *pol; /* scenario policy index of each run policy */
    struct casus_scen *sc;
    uint32_t nrung, nthr, np, nq; /* per policy: rungs, thresholds, payoffs */
    uint64_t N;
    double *val;       /* npol * nq * N */
    double *u;         /* nparams * N */
    uint8_t *failed;   /* npol * N: the solver failed on this draw */
    uint64_t *nfailed; /* npol */
    uint64_t nchunks;
    uint64_t c0, c1;          /* the chunks this process solves */
    double *chunk_leaf;       /* nchunks * leaf_total */
    size_t *leaf_off;         /* npol + 1 */
    double *chunk_council;    /* nchunks * council_total * cstride: agree, acting,
                                 several fixed points, then P(k parties act) */
    size_t cstride;           /* 3 + the largest council's members + 1 */
    size_t *council_off;      /* npol + 1 */
    struct chunk_fail *cfail; /* nchunks */
    /* results */
    struct casus_mc_summary *sum;  /* npol * nq */
    struct casus_mc_summary *diff; /* npol * nq (row 0 unused) */
    double *rho;                   /* npol * nthr * nparams */
    double *leaf_mean;             /* leaf_total */
    double *council_mean;          /* council_total * cstride */
    uint64_t *nok;                 /* npol */
    char hash[17];
    char *error;
};

/* ---- the parallel part ---- */

static void work(void *ctx, unsigned w, unsigned W)
{
    casus_run *r = ctx;
    const struct casus_mscenario *s = r->s;
    const uint32_t P = s->nparams;
    struct casus_arena a;
    casus_arena_init(&a, &r->e->alloc);
    struct casus_scen_ws *ws = casus_arena_alloc(&a, r->npol * sizeof *ws);
    double *base = casus_arena_alloc(&a, (P + 1) * sizeof *base);
    double *pv = casus_arena_alloc(&a, (P + 1) * sizeof *pv);
    double *uu = casus_arena_alloc(&a, (P + 1) * sizeof *uu);
    double *outbuf = casus_arena_alloc(&a, (r->nq + 1) * sizeof *outbuf);
    double *gvraw = casus_arena_alloc(&a, (r->sc[0].nslots + 1) * sizeof *gvraw);
    bool ok = ws && base && pv && uu && outbuf && gvraw;
    for (uint32_t p = 0; ok && p < r->npol; p++)
        ok = casus_scen_ws_init(&ws[p], &a, &r->sc[p]) == CASUS_OK;
    if (ok) /* the constant slots, which no draw rewrites */
        memcpy(gvraw, ws[0].gv, r->sc[0].nslots * sizeof *gvraw);
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
        for (uint64_t d = c * CHUNK; d < d1; d++) {
            for (uint32_t i = 0; i < P; i++) {
                const struct casus_mdist *di = &s->params[i].dist;
                if (di->family == CASUS_FAMILY_fixed) {
                    uu[i] = 0.5;
                    base[i] = di->arg[0];
                } else {
                    uu[i] = casus_rng_uniform(r->o.seed, s->params[i].stream, d);
                    base[i] = casus_dist_quantile(&di->d, uu[i]);
                }
                r->u[(size_t)i * r->N + d] = uu[i];
            }
            /* the slots once for the parameters' own distributions, then
               each policy patches those that read what it overrides */
            casus_scen_slots(&r->sc[0], base, gvraw, false);
            for (uint32_t p = 0; p < r->npol; p++) {
                const struct casus_mpolicy *pol = &s->policies[r->pol[p]];
                memcpy(ws[p].gv, gvraw, r->sc[p].nslots * sizeof *gvraw);
                if (pol->nsettings) {
                    memcpy(pv, base, P * sizeof *pv);
                    for (uint32_t k = 0; k < pol->nsettings; k++) {
                        const struct casus_msetting *st = &pol->settings[k];
                        pv[st->param] = st->dist.family == CASUS_FAMILY_fixed
                                            ? st->dist.arg[0]
                                            : casus_dist_quantile(&st->dist.d, uu[st->param]);
                    }
                    casus_scen_slots(&r->sc[p], pv, ws[p].gv, true);
                }
                struct casus_scen_out out = {outbuf, outbuf + r->nrung,
                                             outbuf + r->nrung + r->nthr};
                struct casus_scen_fail fl;
                casus_status st = casus_scen_solve(&r->sc[p], NULL, r->o.lambda, &ws[p], &out, &fl);
                double *col = r->val + (size_t)p * r->nq * r->N + d;
                if (st == CASUS_ENOCONV) {
                    r->failed[(size_t)p * r->N + d] = 1;
                    for (uint32_t q = 0; q < r->nq; q++)
                        col[(size_t)q * r->N] = 0;
                    continue;
                }
                if (st != CASUS_OK) {
                    if (d < cf->draw) {
                        cf->draw = d;
                        cf->policy = p;
                        cf->gnode = fl.gnode;
                        cf->value = fl.value;
                    }
                    break;
                }
                for (uint32_t q = 0; q < r->nq; q++)
                    col[(size_t)q * r->N] = outbuf[q];
                const struct casus_scen *sc = &r->sc[p];
                double *lp = leaf + r->leaf_off[p];
                for (uint32_t l = 0; l < sc->nleaves; l++)
                    lp[l] += ws[p].reach[sc->leaf[l]];
                const size_t cs = r->cstride;
                double *cp = cn + r->council_off[p] * cs;
                for (uint32_t k = 0; k < sc->ncouncil; k++) {
                    cp[cs * k] += ws[p].gv[sc->nslots + 2 * k];
                    cp[cs * k + 1] += ws[p].resp[k];
                    cp[cs * k + 2] += ws[p].nfix[k] > 1;
                    if (s->nodes[sc->council[k].gnode].rule != CASUS_VOTE_each_party)
                        continue;
                    const double *pmf = ws[p].pmf + (size_t)k * (sc->max_members + 1);
                    for (uint32_t j = 0; j <= s->nodes[sc->council[k].gnode].nmembers; j++)
                        cp[cs * k + 3 + j] += pmf[j];
                }
            }
            if (cf->draw != UINT64_MAX)
                break;
        }
    }
    casus_arena_release(&a);
}

/* ---- statistics ----
 *
 * Each summary and each correlation is a pure function of stored arrays,
 * so they run in parallel (work split by index, each worker with its own
 * scratch) without changing a bit. */

struct stats_job {
    casus_run *r;
    bool any_fail;
    double *yrank; /* npol * nthr * N: ranks of each threshold (fast path) */
    bool oom;
};

/* Copy the draws of column x that policy p solved (and the baseline too
 * when both) into dst; returns the count. */
static size_t ok_draws(const casus_run *r, uint32_t p, bool both, const double *x, double *dst)
{
    size_t n = 0;
    for (uint64_t d = 0; d < r->N; d++)
        if (!r->failed[(size_t)p * r->N + d] && !(both && r->failed[d]))
            dst[n++] = x[d];
    return n;
}

static void summary_worker(void *ctx, unsigned w, unsigned W)
{
    struct stats_job *j = ctx;
    casus_run *r = j->r;
    const uint64_t N = r->N;
    double *s1 = casus_mem_alloc(&r->e->alloc, N * sizeof *s1);
    double *s2 = casus_mem_alloc(&r->e->alloc, N * sizeof *s2);
    if (!s1 || !s2)
        j->oom = true;
    for (size_t item = w; s1 && s2 && item < (size_t)r->npol * r->nq; item += W) {
        uint32_t p = (uint32_t)(item / r->nq), q = (uint32_t)(item % r->nq);
        const double *x = r->val + ((size_t)p * r->nq + q) * N;
        size_t n = ok_draws(r, p, false, x, s1);
        if (n)
            casus_mc_summarise(s1, n, s1, &r->sum[item]);
        if (p == 0)
            continue;
        n = ok_draws(r, p, true, x, s1);
        ok_draws(r, p, true, r->val + q * N, s2);
        if (n)
            casus_mc_summarise_diff(s1, s2, n, s1, &r->diff[item]);
    }
    casus_mem_free(&r->e->alloc, s1, N * sizeof *s1);
    casus_mem_free(&r->e->alloc, s2, N * sizeof *s2);
}

/* Ranks of parameter i's values under policy p over the draws p solved. */
static size_t param_ranks(const casus_run *r, uint32_t p, uint32_t i, bool mask, double *tmp,
                          double *rank, uint32_t *perm)
{
    const struct casus_mdist *di = casus_sample_dist(r->s, r->pol[p], i);
    const double *u = r->u + (size_t)i * r->N;
    size_t n = 0;
    for (uint64_t d = 0; d < r->N; d++)
        if (!mask || !r->failed[(size_t)p * r->N + d])
            tmp[n++] =
                di->family == CASUS_FAMILY_discrete ? casus_dist_quantile(&di->d, u[d]) : u[d];
    casus_mc_ranks(tmp, n, rank, perm);
    return n;
}

/* Items: thresholds' ranks (npol * nthr), then parameters (P). */
static void rank_worker(void *ctx, unsigned w, unsigned W)
{
    struct stats_job *j = ctx;
    casus_run *r = j->r;
    const struct casus_mscenario *s = r->s;
    const uint64_t N = r->N;
    const uint32_t P = s->nparams, T = r->nthr;
    double *tmp = casus_mem_alloc(&r->e->alloc, N * sizeof *tmp);
    double *rx = casus_mem_alloc(&r->e->alloc, N * sizeof *rx);
    double *ry = casus_mem_alloc(&r->e->alloc, N * sizeof *ry);
    uint32_t *perm = casus_mem_alloc(&r->e->alloc, N * sizeof *perm);
    if (!tmp || !rx || !ry || !perm) {
        j->oom = true;
        goto out;
    }
    if (!j->any_fail) {
        /* Every draw counts everywhere: each parameter's ranks are computed
           once (shared by the policies unless one redraws it discretely). */
        for (uint32_t i = w; i < P; i += W) {
            bool done0 = false;
            for (uint32_t p = 0; p < r->npol; p++) {
                const struct casus_mdist *di = casus_sample_dist(s, r->pol[p], i);
                if (di->family == CASUS_FAMILY_fixed) {
                    for (uint32_t t = 0; t < T; t++)
                        r->rho[((size_t)p * T + t) * P + i] = 0;
                    continue;
                }
                if (!done0 || di->family == CASUS_FAMILY_discrete) {
                    param_ranks(r, p, i, false, tmp, rx, perm);
                    done0 = di->family != CASUS_FAMILY_discrete;
                }
                for (uint32_t t = 0; t < T; t++)
                    r->rho[((size_t)p * T + t) * P + i] =
                        casus_mc_rank_corr(rx, j->yrank + ((size_t)p * T + t) * N, N);
            }
        }
        goto out;
    }
    /* Some draws failed: each policy ranks over the draws it solved. */
    for (size_t item = w; item < (size_t)r->npol * T; item += W) {
        uint32_t p = (uint32_t)(item / T), t = (uint32_t)(item % T);
        size_t n = ok_draws(r, p, false, r->val + ((size_t)p * r->nq + r->nrung + t) * N, tmp);
        casus_mc_ranks(tmp, n, ry, perm);
        for (uint32_t i = 0; i < P; i++) {
            double *rho = &r->rho[((size_t)p * T + t) * P + i];
            *rho = 0;
            if (casus_sample_dist(s, r->pol[p], i)->family == CASUS_FAMILY_fixed)
                continue;
            n = param_ranks(r, p, i, true, tmp, rx, perm);
            *rho = casus_mc_rank_corr(rx, ry, n);
        }
    }
out:
    casus_mem_free(&r->e->alloc, tmp, N * sizeof *tmp);
    casus_mem_free(&r->e->alloc, rx, N * sizeof *rx);
    casus_mem_free(&r->e->alloc, ry, N * sizeof *ry);
    casus_mem_free(&r->e->alloc, perm, N * sizeof *perm);
}

/* The thresholds' ranks for the fast path. */
static void yrank_worker(void *ctx, unsigned w, unsigned W)
{
    struct stats_job *j = ctx;
    casus_run *r = j->r;
    const uint64_t N = r->N;
    uint32_t *perm = casus_mem_alloc(&r->e->alloc, N * sizeof *perm);
    if (!perm) {
        j->oom = true;
        return;
    }
    for (size_t item = w; item < (size_t)r->npol * r->nthr; item += W) {
        uint32_t p = (uint32_t)(item / r->nthr), t = (uint32_t)(item % r->nthr);
        casus_mc_ranks(r->val + ((size_t)p * r->nq + r->nrung + t) * N, N, j->yrank + item * N,
                       perm);
    }
    casus_mem_free(&r->e->alloc, perm, N * sizeof *perm);
}

static casus_status statistics(casus_run *r, unsigned T)
{
    struct stats_job j = {r, false, NULL, false};
    for (uint32_t p = 0; p < r->npol; p++)
        j.any_fail |= r->nfailed[p] > 0;
    casus_par_run(T, summary_worker, &j);
    size_t ny = (size_t)r->npol * r->nthr * r->N;
    if (!j.any_fail) {
        j.yrank = casus_mem_alloc(&r->e->alloc, (ny + 1) * sizeof *j.yrank);
        if (!j.yrank)
            return CASUS_ENOMEM;
        casus_par_run(T, yrank_worker, &j);
    }
    if (!j.oom)
        casus_par_run(T, rank_worker, &j);
    casus_mem_free(&r->e->alloc, j.yrank, (ny + 1) * sizeof *j.yrank);
    return j.oom ? CASUS_ENOMEM : CASUS_OK;
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

static casus_status fail_msg(casus_buf *error, casus_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static casus_status fail_msg(casus_buf *error, casus_status st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char buf[2048];
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (error)
        casus_buf_puts(error, buf);
    return st;
}

static const struct casus_mscenario *find_scenario(const casus_engine *e, const char *name)
{
    int32_t i = casus_symtab_get(&e->scenario_ix, name, strlen(name));
    return i >= 0 ? e->scenarios[i] : NULL;
}

casus_status casus_run_new(casus_engine *e, const casus_run_opts *o, casus_run **out,
                           casus_buf *error)
{
    *out = NULL;
    if (!o || !o->scenario)
        return fail_msg(error, CASUS_EINVAL, "no scenario given");
    const struct casus_mscenario *s = find_scenario(e, o->scenario);
    if (!s) {
        struct casus_suggest sg;
        casus_suggest_begin(&sg, o->scenario, strlen(o->scenario));
        for (uint32_t i = 0; i < e->nscenarios; i++)
            casus_suggest_offer(&sg, e->scenarios[i]->name, e->scenarios[i]->name);
        const char *best = casus_suggest_best(&sg);
        return fail_msg(error, CASUS_ENOTFOUND, "unknown scenario '%s'%s%s%s", o->scenario,
                        best ? " (did you mean '" : "", best ? best : "", best ? "'?)" : "");
    }
    if (s->nnodes == 0)
        return fail_msg(error, CASUS_EINVAL,
                        "scenario '%s' declares no game (decide, chance, council, outcome)",
                        s->name);
    if (!s->ladder)
        return fail_msg(error, CASUS_EINVAL, "scenario '%s' has no ladder", s->name);
    if (o->draws == 0 || o->draws > (UINT64_C(1) << 32))
        return fail_msg(error, CASUS_EINVAL, "draws must be between 1 and 2^32");
    if (!(isnan(o->lambda) || o->lambda >= 0))
        return fail_msg(error, CASUS_EINVAL, "lambda must be >= 0 (or inf)");
    if (isnan(o->lambda) && !s->lambda)
        return fail_msg(error, CASUS_EINVAL, "scenario '%s' has no lambda; give one", s->name);

    casus_run *r = casus_mem_alloc(&e->alloc, sizeof *r);
    if (!r)
        return CASUS_ENOMEM;
    memset(r, 0, sizeof *r);
    r->e = e;
    r->s = s;
    r->o = *o;
    r->N = o->draws;
    casus_arena_init(&r->arena, &e->alloc);
    casus_status st = CASUS_ENOMEM;

    /* the policies: the baseline first, then the ones asked for */
    r->pol = casus_arena_alloc(&r->arena, (s->npolicies + 1) * sizeof *r->pol);
    if (!r->pol)
        goto fail;
    r->pol[r->npol++] = 0;
    for (uint32_t k = 1; k < s->npolicies; k++) {
        bool want = o->policies == NULL;
        for (size_t j = 0; j < o->npolicies && !want; j++)
            want = strcmp(o->policies[j], s->policies[k].name) == 0;
        if (want)
            r->pol[r->npol++] = k;
    }
    for (size_t j = 0; o->policies && j < o->npolicies; j++) {
        uint32_t k = 0;
        while (k < s->npolicies && strcmp(o->policies[j], s->policies[k].name) != 0)
            k++;
        if (k == s->npolicies) {
            const char *best = s->npolicies ? casus_suggest(o->policies[j], &s->policies[0].name,
                                                            s->npolicies, sizeof s->policies[0])
                                            : NULL;
            st = fail_msg(error, CASUS_ENOTFOUND, "scenario '%s' has no policy '%s'%s%s%s", s->name,
                          o->policies[j], best ? " (did you mean '" : "", best ? best : "",
                          best ? "'?)" : "");
            goto fail;
        }
    }

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
        goto fail;
    for (uint32_t p = 0; p < r->npol; p++) {
        st = casus_scen_compile(&r->sc[p], &e->alloc, s, r->pol[p],
                                o->max_nodes ? o->max_nodes : 2000000u, NULL);
        if (st == CASUS_ELIMIT) {
            st = fail_msg(
                error, st, "the game of '%s' under policy '%s' expands to more than %u nodes",
                s->name, s->policies[r->pol[p]].name, o->max_nodes ? o->max_nodes : 2000000u);
            goto fail;
        }
        if (st != CASUS_OK)
            goto fail;
        r->leaf_off[p + 1] = r->leaf_off[p] + r->sc[p].nleaves;
        r->council_off[p + 1] = r->council_off[p] + r->sc[p].ncouncil;
        if (3 + (size_t)r->sc[p].max_members + 1 > r->cstride)
            r->cstride = 3 + (size_t)r->sc[p].max_members + 1;
    }

    const uint64_t N = r->N;
    r->nchunks = (N + CHUNK - 1) / CHUNK;
    st = CASUS_ENOMEM;
    r->val = casus_arena_alloc(&r->arena, (size_t)r->npol * r->nq * N * sizeof *r->val);
    r->u = casus_arena_alloc(&r->arena, ((size_t)s->nparams * N + 1) * sizeof *r->u);
    r->failed = casus_arena_alloc(&r->arena, (size_t)r->npol * N);
    r->chunk_leaf = casus_arena_alloc(&r->arena, (r->nchunks * r->leaf_off[r->npol] + 1) *
                                                     sizeof *r->chunk_leaf);
    r->chunk_council =
        casus_arena_alloc(&r->arena, (r->nchunks * r->council_off[r->npol] * r->cstride + 1) *
                                         sizeof *r->chunk_council);
    r->cfail = casus_arena_alloc(&r->arena, r->nchunks * sizeof *r->cfail);
    if (!r->val || !r->u || !r->failed || !r->chunk_leaf || !r->chunk_council || !r->cfail)
        goto fail;
    memset(r->chunk_leaf, 0, r->nchunks * r->leaf_off[r->npol] * sizeof *r->chunk_leaf);
    memset(r->chunk_council, 0,
           r->nchunks * r->council_off[r->npol] * r->cstride * sizeof *r->chunk_council);
    memset(r->failed, 0, (size_t)r->npol * N);

    unsigned T = o->threads ? o->threads : casus_par_ncpu();
    if (T > CASUS_PAR_MAX_THREADS)
        T = CASUS_PAR_MAX_THREADS;
    if (T > r->nchunks)
        T = (unsigned)r->nchunks;
    const unsigned Q = o->nparts ? o->nparts : 1;
    if (o->part >= Q || Q > 65536 || (Q > 1 && !o->gather)) {
        st = fail_msg(error, CASUS_EINVAL, "bad process partition %u of %u", o->part, Q);
        goto fail;
    }
    r->c0 = r->nchunks * o->part / Q;
    r->c1 = r->nchunks * (o->part + 1) / Q;
    casus_par_run(T, work, r);
    if (Q > 1) {
        st = exchange(r);
        if (st != CASUS_OK) {
            fail_msg(error, st, "exchanging the draws between processes failed");
            goto fail;
        }
    }

    /* the first draw (by index) that broke a rule stops the run */
    const struct chunk_fail *first = NULL;
    for (uint64_t c = 0; c < r->nchunks; c++)
        if (r->cfail[c].draw != UINT64_MAX) {
            first = &r->cfail[c];
            break;
        }
    if (first) {
        if (first->gnode == CASUS_NONE - 1) {
            st = CASUS_ENOMEM;
            goto fail;
        }
        char vals[1024];
        size_t n = 0;
        vals[0] = '\0';
        const struct casus_mpolicy *pol = &s->policies[r->pol[first->policy]];
        for (uint32_t i = 0; i < s->nparams && n < sizeof vals - 64; i++) {
            const struct casus_mdist *di = casus_sample_dist(s, r->pol[first->policy], i);
            double u = r->u[(size_t)i * N + first->draw];
            double v =
                di->family == CASUS_FAMILY_fixed ? di->arg[0] : casus_dist_quantile(&di->d, u);
            n += (size_t)snprintf(vals + n, sizeof vals - n, "%s%s = %.17g", i ? ", " : "",
                                  s->params[i].name, v);
        }
        if (first->gnode == CASUS_GNODE_NONE)
            st = fail_msg(error, CASUS_EINVAL,
                          "draw %llu (policy '%s'): lambda is %g, not a precision >= 0; "
                          "parameters: %s",
                          (unsigned long long)first->draw, pol->name, first->value, vals);
        else {
            const struct casus_mgnode *g = &s->nodes[first->gnode];
            st = fail_msg(error, CASUS_EINVAL,
                          "draw %llu (policy '%s'): at node '%s' %s %.17g; parameters: %s",
                          (unsigned long long)first->draw, pol->name, g->name,
                          g->kind == CASUS_GNODE_OUTCOME  ? "a payoff leaves the scale:"
                          : g->kind == CASUS_GNODE_CHANCE ? "a branch probability (or their sum) is"
                                                          : "the value is",
                          first->value, vals);
        }
        goto fail;
    }

    /* reduce in chunk order */
    st = CASUS_ENOMEM;
    r->leaf_mean = casus_arena_alloc(&r->arena, (r->leaf_off[r->npol] + 1) * sizeof(double));
    r->council_mean =
        casus_arena_alloc(&r->arena, (r->council_off[r->npol] * r->cstride + 1) * sizeof(double));
    r->sum = casus_arena_alloc(&r->arena, (size_t)r->npol * r->nq * sizeof *r->sum);
    r->diff = casus_arena_alloc(&r->arena, (size_t)r->npol * r->nq * sizeof *r->diff);
    r->rho =
        casus_arena_alloc(&r->arena, ((size_t)r->npol * r->nthr * s->nparams + 1) * sizeof *r->rho);
    if (!r->leaf_mean || !r->council_mean || !r->sum || !r->diff || !r->rho)
        goto fail;
    for (uint32_t p = 0; p < r->npol; p++) {
        uint64_t nf = 0;
        for (uint64_t d = 0; d < N; d++)
            nf += r->failed[(size_t)p * N + d];
        r->nfailed[p] = nf;
        r->nok[p] = N - nf;
    }
    for (size_t l = 0; l < r->leaf_off[r->npol]; l++) {
        double acc = 0;
        for (uint64_t c = 0; c < r->nchunks; c++)
            acc += r->chunk_leaf[c * r->leaf_off[r->npol] + l];
        r->leaf_mean[l] = acc;
    }
    for (size_t k = 0; k < r->council_off[r->npol] * r->cstride; k++) {
        double acc = 0;
        for (uint64_t c = 0; c < r->nchunks; c++)
            acc += r->chunk_council[c * r->council_off[r->npol] * r->cstride + k];
        r->council_mean[k] = acc;
    }
    for (uint32_t p = 0; p < r->npol; p++) {
        double nok = r->nok[p] ? (double)r->nok[p] : 1;
        for (size_t l = r->leaf_off[p]; l < r->leaf_off[p + 1]; l++)
            r->leaf_mean[l] /= nok;
        for (size_t k = r->council_off[p] * r->cstride; k < r->council_off[p + 1] * r->cstride; k++)
            if (k % r->cstride != 2)
                r->council_mean[k] /= nok;
    }
    st = statistics(r, T);
    if (st != CASUS_OK)
        goto fail;
    const struct casus_source *src = casus_diags_source(&e->diags, s->src);
    snprintf(r->hash, sizeof r->hash, "%016llx",
             (unsigned long long)(src ? fnv1a(src->text, src->len) : 0));
    *out = r;
    return CASUS_OK;
fail:
    casus_run_free(r);
    return st;
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

/* ---- reports ---- */

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

static const char *policy_name(const casus_run *r, uint32_t p)
{
    return r->s->policies[r->pol[p]].name;
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

casus_status casus_run_write_text(const casus_run *r, casus_buf *out)
{
    const struct casus_mscenario *s = r->s;
    const struct casus_mladder *lad = s->ladder;
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
    /* the treaty engine's verdicts the game branches on */
    static const char *const cov[] = {"not covered", "covered", "contested"};
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
    /* one line per policy: the thresholds side by side */
    casus_buf_puts(out, "\nSummary: mean probability [5 %, 95 % across draws]\n  policy");
    size_t w0 = 6;
    for (uint32_t p = 0; p < r->npol; p++)
        if (strlen(policy_name(r, p)) > w0)
            w0 = strlen(policy_name(r, p));
    for (size_t k = 6; k < w0; k++)
        casus_buf_puts(out, " ");
    for (uint32_t t = 0; t < r->nthr; t++)
        casus_buf_printf(out, "  %-26s", lad->thresholds[t].name);
    casus_buf_puts(out, "\n");
    for (uint32_t p = 0; p < r->npol; p++) {
        casus_buf_printf(out, "  %-*s", (int)w0, policy_name(r, p));
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
    for (uint32_t p = 0; p < r->npol; p++) {
        const struct casus_mpolicy *pol = &s->policies[r->pol[p]];
        casus_buf_printf(out, "\nPolicy %s%s — %s\n", pol->name, p == 0 ? " (baseline)" : "",
                         pol->title);
        casus_buf_puts(out, "  threshold                      mean    5%      50%     95%     "
                            "s.e.\n");
        for (uint32_t t = 0; t < r->nthr; t++) {
            const struct casus_mc_summary *m = &r->sum[(size_t)p * r->nq + r->nrung + t];
            casus_buf_printf(out, "  %-30s ", lad->thresholds[t].name);
            stat_cells(out, m, true);
        }
        casus_buf_puts(out, "  rung                           mean    5%      50%     95%\n");
        for (uint32_t k = 0; k < r->nrung; k++) {
            const struct casus_mc_summary *m = &r->sum[(size_t)p * r->nq + k];
            casus_buf_printf(out, "  %2d %-27s ", lad->rungs[k].number, lad->rungs[k].name);
            stat_cells(out, m, false);
        }
        casus_buf_puts(out, "  expected payoff:");
        for (uint32_t i = 0; i < r->np; i++) {
            casus_buf_printf(out, " %s ", s->actor_codes[i]);
            sig2(out, r->sum[(size_t)p * r->nq + r->nrung + r->nthr + i].mean);
        }
        casus_buf_puts(out, "\n");
        const struct casus_scen *sc = &r->sc[p];
        for (uint32_t k = 0; k < sc->ncouncil; k++) {
            const struct casus_mgnode *g = &s->nodes[sc->council[k].gnode];
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
        if (r->nfailed[p])
            casus_buf_printf(out, "  solver failures: %llu of %llu draws (excluded)\n",
                             (unsigned long long)r->nfailed[p], (unsigned long long)r->N);
        for (uint32_t t = 0; t < r->nthr; t++) {
            if (r->sum[(size_t)p * r->nq + r->nrung + t].mean <= 0)
                continue;
            casus_buf_printf(out, "  paths to %s (share of its probability):\n",
                             lad->thresholds[t].name);
            write_paths(r, p, t, out, 3, false);
        }
        /* what the result hinges on */
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
            casus_buf_printf(out, "  Spearman ρ with %s:", lad->thresholds[t].name);
            for (uint32_t k = 0; k < n && k < 4; k++) {
                casus_buf_printf(out, "%s %s ", k ? "," : "", s->params[rk[k].i].name);
                sig2(out, r->rho[((size_t)p * r->nthr + t) * s->nparams + rk[k].i]);
            }
            casus_buf_puts(out, "\n");
        }
    }
    if (r->npol > 1) {
        casus_buf_printf(out,
                         "\nChange from the baseline (%s), over paired draws: mean ± s.e. "
                         "[5%%, 95%% of the per-draw change]; share of draws where it "
                         "rises\n",
                         policy_name(r, 0));
        for (uint32_t p = 1; p < r->npol; p++) {
            casus_buf_printf(out, "  %s\n", policy_name(r, p));
            for (uint32_t t = 0; t < r->nthr; t++) {
                const struct casus_mc_summary *m = &r->diff[(size_t)p * r->nq + r->nrung + t];
                casus_buf_printf(out, "    %-28s ", lad->thresholds[t].name);
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

casus_status casus_run_write_json(const casus_run *r, casus_buf *out)
{
    const struct casus_mscenario *s = r->s;
    const struct casus_mladder *lad = s->ladder;
    casus_buf_puts(out, "{\"manifest\":{\"casus_version\":\"" CASUS_VERSION "\",\"scenario\":");
    casus_buf_json_string(out, s->name);
    casus_buf_printf(out, ",\"scenario_hash\":\"fnv1a64:%s\",\"seed\":%llu,\"draws\":%llu,",
                     r->hash, (unsigned long long)r->o.seed, (unsigned long long)r->N);
    casus_buf_puts(out, "\"policies\":[");
    for (uint32_t p = 0; p < r->npol; p++) {
        casus_buf_puts(out, p ? "," : "");
        casus_buf_json_string(out, policy_name(r, p));
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
        casus_buf_json_string(out, policy_name(r, p));
        casus_buf_printf(out, ":%llu", (unsigned long long)r->nfailed[p]);
    }
    casus_buf_puts(out, "}},\"ladder\":");
    casus_buf_json_string(out, lad->name);
    casus_buf_puts(out, ",\"policies\":[");
    for (uint32_t p = 0; p < r->npol; p++) {
        const struct casus_mpolicy *pol = &s->policies[r->pol[p]];
        casus_buf_puts(out, p ? "," : "");
        casus_buf_puts(out, "{\"name\":");
        casus_buf_json_string(out, pol->name);
        casus_buf_puts(out, ",\"title\":");
        casus_buf_json_string(out, pol->title);
        casus_buf_printf(out, ",\"baseline\":%s,\"draws_ok\":%llu,\"thresholds\":[",
                         p == 0 ? "true" : "false", (unsigned long long)r->nok[p]);
        for (uint32_t t = 0; t < r->nthr; t++) {
            casus_buf_puts(out, t ? "," : "");
            casus_buf_puts(out, "{\"name\":");
            casus_buf_json_string(out, lad->thresholds[t].name);
            casus_buf_puts(out, ",");
            json_summary(out, &r->sum[(size_t)p * r->nq + r->nrung + t]);
            if (p > 0) {
                casus_buf_puts(out, ",\"diff\":{");
                json_summary(out, &r->diff[(size_t)p * r->nq + r->nrung + t]);
                casus_buf_printf(out, ",\"frac_pos\":%.17g,\"frac_neg\":%.17g}",
                                 r->diff[(size_t)p * r->nq + r->nrung + t].frac_pos,
                                 r->diff[(size_t)p * r->nq + r->nrung + t].frac_neg);
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
            casus_buf_json_string(out, s->actor_codes[i]);
            casus_buf_puts(out, ":{");
            json_summary(out, &r->sum[(size_t)p * r->nq + r->nrung + r->nthr + i]);
            casus_buf_puts(out, "}");
        }
        casus_buf_puts(out, "},\"councils\":[");
        const struct casus_scen *sc = &r->sc[p];
        for (uint32_t k = 0; k < sc->ncouncil; k++) {
            const struct casus_mgnode *g = &s->nodes[sc->council[k].gnode];
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
        casus_buf_puts(out, "]}");
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
            casus_buf_printf(out, "%s,%s,%s,%.17g,%.17g,%.17g,%.17g,%.17g", policy_name(r, p), kind,
                             name, m->mean, m->se, m->q05, m->q50, m->q95);
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
            casus_buf_printf(out, "%llu,%s,%d", (unsigned long long)d, policy_name(r, p),
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

casus_status casus_scenario_game(casus_engine *e, const char *scenario, const char *policy,
                                 uint64_t seed, uint64_t draw, bool dot, casus_buf *out,
                                 casus_buf *error)
{
    const struct casus_mscenario *s = find_scenario(e, scenario);
    if (!s)
        return fail_msg(error, CASUS_ENOTFOUND, "unknown scenario '%s'", scenario);
    if (s->nnodes == 0)
        return fail_msg(error, CASUS_EINVAL, "scenario '%s' declares no game", s->name);
    uint32_t p = 0;
    if (policy) {
        while (p < s->npolicies && strcmp(s->policies[p].name, policy) != 0)
            p++;
        if (p == s->npolicies)
            return fail_msg(error, CASUS_ENOTFOUND, "scenario '%s' has no policy '%s'", s->name,
                            policy);
    }
    struct casus_scen sc;
    casus_status st = casus_scen_compile(&sc, &e->alloc, s, p, 2000000u, NULL);
    if (st != CASUS_OK)
        return fail_msg(error, st, "the game of '%s' cannot be built (%s)", s->name,
                        casus_status_str(st));
    struct casus_arena a;
    casus_arena_init(&a, &e->alloc);
    struct casus_scen_ws w;
    double *values = casus_arena_alloc(&a, (s->nparams + 1) * sizeof *values);
    st = values ? casus_scen_ws_init(&w, &a, &sc) : CASUS_ENOMEM;
    struct casus_scen_fail fl;
    if (st == CASUS_OK) {
        casus_sample_draw(s, p, seed, draw, values);
        st = casus_scen_eval(&sc, values, NAN, &w, &fl);
        if (st != CASUS_OK)
            fail_msg(error, st, "draw %llu: node '%s' has the value %.17g",
                     (unsigned long long)draw,
                     fl.gnode == CASUS_GNODE_NONE ? "lambda" : s->nodes[fl.gnode].name, fl.value);
    }
    struct casus_game *g = NULL;
    if (st == CASUS_OK)
        st = casus_scen_to_game(&sc, &w, &e->alloc, &g, NULL);
    if (st == CASUS_OK)
        st = dot ? casus_efg_write_dot(g, out) : casus_efg_write(g, out);
    casus_game_free(g);
    casus_arena_release(&a);
    casus_scen_release(&sc);
    return st;
}
