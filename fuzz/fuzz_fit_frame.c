/*
 * fuzz_fit_frame.c — libFuzzer target for the CSV data frame of casus fit
 * (src/fit/frame.c): read the header, load every column as numbers and
 * again as text, make a factor of each text column, and render the
 * diagnostics; anything may fail, nothing may crash or leak.
 */
#include "fit/frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void load(const uint8_t *data, size_t size, bool as_text)
{
    static const struct casus_alloc heap = {casus_default_alloc, NULL};
    struct casus_diags d;
    struct casus_arena a;
    struct fit_frame f;
    uint32_t src;
    casus_diags_init(&d, &heap);
    casus_arena_init(&a, &heap);
    if (casus_diags_add_source(&d, "fuzz.csv", (const char *)data, size, &src) == CASUS_OK &&
        fit_frame_open(&f, &a, &d, src) == CASUS_OK) {
        bool *need = casus_arena_alloc(&a, f.ncols + 1), *text = casus_arena_alloc(&a, f.ncols + 1);
        if (need && text) {
            memset(need, 1, f.ncols);
            memset(text, as_text, f.ncols);
            if (fit_frame_load(&f, &a, need, text) == CASUS_OK)
                for (uint32_t c = 0; c < f.ncols; c++)
                    fit_frame_factor(&f, &a, c, NULL, NULL, 0);
        }
    }
    casus_buf r = CASUS_BUF_INIT;
    casus_diags_render(&d, &r);
    casus_buf_release(&r);
    casus_arena_release(&a);
    casus_diags_release(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1u << 20))
        return 0;
    load(data, size, false);
    load(data, size, true);
    return 0;
}
