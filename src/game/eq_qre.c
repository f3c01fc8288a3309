/*
 * eq_qre.c — agent logit QRE, the kernel: the workspace, evaluation of the
 * log-odds equations, their exact sparse Jacobian and a sparse LU (with its
 * determinant), and Newton at fixed λ.  The path follower and the
 * perfect-information trace are in eq_qre_path.c; eq_qre.h has the method
 * and the contracts.
 */
#include "game/eq_qre.h"

#include <math.h>
#include <stdlib.h>

#define QRE_RES        1e-9 /* residual accepted as on the path, relative */
#define QRE_NEWTON_MAX 12

/* Sort key of an information set for numbering the unknowns. */
struct iset_key {
    uint64_t key; /* deepest member's depth, then its preorder index */
    uint32_t s;
};

static int key_cmp(const void *a, const void *b)
{
    const struct iset_key *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? 1 : -1; /* descending */
    return x->s < y->s ? 1 : (x->s > y->s ? -1 : 0);
}

/* Number the unknowns deepest information set first.  The Jacobian couples
 * an information set only with the ones above and below it in the tree
 * (values flow up, beliefs flow down), so eliminating the deep ones first
 * creates fill only among their ancestors and the sparse LU stays sparse
 * (on a perfect-information tree it is triangular).  Any order is correct;
 * this one is cheap.  Uses q->mu as depth scratch.  O(nodes + niset log niset). */
static void number_unknowns(struct casus_qre_ws *q, struct iset_key *order)
{
    const struct casus_gtree *g = q->g;
    double *depth = q->mu;
    uint32_t n_ord = 0, k = 0;
    for (uint32_t n = 0; n < g->nnodes; n++)
        depth[n] = g->node[n].parent == CASUS_NONE ? 0 : depth[g->node[n].parent] + 1;
    for (uint32_t s = 0; s < g->niset; s++) {
        q->var0[s] = CASUS_NONE;
        if (s < g->pl_iset0[1] || g->iset[s].nact < 2)
            continue;
        const uint32_t *mem = g->member + g->iset[s].mem0;
        uint64_t best = 0;
        for (uint32_t j = 0; j < g->iset[s].nmem; j++) {
            uint64_t kk = ((uint64_t)depth[mem[j]] << 32) | mem[j];
            if (kk > best)
                best = kk;
        }
        order[n_ord].key = best;
        order[n_ord++].s = s;
    }
    qsort(order, n_ord, sizeof *order, key_cmp);
    for (uint32_t i = 0; i < n_ord; i++) {
        const uint32_t s = order[i].s;
        q->var0[s] = k;
        for (uint32_t j = 1; j < g->iset[s].nact; j++)
            q->var_iset[k++] = s;
    }
}

/* Row arrays of a sparse LU of order n; the pools start empty. */
static bool lu_init(struct casus_qre_lu *f, struct casus_arena *ar, size_t n)
{
    memset(f, 0, sizeof *f);
    f->pc = casus_arena_alloc(ar, sizeof *f->pc * n);
    f->piv = casus_arena_alloc(ar, sizeof *f->piv * n);
    f->loff = casus_arena_alloc(ar, sizeof *f->loff * (n + 1));
    f->uoff = casus_arena_alloc(ar, sizeof *f->uoff * (n + 1));
    return f->pc && f->piv && f->loff && f->uoff;
}

static void lu_release(struct casus_qre_lu *f, const struct casus_alloc *a)
{
    casus_mem_free(a, f->lv, (sizeof *f->lv + sizeof *f->lk) * f->lcap);
    casus_mem_free(a, f->uv, (sizeof *f->uv + sizeof *f->uj) * f->ucap);
    memset(f, 0, sizeof *f);
}

/* Grow one pool (values, then their indices, in one block) to at least
 * need entries, doubling; the old entries are kept.  False when out of
 * memory (the pool is unchanged). */
