/*
 * casus.h — the public API of libcasus, the engine that makes alliance
 * commitments and crisis escalation computable.
 *
 * A front end (the `casus` CLI, a user's program) includes this header, and
 * the one of each larger part it uses (casus/solve.h for games, casus/run.h
 * for scenario runs, casus/sens.h for sensitivity).  Every handle is opaque; every function returns
 * a casus_status (0 = CASUS_OK) or a value documented on it, and none of them prints, exits or
 * aborts.  Problems with user input (a treaty file that does not parse, an unknown place name) are
 * recorded as diagnostics on the engine and can be rendered as text (`file:line:col`, source line,
 * caret) or walked one by one.
 *
 * Ownership: objects made by a *_new function are freed by the matching
 * *_free; strings returned by accessors are borrowed from the object they
 * came from and stay valid until that object is changed or freed.
 *
 * Thread safety: an engine is immutable once loaded, so several threads may
 * run casus_check() on one engine at the same time, each with its own
 * casus_result.  Loading sources is not thread-safe.
 */
#ifndef CASUS_CASUS_H
#define CASUS_CASUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define CASUS_API __attribute__((visibility("default")))
#else
#define CASUS_API
#endif

#define CASUS_VERSION "0.1.0"

/* Status codes.  Stable: front ends map them to exit codes. */
typedef enum casus_status {
    CASUS_OK = 0,
    CASUS_ENOMEM,    /* an allocation failed */
    CASUS_EINVAL,    /* an argument is malformed (bad date, lat out of range) */
    CASUS_ECOMPILE,  /* a casus source did not compile; see diagnostics */
    CASUS_ENOTFOUND, /* a name (place, actor, treaty) is not known */
    CASUS_ELIMIT,    /* an input exceeds a hard limit (size, depth, count) */
    CASUS_EIO,       /* reading or writing failed */
    CASUS_ESTATE,    /* the call does not fit the object's state */
    CASUS_ENOCONV    /* a numerical method did not converge; see diagnostics */
} casus_status;

/* A short lowercase description of a status ("out of memory"). */
CASUS_API const char *casus_status_str(casus_status st);

/* Which input an error is about, so that a caller can point at it (a
 * command-line option, a field of a form, a span in a scenario file). */
typedef enum casus_input {
    CASUS_INPUT_NONE,     /* not tied to one input */
    CASUS_INPUT_ATTACKER, /* incident fields (casus_check) */
    CASUS_INPUT_VICTIM,
    CASUS_INPUT_OBJECT,
    CASUS_INPUT_PLACE,
    CASUS_INPUT_POINT, /* lat/lon */
    CASUS_INPUT_DATE,
    CASUS_INPUT_TREATY,
    CASUS_INPUT_ATTRIBUTION,
    CASUS_INPUT_SCENARIO, /* runs and analyses */
    CASUS_INPUT_POLICY,
    CASUS_INPUT_PARAMETER,
    CASUS_INPUT_OUTPUT, /* the quantity analysed */
    CASUS_INPUT_OPTION, /* another option of the call */
    CASUS_INPUT_MODEL   /* the model itself (a draw it cannot evaluate) */
} casus_input;

/* The error record of the calls that do not report through the engine's
 * diagnostics (a verdict, a run, a sensitivity analysis): one way to say
 * what went wrong.  `code` is stable (scripts and tests may match it), the
 * message is for people: one line, lowercase start, no final period. */
typedef struct casus_error {
    casus_status status; /* CASUS_OK when nothing failed */
    const char *code;    /* "unknown-actor", "unknown-place", "bad-draw", …; NULL if OK */
    casus_input input;   /* which input it is about */
    char message[2048];  /* "" when OK; truncated (never overflowed) if longer */
} casus_error;
#define CASUS_ERROR_INIT                                                                           \
    {                                                                                              \
        CASUS_OK, NULL, CASUS_INPUT_NONE, ""                                                       \
    }

/* Allocator hook, with Lua's lua_Alloc contract: nsize == 0 frees ptr and
 * returns NULL; otherwise behaves like realloc(ptr, nsize).  osize is the
 * old block size (0 for a new block).  Tests inject failures through it. */
