/*
 * fuzz_cli.c — libFuzzer target for how the front end reads and echoes
 * untrusted text (cli/value.c, cli/text.c).  Properties, each checked
 * against a plain reference: a whole number is accepted exactly when it is
 * decimal digits that fit 64 bits, with their value; a decimal number only
 * when every byte may belong to one ([0-9+-.eE]), finite and never -0;
 * text shown by cli_text_write or cli_quote holds no control byte other
 * than tab and newline and no invalid UTF-8, and a quote fits its buffer.
 */
#include "../cli/cli.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every byte of s[0..n) is printable, tab, newline (if nl) or valid UTF-8
 * shown as is. */
static bool shown_safely(const char *s, size_t n, bool nl)
{
    for (size_t i = 0; i < n;) {
        bool esc;
        if (s[i] == '\n' && !nl)
            return false;
        i += cli_text_unit(s + i, n - i, &esc);
        if (esc)
            return false;
    }
    return true;
}

static void check_u64(const char *s)
{
    uint64_t v, ref = 0;
    bool ok = *s != '\0', fits = true;
    for (const char *p = s; *p && ok; p++) {
        ok = *p >= '0' && *p <= '9';
        if (ok && ref > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
            fits = false;
        else if (ok)
            ref = ref * 10 + (uint64_t)(*p - '0');
    }
    bool got = cli_u64(s, &v);
    if (got != (ok && fits) || (got && v != ref))
        __builtin_trap();
}

static void check_number(const char *s)
{
    double x;
    if (!cli_number(s, &x))
        return;
    if (!isfinite(x) || (x == 0 && signbit(x)) || strspn(s, "0123456789+-.eE") != strlen(s))
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    check_u64(s);
    check_number(s);
    char q[CLI_QUOTE_SIZE];
    cli_quote(q, s);
    if (strlen(q) >= CLI_QUOTE_SIZE || !shown_safely(q, strlen(q), false))
        __builtin_trap();
    char *shown = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&shown, &n);
    if (f) {
        cli_text_write(f, (const char *)data, size, true);
        fclose(f);
        if (shown && !shown_safely(shown, n, true))
            __builtin_trap();
        free(shown);
    }
    free(s);
    return 0;
}
