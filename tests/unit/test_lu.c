/*
 * test_lu.c — the sparse LU with eta updates (src/game/lu_sparse.c): ftran and
 * btran residuals on random sparse, arrow-shaped and fully dense matrices
 * (the dense ones force fill-in and pool regrowth), column replacements by
 * eta against an explicitly updated matrix, singular matrices, reuse of one
 * struct for several sizes, and out-of-memory at every allocation.
 */
#include "harness.h"

#include "game/lu_sparse.h"

static const struct casus_alloc heap = {casus_default_alloc, NULL};

/* A fixed LCG, so every run sees the same matrices. */
static double rnd(uint64_t *s)
{
    *s = *s * 6364136223846793005u + 1442695040888963407u;
    return (double)(*s >> 11) * 0x1p-53;
}

/* A dense n x n column-major matrix and its compressed columns. */
struct mat {
    uint32_t n;
    double *a; /* a[j * n + i] */
    uint32_t *cp, *ri;
    double *v;
};

static void mat_pack(struct mat *m)
{
    uint32_t n = m->n, k = 0;
    for (uint32_t j = 0; j < n; j++) {
        m->cp[j] = k;
        for (uint32_t i = 0; i < n; i++)
            if (m->a[(size_t)j * n + i] != 0.0) {
                m->ri[k] = i;
                m->v[k++] = m->a[(size_t)j * n + i];
            }
    }
    m->cp[n] = k;
}

/* kind 0: random sparse plus a diagonal; 1: arrow (dense first row and
 * column); 2: fully dense. */
static void mat_make(struct mat *m, uint32_t n, int kind, uint64_t *s)
{
    m->n = n;
    m->a = calloc((size_t)n * n, sizeof *m->a);
    m->cp = malloc(sizeof *m->cp * (n + 1));
    m->ri = malloc(sizeof *m->ri * ((size_t)n * n + 1));
    m->v = malloc(sizeof *m->v * ((size_t)n * n + 1));
    for (uint32_t j = 0; j < n; j++)
        for (uint32_t i = 0; i < n; i++) {
            double *x = &m->a[(size_t)j * n + i];
            if (i == j)
                *x = 2.0 + rnd(s);
            else if (kind == 2 || (kind == 1 && (i == 0 || j == 0)))
                *x = rnd(s) - 0.5;
            else if (kind == 0 && rnd(s) < 3.0 / n)
                *x = rnd(s) * 2.0 - 1.0;
        }
    mat_pack(m);
}

static void mat_free(struct mat *m)
{
    free(m->a);
    free(m->cp);
    free(m->ri);
    free(m->v);
}

/* max |B x - b| after x = ftran(b), and max |y^T B - c^T| after
 * y = btran(c), for random b and c. */
static double solve_error(struct casus_lu *lu, const struct mat *m, uint64_t *s)
{
    uint32_t n = m->n;
    double *b = malloc(sizeof *b * n), *x = malloc(sizeof *x * n);
    double err = 0.0;
    for (uint32_t i = 0; i < n; i++)
        x[i] = b[i] = rnd(s) - 0.5;
    casus_lu_ftran(lu, x);
    for (uint32_t i = 0; i < n; i++) {
        double r = -b[i];
        for (uint32_t j = 0; j < n; j++)
            r += m->a[(size_t)j * n + i] * x[j];
        err = fmax(err, fabs(r));
    }
    for (uint32_t j = 0; j < n; j++)
        x[j] = b[j];
    casus_lu_btran(lu, x);
    for (uint32_t j = 0; j < n; j++) {
        double r = -b[j];
        for (uint32_t i = 0; i < n; i++)
            r += x[i] * m->a[(size_t)j * n + i];
        err = fmax(err, fabs(r));
    }
    free(b);
    free(x);
    return err;
}

static void test_factor_solve(void)
{
    static const uint32_t sizes[] = {1, 2, 7, 60, 400};
    uint64_t s = 42;
    struct casus_lu lu;
    casus_lu_init(&lu, &heap);
    for (int kind = 0; kind < 3; kind++)
        for (size_t k = 0; k < CASUS_ARRAY_LEN(sizes); k++) {
            if (kind == 2 && sizes[k] > 60)
                continue;
            struct mat m;
            mat_make(&m, sizes[k], kind, &s);
            CHECK_INT(casus_lu_factor(&lu, m.n, m.cp, m.ri, m.v), CASUS_OK);
            double e = solve_error(&lu, &m, &s);
            if (e > 1e-10)
                printf("  kind %d n %u: error %g\n", kind, m.n, e);
            CHECK(e <= 1e-10);
            CHECK(casus_lu_nnz(&lu) >= m.n);
            mat_free(&m);
        }
    casus_lu_release(&lu);
}

