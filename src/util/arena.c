#include "arena.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

struct arena_chunk {
    struct arena_chunk *next;
    size_t size, used;
    alignas(max_align_t) unsigned char data[];
};

static struct arena_chunk *chunk_new(size_t size, struct arena_chunk *next)
{
    struct arena_chunk *c = xmalloc(sizeof *c + size);

    c->next = next;
    c->size = size;
    c->used = 0;
    return c;
}

void arena_init(struct arena *a, size_t chunk_size)
{
    a->head = NULL;
    a->chunk_size = chunk_size ? chunk_size : 64 * 1024;
}

void *arena_alloc(struct arena *a, size_t n)
{
    const size_t align = alignof(max_align_t);
    struct arena_chunk *c = a->head;
    size_t need = (n + align - 1) & ~(align - 1);

    if (!need)
        need = align;
    if (!c || c->size - c->used < need) {
        /* An oversized request gets a chunk of its own, behind the head,
         * so the partly filled head keeps serving small requests. */
        if (need > a->chunk_size / 4 && c) {
            c->next = chunk_new(need, c->next);
            c->next->used = need;
            return c->next->data;
        }
        a->head = c = chunk_new(need > a->chunk_size ? need : a->chunk_size, c);
    }
    c->used += need;
    return c->data + c->used - need;
}

char *arena_strndup(struct arena *a, const char *s, size_t len)
{
    char *p = arena_alloc(a, len + 1);

    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

void arena_reset(struct arena *a)
{
    struct arena_chunk *keep = a->head;

    if (!keep)
        return;
    /* The head chunk is the one most recently filled: reuse it. */
    for (struct arena_chunk *c = keep->next, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    keep->next = NULL;
    keep->used = 0;
}

void arena_free(struct arena *a)
{
    for (struct arena_chunk *c = a->head, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    a->head = NULL;
}
