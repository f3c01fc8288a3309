/*
 * load.c — getting sources into an engine: a file or a string is parsed,
 * then checked into the model (check.c); the data compiled into the library
 * (the pack of world facts, treaties, ladders, the gazetteer and the shipped
 * scenarios, and the geography blob; src/base/embed.S) is loaded the same
 * way.
 *
 * Pipeline: this is the language wing's entry from the engine's public
 * loading calls (casus_engine_load_*); it calls the parser and the checker
 * of this wing, and the geography and gazetteer below.  A source with
 * errors changes nothing in the engine apart from its diagnostics.
 */
#include "base/buf.h"
#include "base/pack.h"
#include "geo/gazetteer.h"
#include "geo/geo.h"
#include "lang/check.h"
#include "lang/parse.h"

#include <stdio.h>
#include <stdlib.h>

/* Hard limit on one source: 16 MiB of text. */
#define CASUS_MAX_SOURCE (16u << 20)

casus_status casus_engine_load_source(casus_engine *e, const char *name, const char *text,
                                      size_t len)
{
    if (len > CASUS_MAX_SOURCE) {
        casus_diag_add(&e->diags, CASUS_SEV_ERROR, NULL, "limit",
                       "%s: source is larger than %u bytes", name, CASUS_MAX_SOURCE);
        return CASUS_ELIMIT;
    }
    uint32_t src;
    casus_status st = casus_diags_add_source(&e->diags, name, text, len, &src);
    if (st != CASUS_OK)
        return st;
    size_t before = e->diags.nerrors;
    /* The syntax tree is kept in the engine arena: compiled conditions point
     * at its spans and strings. */
    struct casus_ast_file *f = casus_parse_file(&e->arena, &e->diags, src);
    if (!f)
        return CASUS_ENOMEM;
    if (e->diags.nerrors > before)
        return CASUS_ECOMPILE;
    return casus_checker_file(e, f);
}

casus_status casus_engine_load_file(casus_engine *e, const char *path)
{
    casus_buf b = CASUS_BUF_INIT;
    casus_status st = casus_engine_read_file(e, path, CASUS_MAX_SOURCE, &b);
    if (st == CASUS_OK)
        st = casus_engine_load_source(e, path, b.data ? b.data : "", b.len);
    casus_buf_release(&b);
    return st;
}

static bool ends_with(const char *s, size_t len, const char *suffix)
{
    size_t k = strlen(suffix);
    return len >= k && memcmp(s + len - k, suffix, k) == 0;
}

/* Load one non-scenario file of the pack: a .casus source or the gazetteer
 * (the evidence datasets and fits are read when a query names them). */
static casus_status load_pack_file(casus_engine *e, const struct casus_pack_file *f)
{
    char name[256];
    snprintf(name, sizeof name, "%.*s", (int)f->nlen, f->name);
    if (f->nlen >= 10 && strncmp(f->name, "scenarios/", 10) == 0)
        return CASUS_OK; /* shipped scenarios load last: casus_engine_load_shipped_scenarios */
    if (ends_with(f->name, f->nlen, ".casus"))
        return casus_engine_load_source(e, name, f->body, f->size);
    if (casus_streq_n(f->name, f->nlen, "data/gazetteer.csv")) {
        uint32_t src;
        casus_status st = casus_diags_add_source(&e->diags, name, f->body, f->size, &src);
        if (st == CASUS_OK)
            st = casus_gazetteer_load(&e->gaz, &e->alloc, &e->diags, src, e->geo);
        return st;
    }
    return CASUS_OK;
}

casus_status casus_engine_load_builtin(casus_engine *e)
{
    if (e->builtin_loaded)
        return CASUS_OK;
    size_t geolen;
    const void *blob = casus_geo_blob(&geolen);
    casus_status st = casus_geo_open(&e->geo, &e->alloc, blob, geolen);
    if (st != CASUS_OK) {
        casus_diag_add(&e->diags, CASUS_SEV_ERROR, NULL, "builtin",
                       "the embedded geography is unusable (%s)", casus_status_str(st));
        return st;
    }
    const char *p, *end;
    casus_pack_bounds(&p, &end);
    struct casus_pack_file f;
    int more;
    while ((more = casus_pack_next(&p, end, &f)) > 0)
        if ((st = load_pack_file(e, &f)) != CASUS_OK)
            return st;
    if (more < 0) {
        casus_diag_add(&e->diags, CASUS_SEV_ERROR, NULL, "builtin", "the embedded pack is corrupt");
        return CASUS_EINVAL;
    }
    e->builtin_loaded = true;
    return CASUS_OK;
}

/* Load the shipped scenario f unless a file loaded before redefines it.
 * scenarios/NAME.casus declares scenario NAME. */
static casus_status load_shipped(casus_engine *e, const struct casus_pack_file *f)
{
    if (f->nlen <= 16 || strncmp(f->name, "scenarios/", 10) != 0 ||
        !ends_with(f->name, f->nlen, ".casus"))
        return CASUS_OK;
    const char *base = f->name + 10;
    size_t blen = f->nlen - 10 - 6;
    if (casus_symtab_get(&e->scenario_ix, base, blen) >= 0)
        return CASUS_OK;
    char path[256];
    snprintf(path, sizeof path, "%.*s", (int)f->nlen, f->name);
    casus_status st = casus_engine_load_source(e, path, f->body, f->size);
    if (st == CASUS_ECOMPILE) {
        /* it clashes with a declaration of one's own files (a source or
           ladder of the same name): leave it out, and say so */
        casus_diag_add(&e->diags, CASUS_SEV_WARNING, NULL, "shipped-scenario-skipped",
                       "the shipped scenario '%.*s' was not loaded: it clashes with "
                       "declarations in the files loaded before it",
                       (int)blen, base);
        return CASUS_OK;
    }
    return st;
}

casus_status casus_engine_load_shipped_scenarios(casus_engine *e)
{
    if (!e->builtin_loaded)
        return CASUS_ESTATE;
    const char *p, *end;
    casus_pack_bounds(&p, &end);
    struct casus_pack_file f;
    int more;
    while ((more = casus_pack_next(&p, end, &f)) > 0) {
        casus_status st = load_shipped(e, &f);
        if (st != CASUS_OK)
            return st;
    }
    return more < 0 ? CASUS_EINVAL : CASUS_OK;
}
