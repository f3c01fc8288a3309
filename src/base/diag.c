/*
 * diag.c — recording and rendering diagnostics (see diag.h).  Rendering
 * follows jq and gcc:
 *
 *   treaties/x.casus:12:9: error: unknown actor 'NATO_EAST'
 *      12 |   member NATO_EAST from 1949-04-04
 *         |          ^~~~~~~~~
 *   note: did you mean 'NATO'?
 */
#include "base/diag.h"
#include "base/buf.h"

#include <stdarg.h>
#include <stdio.h>

void casus_diags_init(struct casus_diags *d, const struct casus_alloc *alloc)
{
    memset(d, 0, sizeof *d);
    casus_arena_init(&d->src_arena, alloc);
    casus_arena_init(&d->arena, alloc);
    d->max_errors = 50;
}

void casus_diags_release(struct casus_diags *d)
{
    casus_arena_release(&d->arena);
    casus_arena_release(&d->src_arena);
    memset(d, 0, sizeof *d);
}

void casus_diags_clear(struct casus_diags *d)
{
    casus_arena_release(&d->arena);
    d->items = NULL;
    d->n = d->cap = 0;
    d->nerrors = 0;
}

casus_status casus_diags_add_source(struct casus_diags *d, const char *name, const char *text,
                                    size_t len, uint32_t *id)
{
    if (len >= UINT32_MAX || d->nsources == UINT32_MAX)
        return CASUS_ELIMIT;
    if (d->nsources == d->srccap) {
        uint32_t cap = d->srccap ? d->srccap * 2 : 8;
        struct casus_source *s =
            casus_arena_grow(&d->src_arena, d->sources, d->nsources, cap, sizeof *s);
        if (!s)
            return CASUS_ENOMEM;
        d->sources = s;
        d->srccap = cap;
    }
    struct casus_source *s = &d->sources[d->nsources];
    s->name = casus_arena_strndup(&d->src_arena, name, strlen(name));
    s->text = casus_arena_strndup(&d->src_arena, text, len);
    if (!s->name || !s->text)
        return CASUS_ENOMEM;
    s->len = (uint32_t)len;
    s->lines = NULL;
    s->nlines = 0;
    *id = d->nsources++;
    return CASUS_OK;
}

const struct casus_source *casus_diags_source(const struct casus_diags *d, uint32_t id)
{
    return id < d->nsources ? &d->sources[id] : NULL;
}

/* Build the line map of a source on first use.  The map is a cache: it is
 * filled from a const context, which is why the source array is not const. */
static bool build_lines(const struct casus_diags *d, struct casus_source *s)
{
    if (s->lines)
        return true;
    uint32_t n = 1;
    for (uint32_t i = 0; i < s->len; i++)
        n += s->text[i] == '\n';
    struct casus_arena *a = (struct casus_arena *)&d->src_arena;
    uint32_t *lines = casus_arena_alloc(a, (size_t)n * sizeof *lines);
    if (!lines)
        return false;
    uint32_t k = 0;
    lines[k++] = 0;
    for (uint32_t i = 0; i < s->len; i++)
        if (s->text[i] == '\n')
            lines[k++] = i + 1;
    s->lines = lines;
    s->nlines = n;
    return true;
}

static uint32_t utf8_width(const char *p, size_t n)
{
    uint32_t w = 0;
    for (size_t i = 0; i < n; i++)
        w += ((unsigned char)p[i] & 0xC0) != 0x80;
    return w;
}

