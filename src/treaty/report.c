/*
 * report.c — the casus_result object: its life cycle and accessors, the
 * trace (the chain of rules applied, each citing its article, built lazily)
 * and its renderings for people (text), programs (JSON, schema in
 * docs/check-json.md) and spreadsheets (CSV).  verdict.c fills a result;
 * everything that reads one is here.
 *
 * The trace is generic: it is made from the clause and rule fields written
 * in the treaty files (article, quote, note, obligation, decided-by, council),
 * and from the source text of each rule's condition.  "Covered is not
 * triggered": after the scope, the trace always states the further steps —
 * armed attack, attribution, decision rule, latitude of the obligation.
 */
#include "treaty/result.h"
#include "base/buf.h"

#include <stdio.h>
#include <stdlib.h>

/* ---- the result object ---- */

casus_status casus_result_new(const casus_engine *e, casus_result **out)
{
    casus_result *r = casus_mem_alloc(&e->alloc, sizeof *r);
    *out = r;
    if (!r)
        return CASUS_ENOMEM;
    memset(r, 0, sizeof *r);
    r->e = e;
    casus_arena_init(&r->trace_arena, &e->alloc);
    return CASUS_OK;
}

void casus_result_free(casus_result *r)
{
    if (!r)
        return;
    casus_arena_release(&r->trace_arena);
    casus_mem_free(&r->e->alloc, r, sizeof *r);
}

const char *casus_result_error(const casus_result *r)
{
    return r->err.message;
}

const casus_error *casus_result_error_info(const casus_result *r)
{
    return &r->err;
}

size_t casus_result_count(const casus_result *r)
{
    return r->nv;
}

const casus_location *casus_result_location(const casus_result *r)
{
    return &r->loc;
}

static const char *const obligation_words[] = {
#define X(n) #n,
    CASUS_OBLIGATION_LIST(X)
#undef X
};

casus_status casus_result_verdict(const casus_result *r, size_t i, casus_verdict_info *out)
{
    if (i >= r->nv)
        return CASUS_EINVAL;
    const struct casus_rverdict *v = &r->v[i];
    casus_status st = casus_result_build_trace((casus_result *)r);
    memset(out, 0, sizeof *out);
    out->treaty = v->treaty->id;
    out->treaty_title = v->treaty->title;
    out->article = v->clause->article;
    out->covered = v->covered;
    out->automatic = v->clause->obligation == CASUS_OBLIGATION_automatic;
    out->obligation = obligation_words[v->clause->obligation];
    out->obligation_text = v->clause->obligation_text;
    out->decided_by = v->clause->decided_by_text;
    out->rule =
        v->clause->council ? casus_vocab_rule.names[v->clause->council->rule] : "each_party";
    out->nreasons = v->nreasons;
    out->ntrace = v->ntrace;
    return st;
}

const char *casus_result_reason(const casus_result *r, size_t i, size_t k)
{
    return i < r->nv && k < r->v[i].nreasons ? r->v[i].reasons[k] : NULL;
}

const char *casus_result_trace(const casus_result *r, size_t i, size_t k)
{
    if (i >= r->nv || casus_result_build_trace((casus_result *)r) != CASUS_OK ||
        k >= r->v[i].ntrace)
        return NULL;
    return r->trace[r->v[i].trace_first + k];
}

/* ---- resolving the incident ---- */

/* ---- the trace ---- */

static const char *coverage_word(casus_coverage c)
{
    return c == CASUS_COVERED_YES ? "yes" : c == CASUS_COVERED_CONTESTED ? "contested" : "no";
}

static bool push_trace(casus_result *r, const char *s)
{
    if (!s)
        return false;
    if (r->ntrace == r->captrace) {
        uint32_t cap = r->captrace ? r->captrace * 2 : 64;
        const char **g =
            casus_arena_grow(&r->trace_arena, (void *)r->trace, r->ntrace, cap, sizeof *g);
        if (!g)
            return false;
        r->trace = g;
        r->captrace = cap;
    }
    r->trace[r->ntrace++] = s;
    return true;
}

/* Article label: "Art. 6" */
static void art(casus_buf *b, const char *article)
{
    if (article)
        casus_buf_printf(b, "[Art. %s] ", article);
}

/* Explain why a condition is false: the leftmost false conjunct, quoted
 * from the treaty file, with the incident's values it reads. */
static const struct casus_cx *first_false(const struct casus_cx *x, const struct casus_ctx *c)
{
    while (x->op == CASUS_CX_AND) {
        if (!casus_eval_bool(x->a, c))
            x = x->a;
        else
            x = x->b;
    }
    return x;
}

