/*
 * fit.c — the public API of the fit wing (include/casus/fit.h): options,
 * loading data, and an estimate from start values through the optimiser to
 * the covariance, with the diagnostics that explain a failure.
 */
#include "fit/state.h"

#include "base/buf.h"
#include "fit/linalg.h"
#include "fit/sbi.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- options ------------------------------------------------------------ */

static bool parse_double(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end || errno == ERANGE || !isfinite(v))
        return false;
    *out = v;
    return true;
}

static bool parse_uint(const char *s, uint64_t max, uint64_t *out)
{
    char *end;
    if (!*s || *s == '-' || *s == '+')
        return false;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || errno || v > max)
        return false;
    *out = v;
    return true;
}

/* "a,b,c" into up to 8 numbers. */
static bool parse_utils(const char *s, casus_fit_opts *o)
{
    int n = 0;
    char buf[64];
    while (*s) {
        const char *e = strchr(s, ',');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        if (n == 8 || len == 0 || len >= sizeof buf)
            return false;
        memcpy(buf, s, len);
        buf[len] = '\0';
        if (!parse_double(buf, &o->fixed_utils[n++]))
            return false;
        s += len + (e != NULL);
        if (e && !*s)
            return false;
    }
    o->nfixed_utils = n;
    return n > 0;
}

static casus_status opt_choice(const char *v, const char *a, const char *b, bool *second,
                               const char **why, const char *msg)
{
    if (strcmp(v, a) == 0 || strcmp(v, b) == 0) {
        *second = strcmp(v, b) == 0;
        return CASUS_OK;
    }
    *why = msg;
    return CASUS_EINVAL;
}

static casus_status opt_model(casus_fit_opts *o, const char *v, const char **why)
{
    static const char *const names[] = {"egame12", "egame122", "egame123", "ultimatum"};
    for (int i = 0; i < 4; i++)
        if (strcmp(v, names[i]) == 0) {
            o->model = (casus_fit_model)i;
            return CASUS_OK;
        }
    *why = "the models are egame12, egame122, egame123 and ultimatum";
    return CASUS_EINVAL;
}

static casus_status opt_number(const char *name, const char *v, casus_fit_opts *o, const char **why)
{
    double d;
    uint64_t u;
    if (strcmp(name, "max-offer") == 0 || strcmp(name, "s1") == 0 || strcmp(name, "s2") == 0 ||
        strcmp(name, "offertol") == 0) {
        if (!parse_double(v, &d) || !(d > 0)) {
            *why = "expected a positive number";
            return CASUS_EINVAL;
        }
        *(name[0] == 'm'   ? &o->max_offer
          : name[0] == 'o' ? &o->offertol
          : name[1] == '1' ? &o->s1
                           : &o->s2) = d;
        return CASUS_OK;
    }
    bool boot = strcmp(name, "boot") == 0, thr = strcmp(name, "threads") == 0;
    uint64_t max = boot ? 100000 : thr ? 256 : strcmp(name, "max-iter") == 0 ? 100000 : UINT64_MAX;
    if (!parse_uint(v, max, &u)) {
        *why = boot  ? "expected a whole number of replicates from 0 to 100000"
               : thr ? "expected a whole number of threads from 0 (all processors) to 256"
                     : "expected a whole number";
        return CASUS_EINVAL;
    }
    if (boot)
        o->boot = (unsigned)u;
    else if (thr)
        o->threads = (unsigned)u;
    else if (strcmp(name, "seed") == 0)
        o->seed = u;
    else
        o->max_iter = (int)u;
    return CASUS_OK;
}

