/*
 * frame.c — the CSV data frame of the fit wing (see frame.h): header, one
 * pass over the rows for the columns needed, exact decimal parsing, and
 * factors with R's level order.
 */
#include "fit/frame.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- numbers ------------------------------------------------------------ */

#if defined(__x86_64__) && LDBL_MANT_DIG == 64
#define FIT_FAST_DECIMAL 1
/* 10^0 .. 10^27: exact in the 64-bit significand of x87 long double
 * (5^27 < 2^64), so these literals are exact. */
static const long double POW10L[28] = {1e0L,  1e1L,  1e2L,  1e3L,  1e4L,  1e5L,  1e6L,
                                       1e7L,  1e8L,  1e9L,  1e10L, 1e11L, 1e12L, 1e13L,
                                       1e14L, 1e15L, 1e16L, 1e17L, 1e18L, 1e19L, 1e20L,
                                       1e21L, 1e22L, 1e23L, 1e24L, 1e25L, 1e26L, 1e27L};
#endif

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* strtod on a bounded copy (the text is not NUL-terminated per cell). */
static bool slow_number(const char *s, size_t len, double *out)
{
    char buf[512];
    if (len >= sizeof buf)
        return false;
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *end;
    errno = 0;
    double v = strtod(buf, &end);
    if (end != buf + len)
        return false;
    *out = v;
    return true;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Scan [sign] digits [. digits] [e [sign] digits]; the significand in *m
 * (first 19 significant digits), the decimal exponent in *e10; *exact is
 * false when nonzero digits were dropped.  false when the syntax does not
 * match.  One test per digit in the common case. */
static bool scan_decimal(const char *p, const char *end, uint64_t *m, int *e10, bool *neg,
                         bool *exact)
{
    int nd = 0, ex = 0;
    const char *d0 = p;
    *m = 0;
    *exact = true;
    *neg = p < end && *p == '-';
    if (p < end && (*p == '-' || *p == '+'))
        d0 = ++p;
    while (p < end && *p == '0') /* leading zeros */
        p++;
    for (; p < end && is_digit(*p); p++) {
        if (nd < 19) {
            *m = *m * 10 + (uint64_t)(*p - '0');
            nd++;
        } else {
            ex++;
            *exact &= *p == '0';
        }
    }
    bool any = p > d0;
    if (p < end && *p == '.') {
        const char *f0 = ++p;
        if (*m == 0)
            for (; p < end && *p == '0'; p++)
                ex--;
        for (; p < end && is_digit(*p); p++) {
            if (nd < 19) {
                *m = *m * 10 + (uint64_t)(*p - '0');
                nd++;
                ex--;
            } else {
                *exact &= *p == '0';
            }
        }
        any |= p > f0;
    }
    if (!any)
        return false;
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        bool eneg = p < end && *p == '-';
        if (p < end && (*p == '-' || *p == '+'))
            p++;
        if (p == end || !is_digit(*p))
            return false;
        int v = 0;
        for (; p < end && is_digit(*p); p++)
            v = v < 100000 ? v * 10 + (*p - '0') : v;
        ex += eneg ? -v : v;
    }
    *e10 = ex;
    return p == end;
}

bool fit_parse_number(const char *s, size_t len, double *out)
{
    const char *p = s, *end = s + len;
    while (p < end && is_blank(*p))
        p++;
    while (end > p && is_blank(end[-1]))
        end--;
    uint64_t m;
    int e10;
    bool neg, exact;
    if (p == end || !scan_decimal(p, end, &m, &e10, &neg, &exact))
        return false;
    if (m == 0 && exact) {
        *out = neg ? -0.0 : 0.0;
        return true;
    }
#ifdef FIT_FAST_DECIMAL
    if (exact && e10 >= -27 && e10 <= 27) {
        /* m and 10^|e10| are exact, so r is the exact value rounded once to
           64 bits; rounding r to 53 bits is then correct unless r sits
           exactly on a 53-bit halfway point (low 11 bits 0x400). */
        long double r = (long double)m;
        r = e10 >= 0 ? r * POW10L[e10] : r / POW10L[-e10];
        uint64_t mant;
        memcpy(&mant, &r, sizeof mant);
        if ((mant & 0x7ff) != 0x400) {
            double v = (double)r;
            *out = neg ? -v : v;
            return true;
        }
    }
#endif
    return slow_number(p, (size_t)(end - p), out);
}

/* ---- fields ------------------------------------------------------------- */

