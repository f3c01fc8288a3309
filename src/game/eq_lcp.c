/*
 * eq_lcp.c — Lemke on the sequence form and Lemke–Howson on bimatrix games,
 * pivoted in doubles and certified in exact rationals (see eq_lcp.h).
 *
 * Layout of the file, in pipeline order:
 *   1. exact numbers: struct casus_num -> mpq, canonical strings;
 *   2. a sparse exact linear solver (Markowitz-ordered Gaussian elimination
 *      over mpq) that re-solves a float basis exactly;
 *   3. the dense dictionary and its pivots: Lemke with covering vector 1,
 *      Lemke–Howson paths, lexicographic minimum-ratio test; 3b. the
 *      revised method for large sequence forms: Lemke on a sparse LU of
 *      the basis (lu_sparse.c), symbolic perturbation, btran for ties;
 *   4. the sequence form of a (truncated) subgame, its exact re-solve, and
 *      the exact regret check on the game tree;
 *   5. the two drivers: casus_eq_lcp (.efg, optionally subgame by subgame)
 *      and casus_eq_lcp_nfg (all Lemke–Howson paths from the artificial
 *      equilibrium, depth first like Gambit's).
 *
 * LCP conventions: w = q + M z + d z0, w, z >= 0, w'z = 0, in dictionary form
 * (basic = rhs + T * nonbasic).  Variables are numbered w_i = i, z_i = n + i,
 * z0 = 2n; the complement of w_i is z_i.
 */
#include "game/eq_lcp.h"

#include <gmp.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

/* ------------------------------------------------------------------ */
/* 1. Exact numbers                                                    */

/* Parse Gambit's decimal spelling ([-]d*[.d*][e[-]d+]) or a/b into q.
 * False when the text is not one of those (then the caller falls back). */
static bool parse_exact(mpq_t q, const char *s)
{
    if (strchr(s, '/')) {
        if (mpq_set_str(q, s, 10) != 0 || mpz_sgn(mpq_denref(q)) == 0)
            return false;
        mpq_canonicalize(q);
        return true;
    }
    bool neg = false;
    if (*s == '-' || *s == '+')
        neg = *s++ == '-';
    mpz_t m;
    mpz_init(m);
    long frac = 0, ex = 0;
    bool any = false, dot = false;
    for (; *s; s++) {
        if (*s >= '0' && *s <= '9') {
            mpz_mul_ui(m, m, 10);
            mpz_add_ui(m, m, (unsigned long)(*s - '0'));
            any = true;
            if (dot)
                frac++;
        } else if (*s == '.' && !dot) {
            dot = true;
        } else {
            break;
        }
    }
    bool ok = any;
    if (ok && (*s == 'e' || *s == 'E')) {
        s++;
        bool eneg = false;
        if (*s == '-' || *s == '+')
            eneg = *s++ == '-';
        if (!(*s >= '0' && *s <= '9'))
            ok = false;
        for (; ok && *s >= '0' && *s <= '9'; s++) {
            ex = ex * 10 + (*s - '0');
            if (ex > 100000)
                ok = false;
        }
        if (eneg)
            ex = -ex;
    }
    if (ok && *s != '\0')
        ok = false;
    if (ok) {
        long e10 = ex - frac;
        mpz_t p;
        mpz_init(p);
        mpz_ui_pow_ui(p, 10, (unsigned long)(e10 < 0 ? -e10 : e10));
        mpq_set_z(q, m);
        if (e10 >= 0) {
            mpz_mul(mpq_numref(q), mpq_numref(q), p);
        } else {
            mpz_set(mpq_denref(q), p);
            mpq_canonicalize(q);
        }
        if (neg)
            mpq_neg(q, q);
        mpz_clear(p);
    }
    mpz_clear(m);
    return ok;
}

static void num_to_mpq(mpq_t q, const struct casus_num *n)
{
    if (n->den > 0) {
        mpz_set_si(mpq_numref(q), (long)n->num);
        mpz_set_si(mpq_denref(q), (long)n->den);
        mpq_canonicalize(q);
        return;
    }
    if (n->text && parse_exact(q, n->text))
        return;
    if (isfinite(n->d))
        mpq_set_d(q, n->d);
    else
        mpq_set_ui(q, 0, 1);
}

/* q as Gambit prints it ("0", "-3", "2/7"), in the arena. */
static const char *mpq_text(struct casus_arena *ar, const mpq_t q)
{
    size_t cap = mpz_sizeinbase(mpq_numref(q), 10) + mpz_sizeinbase(mpq_denref(q), 10) + 4;
    char *buf = casus_arena_alloc(ar, cap);
    if (!buf)
        return NULL;
    mpz_get_str(buf, 10, mpq_numref(q));
    if (mpz_cmp_ui(mpq_denref(q), 1) != 0) {
        size_t k = strlen(buf);
        buf[k] = '/';
        mpz_get_str(buf + k + 1, 10, mpq_denref(q));
    }
    return buf;
}

/* An array of n initialised rationals (through the engine allocator; the
 * limbs through GMP's). */
static mpq_t *mpq_array(const struct casus_alloc *a, size_t n)
{
    mpq_t *v = casus_mem_alloc(a, sizeof *v * (n ? n : 1));
    if (v)
        for (size_t i = 0; i < n; i++)
            mpq_init(v[i]);
    return v;
}

static void mpq_array_free(const struct casus_alloc *a, mpq_t *v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        mpq_clear(v[i]);
    casus_mem_free(a, v, sizeof *v * (n ? n : 1));
}

/* ------------------------------------------------------------------ */
/* 2. Sparse exact linear systems                                      */

struct xrow {
    uint32_t n, cap; /* entries, capacity */
    uint32_t *col;   /* sorted column indices */
    mpq_t *val;      /* nonzero values */
    mpq_t rhs;
    bool done; /* already used as a pivot row */
};

struct xsys {
    const struct casus_alloc *a;
    uint32_t k;       /* equations = unknowns */
    struct xrow *row; /* k rows */
    uint32_t *colcnt; /* active rows holding each column */
    uint32_t *prow;   /* pivot order: row ... */
    uint32_t *pcol;   /* ... and its column */
    mpq_t *sol;       /* k unknowns */
    mpq_t t;          /* scratch */
};

static void xsys_release(struct xsys *s)
{
    if (s->row) {
        for (uint32_t i = 0; i < s->k; i++) {
            struct xrow *r = &s->row[i];
            for (uint32_t j = 0; j < r->n; j++)
                mpq_clear(r->val[j]);
            mpq_clear(r->rhs);
            if (r->cap) {
                casus_mem_free(s->a, r->col, sizeof *r->col * r->cap);
                casus_mem_free(s->a, r->val, sizeof *r->val * r->cap);
            }
        }
        casus_mem_free(s->a, s->row, sizeof *s->row * s->k);
    }
    casus_mem_free(s->a, s->colcnt, sizeof *s->colcnt * s->k);
    casus_mem_free(s->a, s->prow, sizeof *s->prow * s->k);
    casus_mem_free(s->a, s->pcol, sizeof *s->pcol * s->k);
    mpq_array_free(s->a, s->sol, s->k);
    mpq_clear(s->t);
    memset(s, 0, sizeof *s);
}

static bool xsys_init(struct xsys *s, const struct casus_alloc *a, uint32_t k)
{
    memset(s, 0, sizeof *s);
    s->a = a;
    s->k = k;
    mpq_init(s->t);
    s->row = casus_mem_alloc(a, sizeof *s->row * k);
    s->colcnt = casus_mem_alloc(a, sizeof *s->colcnt * k);
    s->prow = casus_mem_alloc(a, sizeof *s->prow * k);
    s->pcol = casus_mem_alloc(a, sizeof *s->pcol * k);
    s->sol = mpq_array(a, k);
    if (!s->row || !s->colcnt || !s->prow || !s->pcol || !s->sol) {
        if (s->row)
            memset(s->row, 0, sizeof *s->row * k);
        xsys_release(s);
        return false;
    }
    memset(s->row, 0, sizeof *s->row * k);
    for (uint32_t i = 0; i < k; i++)
        mpq_init(s->row[i].rhs);
    memset(s->colcnt, 0, sizeof *s->colcnt * k);
    return true;
}

static bool xrow_reserve(const struct casus_alloc *a, struct xrow *r, uint32_t need)
{
    if (need <= r->cap)
        return true;
    uint32_t cap = r->cap ? r->cap * 2 : 4;
    while (cap < need)
        cap *= 2;
    uint32_t *col = casus_mem_alloc(a, sizeof *col * cap);
    mpq_t *val = casus_mem_alloc(a, sizeof *val * cap);
    if (!col || !val) {
        casus_mem_free(a, col, sizeof *col * cap);
        casus_mem_free(a, val, sizeof *val * cap);
        return false;
    }
    if (r->n) {
        memcpy(col, r->col, sizeof *col * r->n);
        memcpy(val, r->val, sizeof *val * r->n); /* moves the mpq structs */
    }
    if (r->cap) {
        casus_mem_free(a, r->col, sizeof *r->col * r->cap);
        casus_mem_free(a, r->val, sizeof *r->val * r->cap);
    }
    r->col = col;
    r->val = val;
    r->cap = cap;
    return true;
}

/* Append v at column c of row i; columns must come in increasing order. */
static bool xsys_push(struct xsys *s, uint32_t i, uint32_t c, const mpq_t v)
{
    struct xrow *r = &s->row[i];
    if (mpq_sgn(v) == 0)
        return true;
    if (r->n && r->col[r->n - 1] == c) {
        mpq_add(r->val[r->n - 1], r->val[r->n - 1], v);
        return true;
    }
    if (!xrow_reserve(s->a, r, r->n + 1))
        return false;
    r->col[r->n] = c;
    mpq_init(r->val[r->n]);
    mpq_set(r->val[r->n], v);
    r->n++;
    return true;
}

static int32_t xrow_find(const struct xrow *r, uint32_t c)
{
    uint32_t lo = 0, hi = r->n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (r->col[mid] < c)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < r->n && r->col[lo] == c ? (int32_t)lo : -1;
}

/* row i -= f * row p, dropping column c (which cancels exactly). */
static bool xrow_axpy(struct xsys *s, struct xrow *ri, const struct xrow *rp, uint32_t c,
                      const mpq_t f)
{
    uint32_t cap = ri->n + rp->n;
    uint32_t *col = casus_mem_alloc(s->a, sizeof *col * cap);
    mpq_t *val = casus_mem_alloc(s->a, sizeof *val * cap);
    if (!col || !val) {
        casus_mem_free(s->a, col, sizeof *col * cap);
        casus_mem_free(s->a, val, sizeof *val * cap);
        return false;
    }
    uint32_t a = 0, b = 0, n = 0;
    while (a < ri->n || b < rp->n) {
        uint32_t ca = a < ri->n ? ri->col[a] : UINT32_MAX;
        uint32_t cb = b < rp->n ? rp->col[b] : UINT32_MAX;
        if (ca < cb) {
            col[n] = ca;
            memcpy(&val[n], &ri->val[a], sizeof val[n]);
            n++, a++;
            continue;
        }
        if (cb < ca) {
            if (cb != c) {
                col[n] = cb;
                mpq_init(val[n]);
                mpq_mul(val[n], f, rp->val[b]);
                mpq_neg(val[n], val[n]);
                n++;
                s->colcnt[cb]++;
            }
            b++;
            continue;
        }
        /* same column */
        if (ca == c) {
            mpq_clear(ri->val[a]);
            s->colcnt[ca]--;
        } else {
            mpq_mul(s->t, f, rp->val[b]);
            mpq_sub(ri->val[a], ri->val[a], s->t);
            if (mpq_sgn(ri->val[a]) == 0) {
                mpq_clear(ri->val[a]);
                s->colcnt[ca]--;
            } else {
                col[n] = ca;
                memcpy(&val[n], &ri->val[a], sizeof val[n]);
                n++;
            }
        }
        a++, b++;
    }
    mpq_mul(s->t, f, rp->rhs);
    mpq_sub(ri->rhs, ri->rhs, s->t);
    if (ri->cap) {
        casus_mem_free(s->a, ri->col, sizeof *ri->col * ri->cap);
        casus_mem_free(s->a, ri->val, sizeof *ri->val * ri->cap);
    }
    ri->col = col;
    ri->val = val;
    ri->n = n;
    ri->cap = cap;
    return true;
}

