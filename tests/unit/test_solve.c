/*
 * test_solve.c — the public game API (include/casus/solve.h) and the logit
 * path follower (eq_qre.c): closed forms, diagnostics, determinism, and
 * conformance with Gambit's logit outputs in ../shared (skipped without it).
 */
#include "casus/solve.h"
#include "game/eq_qre.h"
#include "harness.h"

#include <math.h>

#if defined(__SANITIZE_ADDRESS__)
#define STRIDE 9 /* compare every 9th Gambit path point under ASan */
#else
#define STRIDE 1
#endif

static casus_game *open_text(casus_engine *e, const char *text)
{
    casus_game *g = NULL;
    casus_status st = casus_game_open(e, "mem.efg", text, strlen(text), NULL, &g);
    CHECK_INT(st, CASUS_OK);
    return g;
}

static casus_solution *solve(casus_engine *e, const casus_game *g, casus_method m, double lambda,
                             bool trace)
{
    casus_solve_opts o = CASUS_SOLVE_OPTS_INIT;
    o.method = m;
    o.lambda = lambda;
    o.trace = trace;
    casus_solution *s = NULL;
    casus_status st = casus_game_solve(e, g, &o, &s);
    CHECK_INT(st, CASUS_OK);
    return s;
}

/* One decision with payoffs 0 and 1: p(R) = e^λ / (1 + e^λ); the same
 * with the decision hidden behind an information set that also holds a
 * chance-reached twin (so the general tracer, not the one-pass one, runs). */
static void test_closed_forms(void)
{
    casus_engine *e = NULL;
    CHECK_INT(casus_engine_new(&e, NULL, NULL), CASUS_OK);
    casus_game *pi = open_text(e, "EFG 2 R \"two moves\" { \"A\" }\n"
                                  "p \"\" 1 1 \"\" { \"L\" \"R\" } 0\n"
                                  "t \"\" 1 \"l\" { 0 }\nt \"\" 2 \"r\" { 1 }\n");
    casus_game *is = open_text(e, "EFG 2 R \"hidden\" { \"A\" }\n"
                                  "c \"\" 1 \"\" { \"x\" 1/3 \"y\" 2/3 } 0\n"
                                  "p \"\" 1 1 \"\" { \"L\" \"R\" } 0\n"
                                  "t \"\" 1 \"l\" { 0 }\nt \"\" 2 \"r\" { 1 }\n"
                                  "p \"\" 1 1 \"\" { \"L\" \"R\" } 0\n"
                                  "t \"\" 1\nt \"\" 2\n");
    casus_game *mp = NULL;
    const char *pennies = "NFG 1 R \"pennies\" { \"1\" \"2\" } { 2 2 }\n1 -1 -1 1 -1 1 1 -1\n";
    CHECK_INT(casus_game_open(e, "p.nfg", pennies, strlen(pennies), NULL, &mp), CASUS_OK);
    static const double lambdas[] = {0.0, 0.5, 2.0, 7.5};
    for (size_t k = 0; k < 4 && pi && is && mp; k++) {
        double want = exp(lambdas[k]) / (1 + exp(lambdas[k]));
        const casus_game *gs[] = {pi, is};
        for (int j = 0; j < 2; j++) {
            casus_solution *s = solve(e, gs[j], CASUS_METHOD_LOGIT, lambdas[k], false);
            casus_profile_info pr;
            CHECK(s && casus_solution_count(s) == 1);
            if (s && casus_solution_profile(s, 0, &pr) == CASUS_OK) {
                CHECK_NEAR(pr.prob[1], want, 1e-12);
                CHECK_NEAR(pr.lambda, lambdas[k], 0);
                CHECK(pr.kind == CASUS_PROFILE_QRE);
            }
            casus_solution_free(s);
        }
        casus_solution *s = solve(e, mp, CASUS_METHOD_LOGIT, lambdas[k], false);
        casus_profile_info pr;
        if (s && casus_solution_profile(s, 0, &pr) == CASUS_OK)
            for (size_t i = 0; i < pr.len; i++)
                CHECK_NEAR(pr.prob[i], 0.5, 1e-12);
        casus_solution_free(s);
    }
    /* the end point of matching pennies: (1/2, 1/2), an equilibrium */
    casus_solution *s = mp ? solve(e, mp, CASUS_METHOD_LOGIT, -1, false) : NULL;
    casus_profile_info pr;
    if (s && casus_solution_profile(s, 0, &pr) == CASUS_OK) {
        CHECK(pr.kind == CASUS_PROFILE_NE);
        CHECK(casus_solution_converged(s));
        CHECK_NEAR(pr.prob[0], 0.5, 1e-9);
        CHECK(pr.rel_regret <= 1e-6);
    }
    casus_solution_free(s);
    casus_game_close(pi);
    casus_game_close(is);
    casus_game_close(mp);
    casus_engine_free(e);
}

