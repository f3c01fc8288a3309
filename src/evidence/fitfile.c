/*
 * fitfile.c — a fit's JSON to a multivariate normal (see fitfile.h).
 */
#include "evidence/fitfile.h"
#include "base/rng.h"
#include "base/symtab.h"
#include "evidence/json.h"

#include <math.h>

struct fr {
    struct casus_arena *a;
    struct casus_diags *d;
    const struct ev_json *root;
    bool oom;
};

static bool bad(struct fr *r, const struct ev_json *v, const char *msg)
{
    casus_diag_add(r->d, CASUS_SEV_ERROR, &v->span, "bad-fit", "%s", msg);
    return false;
}

/* A required member of the root. */
static const struct ev_json *member(struct fr *r, const char *key, enum ev_json_kind kind)
{
    const struct ev_json *v = ev_json_get(r->root, key);
    if (!v) {
        casus_diag_add(r->d, CASUS_SEV_ERROR, &r->root->span, "bad-fit",
                       "this fit has no \"%s\" (write it with 'casus fit ... --json')", key);
        return NULL;
    }
    if (v->kind != kind) {
        casus_diag_add(r->d, CASUS_SEV_ERROR, &v->span, "bad-fit", "\"%s\" should be %s", key,
                       kind == EV_JSON_ARR ? "an array" : "an object");
        return NULL;
    }
    return v;
}

/* An array of strings, into names. */
static bool string_list(struct fr *r, const struct ev_json *v, const char ***names)
{
    *names = casus_arena_alloc(r->a, (v->n ? v->n : 1) * sizeof **names);
    if (!*names)
        return !(r->oom = true);
    for (uint32_t i = 0; i < v->n; i++) {
        if (v->items[i]->kind != EV_JSON_STR)
            return bad(r, v->items[i], "expected a coefficient's name in quotes");
        (*names)[i] = v->items[i]->s;
    }
    return true;
}

/* The estimate of coefficient `name` in "coefficients". */
static bool estimate(struct fr *r, const struct ev_json *coefs, const struct ev_json *at,
                     const char *name, double *out)
{
    const struct ev_json *v = ev_json_get(coefs, name);
    if (!v || v->kind != EV_JSON_NUM) {
        casus_diag_add(r->d, CASUS_SEV_ERROR, &at->span, "bad-fit",
                       "\"coefficients\" has no number for '%s'", name);
        return false;
    }
    *out = v->num;
    return true;
}

/* vcov: k rows of k numbers, symmetric; into c (k x k, row-major). */
static bool read_vcov(struct fr *r, const struct ev_json *v, uint32_t k, double *c)
{
    if (v->n != k)
        return bad(r, v, "\"vcov\" should have one row per name in \"vcov_names\"");
    for (uint32_t i = 0; i < k; i++) {
        const struct ev_json *row = v->items[i];
        if (row->kind != EV_JSON_ARR || row->n != k)
            return bad(r, row, "each row of \"vcov\" should hold one number per coefficient");
        for (uint32_t j = 0; j < k; j++) {
            if (row->items[j]->kind != EV_JSON_NUM)
                return bad(r, row->items[j], "expected a number");
            c[i * k + j] = row->items[j]->num;
        }
    }
    for (uint32_t i = 0; i < k; i++)
        for (uint32_t j = 0; j < i; j++) {
            double x = c[i * k + j], y = c[j * k + i];
            if (fabs(x - y) > 1e-9 * fmax(fabs(x), fabs(y)))
                return bad(r, v->items[i]->items[j], "\"vcov\" is not symmetric here");
            c[i * k + j] = c[j * k + i] = 0.5 * (x + y);
        }
    return true;
}

/* In-place lower Cholesky factor of the k x k matrix c (upper part zeroed);
 * the first non-positive pivot's index, or -1 when c is positive definite. */
static int32_t cholesky(double *c, uint32_t k)
{
    for (uint32_t j = 0; j < k; j++) {
        double s = c[j * k + j];
        for (uint32_t m = 0; m < j; m++)
            s -= c[j * k + m] * c[j * k + m];
        if (!(s > 0))
            return (int32_t)j;
        double l = sqrt(s);
        c[j * k + j] = l;
        for (uint32_t i = j + 1; i < k; i++) {
            double t = c[i * k + j];
            for (uint32_t m = 0; m < j; m++)
                t -= c[i * k + m] * c[j * k + m];
            c[i * k + j] = t / l;
        }
        for (uint32_t i = 0; i < j; i++)
            c[i * k + j] = 0;
    }
    return -1;
}

static const char *opt_string(const struct ev_json *root, const char *key)
{
    const struct ev_json *v = ev_json_get(root, key);
    return v && v->kind == EV_JSON_STR ? v->s : NULL;
}

static double opt_number(const struct ev_json *root, const char *key)
{
    const struct ev_json *v = ev_json_get(root, key);
    return v && v->kind == EV_JSON_NUM ? v->num : NAN;
}

