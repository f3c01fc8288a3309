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
 * Sparsity: a jet records in `mask` the indices it depends on; gradient
 * and Hessian entries are valid only for indices (pairs) in the mask and
 * are never read outside it (they may hold stale values).  Constants cost
 * nothing, a quantity of one utility (player 2's choice probability, say)
 * costs O(1) per operation, and only the combinations pay O(m^2).
 *
 * Layout: the Hessian is packed lower-triangular, h[i * (i + 1) / 2 + j] for
 * j <= i.  ctx->order says how much is computed: 0 value, 1 value and
 * gradient, 2 all three.  Every operation may write its result over one
 * or both of its inputs (it updates the Hessian, then the gradient, then
 * the value, each entry from input entries not yet overwritten).  No
 * allocation.
 */
#ifndef CASUS_FIT_JET_H
#define CASUS_FIT_JET_H

#include "base/internal.h"

#include <math.h>

/* The operations are inlined into each model's code, where the compiler
 * can see which masks are constant. */
#define FIT_JET_INLINE static inline __attribute__((always_inline))

#define FIT_JMAX 12 /* active indices: egame123 has 8 utilities and 3 scales */
#define FIT_JH   (FIT_JMAX * (FIT_JMAX + 1) / 2)

struct fit_jctx {
    int m;     /* active indices, 0 <= m <= FIT_JMAX */
    int order; /* 0, 1 or 2 */
};

struct fit_jet {
    double v;           /* value */
    unsigned mask;      /* indices the jet depends on (bit i: index i) */
    double g[FIT_JMAX]; /* gradient; entries in mask valid */
    double h[FIT_JH];   /* Hessian, packed lower triangle; pairs in mask valid */
};

/* The set bits of mask, ascending, into idx; returns how many. */
FIT_JET_INLINE int fit_jet_bits(unsigned mask, int *idx)
{
    int n = 0;
    while (mask) {
        idx[n++] = __builtin_ctz(mask);
        mask &= mask - 1;
    }
    return n;
}

FIT_JET_INLINE int fit_jet_hk(int i, int j)
{
    return i * (i + 1) / 2 + j;
}

/* The mask of every active index (0 at order 0, where masks stay empty). */
FIT_JET_INLINE unsigned fit_jet_full(const struct fit_jctx *c)
{
    return c->order >= 1 ? (1u << c->m) - 1u : 0u;
}

/* Entries of a jet, zero outside its mask. */
FIT_JET_INLINE double fit_jet_gi(const struct fit_jet *a, int i)
{
    return (a->mask >> i) & 1u ? a->g[i] : 0.0;
}

FIT_JET_INLINE double fit_jet_hij(const struct fit_jet *a, int i, int j)
{
    return ((a->mask >> i) & (a->mask >> j) & 1u) ? a->h[fit_jet_hk(i, j)] : 0.0;
}

/* A constant. */
FIT_JET_INLINE void fit_jet_const(const struct fit_jctx *c, struct fit_jet *o, double v)
{
    (void)c;
    o->v = v;
    o->mask = 0;
}

/* The active index k (< c->m) at value v. */
FIT_JET_INLINE void fit_jet_var(const struct fit_jctx *c, struct fit_jet *o, double v, int k)
{
    o->v = v;
    o->mask = c->order >= 1 ? 1u << k : 0u;
    o->g[k] = 1.0;
    o->h[fit_jet_hk(k, k)] = 0.0;
}

/* o = a + s b (s = 1 or -1: the value is a + b or a - b exactly). */
FIT_JET_INLINE void fit_jet_addmul(const struct fit_jctx *c, struct fit_jet *o,
                                   const struct fit_jet *a, const struct fit_jet *b, double s)
{
    unsigned u = a->mask | b->mask;
    double v = a->v + s * b->v;
    if (a->mask == u && b->mask == u && u == fit_jet_full(c)) { /* dense */
        if (c->order >= 2)
            for (int k = 0, nh = c->m * (c->m + 1) / 2; k < nh; k++)
                o->h[k] = a->h[k] + s * b->h[k];
        for (int i = 0; i < c->m; i++)
            o->g[i] = a->g[i] + s * b->g[i];
        o->mask = u;
        o->v = v;
        return;
    }
    int idx[FIT_JMAX], n = fit_jet_bits(u, idx);
    if (a->mask == b->mask) { /* the common case: no zero fill */
        if (c->order >= 2)
            for (int p = 0; p < n; p++)
                for (int q = 0; q <= p; q++) {
                    int k = fit_jet_hk(idx[p], idx[q]);
                    o->h[k] = a->h[k] + s * b->h[k];
                }
        for (int p = 0; p < n; p++)
            o->g[idx[p]] = a->g[idx[p]] + s * b->g[idx[p]];
    } else {
        if (c->order >= 2)
            for (int p = 0; p < n; p++)
                for (int q = 0; q <= p; q++) {
                    int i = idx[p], j = idx[q];
                    o->h[fit_jet_hk(i, j)] = fit_jet_hij(a, i, j) + s * fit_jet_hij(b, i, j);
                }
        for (int p = 0; p < n; p++)
            o->g[idx[p]] = fit_jet_gi(a, idx[p]) + s * fit_jet_gi(b, idx[p]);
    }
    o->mask = u;
    o->v = v;
}

FIT_JET_INLINE void fit_jet_add(const struct fit_jctx *c, struct fit_jet *o,
                                const struct fit_jet *a, const struct fit_jet *b)
{
    fit_jet_addmul(c, o, a, b, 1.0); /* 1.0 * b->v is b->v exactly */
}

FIT_JET_INLINE void fit_jet_sub(const struct fit_jctx *c, struct fit_jet *o,
                                const struct fit_jet *a, const struct fit_jet *b)
{
    fit_jet_addmul(c, o, a, b, -1.0);
}

/* o = f(a) for a scalar function with f(a.v) = f0, f' = f1, f'' = f2. */
FIT_JET_INLINE void fit_jet_chain(const struct fit_jctx *c, struct fit_jet *o,
                                  const struct fit_jet *a, double f0, double f1, double f2)
{
    if (a->mask == fit_jet_full(c)) { /* dense: every index */
        if (c->order >= 2)
            for (int i = 0, k = 0; i < c->m; i++)
                for (int j = 0; j <= i; j++, k++)
                    o->h[k] = f1 * a->h[k] + f2 * a->g[i] * a->g[j];
        for (int i = 0; i < c->m; i++)
            o->g[i] = f1 * a->g[i];
        o->mask = a->mask;
        o->v = f0;
        return;
    }
    int idx[FIT_JMAX], n = fit_jet_bits(a->mask, idx);
    if (c->order >= 2)
        for (int p = 0; p < n; p++)
            for (int q = 0; q <= p; q++) {
                int i = idx[p], j = idx[q], k = fit_jet_hk(i, j);
                o->h[k] = f1 * a->h[k] + f2 * a->g[i] * a->g[j];
            }
    for (int p = 0; p < n; p++)
        o->g[idx[p]] = f1 * a->g[idx[p]];
    o->mask = a->mask;
    o->v = f0;
}

/* o = s * a for a constant s. */
FIT_JET_INLINE void fit_jet_scale(const struct fit_jctx *c, struct fit_jet *o,
                                  const struct fit_jet *a, double s)
{
    fit_jet_chain(c, o, a, s * a->v, s, 0.0);
}

/* o = s - a for a constant s (1 - p). */
FIT_JET_INLINE void fit_jet_rsub(const struct fit_jctx *c, struct fit_jet *o, double s,
                                 const struct fit_jet *a)
{
    fit_jet_chain(c, o, a, s - a->v, -1.0, 0.0);
}

/* o = a * b. */
FIT_JET_INLINE void fit_jet_mul(const struct fit_jctx *c, struct fit_jet *o,
                                const struct fit_jet *a, const struct fit_jet *b)
{
    if (!b->mask) { /* a constant factor */
        fit_jet_chain(c, o, a, a->v * b->v, b->v, 0.0);
        return;
    }
    if (!a->mask) {
        fit_jet_chain(c, o, b, a->v * b->v, a->v, 0.0);
        return;
    }
    unsigned u = a->mask | b->mask;
    if (a->mask == u && b->mask == u && u == fit_jet_full(c)) { /* dense */
        if (c->order >= 2)
            for (int i = 0, k = 0; i < c->m; i++)
                for (int j = 0; j <= i; j++, k++)
                    o->h[k] =
                        a->v * b->h[k] + b->v * a->h[k] + a->g[i] * b->g[j] + b->g[i] * a->g[j];
        for (int i = 0; i < c->m; i++)
            o->g[i] = a->v * b->g[i] + b->v * a->g[i];
        o->mask = u;
        o->v = a->v * b->v;
        return;
    }
    int idx[FIT_JMAX], n = fit_jet_bits(u, idx);
    double ga[FIT_JMAX], gb[FIT_JMAX]; /* gradients over the union, zero filled */
    for (int p = 0; p < n; p++) {
        ga[p] = fit_jet_gi(a, idx[p]);
        gb[p] = fit_jet_gi(b, idx[p]);
    }
    if (c->order >= 2) {
        bool same = a->mask == b->mask;
        for (int p = 0; p < n; p++)
            for (int q = 0; q <= p; q++) {
                int i = idx[p], j = idx[q], k = fit_jet_hk(i, j);
                double ha = same ? a->h[k] : fit_jet_hij(a, i, j);
                double hb = same ? b->h[k] : fit_jet_hij(b, i, j);
                o->h[k] = a->v * hb + b->v * ha + ga[p] * gb[q] + gb[p] * ga[q];
            }
    }
    for (int p = 0; p < n; p++)
        o->g[idx[p]] = a->v * gb[p] + b->v * ga[p];
    o->mask = u;
    o->v = a->v * b->v;
}

FIT_JET_INLINE void fit_jet_exp(const struct fit_jctx *c, struct fit_jet *o,
                                const struct fit_jet *a)
{
    double e = exp(a->v);
    fit_jet_chain(c, o, a, e, e, e);
}

FIT_JET_INLINE void fit_jet_log(const struct fit_jctx *c, struct fit_jet *o,
                                const struct fit_jet *a)
{
    double r = 1.0 / a->v;
    fit_jet_chain(c, o, a, log(a->v), r, -r * r);
}

FIT_JET_INLINE void fit_jet_sqrt(const struct fit_jctx *c, struct fit_jet *o,
                                 const struct fit_jet *a)
{
    double s = sqrt(a->v);
    double d = 0.5 / s;
    fit_jet_chain(c, o, a, s, d, -0.5 * d / a->v);
}

/* o = a * a. */
FIT_JET_INLINE void fit_jet_sq(const struct fit_jctx *c, struct fit_jet *o, const struct fit_jet *a)
{
    fit_jet_chain(c, o, a, a->v * a->v, 2.0 * a->v, 2.0);
}

/* o = 1 / a. */
FIT_JET_INLINE void fit_jet_recip(const struct fit_jctx *c, struct fit_jet *o,
                                  const struct fit_jet *a)
{
    double r = 1.0 / a->v;
    fit_jet_chain(c, o, a, r, -r * r, 2.0 * r * r * r);
}

/* o = a / b, the value as one division (as R computes x / sd). */
FIT_JET_INLINE void fit_jet_div(const struct fit_jctx *c, struct fit_jet *o,
                                const struct fit_jet *a, const struct fit_jet *b)
{
    double q = a->v / b->v;
    if (!b->mask) { /* a constant divisor */
        fit_jet_chain(c, o, a, q, 1.0 / b->v, 0.0);
        return;
    }
    struct fit_jet r;
    fit_jet_recip(c, &r, b);
    fit_jet_mul(c, o, a, &r);
    o->v = q;
}

#endif
