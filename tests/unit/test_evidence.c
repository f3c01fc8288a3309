/*
 * test_evidence.c — reference classes and fits: the CSV table (byte order
 * mark, CRLF, quotes, missing cells and codes, column types, malformed
 * rows), counts and dropped rows through the public API, the Jeffreys
 * interval against an independent numerical integration of the Beta
 * density, diagnostics with carets into <where>, scenario parameters from
 * evidence(...) and fit(...) (Beta shapes, the fit's means, standard
 * deviations and correlations recovered from draws, fixed coefficients,
 * draws that depend on neither the parameters' names nor their order), and
 * the errors of each.
 */
#include "harness.h"

#include "casus/evidence.h"
#include "model/engine.h"
#include "model/sample.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char dir[64];

/* Write text to dir/name; returns the path (static buffer per call site). */
static const char *put(const char *name, const char *text, char *path, size_t n)
{
    snprintf(path, n, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
    return path;
}

static const char csv[] = "\xEF\xBB\xBF"
                          "id,year,viol,actor,note\r\n"
                          "1,1950,3,RUS,\"a, quoted \"\"cell\"\"\"\r\n"
                          "2,1960,1,USA,\r\n"
                          "\r\n"
                          "3,1970,,RUS,x\r\n"
                          "4,-9,4,GBR,y\r\n"
                          "5,1990,2, USA ,z\r\n";

static casus_status count(const char *path, const char *where, const char *outcome,
                          const char *const *na, size_t nna, casus_evidence_result *r,
                          casus_buf *diags)
{
    casus_engine *e = NULL;
    CHECK_INT(casus_engine_new(&e, NULL, NULL), CASUS_OK);
    casus_evidence_query q = {path, where, outcome, na, nna};
    casus_status st = casus_evidence_count(e, &q, r);
    if (diags)
        casus_engine_render_diagnostics(e, diags);
    /* the result's strings are the engine's: check what the caller needs first */
    if (st == CASUS_OK) {
        CHECK_STREQ(r->outcome, outcome);
        r->dataset = r->title = r->citation = r->url = r->where = r->outcome = r->missing = NULL;
    }
    casus_engine_free(e);
    return st;
}

static void test_table_and_counts(void)
{
    char path[128];
    put("t.csv", csv, path, sizeof path);
    casus_evidence_result r;
    /* every row: row 3 has no viol (dropped), -9 is a year here */
    CHECK_INT(count(path, NULL, "viol >= 3", NULL, 0, &r, NULL), CASUS_OK);
    CHECK_INT(r.rows, 5);
    CHECK_INT(r.n, 4);
    CHECK_INT(r.k, 2);
    CHECK_INT(r.dropped, 1);
    CHECK_NEAR(r.rate, 0.5, 0);
    /* -9 as missing: row 4 is dropped by where; row 3 is not in the class
       (1970 is not > 1975), so its missing viol is not counted */
    const char *na[] = {"-9"};
    CHECK_INT(count(path, "year > 1975 or year < 1955", "viol >= 2", na, 1, &r, NULL), CASUS_OK);
    CHECK_INT(r.n, 2);
    CHECK_INT(r.k, 2);
    CHECK_INT(r.dropped, 1);
    /* text cells are trimmed unless quoted; quotes and "" are undone */
    CHECK_INT(count(path, "actor == \"USA\"", "note == \"\" or note == \"z\"", NULL, 0, &r, NULL),
              CASUS_OK); /* note is empty (missing) on row 2: dropped */
    CHECK_INT(r.n, 1);
    CHECK_INT(r.dropped, 1);
    CHECK_INT(
        count(path, "actor in [\"RUS\"]", "note == \"a, quoted \\\"cell\\\"\"", NULL, 0, &r, NULL),
        CASUS_OK);
    CHECK_INT(r.n, 2);
    CHECK_INT(r.k, 1);
    /* arithmetic and not */
    CHECK_INT(
        count(path, "not (year - 1950 > 15)", "id * 2 == 2 or id / 2 == 1", NULL, 0, &r, NULL),
        CASUS_OK);
    CHECK_INT(r.n, 3); /* years 1950, 1960, -9 */
    CHECK_INT(r.k, 2);
    /* an empty class has no rate */
    CHECK_INT(count(path, "year > 3000", "viol >= 1", NULL, 0, &r, NULL), CASUS_OK);
    CHECK_INT(r.n, 0);
    CHECK(isnan(r.rate) && isnan(r.lo));
}

/* Beta(a, b) CDF at x by composite Simpson on the density in t = x^(1/(2a))
 * substitution-free form: the integrand u^(a-1) (1-u)^(b-1) with a >= 1/2
 * is integrable; integrate in v = u^a (du = v^(1/a - 1) / a dv) so the
 * endpoint singularity at 0 disappears. */
static double beta_cdf_simpson(double a, double b, double x)
{
    const int n = 20000;
    double vmax = pow(x, a), h = vmax / n, s = 0;
    for (int i = 0; i <= n; i++) {
        double v = i * h, u = pow(v, 1 / a);
        double f = pow(1 - u, b - 1) / a; /* u^(a-1) du = dv / a */
        s += f * (i == 0 || i == n ? 1 : i % 2 ? 4 : 2);
    }
    double beta = exp(lgamma(a) + lgamma(b) - lgamma(a + b));
    return s * h / 3 / beta;
}

static void test_jeffreys_interval(void)
{
    char path[128];
    /* 1 of 19 and 0 of 17: the referee's B2 and pooled B5 sizes */
    put("j.csv", "o\n1\n0\n0\n0\n0\n0\n0\n0\n0\n0\n0\n0\n0\n0\n0\n0\n0\n0\n0\n", path, sizeof path);
    casus_evidence_result r;
    CHECK_INT(count(path, NULL, "o == 1", NULL, 0, &r, NULL), CASUS_OK);
    CHECK_INT(r.n, 19);
    CHECK_INT(r.k, 1);
    CHECK_NEAR(beta_cdf_simpson(1.5, 18.5, r.lo), 0.025, 2e-6);
    CHECK_NEAR(beta_cdf_simpson(1.5, 18.5, r.hi), 0.975, 2e-6);
    CHECK(r.lo > 0.005 && r.lo < 0.007 && r.hi > 0.21 && r.hi < 0.23); /* [0.006, 0.22] */
    CHECK_INT(count(path, "o == 0 and o < 5", "o == 1", NULL, 0, &r, NULL), CASUS_OK);
    CHECK_INT(r.n, 18);
    CHECK_INT(r.k, 0);
    CHECK_NEAR(beta_cdf_simpson(0.5, 18.5, r.hi), 0.975, 2e-6);
    CHECK(r.lo > 0 && r.lo < 1e-4);
}

static void test_query_errors(void)
{
    char path[128];
    put("t.csv", csv, path, sizeof path);
    casus_evidence_result r;
    casus_buf d = CASUS_BUF_INIT;
    CHECK_INT(count(path, "year >= 1950 and yaer < 2000", "viol >= 3", NULL, 0, &r, &d),
              CASUS_ECOMPILE);
    CHECK(d.data && strstr(d.data, "<where>:1:18: error: no column 'yaer'"));
    CHECK(d.data && strstr(d.data, "did you mean 'year'?"));
    casus_buf_release(&d);
    d = (casus_buf)CASUS_BUF_INIT;
    CHECK_INT(count(path, NULL, "actor >= 3", NULL, 0, &r, &d), CASUS_ECOMPILE);
    CHECK(d.data && strstr(d.data, "<outcome>:1:1: error: expected a number here, found text"));
    casus_buf_release(&d);
    d = (casus_buf)CASUS_BUF_INIT;
    CHECK_INT(count(path, NULL, "viol + 1", NULL, 0, &r, &d), CASUS_ECOMPILE);
    CHECK(d.data && strstr(d.data, "a condition is needed"));
    casus_buf_release(&d);
    d = (casus_buf)CASUS_BUF_INIT;
    put("bad.csv", "a,b\n1,2\n3\n", path, sizeof path);
    CHECK_INT(count(path, NULL, "a == 1", NULL, 0, &r, &d), CASUS_ECOMPILE);
    CHECK(d.data && strstr(d.data, "bad.csv:3:1: error: this row has 1 field, the header 2"));
    casus_buf_release(&d);
    d = (casus_buf)CASUS_BUF_INIT;
    put("bad2.csv", "a,a\n1,2\n", path, sizeof path);
    CHECK_INT(count(path, NULL, "a == 1", NULL, 0, &r, &d), CASUS_ECOMPILE);
    CHECK(d.data && strstr(d.data, "appears twice"));
    casus_buf_release(&d);
    d = (casus_buf)CASUS_BUF_INIT;
    CHECK_INT(count("icb-crisis", NULL, "viol == 4", NULL, 0, &r, &d), CASUS_ENOTFOUND);
    CHECK(d.data && strstr(d.data, "did you mean 'icb-crises'?"));
    casus_buf_release(&d);
    d = (casus_buf)CASUS_BUF_INIT;
    CHECK_INT(count("/nonexistent/x.csv", NULL, "viol == 4", NULL, 0, &r, &d), CASUS_EIO);
    casus_buf_release(&d);
}

static void test_shipped(void)
{
    casus_evidence_result r;
    /* ICB v14: 487 crises, the viol codes 1-4 on all but one */
    CHECK_INT(count("icb-crises", NULL, "viol >= 1 and viol <= 4", NULL, 0, &r, NULL), CASUS_OK);
    CHECK_INT(r.rows, 487);
    CHECK_INT(r.n + r.dropped, 487);
    CHECK_INT(r.k, r.n);
    CHECK_INT(count("mid-disputes", NULL, "hostlev >= 2", NULL, 0, &r, NULL), CASUS_OK);
    CHECK_INT(r.rows, 2436);
    CHECK_INT(r.n, 2436);
    CHECK_INT(r.k, 2436); /* hostlev counts {2:74, 3:653, 4:1603, 5:106} */
    CHECK_INT(count("mid-disputes", NULL, "hostlev == 5", NULL, 0, &r, NULL), CASUS_OK);
    CHECK_INT(r.k, 106);
    CHECK_INT(count("icb-actors", NULL, "cracid > 0", NULL, 0, &r, NULL), CASUS_OK);
    CHECK_INT(r.rows, 1078);
    CHECK_INT(count("mid-participants", NULL, "sidea == 1 or sidea == 0", NULL, 0, &r, NULL),
              CASUS_OK);
    CHECK_INT(r.rows, 5883);
    CHECK_INT(r.k, 5883);
}

/* ---- scenarios ---- */

static const char fit_json[] =
    "{\"model\": \"egame12\", \"formula\": \"y ~ x\", \"nobs\": 100, \"loglik\": -50.5,\n"
    " \"coefficients\": {\"a\": 1.0, \"b\": -2.0, \"c\": 0.5, \"z\": 3},\n"
    " \"fixed\": [\"z\"],\n"
    " \"vcov_names\": [\"a\", \"b\", \"c\"],\n"
    " \"vcov\": [[0.04, 0.03, 0.0], [0.03, 0.09, -0.02], [0.0, -0.02, 0.01]]}\n";

static casus_engine *scenario(const char *params, casus_status *st)
{
    char text[4096];
    snprintf(text, sizeof text,
             "ladder l { rung 1 a\n rung 2 b }\n"
             "scenario s { date 2024-01-01 ladder l\n%s\n}\n",
             params);
    return harness_engine(false, text, st);
}

static const struct casus_mscenario *the(casus_engine *e)
{
    return e && e->nscenarios ? e->scenarios[0] : NULL;
}

static void test_evidence_param(void)
{
    char path[128], text[1024];
    put("t.csv", csv, path, sizeof path);
    snprintf(text, sizeof text,
             "param p = evidence(\"%s\", where: year > 1955, outcome: viol >= 2, missing: [-9])\n"
             "  judgment \"why this class\"\n"
             "param q = evidence(mid-disputes, outcome: hostlev == 5)\n"
             "policy base { baseline }\n"
             "policy x { set p = evidence(\"%s\", outcome: actor == \"RUS\") }",
             path, path);
    casus_status st;
    casus_engine *e = scenario(text, &st);
    CHECK_INT(st, CASUS_OK);
    const struct casus_mscenario *s = the(e);
    if (s) {
        const struct casus_mdist *p = &s->params[0].dist;
        CHECK(p->family == CASUS_FAMILY_beta && p->evidence);
        CHECK_INT(p->evidence->n, 2); /* 1960 (viol 1), 1990 (viol 2); 1970 dropped */
        CHECK_INT(p->evidence->k, 1);
        CHECK_INT(p->evidence->dropped, 2);
        CHECK_NEAR(p->arg[0], 1.5, 0);
        CHECK_NEAR(p->arg[1], 1.5, 0);
        CHECK_STREQ(p->evidence->where, "year > 1955");
        CHECK_STREQ(s->params[0].judgment, "why this class");
        const struct casus_mdist *q = &s->params[1].dist;
        CHECK_NEAR(q->arg[0], 106.5, 0);
        CHECK_NEAR(q->arg[1], 2330.5, 0);
        CHECK(q->evidence && strstr(q->evidence->citation, "MID5"));
        const struct casus_mdist *set = &s->policies[1].settings[0].dist;
        CHECK_NEAR(set->arg[0], 2.5, 0); /* RUS on 2 of 4 rows with a known year... all 5 */
    }
    casus_engine_free(e);
}

/* Draw many values of a, b, c (and the fixed z) and check the moments. */
static void test_fit_param_draws(void)
{
    char path[128], text[1024];
    put("f.json", fit_json, path, sizeof path);
    snprintf(text, sizeof text,
             "param pc = fit(\"%s\", \"c\")\n param pa = fit(\"%s\", \"a\")\n"
             "param pb = fit(\"%s\", \"b\")\n param pz = fit(\"%s\", \"z\")\n"
             "param u = uniform(0, 1) judgment \"j\"",
             path, path, path, path);
    casus_status st;
    casus_engine *e = scenario(text, &st);
    CHECK_INT(st, CASUS_OK);
    const struct casus_mscenario *s = the(e);
    if (!s) {
        casus_engine_free(e);
        return;
    }
    CHECK(s->params[3].dist.family == CASUS_FAMILY_fixed && s->params[3].dist.arg[0] == 3);
    const int N = 100000;
    double m[3] = {0}, c2[3][3] = {{0}}, v[5];
    for (int d = 0; d < N; d++) {
        casus_sample_draw(s, 0, 7, (uint64_t)d, v);
        double x[3] = {v[1], v[2], v[0]}; /* a, b, c */
        CHECK(v[3] == 3 || (d = N));
        for (int i = 0; i < 3; i++) {
            m[i] += x[i];
            for (int j = 0; j < 3; j++)
                c2[i][j] += x[i] * x[j];
        }
    }
    const double mean[3] = {1, -2, 0.5};
    const double cov[3][3] = {{0.04, 0.03, 0}, {0.03, 0.09, -0.02}, {0, -0.02, 0.01}};
    for (int i = 0; i < 3; i++) {
        m[i] /= N;
        CHECK_NEAR(m[i], mean[i], 4 * sqrt(cov[i][i] / N));
    }
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            double cij = c2[i][j] / N - m[i] * m[j];
            CHECK_NEAR(cij, cov[i][j], 0.02 * sqrt(cov[i][i] * cov[j][j]));
        }
    casus_engine_free(e);
}

