/*
 * check_treaty.c — checking the declarations that make up the world and the
 * law: sources (citations), actors, dated sovereignty and treaties (parties
 * over time, councils, scope rules and clauses).  Conditions inside rules
 * are compiled by the checker's core (check.c).  Everything is staged in
 * the checker; check_file.c commits it when the file has no error.
 */
#include "base/buf.h"
#include "base/suggest.h"
#include "geo/gazetteer.h"
#include "lang/check.h"

#include <stdlib.h>

void casus_checker_sources(struct checker *c, const struct casus_ast_file *f)
{
    for (const struct casus_ast_source *s = f->sources; s; s = s->next) {
        size_t len = strlen(s->name.s);
        if (casus_symtab_get(&c->e->source_ix, s->name.s, len) >= 0 ||
            casus_symtab_get(&c->source_ix, s->name.s, len) >= 0) {
            casus_checker_error(c, &s->name.span, "duplicate", "source '%s' is declared twice",
                                s->name.s);
            continue;
        }
        if (!s->title.s)
            casus_checker_error(c, &s->name.span, "missing-field", "source '%s' has no title",
                                s->name.s);
        struct casus_msource *m = casus_checker_alloc(c, sizeof *m);
        if (!m)
            return;
        m->id = s->name.s;
        m->title = s->title.s;
        m->url = s->url.s;
        m->publisher = s->publisher.s;
        m->note = s->note.s;
        m->locator = s->locator.s;
        m->date = s->date;
        m->has_date = s->has_date;
        if (casus_symtab_put(&c->source_ix, c->a, m->id, len, (int32_t)c->nsources) != CASUS_OK)
            c->oom = true;
        casus_checker_push(c, (void ***)&c->sources, &c->nsources, &c->capsources, m);
    }
}

void casus_checker_actors(struct checker *c, const struct casus_ast_file *f)
{
    for (const struct casus_ast_actor *a = f->actors; a; a = a->next) {
        if (casus_checker_find_actor(c, a->code.s) >= 0) {
            casus_checker_error(c, &a->code.span, "duplicate", "actor '%s' is declared twice",
                                a->code.s);
            continue;
        }
        struct casus_mactor *m = casus_checker_alloc(c, sizeof *m);
        if (!m)
            return;
        m->code = a->code.s;
        m->name = a->title.s;
        m->cow = -1;
        m->kind = !a->kind.s                               ? CASUS_ACTOR_STATE
                  : strcmp(a->kind.s, "organization") == 0 ? CASUS_ACTOR_ORG
                  : strcmp(a->kind.s, "historic") == 0     ? CASUS_ACTOR_HISTORIC
                                                           : CASUS_ACTOR_STATE;
        int32_t idx = (int32_t)(c->e->nactors + c->nactors);
        if (casus_symtab_put(&c->actor_ix, c->a, m->code, strlen(m->code), idx) != CASUS_OK)
            c->oom = true;
        casus_checker_push(c, (void ***)&c->actors, &c->nactors, &c->capactors, m);
    }
}

/* Build periods from a list; sorted by (actor, from) when `sort`. */
static int cmp_period(const void *x, const void *y)
{
    const struct casus_mperiod *a = x, *b = y;
    if (a->who != b->who)
        return a->who < b->who ? -1 : 1;
    return a->from < b->from ? -1 : a->from > b->from;
}

static struct casus_mperiod *build_periods(struct checker *c, const struct casus_ast_period *list,
                                           uint32_t *n, bool sort)
{
    uint32_t k = 0;
    for (const struct casus_ast_period *p = list; p; p = p->next)
        k++;
    struct casus_mperiod *out = casus_checker_alloc(c, (k ? k : 1) * sizeof *out);
    if (!out)
        return NULL;
    *n = 0;
    for (const struct casus_ast_period *p = list; p; p = p->next) {
        struct casus_mperiod *m = &out[(*n)++];
        m->who = casus_checker_actor(c, &p->who);
        m->de_facto = p->de_facto.s ? casus_checker_actor(c, &p->de_facto) : -1;
        casus_checker_dates(&p->dates, &m->from, &m->until);
        casus_checker_check_dates(c, &p->dates);
        m->note = p->note.s;
        m->cite = casus_checker_source(c, &p->cite);
        m->kind = p->kind;
        m->span = p->span;
    }
    if (sort)
        qsort(out, *n, sizeof *out, cmp_period);
    return out;
}

