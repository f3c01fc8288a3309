/*
 * cmd_solve.c — `casus solve FILE`: read a Gambit .efg/.nfg game, then
 * either write it back (.efg, .nfg, Graphviz DOT) or solve it and print the
 * profiles in Gambit's line format (`NE,p1,...`; logit path lines
 * `lambda,p1,...`) or as JSON.  Output is assembled in memory and written
 * only when everything succeeded, so a bad file leaves stdout empty.
 */
#include "casus/solve.h"
#include "cli.h"

#include <math.h>

/* What casus solve's options set. */
struct solve_args {
    casus_solve_opts o; /* agent, spe, trace */
    int method;         /* a casus_method */
    double lambda;      /* NaN: not given */
    bool end, json, dot, write_efg, write_nfg;
    int decimals; /* -1: the writer's default */
    struct cli_u32s branch;
    casus_game_limits lim; /* max_profiles */
};

static const struct cli_word methods[] = {
    {"pure", CASUS_METHOD_PURE},
    {"spe", CASUS_METHOD_SPE},
    {"logit", CASUS_METHOD_LOGIT},
    {"lcp", CASUS_METHOD_LCP},
    {NULL, 0},
};

static const struct cli_opt solve_opts[] = {
    CLI_OPT_WORD("method", "M", struct solve_args, method, methods,
                 "pure (default), spe, logit or lcp"),
    CLI_OPT_FLAG("agent", struct solve_args, o.agent,
                 "pure: equilibria of the agent form (like gambit-enumpure -A)"),
    CLI_OPT_FLAG("spe", struct solve_args, o.spe,
                 "pure: subgame-perfect equilibria only (like Gambit 16.4 -P)"),
    /* The path follower gives up beyond λ = 1e12 (max_lambda in
       src/game/eq_qre.h), so a larger λ could not be honoured. */
    CLI_OPT_NUMBER(
        "lambda", "L", struct solve_args, lambda, 0, 1e12,
        "logit: the quantal response equilibrium at precision L on the principal branch"),
    CLI_OPT_FLAG("trace", struct solve_args, o.trace,
                 "logit: print every point of the principal branch (lambda,p1,...)"),
    CLI_OPT_FLAG("end", struct solve_args, end,
                 "logit: print only the end point of the branch (the default)"),
    CLI_OPT_FLAG("json", struct solve_args, json,
                 "print JSON with payoffs, regret and lambda of each profile"),
    CLI_OPT_INT("decimals", "N", struct solve_args, decimals, 0, 17,
                "digits to print (logit: decimals of lambda, significant digits)"),
    CLI_OPT_FLAG("dot", struct solve_args, dot,
                 "write the game tree as Graphviz DOT instead of solving"),
    CLI_OPT_FLAG("write-efg", struct solve_args, write_efg,
                 "write the game as a Gambit .efg file instead of solving"),
    CLI_OPT_FLAG("write-nfg", struct solve_args, write_nfg,
                 "write the game as a Gambit .nfg file (strategic games)"),
    CLI_OPT_U32S("branch", "K[,K...]", struct solve_args, branch, 0, 2,
                 "logit: at the i-th bifurcation met, follow branch K_i: 0 on along the branch "
                 "traced (default), 1 or 2 the two halves of the crossing branch"),
    CLI_OPT_BYTES("max-memory", "SIZE", struct solve_args, o.max_memory, 1,
                  "memory budget of the solver, in bytes or with K, M, G, T (powers of 1024); "
                  "default half the machine's memory"),
    CLI_OPT_U64("max-profiles", "N", struct solve_args, lim.max_profiles, 1, 0,
                "pure: most pure profiles to enumerate (default 50000000)"),
};

static const char *const solve_exclusive[] = {"agent spe", "trace end", "dot write-efg write-nfg",
                                              NULL};

static int solve_main(const struct cli_cmd *cmd, int argc, char **argv);

const struct cli_cmd cli_cmd_solve = {
    .name = "solve",
    .fn = solve_main,
    .usage = "casus solve FILE [--method pure|spe|logit|lcp] [options]",
    .summary = "solve a Gambit game: equilibria and logit QRE",
    .description =
        "Read a Gambit extensive (.efg) or strategic (.nfg) game and compute its equilibria:\n"
        "pure Nash equilibria (of the reduced strategic form, the agent form with --agent, or\n"
        "subgame perfect with --spe), backward induction (--method spe), or the agent logit\n"
        "quantal response equilibrium (--method logit), at a given --lambda or traced from\n"
        "lambda = 0 to an equilibrium.  A logit end point is labelled NE only when its regret\n"
        "is within tolerance; otherwise it is printed as a path point and the exit status is 1.\n"
        "Bifurcations met on the way (another branch of logit equilibria crossing the one\n"
        "traced) are reported on stderr and in --json; --branch follows another branch there.\n"
        "Malformed files are reported as file:line:col with a caret (exit 2).",
    .opts = solve_opts,
    .nopts = CLI_COUNT(solve_opts),
    .max_pos = 1,
    .exclusive = solve_exclusive,
};

