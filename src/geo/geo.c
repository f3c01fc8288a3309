/*
 * geo.c — point location over the geography blob (see geo.h and
 * docs/geo-format.md): validation, the resolution rules (land unit,
 * sea, territorial sea split at the median line, internal waters, dated
 * administration), and a direct polygon scan used until the grid index
 * (geo_grid.c) is built.
 *
 * casus_geo_open() validates every byte of the blob and uses the vertex
 * array in place (a little-endian host and an aligned blob; otherwise a
 * copy).  Lookups go through two interchangeable primitives — the
 * containing polygon of a layer, and the nearest edge of a layer — each
 * answered by a scan over the polygons (bounding boxes first) or by the
 * grid.  Both give the same answer: the nearest edge is the least
 * (distance, vertex index), the containing polygon the smallest bbox
 * (lowest index on ties).
 */
#include "geo/geo.h"
#include "geo/geo_priv.h"

#include <math.h>
#include <stdlib.h>

extern const unsigned char casus_embed_geo[], casus_embed_geo_end[];

const void *casus_geo_blob(size_t *len)
{
    *len = (size_t)(casus_embed_geo_end - casus_embed_geo);
    return casus_embed_geo;
}

/* ------------------------------------------------------------------ */
/* Blob layout constants (docs/geo-format.md).                         */

enum {
    HDR_SIZE = 128,
    UNIT_REC = 40,
    SEA_REC = 8,
    ZONE_REC = 16,
    ZPER_REC = 24,
    CLAIM_REC = 28,
    AREA_REC = 24,
    POLY_REC = 36,
    RING_REC = 4,
    PT_REC = 8,
    GEO_VERSION = 2,
    ZONE_INTERNAL = 1,
    ZONE_CONTESTED = 2,
    NSECT = 11
};
enum { S_STR, S_UNIT, S_SEA, S_ZONE, S_ZPER, S_CLAIM, S_AREA, S_POLY, S_RING, S_COORD, S_FLAG };
static const uint32_t sect_rec[NSECT] = {
    1, UNIT_REC, SEA_REC, ZONE_REC, ZPER_REC, CLAIM_REC, AREA_REC, POLY_REC, RING_REC, PT_REC, 1};

#define KM_PER_DEG      111.19492664455873 /* 2*pi*6371/360 */
#define KM_PER_UDEG     (KM_PER_DEG / MICRO)
#define REFINE_KM       25.0  /* reach of a 50m subunit beyond its outline */
#define SEA_FALLBACK_KM 100.0 /* reach of a sea's basin beyond its outline */
#define MAX_BREADTH_KM  400.0 /* longest territorial-sea breadth accepted */

/* ------------------------------------------------------------------ */
/* Little-endian readers and blob validation.                          */

static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int32_t rds32(const unsigned char *p)
{
    uint32_t u = rd32(p);
    return u <= INT32_MAX ? (int32_t)u : (int32_t)(u - 0x80000000u) - INT32_MAX - 1;
}

void *casus_geo_xcalloc(const struct casus_alloc *a, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    void *p = casus_mem_alloc(a, n * size);
    if (p)
        memset(p, 0, n * size);
    return p;
}

void casus_geo_xfree(const struct casus_alloc *a, void *p, size_t n, size_t size)
{
    casus_mem_free(a, p, n * size);
}

/* A string reference: offset into the NUL-terminated table, or NONE32 when
 * allowed. */
static bool str_ref(const char *tab, uint32_t tablen, uint32_t off, bool nullable, const char **out)
{
    if (off == NONE32 && nullable) {
        *out = NULL;
        return true;
    }
    if (off >= tablen)
        return false;
    *out = tab + off;
    return true;
}

/* Decoding state: the blob, its sections and the string table. */
struct dec {
    const unsigned char *b;
    size_t len;
    uint32_t off[NSECT], n[NSECT];
    const char *tab;
};

#define STR(d, p, nullable, out) str_ref((d)->tab, (d)->n[S_STR], rd32(p), nullable, out)