static void attr_value(const struct casus_engine *e, casus_buf *b, const struct casus_ctx *c,
                       int attr)
{
    switch ((enum casus_attr)attr) {
    case CASUS_ATTR_object: casus_buf_puts(b, casus_vocab_object.names[c->object]); break;
    case CASUS_ATTR_victim: casus_buf_puts(b, casus_actor_code(e, c->victim)); break;
    case CASUS_ATTR_attacker: casus_buf_puts(b, casus_actor_code(e, c->attacker)); break;
    case CASUS_ATTR_sovereign: casus_buf_puts(b, casus_actor_code(e, c->sovereign)); break;
    case CASUS_ATTR_de_facto: casus_buf_puts(b, casus_actor_code(e, c->de_facto)); break;
    case CASUS_ATTR_administered_by:
        casus_buf_puts(b, casus_actor_code(e, c->administered_by));
        break;
    case CASUS_ATTR_claimed_by:
        casus_buf_putc(b, '[');
        for (uint32_t k = 0; k < c->nclaims; k++)
            casus_buf_printf(b, "%s%s", k ? ", " : "", casus_actor_code(e, c->claims[k]));
        casus_buf_putc(b, ']');
        break;
    case CASUS_ATTR_date: {
        char d[11];
        casus_date_format(c->date, d);
        casus_buf_puts(b, d);
        break;
    }
    case CASUS_ATTR_lat: casus_buf_printf(b, "%.4f", c->lat); break;
    case CASUS_ATTR_lon: casus_buf_printf(b, "%.4f", c->lon); break;
    case CASUS_ATTR_unit: casus_buf_puts(b, c->unit ? c->unit : "none"); break;
    case CASUS_ATTR_region:
        casus_buf_puts(b, c->region >= 0 ? casus_vocab_region.names[c->region] : "none");
        break;
    case CASUS_ATTR_island: casus_buf_puts(b, c->island ? "true" : "false"); break;
    case CASUS_ATTR_island_basin:
        casus_buf_puts(b, c->island_basin ? c->island_basin : "none");
        break;
    case CASUS_ATTR_at_sea: casus_buf_puts(b, c->at_sea ? "true" : "false"); break;
    case CASUS_ATTR_sea: casus_buf_puts(b, c->sea ? c->sea : "none"); break;
    case CASUS_ATTR_basin: casus_buf_puts(b, c->basin ? c->basin : "none"); break;
    case CASUS_ATTR_attribution: casus_buf_puts(b, casus_vocab_attrib.names[c->attribution]); break;
    case CASUS_ATTR_COUNT: break;
    }
}

static void collect_attrs(const struct casus_cx *x, uint32_t *mask)
{
    if (!x)
        return;
    if (x->op == CASUS_CX_ATTR)
        *mask |= 1u << x->i;
    else if (x->op == CASUS_CX_CLAIMS)
        *mask |= 1u << CASUS_ATTR_claimed_by;
    else if (x->op == CASUS_CX_WITHIN)
        *mask |= 1u << CASUS_ATTR_lat | 1u << CASUS_ATTR_lon;
    collect_attrs(x->a, mask);
    collect_attrs(x->b, mask);
}

static const char *const attr_names[] = {
#define X(id, name, type) name,
    CASUS_ATTR_LIST(X)
#undef X
};

static void explain(const struct casus_engine *e, casus_buf *b, const struct casus_cx *x,
                    const struct casus_ctx *c)
{
    uint32_t len;
    const char *src = casus_span_text(e, &x->span, &len);
    casus_buf_puts(b, "`");
    casus_buf_append(b, src, len);
    casus_buf_puts(b, "` is false");
    uint32_t mask = 0;
    collect_attrs(x, &mask);
    bool first = true;
    for (int i = 0; i < CASUS_ATTR_COUNT; i++) {
        if (!(mask & (1u << i)))
            continue;
        casus_buf_puts(b, first ? " (" : ", ");
        casus_buf_printf(b, "%s = ", attr_names[i]);
        attr_value(e, b, c, i);
        first = false;
    }
    if (!first)
        casus_buf_putc(b, ')');
}

static const char *finish(casus_result *r, casus_buf *b)
{
    const char *s =
        b->failed ? NULL : casus_arena_strndup(&r->trace_arena, b->data ? b->data : "", b->len);
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
    return s;
}

static const char *const decider_words[] = {"each party", "the council"};

static void date_str(casus_date d, char out[11])
{
    casus_date_format(d, out);
}

static bool has_reason(const struct casus_rverdict *v, const char *code)
{
    for (uint32_t i = 0; i < v->nreasons; i++)
        if (strcmp(v->reasons[i], code) == 0)
            return true;
    return false;
}

/* Step 1: the treaty in force, and the victim a party.  false in *go when
 * the trace ends there. */
static bool trace_membership(casus_result *r, const struct casus_rverdict *v, casus_buf *b,
                             bool *go)
{
    const struct casus_mtreaty *t = v->treaty;
    const struct casus_ctx *c = &r->ctx;
    char d1[11], d2[11];
    date_str(c->date, d1);
    *go = false;
    if (!v->in_force) {
        date_str(t->in_force, d2);
        casus_buf_printf(b, "the %s is not in force on %s", t->title, d1);
        if (t->terminated != CASUS_DATE_MAX) {
            char d3[11];
            date_str(t->terminated, d3);
            casus_buf_printf(b, " (in force %s until %s)", d2, d3);
        } else {
            casus_buf_printf(b, " (in force from %s)", d2);
        }
        return push_trace(r, finish(r, b));
    }
    if (!v->party) {
        casus_buf_printf(b, "%s is not a party to the %s on %s", r->victim, t->title, d1);
        if ((uint32_t)c->victim < t->nindexed && t->party_count[c->victim]) {
            const struct casus_mperiod *p = &t->parties[t->party_first[c->victim]];
            date_str(p->from, d2);
            casus_buf_printf(b, " (party from %s", d2);
            if (p->until != CASUS_DATE_MAX) {
                date_str(p->until, d2);
                casus_buf_printf(b, " until %s", d2);
            }
            casus_buf_putc(b, ')');
        }
        return push_trace(r, finish(r, b));
    }
    *go = true;
    date_str(v->period->from, d2);
    casus_buf_printf(b, "%s is a party to the %s since %s", r->victim, t->title, d2);
    if (v->period->note)
        casus_buf_printf(b, " (%s)", v->period->note);
    casus_buf_printf(b, "; %u parties on %s", casus_treaty_party_count(t, c->date), d1);
    return push_trace(r, finish(r, b));
}

