/*
 * test_game.c — the game representation and the Gambit .efg/.nfg readers
 * and writers: the project's own small games (tests/games/), caret
 * diagnostics for malformed files, chance renormalisation, limits, the
 * allocator hook under injected failures, and — when ../shared is present
 * — every Gambit example game: it must load, round-trip exactly, and agree
 * with the inventory in data/gambit-games/README.md (node count, perfect
 * recall, perfect information).
 */
#include "harness.h"

#include "base/buf.h"
#include "game/efg.h"
#include "game/nfg.h"

#include <dirent.h>
#include <sys/stat.h>

static const struct casus_alloc heap = {casus_default_alloc, NULL};

/* Read an efg from a string; returns the status and renders diagnostics. */
static casus_status read_efg(const char *text, struct casus_gtree **g, casus_buf *diag)
{
    struct casus_diags d;
    casus_diags_init(&d, &heap);
    casus_status st = casus_efg_read(&heap, &d, "t.efg", text, strlen(text), NULL, g);
    if (diag)
        casus_diags_render(&d, diag);
    casus_diags_release(&d);
    return st;
}

static casus_status read_nfg(const char *text, struct casus_nfg **g, casus_buf *diag)
{
    struct casus_diags d;
    casus_diags_init(&d, &heap);
    casus_status st = casus_nfg_read(&heap, &d, "t.nfg", text, strlen(text), NULL, g);
    if (diag)
        casus_diags_render(&d, diag);
    casus_diags_release(&d);
    return st;
}

/* efg text -> game -> text -> game -> text must be a fixed point. */
static bool efg_roundtrip(const struct casus_gtree *g)
{
    casus_buf w1 = CASUS_BUF_INIT, w2 = CASUS_BUF_INIT;
    struct casus_gtree *g2 = NULL;
    bool ok = casus_efg_write(g, &w1) == CASUS_OK && read_efg(w1.data, &g2, NULL) == CASUS_OK &&
              casus_gtree_equal(g, g2) && casus_efg_write(g2, &w2) == CASUS_OK &&
              w1.len == w2.len && memcmp(w1.data, w2.data, w1.len) == 0;
    casus_gtree_free(g2);
    casus_buf_release(&w1);
    casus_buf_release(&w2);
    return ok;
}

static bool nfg_roundtrip(const struct casus_nfg *g)
{
    casus_buf w1 = CASUS_BUF_INIT, w2 = CASUS_BUF_INIT;
    struct casus_nfg *g2 = NULL;
    bool ok = casus_nfg_write(g, &w1) == CASUS_OK && read_nfg(w1.data, &g2, NULL) == CASUS_OK &&
              casus_nfg_equal(g, g2) && casus_nfg_write(g2, &w2) == CASUS_OK && w1.len == w2.len &&
              memcmp(w1.data, w2.data, w1.len) == 0;
    casus_nfg_free(g2);
    casus_buf_release(&w1);
    casus_buf_release(&w2);
    return ok;
}

static void test_numbers(void)
{
    struct casus_num n;
    CHECK_INT(casus_num_parse(NULL, "0.5", 3, &n), CASUS_OK);
    CHECK(n.num == 1 && n.den == 2 && n.d == 0.5);
    CHECK_INT(casus_num_parse(NULL, "3/6", 3, &n), CASUS_OK);
    CHECK(n.num == 1 && n.den == 2);
    CHECK_INT(casus_num_parse(NULL, "-0.5e1", 6, &n), CASUS_OK);
    CHECK(n.num == -5 && n.den == 1);
    CHECK_INT(casus_num_parse(NULL, "1.5e-3", 6, &n), CASUS_OK);
    CHECK(n.num == 3 && n.den == 2000);
    CHECK_INT(casus_num_parse(NULL, ".5", 2, &n), CASUS_OK);
    CHECK_INT(casus_num_parse(NULL, "5.", 2, &n), CASUS_OK);
    CHECK_INT(casus_num_parse(NULL, "2E2", 3, &n), CASUS_OK);
    CHECK(n.num == 200);
    CHECK_INT(casus_num_parse(NULL, "+2", 2, &n), CASUS_EINVAL);
    CHECK_INT(casus_num_parse(NULL, "2e+2", 4, &n), CASUS_EINVAL);
    CHECK_INT(casus_num_parse(NULL, "1/0", 3, &n), CASUS_EINVAL);
    CHECK_INT(casus_num_parse(NULL, "0x10", 4, &n), CASUS_EINVAL);
    CHECK_INT(casus_num_parse(NULL, "-", 1, &n), CASUS_EINVAL);
    CHECK_INT(casus_num_parse(NULL, "1e999999", 8, &n), CASUS_EINVAL);
    /* too long for int64: exactness is dropped, the double stays */
    CHECK_INT(casus_num_parse(NULL, "0.12345678901234567890123", 25, &n), CASUS_OK);
    CHECK(n.den == 0);
    CHECK_NEAR(n.d, 0.123456789012345678, 1e-16);
}

