/* The trie with its chains folded: what a query sums over instead of
 * every node.
 *
 * Most of a large trie's nodes lie on chains: a node no sample ends at,
 * whose one child is the next id (a stack alone below some point gets its
 * rest of path as consecutive ids from the grouped build). Such a node's
 * total is its child's. Folding every such run into the node it ends at
 * leaves far fewer nodes (the bench profile: 2.7 M of 22.6 M), and a
 * folded node j stands for the ids (last[j-1], last[j]], all of one total.
 * A query sums its samples into the folded nodes and carries them up the
 * folded tree (megabytes, not the per-node array's 180), then writes each
 * node's total and its function's share in one sequential pass.
 *
 * Correct for any trie whose parents come before their children: a node
 * that does not fit (more than one child, a child that is not the next
 * id, a sample) simply ends its chain. New nodes or samples (a live
 * data set's) make the query build them again. */
#ifndef EMBER_CHAINS_H
#define EMBER_CHAINS_H

#include <stdint.h>

#include "profile.h"

#define CHAINS_NONE UINT32_MAX
#define CHAINS_DONE 8           /* the build's phases */

struct chains {
    uint32_t nodes;             /* the trie's node count when built; 0: none */
    size_t samples;             /* p->nsamples then, and p->sample_edits */
    uint64_t edits;
    uint32_t n;                 /* folded nodes; 0 is the root */
    uint32_t *last;             /* folded j: the id its chain ends at */
    uint32_t *up;               /* folded j >= 1: its parent's folded index */
    uint32_t *frame;            /* folded j >= 1: node last[j]'s frame */
    uint64_t *bits;             /* bit id: id is some last[j] */
    uint32_t *rank;             /* per word of bits: set bits before it */
    int64_t *sum, *sum2;        /* n values each: a query's scratch, the
                                 * halves of its samples (two cores) */
    uint32_t *slot;             /* per sample: its node's folded index */
    int phase;                  /* build phases done */
    size_t at;                  /* how far the phase under way is */
    uint32_t piece;             /* ids a build step takes, a multiple of 64
                                 * (0: a few ms' worth; tests make it small) */
};

/* Builds c for p's trie and samples (freeing what c held); needs the
 * children index (trie_index). Returns 0, or -1 (c empty) when the trie
 * is not indexed. */
int chains_build(struct chains *c, const struct profile *p);
/* The same in steps of a few ms on the bench profile (idle time): 1
 * while steps are left, then 0 (or -1). A profile that changed between
 * two steps makes the build start again. */
int chains_build_step(struct chains *c, const struct profile *p);
void chains_free(struct chains *c);

/* c->sum plus c->sum2 hold each folded node's self values: each node's
 * self goes to its frame's entry of frame_self, every node's total to
 * total (the trie's count entries) and each non-nested node's to its
 * frame's entry of frame_total (nframes + 1 entries each), as
 * trie_accumulate would for the same selves; on both cores for a large
 * trie. No sum may overflow (the caller knows: its |v| sum is below 2^62).
 * c->sum then holds the folded totals. */
void chains_totals(struct chains *c, const struct trie *t, int64_t *total,
                   int64_t *frame_self, int64_t *frame_total, uint32_t nframes);

/* Whether c was built for p as it is now (the same nodes and samples;
 * the index current). */
int chains_fit(const struct chains *c, const struct profile *p);

/* How many chains end before id: the folded index of the chain id lies
 * in (or ends). */
static inline uint32_t chains_of(const struct chains *c, uint32_t id)
{
    uint64_t w = c->bits[id >> 6], bit = 1ull << (id & 63);

    return c->rank[id >> 6] + (uint32_t)__builtin_popcountll(w & (bit - 1));
}

/* The folded index of the chain ending at id, CHAINS_NONE when id ends
 * none (it lies inside one). */
static inline uint32_t chains_at(const struct chains *c, uint32_t id)
{
    return c->bits[id >> 6] >> (id & 63) & 1 ? chains_of(c, id) : CHAINS_NONE;
}

#endif
