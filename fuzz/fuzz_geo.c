/*
 * fuzz_geo.c — libFuzzer target for the geography blob reader: arbitrary
 * bytes go to casus_geo_open(), which must return CASUS_EINVAL (or
 * CASUS_OK for a consistent blob) without crashing, leaking or reading out
 * of bounds; a blob that opens is then queried at a few points, first by
 * direct scans, then through the grid index (built explicitly), and the
 * two answers are compared.  Seeds: tools/mkgeoseeds.py.
 *
 *   clang -fsanitize=fuzzer,address,undefined -Iinclude -Isrc fuzz/fuzz_geo.c \
 *       src/geo/geo.c src/geo/geo_grid.c src/base/mem.c fuzz/geo_embed_stub.c -lm -o fuzz_geo
 *   ./fuzz_geo fuzz/corpus/geo
 */
#include "geo/geo.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct casus_alloc a = {casus_default_alloc, NULL};
    static const double pts[][2] = {{0, 0},      {50.45, 30.52}, {-89.9, 179.9}, {90, 180},
                                    {-90, -180}, {0.5, 0.5},     {10, 10},       {45, -45}};
    struct casus_geo *g = NULL;
    if (casus_geo_open(&g, &a, data, size) != CASUS_OK)
        return 0;
    enum { NP = sizeof pts / sizeof pts[0] };
    struct casus_geo_hit direct[NP];
    for (size_t i = 0; i < NP; i++)
        casus_geo_locate_direct(g, pts[i][0], pts[i][1], (int32_t)i * 4000, &direct[i]);
    if (casus_geo_index(g) == CASUS_OK)
        for (size_t i = 0; i < NP; i++) {
            struct casus_geo_hit h;
            casus_geo_locate(g, pts[i][0], pts[i][1], (int32_t)i * 4000, &h);
            /* The grid and the scan find the same nearest edge (points on
             * an edge may fall either side, so only distances compare). */
            if (h.boundary_km != direct[i].boundary_km)
                abort();
        }
    casus_geo_free(g);
    return 0;
}
