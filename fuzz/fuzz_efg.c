/*
 * fuzz_efg.c — libFuzzer target for the .efg reader and the solvers behind
 * it: any input must either load or fail with a diagnostic, never crash or
 * leak; a loaded game must round-trip (write -> read gives an equal game
 * and the same text); the pure solvers run on every loaded game under a
 * work limit scaled to its size and a memory budget (they refuse what does
 * not fit, before allocating it), the one-pass logit on perfect-information
 * games, and a short logit trace (bifurcation checks included) with the
 * sequential regret of its end point on games with perfect recall.  The
 * public entry (casus_game_open: format sniffing) sees the same bytes.
 * Build: bash fuzz/build.sh; seeds: fuzz/corpus/efg (fuzz/gen_game_corpus.py)
 * and ../shared/data/gambit-games; dictionary: fuzz/efg.dict.
 */
#include "base/buf.h"
#include "casus/solve.h"
#include "base/budget.h"
#include "game/efg.h"
#include "game/eq_common.h"
#include "game/eq_logit.h"
#include "game/eq_pure.h"
#include "game/eq_qre.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct casus_alloc heap = {casus_default_alloc, NULL};

/* Every pure mode, within about 4e5 node visits and 64 MiB. */
static void pure_all(const struct casus_gtree *g, struct casus_gtree_limits lim)
{
    struct casus_budget b;
    casus_budget_init(&b, &heap, (size_t)64 << 20);
    struct casus_alloc a = casus_budget_alloc(&b);
    lim.max_profiles = 400000 / (g->nnodes + 1) + 16;
    lim.max_memory = b.limit;
    for (int m = 0; m < 3; m++) {
        struct casus_pure_set s;
        casus_pure_set_init(&s, &a, g->niset, g->nplayers);
        casus_eq_pure(g, &a, &lim, (enum casus_pure_mode)m, NULL, &s);
        casus_pure_set_release(&s);
    }
    if (b.used != 0)
        abort(); /* everything given back */
}

/* A short logit trace (at most 40 steps, small games) and the sequential
 * regret of where it ends, with the branch's beliefs. */
static void logit_trace(const struct casus_gtree *g)
{
    struct casus_qre_ws q;
    if (!g->perfect_recall || casus_qre_ws_init(&q, &heap, g, 200) != CASUS_OK)
        return;
    struct casus_qre_opts o = CASUS_QRE_OPTS_INIT;
    o.max_steps = 40;
    static const uint32_t branch[] = {1, 2};
    o.branch = branch;
    o.nbranch = 2;
    struct casus_qre_result r;
    double *p = malloc(sizeof *p * ((size_t)g->nact + 1));
    struct casus_eq_ws ws;
    if (p && casus_qre_trace(&q, &o, NULL, p, &r) == CASUS_OK &&
        casus_eq_ws_init(&ws, &heap, g) == CASUS_OK) {
        /* a best continuation is never worse than the current one */
        if (casus_eq_seq_regret(&ws, p, q.mu, NULL) < -1e-9 * (g->pay_max - g->pay_min + 1))
            abort();
        casus_eq_ws_release(&ws);
    }
    free(p);
    casus_qre_ws_release(&q);
}

static void round_trip(const struct casus_gtree *g, const struct casus_gtree_limits *lim,
                       struct casus_diags *d)
{
    casus_buf w1 = CASUS_BUF_INIT, w2 = CASUS_BUF_INIT;
    struct casus_gtree *g2 = NULL;
    if (casus_efg_write(g, &w1) == CASUS_OK) {
        if (casus_efg_read(&heap, d, "w.efg", w1.data, w1.len, lim, &g2) != CASUS_OK)
            abort();
        if (!casus_gtree_equal(g, g2))
            abort();
        if (casus_efg_write(g2, &w2) != CASUS_OK || w1.len != w2.len ||
            memcmp(w1.data, w2.data, w1.len) != 0)
            abort();
    }
    casus_gtree_free(g2);
    casus_buf_release(&w1);
    casus_buf_release(&w2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct casus_gtree_limits lim = CASUS_GTREE_LIMITS_INIT;
    lim.max_nodes = 100000;
    struct casus_diags d;
    struct casus_gtree *g = NULL;
    casus_diags_init(&d, &heap);
    casus_status st = casus_efg_read(&heap, &d, "fuzz.efg", (const char *)data, size, &lim, &g);
    casus_buf r = CASUS_BUF_INIT;
    casus_diags_render(&d, &r);
    casus_buf_release(&r);
    if (st == CASUS_OK) {
        round_trip(g, &lim, &d);
        casus_buf dot = CASUS_BUF_INIT;
        if (g->nnodes < 2000)
            casus_efg_write_dot(g, &dot);
        casus_buf_release(&dot);
        pure_all(g, lim);
        struct casus_pitree_game pg;
        if (casus_pitree_from_game(&pg, &heap, g, NULL) == CASUS_OK) {
            double *w = malloc(sizeof *w * ((size_t)pg.t.n * pg.t.np + 1));
            if (w)
                casus_logit_pi_solve(&pg.t, 1.5, pg.prob, w);
            free(w);
            casus_pitree_game_release(&pg);
        } else if (g->nnodes < 5000) {
            logit_trace(g);
        }
    }
    casus_gtree_free(g);
    casus_diags_release(&d);
    /* the public entry: sniffing, "not a game file" messages */
    casus_engine *e = NULL;
    casus_game *h = NULL;
    casus_game_limits pl = CASUS_GAME_LIMITS_DEFAULT;
    pl.max_nodes = 100000;
    if (casus_engine_new(&e, NULL, NULL) == CASUS_OK &&
        casus_game_open(e, "fuzz.efg", (const char *)data, size, &pl, &h) == CASUS_OK) {
        casus_game_info info;
        casus_game_get_info(h, &info);
    }
    casus_game_close(h);
    casus_engine_free(e);
    return 0;
}
