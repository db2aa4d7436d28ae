#include "trie.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "hash.h"
#include "sat.h"
#include "xalloc.h"

void trie_init(struct trie *t)
{
    memset(t, 0, sizeof *t);
    t->cap = 1 << 16;
    t->node = xbig_realloc(NULL, 0, t->cap * sizeof *t->node);
    t->nested_bits = xbig_realloc(NULL, 0, t->cap / 8);    /* zero: mmap'd */
    t->node[0] = (struct trie_node){ TRIE_ROOT, TRIE_NO_FRAME };
    t->count = 1;
    t->mask = (1 << 17) - 1;
    t->shift = 17;
    t->slots = xbig_realloc(NULL, 0, (t->mask + 1) * sizeof *t->slots);
}

static inline uint32_t slot_tag(const struct trie *t, uint64_t h)
{
    return t->shift >= 32 ? 0 : (uint32_t)(h >> 32) >> t->shift;
}

static inline uint32_t slot_value(const struct trie *t, uint32_t id, uint64_t h)
{
    return t->shift >= 32 ? id : id | slot_tag(t, h) << t->shift;
}

void trie_free(struct trie *t)
{
    xbig_free(t->node, t->cap * sizeof *t->node);
    xbig_free(t->nested_bits, t->cap / 8);
    xbig_free(t->slots, (t->mask + 1) * sizeof *t->slots);
    free(t->seen);
    xbig_free(t->child_start, ((size_t)t->indexed + 2) * sizeof *t->child_start);
    xbig_free(t->child, (size_t)t->indexed * sizeof *t->child);
    memset(t, 0, sizeof *t);
}

/* Rehashes into a table of `size` slots, prefetching a few nodes ahead:
 * the writes land anywhere in the table. */
static void grow_slots_to(struct trie *t, uint32_t size)
{
    enum { AHEAD = 16 };

    xbig_free(t->slots, (t->mask + 1) * sizeof *t->slots);
    t->mask = size - 1;
    t->shift = (uint32_t)__builtin_ctz(size);
    t->slots = xbig_realloc(NULL, 0, size * sizeof *t->slots);
    for (uint32_t id = 1; id < t->count; id++) {
        uint64_t h = hash_pair(t->node[id].parent, t->node[id].frame);
        uint32_t i = (uint32_t)h & t->mask;

        if (id + AHEAD < t->count)
            __builtin_prefetch(&t->slots[(uint32_t)hash_pair(t->node[id + AHEAD].parent,
                                                             t->node[id + AHEAD].frame) & t->mask], 1);
        while (t->slots[i])
            i = (i + 1) & t->mask;
        t->slots[i] = slot_value(t, id, h);
    }
}

/* Doubles the hash, or rebuilds it (after trie_seal, or a fresh trie's
 * grouped build, which makes none) at a size that holds every node. */
static void grow_slots(struct trie *t)
{
    uint32_t size = t->mask + 1;

    if (t->slots) {
        grow_slots_to(t, size * 2);
        return;
    }
    while (size < (1u << 31) && (uint64_t)size / 4 * 3 <= t->count)
        size *= 2;
    grow_slots_to(t, size);
}

/* Appends node (parent, frame) without hashing it: what a fresh trie's
 * grouped build does (the hash is built later, if ever, from the nodes).
 * Returns parent when the budget is spent. */
static uint32_t append_node(struct trie *t, uint32_t parent, uint32_t frame, int nested)
{
    uint32_t id = t->count;

    if (t->max_nodes && id >= t->max_nodes) {
        t->full = 1;
        return parent;
    }
    if (id == UINT32_MAX)
        fatal("call tree too large (%u nodes)", id);
    if (id == t->cap) {
        t->node = xbig_realloc(t->node, t->cap * sizeof *t->node, 2 * t->cap * sizeof *t->node);
        t->nested_bits = xbig_realloc(t->nested_bits, t->cap / 8, 2 * t->cap / 8);
        t->cap *= 2;
    }
    t->node[id] = (struct trie_node){ parent, frame };
    if (nested)
        t->nested_bits[id >> 6] |= 1ull << (id & 63);
    t->count++;
    return id;
}