static bool pool_grow(const struct casus_alloc *a, double **v, uint32_t **ix, size_t *cap,
                      size_t need)
{
    if (need <= *cap)
        return true;
    size_t c = *cap * 2 > need ? *cap * 2 : need;
    double *nv = casus_mem_alloc(a, (sizeof *nv + sizeof **ix) * c);
    if (!nv)
        return false;
    uint32_t *nix = (uint32_t *)(nv + c);
    if (*cap) {
        memcpy(nv, *v, sizeof *nv * *cap);
        memcpy(nix, *ix, sizeof *nix * *cap);
    }
    casus_mem_free(a, *v, (sizeof **v + sizeof **ix) * *cap);
    *v = nv;
    *ix = nix;
    *cap = c;
    return true;
}

/* Grow the pools of f to at least need_l and need_u entries.  False when
 * out of memory (f stays valid). */
static bool lu_grow(struct casus_qre_lu *f, const struct casus_alloc *a, size_t need_l,
                    size_t need_u)
{
    return pool_grow(a, &f->lv, &f->lk, &f->lcap, need_l) &&
           pool_grow(a, &f->uv, &f->uj, &f->ucap, need_u);
}

static bool jacobian_pattern(struct casus_qre_ws *q);

casus_status casus_qre_ws_init(struct casus_qre_ws *q, const struct casus_alloc *a,
                               const struct casus_gtree *g, uint32_t max_unknowns)
{
    memset(q, 0, sizeof *q);
    q->g = g;
    uint32_t m = 0;
    for (uint32_t s = g->pl_iset0[1]; s < g->niset; s++)
        m += g->iset[s].nact - 1;
    if (m > max_unknowns)
        return CASUS_ELIMIT;
    casus_arena_init(&q->arena, a);
    q->m = m;
    size_t N = g->nnodes, A = g->nact ? g->nact : 1, P = g->nplayers ? g->nplayers : 1;
    size_t M1 = (size_t)m + 1;
    struct casus_arena *ar = &q->arena;
    q->var0 = casus_arena_alloc(ar, sizeof *q->var0 * (g->niset ? g->niset : 1));
    q->var_iset = casus_arena_alloc(ar, sizeof *q->var_iset * M1);
    q->inact = casus_arena_alloc(ar, sizeof *q->inact * N);
    q->logp = casus_arena_alloc(ar, sizeof(double) * A);
    q->p = casus_arena_alloc(ar, sizeof(double) * A);
    q->av = casus_arena_alloc(ar, sizeof(double) * A);
    q->dlogp = casus_arena_alloc(ar, sizeof(double) * A);
    q->dav = casus_arena_alloc(ar, sizeof(double) * A);
    q->logr = casus_arena_alloc(ar, sizeof(double) * N);
    q->mu = casus_arena_alloc(ar, sizeof(double) * N);
    q->dlogr = casus_arena_alloc(ar, sizeof(double) * N);
    q->V = casus_arena_alloc(ar, sizeof(double) * N * P);
    q->dV = casus_arena_alloc(ar, sizeof(double) * N * P);
    q->alloc = a;
    bool ok = lu_init(&q->luA, ar, M1) && lu_init(&q->luB, ar, M1);
    q->jrow = casus_arena_alloc(ar, sizeof *q->jrow * M1);
    q->jl = casus_arena_alloc(ar, sizeof *q->jl * M1);
    q->jcur = casus_arena_alloc(ar, sizeof *q->jcur * M1);
    q->pos = casus_arena_alloc(ar, sizeof *q->pos * M1);
    q->seen = casus_arena_alloc(ar, sizeof *q->seen * M1);
    q->cand = casus_arena_alloc(ar, sizeof *q->cand * M1);
    q->todo = casus_arena_alloc(ar, sizeof *q->todo * ((M1 + 63) / 64));
    q->wrow = casus_arena_alloc(ar, sizeof *q->wrow * M1);
    q->mark = casus_arena_alloc(ar, sizeof *q->mark * (g->niset ? g->niset : 1));
    q->touched = casus_arena_alloc(ar, sizeof *q->touched * (g->niset ? g->niset : 1));
    struct iset_key *order = casus_arena_alloc(ar, sizeof *order * (g->niset ? g->niset : 1));
    double **vec[] = {&q->u,  &q->v,  &q->t,  &q->w,  &q->F,  &q->u0,
                      &q->lw, &q->ua, &q->ta, &q->ub, &q->xb, &q->z};
    q->bprob = casus_arena_alloc(ar, sizeof(double) * 4 * A);
    ok = ok && q->var0 && q->var_iset && q->inact && q->logp && q->p && q->av && q->dlogp &&
         q->dav && q->logr && q->mu && q->dlogr && q->V && q->dV && q->mark && q->touched &&
         order && q->jrow && q->jl && q->jcur && q->pos && q->seen && q->cand && q->todo &&
         q->wrow && q->bprob;
    for (size_t i = 0; i < CASUS_ARRAY_LEN(vec); i++) {
        *vec[i] = casus_arena_alloc(ar, sizeof(double) * M1);
        ok = ok && *vec[i];
    }
    if (!ok) {
        casus_arena_release(&q->arena);
        return CASUS_ENOMEM;
    }
    for (uint32_t n = 0; n < g->nnodes; n++) {
        const struct casus_game_node *nd = &g->node[n];
        q->inact[n] = nd->parent == CASUS_NONE ? CASUS_NONE
                                               : g->iset[g->node[nd->parent].iset].act0 + nd->pos;
    }
    number_unknowns(q, order);
    memset(q->mark, 0, sizeof *q->mark * (g->niset ? g->niset : 1));
    q->stamp = 0;
    if (!jacobian_pattern(q)) {
        lu_release(&q->luA, a);
        lu_release(&q->luB, a);
        casus_arena_release(&q->arena);
        return CASUS_ENOMEM;
    }
    for (uint32_t s = 0; s < g->pl_iset0[1]; s++)
        for (uint32_t j = 0; j < g->iset[s].nact; j++) {
            uint32_t ai = g->iset[s].act0 + j;
            q->p[ai] = g->chance[ai];
            q->logp[ai] = g->chance[ai] > 0 ? log(g->chance[ai]) : -INFINITY;
        }
    q->range = g->pay_max - g->pay_min > 0 ? g->pay_max - g->pay_min : 1.0;
    return CASUS_OK;
}

