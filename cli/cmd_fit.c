/*
 * cmd_fit.c — `casus fit MODEL --data FILE.csv --formula F [options]`:
 * estimate a strategic model (egame12, egame122, egame123, ultimatum) by
 * maximum likelihood and print the coefficient table, the JSON for
 * programs, or the fitted probabilities.  Each option is handed to
 * casus_fit_opts_set under its own name, so this file only routes; the
 * library validates.  Output is assembled in memory and written only when
 * the fit succeeded, so bad input leaves stdout empty (exit 2).  No treaty
 * engine, gazetteer or geography is loaded.
 */
#include "casus/fit.h"
#include "cli.h"

#include <string.h>

static const struct cli_opt fit_opts[] = {
    {"data", "FILE", "the data: a CSV file with a header row (required)", false},
    {"formula", "F", "R formula, one right-hand side per utility: 'y ~ x1 | 0 | 1 | z' (required)",
     false},
    {"link", "L", "probit (default) or logit", false},
    {"type", "T", "agent (agent error, default) or private (private information)", false},
    {"sdformula", "F", "scale equation(s) of log(sigma): '~ x - 1' ('~ a | b' by player)", false},
    {"sd-by-player", NULL, "one scale equation per player", false},
    {"fixed-utils", "U", "fix the utilities at these values (u11,u13,u14,u24 for egame12)", false},
    {"subset", "EXPR", "fit only the rows where this casus expression holds", false},
    {"levels", "COL=A,B", "order of a factor's levels (first = baseline; outcome: nodes)", true},
    {"max-offer", "Q", "ultimatum: the largest feasible offer (required)", false},
    {"outcome", "O", "ultimatum: both (offer and acceptance, default) or offer", false},
    {"s1", "S", "ultimatum: fix player 1's scale at S", false},
    {"s2", "S", "ultimatum: fix player 2's scale at S", false},
    {"boot", "N", "bootstrap standard errors from N replicates", false},
    {"seed", "N", "bootstrap seed (default 1)", false},
    {"threads", "T", "bootstrap threads (default 1; 0 = all processors)", false},
    {"predict", NULL, "print the fitted action probabilities (CSV, or in the JSON)", false},
    {"json", NULL, "print JSON: coefficients, se, vcov, loglik, nobs, convergence", false},
};

static int fit_main(const struct cli_cmd *cmd, int argc, char **argv);

const struct cli_cmd cli_cmd_fit = {
    .name = "fit",
    .fn = fit_main,
    .usage = "casus fit MODEL --data FILE.csv --formula F [options]",
    .summary = "estimate a strategic model from data (R games' egame12/122/123, ultimatum)",
    .description =
        "Estimate a strategic model by maximum likelihood: egame12, egame122 and egame123\n"
        "(Signorino's recursive probit/logit games) or ultimatum (Ramsay and Signorino), with\n"
        "the meaning the R package games gives every option.  Prints the coefficients with\n"
        "standard errors from the exact Hessian, z and p, the log-likelihood, AIC, BIC and\n"
        "convergence.  Bad input (a missing column, a cell that is not a number, a likelihood\n"
        "without a maximum, a singular Hessian) is reported with its place, exit 2.\n"
        "See docs/fit.md.",
    .opts = fit_opts,
    .nopts = CLI_COUNT(fit_opts),
    .max_pos = 1,
};

static void show_diagnostics(const casus_fit *f)
{
    casus_buf b = CASUS_BUF_INIT;
    casus_fit_render_diagnostics(f, &b);
    if (b.data)
        fputs(b.data, stderr);
    casus_buf_release(&b);
}

static int status_exit(casus_status st)
{
    switch (st) {
    case CASUS_ENOMEM: return CLI_EXIT_FAIL;
    case CASUS_EIO: return CLI_EXIT_IO;
    default: return CLI_EXIT_USAGE;
    }
}

/* Hand every option given to the library; false after a message. */
static bool set_opts(const struct cli_cmd *cmd, const struct cli_args *a, casus_fit_opts *o)
{
    const char *why;
    if (casus_fit_opts_set(o, "model", a->pos[0], &why) != CASUS_OK) {
        cli_error(cmd, "unknown model '%s': %s", a->pos[0], why);
        return false;
    }
    for (int i = 0; i < cmd->nopts; i++) {
        const char *name = cmd->opts[i].name;
        if (!a->val[i] || !strcmp(name, "data") || !strcmp(name, "predict") ||
            !strcmp(name, "json"))
            continue;
        int n = cmd->opts[i].repeat ? a->nrep[i] : 1;
        for (int k = 0; k < n; k++) {
            const char *v = cmd->opts[i].repeat ? a->rep[i][k] : a->val[i];
            if (casus_fit_opts_set(o, name, v, &why) != CASUS_OK) {
                cli_error(cmd, "--%s '%s': %s", name, v, why);
                return false;
            }
        }
    }
    return true;
}

static int fit_main(const struct cli_cmd *cmd, int argc, char **argv)
{
    struct cli_args a;
    int early = cli_start(cmd, argc, argv, &a);
    if (early >= 0)
        return early;
    const char *data = cli_get(cmd, &a, "data");
    if (a.npos != 1 || !data || !cli_get(cmd, &a, "formula")) {
        cli_error(cmd, a.npos != 1 ? "name one model (egame12, egame122, egame123, ultimatum)"
                                   : "--data and --formula are required");
        fprintf(stderr, "usage: %s\n", cmd->usage);
        return CLI_EXIT_USAGE;
    }
    casus_fit_opts o = CASUS_FIT_OPTS_INIT;
    if (!set_opts(cmd, &a, &o))
        return CLI_EXIT_USAGE;
    casus_fit *f = NULL;
    if (casus_fit_new(&f, NULL, NULL) != CASUS_OK) {
        cli_error(cmd, "out of memory");
        return CLI_EXIT_FAIL;
    }
    casus_status st = casus_fit_load_file(f, data);
    if (st == CASUS_OK)
        st = casus_fit_estimate(f, &o);
    show_diagnostics(f); /* errors, or warnings on success */
    int code = st == CASUS_OK ? CLI_EXIT_OK : status_exit(st);
    casus_buf out = CASUS_BUF_INIT;
    bool json = cli_get(cmd, &a, "json") != NULL, predict = cli_get(cmd, &a, "predict") != NULL;
    if (code == CLI_EXIT_OK) {
        st = json      ? casus_fit_write_json(f, predict, &out)
             : predict ? casus_fit_write_predict(f, &out)
                       : casus_fit_write_text(f, &out);
        if (st != CASUS_OK)
            code = CLI_EXIT_FAIL;
        else if (!cli_write_stdout(cmd, &out))
            code = CLI_EXIT_IO;
    } else if (st == CASUS_ENOMEM) {
        cli_error(cmd, "out of memory");
    }
    casus_buf_release(&out);
    casus_fit_free(f);
    return code;
}