/* Two lines of one kind (two sovereigns, two administrations, one
 * state's claim twice) may not cover the same day. */
static void check_holding_overlaps(struct checker *c, const struct casus_ast_sovereignty *s,
                                   const struct casus_mperiod *lines, uint32_t n)
{
    static const char *const what[] = {"sovereign", "administered-by", "claimed-by"};
    for (uint32_t i = 0; i < n; i++)
        for (uint32_t j = 0; j < i; j++) {
            const struct casus_mperiod *a = &lines[j], *b = &lines[i];
            if (a->kind != b->kind || (a->kind == CASUS_HOLD_CLAIM && a->who != b->who) ||
                a->from >= b->until || b->from >= a->until)
                continue;
            casus_checker_error(c, &b->span, "overlap",
                                "two '%s' lines of '%s' cover the same dates", what[b->kind],
                                s->unit.s);
        }
}

/* Administration and claims must say where they come from. */
static void check_holding_cites(struct checker *c, const struct casus_ast_sovereignty *s)
{
    for (const struct casus_ast_period *p = s->periods; p; p = p->next)
        if (p->kind != CASUS_HOLD_SOVEREIGN && !p->cite.s)
            casus_checker_error(
                c, &p->span, "missing-field", "an '%s' line of '%s' must cite its source",
                p->kind == CASUS_HOLD_ADMIN ? "administered-by" : "claimed-by", s->unit.s);
}

static int cmp_date(const void *x, const void *y)
{
    casus_date a = *(const casus_date *)x, b = *(const casus_date *)y;
    return a < b ? -1 : a > b;
}

/* The claim lines of m in force on day d, by claimant code ("CHN,TWN"),
 * into seg; false when out of memory. */
static bool claim_segment(struct checker *c, const struct casus_msov *m, casus_date d,
                          struct casus_mclaims *seg)
{
    int32_t *who = casus_checker_alloc(c, m->nperiods * sizeof *who);
    const struct casus_mperiod **lines = casus_checker_alloc(c, m->nperiods * sizeof *lines);
    if (!who || !lines)
        return false;
    seg->n = 0;
    for (uint32_t i = 0; i < m->nperiods; i++) {
        const struct casus_mperiod *p = &m->periods[i];
        if (p->kind != CASUS_HOLD_CLAIM || p->from > d || p->until <= d || p->who < 0)
            continue;
        uint32_t k = seg->n++; /* insertion by code */
        while (k > 0 && strcmp(casus_checker_actor_at(c, lines[k - 1]->who)->code,
                               casus_checker_actor_at(c, p->who)->code) > 0) {
            lines[k] = lines[k - 1];
            k--;
        }
        lines[k] = p;
    }
    casus_buf j = CASUS_BUF_INIT;
    for (uint32_t k = 0; k < seg->n; k++) {
        who[k] = lines[k]->who;
        casus_buf_printf(&j, "%s%s", k ? "," : "", casus_checker_actor_at(c, who[k])->code);
    }
    seg->who = who;
    seg->lines = lines;
    seg->joined = j.failed ? NULL : casus_arena_strndup(c->a, j.data ? j.data : "", j.len);
    casus_buf_release(&j);
    return seg->joined != NULL;
}

/* The claimants of m over each stretch between the dates where a claim
 * starts or ends, joined by code (empty stretches left out). */
static void build_claims(struct checker *c, struct casus_msov *m)
{
    uint32_t nb = 0;
    casus_date *b = casus_checker_alloc(c, (2 * m->nperiods + 1) * sizeof *b);
    struct casus_mclaims *out = casus_checker_alloc(c, (2 * m->nperiods + 1) * sizeof *out);
    if (!b || !out)
        return;
    for (uint32_t i = 0; i < m->nperiods; i++)
        if (m->periods[i].kind == CASUS_HOLD_CLAIM) {
            b[nb++] = m->periods[i].from;
            b[nb++] = m->periods[i].until;
        }
    qsort(b, nb, sizeof *b, cmp_date);
    uint32_t n = 0;
    for (uint32_t k = 0; k + 1 < nb; k++) {
        if (b[k] == b[k + 1])
            continue;
        struct casus_mclaims *seg = &out[n];
        seg->from = b[k];
        seg->until = b[k + 1];
        if (!claim_segment(c, m, b[k], seg)) {
            c->oom = true;
            return;
        }
        n += seg->n > 0;
    }
    m->claims = out;
    m->nclaims = n;
}

