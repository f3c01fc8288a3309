/*
 * check_zone.c — checking the zones a treaty draws by coordinates
 * (`zone NAME { polygon [(lat, lon), …] edges rhumb cite … }`, Rio Treaty
 * Art. 4): at least three vertices, latitudes in [-90, 90] and longitudes in
 * [-180, 180], edges that are rhumb lines (the only kind the treaties casus
 * encodes use; "due north" and "due south" are rhumb lines too), and a cited
 * source for the coordinates.
 *
 * Longitudes are unwrapped here, once: each vertex is moved by ±360° so that
 * it lies within 180° of the one before, which is how a boundary that runs
 * "by a rhumb line to a point 50 degrees north latitude, 170 degrees east
 * longitude" from 120°W crosses the antimeridian westwards.  A ring that then
 * spans 360° or more of longitude is refused: it would contain a pole's whole
 * parallel, which no treaty text casus reads does.  The point test is
 * casus_zone_contains (treaty/verdict.c).
 */
#include "lang/check.h"

#include <math.h>

/* The vertices of z, unwrapped, into m; false after an error. */
static bool zone_ring(struct checker *c, const struct casus_ast_zone *z, struct casus_mzone *m)
{
    double *lat = casus_checker_alloc(c, z->npoints * sizeof *lat);
    double *lon = casus_checker_alloc(c, z->npoints * sizeof *lon);
    if (!lat || !lon)
        return false;
    bool ok = true;
    for (uint32_t i = 0; i < z->npoints; i++) {
        const struct casus_ast_point *p = &z->points[i];
        if (!(p->lat >= -90 && p->lat <= 90 && p->lon >= -180 && p->lon <= 180)) {
            casus_checker_error(c, &p->span, "bad-coordinates",
                                "a point is (latitude in [-90, 90], longitude in [-180, 180])");
            ok = false;
            continue;
        }
        lat[i] = p->lat;
        lon[i] = p->lon;
        if (i > 0) {
            while (lon[i] - lon[i - 1] > 180)
                lon[i] -= 360;
            while (lon[i] - lon[i - 1] < -180)
                lon[i] += 360;
        }
    }
    m->lat = lat;
    m->lon = lon;
    m->n = z->npoints;
    m->lon_lo = m->lon_hi = lon[0];
    for (uint32_t i = 1; ok && i < z->npoints; i++) {
        m->lon_lo = fmin(m->lon_lo, lon[i]);
        m->lon_hi = fmax(m->lon_hi, lon[i]);
    }
    if (ok && m->lon_hi - m->lon_lo >= 360) {
        casus_checker_error(c, &z->name.span, "bad-zone",
                            "zone '%s' spans 360 degrees of longitude or more", z->name.s);
        ok = false;
    }
    return ok;
}

static bool check_zone(struct checker *c, const struct casus_ast_zone *z, struct casus_mzone *m)
{
    m->name = z->name.s;
    m->title = z->title.s;
    m->article = z->article.s;
    m->quote = z->quote.s;
    m->note = z->note.s;
    m->span = z->name.span;
    m->cite = casus_checker_source(c, &z->cite);
    if (!z->cite.s)
        casus_checker_error(c, &z->name.span, "missing-field",
                            "zone '%s' must cite the source of its coordinates", z->name.s);
    if (z->edges.s && strcmp(z->edges.s, "rhumb") != 0) {
        struct casus_diag *g = casus_checker_error(c, &z->edges.span, "unknown-value",
                                                   "unknown edges '%s'", z->edges.s);
        casus_diag_note(c->d, g, "zones have rhumb-line edges ('edges rhumb')");
    }
    if (!z->has_polygon || z->npoints < 3) {
        casus_checker_error(c, &z->name.span, "missing-field",
                            "zone '%s' needs a polygon of at least three points", z->name.s);
        return false;
    }
    return zone_ring(c, z, m);
}

bool casus_checker_zones(struct checker *c, const struct casus_ast_treaty *t,
                         struct casus_mzone **out, uint32_t *n)
{
    uint32_t k = 0;
    for (const struct casus_ast_zone *z = t->zones; z; z = z->next)
        k++;
    struct casus_mzone *zones = casus_checker_alloc(c, (k ? k : 1) * sizeof *zones);
    if (!zones)
        return false;
    uint32_t i = 0;
    for (const struct casus_ast_zone *z = t->zones; z; z = z->next, i++) {
        for (const struct casus_ast_zone *o = t->zones; o != z; o = o->next)
            if (strcmp(o->name.s, z->name.s) == 0)
                casus_checker_error(c, &z->name.span, "duplicate", "zone '%s' is defined twice",
                                    z->name.s);
        check_zone(c, z, &zones[i]);
    }
    *out = zones;
    *n = k;
    return !c->oom;
}
