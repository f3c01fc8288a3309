/*
 * ast.h — the syntax tree of a casus source, as the parser builds it.
 *
 * Names are not resolved here: they are spans plus arena copies of their
 * text.  The checker (check.c) resolves them and builds the engine's model.
 * Every node lives in the compile arena and points into the source by span,
 * so one casus_arena_release() frees a whole tree.  Lists are singly linked
 * in source order.
 */
#ifndef CASUS_AST_H
#define CASUS_AST_H

#include "base/diag.h"
#include "model/model.h"

struct casus_name {
    const char *s; /* NUL-terminated copy, or NULL when absent */
    struct casus_span span;
};

/* Quoted text with the span of its first string token. */
struct casus_text {
    const char *s; /* adjacent strings joined; NULL when absent */
    struct casus_span span;
};

/* ---- expressions ---- */

enum casus_ast_kind {
    CASUS_AST_NUMBER, /* num */
    CASUS_AST_DATE,   /* date */
    CASUS_AST_STRING, /* str */
    CASUS_AST_NAME,   /* name */
    CASUS_AST_CALL,   /* name(items…) */
    CASUS_AST_LIST,   /* [items…] */
    CASUS_AST_UNARY,  /* op a: '-' or 'not' */
    CASUS_AST_BINARY, /* a op b: arithmetic, comparison, and, or, in */
    CASUS_AST_NAMED,  /* str: a, a named call argument (evidence(…, where: x)) */
};

enum casus_ast_op {
    CASUS_OP_NONE,
    CASUS_OP_NEG,
    CASUS_OP_NOT,
    CASUS_OP_ADD,
    CASUS_OP_SUB,
    CASUS_OP_MUL,
    CASUS_OP_DIV,
    CASUS_OP_EQ,
    CASUS_OP_NE,
    CASUS_OP_LT,
    CASUS_OP_LE,
    CASUS_OP_GT,
    CASUS_OP_GE,
    CASUS_OP_IN,
    CASUS_OP_NOTIN,
    CASUS_OP_AND,
    CASUS_OP_OR
};

struct casus_expr {
    enum casus_ast_kind kind;
    enum casus_ast_op op;
    struct casus_span span;    /* whole expression */
    struct casus_expr *a, *b;  /* operands */
    struct casus_expr **items; /* list elements / call arguments */
    uint32_t nitems;
    double num;
    casus_date date;
    const char *str; /* string value or name text */
};

/* ---- declarations ---- */

struct casus_dates {
    casus_date from, until; /* [from, until) */
    bool has_from, has_until;
    struct casus_span from_span, until_span;
};

struct casus_ast_source {
    struct casus_name name;
    struct casus_text title, url, publisher, note, locator;
    casus_date date;
    bool has_date;
    struct casus_ast_source *next;
};

struct casus_ast_actor {
    struct casus_name code;
    struct casus_text title;
    struct casus_name kind; /* state (default), organization, historic */
    struct casus_ast_actor *next;
};

/* One line of a parties list or a sovereignty record. */
struct casus_ast_period {
    enum casus_holding kind; /* sovereignty: sovereign (bare), administered-by, claimed-by */
    struct casus_name who;
    struct casus_name de_facto; /* sovereignty only: administering state (legacy) */
    struct casus_dates dates;
    struct casus_text note;
    struct casus_name cite;
    struct casus_span span; /* the line */
    struct casus_ast_period *next;
};

struct casus_ast_sovereignty {
    struct casus_name unit; /* geo unit or state code */
    struct casus_text title;
    struct casus_ast_period *periods;
    struct casus_ast_sovereignty *next;
};

/* aliases ACTOR { iso2 GB cite iso-3166; name "United Kingdom" cite … } */
struct casus_ast_alias {
    struct casus_name kind; /* iso2, iso3, cow, cow-abb, name */
    struct casus_text value;
    struct casus_name cite;
    struct casus_ast_alias *next;
};

struct casus_ast_aliases {
    struct casus_name actor;
    struct casus_name cite; /* default source of the items */
    struct casus_ast_alias *items;
    struct casus_ast_aliases *next;
};

