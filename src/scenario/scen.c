/*
 * scen.c — compile a scenario's game for one policy into a flat tree, and
 * solve it for one parameter draw (see scen.h).
 */
#include "scenario/scen.h"
#include "model/sample.h"

#include <math.h>
#include <stdio.h>

/* ---- compiling ---- */

struct builder {
    struct casus_scen *sc;
    const struct casus_mscenario *s;
    const struct casus_mpolicy *pol;
    struct casus_diags *d;
    bool oom;
    /* slots under construction */
    const struct casus_cx **cx;
    uint32_t ncx, capcx;
    struct casus_scen_op *code;
    uint32_t ncode, capcode;
    uint32_t *off;
    const uint8_t *used; /* graph nodes the tree reaches */
};

static void *grow(struct builder *b, void *p, uint32_t *cap, uint32_t need, size_t elem)
{
    if (need <= *cap)
        return p;
    uint32_t nc = *cap ? *cap * 2 : 64;
    while (nc < need)
        nc *= 2;
    void *q = casus_arena_grow(&b->sc->arena, p, *cap, nc, elem);
    if (!q) {
        b->oom = true;
        return NULL;
    }
    *cap = nc;
    return q;
}

static void emit(struct builder *b, uint32_t op, uint32_t i, double k)
{
    struct casus_scen_op *c = grow(b, b->code, &b->capcode, b->ncode + 1, sizeof *c);
    if (!c)
        return;
    b->code = c;
    c[b->ncode].op = op;
    c[b->ncode].i = i;
    c[b->ncode].k = k;
    b->ncode++;
}

/* Does x read no parameter?  Then its value is fixed at compile time. */
static bool is_const(const struct casus_cx *x)
{
    switch (x->op) {
    case CASUS_CX_CONST: return true;
    case CASUS_CX_PARAM: return false;
    case CASUS_CX_NEG: return is_const(x->a);
    default: return is_const(x->a) && is_const(x->b);
    }
}

/* Are two expressions the same computation? */
static bool cx_equal(const struct casus_cx *x, const struct casus_cx *y)
{
    if (x == y)
        return true;
    if (x->op != y->op)
        return false;
    switch (x->op) {
    case CASUS_CX_CONST: return memcmp(&x->num, &y->num, sizeof x->num) == 0;
    case CASUS_CX_PARAM: return x->i == y->i;
    case CASUS_CX_NEG: return cx_equal(x->a, y->a);
    default: return cx_equal(x->a, y->a) && cx_equal(x->b, y->b);
    }
}

/* An earlier slot computing the same as x, or CASUS_NONE. */
static uint32_t same_slot(const struct builder *b, const struct casus_cx *x)
{
    for (uint32_t k = 0; k < b->ncx; k++)
        if (cx_equal(b->cx[k], x))
            return k;
    return CASUS_NONE;
}

static void emit_cx(struct builder *b, const struct casus_cx *x)
{
    if (x->op != CASUS_CX_CONST && is_const(x)) { /* fold */
        emit(b, CASUS_CX_CONST, 0, casus_sample_eval(x, NULL));
        return;
    }
    if (x->op != CASUS_CX_CONST && x->op != CASUS_CX_PARAM) {
        uint32_t k = same_slot(b, x); /* reuse: "1 - p" after "p" */
        if (k != CASUS_NONE) {
            emit(b, CASUS_SCEN_LOAD, k, 0);
            return;
        }
    }
    switch (x->op) {
    case CASUS_CX_CONST: emit(b, CASUS_CX_CONST, 0, x->num); return;
    case CASUS_CX_PARAM: emit(b, CASUS_CX_PARAM, (uint32_t)x->i, 0); return;
    case CASUS_CX_NEG:
        emit_cx(b, x->a);
        emit(b, CASUS_CX_NEG, 0, 0);
        return;
    default:
        emit_cx(b, x->a);
        emit_cx(b, x->b);
        emit(b, (uint32_t)x->op, 0, 0);
        return;
    }
}

/* The slot of expression x (one per distinct expression). */
static uint32_t slot_of(struct builder *b, const struct casus_cx *x)
{
    uint32_t same = same_slot(b, x);
    if (same != CASUS_NONE)
        return same;
    uint32_t capoff = b->capcx;
    const struct casus_cx **cx = grow(b, b->cx, &b->capcx, b->ncx + 1, sizeof *cx);
    if (!cx)
        return 0;
    b->cx = cx;
    if (b->capcx != capoff || !b->off) {
        uint32_t c2 = capoff + 1;
        uint32_t *o = grow(b, b->off, &c2, b->capcx + 1, sizeof *o);
        if (!o)
            return 0;
        b->off = o;
    }
    b->off[b->ncx] = b->ncode;
    emit_cx(b, x);
    b->cx[b->ncx] = x;
    b->off[b->ncx + 1] = b->ncode;
    return b->ncx++;
}

static uint32_t target_of(const struct builder *b, uint32_t g, uint32_t br)
{
    const struct casus_mpolicy *pol = b->pol;
    for (uint32_t k = 0; k < pol->nswitches; k++)
        if (pol->switches[k].node == g && pol->switches[k].branch == br)
            return pol->switches[k].target;
    return b->s->nodes[g].branches[br].target;
}

/* Follow `if` nodes to the node the treaty engine's verdict selects
 * (marking them used, for reports). */
