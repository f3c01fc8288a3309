/*
 * test_game_eq.c — equilibrium solvers: closed forms on the project's own
 * games (matching pennies, entry deterrence with analytic logit
 * probabilities, λ = 0 uniform play, a chance game with inner outcomes),
 * regret ≤ 1e-9 for every reported equilibrium (and in every subgame for
 * subgame-perfect ones), bit-identical re-solves, and — when ../shared is
 * present — conformance with Gambit's own outputs in
 * reference/gambit/INDEX.tsv for every tool these solvers cover.
 */
#include "harness.h"

#include "base/buf.h"
#include "game/efg.h"
#include "game/eq_logit.h"
#include "game/eq_pure.h"
#include "game/eq_spe.h"
#include "game/nfg.h"

static const struct casus_alloc heap = {casus_default_alloc, NULL};

static struct casus_gtree *load_efg(const char *path)
{
    size_t n;
    char *text = harness_slurp(path, &n);
    struct casus_gtree *g = NULL;
    if (!text)
        return NULL;
    struct casus_diags d;
    casus_diags_init(&d, &heap);
    if (casus_efg_read(&heap, &d, path, text, n, NULL, &g) != CASUS_OK)
        g = NULL;
    casus_diags_release(&d);
    free(text);
    return g;
}

static struct casus_nfg *load_nfg(const char *path)
{
    size_t n;
    char *text = harness_slurp(path, &n);
    struct casus_nfg *g = NULL;
    if (!text)
        return NULL;
    struct casus_diags d;
    casus_diags_init(&d, &heap);
    if (casus_nfg_read(&heap, &d, path, text, n, NULL, &g) != CASUS_OK)
        g = NULL;
    casus_diags_release(&d);
    free(text);
    return g;
}

/* Solve for pure equilibria and check every one's regret. */
static int solve_pure(const struct casus_gtree *g, enum casus_pure_mode mode,
                      struct casus_pure_set *out)
{
    casus_pure_set_init(out, &heap, g->niset, g->nplayers);
    casus_status st = casus_eq_pure(g, &heap, NULL, mode, NULL, out);
    CHECK_INT(st, CASUS_OK);
    struct casus_eq_ws ws;
    if (casus_eq_ws_init(&ws, &heap, g) != CASUS_OK)
        return -1;
    double *prob = malloc(sizeof *prob * (g->nact + 1));
    for (uint32_t k = 0; k < out->n; k++) {
        struct casus_eq_sub sub;
        double nash, agent;
        casus_pure_to_behav(g, out->choice + (size_t)k * g->niset, prob);
        casus_eq_sub_build(&ws, 0, &sub);
        casus_eq_regret(&ws, &sub, prob, &nash, &agent);
        if (mode == CASUS_PURE_AGENT) {
            CHECK(agent <= 1e-9);
        } else {
            CHECK(nash <= 1e-9);
        }
        if (mode == CASUS_PURE_SPE)
            CHECK(casus_eq_subgame_regret(&ws, prob) <= 1e-9);
    }
    free(prob);
    casus_eq_ws_release(&ws);
    return (int)out->n;
}

