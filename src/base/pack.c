/*
 * pack.c — reading the pack of files compiled into libcasus (see pack.h).
 */
#include "base/pack.h"

#include <stdlib.h>

extern const unsigned char casus_embed_pack[], casus_embed_pack_end[];

void casus_pack_bounds(const char **begin, const char **end)
{
    *begin = (const char *)casus_embed_pack;
    *end = (const char *)casus_embed_pack_end;
}

int casus_pack_next(const char **p, const char *end, struct casus_pack_file *f)
{
    if (*p >= end)
        return -1;
    if (**p == '\n')
        return 0;
    const char *nl = memchr(*p, '\n', (size_t)(end - *p));
    if (!nl)
        return -1;
    char *after;
    unsigned long size = strtoul(nl + 1, &after, 10);
    if (after >= end || *after != '\n' || size > (size_t)(end - after - 1))
        return -1;
    f->name = *p;
    f->nlen = (size_t)(nl - *p);
    f->body = after + 1;
    f->size = size;
    *p = f->body + size;
    return 1;
}

bool casus_pack_find(const char *path, struct casus_pack_file *f)
{
    const char *p, *end;
    casus_pack_bounds(&p, &end);
    while (casus_pack_next(&p, end, f) > 0)
        if (casus_streq_n(f->name, f->nlen, path))
            return true;
    return false;
}
