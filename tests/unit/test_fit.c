/*
 * test_fit.c — the fit wing without ../shared: the decimal parser against
 * strtod, the CSV frame, formulas, subsets, exact derivatives against
 * finite differences for every model and option, the egame12 fast path
 * against the jets, recovery of known parameters from simulated data,
 * bootstrap determinism over threads, bad input, and out-of-memory.
 */
#include "fit_sim.h"
#include "harness.h"

#include "casus/fit.h"
#include "fit/formula.h"
#include "fit/frame.h"
#include "fit/state.h"
#include "fit/subset.h"

#include <float.h>

static const struct casus_alloc HEAP = {casus_default_alloc, NULL};

/* ---- numbers ------------------------------------------------------------ */

static void test_parse_number(void)
{
    char buf[64];
    int bad = 0;
    for (uint64_t i = 0; i < 200000; i++) { /* random decimals of 1 to 19 digits */
        uint64_t r = casus_rng_u64(1, CASUS_RNG_TAG_USER | 1, i);
        int digits = 1 + (int)(r % 19), e = (int)((r >> 8) % 61) - 30, pt = (int)((r >> 16) % 20);
        size_t n = 0;
        if (r >> 63)
            buf[n++] = '-';
        for (int d = 0; d < digits; d++) {
            if (d == pt)
                buf[n++] = '.';
            buf[n++] = (char)('0' + casus_rng_u64(2, 3, i * 32 + (uint64_t)d) % 10);
        }
        n += (size_t)snprintf(buf + n, sizeof buf - n, "e%d", e);
        double got, want = strtod(buf, NULL);
        if (!fit_parse_number(buf, n, &got) || memcmp(&got, &want, sizeof got) != 0)
            bad++;
    }
    CHECK_INT(bad, 0);
    double v;
    CHECK(fit_parse_number(" 12.5 ", 6, &v) && v == 12.5);
    CHECK(fit_parse_number("1e-5", 4, &v) && v == 1e-5);
    CHECK(fit_parse_number("0.1", 3, &v) && v == 0.1);
    CHECK(fit_parse_number("-0", 2, &v) && v == 0 && signbit(v));
    CHECK(fit_parse_number("9007199254740993", 16, &v) && v == 9007199254740992.0);
    CHECK(!fit_parse_number("abc", 3, &v));
    CHECK(!fit_parse_number("1.2.3", 5, &v));
    CHECK(!fit_parse_number("1e", 2, &v));
    CHECK(!fit_parse_number(".", 1, &v));
    CHECK(!fit_parse_number("", 0, &v));
    CHECK(!fit_parse_number("NA", 2, &v));
}

/* ---- frame -------------------------------------------------------------- */

struct frame_fx {
    struct casus_diags d;
    struct casus_arena a;
    struct fit_frame f;
    casus_status st;
};

/* Open text as a frame and load every column (as text where text_all). */
static void frame_load(struct frame_fx *x, const char *text, bool text_all)
{
    uint32_t src;
    casus_diags_init(&x->d, &HEAP);
    casus_arena_init(&x->a, &HEAP);
    casus_diags_add_source(&x->d, "t.csv", text, strlen(text), &src);
    x->st = fit_frame_open(&x->f, &x->a, &x->d, src);
    if (x->st != CASUS_OK)
        return;
    bool need[16], txt[16];
    for (int c = 0; c < 16; c++)
        need[c] = true, txt[c] = text_all;
    x->st = fit_frame_load(&x->f, &x->a, need, txt);
}

static const char *frame_errors(struct frame_fx *x, casus_buf *b)
{
    casus_diags_render(&x->d, b);
    return b->data ? b->data : "";
}

static void frame_free(struct frame_fx *x)
{
    casus_arena_release(&x->a);
    casus_diags_release(&x->d);
}

static void test_frame(void)
{
    struct frame_fx x;
    frame_load(&x,
               "\xEF\xBB\xBF"
               "name,x,g\r\n\"Korea, Rep.\",1.5,b\r\n\r\nx,NA,A\r\n\"say \"\"hi\"\"\",,a\r\n",
               false);
    CHECK_INT(x.st, CASUS_OK);
    CHECK_INT(x.f.ncols, 3);
    CHECK_INT(x.f.nrows, 3);
    CHECK_STREQ(x.f.cols[0].name, "name");
    CHECK(!x.f.cols[1].text && x.f.cols[1].num[0] == 1.5 && isnan(x.f.cols[1].num[1]));
    CHECK(isnan(x.f.cols[1].num[2]));
    CHECK(x.f.cols[0].text && x.f.cols[2].text);
    CHECK_STREQ(fit_frame_cell_text(&x.f, &x.a, 0, 0), "Korea, Rep.");
    CHECK_STREQ(fit_frame_cell_text(&x.f, &x.a, 0, 2), "say \"hi\"");
    CHECK_INT(fit_frame_factor(&x.f, &x.a, 2, NULL, NULL, 0), CASUS_OK);
    CHECK_INT(x.f.cols[2].nlevels, 3); /* R's order in an English locale: a, A, b */
    CHECK_STREQ(x.f.cols[2].levels[0], "a");
    CHECK_STREQ(x.f.cols[2].levels[1], "A");
    CHECK_STREQ(x.f.cols[2].levels[2], "b");
    CHECK_INT(x.f.cols[2].code[0], 2);
    const char *order[] = {"b", "a", "A"};
    CHECK_INT(fit_frame_factor(&x.f, &x.a, 2, NULL, order, 3), CASUS_OK);
    CHECK_INT(x.f.cols[2].code[0], 0);
    CHECK_INT(x.f.cols[2].code[2], 1);
    frame_free(&x);
}