/* Solve the square system; false if it is singular (or out of memory,
 * *nomem set).  Pivots: the sparsest remaining row, and in it the column
 * held by the fewest remaining rows (Markowitz), ties by index. */
static bool xsys_solve(struct xsys *s, bool *nomem)
{
    uint32_t k = s->k;
    *nomem = false;
    for (uint32_t i = 0; i < k; i++)
        for (uint32_t j = 0; j < s->row[i].n; j++)
            s->colcnt[s->row[i].col[j]]++;
    mpq_t f;
    mpq_init(f);
    bool ok = true;
    for (uint32_t step = 0; step < k && ok; step++) {
        uint32_t best = UINT32_MAX;
        for (uint32_t i = 0; i < k; i++)
            if (!s->row[i].done && (best == UINT32_MAX || s->row[i].n < s->row[best].n))
                best = i;
        struct xrow *rp = &s->row[best];
        if (rp->n == 0) {
            ok = false;
            break;
        }
        uint32_t pc = rp->col[0];
        for (uint32_t j = 1; j < rp->n; j++)
            if (s->colcnt[rp->col[j]] < s->colcnt[pc])
                pc = rp->col[j];
        rp->done = true;
        for (uint32_t j = 0; j < rp->n; j++)
            s->colcnt[rp->col[j]]--;
        s->prow[step] = best;
        s->pcol[step] = pc;
        int32_t pj = xrow_find(rp, pc);
        for (uint32_t i = 0; i < k && ok; i++) {
            struct xrow *ri = &s->row[i];
            if (ri->done || s->colcnt[pc] == 0)
                continue;
            int32_t ij = xrow_find(ri, pc);
            if (ij < 0)
                continue;
            mpq_div(f, ri->val[ij], rp->val[pj]);
            if (!xrow_axpy(s, ri, rp, pc, f)) {
                *nomem = true;
                ok = false;
            }
        }
    }
    for (uint32_t step = k; ok && step-- > 0;) {
        const struct xrow *r = &s->row[s->prow[step]];
        uint32_t pc = s->pcol[step];
        mpq_set(f, r->rhs);
        mpq_srcptr piv = NULL;
        for (uint32_t j = 0; j < r->n; j++) {
            if (r->col[j] == pc) {
                piv = r->val[j];
                continue;
            }
            mpq_mul(s->t, r->val[j], s->sol[r->col[j]]);
            mpq_sub(f, f, s->t);
        }
        mpq_div(s->sol[pc], f, piv);
    }
    mpq_clear(f);
    return ok;
}

/* ------------------------------------------------------------------ */
/* 3. The dictionary                                                   */

struct tab {
    uint32_t n;     /* rows = complementary pairs */
    uint32_t nc;    /* columns = n + 1 (the last is z0's slot) */
    double *t;      /* n * nc coefficients */
    double *rhs;    /* n */
    uint32_t *bas;  /* n: variable basic in each row */
    uint32_t *nb;   /* nc: variable nonbasic in each column */
    uint32_t *pos;  /* 2n + 1: row or column of each variable */
    uint8_t *isbas; /* 2n + 1 */
    uint32_t *cand; /* n scratch: candidate rows */
    uint32_t *nzc;  /* nc scratch: nonzero columns of the pivot row */
    double *key;    /* n scratch */
};

enum { PIV_OK, PIV_LIMIT, PIV_RAY };

static const double PIV_EPS = 1e-9;   /* smallest usable pivot magnitude */
static const double TIE_EPS = 1e-9;   /* relative tolerance of ratio ties */
static const double SNAP_EPS = 1e-11; /* results this small are rounding noise */

/* Bytes of the per-dimension arrays of a dictionary of dimension n. */
static size_t tab_side_bytes(uint32_t n)
{
    return sizeof(double) * n * 2 + sizeof(uint32_t) * ((size_t)n * 3 + 2 + (2 * (size_t)n + 1)) +
           (2 * (size_t)n + 1) + 64;
}

/* Carve a dictionary for dimension n out of the workspace (coefficients)
 * and the arena (the rest).  Starts at the basis w. */
static bool tab_init(struct tab *T, struct casus_lcp_ws *ws, struct casus_arena *ar, uint32_t n)
{
    size_t need = (size_t)n * (n + 1);
    if (need > ws->tab_cap) {
        casus_mem_free(&ws->alloc, ws->tab, sizeof *ws->tab * ws->tab_cap);
        ws->tab_cap = 0;
        ws->tab = casus_mem_alloc(&ws->alloc, sizeof *ws->tab * need);
        if (!ws->tab)
            return false;
        ws->tab_cap = need;
    }
    T->n = n;
    T->nc = n + 1;
    T->t = ws->tab;
    memset(T->t, 0, sizeof *T->t * need);
    T->rhs = casus_arena_alloc(ar, sizeof *T->rhs * n);
    T->bas = casus_arena_alloc(ar, sizeof *T->bas * n);
    T->nb = casus_arena_alloc(ar, sizeof *T->nb * (n + 1));
    T->pos = casus_arena_alloc(ar, sizeof *T->pos * (2 * (size_t)n + 1));
    T->isbas = casus_arena_alloc(ar, 2 * (size_t)n + 1);
    T->cand = casus_arena_alloc(ar, sizeof *T->cand * n);
    T->nzc = casus_arena_alloc(ar, sizeof *T->nzc * (n + 1));
    T->key = casus_arena_alloc(ar, sizeof *T->key * n);
    if (!T->rhs || !T->bas || !T->nb || !T->pos || !T->isbas || !T->cand || !T->nzc || !T->key)
        return false;
    for (uint32_t i = 0; i < n; i++) {
        T->bas[i] = i;
        T->pos[i] = i;
        T->isbas[i] = 1;
        T->nb[i] = n + i;
        T->pos[n + i] = i;
    }
    T->nb[n] = 2 * n;
    T->pos[2 * n] = n;
    return true;
}

/* (B^-1)_{ij}: -T at w_j's column when w_j is nonbasic, a unit vector
 * entry when it is basic. */
static double tab_binv(const struct tab *T, uint32_t i, uint32_t j)
{
    if (T->isbas[j])
        return T->pos[j] == i ? 1.0 : 0.0;
    return -T->t[(size_t)i * T->nc + T->pos[j]];
}

/* Lexicographic minimum-ratio test for the variable in column s: among rows
 * with den_i = sgn * T_is > eps, the lexicographic minimum of
 * (rhs_i, B^-1 row i) / den_i.  sgn = +1 for z0's first step, -1 else.
 * Returns the row or -1 (ray). */
static int64_t tab_ratio(struct tab *T, uint32_t s, double sgn)
{
    uint32_t nc = T->nc, m = 0;
    double best = HUGE_VAL;
    for (uint32_t i = 0; i < T->n; i++) {
        double den = sgn * T->t[(size_t)i * nc + s];
        if (den > PIV_EPS) {
            double k = T->rhs[i] / den;
            T->cand[m] = i;
            T->key[m++] = k;
            if (k < best)
                best = k;
        }
    }
    if (m == 0)
        return -1;
    /* keep the ties, then break them column by column of B^-1 */
    for (int32_t j = -1; m > 1 && j < (int32_t)T->n; j++) {
        if (j >= 0) {
            best = HUGE_VAL;
            for (uint32_t c = 0; c < m; c++) {
                uint32_t i = T->cand[c];
                double den = sgn * T->t[(size_t)i * nc + s];
                T->key[c] = tab_binv(T, i, (uint32_t)j) / den;
                if (T->key[c] < best)
                    best = T->key[c];
            }
        }
        double tol = TIE_EPS * (fabs(best) > 1.0 ? fabs(best) : 1.0);
        uint32_t k = 0;
        for (uint32_t c = 0; c < m; c++)
            if (T->key[c] <= best + tol) {
                T->cand[k] = T->cand[c];
                T->key[k++] = T->key[c];
            }
        m = k;
    }
    return T->cand[0];
}

/* Exchange the basic variable of row r with the nonbasic one of column s. */
static void tab_pivot(struct tab *T, uint32_t r, uint32_t s)
{
    uint32_t nc = T->nc, n = T->n;
    double *tr = T->t + (size_t)r * nc;
    double piv = tr[s];
    double rr = -T->rhs[r] / piv;
    uint32_t nz = 0;
    for (uint32_t j = 0; j < nc; j++) {
        if (j == s)
            continue;
        if (tr[j] != 0.0) {
            tr[j] = -tr[j] / piv;
            T->nzc[nz++] = j;
        }
    }
    tr[s] = 1.0 / piv;
    T->rhs[r] = rr;
    for (uint32_t i = 0; i < n; i++) {
        if (i == r)
            continue;
        double *ti = T->t + (size_t)i * nc;
        double f = ti[s];
        if (f == 0.0)
            continue;
        T->rhs[i] += f * rr;
        if (fabs(T->rhs[i]) < SNAP_EPS)
            T->rhs[i] = 0.0;
        for (uint32_t k = 0; k < nz; k++) {
            uint32_t j = T->nzc[k];
            ti[j] += f * tr[j];
            if (fabs(ti[j]) < SNAP_EPS)
                ti[j] = 0.0;
        }
        ti[s] = f * tr[s];
    }
    uint32_t in = T->nb[s], out = T->bas[r];
    T->bas[r] = in;
    T->pos[in] = r;
    T->isbas[in] = 1;
    T->nb[s] = out;
    T->pos[out] = s;
    T->isbas[out] = 0;
}

static uint32_t complement(uint32_t v, uint32_t n)
{
    return v < n ? v + n : v - n;
}

/* Lemke's algorithm with covering vector 1 (column n must hold it). */
static int tab_lemke(struct tab *T, uint64_t maxpiv, uint64_t *npiv)
{
    uint32_t n = T->n;
    int64_t r = tab_ratio(T, n, 1.0);
    uint32_t enter = 2 * n;
    if (r < 0)
        return PIV_RAY;
    for (;;) {
        uint32_t leave = T->bas[r];
        tab_pivot(T, (uint32_t)r, T->pos[enter]);
        ++*npiv;
        if (leave == 2 * n)
            return PIV_OK;
        if (*npiv >= maxpiv)
            return PIV_LIMIT;
        enter = complement(leave, n);
        r = tab_ratio(T, T->pos[enter], -1.0);
        if (r < 0)
            return PIV_RAY;
    }
}

/* A Lemke–Howson path from a complementary basis, dropping label k. */
static int tab_lh(struct tab *T, uint32_t k, uint64_t maxpiv, uint64_t *npiv)
{
    uint32_t n = T->n;
    uint32_t enter = T->isbas[k] ? n + k : k;
    uint64_t steps = 0;
    for (;;) {
        int64_t r = tab_ratio(T, T->pos[enter], -1.0);
        if (r < 0)
            return PIV_RAY;
        uint32_t leave = T->bas[r];
        tab_pivot(T, (uint32_t)r, T->pos[enter]);
        ++*npiv;
        if (leave == k || leave == n + k)
            return PIV_OK;
        if (++steps >= maxpiv)
            return PIV_LIMIT;
        enter = complement(leave, n);
    }
}

static double tab_z(const struct tab *T, uint32_t j)
{
    uint32_t v = T->n + j;
    return T->isbas[v] ? T->rhs[T->pos[v]] : 0.0;
}

/* ------------------------------------------------------------------ */
/* Sparse M, in doubles and exactly                                    */

