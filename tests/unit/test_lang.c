/*
 * test_lang.c — unit tests of the language front end: dates, the lexer, the
 * parser's recovery and limits, the checker's diagnostics, and the rendered
 * caret format.  Uses internal headers: these are white-box tests.
 */
#include "harness.h"

#include "casus/casus.h"
#include "base/diag.h"
#include "lang/lex.h"
#include "lang/parse.h"

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

/* Compile text in a fresh engine with the shipped data; return status and
 * the rendered diagnostics in *out (caller frees). */
static casus_status compile(const char *text, casus_buf *out)
{
    casus_engine *e = NULL;
    CHECK_INT(casus_engine_new(&e, NULL, NULL), CASUS_OK);
    CHECK_INT(casus_engine_load_builtin(e), CASUS_OK);
    casus_status st = casus_engine_load_source(e, "x.casus", text, strlen(text));
    casus_engine_render_diagnostics(e, out);
    casus_engine_free(e);
    return st;
}

static void expect_error(const char *text, const char *needle)
{
    casus_buf b = CASUS_BUF_INIT;
    casus_status st = compile(text, &b);
    CHECK(st == CASUS_ECOMPILE);
    if (!b.data || !strstr(b.data, needle)) {
        printf("  expected diagnostic containing \"%s\", got:\n%s\n", needle,
               b.data ? b.data : "(nothing)");
        harness_cur_failed++;
    }
    casus_buf_release(&b);
}

#define TREATY_HEAD                                                                                \
    "source s { title \"t\" }\n"                                                                   \
    "treaty t \"T\" { signed 2000-01-01 cite s parties { USA from 2000-01-01 }\n"

static void test_parser_errors(void)
{
    expect_error("treaty", "x.casus:1:7: error: expected a treaty id, found end of file");
    expect_error("bogus x", "expected a declaration, found 'bogus'");
    expect_error(TREATY_HEAD "  colour red }", "unknown field 'colour' in treaty");
    expect_error(TREATY_HEAD "  signed 2001-01-01 }", "'signed' given twice");
    expect_error(TREATY_HEAD "  scope a { covered x when object = territory otherwise o } }",
                 "'=' in a condition");
    expect_error("source s { date 2024-02-30 }", "'2024-02-30' is not a calendar date");
    /* recovery: two independent errors are both reported */
    casus_buf b = CASUS_BUF_INIT;
    compile("bogus one\nsource s { title \"t\" colour 1 }\nactor ZZZ \"Z\"\nbogus two", &b);
    CHECK(b.data && strstr(b.data, "'bogus'") && strstr(b.data, "'colour'"));
    casus_buf_release(&b);
}

/* Every syntax error path: input -> the diagnostic it must produce. */
static void test_syntax_table(void)
{
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"source s { title 5 }", "expected a string, found '5'"},
        {"source s { date \"x\" }", "expected a date (YYYY-MM-DD), found '\"x\"'"},
        {"source s { title \"a\" title \"b\" }", "'title' given twice in source"},
        {"source s { 5 }", "expected a field name or '}', found '5'"},
        {"source s { title \"a\"", "expected '}', found end of file"},
        {"source s title", "expected '{', found 'title'"},
        {"actor USA", "expected a string, found end of file"},
        {"let x = ", "expected an expression, found end of file"},
        {"let x = (1", "expected ')', found end of file"},
        {"let x = [1, 2", "expected ']', found end of file"},
        {"let x = a not b", "expected 'in' after 'not', found 'b'"},
        {"let x 1", "expected '=', found '1'"},
        {"sovereignty X { USA from 2000-01-01 from 2001-01-01 }", "'from' given twice"},
        {"sovereignty X { 5 }", "expected an actor code, found '5'"},
        {"treaty t { parties { USA } parties { CAN } }", "'parties' given twice in treaty"},
        {"treaty t { council c { members [USA, 5] } }", "expected a member code, found '5'"},
        {"treaty t { council c { members USA } }", "expected '[', found 'USA'"},
        {"treaty t { scope s { covered x object } }", "expected 'when' and a condition"},
        {"treaty t { scope s { otherwise a otherwise b } }", "has two 'otherwise' rules"},
        {"treaty t { clause c { article 5 } }", "expected a string, found '5'"},
        {"treaty t { scope s { covered x when date < 2024-13-01 otherwise o } }",
         "'2024-13-01' is not a calendar date"},
        {"ladder l { rung x a }", "expected a whole number, found 'x'"},
        {"ladder l { rung 1.5 a }", "expected a whole number from 0 to 1000000"},
        {"ladder l { rung 1 a threshold t 1 }", "expected 'after' and the rung number"},
        {"scenario s { param p 1 }", "expected '=', found '1'"},
        {"scenario s { policy p { set x 1 } }", "expected '=', found '1'"},
        {"scenario s { policy p { colour 1 } }", "unknown field 'colour' in policy"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_error(cases[i].text, cases[i].want);
}

