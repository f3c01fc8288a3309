/*
 * fuzz_lang.c — libFuzzer target for the casus language front end: lexer,
 * parser and checker, through casus_engine_load_source, plus rendering the
 * diagnostics (line map, carets, JSON).  A scenario that loads is then
 * compiled and run for a few draws (casus_run_new, with a small tree limit)
 * and described, so the game compiler and the per-draw solver see fuzzed
 * games too.  Any input must give CASUS_OK or a clean error status, never a
 * crash, leak or undefined behaviour.
 */
#include "casus/casus.h"
#include "casus/run.h"

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
    static const char prelude[] =
        "actor USA \"United States\"\nactor RUS \"Russia\"\nactor POL \"Poland\"\n"
        "actor unknown \"unknown\"\nsource s { title \"t\" }\n"
        "treaty t { cite s signed 2000-01-01 in-force 2000-01-01\n"
        "  parties { USA from 2000-01-01\n POL from 2000-01-01 }\n"
        "  council c { rule majority members parties } }\n"
        "ladder l { rung 1 calm\n rung 2 war\n threshold up after 1 }\n";
    casus_engine_load_source(e, "prelude.casus", prelude, sizeof prelude - 1);
    casus_status st = casus_engine_load_source(e, "fuzz.casus", (const char *)data, size);
    casus_buf b = CASUS_BUF_INIT;
    for (size_t i = 0; st == CASUS_OK && i < casus_engine_scenario_count(e); i++) {
        casus_run_opts o = CASUS_RUN_OPTS_INIT;
        o.scenario = casus_engine_scenario_name(e, i);
        o.draws = 3;
        o.threads = 1;
        o.max_nodes = 20000;
        casus_run *r = NULL;
        if (casus_run_new(e, &o, &r, NULL) == CASUS_OK) {
            casus_run_write_text(r, &b);
            casus_run_write_json(r, &b);
            casus_run_free(r);
        }
        casus_scenario_describe(e, o.scenario, false, &b);
        casus_scenario_describe(e, o.scenario, true, &b);
    }
    casus_engine_render_diagnostics(e, &b);
    casus_engine_diagnostics_json(e, &b);
    casus_buf_release(&b);
    casus_engine_free(e);
    return 0;
}
