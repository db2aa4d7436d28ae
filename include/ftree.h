/* Frame trees: what flamegraphs draw. A node is a group of trie nodes with
 * the same frame path, merged: the main flamegraph is the callee tree of the
 * trie root (every group one trie node); a sandwich is the callee tree and
 * the caller tree of a function's outermost occurrences. Children are built
 * only when asked for, so drawing a huge trie costs what is on screen. */
#ifndef EMBER_FTREE_H
#define EMBER_FTREE_H

#include <stddef.h>
#include <stdint.h>

#include "profile.h"

enum ftree_direction { FTREE_CALLEES, FTREE_CALLERS };

#define FTREE_NONE UINT32_MAX

struct fnode {
    uint32_t frame;             /* TRIE_NO_FRAME for the root of the main tree */
    uint32_t parent;            /* FTREE_NONE for the root */
    int64_t value;              /* total: what flows through this path */
    int64_t self;               /* valid once expanded: see ftree_self */
    int64_t base;               /* diff trees: the baseline's part of value */
    uint32_t first_child, nchildren;    /* valid once expanded */
    uint32_t members, nmembers; /* into ftree.member / ftree.carried */
    uint32_t depth;             /* rows below the tree's root */
    uint8_t expanded;
};

/* A next member met while expanding (see expand in ftree.c). */
struct fpend {
    uint32_t node, frame;
    int64_t value;
};

struct ftree {
    const struct profile *p;
    const int64_t *total;       /* per trie node, owned by the caller */
    const int64_t *base;        /* diff trees: the baseline's totals, else NULL */
    enum ftree_direction dir;
    struct fnode *node;
    uint32_t count, cap;
    uint32_t *member;           /* trie nodes */
    int64_t *carried;           /* callers: the value each member carries */
    size_t nmember, member_cap;
    uint32_t *slot, *stamp, stamp_now;  /* per frame scratch for grouping */
    struct fpend *pend;         /* scratch: the members being grouped */
    size_t pend_cap;
};

/* The tree of everything below the trie root. The trie must be indexed. */
void ftree_init_root(struct ftree *t, const struct profile *p, const int64_t *total);
/* A diff tree: everything below the root, a node's value being the
 * baseline's total plus the comparison's (bars show both), its `base` the
 * baseline's part. */
void ftree_init_diff(struct ftree *t, const struct profile *p, const int64_t *base,
                     const int64_t *total);
/* The callee or caller tree of function `frame`, rooted at the function,
 * from its outermost occurrences: a recursive function counts once. Its
 * root's self is `self` (the function's, from the flat table). */
void ftree_init_function(struct ftree *t, const struct profile *p, const int64_t *total,
                         uint32_t frame, enum ftree_direction dir, int64_t self);
/* The same from the function's outermost occurrences already found
 * (trie nodes of `frame` with no `frame` above them). */
void ftree_init_occurrences(struct ftree *t, const struct profile *p, const int64_t *total,
                            uint32_t frame, enum ftree_direction dir, int64_t self,
                            const uint32_t *occ, uint32_t nocc);
void ftree_free(struct ftree *t);

/* Expands n if needed; children are sorted by name. Returns their count and
 * the id of the first (children are consecutive ids). */
uint32_t ftree_children(struct ftree *t, uint32_t n, uint32_t *first);

/* What stops at n: its value less its children's (expands n). */
int64_t ftree_self(struct ftree *t, uint32_t n);

/* One drawn box: a node placed at columns [x, x + w) on row depth. */
struct fbox {
    uint32_t node;
    int x, w;
    uint32_t depth;
};

/* The boxes of rows first .. first + rows - 1 of a layout (row 0 is the
 * laid out root). */
struct flayout {
    struct fbox *box;
    size_t count, cap;
    uint32_t *row_start;        /* row first + d is box[row_start[d] .. row_start[d + 1]) */
    uint32_t rows, rows_cap;
    uint32_t first;             /* the first row kept */
    uint8_t more;               /* rows follow the last one kept */
};

/* Lays out the subtree of `root` over `width` columns, row 0 being root
 * itself; nodes narrower than one column are left out with their subtree. */
void ftree_layout(struct ftree *t, uint32_t root, int width, struct flayout *out);
/* The same, keeping only rows [first, first + nrows): the rows above are
 * walked with one row in memory, those below not at all, so a layout costs
 * its rows' boxes (at most width each), not the whole tree. A box's depth
 * is still counted from root. */
void ftree_layout_window(struct ftree *t, uint32_t root, int width, uint32_t first,
                         uint32_t nrows, struct flayout *out);
void flayout_free(struct flayout *l);

/* The box of node n at depth (from the laid out root), or NULL when it is
 * not laid out. */
const struct fbox *flayout_find(const struct flayout *l, uint32_t n, uint32_t depth);

/* With a base subtracted (values of either sign), what a flamegraph can
 * draw: out[n] is the sum of the positive self values at n and below, so
 * that a caller is as wide as what grew under it (a net total of 0 may
 * hide growth that a shrink elsewhere cancels). out has p->trie.count
 * entries. */
void ftree_growth(const struct profile *p, const int64_t *total, int64_t *out);
/* Every trie node's self: its total less its children's (signed, as a
 * base makes them). out has p->trie.count entries. */
void ftree_node_selves(const struct profile *p, const int64_t *total, int64_t *out);

#endif
