/*
 * value.c — what the front end's option values mean: whole numbers and
 * decimal numbers, read strictly (decimal digits only: no hex, no leading
 * or trailing space, no "inf" or "nan"; an option that means something by
 * "inf" says so in its table), and today's date.
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

bool cli_u64(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    if (!s || !*s)
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return false;
        unsigned d = (unsigned)(*s - '0');
        if (v > (UINT64_MAX - d) / 10)
            return false; /* more than 2^64 - 1 */
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

/* Skip decimal digits; how many there were in *n. */
static const char *digits(const char *s, size_t *n)
{
    const char *p = s;
    while (*p >= '0' && *p <= '9')
        p++;
    *n = (size_t)(p - s);
    return p;
}

/* Is s a decimal number: [+-] digits [. digits] [(e|E) [+-] digits], with
 * digits on at least one side of the point?  O(length). */
static bool decimal_syntax(const char *s)
{
    size_t a, b = 0, e;
    if (*s == '+' || *s == '-')
        s++;
    s = digits(s, &a);
    if (*s == '.')
        s = digits(s + 1, &b);
    if (a + b == 0)
        return false;
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '+' || *s == '-')
            s++;
        s = digits(s, &e);
        if (e == 0)
            return false;
    }
    return *s == '\0';
}

bool cli_number(const char *s, double *out)
{
    if (!s || !decimal_syntax(s))
        return false;
    errno = 0;
    double v = strtod(s, NULL);
    /* ERANGE with a tiny result is underflow: 1e-400 rounds to 0, as 0.1
       rounds to the nearest double.  With a huge one it is overflow. */
    if (errno == ERANGE && (v > 1.0 || v < -1.0))
        return false;
    *out = v == 0 ? 0.0 : v; /* -0 is 0 */
    return true;
}

bool cli_bytes(const char *s, size_t *out)
{
    static const char units[] = "KMGT";
    uint64_t v = 0;
    size_t i = 0;
    while (s[i] >= '0' && s[i] <= '9') {
        if (v > (UINT64_MAX - 9) / 10)
            return false;
        v = v * 10 + (uint64_t)(s[i++] - '0');
    }
    if (i == 0)
        return false;
    const char *u = s[i] ? strchr(units, s[i] & ~0x20) : NULL;
    int shift = 0;
    if (u) {
        shift = 10 * (int)(u - units + 1);
        i++;
        if (strcmp(s + i, "iB") == 0 || strcmp(s + i, "B") == 0)
            i = strlen(s);
    }
    if (s[i] != '\0' || v == 0 || v > (SIZE_MAX >> shift))
        return false;
    *out = (size_t)(v << shift);
    return true;
}

casus_date cli_today(void)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    char buf[16];
    strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    casus_date d = 0;
    casus_date_parse(buf, strlen(buf), &d);
    return d;
}