void casus_checker_sovereignties(struct checker *c, const struct casus_ast_file *f,
                                 struct casus_msov ***out, uint32_t *nout, uint32_t *capout)
{
    for (const struct casus_ast_sovereignty *s = f->sovereignties; s; s = s->next) {
        if (casus_symtab_get(&c->e->sov_ix, s->unit.s, strlen(s->unit.s)) >= 0) {
            casus_checker_error(c, &s->unit.span, "duplicate",
                                "sovereignty of '%s' is declared twice", s->unit.s);
            continue;
        }
        for (uint32_t i = 0; i < *nout; i++)
            if (strcmp((*out)[i]->unit, s->unit.s) == 0)
                casus_checker_error(c, &s->unit.span, "duplicate",
                                    "sovereignty of '%s' is declared twice", s->unit.s);
        struct casus_msov *m = casus_checker_alloc(c, sizeof *m);
        if (!m)
            return;
        m->unit = s->unit.s;
        m->title = s->title.s;
        m->span = s->unit.span;
        uint32_t n = 0;
        m->periods = build_periods(c, s->periods, &n, false);
        m->nperiods = n;
        if (!m->periods)
            return;
        check_holding_overlaps(c, s, m->periods, n);
        check_holding_cites(c, s);
        build_claims(c, m);
        casus_checker_push(c, (void ***)out, nout, capout, m);
    }
}

/* The readings of a scope: a condition, and the text the Answer line quotes. */
static bool check_readings(struct checker *c, const struct casus_ast_scope *s,
                           struct casus_mscope *m)
{
    uint32_t n = 0;
    for (const struct casus_ast_rule *r = s->readings; r; r = r->next)
        n++;
    struct casus_mreading *out = casus_checker_alloc(c, (n ? n : 1) * sizeof *out);
    if (!out)
        return false;
    uint32_t k = 0;
    for (const struct casus_ast_rule *r = s->readings; r; r = r->next, k++) {
        struct casus_mreading *x = &out[k];
        x->code = r->code.s;
        x->when = casus_checker_condition(c, r->when);
        x->text = r->text.s;
        x->note = r->note.s;
        x->quote = r->quote.s;
        x->article = r->article.s ? r->article.s : s->article.s;
        x->cite = casus_checker_source(c, &r->cite);
        casus_checker_dates(&r->dates, &x->from, &x->until);
        casus_checker_check_dates(c, &r->dates);
        x->span = r->span;
        if (!r->text.s)
            casus_checker_error(c, &r->code.span, "missing-field",
                                "reading '%s' must say what it reads in a 'text'", r->code.s);
    }
    m->readings = out;
    m->nreadings = n;
    return true;
}

static const struct casus_mscope *check_scope(struct checker *c, const struct casus_ast_scope *s)
{
    struct casus_mscope *m = casus_checker_alloc(c, sizeof *m);
    if (!m)
        return NULL;
    m->name = s->name.s;
    m->article = s->article.s;
    m->title = s->title.s;
    m->note = s->note.s;
    m->cite = casus_checker_source(c, &s->cite);
    uint32_t n = 0;
    for (const struct casus_ast_rule *r = s->rules; r; r = r->next)
        n++;
    struct casus_mrule *rules = casus_checker_alloc(c, (n ? n : 1) * sizeof *rules);
    if (!rules)
        return NULL;
    uint32_t k = 0;
    for (const struct casus_ast_rule *r = s->rules; r; r = r->next, k++) {
        struct casus_mrule *mr = &rules[k];
        for (uint32_t j = 0; j < k; j++)
            if (strcmp(rules[j].code, r->code.s) == 0 && !r->dates.has_from && !r->dates.has_until)
                casus_checker_error(c, &r->code.span, "duplicate",
                                    "reason '%s' is used twice in scope '%s'", r->code.s,
                                    s->name.s);
        mr->verdict = r->verdict;
        mr->code = r->code.s;
        mr->when = casus_checker_condition(c, r->when);
        mr->quote = r->quote.s;
        mr->note = r->note.s;
        mr->article = r->article.s ? r->article.s : s->article.s;
        mr->cite = casus_checker_source(c, &r->cite);
        casus_checker_dates(&r->dates, &mr->from, &mr->until);
        casus_checker_check_dates(c, &r->dates);
        mr->span = r->span;
        if (r->verdict == CASUS_RULE_CONTESTED && !r->note.s)
            casus_checker_error(c, &r->code.span, "missing-field",
                                "contested rule '%s' must say why in a 'note'", r->code.s);
    }
    m->rules = rules;
    m->nrules = n;
    if (!check_readings(c, s, m))
        return NULL;
    if (!s->otherwise) {
        struct casus_span sp = s->name.span;
        struct casus_diag *g = casus_checker_error(c, &sp, "missing-field",
                                                   "scope '%s' has no 'otherwise' rule", s->name.s);
        casus_diag_note(c->d, g,
                        "add e.g. 'otherwise outside_scope { note \"…\" }' so every "
                        "incident gets a reason");
    } else {
        struct casus_mrule *o = casus_checker_alloc(c, sizeof *o);
        if (!o)
            return NULL;
        o->verdict = CASUS_RULE_NOT_COVERED;
        o->code = s->otherwise->code.s;
        o->quote = s->otherwise->quote.s;
        o->note = s->otherwise->note.s;
        o->article = s->otherwise->article.s ? s->otherwise->article.s : s->article.s;
        o->cite = casus_checker_source(c, &s->otherwise->cite);
        o->from = CASUS_DATE_MIN;
        o->until = CASUS_DATE_MAX;
        o->span = s->otherwise->span;
        m->otherwise = o;
    }
    return m;
}

