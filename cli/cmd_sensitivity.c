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

#include <limits.h>
#include <math.h>
#include <time.h>
#include <unistd.h>

/* What casus sensitivity's options set. */
struct sens_args {
    casus_sens_options opt; /* threads UINT_MAX: not given */
    int method, sampling;   /* a casus_sens_method, a casus_sens_sampling */
    const char *function, *svg;
    bool json, csv;
    bool scenario; /* a scenario result, not a built-in (set after parsing) */
    const char *scenario_name, *output, *policy, *versus;
    double lambda; /* NaN: the scenario's */
    struct cli_list load;
    const struct cli_args *args; /* for loading the scenario files */
};

static const struct cli_word sens_methods[] = {
    {"sobol", CASUS_SENS_METHOD_SOBOL},
    {"morris", CASUS_SENS_METHOD_MORRIS},
    {"tornado", CASUS_SENS_METHOD_TORNADO},
    {NULL, 0},
};

static const struct cli_word sens_samplings[] = {
    {"sobol-owen", CASUS_SENS_SAMPLING_SOBOL_OWEN},
    {"sobol", CASUS_SENS_SAMPLING_SOBOL},
    {"mc", CASUS_SENS_SAMPLING_MC},
    {NULL, 0},
};

static const struct cli_opt sens_opts[] = {
    CLI_OPT_STRING("function", "NAME", struct sens_args, function,
                   "built-in test function: ishigami or sobol-g (inputs x1, x2, ...)"),
    CLI_OPT_WORD("method", "M", struct sens_args, method, sens_methods,
                 "sobol (default: S1, ST with intervals), morris or tornado"),
    CLI_OPT_WORD("sampling", "S", struct sens_args, sampling, sens_samplings,
                 "sobol-owen (default, nested uniform), sobol (linear matrix) or mc"),
    CLI_OPT_SIZE("base-samples", "N", struct sens_args, opt.base_samples, 2, (size_t)1 << 30,
                 "base samples per replicate (default 4096)"),
    CLI_OPT_SIZE("replicates", "R", struct sens_args, opt.replicates, 2, 4096,
                 "independent scrambles for the interval (default 16)"),
    CLI_OPT_SIZE("bootstrap", "B", struct sens_args, opt.bootstrap, 2, 100000,
                 "bootstrap resamples with --sampling mc (default 200)"),
    CLI_OPT_NUMBER("level", "P", struct sens_args, opt.level, 0, 1,
                   "nominal interval coverage (default 0.90)", .open = true),
    CLI_OPT_FLAG("second-order", struct sens_args, opt.second_order,
                 "also estimate second-order indices S2"),
    CLI_OPT_SIZE("trajectories", "T", struct sens_args, opt.morris_trajectories, 1, 100000,
                 "Morris trajectories (default 20)"),
    CLI_OPT_U64("seed", "S", struct sens_args, opt.seed, 0, 0,
                "random seed: same seed, same bits (default 0)"),
    CLI_OPT_UINT("threads", "T", struct sens_args, opt.threads, 0, 256,
                 "worker threads (default: all CPUs; results do not depend on it)"),
    CLI_OPT_FLAG("json", struct sens_args, json,
                 "print JSON (docs/sensitivity.md) instead of the table"),
    CLI_OPT_FLAG("csv", struct sens_args, csv, "print CSV, one row per input"),
    CLI_OPT_STRING("svg", "FILE", struct sens_args, svg,
                   "also write an SVG chart (bars with intervals, tornado) to FILE"),
    CLI_OPT_STRING("scenario", "NAME", struct sens_args, scenario_name,
                   "the scenario (default: the one FILE declares, else the flagship)"),
    CLI_OPT_STRING("output", "OUT", struct sens_args, output,
                   "scenario result: a threshold or rung of its ladder, or payoff:ACTOR"),
    CLI_OPT_STRING("policy", "NAME", struct sens_args, policy,
                   "the scenario's policy (default: the baseline)"),
    CLI_OPT_STRING("versus", "NAME", struct sens_args, versus,
                   "analyse the difference from this policy at the same draw"),
    CLI_OPT_NUMBER("lambda", "X", struct sens_args, lambda, 0, INFINITY,
                   "override the scenario's logit precision (a number >= 0, or inf)", .inf = true),
    CLI_OPT_LIST("load", "FILE", struct sens_args, load, "load another casus file first"),
};

static const char *const sens_exclusive[] = {"json csv", NULL};

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

/* After parsing: which kind of model, and whether the options fit it.
 * Returns -1 to go on, or the exit code (after a message). */
static int check_args(const struct cli_cmd *cmd, const struct cli_args *a, struct sens_args *s)
{
    /* CASUS_SENS_OPTIONS_INIT is the calibrated recipe: Owen scrambling with
     * 16 replicates puts every S1/ST interval of the validation within
     * 87-93 % coverage at nominal 90 %, where LMS with 8 over-covers 7 of 22
     * (docs/sensitivity.md, tools/sens_validate.c). */
    s->opt.method = (casus_sens_method)s->method;
    s->opt.sampling = (casus_sens_sampling)s->sampling;
    s->args = a;
    s->scenario =
        a->npos > 0 || s->output || s->policy || s->versus || s->scenario_name || !isnan(s->lambda);
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
    return -1;
}