static uint32_t follow(const struct builder *b, uint32_t g)
{
    for (uint32_t guard = 0; guard <= b->s->nnodes; guard++) {
        const struct casus_mgnode *n = &b->s->nodes[g];
        if (n->kind != CASUS_GNODE_IF)
            return g;
        if (b->sc->if_used)
            b->sc->if_used[g] = 1;
        uint32_t br = n->covered.coverage == 1 ? 0 : n->covered.coverage == 2 ? 2 : 1;
        g = target_of(b, g, br);
    }
    return g; /* unreachable: the checker rejects cycles */
}

/* The tree under construction: node v's graph node, parent, branch from
 * the parent, probability source, first child (cs[v] .. cs[v + 1]) and
 * decider (actor + 1, 0 for none).  The arrays grow together. */
struct tree_build {
    uint32_t *gnode, *parent, *branch, *src, *cs;
    uint8_t *who;
    uint32_t n, cap, nleaves;
};

/* Room for `need` nodes (and need + 1 first-child entries). */
static bool tree_reserve(struct builder *b, struct tree_build *t, uint32_t need)
{
    if (need + 1 <= t->cap)
        return true;
    uint32_t nc = t->cap ? t->cap * 2 : 64;
    while (nc < need + 1)
        nc *= 2;
    struct casus_arena *a = &b->sc->arena;
    uint32_t **u32[] = {&t->gnode, &t->parent, &t->branch, &t->src, &t->cs};
    for (size_t k = 0; k < CASUS_ARRAY_LEN(u32); k++) {
        uint32_t *q = casus_arena_grow(a, *u32[k], t->cap, nc, sizeof **u32[k]);
        if (!q)
            return !(b->oom = true);
        *u32[k] = q;
    }
    uint8_t *w = casus_arena_grow(a, t->who, t->cap, nc, sizeof *w);
    if (!w)
        return !(b->oom = true);
    t->who = w;
    t->cap = nc;
    return true;
}

/* Expand the policy's game graph breadth-first from its start, `if` nodes
 * resolved by their verdicts.  CASUS_ELIMIT (with a diagnostic when the
 * builder has diagnostics) beyond max_nodes. */
static casus_status expand(struct builder *b, struct tree_build *t, uint32_t max_nodes)
{
    const struct casus_mscenario *s = b->s;
    if (!tree_reserve(b, t, 1))
        return CASUS_ENOMEM;
    t->gnode[0] = follow(b, b->pol->start);
    t->parent[0] = t->branch[0] = t->src[0] = CASUS_NONE;
    t->n = 1;
    for (uint32_t v = 0; v < t->n; v++) {
        const struct casus_mgnode *gn = &s->nodes[t->gnode[v]];
        t->cs[v] = t->n;
        t->who[v] = gn->kind == CASUS_GNODE_DECIDE ? (uint8_t)(gn->actor + 1) : 0;
        if (gn->kind == CASUS_GNODE_OUTCOME) {
            t->nleaves++;
            continue;
        }
        if ((uint64_t)t->n + gn->nbranches > max_nodes) {
            if (b->d) {
                struct casus_diag *g = casus_diag_add(
                    b->d, CASUS_SEV_ERROR, &gn->span, "game-too-large",
                    "the game of scenario '%s' expands to more than %u nodes", s->name, max_nodes);
                casus_diag_note(b->d, g,
                                "a node reached along many paths is copied once per "
                                "path; merge paths or raise the limit");
            }
            return CASUS_ELIMIT;
        }
        if (!tree_reserve(b, t, t->n + gn->nbranches))
            return CASUS_ENOMEM;
        CASUS_ASSERT(t->n + gn->nbranches < t->cap);
        for (uint32_t k = 0; k < gn->nbranches; k++) {
            uint32_t c = t->n++;
            t->gnode[c] = follow(b, target_of(b, t->gnode[v], k));
            t->parent[c] = v;
            t->branch[c] = k;
            t->src[c] = CASUS_NONE; /* filled in once the slots exist */
        }
    }
    t->cs[t->n] = t->n;
    return CASUS_OK;
}

/* Every expression of the graph gets a slot, in graph order, whether this
 * policy's tree uses it or not: the slot table is then the same under
 * every policy, and a run evaluates it once per draw (only the slots that
 * read a policy's overridden parameters again).  λ's slot comes first. */
static void graph_slots(struct builder *b)
{
    const struct casus_mscenario *s = b->s;
    if (s->lambda)
        b->sc->lambda_slot = slot_of(b, s->lambda);
    for (uint32_t g = 0; g < s->nnodes; g++) {
        const struct casus_mgnode *gn = &s->nodes[g];
        for (uint32_t k = 0; gn->kind == CASUS_GNODE_CHANCE && k < gn->nbranches; k++)
            slot_of(b, gn->branches[k].prob);
        for (uint32_t k = 0; gn->kind == CASUS_GNODE_COUNCIL && k < gn->ngroups; k++) {
            slot_of(b, gn->groups[k].accept);
            slot_of(b, gn->groups[k].reject);
        }
        for (uint32_t k = 0; gn->kind == CASUS_GNODE_OUTCOME && k < s->nactors; k++)
            slot_of(b, gn->payoffs[k]);
    }
}

/* Size the chance-probability and council tables for the graph nodes the
 * tree uses (used[g]), and note whether any decider has information sets. */
