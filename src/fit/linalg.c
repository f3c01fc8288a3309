/*
 * linalg.c — Cholesky, Jacobi eigenvalues and least squares by the normal
 * equations for the fit wing (see linalg.h).
 */
#include "fit/linalg.h"

#include <math.h>

/* Column j of the Cholesky factor: what is left of the pivot once columns
 * 0..j-1 are taken out. */
static double chol_pivot(const double *a, size_t k, size_t j)
{
    double d = a[j * k + j];
    for (size_t p = 0; p < j; p++)
        d -= a[j * k + p] * a[j * k + p];
    return d;
}

/* Column j of the Cholesky factor below a pivot d > 0. */
static void chol_column(double *a, size_t k, size_t j, double d)
{
    d = sqrt(d);
    a[j * k + j] = d;
    for (size_t i = j + 1; i < k; i++) {
        double s = a[i * k + j];
        for (size_t p = 0; p < j; p++)
            s -= a[i * k + p] * a[j * k + p];
        a[i * k + j] = s / d;
    }
}

bool fit_chol(double *a, size_t k)
{
    for (size_t j = 0; j < k; j++) {
        double d = chol_pivot(a, k, j);
        if (!(d > 0.0) || !isfinite(d))
            return false;
        chol_column(a, k, j, d);
    }
    return true;
}

void fit_chol_solve(const double *l, size_t k, double *b)
{
    for (size_t i = 0; i < k; i++) { /* L z = b */
        double s = b[i];
        for (size_t p = 0; p < i; p++)
            s -= l[i * k + p] * b[p];
        b[i] = s / l[i * k + i];
    }
    for (size_t i = k; i-- > 0;) { /* L' x = z */
        double s = b[i];
        for (size_t p = i + 1; p < k; p++)
            s -= l[p * k + i] * b[p];
        b[i] = s / l[i * k + i];
    }
}

void fit_chol_inverse(const double *l, size_t k, double *inv)
{
    for (size_t j = 0; j < k; j++) { /* column j of the inverse: solve for e_j */
        double *col = inv + j * k;   /* row j, filled as a column, then symmetric */
        for (size_t i = 0; i < k; i++)
            col[i] = i == j ? 1.0 : 0.0;
        fit_chol_solve(l, k, col);
    }
    for (size_t i = 0; i < k; i++) /* symmetrise (rounding) */
        for (size_t j = 0; j < i; j++) {
            double m = 0.5 * (inv[i * k + j] + inv[j * k + i]);
            inv[i * k + j] = inv[j * k + i] = m;
        }
}

/* One Jacobi rotation zeroing a[p][q] (p < q); vec updated when given. */
static void jacobi_rotate(double *a, size_t k, size_t p, size_t q, double *vec)
{
    double apq = a[p * k + q];
    double theta = (a[q * k + q] - a[p * k + p]) / (2.0 * apq);
    double t = (theta >= 0 ? 1.0 : -1.0) / (fabs(theta) + sqrt(theta * theta + 1.0));
    double c = 1.0 / sqrt(t * t + 1.0), s = t * c;
    for (size_t r = 0; r < k; r++) {
        double arp = a[r * k + p], arq = a[r * k + q];
        a[r * k + p] = c * arp - s * arq;
        a[r * k + q] = s * arp + c * arq;
    }
    for (size_t r = 0; r < k; r++) {
        double apr = a[p * k + r], aqr = a[q * k + r];
        a[p * k + r] = c * apr - s * aqr;
        a[q * k + r] = s * apr + c * aqr;
    }
    if (vec)
        for (size_t r = 0; r < k; r++) {
            double vp = vec[r * k + p], vq = vec[r * k + q];
            vec[r * k + p] = c * vp - s * vq;
            vec[r * k + q] = s * vp + c * vq;
        }
}

