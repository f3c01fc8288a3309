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
                   "attacking actor: a code (RUS), an ISO or COW code, a name ('Russia'), or "
                   "'unknown'"),
    CLI_OPT_STRING("victim", "ID", struct check_args, inc.victim,
                   "the attacked state, named as --attacker ('UK', GB, GBR; see 'casus actors')"),
    CLI_OPT_STRING("object", "KIND", struct check_args, inc.object,
                   "what is attacked: territory, forces, vessel or aircraft"),
    CLI_OPT_STRING("at", "PLACE", struct check_args, inc.place,
                   "gazetteer place name (see 'casus where --list'); a name several places "
                   "share ('Hamilton') is the one on the victim's territory"),
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

/* The whole of the file at path, NUL-terminated, in *out (the caller
 * frees it) and its length in *len; CLI_EXIT_OK, or the exit code after a
 * message: 2 when it cannot be opened or read (a directory), 1 when memory
 * runs out.  O(size). */
static int read_file(const struct cli_cmd *cmd, const char *path, char **out, size_t *len)
{
    if (!cli_input_ok(cmd, path))
        return CLI_EXIT_USAGE;
    FILE *f = fopen(path, "rb");
    if (!f) {
        cli_error(cmd, "cannot open '%s': %s", path, strerror(errno));
        return CLI_EXIT_USAGE;
    }
    char chunk[65536];
    size_t n;
    size_t total = 0;
    char *data = NULL;
    size_t cap = 0;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        char *p = data;
        if (total + n + 1 > cap) {
            cap = 2 * (total + n + 1);
            p = realloc(data, cap);
        }
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
    int err = ferror(f) ? errno : 0;
    fclose(f);
    if (err) {
        free(data);
        cli_error(cmd, "cannot read '%s': %s", path, strerror(err));
        return CLI_EXIT_USAGE;
    }
    if (!data)
        data = calloc(1, 1);
    if (!data) {
        cli_error(cmd, "out of memory reading '%s'", path);
        return CLI_EXIT_FAIL;
    }
    data[total] = '\0';
    *out = data;
    *len = total;
    return CLI_EXIT_OK;
}

/* The columns of a batch file (coverage-cases.csv); other columns are
 * allowed and ignored. */
enum {
    COL_CASE,
    COL_ATTACKER,
    COL_VICTIM,
    COL_OBJECT,
    COL_PLACE,
    COL_LAT,
    COL_LON,
    COL_DATE,
    COL_TREATY,
    COL_ARTICLE,
    COL_ATTRIBUTION,
    NCOL
};
static const char *const col_names[NCOL] = {"case",   "attacker", "victim",     "object",
                                            "place",  "lat",      "lon",        "date",
                                            "treaty", "article",  "attribution"};

/* A batch file being checked. */
struct batch {
    const char *path, *text; /* the file and its bytes */
    size_t len;
    struct csv_reader r;
    int nfields;             /* in the header, and so in every row */
    int col[NCOL];           /* field index of each column, or -1 */
    const char *only_treaty; /* --treaty, or NULL */
};

/* Report an error at byte `at` (spanning len bytes) of the batch file. */
static void batch_error(const struct batch *b, size_t at, size_t len, const char *msg)
{
    csv_report(stderr, b->path, b->text, b->len, at, len ? len : 1, msg);
}

/* The text of column c in the current row, or NULL when empty or absent. */
static const char *cell(const struct batch *b, int c)
{
    int i = b->col[c];
    return i >= 0 && i < b->r.nfields && b->r.field[i][0] ? b->r.field[i] : NULL;
}

/* Where column c starts in the current row (the row's start if absent). */
static size_t cell_at(const struct batch *b, int c)
{
    int i = b->col[c];
    return i >= 0 && i < b->r.nfields ? b->r.start[i] : b->r.row_start;
}

