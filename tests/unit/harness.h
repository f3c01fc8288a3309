/*
 * harness.h — the tiny unit-test harness (after Redis testhelp.h).
 *
 *   static void test_thing(void) { CHECK(1 + 1 == 2); CHECK_STREQ(s, "x"); }
 *   int main(void) { RUN(test_thing); return harness_done("arena"); }
 *
 * Each test prints "ok NAME" or "FAIL NAME" with the failing checks; the
 * binary ends with "NAME: N passed, N failed" and exits 1 if any failed.
 * SKIP("why") ends a test early and counts it as skipped.
 * tests/run.sh adds the counts of every binary up.
 */
#ifndef CASUS_TEST_HARNESS_H
#define CASUS_TEST_HARNESS_H

#include "casus/casus.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int harness_passed, harness_failed, harness_skipped;
static int harness_cur_failed;
static const char *harness_skip_reason;

#define CHECK(c)                                                                                   \
    do {                                                                                           \
        if (!(c)) {                                                                                \
            printf("  %s:%d: check failed: %s\n", __FILE__, __LINE__, #c);                         \
            harness_cur_failed++;                                                                  \
        }                                                                                          \
    } while (0)

#define CHECK_INT(a, b)                                                                            \
    do {                                                                                           \
        long long ha_ = (long long)(a), hb_ = (long long)(b);                                      \
        if (ha_ != hb_) {                                                                          \
            printf("  %s:%d: %s == %lld, expected %s == %lld\n", __FILE__, __LINE__, #a, ha_, #b,  \
                   hb_);                                                                           \
            harness_cur_failed++;                                                                  \
        }                                                                                          \
    } while (0)

#define CHECK_STREQ(a, b)                                                                          \
    do {                                                                                           \
        const char *ha_ = (a), *hb_ = (b);                                                         \
        if (!ha_ || !hb_ || strcmp(ha_, hb_) != 0) {                                               \
            printf("  %s:%d: %s is \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #a,             \
                   ha_ ? ha_ : "(null)", hb_ ? hb_ : "(null)");                                    \
            harness_cur_failed++;                                                                  \
        }                                                                                          \
    } while (0)

#define CHECK_NEAR(a, b, tol)                                                                      \
    do {                                                                                           \
        double ha_ = (a), hb_ = (b);                                                               \
        if (!(fabs(ha_ - hb_) <= (tol))) {                                                         \
            printf("  %s:%d: %s == %.17g, expected %.17g within %g\n", __FILE__, __LINE__, #a,     \
                   ha_, hb_, (double)(tol));                                                       \
            harness_cur_failed++;                                                                  \
        }                                                                                          \
    } while (0)

#define SKIP(why)                                                                                  \
    do {                                                                                           \
        harness_skip_reason = (why);                                                               \
        return;                                                                                    \
    } while (0)

#define RUN(fn) harness_run(#fn, fn)

static inline void harness_run(const char *name, void (*fn)(void))
{
    harness_cur_failed = 0;
    harness_skip_reason = NULL;
    fn();
    if (harness_cur_failed) {
        printf("FAIL %s\n", name);
        harness_failed++;
    } else if (harness_skip_reason) {
        printf("skip %s: %s\n", name, harness_skip_reason);
        harness_skipped++;
    } else {
        printf("ok %s\n", name);
        harness_passed++;
    }
    fflush(stdout);
}

static inline int harness_done(const char *suite)
{
    printf("%s: %d passed, %d failed, %d skipped\n", suite, harness_passed, harness_failed,
           harness_skipped);
    return harness_failed ? 1 : 0;
}

/* The whole file at path, NUL-terminated (caller frees), its length in *n;
 * NULL when it cannot be read. */
static inline char *harness_slurp(const char *path, size_t *n)
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

/* An allocator hook (casus_alloc_fn) for out-of-memory tests: the
 * harness_fail_at-th allocation fails (0: none), harness_nallocs counts
 * them, harness_live tracks outstanding bytes so a test can check for leaks. */
static int harness_fail_at, harness_nallocs;
static long harness_live;
static inline void *harness_counting_alloc(void *ud, void *p, size_t os, size_t ns)
{
    (void)ud;
    if (ns == 0) {
        harness_live -= (long)os;
        free(p);
        return NULL;
    }
    if (++harness_nallocs == harness_fail_at)
        return NULL;
    harness_live += (long)ns - (long)os;
    return realloc(p, ns);
}

/* Path of ../shared relative to the repository root, or NULL when absent
 * (CASUS_SHARED overrides).  Tests that need it SKIP when NULL. */
static inline const char *harness_shared_dir(void)
{
    const char *env = getenv("CASUS_SHARED");
    const char *dir = env && *env ? env : "../shared";
    FILE *f;
    char probe[4096];
    snprintf(probe, sizeof probe, "%s/DESIGN.md", dir);
    f = fopen(probe, "r");
    if (!f)
        return NULL;
    fclose(f);
    return dir;
}

/* A new engine, with the shipped data when builtin is set, and then the
 * casus source `text` (when not NULL) loaded as "t.casus".  *st (optional)
 * receives the source's load status; diagnostics of a failed load are
 * printed.  NULL only when out of memory. */
static inline casus_engine *harness_engine(bool builtin, const char *text, casus_status *st)
{
    casus_engine *e = NULL;
    if (st)
        *st = CASUS_ENOMEM;
    if (casus_engine_new(&e, NULL, NULL) != CASUS_OK)
        return NULL;
    casus_status s = CASUS_OK;
    if (builtin)
        s = casus_engine_load_builtin(e);
    if (s == CASUS_OK && text)
        s = casus_engine_load_source(e, "t.casus", text, strlen(text));
    if (s != CASUS_OK) {
        casus_buf b = CASUS_BUF_INIT;
        casus_engine_render_diagnostics(e, &b);
        printf("%s", b.data ? b.data : "");
        casus_buf_release(&b);
    }
    if (st)
        *st = s;
    return e;
}

/* Compile text in a fresh engine with the shipped data; return status and
 * the rendered diagnostics in *out (caller frees). */
static inline casus_status harness_compile(const char *text, casus_buf *out)
{
    casus_engine *e = NULL;
    CHECK_INT(casus_engine_new(&e, NULL, NULL), CASUS_OK);
    CHECK_INT(casus_engine_load_builtin(e), CASUS_OK);
    casus_status st = casus_engine_load_source(e, "x.casus", text, strlen(text));
    casus_engine_render_diagnostics(e, out);
    casus_engine_free(e);
    return st;
}

static inline void harness_expect_error(const char *text, const char *needle)
{
    casus_buf b = CASUS_BUF_INIT;
    casus_status st = harness_compile(text, &b);
    CHECK(st == CASUS_ECOMPILE);
    if (!b.data || !strstr(b.data, needle)) {
        printf("  expected diagnostic containing \"%s\", got:\n%s\n", needle,
               b.data ? b.data : "(nothing)");
        harness_cur_failed++;
    }
    casus_buf_release(&b);
}

#endif
