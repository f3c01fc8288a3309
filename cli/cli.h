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
#include "text.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Exit codes, the same in every command (docs/exit-codes.md, enforced by
 * tests/exit-codes.sh).  Bad input of any kind — usage, an unknown place, a
 * malformed date, a directory, a file that does not compile — is 2.  Named
 * CLI_EXIT_*: C reserves E[A-Z]* for <errno.h>. */
enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_FAIL = 1,  /* the model or run failed, or an internal error */
    CLI_EXIT_USAGE = 2, /* bad input: usage, arguments, files */
    CLI_EXIT_IO = 4     /* the output could not be written */
};

/* ---- opts.c: options, parsing, --help, messages ---- */

/* Typed options, after git's parse-options: each option says what its
 * value is (its type, and a range or a list of words) and where it goes (a
 * field of the command's own options struct, as an offset).  cli_parse
 * reads and checks every value once, with one message per type, so a
 * command never validates its options by hand; the same table prints
 * --help.  Declare options with the CLI_OPT_* macros below, which also
 * check at compile time that the field has the type's C type. */
enum cli_type {
    CLI_FLAG,   /* bool: true when given */
    CLI_STRING, /* const char *: the text as given */
    CLI_LIST,   /* struct cli_list: every value, in order (repeatable) */
    CLI_U64,    /* uint64_t: a whole number in [min, max] */
    CLI_UINT,   /* unsigned: a whole number in [min, max] */
    CLI_SIZE,   /* size_t: a whole number in [min, max] */
    CLI_INT,    /* int: a whole number in [min, max] */
    CLI_NUMBER, /* double: a finite number in [lo, hi] (open: (lo, hi)) */
    CLI_DATE,   /* casus_date: a calendar date, YYYY-MM-DD */
    CLI_WORD,   /* int: the value of one of .words */
    CLI_BYTES,  /* size_t: bytes, or with K, M, G, T (powers of 1024), in [min, max] */
    CLI_U32S,   /* struct cli_u32s: whole numbers in [min, max] separated by commas */
};

#define CLI_MAX_OPTS   24
#define CLI_MAX_REPEAT 16
#define CLI_MAX_POS    8

/* The values of a repeatable option (CLI_LIST). */
struct cli_list {
    const char *v[CLI_MAX_REPEAT];
    int n;
};

/* The values of a CLI_U32S option ("0,2,1"). */
#define CLI_MAX_U32S 64
struct cli_u32s {
    uint32_t v[CLI_MAX_U32S];
    size_t n;
};

/* A word an option may take (CLI_WORD), and the int it stands for; a
 * table of them ends with {NULL, 0}. */
struct cli_word {
    const char *word;
    int value;
};

/* An option: "--name ARG  help". */
struct cli_opt {
    const char *name; /* without dashes */
    const char *arg;  /* metavariable, or NULL for a flag */
    const char *help;
    enum cli_type type;
    size_t dest;                  /* offset of the value in the command's options struct */
    uint64_t min, max;            /* whole numbers: the range (max 0: the type's largest) */
    double lo, hi;                /* numbers: the range */
    bool open;                    /* numbers: lo and hi themselves are excluded */
    bool inf;                     /* numbers: "inf" is accepted too (+infinity) */
    const char *what;             /* numbers: the noun messages use ("latitude") */
    const struct cli_word *words; /* CLI_WORD: the words */
};

/* The offset of field f of struct T, a compile error unless f is a ctype. */
#define CLI_DEST(T, f, ctype) (offsetof(T, f) + 0 * sizeof(_Generic(((T *)0)->f, ctype : 1)))

/* Option declarations: name, metavariable, destination struct and field,
 * the range or words, then the help text, which may be followed by more
 * designators (.open = true, .inf = true, .what = "latitude"). */
#define CLI_OPT_FLAG(n, T, f, ...)                                                                 \
    {                                                                                              \
        .name = (n), .type = CLI_FLAG, .dest = CLI_DEST(T, f, bool), .help = __VA_ARGS__           \
    }
#define CLI_OPT_STRING(n, a, T, f, ...)                                                            \
    {                                                                                              \
        .name = (n), .arg = (a), .type = CLI_STRING, .dest = CLI_DEST(T, f, const char *),         \
        .help = __VA_ARGS__                                                                        \
    }
#define CLI_OPT_LIST(n, a, T, f, ...)                                                              \
    {                                                                                              \
        .name = (n), .arg = (a), .type = CLI_LIST, .dest = CLI_DEST(T, f, struct cli_list),        \
        .help = __VA_ARGS__                                                                        \
    }
