/*
 * ultimatum.c — the statistical ultimatum game's per-observation
 * log-likelihood over jets (see ultimatum.h).  Expressions are evaluated
 * in the order of the package's R code (offerCDF, offerPDF, logLikUlt) so
 * the values agree with it to rounding.
 */
#include "fit/ultimatum.h"

#include <float.h>

#define P_LO DBL_EPSILON
#define P_HI (1.0 - DBL_EPSILON / 2.0)

static void index_jet(const struct fit_ult *u, const struct fit_jctx *c, const double *eta, int q,
                      struct fit_jet *o)
{
    if (u->active[q] >= 0)
        fit_jet_var(c, o, eta[q], u->active[q]);
    else
        fit_jet_const(c, o, eta[q]);
}

/* finiteProbs(): clamp a probability into [eps, 1 - eps/2]. */
static void clamp_prob(const struct fit_jctx *c, struct fit_jet *o)
{
    if (o->v < P_LO)
        fit_jet_const(c, o, P_LO);
    else if (o->v > P_HI)
        fit_jet_const(c, o, P_HI);
}

/* o = 1 / (1 + exp(a)). */
static void inv1p_exp(const struct fit_jctx *c, struct fit_jet *o, const struct fit_jet *a)
{
    double e = exp(a->v);
    double p = 1.0 / (1.0 + e);
    double d = isinf(e) ? 0.0 : -e / ((1.0 + e) * (1.0 + e)); /* dp/da = -p (1 - p) */
    fit_jet_chain(c, o, a, p, d, d * (2.0 * p - 1.0));
}

/* w = (Q - t - R1) - s2 * (1 + exp((t - R2) / s2)); *e1 = 1 + exp(...). */
static void reserve_gap(const struct fit_jctx *c, double q, double t, const struct fit_jet *r1,
                        const struct fit_jet *r2, const struct fit_jet *s2, struct fit_jet *w,
                        struct fit_jet *e1)
{
    struct fit_jet a;
    fit_jet_rsub(c, &a, t, r2); /* t - R2 */
    fit_jet_div(c, &a, &a, s2);
    fit_jet_exp(c, e1, &a);
    e1->v += 1.0;
    fit_jet_mul(c, &a, s2, e1);
    fit_jet_rsub(c, w, q - t, r1);
    fit_jet_sub(c, w, w, &a);
}

/* The offer's probability or density (ans1 of logLikUlt). */
static void offer_term(const struct fit_ult *u, const struct fit_jctx *c, double y,
                       const struct fit_jet *r1, const struct fit_jet *r2, const struct fit_jet *s1,
                       const struct fit_jet *s2, struct fit_jet *o)
{
    struct fit_jet w, e1, z;
    double q = u->maxoffer;
    bool is_max = fabs(y - q) < u->offertol, is_min = fabs(y) < u->offertol;
    if (is_max || is_min) {
        reserve_gap(c, q, is_max ? q : 0.0, r1, r2, s2, &w, &e1);
        fit_jet_div(c, &z, &w, s1);
        inv1p_exp(c, o, &z); /* F(t) */
        if (is_max)
            fit_jet_rsub(c, o, 1.0, o);
        clamp_prob(c, o);
    } else { /* num / (s1 (1 + num)^2) * (1 + exp((y - R2) / s2)) */
        struct fit_jet num, den;
        reserve_gap(c, q, y, r1, r2, s2, &w, &e1);
        fit_jet_scale(c, &z, &w, -1.0);
        fit_jet_div(c, &z, &z, s1);
        fit_jet_exp(c, &num, &z);
        den = num;
        den.v += 1.0;
        fit_jet_sq(c, &den, &den);
        fit_jet_mul(c, &den, s1, &den);
        fit_jet_div(c, o, &num, &den);
        fit_jet_mul(c, o, o, &e1);
    }
    if (o->v < P_LO)
        fit_jet_const(c, o, P_LO);
}

