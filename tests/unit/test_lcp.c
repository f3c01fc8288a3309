/*
 * test_lcp.c — Lemke on the sequence form and Lemke–Howson from every label
 * (src/game/eq_lcp.c): closed forms on the project's own games (matching pennies
 * ½–½ in both forms, the three equilibria of a coordination game, a
 * degenerate table, an all-zero tree), subgame perfection with spe,
 * refusals and limits, determinism, out-of-memory at every allocation —
 * the .efg cases by both pivoting methods (dense dictionary and sparse
 * revised, forced with dense_dim = 0) — and
 * — when ../shared is present — every game of reference/gambit/INDEX.tsv
 * with a verified Gambit lcp run (the equilibrium must be exactly verified
 * Nash, subgame perfect for lcp -P rows, and on .nfg games the same set of
 * equilibria as Gambit's all-labels run), the synthetic crisis family (T5
 * generated with bench/crisis_gen.h), and
 * every two-player game of data/gambit-games (no crash, a verified profile
 * or a clean error).
 */
#include "harness.h"

#include "game/efg.h"
#include "game/eq_common.h"
#include "game/eq_lcp.h"
#include "game/nfg.h"

#include "../../bench/crisis_gen.h"

static const struct casus_alloc heap = {casus_default_alloc, NULL};

static struct casus_gtree *efg_text(const struct casus_alloc *a, const char *name, const char *text,
                                    size_t n)
{
    struct casus_gtree *g = NULL;
    struct casus_diags d;
    casus_diags_init(&d, a);
    if (casus_efg_read(a, &d, name, text, n, NULL, &g) != CASUS_OK)
        g = NULL;
    casus_diags_release(&d);
    return g;
}

static struct casus_nfg *nfg_text(const struct casus_alloc *a, const char *name, const char *text,
                                  size_t n)
{
    struct casus_nfg *g = NULL;
    struct casus_diags d;
    casus_diags_init(&d, a);
    if (casus_nfg_read(a, &d, name, text, n, NULL, &g) != CASUS_OK)
        g = NULL;
    casus_diags_release(&d);
    return g;
}

static struct casus_gtree *load_efg(const char *path)
{
    size_t n;
    char *text = harness_slurp(path, &n);
    struct casus_gtree *g = text ? efg_text(&heap, path, text, n) : NULL;
    free(text);
    return g;
}

static struct casus_nfg *load_nfg(const char *path)
{
    size_t n;
    char *text = harness_slurp(path, &n);
    struct casus_nfg *g = text ? nfg_text(&heap, path, text, n) : NULL;
    free(text);
    return g;
}

/* Independent float checks of an efg result: Nash regret <= 1e-9, and in
 * every subgame with spe. */
static void check_efg_profile(const struct casus_gtree *g, const struct casus_lcp_result *r,
                              bool spe)
{
    CHECK_INT(r->n, 1);
    if (r->n != 1)
        return;
    struct casus_eq_ws ws;
    CHECK_INT(casus_eq_ws_init(&ws, &heap, g), CASUS_OK);
    double *prob = malloc(sizeof *prob * (g->nact + 1));
    casus_gtree_uniform_profile(g, prob);
    for (uint32_t a = g->pact0; a < g->nact; a++)
        prob[a] = r->prob[a - g->pact0];
    struct casus_eq_sub sub;
    double nash;
    casus_eq_sub_build(&ws, 0, &sub);
    casus_eq_regret(&ws, &sub, prob, &nash, NULL);
    CHECK(nash <= 1e-9);
    if (spe)
        CHECK(casus_eq_subgame_regret(&ws, prob) <= 1e-9);
    free(prob);
    casus_eq_ws_release(&ws);
}

/* The two pivoting methods for .efg: the default (dense dictionary up to
 * dimension 200, then sparse revised) and sparse revised everywhere. */
static const uint32_t dense_dims[] = {200u, 0u};

