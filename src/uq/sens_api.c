/*
 * sens_api.c — the public sensitivity-analysis object (include/casus/sens.h)
 * over the numerical core: it validates options and inputs, turns inputs
 * into distributions (dist.h), runs the Sobol' design with threads and an
 * optional process partition (sens.h casus_sens_run_ex), Morris trajectories
 * and tornado points, and keeps the results for the renderers in
 * sens_report.c.  It sits between a front end (cli/cmd_sensitivity.c) and
 * sens.c.
 */
#include "uq/sens_api.h"

#include "base/par.h"

#include <math.h>
#include <stdio.h>

#define MAX_TRAJ  100000
#define MAX_BOOT  100000
#define MAX_REPS  4096
#define MAX_NAME  256
#define MAX_VALUE 100000 /* discrete values per input */

/* ---- built-in test functions ------------------------------------------- */

static const double G_A[8] = {0, 1, 4.5, 9, 99, 99, 99, 99};
#define PI 3.14159265358979323846

static casus_status eval_ishigami(void *ud, const double *u, size_t n, size_t d, double *y)
{
    (void)ud;
    for (size_t i = 0; i < n; i++)
        y[i] = casus_sens_ishigami(u + i * d, 7.0, 0.1);
    return CASUS_OK;
}

static casus_status eval_sobol_g(void *ud, const double *u, size_t n, size_t d, double *y)
{
    (void)ud;
    for (size_t i = 0; i < n; i++)
        y[i] = casus_sens_sobol_g(u + i * d, G_A, d);
    return CASUS_OK;
}

struct builtin {
    const char *name;
    size_t d;
    casus_sens_model_fn fn; /* on the unit cube */
    double lo, hi;          /* every input uniform on [lo, hi] (for display) */
};
static const struct builtin BUILTINS[] = {
    {"ishigami", 3, eval_ishigami, -PI, PI},
    {"sobol-g", 8, eval_sobol_g, 0.0, 1.0},
};

const char *casus_sens_builtin_name(size_t i)
{
    return i < CASUS_ARRAY_LEN(BUILTINS) ? BUILTINS[i].name : NULL;
}

/* Analytic S1, ST (and S2) of a built-in, in the estimate layout. */
static void builtin_exact(const struct builtin *b, bool second, double *out)
{
    double th[44], v;
    size_t d = b->d;
    if (b->fn == eval_ishigami)
        casus_sens_ishigami_exact(7.0, 0.1, th, &v);
    else
        casus_sens_sobol_g_exact(G_A, d, th, &v);
    memcpy(out, th, casus_sens_nindices(d, second) * sizeof *out);
}

/* ---- construction ---------------------------------------------------------- */

const char *casus_sens_options_check(const casus_sens_options *o)
{
    if ((unsigned)o->method > CASUS_SENS_METHOD_TORNADO)
        return "unknown method";
    if ((unsigned)o->sampling > CASUS_SENS_SAMPLING_MC)
        return "unknown sampling";
    if (o->base_samples < 2 || o->base_samples > CASUS_SENS_MAX_N)
        return "base samples must be 2 to 1073741824";
    if (o->replicates < 2 || o->replicates > MAX_REPS)
        return "replicates must be 2 to 4096";
    if (o->bootstrap < 2 || o->bootstrap > MAX_BOOT)
        return "bootstrap resamples must be 2 to 100000";
    if (!(o->level > 0.0 && o->level < 1.0))
        return "the interval level must lie strictly between 0 and 1";
    if (o->threads > CASUS_PAR_MAX_THREADS)
        return "threads must be 0 (all CPUs) to 256";
    if (o->morris_levels < 2 || o->morris_levels % 2 || o->morris_levels > 1024)
        return "morris levels must be even, 2 to 1024";
    if (o->morris_trajectories < 1 || o->morris_trajectories > MAX_TRAJ)
        return "morris trajectories must be 1 to 100000";
    if (!(o->tornado_lo > 0.0 && o->tornado_lo < o->tornado_hi && o->tornado_hi < 1.0))
        return "tornado quantiles must satisfy 0 < lo < hi < 1";
    return NULL;
}

/* Allocate n elements of size sz (zeroed); NULL on failure. */
static void *zalloc(const struct casus_alloc *a, size_t n, size_t sz)
{
    void *p = casus_mem_alloc(a, n * sz);
    if (p)
        memset(p, 0, n * sz);
    return p;
}

