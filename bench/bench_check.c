/*
 * bench_check.c — throughput of `casus check` evaluations on one core.
 *
 * Targets (issue 2): at least 1,000,000 incident evaluations per second for
 * place-name incidents, and 100,000 per second for coordinate incidents
 * (point-in-polygon with the spatial index).  Each figure is printed with
 * its ratio to the target, and the place-name path with its ratio to a
 * baseline measured in the same process: the same places given as
 * coordinates, i.e. without the gazetteer's precomputed location.
 *
 * Usage: bench_check [seconds-per-measurement]   (default 1.0)
 */
#include "casus/casus.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

struct inc {
    const char *victim, *object, *place;
    const char *date;
};

/* The coverage cases' mix: territory, forces and vessels; many treaties. */
static const struct inc mix[] = {
    {"GBR", "forces", "Yavoriv", "2024-05-20"},
    {"USA", "territory", "Honolulu", "2024-05-20"},
    {"GBR", "territory", "Stanley", "1982-04-02"},
    {"ESP", "territory", "Las Palmas", "2024-05-20"},
    {"ESP", "territory", "Ceuta", "2024-05-20"},
    {"FRA", "territory", "Cayenne", "2024-05-20"},
    {"DNK", "territory", "Nuuk", "2024-05-20"},
    {"USA", "territory", "New York", "2001-09-11"},
    {"TUR", "territory", "Incirlik", "2024-05-20"},
    {"FRA", "territory", "Algiers", "1960-01-01"},
    {"SWE", "territory", "Visby", "2024-01-15"},
    {"FIN", "territory", "Helsinki", "2023-05-01"},
    {"EST", "territory", "Narva", "2024-05-20"},
    {"USA", "territory", "Hagåtña", "2024-05-20"},
    {"USA", "forces", "Rzeszów", "2024-05-20"},
    {"DEU", "territory", "Frankfurt", "1980-01-01"},
};
#define NMIX (sizeof mix / sizeof mix[0])

int main(int argc, char **argv)
{
    double secs = argc > 1 ? atof(argv[1]) : 1.0;
    casus_engine *e = NULL;
    if (casus_engine_new(&e, NULL, NULL) != CASUS_OK || casus_engine_load_builtin(e) != CASUS_OK) {
        fprintf(stderr, "bench_check: cannot load the engine\n");
        return 1;
    }
    casus_result *r = NULL;
    casus_result_new(e, &r);
    casus_incident inc[NMIX], pts[NMIX];
    for (size_t i = 0; i < NMIX; i++) {
        memset(&inc[i], 0, sizeof inc[i]);
        inc[i].attacker = "RUS";
        inc[i].victim = mix[i].victim;
        inc[i].object = mix[i].object;
        inc[i].place = mix[i].place;
        casus_date_parse(mix[i].date, 10, &inc[i].date);
        casus_location loc;
        casus_where_place(e, mix[i].place, inc[i].date, &loc, NULL);
        pts[i] = inc[i];
        pts[i].place = NULL;
        pts[i].has_point = true;
        pts[i].lat = loc.lat;
        pts[i].lon = loc.lon;
    }

    /* 1. place-name incidents */
    long n = 0, verdicts = 0;
    double t0 = now(), t;
    do {
        for (int k = 0; k < 1000; k++, n++) {
            if (casus_check(e, &inc[n % NMIX], r) != CASUS_OK)
                return fprintf(stderr, "check failed: %s\n", casus_result_error(r)), 1;
            verdicts += (long)casus_result_count(r);
        }
    } while ((t = now() - t0) < secs);
    double place_rate = n / t;
    long n_place = n;

    /* 2. baseline: the same incidents as coordinates */
    n = 0;
    t0 = now();
    do {
        for (int k = 0; k < 100; k++, n++)
            if (casus_check(e, &pts[n % NMIX], r) != CASUS_OK)
                return fprintf(stderr, "check failed: %s\n", casus_result_error(r)), 1;
    } while ((t = now() - t0) < secs);
    double same_pts_rate = n / t;

    /* 3. coordinate incidents: random points over the Euro-Atlantic area
     * (15°N–75°N, 80°W–45°E), fixed seed. */
    enum { NPTS = 4096 };
    static casus_incident rnd[NPTS];
    unsigned long long s = 0x9E3779B97F4A7C15ull;
    for (int i = 0; i < NPTS; i++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        double u = (double)(s >> 11) / 9007199254740992.0;
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        double v = (double)(s >> 11) / 9007199254740992.0;
        memset(&rnd[i], 0, sizeof rnd[i]);
        rnd[i].attacker = "RUS";
        rnd[i].victim = "USA";
        rnd[i].object = i % 2 ? "vessel" : "forces";
        rnd[i].has_point = true;
        rnd[i].lat = 15 + 60 * u;
        rnd[i].lon = -80 + 125 * v;
        rnd[i].date = 19863;
    }
    n = 0;
    t0 = now();
    do {
        for (int k = 0; k < 100; k++, n++)
            if (casus_check(e, &rnd[n % NPTS], r) != CASUS_OK)
                return fprintf(stderr, "check failed: %s\n", casus_result_error(r)), 1;
    } while ((t = now() - t0) < secs);
    double point_rate = n / t;

    printf("place-name incidents:  %12.0f /s   (target 1,000,000/s: x%.2f; %.2f verdicts each)\n",
           place_rate, place_rate / 1e6, (double)verdicts / (double)n_place);
    printf("  baseline, same incidents as coordinates: %10.0f /s   (place names x%.1f faster)\n",
           same_pts_rate, place_rate / same_pts_rate);
    printf("coordinate incidents:  %12.0f /s   (target 100,000/s: x%.2f)\n", point_rate,
           point_rate / 1e5);
    casus_result_free(r);
    casus_engine_free(e);
    return 0;
}
