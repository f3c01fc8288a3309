/*
 * model.h — what the engine knows once sources are checked: sources
 * (citations), actors, sovereignty histories and treaties with their
 * parties, councils, clauses and scope rules, plus the compiled conditions
 * the rules test.
 *
 * Pipeline: parse ─ check (builds this) ─ verdict (evaluates it).  Every
 * object lives in the engine arena and is immutable once the source that
 * declared it has been checked, which is what makes casus_check() safe to
 * call from several threads.  Names and quotes point into arena copies.
 * Nothing here knows any particular treaty: all of that comes from .casus
 * files.
 */
#ifndef CASUS_MODEL_H
#define CASUS_MODEL_H

#include "base/diag.h"
#include "uq/dist.h"

#define CASUS_DATE_MIN INT32_MIN
#define CASUS_DATE_MAX INT32_MAX

/* ---- closed vocabularies (geography and incident kinds, not treaty law) ---- */

#define CASUS_OBJECT_LIST(X) X(territory) X(forces) X(vessel) X(aircraft)
#define CASUS_REGION_LIST(X)                                                                       \
    X(europe) X(north_america) X(south_america) X(asia) X(africa) X(oceania) X(antarctica)
#define CASUS_ATTRIB_LIST(X)     X(certain) X(likely) X(disputed) X(unknown)
#define CASUS_OBLIGATION_LIST(X) X(automatic) X(own_judgment) X(constitutional) X(consultation)
#define CASUS_DECIDER_LIST(X)    X(each_party) X(council)
#define CASUS_RULE_LIST(X)       X(consensus) X(unanimity) X(majority) X(two_thirds) X(each_party)

/* clang-format off: it cannot tell that an X-macro list ends the line */
// clang-format off
enum casus_object {
#define X(n) CASUS_OBJECT_##n,
    CASUS_OBJECT_LIST(X)
#undef X
    CASUS_OBJECT_COUNT
};
enum casus_region {
#define X(n) CASUS_REGION_##n,
    CASUS_REGION_LIST(X)
#undef X
    CASUS_REGION_COUNT
};
enum casus_attrib {
#define X(n) CASUS_ATTRIB_##n,
    CASUS_ATTRIB_LIST(X)
#undef X
    CASUS_ATTRIB_COUNT
};
enum casus_obligation {
#define X(n) CASUS_OBLIGATION_##n,
    CASUS_OBLIGATION_LIST(X)
#undef X
    CASUS_OBLIGATION_COUNT
};
enum casus_decider {
#define X(n) CASUS_DECIDER_##n,
    CASUS_DECIDER_LIST(X)
#undef X
    CASUS_DECIDER_COUNT
};
enum casus_vote_rule {
#define X(n) CASUS_VOTE_##n,
    CASUS_RULE_LIST(X)
#undef X
    CASUS_VOTE_COUNT
};
// clang-format on

/* A vocabulary: the spellings of a closed enum ("own-judgment" or
 * "own_judgment" both match own_judgment). */
struct casus_vocab {
    const char *what;         /* "object", "region", … for messages */
    const char *const *names; /* canonical spellings, underscores */
    int count;
};
CASUS_INTERNAL extern const struct casus_vocab casus_vocab_object, casus_vocab_region,
    casus_vocab_attrib, casus_vocab_obligation, casus_vocab_decider, casus_vocab_rule,
    casus_vocab_mode,   /* voting modes, in enum casus_vote_mode order */
    casus_vocab_basin,  /* ocean basins as data/geo/seas.csv assigns them */
    casus_vocab_family; /* distribution families, in enum casus_family order */

/* Index of `name` (len bytes) in v, treating '-' and '_' alike; -1 if none. */
CASUS_INTERNAL int casus_vocab_find(const struct casus_vocab *v, const char *name, size_t len);

/* What a scope rule concludes (the AST and the model share it). */
enum casus_rule_verdict { CASUS_RULE_COVERED, CASUS_RULE_CONTESTED, CASUS_RULE_NOT_COVERED };