/* append_node, then the new node into the hash at slot. */
static uint32_t add_node(struct trie *t, uint32_t slot, uint32_t parent, uint32_t frame, int nested,
                         uint64_t h)
{
    uint32_t id = append_node(t, parent, frame, nested);

    if (id == parent)           /* the budget is spent (a new id is above its parent's) */
        return parent;
    t->slots[slot] = slot_value(t, id, h);
    if (t->count > (t->mask + 1) / 4 * 3)
        grow_slots(t);
    return id;
}

/* Finds or adds the child of parent holding frame; h is hash_pair of both. */
static uint32_t child_of(struct trie *t, uint32_t parent, uint32_t frame, int nested, uint64_t h)
{
    uint32_t i;

    if (!t->slots)
        grow_slots(t);
    i = (uint32_t)h & t->mask;

    for (uint32_t tag = slot_tag(t, h);; i = (i + 1) & t->mask) {
        uint32_t s = t->slots[i], id = s & t->mask;

        if (!s)
            return add_node(t, i, parent, frame, nested, h);
        if ((t->shift >= 32 || s >> t->shift == tag) && t->node[id].parent == parent &&
            t->node[id].frame == frame)
            return id;
    }
}

/* Room in t->seen for frames up to max. */
static void reserve_seen_to(struct trie *t, uint32_t max)
{
    if (max < t->seen_cap)
        return;
    t->seen = xreallocarray(t->seen, (size_t)max + 1024, sizeof *t->seen);
    memset(t->seen + t->seen_cap, 0, (max + 1024 - t->seen_cap) * sizeof *t->seen);
    t->seen_cap = max + 1024;
}

static void reserve_seen(struct trie *t, const uint32_t *frames, size_t n)
{
    uint32_t max = 0;

    for (size_t i = 0; i < n; i++)
        if (frames[i] > max)
            max = frames[i];
    reserve_seen_to(t, max);
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
        node = child_of(t, node, frames[i], nested, hash_pair(node, frames[i]));
    }
    return node;
}

/* The nested bit is only worked out (a walk to the root) for a node not
 * there yet, and only when the caller says the frame may be above: a
 * filter's pass calls this for every node, and the walk for each was
 * O(nodes x depth). */
uint32_t trie_child_hint(struct trie *t, uint32_t parent, uint32_t frame, int may_nest)
{
    uint64_t h = hash_pair(parent, frame);
    int nested = 0;

    if (!t->slots)
        grow_slots(t);
    for (uint32_t i = (uint32_t)h & t->mask, tag = slot_tag(t, h);; i = (i + 1) & t->mask) {
        uint32_t s = t->slots[i], id = s & t->mask;

        if (!s)
            break;
        if ((t->shift >= 32 || s >> t->shift == tag) && t->node[id].parent == parent &&
            t->node[id].frame == frame)
            return id;
    }
    for (uint32_t n = parent; may_nest && n != TRIE_ROOT && !nested; n = t->node[n].parent)
        nested = t->node[n].frame == frame;
    return child_of(t, parent, frame, nested, h);
}

uint32_t trie_child(struct trie *t, uint32_t parent, uint32_t frame)
{
    return trie_child_hint(t, parent, frame, 1);
}


/* A run of perm[lo..hi): stacks that share their first `depth` frames,
 * which end at node. */
struct group {
    uint32_t lo, hi, node, depth;
};

/* What the grouped build works with; see trie_insert_batch. A frame of
 * the stacks carries its nested bit in NESTED_BIT while they are built. */
#define NESTED_BIT (1u << 31)
#define STACK_END(b, s) ((b)->ends ? (b)->ends[s] : (b)->start[(s) + 1])

/* The ids a lane of a parallel build takes at a time (512 KB of nodes). */
#define LANE_CHUNK 65536u

