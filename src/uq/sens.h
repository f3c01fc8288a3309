/*
 * sens.h — global sensitivity analysis: which uncertain inputs drive a
 * model output.  It sits after sampling (sobol.h, rng.h, dist.h) and model
 * evaluation, and before reporting (`casus sensitivity`).
 *
 * Variance-based (Sobol') indices from the Saltelli design: per replicate,
 * base matrices A and B (n rows, d columns; the two halves of a 2d-dimensional
 * scrambled Sobol' point set, or of Philox uniforms), AB_i = A with column i
 * from B, and for second-order indices BA_i = B with column i from A.  The
 * model is evaluated on every row of every matrix; with ncol = 2 + d (+ d)
 * matrices the outputs of a replicate are y[row * ncol + col], col 0 = A,
 * 1 = B, 2 + i = AB_i, 2 + d + i = BA_i.
 *
 * Estimators (outputs centred on the mean of f(A) and f(B) first, which
 * leaves the indices unchanged and removes the mean from the noise):
 *   V     = variance of the 2n values f(A), f(B)
 *   S1_i  = mean(f(B) (f(AB_i) - f(A))) / V                 Saltelli 2010
 *   ST_i  = mean((f(A) - f(AB_i))^2) / (2 V)                  Jansen 1999
 *   S2_jk = mean(f(BA_j) f(AB_k) - f(A) f(B)) / V - S1_j - S1_k
 *                                                             Saltelli 2002
 * Estimates are a flat vector theta of casus_sens_nindices() values:
 * S1_0..S1_{d-1}, ST_0..ST_{d-1}, then S2_jk for j < k in row order.
 *
 * Intervals: for QMC, R independently scrambled replicates, reported as the
 * replicate mean and a Student-t interval with R - 1 degrees of freedom
 * (bootstrap on scrambled Sobol' points is badly miscalibrated: it ignores
 * the negative correlation between points).  For plain Monte Carlo, a
 * bootstrap over rows (resample counts drawn from Philox), reported as the
 * full-sample estimate plus or minus z times the bootstrap standard error.
 *
 * Determinism: every sum runs over fixed blocks of CASUS_SENS_BLOCK rows,
 * each block summed in row order and the block partials added in block
 * order, so results are bit-identical however blocks are later spread over
 * threads or ranks.  No hot loop allocates; workspaces come from
 * casus_sens_ws_init.
 *
 * Also here: Morris elementary effects (mu, mu*, sigma), Spearman rank
 * correlation, one-at-a-time tornado points, and the Ishigami and Sobol' G
 * test functions with their analytic indices.
 *
 * Ownership: arrays passed in are borrowed (const) or caller-owned outputs;
 * a workspace or sampler owns only what its _init allocated, freed by its
 * _release.
 */
#ifndef CASUS_SENS_H
#define CASUS_SENS_H

#include "base/internal.h"
#include "uq/dist.h"
#include "uq/sobol.h"

#define CASUS_SENS_BLOCK 1024       /* rows per fixed reduction block */
#define CASUS_SENS_MAX_D 1024       /* inputs: 2d Sobol' dimensions must fit */
#define CASUS_SENS_MAX_N (1u << 30) /* base samples per replicate */

/* Values of casus_sens_design.qmc (true means CASUS_SENS_LMS). */
enum { CASUS_SENS_MC = 0, CASUS_SENS_LMS = 1, CASUS_SENS_OWEN = 2 };

/* One Saltelli design. */
struct casus_sens_design {
    size_t d;      /* number of inputs, 1..CASUS_SENS_MAX_D */
    size_t n;      /* base samples (rows) per replicate */
    bool second;   /* add the BA_i matrices for second-order indices */
    int qmc;       /* Sobol' scrambled by LMS + shift (CASUS_SENS_LMS = true)
                      or nested uniform (CASUS_SENS_OWEN), or Philox
                      Monte Carlo (CASUS_SENS_MC = false) */
    uint64_t seed; /* everything random is a function of this */
};

