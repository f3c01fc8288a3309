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

/* What casus fit's options set: text for the library, which reads and
 * checks each (casus_fit_opts_set), and what the front end does itself. */
struct fit_args {
    const char *data;
    const char *formula, *link, *type, *sdformula, *fixed_utils, *subset;
    bool sd_by_player;
    struct cli_list levels;
    const char *max_offer, *outcome, *s1, *s2, *boot, *seed, *threads;
    bool predict, json;
};

static const struct cli_opt fit_opts[] = {
    CLI_OPT_STRING("data", "FILE", struct fit_args, data,
                   "the data: a CSV file with a header row (required)"),
    CLI_OPT_STRING("formula", "F", struct fit_args, formula,
                   "R formula, one right-hand side per utility: 'y ~ x1 | 0 | 1 | z' (required)"),
    CLI_OPT_STRING("link", "L", struct fit_args, link, "probit (default) or logit"),
    CLI_OPT_STRING("type", "T", struct fit_args, type,
                   "agent (agent error, default) or private (private information)"),
    CLI_OPT_STRING("sdformula", "F", struct fit_args, sdformula,
                   "scale equation(s) of log(sigma): '~ x - 1' ('~ a | b' by player)"),
    CLI_OPT_FLAG("sd-by-player", struct fit_args, sd_by_player, "one scale equation per player"),
    CLI_OPT_STRING("fixed-utils", "U", struct fit_args, fixed_utils,
                   "fix the utilities at these values (u11,u13,u14,u24 for egame12)"),
    CLI_OPT_STRING("subset", "EXPR", struct fit_args, subset,
                   "fit only the rows where this casus expression holds"),
    CLI_OPT_LIST("levels", "COL=A,B", struct fit_args, levels,
                 "order of a factor's levels (first = baseline; outcome: nodes)"),
    CLI_OPT_STRING("max-offer", "Q", struct fit_args, max_offer,
                   "ultimatum: the largest feasible offer (required)"),
    CLI_OPT_STRING("outcome", "O", struct fit_args, outcome,
                   "ultimatum: both (offer and acceptance, default) or offer"),
    CLI_OPT_STRING("s1", "S", struct fit_args, s1, "ultimatum: fix player 1's scale at S"),
    CLI_OPT_STRING("s2", "S", struct fit_args, s2, "ultimatum: fix player 2's scale at S"),
    CLI_OPT_STRING("boot", "N", struct fit_args, boot,
                   "bootstrap standard errors from N replicates"),
    CLI_OPT_STRING("seed", "N", struct fit_args, seed, "bootstrap seed (default 1)"),
    CLI_OPT_STRING("threads", "T", struct fit_args, threads,
                   "bootstrap threads (default 1; 0 = all processors)"),
    CLI_OPT_FLAG("predict", struct fit_args, predict,
                 "print the fitted action probabilities (CSV, or in the JSON)"),
    CLI_OPT_FLAG("json", struct fit_args, json,
                 "print JSON: coefficients, se, vcov, loglik, nobs, convergence"),
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
    cli_text_write(stderr, b.data ? b.data : "", b.len, true);
    casus_buf_release(&b);
}

/* The exit code for a failed load or estimate (docs/exit-codes.md): memory
 * is 1; everything else is the input's — an unreadable data file, a
 * malformed cell, data that cannot identify the model (a likelihood without
 * a finite maximum: separation) — and 2. */
static int status_exit(casus_status st)
{
    switch (st) {
    case CASUS_ENOMEM: return CLI_EXIT_FAIL;
    default: return CLI_EXIT_USAGE;
    }
}

/* Hand every option given, except those the front end uses itself, to the
 * library by its name, in the order of the table; false after a message.
 * The library reads and checks the values (the options mean what the R
 * package games says), so this only routes. */
static bool set_opts(const struct cli_cmd *cmd, const struct fit_args *fa, const struct cli_args *a,
                     casus_fit_opts *o)
{
    const char *why;
    if (casus_fit_opts_set(o, "model", a->pos[0], &why) != CASUS_OK) {
        char q[CLI_QUOTE_SIZE];
        cli_error(cmd, "unknown model '%s': %s", cli_quote(q, a->pos[0]), why);
        return false;
    }
    for (int i = 0; i < cmd->nopts; i++) {
        const struct cli_opt *opt = &cmd->opts[i];
        const void *p = (const char *)fa + opt->dest;
        if (!a->val[i] || !strcmp(opt->name, "data") || !strcmp(opt->name, "predict") ||
            !strcmp(opt->name, "json"))
            continue;
        const struct cli_list *l = opt->type == CLI_LIST ? p : NULL;
        int n = l ? l->n : 1;
        for (int k = 0; k < n; k++) {
            const char *v = l ? l->v[k] : opt->type == CLI_FLAG ? "1" : *(const char *const *)p;
            if (casus_fit_opts_set(o, opt->name, v, &why) != CASUS_OK) {
                char q[CLI_QUOTE_SIZE];
                cli_error(cmd, "--%s '%s': %s", opt->name, cli_quote(q, v), why);
                return false;
            }
        }
    }
    return true;
}

static int fit_main(const struct cli_cmd *cmd, int argc, char **argv)
{
    struct fit_args fa = {NULL};
    struct cli_args a;
    int early = cli_start(cmd, argc, argv, &fa, &a);
    if (early >= 0)
        return early;
    const char *data = fa.data;
    if (a.npos != 1 || !data || !fa.formula) {
        cli_error(cmd, a.npos != 1 ? "name one model (egame12, egame122, egame123, ultimatum)"
                                   : "--data and --formula are required");
        fprintf(stderr, "usage: %s\n", cmd->usage);
        return CLI_EXIT_USAGE;
    }
    casus_fit_opts o = CASUS_FIT_OPTS_INIT;
    if (!set_opts(cmd, &fa, &a, &o))
        return CLI_EXIT_USAGE;
    if (!cli_input_ok(cmd, data))
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
    bool json = fa.json, predict = fa.predict;
    if (code == CLI_EXIT_OK) {
        st = json      ? casus_fit_write_json(f, predict, &out)
             : predict ? casus_fit_write_predict(f, &out)
                       : casus_fit_write_text(f, &out);
        if (st != CASUS_OK || out.failed) {
            cli_error(cmd, "%s",
                      st == CASUS_ENOMEM || out.failed ? "out of memory" : casus_status_str(st));
            code = CLI_EXIT_FAIL;
        } else {
            code = cli_write_stdout(cmd, &out);
        }
    } else if (st == CASUS_ENOMEM) {
        cli_error(cmd, "out of memory");
    }
    casus_buf_release(&out);
    casus_fit_free(f);
    return code;
}