/* Literals, lists longer than the parser's first buffer, 'not in'. */
static void test_expressions(void)
{
    casus_buf b = CASUS_BUF_INIT;
    CHECK_INT(compile("let a = date < 2024-01-01 and sea != \"Black Sea\"\n"
                      "let b = victim not in [USA, CAN] or -lat * 2 / 4 + 1 - 1 > 0\n"
                      "let c = unit in [A1, A2, A3, A4, A5, A6, A7, A8, A9, B1, B2, B3, B4, B5, "
                      "B6, B7, B8, B9, C1, C2]\n",
                      &b),
              CASUS_OK);
    casus_buf_release(&b);
    /* more than 4096 list items is an error, not a crash */
    size_t n = 5000;
    char *text = malloc(n * 4 + 64);
    size_t k = (size_t)snprintf(text, 64, "let x = unit in [");
    for (size_t i = 0; i < n; i++)
        k += (size_t)snprintf(text + k, 8, "%sU", i ? "," : "");
    text[k++] = ']';
    text[k] = '\0';
    b = (casus_buf)CASUS_BUF_INIT;
    CHECK(compile(text, &b) == CASUS_ECOMPILE);
    CHECK(b.data && strstr(b.data, "too many list items"));
    casus_buf_release(&b);
    free(text);
}

static void test_depth_limit(void)
{
    /* 10,000 nested parentheses: an error, not a stack overflow */
    size_t n = 10000;
    char *text = malloc(n * 2 + 200);
    size_t k = (size_t)snprintf(text, 200, "let x = ");
    for (size_t i = 0; i < n; i++)
        text[k++] = '(';
    text[k++] = '1';
    for (size_t i = 0; i < n; i++)
        text[k++] = ')';
    text[k] = '\0';
    casus_buf b = CASUS_BUF_INIT;
    CHECK(compile(text, &b) == CASUS_ECOMPILE);
    CHECK(b.data && strstr(b.data, "nested too deeply"));
    casus_buf_release(&b);
    free(text);
}

static void test_checker_errors(void)
{
    expect_error(TREATY_HEAD "  scope a { covered x when region == europa otherwise o } }",
                 "did you mean 'europe'?");
    expect_error(TREATY_HEAD "  scope a { covered x when victim == USAA otherwise o } }",
                 "unknown actor 'USAA'");
    expect_error(TREATY_HEAD "  scope a { covered x when lat-1 > 0 otherwise o } }",
                 "write 'lat - 1' to subtract");
    expect_error(TREATY_HEAD "  scope a { covered x when date > 5 otherwise o } }",
                 "cannot compare a date with a number");
    expect_error(TREATY_HEAD "  scope a { covered x when object == territory } }",
                 "has no 'otherwise' rule");
    expect_error(TREATY_HEAD "  scope a { contested x when object == territory otherwise o } }",
                 "must say why in a 'note'");
    expect_error(TREATY_HEAD "  let p = q\n let q = p and true }", "defined in terms of itself");
    expect_error(TREATY_HEAD
                 "  clause c { article \"1\" trigger t obligation strong quote \"q\" } }",
                 "unknown obligation 'strong'");
    expect_error(TREATY_HEAD
                 "  clause c { article \"1\" trigger t obligation automatic quote \"q\" "
                 "scope nowhere } }",
                 "no scope 'nowhere'");
    expect_error(TREATY_HEAD "  clause c { article \"1\" obligation automatic } }",
                 "does not quote its text");
    expect_error(TREATY_HEAD "}\n" TREATY_HEAD "}", "treaty 't' is declared twice");
    expect_error("actor USA \"again\"", "actor 'USA' is declared twice");
    expect_error(TREATY_HEAD "  scope a { covered x when party(1) otherwise o } }",
                 "party() needs a actor");
    expect_error("let z = party(USA)", "only meaningful inside a treaty");
    expect_error(TREATY_HEAD "  scope a { covered x when basin == atlantic otherwise o } }",
                 "unknown basin 'atlantic'");
}

