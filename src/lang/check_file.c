/*
 * check_file.c — checking one parsed file into the engine, all or nothing.
 *
 * Work happens in two phases so that a file with errors changes nothing:
 * first every declaration is checked and built into the arena ("staged") in
 * dependency order — sources, actors, their aliases and file-level lets, sovereignty,
 * treaties, ladders, then scenarios (whose councils may use this file's
 * treaties) — with new names visible to the rest of the same file; then,
 * only if no error was reported, the staged objects are appended to the
 * engine's tables ("commit").  The driver of the checker's modules
 * (check_treaty.c, check_scenario.c); the loader (load.c) calls it.
 */
#include "lang/check.h"

#include <stddef.h>

/* Every model object the engine indexes by name has the name first, so one
 * commit routine serves every table. */
_Static_assert(offsetof(struct casus_msource, id) == 0, "source key first");
_Static_assert(offsetof(struct casus_mactor, code) == 0, "actor key first");
_Static_assert(offsetof(struct casus_msov, unit) == 0, "sovereignty key first");
_Static_assert(offsetof(struct casus_mtreaty, id) == 0, "treaty key first");
_Static_assert(offsetof(struct casus_mladder, name) == 0, "ladder key first");
_Static_assert(offsetof(struct casus_mscenario, name) == 0, "scenario key first");

/* Append n staged objects to an engine table and its name index.  false
 * when out of memory (the engine is then only partly updated, which the
 * caller reports as CASUS_ENOMEM). */
static bool commit(struct checker *c, void ***table, uint32_t *ntable, uint32_t *cap,
                   struct casus_symtab *ix, void *const *items, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        const char *key = *(const char *const *)items[i];
        if (casus_symtab_put(ix, c->a, key, strlen(key), (int32_t)*ntable) != CASUS_OK ||
            !casus_checker_push(c, table, ntable, cap, items[i]))
            return false;
    }
    return true;
}

#define COMMIT(c, e, what, ix, items, count)                                                       \
    commit(c, (void ***)&(e)->what, &(e)->n##what, &(e)->cap##what, &(e)->ix,                      \
           (void *const *)(items), count)

casus_status casus_checker_file(struct casus_engine *e, const struct casus_ast_file *f)
{
    struct checker c;
    memset(&c, 0, sizeof c);
    c.e = e;
    c.d = &e->diags;
    c.a = &e->arena;
    size_t errors_before = e->diags.nerrors;
    c.errors_before = errors_before;

    casus_checker_sources(&c, f);
    casus_checker_actors(&c, f);
    casus_checker_aliases(&c, f);
    casus_checker_stage_lets(&c, f->lets, &c.file_lets, &c.nfile_lets);
    casus_checker_compile_lets(&c, c.file_lets, c.nfile_lets);
    struct casus_msov **sovs = NULL;
    uint32_t nsovs = 0, capsovs = 0;
    casus_checker_sovereignties(&c, f, &sovs, &nsovs, &capsovs);
    struct casus_mtreaty **treaties = NULL;
    uint32_t ntreaties = 0, captreaties = 0;
    casus_checker_treaties(&c, f, &treaties, &ntreaties, &captreaties);
    casus_checker_ladders(&c, f);
    c.treaties = treaties; /* councils of this file's treaties are usable */
    c.ntreaties = ntreaties;
    casus_checker_scenarios(&c, f);
    if (c.oom)
        return CASUS_ENOMEM;
    if (e->diags.nerrors > errors_before)
        return CASUS_ECOMPILE;

    bool ok = COMMIT(&c, e, sources, source_ix, c.sources, c.nsources) &&
              COMMIT(&c, e, actors, actor_ix, c.actors, c.nactors) &&
              casus_checker_commit_aliases(&c) && COMMIT(&c, e, sovs, sov_ix, sovs, nsovs) &&
              COMMIT(&c, e, treaties, treaty_ix, treaties, ntreaties) &&
              COMMIT(&c, e, ladders, ladder_ix, c.ladders, c.nladders) &&
              COMMIT(&c, e, scenarios, scenario_ix, c.scenarios, c.nscenarios);
    return ok ? CASUS_OK : CASUS_ENOMEM;
}
