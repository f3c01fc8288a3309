/*
 * fuzz_efg.c — libFuzzer target for the .efg reader: any input must either
 * load or fail with a diagnostic, never crash or leak; a loaded game must
 * round-trip (write -> read gives an equal game and the same text), and
 * the solvers that accept it must not crash (run on small games only).
 * Build: clang -fsanitize=fuzzer,address,undefined (see fuzz/README).
 */
#include "base/buf.h"
#include "game/efg.h"
#include "game/eq_common.h"
#include "game/eq_logit.h"
#include "game/eq_pure.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct casus_alloc heap = {casus_default_alloc, NULL};
    struct casus_game_limits lim = CASUS_GAME_LIMITS_INIT;
    lim.max_nodes = 100000;
    lim.max_profiles = 20000;
    struct casus_diags d;
    struct casus_game *g = NULL;
    casus_diags_init(&d, &heap);
    casus_status st = casus_efg_read(&heap, &d, "fuzz.efg", (const char *)data, size, &lim, &g);
    casus_buf r = CASUS_BUF_INIT;
    casus_diags_render(&d, &r);
    casus_buf_release(&r);
    if (st == CASUS_OK) {
        casus_buf w1 = CASUS_BUF_INIT, w2 = CASUS_BUF_INIT;
        struct casus_game *g2 = NULL;
        if (casus_efg_write(g, &w1) == CASUS_OK) {
            if (casus_efg_read(&heap, &d, "w.efg", w1.data, w1.len, &lim, &g2) != CASUS_OK)
                abort();
            if (!casus_game_equal(g, g2))
                abort();
            if (casus_efg_write(g2, &w2) != CASUS_OK || w1.len != w2.len ||
                memcmp(w1.data, w2.data, w1.len) != 0)
                abort();
        }
        casus_buf dot = CASUS_BUF_INIT;
        if (g->nnodes < 2000)
            casus_efg_write_dot(g, &dot);
        casus_buf_release(&dot);
        if (g->nnodes < 300) {
            for (int m = 0; m < 3; m++) {
                struct casus_pure_set s;
                casus_pure_set_init(&s, &heap, g->niset, g->nplayers);
                casus_eq_pure(g, &heap, &lim, (enum casus_pure_mode)m, NULL, &s);
                casus_pure_set_release(&s);
            }
        }
        struct casus_pitree_game pg;
        if (casus_pitree_from_game(&pg, &heap, g, NULL) == CASUS_OK) {
            double *w = malloc(sizeof *w * ((size_t)pg.t.n * pg.t.np + 1));
            if (w)
                casus_logit_pi_solve(&pg.t, 1.5, pg.prob, w);
            free(w);
            casus_pitree_game_release(&pg);
        }
        casus_game_free(g2);
        casus_buf_release(&w1);
        casus_buf_release(&w2);
    }
    casus_game_free(g);
    casus_diags_release(&d);
    return 0;
}