void casus_qre_ws_release(struct casus_qre_ws *q)
{
    if (q->alloc) {
        lu_release(&q->luA, q->alloc);
        lu_release(&q->luB, q->alloc);
    }
    casus_arena_release(&q->arena);
    memset(q, 0, sizeof *q);
}

/* Probabilities of the personal actions from the log-odds y (log-softmax
 * with the largest term factored out). */
static void set_probs(struct casus_qre_ws *q, const double *y)
{
    const struct casus_gtree *g = q->g;
    for (uint32_t s = g->pl_iset0[1]; s < g->niset; s++) {
        const struct casus_game_iset *is = &g->iset[s];
        if (q->var0[s] == CASUS_NONE) {
            q->logp[is->act0] = 0;
            q->p[is->act0] = 1;
            continue;
        }
        const double *ys = y + q->var0[s];
        double mx = 0;
        for (uint32_t j = 1; j < is->nact; j++)
            if (ys[j - 1] > mx)
                mx = ys[j - 1];
        double sum = exp(-mx);
        for (uint32_t j = 1; j < is->nact; j++)
            sum += exp(ys[j - 1] - mx);
        double lse = mx + log(sum);
        q->logp[is->act0] = -lse;
        for (uint32_t j = 1; j < is->nact; j++)
            q->logp[is->act0 + j] = ys[j - 1] - lse;
        for (uint32_t j = 0; j < is->nact; j++)
            q->p[is->act0 + j] = exp(q->logp[is->act0 + j]);
    }
}

/* Reach, values, beliefs and conditional action values at the current
 * probabilities.  O(nodes · players). */