/* A coefficient's draws depend neither on the parameter's name nor on
 * which other coefficients the scenario uses. */
static void test_fit_draws_are_stable(void)
{
    char path[128], t1[1024], t2[1024];
    put("f.json", fit_json, path, sizeof path);
    snprintf(t1, sizeof t1, "param x = fit(\"%s\", \"b\")", path);
    snprintf(t2, sizeof t2,
             "param c = fit(\"%s\", \"c\")\nparam other = fit(\"%s\", \"b\")\n"
             "param a = fit(\"%s\", \"a\")",
             path, path, path);
    casus_status s1, s2;
    casus_engine *e1 = scenario(t1, &s1), *e2 = scenario(t2, &s2);
    CHECK_INT(s1, CASUS_OK);
    CHECK_INT(s2, CASUS_OK);
    if (the(e1) && the(e2))
        for (uint64_t d = 0; d < 100; d++) {
            double v1[1], v2[3];
            casus_sample_draw(the(e1), 0, 99, d, v1);
            casus_sample_draw(the(e2), 0, 99, d, v2);
            CHECK(v1[0] == v2[1] || (d = 100));
        }
    casus_engine_free(e1);
    casus_engine_free(e2);
}

static void expect_error(const char *params, const char *needle)
{
    char text[4096];
    snprintf(text, sizeof text,
             "ladder l { rung 1 a\n rung 2 b }\nscenario s { date 2024-01-01 ladder l\n%s\n}\n",
             params);
    casus_buf d = CASUS_BUF_INIT;
    casus_status st = harness_compile(text, &d);
    CHECK_INT(st, CASUS_ECOMPILE);
    bool found = d.data && strstr(d.data, needle);
    if (!found)
        printf("expected '%s' in:\n%s\n", needle, d.data ? d.data : "");
    CHECK(found);
    casus_buf_release(&d);
}