/* Step 3: each scope rule in force on the date, whether it holds (and if
 * not, the condition that failed, with the values it read), then the
 * scope's conclusion. */
/* " [read: administered-by = JPN]": the holding a rule that held read. */
static void read_holding(const struct casus_engine *e, casus_buf *b, const struct casus_cx *x,
                         const struct casus_ctx *c)
{
    static const int holding[] = {CASUS_ATTR_sovereign, CASUS_ATTR_de_facto,
                                  CASUS_ATTR_administered_by, CASUS_ATTR_claimed_by};
    uint32_t mask = 0;
    collect_attrs(x, &mask);
    bool first = true;
    for (size_t i = 0; i < CASUS_ARRAY_LEN(holding); i++) {
        if (!(mask & (1u << holding[i])))
            continue;
        casus_buf_printf(b, "%s%s = ", first ? " [read: " : ", ", attr_names[holding[i]]);
        attr_value(e, b, c, holding[i]);
        first = false;
    }
    if (!first)
        casus_buf_putc(b, ']');
}

/* One scope rule in force: whether it holds (and the holding it read), or
 * the condition that failed with the values it read. */
static void trace_rule(casus_result *r, const struct casus_mrule *rule, const struct casus_ctx *c,
                       casus_buf *b)
{
    bool holds = casus_eval_bool(rule->when, c);
    art(b, rule->article);
    casus_buf_printf(b, "%s%s: ", rule->verdict == CASUS_RULE_CONTESTED ? "contested: " : "",
                     rule->code);
    if (holds) {
        casus_buf_puts(b, rule->verdict == CASUS_RULE_CONTESTED ? "applies" : "yes");
        if (c->record) /* the holding comes from a dated record: say which part was read */
            read_holding(r->e, b, rule->when, c);
        if (rule->quote)
            casus_buf_printf(b, " — \"%s\"", rule->quote);
        if (rule->note)
            casus_buf_printf(b, " — %s", rule->note);
    } else {
        casus_buf_puts(b, "no — ");
        explain(r->e, b, first_false(rule->when, c), c);
    }
}

/* Step 3: who holds the place (when a record applies), each scope rule in
 * force on the date, the scope's conclusion, then the readings that held. */
static bool trace_scope(casus_result *r, const struct casus_rverdict *v, const struct casus_ctx *c,
                        casus_buf *b)
{
    const struct casus_mscope *s = v->clause->scope;
    bool ok = true;
    if (casus_holding_line(r, b))
        ok &= push_trace(r, finish(r, b));
    for (uint32_t i = 0; i < s->nrules; i++) {
        const struct casus_mrule *rule = &s->rules[i];
        if (c->date < rule->from || c->date >= rule->until)
            continue;
        trace_rule(r, rule, c, b);
        ok &= push_trace(r, finish(r, b));
    }
    art(b, s->article);
    casus_buf_printf(b, "%s: %s", s->title ? s->title : s->name,
                     v->covered == CASUS_COVERED_YES         ? "covered"
                     : v->covered == CASUS_COVERED_CONTESTED ? "contested"
                                                             : "not covered");
    if (v->covered == CASUS_COVERED_NO && s->otherwise) {
        casus_buf_printf(b, " (%s)", s->otherwise->code);
        if (s->otherwise->note)
            casus_buf_printf(b, " — %s", s->otherwise->note);
    }
    ok &= push_trace(r, finish(r, b));
    for (uint32_t i = 0; i < v->nreadings; i++) {
        art(b, v->readings[i]->article);
        casus_reading_line(r, v->readings[i], b);
        ok &= push_trace(r, finish(r, b));
    }
    return ok;
}

/* Step 4: what scope does not settle — the trigger and attribution (when
 * covered), the obligation's latitude, and who decides by what rule. */
