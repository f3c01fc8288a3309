/*
 * sens_report.c — renderings of a finished sensitivity analysis
 * (include/casus/sens.h): a ranked table for people, JSON and CSV for
 * programs, and a self-contained SVG (S1/ST bars with interval whiskers, or
 * Morris mu* and sigma bars, plus a tornado chart) that reads without the table.
 * The last stage of the pipeline: it only reads the struct casus_sens filled
 * by sens_api.c and appends to a caller's casus_buf.
 */
#include "uq/sens_api.h"

#include "base/buf.h"

#include <math.h>
#include <stdio.h>

#define SVG_MAX_ROWS 40 /* inputs drawn per chart; the rest are summarised */

static const char *method_name(casus_sens_method m)
{
    switch (m) {
    case CASUS_SENS_METHOD_SOBOL: return "sobol";
    case CASUS_SENS_METHOD_MORRIS: return "morris";
    case CASUS_SENS_METHOD_TORNADO: return "tornado";
    }
    return "?";
}

static const char *sampling_name(const struct casus_sens *s)
{
    if (s->opt.method != CASUS_SENS_METHOD_SOBOL)
        return s->opt.method == CASUS_SENS_METHOD_MORRIS ? "morris-grid" : "quantiles";
    switch (s->opt.sampling) {
    case CASUS_SENS_SAMPLING_SOBOL: return "sobol-lms";
    case CASUS_SENS_SAMPLING_SOBOL_OWEN: return "sobol-owen";
    case CASUS_SENS_SAMPLING_MC: return "monte-carlo";
    }
    return "?";
}

static const char *interval_name(casus_sens_interval ci)
{
    switch (ci) {
    case CASUS_SENS_INTERVAL_NONE: return "none";
    case CASUS_SENS_INTERVAL_REPLICATE_T: return "replicate-t";
    case CASUS_SENS_INTERVAL_BOOTSTRAP: return "bootstrap";
    }
    return "?";
}

/* What was analysed: "built-in function 'ishigami'" or "the model". */
static void subject(const struct casus_sens *s, casus_buf *out)
{
    if (s->builtin)
        casus_buf_printf(out, "built-in function '%s'", s->builtin);
    else if (s->model_title)
        casus_buf_puts(out, s->model_title);
    else
        casus_buf_puts(out, "the model");
}

/* Magnitude used to rank input i: ST, mu*, or the tornado's larger swing. */
static double rank_key(const struct casus_sens *s, size_t i)
{
    double a = fabs(s->at_lo[i] - s->at_mid), b = fabs(s->at_hi[i] - s->at_mid);
    switch (s->opt.method) {
    case CASUS_SENS_METHOD_SOBOL: return s->est[s->d + i];
    case CASUS_SENS_METHOD_MORRIS: return s->mustar[i];
    case CASUS_SENS_METHOD_TORNADO: return a > b ? a : b;
    }
    return 0.0;
}

/* order[0..d) = inputs by decreasing rank key, ties by input order
 * (insertion sort on a caller array: d <= 1024). */
static void rank_inputs(const struct casus_sens *s, size_t *order)
{
    for (size_t i = 0; i < s->d; i++) {
        size_t j = i;
        double k = rank_key(s, i);
        while (j > 0 && rank_key(s, order[j - 1]) < k) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = i;
    }
}

/* Rank by tornado swing (for the tornado chart whatever the method). */
static void rank_tornado(const struct casus_sens *s, size_t *order)
{
    struct casus_sens t = *s;
    t.opt.method = CASUS_SENS_METHOD_TORNADO;
    rank_inputs(&t, order);
}

static int name_width(const struct casus_sens *s)
{
    size_t w = 5;
    for (size_t i = 0; i < s->d; i++)
        if (strlen(s->names[i]) > w)
            w = strlen(s->names[i]);
    return (int)(w > 24 ? 24 : w);
}

static void pct_level(const struct casus_sens *s, char *buf, size_t n)
{
    snprintf(buf, n, "%g %%", 100.0 * s->opt.level);
}

/* ---- text ----------------------------------------------------------------------- */