static casus_status alloc_tables(struct builder *b, const uint8_t *used)
{
    struct casus_scen *sc = b->sc;
    uint32_t nprob = 0, ngroups = 0, ncouncil = 0;
    for (uint32_t g = 0; g < b->s->nnodes; g++) {
        const struct casus_mgnode *gn = &b->s->nodes[g];
        if (!used[g])
            continue;
        if (gn->kind == CASUS_GNODE_CHANCE)
            nprob += gn->nbranches;
        if (gn->kind == CASUS_GNODE_COUNCIL) {
            ngroups += gn->ngroups;
            ncouncil++;
            if (gn->nmembers > sc->max_members)
                sc->max_members = gn->nmembers;
        }
        if (gn->kind == CASUS_GNODE_DECIDE && gn->has_observes)
            sc->info_sets = true;
    }
    sc->prob_slot = casus_arena_alloc(&sc->arena, (nprob + 1) * sizeof *sc->prob_slot);
    sc->prob_node = casus_arena_alloc(&sc->arena, (nprob + 1) * sizeof *sc->prob_node);
    sc->council = casus_arena_alloc(&sc->arena, (ncouncil + 1) * sizeof *sc->council);
    sc->grp_accept = casus_arena_alloc(&sc->arena, (ngroups + 1) * sizeof(uint32_t));
    sc->grp_reject = casus_arena_alloc(&sc->arena, (ngroups + 1) * sizeof(uint32_t));
    sc->grp_size = casus_arena_alloc(&sc->arena, (ngroups + 1) * sizeof(uint32_t));
    return sc->prob_slot && sc->prob_node && sc->council && sc->grp_accept && sc->grp_reject &&
                   sc->grp_size
               ? CASUS_OK
               : CASUS_ENOMEM;
}

/* Fill the chance and council tables: gbase[g] is graph node g's first
 * probability, gcouncil[g] its council index (CASUS_NONE if none). */
static void fill_tables(struct builder *b, const uint8_t *used, uint32_t *gbase, uint32_t *gcouncil)
{
    struct casus_scen *sc = b->sc;
    for (uint32_t g = 0; g < b->s->nnodes && !b->oom; g++) {
        const struct casus_mgnode *gn = &b->s->nodes[g];
        gbase[g] = sc->nprob;
        gcouncil[g] = CASUS_NONE;
        if (!used[g])
            continue;
        if (gn->kind == CASUS_GNODE_CHANCE)
            for (uint32_t k = 0; k < gn->nbranches; k++) {
                sc->prob_node[sc->nprob] = g;
                sc->prob_slot[sc->nprob++] = slot_of(b, gn->branches[k].prob);
            }
        if (gn->kind == CASUS_GNODE_COUNCIL) {
            struct casus_scen_council *c = &sc->council[sc->ncouncil];
            c->gnode = g;
            c->g0 = sc->ngroups;
            c->ngroup = gn->ngroups;
            for (uint32_t k = 0; k < gn->ngroups; k++) {
                sc->grp_accept[sc->ngroups] = slot_of(b, gn->groups[k].accept);
                sc->grp_reject[sc->ngroups] = slot_of(b, gn->groups[k].reject);
                sc->grp_size[sc->ngroups++] = gn->groups[k].nmembers;
            }
            gcouncil[g] = sc->ncouncil++;
        }
    }
}

/* The chance and council tables, and each child's probability source: a
 * chance branch's slot, or (temporarily, encoded below CASUS_NONE) a
 * council's agree/block value, placed after the slots by finish(). */
static casus_status probabilities(struct builder *b, struct tree_build *t)
{
    const uint32_t G = b->s->nnodes;
    struct casus_arena *a = &b->sc->arena;
    uint32_t *gbase = casus_arena_alloc(a, (G + 1) * sizeof *gbase);
    uint32_t *gcouncil = casus_arena_alloc(a, G * sizeof *gcouncil);
    uint8_t *used = casus_arena_alloc(a, G);
    if (!gbase || !gcouncil || !used)
        return CASUS_ENOMEM;
    memset(used, 0, G);
    for (uint32_t v = 0; v < t->n; v++)
        used[t->gnode[v]] = 1;
    b->used = used;
    if (alloc_tables(b, used) != CASUS_OK)
        return CASUS_ENOMEM;
    fill_tables(b, used, gbase, gcouncil);
    if (b->oom)
        return CASUS_ENOMEM;
    for (uint32_t c = 1; c < t->n; c++) {
        const uint32_t gp = t->gnode[t->parent[c]];
        if (b->s->nodes[gp].kind == CASUS_GNODE_CHANCE)
            t->src[c] = b->sc->prob_slot[gbase[gp] + t->branch[c]];
        else if (b->s->nodes[gp].kind == CASUS_GNODE_COUNCIL)
            t->src[c] = CASUS_NONE - 1 - (2 * gcouncil[gp] + t->branch[c]);
    }
    return CASUS_OK;
}

/* The backward pass carries only the payoffs of actors who decide in this
 * tree (renumbered in actor order); everyone's expected payoff is summed
 * over the leaves. */