static casus_status alloc_tables(struct casus_geo *g)
{
    const struct casus_alloc *a = g->alloc;
    g->units = casus_geo_xcalloc(a, g->nunits + 1, sizeof *g->units);
    g->seas = casus_geo_xcalloc(a, g->nseas + 1, sizeof *g->seas);
    g->zones = casus_geo_xcalloc(a, g->nzones + 1, sizeof *g->zones);
    g->zper = casus_geo_xcalloc(a, g->nzper + 1, sizeof *g->zper);
    g->claims = casus_geo_xcalloc(a, g->nclaims + 1, sizeof *g->claims);
    g->areas = casus_geo_xcalloc(a, g->nareas + 1, sizeof *g->areas);
    g->polys = casus_geo_xcalloc(a, g->npolys + 1, sizeof *g->polys);
    g->ring_start = casus_geo_xcalloc(a, (size_t)g->nrings + 1, sizeof *g->ring_start);
    g->ring_poly = casus_geo_xcalloc(a, g->nrings + 1, sizeof *g->ring_poly);
    if (!g->units || !g->seas || !g->zones || !g->zper || !g->claims || !g->areas || !g->polys ||
        !g->ring_start || !g->ring_poly)
        return CASUS_ENOMEM;
    return CASUS_OK;
}

/* Header: magic, version, length, sections inside the blob, counts that
 * bound every later allocation by the blob size. */
static casus_status decode_header(struct casus_geo *g, struct dec *d)
{
    const unsigned char *b = d->b;
    if (d->len < HDR_SIZE || memcmp(b, "CASUSGEO", 8) != 0 || rd32(b + 8) != GEO_VERSION ||
        rd32(b + 12) != d->len)
        return CASUS_EINVAL;
    for (int s = 0; s < NSECT; s++) {
        d->off[s] = rd32(b + 16 + 8 * s);
        d->n[s] = rd32(b + 20 + 8 * s);
        uint64_t end = (uint64_t)d->off[s] + (uint64_t)d->n[s] * sect_rec[s];
        if (d->off[s] < HDR_SIZE || end > d->len)
            return CASUS_EINVAL;
    }
    uint64_t nl = 0;
    for (int L = 0; L < NLAYERS; L++) {
        g->first_of[L] = (uint32_t)nl;
        nl += rd32(b + 16 + 8 * NSECT + 4 * L);
    }
    g->nunits = d->n[S_UNIT];
    g->nseas = d->n[S_SEA];
    g->nzones = d->n[S_ZONE];
    g->nzper = d->n[S_ZPER];
    g->nclaims = d->n[S_CLAIM];
    g->nareas = d->n[S_AREA];
    g->npolys = d->n[S_POLY];
    g->nrings = d->n[S_RING];
    g->nverts = d->n[S_COORD];
    g->first_of[NLAYERS] = g->npolys;
    if (nl != g->npolys || d->n[S_STR] == 0 || b[d->off[S_STR] + d->n[S_STR] - 1] != 0 ||
        d->n[S_FLAG] != g->nverts / 8 + (g->nverts % 8 != 0) || g->nverts >= EDGE_FLAG ||
        g->nrings > g->nverts / 4 || g->npolys > g->nrings)
        return CASUS_EINVAL;
    d->tab = (const char *)b + d->off[S_STR];
    return alloc_tables(g);
}

static bool decode_units(struct casus_geo *g, const struct dec *d)
{
    for (uint32_t i = 0; i < g->nunits; i++) {
        const unsigned char *r = d->b + d->off[S_UNIT] + (size_t)i * UNIT_REC;
        struct geo_unit *u = &g->units[i];
        if (!STR(d, r, false, &u->code) || !STR(d, r + 4, false, &u->name) ||
            !STR(d, r + 8, false, &u->sov) || !STR(d, r + 12, false, &u->region) ||
            !STR(d, r + 16, true, &u->ibasin) || !STR(d, r + 28, true, &u->region_alt) ||
            !STR(d, r + 32, true, &u->region_src))
            return false;
        u->flags = rd32(r + 20);
        u->parent = rd32(r + 24);
        if (u->flags > (UNIT_ISLAND | UNIT_SPLIT) || rd32(r + 36) != 0 ||
            (u->parent != NONE32 && u->parent >= g->nunits) || !*u->code || !*u->sov || !*u->region)
            return false;
    }
    for (uint32_t i = 0; i < g->nseas; i++) {
        const unsigned char *r = d->b + d->off[S_SEA] + (size_t)i * SEA_REC;
        if (!STR(d, r, true, &g->seas[i].name) || !STR(d, r + 4, true, &g->seas[i].basin))
            return false;
    }
    return true;
}

