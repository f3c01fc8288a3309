/*
 * verdict.c — applying treaties to an incident: resolve the place (gazetteer
 * or coordinates, then dated sovereignty), then for every treaty the victim
 * belongs to, every clause with a trigger: in force?  party on the date?
 * inside the clause's scope (its rules, evaluated in order)?
 *
 * Pipeline: check (model) ─ verdict ─ report.  Nothing here knows a treaty:
 * coverage comes from the scope rules written in .casus files.  A verdict is
 * covered if any `covered` rule in force holds, else contested if any
 * `contested` rule holds, else not covered for the scope's `otherwise`
 * reason.  Hot path: no allocation; O(rules × condition size).
 */
#include "treaty/result.h"
#include "base/buf.h"
#include "base/suggest.h"
#include "geo/gazetteer.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>

const char *casus_actor_code(const struct casus_engine *e, int32_t i)
{
    return i >= 0 && (uint32_t)i < e->nactors ? e->actors[i]->code : "none";
}

const char *casus_span_text(const struct casus_engine *e, const struct casus_span *s, uint32_t *len)
{
    const struct casus_source *src = casus_diags_source(&e->diags, s->src);
    if (!src || s->end > src->len || s->start > s->end) {
        *len = 0;
        return "";
    }
    *len = s->end - s->start;
    return src->text + s->start;
}

/* ---- membership ---- */

bool casus_treaty_party_on(const struct casus_mtreaty *t, int32_t who, casus_date d,
                           const struct casus_mperiod **period)
{
    if (who < 0 || (uint32_t)who >= t->nindexed)
        return false;
    uint32_t first = t->party_first[who], n = t->party_count[who];
    for (uint32_t i = first; i < first + n; i++) {
        const struct casus_mperiod *p = &t->parties[i];
        if (d >= p->from && d < p->until) {
            if (period)
                *period = p;
            return true;
        }
    }
    return false;
}

uint32_t casus_treaty_party_count(const struct casus_mtreaty *t, casus_date d)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < t->nparties; i++)
        n += t->parties[i].who >= 0 && d >= t->parties[i].from && d < t->parties[i].until;
    return n;
}

bool casus_engine_party_on(const casus_engine *e, size_t t, size_t i, casus_date d,
                           casus_date *from, casus_date *until)
{
    const struct casus_mperiod *p = NULL;
    if (t >= e->ntreaties || i >= e->nactors ||
        !casus_treaty_party_on(e->treaties[t], (int32_t)i, d, &p))
        return false;
    if (from)
        *from = p->from;
    if (until)
        *until = p->until;
    return true;
}

static bool ever_party(const struct casus_mtreaty *t, int32_t who)
{
    return who >= 0 && (uint32_t)who < t->nindexed && t->party_count[who] > 0;
}

/* ---- conditions ----
 * Typed evaluation: the checker fixed every node's type, so each evaluator
 * returns a plain scalar (no tagged values on the hot path).  Integers carry
 * actors, enum values, dates and booleans; -1 means "none" and equals
 * nothing. */

static int32_t ev_int(const struct casus_cx *x, const struct casus_ctx *c);
static double ev_num(const struct casus_cx *x, const struct casus_ctx *c);
static const char *ev_str(const struct casus_cx *x, const struct casus_ctx *c);

static bool is_stringish(enum casus_type t)
{
    return t == CASUS_T_STR || t == CASUS_T_BASIN || t == CASUS_T_UNIT;
}

static int32_t attr_int(int attr, const struct casus_ctx *c)
{
    switch ((enum casus_attr)attr) {
    case CASUS_ATTR_object: return c->object;
    case CASUS_ATTR_victim: return c->victim;
    case CASUS_ATTR_attacker: return c->attacker;
    case CASUS_ATTR_date: return c->date;
    case CASUS_ATTR_sovereign: return c->sovereign;
    case CASUS_ATTR_de_facto: return c->de_facto;
    case CASUS_ATTR_administered_by: return c->administered_by;
    case CASUS_ATTR_region: return c->region;
    case CASUS_ATTR_island: return c->island;
    case CASUS_ATTR_at_sea: return c->at_sea;
    case CASUS_ATTR_attribution: return c->attribution;
    default: return -1;
    }
}

