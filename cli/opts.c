/*
 * opts.c — typed option parsing for the casus subcommands (after git's
 * parse-options): each command declares its options once, with a type, a
 * destination in its own options struct and a range or a list of words,
 * and the same table drives parsing, validation, the messages and --help.
 */
#include "cli.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void cli_error(const struct cli_cmd *cmd, const char *fmt, ...)
{
    va_list ap;
    char small[512], *msg = small;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof small && (msg = malloc((size_t)n + 1)) != NULL) {
        va_start(ap, fmt);
        vsnprintf(msg, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    if (!msg) { /* out of memory: the message cut short */
        msg = small;
        n = (int)strlen(small);
    }
    fprintf(stderr, "casus: %s%s", cmd ? cmd->name : "", cmd ? ": " : "");
    cli_text_write(stderr, msg, n > 0 ? (size_t)n : 0, true);
    fputc('\n', stderr);
    if (msg != small)
        free(msg);
}

/* Index of the option named by the n bytes at name, or -1.  O(nopts). */
static int opt_index(const struct cli_cmd *cmd, const char *name, size_t n)
{
    for (int i = 0; i < cmd->nopts; i++)
        if (strlen(cmd->opts[i].name) == n && memcmp(cmd->opts[i].name, name, n) == 0)
            return i;
    return -1;
}

bool cli_given(const struct cli_cmd *cmd, const struct cli_args *a, const char *name)
{
    int k = opt_index(cmd, name, strlen(name));
    if (k < 0)
        abort(); /* a misspelt option name in the CLI's own code */
    return a->val[k] != NULL;
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
        fprintf(to, "  %-24s %s%s\n", left, o->help, o->type == CLI_LIST ? " (repeatable)" : "");
    }
    fprintf(to, "  %-24s %s\n", "--help", "show this help");
}

/* The largest value of a whole-number type. */
static uint64_t type_max(enum cli_type t)
{
    switch (t) {
    case CLI_UINT: return UINT_MAX;
    case CLI_SIZE: return SIZE_MAX;
    case CLI_INT: return INT_MAX;
    case CLI_BYTES: return SIZE_MAX;
    case CLI_U32S: return UINT32_MAX;
    default: return UINT64_MAX;
    }
}

static uint64_t opt_max(const struct cli_opt *o)
{
    return o->max ? o->max : type_max(o->type);
}

/* What an option's values may be, for messages: "a whole number from 2 to
 * 1073741824", "a number in [-90, 90]", "a number >= 0 or 'inf'", "pure,
 * spe, logit or lcp".  Written to buf (n bytes). */
static void domain(const struct cli_opt *o, char *buf, size_t n)
{
    size_t k = 0;
    buf[0] = '\0';
    if (o->type == CLI_WORD) {
        int nw = 0;
        while (o->words[nw].word)
            nw++;
        for (int i = 0; i < nw && k < n; i++)
            k += (size_t)snprintf(buf + k, n - k, "%s%s",
                                  i == 0        ? ""
                                  : i == nw - 1 ? " or "
                                                : ", ",
                                  o->words[i].word);
    } else if (o->type == CLI_NUMBER) {
        if (isinf(o->hi))
            snprintf(buf, n, "a number %s %g%s", o->open ? ">" : ">=", o->lo,
                     o->inf ? " or 'inf'" : "");
        else if (o->open)
            snprintf(buf, n, "a number strictly between %g and %g", o->lo, o->hi);
        else
            snprintf(buf, n, "a number in [%g, %g]", o->lo, o->hi);
    } else if (o->type == CLI_BYTES) {
        snprintf(buf, n, "a size in bytes or with K, M, G or T (such as 512M or 4G)");
    } else if (o->type == CLI_U32S) {
        snprintf(buf, n, "whole numbers from %llu to %llu separated by commas (at most %d)",
                 (unsigned long long)o->min, (unsigned long long)opt_max(o), CLI_MAX_U32S);
    } else if (opt_max(o) == type_max(o->type)) {
        snprintf(buf, n, "a whole number >= %llu", (unsigned long long)o->min);
    } else {
        snprintf(buf, n, "a whole number from %llu to %llu", (unsigned long long)o->min,
                 (unsigned long long)opt_max(o));
    }
}

