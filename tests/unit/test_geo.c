/*
 * test_geo.c — the geography layer (src/geo/geo.c) against known answers: the
 * 39 verified test points of the Natural Earth README, the resolution rules
 * (Ceuta, Canaries, Hawaii, Gibraltar, Akrotiri), sea basins, every place
 * of data/gazetteer.csv against the polygons, argument checks, and blob
 * corruption (truncation at every length up to a bound, flipped bytes),
 * which must give CASUS_EINVAL and never crash.  The maritime layer:
 * territorial sea by state and date, the median line, internal waters,
 * NE minor islands, dated administration and claims, contested continent
 * (each known answer cites its source), on the shipped blob and on the
 * small blob tools/mkgeoseeds.py writes; the grid index against the direct
 * scan, and the lazy index build.
 */
#include "harness.h"

#include "base/diag.h"
#include "geo/gazetteer.h"
#include "geo/geo.h"
#include "geo/geo_priv.h"

#include <pthread.h>

static struct casus_alloc test_alloc = {casus_default_alloc, NULL};

static struct casus_geo *open_geo(void)
{
    size_t len;
    const void *blob = casus_geo_blob(&len);
    struct casus_geo *g = NULL;
    if (casus_geo_open(&g, &test_alloc, blob, len) != CASUS_OK)
        return NULL;
    return g;
}

static struct casus_geo *G;

struct known {
    const char *what;
    double lat, lon;
    const char *sov; /* NULL: at sea */
    const char *sea; /* NULL: don't check */
};

/* NE README "Test points (verified)", 10m verdicts; Narva (row 5) is the
 * documented exception and is checked separately. */
static const struct known readme_points[] = {
    {"Kyiv", 50.4501, 30.5234, "UKR", NULL},
    {"Lviv", 49.8397, 24.0297, "UKR", NULL},
    {"Yavoriv", 49.9386, 23.3836, "UKR", NULL},
    {"Rzeszow", 50.0412, 21.9991, "POL", NULL},
    {"Tallinn", 59.4370, 24.7536, "EST", NULL},
    {"Kaliningrad", 54.7104, 20.4522, "RUS", NULL},
    {"Honolulu", 21.3069, -157.8583, "USA", NULL},
    {"Anchorage", 61.2181, -149.9003, "USA", NULL},
    {"Nuuk", 64.1835, -51.7216, "DNK", "Davis Strait"},
    {"Torshavn", 62.0107, -6.7741, "DNK", NULL},
    {"Longyearbyen", 78.2232, 15.6267, "NOR", NULL},
    {"Las Palmas", 28.1235, -15.4363, "ESP", NULL},
    {"Ceuta", 35.8894, -5.3213, "ESP", NULL},
    {"Melilla", 35.2923, -2.9381, "ESP", NULL},
    {"Ponta Delgada", 37.7394, -25.6687, "PRT", "North Atlantic Ocean"},
    {"Funchal", 32.6669, -16.9241, "PRT", NULL},
    {"Hamilton", 32.2930, -64.7820, "GBR", NULL},
    {"San Juan", 18.4655, -66.1057, "USA", NULL},
    {"Cayenne", 4.9333, -52.3300, "FRA", NULL},
    {"Hagatna", 13.4757, 144.7489, "USA", NULL},
    {"Stanley", -51.6934, -57.8570, "GBR", NULL},
    {"Akrotiri", 34.5904, 32.9879, "GBR", NULL},
    {"Incirlik", 37.0021, 35.4259, "TUR", NULL},
    {"Istanbul", 41.0082, 28.9784, "TUR", NULL},
    {"Sevastopol", 44.6166, 33.5254, "RUS", NULL},
    {"Central Med", 35.0, 18.0, NULL, "Mediterranean Sea"},
    {"Black Sea", 43.0, 34.0, NULL, "Black Sea"},
    {"Baltic", 56.0, 19.0, NULL, "Baltic Sea"},
    {"North Atlantic", 40.0, -40.0, NULL, "North Atlantic Ocean"},
    {"Atlantic south of Tropic", 15.0, -40.0, NULL, "North Atlantic Ocean"},
    /* Internal waters (data/geo/waters.csv): the state of the nearest coast,
     * Crimea's (NE: Russia de facto). */
    {"Sea of Azov", 46.0, 36.5, "RUS", "Sea of Azov"},
    {"North Sea", 56.0, 3.0, NULL, "North Sea"},
    {"Norwegian Sea", 67.0, 5.0, NULL, "Norwegian Sea"},
    {"Caribbean", 15.0, -75.0, NULL, "Caribbean Sea"},
    {"Tyrrhenian", 40.0, 12.0, NULL, "Tyrrhenian Sea"},
    {"Alboran", 36.0, -3.5, NULL, "Alboran Sea"},
    {"Gibraltar", 36.1350, -5.3500, "GBR", NULL},
    {"Dhekelia", 35.0930, 33.8870, "GBR", NULL},
};

static void test_open(void)
{
    CHECK(G != NULL);
}

static void test_readme_points(void)
{
    if (!G)
        SKIP("no geography");
    for (size_t i = 0; i < CASUS_ARRAY_LEN(readme_points); i++) {
        const struct known *k = &readme_points[i];
        struct casus_geo_hit h;
        CHECK_INT(casus_geo_locate(G, k->lat, k->lon, CASUS_GEO_LATEST, &h), CASUS_OK);
        if (k->sov) {
            if (!h.sov || strcmp(h.sov, k->sov) != 0)
                printf("  %s\n", k->what);
            CHECK_STREQ(h.sov, k->sov);
        } else {
            CHECK(h.sov == NULL);
            CHECK(!h.snapped);
        }
        if (k->sea) {
            if (!h.sea || strcmp(h.sea, k->sea) != 0)
                printf("  %s\n", k->what);
            CHECK_STREQ(h.sea, k->sea);
        }
    }
}

