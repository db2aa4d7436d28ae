/* Folding the trie's chains (see chains.h). One sequential pass over the
 * children index decides which ids end a chain; the folded tree's arrays
 * follow from those bits. */
#include <stdlib.h>
#include <string.h>

#include "chains.h"
#include "two_cores.h"
#include "xalloc.h"

void chains_free(struct chains *c)
{
    free(c->last);
    free(c->up);
    free(c->frame);
    free(c->bits);
    free(c->rank);
    free(c->sum);
    free(c->sum2);
    free(c->slot);
    memset(c, 0, sizeof *c);
}

static int moved(const struct chains *c, const struct profile *p);

int chains_fit(const struct chains *c, const struct profile *p)
{
    return c->phase == CHAINS_DONE && !moved(c, p);
}

enum { AHEAD = 32, PAR_NODES = 1 << 20 };

/* A core's share of a build step: ids or folded indexes [lo, hi). */
struct part {
    struct chains *c;
    const struct trie *t;
    uint32_t lo, hi;
};

/* Bit id set: id ends a chain. A node goes on into the next id when it
 * has exactly one child, that child is id + 1 and no sample ends at id
 * (those bits are already set). lo is a multiple of 64: each core writes
 * its own words. */
static void *mark_ends(void *arg)
{
    struct part *x = arg;
    const uint32_t *start = x->t->child_start, *child = x->t->child;
    uint64_t *bits = x->c->bits;

    for (uint32_t id = x->lo ? x->lo : 1; id < x->hi; id++) {
        int goes_on = start[id + 1] - start[id] == 1 && child[start[id]] == id + 1;

        if (!goes_on)
            bits[id >> 6] |= 1ull << (id & 63);
    }
    return NULL;
}

/* Each folded node's frame and parent: the parent of its chain's first
 * id, which ends a chain itself (were it inside one, its one child would
 * be the next id: the first id would be inside that chain too). */
static void *link_up(void *arg)
{
    struct part *x = arg;
    struct chains *c = x->c;
    const struct trie_node *node = x->t->node;

    for (uint32_t j = x->lo ? x->lo : 1; j < x->hi; j++) {
        c->up[j] = chains_at(c, node[c->last[j - 1] + 1].parent);
        c->frame[j] = node[c->last[j]].frame;
    }
    return NULL;
}

/* fn over [lo, hi), on two cores when that is large; the split falls on a
 * multiple of align. */
static void split_two(struct chains *c, const struct trie *t, uint32_t lo, uint32_t hi,
                      uint32_t align, void *(*fn)(void *))
{
    struct part low = { c, t, lo, hi }, high = low;

    if (hi - lo < PAR_NODES) {
        fn(&low);
        return;
    }
    low.hi = high.lo = (lo + (hi - lo) / 2) / align * align;
    two_cores(fn, &low, &high);
}

/* The profile changed since the build started: start again. */
static int moved(const struct chains *c, const struct profile *p)
{
    return c->nodes != p->trie.count || c->samples != p->nsamples ||
           c->edits != p->sample_edits || p->trie.indexed != p->trie.count;
}

/* The build's phases, each done in pieces (idle time looks at the clock
 * between two: a piece takes a few ms on the bench profile, where a whole
 * phase took up to 60 ms, and 3 times that on the 3M one). */
enum {
    P_START, P_SAMPLE_ENDS, P_ENDS, P_RANK, P_LAST, P_LINK, P_SLOT, P_TOUCH
};
enum { PIECE_IDS = 1 << 21 };

/* A piece's size in ids (c->piece, a multiple of 64, or the default);
 * samples, words and folded nodes are pieces of a similar cost. */
static size_t piece_ids(const struct chains *c)
{
    return c->piece ? c->piece : PIECE_IDS;
}

static void start_build(struct chains *c, const struct profile *p)
{
    size_t words = ((size_t)p->trie.count + 63) / 64;

    c->nodes = p->trie.count;
    c->samples = p->nsamples;
    c->edits = p->sample_edits;
    c->bits = xcalloc(words, sizeof *c->bits);
    c->rank = xmalloc(words * sizeof *c->rank);
    c->bits[0] = 1;             /* the root */
}

/* Samples end chains where they end: a piece of them from at. */
static size_t sample_ends(struct chains *c, const struct profile *p, size_t at)
{
    size_t piece = piece_ids(c) / 8, end = p->nsamples - at < piece ? p->nsamples : at + piece;

    for (size_t s = at; s < end; s++)
        c->bits[p->samples[s].node >> 6] |= 1ull << (p->samples[s].node & 63);
    return end;
}

/* The bits set before each word, and the folded nodes' count; after the
 * last word, the folded tree's arrays. */