static casus_status deciders(struct builder *b, struct tree_build *t)
{
    struct casus_scen *sc = b->sc;
    const uint32_t np = b->s->nactors;
    sc->nact = np;
    sc->dec = casus_arena_alloc(&sc->arena, (np + 1) * sizeof *sc->dec);
    uint32_t *dec_of = casus_arena_alloc(&sc->arena, (np + 1) * sizeof *dec_of);
    if (!sc->dec || !dec_of)
        return CASUS_ENOMEM;
    for (uint32_t i = 0; i < np; i++)
        dec_of[i] = CASUS_NONE;
    for (uint32_t v = 0; v < t->n; v++)
        if (t->who[v])
            dec_of[t->who[v] - 1] = 0;
    for (uint32_t i = 0; i < np; i++)
        if (dec_of[i] == 0)
            dec_of[i] = sc->ndec, sc->dec[sc->ndec++] = i;
    for (uint32_t v = 0; v < t->n; v++)
        if (t->who[v])
            t->who[v] = (uint8_t)(dec_of[t->who[v] - 1] + 1);
    sc->t.n = t->n;
    sc->t.np = sc->ndec ? sc->ndec : 1;
    sc->t.cs = t->cs;
    sc->t.who = t->who;
    sc->t.pay = NULL;
    sc->gnode = t->gnode;
    sc->parent = t->parent;
    sc->branch = t->branch;
    sc->src = t->src;
    return CASUS_OK;
}

/* The outcomes the tree reaches (each with its payoff slots), and each
 * leaf's node, rung, outcome and payoff slots. */
static casus_status leaves(struct builder *b, const struct tree_build *t)
{
    struct casus_scen *sc = b->sc;
    const uint32_t G = b->s->nnodes, np = b->s->nactors, nl = t->nleaves;
    sc->nleaves = nl;
    sc->leaf = casus_arena_alloc(&sc->arena, (nl + 1) * sizeof *sc->leaf);
    sc->leaf_rung = casus_arena_alloc(&sc->arena, (nl + 1) * sizeof *sc->leaf_rung);
    sc->leaf_pay = casus_arena_alloc(&sc->arena, ((size_t)nl * np + 1) * sizeof(uint32_t));
    sc->leaf_out = casus_arena_alloc(&sc->arena, (nl + 1) * sizeof *sc->leaf_out);
    sc->out_node = casus_arena_alloc(&sc->arena, (G + 1) * sizeof *sc->out_node);
    sc->out_pay = casus_arena_alloc(&sc->arena, ((size_t)G * np + 1) * sizeof *sc->out_pay);
    uint32_t *out_of = casus_arena_alloc(&sc->arena, (G + 1) * sizeof *out_of);
    sc->out_of = out_of;
    if (!sc->leaf || !sc->leaf_rung || !sc->leaf_pay || !sc->leaf_out || !sc->out_node ||
        !sc->out_pay || !out_of)
        return CASUS_ENOMEM;
    for (uint32_t g = 0; g < G; g++) {
        out_of[g] = CASUS_NONE;
        if (!b->used[g] || b->s->nodes[g].kind != CASUS_GNODE_OUTCOME)
            continue;
        out_of[g] = sc->nout;
        sc->out_node[sc->nout] = g;
        for (uint32_t k = 0; k < np; k++)
            sc->out_pay[(size_t)sc->nout * np + k] = slot_of(b, b->s->nodes[g].payoffs[k]);
        sc->nout++;
    }
    uint32_t li = 0;
    for (uint32_t v = 0; v < t->n; v++) {
        const struct casus_mgnode *gn = &b->s->nodes[t->gnode[v]];
        if (gn->kind != CASUS_GNODE_OUTCOME)
            continue;
        sc->leaf[li] = v;
        sc->leaf_rung[li] = gn->rung;
        sc->leaf_out[li] = out_of[t->gnode[v]];
        for (uint32_t k = 0; k < np; k++)
            sc->leaf_pay[(size_t)li * np + k] = slot_of(b, gn->payoffs[k]);
        li++;
    }
    return b->oom ? CASUS_ENOMEM : CASUS_OK;
}

/* The slot program, the slots a draw must evaluate (those that read a
 * parameter), and those that read a parameter this policy overrides. */
static casus_status slot_dependencies(struct builder *b)
{
    struct casus_scen *sc = b->sc;
    sc->off = b->off;
    sc->code = b->code;
    sc->slot_cx = b->cx;
    sc->nslots = b->ncx;
    sc->ngv = b->ncx + 2 * sc->ncouncil;
    sc->vary = casus_arena_alloc(&sc->arena, (sc->nslots + 1) * sizeof *sc->vary);
    sc->dep = casus_arena_alloc(&sc->arena, (sc->nslots + 1) * sizeof *sc->dep);
    uint8_t *isdep = casus_arena_alloc(&sc->arena, sc->nslots + 1);
    if (!sc->vary || !sc->dep || !isdep)
        return CASUS_ENOMEM;
    for (uint32_t k = 0; k < sc->nslots; k++) /* a slot after the slots it loads */
        if (!(sc->off[k + 1] - sc->off[k] == 1 && sc->code[sc->off[k]].op == CASUS_CX_CONST))
            sc->vary[sc->nvary++] = k;
    memset(isdep, 0, sc->nslots + 1);
    for (uint32_t j = 0; j < sc->nvary; j++) {
        uint32_t k = sc->vary[j];
        bool reads = false;
        for (uint32_t c = sc->off[k]; c < sc->off[k + 1] && !reads; c++) {
            const struct casus_scen_op *o = &sc->code[c];
            reads |= o->op == CASUS_SCEN_LOAD && isdep[o->i];
            for (uint32_t t = 0; o->op == CASUS_CX_PARAM && t < b->pol->nsettings; t++)
                reads |= b->pol->settings[t].param == o->i;
        }
        if (reads) {
            isdep[k] = 1;
            sc->dep[sc->ndep++] = k;
        }
    }
    /* councils' agree/block values live after the slots */
    for (uint32_t v = 1; v < sc->t.n; v++)
        if (sc->src[v] != CASUS_NONE && sc->src[v] >= CASUS_NONE - 1 - 2 * sc->ncouncil)
            sc->src[v] = sc->nslots + (CASUS_NONE - 1 - sc->src[v]);
    return CASUS_OK;
}