static void test_uniform_and_determinism(void)
{
    casus_engine *e = NULL;
    casus_engine_new(&e, NULL, NULL);
    casus_game *g = NULL;
    CHECK_INT(casus_game_open_file(e, "tests/games/crisis_chance.efg", NULL, &g), CASUS_OK);
    if (!g) {
        casus_engine_free(e);
        return;
    }
    casus_solution *s0 = solve(e, g, CASUS_METHOD_LOGIT, 0.0, false);
    casus_profile_info pr;
    if (s0 && casus_solution_profile(s0, 0, &pr) == CASUS_OK)
        for (size_t i = 0; i < pr.len; i++)
            CHECK_NEAR(pr.prob[i], 0.5, 0);
    casus_solution *a = solve(e, g, CASUS_METHOD_LOGIT, -1, true);
    casus_solution *b = solve(e, g, CASUS_METHOD_LOGIT, -1, true);
    casus_buf ba = CASUS_BUF_INIT, bb = CASUS_BUF_INIT;
    if (a && b) {
        casus_solution_write_json(a, &ba);
        casus_solution_write_json(b, &bb);
        CHECK(ba.data && bb.data && strcmp(ba.data, bb.data) == 0);
        CHECK(casus_solution_count(a) > 3);
    }
    casus_buf_release(&ba);
    casus_buf_release(&bb);
    casus_solution_free(s0);
    casus_solution_free(a);
    casus_solution_free(b);
    casus_game_close(g);
    casus_engine_free(e);
}

static void test_diagnostics(void)
{
    casus_engine *e = NULL;
    casus_engine_new(&e, NULL, NULL);
    const char *bad = "EFG 2 R \"x\" { \"a\" }\np \"\" 1 1 \"\" { \"L\" \"R\" } 0\n"
                      "t \"\" 1 \"o\" { 1 2 }\n";
    casus_game *g = NULL;
    CHECK_INT(casus_game_open(e, "bad.efg", bad, strlen(bad), NULL, &g), CASUS_EINVAL);
    CHECK(g == NULL);
    casus_buf b = CASUS_BUF_INIT;
    casus_engine_render_diagnostics(e, &b);
    CHECK(b.data && strstr(b.data, "bad.efg:3:16: error:") && strstr(b.data, "^"));
    casus_buf_release(&b);
    casus_engine_clear_diagnostics(e);
    CHECK_INT(casus_game_open_file(e, "tests/games/no-such-file.efg", NULL, &g), CASUS_EIO);
    casus_engine_clear_diagnostics(e);
    /* not a game file: empty, white space, binary, other text (issue 16
     * item 14: each message says what is wrong, not "expected 'EFG'") */
    static const struct {
        const char *name, *text;
        size_t len;
        const char *want;
    } notgame[] = {
        {"e.nfg", "", 0, "'e.nfg' is empty: a Gambit game file is text starting with 'EFG 2 R'"},
        {"w.efg", " \n\t", 3, "'w.efg' is empty (only white space)"},
        {"b.nfg", "\x89PNG\r\n\x1a\n", 8, "'b.nfg' is not a text file (byte 0x1a at offset 6)"},
        {"z.efg", "\0\0\0", 3, "'z.efg' is not a text file (byte 0x00 at offset 0)"},
        {"t.nfg", "hello", 5, "t.nfg:1:1: error: expected 'NFG' at the start of a strategic-form"},
        {"t.efg", "hello", 5, "t.efg:1:1: error: expected 'EFG' at the start of an extensive-form"},
    };
    for (size_t k = 0; k < sizeof notgame / sizeof notgame[0]; k++) {
        CHECK_INT(casus_game_open(e, notgame[k].name, notgame[k].text, notgame[k].len, NULL, &g),
                  CASUS_EINVAL);
        casus_buf m = CASUS_BUF_INIT;
        casus_engine_render_diagnostics(e, &m);
        CHECK(m.data && strstr(m.data, notgame[k].want));
        if (!m.data || !strstr(m.data, notgame[k].want))
            printf("  got: %s", m.data ? m.data : "(nothing)\n");
        casus_buf_release(&m);
        casus_engine_clear_diagnostics(e);
    }
    /* lcp is reported as unavailable, not as a crash */
    CHECK_INT(casus_game_open_file(e, "tests/games/pennies.efg", NULL, &g), CASUS_OK);
    casus_solve_opts o = CASUS_SOLVE_OPTS_INIT;
    o.method = CASUS_METHOD_LCP;
    casus_solution *s = NULL;
    casus_status st = casus_game_solve(e, g, &o, &s);
    CHECK(st == CASUS_ESTATE || st == CASUS_OK);
    casus_solution_free(s);
    /* writers: .efg round trip through the API; nfg of a tree is refused */
    casus_buf w = CASUS_BUF_INIT;
    CHECK_INT(casus_game_write_efg(g, &w), CASUS_OK);
    casus_game *g2 = NULL;
    CHECK_INT(casus_game_open(e, "rt.efg", w.data, w.len, NULL, &g2), CASUS_OK);
    casus_buf w2 = CASUS_BUF_INIT;
    if (g2)
        casus_game_write_efg(g2, &w2);
    CHECK(w2.data && strcmp(w.data, w2.data) == 0);
    casus_buf_release(&w);
    casus_buf_release(&w2);
    CHECK_INT(casus_game_write_nfg(g, &w), CASUS_ESTATE);
    casus_buf_release(&w);
    casus_game_close(g);
    casus_game_close(g2);
    casus_engine_free(e);
}

