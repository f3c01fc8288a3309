/*
 * sens_validate.c — deterministic validation of the sensitivity core, too
 * slow for a unit test (about 30 s on one core):
 *
 *   accuracy     Ishigami (a = 7, b = 0.1) and Sobol' G (a = 0, 1, 4.5, 9,
 *                99 x 4), N = 8192 and 65536 base samples, R scrambles:
 *                every S1 and ST within 2e-3 and 2e-4 of the analytic
 *                value (uq.md);
 *   calibration  over K seeds (default 1000) at N = 1024, how often the
 *                nominal 90 % interval contains the analytic value, per
 *                index, for QMC replicate-t intervals (R scrambles) and
 *                for bootstrap intervals on plain Monte Carlo (B = 200);
 *                target 87-93 %.
 *
 * Build and run (from the repository root):
 *   cc -std=c11 -O2 -Iinclude -Isrc -D_POSIX_C_SOURCE=200809L -ffp-contract=off \
 *      tools/sens_validate.c src/uq/sens.c src/uq/dist.c src/uq/sobol.c src/uq/sobol_table.c \
 *      src/base/rng.c src/base/par.c src/base/mem.c -lm -lpthread -o build/sens_validate
 *   build/sens_validate [--seeds K] [--n N] [--boot B] [--reps R] [--owen 0|1]
 * The defaults are those of `casus sensitivity`: nested uniform (Owen)
 * scrambling (--owen 1) and R = 16 scrambles; --owen 0 uses linear matrix
 * scrambling + digital shift instead.
 * Exit status 0 when every check passes, 1 otherwise.
 */
#include "uq/sens.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static const double G_A[8] = {0, 1, 4.5, 9, 99, 99, 99, 99};

static casus_status eval_g(void *ud, const double *x, size_t n, size_t d, double *y)
{
    (void)ud;
    for (size_t i = 0; i < n; i++)
        y[i] = casus_sens_sobol_g(x + i * d, G_A, d);
    return CASUS_OK;
}

static casus_status eval_ishigami(void *ud, const double *x, size_t n, size_t d, double *y)
{
    (void)ud;
    for (size_t i = 0; i < n; i++)
        y[i] = casus_sens_ishigami(x + i * d, 7.0, 0.1);
    return CASUS_OK;
}

struct fn {
    const char *name;
    size_t d;
    casus_sens_fn eval;
};
static const struct fn FNS[2] = {{"Ishigami", 3, eval_ishigami}, {"Sobol G", 8, eval_g}};

static void exact(int f, double *theta)
{
    double v;
    if (f == 0)
        casus_sens_ishigami_exact(7.0, 0.1, theta, &v);
    else
        casus_sens_sobol_g_exact(G_A, 8, theta, &v);
}

static const struct casus_alloc ALLOC = {casus_default_alloc, NULL};
static int scramble = CASUS_SENS_OWEN; /* set once by main */
static size_t reps = 16;

static int accuracy(void)
{
    static const size_t NS[2] = {8192, 65536};
    static const double LIMIT[2] = {2e-3, 2e-4};
    int ok = 1;
    for (int t = 0; t < 2; t++) {
        printf("%saccuracy: N = %zu, R = %zu %s scrambles, mean of replicates vs analytic\n",
               t ? "\n" : "", NS[t], reps, scramble == CASUS_SENS_OWEN ? "Owen" : "LMS");
        for (int f = 0; f < 2; f++) {
            size_t d = FNS[f].d;
            struct casus_sens_design p = {d, NS[t], true, scramble, 20240917};
            double ex[44], est[44], lo[44], hi[44], e = 0, e2 = 0;
            struct casus_sens_result r = {0, 0, 0, est, lo, hi, 0, 0};
            exact(f, ex);
            if (casus_sens_run(&ALLOC, &p, reps, 0, 0.90, NULL, FNS[f].eval, NULL, &r) != CASUS_OK)
                return 0;
            printf("  %-8s  input        S1 (exact)              ST (exact)\n", FNS[f].name);
            for (size_t i = 0; i < d; i++) {
                printf("            x%-2zu  %.6f (%.6f)  %.6f (%.6f)\n", i + 1, est[i], ex[i],
                       est[d + i], ex[d + i]);
                e = fmax(e, fmax(fabs(est[i] - ex[i]), fabs(est[d + i] - ex[d + i])));
            }
            for (size_t i = 2 * d; i < r.nidx; i++)
                e2 = fmax(e2, fabs(est[i] - ex[i]));
            printf("            max |error| S1/ST %.2e (limit %.0e)%s, S2 %.2e\n", e, LIMIT[t],
                   e < LIMIT[t] ? "" : "  FAIL", e2);
            ok &= e < LIMIT[t];
        }
    }
    return ok;
}

