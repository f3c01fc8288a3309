/*
 * bench_fit.c — whole-process timing of `casus fit` on the 28 public R games
 * reference cases, against R's own fit times (the `fit_median_s` of each
 * case's JSON in ../shared/reference/rgames, measured on the same kind of
 * machine).
 *
 *   make benches && build/release/bench/bench_fit [build/release/casus] [runs]
 *
 * Each case runs the casus binary as a new process (posix_spawn, stdout and
 * stderr to /dev/null) `runs` times (default 9) and reports the median wall
 * time, the median CPU time of the child (user + system, from wait4), the
 * ratio R median / casus median wall (the one flagged), the ratio against
 * CPU time (what wall time would be on an idle core), and the 1-minute load
 * average before the case.  The floor of process start-up is measured the same way with
 * `casus --version`, so the part that is the fit shows.  Ratios below 50
 * are flagged.  Needs ../shared (or $CASUS_SHARED); skips otherwise.
 */
#include "../tests/unit/json_mini.h"
#include "../tests/unit/rgames_cases.h"

#include <fcntl.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* CPU seconds (user + system) of the children reaped so far. */
static double children_cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_CHILDREN, &ru);
    return (double)ru.ru_utime.tv_sec + 1e-6 * (double)ru.ru_utime.tv_usec +
           (double)ru.ru_stime.tv_sec + 1e-6 * (double)ru.ru_stime.tv_usec;
}

/* The 1-minute load average (Linux /proc/loadavg; 0 elsewhere). */
static double load1(void)
{
    double l = 0.0;
    FILE *f = fopen("/proc/loadavg", "r");
    if (f) {
        if (fscanf(f, "%lf", &l) != 1)
            l = 0.0;
        fclose(f);
    }
    return l;
}

/* Run argv `runs` times; medians of wall and child CPU seconds.  false if
 * a run fails. */
static bool time_runs(char **argv, int runs, double *wall, double *cpu)
{
    double w[64], c[64];
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0); /* the refusal's message */
    for (int r = 0; r < runs; r++) {
        pid_t pid;
        int status; /* the ill-posed case exits 2 by design: timed all the same */
        double c0 = children_cpu(), t0 = now();
        if (posix_spawn(&pid, argv[0], &fa, NULL, argv, environ) != 0)
            return false;
        if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
            return false;
        w[r] = now() - t0;
        c[r] = children_cpu() - c0;
    }
    posix_spawn_file_actions_destroy(&fa);
    qsort(w, (size_t)runs, sizeof w[0], cmp_double);
    qsort(c, (size_t)runs, sizeof c[0], cmp_double);
    *wall = w[runs / 2];
    *cpu = c[runs / 2];
    return true;
}

/* argv for one case; the derived CSV of m8 is written to tmp. */
static int case_argv(const struct rg_case *c, const char *casus, const char *tmp, char **argv,
                     char *path, size_t pathlen)
{
    int n = 0;
    argv[n++] = (char *)casus;
    argv[n++] = (char *)"fit";
    argv[n++] = (char *)c->model;
    argv[n++] = (char *)"--data";
    if (strcmp(c->data, "war1800+y") == 0)
        snprintf(path, pathlen, "%s", tmp);
    else
        snprintf(path, pathlen, "%s/data/rgames/%s.csv", rg_shared(), c->data);
    argv[n++] = path;
    for (int i = 0; i < RG_MAX_OPTS && c->opt[i][0]; i++) {
        static char names[RG_MAX_OPTS][64];
        snprintf(names[i], sizeof names[i], "--%s", c->opt[i][0]);
        argv[n++] = names[i];
        if (c->opt[i][1])
            argv[n++] = (char *)c->opt[i][1];
    }
    argv[n] = NULL;
    return n;
}

/* Write war1800 with the derived y column for case m8. */
static bool write_m8_data(const char *tmp)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/data/rgames/war1800.csv", rg_shared());
    char *csv = jm_read_file(path, NULL), *y = csv ? rg_war1800_with_y(csv) : NULL;
    FILE *f = y ? fopen(tmp, "wb") : NULL;
    bool ok = f && fputs(y, f) >= 0;
    if (f)
        ok &= fclose(f) == 0;
    free(csv);
    free(y);
    return ok;
}

static double r_median(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/reference/rgames/%s.json", rg_shared(), name);
    char *js = jm_read_file(path, NULL);
    struct jm *j = js ? jm_parse(js) : NULL;
    double t = jm_num(jm_get(jm_get(j, "timing"), "fit_median_s"));
    jm_free(j);
    free(js);
    return t;
}

int main(int argc, char **argv)
{
    const char *casus = argc > 1 ? argv[1] : "build/release/casus";
    int runs = argc > 2 ? atoi(argv[2]) : 9;
    if (runs < 1 || runs > 64)
        runs = 9;
    char tmp[] = "/tmp/casus-bench-fit-m8.csv", path[1024], *av[32];
    if (!write_m8_data(tmp)) {
        printf("skip bench_fit: %s/data/rgames not found (../shared is absent)\n", rg_shared());
        return 0;
    }
    double fw, fc;
    char *ver[] = {(char *)casus, (char *)"--version", NULL};
    if (!time_runs(ver, 3, &fw, &fc) || !time_runs(ver, runs, &fw, &fc)) { /* warm, then time */
        printf("bench_fit: cannot run %s\n", casus);
        return 1;
    }
    printf("bench_fit: whole-process `casus fit` vs R games fit time; %d runs each, medians\n",
           runs);
    printf("process start-up floor (casus --version): wall %.2f ms, cpu %.2f ms\n\n", fw * 1e3,
           fc * 1e3);
    printf("%-42s %8s %8s %8s %7s %7s %5s\n", "case", "R ms", "wall ms", "cpu ms", "R/wall",
           "R/cpu", "load");
    int below = 0;
    for (size_t k = 0; k < RG_NCASES; k++) {
        const struct rg_case *c = &rg_cases[k];
        double w, cpu, r = r_median(c->name);
        case_argv(c, casus, tmp, av, path, sizeof path);
        double load = load1();
        if (!time_runs(av, runs, &w, &cpu)) {
            printf("%-42s run failed\n", c->name);
            continue;
        }
        bool low = r / w < 50.0;
        below += low;
        printf("%-42s %8.1f %8.2f %8.2f %7.1f %7.1f %5.2f%s\n", c->name, r * 1e3, w * 1e3,
               cpu * 1e3, r / w, r / cpu, load, low ? "  < 50x" : "");
    }
    printf("\n%d of %zu cases below 50x (R's time is its fit alone; casus's includes process "
           "start-up)\n",
           below, RG_NCASES);
    remove(tmp);
    return 0;
}