/* The kinds of game node a scenario declares (the AST and the model share it). */
enum casus_gnode_kind {
    CASUS_GNODE_DECIDE,  /* decide NAME by ACTOR { option -> node … } */
    CASUS_GNODE_CHANCE,  /* chance NAME { branch = expr -> node … } */
    CASUS_GNODE_IF,      /* if NAME covered(…) then A else B contested C */
    CASUS_GNODE_COUNCIL, /* council NAME of TREATY.COUNCIL mode M { group …; agree -> A; block -> B
                            } */
    CASUS_GNODE_OUTCOME  /* outcome NAME rung R { ACTOR = expr … } */
};

/* ---- compiled conditions ---- */

enum casus_type {
    CASUS_T_BOOL,
    CASUS_T_NUM,
    CASUS_T_DATE,
    CASUS_T_STR,
    CASUS_T_ACTOR,
    CASUS_T_OBJECT,
    CASUS_T_REGION,
    CASUS_T_ATTRIB,
    CASUS_T_BASIN,
    CASUS_T_UNIT,
    CASUS_T_ACTORS, /* a set of actors: the claimants of a place (`X in claimed-by`) */
    CASUS_T_LIST
};

/* Incident attributes a condition can read (docs/language.md §4). */
#define CASUS_ATTR_LIST(X)                                                                         \
    X(object, "object", CASUS_T_OBJECT)                                                            \
    X(victim, "victim", CASUS_T_ACTOR)                                                             \
    X(attacker, "attacker", CASUS_T_ACTOR)                                                         \
    X(date, "date", CASUS_T_DATE)                                                                  \
    X(lat, "lat", CASUS_T_NUM)                                                                     \
    X(lon, "lon", CASUS_T_NUM)                                                                     \
    X(sovereign, "sovereign", CASUS_T_ACTOR)                                                       \
    X(de_facto, "de-facto", CASUS_T_ACTOR)                                                         \
    X(administered_by, "administered-by", CASUS_T_ACTOR)                                           \
    X(claimed_by, "claimed-by", CASUS_T_ACTORS)                                                    \
    X(unit, "unit", CASUS_T_UNIT)                                                                  \
    X(region, "region", CASUS_T_REGION)                                                            \
    X(island, "island", CASUS_T_BOOL)                                                              \
    X(island_basin, "island-basin", CASUS_T_BASIN)                                                 \
    X(at_sea, "at-sea", CASUS_T_BOOL)                                                              \
    X(sea, "sea", CASUS_T_STR)                                                                     \
    X(basin, "basin", CASUS_T_BASIN)                                                               \
    X(attribution, "attribution", CASUS_T_ATTRIB)

// clang-format off
enum casus_attr {
#define X(id, name, type) CASUS_ATTR_##id,
    CASUS_ATTR_LIST(X)
#undef X
    CASUS_ATTR_COUNT
};
// clang-format on

enum casus_cx_op {
    CASUS_CX_CONST, /* value in num / i / s according to type */
    CASUS_CX_ATTR,  /* incident attribute i */
    CASUS_CX_NOT,
    CASUS_CX_NEG,
    CASUS_CX_AND,
    CASUS_CX_OR,
    CASUS_CX_ADD,
    CASUS_CX_SUB,
    CASUS_CX_MUL,
    CASUS_CX_DIV,
    CASUS_CX_EQ,
    CASUS_CX_NE,
    CASUS_CX_LT,
    CASUS_CX_LE,
    CASUS_CX_GT,
    CASUS_CX_GE,
    CASUS_CX_IN,     /* a in items[] (constants) */
    CASUS_CX_PARTY,  /* is actor a a party of the treaty on the incident date */
    CASUS_CX_PARAM,  /* scenario parameter i (a number) */
    CASUS_CX_CLAIMS, /* actor a in claimed-by: does a claim the place on the date */
    CASUS_CX_WITHIN  /* the point lies in zone `zone` (within(ZONE)) */
};