static void evaluate(struct casus_qre_ws *q)
{
    const struct casus_gtree *g = q->g;
    const uint32_t N = g->nnodes, np = g->nplayers;
    q->logr[0] = 0;
    for (uint32_t n = 1; n < N; n++)
        q->logr[n] = q->logr[g->node[n].parent] + q->logp[q->inact[n]];
    for (uint32_t n = N; n-- > 0;) {
        const struct casus_game_node *nd = &g->node[n];
        double *v = q->V + (size_t)n * np;
        for (uint32_t i = 0; i < np; i++)
            v[i] = nd->outcome != CASUS_NONE ? g->pay[(size_t)nd->outcome * np + i] : 0.0;
        for (uint32_t c = 0; c < nd->nchild; c++) {
            uint32_t ch = g->child[nd->child0 + c];
            double pc = q->p[q->inact[ch]];
            if (pc == 0)
                continue;
            const double *cv = q->V + (size_t)ch * np;
            for (uint32_t i = 0; i < np; i++)
                v[i] += pc * cv[i];
        }
    }
    for (uint32_t s = g->pl_iset0[1]; s < g->niset; s++) {
        const struct casus_game_iset *is = &g->iset[s];
        const uint32_t *mem = g->member + is->mem0;
        double mx = -INFINITY;
        for (uint32_t k = 0; k < is->nmem; k++)
            if (q->logr[mem[k]] > mx)
                mx = q->logr[mem[k]];
        if (mx == -INFINITY) {
            for (uint32_t k = 0; k < is->nmem; k++)
                q->mu[mem[k]] = 1.0 / is->nmem;
        } else {
            double sum = 0;
            for (uint32_t k = 0; k < is->nmem; k++) {
                q->mu[mem[k]] = exp(q->logr[mem[k]] - mx);
                sum += q->mu[mem[k]];
            }
            for (uint32_t k = 0; k < is->nmem; k++)
                q->mu[mem[k]] /= sum;
        }
        uint32_t pi = is->player - 1;
        for (uint32_t a = 0; a < is->nact; a++) {
            double acc = 0;
            for (uint32_t k = 0; k < is->nmem; k++) {
                const struct casus_game_node *h = &g->node[mem[k]];
                acc += q->mu[mem[k]] * q->V[(size_t)g->child[h->child0 + a] * np + pi];
            }
            q->av[is->act0 + a] = acc;
        }
    }
}

/* F at (y, λ) into F (m); also leaves probabilities and values current. */
void casus_qre_residual(struct casus_qre_ws *q, const double *y, double lambda, double *F)
{
    const struct casus_gtree *g = q->g;
    set_probs(q, y);
    evaluate(q);
    for (uint32_t k = 0; k < q->m; k++) {
        const struct casus_game_iset *is = &g->iset[q->var_iset[k]];
        uint32_t j = k - q->var0[q->var_iset[k]] + 1;
        F[k] = y[k] - lambda * (q->av[is->act0 + j] - q->av[is->act0]);
    }
}

/* Relative conditional agent regret at the current evaluation. */
double casus_qre_agent_regret(const struct casus_qre_ws *q)
{
    const struct casus_gtree *g = q->g;
    double worst = 0;
    for (uint32_t s = g->pl_iset0[1]; s < g->niset; s++) {
        const struct casus_game_iset *is = &g->iset[s];
        double best = q->av[is->act0], cur = 0;
        for (uint32_t a = 0; a < is->nact; a++) {
            if (q->av[is->act0 + a] > best)
                best = q->av[is->act0 + a];
            cur += q->p[is->act0 + a] * q->av[is->act0 + a];
        }
        if (best - cur > worst)
            worst = best - cur;
    }
    return worst / q->range;
}

/* Add information set s to the rows the current column touches. */
static void touch(struct casus_qre_ws *q, uint32_t s, uint32_t *nt)
{
    if (s == CASUS_NONE || s < q->g->pl_iset0[1] || q->var0[s] == CASUS_NONE ||
        q->mark[s] == q->stamp)
        return;
    q->mark[s] = q->stamp;
    q->touched[(*nt)++] = s;
}

/* The information sets whose rows Jacobian column col can make non-zero
 * (besides its own diagonal) into q->touched; returns their number.
 * Column col (an unknown of information set K) changes the reach of the
 * nodes below K's members, hence the beliefs there, and the values of K's
 * members and their ancestors; perfect recall keeps K off its own paths.
 * The set depends on the tree only.  O(subtree(K) + ancestors(K)). */
