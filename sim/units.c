/*
 * units.c - config value syntax (see units.h).
 */
#include "sim/units.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Copy s without '_' between digits into buf; -1 if misplaced or too long. */
static int strip_underscores(const char *s, char *buf, size_t len)
{
    size_t j = 0;
    for (size_t i = 0; s[i]; i++) {
        if (s[i] == '_') {
            if (i == 0 || !isxdigit((unsigned char)s[i - 1]) || !isxdigit((unsigned char)s[i + 1]))
                return -1;
            continue;
        }
        if (j + 1 >= len)
            return -1;
        buf[j++] = s[i];
    }
    buf[j] = '\0';
    return j ? 0 : -1;
}

int units_parse_uint(const char *s, uint64_t *out)
{
    char buf[64], *end;
    if (strip_underscores(s, buf, sizeof(buf)) != 0 || buf[0] == '-' || buf[0] == '+' ||
        isspace((unsigned char)buf[0]))
        return -1;
    errno = 0;
    int base = (buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X')) ? 16 : 10;
    unsigned long long v = strtoull(buf, &end, base);
    if (errno || *end || end == buf || (base == 16 && end == buf + 2))
        return -1;
    *out = v;
    return 0;
}

int units_parse_int(const char *s, int64_t *out)
{
    uint64_t u;
    bool neg = s[0] == '-';
    if (units_parse_uint(neg ? s + 1 : s, &u) != 0)
        return -1;
    if (neg ? u > (uint64_t)INT64_MAX + 1 : u > (uint64_t)INT64_MAX)
        return -1;
    *out = neg ? (int64_t)(0 - u) : (int64_t)u;
    return 0;
}

int units_parse_bool(const char *s, bool *out)
{
    static const char *yes[] = {"true", "True", "TRUE", "yes", "Yes", "on", "On", NULL};
    static const char *no[] = {"false", "False", "FALSE", "no", "No", "off", "Off", NULL};
    for (int i = 0; yes[i]; i++)
        if (strcmp(s, yes[i]) == 0) {
            *out = true;
            return 0;
        }
    for (int i = 0; no[i]; i++)
        if (strcmp(s, no[i]) == 0) {
            *out = false;
            return 0;
        }
    return -1;
}

int units_parse_double(const char *s, double *out)
{
    char *end;
    if (!*s || isspace((unsigned char)*s))
        return -1;
    for (const char *p = s; *p; p++)
        if (!isdigit((unsigned char)*p) && !strchr("+-.eE", *p))
            return -1; /* no hex floats, inf or nan */
    errno = 0;
    double v = strtod(s, &end);
    if (errno || *end || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

/* number part then suffix; the number may be a decimal fraction/exponent. */
static int parse_scaled(const char *s, const char *const *suffixes, const uint64_t *mult,
                        uint64_t *out)
{
    char buf[64];
    if (strip_underscores(s, buf, sizeof(buf)) != 0)
        return -1;
    size_t n = strlen(buf);
    uint64_t m = 1;
    for (int i = 0; suffixes[i]; i++) {
        size_t sl = strlen(suffixes[i]);
        if (n > sl && strcmp(buf + n - sl, suffixes[i]) == 0) {
            buf[n - sl] = '\0';
            m = mult[i];
            break;
        }
    }
    uint64_t v;
    if (units_parse_uint(buf, &v) == 0) {
        if (m && v > UINT64_MAX / m)
            return -1;
        *out = v * m;
        return 0;
    }
    double d;
    if (units_parse_double(buf, &d) != 0 || d < 0)
        return -1;
    d *= (double)m;
    if (d >= 18446744073709551616.0 || d != floor(d))
        return -1;
    *out = (uint64_t)d;
    return 0;
}

int units_parse_size(const char *s, uint64_t *out)
{
    static const char *const suf[] = {"KiB", "MiB", "GiB", "TiB", "KB", "MB", "GB", "TB", NULL};
    static const uint64_t mult[] = {1ull << 10, 1ull << 20, 1ull << 30, 1ull << 40,
                                    1ull << 10, 1ull << 20, 1ull << 30, 1ull << 40};
    return parse_scaled(s, suf, mult, out);
}

int units_parse_count(const char *s, uint64_t *out)
{
    static const char *const suf[] = {"K", "M", "G", "T", NULL};
    static const uint64_t mult[] = {1000ull, 1000000ull, 1000000000ull, 1000000000000ull};
    return parse_scaled(s, suf, mult, out);
}

void units_format_size(uint64_t v, char *buf, size_t len)
{
    static const char *const suf[] = {"TiB", "GiB", "MiB", "KiB"};
    static const unsigned shift[] = {40, 30, 20, 10};
    for (int i = 0; i < 4; i++) {
        uint64_t unit = 1ull << shift[i];
        if (v >= unit && v % unit == 0) {
            snprintf(buf, len, "%llu%s", (unsigned long long)(v >> shift[i]), suf[i]);
            return;
        }
    }
    snprintf(buf, len, "%llu", (unsigned long long)v);
}
