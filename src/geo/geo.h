/*
 * geo.h — where is a point?  Land units, sovereigns, regions, islands and
 * named seas from Natural Earth polygons, compiled by tools/mkgeo.py into a
 * compact blob (data/geo/world.bin) that is embedded in libcasus.
 *
 * Land is Natural Earth's de facto map (sovereign as ISO 3166 alpha-3) plus
 * NE's minor islands; at sea, the territorial sea of the breadth each state
 * claims on the date (data/geo/territorial-sea.csv), split at the median
 * line, and named internal waters (data/geo/waters.csv).  Dated sovereignty
 * (Algeria until 1962, Crimea since 2014) is applied above this layer, from
 * the world facts; dated administration and claims of the disputed units
 * (data/geo/areas.csv) come with the hit.
 *
 * Ownership: casus_geo_open() borrows the blob (it must outlive the geo
 * object) and validates it (a few ms; coordinates are used in place).  The
 * grid index (about 35 MB, ~0.2 s) is built lazily: the first
 * CASUS_GEO_LAZY_QUERIES lookups scan the polygons directly (~0.1-1 ms
 * each, the same answers), later ones build it once and then test the
 * edges of one grid cell (~200k lookups/s, bench/bench_geo.c).  Lookups
 * are thread-safe (the index is built under a mutex and published
 * atomically) and allocate nothing but the index.  Format and rules:
 * docs/geo-format.md.
 */
#ifndef CASUS_GEO_H
#define CASUS_GEO_H

#include "base/internal.h"

struct casus_geo;

struct casus_geo_hit {
    const char *sov;          /* ISO alpha-3 of the state the land belongs to
                                 (NE default = de facto), NULL at open sea */
    const char *unit;         /* land unit code, e.g. "USH", "ESC", "WSB" */
    const char *unit_name;    /* "Hawaii", "Canary Islands", "Akrotiri" */
    const char *region;       /* "europe", "north_america", "asia", "africa",
                                 "south_america", "oceania", "antarctica" */
    bool island;              /* unit is an island or island group */
    const char *island_basin; /* for islands: basin the island lies in */
    const char *sea;          /* named sea (NE 1:10m marine polygon) at the
                                 point, NULL on land or in unnamed water */
    const char *basin;        /* basin of that sea (data/geo/seas.csv):
                                 "mediterranean", "turkish_straits",
                                 "black_sea", "north_atlantic" (incl. the
                                 Baltic, North Sea, Caribbean),
                                 "south_atlantic", "arctic", "pacific",
                                 "indian", "southern", "caspian"; NULL on
                                 land or far from any named sea */
    double boundary_km;       /* distance to the nearest coast or border
                                 between sovereigns (1:10m edges; local
                                 equirectangular); HUGE_VAL if no land */
    bool near_boundary;       /* boundary_km <= CASUS_GEO_TOLERANCE_KM */
    bool snapped;             /* at sea, but land within the tolerance: land
                                 fields describe that nearest land */
    /* Waters (NULL on land): "territorial_sea", "internal" or "high_seas".
     * In a state's territorial sea or internal waters, sov is that state
     * (its territory) and the land fields describe its nearest land unit. */
    const char *waters;
    const char *coastal_state; /* state whose waters they are, or NULL */
    const char *waters_zone;   /* internal-waters zone ("Sea of Marmara") */
    bool waters_contested;     /* a claim others protest (historic bays) */
    double territorial_sea_nm; /* breadth applied (0 if not in one) */
    const char *waters_source; /* source of the breadth row or the zone */
    /* Continent: the other reading where sources disagree, with both
     * readings cited (units.csv); NULL if not contested. */
    const char *region_alt;
    const char *region_source;
    /* Dated administration and claims of the unit (areas.csv), or NULL. */
    const char *administered_by; /* ISO alpha-3 (or NE/UN code) */
    const char *claimed_by;      /* comma-separated claimants */
    const char *area_source;
};

#define CASUS_GEO_TOLERANCE_KM 5.0
/* Lookups before the grid index is built (each scans the polygons). */
#define CASUS_GEO_LAZY_QUERIES 24
/* A date past every dated row: today's map. */
#define CASUS_GEO_LATEST INT32_MAX - 1

/* Validate the blob (the index is built later, see above).  CASUS_EINVAL
 * for a blob that is truncated or inconsistent (never crashes on bad
 * bytes), CASUS_ENOMEM when out of memory.  *out is NULL on error. */
CASUS_INTERNAL casus_status casus_geo_open(struct casus_geo **out, const struct casus_alloc *a,
                                           const void *blob, size_t len);

CASUS_INTERNAL void casus_geo_free(struct casus_geo *g);

/* Build the grid index now (idempotent, thread-safe).  CASUS_ENOMEM if it
 * cannot be allocated (lookups then keep scanning directly), CASUS_EINVAL
 * if the blob's polygons exceed the build's work budget. */
CASUS_INTERNAL casus_status casus_geo_index(const struct casus_geo *g);

/* Locate a point on a date (days since 1970-01-01; CASUS_GEO_LATEST for
 * today's map).  CASUS_EINVAL when lat is outside [-90, 90], lon outside
 * [-180, 180] or either is not finite (*out is zeroed then).  Sovereign and
 * unit come from the 1:10m map units and minor islands; a 1:50m subunit
 * refines a unit NE splits (USA -> USH Hawaii); at sea, land within the
 * tolerance is reported with snapped = true, and waters as above. */
CASUS_INTERNAL casus_status casus_geo_locate(const struct casus_geo *g, double lat, double lon,
                                             int32_t date, struct casus_geo_hit *out);

/* The same answer without the grid index (a scan over all polygons; for
 * tests that compare the two paths).  Never builds the index. */
CASUS_INTERNAL casus_status casus_geo_locate_direct(const struct casus_geo *g, double lat,
                                                    double lon, int32_t date,
                                                    struct casus_geo_hit *out);

/* The embedded blob (src/base/embed.S); *len receives its size. */
CASUS_INTERNAL const void *casus_geo_blob(size_t *len);

#endif