static void text_sobol(const struct casus_sens *s, const size_t *order, casus_buf *out)
{
    const casus_sens_options *o = &s->opt;
    int nw = name_width(s);
    char lv[32];
    double share = casus_sens_first_order_share(s);
    pct_level(s, lv, sizeof lv);
    casus_buf_puts(out, "Sobol' sensitivity indices of ");
    subject(s, out);
    casus_buf_printf(out, " (%zu inputs)\n", s->d);
    if (o->sampling == CASUS_SENS_SAMPLING_MC)
        casus_buf_printf(out, "  design: N = %zu base samples, plain Monte Carlo, seed %llu\n",
                         o->base_samples, (unsigned long long)o->seed);
    else
        casus_buf_printf(out,
                         "  design: N = %zu base samples x %zu scrambled Sobol' replicates (%s), "
                         "seed %llu\n",
                         o->base_samples, o->replicates,
                         o->sampling == CASUS_SENS_SAMPLING_SOBOL_OWEN ? "nested uniform"
                                                                       : "LMS + digital shift",
                         (unsigned long long)o->seed);
    casus_buf_printf(out, "  model evaluations: %zu\n", s->evals);
    if (s->ci == CASUS_SENS_INTERVAL_REPLICATE_T)
        casus_buf_printf(out,
                         "  intervals: %s, replicate-t (mean of %zu independent scrambles "
                         "-+ t(%zu) sd/sqrt(%zu))\n",
                         lv, o->replicates, o->replicates - 1, o->replicates);
    else
        casus_buf_printf(out,
                         "  intervals: %s, bootstrap (full-sample estimate -+ z sd of %zu row "
                         "resamples)\n",
                         lv, o->bootstrap);
    casus_buf_printf(out, "\nrank  %-*s  %8s  %-20s  %8s  %-20s%s\n", nw, "input", "S1", "interval",
                     "ST", "interval", s->exact ? "  exact S1  exact ST" : "");
    for (size_t r = 0; r < s->d; r++) {
        size_t i = order[r], t = s->d + i;
        casus_buf_printf(out, "%4zu  %-*.*s  %8.5f  [%8.5f, %8.5f]  %8.5f  [%8.5f, %8.5f]", r + 1,
                         nw, nw, s->names[i], s->est[i], s->lo[i], s->hi[i], s->est[t], s->lo[t],
                         s->hi[t]);
        if (s->exact)
            casus_buf_printf(out, "  %8.5f  %8.5f", s->exact[i], s->exact[t]);
        casus_buf_putc(out, '\n');
    }
    if (o->second_order) {
        enum { TOP = 5 };
        size_t top[TOP], ntop = 0; /* positions in est, largest S2 first */
        for (size_t j = 0; j + 1 < s->d; j++)
            for (size_t k = j + 1; k < s->d; k++) {
                size_t x = casus_sens_api_s2(s, j, k), at = ntop;
                while (at > 0 && s->est[top[at - 1]] < s->est[x])
                    at--;
                if (at >= TOP)
                    continue;
                if (ntop < TOP)
                    ntop++;
                memmove(top + at + 1, top + at, (ntop - 1 - at) * sizeof *top);
                top[at] = x;
            }
        casus_buf_printf(out, "\nlargest second-order indices (S2), %s:\n", lv);
        for (size_t r = 0; r < ntop; r++)
            for (size_t j = 0; j + 1 < s->d; j++)
                for (size_t k = j + 1; k < s->d; k++)
                    if (casus_sens_api_s2(s, j, k) == top[r])
                        casus_buf_printf(out, "  %s x %s  %8.5f  [%8.5f, %8.5f]\n", s->names[j],
                                         s->names[k], s->est[top[r]], s->lo[top[r]], s->hi[top[r]]);
    }
    casus_buf_printf(out,
                     "\nFirst-order effects explain %.1f %% of the output variance (sum of S1); "
                     "interactions the rest.\n",
                     100.0 * share);
    casus_buf_printf(out, "Output variance %.6g.\n", s->var);
}

static void text_morris(const struct casus_sens *s, const size_t *order, casus_buf *out)
{
    int nw = name_width(s);
    casus_buf_puts(out, "Morris elementary effects of ");
    subject(s, out);
    casus_buf_printf(out,
                     " (%zu inputs)\n  design: %zu trajectories on a %u-level grid, seed %llu; "
                     "%zu model evaluations\n  effects on the unit-cube scale (an input's whole "
                     "range = 1); no intervals\n",
                     s->d, s->opt.morris_trajectories, s->opt.morris_levels,
                     (unsigned long long)s->opt.seed, s->evals);
    casus_buf_printf(out, "\nrank  %-*s  %10s  %10s  %10s\n", nw, "input", "mu*", "mu", "sigma");
    for (size_t r = 0; r < s->d; r++) {
        size_t i = order[r];
        casus_buf_printf(out, "%4zu  %-*.*s  %10.4g  %10.4g  %10.4g\n", r + 1, nw, nw, s->names[i],
                         s->mustar[i], s->mu[i], s->sigma[i]);
    }
    casus_buf_puts(out, "\nmu* ranks influence; a sigma near mu* means the effect depends on "
                        "the other inputs (interactions or curvature).\n");
}

