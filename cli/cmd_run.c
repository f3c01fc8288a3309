/*
 * cmd_run.c — `casus run`: Monte Carlo over a scenario's parameters for
 * each policy (common random numbers), reported for people, as JSON with a
 * manifest, or as CSV; optionally every draw as CSV.  With no arguments it
 * runs the shipped flagship, trainers-in-ukraine.
 */
#include "casus/run.h"
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const struct cli_opt run_opts[] = {
    {"scenario", "NAME", "the scenario to run when the files declare several", false},
    {"policy", "NAME", "run this policy (repeatable; the baseline always runs; default: all)",
     true},
    {"draws", "N", "parameter draws per policy (default 10000)", false},
    {"seed", "S", "random seed, a non-negative integer (default 1)", false},
    {"threads", "T", "worker threads (default: one per processor; results do not depend on it)",
     false},
    {"lambda", "X",
     "override the scenario's logit precision: a number >= 0, or inf for "
     "subgame-perfect play",
     false},
    {"json", NULL, "print JSON with the run's manifest (docs/run.md)", false},
    {"csv", NULL, "print CSV: one row per policy and quantity", false},
    {"draws-out", "FILE", "also write every draw (parameters and results) as CSV to FILE", false},
    {"load", "FILE", "load another casus file first (repeatable)", true},
};

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

static int run(const struct cli_cmd *cmd, int argc, char **argv, int rank, int nranks, int *mpi_buf)
{
    struct cli_args a;
    int early = cli_start(cmd, argc, argv, &a);
    if (early >= 0)
        return early;
    casus_run_opts o = CASUS_RUN_OPTS_INIT;
    const char *v;
    if ((v = cli_get(cmd, &a, "draws")) && (!cli_u64(v, &o.draws) || o.draws == 0)) {
        cli_error(cmd, "--draws needs a positive integer, not '%s'", v);
        return CLI_EXIT_USAGE;
    }
    if ((v = cli_get(cmd, &a, "seed")) && !cli_u64(v, &o.seed)) {
        cli_error(cmd, "--seed needs a non-negative integer, not '%s'", v);
        return CLI_EXIT_USAGE;
    }
    uint64_t th = 0;
    if ((v = cli_get(cmd, &a, "threads")) && (!cli_u64(v, &th) || th == 0 || th > 256)) {
        cli_error(cmd, "--threads needs an integer from 1 to 256, not '%s'", v);
        return CLI_EXIT_USAGE;
    }
    o.threads = (unsigned)th;
    if (nranks > 1) { /* ranks, not threads, share the cores unless told */
        if (!th)
            o.threads = 1;
        o.part = (unsigned)rank;
        o.nparts = (unsigned)nranks;
#ifdef CASUS_MPI
        o.gather = cli_mpi_gather;
        o.gather_ud = mpi_buf;
#endif
    }
#ifndef CASUS_MPI
    (void)mpi_buf;
#endif
    if ((v = cli_get(cmd, &a, "lambda"))) {
        if (strcmp(v, "inf") == 0)
            o.lambda = INFINITY;
        else if (!cli_number(v, &o.lambda) || o.lambda < 0) {
            cli_error(cmd, "--lambda needs a number >= 0 or 'inf', not '%s'", v);
            return CLI_EXIT_USAGE;
        }
    }
    bool json = cli_get(cmd, &a, "json") != NULL, csv = cli_get(cmd, &a, "csv") != NULL;
    if (json && csv) {
        cli_error(cmd, "choose one of --json and --csv");
        return CLI_EXIT_USAGE;
    }
    const char *draws_out = cli_get(cmd, &a, "draws-out");
    o.keep_draws = draws_out != NULL;
    int il = cli_opt_index(cmd, "policy");
    o.policies = a.nrep[il] ? a.rep[il] : NULL;
    o.npolicies = (size_t)a.nrep[il];

    int code = CLI_EXIT_OK;
    casus_engine *e = cli_scenario_engine(cmd, &a, &code);
    if (!e)
        return code;
    const char *name = cli_scenario_name(cmd, &a, e, &code);
    if (!name) {
        casus_engine_free(e);
        return code;
    }
    o.scenario = name;

    casus_run *r = NULL;
    casus_error err = CASUS_ERROR_INIT;
    casus_buf out = CASUS_BUF_INIT, draws = CASUS_BUF_INIT;
    casus_status st = casus_run_new(e, &o, &r, &err);
    if (st != CASUS_OK) {
        if (rank == 0)
            cli_error(cmd, "%s", err.message[0] ? err.message : casus_status_str(st));
        code = st == CASUS_ENOMEM ? CLI_EXIT_FAIL : CLI_EXIT_USAGE;
        goto done;
    }
    st = json  ? casus_run_write_json(r, &out)
         : csv ? casus_run_write_csv(r, &out)
               : casus_run_write_text(r, &out);
    if (st == CASUS_OK && json)
        casus_buf_puts(&out, "\n");
    if (st == CASUS_OK && draws_out)
        st = casus_run_write_draws(r, &draws);
    if (st != CASUS_OK || out.failed || draws.failed) {
        cli_error(cmd, "out of memory");
        code = CLI_EXIT_FAIL;
        goto done;
    }
    if (rank != 0) /* rank 0 writes */
        goto done;
    if (draws_out && !cli_write_file(cmd, draws_out, &draws)) {
        code = CLI_EXIT_IO;
        goto done;
    }
    if (!cli_write_stdout(cmd, &out))
        code = CLI_EXIT_IO;
done:
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
};
