/*
 * sbi.c — starting values by statistical backwards induction (egame) and
 * pseudo-SBI (ultimatum), with an IRLS binary glm after R's glm.fit (see
 * sbi.h).
 */
#include "fit/sbi.h"

#include "fit/egame.h"
#include "fit/linalg.h"
#include "uq/dist.h"

#include <float.h>
#include <math.h>

static const double SQRT2 = 1.41421356237309504880;
static const double PROBIT_THRESH = 8.125890664701906; /* -qnorm(DBL_EPSILON) */

static double linkinv(bool logit, double eta)
{
    if (logit) {
        if (eta < -30)
            return DBL_EPSILON;
        if (eta > 30)
            return 1 - DBL_EPSILON;
        return 1.0 / (1.0 + exp(-eta));
    }
    return casus_dist_norm_cdf(fmin(fmax(eta, -PROBIT_THRESH), PROBIT_THRESH));
}

static double mu_eta(bool logit, double eta)
{
    if (logit) {
        if (eta > 30 || eta < -30)
            return DBL_EPSILON;
        double o = 1.0 + exp(eta);
        return exp(eta) / (o * o);
    }
    return fmax(0.398942280401432678 * exp(-0.5 * eta * eta), DBL_EPSILON);
}

static double deviance(const double *y, const double *mu, size_t n)
{
    double d = 0.0;
    for (size_t i = 0; i < n; i++)
        d += -2.0 * log(y[i] > 0.5 ? mu[i] : 1.0 - mu[i]);
    return d;
}

/* eta = x coef + offset; mu = linkinv(eta). */
static void predict_eta(const double *x, size_t n, size_t k, const double *coef,
                        const double *offset, bool logit, double *eta, double *mu)
{
    for (size_t i = 0; i < n; i++)
        eta[i] = offset ? offset[i] : 0.0;
    for (size_t j = 0; j < k; j++)
        for (size_t i = 0; i < n; i++)
            eta[i] += x[j * n + i] * coef[j];
    for (size_t i = 0; i < n; i++)
        mu[i] = linkinv(logit, eta[i]);
}

casus_status fit_glm_binary(const double *x, size_t n, size_t k, const double *y,
                            const double *offset, bool logit, struct casus_arena *a, double *coef)
{
    double *eta = casus_arena_alloc(a, (4 * n + k + 1) * sizeof *eta);
    double *ws = casus_arena_alloc(a, (k * k + 2 * k + 1) * sizeof *ws);
    if (!eta || !ws)
        return CASUS_ENOMEM;
    double *mu = eta + n, *z = mu + n, *w = z + n, *old = w + n;
    for (size_t i = 0; i < n; i++) { /* mustart = (y + 0.5) / 2 */
        double m = (y[i] + 0.5) / 2.0;
        eta[i] = logit ? log(m / (1.0 - m)) : casus_dist_norm_quantile(m);
        mu[i] = linkinv(logit, eta[i]);
    }
    memset(coef, 0, k * sizeof *coef);
    double devold = deviance(y, mu, n);
    for (int iter = 0; iter < 25 && k > 0; iter++) {
        for (size_t i = 0; i < n; i++) {
            double me = mu_eta(logit, eta[i]), var = mu[i] * (1.0 - mu[i]);
            z[i] = (eta[i] - (offset ? offset[i] : 0.0)) + (y[i] - mu[i]) / me;
            w[i] = me * me / var;
        }
        memcpy(old, coef, k * sizeof *coef);
        fit_lsq(x, n, k, z, w, coef, NULL, ws);
        predict_eta(x, n, k, coef, offset, logit, eta, mu);
        double dev = deviance(y, mu, n);
        for (int half = 0; !isfinite(dev) && half < 30; half++) { /* step halving */
            for (size_t j = 0; j < k; j++)
                coef[j] = 0.5 * (coef[j] + old[j]);
            predict_eta(x, n, k, coef, offset, logit, eta, mu);
            dev = deviance(y, mu, n);
        }
        if (fabs(dev - devold) / (fabs(dev) + 0.1) < 1e-8)
            break;
        devold = dev;
    }
    return CASUS_OK;
}

