/*
 * lu_sparse.c — sparse Markowitz LU with eta updates (see lu_sparse.h).
 *
 * The factorisation keeps the active submatrix twice: rows with values (for
 * the updates and the threshold test) and columns as row-index patterns
 * (for finding the rows a pivot column touches).  Each row and column is a
 * slice of a pool; a slice that must grow moves to the pool's end, and a
 * full pool is copied, live slices only, into a larger one.  Rows and
 * columns sit in doubly linked buckets by their nonzero count, so the
 * Markowitz search looks at the sparsest lines first.  All loops run in a
 * fixed order, so factorisations (and the pivots that depend on them) are
 * deterministic.
 */
#include "game/lu_sparse.h"

#include <math.h>

static const double LU_THRESH = 0.1; /* row-wise threshold pivoting */
static const double LU_TINY = 1e-11; /* smallest usable pivot */
static const uint32_t LU_SEARCH = 4; /* lines examined once a pivot is known */
static const uint32_t NIL = UINT32_MAX;

void casus_lu_init(struct casus_lu *lu, const struct casus_alloc *a)
{
    memset(lu, 0, sizeof *lu);
    lu->alloc = *a;
}

/* ---- growable arrays ---------------------------------------------- */

/* Grow the index/value array pair (capacity *cap) to hold need entries,
 * keeping the first keep; both or neither are replaced. */
static bool grow_pair(const struct casus_alloc *a, uint32_t **idx, double **val, size_t *cap,
                      size_t need, size_t keep)
{
    if (need <= *cap)
        return true;
    size_t nc = *cap ? *cap : 64;
    while (nc < need)
        nc *= 2;
    uint32_t *ni = casus_mem_alloc(a, sizeof *ni * nc);
    double *nv = val ? casus_mem_alloc(a, sizeof *nv * nc) : NULL;
    if (!ni || (val && !nv)) {
        casus_mem_free(a, ni, sizeof *ni * nc);
        casus_mem_free(a, nv, sizeof *nv * nc);
        return false;
    }
    if (keep) {
        memcpy(ni, *idx, sizeof *ni * keep);
        if (val)
            memcpy(nv, *val, sizeof *nv * keep);
    }
    casus_mem_free(a, *idx, sizeof **idx * *cap);
    *idx = ni;
    if (val) {
        casus_mem_free(a, *val, sizeof **val * *cap);
        *val = nv;
    }
    *cap = nc;
    return true;
}

static void free_dim(struct casus_lu *lu)
{
    const struct casus_alloc *a = &lu->alloc;
    size_t m = lu->cap_n, u = sizeof(uint32_t), d = sizeof(double);
    casus_mem_free(a, lu->prow, u * m);
    casus_mem_free(a, lu->pcol, u * m);
    casus_mem_free(a, lu->udiag, d * m);
    casus_mem_free(a, lu->lp, u * (m + 1));
    casus_mem_free(a, lu->up, u * (m + 1));
    casus_mem_free(a, lu->work, d * m);
    casus_mem_free(a, lu->rb, u * m);
    casus_mem_free(a, lu->rl, u * m);
    casus_mem_free(a, lu->rc, u * m);
    casus_mem_free(a, lu->cb, u * m);
    casus_mem_free(a, lu->cl, u * m);
    casus_mem_free(a, lu->cc, u * m);
    casus_mem_free(a, lu->rhead, u * (m + 1));
    casus_mem_free(a, lu->rnext, u * m);
    casus_mem_free(a, lu->rprev, u * m);
    casus_mem_free(a, lu->rkey, u * m);
    casus_mem_free(a, lu->chead, u * (m + 1));
    casus_mem_free(a, lu->cnext, u * m);
    casus_mem_free(a, lu->cprev, u * m);
    casus_mem_free(a, lu->ckey, u * m);
    casus_mem_free(a, lu->ccnt, u * m);
    casus_mem_free(a, lu->mark, sizeof(int32_t) * m);
    lu->prow = lu->pcol = lu->lp = lu->up = NULL;
    lu->rb = lu->rl = lu->rc = lu->cb = lu->cl = lu->cc = NULL;
    lu->rhead = lu->rnext = lu->rprev = lu->rkey = NULL;
    lu->chead = lu->cnext = lu->cprev = lu->ckey = lu->ccnt = NULL;
    lu->udiag = lu->work = NULL;
    lu->mark = NULL;
    lu->cap_n = 0;
}

