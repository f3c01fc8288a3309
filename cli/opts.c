/*
 * opts.c — declarative option parsing for the casus subcommands (after git's
 * parse-options): each command declares its options once, and the same table
 * drives parsing, validation and the --help text.
 */
#include "cli.h"

#ifdef CASUS_MPI
#include <mpi.h>
#endif

#include <errno.h>
#include <limits.h>
#include <sys/stat.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
        return EXIT_USAGE;
    return done ? EXIT_OK : -1;
}

bool cli_write_stdout(const struct cli_cmd *cmd, const casus_buf *b)
{
    if (b->failed) {
        cli_error(cmd, "out of memory while rendering output");
        return false;
    }
    if (b->len && fwrite(b->data, 1, b->len, stdout) != b->len) {
        cli_error(cmd, "cannot write output: %s", strerror(errno));
        return false;
    }
    if (fflush(stdout) != 0) {
        cli_error(cmd, "cannot write output: %s", strerror(errno));
        return false;
    }
    return true;
}

casus_engine *cli_engine(const struct cli_cmd *cmd, const char *const *load, int nload, int *code)
{
    casus_engine *e = NULL;
    if (casus_engine_new(&e, NULL, NULL) != CASUS_OK) {
        cli_error(cmd, "out of memory");
        *code = EXIT_FAIL;
        return NULL;
    }
    casus_status st = casus_engine_load_builtin(e);
    if (st != CASUS_OK) {
        casus_buf b = CASUS_BUF_INIT;
        casus_engine_render_diagnostics(e, &b);
        cli_error(cmd, "the shipped data did not load (%s); this is a bug", casus_status_str(st));
        if (b.data)
            fputs(b.data, stderr);
        casus_buf_release(&b);
        casus_engine_free(e);
        *code = EXIT_FAIL;
        return NULL;
    }
    for (int i = 0; i < nload; i++) {
        st = casus_engine_load_file(e, load[i]);
        if (st != CASUS_OK) {
            casus_buf b = CASUS_BUF_INIT;
            casus_engine_render_diagnostics(e, &b);
            if (b.data)
                fputs(b.data, stderr);
            casus_buf_release(&b);
            casus_engine_free(e);
            *code = st == CASUS_ENOMEM ? EXIT_FAIL : EXIT_USAGE;
            return NULL;
        }
    }
    st = casus_engine_load_shipped_scenarios(e);
    if (st != CASUS_OK) {
        casus_buf b = CASUS_BUF_INIT;
        casus_engine_render_diagnostics(e, &b);
        cli_error(cmd, "a shipped scenario did not load (%s); this is a bug", casus_status_str(st));
        if (b.data)
            fputs(b.data, stderr);
        casus_buf_release(&b);
        casus_engine_free(e);
        *code = EXIT_FAIL;
        return NULL;
    }
    return e;
}

bool cli_number(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || errno == ERANGE || !isfinite(v))
        return false;
    *out = v;
    return true;
}

casus_date cli_today(void)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    char buf[16];
    strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    casus_date d = 0;
    casus_date_parse(buf, strlen(buf), &d);
    return d;
}

/* Write b to an already open stream; false with a message on failure. */
static bool write_direct(const struct cli_cmd *cmd, const char *path, const casus_buf *b)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        cli_error(cmd, "cannot write '%s': %s", path, strerror(errno));
        return false;
    }
    bool ok = fwrite(b->data, 1, b->len, f) == b->len;
    ok &= fclose(f) == 0;
    if (!ok)
        cli_error(cmd, "cannot write '%s'", path);
    return ok;
}