void casus_source_locate(const struct casus_diags *d, uint32_t src, uint32_t off, uint32_t *line,
                         uint32_t *col)
{
    *line = 1;
    *col = 1;
    if (src >= d->nsources)
        return;
    struct casus_source *s = &d->sources[src];
    if (off > s->len)
        off = s->len;
    if (!build_lines(d, s)) {
        /* Out of memory: fall back to a linear scan. */
        uint32_t ln = 1, start = 0;
        for (uint32_t i = 0; i < off; i++)
            if (s->text[i] == '\n')
                ln++, start = i + 1;
        *line = ln;
        *col = 1 + utf8_width(s->text + start, off - start);
        return;
    }
    uint32_t lo = 0, hi = s->nlines;
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (s->lines[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    *line = lo + 1;
    *col = 1 + utf8_width(s->text + s->lines[lo], off - s->lines[lo]);
}

struct casus_diag *casus_diag_add(struct casus_diags *d, enum casus_severity sev,
                                  const struct casus_span *span, const char *code, const char *fmt,
                                  ...)
{
    if (sev == CASUS_SEV_ERROR) {
        d->nerrors++;
        if (d->nerrors > d->max_errors)
            return NULL;
    }
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 16;
        struct casus_diag *items = casus_arena_grow(&d->arena, d->items, d->n, cap, sizeof *items);
        if (!items)
            return NULL;
        d->items = items;
        d->cap = cap;
    }
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const char *m = casus_arena_strndup(&d->arena, msg, strlen(msg));
    if (!m)
        return NULL;
    struct casus_diag *g = &d->items[d->n++];
    memset(g, 0, sizeof *g);
    g->severity = sev;
    g->code = code;
    g->message = m;
    if (span) {
        g->span = *span;
        g->has_span = true;
    }
    return g;
}

void casus_diag_note(struct casus_diags *d, struct casus_diag *g, const char *fmt, ...)
{
    if (!g || g->nnotes >= CASUS_DIAG_MAX_NOTES)
        return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const char *m = casus_arena_strndup(&d->arena, msg, strlen(msg));
    if (m)
        g->notes[g->nnotes++] = m;
}

static const char *sev_name(enum casus_severity s)
{
    switch (s) {
    case CASUS_SEV_ERROR: return "error";
    case CASUS_SEV_WARNING: return "warning";
    default: return "note";
    }
}

/* The source line holding byte `off`, as [start, end) without the newline. */
static void line_bounds(const struct casus_source *s, uint32_t off, uint32_t *start, uint32_t *end)
{
    uint32_t a = off, b = off;
    while (a > 0 && s->text[a - 1] != '\n')
        a--;
    while (b < s->len && s->text[b] != '\n' && s->text[b] != '\r')
        b++;
    *start = a;
    *end = b;
}

static void render_one(const struct casus_diags *d, const struct casus_diag *g, casus_buf *out)
{
    const struct casus_source *s = g->has_span ? casus_diags_source(d, g->span.src) : NULL;
    if (s) {
        uint32_t line, col;
        casus_source_locate(d, g->span.src, g->span.start, &line, &col);
        casus_buf_printf(out, "%s:%u:%u: %s: %s\n", s->name, line, col, sev_name(g->severity),
                         g->message);
        uint32_t ls, le;
        uint32_t start = g->span.start > s->len ? s->len : g->span.start;
        line_bounds(s, start, &ls, &le);
        casus_buf_printf(out, "%5u | ", line);
        casus_buf_append(out, s->text + ls, le - ls);
        casus_buf_puts(out, "\n      | ");
        /* Pad with the line's own tabs so the caret lines up. */
        for (uint32_t i = ls; i < start; i++) {
            unsigned char c = (unsigned char)s->text[i];
            if ((c & 0xC0) == 0x80)
                continue;
            casus_buf_putc(out, c == '\t' ? '\t' : ' ');
        }
        casus_buf_putc(out, '^');
        uint32_t end = g->span.end < le ? g->span.end : le;
        uint32_t w = end > start ? utf8_width(s->text + start, end - start) : 1;
        for (uint32_t i = 1; i < w; i++)
            casus_buf_putc(out, '~');
        casus_buf_putc(out, '\n');
    } else {
        casus_buf_printf(out, "%s: %s\n", sev_name(g->severity), g->message);
    }
    for (int i = 0; i < g->nnotes; i++)
        casus_buf_printf(out, "note: %s\n", g->notes[i]);
}

void casus_diags_render(const struct casus_diags *d, casus_buf *out)
{
    for (size_t i = 0; i < d->n; i++)
        render_one(d, &d->items[i], out);
    if (d->nerrors > d->max_errors)
        casus_buf_printf(out, "error: too many errors (%zu); stopped after %zu\n", d->nerrors,
                         d->max_errors);
}

void casus_diags_json(const struct casus_diags *d, casus_buf *out)
{
    casus_buf_putc(out, '[');
    for (size_t i = 0; i < d->n; i++) {
        const struct casus_diag *g = &d->items[i];
        const struct casus_source *s = g->has_span ? casus_diags_source(d, g->span.src) : NULL;
        if (i)
            casus_buf_putc(out, ',');
        casus_buf_puts(out, "{\"file\":");
        casus_buf_json_str(out, s ? s->name : NULL);
        if (s) {
            uint32_t l0, c0, l1, c1;
            casus_source_locate(d, g->span.src, g->span.start, &l0, &c0);
            casus_source_locate(d, g->span.src, g->span.end, &l1, &c1);
            casus_buf_printf(out, ",\"line\":%u,\"col\":%u,\"end_line\":%u,\"end_col\":%u", l0, c0,
                             l1, c1);
        }
        casus_buf_puts(out, ",\"severity\":");
        casus_buf_json_str(out, sev_name(g->severity));
        casus_buf_puts(out, ",\"code\":");
        casus_buf_json_str(out, g->code);
        casus_buf_puts(out, ",\"message\":");
        casus_buf_json_str(out, g->message);
        casus_buf_puts(out, ",\"notes\":[");
        for (int k = 0; k < g->nnotes; k++) {
            if (k)
                casus_buf_putc(out, ',');
            casus_buf_json_str(out, g->notes[k]);
        }
        casus_buf_puts(out, "]}");
    }
    casus_buf_putc(out, ']');
}
