/*
 * test_run.c — scenario games and `casus run` against closed forms: a
 * two-move decision whose logit probabilities are known analytically, a
 * consensus of n members (p^n), majority and two-thirds councils against
 * enumeration of all 2^n votes, treaty-guarded branches (covered and not),
 * backward induction at λ = ∞, common random numbers (a policy equal to
 * the baseline differs by exactly 0), bit-identical output for 1 and 2
 * threads, and a draw whose probability leaves [0, 1] stopping the run with
 * its index and parameter values.
 */
#include "harness.h"

#include "casus/run.h"
#include "casus/sens.h"
#include "casus/solve.h"

#include <math.h>

static casus_engine *load(const char *text)
{
    casus_status st = CASUS_ENOMEM;
    casus_engine *e = harness_engine(true, text, &st);
    CHECK_INT(st, CASUS_OK);
    return e;
}

static casus_run *run(casus_engine *e, const char *name, uint64_t draws, unsigned threads,
                      double lambda)
{
    casus_run_opts o = CASUS_RUN_OPTS_INIT;
    o.scenario = name;
    o.draws = draws;
    o.threads = threads;
    o.lambda = lambda;
    casus_run *r = NULL;
    casus_error err = CASUS_ERROR_INIT;
    casus_status st = casus_run_new(e, &o, &r, &err);
    if (st != CASUS_OK)
        printf("  run: %s\n", err.message[0] ? err.message : casus_status_str(st));
    CHECK_INT(st, CASUS_OK);
    return r;
}

static double mean_of(const casus_run *r, size_t policy, const char *thr)
{
    casus_run_stat s = {0};
    CHECK_INT(casus_run_threshold(r, policy, thr, &s), CASUS_OK);
    return s.mean;
}

#define LADDER                                                                                     \
    "ladder two { maps-to kahn\n"                                                                  \
    "  rung 1 low kahn 1\n  rung 2 high kahn 9\n"                                                  \
    "  threshold up after 1 }\n"

/* One decision: P(high) = σ(λ (u_high − u_low) / width). */
static void test_two_move_logit(void)
{
    casus_engine *e = load(LADDER "scenario two-move { date 2024-05-20 ladder two\n"
                                  "  actors [RUS] scale 0 2 lambda lam\n"
                                  "  param lam = 3 judgment \"test\"\n"
                                  "  decide d by RUS { a -> lo  b -> hi }\n"
                                  "  outcome lo rung low { RUS = 0.4 }\n"
                                  "  outcome hi rung high { RUS = 1.6 }\n"
                                  "}\n");
    casus_run *r = run(e, "two-move", 50, 1, NAN);
    double want = 1 / (1 + exp(-3 * (1.6 - 0.4) / 2));
    CHECK_NEAR(mean_of(r, 0, "up"), want, 1e-15);
    casus_run_free(r);
    /* λ → ∞: the better option for sure; λ = 0: uniform */
    r = run(e, "two-move", 10, 1, INFINITY);
    CHECK_NEAR(mean_of(r, 0, "up"), 1, 0);
    casus_run_free(r);
    r = run(e, "two-move", 10, 1, 0);
    CHECK_NEAR(mean_of(r, 0, "up"), 0.5, 1e-15);
    casus_run_free(r);
    casus_engine_free(e);
}

/* A council of NATO's 32 members (2024) by consensus, one group: p^32. */
static void test_consensus(void)
{
    casus_engine *e = load(LADDER "scenario cons { date 2024-05-20 ladder two\n"
                                  "  actors [RUS] scale 0 1 lambda 2\n"
                                  "  council c of north-atlantic.nac {\n"
                                  "    group all accept = 0.9 reject = 0.2\n"
                                  "    agree -> act  block -> none }\n"
                                  "  outcome act rung high { RUS = 0 }\n"
                                  "  outcome none rung low { RUS = 1 }\n"
                                  "}\n");
    casus_run *r = run(e, "cons", 20, 1, NAN);
    double p = 1 / (1 + exp(-2 * 0.7));
    CHECK_NEAR(mean_of(r, 0, "up"), pow(p, 32), 1e-15);
    casus_run_free(r);
    casus_engine_free(e);
}