static struct casus_geo_hit at(double lat, double lon)
{
    struct casus_geo_hit h;
    memset(&h, 0, sizeof h);
    if (G)
        CHECK_INT(casus_geo_locate(G, lat, lon, CASUS_GEO_LATEST, &h), CASUS_OK);
    return h;
}

static void test_units(void)
{
    if (!G)
        SKIP("no geography");
    struct casus_geo_hit h = at(35.8894, -5.3213); /* Ceuta */
    CHECK_STREQ(h.sov, "ESP");
    CHECK_STREQ(h.unit, "ESP-CE");
    CHECK_STREQ(h.region, "africa");
    h = at(35.2923, -2.9381); /* Melilla */
    CHECK_STREQ(h.unit, "ESP-ML");
    CHECK_STREQ(h.region, "africa");
    h = at(28.1235, -15.4363); /* Las Palmas */
    CHECK_STREQ(h.unit, "ESC");
    CHECK(h.island);
    CHECK_STREQ(h.island_basin, "north_atlantic");
    h = at(40.4168, -3.7038); /* Madrid */
    CHECK_STREQ(h.unit, "ESX");
    CHECK_STREQ(h.region, "europe");
    h = at(21.3069, -157.8583); /* Honolulu */
    CHECK_STREQ(h.unit, "USH");
    CHECK_STREQ(h.region, "oceania");
    CHECK(h.island);
    CHECK_STREQ(h.island_basin, "pacific");
    h = at(61.2181, -149.9003);
    CHECK_STREQ(h.unit, "USK");
    h = at(36.1350, -5.3500);
    CHECK_STREQ(h.unit, "GIB");
    CHECK_STREQ(h.sov, "GBR");
    h = at(34.5904, 32.9879);
    CHECK_STREQ(h.unit, "WSB");
    CHECK_STREQ(h.region, "asia");
    h = at(35.0930, 33.8870);
    CHECK_STREQ(h.unit, "ESB");
    h = at(41.0082, 28.9784);
    CHECK_STREQ(h.sov, "TUR");
    h = at(54.7104, 20.4522);
    CHECK_STREQ(h.unit, "RUK");
    CHECK_STREQ(h.region, "europe");
    h = at(55.7558, 37.6173);
    CHECK_STREQ(h.unit, "RUE");
    h = at(43.1198, 131.8869);
    CHECK_STREQ(h.unit, "RUA");
    CHECK_STREQ(h.region, "asia");
    h = at(44.9521, 34.1024); /* Simferopol */
    CHECK_STREQ(h.unit, "RUC");
    h = at(64.1835, -51.7216); /* Nuuk: 0.6 km at sea */
    CHECK(h.snapped);
    CHECK_STREQ(h.unit, "GRL");
    CHECK_STREQ(h.region, "north_america");
    CHECK(h.island);
    h = at(36.7538, 3.0588);
    CHECK_STREQ(h.unit, "DZA");
    CHECK_STREQ(h.region, "africa");
    h = at(35.8989, 14.5146);
    CHECK_STREQ(h.unit, "MLT");
    CHECK_STREQ(h.island_basin, "mediterranean");
    h = at(38.1157, 13.3615);
    CHECK_STREQ(h.unit, "ITY");
    h = at(4.9333, -52.33);
    CHECK_STREQ(h.region, "south_america");
    h = at(-20.8789, 55.4481);
    CHECK_STREQ(h.region, "africa");
    CHECK_STREQ(h.island_basin, "indian");
}

static void test_basins(void)
{
    if (!G)
        SKIP("no geography");
    struct casus_geo_hit h = at(43.0, 34.0);
    CHECK_STREQ(h.basin, "black_sea");
    h = at(46.0, 36.5);
    CHECK_STREQ(h.basin, "black_sea");
    h = at(35.0, 18.0);
    CHECK_STREQ(h.basin, "mediterranean");
    h = at(40.0, 12.0);
    CHECK_STREQ(h.basin, "mediterranean");
    h = at(15.0, -40.0);
    CHECK_STREQ(h.basin, "north_atlantic");
    h = at(56.0, 19.0);
    CHECK_STREQ(h.basin, "north_atlantic");
    h = at(40.75, 28.5); /* Sea of Marmara */
    CHECK_STREQ(h.basin, "turkish_straits");
    h = at(74.0, 40.0);
    CHECK_STREQ(h.basin, "arctic");
    h = at(-30.0, -20.0);
    CHECK_STREQ(h.basin, "south_atlantic");
    h = at(30.0, -150.0);
    CHECK_STREQ(h.basin, "pacific");
    h = at(-20.0, 80.0);
    CHECK_STREQ(h.basin, "indian");
    h = at(50.4501, 30.5234); /* on land: no sea fields */
    CHECK(h.sea == NULL && h.basin == NULL);
    CHECK(!h.near_boundary);
    CHECK(h.boundary_km > 50);
}

static void test_narva(void)
{
    if (!G)
        SKIP("no geography");
    struct casus_geo_hit h = at(59.3772, 28.1903);
    /* NE draws the river border too far west: the polygons say Russia,
     * but within the tolerance. */
    CHECK(h.near_boundary);
    CHECK(h.boundary_km < 1.0);
}

