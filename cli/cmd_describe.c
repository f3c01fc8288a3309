/*
 * cmd_describe.c — `casus describe`: show a scenario's ladder, every
 * parameter with its distribution, support and label (cited fact or
 * judgment with its rationale), and what each policy changes.
 */
#include "cli.h"

#include <string.h>

/* What casus describe's options set. */
struct describe_args {
    const char *scenario; /* only this one */
    bool json;
};

static const struct cli_opt describe_opts[] = {
    CLI_OPT_STRING("scenario", "NAME", struct describe_args, scenario,
                   "only this scenario (default: every scenario in the files)"),
    CLI_OPT_FLAG("json", struct describe_args, json,
                 "print one JSON object per scenario, one per line"),
};

static int cmd_describe(const struct cli_cmd *cmd, int argc, char **argv)
{
    struct describe_args da = {NULL, false};
    struct cli_args a;
    int early = cli_start(cmd, argc, argv, &da, &a);
    if (early >= 0)
        return early;
    int code = CLI_EXIT_OK;
    casus_engine *e = cli_engine(cmd, a.pos, a.npos, true, &code);
    if (!e)
        return code;
    const char *only = da.scenario;
    bool json = da.json;
    casus_buf out = CASUS_BUF_INIT;
    size_t shown = 0;
    for (size_t i = 0; i < casus_engine_scenario_count(e); i++) {
        const char *name = casus_engine_scenario_name(e, i);
        if (only && strcmp(only, name) != 0)
            continue;
        /* with files, their scenarios; without, the shipped ones */
        bool mine = a.npos == 0;
        for (int k = 0; k < a.npos && !mine; k++)
            mine = strcmp(casus_engine_scenario_file(e, i), a.pos[k]) == 0;
        if (!only && !mine)
            continue;
        if (shown++ && !json)
            casus_buf_puts(&out, "\n");
        if (casus_scenario_describe(e, name, json, &out) != CASUS_OK) {
            cli_error(cmd, "out of memory");
            code = CLI_EXIT_FAIL;
            break;
        }
        if (json)
            casus_buf_puts(&out, "\n");
    }
    if (code == CLI_EXIT_OK && shown == 0) {
        char q[CLI_QUOTE_SIZE];
        if (only)
            cli_error(cmd, "no scenario '%s' in the files given", cli_quote(q, only));
        else
            cli_error(cmd, "the files declare no scenario");
        code = CLI_EXIT_USAGE;
    }
    if (code == CLI_EXIT_OK)
        code = cli_write_stdout(cmd, &out);
    casus_buf_release(&out);
    casus_engine_free(e);
    return code;
}

const struct cli_cmd cli_cmd_describe = {
    .name = "describe",
    .fn = cmd_describe,
    .usage = "casus describe [FILE...] [--scenario NAME] [--json]",
    .summary = "show a scenario's parameters, their sources and its policies",
    .description =
        "Load casus files and show each scenario they declare (with no FILE, the shipped\n"
        "ones, such as the flagship): its date and ladder (mapped onto Kahn's\n"
        "rungs, with thresholds), every parameter with its distribution, support and label\n"
        "(the cited source of a fact, or the rationale of a judgment), and what each policy\n"
        "sets. Every number a scenario uses is listed here before any model runs.",
    .opts = describe_opts,
    .nopts = CLI_COUNT(describe_opts),
    .max_pos = CLI_MAX_POS,
};
