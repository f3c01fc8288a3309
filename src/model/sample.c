/*
 * sample.c — parameter draws, numeric expression evaluation and interval
 * bounds for scenarios (see sample.h).
 */
#include "model/sample.h"
#include "base/rng.h"

#include <math.h>

const struct casus_mdist *casus_sample_dist(const struct casus_mscenario *s, uint32_t policy,
                                            uint32_t i)
{
    if (policy < s->npolicies) {
        const struct casus_mpolicy *p = &s->policies[policy];
        for (uint32_t k = 0; k < p->nsettings; k++)
            if (p->settings[k].param == i)
                return &p->settings[k].dist;
    }
    return &s->params[i].dist;
}

double casus_sample_uniform(const struct casus_mparam *p, uint64_t seed, uint64_t draw)
{
    const struct casus_mfit *f = p->dist.fit;
    if (!f || p->dist.family == CASUS_FAMILY_fixed)
        return casus_rng_uniform(seed, p->stream, draw);
    uint32_t j = p->dist.coef;
    double w = 0;
    for (uint32_t i = 0; i <= j; i++)
        w += f->chol[(size_t)j * f->k + i] *
             casus_dist_norm_quantile(casus_rng_uniform(seed, f->stream[i], draw));
    double u = casus_dist_norm_cdf(w / f->sd[j]);
    /* keep u inside (0, 1), as the Philox uniforms are */
    return u < 0x1p-54 ? 0x1p-54 : u > 1 - 0x1p-53 ? 1 - 0x1p-53 : u;
}

void casus_sample_draw(const struct casus_mscenario *s, uint32_t policy, uint64_t seed,
                       uint64_t draw, double *values)
{
    for (uint32_t i = 0; i < s->nparams; i++) {
        const struct casus_mdist *d = casus_sample_dist(s, policy, i);
        if (d->family == CASUS_FAMILY_fixed) {
            values[i] = d->arg[0];
            continue;
        }
        double u = casus_sample_uniform(&s->params[i], seed, draw);
        values[i] = casus_dist_quantile(&d->d, u);
    }
}

double casus_sample_eval(const struct casus_cx *x, const double *values)
{
    switch (x->op) {
    case CASUS_CX_CONST: return x->num;
    case CASUS_CX_PARAM: return values[x->i];
    case CASUS_CX_NEG: return -casus_sample_eval(x->a, values);
    case CASUS_CX_ADD: return casus_sample_eval(x->a, values) + casus_sample_eval(x->b, values);
    case CASUS_CX_SUB: return casus_sample_eval(x->a, values) - casus_sample_eval(x->b, values);
    case CASUS_CX_MUL: return casus_sample_eval(x->a, values) * casus_sample_eval(x->b, values);
    case CASUS_CX_DIV: return casus_sample_eval(x->a, values) / casus_sample_eval(x->b, values);
    default: return NAN;
    }
}

/* Products of interval ends, with 0 * inf taken as 0 (the bound of a
 * product of a zero-width factor). */
static double mul0(double a, double b)
{
    return a == 0 || b == 0 ? 0 : a * b;
}

void casus_sample_interval(const struct casus_cx *x, const struct casus_mscenario *s,
                           uint32_t policy, double *lo, double *hi)
{
    double alo, ahi, blo, bhi;
    switch (x->op) {
    case CASUS_CX_CONST: *lo = *hi = x->num; return;
    case CASUS_CX_PARAM: {
        const struct casus_mdist *d = casus_sample_dist(s, policy, (uint32_t)x->i);
        *lo = d->lo;
        *hi = d->hi;
        return;
    }
    case CASUS_CX_NEG:
        casus_sample_interval(x->a, s, policy, &alo, &ahi);
        *lo = -ahi;
        *hi = -alo;
        return;
    case CASUS_CX_ADD:
    case CASUS_CX_SUB:
        casus_sample_interval(x->a, s, policy, &alo, &ahi);
        casus_sample_interval(x->b, s, policy, &blo, &bhi);
        if (x->op == CASUS_CX_ADD) {
            *lo = alo + blo;
            *hi = ahi + bhi;
        } else {
            *lo = alo - bhi;
            *hi = ahi - blo;
        }
        if (isnan(*lo))
            *lo = -HUGE_VAL;
        if (isnan(*hi))
            *hi = HUGE_VAL;
        return;
    case CASUS_CX_MUL: {
        casus_sample_interval(x->a, s, policy, &alo, &ahi);
        casus_sample_interval(x->b, s, policy, &blo, &bhi);
        double p[4] = {mul0(alo, blo), mul0(alo, bhi), mul0(ahi, blo), mul0(ahi, bhi)};
        *lo = *hi = p[0];
        for (int i = 1; i < 4; i++) {
            *lo = fmin(*lo, p[i]);
            *hi = fmax(*hi, p[i]);
        }
        return;
    }
    case CASUS_CX_DIV:
        casus_sample_interval(x->a, s, policy, &alo, &ahi);
        casus_sample_interval(x->b, s, policy, &blo, &bhi);
        if (blo <= 0 && bhi >= 0) {
            *lo = -HUGE_VAL; /* the divisor can be 0: no bound */
            *hi = HUGE_VAL;
            return;
        }
        {
            double q[4] = {alo / blo, alo / bhi, ahi / blo, ahi / bhi};
            *lo = *hi = q[0];
            for (int i = 0; i < 4; i++) {
                if (isnan(q[i])) { /* inf / inf: no bound */
                    *lo = -HUGE_VAL;
                    *hi = HUGE_VAL;
                    return;
                }
                *lo = fmin(*lo, q[i]);
                *hi = fmax(*hi, q[i]);
            }
        }
        return;
    default:
        *lo = -HUGE_VAL;
        *hi = HUGE_VAL;
        return;
    }
}