struct casus_ast_let {
    struct casus_name name;
    struct casus_expr *value;
    struct casus_ast_let *next;
};

struct casus_ast_council {
    struct casus_name name;
    struct casus_text title, article, note, quote;
    struct casus_name rule; /* consensus, unanimity, majority, two-thirds, each-party */
    bool members_are_parties;
    struct casus_name *members; /* explicit members when !members_are_parties */
    uint32_t nmembers;
    struct casus_name cite;
    struct casus_ast_council *next;
};

struct casus_ast_clause {
    struct casus_name name;
    struct casus_text article, title, quote, note;
    struct casus_name trigger;    /* armed-attack, aggression, threat, … */
    struct casus_name scope;      /* scope block deciding coverage, optional */
    struct casus_name obligation; /* automatic, own-judgment, constitutional, consultation */
    struct casus_text obligation_text;
    struct casus_name decided_by; /* each-party, council */
    struct casus_text decided_by_text;
    struct casus_name council;
    struct casus_name cite;
    struct casus_dates dates;
    struct casus_span span;
    struct casus_ast_clause *next;
};

struct casus_ast_rule {
    enum casus_rule_verdict verdict; /* readings: unused */
    struct casus_text text;          /* readings: what is read, for the Answer line */
    struct casus_name code;          /* reason code, e.g. territory_in_europe */
    struct casus_expr *when;         /* NULL for `otherwise` */
    struct casus_text quote, note, article;
    struct casus_name cite;
    struct casus_dates dates;
    struct casus_span span;
    struct casus_ast_rule *next;
};

struct casus_ast_scope {
    struct casus_name name;
    struct casus_text article, title, note;
    struct casus_name cite;
    struct casus_ast_rule *rules;     /* covered / contested rules in order */
    struct casus_ast_rule *otherwise; /* verdict when none matches */
    struct casus_ast_rule *readings;  /* `reading NAME when COND { text … }` */
    struct casus_ast_scope *next;
};

/* One vertex of a zone polygon: (latitude, longitude) in degrees. */
struct casus_ast_point {
    double lat, lon;
    struct casus_span span;
};

struct casus_ast_zone {
    struct casus_name name;
    struct casus_text title, article, quote, note;
    struct casus_name cite, edges;
    struct casus_ast_point *points;
    uint32_t npoints;
    bool has_polygon;
    struct casus_ast_zone *next;
};

struct casus_ast_treaty {
    struct casus_name name;
    struct casus_text title, note, short_title;
    casus_date signed_on, in_force, terminated;
    bool has_signed, has_in_force, has_terminated;
    struct casus_name cite;
    struct casus_ast_period *parties;
    struct casus_ast_council *councils;
    struct casus_ast_clause *clauses;
    struct casus_ast_scope *scopes;
    struct casus_ast_zone *zones;
    struct casus_ast_let *lets;
    struct casus_ast_treaty *next;
};

/* ---- ladders and scenarios ---- */

struct casus_ast_rung {
    int32_t number; /* position on the ladder, strictly increasing */
    struct casus_span number_span;
    struct casus_name name;
    struct casus_text title, group;
    int32_t kahn; /* Kahn rung it maps to, or 0 */
    struct casus_span kahn_span;
    struct casus_ast_rung *next;
};

struct casus_ast_threshold {
    struct casus_name name;
    struct casus_text title;
    int32_t after; /* crossed when the outcome's rung is above this */
    struct casus_span after_span;
    struct casus_ast_threshold *next;
};

struct casus_ast_ladder {
    struct casus_name name;
    struct casus_text title, note;
    struct casus_name cite;
    struct casus_name maps_to; /* a finer ladder the rungs map onto (Kahn's) */
    struct casus_ast_rung *rungs;
    struct casus_ast_threshold *thresholds;
    struct casus_ast_ladder *next;
};