static void expect_frame_error(const char *text, const char *msg)
{
    struct frame_fx x;
    casus_buf b = CASUS_BUF_INIT;
    frame_load(&x, text, false);
    CHECK_INT(x.st, CASUS_EINVAL);
    const char *got = frame_errors(&x, &b);
    if (!strstr(got, msg))
        printf("  expected '%s' in:\n%s", msg, got);
    CHECK(strstr(got, msg) != NULL);
    casus_buf_release(&b);
    frame_free(&x);
}

static void test_frame_errors(void)
{
    expect_frame_error("a,b\n1,2\n3\n", "t.csv:3:1: error: row 2 has 1 field; the header has 2");
    expect_frame_error("a,b\n1,\"2\n", "t.csv:2:3: error: unterminated quoted field");
    expect_frame_error("a,b\n1,\"2\"x\n", "unexpected character after a closing quote");
    expect_frame_error("a,a\n1,2\n", "duplicate column name 'a'");
    expect_frame_error("", "is empty");
    const char *order[] = {"x"};
    struct frame_fx x;
    frame_load(&x, "g\nx\ny\n", false);
    CHECK_INT(fit_frame_factor(&x.f, &x.a, 0, NULL, order, 1), CASUS_EINVAL);
    frame_free(&x);
}

/* ---- formulas ----------------------------------------------------------- */

static casus_status parse_formula(const char *text, bool lhs, struct fit_formula *fm,
                                  struct casus_arena *a, struct casus_diags *d)
{
    uint32_t src;
    casus_diags_add_source(d, "--formula", text, strlen(text), &src);
    return fit_formula_parse(fm, a, d, src, lhs);
}

static void test_formula(void)
{
    struct casus_diags d;
    struct casus_arena a;
    struct fit_formula fm;
    casus_diags_init(&d, &HEAP);
    casus_arena_init(&a, &HEAP);
    CHECK_INT(parse_formula("y1 + y2 ~ a + b | 0 | 1 | c - 1 | `odd name` + x:z | a*b - a", true,
                            &fm, &a, &d),
              CASUS_OK);
    CHECK_INT(fm.nlhs, 2);
    CHECK_STREQ(fm.lhs[1].s, "y2");
    CHECK_INT(fm.nrhs, 6);
    CHECK(fm.rhs[0].intercept && fm.rhs[0].nterms == 2);
    CHECK(!fm.rhs[1].intercept && fm.rhs[1].nterms == 0);
    CHECK(fm.rhs[2].intercept && fm.rhs[2].nterms == 0);
    CHECK(!fm.rhs[3].intercept && fm.rhs[3].nterms == 1);
    CHECK_STREQ(fm.rhs[4].terms[0].vars[0].s, "odd name");
    CHECK_INT(fm.rhs[4].terms[1].nvars, 2);
    CHECK_INT(fm.rhs[5].nterms, 2); /* a*b - a = b + a:b */
    CHECK_STREQ(fm.rhs[5].terms[0].vars[0].s, "b");
    CHECK_INT(fm.rhs[5].terms[1].nvars, 2);
    CHECK_INT(parse_formula("~ x + 0", false, &fm, &a, &d), CASUS_OK);
    CHECK(!fm.rhs[0].intercept);
    CHECK_INT(parse_formula("y ~ .", true, &fm, &a, &d), CASUS_OK);
    CHECK(fm.rhs[0].terms[0].dot);
    CHECK_INT(d.nerrors, 0);
    const char *bad[][2] = {
        {"y ~ log(x)", "function calls such as 'log(...)' are not supported"},
        {"y ~ a +", "expected a column name at the end of the formula"},
        {"y ~ 2", "only 0 and 1 may stand alone"},
        {"y ~ a ) b", "expected '+', '-', ':', '*' or '|', found ')'"},
        {"~ a", "expected the outcome"},
        {"y x", "expected '~' after the outcome"},
        {"y ~ `a", "expected a column name"},
    };
    for (size_t i = 0; i < CASUS_ARRAY_LEN(bad); i++) {
        casus_diags_clear(&d);
        CHECK_INT(parse_formula(bad[i][0], true, &fm, &a, &d), CASUS_EINVAL);
        casus_buf b = CASUS_BUF_INIT;
        casus_diags_render(&d, &b);
        if (!b.data || !strstr(b.data, bad[i][1]))
            printf("  '%s': %s", bad[i][0], b.data ? b.data : "(none)\n");
        CHECK(b.data && strstr(b.data, bad[i][1]));
        casus_buf_release(&b);
    }
    casus_arena_release(&a);
    casus_diags_release(&d);
}

