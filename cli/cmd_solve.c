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
#include <string.h>

/* What casus solve's options set. */
struct solve_args {
    casus_solve_opts o; /* agent, spe, trace, max_memory */
    int method;         /* a casus_method */
    double lambda;      /* NaN: not given */
    bool end, json, dot, write_efg, write_nfg;
    int decimals;                    /* -1: the writer's default */
    const char *branch, *max_memory; /* checked here: their messages predate the typed options */
    casus_game_limits lim;           /* max_profiles */
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
    CLI_OPT_NUMBER(
        "lambda", "L", struct solve_args, lambda, 0, INFINITY,
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
    CLI_OPT_STRING("branch", "K[,K...]", struct solve_args, branch,
                   "logit: at the i-th bifurcation met, follow branch K_i: 0 on along the branch "
                   "traced (default), 1 or 2 the two halves of the crossing branch"),
    CLI_OPT_STRING("max-memory", "SIZE", struct solve_args, max_memory,
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

/* --max-memory SIZE: decimal bytes, or with a K, M, G or T suffix (powers of
 * 1024, optionally followed by B or iB). */
static bool parse_size(const char *s, size_t *out)
{
    uint64_t v = 0;
    size_t i = 0;
    while (s[i] >= '0' && s[i] <= '9') {
        if (v > (UINT64_MAX - 9) / 10)
            return false;
        v = v * 10 + (uint64_t)(s[i++] - '0');
    }
    if (i == 0)
        return false;
    static const char units[] = "KMGT";
    const char *u = s[i] ? strchr(units, s[i] & ~0x20) : NULL;
    int shift = 0;
    if (u) {
        shift = 10 * (int)(u - units + 1);
        i++;
        if (strcmp(s + i, "iB") == 0 || strcmp(s + i, "B") == 0)
            i = strlen(s);
    }
    if (s[i] != '\0' || v == 0 || v > (SIZE_MAX >> shift))
        return false;
    *out = (size_t)(v << shift);
    return true;
}

/* --branch K[,K...]: each K in 0..2, at most CLI_MAX_BRANCH of them. */
#define CLI_MAX_BRANCH 64
static bool parse_branch(const char *s, uint32_t *br, size_t *n)
{
    *n = 0;
    for (const char *p = s;; p++) {
        if (*p < '0' || *p > '2' || *n == CLI_MAX_BRANCH)
            return false;
        br[(*n)++] = (uint32_t)(*p++ - '0');
        if (*p == '\0')
            return true;
        if (*p != ',')
            return false;
    }
}

static int status_exit(casus_status st)
{
    switch (st) {
    case CASUS_EINVAL:
    case CASUS_ELIMIT:
    case CASUS_EIO: return CLI_EXIT_USAGE;
    default: return CLI_EXIT_FAIL;
    }
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
    uint32_t branch[CLI_MAX_BRANCH];
    if (sa.branch && !parse_branch(sa.branch, branch, &o.nbranch)) {
        cli_error(cmd,
                  "--branch needs branch numbers 0, 1 or 2 separated by commas (at most %d), "
                  "not '%s'",
                  CLI_MAX_BRANCH, sa.branch);
        return CLI_EXIT_USAGE;
    }
    o.branch = branch;
    if (sa.max_memory && !parse_size(sa.max_memory, &o.max_memory)) {
        cli_error(cmd, "--max-memory needs a size such as 512M or 4G, not '%s'", sa.max_memory);
        return CLI_EXIT_USAGE;
    }
    if ((!isnan(sa.lambda) || o.trace || sa.end || sa.branch) && o.method != CASUS_METHOD_LOGIT) {
        cli_error(cmd, "--lambda, --trace, --end and --branch need --method logit");
        return CLI_EXIT_USAGE;
    }
    bool nwrite = sa.dot || sa.write_efg || sa.write_nfg;
    casus_game_limits lim = sa.lim;
    casus_engine *e = NULL;
    if (casus_engine_new(&e, NULL, NULL) != CASUS_OK) {
        cli_error(cmd, "out of memory");
        return CLI_EXIT_FAIL;
    }
    casus_game *g = NULL;
    casus_solution *s = NULL;
    casus_buf out = CASUS_BUF_INIT;
    int code = CLI_EXIT_OK;
    casus_status st = casus_game_open_file(e, a.pos[0], &lim, &g);
    if (st != CASUS_OK) {
        cli_show_diagnostics(e);
        if (st == CASUS_ENOMEM)
            cli_error(cmd, "out of memory");
        code = status_exit(st);
        goto done;
    }
    cli_show_diagnostics(e); /* warnings */
    if (nwrite) {
        if (sa.dot)
            st = casus_game_write_dot(g, &out);
        else if (sa.write_efg)
            st = casus_game_write_efg(g, &out);
        else
            st = casus_game_write_nfg(g, &out);
        if (st == CASUS_ESTATE) {
            cli_error(cmd, "cannot write this game in that format (the strategic form of a tree "
                           "is not supported yet)");
            code = CLI_EXIT_FAIL;
            goto done;
        }
    } else {
        st = casus_game_solve(e, g, &o, &s);
        if (st != CASUS_OK) {
            cli_show_diagnostics(e);
            if (st == CASUS_ENOMEM)
                cli_error(cmd, "out of memory");
            code = status_exit(st);
            goto done;
        }
        if (sa.json) {
            st = casus_solution_write_json(s, &out);
            casus_buf_puts(&out, "\n");
        } else {
            st = casus_solution_write_gambit(s, sa.decimals, &out);
        }
        if (!casus_solution_converged(s))
            code = CLI_EXIT_FAIL;
    }
    if (st != CASUS_OK || !cli_write_stdout(cmd, &out))
        code = CLI_EXIT_FAIL;
    cli_show_diagnostics(e);
done:
    casus_buf_release(&out);
    casus_solution_free(s);
    casus_game_close(g);
    casus_engine_free(e);
    return code;
}
