/*
 * test_verdict.c — treaty verdicts through the public API: the project's own
 * coverage cases (membership dates, the Algeria and occupation clauses, every
 * encoded treaty), the JSON contract, bad input, thread safety of a shared
 * engine, and out-of-memory injection (fail the Nth allocation until the
 * whole load-and-check succeeds; every failure must be clean and leak-free).
 */
#include "harness.h"

#include "casus/casus.h"

#include <pthread.h>

static casus_engine *engine(void)
{
    casus_status st = CASUS_ENOMEM;
    casus_engine *e = harness_engine(true, NULL, &st);
    CHECK_INT(st, CASUS_OK);
    return e;
}

static casus_date day(const char *s)
{
    casus_date d = 0;
    casus_date_parse(s, strlen(s), &d);
    return d;
}

struct want {
    const char *attacker, *victim, *object, *place;
    double lat, lon;
    const char *date, *treaty, *article;
    const char *covered; /* yes / no / contested */
    const char *reason;  /* a reason code that must be present, or NULL */
};

static void expect(casus_engine *e, casus_result *r, const struct want *w)
{
    casus_incident inc;
    memset(&inc, 0, sizeof inc);
    inc.attacker = w->attacker;
    inc.victim = w->victim;
    inc.object = w->object;
    inc.place = w->place;
    inc.has_point = w->place == NULL;
    inc.lat = w->lat;
    inc.lon = w->lon;
    inc.date = day(w->date);
    inc.treaty = w->treaty;
    casus_status st = casus_check(e, &inc, r);
    if (st != CASUS_OK) {
        printf("  %s %s %s: %s\n", w->victim, w->place ? w->place : "point", w->date,
               casus_result_error(r));
        harness_cur_failed++;
        return;
    }
    for (size_t i = 0; i < casus_result_count(r); i++) {
        casus_verdict_info v;
        CHECK_INT(casus_result_verdict(r, i, &v), CASUS_OK);
        if (strcmp(v.treaty, w->treaty) || strcmp(v.article, w->article))
            continue;
        const char *got = v.covered == CASUS_COVERED_YES         ? "yes"
                          : v.covered == CASUS_COVERED_CONTESTED ? "contested"
                                                                 : "no";
        bool reason_ok = w->reason == NULL;
        for (size_t k = 0; k < v.nreasons; k++)
            reason_ok |= w->reason && strcmp(casus_result_reason(r, i, k), w->reason) == 0;
        if (strcmp(got, w->covered) != 0 || !reason_ok) {
            printf("  %s/%s %s at %s on %s: covered=%s (want %s), reasons:", w->treaty, w->article,
                   w->victim, w->place ? w->place : "point", w->date, got, w->covered);
            for (size_t k = 0; k < v.nreasons; k++)
                printf(" %s", casus_result_reason(r, i, k));
            printf(" (want %s)\n", w->reason ? w->reason : "-");
            harness_cur_failed++;
        }
        return;
    }
    printf("  no verdict for %s art. %s (%s at %s)\n", w->treaty, w->article, w->victim,
           w->place ? w->place : "point");
    harness_cur_failed++;
}