static void test_pennies(void)
{
    struct casus_gtree *g = load_efg("tests/games/pennies.efg");
    CHECK(g != NULL);
    if (!g)
        return;
    struct casus_pure_set s;
    CHECK_INT(solve_pure(g, CASUS_PURE_REDUCED, &s), 0);
    casus_pure_set_release(&s);
    CHECK_INT(solve_pure(g, CASUS_PURE_AGENT, &s), 0);
    casus_pure_set_release(&s);
    CHECK_INT(solve_pure(g, CASUS_PURE_SPE, &s), 0);
    casus_pure_set_release(&s);
    /* the mixed equilibrium (1/2, 1/2) has zero regret; (1, 0) does not */
    struct casus_eq_ws ws;
    CHECK_INT(casus_eq_ws_init(&ws, &heap, g), CASUS_OK);
    double prob[4];
    struct casus_eq_sub sub;
    double nash, agent;
    casus_gtree_uniform_profile(g, prob);
    casus_eq_sub_build(&ws, 0, &sub);
    casus_eq_regret(&ws, &sub, prob, &nash, &agent);
    CHECK_NEAR(nash, 0, 1e-15);
    prob[0] = 1;
    prob[1] = 0;
    casus_eq_regret(&ws, &sub, prob, &nash, &agent);
    CHECK_NEAR(nash, 1.0, 1e-15); /* mismatcher gains 1 by playing t */
    casus_eq_ws_release(&ws);
    casus_gtree_free(g);
    /* strategic form: no pure equilibrium either */
    struct casus_nfg *n = load_nfg("tests/games/pennies.nfg");
    CHECK(n != NULL);
    if (n) {
        casus_pure_set_init(&s, &heap, n->nplayers, n->nplayers);
        CHECK_INT(casus_eq_nfg_pure(n, NULL, &s), CASUS_OK);
        CHECK_INT(s.n, 0);
        casus_pure_set_release(&s);
    }
    casus_nfg_free(n);
    n = load_nfg("tests/games/coord_outcomes.nfg");
    CHECK(n != NULL);
    if (n) {
        casus_pure_set_init(&s, &heap, n->nplayers, n->nplayers);
        CHECK_INT(casus_eq_nfg_pure(n, NULL, &s), CASUS_OK);
        CHECK_INT(s.n, 2);
        if (s.n == 2) {
            CHECK(s.choice[0] == 0 && s.choice[1] == 0 && s.value[0] == 2);
            CHECK(s.choice[2] == 1 && s.choice[3] == 1 && s.value[3] == 2);
        }
        casus_pure_set_release(&s);
    }
    casus_nfg_free(n);
}

static void test_entry(void)
{
    struct casus_gtree *g = load_efg("tests/games/entry.efg");
    CHECK(g != NULL);
    if (!g)
        return;
    /* backward induction: In, Accommodate */
    double val[5 * 2], prob[4];
    int32_t choice[2];
    CHECK_INT(casus_eq_backward(g, NULL, val, choice, prob), CASUS_OK);
    CHECK_INT(choice[0], 1);
    CHECK_INT(choice[1], 1);
    CHECK_NEAR(val[0], 1, 0);
    CHECK_NEAR(val[1], 1, 0);
    struct casus_pure_set s;
    CHECK_INT(solve_pure(g, CASUS_PURE_SPE, &s), 1);
    if (s.n == 1)
        CHECK(s.choice[0] == 1 && s.choice[1] == 1);
    casus_pure_set_release(&s);
    /* Nash: also (Out, Fight), the incredible threat */
    CHECK_INT(solve_pure(g, CASUS_PURE_REDUCED, &s), 2);
    casus_pure_set_release(&s);
    CHECK_INT(solve_pure(g, CASUS_PURE_AGENT, &s), 2);
    casus_pure_set_release(&s);
    /* logit: p(Acc) = 1 / (1 + e^{-2λ}); p(In) = 1 / (1 + e^{-λ (2 p(Acc) - 1)}) */
    struct casus_pitree_game pg;
    CHECK_INT(casus_pitree_from_game(&pg, &heap, g, NULL), CASUS_OK);
    double *w = malloc(sizeof *w * pg.t.n * 2);
    static const double lambdas[] = {0.0, 0.3, 1.5, 7.0, 60.0};
    for (size_t k = 0; k < CASUS_ARRAY_LEN(lambdas); k++) {
        double lam = lambdas[k], beh[4];
        CHECK_INT(casus_logit_pi_solve(&pg.t, lam, pg.prob, w), CASUS_OK);
        casus_pitree_to_behav(&pg, g, beh);
        double acc = 1 / (1 + exp(-2 * lam));
        double in = 1 / (1 + exp(-lam * (2 * acc - 1)));
        CHECK_NEAR(beh[3], acc, 1e-15);
        CHECK_NEAR(beh[1], in, 1e-15);
        CHECK_NEAR(beh[0] + beh[1], 1, 1e-15);
        if (lam == 0)
            CHECK(beh[0] == 0.5 && beh[1] == 0.5 && beh[2] == 0.5 && beh[3] == 0.5);
        /* root value: Out pays (0, 2), In pays the incumbent's mix */
        CHECK_NEAR(w[0], in * (2 * acc - 1), 1e-14);
    }
    CHECK_INT(casus_logit_pi_solve(&pg.t, -1, pg.prob, w), CASUS_EINVAL);
    CHECK_INT(casus_logit_pi_solve(&pg.t, NAN, pg.prob, w), CASUS_EINVAL);
    free(w);
    casus_pitree_game_release(&pg);
    casus_gtree_free(g);
}