static void test_ranges(void)
{
    if (!G)
        SKIP("no geography");
    struct casus_geo_hit h;
    CHECK_INT(casus_geo_locate(G, 90.5, 0, CASUS_GEO_LATEST, &h), CASUS_EINVAL);
    CHECK_INT(casus_geo_locate(G, -91, 0, CASUS_GEO_LATEST, &h), CASUS_EINVAL);
    CHECK_INT(casus_geo_locate(G, 0, 180.01, CASUS_GEO_LATEST, &h), CASUS_EINVAL);
    CHECK_INT(casus_geo_locate(G, 0, -181, CASUS_GEO_LATEST, &h), CASUS_EINVAL);
    CHECK_INT(casus_geo_locate(G, NAN, 0, CASUS_GEO_LATEST, &h), CASUS_EINVAL);
    CHECK_INT(casus_geo_locate(G, 0, INFINITY, CASUS_GEO_LATEST, &h), CASUS_EINVAL);
    CHECK_INT(casus_geo_locate(G, 90, 180, CASUS_GEO_LATEST, &h), CASUS_OK);
    CHECK_INT(casus_geo_locate(G, -90, -180, CASUS_GEO_LATEST, &h), CASUS_OK);
    CHECK_STREQ(h.sov, "ATA");
    CHECK_INT(casus_geo_locate(G, 0, 180, CASUS_GEO_LATEST, &h), CASUS_OK);
    CHECK_INT(casus_geo_locate(G, 0, -180, CASUS_GEO_LATEST, &h), CASUS_OK);
}

/* Walk a line across a border: the sovereign may change only where the
 * point is close to a boundary (checks the index's cell seams). */
static void test_random_consistency(void)
{
    if (!G)
        SKIP("no geography");
    /* Sweep a line across a border and a coast: sovereign answers must
     * change only where boundary_km is small. */
    struct casus_geo_hit prev = at(50.0, 20.0);
    for (int i = 1; i <= 2000; i++) {
        double lon = 20.0 + i * 0.002; /* 20E .. 24E: Poland -> Ukraine */
        struct casus_geo_hit h = at(50.0, lon);
        bool changed = (prev.sov == NULL) != (h.sov == NULL) ||
                       (prev.sov && h.sov && strcmp(prev.sov, h.sov) != 0);
        if (changed)
            CHECK(h.boundary_km < 0.5 || prev.boundary_km < 0.5);
        prev = h;
    }
}

static void test_gazetteer_places(void)
{
    if (!G)
        SKIP("no geography");
    FILE *f = fopen("data/gazetteer.csv", "rb");
    if (!f)
        SKIP("data/gazetteer.csv not found (run from the repository root)");
    static char text[1 << 20];
    size_t n = fread(text, 1, sizeof text, f);
    fclose(f);
    struct casus_diags d;
    casus_diags_init(&d, &test_alloc);
    uint32_t src;
    CHECK_INT(casus_diags_add_source(&d, "data/gazetteer.csv", text, n, &src), CASUS_OK);
    struct casus_gazetteer *gz = NULL;
    CHECK_INT(casus_gazetteer_load(&gz, &test_alloc, &d, src, G), CASUS_OK);
    CHECK_INT(d.nerrors, 0);
    CHECK(casus_gazetteer_count(gz) >= 100);
    static const char *const required[] = {"Kyiv",
                                           "Lviv",
                                           "Yavoriv",
                                           "Odesa",
                                           "Rzeszów",
                                           "Narva",
                                           "Tallinn",
                                           "Riga",
                                           "Vilnius",
                                           "Kaliningrad",
                                           "Minsk",
                                           "Visby",
                                           "Helsinki",
                                           "Honolulu",
                                           "Anchorage",
                                           "Key West",
                                           "New York",
                                           "Nuuk",
                                           "Tórshavn",
                                           "Longyearbyen",
                                           "Reykjavík",
                                           "Las Palmas",
                                           "Ceuta",
                                           "Melilla",
                                           "Ponta Delgada",
                                           "Funchal",
                                           "Hamilton (Bermuda)",
                                           "San Juan",
                                           "Cayenne",
                                           "Saint-Denis",
                                           "Hagåtña",
                                           "Stanley",
                                           "Akrotiri",
                                           "Incirlik",
                                           "Istanbul",
                                           "Athens",
                                           "Sevastopol",
                                           "Gibraltar",
                                           "Algiers",
                                           "Frankfurt",
                                           "Ramstein",
                                           "Podgorica",
                                           "Idlib",
                                           "Bamako",
                                           "Constanța",
                                           "Valletta",
                                           "Kiev",
                                           "Rzeszow",
                                           "Torshavn",
                                           "Reykjavik",
                                           "Hagatna",
                                           "Constanta",
                                           "Las Palmas de Gran Canaria",
                                           "saint denis"};
    for (size_t i = 0; i < CASUS_ARRAY_LEN(required); i++) {
        const struct casus_place *p =
            gz ? casus_gazetteer_find(gz, required[i], strlen(required[i])) : NULL;
        if (!p)
            printf("  missing '%s'\n", required[i]);
        CHECK(p != NULL);
    }
    /* The list's own data against the polygons: every place lies in its
     * listed sovereign, or within the tolerance of a boundary (Narva). */
    for (size_t i = 0; gz && i < casus_gazetteer_count(gz); i++) {
        const struct casus_place *p = casus_gazetteer_at(gz, i);
        struct casus_geo_hit h;
        CHECK_INT(casus_geo_locate(G, p->lat, p->lon, CASUS_GEO_LATEST, &h), CASUS_OK);
        bool ok = (h.sov && p->sovereign && strcmp(h.sov, p->sovereign) == 0) || h.near_boundary;
        if (!ok)
            printf("  %s: polygons say %s, gazetteer %s (%.1f km from a boundary)\n", p->name,
                   h.sov ? h.sov : "sea", p->sovereign ? p->sovereign : "-", h.boundary_km);
        CHECK(ok);
        if (p->unit && h.unit && strcmp(p->unit, h.unit) != 0 && !h.near_boundary) {
            printf("  %s: unit %s, gazetteer %s\n", p->name, h.unit, p->unit);
            CHECK(0);
        }
    }
    const struct casus_place *narva = gz ? casus_gazetteer_find(gz, "Narva", 5) : NULL;
    CHECK(narva && narva->note && strstr(narva->note, "too far west"));
    casus_gazetteer_free(gz);
    casus_diags_release(&d);
}

