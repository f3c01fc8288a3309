/*
 * eq_qre.c — agent logit QRE: evaluation of the log-odds equations and
 * their exact Jacobian, dense LU, the arclength path follower and the
 * perfect-information trace (see eq_qre.h for the method and contracts).
 */
#include "eq_qre.h"

#include <math.h>

#define QRE_MAX_FIRST  0.4 /* largest first corrector step (Gambit's maxDist) */
#define QRE_MAX_CONTR  0.6 /* largest corrector contraction ratio */
#define QRE_MAX_ITERS  30  /* corrector iterations per step */
#define QRE_MIN_STEP   1e-13
#define QRE_NOM_DIST   0.02 /* nominal first corrector step */
#define QRE_NOM_CONTR  0.2  /* nominal contraction ratio */
#define QRE_RES        1e-9 /* residual accepted as on the path, relative */
#define QRE_FLOOR      1e-7 /* residual accepted when Newton stagnates (ill-conditioned) */
#define QRE_JUMP_BELOW 1e-3 /* step size that triggers a jump across a singular point */
#define QRE_NEWTON_MAX 12
#define QRE_CONV       1e-9 /* componentwise corrector convergence, relative */

casus_status casus_qre_ws_init(struct casus_qre_ws *q, const struct casus_alloc *a,
                               const struct casus_game *g, uint32_t max_unknowns)
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
    q->B = casus_arena_alloc(ar, sizeof(double) * M1 * M1);
    q->A = casus_arena_alloc(ar, sizeof(double) * M1 * M1);
    q->piv = casus_arena_alloc(ar, sizeof *q->piv * M1);
    q->piv2 = casus_arena_alloc(ar, sizeof *q->piv2 * M1);
    double **vec[] = {&q->u, &q->v, &q->t, &q->w, &q->F, &q->u0};
    bool ok = q->var0 && q->var_iset && q->inact && q->logp && q->p && q->av && q->dlogp &&
              q->dav && q->logr && q->mu && q->dlogr && q->V && q->dV && q->B && q->A && q->piv &&
              q->piv2;
    for (size_t i = 0; i < CASUS_ARRAY_LEN(vec); i++) {
        *vec[i] = casus_arena_alloc(ar, sizeof(double) * M1);
        ok = ok && *vec[i];
    }
    if (!ok) {
        casus_arena_release(&q->arena);
        return CASUS_ENOMEM;
    }
    uint32_t k = 0;
    for (uint32_t s = 0; s < g->niset; s++) {
        q->var0[s] = CASUS_NONE;
        if (s >= g->pl_iset0[1] && g->iset[s].nact > 1) {
            q->var0[s] = k;
            for (uint32_t j = 1; j < g->iset[s].nact; j++)
                q->var_iset[k++] = s;
        }
    }
    for (uint32_t n = 0; n < g->nnodes; n++) {
        const struct casus_game_node *nd = &g->node[n];
        q->inact[n] = nd->parent == CASUS_NONE ? CASUS_NONE
                                               : g->iset[g->node[nd->parent].iset].act0 + nd->pos;
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
    casus_arena_release(&q->arena);
    memset(q, 0, sizeof *q);
}

/* Probabilities of the personal actions from the log-odds y (log-softmax
 * with the largest term factored out). */
