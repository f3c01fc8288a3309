/*
 * mle.c — log-likelihood, exact gradient and Hessian of a multi-index
 * model, and the Newton/BFGS maximiser (see mle.h).
 */
#include "fit/mle.h"

#include "fit/linalg.h"

#include <math.h>
#include <stdio.h>

casus_status fit_problem_prepare(struct fit_problem *p, struct casus_arena *a)
{
    size_t off = 0, nfree = 0;
    p->m = 0;
    for (int q = 0; q < p->neq; q++) {
        bool any = false;
        for (size_t c = 0; c < p->k[q]; c++)
            any |= !p->fixed[off + c];
        p->active[q] = any ? p->m++ : -1;
        off += p->k[q];
    }
    p->np = off;
    for (size_t j = 0; j < p->np; j++)
        nfree += !p->fixed[j];
    size_t *ix = casus_arena_alloc(a, (nfree + 1) * sizeof *ix);
    if (!ix)
        return CASUS_ENOMEM;
    for (size_t j = 0, f = 0; j < p->np; j++)
        if (!p->fixed[j])
            ix[f++] = j;
    p->nfree = nfree;
    p->free_ix = ix;
    return CASUS_OK;
}

casus_status fit_work_init(struct fit_work *w, const struct fit_problem *p, struct casus_arena *a)
{
    size_t n = p->n, m = (size_t)p->m, f = p->nfree;
    w->eta = casus_arena_alloc(a, ((size_t)p->neq * n + 1) * sizeof(double));
    w->gi = casus_arena_alloc(a, (m * n + 1) * sizeof(double));
    w->hi = casus_arena_alloc(a, (m * (m + 1) / 2 * n + 1) * sizeof(double));
    w->ws = casus_arena_alloc(a, (6 * f * f + 8 * f + 2 * p->np + 1) * sizeof(double));
    w->feq = casus_arena_alloc(a, (f + 1) * sizeof *w->feq);
    w->fx = casus_arena_alloc(a, (f + 1) * sizeof *w->fx);
    if (!w->eta || !w->gi || !w->hi || !w->ws || !w->feq || !w->fx)
        return CASUS_ENOMEM;
    for (size_t u = 0; u < f; u++) { /* each free parameter's equation and column */
        size_t c = p->free_ix[u];
        int q = 0;
        while (c >= p->k[q])
            c -= p->k[q++];
        w->feq[u] = q;
        w->fx[u] = p->x[q] + c * n;
    }
    return CASUS_OK;
}

/* eta_q = X_q beta_q for every equation, summed column by column as BLAS
 * dgemv does (so R's utilities are reproduced bit for bit). */
static void compute_eta(const struct fit_problem *p, const double *theta, double *eta)
{
    size_t n = p->n, off = 0;
    for (int q = 0; q < p->neq; q++) {
        double *e = eta + (size_t)q * n;
        memset(e, 0, n * sizeof *e);
        for (size_t c = 0; c < p->k[q]; c++) {
            double b = theta[off + c];
            const double *xc = p->x[q] + c * n;
            for (size_t i = 0; i < n; i++)
                e[i] += xc[i] * b;
        }
        off += p->k[q];
    }
}

void fit_obs_eta(const struct fit_problem *p, const double *theta, size_t i, double *eta)
{
    size_t off = 0;
    for (int q = 0; q < p->neq; q++) {
        double e = 0.0;
        for (size_t c = 0; c < p->k[q]; c++)
            e += p->x[q][c * p->n + i] * theta[off + c];
        eta[q] = e;
        off += p->k[q];
    }
}

double fit_eval_obs(const struct fit_problem *p, const double *theta, size_t i)
{
    double eta[FIT_MAXEQ];
    struct fit_jet j;
    const struct fit_jctx c = {p->m, 0};
    fit_obs_eta(p, theta, i, eta);
    p->fn(p->model, i, eta, &c, &j);
    return j.v;
}

/* sum_i a_i b_i and sum_i a_i b_i c_i with four partial sums in a fixed
 * order (deterministic, and the loop pipelines or vectorises). */
static double dot2(const double *a, const double *b, size_t n)
{
    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        s0 += a[i] * b[i];
        s1 += a[i + 1] * b[i + 1];
        s2 += a[i + 2] * b[i + 2];
        s3 += a[i + 3] * b[i + 3];
    }
    for (; i < n; i++)
        s0 += a[i] * b[i];
    return (s0 + s1) + (s2 + s3);
}

