/*
 * eq_logit.c — fixed-λ agent logit QRE on perfect-information trees (see
 * eq_logit.h): a single reverse breadth-first sweep.
 *
 * Binary decisions, the common case, need one exp: with d = λ (v1 - v0),
 * p1 = 1 / (1 + e^-d) computed from e = exp(-|d|) so nothing overflows.
 * Wider decisions subtract the largest value before exponentiating.
 */
#include "game/eq_logit.h"

#include <math.h>

casus_status casus_logit_pi_solve(const struct casus_pitree *t, double lambda, double *prob,
                                  double *val)
{
    if (!(lambda >= 0) || !isfinite(lambda))
        return CASUS_EINVAL;
    const uint32_t np = t->np;
    const uint32_t *cs = t->cs;
    const uint8_t *who = t->who;
    const double *pay = t->pay;
    if (np == 2) {
        /* the two-player loop, unrolled: the Monte Carlo hot path */
        for (uint32_t v = t->n; v-- > 0;) {
            const uint32_t c0 = cs[v], c1 = cs[v + 1];
            double a = pay[2 * (size_t)v], b = pay[2 * (size_t)v + 1];
            if (c1 != c0) {
                const unsigned w = who[v];
                if (w == 0) {
                    for (uint32_t c = c0; c < c1; c++) {
                        a += prob[c] * val[2 * (size_t)c];
                        b += prob[c] * val[2 * (size_t)c + 1];
                    }
                } else if (c1 - c0 == 2) {
                    const double *x = val + 2 * (size_t)c0;
                    const unsigned i = w - 1;
                    const double d = lambda * (x[2 + i] - x[i]);
                    const double e = exp(-fabs(d));
                    const double big = 1.0 / (1.0 + e), small = e * big;
                    const double p1 = d >= 0 ? big : small, p0 = d >= 0 ? small : big;
                    prob[c0] = p0;
                    prob[c0 + 1] = p1;
                    a += p0 * x[0] + p1 * x[2];
                    b += p0 * x[1] + p1 * x[3];
                } else {
                    const unsigned i = w - 1;
                    double m = val[2 * (size_t)c0 + i], s = 0;
                    for (uint32_t c = c0 + 1; c < c1; c++)
                        if (val[2 * (size_t)c + i] > m)
                            m = val[2 * (size_t)c + i];
                    for (uint32_t c = c0; c < c1; c++) {
                        prob[c] = exp(lambda * (val[2 * (size_t)c + i] - m));
                        s += prob[c];
                    }
                    const double inv = 1.0 / s;
                    for (uint32_t c = c0; c < c1; c++) {
                        prob[c] *= inv;
                        a += prob[c] * val[2 * (size_t)c];
                        b += prob[c] * val[2 * (size_t)c + 1];
                    }
                }
            }
            val[2 * (size_t)v] = a;
            val[2 * (size_t)v + 1] = b;
        }
        return CASUS_OK;
    }
    for (uint32_t v = t->n; v-- > 0;) {
        const uint32_t c0 = cs[v], c1 = cs[v + 1];
        double *out = val + (size_t)v * np;
        const double *own = pay + (size_t)v * np;
        if (c1 == c0) { /* a leaf */
            for (uint32_t k = 0; k < np; k++)
                out[k] = own[k];
            continue;
        }
        if (c1 - c0 == 2) { /* two children, the common case, unrolled */
            const double *x0 = val + (size_t)c0 * np, *x1 = x0 + np;
            if (who[v] != 0) {
                const unsigned i = who[v] - 1u;
                const double d = lambda * (x1[i] - x0[i]);
                const double e = exp(-fabs(d));
                const double big = 1.0 / (1.0 + e), small = e * big;
                prob[c0] = d >= 0 ? small : big;
                prob[c0 + 1] = d >= 0 ? big : small;
            }
            const double p0 = prob[c0], p1 = prob[c0 + 1];
            for (uint32_t k = 0; k < np; k++)
                out[k] = own[k] + p0 * x0[k] + p1 * x1[k];
            continue;
        }
        if (who[v] != 0) {
            const unsigned i = who[v] - 1u;
            double m = val[(size_t)c0 * np + i], s = 0;
            for (uint32_t c = c0 + 1; c < c1; c++)
                if (val[(size_t)c * np + i] > m)
                    m = val[(size_t)c * np + i];
            for (uint32_t c = c0; c < c1; c++) {
                prob[c] = exp(lambda * (val[(size_t)c * np + i] - m));
                s += prob[c];
            }
            const double inv = 1.0 / s;
            for (uint32_t c = c0; c < c1; c++)
                prob[c] *= inv;
        }
        for (uint32_t k = 0; k < np; k++) {
            double acc = own[k];
            for (uint32_t c = c0; c < c1; c++)
                acc += prob[c] * val[(size_t)c * np + k];
            out[k] = acc;
        }
    }
    return CASUS_OK;
}

