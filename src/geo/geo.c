/*
 * geo.c — point location over the Natural Earth blob (see geo.h and
 * docs/geo-format.md).
 *
 * casus_geo_open() validates every byte of the blob, decodes the
 * delta/varint rings into one array of micro-degree points and builds a
 * two-level grid: 1° cells, and 1/8° subcells inside the 1° cells that hold
 * many edges.  Each (finest) cell lists, per polygon touching it, the
 * polygon's edges inside the cell and whether the cell's reference point
 * lies inside the polygon; a polygon that covers a cell without an edge in
 * it gets an entry with no edges.  Point-in-polygon (even-odd over all
 * rings) is then: reference state XOR parity of the edges that cross the
 * segment from the query to the reference point.  Only the edges of one
 * cell are ever tested.
 *
 * Distance to the nearest land edge (coast or border between sovereigns)
 * is a box search over the grid that doubles its radius until the best edge
 * found lies inside the box, in a local equirectangular projection centred
 * on the query.
 *
 * Resolution rule (geo.h): sovereign and unit from the 1:10m layer; a 1:50m
 * subunit refines a 10m unit that NE splits (USA -> USH/USK/USB).
 */
#include "geo/geo.h"

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
    HDR_SIZE = 96,
    UNIT_REC = 32,
    SEA_REC = 8,
    POLY_REC = 36,
    RING_REC = 4,
    GEO_VERSION = 1,
    LAYER_L10 = 0,
    LAYER_L50 = 1,
    LAYER_SEA = 2,
    NLAYERS = 3,
    UNIT_ISLAND = 1,
    UNIT_SPLIT = 2
};
#define NONE32 UINT32_MAX
#define MICRO  1000000.0

/* Grid geometry: 360 x 180 cells of 1°, subdivided 8 x 8 when busy. */
enum { G_COLS = 360, G_ROWS = 180, G_SUB = 8, G_L0 = G_COLS * G_ROWS, G_SUB_THRESH = 40 };
#define G_CELL 1000000.0        /* µdeg */
#define G_FINE (G_CELL / G_SUB) /* 125000 µdeg */
/* Reference points sit off the µdeg lattice so that no vertex is ever
 * exactly on a reference row or column. */
#define REF_DX     0.29
#define REF_DY     0.37
#define EDGE_FLAG  0x80000000u /* edge ref: skip in distance search */
#define STATE_FLAG 0x80000000u /* entry: reference point inside */

#define KM_PER_DEG      111.19492664455873 /* 2*pi*6371/360 */
#define KM_PER_UDEG     (KM_PER_DEG / MICRO)
#define REFINE_KM       25.0  /* reach of a 50m subunit beyond its outline */
#define SEA_FALLBACK_KM 100.0 /* reach of a sea's basin beyond its outline */
/* Work budget for building the index; a blob needing more is rejected as
 * implausible (protects open() against fuzzed giant polygons). */
#define BUILD_BUDGET 200000000u

struct geo_unit {
    const char *code, *name, *sov, *region, *ibasin;
    uint32_t flags, parent;
};

struct geo_sea {
    const char *name, *basin;
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
    uint32_t nunits, nseas, npolys, nrings, nverts;
    struct geo_unit *units;
    struct geo_sea *seas;
    struct geo_poly *polys;
    uint32_t *ring_start; /* first point of ring r; ring_start[nrings] = nverts */
    uint32_t *ring_poly;
    struct geo_pt *pts;
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

/* Section [off, off + n*rec) lies inside the blob. */
static bool section_ok(size_t len, uint32_t off, uint32_t n, uint32_t rec)
{
    uint64_t end = (uint64_t)off + (uint64_t)n * rec;
    return off >= HDR_SIZE && end <= len;
}

static void *xcalloc(const struct casus_alloc *a, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    void *p = casus_mem_alloc(a, n * size);
    if (p)
        memset(p, 0, n * size);
    return p;
}

static void xfree(const struct casus_alloc *a, void *p, size_t n, size_t size)
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

static bool get_varint(const unsigned char *p, size_t len, size_t *pos, uint64_t *out)
{
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (*pos >= len)
            return false;
        unsigned char b = p[(*pos)++];
        v |= (uint64_t)(b & 0x7F) << shift;
        if (!(b & 0x80)) {
            *out = v;
            return true;
        }
    }
    return false;
}

static int64_t unzigzag(uint64_t v)
{
    return (v & 1) ? -(int64_t)(v >> 1) - 1 : (int64_t)(v >> 1);
}

