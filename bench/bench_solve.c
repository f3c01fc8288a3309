/*
 * bench_solve.c — logit end points through the public API (casus_game_solve)
 * against Gambit's times from ../shared/reference/gambit (INDEX.tsv and
 * synthetic/INDEX.tsv): every public logit / logit-e run of Gambit that
 * took more than 0.1 s, and the synthetic crisis family: T = 1..4 from
 * ../shared, T = 5, 6 generated with the same construction
 * (bench/crisis_gen.h; Gambit has no times for them).  Prints our wall
 * time (best of 3) with the CPU time of that run beside it, Gambit's wall
 * time, and the ratio.
 * Usage: bench_solve [SHARED_DIR [TMAX (6)]]
 */
#include "casus/solve.h"
#include "crisis_gen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Best-of-3 wall time of a logit end point of the game in the file path,
 * or in text (len bytes) when text is not NULL, the CPU time of that run in
 * *cpu; -1 on failure. */
static double time_logit(const char *path, const char *text, size_t len, bool *ne, double *cpu)
{
    casus_engine *e = NULL;
    if (casus_engine_new(&e, NULL, NULL) != CASUS_OK)
        return -1;
    casus_game *g = NULL;
    double best = -1;
    casus_status ost = text ? casus_game_open(e, path, text, len, NULL, &g)
                            : casus_game_open_file(e, path, NULL, &g);
    if (ost == CASUS_OK) {
        casus_solve_opts o = CASUS_SOLVE_OPTS_INIT;
        o.method = CASUS_METHOD_LOGIT;
        for (int r = 0; r < 3; r++) {
            casus_solution *s = NULL;
            double t0 = now();
            clock_t c0 = clock();
            casus_status st = casus_game_solve(e, g, &o, &s);
            double dt = now() - t0, dc = (double)(clock() - c0) / CLOCKS_PER_SEC;
            *ne = st == CASUS_OK && casus_solution_converged(s);
            casus_solution_free(s);
            if (st != CASUS_OK)
                break;
            if (best < 0 || dt < best) {
                best = dt;
                *cpu = dc;
            }
            if (dt > 5)
                break;
        }
    }
    casus_game_close(g);
    casus_engine_free(e);
    return best;
}

/* One line; gambit <= 0: no Gambit time. */
static void row(const char *name, const char *path, const char *text, size_t len, double gambit)
{
    bool ne = false;
    double cpu = 0, t = time_logit(path, text, len, &ne, &cpu);
    const char *warn = ne ? "" : "  (end point not an equilibrium)";
    if (t < 0)
        printf("%-34s %10s %8s %10.3f %8s\n", name, "failed", "-", gambit, "-");
    else if (gambit > 0)
        printf("%-34s %10.4f %8.4f %10.3f %7.0fx%s\n", name, t, cpu, gambit, gambit / t, warn);
    else
        printf("%-34s %10.4f %8.4f %10s %8s%s\n", name, t, cpu, "-", "-", warn);
}

int main(int argc, char **argv)
{
    const char *shared = argc > 1 ? argv[1] : "../shared";
    int tmax = argc > 2 ? atoi(argv[2]) : 6;
    setvbuf(stdout, NULL, _IOLBF, 0);
    char path[1024], line[4096];
    printf("%-34s %10s %8s %10s %8s\n", "logit end point", "casus s", "cpu s", "gambit s", "ratio");
    snprintf(path, sizeof path, "%s/reference/gambit/INDEX.tsv", shared);
    FILE *f = fopen(path, "r");
    if (!f) {
        printf("skip: %s not found\n", path);
        return 0;
    }
    while (fgets(line, sizeof line, f)) {
        char *col[16] = {0};
        int nc = 0;
        for (char *p = line; nc < 16;) {
            col[nc++] = p;
            char *tab = strchr(p, '\t');
            if (!tab)
                break;
            *tab = '\0';
            p = tab + 1;
        }
        if (nc < 9 || strcmp(col[2], "public") != 0 || strcmp(col[3], "logit-e") != 0 ||
            strcmp(col[7], "ok") != 0 || atof(col[8]) <= 0.1)
            continue;
        const char *rel = strrchr(col[5], ' ');
        char gpath[1024];
        snprintf(gpath, sizeof gpath, "%s/data/gambit-games/%s", shared, rel + 1);
        row(col[1], gpath, NULL, 0, atof(col[8]));
    }
    fclose(f);
    static const double synth[] = {0.019, 0.290, 5.508, 144.25}; /* synthetic/INDEX.tsv */
    for (int t = 1; t <= tmax; t++) {
        char name[64];
        casus_buf b = CASUS_BUF_INIT;
        gen_crisis(t, &b);
        snprintf(name, sizeof name, "crisis_T%d.efg%s", t, t > 4 ? " (generated)" : "");
        row(name, name, b.data, b.len, t <= 4 ? synth[t - 1] : 0);
        casus_buf_release(&b);
    }
    return 0;
}
