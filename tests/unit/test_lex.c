/*
 * test_lex.c — the lexer (src/lang/lex.c) and date literals: tokens,
 * spans, kebab-case identifiers, calendar dates, and bad input.
 */
#include "harness.h"

#include "casus/casus.h"
#include "base/diag.h"
#include "lang/lex.h"

static void test_dates(void)
{
    casus_date d;
    CHECK_INT(casus_date_parse("1970-01-01", 10, &d), CASUS_OK);
    CHECK_INT(d, 0);
    CHECK_INT(casus_date_parse("2024-05-20", 10, &d), CASUS_OK);
    CHECK_INT(d, 19863);
    CHECK_INT(casus_date_parse("2024-02-29", 10, &d), CASUS_OK);
    CHECK_INT(casus_date_parse("2023-02-29", 10, &d), CASUS_EINVAL);
    CHECK_INT(casus_date_parse("1900-02-29", 10, &d), CASUS_EINVAL);
    CHECK_INT(casus_date_parse("2000-02-29", 10, &d), CASUS_OK);
    CHECK_INT(casus_date_parse("2024-13-01", 10, &d), CASUS_EINVAL);
    CHECK_INT(casus_date_parse("2024-1-01", 9, &d), CASUS_EINVAL);
    CHECK_INT(casus_date_parse("0999-01-01", 10, &d), CASUS_EINVAL);
    CHECK_INT(casus_date_parse("2024-05-2x", 10, &d), CASUS_EINVAL);
    /* round trip over a long span */
    for (casus_date k = -200000; k < 200000; k += 37) {
        char buf[11];
        casus_date back;
        casus_date_format(k, buf);
        CHECK_INT(casus_date_parse(buf, 10, &back), CASUS_OK);
        CHECK_INT(back, k);
        if (back != k)
            break;
    }
}

/* Lex a string; return the kinds in kinds[], count in *n. */
static void lex_all(const char *text, enum casus_tok *kinds, int *n, size_t *errors)
{
    struct casus_alloc a = {casus_default_alloc, NULL};
    struct casus_diags d;
    casus_diags_init(&d, &a);
    uint32_t src;
    casus_diags_add_source(&d, "t", text, strlen(text), &src);
    struct casus_lexer lx;
    casus_lex_init(&lx, &d, src);
    *n = 0;
    for (;;) {
        struct casus_token t = casus_lex_next(&lx);
        kinds[(*n)++] = t.kind;
        if (t.kind == CASUS_TOK_EOF || *n == 63)
            break;
    }
    *errors = d.nerrors;
    casus_diags_release(&d);
}

static void test_lexer(void)
{
    enum casus_tok k[64];
    int n;
    size_t errors;
    lex_all("north-atlantic lat - 1 lat-1 1949-04-04 23.4333 2e-3 \"a\\\"b\" == != <= >= ..", k, &n,
            &errors);
    CHECK_INT(errors, 0);
    enum casus_tok want[] = {CASUS_TOK_IDENT,  CASUS_TOK_IDENT,  CASUS_TOK_MINUS,  CASUS_TOK_NUMBER,
                             CASUS_TOK_IDENT,  CASUS_TOK_DATE,   CASUS_TOK_NUMBER, CASUS_TOK_NUMBER,
                             CASUS_TOK_STRING, CASUS_TOK_EQ,     CASUS_TOK_NE,     CASUS_TOK_LE,
                             CASUS_TOK_GE,     CASUS_TOK_DOTDOT, CASUS_TOK_EOF};
    CHECK_INT(n, (int)(sizeof want / sizeof want[0]));
    for (int i = 0; i < n && i < (int)(sizeof want / sizeof want[0]); i++)
        CHECK_INT(k[i], want[i]);
    lex_all("# comment only\n", k, &n, &errors);
    CHECK_INT(n, 1);
    CHECK_INT(errors, 0);
    lex_all("\"unterminated\nx", k, &n, &errors);
    CHECK_INT(errors, 1);
    lex_all("a ! b @ \xc3\xa9 12abc \"bad \\q\"", k, &n, &errors);
    CHECK_INT(errors, 5);
}

int main(void)
{
    RUN(test_dates);
    RUN(test_lexer);
    return harness_done("lex");
}
