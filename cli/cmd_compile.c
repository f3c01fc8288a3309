/*
 * cmd_compile.c — `casus compile`: the game of one parameter draw of a
 * scenario, as a Gambit .efg or a Graphviz tree, so that anyone can audit
 * (and solve) in Gambit exactly what `casus run` solves.
 */
#include "casus/run.h"
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const struct cli_opt compile_opts[] = {
    {"scenario", "NAME", "the scenario (default: the one the files declare, else the flagship)",
     false},
    {"policy", "NAME", "the policy (default: the baseline)", false},
    {"draw", "K", "the parameter draw, 0-based (default 0)", false},
    {"seed", "S", "random seed (default 1, as casus run)", false},
    {"efg", NULL, "write a Gambit .efg, version 2 (the default)", false},
    {"dot", NULL, "write a Graphviz tree instead", false},
    {"out", "FILE", "write to FILE instead of standard output", false},
    {"load", "FILE", "load another casus file first (repeatable)", true},
};

static int cmd_compile(const struct cli_cmd *cmd, int argc, char **argv)
{
    struct cli_args a;
    int early = cli_start(cmd, argc, argv, &a);
    if (early >= 0)
        return early;
    uint64_t draw = 0, seed = 1;
    const char *v;
    if ((v = cli_get(cmd, &a, "draw")) && !cli_u64(v, &draw)) {
        cli_error(cmd, "--draw needs a non-negative integer, not '%s'", v);
        return CLI_EXIT_USAGE;
    }
    if ((v = cli_get(cmd, &a, "seed")) && !cli_u64(v, &seed)) {
        cli_error(cmd, "--seed needs a non-negative integer, not '%s'", v);
        return CLI_EXIT_USAGE;
    }
    bool dot = cli_get(cmd, &a, "dot") != NULL;
    if (dot && cli_get(cmd, &a, "efg")) {
        cli_error(cmd, "choose one of --efg and --dot");
        return CLI_EXIT_USAGE;
    }
    int code = CLI_EXIT_OK;
    casus_engine *e = cli_scenario_engine(cmd, &a, &code);
    if (!e)
        return code;
    const char *name = cli_scenario_name(cmd, &a, e, &code);
    if (!name) {
        casus_engine_free(e);
        return code;
    }
    casus_buf out = CASUS_BUF_INIT;
    casus_error err = CASUS_ERROR_INIT;
    casus_status st =
        casus_scenario_game(e, name, cli_get(cmd, &a, "policy"), seed, draw, dot, &out, &err);
    if (st != CASUS_OK) {
        cli_error(cmd, "%s", err.message[0] ? err.message : casus_status_str(st));
        code = st == CASUS_ENOMEM ? CLI_EXIT_FAIL : CLI_EXIT_USAGE;
    } else if ((v = cli_get(cmd, &a, "out"))) {
        if (!cli_write_file(cmd, v, &out))
            code = CLI_EXIT_IO;
    } else if (!cli_write_stdout(cmd, &out))
        code = CLI_EXIT_IO;
    casus_buf_release(&out);
    casus_engine_free(e);
    return code;
}

const struct cli_cmd cli_cmd_compile = {
    .name = "compile",
    .fn = cmd_compile,
    .usage =
        "casus compile [SCENARIO|FILE...] [--scenario NAME] [--policy NAME] [--draw K] [--seed S] "
        "[--efg|--dot] [--out FILE]",
    .summary = "write the game of one parameter draw as a Gambit .efg or a Graphviz tree",
    .description =
        "Build a scenario's game under one policy, evaluate its probabilities, council\n"
        "votes and payoffs at one parameter draw (the draw casus run would use with the\n"
        "same seed), and write it as a Gambit .efg (version 2) or a Graphviz tree. Payoffs\n"
        "are rescaled from the scenario's scale to [0, 1], so a logit lambda in Gambit\n"
        "means what it means in casus: 'casus solve FILE.efg --method logit --lambda L'\n"
        "or gambit-logit give the same choice probabilities as casus run at that draw.",
    .opts = compile_opts,
    .nopts = CLI_COUNT(compile_opts),
    .max_pos = CLI_MAX_POS,
};