void fit_sym_eigen(double *a, size_t k, double *val, double *vec)
{
    if (vec)
        for (size_t i = 0; i < k; i++)
            for (size_t j = 0; j < k; j++)
                vec[i * k + j] = i == j ? 1.0 : 0.0;
    for (int sweep = 0; sweep < 100; sweep++) {
        double off = 0.0, diag = 0.0;
        for (size_t i = 0; i < k; i++) {
            diag += a[i * k + i] * a[i * k + i];
            for (size_t j = i + 1; j < k; j++)
                off += a[i * k + j] * a[i * k + j];
        }
        if (!(off > 1e-32 * diag))
            break;
        for (size_t p = 0; p < k; p++)
            for (size_t q = p + 1; q < k; q++)
                if (a[p * k + q] != 0.0)
                    jacobi_rotate(a, k, p, q, vec);
    }
    for (size_t i = 0; i < k; i++)
        val[i] = a[i * k + i];
    for (size_t i = 1; i < k; i++) /* insertion sort, ascending, vectors along */
        for (size_t j = i; j > 0 && val[j - 1] > val[j]; j--) {
            double t = val[j];
            val[j] = val[j - 1];
            val[j - 1] = t;
            if (vec)
                for (size_t r = 0; r < k; r++) {
                    double u = vec[r * k + j];
                    vec[r * k + j] = vec[r * k + j - 1];
                    vec[r * k + j - 1] = u;
                }
        }
}

/* sum_i a_i b_i w_i (w NULL: 1), four partial sums in a fixed order. */
static double wdot(const double *a, const double *b, const double *w, size_t n)
{
    double s[4] = {0.0, 0.0, 0.0, 0.0};
    size_t i = 0;
    if (w)
        for (; i + 4 <= n; i += 4)
            for (int u = 0; u < 4; u++)
                s[u] += a[i + u] * b[i + u] * w[i + u];
    else
        for (; i + 4 <= n; i += 4)
            for (int u = 0; u < 4; u++)
                s[u] += a[i + u] * b[i + u];
    for (; i < n; i++)
        s[0] += a[i] * b[i] * (w ? w[i] : 1.0);
    return (s[0] + s[1]) + (s[2] + s[3]);
}

size_t fit_lsq(const double *x, size_t n, size_t k, const double *y, const double *w, double *b,
               bool *dep, double *ws)
{
    double *a = ws, *r = ws + k * k, *d0 = r + k; /* X'WX, X'Wy, original diagonal */
    size_t rank = 0;
    for (size_t j = 0; j < k; j++) { /* normal equations, one dot product each */
        const double *xj = x + j * n;
        for (size_t l = 0; l <= j; l++)
            a[j * k + l] = a[l * k + j] = wdot(xj, x + l * n, w, n);
        r[j] = wdot(xj, y, w, n);
        d0[j] = a[j * k + j];
    }
    for (size_t j = 0; j < k; j++) { /* Cholesky, skipping dependent columns */
        double dj = chol_pivot(a, k, j);
        bool keep = d0[j] > 0.0 && dj > 1e-12 * d0[j];
        if (dep)
            dep[j] = !keep;
        if (!keep) {
            for (size_t i = j; i < k; i++)
                a[i * k + j] = 0.0; /* the column drops out of later pivots */
            continue;
        }
        chol_column(a, k, j, dj);
        rank++;
    }
    for (size_t i = 0; i < k; i++) { /* L z = r over the kept columns */
        double s = r[i];
        for (size_t p = 0; p < i; p++)
            s -= a[i * k + p] * r[p];
        r[i] = a[i * k + i] > 0.0 ? s / a[i * k + i] : 0.0;
    }
    for (size_t i = k; i-- > 0;) { /* L' b = z */
        double s = r[i];
        for (size_t p = i + 1; p < k; p++)
            s -= a[p * k + i] * b[p];
        b[i] = a[i * k + i] > 0.0 ? s / a[i * k + i] : 0.0;
    }
    return rank;
}