struct build {
    struct trie *t;
    const uint32_t *frames, *start, *ends;      /* ends NULL: stack s ends at start[s + 1] */
    uint32_t *leaf, *perm, *tmp, *key;  /* shared by both lanes: disjoint runs */
    uint32_t *slot_of, *first, *cnt;    /* a lane's own scratch */
    struct group *todo;
    uint32_t ntodo, nf, end_key;  /* frames < nf; keys: frame + nf x nested */
    int hashed;                 /* the trie had nodes: find them through the hash */
    /* Lane k (0 or 1) of a parallel build (build_two) writes its nodes
     * into chunks of LANE_CHUNK ids, its i-th the chunk 2i + k from base:
     * the same ids whatever the timing. [next, end) is the one it fills;
     * fill[chunk] says how much of each it used. It writes through its
     * own copies of t->node and t->nested_bits (it never touches *t: the
     * other lane would share its cache line). */
    int lane, k;
    uint32_t next, end, base, chunks, *fill;
    struct trie_node *node;
    uint64_t *nested_bits;
};

static uint32_t build_child(struct build *b, uint32_t parent, uint32_t pos)
{
    struct trie *t = b->t;
    uint32_t frame = b->frames[pos] & ~NESTED_BIT;
    int nested = b->frames[pos] >> 31;

    if (b->lane) {
        if (b->next == b->end) {
            uint32_t chunk = 2 * b->chunks++ + (uint32_t)b->k;

            b->fill[chunk] = LANE_CHUNK;        /* till the lane ends: then its own */
            b->next = b->base + chunk * LANE_CHUNK;
            b->end = b->next + LANE_CHUNK;
        }
        b->node[b->next] = (struct trie_node){ parent, frame };
        if (nested)             /* the other lane's chunk may share the word */
            __atomic_fetch_or(&b->nested_bits[b->next >> 6], 1ull << (b->next & 63),
                              __ATOMIC_RELAXED);
        return b->next++;
    }
    if (!b->hashed)
        return append_node(t, parent, frame, nested);
    return child_of(t, parent, frame, nested, hash_pair(parent, frame));
}

/* A stack alone in its group: the rest of its path is a chain of nodes
 * (new ones, in a fresh trie), read and written sequentially. */
static void build_chain(struct build *b, uint32_t s, uint32_t node, uint32_t depth)
{
    for (uint32_t pos = b->start[s] + depth; pos < STACK_END(b, s); pos++) {
        uint32_t child = build_child(b, node, pos);

        if (child == node)      /* the budget is spent: the path stops here */
            break;
        node = child;
    }
    b->leaf[s] = node;
}

/* Splits a group by the frame at its depth (a counting scatter over the
 * distinct frames, in the order they first occur), makes one child node a
 * distinct frame (siblings get consecutive ids) and queues the subgroups,
 * the first on top. */
static void build_split(struct build *b, struct group g)
{
    enum { AHEAD = 8 };
    uint32_t nd = 0, *perm = b->perm, *key = b->key;

    for (uint32_t i = g.lo; i < g.hi; i++) {
        uint32_t s = perm[i], pos = b->start[s] + g.depth, k;

        if (i + AHEAD < g.hi)
            __builtin_prefetch(&b->frames[b->start[perm[i + AHEAD]] + g.depth]);
        k = b->end_key;
        if (pos < STACK_END(b, s))
            k = (b->frames[pos] & ~NESTED_BIT) + (b->frames[pos] >> 31) * b->nf;
        key[i] = k;
        if (b->slot_of[k] == UINT32_MAX) {
            b->slot_of[k] = nd;
            b->first[nd] = i;
            b->cnt[nd++] = 0;
        }
        b->cnt[b->slot_of[k]]++;
    }
    if (nd > 1) {
        for (uint32_t j = 0, at = g.lo; j < nd; j++) {
            uint32_t c = b->cnt[j];

            b->cnt[j] = at;     /* now the fill cursor */
            at += c;
        }
        for (uint32_t i = g.lo; i < g.hi; i++)
            b->tmp[b->cnt[b->slot_of[key[i]]]++] = perm[i];
        memcpy(perm + g.lo, b->tmp + g.lo, (g.hi - g.lo) * sizeof *perm);
    } else {
        b->cnt[0] = g.hi;
    }
    /* Subgroup j is now perm[cnt[j-1] .. cnt[j]). */
    uint32_t base = b->ntodo;
    for (uint32_t j = 0; j < nd; j++) {
        uint32_t lo = j ? b->cnt[j - 1] : g.lo, hi = b->cnt[j], k = key[b->first[j]];
        uint32_t s = perm[lo], child;

        b->slot_of[k] = UINT32_MAX;
        if (k == b->end_key) {
            for (uint32_t i = lo; i < hi; i++)
                b->leaf[perm[i]] = g.node;
            continue;
        }
        child = build_child(b, g.node, b->start[s] + g.depth);
        if (child == g.node) {
            for (uint32_t i = lo; i < hi; i++)
                b->leaf[perm[i]] = g.node;
            continue;
        }
        b->todo[b->ntodo++] = (struct group){ lo, hi, child, g.depth + 1 };
    }
    /* Reversed, so that the first distinct frame's subtree is built next. */
    for (uint32_t i = base, j = b->ntodo; i + 1 < j; i++, j--) {
        struct group x = b->todo[i];

        b->todo[i] = b->todo[j - 1];
        b->todo[j - 1] = x;
    }
}