/* Zones, territorial-sea claims and dated areas. */
static bool decode_facts(struct casus_geo *g, const struct dec *d)
{
    for (uint32_t i = 0; i < g->nzones; i++) {
        const unsigned char *r = d->b + d->off[S_ZONE] + (size_t)i * ZONE_REC;
        struct geo_zone *z = &g->zones[i];
        z->first = rd32(r + 4);
        z->n = rd32(r + 8);
        if (!STR(d, r, false, &z->name) || z->first > g->nzper || z->n > g->nzper - z->first ||
            rd32(r + 12) != 0)
            return false;
    }
    for (uint32_t i = 0; i < g->nzper; i++) {
        const unsigned char *r = d->b + d->off[S_ZPER] + (size_t)i * ZPER_REC;
        struct geo_zper *z = &g->zper[i];
        uint32_t flags = rd32(r + 12);
        z->from = rds32(r);
        z->until = rds32(r + 4);
        z->contested = (flags & ZONE_CONTESTED) != 0;
        if (z->from >= z->until || !STR(d, r + 8, true, &z->state) ||
            (flags & ~(uint32_t)ZONE_CONTESTED) != ZONE_INTERNAL ||
            !STR(d, r + 16, false, &z->source) || rd32(r + 20) != 0)
            return false;
    }
    for (uint32_t i = 0; i < g->nzones; i++)
        for (uint32_t k = g->zones[i].first; k < g->zones[i].first + g->zones[i].n; k++)
            g->zper[k].name = g->zones[i].name;
    for (uint32_t i = 0; i < g->nclaims; i++) {
        const unsigned char *r = d->b + d->off[S_CLAIM] + (size_t)i * CLAIM_REC;
        struct geo_claim *c = &g->claims[i];
        c->from = rds32(r + 4);
        c->until = rds32(r + 8);
        c->km = rd32(r + 12) / 1000.0;
        g->max_claim_km = c->km > g->max_claim_km ? c->km : g->max_claim_km;
        if (!STR(d, r, false, &c->state) || !STR(d, r + 16, true, &c->seas) || rd32(r + 20) > 1 ||
            !STR(d, r + 24, false, &c->source) || c->from >= c->until || c->km <= 0 ||
            c->km > MAX_BREADTH_KM)
            return false;
    }
    for (uint32_t i = 0; i < g->nareas; i++) {
        const unsigned char *r = d->b + d->off[S_AREA] + (size_t)i * AREA_REC;
        struct geo_area *A = &g->areas[i];
        A->unit = rd32(r);
        A->from = rds32(r + 4);
        A->until = rds32(r + 8);
        if (A->unit >= g->nunits || A->from >= A->until || !STR(d, r + 12, false, &A->admin) ||
            !STR(d, r + 16, true, &A->claims) || !STR(d, r + 20, false, &A->source))
            return false;
    }
    return true;
}

/* Vertices: in place when the host is little-endian and the section is
 * aligned (the embedded blob), else copied. */
static casus_status decode_points(struct casus_geo *g, const struct dec *d)
{
    const unsigned char *p = d->b + d->off[S_COORD];
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if ((uintptr_t)p % _Alignof(struct geo_pt) == 0) {
        g->pts = (const struct geo_pt *)(const void *)p;
        return CASUS_OK;
    }
#endif
    g->pts_own = casus_geo_xcalloc(g->alloc, g->nverts + 1, sizeof *g->pts_own);
    if (!g->pts_own)
        return CASUS_ENOMEM;
    for (uint32_t k = 0; k < g->nverts; k++) {
        g->pts_own[k].x = rds32(p + (size_t)k * PT_REC);
        g->pts_own[k].y = rds32(p + (size_t)k * PT_REC + 4);
    }
    g->pts = g->pts_own;
    return CASUS_OK;
}

/* Rings: sizes and closure (coordinate ranges: check_polys). */
static bool check_rings(struct casus_geo *g, const struct dec *d)
{
    uint32_t nv = 0;
    for (uint32_t r = 0; r < g->nrings; r++) {
        uint32_t n = rd32(d->b + d->off[S_RING] + (size_t)r * RING_REC);
        if (n < 4 || n > g->nverts - nv)
            return false;
        g->ring_start[r] = nv;
        if (g->pts[nv].x != g->pts[nv + n - 1].x || g->pts[nv].y != g->pts[nv + n - 1].y)
            return false;
        nv += n;
    }
    g->ring_start[g->nrings] = nv;
    return nv == g->nverts;
}

/* Polygons: layer grouping, owners, consecutive rings covering every ring,
 * exact bboxes within the coordinate range. */