casus_status casus_fit_opts_set(casus_fit_opts *o, const char *name, const char *value,
                                const char **why)
{
    const char *dummy;
    if (!why)
        why = &dummy;
    *why = NULL;
    const char *v = value ? value : "";
    if (strcmp(name, "model") == 0)
        return opt_model(o, v, why);
    if (strcmp(name, "formula") == 0 || strcmp(name, "sdformula") == 0 ||
        strcmp(name, "subset") == 0) {
        *(name[0] == 'f' ? &o->formula : name[1] == 'd' ? &o->sdformula : &o->subset) = value;
        return CASUS_OK;
    }
    if (strcmp(name, "link") == 0)
        return opt_choice(v, "probit", "logit", &o->logit, why, "the links are probit and logit");
    if (strcmp(name, "type") == 0)
        return opt_choice(v, "agent", "private", &o->private_info, why,
                          "the types are agent and private");
    if (strcmp(name, "outcome") == 0)
        return opt_choice(v, "both", "offer", &o->offer_only, why,
                          "the outcomes are both and offer");
    if (strcmp(name, "sd-by-player") == 0) {
        o->sd_by_player = true;
        return CASUS_OK;
    }
    if (strcmp(name, "fixed-utils") == 0) {
        if (parse_utils(v, o))
            return CASUS_OK;
        *why = "expected numbers separated by commas, one per utility";
        return CASUS_EINVAL;
    }
    if (strcmp(name, "levels") == 0) {
        if (o->nlevels == CASUS_FIT_MAX_LEVELS) {
            *why = "too many --levels options";
            return CASUS_ELIMIT;
        }
        o->levels[o->nlevels++] = value;
        return CASUS_OK;
    }
    static const char *const nums[] = {"max-offer", "s1",      "s2",   "offertol",
                                       "boot",      "threads", "seed", "max-iter"};
    for (size_t i = 0; i < CASUS_ARRAY_LEN(nums); i++)
        if (strcmp(name, nums[i]) == 0)
            return opt_number(name, v, o, why);
    *why = "unknown option";
    return CASUS_EINVAL;
}

/* ---- handle ------------------------------------------------------------- */

casus_status casus_fit_new(casus_fit **out, casus_alloc_fn alloc, void *ud)
{
    *out = NULL;
    struct casus_alloc al = {alloc ? alloc : casus_default_alloc, ud};
    casus_fit *f = casus_mem_alloc(&al, sizeof *f);
    if (!f)
        return CASUS_ENOMEM;
    memset(f, 0, sizeof *f);
    f->alloc = al;
    casus_diags_init(&f->diags, &f->alloc);
    casus_arena_init(&f->data, &f->alloc);
    casus_arena_init(&f->est, &f->alloc);
    *out = f;
    return CASUS_OK;
}

void casus_fit_free(casus_fit *f)
{
    if (!f)
        return;
    casus_arena_release(&f->est);
    casus_arena_release(&f->data);
    casus_diags_release(&f->diags);
    struct casus_alloc al = f->alloc;
    casus_mem_free(&al, f, sizeof *f);
}

casus_status casus_fit_load_csv(casus_fit *f, const char *name, const char *text, size_t len)
{
    f->has_data = f->done = false;
    casus_arena_release(&f->est);
    if (len >= UINT32_MAX)
        return CASUS_ELIMIT;
    casus_status st = casus_diags_add_source(&f->diags, name, text, len, &f->src);
    if (st != CASUS_OK)
        return st;
    f->data_name = casus_arena_strndup(&f->data, name, strlen(name));
    if (!f->data_name)
        return CASUS_ENOMEM;
    st = fit_frame_open(&f->frame, &f->est, &f->diags, f->src); /* check the header now */
    f->has_data = st == CASUS_OK;
    return st;
}

casus_status casus_fit_load_file(casus_fit *f, const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        casus_diag_add(&f->diags, CASUS_SEV_ERROR, NULL, "io", "cannot read '%s': %s", path,
                       strerror(errno));
        return CASUS_EIO;
    }
    casus_buf b = CASUS_BUF_INIT;
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0 && !b.failed && b.len < UINT32_MAX)
        casus_buf_append(&b, chunk, got);
    bool err = ferror(fp) != 0;
    fclose(fp);
    casus_status st = CASUS_OK;
    if (err) {
        casus_diag_add(&f->diags, CASUS_SEV_ERROR, NULL, "io", "cannot read '%s'", path);
        st = CASUS_EIO;
    } else if (b.failed) {
        st = CASUS_ENOMEM;
    } else if (b.len >= UINT32_MAX) {
        st = CASUS_ELIMIT;
    } else {
        st = casus_fit_load_csv(f, path, b.data ? b.data : "", b.len);
    }
    casus_buf_release(&b);
    return st;
}

casus_status casus_fit_render_diagnostics(const casus_fit *f, casus_buf *out)
{
    casus_diags_render(&f->diags, out);
    return casus_buf_status(out);
}

size_t casus_fit_error_count(const casus_fit *f)
{
    return f->diags.nerrors;
}

/* ---- estimate ----------------------------------------------------------- */