static void test_corrupt_blob(void)
{
    size_t len;
    const unsigned char *blob = casus_geo_blob(&len);
    struct casus_geo *g = NULL;
    /* Truncation at every length up to a bound, then a sample beyond. */
    for (size_t n = 0; n < 4096 && n < len; n++) {
        CHECK_INT(casus_geo_open(&g, &test_alloc, blob, n), CASUS_EINVAL);
        CHECK(g == NULL);
    }
    for (size_t n = 4096; n < len; n += len / 17 + 1)
        CHECK_INT(casus_geo_open(&g, &test_alloc, blob, n), CASUS_EINVAL);
    /* Flipped bytes in the header and tables: EINVAL, or (for bytes that
     * do not change meaning, like padding) a valid open. */
    unsigned char *copy = malloc(len);
    if (!copy)
        return;
    memcpy(copy, blob, len);
    unsigned seed = 12345;
    for (int i = 0; i < 32; i++) {
        seed = seed * 1103515245u + 12345u;
        size_t off = i < 20 ? (size_t)i * 4 + 8 : (seed >> 8) % (len < 200000 ? len : 200000);
        unsigned char old = copy[off];
        copy[off] ^= (unsigned char)(1u << (seed % 8));
        casus_status st = casus_geo_open(&g, &test_alloc, copy, len);
        CHECK(st == CASUS_EINVAL || st == CASUS_OK);
        if (st == CASUS_OK) {
            struct casus_geo_hit h;
            CHECK_INT(casus_geo_locate(g, 50.45, 30.52, CASUS_GEO_LATEST, &h), CASUS_OK);
            casus_geo_free(g);
        }
        copy[off] = old;
    }
    free(copy);
    CHECK_INT(casus_geo_open(&g, &test_alloc, NULL, 0), CASUS_EINVAL);
}

static int32_t day(const char *ymd)
{
    casus_date d = 0;
    CHECK_INT(casus_date_parse(ymd, strlen(ymd), &d), CASUS_OK);
    return d;
}

static struct casus_geo_hit at_on(double lat, double lon, const char *ymd)
{
    struct casus_geo_hit h;
    memset(&h, 0, sizeof h);
    if (G)
        CHECK_INT(casus_geo_locate(G, lat, lon, day(ymd), &h), CASUS_OK);
    return h;
}