static const struct want cases[] = {
    /* membership dates */
    {"RUS", "FIN", "territory", "Helsinki", 0, 0, "2023-04-03", "north-atlantic", "5", "no",
     "not_party_on_date"},
    {"RUS", "FIN", "territory", "Helsinki", 0, 0, "2023-04-04", "north-atlantic", "5", "yes",
     "territory_in_europe"},
    {"RUS", "SWE", "territory", "Visby", 0, 0, "2024-03-06", "north-atlantic", "5", "no",
     "not_party_on_date"},
    {"RUS", "SWE", "territory", "Visby", 0, 0, "2024-03-07", "north-atlantic", "5", "yes",
     "territory_in_europe"},
    {"SUN", "GRC", "territory", "Athens", 0, 0, "1952-02-17", "north-atlantic", "5", "no",
     "not_party_on_date"},
    {"SUN", "GRC", "territory", "Athens", 0, 0, "1952-02-18", "north-atlantic", "5", "yes",
     "territory_in_europe"},
    {"SUN", "TUR", "territory", "Ankara", 0, 0, "1952-02-18", "north-atlantic", "5", "yes",
     "territory_of_turkey"},
    {"SUN", "TUR", "territory", "Ankara", 0, 0, "1951-12-01", "north-atlantic", "5", "no",
     "not_party_on_date"},
    {"MAR", "ESP", "territory", "Rota", 0, 0, "1982-05-29", "north-atlantic", "5", "no",
     "not_party_on_date"},
    {"MAR", "ESP", "territory", "Rota", 0, 0, "1982-05-30", "north-atlantic", "5", "yes",
     "territory_in_europe"},
    {"SRB", "MNE", "territory", "Podgorica", 0, 0, "2017-06-04", "north-atlantic", "5", "no",
     "not_party_on_date"},
    {"SRB", "MNE", "territory", "Podgorica", 0, 0, "2017-06-05", "north-atlantic", "5", "yes",
     "territory_in_europe"},
    {"unknown", "USA", "territory", "New York", 0, 0, "1949-06-01", "north-atlantic", "5", "no",
     "treaty_not_yet_in_force"},
    /* the Algeria clause */
    {"unknown", "FRA", "territory", "Algiers", 0, 0, "1962-07-02", "north-atlantic", "5", "yes",
     "algerian_departments"},
    {"unknown", "FRA", "territory", "Algiers", 0, 0, "1962-07-03", "north-atlantic", "5", "no",
     "outside_art6_area"},
    /* occupation areas of 1949: forces in Vienna, Berlin, Trieste */
    {"SUN", "USA", "forces", "Vienna", 0, 0, "1950-01-01", "north-atlantic", "5", "yes",
     "occupation_forces_1949"},
    {"SUN", "GBR", "forces", "Trieste", 0, 0, "1953-01-01", "north-atlantic", "5", "yes",
     "occupation_area_1949"},
    {"SUN", "USA", "forces", "Berlin", 0, 0, "1961-08-13", "north-atlantic", "5", "yes",
     "occupation_area_1949"},
    /* forces: on Party territory, at sea, outside */
    {"RUS", "USA", "forces", "Rzeszów", 0, 0, "2024-05-20", "north-atlantic", "5", "yes",
     "forces_on_treaty_territory"},
    {"RUS", "GBR", "forces", "Yavoriv", 0, 0, "2024-05-20", "north-atlantic", "5", "no",
     "outside_art6_area"},
    {"RUS", "USA", "vessel", NULL, 56.0, 3.0, "2024-05-20", "north-atlantic", "5", "yes",
     "north_atlantic_forces"},
    {"RUS", "USA", "vessel", NULL, 15.0, -40.0, "2024-05-20", "north-atlantic", "5", "no",
     "outside_art6_area"},
    {"RUS", "ITA", "vessel", NULL, 40.0, 12.0, "2024-05-20", "north-atlantic", "5", "yes",
     "mediterranean_forces"},
    {"RUS", "USA", "aircraft", NULL, 43.0, 34.0, "2024-05-20", "north-atlantic", "5", "no",
     "outside_art6_area"},
    /* 1949 text: vessels in the North Atlantic area, not the Mediterranean */
    {"SUN", "USA", "vessel", NULL, 40.0, 12.0, "1950-01-01", "north-atlantic", "5", "no",
     "outside_art6_area"},
    {"SUN", "USA", "vessel", NULL, 56.0, 3.0, "1950-01-01", "north-atlantic", "5", "yes",
     "north_atlantic_vessels_1949"},
    /* islands and overseas territory */
    {"RUS", "USA", "territory", "Honolulu", 0, 0, "2024-05-20", "north-atlantic", "5", "no",
     "outside_art6_area"},
    {"RUS", "USA", "territory", "San Juan", 0, 0, "2024-05-20", "north-atlantic", "5", "no",
     "outside_art6_area"},
    {"RUS", "GBR", "territory", "Hamilton (Bermuda)", 0, 0, "2024-05-20", "north-atlantic", "5",
     "yes", "island_north_atlantic"},
    {"RUS", "PRT", "territory", "Ponta Delgada", 0, 0, "2024-05-20", "north-atlantic", "5", "yes",
     "island_north_atlantic"},
    {"RUS", "PRT", "territory", "Funchal", 0, 0, "2024-05-20", "north-atlantic", "5", "yes",
     "island_north_atlantic"},
    {"RUS", "NOR", "territory", "Longyearbyen", 0, 0, "2024-05-20", "north-atlantic", "5", "yes",
     NULL},
    {"ARG", "GBR", "territory", "Stanley", 0, 0, "1982-04-02", "north-atlantic", "5", "no",
     "outside_art6_area"},
    {"MAR", "ESP", "territory", "Melilla", 0, 0, "2024-05-20", "north-atlantic", "5", "contested",
     "legal_dispute"},
    {"RUS", "USA", "territory", "Anchorage", 0, 0, "2024-05-20", "north-atlantic", "5", "yes",
     "territory_in_north_america"},
    /* the Brussels Treaty: automatic, Europe, 1948-2011 */
    {"SUN", "DEU", "territory", "Frankfurt", 0, 0, "1980-01-01", "brussels", "V", "yes",
     "attack_in_europe"},
    {"RUS", "GBR", "forces", "Yavoriv", 0, 0, "2010-01-01", "brussels", "V", "yes",
     "attack_in_europe"},
    {"RUS", "GBR", "forces", "Yavoriv", 0, 0, "2024-05-20", "brussels", "V", "no",
     "treaty_not_in_force"},
    /* TEU 42(7): territory, overseas included; not forces */
    {"unknown", "FRA", "territory", "Paris", 0, 0, "2015-11-13", "teu", "42(7)", "yes",
     "member_territory"},
    {"unknown", "FRA", "territory", "Cayenne", 0, 0, "2024-05-20", "teu", "42(7)", "yes",
     "member_territory"},
    {"unknown", "FRA", "territory", "Paris", 0, 0, "2008-01-01", "teu", "42(7)", "no",
     "treaty_not_yet_in_force"},
    {"RUS", "GBR", "territory", "London", 0, 0, "2024-05-20", "teu", "42(7)", "no",
     "not_party_on_date"},
    /* ANZUS, US-Japan, US-ROK, CSTO, Rio */
    {"unknown", "USA", "territory", "New York", 0, 0, "2001-09-11", "anzus", "IV", "yes",
     "metropolitan_territory"},
    {"PRK", "USA", "territory", "Hagåtña", 0, 0, "2024-05-20", "anzus", "IV", "yes",
     "pacific_island_territory"},
    {"CHN", "JPN", "territory", "Tokyo", 0, 0, "2024-05-20", "us-japan", "V", "yes",
     "japan_administered"},
    {"CHN", "USA", "forces", "Naha", 0, 0, "2024-05-20", "us-japan", "V", "yes",
     "japan_administered"},
    {"CHN", "USA", "territory", "Honolulu", 0, 0, "2024-05-20", "us-japan", "V", "no",
     "outside_japan"},
    {"PRK", "KOR", "territory", "Seoul", 0, 0, "2024-05-20", "us-rok", "III", "yes", "korea"},
    {"unknown", "KAZ", "territory", "Almaty", 0, 0, "2022-01-05", "csto", "4", "yes",
     "member_territory"},
    {"unknown", "UZB", "territory", NULL, 41.3, 69.27, "2010-01-01", "csto", "4", "yes",
     "member_territory"},
    {"unknown", "UZB", "territory", NULL, 41.3, 69.27, "2013-01-01", "csto", "4", "no",
     "not_party_on_date"},
    {"GBR", "ARG", "territory", "Buenos Aires", 0, 0, "1982-04-30", "rio", "3", "yes",
     "american_territory"},
    {"unknown", "MEX", "territory", NULL, 19.43, -99.13, "2010-01-01", "rio", "3", "no",
     "not_party_on_date"},
};

