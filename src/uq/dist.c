/*
 * dist.c — inverse CDFs, CDFs and moments of the input distributions (see
 * dist.h), with the special functions they need: Wichura's AS241 normal
 * quantile, a Lanczos log-gamma, the regularised incomplete beta by Lentz's
 * continued fraction and its safeguarded-Newton inverse.
 */
#include "uq/dist.h"

#include <float.h>
#include <math.h>

#define SQRT1_2 0.70710678118654752440
#define PI      3.14159265358979323846

/* ---- normal ------------------------------------------------------------ */

/* Wichura, "The percentage points of the normal distribution", Applied
 * Statistics 37 (1988) 477-484, algorithm AS241 PPND16. */
static const double as241_a[8] = {3.3871328727963666080e0,  1.3314166789178437745e+2,
                                  1.9715909503065514427e+3, 1.3731693765509461125e+4,
                                  4.5921953931549871457e+4, 6.7265770927008700853e+4,
                                  3.3430575583588128105e+4, 2.5090809287301226727e+3};
static const double as241_b[8] = {1.0,
                                  4.2313330701600911252e+1,
                                  6.8718700749205790830e+2,
                                  5.3941960214247511077e+3,
                                  2.1213794301586595867e+4,
                                  3.9307895800092710610e+4,
                                  2.8729085735721942674e+4,
                                  5.2264952788528545610e+3};
static const double as241_c[8] = {1.42343711074968357734e0,  4.63033784615654529590e0,
                                  5.76949722146069140550e0,  3.64784832476320460504e0,
                                  1.27045825245236838258e0,  2.41780725177450611770e-1,
                                  2.27238449892691845833e-2, 7.74545014278341407640e-4};
static const double as241_d[8] = {1.0,
                                  2.05319162663775882187e0,
                                  1.67638483018380384940e0,
                                  6.89767334985100004550e-1,
                                  1.48103976427480074590e-1,
                                  1.51986665636164571966e-2,
                                  5.47593808499534494600e-4,
                                  1.05075007164441684324e-9};
static const double as241_e[8] = {6.65790464350110377720e0,  5.46378491116411436990e0,
                                  1.78482653991729133580e0,  2.96560571828504891230e-1,
                                  2.65321895265761230930e-2, 1.24266094738807843860e-3,
                                  2.71155556874348757815e-5, 2.01033439929228813265e-7};
static const double as241_f[8] = {1.0,
                                  5.99832206555887937690e-1,
                                  1.36929880922735805310e-1,
                                  1.48753612908506148525e-2,
                                  7.86869131145613259100e-4,
                                  1.84631831751005468180e-5,
                                  1.42151175831644588870e-7,
                                  2.04426310338993978564e-15};

static double poly7(const double c[8], double x)
{
    double v = c[7];
    for (int i = 6; i >= 0; i--)
        v = v * x + c[i];
    return v;
}

double casus_dist_norm_quantile(double p)
{
    double q = p - 0.5, r, v;
    if (!(p > 0.0 && p < 1.0)) {
        if (p == 0.0)
            return -HUGE_VAL;
        if (p == 1.0)
            return HUGE_VAL;
        return NAN;
    }
    if (fabs(q) <= 0.425) {
        r = 0.180625 - q * q;
        return q * poly7(as241_a, r) / poly7(as241_b, r);
    }
    r = q < 0 ? p : 1.0 - p; /* exact for p >= 0.5 (Sterbenz) */
    r = sqrt(-log(r));
    if (r <= 5.0) {
        r -= 1.6;
        v = poly7(as241_c, r) / poly7(as241_d, r);
    } else {
        r -= 5.0;
        v = poly7(as241_e, r) / poly7(as241_f, r);
    }
    return q < 0 ? -v : v;
}

double casus_dist_norm_cdf(double x)
{
    return 0.5 * erfc(-x * SQRT1_2);
}

static double norm_pdf(double x)
{
    return exp(-0.5 * x * x) / sqrt(2.0 * PI);
}

/* ---- gamma and incomplete beta ----------------------------------------- */

/* Lanczos approximation, g = 7, n = 9 (the coefficients of Numerical Recipes
 * 3rd ed. / Godfrey); reflection is not needed as x > 0. */
static const double lanczos_c[9] = {
    0.99999999999980993,  676.5203681218851,     -1259.1392167224028,
    771.32342877765313,   -176.61502916214059,   12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};