/* A chance game with inner outcomes: logit at large λ approaches backward
 * induction; re-solving is bit-identical; a hand-built 3-player tree with
 * 3-way choices runs the general loop. */
static void test_chance_and_general(void)
{
    struct casus_gtree *g = load_efg("tests/games/crisis_chance.efg");
    CHECK(g != NULL);
    if (!g)
        return;
    double val[11 * 2], bi[16];
    int32_t choice[5];
    CHECK_INT(casus_eq_backward(g, NULL, val, choice, bi), CASUS_OK);
    struct casus_pure_set s;
    CHECK(solve_pure(g, CASUS_PURE_SPE, &s) >= 1);
    casus_pure_set_release(&s);
    struct casus_pitree_game pg;
    CHECK_INT(casus_pitree_from_game(&pg, &heap, g, NULL), CASUS_OK);
    double w1[22], w2[22], p1[11], beh[16];
    CHECK_INT(casus_logit_pi_solve(&pg.t, 200, pg.prob, w1), CASUS_OK);
    memcpy(p1, pg.prob, sizeof p1);
    casus_pitree_to_behav(&pg, g, beh);
    for (uint32_t a = 0; a < g->nact; a++)
        CHECK_NEAR(beh[a], bi[a], 1e-12);
    CHECK_NEAR(w1[0], val[0], 1e-9);
    CHECK_INT(casus_logit_pi_solve(&pg.t, 200, pg.prob, w2), CASUS_OK);
    CHECK(memcmp(w1, w2, sizeof w1) == 0 && memcmp(p1, pg.prob, sizeof p1) == 0);
    casus_pitree_game_release(&pg);
    casus_gtree_free(g);

    /* root (player 1, 3 actions) -> leaves and a player-3 node */
    uint32_t cs[] = {1, 4, 4, 4, 7, 7, 7, 7};
    uint8_t who[] = {1, 0, 0, 3, 0, 0, 0};
    double pay[7 * 3] = {0, 0, 0, 1, 0, 0, 2, 0, 0, 0, 0, 0, 3, 0, 1, 0, 0, 2, 5, 0, 0};
    struct casus_pitree t = {7, 3, cs, who, pay};
    double prob[7] = {1}, v[21];
    CHECK_INT(casus_logit_pi_solve(&t, 0, prob, v), CASUS_OK);
    CHECK_NEAR(prob[4], 1.0 / 3, 1e-15);
    CHECK_NEAR(v[3 * 3 + 0], (3 + 0 + 5) / 3.0, 1e-15);
    CHECK_INT(casus_logit_pi_solve(&t, 2, prob, v), CASUS_OK);
    double z = exp(2.0 * 1) + exp(2.0 * 2) + exp(0.0);
    CHECK_NEAR(prob[4], exp(2.0 * 1) / z, 1e-15);
    CHECK_NEAR(prob[1] + prob[2] + prob[3], 1, 1e-15);
}

/* ------------------------------------------------------------------ */
/* Conformance with Gambit                                            */