static const char *attr_str(int attr, const struct casus_ctx *c)
{
    switch ((enum casus_attr)attr) {
    case CASUS_ATTR_unit: return c->unit;
    case CASUS_ATTR_island_basin: return c->island_basin;
    case CASUS_ATTR_sea: return c->sea;
    case CASUS_ATTR_basin: return c->basin;
    default: return NULL;
    }
}

static bool str_eq(const char *a, const char *b)
{
    return a && b && (a == b || strcmp(a, b) == 0);
}

/* Are the values of a and b equal?  Both have the same (or string-like) type. */
static bool ev_equal(const struct casus_cx *a, const struct casus_cx *b, const struct casus_ctx *c)
{
    if (a->type == CASUS_T_NUM)
        return ev_num(a, c) == ev_num(b, c);
    if (is_stringish(a->type))
        return str_eq(ev_str(a, c), ev_str(b, c));
    if (a->type == CASUS_T_BOOL)
        return !ev_int(a, c) == !ev_int(b, c);
    int32_t va = ev_int(a, c);
    return va >= 0 && va == ev_int(b, c);
}

static bool ev_bool(const struct casus_cx *x, const struct casus_ctx *c)
{
    switch (x->op) {
    case CASUS_CX_AND: return ev_bool(x->a, c) && ev_bool(x->b, c);
    case CASUS_CX_OR: return ev_bool(x->a, c) || ev_bool(x->b, c);
    case CASUS_CX_NOT: return !ev_bool(x->a, c);
    case CASUS_CX_EQ: return ev_equal(x->a, x->b, c);
    case CASUS_CX_NE: return !ev_equal(x->a, x->b, c);
    case CASUS_CX_LT:
    case CASUS_CX_LE:
    case CASUS_CX_GT:
    case CASUS_CX_GE: {
        double l, r;
        if (x->a->type == CASUS_T_NUM) {
            l = ev_num(x->a, c);
            r = ev_num(x->b, c);
        } else {
            l = ev_int(x->a, c);
            r = ev_int(x->b, c);
        }
        return x->op == CASUS_CX_LT   ? l < r
               : x->op == CASUS_CX_LE ? l <= r
               : x->op == CASUS_CX_GT ? l > r
                                      : l >= r;
    }
    case CASUS_CX_IN:
        if (is_stringish(x->a->type)) {
            const char *v = ev_str(x->a, c);
            for (uint32_t k = 0; k < x->nitems; k++)
                if (str_eq(v, x->items[k]->s))
                    return true;
        } else if (x->a->type == CASUS_T_NUM) {
            double v = ev_num(x->a, c);
            for (uint32_t k = 0; k < x->nitems; k++)
                if (v == x->items[k]->num)
                    return true;
        } else {
            int32_t v = ev_int(x->a, c);
            for (uint32_t k = 0; k < x->nitems; k++)
                if (v >= 0 && v == x->items[k]->i)
                    return true;
        }
        return false;
    case CASUS_CX_PARTY:
        return c->treaty && casus_treaty_party_on(c->treaty, ev_int(x->a, c), c->date, NULL);
    case CASUS_CX_CLAIMS: {
        int32_t who = ev_int(x->a, c);
        for (uint32_t k = 0; who >= 0 && k < c->nclaims; k++)
            if (c->claims[k] == who)
                return true;
        return false;
    }
    case CASUS_CX_WITHIN: return casus_zone_contains(x->zone, c->lat, c->lon);
    case CASUS_CX_CONST: return x->i != 0;
    case CASUS_CX_ATTR: return attr_int(x->i, c) > 0;
    default: return false;
    }
}

static int32_t ev_int(const struct casus_cx *x, const struct casus_ctx *c)
{
    if (x->op == CASUS_CX_CONST)
        return x->i;
    if (x->op == CASUS_CX_ATTR)
        return attr_int(x->i, c);
    return ev_bool(x, c);
}

static double ev_num(const struct casus_cx *x, const struct casus_ctx *c)
{
    switch (x->op) {
    case CASUS_CX_CONST: return x->num;
    case CASUS_CX_ATTR:
        return x->i == CASUS_ATTR_lat ? c->lat : x->i == CASUS_ATTR_lon ? c->lon : 0;
    case CASUS_CX_NEG: return -ev_num(x->a, c);
    case CASUS_CX_ADD: return ev_num(x->a, c) + ev_num(x->b, c);
    case CASUS_CX_SUB: return ev_num(x->a, c) - ev_num(x->b, c);
    case CASUS_CX_MUL: return ev_num(x->a, c) * ev_num(x->b, c);
    case CASUS_CX_DIV: return ev_num(x->a, c) / ev_num(x->b, c);
    default: return 0;
    }
}

