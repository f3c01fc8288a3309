/*
 * test_holding.c — who holds a place on a date (src/treaty/holding.c and
 * the records of data/world.casus): sovereign, administration and claims by
 * date, the lines a verdict read named in its trace with their file and
 * line, a record of one's own, and ambiguous place names settled by the
 * victim.
 */
#include "harness.h"

static casus_engine *engine(const char *text)
{
    casus_status st;
    casus_engine *e = harness_engine(true, text, &st);
    CHECK_INT(st, CASUS_OK);
    return e;
}

static casus_location where(casus_engine *e, const char *place, const char *date)
{
    casus_location l;
    casus_date d;
    memset(&l, 0, sizeof l);
    casus_date_parse(date, strlen(date), &d);
    CHECK_INT(casus_where_place(e, place, d, &l, NULL), CASUS_OK);
    return l;
}

#define STR_OR_NULL(a, b) CHECK((a) == NULL ? (b) == NULL : (b) != NULL && strcmp(a, b) == 0)

static void test_by_date(void)
{
    casus_engine *e = engine(NULL);
    static const struct {
        const char *place, *date, *sov, *adm, *claims;
    } cases[] = {
        {"Naha", "1965-06-01", "JPN", "USA", NULL},
        {"Naha", "1972-05-15", "JPN", "JPN", NULL},
        {"Uotsuri-jima", "1960-01-01", "JPN", "USA", NULL},
        {"Uotsuri-jima", "1971-07-01", "JPN", "USA", "TWN"},
        {"Uotsuri-jima", "2024-05-20", "JPN", "JPN", "CHN,TWN"},
        {"Sevastopol", "1990-01-01", "SUN", NULL, NULL},
        {"Sevastopol", "2013-06-01", "UKR", NULL, NULL},
        {"Sevastopol", "2014-03-18", "UKR", "RUS", "RUS"},
        {"Donetsk", "2014-05-10", "UKR", NULL, NULL},
        {"Donetsk", "2014-05-11", "UKR", "RUS", NULL},
        {"Donetsk", "2022-09-30", "UKR", "RUS", "RUS"},
        {"Stanley", "1982-04-01", "GBR", NULL, "ARG"},
        {"Stanley", "1982-05-01", "GBR", "ARG", "ARG"},
        {"Stanley", "1982-06-14", "GBR", NULL, "ARG"},
        {"Kyrenia", "2024-05-20", "CYP", "CYN", "CYN"},
        {"Pristina", "2000-01-01", "YUG", "UN", NULL},
        {"Pristina", "2024-05-20", "KOS", NULL, "SRB"},
        {"Taipei", "1930-01-01", "JPN", NULL, NULL},
        {"Taipei", "2024-05-20", "TWN", NULL, "CHN"},
        {"Guantánamo Bay", "2024-05-20", "CUB", "USA", NULL},
        {"Katzrin", "1960-01-01", "SYR", NULL, NULL},
        {"Katzrin", "2024-05-20", "SYR", "ISR", "ISR"},
        {"Tallinn", "1960-01-01", "EST", "SUN", NULL},
        {"Tallinn", "2024-05-20", "EST", NULL, NULL},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        casus_location l = where(e, cases[k].place, cases[k].date);
        bool ok = l.sovereign && strcmp(l.sovereign, cases[k].sov) == 0 &&
                  (cases[k].adm ? l.administered_by && !strcmp(l.administered_by, cases[k].adm)
                                : !l.administered_by) &&
                  (cases[k].claims ? l.claimed_by && !strcmp(l.claimed_by, cases[k].claims)
                                   : !l.claimed_by);
        if (!ok)
            printf("  %s on %s: sovereign %s, administered by %s, claimed by %s\n", cases[k].place,
                   cases[k].date, l.sovereign ? l.sovereign : "-",
                   l.administered_by ? l.administered_by : "-", l.claimed_by ? l.claimed_by : "-");
        CHECK(ok);
    }
    casus_engine_free(e);
}

