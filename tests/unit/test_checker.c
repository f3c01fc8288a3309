/*
 * test_checker.c — the checker (src/lang/check*.c): name resolution, types
 * by context, every checking diagnostic, and "a file with errors changes
 * nothing".
 */
#include "harness.h"

#include "casus/casus.h"

#define TREATY_HEAD                                                                                \
    "source s { title \"t\" }\n"                                                                   \
    "treaty t \"T\" { signed 2000-01-01 cite s parties { USA from 2000-01-01 }\n"

static void test_checker_errors(void)
{
    harness_expect_error(TREATY_HEAD "  scope a { covered x when region == europa otherwise o } }",
                         "did you mean 'europe'?");
    harness_expect_error(TREATY_HEAD "  scope a { covered x when victim == USAA otherwise o } }",
                         "unknown actor 'USAA'");
    harness_expect_error(TREATY_HEAD "  scope a { covered x when lat-1 > 0 otherwise o } }",
                         "write 'lat - 1' to subtract");
    harness_expect_error(TREATY_HEAD "  scope a { covered x when date > 5 otherwise o } }",
                         "cannot compare a date with a number");
    harness_expect_error(TREATY_HEAD "  scope a { covered x when object == territory } }",
                         "has no 'otherwise' rule");
    harness_expect_error(TREATY_HEAD
                         "  scope a { contested x when object == territory otherwise o } }",
                         "must say why in a 'note'");
    harness_expect_error(TREATY_HEAD "  let p = q\n let q = p and true }",
                         "defined in terms of itself");
    harness_expect_error(TREATY_HEAD
                         "  clause c { article \"1\" trigger t obligation strong quote \"q\" } }",
                         "unknown obligation 'strong'");
    harness_expect_error(TREATY_HEAD
                         "  clause c { article \"1\" trigger t obligation automatic quote \"q\" "
                         "scope nowhere } }",
                         "no scope 'nowhere'");
    harness_expect_error(TREATY_HEAD "  clause c { article \"1\" obligation automatic } }",
                         "does not quote its text");
    harness_expect_error(TREATY_HEAD "}\n" TREATY_HEAD "}", "treaty 't' is declared twice");
    harness_expect_error("actor USA \"again\"", "actor 'USA' is declared twice");
    harness_expect_error(TREATY_HEAD "  scope a { covered x when party(1) otherwise o } }",
                         "party() needs a actor");
    harness_expect_error("let z = party(USA)", "only meaningful inside a treaty");
    harness_expect_error(TREATY_HEAD "  scope a { covered x when basin == atlantic otherwise o } }",
                         "unknown basin 'atlantic'");
}

