/*
 * test_sens_api.c — the public sensitivity API (include/casus/sens.h):
 * built-in functions against their analytic indices, identical bits for 1
 * and 3 threads and for a run split into parts (an in-process stand-in for
 * MPI ranks), a callback model with distributions, every renderer,
 * argument checks and out-of-memory recovery.
 */
#include "casus/sens.h"
#include "harness.h"

static casus_sens *run_builtin(const char *name, const casus_sens_options *o)
{
    casus_sens *s = NULL;
    CHECK_INT(casus_sens_new_builtin(&s, name, o, harness_counting_alloc, NULL), CASUS_OK);
    if (s)
        CHECK_INT(casus_sens_analyze(s), CASUS_OK);
    return s;
}

static void json_of(const casus_sens *s, casus_buf *b)
{
    CHECK_INT(casus_sens_write_json(s, b), CASUS_OK);
}

static void test_builtin_accuracy(void)
{
    casus_sens_options o = CASUS_SENS_OPTIONS_INIT;
    casus_sens *s;
    casus_sens_row r;
    casus_sens_value v;
    /* the default is the calibrated recipe (docs/sensitivity.md) */
    CHECK_INT(o.sampling, CASUS_SENS_SAMPLING_SOBOL_OWEN);
    CHECK_INT(o.replicates, 16);
    o.base_samples = 2048;
    o.second_order = true;
    s = run_builtin("sobol-g", &o);
    CHECK_INT(casus_sens_count(s), 8);
    CHECK_INT(casus_sens_interval_kind(s), CASUS_SENS_INTERVAL_REPLICATE_T);
    for (size_t i = 0; i < 8; i++) {
        CHECK_INT(casus_sens_row_get(s, i, &r), CASUS_OK);
        CHECK(fabs(r.s1.est - r.s1_exact) < 5e-3);
        CHECK(fabs(r.st.est - r.st_exact) < 5e-3);
        CHECK(r.s1.lo <= r.s1.est && r.s1.est <= r.s1.hi);
    }
    CHECK_INT(casus_sens_row_get(s, 0, &r), CASUS_OK);
    CHECK_STREQ(r.name, "x1");
    CHECK_INT(casus_sens_s2(s, 1, 0, &v), CASUS_OK);
    CHECK(fabs(v.est - 0.05968268) < 5e-3);
    CHECK_INT(casus_sens_s2(s, 1, 1, &v), CASUS_EINVAL);
    CHECK_INT(casus_sens_row_get(s, 8, &r), CASUS_EINVAL);
    CHECK(fabs(casus_sens_output_variance(s) - 0.46542443) < 0.01);
    CHECK(casus_sens_first_order_share(s) > 0.9 && casus_sens_first_order_share(s) < 0.95);
    CHECK_INT(casus_sens_evaluations(s), (long long)o.replicates * 2048 * 18 + 17);
    casus_sens_free(s);
    CHECK(harness_live == 0);
}

