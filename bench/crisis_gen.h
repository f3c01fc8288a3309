/*
 * crisis_gen.h — the synthetic crisis family of
 * ../shared/reference/gambit/synthetic/README.md (repeated crisis
 * bargaining over T stages, Challenger of private resolve, Defender
 * pooling both types), shared by the benches.  gen_crisis(T) writes
 * crisis_T<T>.efg into a casus_buf; for T = 1..4 it reproduces the files
 * in ../shared byte for byte (bench_lcp checks that), and T = 5, 6 extend
 * the family with the same construction (4,095 and 16,383 nodes).
 * Bench-only code: plain calloc/free, static functions.
 */
#ifndef CASUS_BENCH_CRISIS_GEN_H
#define CASUS_BENCH_CRISIS_GEN_H

#include "casus/casus.h"

#include <stdlib.h>

struct gen {
    casus_buf *out;
    int T;
    int nch, ndef;      /* infosets numbered so far */
    int *def_id;        /* per public history (base-4 code + stage offset) */
    int out_used[2][4]; /* outcome number per (type, move pair), 0 = unused */
    int nout;
};

/* Stage payoffs (Challenger, Defender) of move pair k = 2 * c + d, c: 0 = E,
 * 1 = B; d: 0 = R, 1 = Y. */
static void stage_pay(int type, int k, int *u1, int *u2)
{
    static const int pay[4][2] = {{-1, -2}, {2, -1}, {-1, 1}, {0, 0}};
    *u1 = k == 0 && type == 1 ? -3 : pay[k][0];
    *u2 = pay[k][1];
}

/* " 3" or " 3 \"o3\" { -1, -2 }" at first use; " 0" for none. */
static void put_outcome(struct gen *g, int type, int k)
{
    if (k < 0) {
        casus_buf_printf(g->out, " 0\n");
        return;
    }
    int *id = &g->out_used[type][k];
    if (*id) {
        casus_buf_printf(g->out, " %d\n", *id);
        return;
    }
    *id = ++g->nout;
    int u1, u2;
    stage_pay(type, k, &u1, &u2);
    casus_buf_printf(g->out, " %d \"o%d\" { %d, %d }\n", *id, *id, u1, u2);
}

/* The subtree of a Challenger of the given type at stage t (1-based) after
 * public history hist (base-4 code of t - 1 move pairs), carrying the
 * outcome of the previous stage (k = -1 at the start). */
static void gen_stage(struct gen *g, int type, int t, long hist, int prevk)
{
    casus_buf_printf(g->out, "p \"\" 1 %d \"\" { \"E%d\" \"B%d\" }", ++g->nch, t, t);
    put_outcome(g, type, prevk);
    long slot = 0;
    for (int s = 1; s < t; s++)
        slot += 1L << (2 * (s - 1));
    slot += hist;
    for (int c = 0; c < 2; c++) {
        int *id = &g->def_id[slot];
        if (*id) {
            casus_buf_printf(g->out, "p \"\" 2 %d 0\n", *id);
        } else {
            *id = ++g->ndef;
            casus_buf_printf(g->out, "p \"\" 2 %d \"\" { \"R%d\" \"Y%d\" } 0\n", *id, t, t);
        }
        for (int d = 0; d < 2; d++) {
            int k = 2 * c + d;
            if (t < g->T) {
                gen_stage(g, type, t + 1, hist * 4 + k, k);
            } else {
                casus_buf_printf(g->out, "t \"\"");
                put_outcome(g, type, k);
            }
        }
    }
}

static void gen_crisis(int T, casus_buf *out)
{
    struct gen g = {out, T, 0, 0, NULL, {{0}}, 0};
    g.def_id = calloc((size_t)1 << (2 * T), sizeof *g.def_id);
    casus_buf_printf(out,
                     "EFG 2 R \"Repeated crisis bargaining, T=%d, private resolve\" { "
                     "\"Challenger\" \"Defender\" }\n\"synthetic\"\n\n",
                     T);
    casus_buf_printf(out, "c \"\" 1 \"type\" { \"Resolved\" 1/3 \"Irresolute\" 2/3 } 0\n");
    gen_stage(&g, 0, 1, 0, -1);
    gen_stage(&g, 1, 1, 0, -1);
    free(g.def_id);
}

#endif