static double dot3(const double *a, const double *b, const double *c, size_t n)
{
    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        s0 += a[i] * b[i] * c[i];
        s1 += a[i + 1] * b[i + 1] * c[i + 1];
        s2 += a[i + 2] * b[i + 2] * c[i + 2];
        s3 += a[i + 3] * b[i + 3] * c[i + 3];
    }
    for (; i < n; i++)
        s0 += a[i] * b[i] * c[i];
    return (s0 + s1) + (s2 + s3);
}

/* grad over the free parameters: X_q' gi_a for each active equation. */
static void assemble_grad(const struct fit_problem *p, const struct fit_work *w, double *grad)
{
    size_t n = p->n;
    for (size_t u = 0; u < p->nfree; u++)
        grad[u] = dot2(w->fx[u], w->gi + (size_t)p->active[w->feq[u]] * n, n);
}

/* hess over the free parameters: X_q' diag(hi_ab) X_r, both triangles. */
static void assemble_hess(const struct fit_problem *p, const struct fit_work *w, double *hess)
{
    size_t n = p->n, nf = p->nfree;
    for (size_t u = 0; u < nf; u++)
        for (size_t v = 0; v <= u; v++) {
            int a = p->active[w->feq[u]], b = p->active[w->feq[v]]; /* a >= b */
            const double *h = w->hi + (size_t)(a * (a + 1) / 2 + b) * n;
            double s = dot3(w->fx[u], w->fx[v], h, n);
            hess[u * nf + v] = hess[v * nf + u] = s;
        }
}

double fit_eval(const struct fit_problem *p, const double *theta, const double *wt, int order,
                struct fit_work *w, double *grad, double *hess)
{
    size_t n = p->n;
    int m = p->m, mh = m * (m + 1) / 2;
    const struct fit_jctx c = {m, order};
    struct fit_jet j;
    double eta[FIT_MAXEQ];
    long double ll = 0.0L; /* R's sum() accumulates in long double too */
    compute_eta(p, theta, w->eta);
    for (size_t i = 0; i < n; i++) {
        double wi = wt ? wt[i] : p->w0 ? p->w0[i] : 1.0;
        if (wi == 0.0) {
            for (int a = 0; order >= 1 && a < m; a++)
                w->gi[(size_t)a * n + i] = 0.0;
            for (int a = 0; order >= 2 && a < mh; a++)
                w->hi[(size_t)a * n + i] = 0.0;
            continue;
        }
        for (int q = 0; q < p->neq; q++)
            eta[q] = w->eta[(size_t)q * n + i];
        p->fn(p->model, i, eta, &c, &j);
        ll += (long double)(wi * j.v);
        for (int a = 0; order >= 1 && a < m; a++)
            w->gi[(size_t)a * n + i] = wi * fit_jet_gi(&j, a);
        for (int a = 0, k = 0; order >= 2 && a < m; a++)
            for (int b = 0; b <= a; b++, k++)
                w->hi[(size_t)k * n + i] = wi * fit_jet_hij(&j, a, b);
    }
    if (order >= 1)
        assemble_grad(p, w, grad);
    if (order >= 2)
        assemble_hess(p, w, hess);
    return (double)ll;
}

/* ---- the maximiser ------------------------------------------------------ */

struct opt {
    const struct fit_problem *p;
    const double *wt;
    struct fit_work *w;
    size_t nf;
    double *g, *h, *l, *d, *gn, *hn, *b, *s, *yv, *th; /* views into w->ws */
    bool bfgs_ready;
};

static double dot(const double *a, const double *b, size_t n)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        s += a[i] * b[i];
    return s;
}

/* The BFGS update of the inverse Hessian b of -l with the step s and the
 * change y = g_old - g_new of -l's gradient; skipped without curvature. */
static void bfgs_update(struct opt *o)
{
    size_t n = o->nf;
    double sy = dot(o->s, o->yv, n), yy = dot(o->yv, o->yv, n);
    if (!(sy > 1e-12 * sqrt(dot(o->s, o->s, n) * yy)))
        return;
    if (!o->bfgs_ready) { /* scaled identity before the first update */
        for (size_t i = 0; i < n * n; i++)
            o->b[i] = 0.0;
        for (size_t i = 0; i < n; i++)
            o->b[i * n + i] = sy / yy;
        o->bfgs_ready = true;
    }
    double *by = o->l; /* scratch: b y */
    for (size_t i = 0; i < n; i++)
        by[i] = dot(o->b + i * n, o->yv, n);
    double yby = dot(o->yv, by, n), rho = 1.0 / sy;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < n; k++)
            o->b[i * n + k] +=
                rho * ((1.0 + rho * yby) * o->s[i] * o->s[k] - by[i] * o->s[k] - o->s[i] * by[k]);
}