static uint32_t column_rows(struct casus_qre_ws *q, uint32_t col)
{
    const struct casus_gtree *g = q->g;
    const struct casus_game_iset *ks = &g->iset[q->var_iset[col]];
    const uint32_t *kmem = g->member + ks->mem0;
    uint32_t nt = 0;
    if (++q->stamp == 0) {
        memset(q->mark, 0, sizeof *q->mark * g->niset);
        q->stamp = 1;
    }
    for (uint32_t k = 0; k < ks->nmem; k++) {
        const uint32_t h = kmem[k];
        for (uint32_t n = h + 1; n < h + g->node[h].size; n++)
            touch(q, g->node[n].iset, &nt);
        for (uint32_t n = h; g->node[n].parent != CASUS_NONE; n = g->node[n].parent)
            touch(q, g->node[g->node[n].parent].iset, &nt);
    }
    return nt;
}

/* The Jacobian's sparsity pattern (CSR by rows, columns increasing) into
 * q->jrow / jcol, and room for its values.  False when out of memory.
 * O(Σ_K (subtree(K) + ancestors(K)) + non-zeros). */
static bool jacobian_pattern(struct casus_qre_ws *q)
{
    const struct casus_gtree *g = q->g;
    const uint32_t m = q->m;
    memset(q->jrow, 0, sizeof *q->jrow * ((size_t)m + 1));
    for (uint32_t col = 0; col < m; col++) {
        q->jrow[col + 1]++;
        const uint32_t nt = column_rows(q, col);
        for (uint32_t t = 0; t < nt; t++) {
            const uint32_t s = q->touched[t];
            for (uint32_t a = 1; a < g->iset[s].nact; a++)
                q->jrow[q->var0[s] + a]++;
        }
    }
    for (uint32_t r = 0; r < m; r++)
        q->jrow[r + 1] += q->jrow[r];
    const size_t nnz = q->jrow[m];
    q->jcol = casus_arena_alloc(&q->arena, sizeof *q->jcol * (nnz ? nnz : 1));
    q->jv = casus_arena_alloc(&q->arena, sizeof *q->jv * (nnz ? nnz : 1));
    if (!q->jcol || !q->jv)
        return false;
    memset(q->jcur, 0, sizeof *q->jcur * ((size_t)m + 1));
    for (uint32_t col = 0; col < m; col++) {
        q->jcol[q->jrow[col] + q->jcur[col]++] = col;
        const uint32_t nt = column_rows(q, col);
        for (uint32_t t = 0; t < nt; t++) {
            const uint32_t s = q->touched[t];
            for (uint32_t a = 1; a < g->iset[s].nact; a++) {
                const uint32_t row = q->var0[s] + a - 1;
                q->jcol[q->jrow[row] + q->jcur[row]++] = col;
            }
        }
    }
    /* a row gets its entries in column order, the diagonal included, so
     * the values can be filled in the same order (jacobian) */
    return lu_grow(&q->luA, q->alloc, 2 * nnz + 2 * (size_t)m + 2, 2 * nnz + 2 * (size_t)m + 2) &&
           lu_grow(&q->luB, q->alloc, 2 * nnz + 2 * (size_t)m + 2, 2 * nnz + 2 * (size_t)m + 2);
}

/* Jacobian of F at the current evaluation: the values by y into q->jv
 * (pattern of jacobian_pattern), the column by λ into q->jl.  Only the
 * nodes a column affects are visited (column_rows).
 * O(Σ_K (subtree(K) + ancestors(K) · players) + touched rows): about
 * nodes · depth instead of m · nodes. */
