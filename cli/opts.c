/*
 * opts.c — declarative option parsing for the casus subcommands (after git's
 * parse-options): each command declares its options once, and the same table
 * drives parsing, validation and the --help text.
 */
#include "cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void cli_error(const struct cli_cmd *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "casus: %s%s", cmd ? cmd->name : "", cmd ? ": " : "");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int cli_opt_index(const struct cli_cmd *cmd, const char *name)
{
    for (int i = 0; i < cmd->nopts; i++)
        if (strcmp(cmd->opts[i].name, name) == 0)
            return i;
    abort(); /* a misspelt option name in the CLI's own code */
}

const char *cli_get(const struct cli_cmd *cmd, const struct cli_args *a, const char *name)
{
    return a->val[cli_opt_index(cmd, name)];
}

void cli_print_help(const struct cli_cmd *cmd, FILE *to)
{
    fprintf(to, "usage: %s\n\n%s\n", cmd->usage, cmd->description);
    if (cmd->nopts)
        fprintf(to, "\noptions:\n");
    for (int i = 0; i < cmd->nopts; i++) {
        const struct cli_opt *o = &cmd->opts[i];
        char left[64];
        snprintf(left, sizeof left, "--%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
        fprintf(to, "  %-24s %s%s\n", left, o->help, o->repeat ? " (repeatable)" : "");
    }
    fprintf(to, "  %-24s %s\n", "--help", "show this help");
}

bool cli_parse(const struct cli_cmd *cmd, int argc, char **argv, struct cli_args *out, bool *done)
{
    memset(out, 0, sizeof *out);
    *done = false;
    bool only_pos = false;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (only_pos || a[0] != '-' || a[1] == '\0' || (a[1] != '-' && !strchr("h", a[1]))) {
            if (out->npos >= cmd->max_pos || out->npos >= CLI_MAX_POS) {
                cli_error(cmd, "unexpected argument '%s'", a);
                fprintf(stderr, "usage: %s\n", cmd->usage);
                return false;
            }
            out->pos[out->npos++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_pos = true;
            continue;
        }
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            cli_print_help(cmd, stdout);
            *done = true;
            return true;
        }
        const char *name = a + 2;
        const char *eq = strchr(name, '=');
        size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
        int k = -1;
        for (int j = 0; j < cmd->nopts; j++)
            if (strlen(cmd->opts[j].name) == nlen && memcmp(cmd->opts[j].name, name, nlen) == 0)
                k = j;
        if (k < 0) {
            cli_error(cmd, "unknown option '%.*s'", (int)(nlen + 2), a);
            fprintf(stderr, "usage: %s\n(see 'casus %s --help')\n", cmd->usage, cmd->name);
            return false;
        }
        const struct cli_opt *o = &cmd->opts[k];
        const char *v = "1";
        if (o->arg) {
            if (eq)
                v = eq + 1;
            else if (i + 1 < argc)
                v = argv[++i];
            else {
                cli_error(cmd, "option '--%s' needs a value (%s)", o->name, o->arg);
                return false;
            }
        } else if (eq) {
            cli_error(cmd, "option '--%s' takes no value", o->name);
            return false;
        }
        if (out->val[k] && !o->repeat) {
            cli_error(cmd, "option '--%s' given twice", o->name);
            return false;
        }
        out->val[k] = v;
        if (o->repeat) {
            if (out->nrep[k] == CLI_MAX_REPEAT) {
                cli_error(cmd, "option '--%s' given more than %d times", o->name, CLI_MAX_REPEAT);
                return false;
            }
            out->rep[k][out->nrep[k]++] = v;
        }
    }
    return true;
}

int cli_start(const struct cli_cmd *cmd, int argc, char **argv, struct cli_args *out)
{
    bool done;
    if (!cli_parse(cmd, argc, argv, out, &done))
        return CLI_EXIT_USAGE;
    return done ? CLI_EXIT_OK : -1;
}