struct field {
    uint32_t start, end; /* content, quotes excluded */
    bool quoted;
};

enum { END_FIELD, END_ROW, END_FILE, END_ERROR };

/* Scan the field at *pos.  Returns END_FIELD (a comma follows), END_ROW
 * (a line end, consumed), END_FILE, or END_ERROR (bad quoting; *pos at the
 * offending byte). */
static int scan_field(const char *t, uint32_t len, uint32_t *pos, struct field *fl)
{
    uint32_t p = *pos;
    fl->quoted = p < len && t[p] == '"';
    if (fl->quoted) {
        fl->start = ++p;
        for (;; p++) {
            if (p >= len) {
                *pos = fl->start - 1;
                return END_ERROR;
            }
            if (t[p] == '"') {
                if (p + 1 < len && t[p + 1] == '"') {
                    p++;
                    continue;
                }
                break;
            }
        }
        fl->end = p++;
    } else {
        fl->start = p;
        while (p < len && t[p] != ',' && t[p] != '\n' && t[p] != '\r')
            p++;
        fl->end = p;
    }
    if (p >= len) {
        *pos = p;
        return END_FILE;
    }
    if (t[p] == ',') {
        *pos = p + 1;
        return END_FIELD;
    }
    if (t[p] == '\r' || t[p] == '\n') {
        p += t[p] == '\r' && p + 1 < len && t[p + 1] == '\n' ? 2 : 1;
        *pos = p;
        return END_ROW;
    }
    *pos = p;
    return END_ERROR; /* text after a closing quote */
}

static struct casus_span span_of(const struct fit_frame *f, uint32_t a, uint32_t b)
{
    struct casus_span s = {f->src, a, b};
    return s;
}

static char *unescape(struct casus_arena *a, const char *s, uint32_t n, bool quoted)
{
    char *o = casus_arena_alloc(a, (size_t)n + 1);
    if (!o)
        return NULL;
    uint32_t k = 0;
    for (uint32_t i = 0; i < n; i++) {
        o[k++] = s[i];
        if (quoted && s[i] == '"' && i + 1 < n && s[i + 1] == '"')
            i++;
    }
    o[k] = '\0';
    return o;
}

/* ---- header ------------------------------------------------------------- */

static casus_status bad_quote(struct fit_frame *f, uint32_t at)
{
    struct casus_span s = span_of(f, at, at + 1 <= f->len ? at + 1 : at);
    casus_diag_add(f->d, CASUS_SEV_ERROR, &s, "csv",
                   f->text[at] == '"' ? "unterminated quoted field"
                                      : "unexpected character after a closing quote");
    return CASUS_EINVAL;
}

static casus_status add_column(struct fit_frame *f, struct casus_arena *a, const struct field *fl,
                               uint32_t *cap)
{
    if (f->ncols >= FIT_FRAME_MAX_COLS)
        return CASUS_ELIMIT;
    if (f->ncols == *cap) {
        uint32_t nc = *cap ? *cap * 2 : 16;
        struct fit_column *n = casus_arena_grow(a, f->cols, f->ncols, nc, sizeof *n);
        if (!n)
            return CASUS_ENOMEM;
        f->cols = n;
        *cap = nc;
    }
    struct fit_column *c = &f->cols[f->ncols];
    memset(c, 0, sizeof *c);
    c->span = span_of(f, fl->start, fl->end);
    c->name = unescape(a, f->text + fl->start, fl->end - fl->start, fl->quoted);
    if (!c->name)
        return CASUS_ENOMEM;
    if (!*c->name) {
        casus_diag_add(f->d, CASUS_SEV_ERROR, &c->span, "csv",
                       "column %u has no name in the header", f->ncols + 1);
        return CASUS_EINVAL;
    }
    if (fit_frame_find(f, c->name, strlen(c->name)) >= 0) {
        casus_diag_add(f->d, CASUS_SEV_ERROR, &c->span, "csv", "duplicate column name '%s'",
                       c->name);
        return CASUS_EINVAL;
    }
    f->ncols++;
    return CASUS_OK;
}