static const char *ev_str(const struct casus_cx *x, const struct casus_ctx *c)
{
    return x->op == CASUS_CX_CONST ? x->s : x->op == CASUS_CX_ATTR ? attr_str(x->i, c) : NULL;
}

bool casus_eval_bool(const struct casus_cx *x, const struct casus_ctx *c)
{
    return ev_bool(x, c);
}

/* ---- zones ---- */

/* Mercator ordinate of a latitude (spherical; the poles clamped so that a
 * vertex at a pole stays finite: a ring through a pole runs along the
 * clamped parallel, which is the same set of points). */
static double mercator_y(double lat)
{
    const double max = 89.999, pi = 3.14159265358979323846;
    lat = lat > max ? max : lat < -max ? -max : lat;
    return log(tan(pi / 4 + lat * pi / 360));
}

bool casus_zone_contains(const struct casus_mzone *z, double lat, double lon)
{
    double y = mercator_y(lat);
    for (int k = -1; k <= 1; k++) {
        double x = lon + 360.0 * k;
        if (x < z->lon_lo || x > z->lon_hi)
            continue;
        bool in = false;
        for (uint32_t i = 0, j = z->n - 1; i < z->n; j = i++) {
            double yi = mercator_y(z->lat[i]), yj = mercator_y(z->lat[j]);
            if ((yi > y) == (yj > y))
                continue;
            double xc = z->lon[i] + (y - yi) * (z->lon[j] - z->lon[i]) / (yj - yi);
            if (x < xc)
                in = !in;
        }
        if (in)
            return true;
    }
    return false;
}

/* ---- result object ---- */

static void copy_code(char *dst, size_t cap, const char *src)
{
    size_t n = src ? strlen(src) : 0;
    if (n >= cap)
        n = cap - 1;
    if (n)
        memcpy(dst, src, n);
    dst[n] = '\0';
}

/* Read the victim or attacker: an actor code or an alias ("UK", "Russia",
 * "GB"); an alias naming several actors is refused with the candidates. */
static int32_t actor_or_fail(const casus_engine *e, casus_result *r, const char *name,
                             casus_input role, casus_status *st)
{
    bool victim = role == CASUS_INPUT_VICTIM;
    struct casus_actor_match *m = victim ? &r->victim_read : &r->attacker_read;
    copy_code(victim ? r->victim_asked : r->attacker_asked, sizeof r->victim_asked, name);
    size_t len = name ? strlen(name) : 0;
    int k = name ? casus_actor_match(e, name, len, m) : 0;
    if (k == 1)
        return m->actor;
    const char *what = victim ? "victim" : "attacker";
    char buf[512];
    if (k < 0) {
        casus_actor_candidates(e, m, buf, sizeof buf);
        *st = casus_error_set(&r->err, CASUS_ENOTFOUND, "ambiguous-actor", role,
                              "ambiguous %s '%s': it names %s (give one code)", what, name, buf);
        return -1;
    }
    casus_actor_suggestion(e, name ? name : "", len, buf, sizeof buf);
    *st = casus_error_set(&r->err, CASUS_ENOTFOUND, "unknown-actor", role, "unknown %s '%s'%s",
                          what, name ? name : "",
                          buf[0] ? buf
                                 : " (use an ISO 3166 code such as USA or GB, a name such as "
                                   "'Russia', or 'unknown'; see 'casus actors')");
    return -1;
}

static int32_t region_index(const char *region)
{
    return region ? casus_vocab_find(&casus_vocab_region, region, strlen(region)) : -1;
}

/* The gazetteer place a name means: the name or an alias, else the one
 * entry it is the bare name of (settled by the victim among several);
 * otherwise an error with the nearest name in *suggestion. */