/* One contribution to M: kind 0 = the constant val, kind 1/2 = a leaf's
 * cost to player 1/2 (ref = node; the exact value is in the context). */
struct trip {
    uint32_t row, col;
    uint32_t ref;
    uint8_t kind;
    double val;
};

static int trip_cmp(const void *a, const void *b)
{
    const struct trip *x = a, *y = b;
    if (x->row != y->row)
        return x->row < y->row ? -1 : 1;
    if (x->col != y->col)
        return x->col < y->col ? -1 : 1;
    if (x->ref != y->ref)
        return x->ref < y->ref ? -1 : 1;
    return (int)x->kind - (int)y->kind;
}

/* A compressed exact M: rows [rp[i], rp[i+1]) of (col, val). */
struct xmat {
    uint32_t n, nnz;
    uint32_t *rp, *col;
    mpq_t *val;
    mpq_t *q; /* n: the exact q */
};

struct lcp_common {
    const struct casus_alloc *alloc;
    struct casus_lcp_ws *ws;
    const struct casus_lcp_opts *o;
    struct casus_diags *d;
    struct casus_lcp_result *res;
    struct casus_arena ar; /* scratch for one call */
};

static casus_status fail(struct lcp_common *c, enum casus_lcp_outcome oc, casus_status st,
                         const char *code, const char *msg)
{
    c->res->outcome = oc;
    if (c->d) {
        struct casus_diag *g = casus_diag_add(c->d, CASUS_SEV_ERROR, NULL, code, "%s", msg);
        if (oc == CASUS_LCP_TOO_LARGE)
            casus_diag_note(c->d, g,
                            "raise the limit (max_dim; max_dense_dim for the 8 n^2-byte "
                            "dense dictionary of a table), or use logit, which is linear "
                            "in the tree");
    }
    return st;
}