enum dir { DIR_NEWTON, DIR_MODIFIED, DIR_BFGS };

/* The saddle-free Newton direction when -H is not positive definite:
 * d = V |L|^{-1} V' g over the eigenpairs (L, V) of -H, eigenvalues below
 * 1e-6 of the largest in size raised to that floor.  An ascent direction
 * that follows the curvature. */
static void modified_newton(struct opt *o)
{
    size_t n = o->nf;
    double *vec = o->th + o->p->np, *val = vec + n * n, big = 0.0;
    for (size_t i = 0; i < n * n; i++)
        o->l[i] = -o->h[i];
    fit_sym_eigen(o->l, n, val, vec);
    for (size_t i = 0; i < n; i++)
        big = fmax(big, fabs(val[i]));
    memset(o->d, 0, n * sizeof *o->d);
    for (size_t k = 0; k < n; k++) {
        double vg = 0.0;
        for (size_t i = 0; i < n; i++)
            vg += vec[i * n + k] * o->g[i];
        double lam = fmax(fabs(val[k]), fmax(1e-6 * big, 1e-300));
        for (size_t i = 0; i < n; i++)
            o->d[i] += vec[i * n + k] * vg / lam;
    }
}

/* The step direction: Newton where -H is positive definite (*dec = the
 * Newton decrement), else saddle-free Newton, or BFGS (scaled steepest
 * ascent before the first update) when asked. */
static enum dir direction(struct opt *o, bool bfgs, double *dec)
{
    size_t n = o->nf;
    *dec = NAN;
    if (!bfgs) {
        for (size_t i = 0; i < n * n; i++)
            o->l[i] = -o->h[i];
        if (fit_chol(o->l, n)) {
            memcpy(o->d, o->g, n * sizeof *o->d);
            fit_chol_solve(o->l, n, o->d);
            *dec = dot(o->g, o->d, n);
            if (*dec > 0 && isfinite(*dec))
                return DIR_NEWTON;
            *dec = NAN;
        }
        modified_newton(o);
        if (dot(o->g, o->d, n) > 0)
            return DIR_MODIFIED;
    }
    if (o->bfgs_ready) {
        for (size_t i = 0; i < n; i++)
            o->d[i] = dot(o->b + i * n, o->g, n);
    } else {
        double gmax = 0.0;
        for (size_t i = 0; i < n; i++)
            gmax = fmax(gmax, fabs(o->g[i]));
        for (size_t i = 0; i < n; i++)
            o->d[i] = o->g[i] / fmax(1.0, gmax);
    }
    return DIR_BFGS;
}

/* theta + t d over the free parameters into o->th. */
static void trial_point(struct opt *o, const double *theta, double t)
{
    memcpy(o->th, theta, o->p->np * sizeof *o->th);
    for (size_t u = 0; u < o->nf; u++)
        o->th[o->p->free_ix[u]] += t * o->d[u];
}

/* Backtracking line search from ll along d; *t the accepted step.  A
 * polishing Newton step (tiny decrement) is accepted unless the
 * log-likelihood drops beyond rounding.  The first trial of a Newton step
 * is evaluated with its gradient and Hessian (into gn, hn), since it is
 * usually taken: *have says they belong to the accepted point. */
static bool line_search(struct opt *o, const double *theta, double ll, bool newton, bool polish,
                        double *t, double *lln, bool *have, int *evals)
{
    double slope = dot(o->g, o->d, o->nf);
    *t = 1.0;
    for (int k = 0; k < 60; k++) {
        int order = k == 0 && newton ? 2 : 0;
        trial_point(o, theta, *t);
        *lln = fit_eval(o->p, o->th, o->wt, order, o->w, o->gn, o->hn);
        ++*evals;
        bool ok =
            polish ? *lln >= ll - 1e-12 * fmax(1.0, fabs(ll)) : *lln >= ll + 1e-4 * *t * slope;
        if (isfinite(*lln) && ok) {
            *have = order == 2;
            return true;
        }
        *t *= isfinite(*lln) ? 0.5 : 0.1;
    }
    return false;
}

