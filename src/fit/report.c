/*
 * report.c — the output of a fit: the coefficient table as text (R's
 * summary() layout: estimate, standard error, z, p), JSON for programs
 * (read back as a multivariate normal over the coefficients: names,
 * estimates, covariance), and the fitted action probabilities (the
 * package's predict(type = "action") names) as CSV or inside the JSON.
 */
#include "fit/state.h"

#include "base/buf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static const char *const MODEL_NAMES[] = {"egame12", "egame122", "egame123", "ultimatum"};

/* A double as JSON: %.15g, or 16 or 17 digits when needed to read back
 * exactly (casus_buf_json_num tries from 1 digit; a vcov has hundreds of
 * numbers, so start where estimates need); null when not finite. */
static void num(casus_buf *b, double v)
{
    char tmp[40];
    if (!isfinite(v)) {
        casus_buf_puts(b, "null");
        return;
    }
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*g", prec, v);
        if (strtod(tmp, NULL) == v)
            break;
    }
    casus_buf_puts(b, tmp);
}

/* ---- predictions -------------------------------------------------------- */

/* R's names drop "~~" (the negation of a dummy outcome's "~a"). */
static const char *tidy(char *s)
{
    if (!s)
        return NULL;
    char *w = s;
    for (const char *r = s; *r;) {
        if (r[0] == '~' && r[1] == '~')
            r += 2;
        else
            *w++ = *r++;
    }
    *w = '\0';
    return s;
}

int fit_predict_names(const casus_fit *f, const char **nm, struct casus_arena *a)
{
    const char *const *l = f->ds.outcome;
    switch (f->opts.model) {
    case CASUS_FIT_EGAME12:
        nm[0] = tidy(casus_arena_printf(a, "Pr(%s)", l[0]));
        nm[1] = tidy(casus_arena_printf(a, "Pr(~%s)", l[0]));
        nm[2] = tidy(casus_arena_printf(a, "Pr(%s|~%s)", l[1], l[0]));
        nm[3] = tidy(casus_arena_printf(a, "Pr(%s|~%s)", l[2], l[0]));
        return 4;
    case CASUS_FIT_EGAME122:
        nm[0] = casus_arena_printf(a, "Pr(%s or %s)", l[0], l[1]);
        nm[1] = casus_arena_printf(a, "Pr(%s or %s)", l[2], l[3]);
        for (int k = 0; k < 4; k++)
            nm[2 + k] =
                casus_arena_printf(a, "Pr(%s|%s or %s)", l[k], l[k < 2 ? 0 : 2], l[k < 2 ? 1 : 3]);
        return 6;
    case CASUS_FIT_EGAME123:
        nm[0] = tidy(casus_arena_printf(a, "Pr(%s)", l[0]));
        nm[1] = tidy(casus_arena_printf(a, "Pr(~%s)", l[0]));
        nm[2] = tidy(casus_arena_printf(a, "Pr(%s|~%s)", l[1], l[0]));
        nm[3] = tidy(casus_arena_printf(a, "Pr(~%s|~%s)", l[1], l[0]));
        for (int k = 0; k < 2; k++)
            nm[4 + k] = tidy(casus_arena_printf(a, "Pr(%s|~%s,~[%s])", l[2 + k], l[0], l[1]));
        return 6;
    case CASUS_FIT_ULTIMATUM:
        nm[0] = "E(offer)";
        nm[1] = "Pr(accept)";
        return 2;
    }
    return 0;
}

void fit_predict_row(const casus_fit *f, size_t i, double *p)
{
    double eta[FIT_MAXEQ];
    fit_obs_eta(&f->prob, f->theta, i, eta);
    if (f->opts.model == CASUS_FIT_ULTIMATUM)
        fit_ult_predict(&f->ul, eta, &p[0], &p[1]);
    else
        fit_egame_probs(&f->eg, eta, p);
}

