/*
 * scen_game.c — one draw of a scenario's game as a struct casus_gtree (the
 * representation of the game engine, game.h): what `casus compile --efg`
 * and `--dot` write for auditing in Gambit, and how games with information
 * sets are solved per draw (the agent-QRE tracer of eq_qre.c, from its fixed
 * start at λ = 0 — never warm-started from another draw).
 *
 * Payoffs are rescaled from the scenario's scale [lo, hi] to [0, 1], so that
 * a logit λ in Gambit means what it means in casus.  Councils and chance
 * moves become chance nodes with the draw's probabilities.  A decision with
 * `observes [...]` shares its information set with every copy of itself
 * (the same decision in the expanded tree) that saw the same sequence of
 * options taken at the listed nodes — it sees the option's label, not at
 * which of the listed nodes it was taken — and made the same earlier moves
 * itself (perfect recall); one without `observes` sees everything.
 */
#include "game/eq_qre.h"
#include "scenario/scen.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

struct iset_key {
    const char *key;
    uint32_t iset;
};

/* The information-set key of decision tree node v: its graph node, then
 * the labels of the moves it observes along its path (root first). */
static const char *iset_key(const struct casus_scen *sc, uint32_t v, struct casus_arena *a)
{
    const struct casus_mscenario *s = sc->s;
    const struct casus_mgnode *g = &s->nodes[sc->gnode[v]];
    char buf[4096];
    size_t len = (size_t)snprintf(buf, sizeof buf, "%u", sc->gnode[v]);
    uint32_t path[512];
    uint32_t k = 0;
    for (uint32_t u = v; sc->parent[u] != CASUS_NONE && k < 512; u = sc->parent[u])
        path[k++] = u;
    while (k-- > 0 && len < sizeof buf - 32) {
        uint32_t u = path[k], gp = sc->gnode[sc->parent[u]];
        const struct casus_mgnode *pg = &s->nodes[gp];
        bool seen = pg->kind == CASUS_GNODE_DECIDE && pg->actor == g->actor;
        for (uint32_t j = 0; j < g->nobserves && !seen; j++)
            seen = g->observes[j] == gp;
        if (seen) /* the option's label: which listed node it was taken at is hidden */
            len += (size_t)snprintf(buf + len, sizeof buf - len, ",%s",
                                    pg->branches[sc->branch[u]].label);
    }
    return casus_arena_strndup(a, buf, len);
}

/* x as the shortest decimal that reads back as the same double. */
static casus_status num_of(struct casus_arena *a, double x, struct casus_num *n)
{
    char t[40];
    int len = 0;
    for (int prec = 6; prec <= 17; prec++) {
        len = snprintf(t, sizeof t, "%.*g", prec, x);
        if (strtod(t, NULL) == x)
            break;
    }
    return casus_num_parse(a, t, (size_t)len, n);
}

/* Chance probabilities p[0..k) as decimals with 17 places that sum to
 * exactly 1 (the last takes the remainder), so Gambit reads them as they
 * are: nums[i] gets each. */
static casus_status probs_of(struct casus_arena *a, const double *p, uint32_t k,
                             struct casus_num *nums)
{
    const uint64_t one = UINT64_C(100000000000000000); /* 10^17 */
    uint64_t used = 0;
    for (uint32_t i = 0; i < k; i++) {
        uint64_t q;
        if (i + 1 < k) {
            double x = p[i] < 0 ? 0 : p[i] > 1 ? 1 : p[i];
            q = (uint64_t)llround(x * 1e17);
            if (q > one - used)
                q = one - used;
        } else
            q = one - used;
        used += q;
        char t[40];
        int len = q == one ? snprintf(t, sizeof t, "1")
                           : snprintf(t, sizeof t, "0.%017llu", (unsigned long long)q);
        while (len > 3 && t[len - 1] == '0') /* trim, keeping "0.0" */
            len--;
        casus_status st = casus_num_parse(a, t, (size_t)len, &nums[i]);
        if (st != CASUS_OK)
            return st;
    }
    return CASUS_OK;
}

