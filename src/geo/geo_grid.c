/*
 * geo_grid.c — the grid index over the geography blob (see geo_priv.h),
 * built lazily by geo.c and then used for every lookup.
 *
 * Two levels: 1° cells, and 1/8° subcells inside the 1° cells that hold
 * many edges.  Each (finest) cell lists, per polygon touching it, the
 * polygon's edges inside the cell and whether the cell's reference point
 * lies inside the polygon; a polygon that covers a cell without an edge in
 * it gets an entry with no edges.  Point-in-polygon (even-odd over all
 * rings) is then: reference state XOR parity of the edges that cross the
 * segment from the query to the reference point.  Only the edges of one
 * cell are ever tested.
 *
 * Distance to the nearest land edge (coast or border between sovereigns)
 * scans 1° cells in rings around the query, nearest first, in a local
 * equirectangular projection centred on the query (geo.c offers each edge).
 */
#include "geo/geo_priv.h"

#include <math.h>
#include <stdlib.h>

/* Reference points sit off the µdeg lattice so that no vertex is ever
 * exactly on a reference row or column. */
#define REF_DX 0.29
#define REF_DY 0.37
/* Work budget for building the index; a blob needing more is rejected as
 * implausible (protects the build against fuzzed giant polygons). */
#define BUILD_BUDGET 200000000u

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

/* A cell visitor: fn(ctx, col, row). */
struct trav {
    void (*fn)(void *ctx, uint32_t col, uint32_t row);
    void *ctx;
};

/* Visit the cells of row `row` that [xmin, xmax] spans. */
static void visit_span(const struct trav *t, double xmin, double xmax, double ox, double cs,
                       int ncols, int row)
{
    int c0 = (int)floor((xmin - ox) / cs), c1 = (int)floor((xmax - ox) / cs);
    if (c0 < 0)
        c0 = 0;
    if (c1 >= ncols)
        c1 = ncols - 1;
    for (int c = c0; c <= c1; c++)
        t->fn(t->ctx, (uint32_t)c, (uint32_t)row);
}

/* Visit every cell of a grid (origin ox, oy; cell size cs; ncols x nrows)
 * that segment a-b touches, expanded by a small epsilon so that rounding
 * never drops a cell.  Calls fn(ctx, col, row) once per cell. */
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
        visit_span(t, fmin(ax, bx) - eps, fmax(ax, bx) + eps, ox, cs, ncols, r0);
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
        visit_span(t, fmin(xa, xb) - eps, fmax(xa, xb) + eps, ox, cs, ncols, r);
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

static bool run_edges(struct build *B)
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
                B->cur_edge = k | (P->layer == LAYER_L10 && geo_edge_flag(g, k) ? EDGE_FLAG : 0);
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

/* A growable array of cover entries (cells a polygon covers entirely). */
struct covers {
    struct cover *v;
    size_t n, cap;
};

static bool push_cover(const struct casus_alloc *a, struct covers *cv, uint32_t cell, uint32_t p)
{
    if (cv->n == cv->cap) {
        size_t nc = cv->cap ? cv->cap * 2 : 4096;
        struct cover *v = casus_mem_realloc(a, cv->v, cv->cap * sizeof *v, nc * sizeof *v);
        if (!v)
            return false;
        cv->v = v;
        cv->cap = nc;
    }
    cv->v[cv->n++] = (struct cover){cell, p};
    return true;
}

/* The crossings of polygon p's edges with every fine row line through its
 * bbox, into *xs (grown as needed), sorted by row then x.  *nx receives
 * the count; false when out of memory. */
