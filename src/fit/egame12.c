/*
 * egame12.c — egame12's log-likelihood with hand-derived first and second
 * derivatives in its four utilities: the fast path of the most used model
 * when no scale equation is estimated (unit scales).  egame.c's jet version
 * computes the same function and stays the reference: values agree bit for
 * bit (same operations in the same order, the package's order) and the
 * derivatives to rounding (tests/unit/test_fit.c compares them).
 *
 * Derivation, with F the link (density f, f'), s = sqrt(2):
 *   p4 = F(u24 / s), d4 = f / s, e4 = f' / s^2      (dp4/du24, d2p4/du24^2)
 *   x  = p3 u13 + p4 u14 - u11, p3 = 1 - p4:
 *        dx = (-1, p3, p4, d4 (u14 - u13)),
 *        d2x/du13du24 = -d4, d2x/du14du24 = d4, d2x/du24^2 = e4 (u14 - u13)
 *   D  = sqrt(2) (agent) or sqrt(p3^2 + p4^2 + 1) (private), a function of
 *        u24: D' = d4 (p4 - p3) / D, D'' = (2 d4^2 + e4 (p4 - p3) - D'^2) / D
 *   z2 = x / D, p2 = F(z2), p1 = 1 - p2, and the outcome's log-probability
 *   log p1, log p2 + log p3 or log p2 + log p4.
 * A clamped probability (finiteProbs) has derivative zero, as in the jets.
 */
#include "fit/egame.h"

#include "uq/dist.h"

#include <float.h>

#define P_LO DBL_EPSILON
#define P_HI (1.0 - DBL_EPSILON / 2.0)

static const double INV_SQRT_2PI = 0.398942280401432677939946059934;

/* p = F(z) clamped; *d = F'(z) and *dd = F''(z), both 0 when clamped. */
static double link(bool logit, double z, double *d, double *dd)
{
    double p;
    if (logit) {
        double e = exp(-z);
        p = 1.0 / (1.0 + e);
        *d = isinf(e) ? 0.0 : e / ((1.0 + e) * (1.0 + e));
        *dd = *d * (1.0 - 2.0 * p);
    } else {
        p = casus_dist_norm_cdf(z);
        *d = INV_SQRT_2PI * exp(-0.5 * z * z);
        *dd = -z * *d;
    }
    if (p < P_LO || p > P_HI) {
        *d = *dd = 0.0;
        return p < P_LO ? P_LO : P_HI;
    }
    return p;
}

static double finitize(double v)
{
    return isinf(v) ? (v > 0 ? DBL_MAX : -DBL_MAX) : v;
}

/* Value, gradient and Hessian in the four utilities. */
struct u4 {
    double v, g[4], h[4][4];
};

/* z2 = x / D with its derivatives (gz, hz), from x's and D's. */
static void ratio(double x, const double *gx, double hx[4][4], double dv, double d1, double d2,
                  double *gz, double hz[4][4])
{
    double r = 1.0 / dv, r1 = -d1 * r * r, r2 = 2.0 * d1 * d1 * r * r * r - d2 * r * r;
    for (int a = 0; a < 4; a++) {
        gz[a] = gx[a] * r + (a == 3 ? x * r1 : 0.0);
        for (int b = 0; b <= a; b++)
            hz[a][b] = hx[a][b] * r + (b == 3 ? gx[a] * r1 : 0.0) + (a == 3 ? gx[b] * r1 : 0.0) +
                       (a == 3 && b == 3 ? x * r2 : 0.0);
    }
}

/* log p with p's utility-space derivatives (only u24 when single). */
static void log_of(double p, const double *gp, double hp[4][4], struct u4 *o, double sign)
{
    double r = 1.0 / p;
    o->v += log(p);
    for (int a = 0; a < 4; a++) {
        o->g[a] += sign * gp[a] * r;
        for (int b = 0; b <= a; b++)
            o->h[a][b] += sign * hp[a][b] * r - gp[a] * gp[b] * r * r;
    }
}

/* The utility-space log-likelihood of one observation with outcome y. */
static void loglik12(const struct fit_egame *g, const double *u, int y, struct u4 *o)
{
    double d4, e4, dd2, d2, s4 = sqrt(1.0 + 1.0);
    double p4 = link(g->link == FIT_LOGIT, u[3] / s4, &d4, &e4), p3 = 1.0 - p4;
    d4 /= s4;
    e4 /= s4 * s4;
    double x = p3 * u[1] + p4 * u[2] - u[0];
    double gx[4] = {-1.0, p3, p4, d4 * (u[2] - u[1])}, hx[4][4] = {{0}};
    hx[3][1] = -d4;
    hx[3][2] = d4;
    hx[3][3] = e4 * (u[2] - u[1]);
    double dv = sqrt(1.0 + 1.0), dd1 = 0.0, ddd = 0.0;
    if (g->type == FIT_PRIVATE) {
        dv = sqrt(p3 * p3 + p4 * p4 + 1.0);
        dd1 = d4 * (p4 - p3) / dv;
        ddd = (2.0 * d4 * d4 + e4 * (p4 - p3) - dd1 * dd1) / dv;
    }
    double gz[4], hz[4][4], gp[4], hp[4][4];
    ratio(x, gx, hx, dv, dd1, ddd, gz, hz);
    double p2 = link(g->link == FIT_LOGIT, x / dv, &d2, &dd2);
    for (int a = 0; a < 4; a++) {
        gp[a] = d2 * gz[a];
        for (int b = 0; b <= a; b++)
            hp[a][b] = dd2 * gz[a] * gz[b] + d2 * hz[a][b];
    }
    memset(o, 0, sizeof *o);
    if (y == 0) { /* log(1 - p2) */
        log_of(1.0 - p2, gp, hp, o, -1.0);
        return;
    }
    log_of(p2, gp, hp, o, 1.0);
    double q = y == 1 ? p3 : p4, sg = y == 1 ? -1.0 : 1.0, r = 1.0 / q; /* + log p3 or p4 */
    o->v += log(q);
    o->g[3] += sg * d4 * r;
    o->h[3][3] += sg * e4 * r - d4 * d4 * r * r;
}

void fit_egame12_loglik(const struct fit_egame *g, size_t i, const double *eta,
                        const struct fit_jctx *c, struct fit_jet *out)
{
    double u[4] = {finitize(eta[0]), finitize(eta[1]), finitize(eta[2]), finitize(eta[3])};
    struct u4 r;
    loglik12(g, u, g->y[i], &r);
    out->v = r.v;
    out->mask = 0;
    if (c->order < 1)
        return;
    for (int q = 0; q < 4; q++) {
        int a = g->active[q];
        if (a < 0)
            continue;
        out->mask |= 1u << a;
        out->g[a] = r.g[q];
        for (int s = 0; c->order >= 2 && s <= q; s++)
            if (g->active[s] >= 0)
                out->h[fit_jet_hk(a, g->active[s])] = r.h[q][s];
    }
}
