/*
 * group.c — grouping identical observations into weighted rows (see
 * group.h): an open-addressing hash over each observation's values.
 */
#include "fit/group.h"

static uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    return h * 0xff51afd7ed558ccdull;
}

static uint64_t bits_of(double v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    return u;
}

static uint64_t row_hash(const struct fit_design *ds, size_t i)
{
    uint64_t h = 0x243f6a8885a308d3ull;
    for (int q = 0; q < ds->neq; q++)
        for (size_t c = 0; c < ds->k[q]; c++)
            h = mix(h, bits_of(ds->x[q][c * ds->n + i]));
    if (ds->y)
        h = mix(h, ds->y[i]);
    if (ds->offer)
        h = mix(h, bits_of(ds->offer[i]));
    if (ds->accept)
        h = mix(h, ds->accept[i]);
    return h;
}

static bool row_equal(const struct fit_design *ds, size_t i, size_t j)
{
    for (int q = 0; q < ds->neq; q++)
        for (size_t c = 0; c < ds->k[q]; c++)
            if (bits_of(ds->x[q][c * ds->n + i]) != bits_of(ds->x[q][c * ds->n + j]))
                return false;
    return (!ds->y || ds->y[i] == ds->y[j]) &&
           (!ds->offer || bits_of(ds->offer[i]) == bits_of(ds->offer[j])) &&
           (!ds->accept || ds->accept[i] == ds->accept[j]);
}

casus_status fit_group_rows(const struct fit_design *ds, struct casus_arena *a,
                            struct fit_groups *g)
{
    size_t n = ds->n, cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    uint32_t *slot = casus_arena_alloc(a, cap * sizeof *slot); /* group + 1, 0 = empty */
    g->of = casus_arena_alloc(a, (n + 1) * sizeof *g->of);
    g->first = casus_arena_alloc(a, (n + 1) * sizeof *g->first);
    g->count = casus_arena_alloc(a, (n + 1) * sizeof *g->count);
    if (!slot || !g->of || !g->first || !g->count)
        return CASUS_ENOMEM;
    g->n = 0;
    for (size_t i = 0; i < n; i++) {
        size_t s = (size_t)row_hash(ds, i) & (cap - 1);
        while (slot[s] && !row_equal(ds, g->first[slot[s] - 1], i))
            s = (s + 1) & (cap - 1);
        if (!slot[s]) {
            g->first[g->n] = (uint32_t)i;
            slot[s] = (uint32_t)++g->n;
        }
        g->of[i] = slot[s] - 1;
        g->count[slot[s] - 1] += 1.0;
    }
    return CASUS_OK;
}

/* A copy of the first rows of each group of an n-row array of elem bytes. */
static void *pick(struct casus_arena *a, const void *src, size_t elem, const struct fit_groups *g)
{
    if (!src)
        return NULL;
    unsigned char *o = casus_arena_alloc(a, (g->n + 1) * elem);
    for (size_t u = 0; o && u < g->n; u++)
        memcpy(o + u * elem, (const unsigned char *)src + g->first[u] * elem, elem);
    return o;
}

casus_status fit_group_design(const struct fit_design *ds, const struct fit_groups *g,
                              struct casus_arena *a, struct fit_design *out)
{
    *out = *ds;
    out->n = (uint32_t)g->n;
    for (int q = 0; q < ds->neq; q++) {
        double *x = casus_arena_alloc(a, (ds->k[q] * g->n + 1) * sizeof *x);
        if (!x)
            return CASUS_ENOMEM;
        for (size_t c = 0; c < ds->k[q]; c++)
            for (size_t u = 0; u < g->n; u++)
                x[c * g->n + u] = ds->x[q][c * ds->n + g->first[u]];
        out->x[q] = x;
    }
    out->y = pick(a, ds->y, sizeof *ds->y, g);
    out->offer = pick(a, ds->offer, sizeof *ds->offer, g);
    out->accept = pick(a, ds->accept, sizeof *ds->accept, g);
    if ((ds->y && !out->y) || (ds->offer && !out->offer) || (ds->accept && !out->accept))
        return CASUS_ENOMEM;
    return CASUS_OK;
}