/* Matrices per row: 2 + d, or 2 + 2d with second order. */
CASUS_INTERNAL size_t casus_sens_ncol(size_t d, bool second);
/* Length of the estimate vector theta: 2d, plus d(d-1)/2 with second order. */
CASUS_INTERNAL size_t casus_sens_nindices(size_t d, bool second);
/* Position of S2_jk (j < k < d) in theta. */
CASUS_INTERNAL size_t casus_sens_s2_index(size_t d, size_t j, size_t k);
/* CASUS_EINVAL unless 1 <= d <= CASUS_SENS_MAX_D and 2 <= n <= MAX_N. */
CASUS_INTERNAL casus_status casus_sens_design_check(const struct casus_sens_design *p);

/* ---- sampling ------------------------------------------------------------ */

struct casus_sens_sampler {
    struct casus_sens_design design; /* copy of the design */
    uint32_t rep;                    /* replicate number */
    struct casus_sobol sobol;        /* 2d dimensions, scrambled (QMC only) */
};

/* Prepare replicate `rep` of the design: QMC replicates are independent
 * scrambles (scramble id = rep), MC replicates independent Philox streams.
 * CASUS_EINVAL for a bad design, CASUS_ENOMEM. */
CASUS_INTERNAL casus_status casus_sens_sampler_init(struct casus_sens_sampler *s,
                                                    const struct casus_alloc *a,
                                                    const struct casus_sens_design *p,
                                                    uint32_t rep);
CASUS_INTERNAL void casus_sens_sampler_release(struct casus_sens_sampler *s);

/* Unit-cube points of rows row0 .. row0 + nrows - 1, all matrices:
 * u[((r - row0) * ncol + col) * d + k], each coordinate in (0, 1).  A row's
 * points depend only on (design, rep, row), never on the blocking.
 * CASUS_ELIMIT past the last row.  O(nrows * ncol * d), allocation-free. */
CASUS_INTERNAL casus_status casus_sens_sampler_rows(const struct casus_sens_sampler *s, size_t row0,
                                                    size_t nrows, double *u);

/* ---- estimation ---------------------------------------------------------- */

enum casus_sens_ci {
    CASUS_SENS_CI_REPLICATE, /* mean of R replicates, Student-t interval */
    CASUS_SENS_CI_BOOTSTRAP  /* full-sample estimate +- z * bootstrap SE */
};

/* Scratch for one design size: block partial sums, bootstrap counts and
 * bootstrap estimates.  nboot may be 0 when no bootstrap is wanted.  With
 * threads > 1 (casus_sens_ws_threads) estimation spreads blocks, and the
 * bootstrap spreads resamples, over that many workers; each extra worker
 * has its own blk/tot/cnt in the x arrays. */
struct casus_sens_ws {
    const struct casus_alloc *alloc; /* where the arrays came from */
    size_t n, d, nboot;              /* sizes it was made for */
    bool second;
    double *blk;    /* nblocks * nterms partial sums */
    double *tot;    /* nterms totals */
    uint32_t *cnt;  /* n resample counts */
    double *boot;   /* nboot * nindices estimates */
    unsigned nthr;  /* workers, >= 1 */
    double *xblk;   /* (nthr - 1) * nblocks * nterms, or NULL */
    double *xtot;   /* (nthr - 1) * nterms, or NULL */
    uint32_t *xcnt; /* (nthr - 1) * n when nboot, else NULL */
};

CASUS_INTERNAL casus_status casus_sens_ws_init(struct casus_sens_ws *w, const struct casus_alloc *a,
                                               size_t n, size_t d, bool second, size_t nboot);
/* Use `threads` workers (1..CASUS_PAR_MAX_THREADS) from now on; allocates
 * the extra workers' scratch.  Results do not depend on it by a bit.
 * CASUS_EINVAL, CASUS_ENOMEM (the workspace is then single-threaded). */