/* param NAME text? = DIST (fact SOURCE | judgment "why") (unit "…")? (note "…")? */
struct casus_ast_param {
    struct casus_name name;
    struct casus_text title;
    struct casus_expr *dist;    /* a number, or a call such as beta(2, 8) */
    struct casus_name fact;     /* source of a fact */
    struct casus_text judgment; /* rationale of a judgment */
    struct casus_text unit, note;
    struct casus_ast_param *next;
};

struct casus_ast_setting {
    struct casus_name param;
    struct casus_expr *dist;
    struct casus_ast_setting *next;
};

struct casus_ast_policy {
    struct casus_name name;
    struct casus_text title, note;
    bool baseline;
    struct casus_span baseline_span;
    struct casus_ast_setting *settings;
    struct casus_ast_switch *switches;
    struct casus_name start; /* the node the game starts at under this policy */
    struct casus_ast_policy *next;
};

/* ---- the game of a scenario (docs/language.md §9) ---- */

/* An edge: `label "title"? (= expr)? -> target`. */
struct casus_ast_branch {
    struct casus_name label;
    struct casus_text title;
    struct casus_expr *prob; /* chance branches only */
    struct casus_name target;
    struct casus_ast_branch *next;
};

/* A council group: `group NAME [members]? accept = expr reject = expr`. */
struct casus_ast_group {
    struct casus_name name;
    struct casus_name *members; /* NULL: every party no other group lists */
    uint32_t nmembers;
    bool has_list;
    struct casus_expr *accept, *reject;
    struct casus_ast_group *next;
};

/* An outcome's payoff to one actor. */
struct casus_ast_payoff {
    struct casus_name actor;
    struct casus_expr *value;
    struct casus_ast_payoff *next;
};

/* The incident of covered(TREATY, "ARTICLE", key value, …). */
struct casus_ast_covered {
    struct casus_name treaty;
    struct casus_text article;
    struct casus_name victim, attacker, object, attribution;
    struct casus_text place;
    double lat, lon;
    bool has_point;
    struct casus_span span;
};

struct casus_ast_gnode {
    enum casus_gnode_kind kind;
    struct casus_name name;
    struct casus_text title, note;
    struct casus_name actor;     /* decide */
    struct casus_name *observes; /* decide: the nodes whose moves it sees */
    uint32_t nobserves;
    bool has_observes;
    struct casus_ast_branch *branches; /* decide options, chance branches,
                                          council agree/block, if then/else/contested */
    struct casus_ast_covered covered;  /* if */
    struct casus_name treaty, council; /* council: TREATY.COUNCIL */
    struct casus_name mode;            /* council: sincere, silence, pivotal */
    struct casus_ast_group *groups;
    struct casus_name rung; /* outcome */
    struct casus_ast_payoff *payoffs;
    struct casus_span span; /* the keyword */
    struct casus_ast_gnode *next;
};

/* `switch NODE.OPTION -> TARGET` in a policy: re-link one edge. */
struct casus_ast_switch {
    struct casus_name node, option, target;
    struct casus_ast_switch *next;
};

struct casus_ast_scenario {
    struct casus_name name;
    struct casus_text title, note;
    casus_date date;
    bool has_date;
    struct casus_name cite;
    struct casus_name ladder;
    struct casus_ast_param *params;
    struct casus_ast_policy *policies;
    struct casus_ast_let *lets;
    /* the game */
    struct casus_name *actors; /* who decides and has payoffs */
    uint32_t nactors;
    bool has_actors, has_scale;
    double scale_lo, scale_hi;
    struct casus_span scale_span;
    struct casus_expr *lambda; /* logit precision */
    struct casus_name start;
    struct casus_ast_gnode *nodes;
    struct casus_ast_scenario *next;
};

struct casus_ast_file {
    uint32_t src;
    struct casus_ast_ladder *ladders;
    struct casus_ast_scenario *scenarios;
    struct casus_ast_source *sources;
    struct casus_ast_actor *actors;
    struct casus_ast_sovereignty *sovereignties;
    struct casus_ast_aliases *aliases;
    struct casus_ast_treaty *treaties;
    struct casus_ast_let *lets;
};

#endif