static bool trace_unsettled(casus_result *r, const struct casus_rverdict *v,
                            const struct casus_ctx *c, casus_buf *b)
{
    const struct casus_mclause *cl = v->clause;
    bool ok = true;
    if (v->covered != CASUS_COVERED_NO && cl->trigger) {
        art(b, cl->article);
        casus_buf_printf(b,
                         "covered is not triggered: whether the event meets the trigger '%s' "
                         "is a further judgment, not settled by scope",
                         cl->trigger);
        ok &= push_trace(r, finish(r, b));
        art(b, cl->article);
        casus_buf_printf(b, "attribution to %s: %s", r->attacker,
                         c->attribution == CASUS_ATTRIB_unknown
                             ? "not given (use --attribution certain|likely|disputed)"
                             : casus_vocab_attrib.names[c->attribution]);
        ok &= push_trace(r, finish(r, b));
    }
    art(b, cl->article);
    casus_buf_printf(b, "obligation: %s", casus_vocab_obligation.names[cl->obligation]);
    if (cl->obligation_text)
        casus_buf_printf(b, " — \"%s\"", cl->obligation_text);
    ok &= push_trace(r, finish(r, b));
    art(b, cl->council ? cl->council->article : cl->article);
    casus_buf_printf(b, "decided by %s", decider_words[cl->decided_by]);
    if (cl->decided_by_text)
        casus_buf_printf(b, " (%s)", cl->decided_by_text);
    if (cl->council) {
        casus_buf_printf(b, "; collective measures: %s by %s", cl->council->title,
                         casus_vocab_rule.names[cl->council->rule]);
        if (cl->council->members_are_parties)
            casus_buf_printf(b, " of %u members", casus_treaty_party_count(v->treaty, c->date));
        if (cl->council->note)
            casus_buf_printf(b, " — %s", cl->council->note);
    }
    return ok & push_trace(r, finish(r, b));
}

/* A verdict's trace: membership, the clause, its scope rules, and what
 * scope does not settle; then the map's tolerance where it matters. */
static bool trace_verdict(casus_result *r, const struct casus_rverdict *v, casus_buf *b)
{
    const struct casus_mclause *cl = v->clause;
    struct casus_ctx c = r->ctx;
    c.treaty = v->treaty;
    bool go, ok = trace_membership(r, v, b, &go);
    if (!go)
        return ok;
    art(b, cl->article);
    casus_buf_printf(b, "%s: \"%s\"", cl->title ? cl->title : cl->name, cl->quote);
    ok &= push_trace(r, finish(r, b));
    if (cl->scope)
        ok &= trace_scope(r, v, &c, b);
    ok &= trace_unsettled(r, v, &c, b);
    if (has_reason(v, "continent_contested")) {
        casus_buf_printf(b,
                         "continent contested: the place is read as %s or as %s, and the scope "
                         "answers differently under the two readings — %s",
                         r->loc.region, r->loc.region_alt,
                         r->loc.region_source ? r->loc.region_source : "");
        ok &= push_trace(r, finish(r, b));
    }
    if (r->loc.near_boundary) {
        casus_buf_printf(b,
                         "map tolerance: the point lies %.1f km from a border or coast "
                         "(near_boundary); the verdict uses the %s",
                         r->loc.boundary_km,
                         r->has_place ? "gazetteer's sovereign" : "polygon lookup");
        ok &= push_trace(r, finish(r, b));
    }
    return ok;
}

casus_status casus_result_build_trace(casus_result *r)
{
    if (r->trace_built)
        return CASUS_OK;
    casus_arena_release(&r->trace_arena);
    r->trace = NULL;
    r->ntrace = r->captrace = 0;
    casus_buf b = CASUS_BUF_INIT;
    bool ok = true;
    for (uint32_t i = 0; i < r->nv && ok; i++) {
        r->v[i].trace_first = r->ntrace;
        ok = trace_verdict(r, &r->v[i], &b);
        r->v[i].ntrace = r->ntrace - r->v[i].trace_first;
    }
    casus_buf_release(&b);
    if (!ok)
        return CASUS_ENOMEM;
    r->trace_built = true;
    return CASUS_OK;
}

/* ---- the one-line answer ---- */

static bool is_defence(const struct casus_rverdict *v)
{
    return v->clause->obligation != CASUS_OBLIGATION_consultation;
}

static void describe_incident(const casus_result *r, casus_buf *b)
{
    char d[11];
    casus_date_format(r->ctx.date, d);
    if (strcmp(r->attacker, "unknown") == 0)
        casus_buf_puts(b, "an attack");
    else
        casus_buf_printf(b, "an attack by %s", r->attacker);
    if (r->ctx.object == CASUS_OBJECT_territory)
        casus_buf_printf(b, " on %s territory", r->victim);
    else
        casus_buf_printf(b, " on %s %s", r->victim, casus_vocab_object.names[r->ctx.object]);
    if (r->loc.place)
        casus_buf_printf(b, " at %s", r->loc.place);
    else
        casus_buf_printf(b, " at %.4f, %.4f", r->loc.lat, r->loc.lon);
    casus_buf_printf(b, " on %s", d);
}

static void obligation_phrase(const struct casus_rverdict *v, casus_buf *b)
{
    const struct casus_mclause *cl = v->clause;
    switch (cl->obligation) {
    case CASUS_OBLIGATION_automatic: casus_buf_puts(b, "the obligation is automatic"); break;
    case CASUS_OBLIGATION_own_judgment:
        casus_buf_puts(b, "but it is not automatic: each party decides its own response");
        break;
    case CASUS_OBLIGATION_constitutional:
        casus_buf_puts(b, "but each party acts in accordance with its constitutional processes");
        break;
    case CASUS_OBLIGATION_consultation: casus_buf_puts(b, "it obliges consultation only"); break;
    case CASUS_OBLIGATION_COUNT: break;
    }
    if (cl->obligation_text)
        casus_buf_printf(b, " (\"%s\")", cl->obligation_text);
    if (cl->council)
        casus_buf_printf(b, ", and collective measures need %s in the %s",
                         casus_vocab_rule.names[cl->council->rule], cl->council->title);
}

