/*
 * egame.c — per-observation log-likelihoods of egame12, egame122 and
 * egame123 (see egame.h), written once over jets so that the value, the
 * gradient and the Hessian in the indices come from the same code.  The
 * order of every sum and product follows the package's R code, so the
 * value matches it to rounding (the conformance test checks 1e-10).
 */
#include "fit/egame.h"

#include "uq/dist.h"

#include <float.h>

#define P_LO DBL_EPSILON               /* .Machine$double.eps */
#define P_HI (1.0 - DBL_EPSILON / 2.0) /* 1 - .Machine$double.neg.eps */

static const double INV_SQRT_2PI = 0.398942280401432677939946059934;

int fit_egame_nutil(enum fit_game g)
{
    return g == FIT_EGAME12 ? 4 : g == FIT_EGAME122 ? 6 : 8;
}

int fit_egame_nout(enum fit_game g)
{
    return g == FIT_EGAME12 ? 3 : 4;
}

int fit_egame_nplayers(enum fit_game g)
{
    return g == FIT_EGAME123 ? 3 : 2;
}

int fit_egame_nprob(enum fit_game g)
{
    return g == FIT_EGAME12 ? 4 : 6;
}

/* The package's finitize(): an infinite utility becomes +-DBL_MAX. */
static double finitize(double v)
{
    if (isinf(v))
        return v > 0 ? DBL_MAX : -DBL_MAX;
    return v;
}

/* The jet of equation q: an active index or a constant. */
static void index_jet(const struct fit_egame *g, const struct fit_jctx *c, const double *eta, int q,
                      struct fit_jet *o)
{
    double v = finitize(eta[q]);
    if (g->active[q] >= 0)
        fit_jet_var(c, o, v, g->active[q]);
    else
        fit_jet_const(c, o, v);
}

/* The scale s_k of player k (0-based): 1, the common exp(w'g), or the
 * player's own. */
static void scale_jet(const struct fit_egame *g, const struct fit_jctx *c, const double *eta, int k,
                      struct fit_jet *o)
{
    if (g->nscale == 0) {
        fit_jet_const(c, o, 1.0);
        return;
    }
    int q = fit_egame_nutil(g->game) + (g->nscale == 1 ? 0 : k);
    index_jet(g, c, eta, q, o);
    fit_jet_exp(c, o, o);
}

/* o = F(x / sd), clamped as finiteProbs() clamps. */
static void choice_prob(const struct fit_egame *g, const struct fit_jctx *c, struct fit_jet *o,
                        const struct fit_jet *x, const struct fit_jet *sd)
{
    struct fit_jet z;
    fit_jet_div(c, &z, x, sd);
    double p, d, d2;
    if (g->link == FIT_PROBIT) {
        p = casus_dist_norm_cdf(z.v);
        d = INV_SQRT_2PI * exp(-0.5 * z.v * z.v);
        d2 = -z.v * d;
    } else {
        double e = exp(-z.v);
        p = 1.0 / (1.0 + e);
        d = isinf(e) ? 0.0 : e / ((1.0 + e) * (1.0 + e));
        d2 = d * (1.0 - 2.0 * p);
    }
    if (p < P_LO)
        fit_jet_const(c, o, P_LO);
    else if (p > P_HI)
        fit_jet_const(c, o, P_HI);
    else
        fit_jet_chain(c, o, &z, p, d, d2);
}

/* sd = sqrt(s^2 + s^2): a mover's two agent errors. */
static void agent_sd(const struct fit_jctx *c, struct fit_jet *o, const struct fit_jet *s)
{
    struct fit_jet t;
    fit_jet_sq(c, &t, s);
    fit_jet_add(c, o, &t, &t);
    fit_jet_sqrt(c, o, o);
}

/* acc += w^2 * s^2 (s == NULL: s = 1 and the product is skipped). */
static void add_wsq(const struct fit_jctx *c, struct fit_jet *acc, const struct fit_jet *w,
                    const struct fit_jet *s)
{
    struct fit_jet t;
    fit_jet_sq(c, &t, w);
    if (s) {
        struct fit_jet u;
        fit_jet_sq(c, &u, s);
        fit_jet_mul(c, &t, &t, &u);
    }
    fit_jet_add(c, acc, acc, &t);
}