/* ---- subsets ------------------------------------------------------------ */

static int count_subset(const char *expr, casus_status *st)
{
    struct frame_fx x;
    frame_load(&x, "year,g,v\n1850,a,1\n1860,b,NA\n1870,a,3\n1880,NA,4\n", false);
    bool need[3] = {0}, keep[4];
    uint32_t src;
    struct fit_subset s;
    casus_diags_add_source(&x.d, "--subset", expr, strlen(expr), &src);
    *st = fit_subset_parse(&s, &x.a, &x.d, src, &x.f, need);
    if (*st == CASUS_OK)
        *st = fit_subset_eval(&s, &x.f, keep);
    int n = 0;
    for (int r = 0; *st == CASUS_OK && r < 4; r++)
        n += keep[r];
    frame_free(&x);
    return n;
}

static void test_subset(void)
{
    casus_status st;
    CHECK_INT(count_subset("year >= 1860", &st), 3);
    CHECK_INT(count_subset("g == \"a\"", &st), 2);
    CHECK_INT(count_subset("v > 1 or g == \"b\"", &st), 3);   /* NA or true = true */
    CHECK_INT(count_subset("v > 1 and year < 1900", &st), 2); /* NA and true = NA */
    CHECK_INT(count_subset("not is_na(v) and not is_na(g)", &st), 2);
    CHECK_INT(count_subset("g in [\"b\", \"c\"]", &st), 1);
    CHECK_INT(count_subset("g not in [\"b\"]", &st), 2);
    CHECK_INT(count_subset("(year - 1800) / 10 == 7", &st), 1);
    CHECK_INT(st, CASUS_OK);
    count_subset("g > 1", &st);
    CHECK_INT(st, CASUS_EINVAL);
    count_subset("nosuch > 1", &st);
    CHECK_INT(st, CASUS_EINVAL);
    count_subset("year", &st);
    CHECK_INT(st, CASUS_EINVAL);
    count_subset("year >", &st);
    CHECK_INT(st, CASUS_EINVAL);
    count_subset("mean(year) > 1", &st);
    CHECK_INT(st, CASUS_EINVAL);
}

/* ---- derivatives -------------------------------------------------------- */

/* A fit on simulated data with options opts ({name, value} pairs). */
static casus_fit *fit_on(const char *csv, const char *model, const char *const (*opt)[2],
                         casus_status *st)
{
    casus_fit_opts o = CASUS_FIT_OPTS_INIT;
    casus_fit *f = NULL;
    CHECK_INT(casus_fit_opts_set(&o, "model", model, NULL), CASUS_OK);
    for (int i = 0; opt[i][0]; i++)
        CHECK_INT(casus_fit_opts_set(&o, opt[i][0], opt[i][1], NULL), CASUS_OK);
    CHECK_INT(casus_fit_new(&f, NULL, NULL), CASUS_OK);
    *st = casus_fit_load_csv(f, "sim.csv", csv, strlen(csv));
    if (*st == CASUS_OK)
        *st = casus_fit_estimate(f, &o);
    return f;
}

/* Gradient and Hessian of the full problem at a point near the estimate
 * against central differences (relative 1e-6 of the largest entry). */
static void check_derivatives(casus_fit *f, const char *what)
{
    struct fit_problem *p = &f->prob;
    struct casus_arena a;
    struct fit_work w;
    casus_arena_init(&a, &HEAP);
    CHECK_INT(fit_work_init(&w, p, &a), CASUS_OK);
    size_t np = p->np, nf = p->nfree;
    double *th = casus_arena_alloc(&a, np * sizeof *th), *g = casus_arena_alloc(&a, nf * 8);
    double *h = casus_arena_alloc(&a, nf * nf * 8), *gp = casus_arena_alloc(&a, nf * 8);
    double *gm = casus_arena_alloc(&a, nf * 8), gerr = 0, herr = 0, gmax = 0, hmax = 0;
    for (size_t j = 0; j < np; j++) /* off the optimum, so the gradient is not 0 */
        th[j] = f->theta[j] + (p->fixed[j] ? 0.0 : 0.1 * sin(1.0 + (double)j));
    fit_eval(p, th, NULL, 2, &w, g, h);
    for (size_t u = 0; u < nf; u++) {
        size_t j = p->free_ix[u];
        double e = 1e-5 * fmax(1.0, fabs(th[j])), t0 = th[j];
        th[j] = t0 + e;
        double lp = fit_eval(p, th, NULL, 1, &w, gp, NULL);
        th[j] = t0 - e;
        double lm = fit_eval(p, th, NULL, 1, &w, gm, NULL);
        th[j] = t0;
        gerr = fmax(gerr, fabs((lp - lm) / (2 * e) - g[u]));
        gmax = fmax(gmax, fabs(g[u]));
        for (size_t v = 0; v < nf; v++) {
            herr = fmax(herr, fabs((gp[v] - gm[v]) / (2 * e) - h[u * nf + v]));
            hmax = fmax(hmax, fabs(h[u * nf + v]));
        }
    }
    if (!(gerr <= 1e-6 * fmax(1, gmax)) || !(herr <= 1e-6 * fmax(1, hmax)))
        printf("  %s: gradient error %.3g of %.3g, Hessian error %.3g of %.3g\n", what, gerr, gmax,
               herr, hmax);
    CHECK(gerr <= 1e-6 * fmax(1, gmax));
    CHECK(herr <= 1e-6 * fmax(1, hmax));
    casus_arena_release(&a);
}

