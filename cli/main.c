/*
 * main.c — the `casus` command: dispatch to a subcommand from the command
 * table, plus `casus help`, `casus --help` and `casus --version`.
 */
#include "cli.h"

#include <errno.h>
#include <string.h>

static int cmd_help(const struct cli_cmd *cmd, int argc, char **argv);

const struct cli_cmd cli_cmd_help = {
    .name = "help",
    .fn = cmd_help,
    .usage = "casus help [COMMAND]",
    .summary = "show help for casus or a command",
    .description = "Show the list of commands, or the help of one command.",
    .max_pos = 1,
};

const struct cli_cmd *const cli_commands[] = {
    &cli_cmd_check,    &cli_cmd_where,    &cli_cmd_actors,  &cli_cmd_treaties, &cli_cmd_lint,
    &cli_cmd_describe, &cli_cmd_run,      &cli_cmd_compile, &cli_cmd_solve,    &cli_cmd_sensitivity,
    &cli_cmd_fit,      &cli_cmd_evidence, &cli_cmd_help,
};
const int cli_ncommands = CLI_COUNT(cli_commands);

static void usage(FILE *to)
{
    fprintf(to, "usage: casus <command> [options]\n\n"
                "casus makes alliance commitments and crisis escalation computable.\n\n"
                "commands:\n");
    for (int i = 0; i < cli_ncommands; i++)
        fprintf(to, "  %-12s %s\n", cli_commands[i]->name, cli_commands[i]->summary);
    fprintf(to, "\nRun 'casus <command> --help' for a command's options; 'casus --version' "
                "prints the version.\n");
}

static int cmd_help(const struct cli_cmd *cmd, int argc, char **argv)
{
    struct cli_args a;
    int early = cli_start(cmd, argc, argv, NULL, &a);
    if (early >= 0)
        return early;
    if (a.npos == 0) {
        usage(stdout);
        return CLI_EXIT_OK;
    }
    for (int i = 0; i < cli_ncommands; i++)
        if (strcmp(cli_commands[i]->name, a.pos[0]) == 0) {
            cli_print_help(cli_commands[i], stdout);
            return CLI_EXIT_OK;
        }
    char q[CLI_QUOTE_SIZE];
    cli_error(cmd, "unknown command '%s'", cli_quote(q, a.pos[0]));
    return CLI_EXIT_USAGE;
}

/* The command named by argv[1], run; or --version, --help. */
static int dispatch(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
        if (argc > 2) {
            cli_error(NULL, "%s takes no arguments", name);
            return CLI_EXIT_USAGE;
        }
        printf("casus %s\n", CASUS_VERSION);
        return CLI_EXIT_OK;
    }
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
        usage(stdout);
        return CLI_EXIT_OK;
    }
    for (int i = 0; i < cli_ncommands; i++)
        if (strcmp(cli_commands[i]->name, name) == 0)
            return cli_commands[i]->fn(cli_commands[i], argc - 2, argv + 2);
    char q[CLI_QUOTE_SIZE];
    cli_error(NULL, "'%s' is not a casus command (see 'casus help')", cli_quote(q, name));
    return CLI_EXIT_USAGE;
}

/* Exit codes: docs/exit-codes.md.  Whatever went to stdout without
 * cli_write_stdout (help, --version) is checked here: output that could
 * not be written is exit 4, never a silent 0. */
int main(int argc, char **argv)
{
    int code = dispatch(argc, argv);
    if ((fflush(stdout) != 0 || ferror(stdout)) && code != CLI_EXIT_IO) {
        cli_error(NULL, "cannot write output: %s", strerror(errno));
        code = CLI_EXIT_IO;
    }
    return code;
}
