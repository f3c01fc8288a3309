/*
 * mkfitdata.c — writes the simulated data sets of data/fit/ that the
 * `casus fit` tutorial (docs/fit.md) and the golden tests use: crises.csv
 * (egame12) and offers.csv (ultimatum), drawn from the models in
 * tests/unit/fit_sim.h with known parameters and Philox seed 2026.
 *
 *   make lib && cc -std=c11 -O2 -D_POSIX_C_SOURCE=200809L -Iinclude -Isrc \
 *       tools/mkfitdata.c build/release/libcasus.a -lgmp -lm -o /tmp/mkfitdata \
 *       && /tmp/mkfitdata data/fit
 */
#include "../tests/unit/fit_sim.h"

static int write_file(const char *dir, const char *name, const casus_buf *b)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(b->data, 1, b->len, f) != b->len || fclose(f) != 0) {
        fprintf(stderr, "mkfitdata: cannot write %s\n", path);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "data/fit";
    casus_buf a = CASUS_BUF_INIT, b = CASUS_BUF_INIT;
    sim12_csv(2026, 1000, &a);
    simult_csv(2026, 500, &b);
    int rc = write_file(dir, "crises.csv", &a) || write_file(dir, "offers.csv", &b);
    casus_buf_release(&a);
    casus_buf_release(&b);
    return rc;
}