static bool streq(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

struct water_case {
    const char *what, *date;
    double lat, lon;
    const char *waters, *state; /* state NULL: none expected */
    bool contested;
};

/* Each row: the expected waters and why (sources in data/geo/). */
static const struct water_case water_cases[] = {
    /* Romania 12 nm: Law No. 17/1990, Art. 2; 10.7 km off Constanta. */
    {"10 km off Constanta", "2024-05-20", 44.10, 28.78, "territorial_sea", "ROU", false},
    /* Sea of Marmara: enclosed by Turkey, UNCLOS Art. 8(1). */
    {"mid Sea of Marmara", "2024-05-20", 40.75, 28.20, "internal", "TUR", false},
    /* Azov: 2003 Russia-Ukraine treaty, Art. 1; contested since 2014.  The
     * nearest coast is Crimea's, Russia's on NE's map (the treaty layer
     * applies the dated sovereign: Ukraine). */
    {"Sea of Azov 2010", "2010-01-01", 46.0, 36.5, "internal", "RUS", false},
    {"Sea of Azov 2020", "2020-01-01", 46.0, 36.5, "internal", "RUS", true},
    /* 1991-2003: no settled status: more than 12 nm from any coast. */
    {"Sea of Azov 1995", "1995-01-01", 46.0, 36.5, "high_seas", NULL, false},
    /* US 3 nm until Proclamation 5928 (27 Dec 1988), then 12 nm. */
    {"12 km off Cape Cod 1980", "1980-01-01", 42.0, -69.85, "high_seas", NULL, false},
    {"12 km off Cape Cod 2020", "2020-01-01", 42.0, -69.85, "territorial_sea", "USA", false},
    /* UK 3 nm until the Territorial Sea Act 1987 (1 Oct 1987). */
    {"12 km off Land's End 1980", "1980-01-01", 50.066, -5.88, "high_seas", NULL, false},
    {"12 km off Land's End 2020", "2020-01-01", 50.066, -5.88, "territorial_sea", "GBR", false},
    /* Turkey 6 nm in the Aegean (Law 2674), 12 nm in the Black Sea. */
    {"13.6 km off Turkey, Aegean", "2020-01-01", 38.85, 26.70, "high_seas", NULL, false},
    {"10.2 km off Turkey, Aegean", "2020-01-01", 38.83, 26.75, "territorial_sea", "TUR", false},
    {"15 km off Samsun, Black Sea", "2020-01-01", 41.45, 36.40, "territorial_sea", "TUR", false},
    /* Japan: 3 nm in the Tsugaru Strait (1977 Law, suppl. para. 2). */
    {"Tsugaru Strait, 9.4 km", "2020-01-01", 41.35, 140.35, "high_seas", NULL, false},
    {"Sea of Japan, 7.1 km", "2020-01-01", 41.25, 140.25, "territorial_sea", "JPN", false},
    /* Japan 3 nm before the 1977 Law took effect (1 July 1977). */
    {"Sea of Japan 1970", "1970-01-01", 41.25, 140.25, "high_seas", NULL, false},
    /* Historic-bay claims that others protest (Limits in the Seas 112). */
    {"Gulf of Sidra 2020", "2020-01-01", 31.5, 18.0, "internal", "LBY", true},
    {"Gulf of Sidra 1970", "1970-01-01", 31.5, 18.0, "high_seas", NULL, false},
    {"Peter the Great Bay", "2020-01-01", 42.9, 131.9, "internal", "RUS", true},
    {"Hudson Bay", "2020-01-01", 60.0, -85.0, "internal", "CAN", true},
    /* Juridical bay, UNCLOS Art. 10 (checked by tools/mkgeo.py). */
    {"Chesapeake Bay", "2020-01-01", 37.5, -76.1, "internal", "USA", false},
    /* Caspian: 15 nm, 2018 Convention Art. 7 (not in force). */
    {"20 km off Baku", "2020-01-01", 40.25, 50.15, "territorial_sea", "AZE", false},
    /* Open sea and land. */
    {"Black Sea 43N 34E", "2020-01-01", 43.0, 34.0, "high_seas", NULL, false},
    {"Kyiv", "2020-01-01", 50.4501, 30.5234, NULL, NULL, false},
};

static void test_waters(void)
{
    if (!G)
        SKIP("no geography");
    for (size_t i = 0; i < CASUS_ARRAY_LEN(water_cases); i++) {
        const struct water_case *w = &water_cases[i];
        struct casus_geo_hit h = at_on(w->lat, w->lon, w->date);
        bool ok = (w->waters ? streq(h.waters, w->waters) : h.waters == NULL) &&
                  (w->state ? streq(h.coastal_state, w->state) && streq(h.sov, w->state)
                            : h.coastal_state == NULL) &&
                  h.waters_contested == w->contested;
        if (!ok)
            printf("  %s: waters %s of %s%s (%.1f km)\n", w->what, h.waters ? h.waters : "-",
                   h.coastal_state ? h.coastal_state : "-", h.waters_contested ? ", contested" : "",
                   h.boundary_km);
        CHECK(ok);
        if (streq(h.waters, "territorial_sea"))
            CHECK(h.territorial_sea_nm > 0 && h.waters_source && h.unit && h.region);
        if (streq(h.waters, "internal"))
            CHECK(h.waters_zone && h.waters_source);
    }
    /* Breadths applied: Turkey 6 nm in the Aegean, Japan 3 nm in Tsugaru. */
    struct casus_geo_hit h = at_on(38.83, 26.75, "2020-01-01");
    CHECK(fabs(h.territorial_sea_nm - 6) < 1e-9);
    h = at_on(41.45, 36.40, "2020-01-01");
    CHECK(fabs(h.territorial_sea_nm - 12) < 1e-9);
}

/* The acceptance point of issue 10: an islet of the Senkakus. */
static void test_senkaku(void)
{
    if (!G)
        SKIP("no geography");
    struct casus_geo_hit h = at_on(25.744, 123.474, "2024-05-20");
    CHECK_STREQ(h.waters, "territorial_sea");
    CHECK_STREQ(h.sov, "JPN");
    CHECK_STREQ(h.unit, "JPN-SE");
    CHECK_STREQ(h.administered_by, "JPN");
    CHECK_STREQ(h.claimed_by, "CHN,TWN");
    /* US administration until the Okinawa Reversion Agreement (1972);
     * the ROC claim of 11 June 1971, the PRC's of 30 December 1971. */
    h = at_on(25.744, 123.474, "1970-01-01");
    CHECK_STREQ(h.administered_by, "USA");
    CHECK(h.claimed_by == NULL);
    h = at_on(25.744, 123.474, "1971-08-01");
    CHECK_STREQ(h.claimed_by, "TWN");
    /* Okinawa (Naha): US administration 1952-1972, Japan's after. */
    h = at_on(26.2124, 127.6809, "1965-01-01");
    CHECK_STREQ(h.unit, "JPN-RY");
    CHECK_STREQ(h.administered_by, "USA");
    h = at_on(26.2124, 127.6809, "2000-01-01");
    CHECK_STREQ(h.administered_by, "JPN");
}

struct islet {
    const char *what;
    double lat, lon;
    const char *sov, *unit; /* unit NULL: don't check */
};

/* Islets from NE's 10m minor-islands layer (points inside them), each with
 * the source of its sovereignty or administration. */
static const struct islet islets[] = {
    /* Senkaku: administered by Japan (Okinawa Reversion Agreement, 1971). */
    {"Senkaku islet", 25.7656, 123.5306, "JPN", "JPN-SE"},
    /* Dokdo/Takeshima: administered by South Korea (NE disputed areas). */
    {"Dokdo", 37.2430, 131.8613, "KOR", NULL},
    /* Alboran Island: Spain (province of Almeria). */
    {"Alboran", 35.9444, -3.0383, "ESP", NULL},
    /* Palagruza: Treaty of Peace with Italy (1947), Art. 11; Croatia. */
    {"Palagruza", 42.3920, 16.2610, "HRV", NULL},
    /* Agathonisi, Oinousses: Greek (Treaty of Lausanne, Art. 12; Treaty of
     * Peace with Italy, Art. 14 for the Dodecanese). */
    {"Agathonisi", 37.4610, 26.9730, "GRC", "GRC-EA"},
    {"Oinousses", 38.5040, 26.2840, "GRC", "GRC-EA"},
    /* Cay Sal Bank: the Bahamas. */
    {"Cay Sal Bank", 23.9490, -80.4660, "BHS", NULL},
    /* Habomai (Suisho): administered by Russia, claimed by Japan. */
    {"Habomai islet", 43.4390, 145.9140, "RUS", "RUS-KU"},
    /* French Frigate Shoals: Northwestern Hawaiian Islands, USA. */
    {"French Frigate Shoals", 23.8490, -166.3267, "USA", "USH"},
    /* Dry Tortugas: Florida, USA (Dry Tortugas National Park). */
    {"Dry Tortugas", 24.6346, -82.9233, "USA", NULL},
    /* Santa Barbara Island: Channel Islands, California. */
    {"Santa Barbara Island", 33.4768, -119.0356, "USA", NULL},
    /* Gorgona: Tuscan Archipelago, Italy. */
    {"Gorgona", 43.4392, 9.9059, "ITA", NULL},
    /* Bogoslof Island: Aleutians, Alaska. */
    {"Bogoslof", 53.9301, -168.0362, "USA", "USK"},
};

static void test_islets(void)
{
    if (!G)
        SKIP("no geography");
    for (size_t i = 0; i < CASUS_ARRAY_LEN(islets); i++) {
        const struct islet *k = &islets[i];
        struct casus_geo_hit h = at_on(k->lat, k->lon, "2024-05-20");
        bool ok = streq(h.sov, k->sov) && (!k->unit || streq(h.unit, k->unit));
        if (!ok)
            printf("  %s: %s/%s waters %s (%.2f km)\n", k->what, h.sov ? h.sov : "-",
                   h.unit ? h.unit : "-", h.waters ? h.waters : "-", h.boundary_km);
        CHECK(ok);
        /* 10 km off the islet: its state's territorial sea. */
        h = at_on(k->lat + 0.09, k->lon, "2024-05-20");
        if (!streq(h.sov, k->sov) && !h.near_boundary)
            printf("  10 km north of %s: %s\n", k->what, h.sov ? h.sov : "-");
        CHECK(streq(h.sov, k->sov) || h.near_boundary);
    }
}

static void test_disputed_units(void)
{
    if (!G)
        SKIP("no geography");
    /* Golan (Katzrin): Syria's (UNSC Res. 497), administered by Israel. */
    struct casus_geo_hit h = at_on(32.9925, 35.6906, "2024-05-20");
    CHECK_STREQ(h.unit, "SYR-GO");
    CHECK_STREQ(h.sov, "SYR");
    CHECK_STREQ(h.administered_by, "ISR");
    /* Kunashir: southern Kurils, administered by Russia, claimed by Japan. */
    h = at_on(44.0, 145.8, "2024-05-20");
    CHECK_STREQ(h.unit, "RUS-KU");
    CHECK_STREQ(h.claimed_by, "JPN");
    /* Stanley: Argentine occupation 2 April - 14 June 1982 (UNSC 502). */
    h = at_on(-51.6934, -57.8570, "1982-05-01");
    CHECK_STREQ(h.administered_by, "ARG");
    h = at_on(-51.6934, -57.8570, "2024-05-20");
    CHECK_STREQ(h.administered_by, "GBR");
    CHECK_STREQ(h.claimed_by, "ARG");
    /* Gibraltar: claimed by Spain; Kosovo: claimed by Serbia. */
    h = at_on(36.1350, -5.3500, "2024-05-20");
    CHECK_STREQ(h.claimed_by, "ESP");
    h = at_on(42.6629, 21.1655, "2024-05-20"); /* Pristina */
    CHECK_STREQ(h.claimed_by, "SRB");
    h = at_on(42.6629, 21.1655, "2005-01-01");
    CHECK_STREQ(h.administered_by, "UNMIK");
}

static void test_contested_continent(void)
{
    if (!G)
        SKIP("no geography");
    /* Nicosia: asia per UN M49, europe per EU accession (units.csv). */
    struct casus_geo_hit h = at_on(35.1856, 33.3823, "2024-05-20");
    CHECK_STREQ(h.region, "asia");
    CHECK_STREQ(h.region_alt, "europe");
    CHECK(h.region_source && strstr(h.region_source, "M49"));
    /* Tbilisi, Yerevan, Baku: Caucasus. */
    CHECK_STREQ(at_on(41.7151, 44.8271, "2024-05-20").region_alt, "europe");
    CHECK_STREQ(at_on(40.1792, 44.4991, "2024-05-20").region_alt, "europe");
    CHECK_STREQ(at_on(40.4093, 49.8671, "2024-05-20").region_alt, "europe");
    /* Rhodes: europe, or asia off Anatolia. */
    h = at_on(36.4341, 28.2176, "2024-05-20");
    CHECK_STREQ(h.unit, "GRC-EA");
    CHECK_STREQ(h.region, "europe");
    CHECK_STREQ(h.region_alt, "asia");
    /* Athens, Paris: not contested. */
    CHECK(at_on(37.9838, 23.7275, "2024-05-20").region_alt == NULL);
    CHECK(at_on(48.8566, 2.3522, "2024-05-20").region_alt == NULL);
    /* The territorial sea off Cyprus carries it too. */
    h = at_on(34.60, 33.20, "2024-05-20");
    CHECK_STREQ(h.waters, "territorial_sea");
    CHECK_STREQ(h.region_alt, "europe");
}

static bool same_hit(const struct casus_geo_hit *a, const struct casus_geo_hit *b)
{
    return a->sov == b->sov && a->unit == b->unit && a->region == b->region && a->sea == b->sea &&
           a->basin == b->basin && a->waters == b->waters && a->coastal_state == b->coastal_state &&
           a->waters_zone == b->waters_zone && a->boundary_km == b->boundary_km &&
           a->near_boundary == b->near_boundary && a->snapped == b->snapped &&
           a->administered_by == b->administered_by && a->claimed_by == b->claimed_by &&
           a->territorial_sea_nm == b->territorial_sea_nm;
}

/* The grid index and the direct scan give the same answers (points on an
 * edge, where either reading is right, excepted). */
static void test_paths_agree(void)
{
    if (!G)
        SKIP("no geography");
    CHECK_INT(casus_geo_index(G), CASUS_OK);
    struct casus_geo *D = open_geo(); /* never indexed: direct scans */
    if (!D)
        SKIP("cannot open a second geography");
    uint64_t s = 0x2545F4914F6CDD1DULL;
    int32_t dates[] = {day("1975-01-01"), day("2024-05-20")};
    size_t n = 0, differ = 0;
    for (int i = 0; i < 600; i++) {
        s ^= s << 13, s ^= s >> 7, s ^= s << 17;
        double u = (double)(s >> 11) / 9007199254740992.0;
        s ^= s << 13, s ^= s >> 7, s ^= s << 17;
        double v = (double)(s >> 11) / 9007199254740992.0;
        double lat, lon;
        if (i % 3 == 0) { /* worldwide */
            lat = -85 + 170 * u;
            lon = -180 + 360 * v;
        } else { /* Europe and around, where coasts are dense */
            lat = 30 + 40 * u;
            lon = -20 + 60 * v;
        }
        struct casus_geo_hit a, b;
        CHECK_INT(casus_geo_locate(G, lat, lon, dates[i % 2], &a), CASUS_OK);
        CHECK_INT(casus_geo_locate_direct(D, lat, lon, dates[i % 2], &b), CASUS_OK);
        CHECK(!atomic_load(&D->indexed));
        if (a.boundary_km < 1e-6)
            continue;
        n++;
        if (!same_hit(&a, &b)) {
            differ++;
            printf("  %.5f %.5f: grid %s/%s/%s, direct %s/%s/%s\n", lat, lon, a.sov ? a.sov : "-",
                   a.unit ? a.unit : "-", a.waters ? a.waters : "-", b.sov ? b.sov : "-",
                   b.unit ? b.unit : "-", b.waters ? b.waters : "-");
        }
    }
    CHECK(n > 500);
    CHECK_INT(differ, 0);
    casus_geo_free(D);
}

/* The index is built at the CASUS_GEO_LAZY_QUERIES-th lookup, not before;
 * casus_geo_open itself builds nothing. */
static void test_lazy_index(void)
{
    struct casus_geo *g = open_geo();
    if (!g)
        SKIP("no geography");
    CHECK(!atomic_load(&g->indexed));
    CHECK(g->cells == NULL);
    struct casus_geo_hit h;
    for (int i = 1; i < CASUS_GEO_LAZY_QUERIES; i++) {
        CHECK_INT(casus_geo_locate(g, 50.45, 30.52, CASUS_GEO_LATEST, &h), CASUS_OK);
        CHECK(!atomic_load(&g->indexed));
    }
    CHECK_STREQ(h.sov, "UKR");
    CHECK_INT(casus_geo_locate(g, 50.45, 30.52, CASUS_GEO_LATEST, &h), CASUS_OK);
    CHECK(atomic_load(&g->indexed));
    CHECK_STREQ(h.sov, "UKR");
    CHECK_INT(casus_geo_index(g), CASUS_OK); /* idempotent */
    casus_geo_free(g);
}

struct racer {
    const struct casus_geo *g;
    int first;
    double km[64];
};

static void *race(void *arg)
{
    struct racer *r = arg;
    for (int i = 0; i < 64; i++) {
        struct casus_geo_hit h;
        casus_geo_locate(r->g, 30 + (i * 7 + r->first) % 40, -20 + (i * 13) % 60, CASUS_GEO_LATEST,
                         &h);
        r->km[i] = h.boundary_km;
    }
    return NULL;
}

/* Two threads look up on a fresh object, so that one of them builds the
 * index while the other scans: every answer is the indexed one
 * (ThreadSanitizer-free check of the publication; ASan sees the memory). */
static void test_lazy_threads(void)
{
    struct casus_geo *g = open_geo();
    if (!g || !G)
        SKIP("no geography");
    struct racer r[2] = {{g, 0, {0}}, {g, 3, {0}}};
    pthread_t t;
    bool threaded = pthread_create(&t, NULL, race, &r[1]) == 0;
    race(&r[0]);
    if (threaded)
        pthread_join(t, NULL);
    else
        race(&r[1]);
    CHECK(atomic_load(&g->indexed));
    for (int k = 0; k < 2; k++)
        for (int i = 0; i < 64; i++) {
            struct casus_geo_hit h;
            casus_geo_locate(G, 30 + (i * 7 + r[k].first) % 40, -20 + (i * 13) % 60,
                             CASUS_GEO_LATEST, &h);
            CHECK(h.boundary_km == r[k].km[i]);
        }
    casus_geo_free(g);
}

static unsigned char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    static unsigned char buf[1 << 16];
    *len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    return buf;
}