struct prof {
    int n;
    double *v;
};

static int cmp_prof(const void *a, const void *b)
{
    const struct prof *x = a, *y = b;
    for (int i = 0; i < x->n && i < y->n; i++)
        if (fabs(x->v[i] - y->v[i]) > 1e-9)
            return x->v[i] < y->v[i] ? -1 : 1;
    return x->n - y->n;
}

/* Parse "a,b/c,d" into v; returns the count. */
static int parse_vals(const char *s, double *v, int max)
{
    int n = 0;
    while (*s && *s != '\n' && n < max) {
        char *end;
        double a = strtod(s, &end);
        if (end == s)
            break;
        if (*end == '/') {
            double b = strtod(end + 1, &end);
            a /= b;
        }
        v[n++] = a;
        s = end;
        if (*s == ',')
            s++;
    }
    return n;
}

/* Unique sorted profiles; returns the count. */
static int uniq(struct prof *p, int n)
{
    if (n <= 0)
        return 0;
    qsort(p, (size_t)n, sizeof *p, cmp_prof);
    int k = 0;
    for (int i = 0; i < n; i++)
        if (k == 0 || cmp_prof(&p[k - 1], &p[i]) != 0)
            p[k++] = p[i];
        else
            free(p[i].v);
    return k;
}

/* Compare our profiles with the full-length NE lines of a Gambit output. */
static bool same_set(const char *outpath, struct prof *mine, int nmine, int width)
{
    FILE *f = fopen(outpath, "r");
    if (!f)
        return false;
    static char line[1 << 16];
    struct prof *ref = NULL;
    int nref = 0, cap = 0;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "NE,", 3) != 0)
            continue;
        double *v = malloc(sizeof *v * ((size_t)width + 1));
        int n = parse_vals(line + 3, v, width + 1);
        if (n != width) {
            free(v);
            continue;
        }
        if (nref == cap) {
            cap = cap ? cap * 2 : 16;
            ref = realloc(ref, sizeof *ref * (size_t)cap);
        }
        ref[nref].n = width;
        ref[nref++].v = v;
    }
    fclose(f);
    nref = uniq(ref, nref);
    nmine = uniq(mine, nmine);
    bool ok = nref == nmine;
    for (int i = 0; ok && i < nref; i++)
        ok = cmp_prof(&ref[i], &mine[i]) == 0;
    if (!ok)
        printf("  %s: gambit %d profiles, casus %d\n", outpath, nref, nmine);
    for (int i = 0; i < nref; i++)
        free(ref[i].v);
    for (int i = 0; i < nmine; i++)
        free(mine[i].v);
    free(ref);
    return ok;
}

static bool conform_pure_efg(const struct casus_gtree *g, enum casus_pure_mode mode,
                             const char *outpath)
{
    struct casus_pure_set s;
    int n = solve_pure(g, mode, &s);
    int width = (int)(g->nact - g->pact0);
    struct prof *mine = calloc((size_t)(n > 0 ? n : 1), sizeof *mine);
    double *prob = malloc(sizeof *prob * (g->nact + 1));
    for (int k = 0; k < n; k++) {
        casus_pure_to_behav(g, s.choice + (size_t)k * g->niset, prob);
        mine[k].n = width;
        mine[k].v = malloc(sizeof(double) * ((size_t)width + 1));
        memcpy(mine[k].v, prob + g->pact0, sizeof(double) * (size_t)width);
    }
    free(prob);
    casus_pure_set_release(&s);
    bool ok = same_set(outpath, mine, n > 0 ? n : 0, width);
    free(mine);
    return ok;
}

