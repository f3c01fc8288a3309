/*
 * table.c — CSV to a table of cells (see table.h): records are split in one
 * pass, each cell trimmed, unquoted, classified (missing, number, text).
 */
#include "evidence/table.h"

#include <math.h>
#include <stdlib.h>

/* A field of the record being read: bytes [start, end) of the text, inside
 * the quotes when quoted. */
struct field {
    uint32_t start, end;
    bool quoted;
};

struct reader {
    struct casus_diags *d;
    struct casus_arena *a;
    uint32_t src;
    const char *text;
    uint32_t len, pos;
    struct field *f; /* the current record's fields */
    uint32_t nf, cap;
};

/* Ends a field: a comma or a line end (a NUL byte does not). */
static bool is_delim(char c)
{
    return c == ',' || c == '\r' || c == '\n';
}

static void error_at(struct reader *r, uint32_t start, uint32_t end, const char *code,
                     const char *msg)
{
    struct casus_span sp = {r->src, start, end};
    casus_diag_add(r->d, CASUS_SEV_ERROR, &sp, code, "%s", msg);
}

static bool push_field(struct reader *r, struct field fl)
{
    if (r->nf > EV_TABLE_MAX_COLS) {
        error_at(r, fl.start, fl.end, "limit", "more than 4096 fields in a row");
        return false;
    }
    if (r->nf == r->cap) {
        uint32_t ncap = r->cap ? r->cap * 2 : 64;
        struct field *g = casus_arena_grow(r->a, r->f, r->cap, ncap, sizeof *g);
        if (!g)
            return false;
        r->f = g;
        r->cap = ncap;
    }
    r->f[r->nf++] = fl;
    return true;
}

/* One quoted field starting at r->pos (the opening quote); leaves r->pos
 * after the closing quote. */
static bool quoted_field(struct reader *r, struct field *fl)
{
    uint32_t open = r->pos++;
    fl->start = r->pos;
    fl->quoted = true;
    for (;;) {
        if (r->pos >= r->len || r->text[r->pos] == '\n' || r->text[r->pos] == '\r') {
            error_at(r, open, open + 1, "csv", "this quote is not closed on its line");
            return false;
        }
        if (r->text[r->pos] == '"') {
            if (r->pos + 1 < r->len && r->text[r->pos + 1] == '"') {
                r->pos += 2;
                continue;
            }
            fl->end = r->pos++;
            return true;
        }
        r->pos++;
    }
}

/* Split the record at r->pos into r->f; r->pos ends after its line end.
 * false after an error (diagnostic recorded) or out of memory. */
static bool read_record(struct reader *r)
{
    r->nf = 0;
    for (;;) {
        struct field fl = {r->pos, r->pos, false};
        while (r->pos < r->len && (r->text[r->pos] == ' ' || r->text[r->pos] == '\t'))
            r->pos++;
        if (r->pos < r->len && r->text[r->pos] == '"') {
            if (!quoted_field(r, &fl))
                return false;
            while (r->pos < r->len && (r->text[r->pos] == ' ' || r->text[r->pos] == '\t'))
                r->pos++;
            if (r->pos < r->len && !is_delim(r->text[r->pos])) {
                error_at(r, r->pos, r->pos + 1, "csv",
                         "text after a closing quote: quote the whole field");
                return false;
            }
        } else {
            fl.start = r->pos;
            while (r->pos < r->len && !is_delim(r->text[r->pos]))
                r->pos++;
            fl.end = r->pos;
        }
        if (!push_field(r, fl))
            return false;
        if (r->pos < r->len && r->text[r->pos] == ',') {
            r->pos++;
            continue;
        }
        if (r->pos < r->len && r->text[r->pos] == '\r')
            r->pos++;
        if (r->pos < r->len && r->text[r->pos] == '\n')
            r->pos++;
        return true;
    }
}