typedef void *(*casus_alloc_fn)(void *ud, void *ptr, size_t osize, size_t nsize);

/* ------------------------------------------------------------------ */
/* Growable text buffer, used for every rendered output.              */

typedef struct casus_buf {
    char *data;  /* NUL-terminated once any text was added */
    size_t len;  /* bytes used, excluding the NUL */
    size_t cap;  /* bytes allocated */
    bool failed; /* set once an append ran out of memory */
} casus_buf;
#define CASUS_BUF_INIT                                                                             \
    {                                                                                              \
        NULL, 0, 0, false                                                                          \
    }

/* Release the buffer's memory (plain free(); buffers use malloc). */
CASUS_API void casus_buf_release(casus_buf *b);

/* Append bytes, a C string, or printf-formatted text.  On allocation
 * failure the buffer sets `failed` and ignores further appends. */
CASUS_API void casus_buf_append(casus_buf *b, const char *s, size_t len);
CASUS_API void casus_buf_puts(casus_buf *b, const char *s);
CASUS_API void casus_buf_printf(casus_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Append s as a JSON string literal, escaped; NULL appends null. */
CASUS_API void casus_buf_json_string(casus_buf *b, const char *s);

/* ------------------------------------------------------------------ */
/* The engine: loaded treaties, actors, memberships and geography.     */

typedef struct casus_engine casus_engine;

/* Create an empty engine.  alloc may be NULL (malloc/realloc/free).
 * Returns CASUS_ENOMEM if even the engine cannot be allocated. */
CASUS_API casus_status casus_engine_new(casus_engine **out, casus_alloc_fn alloc, void *ud);

/* Free an engine and everything it owns.  NULL is a no-op. */
CASUS_API void casus_engine_free(casus_engine *e);

/* Load the sources shipped inside libcasus: world facts (actors, memberships,
 * sovereignty history, regions), the gazetteer and every treaty in
 * treaties/.  Idempotent per engine.  CASUS_ECOMPILE would mean a broken
 * build; diagnostics say where. */
CASUS_API casus_status casus_engine_load_builtin(casus_engine *e);

/* Load the scenarios shipped inside libcasus (scenarios/NAME.casus, e.g.
 * the flagship trainers-in-ukraine), after casus_engine_load_builtin and
 * after any files of one's own: a shipped scenario is skipped when a file
 * loaded before declares a scenario of the same name — so a copy of the
 * flagship with other judgments (and its own sources and ladder) replaces
 * it.  A shipped scenario that clashes with one's own declarations (a
 * source or ladder of the same name) is left out with a warning
 * diagnostic.  CASUS_ESTATE before casus_engine_load_builtin;
 * CASUS_ENOMEM. */
CASUS_API casus_status casus_engine_load_shipped_scenarios(casus_engine *e);

/* Compile one casus source (facts, treaties, ladders, scenarios) into the engine.
 * name is used in diagnostics; text need not be NUL-terminated.  On
 * CASUS_ECOMPILE nothing from this source is added to the engine and the
 * diagnostics say why.  The text is copied. */
CASUS_API casus_status casus_engine_load_source(casus_engine *e, const char *name, const char *text,
                                                size_t len);

/* Load a file from disk; CASUS_EIO if it cannot be read (a diagnostic names
 * the file and the OS error). */
CASUS_API casus_status casus_engine_load_file(casus_engine *e, const char *path);

/* Diagnostics recorded so far (errors and warnings), rendered as
 * `file:line:col: error: msg`, the source line and a caret, one after the
 * other.  Appends to out. */
CASUS_API casus_status casus_engine_render_diagnostics(const casus_engine *e, casus_buf *out);

/* Diagnostics as a JSON array of {file,line,col,end_line,end_col,severity,
 * code,message,notes}. */
CASUS_API casus_status casus_engine_diagnostics_json(const casus_engine *e, casus_buf *out);

/* Number of error-severity diagnostics recorded. */
CASUS_API size_t casus_engine_error_count(const casus_engine *e);

/* Forget recorded diagnostics (after a front end has shown them). */
CASUS_API void casus_engine_clear_diagnostics(casus_engine *e);

/* ------------------------------------------------------------------ */
/* Dates: days since 1970-01-01 (proleptic Gregorian).                 */

typedef int32_t casus_date;

/* Parse exactly "YYYY-MM-DD" (a real calendar date, years 1000..9999).
 * CASUS_EINVAL otherwise. */
CASUS_API casus_status casus_date_parse(const char *s, size_t len, casus_date *out);

/* Write "YYYY-MM-DD" into buf (at least 11 bytes). */
CASUS_API void casus_date_format(casus_date d, char buf[11]);

/* ------------------------------------------------------------------ */
/* Geography: where is a point, or a named place?                      */

/* Where a point or place is, on a date (casus_where_point, casus_where_place). */
typedef struct casus_location {
    double lat, lon;          /* the point looked up (place: gazetteer coords) */
    const char *place;        /* gazetteer name, or NULL for coordinates */
    const char *sovereign;    /* ISO 3166 alpha-3 (historic codes allowed) of
                                 the state whose territory it is on the date,
                                 or NULL at sea / terra nullius */
    const char *de_facto;     /* administering state when it differs from the
                                 sovereign (Crimea since 2014), else NULL */
    const char *unit;         /* land unit code (e.g. "USH" Hawaii), or NULL */
    const char *unit_name;    /* human name of the unit */
    const char *region;       /* continent as treaties read it: "europe",
                                 "north_america", "asia", "africa",
                                 "south_america", "oceania", "antarctica", or
                                 NULL at sea */
    bool island;              /* the land unit is (on) an island */
    const char *sea;          /* named sea area (NE 1:10m), or NULL on land */
    const char *basin;        /* ocean basin of that sea, e.g.
                                 "mediterranean", "north_atlantic" */
    const char *island_basin; /* for islands: basin the island lies in */
    bool near_boundary;       /* within the map tolerance of a border/coast */
    double boundary_km;       /* distance to the nearest land border or coast */
    const char *note;         /* sourced remark (e.g. why a gazetteer entry
                                 overrides the polygon), or NULL */
    /* Waters (NULL on land): "territorial_sea", "internal" or "high_seas".
     * A point in a state's territorial sea or internal waters is that
     * state's territory: sovereign is that state, and unit/region describe
     * its nearest land.  Breadths by state and date, internal waters and
     * sources: data/geo/ (docs/geo-format.md). */
    const char *waters;
    const char *coastal_state; /* state whose waters they are, or NULL */
    const char *waters_zone;   /* named internal waters ("Sea of Marmara") */
    bool waters_contested;     /* a claim others protest (historic bays) */
    double territorial_sea_nm; /* breadth applied, 0 if not territorial sea */
    const char *waters_source; /* source of that breadth or zone */
    /* Continent where sources disagree: the other reading ("europe" for
     * Cyprus, whose region is "asia"), with both readings cited; NULL if
     * the continent is not contested. */
    const char *region_alt;
    const char *region_source;
    /* Dated administration and claims: who administers the place on the
     * date and who else claims it (comma-separated, "TWN,CHN"), with the
     * source.  From the record of data/world.casus that applies (the one
     * verdicts read), else from the geography's table of disputed units
     * (data/geo/areas.csv); NULL where neither has a row. */
    const char *administered_by;
    const char *claimed_by;
    const char *area_source;
} casus_location;

/* Resolve coordinates on a date (sovereignty changes over time).
 * CASUS_EINVAL if lat/lon are out of range or not finite. */
CASUS_API casus_status casus_where_point(const casus_engine *e, double lat, double lon,
                                         casus_date date, casus_location *out);

/* Resolve a gazetteer name (case-, accent- and punctuation-insensitive, with
 * aliases: "Kiev" finds Kyiv, "Rzeszow" finds Rzeszów).  CASUS_ENOTFOUND
 * if unknown; then *suggestion (if not NULL) is set to the nearest name or NULL. */
CASUS_API casus_status casus_where_place(const casus_engine *e, const char *name, casus_date date,
                                         casus_location *out, const char **suggestion);

/* Number of gazetteer places and the name of place i (for listings). */
CASUS_API size_t casus_engine_place_count(const casus_engine *e);
CASUS_API const char *casus_engine_place_name(const casus_engine *e, size_t i);

/* Render a location for people (one paragraph) or as a JSON object. */
CASUS_API casus_status casus_location_write_text(const casus_location *loc, casus_buf *out);
CASUS_API casus_status casus_location_write_json(const casus_location *loc, casus_buf *out);

/* ------------------------------------------------------------------ */
/* Treaty verdicts: does this attack fall within a collective-defence   */
/* clause, what does it oblige, who decides?                            */

typedef struct casus_incident {
    const char *attacker; /* actor id or "unknown" */
    const char *victim;   /* ISO alpha-3 of the attacked state */
    const char *object;   /* "territory", "forces", "vessel", "aircraft" */
    const char *place;    /* gazetteer name, or NULL when has_point */
    double lat, lon;      /* used when has_point */
    bool has_point;
    casus_date date;
    const char *treaty;      /* restrict to one treaty id, or NULL for all */
    const char *attribution; /* "certain", "likely", "disputed" or NULL */
} casus_incident;

typedef enum casus_coverage {
    CASUS_COVERED_NO = 0,
    CASUS_COVERED_YES,
    CASUS_COVERED_CONTESTED
} casus_coverage;

typedef struct casus_result casus_result;

/* A reusable result.  casus_check() clears and refills it, so a batch loop
 * allocates nothing per incident once the result has grown. */
CASUS_API casus_status casus_result_new(const casus_engine *e, casus_result **out);
CASUS_API void casus_result_free(casus_result *r);

/* Evaluate an incident against every loaded treaty the victim is a party to
 * on the date (or only incident->treaty).  CASUS_ENOTFOUND for an unknown
 * place, actor, treaty or object (the result's error text says which, with a
 * suggestion); CASUS_EINVAL for bad coordinates.  Thread-safe with respect to
 * the engine. */
CASUS_API casus_status casus_check(const casus_engine *e, const casus_incident *inc,
                                   casus_result *r);

/* After a failed casus_check: a one-line message, e.g.
 * "unknown place 'Kyev' (did you mean 'Kyiv'?)". */
CASUS_API const char *casus_result_error(const casus_result *r);

/* After a failed casus_check: the whole error record (code, which input
 * of the incident, message); status CASUS_OK after a success. */
CASUS_API const casus_error *casus_result_error_info(const casus_result *r);

/* Number of verdicts (one per treaty clause that applies). */
CASUS_API size_t casus_result_count(const casus_result *r);

/* Accessors for verdict i < casus_result_count(r). */
typedef struct casus_verdict_info {
    const char *treaty; /* short id, e.g. "north-atlantic" */
    const char *treaty_title;
    const char *article; /* e.g. "5" */
    casus_coverage covered;
    bool automatic;              /* does the clause oblige aid without a
                                    further decision? */
    const char *obligation;      /* "automatic", "own_judgment",
                                    "constitutional", "consultation" */
    const char *obligation_text; /* the quoted words that set the strength */
    const char *decided_by;      /* e.g. "each party; collective measures by the
                                    North Atlantic Council by consensus" */
    const char *rule;            /* decision rule id: "consensus", "two_thirds", … */
    size_t nreasons;
    size_t ntrace;
} casus_verdict_info;

CASUS_API casus_status casus_result_verdict(const casus_result *r, size_t i,
                                            casus_verdict_info *out);
CASUS_API const char *casus_result_reason(const casus_result *r, size_t i, size_t k);
CASUS_API const char *casus_result_trace(const casus_result *r, size_t i, size_t k);

/* The resolved location of the incident. */
CASUS_API const casus_location *casus_result_location(const casus_result *r);

/* Render the whole result for people: per treaty the verdict, obligation,
 * who decides, the trace with citations, and a closing one-line answer. */
CASUS_API casus_status casus_result_write_text(const casus_result *r, casus_buf *out);

/* Render as one JSON object (schema in docs/check-json.md); no trailing
 * newline. */
CASUS_API casus_status casus_result_write_json(const casus_result *r, casus_buf *out);

/* Render as CSV rows (one per verdict, or only those of `article` when not
 * NULL) with the given case id in the first column; casus_result_csv_header()
 * gives the matching header line.  *rows (optional) receives the count. */
CASUS_API casus_status casus_result_write_csv(const casus_result *r, const char *case_id,
                                              const char *article, casus_buf *out, size_t *rows);
CASUS_API const char *casus_result_csv_header(void);

/* ------------------------------------------------------------------ */
/* Introspection for front ends (help text, listings).                 */

/* Actors (data/world.casus) with the aliases they go by
 * (data/actors.casus): ISO 3166 alpha-2/alpha-3, Correlates of War codes,
 * English short and common names. */
typedef struct casus_actor_info {
    const char *code;    /* "GBR" */
    const char *name;    /* "United Kingdom" */
    const char *kind;    /* "state", "organization" or "historic" */
    const char *iso2;    /* "GB", or NULL */
    const char *cow_abb; /* Correlates of War letter code "UKG", or NULL */
    int cow;             /* Correlates of War number (200), or -1 */
    size_t naliases;
} casus_actor_info;

CASUS_API size_t casus_engine_actor_count(const casus_engine *e);
CASUS_API casus_status casus_engine_actor_info(const casus_engine *e, size_t i,
                                               casus_actor_info *out);
/* Alias k < naliases of actor i, with its kind ("iso2", "iso3", "cow",
 * "cow_abb", "name") and the id of its source (either may be NULL). */
CASUS_API const char *casus_engine_actor_alias(const casus_engine *e, size_t i, size_t k,
                                               const char **kind, const char **source);

/* Read a name as an actor, as casus_check does for --victim and
 * --attacker: an exact code, else an alias ("UK", "GB", "Russia", "U.S.",
 * "200").  CASUS_ENOTFOUND with err filled ("ambiguous-actor" listing the
 * candidates, or "unknown-actor" with a suggestion) otherwise. */
CASUS_API casus_status casus_engine_find_actor(const casus_engine *e, const char *name,
                                               size_t *index, casus_error *err);

/* Is actor i a party to treaty t on date d?  *from and *until (optional)
 * get that membership's dates (until: the first day it is no longer a
 * party; INT32_MAX when open). */
CASUS_API bool casus_engine_party_on(const casus_engine *e, size_t t, size_t i, casus_date d,
                                     casus_date *from, casus_date *until);

/* Number of loaded treaties and their ids / titles. */
CASUS_API size_t casus_engine_treaty_count(const casus_engine *e);
CASUS_API const char *casus_engine_treaty_id(const casus_engine *e, size_t i);
CASUS_API const char *casus_engine_treaty_title(const casus_engine *e, size_t i);

/* Number of loaded scenarios and the name of scenario i. */
CASUS_API size_t casus_engine_scenario_count(const casus_engine *e);
CASUS_API const char *casus_engine_scenario_name(const casus_engine *e, size_t i);
/* The file (as named when loaded) that declares scenario i; builtin ones
 * carry their path inside the library, e.g. "scenarios/….casus". */
CASUS_API const char *casus_engine_scenario_file(const casus_engine *e, size_t i);

/* Describe scenario `name` for people: date, ladder (with its mapping onto
 * Kahn's rungs and its thresholds), every parameter with its distribution,
 * support and label (the cited source of a fact, or the rationale of a
 * judgment), and every policy with what it sets.  With json, one object
 * (schema in docs/language.md §8).  CASUS_ENOTFOUND for an unknown name. */
CASUS_API casus_status casus_scenario_describe(const casus_engine *e, const char *name, bool json,
                                               casus_buf *out);

#ifdef __cplusplus
}
#endif
#endif /* CASUS_CASUS_H */
