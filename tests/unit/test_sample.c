/*
 * test_sample.c — scenario parameter draws and numeric expressions: draws
 * are pure functions of (seed, draw, parameter name); adding a parameter
 * changes no other; policies share uniforms (common random numbers); the
 * sampled distributions have the right moments (a Kolmogorov–Smirnov test at
 * a fixed seed); interval arithmetic bounds every draw.
 */
#include "harness.h"

#include "model/engine.h"
#include "model/sample.h"

static const char base[] = "scenario demo { date 2024-05-20\n"
                           "  param p = beta(2, 8) judgment \"j\"\n"
                           "  param cost = uniform(0.1, 0.4) judgment \"j\"\n"
                           "  param lam = lognormal(1.5, 0.5) judgment \"j\"\n"
                           "  param n = 97 judgment \"j\"\n"
                           "  param k = discrete([1, 2, 3], [0.5, 0.3, 0.2]) judgment \"j\"\n"
                           "  let q = 1 - p\n"
                           "  let mix = p * cost - cost / (2 + p)\n"
                           "  let ratio = cost / (p - 0.5)\n"
                           "  policy status-quo { baseline }\n"
                           "  policy more { set p = beta(3, 7) }\n"
                           "}\n";

/* A variant with one more parameter declared first. */
static const char more[] = "scenario demo { date 2024-05-20\n"
                           "  param extra = normal(0, 1) judgment \"j\"\n"
                           "  param p = beta(2, 8) judgment \"j\"\n"
                           "  param cost = uniform(0.1, 0.4) judgment \"j\"\n"
                           "  param lam = lognormal(1.5, 0.5) judgment \"j\"\n"
                           "  param n = 97 judgment \"j\"\n"
                           "  param k = discrete([1, 2, 3], [0.5, 0.3, 0.2]) judgment \"j\"\n"
                           "}\n";

static casus_engine *load(const char *text, const struct casus_mscenario **s)
{
    casus_status st = CASUS_ENOMEM;
    casus_engine *e = harness_engine(false, text, &st);
    CHECK_INT(st, CASUS_OK);
    int32_t k = casus_symtab_get(&e->scenario_ix, "demo", 4);
    *s = k >= 0 ? e->scenarios[k] : NULL;
    return e;
}

static void test_draws_are_pure_and_stable(void)
{
    const struct casus_mscenario *a, *b;
    casus_engine *ea = load(base, &a), *eb = load(more, &b);
    if (!a || !b) {
        casus_engine_free(ea);
        casus_engine_free(eb);
        CHECK(0);
        return;
    }
    double va[8], va2[8], vb[8];
    for (uint64_t d = 0; d < 1000; d++) {
        casus_sample_draw(a, 0, 42, d, va);
        casus_sample_draw(a, 0, 42, d, va2);
        CHECK(memcmp(va, va2, sizeof(double) * a->nparams) == 0);
        casus_sample_draw(b, 0, 42, d, vb);
        /* same name, same draw: the extra parameter reshuffles nothing */
        for (uint32_t i = 0; i < a->nparams; i++)
            if (va[i] != vb[i + 1]) {
                CHECK(va[i] == vb[i + 1]);
                d = 1000;
                break;
            }
        CHECK(va[3] == 97);
        CHECK(va[4] == 1 || va[4] == 2 || va[4] == 3);
    }
    /* another seed gives other values */
    casus_sample_draw(a, 0, 43, 0, va2);
    casus_sample_draw(a, 0, 42, 0, va);
    CHECK(va[0] != va2[0]);
    casus_engine_free(ea);
    casus_engine_free(eb);
}

static void test_common_random_numbers(void)
{
    const struct casus_mscenario *s;
    casus_engine *e = load(base, &s);
    if (!s) {
        casus_engine_free(e);
        return;
    }
    double v0[8], v1[8];
    int higher = 0;
    for (uint64_t d = 0; d < 2000; d++) {
        casus_sample_draw(s, 0, 7, d, v0);
        casus_sample_draw(s, 1, 7, d, v1);
        /* parameters the policy does not set are identical ... */
        for (uint32_t i = 1; i < s->nparams; i++)
            CHECK(v0[i] == v1[i]);
        /* ... and the one it sets is coupled through the same uniform:
         * beta(3, 7) stochastically dominates beta(2, 8) */
        higher += v1[0] >= v0[0];
    }
    CHECK_INT(higher, 2000);
    casus_engine_free(e);
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b;
}

static void test_distribution_ks(void)
{
    const struct casus_mscenario *s;
    casus_engine *e = load(base, &s);
    if (!s) {
        casus_engine_free(e);
        return;
    }
    enum { N = 20000 };
    static double x[3][N];
    double v[8];
    for (int d = 0; d < N; d++) {
        casus_sample_draw(s, 0, 2024, (uint64_t)d, v);
        x[0][d] = v[0];
        x[1][d] = v[1];
        x[2][d] = v[2];
    }
    for (int j = 0; j < 3; j++) {
        qsort(x[j], N, sizeof(double), cmp_double);
        double dmax = 0, mean = 0;
        for (int i = 0; i < N; i++) {
            double f = casus_dist_cdf(&s->params[j].dist.d, x[j][i]);
            double a = fabs(f - (double)i / N), b = fabs(f - (double)(i + 1) / N);
            dmax = fmax(dmax, fmax(a, b));
            mean += x[j][i];
        }
        mean /= N;
        /* 1 % critical value of the KS statistic: 1.63 / sqrt(N) */
        CHECK(dmax < 1.63 / sqrt((double)N));
        double want = casus_dist_mean(&s->params[j].dist.d);
        double sd = sqrt(casus_dist_var(&s->params[j].dist.d));
        CHECK_NEAR(mean, want, 4 * sd / sqrt((double)N));
    }
    casus_engine_free(e);
}

static void test_intervals_bound_every_draw(void)
{
    const struct casus_mscenario *s;
    casus_engine *e = load(base, &s);
    if (!s) {
        casus_engine_free(e);
        return;
    }
    CHECK_INT(s->nlets, 3);
    double lo, hi, v[8];
    casus_sample_interval(s->lets[0].cx, s, 0, &lo, &hi); /* q = 1 - p: [0, 1] */
    CHECK(lo == 0 && hi == 1);
    casus_sample_interval(s->lets[1].cx, s, 0, &lo, &hi);
    for (uint64_t d = 0; d < 5000; d++) {
        casus_sample_draw(s, 0, 99, d, v);
        double m = casus_sample_eval(s->lets[1].cx, v);
        CHECK(m >= lo && m <= hi);
        CHECK_NEAR(casus_sample_eval(s->lets[0].cx, v), 1 - v[0], 0);
        if (!(m >= lo && m <= hi))
            break;
    }
    /* a divisor that can be 0 gives no bound */
    casus_sample_interval(s->lets[2].cx, s, 0, &lo, &hi);
    CHECK(isinf(lo) && isinf(hi));
    casus_engine_free(e);
}

int main(void)
{
    RUN(test_draws_are_pure_and_stable);
    RUN(test_common_random_numbers);
    RUN(test_distribution_ks);
    RUN(test_intervals_bound_every_draw);
    return harness_done("sample");
}
