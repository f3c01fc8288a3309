/*
 * fuzz_gazetteer.c — libFuzzer target for the gazetteer CSV loader: bytes
 * are registered as a source and loaded (without geography); malformed rows
 * must become diagnostics, never crashes or leaks.  Loaded gazetteers are
 * queried by a name taken from the input and by a suggestion.
 *
 *   clang -fsanitize=fuzzer,address,undefined -Iinclude -Isrc \
 *       fuzz/fuzz_gazetteer.c src/geo/gazetteer.c src/base/symtab.c src/base/arena.c src/base/mem.c
 * \ src/base/diag.c src/base/buf.c <casus_edit_distance> -lm -o fuzz_gazetteer
 */
#include "geo/gazetteer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct casus_alloc a = {casus_default_alloc, NULL};
    struct casus_diags d;
    casus_diags_init(&d, &a);
    uint32_t src;
    if (casus_diags_add_source(&d, "fuzz.csv", (const char *)data, size, &src) == CASUS_OK) {
        struct casus_gazetteer *gz = NULL;
        if (casus_gazetteer_load(&gz, &a, &d, src, NULL) == CASUS_OK && gz) {
            size_t n = size < 24 ? size : 24;
            casus_gazetteer_find(gz, (const char *)data, n);
            casus_gazetteer_suggest(gz, (const char *)data, n);
            for (size_t i = 0; i < casus_gazetteer_count(gz); i++) {
                const struct casus_place *p = casus_gazetteer_at(gz, i);
                casus_gazetteer_find(gz, p->name, strlen(p->name));
            }
            casus_gazetteer_free(gz);
        }
    }
    casus_diags_release(&d);
    return 0;
}
