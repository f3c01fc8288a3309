/*
 * diag.h — sources and diagnostics.
 *
 * Every piece of text the engine compiles (a treaty file, the gazetteer CSV,
 * a batch CSV) is registered as a source and gets an id; tokens and syntax
 * nodes carry byte spans {source, start, end} into it.  Line and column are
 * computed only when a diagnostic is rendered, from a line map built on first
 * use.  Columns count UTF-8 code points, starting at 1.
 *
 * Ownership: the diagnostics context owns copies of all source texts (they
 * live as long as the engine, since compiled objects point into them) and its
 * diagnostics (freed by casus_diags_clear).
 */
#ifndef CASUS_DIAG_H
#define CASUS_DIAG_H

#include "base/arena.h"

struct casus_span {
    uint32_t src;   /* source id from casus_diags_add_source */
    uint32_t start; /* byte offset of the first byte */
    uint32_t end;   /* byte offset one past the last byte (end >= start) */
};

struct casus_source {
    const char *name; /* file name shown in diagnostics */
    const char *text; /* NUL-terminated copy */
    uint32_t len;     /* bytes, excluding the NUL */
    uint32_t *lines;  /* byte offset of each line start; lazily built */
    uint32_t nlines;
};

enum casus_severity { CASUS_SEV_ERROR, CASUS_SEV_WARNING, CASUS_SEV_NOTE };

enum { CASUS_DIAG_MAX_NOTES = 4 };

struct casus_diag {
    enum casus_severity severity;
    const char *code; /* stable id, e.g. "unknown-name" */
    struct casus_span span;
    bool has_span; /* false: message about no text */
    const char *message;
    const char *notes[CASUS_DIAG_MAX_NOTES]; /* "did you mean …", context */
    int nnotes;
};

struct casus_diags {
    struct casus_arena src_arena; /* source copies and line maps: engine lifetime */
    struct casus_arena arena;     /* diagnostics: until casus_diags_clear */
    struct casus_source *sources;
    uint32_t nsources, srccap;
    struct casus_diag *items;
    size_t n, cap;
    size_t nerrors;    /* error-severity items */
    size_t max_errors; /* stop recording errors past this many */
};

CASUS_INTERNAL void casus_diags_init(struct casus_diags *d, const struct casus_alloc *alloc);
CASUS_INTERNAL void casus_diags_release(struct casus_diags *d);
CASUS_INTERNAL void casus_diags_clear(struct casus_diags *d);

/* Copy a source in; *id receives its id.  CASUS_ELIMIT past 4 GiB. */
CASUS_INTERNAL casus_status casus_diags_add_source(struct casus_diags *d, const char *name,
                                                   const char *text, size_t len, uint32_t *id);

CASUS_INTERNAL const struct casus_source *casus_diags_source(const struct casus_diags *d,
                                                             uint32_t id);

/* Record a diagnostic.  Returns it (so notes can be added) or NULL when out
 * of memory or past max_errors; callers need not check.  The message is
 * formatted git-style: lowercase start, no final period, names in quotes. */
CASUS_INTERNAL struct casus_diag *casus_diag_add(struct casus_diags *d, enum casus_severity sev,
                                                 const struct casus_span *span, const char *code,
                                                 const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

CASUS_INTERNAL void casus_diag_note(struct casus_diags *d, struct casus_diag *g, const char *fmt,
                                    ...) __attribute__((format(printf, 3, 4)));

/* Line (1-based) and column (1-based, in code points) of a byte offset. */
CASUS_INTERNAL void casus_source_locate(const struct casus_diags *d, uint32_t src, uint32_t off,
                                        uint32_t *line, uint32_t *col);

CASUS_INTERNAL void casus_diags_render(const struct casus_diags *d, casus_buf *out);
CASUS_INTERNAL void casus_diags_json(const struct casus_diags *d, casus_buf *out);

#endif
