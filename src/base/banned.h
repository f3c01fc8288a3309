/*
 * banned.h — functions that must not be used in casus, after git's banned.h:
 * they overflow buffers (strcpy, strcat, sprintf, vsprintf), keep hidden
 * global state (strtok, gmtime, localtime, asctime, ctime) or both.
 * Use memcpy with explicit lengths, snprintf, the casus_buf appenders, and
 * the explicit-state variants (strtok_r, gmtime_r) instead.
 */
#ifndef CASUS_BANNED_H
#define CASUS_BANNED_H

#define BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) BANNED(strncat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef gmtime
#define gmtime(t) BANNED(gmtime)
#undef localtime
#define localtime(t) BANNED(localtime)
#undef asctime
#define asctime(t) BANNED(asctime)
#undef ctime
#define ctime(t) BANNED(ctime)

#endif
