/*
 * eq_common.c — payoffs, best responses and regrets of behaviour profiles
 * (see eq_common.h).  Every pass walks the active node list of a subgame
 * once, forward (reach weights, in preorder parents come first) or backward
 * (values); nothing here allocates.
 */
#include "game/eq_common.h"

#include <math.h>

casus_status casus_eq_ws_init(struct casus_eq_ws *ws, const struct casus_alloc *a,
                              const struct casus_gtree *g)
{
    memset(ws, 0, sizeof *ws);
    casus_arena_init(&ws->arena, a);
    ws->g = g;
    size_t N = g->nnodes ? g->nnodes : 1, P = g->nplayers ? g->nplayers : 1;
    ws->w = casus_arena_alloc(&ws->arena, sizeof *ws->w * N);
    ws->val = casus_arena_alloc(&ws->arena, sizeof *ws->val * N * P);
    ws->seq = casus_arena_alloc(&ws->arena, sizeof *ws->seq * N);
    ws->q = casus_arena_alloc(&ws->arena, sizeof *ws->q * (g->nact ? g->nact : 1));
    ws->cut = casus_arena_alloc(&ws->arena, N);
    ws->cutval = casus_arena_alloc(&ws->arena, sizeof *ws->cutval * N * P);
    ws->iset_on = casus_arena_alloc(&ws->arena, g->niset ? g->niset : 1);
    ws->nodebuf = casus_arena_alloc(&ws->arena, sizeof *ws->nodebuf * N);
    ws->flag = casus_arena_alloc(&ws->arena, sizeof(bool) * N);
    ws->u = casus_arena_alloc(&ws->arena, sizeof *ws->u * P);
    if (!ws->flag || !ws->u || !ws->w || !ws->val || !ws->seq || !ws->q || !ws->cut ||
        !ws->cutval || !ws->iset_on || !ws->nodebuf) {
        casus_arena_release(&ws->arena);
        return CASUS_ENOMEM;
    }
    return CASUS_OK;
}

void casus_eq_ws_release(struct casus_eq_ws *ws)
{
    casus_arena_release(&ws->arena);
    memset(ws, 0, sizeof *ws);
}

void casus_eq_sub_build(struct casus_eq_ws *ws, uint32_t root, struct casus_eq_sub *sub)
{
    const struct casus_gtree *g = ws->g;
    uint32_t end = root + g->node[root].size, k = 0;
    memset(ws->iset_on, 0, g->niset);
    for (uint32_t n = root; n < end;) {
        ws->nodebuf[k++] = n;
        if (n != root && ws->cut[n]) {
            n += g->node[n].size;
            continue;
        }
        if (g->node[n].iset != CASUS_NONE)
            ws->iset_on[g->node[n].iset] = 1;
        n++;
    }
    sub->root = root;
    sub->node = ws->nodebuf;
    sub->n = k;
}

/* Probability factor of the edge into n (n is not the subgame root); the
 * player `skip` is treated as playing every action with weight 1. */
static double edge_weight(const struct casus_gtree *g, const double *prob, uint32_t n,
                          uint32_t skip)
{
    const struct casus_game_node *p = &g->node[g->node[n].parent];
    const struct casus_game_iset *s = &g->iset[p->iset];
    uint32_t a = s->act0 + g->node[n].pos;
    if (s->player == 0)
        return g->chance[a];
    return s->player == skip ? 1.0 : prob[a];
}

/* The payoff vector a node contributes itself: its outcome, or for a cut
 * leaf the whole value of the replaced subgame. */
static const double *node_pay(const struct casus_eq_ws *ws, const struct casus_eq_sub *sub,
                              uint32_t n)
{
    const struct casus_gtree *g = ws->g;
    if (n != sub->root && ws->cut[n])
        return ws->cutval + (size_t)n * g->nplayers;
    if (g->node[n].outcome != CASUS_NONE)
        return g->pay + (size_t)g->node[n].outcome * g->nplayers;
    return NULL;
}