/* The fixed coefficients and their values. */
static bool read_fixed(struct fr *r, const struct ev_json *coefs, struct casus_mfit *f)
{
    const struct ev_json *fx = ev_json_get(r->root, "fixed");
    if (!fx)
        return true;
    if (fx->kind != EV_JSON_ARR)
        return bad(r, fx, "\"fixed\" should be an array of names");
    const char **names;
    double *vals = casus_arena_alloc(r->a, (fx->n ? fx->n : 1) * sizeof *vals);
    if (!vals)
        return !(r->oom = true);
    if (!string_list(r, fx, &names))
        return false;
    for (uint32_t i = 0; i < fx->n; i++)
        if (!estimate(r, coefs, fx->items[i], names[i], &vals[i]))
            return false;
    f->nfixed = fx->n;
    f->fixed_coef = names;
    f->fixed_value = vals;
    return true;
}

/* The free coefficients: names, estimates, sds, Cholesky factor, streams. */
static bool read_free(struct fr *r, const struct ev_json *coefs, uint64_t content,
                      struct casus_mfit *f)
{
    const struct ev_json *vn = member(r, "vcov_names", EV_JSON_ARR);
    const struct ev_json *vc = vn ? member(r, "vcov", EV_JSON_ARR) : NULL;
    const char **names;
    if (!vc || !string_list(r, vn, &names))
        return false;
    uint32_t k = vn->n;
    if (vc->n != k)
        return bad(r, vc, "\"vcov\" should have one row per name in \"vcov_names\"");
    double *mean = casus_arena_alloc(r->a, (k ? k : 1) * sizeof *mean);
    double *sd = casus_arena_alloc(r->a, (k ? k : 1) * sizeof *sd);
    double *c = casus_arena_alloc(r->a, (k ? (size_t)k * k : 1) * sizeof *c);
    uint64_t *stream = casus_arena_alloc(r->a, (k ? k : 1) * sizeof *stream);
    if (!mean || !sd || !c || !stream)
        return !(r->oom = true);
    for (uint32_t i = 0; i < k; i++)
        if (!estimate(r, coefs, vn->items[i], names[i], &mean[i]))
            return false;
    if (!read_vcov(r, vc, k, c))
        return false;
    for (uint32_t i = 0; i < k; i++) {
        sd[i] = sqrt(c[i * k + i]);
        uint64_t h =
            casus_hash(names[i], strlen(names[i])) ^ (content * UINT64_C(0x9E3779B97F4A7C15));
        stream[i] = CASUS_RNG_TAG(CASUS_RNG_TAG_FIT) | (h & ((UINT64_C(1) << 48) - 1));
    }
    int32_t piv = cholesky(c, k);
    for (uint32_t i = 0; i < (size_t)k * k && piv < 0; i++)
        if (!isfinite(c[i]) || !isfinite(sd[i / k]))
            piv = (int32_t)(i / k);
    if (piv >= 0) {
        casus_diag_add(r->d, CASUS_SEV_ERROR, &vc->span, "bad-fit",
                       "\"vcov\" is not a finite positive definite matrix (at '%s'): not a "
                       "covariance matrix",
                       names[piv]);
        return false;
    }
    f->k = k;
    f->coef = names;
    f->mean = mean;
    f->sd = sd;
    f->chol = c;
    f->stream = stream;
    return true;
}

casus_status ev_fit_read(struct casus_arena *a, struct casus_diags *d, uint32_t src,
                         const char *name, const struct casus_mfit **out)
{
    struct fr r = {a, d, NULL, false};
    size_t before = d->nerrors;
    r.root = ev_json_parse(a, d, src, &r.oom);
    if (r.root && r.root->kind != EV_JSON_OBJ)
        bad(&r, r.root, "a fit is one JSON object, as 'casus fit ... --json' writes it");
    struct casus_mfit *f = casus_arena_alloc(a, sizeof *f);
    if (!f || r.oom)
        return CASUS_ENOMEM;
    if (d->nerrors > before || !r.root)
        return CASUS_EINVAL;
    memset(f, 0, sizeof *f);
    const struct casus_source *s = casus_diags_source(d, src);
    const struct ev_json *coefs = member(&r, "coefficients", EV_JSON_OBJ);
    bool ok =
        coefs && read_free(&r, coefs, casus_hash(s->text, s->len), f) && read_fixed(&r, coefs, f);
    if (r.oom)
        return CASUS_ENOMEM;
    if (!ok)
        return CASUS_EINVAL;
    f->name = name;
    f->model = opt_string(r.root, "model");
    f->formula = opt_string(r.root, "formula");
    f->loglik = opt_number(r.root, "loglik");
    f->nobs = opt_number(r.root, "nobs");
    *out = f;
    return CASUS_OK;
}

int32_t ev_fit_find(const struct casus_mfit *f, const char *coef, bool *is_fixed, double *fixed)
{
    *is_fixed = false;
    for (uint32_t i = 0; i < f->k; i++)
        if (strcmp(f->coef[i], coef) == 0)
            return (int32_t)i;
    for (uint32_t i = 0; i < f->nfixed; i++)
        if (strcmp(f->fixed_coef[i], coef) == 0) {
            *is_fixed = true;
            *fixed = f->fixed_value[i];
        }
    return -1;
}