static void derivatives_case(const char *csv, const char *model, const char *const (*opt)[2],
                             const char *what)
{
    casus_status st;
    casus_fit *f = fit_on(csv, model, opt, &st);
    if (st != CASUS_OK) {
        casus_buf b = CASUS_BUF_INIT;
        casus_fit_render_diagnostics(f, &b);
        printf("  %s: %s", what, b.data ? b.data : "?\n");
        casus_buf_release(&b);
    }
    CHECK_INT(st, CASUS_OK);
    if (st == CASUS_OK)
        check_derivatives(f, what);
    casus_fit_free(f);
}

/* A crisis data set with the extra columns the variants need. */
static char *sim12_data(size_t n)
{
    casus_buf b = CASUS_BUF_INIT;
    sim12_csv(11, n, &b);
    return b.data;
}

static void test_derivatives_egame12(void)
{
    char *csv = sim12_data(800);
    const char *const base[][2] = {{"formula", SIM12_FORMULA}, {NULL, NULL}};
    const char *const logit[][2] = {{"formula", SIM12_FORMULA}, {"link", "logit"}, {NULL, NULL}};
    const char *const priv[][2] = {{"formula", SIM12_FORMULA}, {"type", "private"}, {NULL, NULL}};
    const char *const sd[][2] = {
        {"formula", SIM12_FORMULA}, {"sdformula", "~ cap - 1"}, {NULL, NULL}};
    const char *const sdp[][2] = {
        {"formula", SIM12_FORMULA}, {"sdformula", "~ cap - 1"}, {"type", "private"}, {NULL, NULL}};
    const char *const byp[][2] = {{"formula", SIM12_FORMULA},
                                  {"sdformula", "~ ally - 1 | cap - 1"},
                                  {"sd-by-player", NULL},
                                  {"type", "private"},
                                  {NULL, NULL}};
    const char *const fixed[][2] = {{"formula", "esc + fight ~ 1"},
                                    {"fixed-utils", "0.3,0,-0.2,0.1"},
                                    {"sd-by-player", NULL},
                                    {NULL, NULL}};
    derivatives_case(csv, "egame12", base, "egame12");
    derivatives_case(csv, "egame12", logit, "egame12 logit");
    derivatives_case(csv, "egame12", priv, "egame12 private");
    derivatives_case(csv, "egame12", sd, "egame12 sdformula");
    derivatives_case(csv, "egame12", sdp, "egame12 private sdformula");
    derivatives_case(csv, "egame12", byp, "egame12 private sd by player");
    derivatives_case(csv, "egame12", fixed, "egame12 fixed utilities");
    free(csv);
}

/* egame122 and egame123 data: the crisis regressors with outcomes drawn
 * from the model at fixed utilities (not fitted for truth; derivatives only). */
static char *sim_4outcome(enum fit_game game, size_t n)
{
    casus_buf b = CASUS_BUF_INIT;
    casus_buf_puts(&b, "x,z,w,y\n");
    for (size_t i = 0; i < n; i++) {
        double u[4];
        casus_rng_fill_uniform(5, 77, 4 * i, 4, u);
        double x = u[0] * 2 - 1, z = u[1] * 2 - 1, w = u[2] > 0.5, eta[8], p[6];
        for (int q = 0; q < 8; q++)
            eta[q] = 0.3 * (q % 3 - 1) + 0.8 * x * (q % 2) - 0.6 * z * ((q + 1) % 2) + 0.4 * w;
        uint8_t yy = 0;
        const int act[11] = {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1};
        struct fit_egame g = {game, FIT_PROBIT, FIT_AGENT, 0, &yy, act};
        fit_egame_probs(&g, eta, p);
        int y = game == FIT_EGAME122 ? (u[3] < p[0] ? (u[3] < p[0] * p[2] ? 0 : 1)
                                                    : (u[3] < p[0] + p[1] * p[4] ? 2 : 3))
                                     : (u[3] < p[0]                                 ? 0
                                        : u[3] < p[0] + p[1] * p[2]                 ? 1
                                        : u[3] < p[0] + p[1] * (p[2] + p[3] * p[4]) ? 2
                                                                                    : 3);
        casus_buf_printf(&b, "%.6f,%.6f,%g,o%d\n", x, z, w, y);
    }
    return b.data;
}