static bool polygon_crossings(const struct casus_geo *g, uint32_t p, struct xing **xs, size_t *xcap,
                              size_t *nx, uint64_t *work)
{
    const struct geo_poly *P = &g->polys[p];
    *nx = 0;
    for (uint32_t r = P->ring0; r < P->ring0 + P->nrings; r++)
        for (uint32_t k = g->ring_start[r]; k + 1 < g->ring_start[r + 1]; k++) {
            const struct geo_pt *pa = &g->pts[k], *pb = &g->pts[k + 1];
            if (pa->y == pb->y)
                continue;
            double ylo = fmin(pa->y, pb->y), yhi = fmax(pa->y, pb->y);
            int64_t r0 = (int64_t)floor((ylo + 90 * MICRO) / G_FINE) - 1;
            int64_t r1 = (int64_t)floor((yhi + 90 * MICRO) / G_FINE) + 1;
            r0 = r0 < 0 ? 0 : r0;
            r1 = r1 > G_ROWS * G_SUB - 1 ? G_ROWS * G_SUB - 1 : r1;
            for (int64_t row = r0; row <= r1; row++) {
                double y = fine_row_y((uint32_t)row);
                if ((pa->y > y) == (pb->y > y))
                    continue;
                if (*nx == *xcap) {
                    size_t nc = *xcap ? *xcap * 2 : 1024;
                    struct xing *n2 =
                        casus_mem_realloc(g->alloc, *xs, *xcap * sizeof **xs, nc * sizeof **xs);
                    if (!n2)
                        return false;
                    *xs = n2;
                    *xcap = nc;
                }
                (*xs)[*nx].row = (uint32_t)row;
                (*xs)[*nx].x =
                    pa->x + (y - pa->y) * ((double)pb->x - pa->x) / ((double)pb->y - pa->y);
                ++*nx;
                (*work)++;
            }
        }
    qsort(*xs, *nx, sizeof **xs, xing_cmp);
    return true;
}

/* The reference points of fine row fr in polygon p's bbox: each one's
 * state is the parity of the crossings xs[row_begin, row_end) west of it.
 * An entry of p in the point's cell takes the state; a cell p does not
 * touch but covers becomes a cover entry. */
static bool row_states(struct casus_geo *g, uint32_t p, int64_t fr, const struct xing *xs,
                       size_t row_begin, size_t row_end, struct covers *cv, uint64_t *work)
{
    const struct geo_poly *P = &g->polys[p];
    int64_t c0 = (int64_t)floor(((double)P->bb[0] + 180 * MICRO) / G_CELL);
    int64_t c1 = (int64_t)floor(((double)P->bb[2] + 180 * MICRO) / G_CELL);
    c1 = c1 > G_COLS - 1 ? G_COLS - 1 : c1;
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
            if (e && inside)
                e->nedges |= STATE_FLAG;
            else if (!e && inside && !push_cover(g->alloc, cv, cell, p))
                return false;
        }
    }
    return true;
}

/* Reference-point states and cover entries: for each polygon, the crossings
 * of its edges with every fine row line (y = row centre + REF_DY) through
 * its bbox; a reference point's state is the parity of crossings west of
 * it.  Covers go to *cv.  CASUS_EINVAL past the build's work budget. */
static casus_status states_and_covers(struct casus_geo *g, struct covers *cv, uint64_t *work)
{
    struct xing *xs = NULL;
    size_t xcap = 0, nx = 0;
    casus_status st = CASUS_OK;
    for (uint32_t p = 0; p < g->npolys && st == CASUS_OK; p++) {
        if (!polygon_crossings(g, p, &xs, &xcap, &nx, work)) {
            st = CASUS_ENOMEM;
            break;
        }
        if (*work > BUILD_BUDGET) {
            st = CASUS_EINVAL;
            break;
        }
        const struct geo_poly *P = &g->polys[p];
        int64_t fr0 = (int64_t)floor(((double)P->bb[1] + 90 * MICRO) / G_FINE);
        int64_t fr1 = (int64_t)floor(((double)P->bb[3] + 90 * MICRO) / G_FINE);
        fr1 = fr1 > G_ROWS * G_SUB - 1 ? G_ROWS * G_SUB - 1 : fr1;
        size_t xi = 0;
        for (int64_t fr = fr0; fr <= fr1 && st == CASUS_OK; fr++) {
            while (xi < nx && xs[xi].row < (uint32_t)fr)
                xi++;
            size_t row_end = xi;
            while (row_end < nx && xs[row_end].row == (uint32_t)fr)
                row_end++;
            if (!row_states(g, p, fr, xs, xi, row_end, cv, work))
                st = CASUS_ENOMEM;
            xi = row_end;
        }
        if (st == CASUS_OK && *work > BUILD_BUDGET)
            st = CASUS_EINVAL;
    }
    casus_mem_free(g->alloc, xs, xcap * sizeof *xs);
    return st;
}

