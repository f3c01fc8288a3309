/*
 * catalog.c — shipped datasets and fits by name (see catalog.h).
 */
#include "evidence/catalog.h"
#include "base/pack.h"
#include "evidence/table.h"

#include <stdio.h>

#define CATALOG "data/evidence/catalog.csv"

static casus_status add_pack_source(struct casus_diags *d, const char *path, uint32_t *src)
{
    struct casus_pack_file f;
    if (!casus_pack_find(path, &f))
        return CASUS_ENOTFOUND;
    return casus_diags_add_source(d, path, f.body, f.size, src);
}

static const char *field(const struct ev_table *t, uint32_t row, const char *col)
{
    int32_t c = ev_table_find(t, col);
    return c < 0 ? NULL : ev_table_cell(t, row, (uint32_t)c)->s;
}

casus_status ev_catalog_read(struct casus_arena *a, struct casus_diags *d,
                             const struct ev_dataset **out, uint32_t *n)
{
    uint32_t src;
    casus_status st = add_pack_source(d, CATALOG, &src);
    if (st == CASUS_ENOTFOUND) {
        casus_diag_add(d, CASUS_SEV_ERROR, NULL, "builtin", "the build has no %s", CATALOG);
        return CASUS_EINVAL;
    }
    struct ev_table t;
    if (st != CASUS_OK || (st = ev_table_read(&t, a, d, src, NULL, 0)) != CASUS_OK)
        return st;
    struct ev_dataset *ds = casus_arena_alloc(a, (t.nrows ? t.nrows : 1) * sizeof *ds);
    if (!ds)
        return CASUS_ENOMEM;
    for (uint32_t r = 0; r < t.nrows; r++) {
        ds[r] = (struct ev_dataset){field(&t, r, "name"),     field(&t, r, "file"),
                                    field(&t, r, "title"),    field(&t, r, "unit"),
                                    field(&t, r, "citation"), field(&t, r, "url"),
                                    field(&t, r, "terms")};
        if (!ds[r].name || !ds[r].file || !ds[r].title || !ds[r].citation) {
            casus_diag_add(d, CASUS_SEV_ERROR, NULL, "builtin",
                           "%s lacks a name, file, title or citation column", CATALOG);
            return CASUS_EINVAL;
        }
    }
    *out = ds;
    *n = t.nrows;
    return CASUS_OK;
}

casus_status ev_catalog_open(struct casus_arena *a, struct casus_diags *d, const char *name,
                             const struct ev_dataset **entry, uint32_t *src)
{
    const struct ev_dataset *ds;
    uint32_t n;
    casus_status st = ev_catalog_read(a, d, &ds, &n);
    if (st != CASUS_OK)
        return st;
    for (uint32_t i = 0; i < n; i++)
        if (strcmp(ds[i].name, name) == 0) {
            char path[256];
            snprintf(path, sizeof path, "data/evidence/%s", ds[i].file);
            st = add_pack_source(d, path, src);
            if (st == CASUS_ENOTFOUND) {
                casus_diag_add(d, CASUS_SEV_ERROR, NULL, "builtin", "the build has no %s", path);
                return CASUS_EINVAL;
            }
            *entry = &ds[i];
            return st;
        }
    return CASUS_ENOTFOUND;
}

casus_status ev_catalog_fit(struct casus_diags *d, const char *name, uint32_t *src)
{
    char path[256];
    if (snprintf(path, sizeof path, "data/fits/%s.json", name) >= (int)sizeof path)
        return CASUS_ENOTFOUND;
    return add_pack_source(d, path, src);
}