/* ---- bifurcations -------------------------------------------------------- */

/* Players 1 and 2 coordinate (1 each when their strategies match), player 3
 * has a dominant second strategy.  In log-odds the first two equations are
 * y1 = λ(2 p2 − 1), y2 = λ(2 p1 − 1) (p = probability of the second
 * strategy): the symmetric line p1 = p2 = 1/2 is a branch for every λ, and
 * det F_y = 1 − λ²/4 changes sign at λ = 2, where the branch p1 = p2 = p,
 * p = σ(λ(2p − 1)) crosses it (a pitchfork opening towards larger λ).
 * Player 3 keeps the trace going (its regret vanishes only as λ grows). */
static const char *coord3 = "NFG 1 R \"coordination plus a bystander\" { \"1\" \"2\" \"3\" } "
                            "{ 2 2 2 }\n"
                            "1 1 0  0 0 0  0 0 0  1 1 0  1 1 1  0 0 1  0 0 1  1 1 1\n";

static double sigma(double x)
{
    return 1.0 / (1.0 + exp(-x));
}

static casus_solution *solve_branch(casus_engine *e, const casus_game *g, const uint32_t *br,
                                    size_t nbr, bool trace, casus_status want)
{
    casus_solve_opts o = CASUS_SOLVE_OPTS_INIT;
    o.method = CASUS_METHOD_LOGIT;
    o.branch = br;
    o.nbranch = nbr;
    o.trace = trace;
    casus_solution *s = NULL;
    CHECK_INT(casus_game_solve(e, g, &o, &s), want);
    return s;
}

static void test_bifurcation_closed_form(void)
{
    casus_engine *e = NULL;
    casus_engine_new(&e, NULL, NULL);
    casus_game *g = NULL;
    CHECK_INT(casus_game_open(e, "c3.nfg", coord3, strlen(coord3), NULL, &g), CASUS_OK);
    if (!g) {
        casus_engine_free(e);
        return;
    }
    casus_solution *s = solve_branch(e, g, NULL, 0, false, CASUS_OK);
    casus_bifurcation_info b;
    casus_profile_info pr;
    CHECK(s && casus_solution_bifurcation_count(s) == 1);
    if (s && casus_solution_bifurcation(s, 0, &b) == CASUS_OK) {
        CHECK_NEAR(b.lambda, 2.0, 1e-7);
        CHECK_NEAR(b.prob[0], 0.5, 1e-9);
        CHECK_NEAR(b.prob[2], 0.5, 1e-9);
        CHECK_NEAR(b.prob[5], sigma(2.0), 1e-7);
        CHECK_INT(b.branch, 0);
        CHECK_INT(b.nbranches, 3);
        /* the crossing branch: p1 = p2 = p with p = σ(λ(2p − 1)), λ > 2, one
         * half above 1/2 and one below */
        for (int k = 1; k <= 2; k++) {
            const double *p = b.next_prob[k];
            CHECK(p && b.next_lambda[k] > 2.0);
            if (!p)
                continue;
            CHECK_NEAR(p[1], p[3], 1e-9);
            CHECK_NEAR(p[1], sigma(b.next_lambda[k] * (2 * p[1] - 1)), 1e-9);
            CHECK(fabs(p[1] - 0.5) > 1e-3);
        }
        if (b.next_prob[1] && b.next_prob[2])
            CHECK((b.next_prob[1][1] - 0.5) * (b.next_prob[2][1] - 0.5) < 0);
        CHECK(b.next_lambda[0] > 2.0 && b.next_prob[0] && fabs(b.next_prob[0][1] - 0.5) < 1e-9);
    }
    /* branch 0 ends at the mixed equilibrium, 1 and 2 at the two pure ones */
    if (s && casus_solution_profile(s, casus_solution_count(s) - 1, &pr) == CASUS_OK) {
        CHECK(pr.kind == CASUS_PROFILE_NE);
        CHECK_NEAR(pr.prob[1], 0.5, 1e-9);
        CHECK_NEAR(pr.prob[5], 1.0, 1e-6);
    }
    double ends[3] = {0, 0, 0};
    for (uint32_t k = 1; k <= 2; k++) {
        casus_solution *sk = solve_branch(e, g, &k, 1, false, CASUS_OK);
        CHECK(sk && casus_solution_converged(sk));
        if (sk && casus_solution_profile(sk, 0, &pr) == CASUS_OK) {
            CHECK(pr.kind == CASUS_PROFILE_NE);
            CHECK_NEAR(pr.prob[1], pr.prob[3], 1e-6);
            CHECK(fabs(pr.prob[1] - 0.5) > 0.5 - 1e-6); /* pure: 0 or 1 */
            ends[k] = pr.prob[1];
        }
        if (sk && casus_solution_bifurcation(sk, 0, &b) == CASUS_OK)
            CHECK_INT(b.branch, k);
        casus_solution_free(sk);
    }
    CHECK_NEAR(ends[1] + ends[2], 1.0, 1e-6); /* one on each pure equilibrium */
    /* the traced path continues on the crossing branch from its first point */
    uint32_t one = 1;
    casus_solution *st = solve_branch(e, g, &one, 1, true, CASUS_OK);
    bool seen = false;
    for (size_t i = 0; st && i + 1 < casus_solution_count(st); i++) {
        casus_profile_info a, c;
        casus_solution_profile(st, i, &a);
        casus_solution_profile(st, i + 1, &c);
        if (a.lambda < 2.0 && c.lambda > 2.0) {
            seen = true;
            CHECK(fabs(c.prob[1] - 0.5) > 1e-3); /* off the symmetric line */
        }
    }
    CHECK(seen);
    casus_solution_free(st);
    /* JSON */
    casus_buf j = CASUS_BUF_INIT;
    if (s)
        casus_solution_write_json(s, &j);
    CHECK(j.data && strstr(j.data, "\"bifurcations\":[{\"lambda\":") &&
          strstr(j.data, "\"branch\":0,\"branches\":[{\"branch\":0,") &&
          strstr(j.data, "\"seq_regret\":"));
    casus_buf_release(&j);
    casus_solution_free(s);
    /* a branch that is not there; choices beyond the bifurcations met */
    uint32_t three = 3, twice[2] = {0, 1};
    casus_engine_clear_diagnostics(e);
    CHECK(solve_branch(e, g, &three, 1, false, CASUS_EINVAL) == NULL);
    casus_buf r = CASUS_BUF_INIT;
    casus_engine_render_diagnostics(e, &r);
    CHECK(r.data && strstr(r.data, "branch 3 was asked for at bifurcation 1"));
    casus_buf_release(&r);
    casus_engine_clear_diagnostics(e);
    casus_solution_free(solve_branch(e, g, twice, 2, false, CASUS_OK));
    casus_engine_render_diagnostics(e, &r);
    CHECK(r.data && strstr(r.data, "--branch gives choices for 2 bifurcations, but the path "
                                   "met 1"));
    casus_buf_release(&r);
    casus_game_close(g);
    casus_engine_free(e);
}

