/*
 * test_diag.c — diagnostics (src/base/diag.c): the caret rendering
 * (`file:line:col`, the source line, the underline; columns in code
 * points) and the JSON form.
 */
#include "harness.h"

#include "casus/casus.h"
#include "base/diag.h"

static void test_caret_rendering(void)
{
    casus_buf b = CASUS_BUF_INIT;
    harness_compile("\n\tlet x = region == eurpe\n", &b);
    CHECK(b.data != NULL);
    const char *want = "x.casus:2:20: error: unknown region 'eurpe'\n"
                       "    2 | \tlet x = region == eurpe\n"
                       "      | \t                  ^~~~~\n"
                       "note: did you mean 'europe'?\n";
    CHECK_STREQ(b.data, want);
    casus_buf_release(&b);
    /* columns count UTF-8 code points */
    b = (casus_buf)CASUS_BUF_INIT;
    harness_compile("source s { title \"Rzeszów\" } bogus", &b);
    CHECK(b.data && strstr(b.data, "x.casus:1:30:"));
    casus_buf_release(&b);
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
        "actor, sovereignty, aliases and let declarations\"]}]");
    casus_buf_release(&b);
    casus_engine_free(e);
}

int main(void)
{
    RUN(test_caret_rendering);
    RUN(test_diagnostics_json);
    return harness_done("diag");
}