void casus_eq_payoff(struct casus_eq_ws *ws, const struct casus_eq_sub *sub, const double *prob,
                     double *u)
{
    const struct casus_gtree *g = ws->g;
    uint32_t np = g->nplayers;
    for (uint32_t i = 0; i < np; i++)
        u[i] = 0;
    for (uint32_t k = 0; k < sub->n; k++) {
        uint32_t n = sub->node[k];
        double w = n == sub->root ? 1.0 : ws->w[g->node[n].parent] * edge_weight(g, prob, n, 0);
        ws->w[n] = w;
        if (w == 0)
            continue;
        const double *pay = node_pay(ws, sub, n);
        if (pay)
            for (uint32_t i = 0; i < np; i++)
                u[i] += w * pay[i];
    }
}

double casus_eq_best_response(struct casus_eq_ws *ws, const struct casus_eq_sub *sub,
                              const double *prob, uint32_t player, int32_t *br)
{
    const struct casus_gtree *g = ws->g;
    uint32_t pi = player - 1;
    double base = 0;
    for (uint32_t s = g->pl_iset0[player]; s < g->pl_iset0[player + 1]; s++)
        if (ws->iset_on[s])
            for (uint32_t a = 0; a < g->iset[s].nact; a++)
                ws->q[g->iset[s].act0 + a] = 0;
    for (uint32_t k = 0; k < sub->n; k++) {
        uint32_t n = sub->node[k];
        double w;
        uint32_t sq;
        if (n == sub->root) {
            w = 1.0;
            sq = CASUS_NONE;
        } else {
            uint32_t par = g->node[n].parent;
            w = ws->w[par] * edge_weight(g, prob, n, player);
            const struct casus_game_node *pn = &g->node[par];
            const struct casus_game_iset *ps = &g->iset[pn->iset];
            sq = ps->player == player ? ps->act0 + g->node[n].pos : ws->seq[par];
        }
        ws->w[n] = w;
        ws->seq[n] = sq;
        if (w == 0)
            continue;
        const double *pay = node_pay(ws, sub, n);
        if (pay) {
            if (sq == CASUS_NONE)
                base += w * pay[pi];
            else
                ws->q[sq] += w * pay[pi];
        }
    }
    /* Deeper infosets first: each adds its best action's value to the
     * sequence that leads to it. */
    for (uint32_t s = g->pl_iset0[player + 1]; s-- > g->pl_iset0[player];) {
        if (!ws->iset_on[s])
            continue;
        const struct casus_game_iset *is = &g->iset[s];
        uint32_t best = 0;
        for (uint32_t a = 1; a < is->nact; a++)
            if (ws->q[is->act0 + a] > ws->q[is->act0 + best])
                best = a;
        if (br)
            br[s] = (int32_t)best;
        double v = ws->q[is->act0 + best];
        uint32_t sq = ws->seq[g->member[is->mem0]];
        if (sq == CASUS_NONE)
            base += v;
        else
            ws->q[sq] += v;
    }
    return base;
}

void casus_eq_values(struct casus_eq_ws *ws, const struct casus_eq_sub *sub, const double *prob)
{
    const struct casus_gtree *g = ws->g;
    uint32_t np = g->nplayers;
    for (uint32_t k = sub->n; k-- > 0;) {
        uint32_t n = sub->node[k];
        double *v = ws->val + (size_t)n * np;
        const struct casus_game_node *nd = &g->node[n];
        if (n != sub->root && ws->cut[n]) {
            memcpy(v, ws->cutval + (size_t)n * np, sizeof *v * np);
            continue;
        }
        for (uint32_t i = 0; i < np; i++)
            v[i] = 0;
        if (nd->kind != CASUS_NODE_TERMINAL) {
            const struct casus_game_iset *s = &g->iset[nd->iset];
            for (uint32_t c = 0; c < nd->nchild; c++) {
                double p = s->player == 0 ? g->chance[s->act0 + c] : prob[s->act0 + c];
                if (p == 0)
                    continue;
                const double *cv = ws->val + (size_t)g->child[nd->child0 + c] * np;
                for (uint32_t i = 0; i < np; i++)
                    v[i] += p * cv[i];
            }
        }
        if (nd->outcome != CASUS_NONE)
            for (uint32_t i = 0; i < np; i++)
                v[i] += g->pay[(size_t)nd->outcome * np + i];
    }
}