struct casus_mzone;

struct casus_cx {
    enum casus_cx_op op;
    enum casus_type type; /* result type */
    int32_t i;            /* attr id, actor index, enum value, date */
    double num;
    const char *s; /* string / basin / unit constants */
    const struct casus_cx *a, *b;
    const struct casus_cx **items;
    uint32_t nitems;
    const struct casus_mzone *zone; /* CASUS_CX_WITHIN */
    struct casus_span span;         /* source text, for traces */
};

/* ---- declarations ---- */

struct casus_msource {
    const char *id, *title, *url, *publisher, *note, *locator;
    casus_date date;
    bool has_date;
};

enum casus_actor_kind { CASUS_ACTOR_STATE, CASUS_ACTOR_ORG, CASUS_ACTOR_HISTORIC };

/* What an alias of an actor is (data/actors.casus). */
#define CASUS_ALIAS_LIST(X) X(iso2) X(iso3) X(cow) X(cow_abb) X(name)
// clang-format off
enum casus_alias_kind {
#define X(n) CASUS_ALIAS_##n,
    CASUS_ALIAS_LIST(X)
#undef X
    CASUS_ALIAS_COUNT
};
// clang-format on
CASUS_INTERNAL extern const struct casus_vocab casus_vocab_alias; /* "iso2", "cow-abb", … */

/* One alias: "UK" for GBR (a common name), "GB" (ISO 3166 alpha-2), "200"
 * and "UKG" (Correlates of War).  Looked up after normalisation
 * (casus_name_normalize: case, accents and punctuation folded); `next` links
 * the aliases that normalise alike, so "Congo" finds both Congos. */
struct casus_malias {
    const char *text; /* as written */
    const char *key;  /* normalised */
    int32_t actor;
    enum casus_alias_kind kind;
    const struct casus_msource *cite;
    int32_t next; /* index of the next alias with the same key, or -1 */
};

struct casus_mactor {
    const char *code; /* "USA", "NATO", "unknown" */
    const char *name;
    enum casus_actor_kind kind;
    /* from its aliases, for listings (NULL / -1 when none) */
    const char *iso2, *cow_abb;
    int32_t cow;
};

/* What a line of a sovereignty record states (docs/language.md §3). */
enum casus_holding {
    CASUS_HOLD_SOVEREIGN, /* `sovereign X` or a bare `X`: title to the territory */
    CASUS_HOLD_ADMIN,     /* `administered-by X`: who governs it in fact */
    CASUS_HOLD_CLAIM      /* `claimed-by X`: a state that claims it */
};

/* A dated holding: party membership or a line of a sovereignty record.
 * [from, until) */
struct casus_mperiod {
    int32_t who;      /* actor index */
    int32_t de_facto; /* actor index or -1 (legacy `de-facto X` on a sovereign line) */
    casus_date from, until;
    const char *note;
    const struct casus_msource *cite;
    enum casus_holding kind; /* sovereignty records only */
    struct casus_span span;  /* the line, for file:line in traces */
};

/* The claimants of a place over one stretch of dates, joined once when
 * the record is checked so that a location can name them ("CHN,TWN")
 * without allocating. */
struct casus_mclaims {
    casus_date from, until;
    const int32_t *who; /* actor indices, in the record's order */
    const struct casus_mperiod *const *lines;
    uint32_t n;
    const char *joined; /* codes joined by ',' */
};

/* Who holds a land unit (or a state's whole territory) over time: its
 * sovereign, who administers it and who claims it, each line dated and
 * cited.  Dates outside every sovereign line fall back to the map. */
struct casus_msov {
    const char *unit; /* geo unit or state code it applies to */
    const char *title;
    const struct casus_mperiod *periods; /* in file order */
    uint32_t nperiods;
    const struct casus_mclaims *claims; /* disjoint stretches, by date */
    uint32_t nclaims;
    struct casus_span span; /* the record's name */
};

