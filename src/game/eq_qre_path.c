/*
 * eq_qre_path.c — the logit QRE path follower: predictor–corrector in
 * arclength with Allgower–Georg step control, fixed-λ landings, detection
 * and location of bifurcations (sign changes of det [J; tᵀ]), switching to
 * the crossing branch, and the perfect-information trace on the one-pass
 * solver.  The kernel (evaluation, Jacobian, sparse LU) is eq_qre.c; the
 * method and the contracts are in eq_qre.h.
 */
#include "game/eq_qre.h"

#include <math.h>
#include <stdlib.h>

#define QRE_MAX_FIRST  0.4 /* largest first corrector step, max-norm (Gambit's maxDist) */
#define QRE_MAX_CONTR  0.6 /* largest corrector contraction ratio */
#define QRE_MAX_ITERS  30  /* corrector iterations per step */
#define QRE_MIN_STEP   1e-13
#define QRE_NOM_DIST   0.02 /* nominal first corrector step, max-norm */
#define QRE_NOM_CONTR  0.2  /* nominal contraction ratio */
#define QRE_RES        1e-9 /* residual accepted as on the path, relative */
#define QRE_FLOOR      1e-7 /* residual accepted when Newton stagnates (ill-conditioned) */
#define QRE_JUMP_BELOW 1e-3 /* step size that triggers a jump across a singular point */
#define QRE_CONV       1e-9 /* componentwise corrector convergence, relative */

/* Largest |x_i|: the corrector's distances and the step controller use it,
 * so their nominal values bound each log-odds and do not shrink the steps
 * as the number of unknowns grows (a 2-norm would, by √m). */
static double normi(const double *x, uint32_t n)
{
    double s = 0;
    for (uint32_t i = 0; i < n; i++)
        if (fabs(x[i]) > s)
            s = fabs(x[i]);
    return s;
}

static double norm2(const double *x, uint32_t n)
{
    double s = 0;
    for (uint32_t i = 0; i < n; i++)
        s += x[i] * x[i];
    return sqrt(s);
}

/* The tangent at the point x, oriented by the row r: factor [J(x); rᵀ]
 * into q->luB, solve [J; rᵀ] w = e_{m+1} and normalise w (into q->w), so
 * that r·w > 0.  The evaluation must be at x (casus_qre_residual).  *sign
 * and *logdet: of det [J(x); rᵀ].  False if that matrix is singular. */
static bool tangent_at(struct casus_qre_ws *q, const double *x, const double *r, int *sign,
                       double *logdet)
{
    const uint32_t m = q->m, n = m + 1;
    casus_qre_jacobian(q, x[m]);
    if (!casus_qre_factor(q, true, r, &q->luB))
        return false;
    *logdet = casus_qre_lu_logdet(q, &q->luB, n, sign);
    memset(q->w, 0, sizeof(double) * n);
    q->w[m] = 1.0;
    casus_qre_lu_solve(&q->luB, n, q->w, q->lw);
    double nr = norm2(q->w, n);
    if (!(nr > 0) || !isfinite(nr))
        return false;
    for (uint32_t i = 0; i < n; i++)
        q->w[i] /= nr;
    return true;
}

/* Record a failure of the tracer and return CASUS_ENOCONV (CASUS_ENOMEM
 * when an LU pool could not grow). */