void casus_bi_pi_solve(const struct casus_pitree *t, double *prob, double *val)
{
    const uint32_t np = t->np;
    for (uint32_t v = t->n; v-- > 0;) {
        const uint32_t c0 = t->cs[v], c1 = t->cs[v + 1];
        double *out = val + (size_t)v * np;
        const double *own = t->pay + (size_t)v * np;
        if (c1 != c0 && t->who[v] != 0) {
            const unsigned i = t->who[v] - 1u;
            uint32_t best = c0;
            for (uint32_t c = c0 + 1; c < c1; c++)
                if (val[(size_t)c * np + i] > val[(size_t)best * np + i])
                    best = c;
            for (uint32_t c = c0; c < c1; c++)
                prob[c] = c == best ? 1.0 : 0.0;
            for (uint32_t k = 0; k < np; k++)
                out[k] = own[k] + val[(size_t)best * np + k];
            continue;
        }
        for (uint32_t k = 0; k < np; k++) {
            double acc = own[k];
            for (uint32_t c = c0; c < c1; c++)
                acc += prob[c] * val[(size_t)c * np + k];
            out[k] = acc;
        }
    }
}

casus_status casus_pitree_from_game(struct casus_pitree_game *pg, const struct casus_alloc *a,
                                    const struct casus_gtree *g, struct casus_diags *d)
{
    memset(pg, 0, sizeof *pg);
    if (!g->perfect_info || g->nplayers > 255) {
        if (d)
            casus_diag_add(d, CASUS_SEV_ERROR, NULL, "not-perfect-information",
                           "the one-pass logit solver needs a perfect-information game with at "
                           "most 255 players");
        return CASUS_EINVAL;
    }
    casus_arena_init(&pg->arena, a);
    uint32_t N = g->nnodes, np = g->nplayers;
    struct casus_pitree *t = &pg->t;
    t->n = N;
    t->np = np;
    t->cs = casus_arena_alloc(&pg->arena, sizeof *t->cs * ((size_t)N + 1));
    t->who = casus_arena_alloc(&pg->arena, N);
    t->pay = casus_arena_alloc(&pg->arena, sizeof *t->pay * ((size_t)N * np + 1));
    pg->prob = casus_arena_alloc(&pg->arena, sizeof *pg->prob * N);
    pg->gnode = casus_arena_alloc(&pg->arena, sizeof *pg->gnode * N);
    if (!t->cs || !t->who || !t->pay || !pg->prob || !pg->gnode) {
        casus_arena_release(&pg->arena);
        return CASUS_ENOMEM;
    }
    /* breadth-first: gnode doubles as the queue */
    uint32_t head = 0, tail = 0;
    pg->gnode[tail++] = 0;
    pg->prob[0] = 1.0;
    while (head < tail) {
        uint32_t v = head++;
        const struct casus_game_node *nd = &g->node[pg->gnode[v]];
        t->cs[v] = tail;
        t->who[v] = nd->kind == CASUS_NODE_DECISION ? (uint8_t)g->iset[nd->iset].player : 0;
        for (uint32_t k = 0; k < np; k++)
            t->pay[(size_t)v * np + k] =
                nd->outcome != CASUS_NONE ? g->pay[(size_t)nd->outcome * np + k] : 0.0;
        for (uint32_t c = 0; c < nd->nchild; c++) {
            pg->prob[tail] =
                nd->kind == CASUS_NODE_CHANCE ? g->chance[g->iset[nd->iset].act0 + c] : 0.0;
            pg->gnode[tail++] = g->child[nd->child0 + c];
        }
    }
    t->cs[N] = tail;
    return CASUS_OK;
}

void casus_pitree_game_release(struct casus_pitree_game *pg)
{
    casus_arena_release(&pg->arena);
    memset(pg, 0, sizeof *pg);
}

void casus_pitree_to_behav(const struct casus_pitree_game *pg, const struct casus_gtree *g,
                           double *behav)
{
    for (uint32_t a = 0; a < g->nact; a++)
        behav[a] = g->chance[a];
    for (uint32_t v = 1; v < pg->t.n; v++) {
        const struct casus_game_node *nd = &g->node[pg->gnode[v]];
        const struct casus_game_node *par = &g->node[nd->parent];
        if (par->kind == CASUS_NODE_DECISION)
            behav[g->iset[par->iset].act0 + nd->pos] = pg->prob[v];
    }
}
