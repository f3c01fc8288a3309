/*
 * check_game.c — the checker for the game part of a scenario
 * (docs/language.md §9): who decides, the payoff scale, the logit precision
 * λ, and the nodes — decisions, chance moves, treaty-guarded branches,
 * councils and outcomes — plus the starts and switches of policies.
 *
 * Pipeline: parse ─ check (this, called from check_scenario.c) ─ compile
 * (scen.c).  Everything a scenario can get wrong by itself is reported here
 * with its span: unknown or duplicate names, an actor who decides but has no
 * payoffs, a missing payoff, a council group naming a non-member, a cycle,
 * a probability or payoff that can never lie where it must.  A probability
 * whose bounds (interval arithmetic over the parameters' supports) do not
 * prove it inside [0, 1] is checked again on every draw by the run.
 *
 * A covered(...) test asks the treaty engine (casus_check) on the
 * scenario's date, once, here: its verdict is part of the scenario, so the
 * Article 5 status of an attack comes from the treaty files and never from
 * a parameter.
 */
#include "lang/check.h"
#include "base/suggest.h"
#include "treaty/result.h"
#include "model/sample.h"

#include <math.h>
#include <stdio.h>

static uint32_t find_node(const struct casus_ast_gnode *const *nodes, uint32_t n, const char *s)
{
    for (uint32_t i = 0; i < n; i++)
        if (strcmp(nodes[i]->name.s, s) == 0)
            return i;
    return CASUS_GNODE_NONE;
}

/* The node a name refers to, or CASUS_GNODE_NONE with an error. */
static uint32_t resolve_node(struct checker *c, const struct casus_ast_gnode *const *nodes,
                             uint32_t n, const struct casus_name *name)
{
    uint32_t i = find_node(nodes, n, name->s);
    if (i != CASUS_GNODE_NONE)
        return i;
    struct casus_diag *g =
        casus_checker_error(c, &name->span, "unknown-node", "no node named '%s'", name->s);
    const char *cand[256];
    uint32_t k = 0;
    for (uint32_t j = 0; j < n && k < CASUS_ARRAY_LEN(cand); j++)
        cand[k++] = nodes[j]->name.s;
    const char *best = casus_suggest(name->s, cand, k, sizeof cand[0]);
    if (best)
        casus_diag_note(c->d, g, "did you mean '%s'?", best);
    else
        casus_diag_note(c->d, g, "declare it with decide, chance, if, council or outcome");
    return CASUS_GNODE_NONE;
}

static int32_t scenario_actor(const struct casus_mscenario *m, int32_t who)
{
    for (uint32_t i = 0; i < m->nactors; i++)
        if (m->actors[i] == who)
            return (int32_t)i;
    return -1;
}

/* Bounds of x over every policy's supports. */
static void bounds(const struct casus_cx *x, const struct casus_mscenario *m, double *lo,
                   double *hi)
{
    *lo = HUGE_VAL;
    *hi = -HUGE_VAL;
    for (uint32_t p = 0; p < m->npolicies; p++) {
        double a, b;
        casus_sample_interval(x, m, p, &a, &b);
        *lo = fmin(*lo, a);
        *hi = fmax(*hi, b);
    }
}

static struct casus_mbranch *check_branches(struct checker *c, const struct casus_ast_gnode *a,
                                            const struct casus_ast_gnode *const *nodes, uint32_t n,
                                            uint32_t *nb)
{
    uint32_t k = 0;
    for (const struct casus_ast_branch *b = a->branches; b; b = b->next)
        k++;
    struct casus_mbranch *out = casus_checker_alloc(c, (k ? k : 1) * sizeof *out);
    if (!out)
        return NULL;
    uint32_t i = 0;
    for (const struct casus_ast_branch *b = a->branches; b; b = b->next, i++) {
        for (const struct casus_ast_branch *q = a->branches; q != b; q = q->next)
            if (strcmp(q->label.s, b->label.s) == 0)
                casus_checker_error(c, &b->label.span, "duplicate", "'%s' appears twice in '%s'",
                                    b->label.s, a->name.s);
        out[i].label = b->label.s;
        out[i].title = b->title.s;
        out[i].span = b->label.span;
        out[i].target = resolve_node(c, nodes, n, &b->target);
        if (b->prob)
            out[i].prob = casus_checker_number(c, b->prob, "a probability");
    }
    *nb = k;
    return out;
}

