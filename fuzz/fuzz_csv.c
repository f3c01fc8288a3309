/*
 * fuzz_csv.c — libFuzzer target for the batch CSV reader of `casus check
 * --batch` (cli/csv.c): every row is read and every error rendered with its
 * caret; nothing may crash or read out of bounds.
 */
#include "../cli/csv.h"

#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct csv_reader r;
    csv_init(&r, "fuzz.csv", (const char *)data, size);
    int rc;
    while ((rc = csv_next(&r)) > 0)
        for (int i = 0; i < r.nfields; i++)
            if (r.start[i] > size)
                __builtin_trap();
    if (rc < 0) {
        FILE *sink = fopen("/dev/null", "w");
        if (sink) {
            csv_report(sink, "fuzz.csv", (const char *)data, size, r.error_at, 3, r.error);
            fclose(sink);
        }
    }
    csv_release(&r);
    return 0;
}