/* 2x2x2.nfg (Gambit's doc example): the bifurcation at λ ≈ 0.5968 where
 * gambit-logit stalls (its last path line, λ = 0.596755) is reported, and
 * the end point is still an equilibrium.  Needs ../shared. */
static void test_bifurcation_2x2x2(void)
{
    const char *shared = harness_shared_dir();
    if (!shared)
        SKIP("../shared not present");
    char path[1024];
    snprintf(path, sizeof path, "%s/data/gambit-games/doc/2x2x2.nfg", shared);
    casus_engine *e = NULL;
    casus_engine_new(&e, NULL, NULL);
    casus_game *g = NULL;
    CHECK_INT(casus_game_open_file(e, path, NULL, &g), CASUS_OK);
    casus_solution *s = g ? solve_branch(e, g, NULL, 0, false, CASUS_OK) : NULL;
    casus_bifurcation_info b;
    CHECK(s && casus_solution_bifurcation_count(s) == 1);
    if (s && casus_solution_bifurcation(s, 0, &b) == CASUS_OK) {
        CHECK_NEAR(b.lambda, 0.596755, 5e-7);
        CHECK_NEAR(b.prob[4], 0.574046, 5e-7); /* Gambit's stalled point */
        CHECK_INT(b.nbranches, 3);
    }
    CHECK(s && casus_solution_converged(s));
    casus_solution_free(s);
    casus_game_close(g);
    casus_engine_free(e);
}

/* ---- sequential regret ---------------------------------------------------- */

/* Player 1 takes Out (3) or moves L / R into player 2's information set,
 * where l pays player 2 1 after L and r pays 2 after R: the set is reached
 * with vanishing probability at the end of the branch, so Nash regret does
 * not see player 2's choice there, sequential regret does. */
static const char *offpath = "EFG 2 R \"off path\" { \"1\" \"2\" }\n"
                             "p \"\" 1 1 \"\" { \"Out\" \"L\" \"R\" } 0\n"
                             "t \"\" 1 \"out\" { 3, 0 }\n"
                             "p \"\" 2 1 \"\" { \"l\" \"r\" } 0\n"
                             "t \"\" 2 \"Ll\" { 1, 1 }\nt \"\" 3 \"Lr\" { 0, 0 }\n"
                             "p \"\" 2 1 \"\" { \"l\" \"r\" } 0\n"
                             "t \"\" 4 \"Rl\" { 0, 0 }\nt \"\" 5 \"Rr\" { 2, 2 }\n";