static void text_tornado(const struct casus_sens *s, const size_t *order, casus_buf *out)
{
    int nw = name_width(s);
    char a[32], b[32];
    snprintf(a, sizeof a, "at %g %%", 100.0 * s->opt.tornado_lo);
    snprintf(b, sizeof b, "at %g %%", 100.0 * s->opt.tornado_hi);
    casus_buf_puts(out, "Tornado (one input at a time) of ");
    subject(s, out);
    casus_buf_printf(out,
                     " (%zu inputs)\n  output with every input at its median: %.6g; each row "
                     "moves one input to a quantile\n",
                     s->d, s->at_mid);
    casus_buf_printf(out, "\nrank  %-*s  %12s  %12s  %12s\n", nw, "input", a, b, "difference");
    for (size_t r = 0; r < s->d; r++) {
        size_t i = order[r];
        casus_buf_printf(out, "%4zu  %-*.*s  %12.6g  %12.6g  %12.6g\n", r + 1, nw, nw, s->names[i],
                         s->at_lo[i], s->at_hi[i], s->at_hi[i] - s->at_lo[i]);
    }
    casus_buf_puts(out, "\nA tornado misses interactions and effects that cancel between the "
                        "two quantiles; use --method sobol for those.\n");
}

/* Ranked rows in a scratch array of d entries from the analysis allocator. */
static size_t *ranked(const struct casus_sens *s, bool tornado)
{
    size_t *order = casus_mem_alloc(&s->alloc, s->d * sizeof *order);
    if (order) {
        if (tornado)
            rank_tornado(s, order);
        else
            rank_inputs(s, order);
    }
    return order;
}

casus_status casus_sens_write_text(const casus_sens *s, casus_buf *out)
{
    size_t *order;
    if (!s->done)
        return CASUS_ESTATE;
    order = ranked(s, false);
    if (!order)
        return CASUS_ENOMEM;
    switch (s->opt.method) {
    case CASUS_SENS_METHOD_SOBOL: text_sobol(s, order, out); break;
    case CASUS_SENS_METHOD_MORRIS: text_morris(s, order, out); break;
    case CASUS_SENS_METHOD_TORNADO: text_tornado(s, order, out); break;
    }
    casus_mem_free(&s->alloc, order, s->d * sizeof *order);
    return casus_buf_status(out);
}

/* ---- JSON and CSV ---------------------------------------------------------------- */

static void json_field(casus_buf *out, const char *key, double v)
{
    casus_buf_printf(out, ",\"%s\":", key);
    casus_buf_json_num(out, v);
}