/* The field's text: trimmed, unquoted, "" unescaped, NUL-terminated. */
static const char *field_text(struct reader *r, const struct field *fl, uint32_t *len)
{
    uint32_t s = fl->start, e = fl->end;
    if (!fl->quoted) {
        while (s < e && (r->text[s] == ' ' || r->text[s] == '\t'))
            s++;
        while (e > s && (r->text[e - 1] == ' ' || r->text[e - 1] == '\t'))
            e--;
    }
    char *out = casus_arena_alloc(r->a, e - s + 1);
    if (!out)
        return NULL;
    uint32_t n = 0;
    for (uint32_t i = s; i < e; i++) {
        out[n++] = r->text[i];
        if (fl->quoted && r->text[i] == '"')
            i++; /* "" is one quote */
    }
    out[n] = '\0';
    *len = n;
    return out;
}

/* A finite decimal number filling all of s: digits, sign, point, exponent
 * (no hex, inf or nan, which strtod would take). */
static bool parse_number(const char *s, uint32_t len, double *out)
{
    if (len == 0 || len > 64)
        return false;
    for (uint32_t i = 0; i < len; i++)
        if (!s[i] || !strchr("0123456789+-.eE", s[i]))
            return false;
    char *end;
    double v = strtod(s, &end);
    if (end != s + len || !isfinite(v))
        return false;
    *out = v;
    return true;
}

static bool is_na(const char *s, bool isnum, double v, const char *const *na, size_t nna)
{
    for (size_t i = 0; i < nna; i++) {
        double w;
        if (strcmp(s, na[i]) == 0 ||
            (isnum && parse_number(na[i], (uint32_t)strlen(na[i]), &w) && w == v))
            return true;
    }
    return false;
}

/* The header: names, non-empty and distinct. */
static bool read_header(struct reader *r, struct ev_table *t)
{
    t->ncols = r->nf;
    t->names = casus_arena_alloc(r->a, r->nf * sizeof *t->names);
    t->spans = casus_arena_alloc(r->a, r->nf * sizeof *t->spans);
    t->numeric = casus_arena_alloc(r->a, r->nf * sizeof *t->numeric);
    t->first_text = casus_arena_alloc(r->a, r->nf * sizeof *t->first_text);
    if (!t->names || !t->spans || !t->numeric || !t->first_text)
        return false;
    bool ok = true;
    for (uint32_t c = 0; c < r->nf; c++) {
        uint32_t len;
        t->names[c] = field_text(r, &r->f[c], &len);
        if (!t->names[c])
            return false;
        t->spans[c] = (struct casus_span){r->src, r->f[c].start, r->f[c].end};
        t->numeric[c] = true;
        t->first_text[c] = UINT32_MAX;
        if (len == 0) {
            error_at(r, r->f[c].start, r->f[c].end, "csv", "a column has no name");
            ok = false;
        }
        for (uint32_t k = 0; k < c && len; k++)
            if (strcmp(t->names[k], t->names[c]) == 0) {
                error_at(r, r->f[c].start, r->f[c].end, "csv", "this column name appears twice");
                ok = false;
            }
    }
    return ok;
}

/* Classify the fields of data row `row` into cells. */
static bool read_cells(struct reader *r, struct ev_table *t, uint32_t row, const char *const *na,
                       size_t nna)
{
    for (uint32_t c = 0; c < t->ncols; c++) {
        struct ev_cell *cell = &t->cells[(size_t)row * t->ncols + c];
        uint32_t len;
        cell->s = field_text(r, &r->f[c], &len);
        if (!cell->s)
            return false;
        cell->off = r->f[c].start;
        bool isnum = parse_number(cell->s, len, &cell->num);
        if (len == 0 || is_na(cell->s, isnum, cell->num, na, nna)) {
            cell->kind = EV_CELL_MISSING;
        } else if (isnum) {
            cell->kind = EV_CELL_NUM;
        } else {
            cell->kind = EV_CELL_TEXT;
            if (t->numeric[c])
                t->first_text[c] = row;
            t->numeric[c] = false;
        }
    }
    return true;
}