void casus_qre_jacobian(struct casus_qre_ws *q, double lambda)
{
    const struct casus_gtree *g = q->g;
    const uint32_t N = g->nnodes, np = g->nplayers, m = q->m;
    memset(q->dlogp, 0, sizeof(double) * g->nact);
    memset(q->dlogr, 0, sizeof(double) * N);
    memset(q->dV, 0, sizeof(double) * N * np);
    memset(q->jcur, 0, sizeof *q->jcur * m);
    for (uint32_t col = 0; col < m; col++) {
        const uint32_t K = q->var_iset[col];
        const struct casus_game_iset *ks = &g->iset[K];
        const uint32_t *kmem = g->member + ks->mem0;
        const uint32_t jj = col - q->var0[K] + 1;
        for (uint32_t a = 0; a < ks->nact; a++)
            q->dlogp[ks->act0 + a] = (a == jj ? 1.0 : 0.0) - q->p[ks->act0 + jj];
        for (uint32_t k = 0; k < ks->nmem; k++) {
            const uint32_t h = kmem[k];
            const struct casus_game_node *hd = &g->node[h];
            for (uint32_t n = h + 1; n < h + hd->size; n++)
                q->dlogr[n] = q->dlogr[g->node[n].parent] + q->dlogp[q->inact[n]];
            double *dv = q->dV + (size_t)h * np;
            for (uint32_t c = 0; c < hd->nchild; c++) {
                uint32_t ch = g->child[hd->child0 + c];
                double pc = q->p[q->inact[ch]];
                if (pc == 0)
                    continue;
                double dl = q->dlogp[q->inact[ch]];
                const double *cv = q->V + (size_t)ch * np;
                for (uint32_t i = 0; i < np; i++)
                    dv[i] += pc * (dl * cv[i]);
            }
            for (uint32_t i = 0; i < np; i++) {
                double x = dv[i];
                for (uint32_t n = h; g->node[n].parent != CASUS_NONE && x != 0;) {
                    const uint32_t up = g->node[n].parent;
                    x *= q->p[q->inact[n]];
                    q->dV[(size_t)up * np + i] += x;
                    n = up;
                }
            }
        }
        q->jv[q->jrow[col] + q->jcur[col]++] = 1.0;
        const uint32_t nt = column_rows(q, col);
        for (uint32_t t = 0; t < nt; t++) {
            const uint32_t s = q->touched[t];
            const struct casus_game_iset *is = &g->iset[s];
            const uint32_t *mem = g->member + is->mem0;
            uint32_t pi = is->player - 1;
            double mbar = 0;
            for (uint32_t k = 0; k < is->nmem; k++)
                mbar += q->mu[mem[k]] * q->dlogr[mem[k]];
            for (uint32_t a = 0; a < is->nact; a++) {
                double acc = 0;
                for (uint32_t k = 0; k < is->nmem; k++) {
                    const uint32_t h = mem[k];
                    const double mu = q->mu[h];
                    if (mu == 0)
                        continue;
                    const size_t ch = g->child[g->node[h].child0 + a];
                    acc += mu * ((q->dlogr[h] - mbar) * q->V[ch * np + pi] + q->dV[ch * np + pi]);
                }
                q->dav[is->act0 + a] = acc;
            }
            for (uint32_t a = 1; a < is->nact; a++) {
                uint32_t row = q->var0[s] + a - 1;
                q->jv[q->jrow[row] + q->jcur[row]++] =
                    -lambda * (q->dav[is->act0 + a] - q->dav[is->act0]);
            }
        }
        /* back to zero for the next column */
        for (uint32_t k = 0; k < ks->nmem; k++) {
            const uint32_t h = kmem[k];
            for (uint32_t n = h + 1; n < h + g->node[h].size; n++)
                q->dlogr[n] = 0;
            for (uint32_t n = h;; n = g->node[n].parent) {
                for (uint32_t i = 0; i < np; i++)
                    q->dV[(size_t)n * np + i] = 0;
                if (g->node[n].parent == CASUS_NONE)
                    break;
            }
        }
        for (uint32_t a = 0; a < ks->nact; a++)
            q->dlogp[ks->act0 + a] = 0;
    }
    for (uint32_t row = 0; row < m; row++) {
        const struct casus_game_iset *is = &g->iset[q->var_iset[row]];
        uint32_t a = row - q->var0[q->var_iset[row]] + 1;
        q->jl[row] = -(q->av[is->act0 + a] - q->av[is->act0]);
    }
}

enum lu_result { LU_OK, LU_SINGULAR, LU_FULL };

/* Put entry (j, x) of the current row into the work row: eliminations
 * due (a bit per pivot row) or a candidate column. */
static void lu_note(struct casus_qre_ws *q, uint32_t i, uint32_t j)
{
    if (q->pos[j] != CASUS_NONE) {
        q->todo[q->pos[j] / 64] |= (uint64_t)1 << (q->pos[j] % 64);
    } else if (q->seen[j] != i) {
        q->seen[j] = i;
        q->cand[q->ncand++] = j;
    }
}

