/*
 * cmd_where.c — `casus where`: what is at a place or a point — sovereign on
 * a date, land unit, region as treaties read it (and the other reading where
 * the continent is contested), island, named sea and basin, waters
 * (territorial sea, internal waters, high seas) with the coastal state,
 * administration and claims, and whether the point is within the map
 * tolerance of a border, a coast or a median line.
 */
#include "cli.h"

#include <string.h>

/* What casus where's options set. */
struct where_args {
    double lat, lon;
    casus_date date;
    bool json, list;
    struct cli_list load;
};

static const struct cli_opt where_opts[] = {
    CLI_OPT_NUMBER("lat", "DEG", struct where_args, lat, -90, 90, "latitude in degrees north",
                   .what = "latitude"),
    CLI_OPT_NUMBER("lon", "DEG", struct where_args, lon, -180, 180, "longitude in degrees east",
                   .what = "longitude"),
    CLI_OPT_DATE("date", "YYYY-MM-DD", struct where_args, date,
                 "date for the sovereign (default: today, UTC)"),
    CLI_OPT_FLAG("json", struct where_args, json, "print JSON"),
    CLI_OPT_FLAG("list", struct where_args, list, "list the gazetteer's places"),
    CLI_OPT_LIST("load", "FILE", struct where_args, load,
                 "also load a casus source (e.g. sovereignty facts)"),
};

static int cmd_where(const struct cli_cmd *cmd, int argc, char **argv)
{
    struct where_args wa = {.date = cli_today()};
    struct cli_args a;
    int early = cli_start(cmd, argc, argv, &wa, &a);
    if (early >= 0)
        return early;
    bool has_lat = cli_given(cmd, &a, "lat"), has_lon = cli_given(cmd, &a, "lon");
    if (!wa.list && (has_lat != has_lon || (has_lat && a.npos) || (!has_lat && a.npos != 1))) {
        cli_error(cmd, "give one place name, or --lat and --lon");
        fprintf(stderr, "usage: %s\n", cmd->usage);
        return CLI_EXIT_USAGE;
    }
    int code = CLI_EXIT_OK;
    casus_engine *e = cli_engine(cmd, wa.load.v, wa.load.n, false, &code);
    if (!e)
        return code;
    casus_buf out = CASUS_BUF_INIT;
    if (wa.list) {
        for (size_t i = 0; i < casus_engine_place_count(e); i++)
            casus_buf_printf(&out, "%s\n", casus_engine_place_name(e, i));
    } else {
        casus_location loc;
        const char *suggestion = NULL;
        casus_status st = has_lat ? casus_where_point(e, wa.lat, wa.lon, wa.date, &loc)
                                  : casus_where_place(e, a.pos[0], wa.date, &loc, &suggestion);
        if (st == CASUS_ENOTFOUND) {
            char q[CLI_QUOTE_SIZE];
            if (suggestion)
                cli_error(cmd, "unknown place '%s' (did you mean '%s'?)", cli_quote(q, a.pos[0]),
                          suggestion);
            else
                cli_error(cmd, "unknown place '%s' (see 'casus where --list')",
                          cli_quote(q, a.pos[0]));
            code = CLI_EXIT_USAGE;
        } else if (st != CASUS_OK) {
            cli_error(cmd, "%s", casus_status_str(st));
            code = st == CASUS_ENOMEM ? CLI_EXIT_FAIL : CLI_EXIT_USAGE;
        } else {
            st = wa.json ? casus_location_write_json(&loc, &out)
                         : casus_location_write_text(&loc, &out);
            casus_buf_puts(&out, wa.json ? "\n" : "");
        }
    }
    if (code == CLI_EXIT_OK)
        code = cli_write_stdout(cmd, &out);
    casus_buf_release(&out);
    casus_engine_free(e);
    return code;
}

const struct cli_cmd cli_cmd_where = {
    .name = "where",
    .fn = cmd_where,
    .usage = "casus where PLACE [--date YYYY-MM-DD] [--json]\n"
             "       casus where --lat DEG --lon DEG [--date YYYY-MM-DD] [--json]\n"
             "       casus where --list",
    .summary = "what is at a place or point: sovereign, land unit, region, sea, waters",
    .description =
        "Resolve a gazetteer name or coordinates to the sovereign state on the date (dated\n"
        "sovereignty: Algeria was French until 1962-07-03), the land unit (Hawaii, Canary\n"
        "Islands, Kaliningrad…), the region as treaties read it (with the other reading where\n"
        "sources disagree: Cyprus, the Caucasus), whether it is an island, the named sea and\n"
        "its basin, and whether it lies within the map tolerance of a border, coast or median\n"
        "line (near_boundary).  At sea, waters: the territorial sea of the breadth the coastal\n"
        "state claimed on the date, split at the median line, internal waters (Sea of Marmara,\n"
        "juridical and historic bays, contested where protested), or the high seas; a state's\n"
        "territorial sea and internal waters are its territory.  Disputed units (Senkaku,\n"
        "southern Kurils, Golan, Crimea…) show who administers them and who claims them.",
    .opts = where_opts,
    .nopts = CLI_COUNT(where_opts),
    .max_pos = 1,
};
