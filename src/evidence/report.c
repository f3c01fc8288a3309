/*
 * report.c — a reference-class count for people and for programs
 * (casus/evidence.h), and the list of shipped datasets.
 */
#include "casus/evidence.h"
#include "base/buf.h"
#include "evidence/catalog.h"
#include "model/engine.h"

#include <math.h>

casus_status casus_evidence_write_text(const casus_evidence_result *r, casus_buf *b)
{
    casus_buf_printf(b, "%s%s%s\n", r->dataset, r->title ? " — " : "", r->title ? r->title : "");
    casus_buf_printf(b, "  where     %s\n", r->where ? r->where : "(every row)");
    casus_buf_printf(b, "  outcome   %s\n", r->outcome);
    casus_buf_printf(b, "  missing   empty cells%s%s\n", r->missing ? ", " : "",
                     r->missing ? r->missing : "");
    casus_buf_printf(b,
                     "  n         %llu rows in the class (of %llu; %llu dropped for a missing "
                     "cell the query reads)\n",
                     (unsigned long long)r->n, (unsigned long long)r->rows,
                     (unsigned long long)r->dropped);
    casus_buf_printf(b, "  k         %llu with the outcome\n", (unsigned long long)r->k);
    if (r->n)
        casus_buf_printf(b,
                         "  rate      %.3g   Jeffreys 95%% interval [%.3g, %.3g] (Beta(%.1f, "
                         "%.1f) quantiles)\n",
                         r->rate, r->lo, r->hi, (double)r->k + 0.5, (double)(r->n - r->k) + 0.5);
    else
        casus_buf_puts(b, "  rate      none: no row is in the class\n");
    casus_buf_printf(b, "  cite      %s\n",
                     r->citation ? r->citation : "(your own data: cite its source)");
    if (r->url)
        casus_buf_printf(b, "            %s\n", r->url);
    return casus_buf_status(b);
}

static void jfield(casus_buf *b, const char *key, const char *s)
{
    casus_buf_printf(b, ",\"%s\":", key);
    casus_buf_json_str(b, s);
}

casus_status casus_evidence_write_json(const casus_evidence_result *r, casus_buf *b)
{
    casus_buf_puts(b, "{\"dataset\":");
    casus_buf_json_str(b, r->dataset);
    jfield(b, "title", r->title);
    jfield(b, "where", r->where);
    jfield(b, "outcome", r->outcome);
    jfield(b, "missing", r->missing);
    casus_buf_printf(b,
                     ",\"rows\":%llu,\"n\":%llu,\"k\":%llu,\"rate\":", (unsigned long long)r->rows,
                     (unsigned long long)r->n, (unsigned long long)r->k);
    casus_buf_json_num(b, r->rate);
    if (r->n) {
        casus_buf_puts(b, ",\"interval\":[");
        casus_buf_json_num(b, r->lo);
        casus_buf_putc(b, ',');
        casus_buf_json_num(b, r->hi);
        casus_buf_putc(b, ']');
    } else {
        casus_buf_puts(b, ",\"interval\":null");
    }
    casus_buf_printf(b, ",\"dropped\":%llu", (unsigned long long)r->dropped);
    jfield(b, "citation", r->citation);
    jfield(b, "url", r->url);
    casus_buf_puts(b, "}\n");
    return casus_buf_status(b);
}

casus_status casus_evidence_write_datasets(casus_engine *e, casus_buf *b)
{
    if (!e || !b)
        return CASUS_EINVAL;
    struct casus_arena tmp;
    casus_arena_init(&tmp, &e->alloc);
    const struct ev_dataset *ds;
    uint32_t n;
    casus_status st = ev_catalog_read(&tmp, &e->diags, &ds, &n);
    for (uint32_t i = 0; st == CASUS_OK && i < n; i++)
        casus_buf_printf(b, "%-17s %-20s %s\n", ds[i].name, ds[i].unit ? ds[i].unit : "",
                         ds[i].title);
    casus_arena_release(&tmp);
    return st == CASUS_OK ? casus_buf_status(b) : st;
}