void fit_ult_loglik_jets(const struct fit_ult *u, size_t i, const double *eta,
                         const struct fit_jctx *c, struct fit_jet *out)
{
    struct fit_jet r1, r2, s1, s2;
    double y = u->offer[i];
    index_jet(u, c, eta, 0, &r1);
    index_jet(u, c, eta, 1, &r2);
    index_jet(u, c, eta, 2, &s1);
    fit_jet_exp(c, &s1, &s1);
    index_jet(u, c, eta, 3, &s2);
    fit_jet_exp(c, &s2, &s2);
    offer_term(u, c, y, &r1, &r2, &s1, &s2, out);
    if (!u->offer_only) { /* Pr(accept) = 1 / (1 + exp(-(y - R2) / s2)) */
        struct fit_jet a;
        fit_jet_rsub(c, &a, y, &r2);
        fit_jet_scale(c, &a, &a, -1.0);
        fit_jet_div(c, &a, &a, &s2);
        inv1p_exp(c, &a, &a);
        clamp_prob(c, &a);
        if (!u->accept[i]) {
            fit_jet_rsub(c, &a, 1.0, &a);
            clamp_prob(c, &a);
        }
        fit_jet_mul(c, out, out, &a);
    }
    fit_jet_log(c, out, out);
}

/* ---- the same likelihood with hand-derived derivatives ------------------
 *
 * In the indices (R1, R2, l1 = log s1, l2 = log s2), with u = (t - R2) / s2
 * and E = exp(u) at an offer t, the gap W = Q - t - R1 - s2 (1 + E) has
 *   dW = (-1, E, 0, -s2 - s2 E (1 - u)),
 *   d2W/dR2^2 = -E / s2, d2W/dR2 dl2 = -E u, d2W/dl2^2 = -s2 - s2 E (1 - u + u^2);
 * q = k W / s1 (k = 1 at the bounds, -1 inside) has dq = k dW / s1 but
 * dq/dl1 = -q, d2q/dl1 da = -dq/da, d2q/dl1^2 = q.  Then
 *   log F(0) = -log(1 + e^q),  log(1 - F(Q)) = log sigma(q),
 *   log f(y) = q - 2 log(1 + e^q) - l1 + log(1 + E)   (q = -W / s1),
 *   log Pr(accept) = log sigma(u), log Pr(reject) = log sigma(-u),
 * each a scalar function of q or u, so its derivatives are L' dq and
 * L'' dq dq' + L' d2q.  A clamped probability has derivative zero. */

struct d4 {
    double g[4], h[4][4]; /* lower triangle used */
};

/* o += d1 * (g, h) + d2 * g g' for a scalar function of a quantity with
 * derivatives (g, h). */
static void add_chain(struct d4 *o, const struct d4 *x, double d1, double d2)
{
    for (int a = 0; a < 4; a++) {
        o->g[a] += d1 * x->g[a];
        for (int b = 0; b <= a; b++)
            o->h[a][b] += d1 * x->h[a][b] + d2 * x->g[a] * x->g[b];
    }
}

/* u = (t - R2) / s2 and its derivatives. */
static void u_derivs(double u, double s2, struct d4 *o)
{
    memset(o, 0, sizeof *o);
    o->g[1] = -1.0 / s2;
    o->g[3] = -u;
    o->h[3][1] = 1.0 / s2;
    o->h[3][3] = u;
}

/* q = k W / s1 at offer t; returns q, derivatives into o, *e = exp(u). */
static double q_derivs(const struct fit_ult *p, double t, const double *x, double k, struct d4 *o,
                       double *e)
{
    double s1 = exp(x[2]), s2 = exp(x[3]), u = (t - x[1]) / s2, ex = exp(u);
    double w = p->maxoffer - t - x[0] - s2 * (1.0 + ex), q = k * w / s1;
    double gw[4] = {-1.0, ex, 0.0, -s2 - s2 * ex * (1.0 - u)};
    double hw11 = -ex / s2, hw31 = -ex * u, hw33 = -s2 - s2 * ex * (1.0 - u + u * u);
    memset(o, 0, sizeof *o);
    for (int a = 0; a < 4; a++)
        o->g[a] = a == 2 ? -q : k * gw[a] / s1;
    o->h[1][1] = k * hw11 / s1;
    o->h[3][1] = k * hw31 / s1;
    o->h[3][3] = k * hw33 / s1;
    o->h[2][0] = -o->g[0];
    o->h[2][1] = -o->g[1];
    o->h[3][2] = -o->g[3];
    o->h[2][2] = q;
    *e = ex;
    return q;
}