casus_status casus_scen_compile(struct casus_scen *sc, const struct casus_alloc *a,
                                const struct casus_mscenario *s, uint32_t p, uint32_t max_nodes,
                                struct casus_diags *d)
{
    memset(sc, 0, sizeof *sc);
    sc->alloc = *a;
    casus_arena_init(&sc->arena, a);
    sc->s = s;
    sc->policy = p;
    sc->lambda_slot = CASUS_NONE;
    if (s->nnodes == 0 || s->policies[p].start == CASUS_GNODE_NONE)
        return CASUS_EINVAL;
    struct builder b = {.sc = sc, .s = s, .pol = &s->policies[p], .d = d};
    struct tree_build t = {0};
    casus_status st = CASUS_ENOMEM;
    sc->if_used = casus_arena_alloc(&sc->arena, s->nnodes + 1);
    if (sc->if_used) {
        memset(sc->if_used, 0, s->nnodes + 1);
        st = expand(&b, &t, max_nodes);
    }
    if (st == CASUS_OK) {
        graph_slots(&b);
        st = b.oom ? CASUS_ENOMEM : probabilities(&b, &t);
    }
    if (st == CASUS_OK && (st = deciders(&b, &t)) == CASUS_OK && (st = leaves(&b, &t)) == CASUS_OK)
        st = slot_dependencies(&b);
    if (st == CASUS_OK && b.oom)
        st = CASUS_ENOMEM;
    if (st != CASUS_OK)
        casus_arena_release(&sc->arena);
    return st;
}

void casus_scen_release(struct casus_scen *sc)
{
    if (sc)
        casus_arena_release(&sc->arena);
}

casus_status casus_scen_ws_init(struct casus_scen_ws *w, struct casus_arena *a,
                                const struct casus_scen *sc)
{
    memset(w, 0, sizeof *w);
    const size_t n = sc->t.n, np = sc->t.np;
    w->gv = casus_arena_alloc(a, (sc->ngv + 1) * sizeof *w->gv);
    w->prob = casus_arena_alloc(a, n * sizeof *w->prob);
    w->val = casus_arena_alloc(a, n * np * sizeof *w->val);
    w->pay = casus_arena_alloc(a, n * np * sizeof *w->pay);
    w->reach = casus_arena_alloc(a, n * sizeof *w->reach);
    w->pb = casus_arena_alloc(a, (sc->max_members + 2) * sizeof *w->pb);
    w->resp = casus_arena_alloc(a, (sc->ncouncil + 1) * sizeof *w->resp);
    w->pmf =
        casus_arena_alloc(a, ((size_t)sc->ncouncil * (sc->max_members + 1) + 1) * sizeof *w->pmf);
    w->nfix = casus_arena_alloc(a, (sc->ncouncil + 1) * sizeof *w->nfix);
    w->norm = casus_arena_alloc(a, ((size_t)sc->nout * sc->nact + 1) * sizeof *w->norm);
    w->from_val = casus_arena_alloc(a, (sc->nact + 1) * sizeof *w->from_val);
    if (!w->gv || !w->prob || !w->val || !w->pay || !w->reach || !w->pb || !w->resp || !w->nfix ||
        !w->pmf || !w->norm || !w->from_val)
        return CASUS_ENOMEM;
    memset(w->pay, 0, n * np * sizeof *w->pay);
    for (uint32_t k = 0; k < sc->nslots; k++) /* constants, once */
        w->gv[k] = sc->off[k + 1] - sc->off[k] == 1 && sc->code[sc->off[k]].op == CASUS_CX_CONST
                       ? sc->code[sc->off[k]].k
                       : 0;
    w->t = sc->t;
    w->t.pay = w->pay;
    return CASUS_OK;
}

/* ---- evaluating ---- */

void casus_scen_slots(const struct casus_scen *sc, const double *params, double *gv, bool dep_only)
{
    const uint32_t n = dep_only ? sc->ndep : sc->nvary;
    const uint32_t *which = dep_only ? sc->dep : sc->vary;
    for (uint32_t j = 0; j < n; j++)
        gv[which[j]] = casus_scen_slot(sc, which[j], params, gv);
}

