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

/* Large regions kept mapped for the next large arrays: on a VM the first
 * touch of fresh pages costs ~2 ms a MB (the host maps and zeroes them), a
 * memset of pages already there ~0.1 ms. Two kinds:
 * - the largest array freed last (dirty: its resident pages are zeroed when
 *   taken). A load frees its 100+ MB of parsed stacks just before the query
 *   allocates its per-node totals: reused, the totals fault in only what
 *   they need beyond, and the peak does not grow (those pages were resident
 *   anyway). One such region at most.
 * - regions mapped ahead (xbig_stock), by a thread that has nothing else to
 *   do, for arrays the caller knows are coming (clean: zero already). */
enum { POOL_MAX = 8 };

static struct {
    pthread_mutex_t mu;
    struct region {
        void *p;
        size_t map;             /* its mapped bytes */
        int dirty;
    } r[POOL_MAX];
    int n;
} pool = { .mu = PTHREAD_MUTEX_INITIALIZER };

#define POOL_MIN ((size_t)16 << 20)

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

/* The region to hand out for new_map bytes: the smallest that holds them,
 * clean before dirty, else the largest (grown); -1 for none. Call locked. */
static int pool_pick(size_t new_map)
{
    int best = -1, largest = -1;

    for (int i = 0; i < pool.n; i++) {
        const struct region *r = &pool.r[i];

        if (largest < 0 || r->map > pool.r[largest].map)
            largest = i;
        if (r->map >= new_map &&
            (best < 0 || r->dirty < pool.r[best].dirty ||
             (r->dirty == pool.r[best].dirty && r->map < pool.r[best].map)))
            best = i;
    }
    return best >= 0 ? best : largest;
}

/* A zeroed region of new_map bytes from the pool, or NULL. */
static void *pool_take(size_t new_map)
{
    struct region r;
    int i;

    pthread_mutex_lock(&pool.mu);
    i = pool_pick(new_map);
    if (i >= 0) {
        r = pool.r[i];
        pool.r[i] = pool.r[--pool.n];
    }
    pthread_mutex_unlock(&pool.mu);
    if (i < 0)
        return NULL;
    if (r.map > new_map) {
        munmap((char *)r.p + new_map, r.map - new_map);
        r.map = new_map;
    } else if (r.map < new_map) {
        void *q = mremap(r.p, r.map, new_map, MREMAP_MAYMOVE);  /* the rest: fresh zero pages */

        if (q == MAP_FAILED) {
            munmap(r.p, r.map);
            return NULL;
        }
        r.p = q;
    }
    if (r.dirty)
        zero_resident(r.p, r.map);
    return r.p;
}

/* Adds a region; returns 0 when the pool is full (the caller unmaps it). */
static int pool_put(void *p, size_t map, int dirty)
{
    int ok;

    pthread_mutex_lock(&pool.mu);
    ok = pool.n < POOL_MAX;
    if (ok)
        pool.r[pool.n++] = (struct region){ p, map, dirty };
    pthread_mutex_unlock(&pool.mu);
    return ok;
}

void *xbig_realloc(void *p, size_t old_bytes, size_t new_bytes)
{
    size_t old_map = p ? round_up(old_bytes) : 0, new_map = round_up(new_bytes);
    void *q;

    if (p && new_map == old_map)
        return p;
    if (p)
        q = mremap(p, old_map, new_map, MREMAP_MAYMOVE);
    else if (new_map < POOL_MIN || !(q = pool_take(new_map)))
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
    if (map >= POOL_MIN) {      /* kept if larger than the dirty one there */
        void *drop = p;
        size_t drop_map = map;

        pthread_mutex_lock(&pool.mu);
        int i = 0;

        while (i < pool.n && !pool.r[i].dirty)
            i++;
        if (i == pool.n && pool.n < POOL_MAX) {
            pool.r[pool.n++] = (struct region){ p, map, 1 };
            drop = NULL;
        } else if (i < pool.n && pool.r[i].map <= map) {
            drop = pool.r[i].p, drop_map = pool.r[i].map;
            pool.r[i] = (struct region){ p, map, 1 };
        }
        pthread_mutex_unlock(&pool.mu);
        p = drop, map = drop_map;
        if (!p)
            return;
    }
    munmap(p, map);
}

const void *xbig_stock(size_t bytes, const int *stop)
{
    const size_t step = (size_t)2 << 20;
    size_t map = round_up(bytes);
    char *q;

    if (map < POOL_MIN)
        return NULL;
    q = mmap(NULL, map, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (q == MAP_FAILED)
        return NULL;
#ifdef MADV_HUGEPAGE
    madvise(q, map, MADV_HUGEPAGE);
#endif
#ifdef MADV_POPULATE_WRITE
    for (size_t at = 0; at < map && !__atomic_load_n(stop, __ATOMIC_RELAXED); at += step)
        if (madvise(q + at, map - at < step ? map - at : step, MADV_POPULATE_WRITE))
            break;
#endif
    if (!pool_put(q, map, 0)) {
        munmap(q, map);
        return NULL;
    }
    return q;
}

void xbig_trim(void)
{
    pthread_mutex_lock(&pool.mu);
    for (int i = 0; i < pool.n; i++)
        munmap(pool.r[i].p, pool.r[i].map);
    pool.n = 0;
    pthread_mutex_unlock(&pool.mu);
}

static void *populate_main(void *arg)
{
    struct xpopulate *w = arg;
    const size_t step = (size_t)2 << 20;

#ifdef MADV_POPULATE_WRITE
    uintptr_t lo = ((uintptr_t)w->p + 4095) & ~(uintptr_t)4095;
    uintptr_t hi = ((uintptr_t)w->p + w->len) & ~(uintptr_t)4095;

    for (uintptr_t at = lo; at < hi && !__atomic_load_n(&w->stop, __ATOMIC_RELAXED); at += step)
        if (madvise((void *)at, hi - at < step ? hi - at : step, MADV_POPULATE_WRITE))
            break;
#else
    (void)step;
#endif
    return NULL;
}

void xpopulate_start(struct xpopulate *w, void *p, size_t len)
{
    *w = (struct xpopulate){ .p = p, .len = len };
    w->running = len >= XPOPULATE_MIN && !pthread_create(&w->thread, NULL, populate_main, w);
}

void xpopulate_stop(struct xpopulate *w)
{
    __atomic_store_n(&w->stop, 1, __ATOMIC_RELAXED);
    if (w->running)
        pthread_join(w->thread, NULL);
    w->running = 0;
}