static void check_chance(struct checker *c, const struct casus_ast_gnode *a, struct casus_mgnode *g,
                         const struct casus_mscenario *m)
{
    if (g->nbranches == 0) {
        casus_checker_error(c, &a->name.span, "missing-field", "chance '%s' has no branches",
                            a->name.s);
        return;
    }
    double slo = 0, shi = 0;
    const struct casus_ast_branch *ab = a->branches;
    for (uint32_t i = 0; i < g->nbranches; i++, ab = ab->next) {
        if (!g->branches[i].prob)
            return;
        double lo, hi;
        bounds(g->branches[i].prob, m, &lo, &hi);
        if (hi < 0 || lo > 1 || isnan(lo) || isnan(hi)) {
            struct casus_diag *d = casus_checker_error(
                c, &ab->prob->span, "probability-range",
                "probability of '%s' lies in [%g, %g] over the parameters' supports, never "
                "inside [0, 1]",
                ab->label.s, lo, hi);
            casus_diag_note(c->d, d, "a branch probability must lie in [0, 1] on every draw");
            return;
        }
        slo += lo;
        shi += hi;
    }
    if (slo > 1 + 1e-9 || shi < 1 - 1e-9) {
        struct casus_diag *d =
            casus_checker_error(c, &a->name.span, "probability-sum",
                                "the branch probabilities of '%s' sum to between %g and %g, "
                                "never to 1",
                                a->name.s, slo, shi);
        casus_diag_note(c->d, d, "write the last branch as 1 minus the others");
    }
}

/* Where in `covered(...)` an error of the treaty engine points: the
 * argument it is about, else the whole call. */
static const struct casus_span *covered_span(const struct casus_ast_covered *a, casus_input in)
{
    switch (in) {
    case CASUS_INPUT_PLACE:
    case CASUS_INPUT_POINT: return a->place.s ? &a->place.span : &a->span;
    case CASUS_INPUT_VICTIM: return a->victim.s ? &a->victim.span : &a->span;
    case CASUS_INPUT_ATTACKER: return a->attacker.s ? &a->attacker.span : &a->span;
    case CASUS_INPUT_OBJECT: return a->object.s ? &a->object.span : &a->span;
    case CASUS_INPUT_ATTRIBUTION: return a->attribution.s ? &a->attribution.span : &a->span;
    case CASUS_INPUT_TREATY: return a->treaty.s ? &a->treaty.span : &a->span;
    default: return &a->span;
    }
}

/* The treaty engine's verdict for a covered(...) test. */
/* The reason codes of verdict i of r, and what it hinges on (the Answer
 * line's " — hinges on: …"), copied into the model for v. */
static void covered_reasons(struct checker *c, const casus_result *r, size_t i, size_t nreasons,
                            struct casus_mcovered *v)
{
    char buf[256];
    size_t n = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < nreasons && n < sizeof buf - 1; k++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", k ? "," : "",
                              casus_result_reason(r, i, k));
    v->reason = casus_arena_strndup(c->a, buf, strlen(buf));
    casus_buf h = CASUS_BUF_INIT;
    casus_answer_hinges(r, &r->v[i], &h);
    v->hinges = h.len > 4 ? casus_arena_strndup(c->a, h.data + 4, h.len - 4) : NULL; /* " — " */
    c->oom |= !v->reason || h.failed || (h.len > 4 && !v->hinges);
    casus_buf_release(&h);
}