static void free_results(struct casus_sens *s)
{
    const struct casus_alloc *a = &s->alloc;
    casus_mem_free(a, s->est, s->nidx * sizeof *s->est);
    casus_mem_free(a, s->lo, s->nidx * sizeof *s->lo);
    casus_mem_free(a, s->hi, s->nidx * sizeof *s->hi);
    s->est = s->lo = s->hi = NULL;
    s->done = false;
}

void casus_sens_free(casus_sens *s)
{
    struct casus_alloc a;
    if (!s)
        return;
    a = s->alloc;
    if (s->model_free)
        s->model_free(s->model_ud);
    if (s->model_title)
        casus_mem_free(&a, s->model_title, strlen(s->model_title) + 1);
    free_results(s);
    casus_mem_free(&a, s->exact, casus_sens_nindices(s->d, true) * sizeof *s->exact);
    if (s->names)
        for (size_t i = 0; i < s->d; i++)
            if (s->names[i])
                casus_mem_free(&a, s->names[i], strlen(s->names[i]) + 1);
    casus_mem_free(&a, s->names, s->d * sizeof *s->names);
    casus_mem_free(&a, s->inputs, s->d * sizeof *s->inputs);
    casus_mem_free(&a, s->dists, s->d * sizeof *s->dists);
    casus_mem_free(&a, s->tables, s->ntables * sizeof *s->tables);
    casus_mem_free(&a, s->mu, 7 * s->d * sizeof *s->mu); /* mu .. at_hi, one block */
    casus_mem_free(&a, s, sizeof *s);
}

/* The distribution of input i from its public description; discrete tables
 * are copied into s->tables at *used.  CASUS_EINVAL for bad parameters. */
static casus_status make_dist(struct casus_sens *s, const casus_sens_input *in, size_t *used,
                              struct casus_dist *out)
{
    const double *p = in->p;
    switch (in->dist) {
    case CASUS_SENS_DIST_UNIFORM: return casus_dist_uniform(out, p[0], p[1]);
    case CASUS_SENS_DIST_TRIANGULAR: return casus_dist_triangular(out, p[0], p[1], p[2]);
    case CASUS_SENS_DIST_NORMAL: return casus_dist_normal(out, p[0], p[1]);
    case CASUS_SENS_DIST_LOGNORMAL: return casus_dist_lognormal(out, p[0], p[1]);
    case CASUS_SENS_DIST_TRUNCNORMAL: return casus_dist_truncnormal(out, p[0], p[1], p[2], p[3]);
    case CASUS_SENS_DIST_BETA: return casus_dist_beta(out, p[0], p[1], p[2], p[3]);
    case CASUS_SENS_DIST_DISCRETE: {
        double *v = s->tables + *used, *w = v + in->nvalues, *cum = w + in->nvalues;
        memcpy(v, in->values, in->nvalues * sizeof *v);
        memcpy(w, in->weights, in->nvalues * sizeof *w);
        *used += 3 * in->nvalues;
        return casus_dist_discrete(out, v, w, in->nvalues, cum);
    }
    }
    return CASUS_EINVAL;
}

static casus_status sens_alloc(casus_sens **out, const casus_sens_options *opt, size_t d,
                               casus_alloc_fn fn, void *ud, struct casus_sens **sp)
{
    struct casus_alloc a = {fn ? fn : casus_default_alloc, fn ? ud : NULL};
    struct casus_sens *s;
    *out = NULL;
    *sp = NULL;
    if (!opt || casus_sens_options_check(opt) || d < 1 || d > CASUS_SENS_MAX_D)
        return CASUS_EINVAL;
    s = casus_mem_alloc(&a, sizeof *s);
    if (!s)
        return CASUS_ENOMEM;
    memset(s, 0, sizeof *s);
    s->alloc = a;
    s->opt = *opt;
    if (s->opt.threads == 0)
        s->opt.threads = casus_par_ncpu();
    s->d = d;
    s->nparts = 1;
    s->at_mid = NAN;
    s->names = zalloc(&a, d, sizeof *s->names);
    s->inputs = zalloc(&a, d, sizeof *s->inputs);
    s->mu = zalloc(&a, 7 * d, sizeof *s->mu);
    if (!s->names || !s->inputs || !s->mu) {
        casus_sens_free(s);
        return CASUS_ENOMEM;
    }
    s->mustar = s->mu + d;
    s->sigma = s->mu + 2 * d;
    s->at_lo = s->mu + 3 * d;
    s->at_hi = s->mu + 4 * d; /* 5d .. 7d spare: tornado outputs */
    *sp = s;
    return CASUS_OK;
}