/* s^2 as the first term of a private-information variance. */
static void start_sq(const struct fit_jctx *c, struct fit_jet *acc, const struct fit_jet *s)
{
    fit_jet_sq(c, acc, s);
}

/* egame12: p[0..3] = p1..p4. */
static void probs12(const struct fit_egame *g, const struct fit_jctx *c, const double *eta,
                    struct fit_jet *p)
{
    struct fit_jet u11, u13, u14, u24, s1, s2, sd, x, t;
    index_jet(g, c, eta, 0, &u11);
    index_jet(g, c, eta, 1, &u13);
    index_jet(g, c, eta, 2, &u14);
    index_jet(g, c, eta, 3, &u24);
    scale_jet(g, c, eta, 0, &s1);
    scale_jet(g, c, eta, 1, &s2);
    const struct fit_jet *sp = g->nscale ? &s1 : NULL;

    agent_sd(c, &sd, &s2); /* sd4: player 2's two errors, both information types */
    choice_prob(g, c, &p[3], &u24, &sd);
    fit_jet_rsub(c, &p[2], 1.0, &p[3]);

    if (g->type == FIT_PRIVATE) { /* sqrt(p3^2 s^2 + p4^2 s^2 + s^2) */
        fit_jet_sq(c, &sd, &p[2]);
        if (sp) {
            fit_jet_sq(c, &t, sp);
            fit_jet_mul(c, &sd, &sd, &t);
        }
        add_wsq(c, &sd, &p[3], sp);
        if (sp) {
            start_sq(c, &t, sp);
            fit_jet_add(c, &sd, &sd, &t);
        } else {
            sd.v += 1.0;
        }
        fit_jet_sqrt(c, &sd, &sd);
    } else {
        agent_sd(c, &sd, &s1);
    }
    fit_jet_mul(c, &x, &p[2], &u13); /* p3 * u13 + p4 * u14 - u11 */
    fit_jet_mul(c, &t, &p[3], &u14);
    fit_jet_add(c, &x, &x, &t);
    fit_jet_sub(c, &x, &x, &u11);
    choice_prob(g, c, &p[1], &x, &sd);
    fit_jet_rsub(c, &p[0], 1.0, &p[1]);
}

/* egame122: p[0..5] = p1..p6. */
static void probs122(const struct fit_egame *g, const struct fit_jctx *c, const double *eta,
                     struct fit_jet *p)
{
    struct fit_jet u11, u12, u13, u14, u22, u24, s1, s2, sd, x, t;
    index_jet(g, c, eta, 0, &u11);
    index_jet(g, c, eta, 1, &u12);
    index_jet(g, c, eta, 2, &u13);
    index_jet(g, c, eta, 3, &u14);
    index_jet(g, c, eta, 4, &u22);
    index_jet(g, c, eta, 5, &u24);
    scale_jet(g, c, eta, 0, &s1);
    scale_jet(g, c, eta, 1, &s2);
    const struct fit_jet *sp = g->nscale ? &s1 : NULL;

    agent_sd(c, &sd, &s2); /* player 2 has two errors at each of its nodes */
    choice_prob(g, c, &p[5], &u24, &sd);
    fit_jet_rsub(c, &p[4], 1.0, &p[5]);
    choice_prob(g, c, &p[3], &u22, &sd);
    fit_jet_rsub(c, &p[2], 1.0, &p[3]);