static casus_status decode(struct casus_geo *g, const unsigned char *b, size_t len)
{
    if (len < HDR_SIZE || memcmp(b, "CASUSGEO", 8) != 0 || rd32(b + 8) != GEO_VERSION ||
        rd32(b + 12) != len)
        return CASUS_EINVAL;
    uint32_t str_off = rd32(b + 16), str_len = rd32(b + 20);
    uint32_t unit_off = rd32(b + 24), sea_off = rd32(b + 32), poly_off = rd32(b + 40);
    uint32_t ring_off = rd32(b + 48), coord_off = rd32(b + 56), coord_len = rd32(b + 60);
    g->nunits = rd32(b + 28);
    g->nseas = rd32(b + 36);
    g->npolys = rd32(b + 44);
    g->nrings = rd32(b + 52);
    uint32_t nlayer[NLAYERS] = {rd32(b + 64), rd32(b + 68), rd32(b + 72)};
    g->nverts = rd32(b + 76);
    if (!section_ok(len, str_off, str_len, 1) || str_len == 0 || b[str_off + str_len - 1] != 0 ||
        !section_ok(len, unit_off, g->nunits, UNIT_REC) ||
        !section_ok(len, sea_off, g->nseas, SEA_REC) ||
        !section_ok(len, poly_off, g->npolys, POLY_REC) ||
        !section_ok(len, ring_off, g->nrings, RING_REC) ||
        !section_ok(len, coord_off, coord_len, 1))
        return CASUS_EINVAL;
    if ((uint64_t)nlayer[0] + nlayer[1] + nlayer[2] != g->npolys)
        return CASUS_EINVAL;
    /* Every vertex takes at least 2 bytes and every ring at least 4 vertices:
     * this bounds the allocations below by the blob size. */
    if (g->nverts > coord_len / 2 || g->nverts >= EDGE_FLAG || g->nrings > g->nverts / 4 ||
        g->npolys > g->nrings)
        return CASUS_EINVAL;

    const char *tab = (const char *)b + str_off;
    const struct casus_alloc *a = g->alloc;
    g->units = xcalloc(a, g->nunits ? g->nunits : 1, sizeof *g->units);
    g->seas = xcalloc(a, g->nseas ? g->nseas : 1, sizeof *g->seas);
    g->polys = xcalloc(a, g->npolys ? g->npolys : 1, sizeof *g->polys);
    g->ring_start = xcalloc(a, (size_t)g->nrings + 1, sizeof *g->ring_start);
    g->ring_poly = xcalloc(a, g->nrings ? g->nrings : 1, sizeof *g->ring_poly);
    g->pts = xcalloc(a, g->nverts ? g->nverts : 1, sizeof *g->pts);
    if (!g->units || !g->seas || !g->polys || !g->ring_start || !g->ring_poly || !g->pts)
        return CASUS_ENOMEM;

    for (uint32_t i = 0; i < g->nunits; i++) {
        const unsigned char *r = b + unit_off + (size_t)i * UNIT_REC;
        struct geo_unit *u = &g->units[i];
        if (!str_ref(tab, str_len, rd32(r), false, &u->code) ||
            !str_ref(tab, str_len, rd32(r + 4), false, &u->name) ||
            !str_ref(tab, str_len, rd32(r + 8), false, &u->sov) ||
            !str_ref(tab, str_len, rd32(r + 12), false, &u->region) ||
            !str_ref(tab, str_len, rd32(r + 16), true, &u->ibasin))
            return CASUS_EINVAL;
        u->flags = rd32(r + 20);
        u->parent = rd32(r + 24);
        if (u->flags > (UNIT_ISLAND | UNIT_SPLIT) ||
            (u->parent != NONE32 && u->parent >= g->nunits) || !*u->code || !*u->sov || !*u->region)
            return CASUS_EINVAL;
    }
    for (uint32_t i = 0; i < g->nseas; i++) {
        const unsigned char *r = b + sea_off + (size_t)i * SEA_REC;
        if (!str_ref(tab, str_len, rd32(r), true, &g->seas[i].name) ||
            !str_ref(tab, str_len, rd32(r + 4), true, &g->seas[i].basin))
            return CASUS_EINVAL;
    }

    /* Rings: decode the coordinate stream in ring order. */
    const unsigned char *cs = b + coord_off;
    size_t pos = 0;
    uint32_t nv = 0;
    for (uint32_t r = 0; r < g->nrings; r++) {
        uint32_t n = rd32(b + ring_off + (size_t)r * RING_REC);
        if (n < 4 || n > g->nverts - nv)
            return CASUS_EINVAL;
        g->ring_start[r] = nv;
        int64_t x = 0, y = 0;
        for (uint32_t k = 0; k < n; k++) {
            uint64_t vx, vy;
            if (!get_varint(cs, coord_len, &pos, &vx) || !get_varint(cs, coord_len, &pos, &vy))
                return CASUS_EINVAL;
            x += unzigzag(vx >> 1);
            y += unzigzag(vy);
            if (x < -180000000 || x > 180000000 || y < -90000000 || y > 90000000)
                return CASUS_EINVAL;
            g->pts[nv + k].x = (int32_t)x;
            g->pts[nv + k].y = (int32_t)y;
        }
        if (g->pts[nv].x != g->pts[nv + n - 1].x || g->pts[nv].y != g->pts[nv + n - 1].y)
            return CASUS_EINVAL;
        nv += n;
    }
    if (nv != g->nverts || pos != coord_len)
        return CASUS_EINVAL;
    g->ring_start[g->nrings] = nv;

    uint32_t expect_ring = 0;
    for (uint32_t i = 0; i < g->npolys; i++) {
        const unsigned char *r = b + poly_off + (size_t)i * POLY_REC;
        struct geo_poly *p = &g->polys[i];
        p->layer = r[0];
        p->owner = rd32(r + 4);
        p->dflt = rd32(r + 8);
        for (int k = 0; k < 4; k++)
            p->bb[k] = rds32(r + 12 + 4 * k);
        p->ring0 = rd32(r + 28);
        p->nrings = rd32(r + 32);
        uint32_t limit = p->layer == LAYER_SEA ? g->nseas : g->nunits;
        uint32_t layer_first = p->layer == 0   ? 0
                               : p->layer == 1 ? nlayer[0]
                                               : nlayer[0] + nlayer[1];
        if (p->layer >= NLAYERS || r[1] || r[2] || r[3] || p->owner >= limit || p->dflt >= limit ||
            p->ring0 != expect_ring || p->nrings == 0 || p->nrings > g->nrings - p->ring0 ||
            i < layer_first || i >= layer_first + nlayer[p->layer])
            return CASUS_EINVAL;
        expect_ring += p->nrings;
        /* The stored bbox must be the exact bbox of the vertices. */
        int32_t bb[4] = {INT32_MAX, INT32_MAX, INT32_MIN, INT32_MIN};
        for (uint32_t rr = p->ring0; rr < p->ring0 + p->nrings; rr++) {
            g->ring_poly[rr] = i;
            for (uint32_t k = g->ring_start[rr]; k < g->ring_start[rr + 1]; k++) {
                const struct geo_pt *q = &g->pts[k];
                if (q->x < bb[0])
                    bb[0] = q->x;
                if (q->y < bb[1])
                    bb[1] = q->y;
                if (q->x > bb[2])
                    bb[2] = q->x;
                if (q->y > bb[3])
                    bb[3] = q->y;
            }
        }
        if (memcmp(bb, p->bb, sizeof bb) != 0)
            return CASUS_EINVAL;
        p->area = ((double)bb[2] - bb[0]) * ((double)bb[3] - bb[1]);
    }
    if (expect_ring != g->nrings)
        return CASUS_EINVAL;
    return CASUS_OK;
}

/* Edge flags live in the coordinate stream (low bit of the x varint); a
 * second pass re-reads them once the points are known good. */
static void read_flags(const unsigned char *b, uint8_t *flags, uint32_t nverts)
{
    const unsigned char *cs = b + rd32(b + 56);
    size_t len = rd32(b + 60), pos = 0;
    for (uint32_t k = 0; k < nverts; k++) {
        uint64_t vx = 0, vy = 0;
        get_varint(cs, len, &pos, &vx);
        get_varint(cs, len, &pos, &vy);
        flags[k] = (uint8_t)(vx & 1);
    }
}

/* ------------------------------------------------------------------ */
/* Grid.                                                                */

