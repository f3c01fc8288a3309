/*
 * bench_geo.c — the geography layer's costs: opening the blob (validation
 * only), building the grid index, and coordinate lookups per second (each
 * lookup: land, sea, territorial sea or internal waters, boundary distance)
 * on 1 and 2 threads, against the 200k/s-on-2-cores target; gazetteer name
 * lookups against 1M/s.  The baseline is measured in the same process: the
 * same lookups by direct polygon scans (casus_geo_locate_direct, what the
 * first CASUS_GEO_LAZY_QUERIES lookups of a process cost), printed as
 * "grid vs direct".  Rates are given per CPU second (CLOCK_*_CPUTIME_ID)
 * beside wall time, with the machine's load average, so that figures from
 * a shared machine compare.
 *
 *   make benches && build/release/bench/bench_geo   (run from the repo root)
 */
#include "base/diag.h"
#include "geo/gazetteer.h"
#include "geo/geo.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double clock_s(clockid_t c)
{
    struct timespec t;
    clock_gettime(c, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static double now(void)
{
    return clock_s(CLOCK_MONOTONIC);
}

/* xorshift64*: deterministic points. */
static double rnd(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return (double)((*s * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

static const struct casus_alloc alloc = {casus_default_alloc, NULL};

struct job {
    const struct casus_geo *g;
    const double *pts;
    size_t n;
    bool direct;
    double sink, cpu;
};

static void *run_job(void *arg)
{
    struct job *j = arg;
    double c0 = clock_s(CLOCK_THREAD_CPUTIME_ID);
    for (size_t i = 0; i < j->n; i++) {
        struct casus_geo_hit h;
        if (j->direct)
            casus_geo_locate_direct(j->g, j->pts[2 * i], j->pts[2 * i + 1], CASUS_GEO_LATEST, &h);
        else
            casus_geo_locate(j->g, j->pts[2 * i], j->pts[2 * i + 1], CASUS_GEO_LATEST, &h);
        j->sink += h.near_boundary + (h.sov != NULL) + (h.waters != NULL);
    }
    j->cpu = clock_s(CLOCK_THREAD_CPUTIME_ID) - c0;
    return NULL;
}

struct rate {
    double wall, cpu; /* lookups per wall second, per CPU second */
};

/* n lookups split over nt threads (1 or 2). */
static struct rate run_points(const struct casus_geo *g, const double *pts, size_t n, int nt,
                              bool direct, double *sink)
{
    struct job j[2];
    pthread_t tid[2];
    size_t half = n / (size_t)nt;
    double t0 = now();
    for (int t = 0; t < nt; t++) {
        j[t] = (struct job){g, pts + 2 * half * (size_t)t, half, direct, 0, 0};
        if (t > 0 && pthread_create(&tid[t], NULL, run_job, &j[t]) != 0)
            run_job(&j[t]), nt = t + 1;
    }
    run_job(&j[0]);
    for (int t = 1; t < nt; t++)
        pthread_join(tid[t], NULL);
    double wall = now() - t0, cpu = 0;
    for (int t = 0; t < nt; t++) {
        cpu += j[t].cpu;
        *sink += j[t].sink;
    }
    return (struct rate){(double)(half * (size_t)nt) / wall, (double)(half * (size_t)nt) / cpu};
}

static void report(const char *what, struct rate r, double target)
{
    printf("%-42s %10.0f /s wall %10.0f /s per CPU-s", what, r.wall, r.cpu);
    if (target > 0)
        printf("   %4.2fx target (%.0f/s)", r.wall / target, target);
    putchar('\n');
}

static void load_line(void)
{
    FILE *f = fopen("/proc/loadavg", "r");
    char buf[128] = "?";
    if (f) {
        if (!fgets(buf, sizeof buf, f))
            buf[0] = 0;
        fclose(f);
    }
    buf[strcspn(buf, "\n")] = 0;
    printf("machine load (1/5/15 min, runnable/total): %s\n", buf);
}

static void gazetteer_bench(const struct casus_geo *g, double *sink)
{
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
    if (!gz) {
        printf("gazetteer: data/gazetteer.csv not loaded (run from the repo root)\n");
        casus_diags_release(&d);
        return;
    }
    static const char *const names[] = {
        "Kyiv",     "kiev",     "Rzeszow", "Rzeszów", "saint denis", "Las Palmas de Gran Canaria",
        "Honolulu", "Tórshavn", "Nowhere", "Narva"};
    enum { NG = 2000000 };
    double t0 = now(), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
    for (size_t i = 0; i < NG; i++) {
        const char *nm = names[i % CASUS_ARRAY_LEN(names)];
        *sink += casus_gazetteer_find(gz, nm, strlen(nm)) != NULL;
    }
    struct rate r = {NG / (now() - t0), NG / (clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0)};
    report("gazetteer name lookups", r, 1e6);
    casus_gazetteer_free(gz);
    casus_diags_release(&d);
}

int main(void)
{
    size_t len;
    const unsigned char *blob = casus_geo_blob(&len);
    struct casus_geo *g;
    load_line();
    double t0 = now(), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
    if (casus_geo_open(&g, &alloc, blob, len) != CASUS_OK) {
        fprintf(stderr, "bench_geo: cannot open the geography blob\n");
        return 1;
    }
    printf("blob %zu bytes; open (validate) %.1f ms wall, %.1f ms CPU\n", len, 1e3 * (now() - t0),
           1e3 * (clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0));

    enum { N = 400000, ND = 2000 };
    double *euro = malloc(sizeof(double) * 2 * N), *world = malloc(sizeof(double) * 2 * N);
    if (!euro || !world)
        return 1;
    uint64_t s = 0x9E3779B97F4A7C15ULL;
    for (size_t i = 0; i < N; i++) {
        euro[2 * i] = 30 + 42 * rnd(&s);       /* 30N..72N */
        euro[2 * i + 1] = -80 + 125 * rnd(&s); /* 80W..45E */
        world[2 * i] = -90 + 180 * rnd(&s);
        world[2 * i + 1] = -180 + 360 * rnd(&s);
    }
    double sink = 0;
    struct rate direct = run_points(g, euro, ND, 1, true, &sink);
    report("direct scans (no index), Euro-Atlantic", direct, 0);
    t0 = now();
    c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
    if (casus_geo_index(g) != CASUS_OK) {
        fprintf(stderr, "bench_geo: cannot build the index\n");
        return 1;
    }
    printf("index build %.1f ms wall, %.1f ms CPU\n", 1e3 * (now() - t0),
           1e3 * (clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0));
    struct rate e1 = run_points(g, euro, N, 1, false, &sink);
    struct rate e2 = run_points(g, euro, N, 2, false, &sink);
    struct rate w2 = run_points(g, world, N, 2, false, &sink);
    report("lookups, Euro-Atlantic box, 1 thread", e1, 0);
    report("lookups, Euro-Atlantic box, 2 threads", e2, 2e5);
    report("lookups, worldwide, 2 threads", w2, 2e5);
    printf("2 cores by CPU-time rate: %.0f /s Euro-Atlantic (%.2fx the 200k/s target)\n",
           2 * e2.cpu, 2 * e2.cpu / 2e5);
    printf("grid vs direct (1 thread, CPU-time rate): %.0fx\n", e1.cpu / direct.cpu);
    gazetteer_bench(g, &sink);
    load_line();
    free(euro);
    free(world);
    casus_geo_free(g);
    return sink < 0;
}