static void check_covered(struct checker *c, const struct casus_ast_covered *a,
                          struct casus_mcovered *v, casus_date date)
{
    v->treaty = a->treaty.s;
    v->article = a->article.s;
    v->victim = a->victim.s;
    v->attacker = a->attacker.s ? a->attacker.s : "unknown";
    v->object = a->object.s ? a->object.s : "territory";
    v->attribution = a->attribution.s;
    v->place = a->place.s;
    v->lat = a->lat;
    v->lon = a->lon;
    v->has_point = a->has_point;
    const struct casus_engine *e = c->e;
    if (casus_symtab_get(&e->treaty_ix, a->treaty.s, strlen(a->treaty.s)) < 0) {
        struct casus_diag *g = casus_checker_error(c, &a->treaty.span, "unknown-treaty",
                                                   "unknown treaty '%s'", a->treaty.s);
        casus_diag_note(c->d, g,
                        "covered() asks the treaties already loaded (the shipped ones, or a "
                        "file loaded before this one)");
        return;
    }
    if (!a->victim.s) {
        casus_checker_error(c, &a->span, "missing-field", "covered() needs 'victim ACTOR'");
        return;
    }
    if (!a->place.s && !a->has_point) {
        casus_checker_error(c, &a->span, "missing-field",
                            "covered() needs a place: 'at PLACE' or 'lat N, lon N'");
        return;
    }
    casus_result *r = NULL;
    if (casus_result_new(e, &r) != CASUS_OK) {
        c->oom = true;
        return;
    }
    casus_incident inc = {0};
    inc.attacker = v->attacker;
    inc.victim = v->victim;
    inc.object = v->object;
    inc.place = v->has_point ? NULL : v->place;
    inc.lat = v->lat;
    inc.lon = v->lon;
    inc.has_point = v->has_point;
    inc.date = date;
    inc.treaty = v->treaty;
    inc.attribution = v->attribution;
    casus_status st = casus_check(e, &inc, r);
    if (st != CASUS_OK) {
        const casus_error *err = casus_result_error_info(r);
        casus_checker_error(c, covered_span(a, err->input), "covered", "%s", err->message);
        casus_result_free(r);
        return;
    }
    v->coverage = CASUS_COVERED_NO;
    v->reason = "victim-not-a-party";
    bool found = false;
    for (size_t i = 0; i < casus_result_count(r); i++) {
        casus_verdict_info info;
        if (casus_result_verdict(r, i, &info) != CASUS_OK || strcmp(info.article, v->article))
            continue;
        found = true;
        v->coverage = (int)info.covered;
        covered_reasons(c, r, i, info.nreasons, v);
    }
    casus_result_free(r);
    if (!found) {
        const struct casus_mtreaty *t =
            e->treaties[casus_symtab_get(&e->treaty_ix, a->treaty.s, strlen(a->treaty.s))];
        bool has = false;
        for (uint32_t k = 0; k < t->nclauses; k++)
            has |= t->clauses[k].article && strcmp(t->clauses[k].article, v->article) == 0;
        if (!has)
            casus_checker_error(c, &a->article.span, "unknown-article",
                                "%s has no clause for article \"%s\"", a->treaty.s, v->article);
    }
}

/* The treaty council a council node names, and its voting mode; false
 * after an error. */
static bool council_of(struct checker *c, const struct casus_ast_gnode *a, struct casus_mgnode *g)
{
    const struct casus_engine *e = c->e;
    int32_t ti = casus_symtab_get(&e->treaty_ix, a->treaty.s, strlen(a->treaty.s));
    const struct casus_mtreaty *t = ti >= 0 ? e->treaties[ti] : NULL;
    for (uint32_t k = 0; !t && k < c->ntreaties; k++) /* declared in this file */
        if (strcmp(c->treaties[k]->id, a->treaty.s) == 0)
            t = c->treaties[k];
    if (!t) {
        casus_checker_error(c, &a->treaty.span, "unknown-treaty", "unknown treaty '%s'",
                            a->treaty.s);
        return false;
    }
    const struct casus_mcouncil *cn = NULL;
    for (uint32_t k = 0; k < t->ncouncils; k++)
        if (strcmp(t->councils[k].name, a->council.s) == 0)
            cn = &t->councils[k];
    if (!cn) {
        struct casus_diag *d =
            casus_checker_error(c, &a->council.span, "unknown-council",
                                "treaty '%s' has no council '%s'", a->treaty.s, a->council.s);
        if (t->ncouncils)
            casus_diag_note(c->d, d, "its councils: %s%s", t->councils[0].name,
                            t->ncouncils > 1 ? ", …" : "");
        return false;
    }
    g->treaty = t;
    g->council = cn;
    g->rule = cn->rule;
    g->mode = CASUS_MODE_SINCERE;
    if (a->mode.s) {
        int k = casus_vocab_find(&casus_vocab_mode, a->mode.s, strlen(a->mode.s));
        if (k < 0) {
            struct casus_diag *d = casus_checker_error(c, &a->mode.span, "unknown-mode",
                                                       "unknown voting mode '%s'", a->mode.s);
            casus_diag_note(c->d, d, "modes: sincere (default), silence, pivotal");
        } else
            g->mode = (enum casus_vote_mode)k;
    }
    return true;
}