/* The small blob of tools/mkgeoseeds.py: every rule on known geometry.
 * AAA: lon 0..1, lat 0..1; BBB: lon 1.3..2.3; bay of AAA at lat 1..1.1,
 * lon 0.2..0.4 (contested from day 5000); AAA 3 nm before day 10000, else
 * 12 nm; BBB administered by AAA, claimed by CCC (from day 0). */
static void test_tiny_blob(void)
{
    size_t len = 0;
    const unsigned char *b = read_file("fuzz/corpus/geo/tiny.bin", &len);
    if (!b)
        SKIP("fuzz/corpus/geo/tiny.bin not found (run from the repository root)");
    struct casus_geo *g = NULL;
    CHECK_INT(casus_geo_open(&g, &test_alloc, b, len), CASUS_OK);
    if (!g)
        return;
    struct casus_geo_hit h;
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1)
            CHECK_INT(casus_geo_index(g), CASUS_OK);
        casus_geo_locate(g, 0.5, 0.5, 20000, &h);
        CHECK_STREQ(h.sov, "AAA");
        CHECK(h.waters == NULL);
        CHECK_STREQ(h.region_alt, "asia");
        casus_geo_locate(g, 1.05, 0.3, 4000, &h);
        CHECK_STREQ(h.waters, "internal");
        CHECK(!h.waters_contested);
        casus_geo_locate(g, 1.05, 0.3, 6000, &h);
        CHECK(h.waters_contested);
        CHECK_STREQ(h.waters_zone, "Test Bay");
        casus_geo_locate(g, 0.5, -0.08, 5000, &h); /* 8.9 km off AAA */
        CHECK_STREQ(h.waters, "high_seas");
        CHECK(h.sov == NULL && h.near_boundary);
        casus_geo_locate(g, 0.5, -0.08, 20000, &h);
        CHECK_STREQ(h.waters, "territorial_sea");
        CHECK_STREQ(h.coastal_state, "AAA");
        CHECK(fabs(h.territorial_sea_nm - 12) < 1e-9);
        casus_geo_locate(g, 0.5, 1.12, 20000, &h); /* nearer AAA, near the median */
        CHECK_STREQ(h.coastal_state, "AAA");
        CHECK(h.near_boundary);
        casus_geo_locate(g, 0.5, 1.20, 20000, &h); /* nearer BBB */
        CHECK_STREQ(h.coastal_state, "BBB");
        CHECK_STREQ(h.administered_by, "AAA");
        CHECK_STREQ(h.claimed_by, "CCC");
        casus_geo_locate(g, 0.5, 1.05, 20000, &h); /* well inside AAA's belt */
        CHECK_STREQ(h.coastal_state, "AAA");
        CHECK(!h.near_boundary);
        casus_geo_locate(g, -0.9, 3.9, 20000, &h);
        CHECK_STREQ(h.waters, "high_seas");
        CHECK_STREQ(h.sea, "Test Sea");
        casus_geo_locate(g, 0.5, 1.8, -5, &h); /* before the area row */
        CHECK(h.administered_by == NULL);
    }
    casus_geo_free(g);
    /* Rejected: a coordinate of INT32_MIN (the old delta decoder's signed
     * overflow), a truncated blob, an empty claim period. */
    static const char *const bad[] = {"coord-min.bin", "truncated.bin", "bad-claim.bin"};
    for (size_t i = 0; i < CASUS_ARRAY_LEN(bad); i++) {
        char path[128];
        snprintf(path, sizeof path, "fuzz/corpus/geo/%s", bad[i]);
        b = read_file(path, &len);
        CHECK(b != NULL);
        if (b)
            CHECK_INT(casus_geo_open(&g, &test_alloc, b, len), CASUS_EINVAL);
    }
    /* A real blob cut to a box (tools/mkgeo.py --bbox 40.0 41.3 26.0 29.8):
     * the same answers as the shipped one inside the box. */
    static unsigned char big[1 << 20];
    FILE *f = fopen("fuzz/corpus/geo/real-marmara.bin", "rb");
    len = f ? fread(big, 1, sizeof big, f) : 0;
    if (f)
        fclose(f);
    CHECK(len > 0);
    if (len && casus_geo_open(&g, &test_alloc, big, len) == CASUS_OK) {
        CHECK_INT(casus_geo_locate(g, 40.75, 28.2, day("2024-05-20"), &h), CASUS_OK);
        CHECK_STREQ(h.waters, "internal");
        CHECK_STREQ(h.coastal_state, "TUR");
        casus_geo_free(g);
    } else {
        CHECK(0);
    }
    b = read_file("fuzz/corpus/geo/empty.bin", &len);
    CHECK(b != NULL);
    if (b && casus_geo_open(&g, &test_alloc, b, len) == CASUS_OK) {
        CHECK_INT(casus_geo_locate(g, 10, 10, 0, &h), CASUS_OK);
        CHECK(h.sov == NULL && h.boundary_km == HUGE_VAL);
        CHECK_INT(casus_geo_index(g), CASUS_OK);
        CHECK_INT(casus_geo_locate(g, 10, 10, 0, &h), CASUS_OK);
        casus_geo_free(g);
    } else {
        CHECK(0);
    }
}

