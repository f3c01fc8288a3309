/*
 * bench_game.c — the Monte Carlo hot path: fixed-λ agent logit on a
 * perfect-information tree of 10^7 nodes (two players, binary choices,
 * chance every fourth level, payoffs on leaves and small costs on inner
 * nodes), plus backward induction on the same tree.  Prints nodes per
 * second and bytes per node against the targets (50 M nodes/s/core,
 * 48 bytes/node) and against a naive baseline in the same process: a
 * pointer-per-node tree solved recursively with a generic softmax.
 *
 *   make benches && build/release/bench/bench_game [nodes]
 */
#include "game/eq_logit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Deterministic payoffs: a 64-bit LCG. */
static double rnd(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*s >> 11) * (1.0 / 9007199254740992.0);
}

static uint32_t depth_of(uint32_t v)
{
    uint32_t d = 0;
    for (uint64_t x = (uint64_t)v + 1; x > 1; x >>= 1)
        d++;
    return d;
}

/* ---- the naive baseline: one malloc per node, recursion, generic softmax */
struct nnode {
    int who, nchild;
    struct nnode **kid;
    double pay[2], prob, val[2];
};

static void naive_solve(struct nnode *x, double lambda)
{
    x->val[0] = x->pay[0];
    x->val[1] = x->pay[1];
    if (!x->nchild)
        return;
    for (int c = 0; c < x->nchild; c++)
        naive_solve(x->kid[c], lambda);
    if (x->who) {
        double s = 0;
        for (int c = 0; c < x->nchild; c++)
            s += exp(lambda * x->kid[c]->val[x->who - 1]);
        for (int c = 0; c < x->nchild; c++)
            x->kid[c]->prob = exp(lambda * x->kid[c]->val[x->who - 1]) / s;
    }
    for (int c = 0; c < x->nchild; c++) {
        x->val[0] += x->kid[c]->prob * x->kid[c]->val[0];
        x->val[1] += x->kid[c]->prob * x->kid[c]->val[1];
    }
}

static void naive_free(struct nnode *x)
{
    for (int c = 0; c < x->nchild; c++)
        naive_free(x->kid[c]);
    free(x->kid);
    free(x);
}

int main(int argc, char **argv)
{
    uint32_t n = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 10000000u;
    if (n < 3)
        n = 3;
    /* heap layout: the children of v are 2v+1 and 2v+2, which is BFS order */
    struct casus_pitree t;
    t.n = n;
    t.np = 2;
    t.cs = malloc(sizeof *t.cs * ((size_t)n + 1));
    t.who = malloc(n);
    t.pay = malloc(sizeof *t.pay * 2 * (size_t)n);
    double *prob = malloc(sizeof *prob * n), *val = malloc(sizeof *val * 2 * (size_t)n);
    if (!t.cs || !t.who || !t.pay || !prob || !val) {
        fprintf(stderr, "bench_game: out of memory\n");
        return 1;
    }
    uint64_t seed = 42;
    for (uint32_t v = 0; v < n; v++) {
        uint64_t c = 2 * (uint64_t)v + 1;
        t.cs[v] = (uint32_t)(c < n ? c : n);
        uint32_t d = depth_of(v);
        bool leaf = c >= n;
        t.who[v] = d % 4 == 3 ? 0 : (uint8_t)(1 + d % 2);
        t.pay[2 * (size_t)v] = leaf ? rnd(&seed) : -0.01 * rnd(&seed);
        t.pay[2 * (size_t)v + 1] = leaf ? rnd(&seed) : -0.01 * rnd(&seed);
        prob[v] = 0.5;
    }
    t.cs[n] = n;
    /* chance edges: 0.3 / 0.7 */
    for (uint32_t v = 0; v < n; v++)
        if (t.who[v] == 0 && t.cs[v] + 1 < t.cs[v + 1]) {
            prob[t.cs[v]] = 0.3;
            prob[t.cs[v] + 1] = 0.7;
        } else if (t.who[v] == 0 && t.cs[v] < t.cs[v + 1]) {
            prob[t.cs[v]] = 1.0;
        }
    size_t bytes = sizeof *t.cs * ((size_t)n + 1) + n + sizeof *t.pay * 2 * (size_t)n +
                   sizeof *prob * n + sizeof *val * 2 * (size_t)n;
    double bpn = (double)bytes / n;

    const int reps = 5;
    double best = 1e30, root = 0;
    for (int r = 0; r < reps; r++) {
        double t0 = now();
        casus_logit_pi_solve(&t, 1.0, prob, val);
        double dt = now() - t0;
        if (dt < best)
            best = dt;
        root = val[0];
    }
    double lrate = n / best;
    double bbest = 1e30;
    for (int r = 0; r < reps; r++) {
        double t0 = now();
        casus_bi_pi_solve(&t, prob, val);
        double dt = now() - t0;
        if (dt < bbest)
            bbest = dt;
    }
    double brate = n / bbest;

    /* naive baseline on the same tree (it needs ~100 bytes a node) */
    uint32_t nb = n;
    struct nnode **nodes = malloc(sizeof *nodes * nb);
    for (uint32_t v = 0; v < nb; v++) {
        nodes[v] = calloc(1, sizeof **nodes);
        nodes[v]->who = t.who[v];
        nodes[v]->pay[0] = t.pay[2 * (size_t)v];
        nodes[v]->pay[1] = t.pay[2 * (size_t)v + 1];
        nodes[v]->prob = prob[v];
    }
    for (uint32_t v = 0; v < nb; v++) {
        uint32_t c0 = t.cs[v] < nb ? t.cs[v] : nb;
        uint32_t c1 = t.cs[v + 1] < nb ? t.cs[v + 1] : nb;
        nodes[v]->nchild = (int)(c1 - c0);
        nodes[v]->kid = malloc(sizeof(struct nnode *) * (c1 - c0 + 1));
        for (uint32_t c = c0; c < c1; c++)
            nodes[v]->kid[c - c0] = nodes[c];
        if (t.who[v] == 0 && c1 - c0 == 2) {
            nodes[c0]->prob = 0.3;
            nodes[c0 + 1]->prob = 0.7;
        }
    }
    double nbest = 1e30;
    for (int r = 0; r < 3; r++) {
        double t0 = now();
        naive_solve(nodes[0], 1.0);
        double dt = now() - t0;
        if (dt < nbest)
            nbest = dt;
    }
    double nrate = nb / nbest;
    naive_free(nodes[0]);
    free(nodes);

    printf("bench_game: perfect-information tree, %u nodes, 2 players, binary, chance every 4th "
           "level\n",
           n);
    printf("  logit (lambda=1)      %8.1f ms  %7.1f M nodes/s  target 50 M: x%.2f  "
           "root value %.6f\n",
           best * 1e3, lrate / 1e6, lrate / 50e6, root);
    printf("  backward induction    %8.1f ms  %7.1f M nodes/s\n", bbest * 1e3, brate / 1e6);
    printf("  naive baseline logit  %8.1f ms  %7.1f M nodes/s  (%u nodes, pointer tree)  "
           "fast path x%.1f\n",
           nbest * 1e3, nrate / 1e6, nb, lrate / nrate);
    printf("  memory                %8.1f bytes/node  target 48: %s\n", bpn,
           bpn <= 48 ? "met" : "MISSED");
    free(t.cs);
    free(t.who);
    free(t.pay);
    free(prob);
    free(val);
    return 0;
}