static void test_cases(void)
{
    casus_engine *e = engine();
    casus_result *r = NULL;
    CHECK_INT(casus_result_new(e, &r), CASUS_OK);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect(e, r, &cases[i]);
    casus_result_free(r);
    casus_engine_free(e);
}

static void test_json_contract(void)
{
    casus_engine *e = engine();
    casus_result *r = NULL;
    CHECK_INT(casus_result_new(e, &r), CASUS_OK);
    casus_incident inc = {"RUS", "GBR", "forces", "Yavoriv",        0,
                          0,     false, 19863,    "north-atlantic", "likely"};
    CHECK_INT(casus_check(e, &inc, r), CASUS_OK);
    casus_buf b = CASUS_BUF_INIT;
    CHECK_INT(casus_result_write_json(r, &b), CASUS_OK);
    const char *need[] = {"\"verdicts\":[",
                          "\"treaty\":\"north-atlantic\"",
                          "\"article\":\"5\"",
                          "\"covered\":\"no\"",
                          "\"automatic\":false",
                          "\"decided_by\":",
                          "\"trace\":[",
                          "\"reasons\":[\"outside_art6_area\"]",
                          "\"sovereign\":\"UKR\"",
                          "\"near_boundary\":",
                          "\"attribution\":\"likely\""};
    for (size_t i = 0; i < sizeof need / sizeof need[0]; i++)
        if (!b.data || !strstr(b.data, need[i])) {
            printf("  JSON lacks %s\n", need[i]);
            harness_cur_failed++;
        }
    casus_buf_release(&b);
    /* the trace cites articles and is not empty */
    casus_verdict_info v;
    CHECK_INT(casus_result_verdict(r, 1, &v), CASUS_OK);
    CHECK(v.ntrace >= 5);
    bool cites6 = false;
    for (size_t k = 0; k < v.ntrace; k++)
        cites6 |= strstr(casus_result_trace(r, 1, k), "[Art. 6]") != NULL;
    CHECK(cites6);
    casus_result_free(r);
    casus_engine_free(e);
}