CASUS_INTERNAL casus_status casus_sens_ws_threads(struct casus_sens_ws *w, unsigned threads);
CASUS_INTERNAL void casus_sens_ws_release(struct casus_sens_ws *w);

/* Estimates from one replicate's outputs y (n rows of ncol, layout above)
 * into theta (casus_sens_nindices values); *var gets V.  The workspace must
 * match (n, d, second).  CASUS_EINVAL if V is not positive and finite (a
 * constant or broken output); theta is then NaN.  O(n * (d + pairs)). */
CASUS_INTERNAL casus_status casus_sens_estimate(const double *y, struct casus_sens_ws *w,
                                                double *theta, double *var);

/* Replicate interval: theta_r is R rows of nidx estimates; est = mean,
 * [lo, hi] = est -+ t_{R-1,(1+level)/2} * sd / sqrt(R).  R >= 2, level in
 * (0, 1).  Fixed summation order.  O(R * nidx). */
CASUS_INTERNAL casus_status casus_sens_replicate_ci(const double *theta_r, size_t R, size_t nidx,
                                                    double level, double *est, double *lo,
                                                    double *hi);

/* Bootstrap interval for one (Monte Carlo) replicate: est = full-sample
 * estimate; each of w->nboot resamples draws n rows with replacement
 * (Philox, keyed by seed) and re-estimates; [lo, hi] = est -+ z * sd of the
 * resample estimates.  CASUS_EINVAL for nboot < 2 or a degenerate output.
 * O(nboot * n * (d + pairs)). */
CASUS_INTERNAL casus_status casus_sens_bootstrap_ci(const double *y, struct casus_sens_ws *w,
                                                    uint64_t seed, double level, double *est,
                                                    double *lo, double *hi);

/* ---- whole analysis ------------------------------------------------------ */

/* A batch model: y[i] = f(x[i * d .. i * d + d - 1]) for i < npts.  Returns
 * CASUS_OK or an error that aborts the analysis. */
typedef casus_status (*casus_sens_fn)(void *ud, const double *x, size_t npts, size_t d, double *y);

struct casus_sens_result {
    size_t nidx;           /* casus_sens_nindices(d, second) */
    enum casus_sens_ci ci; /* which kind of interval was computed */
    double level;          /* nominal coverage, e.g. 0.90 */
    double *est, *lo, *hi; /* nidx each, caller-owned */
    double var;            /* output variance (mean over replicates) */
    size_t evals;          /* model evaluations done */
};

/* How a run is executed — never what it computes.  Threads take the fixed
 * blocks of CASUS_SENS_BLOCK rows in a fixed round-robin; processes (MPI
 * ranks) take contiguous block ranges, part p of nparts getting blocks
 * [nb p / nparts, nb (p + 1) / nparts) of every replicate, and after
 * evaluating them call gather(ud, y, off, cnt, nparts), which must fill in
 * the other parts' outputs y[off[q] .. off[q] + cnt[q]) (an allgather).  All
 * parts then analyse the same complete y, so every part gets the result
 * bit-identical to a single process. */
typedef casus_status (*casus_sens_gather_fn)(void *ud, double *y, const size_t *off,
                                             const size_t *cnt, size_t nparts);
/* Progress, called on the calling thread: blocks done and in total. */
typedef void (*casus_sens_progress_fn)(void *ud, size_t done, size_t total);

struct casus_sens_exec {
    unsigned threads;                /* workers, 1..CASUS_PAR_MAX_THREADS */
    unsigned part, nparts;           /* this process's share, part < nparts */
    casus_sens_gather_fn gather;     /* required when nparts > 1 */
    void *gather_ud;                 /* its first argument */
    casus_sens_progress_fn progress; /* or NULL */
    void *progress_ud;               /* its first argument */
};
#define CASUS_SENS_EXEC_INIT                                                                       \
    {                                                                                              \
        1, 0, 1, NULL, NULL, NULL, NULL                                                            \
    }