casus_status casus_fit_write_predict(const casus_fit *f, casus_buf *out)
{
    if (!f->done)
        return CASUS_ESTATE;
    struct casus_arena a;
    casus_arena_init(&a, &f->alloc);
    const char *nm[6];
    int k = fit_predict_names(f, nm, &a);
    casus_buf_puts(out, "row");
    for (int j = 0; j < k; j++) {
        casus_buf_putc(out, ',');
        casus_buf_csv_field(out, nm[j] ? nm[j] : "?");
    }
    casus_buf_putc(out, '\n');
    for (size_t i = 0; i < f->ds.n; i++) {
        double p[6];
        fit_predict_row(f, i, p);
        casus_buf_printf(out, "%u", f->ds.row[i] + 1);
        for (int j = 0; j < k; j++)
            casus_buf_printf(out, ",%.10g", p[j]);
        casus_buf_putc(out, '\n');
    }
    casus_arena_release(&a);
    return casus_buf_status(out);
}

/* ---- text --------------------------------------------------------------- */

static void text_header(const casus_fit *f, casus_buf *out)
{
    const struct fit_design *ds = &f->ds;
    casus_buf_printf(out, "casus fit %s: %s\n", MODEL_NAMES[f->opts.model], f->data_name);
    casus_buf_printf(out, "formula   %s\n", f->opts.formula);
    if (f->opts.sdformula)
        casus_buf_printf(out, "scale     %s%s\n", f->opts.sdformula,
                         f->opts.sd_by_player ? " (by player)" : "");
    if (f->opts.subset)
        casus_buf_printf(out, "subset    %s\n", f->opts.subset);
    if (f->opts.model == CASUS_FIT_ULTIMATUM)
        casus_buf_printf(out, "model     logit, private information; max offer %g%s\n",
                         f->opts.max_offer, f->ul.offer_only ? "; outcome: the offer only" : "");
    else
        casus_buf_printf(out, "model     %s link, %s\n", ds->logit ? "logit" : "probit",
                         f->opts.private_info ? "private information" : "agent error");
    casus_buf_printf(out, "rows      %u in the data, %u used", ds->nrows, ds->n);
    if (ds->nexcluded || ds->nmissing)
        casus_buf_printf(out, " (%u excluded by the subset, %u dropped for missing values)",
                         ds->nexcluded, ds->nmissing);
    casus_buf_putc(out, '\n');
    if (f->opts.model == CASUS_FIT_ULTIMATUM) {
        casus_buf_printf(out, "outcomes  %u offers at 0, %u at the maximum", ds->nlow, ds->nhigh);
        if (ds->accept)
            casus_buf_printf(out, "; %u accepted, %u rejected", ds->naccepted,
                             ds->n - ds->naccepted);
    } else {
        casus_buf_puts(out, "outcomes ");
        for (int k = 0; k < ds->nout; k++)
            casus_buf_printf(out, "%s %s %u", k ? "," : "", ds->outcome[k], ds->count[k]);
    }
    casus_buf_puts(out, "\n\n");
}

static void text_table(const casus_fit *f, casus_buf *out)
{
    const struct fit_design *ds = &f->ds;
    int w = 9;
    for (size_t j = 0; j < ds->np; j++)
        if ((int)strlen(ds->pname[j]) > w)
            w = (int)strlen(ds->pname[j]);
    casus_buf_printf(out, "%-*s  %13s  %11s  %9s  %8s%s\n", w, "parameter", "estimate", "std.error",
                     "z", "Pr(>|z|)", f->boot_se ? "    boot.se" : "");
    for (size_t j = 0; j < ds->np; j++) {
        casus_buf_printf(out, "%-*s  %13.6g", w, ds->pname[j], f->theta[j]);
        if (ds->fixed[j]) {
            casus_buf_puts(out, "      (fixed)\n");
            continue;
        }
        double z = f->theta[j] / f->se[j], p = erfc(fabs(z) / sqrt(2.0));
        casus_buf_printf(out, "  %11.5g  %9.3f  %8.3g", f->se[j], z, p);
        if (f->boot_se)
            casus_buf_printf(out, "  %9.5g", f->boot_se[j]);
        casus_buf_putc(out, '\n');
    }
}