double casus_dist_lgamma(double x)
{
    double s, t;
    if (x < 0.5) /* lgamma(x) = lgamma(x + 1) - log(x), keeps the series in range */
        return casus_dist_lgamma(x + 1.0) - log(x);
    x -= 1.0;
    s = lanczos_c[0];
    for (int i = 1; i < 9; i++)
        s += lanczos_c[i] / (x + i);
    t = x + 7.5;
    return 0.91893853320467274178 + (x + 0.5) * log(t) - t + log(s);
}

static double lbeta(double a, double b)
{
    return casus_dist_lgamma(a) + casus_dist_lgamma(b) - casus_dist_lgamma(a + b);
}

/* Continued fraction for I_x(a,b) (modified Lentz); converges fast for
 * x < (a + 1) / (a + b + 2). */
static double incbeta_cf(double a, double b, double x)
{
    const double tiny = 1e-300;
    double c = 1.0, d = 1.0 - (a + b) * x / (a + 1.0), h;
    if (fabs(d) < tiny)
        d = tiny;
    d = 1.0 / d;
    h = d;
    for (int m = 1; m <= 10000; m++) {
        double m2 = 2.0 * m, num, del;
        num = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
        d = 1.0 + num * d;
        d = fabs(d) < tiny ? 1.0 / tiny : 1.0 / d;
        c = 1.0 + num / c;
        if (fabs(c) < tiny)
            c = tiny;
        h *= d * c;
        num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
        d = 1.0 + num * d;
        d = fabs(d) < tiny ? 1.0 / tiny : 1.0 / d;
        c = 1.0 + num / c;
        if (fabs(c) < tiny)
            c = tiny;
        del = d * c;
        h *= del;
        if (fabs(del - 1.0) < 1e-16)
            break;
    }
    return h;
}

/* I_x(a,b) given lbeta(a,b), and its complement 1 - I_x, both accurate. */
static void incbeta2(double a, double b, double x, double lb, double *p, double *q)
{
    double front;
    if (x <= 0.0) {
        *p = 0.0, *q = 1.0;
        return;
    }
    if (x >= 1.0) {
        *p = 1.0, *q = 0.0;
        return;
    }
    if (x < (a + 1.0) / (a + b + 2.0)) {
        front = exp(a * log(x) + b * log1p(-x) - lb);
        *p = front * incbeta_cf(a, b, x) / a;
        *q = 1.0 - *p;
    } else {
        front = exp(b * log1p(-x) + a * log(x) - lb);
        *q = front * incbeta_cf(b, a, 1.0 - x) / b;
        *p = 1.0 - *q;
    }
}

double casus_dist_incbeta(double a, double b, double x)
{
    double p, q;
    incbeta2(a, b, x, lbeta(a, b), &p, &q);
    return p;
}

/* Solve I_x(a,b) = p, equivalently 1 - I_x(a,b) = q (q = 1 - p, both
 * given so neither loses digits), for a root known to lie in (0, 1/2], by
 * Newton's method inside a shrinking bracket; steps that leave the bracket
 * become bisections, geometric near 0 where tails are thin. */
static double incbeta_solve(double a, double b, double p, double q, double lb)
{
    double lo = 0.0, hi = 0.5, x, pp = p < q ? p : q;
    if (p <= 0.0)
        return 0.0;
    /* Initial guess (Numerical Recipes 3rd ed., 6.14.2). */
    if (a >= 1.0 && b >= 1.0) {
        double t = sqrt(-2.0 * log(pp)), al, h, w;
        x = (2.30753 + t * 0.27061) / (1.0 + t * (0.99229 + t * 0.04481)) - t;
        if (p < 0.5)
            x = -x;
        al = (x * x - 3.0) / 6.0;
        h = 2.0 / (1.0 / (2.0 * a - 1.0) + 1.0 / (2.0 * b - 1.0));
        w = x * sqrt(al + h) / h -
            (1.0 / (2.0 * b - 1.0) - 1.0 / (2.0 * a - 1.0)) * (al + 5.0 / 6.0 - 2.0 / (3.0 * h));
        x = a / (a + b * exp(2.0 * w));
    } else {
        double lna = log(a / (a + b)), lnb = log(b / (a + b));
        double t = exp(a * lna) / a, u = exp(b * lnb) / b, w = t + u;
        if (p < t / w)
            x = pow(a * w * p, 1.0 / a);
        else
            x = 1.0 - pow(b * w * q, 1.0 / b);
    }
    if (!(x > lo && x < hi))
        x = x <= lo ? hi / 16.0 : 0.5 * hi;
    for (int it = 0; it < 400; it++) {
        double ix, jx, f, pdf, nx;
        incbeta2(a, b, x, lb, &ix, &jx);
        f = p <= 0.5 ? ix - p : q - jx; /* residual in the thin tail */
        if (f == 0.0)
            return x;
        if (f < 0.0)
            lo = x;
        else
            hi = x;
        pdf = exp((a - 1.0) * log(x) + (b - 1.0) * log1p(-x) - lb);
        nx = x - f / pdf;
        if (!(nx > lo && nx < hi) || !isfinite(nx)) {
            if (lo == 0.0)
                nx = hi / 16.0;
            else if (hi / lo > 16.0)
                nx = sqrt(lo * hi);
            else
                nx = 0.5 * (lo + hi);
        }
        if (fabs(nx - x) <= 2.0 * DBL_EPSILON * x)
            return nx;
        x = nx;
        if (hi - lo <= 2.0 * DBL_EPSILON * hi)
            break;
    }
    return x;
}

