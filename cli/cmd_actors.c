/*
 * cmd_actors.c — `casus actors`: the actors casus knows, the names they go
 * by (ISO 3166, Correlates of War, English names; data/actors.casus) and
 * the treaties each is a party to on a date.  With a name, that one actor
 * in full (`casus actors UK`).
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

/* What casus actors's options set. */
struct actors_args {
    casus_date date;
    bool json;
    struct cli_list load;
};

static const struct cli_opt actors_opts[] = {
    CLI_OPT_DATE("date", "YYYY-MM-DD", struct actors_args, date,
                 "date of the memberships (default: today, UTC)"),
    CLI_OPT_FLAG("json", struct actors_args, json, "print JSON instead of text"),
    CLI_OPT_LIST("load", "FILE", struct actors_args, load, "also load a casus source"),
};

/* The treaties actor i is a party to on date d, as "id (since D)" or JSON. */
static void memberships(const casus_engine *e, size_t i, casus_date d, bool json, casus_buf *out)
{
    int n = 0;
    for (size_t t = 0; t < casus_engine_treaty_count(e); t++) {
        casus_date from, until;
        if (!casus_engine_party_on(e, t, i, d, &from, &until))
            continue;
        char f[11];
        casus_date_format(from, f);
        if (json) {
            casus_buf_puts(out, n++ ? ",{\"treaty\":" : "{\"treaty\":");
            casus_buf_json_string(out, casus_engine_treaty_id(e, t));
            casus_buf_printf(out, ",\"since\":\"%s\"}", f);
        } else {
            casus_buf_printf(out, "%s%s (since %s)", n++ ? ", " : "", casus_engine_treaty_id(e, t),
                             f);
        }
    }
    if (!json && !n)
        casus_buf_puts(out, "-");
}

static void actor_json(const casus_engine *e, size_t i, casus_date d, casus_buf *out)
{
    casus_actor_info a;
    casus_engine_actor_info(e, i, &a);
    casus_buf_puts(out, "{\"code\":");
    casus_buf_json_string(out, a.code);
    casus_buf_puts(out, ",\"name\":");
    casus_buf_json_string(out, a.name);
    casus_buf_puts(out, ",\"kind\":");
    casus_buf_json_string(out, a.kind);
    casus_buf_puts(out, ",\"iso2\":");
    casus_buf_json_string(out, a.iso2);
    casus_buf_printf(out, ",\"cow\":%d,\"cow_abb\":", a.cow);
    casus_buf_json_string(out, a.cow_abb);
    casus_buf_puts(out, ",\"aliases\":[");
    for (size_t k = 0; k < a.naliases; k++) {
        const char *kind, *src, *text = casus_engine_actor_alias(e, i, k, &kind, &src);
        casus_buf_puts(out, k ? ",{\"alias\":" : "{\"alias\":");
        casus_buf_json_string(out, text);
        casus_buf_puts(out, ",\"kind\":");
        casus_buf_json_string(out, kind);
        casus_buf_puts(out, ",\"source\":");
        casus_buf_json_string(out, src);
        casus_buf_puts(out, "}");
    }
    casus_buf_puts(out, "],\"treaties\":[");
    memberships(e, i, d, true, out);
    casus_buf_puts(out, "]}");
}

/* One actor in full: its aliases with their kinds and sources. */
static void actor_text(const casus_engine *e, size_t i, casus_date d, casus_buf *out)
{
    casus_actor_info a;
    casus_engine_actor_info(e, i, &a);
    casus_buf_printf(out, "%s — %s (%s)\n", a.code, a.name ? a.name : a.code, a.kind);
    for (size_t k = 0; k < a.naliases; k++) {
        const char *kind, *src, *text = casus_engine_actor_alias(e, i, k, &kind, &src);
        casus_buf_printf(out, "  %-8s %s  [%s]\n", kind, text, src ? src : "-");
    }
    char ds[11];
    casus_date_format(d, ds);
    casus_buf_printf(out, "  treaties on %s: ", ds);
    memberships(e, i, d, false, out);
    casus_buf_puts(out, "\n");
}

/* Every actor, one line each. */
static void actors_table(const casus_engine *e, casus_date d, bool json, casus_buf *out)
{
    char ds[11];
    casus_date_format(d, ds);
    if (json)
        casus_buf_puts(out, "[");
    else
        casus_buf_printf(out, "%-8s %-32s %-4s %-9s treaties on %s\n", "code", "name", "iso2",
                         "cow", ds);
    for (size_t i = 0; i < casus_engine_actor_count(e); i++) {
        if (json) {
            casus_buf_puts(out, i ? ",\n" : "");
            actor_json(e, i, d, out);
            continue;
        }
        casus_actor_info a;
        casus_engine_actor_info(e, i, &a);
        char cow[16] = "";
        if (a.cow >= 0)
            snprintf(cow, sizeof cow, "%d %s", a.cow, a.cow_abb ? a.cow_abb : "");
        casus_buf_printf(out, "%-8s %-32.32s %-4s %-9s ", a.code, a.name ? a.name : "",
                         a.iso2 ? a.iso2 : "", cow);
        memberships(e, i, d, false, out);
        casus_buf_puts(out, "\n");
    }
    if (json)
        casus_buf_puts(out, "]\n");
}

static int cmd_actors(const struct cli_cmd *cmd, int argc, char **argv)
{
    struct actors_args aa = {.date = cli_today()};
    struct cli_args a;
    int early = cli_start(cmd, argc, argv, &aa, &a);
    if (early >= 0)
        return early;
    int code = CLI_EXIT_OK;
    casus_engine *e = cli_engine(cmd, aa.load.v, aa.load.n, false, &code);
    if (!e)
        return code;
    casus_buf out = CASUS_BUF_INIT;
    size_t i;
    casus_error err = CASUS_ERROR_INIT;
    if (a.npos == 0) {
        actors_table(e, aa.date, aa.json, &out);
    } else if (casus_engine_find_actor(e, a.pos[0], &i, &err) != CASUS_OK) {
        cli_error(cmd, "%s", err.message);
        code = CLI_EXIT_USAGE;
    } else if (aa.json) {
        actor_json(e, i, aa.date, &out);
        casus_buf_puts(&out, "\n");
    } else {
        actor_text(e, i, aa.date, &out);
    }
    if (code == CLI_EXIT_OK)
        code = cli_write_stdout(cmd, &out);
    casus_buf_release(&out);
    casus_engine_free(e);
    return code;
}

const struct cli_cmd cli_cmd_actors = {
    .name = "actors",
    .fn = cmd_actors,
    .usage = "casus actors [NAME] [--date YYYY-MM-DD] [--json]",
    .summary = "list the actors, their codes and names, and their treaties",
    .description =
        "List every actor casus knows: its code, name, ISO 3166 alpha-2 and Correlates of War\n"
        "codes, and the treaties it is a party to on the date. With NAME (a code, an ISO or COW\n"
        "code, or a name such as 'UK' or 'Russia'), show that actor with every name it goes by\n"
        "and the source of each. Names are read as casus check reads --victim and --attacker.",
    .opts = actors_opts,
    .nopts = CLI_COUNT(actors_opts),
    .max_pos = 1,
};
