/*
 * bench_run.c — speed and memory of `casus run` (casus/run.h) on the fixed
 * reference scenario bench/ref-scenario.casus (written by
 * tools/mkrefscenario.py): 254 decide and chance nodes in every policy's
 * expanded tree, a 32-member North Atlantic Council (consensus, sincere),
 * 20 uncertain parameters and 3 policies.  The target it measures is
 * "at least 100,000 draws per second on the 2-core reference machine, a
 * full quantal-response solve per draw"; a draw here is one parameter
 * vector, solved (agent logit QRE at the draw's λ) under every policy, so
 * the solves per second are draws/s × 3.  Printed:
 *
 *   1. each policy's expanded tree (nodes by kind, leaves, slots, council
 *      members), compiled with the library's own casus_scen_compile;
 *   2. casus_run_new wall clock, N draws (default 100,000), on 1 and then
 *      2 threads: draws/s and solves/s, the 2-thread speed-up, and whether
 *      casus_run_write_json gives byte-identical output on both; with the
 *      process's CPU time, whose share of threads × wall clock falls below
 *      100 % when something else is using the cores;
 *   3. the simulation kernel alone, as run.c's worker does it (Philox
 *      uniforms, quantiles, policy overrides, casus_scen_solve; nothing
 *      stored, no statistics), on 1 and 2 threads, so the share of the
 *      total spent in storage and statistics (sorting for quantiles,
 *      Spearman ranks, path sums) is visible: total − kernel;
 *   4. the flagship, trainers-in-ukraine, built into libcasus, the same way
 *      (skipped with a message when this build does not ship it);
 *   5. peak resident memory of the process (getrusage).
 *
 * Usage (from the top of the repository):
 *
 *   make -j2 benches
 *   build/release/bench/bench_run [FILE] [--draws N] [--seed S] [--repeat K]
 *       [--scenario NAME] [--load FLAGSHIP.casus] [--no-flagship]
 *
 * FILE defaults to bench/ref-scenario.casus and NAME to the last scenario it
 * declares that is not built in; --repeat K takes the best of K timings
 * (default 1); --load loads another source first, e.g. a flagship that is
 * not yet built into libcasus.
 *
 * Memory for 10^6 draws, one configuration (one casus_run_new, 2 threads):
 *
 *   /usr/bin/time -v build/release/bench/bench_run --draws 1000000 --threads 2 --once
 *
 * ("Maximum resident set size" in /usr/bin/time's report; the bench prints
 * getrusage's figure too).  The limit is 1 GiB.
 */
#include "casus/run.h"

#include "model/engine.h"
#include "base/par.h"
#include "base/rng.h"
#include "scenario/scen.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#define TARGET_DRAWS_PER_S 100000.0
#define FLAGSHIP           "trainers-in-ukraine"
enum { KCHUNK = 1024 }; /* run.c's chunk of draws */

struct opts {
    const char *file;     /* scenario source */
    const char *scenario; /* NULL: the last one the file declares */
    const char *load;     /* another source to load first (the flagship's, say), or NULL */
    uint64_t draws, seed;
    unsigned threads; /* --once only */
    unsigned repeat;  /* best of this many timings */
    bool once;
    bool no_flagship; /* skip the flagship */
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* CPU time of the whole process, every thread: with wall clock it tells
 * how much of the run the threads were actually on a core (the reference
 * machine is shared; a busy neighbour shows as utilisation below 100 %). */
static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double peak_rss_mib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0; /* Linux: KiB */
}

static const struct casus_mscenario *find_scenario(const casus_engine *e, const char *name)
{
    int32_t i = casus_symtab_get(&e->scenario_ix, name, strlen(name));
    return i >= 0 ? e->scenarios[i] : NULL;
}

/* ---- 1. tree sizes ---- */

static void print_trees(casus_engine *e, const struct casus_mscenario *s)
{
    for (uint32_t p = 0; p < s->npolicies; p++) {
        struct casus_scen sc;
        uint32_t kind[5] = {0}, members = 0;
        if (casus_scen_compile(&sc, &e->alloc, s, p, 2000000u, NULL) != CASUS_OK) {
            printf("  policy %s: does not compile\n", s->policies[p].name);
            continue;
        }
        for (uint32_t v = 0; v < sc.t.n; v++) {
            const struct casus_mgnode *g = &s->nodes[sc.gnode[v]];
            kind[g->kind < 5 ? g->kind : 4]++;
            if (g->kind == CASUS_GNODE_COUNCIL && g->nmembers > members)
                members = g->nmembers;
        }
        printf("  policy %-12s %u tree nodes: %u decide + %u chance = %u, %u council "
               "(%u members), %u leaves; %u slots per draw\n",
               s->policies[p].name, sc.t.n, kind[CASUS_GNODE_DECIDE], kind[CASUS_GNODE_CHANCE],
               kind[CASUS_GNODE_DECIDE] + kind[CASUS_GNODE_CHANCE], kind[CASUS_GNODE_COUNCIL],
               members, sc.nleaves, sc.nslots);
        casus_scen_release(&sc);
    }
}