casus_status fit_frame_open(struct fit_frame *f, struct casus_arena *a, struct casus_diags *d,
                            uint32_t src)
{
    const struct casus_source *s = casus_diags_source(d, src);
    memset(f, 0, sizeof *f);
    f->d = d;
    f->src = src;
    f->text = s->text;
    f->len = s->len;
    uint32_t pos = 0, cap = 0;
    if (f->len >= 3 && memcmp(f->text, "\xEF\xBB\xBF", 3) == 0)
        pos = 3; /* UTF-8 byte order mark */
    while (pos < f->len && (f->text[pos] == '\n' || f->text[pos] == '\r'))
        pos++;
    if (pos >= f->len) {
        casus_diag_add(d, CASUS_SEV_ERROR, NULL, "csv", "'%s' is empty: expected a header row",
                       s->name);
        return CASUS_EINVAL;
    }
    for (;;) {
        struct field fl;
        int e = scan_field(f->text, f->len, &pos, &fl);
        if (e == END_ERROR)
            return bad_quote(f, pos);
        casus_status st = add_column(f, a, &fl, &cap);
        if (st != CASUS_OK)
            return st;
        if (e != END_FIELD)
            break;
    }
    f->data_start = pos;
    return CASUS_OK;
}

int fit_frame_find(const struct fit_frame *f, const char *name, size_t len)
{
    for (uint32_t c = 0; c < f->ncols; c++)
        if (casus_streq_n(name, len, f->cols[c].name))
            return (int)c;
    return -1;
}

/* ---- rows --------------------------------------------------------------- */

static bool is_missing(const char *s, uint32_t n)
{
    return n == 0 || (n == 2 && s[0] == 'N' && s[1] == 'A');
}

/* Switch column c to text mode at row r (earlier rows were all missing). */
static bool to_text(struct fit_column *c, struct casus_arena *a, uint32_t cap, uint32_t r)
{
    c->text = true;
    c->off = casus_arena_alloc(a, (size_t)cap * sizeof *c->off);
    c->len = casus_arena_alloc(a, (size_t)cap * sizeof *c->len);
    c->quoted = casus_arena_alloc(a, (size_t)cap);
    c->missing = casus_arena_alloc(a, (size_t)cap);
    if (!c->off || !c->len || !c->quoted || !c->missing)
        return false;
    for (uint32_t k = 0; k < r; k++)
        c->missing[k] = true;
    return true;
}

/* Store cell (r, col) of a loaded column. */
static bool store_cell(struct fit_frame *f, struct fit_column *c, struct casus_arena *a,
                       uint32_t cap, uint32_t r, const struct field *fl)
{
    const char *s = f->text + fl->start;
    uint32_t n = fl->end - fl->start;
    bool miss = is_missing(s, n);
    if (!c->text) {
        if (miss || fit_parse_number(s, n, &c->num[r])) {
            if (miss)
                c->num[r] = NAN;
            return true;
        }
        c->num[r] = NAN;
        bool seen_number = c->nbad > 0;
        for (uint32_t k = 0; k < r && !seen_number; k++)
            seen_number = !isnan(c->num[k]);
        if (seen_number) { /* numbers first: a bad cell */
            if (!c->nbad++) {
                c->first_bad = r;
                c->bad = span_of(f, fl->start, fl->end);
            }
            return true;
        }
        if (!to_text(c, a, cap, r))
            return false;
    }
    c->off[r] = fl->start;
    c->len[r] = n;
    c->quoted[r] = fl->quoted;
    c->missing[r] = miss;
    return true;
}

static uint32_t count_lines(const char *t, uint32_t from, uint32_t len)
{
    uint32_t n = 1;
    const char *p = t + from, *end = t + len;
    while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        n++;
        p++;
    }
    return n;
}

static casus_status wrong_width(struct fit_frame *f, uint32_t row_start, uint32_t pos,
                                uint32_t nfields, uint32_t row)
{
    uint32_t e = pos;
    while (e > row_start && (f->text[e - 1] == '\n' || f->text[e - 1] == '\r'))
        e--;
    struct casus_span s = span_of(f, row_start, e);
    casus_diag_add(f->d, CASUS_SEV_ERROR, &s, "csv", "row %u has %u field%s; the header has %u",
                   row + 1, nfields, nfields == 1 ? "" : "s", f->ncols);
    return CASUS_EINVAL;
}

/* Allocate the number arrays of the needed columns (cap rows). */
static casus_status alloc_columns(struct fit_frame *f, struct casus_arena *a, const bool *need,
                                  const bool *text, uint32_t cap)
{
    for (uint32_t c = 0; c < f->ncols; c++) {
        struct fit_column *col = &f->cols[c];
        col->loaded = need[c];
        if (!need[c])
            continue;
        col->num = casus_arena_alloc(a, (size_t)cap * sizeof *col->num);
        if (!col->num || (text && text[c] && !to_text(col, a, cap, 0)))
            return CASUS_ENOMEM;
    }
    return CASUS_OK;
}