casus_status casus_fit_write_text(const casus_fit *f, casus_buf *out)
{
    if (!f->done)
        return CASUS_ESTATE;
    const struct fit_opt_result *r = &f->opt;
    text_header(f, out);
    text_table(f, out);
    casus_buf_printf(out,
                     "\nlog-likelihood %.10g   AIC %.8g   BIC %.8g   parameters %zu (%zu free)\n",
                     f->ll, f->aic, f->bic, f->ds.np, f->prob.nfree);
    casus_buf_printf(out,
                     "converged after %d iterations (%d Newton steps, %d evaluations); max "
                     "|gradient| %.2g; eigenvalues of -H from %.4g to %.4g\n",
                     r->iterations, r->newton_steps, r->evals, r->gmax, f->hess_min, f->hess_max);
    if (f->opts.boot)
        casus_buf_printf(out,
                         "bootstrap %u replicates (%u failed to converge and were dropped), "
                         "seed %llu\n",
                         f->opts.boot, f->boot_failed, (unsigned long long)f->opts.seed);
    return casus_buf_status(out);
}

/* ---- JSON --------------------------------------------------------------- */

static void json_names(casus_buf *b, const casus_fit *f, bool free_only)
{
    casus_buf_putc(b, '[');
    for (size_t j = 0, k = 0; j < f->ds.np; j++) {
        if (free_only && f->ds.fixed[j])
            continue;
        if (k++)
            casus_buf_puts(b, ", ");
        casus_buf_json_str(b, f->ds.pname[j]);
    }
    casus_buf_putc(b, ']');
}

/* {"name": value, ...} over the parameters (fixed ones' se are null). */
static void json_by_name(casus_buf *b, const casus_fit *f, const double *v)
{
    casus_buf_putc(b, '{');
    for (size_t j = 0; j < f->ds.np; j++) {
        if (j)
            casus_buf_puts(b, ", ");
        casus_buf_json_str(b, f->ds.pname[j]);
        casus_buf_puts(b, ": ");
        num(b, v[j]);
    }
    casus_buf_putc(b, '}');
}

static void json_head(casus_buf *b, const casus_fit *f)
{
    const struct fit_design *ds = &f->ds;
    bool ult = f->opts.model == CASUS_FIT_ULTIMATUM;
    casus_buf_printf(b, "{\n  \"model\": \"%s\",\n  \"data\": ", MODEL_NAMES[f->opts.model]);
    casus_buf_json_str(b, f->data_name);
    casus_buf_puts(b, ",\n  \"formula\": ");
    casus_buf_json_str(b, f->opts.formula);
    casus_buf_puts(b, ",\n  \"sdformula\": ");
    casus_buf_json_str(b, f->opts.sdformula);
    casus_buf_puts(b, ",\n  \"subset\": ");
    casus_buf_json_str(b, f->opts.subset);
    casus_buf_printf(b, ",\n  \"link\": \"%s\",\n  \"type\": \"%s\",\n",
                     ult || ds->logit ? "logit" : "probit",
                     ult || f->opts.private_info ? "private" : "agent");
    casus_buf_printf(b,
                     "  \"rows\": %u,\n  \"nobs\": %u,\n  \"excluded\": %u,\n  \"dropped\": %u,\n",
                     ds->nrows, ds->n, ds->nexcluded, ds->nmissing);
    if (!ult) {
        casus_buf_puts(b, "  \"outcomes\": {");
        for (int k = 0; k < ds->nout; k++) {
            casus_buf_puts(b, k ? ", " : "");
            casus_buf_json_str(b, ds->outcome[k]);
            casus_buf_printf(b, ": %u", ds->count[k]);
        }
        casus_buf_puts(b, "},\n");
    }
}