/* ---- 2. the whole run ---- */

/* Time casus_run_new (best of o->repeat) and keep the last run's JSON in
 * *json.  Returns the status; *secs the best wall clock, *cpu that run's
 * CPU time. */
static casus_status time_run(casus_engine *e, const char *scen, const struct opts *o,
                             unsigned threads, double *secs, double *cpu, size_t *npol,
                             casus_buf *json)
{
    casus_run_opts ro = CASUS_RUN_OPTS_INIT;
    ro.scenario = scen;
    ro.draws = o->draws;
    ro.seed = o->seed;
    ro.threads = threads;
    *secs = INFINITY;
    for (unsigned k = 0; k < o->repeat; k++) {
        casus_run *r = NULL;
        casus_error err = CASUS_ERROR_INIT;
        double t0 = now(), c0 = cpu_now();
        casus_status st = casus_run_new(e, &ro, &r, &err);
        double t = now() - t0, c = cpu_now() - c0;
        if (st != CASUS_OK) {
            if (st != CASUS_ENOTFOUND)
                fprintf(stderr, "bench_run: %s: %s (%s)\n", scen, err.message,
                        casus_status_str(st));
            return st;
        }
        if (t < *secs)
            *secs = t, *cpu = c;
        *npol = casus_run_policy_count(r);
        if (json && k + 1 == o->repeat) {
            json->len = 0;
            casus_run_write_json(r, json);
        }
        casus_run_free(r);
    }
    return CASUS_OK;
}

/* ---- 3. the simulation kernel, as run.c's worker, storing nothing ---- */

struct kjob {
    const struct casus_mscenario *s;
    const struct casus_scen *sc; /* npolicies */
    const struct casus_alloc *alloc;
    uint64_t N, seed;
    double *sum;                     /* per chunk: sum of the outputs, a checksum */
    bool bad[CASUS_PAR_MAX_THREADS]; /* per worker: a draw failed or memory ran out */
};

static void kwork(void *ctx, unsigned w, unsigned W)
{
    struct kjob *j = ctx;
    const struct casus_mscenario *s = j->s;
    const uint32_t P = s->nparams, npol = s->npolicies;
    const uint32_t nq = s->ladder->nrungs + s->ladder->nthresholds + s->nactors;
    struct casus_arena a;
    casus_arena_init(&a, j->alloc);
    struct casus_scen_ws *ws = casus_arena_alloc(&a, npol * sizeof *ws);
    double *base = casus_arena_alloc(&a, (P + 1) * sizeof *base);
    double *uu = casus_arena_alloc(&a, (P + 1) * sizeof *uu);
    double *pv = casus_arena_alloc(&a, (P + 1) * sizeof *pv);
    double *ob = casus_arena_alloc(&a, (nq + 1) * sizeof *ob);
    bool ok = ws && base && uu && pv && ob;
    for (uint32_t p = 0; ok && p < npol; p++)
        ok = casus_scen_ws_init(&ws[p], &a, &j->sc[p]) == CASUS_OK;
    for (uint64_t c = w; ok && c * KCHUNK < j->N; c += W) {
        double sum = 0;
        uint64_t d1 = (c + 1) * KCHUNK < j->N ? (c + 1) * KCHUNK : j->N;
        for (uint64_t d = c * KCHUNK; d < d1; d++) {
            for (uint32_t i = 0; i < P; i++) {
                const struct casus_mdist *di = &s->params[i].dist;
                uu[i] = di->family == CASUS_FAMILY_fixed
                            ? 0.5
                            : casus_rng_uniform(j->seed, s->params[i].stream, d);
                base[i] = di->family == CASUS_FAMILY_fixed ? di->arg[0]
                                                           : casus_dist_quantile(&di->d, uu[i]);
            }
            for (uint32_t p = 0; p < npol; p++) {
                const struct casus_mpolicy *pol = &s->policies[p];
                memcpy(pv, base, P * sizeof *pv);
                for (uint32_t k = 0; k < pol->nsettings; k++) {
                    const struct casus_msetting *st = &pol->settings[k];
                    pv[st->param] = st->dist.family == CASUS_FAMILY_fixed
                                        ? st->dist.arg[0]
                                        : casus_dist_quantile(&st->dist.d, uu[st->param]);
                }
                struct casus_scen_out out = {ob, ob + s->ladder->nrungs,
                                             ob + s->ladder->nrungs + s->ladder->nthresholds};
                struct casus_scen_fail fl;
                if (casus_scen_solve(&j->sc[p], pv, NAN, &ws[p], &out, &fl) != CASUS_OK)
                    ok = false;
                for (uint32_t q = 0; q < nq; q++)
                    sum += ob[q];
            }
        }
        j->sum[c] = sum;
    }
    j->bad[w] = !ok;
    casus_arena_release(&a);
}