void casus_eq_regret(struct casus_eq_ws *ws, const struct casus_eq_sub *sub, const double *prob,
                     double *nash, double *agent)
{
    const struct casus_gtree *g = ws->g;
    uint32_t np = g->nplayers;
    if (nash) {
        double worst = 0;
        casus_eq_payoff(ws, sub, prob, ws->u);
        for (uint32_t i = 1; i <= np; i++) {
            double r = casus_eq_best_response(ws, sub, prob, i, NULL) - ws->u[i - 1];
            if (r > worst)
                worst = r;
        }
        *nash = worst;
    }
    if (agent) {
        double worst = 0;
        casus_eq_values(ws, sub, prob);
        casus_eq_payoff(ws, sub, prob, ws->u); /* leaves full reach in ws->w */
        for (uint32_t s = g->pl_iset0[1]; s < g->niset; s++) {
            if (!ws->iset_on[s])
                continue;
            const struct casus_game_iset *is = &g->iset[s];
            uint32_t pi = is->player - 1;
            /* gain of switching to b = sum_h w(h) (v(h.b) - sum_a p_a v(h.a)) */
            for (uint32_t b = 0; b < is->nact; b++) {
                double gain = 0;
                for (uint32_t m = 0; m < is->nmem; m++) {
                    uint32_t h = g->member[is->mem0 + m];
                    double w = ws->w[h];
                    if (w == 0)
                        continue;
                    const struct casus_game_node *hn = &g->node[h];
                    double cur = 0;
                    for (uint32_t c = 0; c < is->nact; c++)
                        cur += prob[is->act0 + c] *
                               ws->val[(size_t)g->child[hn->child0 + c] * np + pi];
                    gain += w * (ws->val[(size_t)g->child[hn->child0 + b] * np + pi] - cur);
                }
                if (gain > worst)
                    worst = gain;
            }
        }
        *agent = worst;
    }
}

double casus_eq_subgame_regret(struct casus_eq_ws *ws, const double *prob)
{
    const struct casus_gtree *g = ws->g;
    double worst = 0;
    bool *roots = (bool *)ws->flag;
    memset(ws->cut, 0, g->nnodes);
    casus_gtree_subgame_roots(g, roots);
    for (uint32_t r = 0; r < g->nnodes; r++) {
        if (!roots[r])
            continue;
        struct casus_eq_sub sub;
        double nash;
        casus_eq_sub_build(ws, r, &sub);
        casus_eq_regret(ws, &sub, prob, &nash, NULL);
        if (nash > worst)
            worst = nash;
    }
    return worst;
}

/* Best-continuation values W (ws->w) of player pl on the subtree of c:
 * the nodes not yet done (ws->flag) are collected in preorder into
 * ws->seq, skipping subtrees already done, then valued children first:
 * the node's outcome plus the expectation over its children (chance and
 * opponents move by prob; the player's own nodes below are all done, their
 * information sets being decided first). */
static void best_values(struct casus_eq_ws *ws, const double *prob, uint32_t pl, uint32_t c)
{
    const struct casus_gtree *g = ws->g;
    const uint32_t np = g->nplayers;
    uint32_t k = 0;
    for (uint32_t n = c; n < c + g->node[c].size;) {
        if (ws->flag[n]) {
            n += g->node[n].size;
            continue;
        }
        ws->seq[k++] = n++;
    }
    while (k-- > 0) {
        const uint32_t n = ws->seq[k];
        const struct casus_game_node *nd = &g->node[n];
        double w = nd->outcome != CASUS_NONE ? g->pay[(size_t)nd->outcome * np + pl - 1] : 0;
        if (nd->kind != CASUS_NODE_TERMINAL) {
            const struct casus_game_iset *s = &g->iset[nd->iset];
            for (uint32_t a = 0; a < nd->nchild; a++) {
                double p = s->player == 0 ? g->chance[s->act0 + a] : prob[s->act0 + a];
                if (p != 0)
                    w += p * ws->w[g->child[nd->child0 + a]];
            }
        }
        ws->w[n] = w;
        ws->flag[n] = true;
    }
}

