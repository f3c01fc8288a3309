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
#include <stdlib.h>
#include <string.h>

static const struct cli_opt solve_opts[] = {
    {"method", "M", "pure (default), spe, logit or lcp", false},
    {"agent", NULL, "pure: equilibria of the agent form (like gambit-enumpure -A)", false},
    {"spe", NULL, "pure: subgame-perfect equilibria only (like Gambit 16.4 -P)", false},
    {"lambda", "L",
     "logit: the quantal response equilibrium at precision L on the principal branch", false},
    {"trace", NULL, "logit: print every point of the principal branch (lambda,p1,...)", false},
    {"end", NULL, "logit: print only the end point of the branch (the default)", false},
    {"json", NULL, "print JSON with payoffs, regret and lambda of each profile", false},
    {"decimals", "N", "digits to print (logit: decimals of lambda, significant digits)", false},
    {"dot", NULL, "write the game tree as Graphviz DOT instead of solving", false},
    {"write-efg", NULL, "write the game as a Gambit .efg file instead of solving", false},
    {"write-nfg", NULL, "write the game as a Gambit .nfg file (strategic games)", false},
    {"branch", "K[,K...]",
     "logit: at the i-th bifurcation met, follow branch K_i: 0 on along the branch traced "
     "(default), 1 or 2 the two halves of the crossing branch",
     false},
    {"max-memory", "SIZE",
     "memory budget of the solver, in bytes or with K, M, G, T (powers of 1024); default half "
     "the machine's memory",
     false},
    {"max-profiles", "N", "pure: most pure profiles to enumerate (default 50000000)", false},
};

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
};

static void show_diagnostics(casus_engine *e)
{
    casus_buf b = CASUS_BUF_INIT;
    casus_engine_render_diagnostics(e, &b);
    if (b.data)
        fputs(b.data, stderr);
    casus_buf_release(&b);
    casus_engine_clear_diagnostics(e);
}

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

/* Parse the options into solver options; false (after a message) on a
 * usage error. */
static bool read_opts(const struct cli_cmd *cmd, const struct cli_args *a, casus_solve_opts *o,
                      int *decimals, uint32_t *branch, casus_game_limits *lim)
{
    const char *m = cli_get(cmd, a, "method");
    if (!m || strcmp(m, "pure") == 0)
        o->method = CASUS_METHOD_PURE;
    else if (strcmp(m, "spe") == 0)
        o->method = CASUS_METHOD_SPE;
    else if (strcmp(m, "logit") == 0)
        o->method = CASUS_METHOD_LOGIT;
    else if (strcmp(m, "lcp") == 0)
        o->method = CASUS_METHOD_LCP;
    else {
        cli_error(cmd, "unknown method '%s' (pure, spe, logit or lcp)", m);
        return false;
    }
    o->agent = cli_get(cmd, a, "agent") != NULL;
    o->spe = cli_get(cmd, a, "spe") != NULL;
    o->trace = cli_get(cmd, a, "trace") != NULL;
    if (o->agent && o->spe) {
        cli_error(cmd, "--agent and --spe exclude each other");
        return false;
    }
    if (o->trace && cli_get(cmd, a, "end")) {
        cli_error(cmd, "--trace and --end exclude each other");
        return false;
    }
    const char *l = cli_get(cmd, a, "lambda");
    if (l && (!cli_number(l, &o->lambda) || o->lambda < 0)) {
        cli_error(cmd, "--lambda needs a number >= 0, not '%s'", l);
        return false;
    }
    const char *b = cli_get(cmd, a, "branch");
    if (b && !parse_branch(b, branch, &o->nbranch)) {
        cli_error(cmd,
                  "--branch needs branch numbers 0, 1 or 2 separated by commas (at most %d), "
                  "not '%s'",
                  CLI_MAX_BRANCH, b);
        return false;
    }
    o->branch = branch;
    bool logit_opt = l || o->trace || cli_get(cmd, a, "end") || b;
    if (logit_opt && o->method != CASUS_METHOD_LOGIT) {
        cli_error(cmd, "--lambda, --trace, --end and --branch need --method logit");
        return false;
    }
    const char *mm = cli_get(cmd, a, "max-memory");
    if (mm && !parse_size(mm, &o->max_memory)) {
        cli_error(cmd, "--max-memory needs a size such as 512M or 4G, not '%s'", mm);
        return false;
    }
    const char *mp = cli_get(cmd, a, "max-profiles");
    uint64_t np;
    if (mp && (!cli_u64(mp, &np) || np == 0)) {
        cli_error(cmd, "--max-profiles needs a whole number >= 1, not '%s'", mp);
        return false;
    }
    if (mp)
        lim->max_profiles = np;
    const char *d = cli_get(cmd, a, "decimals");
    double dv;
    if (d && (!cli_number(d, &dv) || dv < 0 || dv > 17 || dv != floor(dv))) {
        cli_error(cmd, "--decimals needs an integer from 0 to 17, not '%s'", d);
        return false;
    }
    *decimals = d ? (int)dv : -1;
    return true;
}

static int solve_main(const struct cli_cmd *cmd, int argc, char **argv)
{
    struct cli_args a;
    int early = cli_start(cmd, argc, argv, &a);
    if (early >= 0)
        return early;
    if (a.npos != 1) {
        cli_error(cmd, "expected one game file (.efg or .nfg)");
        fprintf(stderr, "usage: %s\n", cmd->usage);
        return CLI_EXIT_USAGE;
    }
    casus_solve_opts o = CASUS_SOLVE_OPTS_INIT;
    casus_game_limits lim = CASUS_GAME_LIMITS_DEFAULT;
    uint32_t branch[CLI_MAX_BRANCH];
    int decimals;
    if (!read_opts(cmd, &a, &o, &decimals, branch, &lim))
        return CLI_EXIT_USAGE;
    int nwrite = (cli_get(cmd, &a, "dot") != NULL) + (cli_get(cmd, &a, "write-efg") != NULL) +
                 (cli_get(cmd, &a, "write-nfg") != NULL);
    if (nwrite > 1) {
        cli_error(cmd, "--dot, --write-efg and --write-nfg exclude each other");
        return CLI_EXIT_USAGE;
    }
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
        show_diagnostics(e);
        if (st == CASUS_ENOMEM)
            cli_error(cmd, "out of memory");
        code = status_exit(st);
        goto done;
    }
    show_diagnostics(e); /* warnings */
    if (nwrite) {
        if (cli_get(cmd, &a, "dot"))
            st = casus_game_write_dot(g, &out);
        else if (cli_get(cmd, &a, "write-efg"))
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
            show_diagnostics(e);
            if (st == CASUS_ENOMEM)
                cli_error(cmd, "out of memory");
            code = status_exit(st);
            goto done;
        }
        if (cli_get(cmd, &a, "json")) {
            st = casus_solution_write_json(s, &out);
            casus_buf_puts(&out, "\n");
        } else {
            st = casus_solution_write_gambit(s, decimals, &out);
        }
        if (!casus_solution_converged(s))
            code = CLI_EXIT_FAIL;
    }
    if (st != CASUS_OK || !cli_write_stdout(cmd, &out))
        code = CLI_EXIT_FAIL;
    show_diagnostics(e);
done:
    casus_buf_release(&out);
    casus_solution_free(s);
    casus_game_close(g);
    casus_engine_free(e);
    return code;
}
