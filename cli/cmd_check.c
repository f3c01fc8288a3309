/*
 * cmd_check.c — `casus check`: does an attack fall within a collective-defence
 * clause, what does the clause oblige, who decides?  One incident from
 * options, or many from a CSV file (--batch).  Output is assembled in memory
 * and written only when everything succeeded, so bad input leaves stdout
 * empty.
 */
#include "cli.h"
#include "csv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* What casus check's options set. */
struct check_args {
    casus_incident inc; /* attacker .. attribution, lat, lon, date */
    bool json;
    const char *batch; /* --batch FILE.csv */
    struct cli_list load;
};

static const struct cli_opt check_opts[] = {
    CLI_OPT_STRING("attacker", "ID", struct check_args, inc.attacker,
                   "attacking actor: ISO 3166 alpha-3 code, organisation, or 'unknown'"),
    CLI_OPT_STRING("victim", "ISO3", struct check_args, inc.victim, "the attacked state"),
    CLI_OPT_STRING("object", "KIND", struct check_args, inc.object,
                   "what is attacked: territory, forces, vessel or aircraft"),
    CLI_OPT_STRING("at", "PLACE", struct check_args, inc.place,
                   "gazetteer place name (see 'casus where --list')"),
    CLI_OPT_NUMBER("lat", "DEG", struct check_args, inc.lat, -90, 90,
                   "latitude in degrees north (with --lon instead of --at)", .what = "latitude"),
    CLI_OPT_NUMBER("lon", "DEG", struct check_args, inc.lon, -180, 180, "longitude in degrees east",
                   .what = "longitude"),
    CLI_OPT_DATE("date", "YYYY-MM-DD", struct check_args, inc.date,
                 "date of the incident (default: today, UTC)"),
    CLI_OPT_STRING("treaty", "ID", struct check_args, inc.treaty,
                   "only this treaty (see 'casus treaties')"),
    CLI_OPT_STRING("attribution", "LEVEL", struct check_args, inc.attribution,
                   "how surely the attack is attributed: certain, likely, disputed"),
    CLI_OPT_FLAG("json", struct check_args, json,
                 "print JSON (docs/check-json.md) instead of text"),
    CLI_OPT_STRING("batch", "FILE.csv", struct check_args, batch,
                   "check every row of a CSV file (columns as in coverage-cases.csv)"),
    CLI_OPT_LIST("load", "FILE", struct check_args, load,
                 "also load a casus source (treaties, facts)"),
};

/* The article's case: an attack on British trainers at Yavoriv, Ukraine, in
 * May 2024 (seed article; the March 2022 Yavoriv strike is the precedent). */
static const casus_incident article_case = {
    "RUS", "GBR", "forces", "Yavoriv", 0, 0, false, 19863 /* 2024-05-20 */, NULL, NULL};

static int read_file(const struct cli_cmd *cmd, const char *path, char **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        cli_error(cmd, "cannot open '%s': %s", path, strerror(errno));
        return CLI_EXIT_USAGE;
    }
    char chunk[65536];
    size_t n;
    size_t total = 0;
    char *data = NULL;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        char *p = realloc(data, total + n + 1);
        if (!p) {
            free(data);
            fclose(f);
            cli_error(cmd, "out of memory reading '%s'", path);
            return CLI_EXIT_FAIL;
        }
        data = p;
        memcpy(data + total, chunk, n);
        total += n;
    }
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        free(data);
        cli_error(cmd, "cannot read '%s'", path);
        return CLI_EXIT_IO;
    }
    if (!data)
        data = calloc(1, 1);
    if (!data)
        return CLI_EXIT_FAIL;
    data[total] = '\0';
    *out = data;
    *len = total;
    return CLI_EXIT_OK;
}

static int column(const struct csv_reader *r, const char *name)
{
    for (int i = 0; i < r->nfields; i++)
        if (strcmp(r->field[i], name) == 0)
            return i;
    return -1;
}

static const char *cell(const struct csv_reader *r, int col)
{
    return col >= 0 && col < r->nfields && r->field[col][0] ? r->field[col] : NULL;
}