/* The verdict the Answer line speaks of: a collective-defence clause in
 * force for a party first, covered before contested before not covered;
 * NULL when the victim is party to none. */
static const struct casus_rverdict *answer_verdict(const casus_result *r)
{
    const struct casus_rverdict *yes = NULL, *contested = NULL, *no = NULL;
    for (int pass = 0; pass < 2; pass++)
        for (uint32_t i = 0; i < r->nv; i++) {
            const struct casus_rverdict *v = &r->v[i];
            /* first pass: clauses in force for a party; then the rest */
            if (!is_defence(v) || (pass == 0) != (v->in_force && v->party))
                continue;
            if (v->covered == CASUS_COVERED_YES && !yes)
                yes = v;
            else if (v->covered == CASUS_COVERED_CONTESTED && !contested)
                contested = v;
            else if (v->covered == CASUS_COVERED_NO && !no)
                no = v;
        }
    return yes ? yes : contested ? contested : no;
}

/* "Answer: …": the verdict in one line, and every reading it hinged on. */
static void answer(const casus_result *r, casus_buf *b)
{
    const struct casus_rverdict *v = answer_verdict(r);
    casus_buf_puts(b, "Answer: ");
    if (!v) {
        casus_buf_puts(b, "no collective-defence clause applies: ");
        describe_incident(r, b);
        casus_buf_printf(b, " involves no treaty that %s is a party to.\n", r->victim);
        return;
    }
    bool yes = v->covered == CASUS_COVERED_YES, contested = v->covered == CASUS_COVERED_CONTESTED;
    if (yes)
        casus_buf_puts(b, "covered — ");
    else if (contested)
        casus_buf_puts(b, "contested — ");
    else
        casus_buf_puts(b, "not covered — ");
    describe_incident(r, b);
    if (yes) {
        casus_buf_printf(b, " falls within Art. %s of the %s; ", v->clause->article,
                         v->treaty->title);
        obligation_phrase(v, b);
    } else if (contested) {
        casus_buf_printf(b, " is a disputed case under Art. %s of the %s (%s)", v->clause->article,
                         v->treaty->title, v->reasons[0]);
        if (v->ndecisive && v->decisive[0]->note)
            casus_buf_printf(b, ": %s", v->decisive[0]->note);
    } else {
        casus_buf_printf(b, " does not fall within Art. %s of the %s (%s)", v->clause->article,
                         v->treaty->title, v->nreasons ? v->reasons[0] : "outside scope");
        for (uint32_t i = 0; i < r->nv; i++)
            if (!is_defence(&r->v[i]) && r->v[i].covered == CASUS_COVERED_YES &&
                r->v[i].treaty == v->treaty) {
                casus_buf_printf(b, "; consultations under Art. %s remain open",
                                 r->v[i].clause->article);
                break;
            }
    }
    casus_answer_hinges(r, v, b);
    casus_buf_puts(b, ".\n");
}

/* ---- text ---- */

static void location_line(const casus_result *r, casus_buf *b)
{
    const casus_location *l = &r->loc;
    casus_buf_puts(b, "Location: ");
    if (l->place)
        casus_buf_printf(b, "%s ", l->place);
    casus_buf_printf(b, "(%.4f, %.4f) — ", l->lat, l->lon);
    if (l->sovereign) {
        casus_buf_printf(b, "territory of %s", l->sovereign);
        if (l->de_facto)
            casus_buf_printf(b, " (administered de facto by %s)", l->de_facto);
        if (l->unit_name)
            casus_buf_printf(b, ", %s", l->unit_name);
        if (l->unit)
            casus_buf_printf(b, " [%s]", l->unit);
        casus_buf_printf(b, ", region %s", l->region ? l->region : "none");
        if (l->island)
            casus_buf_printf(b, ", island (%s)", l->island_basin ? l->island_basin : "?");
        if (l->claimed_by)
            casus_buf_printf(b, ", claimed by %s", l->claimed_by);
    } else {
        casus_buf_puts(b, "at sea");
    }
    if (l->sea)
        casus_buf_printf(b, "; sea: %s (%s)", l->sea, l->basin ? l->basin : "?");
    if (l->near_boundary)
        casus_buf_printf(b, "; near_boundary: %.1f km from a border or coast", l->boundary_km);
    casus_buf_putc(b, '\n');
    if (l->note)
        casus_buf_printf(b, "  note: %s\n", l->note);
}