/* The council's members on the scenario's date, into mem (at most cap). */
static uint32_t council_members(const struct casus_mgnode *g, casus_date date, int32_t *mem,
                                uint32_t cap)
{
    const struct casus_mtreaty *t = g->treaty;
    const struct casus_mcouncil *cn = g->council;
    uint32_t nm = 0;
    if (cn->members_are_parties) {
        for (uint32_t k = 0; k < t->nparties && nm < cap; k++) {
            const struct casus_mperiod *p = &t->parties[k];
            if (p->from <= date && date < p->until && (nm == 0 || mem[nm - 1] != p->who))
                mem[nm++] = p->who;
        }
    } else {
        for (uint32_t k = 0; k < cn->nmembers && nm < cap; k++)
            mem[nm++] = cn->members[k];
    }
    return nm;
}

/* The members group x lists, each a member (mem[0..nm)) in no other group
 * (used[] marks them); false when out of memory. */
static bool group_list(struct checker *c, const struct casus_ast_gnode *a,
                       const struct casus_ast_group *x, struct casus_mgroup *gr, const int32_t *mem,
                       uint32_t nm, uint8_t *used)
{
    int32_t *ms = casus_checker_alloc(c, (x->nmembers ? x->nmembers : 1) * sizeof *ms);
    if (!ms)
        return false;
    for (uint32_t k = 0; k < x->nmembers; k++) {
        int32_t who = casus_checker_actor(c, &x->members[k]);
        if (who < 0)
            continue;
        uint32_t at = 0;
        while (at < nm && mem[at] != who)
            at++;
        if (at == nm) {
            struct casus_diag *d =
                casus_checker_error(c, &x->members[k].span, "not-a-member",
                                    "%s is not a member of %s.%s on the scenario's date",
                                    x->members[k].s, a->treaty.s, a->council.s);
            casus_diag_note(c->d, d, "%u members on that date", nm);
            continue;
        }
        if (used[at]) {
            casus_checker_error(c, &x->members[k].span, "duplicate", "%s is in two groups",
                                x->members[k].s);
            continue;
        }
        used[at] = 1;
        ms[gr->nmembers++] = who;
    }
    gr->members = ms;
    return true;
}

/* The group without a list takes every member no list names; without one,
 * those members are an error. */
static bool group_rest(struct checker *c, const struct casus_ast_gnode *a, struct casus_mgroup *gr,
                       const int32_t *mem, uint32_t nm, const uint8_t *used)
{
    uint32_t left = 0;
    for (uint32_t k = 0; k < nm; k++)
        left += !used[k];
    if (gr) {
        int32_t *ms = casus_checker_alloc(c, (left ? left : 1) * sizeof *ms);
        if (!ms)
            return false;
        for (uint32_t k = 0; k < nm; k++)
            if (!used[k])
                ms[gr->nmembers++] = mem[k];
        gr->members = ms;
    } else if (left) {
        struct casus_diag *d = casus_checker_error(c, &a->name.span, "missing-group",
                                                   "%u members of %s.%s are in no group", left,
                                                   a->treaty.s, a->council.s);
        casus_diag_note(c->d, d,
                        "add a group without a list, e.g. 'group others accept = … "
                        "reject = …'");
    }
    return true;
}

/* The council's groups: payoffs of accepting and rejecting, and members. */
static void council_groups(struct checker *c, const struct casus_ast_gnode *a,
                           struct casus_mgnode *g, const int32_t *mem, uint32_t nm)
{
    uint8_t used[512] = {0};
    uint32_t ngr = 0;
    for (const struct casus_ast_group *x = a->groups; x; x = x->next)
        ngr++;
    struct casus_mgroup *gr = casus_checker_alloc(c, (ngr ? ngr : 1) * sizeof *gr);
    if (!gr)
        return;
    struct casus_mgroup *rest = NULL;
    const struct casus_ast_group *rest_ast = NULL;
    uint32_t i = 0;
    for (const struct casus_ast_group *x = a->groups; x; x = x->next, i++) {
        gr[i].name = x->name.s;
        gr[i].accept = casus_checker_number(c, x->accept, "a member's payoff");
        gr[i].reject = casus_checker_number(c, x->reject, "a member's payoff");
        for (const struct casus_ast_group *q = a->groups; q != x; q = q->next)
            if (strcmp(q->name.s, x->name.s) == 0)
                casus_checker_error(c, &x->name.span, "duplicate", "group '%s' is declared twice",
                                    x->name.s);
        if (x->has_list) {
            if (!group_list(c, a, x, &gr[i], mem, nm, used))
                return;
        } else if (rest_ast) {
            casus_checker_error(c, &x->name.span, "duplicate",
                                "only one group can take the members no list names ('%s' "
                                "already does)",
                                rest_ast->name.s);
        } else {
            rest_ast = x;
            rest = &gr[i];
        }
    }
    if (!group_rest(c, a, rest, mem, nm, used))
        return;
    if (ngr == 0)
        casus_checker_error(c, &a->name.span, "missing-field", "council '%s' has no groups",
                            a->name.s);
    if (ngr > CASUS_MAX_GROUPS)
        casus_checker_error(c, &a->name.span, "limit", "council '%s' has %u groups; at most %d",
                            a->name.s, ngr, CASUS_MAX_GROUPS);
    g->groups = gr;
    g->ngroups = ngr;
}