static casus_status run_efg_path(const struct casus_gtree *g, bool spe, uint32_t dense_dim,
                                 struct casus_lcp_result *r)
{
    struct casus_lcp_opts o = CASUS_LCP_OPTS_INIT;
    struct casus_lcp_ws ws;
    o.spe = spe;
    o.dense_dim = dense_dim;
    casus_lcp_ws_init(&ws, &heap);
    casus_lcp_result_init(r, &heap);
    casus_status st = casus_eq_lcp(g, &o, &ws, NULL, r);
    casus_lcp_ws_release(&ws);
    return st;
}

static casus_status run_efg(const struct casus_gtree *g, bool spe, struct casus_lcp_result *r)
{
    return run_efg_path(g, spe, dense_dims[0], r);
}

static casus_status run_nfg(const struct casus_nfg *g, struct casus_lcp_result *r)
{
    struct casus_lcp_ws ws;
    casus_lcp_ws_init(&ws, &heap);
    casus_lcp_result_init(r, &heap);
    casus_status st = casus_eq_lcp_nfg(g, NULL, &ws, NULL, r);
    casus_lcp_ws_release(&ws);
    return st;
}

/* "NE,a,b,..." of profile k, into buf. */
static void ne_line(const struct casus_lcp_result *r, uint32_t k, char *buf, size_t cap)
{
    size_t used = (size_t)snprintf(buf, cap, "NE");
    for (uint32_t j = 0; j < r->len && used < cap; j++)
        used += (size_t)snprintf(buf + used, cap - used, ",%s", r->exact[(size_t)k * r->len + j]);
}

static void test_pennies(void)
{
    struct casus_gtree *g = load_efg("tests/games/pennies.efg");
    CHECK(g != NULL);
    if (!g)
        return;
    struct casus_lcp_result r;
    char line[256];
    for (size_t m = 0; m < CASUS_ARRAY_LEN(dense_dims); m++) {
        CHECK_INT(run_efg_path(g, false, dense_dims[m], &r), CASUS_OK);
        ne_line(&r, 0, line, sizeof line);
        CHECK_STREQ(line, "NE,1/2,1/2,1/2,1/2");
        CHECK_STREQ(r.exact_payoff[0], "0");
        CHECK_STREQ(r.exact_payoff[1], "0");
        CHECK_INT(r.outcome, CASUS_LCP_SOLVED);
        check_efg_profile(g, &r, false);
        casus_lcp_result_release(&r);
        CHECK_INT(run_efg_path(g, true, dense_dims[m], &r), CASUS_OK);
        ne_line(&r, 0, line, sizeof line);
        CHECK_STREQ(line, "NE,1/2,1/2,1/2,1/2");
        casus_lcp_result_release(&r);
    }
    casus_gtree_free(g);

    struct casus_nfg *t = load_nfg("tests/games/pennies.nfg");
    CHECK(t != NULL);
    if (!t)
        return;
    CHECK_INT(run_nfg(t, &r), CASUS_OK);
    CHECK_INT(r.n, 1);
    ne_line(&r, 0, line, sizeof line);
    CHECK_STREQ(line, "NE,1/2,1/2,1/2,1/2");
    casus_lcp_result_release(&r);
    casus_nfg_free(t);
}

static bool has_line(const struct casus_lcp_result *r, const char *want)
{
    char line[512];
    for (uint32_t k = 0; k < r->n; k++) {
        ne_line(r, k, line, sizeof line);
        if (strcmp(line, want) == 0)
            return true;
    }
    return false;
}

static void test_coordination(void)
{
    struct casus_nfg *t = load_nfg("tests/games/coord_outcomes.nfg");
    CHECK(t != NULL);
    if (!t)
        return;
    struct casus_lcp_result r;
    CHECK_INT(run_nfg(t, &r), CASUS_OK);
    CHECK_INT(r.n, 3);
    CHECK(has_line(&r, "NE,1,0,1,0"));
    CHECK(has_line(&r, "NE,0,1,0,1"));
    CHECK(has_line(&r, "NE,2/3,1/3,1/3,2/3"));
    casus_lcp_result_release(&r);
    casus_nfg_free(t);
}