/* Majority and two-thirds: Poisson-binomial tails against enumeration of
 * every vote of 7 members in two groups (3 with p1, 4 with p2). */
static double enumerate(double p1, double p2, int need)
{
    double total = 0;
    for (int m = 0; m < 128; m++) {
        double pr = 1;
        int yes = 0;
        for (int i = 0; i < 7; i++) {
            int v = (m >> i) & 1;
            double p = i < 3 ? p1 : p2;
            pr *= v ? p : 1 - p;
            yes += v;
        }
        if (yes >= need)
            total += pr;
    }
    return total;
}

static void test_majority_two_thirds(void)
{
    static const char *const rules[] = {"majority", "two-thirds"};
    static const int need[] = {4, 5}; /* of 7 */
    for (int k = 0; k < 2; k++) {
        char src[2048];
        snprintf(src, sizeof src,
                 "source tsrc { title \"test\" }\n"
                 "treaty t7 { title \"seven\" cite tsrc signed 2000-01-01 in-force 2000-01-01\n"
                 "  parties { FRA from 2000-01-01\n DEU from 2000-01-01\n ITA from 2000-01-01\n"
                 "    ESP from 2000-01-01\n PRT from 2000-01-01\n BEL from 2000-01-01\n"
                 "    NLD from 2000-01-01 }\n"
                 "  council board { rule %s members parties } }\n",
                 rules[k]);
        casus_engine *e = load(src);
        const char *sc = LADDER "scenario vote { date 2024-05-20 ladder two\n"
                                "  actors [RUS] scale 0 1 lambda 1.5\n"
                                "  council c of t7.board {\n"
                                "    group south [ITA, ESP, PRT] accept = 0.8 reject = 0.3\n"
                                "    group rest accept = 0.35 reject = 0.5\n"
                                "    agree -> act  block -> none }\n"
                                "  outcome act rung high { RUS = 0 }\n"
                                "  outcome none rung low { RUS = 1 }\n"
                                "}\n";
        CHECK_INT(casus_engine_load_source(e, "v.casus", sc, strlen(sc)), CASUS_OK);
        casus_run *r = run(e, "vote", 5, 1, NAN);
        double p1 = 1 / (1 + exp(-1.5 * 0.5)), p2 = 1 / (1 + exp(1.5 * 0.15));
        CHECK_NEAR(mean_of(r, 0, "up"), enumerate(p1, p2, need[k]), 1e-14);
        casus_run_free(r);
        casus_engine_free(e);
    }
}

/* Each party individually: "agree" is at least one acting, and the run
 * reports the distribution of how many act (Poisson binomial, summing
 * to 1, with the right mean). */
static void test_each_party(void)
{
    casus_engine *e = load("source tsrc { title \"test\" }\n"
                           "treaty t4 { title \"four\" cite tsrc signed 2000-01-01 in-force "
                           "2000-01-01\n"
                           "  parties { FRA from 2000-01-01\n DEU from 2000-01-01\n ITA from "
                           "2000-01-01\n ESP from 2000-01-01 }\n"
                           "  council each { rule each-party members parties } }\n" LADDER
                           "scenario ep { date 2024-05-20 ladder two\n"
                           "  actors [RUS] scale 0 1 lambda 2\n"
                           "  council c of t4.each {\n"
                           "    group a [FRA] accept = 0.9 reject = 0.1\n"
                           "    group rest accept = 0.3 reject = 0.6\n"
                           "    agree -> act  block -> none }\n"
                           "  outcome act rung high { RUS = 0 }\n"
                           "  outcome none rung low { RUS = 1 }\n"
                           "}\n");
    casus_run *r = run(e, "ep", 3, 1, NAN);
    double pa = 1 / (1 + exp(-2 * 0.8)), pr = 1 / (1 + exp(2 * 0.3));
    double none = (1 - pa) * pow(1 - pr, 3);
    CHECK_NEAR(mean_of(r, 0, "up"), 1 - none, 1e-14);
    casus_buf j = CASUS_BUF_INIT;
    CHECK_INT(casus_run_write_json(r, &j), CASUS_OK);
    const char *d = j.data ? strstr(j.data, "\"acting_distribution\":[") : NULL;
    CHECK(d != NULL);
    if (d) {
        d += strlen("\"acting_distribution\":[");
        double pk[5], sum = 0, mean = 0;
        int n = sscanf(d, "%lf,%lf,%lf,%lf,%lf", &pk[0], &pk[1], &pk[2], &pk[3], &pk[4]);
        CHECK_INT(n, 5);
        for (int k = 0; k < 5; k++)
            sum += pk[k], mean += k * pk[k];
        CHECK_NEAR(sum, 1, 1e-12);
        CHECK_NEAR(pk[0], none, 1e-14);
        CHECK_NEAR(mean, pa + 3 * pr, 1e-12);
    }
    casus_buf_release(&j);
    casus_run_free(r);
    casus_engine_free(e);
}