casus_status casus_scen_to_game(const struct casus_scen *sc, const struct casus_scen_ws *w,
                                const struct casus_alloc *alloc, struct casus_gtree **out,
                                uint32_t *tree_of)
{
    const struct casus_mscenario *s = sc->s;
    const uint32_t n = sc->t.n, np = sc->nact;
    *out = NULL;
    struct casus_arena a;
    casus_arena_init(&a, alloc);
    char comment[512];
    snprintf(comment, sizeof comment,
             "casus: scenario %s, policy %s, one parameter draw. Payoffs rescaled from the "
             "scenario's scale [%g, %g] to [0, 1], so that logit lambda means what it means in "
             "casus.",
             s->name, s->policies[sc->policy].name, s->scale_lo, s->scale_hi);
    struct casus_gtree_builder b;
    struct casus_gtree_limits lim = CASUS_GTREE_LIMITS_INIT;
    casus_status st =
        casus_gtree_builder_init(&b, alloc, &lim, s->title, comment, np, s->actor_codes);
    uint32_t *stack = casus_arena_alloc(&a, (n + 1) * sizeof *stack);
    struct iset_key *keys = casus_arena_alloc(&a, (n + 1) * sizeof *keys);
    struct casus_num *nums = casus_arena_alloc(&a, (np + 64) * sizeof *nums);
    const char **labels = casus_arena_alloc(&a, 64 * sizeof *labels);
    if (st == CASUS_OK && (!stack || !keys || !nums || !labels))
        st = CASUS_ENOMEM;
    uint32_t nkeys = 0, sp = 0, pre = 0, nout = 0;
    if (st == CASUS_OK)
        stack[sp++] = 0;
    while (st == CASUS_OK && sp > 0) {
        uint32_t v = stack[--sp];
        const struct casus_mgnode *g = &s->nodes[sc->gnode[v]];
        uint32_t c0 = sc->t.cs[v], c1 = sc->t.cs[v + 1], nc = c1 - c0;
        if (tree_of)
            tree_of[pre] = v;
        pre++;
        if (nc == 0) {
            const double *x = w->norm + (size_t)sc->out_of[sc->gnode[v]] * np;
            for (uint32_t i = 0; i < np && st == CASUS_OK; i++)
                st = num_of(&a, x[i], &nums[i]);
            uint32_t o = CASUS_NONE;
            if (st == CASUS_OK)
                st = casus_gtree_add_outcome(&b, ++nout, g->title, nums, &o);
            if (st == CASUS_OK)
                st = casus_gtree_add_node(&b, g->name, CASUS_NONE, o);
            continue;
        }
        if (nc > 64) {
            st = CASUS_ELIMIT;
            break;
        }
        for (uint32_t k = 0; k < nc; k++)
            labels[k] = g->branches[sc->branch[c0 + k]].label;
        uint32_t iset = CASUS_NONE;
        if (g->kind == CASUS_GNODE_DECIDE) {
            const char *key = g->has_observes ? iset_key(sc, v, &a) : NULL;
            for (uint32_t k = 0; key && k < nkeys && iset == CASUS_NONE; k++)
                if (strcmp(keys[k].key, key) == 0)
                    iset = keys[k].iset;
            if (iset == CASUS_NONE) {
                st = casus_gtree_add_iset(&b, (uint32_t)g->actor + 1, 0, g->name, nc, labels, NULL,
                                          &iset);
                if (key && st == CASUS_OK)
                    keys[nkeys++] = (struct iset_key){key, iset};
            }
        } else {
            st = probs_of(&a, w->prob + c0, nc, nums);
            if (st == CASUS_OK)
                st = casus_gtree_add_iset(&b, 0, 0, g->name, nc, labels, nums, &iset);
        }
        if (st == CASUS_OK)
            st = casus_gtree_add_node(&b, g->name, iset, CASUS_NONE);
        for (uint32_t k = nc; k-- > 0;)
            stack[sp++] = c0 + k;
    }
    if (st == CASUS_OK)
        st = casus_gtree_builder_finish(&b, out);
    else
        casus_gtree_builder_abandon(&b);
    casus_arena_release(&a);
    return st;
}

casus_status casus_scen_solve_isets(const struct casus_scen *sc, struct casus_scen_ws *w)
{
    const uint32_t n = sc->t.n;
    struct casus_gtree *g = NULL;
    uint32_t *tree_of = casus_mem_alloc(&sc->alloc, (n + 1) * sizeof *tree_of);
    if (!tree_of)
        return CASUS_ENOMEM;
    casus_status st = casus_scen_to_game(sc, w, &sc->alloc, &g, tree_of);
    double *beh = NULL;
    struct casus_qre_ws q;
    bool have_q = false;
    if (st == CASUS_OK) {
        beh = casus_mem_alloc(&sc->alloc, (g->nact + 1) * sizeof *beh);
        st = beh ? casus_qre_ws_init(&q, &sc->alloc, g, 1000000u) : CASUS_ENOMEM;
        have_q = st == CASUS_OK;
    }
    if (st == CASUS_OK) {
        struct casus_qre_opts o = CASUS_QRE_OPTS_INIT;
        o.lambda_stop = isinf(w->lambda) ? -1.0 : w->lambda;
        struct casus_qre_result res;
        st = casus_qre_trace(&q, &o, NULL, beh, &res);
        if (st == CASUS_OK && !res.reached)
            st = CASUS_ENOCONV;
    }
    if (st == CASUS_OK)
        for (uint32_t i = 0; i < g->nnodes; i++) {
            const struct casus_game_node *gn = &g->node[i];
            if (gn->kind != CASUS_NODE_DECISION)
                continue;
            uint32_t v = tree_of[i], act0 = g->iset[gn->iset].act0;
            for (uint32_t k = 0; k < gn->nchild; k++)
                w->prob[sc->t.cs[v] + k] = beh[act0 + k];
        }
    if (have_q)
        casus_qre_ws_release(&q);
    if (beh)
        casus_mem_free(&sc->alloc, beh, (g->nact + 1) * sizeof *beh);
    casus_gtree_free(g);
    casus_mem_free(&sc->alloc, tree_of, (n + 1) * sizeof *tree_of);
    return st;
}