void casus_lu_release(struct casus_lu *lu)
{
    const struct casus_alloc *a = &lu->alloc;
    free_dim(lu);
    casus_mem_free(a, lu->li, sizeof *lu->li * lu->lcap);
    casus_mem_free(a, lu->lv, sizeof *lu->lv * lu->lcap);
    casus_mem_free(a, lu->ui, sizeof *lu->ui * lu->ucap);
    casus_mem_free(a, lu->uv, sizeof *lu->uv * lu->ucap);
    casus_mem_free(a, lu->ei, sizeof *lu->ei * lu->ecap);
    casus_mem_free(a, lu->ev, sizeof *lu->ev * lu->ecap);
    casus_mem_free(a, lu->ep, sizeof *lu->ep * (lu->etacap + 1));
    casus_mem_free(a, lu->er, sizeof *lu->er * lu->etacap);
    casus_mem_free(a, lu->ed, sizeof *lu->ed * lu->etacap);
    casus_mem_free(a, lu->rpi, sizeof *lu->rpi * lu->rpool);
    casus_mem_free(a, lu->rpv, sizeof *lu->rpv * lu->rpool);
    casus_mem_free(a, lu->cpi, sizeof *lu->cpi * lu->cpool);
    casus_lu_init(lu, a);
}

/* The per-index arrays for dimension n (kept when large enough). */
static bool alloc_dim(struct casus_lu *lu, uint32_t n)
{
    if (n <= lu->cap_n && lu->prow)
        return true;
    free_dim(lu);
    const struct casus_alloc *a = &lu->alloc;
    size_t m = n ? n : 1, u = sizeof(uint32_t), d = sizeof(double);
    lu->cap_n = (uint32_t)m;
    lu->prow = casus_mem_alloc(a, u * m);
    lu->pcol = casus_mem_alloc(a, u * m);
    lu->udiag = casus_mem_alloc(a, d * m);
    lu->lp = casus_mem_alloc(a, u * (m + 1));
    lu->up = casus_mem_alloc(a, u * (m + 1));
    lu->work = casus_mem_alloc(a, d * m);
    lu->rb = casus_mem_alloc(a, u * m);
    lu->rl = casus_mem_alloc(a, u * m);
    lu->rc = casus_mem_alloc(a, u * m);
    lu->cb = casus_mem_alloc(a, u * m);
    lu->cl = casus_mem_alloc(a, u * m);
    lu->cc = casus_mem_alloc(a, u * m);
    lu->rhead = casus_mem_alloc(a, u * (m + 1));
    lu->rnext = casus_mem_alloc(a, u * m);
    lu->rprev = casus_mem_alloc(a, u * m);
    lu->rkey = casus_mem_alloc(a, u * m);
    lu->chead = casus_mem_alloc(a, u * (m + 1));
    lu->cnext = casus_mem_alloc(a, u * m);
    lu->cprev = casus_mem_alloc(a, u * m);
    lu->ckey = casus_mem_alloc(a, u * m);
    lu->ccnt = casus_mem_alloc(a, u * m);
    lu->mark = casus_mem_alloc(a, sizeof(int32_t) * m);
    if (!lu->prow || !lu->pcol || !lu->udiag || !lu->lp || !lu->up || !lu->work || !lu->rb ||
        !lu->rl || !lu->rc || !lu->cb || !lu->cl || !lu->cc || !lu->rhead || !lu->rnext ||
        !lu->rprev || !lu->rkey || !lu->chead || !lu->cnext || !lu->cprev || !lu->ckey ||
        !lu->ccnt || !lu->mark) {
        free_dim(lu);
        return false;
    }
    return true;
}

/* ---- count buckets -------------------------------------------------- */

static void bucket_put(uint32_t *head, uint32_t *next, uint32_t *prev, uint32_t *key, uint32_t x,
                       uint32_t k)
{
    key[x] = k;
    prev[x] = NIL;
    next[x] = head[k];
    if (head[k] != NIL)
        prev[head[k]] = x;
    head[k] = x;
}