    if (g->type == FIT_PRIVATE) { /* sqrt(p3^2 s^2 + p4^2 s^2 + p5^2 s^2 + p6^2 s^2) */
        fit_jet_sq(c, &sd, &p[2]);
        if (sp) {
            fit_jet_sq(c, &t, sp);
            fit_jet_mul(c, &sd, &sd, &t);
        }
        add_wsq(c, &sd, &p[3], sp);
        add_wsq(c, &sd, &p[4], sp);
        add_wsq(c, &sd, &p[5], sp);
        fit_jet_sqrt(c, &sd, &sd);
    } else {
        agent_sd(c, &sd, &s1);
    }
    fit_jet_mul(c, &x, &p[4], &u13); /* p5 u13 + p6 u14 - p3 u11 - p4 u12 */
    fit_jet_mul(c, &t, &p[5], &u14);
    fit_jet_add(c, &x, &x, &t);
    fit_jet_mul(c, &t, &p[2], &u11);
    fit_jet_sub(c, &x, &x, &t);
    fit_jet_mul(c, &t, &p[3], &u12);
    fit_jet_sub(c, &x, &x, &t);
    choice_prob(g, c, &p[1], &x, &sd);
    fit_jet_rsub(c, &p[0], 1.0, &p[1]);
}

/* egame123, player 2's node: sd4 and x4 = p5 u25 + p6 u26 - u23. */
static void node2_123(const struct fit_egame *g, const struct fit_jctx *c, const double *eta,
                      const struct fit_jet *p, const struct fit_jet *s2, struct fit_jet *sd,
                      struct fit_jet *x)
{
    struct fit_jet u23, u25, u26, t;
    index_jet(g, c, eta, 4, &u23);
    index_jet(g, c, eta, 5, &u25);
    index_jet(g, c, eta, 6, &u26);
    const struct fit_jet *sp = g->nscale ? s2 : NULL;
    if (g->type == FIT_PRIVATE) { /* sqrt(p5^2 s^2 + p6^2 s^2 + s^2) */
        fit_jet_sq(c, sd, &p[4]);
        if (sp) {
            fit_jet_sq(c, &t, sp);
            fit_jet_mul(c, sd, sd, &t);
        }
        add_wsq(c, sd, &p[5], sp);
        if (sp) {
            start_sq(c, &t, sp);
            fit_jet_add(c, sd, sd, &t);
        } else {
            sd->v += 1.0;
        }
        fit_jet_sqrt(c, sd, sd);
    } else {
        agent_sd(c, sd, s2);
    }
    fit_jet_mul(c, x, &p[4], &u25);
    fit_jet_mul(c, &t, &p[5], &u26);
    fit_jet_add(c, x, x, &t);
    fit_jet_sub(c, x, x, &u23);
}

/* egame123, player 1's variance under private information:
 * p3^2 s^2 + p4^2 p5^2 s^2 + p4^2 p6^2 s^2 + s^2. */
static void var1_123(const struct fit_jctx *c, const struct fit_jet *p, const struct fit_jet *sp,
                     struct fit_jet *sd)
{
    struct fit_jet t, q, ssq;
    ssq.v = 1.0; /* unused without a scale, but set */
    ssq.mask = 0;
    if (sp)
        fit_jet_sq(c, &ssq, sp);
    fit_jet_sq(c, sd, &p[2]);
    if (sp)
        fit_jet_mul(c, sd, sd, &ssq);
    fit_jet_sq(c, &t, &p[3]);
    fit_jet_sq(c, &q, &p[4]);
    fit_jet_mul(c, &q, &t, &q);
    if (sp)
        fit_jet_mul(c, &q, &q, &ssq);
    fit_jet_add(c, sd, sd, &q);
    fit_jet_sq(c, &q, &p[5]);
    fit_jet_mul(c, &q, &t, &q);
    if (sp)
        fit_jet_mul(c, &q, &q, &ssq);
    fit_jet_add(c, sd, sd, &q);
    if (sp)
        fit_jet_add(c, sd, sd, &ssq);
    else
        sd->v += 1.0;
    fit_jet_sqrt(c, sd, sd);
}

/* egame123: p[0..5] = p1..p6. */
static void probs123(const struct fit_egame *g, const struct fit_jctx *c, const double *eta,
                     struct fit_jet *p)
{
    struct fit_jet u11, u13, u15, u16, u36, s1, s2, s3, sd, x, t;
    index_jet(g, c, eta, 0, &u11);
    index_jet(g, c, eta, 1, &u13);
    index_jet(g, c, eta, 2, &u15);
    index_jet(g, c, eta, 3, &u16);
    index_jet(g, c, eta, 7, &u36);
    scale_jet(g, c, eta, 0, &s1);
    scale_jet(g, c, eta, 1, &s2);
    scale_jet(g, c, eta, 2, &s3);

