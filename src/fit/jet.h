/*
 * jet.h — exact first and second derivatives by forward differentiation,
 * for the per-observation log-likelihoods of the fit wing.
 *
 * Every strategic model here is a multi-index model: a parameter enters
 * the log-likelihood of observation i only through one linear index
 * eta_j = x_ij' beta_j (a utility, a reservation value or a log scale), so
 * the gradient and Hessian in the parameters follow from the derivatives of
 * l_i in the few indices: dl/dbeta_j = (dl/deta_j) x_ij and d2l/dbeta_j
 * dbeta_k' = (d2l/deta_j deta_k) x_ij x_ik'.  A jet carries a value with
 * its gradient and Hessian in the m <= FIT_JMAX active indices; the
 * arithmetic below applies the chain rule to them, so each likelihood is
 * written once (egame.c, ultimatum.c) and its derivatives are exact to
 * rounding — analytic, not finite differences — for every model and option.
 *
 * Layout: the Hessian is packed lower-triangular, h[i * (i + 1) / 2 + j] for
 * j <= i.  ctx->order says how much is computed: 0 value, 1 value and
 * gradient, 2 all three; entries beyond it are left untouched (stale), so
 * read only what was asked for.  Every operation may write its result over
 * one or both of its inputs (it updates the Hessian, then the gradient, then
 * the value, each from inputs not yet overwritten).  Cost: O(m) for order
 * 1 and O(m^2) for order 2 per operation; no allocation.
 */
#ifndef CASUS_FIT_JET_H
#define CASUS_FIT_JET_H

#include "base/internal.h"

#include <math.h>

#define FIT_JMAX 12 /* active indices: egame123 has 8 utilities and 3 scales */
#define FIT_JH   (FIT_JMAX * (FIT_JMAX + 1) / 2)

struct fit_jctx {
    int m;     /* active indices, 0 <= m <= FIT_JMAX */
    int order; /* 0, 1 or 2 */
};

struct fit_jet {
    double v;           /* value */
    double g[FIT_JMAX]; /* gradient in the active indices */
    double h[FIT_JH];   /* Hessian, packed lower triangle */
};

/* A constant. */
static inline void fit_jet_const(const struct fit_jctx *c, struct fit_jet *o, double v)
{
    o->v = v;
    if (c->order >= 1)
        memset(o->g, 0, (size_t)c->m * sizeof o->g[0]);
    if (c->order >= 2)
        memset(o->h, 0, (size_t)(c->m * (c->m + 1) / 2) * sizeof o->h[0]);
}

/* The active index k (< c->m) at value v. */
static inline void fit_jet_var(const struct fit_jctx *c, struct fit_jet *o, double v, int k)
{
    fit_jet_const(c, o, v);
    if (c->order >= 1)
        o->g[k] = 1.0;
}

/* o = a + b and o = a - b. */
static inline void fit_jet_add(const struct fit_jctx *c, struct fit_jet *o, const struct fit_jet *a,
                               const struct fit_jet *b)
{
    if (c->order >= 2)
        for (int i = 0, n = c->m * (c->m + 1) / 2; i < n; i++)
            o->h[i] = a->h[i] + b->h[i];
    if (c->order >= 1)
        for (int i = 0; i < c->m; i++)
            o->g[i] = a->g[i] + b->g[i];
    o->v = a->v + b->v;
}

static inline void fit_jet_sub(const struct fit_jctx *c, struct fit_jet *o, const struct fit_jet *a,
                               const struct fit_jet *b)
{
    if (c->order >= 2)
        for (int i = 0, n = c->m * (c->m + 1) / 2; i < n; i++)
            o->h[i] = a->h[i] - b->h[i];
    if (c->order >= 1)
        for (int i = 0; i < c->m; i++)
            o->g[i] = a->g[i] - b->g[i];
    o->v = a->v - b->v;
}

/* o = s * a for a constant s. */
static inline void fit_jet_scale(const struct fit_jctx *c, struct fit_jet *o,
                                 const struct fit_jet *a, double s)
{
    if (c->order >= 2)
        for (int i = 0, n = c->m * (c->m + 1) / 2; i < n; i++)
            o->h[i] = s * a->h[i];
    if (c->order >= 1)
        for (int i = 0; i < c->m; i++)
            o->g[i] = s * a->g[i];
    o->v = s * a->v;
}

/* o = s - a for a constant s (1 - p). */
static inline void fit_jet_rsub(const struct fit_jctx *c, struct fit_jet *o, double s,
                                const struct fit_jet *a)
{
    double v = s - a->v; /* before o (possibly a) is overwritten */
    fit_jet_scale(c, o, a, -1.0);
    o->v = v;
}

/* o = a * b. */
static inline void fit_jet_mul(const struct fit_jctx *c, struct fit_jet *o, const struct fit_jet *a,
                               const struct fit_jet *b)
{
    if (c->order >= 2)
        for (int i = 0, k = 0; i < c->m; i++)
            for (int j = 0; j <= i; j++, k++)
                o->h[k] = a->v * b->h[k] + b->v * a->h[k] + a->g[i] * b->g[j] + b->g[i] * a->g[j];
    if (c->order >= 1)
        for (int i = 0; i < c->m; i++)
            o->g[i] = a->v * b->g[i] + b->v * a->g[i];
    o->v = a->v * b->v;
}

/* o = f(a) for a scalar function with f(a.v) = f0, f' = f1, f'' = f2. */
static inline void fit_jet_chain(const struct fit_jctx *c, struct fit_jet *o,
                                 const struct fit_jet *a, double f0, double f1, double f2)
{
    if (c->order >= 2)
        for (int i = 0, k = 0; i < c->m; i++)
            for (int j = 0; j <= i; j++, k++)
                o->h[k] = f1 * a->h[k] + f2 * a->g[i] * a->g[j];
    if (c->order >= 1)
        for (int i = 0; i < c->m; i++)
            o->g[i] = f1 * a->g[i];
    o->v = f0;
}

static inline void fit_jet_exp(const struct fit_jctx *c, struct fit_jet *o, const struct fit_jet *a)
{
    double e = exp(a->v);
    fit_jet_chain(c, o, a, e, e, e);
}

static inline void fit_jet_log(const struct fit_jctx *c, struct fit_jet *o, const struct fit_jet *a)
{
    double r = 1.0 / a->v;
    fit_jet_chain(c, o, a, log(a->v), r, -r * r);
}

static inline void fit_jet_sqrt(const struct fit_jctx *c, struct fit_jet *o,
                                const struct fit_jet *a)
{
    double s = sqrt(a->v);
    double d = 0.5 / s;
    fit_jet_chain(c, o, a, s, d, -0.5 * d / a->v);
}

/* o = a * a. */
static inline void fit_jet_sq(const struct fit_jctx *c, struct fit_jet *o, const struct fit_jet *a)
{
    fit_jet_chain(c, o, a, a->v * a->v, 2.0 * a->v, 2.0);
}

/* o = 1 / a. */
static inline void fit_jet_recip(const struct fit_jctx *c, struct fit_jet *o,
                                 const struct fit_jet *a)
{
    double r = 1.0 / a->v;
    fit_jet_chain(c, o, a, r, -r * r, 2.0 * r * r * r);
}

/* o = a / b, computed as R computes x / sd (one division for the value). */
static inline void fit_jet_div(const struct fit_jctx *c, struct fit_jet *o, const struct fit_jet *a,
                               const struct fit_jet *b)
{
    double q = a->v / b->v;
    struct fit_jet r;
    fit_jet_recip(c, &r, b);
    fit_jet_mul(c, o, a, &r);
    o->v = q;
}

#endif
