/*
 * date.c — calendar dates as day numbers (days since 1970-01-01, proleptic
 * Gregorian), so that "in force on date D" is an integer comparison.
 * Conversion uses Howard Hinnant's days_from_civil algorithm.
 */
#include "base/internal.h"

static int32_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int days_in_month(int y, int m)
{
    static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dm[m - 1];
}

casus_status casus_date_parse(const char *s, size_t len, casus_date *out)
{
    if (!s || len != 10 || s[4] != '-' || s[7] != '-')
        return CASUS_EINVAL;
    int v[3] = {0, 0, 0};
    static const int start[3] = {0, 5, 8}, width[3] = {4, 2, 2};
    for (int k = 0; k < 3; k++)
        for (int i = 0; i < width[k]; i++) {
            char c = s[start[k] + i];
            if (c < '0' || c > '9')
                return CASUS_EINVAL;
            v[k] = v[k] * 10 + (c - '0');
        }
    if (v[0] < 1000 || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > days_in_month(v[0], v[1]))
        return CASUS_EINVAL;
    *out = days_from_civil(v[0], v[1], v[2]);
    return CASUS_OK;
}

void casus_date_format(casus_date z, char buf[11])
{
    /* civil_from_days */
    int32_t zz = z + 719468;
    const int32_t era = (zz >= 0 ? zz : zz - 146096) / 146097;
    const int32_t doe = zz - era * 146097;
    const int32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int32_t y = yoe + era * 400;
    const int32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int32_t mp = (5 * doy + 2) / 153;
    const int32_t d = doy - (153 * mp + 2) / 5 + 1;
    const int32_t m = mp + (mp < 10 ? 3 : -9);
    y += m <= 2;
    if (y < 0 || y > 9999) {
        memcpy(buf, "0000-00-00", 11);
        return;
    }
    unsigned yy = (unsigned)y, mm = (unsigned)m, dd = (unsigned)d;
    buf[0] = (char)('0' + yy / 1000);
    buf[1] = (char)('0' + yy / 100 % 10);
    buf[2] = (char)('0' + yy / 10 % 10);
    buf[3] = (char)('0' + yy % 10);
    buf[4] = '-';
    buf[5] = (char)('0' + mm / 10);
    buf[6] = (char)('0' + mm % 10);
    buf[7] = '-';
    buf[8] = (char)('0' + dd / 10);
    buf[9] = (char)('0' + dd % 10);
    buf[10] = '\0';
}
