/*
 * engine.c — the engine's life cycle: creation, loading sources (parse then
 * check), loading the data compiled into the library, and the public
 * accessors for diagnostics and loaded treaties.
 */
#include "model/engine.h"
#include "base/buf.h"
#include "geo/gazetteer.h"
#include "geo/geo.h"
#include "lang/parse.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

extern const unsigned char casus_embed_pack[], casus_embed_pack_end[];

/* Hard limit on one source: 16 MiB of text. */
#define CASUS_MAX_SOURCE (16u << 20)

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
    return casus_check_file(e, f);
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
    /* Walk the pack: "path\nsize\nbytes" per file, ended by an empty line. */
    const char *p = (const char *)casus_embed_pack, *end = (const char *)casus_embed_pack_end;
    while (p < end && *p != '\n') {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            break;
        char name[256];
        size_t nlen = (size_t)(nl - p) < sizeof name - 1 ? (size_t)(nl - p) : sizeof name - 1;
        memcpy(name, p, nlen);
        name[nlen] = '\0';
        p = nl + 1;
        char *after;
        unsigned long size = strtoul(p, &after, 10);
        if (after >= end || *after != '\n' || size > (size_t)(end - after - 1))
            break;
        const char *body = after + 1;
        if (strncmp(name, "scenarios/", 10) == 0) {
            /* shipped scenarios load last: casus_engine_load_shipped_scenarios */
        } else if (ends_with(name, nlen, ".casus")) {
            st = casus_engine_load_source(e, name, body, size);
        } else if (ends_with(name, nlen, ".csv")) {
            uint32_t src;
            st = casus_diags_add_source(&e->diags, name, body, size, &src);
            if (st == CASUS_OK)
                st = casus_gazetteer_load(&e->gaz, &e->alloc, &e->diags, src, e->geo);
        }
        if (st != CASUS_OK)
            return st;
        p = body + size;
    }
    if (p >= end || *p != '\n') {
        casus_diag_add(&e->diags, CASUS_SEV_ERROR, NULL, "builtin",
                       "the embedded pack is "
                       "corrupt");
        return CASUS_EINVAL;
    }
    e->builtin_loaded = true;
    return CASUS_OK;
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

casus_status casus_engine_load_shipped_scenarios(casus_engine *e)
{
    if (!e->builtin_loaded)
        return CASUS_ESTATE;
    const char *p = (const char *)casus_embed_pack, *end = (const char *)casus_embed_pack_end;
    while (p < end && *p != '\n') {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            return CASUS_EINVAL;
        const char *name = p;
        size_t nlen = (size_t)(nl - p);
        char *after;
        unsigned long size = strtoul(nl + 1, &after, 10);
        if (after >= end || *after != '\n' || size > (size_t)(end - after - 1))
            return CASUS_EINVAL;
        const char *body = after + 1;
        p = body + size;
        if (nlen <= 16 || strncmp(name, "scenarios/", 10) != 0 || !ends_with(name, nlen, ".casus"))
            continue;
        /* scenarios/NAME.casus declares scenario NAME: skip it when a file
           loaded before redefines it */
        const char *base = name + 10;
        size_t blen = nlen - 10 - 6;
        if (casus_symtab_get(&e->scenario_ix, base, blen) >= 0)
            continue;
        char path[256];
        snprintf(path, sizeof path, "%.*s", (int)nlen, name);
        casus_status st = casus_engine_load_source(e, path, body, size);
        if (st == CASUS_ECOMPILE) {
            /* it clashes with a declaration of one's own files (a source or
               ladder of the same name): leave it out, and say so */
            casus_diag_add(&e->diags, CASUS_SEV_WARNING, NULL, "shipped-scenario-skipped",
                           "the shipped scenario '%.*s' was not loaded: it clashes with "
                           "declarations in the files loaded before it",
                           (int)blen, base);
            continue;
        }
        if (st != CASUS_OK)
            return st;
    }
    return CASUS_OK;
}
