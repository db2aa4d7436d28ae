#include "intmap.h"

#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "xalloc.h"

static void alloc_slots(struct intmap *m, uint32_t size)
{
    m->mask = size - 1;
    m->keys = xmalloc((size_t)size * sizeof *m->keys);
    m->vals = xmalloc((size_t)size * sizeof *m->vals);
    memset(m->vals, 0xff, (size_t)size * sizeof *m->vals);
}

void intmap_init(struct intmap *m, uint32_t expected)
{
    uint32_t size = 16;

    while (size < UINT32_MAX / 4 && size / 4 * 3 <= expected)
        size *= 2;
    m->count = 0;
    alloc_slots(m, size);
}

void intmap_free(struct intmap *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

static uint32_t find_slot(const struct intmap *m, uint64_t key)
{
    uint32_t i = (uint32_t)hash_keyed_u64(key) & m->mask;

    while (m->vals[i] != INTMAP_NONE && m->keys[i] != key)
        i = (i + 1) & m->mask;
    return i;
}

static void grow(struct intmap *m)
{
    uint64_t *keys = m->keys;
    uint32_t *vals = m->vals, size = m->mask + 1;

    alloc_slots(m, size * 2);
    for (uint32_t i = 0; i < size; i++) {
        if (vals[i] != INTMAP_NONE) {
            uint32_t j = find_slot(m, keys[i]);

            m->keys[j] = keys[i];
            m->vals[j] = vals[i];
        }
    }
    free(keys);
    free(vals);
}

uint32_t intmap_put(struct intmap *m, uint64_t key, uint32_t val)
{
    uint32_t i = find_slot(m, key), old = m->vals[i];

    m->keys[i] = key;
    m->vals[i] = val;
    if (old == INTMAP_NONE && ++m->count > (m->mask + 1) / 4 * 3)
        grow(m);
    return old;
}

uint32_t intmap_get(const struct intmap *m, uint64_t key)
{
    return m->vals[find_slot(m, key)];
}
