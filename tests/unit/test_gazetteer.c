/*
 * test_gazetteer.c — the place-name gazetteer (src/geo/gazetteer.c): name
 * normalisation (case, accents, punctuation), lookup by name and alias,
 * suggestions for unknown names, and diagnostics with spans for malformed
 * CSV rows.  Loads without geography; test_geo.c checks the shipped list
 * against the polygons.
 */
#include "harness.h"

#include "base/diag.h"
#include "geo/gazetteer.h"

static struct casus_alloc test_alloc = {casus_default_alloc, NULL};

static const char csv[] =
    "name,aliases,lat,lon,sovereign,unit,note,source\n"
    "Kyiv,Kiev|Kyyiv,50.4501,30.5234,UKR,,,t\n"
    "Rzeszów,Rzeszow,50.0412,21.9991,POL,,,t\n"
    "Saint-Denis (Réunion),Saint-Denis,-20.8789,55.4481,FRA,REU,\"not Saint-Denis, Paris\",t\n"
    "Tórshavn,Torshavn,62.0107,-6.7741,DNK,FRO,,t\n"
    "Constanța,,44.1598,28.6348,ROU,,,t\n";

struct loaded {
    struct casus_diags d;
    struct casus_gazetteer *gz;
    casus_status st;
    uint32_t src;
};

static void load(struct loaded *L, const char *text, size_t len)
{
    casus_diags_init(&L->d, &test_alloc);
    L->gz = NULL;
    L->st = casus_diags_add_source(&L->d, "test.csv", text, len, &L->src);
    if (L->st == CASUS_OK)
        L->st = casus_gazetteer_load(&L->gz, &test_alloc, &L->d, L->src, NULL);
}

static void unload(struct loaded *L)
{
    casus_gazetteer_free(L->gz);
    casus_diags_release(&L->d);
}

static const char *find(const struct loaded *L, const char *name)
{
    const struct casus_place *p = L->gz ? casus_gazetteer_find(L->gz, name, strlen(name)) : NULL;
    return p ? p->name : NULL;
}

static void test_normalize(void)
{
    char a[64], b[64];
    casus_name_normalize("Rzeszów", strlen("Rzeszów"), a, sizeof a);
    casus_name_normalize("RZESZOW", 7, b, sizeof b);
    CHECK_STREQ(a, b);
    casus_name_normalize("saint denis", 11, a, sizeof a);
    casus_name_normalize("Saint-Denis", 11, b, sizeof b);
    CHECK_STREQ(a, b);
    casus_name_normalize("Constanța", strlen("Constanța"), a, sizeof a);
    CHECK_STREQ(a, "constanta");
    casus_name_normalize("Hagåtña", strlen("Hagåtña"), a, sizeof a);
    CHECK_STREQ(a, "hagatna");
    /* truncation keeps the NUL */
    size_t n = casus_name_normalize("abcdefgh", 8, a, 4);
    CHECK(n <= 3 && a[n] == '\0');
}

static void test_find(void)
{
    struct loaded L;
    load(&L, csv, sizeof csv - 1);
    CHECK_INT(L.st, CASUS_OK);
    CHECK_INT(casus_gazetteer_count(L.gz), 5);
    CHECK_STREQ(find(&L, "Kiev"), "Kyiv");
    CHECK_STREQ(find(&L, "KYIV"), "Kyiv");
    CHECK_STREQ(find(&L, "Rzeszow"), "Rzeszów");
    CHECK_STREQ(find(&L, "saint denis"), "Saint-Denis (Réunion)");
    CHECK_STREQ(find(&L, "Torshavn"), "Tórshavn");
    CHECK_STREQ(find(&L, "Constanta"), "Constanța");
    CHECK(find(&L, "Atlantis") == NULL);
    CHECK(find(&L, "") == NULL);
    const struct casus_place *p = casus_gazetteer_find(L.gz, "Kyiv", 4);
    CHECK(p && fabs(p->lat - 50.4501) < 1e-9 && fabs(p->lon - 30.5234) < 1e-9);
    CHECK_STREQ(p ? p->sovereign : NULL, "UKR");
    p = casus_gazetteer_find(L.gz, "Saint-Denis", 11);
    CHECK_STREQ(p ? p->unit : NULL, "REU");
    CHECK_STREQ(p ? p->note : NULL, "not Saint-Denis, Paris");
    CHECK(casus_gazetteer_at(L.gz, 5) == NULL);
    unload(&L);
}