/* Parties of t (periods sorted by actor, then start) with a dense index by
 * actor over every actor known now, staged ones included. */
static bool check_parties(struct checker *c, const struct casus_ast_treaty *t,
                          struct casus_mtreaty *m)
{
    uint32_t n = 0;
    struct casus_mperiod *parties = build_periods(c, t->parties, &n, true);
    m->parties = parties;
    m->nparties = n;
    for (uint32_t i = 1; parties && i < n; i++)
        if (parties[i].who == parties[i - 1].who && parties[i].from < parties[i - 1].until &&
            parties[i].who >= 0)
            casus_checker_error(c, &t->name.span, "overlap",
                                "party '%s' has overlapping periods in '%s'",
                                casus_checker_actor_at(c, parties[i].who)->code, t->name.s);
    uint32_t na = c->e->nactors + c->nactors;
    uint32_t *first = casus_checker_alloc(c, (na ? na : 1) * sizeof *first);
    uint32_t *count = casus_checker_alloc(c, (na ? na : 1) * sizeof *count);
    if (!first || !count)
        return false;
    for (uint32_t i = 0; parties && i < n; i++) {
        if (parties[i].who < 0)
            continue;
        if (!count[parties[i].who])
            first[parties[i].who] = i;
        count[parties[i].who]++;
    }
    m->party_first = first;
    m->party_count = count;
    m->nindexed = na;
    return true;
}

/* One council: its decision rule and members. */
static bool check_council(struct checker *c, const struct casus_ast_council *x,
                          struct casus_mcouncil *mc)
{
    mc->name = x->name.s;
    mc->title = x->title.s ? x->title.s : x->name.s;
    mc->article = x->article.s;
    mc->note = x->note.s;
    mc->quote = x->quote.s;
    if (!x->rule.s) {
        casus_checker_error(c, &x->name.span, "missing-field",
                            "council '%s' has no decision 'rule'", x->name.s);
    } else {
        int r = casus_checker_vocab(c, &casus_vocab_rule, &x->rule);
        mc->rule = r < 0 ? CASUS_VOTE_consensus : (enum casus_vote_rule)r;
    }
    mc->members_are_parties = x->members_are_parties || x->nmembers == 0;
    int32_t *mem = casus_checker_alloc(c, (x->nmembers ? x->nmembers : 1) * sizeof *mem);
    if (!mem)
        return false;
    for (uint32_t i = 0; i < x->nmembers; i++)
        mem[i] = casus_checker_actor(c, &x->members[i]);
    mc->members = mem;
    mc->nmembers = x->nmembers;
    mc->cite = casus_checker_source(c, &x->cite);
    return true;
}

static bool check_councils(struct checker *c, const struct casus_ast_treaty *t,
                           struct casus_mtreaty *m)
{
    uint32_t nc = 0;
    for (const struct casus_ast_council *x = t->councils; x; x = x->next)
        nc++;
    struct casus_mcouncil *councils = casus_checker_alloc(c, (nc ? nc : 1) * sizeof *councils);
    if (!councils)
        return false;
    uint32_t k = 0;
    for (const struct casus_ast_council *x = t->councils; x; x = x->next, k++)
        if (!check_council(c, x, &councils[k]))
            return false;
    m->councils = councils;
    m->ncouncils = nc;
    return true;
}