static void set_probs(struct casus_qre_ws *q, const double *y)
{
    const struct casus_game *g = q->g;
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
    const struct casus_game *g = q->g;
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
static void residual(struct casus_qre_ws *q, const double *y, double lambda, double *F)
{
    const struct casus_game *g = q->g;
    set_probs(q, y);
    evaluate(q);
    for (uint32_t k = 0; k < q->m; k++) {
        const struct casus_game_iset *is = &g->iset[q->var_iset[k]];
        uint32_t j = k - q->var0[q->var_iset[k]] + 1;
        F[k] = y[k] - lambda * (q->av[is->act0 + j] - q->av[is->act0]);
    }
}

/* Relative conditional agent regret at the current evaluation. */
static double agent_regret(const struct casus_qre_ws *q)
{
    const struct casus_game *g = q->g;
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

/* Jacobian of F at the current evaluation into rows of J (row stride ld):
 * columns 0..m-1 by y, column m by λ (when ld > m).  One forward and one
 * backward tree pass per unknown: O(m · nodes · players). */
static void jacobian(struct casus_qre_ws *q, const double *y, double lambda, double *J, size_t ld)
{
    const struct casus_game *g = q->g;
    const uint32_t N = g->nnodes, np = g->nplayers, m = q->m;
    memset(q->dlogp, 0, sizeof(double) * g->nact);
    for (uint32_t col = 0; col < m; col++) {
        const uint32_t K = q->var_iset[col];
        const struct casus_game_iset *ks = &g->iset[K];
        const uint32_t jj = col - q->var0[K] + 1;
        for (uint32_t a = 0; a < ks->nact; a++)
            q->dlogp[ks->act0 + a] = (a == jj ? 1.0 : 0.0) - q->p[ks->act0 + jj];
        q->dlogr[0] = 0;
        for (uint32_t n = 1; n < N; n++)
            q->dlogr[n] = q->dlogr[g->node[n].parent] + q->dlogp[q->inact[n]];
        for (uint32_t n = N; n-- > 0;) {
            const struct casus_game_node *nd = &g->node[n];
            double *dv = q->dV + (size_t)n * np;
            for (uint32_t i = 0; i < np; i++)
                dv[i] = 0;
            for (uint32_t c = 0; c < nd->nchild; c++) {
                uint32_t ch = g->child[nd->child0 + c];
                double pc = q->p[q->inact[ch]];
                if (pc == 0)
                    continue;
                double dl = q->dlogp[q->inact[ch]];
                const double *cv = q->V + (size_t)ch * np, *cd = q->dV + (size_t)ch * np;
                for (uint32_t i = 0; i < np; i++)
                    dv[i] += pc * (dl * cv[i] + cd[i]);
            }
        }
        for (uint32_t s = g->pl_iset0[1]; s < g->niset; s++) {
            if (q->var0[s] == CASUS_NONE)
                continue;
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
                J[row * ld + col] =
                    (row == col ? 1.0 : 0.0) - lambda * (q->dav[is->act0 + a] - q->dav[is->act0]);
            }
        }
        for (uint32_t a = 0; a < ks->nact; a++)
            q->dlogp[ks->act0 + a] = 0;
    }
    if (ld > m)
        for (uint32_t row = 0; row < m; row++) {
            const struct casus_game_iset *is = &g->iset[q->var_iset[row]];
            uint32_t a = row - q->var0[q->var_iset[row]] + 1;
            J[row * ld + m] = -(q->av[is->act0 + a] - q->av[is->act0]);
        }
    (void)y;
}

/* LU with partial pivoting of the n×n row-major A, in place.  False when a
 * pivot is exactly zero or not finite.  O(n³). */
static bool lu_factor(double *A, uint32_t n, uint32_t *piv)
{
    for (uint32_t k = 0; k < n; k++) {
        uint32_t p = k;
        double best = fabs(A[(size_t)k * n + k]);
        for (uint32_t i = k + 1; i < n; i++)
            if (fabs(A[(size_t)i * n + k]) > best) {
                best = fabs(A[(size_t)i * n + k]);
                p = i;
            }
        piv[k] = p;
        if (!(best > 0) || !isfinite(best))
            return false;
        if (p != k)
            for (uint32_t j = 0; j < n; j++) {
                double tmp = A[(size_t)k * n + j];
                A[(size_t)k * n + j] = A[(size_t)p * n + j];
                A[(size_t)p * n + j] = tmp;
            }
        const double *rk = A + (size_t)k * n;
        const double inv = 1.0 / rk[k];
        for (uint32_t i = k + 1; i < n; i++) {
            double *ri = A + (size_t)i * n;
            double l = ri[k] * inv;
            ri[k] = l;
            if (l == 0)
                continue;
            for (uint32_t j = k + 1; j < n; j++)
                ri[j] -= l * rk[j];
        }
    }
    return true;
}

static void lu_solve(const double *A, uint32_t n, const uint32_t *piv, double *b)
{
    /* rows were swapped whole (L included), so permute b first */
    for (uint32_t k = 0; k < n; k++)
        if (piv[k] != k) {
            double tmp = b[k];
            b[k] = b[piv[k]];
            b[piv[k]] = tmp;
        }
    for (uint32_t i = 1; i < n; i++) {
        const double *ri = A + (size_t)i * n;
        double s = b[i];
        for (uint32_t k = 0; k < i; k++)
            s -= ri[k] * b[k];
        b[i] = s;
    }
    for (uint32_t k = n; k-- > 0;) {
        double s = b[k];
        for (uint32_t j = k + 1; j < n; j++)
            s -= A[(size_t)k * n + j] * b[j];
        b[k] = s / A[(size_t)k * n + k];
    }
}

static double norm2(const double *x, uint32_t n)
{
    double s = 0;
    for (uint32_t i = 0; i < n; i++)
        s += x[i] * x[i];
    return sqrt(s);
}

static double max_abs_rel(const double *F, const double *y, uint32_t m)
{
    double r = 0;
    for (uint32_t i = 0; i < m; i++) {
        double e = fabs(F[i]) / (1.0 + fabs(y[i]));
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
        residual(q, y, lambda, F);
        double r = max_abs_rel(F, y, m);
        *iters = it;
        *resid = r;
        if (r <= 1e-12)
            return true;
        if (it == QRE_NEWTON_MAX || !isfinite(r))
            return r <= QRE_RES; /* stagnating at the rounding floor */
        jacobian(q, y, lambda, q->A, m);
        if (!lu_factor(q->A, m, q->piv))
            return false;
        for (uint32_t i = 0; i < m; i++)
            q->w[i] = -F[i];
        lu_solve(q->A, m, q->piv, q->w);
        for (uint32_t i = 0; i < m; i++)
            y[i] += q->w[i];
    }
}

/* Factor [J(u); t] into q->B and solve for the new tangent (into q->w,
 * normalised).  False if the bordered matrix is singular. */
static bool tangent(struct casus_qre_ws *q)
{
    const uint32_t m = q->m, n = m + 1;
    jacobian(q, q->u, q->u[m], q->B, n);
    memcpy(q->B + (size_t)m * n, q->t, sizeof(double) * n);
    if (!lu_factor(q->B, n, q->piv))
        return false;
    memset(q->w, 0, sizeof(double) * n);
    q->w[m] = 1.0;
    lu_solve(q->B, n, q->piv, q->w);
    double nr = norm2(q->w, n);
    if (!(nr > 0) || !isfinite(nr))
        return false;
    for (uint32_t i = 0; i < n; i++)
        q->w[i] /= nr;
    return true;
}

/* Record a failure of the tracer and return CASUS_EINVAL. */
#define QRE_FAIL(d, code, ...)                                                                     \
    do {                                                                                           \
        if (d)                                                                                     \
            casus_diag_add(d, CASUS_SEV_ERROR, NULL, code, __VA_ARGS__);                           \
        return CASUS_ENOCONV;                                                                      \
    } while (0)

/* Correct the predicted point q->v back onto the path, keeping t·Δ = 0.
 * Chord mode reuses the factored [J(u); t] in q->B; full mode refactors
 * [J(v); t] at every iterate (into q->A).  Reports the iterations, the first
 * correction (the predictor's error), the first contraction ratio and the
 * last correction.  False when the corrections do not contract. */
static bool correct(struct casus_qre_ws *q, bool full, uint32_t *iters, double *first,
                    double *contr, double *last)
{
    const uint32_t m = q->m, n = m + 1;
    double *v = q->v, prev = 0;
    *first = *contr = *last = 0;
    for (uint32_t it = 0; it < QRE_MAX_ITERS; it++) {
        *iters = it;
        residual(q, v, v[m], q->F);
        double res = max_abs_rel(q->F, v, m);
        if (res <= QRE_RES)
            return true; /* on the path to rounding accuracy */
        for (uint32_t i = 0; i < m; i++)
            q->w[i] = -q->F[i];
        q->w[m] = 0;
        if (full) {
            jacobian(q, v, v[m], q->A, n);
            memcpy(q->A + (size_t)m * n, q->t, sizeof(double) * n);
            if (!lu_factor(q->A, n, q->piv2))
                return false;
            lu_solve(q->A, n, q->piv2, q->w);
        } else {
            lu_solve(q->B, n, q->piv, q->w);
        }
        double dn = norm2(q->w, n), vn = norm2(v, n);
        *last = dn;
        if (!isfinite(dn) || (it == 0 && dn > QRE_MAX_FIRST))
            return false;
        if (it > 0 && dn > QRE_MAX_CONTR * prev)
            return dn <= QRE_CONV * (1.0 + vn) || res <= QRE_FLOOR; /* the rounding floor */
        if (it == 0)
            *first = dn;
        else if (it == 1)
            *contr = dn / prev;
        bool conv = dn <= 1e-14 * (1.0 + vn), comp = true;
        for (uint32_t i = 0; i < n; i++) {
            v[i] += q->w[i];
            if (fabs(q->w[i]) > QRE_CONV * (1.0 + fabs(v[i])))
                comp = false;
        }
        prev = dn;
        if (conv || comp)
            return true;
    }
    return false;
}

casus_status casus_qre_trace(struct casus_qre_ws *q, const struct casus_qre_opts *o,
                             struct casus_diags *d, double *prob, struct casus_qre_result *res)
{
    const uint32_t m = q->m, n = m + 1;
    memset(res, 0, sizeof *res);
    memset(q->u, 0, sizeof(double) * n);
    memset(q->t, 0, sizeof(double) * n);
    q->t[m] = 1.0;
    residual(q, q->u, 0.0, q->F);
    double reg = agent_regret(q);
    res->regret = reg;
    if (o->fn && !o->fn(o->ud, 0.0, q->p, reg))
        goto done;
    if (m == 0 || (o->lambda_stop < 0 && reg <= o->tol)) {
        res->reached = true;
        goto done;
    }
    if (o->lambda_stop == 0) {
        res->reached = true;
        goto done;
    }
    if (!tangent(q))
        QRE_FAIL(d, "logit-singular", "logit: singular Jacobian at λ = 0");
    memcpy(q->t, q->w, sizeof(double) * n);
    double h = o->step0;
    for (;;) {
        double *v = q->v;
        for (uint32_t i = 0; i < n; i++)
            v[i] = q->u[i] + h * q->t[i];
        uint32_t it;
        double first = 0, contr = 0, last = 0;
        bool ok = false;
        if (h < QRE_JUMP_BELOW) {
            /* Steps shrink as the path nears a singular point of the
             * Jacobian (a symmetry-breaking bifurcation, where the branch
             * itself stays smooth): step across it with full Newton on the
             * far side, where the system is regular again. */
            static const double jump[] = {0.02, 0.05, 0.1, 0.2};
            for (size_t k = 0; k < CASUS_ARRAY_LEN(jump) && !ok; k++) {
                for (uint32_t i = 0; i < n; i++)
                    v[i] = q->u[i] + jump[k] * q->t[i];
                ok = correct(q, true, &it, &first, &contr, &last) && v[m] > q->u[m];
            }
            if (ok) {
                res->jumps++;
                first = contr = 0;
                h = o->step0;
            } else {
                for (uint32_t i = 0; i < n; i++)
                    v[i] = q->u[i] + h * q->t[i];
            }
        }
        if (!ok)
            ok = correct(q, false, &it, &first, &contr, &last);
        if (!ok) /* near a singular point the chord matrix is poor: full Newton */
            ok = correct(q, true, &it, &first, &contr, &last);
        if (!ok) {
            res->rejected++;
            h *= 0.5;
            if (h < QRE_MIN_STEP)
                QRE_FAIL(d, "logit-stalled",
                         "logit: the path cannot be followed beyond λ = %g (step size "
                         "underflow after %u corrector iterations, last correction %g)",
                         q->u[m], it, last);
            continue;
        }
        if (o->lambda_stop > 0 && v[m] >= o->lambda_stop) {
            /* land on λ_stop: interpolate between u and v, then Newton */
            double s = (o->lambda_stop - q->u[m]) / (v[m] - q->u[m]);
            for (uint32_t i = 0; i < m; i++)
                q->u0[i] = q->u[i] + s * (v[i] - q->u[i]);
            uint32_t iters;
            double r;
            if (!casus_qre_newton(q, o->lambda_stop, q->u0, &iters, &r)) {
                res->iters = iters;
                res->residual = r;
                QRE_FAIL(d, "logit-no-convergence",
                         "logit: no fixed point found at λ = %g (%u Newton iterations, "
                         "residual %.3g)",
                         o->lambda_stop, iters, r);
            }
            memcpy(q->u, q->u0, sizeof(double) * m);
            q->u[m] = o->lambda_stop;
            residual(q, q->u, q->u[m], q->F);
            res->steps++;
            res->regret = agent_regret(q);
            res->reached = true;
            if (o->fn)
                o->fn(o->ud, q->u[m], q->p, res->regret);
            goto done;
        }
        memcpy(q->u, v, sizeof(double) * n);
        res->steps++;
        residual(q, q->u, q->u[m], q->F);
        reg = agent_regret(q);
        res->regret = reg;
        if (o->fn && !o->fn(o->ud, q->u[m], q->p, reg))
            goto done;
        if (o->lambda_stop < 0 && reg <= o->tol) {
            res->reached = true;
            goto done;
        }
        if (q->u[m] < 0 || q->u[m] > o->max_lambda || res->steps >= o->max_steps)
            goto done;
        if (!tangent(q))
            QRE_FAIL(d, "logit-singular", "logit: singular Jacobian at λ = %g after %u steps",
                     q->u[m], res->steps);
        memcpy(q->t, q->w, sizeof(double) * n);
        /* Allgower–Georg step control: the first correction grows like h²
         * and the contraction like h; aim both at their nominal values */
        double decel = sqrt(first / QRE_NOM_DIST);
        if (first > 1e-6 && sqrt(contr / QRE_NOM_CONTR) > decel) /* else: rounding noise */
            decel = sqrt(contr / QRE_NOM_CONTR);
        if (decel < 1.0 / o->max_decel)
            decel = 1.0 / o->max_decel;
        if (decel > 2.0)
            decel = 2.0;
        h /= decel;
    }
done:
    res->lambda = q->u[m];
    memcpy(prob, q->p, sizeof(double) * q->g->nact);
    return CASUS_OK;
}

/* Relative conditional agent regret of a solved compact tree: each decision
 * node is its own information set. */
static double pi_regret(const struct casus_pitree *t, const double *prob, const double *val,
                        double range)
{
    double worst = 0;
    for (uint32_t v = 0; v < t->n; v++) {
        uint32_t c0 = t->cs[v], c1 = t->cs[v + 1];
        if (c0 == c1 || t->who[v] == 0)
            continue;
        unsigned i = t->who[v] - 1u;
        double best = val[(size_t)c0 * t->np + i], cur = 0;
        for (uint32_t c = c0; c < c1; c++) {
            double x = val[(size_t)c * t->np + i];
            if (x > best)
                best = x;
            cur += prob[c] * x;
        }
        if (best - cur > worst)
            worst = best - cur;
    }
    return worst / range;
}

casus_status casus_qre_trace_pi(struct casus_pitree_game *pg, const struct casus_game *g,
                                double *val, const struct casus_qre_opts *o, double *prob,
                                struct casus_qre_result *res)
{
    memset(res, 0, sizeof *res);
    double range = g->pay_max - g->pay_min > 0 ? g->pay_max - g->pay_min : 1.0;
    double lambda = 0, h = o->step0;
    for (;;) {
        double lam = lambda;
        bool last = false;
        if (o->lambda_stop >= 0 && lam >= o->lambda_stop) {
            lam = o->lambda_stop;
            last = true;
        }
        casus_logit_pi_solve(&pg->t, lam, pg->prob, val);
        double reg = pi_regret(&pg->t, pg->prob, val, range);
        casus_pitree_to_behav(pg, g, prob);
        res->lambda = lam;
        res->regret = reg;
        if (o->fn && !o->fn(o->ud, lam, prob, reg))
            return CASUS_OK;
        if (last || (o->lambda_stop < 0 && reg <= o->tol)) {
            res->reached = true;
            return CASUS_OK;
        }
        if (lam > o->max_lambda || res->steps >= o->max_steps)
            return CASUS_OK;
        res->steps++;
        lambda += h;
        h *= o->max_decel > 1.0 ? (o->max_decel < 1.5 ? o->max_decel : 1.5) : 1.0;
    }
}
