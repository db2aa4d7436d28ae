#include "xalloc.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void (*fatal_cleanup)(void);

void fatal_set_cleanup(void (*cleanup)(void))
{
    fatal_cleanup = cleanup;
}

void fatal(const char *fmt, ...)
{
    va_list ap;

    if (fatal_cleanup)
        fatal_cleanup();
    fputs("ember: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(3);
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);

    if (!p)
        fatal("out of memory (%zu bytes)", n);
    return p;
}

void *xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);

    if (!p)
        fatal("out of memory (%zu x %zu bytes)", count, size);
    return p;
}

void *xreallocarray(void *p, size_t count, size_t size)
{
    size_t bytes;

    if (size && count > SIZE_MAX / size)
        fatal("allocation overflow (%zu x %zu bytes)", count, size);
    bytes = count * size;
    p = realloc(p, bytes ? bytes : 1);
    if (!p)
        fatal("out of memory (%zu x %zu bytes)", count, size);
    return p;
}

char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;

    return memcpy(xmalloc(n), s, n);
}
