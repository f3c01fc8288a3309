/*
 * fuzz_evidence.c — libFuzzer target for reference-class queries: the CSV
 * table reader, the language's expression parser on --where/--outcome,
 * the column checker and the row evaluator (lang/check_columns.c,
 * src/evidence/).  Input: the first line is the `where` expression, the
 * second the `outcome`, the third a missing-value code, the rest a CSV.
 * Any input must give CASUS_OK or a clean error status with diagnostics,
 * never a crash, leak or undefined behaviour.
 */
#include "lang/check.h"
#include "lang/parse.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The next line of [*p, end) as a NUL-terminated copy in buf. */
static const char *line(const char **p, const char *end, char *buf, size_t n)
{
    size_t k = 0;
    while (*p < end && **p != '\n') {
        if (k + 1 < n && **p != '\0')
            buf[k++] = **p;
        (*p)++;
    }
    if (*p < end)
        (*p)++;
    buf[k] = '\0';
    return buf;
}

static const struct casus_expr *expr(casus_engine *e, const char *name, const char *text)
{
    uint32_t src;
    if (!text[0] || casus_diags_add_source(&e->diags, name, text, strlen(text), &src) != CASUS_OK)
        return NULL;
    return casus_parse_expr(&e->arena, &e->diags, src);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    casus_engine *e = NULL;
    if (casus_engine_new(&e, NULL, NULL) != CASUS_OK)
        return 0;
    const char *p = (const char *)data, *end = p + size;
    char w[512], o[512], na[64];
    struct casus_evq q;
    memset(&q, 0, sizeof q);
    q.where_text = line(&p, end, w, sizeof w);
    q.outcome_text = line(&p, end, o, sizeof o);
    const char *codes[1] = {line(&p, end, na, sizeof na)};
    q.na = codes;
    q.nna = na[0] ? 1 : 0;
    q.dataset = "fuzz.csv";
    q.text = p;
    q.len = (size_t)(end - p);
    q.where = expr(e, "<where>", w);
    q.outcome = expr(e, "<outcome>", o);
    if (!w[0])
        q.where_text = NULL;
    struct casus_mevidence m;
    if (q.outcome && e->diags.nerrors == 0)
        casus_evidence_eval(e, &q, &m);
    casus_buf b = CASUS_BUF_INIT;
    casus_engine_render_diagnostics(e, &b);
    casus_buf_release(&b);
    casus_engine_free(e);
    return 0;
}