static int run_batch(const struct cli_cmd *cmd, casus_engine *e, const char *path, bool json,
                     const char *only_treaty)
{
    char *text = NULL;
    size_t len = 0;
    int code = read_file(cmd, path, &text, &len);
    if (code != CLI_EXIT_OK)
        return code;
    struct csv_reader r;
    csv_init(&r, path, text, len);
    casus_result *res = NULL;
    casus_buf out = CASUS_BUF_INIT;
    code = CLI_EXIT_OK;
    if (casus_result_new(e, &res) != CASUS_OK) {
        cli_error(cmd, "out of memory");
        code = CLI_EXIT_FAIL;
        goto done;
    }
    int rc = csv_next(&r);
    if (rc <= 0) {
        csv_report(stderr, path, text, len, rc < 0 ? r.error_at : 0, 1,
                   rc < 0 ? r.error : "empty file: expected a header row");
        code = CLI_EXIT_USAGE;
        goto done;
    }
    int c_case = column(&r, "case"), c_att = column(&r, "attacker"), c_vic = column(&r, "victim"),
        c_obj = column(&r, "object"), c_place = column(&r, "place"), c_lat = column(&r, "lat"),
        c_lon = column(&r, "lon"), c_date = column(&r, "date"), c_treaty = column(&r, "treaty"),
        c_art = column(&r, "article"), c_attr = column(&r, "attribution");
    const char *need[] = {"victim", "object", "date"};
    const int needc[] = {c_vic, c_obj, c_date};
    for (int i = 0; i < 3; i++)
        if (needc[i] < 0) {
            char msg[160];
            snprintf(msg, sizeof msg, "missing column '%s' in the header", need[i]);
            csv_report(stderr, path, text, len, r.row_start, 1, msg);
            code = CLI_EXIT_USAGE;
            goto done;
        }
    if (c_place < 0 && (c_lat < 0 || c_lon < 0)) {
        csv_report(stderr, path, text, len, r.row_start, 1,
                   "missing column 'place' (or both 'lat' and 'lon') in the header");
        code = CLI_EXIT_USAGE;
        goto done;
    }
    if (!json)
        casus_buf_printf(&out, "%s\n", casus_result_csv_header());
    while ((rc = csv_next(&r)) > 0) {
        if (r.nfields == 1 && !r.field[0][0])
            continue; /* blank line */
        casus_incident inc;
        memset(&inc, 0, sizeof inc);
        char msg[400];
        size_t at = r.row_start;
        inc.attacker = cell(&r, c_att);
        inc.victim = cell(&r, c_vic);
        inc.object = cell(&r, c_obj);
        inc.treaty = only_treaty ? only_treaty : cell(&r, c_treaty);
        inc.attribution = cell(&r, c_attr);
        const char *ds = cell(&r, c_date);
        if (!ds || casus_date_parse(ds, strlen(ds), &inc.date) != CASUS_OK) {
            snprintf(msg, sizeof msg, "malformed date '%s' (expected YYYY-MM-DD)", ds ? ds : "");
            csv_report(stderr, path, text, len, c_date < r.nfields ? r.start[c_date] : at,
                       ds ? strlen(ds) : 1, msg);
            code = CLI_EXIT_USAGE;
            goto done;
        }
        const char *place = cell(&r, c_place), *la = cell(&r, c_lat), *lo = cell(&r, c_lon);
        if (place) {
            inc.place = place;
        } else if (la && lo) {
            if (!cli_number(la, &inc.lat) || !cli_number(lo, &inc.lon)) {
                snprintf(msg, sizeof msg, "malformed coordinates '%s', '%s'", la, lo);
                csv_report(stderr, path, text, len, r.start[c_lat], strlen(la), msg);
                code = CLI_EXIT_USAGE;
                goto done;
            }
            inc.has_point = true;
        } else {
            csv_report(stderr, path, text, len, at, 1, "row has neither a place nor lat and lon");
            code = CLI_EXIT_USAGE;
            goto done;
        }
        casus_status st = casus_check(e, &inc, res);
        if (st != CASUS_OK) {
            /* Point at the field the problem is in. */
            const char *err = casus_result_error(res);
            int col = strstr(err, "place")         ? c_place
                      : strstr(err, "victim")      ? c_vic
                      : strstr(err, "attacker")    ? c_att
                      : strstr(err, "object")      ? c_obj
                      : strstr(err, "treaty")      ? c_treaty
                      : strstr(err, "attribution") ? c_attr
                      : strstr(err, "coordinates") ? c_lat
                                                   : -1;
            size_t where = col >= 0 && col < r.nfields ? r.start[col] : at;
            size_t wlen = col >= 0 && col < r.nfields ? strlen(r.field[col]) : 1;
            csv_report(stderr, path, text, len, where, wlen ? wlen : 1, err);
            code = st == CASUS_ENOMEM ? CLI_EXIT_FAIL : CLI_EXIT_USAGE;
            goto done;
        }
        const char *id = cell(&r, c_case);
        const char *article = cell(&r, c_art);
        if (json) {
            casus_buf_puts(&out, "{\"case\":");
            casus_buf_json_string(&out, id);
            casus_buf_puts(&out, ",\"result\":");
            st = casus_result_write_json(res, &out);
            casus_buf_puts(&out, "}\n");
        } else {
            size_t rows = 0;
            st = casus_result_write_csv(res, id, article, &out, &rows);
            if (st == CASUS_OK && rows == 0 && article) {
                snprintf(msg, sizeof msg, "no clause with article '%s' applies to this row",
                         article);
                csv_report(stderr, path, text, len, r.start[c_art], strlen(article), msg);
                code = CLI_EXIT_USAGE;
                goto done;
            }
        }
        if (st != CASUS_OK) {
            cli_error(cmd, "%s", casus_status_str(st));
            code = CLI_EXIT_FAIL;
            goto done;
        }
    }
    if (rc < 0) {
        csv_report(stderr, path, text, len, r.error_at, 1, r.error);
        code = CLI_EXIT_USAGE;
        goto done;
    }
    if (!cli_write_stdout(cmd, &out))
        code = CLI_EXIT_IO;
done:
    casus_buf_release(&out);
    casus_result_free(res);
    csv_release(&r);
    free(text);
    return code;
}