static casus_status fail(casus_fit *f, casus_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* An error diagnostic without a place; returns st. */
static casus_status fail(casus_fit *f, casus_status st, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    casus_diag_add(&f->diags, CASUS_SEV_ERROR, NULL, "fit", "%s", msg);
    return st;
}

/* Copy the option strings into the estimate's arena (the report shows
 * them after the caller's strings are gone). */
static bool copy_opts(casus_fit *f, const casus_fit_opts *o)
{
    f->opts = *o;
    const char **s[] = {&f->opts.formula, &f->opts.sdformula, &f->opts.subset};
    for (size_t i = 0; i < CASUS_ARRAY_LEN(s); i++)
        if (*s[i] && !(*s[i] = casus_arena_strndup(&f->est, *s[i], strlen(*s[i]))))
            return false;
    return true;
}

/* The models' observation functions in the optimiser's signature. */
static void egame_obs(const void *m, size_t i, const double *eta, const struct fit_jctx *c,
                      struct fit_jet *out)
{
    fit_egame_loglik(m, i, eta, c, out);
}

static void ult_obs(const void *m, size_t i, const double *eta, const struct fit_jctx *c,
                    struct fit_jet *out)
{
    fit_ult_loglik(m, i, eta, c, out);
}

/* A problem over design ds with its model (eg or ul, by the model kind). */
static casus_status problem_for(casus_fit *f, const struct fit_design *ds, struct fit_problem *p,
                                struct fit_egame *eg, struct fit_ult *ul)
{
    memset(p, 0, sizeof *p);
    p->n = ds->n;
    p->neq = ds->neq;
    for (int q = 0; q < ds->neq; q++) {
        p->k[q] = ds->k[q];
        p->x[q] = ds->x[q];
    }
    p->fixed = ds->fixed;
    casus_status st = fit_problem_prepare(p, &f->est);
    if (st != CASUS_OK)
        return st;
    if (f->opts.model == CASUS_FIT_ULTIMATUM) {
        struct fit_ult u = {f->opts.max_offer, f->opts.offertol, f->opts.offer_only || !ds->accept,
                            ds->offer,         ds->accept,       p->active};
        *ul = u;
        p->fn = ult_obs;
        p->model = ul;
    } else {
        struct fit_egame g = {(enum fit_game)f->opts.model,
                              ds->logit ? FIT_LOGIT : FIT_PROBIT,
                              f->opts.private_info ? FIT_PRIVATE : FIT_AGENT,
                              ds->neq - ds->nutil,
                              ds->y,
                              p->active};
        *eg = g;
        p->fn = egame_obs;
        p->model = eg;
    }
    return CASUS_OK;
}

/* The problems: over every observation, and the one the optimiser fits —
 * one weighted row per group of identical observations when that saves at
 * least a tenth of the rows. */
static casus_status make_problem(casus_fit *f)
{
    casus_status st = problem_for(f, &f->ds, &f->prob, &f->eg, &f->ul);
    if (st == CASUS_OK)
        st = fit_group_rows(&f->ds, &f->est, &f->groups);
    if (st != CASUS_OK)
        return st;
    f->op = &f->prob;
    if (f->groups.n * 10 > (size_t)f->ds.n * 9)
        return CASUS_OK;
    st = fit_group_design(&f->ds, &f->groups, &f->est, &f->gds);
    if (st == CASUS_OK)
        st = problem_for(f, &f->gds, &f->gprob, &f->geg, &f->gul);
    if (st != CASUS_OK)
        return st;
    f->gprob.w0 = f->groups.count;
    f->op = &f->gprob;
    return CASUS_OK;
}

/* Start values: SBI (egame), zeros with fixed utilities, pseudo-SBI
 * (ultimatum) with the package's fallback when its likelihood is not
 * finite. */
static casus_status start_values(casus_fit *f)
{
    struct fit_design *ds = &f->ds;
    f->theta = casus_arena_alloc(&f->est, (ds->np + 1) * sizeof *f->theta);
    if (!f->theta)
        return CASUS_ENOMEM;
    for (size_t j = 0; j < ds->np; j++)
        f->theta[j] = ds->fixed[j] ? ds->value[j] : 0.0;
    if (f->opts.model != CASUS_FIT_ULTIMATUM)
        return f->opts.nfixed_utils
                   ? CASUS_OK
                   : fit_sbi_egame(ds, (int)f->opts.model, ds->logit, &f->est, f->theta);
    casus_status st = fit_sbi_ult(ds, f->opts.max_offer, &f->est, f->theta);
    if (st != CASUS_OK)
        return st;
    double ll = 0.0;
    for (size_t i = 0; i < ds->n && isfinite(ll); i++)
        ll += fit_eval_obs(&f->prob, f->theta, i);
    if (!isfinite(ll))
        fit_sbi_ult_fallback(ds, f->opts.max_offer, f->theta);
    return CASUS_OK;
}

/* The parameter that moved furthest, for messages. */
static size_t largest_param(const casus_fit *f)
{
    size_t best = 0;
    for (size_t j = 1; j < f->ds.np; j++)
        if (fabs(f->theta[j]) > fabs(f->theta[best]))
            best = j;
    return best;
}

static casus_status explain_stop(casus_fit *f)
{
    const struct fit_opt_result *r = &f->opt;
    size_t j = largest_param(f);
    switch (r->stop) {
    case FIT_STOP_NONFINITE:
        return fail(f, CASUS_ENOCONV, "the log-likelihood is not finite at the start values");
    case FIT_STOP_DIVERGED:
        return fail(f, CASUS_ENOCONV,
                    "the log-likelihood has no maximum at finite coefficients: '%s' ran off to "
                    "%.3g after %d iterations while the log-likelihood kept rising to %.6f (the "
                    "outcome is perfectly separated, or the model is not identified by these data)",
                    f->ds.pname[j], f->theta[j], r->iterations, r->ll);
    case FIT_STOP_MAXITER:
        return fail(f, CASUS_ENOCONV,
                    "the optimiser did not converge in %d iterations (log-likelihood %.6f, max "
                    "|gradient| %.3g, largest coefficient '%s' = %.3g): the likelihood keeps "
                    "rising along a ridge, so the model is not identified by these data",
                    r->iterations, r->ll, r->gmax, f->ds.pname[j], f->theta[j]);
    case FIT_STOP_FLAT:
    case FIT_STOP_STALLED:
        return fail(f, CASUS_ENOCONV,
                    "the optimiser stalled at log-likelihood %.6f with max |gradient| %.3g after "
                    "%d iterations: the likelihood is flat or not smooth there, so the "
                    "coefficients are not identified",
                    r->ll, r->gmax, r->iterations);
    case FIT_STOP_CONVERGED: break;
    }
    return CASUS_OK;
}

/* A singular Hessian: name the parameters of the flattest direction. */
static casus_status singular(casus_fit *f, const double *vec, const double *val)
{
    size_t n = f->prob.nfree, top[3] = {0, 0, 0};
    char names[600] = "";
    size_t len = 0;
    double big = 0.0;
    for (int t = 0; t < 3 && t < (int)n; t++) { /* the 3 largest components of vector 0 */
        size_t best = SIZE_MAX;
        for (size_t u = 0; u < n; u++) {
            bool used = false;
            for (int s = 0; s < t; s++)
                used |= top[s] == u;
            if (!used && (best == SIZE_MAX || fabs(vec[u * n]) > fabs(vec[best * n])))
                best = u;
        }
        top[t] = best;
        if (fabs(vec[best * n]) < 0.1)
            break;
        size_t j = f->prob.free_ix[best];
        big = fmax(big, fabs(f->theta[j]));
        len += (size_t)snprintf(names + len, len < sizeof names ? sizeof names - len : 0,
                                "%s'%s' (now %.3g)", t ? ", " : "", f->ds.pname[j], f->theta[j]);
    }
    return fail(f, CASUS_ENOCONV,
                "the Hessian at the maximum is singular (eigenvalues of -H from %.3g to %.3g): "
                "the coefficients are not identified; the flat direction moves %s%s",
                val[0], val[n - 1], names,
                big > 5.0 ? "; such large values mean the likelihood keeps rising as they grow: "
                            "a regressor predicts a choice perfectly (separation)"
                          : "");
}

/* Covariance = (-H)^{-1} at the optimum, after checking that -H is
 * positive definite beyond rounding: its smallest eigenvalue must exceed
 * 64 eps n times the largest (the Hessian's rounding noise is about eps n
 * times its size). */
static casus_status covariance(casus_fit *f)
{
    size_t n = f->prob.nfree, np = f->ds.np;
    const double *h = fit_last_hessian(f->op, &f->work);
    double *a = casus_arena_alloc(&f->est, (3 * n * n + n + 1) * sizeof *a);
    f->se = casus_arena_alloc(&f->est, (np + 1) * sizeof *f->se);
    if (!a || !f->se)
        return CASUS_ENOMEM;
    double *vec = a + n * n, *val = vec + n * n, *l = val + n;
    for (size_t j = 0; j < np; j++)
        f->se[j] = NAN;
    if (n == 0)
        return CASUS_OK;
    for (size_t i = 0; i < n * n; i++)
        a[i] = l[i] = -h[i];
    fit_sym_eigen(a, n, val, vec);
    f->hess_min = val[0];
    f->hess_max = val[n - 1];
    if (!(val[0] > 64.0 * DBL_EPSILON * (double)f->ds.n * val[n - 1]) || !fit_chol(l, n))
        return singular(f, vec, val);
    f->vcov = casus_arena_alloc(&f->est, (n * n + 1) * sizeof *f->vcov);
    if (!f->vcov)
        return CASUS_ENOMEM;
    fit_chol_inverse(l, n, f->vcov);
    for (size_t u = 0; u < n; u++)
        f->se[f->prob.free_ix[u]] = sqrt(f->vcov[u * n + u]);
    return CASUS_OK;
}

/* From the design to the converged estimate and its covariance. */
static casus_status estimate(casus_fit *f)
{
    casus_status st = fit_frame_open(&f->frame, &f->est, &f->diags, f->src);
    if (st == CASUS_OK)
        st = fit_design_build(&f->ds, &f->est, &f->diags, &f->frame, &f->opts);
    if (st == CASUS_OK)
        st = make_problem(f);
    if (st == CASUS_OK)
        st = start_values(f);
    if (st == CASUS_OK)
        st = fit_work_init(&f->work, f->op, &f->est);
    if (st == CASUS_OK && !(f->start = casus_arena_alloc(&f->est, (f->ds.np + 1) * sizeof(double))))
        st = CASUS_ENOMEM;
    if (st != CASUS_OK)
        return st;
    memcpy(f->start, f->theta, f->ds.np * sizeof(double));
    fit_maximize(f->op, NULL, f->theta, f->opts.max_iter, &f->work, &f->opt);
    st = explain_stop(f);
    if (st == CASUS_OK)
        st = covariance(f);
    if (st != CASUS_OK)
        return st;
    double k = (double)f->prob.nfree;
    f->ll = f->opt.ll;
    f->aic = -2.0 * f->ll + 2.0 * k;
    f->bic = -2.0 * f->ll + log((double)f->ds.n) * k;
    return f->opts.boot ? fit_run_bootstrap(f) : CASUS_OK;
}

casus_status casus_fit_estimate(casus_fit *f, const casus_fit_opts *o)
{
    f->done = false;
    if (!f->has_data)
        return fail(f, CASUS_ESTATE, "no data: load a CSV file before estimating");
    casus_arena_release(&f->est);
    f->vcov = f->boot = f->boot_se = NULL;
    f->boot_ok = f->boot_failed = 0;
    if (!copy_opts(f, o))
        return CASUS_ENOMEM;
    casus_status st = estimate(f);
    f->done = st == CASUS_OK;
    return st;
}

/* ---- accessors ---------------------------------------------------------- */

size_t casus_fit_nparams(const casus_fit *f)
{
    return f->done ? f->ds.np : 0;
}

const char *casus_fit_param_name(const casus_fit *f, size_t i)
{
    return f->done && i < f->ds.np ? f->ds.pname[i] : NULL;
}

double casus_fit_estimate_of(const casus_fit *f, size_t i)
{
    return f->done && i < f->ds.np ? f->theta[i] : NAN;
}

double casus_fit_se(const casus_fit *f, size_t i)
{
    return f->done && i < f->ds.np ? f->se[i] : NAN;
}

bool casus_fit_is_fixed(const casus_fit *f, size_t i)
{
    return f->done && i < f->ds.np && f->ds.fixed[i];
}

const double *casus_fit_vcov(const casus_fit *f, size_t *nfree)
{
    *nfree = f->done ? f->prob.nfree : 0;
    return f->done ? f->vcov : NULL;
}

double casus_fit_loglik(const casus_fit *f)
{
    return f->done ? f->ll : NAN;
}

size_t casus_fit_nobs(const casus_fit *f)
{
    return f->done ? f->ds.n : 0;
}