/* The rows of x (column-major n x k) where sel[i], into a new matrix. */
static double *rows_of(struct casus_arena *a, const double *x, size_t n, size_t k, const bool *sel,
                       size_t m)
{
    double *o = casus_arena_alloc(a, (m * k + 1) * sizeof *o);
    if (!o)
        return NULL;
    for (size_t j = 0; j < k; j++)
        for (size_t i = 0, r = 0; i < n; i++)
            if (sel[i])
                o[j * m + r++] = x[j * n + i];
    return o;
}

/* A binary glm of yv on the columns of x over the rows in sel; then the
 * fitted probability F(x coef) for every row into p (plain F, unclamped). */
static casus_status stage(const double *x, size_t n, size_t k, const bool *sel, const double *yv,
                          bool logit, struct casus_arena *a, double *coef, double *p)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        m += sel[i];
    double *xs = rows_of(a, x, n, k, sel, m);
    double *ys = casus_arena_alloc(a, (m + 1) * sizeof *ys);
    if (!xs || !ys)
        return CASUS_ENOMEM;
    for (size_t i = 0, r = 0; i < n; i++)
        if (sel[i])
            ys[r++] = yv[i];
    casus_status st = fit_glm_binary(xs, m, k, ys, NULL, logit, a, coef);
    if (st != CASUS_OK || !p)
        return st;
    for (size_t i = 0; i < n; i++) {
        double e = 0.0;
        for (size_t j = 0; j < k; j++)
            e += x[j * n + i] * coef[j];
        p[i] = logit ? 1.0 / (1.0 + exp(-e)) : casus_dist_norm_cdf(e);
    }
    return CASUS_OK;
}

/* A matrix of blocks: column-major n x (sum of k), block b = w_b * x_b
 * (w_b NULL: 1), each block negated when neg[b]. */
struct block {
    const double *x;
    size_t k;
    const double *w;  /* per-row weight or NULL */
    const double *w2; /* a second weight multiplied in, or NULL */
    bool neg;
};

static double *stack(struct casus_arena *a, size_t n, const struct block *bl, int nb, size_t *k)
{
    size_t kk = 0;
    for (int b = 0; b < nb; b++)
        kk += bl[b].k;
    double *o = casus_arena_alloc(a, (n * kk + 1) * sizeof *o);
    if (!o)
        return NULL;
    size_t j = 0;
    for (int b = 0; b < nb; b++)
        for (size_t c = 0; c < bl[b].k; c++, j++)
            for (size_t i = 0; i < n; i++) {
                double v = bl[b].x[c * n + i];
                if (bl[b].w)
                    v = bl[b].w[i] * v;
                if (bl[b].w2)
                    v = bl[b].w2[i] * v;
                o[j * n + i] = bl[b].neg ? -v : v;
            }
    *k = kk;
    return o;
}

/* Scratch for one SBI: selections, responses, probabilities. */
struct sbi {
    const struct fit_design *ds;
    struct casus_arena *a;
    bool logit;
    size_t n;
    bool *all;
};

/* sel[i] = (y[i] in the set mask), yv[i] = (y[i] in the set one). */
static bool outcome_sets(const struct sbi *s, unsigned mask, unsigned one, bool **sel, double **yv)
{
    *sel = casus_arena_alloc(s->a, s->n + 1);
    *yv = casus_arena_alloc(s->a, (s->n + 1) * sizeof **yv);
    if (!*sel || !*yv)
        return false;
    for (size_t i = 0; i < s->n; i++) {
        unsigned bit = 1u << s->ds->y[i];
        (*sel)[i] = (mask & bit) != 0;
        (*yv)[i] = (one & bit) ? 1.0 : 0.0;
    }
    return true;
}

static double *one_minus(struct casus_arena *a, const double *p, size_t n)
{
    double *q = casus_arena_alloc(a, (n + 1) * sizeof *q);
    for (size_t i = 0; q && i < n; i++)
        q[i] = 1.0 - p[i];
    return q;
}

/* Write sqrt(2) * coef into theta from parameter off on, skipping fixed. */
static void put(const struct fit_design *ds, double *theta, size_t off, const double *coef,
                size_t k)
{
    for (size_t j = 0; j < k; j++)
        if (!ds->fixed[off + j])
            theta[off + j] = SQRT2 * coef[j];
}

static size_t offset_of(const struct fit_design *ds, int q)
{
    size_t off = 0;
    for (int e = 0; e < q; e++)
        off += ds->k[e];
    return off;
}