/* Degenerate tables: a pure strategy with two best responses (von
 * Stengel's 3x2 example), and an all-zero game where everything is an
 * equilibrium.  Every endpoint must still be exactly verified. */
static void test_degenerate(void)
{
    static const char deg[] = "NFG 1 R \"degenerate 3x2\" { \"1\" \"2\" } { 3 2 }\n"
                              "3 3 2 2 0 3 3 2 5 6 6 1\n";
    struct casus_nfg *t = nfg_text(&heap, "deg.nfg", deg, sizeof deg - 1);
    CHECK(t != NULL);
    if (!t)
        return;
    struct casus_lcp_result r;
    CHECK_INT(run_nfg(t, &r), CASUS_OK);
    CHECK(r.n >= 1);
    CHECK(has_line(&r, "NE,1,0,0,1,0"));
    for (uint32_t k = 0; k < r.n; k++) {
        double s1 = r.prob[k * 5] + r.prob[k * 5 + 1] + r.prob[k * 5 + 2];
        CHECK_NEAR(s1, 1.0, 1e-12);
    }
    casus_lcp_result_release(&r);
    casus_nfg_free(t);

    static const char zero[] = "EFG 2 R \"all zero\" { \"A\" \"B\" }\n\"\"\n"
                               "p \"\" 1 1 \"\" { \"a\" \"b\" } 0\n"
                               "p \"\" 2 1 \"\" { \"c\" \"d\" } 0\n"
                               "t \"\" 1 \"z\" { 0 0 }\nt \"\" 1\n"
                               "p \"\" 2 1 0\nt \"\" 1\nt \"\" 1\n";
    struct casus_gtree *g = efg_text(&heap, "zero.efg", zero, sizeof zero - 1);
    CHECK(g != NULL);
    if (!g)
        return;
    for (size_t m = 0; m < CASUS_ARRAY_LEN(dense_dims); m++) {
        CHECK_INT(run_efg_path(g, false, dense_dims[m], &r), CASUS_OK);
        check_efg_profile(g, &r, false);
        casus_lcp_result_release(&r);
        CHECK_INT(run_efg_path(g, true, dense_dims[m], &r), CASUS_OK);
        check_efg_profile(g, &r, true);
        casus_lcp_result_release(&r);
    }
    casus_gtree_free(g);
}

/* Entry deterrence: Nash equilibria include the incredible threat; the
 * subgame-perfect solve must give the one without it. */
static void test_spe(void)
{
    static const char *games[] = {"tests/games/entry.efg", "tests/games/crisis_chance.efg"};
    for (size_t i = 0; i < CASUS_ARRAY_LEN(games); i++) {
        struct casus_gtree *g = load_efg(games[i]);
        CHECK(g != NULL);
        if (!g)
            continue;
        struct casus_lcp_result r;
        for (size_t m = 0; m < CASUS_ARRAY_LEN(dense_dims); m++) {
            CHECK_INT(run_efg_path(g, false, dense_dims[m], &r), CASUS_OK);
            check_efg_profile(g, &r, false);
            casus_lcp_result_release(&r);
            CHECK_INT(run_efg_path(g, true, dense_dims[m], &r), CASUS_OK);
            check_efg_profile(g, &r, true);
            casus_lcp_result_release(&r);
        }
        casus_gtree_free(g);
    }
}