/* Inverse with p and q = 1 - p: solve on the side of 1/2 where the root is,
 * so a root near 0 or near 1 keeps its relative precision. */
static double incbeta_inv2(double a, double b, double p, double q, double lb)
{
    double ph, qh;
    if (p <= 0.0)
        return 0.0;
    if (q <= 0.0)
        return 1.0;
    incbeta2(a, b, 0.5, lb, &ph, &qh);
    if (p <= ph)
        return incbeta_solve(a, b, p, q, lb);
    return 1.0 - incbeta_solve(b, a, q, p, lb); /* I_{1-x}(b,a) = q */
}

double casus_dist_incbeta_inv(double a, double b, double p)
{
    if (p <= 0.0)
        return 0.0;
    if (p >= 1.0)
        return 1.0;
    return incbeta_inv2(a, b, p, 1.0 - p, lbeta(a, b));
}

double casus_dist_t_quantile(double p, double nu)
{
    /* For t < 0: P(T <= t) = I_{nu/(nu+t^2)}(nu/2, 1/2) / 2. */
    double pp = p < 0.5 ? p : 1.0 - p, x, t;
    if (!(p > 0.0 && p < 1.0) || !(nu > 0.0))
        return NAN;
    if (pp == 0.5)
        return 0.0;
    x = casus_dist_incbeta_inv(0.5 * nu, 0.5, 2.0 * pp);
    t = sqrt(nu * (1.0 - x) / x);
    return p < 0.5 ? -t : t;
}

/* ---- constructors ------------------------------------------------------ */

static struct casus_dist dist_make(enum casus_dist_kind k, double a, double b, double c, double d)
{
    struct casus_dist r = {k, a, b, c, d, 0, 0, 0, NULL, NULL, 0};
    return r;
}

casus_status casus_dist_uniform(struct casus_dist *out, double lo, double hi)
{
    if (!isfinite(lo) || !isfinite(hi) || !(lo < hi))
        return CASUS_EINVAL;
    *out = dist_make(CASUS_DIST_UNIFORM, lo, hi, 0, 0);
    return CASUS_OK;
}

casus_status casus_dist_triangular(struct casus_dist *out, double lo, double mode, double hi)
{
    if (!isfinite(lo) || !isfinite(hi) || !isfinite(mode) || !(lo < hi) || mode < lo || mode > hi)
        return CASUS_EINVAL;
    *out = dist_make(CASUS_DIST_TRIANGULAR, lo, hi, mode, 0);
    out->k0 = (mode - lo) / (hi - lo); /* F(mode) */
    return CASUS_OK;
}

casus_status casus_dist_normal(struct casus_dist *out, double mean, double sd)
{
    if (!isfinite(mean) || !isfinite(sd) || !(sd > 0))
        return CASUS_EINVAL;
    *out = dist_make(CASUS_DIST_NORMAL, mean, sd, 0, 0);
    return CASUS_OK;
}

casus_status casus_dist_lognormal(struct casus_dist *out, double meanlog, double sdlog)
{
    if (!isfinite(meanlog) || !isfinite(sdlog) || !(sdlog > 0))
        return CASUS_EINVAL;
    *out = dist_make(CASUS_DIST_LOGNORMAL, meanlog, sdlog, 0, 0);
    return CASUS_OK;
}

/* Truncated normal constants: k2 = 1 when the window is reflected (both
 * standardised bounds > 0, work with upper-tail probabilities); k0, k1 are
 * the lower-tail (or upper-tail) probabilities at the standardised bounds. */