/* sigma(q) into *s and 1 - sigma(q) = sigma(-q) into *sc, each to full
 * relative precision (no cancellation). */
static void sigmoids(double q, double *s, double *sc)
{
    double e = exp(-fabs(q)), a = 1.0 / (1.0 + e), b = e / (1.0 + e);
    *s = q >= 0 ? a : b;
    *sc = q >= 0 ? b : a;
}

/* Derivatives of log(offer probability or density) into o (added). */
static void offer_derivs(const struct fit_ult *p, double y, const double *x, struct d4 *o)
{
    struct d4 q, ud;
    double e;
    if (fabs(y - p->maxoffer) < p->offertol || fabs(y) < p->offertol) {
        bool top = fabs(y - p->maxoffer) < p->offertol;
        double v = q_derivs(p, top ? p->maxoffer : 0.0, x, 1.0, &q, &e), sg, sc;
        sigmoids(v, &sg, &sc);
        add_chain(o, &q, top ? sc : -sg, -sg * sc);
        return;
    }
    double z = q_derivs(p, y, x, -1.0, &q, &e), sg, sc, rho, rhoc;
    sigmoids(z, &sg, &sc);
    add_chain(o, &q, sc - sg, -2.0 * sg * sc);
    u_derivs((y - x[1]) / exp(x[3]), exp(x[3]), &ud);
    sigmoids((y - x[1]) / exp(x[3]), &rho, &rhoc); /* E / (1 + E) with E = e^u */
    add_chain(o, &ud, rho, rho * rhoc);
    o->g[2] -= 1.0;
}

/* Whether the offer's probability or density sits on a clamp (finiteProbs
 * at the bounds, the eps floor inside): then its derivatives are zero. */
static bool offer_clamped(const struct fit_ult *p, double y, const double *x)
{
    double s1 = exp(x[2]), s2 = exp(x[3]), q = p->maxoffer, v;
    bool top = fabs(y - q) < p->offertol, bound = top || fabs(y) < p->offertol;
    double t = bound ? (top ? q : 0.0) : y, e = exp((t - x[1]) / s2);
    double w = q - t - x[0] - s2 * (1.0 + e);
    if (bound) {
        double f = 1.0 / (1.0 + exp(w / s1));
        v = top ? 1.0 - f : f;
        if (v > P_HI)
            return true;
    } else {
        double num = exp(-w / s1);
        v = num / (s1 * (1.0 + num) * (1.0 + num)) * (1.0 + e);
    }
    return !(v >= P_LO);
}

/* Derivatives of log Pr(accept or reject) into d (added) unless clamped. */
static void accept_derivs(const struct fit_ult *u, size_t i, const double *x, struct d4 *d)
{
    double s2 = exp(x[3]), uu = (u->offer[i] - x[1]) / s2, pa = 1.0 / (1.0 + exp(-uu)), sg, sc;
    bool clamped = pa < P_LO || pa > P_HI;
    pa = pa < P_LO ? P_LO : pa > P_HI ? P_HI : pa;
    double ans2 = u->accept[i] ? pa : 1.0 - pa;
    if (clamped || ans2 < P_LO || ans2 > P_HI)
        return;
    struct d4 ud;
    u_derivs(uu, s2, &ud);
    sigmoids(uu, &sg, &sc);
    add_chain(d, &ud, u->accept[i] ? sc : -sg, -sg * sc);
}