double casus_scen_slot(const struct casus_scen *sc, uint32_t k, const double *params,
                       const double *gv)
{
    double st[64];
    uint32_t sp = 0;
    for (uint32_t j = sc->off[k]; j < sc->off[k + 1]; j++) {
        const struct casus_scen_op *o = &sc->code[j];
        switch (o->op) {
        case CASUS_CX_CONST: st[sp++] = o->k; break;
        case CASUS_CX_PARAM: st[sp++] = params[o->i]; break;
        case CASUS_SCEN_LOAD: st[sp++] = gv[o->i]; break;
        case CASUS_CX_NEG: st[sp - 1] = -st[sp - 1]; break;
        case CASUS_CX_ADD: sp--, st[sp - 1] = st[sp - 1] + st[sp]; break;
        case CASUS_CX_SUB: sp--, st[sp - 1] = st[sp - 1] - st[sp]; break;
        case CASUS_CX_MUL: sp--, st[sp - 1] = st[sp - 1] * st[sp]; break;
        default: sp--, st[sp - 1] = st[sp - 1] / st[sp]; break;
        }
        if (sp == CASUS_ARRAY_LEN(st)) /* the parser's nesting limit keeps this away */
            return NAN;
    }
    return sp ? st[sp - 1] : NAN;
}

static double logistic(double x)
{
    if (x >= 0)
        return 1 / (1 + exp(-x));
    double e = exp(x);
    return e / (1 + e);
}

/* Acceptance probability from a payoff difference dd (already divided by
 * the scale width) at precision lambda (INFINITY: best response). */
static double accept_prob(double lambda, double dd)
{
    if (isinf(lambda))
        return dd > 0 ? 1 : dd < 0 ? 0 : 0.5;
    return logistic(lambda * dd);
}

/* Members needed for agreement out of n under rule r. */
static uint32_t needed(enum casus_vote_rule r, uint32_t n)
{
    switch (r) {
    case CASUS_VOTE_majority: return n / 2 + 1;
    case CASUS_VOTE_two_thirds: return (2 * n + 2) / 3;
    case CASUS_VOTE_each_party: return 1;
    default: return n;
    }
}

/* Poisson-binomial distribution of acceptances: pb[0..n], groups of equal
 * probability; member `skip_group` contributes one fewer (pivot
 * probabilities), or CASUS_NONE.  O(n²). */
static uint32_t poisson_binomial(const struct casus_scen *sc, const struct casus_scen_council *c,
                                 const double *p, uint32_t skip_group, double *pb)
{
    uint32_t m = 0;
    pb[0] = 1;
    for (uint32_t j = 0; j < c->ngroup; j++) {
        uint32_t cnt = sc->grp_size[c->g0 + j] - (j == skip_group);
        for (uint32_t r = 0; r < cnt; r++) {
            pb[m + 1] = pb[m] * p[j];
            for (uint32_t k = m; k > 0; k--)
                pb[k] = pb[k] * (1 - p[j]) + pb[k - 1] * p[j];
            pb[0] *= 1 - p[j];
            m++;
        }
    }
    return m;
}

static double tail(const double *pb, uint32_t m, uint32_t k)
{
    double s = 0;
    for (uint32_t i = m + 1; i-- > k;)
        s += pb[i];
    return s;
}

/* P(agree) of a sincere (or silence) vote with group acceptances p. */
static double agree_prob(const struct casus_scen *sc, const struct casus_scen_council *c,
                         enum casus_vote_rule rule, const double *p, double *pb, double *resp)
{
    const uint32_t nm = sc->s->nodes[c->gnode].nmembers;
    *resp = 0;
    for (uint32_t j = 0; j < c->ngroup; j++)
        *resp += sc->grp_size[c->g0 + j] * p[j];
    if (rule == CASUS_VOTE_consensus || rule == CASUS_VOTE_unanimity) {
        double a = 1;
        for (uint32_t j = 0; j < c->ngroup; j++)
            a *= pow(p[j], (double)sc->grp_size[c->g0 + j]);
        return a;
    }
    if (rule == CASUS_VOTE_each_party) {
        double none = 1;
        for (uint32_t j = 0; j < c->ngroup; j++)
            none *= pow(1 - p[j], (double)sc->grp_size[c->g0 + j]);
        return 1 - none;
    }
    uint32_t m = poisson_binomial(sc, c, p, CASUS_NONE, pb);
    return tail(pb, m, needed(rule, nm));
}

/* Pivotal voting: iterate p_g = σ(λ P(pivotal in g) Δ_g) from three
 * starts; returns the number of distinct fixed points, leaves in p the one
 * from the neutral start; 0 if none converged. */
static uint32_t pivotal(const struct casus_scen *sc, const struct casus_scen_council *c,
                        enum casus_vote_rule rule, double lambda, const double *delta, double *p,
                        double *pb)
{
    enum { MAXG = 16 };
    const uint32_t G = c->ngroup < MAXG ? c->ngroup : MAXG;
    const uint32_t nm = sc->s->nodes[c->gnode].nmembers;
    const uint32_t k = needed(rule, nm);
    static const double starts[3] = {0.5, 0.02, 0.98};
    double found[3][MAXG];
    uint32_t nfound = 0;
    double keep[MAXG] = {0};
    bool have_keep = false;
    for (int s0 = 0; s0 < 3; s0++) {
        double q[MAXG];
        for (uint32_t j = 0; j < G; j++)
            q[j] = starts[s0];
        bool conv = false;
        for (int it = 0; it < 2000 && !conv; it++) {
            double diff = 0;
            double nq[MAXG];
            for (uint32_t j = 0; j < G; j++) {
                uint32_t m = poisson_binomial(sc, c, q, j, pb);
                /* pivotal: exactly k - 1 of the others accept */
                double piv = k >= 1 && k - 1 <= m ? pb[k - 1] : 0;
                nq[j] = accept_prob(lambda, piv * delta[j]);
            }
            for (uint32_t j = 0; j < G; j++) {
                double v = 0.5 * q[j] + 0.5 * nq[j];
                diff = fmax(diff, fabs(v - q[j]));
                q[j] = v;
            }
            conv = diff < 1e-13;
        }
        if (!conv)
            continue;
        if (s0 == 0) {
            memcpy(keep, q, G * sizeof *q);
            have_keep = true;
        }
        bool dup = false;
        for (uint32_t f = 0; f < nfound && !dup; f++) {
            double dd = 0;
            for (uint32_t j = 0; j < G; j++)
                dd = fmax(dd, fabs(found[f][j] - q[j]));
            dup = dd < 1e-6;
        }
        if (!dup)
            memcpy(found[nfound++], q, G * sizeof *q);
    }
    if (!have_keep && nfound)
        memcpy(keep, found[0], G * sizeof *keep);
    memcpy(p, keep, G * sizeof *p);
    return nfound;
}

