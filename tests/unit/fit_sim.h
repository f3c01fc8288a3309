/*
 * fit_sim.h — data simulated from the strategic models with known
 * parameters and a fixed Philox seed, for the fit tests (recovery of the
 * parameters) and for tools/mkfitdata.c (the tutorial's data in data/fit/).
 * Draws are pure functions of (seed, stream, index), so a data set is the
 * same on every machine.  Test and tool code, not the library.
 */
#ifndef CASUS_TEST_FIT_SIM_H
#define CASUS_TEST_FIT_SIM_H

#include "base/rng.h"
#include "fit/egame.h"
#include "fit/ultimatum.h"
#include "uq/dist.h"

#include <stdio.h>

/* The crisis game (egame12, agent error, probit): a challenger keeps the
 * status quo or escalates; the defender backs down or fights.
 *   u11 = 0.3 + 0.8 democ                  (status quo, challenger)
 *   u14 = -0.6 + 1.8 cap - 0.9 ally        (war, challenger; backing down u13 = 0)
 *   u24 = 0.2 - 1.6 cap + 1.1 ally         (war, defender)
 * cap ~ U(0, 1): the challenger's share of the pair's capabilities; ally,
 * democ ~ Bernoulli(0.4, 0.3). */
static const double SIM12_TRUTH[] = {0.3, 0.8, -0.6, 1.8, -0.9, 0.2, -1.6, 1.1};
#define SIM12_FORMULA "esc + fight ~ democ | 0 | cap + ally | cap + ally"

/* Row i of the crisis data under seed: regressors and the two actions. */
static void sim12_row(uint64_t seed, size_t i, double *cap, int *ally, int *democ, int *esc,
                      int *fight)
{
    double u[5];
    casus_rng_fill_uniform(seed, CASUS_RNG_TAG_USER | 12, 5 * (uint64_t)i, 5, u);
    *cap = u[0];
    *ally = u[1] < 0.4;
    *democ = u[2] < 0.3;
    const double *t = SIM12_TRUTH;
    double eta[4] = {t[0] + t[1] * *democ, 0.0, t[2] + t[3] * *cap + t[4] * *ally,
                     t[5] + t[6] * *cap + t[7] * *ally};
    const int act[4] = {-1, -1, -1, -1};
    uint8_t y = 0;
    struct fit_egame g = {FIT_EGAME12, FIT_PROBIT, FIT_AGENT, 0, &y, act};
    double p[4];
    fit_egame_probs(&g, eta, p);
    *esc = u[3] < p[1];
    *fight = *esc && u[4] < p[3];
}

/* The crisis data as CSV text (header and n rows) into out. */
static void sim12_csv(uint64_t seed, size_t n, casus_buf *out)
{
    casus_buf_puts(out, "case,cap,ally,democ,esc,fight,outcome\n");
    for (size_t i = 0; i < n; i++) {
        double cap;
        int ally, democ, esc, fight;
        sim12_row(seed, i, &cap, &ally, &democ, &esc, &fight);
        casus_buf_printf(out, "%zu,%.6f,%d,%d,%d,%d,%s\n", i + 1, cap, ally, democ, esc, fight,
                         !esc    ? "status quo"
                         : fight ? "war"
                                 : "backdown");
    }
}

/* The bargaining game (ultimatum, maximum offer 10):
 *   R1 = 2 + 1.5 stake,  R2 = 4 - 1.2 outside,  s1 = 1.5,  s2 = 0.8,
 * stake, outside ~ N(0, 1).  Offers are drawn from the model's offer
 * distribution (point masses at 0 and 10) by inverting its CDF. */
static const double SIMULT_TRUTH[] = {2.0, 1.5, 4.0, -1.2, 0.405465108108164, -0.22314355131421};
#define SIMULT_FORMULA "offer + accept ~ stake | outside"

static double simult_cdf(double y, double q, double r1, double r2, double s1, double s2)
{
    return 1.0 / (1.0 + exp((q - y - r1 - s2 * (1.0 + exp((y - r2) / s2))) / s1));
}

static void simult_row(uint64_t seed, size_t i, double *stake, double *outside, double *offer,
                       int *accept)
{
    double u[4], q = 10.0;
    casus_rng_fill_uniform(seed, CASUS_RNG_TAG_USER | 13, 4 * (uint64_t)i, 4, u);
    *stake = casus_dist_norm_quantile(u[0]);
    *outside = casus_dist_norm_quantile(u[1]);
    const double *t = SIMULT_TRUTH;
    double r1 = t[0] + t[1] * *stake, r2 = t[2] + t[3] * *outside, s1 = exp(t[4]), s2 = exp(t[5]);
    if (u[2] <= simult_cdf(0.0, q, r1, r2, s1, s2)) {
        *offer = 0.0;
    } else if (u[2] >= simult_cdf(q, q, r1, r2, s1, s2)) {
        *offer = q;
    } else { /* bisection on the increasing CDF */
        double lo = 0.0, hi = q;
        for (int it = 0; it < 60; it++) {
            double mid = 0.5 * (lo + hi);
            if (simult_cdf(mid, q, r1, r2, s1, s2) < u[2])
                lo = mid;
            else
                hi = mid;
        }
        *offer = round(0.5 * (lo + hi) * 1e4) / 1e4; /* 4 decimals, as recorded */
    }
    *accept = u[3] < 1.0 / (1.0 + exp(-(*offer - r2) / s2));
}

static void simult_csv(uint64_t seed, size_t n, casus_buf *out)
{
    casus_buf_puts(out, "round,stake,outside,offer,accept\n");
    for (size_t i = 0; i < n; i++) {
        double stake, outside, offer;
        int accept;
        simult_row(seed, i, &stake, &outside, &offer, &accept);
        casus_buf_printf(out, "%zu,%.6f,%.6f,%.4f,%d\n", i + 1, stake, outside, offer, accept);
    }
}

#endif