static void check_council(struct checker *c, const struct casus_ast_gnode *a,
                          struct casus_mgnode *g, const struct casus_mscenario *m)
{
    if (!council_of(c, a, g))
        return;
    int32_t mem[512];
    uint32_t nm = council_members(g, m->date, mem, CASUS_ARRAY_LEN(mem));
    if (nm == 0) {
        casus_checker_error(c, &a->council.span, "empty-council",
                            "council '%s' of %s has no members on the scenario's date",
                            a->council.s, a->treaty.s);
        return;
    }
    g->nmembers = nm;
    council_groups(c, a, g, mem, nm);
    /* agree and block, in that order */
    bool has[2] = {false, false};
    for (uint32_t k = 0; k < g->nbranches; k++)
        has[strcmp(g->branches[k].label, "block") == 0] = true;
    if (!has[0] || !has[1])
        casus_checker_error(c, &a->name.span, "missing-field", "council '%s' needs %s", a->name.s,
                            !has[0] ? "'agree -> NODE'" : "'block -> NODE'");
    else if (strcmp(g->branches[0].label, "agree") != 0) {
        struct casus_mbranch *b = (struct casus_mbranch *)g->branches, t0 = b[0];
        b[0] = b[1];
        b[1] = t0;
    }
}

static void check_outcome(struct checker *c, const struct casus_ast_gnode *a,
                          struct casus_mgnode *g, const struct casus_mscenario *m)
{
    if (!m->ladder) {
        casus_checker_error(c, &a->name.span, "missing-field",
                            "outcomes sit on a ladder: give the scenario 'ladder NAME'");
    } else {
        uint32_t k = 0;
        while (k < m->ladder->nrungs && strcmp(m->ladder->rungs[k].name, a->rung.s) != 0)
            k++;
        if (k == m->ladder->nrungs) {
            struct casus_diag *d =
                casus_checker_error(c, &a->rung.span, "unknown-rung",
                                    "ladder '%s' has no rung '%s'", m->ladder->name, a->rung.s);
            const char *best =
                casus_suggest(a->rung.s, (const char *const *)&m->ladder->rungs[0].name,
                              m->ladder->nrungs, sizeof m->ladder->rungs[0]);
            if (best)
                casus_diag_note(c->d, d, "did you mean '%s'?", best);
        }
        g->rung = k;
    }
    const struct casus_cx **pay =
        casus_checker_alloc(c, (m->nactors ? m->nactors : 1) * sizeof *pay);
    if (!pay)
        return;
    g->payoffs = pay;
    for (const struct casus_ast_payoff *x = a->payoffs; x; x = x->next) {
        int32_t who = casus_checker_actor(c, &x->actor);
        if (who < 0)
            continue;
        int32_t k = scenario_actor(m, who);
        if (k < 0) {
            struct casus_diag *d =
                casus_checker_error(c, &x->actor.span, "unknown-actor",
                                    "%s is not one of the scenario's actors", x->actor.s);
            casus_diag_note(c->d, d, "list it in 'actors [...]'");
            continue;
        }
        if (pay[k]) {
            casus_checker_error(c, &x->actor.span, "duplicate", "two payoffs for %s in '%s'",
                                x->actor.s, a->name.s);
            continue;
        }
        pay[k] = casus_checker_number(c, x->value, "a payoff");
        if (!pay[k])
            continue;
        double lo, hi;
        bounds(pay[k], m, &lo, &hi);
        if (hi < m->scale_lo || lo > m->scale_hi || isnan(lo) || isnan(hi)) {
            struct casus_diag *d =
                casus_checker_error(c, &x->value->span, "payoff-range",
                                    "this payoff lies in [%g, %g], never on the scale [%g, %g]", lo,
                                    hi, m->scale_lo, m->scale_hi);
            casus_diag_note(c->d, d, "payoffs are on the scenario's 'scale'");
        }
    }
    for (uint32_t k = 0; k < m->nactors; k++)
        if (!pay[k]) {
            struct casus_diag *d = casus_checker_error(c, &a->name.span, "missing-payoff",
                                                       "outcome '%s' gives no payoff to %s",
                                                       a->name.s, m->actor_codes[k]);
            casus_diag_note(c->d, d, "every outcome gives every actor a payoff on the scale");
        }
}

