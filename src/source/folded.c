/* Folded (collapsed) stacks, Brendan Gregg's format: one stack per line,
 * frames root first separated by ';', then a space and a count. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sat.h"
#include "source.h"
#include "xalloc.h"

int folded_sniff(const uint8_t *d, size_t len)
{
    size_t scan = len < 65536 ? len : 65536, start = 0, end;

    if (memchr(d, '\0', scan))
        return 0;
    while (start < scan && (d[start] == '\n' || d[start] == '\r'))
        start++;
    /* The first line must end in " <digits>". */
    for (end = start; end < len && d[end] != '\n'; end++)
        ;
    while (end > start && d[end - 1] == '\r')
        end--;
    if (end == start || d[end - 1] < '0' || d[end - 1] > '9')
        return 0;
    while (end > start && d[end - 1] >= '0' && d[end - 1] <= '9')
        end--;
    return end > start && (d[end - 1] == ' ' || d[end - 1] == '\t');
}

static void push_frame(struct profile *p, const char *name, size_t len, uint32_t **stack,
                       size_t *cap, size_t *n)
{
    if (!len)
        return;
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        *stack = xreallocarray(*stack, *cap, sizeof **stack);
    }
    (*stack)[(*n)++] = profile_frame(p, profile_intern(p, name, len), 0, 0);
}

/* Splits "a;b;c 12" into frames (into *stack, root first) and the count.
 * Returns -1 without a count, -2 when the count overflows. */
static int parse_line(struct profile *p, const char *s, size_t len, uint32_t **stack,
                      size_t *cap, size_t *depth, int64_t *count)
{
    size_t digits = len, names = 0, start = 0;

    while (digits > 0 && s[digits - 1] >= '0' && s[digits - 1] <= '9')
        digits--;
    if (digits == len || digits == 0 || (s[digits - 1] != ' ' && s[digits - 1] != '\t'))
        return -1;
    *count = 0;
    for (size_t i = digits; i < len; i++)
        if (__builtin_mul_overflow(*count, 10, count) ||
            __builtin_add_overflow(*count, s[i] - '0', count))
            return -2;
    names = digits - 1;
    while (names > 0 && (s[names - 1] == ' ' || s[names - 1] == '\t'))
        names--;
    *depth = 0;
    for (size_t i = 0; i <= names; i++) {
        if (i == names || s[i] == ';') {
            push_frame(p, s + start, i - start, stack, cap, depth);
            start = i + 1;
        }
    }
    return 0;
}

int folded_load(struct profile *p, uint32_t name, const uint8_t *data, size_t len, char *err)
{
    const char *s = (const char *)data, *end = s + len;
    uint32_t *stack = NULL, type = profile_type(p, profile_intern(p, "samples", 7),
                                                profile_intern(p, "count", 5));
    size_t cap = 0, lineno = 0, nsamples = 0;
    struct source src = { .name = name };
    uint32_t source = profile_add_source(p, &src);

    if (p->nsources == 1)
        p->default_type = type;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        size_t n = (size_t)((nl ? nl : end) - s), depth;
        int64_t count;
        int r;

        lineno++;
        while (n && (s[n - 1] == '\r' || s[n - 1] == ' '))
            n--;
        if (n && s[0] != '#') {
            if ((r = parse_line(p, s, n, &stack, &cap, &depth, &count))) {
                snprintf(err, SOURCE_ERR_MAX, "line %zu: %s", lineno,
                         r == -1 ? "no sample count at the end of the line" : "count too large");
                free(stack);
                return -1;
            }
            size_t sample = profile_add_sample(p, trie_insert_path(&p->trie, stack, depth), 0, source);
            profile_values(p, sample)[type] = count;
            nsamples++;
        }
        s = nl ? nl + 1 : end;
    }
    free(stack);
    if (!nsamples) {
        snprintf(err, SOURCE_ERR_MAX, "no stacks in folded file");
        return -1;
    }
    return 0;
}