static void test_seq_regret(void)
{
    casus_engine *e = NULL;
    casus_engine_new(&e, NULL, NULL);
    casus_game *g = open_text(e, offpath);
    casus_solution *s = g ? solve(e, g, CASUS_METHOD_LOGIT, -1, false) : NULL;
    casus_profile_info pr;
    if (s && casus_solution_profile(s, 0, &pr) == CASUS_OK) {
        CHECK(pr.kind == CASUS_PROFILE_NE);
        CHECK(pr.prob[0] > 1 - 1e-6); /* Out */
        CHECK(pr.rel_seq_regret >= 0 && pr.rel_seq_regret <= 1e-6);
        CHECK(pr.seq_regret >= pr.regret - 1e-12);
    }
    casus_solution_free(s);
    /* at a fixed λ a QRE is not sequentially rational: its regret is > 0 */
    s = g ? solve(e, g, CASUS_METHOD_LOGIT, 1.0, false) : NULL;
    if (s && casus_solution_profile(s, 0, &pr) == CASUS_OK)
        CHECK(pr.seq_regret > 1e-3);
    casus_solution_free(s);
    /* pure solutions carry none */
    s = g ? solve(e, g, CASUS_METHOD_PURE, -1, false) : NULL;
    if (s && casus_solution_profile(s, 0, &pr) == CASUS_OK)
        CHECK(isnan(pr.seq_regret));
    casus_solution_free(s);
    casus_game_close(g);
    casus_engine_free(e);
}

/* ---- memory: the budget and the reproducers of issue 16 ----------------- */

/* An engine allocator that counts the bytes held (and their peak) and can
 * fail the fail_at-th allocation. */
struct meter {
    size_t live, peak;
    long n, fail_at;
};

static void *meter_alloc(void *ud, void *p, size_t os, size_t ns)
{
    struct meter *m = ud;
    if (ns == 0) {
        m->live -= os;
        free(p);
        return NULL;
    }
    if (++m->n == m->fail_at)
        return NULL;
    void *q = realloc(p, ns);
    if (q) {
        m->live += ns - os;
        if (m->live > m->peak)
            m->peak = m->live;
    }
    return q;
}

/* A complete binary tree of the given depth in .efg text (caller frees):
 * with two players they alternate by level (the audit's reproducer of issue
 * 16 item 1), with one player it is all hers; every decision node is its
 * own information set, leaves have small distinct payoffs. */
static char *binary_tree(int depth, int players)
{
    casus_buf b = CASUS_BUF_INIT;
    casus_buf_printf(&b, "EFG 2 R \"binary %d\" { \"1\"%s }\n\"\"\n\n", depth,
                     players == 2 ? " \"2\"" : "");
    unsigned count[3] = {0, 0, 0}, leaves = 0;
    int *stack = malloc(sizeof(int) * (size_t)(depth + 2) * 2), top = 0;
    stack[top++] = 0;
    while (top > 0) {
        int k = stack[--top];
        if (k == depth) {
            leaves++;
            if (players == 2)
                casus_buf_printf(&b, "t \"\" %u \"\" { %u, %u }\n", leaves, leaves % 7, leaves % 5);
            else
                casus_buf_printf(&b, "t \"\" %u \"\" { %u }\n", leaves, leaves % 7);
            continue;
        }
        int p = players == 2 ? 1 + k % 2 : 1;
        casus_buf_printf(&b, "p \"\" %d %u \"\" { \"a\" \"b\" } 0\n", p, ++count[p]);
        stack[top++] = k + 1;
        stack[top++] = k + 1;
    }
    free(stack);
    char *text = b.data ? strdup(b.data) : NULL;
    casus_buf_release(&b);
    return text;
}

/* Issue 16 items 1-2: pure equilibria of a binary tree of depth 10..16
 * (1,023 to 131,071 nodes) are refused before anything large is
 * allocated — the whole open and solve peaks far below 500 MB — and the
 * message names a count above the limit it quotes. */
static void test_pure_reproducers(void)
{
    for (int depth = 10; depth <= 16; depth += 2) {
        char *text = binary_tree(depth, 2);
        struct meter m = {0, 0, 0, 0};
        casus_engine *e = NULL;
        CHECK_INT(casus_engine_new(&e, meter_alloc, &m), CASUS_OK);
        casus_game *g = NULL;
        CHECK_INT(casus_game_open(e, "t.efg", text, strlen(text), NULL, &g), CASUS_OK);
        casus_solution *s = NULL;
        casus_solve_opts o = CASUS_SOLVE_OPTS_INIT;
        CHECK_INT(casus_game_solve(e, g, &o, &s), CASUS_ELIMIT);
        CHECK(s == NULL);
        casus_buf r = CASUS_BUF_INIT;
        casus_engine_render_diagnostics(e, &r);
        const char *msg = r.data ? strstr(r.data, "has ") : NULL;
        double count = 0;
        unsigned long long limit = 0;
        CHECK(msg && sscanf(msg, "has %lg pure profiles, more than the limit of %llu", &count,
                            &limit) == 2);
        CHECK(count > (double)limit && limit == 50000000ull);
        CHECK(strstr(r.data ? r.data : "", "--max-profiles") != NULL);
        CHECK(m.peak < (size_t)500 << 20);
        if (depth == 16)
            printf("  depth 16 (%zu bytes of .efg): refused, peak %.1f MB\n", strlen(text),
                   (double)m.peak / 1e6);
        casus_buf_release(&r);
        casus_game_close(g);
        casus_engine_free(e);
        CHECK_INT(m.live, 0);
        free(text);
    }
}

