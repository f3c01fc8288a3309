/*
 * symtab.c — open-addressing name → index map (see symtab.h).
 */
#include "base/symtab.h"

uint64_t casus_hash(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h;
}

int32_t casus_symtab_get(const struct casus_symtab *t, const char *key, size_t len)
{
    if (!t->cap)
        return -1;
    uint32_t mask = t->cap - 1;
    for (uint32_t i = (uint32_t)casus_hash(key, len) & mask;; i = (i + 1) & mask) {
        const struct casus_symtab_slot *s = &t->slots[i];
        if (!s->key)
            return -1;
        if (s->keylen == len && memcmp(s->key, key, len) == 0)
            return s->value;
    }
}

static void raw_put(struct casus_symtab_slot *slots, uint32_t cap, const char *key, uint32_t len,
                    int32_t value)
{
    uint32_t mask = cap - 1;
    for (uint32_t i = (uint32_t)casus_hash(key, len) & mask;; i = (i + 1) & mask) {
        struct casus_symtab_slot *s = &slots[i];
        if (!s->key || (s->keylen == len && memcmp(s->key, key, len) == 0)) {
            s->key = key;
            s->keylen = len;
            s->value = value;
            return;
        }
    }
}

casus_status casus_symtab_put(struct casus_symtab *t, struct casus_arena *a, const char *key,
                              size_t len, int32_t value)
{
    if (len > UINT32_MAX)
        return CASUS_ELIMIT;
    if ((t->n + 1) * 2 > t->cap) {
        uint32_t cap = t->cap ? t->cap * 2 : 64;
        struct casus_symtab_slot *slots = casus_arena_alloc(a, (size_t)cap * sizeof *slots);
        if (!slots)
            return CASUS_ENOMEM;
        for (uint32_t i = 0; i < t->cap; i++)
            if (t->slots[i].key)
                raw_put(slots, cap, t->slots[i].key, t->slots[i].keylen, t->slots[i].value);
        t->slots = slots;
        t->cap = cap;
    }
    if (casus_symtab_get(t, key, len) < 0)
        t->n++;
    CASUS_ASSERT(t->n * 2 <= t->cap); /* open addressing needs a free slot to stop at */
    raw_put(t->slots, t->cap, key, (uint32_t)len, value);
    return CASUS_OK;
}