casus_status casus_sens_write_json(const casus_sens *s, casus_buf *out)
{
    const casus_sens_options *o = &s->opt;
    bool sobol = o->method == CASUS_SENS_METHOD_SOBOL;
    if (!s->done)
        return CASUS_ESTATE;
    casus_buf_puts(out, "{\"function\":");
    casus_buf_json_str(out, s->builtin);
    casus_buf_puts(out, ",\"model\":");
    casus_buf_json_str(out, s->model_title);
    casus_buf_printf(out, ",\"method\":\"%s\",\"sampling\":\"%s\",\"interval\":\"%s\"",
                     method_name(o->method), sampling_name(s), interval_name(s->ci));
    json_field(out, "level", sobol ? o->level : NAN);
    casus_buf_printf(out, ",\"base_samples\":%zu,\"replicates\":%zu,\"bootstrap\":%zu",
                     sobol ? o->base_samples : 0,
                     sobol && o->sampling != CASUS_SENS_SAMPLING_MC ? o->replicates : 0,
                     sobol && o->sampling == CASUS_SENS_SAMPLING_MC ? o->bootstrap : 0);
    casus_buf_printf(out, ",\"second_order\":%s,\"seed\":%llu,\"evaluations\":%zu",
                     sobol && o->second_order ? "true" : "false", (unsigned long long)o->seed,
                     s->evals);
    json_field(out, "variance", s->var);
    json_field(out, "first_order_share", casus_sens_first_order_share(s));
    json_field(out, "median_output", s->at_mid);
    casus_buf_puts(out, ",\"tornado_quantiles\":[");
    casus_buf_json_num(out, o->tornado_lo);
    casus_buf_putc(out, ',');
    casus_buf_json_num(out, o->tornado_hi);
    casus_buf_puts(out, "],\n\"inputs\":[");
    for (size_t i = 0; i < s->d; i++) {
        casus_buf_puts(out, i ? ",\n {\"name\":" : "\n {\"name\":");
        casus_buf_json_str(out, s->names[i]);
        if (sobol) {
            size_t t = s->d + i;
            json_field(out, "S1", s->est[i]);
            json_field(out, "S1_lo", s->lo[i]);
            json_field(out, "S1_hi", s->hi[i]);
            json_field(out, "ST", s->est[t]);
            json_field(out, "ST_lo", s->lo[t]);
            json_field(out, "ST_hi", s->hi[t]);
            if (s->exact) {
                json_field(out, "S1_exact", s->exact[i]);
                json_field(out, "ST_exact", s->exact[t]);
            }
        }
        if (o->method == CASUS_SENS_METHOD_MORRIS) {
            json_field(out, "mu", s->mu[i]);
            json_field(out, "mu_star", s->mustar[i]);
            json_field(out, "sigma", s->sigma[i]);
        }
        json_field(out, "tornado_lo", s->at_lo[i]);
        json_field(out, "tornado_hi", s->at_hi[i]);
        casus_buf_putc(out, '}');
    }
    casus_buf_puts(out, "]");
    if (sobol && o->second_order) {
        bool first = true;
        casus_buf_puts(out, ",\n\"second_order_indices\":[");
        for (size_t j = 0; j + 1 < s->d; j++)
            for (size_t k = j + 1; k < s->d; k++) {
                size_t x = casus_sens_api_s2(s, j, k);
                casus_buf_puts(out, first ? "\n {\"inputs\":[" : ",\n {\"inputs\":[");
                first = false;
                casus_buf_json_str(out, s->names[j]);
                casus_buf_putc(out, ',');
                casus_buf_json_str(out, s->names[k]);
                casus_buf_putc(out, ']');
                json_field(out, "S2", s->est[x]);
                json_field(out, "S2_lo", s->lo[x]);
                json_field(out, "S2_hi", s->hi[x]);
                if (s->exact)
                    json_field(out, "S2_exact", s->exact[x]);
                casus_buf_putc(out, '}');
            }
        casus_buf_puts(out, "]");
    }
    casus_buf_puts(out, "}\n");
    return casus_buf_status(out);
}

static void csv_num(casus_buf *out, double v)
{
    casus_buf_putc(out, ',');
    if (isfinite(v))
        casus_buf_json_num(out, v);
}

casus_status casus_sens_write_csv(const casus_sens *s, casus_buf *out)
{
    casus_sens_method m = s->opt.method;
    if (!s->done)
        return CASUS_ESTATE;
    if (m == CASUS_SENS_METHOD_SOBOL)
        casus_buf_puts(out, "name,S1,S1_lo,S1_hi,ST,ST_lo,ST_hi,tornado_lo,tornado_hi\n");
    else if (m == CASUS_SENS_METHOD_MORRIS)
        casus_buf_puts(out, "name,mu,mu_star,sigma,tornado_lo,tornado_hi\n");
    else
        casus_buf_puts(out, "name,tornado_lo,tornado_hi\n");
    for (size_t i = 0; i < s->d; i++) {
        casus_buf_csv_field(out, s->names[i]);
        if (m == CASUS_SENS_METHOD_SOBOL) {
            size_t t = s->d + i;
            csv_num(out, s->est[i]);
            csv_num(out, s->lo[i]);
            csv_num(out, s->hi[i]);
            csv_num(out, s->est[t]);
            csv_num(out, s->lo[t]);
            csv_num(out, s->hi[t]);
        } else if (m == CASUS_SENS_METHOD_MORRIS) {
            csv_num(out, s->mu[i]);
            csv_num(out, s->mustar[i]);
            csv_num(out, s->sigma[i]);
        }
        csv_num(out, s->at_lo[i]);
        csv_num(out, s->at_hi[i]);
        casus_buf_putc(out, '\n');
    }
    return casus_buf_status(out);
}