/* Read the header row and find the columns; false after a report. */
static bool batch_header(struct batch *b)
{
    int rc = csv_next(&b->r);
    if (rc <= 0) {
        batch_error(b, rc < 0 ? b->r.error_at : 0, 1,
                    rc < 0 ? b->r.error : "empty file: expected a header row");
        return false;
    }
    b->nfields = b->r.nfields;
    for (int c = 0; c < NCOL; c++) {
        b->col[c] = -1;
        for (int i = 0; i < b->r.nfields; i++)
            if (strcmp(b->r.field[i], col_names[c]) == 0)
                b->col[c] = i;
    }
    const int need[] = {COL_VICTIM, COL_OBJECT, COL_DATE};
    for (int k = 0; k < 3; k++)
        if (b->col[need[k]] < 0) {
            char msg[160];
            snprintf(msg, sizeof msg, "missing column '%s' in the header", col_names[need[k]]);
            batch_error(b, b->r.row_start, 1, msg);
            return false;
        }
    if (b->col[COL_PLACE] < 0 && (b->col[COL_LAT] < 0 || b->col[COL_LON] < 0)) {
        batch_error(b, b->r.row_start, 1,
                    "missing column 'place' (or both 'lat' and 'lon') in the header");
        return false;
    }
    return true;
}

/* The incident of the current row in *inc; false after a report.  A row
 * has as many fields as the header. */
static bool batch_incident(const struct batch *b, casus_incident *inc)
{
    const struct csv_reader *r = &b->r;
    char msg[400], q1[CLI_QUOTE_SIZE], q2[CLI_QUOTE_SIZE];
    if (r->nfields != b->nfields) {
        snprintf(msg, sizeof msg, "row has %d fields; the header has %d", r->nfields, b->nfields);
        if (r->nfields > b->nfields)
            batch_error(b, r->start[b->nfields], strlen(r->field[b->nfields]), msg);
        else
            batch_error(b, r->row_end, 1, msg);
        return false;
    }
    memset(inc, 0, sizeof *inc);
    inc->attacker = cell(b, COL_ATTACKER);
    inc->victim = cell(b, COL_VICTIM);
    inc->object = cell(b, COL_OBJECT);
    inc->treaty = b->only_treaty ? b->only_treaty : cell(b, COL_TREATY);
    inc->attribution = cell(b, COL_ATTRIBUTION);
    const char *ds = cell(b, COL_DATE);
    if (!ds || casus_date_parse(ds, strlen(ds), &inc->date) != CASUS_OK) {
        snprintf(msg, sizeof msg, "malformed date '%s' (expected YYYY-MM-DD)",
                 cli_quote(q1, ds ? ds : ""));
        batch_error(b, cell_at(b, COL_DATE), ds ? strlen(ds) : 1, msg);
        return false;
    }
    const char *place = cell(b, COL_PLACE), *la = cell(b, COL_LAT), *lo = cell(b, COL_LON);
    if (place) {
        inc->place = place;
    } else if (la && lo) {
        if (!cli_number(la, &inc->lat) || !cli_number(lo, &inc->lon)) {
            snprintf(msg, sizeof msg, "malformed coordinates '%s', '%s'", cli_quote(q1, la),
                     cli_quote(q2, lo));
            batch_error(b, cell_at(b, COL_LAT), strlen(la), msg);
            return false;
        }
        inc->has_point = true;
    } else {
        batch_error(b, r->row_start, 1, "row has neither a place nor lat and lon");
        return false;
    }
    return true;
}

/* The column of the incident input an error is about, or -1. */
static int input_column(casus_input in)
{
    switch (in) {
    case CASUS_INPUT_ATTACKER: return COL_ATTACKER;
    case CASUS_INPUT_VICTIM: return COL_VICTIM;
    case CASUS_INPUT_OBJECT: return COL_OBJECT;
    case CASUS_INPUT_PLACE: return COL_PLACE;
    case CASUS_INPUT_POINT: return COL_LAT;
    case CASUS_INPUT_DATE: return COL_DATE;
    case CASUS_INPUT_TREATY: return COL_TREATY;
    case CASUS_INPUT_ATTRIBUTION: return COL_ATTRIBUTION;
    default: return -1;
    }
}

/* Check the current row and append its result to out (CSV rows, or a JSON
 * line).  Returns -1 to go on, or the exit code after a report. */