/* A lane's own scratch, for up to n stacks. */
static void lane_init(struct build *b, uint32_t n)
{
    b->first = xmalloc((size_t)n * sizeof *b->first + 1);
    b->cnt = xmalloc((size_t)n * sizeof *b->cnt + 1);
    b->todo = xmalloc(((size_t)n + 1) * sizeof *b->todo);
    b->ntodo = 0;
    b->slot_of = xmalloc(((size_t)b->end_key + 1) * sizeof *b->slot_of);
    memset(b->slot_of, 0xff, ((size_t)b->end_key + 1) * sizeof *b->slot_of);
}

static void lane_free(struct build *b)
{
    free(b->first), free(b->cnt), free(b->todo), free(b->slot_of);
}

static void build_run(struct build *b)
{
    while (b->ntodo) {
        struct group g = b->todo[--b->ntodo];

        if (g.hi - g.lo == 1)
            build_chain(b, b->perm[g.lo], g.node, g.depth);
        else
            build_split(b, g);
    }
}

static void *lane_main(void *arg)
{
    build_run(arg);
    return NULL;
}

static int by_size_desc(const void *x, const void *y)
{
    const struct group *a = x, *b = y;
    uint32_t m = a->hi - a->lo, n = b->hi - b->lo;

    return (m < n) - (m > n);
}

/* Below PARALLEL_MIN stacks a second thread is not worth starting. */
#define PARALLEL_MIN 65536

/* Closes the chunks' unused ids (the two lanes' last chunks' ends, and
 * the chunks of the lane that took fewer, between the other's): the
 * nodes of a chunk move down by the ids unused below it, with their nested
 * bits, and every id that points to them with them. nchunks chunks from
 * base, fill[c] ids used of chunk c. */
static void close_chunks(struct build *b, uint32_t base, const uint32_t *fill, uint32_t nchunks,
                         uint32_t count)
{
    struct trie *t = b->t;
    uint32_t *shift = xmalloc(((size_t)nchunks + 1) * sizeof *shift), used = 0;

    for (uint32_t c = 0; c < nchunks; c++) {
        shift[c] = c * LANE_CHUNK - used;
        used += fill[c];
    }
#define MOVED(id) ((id) < base ? (id) : (id) - shift[((id) - base) / LANE_CHUNK])
    for (uint32_t c = 0; c < nchunks; c++) {
        uint32_t from = base + c * LANE_CHUNK;

        if (!shift[c])          /* nothing unused below: its parents' ids stay too */
            continue;
        for (uint32_t id = from; id < from + fill[c]; id++) {
            struct trie_node nd = t->node[id];
            uint32_t to = id - shift[c];
            uint64_t bit = t->nested_bits[id >> 6] >> (id & 63) & 1;

            t->nested_bits[id >> 6] &= ~(1ull << (id & 63));
            t->nested_bits[to >> 6] |= bit << (to & 63);
            t->node[to] = (struct trie_node){ MOVED(nd.parent), nd.frame };
        }
    }
    for (uint32_t s = 0; s < count; s++)
        b->leaf[s] = MOVED(b->leaf[s]);
#undef MOVED
    t->count = base + used;
    free(shift);
}