/* ---- SVG --------------------------------------------------------------------------- */

#define SVG_W     880.0 /* picture width */
#define SVG_LEFT  170.0 /* x of the plot area (names to its left) */
#define SVG_RIGHT 90.0  /* room right of the plot for value labels */
#define SVG_FONT  "DejaVu Sans, Helvetica, Arial, sans-serif"

/* Colour-blind-safe (Okabe-Ito) colours. */
#define C_S1   "#0072B2" /* blue: S1, mu* */
#define C_ST   "#E69F00" /* orange: ST, sigma */
#define C_LO   "#56B4E9" /* sky blue: input at q_lo */
#define C_HI   "#D55E00" /* vermillion: input at q_hi */
#define C_INK  "#222222"
#define C_GRID "#dddddd"

static void svg_text_esc(casus_buf *out, const char *t)
{
    for (; *t; t++) {
        switch (*t) {
        case '&': casus_buf_puts(out, "&amp;"); break;
        case '<': casus_buf_puts(out, "&lt;"); break;
        case '>': casus_buf_puts(out, "&gt;"); break;
        case '"': casus_buf_puts(out, "&quot;"); break;
        default: casus_buf_putc(out, *t);
        }
    }
}

/* <text> at (x, y) with size, anchor, weight and fill, escaped content. */
static void svg_text(casus_buf *out, double x, double y, int size, const char *anchor, bool bold,
                     const char *fill, const char *t)
{
    casus_buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" text-anchor=\"%s\"%s", x, y,
                     size, anchor, bold ? " font-weight=\"bold\"" : "");
    casus_buf_printf(out, " fill=\"%s\">", fill);
    svg_text_esc(out, t);
    casus_buf_puts(out, "</text>\n");
}

static void svg_rect(casus_buf *out, double x, double y, double w, double h, const char *fill)
{
    if (w < 0) {
        x += w;
        w = -w;
    }
    casus_buf_printf(out,
                     "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>\n",
                     x, y, w, h, fill);
}

static void svg_line(casus_buf *out, double x1, double y1, double x2, double y2, const char *stroke,
                     double width)
{
    casus_buf_printf(out,
                     "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                     "stroke-width=\"%.1f\"/>\n",
                     x1, y1, x2, y2, stroke, width);
}

/* A horizontal axis scale [lo, hi] with "nice" tick step. */
struct axis {
    double lo, hi, step;
};

static struct axis nice_axis(double lo, double hi)
{
    struct axis a;
    double span, mag, f;
    if (!(hi > lo)) {
        double pad = fabs(lo) > 0 ? 0.5 * fabs(lo) : 1.0;
        lo -= pad;
        hi += pad;
    }
    span = hi - lo;
    mag = pow(10.0, floor(log10(span / 5.0)));
    f = span / 5.0 / mag;
    a.step = (f < 1.5 ? 1.0 : f < 3.5 ? 2.0 : f < 7.5 ? 5.0 : 10.0) * mag;
    a.lo = floor(lo / a.step + 1e-9) * a.step;
    a.hi = ceil(hi / a.step - 1e-9) * a.step;
    return a;
}

static double ax_x(const struct axis *a, double v)
{
    v = v < a->lo ? a->lo : v > a->hi ? a->hi : v; /* whiskers past the axis end there */
    return SVG_LEFT + (v - a->lo) / (a->hi - a->lo) * (SVG_W - SVG_LEFT - SVG_RIGHT);
}

/* Grid, ticks, labels and title of an axis under rows spanning y0..y1. */
static void svg_axis(casus_buf *out, const struct axis *a, double y0, double y1, const char *title)
{
    char lab[32];
    for (int k = 0;; k++) {
        double v = a->lo + k * a->step, x;
        if (v > a->hi + 0.5 * a->step)
            break;
        if (fabs(v) < 1e-12 * a->step)
            v = 0.0;
        x = ax_x(a, v);
        svg_line(out, x, y0, x, y1, v == 0.0 ? "#999999" : C_GRID, 1.0);
        snprintf(lab, sizeof lab, "%g", v);
        svg_text(out, x, y1 + 16, 12, "middle", false, C_INK, lab);
    }
    svg_line(out, SVG_LEFT, y1, SVG_W - SVG_RIGHT, y1, C_INK, 1.0);
    svg_text(out, 0.5 * (SVG_LEFT + SVG_W - SVG_RIGHT), y1 + 36, 13, "middle", false, C_INK, title);
}

