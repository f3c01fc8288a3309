/*
 * test_fit_rgames.c — conformance of casus fit with the R package games on
 * the 28 public reference cases (${CASUS_SHARED:-../shared}/reference/
 * rgames/CASE.json, data in ../shared/data/rgames), with the tolerances of
 * INDEX.md there:
 *   - the log-likelihood at R's coefficients and at R's start values, and
 *     the first five per-observation values, to 1e-10 relative;
 *   - the maximised log-likelihood >= R's - 1e-6 and within 1e-6 of the
 *     polished optimum;
 *   - every coefficient within 1e-3 standard errors of the polished
 *     optimum, every standard error within 1e-3 relative of the accurate SE;
 *   - equal models (m8 and m1, the dummy outcomes and the factor ones)
 *     equal;
 *   - the ill-posed case refused with a clear message.
 * Prints one line per case with the measured differences.  Skips cleanly
 * (and says so) when ../shared is absent.
 */
#include "harness.h"
#include "json_mini.h"
#include "rgames_cases.h"

#include "fit/state.h"

#include <float.h>

struct outcome {
    bool ran;
    size_t np;
    double theta[64];
};
static struct outcome results[RG_NCASES];

static char *case_data(const struct rg_case *c, size_t *len)
{
    char path[1024];
    bool with_y = strcmp(c->data, "war1800+y") == 0;
    snprintf(path, sizeof path, "%s/data/rgames/%s.csv", rg_shared(), with_y ? "war1800" : c->data);
    char *text = jm_read_file(path, len);
    if (text && with_y) {
        char *y = rg_war1800_with_y(text);
        free(text);
        text = y;
        *len = y ? strlen(y) : 0;
    }
    return text;
}

static double rel(double a, double b)
{
    return fabs(a - b) / fmax(fabs(b), 1e-300);
}

/* theta from the reference's named coefficients; false if a name is unknown. */
static bool theta_from(const casus_fit *f, const struct jm *obj, double *th)
{
    for (size_t j = 0; j < f->ds.np; j++)
        th[j] = f->ds.fixed[j] ? f->ds.value[j] : NAN;
    for (size_t i = 0; obj && i < obj->n; i++) {
        const struct jm *m = obj->items[i];
        size_t j = 0;
        while (j < f->ds.np && strcmp(f->ds.pname[j], m->key) != 0)
            j++;
        if (j == f->ds.np) {
            if (jm_num(m) != 0.0) { /* private_internal's fixed log(sigma) = 0 */
                printf("  unknown parameter '%s'\n", m->key);
                return false;
            }
            continue;
        }
        th[j] = jm_num(m);
    }
    for (size_t j = 0; j < f->ds.np; j++)
        if (isnan(th[j])) {
            printf("  no reference value for '%s'\n", f->ds.pname[j]);
            return false;
        }
    return true;
}

/* Log-likelihood at R's coefficients and start values, and the first five
 * per-observation values. */
static void check_loglik(casus_fit *f, const struct jm *ref, bool profile_start)
{
    struct casus_arena a;
    struct fit_work w;
    double th[64];
    casus_arena_init(&a, &f->alloc);
    CHECK(f->ds.np <= 64 && fit_work_init(&w, &f->prob, &a) == CASUS_OK);
    if (theta_from(f, jm_get(ref, "coefficients"), th)) {
        double ll = fit_eval(&f->prob, th, NULL, 0, &w, NULL, NULL);
        CHECK(rel(ll, jm_num(jm_get(ref, "logLik"))) <= 1e-10);
        const struct jm *l5 = jm_get(ref, "loglik_first5");
        for (size_t i = 0; l5 && i < l5->n && i < f->ds.n; i++)
            CHECK(rel(fit_eval_obs(&f->prob, th, i), jm_num(l5->items[i])) <= 1e-10);
    } else {
        CHECK(!"names of the reference coefficients");
    }
    const struct jm *sv = jm_get(ref, "start_values");
    if (sv && sv->kind == JM_OBJ && theta_from(f, sv, th)) {
        double ll = fit_eval(&f->prob, th, NULL, 0, &w, NULL, NULL), d = 0.0;
        CHECK(rel(ll, jm_num(jm_get(ref, "logLik_at_start"))) <= 1e-10);
        for (size_t j = 0; f->start && j < f->ds.np; j++) /* casus's own start values */
            d = fmax(d, fabs(f->start[j] - th[j]) / fmax(1.0, fabs(th[j])));
        if (f->start) /* stu2 started R from profile.game's best point: not SBI */
            printf("  %-44s start values differ from R's by %.1e (relative)\n", "", d);
        CHECK(!f->start || d <= 1e-8 || profile_start);
    }
    casus_arena_release(&a);
}