static int batch_row(const struct cli_cmd *cmd, const struct batch *b, casus_engine *e,
                     casus_result *res, bool json, casus_buf *out)
{
    casus_incident inc;
    if (!batch_incident(b, &inc))
        return CLI_EXIT_USAGE;
    casus_status st = casus_check(e, &inc, res);
    if (st != CASUS_OK) {
        /* Point at the field the problem is in. */
        const casus_error *err = casus_result_error_info(res);
        int c = input_column(err->input);
        const char *v = c >= 0 ? cell(b, c) : NULL;
        batch_error(b, c >= 0 ? cell_at(b, c) : b->r.row_start, v ? strlen(v) : 1,
                    casus_result_error(res));
        return st == CASUS_ENOMEM ? CLI_EXIT_FAIL : CLI_EXIT_USAGE;
    }
    const char *id = cell(b, COL_CASE), *article = cell(b, COL_ARTICLE);
    if (json) {
        casus_buf_puts(out, "{\"case\":");
        casus_buf_json_string(out, id);
        casus_buf_puts(out, ",\"result\":");
        st = casus_result_write_json(res, out);
        casus_buf_puts(out, "}\n");
    } else {
        size_t rows = 0;
        st = casus_result_write_csv(res, id, article, out, &rows);
        if (st == CASUS_OK && rows == 0 && article) {
            char msg[400], q[CLI_QUOTE_SIZE];
            snprintf(msg, sizeof msg, "no clause with article '%s' applies to this row",
                     cli_quote(q, article));
            batch_error(b, cell_at(b, COL_ARTICLE), strlen(article), msg);
            return CLI_EXIT_USAGE;
        }
    }
    if (st != CASUS_OK) {
        cli_error(cmd, "%s", casus_status_str(st));
        return CLI_EXIT_FAIL;
    }
    return -1;
}

/* casus check --batch: every row of the file at path, written only when
 * all rows were checked.  O(file size + rows × check). */
static int run_batch(const struct cli_cmd *cmd, casus_engine *e, const char *path, bool json,
                     const char *only_treaty)
{
    char *text = NULL;
    size_t len = 0;
    int code = read_file(cmd, path, &text, &len);
    if (code != CLI_EXIT_OK)
        return code;
    struct batch b = {.path = path, .text = text, .len = len, .only_treaty = only_treaty};
    csv_init(&b.r, path, text, len);
    casus_result *res = NULL;
    casus_buf out = CASUS_BUF_INIT;
    int rc = 0;
    code = -1;
    if (casus_result_new(e, &res) != CASUS_OK) {
        cli_error(cmd, "out of memory");
        code = CLI_EXIT_FAIL;
    } else if (!batch_header(&b)) {
        code = CLI_EXIT_USAGE;
    } else if (!json) {
        casus_buf_printf(&out, "%s\n", casus_result_csv_header());
    }
    while (code < 0 && (rc = csv_next(&b.r)) > 0)
        if (b.r.nfields > 1 || b.r.field[0][0]) /* not a blank line */
            code = batch_row(cmd, &b, e, res, json, &out);
    if (code < 0 && rc < 0) {
        batch_error(&b, b.r.error_at, 1, b.r.error);
        code = CLI_EXIT_USAGE;
    }
    if (code < 0)
        code = cli_write_stdout(cmd, &out);
    casus_buf_release(&out);
    casus_result_free(res);
    csv_release(&b.r);
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
    casus_engine *e = cli_engine(cmd, ca.load.v, ca.load.n, false, &code);
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
        } else {
            code = cli_write_stdout(cmd, &out);
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
    .usage = "casus check [--attacker ID] --victim ID --object KIND (--at PLACE | --lat DEG "
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
        "attribution, the decision). The one-line answer names every reading the verdict\n"
        "hinged on, with its file and line, and warns when the place is not the victim's\n"
        "territory. With no incident, checks the article's case: Russian strike on British\n"
        "trainers at Yavoriv, Ukraine, on 2024-05-20.",
    .opts = check_opts,
    .nopts = CLI_COUNT(check_opts),
    .max_pos = 0,
};
