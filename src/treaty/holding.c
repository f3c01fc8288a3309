/*
 * holding.c — who holds the place of an incident on its date, and which
 * place a name means.
 *
 * Holdings: a record of data/world.casus (`sovereignty KEY { sovereign X
 * …; administered-by Y …; claimed-by Z … }`, KEY a gazetteer place, a land
 * unit or a state) gives, for the date, the
 * sovereign (else the map's), the administering state (else the sovereign,
 * or a legacy `de-facto` on the sovereign line) and the claimants.  The
 * lines that applied are kept on the incident so that the trace can say
 * which one a rule read, with its file and line.
 *
 * Places: a name the gazetteer does not know may be the bare form of
 * several entries ("Hamilton" for "Hamilton (Bermuda)", "Hamilton
 * (Ontario)", …).  One candidate is taken; several are settled by the
 * incident itself when exactly one lies on the victim's territory on the
 * date; otherwise the name is refused with the candidates.
 */
#include "treaty/result.h"

#include <stdio.h>

/* The record that applies to a gazetteer place, else its unit, else the
 * state. */
static const struct casus_msov *record_for(const casus_engine *e, const char *place,
                                           const char *unit, const char *sov)
{
    int32_t k = place ? casus_symtab_get(&e->sov_ix, place, strlen(place)) : -1;
    if (k < 0 && unit)
        k = casus_symtab_get(&e->sov_ix, unit, strlen(unit));
    if (k < 0 && sov)
        k = casus_symtab_get(&e->sov_ix, sov, strlen(sov));
    return k >= 0 ? e->sovs[k] : NULL;
}

void casus_apply_holdings(const casus_engine *e, struct casus_ctx *c, const char *place,
                          const char *unit, const char *sov)
{
    const struct casus_msov *s = record_for(e, place, unit, sov);
    int32_t legacy = -1;
    c->administered_by = -1;
    c->nclaims = 0;
    c->record = NULL;
    c->sov_line = c->adm_line = NULL;
    c->claim_seg = NULL;
    for (uint32_t i = 0; s && i < s->nperiods; i++) {
        const struct casus_mperiod *p = &s->periods[i];
        if (c->date < p->from || c->date >= p->until)
            continue;
        if (p->kind == CASUS_HOLD_SOVEREIGN && !c->sov_line) {
            c->sovereign = p->who;
            legacy = p->de_facto;
            c->sov_line = p;
        } else if (p->kind == CASUS_HOLD_ADMIN && !c->adm_line) {
            c->administered_by = p->who;
            c->adm_line = p;
        }
    }
    for (uint32_t i = 0; s && i < s->nclaims; i++)
        if (c->date >= s->claims[i].from && c->date < s->claims[i].until) {
            c->claim_seg = &s->claims[i];
            for (uint32_t k = 0; k < c->claim_seg->n && k < CASUS_MAX_CLAIMS; k++)
                c->claims[c->nclaims++] = c->claim_seg->who[k];
        }
    if (c->sov_line || c->adm_line || c->claim_seg)
        c->record = s;
    if (c->administered_by < 0)
        c->administered_by = legacy >= 0 ? legacy : c->sovereign;
    c->de_facto = c->administered_by != c->sovereign ? c->administered_by : -1;
}

void casus_holding_location(const casus_engine *e, const struct casus_ctx *c, casus_location *loc)
{
    loc->sovereign = c->sovereign >= 0 ? e->actors[c->sovereign]->code : loc->sovereign;
    loc->de_facto = c->de_facto >= 0 ? e->actors[c->de_facto]->code : NULL;
    if (!c->record) /* the geography's table of disputed units, if any, stands */
        return;
    loc->administered_by = NULL;
    loc->claimed_by = NULL;
    loc->area_source = NULL;
    if ((c->adm_line || c->de_facto >= 0) && c->administered_by >= 0)
        loc->administered_by = e->actors[c->administered_by]->code;
    loc->claimed_by = c->claim_seg ? c->claim_seg->joined : NULL;
    const struct casus_mperiod *p = c->adm_line    ? c->adm_line
                                    : c->claim_seg ? c->claim_seg->lines[0]
                                                   : NULL;
    loc->area_source = p && p->cite ? p->cite->title : NULL;
    const struct casus_mperiod *noted =
        c->adm_line && c->adm_line->note ? c->adm_line : c->sov_line;
    if (noted && noted->note)
        loc->note = noted->note;
}

/* The sovereign of place pl on date d, as casus_check would find it. */
static int32_t place_sovereign(const casus_engine *e, const struct casus_place *pl, casus_date d)
{
    const char *sov = pl->sovereign; /* every gazetteer row vouches for one */
    struct casus_ctx c;
    memset(&c, 0, sizeof c);
    c.date = d;
    c.sovereign = sov ? casus_engine_actor(e, sov, strlen(sov)) : -1;
    casus_apply_holdings(e, &c, pl->name, pl->unit, sov);
    return c.sovereign;
}

/* "Hamilton (Bermuda) [GBR], Hamilton (Ontario) [CAN]" into out. */
static void list_places(const casus_engine *e, const struct casus_place *const *cands, size_t n,
                        casus_date d, char *out, size_t cap)
{
    size_t k = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n && k + 1 < cap; i++) {
        int32_t s = place_sovereign(e, cands[i], d);
        int w = snprintf(out + k, cap - k, "%s%s [%s]", i ? ", " : "", cands[i]->name,
                         s >= 0 ? e->actors[s]->code : "none");
        if (w < 0)
            break;
        k += (size_t)w;
    }
}

casus_status casus_place_pick(const casus_engine *e, const char *name, casus_date d, int32_t victim,
                              casus_result *r, casus_error *err, const struct casus_place **out)
{
    const struct casus_place *cands[CASUS_MAX_CANDIDATES];
    size_t n = casus_gazetteer_candidates(e->gaz, name, strlen(name), cands, CASUS_MAX_CANDIDATES);
    if (n > CASUS_MAX_CANDIDATES)
        n = CASUS_MAX_CANDIDATES;
    *out = NULL;
    if (n == 0)
        return CASUS_ENOTFOUND;
    if (r) {
        memcpy(r->place_cands, cands, n * sizeof *cands);
        r->nplace_cands = (uint32_t)n;
    }
    const struct casus_place *fit = n == 1 ? cands[0] : NULL;
    size_t nfit = n == 1;
    for (size_t i = 0; n > 1 && victim >= 0 && i < n; i++)
        if (place_sovereign(e, cands[i], d) == victim) {
            fit = cands[i];
            nfit++;
        }
    if (nfit == 1) {
        *out = fit;
        return CASUS_OK;
    }
    char list[512];
    list_places(e, cands, n, d, list, sizeof list);
    if (victim >= 0)
        return casus_error_set(err, CASUS_ENOTFOUND, "ambiguous-place", CASUS_INPUT_PLACE,
                               "ambiguous place '%s': %s; %s on %s territory (name one of them)",
                               name, list, nfit ? "more than one is" : "none is",
                               e->actors[victim]->code);
    return casus_error_set(err, CASUS_ENOTFOUND, "ambiguous-place", CASUS_INPUT_PLACE,
                           "ambiguous place '%s': %s (name one of them)", name, list);
}
