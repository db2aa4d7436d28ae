/* The stack trie: one node per distinct root-to-frame path. Node 0 is the
 * root (no frame). Nodes are numbered in insertion order, so a parent always
 * has a smaller id than its children: summing self values into totals is one
 * backwards loop. Sized for tens of millions of nodes: flat arrays, 32-bit
 * ids, one open-addressing hash keyed by (parent, frame), no per-node malloc. */
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
    uint8_t *nested;            /* 1: the frame already occurs among the ancestors */
    uint32_t count, cap;
    uint32_t *slots;            /* node ids; 0 (the root, never hashed) = empty */
    uint32_t mask;
    uint32_t *seen;             /* per frame: stamp of the last path that held it */
    uint32_t seen_cap, stamp;
    /* Children in CSR form, built by trie_index(): the children of n are
     * child[child_start[n] .. child_start[n + 1]). */
    uint32_t *child_start, *child;
    uint32_t indexed;           /* node count when the index was built */
};

void trie_init(struct trie *t);
void trie_free(struct trie *t);
/* Adds the path frames[0] (outermost) .. frames[n-1] (leaf) under the root
 * and returns the leaf's node id (the root when n == 0). */
uint32_t trie_insert_path(struct trie *t, const uint32_t *frames, size_t n);
/* Builds the children index; call again after further inserts. */
void trie_index(struct trie *t);
/* Sums self values into subtree totals: total[n] = self of n and below. */
void trie_totals(const struct trie *t, const int64_t *self, int64_t *total);
/* The depth of node n (the root is 0). */
uint32_t trie_depth(const struct trie *t, uint32_t n);

static inline uint32_t trie_children(const struct trie *t, uint32_t n, const uint32_t **out)
{
    *out = t->child + t->child_start[n];
    return t->child_start[n + 1] - t->child_start[n];
}

#endif
