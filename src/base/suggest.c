/*
 * suggest.c — the nearest known name to a misspelt one (see suggest.h for
 * the rule and its cut-off).
 */
#include "base/suggest.h"

int casus_edit_distance(const char *a, size_t alen, const char *b, size_t blen, int cap)
{
    if (alen > 63 || blen > 63)
        return cap;
    int row[64];
    for (size_t j = 0; j <= blen; j++)
        row[j] = (int)j;
    for (size_t i = 1; i <= alen; i++) {
        int diag = row[0], best;
        row[0] = (int)i;
        best = row[0];
        for (size_t j = 1; j <= blen; j++) {
            int up = row[j];
            int ca = a[i - 1], cb = b[j - 1];
            if (ca >= 'A' && ca <= 'Z')
                ca += 32;
            if (cb >= 'A' && cb <= 'Z')
                cb += 32;
            int v = diag + (ca != cb);
            if (up + 1 < v)
                v = up + 1;
            if (row[j - 1] + 1 < v)
                v = row[j - 1] + 1;
            row[j] = v;
            diag = up;
            if (v < best)
                best = v;
        }
        if (best >= cap)
            return cap;
    }
    return row[blen] < cap ? row[blen] : cap;
}

void casus_suggest_begin(struct casus_suggest *s, const char *name, size_t len)
{
    s->name = name;
    s->len = len;
    s->bound = len <= 2 ? 2 : 3; /* the cut-off: at most 1 or 2 edits */
    s->best = NULL;
}

void casus_suggest_offer(struct casus_suggest *s, const char *key, const char *report)
{
    if (!key || !s->name)
        return;
    int d = casus_edit_distance(s->name, s->len, key, strlen(key), s->bound);
    if (d < s->bound) {
        s->bound = d;
        s->best = report;
    }
}

const char *casus_suggest(const char *name, const char *const *cands, size_t n, size_t stride)
{
    struct casus_suggest s;
    casus_suggest_begin(&s, name, name ? strlen(name) : 0);
    for (size_t i = 0; i < n; i++) {
        const char *c = *(const char *const *)((const char *)cands + i * stride);
        casus_suggest_offer(&s, c, c);
    }
    return casus_suggest_best(&s);
}