/* Sparse LU of the Jacobian (q->jv, with q->jl as last column and t as
 * last row when bordered: order m + 1; else order m) into f.  Row by row
 * with partial pivoting by columns: row i is scattered into a dense work
 * row and reduced by the pivot rows before it, in order; its pivot is
 * then its largest remaining entry (the lowest column on ties), which is
 * Gaussian elimination with partial pivoting on the transpose, with the
 * same stability.  With the unknowns numbered deepest first
 * (number_unknowns) the fill stays among ancestors.  LU_FULL when a pool
 * is too small (nothing is left half done), LU_SINGULAR when a pivot is
 * zero or not finite.  O(n²/64 + non-zeros + flops on them). */
static enum lu_result lu_factor(struct casus_qre_ws *q, bool bordered, const double *t,
                                struct casus_qre_lu *f)
{
    const uint32_t m = q->m, n = bordered ? m + 1 : m;
    const uint32_t nw = (n + 63) / 64;
    double *w = q->wrow;
    size_t nl = 0, nu = 0;
    for (uint32_t j = 0; j < n; j++) {
        q->pos[j] = CASUS_NONE;
        q->seen[j] = CASUS_NONE;
    }
    memset(q->todo, 0, sizeof *q->todo * nw);
    for (uint32_t i = 0; i < n; i++) {
        f->loff[i] = nl;
        f->uoff[i] = nu;
        if (nl + i > f->lcap || nu + (n - i) > f->ucap)
            return LU_FULL;
        q->ncand = 0;
        if (i < m) {
            for (size_t e = q->jrow[i]; e < q->jrow[i + 1]; e++)
                if (q->jv[e] != 0) {
                    w[q->jcol[e]] = q->jv[e];
                    lu_note(q, i, q->jcol[e]);
                }
            if (bordered && q->jl[i] != 0) {
                w[m] = q->jl[i];
                lu_note(q, i, m);
            }
        } else {
            for (uint32_t j = 0; j < n; j++)
                if (t[j] != 0) {
                    w[j] = t[j];
                    lu_note(q, i, j);
                }
        }
        for (uint32_t wd = 0; wd < nw; wd++)
            while (q->todo[wd]) {
                const uint32_t k = wd * 64 + (uint32_t)__builtin_ctzll(q->todo[wd]);
                q->todo[wd] &= q->todo[wd] - 1;
                const uint32_t c = f->pc[k];
                if (w[c] == 0)
                    continue;
                const double l = w[c] / f->piv[k];
                w[c] = 0;
                f->lk[nl] = k;
                f->lv[nl++] = l;
                for (size_t e = f->uoff[k]; e < f->uoff[k + 1]; e++) {
                    const uint32_t j = f->uj[e];
                    w[j] -= l * f->uv[e];
                    lu_note(q, i, j);
                }
            }
        uint32_t p = CASUS_NONE;
        double best = 0;
        for (uint32_t e = 0; e < q->ncand; e++) {
            const uint32_t j = q->cand[e];
            const double x = fabs(w[j]);
            if (p == CASUS_NONE || x > best || (x == best && j < p)) {
                best = x;
                p = j;
            }
        }
        if (p == CASUS_NONE || !(best > 0) || !isfinite(best)) {
            for (uint32_t e = 0; e < q->ncand; e++)
                w[q->cand[e]] = 0;
            return LU_SINGULAR;
        }
        f->pc[i] = p;
        f->piv[i] = w[p];
        q->pos[p] = i;
        for (uint32_t e = 0; e < q->ncand; e++) {
            const uint32_t j = q->cand[e];
            if (j != p && w[j] != 0) {
                f->uj[nu] = j;
                f->uv[nu++] = w[j];
            }
            w[j] = 0;
        }
    }
    f->loff[n] = nl;
    f->uoff[n] = nu;
    return LU_OK;
}

/* Factor the Jacobian at the current evaluation (see lu_factor), growing
 * f's pools as needed.  False when singular or out of memory (q->oom). */
bool casus_qre_factor(struct casus_qre_ws *q, bool bordered, const double *t,
                      struct casus_qre_lu *f)
{
    for (;;) {
        enum lu_result r = lu_factor(q, bordered, t, f);
        if (r != LU_FULL)
            return r == LU_OK;
        if (!lu_grow(f, q->alloc, 2 * f->lcap, 2 * f->ucap)) {
            q->oom = true;
            return false;
        }
    }
}

