#include "trie.h"

#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "sat.h"
#include "xalloc.h"

void trie_init(struct trie *t)
{
    memset(t, 0, sizeof *t);
    t->cap = 1024;
    t->node = xmalloc(t->cap * sizeof *t->node);
    t->nested = xmalloc(t->cap);
    t->node[0] = (struct trie_node){ TRIE_ROOT, TRIE_NO_FRAME };
    t->nested[0] = 0;
    t->count = 1;
    t->mask = 4095;
    t->slots = xcalloc(t->mask + 1, sizeof *t->slots);
}

void trie_free(struct trie *t)
{
    free(t->node);
    free(t->nested);
    free(t->slots);
    free(t->seen);
    free(t->child_start);
    free(t->child);
    memset(t, 0, sizeof *t);
}

static void grow_slots(struct trie *t)
{
    uint32_t size = (t->mask + 1) * 2;

    free(t->slots);
    t->mask = size - 1;
    t->slots = xcalloc(size, sizeof *t->slots);
    for (uint32_t id = 1; id < t->count; id++) {
        uint32_t i = (uint32_t)hash_pair(t->node[id].parent, t->node[id].frame) & t->mask;

        while (t->slots[i])
            i = (i + 1) & t->mask;
        t->slots[i] = id;
    }
}

static uint32_t add_node(struct trie *t, uint32_t slot, uint32_t parent, uint32_t frame, int nested)
{
    uint32_t id = t->count;

    if (id == UINT32_MAX)
        fatal("call tree too large (%u nodes)", id);
    if (id == t->cap) {
        t->cap *= 2;
        t->node = xreallocarray(t->node, t->cap, sizeof *t->node);
        t->nested = xreallocarray(t->nested, t->cap, 1);
    }
    t->node[id] = (struct trie_node){ parent, frame };
    t->nested[id] = (uint8_t)nested;
    t->slots[slot] = id;
    if (++t->count > (t->mask + 1) / 4 * 3)
        grow_slots(t);
    return id;
}

/* Finds or adds the child of parent holding frame. */
static uint32_t child_of(struct trie *t, uint32_t parent, uint32_t frame, int nested)
{
    uint32_t i = (uint32_t)hash_pair(parent, frame) & t->mask;

    for (;; i = (i + 1) & t->mask) {
        uint32_t id = t->slots[i];

        if (!id)
            return add_node(t, i, parent, frame, nested);
        if (t->node[id].parent == parent && t->node[id].frame == frame)
            return id;
    }
}

static void reserve_seen(struct trie *t, const uint32_t *frames, size_t n)
{
    uint32_t max = 0;

    for (size_t i = 0; i < n; i++)
        if (frames[i] > max)
            max = frames[i];
    if (max < t->seen_cap)
        return;
    t->seen = xreallocarray(t->seen, (size_t)max + 1024, sizeof *t->seen);
    memset(t->seen + t->seen_cap, 0, (max + 1024 - t->seen_cap) * sizeof *t->seen);
    t->seen_cap = max + 1024;
}

uint32_t trie_insert_path(struct trie *t, const uint32_t *frames, size_t n)
{
    uint32_t node = TRIE_ROOT;

    reserve_seen(t, frames, n);
    if (++t->stamp == 0) {      /* wrapped: old stamps could collide */
        memset(t->seen, 0, t->seen_cap * sizeof *t->seen);
        t->stamp = 1;
    }
    for (size_t i = 0; i < n; i++) {
        /* A frame is nested when it already occurs above on this path: the
         * flat table counts such a sample once, at the outermost frame. */
        int nested = t->seen[frames[i]] == t->stamp;

        t->seen[frames[i]] = t->stamp;
        node = child_of(t, node, frames[i], nested);
    }
    return node;
}

void trie_index(struct trie *t)
{
    uint32_t n = t->count, *fill;

    free(t->child_start);
    free(t->child);
    t->child_start = xcalloc((size_t)n + 1, sizeof *t->child_start);
    t->child = xmalloc((size_t)n * sizeof *t->child);
    for (uint32_t id = 1; id < n; id++)
        t->child_start[t->node[id].parent + 1]++;
    for (uint32_t id = 0; id < n; id++)
        t->child_start[id + 1] += t->child_start[id];
    fill = xmalloc((size_t)n * sizeof *fill);
    memcpy(fill, t->child_start, (size_t)n * sizeof *fill);
    for (uint32_t id = 1; id < n; id++)
        t->child[fill[t->node[id].parent]++] = id;
    free(fill);
    t->indexed = n;
}

void trie_totals(const struct trie *t, const int64_t *self, int64_t *total)
{
    memcpy(total, self, (size_t)t->count * sizeof *total);
    for (uint32_t id = t->count - 1; id > 0; id--)
        total[t->node[id].parent] = sat_add(total[t->node[id].parent], total[id]);
}

uint32_t trie_depth(const struct trie *t, uint32_t n)
{
    uint32_t d = 0;

    for (; n != TRIE_ROOT; n = t->node[n].parent)
        d++;
    return d;
}