static void bucket_take(uint32_t *head, uint32_t *next, uint32_t *prev, const uint32_t *key,
                        uint32_t x)
{
    if (prev[x] != NIL)
        next[prev[x]] = next[x];
    else
        head[key[x]] = next[x];
    if (next[x] != NIL)
        prev[next[x]] = prev[x];
}

/* ---- pools ---------------------------------------------------------- */

/* Copy the live slices of the row pool into a pool of at least need more
 * free entries. */
static bool row_pool_regrow(struct casus_lu *lu, size_t need)
{
    size_t live = 0;
    for (uint32_t i = 0; i < lu->n; i++)
        live += lu->rc[i];
    size_t cap = 2 * (live + need) + lu->n;
    uint32_t *ni = casus_mem_alloc(&lu->alloc, sizeof *ni * cap);
    double *nv = casus_mem_alloc(&lu->alloc, sizeof *nv * cap);
    if (!ni || !nv) {
        casus_mem_free(&lu->alloc, ni, sizeof *ni * cap);
        casus_mem_free(&lu->alloc, nv, sizeof *nv * cap);
        return false;
    }
    size_t at = 0;
    for (uint32_t i = 0; i < lu->n; i++) {
        memcpy(ni + at, lu->rpi + lu->rb[i], sizeof *ni * lu->rl[i]);
        memcpy(nv + at, lu->rpv + lu->rb[i], sizeof *nv * lu->rl[i]);
        lu->rb[i] = (uint32_t)at;
        at += lu->rc[i];
    }
    casus_mem_free(&lu->alloc, lu->rpi, sizeof *lu->rpi * lu->rpool);
    casus_mem_free(&lu->alloc, lu->rpv, sizeof *lu->rpv * lu->rpool);
    lu->rpi = ni;
    lu->rpv = nv;
    lu->rpool = cap;
    lu->rused = at;
    return true;
}

static bool col_pool_regrow(struct casus_lu *lu, size_t need)
{
    size_t live = 0;
    for (uint32_t j = 0; j < lu->n; j++)
        live += lu->cc[j];
    size_t cap = 2 * (live + need) + lu->n;
    uint32_t *ni = casus_mem_alloc(&lu->alloc, sizeof *ni * cap);
    if (!ni)
        return false;
    size_t at = 0;
    for (uint32_t j = 0; j < lu->n; j++) {
        memcpy(ni + at, lu->cpi + lu->cb[j], sizeof *ni * lu->cl[j]);
        lu->cb[j] = (uint32_t)at;
        at += lu->cc[j];
    }
    casus_mem_free(&lu->alloc, lu->cpi, sizeof *lu->cpi * lu->cpool);
    lu->cpi = ni;
    lu->cpool = cap;
    lu->cused = at;
    return true;
}

/* Room for one more entry in row i (its slice may move). */
static bool row_room(struct casus_lu *lu, uint32_t i)
{
    if (lu->rl[i] < lu->rc[i])
        return true;
    uint32_t cap = 2 * lu->rc[i] + 4;
    if (lu->rused + cap > lu->rpool && !row_pool_regrow(lu, cap))
        return false;
    memmove(lu->rpi + lu->rused, lu->rpi + lu->rb[i], sizeof *lu->rpi * lu->rl[i]);
    memmove(lu->rpv + lu->rused, lu->rpv + lu->rb[i], sizeof *lu->rpv * lu->rl[i]);
    lu->rb[i] = (uint32_t)lu->rused;
    lu->rc[i] = cap;
    lu->rused += cap;
    return true;
}

static bool col_room(struct casus_lu *lu, uint32_t j)
{
    if (lu->cl[j] < lu->cc[j])
        return true;
    uint32_t *p = lu->cpi + lu->cb[j], k = 0;
    for (uint32_t t = 0; t < lu->cl[j]; t++)
        if (lu->rkey[p[t]] != NIL)
            p[k++] = p[t];
    lu->cl[j] = k;
    if (k < lu->cc[j])
        return true;
    uint32_t cap = 2 * lu->cc[j] + 4;
    if (lu->cused + cap > lu->cpool && !col_pool_regrow(lu, cap))
        return false;
    memmove(lu->cpi + lu->cused, lu->cpi + lu->cb[j], sizeof *lu->cpi * lu->cl[j]);
    lu->cb[j] = (uint32_t)lu->cused;
    lu->cc[j] = cap;
    lu->cused += cap;
    return true;
}