/* Depth-first search for a cycle from node v under policy pol; state:
 * 0 unseen, 1 on the stack, 2 done. */
static bool find_cycle(struct checker *c, const struct casus_mscenario *m,
                       const struct casus_mpolicy *pol, uint32_t v, uint8_t *state,
                       const struct casus_ast_gnode *const *nodes)
{
    if (state[v] == 2)
        return false;
    if (state[v] == 1) {
        struct casus_diag *d =
            casus_checker_error(c, &nodes[v]->name.span, "cycle",
                                "node '%s' can be reached from itself", m->nodes[v].name);
        casus_diag_note(c->d, d, "a scenario's nodes form a tree: a path never comes back");
        return true;
    }
    state[v] = 1;
    const struct casus_mgnode *g = &m->nodes[v];
    for (uint32_t b = 0; b < g->nbranches; b++) {
        uint32_t t = g->branches[b].target;
        for (uint32_t k = 0; pol && k < pol->nswitches; k++)
            if (pol->switches[k].node == v && pol->switches[k].branch == b)
                t = pol->switches[k].target;
        if (t != CASUS_GNODE_NONE && find_cycle(c, m, pol, t, state, nodes))
            return true;
    }
    state[v] = 2;
    return false;
}

/* The scenario's actors (who has payoffs), each once. */
static bool game_actors(struct checker *c, const struct casus_ast_scenario *a,
                        struct casus_mscenario *m)
{
    int32_t *act = casus_checker_alloc(c, (a->nactors ? a->nactors : 1) * sizeof *act);
    const char **codes = casus_checker_alloc(c, (a->nactors ? a->nactors : 1) * sizeof *codes);
    if (!act || !codes)
        return false;
    uint32_t na = 0;
    for (uint32_t i = 0; i < a->nactors; i++) {
        int32_t who = casus_checker_actor(c, &a->actors[i]);
        if (who < 0)
            continue;
        bool dup = false;
        for (uint32_t k = 0; k < na; k++)
            dup |= act[k] == who;
        if (dup) {
            casus_checker_error(c, &a->actors[i].span, "duplicate", "%s is listed twice",
                                a->actors[i].s);
            continue;
        }
        codes[na] = a->actors[i].s;
        act[na++] = who;
    }
    m->actors = act;
    m->actor_codes = codes;
    m->nactors = na;
    return true;
}

/* A game with nodes needs actors, a payoff scale and a λ. */
static void game_settings(struct checker *c, const struct casus_ast_scenario *a)
{
    if (!a->has_actors)
        casus_checker_error(c, &a->name.span, "missing-field",
                            "scenario '%s' has nodes but no 'actors [...]' (who has payoffs)",
                            a->name.s);
    if (!a->has_scale) {
        struct casus_diag *d = casus_checker_error(
            c, &a->name.span, "missing-field", "scenario '%s' has no payoff 'scale'", a->name.s);
        casus_diag_note(c->d, d,
                        "declare it, e.g. 'scale 0 1': λ only means something on a stated scale");
    }
    if (!a->lambda) {
        struct casus_diag *d = casus_checker_error(
            c, &a->name.span, "missing-field",
            "scenario '%s' has decisions but no 'lambda' (the logit precision)", a->name.s);
        casus_diag_note(c->d, d,
                        "e.g. 'lambda lam' with 'param lam = uniform(5, 20) judgment "
                        "\"…\"'");
    }
}

/* decide NAME by ACTOR [observes [...]] { option -> node ... } */
static bool check_decide(struct checker *c, const struct casus_ast_gnode *x, struct casus_mgnode *g,
                         const struct casus_mscenario *m, const struct casus_ast_gnode **nodes,
                         uint32_t n)
{
    int32_t who = casus_checker_actor(c, &x->actor);
    if (who >= 0) {
        g->actor = scenario_actor(m, who);
        if (g->actor < 0) {
            struct casus_diag *d = casus_checker_error(
                c, &x->actor.span, "unknown-actor",
                "%s decides here but is not one of the scenario's actors", x->actor.s);
            casus_diag_note(c->d, d, "list it in 'actors [...]' and give it payoffs");
        }
    }
    if (g->nbranches == 0)
        casus_checker_error(c, &x->name.span, "missing-field", "decision '%s' has no options",
                            x->name.s);
    if (!x->has_observes)
        return true;
    uint32_t *obs = casus_checker_alloc(c, (x->nobserves ? x->nobserves : 1) * sizeof *obs);
    if (!obs)
        return false;
    for (uint32_t k = 0; k < x->nobserves; k++)
        obs[k] = resolve_node(c, nodes, n, &x->observes[k]);
    g->observes = obs;
    g->nobserves = x->nobserves;
    g->has_observes = true;
    return true;
}