static bool check_polys(struct casus_geo *g, const struct dec *d)
{
    uint32_t expect_ring = 0;
    for (uint32_t i = 0; i < g->npolys; i++) {
        const unsigned char *r = d->b + d->off[S_POLY] + (size_t)i * POLY_REC;
        struct geo_poly *p = &g->polys[i];
        p->layer = r[0];
        p->owner = rd32(r + 4);
        p->dflt = rd32(r + 8);
        for (int k = 0; k < 4; k++)
            p->bb[k] = rds32(r + 12 + 4 * k);
        p->ring0 = rd32(r + 28);
        p->nrings = rd32(r + 32);
        if (p->layer >= NLAYERS || r[1] || r[2] || r[3] || i < g->first_of[p->layer] ||
            i >= g->first_of[p->layer + 1])
            return false;
        uint32_t limit = p->layer == LAYER_SEA    ? g->nseas
                         : p->layer == LAYER_ZONE ? g->nzones
                                                  : g->nunits;
        if (p->owner >= limit || p->dflt >= limit || p->ring0 != expect_ring || p->nrings == 0 ||
            p->nrings > g->nrings - p->ring0)
            return false;
        expect_ring += p->nrings;
        int32_t bb[4] = {INT32_MAX, INT32_MAX, INT32_MIN, INT32_MIN};
        for (uint32_t rr = p->ring0; rr < p->ring0 + p->nrings; rr++) {
            g->ring_poly[rr] = i;
            for (uint32_t k = g->ring_start[rr]; k < g->ring_start[rr + 1]; k++) {
                const struct geo_pt *q = &g->pts[k];
                bb[0] = q->x < bb[0] ? q->x : bb[0];
                bb[1] = q->y < bb[1] ? q->y : bb[1];
                bb[2] = q->x > bb[2] ? q->x : bb[2];
                bb[3] = q->y > bb[3] ? q->y : bb[3];
            }
        }
        /* Every vertex lies in its polygon's bbox: checking the bbox
         * checks the range of every coordinate. */
        if (memcmp(bb, p->bb, sizeof bb) != 0 || bb[0] < -180000000 || bb[2] > 180000000 ||
            bb[1] < -90000000 || bb[3] > 90000000)
            return false;
        p->area = ((double)bb[2] - bb[0]) * ((double)bb[3] - bb[1]);
    }
    return expect_ring == g->nrings;
}

static casus_status decode(struct casus_geo *g, const unsigned char *b, size_t len)
{
    struct dec d = {b, len, {0}, {0}, NULL};
    casus_status st = decode_header(g, &d);
    if (st != CASUS_OK)
        return st;
    if (!decode_units(g, &d) || !decode_facts(g, &d))
        return CASUS_EINVAL;
    st = decode_points(g, &d);
    if (st != CASUS_OK)
        return st;
    if (!check_rings(g, &d) || !check_polys(g, &d))
        return CASUS_EINVAL;
    g->eflags = b + d.off[S_FLAG];
    return CASUS_OK;
}

void casus_geo_free(struct casus_geo *g)
{
    if (!g)
        return;
    const struct casus_alloc *a = g->alloc;
    casus_geo_grid_free(g);
    casus_geo_xfree(a, g->units, g->nunits + 1, sizeof *g->units);
    casus_geo_xfree(a, g->seas, g->nseas + 1, sizeof *g->seas);
    casus_geo_xfree(a, g->zones, g->nzones + 1, sizeof *g->zones);
    casus_geo_xfree(a, g->zper, g->nzper + 1, sizeof *g->zper);
    casus_geo_xfree(a, g->claims, g->nclaims + 1, sizeof *g->claims);
    casus_geo_xfree(a, g->areas, g->nareas + 1, sizeof *g->areas);
    casus_geo_xfree(a, g->polys, g->npolys + 1, sizeof *g->polys);
    casus_geo_xfree(a, g->ring_start, (size_t)g->nrings + 1, sizeof *g->ring_start);
    casus_geo_xfree(a, g->ring_poly, g->nrings + 1, sizeof *g->ring_poly);
    casus_geo_xfree(a, g->pts_own, g->nverts + 1, sizeof *g->pts_own);
    pthread_mutex_destroy(&g->lock);
    casus_mem_free(a, g, sizeof *g);
}