static void test_checker_table(void)
{
#define SC(cond) TREATY_HEAD "  scope a { covered x when " cond " otherwise o } }"
    static const struct {
        const char *text, *want;
    } cases[] = {
        {SC("region in europe"), "'in' needs a list such as [europe, north_america]"},
        {SC("region in [lat]"), "list items after 'in' must be constants"},
        {SC("lat in [1, europe]"), "unknown name 'europe' (a number is expected here)"},
        {SC("lat in [1, \"x\"]"), "this list holds numbers, but this item is a string"},
        {SC("lat and true"), "'and' needs a condition, but this is a number"},
        {SC("not lat"), "'not' needs a condition, but this is a number"},
        {SC("-region == 1"), "'-' needs a number, but this is a region"},
        {SC("lat + region > 1"), "arithmetic needs a number, but this is a region"},
        {SC("lat"), "a condition must be true or false, but this is a number"},
        {SC("[1] == lat"), "a list can only follow 'in'"},
        {SC("region < europe"), "compare numbers or dates, not regions"},
        {SC("party(USA, CAN)"), "party() takes one actor, got 2"},
        {SC("partyy(USA)"), "unknown function 'partyy'"},
        {SC("object == tank"), "unknown object 'tank'"},
        {SC("attribution == sure"), "unknown attribution 'sure'"},
        {SC("foo == bar"), "unknown name 'foo'"},
        {SC("regoin == europe"), "did you mean 'region'?"},
        {TREATY_HEAD "  council c { title \"C\" } }", "council 'c' has no decision 'rule'"},
        {TREATY_HEAD "  council c { rule consensus members [USA, XXX] } }", "unknown actor 'XXX'"},
        {TREATY_HEAD "  council c { rule plurality } }", "unknown council rule 'plurality'"},
        {TREATY_HEAD "  clause k { article \"1\" trigger t obligation automatic quote \"q\" "
                     "decided-by council } }",
         "is decided by a council but names none"},
        {TREATY_HEAD "  clause k { article \"1\" trigger t obligation automatic quote \"q\" "
                     "council nope } }",
         "no council 'nope' in treaty 't'"},
        {TREATY_HEAD "  clause k { article \"1\" trigger t obligation automatic quote \"q\" } "
                     "clause j { article \"2\" trigger t quote \"q\" } }",
         "clause 'j' has no 'obligation'"},
        {TREATY_HEAD "  clause k { article \"1\" obligation automatic quote \"q\" } }",
         "clause 'k' has no 'trigger'"},
        {TREATY_HEAD "  let lat = 1 }", "'lat' is an incident attribute"},
        {TREATY_HEAD "  let q = 1\n let q = 2 }", "'q' is defined twice"},
        {"source s { title \"t\" }\ntreaty t { signed 2000-01-01 cite s parties { USA from "
         "2000-01-01 until 2010-01-01 USA from 2005-01-01 } }",
         "party 'USA' has overlapping periods"},
        {"source s { title \"t\" }\ntreaty t { signed 2000-01-01 parties { USA } }",
         "cites no source for its text"},
        {"source s { title \"t\" }\ntreaty t { cite s }", "treaty 't' has no parties"},
        {"source s { }", "source 's' has no title"},
        {"source nat-1949 { title \"again\" }", "source 'nat-1949' is declared twice"},
        {"sovereignty DZA { FRA }", "sovereignty of 'DZA' is declared twice"},
        {"sovereignty ZZ1 { FRA } sovereignty ZZ1 { FRA }",
         "sovereignty of 'ZZ1' is declared twice"},
        {"sovereignty ZZ2 { FRA cite nosuch }", "unknown source 'nosuch'"},
        {TREATY_HEAD "  scope a { covered x when true covered x when true otherwise o } }",
         "reason 'x' is used twice in scope 'a'"},
        {TREATY_HEAD "  scope a { otherwise o } scope a { otherwise o } }",
         "scope 'a' is defined twice"},
    };
#undef SC
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_error(cases[i].text, cases[i].want);
}