/* ---- pivot choice --------------------------------------------------- */

static double row_max(const struct casus_lu *lu, uint32_t i)
{
    double m = 0.0;
    const double *v = lu->rpv + lu->rb[i];
    for (uint32_t t = 0; t < lu->rl[i]; t++)
        if (fabs(v[t]) > m)
            m = fabs(v[t]);
    return m;
}

/* Offset of column j in row i, or -1. */
static int64_t row_find(const struct casus_lu *lu, uint32_t i, uint32_t j)
{
    const uint32_t *c = lu->rpi + lu->rb[i];
    for (uint32_t t = 0; t < lu->rl[i]; t++)
        if (c[t] == j)
            return t;
    return -1;
}

struct pick {
    uint32_t r, c;
    double v;
    uint64_t cost;
};

static void consider(struct pick *p, uint32_t i, uint32_t j, double v, uint64_t cost)
{
    if (cost < p->cost || (cost == p->cost && fabs(v) > fabs(p->v))) {
        p->r = i;
        p->c = j;
        p->v = v;
        p->cost = cost;
    }
}

/* Markowitz search: columns then rows of count 1, 2, ...; stop when no
 * remaining line can beat the best cost, or LU_SEARCH lines after the
 * first candidate.  False when nothing is eligible (singular).  Compacts
 * the patterns it scans. */
static bool lu_pick(struct casus_lu *lu, struct pick *p)
{
    uint32_t n = lu->n, seen = 0;
    p->cost = UINT64_MAX;
    p->v = 0.0;
    for (uint32_t k = 1; k <= n; k++) {
        for (uint32_t j = lu->chead[k]; j != NIL; j = lu->cnext[j]) {
            uint32_t *rows = lu->cpi + lu->cb[j];
            if (lu->cl[j] > 2 * k + 8) { /* drop pivoted rows from the pattern */
                uint32_t len = 0;
                for (uint32_t t = 0; t < lu->cl[j]; t++)
                    if (lu->rkey[rows[t]] != NIL)
                        rows[len++] = rows[t];
                lu->cl[j] = len;
            }
            for (uint32_t t = 0; t < lu->cl[j]; t++) {
                uint32_t i = rows[t];
                if (lu->rkey[i] == NIL)
                    continue; /* a row pivoted already */
                int64_t o = row_find(lu, i, j);
                double v = o >= 0 ? lu->rpv[lu->rb[i] + (uint32_t)o] : 0.0;
                if (fabs(v) >= LU_TINY && fabs(v) >= LU_THRESH * row_max(lu, i))
                    consider(p, i, j, v, (uint64_t)(lu->rl[i] - 1) * (k - 1));
            }
            if (p->cost != UINT64_MAX &&
                (++seen >= LU_SEARCH || p->cost <= (uint64_t)(k - 1) * (k - 1)))
                return true;
        }
        for (uint32_t i = lu->rhead[k]; i != NIL; i = lu->rnext[i]) {
            double lim = LU_THRESH * row_max(lu, i);
            const uint32_t *c = lu->rpi + lu->rb[i];
            const double *v = lu->rpv + lu->rb[i];
            for (uint32_t t = 0; t < lu->rl[i]; t++)
                if (fabs(v[t]) >= LU_TINY && fabs(v[t]) >= lim)
                    consider(p, i, c[t], v[t], (uint64_t)(k - 1) * (lu->ccnt[c[t]] - 1));
            if (p->cost != UINT64_MAX && (++seen >= LU_SEARCH || p->cost <= (uint64_t)k * k))
                return true;
        }
    }
    return p->cost != UINT64_MAX;
}

/* ---- factorisation ---------------------------------------------------- */