static bool blank_line(const struct reader *r)
{
    uint32_t p = r->pos;
    while (p < r->len && (r->text[p] == ' ' || r->text[p] == '\t'))
        p++;
    return p < r->len && (r->text[p] == '\n' || r->text[p] == '\r');
}

static void skip_line(struct reader *r)
{
    while (r->pos < r->len && r->text[r->pos] != '\n' && r->text[r->pos] != '\r')
        r->pos++;
    if (r->pos < r->len && r->text[r->pos] == '\r')
        r->pos++;
    if (r->pos < r->len && r->text[r->pos] == '\n')
        r->pos++;
}

/* The data rows, after the header. */
static casus_status read_rows(struct reader *r, struct ev_table *t, const char *const *na,
                              size_t nna)
{
    uint32_t maxrows = 1; /* a record ends at \n, \r\n or a lone \r */
    for (uint32_t p = r->pos; p < r->len; p++)
        maxrows += r->text[p] == '\n' || r->text[p] == '\r';
    if ((uint64_t)maxrows * t->ncols > (UINT64_C(1) << 31)) {
        struct casus_span sp = {r->src, 0, 0};
        casus_diag_add(r->d, CASUS_SEV_ERROR, &sp, "limit", "more than 2^31 cells");
        return CASUS_ELIMIT;
    }
    t->cells = casus_arena_alloc(r->a, (size_t)maxrows * t->ncols * sizeof *t->cells);
    if (!t->cells)
        return CASUS_ENOMEM;
    t->nrows = 0;
    while (r->pos < r->len) {
        if (blank_line(r)) {
            skip_line(r);
            continue;
        }
        uint32_t start = r->pos;
        if (!read_record(r))
            return r->d->nerrors ? CASUS_EINVAL : CASUS_ENOMEM;
        if (r->nf != t->ncols) {
            struct casus_span sp = {r->src, start, start};
            casus_diag_add(r->d, CASUS_SEV_ERROR, &sp, "csv",
                           "this row has %u field%s, the header %u", r->nf, r->nf == 1 ? "" : "s",
                           t->ncols);
            return CASUS_EINVAL;
        }
        if (!read_cells(r, t, t->nrows, na, nna))
            return CASUS_ENOMEM;
        t->nrows++;
    }
    return CASUS_OK;
}

casus_status ev_table_read(struct ev_table *t, struct casus_arena *a, struct casus_diags *d,
                           uint32_t src, const char *const *na, size_t nna)
{
    memset(t, 0, sizeof *t);
    const struct casus_source *s = casus_diags_source(d, src);
    struct reader r = {d, a, src, s->text, s->len, 0, NULL, 0, 0};
    t->src = src;
    if (r.len >= 3 && memcmp(r.text, "\xEF\xBB\xBF", 3) == 0)
        r.pos = 3;
    while (r.pos < r.len && blank_line(&r))
        skip_line(&r);
    if (r.pos >= r.len) {
        struct casus_span sp = {src, 0, 0};
        casus_diag_add(d, CASUS_SEV_ERROR, &sp, "csv", "the file is empty: no header row");
        return CASUS_EINVAL;
    }
    size_t before = d->nerrors;
    if (!read_record(&r))
        return d->nerrors > before ? CASUS_EINVAL : CASUS_ENOMEM;
    if (!read_header(&r, t))
        return d->nerrors > before ? CASUS_EINVAL : CASUS_ENOMEM;
    return read_rows(&r, t, na, nna);
}

int32_t ev_table_find(const struct ev_table *t, const char *name)
{
    for (uint32_t c = 0; c < t->ncols; c++)
        if (strcmp(t->names[c], name) == 0)
            return (int32_t)c;
    return -1;
}