/* Reference point of a finest cell, given its 1° cell and subcell. */
static void ref_point(uint32_t ci, uint32_t cj, int si, int sj, double *rx, double *ry)
{
    if (si < 0) {
        si = G_SUB / 2;
        sj = G_SUB / 2;
    }
    *rx = -180 * MICRO + ci * G_CELL + (si + 0.5) * G_FINE + REF_DX;
    *ry = -90 * MICRO + cj * G_CELL + (sj + 0.5) * G_FINE + REF_DY;
}

/* Index of the finest cell holding (x, y), plus its 1°/sub coordinates. */
static uint32_t cell_of(const struct casus_geo *g, double x, double y, uint32_t *ci, uint32_t *cj,
                        int *si, int *sj)
{
    double fx = (x + 180 * MICRO) / G_FINE, fy = (y + 90 * MICRO) / G_FINE;
    int64_t ix = (int64_t)fx, iy = (int64_t)fy;
    if (ix < 0)
        ix = 0;
    if (iy < 0)
        iy = 0;
    if (ix >= G_COLS * G_SUB)
        ix = G_COLS * G_SUB - 1;
    if (iy >= G_ROWS * G_SUB)
        iy = G_ROWS * G_SUB - 1;
    *ci = (uint32_t)(ix / G_SUB);
    *cj = (uint32_t)(iy / G_SUB);
    uint32_t l0 = *cj * G_COLS + *ci;
    if (g->l0_sub[l0] == NONE32) {
        *si = *sj = -1;
        return l0;
    }
    *si = (int)(ix % G_SUB);
    *sj = (int)(iy % G_SUB);
    return g->l0_sub[l0] + (uint32_t)(*sj * G_SUB + *si);
}

/* Visit every cell of a grid (origin ox, oy; cell size cs; ncols x nrows)
 * that segment a-b touches, expanded by a small epsilon so that rounding
 * never drops a cell.  Calls fn(ctx, col, row) once per cell. */
struct trav {
    void (*fn)(void *ctx, uint32_t col, uint32_t row);
    void *ctx;
};

static void traverse(const struct trav *t, double ax, double ay, double bx, double by, double ox,
                     double oy, double cs, int ncols, int nrows)
{
    const double eps = 2.0;
    double ymin = (ay < by ? ay : by) - eps, ymax = (ay < by ? by : ay) + eps;
    int r0 = (int)floor((ymin - oy) / cs), r1 = (int)floor((ymax - oy) / cs);
    if (r0 < 0)
        r0 = 0;
    if (r1 >= nrows)
        r1 = nrows - 1;
    if (r0 == r1) {
        /* Fast path: the (expanded) edge stays in one row of cells. */
        double xmin = (ax < bx ? ax : bx) - eps, xmax = (ax < bx ? bx : ax) + eps;
        int c0 = (int)floor((xmin - ox) / cs), c1 = (int)floor((xmax - ox) / cs);
        if (c0 < 0)
            c0 = 0;
        if (c1 >= ncols)
            c1 = ncols - 1;
        for (int c = c0; c <= c1; c++)
            t->fn(t->ctx, (uint32_t)c, (uint32_t)r0);
        return;
    }
    for (int r = r0; r <= r1; r++) {
        double y0 = oy + r * cs - eps, y1 = oy + (r + 1) * cs + eps;
        double xa, xb;
        if (ay == by) {
            xa = ax;
            xb = bx;
        } else {
            double t0 = (y0 - ay) / (by - ay), t1 = (y1 - ay) / (by - ay);
            if (t0 > t1) {
                double tt = t0;
                t0 = t1;
                t1 = tt;
            }
            if (t0 < 0)
                t0 = 0;
            if (t1 > 1)
                t1 = 1;
            if (t0 > t1)
                continue;
            xa = ax + t0 * (bx - ax);
            xb = ax + t1 * (bx - ax);
        }
        double xmin = fmin(xa, xb) - eps, xmax = fmax(xa, xb) + eps;
        int c0 = (int)floor((xmin - ox) / cs), c1 = (int)floor((xmax - ox) / cs);
        if (c0 < 0)
            c0 = 0;
        if (c1 >= ncols)
            c1 = ncols - 1;
        for (int c = c0; c <= c1; c++)
            t->fn(t->ctx, (uint32_t)c, (uint32_t)r);
    }
}

/* Build context: counting or filling (cell, edge) pairs. */
struct build {
    struct casus_geo *g;
    uint32_t *l0_count;   /* pass 0: edges per 1° cell */
    uint32_t *cell_count; /* pass 1: pairs per finest cell; pass 2: fill cursor */
    uint32_t *pair_edge;  /* pass 2: edge ref per pair, grouped by cell */
    uint32_t *pair_poly;  /* pass 2: polygon per pair */
    uint32_t cur_poly;
    uint64_t work;
    int pass;
    uint32_t cur_edge; /* edge ref being traversed */
    struct trav sub;   /* traversal inside a subdivided cell */
    double ax, ay, bx, by;
    uint32_t sub_base;
};

static void visit_fine(void *ctx, uint32_t col, uint32_t row)
{
    struct build *B = ctx;
    uint32_t cell = B->sub_base + row * G_SUB + col;
    B->work++;
    if (B->pass == 1) {
        B->cell_count[cell]++;
    } else {
        B->pair_poly[B->cell_count[cell]] = B->cur_poly;
        B->pair_edge[B->cell_count[cell]++] = B->cur_edge;
    }
}

static void visit_l0(void *ctx, uint32_t col, uint32_t row)
{
    struct build *B = ctx;
    uint32_t l0 = row * G_COLS + col;
    B->work++;
    if (B->pass == 0) {
        B->l0_count[l0]++;
        return;
    }
    uint32_t sub = B->g->l0_sub[l0];
    if (sub == NONE32) {
        if (B->pass == 1) {
            B->cell_count[l0]++;
        } else {
            B->pair_poly[B->cell_count[l0]] = B->cur_poly;
            B->pair_edge[B->cell_count[l0]++] = B->cur_edge;
        }
        return;
    }
    B->sub_base = sub;
    traverse(&B->sub, B->ax, B->ay, B->bx, B->by, -180 * MICRO + col * G_CELL,
             -90 * MICRO + row * G_CELL, G_FINE, G_SUB, G_SUB);
}