static void test_refusals(void)
{
    static const char three[] = "EFG 2 R \"three\" { \"A\" \"B\" \"C\" }\n\"\"\n"
                                "p \"\" 1 1 \"\" { \"a\" \"b\" } 0\n"
                                "t \"\" 1 \"x\" { 1 2 3 }\nt \"\" 2 \"y\" { 0 0 0 }\n";
    struct casus_gtree *g = efg_text(&heap, "three.efg", three, sizeof three - 1);
    CHECK(g != NULL);
    struct casus_lcp_result r;
    struct casus_lcp_ws ws;
    struct casus_diags d;
    casus_diags_init(&d, &heap);
    casus_lcp_ws_init(&ws, &heap);
    if (g) {
        casus_lcp_result_init(&r, &heap);
        CHECK_INT(casus_eq_lcp(g, NULL, &ws, &d, &r), CASUS_EINVAL);
        CHECK_INT(r.outcome, CASUS_LCP_REFUSED);
        CHECK(d.n == 1 && strcmp(d.items[0].code, "lcp-players") == 0);
        casus_lcp_result_release(&r);
        casus_gtree_free(g);
    }
    /* player 1 forgets her first move */
    static const char forget[] = "EFG 2 R \"forget\" { \"A\" \"B\" }\n\"\"\n"
                                 "p \"\" 1 1 \"\" { \"a\" \"b\" } 0\n"
                                 "p \"\" 1 2 \"\" { \"c\" \"d\" } 0\n"
                                 "t \"\" 1 \"x\" { 1 0 }\nt \"\" 2 \"y\" { 0 1 }\n"
                                 "p \"\" 1 2 0\nt \"\" 2\nt \"\" 1\n";
    g = efg_text(&heap, "forget.efg", forget, sizeof forget - 1);
    CHECK(g != NULL);
    if (g) {
        casus_lcp_result_init(&r, &heap);
        CHECK_INT(casus_eq_lcp(g, NULL, &ws, &d, &r), CASUS_EINVAL);
        CHECK_INT(r.outcome, CASUS_LCP_REFUSED);
        casus_lcp_result_release(&r);
        casus_gtree_free(g);
    }
    /* limits: dimension and pivots */
    g = load_efg("tests/games/crisis_chance.efg");
    CHECK(g != NULL);
    if (g) {
        struct casus_lcp_opts o = CASUS_LCP_OPTS_INIT;
        o.max_dim = 5;
        casus_lcp_result_init(&r, &heap);
        CHECK_INT(casus_eq_lcp(g, &o, &ws, &d, &r), CASUS_ELIMIT);
        CHECK_INT(r.outcome, CASUS_LCP_TOO_LARGE);
        CHECK_INT(r.n, 0);
        casus_lcp_result_release(&r);
        o = (struct casus_lcp_opts)CASUS_LCP_OPTS_INIT;
        o.max_pivots = 2;
        casus_lcp_result_init(&r, &heap);
        CHECK_INT(casus_eq_lcp(g, &o, &ws, &d, &r), CASUS_ELIMIT);
        CHECK_INT(r.outcome, CASUS_LCP_PIVOT_LIMIT);
        CHECK(r.pivots > 0);
        casus_lcp_result_release(&r);
        casus_gtree_free(g);
    }
    struct casus_nfg *t = load_nfg("tests/games/coord_outcomes.nfg");
    CHECK(t != NULL);
    if (t) {
        struct casus_lcp_opts o = CASUS_LCP_OPTS_INIT;
        o.max_profiles = 2;
        casus_lcp_result_init(&r, &heap);
        CHECK_INT(casus_eq_lcp_nfg(t, &o, &ws, &d, &r), CASUS_ELIMIT);
        CHECK_INT(r.outcome, CASUS_LCP_PROFILE_LIMIT);
        CHECK_INT(r.n, 2);
        casus_lcp_result_release(&r);
        o = (struct casus_lcp_opts)CASUS_LCP_OPTS_INIT;
        o.max_dense_dim = 3; /* the 2x2 table's dictionary has dimension 4 */
        casus_lcp_result_init(&r, &heap);
        CHECK_INT(casus_eq_lcp_nfg(t, &o, &ws, &d, &r), CASUS_ELIMIT);
        CHECK_INT(r.outcome, CASUS_LCP_TOO_LARGE);
        casus_lcp_result_release(&r);
        casus_nfg_free(t);
    }
    casus_lcp_ws_release(&ws);
    casus_diags_release(&d);
}

