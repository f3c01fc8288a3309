/*
 * cmd_treaties.c — `casus treaties`: list the loaded treaties, and
 * `casus lint`: compile casus source files and report their diagnostics.
 */
#include "cli.h"

#include <string.h>

/* What casus treaties's options set. */
struct treaties_args {
    struct cli_list load;
};

static const struct cli_opt treaties_opts[] = {
    CLI_OPT_LIST("load", "FILE", struct treaties_args, load, "also load a casus source"),
};

static int cmd_treaties(const struct cli_cmd *cmd, int argc, char **argv)
{
    struct treaties_args ta = {0};
    struct cli_args a;
    int early = cli_start(cmd, argc, argv, &ta, &a);
    if (early >= 0)
        return early;
    int code = CLI_EXIT_OK;
    casus_engine *e = cli_engine(cmd, ta.load.v, ta.load.n, false, &code);
    if (!e)
        return code;
    casus_buf out = CASUS_BUF_INIT;
    for (size_t i = 0; i < casus_engine_treaty_count(e); i++)
        casus_buf_printf(&out, "%-16s %s\n", casus_engine_treaty_id(e, i),
                         casus_engine_treaty_title(e, i));
    code = cli_write_stdout(cmd, &out);
    casus_buf_release(&out);
    casus_engine_free(e);
    return code;
}

const struct cli_cmd cli_cmd_treaties = {
    .name = "treaties",
    .fn = cmd_treaties,
    .usage = "casus treaties [--load FILE]",
    .summary = "list the treaties casus knows",
    .description =
        "List the treaties loaded from treaties/ (shipped inside casus) and any --load files,\n"
        "by id and title.",
    .opts = treaties_opts,
    .nopts = CLI_COUNT(treaties_opts),
    .max_pos = 0,
};

/* What casus lint's options set. */
struct lint_args {
    bool json;
};

static const struct cli_opt lint_opts[] = {
    CLI_OPT_FLAG("json", struct lint_args, json, "print diagnostics as JSON"),
};

static int cmd_lint(const struct cli_cmd *cmd, int argc, char **argv)
{
    struct lint_args la = {false};
    struct cli_args a;
    int early = cli_start(cmd, argc, argv, &la, &a);
    if (early >= 0)
        return early;
    if (a.npos == 0) {
        cli_error(cmd, "name at least one casus file");
        fprintf(stderr, "usage: %s\n", cmd->usage);
        return CLI_EXIT_USAGE;
    }
    casus_engine *e = NULL;
    if (casus_engine_new(&e, NULL, NULL) != CASUS_OK) {
        cli_error(cmd, "out of memory");
        return CLI_EXIT_FAIL;
    }
    casus_status st = casus_engine_load_builtin(e);
    int code = st == CASUS_OK ? CLI_EXIT_OK : CLI_EXIT_FAIL;
    if (st != CASUS_OK)
        cli_error(cmd, "%s",
                  st == CASUS_ENOMEM ? "out of memory" : "the shipped data did not load");
    for (int i = 0; i < a.npos && code == CLI_EXIT_OK; i++) {
        st = cli_input_ok(cmd, a.pos[i]) ? casus_engine_load_file(e, a.pos[i]) : CASUS_EIO;
        if (st != CASUS_OK)
            code = st == CASUS_ENOMEM ? CLI_EXIT_FAIL : CLI_EXIT_USAGE;
        if (st == CASUS_ENOMEM)
            cli_error(cmd, "out of memory");
    }
    casus_buf out = CASUS_BUF_INIT;
    if (la.json) {
        casus_engine_diagnostics_json(e, &out);
        casus_buf_puts(&out, "\n");
        int wc = cli_write_stdout(cmd, &out);
        if (wc != CLI_EXIT_OK)
            code = wc;
    } else {
        casus_engine_render_diagnostics(e, &out);
        cli_text_write(stderr, out.data ? out.data : "", out.len, true);
        if (code == CLI_EXIT_OK)
            fprintf(stderr, "casus: lint: %d file%s ok\n", a.npos, a.npos == 1 ? "" : "s");
    }
    casus_buf_release(&out);
    casus_engine_free(e);
    return code;
}

const struct cli_cmd cli_cmd_lint = {
    .name = "lint",
    .fn = cmd_lint,
    .usage = "casus lint FILE... [--json]",
    .summary = "compile casus sources and report errors",
    .description =
        "Parse and check casus source files against the shipped world facts and treaties, and\n"
        "report every diagnostic as file:line:col with the source line and a caret. Exit status\n"
        "is 0 when all files compile, 2 otherwise.",
    .opts = lint_opts,
    .nopts = CLI_COUNT(lint_opts),
    .max_pos = CLI_MAX_POS,
};