/* Chance probabilities: each in [0, 1], each node's summing to 1. */
static casus_status check_chance(const struct casus_scen *sc, const double *gv,
                                 struct casus_scen_fail *fail)
{
    for (uint32_t k = 0; k < sc->nprob;) {
        uint32_t g = sc->prob_node[k];
        double sum = 0;
        for (; k < sc->nprob && sc->prob_node[k] == g; k++) {
            double v = gv[sc->prob_slot[k]];
            if (!(v >= -1e-12 && v <= 1 + 1e-12)) {
                *fail = (struct casus_scen_fail){g, v};
                return CASUS_EINVAL;
            }
            sum += v;
        }
        if (!(fabs(sum - 1) <= 1e-9)) {
            *fail = (struct casus_scen_fail){g, sum};
            return CASUS_EINVAL;
        }
    }
    return CASUS_OK;
}

/* Each council's probability of agreeing (and blocking), stored after the
 * slots; for each-party rules, the distribution of how many act. */
static casus_status eval_councils(const struct casus_scen *sc, double lambda,
                                  struct casus_scen_ws *w, struct casus_scen_fail *fail)
{
    const struct casus_mscenario *s = sc->s;
    const double width = s->scale_hi - s->scale_lo;
    double *gv = w->gv;
    for (uint32_t ci = 0; ci < sc->ncouncil; ci++) {
        const struct casus_scen_council *c = &sc->council[ci];
        const struct casus_mgnode *gn = &s->nodes[c->gnode];
        double p[16], delta[16];
        uint32_t G = c->ngroup < 16 ? c->ngroup : 16;
        for (uint32_t j = 0; j < G; j++) {
            delta[j] = (gv[sc->grp_accept[c->g0 + j]] - gv[sc->grp_reject[c->g0 + j]]) / width;
            p[j] = accept_prob(lambda, delta[j]);
        }
        enum casus_vote_rule rule = gn->rule;
        w->nfix[ci] = 1;
        if (gn->mode == CASUS_MODE_SILENCE)
            rule = CASUS_VOTE_consensus;
        else if (gn->mode == CASUS_MODE_PIVOTAL) {
            w->nfix[ci] = pivotal(sc, c, rule, lambda, delta, p, w->pb);
            if (w->nfix[ci] == 0) {
                *fail = (struct casus_scen_fail){c->gnode, NAN};
                return CASUS_ENOCONV;
            }
        }
        double a = agree_prob(sc, c, rule, p, w->pb, &w->resp[ci]);
        if (rule == CASUS_VOTE_each_party) { /* how many parties act: the distribution */
            double *pmf = w->pmf + (size_t)ci * (sc->max_members + 1);
            uint32_t m = poisson_binomial(sc, c, p, CASUS_NONE, w->pb);
            for (uint32_t k = 0; k <= m; k++)
                pmf[k] = w->pb[k];
        }
        gv[sc->nslots + 2 * ci] = a;
        gv[sc->nslots + 2 * ci + 1] = 1 - a;
    }
    return CASUS_OK;
}

/* Each outcome's payoffs, checked against the scale and normalised to
 * [0, 1] once, then copied to its leaves (deciders' payoffs only). */
static casus_status leaf_payoffs(const struct casus_scen *sc, struct casus_scen_ws *w,
                                 struct casus_scen_fail *fail)
{
    const struct casus_mscenario *s = sc->s;
    const double width = s->scale_hi - s->scale_lo;
    const uint32_t na = sc->nact, np = sc->t.np;
    double *norm = w->norm;
    for (uint32_t o = 0; o < sc->nout; o++)
        for (uint32_t i = 0; i < na; i++) {
            double x = w->gv[sc->out_pay[(size_t)o * na + i]];
            if (!(x >= s->scale_lo - 1e-12 && x <= s->scale_hi + 1e-12)) {
                *fail = (struct casus_scen_fail){sc->out_node[o], x};
                return CASUS_EINVAL;
            }
            norm[(size_t)o * na + i] = (x - s->scale_lo) / width;
        }
    for (uint32_t l = 0; l < sc->nleaves; l++) {
        double *to = w->pay + (size_t)sc->leaf[l] * np;
        const double *from = norm + (size_t)sc->leaf_out[l] * na;
        for (uint32_t j = 0; j < sc->ndec; j++)
            to[j] = from[sc->dec[j]];
    }
    return CASUS_OK;
}