static bool conform_pure_nfg(const struct casus_nfg *g, const char *outpath)
{
    struct casus_pure_set s;
    casus_pure_set_init(&s, &heap, g->nplayers, g->nplayers);
    if (casus_eq_nfg_pure(g, NULL, &s) != CASUS_OK)
        return false;
    int width = (int)g->strat0[g->nplayers];
    struct prof *mine = calloc(s.n + 1, sizeof *mine);
    for (uint32_t k = 0; k < s.n; k++) {
        mine[k].n = width;
        mine[k].v = calloc((size_t)width + 1, sizeof(double));
        for (uint32_t p = 0; p < g->nplayers; p++)
            mine[k].v[g->strat0[p] + (uint32_t)s.choice[k * g->nplayers + p]] = 1;
    }
    bool ok = same_set(outpath, mine, (int)s.n, width);
    casus_pure_set_release(&s);
    free(mine);
    return ok;
}

/* Logit on a perfect-information game: every point of Gambit's path (or
 * its end point, with λ from the path file's last line) must match our
 * one-pass solution at that λ.  Gambit prints λ to 6 decimals and
 * probabilities to 6 significant digits, so a point matches when it lies
 * within 1e-6 of our profile somewhere in [λ - 5e-7, λ + 5e-7]. */
static bool conform_logit_pi(const struct casus_gtree *g, const char *outpath, const char *pathfile,
                             int *npoints)
{
    struct casus_pitree_game pg;
    if (casus_pitree_from_game(&pg, &heap, g, NULL) != CASUS_OK)
        return false;
    int width = (int)(g->nact - g->pact0);
    double *w = malloc(sizeof *w * pg.t.n * g->nplayers);
    double *lo = malloc(sizeof *lo * g->nact), *hi = malloc(sizeof *hi * g->nact);
    double *beh = malloc(sizeof *beh * g->nact), *ref = malloc(sizeof *ref * (width + 2));
    static char line[1 << 16];
    bool ok = true;
    double last_lambda = -1;
    FILE *pf = fopen(pathfile, "r");
    if (pf) {
        while (fgets(line, sizeof line, pf))
            if (strncmp(line, "NE,", 3) != 0)
                last_lambda = strtod(line, NULL);
        fclose(pf);
    }
    FILE *f = fopen(outpath, "r");
    *npoints = 0;
    while (f && ok && fgets(line, sizeof line, f)) {
        bool end = strncmp(line, "NE,", 3) == 0;
        int n = parse_vals(end ? line + 3 : line, ref, width + 2);
        double lam;
        const double *pr;
        if (end) {
            if (n != width || last_lambda < 0)
                continue;
            lam = last_lambda;
            pr = ref;
        } else {
            if (n != width + 1)
                continue;
            lam = ref[0];
            pr = ref + 1;
        }
        for (int k = 0; k < 3; k++) {
            double l = lam + (k - 1) * 5e-7;
            casus_logit_pi_solve(&pg.t, l < 0 ? 0 : l, pg.prob, w);
            casus_pitree_to_behav(&pg, g, beh);
            for (uint32_t a = 0; a < g->nact; a++) {
                lo[a] = k == 0 || beh[a] < lo[a] ? beh[a] : lo[a];
                hi[a] = k == 0 || beh[a] > hi[a] ? beh[a] : hi[a];
            }
        }
        for (int i = 0; i < width && ok; i++) {
            uint32_t a = g->pact0 + (uint32_t)i;
            ok = pr[i] >= lo[a] - 1e-6 && pr[i] <= hi[a] + 1e-6;
            if (!ok)
                printf("  %s: λ=%g action %d gambit %.9g casus [%.9g, %.9g]\n", outpath, lam, i,
                       pr[i], lo[a], hi[a]);
        }
        (*npoints)++;
    }
    if (f)
        fclose(f);
    free(w);
    free(lo);
    free(hi);
    free(beh);
    free(ref);
    casus_pitree_game_release(&pg);
    return ok && *npoints > 0;
}

static struct casus_gtree *efg_text(const char *text)
{
    struct casus_gtree *g = NULL;
    struct casus_diags d;
    casus_diags_init(&d, &heap);
    CHECK_INT(casus_efg_read(&heap, &d, "t.efg", text, strlen(text), NULL, &g), CASUS_OK);
    casus_diags_release(&d);
    return g;
}