/* The log-likelihood's value with the operations of the jet version, in
 * the same order (so bit for bit the same, and as R computes it). */
static double ult_value(const struct fit_ult *u, size_t i, const double *x)
{
    double y = u->offer[i], q = u->maxoffer, s1 = exp(x[2]), s2 = exp(x[3]), ans;
    bool top = fabs(y - q) < u->offertol, bound = top || fabs(y) < u->offertol;
    double t = bound ? (top ? q : 0.0) : y;
    double e1 = exp((t - x[1]) / s2) + 1.0, w = ((q - t) - x[0]) - s2 * e1;
    if (bound) {
        ans = 1.0 / (1.0 + exp(w / s1));
        if (top)
            ans = 1.0 - ans;
        ans = ans < P_LO ? P_LO : ans > P_HI ? P_HI : ans;
    } else {
        double num = exp(-w / s1), den = num + 1.0;
        ans = num / (s1 * (den * den)) * e1;
    }
    if (ans < P_LO)
        ans = P_LO;
    if (!u->offer_only) {
        double pa = 1.0 / (1.0 + exp(-(y - x[1]) / s2));
        pa = pa < P_LO ? P_LO : pa > P_HI ? P_HI : pa;
        if (!u->accept[i]) {
            pa = 1.0 - pa;
            pa = pa < P_LO ? P_LO : pa > P_HI ? P_HI : pa;
        }
        ans = ans * pa;
    }
    return log(ans);
}

void fit_ult_loglik(const struct fit_ult *u, size_t i, const double *eta, const struct fit_jctx *c,
                    struct fit_jet *out)
{
    out->v = ult_value(u, i, eta);
    out->mask = 0;
    if (c->order < 1)
        return;
    struct d4 d;
    memset(&d, 0, sizeof d);
    if (!offer_clamped(u, u->offer[i], eta))
        offer_derivs(u, u->offer[i], eta, &d);
    if (!u->offer_only)
        accept_derivs(u, i, eta, &d);
    out->mask = 0;
    for (int q = 0; q < 4; q++) {
        int a = u->active[q];
        if (a < 0)
            continue;
        out->mask |= 1u << a;
        out->g[a] = d.g[q];
        for (int r = 0; c->order >= 2 && r <= q; r++)
            if (u->active[r] >= 0)
                out->h[fit_jet_hk(a, u->active[r])] = d.h[q][r];
    }
}

/* W(exp(a)): the w with w + log(w) = a, so huge arguments do not
 * overflow. */
static double lambert_w_exp(double a)
{
    if (a < 20.0)
        return fit_lambert_w(exp(a));
    double w = a - log(a);
    for (int it = 0; it < 50; it++) { /* Newton on w + log w - a */
        double step = (w + log(w) - a) / (1.0 + 1.0 / w);
        w -= step;
        if (fabs(step) <= 1e-16 * w)
            break;
    }
    return w;
}

double fit_lambert_w(double x)
{
    if (!(x >= 0.0))
        return NAN;
    if (x == 0.0 || isinf(x))
        return x;
    double w = x < 2.718281828459045 ? log1p(x) : log(x) - log(log(x));
    for (int it = 0; it < 60; it++) { /* Halley on w e^w - x */
        double e = exp(w), f = w * e - x;
        double step = f / (e * (w + 1.0) - (w + 2.0) * f / (2.0 * w + 2.0));
        w -= step;
        if (fabs(step) <= 4e-16 * (1.0 + fabs(w)))
            break;
    }
    return w;
}

void fit_ult_predict(const struct fit_ult *u, const double *eta, double *eoffer, double *paccept)
{
    double q = u->maxoffer, r1 = eta[0], r2 = eta[1], s2 = exp(eta[3]);
    double ey = q - r1 - s2 * (1.0 + lambert_w_exp((q - r1 - s2 - r2) / s2));
    *eoffer = ey;
    *paccept = 1.0 / (1.0 + exp(-(ey - r2) / s2));
}
