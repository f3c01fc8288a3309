/*
 * cmd_compile.c — `casus compile`: the game of one parameter draw of a
 * scenario, as a Gambit .efg or a Graphviz tree, so that anyone can audit
 * (and solve) in Gambit exactly what `casus run` solves.
 */
#include "casus/run.h"
#include "cli.h"

/* What casus compile's options set. */
struct compile_args {
    const char *scenario, *policy;
    uint64_t draw, seed;
    bool efg, dot;
    const char *out; /* --out FILE, or NULL for stdout */
    struct cli_list load;
};

static const struct cli_opt compile_opts[] = {
    CLI_OPT_STRING("scenario", "NAME", struct compile_args, scenario,
                   "the scenario (default: the one the files declare, else the flagship)"),
    CLI_OPT_STRING("policy", "NAME", struct compile_args, policy,
                   "the policy (default: the baseline)"),
    CLI_OPT_U64("draw", "K", struct compile_args, draw, 0, 0,
                "the parameter draw, 0-based (default 0)"),
    CLI_OPT_U64("seed", "S", struct compile_args, seed, 0, 0,
                "random seed (default 1, as casus run)"),
    CLI_OPT_FLAG("efg", struct compile_args, efg, "write a Gambit .efg, version 2 (the default)"),
    CLI_OPT_FLAG("dot", struct compile_args, dot, "write a Graphviz tree instead"),
    CLI_OPT_STRING("out", "FILE", struct compile_args, out,
                   "write to FILE instead of standard output"),
    CLI_OPT_LIST("load", "FILE", struct compile_args, load, "load another casus file first"),
};

static const char *const compile_exclusive[] = {"efg dot", NULL};

static int cmd_compile(const struct cli_cmd *cmd, int argc, char **argv)
{
    struct compile_args ca = {.seed = 1};
    struct cli_args a;
    int early = cli_start(cmd, argc, argv, &ca, &a);
    if (early >= 0)
        return early;
    int code = CLI_EXIT_OK;
    casus_engine *e = cli_scenario_engine(cmd, &ca.load, &a, &code);
    if (!e)
        return code;
    const char *name = cli_scenario_name(cmd, ca.scenario, &a, e, &code);
    if (!name) {
        casus_engine_free(e);
        return code;
    }
    casus_buf out = CASUS_BUF_INIT;
    casus_error err = CASUS_ERROR_INIT;
    casus_status st = casus_scenario_game(e, name, ca.policy, ca.seed, ca.draw, ca.dot, &out, &err);
    if (st != CASUS_OK) {
        cli_error(cmd, "%s", err.message[0] ? err.message : casus_status_str(st));
        code = cli_error_exit(st, &err);
    } else {
        code = ca.out ? cli_write_file(cmd, ca.out, &out) : cli_write_stdout(cmd, &out);
    }
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
    .exclusive = compile_exclusive,
};
