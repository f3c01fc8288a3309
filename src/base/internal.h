/*
 * internal.h — definitions shared by every module of libcasus but not part
 * of the public API: visibility, assertions, the allocator wrapper and small
 * helpers.  Every library module includes it first.
 */
#ifndef CASUS_INTERNAL_H
#define CASUS_INTERNAL_H

#include "casus/casus.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Functions shared across modules but hidden from the library's users
 * (the library is built with -fvisibility=hidden). */
#define CASUS_INTERNAL __attribute__((visibility("hidden")))

/* Programmer errors: conditions that no input can cause.  Checked in debug
 * and sanitizer builds; compiled out of release builds. */
#ifdef CASUS_DEBUG
#include <stdlib.h>
#define CASUS_ASSERT(c) ((c) ? (void)0 : abort())
#else
#define CASUS_ASSERT(c) ((void)0)
#endif

#define CASUS_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* The allocator an engine carries (the public casus_alloc_fn plus its ud). */
struct casus_alloc {
    casus_alloc_fn fn;
    void *ud;
};

CASUS_INTERNAL void *casus_mem_alloc(const struct casus_alloc *a, size_t n);
CASUS_INTERNAL void *casus_mem_realloc(const struct casus_alloc *a, void *p, size_t osize,
                                       size_t nsize);
CASUS_INTERNAL void casus_mem_free(const struct casus_alloc *a, void *p, size_t osize);
/* The default allocator: malloc/realloc/free. */
CASUS_INTERNAL void *casus_default_alloc(void *ud, void *ptr, size_t osize, size_t nsize);

/* Fill an error record (NULL: ignored) and return st, so that a failing
 * path reads `return casus_error_set(err, CASUS_EINVAL, "bad-x", in, …)`.
 * code must be a string literal (it is kept, not copied). */
CASUS_INTERNAL casus_status casus_error_set(casus_error *err, casus_status st, const char *code,
                                            casus_input in, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Reset a record (NULL: ignored) to CASUS_OK with an empty message. */
CASUS_INTERNAL void casus_error_clear(casus_error *err);

/* Bounded string helpers (strcpy/sprintf are banned, see banned.h). */
CASUS_INTERNAL bool casus_streq_n(const char *a, size_t alen, const char *b);

#include "base/banned.h"

#endif
