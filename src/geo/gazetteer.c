/*
 * gazetteer.c — the place-name gazetteer (see gazetteer.h).  A small CSV
 * reader with byte positions for diagnostics, name normalisation with accent
 * folding, and a hash index over names and aliases.
 */
#include "geo/gazetteer.h"
#include "base/suggest.h"
#include "base/symtab.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

struct casus_gazetteer {
    const struct casus_geo *geo; /* borrowed; places are located on demand */
    struct casus_arena arena;
    struct casus_place *places;
    uint32_t n, cap;
    struct casus_symtab index; /* normalised name -> place */
    const char **keys;         /* normalised names (for suggestions) */
    int32_t *key_place;
    uint32_t nkeys, capkeys;
};

/* Fold a two-byte UTF-8 Latin letter (U+00C0..U+017F) to ASCII, or 0. */
static char fold_latin(unsigned cp)
{
    static const char latin1[] = /* U+00C0 .. U+00FF */
        "AAAAAAACEEEEIIIIDNOOOOOxOUUUUYTs"
        "aaaaaaaceeeeiiiidnooooo/ouuuuyty";
    static const char ext_a[] = /* U+0100 .. U+017F */
        "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIiJjJjKkkLlLlLlLlLlNnNnNnnNnOoOoOoOoRrRrRr"
        "SsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs";
    if (cp >= 0xC0 && cp <= 0xFF)
        return latin1[cp - 0xC0];
    if (cp >= 0x100 && cp <= 0x17F)
        return ext_a[cp - 0x100];
    if (cp == 0x218 || cp == 0x219) /* Ș ș */
        return 's';
    if (cp == 0x21A || cp == 0x21B) /* Ț ț */
        return 't';
    return 0;
}

size_t casus_name_normalize(const char *s, size_t len, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < len && k + 1 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        char a = 0;
        if (c < 0x80) {
            if (c >= 'A' && c <= 'Z')
                a = (char)(c + 32);
            else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
                a = (char)c;
        } else if ((c & 0xE0) == 0xC0 && i + 1 < len) {
            unsigned cp = ((c & 0x1Fu) << 6) | ((unsigned char)s[i + 1] & 0x3Fu);
            i++;
            a = fold_latin(cp);
            if (a >= 'A' && a <= 'Z')
                a = (char)(a + 32);
            if (a == 'x' || a == '/')
                a = 0;
        } else if ((c & 0xF0) == 0xE0) {
            i += 2;
        } else if ((c & 0xF8) == 0xF0) {
            i += 3;
        }
        if (a)
            out[k++] = a;
    }
    out[k] = '\0';
    return k;
}

void casus_gazetteer_free(struct casus_gazetteer *g)
{
    if (!g)
        return;
    struct casus_arena a = g->arena;
    casus_arena_release(&a);
}

/* One CSV field of the current line: [start, end) unquoted text. */
struct field {
    uint32_t start, end;
    char *value;
};

static struct casus_diag *row_error(struct casus_diags *d, uint32_t src, uint32_t start,
                                    uint32_t end, const char *msg)
{
    struct casus_span sp = {src, start, end > start ? end : start + 1};
    return casus_diag_add(d, CASUS_SEV_ERROR, &sp, "gazetteer-row", "%s", msg);
}

static bool add_key(struct casus_gazetteer *g, const char *name, size_t len, int32_t place,
                    struct casus_diags *d, uint32_t src, uint32_t at, bool *dup)
{
    char norm[128];
    size_t n = casus_name_normalize(name, len, norm, sizeof norm);
    if (n == 0)
        return true;
    int32_t prev = casus_symtab_get(&g->index, norm, n);
    if (prev == place)
        return true; /* an alias that differs only in accents or case */
    if (prev >= 0) {
        struct casus_diag *dg =
            row_error(d, src, at, at + (uint32_t)len, "place name or alias given twice");
        casus_diag_note(d, dg, "names are compared without case, accents or punctuation");
        *dup = true;
        return true;
    }
    char *key = casus_arena_strndup(&g->arena, norm, n);
    if (!key)
        return false;
    if (casus_symtab_put(&g->index, &g->arena, key, n, place) != CASUS_OK)
        return false;
    if (g->nkeys == g->capkeys) {
        uint32_t cap = g->capkeys ? g->capkeys * 2 : 128;
        const char **k2 = casus_arena_grow(&g->arena, (void *)g->keys, g->nkeys, cap, sizeof *k2);
        int32_t *p2 = casus_arena_grow(&g->arena, g->key_place, g->nkeys, cap, sizeof *p2);
        if (!k2 || !p2)
            return false;
        g->keys = k2;
        g->key_place = p2;
        g->capkeys = cap;
    }
    g->keys[g->nkeys] = key;
    g->key_place[g->nkeys++] = place;
    return true;
}