/* fail() with a printf-style message (formatted into a bounded buffer). */
static casus_status failf(struct lcp_common *c, enum casus_lcp_outcome oc, casus_status st,
                          const char *code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static casus_status failf(struct lcp_common *c, enum casus_lcp_outcome oc, casus_status st,
                          const char *code, const char *fmt, ...)
{
    char msg[320];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return fail(c, oc, st, code, msg);
}

/* Re-solve the final basis exactly: unknowns are the basic z_j, equations
 * the rows whose w_i is nonbasic (w_i = 0).  z (n rationals) receives the
 * solution; then z >= 0 and w = q + M z >= 0 are checked.  Returns
 * CASUS_OK, CASUS_ESTATE (singular or infeasible) or CASUS_ENOMEM. */
static casus_status exact_resolve(const struct casus_alloc *a, uint32_t n, const uint8_t *isbas,
                                  const struct xmat *M, mpq_t *z)
{
    uint32_t k = 0;
    uint32_t *unk = casus_mem_alloc(a, sizeof *unk * (n ? n : 1));
    if (!unk)
        return CASUS_ENOMEM;
    for (uint32_t j = 0; j < n; j++)
        unk[j] = isbas[n + j] ? k++ : UINT32_MAX;
    uint32_t neq = 0;
    for (uint32_t i = 0; i < n; i++)
        neq += !isbas[i];
    casus_status st = CASUS_OK;
    struct xsys s;
    if (neq != k || isbas[2 * n]) {
        casus_mem_free(a, unk, sizeof *unk * (n ? n : 1));
        return CASUS_ESTATE;
    }
    if (!xsys_init(&s, a, k)) {
        casus_mem_free(a, unk, sizeof *unk * (n ? n : 1));
        return CASUS_ENOMEM;
    }
    uint32_t e = 0;
    for (uint32_t i = 0; i < n && st == CASUS_OK; i++) {
        if (isbas[i])
            continue;
        mpq_neg(s.row[e].rhs, M->q[i]);
        for (uint32_t p = M->rp[i]; p < M->rp[i + 1]; p++)
            if (unk[M->col[p]] != UINT32_MAX && !xsys_push(&s, e, unk[M->col[p]], M->val[p]))
                st = CASUS_ENOMEM;
        e++;
    }
    bool nomem = false;
    if (st == CASUS_OK && !xsys_solve(&s, &nomem))
        st = nomem ? CASUS_ENOMEM : CASUS_ESTATE;
    for (uint32_t j = 0; j < n && st == CASUS_OK; j++) {
        if (unk[j] == UINT32_MAX)
            mpq_set_ui(z[j], 0, 1);
        else
            mpq_set(z[j], s.sol[unk[j]]);
        if (mpq_sgn(z[j]) < 0)
            st = CASUS_ESTATE;
    }
    /* w = q + M z >= 0 on the rows where w is basic */
    for (uint32_t i = 0; i < n && st == CASUS_OK; i++) {
        if (!isbas[i])
            continue;
        mpq_set(s.t, M->q[i]);
        mpq_t p;
        mpq_init(p);
        for (uint32_t q = M->rp[i]; q < M->rp[i + 1]; q++) {
            mpq_mul(p, M->val[q], z[M->col[q]]);
            mpq_add(s.t, s.t, p);
        }
        mpq_clear(p);
        if (mpq_sgn(s.t) < 0)
            st = CASUS_ESTATE;
    }
    xsys_release(&s);
    casus_mem_free(a, unk, sizeof *unk * (n ? n : 1));
    return st;
}

/* Float residual of the solution zd (n doubles) against the sparse M:
 * max of infeasibility (-w, -z) and complementarity |w_i z_i|. */
static double float_residual(uint32_t n, const double *zd, const struct trip *tr, uint32_t ntr,
                             const double *q)
{
    double res = 0.0;
    uint32_t p = 0;
    for (uint32_t i = 0; i < n; i++) {
        double w = q[i];
        for (; p < ntr && tr[p].row == i; p++)
            w += tr[p].val * zd[tr[p].col];
        double z = zd[i];
        double r = fmax(fmax(-w, -z), fabs(w * z));
        if (r > res)
            res = r;
    }
    return res;
}

static casus_status pivot_fail(struct lcp_common *c, int rc, uint64_t npiv, double resid)
{
    if (rc == PIV_LIMIT)
        return failf(c, CASUS_LCP_PIVOT_LIMIT, CASUS_ELIMIT, "lcp-no-convergence",
                     "lemke stopped after %llu pivots without a solution (residual %.3g); "
                     "raise the pivot limit",
                     (unsigned long long)npiv, resid);
    return failf(c, CASUS_LCP_RAY, CASUS_ESTATE, "lcp-ray",
                 "lemke ended on a ray after %llu pivots (residual %.3g): a numerical "
                 "breakdown",
                 (unsigned long long)npiv, resid);
}

static uint64_t max_pivots(const struct casus_lcp_opts *o, uint32_t n)
{
    return o->max_pivots ? o->max_pivots : 50 * (uint64_t)n + 1000;
}

/* ------------------------------------------------------------------ */
/* 3b. The revised method (sequence form)                              */

/* Lemke on w - M z - d z0 = q with only the basis factored: B's columns
 * are those of the basic variables in A = [I, -M, -d], and each pivot
 * costs one ftran (the entering column) plus O(n) for the ratio test and
 * the updates of x = B^-1 q and px = B^-1 r.  The ratio test is the
 * lexicographic one on (x, px, B^-1) — px the effect of an infinitesimal
 * random perturbation r of q, which keeps the path away from the huge
 * degenerate faces of the sequence form, and B^-1's rows (btran, only for
 * the candidates still tied) making the order total, so the method cannot
 * cycle.  When z0's row is among the ties on x it leaves at once, which
 * ends the path on a complementary basis. */
struct rlcp {
    uint32_t n;
    const uint32_t *mcp, *mri; /* -M by columns: rows of column j in [mcp[j], mcp[j+1]) */
    const double *mv;          /* their values */
    const double *q;           /* n: q in doubles */
    const double *r;           /* n: the perturbation direction, NULL for none */
    uint32_t *bas;             /* n: variable basic at each position */
    uint32_t *pos;             /* 2n + 1: position of each basic variable */
    uint8_t *isbas;            /* 2n + 1 */
    double *x;                 /* n: B^-1 q, the basic values */
    double *px;                /* n: B^-1 r */
    double *alpha;             /* n: B^-1 (entering column) */
    double *ra, *rb;           /* n scratch: rows of B^-1 for ties */
    uint32_t *cand;            /* n scratch: ratio-test candidates */
    double *key;               /* n scratch */
    uint32_t *bcp, *bri;       /* the basis by columns, for factorisations */
    double *bv;
    struct casus_lu *lu; /* the factorisation (the workspace's) */
    uint32_t since;      /* updates since the last factorisation */
};

/* Refactor after REV_REFACTOR pivots, or sooner when the etas hold more
 * than REV_ETA_X times the factors' nonzeros (the entering columns of the
 * sequence form are dense: B^-1 a has ~2/3 of n nonzeros on crisis_T5). */
enum { REV_REFACTOR = 100, REV_ETA_X = 2 };

static bool rlcp_init(struct rlcp *R, struct casus_arena *ar, uint32_t n, size_t mnnz)
{
    R->n = n;
    R->bas = casus_arena_alloc(ar, sizeof *R->bas * n);
    R->pos = casus_arena_alloc(ar, sizeof *R->pos * (2 * (size_t)n + 1));
    R->isbas = casus_arena_alloc(ar, 2 * (size_t)n + 1);
    R->x = casus_arena_alloc(ar, sizeof *R->x * n);
    R->px = casus_arena_alloc(ar, sizeof *R->px * n);
    R->alpha = casus_arena_alloc(ar, sizeof *R->alpha * n);
    R->ra = casus_arena_alloc(ar, sizeof *R->ra * n);
    R->rb = casus_arena_alloc(ar, sizeof *R->rb * n);
    R->cand = casus_arena_alloc(ar, sizeof *R->cand * n);
    R->key = casus_arena_alloc(ar, sizeof *R->key * n);
    R->bcp = casus_arena_alloc(ar, sizeof *R->bcp * (n + 1));
    R->bri = casus_arena_alloc(ar, sizeof *R->bri * (mnnz + 2 * (size_t)n));
    R->bv = casus_arena_alloc(ar, sizeof *R->bv * (mnnz + 2 * (size_t)n));
    return R->bas && R->pos && R->isbas && R->x && R->px && R->alpha && R->ra && R->rb && R->cand &&
           R->key && R->bcp && R->bri && R->bv;
}

/* The column of variable v in A, dense, into out (n doubles). */
static void rlcp_column(const struct rlcp *R, uint32_t v, double *out)
{
    uint32_t n = R->n;
    if (v == 2 * n) {
        for (uint32_t i = 0; i < n; i++)
            out[i] = -1.0;
        return;
    }
    memset(out, 0, sizeof *out * n);
    if (v < n) {
        out[v] = 1.0;
        return;
    }
    for (uint32_t e = R->mcp[v - n]; e < R->mcp[v - n + 1]; e++)
        out[R->mri[e]] = R->mv[e];
}

/* Factor the current basis and recompute x and px from scratch.
 * CASUS_ESTATE when the basis is numerically singular. */
static casus_status rlcp_refactor(struct rlcp *R)
{
    uint32_t n = R->n, k = 0;
    for (uint32_t p = 0; p < n; p++) {
        uint32_t v = R->bas[p];
        R->bcp[p] = k;
        if (v < n) {
            R->bri[k] = v;
            R->bv[k++] = 1.0;
        } else if (v == 2 * n) {
            for (uint32_t i = 0; i < n; i++) {
                R->bri[k] = i;
                R->bv[k++] = -1.0;
            }
        } else {
            for (uint32_t e = R->mcp[v - n]; e < R->mcp[v - n + 1]; e++) {
                R->bri[k] = R->mri[e];
                R->bv[k++] = R->mv[e];
            }
        }
    }
    R->bcp[n] = k;
    casus_status st = casus_lu_factor(R->lu, n, R->bcp, R->bri, R->bv);
    if (st != CASUS_OK)
        return st;
    R->since = 0;
    memcpy(R->x, R->q, sizeof *R->x * n);
    casus_lu_ftran(R->lu, R->x);
    if (R->r) {
        memcpy(R->px, R->r, sizeof *R->px * n);
        casus_lu_ftran(R->lu, R->px);
    }
    return CASUS_OK;
}

/* Row p of B^-1, divided by den, into out. */
static void rlcp_binv_row(struct rlcp *R, uint32_t p, double den, double *out)
{
    memset(out, 0, sizeof *out * R->n);
    out[p] = 1.0;
    casus_lu_btran(R->lu, out);
    for (uint32_t j = 0; j < R->n; j++)
        out[j] /= den;
}

/* Keep the candidates whose key is within the tie tolerance of the least;
 * returns how many. */
static uint32_t keep_least(uint32_t *cand, double *key, uint32_t m)
{
    double best = HUGE_VAL;
    for (uint32_t c = 0; c < m; c++)
        if (key[c] < best)
            best = key[c];
    double tol = TIE_EPS * (fabs(best) > 1.0 ? fabs(best) : 1.0);
    uint32_t k = 0;
    for (uint32_t c = 0; c < m; c++)
        if (key[c] <= best + tol) {
            cand[k] = cand[c];
            key[k++] = key[c];
        }
    return k;
}

/* Lexicographic minimum-ratio test on alpha: among positions with
 * den_i = sgn * alpha_i > eps, the least (x_i, px_i, B^-1 row i) / den_i
 * (x_i clamped at 0 except on the first step, where it is q).  Returns the
 * position or -1 (ray). */
static int64_t rlcp_ratio(struct rlcp *R, double sgn, bool first)
{
    uint32_t n = R->n, m = 0;
    for (uint32_t i = 0; i < n; i++) {
        double den = sgn * R->alpha[i];
        if (den > PIV_EPS) {
            double xi = first || R->x[i] > 0.0 ? R->x[i] : 0.0;
            R->cand[m] = i;
            R->key[m++] = xi / den;
        }
    }
    if (m == 0)
        return -1;
    m = keep_least(R->cand, R->key, m);
    if (m > 1 && R->isbas[2 * n])
        for (uint32_t c = 0; c < m; c++)
            if (R->cand[c] == R->pos[2 * n])
                return R->cand[c];
    if (m > 1 && R->r) {
        for (uint32_t c = 0; c < m; c++)
            R->key[c] = R->px[R->cand[c]] / (sgn * R->alpha[R->cand[c]]);
        m = keep_least(R->cand, R->key, m);
    }
    if (m == 1)
        return R->cand[0];
    /* still tied: compare rows of B^-1, the best so far in ra */
    uint32_t best = R->cand[0];
    rlcp_binv_row(R, best, sgn * R->alpha[best], R->ra);
    for (uint32_t c = 1; c < m; c++) {
        uint32_t i = R->cand[c];
        rlcp_binv_row(R, i, sgn * R->alpha[i], R->rb);
        for (uint32_t j = 0; j < n; j++) {
            double a = R->ra[j], b = R->rb[j];
            double tol = TIE_EPS * (fabs(a) > 1.0 ? fabs(a) : 1.0);
            if (b < a - tol) {
                double *t = R->ra;
                R->ra = R->rb;
                R->rb = t;
                best = i;
                break;
            }
            if (b > a + tol)
                break;
        }
    }
    return best;
}

/* Exchange the basic variable at position r for enter (whose ftran is in
 * alpha); refactor (see REV_REFACTOR), else append an eta.  O(n) plus a
 * factorisation now and then. */
static casus_status rlcp_pivot(struct rlcp *R, uint32_t r, uint32_t enter)
{
    uint32_t n = R->n;
    const double *al = R->alpha;
    double th = R->x[r] / al[r], tp = R->r ? R->px[r] / al[r] : 0.0;
    for (uint32_t i = 0; i < n; i++) {
        if (al[i] == 0.0)
            continue;
        R->x[i] -= th * al[i];
        R->px[i] -= tp * al[i];
    }
    R->x[r] = th;
    R->px[r] = tp;
    uint32_t out = R->bas[r];
    R->bas[r] = enter;
    R->pos[enter] = r;
    R->isbas[enter] = 1;
    R->isbas[out] = 0;
    if (++R->since >= REV_REFACTOR || casus_lu_eta_nnz(R->lu) > REV_ETA_X * casus_lu_nnz(R->lu))
        return rlcp_refactor(R);
    return casus_lu_update(R->lu, r, al);
}

/* Lemke's algorithm with covering vector 1 from the basis w.  *st gets
 * CASUS_ENOMEM when memory ran out (then PIV_RAY is returned). */
static int rlcp_lemke(struct rlcp *R, uint64_t maxpiv, uint64_t *npiv, casus_status *st)
{
    uint32_t n = R->n;
    for (uint32_t i = 0; i < n; i++) {
        R->bas[i] = i;
        R->pos[i] = i;
        R->isbas[i] = 1;
        R->isbas[n + i] = 0;
    }
    R->isbas[2 * n] = 0;
    if (!R->r)
        memset(R->px, 0, sizeof *R->px * n);
    *st = rlcp_refactor(R);
    uint32_t enter = 2 * n;
    int64_t r = -1;
    if (*st == CASUS_OK) {
        rlcp_column(R, enter, R->alpha);
        casus_lu_ftran(R->lu, R->alpha);
        r = rlcp_ratio(R, -1.0, true);
    }
    for (;;) {
        if (r < 0 || *st != CASUS_OK)
            break;
        uint32_t leave = R->bas[r];
        *st = rlcp_pivot(R, (uint32_t)r, enter);
        ++*npiv;
        if (*st != CASUS_OK)
            break;
        if (leave == 2 * n)
            return PIV_OK;
        if (*npiv >= maxpiv)
            return PIV_LIMIT;
        enter = complement(leave, n);
        rlcp_column(R, enter, R->alpha);
        casus_lu_ftran(R->lu, R->alpha);
        r = rlcp_ratio(R, 1.0, false);
    }
    if (*st == CASUS_ESTATE) /* a singular basis: a numerical breakdown */
        *st = CASUS_OK;
    return PIV_RAY;
}

/* ------------------------------------------------------------------ */
/* 4. The sequence form                                                */

struct sf {
    struct lcp_common c;
    const struct casus_gtree *g;
    uint32_t N;       /* nodes */
    bool *cut;        /* solved subgame roots (leaves of their ancestors) */
    double *cutd;     /* N * 2 value of a solved subgame, outcome at its root included */
    mpq_t *cutq;      /* N * 2 */
    mpq_t *chq;       /* nact: exact chance probabilities (renormalised) */
    double *bd;       /* nact: the behaviour profile being built (doubles) */
    mpq_t *bq;        /* nact: exactly */
    mpq_t *ppq;       /* N * 2: payoffs summed from the subgame root (leaf totals) */
    double *ppd;      /* N * 2 */
    mpq_t *rq;        /* N: chance reach within the subgame */
    double *rd;       /* N */
    uint32_t *seq;    /* N * 2: each player's last sequence above a node */
    uint32_t *active; /* nodes of the truncated subgame, preorder */
    uint32_t *aseq;   /* nact: sequence number of a personal action */
    uint32_t *ipar;   /* niset: parent sequence of an infoset */
    uint32_t *irow;   /* niset: constraint number (1-based) */
    uint32_t *stamp;  /* niset: subgame that numbered it (+1) */
    mpq_t *outq;      /* noutcome * 2 exact payoffs */
    uint32_t nsub;    /* subgames solved so far */
};

static double out_d(const struct sf *s, uint32_t v, uint32_t p)
{
    uint32_t o = s->g->node[v].outcome;
    return o == CASUS_NONE ? 0.0 : s->g->pay[(size_t)o * s->g->nplayers + p];
}

static void out_q(const struct sf *s, mpq_t q, uint32_t v, uint32_t p)
{
    uint32_t o = s->g->node[v].outcome;
    if (o == CASUS_NONE)
        mpq_set_ui(q, 0, 1);
    else
        mpq_set(q, s->outq[(size_t)o * 2 + p]);
}

/* Action of the edge into v (global index into g->act). */
static uint32_t edge_act(const struct casus_gtree *g, uint32_t v)
{
    const struct casus_game_node *pn = &g->node[g->node[v].parent];
    return g->iset[pn->iset].act0 + g->node[v].pos;
}

/* One sequence-form LCP for the pivoting stage: M as sorted triplets (and
 * exactly), q in doubles, and where the exact solution goes. */
struct sf_lcp {
    uint32_t n;
    const struct trip *tr; /* sorted by row, then column; duplicates add up */
    uint32_t ntr;
    const double *qd;     /* n */
    const struct xmat *M; /* exact M and q */
    mpq_t *z;             /* n: receives the exact z of a verified basis */
};

/* What the pivoting stage did: its pivots, the last path's end, and
 * whether a basis re-solved exactly. */
struct sf_piv {
    uint64_t npiv;
    int rc;
    bool exact;
};

/* splitmix64 step: the fixed pseudo-random perturbation, so runs repeat. */
static double perturb_unit(uint64_t *h)
{
    *h += 0x9E3779B97F4A7C15u;
    uint64_t m = *h;
    m = (m ^ (m >> 30)) * 0xBF58476D1CE4E5B9u;
    m = (m ^ (m >> 27)) * 0x94D049BB133111EBu;
    m ^= m >> 31;
    return 0.5 + (double)(m >> 11) * 0x1p-53;
}

/* The end of a path: its float residual, then the exact re-solve. */
static casus_status sf_endpoint(struct lcp_common *c, const struct sf_lcp *L, const double *zd,
                                const uint8_t *isbas, struct sf_piv *pv)
{
    double resid = float_residual(L->n, zd, L->tr, L->ntr, L->qd);
    if (resid > c->res->residual)
        c->res->residual = resid;
    casus_status st = exact_resolve(c->alloc, L->n, isbas, L->M, L->z);
    pv->exact = st == CASUS_OK;
    return st == CASUS_ESTATE ? CASUS_OK : st;
}

/* Dense dictionary: pivot on a slightly perturbed q first, because the
 * lexicographic rule alone can wander through huge degenerate faces
 * (crisis_T4: 687 pivots perturbed, more than 40,000 without).  The exact
 * re-solve uses the true q, so a perturbed path only has to end on the
 * right basis; when it does not, retry smaller, then purely
 * lexicographic.  Memory 8 n^2 bytes; a pivot O(n * nnz of its row). */
static casus_status sf_pivot_dense(struct lcp_common *c, const struct sf_lcp *L, struct sf_piv *pv)
{
    static const double perturb[] = {1e-6, 1e-9, 0.0};
    uint32_t n = L->n;
    casus_status st = CASUS_OK;
    struct tab T;
    double *zd = casus_arena_alloc(&c->ar, sizeof *zd * n);
    if (!zd)
        return CASUS_ENOMEM;
    for (uint32_t at = 0; st == CASUS_OK && !pv->exact && at < CASUS_ARRAY_LEN(perturb); at++) {
        if (!tab_init(&T, c->ws, &c->ar, n))
            return CASUS_ENOMEM;
        for (uint32_t k = 0; k < L->ntr; k++)
            T.t[(size_t)L->tr[k].row * T.nc + L->tr[k].col] += L->tr[k].val;
        uint64_t h = 0x9E3779B97F4A7C15u;
        for (uint32_t i = 0; i < n; i++) {
            T.t[(size_t)i * T.nc + n] = 1.0;
            T.rhs[i] = L->qd[i] + perturb[at] * perturb_unit(&h);
        }
        uint64_t np = 0, budget = max_pivots(c->o, n);
        if (pv->npiv >= budget)
            break;
        pv->rc = tab_lemke(&T, budget - pv->npiv, &np);
        pv->npiv += np;
        if (pv->rc != PIV_OK)
            continue;
        for (uint32_t j = 0; j < n; j++)
            zd[j] = tab_z(&T, j);
        st = sf_endpoint(c, L, zd, T.isbas, pv);
    }
    return st;
}

/* Revised method (rlcp_lemke) on the sparse M: the perturbation is
 * symbolic (lexicographic on B^-1 r after B^-1 q), so the path is that of
 * an infinitesimally perturbed q; if its basis does not re-solve exactly,
 * retry with another direction, then purely lexicographic.  Memory
 * O(n + nnz(M) + nnz of the factors); a pivot O(n + nnz(L, U, etas)). */
static casus_status sf_pivot_sparse(struct lcp_common *c, const struct sf_lcp *L, struct sf_piv *pv)
{
    static const uint64_t seeds[] = {0x9E3779B97F4A7C15u, 0xD1B54A32D192ED03u, 0};
    uint32_t n = L->n, ntr = L->ntr;
    /* -M by columns: merge duplicate (row, column) triplets, then a
     * counting sort by column keeps each column's rows increasing */
    uint32_t *mcp = casus_arena_alloc(&c->ar, sizeof *mcp * (n + 2));
    uint32_t *mri = casus_arena_alloc(&c->ar, sizeof *mri * (ntr + 1));
    uint32_t *ucol = casus_arena_alloc(&c->ar, sizeof *ucol * (ntr + 1));
    uint32_t *urow = casus_arena_alloc(&c->ar, sizeof *urow * (ntr + 1));
    double *uval = casus_arena_alloc(&c->ar, sizeof *uval * (ntr + 1));
    double *mv = casus_arena_alloc(&c->ar, sizeof *mv * (ntr + 1));
    double *rv = casus_arena_alloc(&c->ar, sizeof *rv * n);
    double *zd = casus_arena_alloc(&c->ar, sizeof *zd * n);
    struct rlcp R;
    if (!mcp || !mri || !ucol || !urow || !uval || !mv || !rv || !zd ||
        !rlcp_init(&R, &c->ar, n, ntr))
        return CASUS_ENOMEM;
    uint32_t nu = 0;
    for (uint32_t k = 0; k < ntr; k++) {
        const struct trip *e = &L->tr[k];
        if (nu && urow[nu - 1] == e->row && ucol[nu - 1] == e->col) {
            uval[nu - 1] += e->val;
            continue;
        }
        urow[nu] = e->row;
        ucol[nu] = e->col;
        uval[nu++] = e->val;
    }
    memset(mcp, 0, sizeof *mcp * (n + 2));
    for (uint32_t k = 0; k < nu; k++)
        if (uval[k] != 0.0)
            mcp[ucol[k] + 2]++;
    for (uint32_t j = 0; j < n; j++)
        mcp[j + 2] += mcp[j + 1];
    for (uint32_t k = 0; k < nu; k++)
        if (uval[k] != 0.0) {
            uint32_t at = mcp[ucol[k] + 1]++;
            mri[at] = urow[k];
            mv[at] = -uval[k];
        }
    R.mcp = mcp;
    R.mri = mri;
    R.mv = mv;
    R.q = L->qd;
    R.lu = &c->ws->lu;
    casus_status st = CASUS_OK;
    for (uint32_t at = 0; st == CASUS_OK && !pv->exact && at < CASUS_ARRAY_LEN(seeds); at++) {
        uint64_t h = seeds[at], np = 0, budget = max_pivots(c->o, n);
        for (uint32_t i = 0; i < n; i++)
            rv[i] = perturb_unit(&h);
        R.r = seeds[at] ? rv : NULL;
        if (pv->npiv >= budget)
            break;
        pv->rc = rlcp_lemke(&R, budget - pv->npiv, &np, &st);
        pv->npiv += np;
        if (st != CASUS_OK || pv->rc != PIV_OK)
            continue;
        for (uint32_t j = 0; j < n; j++)
            zd[j] = R.isbas[n + j] ? R.x[R.pos[n + j]] : 0.0;
        st = sf_endpoint(c, L, zd, R.isbas, pv);
    }
    return st;
}

/* Solve the truncated subgame at r: build its sequence form, run Lemke,
 * re-solve exactly, write the behaviour of its infosets into bd/bq, and
 * record its value in cutd/cutq. */
static casus_status solve_sub(struct sf *s, uint32_t r)
{
    const struct casus_gtree *g = s->g;
    struct lcp_common *c = &s->c;
    uint32_t na = 0;
    uint32_t stamp = ++s->nsub;
    /* active nodes: the subtree minus strict subtrees of solved roots */
    for (uint32_t v = r; v < r + g->node[r].size;) {
        s->active[na++] = v;
        v += (v != r && s->cut[v]) ? g->node[v].size : 1;
    }
    uint32_t ns[2] = {1, 1}, ni[2] = {0, 0};
    double umax[2] = {-HUGE_VAL, -HUGE_VAL}, umin[2] = {HUGE_VAL, HUGE_VAL};
    mpq_t t;
    mpq_init(t);
    for (uint32_t k = 0; k < na; k++) {
        uint32_t v = s->active[k];
        const struct casus_game_node *nd = &g->node[v];
        bool leaf = nd->kind == CASUS_NODE_TERMINAL || (v != r && s->cut[v]);
        if (v == r) {
            s->seq[2 * v] = s->seq[2 * v + 1] = 0;
            mpq_set_ui(s->rq[v], 1, 1);
            s->rd[v] = 1.0;
            for (uint32_t p = 0; p < 2; p++) {
                out_q(s, s->ppq[2 * v + p], v, p);
                s->ppd[2 * v + p] = out_d(s, v, p);
            }
        } else {
            uint32_t par = nd->parent, a = edge_act(g, v);
            const struct casus_game_node *pn = &g->node[par];
            uint32_t pl = g->iset[pn->iset].player;
            s->seq[2 * v] = s->seq[2 * par];
            s->seq[2 * v + 1] = s->seq[2 * par + 1];
            if (pl == 0) {
                mpq_mul(s->rq[v], s->rq[par], s->chq[a]);
                s->rd[v] = s->rd[par] * g->chance[a];
            } else {
                mpq_set(s->rq[v], s->rq[par]);
                s->rd[v] = s->rd[par];
                s->seq[2 * v + pl - 1] = s->aseq[a];
            }
            for (uint32_t p = 0; p < 2; p++) {
                if (v != r && s->cut[v]) {
                    mpq_add(s->ppq[2 * v + p], s->ppq[2 * par + p], s->cutq[2 * v + p]);
                    s->ppd[2 * v + p] = s->ppd[2 * par + p] + s->cutd[2 * v + p];
                } else {
                    out_q(s, t, v, p);
                    mpq_add(s->ppq[2 * v + p], s->ppq[2 * par + p], t);
                    s->ppd[2 * v + p] = s->ppd[2 * par + p] + out_d(s, v, p);
                }
            }
        }
        if (leaf) {
            for (uint32_t p = 0; p < 2; p++) {
                umax[p] = fmax(umax[p], s->ppd[2 * v + p]);
                umin[p] = fmin(umin[p], s->ppd[2 * v + p]);
            }
            continue;
        }
        if (nd->kind != CASUS_NODE_DECISION)
            continue;
        uint32_t h = nd->iset;
        const struct casus_game_iset *is = &g->iset[h];
        if (s->stamp[h] != stamp) {
            uint32_t p = is->player - 1;
            s->stamp[h] = stamp;
            s->ipar[h] = s->seq[2 * v + p];
            s->irow[h] = ++ni[p];
            for (uint32_t j = 0; j < is->nact; j++)
                s->aseq[is->act0 + j] = ns[p]++;
        }
    }
    uint32_t P = ns[0] + ns[1], Q = P + ni[0] + 1, n = Q + ni[1] + 1;
    if (n > c->res->max_dim)
        c->res->max_dim = n;
    if (n > c->o->max_dim) {
        mpq_clear(t);
        return failf(c, CASUS_LCP_TOO_LARGE, CASUS_ELIMIT, "game-too-large",
                     "the sequence-form LCP has dimension %u, more than the limit of %u", n,
                     c->o->max_dim);
    }

    /* the contributions to M */
    uint32_t cap = 4 * (ns[0] + ns[1]) + 4 + 2 * na, ntr = 0;
    struct trip *tr = casus_arena_alloc(&c->ar, sizeof *tr * cap);
    double *qd = casus_arena_alloc(&c->ar, sizeof *qd * n);
    if (!tr || !qd) {
        mpq_clear(t);
        return CASUS_ENOMEM;
    }
#define TRIP(R, C, K, REF, V) (tr[ntr++] = (struct trip){(R), (C), (REF), (K), (V)})
    uint32_t base[2] = {0, ns[0]}, cb[2] = {P, Q};
    for (uint32_t p = 0; p < 2; p++) {
        TRIP(cb[p], base[p], 0, 0, 1.0);  /* x_empty = 1 */
        TRIP(base[p], cb[p], 0, 0, -1.0); /* transpose, negated */
        qd[cb[p]] = -1.0;
    }
    double S[2], scale[2];
    for (uint32_t p = 0; p < 2; p++) {
        if (!(umax[p] > -HUGE_VAL)) /* no leaf: no costs at all */
            umax[p] = umin[p] = 0.0;
        S[p] = floor(umax[p]) + 2.0;
        scale[p] = 1.0 / (S[p] - umin[p]);
    }
    for (uint32_t k = 0; k < na; k++) {
        uint32_t v = s->active[k];
        const struct casus_game_node *nd = &g->node[v];
        bool leaf = nd->kind == CASUS_NODE_TERMINAL || (v != r && s->cut[v]);
        if (leaf) {
            if (mpq_sgn(s->rq[v]) == 0)
                continue;
            uint32_t x = base[0] + s->seq[2 * v], y = base[1] + s->seq[2 * v + 1];
            TRIP(x, y, 1, v, s->rd[v] * (S[0] - s->ppd[2 * v]) * scale[0]);
            TRIP(y, x, 2, v, s->rd[v] * (S[1] - s->ppd[2 * v + 1]) * scale[1]);
            continue;
        }
        if (nd->kind != CASUS_NODE_DECISION)
            continue;
        uint32_t h = nd->iset;
        const struct casus_game_iset *is = &g->iset[h];
        if (g->member[is->mem0] != v)
            continue;
        uint32_t p = is->player - 1, row = cb[p] + s->irow[h];
        TRIP(row, base[p] + s->ipar[h], 0, 0, -1.0);
        TRIP(base[p] + s->ipar[h], row, 0, 0, 1.0);
        for (uint32_t j = 0; j < is->nact; j++) {
            TRIP(row, base[p] + s->aseq[is->act0 + j], 0, 0, 1.0);
            TRIP(base[p] + s->aseq[is->act0 + j], row, 0, 0, -1.0);
        }
    }
#undef TRIP
    qsort(tr, ntr, sizeof *tr, trip_cmp);

    /* exact M in compressed rows */
    struct xmat M = {n, 0, NULL, NULL, NULL, NULL};
    M.rp = casus_arena_alloc(&c->ar, sizeof *M.rp * (n + 1));
    M.col = casus_arena_alloc(&c->ar, sizeof *M.col * (ntr ? ntr : 1));
    M.val = mpq_array(c->alloc, ntr);
    M.q = mpq_array(c->alloc, n);
    mpq_t *z = mpq_array(c->alloc, n);
    casus_status st = CASUS_OK;
    if (!M.rp || !M.col || !M.val || !M.q || !z)
        st = CASUS_ENOMEM;
    mpq_t Sq;
    mpq_init(Sq);
    for (uint32_t row = 0, k = 0; st == CASUS_OK && row <= n; row++) {
        M.rp[row] = M.nnz;
        for (; row < n && k < ntr && tr[k].row == row; k++) {
            const struct trip *e = &tr[k];
            if (M.nnz == M.rp[row] || M.col[M.nnz - 1] != e->col)
                M.col[M.nnz++] = e->col;
            if (e->kind == 0) {
                mpq_set_si(t, e->val > 0 ? 1 : -1, 1);
            } else {
                uint32_t p = e->kind - 1u;
                mpq_set_d(Sq, S[p]);
                mpq_sub(t, Sq, s->ppq[2 * e->ref + p]);
                mpq_mul(t, t, s->rq[e->ref]);
            }
            mpq_add(M.val[M.nnz - 1], M.val[M.nnz - 1], t);
        }
    }
    mpq_clear(Sq);
    if (st == CASUS_OK) {
        mpq_set_si(M.q[P], -1, 1);
        mpq_set_si(M.q[Q], -1, 1);
    }

    struct sf_lcp L = {n, tr, ntr, qd, &M, z};
    struct sf_piv pv = {0, PIV_RAY, false};
    if (st == CASUS_OK)
        st = n <= c->o->dense_dim && n <= c->o->max_dense_dim ? sf_pivot_dense(c, &L, &pv)
                                                              : sf_pivot_sparse(c, &L, &pv);
    uint64_t npiv = pv.npiv;
    int rc = pv.rc;
    bool exact = pv.exact;
    c->res->pivots += npiv;
    c->res->nlcp++;
    if (st == CASUS_OK && rc != PIV_OK)
        st = pivot_fail(c, rc, npiv, c->res->residual);
    else if (st == CASUS_OK && !exact)
        st = failf(c, CASUS_LCP_UNVERIFIED, CASUS_ESTATE, "lcp-unverified",
                   "the float basis of a sequence-form LCP (dimension %u, %llu pivots) "
                   "does not re-solve to an exact equilibrium",
                   n, (unsigned long long)npiv);

    /* behaviour of the subgame's infosets from the realization plans */
    for (uint32_t k = 0; st == CASUS_OK && k < na; k++) {
        uint32_t v = s->active[k];
        const struct casus_game_node *nd = &g->node[v];
        if (nd->kind != CASUS_NODE_DECISION || (v != r && s->cut[v]))
            continue;
        const struct casus_game_iset *is = &g->iset[nd->iset];
        if (g->member[is->mem0] != v)
            continue;
        uint32_t b0 = base[is->player - 1];
        mpq_set_ui(t, 0, 1);
        for (uint32_t j = 0; j < is->nact; j++)
            mpq_add(t, t, z[b0 + s->aseq[is->act0 + j]]);
        for (uint32_t j = 0; j < is->nact; j++) {
            uint32_t a = is->act0 + j;
            if (mpq_sgn(t) > 0)
                mpq_div(s->bq[a], z[b0 + s->aseq[a]], t);
            else
                mpq_set_ui(s->bq[a], 1, is->nact);
            s->bd[a] = mpq_get_d(s->bq[a]);
        }
    }
    mpq_array_free(c->alloc, M.val, ntr);
    mpq_array_free(c->alloc, M.q, n);
    mpq_array_free(c->alloc, z, n);

    /* the subgame's value, for its ancestors: reuse ppq/ppd as node values */
    for (uint32_t k = na; st == CASUS_OK && k-- > 0;) {
        uint32_t v = s->active[k];
        const struct casus_game_node *nd = &g->node[v];
        for (uint32_t p = 0; p < 2; p++) {
            mpq_t *vq = &s->ppq[2 * v + p];
            double *vd = &s->ppd[2 * v + p];
            if (v != r && s->cut[v]) {
                mpq_set(*vq, s->cutq[2 * v + p]);
                *vd = s->cutd[2 * v + p];
                continue;
            }
            out_q(s, *vq, v, p);
            *vd = out_d(s, v, p);
            for (uint32_t j = 0; j < nd->nchild; j++) {
                uint32_t ch = g->child[nd->child0 + j], a = edge_act(g, ch);
                mpq_mul(t, s->bq[a], s->ppq[2 * ch + p]);
                mpq_add(*vq, *vq, t);
                *vd += s->bd[a] * s->ppd[2 * ch + p];
            }
        }
    }
    if (st == CASUS_OK) {
        for (uint32_t p = 0; p < 2; p++) {
            mpq_set(s->cutq[2 * r + p], s->ppq[2 * r + p]);
            s->cutd[2 * r + p] = s->ppd[2 * r + p];
        }
        s->cut[r] = true;
    }
    mpq_clear(t);
    return st;
}

/* Exact Nash regret check of the profile bq on the subgame at r: for each
 * player, the best-response value (sequence decomposition: every node's
 * outcome, weighted by the others' reach, is credited to the player's last
 * own action above it; infosets from the last to the first add their best
 * action to the sequence above) must equal the profile's payoff.  The
 * scratch arrays hold N (ow, fr, sq) and nact (qv) entries.  Returns true
 * when both regrets are exactly zero; pay receives the payoffs. */
struct regret_ws {
    mpq_t *ow, *fr, *qv;
    uint32_t *sq;
    mpq_t t, q0;
};

static bool exact_zero_regret(const struct sf *s, struct regret_ws *w, uint32_t r, mpq_t *pay)
{
    const struct casus_gtree *g = s->g;
    uint32_t end = r + g->node[r].size;
    bool ok = true;
    for (uint32_t pl = 1; pl <= 2; pl++) {
        mpq_set_ui(w->q0, 0, 1);
        mpq_set_ui(pay[pl - 1], 0, 1);
        for (uint32_t h = g->pl_iset0[pl]; h < g->pl_iset0[pl + 1]; h++) {
            const struct casus_game_iset *is = &g->iset[h];
            uint32_t m0 = g->member[is->mem0];
            if (m0 >= r && m0 < end)
                for (uint32_t j = 0; j < is->nact; j++)
                    mpq_set_ui(w->qv[is->act0 + j], 0, 1);
        }
        for (uint32_t v = r; v < end; v++) {
            if (v == r) {
                mpq_set_ui(w->ow[v], 1, 1);
                mpq_set_ui(w->fr[v], 1, 1);
                w->sq[v] = CASUS_NONE;
            } else {
                uint32_t par = g->node[v].parent, a = edge_act(g, v);
                uint32_t pp = g->iset[g->node[par].iset].player;
                mpq_mul(w->fr[v], w->fr[par], s->bq[a]);
                if (pp == pl) {
                    mpq_set(w->ow[v], w->ow[par]);
                    w->sq[v] = a;
                } else {
                    mpq_mul(w->ow[v], w->ow[par], s->bq[a]);
                    w->sq[v] = w->sq[par];
                }
            }
            uint32_t o = g->node[v].outcome;
            if (o == CASUS_NONE || mpq_sgn(s->outq[(size_t)o * 2 + pl - 1]) == 0)
                continue;
            mpq_srcptr u = s->outq[(size_t)o * 2 + pl - 1];
            mpq_mul(w->t, w->ow[v], u);
            mpq_t *dst = w->sq[v] == CASUS_NONE ? &w->q0 : &w->qv[w->sq[v]];
            mpq_add(*dst, *dst, w->t);
            mpq_mul(w->t, w->fr[v], u);
            mpq_add(pay[pl - 1], pay[pl - 1], w->t);
        }
        for (uint32_t h = g->pl_iset0[pl + 1]; h-- > g->pl_iset0[pl];) {
            const struct casus_game_iset *is = &g->iset[h];
            uint32_t m0 = g->member[is->mem0];
            if (m0 < r || m0 >= end)
                continue;
            mpq_srcptr best = w->qv[is->act0];
            for (uint32_t j = 1; j < is->nact; j++)
                if (mpq_cmp(w->qv[is->act0 + j], best) > 0)
                    best = w->qv[is->act0 + j];
            mpq_t *dst = w->sq[m0] == CASUS_NONE ? &w->q0 : &w->qv[w->sq[m0]];
            mpq_add(*dst, *dst, best);
        }
        if (mpq_cmp(w->q0, pay[pl - 1]) != 0)
            ok = false;
    }
    return ok;
}

static casus_status result_reserve(struct casus_lcp_result *res)
{
    if (res->n < res->cap)
        return CASUS_OK;
    uint32_t cap = res->cap ? res->cap * 2 : 4;
    size_t len = res->len;
    double *prob =
        casus_arena_grow(&res->arena, res->prob, res->cap * len, cap * len, sizeof *prob);
    const char **ex =
        casus_arena_grow(&res->arena, (void *)res->exact, res->cap * len, cap * len, sizeof *ex);
    double *pay =
        casus_arena_grow(&res->arena, res->payoff, res->cap * 2, (size_t)cap * 2, sizeof *pay);
    const char **ep = casus_arena_grow(&res->arena, (void *)res->exact_payoff, res->cap * 2,
                                       (size_t)cap * 2, sizeof *ep);
    if (!prob || !ex || !pay || !ep)
        return CASUS_ENOMEM;
    res->prob = prob;
    res->exact = ex;
    res->payoff = pay;
    res->exact_payoff = ep;
    res->cap = cap;
    return CASUS_OK;
}

static casus_status sf_alloc(struct sf *s)
{
    const struct casus_gtree *g = s->g;
    struct casus_arena *ar = &s->c.ar;
    uint32_t N = g->nnodes;
    s->N = N;
    s->cut = casus_arena_alloc(ar, sizeof *s->cut * N);
    s->cutd = casus_arena_alloc(ar, sizeof *s->cutd * 2 * N);
    s->bd = casus_arena_alloc(ar, sizeof *s->bd * (g->nact + 1));
    s->ppd = casus_arena_alloc(ar, sizeof *s->ppd * 2 * N);
    s->rd = casus_arena_alloc(ar, sizeof *s->rd * N);
    s->seq = casus_arena_alloc(ar, sizeof *s->seq * 2 * N);
    s->active = casus_arena_alloc(ar, sizeof *s->active * N);
    s->aseq = casus_arena_alloc(ar, sizeof *s->aseq * (g->nact + 1));
    s->ipar = casus_arena_alloc(ar, sizeof *s->ipar * (g->niset + 1));
    s->irow = casus_arena_alloc(ar, sizeof *s->irow * (g->niset + 1));
    s->stamp = casus_arena_alloc(ar, sizeof *s->stamp * (g->niset + 1));
    s->cutq = mpq_array(s->c.alloc, 2 * (size_t)N);
    s->chq = mpq_array(s->c.alloc, g->nact);
    s->bq = mpq_array(s->c.alloc, g->nact);
    s->ppq = mpq_array(s->c.alloc, 2 * (size_t)N);
    s->rq = mpq_array(s->c.alloc, N);
    s->outq = mpq_array(s->c.alloc, 2 * (size_t)g->noutcome);
    if (!s->cut || !s->cutd || !s->bd || !s->ppd || !s->rd || !s->seq || !s->active || !s->aseq ||
        !s->ipar || !s->irow || !s->stamp || !s->cutq || !s->chq || !s->bq || !s->ppq || !s->rq ||
        !s->outq)
        return CASUS_ENOMEM;
    for (uint32_t o = 0; o < g->noutcome; o++)
        for (uint32_t p = 0; p < 2; p++)
            num_to_mpq(s->outq[2 * o + p], &g->outcome[o].pay[p]);
    /* chance: exact, renormalised exactly when the file's sum is not 1 */
    mpq_t sum;
    mpq_init(sum);
    for (uint32_t h = g->pl_iset0[0]; h < g->pl_iset0[1]; h++) {
        const struct casus_game_iset *is = &g->iset[h];
        mpq_set_ui(sum, 0, 1);
        for (uint32_t j = 0; j < is->nact; j++) {
            num_to_mpq(s->chq[is->act0 + j], &g->act[is->act0 + j].prob);
            mpq_add(sum, sum, s->chq[is->act0 + j]);
        }
        for (uint32_t j = 0; j < is->nact; j++) {
            if (mpq_sgn(sum) > 0)
                mpq_div(s->chq[is->act0 + j], s->chq[is->act0 + j], sum);
            mpq_set(s->bq[is->act0 + j], s->chq[is->act0 + j]);
            s->bd[is->act0 + j] = g->chance[is->act0 + j];
        }
    }
    mpq_clear(sum);
    return CASUS_OK;
}

static void sf_free(struct sf *s)
{
    const struct casus_gtree *g = s->g;
    uint32_t N = g->nnodes;
    mpq_array_free(s->c.alloc, s->cutq, 2 * (size_t)N);
    mpq_array_free(s->c.alloc, s->chq, g->nact);
    mpq_array_free(s->c.alloc, s->bq, g->nact);
    mpq_array_free(s->c.alloc, s->ppq, 2 * (size_t)N);
    mpq_array_free(s->c.alloc, s->rq, N);
    mpq_array_free(s->c.alloc, s->outq, 2 * (size_t)g->noutcome);
    casus_arena_release(&s->c.ar);
}

/* The final certificate: exact regret 0 in the game (and, with spe, in
 * every subgame); then the profile goes into the result. */
static casus_status sf_certify(struct sf *s, const bool *roots)
{
    const struct casus_gtree *g = s->g;
    struct lcp_common *c = &s->c;
    struct regret_ws w;
    casus_status st = CASUS_OK;
    w.ow = mpq_array(c->alloc, g->nnodes);
    w.fr = mpq_array(c->alloc, g->nnodes);
    w.qv = mpq_array(c->alloc, g->nact);
    w.sq = casus_arena_alloc(&c->ar, sizeof *w.sq * g->nnodes);
    mpq_t pay[2];
    mpq_init(w.t);
    mpq_init(w.q0);
    mpq_init(pay[0]);
    mpq_init(pay[1]);
    if (!w.ow || !w.fr || !w.qv || !w.sq)
        st = CASUS_ENOMEM;
    for (uint32_t v = g->nnodes; st == CASUS_OK && v-- > 0;)
        if ((v == 0 || (roots && roots[v])) && !exact_zero_regret(s, &w, v, pay))
            st = failf(c, CASUS_LCP_UNVERIFIED, CASUS_ESTATE, "lcp-unverified",
                       "the profile found has nonzero exact regret in the subgame at node "
                       "%u (of %u)",
                       v, g->nnodes);
    struct casus_lcp_result *res = c->res;
    if (st == CASUS_OK)
        st = result_reserve(res);
    if (st == CASUS_OK) {
        size_t off = (size_t)res->n * res->len;
        for (uint32_t a = g->pact0; a < g->nact && st == CASUS_OK; a++) {
            res->prob[off + a - g->pact0] = s->bd[a];
            res->exact[off + a - g->pact0] = mpq_text(&res->arena, s->bq[a]);
            if (!res->exact[off + a - g->pact0])
                st = CASUS_ENOMEM;
        }
        for (uint32_t p = 0; p < 2 && st == CASUS_OK; p++) {
            res->payoff[2 * res->n + p] = mpq_get_d(pay[p]);
            res->exact_payoff[2 * res->n + p] = mpq_text(&res->arena, pay[p]);
            if (!res->exact_payoff[2 * res->n + p])
                st = CASUS_ENOMEM;
        }
        if (st == CASUS_OK)
            res->n++;
    }
    mpq_array_free(c->alloc, w.ow, g->nnodes);
    mpq_array_free(c->alloc, w.fr, g->nnodes);
    mpq_array_free(c->alloc, w.qv, g->nact);
    mpq_clear(w.t);
    mpq_clear(w.q0);
    mpq_clear(pay[0]);
    mpq_clear(pay[1]);
    return st;
}

/* ------------------------------------------------------------------ */
/* 5. Drivers                                                          */

void casus_lcp_ws_init(struct casus_lcp_ws *ws, const struct casus_alloc *a)
{
    ws->alloc = *a;
    ws->tab = NULL;
    ws->tab_cap = 0;
    casus_lu_init(&ws->lu, a);
}

void casus_lcp_ws_release(struct casus_lcp_ws *ws)
{
    casus_mem_free(&ws->alloc, ws->tab, sizeof *ws->tab * ws->tab_cap);
    ws->tab = NULL;
    ws->tab_cap = 0;
    casus_lu_release(&ws->lu);
}

void casus_lcp_result_init(struct casus_lcp_result *r, const struct casus_alloc *a)
{
    memset(r, 0, sizeof *r);
    casus_arena_init(&r->arena, a);
}

void casus_lcp_result_release(struct casus_lcp_result *r)
{
    casus_arena_release(&r->arena);
    r->n = r->cap = 0;
    r->prob = NULL;
    r->exact = NULL;
    r->payoff = NULL;
    r->exact_payoff = NULL;
}

static const struct casus_lcp_opts default_opts = CASUS_LCP_OPTS_INIT;

casus_status casus_eq_lcp(const struct casus_gtree *g, const struct casus_lcp_opts *opts,
                          struct casus_lcp_ws *ws, struct casus_diags *d,
                          struct casus_lcp_result *res)
{
    struct sf s;
    memset(&s, 0, sizeof s);
    s.g = g;
    s.c.alloc = &ws->alloc;
    s.c.ws = ws;
    s.c.o = opts ? opts : &default_opts;
    s.c.d = d;
    s.c.res = res;
    res->outcome = CASUS_LCP_SOLVED;
    res->len = g->nact - g->pact0;
    if (g->nplayers != 2)
        return failf(&s.c, CASUS_LCP_REFUSED, CASUS_EINVAL, "lcp-players",
                     "lcp needs a two-player game; this one has %u players", g->nplayers);
    if (!g->perfect_recall) {
        res->outcome = CASUS_LCP_REFUSED;
        if (d)
            casus_diag_add(d, CASUS_SEV_ERROR, NULL, "imperfect-recall",
                           "the game has imperfect recall (information set '%s' of player %u); "
                           "the sequence form needs perfect recall",
                           g->iset[g->recall_iset].label ? g->iset[g->recall_iset].label : "",
                           g->iset[g->recall_iset].player);
        return CASUS_EINVAL;
    }
    casus_arena_init(&s.c.ar, &ws->alloc);
    casus_status st = sf_alloc(&s);
    bool *roots = NULL;
    if (st == CASUS_OK && s.c.o->spe) {
        roots = casus_arena_alloc(&s.c.ar, sizeof *roots * g->nnodes);
        if (!roots)
            st = CASUS_ENOMEM;
        else
            casus_gtree_subgame_roots(g, roots);
    }
    for (uint32_t v = g->nnodes; st == CASUS_OK && v-- > 0;)
        if (v == 0 || (roots && roots[v]))
            st = solve_sub(&s, v);
    if (st == CASUS_OK)
        st = sf_certify(&s, roots);
    if (st == CASUS_ENOMEM)
        res->outcome = CASUS_LCP_NOMEM;
    sf_free(&s);
    return st;
}

/* ---- bimatrix games ---------------------------------------------- */

struct lh_state {
    uint32_t next; /* next label to try */
    uint32_t skip; /* the label that led here (UINT32_MAX at the start) */
    double *t, *rhs;
    uint32_t *bas, *nb, *pos;
    uint8_t *isbas;
};

static void lh_save(const struct tab *T, struct lh_state *s)
{
    uint32_t n = T->n;
    memcpy(s->t, T->t, sizeof *s->t * n * T->nc);
    memcpy(s->rhs, T->rhs, sizeof *s->rhs * n);
    memcpy(s->bas, T->bas, sizeof *s->bas * n);
    memcpy(s->nb, T->nb, sizeof *s->nb * T->nc);
    memcpy(s->pos, T->pos, sizeof *s->pos * (2 * n + 1));
    memcpy(s->isbas, T->isbas, 2 * (size_t)n + 1);
}

static void lh_load(struct tab *T, const struct lh_state *s)
{
    uint32_t n = T->n;
    memcpy(T->t, s->t, sizeof *s->t * n * T->nc);
    memcpy(T->rhs, s->rhs, sizeof *s->rhs * n);
    memcpy(T->bas, s->bas, sizeof *s->bas * n);
    memcpy(T->nb, s->nb, sizeof *s->nb * T->nc);
    memcpy(T->pos, s->pos, sizeof *s->pos * (2 * n + 1));
    memcpy(T->isbas, s->isbas, 2 * (size_t)n + 1);
}

static bool lh_state_alloc(struct casus_arena *ar, struct lh_state *s, uint32_t n)
{
    s->t = casus_arena_alloc(ar, sizeof *s->t * n * (n + 1));
    s->rhs = casus_arena_alloc(ar, sizeof *s->rhs * n);
    s->bas = casus_arena_alloc(ar, sizeof *s->bas * n);
    s->nb = casus_arena_alloc(ar, sizeof *s->nb * (n + 1));
    s->pos = casus_arena_alloc(ar, sizeof *s->pos * (2 * n + 1));
    s->isbas = casus_arena_alloc(ar, 2 * (size_t)n + 1);
    return s->t && s->rhs && s->bas && s->nb && s->pos && s->isbas;
}

static const struct casus_num *nfg_num(const struct casus_nfg *g, uint32_t cell, uint32_t p)
{
    static const struct casus_num zero = {0.0, 0, 1, "0"};
    if (!g->outcome_form)
        return &g->cell_pay[(size_t)cell * g->nplayers + p];
    uint32_t o = g->cell_out[cell];
    return o == 0 ? &zero : &g->out_pay[(size_t)(o - 1) * g->nplayers + p];
}

struct nfgx {
    struct lcp_common c;
    const struct casus_nfg *g;
    uint32_t m1, m2;
    struct xmat M;
    mpq_t *A, *B; /* m1 * m2 exact payoffs, row-major (i * m2 + j) */
    mpq_t *z, *prof;
    mpq_t t, u, sum;
};

/* Exact profile at the dictionary's basis; false if unverified.  *art is
 * set at the artificial equilibrium (z = 0). */
static casus_status nfg_endpoint(struct nfgx *x, const struct tab *T, bool *art, bool *good)
{
    uint32_t n = T->n, m1 = x->m1, m2 = x->m2;
    *art = true;
    *good = false;
    for (uint32_t j = 0; j < n; j++)
        if (T->isbas[n + j])
            *art = false;
    if (*art)
        return CASUS_OK;
    casus_status st = exact_resolve(x->c.alloc, n, T->isbas, &x->M, x->z);
    if (st == CASUS_ENOMEM)
        return st;
    if (st != CASUS_OK)
        return CASUS_OK;
    for (uint32_t p = 0; p < 2; p++) {
        uint32_t lo = p ? m1 : 0, hi = p ? n : m1;
        mpq_set_ui(x->sum, 0, 1);
        for (uint32_t j = lo; j < hi; j++)
            mpq_add(x->sum, x->sum, x->z[j]);
        if (mpq_sgn(x->sum) <= 0)
            return CASUS_OK;
        for (uint32_t j = lo; j < hi; j++)
            mpq_div(x->prof[j], x->z[j], x->sum);
    }
    /* regret: every pure strategy's payoff <= the profile's, exactly */
    for (uint32_t p = 0; p < 2; p++) {
        uint32_t mine = p ? m2 : m1, theirs = p ? m1 : m2;
        mpq_t *me = x->prof + (p ? m1 : 0), *op = x->prof + (p ? 0 : m1);
        mpq_set_ui(x->sum, 0, 1);
        bool first = true;
        mpq_t best;
        mpq_init(best);
        for (uint32_t i = 0; i < mine; i++) {
            mpq_set_ui(x->u, 0, 1);
            for (uint32_t j = 0; j < theirs; j++) {
                mpq_srcptr a = p ? x->B[(size_t)j * m2 + i] : x->A[(size_t)i * m2 + j];
                mpq_mul(x->t, a, op[j]);
                mpq_add(x->u, x->u, x->t);
            }
            if (first || mpq_cmp(x->u, best) > 0)
                mpq_set(best, x->u);
            first = false;
            mpq_mul(x->t, x->u, me[i]);
            mpq_add(x->sum, x->sum, x->t);
        }
        bool ok = mpq_cmp(best, x->sum) == 0;
        mpq_clear(best);
        if (!ok)
            return CASUS_OK;
    }
    *good = true;
    return CASUS_OK;
}

/* Is the dictionary's endpoint (normalised per player) within 1e-9 of an
 * equilibrium already found?  Saves the exact work on the many paths that
 * end at known equilibria.  *art: the artificial equilibrium (z = 0). */
static bool nfg_known(const struct nfgx *x, const struct tab *T, bool *art)
{
    const struct casus_lcp_result *res = x->c.res;
    uint32_t n = T->n;
    double sum[2] = {0.0, 0.0};
    for (uint32_t j = 0; j < n; j++)
        sum[j >= x->m1] += tab_z(T, j);
    *art = !(sum[0] > 0.0 && sum[1] > 0.0);
    if (*art)
        return false;
    for (uint32_t k = 0; k < res->n; k++) {
        uint32_t j = 0;
        while (j < n && fabs(tab_z(T, j) / sum[j >= x->m1] - res->prob[(size_t)k * n + j]) < 1e-9)
            j++;
        if (j == n)
            return true;
    }
    return false;
}

/* Add the current exact profile if it is new; *added tells. */
static casus_status nfg_add(struct nfgx *x, bool *added)
{
    struct casus_lcp_result *res = x->c.res;
    uint32_t len = res->len;
    struct casus_arena *ar = &x->c.ar;
    *added = false;
    const char **txt = casus_arena_alloc(ar, sizeof *txt * len);
    if (!txt)
        return CASUS_ENOMEM;
    for (uint32_t j = 0; j < len; j++)
        if (!(txt[j] = mpq_text(ar, x->prof[j])))
            return CASUS_ENOMEM;
    for (uint32_t k = 0; k < res->n; k++) {
        uint32_t j = 0;
        while (j < len && strcmp(res->exact[(size_t)k * len + j], txt[j]) == 0)
            j++;
        if (j == len)
            return CASUS_OK;
    }
    if (result_reserve(res) != CASUS_OK)
        return CASUS_ENOMEM;
    size_t off = (size_t)res->n * len;
    for (uint32_t j = 0; j < len; j++) {
        res->exact[off + j] = mpq_text(&res->arena, x->prof[j]);
        res->prob[off + j] = mpq_get_d(x->prof[j]);
        if (!res->exact[off + j])
            return CASUS_ENOMEM;
    }
    for (uint32_t p = 0; p < 2; p++) {
        mpq_set_ui(x->sum, 0, 1);
        for (uint32_t i = 0; i < x->m1; i++)
            for (uint32_t j = 0; j < x->m2; j++) {
                mpq_srcptr a = p ? x->B[(size_t)i * x->m2 + j] : x->A[(size_t)i * x->m2 + j];
                mpq_mul(x->t, a, x->prof[i]);
                mpq_mul(x->t, x->t, x->prof[x->m1 + j]);
                mpq_add(x->sum, x->sum, x->t);
            }
        res->payoff[2 * res->n + p] = mpq_get_d(x->sum);
        if (!(res->exact_payoff[2 * res->n + p] = mpq_text(&res->arena, x->sum)))
            return CASUS_ENOMEM;
    }
    res->n++;
    *added = true;
    return CASUS_OK;
}

casus_status casus_eq_lcp_nfg(const struct casus_nfg *g, const struct casus_lcp_opts *opts,
                              struct casus_lcp_ws *ws, struct casus_diags *d,
                              struct casus_lcp_result *res)
{
    struct nfgx x;
    memset(&x, 0, sizeof x);
    x.g = g;
    x.c.alloc = &ws->alloc;
    x.c.ws = ws;
    x.c.o = opts ? opts : &default_opts;
    x.c.d = d;
    x.c.res = res;
    res->outcome = CASUS_LCP_SOLVED;
    if (g->nplayers != 2)
        return failf(&x.c, CASUS_LCP_REFUSED, CASUS_EINVAL, "lcp-players",
                     "lcp needs a two-player game; this one has %u players", g->nplayers);
    uint32_t m1 = g->nstrat[0], m2 = g->nstrat[1], n = m1 + m2;
    x.m1 = m1;
    x.m2 = m2;
    res->len = n;
    if (n > res->max_dim)
        res->max_dim = n;
    uint32_t lim = x.c.o->max_dim < x.c.o->max_dense_dim ? x.c.o->max_dim : x.c.o->max_dense_dim;
    if (n > lim)
        return failf(&x.c, CASUS_LCP_TOO_LARGE, CASUS_ELIMIT, "game-too-large",
                     "the Lemke-Howson dictionary has dimension %u, more than the limit of %u", n,
                     lim);
    casus_arena_init(&x.c.ar, &ws->alloc);
    size_t cells = (size_t)m1 * m2;
    casus_status st = CASUS_OK;
    x.A = mpq_array(x.c.alloc, cells);
    x.B = mpq_array(x.c.alloc, cells);
    x.z = mpq_array(x.c.alloc, n);
    x.prof = mpq_array(x.c.alloc, n);
    x.M.n = n;
    x.M.nnz = (uint32_t)(2 * cells);
    x.M.rp = casus_arena_alloc(&x.c.ar, sizeof *x.M.rp * (n + 1));
    x.M.col = casus_arena_alloc(&x.c.ar, sizeof *x.M.col * (2 * cells + 1));
    x.M.val = mpq_array(x.c.alloc, 2 * cells);
    x.M.q = mpq_array(x.c.alloc, n);
    mpq_init(x.t);
    mpq_init(x.u);
    mpq_init(x.sum);
    struct tab T;
    double *qd = casus_arena_alloc(&x.c.ar, sizeof *qd * n);
    if (!x.A || !x.B || !x.z || !x.prof || !x.M.rp || !x.M.col || !x.M.val || !x.M.q || !qd ||
        !tab_init(&T, ws, &x.c.ar, n))
        st = CASUS_ENOMEM;
    /* payoffs shifted to be >= 1 (exactly: by an integer) and, in doubles,
     * scaled into (0, 1]; M = [[0, -A'], [-B'^T, 0]], q = 1 */
    double lo[2] = {HUGE_VAL, HUGE_VAL}, hi[2] = {-HUGE_VAL, -HUGE_VAL};
    for (size_t cell = 0; st == CASUS_OK && cell < cells; cell++)
        for (uint32_t p = 0; p < 2; p++) {
            lo[p] = fmin(lo[p], g->pay[cell * 2 + p]);
            hi[p] = fmax(hi[p], g->pay[cell * 2 + p]);
        }
    uint32_t k = 0;
    for (uint32_t i = 0; st == CASUS_OK && i < n; i++) {
        x.M.rp[i] = k;
        mpq_set_si(x.M.q[i], 1, 1);
        qd[i] = 1.0;
        uint32_t p = i < m1 ? 0 : 1;
        double sh = floor(lo[p]) - 1.0, sc = 1.0 / (hi[p] - sh);
        mpq_set_d(x.u, sh);
        for (uint32_t j = 0; j < (p ? m1 : m2); j++) {
            uint32_t r = p ? j : i, cidx = p ? i - m1 : j;
            uint32_t cell = r + m1 * cidx;
            mpq_t *dst = p ? &x.B[(size_t)r * m2 + cidx] : &x.A[(size_t)r * m2 + cidx];
            num_to_mpq(*dst, nfg_num(g, cell, p));
            mpq_sub(x.M.val[k], x.u, *dst); /* -(payoff - shift) */
            x.M.col[k] = p ? j : m1 + j;
            T.t[(size_t)i * T.nc + x.M.col[k]] = -(g->pay[(size_t)cell * 2 + p] - sh) * sc;
            k++;
        }
        T.rhs[i] = 1.0;
    }
    if (st == CASUS_OK)
        x.M.rp[n] = k;

    /* depth-first over Lemke-Howson paths, an explicit stack of states */
    size_t depth_cap = 0, depth = 0;
    struct lh_state *stack = NULL;
    uint64_t maxpiv = max_pivots(x.c.o, n);
    size_t state_bytes = sizeof(double) * (size_t)n * (n + 2) + tab_side_bytes(n);
    size_t budget = (size_t)256 << 20;
    if (st == CASUS_OK) {
        depth_cap = 16;
        stack = casus_arena_alloc(&x.c.ar, sizeof *stack * depth_cap);
        if (!stack || !lh_state_alloc(&x.c.ar, &stack[0], n))
            st = CASUS_ENOMEM;
        else {
            lh_save(&T, &stack[0]);
            stack[0].next = 0;
            stack[0].skip = UINT32_MAX;
            depth = 1;
        }
    }
    while (st == CASUS_OK && depth > 0) {
        struct lh_state *top = &stack[depth - 1];
        if (top->next >= n) {
            depth--;
            continue;
        }
        uint32_t lab = top->next++;
        if (lab == top->skip)
            continue;
        lh_load(&T, top);
        uint64_t npiv = 0;
        int rc = tab_lh(&T, lab, maxpiv, &npiv);
        res->pivots += npiv;
        res->nlcp++;
        if (rc != PIV_OK) {
            st = pivot_fail(&x.c, rc, npiv, 0.0);
            break;
        }
        bool art, good, added = false;
        if (nfg_known(&x, &T, &art) || art)
            continue; /* a float match of an equilibrium already certified */
        st = nfg_endpoint(&x, &T, &art, &good);
        if (st != CASUS_OK || art)
            continue;
        if (!good) {
            st = failf(&x.c, CASUS_LCP_UNVERIFIED, CASUS_ESTATE, "lcp-unverified",
                       "a Lemke-Howson endpoint (label %u, %llu pivots) is not an exact "
                       "equilibrium",
                       lab + 1, (unsigned long long)npiv);
            break;
        }
        st = nfg_add(&x, &added);
        if (st != CASUS_OK || !added)
            continue;
        if (res->n >= x.c.o->max_profiles) {
            st = failf(&x.c, CASUS_LCP_PROFILE_LIMIT, CASUS_ELIMIT, "lcp-profile-limit",
                       "stopped after %u equilibria (the limit)", res->n);
            break;
        }
        if (depth == depth_cap) {
            if ((depth_cap * 2) * state_bytes > budget) {
                st = failf(&x.c, CASUS_LCP_PROFILE_LIMIT, CASUS_ELIMIT, "lcp-profile-limit",
                           "the path search is %zu equilibria deep; stopped at %u found", depth,
                           res->n);
                break;
            }
            struct lh_state *ns =
                casus_arena_grow(&x.c.ar, stack, depth_cap, depth_cap * 2, sizeof *ns);
            if (!ns) {
                st = CASUS_ENOMEM;
                break;
            }
            stack = ns;
            depth_cap *= 2;
        }
        struct lh_state *child = &stack[depth];
        if (!child->t && !lh_state_alloc(&x.c.ar, child, n)) {
            st = CASUS_ENOMEM;
            break;
        }
        lh_save(&T, child);
        child->next = 0;
        child->skip = lab;
        depth++;
    }
    if (st == CASUS_ENOMEM)
        res->outcome = CASUS_LCP_NOMEM;
    mpq_array_free(x.c.alloc, x.A, cells);
    mpq_array_free(x.c.alloc, x.B, cells);
    mpq_array_free(x.c.alloc, x.z, n);
    mpq_array_free(x.c.alloc, x.prof, n);
    mpq_array_free(x.c.alloc, x.M.val, 2 * cells);
    mpq_array_free(x.c.alloc, x.M.q, n);
    mpq_clear(x.t);
    mpq_clear(x.u);
    mpq_clear(x.sum);
    casus_arena_release(&x.c.ar);
    return st;
}