static casus_status set_name(struct casus_sens *s, size_t i, const char *name)
{
    size_t len = strlen(name);
    s->names[i] = casus_mem_alloc(&s->alloc, len + 1);
    if (!s->names[i])
        return CASUS_ENOMEM;
    memcpy(s->names[i], name, len + 1);
    s->inputs[i].name = s->names[i];
    return CASUS_OK;
}

casus_status casus_sens_new(casus_sens **out, const casus_sens_options *opt,
                            const casus_sens_input *inputs, size_t ninputs, casus_sens_model_fn f,
                            void *model_ud, casus_alloc_fn alloc, void *alloc_ud)
{
    struct casus_sens *s;
    size_t ntab = 0, used = 0;
    casus_status st;
    if (!inputs || !f)
        return CASUS_EINVAL;
    for (size_t i = 0; i < ninputs && i <= CASUS_SENS_MAX_D; i++) {
        const casus_sens_input *in = &inputs[i];
        if (!in->name || !in->name[0] || strlen(in->name) > MAX_NAME)
            return CASUS_EINVAL;
        if (in->dist == CASUS_SENS_DIST_DISCRETE) {
            if (!in->values || !in->weights || in->nvalues < 1 || in->nvalues > MAX_VALUE)
                return CASUS_EINVAL;
            ntab += 3 * in->nvalues;
        }
    }
    st = sens_alloc(out, opt, ninputs, alloc, alloc_ud, &s);
    if (st != CASUS_OK)
        return st;
    s->fn = f;
    s->model_ud = model_ud;
    s->ntables = ntab;
    s->dists = zalloc(&s->alloc, ninputs, sizeof *s->dists);
    if (ntab)
        s->tables = casus_mem_alloc(&s->alloc, ntab * sizeof *s->tables);
    if (!s->dists || (ntab && !s->tables)) {
        casus_sens_free(s);
        return CASUS_ENOMEM;
    }
    for (size_t i = 0; i < ninputs; i++) {
        s->inputs[i] = inputs[i];
        s->inputs[i].values = s->inputs[i].weights = NULL;
        st = set_name(s, i, inputs[i].name);
        if (st == CASUS_OK)
            st = make_dist(s, &inputs[i], &used, &s->dists[i]);
        if (st != CASUS_OK) {
            casus_sens_free(s);
            return st;
        }
    }
    *out = s;
    return CASUS_OK;
}

casus_status casus_sens_new_builtin(casus_sens **out, const char *name,
                                    const casus_sens_options *opt, casus_alloc_fn alloc,
                                    void *alloc_ud)
{
    const struct builtin *b = NULL;
    struct casus_sens *s;
    casus_status st;
    for (size_t i = 0; name && i < CASUS_ARRAY_LEN(BUILTINS); i++)
        if (strcmp(BUILTINS[i].name, name) == 0)
            b = &BUILTINS[i];
    if (!b) {
        *out = NULL;
        return CASUS_ENOTFOUND;
    }
    st = sens_alloc(out, opt, b->d, alloc, alloc_ud, &s);
    if (st != CASUS_OK)
        return st;
    s->builtin = b->name;
    s->fn = b->fn;
    s->exact = casus_mem_alloc(&s->alloc, casus_sens_nindices(b->d, true) * sizeof *s->exact);
    if (!s->exact) {
        casus_sens_free(s);
        return CASUS_ENOMEM;
    }
    builtin_exact(b, true, s->exact);
    for (size_t i = 0; i < b->d; i++) {
        char nm[32];
        snprintf(nm, sizeof nm, "x%zu", i + 1);
        s->inputs[i].dist = CASUS_SENS_DIST_UNIFORM;
        s->inputs[i].p[0] = b->lo;
        s->inputs[i].p[1] = b->hi;
        st = set_name(s, i, nm);
        if (st != CASUS_OK) {
            casus_sens_free(s);
            return st;
        }
    }
    *out = s;
    return CASUS_OK;
}

void casus_sens_set_progress(casus_sens *s, casus_sens_progress_cb fn, void *ud)
{
    s->progress = fn;
    s->progress_ud = ud;
}

casus_status casus_sens_set_partition(casus_sens *s, unsigned part, unsigned nparts,
                                      casus_sens_gather_cb gather, void *ud)
{
    if (nparts < 1 || nparts > 65536 || part >= nparts || (nparts > 1 && !gather))
        return CASUS_EINVAL;
    s->part = part;
    s->nparts = nparts;
    s->gather = gather;
    s->gather_ud = ud;
    return CASUS_OK;
}

/* ---- analysis ------------------------------------------------------------------ */