static casus_status find_place(const casus_engine *e, const char *place, casus_date date,
                               int32_t victim, casus_result *r, casus_error *err,
                               const char **suggestion, const struct casus_place **out)
{
    *out = place ? casus_gazetteer_find(e->gaz, place, strlen(place)) : NULL;
    if (*out)
        return CASUS_OK;
    if (place) {
        casus_status st = casus_place_pick(e, place, date, victim, r, err, out);
        if (st == CASUS_OK || (err && err->code))
            return st;
    }
    const struct casus_place *first = NULL; /* "Hamilton": the first of its entries */
    const char *sug = !place ? NULL
                      : casus_gazetteer_candidates(e->gaz, place, strlen(place), &first, 1)
                          ? first->name
                          : casus_gazetteer_suggest(e->gaz, place, strlen(place));
    if (suggestion)
        *suggestion = sug;
    if (sug)
        return casus_error_set(err, CASUS_ENOTFOUND, "unknown-place", CASUS_INPUT_PLACE,
                               "unknown place '%s' (did you mean '%s'?)", place ? place : "", sug);
    return casus_error_set(err, CASUS_ENOTFOUND, "unknown-place", CASUS_INPUT_PLACE,
                           "unknown place '%s' (give --lat and --lon, or see 'casus where --list')",
                           place ? place : "");
}

/* The fields of loc the map decides: region, island, sea, boundary,
 * waters (a point's, or a place's the map puts offshore), the contested
 * continent, the disputed-unit table's administration and claims. */
static void location_from_hit(casus_location *loc, const struct casus_geo_hit *hit, bool point)
{
    loc->region = hit->region;
    loc->island = hit->island;
    loc->island_basin = hit->island_basin;
    loc->sea = hit->sea;
    loc->basin = hit->basin;
    loc->near_boundary = hit->near_boundary;
    loc->boundary_km = hit->boundary_km;
    if (point || !hit->snapped) { /* a place the map puts just offshore is on land */
        loc->waters = hit->waters;
        loc->coastal_state = hit->coastal_state;
        loc->waters_zone = hit->waters_zone;
        loc->waters_contested = hit->waters_contested;
        loc->territorial_sea_nm = hit->territorial_sea_nm;
        loc->waters_source = hit->waters_source;
    }
    loc->region_alt = hit->region_alt;
    loc->region_source = hit->region_source;
    loc->administered_by = hit->administered_by;
    loc->claimed_by = hit->claimed_by;
    loc->area_source = hit->area_source;
}

/* Resolve a place name or a point on a date into loc and the location part
 * of c.  On failure writes a message into err and returns the status;
 * *suggestion gets the closest gazetteer name for an unknown place. */