/* Time the kernel on 1 and 2 threads and print draws/s; 0 on success (every
 * draw solved, and the checksum, reduced in chunk order, equal on both). */
static int time_kernel(casus_engine *e, const struct casus_mscenario *s, const struct opts *o)
{
    struct casus_scen *sc = calloc(s->npolicies, sizeof *sc);
    struct kjob *j = calloc(1, sizeof *j);
    const uint64_t nchunks = (o->draws + KCHUNK - 1) / KCHUNK;
    double *csum = calloc(nchunks, sizeof *csum);
    uint32_t ncomp = 0;
    int rc = 1;
    if (!sc || !j || !csum)
        goto done;
    for (; ncomp < s->npolicies; ncomp++)
        if (casus_scen_compile(&sc[ncomp], &e->alloc, s, ncomp, 2000000u, NULL) != CASUS_OK)
            goto done;
    j->s = s;
    j->sc = sc;
    j->alloc = &e->alloc;
    j->N = o->draws;
    j->seed = o->seed;
    j->sum = csum;
    double t1 = 0, sum1 = 0;
    bool fail = false;
    for (unsigned T = 1; T <= 2; T++) {
        double best = INFINITY, cpu = 0, sum = 0;
        bool bad = false;
        for (unsigned k = 0; k < o->repeat; k++) {
            double t0 = now(), c0 = cpu_now();
            casus_par_run(T, kwork, j);
            if (now() - t0 < best)
                best = now() - t0, cpu = cpu_now() - c0;
            sum = 0;
            for (uint64_t c = 0; c < nchunks; c++)
                sum += csum[c];
            for (unsigned w = 0; w < T; w++)
                bad |= j->bad[w];
        }
        if (T == 1)
            t1 = best, sum1 = sum;
        printf("  kernel, %u thread%s: %.3f s (cpu %.3f s, %3.0f %% of %u core%s), %.0f draws/s "
               "(%.0f solves/s)%s",
               T, T > 1 ? "s" : " ", best, cpu, 100 * cpu / (best * T), T, T > 1 ? "s" : " ",
               (double)o->draws / best, (double)o->draws * s->npolicies / best,
               bad ? ", SOME DRAWS FAILED" : "");
        if (T == 2)
            printf(", speed-up %.2fx, checksum %s", t1 / best,
                   sum == sum1 ? "bit-identical" : "DIFFERS");
        printf("\n");
        fail |= bad || sum != sum1;
    }
    rc = fail;
done:
    for (uint32_t p = 0; p < ncomp; p++)
        casus_scen_release(&sc[p]);
    free(sc);
    free(j);
    free(csum);
    return rc;
}

/* Sections 2 and 3 for one scenario; 0 on success, -1 when it is not
 * loaded (the flagship), 1 on failure. */
static int bench_scenario(casus_engine *e, const char *name, const struct opts *o, bool target)
{
    const struct casus_mscenario *s = find_scenario(e, name);
    if (!s)
        return -1;
    printf("scenario %s: %u parameters, %u policies\n", name, s->nparams, s->npolicies);
    print_trees(e, s);
    casus_buf json[2] = {CASUS_BUF_INIT, CASUS_BUF_INIT};
    double t[2], cpu[2];
    size_t npol = 0;
    for (unsigned T = 1; T <= 2; T++) {
        if (time_run(e, name, o, T, &t[T - 1], &cpu[T - 1], &npol, &json[T - 1]) != CASUS_OK)
            return 1;
        printf("  casus_run_new, %" PRIu64 " draws x %zu policies, %u thread%s: %.3f s "
               "(cpu %.3f s, %3.0f %% of %u core%s), %.0f draws/s (%.0f solves/s)",
               o->draws, npol, T, T > 1 ? "s" : " ", t[T - 1], cpu[T - 1],
               100 * cpu[T - 1] / (t[T - 1] * T), T, T > 1 ? "s" : " ", (double)o->draws / t[T - 1],
               (double)o->draws * (double)npol / t[T - 1]);
        if (T == 2)
            printf(", speed-up %.2fx", t[0] / t[1]);
        printf("\n");
    }
    bool same = json[0].len == json[1].len && !json[0].failed && !json[1].failed &&
                memcmp(json[0].data, json[1].data, json[0].len) == 0;
    printf("  bit-identical JSON, 1 vs 2 threads: %s (%zu bytes)\n", same ? "yes" : "NO",
           json[0].len);
    casus_buf_release(&json[0]);
    casus_buf_release(&json[1]);
    if (target) {
        double rate = (double)o->draws / t[1];
        printf("  target >= %.0f draws/s on 2 threads (a draw = one parameter vector solved "
               "under all %zu policies): %s (%.2fx the target); per solve: %s\n",
               TARGET_DRAWS_PER_S, npol, rate >= TARGET_DRAWS_PER_S ? "met" : "NOT met",
               rate / TARGET_DRAWS_PER_S,
               rate * (double)npol >= TARGET_DRAWS_PER_S ? "met" : "NOT met");
    }
    return time_kernel(e, s, o) || !same;
}