static void test_derivatives_egame122_123(void)
{
    char *c122 = sim_4outcome(FIT_EGAME122, 800), *c123 = sim_4outcome(FIT_EGAME123, 1500);
    const char *const a122[][2] = {{"formula", "y ~ x | z | 0 | x + w | z | x"}, {NULL, NULL}};
    const char *const p122[][2] = {
        {"formula", "y ~ x | z | 0 | x + w | z | x"}, {"type", "private"}, {NULL, NULL}};
    const char *const s122[][2] = {{"formula", "y ~ x | z | 0 | x | z | x"},
                                   {"sdformula", "~ w - 1 | z - 1"},
                                   {"sd-by-player", NULL},
                                   {NULL, NULL}};
    const char *const a123[][2] = {{"formula", "y ~ x | 0 | z | x | 0 | z | w | x"}, {NULL, NULL}};
    const char *const p123[][2] = {
        {"formula", "y ~ x | 0 | z | x | 0 | z | w | x"}, {"type", "private"}, {NULL, NULL}};
    const char *const s123[][2] = {{"formula", "y ~ x | 0 | z | x | 0 | z | 1 | x"},
                                   {"sdformula", "~ w - 1"},
                                   {"type", "private"},
                                   {NULL, NULL}};
    derivatives_case(c122, "egame122", a122, "egame122");
    derivatives_case(c122, "egame122", p122, "egame122 private");
    derivatives_case(c122, "egame122", s122, "egame122 sd by player");
    derivatives_case(c123, "egame123", a123, "egame123");
    derivatives_case(c123, "egame123", p123, "egame123 private");
    derivatives_case(c123, "egame123", s123, "egame123 private sdformula");
    free(c122);
    free(c123);
}

static void test_derivatives_ultimatum(void)
{
    casus_buf b = CASUS_BUF_INIT;
    simult_csv(3, 600, &b);
    const char *const both[][2] = {{"formula", SIMULT_FORMULA}, {"max-offer", "10"}, {NULL, NULL}};
    const char *const offer[][2] = {{"formula", "offer ~ stake | outside"},
                                    {"max-offer", "10"},
                                    {"outcome", "offer"},
                                    {NULL, NULL}};
    const char *const fixs[][2] = {
        {"formula", SIMULT_FORMULA}, {"max-offer", "10"}, {"s2", "0.8"}, {NULL, NULL}};
    derivatives_case(b.data, "ultimatum", both, "ultimatum");
    derivatives_case(b.data, "ultimatum", offer, "ultimatum offer only");
    derivatives_case(b.data, "ultimatum", fixs, "ultimatum fixed s2");
    casus_buf_release(&b);
}

/* The largest difference between two jets' derivatives, relative to the
 * scale of the terms they are made of (1, the squared gradient, the
 * Hessian): a second derivative that is a small difference of O(1) terms
 * (a tail probability's log) carries that much rounding in either. */
static double jet_difference(const struct fit_jet *a, const struct fit_jet *b, int m)
{
    double scale = 1.0, d = 0.0;
    for (int i = 0; i < m; i++) {
        scale = fmax(scale, fit_jet_gi(b, i) * fit_jet_gi(b, i));
        for (int j = 0; j <= i; j++)
            scale = fmax(scale, fabs(fit_jet_hij(b, i, j)));
    }
    for (int i = 0; i < m; i++) {
        d = fmax(d, fabs(fit_jet_gi(a, i) - fit_jet_gi(b, i)) / sqrt(scale));
        for (int j = 0; j <= i; j++)
            d = fmax(d, fabs(fit_jet_hij(a, i, j) - fit_jet_hij(b, i, j)) / scale);
    }
    return d;
}

/* The hand-derived egame12 path against the jets: the same value bit for
 * bit, derivatives to rounding. */