/* Load the matrix into the active-submatrix structures. */
static bool lu_load(struct casus_lu *lu, const uint32_t *cp, const uint32_t *ri, const double *v)
{
    uint32_t n = lu->n;
    size_t nnz = cp[n];
    memset(lu->rl, 0, sizeof *lu->rl * n);
    for (size_t e = 0; e < nnz; e++)
        lu->rl[ri[e]]++;
    size_t need = 2 * nnz + 4 * (size_t)n;
    if (need > lu->rpool) {
        uint32_t *ni = casus_mem_alloc(&lu->alloc, sizeof *ni * need);
        double *nv = casus_mem_alloc(&lu->alloc, sizeof *nv * need);
        if (!ni || !nv) {
            casus_mem_free(&lu->alloc, ni, sizeof *ni * need);
            casus_mem_free(&lu->alloc, nv, sizeof *nv * need);
            return false;
        }
        casus_mem_free(&lu->alloc, lu->rpi, sizeof *lu->rpi * lu->rpool);
        casus_mem_free(&lu->alloc, lu->rpv, sizeof *lu->rpv * lu->rpool);
        lu->rpi = ni;
        lu->rpv = nv;
        lu->rpool = need;
    }
    if (need > lu->cpool) {
        uint32_t *ni = casus_mem_alloc(&lu->alloc, sizeof *ni * need);
        if (!ni)
            return false;
        casus_mem_free(&lu->alloc, lu->cpi, sizeof *lu->cpi * lu->cpool);
        lu->cpi = ni;
        lu->cpool = need;
    }
    size_t at = 0;
    for (uint32_t i = 0; i < n; i++) {
        lu->rb[i] = (uint32_t)at;
        lu->rc[i] = lu->rl[i] + 2;
        at += lu->rc[i];
        lu->rl[i] = 0;
    }
    lu->rused = at;
    at = 0;
    for (uint32_t j = 0; j < n; j++) {
        uint32_t len = cp[j + 1] - cp[j];
        lu->cb[j] = (uint32_t)at;
        lu->cc[j] = len + 2;
        lu->cl[j] = len;
        lu->ccnt[j] = len;
        at += lu->cc[j];
        for (uint32_t e = cp[j]; e < cp[j + 1]; e++) {
            uint32_t i = ri[e];
            lu->cpi[lu->cb[j] + e - cp[j]] = i;
            lu->rpi[lu->rb[i] + lu->rl[i]] = j;
            lu->rpv[lu->rb[i] + lu->rl[i]] = v[e];
            lu->rl[i]++;
        }
    }
    lu->cused = at;
    for (uint32_t k = 0; k <= n; k++)
        lu->rhead[k] = lu->chead[k] = NIL;
    for (uint32_t x = n; x-- > 0;) {
        bucket_put(lu->rhead, lu->rnext, lu->rprev, lu->rkey, x, lu->rl[x]);
        bucket_put(lu->chead, lu->cnext, lu->cprev, lu->ckey, x, lu->ccnt[x]);
        lu->mark[x] = -1;
    }
    return true;
}

/* Eliminate with pivot p at step k: the pivot row becomes U's row k, the
 * pivot column L's column k, and every other row of the pivot column is
 * updated (with fill-in). */