static bool parse_coord(const char *s, double lo, double hi, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || !isfinite(v) || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

/* A row being read: its fields (the first 8 kept), where it starts, and
 * whether it failed (an error was reported) or memory ran out. */
struct row {
    struct field f[8];
    int nf;
    uint32_t start;
    bool bad, oom;
};

/* One field at *pos, quoted ("" inside quotes is a quote) or not, copied
 * into the arena; *pos ends after it. */
static char *read_field(struct casus_gazetteer *g, struct casus_diags *d, uint32_t src,
                        const char *t, uint32_t len, uint32_t *pos, struct row *r)
{
    if (*pos >= len || t[*pos] != '"') {
        uint32_t vs = *pos;
        while (*pos < len && t[*pos] != ',' && t[*pos] != '\n' && t[*pos] != '\r')
            ++*pos;
        char *val = casus_arena_strndup(&g->arena, t + vs, *pos - vs);
        r->oom |= !val;
        return val;
    }
    uint32_t fs = (*pos)++, vs = *pos;
    size_t cap = 0;
    while (*pos < len && !(t[*pos] == '"' && (*pos + 1 >= len || t[*pos + 1] != '"'))) {
        *pos += t[*pos] == '"' ? 2 : 1;
        cap++;
    }
    if (*pos >= len) {
        row_error(d, src, fs, fs + 1, "unterminated quoted field");
        r->bad = true;
        return NULL;
    }
    char *val = casus_arena_alloc(&g->arena, cap + 1);
    if (!val) {
        r->oom = true;
        return NULL;
    }
    size_t k = 0;
    for (uint32_t i = vs; i < *pos; i++) {
        val[k++] = t[i];
        if (t[i] == '"')
            i++;
    }
    val[k] = '\0';
    ++*pos;
    return val;
}

/* The fields of the row at *pos, through its line end. */
static void read_row(struct casus_gazetteer *g, struct casus_diags *d, uint32_t src, const char *t,
                     uint32_t len, uint32_t *pos, struct row *r)
{
    memset(r, 0, sizeof *r);
    r->start = *pos;
    for (;;) {
        uint32_t fs = *pos;
        char *val = read_field(g, d, src, t, len, pos, r);
        if (!val) {
            if (r->bad)
                *pos = len;
            return;
        }
        if (r->nf < 8)
            r->f[r->nf] = (struct field){fs, *pos, val};
        r->nf++;
        if (*pos < len && t[*pos] == ',') {
            ++*pos;
            continue;
        }
        if (*pos < len && t[*pos] == '\r')
            ++*pos;
        if (*pos < len && t[*pos] == '\n')
            ++*pos;
        else if (*pos < len) {
            row_error(d, src, *pos, *pos + 1, "unexpected text after a quoted field");
            r->bad = true;
            while (*pos < len && t[*pos] != '\n')
                ++*pos;
        }
        return;
    }
}

/* A data row as a place: checked, appended, indexed by name and aliases.
 * false only when out of memory (bad rows are reported and skipped). */
static bool add_place(struct casus_gazetteer *g, struct casus_diags *d, uint32_t src, const char *t,
                      const struct row *r, uint32_t end)
{
    const struct field *f = r->f;
    if (r->nf != 8) {
        char msg[96];
        snprintf(msg, sizeof msg, "expected 8 fields, found %d", r->nf);
        row_error(d, src, r->start, end, msg);
        return true;
    }
    struct casus_place p = {.name = f[0].value};
    if (!p.name[0]) {
        row_error(d, src, f[0].start, f[0].end, "empty place name");
        return true;
    }
    if (!parse_coord(f[2].value, -90, 90, &p.lat)) {
        row_error(d, src, f[2].start, f[2].end, "latitude must be a number in [-90, 90]");
        return true;
    }
    if (!parse_coord(f[3].value, -180, 180, &p.lon)) {
        row_error(d, src, f[3].start, f[3].end, "longitude must be a number in [-180, 180]");
        return true;
    }
    p.sovereign = f[4].value[0] ? f[4].value : NULL;
    p.unit = f[5].value[0] ? f[5].value : NULL;
    p.note = f[6].value[0] ? f[6].value : NULL;
    p.source = f[7].value[0] ? f[7].value : NULL;
    if (g->n == g->cap) {
        uint32_t cap = g->cap ? g->cap * 2 : 64;
        struct casus_place *np = casus_arena_grow(&g->arena, g->places, g->n, cap, sizeof *np);
        if (!np)
            return false;
        g->places = np;
        g->cap = cap;
    }
    int32_t idx = (int32_t)g->n;
    g->places[g->n++] = p;
    bool dup = false;
    if (!add_key(g, p.name, strlen(p.name), idx, d, src, f[0].start, &dup))
        return false;
    /* aliases: '|'-separated */
    const char *al = f[1].value;
    uint32_t off = f[1].start + (t[f[1].start] == '"');
    while (*al) {
        const char *bar = strchr(al, '|');
        size_t n = bar ? (size_t)(bar - al) : strlen(al);
        if (!add_key(g, al, n, idx, d, src, off, &dup))
            return false;
        off += (uint32_t)n + 1;
        al += n + (bar != NULL);
    }
    return true;
}

casus_status casus_gazetteer_load(struct casus_gazetteer **out, const struct casus_alloc *a,
                                  struct casus_diags *d, uint32_t src, const struct casus_geo *geo)
{
    *out = NULL;
    const struct casus_source *s = casus_diags_source(d, src);
    if (!s)
        return CASUS_EINVAL;
    struct casus_arena arena;
    casus_arena_init(&arena, a);
    struct casus_gazetteer *g = casus_arena_alloc(&arena, sizeof *g);
    if (!g) {
        casus_arena_release(&arena);
        return CASUS_ENOMEM;
    }
    g->arena = arena;
    g->geo = geo;
    size_t errors = d->nerrors;
    uint32_t pos = 0;
    bool header = true, oom = false;
    while (pos < s->len && !oom) {
        struct row r;
        read_row(g, d, src, s->text, s->len, &pos, &r);
        oom = r.oom;
        if (r.oom || r.bad || (r.nf == 1 && r.f[0].value[0] == '\0'))
            continue;
        if (header) {
            header = false;
            if (r.nf != 8 || strcmp(r.f[0].value, "name") != 0) {
                row_error(d, src, r.start, pos,
                          "expected the header name,aliases,lat,lon,sovereign,unit,note,source");
                break;
            }
            continue;
        }
        oom = !add_place(g, d, src, s->text, &r, pos);
    }
    casus_status st = oom ? CASUS_ENOMEM : d->nerrors > errors ? CASUS_ECOMPILE : CASUS_OK;
    if (st != CASUS_OK) {
        casus_gazetteer_free(g);
        return st;
    }
    *out = g;
    return CASUS_OK;
}

const struct casus_place *casus_gazetteer_find(const struct casus_gazetteer *g, const char *name,
                                               size_t len)
{
    char norm[128];
    if (!g || len >= 512)
        return NULL;
    size_t n = casus_name_normalize(name, len, norm, sizeof norm);
    int32_t i = n ? casus_symtab_get(&g->index, norm, n) : -1;
    return i >= 0 ? &g->places[i] : NULL;
}

const char *casus_gazetteer_suggest(const struct casus_gazetteer *g, const char *name, size_t len)
{
    char norm[128];
    if (!g || len >= 512)
        return NULL;
    size_t n = casus_name_normalize(name, len, norm, sizeof norm);
    struct casus_suggest sg;
    casus_suggest_begin(&sg, norm, n);
    for (uint32_t i = 0; i < g->nkeys; i++)
        casus_suggest_offer(&sg, g->keys[i], g->places[g->key_place[i]].name);
    const char *hit = casus_suggest_best(&sg);
    if (hit || n < 4)
        return hit;
    /* "Hamilton" for "Hamilton (Bermuda)": the first name it begins. */
    for (uint32_t i = 0; i < g->nkeys; i++)
        if (strncmp(g->keys[i], norm, n) == 0)
            return g->places[g->key_place[i]].name;
    return NULL;
}

size_t casus_gazetteer_candidates(const struct casus_gazetteer *g, const char *name, size_t len,
                                  const struct casus_place **out, size_t max)
{
    char norm[128], base[128];
    if (!g || len >= 512)
        return 0;
    size_t n = casus_name_normalize(name, len, norm, sizeof norm), k = 0;
    for (uint32_t i = 0; n && i < g->n; i++) {
        const char *nm = g->places[i].name, *paren = strstr(nm, " (");
        if (!paren)
            continue;
        size_t b = casus_name_normalize(nm, (size_t)(paren - nm), base, sizeof base);
        if (b == n && memcmp(base, norm, n) == 0) {
            if (k < max)
                out[k] = &g->places[i];
            k++;
        }
    }
    return k;
}

casus_status casus_gazetteer_locate(const struct casus_gazetteer *g, const struct casus_place *p,
                                    int32_t date, struct casus_geo_hit *out)
{
    if (!g->geo) {
        memset(out, 0, sizeof *out);
        return CASUS_ESTATE;
    }
    return casus_geo_locate(g->geo, p->lat, p->lon, date, out);
}

size_t casus_gazetteer_count(const struct casus_gazetteer *g)
{
    return g ? g->n : 0;
}

const struct casus_place *casus_gazetteer_at(const struct casus_gazetteer *g, size_t i)
{
    return g && i < g->n ? &g->places[i] : NULL;
}