static void test_fast_path(void)
{
    const int act[4] = {0, 1, 2, 3};
    const struct fit_jctx c = {4, 2};
    double worst = 0.0;
    int differ = 0;
    for (int k = 0; k < 4000; k++) {
        double u[5], eta[4];
        casus_rng_fill_uniform(9, 99, 5 * (uint64_t)k, 5, u);
        for (int q = 0; q < 4; q++)
            eta[q] = (u[q] - 0.5) * (k < 3000 ? 4.0 : 40.0); /* beyond the clamps too */
        uint8_t y = (uint8_t)(u[4] * 3);
        struct fit_egame g = {FIT_EGAME12,
                              k % 3 == 0 ? FIT_LOGIT : FIT_PROBIT,
                              k % 3 == 1 ? FIT_PRIVATE : FIT_AGENT,
                              0,
                              &y,
                              act};
        struct fit_jet a, b;
        fit_egame12_loglik(&g, 0, eta, &c, &a);
        fit_egame_loglik_jets(&g, 0, eta, &c, &b);
        differ += memcmp(&a.v, &b.v, sizeof a.v) != 0;
        worst = fmax(worst, jet_difference(&a, &b, 4));
    }
    CHECK_INT(differ, 0);
    if (!(worst <= 1e-9))
        printf("  fast path vs jets: worst relative difference %.3g\n", worst);
    CHECK(worst <= 1e-9);
}

/* The ultimatum's hand-derived path against its jets, likewise. */
static void test_fast_path_ultimatum(void)
{
    const int act[4] = {0, 1, 2, 3};
    const struct fit_jctx c = {4, 2};
    double worst = 0.0, offers[4000];
    uint8_t acc[4000];
    int differ = 0, compared = 0;
    for (int k = 0; k < 4000; k++) {
        double u[6];
        casus_rng_fill_uniform(9, 98, 6 * (uint64_t)k, 6, u);
        offers[k] = u[0] < 0.1 ? 0.0 : u[0] > 0.9 ? 10.0 : 10.0 * u[1];
        acc[k] = u[2] < 0.5;
        double eta[4] = {1 + 5 * u[3], 1 + 5 * u[4], 1.4 * u[5] - 0.7, 1.4 * u[1] - 0.7};
        struct fit_ult g = {10.0, 1.4901161193847656e-08, k % 4 == 0, offers, acc, act};
        struct fit_jet a, b;
        fit_ult_loglik(&g, (size_t)k, eta, &c, &a);
        fit_ult_loglik_jets(&g, (size_t)k, eta, &c, &b);
        differ += memcmp(&a.v, &b.v, sizeof a.v) != 0;
        if (b.v > -20.0) /* beyond, 1 - p loses the jets' digits (the fast path keeps them) */
            worst = fmax(worst, jet_difference(&a, &b, 4)), compared++;
    }
    CHECK_INT(differ, 0);
    CHECK(compared > 2000);
    /* 1e-7, not 1e-9: the jets form 1 - F and 1 - p by subtraction, which
       costs them digits wherever those are small; a wrong formula differs by
       far more */
    if (!(worst <= 1e-7))
        printf("  ultimatum fast path vs jets: worst relative difference %.3g\n", worst);
    CHECK(worst <= 1e-7);
}

/* ---- recovery ----------------------------------------------------------- */

static void check_recovery(casus_fit *f, const double *truth, const char *what)
{
    size_t n = casus_fit_nparams(f);
    double worst = 0.0;
    for (size_t j = 0; j < n; j++) {
        double z = fabs(casus_fit_estimate_of(f, j) - truth[j]) / casus_fit_se(f, j);
        worst = fmax(worst, z);
    }
    printf("  %s: largest |estimate - truth| = %.2f standard errors\n", what, worst);
    CHECK(worst < 4.0);
}

static void test_recovery(void)
{
    casus_buf b = CASUS_BUF_INIT;
    casus_status st;
    sim12_csv(17, 4000, &b);
    const char *const o12[][2] = {{"formula", SIM12_FORMULA}, {NULL, NULL}};
    casus_fit *f = fit_on(b.data, "egame12", o12, &st);
    CHECK_INT(st, CASUS_OK);
    CHECK_INT(casus_fit_nparams(f), 8);
    if (st == CASUS_OK)
        check_recovery(f, SIM12_TRUTH, "egame12, n = 4000");
    casus_fit_free(f);
    casus_buf_release(&b);
    simult_csv(17, 3000, &b);
    const char *const ou[][2] = {{"formula", SIMULT_FORMULA}, {"max-offer", "10"}, {NULL, NULL}};
    f = fit_on(b.data, "ultimatum", ou, &st);
    CHECK_INT(st, CASUS_OK);
    if (st == CASUS_OK)
        check_recovery(f, SIMULT_TRUTH, "ultimatum, n = 3000");
    casus_fit_free(f);
    casus_buf_release(&b);
}

/* ---- bootstrap ---------------------------------------------------------- */

static char *boot_json(const char *csv, const char *threads)
{
    const char *const o[][2] = {{"formula", SIM12_FORMULA},
                                {"boot", "12"},
                                {"seed", "42"},
                                {"threads", threads},
                                {NULL, NULL}};
    casus_status st;
    casus_fit *f = fit_on(csv, "egame12", o, &st);
    casus_buf b = CASUS_BUF_INIT;
    CHECK_INT(st, CASUS_OK);
    if (st == CASUS_OK)
        casus_fit_write_json(f, false, &b);
    casus_fit_free(f);
    return b.data;
}

