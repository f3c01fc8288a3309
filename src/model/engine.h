/*
 * engine.h — the inside of a casus_engine: the allocator, diagnostics, the
 * model arena and the tables of everything loaded (model.h), plus the
 * geography and gazetteer.  The engine's own files, the loader and checker
 * (lang/) and the treaty verdicts reach in.
 */
#ifndef CASUS_ENGINE_H
#define CASUS_ENGINE_H

#include "model/model.h"
#include "base/symtab.h"

struct casus_geo;
struct casus_gazetteer;

/* A growable array of pointers in the engine arena. */
#define CASUS_PTR_ARRAY(type, name)                                                                \
    type **name;                                                                                   \
    uint32_t n##name, cap##name

struct casus_engine {
    struct casus_alloc alloc;
    struct casus_diags diags;
    struct casus_arena arena; /* model lifetime */
    CASUS_PTR_ARRAY(struct casus_mactor, actors);
    struct casus_symtab actor_ix;
    CASUS_PTR_ARRAY(struct casus_malias, aliases);
    struct casus_symtab alias_ix; /* normalised alias -> last alias with that key */
    CASUS_PTR_ARRAY(struct casus_msource, sources);
    struct casus_symtab source_ix;
    CASUS_PTR_ARRAY(struct casus_msov, sovs);
    struct casus_symtab sov_ix;
    CASUS_PTR_ARRAY(struct casus_mtreaty, treaties);
    struct casus_symtab treaty_ix;
    CASUS_PTR_ARRAY(struct casus_mladder, ladders);
    struct casus_symtab ladder_ix;
    CASUS_PTR_ARRAY(struct casus_mscenario, scenarios);
    struct casus_symtab scenario_ix;
    struct casus_geo *geo; /* NULL until builtin data loaded */
    struct casus_gazetteer *gaz;
    bool builtin_loaded;
};

/* Read a whole file into out (appended), stopping once it holds more than
 * max_bytes (callers then report the size limit).  CASUS_EIO with a
 * diagnostic naming the file and the OS error; CASUS_ENOMEM.  The caller
 * releases out in every case. */
CASUS_INTERNAL casus_status casus_engine_read_file(struct casus_engine *e, const char *path,
                                                   size_t max_bytes, casus_buf *out);

/* Actor index for a code, or -1. */
CASUS_INTERNAL int32_t casus_engine_actor(const struct casus_engine *e, const char *code,
                                          size_t len);

/* ---- names of actors (model/actors.c) ---- */

#define CASUS_MAX_CANDIDATES 8

/* How a name an actor goes by was read. */
struct casus_actor_match {
    int32_t actor;                       /* the actor, or -1 */
    const struct casus_malias *alias;    /* the alias used; NULL for an exact code */
    const struct casus_malias *also;     /* an exact code that is another actor's alias
                                            too ("AUS": Australia; COW's Austria) */
    int32_t cands[CASUS_MAX_CANDIDATES]; /* an ambiguous alias: the actors it names */
    uint32_t ncands;
};

/* Read name[0..len) as an actor: an exact code first (USA, GBR), then an
 * alias of the table, matched after normalisation ("uk", "Russia",
 * "U.S.", "GB", "200"); among aliases ISO codes outrank COW codes, which
 * outrank names ("aus" is ISO's Australia, not COW's Austria).  Returns 1
 * with m->actor set (m->also: another actor the name is an alias of), -1
 * when the best aliases name several actors (m->cands), 0 when nothing
 * matches.  O(len) expected, no allocation. */
CASUS_INTERNAL int casus_actor_match(const struct casus_engine *e, const char *name, size_t len,
                                     struct casus_actor_match *m);

/* The alias or code nearest to an unknown name (the base/suggest rule over
 * every code and alias), or NULL; *code gets the actor's code (the same
 * pointer when a code was nearest).  O(aliases · len²). */
CASUS_INTERNAL const char *casus_actor_suggest(const struct casus_engine *e, const char *name,
                                               size_t len, const char **code);

/* The same as a message tail for out (capacity cap): " (did you mean
 * 'Russia', RUS?)", " (did you mean 'GBR'?)", or "" when nothing is near. */
CASUS_INTERNAL void casus_actor_suggestion(const struct casus_engine *e, const char *name,
                                           size_t len, char *out, size_t cap);

/* Write "'Congo' names several actors: COD (Dem. Rep. Congo), COG (Congo)"
 * style candidate lists into out. */
CASUS_INTERNAL void casus_actor_candidates(const struct casus_engine *e,
                                           const struct casus_actor_match *m, char *out,
                                           size_t cap);

#endif
