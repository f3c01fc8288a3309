/*
 * arena.h — bump allocation for everything that lives as long as one
 * compiled source or one engine: tokens, syntax trees, symbols, interned
 * strings, diagnostics.
 *
 * Ownership: the arena owns every block it hands out; nothing is freed on its
 * own.  casus_arena_release() frees all of it in one call.  Allocation is
 * O(1) amortised; blocks are 16-byte aligned.
 */
#ifndef CASUS_ARENA_H
#define CASUS_ARENA_H

#include "base/internal.h"

struct casus_arena_chunk;

struct casus_arena {
    const struct casus_alloc *alloc; /* where chunks come from (borrowed) */
    struct casus_arena_chunk *head;  /* newest chunk; older ones chained */
    size_t used;                     /* bytes used in head */
    size_t total;                    /* bytes handed out, all chunks */
};

/* Start an empty arena that takes memory from alloc (which must outlive it). */
CASUS_INTERNAL void casus_arena_init(struct casus_arena *a, const struct casus_alloc *alloc);

/* Free every chunk; the arena is empty and reusable afterwards. */
CASUS_INTERNAL void casus_arena_release(struct casus_arena *a);

/* n bytes, zeroed, 16-byte aligned; NULL when out of memory (or n absurd). */
CASUS_INTERNAL void *casus_arena_alloc(struct casus_arena *a, size_t n);

/* Copy len bytes of s and add a NUL; NULL when out of memory. */
CASUS_INTERNAL char *casus_arena_strndup(struct casus_arena *a, const char *s, size_t len);

/* printf into the arena; NULL when out of memory. */
CASUS_INTERNAL char *casus_arena_printf(struct casus_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Grow an arena-owned array: returns a new block of new_n elements holding
 * the old_n elements of old (the old block is abandoned to the arena). */
CASUS_INTERNAL void *casus_arena_grow(struct casus_arena *a, void *old, size_t old_n, size_t new_n,
                                      size_t elem);

#endif
