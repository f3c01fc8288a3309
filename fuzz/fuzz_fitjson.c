/*
 * fuzz_fitjson.c — libFuzzer target for reading a fit back
 * (src/evidence/json.c, src/evidence/fitfile.c): the JSON reader, the
 * fields of a `casus fit --json` file, the Cholesky factor, and draws of
 * every free coefficient through the Gaussian copula (model/sample.c).
 * Any input must give CASUS_OK or a clean error status with diagnostics,
 * never a crash, leak or undefined behaviour; a fit that reads gives
 * finite draws.
 */
#include "evidence/fitfile.h"
#include "model/engine.h"
#include "model/sample.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    casus_engine *e = NULL;
    if (casus_engine_new(&e, NULL, NULL) != CASUS_OK)
        return 0;
    uint32_t src;
    const struct casus_mfit *f = NULL;
    if (casus_diags_add_source(&e->diags, "fuzz.json", (const char *)data, size, &src) ==
            CASUS_OK &&
        ev_fit_read(&e->arena, &e->diags, src, "fuzz", &f) == CASUS_OK) {
        for (uint32_t j = 0; j < f->k && j < 64; j++) {
            struct casus_mparam p;
            memset(&p, 0, sizeof p);
            p.dist.fit = f;
            p.dist.coef = j;
            p.dist.family = CASUS_FAMILY_normal;
            for (uint64_t d = 0; d < 4; d++) {
                double u = casus_sample_uniform(&p, 1, d);
                if (!(u > 0 && u < 1))
                    abort(); /* the copula's uniform must stay inside (0, 1) */
            }
        }
    }
    casus_buf b = CASUS_BUF_INIT;
    casus_engine_render_diagnostics(e, &b);
    casus_buf_release(&b);
    casus_engine_free(e);
    return 0;
}