/* casus_sens_run executed as *x says (casus_sens_run is this with
 * CASUS_SENS_EXEC_INIT).  fn may be called from x->threads threads at once,
 * on disjoint blocks.  Also CASUS_EINVAL for a bad exec, and the gather's
 * own status. */
CASUS_INTERNAL casus_status casus_sens_run_ex(const struct casus_alloc *a,
                                              const struct casus_sens_design *p, size_t R,
                                              size_t nboot, double level,
                                              const struct casus_dist *dists, casus_sens_fn fn,
                                              void *ud, const struct casus_sens_exec *x,
                                              struct casus_sens_result *res);

/* Sample, evaluate and analyse: QMC designs run R scrambled replicates and
 * give replicate-t intervals; MC designs run one replicate (R is ignored)
 * and give bootstrap intervals with nboot resamples.  dists (d entries, may
 * be NULL for the unit cube) map coordinates to inputs by inverse CDF.
 * Model calls go in blocks of CASUS_SENS_BLOCK rows.  Errors: CASUS_EINVAL
 * (design, R, level, nboot), CASUS_ENOMEM, or the model's own status. */
CASUS_INTERNAL casus_status casus_sens_run(const struct casus_alloc *a,
                                           const struct casus_sens_design *p, size_t R,
                                           size_t nboot, double level,
                                           const struct casus_dist *dists, casus_sens_fn fn,
                                           void *ud, struct casus_sens_result *res);

/* ---- screening and rank correlation --------------------------------------- */

/* Morris design: r trajectories of d + 1 points in d dimensions, on the
 * `levels` grid {(l + 1/2) / levels}, levels even >= 2, each step moving one
 * input by +-1/2 (half the grid), so every point is inside (0, 1).
 * u[(t * (d + 1) + s) * d + k].  Order of inputs and base points are Philox
 * draws keyed by seed.  CASUS_EINVAL for bad sizes. */
CASUS_INTERNAL casus_status casus_morris_design(size_t d, size_t r, unsigned levels, uint64_t seed,
                                                double *u);

/* Elementary effects (on the unit-cube scale) from a design and its outputs
 * y[t * (d + 1) + s]: per input mean mu, mean absolute mu*, standard
 * deviation sigma (r - 1 denominator; 0 when r == 1).  CASUS_EINVAL if two
 * consecutive points do not differ in exactly one input. */
CASUS_INTERNAL casus_status casus_morris_analyze(const double *u, const double *y, size_t d,
                                                 size_t r, double *mu, double *mustar,
                                                 double *sigma);

/* Spearman rank correlation of x and y (n >= 2), ties given average ranks.
 * idx needs 2n entries and rank 2n doubles of scratch.  NaN if either side
 * is constant.  O(n log n). */
CASUS_INTERNAL double casus_spearman(const double *x, const double *y, size_t n, size_t *idx,
                                     double *rank);

/* One-at-a-time tornado design: row 0 all inputs at 0.5, row 1 + 2i input i
 * at q_lo, row 2 + 2i at q_hi (others 0.5); u has (2d + 1) * d entries. */
CASUS_INTERNAL void casus_tornado_design(size_t d, double q_lo, double q_hi, double *u);

/* ---- test functions -------------------------------------------------------- */

/* Ishigami on the unit cube (x_i = -pi + 2 pi u_i), d = 3. */
CASUS_INTERNAL double casus_sens_ishigami(const double *u, double a, double b);
/* Sobol' G on the unit cube with coefficients a[0..d-1]. */
CASUS_INTERNAL double casus_sens_sobol_g(const double *u, const double *a, size_t d);
/* Analytic theta (second-order layout) and variance: Ishigami (d = 3), G. */
CASUS_INTERNAL void casus_sens_ishigami_exact(double a, double b, double *theta, double *var);
CASUS_INTERNAL void casus_sens_sobol_g_exact(const double *a, size_t d, double *theta, double *var);

#endif
