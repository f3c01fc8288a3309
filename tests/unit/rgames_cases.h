/*
 * rgames_cases.h — the 28 public reference cases of the R package games
 * (../shared/reference/rgames/INDEX.md) as casus fit options, shared by the
 * conformance test (test_fit_rgames.c) and the bench (bench/bench_fit.c).
 * Each case names its data file (../shared/data/rgames) and the options in
 * their command-line spelling, transcribed from the R code in the case's
 * .txt file.  Case m8 fits an outcome column `y` that the R code derives
 * from esc and war; rg_war1800_with_y builds that CSV.
 */
#ifndef CASUS_TEST_RGAMES_CASES_H
#define CASUS_TEST_RGAMES_CASES_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RG_MAX_OPTS 8

enum rg_check {
    RG_EXACT,      /* every tolerance of INDEX.md */
    RG_POINT_ONLY, /* m4: bootstrap SEs are RNG-specific; estimates and Hessian SEs */
    RG_REACH,      /* student_offers s2 = 1: reach R's log-likelihood (INDEX.md) */
    RG_ILL_POSED   /* nonnest_bop: casus must refuse it with a clear message */
};

struct rg_case {
    const char *name;
    const char *model;
    const char *data; /* file in data/rgames; "war1800+y" for m8 */
    enum rg_check check;
    const char *opt[RG_MAX_OPTS][2]; /* {name, value} */
    const char *same_as;             /* an equal model (names may differ) */
};

#define F_WAR "esc + war ~ s_wt_re1 + revis1 | 0 | regime1 | balanc + regime2"
#define F_LEB                                                                                      \
    "outcome ~ capcont + lreserves + overval + creditgrow + USinterest + service + contagion + "   \
    "prioratt - 1 | 1 | 1 | unifgov + lexports + preelec + postelec + rightgov + realinterest + "  \
    "capcont + lreserves"
#define LEB_LEVELS "outcome=no attack,devaluation,defense"
#define F_122      "x1 + x2 | x3 + f1 | 0 | x4 + x5 | z1 + z2 | z3 + f2"
#define F_123      "x1 + x2 | 0 | x3 | x4 + x5 | 0 | x6 | x7 | x8"
#define F_ULT      "x1 + x2 + x3 + x4 + w1 + w2 | z1 + z2 + z3 + z4 + w1 + w2"