casus_status casus_result_write_text(const casus_result *r0, casus_buf *out)
{
    casus_result *r = (casus_result *)r0;
    casus_status st = casus_result_build_trace(r);
    if (st != CASUS_OK)
        return st;
    casus_buf_puts(out, "Incident: ");
    describe_incident(r, out);
    casus_buf_putc(out, '\n');
    casus_read_line(r, out);
    location_line(r, out);
    for (uint32_t i = 0; i < r->nv; i++) {
        const struct casus_rverdict *v = &r->v[i];
        const struct casus_mclause *cl = v->clause;
        casus_buf_printf(out, "\n%s (%s), Article %s — %s\n", v->treaty->title, v->treaty->id,
                         cl->article,
                         v->covered == CASUS_COVERED_YES         ? "COVERED"
                         : v->covered == CASUS_COVERED_CONTESTED ? "CONTESTED"
                                                                 : "NOT COVERED");
        casus_buf_printf(out, "  obligation: %s%s\n", casus_vocab_obligation.names[cl->obligation],
                         cl->obligation == CASUS_OBLIGATION_automatic ? " (automatic)" : "");
        casus_buf_printf(out, "  decided by: %s", decider_words[cl->decided_by]);
        if (cl->council)
            casus_buf_printf(out, "; %s by %s", cl->council->title,
                             casus_vocab_rule.names[cl->council->rule]);
        casus_buf_puts(out, "\n  reasons:");
        for (uint32_t k = 0; k < v->nreasons; k++)
            casus_buf_printf(out, " %s", v->reasons[k]);
        casus_buf_puts(out, "\n  trace:\n");
        for (uint32_t k = 0; k < v->ntrace; k++)
            casus_buf_printf(out, "    %u. %s\n", k + 1, r->trace[v->trace_first + k]);
        if (v->treaty->cite && v->treaty->cite->url)
            casus_buf_printf(out, "  source: %s <%s>\n", v->treaty->cite->title,
                             v->treaty->cite->url);
    }
    casus_buf_putc(out, '\n');
    answer(r, out);
    casus_answer_warning(r, out);
    return casus_buf_status(out);
}

/* ---- JSON ---- */

static void json_kv_str(casus_buf *b, const char *k, const char *v, bool comma)
{
    if (comma)
        casus_buf_putc(b, ',');
    casus_buf_json_str(b, k);
    casus_buf_putc(b, ':');
    casus_buf_json_str(b, v);
}

/* The fields of a location after lat and lon (where --json, check --json). */
static void location_json_fields(const casus_location *l, casus_buf *b)
{
    json_kv_str(b, "sovereign", l->sovereign, true);
    json_kv_str(b, "de_facto", l->de_facto, true);
    json_kv_str(b, "unit", l->unit, true);
    json_kv_str(b, "unit_name", l->unit_name, true);
    json_kv_str(b, "region", l->region, true);
    casus_buf_printf(b, ",\"island\":%s", l->island ? "true" : "false");
    json_kv_str(b, "island_basin", l->island_basin, true);
    json_kv_str(b, "sea", l->sea, true);
    json_kv_str(b, "basin", l->basin, true);
    casus_buf_printf(b,
                     ",\"near_boundary\":%s,\"boundary_km\":", l->near_boundary ? "true" : "false");
    casus_buf_json_num(b, l->boundary_km);
    json_kv_str(b, "waters", l->waters, true);
    json_kv_str(b, "coastal_state", l->coastal_state, true);
    json_kv_str(b, "waters_zone", l->waters_zone, true);
    casus_buf_printf(b, ",\"waters_contested\":%s", l->waters_contested ? "true" : "false");
    casus_buf_puts(b, ",\"territorial_sea_nm\":");
    casus_buf_json_num(b, l->territorial_sea_nm);
    json_kv_str(b, "waters_source", l->waters_source, true);
    json_kv_str(b, "region_alt", l->region_alt, true);
    json_kv_str(b, "region_source", l->region_source, true);
    json_kv_str(b, "administered_by", l->administered_by, true);
    json_kv_str(b, "claimed_by", l->claimed_by, true);
    json_kv_str(b, "area_source", l->area_source, true);
    json_kv_str(b, "note", l->note, true);
}

/* The incident and where it happened. */
static void json_incident(const casus_result *r, casus_buf *out)
{
    const casus_location *l = &r->loc;
    char d[11];
    casus_date_format(r->ctx.date, d);
    casus_buf_puts(out, "\"incident\":{");
    json_kv_str(out, "attacker", r->attacker, false);
    json_kv_str(out, "victim", r->victim, true);
    json_kv_str(out, "object", r->object, true);
    json_kv_str(out, "place", l->place, true);
    json_kv_str(out, "date", d, true);
    json_kv_str(out, "attribution", casus_vocab_attrib.names[r->ctx.attribution], true);
    casus_buf_puts(out, "},\"location\":{\"lat\":");
    casus_buf_json_num(out, l->lat);
    casus_buf_puts(out, ",\"lon\":");
    casus_buf_json_num(out, l->lon);
    location_json_fields(l, out);
    casus_buf_puts(out, "}");
}

