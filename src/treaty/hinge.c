/*
 * hinge.c — what a verdict hinges on, said where people read: the readings
 * of a scope that held for the incident (`reading NAME when … { text … }`
 * in a treaty file), the dated record of who holds the place when a rule
 * read it (data/world.casus), an unknown attacker, each with its file and
 * line; the warning when the incident calls a place the victim's territory
 * and the records say otherwise; and how the incident's own words were read
 * (an alias such as "UK", an ambiguous place name settled by the victim).
 *
 * report.c renders results and calls these; they only write into buffers.
 */
#include "treaty/result.h"
#include "base/buf.h"

/* "treaties/north-atlantic.casus:171" for a span. */
void casus_span_where(const casus_engine *e, const struct casus_span *s, casus_buf *b)
{
    const struct casus_source *src = casus_diags_source(&e->diags, s->src);
    uint32_t line = 0, col = 0;
    if (!src)
        return;
    casus_source_locate(&e->diags, s->src, s->start, &line, &col);
    casus_buf_printf(b, "%s:%u", src->name, line);
}

/* ---- which holding a scope reads ---- */

static bool reads_holding(const struct casus_cx *x)
{
    if (!x)
        return false;
    if (x->op == CASUS_CX_CLAIMS)
        return true;
    if (x->op == CASUS_CX_ATTR &&
        (x->i == CASUS_ATTR_sovereign || x->i == CASUS_ATTR_de_facto ||
         x->i == CASUS_ATTR_administered_by || x->i == CASUS_ATTR_claimed_by))
        return true;
    return reads_holding(x->a) || reads_holding(x->b);
}

bool casus_cx_reads_holding(const struct casus_cx *x)
{
    return reads_holding(x);
}

/* Does a rule that decided v read a part of the holding that a line of
 * the record supplies (sovereign, administration, claims)? */
static bool decisive_reads_record(const struct casus_rverdict *v, const struct casus_ctx *c)
{
    for (uint32_t i = 0; i < v->ndecisive; i++) {
        const struct casus_cx *w = v->decisive[i]->when;
        if (w && reads_holding(w) && (c->sov_line || c->adm_line || c->claim_seg))
            return true;
    }
    return false;
}

/* For a verdict of not covered: would reading the administering state as
 * the sovereign (and the sovereign as administering) cover the case? */
static bool other_reading_covers(const struct casus_rverdict *v, const struct casus_ctx *c)
{
    if (v->covered != CASUS_COVERED_NO || !v->clause->scope || c->administered_by == c->sovereign ||
        c->administered_by < 0)
        return false;
    struct casus_ctx alt = *c;
    alt.treaty = v->treaty;
    alt.sovereign = c->administered_by;
    alt.administered_by = c->sovereign;
    alt.de_facto = c->sovereign;
    return casus_scope_coverage(v->clause->scope, &alt) != CASUS_COVERED_NO;
}

/* "territory of UKR administered by RUS since 2014-03-18, claimed by RUS" */
static void holding_summary(const casus_result *r, casus_buf *b)
{
    const struct casus_ctx *c = &r->ctx;
    const casus_engine *e = r->e;
    char d[11];
    casus_buf_printf(b, "territory of %s", casus_actor_code(e, c->sovereign));
    if (c->sov_line && c->sov_line->until != CASUS_DATE_MAX) {
        casus_date_format(c->sov_line->until, d);
        casus_buf_printf(b, " until %s", d);
    }
    if (c->adm_line || c->de_facto >= 0) {
        casus_buf_printf(b, ", administered by %s", casus_actor_code(e, c->administered_by));
        const struct casus_mperiod *p = c->adm_line ? c->adm_line : c->sov_line;
        if (p && p->from != CASUS_DATE_MIN) {
            casus_date_format(p->from, d);
            casus_buf_printf(b, " since %s", d);
        }
    }
    for (uint32_t k = 0; k < c->nclaims; k++)
        casus_buf_printf(b, "%s%s",
                         k == 0                ? ", claimed by "
                         : k + 1 == c->nclaims ? " and "
                                               : ", ",
                         casus_actor_code(e, c->claims[k]));
}

/* The line of the record a trace or hinge points at. */
static const struct casus_mperiod *record_line(const struct casus_ctx *c)
{
    return c->adm_line    ? c->adm_line
           : c->sov_line  ? c->sov_line
           : c->claim_seg ? c->claim_seg->lines[0]
                          : NULL;
}

bool casus_holding_line(const casus_result *r, casus_buf *b)
{
    const struct casus_ctx *c = &r->ctx;
    if (!c->record)
        return false;
    char d[11];
    casus_date_format(c->date, d);
    casus_buf_printf(b, "holding of %s", c->record->unit);
    if (c->record->title)
        casus_buf_printf(b, " (%s)", c->record->title);
    casus_buf_printf(b, " on %s: ", d);
    holding_summary(r, b);
    const struct casus_mperiod *lines[] = {c->sov_line, c->adm_line};
    for (int i = 0; i < 2; i++)
        if (lines[i]) {
            casus_buf_printf(b, "; %s line ", i == 0 ? "sovereign" : "administered-by");
            casus_span_where(r->e, &lines[i]->span, b);
            if (lines[i]->cite)
                casus_buf_printf(b, " (%s)", lines[i]->cite->title);
        }
    for (uint32_t k = 0; c->claim_seg && k < c->claim_seg->n; k++) {
        casus_buf_printf(b, "; claimed-by line ");
        casus_span_where(r->e, &c->claim_seg->lines[k]->span, b);
        if (c->claim_seg->lines[k]->cite)
            casus_buf_printf(b, " (%s)", c->claim_seg->lines[k]->cite->title);
    }
    return true;
}