/* Treaty-guarded branches: trainers in Ukraine are not covered by Art. 5,
 * a depot in Poland is; the verdict, not a parameter, picks the branch. */
static void test_treaty_guard(void)
{
    casus_engine *e = load(LADDER "scenario guard { date 2024-05-20 ladder two\n"
                                  "  actors [RUS] scale 0 1 lambda 1\n"
                                  "  chance where { ua = 0.5 -> g-ua  pl = 0.5 -> g-pl }\n"
                                  "  if g-ua covered(north-atlantic, \"5\", victim EST, object "
                                  "forces, at Yavoriv) then art5-a else none-a\n"
                                  "  if g-pl covered(north-atlantic, \"5\", victim POL, object "
                                  "territory, lat 50.05, lon 21.99) then art5-b else none-b\n"
                                  "  outcome art5-a rung high { RUS = 0 }\n"
                                  "  outcome art5-b rung high { RUS = 0 }\n"
                                  "  outcome none-a rung low { RUS = 1 }\n"
                                  "  outcome none-b rung low { RUS = 1 }\n"
                                  "}\n");
    casus_run *r = run(e, "guard", 5, 1, NAN);
    CHECK_NEAR(mean_of(r, 0, "up"), 0.5, 0); /* only the Polish branch */
    casus_run_free(r);
    casus_engine_free(e);
}

static const char crn_src[] = LADDER "scenario crn { date 2024-05-20 ladder two\n"
                                     "  actors [RUS, USA] scale 0 1 lambda lam\n"
                                     "  param lam = uniform(1, 20) judgment \"test\"\n"
                                     "  param p = beta(2, 3) judgment \"test\"\n"
                                     "  param u = triangular(0.2, 0.5, 0.9) judgment \"test\"\n"
                                     "  policy base { baseline }\n"
                                     "  policy same { set p = beta(2, 3) }\n"
                                     "  policy other { set u = uniform(0.6, 0.95) }\n"
                                     "  decide d by RUS { go -> c  stay -> calm }\n"
                                     "  chance c { x = p -> r2  y = 1 - p -> calm2 }\n"
                                     "  decide r2 by USA { hit -> war  back -> calm3 }\n"
                                     "  outcome war rung high { RUS = u; USA = 1 - u }\n"
                                     "  outcome calm rung low { RUS = 0.5; USA = 0.5 }\n"
                                     "  outcome calm2 rung low { RUS = 0.6; USA = 0.4 }\n"
                                     "  outcome calm3 rung low { RUS = 0.7; USA = 0.3 }\n"
                                     "}\n";