static const struct rg_case rg_cases[] = {
    {"egame12_war1800_m1", "egame12", "war1800", RG_EXACT, {{"formula", F_WAR}}, NULL},
    {"egame12_war1800_m2_logit",
     "egame12",
     "war1800",
     RG_EXACT,
     {{"formula", F_WAR}, {"link", "logit"}},
     NULL},
    {"egame12_war1800_m3_subset",
     "egame12",
     "war1800",
     RG_EXACT,
     {{"formula", F_WAR}, {"subset", "year >= 1850"}},
     NULL},
    {"egame12_war1800_m4_boot",
     "egame12",
     "war1800",
     RG_POINT_ONLY,
     {{"formula", F_WAR}, {"boot", "10"}},
     "egame12_war1800_m1"},
    {"egame12_war1800_m5_fixedutils",
     "egame12",
     "war1800",
     RG_EXACT,
     {{"formula", "esc + war ~ 1"}, {"fixed-utils", "-1,0,-1.4,0.1"}},
     NULL},
    {"egame12_war1800_m6_fixedutils_sdbyplayer",
     "egame12",
     "war1800",
     RG_EXACT,
     {{"formula", "esc + war ~ 1"}, {"fixed-utils", "-1,0,-1.4,0.1"}, {"sd-by-player", NULL}},
     NULL},
    {"egame12_war1800_m7_sdformula",
     "egame12",
     "war1800",
     RG_EXACT,
     {{"formula", F_WAR}, {"sdformula", "~ balanc - 1"}},
     NULL},
    {"egame12_war1800_m8_factor_y",
     "egame12",
     "war1800+y",
     RG_EXACT,
     {{"formula", "y ~ s_wt_re1 + revis1 | 0 | regime1 | balanc + regime2"},
      {"levels", "y=sq,cap,war"}},
     "egame12_war1800_m1"},
    {"egame12_war1800_latextable",
     "egame12",
     "war1800",
     RG_EXACT,
     {{"formula", "esc + war ~ s_wt_re1 + revis1 | 0 | balanc + revis1 | balanc"}},
     NULL},
    {"egame12_war1800_nonnest_bop",
     "egame12",
     "war1800",
     RG_ILL_POSED,
     {{"formula", "esc + war ~ balanc + s_wt_re1 | 0 | balanc | balanc + s_wt_re1"},
      {"subset", "not is_na(regime1) and not is_na(regime2)"}},
     NULL},
    {"egame12_war1800_nonnest_regime",
     "egame12",
     "war1800",
     RG_EXACT,
     {{"formula", "esc + war ~ regime1 | 0 | regime1 + regime2 | regime1 + regime2"}},
     NULL},
    {"egame12_leblang_example_reltol",
     "egame12",
     "leblang2003",
     RG_EXACT,
     {{"formula", F_LEB}, {"type", "private"}, {"levels", LEB_LEVELS}},
     "egame12_leblang_jss_leb1"},
    {"egame12_leblang_jss_leb1",
     "egame12",
     "leblang2003",
     RG_EXACT,
     {{"formula", F_LEB}, {"type", "private"}, {"levels", LEB_LEVELS}},
     NULL},
    {"egame12_leblang_jss_leb3_sdformula",
     "egame12",
     "leblang2003",
     RG_EXACT,
     {{"formula", "outcome ~ lreserves + overval - 1 | 1 | 1 | preelec + realinterest"},
      {"sdformula", "~ prioratt - 1"},
      {"type", "private"},
      {"levels", LEB_LEVELS}},
     NULL},
    {"egame12_leblang_jss_lebfixed",
     "egame12",
     "leblang2003",
     RG_EXACT,
     {{"formula", "outcome ~ ."},
      {"fixed-utils", "1,-1,0,1"},
      {"type", "private"},
      {"levels", LEB_LEVELS}},
     NULL},
    {"egame12_leblang_jss_lebagent",
     "egame12",
     "leblang2003",
     RG_EXACT,
     {{"formula", F_LEB}, {"levels", LEB_LEVELS}},
     NULL},
    {"egame122_data122_m1", "egame122", "data_122", RG_EXACT, {{"formula", "y ~ " F_122}}, NULL},
    {"egame122_data122_m2_dummies",
     "egame122",
     "data_122",
     RG_EXACT,
     {{"formula", "a1 + a2 ~ " F_122}},
     "egame122_data122_m1"},
    {"egame122_data122_private_internal",
     "egame122",
     "data_122",
     RG_EXACT,
     {{"formula", "y ~ " F_122}, {"type", "private"}},
     NULL},
    {"egame123_data123_m1_private",
     "egame123",
     "data_123",
     RG_EXACT,
     {{"formula", "y ~ " F_123}, {"type", "private"}},
     NULL},
    {"egame123_data123_m2_dummies",
     "egame123",
     "data_123",
     RG_EXACT,
     {{"formula", "a1 + a2 + a3 ~ " F_123}, {"type", "private"}},
     "egame123_data123_m1_private"},
    {"ultimatum_datault_m1",
     "ultimatum",
     "data_ult",
     RG_EXACT,
     {{"formula", "offer + accept ~ " F_ULT}, {"max-offer", "15"}},
     NULL},
    {"ultimatum_datault_m2_offeronly",
     "ultimatum",
     "data_ult",
     RG_EXACT,
     {{"formula", "offer ~ " F_ULT}, {"max-offer", "15"}, {"outcome", "offer"}},
     NULL},
    {"ultimatum_datault_m3_fixedscales",
     "ultimatum",
     "data_ult",
     RG_EXACT,
     {{"formula", "offer + accept ~ " F_ULT}, {"max-offer", "15"}, {"s1", "5"}, {"s2", "1"}},
     NULL},
    {"ultimatum_datault_nonnest",
     "ultimatum",
     "data_ult",
     RG_EXACT,
     {{"formula", "offer + accept ~ w1 + w2 + x1 + x2 | w1 + w2 + z1 + z2"}, {"max-offer", "15"}},
     NULL},
    {"ultimatum_student_offers_stu1",
     "ultimatum",
     "student_offers",
     RG_REACH,
     {{"formula", "offer + accept ~ gender1 | gender2"}, {"max-offer", "100"}, {"s2", "1"}},
     NULL},
    {"ultimatum_student_offers_stu2_profile",
     "ultimatum",
     "student_offers",
     RG_REACH,
     {{"formula", "offer + accept ~ gender1 | gender2"}, {"max-offer", "100"}, {"s2", "1"}},
     NULL},
    {"ultimatum_ultimatum2010_jss_ult1",
     "ultimatum",
     "student_offers",
     RG_EXACT,
     {{"formula", "offer + accept ~ gender1 | gender2"}, {"max-offer", "100"}, {"s2", "3"}},
     NULL},
};

#define RG_NCASES (sizeof rg_cases / sizeof rg_cases[0])

/* The shared directory: $CASUS_SHARED or ../shared. */
static const char *rg_shared(void)
{
    const char *s = getenv("CASUS_SHARED");
    return s && *s ? s : "../shared";
}

/* war1800.csv with a last column y = "sq", "cap" or "war" from esc and war,
 * as case m8's R code derives it; malloc'd, NULL on failure. */
static char *rg_war1800_with_y(const char *csv)
{
    size_t n = strlen(csv), cap = n + n / 8 + 64, len = 0;
    char *out = malloc(cap);
    int iesc = -1, iwar = -1;
    const char *p = csv;
    for (int row = 0; out && *p; row++) {
        const char *e = strchr(p, '\n');
        size_t ll = e ? (size_t)(e - p) : strlen(p);
        const char *f = p;
        int col = 0, esc = 0, war = 0;
        for (const char *q = p; q <= p + ll; q++)
            if (q == p + ll || *q == ',') {
                if (row == 0 && (size_t)(q - f) == 3 && !strncmp(f, "esc", 3))
                    iesc = col;
                if (row == 0 && (size_t)(q - f) == 3 && !strncmp(f, "war", 3))
                    iwar = col;
                if (row && col == iesc)
                    esc = *f == '1';
                if (row && col == iwar)
                    war = *f == '1';
                col++;
                f = q + 1;
            }
        if (len + ll + 8 > cap) {
            free(out);
            return NULL;
        }
        memcpy(out + len, p, ll);
        len += ll;
        const char *y = row == 0 ? ",y" : !esc ? ",sq" : war ? ",war" : ",cap";
        memcpy(out + len, y, strlen(y));
        len += strlen(y);
        out[len++] = '\n';
        p = e ? e + 1 : p + ll;
    }
    if (out)
        out[len] = '\0';
    return out;
}

#endif