/* The exit code for a failure of the reader or a solver (diagnostics on e
 * say why; memory running out is said here). */
static int status_exit(const struct cli_cmd *cmd, casus_engine *e, casus_status st)
{
    cli_show_diagnostics(e);
    switch (st) {
    case CASUS_EINVAL:
    case CASUS_ELIMIT:
    case CASUS_EIO: return CLI_EXIT_USAGE;
    case CASUS_ENOMEM: cli_error(cmd, "out of memory"); return CLI_EXIT_FAIL;
    default: return CLI_EXIT_FAIL;
    }
}

/* Render the game (--dot, --write-efg, --write-nfg) or its solution into
 * out.  Returns -1 on success (CLI_EXIT_FAIL in *code when a logit path did
 * not converge), or the exit code after a message. */
static int render(const struct cli_cmd *cmd, const struct solve_args *sa, casus_engine *e,
                  casus_game *g, const casus_solve_opts *o, casus_buf *out, int *code)
{
    casus_status st;
    casus_solution *s = NULL;
    if (sa->dot || sa->write_efg || sa->write_nfg) {
        st = sa->dot         ? casus_game_write_dot(g, out)
             : sa->write_efg ? casus_game_write_efg(g, out)
                             : casus_game_write_nfg(g, out);
        if (st == CASUS_ESTATE) {
            cli_error(cmd, "cannot write this game in that format (the strategic form of a tree "
                           "is not supported yet)");
            return CLI_EXIT_FAIL;
        }
    } else {
        st = casus_game_solve(e, g, o, &s);
        if (st != CASUS_OK)
            return status_exit(cmd, e, st);
        if (sa->json) {
            st = casus_solution_write_json(s, out);
            casus_buf_puts(out, "\n");
        } else {
            st = casus_solution_write_gambit(s, sa->decimals, out);
        }
        if (!casus_solution_converged(s))
            *code = CLI_EXIT_FAIL;
        casus_solution_free(s);
    }
    if (st != CASUS_OK || out->failed) {
        cli_error(cmd, "%s",
                  st == CASUS_ENOMEM || out->failed ? "out of memory" : casus_status_str(st));
        return CLI_EXIT_FAIL;
    }
    return -1;
}

static int solve_main(const struct cli_cmd *cmd, int argc, char **argv)
{
    struct solve_args sa = {.o = CASUS_SOLVE_OPTS_INIT,
                            .method = CASUS_METHOD_PURE,
                            .lambda = NAN,
                            .decimals = -1,
                            .lim = CASUS_GAME_LIMITS_DEFAULT};
    struct cli_args a;
    int early = cli_start(cmd, argc, argv, &sa, &a);
    if (early >= 0)
        return early;
    if (a.npos != 1) {
        cli_error(cmd, "expected one game file (.efg or .nfg)");
        fprintf(stderr, "usage: %s\n", cmd->usage);
        return CLI_EXIT_USAGE;
    }
    casus_solve_opts o = sa.o;
    o.method = (casus_method)sa.method;
    if (!isnan(sa.lambda))
        o.lambda = sa.lambda;
    o.branch = sa.branch.v;
    o.nbranch = sa.branch.n;
    if ((!isnan(sa.lambda) || o.trace || sa.end || sa.branch.n) && o.method != CASUS_METHOD_LOGIT) {
        cli_error(cmd, "--lambda, --trace, --end and --branch need --method logit");
        return CLI_EXIT_USAGE;
    }
    if (!cli_input_ok(cmd, a.pos[0]))
        return CLI_EXIT_USAGE;
    casus_engine *e = NULL;
    if (casus_engine_new(&e, NULL, NULL) != CASUS_OK) {
        cli_error(cmd, "out of memory");
        return CLI_EXIT_FAIL;
    }
    casus_game *g = NULL;
    casus_buf out = CASUS_BUF_INIT;
    int code = CLI_EXIT_OK;
    casus_status st = casus_game_open_file(e, a.pos[0], &sa.lim, &g);
    int fail = st != CASUS_OK ? status_exit(cmd, e, st) : -1;
    if (fail < 0) {
        cli_show_diagnostics(e); /* warnings */
        fail = render(cmd, &sa, e, g, &o, &out, &code);
    }
    if (fail < 0) {
        int wc = cli_write_stdout(cmd, &out);
        code = wc != CLI_EXIT_OK ? wc : code;
        cli_show_diagnostics(e);
    } else {
        code = fail;
    }
    casus_buf_release(&out);
    casus_game_close(g);
    casus_engine_free(e);
    return code;
}