/* The budget: an estimate refused before allocating (the strategy table
 * of a one-player tree: 2^14 strategies over 16,383 infosets, 1 GiB), and
 * the allocator's refusal when no estimate caught it (logit, 4 KiB). */
static void test_memory_budget(void)
{
    casus_engine *e = NULL;
    casus_engine_new(&e, NULL, NULL);
    char *text = binary_tree(14, 1);
    casus_game *g = open_text(e, text);
    casus_solve_opts o = CASUS_SOLVE_OPTS_INIT;
    o.max_memory = (size_t)64 << 20;
    casus_solution *s = NULL;
    CHECK_INT(casus_game_solve(e, g, &o, &s), CASUS_ELIMIT);
    casus_buf r = CASUS_BUF_INIT;
    casus_engine_render_diagnostics(e, &r);
    CHECK(r.data &&
          strstr(r.data, "tables would need 1 GiB of memory, more than the memory "
                         "budget of 64 MiB") &&
          strstr(r.data, "--max-memory"));
    casus_buf_release(&r);
    casus_engine_clear_diagnostics(e);
    casus_game_close(g);
    free(text);
    CHECK_INT(casus_game_open_file(e, "tests/games/crisis_chance.efg", NULL, &g), CASUS_OK);
    o.method = CASUS_METHOD_LOGIT;
    o.max_memory = 4096;
    CHECK_INT(casus_game_solve(e, g, &o, &s), CASUS_ELIMIT);
    casus_engine_render_diagnostics(e, &r);
    CHECK(r.data && strstr(r.data, "logit: the solver needs more memory than the budget of "
                                   "4 KiB"));
    casus_buf_release(&r);
    o.max_memory = 0; /* the default: plenty */
    CHECK_INT(casus_game_solve(e, g, &o, &s), CASUS_OK);
    casus_solution_free(s);
    CHECK(casus_memory_budget_default() >= (size_t)1 << 20);
    casus_game_close(g);
    casus_engine_free(e);
}

/* Every solve fails cleanly when any allocation fails: CASUS_ENOMEM (or a
 * result), nothing leaked.  Methods on a tree with information sets and
 * chance, logit with the bifurcation on the 3-player table. */
static void test_solve_oom(void)
{
    static const struct {
        const char *file;
        casus_method m;
        bool agent, spe, trace;
    } runs[] = {
        {"tests/games/crisis_chance.efg", CASUS_METHOD_PURE, false, false, false},
        {"tests/games/crisis_chance.efg", CASUS_METHOD_PURE, true, false, false},
        {"tests/games/crisis_chance.efg", CASUS_METHOD_PURE, false, true, false},
        {"tests/games/crisis_chance.efg", CASUS_METHOD_SPE, false, false, false},
        {"tests/games/crisis_chance.efg", CASUS_METHOD_LOGIT, false, false, true},
        {"tests/games/entry.efg", CASUS_METHOD_LOGIT, false, false, true},
        {"tests/games/entry.efg", CASUS_METHOD_LCP, false, false, false},
        {"tests/games/pennies.nfg", CASUS_METHOD_PURE, false, false, false},
        {NULL, CASUS_METHOD_LOGIT, false, false, true},
    };
    for (size_t k = 0; k < sizeof runs / sizeof runs[0]; k++) {
        bool done = false;
        for (long fail = 1; fail < 3000 && !done; fail++) {
            struct meter m = {0, 0, 0, 0};
            casus_engine *e = NULL;
            casus_engine_new(&e, meter_alloc, &m);
            casus_game *g = NULL;
            casus_status st = runs[k].file
                                  ? casus_game_open_file(e, runs[k].file, NULL, &g)
                                  : casus_game_open(e, "c3.nfg", coord3, strlen(coord3), NULL, &g);
            CHECK_INT(st, CASUS_OK);
            casus_solve_opts o = CASUS_SOLVE_OPTS_INIT;
            o.method = runs[k].m;
            o.agent = runs[k].agent;
            o.spe = runs[k].spe;
            o.trace = runs[k].trace;
            casus_solution *s = NULL;
            m.fail_at = m.n + fail;
            st = casus_game_solve(e, g, &o, &s);
            CHECK(st == CASUS_OK || st == CASUS_ENOMEM);
            CHECK(st == CASUS_OK || s == NULL);
            done = st == CASUS_OK;
            casus_solution_free(s);
            casus_game_close(g);
            casus_engine_free(e);
            CHECK_INT(m.live, 0);
        }
        CHECK(done);
    }
}

/* ---- conformance with gambit-logit ------------------------------------ */

struct pathpt {
    double *u; /* m + 1: log-odds and λ */
};