static void test_caret_rendering(void)
{
    casus_buf b = CASUS_BUF_INIT;
    compile("\n\tlet x = region == eurpe\n", &b);
    CHECK(b.data != NULL);
    const char *want = "x.casus:2:20: error: unknown region 'eurpe'\n"
                       "    2 | \tlet x = region == eurpe\n"
                       "      | \t                  ^~~~~\n"
                       "note: did you mean 'europe'?\n";
    CHECK_STREQ(b.data, want);
    casus_buf_release(&b);
    /* columns count UTF-8 code points */
    b = (casus_buf)CASUS_BUF_INIT;
    compile("source s { title \"Rzeszów\" } bogus", &b);
    CHECK(b.data && strstr(b.data, "x.casus:1:30:"));
    casus_buf_release(&b);
}

static void test_failed_file_changes_nothing(void)
{
    casus_engine *e = NULL;
    CHECK_INT(casus_engine_new(&e, NULL, NULL), CASUS_OK);
    CHECK_INT(casus_engine_load_builtin(e), CASUS_OK);
    size_t before = casus_engine_treaty_count(e);
    const char *bad = "source s2 { title \"t\" }\n"
                      "treaty good \"G\" { signed 2000-01-01 cite s2 parties { USA } }\n"
                      "treaty bad \"B\" { signed 2000-01-01 cite nowhere parties { USA } }\n";
    CHECK_INT(casus_engine_load_source(e, "b.casus", bad, strlen(bad)), CASUS_ECOMPILE);
    CHECK_INT(casus_engine_treaty_count(e), before);
    casus_engine_clear_diagnostics(e);
    /* the same names are free to use afterwards */
    const char *good = "source s2 { title \"t\" }\n"
                       "treaty good \"G\" { signed 2000-01-01 cite s2 parties { USA } }\n";
    CHECK_INT(casus_engine_load_source(e, "g.casus", good, strlen(good)), CASUS_OK);
    CHECK_INT(casus_engine_treaty_count(e), before + 1);
    casus_engine_free(e);
}

static void test_diagnostics_json(void)
{
    casus_engine *e = NULL;
    CHECK_INT(casus_engine_new(&e, NULL, NULL), CASUS_OK);
    CHECK_INT(casus_engine_load_builtin(e), CASUS_OK);
    CHECK_INT(casus_engine_load_source(e, "j.casus", "bogus", 5), CASUS_ECOMPILE);
    casus_buf b = CASUS_BUF_INIT;
    casus_engine_diagnostics_json(e, &b);
    CHECK_STREQ(
        b.data,
        "[{\"file\":\"j.casus\",\"line\":1,\"col\":1,\"end_line\":1,\"end_col\":6,"
        "\"severity\":\"error\",\"code\":\"syntax\",\"message\":\"expected a "
        "declaration, found 'bogus'\",\"notes\":[\"a file holds treaty, scenario, ladder, source, "
        "actor, sovereignty and let declarations\"]}]");
    casus_buf_release(&b);
    casus_engine_free(e);
}

int main(void)
{
    RUN(test_dates);
    RUN(test_lexer);
    RUN(test_parser_errors);
    RUN(test_syntax_table);
    RUN(test_expressions);
    RUN(test_depth_limit);
    RUN(test_checker_errors);
    RUN(test_checker_table);
    RUN(test_caret_rendering);
    RUN(test_failed_file_changes_nothing);
    RUN(test_diagnostics_json);
    return harness_done("lang");
}