/* Builds a fresh trie on two threads (the other core is idle once the
 * file is parsed): the largest groups are split here until none holds
 * most stacks, then the groups go to two lanes, balanced by their stacks.
 * Each lane builds its subtrees alone into chunks of ids, the two lanes'
 * in turn (the ids do not depend on the timing): a parent still comes
 * before its children (a lane's chunks come in order, and the lanes share
 * only the nodes made here), and what moves at the end is what lies above
 * the first chunk's unused end (the lanes are balanced: little). The
 * trie's node budget must not be reachable (no lane could stop the other);
 * returns -1 (b->todo left to build) when the build stays on this thread. */
static int build_two(struct build *b, uint32_t n, uint32_t total, uint32_t count)
{
    struct trie *t = b->t;
    struct build two[2] = { *b, *b };
    pthread_t thread;
    uint32_t na = 0, nb = 0, sa = 0, sb = 0, base, *fill;
    /* a lane takes at most this many chunks: all frames in it */
    uint64_t most = (uint64_t)total / LANE_CHUNK + 2, nchunks = 2 * most;

    if (t->max_nodes && (uint64_t)t->count + total >= t->max_nodes)
        return -1;
    if ((uint64_t)t->count + total + nchunks * LANE_CHUNK >= UINT32_MAX - 128)
        return -1;
    for (;;) {                  /* split the largest until the stacks spread */
        uint32_t big = 0;

        if (!b->ntodo)
            return 0;
        for (uint32_t i = 1; i < b->ntodo; i++)
            if (b->todo[i].hi - b->todo[i].lo > b->todo[big].hi - b->todo[big].lo)
                big = i;
        if (b->ntodo >= 2 && (uint64_t)(b->todo[big].hi - b->todo[big].lo) * 10 <= (uint64_t)n * 6)
            break;
        if (b->todo[big].hi - b->todo[big].lo < 2)
            return -1;
        struct group g = b->todo[big];

        b->todo[big] = b->todo[--b->ntodo];
        build_split(b, g);
    }
    qsort(b->todo, b->ntodo, sizeof *b->todo, by_size_desc);
    for (int k = 0; k < 2; k++)
        lane_init(&two[k], n);
    for (uint32_t i = 0; i < b->ntodo; i++) {   /* the larger groups first, to the lighter lane */
        uint32_t size = b->todo[i].hi - b->todo[i].lo;

        if (sa <= sb)
            two[0].todo[na++] = b->todo[i], sa += size;
        else
            two[1].todo[nb++] = b->todo[i], sb += size;
    }
    two[0].ntodo = na, two[1].ntodo = nb, b->ntodo = 0;
    /* the ids the chunks may reach (after the nodes the splits made here):
     * mapped, not touched beyond their use */
    base = t->count;
    trie_reserve(t, (uint64_t)base + nchunks * LANE_CHUNK + 64);
    fill = xcalloc(nchunks, sizeof *fill);
    for (int k = 0; k < 2; k++) {
        two[k].lane = 1;
        two[k].k = k;
        two[k].base = base;
        two[k].fill = fill;
        two[k].chunks = 0;
        two[k].node = t->node;
        two[k].nested_bits = t->nested_bits;
        two[k].next = two[k].end = 0;
    }
    int threaded = !pthread_create(&thread, NULL, lane_main, &two[1]);

    build_run(&two[0]);
    if (threaded)
        pthread_join(thread, NULL);
    else
        build_run(&two[1]);     /* no thread: both here, in turn */
    for (int k = 0; k < 2; k++)         /* each lane's last chunk, as far as it went */
        if (two[k].chunks)
            fill[2 * (two[k].chunks - 1) + (uint32_t)k] = LANE_CHUNK - (two[k].end - two[k].next);
    close_chunks(b, base, fill, (uint32_t)nchunks, count);
    free(fill);
    trie_release_tail(t);
    for (int k = 0; k < 2; k++)
        lane_free(&two[k]);
    return 0;
}

void trie_release_tail(struct trie *t)
{
    uintptr_t lo = ((uintptr_t)(t->node + t->count) + 4095) & ~(uintptr_t)4095;
    uintptr_t hi = (uintptr_t)(t->node + t->cap) & ~(uintptr_t)4095;

    if (hi > lo)
        madvise((void *)lo, hi - lo, MADV_DONTNEED);
}