struct collect {
    struct casus_qre_ws *q;
    double *pts; /* n * (m + 1) */
    size_t n, cap;
};

static bool collect_cb(void *ud, double lambda, const double *prob, double regret)
{
    struct collect *c = ud;
    size_t w = c->q->m + 1;
    (void)prob;
    (void)regret;
    (void)lambda;
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 64;
        c->pts = realloc(c->pts, sizeof(double) * w * c->cap);
    }
    memcpy(c->pts + c->n * w, c->q->u, sizeof(double) * w);
    c->n++;
    return true;
}

static int parse_vals(const char *s, double *v, int max)
{
    int n = 0;
    while (*s && n < max) {
        char *end;
        v[n++] = strtod(s, &end);
        if (end == s)
            return -1;
        s = end;
        if (*s == ',')
            s++;
        else
            break;
    }
    return n;
}

/* Our branch at λ (Newton from the traced points around it) into beh. */
static bool branch_at(struct collect *c, double lam, double *y, double *beh)
{
    const uint32_t m = c->q->m;
    size_t w = m + 1, k = 0;
    while (k + 1 < c->n && c->pts[(k + 1) * w + m] < lam)
        k++;
    const double *a = c->pts + k * w, *b = k + 1 < c->n ? a + w : a;
    double s = b[m] > a[m] ? (lam - a[m]) / (b[m] - a[m]) : 0;
    for (uint32_t i = 0; i < m; i++)
        y[i] = a[i] + s * (b[i] - a[i]);
    uint32_t it;
    double r;
    bool ok = m == 0 || casus_qre_newton(c->q, lam, y, &it, &r);
    casus_qre_profile(c->q, y, beh);
    return ok;
}

/* Does Gambit's line (λ, p) lie on our branch?  Gambit prints λ to 6
 * decimals and p to 6 significant digits, so compare against our profiles
 * over [λ - 5e-7, λ + 5e-7].  Probabilities more than 1e-6 outside are
 * counted in *over (Gambit's corrector stops at 1e-4); more than 1e-5 fail. */
static bool on_branch(struct collect *c, const struct casus_gtree *t, double lam, const double *p,
                      double *y, double *beh, double *lo, double *hi, int *over)
{
    for (int k = 0; k < 3; k++) {
        double l = lam + (k - 1) * 5e-7;
        if (!branch_at(c, l < 0 ? 0 : l, y, beh))
            return false;
        for (uint32_t a = 0; a < t->nact; a++) {
            lo[a] = k == 0 || beh[a] < lo[a] ? beh[a] : lo[a];
            hi[a] = k == 0 || beh[a] > hi[a] ? beh[a] : hi[a];
        }
    }
    for (uint32_t i = 0; i + t->pact0 < t->nact; i++) {
        uint32_t a = t->pact0 + i;
        double off = p[i] < lo[a] ? lo[a] - p[i] : p[i] > hi[a] ? p[i] - hi[a] : 0;
        if (off > 1e-6)
            (*over)++;
        if (off > 1e-5) {
            printf("  λ=%g action %u: gambit %.9g, casus [%.9g, %.9g]\n", lam, i, p[i], lo[a],
                   hi[a]);
            return false;
        }
    }
    return true;
}

/* Check one game against its .logit.out (and .logit-e.out): every path
 * point on our branch; the end line on our branch at the λ of the last path
 * line; our own end point a verified equilibrium, sequentially rational
 * given the branch's beliefs.  Returns points checked,
 * or -1 on a mismatch. */
static int conform_logit(casus_engine *e, const char *game, const char *pathfile,
                         const char *endfile, bool gambit_verified, int *over)
{
    casus_game *g = NULL;
    if (casus_game_open_file(e, game, NULL, &g) != CASUS_OK)
        return -1;
    const struct casus_gtree *t = casus_game_tree(g);
    struct casus_qre_ws q;
    struct collect c = {&q, NULL, 0, 0};
    static const struct casus_alloc heap = {casus_default_alloc, NULL};
    if (casus_qre_ws_init(&q, &heap, t, 100000) != CASUS_OK) {
        casus_game_close(g);
        return -1;
    }
    struct casus_qre_opts o = CASUS_QRE_OPTS_INIT;
    o.fn = collect_cb;
    o.ud = &c;
    struct casus_qre_result res;
    double *beh = malloc(sizeof(double) * (t->nact + 1));
    double *lo = malloc(sizeof(double) * (t->nact + 1)),
           *hi = malloc(sizeof(double) * (t->nact + 1));
    double *y = malloc(sizeof(double) * (q.m + 1)), *ref = malloc(sizeof(double) * (t->nact + 2));
    int width = (int)(t->nact - t->pact0), points = 0;
    bool ok = casus_qre_trace(&q, &o, NULL, beh, &res) == CASUS_OK && res.reached;
    /* our own end point: an equilibrium by the public API's check */
    casus_solution *s = solve(e, g, CASUS_METHOD_LOGIT, -1, false);
    casus_profile_info pr;
    ok = ok && s && casus_solution_profile(s, 0, &pr) == CASUS_OK && pr.kind == CASUS_PROFILE_NE &&
         pr.rel_regret <= 1e-6 && pr.rel_seq_regret <= 1e-6; /* sequentially rational too */
    casus_solution_free(s);
    static char line[1 << 16];
    double last_lambda = -1;
    FILE *f = fopen(pathfile, "r");
    for (int ln = 0; ok && gambit_verified && f && fgets(line, sizeof line, f); ln++) {
        if (strncmp(line, "NE,", 3) == 0)
            continue;
        int n = parse_vals(line, ref, width + 2);
        if (n != width + 1)
            continue;
        last_lambda = ref[0];
        if (ln % STRIDE)
            continue;
        ok = on_branch(&c, t, ref[0], ref + 1, y, beh, lo, hi, over);
        points++;
    }
    if (f)
        fclose(f);
    f = fopen(endfile, "r");
    if (ok && gambit_verified && f && fgets(line, sizeof line, f) && last_lambda >= 0 &&
        parse_vals(line + 3, ref, width + 2) == width) {
        ok = on_branch(&c, t, last_lambda, ref, y, beh, lo, hi, over);
        points++;
    }
    if (f)
        fclose(f);
    free(beh);
    free(lo);
    free(hi);
    free(y);
    free(ref);
    free(c.pts);
    casus_qre_ws_release(&q);
    casus_game_close(g);
    return ok ? points : -1;
}

