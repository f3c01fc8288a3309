/*
 * json.h — a small JSON reader (RFC 8259) for the files casus reads back:
 * a fit written by `casus fit --json`, read as a multivariate normal over
 * its coefficients (fitfile.h).
 *
 * The whole text is parsed into a tree; every value keeps its span, so an
 * error about a value (a missing field, a negative variance) points at it
 * with file:line:col and a caret.  Strings are unescaped (\uXXXX to UTF-8,
 * surrogate pairs joined); numbers are read with strtod.  Syntax errors are
 * diagnostics "json"; nesting deeper than 64 is an error, not a stack
 * overflow.  Status CASUS_EINVAL, CASUS_ENOMEM.
 *
 * Ownership: the tree lives in the arena given; the text belongs to the
 * diagnostics context (source id src).  O(bytes).
 */
#ifndef CASUS_EVIDENCE_JSON_H
#define CASUS_EVIDENCE_JSON_H

#include "base/diag.h"

#define EV_JSON_MAX_DEPTH 64

enum ev_json_kind {
    EV_JSON_NULL,
    EV_JSON_BOOL,
    EV_JSON_NUM,
    EV_JSON_STR,
    EV_JSON_ARR,
    EV_JSON_OBJ
};

struct ev_json {
    enum ev_json_kind kind;
    bool b;
    double num;
    const char *s;                /* EV_JSON_STR: NUL-terminated */
    const struct ev_json **items; /* EV_JSON_ARR, EV_JSON_OBJ: the values */
    const char **keys;            /* EV_JSON_OBJ: the keys */
    uint32_t n;
    struct casus_span span;
};

/* Parse source src of d (one value, then only blanks).  NULL after an
 * error (diagnostic recorded) or when out of memory (*oom set). */
CASUS_INTERNAL const struct ev_json *ev_json_parse(struct casus_arena *a, struct casus_diags *d,
                                                   uint32_t src, bool *oom);

/* The member `key` of an object (the last one if repeated), or NULL. */
CASUS_INTERNAL const struct ev_json *ev_json_get(const struct ev_json *obj, const char *key);

#endif
