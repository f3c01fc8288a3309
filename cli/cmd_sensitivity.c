/*
 * cmd_sensitivity.c — `casus sensitivity`: which uncertain inputs a model
 * output hinges on (include/casus/sens.h): a scenario result (a threshold,
 * a rung, an expected payoff, or a policy difference) or a built-in test
 * function (--function ishigami|sobol-g).
 * Output is rendered in memory and written only when the run succeeded: a
 * ranked table, --json or --csv on stdout, and optionally an SVG file.  A
 * progress bar goes to stderr when it is a terminal and the run takes more
 * than a second.
 *
 * With an MPI build (make MPI=1) and started by mpirun, every rank runs the
 * command, the Sobol' evaluations are split across ranks by contiguous
 * blocks, the outputs are exchanged with MPI_Allgatherv, and rank 0 prints
 * results bit-identical to a single process.
 */
#include "casus/sens.h"
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const struct cli_opt sens_opts[] = {
    {"function", "NAME", "built-in test function: ishigami or sobol-g (inputs x1, x2, ...)", false},
    {"method", "M", "sobol (default: S1, ST with intervals), morris or tornado", false},
    {"sampling", "S", "sobol-owen (default, nested uniform), sobol (linear matrix) or mc", false},
    {"base-samples", "N", "base samples per replicate (default 4096)", false},
    {"replicates", "R", "independent scrambles for the interval (default 16)", false},
    {"bootstrap", "B", "bootstrap resamples with --sampling mc (default 200)", false},
    {"level", "P", "nominal interval coverage (default 0.90)", false},
    {"second-order", NULL, "also estimate second-order indices S2", false},
    {"trajectories", "T", "Morris trajectories (default 20)", false},
    {"seed", "S", "random seed: same seed, same bits (default 0)", false},
    {"threads", "T", "worker threads (default: all CPUs; results do not depend on it)", false},
    {"json", NULL, "print JSON (docs/sensitivity.md) instead of the table", false},
    {"csv", NULL, "print CSV, one row per input", false},
    {"svg", "FILE", "also write an SVG chart (bars with intervals, tornado) to FILE", false},
    {"scenario", "NAME", "the scenario (default: the one FILE declares, else the flagship)", false},
    {"output", "OUT", "scenario result: a threshold or rung of its ladder, or payoff:ACTOR", false},
    {"policy", "NAME", "the scenario's policy (default: the baseline)", false},
    {"versus", "NAME", "analyse the difference from this policy at the same draw", false},
    {"lambda", "X", "override the scenario's logit precision (a number >= 0, or inf)", false},
    {"load", "FILE", "load another casus file first (repeatable)", true},
};

/* A non-negative integer in [lo, hi]; false with a message otherwise. */
static bool parse_size(const struct cli_cmd *cmd, const char *opt, const char *s, size_t lo,
                       size_t hi, size_t *out)
{
    char *end;
    unsigned long long v;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (!s[0] || s[0] == '-' || *end || errno == ERANGE || v < lo || v > hi) {
        cli_error(cmd, "option '--%s' wants a whole number from %zu to %zu, not '%s'", opt, lo, hi,
                  s);
        return false;
    }
    *out = (size_t)v;
    return true;
}

/* ---- progress bar -------------------------------------------------------------- */

struct progress {
    double t0;   /* start (monotonic seconds) */
    double last; /* last redraw */
    bool tty;    /* stderr is a terminal */
    bool shown;  /* something was drawn (clear it at the end) */
};

