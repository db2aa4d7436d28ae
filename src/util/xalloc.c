#include "xalloc.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
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

/* The last large array freed, kept mapped for the next one: on a VM the
 * first touch of fresh pages costs ~2 ms a MB (the host maps and zeroes
 * them), a memset of pages already there ~0.1 ms. A load frees its 100+ MB
 * of parsed stacks just before the query allocates its per-node totals:
 * reused, the totals fault in only what they need beyond, and the peak does
 * not grow (those pages were resident anyway). One region at most, so what
 * is kept is bounded by the largest array of the session. */
static struct {
    pthread_mutex_t mu;
    void *p;
    size_t map;                 /* its mapped bytes */
} spare = { PTHREAD_MUTEX_INITIALIZER, NULL, 0 };

#define SPARE_MIN ((size_t)16 << 20)

/* Zeroes the pages of [q, q + len) that are resident: the others read as
 * zero already, and a memset would fault them in (a reserve never
 * touched in full). */
static void zero_resident(void *q, size_t len)
{
    enum { CHUNK = 4096 };
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    unsigned char vec[CHUNK];

    for (size_t at = 0; at < len; at += (size_t)CHUNK * page) {
        size_t n = len - at < (size_t)CHUNK * page ? len - at : (size_t)CHUNK * page;
        size_t pages = (n + page - 1) / page;

        if (mincore((char *)q + at, n, vec)) {
            memset((char *)q + at, 0, n);
            continue;
        }
        for (size_t i = 0; i < pages;) {
            size_t j = i;

            while (j < pages && (vec[j] & 1))
                j++;
            if (j > i) {
                size_t bytes = (j - i) * page;

                memset((char *)q + at + i * page, 0, bytes < n - i * page ? bytes : n - i * page);
            }
            i = j + 1;
        }
    }
}

/* A zeroed region of new_map bytes from the spare, or NULL. */
static void *take_spare(size_t new_map)
{
    void *q;
    size_t map;

    pthread_mutex_lock(&spare.mu);
    q = spare.p, map = spare.map;
    spare.p = NULL, spare.map = 0;
    pthread_mutex_unlock(&spare.mu);
    if (!q)
        return NULL;
    if (map > new_map) {
        munmap((char *)q + new_map, map - new_map);
        map = new_map;
    } else if (map < new_map) {
        void *r = mremap(q, map, new_map, MREMAP_MAYMOVE);      /* the rest: fresh zero pages */

        if (r == MAP_FAILED) {
            munmap(q, map);
            return NULL;
        }
        q = r;
    }
    zero_resident(q, map);
    return q;
}

void *xbig_realloc(void *p, size_t old_bytes, size_t new_bytes)
{
    size_t old_map = p ? round_up(old_bytes) : 0, new_map = round_up(new_bytes);
    void *q;

    if (p && new_map == old_map)
        return p;
    if (p)
        q = mremap(p, old_map, new_map, MREMAP_MAYMOVE);
    else if (new_map < SPARE_MIN || !(q = take_spare(new_map)))
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
    size_t map = round_up(bytes);

    if (!p)
        return;
    if (map >= SPARE_MIN) {
        pthread_mutex_lock(&spare.mu);
        void *old = spare.p;
        size_t old_map = spare.map;

        if (map >= old_map) {   /* keep the larger one */
            spare.p = p, spare.map = map;
            p = old, map = old_map;
        }
        pthread_mutex_unlock(&spare.mu);
        if (!p)
            return;
    }
    munmap(p, map);
}

void xbig_trim(void)
{
    pthread_mutex_lock(&spare.mu);
    if (spare.p)
        munmap(spare.p, spare.map);
    spare.p = NULL, spare.map = 0;
    pthread_mutex_unlock(&spare.mu);
}
