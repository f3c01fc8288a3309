/*
 * engine.c — the engine's life cycle (creation, release), the file reader
 * every loader shares, and the public accessors for diagnostics and loaded
 * treaties.  Loading sources (parse, then check) is the language's work:
 * lang/load.c.
 */
#include "model/engine.h"
#include "base/buf.h"
#include "geo/gazetteer.h"
#include "geo/geo.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

casus_status casus_engine_new(casus_engine **out, casus_alloc_fn alloc, void *ud)
{
    *out = NULL;
    if (!alloc)
        alloc = casus_default_alloc;
    casus_engine *e = alloc(ud, NULL, 0, sizeof *e);
    if (!e)
        return CASUS_ENOMEM;
    memset(e, 0, sizeof *e);
    e->alloc.fn = alloc;
    e->alloc.ud = ud;
    casus_diags_init(&e->diags, &e->alloc);
    casus_arena_init(&e->arena, &e->alloc);
    *out = e;
    return CASUS_OK;
}

void casus_engine_free(casus_engine *e)
{
    if (!e)
        return;
    casus_gazetteer_free(e->gaz);
    casus_geo_free(e->geo);
    casus_arena_release(&e->arena);
    casus_diags_release(&e->diags);
    struct casus_alloc a = e->alloc;
    a.fn(a.ud, e, sizeof *e, 0);
}

int32_t casus_engine_actor(const struct casus_engine *e, const char *code, size_t len)
{
    return casus_symtab_get(&e->actor_ix, code, len);
}

casus_status casus_engine_read_file(casus_engine *e, const char *path, size_t max_bytes,
                                    casus_buf *out)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        casus_diag_add(&e->diags, CASUS_SEV_ERROR, NULL, "io", "cannot open '%s': %s", path,
                       strerror(errno));
        return CASUS_EIO;
    }
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0) {
        casus_buf_append(out, chunk, n);
        if (out->len > max_bytes)
            break;
    }
    bool bad = ferror(fp);
    fclose(fp);
    if (bad) {
        casus_diag_add(&e->diags, CASUS_SEV_ERROR, NULL, "io", "cannot read '%s'", path);
        return CASUS_EIO;
    }
    return casus_buf_status(out);
}

casus_status casus_engine_render_diagnostics(const casus_engine *e, casus_buf *out)
{
    casus_diags_render(&e->diags, out);
    return casus_buf_status(out);
}

casus_status casus_engine_diagnostics_json(const casus_engine *e, casus_buf *out)
{
    casus_diags_json(&e->diags, out);
    return casus_buf_status(out);
}

size_t casus_engine_error_count(const casus_engine *e)
{
    return e->diags.nerrors;
}

void casus_engine_clear_diagnostics(casus_engine *e)
{
    casus_diags_clear(&e->diags);
}

size_t casus_engine_treaty_count(const casus_engine *e)
{
    return e->ntreaties;
}

const char *casus_engine_treaty_id(const casus_engine *e, size_t i)
{
    return i < e->ntreaties ? e->treaties[i]->id : NULL;
}

const char *casus_engine_treaty_title(const casus_engine *e, size_t i)
{
    return i < e->ntreaties ? e->treaties[i]->title : NULL;
}

size_t casus_engine_place_count(const casus_engine *e)
{
    return e->gaz ? casus_gazetteer_count(e->gaz) : 0;
}

const char *casus_engine_place_name(const casus_engine *e, size_t i)
{
    const struct casus_place *p = e->gaz ? casus_gazetteer_at(e->gaz, i) : NULL;
    return p ? p->name : NULL;
}

size_t casus_engine_scenario_count(const casus_engine *e)
{
    return e->nscenarios;
}

const char *casus_engine_scenario_name(const casus_engine *e, size_t i)
{
    return i < e->nscenarios ? e->scenarios[i]->name : NULL;
}

const char *casus_engine_scenario_file(const casus_engine *e, size_t i)
{
    if (i >= e->nscenarios)
        return NULL;
    const struct casus_source *src = casus_diags_source(&e->diags, e->scenarios[i]->src);
    return src ? src->name : "";
}
