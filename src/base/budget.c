/*
 * budget.c — the memory budget allocator (see budget.h).
 */
#include "base/budget.h"

#include <stdio.h>
#include <unistd.h>

static void *budget_fn(void *ud, void *ptr, size_t osize, size_t nsize)
{
    struct casus_budget *b = ud;
    if (nsize > osize && nsize - osize > b->limit - (b->used < b->limit ? b->used : b->limit)) {
        if (!b->refused) {
            b->refused = nsize - osize;
            b->refused_used = b->used;
        }
        return NULL;
    }
    void *p = b->inner.fn(b->inner.ud, ptr, osize, nsize);
    if (nsize == 0 || p) {
        b->used = b->used >= osize ? b->used - osize : 0;
        b->used += nsize;
        if (b->used > b->peak)
            b->peak = b->used;
    }
    return p;
}

size_t casus_budget_default(void)
{
    long pages = sysconf(_SC_PHYS_PAGES), psize = sysconf(_SC_PAGESIZE);
    if (pages <= 0 || psize <= 0)
        return (size_t)1 << 30;
    double half = (double)pages * (double)psize / 2;
    return half >= (double)SIZE_MAX ? SIZE_MAX : (size_t)half;
}

void casus_budget_init(struct casus_budget *b, const struct casus_alloc *inner, size_t limit)
{
    memset(b, 0, sizeof *b);
    b->inner = *inner;
    b->limit = limit ? limit : casus_budget_default();
}

struct casus_alloc casus_budget_alloc(struct casus_budget *b)
{
    struct casus_alloc a = {budget_fn, b};
    return a;
}

bool casus_budget_fits(const struct casus_budget *b, double bytes)
{
    return b->used + bytes <= (double)b->limit;
}

const char *casus_budget_fmt(double bytes, char *buf, size_t n)
{
    static const char *unit[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    size_t u = 0;
    double x = bytes;
    while (x >= 1000 && u + 1 < CASUS_ARRAY_LEN(unit)) { /* 1000 MiB reads 0.977 GiB */
        x /= 1024;
        u++;
    }
    if (u == 0)
        snprintf(buf, n, "%.0f bytes", x);
    else if (x >= 1000) /* beyond exbibytes */
        snprintf(buf, n, "%.3g bytes", bytes);
    else
        snprintf(buf, n, "%.3g %s", x, unit[u]);
    return buf;
}