static double mono_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void progress_cb(void *ud, size_t done, size_t total)
{
    struct progress *p = ud;
    double t = mono_now();
    char bar[41];
    size_t fill;
    if (!p->tty || t - p->t0 < 1.0 || (t - p->last < 0.1 && done < total) || total == 0)
        return;
    p->last = t;
    fill = done * 40 / total;
    for (size_t i = 0; i < 40; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[40] = '\0';
    fprintf(stderr, "\rcasus: sensitivity: [%s] %3zu %%  %.0f s", bar, done * 100 / total,
            t - p->t0);
    fflush(stderr);
    p->shown = true;
}

static void progress_clear(struct progress *p)
{
    if (p->shown)
        fputs("\r\033[K", stderr);
    p->shown = false;
}

/* ---- the command ------------------------------------------------------------------ */

struct sens_args {
    casus_sens_options opt;
    const char *function, *svg;
    bool json, csv, threads_given;
    bool scenario; /* a scenario result, not a built-in */
    const char *output, *policy, *versus;
    double lambda;               /* NaN: the scenario's */
    const struct cli_args *args; /* for loading the scenario files */
};

static int read_args(const struct cli_cmd *cmd, const struct cli_args *a, struct sens_args *s)
{
    casus_sens_options o = CASUS_SENS_OPTIONS_INIT;
    const char *v;
    size_t n;
    double level;
    memset(s, 0, sizeof *s);
    /* CASUS_SENS_OPTIONS_INIT is the calibrated recipe: Owen scrambling with
     * 16 replicates puts every S1/ST interval of the validation within
     * 87-93 % coverage at nominal 90 %, where LMS with 8 over-covers 7 of 22
     * (docs/sensitivity.md, tools/sens_validate.c). */
    s->function = cli_get(cmd, a, "function");
    s->output = cli_get(cmd, a, "output");
    s->policy = cli_get(cmd, a, "policy");
    s->versus = cli_get(cmd, a, "versus");
    s->args = a;
    s->lambda = NAN;
    s->scenario = a->npos > 0 || s->output || s->policy || s->versus ||
                  cli_get(cmd, a, "scenario") || cli_get(cmd, a, "lambda");
    if (s->function && s->scenario) {
        cli_error(cmd, "--function analyses a built-in test function; scenario options "
                       "(FILE, --output, --policy, --versus, --lambda) do not apply to it");
        return CLI_EXIT_USAGE;
    }
    if (!s->function && !s->output) {
        cli_error(cmd, "nothing to analyse: give --output OUT for a scenario (e.g. "
                       "--output direct-clash), or --function ishigami|sobol-g");
        fprintf(stderr, "usage: %s\n", cmd->usage);
        return CLI_EXIT_USAGE;
    }
    if ((v = cli_get(cmd, a, "lambda"))) {
        if (strcmp(v, "inf") == 0)
            s->lambda = INFINITY;
        else if (!cli_number(v, &s->lambda) || s->lambda < 0) {
            cli_error(cmd, "--lambda needs a number >= 0 or 'inf', not '%s'", v);
            return CLI_EXIT_USAGE;
        }
    }
    if ((v = cli_get(cmd, a, "method"))) {
        if (!strcmp(v, "sobol"))
            o.method = CASUS_SENS_METHOD_SOBOL;
        else if (!strcmp(v, "morris"))
            o.method = CASUS_SENS_METHOD_MORRIS;
        else if (!strcmp(v, "tornado"))
            o.method = CASUS_SENS_METHOD_TORNADO;
        else {
            cli_error(cmd, "unknown method '%s' (sobol, morris or tornado)", v);
            return CLI_EXIT_USAGE;
        }
    }
    if ((v = cli_get(cmd, a, "sampling"))) {
        if (!strcmp(v, "sobol"))
            o.sampling = CASUS_SENS_SAMPLING_SOBOL;
        else if (!strcmp(v, "sobol-owen"))
            o.sampling = CASUS_SENS_SAMPLING_SOBOL_OWEN;
        else if (!strcmp(v, "mc"))
            o.sampling = CASUS_SENS_SAMPLING_MC;
        else {
            cli_error(cmd, "unknown sampling '%s' (sobol-owen, sobol or mc)", v);
            return CLI_EXIT_USAGE;
        }
    }
    if ((v = cli_get(cmd, a, "base-samples"))) {
        if (!parse_size(cmd, "base-samples", v, 2, (size_t)1 << 30, &o.base_samples))
            return CLI_EXIT_USAGE;
    }
    if ((v = cli_get(cmd, a, "replicates"))) {
        if (!parse_size(cmd, "replicates", v, 2, 4096, &o.replicates))
            return CLI_EXIT_USAGE;
    }
    if ((v = cli_get(cmd, a, "bootstrap"))) {
        if (!parse_size(cmd, "bootstrap", v, 2, 100000, &o.bootstrap))
            return CLI_EXIT_USAGE;
    }
    if ((v = cli_get(cmd, a, "trajectories"))) {
        if (!parse_size(cmd, "trajectories", v, 1, 100000, &o.morris_trajectories))
            return CLI_EXIT_USAGE;
    }
    if ((v = cli_get(cmd, a, "seed"))) {
        if (!parse_size(cmd, "seed", v, 0, SIZE_MAX, &n))
            return CLI_EXIT_USAGE;
        o.seed = n;
    }
    if ((v = cli_get(cmd, a, "threads"))) {
        if (!parse_size(cmd, "threads", v, 0, 256, &n))
            return CLI_EXIT_USAGE;
        o.threads = (unsigned)n;
        s->threads_given = true;
    }
    if ((v = cli_get(cmd, a, "level"))) {
        if (!cli_number(v, &level) || !(level > 0.0 && level < 1.0)) {
            cli_error(cmd,
                      "option '--level' wants a coverage strictly between 0 and 1 (e.g. "
                      "0.9), not '%s'",
                      v);
            return CLI_EXIT_USAGE;
        }
        o.level = level;
    }
    o.second_order = cli_get(cmd, a, "second-order") != NULL;
    s->json = cli_get(cmd, a, "json") != NULL;
    s->csv = cli_get(cmd, a, "csv") != NULL;
    s->svg = cli_get(cmd, a, "svg");
    if (s->json && s->csv) {
        cli_error(cmd, "choose one of --json and --csv");
        return CLI_EXIT_USAGE;
    }
    s->opt = o;
    return -1;
}

/* Run the analysis on this process (one MPI rank of nranks); rank 0 writes. */
static int run(const struct cli_cmd *cmd, const struct sens_args *sa, int rank, int nranks,
               int *mpi_buf)
{
    casus_sens *s = NULL;
    casus_buf out = CASUS_BUF_INIT, svg = CASUS_BUF_INIT;
    struct progress pg = {0, 0, false, false};
    casus_engine *e = NULL;
    casus_status st;
    int code = CLI_EXIT_OK;
    if (sa->scenario) {
        e = cli_scenario_engine(cmd, sa->args, &code);
        if (!e)
            return code;
        const char *name = cli_scenario_name(cmd, sa->args, e, &code);
        if (!name) {
            casus_engine_free(e);
            return code;
        }
        casus_error err = CASUS_ERROR_INIT;
        st = casus_sens_new_scenario(&s, e, name, sa->policy, sa->versus, sa->output, sa->lambda,
                                     &sa->opt, &err);
        if (st != CASUS_OK)
            cli_error(cmd, "%s", err.message[0] ? err.message : casus_status_str(st));
        if (st != CASUS_OK) {
            casus_engine_free(e);
            return st == CASUS_ENOMEM ? CLI_EXIT_FAIL : CLI_EXIT_USAGE;
        }
    } else {
        st = casus_sens_new_builtin(&s, sa->function, &sa->opt, NULL, NULL);
        if (st == CASUS_ENOTFOUND) {
            cli_error(cmd, "unknown function '%s' (ishigami or sobol-g)", sa->function);
            return CLI_EXIT_USAGE;
        }
        if (st != CASUS_OK) {
            const char *why = casus_sens_options_check(&sa->opt);
            cli_error(cmd, "%s", why ? why : casus_status_str(st));
            return st == CASUS_EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_FAIL;
        }
    }
#ifdef CASUS_MPI
    if (nranks > 1)
        casus_sens_set_partition(s, (unsigned)rank, (unsigned)nranks, cli_mpi_gather, mpi_buf);
#else
    (void)rank, (void)nranks, (void)mpi_buf;
#endif
    pg.t0 = mono_now();
    pg.tty = rank == 0 && isatty(STDERR_FILENO);
    if (pg.tty)
        casus_sens_set_progress(s, progress_cb, &pg);
    st = casus_sens_analyze(s);
    progress_clear(&pg);
    if (st != CASUS_OK) {
        if (sa->scenario && st == CASUS_EINVAL)
            cli_error(cmd, "analysis failed: for some parameter values a probability or payoff "
                           "leaves its range (casus run names the first such draw)");
        else
            cli_error(cmd, "analysis failed: %s", casus_sens_error(s));
        casus_sens_free(s);
        casus_engine_free(e);
        return CLI_EXIT_FAIL;
    }
    if (rank == 0) {
        if (sa->json)
            st = casus_sens_write_json(s, &out);
        else if (sa->csv)
            st = casus_sens_write_csv(s, &out);
        else
            st = casus_sens_write_text(s, &out);
        if (st == CASUS_OK && sa->svg)
            st = casus_sens_write_svg(s, &svg);
        if (st != CASUS_OK) {
            cli_error(cmd, "cannot render the results: %s", casus_status_str(st));
            code = CLI_EXIT_FAIL;
        } else if (sa->svg && !cli_write_file(cmd, sa->svg, &svg)) {
            code = CLI_EXIT_IO;
        } else if (!cli_write_stdout(cmd, &out)) {
            code = CLI_EXIT_IO;
        }
    }
    casus_buf_release(&out);
    casus_buf_release(&svg);
    casus_sens_free(s);
    casus_engine_free(e);
    return code;
}

static int cmd_sensitivity(const struct cli_cmd *cmd, int argc, char **argv)
{
    struct cli_args a;
    struct sens_args sa;
    int rank, nranks, code, *mpi_buf;
    int early = cli_start(cmd, argc, argv, &a);
    if (early >= 0)
        return early;
    code = read_args(cmd, &a, &sa);
    if (code >= 0)
        return code;
    mpi_buf = cli_mpi_begin(cmd, &rank, &nranks);
    if (nranks > 1 && !sa.threads_given)
        sa.opt.threads = 1; /* ranks, not threads, share the cores */
    code = run(cmd, &sa, rank, nranks, mpi_buf);
    cli_mpi_end(mpi_buf);
    return code;
}

const struct cli_cmd cli_cmd_sensitivity = {
    .name = "sensitivity",
    .fn = cmd_sensitivity,
    .usage = "casus sensitivity [FILE...] --output OUT [--scenario NAME] [--policy NAME] "
             "[--versus NAME] | --function ishigami|sobol-g; [--method sobol|morris|tornado] "
             "[--base-samples N] [--replicates R] [--seed S] [--threads T] [--second-order] "
             "[--json|--csv] [--svg FILE]",
    .summary = "which uncertain inputs a model output hinges on (Sobol', Morris, tornado)",
    .description =
        "Global sensitivity analysis. The sobol method estimates first-order (S1) and total (ST)\n"
        "indices, and with --second-order S2, from the Saltelli design. With scrambled Sobol'\n"
        "points (default: nested uniform scrambling, R = 16) the estimate is the mean of R\n"
        "independent scrambles and the interval a Student-t interval over them, calibrated in\n"
        "docs/sensitivity.md; with --sampling mc it is the full-sample estimate with a\n"
        "bootstrap interval. The output says which. Morris screens many inputs cheaply; tornado\n"
        "moves one input at a time to its 5 % and 95 % quantiles.\n"
        "\n"
        "The model is a scenario result: --output names a threshold or rung of its ladder\n"
        "(its probability) or payoff:ACTOR, under --policy (default: the baseline), or with\n"
        "--versus its difference from another policy at the same draw; the inputs are the\n"
        "parameters that policy leaves uncertain. With no FILE and no --scenario, the shipped\n"
        "flagship. Or a built-in test function with known answers: ishigami (x1..x3) or\n"
        "sobol-g (x1..x8).\n"
        "\n"
        "Results are bit-identical for any --threads and, in an MPI build (make MPI=1) run by\n"
        "mpirun, for any number of ranks. Exit status: 0 ok, 1 the analysis failed, 2 usage,\n"
        "4 output could not be written.",
    .opts = sens_opts,
    .nopts = CLI_COUNT(sens_opts),
    .max_pos = CLI_MAX_POS,
};
