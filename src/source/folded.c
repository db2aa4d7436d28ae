/* Folded (collapsed) stacks, Brendan Gregg's format: one stack per line,
 * frames root first separated by ';', then a space and a count. Lines
 * end in LF, CRLF or a lone CR (old Mac tools). The format has no escapes;
 * the few that ember's --folded writes (folded_escape_at) are decoded, so
 * that its output reads back to the same names, and every other backslash
 * (a Windows path) is kept as it is. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sat.h"
#include "source.h"
#include "xalloc.h"

static int is_eol(char c)
{
    return c == '\n' || c == '\r';
}

static int is_digits(const uint8_t *d, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (d[i] < '0' || d[i] > '9')
            return 0;
    return n > 0;
}

/* A whole count, signed: ember's --folded of a based profile writes
 * negative ones (flamegraph.pl reads none). */
static int is_count(const uint8_t *d, size_t n)
{
    return n > 1 && d[0] == '-' ? is_digits(d + 1, n - 1) : is_digits(d, n);
}

/* What a count that is not a whole number looks like: -5, +5, 1.5, 0x10,
 * 1e3: a digit among signs, dots and letters. */
static int is_number_like(const uint8_t *d, size_t n)
{
    int digit = 0;

    for (size_t i = 0; i < n; i++) {
        digit |= d[i] >= '0' && d[i] <= '9';
        if (!(d[i] >= '0' && d[i] <= '9') && !(d[i] >= 'a' && d[i] <= 'z') &&
            !(d[i] >= 'A' && d[i] <= 'Z') && d[i] != '-' && d[i] != '+' && d[i] != '.')
            return 0;
    }
    return digit;
}

/* Folded stacks when the first line is text (no control byte but tab; a
 * NUL among frames is left for folded_load to name) ending in " <digits>", or in a
 * number that is not a whole one after frames with a ';' (a bad count the
 * parser then reports, rather than "not a pprof profile"). Lines end in
 * LF, CRLF or CR. */
int folded_sniff(const uint8_t *d, size_t len)
{
    size_t start = 0, end, tok;
    int semi = 0, nul = 0;

    while (start < len && is_eol((char)d[start]))
        start++;
    for (end = start; end < len && end - start < 65536 && !is_eol((char)d[end]); end++) {
        if ((d[end] < 0x20 && d[end] != '\t' && d[end] != '\0') || d[end] == 0x7f)
            return 0;
        semi |= d[end] == ';';
        nul |= d[end] == '\0';
    }
    if (semi && nul)
        return 1;               /* stacks with a NUL: folded_load says where */
    if (semi && end < len && !is_eol((char)d[end])) {
        /* A first line past 64 KiB (long names): its count is at its end. */
        const uint8_t *nl = memchr(d + end, '\n', len - end);

        end = nl ? (size_t)(nl - d) : len;
        if (end > start && d[end - 1] == '\r')
            end--;
    }
    for (tok = end; tok > start && d[tok - 1] != ' ' && d[tok - 1] != '\t'; tok--)
        ;
    if (tok <= start + 1 || tok == end)
        return 0;
    return is_count(d + tok, end - tok) || (semi && is_number_like(d + tok, end - tok));
}

static int hex_digit(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int folded_escape_at(const char *s, size_t len)
{
    int hi, lo, b;

    if (len < 4 || s[0] != '\\' || s[1] != 'x' || (hi = hex_digit(s[2])) < 0 ||
        (lo = hex_digit(s[3])) < 0)
        return -1;
    b = hi << 4 | lo;
    return b <= ' ' || b == '#' || b == ';' || b == '\\' || b >= 0x7f ? b : -1;
}

/* Where a line's frames go: the stack of frame ids, and room to decode a
 * name's escapes. */
struct frames {
    uint32_t *stack;
    size_t cap, n;
    char *name;
    size_t name_cap;
};

/* name with ember's escapes decoded (folded_escape_at): into f->name when
 * it holds one, else as it is. Returns the decoded length. */
static size_t decode_name(struct frames *f, const char **name, size_t len)
{
    const char *s = *name;
    size_t n = 0;
    int b;

    if (!memchr(s, '\\', len))
        return len;
    if (len > f->name_cap) {
        f->name_cap = len;
        f->name = xreallocarray(f->name, len, 1);
    }
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\\' && (b = folded_escape_at(s + i, len - i)) >= 0) {
            f->name[n++] = (char)b;
            i += 3;
        } else {
            f->name[n++] = s[i];
        }
    }
    *name = f->name;
    return n;
}

