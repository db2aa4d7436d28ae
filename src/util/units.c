#include "units.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

struct scale {
    const char *suffix;
    double factor;              /* how many base units one suffix is */
};

static const struct scale time_scale[] = {
    { "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 }, { "h", 3600e9 }, { NULL, 0 },
};
static const struct scale byte_scale[] = {
    { "B", 1 }, { "kB", 1024.0 }, { "MB", 1048576.0 }, { "GB", 1073741824.0 },
    { "TB", 1099511627776.0 }, { "PB", 1125899906842624.0 }, { NULL, 0 },
};
static const struct scale count_scale[] = {
    { "", 1 }, { "k", 1e3 }, { "M", 1e6 }, { "G", 1e9 }, { "T", 1e12 }, { "P", 1e15 },
    { NULL, 0 },
};

/* How many nanoseconds one unit is, for the time units pprof uses. */
static double time_unit(const char *unit)
{
    static const struct { const char *name; double ns; } units[] = {
        { "nanoseconds", 1 }, { "ns", 1 }, { "microseconds", 1e3 }, { "us", 1e3 },
        { "milliseconds", 1e6 }, { "ms", 1e6 }, { "seconds", 1e9 }, { "s", 1e9 },
    };

    for (size_t i = 0; i < sizeof units / sizeof *units; i++)
        if (!strcmp(unit, units[i].name))
            return units[i].ns;
    return 0;
}

/* "2.50" -> "2.5", "70.0" -> "70": three significant digits at most. */
static void trim_zeros(char *s)
{
    char *end;

    if (!strchr(s, '.'))
        return;
    end = s + strlen(s);
    while (end[-1] == '0')
        *--end = '\0';
    if (end[-1] == '.')
        end[-1] = '\0';
}

static void format_scaled(double v, const struct scale *sc, char *buf, size_t n)
{
    double a = v < 0 ? -v : v;
    size_t i = 0;

    /* The largest suffix that keeps the value at or above 1; a time below
     * 1000 of its base unit stays as it is. */
    while (sc[i + 1].suffix && a >= sc[i + 1].factor)
        i++;
    if (sc == time_scale && i == 4 && a < 1e4 * 1e9)
        i = 3;                  /* seconds until ~3 hours */
    v /= sc[i].factor;
    a /= sc[i].factor;
    snprintf(buf, n, a < 9.995 ? "%.2f" : a < 99.95 ? "%.1f" : "%.0f", v);
    trim_zeros(buf);
    snprintf(buf + strlen(buf), n - strlen(buf), "%s", sc[i].suffix);
}

void units_format(int64_t v, const char *unit, char *buf, size_t n)
{
    double ns = time_unit(unit);

    if (ns)
        format_scaled((double)v * ns, time_scale, buf, n);
    else if (!strcmp(unit, "bytes"))
        format_scaled((double)v, byte_scale, buf, n);
    else
        format_scaled((double)v, count_scale, buf, n);
}

void units_percent(int64_t part, int64_t whole, char *buf, size_t n)
{
    if (!whole)
        snprintf(buf, n, "-");
    else {
        double pct = 100.0 * (double)part / (double)whole;

        /* a base's tiny shrink rounds to 0, not to "-0.00%" */
        snprintf(buf, n, "%.2f%%", pct > -0.005 && pct < 0 ? 0.0 : pct);
    }
}

int units_parse_size(const char *s, size_t *out)
{
    unsigned long long v = 0;
    unsigned shift = 0;
    const char *p = s;

    if (!isdigit((unsigned char)*p))
        return -1;
    for (; isdigit((unsigned char)*p); p++) {
        if (v > (~0ULL - 9) / 10)
            return -1;
        v = v * 10 + (unsigned)(*p - '0');
    }
    switch (toupper((unsigned char)*p)) {
    case '\0': break;
    case 'K': shift = 10; break;
    case 'M': shift = 20; break;
    case 'G': shift = 30; break;
    case 'T': shift = 40; break;
    default: return -1;
    }
    if (*p && *++p && strcasecmp(p, "B") && strcasecmp(p, "iB"))
        return -1;
    if (v > (~0ULL >> shift) || (v << shift) > (size_t)-1)
        return -1;
    *out = (size_t)(v << shift);
    return 0;
}

int units_parse_duration(const char *s, int64_t *out_ns)
{
    static const struct { const char *name; int64_t ns; } units[] = {
        { "ms", 1000000LL }, { "s", 1000000000LL }, { "m", 60000000000LL },
        { "h", 3600000000000LL }, { "", 1000000000LL },
    };
    unsigned long long whole = 0, frac = 0, scale = 1;
    const char *p = s;

    if (!isdigit((unsigned char)*p))
        return -1;
    for (; isdigit((unsigned char)*p); p++) {
        if (whole > 1000000000ULL)
            return -1;
        whole = whole * 10 + (unsigned)(*p - '0');
    }
    if (*p == '.') {
        if (!isdigit((unsigned char)*++p))
            return -1;
        for (; isdigit((unsigned char)*p); p++)
            if (scale < 1000000000ULL) {
                frac = frac * 10 + (unsigned)(*p - '0');
                scale *= 10;
            }
    }
    for (size_t i = 0; i < sizeof units / sizeof *units; i++)
        if (!strcmp(p, units[i].name)) {
            long double ns = ((long double)whole + (long double)frac / (long double)scale) *
                             (long double)units[i].ns;

            if (ns > 9.2e18L)
                return -1;
            *out_ns = (int64_t)ns;
            return 0;
        }
    return -1;
}
