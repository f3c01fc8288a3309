/*
 * test_parse.c — the parser (src/lang/parse.c) through the loader: every
 * syntax error path and its message, recovery after an error, long lists,
 * and the nesting limit.
 */
#include "harness.h"

#include "casus/casus.h"

#define TREATY_HEAD                                                                                \
    "source s { title \"t\" }\n"                                                                   \
    "treaty t \"T\" { signed 2000-01-01 cite s parties { USA from 2000-01-01 }\n"

static void test_parser_errors(void)
{
    harness_expect_error("treaty", "x.casus:1:7: error: expected a treaty id, found end of file");
    harness_expect_error("bogus x", "expected a declaration, found 'bogus'");
    harness_expect_error(TREATY_HEAD "  colour red }", "unknown field 'colour' in treaty");
    harness_expect_error(TREATY_HEAD "  signed 2001-01-01 }", "'signed' given twice");
    harness_expect_error(TREATY_HEAD
                         "  scope a { covered x when object = territory otherwise o } }",
                         "'=' in a condition");
    harness_expect_error("source s { date 2024-02-30 }", "'2024-02-30' is not a calendar date");
    /* recovery: two independent errors are both reported */
    casus_buf b = CASUS_BUF_INIT;
    harness_compile("bogus one\nsource s { title \"t\" colour 1 }\nactor ZZZ \"Z\"\nbogus two", &b);
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
        harness_expect_error(cases[i].text, cases[i].want);
}

/* Literals, lists longer than the parser's first buffer, 'not in'. */
static void test_expressions(void)
{
    casus_buf b = CASUS_BUF_INIT;
    CHECK_INT(
        harness_compile("let a = date < 2024-01-01 and sea != \"Black Sea\"\n"
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
    CHECK(harness_compile(text, &b) == CASUS_ECOMPILE);
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
    CHECK(harness_compile(text, &b) == CASUS_ECOMPILE);
    CHECK(b.data && strstr(b.data, "nested too deeply"));
    casus_buf_release(&b);
    free(text);
}

int main(void)
{
    RUN(test_parser_errors);
    RUN(test_syntax_table);
    RUN(test_expressions);
    RUN(test_depth_limit);
    return harness_done("parse");
}