/* Same game, same answer, bit for bit, with a reused workspace. */
static void test_determinism(void)
{
    struct casus_gtree *g = load_efg("tests/games/crisis_chance.efg");
    CHECK(g != NULL);
    if (!g)
        return;
    struct casus_lcp_ws ws;
    casus_lcp_ws_init(&ws, &heap);
    for (size_t m = 0; m < CASUS_ARRAY_LEN(dense_dims); m++) {
        struct casus_lcp_opts o = CASUS_LCP_OPTS_INIT;
        o.dense_dim = dense_dims[m];
        struct casus_lcp_result a, b;
        casus_lcp_result_init(&a, &heap);
        casus_lcp_result_init(&b, &heap);
        CHECK_INT(casus_eq_lcp(g, &o, &ws, NULL, &a), CASUS_OK);
        CHECK_INT(casus_eq_lcp(g, &o, &ws, NULL, &b), CASUS_OK);
        CHECK(a.n == 1 && b.n == 1);
        if (a.n == 1 && b.n == 1) {
            CHECK(memcmp(a.prob, b.prob, sizeof *a.prob * a.len) == 0);
            for (uint32_t j = 0; j < a.len; j++)
                CHECK_STREQ(a.exact[j], b.exact[j]);
        }
        CHECK(a.pivots == b.pivots);
        casus_lcp_result_release(&a);
        casus_lcp_result_release(&b);
    }
    casus_lcp_ws_release(&ws);
    casus_gtree_free(g);
}

struct failing {
    int countdown;
};

static void *failing_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    struct failing *f = ud;
    if (nsize != 0 && f->countdown-- == 0)
        return NULL;
    return casus_default_alloc(NULL, ptr, osize, nsize);
}

/* Fail the k-th allocation of a solve for k = 0, 1, ... until it
 * succeeds: every failure must be a clean CASUS_ENOMEM (ASan checks leaks). */
static void test_oom(void)
{
    struct casus_gtree *g = load_efg("tests/games/crisis_chance.efg");
    struct casus_nfg *t = load_nfg("tests/games/coord_outcomes.nfg");
    CHECK(g != NULL && t != NULL);
    for (int which = 0; which < 4 && g && t; which++) {
        bool done = false;
        for (int k = 0; k < 100000 && !done; k++) {
            struct failing f = {k};
            struct casus_alloc a = {failing_alloc, &f};
            struct casus_lcp_ws ws;
            struct casus_lcp_result r;
            struct casus_lcp_opts o = CASUS_LCP_OPTS_INIT;
            o.spe = which != 3;
            o.dense_dim = which >= 2 ? 0u : o.dense_dim; /* 2, 3: the sparse method */
            casus_lcp_ws_init(&ws, &a);
            casus_lcp_result_init(&r, &a);
            casus_status st = which != 1 ? casus_eq_lcp(g, &o, &ws, NULL, &r)
                                         : casus_eq_lcp_nfg(t, &o, &ws, NULL, &r);
            if (st == CASUS_OK) {
                done = true;
                CHECK(r.n >= 1);
            } else {
                CHECK_INT(st, CASUS_ENOMEM);
            }
            casus_lcp_result_release(&r);
            casus_lcp_ws_release(&ws);
        }
        CHECK(done);
    }
    casus_gtree_free(g);
    casus_nfg_free(t);
}

/* ---- conformance with Gambit (../shared) ------------------------ */

/* The game path of an INDEX.tsv command line: its last word. */
static const char *last_word(char *cmd)
{
    char *sp = strrchr(cmd, ' ');
    return sp ? sp + 1 : cmd;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Gambit's all-labels set (the .out file's NE lines) against ours. */
static bool same_set(const char *outpath, const struct casus_lcp_result *r)
{
    size_t n;
    char *text = harness_slurp(outpath, &n);
    if (!text)
        return false;
    char **want = malloc(sizeof *want * (n / 4 + 1));
    char **got = malloc(sizeof *got * (r->n + 1));
    size_t nw = 0;
    for (char *line = text; *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        if (strncmp(line, "NE,", 3) == 0)
            want[nw++] = line;
        if (!nl)
            break;
        line = nl + 1;
    }
    for (uint32_t k = 0; k < r->n; k++) {
        got[k] = malloc(4096);
        ne_line(r, k, got[k], 4096);
    }
    qsort(want, nw, sizeof *want, cmp_str);
    qsort(got, r->n, sizeof *got, cmp_str);
    bool same = nw == r->n;
    for (size_t k = 0; same && k < nw; k++)
        same = strcmp(want[k], got[k]) == 0;
    for (uint32_t k = 0; k < r->n; k++)
        free(got[k]);
    free(got);
    free(want);
    free(text);
    return same;
}

