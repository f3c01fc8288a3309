/*
 * test_zone.c — treaty zones drawn by coordinates (casus_zone_contains,
 * src/treaty/verdict.c; checked by src/lang/check_zone.c): a hand-made ring
 * across the antimeridian with answers worked out by hand; then the Rio
 * Treaty's Art. 4 region as shipped, probed just inside and just outside the
 * midpoint of every edge (the ring runs clockwise in the Mercator plane, so
 * its inside is on the right of each edge); then the published boundary
 * points themselves, and a user's zone through the language.
 */
#include "harness.h"

#include "model/engine.h"

#include <math.h>

static double merc(double lat)
{
    return log(tan(3.14159265358979323846 / 4 + lat * 3.14159265358979323846 / 360));
}

static double unmerc(double y)
{
    return (2 * atan(exp(y)) - 3.14159265358979323846 / 2) * 180 / 3.14159265358979323846;
}

/* A square from 170 E to 170 W, 10 S to 10 N: unwrapped by the checker to
 * 170 .. 190. */
static void test_antimeridian(void)
{
    static const double lat[] = {10, 10, -10, -10}, lon[] = {170, 190, 190, 170};
    struct casus_mzone z = {.lat = lat, .lon = lon, .n = 4, .lon_lo = 170, .lon_hi = 190};
    CHECK(casus_zone_contains(&z, 0, 180));
    CHECK(casus_zone_contains(&z, 0, -180));
    CHECK(casus_zone_contains(&z, 0, -171));
    CHECK(casus_zone_contains(&z, 5, 171));
    CHECK(!casus_zone_contains(&z, 0, 169));
    CHECK(!casus_zone_contains(&z, 0, -169));
    CHECK(!casus_zone_contains(&z, 11, 175));
    CHECK(!casus_zone_contains(&z, -11, -175));
    CHECK(!casus_zone_contains(&z, 0, 0));
}

static const struct casus_mzone *rio_zone(const casus_engine *e)
{
    for (uint32_t t = 0; t < e->ntreaties; t++)
        if (strcmp(e->treaties[t]->id, "rio") == 0 && e->treaties[t]->nzones == 1)
            return &e->treaties[t]->zones[0];
    return NULL;
}

/* Every edge of the shipped Art. 4 ring, probed 0.05 degrees either side
 * of its midpoint (edges along a pole are the pole itself: skipped). */
static void test_rio_edges(void)
{
    casus_status st;
    casus_engine *e = harness_engine(true, NULL, &st);
    const struct casus_mzone *z = e ? rio_zone(e) : NULL;
    CHECK(z != NULL);
    if (!z) {
        casus_engine_free(e);
        return;
    }
    CHECK_INT(z->n, 15);
    int probed = 0;
    for (uint32_t i = 0; i < z->n; i++) {
        uint32_t j = (i + 1) % z->n;
        if (fabs(z->lat[i]) == 90 && z->lat[i] == z->lat[j])
            continue;
        double la = fmax(fmin(z->lat[i], 89.9), -89.9), lb = fmax(fmin(z->lat[j], 89.9), -89.9);
        double x0 = z->lon[i], y0 = merc(la), x1 = z->lon[j], y1 = merc(lb);
        double dx = x1 - x0, dy = (y1 - y0) * 180 / 3.14159265358979323846;
        double len = sqrt(dx * dx + dy * dy), mx = (x0 + x1) / 2, my = (y0 + y1) / 2;
        for (int side = -1; side <= 1; side += 2) {
            /* the right of (dx, dy) is (dy, -dx): inside for a clockwise ring */
            double px = mx + side * 0.05 * dy / len;
            double py = my - side * 0.05 * dx / len * 3.14159265358979323846 / 180;
            double lon = fmod(px + 540, 360) - 180, lat = unmerc(py);
            bool in = casus_zone_contains(z, lat, lon);
            if (in != (side == 1))
                printf("  edge %u: %.4f, %.4f read as %s\n", i, lat, lon, in ? "in" : "out");
            CHECK(in == (side == 1));
        }
        probed++;
    }
    CHECK_INT(probed, 13);
    casus_engine_free(e);
}

/* Places on either side, from the boundary's own coordinates. */
static void test_rio_places(void)
{
    casus_status st;
    casus_engine *e = harness_engine(true, NULL, &st);
    const struct casus_mzone *z = e ? rio_zone(e) : NULL;
    if (!z) {
        casus_engine_free(e);
        CHECK(0);
        return;
    }
    CHECK(casus_zone_contains(z, 64.18, -51.72));        /* Nuuk */
    CHECK(!casus_zone_contains(z, 64.15, -21.94));       /* Reykjavik */
    CHECK(casus_zone_contains(z, 32.3, -64.8));          /* Bermuda */
    CHECK(casus_zone_contains(z, -51.69, -57.86));       /* Stanley */
    CHECK(!casus_zone_contains(z, 21.31, -157.86));      /* Honolulu */
    CHECK(casus_zone_contains(z, 52.9, 172.9));          /* Attu, west of 180 */
    CHECK(!casus_zone_contains(z, 53.0, 158.6));         /* Petropavlovsk */
    CHECK(casus_zone_contains(z, -89.5, -50));           /* towards the South Pole */
    CHECK(!casus_zone_contains(z, -89.5, 50));           /*  ... on the other side */
    CHECK(casus_zone_contains(z, 89.5, -100));           /* near the North Pole */
    CHECK(!casus_zone_contains(z, 89.5, 100));           /*  ... on the other side */
    CHECK_INT((int)round(z->lon[13] * 1e6), -168968056); /* 168 58' 05" W */
    casus_engine_free(e);
}

/* A user's zone, used in a scope through within(). */
static void test_zone_in_a_treaty(void)
{
    static const char text[] =
        "source s { title \"t\" }\n"
        "treaty box \"Box\" { signed 2000-01-01 cite s parties { USA from 2000-01-01 }\n"
        "  zone pac \"across the dateline\" { polygon [(10, 170), (10, -170), (-10, -170),\n"
        "    (-10, 170)] cite s }\n"
        "  clause c { article \"1\" trigger armed-attack scope sc obligation automatic quote "
        "\"q\" }\n"
        "  scope sc { covered in_box when within(pac) otherwise out } }\n";
    casus_status st;
    casus_engine *e = harness_engine(true, text, &st);
    CHECK_INT(st, CASUS_OK);
    casus_result *r = NULL;
    CHECK_INT(casus_result_new(e, &r), CASUS_OK);
    const double lons[] = {179.5, -179.5, 160};
    const char *want[] = {"in_box", "in_box", "out"};
    for (int k = 0; k < 3; k++) {
        casus_incident inc = {.victim = "USA",
                              .object = "vessel",
                              .lat = 0,
                              .lon = lons[k],
                              .has_point = true,
                              .treaty = "box"};
        casus_date_parse("2024-01-01", 10, &inc.date);
        CHECK_INT(casus_check(e, &inc, r), CASUS_OK);
        CHECK_STREQ(casus_result_reason(r, 0, 0), want[k]);
    }
    casus_result_free(r);
    casus_engine_free(e);
}

int main(void)
{
    RUN(test_antimeridian);
    RUN(test_rio_edges);
    RUN(test_rio_places);
    RUN(test_zone_in_a_treaty);
    return harness_done("zone");
}