/* Map unit-cube points to input values in place (no-op for built-ins). */
static void to_inputs(const struct casus_sens *s, double *u, size_t npts)
{
    if (s->dists)
        for (size_t i = 0; i < npts; i++)
            for (size_t k = 0; k < s->d; k++)
                u[i * s->d + k] = casus_dist_quantile(&s->dists[k], u[i * s->d + k]);
}

/* Tornado: 2d + 1 evaluations. */
static casus_status run_tornado(struct casus_sens *s)
{
    size_t d = s->d, np = 2 * d + 1;
    double *u = casus_mem_alloc(&s->alloc, np * d * sizeof *u);
    double *y = s->mu + 5 * d; /* spare room: 2d outputs, plus at_mid */
    double mid;
    casus_status st;
    if (!u)
        return CASUS_ENOMEM;
    casus_tornado_design(d, s->opt.tornado_lo, s->opt.tornado_hi, u);
    to_inputs(s, u, np);
    st = s->fn(s->model_ud, u, 1, d, &mid);
    if (st == CASUS_OK)
        st = s->fn(s->model_ud, u + d, np - 1, d, y);
    casus_mem_free(&s->alloc, u, np * d * sizeof *u);
    if (st != CASUS_OK)
        return st;
    s->at_mid = mid;
    for (size_t i = 0; i < d; i++) {
        s->at_lo[i] = y[2 * i];
        s->at_hi[i] = y[2 * i + 1];
    }
    s->evals += np;
    return CASUS_OK;
}

static casus_status run_morris(struct casus_sens *s)
{
    size_t d = s->d, r = s->opt.morris_trajectories, np = r * (d + 1);
    double *u, *y;
    casus_status st;
    if (np > SIZE_MAX / sizeof(double) / (d + 1))
        return CASUS_ELIMIT;
    u = casus_mem_alloc(&s->alloc, np * d * sizeof *u);
    y = casus_mem_alloc(&s->alloc, np * sizeof *y);
    st = u && y ? CASUS_OK : CASUS_ENOMEM;
    if (st == CASUS_OK)
        st = casus_morris_design(d, r, s->opt.morris_levels, s->opt.seed, u);
    if (st == CASUS_OK) {
        /* effects on the unit-cube scale: keep u, evaluate on a copy */
        double *x = casus_mem_alloc(&s->alloc, np * d * sizeof *x);
        if (!x)
            st = CASUS_ENOMEM;
        else {
            memcpy(x, u, np * d * sizeof *x);
            to_inputs(s, x, np);
            st = s->fn(s->model_ud, x, np, d, y);
            casus_mem_free(&s->alloc, x, np * d * sizeof *x);
        }
    }
    if (st == CASUS_OK)
        st = casus_morris_analyze(u, y, d, r, s->mu, s->mustar, s->sigma);
    if (st == CASUS_OK)
        s->evals += np;
    casus_mem_free(&s->alloc, u, np * d * sizeof *u);
    casus_mem_free(&s->alloc, y, np * sizeof *y);
    return st;
}

static void progress_thunk(void *ud, size_t done, size_t total)
{
    const struct casus_sens *s = ud;
    s->progress(s->progress_ud, done, total);
}

static casus_status run_sobol(struct casus_sens *s)
{
    const casus_sens_options *o = &s->opt;
    int qmc = o->sampling == CASUS_SENS_SAMPLING_MC           ? CASUS_SENS_MC
              : o->sampling == CASUS_SENS_SAMPLING_SOBOL_OWEN ? CASUS_SENS_OWEN
                                                              : CASUS_SENS_LMS;
    struct casus_sens_design p = {s->d, o->base_samples, o->second_order, qmc, o->seed};
    struct casus_sens_exec x = CASUS_SENS_EXEC_INIT;
    struct casus_sens_result r;
    casus_status st;
    size_t ni = casus_sens_nindices(s->d, o->second_order);
    s->nidx = ni;
    s->est = casus_mem_alloc(&s->alloc, ni * sizeof *s->est);
    s->lo = casus_mem_alloc(&s->alloc, ni * sizeof *s->lo);
    s->hi = casus_mem_alloc(&s->alloc, ni * sizeof *s->hi);
    if (!s->est || !s->lo || !s->hi)
        return CASUS_ENOMEM;
    x.threads = o->threads;
    x.part = s->part;
    x.nparts = s->nparts;
    x.gather = s->gather;
    x.gather_ud = s->gather_ud;
    if (s->progress) {
        x.progress = progress_thunk;
        x.progress_ud = s;
    }
    memset(&r, 0, sizeof r);
    r.est = s->est, r.lo = s->lo, r.hi = s->hi;
    st = casus_sens_run_ex(&s->alloc, &p, o->replicates, o->bootstrap, o->level, s->dists, s->fn,
                           s->model_ud, &x, &r);
    if (st == CASUS_EINVAL)
        casus_error_set(&s->err, st, "no-variance", CASUS_INPUT_OUTPUT,
                        "the output has no variance to apportion (constant or not finite)");
    if (st != CASUS_OK)
        return st;
    s->ci = r.ci == CASUS_SENS_CI_REPLICATE ? CASUS_SENS_INTERVAL_REPLICATE_T
                                            : CASUS_SENS_INTERVAL_BOOTSTRAP;
    s->var = r.var;
    s->evals += r.evals;
    return CASUS_OK;
}