static bool run_edges(struct build *B, const uint8_t *flags)
{
    struct casus_geo *g = B->g;
    struct trav t = {visit_l0, B};
    for (uint32_t p = 0; p < g->npolys; p++) {
        const struct geo_poly *P = &g->polys[p];
        B->cur_poly = p;
        for (uint32_t r = P->ring0; r < P->ring0 + P->nrings; r++) {
            for (uint32_t k = g->ring_start[r]; k + 1 < g->ring_start[r + 1]; k++) {
                const struct geo_pt *a = &g->pts[k], *b = &g->pts[k + 1];
                if (a->x == b->x && a->y == b->y)
                    continue;
                B->cur_edge = k | (P->layer == LAYER_L10 && flags[k] ? EDGE_FLAG : 0);
                B->ax = a->x;
                B->ay = a->y;
                B->bx = b->x;
                B->by = b->y;
                traverse(&t, a->x, a->y, b->x, b->y, -180 * MICRO, -90 * MICRO, G_CELL, G_COLS,
                         G_ROWS);
                if (B->work > BUILD_BUDGET)
                    return false;
            }
        }
    }
    return true;
}

struct xing {
    uint32_t row; /* fine row */
    double x;
};

static int xing_cmp(const void *pa, const void *pb)
{
    const struct xing *a = pa, *b = pb;
    if (a->row != b->row)
        return a->row < b->row ? -1 : 1;
    return a->x < b->x ? -1 : a->x > b->x;
}

struct cover {
    uint32_t cell, poly;
};

static double fine_row_y(uint32_t r)
{
    return -90 * MICRO + (r + 0.5) * G_FINE + REF_DY;
}

/* Find entry of poly p among cell's entries (sorted by poly); NULL if none. */
static struct geo_entry *find_entry(struct geo_entry *e, uint32_t n, uint32_t p)
{
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (e[mid].poly < p)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && e[lo].poly == p ? &e[lo] : NULL;
}

/* Reference-point states and cover entries: for each polygon, the crossings
 * of its edges with every fine row line (y = row centre + REF_DY) through
 * its bbox; a reference point's state is the parity of crossings west of
 * it.  Covers go to *covers (grown as needed). */
static casus_status states_and_covers(struct casus_geo *g, struct cover **covers, size_t *ncov,
                                      size_t *capcov, uint64_t *work)
{
    const struct casus_alloc *a = g->alloc;
    struct xing *xs = NULL;
    size_t xcap = 0;
    casus_status st = CASUS_OK;
    for (uint32_t p = 0; p < g->npolys && st == CASUS_OK; p++) {
        const struct geo_poly *P = &g->polys[p];
        size_t nx = 0;
        for (uint32_t r = P->ring0; r < P->ring0 + P->nrings; r++) {
            for (uint32_t k = g->ring_start[r]; k + 1 < g->ring_start[r + 1]; k++) {
                const struct geo_pt *pa = &g->pts[k], *pb = &g->pts[k + 1];
                if (pa->y == pb->y)
                    continue;
                double ylo = fmin(pa->y, pb->y), yhi = fmax(pa->y, pb->y);
                int64_t r0 = (int64_t)floor((ylo + 90 * MICRO) / G_FINE) - 1;
                int64_t r1 = (int64_t)floor((yhi + 90 * MICRO) / G_FINE) + 1;
                if (r0 < 0)
                    r0 = 0;
                if (r1 > G_ROWS * G_SUB - 1)
                    r1 = G_ROWS * G_SUB - 1;
                for (int64_t row = r0; row <= r1; row++) {
                    double y = fine_row_y((uint32_t)row);
                    if ((pa->y > y) == (pb->y > y))
                        continue;
                    if (nx == xcap) {
                        size_t nc = xcap ? xcap * 2 : 1024;
                        struct xing *nxs =
                            casus_mem_realloc(a, xs, xcap * sizeof *xs, nc * sizeof *xs);
                        if (!nxs) {
                            st = CASUS_ENOMEM;
                            goto done;
                        }
                        xs = nxs;
                        xcap = nc;
                    }
                    xs[nx].row = (uint32_t)row;
                    xs[nx].x =
                        pa->x + (y - pa->y) * ((double)pb->x - pa->x) / ((double)pb->y - pa->y);
                    nx++;
                    (*work)++;
                }
            }
        }
        if (*work > BUILD_BUDGET) {
            st = CASUS_EINVAL;
            break;
        }
        qsort(xs, nx, sizeof *xs, xing_cmp);
        /* Walk the fine rows of the bbox. */
        int64_t fr0 = (int64_t)floor(((double)P->bb[1] + 90 * MICRO) / G_FINE);
        int64_t fr1 = (int64_t)floor(((double)P->bb[3] + 90 * MICRO) / G_FINE);
        int64_t c0 = (int64_t)floor(((double)P->bb[0] + 180 * MICRO) / G_CELL);
        int64_t c1 = (int64_t)floor(((double)P->bb[2] + 180 * MICRO) / G_CELL);
        if (fr1 > G_ROWS * G_SUB - 1)
            fr1 = G_ROWS * G_SUB - 1;
        if (c1 > G_COLS - 1)
            c1 = G_COLS - 1;
        size_t xi = 0;
        for (int64_t fr = fr0; fr <= fr1; fr++) {
            while (xi < nx && xs[xi].row < (uint32_t)fr)
                xi++;
            size_t row_begin = xi, row_end = xi;
            while (row_end < nx && xs[row_end].row == (uint32_t)fr)
                row_end++;
            uint32_t cj = (uint32_t)(fr / G_SUB);
            int sj = (int)(fr % G_SUB);
            size_t k = row_begin;
            for (int64_t ci = c0; ci <= c1; ci++) {
                uint32_t l0 = cj * G_COLS + (uint32_t)ci;
                uint32_t sub = g->l0_sub[l0];
                int nsi = sub == NONE32 ? 1 : G_SUB;
                if (sub == NONE32 && sj != G_SUB / 2)
                    continue;
                for (int si = 0; si < nsi; si++) {
                    double rx, ry;
                    ref_point((uint32_t)ci, cj, sub == NONE32 ? -1 : si, sj, &rx, &ry);
                    while (k < row_end && xs[k].x < rx)
                        k++;
                    bool inside = ((k - row_begin) & 1) != 0;
                    uint32_t cell = sub == NONE32 ? l0 : sub + (uint32_t)(sj * G_SUB + si);
                    struct geo_cell *c = &g->cells[cell];
                    struct geo_entry *e = find_entry(g->entries + c->first, c->n, p);
                    (*work)++;
                    if (e) {
                        if (inside)
                            e->nedges |= STATE_FLAG;
                    } else if (inside) {
                        if (*ncov == *capcov) {
                            size_t nc = *capcov ? *capcov * 2 : 4096;
                            struct cover *ncv = casus_mem_realloc(
                                a, *covers, *capcov * sizeof **covers, nc * sizeof **covers);
                            if (!ncv) {
                                st = CASUS_ENOMEM;
                                goto done;
                            }
                            *covers = ncv;
                            *capcov = nc;
                        }
                        (*covers)[*ncov].cell = cell;
                        (*covers)[*ncov].poly = p;
                        (*ncov)++;
                    }
                }
            }
            xi = row_end;
        }
        if (*work > BUILD_BUDGET)
            st = CASUS_EINVAL;
    }
done:
    casus_mem_free(a, xs, xcap * sizeof *xs);
    return st;
}

