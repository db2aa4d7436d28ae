/* A bump allocator: many small allocations, one release. Memory comes in
 * chunks; nothing is freed until arena_reset() or arena_free(). */
#ifndef EMBER_ARENA_H
#define EMBER_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
    struct arena_chunk *head;   /* chunk being filled */
    size_t chunk_size;          /* size of the next ordinary chunk */
};

/* chunk_size 0 picks a default (64 KiB). */
void arena_init(struct arena *a, size_t chunk_size);
/* Returns n bytes aligned for any type; never NULL. */
void *arena_alloc(struct arena *a, size_t n);
/* Copies len bytes of s and a terminating NUL. */
char *arena_strndup(struct arena *a, const char *s, size_t len);
/* Forgets every allocation but keeps the first chunk for reuse. */
void arena_reset(struct arena *a);
void arena_free(struct arena *a);

#endif