static casus_status locate(const casus_engine *e, const char *place, bool has_point, double lat,
                           double lon, casus_date date, casus_location *loc, struct casus_ctx *c,
                           casus_result *r, casus_error *err, const char **suggestion)
{
    struct casus_geo_hit hit;
    const char *sov_override = NULL, *unit_override = NULL, *note = NULL;
    memset(loc, 0, sizeof *loc);
    if (suggestion)
        *suggestion = NULL;
    if (!e->geo || !e->gaz) {
        return casus_error_set(err, CASUS_ESTATE, "no-geography", CASUS_INPUT_NONE,
                               "no geography loaded (call casus_engine_load_builtin first)");
    }
    if (has_point) {
        if (!isfinite(lat) || !isfinite(lon) || lat < -90 || lat > 90 || lon < -180 || lon > 180) {
            return casus_error_set(err, CASUS_EINVAL, "bad-coordinates", CASUS_INPUT_POINT,
                                   "coordinates out of range: latitude must be in [-90, 90] and "
                                   "longitude in [-180, 180]");
        }
        if (casus_geo_locate(e->geo, lat, lon, date, &hit) != CASUS_OK) {
            return casus_error_set(err, CASUS_EINVAL, "bad-coordinates", CASUS_INPUT_POINT,
                                   "cannot locate %g, %g", lat, lon);
        }
        loc->lat = lat;
        loc->lon = lon;
    } else {
        const struct casus_place *pl = NULL;
        casus_status st = find_place(e, place, date, c->victim, r, err, suggestion, &pl);
        if (st != CASUS_OK)
            return st;
        if (casus_gazetteer_locate(e->gaz, pl, date, &hit) != CASUS_OK)
            return casus_error_set(err, CASUS_EINVAL, "bad-coordinates", CASUS_INPUT_PLACE,
                                   "cannot locate '%s'", pl->name);
        loc->place = pl->name;
        loc->lat = pl->lat;
        loc->lon = pl->lon;
        sov_override = pl->sovereign;
        unit_override = pl->unit;
        note = pl->note;
    }
    const char *sov = sov_override ? sov_override : hit.sov;
    loc->unit = unit_override ? unit_override : hit.unit;
    loc->unit_name = hit.unit_name;
    if (sov_override && (!hit.sov || strcmp(sov_override, hit.sov) != 0)) {
        /* The map puts the place in another state (Narva): its unit is wrong too. */
        if (!unit_override)
            loc->unit = sov_override;
        loc->unit_name = NULL;
    } else if (unit_override && (!hit.unit || strcmp(unit_override, hit.unit) != 0)) {
        loc->unit_name = NULL;
    }
    location_from_hit(loc, &hit, has_point);
    c->date = date;
    c->sovereign = sov ? casus_engine_actor(e, sov, strlen(sov)) : -1;
    casus_apply_holdings(e, c, loc->place, loc->unit, sov);
    loc->sovereign = sov;
    loc->note = note;
    casus_holding_location(e, c, loc);
    /* Waters that are a coast's (territorial sea, internal waters found by
     * the nearest coast) belong to that coast's sovereign on the date. */
    if (loc->coastal_state && hit.sov && strcmp(loc->coastal_state, hit.sov) == 0)
        loc->coastal_state = loc->sovereign;
    c->lat = loc->lat;
    c->lon = loc->lon;
    c->unit = loc->unit;
    c->region = region_index(loc->region);
    c->island = loc->island;
    c->island_basin = loc->island_basin;
    c->sea = loc->sea;
    c->basin = loc->basin;
    /* A gazetteer place is on land by definition; a point is at sea only on
     * the high seas: a state's territorial sea and internal waters are its
     * territory (UNCLOS Arts. 2, 8), so sovereign, unit and region are the
     * coastal state's there (docs/geo-format.md, resolution rule 5). */
    c->at_sea = has_point && loc->waters && strcmp(loc->waters, "high_seas") == 0;
    if (c->at_sea) {
        c->region = -1;
        c->unit = NULL;
    }
    return CASUS_OK;
}

casus_status casus_where_point(const casus_engine *e, double lat, double lon, casus_date date,
                               casus_location *out)
{
    struct casus_ctx c;
    memset(&c, 0, sizeof c);
    c.victim = -1;
    return locate(e, NULL, true, lat, lon, date, out, &c, NULL, NULL, NULL);
}

casus_status casus_where_place(const casus_engine *e, const char *name, casus_date date,
                               casus_location *out, const char **suggestion)
{
    struct casus_ctx c;
    memset(&c, 0, sizeof c);
    c.victim = -1;
    return locate(e, name, false, 0, 0, date, out, &c, NULL, NULL, suggestion);
}

/* ---- applying clauses ---- */

static void add_reason(struct casus_rverdict *v, const char *code, const struct casus_mrule *rule)
{
    for (uint32_t i = 0; i < v->nreasons; i++)
        if (strcmp(v->reasons[i], code) == 0)
            return;
    if (v->nreasons < CASUS_MAX_REASONS)
        v->reasons[v->nreasons++] = code;
    if (rule && v->ndecisive < CASUS_MAX_REASONS)
        v->decisive[v->ndecisive++] = rule;
}

static void apply_scope(const struct casus_mscope *s, const struct casus_ctx *c,
                        struct casus_rverdict *v)
{
    bool covered = false, contested = false;
    for (uint32_t i = 0; i < s->nrules; i++) {
        const struct casus_mrule *rule = &s->rules[i];
        if (c->date < rule->from || c->date >= rule->until || !rule->when)
            continue;
        if (!casus_eval_bool(rule->when, c))
            continue;
        if (rule->verdict == CASUS_RULE_COVERED) {
            if (!covered) {
                /* covered outranks contested: drop contested reasons */
                v->nreasons = 0;
                v->ndecisive = 0;
            }
            covered = true;
            add_reason(v, rule->code, rule);
        } else if (!covered) {
            contested = true;
            add_reason(v, rule->code, rule);
        }
    }
    if (covered)
        v->covered = CASUS_COVERED_YES;
    else if (contested)
        v->covered = CASUS_COVERED_CONTESTED;
    else {
        v->covered = CASUS_COVERED_NO;
        if (s->otherwise)
            add_reason(v, s->otherwise->code, s->otherwise);
    }
    v->nreadings = 0;
    for (uint32_t i = 0; i < s->nreadings && v->nreadings < CASUS_MAX_REASONS; i++) {
        const struct casus_mreading *x = &s->readings[i];
        if (c->date >= x->from && c->date < x->until && casus_eval_bool(x->when, c))
            v->readings[v->nreadings++] = x;
    }
}