static void test_gambit_conformance(void)
{
    const char *sh = harness_shared_dir();
    if (!sh)
        SKIP("../shared is absent");
    char path[4096];
    snprintf(path, sizeof path, "%s/reference/gambit/INDEX.tsv", sh);
    size_t n;
    char *idx = harness_slurp(path, &n);
    if (!idx)
        SKIP("reference/gambit/INDEX.tsv is absent");
    int checked = 0, efg = 0, spe = 0, sets = 0, sparse = 0;
    for (char *line = idx; *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        char *f[16] = {0};
        int nf = 0;
        for (char *p = line; nf < 16;) {
            f[nf++] = p;
            char *tab = strchr(p, '\t');
            if (!tab)
                break;
            *tab = '\0';
            p = tab + 1;
        }
        if (nf >= 14 && strcmp(f[2], "public") == 0 && strcmp(f[7], "ok") == 0 &&
            (strcmp(f[3], "lcp") == 0 || strcmp(f[3], "lcp-P") == 0) &&
            strncmp(f[13], "Nash: all", 9) == 0) {
            bool isspe = strcmp(f[3], "lcp-P") == 0;
            const char *game = last_word(f[5]);
            char gpath[4096];
            snprintf(gpath, sizeof gpath, "%s/data/gambit-games/%s", sh, game);
            struct casus_lcp_result r;
            checked++;
            if (strstr(game, ".nfg")) {
                struct casus_nfg *t = load_nfg(gpath);
                CHECK(t != NULL);
                if (t) {
                    CHECK_INT(run_nfg(t, &r), CASUS_OK);
                    snprintf(path, sizeof path, "%s/reference/gambit/%s", sh, f[0]);
                    bool same = same_set(path, &r);
                    if (!same)
                        printf("  %s: not the same set as Gambit (%u found)\n", f[0], r.n);
                    CHECK(same);
                    sets += same;
                    casus_lcp_result_release(&r);
                    casus_nfg_free(t);
                }
            } else {
                struct casus_gtree *g = load_efg(gpath);
                CHECK(g != NULL);
                for (size_t m = 0; g && m < CASUS_ARRAY_LEN(dense_dims); m++) {
                    casus_status st = run_efg_path(g, isspe, dense_dims[m], &r);
                    if (st != CASUS_OK)
                        printf("  %s (dense_dim %u): status %d\n", f[0], dense_dims[m], (int)st);
                    CHECK_INT(st, CASUS_OK);
                    check_efg_profile(g, &r, isspe);
                    efg += !isspe && st == CASUS_OK && m == 0;
                    spe += isspe && st == CASUS_OK && m == 0;
                    sparse += st == CASUS_OK && m == 1;
                    casus_lcp_result_release(&r);
                }
                casus_gtree_free(g);
            }
        }
        if (!nl)
            break;
        line = nl + 1;
    }
    printf("  lcp conformance: %d Gambit runs; %d Nash (exact), %d subgame perfect (exact), "
           "%d .nfg sets equal; %d of the .efg runs also with the sparse method\n",
           checked, efg, spe, sets, sparse);
    CHECK_INT(sparse, efg + spe);
    CHECK(checked >= 17);
    free(idx);
}

/* The synthetic crisis family: T = 1..4 from ../shared (T4: 1,023 nodes,
 * the LCP Gambit does not finish in 600 s) by both methods, and T5 (4,095
 * nodes, dimension 3,073), generated like bench_lcp does, by the default
 * one (sparse at that size). */