casus_status fit_frame_load(struct fit_frame *f, struct casus_arena *a, const bool *need,
                            const bool *text)
{
    uint32_t cap = count_lines(f->text, f->data_start, f->len), pos = f->data_start, row = 0;
    casus_status st = alloc_columns(f, a, need, text, cap);
    if (st != CASUS_OK)
        return st;
    while (pos < f->len) {
        if (f->text[pos] == '\n' || f->text[pos] == '\r') { /* blank line */
            pos++;
            continue;
        }
        uint32_t start = pos, col = 0;
        int e;
        do {
            struct field fl;
            e = scan_field(f->text, f->len, &pos, &fl);
            if (e == END_ERROR)
                return bad_quote(f, pos);
            if (col < f->ncols && need[col] && !store_cell(f, &f->cols[col], a, cap, row, &fl))
                return CASUS_ENOMEM;
            col++;
        } while (e == END_FIELD);
        if (col != f->ncols)
            return wrong_width(f, start, pos, col, row);
        if (++row == cap && pos < f->len) /* only quoted newlines can undercount */
            return CASUS_ELIMIT;
    }
    f->nrows = row;
    return CASUS_OK;
}

/* ---- factors ------------------------------------------------------------ */

const char *fit_frame_cell_text(const struct fit_frame *f, struct casus_arena *a, uint32_t c,
                                uint32_t row)
{
    const struct fit_column *col = &f->cols[c];
    return unescape(a, f->text + col->off[row], col->len[row], col->quoted[row]);
}

struct casus_span fit_frame_cell_span(const struct fit_frame *f, uint32_t c, uint32_t row)
{
    const struct fit_column *col = &f->cols[c];
    uint32_t q = col->quoted[row] ? 1 : 0;
    return span_of(f, col->off[row] - q, col->off[row] + col->len[row] + q);
}

/* R's alphabetical order in an English locale, approximately: ASCII case
 * folded first, then lower case before upper, then bytes. */
static int level_cmp(const char *a, const char *b)
{
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
    for (; *x && *y; x++, y++) {
        int cx = *x >= 'A' && *x <= 'Z' ? *x + 32 : *x, cy = *y >= 'A' && *y <= 'Z' ? *y + 32 : *y;
        if (cx != cy)
            return cx - cy;
    }
    if (*x || *y)
        return *x ? 1 : -1;
    for (x = (const unsigned char *)a, y = (const unsigned char *)b; *x; x++, y++)
        if (*x != *y)
            return *x > *y ? -1 : 1; /* 'a' (97) before 'A' (65) */
    return 0;
}

static int level_qsort_cmp(const void *pa, const void *pb)
{
    return level_cmp(*(const char *const *)pa, *(const char *const *)pb);
}

static int num_qsort_cmp(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return a < b ? -1 : a > b;
}

