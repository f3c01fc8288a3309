/*
 * eq_spe.c — backward induction for perfect-information games (see
 * eq_spe.h).  Nodes are in preorder, so a reverse sweep sees every child
 * before its parent.
 */
#include "game/eq_spe.h"

casus_status casus_eq_backward(const struct casus_gtree *g, struct casus_diags *d, double *val,
                               int32_t *choice, double *prob)
{
    uint32_t np = g->nplayers;
    if (!g->perfect_info) {
        if (d)
            casus_diag_add(d, CASUS_SEV_ERROR, NULL, "not-perfect-information",
                           "backward induction needs perfect information; this game has "
                           "information sets with several nodes (use subgame-perfect pure "
                           "equilibria or lcp instead)");
        return CASUS_EINVAL;
    }
    for (uint32_t n = g->nnodes; n-- > 0;) {
        const struct casus_game_node *nd = &g->node[n];
        double *v = val + (size_t)n * np;
        for (uint32_t i = 0; i < np; i++)
            v[i] = 0;
        if (nd->kind == CASUS_NODE_CHANCE) {
            const struct casus_game_iset *s = &g->iset[nd->iset];
            choice[nd->iset] = -1;
            for (uint32_t c = 0; c < nd->nchild; c++) {
                double p = g->chance[s->act0 + c];
                const double *cv = val + (size_t)g->child[nd->child0 + c] * np;
                for (uint32_t i = 0; i < np; i++)
                    v[i] += p * cv[i];
            }
        } else if (nd->kind == CASUS_NODE_DECISION) {
            uint32_t pi = g->iset[nd->iset].player - 1, best = 0;
            for (uint32_t c = 1; c < nd->nchild; c++)
                if (val[(size_t)g->child[nd->child0 + c] * np + pi] >
                    val[(size_t)g->child[nd->child0 + best] * np + pi])
                    best = c;
            choice[nd->iset] = (int32_t)best;
            memcpy(v, val + (size_t)g->child[nd->child0 + best] * np, sizeof *v * np);
        }
        if (nd->outcome != CASUS_NONE)
            for (uint32_t i = 0; i < np; i++)
                v[i] += g->pay[(size_t)nd->outcome * np + i];
    }
    if (prob)
        for (uint32_t a = 0; a < g->nact; a++) {
            uint32_t s = g->act[a].iset;
            prob[a] = g->iset[s].player == 0
                          ? g->chance[a]
                          : (choice[s] == (int32_t)(a - g->iset[s].act0) ? 1.0 : 0.0);
        }
    return CASUS_OK;
}
