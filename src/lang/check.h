/*
 * check.h — the checker's shared state, for the modules that check parts of
 * a file: check.c (the core: context, names, lets, conditions),
 * check_treaty.c (sources, actors, sovereignty, treaties), check_file.c
 * (the driver: stage, then commit), check_scenario.c (ladders, scenarios,
 * parameters, policies),
 * check_game.c (a scenario's game), and the loader (load.c), which calls
 * casus_checker_file.  Nothing outside the language wing includes it.
 */
#ifndef CASUS_CHECK_H
#define CASUS_CHECK_H

#include "lang/ast.h"
#include "model/engine.h"

struct staged_let {
    const struct casus_ast_let *ast;
    const struct casus_cx *cx; /* compiled value, once done */
    bool busy;                 /* being compiled: a reference now is a cycle */
    bool failed;               /* compiled with errors: do not report again */
};

struct checker {
    struct casus_engine *e;
    struct casus_diags *d;
    struct casus_arena *a;
    bool oom;
    size_t errors_before; /* diagnostics' error count when this file began */
    /* staged declarations of this file */
    struct casus_mactor **actors;
    uint32_t nactors, capactors;
    struct casus_symtab actor_ix; /* new actors: code -> engine index */
    struct casus_msource **sources;
    uint32_t nsources, capsources;
    struct casus_symtab source_ix;
    /* lets in scope: file-level, then the current treaty's */
    struct staged_let *file_lets;
    uint32_t nfile_lets;
    struct staged_let *treaty_lets;
    uint32_t ntreaty_lets;
    bool in_treaty; /* party() is available */
    /* the current treaty's zones (within(ZONE)) */
    const struct casus_mzone *zones;
    uint32_t nzones;
    /* staged actor aliases (check_actors.c) */
    struct casus_malias **aliases;
    uint32_t naliases, capaliases;
    /* parameters in scope while checking a scenario's expressions */
    const struct casus_mparam *params;
    uint32_t nparams;
    /* staged ladders and scenarios (check_scenario.c) */
    struct casus_mladder **ladders;
    uint32_t nladders, capladders;
    struct casus_mscenario **scenarios;
    uint32_t nscenarios, capscenarios;
    /* this file's treaties, checked (for scenarios' councils) */
    struct casus_mtreaty *const *treaties;
    uint32_t ntreaties;
};

/* Compile a parsed file into the engine (check.c; called by the loader, load.c).  On CASUS_ECOMPILE
 * the engine is unchanged apart from diagnostics. */
CASUS_INTERNAL casus_status casus_checker_file(struct casus_engine *e,
                                               const struct casus_ast_file *f);

/* Stage the lets of a list (duplicates reported); compile lazily or with
 * casus_checker_compile_lets. */
CASUS_INTERNAL bool casus_checker_stage_lets(struct checker *c, const struct casus_ast_let *list,
                                             struct staged_let **out, uint32_t *n);
CASUS_INTERNAL void casus_checker_compile_lets(struct checker *c, struct staged_let *lets,
                                               uint32_t n);

/* Compile x as a number (parameters, lets in scope, arithmetic); NULL and
 * an error naming ctx ("a payoff", …) otherwise. */
CASUS_INTERNAL const struct casus_cx *
casus_checker_number(struct checker *c, const struct casus_expr *x, const char *ctx);

/* Memory in the engine arena (zeroed); sets c->oom and returns NULL on failure. */
CASUS_INTERNAL void *casus_checker_alloc(struct checker *c, size_t n);

