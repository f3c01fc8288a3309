/*
 * geo.h — where is a point?  Land units, sovereigns, regions, islands and
 * named seas from Natural Earth polygons, compiled by tools/mkgeo.py into a
 * compact blob (data/geo/world.bin) that is embedded in libcasus.
 *
 * This layer answers with today's map (Natural Earth's de facto borders,
 * sovereign as ISO 3166 alpha-3).  Dated sovereignty (Algeria until 1962,
 * Crimea since 2014) is applied above it, from the world facts.
 *
 * Ownership: casus_geo_open() borrows the blob (it must outlive the geo
 * object) and allocates its index (about 35 MB for the shipped blob, built
 * in ~0.3 s).  Lookups are read-only and thread-safe and allocate nothing:
 * point-in-polygon tests the edges of one grid cell; the boundary distance
 * scans cells outwards until the nearest edge is certain (~100k-180k
 * lookups/s, bench/bench_geo.c).  Format and rules: docs/geo-format.md.
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
};

#define CASUS_GEO_TOLERANCE_KM 5.0

/* Validate the blob and build the lookup index.  CASUS_EINVAL for a blob
 * that is truncated or inconsistent (never crashes on bad bytes),
 * CASUS_ENOMEM when the index cannot be allocated.  *out is NULL on error. */
CASUS_INTERNAL casus_status casus_geo_open(struct casus_geo **out, const struct casus_alloc *a,
                                           const void *blob, size_t len);

CASUS_INTERNAL void casus_geo_free(struct casus_geo *g);

/* Locate a point.  CASUS_EINVAL when lat is outside [-90, 90], lon outside
 * [-180, 180] or either is not finite (*out is zeroed then).  Sovereign and
 * unit come from the 1:10m map units; a 1:50m subunit refines a unit NE
 * splits (USA -> USH Hawaii); at sea, land within the tolerance is
 * reported with snapped = true. */
CASUS_INTERNAL casus_status casus_geo_locate(const struct casus_geo *g, double lat, double lon,
                                             struct casus_geo_hit *out);

/* The embedded blob (src/base/embed.S); *len receives its size. */
CASUS_INTERNAL const void *casus_geo_blob(size_t *len);

#endif