casus_status casus_scen_eval(const struct casus_scen *sc, const double *params,
                             double lambda_override, struct casus_scen_ws *w,
                             struct casus_scen_fail *fail)
{
    double *gv = w->gv;
    if (params)
        casus_scen_slots(sc, params, gv, false);
    double lambda = lambda_override;
    if (isnan(lambda))
        lambda = sc->lambda_slot == CASUS_NONE ? NAN : gv[sc->lambda_slot];
    if (!(lambda >= 0)) {
        *fail = (struct casus_scen_fail){CASUS_GNODE_NONE, lambda};
        return CASUS_EINVAL;
    }
    casus_status st = check_chance(sc, gv, fail);
    if (st == CASUS_OK)
        st = eval_councils(sc, lambda, w, fail);
    if (st != CASUS_OK)
        return st;
    for (uint32_t v = 1; v < sc->t.n; v++) /* the tree's branch probabilities */
        if (sc->src[v] != CASUS_NONE)
            w->prob[v] = gv[sc->src[v]];
    st = leaf_payoffs(sc, w, fail);
    if (st == CASUS_OK)
        w->lambda = lambda;
    return st;
}

void casus_scen_finish(const struct casus_scen *sc, struct casus_scen_ws *w,
                       struct casus_scen_out *out)
{
    const struct casus_mscenario *s = sc->s;
    const uint32_t n = sc->t.n;
    const double *prob = w->prob;
    const double width = s->scale_hi - s->scale_lo;
    /* reach probabilities and the ladder */
    double *reach = w->reach;
    reach[0] = 1;
    for (uint32_t v = 0; v < n; v++)
        for (uint32_t c = sc->t.cs[v]; c < sc->t.cs[v + 1]; c++)
            reach[c] = reach[v] * prob[c];
    const struct casus_mladder *lad = s->ladder;
    if (lad) {
        for (uint32_t r = 0; r < lad->nrungs; r++)
            out->rung[r] = 0;
        for (uint32_t l = 0; l < sc->nleaves; l++)
            out->rung[sc->leaf_rung[l]] += reach[sc->leaf[l]];
        for (uint32_t t = 0; t < lad->nthresholds; t++) {
            double x = 0;
            for (uint32_t r = 0; r < lad->nrungs; r++)
                if (lad->rungs[r].number > lad->thresholds[t].after)
                    x += out->rung[r];
            out->threshold[t] = x;
        }
    }
    if (!out->payoff)
        return;
    /* expected payoffs: a decider's is its value at the root (after a
       backward pass), anyone else's a sum over the leaves in order */
    const uint32_t na = sc->nact;
    bool *from_val = w->from_val;
    for (uint32_t i = 0; i < na; i++) {
        out->payoff[i] = 0;
        from_val[i] = false;
    }
    if (!sc->info_sets)
        for (uint32_t j = 0; j < sc->ndec; j++) {
            out->payoff[sc->dec[j]] = w->val[j];
            from_val[sc->dec[j]] = true;
        }
    for (uint32_t i = 0; i < na; i++) {
        if (from_val[i])
            continue;
        double acc = 0;
        for (uint32_t l = 0; l < sc->nleaves; l++)
            acc += reach[sc->leaf[l]] * w->norm[(size_t)sc->leaf_out[l] * na + i];
        out->payoff[i] = acc;
    }
    for (uint32_t i = 0; i < na; i++)
        out->payoff[i] = s->scale_lo + width * out->payoff[i];
}

casus_status casus_scen_solve(const struct casus_scen *sc, const double *params,
                              double lambda_override, struct casus_scen_ws *w,
                              struct casus_scen_out *out, struct casus_scen_fail *fail)
{
    casus_status st = casus_scen_eval(sc, params, lambda_override, w, fail);
    if (st != CASUS_OK)
        return st;
    if (sc->info_sets) {
        st = casus_scen_solve_isets(sc, w);
        if (st != CASUS_OK) {
            fail->gnode = CASUS_GNODE_NONE;
            fail->value = w->lambda;
            return CASUS_ENOCONV;
        }
    } else if (isinf(w->lambda))
        casus_bi_pi_solve(&w->t, w->prob, w->val);
    else
        casus_logit_pi_solve(&w->t, w->lambda, w->prob, w->val);
    casus_scen_finish(sc, w, out);
    return CASUS_OK;
}

void casus_scen_path(const struct casus_scen *sc, uint32_t v, char *buf, size_t size)
{
    uint32_t stack[256];
    uint32_t k = 0;
    for (uint32_t u = v; sc->parent[u] != CASUS_NONE && k < CASUS_ARRAY_LEN(stack);
         u = sc->parent[u])
        stack[k++] = u;
    size_t len = 0;
    buf[0] = '\0';
    while (k-- > 0 && len + 1 < size) {
        uint32_t u = stack[k];
        const struct casus_mgnode *pg = &sc->s->nodes[sc->gnode[sc->parent[u]]];
        len += (size_t)snprintf(buf + len, size - len, "%s%s: %s", len ? " → " : "", pg->name,
                                pg->branches[sc->branch[u]].label);
        if (len >= size)
            len = size - 1;
    }
    const struct casus_mgnode *leaf = &sc->s->nodes[sc->gnode[v]];
    if (len + 1 < size)
        snprintf(buf + len, size - len, "%s%s", len ? " ⇒ " : "", leaf->name);
}