casus_status casus_geo_open(struct casus_geo **out, const struct casus_alloc *a, const void *blob,
                            size_t len)
{
    *out = NULL;
    if (!blob || len > UINT32_MAX)
        return CASUS_EINVAL;
    struct casus_geo *g = casus_geo_xcalloc(a, 1, sizeof *g);
    if (!g)
        return CASUS_ENOMEM;
    g->alloc = a;
    if (pthread_mutex_init(&g->lock, NULL) != 0) {
        casus_mem_free(a, g, sizeof *g);
        return CASUS_ENOMEM;
    }
    atomic_init(&g->indexed, false);
    atomic_init(&g->index_failed, false);
    atomic_init(&g->queries, 0);
    casus_status st = decode(g, blob, len);
    if (st != CASUS_OK) {
        casus_geo_free(g);
        return st;
    }
    *out = g;
    return CASUS_OK;
}

casus_status casus_geo_index(const struct casus_geo *cg)
{
    /* The index is a cache: building it does not change any answer, so the
     * object stays logically const; the mutex serialises builders. */
    struct casus_geo *g = (struct casus_geo *)cg;
    if (atomic_load_explicit(&g->indexed, memory_order_acquire))
        return CASUS_OK;
    casus_status st = CASUS_OK;
    pthread_mutex_lock(&g->lock);
    if (!atomic_load_explicit(&g->indexed, memory_order_relaxed)) {
        st = casus_geo_grid_build(g);
        if (st == CASUS_OK)
            atomic_store_explicit(&g->indexed, true, memory_order_release);
        else
            atomic_store_explicit(&g->index_failed, true, memory_order_relaxed);
    }
    pthread_mutex_unlock(&g->lock);
    return st;
}

/* Use the grid for this lookup?  Counts lookups and builds the index at
 * the CASUS_GEO_LAZY_QUERIES-th; a failed build leaves direct scans. */
static bool want_grid(const struct casus_geo *cg)
{
    struct casus_geo *g = (struct casus_geo *)cg; /* counter and cache only */
    if (atomic_load_explicit(&g->indexed, memory_order_acquire))
        return true;
    if (atomic_load_explicit(&g->index_failed, memory_order_relaxed))
        return false;
    if (atomic_fetch_add_explicit(&g->queries, 1, memory_order_relaxed) + 1 <
        CASUS_GEO_LAZY_QUERIES)
        return false;
    return casus_geo_index(g) == CASUS_OK;
}

/* ------------------------------------------------------------------ */
/* Distances and the nearest-edge rule shared by both paths.            */

static double wrap_dx(double dx)
{
    if (dx > 180 * MICRO)
        dx -= 360 * MICRO;
    else if (dx < -180 * MICRO)
        dx += 360 * MICRO;
    return dx;
}

double casus_geo_seg_dist2(const struct frame *f, const struct geo_pt *a, const struct geo_pt *b)
{
    double dxa = wrap_dx(a->x - f->qx);
    double ax = dxa * f->kx, ay = (a->y - f->qy) * f->ky;
    double bx = (dxa + ((double)b->x - a->x)) * f->kx, by = (b->y - f->qy) * f->ky;
    double vx = bx - ax, vy = by - ay;
    double l2 = vx * vx + vy * vy;
    double t = l2 > 0 ? -(ax * vx + ay * vy) / l2 : 0;
    if (t < 0)
        t = 0;
    if (t > 1)
        t = 1;
    double px = ax + t * vx, py = ay + t * vy;
    return px * px + py * py;
}

double casus_geo_rect_dist2(const struct frame *f, double x0, double y0, double x1, double y1)
{
    double cx = wrap_dx((x0 + x1) / 2 - f->qx), hw = (x1 - x0) / 2;
    double dx = fabs(cx) - hw;
    double dy = f->qy < y0 ? y0 - f->qy : f->qy > y1 ? f->qy - y1 : 0;
    if (dx < 0)
        dx = 0;
    dx *= f->kx;
    dy *= f->ky;
    return dx * dx + dy * dy;
}

uint32_t casus_geo_poly_of_vertex(const struct casus_geo *g, uint32_t v)
{
    uint32_t lo = 0, hi = g->nrings;
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (g->ring_start[mid] <= v)
            lo = mid;
        else
            hi = mid;
    }
    return g->ring_poly[lo];
}

void casus_geo_offer(const struct casus_geo *g, const struct frame *f, struct nearest *N,
                     uint32_t v)
{
    double d2 = casus_geo_seg_dist2(f, &g->pts[v], &g->pts[v + 1]);
    if (d2 > N->best2 || (d2 == N->best2 && v >= N->vert))
        return;
    if (N->exclude_sov) {
        const struct geo_poly *P = &g->polys[casus_geo_poly_of_vertex(g, v)];
        if (strcmp(g->units[P->owner].sov, N->exclude_sov) == 0)
            return;
    }
    N->best2 = d2;
    N->vert = v;
}

