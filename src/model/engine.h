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

#endif