static void test_crn_and_threads(void)
{
    casus_engine *e = load(crn_src);
    casus_run *r1 = run(e, "crn", 3000, 1, NAN);
    casus_run *r2 = run(e, "crn", 3000, 2, NAN);
    CHECK_INT(casus_run_policy_count(r1), 3);
    casus_run_stat d = {1, 1, 1, 1, 1};
    CHECK_INT(casus_run_threshold_diff(r1, 1, "up", &d), CASUS_OK);
    CHECK(d.mean == 0 && d.se == 0 && d.q05 == 0 && d.q95 == 0);
    CHECK_INT(casus_run_threshold_diff(r1, 2, "up", &d), CASUS_OK);
    CHECK(d.mean != 0);
    casus_buf a = CASUS_BUF_INIT, b = CASUS_BUF_INIT;
    CHECK_INT(casus_run_write_json(r1, &a), CASUS_OK);
    CHECK_INT(casus_run_write_json(r2, &b), CASUS_OK);
    CHECK(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
    casus_buf_release(&a);
    casus_buf_release(&b);
    /* the mean is a mean of the stored draws: 1 - every draw's P(low) */
    casus_run_stat s;
    CHECK_INT(casus_run_threshold(r1, 0, "up", &s), CASUS_OK);
    CHECK(s.q05 <= s.q50 && s.q50 <= s.q95 && s.se > 0 && s.mean > 0 && s.mean < 1);
    casus_run_free(r1);
    casus_run_free(r2);
    casus_engine_free(e);
}

static void test_bad_draw(void)
{
    casus_engine *e = load(LADDER "scenario bad { date 2024-05-20 ladder two\n"
                                  "  actors [RUS] scale 0 1 lambda 1\n"
                                  "  param q = normal(0.5, 0.3) judgment \"test\"\n"
                                  "  chance c { x = q -> hi  y = 1 - q -> lo }\n"
                                  "  outcome hi rung high { RUS = 0 }\n"
                                  "  outcome lo rung low { RUS = 1 }\n"
                                  "}\n");
    casus_run_opts o = CASUS_RUN_OPTS_INIT;
    o.scenario = "bad";
    o.draws = 1000;
    casus_run *r = NULL;
    casus_error err = CASUS_ERROR_INIT;
    CHECK_INT(casus_run_new(e, &o, &r, &err), CASUS_EINVAL);
    CHECK(r == NULL);
    CHECK(strstr(err.message, "draw ") && strstr(err.message, "q = "));
    CHECK_STREQ(err.code, "bad-draw");
    CHECK_INT(err.input, CASUS_INPUT_MODEL);
    casus_engine_free(e);
}

/* Information sets: USA sees RUS's move, not its type.  The run's
 * P(war) must equal the one from solving the exported .efg with the game
 * engine's logit QRE at the same λ (an independent path: text, parser,
 * solver). */
static void test_information_sets(void)
{
    casus_engine *e = load(LADDER "scenario isets { date 2024-05-20 ladder two\n"
                                  "  actors [RUS, USA] scale 0 1 lambda 5\n"
                                  "  param p = 0.6 judgment \"test\"\n"
                                  "  chance type { hawk = p -> rus  dove = 1 - p -> rus2 }\n"
                                  "  decide rus by RUS { push -> usa  stop -> calm }\n"
                                  "  decide rus2 by RUS { push -> usa  stop -> calm }\n"
                                  "  decide usa by USA observes [rus, rus2] { fight -> war "
                                  " yield -> calm2 }\n"
                                  "  outcome war rung high { RUS = 0.1; USA = 0.3 }\n"
                                  "  outcome calm rung low { RUS = 0.4; USA = 0.5 }\n"
                                  "  outcome calm2 rung low { RUS = 0.9; USA = 0.2 }\n"
                                  "}\n");
    casus_run *r = run(e, "isets", 4, 2, NAN);
    casus_buf efg = CASUS_BUF_INIT;
    casus_error err = CASUS_ERROR_INIT;
    CHECK_INT(casus_scenario_game(e, "isets", NULL, 1, 0, false, &efg, &err), CASUS_OK);
    casus_game *g = NULL;
    CHECK_INT(casus_game_open(e, "isets.efg", efg.data, efg.len, NULL, &g), CASUS_OK);
    casus_game_info gi;
    casus_game_get_info(g, &gi);
    CHECK_INT(gi.ninfosets, 3); /* RUS twice (it knows its type), USA once */
    casus_solve_opts so = CASUS_SOLVE_OPTS_INIT;
    so.method = CASUS_METHOD_LOGIT;
    so.lambda = 5;
    casus_solution *sol = NULL;
    CHECK_INT(casus_game_solve(e, g, &so, &sol), CASUS_OK);
    casus_profile_info pi;
    CHECK_INT(casus_solution_profile(sol, 0, &pi), CASUS_OK);
    /* Gambit's order: RUS (hawk) push stop, RUS (dove) push stop, USA fight yield */
    double want = 0.6 * pi.prob[0] * pi.prob[4] + 0.4 * pi.prob[2] * pi.prob[4];
    CHECK_NEAR(mean_of(r, 0, "up"), want, 1e-9);
    casus_solution_free(sol);
    casus_game_close(g);
    casus_buf_release(&efg);
    casus_run_free(r);
    casus_engine_free(e);
}

/* Sensitivity of a scenario result: P(up) = (p + q) / 2 with p, q
 * uniform on [0, 1] and a third parameter that does nothing, so S1 = ST =
 * 1/2 for p and q and 0 for the third — analytic values to compare with. */
static void test_scenario_sensitivity(void)
{
    casus_engine *e = load(LADDER "scenario additive { date 2024-05-20 ladder two\n"
                                  "  actors [RUS] scale 0 1 lambda 1\n"
                                  "  param p = uniform(0, 1) judgment \"test\"\n"
                                  "  param q = uniform(0, 1) judgment \"test\"\n"
                                  "  param idle = normal(0, 1) judgment \"test\"\n"
                                  "  policy base { baseline }\n"
                                  "  policy same { set q = uniform(0, 1) }\n"
                                  "  chance c { x = 0.5 * p + 0.5 * q -> hi  y = 1 - (0.5 * p + "
                                  "0.5 * q) -> lo }\n"
                                  "  outcome hi rung high { RUS = 0 }\n"
                                  "  outcome lo rung low { RUS = 1 }\n"
                                  "}\n");
    casus_sens_options o = CASUS_SENS_OPTIONS_INIT;
    o.base_samples = 1024;
    o.replicates = 8;
    casus_sens *s = NULL;
    casus_error err = CASUS_ERROR_INIT;
    CHECK_INT(casus_sens_new_scenario(&s, e, "additive", NULL, NULL, "up", NAN, &o, &err),
              CASUS_OK);
    CHECK_INT(casus_sens_analyze(s), CASUS_OK);
    CHECK_INT(casus_sens_count(s), 3);
    static const double want[] = {0.5, 0.5, 0};
    for (size_t i = 0; i < 3; i++) {
        casus_sens_row row;
        CHECK_INT(casus_sens_row_get(s, i, &row), CASUS_OK);
        CHECK_NEAR(row.s1.est, want[i], 0.01);
        CHECK_NEAR(row.st.est, want[i], 0.01);
    }
    casus_sens_free(s);
    /* a policy against itself: the difference is 0 at every point */
    o.method = CASUS_SENS_METHOD_TORNADO;
    CHECK_INT(casus_sens_new_scenario(&s, e, "additive", "same", "base", "up", NAN, &o, &err),
              CASUS_OK);
    CHECK_INT(casus_sens_analyze(s), CASUS_OK);
    CHECK(casus_sens_output_median_point(s) == 0);
    casus_sens_free(s);
    CHECK_INT(casus_sens_new_scenario(&s, e, "additive", NULL, NULL, "nonsense", NAN, &o, &err),
              CASUS_ENOTFOUND);
    CHECK(strstr(err.message, "nonsense"));
    CHECK_STREQ(err.code, "unknown-output");
    CHECK_INT(err.input, CASUS_INPUT_OUTPUT);
    casus_engine_free(e);
}

int main(void)
{
    RUN(test_two_move_logit);
    RUN(test_consensus);
    RUN(test_majority_two_thirds);
    RUN(test_each_party);
    RUN(test_treaty_guard);
    RUN(test_crn_and_threads);
    RUN(test_bad_draw);
    RUN(test_information_sets);
    RUN(test_scenario_sensitivity);
    return harness_done("run");
}