static bool lu_eliminate(struct casus_lu *lu, uint32_t k, const struct pick *p)
{
    uint32_t pr = p->r, pc = p->c;
    bucket_take(lu->rhead, lu->rnext, lu->rprev, lu->rkey, pr);
    bucket_take(lu->chead, lu->cnext, lu->cprev, lu->ckey, pc);
    lu->rkey[pr] = NIL; /* dead: column patterns skip it from now on */
    lu->prow[k] = pr;
    lu->pcol[k] = pc;
    lu->udiag[k] = p->v;
    /* U row k */
    uint32_t u0 = lu->up[k], rl = lu->rl[pr];
    if (!grow_pair(&lu->alloc, &lu->ui, &lu->uv, &lu->ucap, (size_t)u0 + rl, u0))
        return false;
    uint32_t u1 = u0;
    for (uint32_t t = 0; t < rl; t++) {
        uint32_t j = lu->rpi[lu->rb[pr] + t];
        if (j == pc)
            continue;
        lu->ui[u1] = j;
        lu->uv[u1++] = lu->rpv[lu->rb[pr] + t];
        bucket_take(lu->chead, lu->cnext, lu->cprev, lu->ckey, j);
        lu->ccnt[j]--;
    }
    lu->up[k + 1] = u1;
    lu->rl[pr] = 0;
    /* L column k and the updates */
    uint32_t l0 = lu->lp[k];
    if (!grow_pair(&lu->alloc, &lu->li, &lu->lv, &lu->lcap, (size_t)l0 + lu->cl[pc], l0))
        return false;
    uint32_t l1 = l0;
    for (uint32_t t = 0; t < lu->cl[pc]; t++) {
        uint32_t i = lu->cpi[lu->cb[pc] + t];
        if (lu->rkey[i] == NIL)
            continue;
        int64_t o = row_find(lu, i, pc);
        double a = o >= 0 ? lu->rpv[lu->rb[i] + (uint32_t)o] : 0.0;
        if (o >= 0) { /* swap-remove the pivot column's entry */
            uint32_t last = --lu->rl[i];
            lu->rpi[lu->rb[i] + (uint32_t)o] = lu->rpi[lu->rb[i] + last];
            lu->rpv[lu->rb[i] + (uint32_t)o] = lu->rpv[lu->rb[i] + last];
        }
        bucket_take(lu->rhead, lu->rnext, lu->rprev, lu->rkey, i);
        double l = a / p->v;
        lu->li[l1] = i;
        lu->lv[l1++] = l;
        for (uint32_t s = 0; s < lu->rl[i]; s++)
            lu->mark[lu->rpi[lu->rb[i] + s]] = (int32_t)s;
        for (uint32_t e = u0; e < u1 && l != 0.0; e++) {
            uint32_t j = lu->ui[e];
            int32_t at = lu->mark[j];
            if (at >= 0) {
                lu->rpv[lu->rb[i] + (uint32_t)at] -= l * lu->uv[e];
                continue;
            }
            if (!row_room(lu, i) || !col_room(lu, j))
                return false;
            uint32_t s = lu->rl[i]++;
            lu->rpi[lu->rb[i] + s] = j;
            lu->rpv[lu->rb[i] + s] = -l * lu->uv[e];
            lu->mark[j] = (int32_t)s;
            lu->cpi[lu->cb[j] + lu->cl[j]++] = i;
            lu->ccnt[j]++;
        }
        for (uint32_t s = 0; s < lu->rl[i]; s++)
            lu->mark[lu->rpi[lu->rb[i] + s]] = -1;
        bucket_put(lu->rhead, lu->rnext, lu->rprev, lu->rkey, i, lu->rl[i]);
    }
    lu->lp[k + 1] = l1;
    lu->cl[pc] = 0;
    for (uint32_t e = u0; e < u1; e++) {
        uint32_t j = lu->ui[e];
        bucket_put(lu->chead, lu->cnext, lu->cprev, lu->ckey, j, lu->ccnt[j]);
    }
    return true;
}

casus_status casus_lu_factor(struct casus_lu *lu, uint32_t n, const uint32_t *cp,
                             const uint32_t *ri, const double *v)
{
    lu->neta = 0;
    lu->n = 0;
    if (!alloc_dim(lu, n))
        return CASUS_ENOMEM;
    lu->n = n;
    casus_status st = lu_load(lu, cp, ri, v) ? CASUS_OK : CASUS_ENOMEM;
    lu->lp[0] = lu->up[0] = 0;
    for (uint32_t k = 0; k < n && st == CASUS_OK; k++) {
        struct pick p;
        if (!lu_pick(lu, &p))
            st = CASUS_ESTATE;
        else if (!lu_eliminate(lu, k, &p))
            st = CASUS_ENOMEM;
    }
    if (st != CASUS_OK)
        lu->n = 0; /* the solves do nothing until the next factorisation */
    return st;
}

/* ---- solves and updates --------------------------------------------- */

void casus_lu_ftran(struct casus_lu *lu, double *x)
{
    uint32_t n = lu->n;
    double *w = lu->work;
    for (uint32_t k = 0; k < n; k++) {
        double xr = x[lu->prow[k]];
        if (xr != 0.0)
            for (uint32_t e = lu->lp[k]; e < lu->lp[k + 1]; e++)
                x[lu->li[e]] -= lu->lv[e] * xr;
    }
    for (uint32_t k = n; k-- > 0;) {
        double s = x[lu->prow[k]];
        for (uint32_t e = lu->up[k]; e < lu->up[k + 1]; e++)
            s -= lu->uv[e] * w[lu->ui[e]];
        w[lu->pcol[k]] = s / lu->udiag[k];
    }
    memcpy(x, w, sizeof *x * n);
    for (uint32_t t = 0; t < lu->neta; t++) {
        uint32_t r = lu->er[t];
        double xr = x[r] / lu->ed[t];
        x[r] = xr;
        if (xr != 0.0)
            for (uint32_t e = lu->ep[t]; e < lu->ep[t + 1]; e++)
                x[lu->ei[e]] -= lu->ev[e] * xr;
    }
}

