/* The stack trie: one node per distinct root-to-frame path. Node 0 is the
 * root (no frame). A parent always has a smaller id than its children:
 * summing self values into totals is one backwards loop. Sized for tens of
 * millions of nodes: flat arrays, 32-bit ids, no per-node malloc. A file's
 * stacks are inserted together by grouping them level by level
 * (trie_insert_batch: depth-first ids, a node's new children consecutive,
 * no hash for a fresh trie, both cores for a large one); single paths and
 * later batches find their nodes through an open-addressing hash keyed by
 * (parent, frame), built from the nodes when first needed. */
#ifndef EMBER_TRIE_H
#define EMBER_TRIE_H

#include <stddef.h>
#include <stdint.h>

#define TRIE_ROOT 0u
#define TRIE_NO_FRAME UINT32_MAX

struct trie_node {
    uint32_t parent;
    uint32_t frame;
};

struct trie {
    struct trie_node *node;
    /* Bit n: node n's frame already occurs among its ancestors. A bit, not
     * a byte, a node: 2.8 MB instead of 22.6 MB for the bench profile's
     * 22.6 M nodes, which stay resident for the whole session. */
    uint64_t *nested_bits;
    uint32_t count, cap;
    /* The hash: a slot holds a node id in its low `shift` bits (ids stay
     * below the table size) and a tag from the hash above them, so most
     * mismatches are rejected without reading the node. 0 = empty (the
     * root is never hashed). */
    uint32_t *slots;
    uint32_t mask, shift;
    uint32_t *seen;             /* per frame: stamp of the last path that held it */
    uint32_t seen_cap, stamp;
    /* Children in CSR form, built by trie_index(): the children of n are
     * child[child_start[n] .. child_start[n + 1]). */
    uint32_t *child_start, *child;
    uint32_t indexed;           /* node count when the index was built */
    /* A budget: past max_nodes nodes (0: no limit) no node is added, a
     * path stops where it would grow, and full is set for the loader to
     * refuse the file. */
    uint32_t max_nodes;
    uint8_t full;
};

void trie_init(struct trie *t);
void trie_free(struct trie *t);
/* Adds the path frames[0] (outermost) .. frames[n-1] (leaf) under the root
 * and returns the leaf's node id (the root when n == 0). */
uint32_t trie_insert_path(struct trie *t, const uint32_t *frames, size_t n);
/* Finds or adds the child of parent holding frame (a filter's reshaped
 * path); returns parent when the budget is spent (full is set). */
uint32_t trie_child(struct trie *t, uint32_t parent, uint32_t frame);
/* The same; may_nest 0 says frame is on no ancestor of parent (so the
 * node's nested bit is 0 without a walk to the root). */
uint32_t trie_child_hint(struct trie *t, uint32_t parent, uint32_t frame, int may_nest);
/* Inserts count paths at once (path i is frames[start[i] .. start[i+1]),
 * root first) and stores each leaf in leaf[i]: much faster than one at a
 * time on large tries, and with no hash at all into an empty trie. frames
 * serves as scratch (a bit of each) and is as it was on return. Ids come
 * depth first, a node's new children consecutive; parents still come
 * before their children. */
void trie_insert_batch(struct trie *t, uint32_t *frames, const uint32_t *start, uint32_t count,
                       uint32_t *leaf);
/* The same with stack i ending at end[i] (frames from there to the next
 * stack's start are in no stack; frames[0 .. start[count]) is read whole,
 * so they must be valid frame ids, zero for instance). */
void trie_insert_stacks(struct trie *t, uint32_t *frames, const uint32_t *start,
                        const uint32_t *end, uint32_t count, uint32_t *leaf);
/* Sizes the hash for about `nodes` nodes in all, so that a large load does
 * not rehash as it grows. */
void trie_reserve(struct trie *t, uint64_t nodes);
/* Faults in the next 2 MB of the memory a large load's inserts will
 * write (the hash, then the nodes up to `nodes`), contents untouched
 * (MADV_POPULATE_WRITE): the loader calls it while it would wait for its
 * inserting thread, which then finds the pages mapped. Changes no byte, so
 * it is safe beside that thread. *cursor starts at 0; returns 0 when
 * nothing is left (or the kernel cannot). */
int trie_prefault(const struct trie *t, uint64_t nodes, uint64_t *cursor);
/* Builds the children index (once per batch of inserts; later inserts
 * make it stale, and trie_index brings it up to date: the nodes added
 * since are merged in, in time proportional to them and a sequential pass,
 * unless they outnumber the indexed ones). */
void trie_index(struct trie *t);
/* The whole index again, from scratch (what trie_index did before nodes
 * could be merged in; the bench's reference). */
void trie_reindex(struct trie *t);
/* Gives back the pages of the node array past the last node (mapped by a
 * reserve, a prefault or a parallel build, and not used): zero again. */
void trie_release_tail(struct trie *t);
/* Frees what only inserting needs (the hash); inserting again rebuilds it. */
void trie_seal(struct trie *t);
/* Rebuilds the hash trie_seal freed (what the next insert would do): a
 * live data set does it once at its start, not at its first landing. */
void trie_unseal(struct trie *t);
/* Turns per-node self values into subtree totals, in place. When
 * frame_total is not NULL, also adds each non-nested node's total to its
 * frame's entry there (a function's total, recursion counted once): the
 * backward pass finalizes a node just as it reaches it. */
void trie_accumulate(const struct trie *t, int64_t *values, int64_t *frame_total);
/* The self value of n from totals: its total less its children's. Needs
 * the children index. */
int64_t trie_self(const struct trie *t, const int64_t *total, uint32_t n);
/* The depth of node n (the root is 0). */
uint32_t trie_depth(const struct trie *t, uint32_t n);

/* Whether node n's frame already occurs among its ancestors (recursion). */
static inline int trie_nested(const struct trie *t, uint32_t n)
{
    return (int)(t->nested_bits[n >> 6] >> (n & 63) & 1);
}

static inline uint32_t trie_children(const struct trie *t, uint32_t n, const uint32_t **out)
{
    /* A stale or missing index is a programming error. */
    *out = t->child + t->child_start[n];
    return t->child_start[n + 1] - t->child_start[n];
}

#endif