/* Player 1's regression of the egame models on stacked blocks. */
static casus_status first_mover(struct sbi *s, const struct block *bl, int nb, double *theta)
{
    size_t k;
    double *x = stack(s->a, s->n, bl, nb, &k);
    bool *sel;
    double *yv, *coef = casus_arena_alloc(s->a, (k + 1) * sizeof *coef);
    if (!x || !coef || !outcome_sets(s, 0xe, 0xe, &sel, &yv))
        return CASUS_ENOMEM;
    if (s->ds->nout == 4 && s->ds->nutil == 6) /* egame122: 1 moves right to outcomes 3, 4 */
        for (size_t i = 0; i < s->n; i++)
            yv[i] = s->ds->y[i] >= 2 ? 1.0 : 0.0;
    casus_status st = stage(x, s->n, k, s->all, yv, s->logit, s->a, coef, NULL);
    if (st == CASUS_OK)
        put(s->ds, theta, 0, coef, k);
    return st;
}

/* A mover whose choice ends the game: a binary regression on equation q
 * over the observations whose outcome is in mask, 1 for those in one; the
 * coefficients go into theta, the fitted probability into *p and its
 * complement into *pc. */
static casus_status end_mover(struct sbi *s, int q, unsigned mask, unsigned one, double **p,
                              double **pc, double *theta)
{
    const struct fit_design *ds = s->ds;
    bool *sel;
    double *yv, *coef = casus_arena_alloc(s->a, (ds->k[q] + 1) * sizeof *coef);
    *p = casus_arena_alloc(s->a, (s->n + 1) * sizeof **p);
    if (!*p || !coef || !outcome_sets(s, mask, one, &sel, &yv))
        return CASUS_ENOMEM;
    casus_status st = stage(ds->x[q], s->n, ds->k[q], sel, yv, s->logit, s->a, coef, *p);
    if (st != CASUS_OK)
        return st;
    if (!(*pc = one_minus(s->a, *p, s->n)))
        return CASUS_ENOMEM;
    put(ds, theta, offset_of(ds, q), coef, ds->k[q]);
    return CASUS_OK;
}

static casus_status sbi12(struct sbi *s, double *theta)
{
    const struct fit_design *ds = s->ds;
    double *p4, *q4;
    casus_status st = end_mover(s, 3, 0x6, 0x4, &p4, &q4, theta);
    if (st != CASUS_OK)
        return st;
    struct block bl[] = {{ds->x[0], ds->k[0], NULL, NULL, true},
                         {ds->x[1], ds->k[1], q4, NULL, false},
                         {ds->x[2], ds->k[2], p4, NULL, false}};
    return first_mover(s, bl, 3, theta);
}

static casus_status sbi122(struct sbi *s, double *theta)
{
    const struct fit_design *ds = s->ds;
    double *p2, *q2, *p4, *q4;
    casus_status st = end_mover(s, 4, 0x3, 0x2, &p2, &q2, theta);
    if (st == CASUS_OK)
        st = end_mover(s, 5, 0xc, 0x8, &p4, &q4, theta);
    if (st != CASUS_OK)
        return st;
    struct block bl[] = {{ds->x[0], ds->k[0], q2, NULL, true},
                         {ds->x[1], ds->k[1], p2, NULL, true},
                         {ds->x[2], ds->k[2], q4, NULL, false},
                         {ds->x[3], ds->k[3], p4, NULL, false}};
    return first_mover(s, bl, 4, theta);
}

/* egame123, player 2: -Z3, (1 - p6) Z5, p6 Z6 on the rows past 1's move. */
static casus_status second_mover123(struct sbi *s, const double *p6, const double *q6, double *p4,
                                    double *theta)
{
    const struct fit_design *ds = s->ds;
    struct block bl[] = {{ds->x[4], ds->k[4], NULL, NULL, true},
                         {ds->x[5], ds->k[5], q6, NULL, false},
                         {ds->x[6], ds->k[6], p6, NULL, false}};
    size_t k;
    double *x = stack(s->a, s->n, bl, 3, &k);
    double *coef = casus_arena_alloc(s->a, (k + 1) * sizeof *coef);
    bool *sel;
    double *yv;
    if (!x || !coef || !outcome_sets(s, 0xe, 0xc, &sel, &yv))
        return CASUS_ENOMEM;
    casus_status st = stage(x, s->n, k, sel, yv, s->logit, s->a, coef, p4);
    if (st == CASUS_OK)
        put(ds, theta, offset_of(ds, 4), coef, k);
    return st;
}