static size_t rank_words(struct chains *c, size_t at, size_t words)
{
    size_t piece = piece_ids(c) / 64, end = words - at < piece ? words : at + piece;

    for (size_t w = at; w < end; w++) {
        c->rank[w] = c->n;
        c->n += (uint32_t)__builtin_popcountll(c->bits[w]);
    }
    if (end == words) {
        c->last = xmalloc((size_t)c->n * sizeof *c->last);
        c->up = xmalloc((size_t)c->n * sizeof *c->up);
        c->frame = xmalloc((size_t)c->n * sizeof *c->frame);
        c->sum = xmalloc((size_t)c->n * sizeof *c->sum);
        c->sum2 = xmalloc((size_t)c->n * sizeof *c->sum2);
        c->up[0] = 0;
        c->frame[0] = TRIE_NO_FRAME;
    }
    return end;
}

/* Each folded node's last id, from the bits of words [at, ...). */
static size_t list_ends(struct chains *c, size_t at, size_t words)
{
    size_t piece = piece_ids(c) / 64, end = words - at < piece ? words : at + piece;
    uint32_t j = c->rank[at];

    for (size_t w = at; w < end; w++)
        for (uint64_t b = c->bits[w]; b; b &= b - 1)
            c->last[j++] = (uint32_t)(w * 64) + (uint32_t)__builtin_ctzll(b);
    return end;
}

/* Each sample's folded node: a piece of them from at. */
static size_t sample_slots(struct chains *c, const struct profile *p, size_t at)
{
    /* each a lookup at random in the bits and their ranks */
    size_t piece = piece_ids(c) / 32, end = p->nsamples - at < piece ? p->nsamples : at + piece;

    if (!c->slot)
        c->slot = xmalloc((p->nsamples + 1) * sizeof *c->slot);
    for (size_t s = at; s < end; s++)
        c->slot[s] = chains_at(c, p->samples[s].node);
    return end;
}

/* The sums' pages mapped a piece at a time, so that the first query finds
 * them so (43 MB on the bench profile: 15-20 ms of page faults on a VM). */
static size_t touch_sums(struct chains *c, size_t at)
{
    size_t n = (size_t)c->n, piece = piece_ids(c) / 8, end = n - at < piece ? n : at + piece;

    memset(c->sum + at, 0, (end - at) * sizeof *c->sum);
    memset(c->sum2 + at, 0, (end - at) * sizeof *c->sum2);
    return end;
}

/* One piece of phase c->phase from c->at; the phase's end moves to the next. */
static void build_piece(struct chains *c, const struct profile *p)
{
    const struct trie *t = &p->trie;
    size_t words = ((size_t)t->count + 63) / 64, at = c->at, end = 0, todo = 0;

    switch (c->phase) {
    case P_START:
        start_build(c, p);
        break;
    case P_SAMPLE_ENDS:
        end = sample_ends(c, p, at), todo = p->nsamples;
        break;
    case P_ENDS:
        end = t->count - at < piece_ids(c) ? t->count : at + piece_ids(c), todo = t->count;
        split_two(c, t, (uint32_t)at, (uint32_t)end, 64, mark_ends);
        break;
    case P_RANK:
        end = rank_words(c, at, words), todo = words;
        break;
    case P_LAST:
        end = list_ends(c, at, words), todo = words;
        break;
    case P_LINK:
        end = c->n - at < piece_ids(c) / 4 ? c->n : at + piece_ids(c) / 4, todo = c->n;
        split_two(c, t, (uint32_t)at, (uint32_t)end, 1, link_up);
        break;
    case P_SLOT:
        end = sample_slots(c, p, at), todo = p->nsamples;
        break;
    case P_TOUCH:
        end = touch_sums(c, at), todo = c->n;
        break;
    }
    c->at = end;
    if (end >= todo) {
        c->phase++;
        c->at = 0;
    }
}

int chains_build_step(struct chains *c, const struct profile *p)
{
    const struct trie *t = &p->trie;

    if (c->phase && moved(c, p)) {
        uint32_t piece = c->piece;

        chains_free(c);
        c->piece = piece;
    }
    if (c->phase == CHAINS_DONE)
        return 0;
    if (c->phase == P_START) {
        uint32_t piece = c->piece;

        chains_free(c);
        c->piece = piece;
        if (!t->count || t->indexed != t->count || !t->child_start)
            return -1;
    }
    build_piece(c, p);
    return c->phase < CHAINS_DONE;
}

int chains_build(struct chains *c, const struct profile *p)
{
    int r;

    while ((r = chains_build_step(c, p)) > 0)
        ;
    return r;
}

/* The second core's frame sums added to the first's, and freed. */
static void add_half(int64_t *into, int64_t *half, uint32_t nframes)
{
    for (uint32_t f = 0; f <= nframes; f++)
        into[f] += half[f];
    free(half);
}