static void test_own_games(void)
{
    static const char *const files[] = {"tests/games/entry.efg", "tests/games/pennies.efg",
                                        "tests/games/crisis_chance.efg"};
    for (size_t i = 0; i < CASUS_ARRAY_LEN(files); i++) {
        size_t n;
        char *text = harness_slurp(files[i], &n);
        CHECK(text != NULL);
        if (!text)
            continue;
        struct casus_gtree *g = NULL;
        casus_buf diag = CASUS_BUF_INIT;
        CHECK_INT(read_efg(text, &g, &diag), CASUS_OK);
        if (g) {
            CHECK(g->perfect_recall);
            CHECK(efg_roundtrip(g));
        }
        casus_gtree_free(g);
        casus_buf_release(&diag);
        free(text);
    }
    static const char *const nfgs[] = {"tests/games/pennies.nfg", "tests/games/coord_outcomes.nfg"};
    for (size_t i = 0; i < CASUS_ARRAY_LEN(nfgs); i++) {
        size_t n;
        char *text = harness_slurp(nfgs[i], &n);
        CHECK(text != NULL);
        if (!text)
            continue;
        struct casus_nfg *g = NULL;
        CHECK_INT(read_nfg(text, &g, NULL), CASUS_OK);
        if (g)
            CHECK(nfg_roundtrip(g));
        casus_nfg_free(g);
        free(text);
    }
}

static void test_structure(void)
{
    size_t n;
    char *text = harness_slurp("tests/games/crisis_chance.efg", &n);
    struct casus_gtree *g = NULL;
    casus_buf diag = CASUS_BUF_INIT;
    CHECK(text != NULL);
    if (!text)
        return;
    CHECK_INT(read_efg(text, &g, &diag), CASUS_OK);
    /* 0.333333 + 0.666666 is within 1e-4: a warning, renormalised */
    CHECK(diag.data && strstr(diag.data, "warning: chance probabilities sum to 0.999999"));
    CHECK(diag.data && strstr(diag.data, "t.efg:4:21:"));
    if (g) {
        CHECK_INT(g->nplayers, 2);
        CHECK_INT(g->nnodes, 11);
        CHECK_INT(g->niset, 5); /* 1 chance + 2 + 2 */
        CHECK_INT(g->pl_iset0[1], 1);
        CHECK_INT(g->pact0, 2);
        CHECK_NEAR(g->chance[0] + g->chance[1], 1.0, 1e-15);
        CHECK_NEAR(g->chance[0], 1.0 / 3.0, 1e-6);
        CHECK(g->perfect_info && g->has_chance && g->perfect_recall);
        CHECK_STREQ(g->iset[g->node[1].iset].label, "resolved challenger");
        CHECK_INT(g->node[1].outcome, 0);
        CHECK_INT(g->node[6].outcome, 0); /* reused outcome 1 */
        CHECK_INT(g->node[0].size, 11);
        bool root[11];
        casus_gtree_subgame_roots(g, root);
        CHECK(root[0] && root[1] && root[2] && !root[3]);
        casus_buf dot = CASUS_BUF_INIT;
        CHECK_INT(casus_efg_write_dot(g, &dot), CASUS_OK);
        CHECK(dot.data && strstr(dot.data, "digraph game"));
        CHECK(dot.data && strstr(dot.data, "(-1.5, -2)")); /* -1/2 + -1 summed */
        casus_buf_release(&dot);
    }
    casus_gtree_free(g);
    casus_buf_release(&diag);
    free(text);
}