/* if NAME covered(...) then A else B [contested C]: the verdict is asked
 * now; a contested one needs its branch. */
static void check_if(struct checker *c, const struct casus_ast_gnode *x, struct casus_mgnode *g,
                     const struct casus_mscenario *m)
{
    check_covered(c, &x->covered, &g->covered, m->date);
    if (g->covered.coverage != CASUS_COVERED_CONTESTED || g->nbranches >= 3)
        return;
    struct casus_diag *d =
        casus_checker_error(c, &x->covered.span, "contested",
                            "the treaty engine finds this case contested (%s), and '%s' has no "
                            "'contested NODE'",
                            g->covered.reason, x->name.s);
    casus_diag_note(c->d, d,
                    "e.g. a chance node on a judgment: the probability "
                    "that the Council treats the case as covered");
}

static bool check_node(struct checker *c, const struct casus_ast_gnode *x, struct casus_mgnode *g,
                       const struct casus_mscenario *m, const struct casus_ast_gnode **nodes,
                       uint32_t n)
{
    g->kind = x->kind;
    g->name = x->name.s;
    g->title = x->title.s ? x->title.s : x->name.s;
    g->note = x->note.s;
    g->span = x->name.span;
    g->actor = -1;
    g->branches = check_branches(c, x, nodes, n, &g->nbranches);
    switch (x->kind) {
    case CASUS_GNODE_DECIDE: return check_decide(c, x, g, m, nodes, n);
    case CASUS_GNODE_CHANCE: check_chance(c, x, g, m); break;
    case CASUS_GNODE_IF: check_if(c, x, g, m); break;
    case CASUS_GNODE_COUNCIL: check_council(c, x, g, m); break;
    case CASUS_GNODE_OUTCOME:
        if (x->branches)
            casus_checker_error(c, &x->name.span, "syntax", "an outcome has no branches");
        check_outcome(c, x, g, m);
        break;
    }
    return true;
}

/* The nodes, indexed by name (duplicates reported) and checked. */
static const struct casus_ast_gnode **game_nodes(struct checker *c,
                                                 const struct casus_ast_scenario *a,
                                                 struct casus_mscenario *m, uint32_t n)
{
    const struct casus_ast_gnode **nodes = casus_checker_alloc(c, n * sizeof *nodes);
    struct casus_mgnode *mg = casus_checker_alloc(c, n * sizeof *mg);
    if (!nodes || !mg)
        return NULL;
    uint32_t i = 0;
    for (const struct casus_ast_gnode *x = a->nodes; x; x = x->next, i++) {
        if (find_node(nodes, i, x->name.s) != CASUS_GNODE_NONE)
            casus_checker_error(c, &x->name.span, "duplicate", "node '%s' is declared twice",
                                x->name.s);
        nodes[i] = x;
    }
    m->nodes = mg;
    m->nnodes = n;
    for (i = 0; i < n && !c->oom; i++)
        if (!check_node(c, nodes[i], &mg[i], m, nodes, n))
            return NULL;
    return nodes;
}

/* A policy's `switch NODE.OPTION -> NODE` lines. */
static bool policy_switches(struct checker *c, const struct casus_ast_policy *ap,
                            const struct casus_mscenario *m, struct casus_mpolicy *pol,
                            const struct casus_ast_gnode **nodes)
{
    const uint32_t n = m->nnodes;
    const struct casus_mgnode *mg = m->nodes;
    uint32_t ns = 0;
    for (const struct casus_ast_switch *w = ap ? ap->switches : NULL; w; w = w->next)
        ns++;
    struct casus_mswitch *sw = casus_checker_alloc(c, (ns ? ns : 1) * sizeof *sw);
    if (!sw)
        return false;
    uint32_t k = 0;
    for (const struct casus_ast_switch *w = ap ? ap->switches : NULL; w; w = w->next) {
        uint32_t v = resolve_node(c, nodes, n, &w->node);
        uint32_t t = resolve_node(c, nodes, n, &w->target);
        if (v == CASUS_GNODE_NONE || t == CASUS_GNODE_NONE)
            continue;
        uint32_t b = 0;
        while (b < mg[v].nbranches && strcmp(mg[v].branches[b].label, w->option.s) != 0)
            b++;
        if (b == mg[v].nbranches) {
            casus_checker_error(c, &w->option.span, "unknown-option",
                                "node '%s' has no option or branch '%s'", mg[v].name, w->option.s);
            continue;
        }
        sw[k].node = v;
        sw[k].branch = b;
        sw[k++].target = t;
    }
    pol->switches = sw;
    pol->nswitches = k;
    return true;
}