/* Replace columns one by one through etas; the solves must match the
 * explicitly updated matrix, and so must a refactorisation. */
static void test_updates(void)
{
    uint64_t s = 7;
    struct casus_lu lu;
    casus_lu_init(&lu, &heap);
    struct mat m;
    mat_make(&m, 80, 0, &s);
    CHECK_INT(casus_lu_factor(&lu, m.n, m.cp, m.ri, m.v), CASUS_OK);
    double *col = malloc(sizeof *col * m.n), *alpha = malloc(sizeof *alpha * m.n);
    for (int step = 0; step < 60; step++) {
        uint32_t r = (uint32_t)(rnd(&s) * m.n);
        for (uint32_t i = 0; i < m.n; i++)
            col[i] = rnd(&s) < 0.1 ? rnd(&s) - 0.5 : 0.0;
        col[r] += 1.5;
        memcpy(alpha, col, sizeof *alpha * m.n);
        casus_lu_ftran(&lu, alpha);
        if (fabs(alpha[r]) < 1e-3)
            continue; /* would make the basis (nearly) singular */
        CHECK_INT(casus_lu_update(&lu, r, alpha), CASUS_OK);
        memcpy(&m.a[(size_t)r * m.n], col, sizeof *col * m.n);
        double e = solve_error(&lu, &m, &s);
        CHECK(e <= 1e-9);
    }
    CHECK(lu.neta > 10);
    CHECK(casus_lu_eta_nnz(&lu) > 0);
    mat_pack(&m);
    CHECK_INT(casus_lu_factor(&lu, m.n, m.cp, m.ri, m.v), CASUS_OK);
    CHECK_INT(lu.neta, 0);
    CHECK(solve_error(&lu, &m, &s) <= 1e-10);
    free(col);
    free(alpha);
    mat_free(&m);
    casus_lu_release(&lu);
}

static void test_singular(void)
{
    /* columns 0 and 1 equal; then an empty row */
    static const uint32_t cp[] = {0, 2, 4, 5}, ri[] = {0, 1, 0, 1, 2};
    static const double v[] = {1.0, 2.0, 1.0, 2.0, 3.0};
    static const uint32_t cp2[] = {0, 1, 2, 3}, ri2[] = {0, 0, 2};
    static const double v2[] = {1.0, 1.0, 1.0};
    struct casus_lu lu;
    casus_lu_init(&lu, &heap);
    CHECK_INT(casus_lu_factor(&lu, 3, cp, ri, v), CASUS_ESTATE);
    CHECK_INT(lu.n, 0);
    double x[3] = {1.0, 2.0, 3.0};
    casus_lu_ftran(&lu, x); /* empty factorisation: does nothing */
    casus_lu_btran(&lu, x);
    CHECK(x[0] == 1.0 && x[2] == 3.0);
    CHECK_INT(casus_lu_factor(&lu, 3, cp2, ri2, v2), CASUS_ESTATE);
    casus_lu_release(&lu);
}

struct failing {
    int countdown;
};

static void *failing_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    struct failing *f = ud;
    if (nsize != 0 && f->countdown-- == 0)
        return NULL;
    return casus_default_alloc(NULL, ptr, osize, nsize);
}

/* Fail the k-th allocation of factor + updates + refactor, k = 0, 1, ...:
 * every failure is a clean CASUS_ENOMEM (ASan checks the frees). */
static void test_oom(void)
{
    uint64_t s0 = 3;
    struct mat m;
    mat_make(&m, 40, 2, &s0);
    double *alpha = malloc(sizeof *alpha * m.n);
    bool done = false;
    for (int k = 0; k < 10000 && !done; k++) {
        struct failing f = {k};
        struct casus_alloc a = {failing_alloc, &f};
        struct casus_lu lu;
        casus_lu_init(&lu, &a);
        casus_status st = casus_lu_factor(&lu, m.n, m.cp, m.ri, m.v);
        for (uint32_t t = 0; st == CASUS_OK && t < 100; t++) {
            uint32_t r = t % m.n;
            for (uint32_t i = 0; i < m.n; i++)
                alpha[i] = m.a[(size_t)r * m.n + i];
            casus_lu_ftran(&lu, alpha);
            st = casus_lu_update(&lu, r, alpha);
        }
        if (st == CASUS_OK)
            st = casus_lu_factor(&lu, m.n, m.cp, m.ri, m.v);
        if (st == CASUS_OK)
            done = true;
        else
            CHECK_INT(st, CASUS_ENOMEM);
        casus_lu_release(&lu);
    }
    CHECK(done);
    free(alpha);
    mat_free(&m);
}

int main(void)
{
    RUN(test_factor_solve);
    RUN(test_updates);
    RUN(test_singular);
    RUN(test_oom);
    return harness_done("lu");
}