/* Distance-search helpers: per finest cell the 10m edges that are coasts or
 * borders between sovereigns, and per 1° cell how far (in cells) the nearest
 * cell holding such edges is (multi-source BFS, longitudes wrap). */
static casus_status build_distance(struct casus_geo *g)
{
    const struct casus_alloc *a = g->alloc;
    g->dfirst = xcalloc(a, (size_t)g->ncells + 1, sizeof *g->dfirst);
    g->l0_far = xcalloc(a, G_L0, 1);
    uint32_t *queue = xcalloc(a, G_L0, sizeof *queue);
    if (!g->dfirst || !g->l0_far || !queue) {
        xfree(a, queue, G_L0, sizeof *queue);
        return CASUS_ENOMEM;
    }
    size_t n = 0;
    for (int pass = 0; pass < 2; pass++) {
        n = 0;
        for (uint32_t c = 0; c < g->ncells; c++) {
            if (pass == 0)
                g->dfirst[c] = (uint32_t)n;
            const struct geo_cell *cl = &g->cells[c];
            for (uint32_t i = cl->first; i < cl->first + cl->n; i++) {
                const struct geo_entry *e = &g->entries[i];
                if (g->polys[e->poly].layer != LAYER_L10)
                    continue;
                uint32_t ne = e->nedges & ~STATE_FLAG;
                for (uint32_t k = e->first_edge; k < e->first_edge + ne; k++) {
                    if (g->edges[k] & EDGE_FLAG)
                        continue;
                    if (pass == 1)
                        g->dedges[n] = g->edges[k];
                    n++;
                }
            }
        }
        if (pass == 0) {
            g->dfirst[g->ncells] = (uint32_t)n;
            g->ndedges = (uint32_t)n;
            g->dedges = xcalloc(a, n ? n : 1, sizeof *g->dedges);
            if (!g->dedges) {
                xfree(a, queue, G_L0, sizeof *queue);
                return CASUS_ENOMEM;
            }
        }
    }
    size_t head = 0, tail = 0;
    for (uint32_t c = 0; c < G_L0; c++) {
        if (g->l0_land[c]) {
            g->l0_far[c] = 0;
            queue[tail++] = c;
        } else {
            g->l0_far[c] = 255;
        }
    }
    while (head < tail) {
        uint32_t c = queue[head++];
        int r = (int)(c / G_COLS), col = (int)(c % G_COLS);
        uint8_t d = g->l0_far[c];
        if (d >= 254)
            continue;
        for (int dr = -1; dr <= 1; dr++)
            for (int dc = -1; dc <= 1; dc++) {
                int rr = r + dr, cc = ((col + dc) % G_COLS + G_COLS) % G_COLS;
                if (rr < 0 || rr >= G_ROWS)
                    continue;
                uint32_t nc = (uint32_t)(rr * G_COLS + cc);
                if (g->l0_far[nc] > d + 1) {
                    g->l0_far[nc] = (uint8_t)(d + 1);
                    queue[tail++] = nc;
                }
            }
    }
    xfree(a, queue, G_L0, sizeof *queue);
    return CASUS_OK;
}