#define CLI_OPT_U64(n, a, T, f, lo_, hi_, ...)                                                     \
    {                                                                                              \
        .name = (n), .arg = (a), .type = CLI_U64, .dest = CLI_DEST(T, f, uint64_t), .min = (lo_),  \
        .max = (hi_), .help = __VA_ARGS__                                                          \
    }
#define CLI_OPT_UINT(n, a, T, f, lo_, hi_, ...)                                                    \
    {                                                                                              \
        .name = (n), .arg = (a), .type = CLI_UINT, .dest = CLI_DEST(T, f, unsigned), .min = (lo_), \
        .max = (hi_), .help = __VA_ARGS__                                                          \
    }
#define CLI_OPT_SIZE(n, a, T, f, lo_, hi_, ...)                                                    \
    {                                                                                              \
        .name = (n), .arg = (a), .type = CLI_SIZE, .dest = CLI_DEST(T, f, size_t), .min = (lo_),   \
        .max = (hi_), .help = __VA_ARGS__                                                          \
    }
#define CLI_OPT_INT(n, a, T, f, lo_, hi_, ...)                                                     \
    {                                                                                              \
        .name = (n), .arg = (a), .type = CLI_INT, .dest = CLI_DEST(T, f, int), .min = (lo_),       \
        .max = (hi_), .help = __VA_ARGS__                                                          \
    }
#define CLI_OPT_NUMBER(n, a, T, f, lo_, hi_, ...)                                                  \
    {                                                                                              \
        .name = (n), .arg = (a), .type = CLI_NUMBER, .dest = CLI_DEST(T, f, double), .lo = (lo_),  \
        .hi = (hi_), .help = __VA_ARGS__                                                           \
    }
#define CLI_OPT_DATE(n, a, T, f, ...)                                                              \
    {                                                                                              \
        .name = (n), .arg = (a), .type = CLI_DATE, .dest = CLI_DEST(T, f, casus_date),             \
        .help = __VA_ARGS__                                                                        \
    }
#define CLI_OPT_WORD(n, a, T, f, w, ...)                                                           \
    {                                                                                              \
        .name = (n), .arg = (a), .type = CLI_WORD, .dest = CLI_DEST(T, f, int), .words = (w),      \
        .help = __VA_ARGS__                                                                        \
    }

#define CLI_OPT_BYTES(n, a, T, f, lo_, ...)                                                        \
    {                                                                                              \
        .name = (n), .arg = (a), .type = CLI_BYTES, .dest = CLI_DEST(T, f, size_t), .min = (lo_),  \
        .help = __VA_ARGS__                                                                        \
    }
#define CLI_OPT_U32S(n, a, T, f, lo_, hi_, ...)                                                    \
    {                                                                                              \
        .name = (n), .arg = (a), .type = CLI_U32S, .dest = CLI_DEST(T, f, struct cli_u32s),        \
        .min = (lo_), .max = (hi_), .help = __VA_ARGS__                                            \
    }

/* What cli_parse leaves besides the values: the positional arguments and
 * the text each option was given (which options were given). */
struct cli_args {
    const char *pos[CLI_MAX_POS]; /* positional arguments */
    int npos;
    const char *val[CLI_MAX_OPTS]; /* by index in cmd->opts: the last text given, or NULL */
};

/* The number of entries of a static array (an option table). */
#define CLI_COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

struct cli_cmd {
    const char *name;
    int (*fn)(const struct cli_cmd *cmd, int argc, char **argv);
    const char *usage;       /* "casus check [options]" */
    const char *summary;     /* one line for `casus help` */
    const char *description; /* paragraph for `casus CMD --help` */
    const struct cli_opt *opts;
    int nopts;
    int max_pos; /* positional arguments accepted */
    /* Options that exclude each other: groups of names separated by
       spaces ("json csv"), the list ended by NULL; NULL for none. */
    const char *const *exclusive;
};

/* Parse argv (after the command name) against cmd->opts, storing each
 * value in the options struct `dest` (whose other fields keep their
 * defaults) and the positional arguments in *out.  Prints "casus: CMD: …"
 * and returns false on a usage error or a value out of its type's range;
 * handles --help by printing help and setting *done. */
bool cli_parse(const struct cli_cmd *cmd, int argc, char **argv, void *dest, struct cli_args *out,
               bool *done);

/* cli_parse for a command's entry: returns -1 to go on, or the exit code
 * to return at once (CLI_EXIT_USAGE after a usage error, CLI_EXIT_OK after
 * --help). */
int cli_start(const struct cli_cmd *cmd, int argc, char **argv, void *dest, struct cli_args *out);

/* Was option `name` given?  (A misspelt name is a programming error.) */
bool cli_given(const struct cli_cmd *cmd, const struct cli_args *a, const char *name);

