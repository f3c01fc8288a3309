/*
 * bench_geo.c — throughput of the geography layer: coordinate lookups per
 * second (Euro-Atlantic box, worldwide, gazetteer points; each lookup
 * includes the nearest-boundary distance) against the 100k/s target, and
 * gazetteer name lookups per second against the 1M/s target.  The baseline
 * is measured in the same process: a brute-force even-odd scan of every
 * 1:10m land polygon (bbox-filtered, no grid), i.e. what a lookup costs
 * without the index — printed as "speedup vs brute force".
 *
 *   make benches && build/release/bench/bench_geo   (run from the repo root)
 */
#include "base/diag.h"
#include "geo/gazetteer.h"
#include "geo/geo.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* xorshift64*: deterministic points. */
static double rnd(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return (double)((*s * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

/* ---- brute-force baseline: decode the blob's 10m layer directly ---- */

struct bf {
    int32_t *xy; /* decoded points */
    uint32_t *ring_start, nrings;
    uint32_t *poly_ring0, *poly_nrings, npolys;
    int32_t *bb;
};

static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t varint(const unsigned char *p, size_t *pos)
{
    uint64_t v = 0;
    for (int sh = 0;; sh += 7) {
        unsigned char b = p[(*pos)++];
        v |= (uint64_t)(b & 0x7F) << sh;
        if (!(b & 0x80))
            return v;
    }
}

static int64_t unzz(uint64_t v)
{
    return (v & 1) ? -(int64_t)(v >> 1) - 1 : (int64_t)(v >> 1);
}

/* Trusts the blob (casus_geo_open validated it already). */
static void bf_load(struct bf *b, const unsigned char *blob)
{
    uint32_t poly_off = rd32(blob + 40), ring_off = rd32(blob + 48), nrings = rd32(blob + 52);
    uint32_t coord_off = rd32(blob + 56), n10 = rd32(blob + 64), nverts = rd32(blob + 76);
    b->xy = malloc(sizeof(int32_t) * 2 * nverts);
    b->ring_start = malloc(sizeof(uint32_t) * (nrings + 1));
    b->poly_ring0 = malloc(sizeof(uint32_t) * n10);
    b->poly_nrings = malloc(sizeof(uint32_t) * n10);
    b->bb = malloc(sizeof(int32_t) * 4 * n10);
    size_t pos = 0;
    uint32_t v = 0;
    for (uint32_t r = 0; r < nrings; r++) {
        uint32_t n = rd32(blob + ring_off + 4 * r);
        b->ring_start[r] = v;
        int64_t x = 0, y = 0;
        for (uint32_t k = 0; k < n; k++, v++) {
            x += unzz(varint(blob + coord_off, &pos) >> 1);
            y += unzz(varint(blob + coord_off, &pos));
            b->xy[2 * v] = (int32_t)x;
            b->xy[2 * v + 1] = (int32_t)y;
        }
    }
    b->ring_start[nrings] = v;
    b->nrings = nrings;
    b->npolys = n10;
    for (uint32_t i = 0; i < n10; i++) {
        const unsigned char *p = blob + poly_off + 36 * (size_t)i;
        for (int k = 0; k < 4; k++)
            b->bb[4 * i + k] = (int32_t)rd32(p + 12 + 4 * k);
        b->poly_ring0[i] = rd32(p + 28);
        b->poly_nrings[i] = rd32(p + 32);
    }
}

static void bf_free(struct bf *b)
{
    free(b->xy);
    free(b->ring_start);
    free(b->poly_ring0);
    free(b->poly_nrings);
    free(b->bb);
}

/* Index of the containing 10m polygon, or -1 (ray casting over all rings). */
static long bf_locate(const struct bf *b, double lat, double lon)
{
    double qx = lon * 1e6, qy = lat * 1e6;
    for (uint32_t i = 0; i < b->npolys; i++) {
        const int32_t *bb = b->bb + 4 * i;
        if (qx < bb[0] || qx > bb[2] || qy < bb[1] || qy > bb[3])
            continue;
        bool in = false;
        for (uint32_t r = b->poly_ring0[i]; r < b->poly_ring0[i] + b->poly_nrings[i]; r++)
            for (uint32_t k = b->ring_start[r]; k + 1 < b->ring_start[r + 1]; k++) {
                double ax = b->xy[2 * k], ay = b->xy[2 * k + 1];
                double bx = b->xy[2 * k + 2], by = b->xy[2 * k + 3];
                if ((ay > qy) != (by > qy) && qx < ax + (qy - ay) * (bx - ax) / (by - ay))
                    in = !in;
            }
        if (in)
            return (long)i;
    }
    return -1;
}

/* Distance (km, local equirectangular) to the nearest 10m edge: every edge. */
static double bf_distance(const struct bf *b, double lat, double lon)
{
    double kx = 111.19492664455873e-6 * cos(lat * 3.14159265358979323846 / 180);
    double ky = 111.19492664455873e-6, qx = lon * 1e6, qy = lat * 1e6, best = 1e300;
    uint32_t nv = b->ring_start[b->poly_ring0[b->npolys - 1] + b->poly_nrings[b->npolys - 1]];
    for (uint32_t r = 0; r < b->nrings && b->ring_start[r] < nv; r++)
        for (uint32_t k = b->ring_start[r]; k + 1 < b->ring_start[r + 1]; k++) {
            double ax = (b->xy[2 * k] - qx) * kx, ay = (b->xy[2 * k + 1] - qy) * ky;
            double vx = (b->xy[2 * k + 2] - qx) * kx - ax, vy = (b->xy[2 * k + 3] - qy) * ky - ay;
            double l2 = vx * vx + vy * vy, t = l2 > 0 ? -(ax * vx + ay * vy) / l2 : 0;
            t = t < 0 ? 0 : t > 1 ? 1 : t;
            double px = ax + t * vx, py = ay + t * vy, d = px * px + py * py;
            if (d < best)
                best = d;
        }
    return sqrt(best);
}

/* ---- the benchmark ---- */

static const struct casus_alloc alloc = {casus_default_alloc, NULL};

static double run_points(const struct casus_geo *g, const double *pts, size_t n, double *sink)
{
    double t0 = now();
    for (size_t i = 0; i < n; i++) {
        struct casus_geo_hit h;
        casus_geo_locate(g, pts[2 * i], pts[2 * i + 1], CASUS_GEO_LATEST, &h);
        *sink += h.near_boundary + (h.sov != NULL);
    }
    return (double)n / (now() - t0);
}

static void report(const char *what, double rate, double target)
{
    printf("%-44s %12.0f /s   %5.2fx target (%.0f/s)\n", what, rate, rate / target, target);
}

int main(void)
{
    size_t len;
    const unsigned char *blob = casus_geo_blob(&len);
    struct casus_geo *g;
    double t0 = now();
    if (casus_geo_open(&g, &alloc, blob, len) != CASUS_OK) {
        fprintf(stderr, "bench_geo: cannot open the geography blob\n");
        return 1;
    }
    printf("blob %zu bytes, open + index %.3f s\n", len, now() - t0);

    enum { N = 200000, NB = 2000 };
    double *euro = malloc(sizeof(double) * 2 * N), *world = malloc(sizeof(double) * 2 * N);
    uint64_t s = 0x9E3779B97F4A7C15ULL;
    for (size_t i = 0; i < N; i++) {
        euro[2 * i] = 30 + 42 * rnd(&s);       /* 30N..72N */
        euro[2 * i + 1] = -80 + 125 * rnd(&s); /* 80W..45E */
        world[2 * i] = -90 + 180 * rnd(&s);
        world[2 * i + 1] = -180 + 360 * rnd(&s);
    }
    double sink = 0;
    double r_euro = run_points(g, euro, N, &sink);
    double r_world = run_points(g, world, N, &sink);
    report("coordinate lookups, Euro-Atlantic box", r_euro, 1e5);
    report("coordinate lookups, worldwide", r_world, 1e5);

    /* Gazetteer: load data/gazetteer.csv from disk. */
    struct casus_diags d;
    casus_diags_init(&d, &alloc);
    struct casus_gazetteer *gz = NULL;
    FILE *f = fopen("data/gazetteer.csv", "rb");
    if (f) {
        static char text[1 << 20];
        size_t n = fread(text, 1, sizeof text, f);
        fclose(f);
        uint32_t src;
        if (casus_diags_add_source(&d, "data/gazetteer.csv", text, n, &src) == CASUS_OK)
            casus_gazetteer_load(&gz, &alloc, &d, src, g);
    }
    if (gz) {
        size_t np = casus_gazetteer_count(gz);
        double *gp = malloc(sizeof(double) * 2 * N);
        for (size_t i = 0; i < N; i++) {
            const struct casus_place *p = casus_gazetteer_at(gz, i % np);
            gp[2 * i] = p->lat;
            gp[2 * i + 1] = p->lon;
        }
        report("coordinate lookups, gazetteer points", run_points(g, gp, N, &sink), 1e5);
        free(gp);
        static const char *const names[] = {"Kyiv",     "kiev",        "Rzeszow",
                                            "Rzeszów",  "saint denis", "Las Palmas de Gran Canaria",
                                            "Honolulu", "Tórshavn",    "Nowhere",
                                            "Narva"};
        enum { NG = 2000000 };
        t0 = now();
        for (size_t i = 0; i < NG; i++) {
            const char *nm = names[i % CASUS_ARRAY_LEN(names)];
            sink += casus_gazetteer_find(gz, nm, strlen(nm)) != NULL;
        }
        report("gazetteer name lookups", NG / (now() - t0), 1e6);
        casus_gazetteer_free(gz);
    } else {
        printf("gazetteer: data/gazetteer.csv not loaded (run from the repo root)\n");
    }
    casus_diags_release(&d);

    /* Baseline: brute force over every 10m polygon, same process. */
    struct bf b;
    bf_load(&b, blob);
    t0 = now();
    for (size_t i = 0; i < NB; i++)
        sink += (double)bf_locate(&b, euro[2 * i], euro[2 * i + 1]);
    double r_bf = NB / (now() - t0);
    report("brute force PIP (bbox filter), Euro", r_bf, 1e5);
    enum { ND = 100 };
    t0 = now();
    for (size_t i = 0; i < ND; i++)
        sink += bf_locate(&b, euro[2 * i], euro[2 * i + 1]) +
                bf_distance(&b, euro[2 * i], euro[2 * i + 1]);
    double r_bfd = ND / (now() - t0);
    report("brute force PIP + boundary distance, Euro", r_bfd, 1e5);
    printf("speedup vs brute force: %.0fx (same work: PIP + distance); %.1fx vs PIP alone\n",
           r_euro / r_bfd, r_euro / r_bf);
    /* Agreement of the index with the brute force on those points. */
    size_t agree = 0;
    for (size_t i = 0; i < NB; i++) {
        struct casus_geo_hit h;
        casus_geo_locate(g, euro[2 * i], euro[2 * i + 1], CASUS_GEO_LATEST, &h);
        long p = bf_locate(&b, euro[2 * i], euro[2 * i + 1]);
        agree += (p >= 0) == (h.sov != NULL && !h.snapped);
    }
    printf("index vs brute force land/sea agreement: %zu/%d\n", agree, (int)NB);
    bf_free(&b);
    free(euro);
    free(world);
    casus_geo_free(g);
    return sink < 0;
}