static casus_status build_index(struct casus_geo *g, const unsigned char *blob)
{
    const struct casus_alloc *a = g->alloc;
    casus_status st = CASUS_ENOMEM;
    struct build B;
    memset(&B, 0, sizeof B);
    B.g = g;
    B.sub.fn = visit_fine;
    B.sub.ctx = &B;
    uint8_t *flags = xcalloc(a, g->nverts ? g->nverts : 1, 1);
    uint32_t *pair_edge = NULL, *pair_start = NULL, *pair_poly = NULL;
    struct cover *covers = NULL;
    size_t ncov = 0, capcov = 0;
    size_t npairs = 0;
    B.l0_count = xcalloc(a, G_L0, sizeof *B.l0_count);
    g->l0_sub = xcalloc(a, G_L0, sizeof *g->l0_sub);
    g->l0_land = xcalloc(a, G_L0, 1);
    if (!flags || !B.l0_count || !g->l0_sub || !g->l0_land)
        goto out;
    read_flags(blob, flags, g->nverts);

    /* Pass 0: edges per 1° cell; subdivide busy cells. */
    B.pass = 0;
    if (!run_edges(&B, flags)) {
        st = CASUS_EINVAL;
        goto out;
    }
    uint32_t nsub = 0;
    for (uint32_t c = 0; c < G_L0; c++) {
        if (B.l0_count[c] > G_SUB_THRESH) {
            g->l0_sub[c] = G_L0 + nsub * G_SUB * G_SUB;
            nsub++;
        } else {
            g->l0_sub[c] = NONE32;
        }
    }
    g->ncells = G_L0 + nsub * G_SUB * G_SUB;
    g->cells = xcalloc(a, g->ncells, sizeof *g->cells);
    B.cell_count = xcalloc(a, (size_t)g->ncells + 1, sizeof *B.cell_count);
    if (!g->cells || !B.cell_count)
        goto out;

    /* Pass 1: pairs per finest cell; pass 2: fill, grouped by cell. */
    B.pass = 1;
    B.work = 0;
    if (!run_edges(&B, flags)) {
        st = CASUS_EINVAL;
        goto out;
    }
    pair_start = xcalloc(a, (size_t)g->ncells + 1, sizeof *pair_start);
    if (!pair_start)
        goto out;
    for (uint32_t c = 0; c < g->ncells; c++) {
        pair_start[c] = (uint32_t)npairs;
        npairs += B.cell_count[c];
    }
    pair_start[g->ncells] = (uint32_t)npairs;
    pair_edge = xcalloc(a, npairs ? npairs : 1, sizeof *pair_edge);
    pair_poly = xcalloc(a, npairs ? npairs : 1, sizeof *pair_poly);
    if (!pair_edge || !pair_poly)
        goto out;
    B.pair_poly = pair_poly;
    memcpy(B.cell_count, pair_start, ((size_t)g->ncells + 1) * sizeof *pair_start);
    B.pair_edge = pair_edge;
    B.pass = 2;
    B.work = 0;
    run_edges(&B, flags);

    /* Entries: group each cell's pairs by polygon (pairs are in polygon
     * order already, since polygons were traversed in order). */
    size_t nent = 0;
    for (uint32_t c = 0; c < g->ncells; c++) {
        uint32_t prev = NONE32;
        for (uint32_t k = pair_start[c]; k < pair_start[c + 1]; k++) {
            nent += pair_poly[k] != prev;
            prev = pair_poly[k];
        }
    }
    g->entries = xcalloc(a, nent ? nent : 1, sizeof *g->entries);
    if (!g->entries)
        goto out;
    g->edges = pair_edge;
    g->nedges = (uint32_t)npairs;
    pair_edge = NULL;
    nent = 0;
    for (uint32_t c = 0; c < g->ncells; c++) {
        g->cells[c].first = (uint32_t)nent;
        uint32_t prev = NONE32;
        for (uint32_t k = pair_start[c]; k < pair_start[c + 1]; k++) {
            uint32_t poly = pair_poly[k];
            if (poly != prev) {
                g->entries[nent].poly = poly;
                g->entries[nent].first_edge = k;
                g->entries[nent].nedges = 0;
                nent++;
                prev = poly;
            }
            g->entries[nent - 1].nedges++;
            if (c < G_L0 && g->polys[poly].layer == LAYER_L10 && !(g->edges[k] & EDGE_FLAG))
                g->l0_land[c] = 1;
        }
        g->cells[c].n = (uint32_t)nent - g->cells[c].first;
    }
    g->nentries = (uint32_t)nent;
    /* l0_land for subcells: mark their parent 1° cell. */
    for (uint32_t c = 0; c < G_L0; c++) {
        uint32_t sub = g->l0_sub[c];
        if (sub == NONE32)
            continue;
        g->l0_land[c] = 0;
        for (uint32_t s = sub; s < sub + G_SUB * G_SUB && !g->l0_land[c]; s++)
            for (uint32_t e = g->cells[s].first; e < g->cells[s].first + g->cells[s].n; e++) {
                const struct geo_entry *E = &g->entries[e];
                if (g->polys[E->poly].layer != LAYER_L10)
                    continue;
                for (uint32_t k = E->first_edge; k < E->first_edge + E->nedges; k++)
                    if (!(g->edges[k] & EDGE_FLAG)) {
                        g->l0_land[c] = 1;
                        break;
                    }
            }
    }
    B.work = 0;
    st = states_and_covers(g, &covers, &ncov, &capcov, &B.work);
    if (st != CASUS_OK)
        goto out;

    /* Merge covers into the entry array (covers come in polygon order, so
     * a counting sort by cell keeps each cell's covers in polygon order). */
    if (ncov) {
        st = CASUS_ENOMEM;
        size_t total = nent + ncov;
        if (total >= NONE32)
            goto out;
        uint32_t *cnt = xcalloc(a, (size_t)g->ncells + 1, sizeof *cnt);
        struct geo_entry *ne = xcalloc(a, total, sizeof *ne);
        if (!cnt || !ne) {
            xfree(a, cnt, (size_t)g->ncells + 1, sizeof *cnt);
            xfree(a, ne, total, sizeof *ne);
            goto out;
        }
        for (size_t i = 0; i < ncov; i++)
            cnt[covers[i].cell]++;
        size_t at = 0;
        for (uint32_t c = 0; c < g->ncells; c++) {
            uint32_t first = (uint32_t)at;
            memcpy(ne + at, g->entries + g->cells[c].first, g->cells[c].n * sizeof *ne);
            at += g->cells[c].n;
            uint32_t extra = cnt[c];
            cnt[c] = (uint32_t)at; /* fill cursor */
            at += extra;
            g->cells[c].first = first;
            g->cells[c].n = (uint32_t)at - first;
        }
        for (size_t i = 0; i < ncov; i++) {
            struct geo_entry *e = &ne[cnt[covers[i].cell]++];
            e->poly = covers[i].poly;
            e->first_edge = 0;
            e->nedges = STATE_FLAG;
        }
        xfree(a, cnt, (size_t)g->ncells + 1, sizeof *cnt);
        xfree(a, g->entries, g->nentries ? g->nentries : 1, sizeof *g->entries);
        g->entries = ne;
        g->nentries = (uint32_t)total;
    }
    st = build_distance(g);
out:
    xfree(a, flags, g->nverts ? g->nverts : 1, 1);
    xfree(a, B.l0_count, G_L0, sizeof *B.l0_count);
    xfree(a, B.cell_count, (size_t)g->ncells + 1, sizeof *B.cell_count);
    xfree(a, pair_start, (size_t)g->ncells + 1, sizeof *pair_start);
    xfree(a, pair_edge, npairs ? npairs : 1, sizeof *pair_edge);
    xfree(a, pair_poly, npairs ? npairs : 1, sizeof *pair_poly);
    casus_mem_free(a, covers, capcov * sizeof *covers);
    return st;
}

void casus_geo_free(struct casus_geo *g)
{
    if (!g)
        return;
    const struct casus_alloc *a = g->alloc;
    xfree(a, g->units, g->nunits ? g->nunits : 1, sizeof *g->units);
    xfree(a, g->seas, g->nseas ? g->nseas : 1, sizeof *g->seas);
    xfree(a, g->polys, g->npolys ? g->npolys : 1, sizeof *g->polys);
    xfree(a, g->ring_start, (size_t)g->nrings + 1, sizeof *g->ring_start);
    xfree(a, g->ring_poly, g->nrings ? g->nrings : 1, sizeof *g->ring_poly);
    xfree(a, g->pts, g->nverts ? g->nverts : 1, sizeof *g->pts);
    xfree(a, g->l0_sub, G_L0, sizeof *g->l0_sub);
    xfree(a, g->l0_land, G_L0, 1);
    xfree(a, g->l0_far, G_L0, 1);
    if (g->dfirst)
        xfree(a, g->dfirst, (size_t)g->ncells + 1, sizeof *g->dfirst);
    xfree(a, g->dedges, g->ndedges ? g->ndedges : 1, sizeof *g->dedges);
    xfree(a, g->cells, g->ncells, sizeof *g->cells);
    xfree(a, g->entries, g->nentries ? g->nentries : 1, sizeof *g->entries);
    xfree(a, g->edges, g->nedges ? g->nedges : 1, sizeof *g->edges);
    casus_mem_free(a, g, sizeof *g);
}