casus_status casus_dist_truncnormal(struct casus_dist *out, double mean, double sd, double lo,
                                    double hi)
{
    double al, be;
    if (!isfinite(mean) || !isfinite(sd) || !(sd > 0) || isnan(lo) || isnan(hi) || !(lo < hi))
        return CASUS_EINVAL;
    al = (lo - mean) / sd;
    be = (hi - mean) / sd;
    *out = dist_make(CASUS_DIST_TRUNCNORMAL, mean, sd, lo, hi);
    if (al > 0) {
        out->k2 = 1;
        out->k0 = casus_dist_norm_cdf(-al); /* upper tail at lo */
        out->k1 = casus_dist_norm_cdf(-be); /* upper tail at hi */
    } else {
        out->k0 = casus_dist_norm_cdf(al);
        out->k1 = casus_dist_norm_cdf(be);
    }
    if (!(fabs(out->k0 - out->k1) > 1e-300))
        return CASUS_EINVAL; /* no representable mass in the window */
    return CASUS_OK;
}

casus_status casus_dist_beta(struct casus_dist *out, double alpha, double beta, double lo,
                             double hi)
{
    if (!isfinite(alpha) || !isfinite(beta) || !(alpha > 0) || !(beta > 0) || !isfinite(lo) ||
        !isfinite(hi) || !(lo < hi))
        return CASUS_EINVAL;
    *out = dist_make(CASUS_DIST_BETA, alpha, beta, lo, hi);
    out->k0 = lbeta(alpha, beta);
    return CASUS_OK;
}

casus_status casus_dist_discrete(struct casus_dist *out, const double *values,
                                 const double *weights, size_t n, double *cum_out)
{
    double tot = 0, run = 0;
    if (n == 0)
        return CASUS_EINVAL;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(values[i]) || !isfinite(weights[i]) || weights[i] < 0)
            return CASUS_EINVAL;
        tot += weights[i];
    }
    if (!(tot > 0) || !isfinite(tot))
        return CASUS_EINVAL;
    for (size_t i = 0; i < n; i++) {
        run += weights[i];
        cum_out[i] = run / tot;
    }
    cum_out[n - 1] = 1.0;
    *out = dist_make(CASUS_DIST_DISCRETE, 0, 0, 0, 0);
    out->values = values;
    out->cum = cum_out;
    out->n = n;
    return CASUS_OK;
}

/* ---- quantile, CDF, moments --------------------------------------------- */

static double clamp01(double u)
{
    if (!(u > 0.0))
        return DBL_TRUE_MIN;
    if (!(u < 1.0))
        return 1.0 - DBL_EPSILON / 2;
    return u;
}

static double clampx(double x, double lo, double hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

static double truncnorm_quantile(const struct casus_dist *d, double u)
{
    double z;
    if (d->k2 != 0) { /* reflected: upper-tail probabilities */
        z = -casus_dist_norm_quantile(d->k0 - u * (d->k0 - d->k1));
    } else {
        z = casus_dist_norm_quantile(d->k0 + u * (d->k1 - d->k0));
    }
    return clampx(d->a + d->b * z, d->c, d->d);
}

double casus_dist_quantile(const struct casus_dist *d, double u)
{
    u = clamp01(u);
    switch (d->kind) {
    case CASUS_DIST_UNIFORM: return clampx(d->a + u * (d->b - d->a), d->a, d->b);
    case CASUS_DIST_TRIANGULAR: {
        double w = d->b - d->a;
        if (u <= d->k0)
            return d->a + sqrt(u * w * (d->c - d->a));
        return d->b - sqrt((1.0 - u) * w * (d->b - d->c));
    }
    case CASUS_DIST_NORMAL: return d->a + d->b * casus_dist_norm_quantile(u);
    case CASUS_DIST_LOGNORMAL: return exp(d->a + d->b * casus_dist_norm_quantile(u));
    case CASUS_DIST_TRUNCNORMAL: return truncnorm_quantile(d, u);
    case CASUS_DIST_BETA: {
        double x = incbeta_inv2(d->a, d->b, u, 1.0 - u, d->k0);
        return clampx(d->c + (d->d - d->c) * x, d->c, d->d);
    }
    case CASUS_DIST_DISCRETE: {
        size_t lo = 0, hi = d->n - 1; /* smallest i with cum[i] >= u */
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (d->cum[mid] >= u)
                hi = mid;
            else
                lo = mid + 1;
        }
        return d->values[lo];
    }
    }
    return NAN;
}