void casus_lu_btran(struct casus_lu *lu, double *y)
{
    uint32_t n = lu->n;
    double *w = lu->work;
    for (uint32_t t = lu->neta; t-- > 0;) {
        uint32_t r = lu->er[t];
        double s = y[r];
        for (uint32_t e = lu->ep[t]; e < lu->ep[t + 1]; e++)
            s -= lu->ev[e] * y[lu->ei[e]];
        y[r] = s / lu->ed[t];
    }
    for (uint32_t k = 0; k < n; k++) {
        double z = y[lu->pcol[k]] / lu->udiag[k];
        w[lu->prow[k]] = z;
        if (z != 0.0)
            for (uint32_t e = lu->up[k]; e < lu->up[k + 1]; e++)
                y[lu->ui[e]] -= lu->uv[e] * z;
    }
    for (uint32_t k = n; k-- > 0;) {
        double s = 0.0;
        for (uint32_t e = lu->lp[k]; e < lu->lp[k + 1]; e++)
            s += lu->lv[e] * w[lu->li[e]];
        w[lu->prow[k]] -= s;
    }
    memcpy(y, w, sizeof *y * n);
}

casus_status casus_lu_update(struct casus_lu *lu, uint32_t r, const double *alpha)
{
    uint32_t n = lu->n, t = lu->neta;
    if (t + 1 > lu->etacap) {
        uint32_t cap = lu->etacap ? 2 * lu->etacap : 64;
        uint32_t *ep = casus_mem_alloc(&lu->alloc, sizeof *ep * (cap + 1));
        uint32_t *er = casus_mem_alloc(&lu->alloc, sizeof *er * cap);
        double *ed = casus_mem_alloc(&lu->alloc, sizeof *ed * cap);
        if (!ep || !er || !ed) {
            casus_mem_free(&lu->alloc, ep, sizeof *ep * (cap + 1));
            casus_mem_free(&lu->alloc, er, sizeof *er * cap);
            casus_mem_free(&lu->alloc, ed, sizeof *ed * cap);
            return CASUS_ENOMEM;
        }
        if (lu->etacap) {
            memcpy(ep, lu->ep, sizeof *ep * (lu->etacap + 1));
            memcpy(er, lu->er, sizeof *er * lu->etacap);
            memcpy(ed, lu->ed, sizeof *ed * lu->etacap);
        }
        casus_mem_free(&lu->alloc, lu->ep, sizeof *ep * (lu->etacap + 1));
        casus_mem_free(&lu->alloc, lu->er, sizeof *er * lu->etacap);
        casus_mem_free(&lu->alloc, lu->ed, sizeof *ed * lu->etacap);
        lu->ep = ep;
        lu->er = er;
        lu->ed = ed;
        lu->etacap = cap;
    }
    if (t == 0)
        lu->ep[0] = 0;
    size_t at = lu->ep[t], nz = 0;
    for (uint32_t i = 0; i < n; i++)
        nz += i != r && alpha[i] != 0.0;
    if (!grow_pair(&lu->alloc, &lu->ei, &lu->ev, &lu->ecap, at + nz, at))
        return CASUS_ENOMEM;
    for (uint32_t i = 0; i < n; i++)
        if (i != r && alpha[i] != 0.0) {
            lu->ei[at] = i;
            lu->ev[at++] = alpha[i];
        }
    lu->er[t] = r;
    lu->ed[t] = alpha[r];
    lu->ep[t + 1] = (uint32_t)at;
    lu->neta = t + 1;
    return CASUS_OK;
}

size_t casus_lu_nnz(const struct casus_lu *lu)
{
    return lu->n ? (size_t)lu->lp[lu->n] + lu->up[lu->n] + lu->n : 0;
}

size_t casus_lu_eta_nnz(const struct casus_lu *lu)
{
    return lu->neta ? lu->ep[lu->neta] + lu->neta : 0;
}
