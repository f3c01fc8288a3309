/*
 * bench_lcp.c — Lemke on the sequence form and Lemke–Howson from every
 * label (src/game/eq_lcp.c) against Gambit's own times in
 * ../shared/reference/gambit/INDEX.tsv and synthetic/INDEX.tsv:
 *
 *   - the synthetic crisis family: T = 1..4 from ../shared (the generator
 *     below reproduces those files byte for byte, which is checked), and
 *     T = 5, 6 generated with the same construction (bench/crisis_gen.h);
 *   - every public Gambit lcp / lcp -P run that took Gambit more than 0.1 s.
 *
 * Each time is the best of several runs (at least 0.2 s of runs), including
 * the exact verification.  Usage: bench_lcp [SHARED_DIR [TMAX (6)]]
 */
#include "base/buf.h"
#include "crisis_gen.h"
#include "game/efg.h"
#include "game/eq_lcp.h"
#include "game/nfg.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static const struct casus_alloc heap = {casus_default_alloc, NULL};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = len >= 0 ? malloc((size_t)len + 1) : NULL;
    *n = b ? fread(b, 1, (size_t)len, f) : 0;
    if (b)
        b[*n] = '\0';
    fclose(f);
    return b;
}

/* ---- timing ------------------------------------------------------- */

struct run {
    double best; /* seconds, best of the repeats */
    casus_status st;
    struct casus_lcp_result res;
};

static void time_efg(const struct casus_gtree *g, bool spe, struct run *r)
{
    struct casus_lcp_ws ws;
    struct casus_lcp_opts o = CASUS_LCP_OPTS_INIT;
    o.spe = spe;
    casus_lcp_ws_init(&ws, &heap);
    r->best = 1e30;
    double spent = 0.0;
    for (int rep = 0; rep < 50 && (rep < 1 || spent < 0.2); rep++) {
        if (rep)
            casus_lcp_result_release(&r->res);
        casus_lcp_result_init(&r->res, &heap);
        double t0 = now();
        r->st = casus_eq_lcp(g, &o, &ws, NULL, &r->res);
        double dt = now() - t0;
        spent += dt;
        if (dt < r->best)
            r->best = dt;
        if (r->st != CASUS_OK)
            break;
    }
    casus_lcp_ws_release(&ws);
}

static void time_nfg(const struct casus_nfg *g, struct run *r)
{
    struct casus_lcp_ws ws;
    casus_lcp_ws_init(&ws, &heap);
    r->best = 1e30;
    double spent = 0.0;
    for (int rep = 0; rep < 200 && (rep < 1 || spent < 0.2); rep++) {
        if (rep)
            casus_lcp_result_release(&r->res);
        casus_lcp_result_init(&r->res, &heap);
        double t0 = now();
        r->st = casus_eq_lcp_nfg(g, NULL, &ws, NULL, &r->res);
        double dt = now() - t0;
        spent += dt;
        if (dt < r->best)
            r->best = dt;
        if (r->st != CASUS_OK)
            break;
    }
    casus_lcp_ws_release(&ws);
}

static void report(const char *name, const struct run *r, const char *gambit, double gsec,
                   bool timeout)
{
    if (r->st != CASUS_OK) {
        printf("  %-28s %s (outcome %d, LCP dimension %u)\n", name, casus_status_str(r->st),
               (int)r->res.outcome, r->res.max_dim);
        return;
    }
    printf("  %-28s %10.2f ms  dim %5u  %6llu pivots  %3u profile(s) verified", name, r->best * 1e3,
           r->res.max_dim, (unsigned long long)r->res.pivots, r->res.n);
    if (gambit) {
        if (timeout)
            printf("  Gambit %s: > %.0f s (timeout): > x%.0f", gambit, gsec, gsec / r->best);
        else if (gsec > 0)
            printf("  Gambit %s: %.3f s: x%.0f", gambit, gsec, gsec / r->best);
    }
    printf("\n");
}

/* Gambit's wall time and status for (file, tool) in an INDEX.tsv. */
static bool gambit_time(const char *index, const char *file, double *sec, bool *timeout)
{
    size_t n;
    char *t = slurp(index, &n);
    if (!t)
        return false;
    bool found = false;
    for (char *line = t; *line && !found;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        if (strncmp(line, file, strlen(file)) == 0 && line[strlen(file)] == '\t') {
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
            /* public INDEX: wall_s is column 9; synthetic: column 5 */
            bool synth = nf < 12;
            *sec = atof(f[synth ? 4 : 8]);
            *timeout = strstr(f[synth ? 3 : 7], "timeout") != NULL;
            found = true;
        }
        if (!nl)
            break;
        line = nl + 1;
    }
    free(t);
    return found;
}

