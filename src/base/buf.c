/*
 * buf.c — the growable output buffer behind every renderer (text, JSON, CSV).
 */
#include "base/buf.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void casus_buf_release(casus_buf *b)
{
    if (!b)
        return;
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = false;
}

static bool buf_reserve(casus_buf *b, size_t extra)
{
    if (b->failed)
        return false;
    if (extra > SIZE_MAX / 2 - b->len) {
        b->failed = true;
        return false;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) {
        b->failed = true;
        return false;
    }
    b->data = p;
    b->cap = cap;
    return true;
}

void casus_buf_append(casus_buf *b, const char *s, size_t len)
{
    if (!buf_reserve(b, len))
        return;
    if (len)
        memcpy(b->data + b->len, s, len);
    b->len += len;
    b->data[b->len] = '\0';
}

void casus_buf_puts(casus_buf *b, const char *s)
{
    casus_buf_append(b, s, strlen(s));
}

void casus_buf_putc(casus_buf *b, char c)
{
    casus_buf_append(b, &c, 1);
}

void casus_buf_printf(casus_buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = true;
        return;
    }
    if ((size_t)n < sizeof small) {
        casus_buf_append(b, small, (size_t)n);
        return;
    }
    if (!buf_reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void casus_buf_json_strn(casus_buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    casus_buf_putc(b, '"');
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        casus_buf_append(b, s + run, i - run);
        run = i + 1;
        switch (c) {
        case '"': casus_buf_append(b, "\\\"", 2); break;
        case '\\': casus_buf_append(b, "\\\\", 2); break;
        case '\n': casus_buf_append(b, "\\n", 2); break;
        case '\t': casus_buf_append(b, "\\t", 2); break;
        case '\r': casus_buf_append(b, "\\r", 2); break;
        default: {
            char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            casus_buf_append(b, u, 6);
        }
        }
    }
    casus_buf_append(b, s + run, len - run);
    casus_buf_putc(b, '"');
}

void casus_buf_json_str(casus_buf *b, const char *s)
{
    if (!s)
        casus_buf_puts(b, "null");
    else
        casus_buf_json_strn(b, s, strlen(s));
}

void casus_buf_json_num(casus_buf *b, double v)
{
    if (!isfinite(v)) {
        casus_buf_puts(b, "null");
        return;
    }
    char tmp[40];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*g", prec, v);
        if (strtod(tmp, NULL) == v)
            break;
    }
    casus_buf_puts(b, tmp);
}

void casus_buf_csv_field(casus_buf *b, const char *s)
{
    if (!s)
        return;
    if (!strpbrk(s, ",\"\n\r")) {
        casus_buf_puts(b, s);
        return;
    }
    casus_buf_putc(b, '"');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            casus_buf_putc(b, '"');
        casus_buf_putc(b, *p);
    }
    casus_buf_putc(b, '"');
}

casus_status casus_buf_status(const casus_buf *b)
{
    return b->failed ? CASUS_ENOMEM : CASUS_OK;
}

void casus_buf_json_string(casus_buf *b, const char *s)
{
    casus_buf_json_str(b, s);
}