static void test_bad_input(void)
{
    casus_engine *e = engine();
    casus_result *r = NULL;
    CHECK_INT(casus_result_new(e, &r), CASUS_OK);
    casus_incident inc = {"RUS", "USA", "territory", "Kyev", 0, 0, false, 19863, NULL, NULL};
    CHECK_INT(casus_check(e, &inc, r), CASUS_ENOTFOUND);
    CHECK(strstr(casus_result_error(r), "did you mean 'Kyiv'?") != NULL);
    inc.place = NULL;
    inc.has_point = true;
    inc.lat = 91;
    CHECK_INT(casus_check(e, &inc, r), CASUS_EINVAL);
    inc.lat = 0.0 / 0.0;
    CHECK_INT(casus_check(e, &inc, r), CASUS_EINVAL);
    inc.lat = 50;
    inc.object = "embassy";
    CHECK_INT(casus_check(e, &inc, r), CASUS_ENOTFOUND);
    inc.object = "territory";
    inc.victim = "USSA";
    CHECK_INT(casus_check(e, &inc, r), CASUS_ENOTFOUND);
    CHECK(strstr(casus_result_error(r), "'USA'") != NULL);
    inc.victim = "USA";
    inc.treaty = "nato";
    CHECK_INT(casus_check(e, &inc, r), CASUS_ENOTFOUND);
    inc.treaty = NULL;
    inc.attribution = "sure";
    CHECK_INT(casus_check(e, &inc, r), CASUS_EINVAL);
    casus_result_free(r);
    casus_engine_free(e);
}

struct thread_arg {
    casus_engine *e;
    int ok;
};

static void *worker(void *p)
{
    struct thread_arg *a = p;
    casus_result *r = NULL;
    if (casus_result_new(a->e, &r) != CASUS_OK)
        return NULL;
    for (int i = 0; i < 2000; i++) {
        casus_incident inc = {
            "RUS", i % 2 ? "SWE" : "FIN", "territory", i % 2 ? "Visby" : "Helsinki", 0, 0, false,
            19863, "north-atlantic",      NULL};
        if (casus_check(a->e, &inc, r) == CASUS_OK && casus_result_count(r) == 2)
            a->ok++;
    }
    casus_result_free(r);
    return NULL;
}

static void test_threads_share_engine(void)
{
    casus_engine *e = engine();
    pthread_t t[4];
    struct thread_arg args[4];
    for (int i = 0; i < 4; i++) {
        args[i].e = e;
        args[i].ok = 0;
        pthread_create(&t[i], NULL, worker, &args[i]);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        CHECK_INT(args[i].ok, 2000);
    }
    casus_engine_free(e);
}

/* ---- out-of-memory injection ---- */

struct failing {
    long countdown; /* allocations left before failing; <0 never fails */
    long live;      /* blocks outstanding */
};

static void *failing_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    struct failing *f = ud;
    (void)osize;
    if (nsize == 0) {
        if (ptr)
            f->live--;
        free(ptr);
        return NULL;
    }
    if (f->countdown == 0)
        return NULL;
    if (f->countdown > 0)
        f->countdown--;
    void *p = realloc(ptr, nsize);
    if (p && !ptr)
        f->live++;
    return p;
}

static void test_out_of_memory(void)
{
    long n;
    /* every one of the first 300 allocations, then every ~6 % further */
    for (n = 0; n < 100000; n = n < 300 ? n + 1 : n + n / 16) {
        struct failing f = {n, 0};
        casus_engine *e = NULL;
        casus_status st = casus_engine_new(&e, failing_alloc, &f);
        if (st == CASUS_OK) {
            st = casus_engine_load_builtin(e);
            if (st == CASUS_OK) {
                casus_result *r = NULL;
                st = casus_result_new(e, &r);
                if (st == CASUS_OK) {
                    casus_incident inc = {"RUS", "GBR", "forces", "Yavoriv", 0,
                                          0,     false, 19863,    NULL,      NULL};
                    st = casus_check(e, &inc, r);
                    if (st == CASUS_OK) {
                        casus_buf b = CASUS_BUF_INIT;
                        st = casus_result_write_text(r, &b);
                        casus_buf_release(&b);
                    }
                    casus_result_free(r);
                }
            }
            casus_engine_free(e);
        }
        if (f.live != 0) {
            printf("  leak of %ld blocks when allocation %ld fails\n", f.live, n);
            harness_cur_failed++;
            return;
        }
        if (st == CASUS_OK)
            break;
        if (st != CASUS_ENOMEM) {
            printf("  allocation %ld failing gave status %d, not CASUS_ENOMEM\n", n, (int)st);
            harness_cur_failed++;
            return;
        }
    }
    CHECK(n > 10 && n < 100000);
}

int main(void)
{
    RUN(test_cases);
    RUN(test_json_contract);
    RUN(test_bad_input);
    RUN(test_threads_share_engine);
    RUN(test_out_of_memory);
    return harness_done("verdict");
}