/* The estimate against the polished optimum; prints the table line. */
static void check_estimate(const struct rg_case *c, casus_fit *f, const struct jm *ref)
{
    const struct jm *pol = jm_get(ref, "polished");
    double llr = jm_num(jm_get(ref, "logLik")), llp = jm_num(jm_get(pol, "logLik"));
    double ll = casus_fit_loglik(f), dcoef = 0.0, dse = 0.0;
    CHECK(ll >= llr - 1e-6);
    if (c->check == RG_REACH) {
        printf("  %-44s LL %+.2e vs R (reach R's LL; R not at a maximum)\n", c->name, ll - llr);
        return;
    }
    CHECK(fabs(ll - llp) <= 1e-6);
    const struct jm *pc = jm_get(pol, "coefficients"), *pse = jm_get(pol, "se");
    for (size_t j = 0; j < f->ds.np; j++) {
        if (f->ds.fixed[j])
            continue;
        double want = jm_num(jm_get(pc, f->ds.pname[j])), se = jm_num(jm_get(pse, f->ds.pname[j]));
        double dc = fabs(f->theta[j] - want) / se, ds = rel(f->se[j], se);
        if (!(dc <= 1e-3) || !(ds <= 1e-3))
            printf("    %s: %.12g (polished %.12g), se %.8g (accurate %.8g)\n", f->ds.pname[j],
                   f->theta[j], want, f->se[j], se);
        dcoef = fmax(dcoef, dc);
        dse = fmax(dse, ds);
    }
    CHECK(dcoef <= 1e-3);
    CHECK(dse <= 1e-3);
    printf("  %-44s LL %+.2e  coef %.1e SE  se %.1e rel\n", c->name, ll - llp, dcoef, dse);
}

/* Equal models give equal estimates. */
static void check_same(const struct rg_case *c, size_t k)
{
    for (size_t m = 0; m < RG_NCASES; m++) {
        if (!c->same_as || strcmp(rg_cases[m].name, c->same_as) != 0 || !results[m].ran)
            continue;
        CHECK_INT(results[k].np, results[m].np);
        double d = 0.0;
        for (size_t j = 0; j < results[k].np && j < results[m].np; j++)
            d = fmax(d, fabs(results[k].theta[j] - results[m].theta[j]));
        CHECK(d <= 1e-12);
        printf("  %-44s equals %s (max diff %.1e)\n", "", c->same_as, d);
    }
}

static void run_case(size_t k)
{
    const struct rg_case *c = &rg_cases[k];
    char path[1024];
    size_t len;
    snprintf(path, sizeof path, "%s/reference/rgames/%s.json", rg_shared(), c->name);
    char *js = jm_read_file(path, NULL), *csv = case_data(c, &len);
    struct jm *ref = js ? jm_parse(js) : NULL;
    CHECK(ref && csv);
    casus_fit_opts o = CASUS_FIT_OPTS_INIT;
    CHECK(casus_fit_opts_set(&o, "model", c->model, NULL) == CASUS_OK);
    for (int i = 0; i < RG_MAX_OPTS && c->opt[i][0]; i++)
        CHECK(casus_fit_opts_set(&o, c->opt[i][0], c->opt[i][1], NULL) == CASUS_OK);
    casus_fit *f = NULL;
    CHECK(casus_fit_new(&f, NULL, NULL) == CASUS_OK);
    casus_status st = ref && csv ? casus_fit_load_csv(f, c->data, csv, len) : CASUS_EIO;
    if (st == CASUS_OK)
        st = casus_fit_estimate(f, &o);
    if (ref && f->prob.fn)
        check_loglik(f, ref, strstr(c->name, "profile") != NULL);
    if (c->check == RG_ILL_POSED) {
        casus_buf b = CASUS_BUF_INIT;
        casus_fit_render_diagnostics(f, &b);
        CHECK(st == CASUS_ENOCONV && b.data && strstr(b.data, "error:"));
        printf("  %-44s refused: %s", c->name, b.data ? b.data : "(no message)\n");
        casus_buf_release(&b);
    } else if (st != CASUS_OK) {
        casus_buf b = CASUS_BUF_INIT;
        casus_fit_render_diagnostics(f, &b);
        printf("  %s: status %d\n%s", c->name, (int)st, b.data ? b.data : "");
        casus_buf_release(&b);
        CHECK(st == CASUS_OK);
    } else {
        check_estimate(c, f, ref);
        results[k].ran = true;
        results[k].np = f->ds.np < 64 ? f->ds.np : 64;
        memcpy(results[k].theta, f->theta, results[k].np * sizeof(double));
        check_same(c, k);
    }
    casus_fit_free(f);
    jm_free(ref);
    free(js);
    free(csv);
}

static bool have_shared(void)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/reference/rgames/INDEX.md", rg_shared());
    FILE *f = fopen(path, "r");
    if (f)
        fclose(f);
    return f != NULL;
}

static size_t current;

static void one_case(void)
{
    run_case(current);
}

int main(void)
{
    if (!have_shared()) {
        printf("skip rgames conformance: %s/reference/rgames not found (../shared is absent)\n",
               rg_shared());
        return harness_done("fit_rgames");
    }
    for (current = 0; current < RG_NCASES; current++)
        harness_run(rg_cases[current].name, one_case);
    return harness_done("fit_rgames");
}