casus_status casus_sens_analyze(casus_sens *s)
{
    casus_status st;
    free_results(s);
    casus_error_clear(&s->err);
    s->evals = 0;
    s->var = NAN;
    s->ci = CASUS_SENS_INTERVAL_NONE;
    s->nidx = 0;
    for (size_t i = 0; i < 3 * s->d; i++)
        s->mu[i] = NAN; /* mu, mustar, sigma */
    st = run_tornado(s);
    if (st == CASUS_OK && s->opt.method == CASUS_SENS_METHOD_MORRIS)
        st = run_morris(s);
    if (st == CASUS_OK && s->opt.method == CASUS_SENS_METHOD_SOBOL)
        st = run_sobol(s);
    if (st != CASUS_OK) {
        if (!s->err.message[0])
            casus_error_set(&s->err, st, "failed", CASUS_INPUT_NONE, "%s", casus_status_str(st));
        free_results(s);
        return st;
    }
    s->done = true;
    return CASUS_OK;
}

const char *casus_sens_error(const casus_sens *s)
{
    return s->err.message;
}

const casus_error *casus_sens_error_info(const casus_sens *s)
{
    return &s->err;
}

/* ---- results ------------------------------------------------------------------- */

size_t casus_sens_count(const casus_sens *s)
{
    return s->d;
}

static casus_sens_value value_at(const struct casus_sens *s, size_t i)
{
    casus_sens_value v = {NAN, NAN, NAN};
    if (s->est && i < s->nidx) {
        v.est = s->est[i];
        v.lo = s->lo[i];
        v.hi = s->hi[i];
    }
    return v;
}

casus_status casus_sens_row_get(const casus_sens *s, size_t i, casus_sens_row *out)
{
    if (!s->done)
        return CASUS_ESTATE;
    if (i >= s->d)
        return CASUS_EINVAL;
    out->name = s->names[i];
    out->s1 = value_at(s, i);
    out->st = value_at(s, s->d + i);
    out->s1_exact = s->exact ? s->exact[i] : NAN;
    out->st_exact = s->exact ? s->exact[s->d + i] : NAN;
    out->mu = s->mu[i];
    out->mustar = s->mustar[i];
    out->sigma = s->sigma[i];
    out->at_lo = s->at_lo[i];
    out->at_hi = s->at_hi[i];
    return CASUS_OK;
}

casus_status casus_sens_s2(const casus_sens *s, size_t j, size_t k, casus_sens_value *out)
{
    if (!s->done || !s->est || !s->opt.second_order)
        return CASUS_ESTATE;
    if (j >= s->d || k >= s->d || j == k)
        return CASUS_EINVAL;
    *out = value_at(s, j < k ? casus_sens_api_s2(s, j, k) : casus_sens_api_s2(s, k, j));
    return CASUS_OK;
}

casus_sens_interval casus_sens_interval_kind(const casus_sens *s)
{
    return s->ci;
}

double casus_sens_output_variance(const casus_sens *s)
{
    return s->done ? s->var : NAN;
}

double casus_sens_output_median_point(const casus_sens *s)
{
    return s->at_mid;
}

double casus_sens_first_order_share(const casus_sens *s)
{
    double sum = 0.0;
    if (!s->done || !s->est)
        return NAN;
    for (size_t i = 0; i < s->d; i++)
        sum += s->est[i];
    return sum;
}

size_t casus_sens_evaluations(const casus_sens *s)
{
    return s->evals;
}

casus_status casus_sens_set_model(struct casus_sens *s, const char *title,
                                  void (*model_free)(void *ud))
{
    size_t len = strlen(title);
    s->model_title = casus_mem_alloc(&s->alloc, len + 1);
    if (!s->model_title)
        return CASUS_ENOMEM;
    memcpy(s->model_title, title, len + 1);
    s->model_free = model_free;
    return CASUS_OK;
}
