/*
 * mem.c — the engine's single allocation hook.  Every allocation in libcasus
 * goes through casus_mem_*, which call the user's casus_alloc_fn, so tests can
 * fail the Nth allocation and check that each caller recovers cleanly.
 */
#include "base/internal.h"

#include <stdlib.h>

void *casus_default_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    (void)ud;
    (void)osize;
    if (nsize == 0) {
        free(ptr);
        return NULL;
    }
    return realloc(ptr, nsize);
}

void *casus_mem_alloc(const struct casus_alloc *a, size_t n)
{
    if (n == 0)
        n = 1;
    return a->fn(a->ud, NULL, 0, n);
}

void *casus_mem_realloc(const struct casus_alloc *a, void *p, size_t osize, size_t nsize)
{
    if (nsize == 0)
        nsize = 1;
    return a->fn(a->ud, p, osize, nsize);
}

void casus_mem_free(const struct casus_alloc *a, void *p, size_t osize)
{
    if (p)
        a->fn(a->ud, p, osize, 0);
}

bool casus_streq_n(const char *a, size_t alen, const char *b)
{
    size_t blen = strlen(b);
    return alen == blen && memcmp(a, b, alen) == 0;
}