/* A treaty zone drawn by coordinates (`zone NAME { polygon [...] }`):
 * vertices as written (latitude, longitude in degrees), edges rhumb lines,
 * so straight in the Mercator plane.  lon[] is unwrapped when checked
 * (each vertex within 180° of the one before), so a zone may cross the
 * antimeridian; lo/hi bound the unwrapped longitudes. */
struct casus_mzone {
    const char *name, *title, *article, *quote, *note;
    const struct casus_msource *cite;
    const double *lat, *lon;
    uint32_t n;
    double lon_lo, lon_hi;
    struct casus_span span;
};

/* Is (lat, lon) in zone z?  Even-odd rule in the Mercator plane (rhumb
 * edges are straight there; poles clamped to ±89.999°), trying lon and
 * lon ± 360 against the unwrapped ring.  O(n).  (treaty/verdict.c) */
CASUS_INTERNAL bool casus_zone_contains(const struct casus_mzone *z, double lat, double lon);

struct casus_mrule {
    enum casus_rule_verdict verdict;
    const char *code;            /* reason code */
    const struct casus_cx *when; /* NULL for otherwise */
    const char *quote, *note, *article;
    const struct casus_msource *cite;
    casus_date from, until;
    struct casus_span span;
};

/* A reading the scope's verdict may hinge on (`reading NAME when COND
 * { text "…" }`): reported, with its file and line, on the Answer line of
 * every incident for which COND holds. */
struct casus_mreading {
    const char *code;
    const struct casus_cx *when;
    const char *text, *note, *quote, *article;
    const struct casus_msource *cite;
    casus_date from, until;
    struct casus_span span;
};

struct casus_mscope {
    const char *name, *article, *title, *note;
    const struct casus_msource *cite;
    const struct casus_mrule *rules;
    uint32_t nrules;
    const struct casus_mrule *otherwise;
    const struct casus_mreading *readings;
    uint32_t nreadings;
};

struct casus_mcouncil {
    const char *name, *title, *article, *note, *quote;
    enum casus_vote_rule rule;
    bool members_are_parties;
    const int32_t *members;
    uint32_t nmembers;
    const struct casus_msource *cite;
};

struct casus_mclause {
    const char *name, *article, *title, *quote, *note;
    const char *trigger; /* armed-attack, threat, aggression, … */
    const struct casus_mscope *scope;
    enum casus_obligation obligation;
    const char *obligation_text;
    enum casus_decider decided_by;
    const char *decided_by_text;
    const struct casus_mcouncil *council;
    const struct casus_msource *cite;
    casus_date from, until;
};

struct casus_mtreaty {
    const char *id, *title, *short_title, *note;
    casus_date signed_on, in_force, terminated; /* terminated: CASUS_DATE_MAX if never */
    const struct casus_msource *cite;
    const struct casus_mperiod *parties; /* sorted by actor, then date */
    uint32_t nparties;
    const uint32_t *party_first; /* per actor index: first period */
    const uint32_t *party_count; /* per actor index: periods */
    uint32_t nindexed;           /* actors covered by the index */
    const struct casus_mcouncil *councils;
    uint32_t ncouncils;
    const struct casus_mclause *clauses;
    uint32_t nclauses;
    const struct casus_mzone *zones;
    uint32_t nzones;
};

/* ---- ladders and scenarios ---- */

struct casus_mrung {
    int32_t number;
    const char *name, *title, *group;
    int32_t kahn; /* rung of the ladder it maps to, or 0 */
};

struct casus_mthreshold {
    const char *name, *title;
    int32_t after; /* crossed when an outcome's rung number is above this */
};

struct casus_mladder {
    const char *name, *title, *note;
    const struct casus_msource *cite;
    const struct casus_mladder *maps_to;
    const struct casus_mrung *rungs; /* by increasing number */
    uint32_t nrungs;
    const struct casus_mthreshold *thresholds;
    uint32_t nthresholds;
};