/* Same bits for any thread count. */
static void test_threads_identical(void)
{
    casus_sens_options o = CASUS_SENS_OPTIONS_INIT;
    casus_buf a = CASUS_BUF_INIT, b = CASUS_BUF_INIT;
    casus_sens *s;
    for (int mc = 0; mc < 2; mc++) {
        o.base_samples = 3000; /* not a multiple of the block size */
        o.second_order = true;
        o.sampling = mc ? CASUS_SENS_SAMPLING_MC : CASUS_SENS_SAMPLING_SOBOL;
        o.bootstrap = 40;
        o.threads = 1;
        s = run_builtin("ishigami", &o);
        json_of(s, &a);
        casus_sens_free(s);
        o.threads = 3;
        s = run_builtin("ishigami", &o);
        json_of(s, &b);
        casus_sens_free(s);
        CHECK(a.len > 100 && a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
        casus_buf_release(&a);
        casus_buf_release(&b);
    }
    CHECK(harness_live == 0);
}

/* A run split into 3 parts, as 3 MPI ranks would run it.  First each part
 * runs alone and its gather records the part's own rows (zeroing the rest,
 * so that run's result is junk); then each part runs again with a gather
 * that fills in the recorded rows of all parts, as MPI_Allgatherv would,
 * and must give the single-process bytes. */
struct world {
    double *full;  /* every replicate's complete outputs */
    size_t len;    /* outputs per replicate */
    int rep;       /* replicate being gathered */
    unsigned part; /* recording: whose rows to keep */
};

static casus_status record_gather(void *ud, double *y, const size_t *off, const size_t *cnt,
                                  size_t nparts)
{
    struct world *w = ud;
    for (size_t q = 0; q < nparts; q++)
        if (q == w->part)
            memcpy(w->full + (size_t)w->rep * w->len + off[q], y + off[q], cnt[q] * sizeof *y);
        else
            memset(y + off[q], 0, cnt[q] * sizeof *y);
    w->rep++;
    return CASUS_OK;
}

static casus_status fill_gather(void *ud, double *y, const size_t *off, const size_t *cnt,
                                size_t nparts)
{
    struct world *w = ud;
    for (size_t q = 0; q < nparts; q++)
        memcpy(y + off[q], w->full + (size_t)w->rep * w->len + off[q], cnt[q] * sizeof *y);
    w->rep++;
    return CASUS_OK;
}

static void test_partition_identical(void)
{
    casus_sens_options o = CASUS_SENS_OPTIONS_INIT;
    casus_buf a = CASUS_BUF_INIT, b = CASUS_BUF_INIT;
    struct world w;
    casus_sens *s = NULL;
    o.base_samples = 5000;
    o.replicates = 3;
    o.threads = 2;
    w.len = 5000 * 5; /* ishigami: 2 + d = 5 matrices */
    w.full = calloc(3 * w.len, sizeof *w.full);
    s = run_builtin("ishigami", &o);
    json_of(s, &a);
    casus_sens_free(s);
    for (unsigned q = 0; q < 3; q++) {
        w.rep = 0;
        w.part = q;
        CHECK_INT(casus_sens_new_builtin(&s, "ishigami", &o, NULL, NULL), CASUS_OK);
        CHECK_INT(casus_sens_set_partition(s, q, 3, record_gather, &w), CASUS_OK);
        CHECK_INT(casus_sens_analyze(s), CASUS_OK);
        casus_sens_free(s);
    }
    for (unsigned q = 0; q < 3; q++) {
        w.rep = 0;
        CHECK_INT(casus_sens_new_builtin(&s, "ishigami", &o, NULL, NULL), CASUS_OK);
        CHECK_INT(casus_sens_set_partition(s, q, 3, fill_gather, &w), CASUS_OK);
        CHECK_INT(casus_sens_analyze(s), CASUS_OK);
        json_of(s, &b);
        casus_sens_free(s);
        CHECK(a.len > 100 && a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
        casus_buf_release(&b);
    }
    CHECK_INT(casus_sens_new_builtin(&s, "ishigami", &o, NULL, NULL), CASUS_OK);
    CHECK_INT(casus_sens_set_partition(s, 3, 3, fill_gather, &w), CASUS_EINVAL);
    CHECK_INT(casus_sens_set_partition(s, 0, 2, NULL, NULL), CASUS_EINVAL);
    casus_sens_free(s);
    free(w.full);
    casus_buf_release(&a);
}

/* y = 2 a + b^2 with a ~ N(0, 1), b ~ U(0, 3): additive, so S1 = ST. */
static casus_status model(void *ud, const double *x, size_t n, size_t d, double *y)
{
    (void)ud;
    for (size_t i = 0; i < n; i++)
        y[i] = 2.0 * x[i * d] + x[i * d + 1] * x[i * d + 1];
    return CASUS_OK;
}

static void test_model_and_renderers(void)
{
    casus_sens_options o = CASUS_SENS_OPTIONS_INIT;
    casus_sens_input in[2] = {{"alpha", CASUS_SENS_DIST_NORMAL, {0, 1, 0, 0}, NULL, NULL, 0},
                              {"b & <c>", CASUS_SENS_DIST_UNIFORM, {0, 3, 0, 0}, NULL, NULL, 0}};
    casus_sens *s = NULL;
    casus_sens_row r;
    casus_buf b = CASUS_BUF_INIT;
    /* Var(2a) = 4, Var(b^2) = E b^4 - (E b^2)^2 = 81/5 - 9 = 7.2 */
    double s1a = 4.0 / 11.2;
    o.base_samples = 2048;
    CHECK_INT(casus_sens_new(&s, &o, in, 2, model, NULL, harness_counting_alloc, NULL), CASUS_OK);
    CHECK_INT(casus_sens_row_get(s, 0, &r), CASUS_ESTATE);
    CHECK_INT(casus_sens_write_json(s, &b), CASUS_ESTATE);
    CHECK_INT(casus_sens_analyze(s), CASUS_OK);
    CHECK_INT(casus_sens_row_get(s, 0, &r), CASUS_OK);
    CHECK(fabs(r.s1.est - s1a) < 2e-3 && fabs(r.st.est - s1a) < 2e-3);
    CHECK(isnan(r.s1_exact));
    CHECK(fabs(r.at_hi - r.at_lo - 2.0 * 2.0 * 1.6448536) < 1e-6); /* 2 (q95 - q05) */
    CHECK_INT(casus_sens_write_text(s, &b), CASUS_OK);
    CHECK(strstr(b.data, "First-order effects explain 100.0 %") != NULL);
    CHECK_INT(casus_sens_write_csv(s, &b), CASUS_OK);
    CHECK_INT(casus_sens_write_json(s, &b), CASUS_OK);
    CHECK(strstr(b.data, "\"name\":\"b & <c>\"") != NULL);
    CHECK_INT(casus_sens_write_svg(s, &b), CASUS_OK);
    CHECK(strstr(b.data, "b &amp; &lt;c&gt;") != NULL);
    CHECK(strstr(b.data, "</svg>") != NULL);
    casus_buf_release(&b);
    casus_sens_free(s);
    for (int m = CASUS_SENS_METHOD_MORRIS; m <= CASUS_SENS_METHOD_TORNADO; m++) {
        o.method = (casus_sens_method)m;
        CHECK_INT(casus_sens_new(&s, &o, in, 2, model, NULL, NULL, NULL), CASUS_OK);
        CHECK_INT(casus_sens_analyze(s), CASUS_OK);
        CHECK_INT(casus_sens_row_get(s, 0, &r), CASUS_OK);
        CHECK(isnan(r.s1.est));
        if (m == CASUS_SENS_METHOD_MORRIS)
            CHECK(fabs(r.mu - 2.0 * 2.0 * 0.6744898) < 1e-6 || r.mustar > 0);
        CHECK_INT(casus_sens_write_text(s, &b), CASUS_OK);
        CHECK_INT(casus_sens_write_svg(s, &b), CASUS_OK);
        casus_buf_release(&b);
        casus_sens_free(s);
    }
    CHECK(harness_live == 0);
}

static void test_errors_and_oom(void)
{
    casus_sens_options o = CASUS_SENS_OPTIONS_INIT;
    casus_sens_input bad = {"x", CASUS_SENS_DIST_NORMAL, {0, -1, 0, 0}, NULL, NULL, 0};
    casus_sens *s = NULL;
    CHECK_INT(casus_sens_new_builtin(&s, "rosenbrock", &o, NULL, NULL), CASUS_ENOTFOUND);
    CHECK(s == NULL);
    CHECK_INT(casus_sens_new(&s, &o, &bad, 1, model, NULL, NULL, NULL), CASUS_EINVAL);
    o.base_samples = 1;
    CHECK(casus_sens_options_check(&o) != NULL);
    CHECK_INT(casus_sens_new_builtin(&s, "ishigami", &o, NULL, NULL), CASUS_EINVAL);
    o.base_samples = 600;
    o.replicates = 2;
    o.second_order = true;
    CHECK(casus_sens_options_check(&o) == NULL);
    CHECK_STREQ(casus_sens_builtin_name(1), "sobol-g");
    CHECK(casus_sens_builtin_name(2) == NULL);
    for (int th = 1; th <= 2; th++) {
        o.threads = (unsigned)th;
        for (harness_fail_at = 1;; harness_fail_at++) {
            casus_status st;
            casus_buf b = CASUS_BUF_INIT;
            harness_nallocs = 0;
            st = casus_sens_new_builtin(&s, "ishigami", &o, harness_counting_alloc, NULL);
            if (st == CASUS_OK) {
                st = casus_sens_analyze(s);
                if (st == CASUS_OK)
                    st = casus_sens_write_svg(s, &b);
                casus_sens_free(s);
            }
            casus_buf_release(&b);
            CHECK(harness_live == 0);
            if (st == CASUS_OK)
                break;
            CHECK_INT(st, CASUS_ENOMEM);
        }
        CHECK(harness_fail_at > 8);
    }
    harness_fail_at = 0;
}

int main(void)
{
    RUN(test_builtin_accuracy);
    RUN(test_threads_identical);
    RUN(test_partition_identical);
    RUN(test_model_and_renderers);
    RUN(test_errors_and_oom);
    return harness_done("sens_api");
}