void cli_print_help(const struct cli_cmd *cmd, FILE *to);

/* "casus: CMD: message" on stderr (cmd NULL: "casus: message"), with
 * control characters and invalid UTF-8 escaped (text.h).  Quote a name or
 * an argument with cli_quote, which also cuts it to 80 characters. */
void cli_error(const struct cli_cmd *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ---- load.c: the engine ---- */

/* Print the engine's diagnostics (file:line:col, source line, caret) to
 * stderr, control characters shown escaped (text.h), and clear them. */
void cli_show_diagnostics(casus_engine *e);

/* May the input file at path be read?  false, with "cannot read 'PATH': Is
 * a directory", for a directory (other failures are the loader's to say). */
bool cli_input_ok(const struct cli_cmd *cmd, const char *path);

/* New engine with the shipped data loaded, plus each --load file, then
 * (when scenarios is set) the shipped scenarios.  Commands that never use
 * a scenario (check, where, treaties) leave them out: checking them is
 * most of the start-up.  On failure prints diagnostics and returns NULL
 * with *code set. */
casus_engine *cli_engine(const struct cli_cmd *cmd, const char *const *load, int nload,
                         bool scenarios, int *code);

/* The shipped scenario `casus run` runs when given nothing else. */
#define CLI_FLAGSHIP "trainers-in-ukraine"

/* For commands that take scenarios: an engine with the shipped data, each
 * --load file, then each positional file (NULL with *code set).  A
 * positional plain word that is not a file (no '/', no ".casus") is a
 * scenario's name instead: `casus run trainers-in-ukraine`. */
casus_engine *cli_scenario_engine(const struct cli_cmd *cmd, const struct cli_list *load,
                                  const struct cli_args *a, int *code);

/* The scenario to use: `scenario` (--scenario, may be NULL) or a
 * positional name, else the one the positional files declare, else the
 * flagship; NULL (message, *code = CLI_EXIT_USAGE) when the files declare
 * none or several, or two are named. */
const char *cli_scenario_name(const struct cli_cmd *cmd, const char *scenario,
                              const struct cli_args *a, const casus_engine *e, int *code);

/* The exit code for a failed run, analysis or game export whose error
 * record is err: 1 when memory ran out or the model failed at a draw
 * (CASUS_INPUT_MODEL), else 2 (bad input: a name, an option, a scenario
 * without a game). */
int cli_error_exit(casus_status st, const casus_error *err);

/* ---- out.c: writing results ---- */

/* Write a buffer to stdout in one go.  Returns the exit code: CLI_EXIT_OK,
 * CLI_EXIT_FAIL when the buffer ran out of memory while it was rendered,
 * CLI_EXIT_IO when it could not be written (with a message each). */
int cli_write_stdout(const struct cli_cmd *cmd, const casus_buf *b);

/* Write a buffer to the file at path, replacing it whole (out.c says how:
 * a new temporary file renamed into place; devices and pipes in place;
 * /dev/stdout through stdout): on failure no partial file is left.
 * Returns the exit code as cli_write_stdout. */
int cli_write_file(const struct cli_cmd *cmd, const char *path, const casus_buf *b);

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

/* Read a whole number: decimal digits only (no sign, no space, nothing
 * after), at most 2^64 - 1; false otherwise. */
bool cli_u64(const char *s, uint64_t *out);

/* Read a decimal number: [+-]digits[.digits][e[+-]digits], nothing else (no
 * hex, space, inf or nan); one too small for a double is read as 0 and -0
 * as 0; false for text that is not one, or too large for a double. */
bool cli_number(const char *s, double *out);

/* Read a size: decimal bytes, or with a K, M, G or T suffix (powers of
 * 1024, optionally followed by B or iB): "512M", "4GiB"; false for 0, for
 * anything else, or more than SIZE_MAX. */
bool cli_bytes(const char *s, size_t *out);

/* Today's date (UTC). */
casus_date cli_today(void);

/* ---- the commands (main.c holds the table) ---- */

extern const struct cli_cmd cli_cmd_check, cli_cmd_where, cli_cmd_treaties, cli_cmd_lint,
    cli_cmd_help, cli_cmd_actors;
extern const struct cli_cmd cli_cmd_solve;
extern const struct cli_cmd cli_cmd_describe;
extern const struct cli_cmd cli_cmd_sensitivity;
extern const struct cli_cmd cli_cmd_run, cli_cmd_compile;
extern const struct cli_cmd cli_cmd_fit;
extern const struct cli_cmd cli_cmd_evidence;
extern const struct cli_cmd *const cli_commands[];
extern const int cli_ncommands;

#endif