static void test_boot_threads(void)
{
    char *csv = sim12_data(500);
    char *j1 = boot_json(csv, "1"), *j2 = boot_json(csv, "2"), *j3 = boot_json(csv, "3");
    CHECK(j1 && j2 && j3);
    CHECK(j1 && strstr(j1, "\"bootstrap\": {\"replicates\": 12, \"failed\": 0"));
    CHECK(j1 && j2 && strcmp(j1, j2) == 0);
    CHECK(j1 && j3 && strcmp(j1, j3) == 0);
    free(j1);
    free(j2);
    free(j3);
    free(csv);
}

/* ---- bad input ---------------------------------------------------------- */

/* Fit and expect status want with msg in the diagnostics. */
static void expect_fit_error(const char *csv, const char *model, const char *const (*opt)[2],
                             casus_status want, const char *msg)
{
    casus_status st;
    casus_fit *f = fit_on(csv, model, opt, &st);
    casus_buf b = CASUS_BUF_INIT;
    casus_fit_render_diagnostics(f, &b);
    if (st != want || !b.data || !strstr(b.data, msg))
        printf("  status %d (want %d), expected '%s' in:\n%s", (int)st, (int)want, msg,
               b.data ? b.data : "(nothing)\n");
    CHECK_INT(st, want);
    CHECK(b.data && strstr(b.data, msg));
    CHECK_INT(casus_fit_nparams(f), 0);
    casus_buf_release(&b);
    casus_fit_free(f);
}

static void test_bad_input(void)
{
    char *csv = sim12_data(300);
    const char *const miss[][2] = {{"formula", "esc + fight ~ democ | 0 | capp + ally | cap"},
                                   {NULL, NULL}};
    expect_fit_error(csv, "egame12", miss, CASUS_EINVAL,
                     "--formula:1:27: error: no column 'capp' in the data");
    expect_fit_error(csv, "egame12", miss, CASUS_EINVAL, "did you mean 'cap'?");
    const char *const three[][2] = {{"formula", "esc + fight ~ democ | 0 | cap"}, {NULL, NULL}};
    expect_fit_error(csv, "egame12", three, CASUS_EINVAL,
                     "egame12 needs 4 right-hand sides separated by '|'");
    const char *const ident[][2] = {{"formula", "esc + fight ~ cap | cap | cap | ally"},
                                    {NULL, NULL}};
    expect_fit_error(csv, "egame12", ident, CASUS_EINVAL,
                     "identification problem: '(Intercept)' appears in all 3 of player 1's");
    const char *const coll[][2] = {{"formula", "esc + fight ~ democ + democ:democ | 0 | 1 | cap"},
                                   {NULL, NULL}};
    expect_fit_error(csv, "egame12", coll, CASUS_EINVAL,
                     "the column 'democ:democ' is constant or a linear combination");
    const char *const fu[][2] = {
        {"formula", "esc + fight ~ 1"}, {"fixed-utils", "1,2"}, {NULL, NULL}};
    expect_fit_error(csv, "egame12", fu, CASUS_EINVAL, "--fixed-utils needs 4 values");
    const char *const sub[][2] = {{"formula", SIM12_FORMULA}, {"subset", "cap > 2"}, {NULL, NULL}};
    expect_fit_error(csv, "egame12", sub, CASUS_EINVAL, "no rows left to fit");
    const char *const out[][2] = {{"formula", "outcome ~ democ | 0 | cap | cap"}, {NULL, NULL}};
    expect_fit_error(csv, "egame122", out, CASUS_EINVAL, "egame122 needs 6 right-hand sides");
    free(csv);
    const char *cells = "cap,ally,democ,esc,fight\n0.5,1,0,1,1\n0.2,1,0,0,0\n0.3,abc,1,1,0\n";
    expect_fit_error(cells, "egame12", miss + 1, CASUS_EINVAL, "a formula is required");
    const char *const ab[][2] = {{"formula", "esc + fight ~ democ | 0 | cap + ally | cap"},
                                 {NULL, NULL}};
    expect_fit_error(cells, "egame12", ab, CASUS_EINVAL,
                     "sim.csv:4:5: error: 'abc' in column 'ally' (row 3) is not a number");
    const char *dummy = "a,b,x\n0,0,1\n1,2,1\n1,1,2\n";
    const char *const dm[][2] = {{"formula", "a + b ~ 1 | 0 | x | 1"}, {NULL, NULL}};
    expect_fit_error(dummy, "egame12", dm, CASUS_EINVAL,
                     "the action column 'b' must hold 0 or 1; row 2 has 2");
    const char *offers = "offer,accept\n3,1\n12,0\n";
    const char *const ul[][2] = {
        {"formula", "offer + accept ~ 1 | 1"}, {"max-offer", "10"}, {NULL, NULL}};
    expect_fit_error(offers, "ultimatum", ul, CASUS_EINVAL,
                     "offer 12 in row 2 is outside [0, --max-offer 10]");
}