#define QRE_FAIL(d, code, ...)                                                                     \
    do {                                                                                           \
        if (q->oom)                                                                                \
            return CASUS_ENOMEM;                                                                   \
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
        casus_qre_residual(q, v, v[m], q->F);
        double res = casus_qre_resid_rel(q, q->F, v, v[m]);
        if (res <= QRE_RES)
            return true; /* on the path to rounding accuracy */
        for (uint32_t i = 0; i < m; i++)
            q->w[i] = -q->F[i];
        q->w[m] = 0;
        if (full) {
            casus_qre_jacobian(q, v[m]);
            if (!casus_qre_factor(q, true, q->t, &q->luA))
                return false;
            casus_qre_lu_solve(&q->luA, n, q->w, q->lw);
        } else {
            casus_qre_lu_solve(&q->luB, n, q->w, q->lw);
        }
        double dn = normi(q->w, n), vn = normi(v, n);
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

/* The state of one trace. */
struct trace {
    struct casus_qre_ws *q;
    const struct casus_qre_opts *o;
    struct casus_diags *d;
    struct casus_qre_result *res;
    double h;            /* the next step's arclength */
    double first, contr; /* the last corrector's first step and contraction */
    int sign;            /* sign of det [J(u); t] at the current point */
    double logdet;       /* its log |det| */
    bool stop;           /* a callback asked to stop */
};

/* One predictor–corrector step from (q->u, q->t) into q->v, halving h
 * until the corrector converges; when h has shrunk below QRE_JUMP_BELOW
 * near a singular point, a jump across it is tried first.  CASUS_ENOCONV
 * (CASUS_ENOMEM) when h underflows.  O(corrector iterations · LU). */
static casus_status step(struct trace *T)
{
    struct casus_qre_ws *q = T->q;
    const uint32_t m = q->m, n = m + 1;
    double *v = q->v, last = 0;
    uint32_t it = 0;
    for (;;) {
        bool ok = false;
        if (T->h < QRE_JUMP_BELOW) {
            /* Steps shrink as the path nears a singular point of the
             * Jacobian (where the branch itself stays smooth): step across
             * it with full Newton on the far side, where the system is
             * regular again. */
            static const double jump[] = {0.02, 0.05, 0.1, 0.2};
            for (size_t k = 0; k < CASUS_ARRAY_LEN(jump) && !ok; k++) {
                for (uint32_t i = 0; i < n; i++)
                    v[i] = q->u[i] + jump[k] * q->t[i];
                ok = correct(q, true, &it, &T->first, &T->contr, &last) && v[m] > q->u[m];
            }
            if (ok) {
                T->res->jumps++;
                T->first = T->contr = 0;
                T->h = T->o->step0;
                return CASUS_OK;
            }
        }
        for (uint32_t i = 0; i < n; i++)
            v[i] = q->u[i] + T->h * q->t[i];
        ok = correct(q, false, &it, &T->first, &T->contr, &last);
        if (!ok) /* near a singular point the chord matrix is poor: full Newton */
            ok = correct(q, true, &it, &T->first, &T->contr, &last);
        if (ok)
            return CASUS_OK;
        T->res->rejected++;
        T->h *= 0.5;
        if (T->h < QRE_MIN_STEP)
            QRE_FAIL(T->d, "logit-stalled",
                     "logit: the path cannot be followed beyond λ = %g (step size "
                     "underflow after %u corrector iterations, last correction %g)",
                     q->u[m], it, last);
    }
}

/* ---- bifurcations -------------------------------------------------------- */

static double dot(const double *a, const double *b, uint32_t n)
{
    double s = 0;
    for (uint32_t i = 0; i < n; i++)
        s += a[i] * b[i];
    return s;
}

/* det [J(x); taᵀ] relative to its value at ua (sign included), at the
 * point x of the branch at arclength s from ua along ta, predicted by
 * interpolating between the points xa (at sa) and xb (at sb) and corrected
 * by full Newton into q->v; q->luA then holds the factors.  False when the
 * corrector fails. */
static bool det_at(struct trace *T, double s, const double *xa, double sa, const double *xb,
                   double sb, double *det)
{
    struct casus_qre_ws *q = T->q;
    const uint32_t m = q->m, n = m + 1;
    double f = sb > sa ? (s - sa) / (sb - sa) : 0, first, contr, last;
    uint32_t it;
    for (uint32_t i = 0; i < n; i++)
        q->v[i] = xa[i] + f * (xb[i] - xa[i]);
    memcpy(q->t, q->ta, sizeof(double) * n);
    if (!correct(q, true, &it, &first, &contr, &last))
        return false;
    casus_qre_residual(q, q->v, q->v[m], q->F);
    casus_qre_jacobian(q, q->v[m]);
    if (!casus_qre_factor(q, true, q->ta, &q->luA))
        return false;
    int sg;
    double ld = casus_qre_lu_logdet(q, &q->luA, n, &sg) - T->logdet;
    *det = sg * exp(ld > 600 ? 600 : ld);
    return true;
}

/* Locate the zero of the determinant between ua (arclength 0, relative
 * determinant ±1) and ub (arclength sb, relative determinant db of the
 * other sign) by the Illinois variant of regula falsi.  The end of the
 * final bracket with the smaller determinant is left in q->v, its factors
 * [J; taᵀ] in q->luA (a point closer still can be exactly singular).
 * False when the first corrector fails. */
static bool locate(struct trace *T, double sb, double db)
{
    struct casus_qre_ws *q = T->q;
    const uint32_t m = q->m, n = m + 1;
    /* the bracket's end points on the branch (u0 is free until a fixed-λ
     * landing, which comes after) */
    double *xa = q->u0, *xb = q->xb, a = 0, fa = T->sign, b = sb, fb = db, fc;
    double ra = 1, rb = fabs(db); /* |det| at the ends, unscaled */
    memcpy(xa, q->ua, sizeof(double) * n);
    memcpy(xb, q->ub, sizeof(double) * n);
    int side = 0;
    for (int it = 0; it < 60 && b - a > 1e-9 * (1.0 + sb) && (ra < rb ? ra : rb) > 1e-10; it++) {
        double c = (fa * b - fb * a) / (fa - fb);
        if (!(c > a && c < b))
            c = 0.5 * (a + b);
        if (!det_at(T, c, xa, a, xb, b, &fc)) {
            if (it == 0)
                return false;
            break; /* numerically singular this close: the best end will do */
        }
        if ((fc > 0) == (fb > 0)) {
            b = c;
            fb = fc;
            rb = fabs(fc);
            memcpy(xb, q->v, sizeof(double) * n);
            if (side == -1)
                fa *= 0.5;
            side = -1;
        } else {
            a = c;
            fa = fc;
            ra = fabs(fc);
            memcpy(xa, q->v, sizeof(double) * n);
            if (side == 1)
                fb *= 0.5;
            side = 1;
        }
    }
    memcpy(q->v, ra < rb ? xa : xb, sizeof(double) * n);
    casus_qre_residual(q, q->v, q->v[m], q->F);
    casus_qre_jacobian(q, q->v[m]);
    return casus_qre_factor(q, true, q->ta, &q->luA);
}

/* The null vector of [J(u*); taᵀ], factored (nearly singular) in q->luA,
 * into q->z: two steps of inverse iteration from a fixed start, then made
 * orthogonal to ta, normalised, and signed so that its largest component
 * (the first of equals) is positive.  False if it is not finite. */
static bool null_vector(struct casus_qre_ws *q)
{
    const uint32_t n = q->m + 1;
    double *z = q->z;
    for (uint32_t i = 0; i < n; i++)
        z[i] = 1.0 + 0.1 * (double)(i % 7); /* no structure a symmetry could hide */
    for (int k = 0; k < 3; k++) {
        if (k < 2)
            casus_qre_lu_solve(&q->luA, n, z, q->lw);
        else {
            double c = dot(z, q->ta, n);
            for (uint32_t i = 0; i < n; i++)
                z[i] -= c * q->ta[i];
        }
        double nr = norm2(z, n);
        if (!(nr > 0) || !isfinite(nr))
            return false;
        for (uint32_t i = 0; i < n; i++)
            z[i] /= nr;
    }
    uint32_t big = 0;
    for (uint32_t i = 1; i < n; i++)
        if (fabs(z[i]) > fabs(z[big]) * (1 + 1e-9))
            big = i;
    if (z[big] < 0)
        for (uint32_t i = 0; i < n; i++)
            z[i] = -z[i];
    return true;
}

/* Step off the bifurcation point u* (in q->u0) onto the half of the
 * crossing branch in direction dir·z: correct u* + ε dir z by full Newton
 * in the hyperplane orthogonal to z (the branch being traced meets it only
 * far away, to second order), then take the tangent there oriented away
 * from u*.  On success q->v is the point (evaluation there), q->t = dir z,
 * q->w the tangent and *sign / *logdet those of det [J(v); dir zᵀ]. */
static bool step_off(struct trace *T, double dir, int *sign, double *logdet)
{
    static const double eps[] = {0.05, 0.02, 0.1, 0.2};
    struct casus_qre_ws *q = T->q;
    const uint32_t m = q->m, n = m + 1;
    for (size_t k = 0; k < CASUS_ARRAY_LEN(eps); k++) {
        uint32_t it;
        double first, contr, last, off = 0;
        for (uint32_t i = 0; i < n; i++) {
            q->t[i] = dir * q->z[i];
            q->v[i] = q->u0[i] + eps[k] * q->t[i];
        }
        if (!correct(q, true, &it, &first, &contr, &last))
            continue;
        for (uint32_t i = 0; i < n; i++)
            if (fabs(q->v[i] - q->u0[i] - eps[k] * q->t[i]) > off)
                off = fabs(q->v[i] - q->u0[i] - eps[k] * q->t[i]);
        if (off > 3 * eps[k])
            continue;
        casus_qre_residual(q, q->v, q->v[m], q->F);
        if (tangent_at(q, q->v, q->t, sign, logdet))
            return true;
    }
    return false;
}

/* Report a bifurcation at B (λ and profile filled in) and check the
 * branch asked for: CASUS_EINVAL (diagnostic) when it is not there. */
static casus_status report(struct trace *T, struct casus_qre_bif *B)
{
    const struct casus_qre_opts *o = T->o;
    B->index = T->res->nbif++;
    B->taken = B->index < o->nbranch ? o->branch[B->index] : 0;
    if (B->taken >= B->nbranch) {
        if (T->d)
            casus_diag_add(T->d, CASUS_SEV_ERROR, NULL, "logit-branch",
                           "logit: branch %u was asked for at bifurcation %u (λ = %.6g), but "
                           "%s",
                           B->taken, B->index + 1, B->lambda,
                           B->nbranch == 1 ? "the crossing branch could not be found there"
                                           : "only branches 0, 1 and 2 meet there");
        return CASUS_EINVAL;
    }
    if (o->on_bif && !o->on_bif(o->ud, B))
        T->stop = true;
    return CASUS_OK;
}

/* A sign change of det [J; tᵀ] between q->u (tangent q->t) and the
 * accepted point q->v (relative determinant sb·e^(ldb − logdet)): locate
 * the bifurcation, find the crossing branch, report it and set up the
 * branch to follow.  *switched: the trace goes on from (q->u, q->t) on the
 * crossing branch (evaluation there, T->sign updated); otherwise the caller
 * keeps q->v as accepted, with the evaluation, q->w and q->luB restored
 * there.  A point beyond a fixed λ being landed on is not reported.
 * Longer than most: the cases share the saved points.  O(60 corrections). */
static casus_status bifurcation(struct trace *T, double ldb, int sb, bool *switched)
{
    struct casus_qre_ws *q = T->q;
    const uint32_t m = q->m, n = m + 1, na = q->g->nact;
    *switched = false;
    memcpy(q->ua, q->u, sizeof(double) * n);
    memcpy(q->ta, q->t, sizeof(double) * n);
    memcpy(q->ub, q->v, sizeof(double) * n);
    double s_b = 0, rel = ldb - T->logdet;
    for (uint32_t i = 0; i < n; i++)
        s_b += q->ta[i] * (q->ub[i] - q->ua[i]);
    double db = sb * exp(rel > 600 ? 600 : rel);
    struct casus_qre_bif B;
    memset(&B, 0, sizeof B);
    B.nbranch = 1;
    bool found = s_b > 0 && locate(T, s_b, db);
    if (!found) { /* the determinant's secant zero stands for the point */
        double f = T->sign / (T->sign - db);
        for (uint32_t i = 0; i < n; i++)
            q->v[i] = q->ua[i] + f * (q->ub[i] - q->ua[i]);
    }
    memcpy(q->u0, q->v, sizeof(double) * n);
    B.lambda = q->u0[m];
    casus_qre_profile(q, q->u0, q->bprob);
    B.prob = q->bprob;
    casus_qre_profile(q, q->ub, q->bprob + na);
    B.blambda[0] = q->ub[m];
    B.bprob[0] = q->bprob + na;
    const struct casus_qre_opts *o = T->o;
    if (o->lambda_stop > 0 && B.lambda > o->lambda_stop)
        goto restore;
    uint32_t want = T->res->nbif < o->nbranch ? o->branch[T->res->nbif] : 0;
    int sg = 0;
    double ld = 0;
    if (found && null_vector(q)) {
        bool ok = true;
        for (int k = 0; k < 2 && ok; k++) {
            int side = (want == 1) == (k == 0) ? 2 : 1; /* the wanted one last */
            ok = step_off(T, side == 1 ? 1.0 : -1.0, &sg, &ld);
            if (ok) {
                casus_qre_profile(q, q->v, q->bprob + (size_t)(side + 1) * na);
                B.blambda[side] = q->v[m];
                B.bprob[side] = q->bprob + (size_t)(side + 1) * na;
            }
        }
        B.nbranch = ok ? 3 : 1;
    }
    casus_status st = report(T, &B);
    if (st != CASUS_OK || T->stop)
        return st;
    if (B.taken != 0) {
        memcpy(q->u, q->v, sizeof(double) * n);
        memcpy(q->t, q->w, sizeof(double) * n);
        T->sign = sg;
        T->logdet = ld;
        *switched = true;
        return CASUS_OK;
    }
restore:
    memcpy(q->v, q->ub, sizeof(double) * n);
    memcpy(q->t, q->ta, sizeof(double) * n);
    casus_qre_residual(q, q->v, q->v[m], q->F);
    if (!tangent_at(q, q->v, q->ta, &sg, &ld))
        QRE_FAIL(T->d, "logit-singular", "logit: singular Jacobian at λ = %g", q->v[m]);
    return CASUS_OK;
}

/* ---- the trace ------------------------------------------------------------ */

/* Land on o->lambda_stop between q->u and the accepted q->v: interpolate,
 * then Newton at that λ. */
static casus_status land(struct trace *T)
{
    struct casus_qre_ws *q = T->q;
    const struct casus_qre_opts *o = T->o;
    const uint32_t m = q->m;
    double *v = q->v, s = (o->lambda_stop - q->u[m]) / (v[m] - q->u[m]);
    for (uint32_t i = 0; i < m; i++)
        q->u0[i] = q->u[i] + s * (v[i] - q->u[i]);
    uint32_t iters;
    double r;
    if (!casus_qre_newton(q, o->lambda_stop, q->u0, &iters, &r)) {
        T->res->iters = iters;
        T->res->residual = r;
        QRE_FAIL(T->d, "logit-no-convergence",
                 "logit: no fixed point found at λ = %g (%u Newton iterations, residual %.3g)",
                 o->lambda_stop, iters, r);
    }
    memcpy(q->u, q->u0, sizeof(double) * m);
    q->u[m] = o->lambda_stop;
    casus_qre_residual(q, q->u, q->u[m], q->F);
    T->res->steps++;
    T->res->regret = casus_qre_agent_regret(q);
    T->res->reached = true;
    if (o->fn)
        o->fn(o->ud, q->u[m], q->p, T->res->regret);
    return CASUS_OK;
}

/* Allgower–Georg step control: the first correction grows like h² and
 * the contraction like h; aim both at their nominal values. */
static void step_control(struct trace *T)
{
    double decel = sqrt(T->first / QRE_NOM_DIST);
    if (T->first > 1e-6 && sqrt(T->contr / QRE_NOM_CONTR) > decel) /* else: rounding noise */
        decel = sqrt(T->contr / QRE_NOM_CONTR);
    if (decel < 1.0 / T->o->max_decel)
        decel = 1.0 / T->o->max_decel;
    if (decel > 2.0)
        decel = 2.0;
    T->h /= decel;
}

/* The start of a trace at λ = 0: true when it ends there. */
static bool start(struct trace *T)
{
    struct casus_qre_ws *q = T->q;
    const struct casus_qre_opts *o = T->o;
    const uint32_t n = q->m + 1;
    memset(q->u, 0, sizeof(double) * n);
    memset(q->t, 0, sizeof(double) * n);
    q->t[q->m] = 1.0;
    casus_qre_residual(q, q->u, 0.0, q->F);
    double reg = casus_qre_agent_regret(q);
    T->res->regret = reg;
    if (o->fn && !o->fn(o->ud, 0.0, q->p, reg))
        return true;
    T->res->reached = q->m == 0 || (o->lambda_stop < 0 && reg <= o->tol) || o->lambda_stop == 0;
    return T->res->reached;
}

casus_status casus_qre_trace(struct casus_qre_ws *q, const struct casus_qre_opts *o,
                             struct casus_diags *d, double *prob, struct casus_qre_result *res)
{
    const uint32_t m = q->m, n = m + 1;
    struct trace T = {q, o, d, res, o->step0, 0, 0, 1, 0, false};
    memset(res, 0, sizeof *res);
    if (start(&T))
        goto done;
    if (!tangent_at(q, q->u, q->t, &T.sign, &T.logdet))
        QRE_FAIL(d, "logit-singular", "logit: singular Jacobian at λ = 0");
    memcpy(q->t, q->w, sizeof(double) * n);
    for (;;) {
        casus_status st = step(&T);
        if (st != CASUS_OK)
            return st;
        casus_qre_residual(q, q->v, q->v[m], q->F);
        int sb = 0;
        double ldb = 0;
        bool t_ok = tangent_at(q, q->v, q->t, &sb, &ldb);
        if (t_ok && sb != T.sign && !o->on_bif && !o->nbranch) {
            res->nbif++; /* nobody asks where: go on along the branch, at no cost */
        } else if (t_ok && sb != T.sign) {
            bool sw;
            st = bifurcation(&T, ldb, sb, &sw);
            if (st != CASUS_OK)
                return st;
            if (T.stop)
                goto done;
            if (sw) { /* a new start on the crossing branch */
                res->steps++;
                res->regret = casus_qre_agent_regret(q);
                if (o->fn && !o->fn(o->ud, q->u[m], q->p, res->regret))
                    goto done;
                T.h = o->step0;
                continue;
            }
        }
        if (o->lambda_stop > 0 && q->v[m] >= o->lambda_stop) {
            st = land(&T);
            if (st != CASUS_OK)
                return st;
            goto done;
        }
        memcpy(q->u, q->v, sizeof(double) * n);
        res->steps++;
        double reg = casus_qre_agent_regret(q);
        res->regret = reg;
        if (o->fn && !o->fn(o->ud, q->u[m], q->p, reg))
            goto done;
        if (o->lambda_stop < 0 && reg <= o->tol) {
            res->reached = true;
            goto done;
        }
        if (q->u[m] < 0 || q->u[m] > o->max_lambda || res->steps >= o->max_steps)
            goto done;
        if (!t_ok)
            QRE_FAIL(d, "logit-singular", "logit: singular Jacobian at λ = %g after %u steps",
                     q->u[m], res->steps);
        memcpy(q->t, q->w, sizeof(double) * n);
        T.sign = sb;
        T.logdet = ldb;
        step_control(&T);
    }
done:
    casus_qre_residual(q, q->u, q->u[m], q->F); /* beliefs and values of the end point */
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

casus_status casus_qre_trace_pi(struct casus_pitree_game *pg, const struct casus_gtree *g,
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