static void push_frame(struct profile *p, const char *name, size_t len, struct frames *f)
{
    if (!len)
        return;
    if (f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 64;
        f->stack = xreallocarray(f->stack, f->cap, sizeof *f->stack);
    }
    len = decode_name(f, &name, len);
    f->stack[f->n++] = profile_frame(p, profile_intern(p, name, len), 0, 0);
}

/* The count's value (is_count said it is one); -1 when it overflows. */
static int parse_count(const char *s, size_t n, int64_t *count)
{
    int neg = s[0] == '-';

    *count = 0;
    for (size_t i = (size_t)neg; i < n; i++)
        if (__builtin_mul_overflow(*count, 10, count) ||
            (neg ? __builtin_sub_overflow(*count, s[i] - '0', count)
                 : __builtin_add_overflow(*count, s[i] - '0', count)))
            return -1;
    return 0;
}

/* Splits "a;b;c 12" into frames (into f, root first) and the count.
 * Returns 0, or -1 after writing what is wrong with the line into err. */
static int parse_line(struct profile *p, const char *s, size_t len, struct frames *f,
                      int64_t *count, char *err)
{
    size_t digits = len, names = 0, start = 0;
    const char *nul = memchr(s, '\0', len);

    if (nul) {
        snprintf(err, SOURCE_ERR_MAX, "a NUL byte at column %zu: folded stacks are text, and "
                 "this is no pprof profile either", (size_t)(nul - s) + 1);
        return -1;
    }
    while (digits > 0 && s[digits - 1] != ' ' && s[digits - 1] != '\t')
        digits--;
    if (digits == 0 || digits == len ||
        !is_number_like((const uint8_t *)s + digits, len - digits)) {
        snprintf(err, SOURCE_ERR_MAX, "no sample count at the end of the line");
        return -1;
    }
    if (!is_count((const uint8_t *)s + digits, len - digits)) {
        snprintf(err, SOURCE_ERR_MAX, "count '%.*s' is not a whole number",
                 (int)(len - digits > 40 ? 40 : len - digits), s + digits);
        return -1;
    }
    if (parse_count(s + digits, len - digits, count)) {
        snprintf(err, SOURCE_ERR_MAX, "count too large");
        return -1;
    }
    names = digits - 1;
    while (names > 0 && (s[names - 1] == ' ' || s[names - 1] == '\t'))
        names--;
    f->n = 0;
    for (size_t i = 0; i <= names; i++) {
        if (i == names || s[i] == ';') {
            push_frame(p, s + start, i - start, f);
            start = i + 1;
        }
    }
    return 0;
}

/* The length of the line at s (to LF, CR or the end), and in *next where
 * the next one starts (past LF, CR or CRLF). */
static size_t line_at(const char *s, const char *end, const char **next)
{
    const char *e = s;

    while (e < end && !is_eol(*e))
        e++;
    *next = e < end && *e == '\r' && e + 1 < end && e[1] == '\n' ? e + 2 : e < end ? e + 1 : e;
    return (size_t)(e - s);
}

int folded_load(struct profile *p, uint32_t name, const uint8_t *data, size_t len, char *err)
{
    const char *s = (const char *)data, *end = s + len;
    uint32_t type = profile_type(p, profile_intern(p, "samples", 7),
                                 profile_intern(p, "count", 5));
    struct frames f = { 0 };
    size_t lineno = 0, nsamples = 0;
    struct source src = { .name = name, .types = type < 64 ? 1ull << type : 0 };
    uint32_t source = profile_add_source(p, &src);

    if (p->nsources == 1)
        p->default_type = type;
    while (s < end) {
        const char *next;
        size_t n = line_at(s, end, &next);
        int64_t count;
        char why[SOURCE_ERR_MAX - 32];

        lineno++;
        while (n && s[n - 1] == ' ')
            n--;
        if (n && s[0] != '#') {
            if (parse_line(p, s, n, &f, &count, why)) {
                snprintf(err, SOURCE_ERR_MAX, "line %zu: %s", lineno, why);
                free(f.stack);
                free(f.name);
                return -1;
            }
            size_t sample = profile_add_sample(p, trie_insert_path(&p->trie, f.stack, f.n), 0,
                                               source);
            profile_set_value(p, sample, type, count);
            nsamples++;
        }
        s = next;
    }
    free(f.stack);
    free(f.name);
    if (!nsamples) {
        snprintf(err, SOURCE_ERR_MAX, "no stacks in folded file");
        return -1;
    }
    return 0;
}
