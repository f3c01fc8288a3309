/*
 * arena.c — chunked bump allocator (see arena.h).  Chunks double up to 1 MiB;
 * a request bigger than a chunk gets a chunk of its own.
 */
#include "base/arena.h"

#include <stdarg.h>
#include <stdio.h>

struct casus_arena_chunk {
    struct casus_arena_chunk *prev;
    size_t size; /* usable bytes in data */
    _Alignas(16) unsigned char data[];
};

enum { ARENA_MIN_CHUNK = 4096, ARENA_MAX_CHUNK = 1 << 20 };

void casus_arena_init(struct casus_arena *a, const struct casus_alloc *alloc)
{
    a->alloc = alloc;
    a->head = NULL;
    a->used = 0;
    a->total = 0;
}

void casus_arena_release(struct casus_arena *a)
{
    struct casus_arena_chunk *c = a->head;
    while (c) {
        struct casus_arena_chunk *prev = c->prev;
        casus_mem_free(a->alloc, c, sizeof(*c) + c->size);
        c = prev;
    }
    a->head = NULL;
    a->used = 0;
    a->total = 0;
}

void *casus_arena_alloc(struct casus_arena *a, size_t n)
{
    if (n > ((size_t)1 << 40))
        return NULL;
    n = (n + 15) & ~(size_t)15;
    if (n == 0)
        n = 16;
    if (!a->head || a->head->size - a->used < n) {
        size_t size = a->head ? a->head->size * 2 : ARENA_MIN_CHUNK;
        if (size > ARENA_MAX_CHUNK)
            size = ARENA_MAX_CHUNK;
        if (size < n)
            size = n;
        struct casus_arena_chunk *c = casus_mem_alloc(a->alloc, sizeof(*c) + size);
        if (!c)
            return NULL;
        c->prev = a->head;
        c->size = size;
        a->head = c;
        a->used = 0;
    }
    void *p = a->head->data + a->used;
    a->used += n;
    a->total += n;
    memset(p, 0, n);
    return p;
}

char *casus_arena_strndup(struct casus_arena *a, const char *s, size_t len)
{
    char *p = casus_arena_alloc(a, len + 1);
    if (!p)
        return NULL;
    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *casus_arena_printf(struct casus_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *p = casus_arena_alloc(a, (size_t)n + 1);
    if (!p)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

void *casus_arena_grow(struct casus_arena *a, void *old, size_t old_n, size_t new_n, size_t elem)
{
    CASUS_ASSERT(new_n >= old_n); /* growing, never shrinking: the copy below */
    if (elem && new_n > SIZE_MAX / elem)
        return NULL;
    void *p = casus_arena_alloc(a, new_n * elem);
    if (p && old && old_n)
        memcpy(p, old, old_n * elem);
    return p;
}
