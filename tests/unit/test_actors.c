/*
 * test_actors.c — the names actors go by (src/model/actors.c, the alias
 * table data/actors.casus): codes, ISO and COW codes, names and common
 * names read as casus check reads --victim; ISO codes before COW codes
 * before names; an ambiguous name refused with its candidates; a
 * misspelling answered with the nearest alias; the table's own checks.
 */
#include "harness.h"

static casus_engine *engine(void)
{
    casus_status st;
    casus_engine *e = harness_engine(true, NULL, &st);
    CHECK_INT(st, CASUS_OK);
    return e;
}

static const char *code_of(casus_engine *e, const char *name)
{
    size_t i;
    casus_error err = CASUS_ERROR_INIT;
    if (casus_engine_find_actor(e, name, &i, &err) != CASUS_OK)
        return err.code;
    casus_actor_info a;
    casus_engine_actor_info(e, i, &a);
    return a.code;
}

static void test_names(void)
{
    casus_engine *e = engine();
    static const char *const cases[][2] = {
        {"GBR", "GBR"},
        {"UK", "GBR"},
        {"uk", "GBR"},
        {"GB", "GBR"},
        {"Britain", "GBR"},
        {"200", "GBR"},
        {"UKG", "GBR"},
        {"United Kingdom", "GBR"},
        {"US", "USA"},
        {"U.S.", "USA"},
        {"usa", "USA"},
        {"America", "USA"},
        {"2", "USA"},
        {"Russia", "RUS"},
        {"russian federation", "RUS"},
        {"Türkiye", "TUR"},
        {"Turkiye", "TUR"},
        {"AUS", "AUS"},
        {"aus", "AUS"},
        {"AUT", "AUT"},
        {"305", "AUT"},
        {"Ivory Coast", "CIV"},
        {"Côte d'Ivoire", "CIV"},
        {"kos", "KOS"},
        {"XK", "KOS"},
        {"USSR", "SUN"},
        {"unknown", "unknown"},
        {"Congo", "ambiguous-actor"},
        {"Korea", "ambiguous-actor"},
        {"Rusia", "unknown-actor"},
        {"Atlantis", "unknown-actor"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const char *got = code_of(e, cases[k][0]);
        if (!got || strcmp(got, cases[k][1]) != 0)
            printf("  '%s' read as %s, expected %s\n", cases[k][0], got ? got : "(null)",
                   cases[k][1]);
        CHECK(got && strcmp(got, cases[k][1]) == 0);
    }
    casus_engine_free(e);
}

/* The messages: candidates for an ambiguous name, the nearest alias for a
 * misspelling ("US" is found, so it never suggests AUS). */
static void test_messages(void)
{
    casus_engine *e = engine();
    size_t i;
    casus_error err = CASUS_ERROR_INIT;
    CHECK_INT(casus_engine_find_actor(e, "Congo", &i, &err), CASUS_ENOTFOUND);
    CHECK(strstr(err.message, "COG (Congo)") && strstr(err.message, "COD (Dem. Rep. Congo)"));
    CHECK_INT(casus_engine_find_actor(e, "Rusia", &i, &err), CASUS_ENOTFOUND);
    CHECK(strstr(err.message, "did you mean 'Russia', RUS?") != NULL);
    casus_result *r = NULL;
    CHECK_INT(casus_result_new(e, &r), CASUS_OK);
    casus_incident inc = {.attacker = "Russia",
                          .victim = "UK",
                          .object = "forces",
                          .place = "Yavoriv",
                          .treaty = "north-atlantic"};
    casus_date_parse("2024-05-20", 10, &inc.date);
    CHECK_INT(casus_check(e, &inc, r), CASUS_OK);
    casus_buf b = CASUS_BUF_INIT;
    CHECK_INT(casus_result_write_text(r, &b), CASUS_OK);
    CHECK(strstr(b.data, "an attack by RUS on GBR forces") != NULL);
    CHECK(strstr(b.data, "victim 'UK' as GBR (United Kingdom), by its name") != NULL);
    casus_buf_release(&b);
    inc.victim = "Korea";
    CHECK_INT(casus_check(e, &inc, r), CASUS_ENOTFOUND);
    CHECK_STREQ(casus_result_error_info(r)->code, "ambiguous-actor");
    CHECK_INT(casus_result_error_info(r)->input, CASUS_INPUT_VICTIM);
    casus_result_free(r);
    casus_engine_free(e);
}

/* The table's listing: every state has its ISO code; COW codes where COW
 * has the state. */
static void test_listing(void)
{
    casus_engine *e = engine();
    size_t n = casus_engine_actor_count(e), states = 0, with_iso = 0, with_cow = 0;
    for (size_t i = 0; i < n; i++) {
        casus_actor_info a;
        CHECK_INT(casus_engine_actor_info(e, i, &a), CASUS_OK);
        if (strcmp(a.kind, "state") != 0 || strcmp(a.code, "unknown") == 0)
            continue;
        states++;
        with_iso += a.iso2 != NULL;
        with_cow += a.cow >= 0;
        if (strcmp(a.code, "GBR") == 0) {
            CHECK_STREQ(a.iso2, "GB");
            CHECK_INT(a.cow, 200);
            CHECK_STREQ(a.cow_abb, "UKG");
        }
    }
    printf("  %zu states, %zu with an ISO alpha-2 code, %zu with a COW code\n", states, with_iso,
           with_cow);
    CHECK(states > 190 && with_iso + 12 >= states && with_cow > 185);
    casus_engine_free(e);
}

static void test_table_errors(void)
{
    harness_expect_error("source s { title \"t\" }\naliases FRA { iso2 GB cite s }",
                         "alias 'GB' is already given to 'GBR'");
    harness_expect_error("source s { title \"t\" }\naliases FRA { cow 1000 cite s }",
                         "whole number from 1 to 999");
    harness_expect_error("aliases FRA { name \"Gallia\" }", "cites no source");
    harness_expect_error("source s { title \"t\" }\naliases FRANCE { name \"Gallia\" cite s }",
                         "unknown actor 'FRANCE'");
    harness_expect_error("source s { title \"t\" }\naliases FRA { iso4 FR cite s }",
                         "unknown field 'iso4'");
    /* a second actor may share a name: it is then ambiguous, not an error */
    casus_status st;
    casus_engine *e =
        harness_engine(true,
                       "source s { title \"t\" }\naliases AUT { name \"Austria-Hungary\" cite s }\n"
                       "aliases HUN { name \"Austria-Hungary\" cite s }",
                       &st);
    CHECK_INT(st, CASUS_OK);
    CHECK_STREQ(code_of(e, "Austria-Hungary"), "ambiguous-actor");
    casus_engine_free(e);
}

int main(void)
{
    RUN(test_names);
    RUN(test_messages);
    RUN(test_listing);
    RUN(test_table_errors);
    return harness_done("actors");
}