static void test_crisis_family(void)
{
    const char *sh = harness_shared_dir();
    for (int t = 1; t <= 4 && sh; t++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/reference/gambit/synthetic/crisis_T%d.efg", sh, t);
        struct casus_gtree *g = load_efg(path);
        if (!g)
            continue;
        struct casus_lcp_result r;
        for (size_t m = 0; m < CASUS_ARRAY_LEN(dense_dims); m++) {
            CHECK_INT(run_efg_path(g, false, dense_dims[m], &r), CASUS_OK);
            check_efg_profile(g, &r, false);
            casus_lcp_result_release(&r);
        }
        casus_gtree_free(g);
    }
    casus_buf b = CASUS_BUF_INIT;
    gen_crisis(5, &b);
    struct casus_gtree *g = efg_text(&heap, "crisis_T5.efg", b.data, b.len);
    casus_buf_release(&b);
    CHECK(g != NULL);
    if (!g)
        return;
    CHECK_INT(g->nnodes, 4095);
    struct casus_lcp_result r;
    CHECK_INT(run_efg(g, false, &r), CASUS_OK);
    CHECK_INT(r.max_dim, 3073);
    check_efg_profile(g, &r, false);
    casus_lcp_result_release(&r);
    casus_gtree_free(g);
}

/* Every two-player game of the corpus: a verified profile or a clean
 * error, never a crash (sizes bounded to keep the test fast). */
static void test_corpus_no_crash(void)
{
    const char *sh = harness_shared_dir();
    if (!sh)
        SKIP("../shared is absent");
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "find %s/data/gambit-games -name '*.efg' -o -name '*.nfg' 2>/dev/null | sort", sh);
    FILE *p = popen(cmd, "r");
    if (!p)
        SKIP("cannot list data/gambit-games");
    char path[4096];
    int ok = 0, refused = 0, limited = 0, total = 0;
    struct casus_lcp_ws ws;
    casus_lcp_ws_init(&ws, &heap);
    while (fgets(path, sizeof path, p)) {
        path[strcspn(path, "\n")] = '\0';
        struct casus_lcp_opts o = CASUS_LCP_OPTS_INIT;
        o.max_dim = 600;
        o.max_profiles = 500;
        struct casus_lcp_result r;
        casus_status st = CASUS_EINVAL;
        if (strstr(path, ".nfg")) {
            struct casus_nfg *t = load_nfg(path);
            if (!t)
                continue;
            casus_lcp_result_init(&r, &heap);
            st = casus_eq_lcp_nfg(t, &o, &ws, NULL, &r);
            casus_nfg_free(t);
        } else {
            struct casus_gtree *g = load_efg(path);
            if (!g)
                continue;
            casus_lcp_result_init(&r, &heap);
            st = casus_eq_lcp(g, &o, &ws, NULL, &r);
            if (st == CASUS_OK)
                check_efg_profile(g, &r, false);
            casus_lcp_result_release(&r);
            casus_lcp_result_init(&r, &heap);
            o.spe = true;
            if (st == CASUS_OK) {
                st = casus_eq_lcp(g, &o, &ws, NULL, &r);
                if (st == CASUS_OK)
                    check_efg_profile(g, &r, true);
            }
            casus_gtree_free(g);
        }
        total++;
        if (st == CASUS_OK)
            ok++;
        else if (st == CASUS_EINVAL)
            refused++;
        else if (st == CASUS_ELIMIT)
            limited++;
        else
            printf("  %s: status %d outcome %d\n", path, (int)st, (int)r.outcome);
        CHECK(st == CASUS_OK || st == CASUS_EINVAL || st == CASUS_ELIMIT);
        casus_lcp_result_release(&r);
    }
    pclose(p);
    casus_lcp_ws_release(&ws);
    printf("  corpus: %d games, %d solved and verified, %d refused (players/recall), %d over "
           "limits\n",
           total, ok, refused, limited);
    CHECK(total > 200);
}

int main(void)
{
    RUN(test_pennies);
    RUN(test_coordination);
    RUN(test_degenerate);
    RUN(test_spe);
    RUN(test_refusals);
    RUN(test_determinism);
    RUN(test_oom);
    RUN(test_gambit_conformance);
    RUN(test_crisis_family);
    RUN(test_corpus_no_crash);
    return harness_done("lcp");
}