/* Distribution families a parameter can take (docs/language.md §8). */
#define CASUS_FAMILY_LIST(X)                                                                       \
    X(fixed, 1)                                                                                    \
    X(uniform, 2)                                                                                  \
    X(triangular, 3) X(normal, 2) X(lognormal, 2) X(truncnormal, 4) X(beta, 2) X(discrete, 2)

// clang-format off
enum casus_family {
#define X(n, nargs) CASUS_FAMILY_##n,
    CASUS_FAMILY_LIST(X)
#undef X
    CASUS_FAMILY_COUNT
};
// clang-format on

/* A reference class counted in a dataset — `evidence(DATASET, where: …,
 * outcome: …)` — whose Jeffreys posterior Beta(k + 1/2, n - k + 1/2) a
 * parameter follows: the query, the counts and the data's citation. */
struct casus_mevidence {
    const char *dataset;                /* shipped name, or the CSV's path as written */
    const char *title, *citation, *url; /* the catalogue's; NULL for one's own CSV */
    const char *where, *outcome;        /* as written; where NULL: every row */
    const char *missing;                /* extra missing-value codes, ", "-joined, or NULL */
    uint32_t rows, n, k, dropped;       /* see evidence/rowexpr.h */
    double rate, lo, hi;                /* k / n and the 95 % interval */
};

/* A fit written by `casus fit --json`, read as a multivariate normal over
 * its free coefficients — `fit(FIT, "COEFFICIENT")`.  Draws of coefficient
 * j are mean[j] + (chol z)[j] with z[i] standard normal from Philox stream
 * stream[i]: a pure function of (seed, draw, the file's bytes, the
 * coefficient's name), shared by every parameter drawn from the fit
 * (model/sample.c). */
struct casus_mfit {
    const char *name;            /* shipped name, or the path as written */
    const char *model, *formula; /* as the file says, or NULL */
    uint32_t k;                  /* free coefficients */
    const char *const *coef;     /* their names, in the order of "vcov" */
    const double *mean, *sd;     /* k each */
    const double *chol;          /* k x k lower Cholesky factor of vcov, row-major */
    const uint64_t *stream;      /* k Philox streams */
    uint32_t nfixed;             /* coefficients the fit held fixed */
    const char *const *fixed_coef;
    const double *fixed_value;
    double loglik; /* NaN when the file does not say */
    double nobs;   /* NaN when the file does not say */
};

/* A parameter's distribution, checked: parameters are finite and in range. */
struct casus_mdist {
    enum casus_family family;
    double arg[4];                  /* as written: fixed(v), uniform(lo, hi),
                                       triangular(lo, mode, hi), normal(mean, sd),
                                       lognormal(meanlog, sdlog),
                                       truncnormal(mean, sd, lo, hi), beta(a, b) */
    const double *values, *weights; /* discrete([v…], [w…]) */
    uint32_t n;
    double lo, hi;       /* support, for interval arithmetic; may be infinite */
    struct casus_dist d; /* ready for casus_dist_quantile (unused for fixed) */
    struct casus_span span;
    /* derived from data: evidence(...) is a beta; fit(...) is a normal
       (the coefficient's marginal) or, for a fixed coefficient, fixed */
    const struct casus_mevidence *evidence;
    const struct casus_mfit *fit;
    const char *fit_coef; /* the coefficient's name */
    uint32_t coef;        /* its index among fit->coef (free ones) */
};

struct casus_mparam {
    const char *name, *title, *unit, *note;
    uint64_t stream; /* Philox stream: tag + hash of the name, so
                        adding a parameter reshuffles no other */
    struct casus_mdist dist;
    const struct casus_msource *fact; /* a sourced fact, or */
    const char *judgment;             /* a judgment with its rationale */
    struct casus_span span;
};

struct casus_msetting {
    uint32_t param; /* index into the scenario's params */
    struct casus_mdist dist;
};

struct casus_mpolicy {
    const char *name, *title, *note;
    const struct casus_msetting *settings;
    uint32_t nsettings;
    uint32_t start; /* the node the game starts at */
    const struct casus_mswitch *switches;
    uint32_t nswitches;
};