/* Allocation failure at every step of open must give CASUS_ENOMEM and leak
 * nothing (ASan checks the leak part). */
struct fail_alloc {
    int countdown;
};

static void *failing_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    struct fail_alloc *fa = ud;
    if (nsize && fa->countdown-- == 0)
        return NULL;
    return casus_default_alloc(NULL, ptr, osize, nsize);
}

static void test_oom(void)
{
    size_t len;
    const void *blob = casus_geo_blob(&len);
    int n;
    for (n = 0; n < 64; n++) {
        struct fail_alloc fa = {n};
        struct casus_alloc a = {failing_alloc, &fa};
        struct casus_geo *g = NULL;
        casus_status st = casus_geo_open(&g, &a, blob, len);
        if (st == CASUS_OK) {
            casus_geo_free(g);
            break;
        }
        CHECK_INT(st, CASUS_ENOMEM);
    }
    CHECK(n < 64);
    /* The index build too: ENOMEM, nothing leaked, lookups still answer. */
    for (n = 0; n < 64; n++) {
        struct fail_alloc fa = {1000};
        struct casus_alloc a = {failing_alloc, &fa};
        struct casus_geo *g = NULL;
        if (casus_geo_open(&g, &a, blob, len) != CASUS_OK)
            break;
        fa.countdown = n;
        casus_status st = casus_geo_index(g);
        struct casus_geo_hit h;
        CHECK_INT(casus_geo_locate(g, 50.45, 30.52, CASUS_GEO_LATEST, &h), CASUS_OK);
        CHECK_STREQ(h.sov, "UKR");
        casus_geo_free(g);
        if (st == CASUS_OK)
            break;
        CHECK_INT(st, CASUS_ENOMEM);
    }
    CHECK(n < 64);
}

int main(void)
{
    G = open_geo();
    RUN(test_open);
    RUN(test_readme_points);
    RUN(test_units);
    RUN(test_basins);
    RUN(test_narva);
    RUN(test_ranges);
    RUN(test_random_consistency);
    RUN(test_gazetteer_places);
    RUN(test_waters);
    RUN(test_senkaku);
    RUN(test_islets);
    RUN(test_disputed_units);
    RUN(test_contested_continent);
    RUN(test_paths_agree);
    RUN(test_lazy_index);
    RUN(test_lazy_threads);
    RUN(test_tiny_blob);
    RUN(test_corrupt_blob);
    RUN(test_oom);
    casus_geo_free(G);
    return harness_done("geo");
}