/* Legend entry: a swatch (or whisker) and its label; returns the next x. */
static double svg_legend(casus_buf *out, double x, double y, const char *fill, bool whisker,
                         const char *label)
{
    if (whisker) {
        svg_line(out, x, y - 4, x + 18, y - 4, C_INK, 1.5);
        svg_line(out, x, y - 9, x, y + 1, C_INK, 1.5);
        svg_line(out, x + 18, y - 9, x + 18, y + 1, C_INK, 1.5);
    } else {
        svg_rect(out, x, y - 10, 18, 12, fill);
    }
    svg_text(out, x + 24, y, 12, "start", false, C_INK, label);
    return x + 24 + 6.6 * (double)strlen(label) + 22;
}

static void svg_whisker(casus_buf *out, const struct axis *a, double lo, double hi, double yc)
{
    double x0 = ax_x(a, lo), x1 = ax_x(a, hi);
    svg_line(out, x0, yc, x1, yc, C_INK, 1.5);
    svg_line(out, x0, yc - 4, x0, yc + 4, C_INK, 1.5);
    svg_line(out, x1, yc - 4, x1, yc + 4, C_INK, 1.5);
}

/* Value label of a bar ending at `at` (whisker end included): right of it
 * for a bar going right of `base`, left of it for one going left.  digits
 * decimals (small values: two significant digits) when fixed, else
 * significant digits. */
static void svg_value(casus_buf *out, const struct axis *a, double base, double at, int digits,
                      bool fixed, double v, double yc)
{
    char lab[48];
    bool left = at < base;
    if (fixed && fabs(v) >= 0.01)
        snprintf(lab, sizeof lab, "%.*f", digits, v);
    else if (fixed)
        snprintf(lab, sizeof lab, "%.2g", v);
    else
        snprintf(lab, sizeof lab, "%.*g", digits, v);
    svg_text(out, ax_x(a, at) + (left ? -6 : 6), yc + 4, 11, left ? "end" : "start", false,
             "#444444", lab);
}

#define ROW_H 34.0 /* height of an input's row (two bars) */
#define BAR_H 12.0

/* The index panel: S1/ST bars with whiskers (sobol) or mu* and sigma (morris).
 * Returns the y below it. */
static double svg_index_panel(const struct casus_sens *s, const size_t *order, size_t nrows,
                              double y, casus_buf *out)
{
    bool sobol = s->opt.method == CASUS_SENS_METHOD_SOBOL;
    double lo = 0.0, hi = sobol ? 0.1 : 0.0, x, ytop;
    char lv[64], t[200];
    struct axis a;
    for (size_t r = 0; r < nrows; r++) {
        size_t i = order[r];
        if (sobol) {
            lo = fmin(lo, fmin(s->lo[i], s->lo[s->d + i]));
            hi = fmax(hi, fmax(s->hi[i], s->hi[s->d + i]));
        } else {
            hi = fmax(hi, fmax(s->mustar[i], s->sigma[i]));
        }
    }
    if (lo > -0.02 * hi)
        lo = 0.0; /* noise around 0 need not widen the axis: such whiskers stop at 0 */
    a = nice_axis(lo, hi);
    snprintf(lv, sizeof lv, "%g %% interval", 100.0 * s->opt.level);
    if (sobol)
        svg_text(out, 20, y, 16, "start", true, C_INK,
                 "Which inputs drive the output?  Share of output variance (Sobol' indices)");
    else
        svg_text(out, 20, y, 16, "start", true, C_INK,
                 "Which inputs matter?  Morris screening (elementary effects)");
    y += 24;
    x = 20;
    if (sobol) {
        x = svg_legend(out, x, y, C_S1, false, "S1: the input alone (first order)");
        x = svg_legend(out, x, y, C_ST, false, "ST: with all its interactions (total)");
        snprintf(t, sizeof t, "%s (%s)", lv,
                 s->ci == CASUS_SENS_INTERVAL_REPLICATE_T ? "replicate-t" : "bootstrap");
        svg_legend(out, x, y, NULL, true, t);
    } else {
        x = svg_legend(out, x, y, C_S1, false, "mu*: mean |effect| (influence)");
        svg_legend(out, x, y, C_ST, false, "sigma: spread (interactions, curvature)");
    }
    y += 14;
    ytop = y;
    for (size_t r = 0; r < nrows; r++) {
        size_t i = order[r];
        double yr = ytop + (double)r * ROW_H, y1 = yr + 4, y2 = y1 + BAR_H + 2;
        double x0 = ax_x(&a, 0.0);
        svg_text(out, SVG_LEFT - 10, yr + ROW_H / 2 + 4, 13, "end", false, C_INK, s->names[i]);
        if (sobol) {
            size_t k = s->d + i;
            svg_rect(out, x0, y1, ax_x(&a, s->est[i]) - x0, BAR_H, C_S1);
            svg_rect(out, x0, y2, ax_x(&a, s->est[k]) - x0, BAR_H, C_ST);
            svg_whisker(out, &a, s->lo[i], s->hi[i], y1 + BAR_H / 2);
            svg_whisker(out, &a, s->lo[k], s->hi[k], y2 + BAR_H / 2);
            svg_value(out, &a, 0.0, fmax(s->hi[i], fmax(s->est[i], 0.0)), 3, true, s->est[i],
                      y1 + BAR_H / 2);
            svg_value(out, &a, 0.0, fmax(s->hi[k], fmax(s->est[k], 0.0)), 3, true, s->est[k],
                      y2 + BAR_H / 2);
        } else {
            svg_rect(out, x0, y1, ax_x(&a, s->mustar[i]) - x0, BAR_H, C_S1);
            svg_rect(out, x0, y2, ax_x(&a, s->sigma[i]) - x0, BAR_H, C_ST);
            svg_value(out, &a, 0.0, s->mustar[i], 3, false, s->mustar[i], y1 + BAR_H / 2);
            svg_value(out, &a, 0.0, s->sigma[i], 3, false, s->sigma[i], y2 + BAR_H / 2);
        }
    }
    y = ytop + (double)nrows * ROW_H + 4;
    svg_axis(out, &a, ytop - 4, y,
             sobol ? "Sobol' index: fraction of the output variance (0 = none, 1 = all)"
                   : "elementary effect on the output, per whole range of the input");
    return y + 50;
}

