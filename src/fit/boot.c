/*
 * boot.c — nonparametric bootstrap of a fitted model: each replicate
 * resamples the n observations with replacement, as R's games does, and
 * refits from the full-sample estimate; the bootstrap standard error is the
 * standard deviation of the converged replicates' estimates (replicates
 * that fail to converge are dropped and counted, as R drops them).
 *
 * Replicate b draws its n indices from Philox stream (BOOT tag, b) of the
 * seed, so a replicate is the same whichever thread runs it; resampling is
 * carried as frequency weights (no copied data), and the results are
 * reduced in replicate order: bit-identical output for any --threads.
 */
#include "fit/state.h"

#include "base/par.h"
#include "base/rng.h"

#include <math.h>

struct boot_worker {
    double *w;     /* n frequency weights */
    double *theta; /* np */
    struct fit_work work;
};

struct boot_ctx {
    casus_fit *f;
    struct boot_worker *wk;
    unsigned nrep;
};

/* The frequencies of replicate b's resample, per row of the fitted problem
 * (a group of identical observations adds up its members' draws). */
static void resample(const casus_fit *f, unsigned b, double *w)
{
    size_t n = f->ds.n;
    bool grouped = f->op == &f->gprob;
    uint64_t stream = CASUS_RNG_TAG(CASUS_RNG_TAG_BOOT) | b;
    memset(w, 0, f->op->n * sizeof *w);
    for (size_t j = 0; j < n; j++) {
        uint64_t bits = casus_rng_u64(f->opts.seed, stream, j);
        uint32_t i = casus_rng_below((uint32_t)(bits >> 32), n);
        w[grouped ? f->groups.of[i] : i] += 1.0;
    }
}

static void boot_run(void *ctx, unsigned w, unsigned nw)
{
    struct boot_ctx *c = ctx;
    casus_fit *f = c->f;
    struct boot_worker *me = &c->wk[w];
    size_t np = f->ds.np;
    for (unsigned b = w; b < c->nrep; b += nw) {
        struct fit_opt_result r;
        resample(f, b, me->w);
        memcpy(me->theta, f->theta, np * sizeof *me->theta);
        fit_maximize(f->op, me->w, me->theta, f->opts.max_iter, &me->work, &r);
        double *row = f->boot + (size_t)b * np;
        for (size_t j = 0; j < np; j++)
            row[j] = r.stop == FIT_STOP_CONVERGED ? me->theta[j] : NAN;
    }
}

/* Standard deviations of the converged replicates, in replicate order. */
static void boot_sd(casus_fit *f, unsigned nrep)
{
    size_t np = f->ds.np;
    f->boot_ok = f->boot_failed = 0;
    for (unsigned b = 0; b < nrep; b++) {
        if (isnan(f->boot[(size_t)b * np]))
            f->boot_failed++;
        else
            f->boot_ok++;
    }
    for (size_t j = 0; j < np; j++) {
        double m = 0.0, v = 0.0;
        for (unsigned b = 0; b < nrep; b++)
            if (!isnan(f->boot[(size_t)b * np]))
                m += f->boot[(size_t)b * np + j];
        m /= f->boot_ok ? f->boot_ok : 1;
        for (unsigned b = 0; b < nrep; b++)
            if (!isnan(f->boot[(size_t)b * np])) {
                double d = f->boot[(size_t)b * np + j] - m;
                v += d * d;
            }
        f->boot_se[j] = f->ds.fixed[j] || f->boot_ok < 2 ? NAN : sqrt(v / (double)(f->boot_ok - 1));
    }
}

casus_status fit_run_bootstrap(casus_fit *f)
{
    unsigned nrep = f->opts.boot, nw = f->opts.threads ? f->opts.threads : casus_par_ncpu();
    size_t np = f->ds.np, n = f->ds.n;
    if (nw > nrep)
        nw = nrep;
    if (nw > CASUS_PAR_MAX_THREADS)
        nw = CASUS_PAR_MAX_THREADS;
    f->boot = casus_arena_alloc(&f->est, ((size_t)nrep * np + 1) * sizeof *f->boot);
    f->boot_se = casus_arena_alloc(&f->est, (np + 1) * sizeof *f->boot_se);
    struct boot_worker *wk = casus_arena_alloc(&f->est, nw * sizeof *wk);
    if (!f->boot || !f->boot_se || !wk)
        return CASUS_ENOMEM;
    for (unsigned w = 0; w < nw; w++) { /* all memory before the threads start */
        wk[w].w = casus_arena_alloc(&f->est, (n + 1) * sizeof *wk[w].w);
        wk[w].theta = casus_arena_alloc(&f->est, (np + 1) * sizeof *wk[w].theta);
        if (!wk[w].w || !wk[w].theta || fit_work_init(&wk[w].work, f->op, &f->est) != CASUS_OK)
            return CASUS_ENOMEM;
    }
    struct boot_ctx ctx = {f, wk, nrep};
    casus_par_run(nw, boot_run, &ctx);
    boot_sd(f, nrep);
    return CASUS_OK;
}
