/* Allocation that never returns NULL, and fatal(): the one exit for
 * environment failures (out of memory, a broken terminal). */
#ifndef EMBER_XALLOC_H
#define EMBER_XALLOC_H

#include <pthread.h>
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
/* Grows *p to hold count elements of size bytes; checks the multiplication. */
void *xreallocarray(void *p, size_t count, size_t size);
char *xstrdup(const char *s);

/* Large arrays (tens to hundreds of MB, randomly accessed): mapped with
 * transparent huge pages where the kernel offers them, and grown by
 * remapping pages rather than copying bytes. Sizes are the caller's to
 * remember. xbig_realloc(NULL, 0, n) allocates; new memory is zeroed. */
void *xbig_realloc(void *p, size_t old_bytes, size_t new_bytes);
/* The largest array freed last stays mapped (resident) for the next
 * xbig_realloc(NULL, ...) of 16 MB or more, which takes it (zeroed): its
 * pages are not faulted in again. */
void xbig_free(void *p, size_t bytes);
/* Maps a region of `bytes` and faults its pages in (until *stop), for an
 * array the caller knows is coming: the next xbig_realloc(NULL, ...) it
 * holds takes it (the smallest such, stocked before freed). For a thread
 * with nothing else to do; thread-safe. Returns where the region is (not
 * the caller's: for a test to see who takes it), NULL when none was kept. */
const void *xbig_stock(size_t bytes, const int *stop);
/* Unmaps every region kept (freed or stocked) and not taken. */
void xbig_trim(void);

/* Faults the pages of [p, p + len) in on another thread while the caller
 * writes them from the start (a read, an inflate): on a VM the first touch
 * of a page costs about as much as the work that writes it. Changes no
 * byte. Below XPOPULATE_MIN no thread is started. Stop it before the
 * buffer moves or is freed. */
#define XPOPULATE_MIN ((size_t)16 << 20)

struct xpopulate {
    pthread_t thread;
    void *p;
    size_t len;
    int stop, running;
};

void xpopulate_start(struct xpopulate *w, void *p, size_t len);
void xpopulate_stop(struct xpopulate *w);

/* Registers a function fatal() calls before printing (the UI restores the
 * terminal there). One hook; a second call replaces the first. */
void fatal_set_cleanup(void (*cleanup)(void));

/* How fatal() leaves (NULL: exit, the default): a forked child passes
 * _exit, so that the parent's atexit handlers and stdio buffers stay the
 * parent's. */
void fatal_set_exit(void (*leave)(int));

/* Names what is being done (the file being loaded) in fatal()'s message;
 * NULL clears it. The string must outlive its use. */
void fatal_set_context(const char *what);

/* Prints "ember: [<context>: ]<message>" (escaped) to stderr and exits
 * with status 3. */
void fatal(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

#endif