/* Exact caret rendering for a few malformed files. */
static void test_errors(void)
{
    static const struct {
        const char *text, *expect;
    } cases[] = {
        {"EFG 2 R \"x\" { \"a\" }\n\"\"\np \"\" 1 1 \"\" { \"L\" \"R\" } 0\nt \"\" 1 \"o\" { 1 2 "
         "}\n",
         "t.efg:4:16: error: too many payoffs: the game has 1 players\n"
         "    4 | t \"\" 1 \"o\" { 1 2 }\n"
         "      |                ^\n"},
        {"EFG 2 R \"x\" { \"a\" }\nc \"\" 1 \"\" { \"h\" 0.5 \"t\" 0.4 } 0\n",
         "t.efg:2:11: error: chance probabilities sum to 0.9, not 1\n"
         "    2 | c \"\" 1 \"\" { \"h\" 0.5 \"t\" 0.4 } 0\n"
         "      |           ^~~~~~~~~~~~~~~~~~~\n"
         "note: sums within 1e-4 of 1 are renormalised; write exact fractions such as 1/3 to "
         "avoid this\n"},
        {"EFG 2 R \"x\" { \"a\" }\np \"\" 2 1 \"\" { \"L\" } 0\n",
         "t.efg:2:6: error: player 2 does not exist: the game has 1 players\n"
         "    2 | p \"\" 2 1 \"\" { \"L\" } 0\n"
         "      |      ^\n"},
        {"EFG 2 R \"x\" { \"a\" }\np \"\" 1 1 \"\" { \"L\" } 0\nt \"\" 7\n",
         "t.efg:3:6: error: outcome 7 is used before it is defined\n"
         "    3 | t \"\" 7\n"
         "      |      ^\n"},
        {"EFG 2 R \"x\" { \"a\" }\np \"\" 1 1 \"\" { \"L\" \"R\" } 0\nt \"\" 0\n",
         "t.efg:4:1: error: expected a node ('c', 'p' or 't'), found end of file\n"
         "    4 | \n"
         "      | ^\n"},
        {"EFG 2 R \"x { \"a\" }\n",
         "t.efg:1:15: error: expected '{' before the player list, found 'a'\n"
         "    1 | EFG 2 R \"x { \"a\" }\n"
         "      |               ^\n"},
        {"EFG 2 R \"x\" { \"a }\n",
         "t.efg:1:15: error: expected a player name or '}', found an unterminated string\n"
         "    1 | EFG 2 R \"x\" { \"a }\n"
         "      |               ^\n"},
    };
    for (size_t i = 0; i < CASUS_ARRAY_LEN(cases); i++) {
        struct casus_gtree *g = NULL;
        casus_buf diag = CASUS_BUF_INIT;
        CHECK_INT(read_efg(cases[i].text, &g, &diag), CASUS_EINVAL);
        CHECK(g == NULL);
        CHECK_STREQ(diag.data, cases[i].expect);
        casus_buf_release(&diag);
    }
    static const char *const bad_nfg[] = {
        "NFG 1 R \"x\" { \"a\" \"b\" } { 2 2 }\n1 2 3 , 4\n",
        "NFG 1 R \"x\" { \"a\" \"b\" } { 2 2 }\n1 2 3 4 5 6 7 8 9\n",
        "NFG 1 R \"x\" { \"a\" \"b\" } { 2 2 }\n1 2 3\n",
        "NFG 1 R \"x\" { \"a\" } { 2 }\n{ { \"\" 1 } }\n1 2\n",
        "NFG 1 R \"x\" { \"a\" } { 0 }\n\n",
        "NFG 1 R \"x\" { \"a\" } { { \"s\" } }\n{ { \"\" 1 2 } }\n1\n",
        "NFG 2 R \"x\" { \"a\" } { 1 }\n1\n",
    };
    for (size_t i = 0; i < CASUS_ARRAY_LEN(bad_nfg); i++) {
        struct casus_nfg *g = NULL;
        casus_buf diag = CASUS_BUF_INIT;
        CHECK_INT(read_nfg(bad_nfg[i], &g, &diag), CASUS_EINVAL);
        CHECK(diag.data && strstr(diag.data, "t.nfg:") && strstr(diag.data, "^"));
        casus_buf_release(&diag);
    }
}