static void test_param_errors(void)
{
    char path[128], bad[128], text[1024];
    put("f.json", fit_json, path, sizeof path);
    expect_error("param p = evidence(icb-crises, where: yrtrg > 1, outcome: viol == 4)",
                 "x.casus:4:39: error: no column 'yrtrg' in icb-crises");
    expect_error("param p = evidence(icb-crises, were: yrtrig > 1, outcome: viol == 4)",
                 "did you mean 'where:'?");
    expect_error("param p = evidence(icb-crises, where: yrtrig > 1)", "needs outcome:");
    expect_error("param p = evidence(icb-crises, outcome: viol == 4) fact s",
                 "comes from data, which carry their own citation");
    expect_error("param p = evidence(icb-crises, outcome: viol == 9, where: yrtrig > 3000)",
                 "no row of icb-crises is in this reference class");
    expect_error("param p = fit(no-such-fit, \"a\")", "no shipped fit 'no-such-fit'");
    snprintf(text, sizeof text, "param p = fit(\"%s\", \"bb\")", path);
    expect_error(text, "did you mean 'b'?");
    snprintf(text, sizeof text,
             "param p = uniform(0, 1) judgment \"j\"\npolicy x { set p = fit(\"%s\", \"a\") }",
             path);
    expect_error(text, "a policy cannot set a parameter to a fit's coefficient");
    put("np.json",
        "{\"coefficients\": {\"a\": 1, \"b\": 2}, \"vcov_names\": [\"a\", \"b\"],\n"
        " \"vcov\": [[1, 2], [2, 1]]}",
        bad, sizeof bad);
    snprintf(text, sizeof text, "param p = fit(\"%s\", \"a\")", bad);
    expect_error(text, "is not a finite positive definite matrix");
    put("sy.json",
        "{\"coefficients\": {\"a\": 1, \"b\": 2}, \"vcov_names\": [\"a\", \"b\"],\n"
        " \"vcov\": [[1, 0.5], [0.4, 1]]}",
        bad, sizeof bad);
    snprintf(text, sizeof text, "param p = fit(\"%s\", \"a\")", bad);
    expect_error(text, "sy.json:2:22: error: \"vcov\" is not symmetric here");
    put("js.json", "{\"coefficients\": {\"a\": 1,}}", bad, sizeof bad);
    snprintf(text, sizeof text, "param p = fit(\"%s\", \"a\")", bad);
    expect_error(text, "js.json:1:26: error: expected a key in quotes");
    put("nv.json", "{\"coefficients\": {\"a\": 1}}", bad, sizeof bad);
    snprintf(text, sizeof text, "param p = fit(\"%s\", \"a\")", bad);
    expect_error(text, "this fit has no \"vcov_names\"");
    expect_error("param p = beta(where: 1, 2) judgment \"j\"", "distribution arguments must be");
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/casus-test-evidence.%ld", (long)getpid());
    char cmd[128];
    snprintf(cmd, sizeof cmd, "mkdir -p %s", dir);
    if (system(cmd) != 0)
        return 1;
    RUN(test_table_and_counts);
    RUN(test_jeffreys_interval);
    RUN(test_query_errors);
    RUN(test_shipped);
    RUN(test_evidence_param);
    RUN(test_fit_param_draws);
    RUN(test_fit_draws_are_stable);
    RUN(test_param_errors);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    int rc = system(cmd);
    (void)rc;
    return harness_done("evidence");
}
