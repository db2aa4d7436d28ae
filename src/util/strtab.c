#include "strtab.h"

#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "xalloc.h"

void strtab_init(struct strtab *t)
{
    memset(t, 0, sizeof *t);
    arena_init(&t->mem, 256 * 1024);
    t->mask = 1023;
    t->slots = xcalloc(t->mask + 1, sizeof *t->slots);
    strtab_intern(t, "", 0);
}

void strtab_free(struct strtab *t)
{
    arena_free(&t->mem);
    free(t->str);
    free(t->len);
    free(t->slots);
    memset(t, 0, sizeof *t);
}

static uint32_t slot_of(const struct strtab *t, const char *s, size_t len)
{
    uint32_t i = (uint32_t)hash_bytes_keyed(s, len) & t->mask;

    for (;; i = (i + 1) & t->mask) {
        uint32_t id = t->slots[i];

        if (!id || (t->len[id - 1] == len && !memcmp(t->str[id - 1], s, len)))
            return i;
    }
}

static void grow_slots(struct strtab *t)
{
    uint32_t *old = t->slots, old_size = t->mask + 1;

    t->mask = old_size * 2 - 1;
    t->slots = xcalloc(t->mask + 1, sizeof *t->slots);
    for (uint32_t i = 0; i < old_size; i++) {
        uint32_t id = old[i];

        if (id)
            t->slots[slot_of(t, t->str[id - 1], t->len[id - 1])] = id;
    }
    free(old);
}

uint32_t strtab_find(const struct strtab *t, const char *s, size_t len)
{
    uint32_t id = t->slots[slot_of(t, s, len)];

    return id ? id - 1 : UINT32_MAX;
}

uint32_t strtab_intern(struct strtab *t, const char *s, size_t len)
{
    uint32_t i = slot_of(t, s, len);

    if (t->slots[i])
        return t->slots[i] - 1;
    if (len > UINT32_MAX || t->count == UINT32_MAX - 1)
        fatal("string table overflow");
    if (t->count == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 1024;
        t->str = xreallocarray(t->str, t->cap, sizeof *t->str);
        t->len = xreallocarray(t->len, t->cap, sizeof *t->len);
    }
    t->str[t->count] = arena_strndup(&t->mem, s, len);
    t->len[t->count] = (uint32_t)len;
    t->slots[i] = ++t->count;
    if (t->count > (t->mask + 1) / 4 * 3)
        grow_slots(t);
    return t->count - 1;
}