casus_coverage casus_scope_coverage(const struct casus_mscope *s, const struct casus_ctx *c)
{
    bool contested = false;
    for (uint32_t i = 0; i < s->nrules; i++) {
        const struct casus_mrule *rule = &s->rules[i];
        if (c->date < rule->from || c->date >= rule->until || !rule->when ||
            !casus_eval_bool(rule->when, c))
            continue;
        if (rule->verdict == CASUS_RULE_COVERED)
            return CASUS_COVERED_YES;
        contested = true;
    }
    return contested ? CASUS_COVERED_CONTESTED : CASUS_COVERED_NO;
}

/* Where sources disagree about the continent (loc.region_alt), apply the
 * scope under the other reading too; if the answers differ, the verdict is
 * contested, with the reasons of both readings (docs/geo-format.md). */
static void contest_continent(casus_result *r, const struct casus_mscope *s,
                              struct casus_rverdict *v)
{
    if (!r->loc.region_alt || r->ctx.at_sea)
        return;
    struct casus_ctx alt = r->ctx;
    alt.region = region_index(r->loc.region_alt);
    struct casus_rverdict w;
    memset(&w, 0, sizeof w);
    apply_scope(s, &alt, &w);
    if (w.covered == v->covered)
        return;
    struct casus_rverdict both;
    memset(&both, 0, sizeof both);
    add_reason(&both, "continent_contested", NULL);
    for (int k = 0; k < 2; k++) {
        const struct casus_rverdict *x = k == 0 ? v : &w;
        for (uint32_t i = 0; i < x->nreasons; i++)
            add_reason(&both, x->reasons[i], NULL);
        for (uint32_t i = 0; i < x->ndecisive && both.ndecisive < CASUS_MAX_REASONS; i++)
            both.decisive[both.ndecisive++] = x->decisive[i];
    }
    memcpy(v->reasons, both.reasons, sizeof v->reasons);
    memcpy(v->decisive, both.decisive, sizeof v->decisive);
    v->nreasons = both.nreasons;
    v->ndecisive = both.ndecisive;
    v->covered = CASUS_COVERED_CONTESTED;
}

static void judge(casus_result *r, const struct casus_mtreaty *t, const struct casus_mclause *cl)
{
    struct casus_ctx *c = &r->ctx;
    if (r->nv == CASUS_MAX_VERDICTS)
        return;
    struct casus_rverdict *v = &r->v[r->nv++];
    memset(v, 0, sizeof *v);
    v->treaty = t;
    v->clause = cl;
    v->in_force = c->date >= t->in_force && c->date < t->terminated && c->date >= cl->from &&
                  c->date < cl->until;
    v->party = casus_treaty_party_on(t, c->victim, c->date, &v->period);
    if (!v->in_force) {
        v->covered = CASUS_COVERED_NO;
        add_reason(v, c->date < t->in_force ? "treaty_not_yet_in_force" : "treaty_not_in_force",
                   NULL);
    } else if (!v->party) {
        v->covered = CASUS_COVERED_NO;
        add_reason(v, ever_party(t, c->victim) ? "not_party_on_date" : "not_a_party", NULL);
    } else if (cl->scope) {
        c->treaty = t;
        apply_scope(cl->scope, c, v);
        contest_continent(r, cl->scope, v);
    } else {
        v->covered = CASUS_COVERED_YES;
        add_reason(v, "no_geographic_limit", NULL);
    }
    if (r->loc.near_boundary)
        add_reason(v, "near_boundary", NULL);
}

/* Dated versions of one clause (Brussels Art. IV, 1948, then Art. V, 1954)
 * share a trigger: the version in force on the date is judged; when none
 * is, the first version before the treaty's entry into force and the last
 * one after, so that the verdict says why nothing applies. */
