/* --list: pprof's -list in text (report.go printSource, source.go
 * getSourceFromFile). */
#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "srcfile.h"
#include "srclist.h"
#include "text.h"
#include "units.h"
#include "xalloc.h"

/* Lines shown before the first and after the last line with samples. */
#define LIST_MARGIN 5

struct lister {
    FILE *f;
    const struct profile *p;
    const struct list_options *o;
    const char *unit;
    int64_t total;
};

static int match_re(void *ctx, const struct profile *p, uint32_t func)
{
    return !regexec(ctx, profile_str(p, func), 0, NULL, 0);
}

struct scale {
    const char *name;
    double factor;
};

static const struct scale bytes[] = {
    { "B", 1 }, { "kB", 1024.0 }, { "MB", 1048576.0 }, { "GB", 1073741824.0 },
    { "TB", 1099511627776.0 }, { "PB", 1125899906842624.0 }, { NULL, 0 },
};
static const struct scale times[] = {
    { "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 }, { "hrs", 3600e9 }, { NULL, 0 },
};

/* A unit's factor in its scale (pprof's sniffUnit: lower case, a plural
 * 's' dropped), or 0 when it is not bytes or time. */
static double unit_factor(const char *unit, const struct scale **scale)
{
    static const struct { const char *alias; const struct scale *s; double f; } known[] = {
        { "b", bytes, 1 }, { "byte", bytes, 1 }, { "kb", bytes, 1024.0 },
        { "mb", bytes, 1048576.0 }, { "gb", bytes, 1073741824.0 },
        { "ns", times, 1 }, { "nanosecond", times, 1 }, { "us", times, 1e3 },
        { "microsecond", times, 1e3 }, { "ms", times, 1e6 }, { "millisecond", times, 1e6 },
        { "s", times, 1e9 }, { "sec", times, 1e9 }, { "second", times, 1e9 },
        { "hour", times, 3600e9 }, { "hr", times, 3600e9 },
    };
    char low[32];
    size_t n = strlen(unit);

    if (n >= sizeof low)
        return 0;
    for (size_t i = 0; i <= n; i++)
        low[i] = (char)(unit[i] >= 'A' && unit[i] <= 'Z' ? unit[i] - 'A' + 'a' : unit[i]);
    if (n > 2 && low[n - 1] == 's')
        low[n - 1] = '\0';
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        if (!strcmp(low, known[i].alias)) {
            *scale = known[i].s;
            return known[i].f;
        }
    return 0;
}

/* pprof's measurement.ScaledLabel(v, unit, "minimum"): the largest unit
 * the value is at least one of, two decimals, ".00" dropped, "0" for 0. */
static void scaled_label(int64_t v, const char *unit, char *buf, size_t n)
{
    const struct scale *scale = NULL;
    double f = unit_factor(unit, &scale), x = (double)v, best = 0;
    const char *name = "";
    size_t len;

    if (f) {
        double a = fabs(x * f);

        name = scale == bytes ? "B" : "s";
        best = scale == bytes ? 1 : 1e9;
        for (const struct scale *u = scale, *top = NULL; u->name; u++)
            if (a / u->factor >= 1.0 && (!top || u->factor >= top->factor))
                top = u, best = u->factor, name = u->name;
        x = x * f / best;
    }
    snprintf(buf, n, "%.2f", x);
    len = strlen(buf);
    if (len > 3 && !strcmp(buf + len - 3, ".00"))
        buf[len - 3] = '\0';
    if (!strcmp(buf, "0") || !strcmp(buf, "-0"))
        return;
    snprintf(buf + strlen(buf), n - strlen(buf), "%s", name);
}

/* pprof's formatValue, or the exact number with --raw; "." for 0 when dot. */
static void value(const struct lister *l, int64_t v, int dot, char *buf, size_t n)
{
    if (dot && !v)
        snprintf(buf, n, ".");
    else if (l->o->raw)
        snprintf(buf, n, "%lld", (long long)v);
    else
        scaled_label(v, l->unit, buf, n);
}

/* measurement.Percentage. */
static void percent(int64_t v, int64_t total, char *buf, size_t n)
{
    double r = total ? fabs((double)v / (double)total) * 100 : 0;

    if (r >= 99.95 && r <= 100.05)
        snprintf(buf, n, "  100%%");
    else if (r >= 1.0)
        snprintf(buf, n, "%5.2f%%", r);
    else
        snprintf(buf, n, "%5.2g%%", r);
}

/* A source line: escaped as everything else is, but tabs as they are (Go
 * sources indent with them; pprof prints them so); cut at
 * SRCFILE_LINE_MAX bytes. */
static void write_source(FILE *f, const char *s, size_t len)
{
    size_t cut = len > SRCFILE_LINE_MAX ? SRCFILE_LINE_MAX : len, from = 0;

    for (size_t i = 0; i <= cut; i++) {
        if (i < cut && s[i] != '\t')
            continue;
        text_write_escaped(f, s + from, i - from, TEXT_ESCAPE_DISPLAY);
        if (i < cut)
            fputc('\t', f);
        from = i + 1;
    }
    if (cut < len)
        fputs("...", f);
}

static void write_str(FILE *f, const char *s)
{
    text_write_escaped(f, s, strlen(s), TEXT_ESCAPE_DISPLAY);
}

static void line_numbers(const struct lister *l, const struct srclist_line *ln, int64_t line)
{
    char a[UNITS_BUF], b[UNITS_BUF];

    value(l, ln ? ln->flat : 0, 1, a, sizeof a);
    value(l, ln ? ln->cum : 0, 1, b, sizeof b);
    fprintf(l->f, "%10s %10s %6lld:", a, b, (long long)line);
}

/* The lines from the function's start line (when the profile has it),
 * else LIST_MARGIN before the first with samples, to LIST_MARGIN after
 * the last, up to the file's end (pprof stops there); what the file did
 * not hold (past what was read), numbers alone. */
static void print_lines(const struct lister *l, const struct srclist_file *sf,
                        const struct srcfile *src)
{
    int64_t start = sf->start_line ? sf->start_line : sf->lines[0].line - LIST_MARGIN;
    int64_t end = sf->lines[sf->nlines - 1].line + LIST_MARGIN;
    uint32_t k = 0;

    for (int64_t n = start < 1 ? 1 : start; n <= end; n++) {
        size_t len;
        const char *text = srcfile_line(src, n, &len);

        while (k < sf->nlines && sf->lines[k].line < n)
            k++;
        if (!text)
            break;
        line_numbers(l, k < sf->nlines && sf->lines[k].line == n ? &sf->lines[k] : NULL, n);
        write_source(l->f, text, len);
        fputc('\n', l->f);
    }
    for (; src->truncated && k < sf->nlines; k++) {
        line_numbers(l, &sf->lines[k], sf->lines[k].line);
        fputc('\n', l->f);
    }
}

/* Every line with samples, numbers alone (the file was not read). */
static void print_numbers(const struct lister *l, const struct srclist_file *sf)
{
    for (uint32_t k = 0; k < sf->nlines; k++) {
        line_numbers(l, &sf->lines[k], sf->lines[k].line);
        fputc('\n', l->f);
    }
}

/* One "ROUTINE ... in FILE" with its lines. */
static void print_routine(const struct lister *l, const struct srclist_file *sf)
{
    char *trimmed = srcfile_trim(profile_str(l->p, sf->file), l->o->trim ? l->o->trim : "",
                                 l->o->search ? l->o->search : "");
    char *name = srcfile_clean(trimmed), a[UNITS_BUF], b[UNITS_BUF], pct[32], err[1024];
    struct srcfile src;

    fputs("ROUTINE ======================== ", l->f);
    write_str(l->f, profile_str(l->p, sf->func));
    fputs(" in ", l->f);
    write_str(l->f, name);
    value(l, sf->flat, 0, a, sizeof a);
    value(l, sf->cum, 0, b, sizeof b);
    percent(sf->cum, l->total, pct, sizeof pct);
    fprintf(l->f, "\n%10s %10s (flat, cum) %s of Total\n", a, b, pct);
    if (srcfile_read(&src, name, l->o->search, l->o->trim, err, sizeof err)) {
        fputs(" Error: ", l->f);
        write_str(l->f, err);
        fputc('\n', l->f);
        print_numbers(l, sf);
    } else {
        print_lines(l, sf, &src);
        srcfile_free(&src);
    }
    free(name);
    free(trimmed);
}

static void print_all(struct lister *l, const struct srclist *sl)
{
    char t[UNITS_BUF];

    value(l, l->total, 0, t, sizeof t);
    fprintf(l->f, "Total: %s\n", t);
    for (uint32_t i = 0; i < sl->nfiles; i++) {
        const struct srclist_file *sf = &sl->files[i];
        int alone = !(i + 1 < sl->nfiles && sl->files[i + 1].func == sf->func);

        if (sf->file) {
            print_routine(l, sf);
        } else if (alone) {
            fputs("No source information for ", l->f);
            write_str(l->f, profile_str(l->p, sf->func));
            fputc('\n', l->f);
        }
    }
}

/* Go's RE2 syntax POSIX ERE does not have (pprof takes Go's): \d, \w,
 * \s and their capitals, (?flags); NULL when re has none. */
static const char *go_only(const char *re)
{
    for (const char *c = re; *c; c++) {
        if (*c == '\\' && c[1] && strchr("dDwWsS", c[1]))
            return "\\d, \\w and \\s are Go's: POSIX ERE writes [0-9], [[:alnum:]_], [[:space:]]";
        if (*c == '\\' && c[1])
            c++;
        else if (*c == '(' && c[1] == '?')
            return "(?...) flags are Go's: POSIX ERE has none ([Ff]oo for (?i)foo)";
    }
    return NULL;
}

int output_list(FILE *f, const struct profile *p, uint32_t type, const int64_t *total,
                const struct list_options *o, char *err, size_t errlen)
{
    struct lister l = { f, p, o, profile_str(p, p->types[type].unit), 0 };
    struct srclist sl;
    regex_t re;
    const char *go = go_only(o->re);
    int rc, n;

    if (go) {
        snprintf(err, errlen, "--list: %s: %s", o->re, go);
        return -1;
    }
    rc = regcomp(&re, o->re, REG_EXTENDED | REG_NOSUB);
    if (rc) {
        char why[256];

        regerror(rc, &re, why, sizeof why);
        snprintf(err, errlen, "--list: %s: %s", o->re, why);
        return -1;
    }
    srclist_build(p, total, match_re, &re, &sl);
    regfree(&re);
    n = (int)sl.nfiles;
    l.total = o->whole ? o->whole : sl.total;
    if (n)
        print_all(&l, &sl);
    else
        snprintf(err, errlen, "no matches found for regexp: %s", o->re);
    srclist_free(&sl);
    return n ? n : -1;
}