/* The message for a value its option does not accept. */
static void bad_value(const struct cli_cmd *cmd, const struct cli_opt *o, const char *v)
{
    char dom[256], q[CLI_QUOTE_SIZE];
    domain(o, dom, sizeof dom);
    v = cli_quote(q, v);
    if (o->type == CLI_DATE)
        cli_error(cmd, "malformed date '%s' (expected a calendar date as YYYY-MM-DD)", v);
    else if (o->type == CLI_WORD)
        cli_error(cmd, "unknown %s '%s' (%s)", o->name, v, dom);
    else if (o->what)
        cli_error(cmd, "%s '%s' is not %s", o->what, v, dom);
    else
        cli_error(cmd, "option '--%s' wants %s, not '%s'", o->name, dom, v);
}

static bool number_in_range(const struct cli_opt *o, double x)
{
    if (o->open)
        return x > o->lo && x < o->hi;
    return x >= o->lo && x <= o->hi;
}

/* Read v, whole numbers in o's range separated by commas, into *l; false
 * when it is not that.  O(length of v). */
static bool read_u32s(const struct cli_opt *o, const char *v, struct cli_u32s *l)
{
    l->n = 0;
    for (;;) {
        char num[24];
        size_t len = strcspn(v, ",");
        uint64_t u;
        if (len >= sizeof num || l->n == CLI_MAX_U32S)
            return false;
        memcpy(num, v, len);
        num[len] = '\0';
        if (!cli_u64(num, &u) || u < o->min || u > opt_max(o))
            return false;
        l->v[l->n++] = (uint32_t)u;
        if (v[len] == '\0')
            return true;
        v += len + 1;
    }
}

/* Read v as option o's type into its field of dest; false (with a message)
 * when v is not a value of that type and range.  O(length of v). */
static bool set_value(const struct cli_cmd *cmd, const struct cli_opt *o, const char *v, void *dest)
{
    void *p = (char *)dest + o->dest;
    uint64_t u;
    double x;
    switch (o->type) {
    case CLI_FLAG: *(bool *)p = true; return true;
    case CLI_STRING: *(const char **)p = v; return true;
    case CLI_LIST: return true; /* stored while parsing */
    case CLI_U64:
    case CLI_UINT:
    case CLI_SIZE:
    case CLI_INT:
        if (!cli_u64(v, &u) || u < o->min || u > opt_max(o))
            break;
        if (o->type == CLI_U64)
            *(uint64_t *)p = u;
        else if (o->type == CLI_UINT)
            *(unsigned *)p = (unsigned)u;
        else if (o->type == CLI_SIZE)
            *(size_t *)p = (size_t)u;
        else
            *(int *)p = (int)u;
        return true;
    case CLI_NUMBER:
        if (o->inf && strcmp(v, "inf") == 0)
            x = INFINITY;
        else if (!cli_number(v, &x) || !number_in_range(o, x))
            break;
        *(double *)p = x;
        return true;
    case CLI_DATE:
        if (casus_date_parse(v, strlen(v), (casus_date *)p) != CASUS_OK)
            break;
        return true;
    case CLI_BYTES:
        if (!cli_bytes(v, (size_t *)p) || *(size_t *)p < o->min || *(size_t *)p > opt_max(o))
            break;
        return true;
    case CLI_U32S:
        if (!read_u32s(o, v, (struct cli_u32s *)p))
            break;
        return true;
    case CLI_WORD:
        for (const struct cli_word *w = o->words; w->word; w++)
            if (strcmp(w->word, v) == 0) {
                *(int *)p = w->value;
                return true;
            }
        break;
    }
    bad_value(cmd, o, v);
    return false;
}

/* Each group of cmd->exclusive has at most one option given; false with a
 * message ("choose one of --json and --csv") otherwise. */
static bool check_exclusive(const struct cli_cmd *cmd, const struct cli_args *a)
{
    for (const char *const *g = cmd->exclusive; g && *g; g++) {
        const char *names[8];
        size_t lens[8];
        int n = 0, given = 0;
        for (const char *s = *g; *s && n < 8;) {
            size_t len = strcspn(s, " ");
            int k = opt_index(cmd, s, len);
            if (k < 0)
                abort(); /* a misspelt option name in the CLI's own table */
            given += a->val[k] != NULL;
            names[n] = s;
            lens[n++] = len;
            s += len + (s[len] == ' ');
        }
        if (given < 2)
            continue;
        char msg[256];
        size_t k = 0;
        for (int i = 0; i < n && k < sizeof msg; i++)
            k += (size_t)snprintf(msg + k, sizeof msg - k, "%s--%.*s",
                                  i == 0       ? ""
                                  : i == n - 1 ? " and "
                                               : ", ",
                                  (int)lens[i], names[i]);
        cli_error(cmd, "choose one of %s", msg);
        return false;
    }
    return true;
}

