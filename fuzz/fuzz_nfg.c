/*
 * fuzz_nfg.c — libFuzzer target for the .nfg reader: load or fail cleanly,
 * round-trip every loaded game, enumerate pure equilibria (at most 10^5
 * cells), and open the same bytes through the public entry
 * (casus_game_open: format sniffing, the table's tree form).
 * Build: bash fuzz/build.sh; seeds: fuzz/corpus/nfg (fuzz/gen_game_corpus.py)
 * and ../shared/data/gambit-games; dictionary: fuzz/nfg.dict.
 */
#include "base/buf.h"
#include "casus/solve.h"
#include "game/eq_pure.h"
#include "game/nfg.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct casus_alloc heap = {casus_default_alloc, NULL};
    struct casus_gtree_limits lim = CASUS_GTREE_LIMITS_INIT;
    lim.max_nodes = 100000;
    lim.max_profiles = 100000;
    struct casus_diags d;
    struct casus_nfg *g = NULL;
    casus_diags_init(&d, &heap);
    casus_status st = casus_nfg_read(&heap, &d, "fuzz.nfg", (const char *)data, size, &lim, &g);
    casus_buf r = CASUS_BUF_INIT;
    casus_diags_render(&d, &r);
    casus_buf_release(&r);
    if (st == CASUS_OK) {
        casus_buf w1 = CASUS_BUF_INIT, w2 = CASUS_BUF_INIT;
        struct casus_nfg *g2 = NULL;
        if (casus_nfg_write(g, &w1) == CASUS_OK) {
            if (casus_nfg_read(&heap, &d, "w.nfg", w1.data, w1.len, &lim, &g2) != CASUS_OK)
                abort();
            if (!casus_nfg_equal(g, g2))
                abort();
            if (casus_nfg_write(g2, &w2) != CASUS_OK || w1.len != w2.len ||
                memcmp(w1.data, w2.data, w1.len) != 0)
                abort();
        }
        struct casus_pure_set s;
        casus_pure_set_init(&s, &heap, g->nplayers, g->nplayers);
        casus_eq_nfg_pure(g, &lim, &s);
        casus_pure_set_release(&s);
        casus_nfg_free(g2);
        casus_buf_release(&w1);
        casus_buf_release(&w2);
    }
    casus_nfg_free(g);
    casus_diags_release(&d);
    casus_engine *e = NULL;
    casus_game *h = NULL;
    casus_game_limits pl = CASUS_GAME_LIMITS_DEFAULT;
    pl.max_nodes = 100000;
    if (casus_engine_new(&e, NULL, NULL) == CASUS_OK &&
        casus_game_open(e, "fuzz.nfg", (const char *)data, size, &pl, &h) == CASUS_OK) {
        casus_game_info info;
        casus_game_get_info(h, &info);
    }
    casus_game_close(h);
    casus_engine_free(e);
    return 0;
}