static void test_suggest(void)
{
    struct loaded L;
    load(&L, csv, sizeof csv - 1);
    const char *s = casus_gazetteer_suggest(L.gz, "Kyv", 3);
    CHECK_STREQ(s, "Kyiv");
    s = casus_gazetteer_suggest(L.gz, "Rzeszuw", 7);
    CHECK_STREQ(s, "Rzeszów");
    CHECK(casus_gazetteer_suggest(L.gz, "Washington", 10) == NULL);
    unload(&L);
}

/* Every malformed row gets a "gazetteer-row" error whose span lies in the
 * text and covers the offending field. */
static void test_bad_rows(void)
{
    static const char bad[] = "name,aliases,lat,lon,sovereign,unit,note,source\n"
                              "Kyiv,,50.45,30.52,UKR,,,t\n"
                              "Nowhere,,91,0,XXX,,,t\n"
                              "Elsewhere,,0,east,XXX,,,t\n"
                              "Short,1,2\n"
                              ",,0,0,XXX,,,t\n"
                              "\"Open,,0,0,XXX,,,t\n";
    struct loaded L;
    load(&L, bad, sizeof bad - 1);
    CHECK_INT(L.st, CASUS_ECOMPILE);
    CHECK(L.d.nerrors >= 5);
    for (size_t i = 0; i < L.d.n; i++) {
        const struct casus_diag *g = &L.d.items[i];
        CHECK_STREQ(g->code, "gazetteer-row");
        CHECK(g->has_span);
        CHECK(g->span.src == L.src && g->span.start <= g->span.end && g->span.end <= sizeof bad);
    }
    /* the latitude error points at "91" */
    bool found = false;
    for (size_t i = 0; i < L.d.n; i++) {
        const struct casus_span *sp = &L.d.items[i].span;
        if (sp->end - sp->start == 2 && memcmp(bad + sp->start, "91", 2) == 0)
            found = true;
    }
    CHECK(found);
    unload(&L);
}

static void test_duplicate(void)
{
    static const char dup[] = "name,aliases,lat,lon,sovereign,unit,note,source\n"
                              "Rzeszów,,50.0412,21.9991,POL,,,t\n"
                              "rzeszow,,1,1,POL,,,t\n";
    struct loaded L;
    load(&L, dup, sizeof dup - 1);
    CHECK(L.d.nerrors >= 1);
    unload(&L);
}

/* Arbitrary bytes: no crash, no leak (run under ASan). */
static void test_garbage(void)
{
    unsigned seed = 7;
    char buf[512];
    for (int round = 0; round < 300; round++) {
        size_t n = (size_t)(round % 97) * 5;
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            static const char alphabet[] = "ab,\"\n\r|.-09é\xff\xc3";
            buf[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
        }
        if (round % 3 == 0 && n > 50)
            memcpy(buf, "name,aliases,lat,lon,sovereign,unit,note,source\n", 49);
        struct loaded L;
        load(&L, buf, n);
        CHECK(L.st == CASUS_OK || L.st == CASUS_ECOMPILE);
        unload(&L);
    }
}

int main(void)
{
    RUN(test_normalize);
    RUN(test_find);
    RUN(test_suggest);
    RUN(test_bad_rows);
    RUN(test_duplicate);
    RUN(test_garbage);
    return harness_done("gazetteer");
}