/* ------------------------------------------------------------------ */
/* Direct scans (before the index exists).                              */

static bool unit_matches(const struct casus_geo *g, const struct geo_poly *P, uint32_t filter)
{
    return filter == NONE32 || P->owner == filter || g->units[P->owner].parent == filter;
}

/* Even-odd crossing count of a rightward ray from (qx, qy). */
static bool direct_inside(const struct casus_geo *g, const struct geo_poly *P, double qx, double qy)
{
    bool inside = false;
    for (uint32_t r = P->ring0; r < P->ring0 + P->nrings; r++)
        for (uint32_t k = g->ring_start[r]; k + 1 < g->ring_start[r + 1]; k++) {
            const struct geo_pt *a = &g->pts[k], *b = &g->pts[k + 1];
            if ((a->y > qy) == (b->y > qy))
                continue;
            double x = a->x + (qy - a->y) * ((double)b->x - a->x) / ((double)b->y - a->y);
            if (qx < x)
                inside = !inside;
        }
    return inside;
}

static uint32_t direct_pip(const struct casus_geo *g, double qx, double qy, uint32_t layer,
                           uint32_t unit_filter)
{
    uint32_t best = NONE32;
    for (uint32_t i = g->first_of[layer]; i < g->first_of[layer + 1]; i++) {
        const struct geo_poly *P = &g->polys[i];
        if (qx < P->bb[0] || qx > P->bb[2] || qy < P->bb[1] || qy > P->bb[3] ||
            !unit_matches(g, P, unit_filter))
            continue;
        if ((best == NONE32 || P->area < g->polys[best].area) && direct_inside(g, P, qx, qy))
            best = i;
    }
    return best;
}

static void direct_scan_poly(const struct casus_geo *g, const struct frame *f, struct nearest *N,
                             uint32_t i)
{
    const struct geo_poly *P = &g->polys[i];
    for (uint32_t r = P->ring0; r < P->ring0 + P->nrings; r++)
        for (uint32_t k = g->ring_start[r]; k + 1 < g->ring_start[r + 1]; k++) {
            const struct geo_pt *a = &g->pts[k], *b = &g->pts[k + 1];
            if ((a->x == b->x && a->y == b->y) || (N->layer == LAYER_L10 && geo_edge_flag(g, k)))
                continue;
            casus_geo_offer(g, f, N, k);
        }
}

/* The polygon whose bbox is nearest is scanned first, so that the bound
 * prunes most of the others at once.  The answer does not depend on the
 * order (casus_geo_offer keeps the least (distance, vertex)). */
static void direct_nearest(const struct casus_geo *g, const struct frame *f, double max_km,
                           struct nearest *N)
{
    N->best2 = max_km * max_km;
    N->vert = NONE32;
    uint32_t seed = NONE32;
    double seed_d2 = HUGE_VAL;
    for (uint32_t i = g->first_of[N->layer]; i < g->first_of[N->layer + 1]; i++) {
        const struct geo_poly *P = &g->polys[i];
        double d2 = casus_geo_rect_dist2(f, P->bb[0], P->bb[1], P->bb[2], P->bb[3]);
        if (d2 < seed_d2 && unit_matches(g, P, N->unit_filter)) {
            seed_d2 = d2;
            seed = i;
        }
    }
    if (seed != NONE32)
        direct_scan_poly(g, f, N, seed);
    for (uint32_t i = g->first_of[N->layer]; i < g->first_of[N->layer + 1]; i++) {
        const struct geo_poly *P = &g->polys[i];
        if (i == seed || !unit_matches(g, P, N->unit_filter) ||
            casus_geo_rect_dist2(f, P->bb[0], P->bb[1], P->bb[2], P->bb[3]) > N->best2)
            continue;
        direct_scan_poly(g, f, N, i);
    }
}

/* One lookup: which path, and the frame. */
struct query {
    const struct casus_geo *g;
    bool grid;
    struct frame f;
    int32_t date;
};

static uint32_t q_pip(const struct query *q, uint32_t layer, uint32_t unit_filter)
{
    return q->grid ? casus_geo_grid_pip(q->g, q->f.qx, q->f.qy, layer, unit_filter)
                   : direct_pip(q->g, q->f.qx, q->f.qy, layer, unit_filter);
}

/* Nearest edge; returns its polygon (NONE32 if none within max_km). */
static uint32_t q_nearest(const struct query *q, double max_km, struct nearest *N)
{
    if (q->grid)
        casus_geo_grid_nearest(q->g, &q->f, max_km, N);
    else
        direct_nearest(q->g, &q->f, max_km, N);
    return N->vert == NONE32 ? NONE32 : casus_geo_poly_of_vertex(q->g, N->vert);
}