int main(int argc, char **argv)
{
    const char *sh = argc > 1 ? argv[1] : "../shared";
    int tmax = argc > 2 ? atoi(argv[2]) : 6;
    setvbuf(stdout, NULL, _IOLBF, 0);
    char path[4096], idx[4096];
    printf("bench_lcp: sequence-form Lemke (.efg) and all-labels Lemke-Howson (.nfg), "
           "float pivots + exact GMP certificate\n");

    printf("synthetic crisis family (construction of reference/gambit/synthetic/README.md)\n");
    snprintf(idx, sizeof idx, "%s/reference/gambit/synthetic/INDEX.tsv", sh);
    for (int T = 1; T <= tmax; T++) {
        casus_buf b = CASUS_BUF_INIT;
        gen_crisis(T, &b);
        snprintf(path, sizeof path, "%s/reference/gambit/synthetic/crisis_T%d.efg", sh, T);
        size_t n;
        char *ref = slurp(path, &n);
        const char *same = "";
        if (ref)
            same = n == b.len && memcmp(ref, b.data, n) == 0 ? " (= ../shared file, byte for byte)"
                                                             : " (DIFFERS from ../shared file)";
        free(ref);
        struct casus_gtree *g = NULL;
        struct casus_diags d;
        casus_diags_init(&d, &heap);
        char name[64];
        snprintf(name, sizeof name, "crisis_T%d.efg", T);
        casus_status st = casus_efg_read(&heap, &d, name, b.data, b.len, NULL, &g);
        casus_diags_release(&d);
        casus_buf_release(&b);
        if (st != CASUS_OK) {
            printf("  %s: generated file does not load\n", name);
            continue;
        }
        printf(" T=%d: %u nodes, %u infosets%s\n", T, g->nnodes, g->niset, same);
        struct run r;
        time_efg(g, false, &r);
        char file[96];
        snprintf(file, sizeof file, "crisis_T%d.efg.lcp.out", T);
        double gs = 0;
        bool to = false;
        bool have = gambit_time(idx, file, &gs, &to);
        report(name, &r, have ? "lcp" : NULL, gs, to);
        casus_lcp_result_release(&r.res);
        casus_gtree_free(g);
    }

    printf("Gambit's games, every public lcp / lcp -P run over 0.1 s\n");
    snprintf(idx, sizeof idx, "%s/reference/gambit/INDEX.tsv", sh);
    size_t n;
    char *t = slurp(idx, &n);
    if (!t) {
        printf("  skipped: %s not found\n", idx);
        return 0;
    }
    for (char *line = t; *line;) {
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
        if (nf >= 9 && strcmp(f[2], "public") == 0 &&
            (strcmp(f[3], "lcp") == 0 || strcmp(f[3], "lcp-P") == 0) && atof(f[8]) > 0.1) {
            char *sp = strrchr(f[5], ' ');
            snprintf(path, sizeof path, "%s/data/gambit-games/%s", sh, sp ? sp + 1 : f[5]);
            size_t len;
            char *text = slurp(path, &len);
            struct casus_diags d;
            casus_diags_init(&d, &heap);
            struct run r;
            char label[96];
            snprintf(label, sizeof label, "%s %s", f[1], f[3]);
            if (text && strstr(path, ".nfg")) {
                struct casus_nfg *g = NULL;
                if (casus_nfg_read(&heap, &d, path, text, len, NULL, &g) == CASUS_OK) {
                    time_nfg(g, &r);
                    report(label, &r, f[3], atof(f[8]), strcmp(f[7], "ok") != 0);
                    casus_lcp_result_release(&r.res);
                    casus_nfg_free(g);
                }
            } else if (text) {
                struct casus_gtree *g = NULL;
                if (casus_efg_read(&heap, &d, path, text, len, NULL, &g) == CASUS_OK) {
                    time_efg(g, strcmp(f[3], "lcp-P") == 0, &r);
                    report(label, &r, f[3], atof(f[8]), strcmp(f[7], "ok") != 0);
                    casus_lcp_result_release(&r.res);
                    casus_gtree_free(g);
                }
            }
            casus_diags_release(&d);
            free(text);
        }
        if (!nl)
            break;
        line = nl + 1;
    }
    free(t);
    return 0;
}