/* Distance-search helpers: per finest cell the 10m edges that are coasts or
 * borders between sovereigns, and per 1° cell how far (in cells) the nearest
 * cell holding such edges is (multi-source BFS, longitudes wrap). */
static casus_status build_distance(struct casus_geo *g)
{
    const struct casus_alloc *a = g->alloc;
    g->dfirst = casus_geo_xcalloc(a, (size_t)g->ncells + 1, sizeof *g->dfirst);
    g->l0_far = casus_geo_xcalloc(a, G_L0, 1);
    uint32_t *queue = casus_geo_xcalloc(a, G_L0, sizeof *queue);
    if (!g->dfirst || !g->l0_far || !queue) {
        casus_geo_xfree(a, queue, G_L0, sizeof *queue);
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
            g->dedges = casus_geo_xcalloc(a, n ? n : 1, sizeof *g->dedges);
            if (!g->dedges) {
                casus_geo_xfree(a, queue, G_L0, sizeof *queue);
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
    casus_geo_xfree(a, queue, G_L0, sizeof *queue);
    return CASUS_OK;
}

/* What the passes of the build share besides struct build. */
struct pairs {
    uint32_t *start; /* ncells + 1: each finest cell's first pair */
    uint32_t *edge;  /* npairs: edge ref per pair, grouped by cell */
    uint32_t *poly;  /* npairs: polygon per pair */
    size_t n;
};

/* Pass 0: edges per 1° cell; busy cells are subdivided into G_SUB² cells. */
static casus_status subdivide(struct build *B)
{
    struct casus_geo *g = B->g;
    B->pass = 0;
    if (!run_edges(B))
        return CASUS_EINVAL;
    uint32_t nsub = 0;
    for (uint32_t c = 0; c < G_L0; c++)
        g->l0_sub[c] = B->l0_count[c] > G_SUB_THRESH ? G_L0 + nsub++ * G_SUB * G_SUB : NONE32;
    g->ncells = G_L0 + nsub * G_SUB * G_SUB;
    g->cells = casus_geo_xcalloc(g->alloc, g->ncells, sizeof *g->cells);
    B->cell_count = casus_geo_xcalloc(g->alloc, (size_t)g->ncells + 1, sizeof *B->cell_count);
    return g->cells && B->cell_count ? CASUS_OK : CASUS_ENOMEM;
}

/* Pass 1 counts the (edge, cell) pairs of each finest cell; pass 2 fills
 * them, grouped by cell and, within a cell, in polygon order. */
static casus_status collect_pairs(struct build *B, struct pairs *pp)
{
    struct casus_geo *g = B->g;
    const struct casus_alloc *a = g->alloc;
    B->pass = 1;
    B->work = 0;
    if (!run_edges(B))
        return CASUS_EINVAL;
    pp->start = casus_geo_xcalloc(a, (size_t)g->ncells + 1, sizeof *pp->start);
    if (!pp->start)
        return CASUS_ENOMEM;
    for (uint32_t c = 0; c < g->ncells; c++) {
        pp->start[c] = (uint32_t)pp->n;
        pp->n += B->cell_count[c];
    }
    pp->start[g->ncells] = (uint32_t)pp->n;
    pp->edge = casus_geo_xcalloc(a, pp->n ? pp->n : 1, sizeof *pp->edge);
    pp->poly = casus_geo_xcalloc(a, pp->n ? pp->n : 1, sizeof *pp->poly);
    if (!pp->edge || !pp->poly)
        return CASUS_ENOMEM;
    memcpy(B->cell_count, pp->start, ((size_t)g->ncells + 1) * sizeof *pp->start);
    B->pair_poly = pp->poly;
    B->pair_edge = pp->edge;
    B->pass = 2;
    B->work = 0;
    run_edges(B);
    return CASUS_OK;
}

/* Entries: each cell's pairs grouped by polygon; the edge array passes to
 * g.  Marks 1° cells that hold a coast or border edge (l0_land). */
static casus_status group_entries(struct casus_geo *g, struct pairs *pp)
{
    size_t nent = 0;
    for (uint32_t c = 0; c < g->ncells; c++) {
        uint32_t prev = NONE32;
        for (uint32_t k = pp->start[c]; k < pp->start[c + 1]; k++) {
            nent += pp->poly[k] != prev;
            prev = pp->poly[k];
        }
    }
    g->entries = casus_geo_xcalloc(g->alloc, nent ? nent : 1, sizeof *g->entries);
    if (!g->entries)
        return CASUS_ENOMEM;
    g->edges = pp->edge;
    g->nedges = (uint32_t)pp->n;
    pp->edge = NULL;
    nent = 0;
    for (uint32_t c = 0; c < g->ncells; c++) {
        g->cells[c].first = (uint32_t)nent;
        uint32_t prev = NONE32;
        for (uint32_t k = pp->start[c]; k < pp->start[c + 1]; k++) {
            uint32_t poly = pp->poly[k];
            if (poly != prev) {
                g->entries[nent++] = (struct geo_entry){.poly = poly, .first_edge = k};
                prev = poly;
            }
            g->entries[nent - 1].nedges++;
            if (c < G_L0 && g->polys[poly].layer == LAYER_L10 && !(g->edges[k] & EDGE_FLAG))
                g->l0_land[c] = 1;
        }
        g->cells[c].n = (uint32_t)nent - g->cells[c].first;
    }
    g->nentries = (uint32_t)nent;
    return CASUS_OK;
}

/* l0_land for subdivided cells: a 1° cell has land when a subcell holds a
 * coast or border edge of the 10m layer. */
static void mark_land_subcells(struct casus_geo *g)
{
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
}

/* Merge covers into the entry array.  Covers come in polygon order, so a
 * counting sort by cell keeps each cell's covers in polygon order. */
static casus_status merge_covers(struct casus_geo *g, const struct covers *cv)
{
    const struct casus_alloc *a = g->alloc;
    if (!cv->n)
        return CASUS_OK;
    size_t total = g->nentries + cv->n;
    if (total >= NONE32)
        return CASUS_ENOMEM;
    uint32_t *cnt = casus_geo_xcalloc(a, (size_t)g->ncells + 1, sizeof *cnt);
    struct geo_entry *ne = casus_geo_xcalloc(a, total, sizeof *ne);
    if (!cnt || !ne) {
        casus_geo_xfree(a, cnt, (size_t)g->ncells + 1, sizeof *cnt);
        casus_geo_xfree(a, ne, total, sizeof *ne);
        return CASUS_ENOMEM;
    }
    for (size_t i = 0; i < cv->n; i++)
        cnt[cv->v[i].cell]++;
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
    for (size_t i = 0; i < cv->n; i++)
        ne[cnt[cv->v[i].cell]++] = (struct geo_entry){.poly = cv->v[i].poly, .nedges = STATE_FLAG};
    casus_geo_xfree(a, cnt, (size_t)g->ncells + 1, sizeof *cnt);
    casus_geo_xfree(a, g->entries, g->nentries ? g->nentries : 1, sizeof *g->entries);
    g->entries = ne;
    g->nentries = (uint32_t)total;
    return CASUS_OK;
}

/* The grid index: subdivide busy cells, collect each cell's edges, group
 * them into entries by polygon, give every reference point its state, add
 * covering polygons, then the distance-search helpers. */
static casus_status build_index(struct casus_geo *g)
{
    const struct casus_alloc *a = g->alloc;
    struct build B = {.g = g, .sub = {.fn = visit_fine}};
    B.sub.ctx = &B;
    struct pairs pp = {0};
    struct covers cv = {0};
    casus_status st = CASUS_ENOMEM;
    B.l0_count = casus_geo_xcalloc(a, G_L0, sizeof *B.l0_count);
    g->l0_sub = casus_geo_xcalloc(a, G_L0, sizeof *g->l0_sub);
    g->l0_land = casus_geo_xcalloc(a, G_L0, 1);
    if (B.l0_count && g->l0_sub && g->l0_land && (st = subdivide(&B)) == CASUS_OK &&
        (st = collect_pairs(&B, &pp)) == CASUS_OK && (st = group_entries(g, &pp)) == CASUS_OK) {
        mark_land_subcells(g);
        B.work = 0;
        st = states_and_covers(g, &cv, &B.work);
        if (st == CASUS_OK)
            st = merge_covers(g, &cv);
        if (st == CASUS_OK)
            st = build_distance(g);
    }
    casus_geo_xfree(a, B.l0_count, G_L0, sizeof *B.l0_count);
    casus_geo_xfree(a, B.cell_count, (size_t)g->ncells + 1, sizeof *B.cell_count);
    casus_geo_xfree(a, pp.start, (size_t)g->ncells + 1, sizeof *pp.start);
    casus_geo_xfree(a, pp.edge, pp.n ? pp.n : 1, sizeof *pp.edge);
    casus_geo_xfree(a, pp.poly, pp.n ? pp.n : 1, sizeof *pp.poly);
    casus_mem_free(a, cv.v, cv.cap * sizeof *cv.v);
    return st;
}

void casus_geo_grid_free(struct casus_geo *g)
{
    const struct casus_alloc *a = g->alloc;
    casus_geo_xfree(a, g->l0_sub, G_L0, sizeof *g->l0_sub);
    casus_geo_xfree(a, g->l0_land, G_L0, 1);
    casus_geo_xfree(a, g->l0_far, G_L0, 1);
    if (g->dfirst)
        casus_geo_xfree(a, g->dfirst, (size_t)g->ncells + 1, sizeof *g->dfirst);
    casus_geo_xfree(a, g->dedges, g->ndedges ? g->ndedges : 1, sizeof *g->dedges);
    if (g->cells)
        casus_geo_xfree(a, g->cells, g->ncells, sizeof *g->cells);
    casus_geo_xfree(a, g->entries, g->nentries ? g->nentries : 1, sizeof *g->entries);
    casus_geo_xfree(a, g->edges, g->nedges ? g->nedges : 1, sizeof *g->edges);
    g->l0_sub = g->dfirst = g->dedges = g->edges = NULL;
    g->l0_land = g->l0_far = NULL;
    g->cells = NULL;
    g->entries = NULL;
    g->ncells = g->nentries = g->nedges = g->ndedges = 0;
}

casus_status casus_geo_grid_build(struct casus_geo *g)
{
    casus_status st = build_index(g);
    if (st != CASUS_OK)
        casus_geo_grid_free(g);
    return st;
}

static double orient(double ax, double ay, double bx, double by, double cx, double cy)
{
    return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}

uint32_t casus_geo_grid_pip(const struct casus_geo *g, double qx, double qy, uint32_t layer,
                            uint32_t unit_filter)
{
    uint32_t ci, cj;
    int si, sj;
    double rx, ry;
    uint32_t cell = cell_of(g, qx, qy, &ci, &cj, &si, &sj);
    ref_point(ci, cj, si, sj, &rx, &ry);
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

static void near_cell(const struct casus_geo *g, const struct frame *f, uint32_t cell,
                      struct nearest *N)
{
    if (N->layer == LAYER_L10 && N->unit_filter == NONE32) {
        for (uint32_t k = g->dfirst[cell]; k < g->dfirst[cell + 1]; k++)
            casus_geo_offer(g, f, N, g->dedges[k]);
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
            casus_geo_offer(g, f, N, ref & ~EDGE_FLAG);
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
    if (casus_geo_rect_dist2(f, x0, y0, x0 + G_CELL, y0 + G_CELL) >= N->best2)
        return;
    uint32_t sub = g->l0_sub[l0];
    if (sub == NONE32) {
        near_cell(g, f, l0, N);
        return;
    }
    for (int sj = 0; sj < G_SUB; sj++)
        for (int si = 0; si < G_SUB; si++) {
            double sx = x0 + si * G_FINE, sy = y0 + sj * G_FINE;
            if (casus_geo_rect_dist2(f, sx, sy, sx + G_FINE, sy + G_FINE) < N->best2)
                near_cell(g, f, sub + (uint32_t)(sj * G_SUB + si), N);
        }
}

/* Nearest edge of a layer within max_km (N->vert = its start vertex,
 * NONE32 if none).  Scans 1° cells in Chebyshev rings around the query cell, nearest
 * first.  Rows and columns whose gap to the query already exceeds the best
 * distance are skipped, and the scan stops once a whole ring lies beyond it.
 * For the land layer, rings inside the BFS distance l0_far hold no land
 * edges and are skipped outright. */
void casus_geo_grid_nearest(const struct casus_geo *g, const struct frame *f, double max_km,
                            struct nearest *N)
{
    N->best2 = max_km * max_km;
    N->vert = NONE32;
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
}
