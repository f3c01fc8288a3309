/*
 * replay.c — run a fuzz target over files without libFuzzer, so the corpus
 * is replayed by every test run with any compiler (and under ASan+UBSan).
 * Usage: replay_TARGET FILE...   Exit status 0 when every input ran.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
    int ran = 0;
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) {
            fprintf(stderr, "replay: cannot open %s\n", argv[i]);
            return 2;
        }
        size_t cap = 1 << 16, n = 0;
        unsigned char *buf = malloc(cap);
        size_t k;
        while (buf && (k = fread(buf + n, 1, cap - n, f)) > 0) {
            n += k;
            if (n == cap) {
                unsigned char *p = realloc(buf, cap *= 2);
                if (!p) {
                    free(buf);
                    buf = NULL;
                }
                buf = p;
            }
        }
        fclose(f);
        if (!buf)
            return 2;
        LLVMFuzzerTestOneInput(buf, n);
        free(buf);
        ran++;
    }
    printf("replayed %d inputs\n", ran);
    return 0;
}
