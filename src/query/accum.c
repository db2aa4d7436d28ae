/* Subtree totals on both cores: trie_accumulate's result in about half
 * its time on a large trie. The nodes split at `mid` into a low and a
 * high half by id, each summed backwards by its own thread. A parent comes
 * before its children, so the high half never needs the low one; the low
 * half misses only what high nodes would add to low parents (the cut
 * edges). The high thread notes those; once both are done, each cut
 * contribution is carried from its parent up to the root, through the
 * union of those paths (a heap of pending nodes, deepest id first, so a
 * node shared by many paths is visited once). Loaders that number a
 * subtree's nodes together (ember's grouped build) leave a few hundred
 * cut edges; an insertion order that scatters them would leave millions,
 * so a sample of the high half decides first whether the split pays.
 * Without overflow the sums do not depend on their order: the caller says
 * when they cannot overflow, else the one-thread pass runs. */
#include <stdlib.h>
#include <string.h>

#include "query.h"
#include "sat.h"
#include "two_cores.h"
#include "xalloc.h"

enum {
    PAR_MIN_NODES = 1 << 20,    /* below: one thread (a thread costs ~0.1 ms) */
    PROBES = 4096,              /* high nodes sampled for their parent's half */
    CUT_MAX = 1 << 16,          /* cut edges the fix-up may carry */
    AHEAD = 32,
};

struct cut {
    uint32_t parent;
    int64_t value;
};

struct half {
    const struct trie *t;
    int64_t *v, *frame_total;
    uint32_t lo, hi;            /* ids [lo, hi), hi > lo >= 1 */
    struct cut *cut;            /* the high half's: into ids below lo */
    size_t ncut, cut_cap;
};

static void note_cut(struct half *h, uint32_t parent, int64_t value)
{
    if (h->ncut == h->cut_cap) {
        h->cut_cap = h->cut_cap ? h->cut_cap * 2 : 1024;
        h->cut = xreallocarray(h->cut, h->cut_cap, sizeof *h->cut);
    }
    h->cut[h->ncut++] = (struct cut){ parent, value };
}

/* trie_accumulate over [lo, hi); a parent below lo is a cut edge. */
static void *sum_half(void *arg)
{
    struct half *h = arg;
    const struct trie *t = h->t;
    int64_t *v = h->v;

    for (uint32_t id = h->hi; id-- > h->lo;) {
        struct trie_node n = t->node[id];

        if (id >= h->lo + AHEAD)
            __builtin_prefetch(&v[t->node[id - AHEAD].parent], 1);
        if (!trie_nested(t, id))
            h->frame_total[n.frame] += v[id];
        if (n.parent >= h->lo)
            v[n.parent] += v[id];
        else
            note_cut(h, n.parent, v[id]);
    }
    return NULL;
}

/* Whether few high nodes have a low parent (a sample of them). */
static int few_cuts(const struct trie *t, uint32_t mid)
{
    uint32_t span = t->count - mid, cuts = 0;

    for (uint32_t i = 0; i < PROBES; i++)
        cuts += t->node[mid + (uint32_t)((uint64_t)span * i / PROBES)].parent < mid;
    /* the sample's share of cuts, over the whole high half */
    return (uint64_t)cuts * span / PROBES <= CUT_MAX / 2;
}

/* A max-heap of node ids with the value each still carries upwards. */
struct pending {
    struct cut *at;
    size_t n, cap;
};

static void push(struct pending *h, uint32_t node, int64_t value)
{
    size_t i;

    if (h->n == h->cap) {
        h->cap = h->cap ? h->cap * 2 : 256;
        h->at = xreallocarray(h->at, h->cap, sizeof *h->at);
    }
    for (i = h->n++; i && h->at[(i - 1) / 2].parent < node; i = (i - 1) / 2)
        h->at[i] = h->at[(i - 1) / 2];
    h->at[i] = (struct cut){ node, value };
}

static struct cut pop(struct pending *h)
{
    struct cut top = h->at[0], last = h->at[--h->n];
    size_t i = 0;

    for (;;) {
        size_t c = 2 * i + 1;

        if (c >= h->n)
            break;
        if (c + 1 < h->n && h->at[c + 1].parent > h->at[c].parent)
            c++;
        if (h->at[c].parent <= last.parent)
            break;
        h->at[i] = h->at[c];
        i = c;
    }
    if (h->n)
        h->at[i] = last;
    return top;
}

/* Carries the cut contributions up to the root: every node on their
 * paths gets them, as its total and, when not nested, its frame's. */
static void carry_cuts(const struct trie *t, int64_t *v, int64_t *frame_total,
                       const struct cut *cut, size_t ncut)
{
    struct pending h = { 0 };

    for (size_t i = 0; i < ncut; i++)
        push(&h, cut[i].parent, cut[i].value);
    while (h.n) {
        struct cut c = pop(&h);

        while (h.n && h.at[0].parent == c.parent)      /* the same node from another path */
            c.value += pop(&h).value;
        v[c.parent] += c.value;
        if (c.parent == TRIE_ROOT)
            continue;
        if (!trie_nested(t, c.parent))
            frame_total[t->node[c.parent].frame] += c.value;
        push(&h, t->node[c.parent].parent, c.value);
    }
    free(h.at);
}

int query_accumulate(const struct trie *t, int64_t *v, int64_t *frame_total, uint32_t nframes,
                     int no_overflow)
{
    uint32_t mid = t->count / 2;
    struct half low, high;
    int64_t *high_frames;

    if (!no_overflow || !frame_total || t->count < PAR_MIN_NODES || !few_cuts(t, mid)) {
        trie_accumulate(t, v, frame_total);
        return 0;
    }
    high_frames = xcalloc((size_t)nframes + 1, sizeof *high_frames);
    low = (struct half){ t, v, frame_total, 1, mid, NULL, 0, 0 };
    high = (struct half){ t, v, high_frames, mid, t->count, NULL, 0, 0 };
    two_cores(sum_half, &low, &high);
    carry_cuts(t, v, frame_total, high.cut, high.ncut);
    carry_cuts(t, v, frame_total, low.cut, low.ncut);  /* the root's children's */
    for (uint32_t f = 0; f <= nframes; f++)
        frame_total[f] += high_frames[f];
    free(high.cut);
    free(low.cut);
    free(high_frames);
    return 1;
}
