/*
 * mle.c — log-likelihood, exact gradient and Hessian of a multi-index
 * model, and the Newton/BFGS maximiser (see mle.h).
 */
#include "fit/mle.h"

#include "fit/linalg.h"

#include <math.h>

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
    return w->eta && w->gi && w->hi && w->ws ? CASUS_OK : CASUS_ENOMEM;
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

/* grad over the free parameters: X_q' gi_a for each active equation. */
static void assemble_grad(const struct fit_problem *p, const struct fit_work *w, double *grad)
{
    size_t n = p->n, off = 0, f = 0;
    for (int q = 0; q < p->neq; q++) {
        int a = p->active[q];
        for (size_t c = 0; c < p->k[q]; c++, off++) {
            if (p->fixed[off])
                continue;
            const double *xc = p->x[q] + c * n, *g = w->gi + (size_t)a * n;
            double s = 0.0;
            for (size_t i = 0; i < n; i++)
                s += xc[i] * g[i];
            grad[f++] = s;
        }
    }
}

/* hess over the free parameters: X_q' diag(hi_ab) X_r, both triangles. */
static void assemble_hess(const struct fit_problem *p, const struct fit_work *w, double *hess)
{
    size_t n = p->n, nf = p->nfree;
    for (size_t u = 0; u < nf; u++) {
        size_t pu = p->free_ix[u], qu = 0, cu = pu;
        while (cu >= p->k[qu])
            cu -= p->k[qu++];
        for (size_t v = 0; v <= u; v++) {
            size_t pv = p->free_ix[v], qv = 0, cv = pv;
            while (cv >= p->k[qv])
                cv -= p->k[qv++];
            int a = p->active[qu], b = p->active[qv]; /* a >= b: equations in order */
            const double *h = w->hi + (size_t)(a * (a + 1) / 2 + b) * n;
            const double *xu = p->x[qu] + cu * n, *xv = p->x[qv] + cv * n;
            double s = 0.0;
            for (size_t i = 0; i < n; i++)
                s += xu[i] * xv[i] * h[i];
            hess[u * nf + v] = hess[v * nf + u] = s;
        }
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
        double wi = wt ? wt[i] : 1.0;
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
            w->gi[(size_t)a * n + i] = wi * j.g[a];
        for (int a = 0; order >= 2 && a < mh; a++)
            w->hi[(size_t)a * n + i] = wi * j.h[a];
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

/* The step direction: Newton where -H is positive definite (returns true,
 * *dec = the Newton decrement), else BFGS (or scaled steepest ascent). */
static bool direction(struct opt *o, double *dec)
{
    size_t n = o->nf;
    for (size_t i = 0; i < n * n; i++)
        o->l[i] = -o->h[i];
    if (fit_chol(o->l, n)) {
        memcpy(o->d, o->g, n * sizeof *o->d);
        fit_chol_solve(o->l, n, o->d);
        *dec = dot(o->g, o->d, n);
        if (*dec > 0 && isfinite(*dec))
            return true;
    }
    *dec = NAN;
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
    return false;
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
 * log-likelihood drops beyond rounding. */
static bool line_search(struct opt *o, const double *theta, double ll, bool polish, double *t,
                        int *evals)
{
    double slope = dot(o->g, o->d, o->nf);
    *t = 1.0;
    for (int k = 0; k < 60; k++) {
        trial_point(o, theta, *t);
        double lln = fit_eval(o->p, o->th, o->wt, 0, o->w, NULL, NULL);
        ++*evals;
        bool ok = polish ? lln >= ll - 1e-12 * fmax(1.0, fabs(ll)) : lln >= ll + 1e-4 * *t * slope;
        if (isfinite(lln) && ok)
            return true;
        *t *= isfinite(lln) ? 0.5 : 0.1;
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

/* Accept the trial point: new gradient and Hessian, BFGS update. */
static double accept_step(struct opt *o, double *theta, double t)
{
    size_t n = o->nf;
    double ll = fit_eval(o->p, o->th, o->wt, 2, o->w, o->gn, o->hn);
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
    for (int it = 0; isfinite(ll) && o.nf > 0; it++) {
        double scale = fmax(1.0, fabs(ll));
        bool newton = direction(&o, &dec);
        if (newton && (dec <= 1e-18 * scale || (dec <= 1e-10 * scale && polished >= 8)))
            break;
        if (it >= max_iter) {
            r->stop = FIT_STOP_MAXITER;
            break;
        }
        bool polish = newton && dec <= 1e-6 * scale;
        double t;
        if (!line_search(&o, theta, ll, polish, &t, &r->evals)) {
            if (newton && dec <= 1e-10 * scale)
                break; /* at the rounding floor */
            r->stop =
                !newton && max_abs(o.g, o.nf) <= 1e-8 * scale ? FIT_STOP_FLAT : FIT_STOP_STALLED;
            break;
        }
        ll = accept_step(&o, theta, t);
        r->evals++;
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
        direction(&o, &dec);
    r->decrement = dec;
}

const double *fit_last_hessian(const struct fit_problem *p, const struct fit_work *w)
{
    return w->ws + p->nfree;
}