casus_status casus_geo_open(struct casus_geo **out, const struct casus_alloc *a, const void *blob,
                            size_t len)
{
    *out = NULL;
    if (!blob || len > UINT32_MAX)
        return CASUS_EINVAL;
    struct casus_geo *g = xcalloc(a, 1, sizeof *g);
    if (!g)
        return CASUS_ENOMEM;
    g->alloc = a;
    casus_status st = decode(g, blob, len);
    if (st == CASUS_OK)
        st = build_index(g, blob);
    if (st != CASUS_OK) {
        casus_geo_free(g);
        return st;
    }
    *out = g;
    return CASUS_OK;
}

/* ------------------------------------------------------------------ */
/* Queries.                                                             */

static double orient(double ax, double ay, double bx, double by, double cx, double cy)
{
    return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}

/* Containing polygon of layer `layer` (optionally restricted to units whose
 * code or parent is `unit_filter`), smallest bbox first; NONE32 if none. */
static uint32_t pip(const struct casus_geo *g, uint32_t cell, double rx, double ry, double qx,
                    double qy, uint32_t layer, uint32_t unit_filter)
{
    const struct geo_cell *c = &g->cells[cell];
    uint32_t best = NONE32;
    for (uint32_t i = c->first; i < c->first + c->n; i++) {
        const struct geo_entry *e = &g->entries[i];
        const struct geo_poly *P = &g->polys[e->poly];
        if (P->layer != layer)
            continue;
        if (unit_filter != NONE32 && P->owner != unit_filter &&
            g->units[P->owner].parent != unit_filter)
            continue;
        if (qx < P->bb[0] || qx > P->bb[2] || qy < P->bb[1] || qy > P->bb[3])
            continue;
        bool inside = (e->nedges & STATE_FLAG) != 0;
        uint32_t n = e->nedges & ~STATE_FLAG;
        for (uint32_t k = e->first_edge; k < e->first_edge + n; k++) {
            uint32_t v = g->edges[k] & ~EDGE_FLAG;
            double ax = g->pts[v].x, ay = g->pts[v].y;
            double bx = g->pts[v + 1].x, by = g->pts[v + 1].y;
            bool s1 = orient(qx, qy, rx, ry, ax, ay) > 0;
            bool s2 = orient(qx, qy, rx, ry, bx, by) > 0;
            if (s1 == s2)
                continue;
            bool s3 = orient(ax, ay, bx, by, qx, qy) > 0;
            bool s4 = orient(ax, ay, bx, by, rx, ry) > 0;
            if (s3 != s4)
                inside = !inside;
        }
        if (inside && (best == NONE32 || P->area < g->polys[best].area))
            best = e->poly;
    }
    return best;
}

/* Local equirectangular frame centred on the query. */
struct frame {
    double qx, qy; /* µdeg */
    double kx, ky; /* km per µdeg */
};

static double wrap_dx(double dx)
{
    if (dx > 180 * MICRO)
        dx -= 360 * MICRO;
    else if (dx < -180 * MICRO)
        dx += 360 * MICRO;
    return dx;
}

static double seg_dist2(const struct frame *f, const struct geo_pt *a, const struct geo_pt *b)
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

/* Squared km from the query to a rectangle (µdeg). */
static double rect_dist2(const struct frame *f, double x0, double y0, double x1, double y1)
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

struct nearest {
    uint32_t layer, unit_filter;
    double best2; /* squared km */
    uint32_t poly;
};

static void near_cell(const struct casus_geo *g, const struct frame *f, uint32_t cell,
                      struct nearest *N)
{
    if (N->layer == LAYER_L10 && N->unit_filter == NONE32) {
        for (uint32_t k = g->dfirst[cell]; k < g->dfirst[cell + 1]; k++) {
            uint32_t v = g->dedges[k];
            double d2 = seg_dist2(f, &g->pts[v], &g->pts[v + 1]);
            if (d2 < N->best2) {
                N->best2 = d2;
                N->poly = v; /* vertex for now; mapped to its polygon at the end */
            }
        }
        return;
    }
    const struct geo_cell *c = &g->cells[cell];
    for (uint32_t i = c->first; i < c->first + c->n; i++) {
        const struct geo_entry *e = &g->entries[i];
        const struct geo_poly *P = &g->polys[e->poly];
        uint32_t n = e->nedges & ~STATE_FLAG;
        if (P->layer != N->layer || n == 0)
            continue;
        if (N->unit_filter != NONE32 && P->owner != N->unit_filter &&
            g->units[P->owner].parent != N->unit_filter)
            continue;
        for (uint32_t k = e->first_edge; k < e->first_edge + n; k++) {
            uint32_t ref = g->edges[k];
            if (N->layer == LAYER_L10 && (ref & EDGE_FLAG))
                continue;
            ref &= ~EDGE_FLAG;
            double d2 = seg_dist2(f, &g->pts[ref], &g->pts[ref + 1]);
            if (d2 < N->best2) {
                N->best2 = d2;
                N->poly = ref;
            }
        }
    }
}

/* Visit one 1° cell (or its subcells) if it can hold a nearer edge. */
static void near_l0(const struct casus_geo *g, const struct frame *f, int r, int c,
                    struct nearest *N)
{
    uint32_t l0 = (uint32_t)(r * G_COLS + c);
    if (N->layer == LAYER_L10 && !g->l0_land[l0])
        return;
    double x0 = -180 * MICRO + c * G_CELL, y0 = -90 * MICRO + r * G_CELL;
    if (rect_dist2(f, x0, y0, x0 + G_CELL, y0 + G_CELL) >= N->best2)
        return;
    uint32_t sub = g->l0_sub[l0];
    if (sub == NONE32) {
        near_cell(g, f, l0, N);
        return;
    }
    for (int sj = 0; sj < G_SUB; sj++)
        for (int si = 0; si < G_SUB; si++) {
            double sx = x0 + si * G_FINE, sy = y0 + sj * G_FINE;
            if (rect_dist2(f, sx, sy, sx + G_FINE, sy + G_FINE) < N->best2)
                near_cell(g, f, sub + (uint32_t)(sj * G_SUB + si), N);
        }
}

static uint32_t poly_of_vertex(const struct casus_geo *g, uint32_t v)
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

