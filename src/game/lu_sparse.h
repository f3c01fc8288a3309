/*
 * lu_sparse.h — sparse LU factorisation of a square matrix in doubles, with
 * product-form (eta) updates when one column is replaced: the basis engine
 * of the revised Lemke method in eq_lcp.c.
 *
 * casus_lu_factor computes P B Q = L U by right-looking Gaussian
 * elimination on the active submatrix, choosing each pivot by Markowitz's
 * rule (fewest (r - 1)(c - 1) fill-in candidates, searching the sparsest
 * few rows and columns) under a row-wise threshold |a_ij| >= 0.1 max_j
 * |a_ij| for stability.  Singletons, and so the identity columns of an LCP
 * basis, cost nothing.  After a factorisation, casus_lu_update records a
 * column replacement as an eta matrix (B_new^-1 = E^-1 B^-1), so B is never
 * refactored on a pivot; the caller refactors every few dozen updates to
 * keep the eta file short and the solves accurate.
 *
 * Index spaces: "rows" are the equations of B x = b, "columns" the
 * positions of B's columns.  casus_lu_ftran solves B x = b (b in row space
 * in, x in column space out); casus_lu_btran solves y^T B = c^T (c in
 * column space in, y in row space out), e.g. c = e_p gives row p of B^-1.
 *
 * Ownership: struct casus_lu owns all its arrays (through the allocator
 * given to casus_lu_init) and reuses them across factorisations; they grow
 * to the largest n and fill seen.  The input matrix is borrowed.  A
 * struct casus_lu is not shared between threads.  Nothing prints.
 *
 * Complexity: factor O(n + nnz + sum over pivots of the rows updated times
 * the pivot row's length), which is O(n + nnz) when fill-in is small;
 * ftran / btran O(n + nnz(L) + nnz(U) + nnz(etas)); update O(n).
 */
#ifndef CASUS_LU_SPARSE_H
#define CASUS_LU_SPARSE_H

#include "base/internal.h"

struct casus_lu {
    struct casus_alloc alloc;
    uint32_t n;      /* dimension of the current factorisation */
    uint32_t cap_n;  /* dimension the per-index arrays hold */
    uint32_t *prow;  /* n: pivot row of elimination step k */
    uint32_t *pcol;  /* n: pivot column of step k */
    double *udiag;   /* n: pivot value of step k */
    uint32_t *lp;    /* n + 1: step k's L multipliers are [lp[k], lp[k+1]) */
    uint32_t *li;    /* row of each multiplier */
    double *lv;      /* multiplier */
    size_t lcap;     /* capacity of li / lv */
    uint32_t *up;    /* n + 1: step k's U row (without the pivot) */
    uint32_t *ui;    /* column of each U entry */
    double *uv;      /* U entry */
    size_t ucap;     /* capacity of ui / uv */
    uint32_t neta;   /* etas since the last factorisation */
    uint32_t etacap; /* capacity of ep / er / ed */
    uint32_t *ep;    /* etacap + 1: eta e's entries are [ep[e], ep[e+1]) */
    uint32_t *er;    /* position replaced by eta e */
    double *ed;      /* its pivot alpha_r */
    uint32_t *ei;    /* position of each off-pivot entry */
    double *ev;      /* alpha_i */
    size_t ecap;     /* capacity of ei / ev */
    double *work;    /* n scratch for the solves */
    /* factorisation workspace: the active submatrix, by rows with values
     * and by columns as patterns, each row/column a slice of a pool */
    uint32_t *rb, *rl, *rc;                 /* row begin / length / capacity in the row pool */
    uint32_t *rpi;                          /* row pool: column indices */
    double *rpv;                            /* row pool: values */
    size_t rpool, rused;                    /* row pool capacity and high-water mark */
    uint32_t *cb, *cl, *cc;                 /* column begin / length / capacity */
    uint32_t *cpi;                          /* column pool: row indices */
    size_t cpool, cused;                    /* column pool capacity and high-water mark */
    uint32_t *rhead, *rnext, *rprev, *rkey; /* rows bucketed by count */
    uint32_t *chead, *cnext, *cprev, *ckey; /* columns bucketed by count */
    uint32_t *ccnt;                         /* live rows of each column (patterns keep pivoted rows,
                                               skipped by rkey == UINT32_MAX, until compacted) */
    int32_t *mark;                          /* n: column -> offset in the row being updated */
};

CASUS_INTERNAL void casus_lu_init(struct casus_lu *lu, const struct casus_alloc *a);
CASUS_INTERNAL void casus_lu_release(struct casus_lu *lu);

/* Factor the n x n matrix whose column j holds rows ri[cp[j] .. cp[j+1])
 * with values v[...] (no duplicate rows within a column).  Drops any eta
 * file.  CASUS_ESTATE when the matrix is (numerically) singular — no
 * eligible pivot of magnitude 1e-11 or more is left — CASUS_ENOMEM; after
 * a failure the factorisation is empty (n = 0) until the next one. */
CASUS_INTERNAL casus_status casus_lu_factor(struct casus_lu *lu, uint32_t n, const uint32_t *cp,
                                            const uint32_t *ri, const double *v);

/* x := B^-1 x (row space in, column space out), in place. */
CASUS_INTERNAL void casus_lu_ftran(struct casus_lu *lu, double *x);

/* y := B^-T y (column space in, row space out), in place. */
CASUS_INTERNAL void casus_lu_btran(struct casus_lu *lu, double *y);

/* Record that column r of B is replaced by the column whose ftran is
 * alpha (n doubles; alpha[r] must be nonzero).  CASUS_ENOMEM. */
CASUS_INTERNAL casus_status casus_lu_update(struct casus_lu *lu, uint32_t r, const double *alpha);

/* Nonzeros held by L, U and the etas (for refactorisation decisions). */
CASUS_INTERNAL size_t casus_lu_nnz(const struct casus_lu *lu);
CASUS_INTERNAL size_t casus_lu_eta_nnz(const struct casus_lu *lu);

#endif