static casus_status sbi123(struct sbi *s, double *theta)
{
    const struct fit_design *ds = s->ds;
    double *p6, *q6, *p4 = casus_arena_alloc(s->a, (s->n + 1) * sizeof *p4), *q4;
    casus_status st = p4 ? end_mover(s, 7, 0xc, 0x8, &p6, &q6, theta) : CASUS_ENOMEM;
    if (st == CASUS_OK)
        st = second_mover123(s, p6, q6, p4, theta);
    if (st != CASUS_OK)
        return st;
    if (!(q4 = one_minus(s->a, p4, s->n)))
        return CASUS_ENOMEM;
    struct block bl[] = {{ds->x[0], ds->k[0], NULL, NULL, true},
                         {ds->x[1], ds->k[1], q4, NULL, false},
                         {ds->x[2], ds->k[2], q6, p4, false},
                         {ds->x[3], ds->k[3], p6, p4, false}};
    return first_mover(s, bl, 4, theta);
}

casus_status fit_sbi_egame(const struct fit_design *ds, int game, bool logit, struct casus_arena *a,
                           double *theta)
{
    struct sbi s = {ds, a, logit, ds->n, casus_arena_alloc(a, ds->n + 1)};
    if (!s.all)
        return CASUS_ENOMEM;
    memset(s.all, 1, ds->n);
    switch ((enum fit_game)game) {
    case FIT_EGAME12: return sbi12(&s, theta);
    case FIT_EGAME122: return sbi122(&s, theta);
    case FIT_EGAME123: return sbi123(&s, theta);
    }
    return CASUS_OK;
}

/* log sd(offer), R's sd (n - 1 denominator). */
static double log_sd(const double *y, size_t n)
{
    double m = 0.0, v = 0.0;
    for (size_t i = 0; i < n; i++)
        m += y[i];
    m /= (double)n;
    for (size_t i = 0; i < n; i++)
        v += (y[i] - m) * (y[i] - m);
    return log(sqrt(v / (double)(n > 1 ? n - 1 : 1)));
}

casus_status fit_sbi_ult(const struct fit_design *ds, double maxoffer, struct casus_arena *a,
                         double *theta)
{
    size_t n = ds->n, k1 = ds->k[0], k2 = ds->k[1];
    double *r = casus_arena_alloc(a, (3 * n + k1 + k2 + 2) * sizeof *r);
    double *ws = casus_arena_alloc(a, (k1 * k1 + 2 * k1 + 1) * sizeof *ws);
    if (!r || !ws)
        return CASUS_ENOMEM;
    double *acc = r + n, *off = acc + n, *c1 = off + n, *c2 = c1 + k1 + 1, mean = 0.0;
    for (size_t i = 0; i < n; i++)
        mean += ds->offer[i];
    mean /= (double)n;
    for (size_t i = 0; i < n; i++) {
        r[i] = maxoffer - ds->offer[i];
        acc[i] = ds->accept ? ds->accept[i] : ds->offer[i] >= mean;
        off[i] = -ds->offer[i];
    }
    fit_lsq(ds->x[0], n, k1, r, NULL, c1, NULL, ws); /* lsfit(X, Q - y) */
    casus_status st = fit_glm_binary(ds->x[1], n, k2, acc, off, true, a, c2);
    if (st != CASUS_OK)
        return st;
    for (size_t j = 0; j < k1; j++)
        theta[j] = c1[j];
    for (size_t j = 0; j < k2; j++)
        theta[k1 + j] = c2[j];
    double ls = log_sd(ds->offer, n);
    for (size_t j = k1 + k2; j < k1 + k2 + 2; j++)
        if (!ds->fixed[j])
            theta[j] = ls;
    return CASUS_OK;
}

void fit_sbi_ult_fallback(const struct fit_design *ds, double maxoffer, double *theta)
{
    size_t n = ds->n, k1 = ds->k[0], k2 = ds->k[1];
    double mean = 0.0;
    for (size_t i = 0; i < n; i++)
        mean += ds->offer[i];
    mean /= (double)n;
    for (size_t j = 0; j < k1 + k2; j++)
        theta[j] = 0.0;
    theta[0] = maxoffer - mean;
    if (k2)
        theta[k1] = maxoffer - mean;
}