static void test_checker_table(void)
{
#define SC(cond) TREATY_HEAD "  scope a { covered x when " cond " otherwise o } }"
    static const struct {
        const char *text, *want;
    } cases[] = {
        {SC("region in europe"), "'in' needs a list such as [europe, north_america]"},
        {SC("region in [lat]"), "list items after 'in' must be constants"},
        {SC("lat in [1, europe]"), "unknown name 'europe' (a number is expected here)"},
        {SC("lat in [1, \"x\"]"), "this list holds numbers, but this item is a string"},
        {SC("lat and true"), "'and' needs a condition, but this is a number"},
        {SC("not lat"), "'not' needs a condition, but this is a number"},
        {SC("-region == 1"), "'-' needs a number, but this is a region"},
        {SC("lat + region > 1"), "arithmetic needs a number, but this is a region"},
        {SC("lat"), "a condition must be true or false, but this is a number"},
        {SC("[1] == lat"), "a list can only follow 'in'"},
        {SC("region < europe"), "compare numbers or dates, not regions"},
        {SC("party(USA, CAN)"), "party() takes one actor, got 2"},
        {SC("partyy(USA)"), "unknown function 'partyy'"},
        {SC("object == tank"), "unknown object 'tank'"},
        {SC("attribution == sure"), "unknown attribution 'sure'"},
        {SC("foo == bar"), "unknown name 'foo'"},
        {SC("regoin == europe"), "did you mean 'region'?"},
        {TREATY_HEAD "  council c { title \"C\" } }", "council 'c' has no decision 'rule'"},
        {TREATY_HEAD "  council c { rule consensus members [USA, XXX] } }", "unknown actor 'XXX'"},
        {TREATY_HEAD "  council c { rule plurality } }", "unknown council rule 'plurality'"},
        {TREATY_HEAD "  clause k { article \"1\" trigger t obligation automatic quote \"q\" "
                     "decided-by council } }",
         "is decided by a council but names none"},
        {TREATY_HEAD "  clause k { article \"1\" trigger t obligation automatic quote \"q\" "
                     "council nope } }",
         "no council 'nope' in treaty 't'"},
        {TREATY_HEAD "  clause k { article \"1\" trigger t obligation automatic quote \"q\" } "
                     "clause j { article \"2\" trigger t quote \"q\" } }",
         "clause 'j' has no 'obligation'"},
        {TREATY_HEAD "  clause k { article \"1\" obligation automatic quote \"q\" } }",
         "clause 'k' has no 'trigger'"},
        {TREATY_HEAD "  let lat = 1 }", "'lat' is an incident attribute"},
        {TREATY_HEAD "  let q = 1\n let q = 2 }", "'q' is defined twice"},
        {"source s { title \"t\" }\ntreaty t { signed 2000-01-01 cite s parties { USA from "
         "2000-01-01 until 2010-01-01 USA from 2005-01-01 } }",
         "party 'USA' has overlapping periods"},
        {"source s { title \"t\" }\ntreaty t { signed 2000-01-01 parties { USA } }",
         "cites no source for its text"},
        {"source s { title \"t\" }\ntreaty t { cite s }", "treaty 't' has no parties"},
        {"source s { }", "source 's' has no title"},
        {"source nat-1949 { title \"again\" }", "source 'nat-1949' is declared twice"},
        {"sovereignty DZA { FRA }", "sovereignty of 'DZA' is declared twice"},
        {"sovereignty ZZ1 { FRA } sovereignty ZZ1 { FRA }",
         "sovereignty of 'ZZ1' is declared twice"},
        {"sovereignty ZZ2 { FRA cite nosuch }", "unknown source 'nosuch'"},
        {TREATY_HEAD "  scope a { covered x when true covered x when true otherwise o } }",
         "reason 'x' is used twice in scope 'a'"},
        {TREATY_HEAD "  scope a { otherwise o } scope a { otherwise o } }",
         "scope 'a' is defined twice"},
    };
#undef SC
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        harness_expect_error(cases[i].text, cases[i].want);
}

static void test_failed_file_changes_nothing(void)
{
    casus_engine *e = NULL;
    CHECK_INT(casus_engine_new(&e, NULL, NULL), CASUS_OK);
    CHECK_INT(casus_engine_load_builtin(e), CASUS_OK);
    size_t before = casus_engine_treaty_count(e);
    const char *bad = "source s2 { title \"t\" }\n"
                      "treaty good \"G\" { signed 2000-01-01 cite s2 parties { USA } }\n"
                      "treaty bad \"B\" { signed 2000-01-01 cite nowhere parties { USA } }\n";
    CHECK_INT(casus_engine_load_source(e, "b.casus", bad, strlen(bad)), CASUS_ECOMPILE);
    CHECK_INT(casus_engine_treaty_count(e), before);
    casus_engine_clear_diagnostics(e);
    /* the same names are free to use afterwards */
    const char *good = "source s2 { title \"t\" }\n"
                       "treaty good \"G\" { signed 2000-01-01 cite s2 parties { USA } }\n";
    CHECK_INT(casus_engine_load_source(e, "g.casus", good, strlen(good)), CASUS_OK);
    CHECK_INT(casus_engine_treaty_count(e), before + 1);
    casus_engine_free(e);
}

int main(void)
{
    RUN(test_checker_errors);
    RUN(test_checker_table);
    RUN(test_failed_file_changes_nothing);
    return harness_done("checker");
}