/* Record an error at sp with a stable code; returns the diagnostic for notes. */
CASUS_INTERNAL struct casus_diag *casus_checker_error(struct checker *c,
                                                      const struct casus_span *sp, const char *code,
                                                      const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Append p to an arena-grown pointer array; false (and c->oom) when out of memory. */
CASUS_INTERNAL bool casus_checker_push(struct checker *c, void ***arr, uint32_t *n, uint32_t *cap,
                                       void *p);

/* The source a `cite NAME` names, or NULL (and an error with a suggestion);
 * NULL without error when n->s is NULL. */
CASUS_INTERNAL const struct casus_msource *casus_checker_source(struct checker *c,
                                                                const struct casus_name *n);

/* ---- the core (check.c) ---- */

/* The index of an actor code among the engine's and this file's actors, or -1. */
CASUS_INTERNAL int32_t casus_checker_find_actor(const struct checker *c, const char *s);
/* The actor at index i (engine's first, then this file's staged ones). */
CASUS_INTERNAL const struct casus_mactor *casus_checker_actor_at(const struct checker *c,
                                                                 int32_t i);
/* Index of n in vocabulary v, or -1 with an error and a suggestion. */
CASUS_INTERNAL int casus_checker_vocab(struct checker *c, const struct casus_vocab *v,
                                       const struct casus_name *n);
/* from/until of a `from D until D` clause, open ends as CASUS_DATE_MIN/MAX. */
CASUS_INTERNAL void casus_checker_dates(const struct casus_dates *in, casus_date *from,
                                        casus_date *until);
/* false (with an error) when `until` is not after `from`. */
CASUS_INTERNAL bool casus_checker_check_dates(struct checker *c, const struct casus_dates *dt);
/* Compile x as a boolean condition over the incident; NULL after an error. */
CASUS_INTERNAL const struct casus_cx *casus_checker_condition(struct checker *c,
                                                              const struct casus_expr *x);

/* ---- declarations of the world and the law (check_treaty.c) ---- */

/* Stage f's sources, actors, and sovereignty records (the latter appended
 * to *out); duplicates with the engine or within the file are errors. */
CASUS_INTERNAL void casus_checker_sources(struct checker *c, const struct casus_ast_file *f);
CASUS_INTERNAL void casus_checker_actors(struct checker *c, const struct casus_ast_file *f);
CASUS_INTERNAL void casus_checker_sovereignties(struct checker *c, const struct casus_ast_file *f,
                                                struct casus_msov ***out, uint32_t *nout,
                                                uint32_t *capout);
/* Stage f's `aliases` blocks (check_actors.c): each alias resolved to its
 * actor, normalised, cited; a code alias (ISO, COW) naming two actors is
 * an error, a name naming two is allowed (it is refused when used, with
 * the candidates). */
CASUS_INTERNAL void casus_checker_aliases(struct checker *c, const struct casus_ast_file *f);
/* Append the staged aliases to the engine (after a clean check); false
 * when out of memory. */
CASUS_INTERNAL bool casus_checker_commit_aliases(struct checker *c);

/* Check the zones of a treaty (check_zone.c): a polygon of at least three
 * points in range, rhumb edges, unwrapped across the antimeridian, a cited
 * source.  *out gets the array (n entries). */
CASUS_INTERNAL bool casus_checker_zones(struct checker *c, const struct casus_ast_treaty *t,
                                        struct casus_mzone **out, uint32_t *n);

/* Check f's treaties, appending each that checked to *out. */
CASUS_INTERNAL void casus_checker_treaties(struct checker *c, const struct casus_ast_file *f,
                                           struct casus_mtreaty ***out, uint32_t *nout,
                                           uint32_t *capout);

/* ---- scenarios (check_scenario.c, check_game.c) ---- */

/* Check the ladders and scenarios of f, staging them in c (check_scenario.c). */
CASUS_INTERNAL void casus_checker_ladders(struct checker *c, const struct casus_ast_file *f);
CASUS_INTERNAL void casus_checker_scenarios(struct checker *c, const struct casus_ast_file *f);

/* Check the game of scenario a into m (check_game.c): actors, scale, λ and
 * nodes; policies' starts and switches.  Parameters and lets are in scope
 * (c->params, c->treaty_lets).  Errors go to c->d. */
CASUS_INTERNAL void casus_checker_game(struct checker *c, const struct casus_ast_scenario *a,
                                       struct casus_mscenario *m, struct casus_mpolicy *pols,
                                       const struct casus_ast_policy *const *ast_pols);

/* The actor a name refers to, or -1 with an error and a suggestion. */
CASUS_INTERNAL int32_t casus_checker_actor(struct checker *c, const struct casus_name *n);

/* ---- evidence and fits (check_columns.c, check_evidence.c) ---- */

/* A reference-class query: the dataset and the parsed expressions. */
struct casus_evq {
    const char *dataset; /* a shipped dataset's name, or a CSV's path (is_path) */
    bool is_path;
    const char *base;                         /* directory of a relative path, or NULL */
    const struct casus_span *at;              /* where the dataset is named, or NULL */
    const struct casus_expr *where, *outcome; /* where may be NULL: every row */
    const char *where_text, *outcome_text;    /* as written */
    const char *const *na;                    /* extra missing-value codes */
    size_t nna;
    const char *text; /* the CSV itself (tests, fuzzing), or NULL: read the dataset */
    size_t len;
};

/* Count the reference class q (evidence/rowexpr.h) into out, its strings
 * in the engine arena.  Errors are diagnostics: an unknown dataset or
 * column (with "did you mean"), a type error, a malformed CSV; status
 * CASUS_ENOTFOUND, CASUS_EINVAL, CASUS_EIO, CASUS_ELIMIT, CASUS_ENOMEM.
 * O(rows x expression size) plus reading the data. */
CASUS_INTERNAL casus_status casus_evidence_eval(struct casus_engine *e, const struct casus_evq *q,
                                                struct casus_mevidence *out);

struct ev_dataset;
struct ev_table;
/* The dataset of q read into t (scratch in tmp); *entry is its catalogue
 * entry, NULL for a file.  Errors as casus_evidence_eval. */
CASUS_INTERNAL casus_status casus_evidence_table(struct casus_engine *e, struct casus_arena *tmp,
                                                 const struct casus_evq *q,
                                                 const struct ev_dataset **entry,
                                                 struct ev_table *t);

/* d from `evidence(DATASET, where: …, outcome: …, missing: […])` (a beta)
 * or `fit(FIT, "COEFFICIENT")` (a normal; fixed for a fixed coefficient);
 * false after errors.  allow_fit is false in a policy's `set`, where a
 * fit's joint draw has no meaning. */
CASUS_INTERNAL bool casus_checker_derived_dist(struct checker *c, const struct casus_expr *x,
                                               struct casus_mdist *d, bool allow_fit);

/* Has this file recorded an error? */
CASUS_INTERNAL bool casus_checker_failed(const struct checker *c);

#endif
