/*
 * cli.h — what the `casus` front end's files share, by the file that
 * defines it: the command table entry and declarative options (opts.c, which
 * also generate --help), loading the engine (load.c), writing results
 * (out.c), MPI (mpi.c) and option values (value.c).  Exit codes are here.
 * The CLI uses only the public API (the headers in include/casus).
 */
#ifndef CASUS_CLI_H
#define CASUS_CLI_H

#include "casus/casus.h"

#include <stdbool.h>
#include <stdio.h>

/* Exit codes (README, "Exit status").  Bad input of any kind — usage, an
 * unknown place, a malformed date or a treaty file that does not compile —
 * is 2.  Named CLI_EXIT_*: C reserves E[A-Z]* for <errno.h>. */
enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_FAIL = 1,  /* the model or run failed, or an internal error */
    CLI_EXIT_USAGE = 2, /* bad input: usage, arguments, files */
    CLI_EXIT_IO = 4     /* could not read or write */
};

/* ---- opts.c: options, parsing, --help, messages ---- */

/* An option: "--name ARG  help".  arg NULL for flags.  Values land in
 * struct cli_args by index. */
struct cli_opt {
    const char *name; /* without dashes */
    const char *arg;  /* metavariable, or NULL for a flag */
    const char *help;
    bool repeat; /* may be given several times */
};

#define CLI_MAX_OPTS   24
#define CLI_MAX_REPEAT 16
#define CLI_MAX_POS    8

/* The number of entries of a static array (an option table). */
#define CLI_COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

struct cli_args {
    const char *val[CLI_MAX_OPTS]; /* last value (or "1" for a flag) */
    const char *rep[CLI_MAX_OPTS][CLI_MAX_REPEAT];
    int nrep[CLI_MAX_OPTS];
    const char *pos[CLI_MAX_POS]; /* positional arguments */
    int npos;
};

struct cli_cmd {
    const char *name;
    int (*fn)(const struct cli_cmd *cmd, int argc, char **argv);
    const char *usage;       /* "casus check [options]" */
    const char *summary;     /* one line for `casus help` */
    const char *description; /* paragraph for `casus CMD --help` */
    const struct cli_opt *opts;
    int nopts;
    int max_pos; /* positional arguments accepted */
};

/* Parse argv (after the command name) against cmd->opts.  Prints
 * "casus: CMD: …" and returns false on a usage error; handles --help by
 * printing help and setting *done. */
bool cli_parse(const struct cli_cmd *cmd, int argc, char **argv, struct cli_args *out, bool *done);

/* cli_parse for a command's entry: returns -1 to go on, or the exit code
 * to return at once (CLI_EXIT_USAGE after a usage error, CLI_EXIT_OK after --help). */
int cli_start(const struct cli_cmd *cmd, int argc, char **argv, struct cli_args *out);

/* Index of option `name` in cmd->opts (a programming error if absent). */
int cli_opt_index(const struct cli_cmd *cmd, const char *name);
const char *cli_get(const struct cli_cmd *cmd, const struct cli_args *a, const char *name);

void cli_print_help(const struct cli_cmd *cmd, FILE *to);

/* "casus: CMD: message" on stderr. */
void cli_error(const struct cli_cmd *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ---- load.c: the engine ---- */

/* New engine with the shipped data loaded, plus each --load file.  On
 * failure prints diagnostics and returns NULL with *code set. */
casus_engine *cli_engine(const struct cli_cmd *cmd, const char *const *load, int nload, int *code);

/* The shipped scenario `casus run` runs when given nothing else. */
#define CLI_FLAGSHIP "trainers-in-ukraine"

/* For commands that take scenarios: an engine with the shipped data, each
 * --load file, then each positional file (NULL with *code set).  A
 * positional plain word that is not a file (no '/', no ".casus") is a
 * scenario's name instead: `casus run trainers-in-ukraine`. */
casus_engine *cli_scenario_engine(const struct cli_cmd *cmd, const struct cli_args *a, int *code);

/* The scenario to use: --scenario or a positional name, else the one the
 * positional files declare, else the flagship; NULL (message, *code =
 * CLI_EXIT_USAGE) when the files declare none or several, or two are named. */
const char *cli_scenario_name(const struct cli_cmd *cmd, const struct cli_args *a,
                              const casus_engine *e, int *code);

/* ---- out.c: writing results ---- */

/* Write a buffer to stdout in one go; false (with a message) on failure. */
bool cli_write_stdout(const struct cli_cmd *cmd, const casus_buf *b);

/* Write a buffer to a file atomically (a temporary file renamed into
 * place): on failure no partial file is left.  false with a message. */
bool cli_write_file(const struct cli_cmd *cmd, const char *path, const casus_buf *b);

/* ---- mpi.c ---- */

#ifdef CASUS_MPI
/* MPI builds: fill the other ranks' parts of y in place (MPI_Allgatherv);
 * ud is 2 * nparts ints of scratch.  Matches casus_sens_gather_cb and
 * casus_run_gather_fn. */
casus_status cli_mpi_gather(void *ud, double *y, const size_t *off, const size_t *cnt,
                            size_t nparts);
/* Started by mpirun?  (Avoids a singleton MPI_Init for plain runs.) */
bool cli_under_mpirun(void);
#endif

/* Start MPI when run by mpirun (MPI builds): *rank and *nranks are set
 * (0 and 1 otherwise) and the scratch of cli_mpi_gather is returned (NULL
 * without MPI).  cli_mpi_end(buf) finalises. */
int *cli_mpi_begin(const struct cli_cmd *cmd, int *rank, int *nranks);
void cli_mpi_end(int *buf);

/* ---- value.c: option values ---- */

/* Parse a non-negative decimal integer (no sign, no trailing text). */
bool cli_u64(const char *s, uint64_t *out);

/* Parse a finite number; false if s is not one. */
bool cli_number(const char *s, double *out);

/* Today's date (UTC). */
casus_date cli_today(void);

/* ---- the commands (main.c holds the table) ---- */

extern const struct cli_cmd cli_cmd_check, cli_cmd_where, cli_cmd_treaties, cli_cmd_lint,
    cli_cmd_help;
extern const struct cli_cmd cli_cmd_solve;
extern const struct cli_cmd cli_cmd_describe;
extern const struct cli_cmd cli_cmd_sensitivity;
extern const struct cli_cmd cli_cmd_run, cli_cmd_compile;
extern const struct cli_cmd cli_cmd_fit;
extern const struct cli_cmd *const cli_commands[];
extern const int cli_ncommands;

#endif