static int calibration(size_t K, size_t n, size_t nboot)
{
    int ok = 1;
    printf("\ncalibration: %zu seeds, N = %zu, nominal 90 %% intervals, coverage %%\n", K, n);
    for (int f = 0; f < 2; f++) {
        size_t d = FNS[f].d, ni = casus_sens_nindices(d, true);
        unsigned hit[2][44] = {{0}};
        double ex[44], width[2][44] = {{0}};
        exact(f, ex);
        for (int m = 0; m < 2; m++) {
            for (size_t s = 0; s < K; s++) {
                struct casus_sens_design p = {d, n, true, m == 0 ? scramble : CASUS_SENS_MC,
                                              1000003u * (s + 1)};
                double est[44], lo[44], hi[44];
                struct casus_sens_result r = {0, 0, 0, est, lo, hi, 0, 0};
                if (casus_sens_run(&ALLOC, &p, reps, nboot, 0.90, NULL, FNS[f].eval, NULL, &r) !=
                    CASUS_OK)
                    return 0;
                for (size_t i = 0; i < ni; i++) {
                    hit[m][i] += lo[i] <= ex[i] && ex[i] <= hi[i];
                    width[m][i] += (hi[i] - lo[i]) / 2 / (double)K;
                }
            }
        }
        printf("  %s (QMC: R = %zu %s scrambles, t-interval; MC: bootstrap B = %zu)\n", FNS[f].name,
               reps, scramble == CASUS_SENS_OWEN ? "Owen" : "LMS", nboot);
        printf("    index    exact      QMC cover  half-width   MC cover  half-width\n");
        for (size_t i = 0; i < ni; i++) {
            char name[16];
            double c0 = 100.0 * hit[0][i] / (double)K, c1 = 100.0 * hit[1][i] / (double)K;
            int bad = i < 2 * d && (c0 < 87 || c0 > 93 || c1 < 87 || c1 > 93);
            if (i < d)
                snprintf(name, sizeof name, "S1 x%zu", i + 1);
            else if (i < 2 * d)
                snprintf(name, sizeof name, "ST x%zu", i - d + 1);
            else {
                size_t j = 0, k = 0, idx = 2 * d;
                for (j = 0; j + 1 < d; j++)
                    for (k = j + 1; k < d; k++, idx++)
                        if (idx == i)
                            goto found;
            found:
                snprintf(name, sizeof name, "S2 x%zu,x%zu", j + 1, k + 1);
            }
            printf("    %-9s %.6f  %6.1f    %.2e    %6.1f    %.2e%s\n", name, ex[i], c0,
                   width[0][i], c1, width[1][i], bad ? "   <- outside 87-93" : "");
            ok &= !bad;
        }
    }
    return ok;
}

int main(int argc, char **argv)
{
    size_t K = 1000, n = 1024, nboot = 200;
    int ok;
    for (int i = 1; i + 1 < argc; i += 2) {
        size_t v = (size_t)strtoul(argv[i + 1], NULL, 10);
        if (!strcmp(argv[i], "--seeds"))
            K = v;
        else if (!strcmp(argv[i], "--n"))
            n = v;
        else if (!strcmp(argv[i], "--boot"))
            nboot = v;
        else if (!strcmp(argv[i], "--reps"))
            reps = v;
        else if (!strcmp(argv[i], "--owen"))
            scramble = v ? CASUS_SENS_OWEN : CASUS_SENS_LMS;
    }
    ok = accuracy();
    ok &= calibration(K, n, nboot);
    printf("\n%s\n", ok ? "all checks passed" : "SOME CHECKS FAILED");
    return ok ? 0 : 1;
}
