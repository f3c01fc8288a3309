/*
 * text.c — untrusted text shown safely on a terminal (see text.h).
 */
#include "text.h"

#include <string.h>

/* Length of the valid UTF-8 sequence of 2..4 bytes at s (n available), or
 * 0: shortest form, no surrogates, at most U+10FFFF. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    size_t len = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : 2;
    if (s[0] < 0xC2 || s[0] > 0xF4 || n < len)
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0) ||
        (s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90))
        return 0; /* overlong, surrogate, or beyond U+10FFFF */
    return len;
}

size_t cli_text_unit(const char *s, size_t n, bool *escape)
{
    const unsigned char *u = (const unsigned char *)s;
    if (u[0] < 0x80) {
        *escape = (u[0] < 0x20 && u[0] != '\t' && u[0] != '\n') || u[0] == 0x7F;
        return 1;
    }
    size_t len = utf8_len(u, n);
    /* U+0080..U+009F, the C1 controls, are C2 80..C2 9F */
    *escape = len == 0 || (u[0] == 0xC2 && u[1] < 0xA0);
    return *escape ? 1 : len;
}

/* Append the unit at s (len bytes, escape as cli_text_unit said) to buf at
 * *k, if it fits below cap. */
static void put_unit(char *buf, size_t *k, size_t cap, const char *s, size_t len, bool escape)
{
    static const char hex[] = "0123456789abcdef";
    if (escape) {
        if (*k + 4 <= cap) {
            unsigned char c = (unsigned char)s[0];
            buf[(*k)++] = '\\';
            buf[(*k)++] = 'x';
            buf[(*k)++] = hex[c >> 4];
            buf[(*k)++] = hex[c & 15];
        }
    } else if (*k + len <= cap) {
        memcpy(buf + *k, s, len);
        *k += len;
    }
}

void cli_text_write(FILE *to, const char *s, size_t n, bool keep_newline)
{
    size_t i = 0;
    while (i < n) {
        char out[8];
        size_t k = 0;
        bool escape;
        size_t len = cli_text_unit(s + i, n - i, &escape);
        put_unit(out, &k, sizeof out, s + i, len, escape || (s[i] == '\n' && !keep_newline));
        fwrite(out, 1, k, to);
        i += len;
    }
}

const char *cli_quote(char *buf, const char *s)
{
    size_t n = strlen(s), i = 0, k = 0;
    for (int chars = 0; i < n && chars < CLI_QUOTE_MAX; chars++) {
        bool escape;
        size_t len = cli_text_unit(s + i, n - i, &escape);
        put_unit(buf, &k, CLI_QUOTE_SIZE - 4, s + i, len, escape || s[i] == '\n');
        i += len;
    }
    if (i < n) {
        memcpy(buf + k, "...", 3);
        k += 3;
    }
    buf[k] = '\0';
    return buf;
}