/* A clause's obligation and who decides it. */
static void json_obligation(const struct casus_rverdict *v, casus_date date, casus_buf *out)
{
    const struct casus_mclause *cl = v->clause;
    casus_buf_printf(out, ",\"automatic\":%s",
                     cl->obligation == CASUS_OBLIGATION_automatic ? "true" : "false");
    json_kv_str(out, "obligation", casus_vocab_obligation.names[cl->obligation], true);
    json_kv_str(out, "obligation_text", cl->obligation_text, true);
    casus_buf_puts(out, ",\"decided_by\":");
    casus_buf db = CASUS_BUF_INIT;
    casus_buf_puts(&db, decider_words[cl->decided_by]);
    if (cl->council)
        casus_buf_printf(&db, "; collective measures: %s by %s", cl->council->title,
                         casus_vocab_rule.names[cl->council->rule]);
    casus_buf_json_str(out, db.failed ? NULL : db.data);
    if (db.failed)
        out->failed = true;
    casus_buf_release(&db);
    json_kv_str(out, "rule", cl->council ? casus_vocab_rule.names[cl->council->rule] : "each_party",
                true);
    casus_buf_printf(out, ",\"parties_on_date\":%u", casus_treaty_party_count(v->treaty, date));
}

static void json_verdict(const casus_result *r, const struct casus_rverdict *v, casus_buf *out)
{
    const casus_location *l = &r->loc;
    const struct casus_mclause *cl = v->clause;
    casus_buf_putc(out, '{');
    json_kv_str(out, "treaty", v->treaty->id, false);
    json_kv_str(out, "treaty_title", v->treaty->title, true);
    json_kv_str(out, "article", cl->article, true);
    json_kv_str(out, "clause", cl->name, true);
    json_kv_str(out, "trigger", cl->trigger, true);
    json_kv_str(out, "covered", coverage_word(v->covered), true);
    json_obligation(v, r->ctx.date, out);
    casus_buf_puts(out, ",\"reasons\":[");
    for (uint32_t k = 0; k < v->nreasons; k++) {
        if (k)
            casus_buf_putc(out, ',');
        casus_buf_json_str(out, v->reasons[k]);
    }
    casus_buf_puts(out, "],\"trace\":[");
    for (uint32_t k = 0; k < v->ntrace; k++) {
        if (k)
            casus_buf_putc(out, ',');
        casus_buf_json_str(out, r->trace[v->trace_first + k]);
    }
    casus_buf_puts(out, "],\"readings\":[");
    for (uint32_t k = 0; k < v->nreadings; k++) {
        casus_buf a = CASUS_BUF_INIT;
        casus_span_where(r->e, &v->readings[k]->span, &a);
        casus_buf_puts(out, k ? ",{" : "{");
        json_kv_str(out, "reading", v->readings[k]->code, false);
        json_kv_str(out, "text", v->readings[k]->text, true);
        json_kv_str(out, "at", a.failed ? NULL : a.data, true);
        out->failed |= a.failed;
        casus_buf_release(&a);
        casus_buf_putc(out, '}');
    }
    casus_buf_puts(out, "]");
    json_kv_str(out, "sovereign", l->sovereign, true);
    json_kv_str(out, "unit", l->unit, true);
    json_kv_str(out, "sea", l->sea, true);
    casus_buf_printf(out, ",\"near_boundary\":%s", l->near_boundary ? "true" : "false");
    if (v->treaty->cite) {
        json_kv_str(out, "source", v->treaty->cite->title, true);
        json_kv_str(out, "source_url", v->treaty->cite->url, true);
    }
    casus_buf_putc(out, '}');
}

static void warning(const casus_result *r, casus_buf *b)
{
    casus_answer_warning(r, b);
}

static void read_line(const casus_result *r, casus_buf *b)
{
    if (casus_read_line(r, b) && !b->failed && b->len > 8) { /* drop the "  read: " lead */
        b->len -= 8;
        memmove(b->data, b->data + 8, b->len + 1);
    }
}

/* One line a writer makes, as a JSON string without its newline (null
 * when the writer writes nothing). */
static void json_line(const casus_result *r, void (*write)(const casus_result *, casus_buf *),
                      casus_buf *out)
{
    casus_buf a = CASUS_BUF_INIT;
    write(r, &a);
    if (a.len && a.data[a.len - 1] == '\n')
        a.data[--a.len] = '\0';
    casus_buf_json_str(out, a.failed || !a.len ? NULL : a.data);
    out->failed |= a.failed;
    casus_buf_release(&a);
}

casus_status casus_result_write_json(const casus_result *r0, casus_buf *out)
{
    casus_result *r = (casus_result *)r0; /* the trace is built lazily */
    casus_status st = casus_result_build_trace(r);
    if (st != CASUS_OK)
        return st;
    casus_buf_putc(out, '{');
    json_incident(r, out);
    casus_buf_puts(out, ",\"verdicts\":[");
    for (uint32_t i = 0; i < r->nv; i++) {
        if (i)
            casus_buf_putc(out, ',');
        json_verdict(r, &r->v[i], out);
    }
    casus_buf_puts(out, "],\"answer\":");
    json_line(r, answer, out);
    casus_buf_puts(out, ",\"warning\":");
    json_line(r, warning, out);
    casus_buf_puts(out, ",\"read\":");
    json_line(r, read_line, out);
    casus_buf_putc(out, '}');
    return casus_buf_status(out);
}

/* ---- CSV ---- */

const char *casus_result_csv_header(void)
{
    return "case,treaty,article,covered,automatic,obligation,rule,reasons,sovereign,unit,region,"
           "sea,near_boundary";
}