static int usage(void)
{
    fprintf(stderr, "usage: bench_run [FILE] [--scenario NAME] [--load FILE] [--draws N] "
                    "[--seed S] [--repeat K] [--no-flagship] [--once [--threads T]]\n");
    return 2;
}

int main(int argc, char **argv)
{
    struct opts o = {"bench/ref-scenario.casus", NULL, NULL, 100000u, 1u, 2u, 1u, false, false};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--once") == 0)
            o.once = true;
        else if (strcmp(a, "--no-flagship") == 0)
            o.no_flagship = true;
        else if (strcmp(a, "--draws") == 0 && v)
            o.draws = strtoull(v, NULL, 10), i++;
        else if (strcmp(a, "--seed") == 0 && v)
            o.seed = strtoull(v, NULL, 10), i++;
        else if (strcmp(a, "--threads") == 0 && v)
            o.threads = (unsigned)strtoul(v, NULL, 10), i++;
        else if (strcmp(a, "--repeat") == 0 && v)
            o.repeat = (unsigned)strtoul(v, NULL, 10), i++;
        else if (strcmp(a, "--scenario") == 0 && v)
            o.scenario = v, i++;
        else if (strcmp(a, "--load") == 0 && v)
            o.load = v, i++;
        else if (a[0] == '-')
            return usage();
        else
            o.file = a;
    }
    if (o.draws == 0 || o.repeat == 0)
        return usage();

    casus_engine *e = NULL;
    casus_buf diag = CASUS_BUF_INIT;
    double t0 = now();
    if (casus_engine_new(&e, NULL, NULL) != CASUS_OK || casus_engine_load_builtin(e) != CASUS_OK ||
        (o.load && casus_engine_load_file(e, o.load) != CASUS_OK) ||
        casus_engine_load_file(e, o.file) != CASUS_OK ||
        casus_engine_load_shipped_scenarios(e) != CASUS_OK) {
        if (e)
            casus_engine_render_diagnostics(e, &diag);
        fprintf(stderr, "bench_run: cannot load %s%s%s\n%s", o.file, o.load ? " or " : "",
                o.load ? o.load : "", diag.data ? diag.data : "");
        casus_buf_release(&diag);
        casus_engine_free(e);
        return 1;
    }
    double t_load = now() - t0;
    if (!o.scenario) {
        for (uint32_t i = 0; i < e->nscenarios; i++) /* the file's, not a shipped one */
            if (strncmp(casus_engine_scenario_file(e, i), "scenarios/", 10) != 0)
                o.scenario = e->scenarios[i]->name;
        if (!o.scenario) {
            fprintf(stderr, "bench_run: %s declares no scenario\n", o.file);
            casus_engine_free(e);
            return 1;
        }
    }

    int rc;
    if (o.once) {
        double t, cpu = 0;
        size_t npol = 0;
        casus_status st = time_run(e, o.scenario, &o, o.threads, &t, &cpu, &npol, NULL);
        rc = st != CASUS_OK;
        if (!rc)
            printf("%s: casus_run_new, %" PRIu64 " draws x %zu policies, %u thread%s: %.3f s "
                   "(cpu %.3f s), %.0f draws/s (%.0f solves/s); peak RSS %.0f MiB\n",
                   o.scenario, o.draws, npol, o.threads, o.threads == 1 ? "" : "s", t, cpu,
                   (double)o.draws / t, (double)o.draws * (double)npol / t, peak_rss_mib());
        casus_engine_free(e);
        return rc;
    }

    printf("engine: builtin sources and %s loaded in %.3f s\n", o.file, t_load);
    rc = bench_scenario(e, o.scenario, &o, strcmp(o.scenario, FLAGSHIP) != 0);
    if (rc < 0) {
        fprintf(stderr, "bench_run: no scenario '%s' in %s\n", o.scenario, o.file);
        rc = 1;
    }
    int rf = o.no_flagship ? 0 : bench_scenario(e, FLAGSHIP, &o, false);
    if (rf < 0)
        printf("scenario %s: not built into this libcasus; skipped\n", FLAGSHIP);
    else
        rc |= rf;
    printf("peak RSS of this process: %.0f MiB\n", peak_rss_mib());
    casus_engine_free(e);
    return rc;
}
