/*
 * load.c — how the casus front end builds its engine: the shipped data, the
 * --load files, and for the scenario commands the positional files or a
 * scenario named by a plain word.
 */
#include "cli.h"

#include <errno.h>
#include <sys/stat.h>
#include <string.h>

void cli_show_diagnostics(casus_engine *e)
{
    casus_buf b = CASUS_BUF_INIT;
    casus_engine_render_diagnostics(e, &b);
    cli_text_write(stderr, b.data ? b.data : "", b.len, true);
    casus_buf_release(&b);
    casus_engine_clear_diagnostics(e);
}

bool cli_input_ok(const struct cli_cmd *cmd, const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        cli_error(cmd, "cannot read '%s': %s", path, strerror(EISDIR));
        return false;
    }
    return true;
}

/* After the shipped data (what) failed to load with st: say so (a bug,
 * unless memory ran out), set *code and free e. */
static casus_engine *shipped_failed(const struct cli_cmd *cmd, casus_engine *e, const char *what,
                                    casus_status st, int *code)
{
    if (st == CASUS_ENOMEM)
        cli_error(cmd, "out of memory");
    else
        cli_error(cmd, "%s did not load (%s); this is a bug", what, casus_status_str(st));
    cli_show_diagnostics(e);
    casus_engine_free(e);
    *code = CLI_EXIT_FAIL;
    return NULL;
}

casus_engine *cli_engine(const struct cli_cmd *cmd, const char *const *load, int nload,
                         bool scenarios, int *code)
{
    casus_engine *e = NULL;
    for (int i = 0; i < nload; i++)
        if (!cli_input_ok(cmd, load[i])) {
            *code = CLI_EXIT_USAGE;
            return NULL;
        }
    if (casus_engine_new(&e, NULL, NULL) != CASUS_OK) {
        cli_error(cmd, "out of memory");
        *code = CLI_EXIT_FAIL;
        return NULL;
    }
    casus_status st = casus_engine_load_builtin(e);
    if (st != CASUS_OK)
        return shipped_failed(cmd, e, "the shipped data", st, code);
    for (int i = 0; i < nload; i++) {
        st = casus_engine_load_file(e, load[i]);
        if (st != CASUS_OK) {
            cli_show_diagnostics(e);
            if (st == CASUS_ENOMEM)
                cli_error(cmd, "out of memory");
            casus_engine_free(e);
            *code = st == CASUS_ENOMEM ? CLI_EXIT_FAIL : CLI_EXIT_USAGE;
            return NULL;
        }
    }
    st = scenarios ? casus_engine_load_shipped_scenarios(e) : CASUS_OK;
    if (st != CASUS_OK)
        return shipped_failed(cmd, e, "a shipped scenario", st, code);
    return e;
}

int cli_error_exit(casus_status st, const casus_error *err)
{
    return st == CASUS_ENOMEM || err->input == CASUS_INPUT_MODEL ? CLI_EXIT_FAIL : CLI_EXIT_USAGE;
}

/* A positional argument names a scenario, not a file, when it is a plain
 * word (no '/' and no ".casus") that is not an existing file. */
static bool is_scenario_word(const char *s)
{
    size_t n = strlen(s);
    struct stat st;
    return !strchr(s, '/') && !(n > 6 && strcmp(s + n - 6, ".casus") == 0) && stat(s, &st) != 0;
}

casus_engine *cli_scenario_engine(const struct cli_cmd *cmd, const struct cli_list *load,
                                  const struct cli_args *a, int *code)
{
    const char *files[CLI_MAX_REPEAT + CLI_MAX_POS];
    int nfiles = 0;
    for (int i = 0; i < load->n; i++)
        files[nfiles++] = load->v[i];
    for (int i = 0; i < a->npos; i++)
        if (!is_scenario_word(a->pos[i]))
            files[nfiles++] = a->pos[i];
    return cli_engine(cmd, files, nfiles, true, code);
}

const char *cli_scenario_name(const struct cli_cmd *cmd, const char *scenario,
                              const struct cli_args *a, const casus_engine *e, int *code)
{
    const char *name = scenario;
    int nwords = 0, nfiles = 0;
    for (int k = 0; k < a->npos; k++) {
        if (!is_scenario_word(a->pos[k])) {
            nfiles++;
            continue;
        }
        if (nwords++ || name) {
            cli_error(cmd, "name one scenario (by name, by file, or with --scenario)");
            *code = CLI_EXIT_USAGE;
            return NULL;
        }
        name = a->pos[k]; /* casus run trainers-in-ukraine */
    }
    if (name || nfiles == 0)
        return name ? name : CLI_FLAGSHIP;
    size_t found = 0;
    for (size_t i = 0; i < casus_engine_scenario_count(e); i++)
        for (int k = 0; k < a->npos; k++)
            if (strcmp(casus_engine_scenario_file(e, i), a->pos[k]) == 0 && found++ == 0)
                name = casus_engine_scenario_name(e, i);
    if (found == 1)
        return name;
    if (found > 1)
        cli_error(cmd, "the files declare %zu scenarios; choose one with --scenario", found);
    else
        cli_error(cmd, "the files declare no scenario");
    *code = CLI_EXIT_USAGE;
    return NULL;
}