bool cli_write_file(const struct cli_cmd *cmd, const char *path, const casus_buf *b)
{
    /* Only a regular file (or a new one) is replaced by a rename; devices,
       pipes and symbolic links (/dev/stdout) are written in place. */
    struct stat st;
    if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode))
        return write_direct(cmd, path, b);
    char tmp[4096];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp-casus", path) >= sizeof tmp) {
        cli_error(cmd, "file name too long: '%s'", path);
        return false;
    }
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        cli_error(cmd, "cannot write '%s': %s", path, strerror(errno));
        return false;
    }
    bool ok = fwrite(b->data, 1, b->len, f) == b->len;
    ok &= fflush(f) == 0;
    ok &= fclose(f) == 0;
    if (ok && rename(tmp, path) != 0)
        ok = false;
    if (!ok) {
        cli_error(cmd, "cannot write '%s': %s", path, strerror(errno));
        remove(tmp);
    }
    return ok;
}

/* A positional argument names a scenario, not a file, when it is a plain
 * word (no '/' and no ".casus") that is not an existing file. */
static bool is_scenario_word(const char *s)
{
    size_t n = strlen(s);
    struct stat st;
    return !strchr(s, '/') && !(n > 6 && strcmp(s + n - 6, ".casus") == 0) && stat(s, &st) != 0;
}

casus_engine *cli_scenario_engine(const struct cli_cmd *cmd, const struct cli_args *a, int *code)
{
    const char *files[CLI_MAX_REPEAT + CLI_MAX_POS];
    int nfiles = 0, ild = cli_opt_index(cmd, "load");
    for (int i = 0; i < a->nrep[ild]; i++)
        files[nfiles++] = a->rep[ild][i];
    for (int i = 0; i < a->npos; i++)
        if (!is_scenario_word(a->pos[i]))
            files[nfiles++] = a->pos[i];
    return cli_engine(cmd, files, nfiles, code);
}

const char *cli_scenario_name(const struct cli_cmd *cmd, const struct cli_args *a,
                              const casus_engine *e, int *code)
{
    const char *name = cli_get(cmd, a, "scenario");
    int nwords = 0, nfiles = 0;
    for (int k = 0; k < a->npos; k++) {
        if (!is_scenario_word(a->pos[k])) {
            nfiles++;
            continue;
        }
        if (nwords++ || name) {
            cli_error(cmd, "name one scenario (by name, by file, or with --scenario)");
            *code = EXIT_USAGE;
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
    *code = EXIT_USAGE;
    return NULL;
}

#ifdef CASUS_MPI
casus_status cli_mpi_gather(void *ud, double *y, const size_t *off, const size_t *cnt,
                            size_t nparts)
{
    int *ic = ud, *id = ic + nparts;
    for (size_t q = 0; q < nparts; q++) {
        if (cnt[q] > INT_MAX || off[q] > INT_MAX)
            return CASUS_ELIMIT;
        ic[q] = (int)cnt[q];
        id[q] = (int)off[q];
    }
    if (MPI_Allgatherv(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, y, ic, id, MPI_DOUBLE, MPI_COMM_WORLD) !=
        MPI_SUCCESS)
        return CASUS_EIO;
    return CASUS_OK;
}

bool cli_under_mpirun(void)
{
    return getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMI_SIZE") || getenv("PMIX_RANK");
}
#endif

bool cli_u64(const char *s, uint64_t *out)
{
    if (!s || !*s || *s == '-')
        return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

int *cli_mpi_begin(const struct cli_cmd *cmd, int *rank, int *nranks)
{
    *rank = 0;
    *nranks = 1;
#ifdef CASUS_MPI
    if (!cli_under_mpirun())
        return NULL;
    MPI_Init(NULL, NULL);
    MPI_Comm_rank(MPI_COMM_WORLD, rank);
    MPI_Comm_size(MPI_COMM_WORLD, nranks);
    int *buf = calloc(2 * (size_t)*nranks, sizeof *buf);
    if (!buf) {
        cli_error(cmd, "out of memory");
        MPI_Abort(MPI_COMM_WORLD, EXIT_FAIL);
    }
    return buf;
#else
    (void)cmd;
    return NULL;
#endif
}

void cli_mpi_end(int *buf)
{
#ifdef CASUS_MPI
    if (buf) {
        free(buf);
        MPI_Finalize();
    }
#else
    (void)buf;
#endif
}
