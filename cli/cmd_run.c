/*
 * cmd_run.c — `casus run`: Monte Carlo over a scenario's parameters for
 * each policy (common random numbers), reported for people, as JSON with a
 * manifest, or as CSV; optionally every draw as CSV.  With no arguments it
 * runs the shipped flagship, trainers-in-ukraine.
 */
#include "casus/run.h"
#include "cli.h"

#include <math.h>

/* What casus run's options set. */
struct run_args {
    casus_run_opts o;       /* draws, seed, threads (0: not given), lambda (NaN: not given) */
    const char *scenario;   /* --scenario */
    struct cli_list policy; /* --policy */
    bool json, csv;
    const char *draws_out; /* --draws-out FILE */
    struct cli_list load;
};

static const struct cli_opt run_opts[] = {
    CLI_OPT_STRING("scenario", "NAME", struct run_args, scenario,
                   "the scenario to run when the files declare several"),
    CLI_OPT_LIST("policy", "NAME", struct run_args, policy,
                 "run this policy (the baseline always runs; default: all)"),
    CLI_OPT_U64("draws", "N", struct run_args, o.draws, 1, (uint64_t)1 << 32,
                "parameter draws per policy (default 10000)"),
    CLI_OPT_U64("seed", "S", struct run_args, o.seed, 0, 0,
                "random seed, a non-negative integer (default 1)"),
    CLI_OPT_UINT("threads", "T", struct run_args, o.threads, 1, 256,
                 "worker threads (default: one per processor; results do not depend on it)"),
    CLI_OPT_NUMBER("lambda", "X", struct run_args, o.lambda, 0, INFINITY,
                   "override the scenario's logit precision: a number >= 0, or inf for "
                   "subgame-perfect play",
                   .inf = true),
    CLI_OPT_FLAG("json", struct run_args, json, "print JSON with the run's manifest (docs/run.md)"),
    CLI_OPT_FLAG("csv", struct run_args, csv, "print CSV: one row per policy and quantity"),
    CLI_OPT_STRING("draws-out", "FILE", struct run_args, draws_out,
                   "also write every draw (parameters and results) as CSV to FILE"),
    CLI_OPT_LIST("load", "FILE", struct run_args, load, "load another casus file first"),
};

static const char *const run_exclusive[] = {"json csv", NULL};

static int run(const struct cli_cmd *cmd, int argc, char **argv, int rank, int nranks,
               int *mpi_buf);

/* With an MPI build started by mpirun, every rank runs the command, each
 * solves a contiguous block of the draws, the blocks are exchanged, and
 * rank 0 prints output bit-identical to one process. */
static int cmd_run(const struct cli_cmd *cmd, int argc, char **argv)
{
    int rank = 0, nranks = 1;
    int *mpi_buf = cli_mpi_begin(cmd, &rank, &nranks);
    int code = run(cmd, argc, argv, rank, nranks, mpi_buf);
    cli_mpi_end(mpi_buf);
    return code;
}

/* Render the run: the report (text, --json or --csv) in *out and, with
 * --draws-out, every draw in *draws.  false when memory ran out. */
static bool render(const struct run_args *ra, const casus_run *r, casus_buf *out, casus_buf *draws)
{
    casus_status st = ra->json  ? casus_run_write_json(r, out)
                      : ra->csv ? casus_run_write_csv(r, out)
                                : casus_run_write_text(r, out);
    if (st == CASUS_OK && ra->json)
        casus_buf_puts(out, "\n");
    if (st == CASUS_OK && ra->draws_out)
        st = casus_run_write_draws(r, draws);
    return st == CASUS_OK && !out->failed && !draws->failed;
}

static int run(const struct cli_cmd *cmd, int argc, char **argv, int rank, int nranks, int *mpi_buf)
{
    struct run_args ra = {.o = CASUS_RUN_OPTS_INIT};
    struct cli_args a;
    int early = cli_start(cmd, argc, argv, &ra, &a);
    if (early >= 0)
        return early;
    casus_run_opts *o = &ra.o;
    if (nranks > 1) { /* ranks, not threads, share the cores unless told */
        if (!o->threads)
            o->threads = 1;
        o->part = (unsigned)rank;
        o->nparts = (unsigned)nranks;
#ifdef CASUS_MPI
        o->gather = cli_mpi_gather;
        o->gather_ud = mpi_buf;
#endif
    }
#ifndef CASUS_MPI
    (void)mpi_buf;
#endif
    o->keep_draws = ra.draws_out != NULL;
    o->policies = ra.policy.n ? ra.policy.v : NULL;
    o->npolicies = (size_t)ra.policy.n;

    int code = CLI_EXIT_OK;
    casus_engine *e = cli_scenario_engine(cmd, &ra.load, &a, &code);
    if (!e)
        return code;
    o->scenario = cli_scenario_name(cmd, ra.scenario, &a, e, &code);
    if (!o->scenario) {
        casus_engine_free(e);
        return code;
    }

    casus_run *r = NULL;
    casus_error err = CASUS_ERROR_INIT;
    casus_buf out = CASUS_BUF_INIT, draws = CASUS_BUF_INIT;
    casus_status st = casus_run_new(e, o, &r, &err);
    if (st != CASUS_OK) {
        if (rank == 0)
            cli_error(cmd, "%s", err.message[0] ? err.message : casus_status_str(st));
        code = cli_error_exit(st, &err);
    } else if (!render(&ra, r, &out, &draws)) {
        cli_error(cmd, "out of memory");
        code = CLI_EXIT_FAIL;
    } else if (rank == 0) { /* rank 0 writes */
        if (ra.draws_out)
            code = cli_write_file(cmd, ra.draws_out, &draws);
        if (code == CLI_EXIT_OK)
            code = cli_write_stdout(cmd, &out);
    }
    casus_run_free(r);
    casus_buf_release(&out);
    casus_buf_release(&draws);
    casus_engine_free(e);
    return code;
}

const struct cli_cmd cli_cmd_run = {
    .name = "run",
    .fn = cmd_run,
    .usage =
        "casus run [SCENARIO|FILE...] [--scenario NAME] [--policy NAME]... [--draws N] [--seed S] "
        "[--threads T] [--lambda X|inf] [--json|--csv] [--draws-out FILE]",
    .summary = "Monte Carlo over a scenario's judgments: outcome probabilities per policy",
    .description =
        "Run a scenario's game for every parameter draw and each policy, with common random\n"
        "numbers, and report per policy the probability of each ladder rung and threshold\n"
        "(mean, 5/50/95 % across draws, Monte Carlo standard error), the change from the\n"
        "baseline over paired draws, expected payoffs, the parameters most associated with\n"
        "each threshold (Spearman), and the paths that carry it. Deciders play logit agent\n"
        "quantal response at the scenario's λ (or --lambda). With no FILE, runs the shipped\n"
        "flagship, trainers-in-ukraine (docs/trainers-in-ukraine.md). The same seed gives\n"
        "bit-identical output for any --threads and, in an MPI build (make MPI=1) started by\n"
        "mpirun, for any number of ranks.",
    .opts = run_opts,
    .nopts = CLI_COUNT(run_opts),
    .max_pos = CLI_MAX_POS,
    .exclusive = run_exclusive,
};