static void test_gambit_logit(void)
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
    casus_engine *e = NULL;
    casus_engine_new(&e, NULL, NULL);
    int games = 0, passed = 0, points = 0, endpoints = 0, over = 0;
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        char *col[16] = {0};
        int nc = 0;
        for (char *p = line; nc < 16;) {
            col[nc++] = p;
            char *tab = strchr(p, '\t');
            if (!tab)
                break;
            *tab = '\0';
            p = tab + 1;
        }
        if (nc < 14 || strcmp(col[2], "public") != 0 || strcmp(col[3], "logit") != 0 ||
            strcmp(col[7], "ok") != 0)
            continue;
        const char *rel = strrchr(col[5], ' ');
        /* Gambit's own check: "rel. regret 1.8e-02" on 2x2x2 is not an
         * equilibrium; there only our own end point is checked */
        double gr = 1;
        const char *rr = strstr(col[13], "rel. regret ");
        if (rr)
            gr = strtod(rr + 12, NULL);
        char gpath[1024], ppath[1024], epath[1024];
        snprintf(gpath, sizeof gpath, "%s/data/gambit-games/%s", shared, rel + 1);
        snprintf(ppath, sizeof ppath, "%s/reference/gambit/%s.logit.out", shared, col[1]);
        snprintf(epath, sizeof epath, "%s/reference/gambit/%s.logit-e.out", shared, col[1]);
        int np = conform_logit(e, gpath, ppath, epath, gr <= 1e-6, &over);
        games++;
        if (np >= 0) {
            passed++;
            points += np;
            endpoints += gr <= 1e-6;
        } else {
            printf("  gap: %s: some point is off Gambit's branch or a Newton solve at "
                   "Gambit's λ stagnates\n",
                   col[1]);
        }
    }
    fclose(f);
    /* the synthetic crisis family: Gambit's path files exist for T1-T3 */
    for (int T = 1; T <= 4; T++) {
        char gpath[1024], ppath[1024], epath[1024];
        snprintf(gpath, sizeof gpath, "%s/reference/gambit/synthetic/crisis_T%d.efg", shared, T);
        snprintf(ppath, sizeof ppath, "%s/reference/gambit/synthetic/crisis_T%d.efg.logit.out",
                 shared, T);
        snprintf(epath, sizeof epath, "%s/reference/gambit/synthetic/crisis_T%d.efg.logit-e.out",
                 shared, T);
        FILE *pf = fopen(ppath, "r");
        if (!pf)
            continue;
        fclose(pf);
        int np = conform_logit(e, gpath, ppath, epath, true, &over);
        games++;
        if (np >= 0) {
            passed++;
            points += np;
            endpoints++;
        } else {
            printf("  gap: crisis_T%d.efg: some point is off Gambit's branch\n", T);
        }
    }
    casus_engine_free(e);
    CHECK(passed == games); /* every game, since the residual is scaled by λ (docs/games.md) */
    printf("  gambit logit: %d of %d games (%d end points, %d path points compared%s; %d "
           "probabilities between 1e-6 and 1e-5 off, none beyond)\n",
           passed, games, endpoints, points, STRIDE > 1 ? ", subsampled" : "", over);
}

int main(void)
{
    RUN(test_closed_forms);
    RUN(test_uniform_and_determinism);
    RUN(test_diagnostics);
    RUN(test_gambit_logit);
    RUN(test_bifurcation_closed_form);
    RUN(test_bifurcation_2x2x2);
    RUN(test_seq_regret);
    RUN(test_pure_reproducers);
    RUN(test_memory_budget);
    RUN(test_solve_oom);
    return harness_done("solve");
}