/* Sequential regret by hand.  (a) Player 1 takes b (1) or a, then x (0) or
 * y (10): with b and x the second node is never reached, so no single
 * switch gains (agent regret 0; Nash regret 9, a-then-y), but its best
 * continuation gains 10, and at the root a-then-y gains 9 over b.  (b) Player 2's two-node
 * information set after L / R with beliefs (1/2, 1/2): l is worth 1/2, r 1, so playing l loses 1/2;
 * with beliefs (0.9, 0.1) l is worth 0.9, r 0.2, so r loses 0.7. */
static void test_seq_regret_closed_forms(void)
{
    struct casus_gtree *g =
        efg_text("EFG 2 R \"two moves\" { \"1\" }\n"
                 "p \"\" 1 1 \"\" { \"a\" \"b\" } 0\n"
                 "p \"\" 1 2 \"\" { \"x\" \"y\" } 0\n"
                 "t \"\" 1 \"\" { 0 }\nt \"\" 2 \"\" { 10 }\nt \"\" 3 \"\" { 1 }\n");
    struct casus_eq_ws ws;
    if (!g || casus_eq_ws_init(&ws, &heap, g) != CASUS_OK)
        return;
    double prob[4] = {0, 1, 1, 0}; /* b; x */
    uint32_t where;
    struct casus_eq_sub sub;
    double nash, agent;
    casus_eq_sub_build(&ws, 0, &sub);
    casus_eq_regret(&ws, &sub, prob, &nash, &agent);
    CHECK_NEAR(nash, 9, 1e-12); /* a-then-y as a whole strategy */
    CHECK_NEAR(agent, 0, 0);    /* no single unreached switch pays */
    CHECK_NEAR(casus_eq_seq_regret(&ws, prob, NULL, &where), 10, 1e-12);
    CHECK_INT(where, g->node[1].iset);
    double py[4] = {0, 1, 0, 1}; /* b; y */
    CHECK_NEAR(casus_eq_seq_regret(&ws, py, NULL, &where), 9, 1e-12);
    CHECK_INT(where, g->node[0].iset);
    double ay[4] = {1, 0, 0, 1}; /* a; y: sequentially rational */
    CHECK_NEAR(casus_eq_seq_regret(&ws, ay, NULL, &where), 0, 0);
    CHECK_INT(where, CASUS_NONE);
    casus_eq_ws_release(&ws);
    casus_gtree_free(g);

    g = efg_text("EFG 2 R \"off path\" { \"1\" \"2\" }\n"
                 "p \"\" 1 1 \"\" { \"Out\" \"L\" \"R\" } 0\n"
                 "t \"\" 1 \"\" { 3, 0 }\n"
                 "p \"\" 2 1 \"\" { \"l\" \"r\" } 0\n"
                 "t \"\" 2 \"\" { 1, 1 }\nt \"\" 3 \"\" { 0, 0 }\n"
                 "p \"\" 2 1 \"\" { \"l\" \"r\" } 0\n"
                 "t \"\" 4 \"\" { 0, 0 }\nt \"\" 5 \"\" { 2, 2 }\n");
    if (!g || casus_eq_ws_init(&ws, &heap, g) != CASUS_OK)
        return;
    double *mu = calloc(g->nnodes, sizeof *mu);
    const struct casus_game_iset *is = &g->iset[g->pl_iset0[2]];
    uint32_t h1 = g->member[is->mem0], h2 = g->member[is->mem0 + 1];
    double out_l[5] = {1, 0, 0, 1, 0}, out_r[5] = {1, 0, 0, 0, 1};
    mu[0] = 1;
    mu[h1] = mu[h2] = 0.5;
    casus_eq_sub_build(&ws, 0, &sub);
    casus_eq_regret(&ws, &sub, out_l, &nash, NULL);
    CHECK_NEAR(nash, 0, 0); /* player 2's set is off the path */
    CHECK_NEAR(casus_eq_seq_regret(&ws, out_l, mu, &where), 0.5, 1e-12);
    CHECK_NEAR(casus_eq_seq_regret(&ws, out_r, mu, &where), 0, 0);
    mu[h1] = 0.9;
    mu[h2] = 0.1;
    CHECK_NEAR(casus_eq_seq_regret(&ws, out_r, mu, &where), 0.7, 1e-12);
    CHECK_INT(where, g->pl_iset0[2]);
    free(mu);
    casus_eq_ws_release(&ws);
    casus_gtree_free(g);
}