/* Every policy's start and switches. */
static bool game_policies(struct checker *c, const struct casus_ast_scenario *a,
                          const struct casus_mscenario *m, struct casus_mpolicy *pols,
                          const struct casus_ast_policy *const *ast_pols,
                          const struct casus_ast_gnode **nodes)
{
    uint32_t start = 0;
    if (a->start.s)
        start = resolve_node(c, nodes, m->nnodes, &a->start);
    for (uint32_t p = 0; p < m->npolicies; p++) {
        const struct casus_ast_policy *ap = ast_pols[p];
        pols[p].start = start;
        if (ap && ap->start.s)
            pols[p].start = resolve_node(c, nodes, m->nnodes, &ap->start);
        if (!policy_switches(c, ap, m, &pols[p], nodes))
            return false;
    }
    return true;
}

/* No cycle under any policy; a node no policy reaches is a warning; a
 * decision observes moves, not outcomes. */
static void game_paths(struct checker *c, const struct casus_mscenario *m,
                       struct casus_mpolicy *pols, const struct casus_ast_gnode **nodes)
{
    const uint32_t n = m->nnodes;
    const struct casus_mgnode *mg = m->nodes;
    uint8_t *state = casus_checker_alloc(c, n);
    uint8_t *reached = casus_checker_alloc(c, n);
    if (!state || !reached)
        return;
    for (uint32_t p = 0; p < m->npolicies; p++) {
        memset(state, 0, n);
        if (find_cycle(c, m, &pols[p], pols[p].start, state, nodes))
            return;
        for (uint32_t v = 0; v < n; v++)
            reached[v] |= state[v] == 2;
    }
    for (uint32_t v = 0; v < n; v++)
        if (!reached[v])
            casus_diag_add(c->d, CASUS_SEV_WARNING, &nodes[v]->name.span, "unreachable",
                           "node '%s' is not reached under any policy", mg[v].name);
    for (uint32_t v = 0; v < n; v++)
        for (uint32_t k = 0; k < mg[v].nobserves; k++) {
            uint32_t o = mg[v].observes[k];
            if (o != CASUS_GNODE_NONE && mg[o].kind == CASUS_GNODE_OUTCOME)
                casus_checker_error(c, &nodes[v]->observes[k].span, "observes",
                                    "'%s' is an outcome: there is no move to observe", mg[o].name);
        }
}

void casus_checker_game(struct checker *c, const struct casus_ast_scenario *a,
                        struct casus_mscenario *m, struct casus_mpolicy *pols,
                        const struct casus_ast_policy *const *ast_pols)
{
    uint32_t n = 0;
    for (const struct casus_ast_gnode *x = a->nodes; x; x = x->next)
        n++;
    if (!game_actors(c, a, m))
        return;
    m->scale_lo = a->has_scale ? a->scale_lo : 0;
    m->scale_hi = a->has_scale ? a->scale_hi : 1;
    if (a->has_scale && !(a->scale_lo < a->scale_hi))
        casus_checker_error(c, &a->scale_span, "bad-scale", "a scale needs LO < HI");
    if (a->lambda)
        m->lambda = casus_checker_number(c, a->lambda, "lambda");
    if (n == 0) {
        if (a->has_actors || a->lambda || a->start.s)
            casus_checker_error(c, &a->name.span, "missing-field",
                                "scenario '%s' declares a game's settings but no nodes", a->name.s);
        for (uint32_t p = 0; p < m->npolicies; p++)
            pols[p].start = CASUS_GNODE_NONE;
        return;
    }
    game_settings(c, a);
    const struct casus_ast_gnode **nodes = game_nodes(c, a, m, n);
    if (!nodes || casus_checker_failed(c))
        return;
    if (!game_policies(c, a, m, pols, ast_pols, nodes) || casus_checker_failed(c))
        return;
    game_paths(c, m, pols, nodes);
}