/* Index of s among the n sorted names, or -1 (binary search). */
static int find_sorted(const char *const *names, uint32_t n, const char *s)
{
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int k = level_cmp(names[mid], s);
        if (k == 0)
            return (int)mid;
        if (k < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* Distinct present values of a text column over the used rows, sorted. */
static casus_status text_levels(struct fit_frame *f, struct casus_arena *a, uint32_t c,
                                const bool *use, const char ***out, uint32_t *nout)
{
    struct fit_column *col = &f->cols[c];
    const char **all = casus_arena_alloc(a, ((size_t)f->nrows + 1) * sizeof *all);
    if (!all)
        return CASUS_ENOMEM;
    uint32_t n = 0;
    for (uint32_t r = 0; r < f->nrows; r++) {
        if ((use && !use[r]) || col->missing[r])
            continue;
        if (n && col->len[r] == strlen(all[n - 1]) && !col->quoted[r] &&
            memcmp(all[n - 1], f->text + col->off[r], col->len[r]) == 0)
            continue; /* runs of one value are common */
        if (!(all[n++] = fit_frame_cell_text(f, a, c, r)))
            return CASUS_ENOMEM;
    }
    qsort(all, n, sizeof *all, level_qsort_cmp);
    uint32_t k = 0;
    for (uint32_t i = 0; i < n; i++)
        if (k == 0 || level_cmp(all[k - 1], all[i]) != 0)
            all[k++] = all[i];
    *out = all;
    *nout = k;
    return CASUS_OK;
}

/* Codes of a text column against sorted levels (or a given order). */
static casus_status text_codes(struct fit_frame *f, struct casus_arena *a, uint32_t c,
                               const bool *use, const char *const *sorted, const int32_t *rank,
                               uint32_t nsorted)
{
    struct fit_column *col = &f->cols[c];
    for (uint32_t r = 0; r < f->nrows; r++) {
        col->code[r] = -1;
        if ((use && !use[r]) || col->missing[r])
            continue;
        const char *s = fit_frame_cell_text(f, a, c, r);
        if (!s)
            return CASUS_ENOMEM;
        int k = find_sorted(sorted, nsorted, s);
        if (k < 0 || rank[k] < 0) {
            struct casus_span sp = fit_frame_cell_span(f, c, r);
            casus_diag_add(f->d, CASUS_SEV_ERROR, &sp, "level",
                           "'%s' in column '%s' (row %u) is not one of the levels given for it", s,
                           col->name, r + 1);
            return CASUS_EINVAL;
        }
        col->code[r] = rank[k];
    }
    return CASUS_OK;
}

/* Factor of a numeric column: levels are the distinct values, ascending,
 * labelled as R prints them (15 significant digits). */
static casus_status numeric_factor(struct fit_frame *f, struct casus_arena *a, uint32_t c,
                                   const bool *use)
{
    struct fit_column *col = &f->cols[c];
    double *v = casus_arena_alloc(a, ((size_t)f->nrows + 1) * sizeof *v);
    if (!v)
        return CASUS_ENOMEM;
    uint32_t n = 0, k = 0;
    for (uint32_t r = 0; r < f->nrows; r++)
        if ((!use || use[r]) && !isnan(col->num[r]))
            v[n++] = col->num[r];
    qsort(v, n, sizeof *v, num_qsort_cmp);
    for (uint32_t i = 0; i < n; i++)
        if (k == 0 || v[k - 1] != v[i])
            v[k++] = v[i];
    col->levels = casus_arena_alloc(a, ((size_t)k + 1) * sizeof *col->levels);
    if (!col->levels)
        return CASUS_ENOMEM;
    for (uint32_t i = 0; i < k; i++)
        if (!(col->levels[i] = casus_arena_printf(a, "%.15g", v[i])))
            return CASUS_ENOMEM;
    col->nlevels = k;
    for (uint32_t r = 0; r < f->nrows; r++) {
        col->code[r] = -1;
        if ((!use || use[r]) && !isnan(col->num[r])) {
            uint32_t lo = 0, hi = k;
            while (hi - lo > 1) {
                uint32_t mid = (lo + hi) / 2;
                if (v[mid] <= col->num[r])
                    lo = mid;
                else
                    hi = mid;
            }
            col->code[r] = (int32_t)lo;
        }
    }
    return CASUS_OK;
}

casus_status fit_frame_factor(struct fit_frame *f, struct casus_arena *a, uint32_t c,
                              const bool *use, const char *const *order, uint32_t nord)
{
    struct fit_column *col = &f->cols[c];
    col->code = casus_arena_alloc(a, ((size_t)f->nrows + 1) * sizeof *col->code);
    if (!col->code)
        return CASUS_ENOMEM;
    if (!col->text)
        return numeric_factor(f, a, c, use);
    const char **lv;
    uint32_t nlv;
    casus_status st = text_levels(f, a, c, use, &lv, &nlv);
    if (st != CASUS_OK)
        return st;
    int32_t *rank = casus_arena_alloc(a, ((size_t)nlv + 1) * sizeof *rank);
    col->levels = casus_arena_alloc(a, ((size_t)nlv + 1) * sizeof *col->levels);
    if (!rank || !col->levels)
        return CASUS_ENOMEM;
    col->nlevels = 0;
    if (!order) { /* alphabetical */
        for (uint32_t i = 0; i < nlv; i++) {
            rank[i] = (int32_t)i;
            col->levels[col->nlevels++] = lv[i];
        }
    } else { /* the given order, keeping only the levels present */
        for (uint32_t i = 0; i < nlv; i++)
            rank[i] = -1;
        for (uint32_t j = 0; j < nord; j++) {
            int k = find_sorted(lv, nlv, order[j]);
            if (k >= 0 && rank[k] < 0) {
                rank[k] = (int32_t)col->nlevels;
                col->levels[col->nlevels++] = lv[k];
            }
        }
    }
    return text_codes(f, a, c, use, lv, rank, nlv);
}
