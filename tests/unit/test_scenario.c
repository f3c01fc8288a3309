/*
 * test_scenario.c — ladders and scenario declarations: Kahn's ladder as
 * shipped, a coarse ladder mapped onto it, parameters of every distribution
 * family with their supports, the fact/judgment rule, and policy order (the
 * baseline first).  White-box: reads the engine's model.
 */
#include "harness.h"

#include "model/engine.h"

static casus_engine *load(const char *text, casus_status *st)
{
    return harness_engine(true, text, st);
}

static void test_kahn_shipped(void)
{
    casus_status st;
    casus_engine *e = load("", &st);
    CHECK_INT(st, CASUS_OK);
    int32_t k = casus_symtab_get(&e->ladder_ix, "kahn", 4);
    CHECK(k >= 0);
    if (k >= 0) {
        const struct casus_mladder *l = e->ladders[k];
        CHECK_INT(l->nrungs, 44);
        CHECK_INT(l->nthresholds, 6);
        CHECK_STREQ(l->rungs[0].title, "Ostensible crisis");
        CHECK_STREQ(l->rungs[43].title, "Spasm or insensate war");
        CHECK_STREQ(l->thresholds[2].title, "No Nuclear Use");
        CHECK_INT(l->thresholds[2].after, 20);
        CHECK(l->cite != NULL);
        /* 7 groups, in order */
        int groups = 1;
        for (uint32_t i = 1; i < l->nrungs; i++)
            groups += strcmp(l->rungs[i].group, l->rungs[i - 1].group) != 0;
        CHECK_INT(groups, 7);
    }
    casus_engine_free(e);
}

static const char scenario[] =
    "source s { title \"t\" }\n"
    "ladder coarse { maps-to kahn\n"
    "  rung 0 calm kahn 3\n rung 1 strike kahn 8\n rung 2 clash kahn 12\n"
    "  threshold direct-clash after 1 }\n"
    "scenario demo { date 2024-05-20 ladder coarse\n"
    "  param f = 97 fact s\n"
    "  param u = uniform(0.1, 0.4) judgment \"j\"\n"
    "  param t = triangular(0, 0.5, 1) judgment \"j\"\n"
    "  param n = normal(0, 0.1) judgment \"j\"\n"
    "  param l = lognormal(1.5, 0.5) judgment \"j\"\n"
    "  param tn = truncnormal(0.5, 0.2, 0, 1) judgment \"j\"\n"
    "  param b = beta(2, 8) judgment \"j\"\n"
    "  param d = discrete([3, -1, 2], [1, 1, 2]) judgment \"j\"\n"
    "  param ar = 2 * 3 - 1 judgment \"arithmetic on numbers\"\n"
    "  policy first { set u = 0.3 }\n"
    "  policy base { baseline }\n"
    "  policy third { set b = beta(3, 7) set d = 5 }\n"
    "}\n";

static void test_params_and_policies(void)
{
    casus_status st;
    casus_engine *e = load(scenario, &st);
    CHECK_INT(st, CASUS_OK);
    int32_t k = casus_symtab_get(&e->scenario_ix, "demo", 4);
    CHECK(k >= 0);
    if (k < 0) {
        casus_engine_free(e);
        return;
    }
    const struct casus_mscenario *s = e->scenarios[k];
    CHECK_STREQ(s->ladder->name, "coarse");
    CHECK_STREQ(s->ladder->maps_to->name, "kahn");
    CHECK_INT(s->nparams, 9);
    struct {
        enum casus_family fam;
        double lo, hi;
    } want[] = {
        {CASUS_FAMILY_fixed, 97, 97},
        {CASUS_FAMILY_uniform, 0.1, 0.4},
        {CASUS_FAMILY_triangular, 0, 1},
        {CASUS_FAMILY_normal, -HUGE_VAL, HUGE_VAL},
        {CASUS_FAMILY_lognormal, 0, HUGE_VAL},
        {CASUS_FAMILY_truncnormal, 0, 1},
        {CASUS_FAMILY_beta, 0, 1},
        {CASUS_FAMILY_discrete, -1, 3},
        {CASUS_FAMILY_fixed, 5, 5},
    };
    for (uint32_t i = 0; i < s->nparams && i < 9; i++) {
        CHECK_INT(s->params[i].dist.family, want[i].fam);
        CHECK(s->params[i].dist.lo == want[i].lo);
        CHECK(s->params[i].dist.hi == want[i].hi);
    }
    CHECK(s->params[0].fact != NULL && s->params[0].judgment == NULL);
    CHECK(s->params[1].fact == NULL && s->params[1].judgment != NULL);
    /* the baseline comes first, the others keep their order */
    CHECK_INT(s->npolicies, 3);
    CHECK_STREQ(s->policies[0].name, "base");
    CHECK_STREQ(s->policies[1].name, "first");
    CHECK_STREQ(s->policies[2].name, "third");
    CHECK_INT(s->policies[2].nsettings, 2);
    CHECK_INT(s->policies[2].settings[1].param, 7);
    CHECK_INT(s->policies[2].settings[1].dist.family, CASUS_FAMILY_fixed);
    casus_engine_free(e);
}