/* Perfect separation: the defender fights exactly when allied. */
static void test_separated(void)
{
    casus_buf b = CASUS_BUF_INIT;
    casus_buf_puts(&b, "cap,ally,democ,esc,fight\n");
    for (int i = 0; i < 200; i++) {
        double u[3];
        casus_rng_fill_uniform(4, 44, 3 * (uint64_t)i, 3, u);
        int ally = u[1] < 0.5, esc = u[2] < 0.6;
        casus_buf_printf(&b, "%.4f,%d,%d,%d,%d\n", u[0], ally, u[0] < 0.3, esc, esc && ally);
    }
    const char *const o[][2] = {{"formula", "esc + fight ~ democ | 0 | cap | ally"}, {NULL, NULL}};
    expect_fit_error(b.data, "egame12", o, CASUS_ENOCONV, "u2(esc,fight):ally");
    casus_buf_release(&b);
}

/* ---- options, Lambert W, allocation failures ---------------------------- */

static void test_opts(void)
{
    casus_fit_opts o = CASUS_FIT_OPTS_INIT;
    const char *why;
    CHECK_INT(casus_fit_opts_set(&o, "fixed-utils", "-1,0,-1.4,0.1", &why), CASUS_OK);
    CHECK(o.nfixed_utils == 4 && o.fixed_utils[2] == -1.4);
    CHECK_INT(casus_fit_opts_set(&o, "fixed-utils", "1,,2", &why), CASUS_EINVAL);
    CHECK_INT(casus_fit_opts_set(&o, "link", "cauchit", &why), CASUS_EINVAL);
    CHECK_STREQ(why, "the links are probit and logit");
    CHECK_INT(casus_fit_opts_set(&o, "boot", "-3", &why), CASUS_EINVAL);
    CHECK_INT(casus_fit_opts_set(&o, "max-offer", "0", &why), CASUS_EINVAL);
    CHECK_INT(casus_fit_opts_set(&o, "model", "egame99", &why), CASUS_EINVAL);
    CHECK_INT(casus_fit_opts_set(&o, "frobnicate", "1", &why), CASUS_EINVAL);
    CHECK_INT(casus_fit_opts_set(&o, "type", "private", &why), CASUS_OK);
    CHECK(o.private_info);
}

static void test_lambert_w(void)
{
    const double xs[] = {0.0, 1e-12, 0.1, 1.0, 2.718281828459045, 10.0, 1e6, 1e300};
    for (size_t i = 0; i < CASUS_ARRAY_LEN(xs); i++) {
        double w = fit_lambert_w(xs[i]);
        CHECK_NEAR(w * exp(w), xs[i], 1e-14 * fmax(1.0, xs[i]));
    }
    CHECK_NEAR(fit_lambert_w(1.0), 0.567143290409783873, 1e-15);
    CHECK(isnan(fit_lambert_w(-1.0)));
}

struct failing {
    long budget; /* allocations left before failing */
};

static void *failing_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    struct failing *fl = ud;
    (void)osize;
    if (nsize == 0) {
        free(ptr);
        return NULL;
    }
    if (fl->budget-- <= 0)
        return NULL;
    return realloc(ptr, nsize);
}

static void test_out_of_memory(void)
{
    char *csv = sim12_data(300);
    casus_fit_opts o = CASUS_FIT_OPTS_INIT;
    casus_fit_opts_set(&o, "formula", SIM12_FORMULA, NULL);
    casus_fit_opts_set(&o, "boot", "2", NULL);
    int n;
    for (n = 0; n < 100000; n++) {
        struct failing fl = {n};
        casus_fit *f = NULL;
        casus_status st = casus_fit_new(&f, failing_alloc, &fl);
        if (st == CASUS_OK)
            st = casus_fit_load_csv(f, "sim.csv", csv, strlen(csv));
        if (st == CASUS_OK)
            st = casus_fit_estimate(f, &o);
        casus_fit_free(f);
        if (st == CASUS_OK)
            break;
        CHECK(st == CASUS_ENOMEM);
        if (st != CASUS_ENOMEM)
            break;
    }
    printf("  the fit needs %d allocations; each failure before that is reported cleanly\n", n);
    CHECK(n > 10 && n < 100000);
    free(csv);
}

int main(void)
{
    RUN(test_parse_number);
    RUN(test_frame);
    RUN(test_frame_errors);
    RUN(test_formula);
    RUN(test_subset);
    RUN(test_derivatives_egame12);
    RUN(test_derivatives_egame122_123);
    RUN(test_derivatives_ultimatum);
    RUN(test_fast_path);
    RUN(test_fast_path_ultimatum);
    RUN(test_recovery);
    RUN(test_boot_threads);
    RUN(test_bad_input);
    RUN(test_separated);
    RUN(test_opts);
    RUN(test_lambert_w);
    RUN(test_out_of_memory);
    return harness_done("fit");
}