static double max_abs(const double *v, size_t n)
{
    double m = 0.0;
    for (size_t i = 0; i < n; i++)
        m = fmax(m, fabs(v[i]));
    return m;
}

/* Bind the scratch views: g, h, l, d, gn, hn, b, s, yv, th. */
static void opt_init(struct opt *o, const struct fit_problem *p, const double *wt,
                     struct fit_work *w)
{
    size_t n = p->nfree, n2 = n * n;
    o->p = p;
    o->wt = wt;
    o->w = w;
    o->nf = n;
    o->g = w->ws;
    o->h = o->g + n;
    o->l = o->h + n2;
    o->d = o->l + n2;
    o->gn = o->d + n;
    o->hn = o->gn + n;
    o->b = o->hn + n2;
    o->s = o->b + n2;
    o->yv = o->s + n;
    o->th = o->yv + n;
    o->bfgs_ready = false;
}

/* Accept the trial point: its gradient and Hessian (unless the line search
 * has them), the BFGS update. */
static double accept_step(struct opt *o, double *theta, double t, double ll, bool have, int *evals)
{
    size_t n = o->nf;
    if (!have) {
        ll = fit_eval(o->p, o->th, o->wt, 2, o->w, o->gn, o->hn);
        ++*evals;
    }
    for (size_t i = 0; i < n; i++) {
        o->s[i] = t * o->d[i];
        o->yv[i] = o->g[i] - o->gn[i];
    }
    bfgs_update(o);
    memcpy(theta, o->th, o->p->np * sizeof *theta);
    memcpy(o->g, o->gn, n * sizeof *o->g);
    memcpy(o->h, o->hn, n * n * sizeof *o->h);
    return ll;
}

/* Longer than 80 lines would be needed to inline the helpers; the loop is
 * the algorithm of mle.h in one place. */
void fit_maximize(const struct fit_problem *p, const double *wt, double *theta, int max_iter,
                  struct fit_work *w, struct fit_opt_result *r)
{
    struct opt o;
    opt_init(&o, p, wt, w);
    memset(r, 0, sizeof *r);
    double ll = fit_eval(p, theta, wt, 2, w, o.g, o.h), dec = NAN;
    r->evals = 1;
    r->stop = FIT_STOP_CONVERGED;
    if (!isfinite(ll)) {
        r->stop = FIT_STOP_NONFINITE;
        max_iter = 0;
    }
    int polished = 0;
    bool bfgs = false; /* the next step is a BFGS step (a saddle-free step failed) */
    for (int it = 0; isfinite(ll) && o.nf > 0; it++) {
        double scale = fmax(1.0, fabs(ll));
        enum dir dir = direction(&o, bfgs, &dec);
        bool newton = dir == DIR_NEWTON;
        if (newton && (dec <= 1e-18 * scale || (dec <= 1e-10 * scale && polished >= 8)))
            break;
        if (it >= max_iter) {
            r->stop = FIT_STOP_MAXITER;
            break;
        }
        bool polish = newton && dec <= 1e-6 * scale, have;
        double t, lln;
        if (!line_search(&o, theta, ll, newton, polish, &t, &lln, &have, &r->evals)) {
            if (newton && dec <= 1e-10 * scale)
                break; /* at the rounding floor */
            if (dir != DIR_BFGS) {
                bfgs = true;
                continue;
            }
            r->stop = max_abs(o.g, o.nf) <= 1e-8 * scale ? FIT_STOP_FLAT : FIT_STOP_STALLED;
            break;
        }
#ifdef FIT_TRACE
        fprintf(stderr, "it %d dir %d t %g ll %.12g dec %g gmax %g\n", it, (int)dir, t, ll, dec,
                max_abs(o.g, o.nf));
#endif
        bfgs = false;
        ll = accept_step(&o, theta, t, lln, have, &r->evals);
        r->iterations++;
        r->newton_steps += newton;
        polished += polish;
        if (max_abs(theta, p->np) > 1e8) {
            r->stop = FIT_STOP_DIVERGED;
            break;
        }
    }
    r->ll = ll;
    r->gmax = max_abs(o.g, o.nf);
    if (r->stop == FIT_STOP_CONVERGED && o.nf > 0 && !(dec >= 0.0))
        direction(&o, false, &dec);
    r->decrement = dec;
}

const double *fit_last_hessian(const struct fit_problem *p, const struct fit_work *w)
{
    return w->ws + p->nfree;
}