static bool version_applies(const struct casus_mtreaty *t, const struct casus_mclause *cl,
                            casus_date d)
{
    if (d >= cl->from && d < cl->until)
        return true;
    const struct casus_mclause *pick = NULL;
    for (uint32_t j = 0; j < t->nclauses; j++) {
        const struct casus_mclause *o = &t->clauses[j];
        if (!o->trigger || strcmp(o->trigger, cl->trigger) != 0)
            continue;
        if (d >= o->from && d < o->until)
            return false; /* another version is in force */
        if (!pick || (d < t->in_force ? o->from < pick->from : o->until >= pick->until))
            pick = o;
    }
    return pick == cl;
}

casus_status casus_check(const casus_engine *e, const casus_incident *inc, casus_result *r)
{
    casus_status st = CASUS_OK;
    r->nv = 0;
    casus_error_clear(&r->err);
    r->trace_built = false;
    r->ntrace = 0;
    memset(&r->ctx, 0, sizeof r->ctx);
    struct casus_ctx *c = &r->ctx;
    c->date = inc->date;
    c->object =
        inc->object ? casus_vocab_find(&casus_vocab_object, inc->object, strlen(inc->object)) : -1;
    if (c->object < 0)
        return casus_error_set(&r->err, CASUS_ENOTFOUND, "unknown-object", CASUS_INPUT_OBJECT,
                               "unknown object '%s' (use territory, forces, vessel or aircraft)",
                               inc->object ? inc->object : "");
    c->victim = actor_or_fail(e, r, inc->victim, CASUS_INPUT_VICTIM, &st);
    if (c->victim < 0)
        return st;
    c->attacker =
        actor_or_fail(e, r, inc->attacker ? inc->attacker : "unknown", CASUS_INPUT_ATTACKER, &st);
    if (c->attacker < 0)
        return st;
    c->attribution = CASUS_ATTRIB_unknown;
    if (inc->attribution) {
        c->attribution =
            casus_vocab_find(&casus_vocab_attrib, inc->attribution, strlen(inc->attribution));
        if (c->attribution < 0)
            return casus_error_set(
                &r->err, CASUS_EINVAL, "unknown-attribution", CASUS_INPUT_ATTRIBUTION,
                "unknown attribution '%s' (use certain, likely or disputed)", inc->attribution);
    }
    int32_t only = -1;
    if (inc->treaty) {
        only = casus_symtab_get(&e->treaty_ix, inc->treaty, strlen(inc->treaty));
        if (only < 0) {
            struct casus_suggest sg;
            casus_suggest_begin(&sg, inc->treaty, strlen(inc->treaty));
            for (uint32_t k = 0; k < e->ntreaties; k++)
                casus_suggest_offer(&sg, e->treaties[k]->id, e->treaties[k]->id);
            const char *best = casus_suggest_best(&sg);
            if (best)
                return casus_error_set(
                    &r->err, CASUS_ENOTFOUND, "unknown-treaty", CASUS_INPUT_TREATY,
                    "unknown treaty '%s' (did you mean '%s'?)", inc->treaty, best);
            return casus_error_set(&r->err, CASUS_ENOTFOUND, "unknown-treaty", CASUS_INPUT_TREATY,
                                   "unknown treaty '%s' (see 'casus treaties')", inc->treaty);
        }
    }
    r->nplace_cands = 0;
    copy_code(r->place_asked, sizeof r->place_asked, inc->has_point ? NULL : inc->place);
    st = locate(e, inc->place, inc->has_point, inc->lat, inc->lon, inc->date, &r->loc, c, r,
                &r->err, NULL);
    if (st != CASUS_OK)
        return st;
    copy_code(r->attacker, sizeof r->attacker, e->actors[c->attacker]->code);
    copy_code(r->victim, sizeof r->victim, e->actors[c->victim]->code);
    copy_code(r->object, sizeof r->object, casus_vocab_object.names[c->object]);
    r->has_place = !inc->has_point;

    for (uint32_t k = 0; k < e->ntreaties; k++) {
        const struct casus_mtreaty *t = e->treaties[k];
        if (only >= 0 ? (int32_t)k != only : !ever_party(t, c->victim))
            continue;
        for (uint32_t j = 0; j < t->nclauses; j++)
            if (t->clauses[j].trigger && version_applies(t, &t->clauses[j], c->date))
                judge(r, t, &t->clauses[j]);
    }
    return CASUS_OK;
}
