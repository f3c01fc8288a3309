/*
 * fuzz_lang.c — libFuzzer target for the casus language front end: lexer,
 * parser and checker, through casus_engine_load_source, plus rendering the
 * diagnostics (line map, carets, JSON).  Any input must give CASUS_OK or a
 * clean error status, never a crash, leak or undefined behaviour.
 */
#include "casus/casus.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    casus_engine *e = NULL;
    if (casus_engine_new(&e, NULL, NULL) != CASUS_OK)
        return 0;
    /* A few actors and a source so that inputs can reach the checker's
     * success paths without the (slow) builtin load. */
    static const char prelude[] = "actor USA \"United States\"\nactor RUS \"Russia\"\n"
                                  "actor unknown \"unknown\"\nsource s { title \"t\" }\n";
    casus_engine_load_source(e, "prelude.casus", prelude, sizeof prelude - 1);
    casus_engine_load_source(e, "fuzz.casus", (const char *)data, size);
    casus_buf b = CASUS_BUF_INIT;
    casus_engine_render_diagnostics(e, &b);
    casus_engine_diagnostics_json(e, &b);
    casus_buf_release(&b);
    casus_engine_free(e);
    return 0;
}