void casus_reading_line(const casus_result *r, const struct casus_mreading *x, casus_buf *b)
{
    casus_buf_printf(b, "reading %s (", x->code);
    casus_span_where(r->e, &x->span, b);
    casus_buf_printf(b, "): %s", x->text);
    if (x->note)
        casus_buf_printf(b, " — %s", x->note);
    if (x->cite)
        casus_buf_printf(b, " [%s]", x->cite->title);
}

/* ---- the Answer line ---- */

void casus_answer_hinges(const casus_result *r, const struct casus_rverdict *v, casus_buf *b)
{
    const struct casus_ctx *c = &r->ctx;
    int n = 0;
    for (uint32_t i = 0; i < v->nreadings; i++) {
        casus_buf_puts(b, n++ ? "; " : " — hinges on: ");
        casus_buf_printf(b, "%s (", v->readings[i]->text);
        casus_span_where(r->e, &v->readings[i]->span, b);
        casus_buf_putc(b, ')');
    }
    const struct casus_mperiod *line = record_line(c);
    if (v->in_force && v->party && line &&
        (decisive_reads_record(v, c) || other_reading_covers(v, c))) {
        casus_buf_puts(b, n++ ? "; " : " — hinges on: ");
        casus_buf_printf(b, "%s read as ", c->record->title ? c->record->title : c->record->unit);
        holding_summary(r, b);
        casus_buf_puts(b, " (");
        casus_span_where(r->e, &line->span, b);
        casus_buf_putc(b, ')');
    }
    if (v->covered != CASUS_COVERED_NO && strcmp(r->attacker, "unknown") == 0) {
        casus_buf_puts(b, n++ ? "; " : " — hinges on: ");
        casus_buf_puts(b, "an attacker not named (whether a State's armed attack occurred is not "
                          "settled)");
    }
}

bool casus_answer_warning(const casus_result *r, casus_buf *b)
{
    const struct casus_ctx *c = &r->ctx;
    if (c->object != CASUS_OBJECT_territory || c->sovereign == c->victim)
        return false;
    char d[11];
    casus_date_format(c->date, d);
    casus_buf_printf(b, "Warning: the incident is an attack on %s territory, but ", r->victim);
    if (r->loc.place)
        casus_buf_printf(b, "%s", r->loc.place);
    else
        casus_buf_printf(b, "%.4f, %.4f", r->loc.lat, r->loc.lon);
    if (c->sovereign < 0) {
        casus_buf_printf(b, " is not territory of any state on %s", d);
    } else {
        casus_buf_printf(b, " is territory of %s on %s", casus_actor_code(r->e, c->sovereign), d);
        if (c->administered_by >= 0 && c->administered_by != c->sovereign)
            casus_buf_printf(b, " (administered by %s)",
                             casus_actor_code(r->e, c->administered_by));
    }
    casus_buf_puts(b, ": the verdicts read the place as the records have it.\n");
    return true;
}

/* ---- how the incident's words were read ---- */

/* How an alias kind reads in a sentence. */
static const char *alias_words(enum casus_alias_kind k)
{
    static const char *const words[] = {"ISO 3166 alpha-2 code", "ISO 3166 alpha-3 code",
                                        "Correlates of War number", "Correlates of War code",
                                        "name"};
    _Static_assert(sizeof words / sizeof *words == CASUS_ALIAS_COUNT, "alias words");
    return words[k];
}

static int read_actor(const casus_result *r, const char *role, const char *asked,
                      const struct casus_actor_match *m, int n, casus_buf *b)
{
    if (m->actor < 0 || (!m->alias && !m->also))
        return n;
    const struct casus_mactor *a = r->e->actors[m->actor];
    casus_buf_puts(b, n ? "; " : "  read: ");
    casus_buf_printf(b, "%s '%s' as %s (%s)", role, asked, a->code, a->name ? a->name : a->code);
    if (m->alias)
        casus_buf_printf(b, ", by its %s", alias_words(m->alias->kind));
    if (m->also)
        casus_buf_printf(b, " ('%s' is also the %s of %s)", asked, alias_words(m->also->kind),
                         r->e->actors[m->also->actor]->code);
    return n + 1;
}

bool casus_read_line(const casus_result *r, casus_buf *b)
{
    int n = read_actor(r, "attacker", r->attacker_asked, &r->attacker_read, 0, b);
    n = read_actor(r, "victim", r->victim_asked, &r->victim_read, n, b);
    if (r->nplace_cands >= 1 && r->loc.place) {
        casus_buf_puts(b, n++ ? "; " : "  read: ");
        casus_buf_printf(b, "place '%s' as %s", r->place_asked, r->loc.place);
        if (r->nplace_cands == 1) {
            casus_buf_puts(b, ", the only place of that name");
        } else {
            casus_buf_puts(b, ": of");
            for (uint32_t i = 0; i < r->nplace_cands; i++)
                casus_buf_printf(b, "%s %s", i ? "," : "", r->place_cands[i]->name);
            casus_buf_printf(b, ", the only one on %s territory on the date", r->victim);
        }
    }
    if (n)
        casus_buf_putc(b, '\n');
    return n > 0;
}