/* The incident from the options: complete (with an unknown attacker if
 * none is named) or, when none is given, the article's case.  Returns -1 to
 * go on, or the exit code after a message. */
static int read_incident(const struct cli_cmd *cmd, const struct cli_args *a, struct check_args *ca)
{
    casus_incident *inc = &ca->inc;
    bool has_lat = cli_given(cmd, a, "lat"), has_lon = cli_given(cmd, a, "lon");
    bool has_date = cli_given(cmd, a, "date");
    if (has_lat != has_lon) {
        cli_error(cmd, "give both --lat and --lon");
        return CLI_EXIT_USAGE;
    }
    if (has_lat) {
        if (inc->place) {
            cli_error(cmd, "give either --at or --lat/--lon, not both");
            return CLI_EXIT_USAGE;
        }
        inc->has_point = true;
    }
    bool any = inc->attacker || inc->victim || inc->object || inc->place || inc->has_point;
    if (ca->batch && any) {
        cli_error(cmd, "--batch takes the incidents from the file; drop the incident options");
        return CLI_EXIT_USAGE;
    }
    if (!ca->batch && !any) {
        casus_date keep = inc->date;
        const char *t = inc->treaty, *at = inc->attribution;
        *inc = article_case;
        if (has_date)
            inc->date = keep;
        inc->treaty = t;
        inc->attribution = at;
        fprintf(stderr,
                "casus: check: no incident given; checking the article's case "
                "(--attacker RUS --victim GBR --object forces --at Yavoriv%s)\n",
                has_date ? "" : " --date 2024-05-20");
    } else if (!ca->batch) {
        if (!inc->victim || !inc->object || (!inc->place && !inc->has_point)) {
            cli_error(cmd, "an incident needs --victim, --object and --at (or --lat/--lon)");
            fprintf(stderr, "usage: %s\n", cmd->usage);
            return CLI_EXIT_USAGE;
        }
        if (!inc->attacker)
            inc->attacker = "unknown";
    }
    return -1;
}

static int cmd_check(const struct cli_cmd *cmd, int argc, char **argv)
{
    struct check_args ca = {.inc = {.date = cli_today()}};
    struct cli_args a;
    int early = cli_start(cmd, argc, argv, &ca, &a);
    if (early >= 0)
        return early;
    int code = read_incident(cmd, &a, &ca);
    if (code >= 0)
        return code;
    casus_incident inc = ca.inc;
    bool json = ca.json;
    const char *batch = ca.batch;
    code = CLI_EXIT_OK;
    casus_engine *e = cli_engine(cmd, ca.load.v, ca.load.n, &code);
    if (!e)
        return code;
    if (batch) {
        code = run_batch(cmd, e, batch, json, inc.treaty);
        casus_engine_free(e);
        return code;
    }
    casus_result *r = NULL;
    if (casus_result_new(e, &r) != CASUS_OK) {
        casus_engine_free(e);
        cli_error(cmd, "out of memory");
        return CLI_EXIT_FAIL;
    }
    casus_status st = casus_check(e, &inc, r);
    casus_buf out = CASUS_BUF_INIT;
    if (st != CASUS_OK) {
        cli_error(cmd, "%s", casus_result_error(r));
        code = st == CASUS_ENOMEM ? CLI_EXIT_FAIL : CLI_EXIT_USAGE;
    } else {
        st = json ? casus_result_write_json(r, &out) : casus_result_write_text(r, &out);
        if (json)
            casus_buf_puts(&out, "\n");
        if (st != CASUS_OK) {
            cli_error(cmd, "%s", casus_status_str(st));
            code = CLI_EXIT_FAIL;
        } else if (!cli_write_stdout(cmd, &out)) {
            code = CLI_EXIT_IO;
        }
    }
    casus_buf_release(&out);
    casus_result_free(r);
    casus_engine_free(e);
    return code;
}

const struct cli_cmd cli_cmd_check = {
    .name = "check",
    .fn = cmd_check,
    .usage = "casus check [--attacker ID] --victim ISO3 --object KIND (--at PLACE | --lat DEG "
             "--lon DEG) "
             "[--date YYYY-MM-DD] [--treaty ID] [--json]\n"
             "       casus check --batch FILE.csv [--json]",
    .summary = "does an attack fall within a collective-defence clause?",
    .description =
        "For each treaty the victim is party to on the date, say whether the attack falls within\n"
        "the clause (covered / not covered / contested), what the clause obliges and how "
        "strongly,\n"
        "who decides and by what rule, and the chain of rules applied, each citing its article.\n"
        "Covered is not triggered: the trace lists what scope does not settle (armed attack,\n"
        "attribution, the decision). With no incident, checks the article's case: Russian strike\n"
        "on British trainers at Yavoriv, Ukraine, on 2024-05-20.",
    .opts = check_opts,
    .nopts = CLI_COUNT(check_opts),
    .max_pos = 0,
};