static uint32_t max_frame(const uint32_t *frames, uint32_t n)
{
    uint32_t m = 0;

    for (uint32_t i = 0; i < n; i++)
        m = frames[i] > m ? frames[i] : m;
    return m;
}

/* Sets NESTED_BIT on every frame that already occurs above on its stack
 * (trie_insert_path's seen stamps): a bit of the frame rather than an
 * array beside the stacks (22 MB less at the peak of a large load). */
static void mark_nested_bits(struct trie *t, uint32_t *frames, const struct build *b,
                             uint32_t count, uint32_t max)
{
    reserve_seen_to(t, max);
    for (uint32_t s = 0; s < count; s++) {
        if (++t->stamp == 0) {
            memset(t->seen, 0, t->seen_cap * sizeof *t->seen);
            t->stamp = 1;
        }
        for (uint32_t i = b->start[s]; i < STACK_END(b, s); i++) {
            uint32_t f = frames[i];

            frames[i] |= (uint32_t)(t->seen[f] == t->stamp) << 31;
            t->seen[f] = t->stamp;
        }
    }
}

/* Why grouped: inserting stack by stack probes a hash of hundreds of MB at
 * random for every frame of every stack (a dependent cache miss each:
 * most of a large load). Grouping the stacks level by level by their
 * frames (a radix sort whose digits are frames, most significant first,
 * depth first) finds each distinct prefix once, and once a stack is alone
 * in its group the rest of its path is new nodes in a row, read and
 * written sequentially: a fresh trie needs no hash at all (it is rebuilt
 * from the nodes when a later insert needs it). Ids come depth first, a
 * node's children consecutive, so a parent is near its children for every
 * pass over the trie that follows (the children index, the accumulate). */
void trie_insert_stacks(struct trie *t, uint32_t *frames, const uint32_t *start,
                        const uint32_t *end, uint32_t count, uint32_t *leaf)
{
    uint32_t total = start[count], n = 0;
    struct build b = { .t = t, .frames = frames, .start = start, .ends = end, .leaf = leaf,
                       .hashed = t->count > 1 };

    if (!count)
        return;
    b.nf = max_frame(frames, total) + 1;
    if (b.nf > NESTED_BIT / 2)
        fatal("frame id out of range (%u)", b.nf - 1);
    b.end_key = 2 * b.nf;
    mark_nested_bits(t, frames, &b, count, b.nf - 1);
    b.perm = xmalloc((size_t)count * sizeof *b.perm);
    for (uint32_t s = 0; s < count; s++) {
        if (start[s] == STACK_END(&b, s))
            leaf[s] = TRIE_ROOT;
        else
            b.perm[n++] = s;
    }
    if (b.hashed && !t->slots)
        grow_slots(t);
    if (!b.hashed && t->slots) {        /* built from the nodes if ever needed */
        xbig_free(t->slots, ((size_t)t->mask + 1) * sizeof *t->slots);
        t->slots = NULL;
    }
    b.tmp = xmalloc((size_t)n * sizeof *b.tmp + 1);
    b.key = xmalloc((size_t)n * sizeof *b.key + 1);
    lane_init(&b, n);
    if (n)
        b.todo[b.ntodo++] = (struct group){ 0, n, TRIE_ROOT, 0 };
    if (b.hashed || n < PARALLEL_MIN || build_two(&b, n, total, count))
        build_run(&b);
    free(b.perm), free(b.tmp), free(b.key);
    lane_free(&b);
    for (uint32_t i = 0; i < total; i++)
        frames[i] &= ~NESTED_BIT;
}

void trie_insert_batch(struct trie *t, uint32_t *frames, const uint32_t *start, uint32_t count,
                       uint32_t *leaf)
{
    trie_insert_stacks(t, frames, start, NULL, count, leaf);
}