/* The tornado panel; returns the y below it. */
static double svg_tornado_panel(const struct casus_sens *s, const size_t *order, size_t nrows,
                                double y, casus_buf *out)
{
    double lo = s->at_mid, hi = s->at_mid, x, ytop, xm;
    char t[200];
    struct axis a;
    for (size_t r = 0; r < nrows; r++) {
        size_t i = order[r];
        lo = fmin(lo, fmin(s->at_lo[i], s->at_hi[i]));
        hi = fmax(hi, fmax(s->at_lo[i], s->at_hi[i]));
    }
    a = nice_axis(lo, hi);
    snprintf(t, sizeof t,
             "How far does the output move?  One input at a time (tornado), others at medians");
    svg_text(out, 20, y, 16, "start", true, C_INK, t);
    y += 24;
    snprintf(t, sizeof t, "input at its %g %% quantile", 100.0 * s->opt.tornado_lo);
    x = svg_legend(out, 20, y, C_LO, false, t);
    snprintf(t, sizeof t, "input at its %g %% quantile", 100.0 * s->opt.tornado_hi);
    svg_legend(out, x, y, C_HI, false, t);
    y += 34; /* room for the label of the median line */
    ytop = y;
    xm = ax_x(&a, s->at_mid);
    for (size_t r = 0; r < nrows; r++) {
        size_t i = order[r];
        double yr = ytop + (double)r * ROW_H, y1 = yr + 4, y2 = y1 + BAR_H + 2;
        svg_text(out, SVG_LEFT - 10, yr + ROW_H / 2 + 4, 13, "end", false, C_INK, s->names[i]);
        svg_rect(out, xm, y1, ax_x(&a, s->at_lo[i]) - xm, BAR_H, C_LO);
        svg_rect(out, xm, y2, ax_x(&a, s->at_hi[i]) - xm, BAR_H, C_HI);
        svg_value(out, &a, s->at_mid, s->at_lo[i], 4, false, s->at_lo[i], y1 + BAR_H / 2);
        svg_value(out, &a, s->at_mid, s->at_hi[i], 4, false, s->at_hi[i], y2 + BAR_H / 2);
    }
    y = ytop + (double)nrows * ROW_H + 4;
    svg_line(out, xm, ytop - 8, xm, y, C_INK, 2.0);
    snprintf(t, sizeof t, "all inputs at their medians: output %.4g", s->at_mid);
    svg_text(out, xm, ytop - 12, 12, "middle", false, C_INK, t);
    svg_axis(out, &a, ytop - 4, y, "model output");
    return y + 50;
}