/* One argument at argv[*i]: a positional one, "--", --help, or an option
 * whose text goes to out->val (and to its list, for CLI_LIST).  Returns 1
 * to go on, 0 after --help, -1 after a usage error (with a message). */
static int parse_arg(const struct cli_cmd *cmd, int argc, char **argv, int *i, void *dest,
                     struct cli_args *out, bool *only_pos)
{
    const char *a = argv[*i];
    if (*only_pos || a[0] != '-' || a[1] == '\0' || (a[1] != '-' && a[1] != 'h')) {
        if (out->npos >= cmd->max_pos || out->npos >= CLI_MAX_POS) {
            char q[CLI_QUOTE_SIZE];
            cli_error(cmd, "unexpected argument '%s'", cli_quote(q, a));
            fprintf(stderr, "usage: %s\n", cmd->usage);
            return -1;
        }
        out->pos[out->npos++] = a;
        return 1;
    }
    if (strcmp(a, "--") == 0) {
        *only_pos = true;
        return 1;
    }
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
        cli_print_help(cmd, stdout);
        return 0;
    }
    const char *name = a + 2, *eq = strchr(name, '=');
    size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
    int k = opt_index(cmd, name, nlen);
    if (k < 0) {
        char q[CLI_QUOTE_SIZE], opt[CLI_QUOTE_MAX * 4 + 8];
        snprintf(opt, sizeof opt, "%.*s",
                 (int)(nlen + 2 < sizeof opt - 1 ? nlen + 2 : sizeof opt - 1), a);
        cli_error(cmd, "unknown option '%s'", cli_quote(q, opt));
        fprintf(stderr, "usage: %s\n(see 'casus %s --help')\n", cmd->usage, cmd->name);
        return -1;
    }
    const struct cli_opt *o = &cmd->opts[k];
    const char *v = "1";
    if (o->type != CLI_FLAG) {
        if (eq)
            v = eq + 1;
        else if (*i + 1 < argc)
            v = argv[++*i];
        else {
            cli_error(cmd, "option '--%s' needs a value (%s)", o->name, o->arg);
            return -1;
        }
    } else if (eq) {
        cli_error(cmd, "option '--%s' takes no value", o->name);
        return -1;
    }
    if (out->val[k] && o->type != CLI_LIST) {
        cli_error(cmd, "option '--%s' given twice", o->name);
        return -1;
    }
    out->val[k] = v;
    if (o->type == CLI_LIST) {
        struct cli_list *l = (struct cli_list *)((char *)dest + o->dest);
        if (l->n == CLI_MAX_REPEAT) {
            cli_error(cmd, "option '--%s' given more than %d times", o->name, CLI_MAX_REPEAT);
            return -1;
        }
        l->v[l->n++] = v;
    }
    return 1;
}

bool cli_parse(const struct cli_cmd *cmd, int argc, char **argv, void *dest, struct cli_args *out,
               bool *done)
{
    memset(out, 0, sizeof *out);
    *done = false;
    if (cmd->nopts > CLI_MAX_OPTS)
        abort(); /* a command table larger than struct cli_args holds */
    bool only_pos = false;
    /* First the words (unknown options, missing values, --help), then the
       values, so that --help anywhere shows help. */
    for (int i = 0; i < argc; i++) {
        int r = parse_arg(cmd, argc, argv, &i, dest, out, &only_pos);
        if (r <= 0) {
            *done = r == 0;
            return r == 0;
        }
    }
    for (int k = 0; k < cmd->nopts; k++)
        if (out->val[k] && !set_value(cmd, &cmd->opts[k], out->val[k], dest))
            return false;
    return check_exclusive(cmd, out);
}

int cli_start(const struct cli_cmd *cmd, int argc, char **argv, void *dest, struct cli_args *out)
{
    bool done;
    if (!cli_parse(cmd, argc, argv, dest, out, &done))
        return CLI_EXIT_USAGE;
    return done ? CLI_EXIT_OK : -1;
}
