/*
 * cmd_evidence.c — `casus evidence`: count a reference class in a shipped
 * dataset (ICB, MID) or any CSV — n, k, the rate, its Jeffreys interval,
 * the dropped rows and the citation (casus/evidence.h, docs/evidence.md).
 */
#include "casus/evidence.h"
#include "cli.h"

#include <string.h>

static const struct cli_opt evidence_opts[] = {
    {"where", "EXPR", "the reference class: a condition on the columns (default: every row)",
     false},
    {"outcome", "EXPR", "the condition counted in the class", false},
    {"na", "VALUE", "also treat VALUE as a missing cell (MID writes -9)", true},
    {"columns", NULL, "list the dataset's columns instead of counting", false},
    {"json", NULL, "print one JSON object", false},
};

/* Print the engine's diagnostics; the exit code for st. */
static int fail(const struct cli_cmd *cmd, casus_engine *e, casus_status st)
{
    casus_buf b = CASUS_BUF_INIT;
    casus_engine_render_diagnostics(e, &b);
    if (b.data)
        fputs(b.data, stderr);
    else
        cli_error(cmd, "%s", casus_status_str(st));
    casus_buf_release(&b);
    return st == CASUS_ENOMEM ? EXIT_FAIL : st == CASUS_EIO ? EXIT_IO : EXIT_USAGE;
}

static casus_status run(const struct cli_cmd *cmd, const struct cli_args *a, casus_engine *e,
                        casus_buf *out, int *code)
{
    const int na = cli_opt_index(cmd, "na");
    if (a->npos == 0)
        return casus_evidence_write_datasets(e, out);
    if (cli_get(cmd, a, "columns"))
        return casus_evidence_write_columns(e, a->pos[0], a->rep[na], (size_t)a->nrep[na], out);
    casus_evidence_query q = {a->pos[0], cli_get(cmd, a, "where"), cli_get(cmd, a, "outcome"),
                              a->rep[na], (size_t)a->nrep[na]};
    if (!q.outcome) {
        cli_error(cmd, "say what to count with --outcome EXPR (e.g. --outcome 'viol >= 3')");
        *code = EXIT_USAGE;
        return CASUS_EINVAL;
    }
    casus_evidence_result r;
    casus_status st = casus_evidence_count(e, &q, &r);
    if (st != CASUS_OK)
        return st;
    return cli_get(cmd, a, "json") ? casus_evidence_write_json(&r, out)
                                   : casus_evidence_write_text(&r, out);
}

static int cmd_evidence(const struct cli_cmd *cmd, int argc, char **argv)
{
    struct cli_args a;
    int early = cli_start(cmd, argc, argv, &a);
    if (early >= 0)
        return early;
    casus_engine *e = NULL;
    if (casus_engine_new(&e, NULL, NULL) != CASUS_OK) {
        cli_error(cmd, "out of memory");
        return EXIT_FAIL;
    }
    casus_buf out = CASUS_BUF_INIT;
    int code = -1;
    casus_status st = run(cmd, &a, e, &out, &code);
    if (code < 0)
        code = st != CASUS_OK ? fail(cmd, e, st) : cli_write_stdout(cmd, &out) ? EXIT_OK : EXIT_IO;
    casus_buf_release(&out);
    casus_engine_free(e);
    return code;
}

const struct cli_cmd cli_cmd_evidence = {
    "evidence",
    cmd_evidence,
    "casus evidence [DATASET [--where EXPR] --outcome EXPR [--na VALUE]... [--json] | DATASET "
    "--columns]",
    "count a reference class in crisis data (ICB, MID) or a CSV",
    "How often did crises like this one turn out so?  DATASET is a shipped dataset\n"
    "(icb-crises, icb-actors, mid-disputes, mid-participants; with no DATASET they are\n"
    "listed) or a CSV file's path.  --where picks the reference class and --outcome is\n"
    "counted in it, both casus expressions over the columns: numbers, \"text\", == != <\n"
    "<= > >=, + - * /, and, or, not, in [..].  Prints n, k, the rate k/n, the Jeffreys 95%\n"
    "interval (Beta(k+1/2, n-k+1/2) quantiles), the rows dropped for a missing cell the\n"
    "query reads, and the data's citation.  Example:\n"
    "  casus evidence icb-crises --where 'yrtrig >= 1945 and gravcr >= 4' --outcome 'viol >= 3'\n"
    "See docs/evidence.md.",
    evidence_opts,
    (int)(sizeof evidence_opts / sizeof evidence_opts[0]),
    1,
};
