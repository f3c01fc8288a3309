/*
 * geo_priv.h — the decoded geography blob and its grid index, shared by
 * geo.c (validation, direct scans, resolution rules) and geo_grid.c (the
 * lazily built grid index).  Private to src/geo/.
 */
#ifndef CASUS_GEO_PRIV_H
#define CASUS_GEO_PRIV_H

#include "base/internal.h"

#include <pthread.h>
#include <stdatomic.h>

enum {
    LAYER_L10 = 0,
    LAYER_L50 = 1,
    LAYER_SEA = 2,
    LAYER_ZONE = 3,
    NLAYERS = 4,
    UNIT_ISLAND = 1,
    UNIT_SPLIT = 2
};
#define NONE32 UINT32_MAX
#define MICRO  1000000.0

/* Grid geometry: 360 x 180 cells of 1°, subdivided 8 x 8 when busy. */
enum { G_COLS = 360, G_ROWS = 180, G_SUB = 8, G_L0 = G_COLS * G_ROWS, G_SUB_THRESH = 40 };
#define G_CELL     1000000.0        /* µdeg */
#define G_FINE     (G_CELL / G_SUB) /* 125000 µdeg */
#define EDGE_FLAG  0x80000000u      /* edge ref: skip in distance search */
#define STATE_FLAG 0x80000000u      /* entry: reference point inside */

struct geo_unit {
    const char *code, *name, *sov, *region, *ibasin, *region_alt, *region_src;
    uint32_t flags, parent;
};

struct geo_sea {
    const char *name, *basin;
};

struct geo_zone { /* internal waters: a named area with dated periods */
    const char *name;
    uint32_t first, n; /* periods zper[first, first + n) */
};

struct geo_zper {                      /* a period of a zone */
    const char *name, *state, *source; /* state NULL: the nearest coast's */
    int32_t from, until;
    bool contested;
};

struct geo_claim { /* territorial-sea breadth of a state over a period */
    const char *state, *seas, *source;
    int32_t from, until;
    double km;
};

struct geo_area { /* administration and claims of a unit over a period */
    uint32_t unit;
    int32_t from, until;
    const char *admin, *claims, *source;
};

struct geo_poly {
    uint32_t layer, owner, dflt;
    int32_t bb[4]; /* minx, miny, maxx, maxy (µdeg) */
    uint32_t ring0, nrings;
    double area; /* bbox area, to prefer the smaller of overlaps */
};

struct geo_pt {
    int32_t x, y;
};

struct geo_cell {
    uint32_t first, n; /* entries [first, first+n) */
};

struct geo_entry {
    uint32_t poly;
    uint32_t first_edge; /* into edges[] */
    uint32_t nedges;     /* | STATE_FLAG when the reference point is inside */
};

struct casus_geo {
    const struct casus_alloc *alloc;
    uint32_t nunits, nseas, nzones, nzper, nclaims, nareas, npolys, nrings, nverts;
    struct geo_unit *units;
    struct geo_sea *seas;
    struct geo_zone *zones;
    struct geo_zper *zper;
    struct geo_claim *claims;
    double max_claim_km; /* widest breadth in claims[] */
    struct geo_area *areas;
    struct geo_poly *polys;
    uint32_t *ring_start; /* first point of ring r; ring_start[nrings] = nverts */
    uint32_t *ring_poly;
    const struct geo_pt *pts;       /* in the blob, or pts_own */
    struct geo_pt *pts_own;         /* copy when the blob cannot be used in place */
    const uint8_t *eflags;          /* bit k: edge k -> k+1 is not a boundary */
    uint32_t first_of[NLAYERS + 1]; /* polygons of layer L: [first_of[L], first_of[L+1]) */

    /* The grid index, built lazily (geo_grid.c).  Readers use it only once
     * `indexed` is set (release/acquire); the builder holds `lock`. */
    atomic_bool indexed, index_failed;
    atomic_uint queries;
    pthread_mutex_t lock;
    uint32_t *l0_sub; /* per 1° cell: index of its first subcell or NONE32 */
    uint8_t *l0_land; /* per 1° cell: holds distance-relevant 10m edges */
    uint8_t *l0_far;  /* per 1° cell: Chebyshev distance (cells, capped
                         at 255) to the nearest cell with l0_land */
    uint32_t *dfirst; /* per finest cell: its land edges in dedges[] */
    uint32_t *dedges; /* start vertices of distance-relevant 10m edges */
    uint32_t ndedges;
    uint32_t ncells;
    struct geo_cell *cells;
    uint32_t nentries, nedges;
    struct geo_entry *entries;
    uint32_t *edges; /* vertex index of the edge start, | EDGE_FLAG */
};

/* A local equirectangular frame centred on the query. */
struct frame {
    double qx, qy; /* µdeg */
    double kx, ky; /* km per µdeg */
};

/* A nearest-edge search: edges of one layer (land: only coasts and borders
 * between sovereigns), optionally only of units whose code or parent is
 * unit_filter, or not of sovereign exclude_sov.  The best edge is the
 * least (squared distance, start vertex): both search paths agree. */
struct nearest {
    uint32_t layer, unit_filter;
    const char *exclude_sov;
    double best2;  /* squared km */
    uint32_t vert; /* start vertex of the best edge, NONE32 if none */
};

/* Zeroed allocation of n * size bytes through a (NULL on overflow/OOM). */
CASUS_INTERNAL void *casus_geo_xcalloc(const struct casus_alloc *a, size_t n, size_t size);
CASUS_INTERNAL void casus_geo_xfree(const struct casus_alloc *a, void *p, size_t n, size_t size);

/* Is edge k -> k+1 excluded from distances (bit in the blob)? */
static inline bool geo_edge_flag(const struct casus_geo *g, uint32_t k)
{
    return (g->eflags[k >> 3] >> (k & 7)) & 1;
}

/* Offer edge v -> v+1 to a nearest search (filters applied here). */
CASUS_INTERNAL void casus_geo_offer(const struct casus_geo *g, const struct frame *f,
                                    struct nearest *N, uint32_t v);

/* Polygon owning vertex v (binary search over rings). */
CASUS_INTERNAL uint32_t casus_geo_poly_of_vertex(const struct casus_geo *g, uint32_t v);

/* Squared km from the query to segment a-b / to a µdeg rectangle. */
CASUS_INTERNAL double casus_geo_seg_dist2(const struct frame *f, const struct geo_pt *a,
                                          const struct geo_pt *b);
CASUS_INTERNAL double casus_geo_rect_dist2(const struct frame *f, double x0, double y0, double x1,
                                           double y1);

/* Grid (geo_grid.c).  build: fills the index fields (all or nothing);
 * CASUS_ENOMEM, or CASUS_EINVAL past the work budget.  free: releases
 * them.  pip: containing polygon of a layer (unit_filter as in struct
 * nearest), smallest bbox first, NONE32 if none.  nearest: the search of
 * struct nearest within max_km (N->vert set). */
CASUS_INTERNAL casus_status casus_geo_grid_build(struct casus_geo *g);
CASUS_INTERNAL void casus_geo_grid_free(struct casus_geo *g);
CASUS_INTERNAL uint32_t casus_geo_grid_pip(const struct casus_geo *g, double qx, double qy,
                                           uint32_t layer, uint32_t unit_filter);
CASUS_INTERNAL void casus_geo_grid_nearest(const struct casus_geo *g, const struct frame *f,
                                           double max_km, struct nearest *N);

#endif
