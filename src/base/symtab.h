/*
 * symtab.h — an open-addressing hash map from names to small integers, used
 * for actor codes, source ids, treaty ids and sovereignty units.
 *
 * Ownership: keys are borrowed (they must outlive the table; in practice
 * they live in the engine arena); slots are allocated from the given arena,
 * so the table is freed with it.  Lookup is O(1) expected; FNV-1a hashing.
 */
#ifndef CASUS_SYMTAB_H
#define CASUS_SYMTAB_H

#include "base/arena.h"

struct casus_symtab_slot {
    const char *key; /* NULL: empty */
    uint32_t keylen;
    int32_t value;
};

struct casus_symtab {
    struct casus_symtab_slot *slots;
    uint32_t cap; /* power of two, or 0 */
    uint32_t n;
};

CASUS_INTERNAL uint64_t casus_hash(const char *s, size_t len);

/* Value for key, or -1. */
CASUS_INTERNAL int32_t casus_symtab_get(const struct casus_symtab *t, const char *key, size_t len);

/* Insert or replace; CASUS_ENOMEM when the table cannot grow. */
CASUS_INTERNAL casus_status casus_symtab_put(struct casus_symtab *t, struct casus_arena *a,
                                             const char *key, size_t len, int32_t value);

#endif
