/*
 * cmd_evidence.c — `casus evidence`: count a reference class in a shipped
 * dataset (ICB, MID) or any CSV — n, k, the rate, its Jeffreys interval,
 * the dropped rows and the citation (casus/evidence.h, docs/evidence.md).
 * No treaty engine, gazetteer or geography is loaded.  Output is written
 * only after the count succeeded, so bad input leaves stdout empty (exit 2).
 */
#include "casus/evidence.h"
#include "cli.h"

#include <string.h>

/* What casus evidence's options set. */
struct evidence_args {
    const char *where, *outcome;
    struct cli_list na;
    bool columns, json;
};

static const struct cli_opt evidence_opts[] = {
    CLI_OPT_STRING("where", "EXPR", struct evidence_args, where,
                   "the reference class: a condition on the columns (default: every row)"),
    CLI_OPT_STRING("outcome", "EXPR", struct evidence_args, outcome,
                   "the condition counted in the class"),
    CLI_OPT_LIST("na", "VALUE", struct evidence_args, na,
                 "also treat VALUE as a missing cell (MID writes -9)"),
    CLI_OPT_FLAG("columns", struct evidence_args, columns,
                 "list the dataset's columns instead of counting"),
    CLI_OPT_FLAG("json", struct evidence_args, json, "print one JSON object"),
};

/* Print the engine's diagnostics; the exit code for st. */
static int fail(const struct cli_cmd *cmd, casus_engine *e, casus_status st)
{
    if (casus_engine_error_count(e))
        cli_show_diagnostics(e);
    else
        cli_error(cmd, "%s", casus_status_str(st));
    return st == CASUS_ENOMEM ? CLI_EXIT_FAIL : CLI_EXIT_USAGE;
}

static casus_status run(const struct cli_cmd *cmd, const struct evidence_args *ea,
                        const struct cli_args *a, casus_engine *e, casus_buf *out, int *code)
{
    if (a->npos == 0)
        return casus_evidence_write_datasets(e, out);
    if (ea->columns)
        return casus_evidence_write_columns(e, a->pos[0], ea->na.v, (size_t)ea->na.n, out);
    casus_evidence_query q = {a->pos[0], ea->where, ea->outcome, ea->na.v, (size_t)ea->na.n};
    if (!q.outcome) {
        cli_error(cmd, "say what to count with --outcome EXPR (e.g. --outcome 'viol >= 3')");
        *code = CLI_EXIT_USAGE;
        return CASUS_EINVAL;
    }
    casus_evidence_result r;
    casus_status st = casus_evidence_count(e, &q, &r);
    if (st != CASUS_OK)
        return st;
    return ea->json ? casus_evidence_write_json(&r, out) : casus_evidence_write_text(&r, out);
}

static int cmd_evidence(const struct cli_cmd *cmd, int argc, char **argv)
{
    struct evidence_args ea = {0};
    struct cli_args a;
    int early = cli_start(cmd, argc, argv, &ea, &a);
    if (early >= 0)
        return early;
    if (a.npos == 1 && (strchr(a.pos[0], '/') || strstr(a.pos[0], ".csv")) &&
        !cli_input_ok(cmd, a.pos[0]))
        return CLI_EXIT_USAGE;
    casus_engine *e = NULL;
    if (casus_engine_new(&e, NULL, NULL) != CASUS_OK) {
        cli_error(cmd, "out of memory");
        return CLI_EXIT_FAIL;
    }
    casus_buf out = CASUS_BUF_INIT;
    int code = -1;
    casus_status st = run(cmd, &ea, &a, e, &out, &code);
    if (code < 0)
        code = st != CASUS_OK ? fail(cmd, e, st) : cli_write_stdout(cmd, &out);
    casus_buf_release(&out);
    casus_engine_free(e);
    return code;
}

const struct cli_cmd cli_cmd_evidence = {
    .name = "evidence",
    .fn = cmd_evidence,
    .usage = "casus evidence [DATASET [--where EXPR] --outcome EXPR [--na VALUE]... [--json] | "
             "DATASET --columns]",
    .summary = "count a reference class in crisis data (ICB, MID) or a CSV",
    .description =
        "How often did crises like this one turn out so?  DATASET is a shipped dataset\n"
        "(icb-crises, icb-actors, mid-disputes, mid-participants; with no DATASET they are\n"
        "listed) or a CSV file's path.  --where picks the reference class and --outcome is\n"
        "counted in it, both casus expressions over the columns: numbers, \"text\", == != <\n"
        "<= > >=, + - * /, and, or, not, in [..].  Prints n, k, the rate k/n, the Jeffreys 95%\n"
        "interval (Beta(k+1/2, n-k+1/2) quantiles), the rows dropped for a missing cell the\n"
        "query reads, and the data's citation.  Example:\n"
        "  casus evidence icb-crises --where 'yrtrig >= 1945 and gravcr >= 4' --outcome 'viol >= "
        "3'\n"
        "See docs/evidence.md.",
    .opts = evidence_opts,
    .nopts = CLI_COUNT(evidence_opts),
    .max_pos = 1,
};