/* The scopes of t, compiled in order (*out[i] is NULL where one failed). */
static bool check_scopes(struct checker *c, const struct casus_ast_treaty *t,
                         const struct casus_mscope ***out)
{
    uint32_t ns = 0;
    for (const struct casus_ast_scope *s = t->scopes; s; s = s->next)
        ns++;
    const struct casus_mscope **scopes = casus_checker_alloc(c, (ns ? ns : 1) * sizeof *scopes);
    if (!scopes)
        return false;
    uint32_t k = 0;
    for (const struct casus_ast_scope *s = t->scopes; s; s = s->next, k++) {
        for (const struct casus_ast_scope *o = t->scopes; o != s; o = o->next)
            if (strcmp(o->name.s, s->name.s) == 0)
                casus_checker_error(c, &s->name.span, "duplicate", "scope '%s' is defined twice",
                                    s->name.s);
        scopes[k] = check_scope(c, s);
    }
    *out = scopes;
    return true;
}

/* The scope a clause names, or NULL with an error and a suggestion. */
static const struct casus_mscope *clause_scope(struct checker *c, const struct casus_ast_treaty *t,
                                               const struct casus_ast_clause *x,
                                               const struct casus_mscope *const *scopes)
{
    uint32_t i = 0;
    const struct casus_ast_scope *s = t->scopes;
    for (; s && strcmp(s->name.s, x->scope.s) != 0; s = s->next, i++)
        ;
    if (s)
        return scopes[i];
    struct casus_diag *g = casus_checker_error(
        c, &x->scope.span, "unknown-scope", "no scope '%s' in treaty '%s'", x->scope.s, t->name.s);
    struct casus_suggest sg;
    casus_suggest_begin(&sg, x->scope.s, strlen(x->scope.s));
    for (s = t->scopes; s; s = s->next)
        casus_suggest_offer(&sg, s->name.s, s->name.s);
    if (casus_suggest_best(&sg))
        casus_diag_note(c->d, g, "did you mean '%s'?", casus_suggest_best(&sg));
    return NULL;
}

/* A clause's obligation and decider, from their vocabularies. */
static void clause_obligation(struct checker *c, const struct casus_ast_clause *x,
                              struct casus_mclause *mc)
{
    if (x->obligation.s) {
        int o = casus_checker_vocab(c, &casus_vocab_obligation, &x->obligation);
        mc->obligation = o < 0 ? CASUS_OBLIGATION_consultation : (enum casus_obligation)o;
    } else {
        casus_checker_error(c, &x->name.span, "missing-field", "clause '%s' has no 'obligation'",
                            x->name.s);
    }
    mc->obligation_text = x->obligation_text.s;
    if (x->decided_by.s) {
        int dcd = casus_checker_vocab(c, &casus_vocab_decider, &x->decided_by);
        mc->decided_by = dcd < 0 ? CASUS_DECIDER_each_party : (enum casus_decider)dcd;
    }
    mc->decided_by_text = x->decided_by_text.s;
}

static void check_clause(struct checker *c, const struct casus_ast_treaty *t,
                         const struct casus_ast_clause *x, const struct casus_mtreaty *m,
                         const struct casus_mscope *const *scopes, struct casus_mclause *mc)
{
    mc->name = x->name.s;
    mc->article = x->article.s;
    mc->title = x->title.s;
    mc->quote = x->quote.s;
    mc->note = x->note.s;
    mc->trigger = x->trigger.s;
    mc->cite = casus_checker_source(c, &x->cite);
    casus_checker_dates(&x->dates, &mc->from, &mc->until);
    casus_checker_check_dates(c, &x->dates);
    if (!x->article.s)
        casus_checker_error(c, &x->name.span, "missing-field", "clause '%s' has no 'article'",
                            x->name.s);
    if (!x->quote.s)
        casus_checker_error(c, &x->name.span, "missing-field",
                            "clause '%s' does not quote its text ('quote \"…\"')", x->name.s);
    if (!x->trigger.s)
        casus_checker_error(c, &x->name.span, "missing-field", "clause '%s' has no 'trigger'",
                            x->name.s);
    clause_obligation(c, x, mc);
    if (x->scope.s)
        mc->scope = clause_scope(c, t, x, scopes);
    if (x->council.s) {
        uint32_t i = 0;
        for (; i < m->ncouncils && strcmp(m->councils[i].name, x->council.s) != 0; i++)
            ;
        if (i == m->ncouncils)
            casus_checker_error(c, &x->council.span, "unknown-council",
                                "no council '%s' in treaty '%s'", x->council.s, t->name.s);
        else
            mc->council = &m->councils[i];
    }
    if (mc->decided_by == CASUS_DECIDER_council && !x->council.s)
        casus_checker_error(c, &x->decided_by.span, "missing-field",
                            "clause '%s' is decided by a council but names none ('council NAME')",
                            x->name.s);
}