/* The trace names the line it read, and the Answer the reading. */
static void test_trace_names_the_line(void)
{
    casus_engine *e = engine(NULL);
    casus_result *r = NULL;
    CHECK_INT(casus_result_new(e, &r), CASUS_OK);
    casus_incident inc = {.attacker = "CHN",
                          .victim = "JPN",
                          .object = "territory",
                          .place = "Uotsuri-jima",
                          .treaty = "us-japan"};
    casus_date_parse("2024-05-20", 10, &inc.date);
    CHECK_INT(casus_check(e, &inc, r), CASUS_OK);
    casus_buf b = CASUS_BUF_INIT;
    CHECK_INT(casus_result_write_text(r, &b), CASUS_OK);
    CHECK(strstr(b.data, "japan_administered: yes [read: administered-by = JPN]") != NULL);
    CHECK(strstr(b.data, "administered-by line data/world.casus:") != NULL);
    CHECK(strstr(b.data, "— hinges on: ") != NULL);
    casus_buf_release(&b);
    casus_date_parse("1971-07-01", 10, &inc.date);
    CHECK_INT(casus_check(e, &inc, r), CASUS_OK);
    casus_verdict_info v;
    CHECK_INT(casus_result_verdict(r, 0, &v), CASUS_OK);
    CHECK_INT(v.covered, CASUS_COVERED_NO);
    casus_result_free(r);
    casus_engine_free(e);
}

/* A record of one's own: a unit, its lines, a clause that reads them. */
static void test_own_record(void)
{
    static const char text[] = "source s { title \"t\" }\n"
                               "sovereignty GIB \"Gibraltar, as a test reads it\" {\n"
                               "  sovereign GBR\n"
                               "  administered-by ESP from 2030-01-01 cite s\n"
                               "  claimed-by ESP until 2030-01-01 cite s\n"
                               "  claimed-by MAR from 2031-01-01 cite s\n"
                               "}\n";
    casus_status st;
    casus_engine *e = harness_engine(true, text, &st);
    CHECK_INT(st, CASUS_ECOMPILE); /* GIB is shipped: declared twice */
    casus_engine_free(e);
    static const char own[] = "source s { title \"t\" }\n"
                              "sovereignty Palma \"Palma, as a test reads it\" {\n"
                              "  sovereign ESP\n"
                              "  administered-by GBR from 2030-01-01 cite s\n"
                              "  claimed-by GBR from 2029-01-01 cite s\n"
                              "  claimed-by MAR from 2031-01-01 cite s\n"
                              "}\n";
    e = engine(own);
    casus_location l = where(e, "Palma", "2029-06-01");
    CHECK(!l.administered_by);
    STR_OR_NULL(l.claimed_by, "GBR");
    l = where(e, "Palma", "2031-06-01");
    STR_OR_NULL(l.administered_by, "GBR");
    STR_OR_NULL(l.claimed_by, "GBR,MAR");
    STR_OR_NULL(l.de_facto, "GBR");
    casus_engine_free(e);
}

/* "Hamilton": the one on the victim's territory, or refused. */
static void test_ambiguous_place(void)
{
    casus_engine *e = engine(NULL);
    casus_result *r = NULL;
    CHECK_INT(casus_result_new(e, &r), CASUS_OK);
    casus_incident inc = {.victim = "NZL", .object = "territory", .place = "Hamilton"};
    casus_date_parse("2024-05-20", 10, &inc.date);
    CHECK_INT(casus_check(e, &inc, r), CASUS_OK);
    CHECK_STREQ(casus_result_location(r)->place, "Hamilton (New Zealand)");
    inc.victim = "GBR";
    CHECK_INT(casus_check(e, &inc, r), CASUS_ENOTFOUND);
    CHECK_STREQ(casus_result_error_info(r)->code, "ambiguous-place");
    CHECK(strstr(casus_result_error(r), "Hamilton (Scotland) [GBR]") != NULL);
    inc.place = "Hamilton (Scotland)";
    CHECK_INT(casus_check(e, &inc, r), CASUS_OK);
    casus_result_free(r);
    casus_engine_free(e);
}

int main(void)
{
    RUN(test_by_date);
    RUN(test_trace_names_the_line);
    RUN(test_own_record);
    RUN(test_ambiguous_place);
    return harness_done("holding");
}
