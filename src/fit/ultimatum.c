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

void fit_ult_loglik(const struct fit_ult *u, size_t i, const double *eta, const struct fit_jctx *c,
                    struct fit_jet *out)
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