static void test_no_policy_means_baseline(void)
{
    casus_status st;
    casus_engine *e = load("scenario lone { date 2024-01-01 param x = 1 judgment \"j\" }", &st);
    CHECK_INT(st, CASUS_OK);
    int32_t k = casus_symtab_get(&e->scenario_ix, "lone", 4);
    CHECK(k >= 0);
    if (k >= 0) {
        CHECK_INT(e->scenarios[k]->npolicies, 1);
        CHECK_STREQ(e->scenarios[k]->policies[0].name, "baseline");
        CHECK(e->scenarios[k]->ladder == NULL);
    }
    casus_engine_free(e);
}

static void expect_error(const char *text, const char *needle)
{
    casus_engine *e = NULL;
    casus_engine_new(&e, NULL, NULL);
    casus_engine_load_builtin(e);
    casus_status st = casus_engine_load_source(e, "x.casus", text, strlen(text));
    casus_buf b = CASUS_BUF_INIT;
    casus_engine_render_diagnostics(e, &b);
    CHECK(st == CASUS_ECOMPILE);
    if (!b.data || !strstr(b.data, needle)) {
        printf("  expected \"%s\" in:\n%s\n", needle, b.data ? b.data : "(nothing)");
        harness_cur_failed++;
    }
    casus_buf_release(&b);
    casus_engine_free(e);
}

static void test_errors(void)
{
    expect_error("scenario s { date 2024-01-01 param x = uniform(2, 1) judgment \"j\" }",
                 "uniform() needs lo < hi");
    expect_error("scenario s { date 2024-01-01 param x = triangular(0, 2, 1) judgment \"j\" }",
                 "triangular() needs lo <= mode <= hi");
    expect_error("scenario s { date 2024-01-01 param x = normal(0, 0) judgment \"j\" }",
                 "normal() needs sd > 0");
    expect_error("scenario s { date 2024-01-01 param x = beta(1) judgment \"j\" }",
                 "beta() takes 2 arguments, got 1");
    expect_error("scenario s { date 2024-01-01 param x = betta(1, 2) judgment \"j\" }",
                 "did you mean 'beta'?");
    expect_error("scenario s { date 2024-01-01 param x = 1 }", "neither a sourced fact");
    expect_error("source q { title \"t\" } scenario s { date 2024-01-01 param x = 1 fact q "
                 "judgment \"j\" }",
                 "both a fact and a judgment");
    expect_error("scenario s { date 2024-01-01 param x = 1 judgment \"\" }", "needs a rationale");
    expect_error("scenario s { date 2024-01-01 param x = 1 judgment \"j\" param x = 2 judgment "
                 "\"j\" }",
                 "parameter 'x' is declared twice");
    expect_error("scenario s { date 2024-01-01 param rate = 1 judgment \"j\" policy p { set rat "
                 "= 2 } }",
                 "did you mean 'rate'?");
    expect_error("ladder l { rung 1 a kahn 2 }", "'kahn' needs the ladder to say 'maps-to");
    expect_error("ladder l { maps-to kahn rung 1 a }", "does not say which rung");
    expect_error("ladder l { rung 1 a threshold t after 7 }", "ladder 'l' has no rung 7");
    expect_error("ladder kahn { rung 1 a }", "ladder 'kahn' is declared twice");
    expect_error("scenario s { date 2024-01-01 } scenario s { date 2024-01-01 }",
                 "scenario 's' is declared twice");
}

int main(void)
{
    RUN(test_kahn_shipped);
    RUN(test_params_and_policies);
    RUN(test_no_policy_means_baseline);
    RUN(test_errors);
    return harness_done("scenario");
}