static void test_tolerant(void)
{
    /* Duplicate node and infoset labels, a D file, trailing tokens, and an
     * infoset restated identically: all accepted. */
    const char *text = "EFG 2 D \"dup\" { \"a\" \"b\" }\n"
                       "p \"n\" 1 1 \"I\" { \"L\" \"R\" } 0\n"
                       "p \"n\" 2 1 \"I\" { \"l\" \"r\" } 0\n"
                       "t \"n\" 1 \"o\" { 1, 2 }\n"
                       "t \"n\" 2 \"o\" { 3 4 }\n"
                       "p \"n\" 2 1 \"I\" { \"l\" \"r\" } 0\n"
                       "t \"\" 1 \"o\" { 1, 2 }\n"
                       "t \"\" 2\n"
                       "trailing garbage is ignored { \n";
    struct casus_gtree *g = NULL;
    CHECK_INT(read_efg(text, &g, NULL), CASUS_OK);
    if (g) {
        CHECK_INT(g->nnodes, 7);
        CHECK(!g->perfect_info);
        CHECK(efg_roundtrip(g));
    }
    casus_gtree_free(g);
    /* quotes and backslashes in labels survive a round trip */
    const char *q = "EFG 2 R \"a \\\"quoted\\\" \\\\ title\" { \"p\\x\" }\nt \"\\\\\\\"\" 0\n";
    CHECK_INT(read_efg(q, &g, NULL), CASUS_OK);
    if (g) {
        CHECK_STREQ(g->title, "a \"quoted\" \\\\ title");
        CHECK(efg_roundtrip(g));
    }
    casus_gtree_free(g);
    /* imperfect recall is representable and flagged */
    const char *ir = "EFG 2 R \"forgetful\" { \"a\" }\n"
                     "p \"\" 1 1 \"\" { \"L\" \"R\" } 0\n"
                     "p \"\" 1 2 \"\" { \"l\" \"r\" } 0\n"
                     "t \"\" 0\nt \"\" 0\n"
                     "p \"\" 1 2 \"\" { \"l\" \"r\" } 0\n"
                     "t \"\" 0\nt \"\" 0\n";
    CHECK_INT(read_efg(ir, &g, NULL), CASUS_OK);
    if (g)
        CHECK(!g->perfect_recall);
    casus_gtree_free(g);
}

static void test_limits(void)
{
    struct casus_gtree_limits lim = CASUS_GTREE_LIMITS_INIT;
    lim.max_nodes = 3;
    const char *text = "EFG 2 R \"x\" { \"a\" }\np \"\" 1 1 \"\" { \"L\" \"R\" \"M\" } 0\n"
                       "t \"\" 0\nt \"\" 0\nt \"\" 0\n";
    struct casus_diags d;
    struct casus_gtree *g = NULL;
    casus_diags_init(&d, &heap);
    CHECK_INT(casus_efg_read(&heap, &d, "t.efg", text, strlen(text), &lim, &g), CASUS_ELIMIT);
    casus_diags_release(&d);
    lim = (struct casus_gtree_limits)CASUS_GTREE_LIMITS_INIT;
    lim.max_bytes = 10;
    casus_diags_init(&d, &heap);
    CHECK_INT(casus_efg_read(&heap, &d, "t.efg", text, strlen(text), &lim, &g), CASUS_ELIMIT);
    casus_diags_release(&d);
}

/* Fail the Nth allocation for N = 1, 2, ... until a read succeeds: every
 * failure must be a clean CASUS_ENOMEM (ASan checks the leaks). */
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

static void test_oom(void)
{
    size_t n;
    char *text = harness_slurp("tests/games/crisis_chance.efg", &n);
    CHECK(text != NULL);
    if (!text)
        return;
    bool done = false;
    for (int k = 0; k < 200 && !done; k++) {
        struct failing f = {k};
        struct casus_alloc a = {failing_alloc, &f};
        struct casus_diags d;
        struct casus_gtree *g = NULL;
        casus_diags_init(&d, &heap);
        casus_status st = casus_efg_read(&a, &d, "t.efg", text, n, NULL, &g);
        CHECK(st == CASUS_OK || st == CASUS_ENOMEM);
        done = st == CASUS_OK;
        casus_gtree_free(g);
        casus_diags_release(&d);
    }
    CHECK(done);
    free(text);
}

/* ------------------------------------------------------------------ */
/* Gambit's example games                                             */

struct inv {
    char file[200];
    int nodes;
    bool recall, perfect;
};

