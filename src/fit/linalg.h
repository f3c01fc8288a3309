/*
 * linalg.h — the small dense linear algebra the fit wing needs: Cholesky
 * factorisation, solves and inverse of a symmetric positive definite
 * matrix, symmetric eigenvalues (cyclic Jacobi), and weighted least squares
 * by the normal equations with rank detection (for the start values).
 *
 * Matrices are row-major n x n (symmetric ones use both triangles) or
 * column-major n x k for designs, as stated per function.  Sizes are the
 * number of parameters (tens), so O(k^3) methods are fine; nothing here
 * allocates; fit_lsq takes a caller workspace.  Deterministic:
 * fixed loop orders, no reassociation.
 */
#ifndef CASUS_FIT_LINALG_H
#define CASUS_FIT_LINALG_H

#include "base/internal.h"

/* In place: a (k x k, row-major, symmetric positive definite) becomes its
 * lower Cholesky factor L (upper triangle left as is).  false when a pivot
 * is not positive (a is not positive definite to working precision). */
CASUS_INTERNAL bool fit_chol(double *a, size_t k);

/* Solve L L' x = b in place (b becomes x), L from fit_chol. */
CASUS_INTERNAL void fit_chol_solve(const double *l, size_t k, double *b);

/* inv = (L L')^{-1}, full symmetric, row-major; inv must not alias l. */
CASUS_INTERNAL void fit_chol_inverse(const double *l, size_t k, double *inv);

/* Eigenvalues (ascending) and, if vec != NULL, eigenvectors (column j of
 * vec, row-major k x k) of the symmetric a; a is destroyed.  Cyclic Jacobi
 * to full precision; O(k^3) per sweep, a few sweeps. */
CASUS_INTERNAL void fit_sym_eigen(double *a, size_t k, double *val, double *vec);

/* Weighted least squares: minimise sum_i w_i (y_i - x_i' b)^2 over b for a
 * column-major n x k design x (w NULL: all 1), by the normal equations and
 * a Cholesky factorisation (for start values and rank checks, where its
 * squared condition number is harmless).  A column whose pivot falls
 * below 1e-12 of its own squared norm — constant, zero or a linear
 * combination of earlier columns — gets b = 0 and is flagged in dep[] (may
 * be NULL).  ws: k^2 + 2k doubles.  Returns the rank.  O(n k^2). */
CASUS_INTERNAL size_t fit_lsq(const double *x, size_t n, size_t k, const double *y, const double *w,
                              double *b, bool *dep, double *ws);

#endif