static bool check_clauses(struct checker *c, const struct casus_ast_treaty *t,
                          struct casus_mtreaty *m, const struct casus_mscope *const *scopes)
{
    uint32_t ncl = 0;
    for (const struct casus_ast_clause *x = t->clauses; x; x = x->next)
        ncl++;
    struct casus_mclause *clauses = casus_checker_alloc(c, (ncl ? ncl : 1) * sizeof *clauses);
    if (!clauses)
        return false;
    uint32_t k = 0;
    for (const struct casus_ast_clause *x = t->clauses; x; x = x->next, k++)
        check_clause(c, t, x, m, scopes, &clauses[k]);
    m->clauses = clauses;
    m->nclauses = ncl;
    return true;
}

/* A treaty: header, parties, councils, scopes, clauses; its lets are in
 * scope (and party() available) while its conditions compile. */
static struct casus_mtreaty *check_treaty(struct checker *c, const struct casus_ast_treaty *t)
{
    struct casus_mtreaty *m = casus_checker_alloc(c, sizeof *m);
    if (!m)
        return NULL;
    m->id = t->name.s;
    m->title = t->title.s ? t->title.s : t->name.s;
    m->short_title = t->short_title.s;
    m->note = t->note.s;
    m->signed_on = t->has_signed ? t->signed_on : CASUS_DATE_MIN;
    m->in_force = t->has_in_force ? t->in_force : m->signed_on;
    m->terminated = t->has_terminated ? t->terminated : CASUS_DATE_MAX;
    m->cite = casus_checker_source(c, &t->cite);
    if (!t->cite.s)
        casus_checker_error(c, &t->name.span, "missing-field",
                            "treaty '%s' cites no source for its text", t->name.s);
    if (!t->parties)
        casus_checker_error(c, &t->name.span, "missing-field", "treaty '%s' has no parties",
                            t->name.s);
    c->in_treaty = true;
    const struct casus_mscope **scopes = NULL;
    struct casus_mzone *zones = NULL;
    if (!casus_checker_zones(c, t, &zones, &m->nzones))
        return NULL;
    m->zones = c->zones = zones;
    c->nzones = m->nzones;
    if (!casus_checker_stage_lets(c, t->lets, &c->treaty_lets, &c->ntreaty_lets) ||
        !check_parties(c, t, m) || !check_councils(c, t, m) || !check_scopes(c, t, &scopes) ||
        !check_clauses(c, t, m, scopes))
        return NULL;
    casus_checker_compile_lets(c, c->treaty_lets, c->ntreaty_lets);
    c->in_treaty = false;
    c->zones = NULL;
    c->nzones = 0;
    c->treaty_lets = NULL;
    c->ntreaty_lets = 0;
    return m;
}

void casus_checker_treaties(struct checker *c, const struct casus_ast_file *f,
                            struct casus_mtreaty ***out, uint32_t *nout, uint32_t *capout)
{
    for (const struct casus_ast_treaty *t = f->treaties; t && !c->oom; t = t->next) {
        bool dup = casus_symtab_get(&c->e->treaty_ix, t->name.s, strlen(t->name.s)) >= 0;
        for (uint32_t i = 0; i < *nout; i++)
            dup |= strcmp((*out)[i]->id, t->name.s) == 0;
        if (dup) {
            casus_checker_error(c, &t->name.span, "duplicate", "treaty '%s' is declared twice",
                                t->name.s);
            continue;
        }
        struct casus_mtreaty *m = check_treaty(c, t);
        if (m)
            casus_checker_push(c, (void ***)out, nout, capout, m);
    }
}
