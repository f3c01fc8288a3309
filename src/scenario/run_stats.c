/*
 * run_stats.c — the statistics of a run (casus/run.h) over its stored
 * draws: each policy's summaries (mean, s.e., quantiles), its paired
 * differences from the baseline, and Spearman's ρ between each threshold
 * and each parameter (ranks of the parameters' uniforms).
 *
 * Each summary and each correlation is a pure function of stored arrays,
 * so they run in parallel (work split by index, each worker with its own
 * scratch) without changing a bit.
 */
#include "base/par.h"
#include "model/sample.h"
#include "scenario/run_state.h"

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

casus_status casus_run_statistics(casus_run *r, unsigned T)
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