double casus_eq_seq_regret(struct casus_eq_ws *ws, const double *prob, const double *mu,
                           uint32_t *where)
{
    const struct casus_gtree *g = ws->g;
    const uint32_t np = g->nplayers;
    struct casus_eq_sub whole;
    double worst = 0;
    if (where)
        *where = CASUS_NONE;
    memset(ws->cut, 0, g->nnodes);
    casus_eq_sub_build(ws, 0, &whole);
    casus_eq_values(ws, &whole, prob);
    for (uint32_t pl = 1; pl <= np; pl++) {
        memset(ws->flag, 0, sizeof(bool) * g->nnodes);
        /* later information sets first: a player's own information sets
         * below I come after I (perfect recall, first members in preorder) */
        for (uint32_t s = g->pl_iset0[pl + 1]; s-- > g->pl_iset0[pl];) {
            const struct casus_game_iset *is = &g->iset[s];
            const uint32_t *mem = g->member + is->mem0;
            double best = -INFINITY, cur = 0;
            uint32_t ab = 0;
            for (uint32_t k = 0; k < is->nmem; k++)
                for (uint32_t a = 0; a < is->nact; a++)
                    best_values(ws, prob, pl, g->child[g->node[mem[k]].child0 + a]);
            for (uint32_t a = 0; a < is->nact; a++) {
                double q = 0;
                for (uint32_t k = 0; k < is->nmem; k++) {
                    const double b = mu ? mu[mem[k]] : 1.0 / is->nmem;
                    const uint32_t ch = g->child[g->node[mem[k]].child0 + a];
                    q += b * ws->w[ch];
                    cur += b * prob[is->act0 + a] * ws->val[(size_t)ch * np + pl - 1];
                }
                if (q > best) {
                    best = q;
                    ab = a;
                }
            }
            if (best - cur > worst) {
                worst = best - cur;
                if (where)
                    *where = s;
            }
            for (uint32_t k = 0; k < is->nmem; k++) {
                const struct casus_game_node *h = &g->node[mem[k]];
                ws->w[mem[k]] =
                    (h->outcome != CASUS_NONE ? g->pay[(size_t)h->outcome * np + pl - 1] : 0) +
                    ws->w[g->child[h->child0 + ab]];
                ws->flag[mem[k]] = true;
            }
        }
    }
    return worst;
}

void casus_pure_set_init(struct casus_pure_set *s, const struct casus_alloc *a, uint32_t niset,
                         uint32_t nplayers)
{
    memset(s, 0, sizeof *s);
    casus_arena_init(&s->arena, a);
    s->niset = niset;
    s->nplayers = nplayers;
}

void casus_pure_set_release(struct casus_pure_set *s)
{
    casus_arena_release(&s->arena);
    memset(s, 0, sizeof *s);
}

casus_status casus_pure_set_add(struct casus_pure_set *s, const int32_t *choice,
                                const double *value)
{
    if (s->n == s->cap) {
        uint32_t cap = s->cap ? s->cap * 2 : 16;
        int32_t *c = casus_arena_grow(&s->arena, s->choice, (size_t)s->n * s->niset,
                                      (size_t)cap * s->niset, sizeof *c);
        double *v = casus_arena_grow(&s->arena, s->value, (size_t)s->n * s->nplayers,
                                     (size_t)cap * s->nplayers, sizeof *v);
        if ((!c && s->niset) || (!v && s->nplayers))
            return CASUS_ENOMEM;
        s->choice = c;
        s->value = v;
        s->cap = cap;
    }
    if (s->niset)
        memcpy(s->choice + (size_t)s->n * s->niset, choice, sizeof *choice * s->niset);
    if (s->nplayers)
        memcpy(s->value + (size_t)s->n * s->nplayers, value, sizeof *value * s->nplayers);
    s->n++;
    return CASUS_OK;
}

void casus_pure_to_behav(const struct casus_gtree *g, const int32_t *choice, double *prob)
{
    for (uint32_t a = 0; a < g->nact; a++) {
        uint32_t s = g->act[a].iset;
        if (g->iset[s].player == 0)
            prob[a] = g->chance[a];
        else
            prob[a] = choice[s] == (int32_t)(a - g->iset[s].act0) ? 1.0 : 0.0;
    }
}