    agent_sd(c, &sd, &s3); /* player 3: both information types */
    choice_prob(g, c, &p[5], &u36, &sd);
    fit_jet_rsub(c, &p[4], 1.0, &p[5]);

    node2_123(g, c, eta, p, &s2, &sd, &x);
    choice_prob(g, c, &p[3], &x, &sd);
    fit_jet_rsub(c, &p[2], 1.0, &p[3]);

    if (g->type == FIT_PRIVATE)
        var1_123(c, p, g->nscale ? &s1 : NULL, &sd);
    else
        agent_sd(c, &sd, &s1);
    fit_jet_mul(c, &x, &p[4], &u15); /* p3 u13 + p4 (p5 u15 + p6 u16) - u11 */
    fit_jet_mul(c, &t, &p[5], &u16);
    fit_jet_add(c, &x, &x, &t);
    fit_jet_mul(c, &x, &p[3], &x);
    fit_jet_mul(c, &t, &p[2], &u13);
    fit_jet_add(c, &x, &t, &x);
    fit_jet_sub(c, &x, &x, &u11);
    choice_prob(g, c, &p[1], &x, &sd);
    fit_jet_rsub(c, &p[0], 1.0, &p[1]);
}

static void probs(const struct fit_egame *g, const struct fit_jctx *c, const double *eta,
                  struct fit_jet *p)
{
    switch (g->game) {
    case FIT_EGAME12: probs12(g, c, eta, p); break;
    case FIT_EGAME122: probs122(g, c, eta, p); break;
    case FIT_EGAME123: probs123(g, c, eta, p); break;
    }
}

/* o = log(a) + log(b) (+ log(b2) when b2 != NULL), summed left to right. */
static void log_sum(const struct fit_jctx *c, struct fit_jet *o, struct fit_jet *a,
                    struct fit_jet *b, struct fit_jet *b2)
{
    fit_jet_log(c, o, a);
    fit_jet_log(c, b, b);
    fit_jet_add(c, o, o, b);
    if (b2) {
        fit_jet_log(c, b2, b2);
        fit_jet_add(c, o, o, b2);
    }
}

void fit_egame_loglik(const struct fit_egame *g, size_t i, const double *eta,
                      const struct fit_jctx *c, struct fit_jet *out)
{
    if (g->game == FIT_EGAME12 && g->nscale == 0)
        fit_egame12_loglik(g, i, eta, c, out);
    else
        fit_egame_loglik_jets(g, i, eta, c, out);
}

void fit_egame_loglik_jets(const struct fit_egame *g, size_t i, const double *eta,
                           const struct fit_jctx *c, struct fit_jet *out)
{
    struct fit_jet p[6];
    probs(g, c, eta, p);
    int y = g->y[i];
    switch (g->game) {
    case FIT_EGAME12: /* 1: p1; 3: p2 p3; 4: p2 p4 */
        if (y == 0)
            fit_jet_log(c, out, &p[0]);
        else
            log_sum(c, out, &p[1], &p[y + 1], NULL);
        break;
    case FIT_EGAME122: /* p1 p3, p1 p4, p2 p5, p2 p6 */
        log_sum(c, out, &p[y < 2 ? 0 : 1], &p[y + 2], NULL);
        break;
    case FIT_EGAME123: /* p1; p2 p3; p2 p4 p5; p2 p4 p6 */
        if (y == 0)
            fit_jet_log(c, out, &p[0]);
        else if (y == 1)
            log_sum(c, out, &p[1], &p[2], NULL);
        else
            log_sum(c, out, &p[1], &p[3], &p[y + 2]);
        break;
    }
}

void fit_egame_probs(const struct fit_egame *g, const double *eta, double *p)
{
    const struct fit_jctx c = {0, 0};
    struct fit_jet j[6];
    probs(g, &c, eta, j);
    for (int k = 0; k < fit_egame_nprob(g->game); k++)
        p[k] = j[k].v;
}
