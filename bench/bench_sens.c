/*
 * bench_sens.c — speed of the sensitivity core against SALib 1.4.8 on the
 * reference machine (../shared/reference/uq.md): Sobol' G, D = 8, N = 65536
 * base samples, second-order indices, 100 bootstrap resamples, where SALib's
 * analyze() took 31.2 s.
 *
 *   1. like for like: analysis of one N-row design with 100 bootstrap
 *      resamples (sampling and evaluation excluded, as in SALib's figure);
 *   2. the whole casus run as `casus sensitivity` does it by default:
 *      sampling, evaluation and analysis of R = 16 nested uniform (Owen)
 *      scrambled replicates of N rows each with replicate-t intervals, on
 *      1 and 2 threads (the estimates must be bit-identical); then the
 *      former default, linear matrix scrambling, for comparison;
 *   3. the command end to end: `casus sensitivity --function sobol-g
 *      --base-samples N --second-order` (process start, run, JSON output),
 *      on 1 and 2 threads, using the casus binary next to this bench
 *      (build/<variant>/casus).
 *
 * Usage: bench_sens [N] [R]
 */
#include "uq/sens.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const double G_A[8] = {0, 1, 4.5, 9, 99, 99, 99, 99};
#define SALIB_SECONDS 31.2

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static casus_status eval_g(void *ud, const double *x, size_t n, size_t d, double *y)
{
    (void)ud;
    for (size_t i = 0; i < n; i++)
        y[i] = casus_sens_sobol_g(x + i * d, G_A, d);
    return CASUS_OK;
}

int main(int argc, char **argv)
{
    const struct casus_alloc a = {casus_default_alloc, NULL};
    size_t n = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 65536;
    size_t R = argc > 2 ? (size_t)strtoul(argv[2], NULL, 10) : 16;
    enum { D = 8 };
    size_t ncol = casus_sens_ncol(D, true), ni = casus_sens_nindices(D, true);
    struct casus_sens_design p = {D, n, true, CASUS_SENS_OWEN, 2024};
    struct casus_sens_sampler s;
    struct casus_sens_ws w;
    double *y = malloc(n * ncol * sizeof *y);
    double *u = malloc((size_t)CASUS_SENS_BLOCK * ncol * D * sizeof *u);
    double est[64], lo[64], hi[64], exact[64], var, t0, t_boot, t_run, err = 0;
    struct casus_sens_result res = {0, 0, 0, est, lo, hi, 0, 0};
    casus_status st;

    if (!y || !u || casus_sens_sampler_init(&s, &a, &p, 0) != CASUS_OK) {
        fprintf(stderr, "bench_sens: setup failed\n");
        return 1;
    }
    for (size_t r0 = 0; r0 < n; r0 += CASUS_SENS_BLOCK) {
        size_t nr = n - r0 < CASUS_SENS_BLOCK ? n - r0 : CASUS_SENS_BLOCK;
        casus_sens_sampler_rows(&s, r0, nr, u);
        eval_g(NULL, u, nr * ncol, D, y + r0 * ncol);
    }
    casus_sens_sampler_release(&s);
    casus_sens_sobol_g_exact(G_A, D, exact, &var);

    /* 1. SALib-equivalent analysis: estimates + 100 bootstrap resamples */
    if (casus_sens_ws_init(&w, &a, n, D, true, 100) != CASUS_OK)
        return 1;
    t0 = now();
    st = casus_sens_bootstrap_ci(y, &w, 7, 0.95, est, lo, hi);
    t_boot = now() - t0;
    casus_sens_ws_release(&w);
    for (size_t i = 0; i < 2 * D; i++)
        err = fmax(err, fabs(est[i] - exact[i]));
    printf("analysis, G D=8 N=%zu second order, 100 bootstrap resamples: %.3f s "
           "(SALib 31.2 s: %.0fx faster), max |S1,ST error| %.1e, status %d\n",
           n, t_boot, SALIB_SECONDS / t_boot, err, (int)st);

    /* 2. whole run with replicate intervals: Owen on 1 and 2 threads, LMS */
    {
        double est1[64], t1 = 0;
        for (int v = 0; v < 3; v++) {
            struct casus_sens_exec x = CASUS_SENS_EXEC_INIT;
            struct casus_sens_design q = p;
            x.threads = v == 1 ? 2 : 1;
            q.qmc = v == 2 ? CASUS_SENS_LMS : CASUS_SENS_OWEN;
            t0 = now();
            st = casus_sens_run_ex(&a, &q, R, 0, 0.90, NULL, eval_g, NULL, &x, &res);
            t_run = now() - t0;
            err = 0;
            for (size_t i = 0; i < 2 * D; i++)
                err = fmax(err, fabs(est[i] - exact[i]));
            if (v == 0) {
                memcpy(est1, est, sizeof est1);
                t1 = t_run;
            }
            printf("whole run, G D=8 N=%zu x R=%zu %s scrambles, second order (%zu evaluations, "
                   "%zu indices), %u thread%s: %.3f s, max |S1,ST error| %.1e, status %d",
                   n, R, v == 2 ? "LMS" : "Owen", res.evals, ni, x.threads,
                   x.threads > 1 ? "s" : "", t_run, err, (int)st);
            if (v == 1)
                printf(" (speed-up %.2fx, estimates %s)", t1 / t_run,
                       memcmp(est1, est, ni * sizeof *est) ? "DIFFER" : "bit-identical");
            printf("\n");
        }
    }

    /* 3. the command end to end */
    if (argc > 0 && strlen(argv[0]) < 900) {
        char cmd[1200], dir[1000];
        const char *slash = strrchr(argv[0], '/');
        size_t dl = slash ? (size_t)(slash - argv[0]) : 1;
        memcpy(dir, slash ? argv[0] : ".", dl);
        dir[dl] = '\0';
        for (unsigned th = 1; th <= 2; th++) {
            snprintf(cmd, sizeof cmd,
                     "%s/../casus sensitivity --function sobol-g --base-samples %zu "
                     "--second-order --threads %u --json >/dev/null",
                     dir, n, th);
            t0 = now();
            int rc = system(cmd);
            printf("casus sensitivity --function sobol-g --base-samples %zu --second-order "
                   "--threads %u: %.3f s end to end (exit %d)\n",
                   n, th, now() - t0, rc);
        }
    }
    free(y);
    free(u);
    return st == CASUS_OK ? 0 : 1;
}