/* A counting sort by parent, in place, in two passes rather than three:
 * child_start[p + 1] first counts p's children. The second pass, at node
 * m, turns child_start[m] (the count of m - 1's children) into m - 1's
 * start, the sum so far, and fills m into its parent's list: the parent q
 * is below m, so child_start[q + 1] is a start by then, and serves as q's
 * fill cursor. Each cursor ends at its list's end, the next list's start:
 * child_start[p] is p's start without the shift a separate prefix pass
 * would need. The fill writes at random over the trie (parents are
 * anywhere), but the sum and the counters it reads run in order; this
 * takes about half the time of count, prefix sum, fill and shift (48 ms
 * instead of 102 on the bench profile's 22.6 M nodes). Prefetching the
 * parents' cursors made it slower. */
void trie_reindex(struct trie *t)
{
    uint32_t n = t->count, *start, *child, sum = 0;
    const struct trie_node *node = t->node;

    xbig_free(t->child_start, ((size_t)t->indexed + 2) * sizeof *t->child_start);
    xbig_free(t->child, (size_t)t->indexed * sizeof *t->child);
    start = t->child_start = xbig_realloc(NULL, 0, ((size_t)n + 2) * sizeof *start);
    child = t->child = xbig_realloc(NULL, 0, (size_t)n * sizeof *t->child);
    for (uint32_t id = 1; id < n; id++)
        start[node[id].parent + 1]++;
    for (uint32_t m = 1; m < n; m++) {
        uint32_t kids = start[m];

        start[m] = sum;
        sum += kids;
        child[start[node[m].parent + 1]++] = m;
    }
    if (n)
        start[n] = sum;
    t->indexed = n;
}

static int by_parent(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

    return (a > b) - (a < b);
}

/* Merges the nodes added since the last index into it: a fetched profile
 * adds a few thousand nodes to a trie of millions. Every old child keeps
 * its place in its parent's list and new ones (larger ids) go after it, as
 * the full sort puts them; the lists move up from the back, in order, one
 * memmove per parent that gained children, and the starts shift in one
 * sequential pass from the first such parent on. */
static void index_append(struct trie *t)
{
    uint32_t n0 = t->indexed, n = t->count, k = n - n0, *start, *child;
    uint64_t *pair = xmalloc((size_t)k * sizeof *pair);
    uint32_t w = n - 1, r = n0 - 1;   /* entries: write end, read end */

    for (uint32_t id = n0; id < n; id++)
        pair[id - n0] = (uint64_t)t->node[id].parent << 32 | id;
    qsort(pair, k, sizeof *pair, by_parent);
    start = t->child_start = xbig_realloc(t->child_start, ((size_t)n0 + 2) * sizeof *start,
                                          ((size_t)n + 2) * sizeof *start);
    child = t->child = xbig_realloc(t->child, (size_t)n0 * sizeof *child,
                                    (size_t)n * sizeof *child);
    for (uint32_t p = n0 + 1; p <= n; p++)      /* new nodes: empty lists at the end */
        start[p] = n0 - 1;
    for (uint32_t i = k; i > 0;) {
        uint32_t q = (uint32_t)(pair[i - 1] >> 32), end = start[q + 1], j = i;

        while (j > 0 && (uint32_t)(pair[j - 1] >> 32) == q)
            j--;
        memmove(child + w - (r - end), child + end, (size_t)(r - end) * sizeof *child);
        w -= r - end;
        for (uint32_t m = i; m > j; m--)
            child[--w] = (uint32_t)pair[m - 1];
        r = end;
        i = j;
    }
    /* start[p] grows by the new children of the parents before p: a
     * constant between two parents that gained some (a loop that vectorizes) */
    for (uint32_t i = 0; i < k;) {
        uint32_t q = (uint32_t)(pair[i] >> 32), hi;

        while (i < k && (uint32_t)(pair[i] >> 32) == q)
            i++;
        hi = i < k ? (uint32_t)(pair[i] >> 32) : n;
        for (uint32_t p = q + 1, add = i; p <= hi; p++)
            start[p] += add;
    }
    free(pair);
    t->indexed = n;
}

void trie_index(struct trie *t)
{
    if (t->indexed == t->count)
        return;
    if (!t->indexed || !t->child_start || t->count - t->indexed > t->indexed)
        trie_reindex(t);
    else
        index_append(t);
}