casus_status casus_result_write_csv(const casus_result *r, const char *case_id, const char *article,
                                    casus_buf *out, size_t *rows)
{
    size_t n = 0;
    for (uint32_t i = 0; i < r->nv; i++) {
        const struct casus_rverdict *v = &r->v[i];
        const struct casus_mclause *cl = v->clause;
        if (article && strcmp(article, cl->article) != 0)
            continue;
        n++;
        casus_buf_csv_field(out, case_id ? case_id : "");
        casus_buf_putc(out, ',');
        casus_buf_csv_field(out, v->treaty->id);
        casus_buf_putc(out, ',');
        casus_buf_csv_field(out, cl->article);
        casus_buf_printf(out, ",%s,%s,%s,%s,", coverage_word(v->covered),
                         cl->obligation == CASUS_OBLIGATION_automatic ? "true" : "false",
                         casus_vocab_obligation.names[cl->obligation],
                         cl->council ? casus_vocab_rule.names[cl->council->rule] : "each_party");
        for (uint32_t k = 0; k < v->nreasons; k++) {
            if (k)
                casus_buf_putc(out, ';');
            casus_buf_puts(out, v->reasons[k]);
        }
        casus_buf_putc(out, ',');
        casus_buf_csv_field(out, r->loc.sovereign ? r->loc.sovereign : "");
        casus_buf_putc(out, ',');
        casus_buf_csv_field(out, r->loc.unit ? r->loc.unit : "");
        casus_buf_putc(out, ',');
        casus_buf_csv_field(out, r->loc.region ? r->loc.region : "");
        casus_buf_putc(out, ',');
        casus_buf_csv_field(out, r->loc.sea ? r->loc.sea : "");
        casus_buf_printf(out, ",%s\n", r->loc.near_boundary ? "true" : "false");
    }
    if (rows)
        *rows = n;
    return casus_buf_status(out);
}

/* ---- locations ---- */

/* The waters, contested-continent and administration lines of a location. */
static void location_text_extra(const casus_location *l, casus_buf *b)
{
    if (l->waters) {
        casus_buf_printf(b, "waters:        %s", l->waters);
        if (l->coastal_state)
            casus_buf_printf(b, " of %s", l->coastal_state);
        if (l->waters_zone)
            casus_buf_printf(b, " (%s)", l->waters_zone);
        if (l->territorial_sea_nm > 0)
            casus_buf_printf(b, " (breadth %g nm)", l->territorial_sea_nm);
        if (l->waters_contested)
            casus_buf_puts(b, ", contested");
        casus_buf_putc(b, '\n');
        if (l->waters_source)
            casus_buf_printf(b, "waters source: %s\n", l->waters_source);
    }
    if (l->region_alt)
        casus_buf_printf(b, "continent:     contested: %s or %s -- %s\n", l->region, l->region_alt,
                         l->region_source ? l->region_source : "");
    if (l->administered_by)
        casus_buf_printf(b, "administered:  %s\n", l->administered_by);
    if (l->claimed_by)
        casus_buf_printf(b, "claimed by:    %s\n", l->claimed_by);
    if (l->area_source)
        casus_buf_printf(b, "admin. source: %s\n", l->area_source);
}

casus_status casus_location_write_text(const casus_location *l, casus_buf *b)
{
    if (l->place)
        casus_buf_printf(b, "place:         %s\n", l->place);
    casus_buf_printf(b, "coordinates:   %.4f, %.4f\n", l->lat, l->lon);
    casus_buf_printf(b, "sovereign:     %s\n", l->sovereign ? l->sovereign : "none (at sea)");
    if (l->de_facto)
        casus_buf_printf(b, "de facto:      %s\n", l->de_facto);
    if (l->unit)
        casus_buf_printf(b, "unit:          %s%s%s%s\n", l->unit, l->unit_name ? " (" : "",
                         l->unit_name ? l->unit_name : "", l->unit_name ? ")" : "");
    casus_buf_printf(b, "region:        %s\n", l->region ? l->region : "none");
    casus_buf_printf(b, "island:        %s", l->island ? "yes" : "no");
    if (l->island && l->island_basin)
        casus_buf_printf(b, " (%s)", l->island_basin);
    casus_buf_putc(b, '\n');
    casus_buf_printf(b, "sea:           %s", l->sea ? l->sea : "none");
    if (l->basin)
        casus_buf_printf(b, " (basin %s)", l->basin);
    casus_buf_putc(b, '\n');
    casus_buf_printf(b, "near_boundary: %s (%.1f km to the nearest border or coast)\n",
                     l->near_boundary ? "yes" : "no", l->boundary_km);
    location_text_extra(l, b);
    if (l->note)
        casus_buf_printf(b, "note:          %s\n", l->note);
    return casus_buf_status(b);
}

casus_status casus_location_write_json(const casus_location *l, casus_buf *b)
{
    casus_buf_puts(b, "{\"place\":");
    casus_buf_json_str(b, l->place);
    casus_buf_puts(b, ",\"lat\":");
    casus_buf_json_num(b, l->lat);
    casus_buf_puts(b, ",\"lon\":");
    casus_buf_json_num(b, l->lon);
    location_json_fields(l, b);
    casus_buf_putc(b, '}');
    return casus_buf_status(b);
}