struct casus_mlet {
    const char *name;
    const struct casus_cx *cx; /* compiled value */
};

/* ---- the game of a scenario ---- */

#define CASUS_GNODE_NONE UINT32_MAX
#define CASUS_MAX_GROUPS 16 /* groups in one council */

enum casus_vote_mode { CASUS_MODE_SINCERE, CASUS_MODE_SILENCE, CASUS_MODE_PIVOTAL };

struct casus_mbranch {
    const char *label, *title;
    const struct casus_cx *prob; /* chance branches: a number in [0, 1] */
    uint32_t target;             /* node index */
    struct casus_span span;      /* the label */
};

/* Members of a council group share one pair of payoff expressions. */
struct casus_mgroup {
    const char *name;
    const int32_t *members; /* actor indices */
    uint32_t nmembers;
    const struct casus_cx *accept, *reject;
};

/* The treaty engine's answer to a covered(...) test, fixed when the
 * scenario is checked (the scenario's date is fixed). */
struct casus_mcovered {
    const char *treaty, *article;
    const char *victim, *attacker, *object, *attribution, *place;
    double lat, lon;
    bool has_point;
    int coverage;       /* casus_coverage: 0 no, 1 yes, 2 contested */
    const char *reason; /* the verdict's reason codes, comma-separated */
    const char *hinges; /* "hinges on: …" (readings, file:line), or NULL */
};

struct casus_mgnode {
    enum casus_gnode_kind kind;
    const char *name, *title, *note;
    int32_t actor;            /* decide: index into the scenario's actors */
    const uint32_t *observes; /* decide with has_observes: node indices */
    uint32_t nobserves;
    bool has_observes;
    const struct casus_mbranch *branches; /* options, branches, then/else/contested,
                                             agree/block */
    uint32_t nbranches;
    struct casus_mcovered covered;      /* if */
    const struct casus_mtreaty *treaty; /* council */
    const struct casus_mcouncil *council;
    enum casus_vote_rule rule;
    enum casus_vote_mode mode;
    const struct casus_mgroup *groups;
    uint32_t ngroups, nmembers;
    uint32_t rung;                   /* outcome: index into the ladder's rungs */
    const struct casus_cx **payoffs; /* outcome: one per scenario actor */
    struct casus_span span;
};

/* `switch NODE.OPTION -> TARGET`: branch `branch` of node `node` leads to
 * `target` under the policy. */
struct casus_mswitch {
    uint32_t node, branch, target;
};

struct casus_mscenario {
    const char *name, *title, *note;
    casus_date date;
    const struct casus_msource *cite;
    const struct casus_mladder *ladder;
    const struct casus_mparam *params;
    uint32_t nparams;
    const struct casus_mpolicy *policies; /* policies[0] is the baseline */
    uint32_t npolicies;
    const struct casus_mlet *lets; /* named expressions, in order */
    uint32_t nlets;
    /* the game: empty (nnodes == 0) for a scenario that only declares
       parameters */
    const int32_t *actors; /* engine actor indices of who decides */
    const char *const *actor_codes;
    uint32_t nactors;
    double scale_lo, scale_hi;     /* every payoff lies in it */
    const struct casus_cx *lambda; /* logit precision (NULL: must be given) */
    const struct casus_mgnode *nodes;
    uint32_t nnodes;
    uint32_t src; /* the source that declares it (for the run's hash) */
};

/* Is actor `who` a party to t on date d?  O(periods of that actor).
 * *period (optional) receives the period that makes it so. */
CASUS_INTERNAL bool casus_treaty_party_on(const struct casus_mtreaty *t, int32_t who, casus_date d,
                                          const struct casus_mperiod **period);

/* Number of parties on date d.  O(parties). */
CASUS_INTERNAL uint32_t casus_treaty_party_count(const struct casus_mtreaty *t, casus_date d);

#endif