/* ------------------------------------------------------------------ */
/* Resolution rules.                                                    */

/* The unit a point in (or nearest to) 10m polygon p10 belongs to. */
static uint32_t resolve_unit(const struct query *q, uint32_t p10)
{
    const struct casus_geo *g = q->g;
    const struct geo_poly *P = &g->polys[p10];
    uint32_t u10 = P->owner;
    if (!(g->units[u10].flags & UNIT_SPLIT))
        return u10;
    uint32_t p50 = q_pip(q, LAYER_L50, u10);
    if (p50 != NONE32)
        return g->polys[p50].owner;
    struct nearest N = {LAYER_L50, u10, NULL, 0, NONE32};
    uint32_t pn = q_nearest(q, REFINE_KM, &N);
    return pn != NONE32 ? g->polys[pn].owner : P->dflt;
}

static bool in_period(int32_t date, int32_t from, int32_t until)
{
    return date >= from && date < until;
}

/* Administration and claims of unit u on the date (areas table). */
static void fill_area(const struct query *q, uint32_t u, struct casus_geo_hit *out)
{
    for (uint32_t i = 0; i < q->g->nareas; i++) {
        const struct geo_area *A = &q->g->areas[i];
        if (A->unit == u && in_period(q->date, A->from, A->until)) {
            out->administered_by = A->admin;
            out->claimed_by = A->claims;
            out->area_source = A->source;
            return;
        }
    }
}

static void fill_unit(const struct query *q, uint32_t u, struct casus_geo_hit *out)
{
    const struct geo_unit *U = &q->g->units[u];
    out->sov = U->sov;
    out->unit = U->code;
    out->unit_name = U->name;
    out->region = U->region;
    out->island = (U->flags & UNIT_ISLAND) != 0;
    out->island_basin = U->ibasin;
    out->region_alt = U->region_alt;
    out->region_source = U->region_src;
    fill_area(q, u, out);
}

/* Does the '|'-separated list name sea? */
static bool list_has(const char *list, const char *sea)
{
    size_t n = strlen(sea);
    for (const char *p = list; *p;) {
        const char *e = strchr(p, '|');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && memcmp(p, sea, n) == 0)
            return true;
        p += len + (e != NULL);
    }
    return false;
}

/* The territorial-sea row for sov on the date at a point in sea (may be
 * NULL): the state's row for that sea, a default row for that sea, the
 * state's general row, the default; NULL if none. */
static const struct geo_claim *find_claim(const struct query *q, const char *sov, const char *sea)
{
    for (int pass = 0; pass < 4; pass++) {
        bool scoped = pass < 2, any_state = pass % 2 == 1;
        if (scoped && !sea)
            continue;
        for (uint32_t i = 0; i < q->g->nclaims; i++) {
            const struct geo_claim *c = &q->g->claims[i];
            if (!in_period(q->date, c->from, c->until) ||
                strcmp(c->state, any_state ? "*" : sov) != 0 || (c->seas != NULL) != scoped ||
                (scoped && !list_has(c->seas, sea)))
                continue;
            return c;
        }
    }
    return NULL;
}

/* The period of internal-waters zone polygon pz in force on the date, or
 * NULL. */
static const struct geo_zper *zone_period(const struct query *q, uint32_t pz)
{
    if (pz == NONE32)
        return NULL;
    const struct geo_zone *Z = &q->g->zones[q->g->polys[pz].owner];
    for (uint32_t i = Z->first; i < Z->first + Z->n; i++)
        if (in_period(q->date, q->g->zper[i].from, q->g->zper[i].until))
            return &q->g->zper[i];
    return NULL;
}

static void set_waters(struct casus_geo_hit *out, const char *kind, const char *state,
                       const char *source)
{
    out->waters = kind;
    out->coastal_state = state;
    out->waters_source = source;
}

/* At sea: internal waters, the territorial sea split at the median line
 * (nearest coast decides), or the high seas.  land is the nearest 10m
 * polygon (NONE32 if none), d its distance in km. */