static int load_inventory(const char *shared, struct inv *out, int max)
{
    char path[512];
    snprintf(path, sizeof path, "%s/data/gambit-games/README.md", shared);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char line[1024];
    int n = 0;
    while (fgets(line, sizeof line, f) && n < max) {
        char file[200], players[16], info[32], recall[16], chance[16], nodes[64];
        if (sscanf(line, "| %199s | %15s | %31[^|] | %15s | %15s | %63[^|]", file, players, info,
                   recall, chance, nodes) != 6)
            continue;
        size_t fl = strlen(file);
        if (fl < 4 || strcmp(file + fl - 4, ".efg") != 0)
            continue;
        memcpy(out[n].file, file, fl + 1);
        out[n].nodes = atoi(nodes);
        out[n].recall = strcmp(recall, "yes") == 0;
        out[n].perfect = strncmp(info, "perfect", 7) == 0;
        n++;
    }
    fclose(f);
    return n;
}

static void test_gambit_corpus(void)
{
    const char *shared = harness_shared_dir();
    if (!shared)
        SKIP("../shared not present");
    static struct inv inv[400];
    int ninv = load_inventory(shared, inv, 400);
    CHECK(ninv >= 170);
    int nefg = 0, nnfg = 0, checked = 0;
    for (int i = 0; i < ninv; i++) {
        char path[512];
        size_t n;
        if ((size_t)snprintf(path, sizeof path, "%s/data/gambit-games/%s", shared, inv[i].file) >=
            sizeof path)
            continue;
        char *text = harness_slurp(path, &n);
        if (!text)
            continue;
        struct casus_gtree *g = NULL;
        struct casus_diags d;
        casus_diags_init(&d, &heap);
        casus_status st = casus_efg_read(&heap, &d, inv[i].file, text, n, NULL, &g);
        if (st != CASUS_OK) {
            casus_buf r = CASUS_BUF_INIT;
            casus_diags_render(&d, &r);
            printf("  %s", r.data ? r.data : "?\n");
            casus_buf_release(&r);
        }
        CHECK_INT(st, CASUS_OK);
        if (g) {
            nefg++;
            bool ok = (int)g->nnodes == inv[i].nodes && g->perfect_recall == inv[i].recall &&
                      g->perfect_info == inv[i].perfect && efg_roundtrip(g);
            if (!ok)
                printf("  mismatch: %s\n", inv[i].file);
            CHECK(ok);
            checked += ok;
        }
        casus_gtree_free(g);
        casus_diags_release(&d);
        free(text);
    }
    /* every .nfg file: walk the three source directories */
    static const char *const dirs[] = {"contrib/games",
                                       "tests/test_games",
                                       "doc",
                                       "catalog/journals/dcg/vonstengel1999",
                                       "catalog/journals/ijgt/nau2004",
                                       "catalog/journals/other/shapley1974"};
    for (size_t k = 0; k < CASUS_ARRAY_LEN(dirs); k++) {
        char dpath[512];
        snprintf(dpath, sizeof dpath, "%s/data/gambit-games/%s", shared, dirs[k]);
        DIR *dir = opendir(dpath);
        if (!dir)
            continue;
        struct dirent *e;
        while ((e = readdir(dir))) {
            size_t l = strlen(e->d_name);
            if (l < 4 || strcmp(e->d_name + l - 4, ".nfg") != 0)
                continue;
            char path[800];
            size_t n;
            snprintf(path, sizeof path, "%s/%s", dpath, e->d_name);
            char *text = harness_slurp(path, &n);
            if (!text)
                continue;
            struct casus_nfg *g = NULL;
            struct casus_diags d;
            casus_diags_init(&d, &heap);
            CHECK_INT(casus_nfg_read(&heap, &d, e->d_name, text, n, NULL, &g), CASUS_OK);
            if (g) {
                nnfg++;
                CHECK(nfg_roundtrip(g));
            }
            casus_nfg_free(g);
            casus_diags_release(&d);
            free(text);
        }
        closedir(dir);
    }
    printf("  gambit corpus: %d .efg loaded (%d match the inventory and round-trip), %d .nfg\n",
           nefg, checked, nnfg);
    CHECK_INT(nefg, 174);
    CHECK_INT(nnfg, 60);
}

int main(void)
{
    RUN(test_numbers);
    RUN(test_own_games);
    RUN(test_structure);
    RUN(test_errors);
    RUN(test_tolerant);
    RUN(test_limits);
    RUN(test_oom);
    RUN(test_gambit_corpus);
    return harness_done("game");
}
