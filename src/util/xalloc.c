#include "xalloc.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "text.h"

static void (*fatal_cleanup)(void);
static const char *fatal_context;
static void (*fatal_exit)(int) = exit;

void fatal_set_cleanup(void (*cleanup)(void))
{
    fatal_cleanup = cleanup;
}

void fatal_set_exit(void (*leave)(int))
{
    fatal_exit = leave ? leave : exit;
}

void fatal_set_context(const char *what)
{
    fatal_context = what;
}

/* Allocates nothing: it may be reporting that nothing can be. */
void fatal(const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    int n;

    if (fatal_cleanup)
        fatal_cleanup();
    va_start(ap, fmt);
    n = vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fputs("ember: ", stderr);
    if (fatal_context) {
        text_write_escaped(stderr, fatal_context, strlen(fatal_context), TEXT_ESCAPE_DISPLAY);
        fputs(": ", stderr);
    }
    if (n > 0)
        text_write_escaped(stderr, msg, (size_t)n < sizeof msg ? (size_t)n : sizeof msg - 1,
                           TEXT_ESCAPE_DISPLAY);
    fputc('\n', stderr);
    fflush(stderr);
    fatal_exit(3);
    _exit(3);                   /* a leave that returned */
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

#define HUGE_PAGE ((size_t)2 << 20)

static size_t round_up(size_t n)
{
    return n ? (n + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1) : HUGE_PAGE;
}

void *xbig_realloc(void *p, size_t old_bytes, size_t new_bytes)
{
    size_t old_map = p ? round_up(old_bytes) : 0, new_map = round_up(new_bytes);
    void *q;

    if (p && new_map == old_map)
        return p;
    if (p)
        q = mremap(p, old_map, new_map, MREMAP_MAYMOVE);
    else
        q = mmap(NULL, new_map, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (q == MAP_FAILED)
        fatal("out of memory (%zu bytes)", new_bytes);
#ifdef MADV_HUGEPAGE
    madvise(q, new_map, MADV_HUGEPAGE);
#endif
    return q;
}

void xbig_free(void *p, size_t bytes)
{
    if (p)
        munmap(p, round_up(bytes));
}