static void resolve_waters(const struct query *q, uint32_t land, double d,
                           struct casus_geo_hit *out)
{
    const struct casus_geo *g = q->g;
    const struct geo_zper *Z = zone_period(q, q_pip(q, LAYER_ZONE, NONE32));
    if (!Z && !(d <= g->max_claim_km + CASUS_GEO_TOLERANCE_KM)) {
        set_waters(out, "high_seas", NULL, NULL);
        return;
    }
    uint32_t u = land != NONE32 ? resolve_unit(q, land) : NONE32;
    const char *sov = u != NONE32 ? g->units[u].sov : NULL;
    if (Z) {
        const char *state = Z->state ? Z->state : sov;
        set_waters(out, "internal", state, Z->source);
        out->waters_zone = Z->name;
        out->waters_contested = Z->contested;
        if (u != NONE32 && state && strcmp(state, sov) == 0)
            fill_unit(q, u, out);
        out->sov = state;
        return;
    }
    const struct geo_claim *c = sov ? find_claim(q, sov, out->sea) : NULL;
    /* Median line: the nearest coast of another state, and the outer limit. */
    struct nearest M = {LAYER_L10, NONE32, sov, 0, NONE32};
    if (sov && q_nearest(q, d + 2 * CASUS_GEO_TOLERANCE_KM, &M) != NONE32 &&
        sqrt(M.best2) - d <= 2 * CASUS_GEO_TOLERANCE_KM)
        out->near_boundary = true;
    if (c && fabs(d - c->km) <= CASUS_GEO_TOLERANCE_KM)
        out->near_boundary = true;
    if (!c || d > c->km) {
        set_waters(out, "high_seas", NULL, NULL);
        return;
    }
    set_waters(out, "territorial_sea", sov, c->source);
    out->territorial_sea_nm = c->km / 1.852;
    fill_unit(q, u, out);
}

/* The sea at the point, or the nearest within reach (basin). */
static void resolve_sea(const struct query *q, struct casus_geo_hit *out)
{
    const struct casus_geo *g = q->g;
    uint32_t ps = q_pip(q, LAYER_SEA, NONE32);
    if (ps != NONE32) {
        const struct geo_sea *S = &g->seas[g->polys[ps].owner];
        out->sea = S->name;
        out->basin = S->basin;
        return;
    }
    struct nearest M = {LAYER_SEA, NONE32, NULL, 0, NONE32};
    uint32_t pm = q_nearest(q, SEA_FALLBACK_KM, &M);
    if (pm != NONE32) {
        const struct geo_sea *S = &g->seas[g->polys[pm].owner];
        out->basin = S->basin;
        if (M.best2 <= CASUS_GEO_TOLERANCE_KM * CASUS_GEO_TOLERANCE_KM)
            out->sea = S->name;
    }
}

static casus_status locate(const struct casus_geo *g, double lat, double lon, int32_t date,
                           bool allow_grid, struct casus_geo_hit *out)
{
    memset(out, 0, sizeof *out);
    if (!(lat >= -90 && lat <= 90) || !(lon >= -180 && lon <= 180))
        return CASUS_EINVAL;
    struct query q;
    q.g = g;
    q.date = date;
    q.grid = allow_grid && want_grid(g);
    q.f.qx = lon * MICRO;
    q.f.qy = lat * MICRO;
    q.f.ky = KM_PER_UDEG;
    q.f.kx = KM_PER_UDEG * cos(lat * (3.14159265358979323846 / 180));
    if (q.f.kx < 0)
        q.f.kx = 0;

    struct nearest N = {LAYER_L10, NONE32, NULL, 0, NONE32};
    uint32_t pn = q_nearest(&q, 40000.0, &N);
    out->boundary_km = pn != NONE32 ? sqrt(N.best2) : HUGE_VAL;
    out->near_boundary = out->boundary_km <= CASUS_GEO_TOLERANCE_KM;

    uint32_t p10 = q_pip(&q, LAYER_L10, NONE32);
    if (p10 != NONE32) {
        fill_unit(&q, resolve_unit(&q, p10), out);
        return CASUS_OK;
    }
    resolve_sea(&q, out);
    if (out->near_boundary && pn != NONE32) {
        out->snapped = true;
        fill_unit(&q, resolve_unit(&q, pn), out);
    }
    resolve_waters(&q, pn, out->boundary_km, out);
    return CASUS_OK;
}

casus_status casus_geo_locate(const struct casus_geo *g, double lat, double lon, int32_t date,
                              struct casus_geo_hit *out)
{
    return locate(g, lat, lon, date, true, out);
}

casus_status casus_geo_locate_direct(const struct casus_geo *g, double lat, double lon,
                                     int32_t date, struct casus_geo_hit *out)
{
    return locate(g, lat, lon, date, false, out);
}