/* The model: a scenario result (with its engine in *e) or a built-in
 * function, in *s.  Returns -1 to go on, or the exit code after a message. */
static int new_model(const struct cli_cmd *cmd, const struct sens_args *sa, casus_engine **e,
                     casus_sens **s)
{
    int code = CLI_EXIT_OK;
    casus_status st;
    if (!sa->scenario) {
        st = casus_sens_new_builtin(s, sa->function, &sa->opt, NULL, NULL);
        if (st == CASUS_ENOTFOUND) {
            char q[CLI_QUOTE_SIZE];
            cli_error(cmd, "unknown function '%s' (ishigami or sobol-g)",
                      cli_quote(q, sa->function));
            return CLI_EXIT_USAGE;
        }
        if (st != CASUS_OK) {
            const char *why = casus_sens_options_check(&sa->opt);
            cli_error(cmd, "%s", why ? why : casus_status_str(st));
            return st == CASUS_EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_FAIL;
        }
        return -1;
    }
    *e = cli_scenario_engine(cmd, &sa->load, sa->args, &code);
    if (!*e)
        return code;
    const char *name = cli_scenario_name(cmd, sa->scenario_name, sa->args, *e, &code);
    if (!name)
        return code;
    casus_error err = CASUS_ERROR_INIT;
    st = casus_sens_new_scenario(s, *e, name, sa->policy, sa->versus, sa->output, sa->lambda,
                                 &sa->opt, &err);
    if (st != CASUS_OK)
        cli_error(cmd, "%s", err.message[0] ? err.message : casus_status_str(st));
    return st != CASUS_OK ? cli_error_exit(st, &err) : -1;
}

/* Write the results: the table, --json or --csv on stdout, and --svg. */
static int write_results(const struct cli_cmd *cmd, const struct sens_args *sa, const casus_sens *s)
{
    casus_buf out = CASUS_BUF_INIT, svg = CASUS_BUF_INIT;
    int code = CLI_EXIT_OK;
    casus_status st = sa->json  ? casus_sens_write_json(s, &out)
                      : sa->csv ? casus_sens_write_csv(s, &out)
                                : casus_sens_write_text(s, &out);
    if (st == CASUS_OK && sa->svg)
        st = casus_sens_write_svg(s, &svg);
    if (st != CASUS_OK) {
        cli_error(cmd, "cannot render the results: %s", casus_status_str(st));
        code = CLI_EXIT_FAIL;
    } else {
        code = sa->svg ? cli_write_file(cmd, sa->svg, &svg) : CLI_EXIT_OK;
        if (code == CLI_EXIT_OK)
            code = cli_write_stdout(cmd, &out);
    }
    casus_buf_release(&out);
    casus_buf_release(&svg);
    return code;
}

/* Run the analysis on this process (one MPI rank of nranks); rank 0 writes. */
static int run(const struct cli_cmd *cmd, const struct sens_args *sa, int rank, int nranks,
               int *mpi_buf)
{
    casus_sens *s = NULL;
    casus_engine *e = NULL;
    int code = new_model(cmd, sa, &e, &s);
    if (code >= 0) {
        casus_engine_free(e);
        return code;
    }
#ifdef CASUS_MPI
    if (nranks > 1)
        casus_sens_set_partition(s, (unsigned)rank, (unsigned)nranks, cli_mpi_gather, mpi_buf);
#else
    (void)nranks, (void)mpi_buf;
#endif
    struct progress pg = {mono_now(), 0, rank == 0 && isatty(STDERR_FILENO), false};
    if (pg.tty)
        casus_sens_set_progress(s, progress_cb, &pg);
    casus_status st = casus_sens_analyze(s);
    progress_clear(&pg);
    if (st != CASUS_OK) {
        if (sa->scenario && st == CASUS_EINVAL)
            cli_error(cmd, "analysis failed: for some parameter values a probability or payoff "
                           "leaves its range (casus run names the first such draw)");
        else if (st == CASUS_ENOMEM)
            cli_error(cmd, "analysis failed: out of memory");
        else
            cli_error(cmd, "analysis failed: %s", casus_sens_error(s));
        code = CLI_EXIT_FAIL;
    } else {
        code = rank == 0 ? write_results(cmd, sa, s) : CLI_EXIT_OK;
    }
    casus_sens_free(s);
    casus_engine_free(e);
    return code;
}

static int cmd_sensitivity(const struct cli_cmd *cmd, int argc, char **argv)
{
    struct cli_args a;
    struct sens_args sa = {.opt = CASUS_SENS_OPTIONS_INIT, .lambda = NAN};
    int rank, nranks, code, *mpi_buf;
    sa.method = (int)sa.opt.method;
    sa.sampling = (int)sa.opt.sampling;
    sa.opt.threads = UINT_MAX;
    int early = cli_start(cmd, argc, argv, &sa, &a);
    if (early >= 0)
        return early;
    code = check_args(cmd, &a, &sa);
    if (code >= 0)
        return code;
    mpi_buf = cli_mpi_begin(cmd, &rank, &nranks);
    if (sa.opt.threads == UINT_MAX) /* not given: all CPUs, or one per MPI rank */
        sa.opt.threads = nranks > 1 ? 1 : 0;
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
    .exclusive = sens_exclusive,
};