casus_status casus_sens_write_svg(const casus_sens *s, casus_buf *out)
{
    size_t *order, *torder, nrows;
    double h, y;
    bool bars = s->opt.method != CASUS_SENS_METHOD_TORNADO;
    char t[256];
    if (!s->done)
        return CASUS_ESTATE;
    order = ranked(s, false);
    torder = ranked(s, true);
    if (!order || !torder) {
        casus_mem_free(&s->alloc, order, order ? s->d * sizeof *order : 0);
        casus_mem_free(&s->alloc, torder, torder ? s->d * sizeof *torder : 0);
        return CASUS_ENOMEM;
    }
    nrows = s->d < SVG_MAX_ROWS ? s->d : SVG_MAX_ROWS;
    h = 120 + (bars ? 112 + ROW_H * (double)nrows : 0) + 112 + ROW_H * (double)nrows +
        (s->d > nrows ? 20 : 0);
    casus_buf_printf(out,
                     "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
                     "viewBox=\"0 0 %.0f %.0f\" font-family=\"%s\">\n",
                     SVG_W, h, SVG_W, h, SVG_FONT);
    casus_buf_printf(out, "<rect width=\"%.0f\" height=\"%.0f\" fill=\"#ffffff\"/>\n", SVG_W, h);
    casus_buf_puts(out, "<title>");
    if (s->builtin)
        casus_buf_printf(out, "Sensitivity of %s", s->builtin);
    else if (s->model_title)
        casus_buf_printf(out, "Sensitivity of %s", s->model_title);
    else
        casus_buf_puts(out, "Sensitivity analysis");
    casus_buf_puts(out, "</title>\n");
    if (s->model_title)
        snprintf(t, sizeof t, "What does %s hinge on?", s->model_title);
    else
        snprintf(t, sizeof t, "What does the output of %s%s%s hinge on?", s->builtin ? "'" : "",
                 s->builtin ? s->builtin : "the model", s->builtin ? "'" : "");
    svg_text(out, 20, 32, 20, "start", true, C_INK, t);
    if (s->opt.method == CASUS_SENS_METHOD_SOBOL && s->opt.sampling != CASUS_SENS_SAMPLING_MC)
        snprintf(t, sizeof t,
                 "%zu inputs, Sobol' indices from N = %zu base samples x %zu scrambled "
                 "replicates (%zu model runs), seed %llu",
                 s->d, s->opt.base_samples, s->opt.replicates, s->evals,
                 (unsigned long long)s->opt.seed);
    else if (s->opt.method == CASUS_SENS_METHOD_SOBOL)
        snprintf(t, sizeof t,
                 "%zu inputs, Sobol' indices from N = %zu Monte Carlo base samples (%zu model "
                 "runs), seed %llu",
                 s->d, s->opt.base_samples, s->evals, (unsigned long long)s->opt.seed);
    else
        snprintf(t, sizeof t, "%zu inputs, %s (%zu model runs), seed %llu", s->d,
                 s->opt.method == CASUS_SENS_METHOD_MORRIS ? "Morris screening" : "tornado",
                 s->evals, (unsigned long long)s->opt.seed);
    svg_text(out, 20, 56, 13, "start", false, "#444444", t);
    if (s->opt.method == CASUS_SENS_METHOD_SOBOL) {
        snprintf(t, sizeof t,
                 "First-order effects explain %.1f %% of the output variance; the rest comes "
                 "from interactions. Longest bars first.",
                 100.0 * casus_sens_first_order_share(s));
        svg_text(out, 20, 76, 13, "start", false, "#444444", t);
    }
    y = 120;
    if (bars)
        y = svg_index_panel(s, order, nrows, y, out) + 20;
    y = svg_tornado_panel(s, torder, nrows, y, out);
    if (s->d > nrows) {
        snprintf(t, sizeof t, "(the %zu most influential of %zu inputs are shown)", nrows, s->d);
        svg_text(out, 20, y, 12, "start", false, "#444444", t);
    }
    casus_buf_puts(out, "</svg>\n");
    casus_mem_free(&s->alloc, order, s->d * sizeof *order);
    casus_mem_free(&s->alloc, torder, s->d * sizeof *torder);
    return casus_buf_status(out);
}