/* Solve A x = b with the factors f of order n; b is overwritten by x, w
 * is n doubles of scratch.  O(non-zeros of the factors). */
void casus_qre_lu_solve(const struct casus_qre_lu *f, uint32_t n, double *b, double *w)
{
    for (uint32_t i = 0; i < n; i++) {
        double s = b[i];
        for (size_t e = f->loff[i]; e < f->loff[i + 1]; e++)
            s -= f->lv[e] * b[f->lk[e]];
        b[i] = s;
    }
    for (uint32_t i = n; i-- > 0;) {
        double s = b[i];
        for (size_t e = f->uoff[i]; e < f->uoff[i + 1]; e++)
            s -= f->uv[e] * w[f->uj[e]];
        w[f->pc[i]] = s / f->piv[i];
    }
    memcpy(b, w, sizeof(double) * n);
}

/* Largest residual relative to the size of the terms it is computed from:
 * |F_k| / (1 + |y_k| + λ (|v_a| + |v_0|)), right after casus_qre_residual() (which
 * leaves the action values current).  Rounding alone makes F_k as large
 * as eps times that size, so at large λ a plain 1 + |y_k| scale would ask
 * for more accuracy than doubles carry. */
double casus_qre_resid_rel(const struct casus_qre_ws *q, const double *F, const double *y,
                           double lambda)
{
    const struct casus_gtree *g = q->g;
    double r = 0;
    for (uint32_t k = 0; k < q->m; k++) {
        const struct casus_game_iset *is = &g->iset[q->var_iset[k]];
        const uint32_t a = is->act0 + k - q->var0[q->var_iset[k]] + 1;
        double e = fabs(F[k]) /
                   (1.0 + fabs(y[k]) + fabs(lambda) * (fabs(q->av[a]) + fabs(q->av[is->act0])));
        if (e > r)
            r = e;
    }
    return r;
}

void casus_qre_profile(struct casus_qre_ws *q, const double *y, double *prob)
{
    set_probs(q, y);
    memcpy(prob, q->p, sizeof(double) * q->g->nact);
}

bool casus_qre_newton(struct casus_qre_ws *q, double lambda, double *y, uint32_t *iters,
                      double *resid)
{
    const uint32_t m = q->m;
    double *F = q->F;
    for (uint32_t it = 0;; it++) {
        casus_qre_residual(q, y, lambda, F);
        double r = casus_qre_resid_rel(q, F, y, lambda);
        *iters = it;
        *resid = r;
        if (r <= 1e-12)
            return true;
        if (it == QRE_NEWTON_MAX || !isfinite(r))
            return r <= QRE_RES; /* stagnating at the rounding floor */
        casus_qre_jacobian(q, lambda);
        if (!casus_qre_factor(q, false, NULL, &q->luA))
            return false;
        for (uint32_t i = 0; i < m; i++)
            q->w[i] = -F[i];
        casus_qre_lu_solve(&q->luA, m, q->w, q->lw);
        for (uint32_t i = 0; i < m; i++)
            y[i] += q->w[i];
    }
}

double casus_qre_lu_logdet(struct casus_qre_ws *q, const struct casus_qre_lu *f, uint32_t n,
                           int *sign)
{
    /* det = sign(i -> pc[i]) · Π piv: L has a unit diagonal and U is
     * triangular once its columns are put in pivot order */
    int s = 1;
    double ld = 0;
    uint32_t *seen = q->seen;
    for (uint32_t i = 0; i < n; i++) {
        if (f->piv[i] < 0)
            s = -s;
        ld += log(fabs(f->piv[i]));
        seen[i] = 0;
    }
    for (uint32_t i = 0; i < n; i++) {
        uint32_t len = 0;
        for (uint32_t j = i; !seen[j]; j = f->pc[j]) {
            seen[j] = 1;
            len++;
        }
        if (len && len % 2 == 0) /* an even cycle is an odd permutation */
            s = -s;
    }
    *sign = s;
    return ld;
}