static void json_vcov(casus_buf *b, const casus_fit *f)
{
    size_t n = f->prob.nfree;
    casus_buf_puts(b, "  \"vcov_names\": ");
    json_names(b, f, true);
    casus_buf_puts(b, ",\n  \"vcov\": [");
    for (size_t u = 0; u < n; u++) {
        casus_buf_puts(b, u ? ",\n    [" : "\n    [");
        for (size_t v = 0; v < n; v++) {
            if (v)
                casus_buf_puts(b, ", ");
            num(b, f->vcov[u * n + v]);
        }
        casus_buf_putc(b, ']');
    }
    casus_buf_puts(b, n ? "\n  ],\n" : "],\n");
}

static void json_predict(casus_buf *b, const casus_fit *f)
{
    struct casus_arena a;
    casus_arena_init(&a, &f->alloc);
    const char *nm[6];
    int k = fit_predict_names(f, nm, &a);
    casus_buf_puts(b, ",\n  \"predict\": {\n    \"names\": [");
    for (int j = 0; j < k; j++) {
        casus_buf_puts(b, j ? ", " : "");
        casus_buf_json_str(b, nm[j]);
    }
    casus_buf_puts(b, "],\n    \"rows\": [");
    for (size_t i = 0; i < f->ds.n; i++)
        casus_buf_printf(b, "%s%u", i ? ", " : "", f->ds.row[i] + 1);
    casus_buf_puts(b, "],\n    \"values\": [");
    for (size_t i = 0; i < f->ds.n; i++) {
        double p[6];
        fit_predict_row(f, i, p);
        casus_buf_puts(b, i ? ",\n      [" : "\n      [");
        for (int j = 0; j < k; j++) {
            casus_buf_puts(b, j ? ", " : "");
            num(b, p[j]);
        }
        casus_buf_putc(b, ']');
    }
    casus_buf_puts(b, "\n    ]\n  }");
    casus_arena_release(&a);
}

casus_status casus_fit_write_json(const casus_fit *f, bool predict, casus_buf *b)
{
    if (!f->done)
        return CASUS_ESTATE;
    const struct fit_opt_result *r = &f->opt;
    json_head(b, f);
    casus_buf_puts(b, "  \"names\": ");
    json_names(b, f, false);
    casus_buf_puts(b, ",\n  \"coefficients\": ");
    json_by_name(b, f, f->theta);
    casus_buf_puts(b, ",\n  \"se\": ");
    json_by_name(b, f, f->se);
    casus_buf_puts(b, ",\n  \"fixed\": [");
    for (size_t j = 0, k = 0; j < f->ds.np; j++)
        if (f->ds.fixed[j]) {
            casus_buf_puts(b, k++ ? ", " : "");
            casus_buf_json_str(b, f->ds.pname[j]);
        }
    casus_buf_puts(b, "],\n");
    json_vcov(b, f);
    casus_buf_puts(b, "  \"loglik\": ");
    num(b, f->ll);
    casus_buf_puts(b, ",\n  \"aic\": ");
    num(b, f->aic);
    casus_buf_puts(b, ",\n  \"bic\": ");
    num(b, f->bic);
    casus_buf_printf(b,
                     ",\n  \"convergence\": {\"converged\": true, \"method\": \"newton-bfgs\", "
                     "\"iterations\": %d, \"newton_steps\": %d, \"evaluations\": %d, "
                     "\"max_abs_gradient\": ",
                     r->iterations, r->newton_steps, r->evals);
    num(b, r->gmax);
    casus_buf_puts(b, ", \"newton_decrement\": ");
    num(b, r->decrement);
    casus_buf_puts(b, ", \"hessian_eigen_range\": [");
    num(b, -f->hess_max);
    casus_buf_puts(b, ", ");
    num(b, -f->hess_min);
    casus_buf_puts(b, "]}");
    if (f->opts.boot) {
        casus_buf_printf(b,
                         ",\n  \"bootstrap\": {\"replicates\": %u, \"failed\": %u, \"seed\": %llu, "
                         "\"se\": ",
                         f->opts.boot, f->boot_failed, (unsigned long long)f->opts.seed);
        json_by_name(b, f, f->boot_se);
        casus_buf_putc(b, '}');
    }
    if (predict)
        json_predict(b, f);
    casus_buf_puts(b, "\n}\n");
    return casus_buf_status(b);
}