/* Folded nodes [lo, hi) of one core's share of the selves. */
struct selves {
    struct chains *c;
    int64_t *frame_self;
    uint32_t lo, hi;
};

/* The two halves' selves added, each also its frame's: a folded node's
 * samples all end at its last id, of frame[j], so its self is that
 * frame's too, added here in sequence rather than per sample, where it
 * would be one more wait on memory. */
static void *add_selves(void *arg)
{
    struct selves *x = arg;
    int64_t *sum = x->c->sum;
    const int64_t *sum2 = x->c->sum2;
    const uint32_t *frame = x->c->frame;

    for (uint32_t j = x->lo; j < x->hi; j++) {
        sum[j] += sum2[j];
        x->frame_self[frame[j]] += sum[j];
    }
    return NULL;
}

/* Folded selves to folded totals: a parent's index is below its
 * children's, so one backwards pass, which finds each node's children
 * already added (plain sums: the caller knows none overflows). */
static void carry_up(struct chains *c, int64_t *frame_self, uint32_t nframes)
{
    int64_t *sum = c->sum;
    const uint32_t *up = c->up;
    struct selves low = { c, frame_self, 1, c->n }, high = low;

    c->sum[0] += c->sum2[0];
    if (c->n < PAR_NODES) {
        add_selves(&low);
    } else {
        low.hi = high.lo = c->n / 2;
        high.frame_self = xcalloc((size_t)nframes + 1, sizeof *high.frame_self);
        two_cores(add_selves, &low, &high);
        add_half(frame_self, high.frame_self, nframes);
    }
    for (uint32_t j = c->n - 1; j > 0; j--) {
        if (j > AHEAD)
            __builtin_prefetch(&sum[up[j - AHEAD]], 1);
        sum[up[j]] += sum[j];
    }
}

/* Ids [lo, hi) of one core's share of the fill. */
struct fill {
    const struct chains *c;
    const struct trie *t;
    int64_t *total, *frame_total;
    uint32_t lo, hi;
};

/* Ids [lo, hi) get their chains' totals, from chain j (the one lo lies
 * in) on; returns the chain hi lies in. */
static uint32_t fill_block(const struct chains *c, int64_t *total, uint32_t lo, uint32_t hi,
                           uint32_t j)
{
    for (uint32_t id = lo; id < hi; j++) {
        uint32_t end = c->last[j] < hi ? c->last[j] + 1 : hi;
        int64_t v = c->sum[j];

        for (; id < end; id++)
            total[id] = v;
    }
    return c->last[j - 1] >= hi ? j - 1 : j;
}

/* The non-nested ids of [lo, hi) add their totals to their frames'. */
static void add_frames(const struct trie *t, const int64_t *total, int64_t *frame_total,
                       uint32_t lo, uint32_t hi)
{
    const struct trie_node *node = t->node;

    for (uint32_t id = lo; id < hi; id++)
        if (!trie_nested(t, id))
            frame_total[node[id].frame] += total[id];
}

/* Every id of a chain gets its folded total; the non-nested ones add it
 * to their frame's. Sequential over the nodes and the totals; the frame
 * sums (a few hundred KB) stay in the cache. In blocks of a few KB: the
 * block's totals first, then its frame sums, reading the totals back from
 * the cache. Both in one loop ran 3-4 times slower on the bench VM (the
 * random adds to the frame sums waiting behind the stores of the totals,
 * not yet written to memory). */
enum { FILL_BLOCK = 4096 };

static void *fill_range(void *arg)
{
    struct fill *f = arg;

    for (uint32_t lo = f->lo, j = chains_of(f->c, lo); lo < f->hi; lo += FILL_BLOCK) {
        uint32_t hi = f->hi - lo > FILL_BLOCK ? lo + FILL_BLOCK : f->hi;

        j = fill_block(f->c, f->total, lo, hi, j);
        add_frames(f->t, f->total, f->frame_total, lo, hi);
    }
    return NULL;
}

void chains_totals(struct chains *c, const struct trie *t, int64_t *total,
                   int64_t *frame_self, int64_t *frame_total, uint32_t nframes)
{
    struct fill low = { c, t, total, frame_total, 1, t->count }, high;

    carry_up(c, frame_self, nframes);
    total[TRIE_ROOT] = c->sum[0];
    if (t->count < PAR_NODES) {
        fill_range(&low);
        return;
    }
    high = low;
    low.hi = high.lo = t->count / 2;
    high.frame_total = xcalloc((size_t)nframes + 1, sizeof *high.frame_total);
    two_cores(fill_range, &low, &high);
    add_half(frame_total, high.frame_total, nframes);
}