/* Nearest edge of a layer within max_km (N->poly = its polygon, NONE32 if
 * none).  Scans 1° cells in Chebyshev rings around the query cell, nearest
 * first.  Rows and columns whose gap to the query already exceeds the best
 * distance are skipped, and the scan stops once a whole ring lies beyond it.
 * For the land layer, rings inside the BFS distance l0_far hold no land
 * edges and are skipped outright. */
static void nearest_edge(const struct casus_geo *g, const struct frame *f, double max_km,
                         struct nearest *N)
{
    N->best2 = max_km * max_km;
    N->poly = NONE32;
    int cq = (int)floor(f->qx / MICRO + 180), rq = (int)floor(f->qy / MICRO + 90);
    if (cq >= G_COLS)
        cq = G_COLS - 1;
    if (rq >= G_ROWS)
        rq = G_ROWS - 1;
    double kxd = f->kx * MICRO, kyd = f->ky * MICRO;
    double kmin = kxd < kyd ? kxd : kyd;
    int k = 0;
    if (N->layer == LAYER_L10 && N->unit_filter == NONE32)
        k = g->l0_far[rq * G_COLS + cq];
    for (; k <= G_COLS / 2; k++) {
        double best = sqrt(N->best2);
        if (k > 0 && (k - 1) * kmin >= best)
            break;
        int rlim = (int)(best / kyd) + 1;
        int clim = kxd > 0 && best / kxd < G_COLS ? (int)(best / kxd) + 1 : G_COLS / 2;
        if (k > rlim && k > clim)
            break;
        int dr0 = -k, dr1 = k;
        if (dr0 < -rlim)
            dr0 = -rlim;
        if (dr1 > rlim)
            dr1 = rlim;
        if (rq + dr0 < 0)
            dr0 = -rq;
        if (rq + dr1 > G_ROWS - 1)
            dr1 = G_ROWS - 1 - rq;
        int dc0 = -k, dc1 = k;
        if (dc0 < -clim)
            dc0 = -clim;
        if (dc1 > clim)
            dc1 = clim;
        if (dc0 < -(G_COLS / 2))
            dc0 = -(G_COLS / 2);
        if (dc1 > G_COLS / 2 - 1)
            dc1 = G_COLS / 2 - 1;
        for (int dr = dr0; dr <= dr1; dr++) {
            int r = rq + dr;
            if (dr == -k || dr == k) {
                for (int dc = dc0; dc <= dc1; dc++)
                    near_l0(g, f, r, ((cq + dc) % G_COLS + G_COLS) % G_COLS, N);
            } else {
                if (-k >= dc0)
                    near_l0(g, f, r, ((cq - k) % G_COLS + G_COLS) % G_COLS, N);
                if (k <= dc1 && k != 0)
                    near_l0(g, f, r, ((cq + k) % G_COLS + G_COLS) % G_COLS, N);
            }
        }
    }
    if (N->poly != NONE32)
        N->poly = poly_of_vertex(g, N->poly);
}

/* The unit a point in 10m polygon p10 belongs to (resolution rule). */
static uint32_t resolve_unit(const struct casus_geo *g, uint32_t p10, uint32_t cell, double rx,
                             double ry, const struct frame *f)
{
    const struct geo_poly *P = &g->polys[p10];
    uint32_t u10 = P->owner;
    if (!(g->units[u10].flags & UNIT_SPLIT))
        return u10;
    uint32_t p50 = pip(g, cell, rx, ry, f->qx, f->qy, LAYER_L50, u10);
    if (p50 != NONE32)
        return g->polys[p50].owner;
    struct nearest N = {LAYER_L50, u10, 0, NONE32};
    nearest_edge(g, f, REFINE_KM, &N);
    if (N.poly != NONE32)
        return g->polys[N.poly].owner;
    return P->dflt;
}

static void fill_unit(const struct casus_geo *g, uint32_t u, struct casus_geo_hit *out)
{
    const struct geo_unit *U = &g->units[u];
    out->sov = U->sov;
    out->unit = U->code;
    out->unit_name = U->name;
    out->region = U->region;
    out->island = (U->flags & UNIT_ISLAND) != 0;
    out->island_basin = U->ibasin;
}

casus_status casus_geo_locate(const struct casus_geo *g, double lat, double lon,
                              struct casus_geo_hit *out)
{
    memset(out, 0, sizeof *out);
    if (!(lat >= -90 && lat <= 90) || !(lon >= -180 && lon <= 180))
        return CASUS_EINVAL;
    struct frame f;
    f.qx = lon * MICRO;
    f.qy = lat * MICRO;
    f.ky = KM_PER_UDEG;
    f.kx = KM_PER_UDEG * cos(lat * (3.14159265358979323846 / 180));
    if (f.kx < 0)
        f.kx = 0;
    uint32_t ci, cj;
    int si, sj;
    uint32_t cell = cell_of(g, f.qx, f.qy, &ci, &cj, &si, &sj);
    double rx, ry;
    ref_point(ci, cj, si, sj, &rx, &ry);

    struct nearest N = {LAYER_L10, NONE32, 0, NONE32};
    nearest_edge(g, &f, 40000.0, &N);
    out->boundary_km = N.poly != NONE32 ? sqrt(N.best2) : HUGE_VAL;
    out->near_boundary = out->boundary_km <= CASUS_GEO_TOLERANCE_KM;

    uint32_t p10 = pip(g, cell, rx, ry, f.qx, f.qy, LAYER_L10, NONE32);
    if (p10 != NONE32) {
        fill_unit(g, resolve_unit(g, p10, cell, rx, ry, &f), out);
        return CASUS_OK;
    }
    uint32_t ps = pip(g, cell, rx, ry, f.qx, f.qy, LAYER_SEA, NONE32);
    if (ps != NONE32) {
        const struct geo_sea *S = &g->seas[g->polys[ps].owner];
        out->sea = S->name;
        out->basin = S->basin;
    } else {
        struct nearest M = {LAYER_SEA, NONE32, 0, NONE32};
        nearest_edge(g, &f, SEA_FALLBACK_KM, &M);
        if (M.poly != NONE32) {
            const struct geo_sea *S = &g->seas[g->polys[M.poly].owner];
            out->basin = S->basin;
            if (M.best2 <= CASUS_GEO_TOLERANCE_KM * CASUS_GEO_TOLERANCE_KM)
                out->sea = S->name;
        }
    }
    if (out->near_boundary && N.poly != NONE32) {
        out->snapped = true;
        fill_unit(g, resolve_unit(g, N.poly, cell, rx, ry, &f), out);
    }
    return CASUS_OK;
}