static void test_gambit_conformance(void)
{
    const char *shared = harness_shared_dir();
    if (!shared)
        SKIP("../shared not present");
    char path[1024];
    snprintf(path, sizeof path, "%s/reference/gambit/INDEX.tsv", shared);
    FILE *f = fopen(path, "r");
    CHECK(f != NULL);
    if (!f)
        return;
    static const char *const tools[] = {"enumpure", "enumpure-A", "enumpure-P", "logit", "logit-e"};
    int checked[5] = {0}, passed[5] = {0}, points = 0;
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        char *col[16] = {0};
        int nc = 0;
        for (char *p = line; nc < 16;) {
            col[nc++] = p;
            char *t = strchr(p, '\t');
            if (!t)
                break;
            *t = '\0';
            p = t + 1;
        }
        if (nc < 9 || strcmp(col[2], "public") != 0 || strcmp(col[7], "ok") != 0)
            continue;
        int ti = -1;
        for (int k = 0; k < 5; k++)
            if (strcmp(col[3], tools[k]) == 0)
                ti = k;
        if (ti < 0)
            continue;
        const char *rel = strrchr(col[5], ' ');
        if (!rel)
            continue;
        char gpath[1024], opath[1024], ppath[1024];
        snprintf(gpath, sizeof gpath, "%s/data/gambit-games/%s", shared, rel + 1);
        snprintf(opath, sizeof opath, "%s/reference/gambit/%s", shared, col[0]);
        snprintf(ppath, sizeof ppath, "%s/reference/gambit/%s.logit.out", shared, col[1]);
        size_t gl = strlen(gpath);
        bool ok = false;
        if (gl > 4 && strcmp(gpath + gl - 4, ".nfg") == 0) {
            if (ti != 0)
                continue; /* strategic logit: not covered yet */
            struct casus_nfg *n = load_nfg(gpath);
            CHECK(n != NULL);
            ok = n && conform_pure_nfg(n, opath);
            casus_nfg_free(n);
        } else {
            struct casus_gtree *g = load_efg(gpath);
            CHECK(g != NULL);
            if (!g)
                continue;
            if (ti <= 2) {
                ok = conform_pure_efg(g,
                                      ti == 0   ? CASUS_PURE_REDUCED
                                      : ti == 1 ? CASUS_PURE_AGENT
                                                : CASUS_PURE_SPE,
                                      opath);
            } else if (g->perfect_info) {
                int np = 0;
                ok = conform_logit_pi(g, opath, ppath, &np);
                points += np;
            } else {
                casus_gtree_free(g);
                continue; /* logit with information sets needs the tracer */
            }
            casus_gtree_free(g);
        }
        checked[ti]++;
        passed[ti] += ok;
        CHECK(ok);
    }
    fclose(f);
    for (int k = 0; k < 5; k++)
        printf("  gambit %-10s: %d of %d reference outputs matched\n", tools[k], passed[k],
               checked[k]);
    printf("  logit points compared: %d\n", points);
}

int main(void)
{
    RUN(test_pennies);
    RUN(test_entry);
    RUN(test_chance_and_general);
    RUN(test_seq_regret_closed_forms);
    RUN(test_gambit_conformance);
    return harness_done("game_eq");
}
