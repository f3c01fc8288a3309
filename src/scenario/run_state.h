/*
 * run_state.h — the inside of a casus_run, shared by the modules of the
 * runner: run.c (the draws and their reduction), run_stats.c (summaries
 * and rank correlations over the stored draws) and run_report.c (text,
 * JSON and CSV reports).  Nothing outside the scenario wing includes it.
 *
 * Layout: per-draw values are stored column-wise, one column of N draws
 * per (policy, quantity): val[(p * nq + q) * N + d]; quantities are the
 * ladder's rungs, then its thresholds, then each deciding actor's payoff.
 * Per-chunk sums (path probabilities, council statistics) have a row per
 * chunk and are reduced in chunk order.
 */
#ifndef CASUS_RUN_STATE_H
#define CASUS_RUN_STATE_H

#include "casus/run.h"

#include "base/arena.h"
#include "model/engine.h"
#include "scenario/scen.h"
#include "uq/mcstat.h"

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
};

/* Summaries, paired differences and Spearman correlations of a run whose
 * draws are all in place, on T threads (run_stats.c).  CASUS_ENOMEM. */
CASUS_INTERNAL casus_status casus_run_statistics(casus_run *r, unsigned T);

/* Name of the run's policy p (0 is the baseline). */
static inline const char *casus_run_policy_name(const casus_run *r, uint32_t p)
{
    return r->s->policies[r->pol[p]].name;
}

#endif
