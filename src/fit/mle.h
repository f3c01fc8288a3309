/*
 * mle.h — maximum likelihood for multi-index models: the log-likelihood
 * with its exact gradient and Hessian, and the optimiser.
 *
 * A problem has n observations and neq equations; equation q has a
 * column-major n x k_q design X_q and parameters beta_q, and its index is
 * eta_q = X_q beta_q.  A model function gives observation i's
 * log-likelihood as a jet in the active indices (those with a free
 * parameter), so
 *   l = sum_i w_i l_i,  dl/dbeta_q = X_q' (w * dl_i/deta_q),
 *   d2l/dbeta_q dbeta_r' = X_q' diag(w * d2l_i/deta_q deta_r) X_r,
 * exact to rounding.  Weights w_i are bootstrap frequencies, or the counts
 * of grouped identical observations (group.h), or 1.
 * Fixed parameters keep their value; gradient and Hessian are over the free
 * ones, in parameter order.
 *
 * The optimiser maximises l.  Each iteration takes a Newton step (exact
 * Hessian) where -H is positive definite and a BFGS quasi-Newton step
 * (inverse-Hessian approximation updated every iteration) where it is not,
 * with a backtracking Armijo line search; it ends with Newton steps until
 * the Newton decrement g'(-H)^{-1}g, twice the log-likelihood still to
 * gain, is at the rounding floor.  The estimate is then within about 1e-6
 * standard errors of the exact maximum.
 *
 * Ownership: a problem borrows its designs and model; a work area is
 * arena-allocated by fit_work_init and used by one thread at a time.
 * Deterministic: sums run in observation order.
 */
#ifndef CASUS_FIT_MLE_H
#define CASUS_FIT_MLE_H

#include "base/arena.h"
#include "fit/jet.h"

#define FIT_MAXEQ 11 /* egame123: 8 utilities + 3 scale equations */

typedef void (*fit_obs_fn)(const void *model, size_t i, const double *eta, const struct fit_jctx *c,
                           struct fit_jet *out);

struct fit_problem {
    size_t n;                   /* observations */
    int neq;                    /* equations, <= FIT_MAXEQ */
    size_t k[FIT_MAXEQ];        /* columns of each design */
    const double *x[FIT_MAXEQ]; /* column-major n x k[q] */
    size_t np;                  /* parameters: sum of k[q], equation order */
    const bool *fixed;          /* np: held at their value */
    int active[FIT_MAXEQ];      /* jet index of each equation, or -1 */
    int m;                      /* active equations */
    size_t nfree;               /* free parameters */
    const size_t *free_ix;      /* nfree parameter indices, ascending */
    fit_obs_fn fn;              /* the model's observation log-likelihood */
    const void *model;
    const double *w0; /* n base weights (grouped rows' counts), or NULL */
};

/* Fill active, m, nfree and free_ix (arena) from k, fixed and neq.
 * CASUS_ENOMEM. */
CASUS_INTERNAL casus_status fit_problem_prepare(struct fit_problem *p, struct casus_arena *a);

struct fit_work {
    double *eta;       /* neq * n index values, equation-major */
    double *gi;        /* m * n: w_i dl_i/deta */
    double *hi;        /* m(m+1)/2 * n: w_i d2l_i/deta deta */
    double *ws;        /* optimiser scratch: 6 nfree^2 + 8 nfree + 2 np */
    int *feq;          /* nfree: the equation of each free parameter */
    const double **fx; /* nfree: its design column */
};

CASUS_INTERNAL casus_status fit_work_init(struct fit_work *w, const struct fit_problem *p,
                                          struct casus_arena *a);

/* The log-likelihood at theta (np values) with weights wt (NULL: the
 * problem's w0, or 1).
 * order 1 also writes grad (nfree), order 2 also hess (nfree x nfree,
 * row-major).  Non-finite when some l_i is.  O(n (sum k + m^2 jet ops))
 * plus O(n nfree^2) at order 2. */
CASUS_INTERNAL double fit_eval(const struct fit_problem *p, const double *theta, const double *wt,
                               int order, struct fit_work *w, double *grad, double *hess);

/* l_i for observation i at theta (no weights). */
CASUS_INTERNAL double fit_eval_obs(const struct fit_problem *p, const double *theta, size_t i);

/* The index values of observation i at theta: eta[q] for q < neq. */
CASUS_INTERNAL void fit_obs_eta(const struct fit_problem *p, const double *theta, size_t i,
                                double *eta);

enum fit_stop {
    FIT_STOP_CONVERGED, /* Newton decrement at the floor, -H positive definite */
    FIT_STOP_FLAT,      /* no ascent possible, but -H not negative definite */
    FIT_STOP_STALLED,   /* the line search found no increase short of the floor */
    FIT_STOP_MAXITER,   /* iteration limit */
    FIT_STOP_DIVERGED,  /* a parameter ran off beyond 1e8: no finite maximum */
    FIT_STOP_NONFINITE  /* the log-likelihood is not finite at the start */
};

struct fit_opt_result {
    enum fit_stop stop;
    int iterations;   /* accepted steps */
    int newton_steps; /* of which Newton steps */
    int evals;        /* log-likelihood evaluations */
    double ll;        /* at the returned theta */
    double gmax;      /* max |gradient| there */
    double decrement; /* Newton decrement there (NAN when -H is not PD) */
};

/* Maximise l from theta (np values, updated in place; fixed entries kept)
 * with weights wt (NULL: 1).  max_iter bounds the iterations.  Never fails;
 * r->stop says how it ended.  The Hessian at the end is in w->ws (nfree x
 * nfree, row-major; see fit_last_hessian). */
CASUS_INTERNAL void fit_maximize(const struct fit_problem *p, const double *wt, double *theta,
                                 int max_iter, struct fit_work *w, struct fit_opt_result *r);

/* The Hessian of the last evaluation fit_maximize made (nfree x nfree). */
CASUS_INTERNAL const double *fit_last_hessian(const struct fit_problem *p,
                                              const struct fit_work *w);

#endif