/* Zeroing the pages the inserts fault in cost the inserting thread about
 * a third of its time on the bench profile (a VM's first touch); the
 * loader's parsing thread, which waits for it, takes that over. The reads
 * of the fields race with the inserter (hence atomic): a stale range is
 * populated for nothing, which is harmless. */
int trie_prefault(const struct trie *t, uint64_t nodes, uint64_t *cursor)
{
#ifdef MADV_POPULATE_WRITE
    const uint64_t step = 2u << 20;
    uint32_t *slots = __atomic_load_n(&t->slots, __ATOMIC_RELAXED);
    struct trie_node *node = __atomic_load_n(&t->node, __ATOMIC_RELAXED);
    uint32_t cap = __atomic_load_n(&t->cap, __ATOMIC_RELAXED);
    uint64_t sbytes = slots ? ((uint64_t)__atomic_load_n(&t->mask, __ATOMIC_RELAXED) + 1) * 4 : 0;
    uint64_t nbytes = (nodes < cap ? nodes : cap) * sizeof *node, at = *cursor, len;
    char *base;

    if (at < sbytes) {
        base = (char *)slots + at;
        len = sbytes - at < step ? sbytes - at : step;
    } else if (at - sbytes < nbytes) {
        base = (char *)node + (at - sbytes);
        len = nbytes - (at - sbytes) < step ? nbytes - (at - sbytes) : step;
    } else {
        return 0;
    }
    *cursor = at + len;
    return madvise(base, len, MADV_POPULATE_WRITE) == 0 || errno != EINVAL;
#else
    (void)t, (void)nodes, (void)cursor;
    return 0;
#endif
}

void trie_reserve(struct trie *t, uint64_t nodes)
{
    uint32_t size = t->mask + 1;

    while (size < (1u << 31) && (uint64_t)size / 4 * 3 < nodes)
        size *= 2;
    /* Not for a fresh trie: its first batch is built without the hash. */
    if (size != t->mask + 1 && t->slots && t->count > 1)
        grow_slots_to(t, size);
    /* The nodes too, so that they do not move while trie_prefault maps
     * them ahead of the inserts (a multiple of 64: nested_bits' words). */
    if (nodes > t->cap && nodes < UINT32_MAX - 64) {
        uint32_t cap = (uint32_t)(nodes + 63) / 64 * 64;

        t->node = xbig_realloc(t->node, t->cap * sizeof *t->node, cap * sizeof *t->node);
        t->nested_bits = xbig_realloc(t->nested_bits, t->cap / 8, cap / 8);
        t->cap = cap;
    }
}

void trie_unseal(struct trie *t)
{
    if (!t->slots)
        grow_slots(t);
}

void trie_seal(struct trie *t)
{
    xbig_free(t->slots, ((size_t)t->mask + 1) * sizeof *t->slots);
    t->slots = NULL;
    free(t->seen);
    t->seen = NULL;
    t->seen_cap = 0;
}

/* Parents lie anywhere below their children: prefetch them a few
 * iterations ahead so the random updates overlap. */
void trie_accumulate(const struct trie *t, int64_t *v, int64_t *frame_total)
{
    enum { AHEAD = 32 };

    for (uint32_t id = t->count - 1; id > 0; id--) {
        struct trie_node n = t->node[id];

        if (id > AHEAD)
            __builtin_prefetch(&v[t->node[id - AHEAD].parent], 1);
        if (frame_total && !trie_nested(t, id))
            frame_total[n.frame] = sat_add(frame_total[n.frame], v[id]);
        v[n.parent] = sat_add(v[n.parent], v[id]);
    }
}

int64_t trie_self(const struct trie *t, const int64_t *total, uint32_t n)
{
    const uint32_t *kids;
    uint32_t k = trie_children(t, n, &kids);
    int64_t self = total[n];

    for (uint32_t i = 0; i < k; i++)
        self -= total[kids[i]];
    return self;
}

uint32_t trie_depth(const struct trie *t, uint32_t n)
{
    uint32_t d = 0;

    for (; n != TRIE_ROOT; n = t->node[n].parent)
        d++;
    return d;
}