double casus_dist_cdf(const struct casus_dist *d, double x)
{
    switch (d->kind) {
    case CASUS_DIST_UNIFORM: return x <= d->a ? 0.0 : x >= d->b ? 1.0 : (x - d->a) / (d->b - d->a);
    case CASUS_DIST_TRIANGULAR: {
        double w = d->b - d->a;
        if (x <= d->a)
            return 0.0;
        if (x >= d->b)
            return 1.0;
        if (x <= d->c)
            return (x - d->a) * (x - d->a) / (w * (d->c - d->a));
        return 1.0 - (d->b - x) * (d->b - x) / (w * (d->b - d->c));
    }
    case CASUS_DIST_NORMAL: return casus_dist_norm_cdf((x - d->a) / d->b);
    case CASUS_DIST_LOGNORMAL: return x <= 0 ? 0.0 : casus_dist_norm_cdf((log(x) - d->a) / d->b);
    case CASUS_DIST_TRUNCNORMAL: {
        double z = (x - d->a) / d->b;
        if (x <= d->c)
            return 0.0;
        if (x >= d->d)
            return 1.0;
        if (d->k2 != 0)
            return (d->k0 - casus_dist_norm_cdf(-z)) / (d->k0 - d->k1);
        return (casus_dist_norm_cdf(z) - d->k0) / (d->k1 - d->k0);
    }
    case CASUS_DIST_BETA: {
        double p, q;
        incbeta2(d->a, d->b, (x - d->c) / (d->d - d->c), d->k0, &p, &q);
        return p;
    }
    case CASUS_DIST_DISCRETE: {
        double c = 0.0;
        for (size_t i = 0; i < d->n; i++)
            if (d->values[i] <= x)
                c += d->cum[i] - (i ? d->cum[i - 1] : 0.0);
        return c;
    }
    }
    return NAN;
}

/* Truncated normal: phi/Phi terms at the standardised bounds (infinite
 * bounds contribute 0 to z*phi(z)). */
static void truncnorm_terms(const struct casus_dist *d, double *m1, double *m2)
{
    double al = (d->c - d->a) / d->b, be = (d->d - d->a) / d->b;
    double pa = isinf(al) ? 0.0 : norm_pdf(al), pb = isinf(be) ? 0.0 : norm_pdf(be);
    double za = isinf(al) ? 0.0 : al * pa, zb = isinf(be) ? 0.0 : be * pb;
    double z = fabs(d->k1 - d->k0);
    *m1 = (pa - pb) / z; /* E[Z] */
    *m2 = (za - zb) / z; /* E[Z^2] - 1 */
}

double casus_dist_mean(const struct casus_dist *d)
{
    switch (d->kind) {
    case CASUS_DIST_UNIFORM: return 0.5 * (d->a + d->b);
    case CASUS_DIST_TRIANGULAR: return (d->a + d->b + d->c) / 3.0;
    case CASUS_DIST_NORMAL: return d->a;
    case CASUS_DIST_LOGNORMAL: return exp(d->a + 0.5 * d->b * d->b);
    case CASUS_DIST_TRUNCNORMAL: {
        double m1, m2;
        truncnorm_terms(d, &m1, &m2);
        return d->a + d->b * m1;
    }
    case CASUS_DIST_BETA: return d->c + (d->d - d->c) * d->a / (d->a + d->b);
    case CASUS_DIST_DISCRETE: {
        double m = 0.0;
        for (size_t i = 0; i < d->n; i++)
            m += d->values[i] * (d->cum[i] - (i ? d->cum[i - 1] : 0.0));
        return m;
    }
    }
    return NAN;
}

double casus_dist_var(const struct casus_dist *d)
{
    switch (d->kind) {
    case CASUS_DIST_UNIFORM: return (d->b - d->a) * (d->b - d->a) / 12.0;
    case CASUS_DIST_TRIANGULAR:
        return (d->a * d->a + d->b * d->b + d->c * d->c - d->a * d->b - d->a * d->c - d->b * d->c) /
               18.0;
    case CASUS_DIST_NORMAL: return d->b * d->b;
    case CASUS_DIST_LOGNORMAL: return expm1(d->b * d->b) * exp(2.0 * d->a + d->b * d->b);
    case CASUS_DIST_TRUNCNORMAL: {
        double m1, m2;
        truncnorm_terms(d, &m1, &m2);
        return d->b * d->b * (1.0 + m2 - m1 * m1);
    }
    case CASUS_DIST_BETA: {
        double s = d->a + d->b, w = d->d - d->c;
        return w * w * d->a * d->b / (s * s * (s + 1.0));
    }
    case CASUS_DIST_DISCRETE: {
        double m = casus_dist_mean(d), v = 0.0;
        for (size_t i = 0; i < d->n; i++) {
            double e = d->values[i] - m;
            v += e * e * (d->cum[i] - (i ? d->cum[i - 1] : 0.0));
        }
        return v;
    }
    }
    return NAN;
}
